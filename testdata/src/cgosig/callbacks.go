// Exported functions registered as C callbacks, and Go func values passed
// where C wants a function pointer.
package cgosig

/*
#include "cside.h"

// Declared here so that Go can take their addresses as C.goX.
extern void goOnEventWide(void *ctx, long code);
extern int goCompare(void *a, void *b);
extern long goReadAll(void *ctx, char *buf, size_t n);
extern long goReadShort(void *ctx, char *buf, int n);
*/
import "C"

import (
	"reflect"
	"unsafe"
)

//export goOnEventWide
func goOnEventWide(ctx unsafe.Pointer, code C.long) {
	lastEvent = int(code)
}

//export goReadAll
func goReadAll(ctx unsafe.Pointer, buf *C.char, n C.size_t) C.long {
	return C.long(n)
}

//export goReadShort
func goReadShort(ctx unsafe.Pointer, buf *C.char, n C.int) C.long {
	return C.long(n)
}

func listen() {
	C.register_event_cb(C.event_cb(C.goOnEventWide), nil) // want `exported goOnEventWide is registered as event_cb void \(\*\)\(void \*, int\), which disagrees with the Go signature: parameter 2: Go C\.long is 8 bytes, C int is 4`
}

func readShort(ctx unsafe.Pointer) {
	C.register_reader((*[0]byte)(C.goReadShort), ctx) // want `exported goReadShort is registered as parameter 1 of C\.register_reader, long \(\*\)\(void \*, char \*, size_t\), which disagrees with the Go signature: parameter 3: Go C\.int is 4 bytes, C size_t is 8`
}

var onEvent = func(ctx unsafe.Pointer, code C.int) {
	lastEvent = int(code)
}

func listenClosure() {
	C.register_event_cb((*[0]byte)(unsafe.Pointer(&onEvent)), nil) // want `\(\*\[0\]byte\)\(\.\.\.\) converts Go func value onEvent to a C function pointer`
}

func listenReflect(handler func(unsafe.Pointer, C.int)) {
	fp := unsafe.Pointer(reflect.ValueOf(handler).Pointer())
	C.register_event_cb(C.event_cb(fp), nil) // want `C\.event_cb\(\.\.\.\) converts Go func value handler to a C function pointer`
}

// Near misses: callbacks whose Go signatures match the C types.

func sortInts(xs []C.int) {
	C.sort_with(unsafe.Pointer(&xs[0]), C.size_t(len(xs)), C.sizeof_int, C.compare_fn(C.goCompare))
}

func readAll() {
	C.register_reader(C.reader_cb(C.goReadAll), nil)
}
