// Package cgoallocfix holds the leaks whose fix cgoalloc can write, a
// deferred C.free right after the allocation, and leaks it cannot fix
// that way.
package cgoallocfix

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"errors"
	"unsafe"
)

func length(s string) int {
	cs := C.CString(s) // want `memory from C\.CString at line 18 leaks on the path that returns at line 19; add .defer C\.free\(unsafe\.Pointer\(cs\)\). after the allocation`
	return int(C.strlen(cs))
}

// An unsafe.Pointer needs no conversion.
func fill(n int) {
	buf := C.malloc(C.size_t(n)) // want `memory from C\.malloc at line 24 leaks on the path that returns at line 26; add .defer C\.free\(buf\). after the allocation`
	C.memset(buf, 1, C.size_t(n))
}

// No fix when the memory is freed on another path: a deferred free
// would free it twice.
func count(s string) (int, error) {
	cs := C.CString(s) // want `memory from C\.CString at line 31 leaks on the path that returns at line 33; release it with C\.free on that path`
	if s == "" {
		return 0, errors.New("empty input")
	}
	n := C.strlen(cs)
	C.free(unsafe.Pointer(cs))
	return int(n), nil
}

// No fix inside a loop: a defer there would free only when the function
// returns.
func perLine(lines []string) int {
	total := 0
	for _, l := range lines {
		cs := C.CString(l) // want `memory from C\.CString at line 45 leaks when the loop at line 44 starts its next iteration`
		total += int(C.strlen(cs))
	}
	return total
}
