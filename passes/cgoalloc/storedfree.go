package cgoalloc

import (
	"fmt"
	"go/token"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// storedThenFreed reports C memory that the function stores in a field
// of a struct its caller sees (the struct it returns, or one reached
// through a pointer parameter or receiver) and also frees with a
// deferred call: the free runs as the function returns, so the caller
// receives a struct holding a dangling pointer. A store into a Go or C
// struct is not a transfer of ownership.
//
// Silent when the field is assigned again elsewhere in the function
// (it may be reset before the return), when the defer and the store do
// not lie on one path (neither block dominates the other), and, for a
// struct reached through a parameter, when the function itself hands
// that struct to C after the store: the struct may be scratch space for
// that call, its field never read again.
func (c *checker) storedThenFreed(f *model.Function) {
	objs := map[ssa.Value]*model.Object{}
	for _, obj := range f.Objects() {
		if obj.Value != nil && obj.Region == model.RegionCHeap {
			objs[obj.Value] = obj
		}
	}
	if len(objs) == 0 {
		return
	}
	for _, ev := range f.Events() {
		if !ev.AtExit {
			continue
		}
		for i, a := range ev.Args {
			if ev.Summary.Effect(i)&bridge.Frees == 0 {
				continue
			}
			obj := objs[refValue(a)]
			if obj == nil {
				continue
			}
			st, base := c.storeSeenByCaller(f, obj.Value, ev)
			if st == nil {
				continue
			}
			fa := st.Addr.(*ssa.FieldAddr)
			field := structField(fa)
			where := "the struct the function returns"
			if _, isParam := base.(*ssa.Parameter); isParam {
				where = "the struct " + base.Name() + " points to, which the caller keeps"
			}
			fset := c.pass.Fset
			c.pass.Report(analysis.Diagnostic{
				Pos:      f.CallStart(ev.Pos),
				Category: "use-after-free",
				Message: fmt.Sprintf("memory from %s at line %d, stored at line %d in field %s of %s, is freed by this deferred %s when the function returns, leaving the field dangling; storing a pointer in a struct does not hand it over: free it after the struct's last use instead (for example in a Free method of the struct)",
					obj.What, checkutil.Line(fset, obj.Pos), checkutil.Line(fset, st.Pos()), field, where, ev.Callee.UserName()),
				Related: []analysis.RelatedInformation{
					{Pos: f.CallStart(obj.Pos), Message: "allocated here by " + obj.What},
					{Pos: st.Pos(), Message: "stored here"},
				},
			})
		}
	}
}

// storeSeenByCaller returns a store of v (or a conversion of it) into a
// field of a struct the caller sees after ev's deferred free, with the
// struct's base (the parameter, or the returned variable).
func (c *checker) storeSeenByCaller(f *model.Function, v ssa.Value, ev *model.Event) (*ssa.Store, ssa.Value) {
	var deferBlock *ssa.BasicBlock
	if ev.DeferInstr != nil {
		deferBlock = ev.DeferInstr.Block()
	} else {
		deferBlock = ev.Instr.Block()
	}
	for _, st := range storesOf(v) {
		fa, ok := st.Addr.(*ssa.FieldAddr)
		if !ok || st.Pos() == token.NoPos {
			continue
		}
		if !deferBlock.Dominates(st.Block()) && !st.Block().Dominates(deferBlock) {
			continue
		}
		base := fieldRoot(fa)
		if fieldStoredElsewhere(f.Fn, fa, st) {
			continue
		}
		switch b := base.(type) {
		case *ssa.Parameter:
			if structOfPointer(b.Type()) && !handedToC(f, b, st) {
				return st, b
			}
		case *ssa.Alloc:
			if returned(f.Fn, b) {
				return st, b
			}
		}
	}
	return nil, nil
}

// storesOf returns the stores of v into fields: of v itself, of a
// conversion of it, or of a load of a local variable v was stored into
// (once: a variable assigned twice may hold something else).
func storesOf(v ssa.Value) []*ssa.Store {
	var out []*ssa.Store
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if seen[v] || v.Referrers() == nil {
			return
		}
		seen[v] = true
		for _, ref := range *v.Referrers() {
			switch r := ref.(type) {
			case *ssa.Store:
				if r.Val != v {
					continue
				}
				if cell, ok := r.Addr.(*ssa.Alloc); ok && storedOnce(cell) {
					for _, use := range *cell.Referrers() {
						if ld, ok := use.(*ssa.UnOp); ok && ld.Op == token.MUL {
							walk(ld)
						}
					}
					continue
				}
				out = append(out, r)
			case *ssa.Convert:
				walk(r)
			case *ssa.ChangeType:
				walk(r)
			}
		}
	}
	walk(v)
	return out
}

