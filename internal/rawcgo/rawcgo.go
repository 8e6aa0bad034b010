// Package rawcgo type-checks cgo packages in the raw shape gopls uses:
// the user's own .go files, with C.f selectors resolved against cgo's
// _cgo_gotypes.go, instead of the rewritten files go vet and
// go/packages hand to analyzers. ffivet's tests run every check on both
// shapes, and the language server uses this shape for unsaved buffers.
package rawcgo

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"unsafe"

	"golang.org/x/tools/go/packages"
)

// A Package is one package type-checked in the raw shape.
type Package struct {
	PkgPath string
	Fset    *token.FileSet
	Files   []*ast.File // the user's files, then cgo's _cgo_gotypes.go
	Types   *types.Package
	Info    *types.Info
	Imports []*Package // raw-shape imports among the loaded packages
	Errors  []error
}

// setUsesCgo turns on the go/types mode gopls relies on, in which the
// checker resolves C.x against the _C... declarations of cgo's output.
// The field is unexported; it has existed under this name since Go 1.15.
func setUsesCgo(conf *types.Config) bool {
	f := reflect.ValueOf(conf).Elem().FieldByName("go115UsesCgo")
	if !f.IsValid() || f.Kind() != reflect.Bool {
		return false
	}
	*(*bool)(unsafe.Pointer(f.UnsafeAddr())) = true
	return true
}

// Load loads the packages matching patterns (run in dir, with env added
// to the environment) and type-checks each package that is not in the
// standard library again in the raw shape, dependencies first. Standard
// library packages keep the types go/packages loaded.
func Load(dir string, env []string, patterns ...string) ([]*Package, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedDeps | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:   dir,
		Env:   env,
		Tests: false,
	}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	var order []*packages.Package
	seen := map[*packages.Package]bool{}
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		paths := make([]string, 0, len(p.Imports))
		for path := range p.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			visit(p.Imports[path])
		}
		order = append(order, p)
	}
	for _, r := range roots {
		visit(r)
	}
	fset := token.NewFileSet()
	done := map[string]*Package{}
	imported := map[string]*types.Package{}
	var out []*Package
	for _, p := range order {
		if isStd(p) {
			imported[p.PkgPath] = p.Types
			continue
		}
		rp, err := check(fset, p, imported, done)
		if err != nil {
			return nil, err
		}
		imported[p.PkgPath] = rp.Types
		done[p.PkgPath] = rp
		out = append(out, rp)
	}
	// Return the roots' raw packages last, dependencies first.
	return out, nil
}

// isStd reports whether p is part of the standard library: its files
// are under GOROOT.
func isStd(p *packages.Package) bool {
	files := p.GoFiles
	if len(files) == 0 {
		files = p.CompiledGoFiles
	}
	if len(files) == 0 {
		return p.PkgPath == "unsafe" || !strings.Contains(p.PkgPath, ".")
	}
	root := filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
	return strings.HasPrefix(files[0], root)
}

// check parses p's user files and cgo's type declarations and
// type-checks them in the raw shape.
func check(fset *token.FileSet, p *packages.Package, imported map[string]*types.Package, done map[string]*Package) (*Package, error) {
	rp := &Package{PkgPath: p.PkgPath, Fset: fset}
	usesCgo := false
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				usesCgo = true
			}
		}
		rp.Files = append(rp.Files, f)
	}
	if usesCgo {
		found := false
		for _, name := range p.CompiledGoFiles {
			// cgo's declarations file has no //line directive and
			// declares _cgo_runtime_cgocall.
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				continue
			}
			if declares(f, "_cgo_runtime_cgocall") {
				rp.Files = append(rp.Files, f)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%s: cgo's type declarations not found among the compiled files", p.PkgPath)
		}
	}
	conf := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if tp, ok := imported[path]; ok {
				return tp, nil
			}
			return nil, fmt.Errorf("package %s not loaded", path)
		}),
		Error: func(err error) { rp.Errors = append(rp.Errors, err) },
	}
	if usesCgo && !setUsesCgo(conf) {
		return nil, fmt.Errorf("this Go version's type checker has no cgo mode")
	}
	rp.Info = newInfo()
	rp.Types, _ = conf.Check(p.PkgPath, fset, rp.Files, rp.Info)
	for path := range p.Imports {
		if dep, ok := done[path]; ok {
			rp.Imports = append(rp.Imports, dep)
		}
	}
	return rp, nil
}

func declares(f *ast.File, name string) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name {
			return true
		}
	}
	return false
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// newInfo returns a types.Info that records everything the checks and
// SSA read.
func newInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
}
