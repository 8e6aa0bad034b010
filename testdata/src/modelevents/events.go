// Package modelevents exercises the model's boundary events: each cgo
// call shape, in both the cgo-processed and the raw form, must become the
// same event.
package modelevents

/*
#include <stdlib.h>
#include <errno.h>
#include <string.h>
static int use(const char *s) { return (int)strlen(s); }
static int fail(void) { errno = EINVAL; return -1; }
static void *ident(void *p) { return p; }
*/
import "C"

import "unsafe"

func direct(s string) int {
	cs := C.CString(s)                  // want `event C\.CString\(value\) result`
	n := C.use(cs)                      // want `event C\.use\(value\) result`
	C.free(unsafe.Pointer(cs))          // want `event C\.free\(value\)`
	return int(n)
}

func deferred(s string) {
	cs := C.CString(s)         // want `event C\.CString\(value\) result`
	defer C.free(unsafe.Pointer(cs)) // want `event C\.free\(value\) at-exit`
}

func errnoForm() error {
	_, err := C.fail() // want `event C\.fail\(\) result errno`
	return err
}

func inline(s string) int {
	return int(C.use(C.CString(s))) // want `event C\.use\(value\) result` `event C\.CString\(value\) result`
}

func malloc(n int) unsafe.Pointer {
	p := C.malloc(C.size_t(n)) // want `event C\.malloc\(value\) result`
	return C.ident(p)          // want `event C\.ident\(value\) result`
}

func goBytes(p unsafe.Pointer, n int) []byte {
	return C.GoBytes(p, C.int(n)) // want `event C\.GoBytes\(value, value\) result`
}
