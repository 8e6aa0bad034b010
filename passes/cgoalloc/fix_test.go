package cgoalloc_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgoalloc"
)

// TestFixes applies the deferred frees cgoalloc suggests, in both code
// shapes, and compares fix.go with fix.go.golden.
func TestFixes(t *testing.T) {
	checktest.RunWithFixes(t, cgoalloc.Analyzer, "cgoallocfix", "fix.go")
}
