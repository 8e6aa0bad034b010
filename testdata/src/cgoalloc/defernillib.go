// Deferred frees evaluated while the variable is nil, and what the C
// library's conventions say of the memory it stores.
package cgoalloc

/*
#include <stdlib.h>

// GLib's declarations, as glib/gmem.h and libvips spell them.
extern void g_free(void *mem);
extern int lib_get_vector(double **out, int n);
extern int lib_get_string(const char *name, const char **out);
*/
import "C"

import "unsafe"

func gFree(p unsafe.Pointer) { C.g_free(p) }

// g_free is a deallocator: the deferred helper frees nil.
func vector(n int) []float64 {
	var out *C.double
	defer gFree(unsafe.Pointer(out)) // want `the deferred gFree at line 22 frees out while it is still nil, not what C\.lib_get_vector stores through &out at line 23: if C\.lib_get_vector hands that memory over`
	if C.lib_get_vector(&out, C.int(n)) != 0 {
		return nil
	}
	v := make([]float64, n)
	copy(v, (*[4]float64)(unsafe.Pointer(out))[:n:n])
	return v
}

// Near miss: through a const char ** the library lends a string it
// keeps; the deferred free frees nil, and nothing needs freeing.
func field(name string) string {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var value *C.char
	defer C.free(unsafe.Pointer(value))
	if C.lib_get_string(cname, &value) != 0 {
		return ""
	}
	return C.GoString(value)
}
