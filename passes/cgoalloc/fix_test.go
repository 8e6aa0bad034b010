package cgoalloc_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgoalloc"
)

// TestFixes applies the fixes cgoalloc suggests (a deferred free after
// an allocation, a deferred closure for a free evaluated too early), in
// both code shapes, and compares each file with its .golden.
func TestFixes(t *testing.T) {
	checktest.RunWithFixes(t, cgoalloc.Analyzer, "cgoallocfix", "fix.go", "defernil.go")
}
