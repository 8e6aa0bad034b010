package cgounsafe_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgounsafe"
)

// TestCorpus runs the check on its corpus in both code shapes: cgo's
// output, as go vet and go/packages present it, and the user's own files
// type-checked the way gopls does; in each, the suggested fixes, mapped
// back to the user's files as the driver does, must give the .golden
// files.
func TestCorpus(t *testing.T) {
	checktest.RunWithFixes(t, cgounsafe.Analyzer, "cgounsafe", "views.go")
}
