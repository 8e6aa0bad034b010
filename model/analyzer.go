package model

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Analyzer builds the model for a package. Every ffivet check requires
// it. It runs on dependencies too, because Go summaries travel as facts,
// but it only builds SSA for packages that use cgo or import a package
// that exported summaries.
var Analyzer = &analysis.Analyzer{
	Name:             "ffivetmodel",
	Doc:              "build ffivet's bridge-region memory model (C declarations, summaries, SSA) for the checks",
	URL:              "https://github.com/ffivet/ffivet/blob/main/docs/architecture.md",
	Run:              runModel,
	RunDespiteErrors: false,
	ResultType:       reflect.TypeFor[*Result](),
	FactTypes:        []analysis.Fact{new(FuncFact), new(pkgFact)},
}

// Result is the model of one package.
type Result struct {
	// Cgo is set when the package uses cgo.
	Cgo bool
	// Bridge is the C side; nil when the package does not use cgo.
	Bridge *bridge.Package
	// SSA and Funcs are nil when the package neither uses cgo nor
	// imports a package with summaries: there is nothing to check.
	SSA   *ssa.Package
	Funcs []*ssa.Function // source functions, anonymous ones included, in source order

	// Files maps each syntax file to the user's file it came from
	// (through cgo's //line directives).
	Files map[*ast.File]string

	// Warnings are the problems that limited what the model knows of
	// the package, each once: C that could not be read (a missing
	// header, a flag that cannot be honoured), or a package whose SSA
	// could not be built. They are not findings; each driver prints or
	// forwards them once per run.
	Warnings []bridge.Warning

	info *types.Info
	// callStarts maps the opening parenthesis of each call in the
	// package to the start of its callee expression (CallStart).
	callStarts map[token.Pos]token.Pos
	// frozen is set once runModel has built everything the checks
	// query: from then on the Result is shared by checks running in
	// parallel and nothing in it is written.
	frozen    bool
	summaries map[*ssa.Function]*GoSummary
	functions map[*ssa.Function]*Function
	imported  map[*types.Func]*GoSummary
	// views lists the package's Go types that are views of C memory.
	views *cViews

	// mu guards functions: the checks of one package share its Result
	// and run in parallel.
	mu sync.Mutex
}

// Function returns the model of fn (cached).
func (res *Result) Function(fn *ssa.Function) *Function {
	res.mu.Lock()
	f, ok := res.functions[fn]
	res.mu.Unlock()
	if ok {
		return f
	}
	f = newFunction(res, fn)
	res.mu.Lock()
	defer res.mu.Unlock()
	if old, ok := res.functions[fn]; ok {
		return old
	}
	res.functions[fn] = f
	return f
}

// Summary returns fn's Go summary, or nil when unknown.
func (res *Result) Summary(fn *ssa.Function) *GoSummary { return res.summarize(fn) }

// Active reports whether there is anything for checks to look at.
func (res *Result) Active() bool { return res.SSA != nil }

func runModel(pass *analysis.Pass) (any, error) {
	res := &Result{
		Files:     map[*ast.File]string{},
		summaries: map[*ssa.Function]*GoSummary{},
		functions: map[*ssa.Function]*Function{},
		imported:  map[*types.Func]*GoSummary{},
		info:      pass.TypesInfo,
	}
	res.Cgo = usesCgo(pass.Pkg)
	factImports := false
	for _, imp := range pass.Pkg.Imports() {
		if pass.ImportPackageFact(imp, new(pkgFact)) {
			factImports = true
			break
		}
	}
	// A package loaded from export data has no syntax to model.
	if !res.Cgo && !factImports || len(pass.Files) == 0 || inStandardLibrary(pass) {
		return res, nil
	}
	if res.Cgo {
		res.Bridge = loadBridge(pass, res)
	}
	if err := guard(func() { res.SSA, res.Funcs = buildSSA(pass) }); err != nil {
		// go/ssa panics on a few shapes of type-checked code (a store
		// through a C global's field in the raw shape). Say so and
		// check nothing in this package rather than crash.
		res.warn(bridge.Warning{Msg: "cannot build SSA, the checks skip this package: " + err.Error()})
		res.SSA, res.Funcs = nil, nil
		res.frozen = true
		return res, nil
	}

	if err := guard(func() { buildModel(pass, res) }); err != nil {
		res.warn(bridge.Warning{Msg: "internal error building the model, the checks skip this package (please report it): " + err.Error()})
		res.SSA, res.Funcs = nil, nil
		res.frozen = true
	}
	return res, nil
}

