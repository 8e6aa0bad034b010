package cgoerrno

/*
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "helpers.h"
*/
import "C"

import (
	"syscall"
	"unsafe"
)

// The example of docs/checks/cgoerrno.md.
func mkfifoStale(path string, mode uint32) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if C.mkfifo(cs, C.mode_t(mode)) != 0 {
		return syscall.Errno(C.get_errno()) // want `^C\.get_errno reads errno in a separate cgo call after C\.mkfifo at line 20: errno is per OS thread and the goroutine may have moved to another thread in between; use the two-value form on the call itself: r, err := C\.mkfifo\(\.\.\.\)$`
	}
	return nil
}

// Its fix: the two-value form on the call itself.
func mkfifo(path string, mode uint32) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if r, err := C.mkfifo(cs, C.mode_t(mode)); r != 0 {
		return err
	}
	return nil
}
