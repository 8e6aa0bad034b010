// Double frees: memory released twice on one path. The finding sits on
// the second release, which is the defer statement when the deferred call
// is the one that runs second (deferred calls run last, and in reverse
// order). fclose twice is a double free as well. The near misses free on
// exclusive branches, clear the pointer, or free a new allocation.
package cgoalloc

/*
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"log"
	"unsafe"
)

// The abort branch frees and forgets to return.
func closeSession(name string, abort bool) {
	cname := C.CString(name)
	C.unregister_name(cname)
	if abort {
		C.free(unsafe.Pointer(cname))
		log.Printf("session %s aborted", name)
	}
	C.free(unsafe.Pointer(cname)) // want `memory from C\.CString at line 24 is freed twice: at line 27 and again at line 30\b`
}

// An explicit free on the success path, and the deferred one after it.
func exportTable(table string) error {
	ctable := C.CString(table)
	defer C.free(unsafe.Pointer(ctable)) // want `memory from C\.CString at line 35 is freed twice: at line 40 and again at line 36\b`
	if C.db_export(ctable) != 0 {
		return fmt.Errorf("export %s failed", table)
	}
	C.free(unsafe.Pointer(ctable))
	return nil
}

// Two defers of the same free: the later one runs first.
func scratchSum(n int) int {
	buf := C.malloc(C.size_t(n))
	if buf == nil {
		return 0
	}
	defer C.free(buf) // want `memory from C\.malloc at line 46 is freed twice: at line 55 and again at line 50\b`
	m := C.read_into(buf, C.size_t(n))
	if m < 0 {
		return 0
	}
	defer C.free(buf)
	return int(C.checksum(buf, m))
}

// The same block through two names.
func revokeToken(tok string) {
	ctok := C.CString(tok)
	p := unsafe.Pointer(ctok)
	C.unregister_name(ctok)
	C.free(p)
	C.free(unsafe.Pointer(ctok)) // want `memory from C\.CString at line 61 is freed twice: at line 64 and again at line 65\b`
}

// fclose to check the error, and a deferred fclose as well.
func writeReport(path, text string) error {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cmode := C.CString("w")
	defer C.free(unsafe.Pointer(cmode))
	f := C.fopen(cpath, cmode)
	if f == nil {
		return fmt.Errorf("open %s", path)
	}
	defer C.fclose(f) // want `memory from C\.fopen at line 74 is freed twice: at line 82 and again at line 78\b`
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	C.fputs(ctext, f)
	if C.fclose(f) != 0 {
		return fmt.Errorf("close %s: %w", path, errWrite)
	}
	return nil
}

const (
	replyError = iota
	replyData
)

func handleReply(kind int, payload []byte) {
	buf := C.CBytes(payload)
	switch kind {
	case replyError:
		log.Printf("error reply, checksum %d", C.checksum(buf, C.int(len(payload))))
		C.free(buf)
	case replyData:
		C.send_buf(buf, C.size_t(len(payload)))
	}
	C.free(buf) // want `memory from C\.CBytes at line 94 is freed twice: at line 98 and again at line 102\b`
}

// The skip branch frees and forgets to continue.
func registerNonEmpty(names []string) (skipped int) {
	for _, name := range names {
		cname := C.CString(name)
		if C.name_ok(cname) == 0 {
			C.free(unsafe.Pointer(cname))
			skipped++
		} else {
			C.register_name(cname)
		}
		C.free(unsafe.Pointer(cname)) // want `memory from C\.CString at line 108 is freed twice: at line 110 and again at line 115\b`
	}
	return skipped
}

// Near miss: the two frees are on exclusive branches.
func finishSession(name string, abort bool) {
	cname := C.CString(name)
	C.unregister_name(cname)
	if abort {
		C.free(unsafe.Pointer(cname))
		log.Printf("session %s aborted", name)
	} else {
		C.register_name(cname)
		C.free(unsafe.Pointer(cname))
	}
}

// Near miss: the pointer is cleared after the first free and the second
// free is guarded by it.
func resetCache(fill bool) {
	cache := C.malloc(4096)
	if cache == nil {
		return
	}
	if !fill {
		C.free(cache)
		cache = nil
	} else {
		C.wipe(cache, 4096)
	}
	if cache != nil {
		C.free(cache)
	}
}

// Near miss: the second free releases a new allocation.
func twoPasses(first, second string) {
	cs := C.CString(first)
	C.register_name(cs)
	C.free(unsafe.Pointer(cs))
	cs = C.CString(second)
	C.register_name(cs)
	C.free(unsafe.Pointer(cs))
}

// Near miss: the error branch frees and returns.
func exportChecked(table string) error {
	ctable := C.CString(table)
	if C.db_export(ctable) != 0 {
		C.free(unsafe.Pointer(ctable))
		return fmt.Errorf("export %s failed", table)
	}
	C.free(unsafe.Pointer(ctable))
	return nil
}

// Near miss: the deferred free and the explicit one release different
// blocks; strdup made a copy.
func registerLower(name string) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	lower := C.strdup(cname)
	if lower == nil {
		return
	}
	C.lowercase(lower)
	C.register_name(lower)
	C.free(unsafe.Pointer(lower))
}
