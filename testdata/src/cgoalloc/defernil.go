// A deferred free of a variable that is still nil at the defer
// statement, whose address C fills afterwards: the deferred call's
// argument was evaluated at the defer, so it frees nil.
package cgoalloc

/*
#include <stdlib.h>
#include <string.h>

// The library's own body is not visible: what it stores is unknown.
extern int lib_point(double **vector, int n);
extern int lib_name(int id, char **name);

static int get_point(double **vector, int n) { return lib_point(vector, n); }

static int lookup_name(int id, char **name) { return lib_name(id, name); }

static int make_label(char **out, int id) {
	*out = malloc(16);
	if (*out == NULL)
		return -1;
	strcpy(*out, "label");
	return 0;
}

static const char *fixed_name = "fixed";

static int borrow_name(const char **out) {
	*out = fixed_name;
	return 0;
}
*/
import "C"

import "unsafe"

func freeDoubles(p unsafe.Pointer) { C.free(p) }

// govips's vipsGetPoint: the returned slice views the vector, so the
// fix is not only a closure.
func point(n int) ([]float64, error) {
	var out *C.double
	defer freeDoubles(unsafe.Pointer(out)) // want `the deferred freeDoubles at line 43 frees out while it is still nil, not what C\.get_point stores through &out at line 44: if C\.get_point hands that memory over, as the deferred free assumes, it is never released; the value returned at line 47 points into that memory`
	if C.get_point(&out, C.int(n)) != 0 {
		return nil, errRead
	}
	return (*[4]float64)(unsafe.Pointer(out))[:n:n], nil
}

func nameOf(id int) string {
	var name *C.char
	defer C.free(unsafe.Pointer(name)) // want `the deferred C\.free at line 52 frees name while it is still nil, not what C\.lookup_name stores through &name at line 53: if C\.lookup_name hands that memory over, as the deferred free assumes, it is never released; defer a closure that reads name when it runs: defer func\(\) \{ C\.free\(unsafe\.Pointer\(name\)\) \}\(\)`
	C.lookup_name(C.int(id), &name)
	return C.GoString(name)
}

// When the C body is known to allocate, the one finding is the defer's.
func labelOf(id int) string {
	var label *C.char
	defer C.free(unsafe.Pointer(label)) // want `the deferred C\.free at line 60 frees label while it is still nil, not the memory C\.make_label stores through &label at line 61`
	if C.make_label(&label, C.int(id)) != 0 {
		return ""
	}
	return C.GoString(label)
}

// Near miss: a deferred closure reads the variable when it runs.
func nameOfClosure(id int) string {
	var name *C.char
	defer func() { C.free(unsafe.Pointer(name)) }()
	C.lookup_name(C.int(id), &name)
	return C.GoString(name)
}

// Near miss: the defer comes after the call that fills the variable.
func nameOfAfter(id int) string {
	var name *C.char
	C.lookup_name(C.int(id), &name)
	defer C.free(unsafe.Pointer(name))
	return C.GoString(name)
}

// Near miss: the C body stores memory it owns; the defer frees nil, and
// nothing else needs freeing.
func borrowed() string {
	var name *C.char
	defer C.free(unsafe.Pointer(name))
	C.borrow_name(&name)
	return C.GoString(name)
}

// Near miss: the pointer itself is handed to the caller, who owns it.
func nameHandedOn(id int) *C.char {
	var name *C.char
	defer C.free(unsafe.Pointer(name))
	C.lookup_name(C.int(id), &name)
	return name
}

// Near miss: the variable is set before the defer on some path.
func nameMaybeSet(id int, pre bool) string {
	var name *C.char
	if pre {
		C.lookup_name(0, &name)
	}
	defer C.free(unsafe.Pointer(name))
	C.lookup_name(C.int(id), &name)
	return C.GoString(name)
}
