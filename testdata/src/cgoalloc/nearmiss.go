// Near misses: correct code that a checker looking only at the shape of
// the code would flag. Memory freed by a defer, by a function, on every
// branch or in the loop body; NULL results; ownership handed to C, to a
// struct, a global, a map, a channel, the caller or a finalizer; copies
// taken with C.GoBytes before the free; a deferred closure that frees the
// final value of a reassigned variable; frees through an alias. Nothing
// here is reported.
package cgoalloc

/*
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

func hashOf(name string) uint32 {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	return uint32(C.hash_name(cname))
}

// freeBuf releases a block from C.malloc, C.CString or C.CBytes.
func freeBuf(p unsafe.Pointer) {
	if p != nil {
		C.free(p)
	}
}

func sendCopy(payload []byte) bool {
	buf := C.CBytes(payload)
	defer freeBuf(buf)
	return C.send_buf(buf, C.size_t(len(payload))) >= 0
}

func registerOrReport(name string) error {
	cname := C.CString(name)
	switch {
	case C.name_ok(cname) == 0:
		C.free(unsafe.Pointer(cname))
		return errInvalid
	case C.register_name(cname) != 0:
		C.log_failure(cname)
		C.free(unsafe.Pointer(cname))
		return errStore
	default:
		C.free(unsafe.Pointer(cname))
		return nil
	}
}

func totalWords(lines []string) int {
	total := 0
	for _, line := range lines {
		cline := C.CString(line)
		total += int(C.count_words(cline))
		C.free(unsafe.Pointer(cline))
	}
	return total
}

func warmCache(n int) {
	p := C.malloc(C.size_t(n))
	if p == nil {
		return
	}
	C.wipe(p, C.size_t(n))
	C.free(p)
}

// release_name frees its argument.
func forget(name string) {
	cname := C.CString(name)
	C.unregister_name(cname)
	C.release_name(cname)
}

// set_progname keeps its argument.
func setProgramName(name string) {
	cname := C.CString(name)
	C.set_progname(cname)
}

// A statement owns its SQL text until Close.
type statement struct {
	sql *C.char
}

func prepare(sql string) *statement {
	st := &statement{}
	st.sql = C.CString(sql)
	return st
}

func (st *statement) Close() {
	C.free(unsafe.Pointer(st.sql))
	st.sql = nil
}

var defaultLocale *C.char

func setDefaultLocale(locale string) {
	if defaultLocale != nil {
		C.free(unsafe.Pointer(defaultLocale))
	}
	defaultLocale = C.CString(locale)
}

var interned = map[string]*C.char{}

func intern(s string) *C.char {
	if p, ok := interned[s]; ok {
		return p
	}
	p := C.CString(s)
	interned[s] = p
	return p
}

func produceNames(names []string, out chan<- *C.char) {
	for _, n := range names {
		cname := C.CString(n)
		out <- cname
	}
	close(out)
}

func checkedName(name string) *C.char {
	cname := C.CString(name)
	if C.name_ok(cname) == 0 {
		C.free(unsafe.Pointer(cname))
		return nil
	}
	return cname
}

// A Handle keeps a C name alive until it is collected.
type Handle struct {
	id int
}

func newHandle(name string) *Handle {
	cname := C.CString(name)
	h := &Handle{id: int(C.register_name(cname))}
	runtime.SetFinalizer(h, func(*Handle) {
		C.unregister_name(cname)
		C.free(unsafe.Pointer(cname))
	})
	return h
}

// A Buffer is Go's view of a block of C memory.
type Buffer struct {
	data []byte
}

func newBuffer(n int) *Buffer {
	p := C.malloc(C.size_t(n))
	if p == nil {
		return nil
	}
	b := &Buffer{data: unsafe.Slice((*byte)(p), n)}
	runtime.AddCleanup(b, func(p unsafe.Pointer) { C.free(p) }, p)
	return b
}

func readExactly(n int) []byte {
	buf := C.malloc(C.size_t(n))
	if buf == nil {
		return nil
	}
	m := C.read_into(buf, C.size_t(n))
	if m < 0 {
		C.free(buf)
		return nil
	}
	out := C.GoBytes(buf, m)
	C.free(buf)
	return out
}

// The closure frees the final value; the first was freed before it was
// replaced.
func normalizedOr(path, fallback string) string {
	cpath := C.CString(path)
	defer func() { C.free(unsafe.Pointer(cpath)) }()
	if C.name_ok(cpath) == 0 {
		C.free(unsafe.Pointer(cpath))
		cpath = C.CString(fallback)
	}
	C.normalize(cpath)
	return C.GoString(cpath)
}

// count_words takes a const char *: it only reads.
func wordCount(text string) int {
	ctext := C.CString(text)
	n := C.count_words(ctext)
	C.free(unsafe.Pointer(ctext))
	return int(n)
}

func validName(name string) bool {
	cname := C.CString(name)
	p := unsafe.Pointer(cname)
	ok := C.name_ok(cname) != 0
	C.free(p)
	return ok
}

// The typed pointer and the unsafe.Pointer are the same block.
func loadConfigName(path string) string {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	raw := C.malloc(C.sizeof_struct_config)
	if raw == nil {
		return ""
	}
	cfg := (*C.struct_config)(raw)
	defer C.free(raw)
	if C.config_load(cfg, cpath) != 0 {
		return ""
	}
	return C.GoString(&cfg.name[0])
}

// The allocation and its free are under the same condition.
func maybeRegister(name string) {
	var cname *C.char
	if name != "" {
		cname = C.CString(name)
		defer C.free(unsafe.Pointer(cname))
	}
	if cname != nil {
		C.register_name(cname)
	}
}

// strdup of a borrowed string is owned.
func progNameCopy() string {
	dup := C.strdup(C.progname())
	if dup == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(dup))
	C.lowercase(dup)
	return C.GoString(dup)
}
