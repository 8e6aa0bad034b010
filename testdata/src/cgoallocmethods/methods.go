// The methods of a type share the C memory its fields hold: a method
// that frees a field and leaves it set, followed by another call that
// frees the same field, frees it twice.
package cgoallocmethods

/*
#include <stdlib.h>

static char *link_attach(void) { return malloc(1); }
static int link_use(char *p) { return p != 0; }
*/
import "C"

import (
	"cgoallochelper"
	"errors"
	"unsafe"
)

var errRejected = errors.New("rejected")

// A Link owns a C buffer.
type Link struct {
	ptr *C.char
	n   int
}

// Destroy frees the buffer and leaves ptr set.
func (l *Link) Destroy() {
	C.free(unsafe.Pointer(l.ptr))
}

// Close frees the buffer too.
func (l *Link) Close() {
	C.free(unsafe.Pointer(l.ptr))
}

// Release frees the buffer and clears ptr.
func (l *Link) Release() {
	C.free(unsafe.Pointer(l.ptr))
	l.ptr = nil
}

// Len only reads the buffer.
func (l *Link) Len() int { return int(C.link_use(l.ptr)) }

// Reattach replaces the buffer.
func (l *Link) Reattach() { l.ptr = C.link_attach() }

// A Module owns a link.
type Module struct {
	link *Link
	name string
}

// Modelled on aquasecurity/libbpfgo issue #172: destroying a link and
// then closing the module that destroys it again frees it twice.
func detach(l *Link) {
	l.Destroy()
	l.Close() // want `field ptr is freed twice: \(\*Link\)\.Destroy at line 59 frees it and leaves it set, then this code calls \(\*Link\)\.Close, which frees it again; set the field to nil after the free in \(\*Link\)\.Destroy`
}

// Modelled on libgit2/git2go issue #64: calling Free twice.
func destroyTwice(l *Link) int {
	n := l.Len()
	l.Destroy()
	l.Destroy() // want `field ptr is freed twice: \(\*Link\)\.Destroy at line 66 frees it and leaves it set`
	return n
}

// A deferred Close runs after the explicit Destroy (the shape of
// bicomsystems/go-libzfs issue #30: a dataset destroyed, then closed by a
// deferred Close).
func deferredClose(l *Link) int {
	defer l.Close() // want `field ptr is freed twice: \(\*Link\)\.Destroy at line 77 frees it and leaves it set, then this code defers \(\*Link\)\.Close, which runs when the function returns and frees it again`
	n := l.Len()
	l.Destroy()
	return n
}

// Shutdown is modelled on zenhack/go.notmuch issue #11: the owner's
// teardown destroys what its Close destroys again.
func (m *Module) Shutdown() {
	m.link.Destroy()
	m.link.Close() // want `field ptr is freed twice: \(\*Link\)\.Destroy at line 84 frees it`
}

// Modelled on apple/foundationdb pull request #11383: Close after a
// Destroy on a local value.
func attachAndDrop() {
	var l Link
	l.ptr = C.link_attach()
	l.Destroy()
	l.Close() // want `field ptr is freed twice: \(\*Link\)\.Destroy at line 93 frees it`
}

// Likewise, on a path through a branch that does not touch the link.
func detachVerbose(l *Link, verbose bool) {
	l.Destroy()
	if verbose {
		println("detached")
	}
	l.Close() // want `field ptr is freed twice: \(\*Link\)\.Destroy at line 99 frees it`
}

// Near miss: Release clears the field.
func released(l *Link) {
	l.Release()
	l.Close()
}

// Near miss: the field is assigned again between the frees.
func reattached(l *Link) {
	l.Destroy()
	l.ptr = C.link_attach()
	l.Close()
}

// Near miss: a method that assigns the field runs between the frees.
func reattachedByMethod(l *Link) {
	l.Destroy()
	l.Reattach()
	l.Close()
}

// Near miss: the two frees are on different paths.
func either(l *Link, fast bool) {
	if fast {
		l.Destroy()
	} else {
		l.Close()
	}
}

// Near miss: the second call only reads the field.
func destroyThenLen(l *Link) {
	l.Destroy()
	_ = l.n
}

// Near miss: the link goes to code that may reset it between the calls.
func handedOn(l *Link, reset func(*Link)) {
	l.Destroy()
	reset(l)
	l.Close()
}

// Near miss: two different links.
func two(a, b *Link) {
	a.Destroy()
	b.Close()
}

// Open frees the buffer when C rejects it, and leaves ptr set.
func (l *Link) Open() error {
	if C.link_use(l.ptr) == 0 {
		C.free(unsafe.Pointer(l.ptr))
		return errRejected
	}
	return nil
}

// A deferred Close frees the buffer again when Open failed.
func openDeferred(l *Link) error {
	defer l.Close() // want `field ptr is freed twice: \(\*Link\)\.Open at line 166 frees it on some of its paths and leaves it set, then this code defers \(\*Link\)\.Close`
	return l.Open()
}

// Likewise, with Close called unconditionally after Open.
func openThenClose(l *Link) error {
	err := l.Open()
	l.Close() // want `field ptr is freed twice: \(\*Link\)\.Open at line 171 frees it on some of its paths`
	return err
}

// Near miss: Close runs only when Open succeeded.
func openChecked(l *Link) error {
	if err := l.Open(); err != nil {
		return err
	}
	defer l.Close()
	return nil
}

// The methods of a type of another package, known from their facts.
func dropHandle(h *cgoallochelper.Handle) {
	h.Destroy()
	h.Close() // want `field p is freed twice: \(\*Handle\)\.Destroy at line 187 frees it and leaves it set, then this code calls \(\*Handle\)\.Close, which frees it again`
}

// Near miss: Close clears the field before Destroy could see it.
func closeHandle(h *cgoallochelper.Handle) {
	h.Close()
	h.Destroy()
}
