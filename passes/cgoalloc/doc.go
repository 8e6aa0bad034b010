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
// again after the defer statement, so the defer frees the old value, or
// is still nil at the defer and filled by a C call through its address
// afterwards, so the defer frees nil:
//
//	var out *C.double
//	defer C.free(unsafe.Pointer(out)) // the deferred C.free ... frees out while it is still nil, ...
//	C.getpoint(img, &out)
//
// A field freed twice across the methods of its type: a method that
// frees a field and leaves it set, followed on every path by another
// call that frees the same field.
//
//	l.Destroy() // frees l.ptr, does not set it to nil
//	l.Close()   // field ptr is freed twice: (*Link).Destroy at line 1 frees it and leaves it set, ...
//
// A deferred free of memory the function also stores in a struct its
// caller gets (the struct it returns, or one a pointer parameter points
// to): the caller receives a dangling pointer, since a store into a
// struct does not hand the memory over.
//
//	cs := C.CString(name)
//	defer C.free(unsafe.Pointer(cs)) // memory from C.CString ... is freed by this deferred C.free when the function returns
//	specs.name = cs
//	return &specs
//
// A deferred call given a slice whose elements it frees, when the slice
// is appended to after the defer statement: the call got the slice's
// length at the defer, and the appended memory leaks.
//
// A finalizer (runtime.SetFinalizer) or cleanup (runtime.AddCleanup)
// that frees memory Go does not own: memory a C function took ownership
// of, memory a C function returned that the library owns, or a pointer
// C passed to an //export'ed function, which C lends only for the call
// (also when the exported function hands it to a Go function of the
// package that wraps it). The free is a double free or frees memory C
// still uses; wrap such memory without a finalizer, or copy it into
// memory the object owns.
//
//	v := &Version{s: C.version_string()} // a const char * getter
//	runtime.SetFinalizer(v, func(v *Version) { C.free(unsafe.Pointer(v.s)) }) // the finalizer set here frees field s of *Version, memory C.version_string returned at line 1, which the C library owns: ...
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
// and the new owner is checked instead. A finalizer is reported only
// when the origin of what it frees is certain: memory the constructor
// allocated, memory from a C function nothing is known about, from
// another Go function, or in a field that a setter or method of the
// package may replace is not reported, nor is a finalizer the function
// also removes (runtime.SetFinalizer(obj, nil)) or a cleanup whose
// handle it keeps.
//
// Where the fix is mechanical, the leak carries a suggested fix that
// inserts `defer C.free(unsafe.Pointer(x))` after the allocation.
package cgoalloc
