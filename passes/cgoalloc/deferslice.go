package cgoalloc

import (
	"fmt"
	"go/ast"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// deferredSlice reports a deferred call that frees the elements of a
// slice it receives as an argument, when the function appends C memory
// to that slice after the defer statement:
//
//	var ptrs []*C.char
//	defer func(ps []*C.char) { for _, p := range ps { C.free(unsafe.Pointer(p)) } }(ptrs)
//	ptrs = append(ptrs, C.CString(s)) // never freed
//
// The deferred call got the slice header (its length) when the defer
// statement ran, so it never sees the elements appended later, which
// leak. Only a callee of this package whose body frees the elements of
// that parameter counts, and only memory appended as a fresh allocation
// that nothing else in the function frees.
func (c *checker) deferredSlice(f *model.Function) {
	objs := map[ssa.Value]*model.Object{}
	for _, obj := range f.Objects() {
		if obj.Value != nil && obj.Region == model.RegionCHeap && !freedDirectly(f, obj.Value) {
			objs[obj.Value] = obj
		}
	}
	if len(objs) == 0 {
		return
	}
	for _, b := range f.Fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			callee := d.Call.StaticCallee()
			if callee == nil || callee.Pkg != f.Fn.Pkg || model.IsCgoGenerated(callee) {
				continue
			}
			for i, arg := range d.Call.Args {
				if _, isSlice := arg.Type().Underlying().(*types.Slice); !isSlice || i >= len(callee.Params) {
					continue
				}
				if !c.freesElements(callee, callee.Params[i]) {
					continue
				}
				if obj, app, name := c.appendedAfter(f.Fn, d, i, objs); obj != nil {
					fset := c.pass.Fset
					c.pass.Report(analysis.Diagnostic{
						Pos:      d.Pos(),
						Category: "stale-defer",
						Message: fmt.Sprintf("the deferred call at line %d frees the elements %s held when the defer statement ran; memory from %s at line %d, appended at line %d, is never freed; defer a closure that reads the slice when it runs: defer func() { ... }()",
							checkutil.Line(fset, d.Pos()), name, obj.What, checkutil.Line(fset, obj.Pos), checkutil.Line(fset, app.Pos())),
						Related: []analysis.RelatedInformation{
							{Pos: f.CallStart(obj.Pos), Message: "allocated here by " + obj.What},
						},
					})
				}
			}
		}
	}
}

// freedDirectly reports whether some boundary call of the function
// frees v.
func freedDirectly(f *model.Function, v ssa.Value) bool {
	for _, ev := range f.Events() {
		for i, a := range ev.Args {
			if ev.Summary.Effect(i)&bridge.Frees != 0 && refValue(a) == v {
				return true
			}
		}
	}
	return false
}

// freesElements reports whether fn frees elements of its slice
// parameter p with a boundary call.
func (c *checker) freesElements(fn *ssa.Function, p *ssa.Parameter) bool {
	for _, ev := range c.res.Function(fn).Events() {
		for i, a := range ev.Args {
			if ev.Summary.Effect(i)&bridge.Frees == 0 {
				continue
			}
			if v := refValue(a); v != nil && elementOf(v) == p {
				return true
			}
		}
	}
	return false
}

// elementOf returns the slice v is an element of, or nil.
func elementOf(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.Index:
		return x.X
	case *ssa.UnOp:
		if ia, ok := x.X.(*ssa.IndexAddr); ok {
			return ia.X
		}
	}
	return nil
}

// appendedAfter returns an allocation appended to the slice variable
// the deferred call d received, by an assignment `v = append(v, ...)`
// after the defer statement, with the append call. The variable is
// found in the syntax: a nil slice is a constant in SSA, with no uses
// to follow.
func (c *checker) appendedAfter(fn *ssa.Function, d *ssa.Defer, argIdx int, objs map[ssa.Value]*model.Object) (*model.Object, *ssa.Call, string) {
	syn := fn.Syntax()
	if syn == nil {
		return nil, nil, ""
	}
	def := enclosingDefer(syn, d.Pos())
	if def == nil || argIdx >= len(def.Call.Args) {
		return nil, nil, ""
	}
	id, ok := ast.Unparen(def.Call.Args[argIdx]).(*ast.Ident)
	if !ok {
		return nil, nil, ""
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil, nil, ""
	}
	var appends []ast.Node
	ast.Inspect(syn, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Pos() < def.End() || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return true
		}
		lhs, ok := as.Lhs[0].(*ast.Ident)
		if !ok || c.pass.TypesInfo.Uses[lhs] != v {
			return true
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || len(call.Args) < 2 || call.Ellipsis.IsValid() {
			return true
		}
		fun, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return true
		}
		if b, ok := c.pass.TypesInfo.Uses[fun].(*types.Builtin); !ok || b.Name() != "append" {
			return true
		}
		if first, ok := ast.Unparen(call.Args[0]).(*ast.Ident); !ok || c.pass.TypesInfo.Uses[first] != v {
			return true
		}
		appends = append(appends, call)
		return true
	})
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if bi, ok := call.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "append" || len(call.Call.Args) != 2 {
				continue
			}
			for _, n := range appends {
				if !(n.Pos() <= call.Pos() && call.Pos() < n.End()) {
					continue
				}
				for _, e := range appendedValues(call.Call.Args[1]) {
					if obj := objs[model.StripConversions(e)]; obj != nil {
						return obj, call, v.Name()
					}
				}
			}
		}
	}
	return nil, nil, ""
}

// appendedValues returns the elements of append's variadic slice when
// it is built from a list of values: append(s, a, b).
func appendedValues(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok || arr.Referrers() == nil {
		return nil
	}
	var out []ssa.Value
	for _, ref := range *arr.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, use := range *ia.Referrers() {
			if st, ok := use.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}
