// Go memory reinterpreted as a C scalar of another size: the pointer
// conversion compiles, and C reads the wrong elements.
package cgosig

/*
#include "cside.h"
*/
import "C"

import "unsafe"

func sumInts(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	return int(C.sum_ints((*C.int)(unsafe.Pointer(&xs[0])), cLen(len(xs)))) // want `\(\*C\.int\)\(\.\.\.\) reinterprets Go memory of xs as C int: Go int is 8 bytes, C int is 4; give the Go side elements of type C\.int`
}

func sumCounters(counters []int64) int {
	p := unsafe.Pointer(&counters[0])
	return int(C.sum_ints((*C.int)(p), 4)) // want `reinterprets Go memory of counters as C int: Go int64 is 8 bytes, C int is 4`
}

func markAll(flags []bool) {
	C.set_flags((*C._Bool)(unsafe.Pointer(&flags[0])), cLen(len(flags)))
	C.sum_ints((*C.int)(unsafe.Pointer(&flags[0])), 1) // want `reinterprets Go memory of flags as C int: Go bool is 1 bytes, C int is 4`
}

func firstEight() [8]int {
	var a [8]int
	C.fill_eight((*C.int)(unsafe.Pointer(&a))) // want `reinterprets Go memory of a as C int: Go int is 8 bytes, C int is 4`
	return a
}

func count() int {
	var n int
	C.get_count((*C.int)(unsafe.Pointer(&n))) // want `reinterprets Go memory of n as C int: Go int is 8 bytes, C int is 4; declare n as C\.int`
	return n
}

func setReady() bool {
	var ready int
	C.set_flag((*C._Bool)(unsafe.Pointer(&ready))) // want `reinterprets Go memory of ready as C _Bool: Go int is 8 bytes, C _Bool is 1`
	return ready != 0
}

func total(weights []float32) float64 {
	return float64(C.sum_doubles((*C.double)(unsafe.Pointer(&weights[0])), cLen(len(weights)))) // want `reinterprets Go memory of weights as C double: Go float32 is 4 bytes, C double is 8`
}

func sumPorts(ports []uint16) uint {
	return uint(C.sum_uints((*C.uint)(unsafe.Pointer(unsafe.SliceData(ports))), cLen(len(ports)))) // want `reinterprets Go memory of ports as C unsigned int: Go uint16 is 2 bytes`
}

// Near misses: element types that match C's on every target, byte views,
// and Go slices of C's own types.

func sumCInts(xs []C.int) int {
	return int(C.sum_ints(&xs[0], cLen(len(xs))))
}

func sumCIntsView(xs []C.int) int {
	return int(C.sum_ints((*C.int)(unsafe.Pointer(&xs[0])), cLen(len(xs))))
}

func sumInt32s(xs []int32) int {
	return int(C.sum_ints((*C.int)(unsafe.Pointer(&xs[0])), cLen(len(xs))))
}

func sendBytes(b []byte) int {
	return int(C.write_buf(unsafe.Pointer(&b[0]), 16))
}

func markAllBools(flags []bool) {
	C.set_flags((*C._Bool)(unsafe.Pointer(&flags[0])), cLen(len(flags)))
}

func sumWide(xs []int64) int64 {
	return int64(C.sum_i64((*C.int64_t)(unsafe.Pointer(&xs[0])), C.size_t(len(xs))))
}

func sumFloat64s(xs []float64) float64 {
	return float64(C.sum_doubles((*C.double)(unsafe.Pointer(&xs[0])), cLen(len(xs))))
}
