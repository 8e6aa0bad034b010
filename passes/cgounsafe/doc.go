// Package cgounsafe defines an Analyzer that checks unsafe conversions
// around the cgo boundary that the pointer rules do not cover.
//
// # Analyzer cgounsafe
//
// cgounsafe: check views of C memory, C strings whose length is known, and Go addresses stored as integers for C
//
// cgounsafe reports:
//
// A slice made by converting a pointer to a pointer to a huge array and
// slicing it: the array type's bound, not the data, limits the slice, so
// a length above the bound panics (slice bounds out of range) and the
// bound must fit the address space of every target. The suggested fix
// rewrites the view with unsafe.Slice:
//
//	px := (*[1 << 28]C.int)(unsafe.Pointer(p))[:n:n] // a longer n panics
//	px := unsafe.Slice((*C.int)(unsafe.Pointer(p)), n)
//
// C.GoString of a buffer that a C function filled without a terminating
// NUL while returning the number of bytes it wrote (read, pread, recv,
// recvfrom, readlink, readlinkat, and functions annotated
// ffivet:unterminated arg=N): GoString reads past the bytes written
// until it finds a zero byte somewhere.
//
//	n := C.readlink(path, &buf[0], C.size_t(len(buf)))
//	target := C.GoString(&buf[0]) // use C.GoStringN(&buf[0], C.int(n))
//
// C.GoString of a char pointer field of a C struct that carries the
// length of that field's data in a field named after it (data and
// data_len, name and name_length, key and keylen): the data is counted,
// not terminated, so GoString reads past it.
//
// The address of Go memory stored as an integer in a field of a C
// struct that is then passed to C (an I/O request, an ioctl argument),
// when nothing uses the memory after the store: cgo's check sees an
// integer, and the collector may free the memory before C reads it.
//
//	req.addr = C.uint64_t(uintptr(unsafe.Pointer(&buf[0])))
//	C.submit(&req) // add runtime.KeepAlive(buf) after the call
//
// Not reported: views whose length is a constant, views through arrays
// of a real size (below 65536 elements) and through the largest array a
// 32-bit target allows (MaxInt32 bytes: the idiom caps only data of
// 2 GiB or more), unsafe.Slice; buffers that are
// terminated after the call (buf[n] = 0), that C filled with room left
// for a terminator (len(buf)-1), or whose length the code ignores; C
// functions with a body, which ffivet cannot tell apart from ones that
// terminate; struct fields without a length field named after them;
// addresses stored for C whose memory is used after the call
// (runtime.KeepAlive included), pinned, or C memory.
// Integers converted to unsafe.Pointer and Go pointers converted to
// uintptr as arguments of a C call are reported by cgopointer.
package cgounsafe
