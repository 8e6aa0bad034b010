package cgoalloc_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgoalloc"
)

// TestStored runs the check on C memory stored in structs and slices and
// released by deferred calls, in both code shapes.
func TestStored(t *testing.T) {
	checktest.Run(t, cgoalloc.Analyzer, "cgoallocstored")
}
