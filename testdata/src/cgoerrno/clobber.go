package cgoerrno

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"syscall"
	"unsafe"
)

// open_logged prints a message between the failing open and its return.
func openLogged(path string) (int, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	fd, err := C.open_logged(cs) // want `err from the two-value form of C.open_logged may not describe the failure: open_logged calls fprintf after the call that failed and before it returns, which may overwrite errno \(from its C body\)`
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// check_len sets errno, then logs.
func checkLen(n int) error {
	r, err := C.check_len(C.int(n)) // want `err from the two-value form of C.check_len may not describe the failure: check_len calls fputs`
	if r < 0 {
		return err
	}
	return nil
}

// open_status returns errno after fprintf may have changed it.
func openStatus(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if e := C.open_status(cs); e != 0 { // want `C.open_status reads errno after calling fprintf, which may overwrite it \(from its C body\)`
		return syscall.Errno(e)
	}
	return nil
}

// The same helper in the two-value form: both its result and err may be
// fprintf's.
func openStatus2(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	e, err := C.open_status(cs) // want `err from the two-value form of C.open_status may not describe the failure: open_status calls fprintf`
	if e != 0 {
		return err
	}
	return nil
}

// Near misses.

// open_restored saves errno around its message.
func openRestored(path string) (int, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	fd, err := C.open_restored(cs)
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// open_check closes the file only on the path that returns success.
func openCheck(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	r, err := C.open_check(cs)
	if r < 0 {
		return err
	}
	return nil
}

// open_status's value is thrown away: nothing reads the errno it returns.
func touch(path string) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	C.open_status(cs)
}
