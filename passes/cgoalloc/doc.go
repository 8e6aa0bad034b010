// Package cgoalloc defines an Analyzer that checks the ownership of C
// memory across the cgo boundary.
//
// # Analyzer cgoalloc
//
// cgoalloc: check that C memory is freed exactly once, with the right deallocator, and not used after
//
// C memory is not collected. Memory from C.CString, C.CBytes, C.malloc,
// and from C functions that return owned memory (strdup, fopen,
// getaddrinfo's out-parameter, a function annotated ffivet:returns-owned,
// or a Go helper that returns such memory) must be released exactly once,
// by the owner, with the deallocator of its family. cgoalloc follows each
// allocation along every path of the function and reports:
//
// A leak on some path, naming the allocation and the return:
//
//	cs := C.CString(name)
//	if name == "" {
//		return errEmpty // memory from C.CString at line 1 leaks on the path that returns at line 3
//	}
//	defer C.free(unsafe.Pointer(cs))
//
// A leak when a loop starts its next iteration, and an allocation passed
// straight to a C function that only reads it:
//
//	C.puts(C.CString(msg)) // passed to C.puts, which does not take ownership, and is never freed
//
// A double free, including an explicit free followed by a deferred one,
// or a free after a helper (Go or C) already freed it; a use after free
// (C.GoString, a load, a C call); freeing memory that is not owned (Go
// memory, memory C returned borrowed such as getenv's, memory a C
// function took ownership of); the wrong deallocator (C.free of a FILE
// from C.fopen); and a deferred free whose argument variable is assigned
// again after the defer statement, so the defer frees the old value.
//
// Memory stored in a field of a local struct variable is followed
// there: a method with a pointer receiver that frees the field (defer
// b.Free()) releases it.
//
// Not reported: memory freed by defer, by a helper, on every branch, in
// the loop body; nil checks after C.malloc; the error path after a Go
// helper returning (p, err) that returns a nil p with every non-nil err;
// memory handed to a C function that frees or keeps it; memory stored in
// a struct whose address goes elsewhere, a global, map or channel,
// returned to the caller, or captured by a finalizer: ownership moved,
// and the new owner is checked instead.
//
// Where the fix is mechanical, the leak carries a suggested fix that
// inserts `defer C.free(unsafe.Pointer(x))` after the allocation.
package cgoalloc
