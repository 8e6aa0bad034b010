package cgoallocfix

/*
#include <stdlib.h>

extern int lib_name(int id, char **name);
*/
import "C"

import "unsafe"

// No fix for a deferred C call: cgo rewrites it, and the message spells
// the closure instead.
func nameOf(id int) string {
	var name *C.char
	defer C.free(unsafe.Pointer(name)) // want `the deferred C\.free at line 16 frees name while it is still nil`
	C.lib_name(C.int(id), &name)
	return C.GoString(name)
}

func freeName(p unsafe.Pointer) { C.free(p) }

func nameOfHelper(id int) string {
	var name *C.char
	defer freeName(unsafe.Pointer(name)) // want `the deferred freeName at line 25 frees name while it is still nil`
	C.lib_name(C.int(id), &name)
	return C.GoString(name)
}
