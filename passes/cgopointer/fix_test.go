package cgopointer_test

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/passes/cgopointer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// goldenFiles are the testdata files whose findings carry suggested
// fixes; each has a .golden file with every fix applied.
var goldenFiles = map[string][]string{
	"cgopointer":      {"precomputed.go", "pinner.go"},
	"cgopointerslice": {"slices.go"},
}

// TestFixesProcessed applies the suggested fixes found in cgo's output,
// mapped back to the user's files through cgo's //line directives, as
// the ffivet driver does.
func TestFixesProcessed(t *testing.T) {
	for pkg := range goldenFiles {
		var diags []analysis.Diagnostic
		var fset *token.FileSet
		for _, r := range analysistest.Run(t, testdata(t), cgopointer.Analyzer, pkg) {
			diags = append(diags, r.Diagnostics...)
			fset = r.Pass.Fset
		}
		checkGolden(t, fset, diags, pkg)
	}
}

// TestFixesRaw applies the suggested fixes found in the raw shape.
func TestFixesRaw(t *testing.T) {
	env := append(os.Environ(), "GOPATH="+testdata(t), "GO111MODULE=off", "GOPROXY=off", "GOWORK=off")
	for pkg := range goldenFiles {
		pkgs, err := rawcgo.Load(filepath.Join(testdata(t), "src"), env, pkg)
		if err != nil {
			t.Fatal(err)
		}
		out, err := rawcgo.Run(pkgs, cgopointer.Analyzer)
		if err != nil {
			t.Fatal(err)
		}
		for p, diags := range out {
			if p.PkgPath == pkg {
				checkGolden(t, p.Fset, diags, pkg)
			}
		}
	}
}

// An edit is a suggested edit placed in a user's file.
type edit struct {
	start, end int
	text       string
}

func checkGolden(t *testing.T, fset *token.FileSet, diags []analysis.Diagnostic, pkg string) {
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
				edits[filepath.Base(start.Filename)] = append(edits[filepath.Base(start.Filename)], edit{s, e, string(te.NewText)})
			}
		}
	}
	for _, name := range goldenFiles[pkg] {
		src, err := os.ReadFile(filepath.Join(testdata(t), "src", pkg, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(testdata(t), "src", pkg, name+".golden"))
		if err != nil {
			t.Fatal(err)
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
