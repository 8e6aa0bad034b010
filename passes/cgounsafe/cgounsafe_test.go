package cgounsafe_test

import (
	"path/filepath"
	"testing"

	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/passes/cgounsafe"
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
	analysistest.Run(t, testdata(t), cgounsafe.Analyzer, "cgounsafe")
}

// TestRaw runs the check on the user's own files type-checked the way
// gopls does.
func TestRaw(t *testing.T) {
	rawcgo.RunTest(t, testdata(t), cgounsafe.Analyzer, "cgounsafe")
}
