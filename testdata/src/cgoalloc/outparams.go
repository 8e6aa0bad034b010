// Out-parameters: C functions that store owned memory through a pointer
// argument (getaddrinfo's result list, asprintf's string, a helper that
// mallocs into a char **). The memory exists only when the call
// succeeds, so returning on the failure path without releasing it is
// right; dropping it on the success path is a leak, reported on the call.
package cgoalloc

/*
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>

static int format_label(char **out, const char *name, int id) {
	return asprintf(out, "%s#%d", name, id);
}

static void join_config_path(const char *dir, char **out) {
	size_t n = strlen(dir) + sizeof "/config.ini";
	*out = malloc(n);
	if (*out != NULL)
		snprintf(*out, n, "%s/config.ini", dir);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func firstFamily(host string) (int, error) {
	chost := C.CString(host)
	defer C.free(unsafe.Pointer(chost))
	var hints C.struct_addrinfo
	hints.ai_socktype = C.SOCK_STREAM
	var res *C.struct_addrinfo
	rc := C.getaddrinfo(chost, nil, &hints, &res) // want `memory from C\.getaddrinfo at line 40 leaks on the path that returns at line 44\b`
	if rc != 0 {
		return 0, fmt.Errorf("resolve %s: %s", host, C.GoString(C.gai_strerror(rc)))
	}
	return int(res.ai_family), nil
}

func labelFor(name string, id int) (string, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var out *C.char
	if C.format_label(&out, cname, C.int(id)) < 0 { // want `memory from C\.format_label at line 51 leaks on the path that returns at line 54\b`
		return "", errNoMem
	}
	return C.GoString(out), nil
}

func configFile(dir string) (string, error) {
	cdir := C.CString(dir)
	defer C.free(unsafe.Pointer(cdir))
	var out *C.char
	C.join_config_path(cdir, &out) // want `memory from C\.join_config_path at line 61 leaks on the path that returns at line 65\b`
	if out == nil {
		return "", errNoMem
	}
	return C.GoString(out), nil
}

// Near miss: on failure there is no list to free; on success it is
// freed.
func addressCount(host string) (int, error) {
	chost := C.CString(host)
	defer C.free(unsafe.Pointer(chost))
	var hints C.struct_addrinfo
	hints.ai_socktype = C.SOCK_STREAM
	var res *C.struct_addrinfo
	rc := C.getaddrinfo(chost, nil, &hints, &res)
	if rc != 0 {
		return 0, fmt.Errorf("resolve %s: %s", host, C.GoString(C.gai_strerror(rc)))
	}
	defer C.freeaddrinfo(res)
	n := 0
	for ai := res; ai != nil; ai = ai.ai_next {
		n++
	}
	return n, nil
}

// Near miss: asprintf leaves nothing to free when it fails.
func labelChecked(name string, id int) (string, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var out *C.char
	if C.format_label(&out, cname, C.int(id)) < 0 {
		return "", errNoMem
	}
	s := C.GoString(out)
	C.free(unsafe.Pointer(out))
	return s, nil
}

// Near miss: the joined path is freed.
func configFileChecked(dir string) (string, error) {
	cdir := C.CString(dir)
	defer C.free(unsafe.Pointer(cdir))
	var out *C.char
	C.join_config_path(cdir, &out)
	if out == nil {
		return "", errNoMem
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoString(out), nil
}

// getline's result is the length it read: every value from 0 up means
// the line buffer was allocated, so returning on a two-byte line or on a
// very long one leaves it allocated.
func lineUnlessBlank(f *C.FILE) string {
	var line *C.char
	var n C.size_t
	r := C.getline(&line, &n, f) // want `memory from C\.getline at line 120 leaks on the path that returns at line 122\b`
	if r == 2 {
		return ""
	}
	s := C.GoString(line)
	C.free(unsafe.Pointer(line))
	return s
}

func lineUnlessHuge(f *C.FILE) string {
	var line *C.char
	var n C.size_t
	r := C.getline(&line, &n, f) // want `memory from C\.getline at line 132 leaks on the path that returns at line 134\b`
	if r > 1<<21 {
		return ""
	}
	s := C.GoString(line)
	C.free(unsafe.Pointer(line))
	return s
}

// Near miss: -1 is getline's failure, and nothing was allocated then.
func lineOrEmpty(f *C.FILE) string {
	var line *C.char
	var n C.size_t
	if C.getline(&line, &n, f) == -1 {
		return ""
	}
	s := C.GoString(line)
	C.free(unsafe.Pointer(line))
	return s
}

// Near miss: every negative result is a failure, however it is spelled.
func lineOrError(f *C.FILE) (string, error) {
	var line *C.char
	var n C.size_t
	r := C.getline(&line, &n, f)
	if !(r >= 0) {
		return "", errNoMem
	}
	if r <= -2 {
		return "", errNoMem
	}
	defer C.free(unsafe.Pointer(line))
	return C.GoString(line), nil
}
