// Package cgoallochelper allocates and frees C memory for the cgoalloc
// tests from another package, so what its functions do to ownership has
// to reach cgoalloc as facts. Pointers cross the package boundary as
// unsafe.Pointer, since each package has its own C types. Everything
// here is correct.
package cgoallochelper

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import "unsafe"

// Dup returns a C copy of s. Release it with Free.
func Dup(s string) unsafe.Pointer {
	return unsafe.Pointer(C.CString(s))
}

// Free releases memory from Dup.
func Free(p unsafe.Pointer) {
	C.free(p)
}

// Len returns the length of the C string p.
func Len(p unsafe.Pointer) int {
	return int(C.strlen((*C.char)(p)))
}

// A Buf holds memory from Dup. Release it with Free.
type Buf struct {
	P unsafe.Pointer
}

// Free releases the memory the Buf holds.
func (b *Buf) Free() {
	C.free(b.P)
	b.P = nil
}

// A Handle owns C memory, released by its methods: what each method
// does to the field reaches other packages as facts.
type Handle struct {
	p unsafe.Pointer
}

// NewHandle returns a Handle holding a C copy of s.
func NewHandle(s string) *Handle {
	return &Handle{p: unsafe.Pointer(C.CString(s))}
}

// Destroy releases the memory and leaves the field set.
func (h *Handle) Destroy() {
	C.free(h.p)
}

// Close releases the memory and clears the field.
func (h *Handle) Close() {
	C.free(h.p)
	h.p = nil
}
