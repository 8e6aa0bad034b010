package cgounsafe

/*
#include <stdint.h>
#include <stdlib.h>

typedef struct sample { int32_t id; double value; } sample;

static int *make_ints(int n) { return calloc(n, sizeof(int)); }
static sample *make_samples(int n) { return calloc(n, sizeof(sample)); }
static uint8_t *buffer_data(size_t *size) { *size = 16; return calloc(16, 1); }
*/
import "C"

import (
	"math"
	"unsafe"
)

// golongtail's NativeBuffer.ToBuffer viewed a buffer through
// (*[1 << 30]byte) and panicked on a 1 GB store index
// (DanEngelbrecht/golongtail PR #231).
func bufferBytes() []byte {
	var size C.size_t
	p := C.buffer_data(&size)
	return (*[1 << 30]byte)(unsafe.Pointer(p))[:size:size] // want `\(\*\[1 << 30\]byte\)\(\.\.\.\)\[:size\] views the memory at unsafe\.Pointer\(p\) through an array of 1073741824 elements: the array type, not the data, bounds the slice, so a length size above 1073741824 panics \(slice bounds out of range\); use unsafe\.Slice\(\(\*byte\)\(unsafe\.Pointer\(p\)\), size\)`
}

// filecoin-ffi's blockstore callbacks viewed C arrays through
// (*[MAX_LEN]C.int32_t) (filecoin-project/filecoin-ffi PR #338).
const maxLen = 1 << 28

func lengths(p *C.int32_t, n C.int) []C.int32_t {
	return (*[maxLen]C.int32_t)(unsafe.Pointer(p))[:n:n] // want `\(\*\[maxLen\]C\.int32_t\)\(\.\.\.\)\[:n\] views the memory at unsafe\.Pointer\(p\) through an array of 268435456 elements`
}

// wasmtime-go's Memory.UnsafeData used a (*[1 << 31]byte) view whose
// bound overflowed 32-bit targets (bytecodealliance/wasmtime-go PR
// #200).
func ints(n int) []C.int {
	cp := C.make_ints(C.int(n))
	return (*[1 << 28]C.int)(unsafe.Pointer(cp))[0:n] // want `views the memory at unsafe\.Pointer\(cp\) through an array of 268435456 elements: .*\(slice bounds out of range\); use`
}

func samples(n int) []C.sample {
	rs := C.make_samples(C.int(n))
	view := (*[1 << 20]C.sample)(unsafe.Pointer(rs))[:n:n] // want `\(\*\[1 << 20\]C\.sample\)\(\.\.\.\)\[:n\] views the memory at unsafe\.Pointer\(rs\) through an array of 1048576 elements`
	return view
}

// wasmtime-go's Memory.UnsafeData viewed memory through (*[1 << 31]byte),
// a type larger than a 32-bit target allows (bytecodealliance/wasmtime-go
// PR #200).
func unsafeData(p unsafe.Pointer, n uintptr) []byte {
	return (*[1 << 31]byte)(p)[:n:n] // want `views the memory at p through an array of 2147483648 elements: .* \(slice bounds out of range\) and the array type does not fit a 32-bit target`
}

// Near misses.

// unsafe.Slice is what the fix writes.
func intsSlice(n int) []C.int {
	return unsafe.Slice(C.make_ints(C.int(n)), n)
}

// A constant length is checked against the bound when compiling.
func firstFour() []C.int {
	cp := C.make_ints(4)
	return (*[1 << 28]C.int)(unsafe.Pointer(cp))[:4:4]
}

// An array of a real size: the bound is the buffer's size.
func header(p unsafe.Pointer, n int) []byte {
	return (*[64]byte)(p)[:n:n]
}

// A pointer to a huge array that is indexed, not sliced.
func third(p unsafe.Pointer) C.int {
	return (*[1 << 28]C.int)(p)[2]
}

// A slice of an ordinary Go array.
func prefix(a *[1 << 20]byte, n int) []byte {
	return a[:n]
}

// miekg/pkcs11's memBytes after PR #192, and go-sqlite3's argv views:
// the largest array a 32-bit target allows is the idiom for a view of
// any length; it caps only data of 2 GiB or more.
func memBytes(p unsafe.Pointer, n uintptr) []byte {
	const maxIndex int32 = (1 << 31) - 1
	return (*[maxIndex]byte)(p)[:n:n]
}

func args(argv unsafe.Pointer, argc C.int) []*C.char {
	return (*[(math.MaxInt32 - 1) / unsafe.Sizeof((*C.char)(nil))]*C.char)(argv)[:argc:argc]
}
