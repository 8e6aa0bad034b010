package cgoerrno

/*
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "helpers.h"

static void report(const char *what, int e) { fprintf(stderr, "%s: %d\n", what, e); }
*/
import "C"

import (
	"syscall"
	"unsafe"
)

// The accessor is an argument of another C call, which cgo evaluates
// inside the wrapper it writes around that call.
func reportStale(what []byte) {
	if C.fail_with(C.EIO) < 0 {
		C.report((*C.char)(unsafe.Pointer(&what[0])), C.get_errno()) // want `C.get_errno reads errno in a separate cgo call after C.fail_with at line 21`
	}
}

// Near miss: the two-value form, then the value handed on.
func reportFresh(what []byte) {
	if r, err := C.fail_with(C.EIO); r < 0 {
		C.report((*C.char)(unsafe.Pointer(&what[0])), C.int(err.(syscall.Errno)))
	}
}

// A function of the user's whose name starts with _C, as the net
// package names its wrappers (_C_getaddrinfo): checked like any other.
func _C_unlink(path *C.char) error {
	if C.unlink(path) != 0 {
		return syscall.Errno(C.get_errno()) // want `C.get_errno reads errno in a separate cgo call after C.unlink at line \d+`
	}
	return nil
}
