// Go structs converted to or from C structs: hand-written mirrors whose
// size, field offsets or field sizes differ from the C layout.
package cgosig

/*
#include "cside.h"
*/
import "C"

import "unsafe"

// Rect mirrors struct rect, but with Go ints for the size.
type Rect struct {
	X, Y int32
	W, H int
}

func rectArea(r Rect) int {
	return int(C.area((*C.struct_rect)(unsafe.Pointer(&r)))) // want `\(\*C\.struct_rect\)\(\.\.\.\) views Go Rect as C struct rect, but the layouts differ: Rect is 24 bytes, C struct rect is 16; Go field W is at offset 8 \(8 bytes\), C field w at offset 8 \(4 bytes\)`
}

// Sample mirrors struct sample, whose id is a C long.
type Sample struct {
	ID    int32
	Kind  int32
	Value float64
}

func sampleID(s *Sample) int {
	return int(C.sample_id((*C.struct_sample)(unsafe.Pointer(s)))) // want `views Go Sample as C struct sample, but the layouts differ: Sample is 16 bytes, C struct sample is 24; Go field ID is at offset 0 \(4 bytes\), C field id at offset 0 \(8 bytes\)`
}

// Header forgets that length is 64 bits.
type Header struct {
	Magic   uint32
	Version uint16
	Flags   uint16
	Length  uint32
}

func headerLength(h *Header) uint64 {
	return uint64(C.header_length((*C.struct_header)(unsafe.Pointer(h)))) // want `Go field Length is at offset 8 \(4 bytes\), C field length at offset 8 \(8 bytes\)`
}

// Padded packs its value right after the tag.
type Padded struct {
	Tag   byte
	Value int32
	_     int32
}

func paddedValue(p *Padded) int64 {
	return int64(C.padded_value((*C.struct_padded)(unsafe.Pointer(p)))) // want `Go field Value is at offset 4 \(4 bytes\), C field value at offset 8 \(8 bytes\)`
}

// The other direction: C memory read through a Go mirror.
func firstSample() Sample {
	cs := C.make_samples(1)
	return *(*Sample)(unsafe.Pointer(cs)) // want `\(\*Sample\)\(\.\.\.\) views C struct sample memory \(cs\) as Go Sample, but the layouts differ`
}

// Named uses a 32-bit length where C has size_t.
type Named struct {
	Name *C.char
	Len  uint32
}

func nameLen(n *Named) int {
	return int(C.name_len((*C.struct_with_ptr)(unsafe.Pointer(n)))) // want `views Go Named as C struct with_ptr, but the layouts differ: Go field Len is at offset 8 \(4 bytes\), C field len at offset 8 \(8 bytes\)`
}

// Tagged puts a float right after the kind, where C has padding before
// the union.
type Tagged struct {
	Kind int32
	N    float32
}

func taggedKind(t *Tagged) int {
	return int(C.tagged_kind((*C.struct_tagged)(unsafe.Pointer(t)))) // want `views Go Tagged as C struct tagged, but the layouts differ: Tagged is 8 bytes, C struct tagged is 16; Go field N is at offset 4 \(4 bytes\), C field n at offset 8 \(8 bytes\)`
}

// Size2D mirrors a typedef'd anonymous struct.
type Size2D struct {
	W, H int64
}

func size2DArea(s Size2D) int {
	return int(C.size_area((*C.size2d)(unsafe.Pointer(&s)))) // want `views Go Size2D as C size2d, but the layouts differ: Size2D is 16 bytes, C size2d is 8`
}

// Near misses: mirrors that match, with explicit padding, a union kept
// as bytes, bit fields kept as one word, embedded C structs, C's own
// types, and conversions between two C types.

type Point struct {
	X, Y int32
}

func pointDistance(p Point) int {
	return int(C.manhattan((*C.struct_point)(unsafe.Pointer(&p))))
}

type Flagged struct {
	Tag   byte
	_     [3]byte
	Value int32
}

func flaggedValue(f *Flagged) int {
	return int(C.flagged_value((*C.struct_flagged)(unsafe.Pointer(f))))
}

type Tagged32 struct {
	Kind int32
	V    [4]byte
}

func tagged32Kind(t *Tagged32) int {
	return int(C.tagged32_kind((*C.struct_tagged32)(unsafe.Pointer(t))))
}

type Bits struct {
	Flags uint32
	Count int32
}

func bitsCount(b *Bits) int {
	return int(C.bits_count((*C.struct_bits)(unsafe.Pointer(b))))
}

type Vec3 struct {
	X, Y, Z float32
}

func vecLen2(v Vec3) float32 {
	return float32(C.vec3_len2((*C.struct_vec3)(unsafe.Pointer(&v))))
}

type Packet struct {
	Hdr     C.struct_header
	Payload [32]byte
}

func packetVersion(p *Packet) int {
	return int(C.packet_version((*C.struct_packet)(unsafe.Pointer(p))))
}

type Stats struct {
	Count C.long
	Total C.long
}

func statsTotal(s *Stats) int {
	return int(C.stats_total((*C.struct_stats)(unsafe.Pointer(s))))
}

type FlexHeader struct {
	N int32
}

func flexN(f *FlexHeader) int {
	return int(C.flex_n((*C.struct_flex)(unsafe.Pointer(f))))
}

func rectCorner(r *C.struct_rect) int {
	// struct rect starts like struct point: a C-to-C view.
	return int(C.manhattan((*C.struct_point)(unsafe.Pointer(r))))
}

type Span struct {
	Start, End int32
	ID         uint64
}

func spanID(s *Span) uint64 {
	return uint64(C.span_id((*C.struct_span)(unsafe.Pointer(s))))
}
