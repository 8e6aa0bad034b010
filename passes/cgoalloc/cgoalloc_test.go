package cgoalloc_test

import (
	"runtime"
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgoalloc"
)

// TestCorpus runs the check on its corpus in both code shapes: cgo's
// output, as go vet and go/packages present it, and the user's own files
// type-checked the way gopls does.
func TestCorpus(t *testing.T) {
	checktest.Run(t, cgoalloc.Analyzer, "cgoalloc", "cgoallocpaths")
}

// TestIntrinsicsHeader runs the check on a package whose preamble
// includes <immintrin.h>, in both shapes: the C side must be read.
func TestIntrinsicsHeader(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("<immintrin.h> is x86's")
	}
	checktest.Run(t, cgoalloc.Analyzer, "cgoallocsimd")
}
