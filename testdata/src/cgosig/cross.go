// Mirrors and views that match on linux/amd64 but not on every target
// the file builds for: C long is 4 bytes on linux/386 and windows/amd64,
// and 64-bit integers are 4-aligned in structs on 386.
package cgosig

/*
#include "cside.h"
*/
import "C"

import "unsafe"

// Entry mirrors struct entry with a Go int64 for the C long.
type Entry struct {
	Key   int32
	Value int64
}

func entryValue(e *Entry) int64 {
	return int64(C.entry_value((*C.struct_entry)(unsafe.Pointer(e)))) // want `^on linux/386 and windows/amd64: \(\*C\.struct_entry\)\(\.\.\.\) views Go Entry as C struct entry, but the layouts differ: Entry is 12 bytes, C struct entry is 8; Go field Value is at offset 4 \(8 bytes\), C field value at offset 4 \(4 bytes\)`
}

func sumLongs(xs []int64) int64 {
	return int64(C.sum_longs((*C.long)(unsafe.Pointer(&xs[0])), C.size_t(len(xs)))) // want `^on linux/386 and windows/amd64: \(\*C\.long\)\(\.\.\.\) reinterprets Go memory of xs as C long: Go int64 is 8 bytes, C long is 4`
}

func sumGoInts(xs []int) int64 {
	return int64(C.sum_longs((*C.long)(unsafe.Pointer(&xs[0])), C.size_t(len(xs)))) // want `^on windows/amd64: \(\*C\.long\)\(\.\.\.\) reinterprets Go memory of xs as C long: Go int is 8 bytes, C long is 4`
}

// Named64 holds size_t in a uint64, which is right only where size_t is
// 64 bits.
type Named64 struct {
	Name uintptr
	Len  uint64
}

func nameLen64(n *Named64) int {
	return int(C.name_len((*C.struct_with_ptr)(unsafe.Pointer(n)))) // want `^on linux/386: \(\*C\.struct_with_ptr\)\(\.\.\.\) views Go Named64 as C struct with_ptr, but the layouts differ: Named64 is 12 bytes, C struct with_ptr is 8`
}

// PaddedOK pads the tag to 8 bytes, as on 64-bit targets; on 386 an
// int64_t is 4-aligned in a struct and C has 3 bytes of padding.
type PaddedOK struct {
	Tag   byte
	_     [7]byte
	Value int64
}

func paddedValue64(p *PaddedOK) int64 {
	return int64(C.padded_value((*C.struct_padded)(unsafe.Pointer(p)))) // want `^on linux/386: \(\*C\.struct_padded\)\(\.\.\.\) views Go PaddedOK as C struct padded, but the layouts differ: PaddedOK is 16 bytes, C struct padded is 12; Go field Value is at offset 8 \(8 bytes\), C field value at offset 4 \(8 bytes\)`
}

// TaggedUnion keeps the union as bytes after 64-bit padding; on 386 the
// union, aligned as its double, starts at 4.
type TaggedUnion struct {
	Kind int32
	_    [4]byte
	N    [8]byte
}

func taggedKindUnion(t *TaggedUnion) int {
	return int(C.tagged_kind((*C.struct_tagged)(unsafe.Pointer(t)))) // want `^on linux/386: .*views Go TaggedUnion as C struct tagged, but the layouts differ: TaggedUnion is 16 bytes, C struct tagged is 12; Go field N is at offset 8 \(8 bytes\), C field n at offset 4 \(8 bytes\)`
}

// Near misses: C's own types follow C on every target, and fixed-width
// types agree everywhere.

type EntryOK struct {
	Key   C.int
	Value C.long
}

func entryValueOK(e *EntryOK) int64 {
	return int64(C.entry_value((*C.struct_entry)(unsafe.Pointer(e))))
}

func sumFixed(xs []int64) int64 {
	return int64(C.sum_i64((*C.int64_t)(unsafe.Pointer(&xs[0])), C.size_t(len(xs))))
}

type HeaderOK struct {
	Magic   uint32
	Version uint16
	Flags   uint16
	Length  uint64
}

func headerLengthOK(h *HeaderOK) uint64 {
	return uint64(C.header_length((*C.struct_header)(unsafe.Pointer(h))))
}
