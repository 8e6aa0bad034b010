package checkutil

import (
	"go/ast"
	"go/types"
	"regexp"
	"strings"

	"github.com/ffivet/ffivet/bridge"
)

// cgoNames matches the names cgo writes in place of the user's C.x.
var cgoNames = regexp.MustCompile(`\(?_Cgo_ptr\(_Cfpvar_fp_(\w+)\)\)?|\(_C(?:func|2func|type|macro)_(\w+)\)|_C(?:func|2func|type|macro|var|iconst|fconst|sconst)_(\w+)`)

// ExprString spells an expression as the user wrote it: cgo's output
// has (_Cfunc_f)(x) where the user wrote C.f(x).
func ExprString(e ast.Expr) string {
	return cgoNames.ReplaceAllStringFunc(types.ExprString(e), func(m string) string {
		sub := cgoNames.FindStringSubmatch(m)
		for _, s := range sub[1:] {
			if s != "" {
				return "C." + s
			}
		}
		return m
	})
}

// IsCgoGeneratedName reports whether a function of the user's package
// is one that cgo writes into it rather than one the user wrote.
func IsCgoGeneratedName(name string) bool {
	return strings.HasPrefix(name, "_cgo") || strings.HasPrefix(name, "_Cfunc_") || strings.HasPrefix(name, "_C2func_")
}

// CgoRef resolves an expression that names a cgo entity: an identifier
// of cgo's output (_Cfunc_f, _Ctype_int) or a selector C.f of the raw
// shape, whose selector resolves to the same object. _Cgo_ptr(x), which
// cgo wraps around function pointers, is looked through.
func CgoRef(info *types.Info, e ast.Expr) (bridge.NameKind, string) {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "_Cgo_ptr" {
			return CgoRef(info, call.Args[0])
		}
	}
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return bridge.NotCgo, ""
	}
	obj := info.Uses[id]
	if obj == nil {
		return bridge.NotCgo, ""
	}
	return bridge.ParseName(obj.Name())
}

// IsCCall reports whether call calls a C function or one of cgo's
// builtins.
func IsCCall(info *types.Info, call *ast.CallExpr) bool {
	k, _ := CgoRef(info, call.Fun)
	return k == bridge.CFunc || k == bridge.CFuncErrno || k == bridge.CBuiltin
}

// CallTaking finds the first call in body of a C function or cgo builtin
// that takes the variable v as an argument, and the argument's index.
// Where v is assigned to another variable, follow continues the search
// from that one (or returns nil, -1 to stop there).
func CallTaking(info *types.Info, body ast.Node, v *types.Var, follow func(*ast.Ident) (*ast.CallExpr, int)) (*ast.CallExpr, int) {
	var call *ast.CallExpr
	idx := -1
	uses := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[x] == v
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if call != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if IsCCall(info, n) {
				for i, a := range n.Args {
					if uses(a) {
						call, idx = n, i
						return false
					}
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, r := range n.Rhs {
					if lid, ok := ast.Unparen(n.Lhs[i]).(*ast.Ident); ok && uses(r) {
						call, idx = follow(lid)
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, r := range n.Values {
					if uses(r) {
						call, idx = follow(n.Names[i])
					}
				}
			}
		}
		return call == nil
	})
	return call, idx
}
