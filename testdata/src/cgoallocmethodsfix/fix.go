// The fix for a method that frees a field and leaves it set: set the
// field to nil after the free.
package cgoallocmethodsfix

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

// A Buffer owns a C buffer.
type Buffer struct {
	data *C.char
}

// Destroy frees the buffer.
func (b *Buffer) Destroy() {
	C.free(unsafe.Pointer(b.data))
}

// Close frees the buffer if it is still held.
func (b *Buffer) Close() {
	C.free(unsafe.Pointer(b.data))
	b.data = nil
}

func drop(b *Buffer) {
	b.Destroy()
	b.Close() // want `field data is freed twice: \(\*Buffer\)\.Destroy at line 29 frees it and leaves it set`
}
