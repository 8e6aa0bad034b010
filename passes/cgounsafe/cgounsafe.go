package cgounsafe

import (
	_ "embed"
	"go/ast"
	"path/filepath"
	"strings"

	"github.com/ffivet/ffivet/internal/checkdoc"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Analyzer is the cgounsafe check.
var Analyzer = &analysis.Analyzer{
	Name:     "cgounsafe",
	Doc:      checkdoc.Extract(doc, "cgounsafe"),
	URL:      "https://github.com/ffivet/ffivet/blob/main/docs/checks/cgounsafe.md",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[model.Analyzer].(*model.Result)
	if !res.Cgo {
		return nil, nil
	}
	c := &checker{pass: pass, res: res}
	for _, f := range pass.Files {
		if !c.userFile(f) {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || checkutil.IsCgoGeneratedName(fd.Name.Name) {
				continue
			}
			c.views(f, fd)
		}
	}
	if res.Active() {
		for _, fn := range res.Funcs {
			if model.IsCgoGenerated(fn) {
				continue
			}
			c.goStrings(fn)
		}
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	res  *model.Result
}

// userFile reports whether a syntax file is one of the user's files
// rather than one cgo generates.
func (c *checker) userFile(f *ast.File) bool {
	name := model.OriginalFile(c.pass.Fset, f)
	if !strings.HasSuffix(name, ".go") || strings.HasPrefix(filepath.Base(name), "_cgo_") {
		return false
	}
	// In the raw shape cgo's declarations file carries no //line and
	// keeps its name in the build cache.
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "_cgo_runtime_cgocall" {
			return false
		}
	}
	return true
}

// stripConversions removes type conversions and parentheses around e.
func (c *checker) stripConversions(e ast.Expr) ast.Expr {
	for {
		e = ast.Unparen(e)
		call, ok := e.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return e
		}
		tv, ok := c.pass.TypesInfo.Types[call.Fun]
		if !ok || !tv.IsType() {
			return e
		}
		e = call.Args[0]
	}
}
