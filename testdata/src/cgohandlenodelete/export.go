package cgohandlenodelete

// #include <stdint.h>
import "C"

import "runtime/cgo"

//export goTick
func goTick(h C.uintptr_t) {
	ticks++
	if cb, ok := cgo.Handle(h).Value().(func()); ok {
		cb()
	}
}
