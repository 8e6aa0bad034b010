package bridge

// An exit is one way out of a body: a return statement, or the end of
// the body.
type exit struct {
	// stored: the out-parameters owned memory may have been stored
	// through on some path reaching the exit.
	stored pset
	// fail is the success test the returned value fails (failedTest):
	// set for NULL or a negative constant, SuccessUnknown otherwise.
	fail SuccessTest
}

// storedOut records that the expression being evaluated may store owned
// memory through out-parameter i.
func (fs *fnState) storedOut(i int) {
	fs.defStored = fs.defStored.with(i)
	if fs.loops > 0 {
		fs.storedInLoop = true
	}
}

// outFailureTest infers, from the body alone, which results tell that
// nothing was stored through the out-parameters out: the function's
// failure values. It answers only when
//   - some return of a failure constant (NULL for a pointer result, a
//     negative constant otherwise) is reached on no path that stores
//     through out: the early returns of "if (!ok) return -1;" before
//     "*buf = malloc(n);",
//   - no return that may follow a store gives a failure constant, and
//   - no store is made in a loop, and the walk followed every path.
//
// The test is the one those failure returns fail: not -1 when every one
// is -1, non-negative for other negative constants, non-NULL for
// pointers. A result computed after the store (a length, a count) is
// taken for a success value: the convention the early returns spell
// out. Without such returns, or with a failure constant after a store
// (the store itself failed, or the function frees and reports), the
// answer is SuccessUnknown and a caller's test of the result says
// nothing about the out-parameter.
func (fs *fnState) outFailureTest(out pset) SuccessTest {
	if out == 0 || fs.storedInLoop || fs.unsureFlow {
		return SuccessUnknown
	}
	t := SuccessUnknown
	for _, e := range fs.exits {
		if e.stored&out != 0 {
			if e.fail != SuccessUnknown {
				return SuccessUnknown
			}
			continue
		}
		if e.fail == SuccessUnknown {
			continue
		}
		var ok bool
		if t, ok = joinFailure(t, e.fail); !ok {
			return SuccessUnknown
		}
	}
	return t
}
