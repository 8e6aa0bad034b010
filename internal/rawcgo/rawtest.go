package rawcgo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// RunTest is the raw-shape counterpart of analysistest.Run: it loads
// the named packages from testdata/src in GOPATH mode, runs a on them in
// the raw shape, and checks the diagnostics against the `// want`
// comments. Dependencies under testdata/src get facts but are not
// checked.
func RunTest(t *testing.T, testdata string, a *analysis.Analyzer, pkgpaths ...string) {
	t.Helper()
	testdata, err := filepath.Abs(testdata)
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOPATH="+testdata, "GO111MODULE=off", "GOPROXY=off", "GOWORK=off")
	pkgs, err := Load(filepath.Join(testdata, "src"), env, pkgpaths...)
	if err != nil {
		t.Fatalf("loading %v: %v", pkgpaths, err)
	}
	diags, err := Run(pkgs, a)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, p := range pkgpaths {
		want[p] = true
	}
	checked := 0
	for _, p := range pkgs {
		if !want[p.PkgPath] {
			continue
		}
		checked++
		for _, e := range p.Errors {
			t.Errorf("%s: type error in the raw shape: %v", p.PkgPath, e)
		}
		ex, err := ReadWants(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range Check(p, ex, diags[p]) {
			t.Error(strings.TrimPrefix(msg, testdata+string(filepath.Separator)))
		}
	}
	if checked != len(pkgpaths) {
		t.Fatalf("checked %d of %d packages", checked, len(pkgpaths))
	}
}
