// Out-parameters of the package's own C helpers: the failure constants a
// helper returns before it stores through its out-parameter tell its
// callers that there is nothing to free on those results.
package cgoalloc

/*
#include <stdlib.h>

extern int device_ready(void);
extern long device_fill(char *, size_t);

// Every failure return comes before the store: on -1 and -2, *buf is
// untouched.
static long read_frame(char **buf, size_t n) {
	if (!device_ready())
		return -1;
	if (n > 4096)
		return -2;
	*buf = malloc(n);
	return device_fill(*buf, n);
}

// -1 also after the store: then the frame is the caller's to free.
static long read_frame_late(char **buf, size_t n) {
	if (n > 4096)
		return -1;
	*buf = malloc(n);
	if (device_fill(*buf, n) < 0)
		return -1;
	return (long)n;
}

// read_frame with an unsigned result, tested as a signed one.
static unsigned long read_frame_u(char **buf, size_t n) {
	if (!device_ready())
		return -1;
	if (n > 4096)
		return -2;
	*buf = malloc(n);
	return device_fill(*buf, n);
}
*/
import "C"

import "unsafe"

// Near miss: read_frame returns -1 and -2 only before it stores the
// frame, so on those paths there is nothing to free.
func frame(n int) ([]byte, error) {
	var buf *C.char
	r := C.read_frame(&buf, C.size_t(n))
	switch C.long(r) {
	case -1:
		return nil, errNoMem
	case -2:
		return nil, errRead
	}
	defer C.free(unsafe.Pointer(buf))
	return C.GoBytes(unsafe.Pointer(buf), C.int(n)), nil
}

// A success value is not a failure: the frame was stored.
func frameUnlessEmpty(n int) []byte {
	var buf *C.char
	r := C.read_frame(&buf, C.size_t(n)) // want `memory from C\.read_frame at line 65 leaks on the path that returns at line 67\b`
	if r < 0 || r == 0 {
		return nil
	}
	defer C.free(unsafe.Pointer(buf))
	return C.GoBytes(unsafe.Pointer(buf), C.int(r))
}

// read_frame_late returns -1 after the store too: the frame leaks there.
func frameLate(n int) ([]byte, error) {
	var buf *C.char
	if C.read_frame_late(&buf, C.size_t(n)) == -1 { // want `memory from C\.read_frame_late at line 76 leaks on the path that returns at line 77\b`
		return nil, errNoMem
	}
	defer C.free(unsafe.Pointer(buf))
	return C.GoBytes(unsafe.Pointer(buf), C.int(n)), nil
}

// Near miss: the unsigned result converted to a signed type, as
// clipboard's readc tests it, and read again by a later C call (which
// the processed shape keeps in a variable its wrapper captures).
func frameUnsigned(n int) ([]byte, error) {
	var buf *C.char
	r := C.read_frame_u(&buf, C.size_t(n))
	switch C.long(r) {
	case -1:
		return nil, errNoMem
	case -2:
		return nil, errRead
	}
	defer C.free(unsafe.Pointer(buf))
	return C.GoBytes(unsafe.Pointer(buf), C.int(r)), nil
}
