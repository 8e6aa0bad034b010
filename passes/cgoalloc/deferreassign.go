package cgoalloc

import (
	"go/ast"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/ssa"
)

// deferReassign reports `defer C.free(unsafe.Pointer(p))` followed by an
// assignment to p: the deferred call's arguments were evaluated at the
// defer statement, so it frees the old value and the new one leaks (or,
// after p = C.realloc(p, n), is freed twice). A deferred closure that
// reads p when it runs is the correct form and is not an event at exit,
// so it is never reported.
func (c *checker) deferReassign() {
	for _, fn := range c.res.Funcs {
		syn := fn.Syntax()
		if syn == nil {
			continue
		}
		for _, ev := range model.Events(fn, c.res.Bridge) {
			if !ev.AtExit {
				continue
			}
			frees := false
			for i := range ev.Args {
				if ev.Summary.Effect(i)&bridge.Frees != 0 {
					frees = true
				}
			}
			if !frees {
				continue
			}
			c.checkDefer(fn, syn, ev)
		}
	}
}

func (c *checker) checkDefer(fn *ssa.Function, syn ast.Node, ev *model.Event) {
	var def *ast.DeferStmt
	ast.Inspect(syn, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok && d.Pos() <= ev.Pos && ev.Pos < d.End() {
			def = d
		}
		return def == nil
	})
	if def == nil {
		return
	}
	// The variables the deferred call reads at the defer statement.
	vars := map[*types.Var]bool{}
	ast.Inspect(def.Call, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && !v.IsField() && v.Parent() != nil && v.Parent() != types.Universe && v.Pkg() == c.pass.Pkg && v.Parent() != c.pass.Pkg.Scope() {
				vars[v] = true
			}
		}
		return true
	})
	if len(vars) == 0 {
		return
	}
	var reported bool
	ast.Inspect(syn, func(n ast.Node) bool {
		if reported {
			return false
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Pos() < def.End() {
			return true
		}
		for i, lhs := range as.Lhs {
			id, ok := lhs.(*ast.Ident)
			if !ok {
				continue
			}
			v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
			if !ok || !vars[v] {
				continue
			}
			if len(as.Rhs) == len(as.Lhs) {
				if nilIdent(as.Rhs[i]) {
					continue
				}
			}
			c.pass.Reportf(def.Pos(), "the deferred %s at line %d frees the value %s had at the defer, not the one assigned at line %d; defer a closure instead: defer func() { %s(unsafe.Pointer(%s)) }()",
				ev.Callee.UserName(), c.line(def.Pos()), v.Name(), c.line(as.Pos()), ev.Callee.UserName(), v.Name())
			reported = true
			return false
		}
		return true
	})
}

func nilIdent(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

