// Narrowing conversions that cannot truncate, or that convert counts
// rather than byte lengths.
package cgonarrow

/*
#include <stdlib.h>
#include "cside.h"
*/
import "C"

import (
	"math"
	"unsafe"
)

// Element counts: a program does not hold 2³¹ argv entries, iovecs or
// rectangles.
func execArgs(args []string) int {
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		argv[i] = C.CString(a)
	}
	defer func() {
		for _, p := range argv {
			C.free(unsafe.Pointer(p))
		}
	}()
	return int(C.exec_argv(&argv[0], C.int(len(args))))
}

func writeVec(iov []C.struct_iovec) int {
	return int(C.write_vec(&iov[0], C.int(len(iov))))
}

func drawRects(rects []C.struct_rect) int {
	return int(C.draw_rects(&rects[0], C.int(len(rects))))
}

// A thread count and a column index.
func StartThreads(threadCount int) int {
	return int(C.start_threads(C.int(threadCount)))
}

func columnNames(stmt unsafe.Pointer, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = C.GoString(C.column_name(stmt, C.int(i)))
	}
	return names
}

// Bounds the code proves.

// A check with the comparison the other way round, and through a
// conversion.
func writeCheckedMirror(b []byte) (int, error) {
	if math.MaxInt32 < int64(len(b)) {
		return 0, errTooLong
	}
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)))), nil
}

// A condition that holds only when the length fits (the else branch).
func writeElse(b []byte) (int, error) {
	if len(b) >= math.MaxInt32 {
		return 0, errTooLong
	} else {
		return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)))), nil
	}
}

// A guard conditioned on a constant that holds on this target
// (go-sqlite3's `if i64 && len(s) > math.MaxInt32`).
const wide = unsafe.Sizeof(int(0)) > 4

func resultTextChecked(ctx unsafe.Pointer, s string) {
	if wide && len(s) > math.MaxInt32 {
		return
	}
	C.result_text(ctx, (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.int(len(s)))
}

// Inside the branch that tested it.
func writeInside(b []byte) int {
	if len(b) <= 1<<20 {
		return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b))))
	}
	return -1
}

// A clamp.
func writeClampedIf(b []byte) int {
	n := len(b)
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(n)))
}

// A fixed-size buffer, and one made with a bounded length.
func nameFixed(addr unsafe.Pointer) int {
	var host [1025]byte
	return int(C.get_name(addr, (*C.char)(unsafe.Pointer(&host[0])), C.uint32_t(len(host))))
}

func nameMade(addr unsafe.Pointer) int {
	host := make([]byte, 256)
	return int(C.get_name(addr, (*C.char)(unsafe.Pointer(&host[0])), C.uint32_t(len(host))))
}

// A limit the analysis cannot size: the check is there.
func writeUnderLimit(b []byte, limit int) int {
	if len(b) > limit {
		return -1
	}
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b))))
}

// An unexported helper every caller of which passes a bounded buffer
// (the standard library's net.cgoNameinfoPTR), one of them from a loop
// that doubles the size up to a limit.
func nameInfo(addr unsafe.Pointer, b []byte) int {
	return int(C.get_name(addr, (*C.char)(unsafe.Pointer(&b[0])), C.uint32_t(len(b))))
}

func lookupName(addr unsafe.Pointer) []byte {
	var b []byte
	for l := 64; l <= 4096; l *= 2 {
		b = make([]byte, l)
		if nameInfo(addr, b) == 0 {
			break
		}
	}
	return b
}

func lookupFixed(addr unsafe.Pointer) int {
	var host [1025]byte
	return nameInfo(addr, host[:])
}

// A retry closure whose caller bounds the size it is given.
func readGrowing(p unsafe.Pointer) []byte {
	try := func(size int) []byte {
		buf := make([]byte, size)
		if C.write_buf(unsafe.Pointer(&buf[0]), C.int(size)) < 0 {
			return nil
		}
		return buf
	}
	for size := 1024; size < 1<<20; size *= 2 {
		if b := try(size); b != nil {
			return b
		}
	}
	return try(1 << 20)
}

// A value that came from a C int.
func copyBack(d *C.struct_buf_desc) []byte {
	size := int(d.len)
	return C.GoBytes(d.data, C.int(size))
}

// A length masked or reduced below the limit.
func writeMasked(b []byte) int {
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)&0xffff)))
}

func writeMod(b []byte) int {
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)%4096)))
}

// A size-like Go name where C names the parameter as something else.
func SetThreadLimit(p unsafe.Pointer, poolSize int) int {
	return int(C.set_limit(p, C.int(poolSize)))
}

// A buffer trimmed after the loop that bounds it: a reslice does not
// grow it.
func lookupTrimmed(addr unsafe.Pointer) []byte {
	var b []byte
	for l := 64; l <= 4096; l *= 2 {
		b = make([]byte, l)
		if nameTrimmed(addr, b) == 0 {
			break
		}
	}
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	return b
}

func nameTrimmed(addr unsafe.Pointer, b []byte) int {
	return int(C.get_name(addr, (*C.char)(unsafe.Pointer(&b[0])), C.uint32_t(len(b))))
}

// An enumeration named like a size: govips's Size (SizeBoth, SizeUp,
// ...) is the VipsSize option of vips_thumbnail, a choice, not a count.
type Size int

const (
	SizeBoth Size = iota
	SizeUp
	SizeDown
)

func thumbnail(p unsafe.Pointer, size Size) int {
	return int(C.set_buffer_size(p, C.int(size)))
}

// A closure called later sees the value checked before it was written,
// when nothing writes the variable after (godror's setLob:
// checkExec(func() C.int { ... }) under if n < cap(a)).
func setFromReader(read func([]byte) int, run func(func() C.int) int) int {
	var a [1 << 20]byte
	n := read(a[:])
	if n < cap(a) {
		return run(func() C.int {
			return C.write_buf(unsafe.Pointer(&a[0]), C.int(n))
		})
	}
	return 0
}
