// Package cgoerrno is the test corpus of the cgoerrno check: errno read
// across the cgo boundary. Each file covers one kind of finding, with
// the buggy cases (marked by want comments) next to the correct code a
// naive checker would flag. The C side is helpers.h and helpers.c plus
// each file's preamble.
//
// This file holds what the cases share.
package cgoerrno

import "errors"

var (
	errShort   = errors.New("short write")
	errUnknown = errors.New("unknown failure")
)

// logf stands for a logger.
func logf(format string, args ...any) {}
