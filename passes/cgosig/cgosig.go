package cgosig

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkdoc"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Analyzer is the cgosig check.
var Analyzer = &analysis.Analyzer{
	Name:      "cgosig",
	Doc:       checkdoc.Extract(doc, "cgosig"),
	URL:       "https://github.com/ffivet/ffivet/blob/main/docs/checks/cgosig.md",
	Requires:  []*analysis.Analyzer{model.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(DefinedFromC)},
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[model.Analyzer].(*model.Result)
	if !res.Cgo || res.Bridge == nil {
		// A package without cgo may still define types from types
		// defined from C in the packages it imports.
		c := &checker{pass: pass}
		c.definedTypes()
		return nil, nil
	}
	c := newChecker(pass, res)
	for _, f := range pass.Files {
		name := c.fileName(f)
		if name == "" {
			continue
		}
		c.file(f, name)
	}
	c.exports()
	return nil, nil
}

// A checker holds what one package's checks share: the targets, and
// the layouts computed so far.
type checker struct {
	pass    *analysis.Pass
	res     *model.Result
	bridge  *bridge.Package
	host    *checkutil.Target
	targets []*checkutil.Target // host first
	layouts *checkutil.Layouts
	gshape  map[shapeKey]*shape
	// fromC holds the named types the package defines from C types.
	fromC map[*types.TypeName]*DefinedFromC
}

func newChecker(pass *analysis.Pass, res *model.Result) *checker {
	c := &checker{
		pass:    pass,
		res:     res,
		bridge:  res.Bridge,
		layouts: checkutil.NewLayouts(res.Bridge),
		gshape:  map[shapeKey]*shape{},
	}
	c.targets = checkutil.AllTargets(pass.TypesSizes)
	c.host = c.targets[0]
	c.definedTypes()
	return c
}

// fileName returns the user's file behind a syntax file, or "" for the
// files cgo generates (their declarations are not the user's code).
func (c *checker) fileName(f *ast.File) string {
	name := model.OriginalFile(c.pass.Fset, f)
	base := filepath.Base(name)
	if !strings.HasSuffix(name, ".go") || strings.HasPrefix(base, "_cgo_") {
		return ""
	}
	// In the raw shape cgo's declarations file carries no //line and
	// keeps its name in the build cache.
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "_cgo_runtime_cgocall" {
			return ""
		}
	}
	return name
}

// file checks the functions of one file, for every target the file is
// built for.
func (c *checker) file(f *ast.File, name string) {
	targets := checkutil.TargetsFor(c.targets, name)
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || checkutil.IsCgoGeneratedName(fd.Name.Name) {
			continue
		}
		fc := &funcCtx{checker: c, decl: fd, targets: targets}
		fc.walk()
	}
}

// A funcCtx is one function being checked.
type funcCtx struct {
	*checker
	decl    *ast.FuncDecl
	targets []*checkutil.Target
	// defs maps a local variable to the expression it is initialized
	// with, when that is its only assignment.
	defs map[*types.Var]ast.Expr
	// parents maps each node of the body to its parent.
	parents map[ast.Node]ast.Node
}

func (fc *funcCtx) walk() {
	fc.index()
	ast.Inspect(fc.decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if tv, ok := fc.pass.TypesInfo.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
			fc.conversion(call, tv.Type)
		}
		return true
	})
}

// index records parents and single-assignment variables.
func (fc *funcCtx) index() {
	fc.parents = map[ast.Node]ast.Node{}
	fc.defs = map[*types.Var]ast.Expr{}
	assigned := map[*types.Var]int{}
	var stack []ast.Node
	ast.Inspect(fc.decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			fc.parents[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				v := fc.varOf(id)
				if v == nil {
					continue
				}
				assigned[v]++
				if len(n.Lhs) == len(n.Rhs) {
					fc.defs[v] = n.Rhs[i]
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				v := fc.varOf(id)
				if v == nil {
					continue
				}
				assigned[v]++
				if len(n.Names) == len(n.Values) {
					fc.defs[v] = n.Values[i]
				}
			}
		case *ast.UnaryExpr:
			// &v lets anything assign v.
			if n.Op == token.AND {
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					if v := fc.varOf(id); v != nil {
						assigned[v] += 2
					}
				}
			}
		case *ast.IncDecStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
				if v := fc.varOf(id); v != nil {
					assigned[v] += 2
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					if v := fc.varOf(id); v != nil {
						assigned[v] += 2
					}
				}
			}
		}
		return true
	})
	for v, n := range assigned {
		if n != 1 {
			delete(fc.defs, v)
		}
	}
}

func (fc *funcCtx) varOf(id *ast.Ident) *types.Var {
	obj := fc.pass.TypesInfo.ObjectOf(id)
	v, ok := obj.(*types.Var)
	if !ok || v.IsField() || v.Pkg() != fc.pass.Pkg || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	return v
}

// definition returns the expression a local variable was initialized
// with, if it is never assigned again.
func (fc *funcCtx) definition(e ast.Expr) ast.Expr {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v := fc.varOf(id)
	if v == nil {
		return nil
	}
	return fc.defs[v]
}

// report reports a finding found on some targets. detail describes it
// on the first of them; the message names the targets when the finding
// does not hold for the host.
func (c *checker) report(pos token.Pos, on []*checkutil.Target, category, format string, args ...any) {
	msg := checkutil.OnTargets(on, fmt.Sprintf(format, args...))
	c.pass.Report(analysis.Diagnostic{Pos: pos, Category: category, Message: msg})
}
