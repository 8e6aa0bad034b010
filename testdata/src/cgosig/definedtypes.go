// Go types defined from C types (type SizeT C.size_t) have the C type's
// size on every target, not the size of the Go type cgo generated for
// the host: size_t and uintptr_t are 4 bytes on linux/386, long is 4
// bytes on linux/386 and windows/amd64.
package cgosig

/*
#include "cside.h"
*/
import "C"

import (
	"unsafe"

	"cgosigplain"
	"cgosigtypes"
)

type CLong C.long // want CLong:"defined from C long"

type LongCount CLong // want LongCount:"defined from C long"

// int64_t is 8 bytes everywhere; a C long is not.
func sumCLongs(xs []CLong) int64 {
	return int64(C.sum_i64((*C.int64_t)(unsafe.Pointer(&xs[0])), C.size_t(len(xs)))) // want `^on linux/386 and windows/amd64: \(\*C\.int64_t\)\(\.\.\.\) reinterprets Go memory of xs as C int64_t: Go CLong is 4 bytes, C int64_t is 8`
}

// The same through a second definition.
func sumLongCounts(xs []LongCount) int64 {
	return int64(C.sum_i64((*C.int64_t)(unsafe.Pointer(&xs[0])), C.size_t(len(xs)))) // want `^on linux/386 and windows/amd64: .* reinterprets Go memory of xs as C int64_t: Go LongCount is 4 bytes, C int64_t is 8`
}

// A type of another package, defined from uintptr_t there.
func sumHandles(hs []cgosigtypes.Handle) int64 {
	return int64(C.sum_i64((*C.int64_t)(unsafe.Pointer(&hs[0])), C.size_t(len(hs)))) // want `^on linux/386: .* reinterprets Go memory of hs as C int64_t: Go cgosigtypes\.Handle is 4 bytes, C int64_t is 8`
}

// Near misses: a C long viewed as C long, and size_t mirrored with the
// Go types defined from size_t, match on every target, though the Go
// types cgo generated for the host (int64, uint64) would not.

func sumCLongsOK(xs []CLong) int64 {
	return int64(C.sum_longs((*C.long)(unsafe.Pointer(&xs[0])), C.size_t(len(xs))))
}

type SizeT C.size_t // want SizeT:"defined from C size_t"

type NameSpan struct {
	Name uintptr
	Len  SizeT
}

func nameSpanLen(n *NameSpan) int {
	return int(C.name_len((*C.struct_with_ptr)(unsafe.Pointer(n))))
}

type ImportedSpan struct {
	Name uintptr
	Len  cgosigtypes.SizeT
}

func importedSpanLen(n *ImportedSpan) int {
	return int(C.name_len((*C.struct_with_ptr)(unsafe.Pointer(n))))
}

type CountedSpan struct {
	Name uintptr
	Len  cgosigtypes.Count
}

func countedSpanLen(n *CountedSpan) int {
	return int(C.name_len((*C.struct_with_ptr)(unsafe.Pointer(n))))
}

// Through a package without cgo.
type PlainSpan struct {
	Name uintptr
	Len  cgosigplain.Length
}

func plainSpanLen(n *PlainSpan) int {
	return int(C.name_len((*C.struct_with_ptr)(unsafe.Pointer(n))))
}
