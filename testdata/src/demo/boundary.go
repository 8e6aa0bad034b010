package demo

/*
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>

static int open_ro(const char *path) { return open(path, O_RDONLY); }
static int last_error(void) { return errno; }

// A registry that keeps what it is given until it is replaced.
static void *registered;
static void register_item(void *p) { registered = p; }

static void count_items(int *n) { *n = 3; }

static int use_handle(uintptr_t h) { return h != 0; }

static unsigned checksum(const unsigned char *p, int n) {
	unsigned sum = 0;
	for (int i = 0; i < n; i++) sum += p[i];
	return sum;
}
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"syscall"
	"unsafe"
)

// OpenFile reads errno in a second C call: by then the goroutine may run
// on another thread, whose errno belongs to someone else.
func OpenFile(name string) (int, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	fd := C.open_ro(cname)
	if fd < 0 {
		return -1, syscall.Errno(C.last_error())
	}
	return int(fd), nil
}

type item struct {
	name string
	next *item
}

// Register hands C a Go struct that holds Go pointers, and C keeps it.
func Register(it *item) {
	C.register_item(unsafe.Pointer(it))
}

// Count lets C write a 4-byte int into an 8-byte Go int.
func Count() int {
	var n int
	C.count_items((*C.int)(unsafe.Pointer(&n)))
	return n
}

// Checksum hands C the length of b as an int: from 2 GiB on it wraps.
func Checksum(b []byte) uint {
	return uint(C.checksum((*C.uchar)(unsafe.Pointer(&b[0])), C.int(len(b))))
}

// Lookup passes v to C as a handle for the call, and forgets to delete
// the handle on the error path.
func Lookup(v any) (int, error) {
	h := cgo.NewHandle(v)
	if v == nil {
		return 0, errors.New("nil value")
	}
	defer h.Delete()
	return int(C.use_handle(C.uintptr_t(h))), nil
}

// Contents views n bytes of C memory through an array type of 1 GiB:
// a larger buffer panics.
func Contents(p unsafe.Pointer, n int) []byte {
	return (*[1 << 30]byte)(p)[:n:n]
}
