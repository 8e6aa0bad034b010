//go:build linux

// A file built only for Linux is not checked for windows/amd64 or
// darwin/arm64.
package cgosig

/*
#include "cside.h"
*/
import "C"

import "unsafe"

func entryValueLinux(e *Entry) int64 {
	return int64(C.entry_value((*C.struct_entry)(unsafe.Pointer(e)))) // want `^on linux/386: \(\*C\.struct_entry\)\(\.\.\.\) views Go Entry as C struct entry`
}

func sumLongsLinux(xs []int) int64 {
	// Go int and C long agree on every Linux target.
	return int64(C.sum_longs((*C.long)(unsafe.Pointer(&xs[0])), C.size_t(len(xs))))
}
