package export

/*
#include <stdlib.h>
#include "helper.h"

int call_go(int);
*/
import "C"

//export goAdd
func goAdd(a, b C.int) C.int { return a + b }

func Call(v int) int { return int(C.call_go(C.int(v))) }
