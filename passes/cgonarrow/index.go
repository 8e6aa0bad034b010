package cgonarrow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// An index records what the bound proofs ask about a package's code:
// every node's parent, every write of a local variable, and every call
// of the package's functions and closures.
type index struct {
	pass    *analysis.Pass
	parents map[ast.Node]ast.Node
	// assigns holds, for a local variable written only by plain
	// assignments and declarations, every value it is given (nil for a
	// declaration's zero value).
	assigns map[*types.Var][]ast.Expr
	// opaque marks local variables written some other way: through &v,
	// v++, v += x, a range clause or a multi-value assignment.
	opaque map[*types.Var]bool
	// writes holds the position of every write of a variable, or of a
	// field or element of it.
	writes map[*types.Var][]token.Pos
	// params maps each parameter of a function or closure to its owner.
	params map[*types.Var]paramOf
	// calls holds the calls of each package-level function and of each
	// local variable a closure is assigned to; escapes marks those used
	// in any other way (passed as a value, stored, exported).
	calls   map[types.Object][]*ast.CallExpr
	escapes map[types.Object]bool
	// closures maps a local variable to the function literal it is
	// initialized with.
	closures map[*types.Var]*ast.FuncLit
}

// paramOf says whose parameter a variable is.
type paramOf struct {
	fn       types.Object // *types.Func, or the local *types.Var of a closure
	lit      *ast.FuncLit // the closure, when it is one
	index    int
	variadic bool
}

func newIndex(pass *analysis.Pass) *index {
	x := &index{
		pass:     pass,
		parents:  map[ast.Node]ast.Node{},
		assigns:  map[*types.Var][]ast.Expr{},
		opaque:   map[*types.Var]bool{},
		writes:   map[*types.Var][]token.Pos{},
		params:   map[*types.Var]paramOf{},
		calls:    map[types.Object][]*ast.CallExpr{},
		escapes:  map[types.Object]bool{},
		closures: map[*types.Var]*ast.FuncLit{},
	}
	for _, f := range pass.Files {
		x.file(f)
	}
	return x
}

func (x *index) file(f *ast.File) {
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			x.parents[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.FuncDecl:
			if fn, ok := x.pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
				x.paramsOf(n.Type, paramOf{fn: fn})
			}
		case *ast.FuncLit:
			x.closure(n)
		case *ast.AssignStmt:
			x.assign(n)
		case *ast.ValueSpec:
			for i, id := range n.Names {
				v := x.localVar(id)
				if v == nil {
					continue
				}
				x.writes[v] = append(x.writes[v], id.Pos())
				switch {
				case len(n.Values) == 0:
					x.assigns[v] = append(x.assigns[v], nil)
				case len(n.Values) == len(n.Names):
					x.assigns[v] = append(x.assigns[v], n.Values[i])
				default:
					x.opaque[v] = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && !x.cgoTemporary(n) {
				x.write(n.X, true)
			}
		case *ast.IncDecStmt:
			x.write(n.X, true)
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil {
					x.write(e, true)
				}
			}
		case *ast.Ident:
			x.use(n, stack)
		}
		return true
	})
}

func (x *index) assign(n *ast.AssignStmt) {
	for i, lhs := range n.Lhs {
		plain := n.Tok == token.ASSIGN || n.Tok == token.DEFINE
		if !plain || len(n.Lhs) != len(n.Rhs) {
			x.write(lhs, true)
			continue
		}
		v := x.write(lhs, false)
		if v == nil {
			continue
		}
		if _, ok := ast.Unparen(lhs).(*ast.Ident); ok {
			x.assigns[v] = append(x.assigns[v], n.Rhs[i])
		}
	}
}

// write records a write of e (a variable, or a field or element of
// one) and returns the variable; opaque says the value written is not
// known.
func (x *index) write(e ast.Expr, opaque bool) *types.Var {
	v, whole := x.rootVar(e)
	if v == nil {
		return nil
	}
	x.writes[v] = append(x.writes[v], e.Pos())
	if opaque && whole {
		x.opaque[v] = true
	}
	return v
}

