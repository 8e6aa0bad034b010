#include "_cgo_export.h"

// call_make_buffer is C asking Go for a buffer, as a library would.
void *call_make_buffer(int n) {
	return makeBuffer(n);
}
