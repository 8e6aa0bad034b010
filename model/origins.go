package model

import (
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// Objects returns the C memory objects the function creates: results of
// allocating calls (C or Go), and memory stored through out-parameters.
func (f *Function) Objects() []*Object {
	if f.objects != nil {
		return f.objects
	}
	var out []*Object
	for _, b := range f.Fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if ev := f.events[instr]; ev != nil {
				out = append(out, f.eventObjects(ev)...)
				continue
			}
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			sum, _ := f.res.calleeSummary(call.Common())
			if sum == nil || sum.Owned == nil {
				continue
			}
			v := resultValue(c, sum.Owned.Index)
			if v == nil {
				continue
			}
			o := &Object{
				Region: RegionCHeap, Alloc: &bridge.Allocator{Family: sum.Owned.Family, Dealloc: sum.Owned.Dealloc},
				Kind: FromAllocation, Site: instr, Pos: c.Pos(), What: goCalleeName(f.Fn, c.Call.StaticCallee()),
				Value: v, MayBeNil: sum.Owned.MayBeNil,
			}
			if sum.Owned.ErrIndex >= 0 {
				if g := resultValue(c, sum.Owned.ErrIndex); g != nil {
					o.Guard, o.Success = g, bridge.SuccessNilError
				}
			}
			out = append(out, o)
		}
	}
	if out == nil {
		out = []*Object{}
	}
	if !f.res.frozen {
		f.objects = out
	}
	return out
}

func (f *Function) eventObjects(ev *Event) []*Object {
	if ev.AtExit {
		return nil
	}
	var out []*Object
	s := ev.Summary
	// realpath(p, NULL) returns owned memory; realpath(p, buf) returns buf.
	ownedOnlyIfNil := s.ReturnsParam >= 0 && s.ReturnsOwned != nil
	if ownedOnlyIfNil && !(s.ReturnsParam < len(ev.Args) && ev.Args[s.ReturnsParam].Kind == RefValue && isNil(ev.Args[s.ReturnsParam].V)) {
		// Not the allocating form.
	} else if a := s.ReturnsOwned; a != nil && ev.Result != nil {
		v := ev.Result
		if _, ok := v.Type().(*types.Tuple); ok {
			v = extract(v, 0)
		}
		if v != nil {
			out = append(out, &Object{
				Region: RegionCHeap, Alloc: a, Kind: FromAllocation, Site: ev.Instr, Pos: ev.Pos,
				What: ev.Callee.UserName(), Value: v,
				MayBeNil: !(ev.Callee.Kind == bridge.CBuiltin && (ev.Callee.Name == bridge.BuiltinCString || ev.Callee.Name == bridge.BuiltinCBytes)),
			})
		}
	}
	// C.f(C.CString(s)) where f returns its argument: the memory lives
	// on in f's result.
	if rp := s.ReturnsParam; rp >= 0 && rp < len(ev.Args) && ev.Result != nil {
		if in := ev.Args[rp]; in.Kind == RefInner && in.Inner.Summary.ReturnsOwned != nil {
			out = append(out, &Object{
				Region: RegionCHeap, Alloc: in.Inner.Summary.ReturnsOwned, Kind: FromAllocation, Site: ev.Instr, Pos: in.Inner.Pos,
				What: in.Inner.Callee.UserName(), Value: ev.Result, MayBeNil: true,
			})
		}
	}
	for i, a := range s.OutOwned {
		if i >= len(ev.Args) || ev.Args[i].Kind != RefValue {
			continue
		}
		cell := addressedCell(ev.Args[i].V)
		if cell == nil {
			continue
		}
		guard := ev.Result
		if guard != nil {
			if _, ok := guard.Type().(*types.Tuple); ok {
				guard = extract(guard, 0)
			}
		}
		out = append(out, &Object{
			Region: RegionCHeap, Alloc: a, Kind: FromOutParam, Site: ev.Instr, Pos: ev.Pos,
			What: ev.Callee.UserName(), Cell: cell, Guard: guard, Success: s.Success, MayBeNil: true,
		})
	}
	return out
}

// addressedCell returns the local variable whose address v is (&db,
// possibly converted to unsafe.Pointer).
func addressedCell(v ssa.Value) ssa.Value {
	if a, ok := StripConversions(v).(*ssa.Alloc); ok {
		return a
	}
	return nil
}

func extract(tuple ssa.Value, index int) ssa.Value {
	refs := tuple.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		if e, ok := r.(*ssa.Extract); ok && e.Index == index {
			return e
		}
	}
	return nil
}

func resultValue(c *ssa.Call, index int) ssa.Value {
	if c.Call.Signature().Results().Len() == 1 {
		if index == 0 {
			return c
		}
		return nil
	}
	return extract(c, index)
}

// goCalleeName spells a Go callee as a user would: Name in the same
// package, pkg.Name in another.
func goCalleeName(caller, fn *ssa.Function) string {
	if fn == nil {
		return "the call"
	}
	if fn.Parent() != nil {
		return "the function literal"
	}
	if fn.Pkg != nil && caller.Pkg != nil && fn.Pkg != caller.Pkg {
		return fn.Pkg.Pkg.Name() + "." + fn.Name()
	}
	return fn.Name()
}
