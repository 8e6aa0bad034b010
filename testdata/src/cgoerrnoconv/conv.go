// Package cgoerrnoconv is the test corpus of failure conventions that
// cgoerrno infers from C bodies: a preamble function that returns -1,
// NULL or a negative value after errno was set reports failure the way
// POSIX does, so err from r, err := C.f() means something only when r
// says the call failed. Library functions say so with annotations.
package cgoerrnoconv

/*
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// open_config returns -1 with errno from open.
static int open_config(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	return fd;
}

// make_dir succeeds when the directory exists, leaving errno EEXIST.
static int make_dir(const char *path) {
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

// dup_name returns NULL with errno EINVAL or from strdup.
static char *dup_name(const char *s) {
	if (s == NULL) {
		errno = EINVAL;
		return NULL;
	}
	char *p = strdup(s);
	if (p == NULL)
		return NULL;
	return p;
}

// set_level returns a negative value with errno ERANGE.
static int set_level(int level) {
	if (level < 0 || level > 9) {
		errno = ERANGE;
		return -2;
	}
	return level;
}

// A library function without a body, annotated with its convention.
// ffivet:sets-errno success=not-minus1
int ring_open(const char *dev);

// parse_long has errno as its only signal: it clears errno first.
static long parse_long(const char *s) {
	errno = 0;
	return strtol(s, NULL, 10);
}

// close_quietly returns -1 without errno on one path.
static int close_quietly(int fd) {
	if (fd < 0)
		return -1;
	return close(fd);
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// square/p2 tested errno before the return value of its exec helper
// (square/p2 PR #152); libsmbclient-go did so for every call and
// returned stale errors from successful ones (mvo5/libsmbclient-go PR
// #7).
func openConfig(path string) (int, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	fd, err := C.open_config(cs)
	if err != nil { // want `err from C\.open_config at line \d+ is tested as the failure signal without checking the result fd: errno is meaningful only when open_config fails \(returns -1, as its C body shows\).*if fd == -1`
		return -1, err
	}
	return int(fd), nil
}

// The successful path of make_dir leaves errno set to EEXIST.
func makeDir(path string) error {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	_, err := C.make_dir(cs)
	return err // want `err from C\.make_dir at line \d+ is returned while the result is discarded`
}

// gopacket's pfring.NewRing tested errno, not the NULL result of
// pfring_open (google/gopacket PR #1087).
func dupName(name string) (*C.char, error) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	p, err := C.dup_name(cs)
	if err != nil { // want `err from C\.dup_name at line \d+ is tested as the failure signal without checking the result p: errno is meaningful only when dup_name fails \(returns NULL, as its C body shows\)`
		return nil, err
	}
	return p, nil
}

func setLevel(level int) error {
	_, err := C.set_level(C.int(level))
	if err != nil { // want `err from C\.set_level at line \d+ is tested as the failure signal while the result is discarded: errno is meaningful only when set_level fails \(returns a negative value, as its C body shows\)`
		return err
	}
	return nil
}

// libbpfgo checked errno after every libbpf call, successful or not
// (aquasecurity/libbpfgo PR #111).
func ringOpen(dev string) (int, error) {
	cs := C.CString(dev)
	defer C.free(unsafe.Pointer(cs))
	r, err := C.ring_open(cs)
	if err != nil { // want `err from C\.ring_open at line \d+ is tested as the failure signal without checking the result r`
		return -1, err
	}
	return int(r), nil
}

// Near misses.

// The result is tested first (proglottis/gpgme PR #46).
func openConfigChecked(path string) (int, error) {
	cs := C.CString(path)
	defer C.free(unsafe.Pointer(cs))
	fd, err := C.open_config(cs)
	if fd == -1 {
		return -1, err
	}
	return int(fd), nil
}

func dupNameChecked(cs *C.char) (*C.char, error) {
	p, err := C.dup_name(cs)
	if p == nil {
		return nil, err
	}
	return p, nil
}

// errno is the only signal of parse_long: the body clears it first.
func parseLong(cs *C.char) (int64, error) {
	n, err := C.parse_long(cs)
	if err != nil {
		return 0, err
	}
	return int64(n), nil
}

// close_quietly fails without errno on one path: no convention.
func closeQuietly(fd int) error {
	r, err := C.close_quietly(C.int(fd))
	if err != nil {
		return err
	}
	if r != 0 {
		return errors.New("close failed")
	}
	return nil
}

// set_level tested against its failure values.
func setLevelChecked(level int) error {
	if r, err := C.set_level(C.int(level)); r < 0 {
		return err
	}
	return nil
}
