package cgoalloc

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// deferReassign explains findings caused by `defer C.free(p)` followed
// by an assignment to p: the deferred call's arguments were evaluated
// at the defer statement, so it frees the old value, and the new one
// leaks (or, after p = C.realloc(p, n), the old one is freed twice). The
// engine finds the leak or double free; this turns it into one finding
// at the defer that names the cause. An assignment whose new value is
// released some other way (its own defer) is no bug and is never
// reported, and a deferred closure that reads p when it runs is not an
// event at exit at all.
func (c *checker) deferReassign(fn *ssa.Function, results []result) []result {
	syn := fn.Syntax()
	if syn == nil || len(results) == 0 {
		return results
	}
	for _, ev := range c.res.Function(fn).Events() {
		if !ev.AtExit || !freesArg(ev) {
			continue
		}
		def := enclosingDefer(syn, ev.Pos)
		if def == nil {
			continue
		}
		v, assign := c.reassigned(syn, def)
		if assign == nil {
			continue
		}
		// Findings this defer explains: leaks of memory allocated
		// between the defer and the assignment, and the deferred
		// free's double free.
		var kept []result
		explained := false
		for _, r := range results {
			fd := r.fd
			leak := (fd.Kind == model.Leak || fd.Kind == model.LeakLoop) && r.obj.Pos > def.End() && r.obj.Pos < assign.End()
			double := fd.Kind == model.DoubleFree && fd.Deferred && def.Pos() <= fd.Pos && fd.Pos < def.End()
			if leak || double {
				explained = true
				continue
			}
			kept = append(kept, r)
		}
		if !explained {
			continue
		}
		results = kept
		name := ev.Callee.UserName()
		c.pass.Report(analysis.Diagnostic{
			Pos:      def.Pos(),
			Category: "stale-defer",
			Message: fmt.Sprintf("the deferred %s at line %d frees the value %s had at the defer, not the one assigned at line %d; defer a closure instead: defer func() { %s(unsafe.Pointer(%s)) }()",
				name, checkutil.Line(c.pass.Fset, def.Pos()), v.Name(), checkutil.Line(c.pass.Fset, assign.Pos()), name, v.Name()),
		})
	}
	return results
}

func freesArg(ev *model.Event) bool {
	for i := range ev.Args {
		if ev.Summary.Effect(i)&bridge.Frees != 0 {
			return true
		}
	}
	return false
}

func enclosingDefer(syn ast.Node, pos token.Pos) *ast.DeferStmt {
	var def *ast.DeferStmt
	ast.Inspect(syn, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok && d.Pos() <= pos && pos < d.End() {
			def = d
		}
		return def == nil
	})
	return def
}

// reassigned finds the first assignment after the defer statement of a
// local variable the deferred call reads (other than to nil).
func (c *checker) reassigned(syn ast.Node, def *ast.DeferStmt) (*types.Var, *ast.AssignStmt) {
	vars := map[*types.Var]bool{}
	ast.Inspect(def.Call, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && !v.IsField() && v.Pkg() == c.pass.Pkg && v.Parent() != c.pass.Pkg.Scope() {
				vars[v] = true
			}
		}
		return true
	})
	var foundVar *types.Var
	var found *ast.AssignStmt
	ast.Inspect(syn, func(n ast.Node) bool {
		if found != nil {
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
			if len(as.Rhs) == len(as.Lhs) && nilIdent(as.Rhs[i]) {
				continue
			}
			foundVar, found = v, as
			return false
		}
		return true
	})
	return foundVar, found
}

func nilIdent(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}
