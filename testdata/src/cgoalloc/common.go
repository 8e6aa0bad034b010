// Package cgoalloc is the test corpus of the cgoalloc check: C memory
// whose ownership crosses the cgo boundary. Each file covers one kind of
// finding, with the buggy cases (marked by want comments) next to the
// correct code a naive checker would flag. The C side is helpers.h and
// helpers.c plus each file's preamble; cgoallochelper is a second package
// whose functions allocate and free, so ownership crosses packages too.
//
// This file holds the errors the cases share.
package cgoalloc

import "errors"

var (
	errInvalid = errors.New("invalid name")
	errNoMem   = errors.New("out of memory")
	errRead    = errors.New("read failed")
	errSend    = errors.New("send failed")
	errStore   = errors.New("store failed")
	errWrite   = errors.New("write failed")
)

// headerLen is the size of the frame header put_header writes.
const headerLen = 4
