// Inline allocations: C.CString (or another allocator) written as an
// argument of a C function that only reads it. Nothing holds the pointer,
// so nothing can free it. The finding sits on the allocating call and
// names the function it is passed to. Passing it to a function that
// frees it, keeps it or takes ownership of it is correct.
package cgoalloc

/*
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"unsafe"
)

func isValidName(name string) bool {
	return C.name_ok(C.CString(name)) != 0 // want `memory from C\.CString at line 24 is passed to C\.name_ok, which does not take ownership, and is never freed`
}

// Two allocations on one line, two findings.
func storePair(key, value string) error {
	if C.db_put(C.CString(key), C.CString(value)) != 0 { // want `memory from C\.CString at line 29 is passed to C\.db_put, which does not take ownership, and is never freed` `memory from C\.CString at line 29 is passed to C\.db_put, which does not take ownership, and is never freed`
		return errStore
	}
	return nil
}

// strlen is described by the libc knowledge table, not by a body.
func cLength(s string) int {
	return int(C.strlen(C.CString(s))) // want `memory from C\.CString at line 37 is passed to C\.strlen, which does not take ownership, and is never freed`
}

func sendBytes(b []byte) error {
	if n := C.send_buf(C.CBytes(b), C.size_t(len(b))); n < 0 { // want `memory from C\.CBytes at line 41 is passed to C\.send_buf, which does not take ownership, and is never freed`
		return fmt.Errorf("send: rc=%d", n)
	}
	return nil
}

func logWordCount(text string) {
	log.Printf("%d words", C.count_words(C.CString(text))) // want `memory from C\.CString at line 48 is passed to C\.count_words, which does not take ownership, and is never freed`
}

func runQuery(query string) error {
	if rc := C.db_exec(C.CString(query)); rc != 0 { // want `memory from C\.CString at line 52 is passed to C\.db_exec, which does not take ownership, and is never freed`
		return fmt.Errorf("query failed: rc=%d", rc)
	}
	return nil
}

// register_name copies the name, so the copy strdup made is lost.
func registerCopy(name string) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	C.register_name(C.strdup(cname)) // want `memory from C\.strdup at line 62 is passed to C\.register_name, which does not take ownership, and is never freed`
}

// Inside a loop the inline finding is still the one reported.
func registerEach(names []string) {
	for _, name := range names {
		C.register_name(C.CString(name)) // want `memory from C\.CString at line 68 is passed to C\.register_name, which does not take ownership, and is never freed`
	}
}

// Near miss: release_name frees its argument.
func dropRegistered(name string) {
	C.release_name(C.CString(name))
}

// Near miss: set_progname keeps its argument for the life of the
// program.
func initProgname() {
	C.set_progname(C.CString(filepath.Base(os.Args[0])))
}

// Near miss: set_label takes ownership and frees the label it replaces.
func setLabel(label string) {
	C.set_label(C.CString(label))
}

// Near miss: the allocation is returned, not passed.
func newScratch(n int) unsafe.Pointer {
	return C.calloc(C.size_t(n), 1)
}
