// Package cgopointer defines an Analyzer that checks the rules for
// passing Go pointers to C.
//
// # Analyzer cgopointer
//
// cgopointer: check that Go pointers cross into C only as the cgo pointer rules allow
//
// Go memory passed to C may not contain unpinned Go pointers, C may not
// keep a Go pointer after the call returns unless it is pinned, and Go
// code may not store a Go pointer into C memory. The run-time check
// (GODEBUG=cgocheck=1) catches some of this when the bad call runs, and
// only for the values it happens to see; go vet's cgocall looks only at
// the syntax of the argument's type. cgopointer knows where memory came
// from (a Go allocation, C.malloc, a C global, a parameter of an
// exported function) and what the C function does with its argument
// (it reads the C body, or an ffivet:keeps annotation), and reports:
//
// Go memory holding Go pointers passed to C, naming the object, the Go
// pointer it holds and where it was stored:
//
//	argv := make([]*C.char, len(args))
//	for i, a := range args {
//		argv[i] = (*C.char)(unsafe.Pointer(&a[0]))
//	}
//	C.run_argv(&argv[0], C.int(len(args))) // argv holds Go pointers
//
// A pointer into a struct or array computed before the call and passed
// through a variable: cgo then checks the whole allocation, not just the
// field or array, and panics if the allocation holds Go pointers. The
// suggested fix moves the expression into the call:
//
//	p := &c.buf[0]
//	C.fill(unsafe.Pointer(p), n) // cgo checks all of *c, which holds a func
//
// The same for an element of a slice the function did not allocate and
// that may be a view of another struct's array: the []byte parameter of
// a Read, Write, ReadAt or WriteAt method (io's callers pass slices of
// their own buffers), a slice returned by another package's function
// (bytes.Buffer's Bytes), or one taken out of an interface. A plain
// []byte parameter of another function, a struct's slice field and the
// result of the package's own helpers are nearly always buffers of their
// own: ffivet stays silent there rather than ask every caller to prove
// it.
//
// A C function that keeps a Go pointer (its body stores it in a global
// or a structure that outlives the call, or, without a body, it takes a
// callback and the pointer as the callback's void * context) when the
// memory is not pinned by a runtime.Pinner that stays pinned while C
// holds it, and C keeping Go string data; a Go pointer stored into C memory (a C.malloc'ed
// struct, a C global, memory reached through a parameter of an exported
// function); an exported function returning a Go pointer.
//
// Misuse of runtime.Pinner: Pin of a value that is not a pointer (it
// panics), a Pinner that is still pinned on some path that returns (the
// collector panics when it finds it), and a Pinner unpinned while C still
// holds the pointer it pinned.
//
// Go pointers laundered through uintptr into C integer arguments, which
// hides them from the check and from the collector, and integers
// converted to unsafe.Pointer as fake pointers for C user data (use a
// cgo.Handle passed as C.uintptr_t).
//
// `#cgo noescape F` when F's C body keeps its argument, and
// `#cgo nocallback F` when F calls an exported Go function, directly or
// through other C functions; both are reported on the #cgo line.
//
// Not reported: pointers to memory without Go pointers ([]byte data,
// structs of scalars), Go memory holding C pointers (C.CString results),
// C memory holding C pointers, structs passed by value (cgo copies them),
// memory pinned for as long as C uses it, and C functions that only read
// their argument during the call. Go types the package makes out of C
// memory ((*T)(C.malloc(n)), unsafe.Slice((*T)(p), n) over C memory, an
// integer type holding C addresses) are not taken for Go memory, or for
// fake pointers, where their origin cannot be seen.
package cgopointer
