// Wrong deallocator: memory released with a function of another
// allocation family. FILE from fopen goes to fclose, DIR from opendir to
// closedir, the list getaddrinfo stores through its last argument to
// freeaddrinfo, and memory from lib_alloc, which the preamble annotates
// with its deallocator, to lib_free. The finding sits on the release
// call and names the right one.
package cgoalloc

/*
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <netdb.h>
#include <sys/socket.h>
#include "helpers.h"

// ffivet:returns-owned dealloc=lib_free
static void *lib_alloc(size_t n) {
	unsigned char *block = malloc(n + 16);
	if (block == NULL)
		return NULL;
	for (int i = 0; i < 16; i++)
		block[i] = 0;
	return block + 16;
}

static void lib_free(void *p) {
	if (p != NULL)
		free((unsigned char *)p - 16);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func probeFile(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cmode := C.CString("r")
	defer C.free(unsafe.Pointer(cmode))
	f := C.fopen(cpath, cmode)
	if f == nil {
		return false
	}
	var b [1]byte
	ok := C.fread(unsafe.Pointer(&b[0]), 1, 1, f) == 1
	C.free(unsafe.Pointer(f)) // want `memory from C\.fopen at line 44 is released with C\.free; release it with C\.fclose`
	return ok
}

func lineCount(path string) (int, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cmode := C.CString("r")
	defer C.free(unsafe.Pointer(cmode))
	f := C.fopen(cpath, cmode)
	if f == nil {
		return 0, fmt.Errorf("open %s", path)
	}
	defer C.free(unsafe.Pointer(f)) // want `memory from C\.fopen at line 59 is released with C\.free; release it with C\.fclose`
	line := make([]byte, 4096)
	n := 0
	for C.fgets((*C.char)(unsafe.Pointer(&line[0])), C.int(len(line)), f) != nil {
		n++
	}
	return n, nil
}

func dirExists(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	d := C.opendir(cpath)
	if d == nil {
		return false
	}
	C.free(unsafe.Pointer(d)) // want `memory from C\.opendir at line 75 is released with C\.free; release it with C\.closedir`
	return true
}

func canResolve(host string) bool {
	chost := C.CString(host)
	defer C.free(unsafe.Pointer(chost))
	var res *C.struct_addrinfo
	if C.getaddrinfo(chost, nil, nil, &res) != 0 {
		return false
	}
	C.free(unsafe.Pointer(res)) // want `memory from C\.getaddrinfo at line 87 is released with C\.free; release it with C\.freeaddrinfo`
	return true
}

func scratchChecksum(n int) int {
	buf := C.lib_alloc(C.size_t(n))
	if buf == nil {
		return 0
	}
	m := C.read_into(buf, C.size_t(n))
	sum := 0
	if m > 0 {
		sum = int(C.checksum(buf, m))
	}
	C.free(buf) // want `memory from C\.lib_alloc at line 95 is released with C\.free; release it with C\.lib_free`
	return sum
}

// Right on the success path, wrong on the error path.
func readRecordLib(n int) ([]byte, error) {
	rec := C.lib_alloc(C.size_t(n))
	if rec == nil {
		return nil, errNoMem
	}
	m := C.read_into(rec, C.size_t(n))
	if m < 0 {
		C.free(rec) // want `memory from C\.lib_alloc at line 110 is released with C\.free; release it with C\.lib_free`
		return nil, errRead
	}
	out := C.GoBytes(rec, m)
	C.lib_free(rec)
	return out, nil
}

// Near miss: fclose for fopen.
func firstByte(path string) (int, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cmode := C.CString("r")
	defer C.free(unsafe.Pointer(cmode))
	f := C.fopen(cpath, cmode)
	if f == nil {
		return 0, fmt.Errorf("open %s", path)
	}
	defer C.fclose(f)
	var b [1]byte
	if C.fread(unsafe.Pointer(&b[0]), 1, 1, f) != 1 {
		return 0, fmt.Errorf("read %s: %w", path, errRead)
	}
	return int(b[0]), nil
}

// Near miss: closedir for opendir.
func isDir(path string) bool {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	d := C.opendir(cpath)
	if d == nil {
		return false
	}
	C.closedir(d)
	return true
}

// Near miss: freeaddrinfo for getaddrinfo.
func resolves(host string) bool {
	chost := C.CString(host)
	defer C.free(unsafe.Pointer(chost))
	var res *C.struct_addrinfo
	if C.getaddrinfo(chost, nil, nil, &res) != 0 {
		return false
	}
	C.freeaddrinfo(res)
	return true
}

// Near miss: lib_free for lib_alloc, and free for malloc in the same
// function.
func copyThroughLib(n int) int {
	buf := C.lib_alloc(C.size_t(n))
	if buf == nil {
		return 0
	}
	tmp := C.malloc(C.size_t(n))
	if tmp == nil {
		C.lib_free(buf)
		return 0
	}
	C.read_into(tmp, C.size_t(n))
	sum := int(C.checksum(tmp, C.int(n)))
	C.free(tmp)
	C.lib_free(buf)
	return sum
}
