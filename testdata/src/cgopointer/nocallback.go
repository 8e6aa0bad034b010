// `#cgo nocallback F` promises that F never calls back into Go, so cgo
// skips the preparation a callback needs; a callback then crashes the
// program. The finding sits on the #cgo line; the want comment for it
// closes the preamble.
package cgopointer

/*#cgo nocallback notify
#cgo nocallback compute
extern void goNotify(int);

static void relay(int n) { goNotify(n); }

// notify reaches Go through relay.
static void notify(int n) { relay(n + 1); }

// compute stays in C.
static int compute(int n) { return n * 2; }
// want `#cgo nocallback notify, but notify calls the exported Go function goNotify \(its C body at nocallback\.go:14\): a call into Go from a nocallback function crashes the program`
*/
import "C"

func signal(n int) {
	C.notify(C.int(n))
}

func double(n int) int {
	return int(C.compute(C.int(n)))
}
