// runtime.Pinner misuse. Pin needs a pointer (it panics on anything
// else), and a Pinner must be unpinned before it is dropped: the
// collector panics when it finds a Pinner that still pins. A Pinner
// that must outlive the function (C keeps what it pins) belongs in a
// long-lived value.
package cgopointer

/*
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

func pinSlice(buf []byte) {
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(buf) // want `runtime\.Pinner\.Pin receives a \[\]byte, which is not a pointer: Pin panics at run time \(argument is not a pointer\); pin the slice's backing array: unsafe\.SliceData\(s\) or &s\[0\]`
	C.consume(unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
}

func pinString(s string) {
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(s) // want `runtime\.Pinner\.Pin receives a string, which is not a pointer`
	C.consume(unsafe.Pointer(unsafe.StringData(s)), C.size_t(len(s)))
}

// The error path returns with the Pinner still pinned.
func sendPinned(args [][]byte) error {
	var pin runtime.Pinner
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		if len(a) == 0 {
			return errEmpty
		}
		pin.Pin(&a[0]) // want "pin pins memory at line 40 and is still pinned on the path that returns at line 38: the collector panics when it finds a dropped Pinner that still pins \\(forgot to call Unpin\\); add `defer pin\\.Unpin\\(\\)` after its declaration"
		argv[i] = (*C.char)(unsafe.Pointer(&a[0]))
	}
	C.run_argv(&argv[0], C.int(len(args)))
	pin.Unpin()
	return nil
}

// Never unpinned.
func sumPinned(st *appState) {
	var pin runtime.Pinner
	pin.Pin(st) // want `pin pins memory at line 51 and is still pinned on the path that returns at line 53`
	C.consume(unsafe.Pointer(st), C.size_t(unsafe.Sizeof(*st)))
}

// Pinned for C, which keeps the pointer: unpinning at return would be
// wrong too; the Pinner must live with the object.
func shareState(st *appState) {
	pin := new(runtime.Pinner)
	pin.Pin(st) // want `pin pins memory at line 59 that C\.set_userdata keeps, but it is a local variable still pinned when the function returns`
	C.set_userdata(unsafe.Pointer(st))
}

// Near misses.

func sumPinnedDeferred(st *appState) {
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(st)
	C.consume(unsafe.Pointer(st), C.size_t(unsafe.Sizeof(*st)))
}

// Unpinned on every path, through a helper.
func sendPinnedHelper(args [][]byte) error {
	var pin runtime.Pinner
	defer release(&pin)
	for _, a := range args {
		if len(a) == 0 {
			return errEmpty
		}
		pin.Pin(&a[0])
	}
	return nil
}

func release(p *runtime.Pinner) { p.Unpin() }

// Unpinned by a deferred function literal.
func sumPinnedClosure(st *appState) {
	var pin runtime.Pinner
	defer func() { pin.Unpin() }()
	pin.Pin(st)
	C.consume(unsafe.Pointer(st), C.size_t(unsafe.Sizeof(*st)))
}

// The Pinner is handed to the caller, who unpins it.
func pinFor(st *appState) *runtime.Pinner {
	pin := new(runtime.Pinner)
	pin.Pin(st)
	return pin
}
