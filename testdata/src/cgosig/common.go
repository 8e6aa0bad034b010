// Package cgosig is the test corpus of the cgosig check: memory and
// signatures Go and C must agree on. Each file covers one kind of
// finding, with the buggy cases (marked by want comments) next to the
// correct code a naive checker would flag. The C side is cside.h and
// cside.c, which also declares the exported Go callbacks by hand.
//
// The corpus is written for a linux/amd64 host: findings that hold
// there carry no target in their message, the others name the targets
// where they hold.
package cgosig

import "C"

import (
	"errors"
	"math"
)

var errTooLong = errors.New("buffer too long for C")

// cLen converts a length for C after checking that it fits.
func cLen(n int) C.int {
	if n > math.MaxInt32 {
		panic(errTooLong)
	}
	return C.int(n)
}
