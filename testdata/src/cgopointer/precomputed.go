// A pointer into a struct or array computed before the call and passed
// through a variable. The cgo rules consider only the field or the array
// passed, and so does the run-time check when the address expression is
// written in the call (&c.buf[0], &c.hdr): then cgo checks just that
// array or field. Through a variable, cgo cannot tell, and checks the
// whole allocation the pointer points into; if another field holds a Go
// pointer, the call panics. The fix writes the expression in the call.
package cgopointer

/*
#include "helpers.h"
*/
import "C"

import "unsafe"

// conn is Go state with a buffer C fills and a Go callback.
type conn struct {
	buf    [64]byte
	hdr    C.struct_header
	onData func([]byte)
	n      int
}

func (c *conn) receive() {
	p := &c.buf[0]
	C.fill(unsafe.Pointer(p), C.size_t(len(c.buf))) // want `the pointer passed to C\.fill is p \(p := &c\.buf\[0\] at line 26\), computed before the call, so cgo checks the whole allocation it points into, parameter c \(line 25\), not just field buf; that allocation holds Go pointers \(field onData holds a Go func\)`
	c.onData(c.buf[:])
}

func (c *conn) readHeader() int {
	hdr := unsafe.Pointer(&c.hdr)
	C.read_header(hdr) // want `the pointer passed to C\.read_header is hdr \(hdr := unsafe\.Pointer\(&c\.hdr\) at line 32\), computed before the call, so cgo checks the whole allocation it points into, parameter c \(line 31\), not just field hdr`
	return int(c.hdr.len)
}

// newConn's allocation holds a closure, set here.
func newConnAndFill(cb func([]byte)) *conn {
	c := &conn{onData: cb}
	start := &c.buf[8]
	C.fill(unsafe.Pointer(start), 8) // want `the pointer passed to C\.fill is start \(start := &c\.buf\[8\] at line 40\)`
	return c
}

// Near misses.

// The address written in the call: cgo checks only the array.
func (c *conn) receiveInline() {
	C.fill(unsafe.Pointer(&c.buf[0]), C.size_t(len(c.buf)))
	c.onData(c.buf[:])
}

// The field written in the call: cgo checks only the header.
func (c *conn) readHeaderInline() int {
	C.read_header(unsafe.Pointer(&c.hdr))
	return int(c.hdr.len)
}

// frame holds no Go pointers: checking all of it is harmless.
type frame struct {
	hdr  C.struct_header
	body [32]byte
}

func (f *frame) readBody() {
	p := &f.body[0]
	C.fill(unsafe.Pointer(p), C.size_t(len(f.body)))
}

// An element of a slice the function makes: the allocation is the array
// itself.
func fillSlice(n int) []byte {
	buf := make([]byte, n+1)
	p := &buf[0]
	C.fill(unsafe.Pointer(p), C.size_t(len(buf)))
	return buf
}
