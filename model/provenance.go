package model

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// An Origin is where a pointer value comes from, flow-insensitively.
type Origin struct {
	Region Region
	// Value is the SSA value that created the memory (an *ssa.Alloc, a
	// MakeSlice, the call that returned it), or nil.
	Value ssa.Value
	// Event is the boundary event that produced it, for C memory.
	Event *Event
	Pos   token.Pos
}

// Provenance follows v back through conversions, phis, field and index
// addresses and loads of local variables to where its memory came from.
// All incoming values of a phi or stores into a cell must agree, or the
// answer is RegionUnknown: a check built on it never guesses.
func (f *Function) Provenance(v ssa.Value) Origin {
	return f.provenance(v, map[ssa.Value]bool{})
}

// ProvenanceOf answers for an event argument.
func (f *Function) ProvenanceOf(r Ref) Origin {
	switch r.Kind {
	case RefValue:
		return f.Provenance(r.V)
	case RefCell:
		return f.cellProvenance(r.V, map[ssa.Value]bool{})
	}
	return Origin{}
}

func (f *Function) provenance(v ssa.Value, seen map[ssa.Value]bool) Origin {
	if seen[v] {
		return Origin{}
	}
	seen[v] = true
	switch x := v.(type) {
	case *ssa.Alloc:
		if x.Heap {
			return Origin{Region: RegionGoHeap, Value: x, Pos: x.Pos()}
		}
		return Origin{Region: RegionGoStack, Value: x, Pos: x.Pos()}
	case *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan:
		return Origin{Region: RegionGoHeap, Value: x, Pos: x.Pos()}
	case *ssa.Convert:
		if isUintptr(x.X.Type()) {
			return Origin{}
		}
		if b, ok := x.X.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
			// []byte(s): a fresh Go slice.
			return Origin{Region: RegionGoHeap, Value: x, Pos: x.Pos()}
		}
		return f.provenance(x.X, seen)
	case *ssa.ChangeType:
		return f.provenance(x.X, seen)
	case *ssa.MultiConvert:
		return f.provenance(x.X, seen)
	case *ssa.FieldAddr:
		return f.provenance(x.X, seen)
	case *ssa.IndexAddr:
		return f.provenance(x.X, seen)
	case *ssa.Slice:
		return f.provenance(x.X, seen)
	case *ssa.Phi:
		var out Origin
		for i, e := range x.Edges {
			o := f.provenance(e, seen)
			if isNil(e) {
				continue
			}
			if i == 0 || out.Region == RegionUnknown && out.Value == nil {
				out = o
				continue
			}
			if o.Region != out.Region {
				return Origin{}
			}
		}
		return out
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if a, ok := x.X.(*ssa.Alloc); ok {
				return f.cellProvenance(a, seen)
			}
		}
	case *ssa.Call, *ssa.Extract:
		call := v
		if e, ok := x.(*ssa.Extract); ok {
			call = e.Tuple
		}
		ci, ok := call.(ssa.CallInstruction)
		if !ok {
			return Origin{}
		}
		if ev := f.events[ci]; ev != nil && !ev.AtExit {
			s := ev.Summary
			switch {
			case s.ReturnsBorrowed:
				return Origin{Region: RegionCBorrowed, Value: v, Event: ev, Pos: ev.Pos}
			case s.ReturnsOwned != nil:
				return Origin{Region: RegionCHeap, Value: v, Event: ev, Pos: ev.Pos}
			case s.ReturnsParam >= 0 && s.ReturnsParam < len(ev.Args):
				return f.ProvenanceOf(ev.Args[s.ReturnsParam])
			}
		}
	}
	return Origin{}
}

// cellProvenance agrees over all values stored into a local variable.
func (f *Function) cellProvenance(cell ssa.Value, seen map[ssa.Value]bool) Origin {
	a, ok := cell.(*ssa.Alloc)
	if !ok {
		return Origin{}
	}
	refs := a.Referrers()
	if refs == nil {
		return Origin{}
	}
	var out Origin
	n := 0
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != a {
				return Origin{} // the cell's address is stored: anything may write it
			}
			if isNil(r.Val) {
				continue
			}
			o := f.provenance(r.Val, seen)
			if n > 0 && o.Region != out.Region {
				return Origin{}
			}
			out = o
			n++
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
			// Captured: closures may store into it. Only cgo's wrappers
			// (which never store into captured variables) are safe.
			if fn, ok := r.Fn.(*ssa.Function); !ok || storesToFreeVars(fn) {
				return Origin{}
			}
		default:
			return Origin{}
		}
	}
	return out
}

func storesToFreeVars(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if _, ok := st.Addr.(*ssa.FreeVar); ok {
					return true
				}
			}
		}
	}
	return slices.ContainsFunc(fn.AnonFuncs, storesToFreeVars)
}
