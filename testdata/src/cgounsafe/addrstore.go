package cgounsafe

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// An I/O request that carries its buffer as an integer, as io_uring's
// submission entries and many ioctl arguments do.
struct io_req {
	int fd;
	uint64_t addr;
	uint32_t len;
};

static int submit(struct io_req *r) { memset((void *)(uintptr_t)r->addr, 0, r->len); return (int)r->len; }
static int submit_copy(struct io_req r) { return (int)r.len; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// The buffer's only reference after the store is the integer: the
// collector may free it before C writes to it (agnivade/frodo issue #2;
// cilium/cilium PR #10168 protected every such uintptr with
// runtime.KeepAlive; intel/goresctrl PR #207 for ioctl arguments).
func readInto(fd C.int, n int) C.int {
	buf := make([]byte, n)
	var req C.struct_io_req
	req.fd = fd
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0]))) // want `the address of Go memory, make\(\[\]byte, \.\.\.\) \(line \d+\), is stored as an integer in field addr of C\.struct_io_req, which is passed to C\.submit at line \d+: .*pin it with a runtime\.Pinner until C is done, use C memory, or, for heap memory, keep it alive with runtime\.KeepAlive after the call`
	req.len = C.uint32_t(n)
	return C.submit(&req)
}

func writeFrom(fd C.int, data []byte) C.int {
	req := C.struct_io_req{fd: fd, len: C.uint32_t(len(data))}
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&data[0]))) // want `the address of Go memory, parameter data \(line \d+\), is stored as an integer in field addr of C\.struct_io_req, which is passed to C\.submit`
	return C.submit(&req)
}

type ioHeader struct{ kind, size int32 }

func sendHeader(fd C.int) C.int {
	h := &ioHeader{kind: 1, size: 8}
	var req C.struct_io_req
	req.fd = fd
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(h))) // want `the address of Go memory, the composite literal \(line \d+\), is stored as an integer in field addr`
	req.len = C.uint32_t(unsafe.Sizeof(*h))
	return C.submit(&req)
}

func readSmall(fd C.int) C.int {
	var buf [256]byte
	var req C.struct_io_req
	req.fd = fd
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0]))) // want `the address of Go memory, .*buf.*, is stored as an integer in field addr of C\.struct_io_req, which is passed to C\.submit`
	req.len = C.uint32_t(len(buf))
	return C.submit(&req)
}

// The request itself in C memory.
func readIntoCRequest(fd C.int, n int) C.int {
	buf := make([]byte, n)
	req := (*C.struct_io_req)(C.malloc(C.sizeof_struct_io_req))
	defer C.free(unsafe.Pointer(req))
	req.fd = fd
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0]))) // want `the address of Go memory, make\(\[\]byte, \.\.\.\) \(line \d+\), is stored as an integer in field addr of C\.struct_io_req, which is passed to C\.submit`
	req.len = C.uint32_t(n)
	return C.submit(req)
}

// Near misses.

// runtime.KeepAlive after the call keeps the buffer alive.
func readKeptAlive(fd C.int, n int) C.int {
	buf := make([]byte, n)
	var req C.struct_io_req
	req.fd = fd
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0])))
	req.len = C.uint32_t(n)
	r := C.submit(&req)
	runtime.KeepAlive(buf)
	return r
}

// The buffer is used after the call.
func readAndReturn(fd C.int, n int) []byte {
	buf := make([]byte, n)
	var req C.struct_io_req
	req.fd = fd
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0])))
	req.len = C.uint32_t(n)
	got := C.submit(&req)
	return buf[:got]
}

// C memory needs nothing.
func readIntoC(fd C.int, n int) C.int {
	buf := C.malloc(C.size_t(n))
	defer C.free(buf)
	var req C.struct_io_req
	req.fd = fd
	req.addr = C.uint64_t(uintptr(buf))
	req.len = C.uint32_t(n)
	return C.submit(&req)
}

// Pinned for the call.
func readPinned(fd C.int, buf []byte) C.int {
	var pin runtime.Pinner
	pin.Pin(&buf[0])
	defer pin.Unpin()
	var req C.struct_io_req
	req.fd = fd
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0])))
	req.len = C.uint32_t(len(buf))
	return C.submit(&req)
}

// A request that never reaches C.
func describe(buf []byte) uint64 {
	var req C.struct_io_req
	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0])))
	return uint64(req.addr)
}
