// C keeping a Go pointer after the call returns. The collector may move
// or free Go memory C holds unless it stays pinned for as long as C
// holds it, and Go string data must never be kept. C functions keep a
// pointer when their body stores it in a global or a structure that
// outlives the call, or when an ffivet:keeps annotation says so.
package cgopointer

/*
#include <stdlib.h>
#include "helpers.h"

static const char *last_name;

// remember_name keeps the data of a Go string.
static void remember_name(_GoString_ s) { last_name = _GoStringPtr(s); }

// name_length only reads it.
static size_t name_length(_GoString_ s) { return _GoStringLen(s); }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

type appState struct {
	count int
	total int64
}

func installState() {
	state := &appState{}
	C.set_userdata(unsafe.Pointer(state)) // want `C\.set_userdata receives a pointer to Go memory, the composite literal \(line 33\), which keeps it after the call returns, but the memory is not pinned`
	C.fire()
}

func registerBuffer(buf []byte) {
	C.register_buffer((*C.char)(unsafe.Pointer(&buf[0]))) // want `C\.register_buffer receives a pointer to Go memory, parameter buf \(line 38\), which keeps it after the call returns, but the memory is not pinned`
}

// The Pinner is unpinned when the function returns, but C goes on using
// the buffer.
func registerPinned(buf []byte) {
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(&buf[0])
	C.register_buffer((*C.char)(unsafe.Pointer(&buf[0]))) // want `C\.register_buffer keeps the pointer to parameter buf \(line 44\) after the call returns, but pin unpins it when the function returns while C still holds it`
	C.fire()
}

// Go string data must not be kept, pinned or not.
func registerName(name string) {
	C.register_buffer((*C.char)(unsafe.Pointer(unsafe.StringData(name)))) // want `C\.register_buffer receives a pointer into the data of Go string parameter name \(line 53\), which keeps it after the call returns: C may not keep Go string data`
}

// watch keeps its argument according to its annotation in helpers.h.
func watchState(st *appState) {
	C.watch(unsafe.Pointer(st)) // want `C\.watch receives a pointer to Go memory, parameter st \(line 58\), which keeps it after the call returns \(ffivet:keeps\), but the memory is not pinned`
}

// A Go string passed as _GoString_ whose data C keeps.
func rememberName(name string) {
	C.remember_name(name) // want `C\.remember_name keeps the data of the Go string it receives as argument 1 after the call returns: C may not keep Go string data, and a string cannot be pinned`
}

// Near misses.

func nameLength(name string) int {
	return int(C.name_length(name))
}

// watcher owns its Pinner: the buffer stays pinned until stop.
type watcher struct {
	pin runtime.Pinner
	buf []byte
}

func (w *watcher) start() {
	w.pin.Pin(&w.buf[0])
	C.register_buffer((*C.char)(unsafe.Pointer(&w.buf[0])))
}

func (w *watcher) stop() {
	C.register_buffer(nil)
	w.pin.Unpin()
}

// C memory may be kept.
func installCState() {
	state := C.malloc(64)
	C.set_userdata(state)
	C.fire()
}

// A C copy of a string may be kept (C frees it later).
func registerCName(name string) {
	C.register_buffer(C.CString(name))
}

// consume only reads during the call.
func sumState(st *appState) {
	C.consume(unsafe.Pointer(st), C.size_t(unsafe.Sizeof(*st)))
}
