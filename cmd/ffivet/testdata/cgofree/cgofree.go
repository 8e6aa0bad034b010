// Package cgofree frees every C string it allocates.
package cgofree

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import "unsafe"

func length(s string) int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return int(C.strlen(cs))
}
