// Package cgohandle is the test corpus of the cgohandle check:
// runtime/cgo handles created, given to C, used and deleted. The buggy
// cases are marked by want comments, next to correct code a naive
// checker would flag. The C side is handles.h and handles.c, whose
// callbacks are the exported functions of this file.
package cgohandle

// #include "handles.h"
import "C"

import (
	"errors"
	"runtime/cgo"
	"unsafe"
)

var errInvalid = errors.New("invalid")

var visited int

//export goVisit
func goVisit(h C.uintptr_t) {
	if cb, ok := cgo.Handle(h).Value().(func()); ok {
		cb()
	}
	visited++
}

//export goDone
func goDone(h C.uintptr_t) {
	handle := cgo.Handle(h)
	if cb, ok := handle.Value().(func()); ok {
		cb()
	}
	handle.Delete()
}

var ticks int

//export goTick
func goTick(h C.uintptr_t) {
	ticks++
	_ = cgo.Handle(h).Value()
}

//export goWithContext
func goWithContext(ctx unsafe.Pointer) {
	h := *(*cgo.Handle)(ctx)
	if cb, ok := h.Value().(func()); ok {
		cb()
	}
	h.Delete()
}
