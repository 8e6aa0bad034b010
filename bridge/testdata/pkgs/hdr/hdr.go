package hdr

// #cgo CFLAGS: -I${SRCDIR}/include
// #include "x.h"
// #include "inc.h"
// #include <angle.h>
//
// static int twice(int v) { return 2 * v; }
import "C"

func Twice(v int) int { return int(C.twice(C.int(v))) + int(C.x_value()) + int(C.inc_value()) }
