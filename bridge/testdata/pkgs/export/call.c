#include "_cgo_export.h"

int call_go(int v) {
	return goAdd(v, 1);
}
