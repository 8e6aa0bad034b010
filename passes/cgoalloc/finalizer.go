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

// An unowned is where memory that Go must not free came from.
type unowned struct {
	pos token.Pos // the call or parameter that produced it
	why string    // "memory C.f returned at line 12, which the C library owns"
}

// A finalizerFree is memory a finalizer or cleanup set in a function
// frees: the value it was given, and how the message names it.
type finalizerFree struct {
	call  *ssa.Call // the SetFinalizer or AddCleanup call
	value ssa.Value // the memory freed, as the function holds it
	where string    // "field p of *Name", "the cleanup's argument"
	kind  string    // "finalizer" or "cleanup"
}

// finalizerFrees reports a finalizer (runtime.SetFinalizer) or cleanup
// (runtime.AddCleanup) that frees C memory Go does not own: memory a C
// function returned borrowed (the library owns it), memory whose
// ownership a C function took, or a pointer C passed to an //export'ed
// function, which C lends only for the call. The finalizer's free is
// a double free, or frees memory C still uses.
//
// The memory is followed only within the function that sets the
// finalizer: into a field of the object (assigned once there, and never
// through a pointer some function did not allocate itself), a variable
// the finalizer captures, or the cleanup's argument. Silent when its
// origin is not certain (a value from another Go function, a C function
// whose summary says nothing of what it returns, a field a setter may
// replace with memory the object owns), when the function also removes
// the finalizer, and when it keeps the cleanup's handle, which may stop
// the cleanup.
func (c *checker) finalizerFrees(f *model.Function) {
	for _, ff := range c.finalizerFreesIn(f.Fn) {
		o := c.originOf(f, ff.value)
		if o == nil {
			continue
		}
		c.reportFinalizer(f, ff, o, nil)
	}
	c.lentToWrapper(f)
}

// lentToWrapper reports an //export'ed function handing a pointer
// parameter to a Go function of this package that wraps it in an object
// whose finalizer frees it: C lends the pointer only for the call.
func (c *checker) lentToWrapper(f *model.Function) {
	if !c.exported(f.Fn) {
		return
	}
	for _, b := range f.Fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg || model.IsCgoGenerated(callee) || c.exported(callee) {
				continue
			}
			for i, a := range call.Call.Args {
				p, ok := rootValue(a).(*ssa.Parameter)
				if !ok || p.Parent() != f.Fn || !pointerLike(p.Type()) || i >= len(callee.Params) {
					continue
				}
				for _, ff := range c.finalizerFreesIn(callee) {
					if rootValue(ff.value) != callee.Params[i] {
						continue
					}
					o := &unowned{pos: p.Pos(),
						why: fmt.Sprintf("parameter %s of the exported function %s, which C lends only for the call", p.Name(), f.Fn.Name())}
					c.reportFinalizer(f, ff, o, call)
				}
			}
		}
	}
}

// reportFinalizer reports ff in f, or, when through is set, at the
// call of the function that sets the finalizer.
func (c *checker) reportFinalizer(f *model.Function, ff finalizerFree, o *unowned, through *ssa.Call) {
	fset := c.pass.Fset
	const advice = "the free is a double free or frees memory C still uses; do not free it in the %s: wrap it without one, or copy it into memory you own"
	d := analysis.Diagnostic{
		Pos:      ff.call.Pos(),
		Category: "finalizer-frees-unowned",
		Message:  fmt.Sprintf("the %s set here frees %s, %s: "+advice, ff.kind, ff.where, o.why, ff.kind),
		Related:  []analysis.RelatedInformation{{Pos: o.pos, Message: "the memory comes from here"}},
	}
	if through != nil {
		d.Pos = through.Pos()
		d.Message = fmt.Sprintf("%s wraps %s, in an object whose %s, set at line %d, frees it as %s: "+advice,
			calleeName(through.Call.StaticCallee()), o.why, ff.kind, checkutil.Line(fset, ff.call.Pos()), ff.where, ff.kind)
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: ff.call.Pos(), Message: "the " + ff.kind + " is set here"})
	}
	c.pass.Report(d)
}

