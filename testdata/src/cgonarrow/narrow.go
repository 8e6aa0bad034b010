// Lengths narrowed on their way to C: a buffer of 2 GiB or more passes a
// wrapped length.
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

func writeAll(b []byte) int {
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)))) // want `C\.int\(len\(b\)\) can truncate a length passed to C\.write_buf: Go int is 8 bytes, C int is 4; check len\(b\) <= math\.MaxInt32 before converting`
}

func copyOut(p unsafe.Pointer, n int) []byte {
	return C.GoBytes(p, C.int(n)) // want `C\.int\(n\) can truncate a length passed to C\.GoBytes: Go int is 8 bytes, C int is 4; C\.GoBytes takes a C\.int length`
}

func writeTwice(data []byte) int {
	size := len(data) * 2
	buf := make([]byte, size)
	copy(buf, data)
	copy(buf[len(data):], data)
	return int(C.write_buf(unsafe.Pointer(&buf[0]), C.int(size))) // want `C\.int\(size\) can truncate a length passed to C\.write_buf`
}

func submitPayload(payload []byte) int {
	var d C.struct_buf_desc
	d.data = C.CBytes(payload)
	d.len = C.int(len(payload)) // want `C\.int\(len\(payload\)\) can truncate a length stored in a C struct field`
	defer C.free(d.data)
	return int(C.submit(&d))
}

func writeLength(b []byte, length uint64) int {
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(length))) // want `C\.int\(length\) can truncate a length passed to C\.write_buf: Go uint64 is 8 bytes`
}

func writeVia(b []byte) int {
	n := C.int(len(b)) // want `C\.int\(len\(b\)\) can truncate a length passed to C\.write_buf`
	return int(C.write_buf(unsafe.Pointer(&b[0]), n))
}

func writeCap(b []byte) int {
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(cap(b)))) // want `C\.int\(cap\(b\)\) can truncate`
}

// Near misses.

func sendAll(b []byte) int {
	return int(C.send_all(unsafe.Pointer(&b[0]), C.size_t(len(b))))
}

func writeChecked(b []byte) (int, error) {
	if len(b) > math.MaxInt32 {
		return 0, errTooLong
	}
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b)))), nil
}

func writeEach(bufs [][]byte) int {
	total := 0
	for i := range bufs {
		total += int(C.write_buf(unsafe.Pointer(&bufs[i][0]), C.int(i)))
	}
	return total
}

func writeSmall(b []byte, count int32) int {
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(count)))
}

func localTotal(parts [][]byte) C.int {
	var sum C.int
	for _, p := range parts {
		sum += C.int(len(p))
	}
	return sum
}

func writeClamped(b []byte) int {
	n := min(len(b), math.MaxInt32)
	return int(C.write_buf(unsafe.Pointer(&b[0]), C.int(n)))
}

// A count of Go values C never sees is not a buffer length.
func fetchColumns(stmt unsafe.Pointer, dest []any) int {
	return int(C.write_buf(stmt, C.int(len(dest))))
}

// A length C gave, converted back: it fits.
func textOf(d *C.struct_buf_desc) string {
	n := int(d.len)
	return C.GoStringN((*C.char)(d.data), C.int(n))
}

// A variable called n that C takes as a setting, not a length
// (ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, C.int(n))).
func setWorkers(n int) int {
	return int(C.set_option(7, C.int(n)))
}

// A count of things C takes as a plain number
// (rd_kafka_mock_cluster_new(rk, C.int(brokerCount))).
func startBrokers(brokerCount int) int {
	return int(C.set_option(8, C.int(brokerCount)))
}

// C long is 4 bytes on windows/amd64.
func putLong(b []byte) int {
	return int(C.put_long(unsafe.Pointer(&b[0]), C.long(len(b)))) // want `^on windows/amd64: C\.long\(len\(b\)\) can truncate a length passed to C\.put_long: Go int is 8 bytes, C long is 4; check len\(b\) <= math\.MaxInt32 before converting`
}
