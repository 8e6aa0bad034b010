package checktest

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/ffivet/ffivet/internal/rawcgo"
)

// RunWithFixes runs a on the package pkg of testdata/src in both code
// shapes, as Run does, and in each checks that applying every suggested
// fix to each of files gives its .golden.
func RunWithFixes(t *testing.T, a *analysis.Analyzer, pkg string, files ...string) {
	t.Helper()
	testdata := Testdata(t)
	dir := filepath.Join(testdata, "src", pkg)
	t.Run("processed", func(t *testing.T) {
		var diags []analysis.Diagnostic
		var fset *token.FileSet
		for _, r := range analysistest.Run(t, testdata, a, pkg) {
			diags = append(diags, r.Diagnostics...)
			fset = r.Pass.Fset
		}
		Check(t, fset, diags, dir, files...)
	})
	t.Run("raw", func(t *testing.T) {
		env := append(os.Environ(), "GOPATH="+testdata, "GO111MODULE=off", "GOPROXY=off", "GOWORK=off")
		pkgs, err := rawcgo.Load(filepath.Join(testdata, "src"), env, pkg)
		if err != nil {
			t.Fatal(err)
		}
		out, err := rawcgo.Run(pkgs, a)
		if err != nil {
			t.Fatal(err)
		}
		for p, diags := range out {
			if p.PkgPath == pkg {
				Check(t, p.Fset, diags, dir, files...)
			}
		}
	})
}

// An edit is a suggested edit placed in a user's file.
type edit struct {
	start, end int
	text       string
}

// Check applies every suggested fix of diags to each of files, in dir,
// and compares the result with the file's .golden.
func Check(t *testing.T, fset *token.FileSet, diags []analysis.Diagnostic, dir string, files ...string) {
	t.Helper()
	edits := map[string][]edit{}
	for _, d := range diags {
		for _, fix := range d.SuggestedFixes {
			for _, te := range fix.TextEdits {
				end := te.End
				if !end.IsValid() {
					end = te.Pos
				}
				start, stop := fset.PositionFor(te.Pos, true), fset.PositionFor(end, true)
				if start.Filename != stop.Filename {
					t.Fatalf("%s: edit spans files", start)
				}
				s, err := offset(start)
				if err != nil {
					t.Fatal(err)
				}
				e, err := offset(stop)
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.Base(start.Filename)
				edits[name] = append(edits[name], edit{s, e, string(te.NewText)})
			}
		}
	}
	for _, name := range files {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if len(edits[name]) == 0 {
			t.Errorf("%s: no suggested fix", name)
		}
		got, err := apply(src, edits[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s after the fixes:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

// offset turns a line and column of the user's file into a byte offset.
func offset(p token.Position) (int, error) {
	src, err := os.ReadFile(p.Filename)
	if err != nil {
		return 0, err
	}
	line := 1
	for i := range src {
		if line == p.Line {
			return i + p.Column - 1, nil
		}
		if src[i] == '\n' {
			line++
		}
	}
	return 0, fmt.Errorf("%s: no such line", p)
}

func apply(src []byte, edits []edit) ([]byte, error) {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := append([]byte(nil), src...)
	last := len(src) + 1
	for _, e := range edits {
		if e.end > last {
			return nil, fmt.Errorf("overlapping edits at %d", e.start)
		}
		out = append(out[:e.start:e.start], append([]byte(e.text), out[e.end:]...)...)
		last = e.start
	}
	return out, nil
}
