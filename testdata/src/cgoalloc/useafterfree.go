// Use after free: memory read after it was released, by C.GoString, by a
// load through the pointer (*p, p.field), or by passing it to a C
// function. The finding sits on the use and names the release, which may
// be a C function whose body frees its argument, or fclose. Comparing or
// printing the pointer value is not a use; neither is using a new value
// assigned to the same variable.
package cgoalloc

/*
#include <stdio.h>
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"log"
	"unsafe"
)

func normalizePath(path string) string {
	cpath := C.CString(path)
	C.normalize(cpath)
	C.free(unsafe.Pointer(cpath))
	return C.GoString(cpath) // want `memory from C\.CString at line 23 is used after it was freed at line 25\b`
}

// The error is logged with the name after the name was freed.
func commitName(name string) error {
	cname := C.CString(name)
	rc := C.register_name(cname)
	C.free(unsafe.Pointer(cname))
	if rc != 0 {
		C.log_failure(cname) // want `memory from C\.CString at line 31 is used after it was freed at line 33\b`
		return errStore
	}
	return nil
}

func configWorkers(path string) int {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cfg := (*C.struct_config)(C.malloc(C.sizeof_struct_config))
	if cfg == nil {
		return 0
	}
	if C.config_load(cfg, cpath) != 0 {
		C.config_defaults(cfg)
	}
	C.free(unsafe.Pointer(cfg))
	return int(cfg.workers) // want `memory from C\.malloc at line 44 is used after it was freed at line 51\b`
}

func firstCount() int {
	n := (*C.int)(C.malloc(C.sizeof_int))
	if n == nil {
		return -1
	}
	C.collect_counts(n, 1)
	C.free(unsafe.Pointer(n))
	return int(*n) // want `memory from C\.malloc at line 56 is used after it was freed at line 61\b`
}

// release_name frees its argument.
func retireName(name string) string {
	cname := C.CString(name)
	C.lowercase(cname)
	C.release_name(cname)
	return C.GoString(cname) // want `memory from C\.CString at line 67 is used after it was freed at line 69\b`
}

// The stream is flushed after fclose.
func appendLine(path, line string) error {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cmode := C.CString("a")
	defer C.free(unsafe.Pointer(cmode))
	cline := C.CString(line)
	defer C.free(unsafe.Pointer(cline))
	f := C.fopen(cpath, cmode)
	if f == nil {
		return fmt.Errorf("open %s", path)
	}
	C.fputs(cline, f)
	C.fclose(f)
	if C.fflush(f) != 0 { // want `memory from C\.fopen at line 81 is used after it was freed at line 86\b`
		return errWrite
	}
	return nil
}

// The retry resends a buffer that was already released.
func sendWithRetry(payload []byte) error {
	buf := C.CBytes(payload)
	rc := C.send_buf(buf, C.size_t(len(payload)))
	C.free(buf)
	if rc == -2 {
		rc = C.send_buf(buf, C.size_t(len(payload))) // want `memory from C\.CBytes at line 95 is used after it was freed at line 97\b`
	}
	if rc < 0 {
		return errSend
	}
	return nil
}

// Freed through one name, read through the other.
func describeName(name string) string {
	cname := C.CString(name)
	p := unsafe.Pointer(cname)
	C.normalize(cname)
	C.free(p)
	return C.GoString(cname) // want `memory from C\.CString at line 109 is used after it was freed at line 112\b`
}

// Near miss: the string is copied out before it is freed.
func normalizedCopy(path string) string {
	cpath := C.CString(path)
	C.normalize(cpath)
	s := C.GoString(cpath)
	C.free(unsafe.Pointer(cpath))
	return s
}

// Near miss: C.GoBytes copies the block before it is freed.
func readAllBytes(n int) []byte {
	buf := C.malloc(C.size_t(n))
	if buf == nil {
		return nil
	}
	m := C.read_into(buf, C.size_t(n))
	if m < 0 {
		C.free(buf)
		return nil
	}
	b := C.GoBytes(buf, m)
	C.free(buf)
	return b
}

// Near miss: the variable is reused for a new allocation.
func twoGreetings(a, b string) (string, string) {
	cs := C.CString(a)
	first := C.GoString(C.alias_for(cs))
	C.free(unsafe.Pointer(cs))
	cs = C.CString(b)
	second := C.GoString(C.alias_for(cs))
	C.free(unsafe.Pointer(cs))
	return first, second
}

// Near miss: only the pointer value is printed after the free.
func releaseVerbose(n int) {
	buf := C.malloc(C.size_t(n))
	if buf == nil {
		return
	}
	C.wipe(buf, C.size_t(n))
	C.free(buf)
	log.Printf("released buffer %p", buf)
}

// Near miss: the branch that frees returns; the use is on the other
// path.
func commitOrLog(name string) error {
	cname := C.CString(name)
	if C.register_name(cname) == 0 {
		C.free(unsafe.Pointer(cname))
		return nil
	}
	C.log_failure(cname)
	C.free(unsafe.Pointer(cname))
	return errStore
}
