package checkutil

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Body returns the body of a function's syntax, declared or literal, or
// nil when it has none (a synthetic wrapper, or an external function).
func Body(fn *ssa.Function) *ast.BlockStmt {
	switch s := fn.Syntax().(type) {
	case *ast.FuncDecl:
		return s.Body
	case *ast.FuncLit:
		return s.Body
	}
	return nil
}

// InsertBefore returns an edit that inserts the statement stmt on a
// line of its own before next, indented as next is.
func InsertBefore(fset *token.FileSet, next ast.Stmt, stmt string) analysis.TextEdit {
	return analysis.TextEdit{Pos: next.Pos(), End: next.Pos(), NewText: []byte(stmt + "\n" + Indent(fset, next.Pos()))}
}
