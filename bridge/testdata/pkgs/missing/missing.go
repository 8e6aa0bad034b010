package missing

/*
#include <stdlib.h>
#include "no_such_header.h"

int after_missing(int);
struct kept { int a; };
*/
import "C"

func F() { C.after_missing(1) }
