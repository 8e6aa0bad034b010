package cgonarrow

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

// Analyzer is the cgonarrow check.
var Analyzer = &analysis.Analyzer{
	Name:     "cgonarrow",
	Doc:      checkdoc.Extract(doc, "cgonarrow"),
	URL:      "https://github.com/ffivet/ffivet/blob/main/docs/checks/cgonarrow.md",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[model.Analyzer].(*model.Result)
	if !res.Cgo || res.Bridge == nil {
		return nil, nil
	}
	c := newChecker(pass, res.Bridge)
	for _, f := range pass.Files {
		name := c.fileName(f)
		if name == "" {
			continue
		}
		targets := checkutil.TargetsFor(c.targets, name)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || checkutil.IsCgoGeneratedName(fd.Name.Name) {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) != 1 {
					return true
				}
				if tv, ok := pass.TypesInfo.Types[call.Fun]; ok && tv.IsType() {
					c.conversion(call, tv.Type, targets)
				}
				return true
			})
		}
	}
	return nil, nil
}

// conversion checks one conversion T(x) where T may be a C integer type.
func (c *checker) conversion(call *ast.CallExpr, to types.Type, targets []*checkutil.Target) {
	cname := checkutil.CTypeName(to)
	if cname == "" {
		return
	}
	tb, ok := to.Underlying().(*types.Basic)
	if !ok || tb.Info()&types.IsInteger == 0 {
		return
	}
	arg := ast.Unparen(call.Args[0])
	info := c.pass.TypesInfo
	if tv, ok := info.Types[arg]; !ok || tv.Value != nil {
		// Constants are checked by the compiler.
		return
	}
	at := info.TypeOf(arg)
	if at == nil || checkutil.CTypeName(at) != "" {
		// Between two C types both sides follow C.
		return
	}
	ab, ok := at.Underlying().(*types.Basic)
	if !ok || ab.Info()&types.IsInteger == 0 {
		return
	}
	kind := c.kind(arg, 0)
	if kind < weakSize {
		return
	}
	dest := c.destination(call)
	if dest == nil || !c.worthReporting(kind, arg, dest, call) {
		return
	}
	unsigned := tb.Info()&types.IsUnsigned != 0
	b := c.bound(arg, newWalk())
	var on []*checkutil.Target
	var gsize, csize int64
	for _, t := range targets {
		l := c.layouts.Of(cname, t)
		if l == nil {
			continue
		}
		gs := t.Sizes.Sizeof(at)
		if l.Size >= gs || b.known && b.max <= maxOf(l.Size, unsigned) {
			continue
		}
		if on == nil {
			gsize, csize = gs, l.Size
		}
		on = append(on, t)
	}
	if on == nil {
		return
	}
	src := checkutil.ExprString(arg)
	limit := maxConst(csize, unsigned)
	fix := fmt.Sprintf("check %s <= %s before converting", src, limit)
	category := "length-narrowed"
	switch {
	case b.known && b.check != nil:
		category = "bound-too-large"
		fix = fmt.Sprintf("the check at line %d lets through values up to %d; compare with %s instead", checkutil.Line(c.pass.Fset, b.check.Pos()), b.max, limit)
	case dest.builtin:
		fix = fmt.Sprintf("%s takes a C.int length: check %s <= %s first, or copy with unsafe.Slice", dest.callee, src, limit)
	}
	where := "passed to " + dest.callee
	if dest.call == nil && !dest.builtin {
		where = "stored in a C struct field"
	}
	c.report(call.Lparen, on, category, "C.%s(%s) can truncate a length %s: Go %s is %d bytes, C %s is %d; %s",
		checkutil.CgoTypeName(cname), src, where, checkutil.TypeString(at, c.pass.Pkg), gsize, cname, csize, fix)
}

// worthReporting says whether a value of the given kind, arriving at
// dest, is a length C takes as a byte count.
func (c *checker) worthReporting(kind valueKind, arg ast.Expr, dest *cDest, conv *ast.CallExpr) bool {
	switch kind {
	case byteLength:
		// The length of a string or byte slice: a byte count when C
		// receives it as one, or receives the bytes along with it.
		if dest.builtin || dest.lengthNamed() {
			return true
		}
		buf := c.measured(arg, 0)
		return buf != nil && c.bufferPassed(buf, dest, conv)
	case namedSize:
		// A C parameter named otherwise (value, threads) says the
		// number is not a byte count; an unnamed one leaves the Go
		// name to say it.
		return dest.builtin || dest.lengthNamed() || dest.unnamed()
	case weakSize:
		// A variable called n is a number of things as often as a
		// number of bytes (ZSTD_CCtx_setParameter(cctx,
		// ZSTD_c_nbWorkers, C.int(n))); only a C side that takes it as
		// a length says which.
		return dest.builtin || dest.lengthNamed()
	}
	return false
}

func maxOf(size int64, unsigned bool) uint64 {
	bits := uint(size * 8)
	if bits >= 64 {
		if unsigned {
			return ^uint64(0)
		}
		return 1<<63 - 1
	}
	if unsigned {
		return 1<<bits - 1
	}
	return 1<<(bits-1) - 1
}

func maxConst(size int64, unsigned bool) string {
	bits := size * 8
	if unsigned {
		return fmt.Sprintf("math.MaxUint%d", bits)
	}
	return fmt.Sprintf("math.MaxInt%d", bits)
}

// A checker holds what one package's conversions share: the index of
// its code and the C layouts computed so far.
type checker struct {
	*index
	bridge  *bridge.Package
	host    *checkutil.Target
	targets []*checkutil.Target // host first
	layouts *checkutil.Layouts
}

func newChecker(pass *analysis.Pass, bp *bridge.Package) *checker {
	c := &checker{
		index:   newIndex(pass),
		bridge:  bp,
		layouts: checkutil.NewLayouts(bp),
	}
	c.targets = checkutil.AllTargets(pass.TypesSizes)
	c.host = c.targets[0]
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

// report reports a finding found on some targets; the message names the
// targets when the finding does not hold for the host.
func (c *checker) report(pos token.Pos, on []*checkutil.Target, category, format string, args ...any) {
	msg := checkutil.OnTargets(on, fmt.Sprintf(format, args...))
	c.pass.Report(analysis.Diagnostic{Pos: pos, Category: category, Message: msg})
}
