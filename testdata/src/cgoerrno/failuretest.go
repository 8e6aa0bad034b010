package cgoerrno

/*
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "helpers.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"syscall"
	"unsafe"
)

// err tested instead of the result: fopen may leave errno set when it
// succeeds.
func openFile(path string) (*C.FILE, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	mode := C.CString("r")
	defer C.free(unsafe.Pointer(mode))
	f, err := C.fopen(cs, mode)
	if err != nil { // want `err from C.fopen at line 30 is tested as the failure signal without checking the result f: errno is meaningful only when fopen fails \(returns NULL\).*if f == nil`
		return nil, err
	}
	return f, nil
}

// The result is thrown away.
func flush(f *C.FILE) error {
	_, err := C.fflush(f)
	if err != nil { // want `err from C.fflush at line 39 is tested as the failure signal while the result is discarded.*returns nonzero`
		return err
	}
	return nil
}

func writeAll(fd int, b []byte) (int, error) {
	n, err := C.write(C.int(fd), unsafe.Pointer(&b[0]), C.size_t(len(b)))
	if err != nil { // want `err from C.write at line 47 is tested as the failure signal without checking the result n`
		return 0, err
	}
	return int(n), nil
}

func remove(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	_, err := C.unlink(cs)
	return err // want `err from C.unlink at line 57 is returned while the result is discarded`
}

// err logged after the result said the write succeeded.
func writeLogged(fd int, b []byte) (int, error) {
	n, err := C.write(C.int(fd), unsafe.Pointer(&b[0]), C.size_t(len(b)))
	if n < 0 {
		return 0, errShort
	}
	if err != nil { // want `err from C.write at line 63 is tested as the failure signal on the path where the result says the call succeeded`
		logf("write: %v", err)
	}
	return int(n), nil
}

func setenv(k, v string) error {
	ck, cv := C.CString(k), C.CString(v)
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cv))
	_, err := C.setenv(ck, cv, 1)
	return fmt.Errorf("setenv %s: %w", k, err) // want `err from C.setenv at line 77 is passed on while the result is discarded`
}

// "or" instead of "and": a successful fopen with errno set fails here.
func openEither(path string) (*C.FILE, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	mode := C.CString("r")
	defer C.free(unsafe.Pointer(mode))
	f, err := C.fopen(cs, mode)
	if err != nil || f == nil { // want `err from C.fopen at line 87 is tested as the failure signal without checking the result f`
		return nil, err
	}
	return f, nil
}

func mkdirAll(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	_, err := C.mkdir(cs, 0o755)
	if errors.Is(err, syscall.EEXIST) { // want `err from C.mkdir at line 97 is passed on while the result is discarded`
		return nil
	}
	return err
}

func closeFile(f *C.FILE) error {
	if _, err := C.fclose(f); err != nil { // want `err from C.fclose at line 105 is tested as the failure signal while the result is discarded`
		return err
	}
	return nil
}

// An annotated helper: ffivet:sets-errno success=nonneg.
func devRead(fd int, b []byte) (int, error) {
	n, err := C.dev_read(C.int(fd), unsafe.Pointer(&b[0]), C.int(len(b)))
	if err == syscall.EINTR { // want `err from C.dev_read at line 113 is tested as the failure signal without checking the result n.*returns a negative value`
		return 0, nil
	}
	return int(n), nil
}

func alloc(n int) (unsafe.Pointer, error) {
	p, err := C.calloc(1, C.size_t(n))
	if err != nil { // want `err from C.calloc at line 121 is tested as the failure signal without checking the result p`
		return nil, err
	}
	return p, nil
}

func realPath(path string) (string, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	p, err := C.realpath(cs, nil)
	if err != nil { // want `err from C.realpath at line 131 is tested as the failure signal without checking the result p`
		return "", err
	}
	defer C.free(unsafe.Pointer(p))
	return C.GoString(p), nil
}

// The result is checked, then err is returned on the success path too.
func seek(fd int, off int64) error {
	r, err := C.lseek(C.int(fd), C.off_t(off), C.SEEK_SET)
	if r == -1 {
		return fmt.Errorf("lseek: %w", err)
	}
	return err // want `err from C.lseek at line 141 is returned on the path where the result says the call succeeded`
}

// Near misses.

// The result first, then err.
func openChecked(path string) (*C.FILE, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	mode := C.CString("r")
	defer C.free(unsafe.Pointer(mode))
	f, err := C.fopen(cs, mode)
	if f == nil {
		return nil, err
	}
	return f, nil
}

func removeChecked(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	if r, err := C.unlink(cs); r != 0 {
		return err
	}
	return nil
}

func writeChecked(fd int, b []byte) (int, error) {
	n, err := C.write(C.int(fd), unsafe.Pointer(&b[0]), C.size_t(len(b)))
	if n < 0 {
		return 0, err
	}
	return int(n), nil
}

// Both must say failure.
func openBoth(path string) (*C.FILE, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	mode := C.CString("r")
	defer C.free(unsafe.Pointer(mode))
	f, err := C.fopen(cs, mode)
	if err != nil && f == nil {
		return nil, err
	}
	if f == nil {
		return nil, errUnknown
	}
	return f, nil
}

// The result and err go back together: the caller decides.
func readRaw(fd int, b []byte) (int, error) {
	n, err := C.read(C.int(fd), unsafe.Pointer(&b[0]), C.size_t(len(b)))
	return int(n), err
}

// read fails with exactly -1.
func readMinus1(fd int, b []byte) (int, error) {
	n, err := C.read(C.int(fd), unsafe.Pointer(&b[0]), C.size_t(len(b)))
	if n == -1 {
		return -1, err
	}
	return int(n), nil
}

// err examined only once the result said the read failed.
func readRetry(fd int, b []byte) (int, error) {
	for {
		n, err := C.read(C.int(fd), unsafe.Pointer(&b[0]), C.size_t(len(b)))
		if n < 0 {
			if err == syscall.EINTR {
				continue
			}
			return 0, err
		}
		return int(n), nil
	}
}

// strtol reports errors only through errno: testing err is the
// documented way.
func parseInt(s string) (int64, error) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	v, err := C.strtol(cs, nil, 10)
	if err != nil {
		return 0, err
	}
	return int64(v), nil
}

// readdir: NULL is both the end and an error; errno tells them apart.
func countEntries(d *C.DIR) (int, error) {
	n := 0
	for {
		ent, err := C.readdir(d)
		if ent == nil {
			if err != nil {
				return n, err
			}
			return n, nil
		}
		n++
	}
}

// The result is kept in a variable a closure reads: its tests are out
// of sight.
func statCaptured(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	var st C.struct_stat
	r, err := C.stat(cs, &st)
	failed := func() bool { return r != 0 }
	if failed() {
		return err
	}
	return nil
}

// The errno is thrown away.
func closeQuiet(fd int) {
	r, _ := C.close(C.int(fd))
	if r != 0 {
		logf("close failed")
	}
}

// A bug seen in practice: when TZ names a zone that has no file,
// localtime falls back to UTC and succeeds, leaving errno at ENOENT, so
// this fails on every call.
func localTime(t int64) (*C.struct_tm, error) {
	ct := C.time_t(t)
	tm, err := C.localtime(&ct)
	if err != nil { // want `err from C.localtime at line \d+ is tested as the failure signal without checking the result tm`
		return nil, err
	}
	return tm, nil
}