// finalizerFreesIn returns the memory the finalizers and cleanups fn
// sets free, as fn holds it.
func (c *checker) finalizerFreesIn(fn *ssa.Function) []finalizerFree {
	var out []finalizerFree
	cleared := clearedFinalizers(fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			switch runtimeFunc(call) {
			case "SetFinalizer":
				if len(call.Call.Args) == 2 && !cleared[unIface(call.Call.Args[0])] {
					out = append(out, c.setFinalizer(fn, call)...)
				}
			case "AddCleanup":
				// A cleanup whose handle is kept may be stopped
				// (Cleanup.Stop) when the memory changes hands.
				if refs := call.Referrers(); len(call.Call.Args) == 3 && (refs == nil || len(*refs) == 0) {
					out = append(out, c.addCleanup(call)...)
				}
			}
		}
	}
	return out
}

// clearedFinalizers returns the objects whose finalizer fn removes
// (runtime.SetFinalizer(obj, nil)), as code does when it hands the
// memory to C: which finalizer runs then depends on the path.
func clearedFinalizers(fn *ssa.Function) map[ssa.Value]bool {
	cleared := map[ssa.Value]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || runtimeFunc(call) != "SetFinalizer" || len(call.Call.Args) != 2 {
				continue
			}
			if k, ok := call.Call.Args[1].(*ssa.Const); ok && k.IsNil() {
				cleared[unIface(call.Call.Args[0])] = true
			}
		}
	}
	return cleared
}

// runtimeFunc returns the name of the runtime function call calls, or "".
func runtimeFunc(call *ssa.Call) string {
	fn := call.Call.StaticCallee()
	if fn == nil {
		return ""
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Pkg == nil || fn.Pkg.Pkg.Path() != "runtime" || fn.Signature.Recv() != nil {
		return ""
	}
	return fn.Name()
}

// setFinalizer returns the memory the finalizer call sets frees: the
// fields of the object it frees, and the variables it captures and
// frees.
func (c *checker) setFinalizer(fn *ssa.Function, call *ssa.Call) []finalizerFree {
	obj := unIface(call.Call.Args[0])
	fin, bindings := finalizerFunc(unIface(call.Call.Args[1]))
	if fin == nil {
		return nil
	}
	sum := c.res.Summary(fin)
	if sum == nil {
		return nil
	}
	var out []finalizerFree
	st := structOf(obj.Type())
	for _, fe := range sum.Fields {
		if fe.Param != 0 || fe.Effect&(bridge.Frees|bridge.MayFree) == 0 || st == nil || fe.Field >= st.NumFields() {
			continue
		}
		v := storedField(fn, obj, fe.Field)
		if v == nil || c.fieldAssignedElsewhere(st, fe.Field) {
			continue
		}
		out = append(out, finalizerFree{call: call, value: v, kind: "finalizer",
			where: fmt.Sprintf("field %s of %s", st.Field(fe.Field).Name(), types.TypeString(obj.Type(), types.RelativeTo(c.pass.Pkg)))})
	}
	for i, e := range sum.FreeVars {
		if e&bridge.Frees == 0 || i >= len(bindings) || i >= len(fin.FreeVars) {
			continue
		}
		cell, ok := bindings[i].(*ssa.Alloc)
		if !ok {
			continue
		}
		v := singleStored(cell)
		if v == nil {
			continue
		}
		out = append(out, finalizerFree{call: call, value: v, kind: "finalizer",
			where: "the variable " + fin.FreeVars[i].Name() + " it captures"})
	}
	return out
}

// addCleanup returns the cleanup's argument when the cleanup function
// frees it.
func (c *checker) addCleanup(call *ssa.Call) []finalizerFree {
	cleanup, bindings := finalizerFunc(call.Call.Args[1])
	if cleanup == nil || len(bindings) > 0 {
		return nil
	}
	sum := c.res.Summary(cleanup)
	if sum == nil || len(sum.Params) == 0 || sum.Params[0]&bridge.Frees == 0 {
		return nil
	}
	return []finalizerFree{{call: call, value: call.Call.Args[2], kind: "cleanup", where: "its argument"}}
}

// finalizerFunc returns the function a finalizer value runs, with the
// variables a closure captures. A method expression's thunk is seen
// through to the method.
func finalizerFunc(v ssa.Value) (*ssa.Function, []ssa.Value) {
	switch x := v.(type) {
	case *ssa.Function:
		if x.Synthetic != "" {
			return thunkTarget(x), nil
		}
		return x, nil
	case *ssa.MakeClosure:
		fn, _ := x.Fn.(*ssa.Function)
		return fn, x.Bindings
	}
	return nil, nil
}

// thunkTarget returns the function a synthetic wrapper calls, when its
// body is that one static call.
func thunkTarget(fn *ssa.Function) *ssa.Function {
	var target *ssa.Function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok {
				if target != nil {
					return nil
				}
				target = call.Common().StaticCallee()
			}
		}
	}
	return target
}

