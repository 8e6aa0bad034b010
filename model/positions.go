package model

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// CallStart maps the position SSA gives a call (its opening
// parenthesis) to the start of the callee expression as the user wrote
// it: `C.CString` rather than `(`. In cgo's output the callee is
// `( /*line :12:8*/_Cfunc_CString /*line :12:16*/)`, and only the
// identifier carries the user's column. Positions that are not calls are
// returned unchanged.
func (f *Function) CallStart(pos token.Pos) token.Pos {
	starts := f.callStarts
	if starts == nil {
		starts = callStarts(f.Fn)
		if !f.res.frozen {
			f.callStarts = starts
		}
	}
	return callStart(f.Fn.Prog.Fset, starts, pos)
}

// CallStart is Function.CallStart for a position anywhere in the
// package: for findings reported after the walk of one function.
func (r *Result) CallStart(fset *token.FileSet, pos token.Pos) token.Pos {
	if r == nil {
		return pos
	}
	return callStart(fset, r.callStarts, pos)
}

func callStart(fset *token.FileSet, starts map[token.Pos]token.Pos, pos token.Pos) token.Pos {
	if p, ok := starts[pos]; ok && p.IsValid() {
		// cgo's //line comments are exact only for calls written on one
		// line; when the callee's mapped line differs from the call's,
		// keep the call's own position.
		if fset.Position(p).Line == fset.Position(pos).Line {
			return p
		}
	}
	return pos
}

func callStarts(fn *ssa.Function) map[token.Pos]token.Pos {
	starts := map[token.Pos]token.Pos{}
	if syn := fn.Syntax(); syn != nil {
		addCallStarts(starts, syn)
	}
	return starts
}

func addCallStarts(starts map[token.Pos]token.Pos, n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			starts[c.Lparen] = ast.Unparen(c.Fun).Pos()
		}
		return true
	})
}
