package testtool

import (
	"testing"
)

// recorder is a testing.TB that records whether it was skipped or
// failed, and stops the test body as the real ones do.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Skip(...any)           { r.skipped = true; panic(r) }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic(r) }

func run(f func(testing.TB)) (r *recorder) {
	r = &recorder{}
	defer func() {
		if x := recover(); x != nil && x != r {
			panic(x)
		}
	}()
	f(r)
	return r
}

func TestNeed(t *testing.T) {
	need := func(tb testing.TB) { Need(tb, "ffivet-no-such-program", "it does not exist") }

	t.Setenv("CI", "")
	if r := run(need); !r.skipped || r.failed {
		t.Errorf("a missing program outside CI: skipped %v, failed %v; want a skip", r.skipped, r.failed)
	}
	t.Setenv("CI", "true")
	if r := run(need); r.skipped || !r.failed {
		t.Errorf("a missing program under CI=true: skipped %v, failed %v; want a failure", r.skipped, r.failed)
	}
	if r := run(func(tb testing.TB) { Need(tb, "go", "") }); r.skipped || r.failed {
		t.Errorf("a program that exists: skipped %v, failed %v", r.skipped, r.failed)
	}
}
