package model

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// The standard library's cgo packages are not modeled (see
// inStandardLibrary), while a package of the user's that calls C is.
func TestStandardLibraryNotModeled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cgo")
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "../testdata/src/demo"}
	pkgs, err := packages.Load(cfg, "os/user", ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 2 {
		t.Fatalf("loaded %d packages, want os/user and the demo", len(pkgs))
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range graph.Roots {
		res, _ := act.Result.(*Result)
		if res == nil {
			t.Fatalf("%s: no result (%v)", act, act.Err)
		}
		std := act.Package.PkgPath == "os/user"
		if !res.Cgo {
			t.Errorf("%s: not taken for a cgo package", act.Package.PkgPath)
		}
		if res.Active() == std {
			t.Errorf("%s: modeled = %v, want %v", act.Package.PkgPath, res.Active(), !std)
		}
	}
}