func unIface(v ssa.Value) ssa.Value {
	if mi, ok := v.(*ssa.MakeInterface); ok {
		return mi.X
	}
	return v
}

// storedField returns the value fn stores in field k of the struct obj
// points to, when it stores there once.
func storedField(fn *ssa.Function, obj ssa.Value, k int) ssa.Value {
	var val ssa.Value
	n := 0
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok || fa.X != obj || fa.Field != k {
				continue
			}
			val = st.Val
			n++
		}
	}
	if n != 1 {
		return nil
	}
	return val
}

// singleStored returns the value stored in the variable cell, when it
// is stored once.
func singleStored(cell *ssa.Alloc) ssa.Value {
	var val ssa.Value
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// rootValue returns the value v holds, seen through conversions,
// variables assigned once, and fields assigned once of structs the
// function builds.
func rootValue(v ssa.Value) ssa.Value {
	for range 8 {
		v = model.StripConversions(v)
		ld, ok := v.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			return v
		}
		var stored ssa.Value
		switch x := ld.X.(type) {
		case *ssa.Alloc:
			stored = singleStored(x)
		case *ssa.FieldAddr:
			// A field of a struct the function builds, assigned once.
			if _, built := x.X.(*ssa.Alloc); built {
				stored = storedField(x.Parent(), x.X, x.Field)
			}
		}
		if stored == nil {
			return v
		}
		v = stored
	}
	return v
}

// originOf returns why the memory v holds in f is not Go's to free, or
// nil when it is, or when that is not certain.
func (c *checker) originOf(f *model.Function, v ssa.Value) *unowned {
	root := rootValue(v)
	fset := c.pass.Fset
	// Ownership a C function took: the free in the finalizer is the
	// second one.
	for _, ev := range f.Events() {
		if ev.AtExit {
			continue
		}
		for i, a := range ev.Args {
			if ev.Summary.Effect(i)&bridge.Takes == 0 || rootValue(refValue(a)) != root {
				continue
			}
			return &unowned{pos: f.CallStart(ev.Pos),
				why: fmt.Sprintf("memory %s took ownership of at line %d", ev.Callee.UserName(), checkutil.Line(fset, f.CallStart(ev.Pos)))}
		}
	}
	if p, ok := root.(*ssa.Parameter); ok && p.Parent() == f.Fn && c.exported(f.Fn) && pointerLike(p.Type()) {
		return &unowned{pos: p.Pos(),
			why: fmt.Sprintf("parameter %s of the exported function %s, which C lends only for the call", p.Name(), f.Fn.Name())}
	}
	for _, ev := range f.Events() {
		if ev.Result == nil || ev.Result != root || ev.AtExit {
			continue
		}
		if ev.Summary.ReturnsBorrowed && ev.Summary.ReturnsOwned == nil {
			return &unowned{pos: f.CallStart(ev.Pos),
				why: fmt.Sprintf("memory %s returned at line %d, which the C library owns", ev.Callee.UserName(), checkutil.Line(fset, f.CallStart(ev.Pos)))}
		}
	}
	return nil
}

// fieldAssignedElsewhere reports whether a function of the package
// assigns field k of a struct of type st other than while building it
// (through a pointer it did not allocate itself: a setter, a method):
// the finalizer may free memory put there later, which the object owns.
func (c *checker) fieldAssignedElsewhere(st *types.Struct, k int) bool {
	for _, g := range c.res.Funcs {
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				s, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := s.Addr.(*ssa.FieldAddr)
				if !ok || fa.Field != k || structOf(fa.X.Type()) != st {
					continue
				}
				if _, built := fa.X.(*ssa.Alloc); !built {
					return true
				}
			}
		}
	}
	return false
}

// exported reports whether C calls fn: it is //export'ed.
func (c *checker) exported(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() != nil || c.res.Bridge == nil {
		return false
	}
	_, ok := c.res.Bridge.Exports[fn.Name()]
	return ok
}

func pointerLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

// structOf returns the struct a pointer type points to, or nil.
func structOf(t types.Type) *types.Struct {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, _ := p.Elem().Underlying().(*types.Struct)
	return st
}
