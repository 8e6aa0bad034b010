package bridge

import "slices"

import "modernc.org/cc/v4"

// exitClobbers lists, for the returns of a body that report failure, the
// calls that may overwrite errno between the failure and the return.
//
// Like errnoClobbers it is textual. The failure a return reports is the
// last call before it, after the previous read or write of errno, that
// may set errno and whose result is used (or whose only error signal is
// errno); with no such call, the read or write of errno that starts the
// window: a helper that saves errno, logs, and returns -1 without
// restoring it, or one that sets errno = EINVAL and then logs. Every
// later call that may set errno, on the same path as both, is a clobber.
//
// Only returns of a value that says failure (a negative constant, or a
// null pointer from a function returning a pointer) count: a return of
// success after cleanup (close(fd); return 0) leaves an errno nobody
// should read.
func exitClobbers(events []errnoEvent) []string {
	var out []string
	add := func(name string) {
		if slices.Contains(out, name) {
			return
		}
		out = append(out, name)
	}
	start := 0
	for x, ev := range events {
		if ev.isRead() || ev.kind == evWrite {
			start = x + 1
			continue
		}
		if ev.kind != evExit || !ev.failing {
			continue
		}
		origin := -1
		for i := x - 1; i >= start; i-- {
			e := events[i]
			if e.kind == evCall && e.sets != No && (e.used || e.signal) && !exclusive(e.arms, ev.arms) {
				origin = i
				break
			}
		}
		if origin < 0 {
			if start == 0 {
				// Nothing failed that errno could describe: cgo's
				// two-value form sees whatever the calls left, which is
				// theirs to report.
				continue
			}
			origin = start - 1
		}
		originArms := events[origin].arms
		for i := origin + 1; i < x; i++ {
			e := events[i]
			if e.kind == evCall && e.sets != No && !exclusive(e.arms, ev.arms) && !exclusive(e.arms, originArms) {
				add(e.name)
			}
		}
	}
	return out
}

// failureValue reports whether a returned expression says failure: a
// negative integer constant, or a null pointer constant when the
// function returns a pointer. Anything else (a variable, a call, 0 from
// a function returning an int) is not known to be a failure.
func (fs *fnState) failureValue(e cc.ExpressionNode) (failing bool) {
	defer func() {
		if recover() != nil {
			failing = false
		}
	}()
	ptr := fs.f.Result != nil && fs.f.Result.Kind() == cc.Ptr
	switch v := e.Value().(type) {
	case cc.Int64Value:
		return v < 0 && !ptr || v == 0 && ptr
	case cc.UInt64Value:
		return v == 0 && ptr
	}
	return false
}

// IsErrnoLocator reports whether name is a C library function that
// implements errno: it returns the address of the calling thread's errno
// (glibc's __errno_location, Darwin's __error, ...).
func IsErrnoLocator(name string) bool { return isErrnoLocator(name) }

// failedTest is the success test a failing returned value fails: NULL
// fails SuccessNonNull, -1 fails SuccessNotMinus1, another negative
// constant SuccessNonNeg.
func (fs *fnState) failedTest(e cc.ExpressionNode, failing bool) (t SuccessTest) {
	if !failing {
		return SuccessUnknown
	}
	defer func() {
		if recover() != nil {
			t = SuccessUnknown
		}
	}()
	if fs.f.Result != nil && fs.f.Result.Kind() == cc.Ptr {
		return SuccessNonNull
	}
	if v, ok := e.Value().(cc.Int64Value); ok && v == -1 {
		return SuccessNotMinus1
	}
	return SuccessNonNeg
}

// failureConvention infers how a body reports failure through errno:
// every return of a failure value (NULL, -1, a negative constant) comes
// after errno was set on its path, by an assignment or by a call whose
// result the body tested. It returns the success test those values fail,
// or SuccessUnknown when a failure return is not preceded by errno being
// set, when the returns disagree (NULL and -1), or when the body sets
// errno to 0: then errno itself may be the signal, as with strtol, and
// the caller must not be told to test the result instead.
func failureConvention(events []errnoEvent) SuccessTest {
	conv := SuccessUnknown
	for x, ev := range events {
		if ev.kind == evWrite && ev.zero {
			return SuccessUnknown
		}
		if ev.kind != evExit || !ev.failing {
			continue
		}
		set := false
		for i := x - 1; i >= 0 && !set; i-- {
			e := events[i]
			if exclusive(e.arms, ev.arms) {
				continue
			}
			set = e.kind == evWrite || e.kind == evCall && e.sets == Yes && (e.used || e.signal)
		}
		if !set {
			return SuccessUnknown
		}
		var ok bool
		if conv, ok = joinFailure(conv, ev.fail); !ok {
			return SuccessUnknown
		}
	}
	return conv
}

// joinFailure is the success test that two failure returns both fail:
// -1 and another negative constant both fail "non-negative". ok is false
// when no one test fits both (NULL and -1).
func joinFailure(t, fail SuccessTest) (SuccessTest, bool) {
	switch {
	case t == SuccessUnknown || t == fail:
		return fail, true
	case t == SuccessNotMinus1 && fail == SuccessNonNeg, t == SuccessNonNeg && fail == SuccessNotMinus1:
		return SuccessNonNeg, true
	}
	return SuccessUnknown, false
}
