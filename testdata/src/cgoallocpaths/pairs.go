// Go helpers returning (p, err) where err != nil means there is no p:
// the caller's error path holds nothing to release, while its other
// paths still own p.
package cgoallocpaths

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"errors"
	"sync"
	"unsafe"
)

var (
	errEmpty   = errors.New("empty name")
	errTooLong = errors.New("name too long")
	mu         sync.Mutex
)

// The results are stored into slots that the deferred unlock leaves for
// the return to read.
func lockedName(s string) (*C.char, error) {
	mu.Lock()
	defer mu.Unlock()
	if s == "" {
		return nil, errEmpty
	}
	return C.CString(s), nil
}

// One return statement, reached with p and err from either branch.
func checkedName(s string) (p *C.char, err error) {
	if len(s) > 64 {
		err = errTooLong
	} else {
		p = C.CString(s)
	}
	return p, err
}

// Returns memory together with an error: the caller must free it on
// both paths.
func truncatedName(s string) (*C.char, error) {
	if len(s) > 64 {
		return C.CString(s[:64]), errTooLong
	}
	return C.CString(s), nil
}

// Near miss: err != nil means lockedName allocated nothing.
func nameLen(s string) (int, error) {
	p, err := lockedName(s)
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(p))
	return int(C.strlen(p)), nil
}

// Near miss: likewise for checkedName.
func checkedLen(s string) (int, error) {
	p, err := checkedName(s)
	if err != nil {
		return 0, err
	}
	n := int(C.strlen(p))
	C.free(unsafe.Pointer(p))
	return n, nil
}

// The error path holds nothing, but a short name is returned without
// being freed.
func nameLenShort(s string) (int, error) {
	p, err := lockedName(s) // want `memory from lockedName at line 78 leaks on the path that returns at line 83\b`
	if err != nil {
		return 0, err
	}
	if C.strlen(p) < 2 {
		return 0, errEmpty
	}
	defer C.free(unsafe.Pointer(p))
	return int(C.strlen(p)), nil
}

// Likewise after checkedName.
func checkedLenShort(s string) (int, error) {
	p, err := checkedName(s) // want `memory from checkedName at line 91 leaks on the path that returns at line 96\b`
	if err != nil {
		return 0, err
	}
	if C.strlen(p) < 2 {
		return 0, errEmpty
	}
	defer C.free(unsafe.Pointer(p))
	return int(C.strlen(p)), nil
}

// truncatedName returns memory together with its error: the error path
// leaks it.
func truncatedLen(s string) (int, error) {
	p, err := truncatedName(s) // want `memory from truncatedName at line 105 leaks on the path that returns at line 107\b`
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(p))
	return int(C.strlen(p)), nil
}

// Named results assigned one at a time, then a bare return; the
// deferred unlock puts them in variables the return reads.
func namedName(s string) (p *C.char, err error) {
	mu.Lock()
	defer mu.Unlock()
	if s == "" {
		err = errEmpty
		return
	}
	p = C.CString(s)
	return
}

// Near miss: err != nil means namedName allocated nothing.
func namedLen(s string) (int, error) {
	p, err := namedName(s)
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(p))
	return int(C.strlen(p)), nil
}

// The error path holds nothing, but the path for "-" leaks.
func namedLenDash(s string) (int, error) {
	p, err := namedName(s) // want `memory from namedName at line 138 leaks on the path that returns at line 143\b`
	if err != nil {
		return 0, err
	}
	if s == "-" {
		return 0, nil
	}
	defer C.free(unsafe.Pointer(p))
	return int(C.strlen(p)), nil
}
