// Freeing what this code does not own: a pointer the C library lends
// (getenv, strerror, a function returning a static buffer or a string
// literal), Go memory (a composite literal, new, the address of a slice
// element), or memory already handed to a C function that took ownership
// of it, by what its body does (set_label frees the label it replaces)
// or by an ffivet:takes annotation (mq_submit). The finding sits on the
// free call.
package cgoalloc

/*
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

// ffivet:takes arg=1
void mq_submit(char *msg);

static const char *version_string(void) {
	static char buf[32];
	static const char v[] = "libhelpers 1.4.2";
	int i = 0;
	for (; v[i] != '\0'; i++)
		buf[i] = v[i];
	buf[i] = '\0';
	return buf;
}

static const char *level_name(int level) {
	switch (level) {
	case 0:
		return "debug";
	case 1:
		return "info";
	default:
		return "error";
	}
}
*/
import "C"

import (
	"unsafe"
)

func homeDir() string {
	ckey := C.CString("HOME")
	defer C.free(unsafe.Pointer(ckey))
	v := C.getenv(ckey)
	if v == nil {
		return "/"
	}
	home := C.GoString(v)
	C.free(unsafe.Pointer(v)) // want `freeing memory not owned by this code: C\.getenv returned it at line 48 and the C library owns it`
	return home
}

func shellPath() string {
	ckey := C.CString("SHELL")
	defer C.free(unsafe.Pointer(ckey))
	sh := C.getenv(ckey)
	if sh == nil {
		return "/bin/sh"
	}
	defer C.free(unsafe.Pointer(sh)) // want `freeing memory not owned by this code: C\.getenv returned it at line 60 and the C library owns it`
	return C.GoString(sh)
}

func errnoText(code int) string {
	msg := C.strerror(C.int(code))
	s := C.GoString(msg)
	C.free(unsafe.Pointer(msg)) // want `freeing memory not owned by this code: C\.strerror returned it at line 69 and the C library owns it`
	return s
}

// version_string returns a static buffer.
func libraryVersion() string {
	v := C.version_string()
	s := C.GoString(v)
	C.free(unsafe.Pointer(v)) // want `freeing memory not owned by this code: C\.version_string returned it at line 77 and the C library owns it`
	return s
}

// level_name returns string literals.
func levelName(level int) string {
	name := C.level_name(C.int(level))
	s := C.GoString(name)
	C.free(unsafe.Pointer(name)) // want `freeing memory not owned by this code: C\.level_name returned it at line 85 and the C library owns it`
	return s
}

func defaultWorkers() int {
	cfg := &C.struct_config{}
	C.config_defaults(cfg)
	n := int(cfg.workers)
	C.free(unsafe.Pointer(cfg)) // want `freeing memory not owned by this code: it is Go memory from line 92\b`
	return n
}

func countOnce() int {
	n := new(C.int)
	C.collect_counts(n, 1)
	v := int(*n)
	C.free(unsafe.Pointer(n)) // want `freeing memory not owned by this code: it is Go memory from line 100\b`
	return v
}

func releaseScratch(data string) {
	p := unsafe.Pointer(&[]byte(data)[0])
	C.wipe(p, C.size_t(len(data)))
	C.free(p) // want `freeing memory not owned by this code: it is Go memory from line 108\b`
}

// set_label frees the label it replaces: the label belongs to it now.
func relabel(label string) {
	clabel := C.CString(label)
	C.set_label(clabel)
	C.free(unsafe.Pointer(clabel)) // want `freeing memory not owned by this code: C\.set_label took ownership of it at line 116\b`
}

// mq_submit is annotated ffivet:takes; the deferred free runs after it.
func publish(msg string) {
	cmsg := C.CString(msg)
	defer C.free(unsafe.Pointer(cmsg)) // want `freeing memory not owned by this code: C\.mq_submit took ownership of it at line 124\b`
	C.mq_submit(cmsg)
}

// Near miss: the environment value is copied with strdup, and the copy
// is owned.
func editorCommand() string {
	ckey := C.CString("EDITOR")
	defer C.free(unsafe.Pointer(ckey))
	v := C.getenv(ckey)
	if v == nil {
		return "vi"
	}
	dup := C.strdup(v)
	if dup == nil {
		return "vi"
	}
	C.lowercase(dup)
	s := C.GoString(dup)
	C.free(unsafe.Pointer(dup))
	return s
}

// Near miss: a borrowed result is read and left alone.
func pathVar() string {
	ckey := C.CString("PATH")
	defer C.free(unsafe.Pointer(ckey))
	return C.GoString(C.getenv(ckey))
}

// Near miss: the submitted message is not freed here.
func publishAll(msgs []string) {
	for _, m := range msgs {
		C.mq_submit(C.CString(m))
	}
	C.mq_drain()
}

// Near miss: make_greeting's result is owned by the caller.
func greeting(name string) string {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	g := C.make_greeting(cname)
	if g == nil {
		return ""
	}
	defer C.free(unsafe.Pointer(g))
	return C.GoString(g)
}

// Near miss: a Go buffer is handed to C to fill, and not freed.
func fillScratch(buf []byte) int {
	return int(C.read_into(unsafe.Pointer(&buf[0]), C.size_t(len(buf))))
}

// Near miss: nothing says whose memory session_token returns (it has no
// body here, no attributes, no annotation).
func dropToken(id int) {
	tok := C.session_token(C.int(id))
	C.free(unsafe.Pointer(tok))
}
