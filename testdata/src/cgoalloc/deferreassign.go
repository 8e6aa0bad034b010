// Deferred release of a variable that is reassigned afterwards. The
// arguments of a deferred call are evaluated at the defer statement, so
// the deferred C.free releases the old value and the newly assigned
// allocation leaks (and after realloc, the old value may already be
// gone). The finding sits on the defer statement and names the
// assignment; the leak of the new value is not reported separately. The
// near misses free through a closure, which reads the variable when it
// runs, give each value its own defer, or reassign the variable to
// something that needs no freeing.
package cgoalloc

/*
#include <stdio.h>
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func openDatabase(name, fallback string) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `the deferred C\.free at line 26 frees the value cname had at the defer, not the one assigned at line 28\b`
	if C.name_ok(cname) == 0 {
		cname = C.CString(fallback)
	}
	if C.db_open(cname, 0) != 0 {
		return fmt.Errorf("open database %s", name)
	}
	return nil
}

// The buffer grows with realloc until the reader fits.
func readMessage() ([]byte, error) {
	size := C.size_t(64)
	buf := C.malloc(size)
	if buf == nil {
		return nil, errNoMem
	}
	defer C.free(buf) // want `the deferred C\.free at line 43 frees the value buf had at the defer, not the one assigned at line 51\b`
	n := C.read_into(buf, size)
	for n == -2 {
		size *= 2
		bigger := C.realloc(buf, size)
		if bigger == nil {
			return nil, errNoMem
		}
		buf = bigger
		n = C.read_into(buf, size)
	}
	if n < 0 {
		return nil, errRead
	}
	return C.GoBytes(buf, n), nil
}

func columnText(width int) string {
	need := 64
	buf := (*C.char)(C.malloc(C.size_t(need)))
	if buf == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(buf)) // want `the deferred C\.free at line 66 frees the value buf had at the defer, not the one assigned at line 69\b`
	if width+1 > need {
		need = width + 1
		buf = (*C.char)(C.malloc(C.size_t(need)))
		if buf == nil {
			return ""
		}
	}
	C.wipe(unsafe.Pointer(buf), C.size_t(need))
	return C.GoString(buf)
}

// The line goes to the backup file when the log is being rotated.
func writeLog(path, backup, line string, rotating bool) error {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cbackup := C.CString(backup)
	defer C.free(unsafe.Pointer(cbackup))
	cmode := C.CString("a")
	defer C.free(unsafe.Pointer(cmode))
	cline := C.CString(line)
	defer C.free(unsafe.Pointer(cline))
	f := C.fopen(cpath, cmode)
	if f == nil {
		return fmt.Errorf("open %s", path)
	}
	defer C.fclose(f) // want `the deferred C\.fclose at line 92 frees the value f had at the defer, not the one assigned at line 94\b`
	if rotating {
		f = C.fopen(cbackup, cmode)
		if f == nil {
			return fmt.Errorf("open %s", backup)
		}
	}
	if C.fputs(cline, f) < 0 {
		return errWrite
	}
	return nil
}

func upload(payload []byte, compress bool) error {
	data := C.CBytes(payload)
	defer C.free(data) // want `the deferred C\.free at line 107 frees the value data had at the defer, not the one assigned at line 111\b`
	n := len(payload)
	if compress {
		packed := runLength(payload)
		data = C.CBytes(packed)
		n = len(packed)
	}
	if C.send_buf(data, C.size_t(n)) < 0 {
		return errSend
	}
	return nil
}

// runLength is a stand-in compressor.
func runLength(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && j-i < 255 && b[j] == b[i] {
			j++
		}
		out = append(out, byte(j-i), b[i])
		i = j
	}
	return out
}

// Near miss: the closure frees whatever cname holds when it runs, and the
// first value was freed before it was replaced.
func openWithFallback(name, fallback string) error {
	cname := C.CString(name)
	defer func() { C.free(unsafe.Pointer(cname)) }()
	if C.name_ok(cname) == 0 {
		C.free(unsafe.Pointer(cname))
		cname = C.CString(fallback)
	}
	if C.db_open(cname, 0) != 0 {
		return fmt.Errorf("open database %s", name)
	}
	return nil
}

// Near miss: each value has its own defer.
func putBoth(key, value string) error {
	cs := C.CString(key)
	defer C.free(unsafe.Pointer(cs))
	if C.name_ok(cs) == 0 {
		return errInvalid
	}
	ckey := cs
	cs = C.CString(value)
	defer C.free(unsafe.Pointer(cs))
	if C.db_put(ckey, cs) != 0 {
		return errStore
	}
	return nil
}

// Near miss: the cursor moves past the header; the defer still frees the
// start of the block, which is right.
func frameBody(length int) int {
	frame := C.malloc(C.size_t(headerLen + length))
	if frame == nil {
		return 0
	}
	defer C.free(frame)
	if C.read_body(frame, headerLen, C.size_t(length)) < 0 {
		return 0
	}
	frame = unsafe.Add(frame, headerLen)
	return int(C.checksum(frame, C.int(length)))
}

// Near miss: the variable is pointed at the environment, which needs no
// freeing; the defer frees the allocation.
func configDir(def string) string {
	dir := C.CString(def)
	defer C.free(unsafe.Pointer(dir))
	ckey := C.CString("XDG_CONFIG_HOME")
	defer C.free(unsafe.Pointer(ckey))
	if env := C.getenv(ckey); env != nil {
		dir = env
	}
	return C.GoString(dir)
}
