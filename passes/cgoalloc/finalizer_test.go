package cgoalloc_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgoalloc"
)

// TestFinalizers runs the check on finalizers and cleanups that free C
// memory Go does not own, in both code shapes.
func TestFinalizers(t *testing.T) {
	checktest.Run(t, cgoalloc.Analyzer, "cgoallocfinalizer")
}
