package model

import (
	"go/ast"
	"go/token"
)

// CallStart maps the position SSA gives a call (its opening
// parenthesis) to the start of the callee expression as the user wrote
// it: `C.CString` rather than `(`. In cgo's output the callee is
// `( /*line :12:8*/_Cfunc_CString /*line :12:16*/)`, and only the
// identifier carries the user's column. Positions that are not calls are
// returned unchanged.
func (f *Function) CallStart(pos token.Pos) token.Pos {
	if f.callStarts == nil {
		f.callStarts = map[token.Pos]token.Pos{}
		if syn := f.Fn.Syntax(); syn != nil {
			ast.Inspect(syn, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					f.callStarts[c.Lparen] = ast.Unparen(c.Fun).Pos()
				}
				return true
			})
		}
	}
	if p, ok := f.callStarts[pos]; ok && p.IsValid() {
		return p
	}
	return pos
}
