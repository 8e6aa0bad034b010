// Pointers and integers. A Go pointer turned into an integer for a C
// call hides it from cgo's check and from the garbage collector; an
// integer turned into an unsafe.Pointer for C's user data is a pointer
// to nothing the collector can make sense of. Pass Go values to C as a
// cgo.Handle in a uintptr_t.
package cgopointer

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

type item struct {
	name string
	next *item
}

func sumItems(items []*item) {
	C.consume_addr(C.uintptr_t(uintptr(unsafe.Pointer(&items[0]))), C.size_t(len(items))) // want `a Go pointer to parameter items \(line 24\), which holds Go pointers \(an element holds a Go pointer\), is converted to an integer and passed to C\.consume_addr`
}

func sumStateAddr(st *appState) {
	addr := uintptr(unsafe.Pointer(st))
	C.consume_addr(C.uintptr_t(addr), C.size_t(unsafe.Sizeof(*st))) // want `a Go pointer to parameter st \(line 28\) is converted to an integer and passed to C\.consume_addr`
}

var nextID int

func registerID() {
	nextID++
	C.set_userdata(unsafe.Pointer(uintptr(nextID))) // want `C\.set_userdata receives an integer \(int\) converted to unsafe\.Pointer: a pointer that points nowhere valid may crash the garbage collector; pass a cgo\.Handle as C\.uintptr_t`
}

func registerHandle(v any) cgo.Handle {
	h := cgo.NewHandle(v)
	ud := unsafe.Pointer(h)
	C.set_userdata(ud) // want `C\.set_userdata receives a cgo\.Handle converted to unsafe\.Pointer`
	return h
}

// Near misses.

// Arithmetic on a C pointer.
func fillTail(n int) {
	buf := C.malloc(C.size_t(2 * n))
	defer C.free(buf)
	tail := unsafe.Pointer(uintptr(buf) + uintptr(n))
	C.fill(tail, C.size_t(n))
}

// The handle as an integer.
func registerHandleValue(v any) cgo.Handle {
	h := cgo.NewHandle(v)
	C.consume_addr(C.uintptr_t(h), 0)
	return h
}

// An address C produced.
func fillScratch() {
	C.fill(unsafe.Pointer(uintptr(C.get_addr())), 8)
}

// nil.
func clearUserdata() {
	C.set_userdata(unsafe.Pointer(uintptr(0)))
}
