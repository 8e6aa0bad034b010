package cgopointer_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/fixtest"
	"github.com/ffivet/ffivet/passes/cgopointer"
)

// TestFixes applies the suggested fixes, mapped back to the user's files
// through cgo's //line directives as the ffivet driver does, in both
// code shapes, and compares the files with their .golden.
func TestFixes(t *testing.T) {
	fixtest.Run(t, testdata(t), cgopointer.Analyzer, "cgopointer", "precomputed.go", "pinner.go")
}
