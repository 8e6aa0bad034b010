// Byte lengths that can exceed the C type: shapes the code does not
// bound, or bounds too loose for it.
package cgonarrow

/*
#include <stdlib.h>
#include "cside.h"
*/
import "C"

import (
	"strings"
	"unsafe"
)

// A loop that stops at an empty query bounds nothing from above
// (go-sqlite3's exec path).
func execAll(db unsafe.Pointer, query string) {
	for len(query) > 0 {
		pquery := C.CString(query)
		var tail *C.char
		C.prepare(db, pquery, C.int(len(query)), &tail) // want `C\.int\(len\(query\)\) can truncate a length passed to C\.prepare: Go int is 8 bytes, C int is 4; check len\(query\) <= math\.MaxInt32 before converting`
		C.free(unsafe.Pointer(pquery))
		query = strings.TrimSpace(C.GoString(tail))
	}
}

// A string's bytes handed over with its length.
func resultText(ctx unsafe.Pointer, s string) {
	C.result_text(ctx, (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.int(len(s))) // want `C\.int\(len\(s\)\) can truncate a length passed to C\.result_text`
}

// A limit above what C int holds does not help.
func writeLimited(b []byte) int {
	if len(b) > 64<<30 {
		return -1
	}
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)))) // want `C\.int\(len\(b\)\) can truncate a length passed to C\.write_buf: Go int is 8 bytes, C int is 4; the check at line 35 lets through values up to 68719476736; compare with math\.MaxInt32 instead`
}

// A terminator added to a length.
func writeTerminated(s string) int {
	buf := C.CString(s)
	defer C.free(unsafe.Pointer(buf))
	return int(C.write_buf(unsafe.Pointer(buf), C.int(len(s)+1))) // want `C\.int\(len\(s\) \+ 1\) can truncate a length passed to C\.write_buf`
}

// A size of unknown origin where C takes a byte count.
func OpenDead(linkType, captureLength int) int {
	return int(C.open_dead(C.int(linkType), C.int(captureLength))) // want `C\.int\(captureLength\) can truncate a length passed to C\.open_dead`
}

func SetBufferSize(p unsafe.Pointer, bufferSize int) int {
	return int(C.set_buffer_size(p, C.int(bufferSize))) // want `C\.int\(bufferSize\) can truncate a length passed to C\.set_buffer_size`
}

// n where C's parameter is n.
func ZeroBlob(ctx unsafe.Pointer, n int) {
	C.zero_blob(ctx, C.int(n)) // want `C\.int\(n\) can truncate a length passed to C\.zero_blob`
}

// A length stored into a C struct's uint32_t.
func writeHeader(data []byte) int {
	var h C.struct_hdr
	h.caplen = C.uint32_t(len(data)) // want `C\.uint32_t\(len\(data\)\) can truncate a length stored in a C struct field: Go int is 8 bytes, C uint32_t is 4; check len\(data\) <= math\.MaxUint32 before converting`
	return int(C.write_hdr(&h, unsafe.Pointer(&data[0])))
}

// Elements times their size is a number of bytes.
func writeInts(xs []int64) int {
	return int(C.write_buf(unsafe.Pointer(&xs[0]), C.int(len(xs)*8))) // want `C\.int\(len\(xs\) \* 8\) can truncate a length passed to C\.write_buf`
}

// An unexported helper one of whose callers passes a buffer of any
// size.
func nameInto(addr unsafe.Pointer, b []byte) int {
	return int(C.get_name(addr, (*C.char)(unsafe.Pointer(&b[0])), C.uint32_t(len(b)))) // want `C\.uint32_t\(len\(b\)\) can truncate a length passed to C\.get_name`
}

func nameSmall(addr unsafe.Pointer) int {
	return nameInto(addr, make([]byte, 1025))
}

func nameAny(addr unsafe.Pointer, buf []byte) int {
	return nameInto(addr, buf)
}

// A clamp whose limit is too large.
func writeClampedHigh(b []byte) int {
	n := len(b)
	if n > 1<<40 {
		n = 1 << 40
	}
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(n))) // want `C\.int\(n\) can truncate a length passed to C\.write_buf: .*the check at line 91 lets through values up to 1099511627776`
}

// A check that a later write undoes.
func writeRechecked(b, more []byte) int {
	if len(b) > 1<<20 {
		return -1
	}
	b = append(b, more...)
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)))) // want `C\.int\(len\(b\)\) can truncate a length passed to C\.write_buf`
}

// A C declaration without parameter names leaves the Go name to say
// what the number is (pcap_open_dead(int, int)).
func OpenDeadUnnamed(linkType, snapLength int) int {
	return int(C.open_dead_unnamed(C.int(linkType), C.int(snapLength))) // want `C\.int\(snapLength\) can truncate a length passed to C\.open_dead_unnamed`
}

// A reslice of a buffer does not bound it.
func writeResliced(b []byte, i int) int {
	b = b[:i]
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)))) // want `C\.int\(len\(b\)\) can truncate a length passed to C\.write_buf`
}

// The same closure, but n is written after the closure is made: when
// the closure runs, the check before it no longer holds.
func setFromReaderLater(read func([]byte) int, run func(func() C.int) int, b []byte) int {
	n := read(b)
	if n >= 1<<31-1 {
		return 0
	}
	f := func() C.int {
		return C.write_buf(unsafe.Pointer(&b[0]), C.int(n)) // want `C\.int\(n\) can truncate a length passed to C\.write_buf`
	}
	n = len(b)
	return run(f)
}