// cgoTemporary reports whether &v initializes one of the temporaries
// cgo writes for a call's arguments (_cgoIndex0 := &b), through which
// cgo only reads v.
func (x *index) cgoTemporary(addr *ast.UnaryExpr) bool {
	as, ok := x.parents[addr].(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Rhs[0] != addr {
		return false
	}
	id, ok := as.Lhs[0].(*ast.Ident)
	return ok && strings.HasPrefix(id.Name, "_cgo")
}

// rootVar returns the local variable an expression such as v, v.f or
// v[i] is rooted at, and whether e is the variable itself.
func (x *index) rootVar(e ast.Expr) (*types.Var, bool) {
	whole := true
	for {
		switch y := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x.localVar(y), whole
		case *ast.SelectorExpr:
			if _, ok := x.pass.TypesInfo.Selections[y]; !ok {
				return nil, false
			}
			e, whole = y.X, false
		case *ast.IndexExpr:
			if _, ok := x.pass.TypesInfo.TypeOf(y.X).Underlying().(*types.Array); !ok {
				// An element of a slice or map is not part of the
				// variable.
				return nil, false
			}
			e, whole = y.X, false
		default:
			return nil, false
		}
	}
}

// localVar returns the variable id names when it is a local variable
// or parameter of the package.
func (x *index) localVar(id *ast.Ident) *types.Var {
	v, ok := x.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if !ok || v.IsField() || v.Pkg() != x.pass.Pkg || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	return v
}

func (x *index) paramsOf(ft *ast.FuncType, owner paramOf) {
	i := 0
	for _, field := range ft.Params.List {
		_, variadic := field.Type.(*ast.Ellipsis)
		names := field.Names
		if len(names) == 0 {
			i++
			continue
		}
		for _, id := range names {
			if v, ok := x.pass.TypesInfo.Defs[id].(*types.Var); ok {
				p := owner
				p.index, p.variadic = i, variadic
				x.params[v] = p
			}
			i++
		}
	}
}

// closure records a function literal's parameters, and the variable it
// is assigned to when it is the only value that variable ever holds.
func (x *index) closure(lit *ast.FuncLit) {
	owner := paramOf{lit: lit}
	switch p := x.parents[lit].(type) {
	case *ast.AssignStmt:
		for i, r := range p.Rhs {
			if r == lit && len(p.Lhs) == len(p.Rhs) {
				if id, ok := p.Lhs[i].(*ast.Ident); ok {
					if v := x.localVar(id); v != nil {
						owner.fn = v
						x.closures[v] = lit
					}
				}
			}
		}
	case *ast.ValueSpec:
		for i, r := range p.Values {
			if r == lit && len(p.Names) == len(p.Values) {
				if v := x.localVar(p.Names[i]); v != nil {
					owner.fn = v
					x.closures[v] = lit
				}
			}
		}
	}
	x.paramsOf(lit.Type, owner)
}

// use records a use of a function or of a closure variable: a call, or
// an escape.
func (x *index) use(id *ast.Ident, stack []ast.Node) {
	obj := x.pass.TypesInfo.Uses[id]
	switch obj.(type) {
	case *types.Func, *types.Var:
	default:
		return
	}
	if _, ok := obj.Type().Underlying().(*types.Signature); !ok {
		return
	}
	// stack ends with id itself.
	var child ast.Node = id
	for i := len(stack) - 2; i >= 0; i-- {
		if p, ok := stack[i].(*ast.ParenExpr); ok {
			child = p
			continue
		}
		if call, ok := stack[i].(*ast.CallExpr); ok && call.Fun == child {
			x.calls[obj] = append(x.calls[obj], call)
			return
		}
		if sel, ok := stack[i].(*ast.SelectorExpr); ok && sel.Sel == child {
			child = sel
			continue
		}
		break
	}
	x.escapes[obj] = true
}

// enclosingFunc returns the body of the function declaration n is in.
func (x *index) enclosingFunc(n ast.Node) *ast.FuncDecl {
	for ; n != nil; n = x.parents[n] {
		if fd, ok := n.(*ast.FuncDecl); ok {
			return fd
		}
	}
	return nil
}

// definition returns the only value a local variable is ever given.
func (x *index) definition(e ast.Expr) ast.Expr {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v := x.localVar(id)
	if v == nil || x.opaque[v] || len(x.assigns[v]) != 1 || len(x.writes[v]) != 1 {
		return nil
	}
	if _, isParam := x.params[v]; isParam {
		return nil
	}
	return x.assigns[v][0]
}
