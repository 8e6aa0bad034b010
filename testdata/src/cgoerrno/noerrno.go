package cgoerrno

/*
#include <pthread.h>
#include <stdlib.h>
#include "helpers.h"

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t *lock(void) { return &table_lock; }

// The body sets errno on one path.
static void maybe_fail(int bad) {
	if (bad)
		set_errno(22);
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// add's body never touches errno.
func sum(a, b int) (int, error) {
	r, err := C.add(C.int(a), C.int(b)) // want `err from the two-value form of C.add is always nil: add does not set errno \(its C body calls nothing that does\)`
	if err != nil {
		return 0, err
	}
	return int(r), nil
}

// pthread functions return an error number instead of setting errno.
func withLock(f func()) error {
	if _, err := C.pthread_mutex_lock(C.lock()); err != nil { // want `err from the two-value form of C.pthread_mutex_lock means nothing: pthread_mutex_lock does not report failure through errno \(from the C library table\); test its result instead`
		return err
	}
	defer C.pthread_mutex_unlock(C.lock())
	f()
	return nil
}

func tryLock() bool {
	_, err := C.pthread_mutex_trylock(C.lock()) // want `err from the two-value form of C.pthread_mutex_trylock means nothing`
	return err == nil
}

// Annotated ffivet:no-errno.
func status() (int, error) {
	st, err := C.lib_status() // want `err from the two-value form of C.lib_status is always nil: lib_status does not set errno \(annotated ffivet:no-errno\)`
	return int(st), err
}

func release(p unsafe.Pointer) error {
	_, err := C.free(p) // want `err from the two-value form of C.free means nothing: free does not report failure through errno \(from the C library table\); drop err`
	return err
}

// Near misses.

// A void function may set errno: the two-value form is how to read it.
func maybeFail(bad bool) error {
	b := C.int(0)
	if bad {
		b = 1
	}
	_, err := C.maybe_fail(b)
	return err
}

func setErrno(e int) error {
	_, err := C.set_errno(C.int(e))
	if err == nil {
		return errors.New("errno not set")
	}
	return nil
}

// The errno of add is not read.
func sumQuiet(a, b int) int {
	r, _ := C.add(C.int(a), C.int(b))
	return int(r)
}
