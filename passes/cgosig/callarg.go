package cgosig

import (
	"go/ast"

	"github.com/ffivet/ffivet/internal/checkutil"
)

// cCallArg finds the C call (or cgo builtin call) that receives the
// value of e, and the argument's index: e itself is the argument, or
// initializes a local variable (cgo's _cgoN temporaries included) that
// is.
func (fc *funcCtx) cCallArg(e ast.Expr) (*ast.CallExpr, int) {
	for range 4 {
		switch p := fc.parents[e].(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.CallExpr:
			for i, a := range p.Args {
				if a == e {
					if checkutil.IsCCall(fc.pass.TypesInfo, p) {
						return p, i
					}
				}
			}
			return nil, -1
		case *ast.AssignStmt:
			if len(p.Lhs) != len(p.Rhs) {
				return nil, -1
			}
			for i, r := range p.Rhs {
				if r == e {
					if id, ok := ast.Unparen(p.Lhs[i]).(*ast.Ident); ok {
						return fc.varArg(id, 0)
					}
				}
			}
			return nil, -1
		case *ast.ValueSpec:
			for i, v := range p.Values {
				if v == e && i < len(p.Names) && len(p.Names) == len(p.Values) {
					return fc.varArg(p.Names[i], 0)
				}
			}
			return nil, -1
		}
		return nil, -1
	}
	return nil, -1
}

// varArg finds the C call that takes the variable id defines, directly
// or through another variable defined from it.
func (fc *funcCtx) varArg(id *ast.Ident, depth int) (*ast.CallExpr, int) {
	v := fc.varOf(id)
	if v == nil || fc.defs[v] == nil || depth > 3 {
		return nil, -1
	}
	return checkutil.CallTaking(fc.pass.TypesInfo, fc.decl.Body, v, func(next *ast.Ident) (*ast.CallExpr, int) {
		return fc.varArg(next, depth+1)
	})
}
