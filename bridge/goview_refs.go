package bridge

import (
	"go/ast"
	"sort"
)

// A CRef is one name a Go file refers to as C.Name, as written (C.malloc
// is "malloc"), with every way the file uses it.
type CRef struct {
	Name  string
	Value bool // used other than in a call
	Call  bool // called with one result
	Call2 bool // called in the two-value errno form
}

// CRefs lists the names f refers to through package C, in name order.
// A selector whose operand is the identifier C counts, as it does for
// cgo, whatever C is bound to in the file.
func CRefs(f *ast.File) []CRef {
	calls := map[*ast.SelectorExpr]bool{} // true: the errno form
	twoValue := map[*ast.CallExpr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					twoValue[call] = true
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == 2 && len(n.Values) == 1 {
				if call, ok := ast.Unparen(n.Values[0]).(*ast.CallExpr); ok {
					twoValue[call] = true
				}
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && isC(sel) {
				calls[sel] = twoValue[n]
			}
		}
		return true
	})
	byName := map[string]*CRef{}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || !isC(sel) {
			return true
		}
		r := byName[sel.Sel.Name]
		if r == nil {
			r = &CRef{Name: sel.Sel.Name}
			byName[r.Name] = r
		}
		errnoForm, called := calls[sel]
		switch {
		case !called:
			r.Value = true
		case errnoForm:
			r.Call2 = true
		default:
			r.Call = true
		}
		return true
	})
	refs := make([]CRef, 0, len(byName))
	for _, r := range byName {
		refs = append(refs, *r)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Name < refs[j].Name })
	return refs
}

func isC(sel *ast.SelectorExpr) bool {
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "C"
}
