// Package cgopkg allocates C strings and forgets to free them.
package cgopkg

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import "unsafe"

// Len returns the length of s as C's strlen counts it.
func Len(s string) int {
	cs := C.CString(s)
	n := C.strlen(cs)
	return int(n)
}

// Dup returns a copy of s made by C.
func Dup(s string) string {
	cs := C.CString(s)
	return C.GoString(cs)
}

func release(p unsafe.Pointer) { C.free(p) }
