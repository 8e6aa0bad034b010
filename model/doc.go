// Package model is ffivet's bridge-region memory model over go/ssa.
//
// A cgo program moves memory across the boundary in ways the Go type
// system does not record: C.CString returns C heap memory the Go collector
// will never free, unsafe.Pointer(&x) hands Go memory to C, and a C
// function may free, keep or return what it is given. The model gives
// every such piece of memory an abstract Object with a Region (Go heap,
// C heap of some allocator family, C memory owned by a library, ...) and
// follows it through a function's control-flow graph in a State (owned,
// freed, transferred, escaped), so that passes can ask path-sensitive
// questions: is it freed on every path that returns? freed twice? used
// after the free?
//
// The model reads the C side through package bridge, and it reads both
// shapes of cgo code a driver may hand it:
//
//   - the cgo-processed files that go/packages and go vet type-check,
//     where C.f(x) is a call of _Cfunc_f, the two-value form is
//     _C2func_f, and a call with pointer arguments is wrapped in an
//     immediately-invoked closure that calls _cgoCheckPointer;
//   - the raw files gopls type-checks, where C.f is a selector that
//     resolves to the same _Cfunc_f objects.
//
// Boundary events (Events) normalize both, so passes see "a call of C
// function f with these arguments" whichever driver produced the code.
//
// Across functions the model is interprocedural through Go summaries:
// what a Go function does with each pointer parameter and whether it
// returns owned C memory, exported as analysis facts so that they cross
// package boundaries.
package model
