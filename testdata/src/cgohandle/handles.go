// Handles created, used and deleted in Go, and handed to C.
package cgohandle

// #include "handles.h"
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// The error path returns before the deferred Delete is registered.
func visitChecked(cb func(), ok bool) error {
	h := cgo.NewHandle(cb) // want `the handle from cgo\.NewHandle at line 14 is not deleted on the path that returns at line 16, so its value is never released`
	if !ok {
		return errInvalid
	}
	defer h.Delete()
	C.run_sync(C.uintptr_t(h))
	return nil
}

// Never deleted: goVisit only reads the value.
func visit(cb func()) {
	h := cgo.NewHandle(cb) // want `the handle from cgo\.NewHandle at line 25 is not deleted on the path that returns at line 27`
	C.run_sync(C.uintptr_t(h))
}

// A new handle per iteration, none deleted.
func visitAll(cbs []func()) {
	for _, cb := range cbs {
		h := cgo.NewHandle(cb) // want `the handle from cgo\.NewHandle at line 32 is not deleted`
		C.run_sync(C.uintptr_t(h))
	}
}

func useAfterDelete(v any) any {
	h := cgo.NewHandle(v)
	C.run_sync(C.uintptr_t(h))
	h.Delete()
	return h.Value() // want `Value of the handle from cgo\.NewHandle at line 38 is called after it was deleted at line 40; Value panics on a deleted handle`
}

func deleteTwice(v any) {
	h := cgo.NewHandle(v)
	defer h.Delete() // want `the handle from cgo\.NewHandle at line 45 is deleted twice: at line 48 and again at line 46, by a deferred call`
	C.run_sync(C.uintptr_t(h))
	h.Delete()
}

func release(h cgo.Handle) { h.Delete() }

// Deleted in a helper, then used.
func useAfterRelease(v any) any {
	h := cgo.NewHandle(v)
	release(h)
	return h.Value() // want `Value of the handle from cgo\.NewHandle at line 55 is called after it was deleted at line 51`
}

// set_context keeps the pointer: C holds the address of h, a Go
// variable, after the call.
func installContext(cb func()) cgo.Handle {
	h := cgo.NewHandle(cb)
	C.set_context(unsafe.Pointer(&h)) // want `C\.set_context keeps the pointer it receives, the address of variable h, which holds a cgo\.Handle: C then holds a pointer to Go memory after the call returns; pass the handle's value instead, as C\.uintptr_t\(h\)`
	return h
}

// Near misses.

func visitDeferred(cb func()) {
	h := cgo.NewHandle(cb)
	defer h.Delete()
	C.run_sync(C.uintptr_t(h))
}

// goDone deletes the handle when C finishes.
func startAsync(cb func()) {
	h := cgo.NewHandle(cb)
	C.start_async(C.uintptr_t(h))
}

// The address of h, used by C only during the call, as in the
// runtime/cgo documentation; goWithContext deletes it.
func withContext(cb func()) {
	h := cgo.NewHandle(cb)
	C.with_context(unsafe.Pointer(&h))
}

// Deleted by a deferred function literal, and through a helper.
func visitClosure(cb func()) {
	h := cgo.NewHandle(cb)
	defer func() { h.Delete() }()
	C.run_sync(C.uintptr_t(h))
}

func visitHelper(cb func()) {
	h := cgo.NewHandle(cb)
	defer release(h)
	C.run_sync(C.uintptr_t(h))
}

// registry owns the handles it stores.
type registry struct {
	handles map[int]cgo.Handle
}

func (r *registry) add(id int, v any) {
	r.handles[id] = cgo.NewHandle(v)
}

type watcher struct {
	h cgo.Handle
}

func newWatcher(v any) *watcher {
	w := &watcher{}
	w.h = cgo.NewHandle(v)
	return w
}

func (w *watcher) close() { w.h.Delete() }

// Returned: the caller deletes it.
func newHandle(v any) cgo.Handle {
	h := cgo.NewHandle(v)
	if C.lookup(C.uintptr_t(h)) == 0 {
		h.Delete()
		return 0
	}
	return h
}

// Deleted on both branches.
func visitEither(cb func(), fast bool) {
	h := cgo.NewHandle(cb)
	if fast {
		C.run_sync(C.uintptr_t(h))
		h.Delete()
		return
	}
	C.run_sync(C.uintptr_t(h))
	h.Delete()
}
