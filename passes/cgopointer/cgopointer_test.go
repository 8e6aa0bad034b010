package cgopointer_test

import (
	"path/filepath"
	"testing"

	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/passes/cgopointer"
	"golang.org/x/tools/go/analysis/analysistest"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestProcessed runs the check on cgo's output, as go vet and
// go/packages present it.
func TestProcessed(t *testing.T) {
	analysistest.Run(t, testdata(t), cgopointer.Analyzer, "cgopointer")
}

// TestRaw runs the check on the user's own files type-checked the way
// gopls does.
func TestRaw(t *testing.T) {
	rawcgo.RunTest(t, testdata(t), cgopointer.Analyzer, "cgopointer")
}

// TestProcessedGlobals runs the check on stores through C globals, which
// go/ssa cannot build in the raw shape.
func TestProcessedGlobals(t *testing.T) {
	analysistest.Run(t, testdata(t), cgopointer.Analyzer, "cgopointerglobal")
}

// TestSlices runs the check of addresses of slice elements computed
// before the call, in both shapes.
func TestSlices(t *testing.T) {
	analysistest.Run(t, testdata(t), cgopointer.Analyzer, "cgopointerslice")
	rawcgo.RunTest(t, testdata(t), cgopointer.Analyzer, "cgopointerslice")
}

// TestContexts runs the check of Go memory given to C as a callback's
// context, kept by convention, in both shapes.
func TestContexts(t *testing.T) {
	analysistest.Run(t, testdata(t), cgopointer.Analyzer, "cgopointerctx")
	rawcgo.RunTest(t, testdata(t), cgopointer.Analyzer, "cgopointerctx")
}