// storedOnce reports whether the local variable cell is assigned once.
func storedOnce(cell *ssa.Alloc) bool {
	n := 0
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell {
			n++
		}
	}
	return n == 1
}

// refValue returns the value an event argument holds, seen through
// conversions and a variable assigned once.
func refValue(a model.Ref) ssa.Value {
	var cell ssa.Value
	switch a.Kind {
	case model.RefValue:
		v := model.StripConversions(a.V)
		ld, ok := v.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			return v
		}
		if _, isVar := ld.X.(*ssa.Alloc); !isVar {
			return v
		}
		cell = ld.X
	case model.RefCell:
		cell = a.V
	default:
		return nil
	}
	alloc, ok := cell.(*ssa.Alloc)
	if !ok || !storedOnce(alloc) {
		return nil
	}
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			return model.StripConversions(st.Val)
		}
	}
	return nil
}

// fieldRoot returns the value a chain of field selections starts from:
// p for &p.a.b.
func fieldRoot(fa *ssa.FieldAddr) ssa.Value {
	x := fa.X
	for {
		inner, ok := x.(*ssa.FieldAddr)
		if !ok {
			return x
		}
		x = inner.X
	}
}

// fieldStoredElsewhere reports whether the function stores into the
// same field of the same base anywhere but at st.
func fieldStoredElsewhere(fn *ssa.Function, fa *ssa.FieldAddr, st *ssa.Store) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			other, ok := instr.(*ssa.Store)
			if !ok || other == st {
				continue
			}
			ofa, ok := other.Addr.(*ssa.FieldAddr)
			if ok && ofa.X == fa.X && ofa.Field == fa.Field {
				return true
			}
		}
	}
	return false
}

// returned reports whether the function returns the variable a, or a
// copy of its value. A function with deferred calls stores its results
// in variables of their own before returning them.
func returned(fn *ssa.Function, a *ssa.Alloc) bool {
	if flowsToReturn(a, true) {
		return true
	}
	for _, ref := range *a.Referrers() {
		if ld, ok := ref.(*ssa.UnOp); ok && ld.Op == token.MUL && flowsToReturn(ld, true) {
			return true
		}
	}
	return false
}

// flowsToReturn reports whether v is returned, directly or, when
// throughResult is set, through a variable that holds a result.
func flowsToReturn(v ssa.Value, throughResult bool) bool {
	if v.Referrers() == nil {
		return false
	}
	for _, ref := range *v.Referrers() {
		switch r := ref.(type) {
		case *ssa.Return:
			return true
		case *ssa.Store:
			res, ok := r.Addr.(*ssa.Alloc)
			if !ok || r.Val != v || !throughResult {
				continue
			}
			for _, use := range *res.Referrers() {
				if ld, ok := use.(*ssa.UnOp); ok && ld.Op == token.MUL && flowsToReturn(ld, false) {
					return true
				}
			}
		}
	}
	return false
}

// handedToC reports whether the struct p points to is passed to a C
// function after the store st.
func handedToC(f *model.Function, p *ssa.Parameter, st *ssa.Store) bool {
	for _, ev := range f.Events() {
		if ev.AtExit {
			continue
		}
		for _, a := range ev.Args {
			if (a.Kind == model.RefValue && model.StripConversions(a.V) == p || refValue(a) == p) && ev.Instr.Pos() > st.Pos() {
				return true
			}
		}
	}
	return false
}

func structOfPointer(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Struct)
	return ok
}

// structField names the field fa selects, as the user wrote it.
func structField(fa *ssa.FieldAddr) string {
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return "?"
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return "?"
	}
	return st.Field(fa.Field).Name()
}
