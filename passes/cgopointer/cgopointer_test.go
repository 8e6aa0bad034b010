package cgopointer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgopointer"
)

// TestCorpus runs the check on its corpus in both code shapes: cgo's
// output, as go vet and go/packages present it, and the user's own files
// type-checked the way gopls does; in each, the suggested fixes, mapped
// back to the user's files as the driver does, must give the .golden
// files.
func TestCorpus(t *testing.T) {
	checktest.RunWithFixes(t, cgopointer.Analyzer, "cgopointer", "precomputed.go", "pinner.go")
}

// TestProcessedGlobals runs the check on stores through C globals, which
// go/ssa cannot build in the raw shape.
func TestProcessedGlobals(t *testing.T) {
	analysistest.Run(t, checktest.Testdata(t), cgopointer.Analyzer, "cgopointerglobal")
}

// TestSlices runs the check of addresses of slice elements computed
// before the call, in both shapes, with its fixes.
func TestSlices(t *testing.T) {
	checktest.RunWithFixes(t, cgopointer.Analyzer, "cgopointerslice", "slices.go")
}

// TestContexts runs the check of Go memory given to C as a callback's
// context, kept by convention, in both shapes.
func TestContexts(t *testing.T) {
	checktest.Run(t, cgopointer.Analyzer, "cgopointerctx")
}
