// Go pointers stored into C memory. C memory is invisible to the
// collector: a Go pointer stored there does not keep its memory alive,
// and the memory may move. With GOEXPERIMENT=cgocheck2 the program
// aborts at the store.
package cgopointer

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

func newCRequest(name []byte) *C.struct_request {
	req := (*C.struct_request)(C.malloc(C.sizeof_struct_request))
	req.name = (*C.char)(unsafe.Pointer(&name[0])) // want `Go pointer stored into C memory: field name of C\.malloc \(line 19\) is C memory, and the value stored points into Go memory, parameter name \(line 18\)`
	req.len = C.int(len(name))
	return req
}

// A raw store through a C pointer.
func publish(slot unsafe.Pointer, b []byte) {
	cslot := C.malloc(8)
	*(**C.char)(cslot) = (*C.char)(unsafe.Pointer(&b[0])) // want `Go pointer stored into C memory: C\.malloc \(line 27\) is C memory`
	C.free(cslot)
}

// A C global.
func setContext(obj *appState) {
	C.g_ctx = unsafe.Pointer(obj) // want `Go pointer stored into C memory: C\.g_ctx is C memory, and the value stored points into Go memory, parameter obj`
}

// An array C owns, seen as a Go slice.
func fillCArgv(argv **C.char, words [][]byte) {
	arr := unsafe.Slice(argv, len(words))
	for i, w := range words {
		arr[i] = (*C.char)(unsafe.Pointer(&w[0]))
	}
}

func buildCArgv(words [][]byte) {
	argv := (**C.char)(C.calloc(C.size_t(len(words)+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	arr := unsafe.Slice(argv, len(words)+1)
	for i, w := range words {
		arr[i] = (*C.char)(unsafe.Pointer(&w[0])) // want `Go pointer stored into C memory: an element of C\.calloc \(line 46\) is C memory, and the value stored points into`
	}
	C.run_argv(argv, C.int(len(words)))
	C.free(unsafe.Pointer(argv))
}

// Near misses.

// C pointers in C memory.
func newCRequestCopy(name string) *C.struct_request {
	req := (*C.struct_request)(C.malloc(C.sizeof_struct_request))
	req.name = C.CString(name)
	req.len = C.int(len(name))
	return req
}

// A Go pointer in Go memory (a Go-allocated C struct) is fine as long
// as it stays in Go.
func localRequest(name []byte) int {
	var req C.struct_request
	req.name = (*C.char)(unsafe.Pointer(&name[0]))
	req.len = C.int(len(name))
	return int(req.len)
}

// context owns a Pinner that keeps the object pinned while C holds it.
type context struct {
	pin runtime.Pinner
	obj *appState
}

func (c *context) install() {
	c.pin.Pin(c.obj)
	C.g_ctx = unsafe.Pointer(c.obj)
}

// Scalars in C memory.
func setLength(n int) {
	req := (*C.struct_request)(C.malloc(C.sizeof_struct_request))
	req.len = C.int(n)
	req.name = nil
	C.free(unsafe.Pointer(req))
}
