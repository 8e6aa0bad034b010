// C memory viewed as Go elements of another size: unsafe.Slice, array
// pointer views, and blocks from C.malloc sized for another type.
package cgosig

/*
#include <stdlib.h>
#include "cside.h"
*/
import "C"

import "unsafe"

func loadInts(n int) []int {
	cp := C.make_ints(cLen(n))
	return unsafe.Slice((*int)(unsafe.Pointer(cp)), n) // want `\(\*int\)\(\.\.\.\) reinterprets C memory of cp as Go int: C int is 4 bytes, Go int is 8; use C\.int as the Go element type`
}

func loadWide(n int) []int64 {
	return (*[1 << 28]int64)(unsafe.Pointer(C.make_ints(cLen(n))))[:n:n] // want `reinterprets C memory of C\.make_ints\(cLen\(n\)\) as Go int64: C int is 4 bytes, Go int64 is 8`
}

func loadSamples(n int) []Sample {
	return unsafe.Slice((*Sample)(unsafe.Pointer(C.make_samples(cLen(n)))), n) // want `views C struct sample memory \(C\.make_samples\(cLen\(n\)\)\) as Go Sample, but the layouts differ`
}

func allocPoints(n int) []Point {
	p := (*Point)(C.malloc(C.size_t(n) * C.sizeof_struct_sample)) // want `the block is sized with C\.sizeof_struct_sample \(24 bytes each\) but used as Point \(8 bytes each\)`
	return unsafe.Slice(p, n)
}

func allocCounters() []int32 {
	return unsafe.Slice((*int32)(C.malloc(C.sizeof_long*16)), 16) // want `sized with C\.sizeof_long \(8 bytes each\) but used as int32 \(4 bytes each\)`
}

func allocWeights(n int) []float32 {
	return unsafe.Slice((*float32)(C.calloc(C.size_t(n), C.sizeof_double)), n) // want `sized with C\.sizeof_double \(8 bytes each\) but used as float32`
}

func loadRects(n int) []Rect {
	rs := C.make_rects(cLen(n))
	return (*[1 << 20]Rect)(unsafe.Pointer(rs))[:n:n] // want `views C struct rect memory \(rs\) as Go Rect, but the layouts differ: Rect is 24 bytes, C struct rect is 16`
}

// Near misses.

func loadCInts(n int) []C.int {
	cp := C.make_ints(cLen(n))
	return unsafe.Slice((*C.int)(unsafe.Pointer(cp)), n)
}

func loadInt32s(n int) []int32 {
	cp := C.make_ints(cLen(n))
	return unsafe.Slice((*int32)(unsafe.Pointer(cp)), n)
}

func loadLongs(n int) []C.long {
	return (*[1 << 28]C.long)(unsafe.Pointer(C.make_longs(cLen(n))))[:n:n]
}

func allocPoint() *Point {
	return (*Point)(C.malloc(C.sizeof_struct_point))
}

func rawInts(n int) []byte {
	cp := C.make_ints(cLen(n))
	return unsafe.Slice((*byte)(unsafe.Pointer(cp)), n*4)
}

func allocPacket() *Packet {
	// A header and a payload in one block: not an array of either.
	return (*Packet)(C.malloc(C.sizeof_struct_header + C.sizeof_struct_packet))
}

func loadRectsOK(n int) []C.struct_rect {
	return unsafe.Slice(C.make_rects(cLen(n)), n)
}
