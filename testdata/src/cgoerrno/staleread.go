package cgoerrno

/*
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"syscall"
	"unsafe"
)

// The classic: a helper that returns errno, called after the call that
// failed.
func failStale() error {
	if C.fail_with(C.EINVAL) < 0 {
		return syscall.Errno(C.get_errno()) // want `C.get_errno reads errno in a separate cgo call after C.fail_with at line 20: errno is per OS thread.*use the two-value form on the call itself: r, err := C.fail_with\(\.\.\.\)`
	}
	return nil
}

// C.CString calls malloc between the failing call and the read.
func removeStale(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	rc := C.unlink(cs)
	msg := C.CString("unlink failed")
	defer C.free(unsafe.Pointer(msg))
	if rc != 0 {
		C.log_errno(msg)                    // want `C.log_errno reads errno in a separate cgo call after C.unlink at line 30.*C.CString at line 31, called in between, may overwrite it`
		return syscall.Errno(C.get_errno()) // want `C.get_errno reads errno in a separate cgo call after C.log_errno at line 34`
	}
	return nil
}

// The C library's errno location, dereferenced.
func closeStale(fd int) error {
	if C.close(C.int(fd)) != 0 {
		return syscall.Errno(*C.__errno_location()) // want `\*C.__errno_location\(\) reads errno in a separate cgo call after C.close at line 42`
	}
	return nil
}

// A library's own errno accessor, known only by its declaration.
func mylibOpen(path string) (int, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	fd := C.mylib_open(cs)
	if fd < 0 {
		return -1, syscall.Errno(C.mylib_errno()) // want `C.mylib_errno reads errno in a separate cgo call after C.mylib_open at line 52`
	}
	return int(fd), nil
}

// The helper logs before it reads errno.
func failLogged() error {
	if C.fail_with(C.EIO) < 0 {
		return syscall.Errno(C.last_error_logged()) // want `C.last_error_logged reads errno in a separate cgo call after C.fail_with at line 61.*C.last_error_logged itself calls printf before reading it`
	}
	return nil
}

// Two calls may have failed; either one's errno may be read.
func eitherStale(a, b string) error {
	ca := C.CString(a)
	defer C.free(unsafe.Pointer(ca))
	cb := C.CString(b)
	defer C.free(unsafe.Pointer(cb))
	var rc C.int
	if len(a) > len(b) {
		rc = C.rmdir(ca)
	} else {
		rc = C.unlink(cb)
	}
	if rc != 0 {
		return syscall.Errno(C.get_errno()) // want `after C.rmdir and C.unlink at lines 75 and 77`
	}
	return nil
}

// lastError reads whatever errno this thread has.
func lastError() error {
	if e := C.get_errno(); e != 0 { // want `C.get_errno reads errno, but no C call in this function set it`
		return syscall.Errno(e)
	}
	return nil
}

// Locking the thread now does not bring back the errno of a call made
// before.
func lockedLastError() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return syscall.Errno(C.get_errno()) // want `C.get_errno reads errno, but no C call in this function set it`
}

// Locked, but C.CString's malloc runs in between.
func lockedStale(path string) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rc := C.fail_with(C.ENOENT)
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if rc < 0 {
		C.log_errno(cs) // want `C.log_errno reads errno in a separate cgo call after C.fail_with at line 105, and C.CString at line 106, called in between, may overwrite it; use the two-value form`
	}
	return nil
}

// The errno read in a loop, after the call in the previous statement.
func drainStale(fds []int) error {
	for _, fd := range fds {
		if C.close(C.int(fd)) < 0 {
			if e := C.get_errno(); e != C.EBADF { // want `C.get_errno reads errno in a separate cgo call after C.close at line 117`
				return syscall.Errno(e)
			}
		}
	}
	return nil
}

// Near misses.

// The two-value form reads errno right after the call.
func failTwoValue() error {
	if r, err := C.fail_with(C.EINVAL); r < 0 {
		return err
	}
	return nil
}

// open_errno reads the errno of its own open, in C.
func openErrno(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if e := C.open_errno(cs); e != 0 {
		return syscall.Errno(e)
	}
	return nil
}

// Writing errno through its location is not reading it.
func resetErrno() {
	*C.__errno_location() = 0
}

// clear_errno writes errno and returns 0: its body reads nothing.
func clearErrno() int {
	C.fail_with(C.EINVAL)
	return int(C.clear_errno())
}

// Locked to its thread, nothing else runs between the call and the read.
func lockedRead() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if C.fail_with(C.EINVAL) < 0 {
		return syscall.Errno(C.get_errno())
	}
	return nil
}

// get_errno's value is thrown away.
func discarded() {
	C.fail_with(C.EINVAL)
	C.get_errno()
}
