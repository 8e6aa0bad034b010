// `#cgo noescape F` promises that F does not keep its pointer
// arguments, so cgo lets them stay on the Go stack. The finding sits on
// the #cgo line; the want comment for it closes the preamble.
package cgopointer

/*#cgo noescape stash
#cgo noescape checksum
#include <stddef.h>

static void *stashed;

// stash keeps its argument: noescape is wrong for it.
static void stash(void *p) { stashed = p; }

// checksum only reads its argument: noescape is right.
static int checksum(const void *p, size_t n) {
	const unsigned char *b = p;
	int sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += b[i];
	return sum;
}
// want `#cgo noescape stash, but stash keeps its argument 1 after returning \(its C body at noescape\.go:13\): its pointer arguments must escape to the heap`
*/
import "C"

import "unsafe"

func stashCounter() {
	var n int
	C.stash(unsafe.Pointer(&n)) // want `C\.stash receives a pointer to Go memory, variable n`
}

func sum(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return int(C.checksum(unsafe.Pointer(&b[0]), C.size_t(len(b))))
}
