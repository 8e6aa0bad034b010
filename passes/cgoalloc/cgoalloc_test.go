package cgoalloc_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/passes/cgoalloc"
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
	analysistest.Run(t, testdata(t), cgoalloc.Analyzer, "cgoalloc", "cgoallocpaths")
}

// TestRaw runs the check on the user's own files type-checked the way
// gopls does.
func TestRaw(t *testing.T) {
	rawcgo.RunTest(t, testdata(t), cgoalloc.Analyzer, "cgoalloc", "cgoallocpaths")
}

// TestIntrinsicsHeader runs the check on a package whose preamble
// includes <immintrin.h>, in both shapes: the C side must be read.
func TestIntrinsicsHeader(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("<immintrin.h> is x86's")
	}
	analysistest.Run(t, testdata(t), cgoalloc.Analyzer, "cgoallocsimd")
	rawcgo.RunTest(t, testdata(t), cgoalloc.Analyzer, "cgoallocsimd")
}
