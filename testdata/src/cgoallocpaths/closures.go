// Closures the user writes around a single C call. cgo writes closures
// of the same shape around calls in its output; the user's own are
// checked as the functions they are, in both code shapes.
package cgoallocpaths

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"sync"
	"unsafe"
)

var once sync.Once

// A closure passed on, run once: the name leaks each time it runs.
func lookupOnce() {
	once.Do(func() {
		C.strlen(C.CString("name")) // want `memory from C.CString at line 22 is passed to C.strlen, which does not take ownership, and is never freed`
	})
}

// The same closure started as a goroutine.
func lookupAsync() {
	go func() {
		C.strlen(C.CString("name")) // want `memory from C.CString at line 29 is passed to C.strlen, which does not take ownership, and is never freed`
	}()
}

// Near miss: a deferred closure that only frees what its function
// allocated.
func freedByClosure(s string) C.size_t {
	cs := C.CString(s)
	defer func() { C.free(unsafe.Pointer(cs)) }()
	return C.strlen(cs)
}

// Near miss: a closure passed on that frees what its caller allocated;
// the caller cannot tell when it runs.
func freedInCallback(s string) {
	cs := C.CString(s)
	once.Do(func() { C.free(unsafe.Pointer(cs)) })
}

// Near miss: a closure passed on that returns the memory it allocates.
func allocator() func() *C.char {
	return func() *C.char { return C.CString("kept") }
}