// buildModel imports and exports facts and computes what checks query,
// then freezes the Result.
func buildModel(pass *analysis.Pass, res *Result) {
	// Facts can only be imported while Run is active, so import every
	// one the package's calls may need now.
	for _, fn := range res.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil || callee.Pkg == res.SSA {
					continue
				}
				obj, ok := callee.Object().(*types.Func)
				if !ok || obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
					continue
				}
				obj = obj.Origin()
				if _, done := res.imported[obj]; done {
					continue
				}
				var fact FuncFact
				if pass.ImportObjectFact(obj, &fact) {
					s := fact.Summary
					res.imported[obj] = &s
				} else {
					res.imported[obj] = nil
				}
			}
		}
	}

	// Export summaries of package-level functions and methods.
	exported := false
	for _, fn := range res.Funcs {
		if fn.Parent() != nil {
			continue
		}
		obj, ok := fn.Object().(*types.Func)
		if !ok {
			continue
		}
		s := res.summarize(fn)
		if os.Getenv("FFIVET_DEBUG") != "" {
			fmt.Fprintf(os.Stderr, "summary %s: %s\n", fn, s)
		}
		if s.interesting() {
			pass.ExportObjectFact(obj, &FuncFact{Summary: *s})
			exported = true
		}
	}
	if exported {
		pass.ExportPackageFact(new(pkgFact))
	}

	// Build what the checks will query, then freeze: checks of one
	// package run in parallel and share this Result.
	for _, fn := range res.Funcs {
		f := res.Function(fn)
		res.summarize(fn)
		f.Objects()
		f.callStarts = callStarts(fn)
	}
	res.views = findCViews(res)
	res.callStarts = map[token.Pos]token.Pos{}
	for f := range res.Files {
		addCallStarts(res.callStarts, f)
	}
	res.frozen = true
}

// guard runs f and returns a panic as an error.
func guard(f func()) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%v", x)
		}
	}()
	f()
	return nil
}

// usesCgo reports whether a type-checked package was produced from cgo
// files, in either shape: cgo declares its _Cfunc_ and _Ctype_ names in
// the package scope. (The runtime declares _cgo_ names of its own, so
// those do not count.)
// inStandardLibrary reports whether the pass is over a package of the
// standard library. Its C boundary is not modeled: findings in it are
// never shown (the go command vets it, and a driver reports only the
// packages it was asked for), and what its exported functions hand to
// callers is Go memory, so it has no summaries to export. Reading the C
// of runtime/cgo, net or os/user would cost every run its time.
func inStandardLibrary(pass *analysis.Pass) bool {
	goroot := build.Default.GOROOT
	if goroot == "" {
		return false
	}
	src := filepath.Join(goroot, "src") + string(filepath.Separator)
	// cgo's copies of a package's cgo files are in the build cache;
	// its other files, or the //line positions of the copies, are not.
	for _, f := range pass.Files {
		if strings.HasPrefix(pass.Fset.File(f.Pos()).Name(), src) || strings.HasPrefix(pass.Fset.Position(f.Package).Filename, src) {
			return true
		}
	}
	return false
}

func usesCgo(pkg *types.Package) bool {
	for _, name := range pkg.Scope().Names() {
		if strings.HasPrefix(name, "_Cfunc_") || strings.HasPrefix(name, "_Ctype_") || strings.HasPrefix(name, "_C2func_") {
			return true
		}
	}
	return false
}

// loadBridge finds the user's .go files behind the pass's files and
// loads their C side. Problems reading the C become the Result's
// Warnings.
func loadBridge(pass *analysis.Pass, res *Result) *bridge.Package {
	seen := map[string]bool{}
	var files []string
	for _, f := range pass.Files {
		name := OriginalFile(pass.Fset, f)
		res.Files[f] = name
		base := filepath.Base(name)
		if seen[name] || !strings.HasSuffix(name, ".go") || strings.HasPrefix(base, "_cgo_") {
			continue
		}
		seen[name] = true
		files = append(files, name)
	}
	sort.Strings(files)
	pkg := bridge.Load(&bridge.Request{GoFiles: files})
	for _, w := range pkg.Warnings {
		res.warn(w)
	}
	return pkg
}

// OriginalFile returns the user's file behind a syntax file: cgo's output
// starts with a //line directive naming it.
func OriginalFile(fset *token.FileSet, f *ast.File) string {
	return fset.PositionFor(f.Package, true).Filename
}

// warn adds w to the Result's warnings unless it is there already: two
// preambles including the same missing header say the same thing.
func (res *Result) warn(w bridge.Warning) {
	if !slices.Contains(res.Warnings, w) {
		res.Warnings = append(res.Warnings, w)
	}
}
