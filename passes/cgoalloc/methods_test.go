package cgoalloc_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgoalloc"
)

// TestMethods runs the check on C memory freed by the methods of a type,
// across calls, in both code shapes.
func TestMethods(t *testing.T) {
	checktest.Run(t, cgoalloc.Analyzer, "cgoallocmethods")
}

// TestMethodFixes applies the fix for a method that frees a field and
// leaves it set, in both code shapes.
func TestMethodFixes(t *testing.T) {
	checktest.RunWithFixes(t, cgoalloc.Analyzer, "cgoallocmethodsfix", "fix.go")
}
