package bridge_test

import (
	"testing"

	"github.com/ffivet/ffivet/bridge"
)

// The out-parameters' success test, inferred from the failure constants
// a body returns before it stores owned memory through them.
const outTestPreamble = `
#include <stdlib.h>
#include <string.h>

extern int ready(void);
extern long fill(char *, size_t);

// Every failure return precedes the store; the success value is computed.
static unsigned long read_data(char **buf, size_t n) {
	if (!ready())
		return -1;
	if (n == 0)
		return 0;
	*buf = malloc(n);
	memset(*buf, 0, n);
	return n;
}

// Forwards read_data's out-parameter after failures of its own.
static unsigned long read_all(char **buf) {
	if (!ready())
		return -1;
	if (ready() > 1)
		return -2;
	unsigned long n = read_data(buf, 64);
	return n;
}

// A pointer result that is NULL only before the store.
static char *open_named(const char *name, char **label) {
	if (name == NULL)
		return NULL;
	*label = strdup(name);
	return (char *)name;
}

// -1 after the store: the memory stays the caller's on that failure.
static int fill_new(char **out, size_t n) {
	if (n == 0)
		return -1;
	*out = malloc(n);
	if (fill(*out, n) < 0)
		return -1;
	return 0;
}

// The store happens in a loop: a return in a later iteration follows it.
static int first_of(char **out, int k) {
	for (int i = 0; i < k; i++) {
		if (!ready())
			return -1;
		*out = malloc(16);
	}
	return 0;
}

// No failure constant at all: the result tells nothing.
static int fill_always(char **out) {
	*out = malloc(8);
	return 0;
}

// A goto carries the store to the label's failure return. (The store is
// a call whose result is dropped, so that errno's convention, which
// reads a failure return after malloc as errno's, has no say.)
static int via_goto(char **out) {
	fill_always(out);
	if (!ready())
		goto fail;
	return 0;
fail:
	return -1;
}

// A switch: the store in one case reaches the failure return of the next by
// falling through.
static int by_kind(char **out, int kind) {
	switch (kind) {
	case 0:
		return -3;
	case 1:
		*out = malloc(8);
	case 2:
		return -4;
	}
	return 0;
}

// A switch whose stores and failures stay apart.
static int by_kind_apart(char **out, int kind) {
	switch (kind) {
	case 0:
		return -3;
	case 1:
		*out = malloc(8);
		break;
	default:
		return -4;
	}
	return 1;
}

`

func TestOutFailureTest(t *testing.T) {
	p := loadCgoPackage(t, map[string]string{"a.go": cgoSource(outTestPreamble)})
	for _, w := range p.Warnings {
		t.Logf("warning: %s", w)
	}
	for _, tt := range []struct {
		fn   string
		want bridge.SuccessTest
	}{
		{"read_data", bridge.SuccessNotMinus1},
		{"read_all", bridge.SuccessNonNeg},
		{"open_named", bridge.SuccessNonNull},
		{"fill_new", bridge.SuccessUnknown},
		{"first_of", bridge.SuccessUnknown},
		{"via_goto", bridge.SuccessUnknown},
		{"by_kind", bridge.SuccessUnknown},
		{"by_kind_apart", bridge.SuccessNonNeg},
		{"fill_always", bridge.SuccessUnknown},
	} {
		s := p.Summary(tt.fn)
		if len(s.OutOwned) == 0 {
			t.Errorf("%s: no out-parameter found (%v)", tt.fn, s)
			continue
		}
		if s.Success != tt.want {
			t.Errorf("%s: Success = %v, want %v", tt.fn, s.Success, tt.want)
		}
	}
}
