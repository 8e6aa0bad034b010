// Leaks: C memory that a function allocates and drops on some path out
// of it. The finding sits on the allocation and names the return that
// loses the memory (the closing brace when the function falls off its
// end). Paths on which nothing was allocated (a NULL result) or on which
// the memory was freed do not count. Memory from C.CString, C.CBytes,
// C.malloc, C.calloc, C.realloc, C.strdup and a C function whose body
// returns malloc'd memory is covered.
package cgoalloc

/*
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// The key is checked before it is stored, and the check returns early
// without freeing it.
func putSetting(key, value string) error {
	ckey := C.CString(key) // want `memory from C\.CString at line 26 leaks on the path that returns at line 30\b`
	cval := C.CString(value)
	defer C.free(unsafe.Pointer(cval))
	if C.name_ok(ckey) == 0 {
		return errInvalid
	}
	rc := C.db_put(ckey, cval)
	C.free(unsafe.Pointer(ckey))
	if rc != 0 {
		return fmt.Errorf("db_put %q: rc=%d", key, rc)
	}
	return nil
}

func sendPacket(payload []byte) error {
	if len(payload) == 0 {
		return nil
	}
	buf := C.CBytes(payload) // want `memory from C\.CBytes at line 44 leaks on the path that returns at line 47\b`
	n := C.send_buf(buf, C.size_t(len(payload)))
	if n < 0 {
		return fmt.Errorf("send %d bytes: %w", len(payload), errSend)
	}
	C.free(buf)
	return nil
}

// The NULL check returns nothing to free; the read error returns the
// buffer.
func readRecord(size int) ([]byte, error) {
	buf := C.malloc(C.size_t(size)) // want `memory from C\.malloc at line 56 leaks on the path that returns at line 62\b`
	if buf == nil {
		return nil, errNoMem
	}
	n := C.read_into(buf, C.size_t(size))
	if n < 0 {
		return nil, errRead
	}
	data := C.GoBytes(buf, n)
	C.free(buf)
	return data, nil
}

// The function falls off its end without freeing.
func logCounters(n int) {
	counts := (*C.int)(C.calloc(C.size_t(n), C.sizeof_int)) // want `memory from C\.calloc at line 71 leaks on the path that returns at line 77\b`
	if counts == nil {
		return
	}
	C.collect_counts(counts, C.int(n))
	fmt.Println("first counter:", *counts)
}

func canonicalName(name string) string {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	dup := C.strdup(cname) // want `memory from C\.strdup at line 82 leaks on the path that returns at line 87\b`
	if dup == nil {
		return name
	}
	C.lowercase(dup)
	return C.GoString(dup)
}

// The realloc idiom is right (the old block is freed when realloc fails,
// and not used once it succeeds), but the grown frame is lost when the
// body cannot be read.
func buildFrame(kind, length int) ([]byte, error) {
	frame := C.malloc(headerLen)
	if frame == nil {
		return nil, errNoMem
	}
	C.put_header(frame, C.int(kind), C.int(length))
	grown := C.realloc(frame, C.size_t(headerLen+length)) // want `memory from C\.realloc at line 99 leaks on the path that returns at line 105\b`
	if grown == nil {
		C.free(frame)
		return nil, errNoMem
	}
	if C.read_body(grown, headerLen, C.size_t(length)) < 0 {
		return nil, errRead
	}
	out := C.GoBytes(grown, C.int(headerLen+length))
	C.free(grown)
	return out, nil
}

const (
	modeRead = iota
	modeWrite
)

func applyMode(path string, mode int) error {
	cpath := C.CString(path) // want `memory from C\.CString at line 118 leaks on the path that returns at line 125\b`
	switch mode {
	case modeRead:
		C.db_open(cpath, 0)
	case modeWrite:
		C.db_open(cpath, 1)
	default:
		return fmt.Errorf("unknown mode %d", mode)
	}
	C.free(unsafe.Pointer(cpath))
	return nil
}

// C.GoString copies; the C string it was built from is never freed.
func lookupAlias(name string) string {
	cname := C.CString(name) // want `memory from C\.CString at line 133 leaks on the path that returns at line 134\b`
	return C.GoString(C.alias_for(cname))
}

// A Go-side validation between the allocation and the free.
func createUser(name, email string) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	cemail := C.CString(email) // want `memory from C\.CString at line 141 leaks on the path that returns at line 143\b`
	if !strings.Contains(email, "@") {
		return fmt.Errorf("bad email %q", email)
	}
	rc := C.db_put(cname, cemail)
	C.free(unsafe.Pointer(cemail))
	if rc != 0 {
		return errStore
	}
	return nil
}

// A bare return with named results.
func hostLabel(host string) (label string, err error) {
	chost := C.CString(host) // want `memory from C\.CString at line 155 leaks on the path that returns at line 158\b`
	if C.name_ok(chost) == 0 {
		err = errInvalid
		return
	}
	label = C.GoString(C.alias_for(chost))
	C.free(unsafe.Pointer(chost))
	return
}

// make_greeting's body returns malloc'd memory.
func greet(name string) string {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	g := C.make_greeting(cname) // want `memory from C\.make_greeting at line 169 leaks on the path that returns at line 173\b`
	if g == nil {
		return ""
	}
	return C.GoString(g)
}

// The allocation is converted to a struct pointer before it is lost.
func loadWorkers(path string) (int, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cfg := (*C.struct_config)(C.malloc(C.sizeof_struct_config)) // want `memory from C\.malloc at line 180 leaks on the path that returns at line 185\b`
	if cfg == nil {
		return 0, errNoMem
	}
	if C.config_load(cfg, cpath) != 0 {
		return 0, fmt.Errorf("load config %s: %w", path, errRead)
	}
	n := int(cfg.workers)
	C.free(unsafe.Pointer(cfg))
	return n, nil
}

// Near miss: every return frees what was allocated before it.
func storeIfValid(key, value string) error {
	ckey := C.CString(key)
	if C.name_ok(ckey) == 0 {
		C.free(unsafe.Pointer(ckey))
		return errInvalid
	}
	cval := C.CString(value)
	rc := C.db_put(ckey, cval)
	C.free(unsafe.Pointer(cval))
	C.free(unsafe.Pointer(ckey))
	if rc != 0 {
		return errStore
	}
	return nil
}

// Near miss: a panicking path is not a leak; the program is going down.
func mustRegister(name string) {
	cname := C.CString(name)
	if C.name_ok(cname) == 0 {
		panic("invalid name " + name)
	}
	C.register_name(cname)
	C.free(unsafe.Pointer(cname))
}
