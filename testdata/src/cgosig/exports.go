// Exported Go functions whose hand-written C prototypes (in cside.c)
// disagree with the Go signature: C calls them with the wrong arguments
// or reads a result that is not there.
package cgosig

/*
#include "cside.h"
*/
import "C"

import "unsafe"

//export goCompare
func goCompare(a, b unsafe.Pointer) C.int {
	return C.int(uintptr(a) - uintptr(b))
}

//export goOnEvent
func goOnEvent(ctx unsafe.Pointer, code C.long) { // want `exported goOnEvent is declared by hand at cside\.c:7 as void goOnEvent\(void \*, int\), which disagrees with the Go signature: parameter 2: Go C\.long is 8 bytes, C int is 4`
	lastEvent = int(code)
}

//export goRead
func goRead(ctx unsafe.Pointer, buf *C.char, n C.int) C.long { // want `exported goRead is declared by hand at cside\.c:8 as long goRead\(void \*, char \*, size_t\), which disagrees with the Go signature: parameter 3: Go C\.int is 4 bytes, C size_t is 8`
	return C.long(n)
}

//export goProgress
func goProgress(done, total int) { // want `exported goProgress is declared by hand at cside\.c:9 as int goProgress\(int, int\), which disagrees with the Go signature: parameter 1: Go int is 8 bytes, C int is 4`
	lastEvent = done * 100 / max(total, 1)
}

//export goScale
func goScale(x C.float) C.double { // want `goScale is declared by hand at cside\.c:10 as double goScale\(double\).*parameter 1: Go C\.float is 4 bytes, C double is 8`
	return C.double(x) * 2
}

//export goLog
func goLog(msg string) { // want `goLog is declared by hand at cside\.c:11 as void goLog\(const char \*\).*parameter 1: Go string is a struct, C const char \* is a pointer`
	lastMessage = msg
}

//export goCount
func goCount(n C.int) C.int { // want `goCount is declared by hand at cside\.c:12 as int goCount\(void\).*Go takes 1 parameters, C 0`
	return n
}

//export goStore
func goStore(ctx unsafe.Pointer, values *int32, n C.int) { // want `goStore is declared by hand at cside\.c:15 as void goStore\(void \*, long \*, int\).*parameter 2: Go \*int32 points to 4-byte values, C long \* to 8-byte ones`
	_ = unsafe.Slice(values, int(n))
}

// Near misses: prototypes that agree with the Go signature.

//export goTick
func goTick(t int64) {
	lastEvent = int(t)
}

//export goSum
func goSum(a, b C.int) C.int {
	return a + b
}

var (
	lastEvent   int
	lastMessage string
)
