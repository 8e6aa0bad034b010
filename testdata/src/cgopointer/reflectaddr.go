// A uintptr that came from reflect is an address, not a fake pointer.
package cgopointer

/*
#include "helpers.h"
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// Near miss: a C handle that travelled through reflect as a uintptr is a
// real address (glfw's CreateWindowSurface passes a VkInstance this way).
func userdataFromHandle(h any) {
	C.set_userdata(unsafe.Pointer(reflect.ValueOf(h).Pointer()))
}
