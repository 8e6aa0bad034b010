package cgoerrno_test

import (
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/passes/cgoerrno"
)

// TestCorpus runs the check on its corpus in both code shapes: cgo's
// output, as go vet and go/packages present it, and the user's own files
// type-checked the way gopls does.
func TestCorpus(t *testing.T) {
	checktest.Run(t, cgoerrno.Analyzer, "cgoerrno")
}

// TestConventions runs the check on failure conventions inferred from
// C bodies and annotations, in both shapes.
func TestConventions(t *testing.T) {
	checktest.Run(t, cgoerrno.Analyzer, "cgoerrnoconv")
}
