// Ownership through function calls: Go functions of this package and of
// cgoallochelper that return owned C memory or free their argument, and
// C functions whose bodies (in helpers.c) free or keep their argument.
// An allocation made by a Go function is named after the function as it
// is called: newCName, cPath, cgoallochelper.Dup.
package cgoalloc

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"cgoallochelper"
	"fmt"
	"path/filepath"
	"strings"
	"unsafe"
)

// newCName returns a C copy of name with the application prefix; the
// caller frees it. Near miss: returning the allocation hands it over.
func newCName(name string) *C.char {
	return C.CString("app." + name)
}

// freeCName releases a string from newCName.
func freeCName(cs *C.char) {
	C.free(unsafe.Pointer(cs))
}

// cPath returns a cleaned C path, or an error and nothing to free.
func cPath(p string) (*C.char, error) {
	if strings.ContainsRune(p, 0) {
		return nil, errInvalid
	}
	return C.CString(filepath.Clean(p)), nil
}

// nameLen only reads its argument.
func nameLen(cs *C.char) int {
	return int(C.count_words(cs))
}

func registerApp(name string) error {
	cname := newCName(name) // want `memory from newCName at line 47 leaks on the path that returns at line 49\b`
	if C.register_name(cname) != 0 {
		return errStore
	}
	freeCName(cname)
	return nil
}

func unregisterApp(name string) {
	cname := newCName(name)
	C.unregister_name(cname)
	freeCName(cname)
	C.free(unsafe.Pointer(cname)) // want `memory from newCName at line 56 is freed twice: at line 58 and again at line 59\b`
}

// On cPath's error nothing was allocated; the open error leaks the path.
func touch(path string) error {
	cpath, err := cPath(path) // want `memory from cPath at line 64 leaks on the path that returns at line 69\b`
	if err != nil {
		return err
	}
	if C.db_open(cpath, 1) != 0 {
		return fmt.Errorf("open %s", path)
	}
	C.free(unsafe.Pointer(cpath))
	return nil
}

// release_name (helpers.c) frees its argument.
func dropName(name string) {
	cname := C.CString(name)
	C.register_name(cname)
	C.release_name(cname)
	C.free(unsafe.Pointer(cname)) // want `memory from C\.CString at line 77 is freed twice: at line 79 and again at line 80\b`
}

func taggedLower(tag string) string {
	p := cgoallochelper.Dup(tag) // want `memory from cgoallochelper\.Dup at line 84 leaks on the path that returns at line 86\b`
	C.lowercase((*C.char)(p))
	return C.GoString((*C.char)(p))
}

func discardTag(tag string) int {
	p := cgoallochelper.Dup(tag)
	n := cgoallochelper.Len(p)
	cgoallochelper.Free(p)
	C.free(p) // want `memory from cgoallochelper\.Dup at line 90 is freed twice: at line 92 and again at line 93\b`
	return n
}

// Near miss: set_progname keeps the name for the life of the program.
func initProgramName(argv0 string) {
	cname := C.CString(filepath.Base(argv0))
	C.set_progname(cname)
}

// Near miss: the cross-package allocation is released by the
// cross-package free.
func tagLength(tag string) int {
	p := cgoallochelper.Dup(tag)
	defer cgoallochelper.Free(p)
	return cgoallochelper.Len(p)
}

// Near miss: freed by the Go helper.
func appWords(name string) int {
	cname := newCName(name)
	defer freeCName(cname)
	return nameLen(cname)
}

// Near miss: a Go helper that only reads, then the free.
func wordsIn(text string) int {
	ctext := C.CString(text)
	n := nameLen(ctext)
	C.free(unsafe.Pointer(ctext))
	return n
}

// Near miss: cPath's result is freed on the path where it is non-nil.
func touchChecked(path string) error {
	cpath, err := cPath(path)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cpath))
	if C.db_open(cpath, 1) != 0 {
		return fmt.Errorf("open %s", path)
	}
	return nil
}

// The method of another package frees the field, as its summary says.
func bufferedTag(tag string) int {
	var b cgoallochelper.Buf
	b.P = cgoallochelper.Dup(tag) // want `memory from cgoallochelper\.Dup at line 142 leaks on the path that returns at line 144\b`
	if tag == "" {
		return 0
	}
	defer b.Free()
	return cgoallochelper.Len(b.P)
}

// Near miss: released by the other package's method.
func bufferedTagFreed(tag string) int {
	var b cgoallochelper.Buf
	b.P = cgoallochelper.Dup(tag)
	defer b.Free()
	return cgoallochelper.Len(b.P)
}
