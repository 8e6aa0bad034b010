// Package cgoallocsimd is a test corpus of the cgoalloc check for a
// package whose preamble includes <immintrin.h>. gcc's intrinsics headers
// use types the C front end does not know by itself (_Float16, __bf16);
// the C side of the package must still be read, so that what the
// preamble's functions do with their arguments is known.
package cgoallocsimd

/*
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

// sum_bytes only reads s.
static int sum_bytes(const char *s) {
	__m128i acc = _mm_setzero_si128();
	int n = 0;
	for (size_t i = 0; s[i] != 0; i++) {
		n += (unsigned char)s[i];
	}
	(void)acc;
	return n;
}

static char *kept;

// keep_name keeps s; whoever calls it gives up s.
static void keep_name(char *s) {
	free(kept);
	kept = s;
}
*/
import "C"

import "unsafe"

// The string is read by C and never freed.
func checksum(s string) int {
	cs := C.CString(s) // want `memory from C\.CString at line 38 leaks on the path that returns at line 39\b`
	return int(C.sum_bytes(cs))
}

// Near miss: freed after C read it.
func checksumFreed(s string) int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return int(C.sum_bytes(cs))
}

// Near miss: C keeps the string, so it is not leaked here.
func setName(s string) {
	C.keep_name(C.CString(s))
}
