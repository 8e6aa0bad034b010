package model

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// An IntPointer says how an argument of a C call crossed between
// pointers and integers, for arguments that did.
type IntPointer struct {
	// Laundered is set when the argument is an integer computed from
	// pointers: uintptr(unsafe.Pointer(p)). Locs are where they point.
	Laundered bool
	Locs      []Loc
	// Int is set when the argument is a pointer made from an integer that
	// is neither a pointer's address nor a value C produced: a counter, a
	// cgo.Handle. It is that integer.
	Int ssa.Value
}

// ArgIntPointer describes how argument i of ev crossed between pointers
// and integers, or returns the zero IntPointer when it did not.
func (m *Memory) ArgIntPointer(ev *Event, i int) IntPointer {
	args, env := eventArgs(ev, m.f.res.Bridge)
	if i >= len(args) {
		return IntPointer{}
	}
	a := args[i]
	if isInteger(a.Type()) {
		var out IntPointer
		for _, p := range pointerOperands(a, env, 0) {
			out.Locs = appendLocs(out.Locs, m.locs(p.v, p.env)...)
		}
		out.Laundered = len(out.Locs) > 0
		return out
	}
	if !isUnsafePointer(a.Type()) && pointerElem(a.Type()) == nil {
		return IntPointer{}
	}
	conv := m.fromInteger(a, env, 0)
	if conv == nil {
		return IntPointer{}
	}
	if len(pointerOperands(conv.X, conv.env, 0)) > 0 {
		return IntPointer{} // pointer arithmetic
	}
	base := integerBase(conv.X)
	if _, ok := base.(*ssa.Const); ok || isCType(base.Type()) || m.fromC(base) || m.f.res.IsCHandle(base.Type()) {
		return IntPointer{}
	}
	if b, ok := base.Type().(*types.Basic); ok && b.Kind() == types.Uintptr {
		// A plain uintptr of unknown origin is as often a real address
		// (reflect.Value.Pointer() of a C handle, a C pointer kept in a
		// uintptr field) as a fake one: stay silent. Counters and IDs are
		// ints, and handles have a type of their own (cgo.Handle).
		return IntPointer{}
	}
	return IntPointer{Int: base}
}

// convEnv is a conversion from an integer to a pointer, and where it is.
type convEnv struct {
	X   ssa.Value
	env *wrapperEnv
}

// fromInteger follows a pointer argument back through conversions and
// variables to a conversion from an integer.
func (m *Memory) fromInteger(v ssa.Value, env *wrapperEnv, depth int) *convEnv {
	if depth > 8 {
		return nil
	}
	switch x := v.(type) {
	case *ssa.Convert:
		if isInteger(x.X.Type()) {
			return &convEnv{x.X, env}
		}
		return m.fromInteger(x.X, env, depth+1)
	case *ssa.ChangeType:
		return m.fromInteger(x.X, env, depth+1)
	case *ssa.FreeVar:
		if env != nil {
			if b, penv := bindingOf(x, env); b != nil {
				return m.fromInteger(b, penv, depth+1)
			}
		}
	case *ssa.Parameter:
		if env != nil {
			for i, p := range env.fn.Params {
				if p == x && i < len(env.args) {
					return m.fromInteger(env.args[i], env.parent, depth+1)
				}
			}
		}
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil
		}
		var cell ssa.Value = x.X
		cenv := env
		if env != nil {
			if a, ok := x.X.(*ssa.Alloc); ok && a.Parent() == env.fn {
				if st := singleStore(a); st != nil {
					return m.fromInteger(st, env, depth+1)
				}
				return nil
			}
			fv, ok := x.X.(*ssa.FreeVar)
			if !ok {
				return nil
			}
			cell, cenv = bindingOf(fv, env)
			if cenv != nil || cell == nil {
				return nil
			}
		}
		a, ok := cell.(*ssa.Alloc)
		if !ok {
			return nil
		}
		stores := storesInto(a)
		if len(stores) != 1 {
			return nil
		}
		return m.fromInteger(stores[0], nil, depth+1)
	}
	return nil
}

// integerBase strips integer conversions.
func integerBase(v ssa.Value) ssa.Value {
	for {
		c, ok := v.(*ssa.Convert)
		if !ok || !isInteger(c.X.Type()) {
			return v
		}
		v = c.X
	}
}

// fromC reports whether an integer was produced by C: a C call's result
// or a field read from C memory.
func (m *Memory) fromC(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Call:
		return m.f.events[x] != nil
	case *ssa.Extract:
		if c, ok := x.Tuple.(*ssa.Call); ok {
			return m.f.events[c] != nil
		}
	case *ssa.UnOp:
		if x.Op == token.MUL {
			for _, l := range m.locs(x.X, nil) {
				if l.Site.Region.IsC() {
					return true
				}
			}
		}
	}
	return false
}
