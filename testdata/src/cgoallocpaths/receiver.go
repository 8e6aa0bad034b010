// C memory held in a field of a local struct variable: a method with a
// pointer receiver that frees the field releases it, also when deferred.
package cgoallocpaths

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import "unsafe"

// A cbuf owns a C copy of a string.
type cbuf struct {
	p *C.char
	n int
}

// Free releases the copy.
func (b *cbuf) Free() {
	C.free(unsafe.Pointer(b.p))
	b.p = nil
}

// Len only reads the copy.
func (b *cbuf) Len() int { return int(C.strlen(b.p)) }

// Ptr returns the copy, still owned by b.
func (b *cbuf) Ptr() *C.char { return b.p }

func bufferedLen(s string) int {
	b := cbuf{p: C.CString(s), n: len(s)} // want `memory from C\.CString at line 32 leaks on the path that returns at line 33\b`
	return b.Len()
}

func earlyExit(s string) int {
	var b cbuf
	b.p = C.CString(s) // want `memory from C\.CString at line 38 leaks on the path that returns at line 40\b`
	if s == "-" {
		return 0
	}
	defer b.Free()
	return b.Len()
}

// Near miss: the deferred method frees the field.
func deferredFree(s string) int {
	var b cbuf
	b.p = C.CString(s)
	b.n = len(s)
	defer b.Free()
	return int(C.strlen(b.p))
}

// Near miss: likewise, with the struct built by a composite literal.
func literalFree(s string) int {
	b := cbuf{p: C.CString(s), n: len(s)}
	defer b.Free()
	return b.Len()
}

// Near miss: freed by an explicit call on every path.
func explicitFree(s string) int {
	b := cbuf{p: C.CString(s)}
	n := b.Len()
	b.Free()
	return n
}

// Near miss: the struct is copied, and the copy's owner is not followed.
func copied(s string) cbuf {
	b := cbuf{p: C.CString(s)}
	c := b
	return c
}

// Near miss: the struct's address goes to a function the model knows
// nothing about.
func handedOn(s string, keep func(*cbuf)) {
	b := cbuf{p: C.CString(s)}
	keep(&b)
}

func lengths(names []string) int {
	n := 0
	for _, s := range names {
		var b cbuf
		b.p = C.CString(s) // want `memory from C\.CString at line 88 leaks when the loop at line 86 starts its next iteration`
		n += b.Len()
	}
	return n
}

// Near miss: each iteration's copy is released by the method.
func lengthsFreed(names []string) int {
	n := 0
	for _, s := range names {
		var b cbuf
		b.p = C.CString(s)
		n += b.Len()
		b.Free()
	}
	return n
}

// Near miss: the copy is freed through its accessor.
func viaAccessor(s string) int {
	var b cbuf
	b.p = C.CString(s)
	n := b.Len()
	C.free(unsafe.Pointer(b.Ptr()))
	return n
}
