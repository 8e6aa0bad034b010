// Package cgonarrow is the test corpus of the cgonarrow check: byte
// lengths converted to C integers too narrow for them, next to the
// counts, indexes and bounded lengths a naive checker would flag. The C
// side is cside.h.
//
// The corpus is written for a linux/amd64 host: findings that hold
// there carry no target in their message, the others name the targets
// where they hold.
package cgonarrow

import "C"

import "errors"

var errTooLong = errors.New("buffer too long for C")
