// Package cgoignore has directives in a cgo file, which drivers other
// than gopls present to the checks as cgo's output.
package cgoignore

/*
#include <stdlib.h>

// A comment in the preamble that mentions //ffivet:ignore findcall
// is not a directive: the preamble is one block comment.
static int answer(void) { return 42; }
*/
import "C"

import "unsafe"

func release(p *C.char) { C.free(unsafe.Pointer(p)) }

func lines(s string) {
	p := C.CString(s) //ffivet:ignore findcall the trailing form
	q := C.CString(s) // want "call of C.CString"
	//ffivet:ignore findcall the line below
	r := C.CString(s)
	release(p)
	release(q)
	release(r)
	if C.answer() != 42 {
		release(C.CString(s)) // want "call of C.CString"
	}
}

// doc is covered whole.
//
//ffivet:ignore findcall this function is covered
func doc(s string) {
	p := C.CString(s)
	defer release(p)
	release(C.CString(s))
}

func after(s string) {
	release(C.CString(s)) // want "call of C.CString"
}
