// Package checktest runs a check on its test corpus, testdata/src, in
// both code shapes: cgo's output, as go vet and go/packages give it,
// with analysistest, and the user's own files type-checked as gopls
// does, with internal/rawcgo. Both check the same // want comments.
//
// [RunWithFixes] also checks suggested fixes against .golden files.
// analysistest.RunWithSuggestedFixes cannot do it for cgo code: the
// edits of a finding in a cgo file are positions in cgo's output in the
// build cache, and it looks for a golden file next to that. Here each
// edit is mapped back through cgo's //line directives to the user's
// file, as the ffivet driver does, the edits are applied there, and the
// result is compared with the file's .golden.
package checktest

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/ffivet/ffivet/internal/rawcgo"
)

// Testdata returns the absolute path of the repository's testdata
// directory, found from the current directory up.
func Testdata(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the current directory")
		}
		dir = parent
	}
}

// Run runs a on the packages pkgs of testdata/src in both code shapes,
// as the subtests processed and raw, against their // want comments.
func Run(t *testing.T, a *analysis.Analyzer, pkgs ...string) {
	t.Helper()
	testdata := Testdata(t)
	t.Run("processed", func(t *testing.T) {
		analysistest.Run(t, testdata, a, pkgs...)
	})
	t.Run("raw", func(t *testing.T) {
		rawcgo.RunTest(t, testdata, a, pkgs...)
	})
}
