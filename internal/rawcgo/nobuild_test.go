package rawcgo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestLoadNoBuild loads the demo package without building it: the user's
// files and cgo's declarations type-check together in the raw shape,
// the packages cgo's declarations import are loaded without being
// roots, and cleanup removes cgo's output.
func TestLoadNoBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cgo and gcc")
	}
	roots, cleanup, err := LoadNoBuild(&packages.Config{Dir: filepath.Join("..", "..")}, "./testdata/src/demo")
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 1 {
		t.Fatalf("%d roots, want the demo package only", len(roots))
	}
	p := roots[0]
	for _, e := range p.Errors {
		t.Errorf("%s: %v", p.ID, e)
	}
	if p.IllTyped || p.Types == nil || p.TypesInfo == nil || p.TypesSizes == nil {
		t.Fatalf("%s: not type-checked (ill-typed %v)", p.ID, p.IllTyped)
	}
	for _, name := range []string{"_Cfunc_CString", "_Cfunc_free", "_Ctype_char"} {
		if p.Types.Scope().Lookup(name) == nil {
			t.Errorf("%s: cgo's %s not declared", p.ID, name)
		}
	}
	gotypes := ""
	for _, f := range p.CompiledGoFiles {
		if strings.HasSuffix(f, "_cgo_gotypes.go") {
			gotypes = f
		}
	}
	if gotypes == "" || len(p.Syntax) != len(p.CompiledGoFiles) {
		t.Fatalf("compiled files %v, %d syntax trees: want the user's files and _cgo_gotypes.go", p.CompiledGoFiles, len(p.Syntax))
	}
	for _, path := range []string{"syscall", "runtime/cgo"} {
		if dep := p.Imports[path]; dep == nil || dep.Types == nil {
			t.Errorf("%s: import of %s not loaded", p.ID, path)
		}
	}
	cleanup()
	if _, err := os.Stat(gotypes); !os.IsNotExist(err) {
		t.Errorf("cleanup left %s: %v", gotypes, err)
	}
}

// The standard library's packages come from export data unless the
// patterns name them.
func TestLoadNoBuildStdFromExportData(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cgo and gcc")
	}
	roots, cleanup, err := LoadNoBuild(&packages.Config{Dir: filepath.Join("..", "..")}, "./testdata/src/demo", "errors")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	var demo, errs *packages.Package
	for _, p := range roots {
		switch p.PkgPath {
		case "errors":
			errs = p
		default:
			demo = p
		}
	}
	if demo == nil || errs == nil {
		t.Fatalf("roots %v, want the demo and errors", roots)
	}
	if len(errs.Syntax) == 0 || errs.TypesInfo == nil {
		t.Error("errors, named by the patterns, was not type-checked from source")
	}
	dep := demo.Imports["runtime/cgo"]
	if dep == nil || dep.Types == nil || !dep.Types.Complete() {
		t.Fatal("runtime/cgo not loaded")
	}
	if len(dep.Syntax) != 0 || dep.TypesInfo != nil {
		t.Errorf("runtime/cgo was type-checked from source (%d files), want its export data", len(dep.Syntax))
	}
	for _, e := range demo.Errors {
		t.Errorf("%s: %v", demo.ID, e)
	}
}
