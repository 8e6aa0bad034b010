// Exported functions are called by C: they may not return Go pointers,
// and may not store Go pointers into the C memory they receive.
package cgopointer

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

var lastName = "unset"

//export makeBuffer
func makeBuffer(n C.int) unsafe.Pointer {
	b := make([]byte, int(n))
	return unsafe.Pointer(&b[0]) // want `exported function makeBuffer returns a Go pointer to its C caller: it points into make\(\[\]byte, \.\.\.\) \(line 16\)`
}

//export fillResult
func fillResult(out **C.char) {
	buf := make([]byte, 16)
	*out = (*C.char)(unsafe.Pointer(&buf[0])) // want `Go pointer stored into C memory: parameter out of the exported function \(line 21\) is C memory, and the value stored points into Go memory, make\(\[\]byte, \.\.\.\) \(line 22\)`
}

//export currentName
func currentName() *C.char {
	return (*C.char)(unsafe.Pointer(unsafe.StringData(lastName))) // want `exported function currentName returns a Go pointer to its C caller: it points into variable lastName`
}

// Near misses.

//export makeCBuffer
func makeCBuffer(n C.int) unsafe.Pointer {
	return C.malloc(C.size_t(n))
}

//export fillCResult
func fillCResult(out **C.char, s *C.char) {
	*out = C.CString(C.GoString(s))
}

//export resultLength
func resultLength(s *C.char) C.int {
	return C.int(len(C.GoString(s)))
}

var notified int

//export goNotify
func goNotify(n C.int) {
	notified += int(n)
}
