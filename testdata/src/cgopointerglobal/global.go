// Package cgopointerglobal holds the cgopointer cases that store through
// a C global variable's fields. go/ssa cannot build such statements in
// the raw shape gopls type-checks (C.g.f = v): the analysistest corpus
// is checked in cgo's processed shape only, and ffivet -cgo=types checks
// this package in the files go tool cgo writes.
package cgopointerglobal

/*
#include <stdlib.h>

struct request {
	char *name;
	int len;
};

struct request *current_request;
struct request fallback_request;
*/
import "C"

import "unsafe"

// The request C keeps, reached through a C global.
func setCurrentName(name []byte) {
	C.current_request.name = (*C.char)(unsafe.Pointer(&name[0])) // want `Go pointer stored into C memory: field name of memory reached from C\.current_request is C memory, and the value stored points into Go memory, parameter name`
}

func setFallbackName(name []byte) {
	C.fallback_request.name = (*C.char)(unsafe.Pointer(&name[0])) // want `Go pointer stored into C memory: field name of C\.fallback_request is C memory`
}

// Near misses: C copies, and scalars.
func setCurrentCopy(name string) {
	C.current_request.name = C.CString(name)
	C.current_request.len = C.int(len(name))
}
