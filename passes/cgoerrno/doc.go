// Package cgoerrno defines an Analyzer that checks how Go code reads the
// errno of C calls.
//
// # Analyzer cgoerrno
//
// cgoerrno: check that errno is read with cgo's two-value form, from the call that set it, and only when that call failed
//
// errno is per OS thread, and between two cgo calls the goroutine may
// move to another thread. cgo's two-value form r, err := C.f() reads
// errno right after f returns, on f's thread, after clearing it before
// the call. cgoerrno reports:
//
// errno read by a separate C call: a C helper that returns errno, the C
// library's errno location, or a library's own errno accessor, called
// after the call that failed:
//
//	if C.mkfifo(path, 0o600) != 0 {
//		return syscall.Errno(C.get_errno()) // C.get_errno reads errno in a separate cgo call after C.mkfifo at line 1: errno is per OS thread ...
//	}
//
// In a test that runs this on 64 goroutines, about one read in twenty
// returns another goroutine's errno; the two-value form never does.
//
// err used as the failure signal of a function whose errno means
// something only when its result says it failed (fopen, write, most of
// POSIX): a successful call may leave errno set.
//
//	f, err := C.fopen(path, mode)
//	if err != nil { // err from C.fopen at line 1 is tested as the failure signal without checking the result f ...
//		return err
//	}
//
// The convention comes from the C library table, an ffivet:sets-errno
// annotation, or the function's C body when every return of -1, NULL or
// a negative constant follows errno being set on its path (errno =
// EINVAL, or a failing call such as open whose result the body tested).
//
// localtime, for one, succeeds and leaves ENOENT when TZ names a zone
// that has no file. The same applies to err returned or passed on
// (fmt.Errorf, errors.Is) without a test of the result, or after a test
// that said the call succeeded.
//
// The two-value form on a function that does not set errno (its C body
// calls nothing that does, a function annotated ffivet:no-errno): err is
// always nil, since cgo clears errno before the call. For C library
// functions that report failure another way (pthread_mutex_lock returns
// an error number, dlopen has dlerror), err means nothing.
//
// A C helper that calls something that may overwrite errno (printf,
// free, close) between the call that failed and the point errno is read,
// when the Go side reads it: through the two-value form on the helper,
// or from the value the helper returns.
//
// Not reported: err tested after the result (if r < 0 { return err }),
// or together with it (err != nil && f == nil); err returned with the
// result, which leaves the decision to the caller; functions whose only
// error signal is errno (strtol, readdir), where testing err is the
// documented way; functions ffivet knows nothing about; C bodies that set
// errno to 0, or return a failure value on a path that did not set
// errno; a separate read
// right after the call when runtime.LockOSThread was called before it;
// results or errors stored in variables the check cannot follow.
package cgoerrno
