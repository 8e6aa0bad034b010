// A deferred call that frees the elements of a slice it receives as an
// argument gets the slice header when the defer statement runs: the
// elements appended afterwards are never freed.
package cgoallocstored

/*
#include <stdlib.h>

static int run_argv(char **argv, int n) { return n; }
*/
import "C"

import "unsafe"

// freeAll releases every string of ps.
func freeAll(ps []*C.char) {
	for _, p := range ps {
		C.free(unsafe.Pointer(p))
	}
}

// Modelled on duckdb/duckdb-go pull request #123: `defer
// destroyLogicalTypes(types)` with types appended to afterwards.
func runNamed(args []string) int {
	var cargs []*C.char
	defer freeAll(cargs) // want `the deferred call at line 26 frees the elements cargs held when the defer statement ran; memory from C\.CString at line 28, appended at line 28, is never freed`
	for _, a := range args {
		cargs = append(cargs, C.CString(a))
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Likewise, with a function literal taking the slice as its argument.
func runLiteral(args []string) int {
	var cargs []*C.char
	defer func(ps []*C.char) { // want `the deferred call at line 36 frees the elements cargs held when the defer statement ran; memory from C\.CString at line 42`
		for _, p := range ps {
			C.free(unsafe.Pointer(p))
		}
	}(cargs)
	for _, a := range args {
		cargs = append(cargs, C.CString(a))
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Likewise, with capacity reserved: the length is still the one the
// defer saw.
func runReserved(args []string) int {
	cargs := make([]*C.char, 0, len(args))
	defer freeAll(cargs) // want `the deferred call at line 51 frees the elements cargs held when the defer statement ran; memory from C\.CString at line 53`
	for _, a := range args {
		cargs = append(cargs, C.CString(a))
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Likewise, with the string in a variable first.
func runVariable(args []string) int {
	var cargs []*C.char
	defer freeAll(cargs) // want `memory from C\.CString at line 63, appended at line 64, is never freed`
	for _, a := range args {
		cs := C.CString(a)
		cargs = append(cargs, cs)
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Likewise, after a first element appended before the defer.
func runPrefixed(prog string, args []string) int {
	cargs := []*C.char{C.CString(prog)}
	defer freeAll(cargs) // want `memory from C\.CString at line 74, appended at line 74, is never freed`
	for _, a := range args {
		cargs = append(cargs, C.CString(a))
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Near miss: the closure reads the variable when it runs, and sees every
// element.
func runCaptured(args []string) int {
	var cargs []*C.char
	defer func() {
		for _, p := range cargs {
			C.free(unsafe.Pointer(p))
		}
	}()
	for _, a := range args {
		cargs = append(cargs, C.CString(a))
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Near miss: the slice is filled before the defer statement.
func runFilledFirst(args []string) int {
	var cargs []*C.char
	for _, a := range args {
		cargs = append(cargs, C.CString(a))
	}
	defer freeAll(cargs)
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Near miss: the slice has its length at the defer and is filled by
// index: the deferred call sees the same elements.
func runIndexed(args []string) int {
	cargs := make([]*C.char, len(args))
	defer freeAll(cargs)
	for i, a := range args {
		cargs[i] = C.CString(a)
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// Near miss: each appended string has its own deferred free.
func runEachFreed(args []string) int {
	var cargs []*C.char
	defer freeAll(cargs)
	for _, a := range args {
		cs := C.CString(a)
		defer C.free(unsafe.Pointer(cs))
		cargs = append(cargs, cs)
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}

// countAll only reads the strings.
func countAll(ps []*C.char) int { return len(ps) }

// Near miss: the deferred call does not free the elements.
func runCounted(args []string) int {
	var cargs []*C.char
	defer countAll(cargs)
	for _, a := range args {
		cs := C.CString(a)
		cargs = append(cargs, cs)
		defer C.free(unsafe.Pointer(cs))
	}
	return int(C.run_argv(&cargs[0], C.int(len(cargs))))
}
