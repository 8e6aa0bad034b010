// Package cgopointerslice is the test corpus of cgopointer's check of
// &v[0] computed before the call for slices the function did not
// allocate. cgo checks the whole allocation such a pointer points into;
// when the slice's backing array is an array field of a struct that
// also holds Go pointers, the call panics with "cgo argument has Go
// pointer to unpinned Go pointer", although the same expression written
// in the call is checked as just the array.
package cgopointerslice

/*
#include <stddef.h>
#include <stdlib.h>

static void consume(void *p, size_t n) { (void)p; (void)n; }
static void fill_bytes(char *p, size_t n) { for (size_t i = 0; i < n; i++) p[i] = 0; }
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"runtime"
	"unsafe"
)

type cgoWriter struct{}

// The writer of golang/go issue #28606: compress/flate calls Write with
// a slice of an array inside its huffmanBitWriter, which holds Go
// pointers, and the call panics.
func (cgoWriter) Write(p []byte) (int, error) {
	ptr := unsafe.Pointer(&p[0])
	C.consume(ptr, C.size_t(len(p))) // want `the pointer passed to C\.consume is ptr \(ptr := unsafe\.Pointer\(&p\[0\]\) at line \d+\), computed before the call, so cgo checks the whole allocation it points into, not just the backing array of parameter p \(line \d+\); that array comes from the caller and may sit inside a struct that holds Go pointers .*; write the address expression in the call itself, after checking the slice is not empty`
	return len(p), nil
}

// golang/go issue #15318: the slice json.Marshal returns is part of
// its encoder's buffer.
func marshalAndSend(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	p := unsafe.Pointer(&b[0])
	C.consume(p, C.size_t(len(b))) // want `the pointer passed to C\.consume is p \(p := unsafe\.Pointer\(&b\[0\]\) at line \d+\), computed before the call, so cgo checks the whole allocation it points into, not just the backing array of`
	return nil
}

// golang/go issue #18184: a []byte taken out of an interface.
func sendValue(val any) {
	b := val.([]byte)
	p := &b[0]
	C.consume(unsafe.Pointer(p), C.size_t(len(b))) // want `the pointer passed to C\.consume is p \(p := &b\[0\] at line \d+\), computed before the call`
}

// golang/go issue #13934 (pebbe/zmq4) and #22788: the bytes of a
// bytes.Buffer, whose array may be part of the Buffer.
func sendBuffer(buf *bytes.Buffer) {
	data := buf.Bytes()
	start := unsafe.Pointer(&data[0])
	C.consume(start, C.size_t(len(data))) // want `the pointer passed to C\.consume is start \(start := unsafe\.Pointer\(&data\[0\]\) at line \d+\), computed before the call`
}

type stream struct {
	pending []byte
	onFlush func()
}

// The reading side of golang/go issue #28606: io's callers hand Read a
// slice of whatever buffer they hold, an array field of their own
// struct among them.
type cgoReader struct{}

func (cgoReader) Read(p []byte) (int, error) {
	ptr := unsafe.Pointer(&p[0])
	C.consume(ptr, C.size_t(len(p))) // want `the pointer passed to C\.consume is ptr \(ptr := unsafe\.Pointer\(&p\[0\]\) at line \d+\), computed before the call`
	return len(p), nil
}

// Near misses.

// The address written in the call: cgo checks only the array.
func writeInline(p []byte) {
	if len(p) == 0 {
		return
	}
	C.consume(unsafe.Pointer(&p[0]), C.size_t(len(p)))
}

// A slice the function makes is an allocation of its own.
func sendCopy(b []byte) {
	tmp := append([]byte(nil), b...)
	p := unsafe.Pointer(&tmp[0])
	C.consume(p, C.size_t(len(tmp)))
}

func sendMade(n int) {
	buf := make([]byte, n+1)
	p := unsafe.Pointer(&buf[0])
	C.consume(p, C.size_t(len(buf)))
}

// A char * parameter cannot hold pointers: cgo does not check it.
func fillChars(p []byte) {
	c := (*C.char)(unsafe.Pointer(&p[0]))
	C.fill_bytes(c, C.size_t(len(p)))
}

// C memory is not checked.
func sendC(n int) {
	mem := unsafe.Slice((*byte)(C.malloc(C.size_t(n+1))), n+1)
	defer C.free(unsafe.Pointer(&mem[0]))
	p := unsafe.Pointer(&mem[0])
	C.consume(p, C.size_t(n))
}

// Pinned by the caller's Pinner: cgo's check accepts pinned memory.
func sendPinned(b []byte) {
	var pin runtime.Pinner
	pin.Pin(&b[0])
	defer pin.Unpin()
	p := unsafe.Pointer(&b[0])
	C.consume(p, C.size_t(len(b)))
}

// A slice field: the package sets it, and nearly always to a buffer of
// its own (DataDog/zstd's compressionBuffer is only ever made, resliced
// or appended to); ffivet does not ask every store to prove otherwise.
func (s *stream) flush() {
	p := unsafe.Pointer(&s.pending[0])
	C.consume(p, C.size_t(len(s.pending)))
	s.onFlush()
}

// A []byte parameter of an ordinary function (h2non/bimg's image
// buffers, go-sqlite3's ResultBlob): its callers pass buffers of their
// own; only io's Read and Write methods are known to receive slices of
// other structs' arrays.
func ResultBlob(b []byte) {
	p := &b[0]
	C.consume(unsafe.Pointer(p), C.size_t(len(b)))
}

// A helper of the same package made the slice; what the package's own
// functions return is its own buffer.
func encode(v int) []byte { return make([]byte, v+1) }

func sendEncoded(v int) {
	b := encode(v)
	p := unsafe.Pointer(&b[0])
	C.consume(p, C.size_t(len(b)))
}
