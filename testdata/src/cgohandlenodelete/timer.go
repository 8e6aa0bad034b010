// Package cgohandlenodelete holds cgohandle cases of a package whose
// exported callbacks never delete a handle: a handle given to C must
// then be deleted by Go.
package cgohandlenodelete

/*
#include <stdint.h>

extern void goTick(uintptr_t);

static uintptr_t timer;

static void start_timer(uintptr_t h) { timer = h; }
static void stop_timer(void) { timer = 0; }
static void tick(void) { goTick(timer); }
*/
import "C"

import "runtime/cgo"

var ticks int

func startTimer(cb func()) {
	h := cgo.NewHandle(cb) // want `the handle from cgo\.NewHandle at line 24 is given at line 25 to C\.start_timer, which keeps it, and never deleted: no exported Go function deletes handles`
	C.start_timer(C.uintptr_t(h))
}

// Near miss: Go deletes the handle once C no longer uses it.
func runTimer(cb func(), n int) {
	h := cgo.NewHandle(cb)
	defer h.Delete()
	C.start_timer(C.uintptr_t(h))
	for i := 0; i < n; i++ {
		C.tick()
	}
	C.stop_timer()
}
