package model

import (
	"go/token"
	"go/types"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// A RefKind says how an event argument is known in the analyzed function.
type RefKind uint8

const (
	RefUnknown RefKind = iota
	RefValue           // the SSA value V of the analyzed function
	RefCell            // the content of cell V (an *ssa.Alloc or captured cell) when the event happens
	RefInner           // the result of another cgo call made inside cgo's wrapper: C.f(C.CString(s))
)

// A Ref is an argument of a boundary event, expressed in terms of the
// function being analyzed even when cgo evaluated it inside one of its
// wrapper closures.
type Ref struct {
	Kind  RefKind
	V     ssa.Value
	Inner *Event // for RefInner
}

func (r Ref) String() string {
	switch r.Kind {
	case RefValue:
		return r.V.Name()
	case RefCell:
		return "*" + r.V.Name()
	case RefInner:
		return r.Inner.Callee.UserName() + "(...)"
	}
	return "?"
}

// An Event is a call across the boundary: a C function, or one of cgo's
// builtins, called from the analyzed function.
type Event struct {
	// Instr is the instruction of the analyzed function at which the
	// event happens: the direct call, or the call of cgo's wrapper
	// closure.
	Instr   ssa.CallInstruction
	Callee  *CgoCallee
	Decl    *bridge.Func    // nil for builtins and undeclared functions
	Summary *bridge.Summary // never nil
	Args    []Ref
	// Result holds the call's result in the analyzed function (a tuple
	// for the errno form), or nil.
	Result ssa.Value
	Pos    token.Pos // the C call as the user wrote it
	// AtExit is set when the call runs when the function returns: a
	// deferred call. For cgo's defer shape the arguments are evaluated
	// at Instr, which produces the function value DeferredValue; the
	// Defer instruction that runs it is DeferInstr.
	AtExit        bool
	DeferredValue ssa.Value
	DeferInstr    *ssa.Defer
	// Wrapper is the cgo wrapper closure the call sits in, if any.
	Wrapper *ssa.Function
}

// Errno reports whether the call is the two-value form r, err := C.f().
func (e *Event) Errno() bool { return e.Callee.Errno }

// Arg returns the i'th argument, or an unknown Ref.
func (e *Event) Arg(i int) Ref {
	if i < len(e.Args) {
		return e.Args[i]
	}
	return Ref{}
}

// Events returns the boundary events of fn in instruction order.
func Events(fn *ssa.Function, pkg *bridge.Package) []*Event {
	var out []*Event
	defers := map[ssa.Value]*ssa.Defer{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok {
				defers[d.Call.Value] = d
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if ev := eventAt(call, pkg); ev != nil {
				if ev.AtExit && ev.DeferInstr == nil && ev.DeferredValue != nil {
					ev.DeferInstr = defers[ev.DeferredValue]
				}
				out = append(out, ev)
			}
		}
	}
	return out
}

// eventAt returns the boundary event at a call instruction, or nil.
func eventAt(call ssa.CallInstruction, pkg *bridge.Package) *Event {
	common := call.Common()
	if c := StaticCgoCallee(common); c != nil {
		if c.Kind == bridge.CFunc && rawTwoValueForm(call) {
			c.Kind, c.Errno = bridge.CFuncErrno, true
		}
		ev := newEvent(c, pkg)
		ev.Instr, ev.Pos = call, common.Pos()
		if common.Pos() == token.NoPos {
			ev.Pos = call.Pos()
		}
		for _, a := range common.Args {
			ev.Args = append(ev.Args, Ref{Kind: RefValue, V: a})
		}
		if v := call.Value(); v != nil {
			ev.Result = v
		}
		if d, ok := call.(*ssa.Defer); ok {
			ev.AtExit, ev.DeferInstr = true, d
		}
		return ev
	}
	w, outer := wrapperCall(common)
	if w == nil {
		return nil
	}
	inner, innerCall, nested := wrapperBody(w)
	if inner == nil {
		return nil
	}
	if _, ok := call.(*ssa.Call); !ok && nested == nil {
		// defer func() { C.free(p) }(): the closure reads its captured
		// variables when it runs, not now. The engine applies the
		// closure's summary at exit instead.
		return nil
	}
	ev := newEvent(inner, pkg)
	// cgo writes the wrapper where the user wrote the call, so the
	// closure's position is the start of `C.f(...)` in the user's file;
	// the inner call carries a column inside the argument list.
	ev.Instr, ev.Pos, ev.Wrapper = call, w.Pos(), w
	if ev.Pos == token.NoPos {
		ev.Pos = innerCall.Pos()
	}
	outer.bridge = pkg
	env := outer
	if nested != nil {
		// cgo's defer shape: the outer wrapper evaluates the arguments
		// and returns the closure that makes the call.
		env = &wrapperEnv{bridge: pkg, fn: nested.Fn.(*ssa.Function), bindings: nested.Bindings, parent: outer}
		ev.AtExit = true
		if v := call.Value(); v != nil {
			ev.DeferredValue = v
		}
	} else if v := call.Value(); v != nil && innerReturnsCall(w) {
		ev.Result = v
	}
	if d, ok := call.(*ssa.Defer); ok {
		ev.AtExit, ev.DeferInstr = true, d
	}
	for _, a := range innerCall.Call.Args {
		ev.Args = append(ev.Args, resolve(a, env))
	}
	return ev
}

// rawTwoValueForm recognizes r, err := C.f() in the raw shape: go/types
// resolves C.f to _Cfunc_f, whose signature has at most one result, and
// records the call as the pair (result, error) that cgo's _C2func_f
// would return, so the SSA call has a two-element tuple type its callee
// does not declare.
func rawTwoValueForm(call ssa.CallInstruction) bool {
	v := call.Value()
	if v == nil {
		return false
	}
	tup, ok := v.Type().(*types.Tuple)
	if !ok || tup.Len() != 2 || !types.Identical(tup.At(1).Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	sig := call.Common().Signature()
	return sig != nil && sig.Results().Len() < 2
}

func newEvent(c *CgoCallee, pkg *bridge.Package) *Event {
	ev := &Event{Callee: c}
	switch c.Kind {
	case bridge.CBuiltin:
		ev.Summary = builtinSummary(c.Name)
	default:
		ev.Decl = pkg.Func(c.Name)
		ev.Summary = pkg.Summary(c.Name)
	}
	return ev
}

// builtinSummary describes cgo's own helpers in the bridge's terms.
func builtinSummary(name string) *bridge.Summary {
	s := &bridge.Summary{Name: name, Known: true, Source: bridge.FromTable, ReturnsParam: -1, Params: map[int]bridge.Effect{}, SetsErrno: bridge.No}
	switch name {
	case bridge.BuiltinCString, bridge.BuiltinCBytes:
		s.ReturnsOwned = bridge.MallocFamily
	case bridge.BuiltinCMalloc:
		s.ReturnsOwned = bridge.MallocFamily
		s.Success = bridge.SuccessNonNull
	case bridge.BuiltinGoString, bridge.BuiltinGoStringN, bridge.BuiltinGoBytes:
		s.Params[0] = bridge.Borrows
	}
	return s
}

// A wrapperEnv maps the free variables and parameters of a wrapper
// closure to values of the function that called it.
type wrapperEnv struct {
	bridge   *bridge.Package
	fn       *ssa.Function
	bindings []ssa.Value // MakeClosure bindings, values of parent
	args     []ssa.Value // call arguments, values of parent
	parent   *wrapperEnv // nil: parent is the analyzed function
}

func (e *wrapperEnv) pkg() *bridge.Package {
	for ; e != nil; e = e.parent {
		if e.bridge != nil {
			return e.bridge
		}
	}
	return nil
}

// wrapperCall recognizes a call of an anonymous function (a closure or a
// function literal without free variables) and returns it with the
// environment mapping its inputs to the caller.
func wrapperCall(c *ssa.CallCommon) (*ssa.Function, *wrapperEnv) {
	switch v := c.Value.(type) {
	case *ssa.MakeClosure:
		fn, ok := v.Fn.(*ssa.Function)
		if !ok || fn.Parent() == nil {
			return nil, nil
		}
		return fn, &wrapperEnv{fn: fn, bindings: v.Bindings, args: c.Args}
	case *ssa.Function:
		if v.Parent() == nil {
			return nil, nil
		}
		return v, &wrapperEnv{fn: v, args: c.Args}
	}
	return nil, nil
}

// inCgoOutput reports whether closure fn may have been written by cgo:
// its syntax is in a file cgo wrote, whose positions //line comments map
// to the user's file, and the user's file does not have a function
// literal there (cgo's closures take the place of the C.f(...) they
// wrap). In the raw shape (the user's own files) no closure is cgo's;
// in either, one the user wrote that only calls a C function,
// func() { C.f(x) }, is the user's own.
func inCgoOutput(fn *ssa.Function) bool {
	syn := fn.Syntax()
	if syn == nil || fn.Prog == nil || fn.Prog.Fset == nil {
		return true
	}
	fset := fn.Prog.Fset
	written, user := fset.PositionFor(syn.Pos(), false), fset.PositionFor(syn.Pos(), true)
	if written.Filename == user.Filename {
		return false
	}
	return !sourceHas(user, "func")
}

// sourceLines caches the lines of the user's files that sourceHas
// reads, by file name, while the file is unchanged.
var sourceLines sync.Map // file name -> *sourceText

type sourceText struct {
	mod   time.Time
	size  int64
	lines []string
}

// sourceHas reports whether text is written at pos in its file.
func sourceHas(pos token.Position, text string) bool {
	fi, err := os.Stat(pos.Filename)
	if err != nil {
		return false
	}
	v, ok := sourceLines.Load(pos.Filename)
	st, _ := v.(*sourceText)
	if !ok || !st.mod.Equal(fi.ModTime()) || st.size != fi.Size() {
		b, err := os.ReadFile(pos.Filename)
		if err != nil {
			return false
		}
		st = &sourceText{mod: fi.ModTime(), size: fi.Size(), lines: strings.Split(string(b), "\n")}
		sourceLines.Store(pos.Filename, st)
	}
	if pos.Line < 1 || pos.Line > len(st.lines) || pos.Column < 1 {
		return false
	}
	line := st.lines[pos.Line-1]
	return pos.Column-1 <= len(line) && strings.HasPrefix(line[pos.Column-1:], text)
}

// wrapperBody recognizes the closures cgo generates around a call: one
// block that evaluates the arguments (any Go code the user wrote there),
// runs pointer checks and calls one cgo function last. Arguments that
// are themselves cgo calls, directly or through their own wrapper, may
// be evaluated inside (C.f(C.CBytes(b))). For the defer shape the
// closure instead returns a closure that makes the call; nested is that
// MakeClosure.
func wrapperBody(fn *ssa.Function) (callee *CgoCallee, call *ssa.Call, nested *ssa.MakeClosure) {
	if len(fn.Blocks) != 1 || !inCgoOutput(fn) {
		return nil, nil, nil
	}
	var inner []*ssa.Call // cgo calls and inner wrapper calls, in order
	var ret *ssa.Return
	for _, instr := range fn.Blocks[0].Instrs {
		switch instr := instr.(type) {
		case *ssa.Call:
			if instr.Call.IsInvoke() || isCgoRuntimeHelper(instr.Call.StaticCallee()) {
				continue
			}
			if c := StaticCgoCallee(&instr.Call); c != nil {
				callee, call = c, instr
				inner = append(inner, instr)
				continue
			}
			if w, _ := wrapperCall(&instr.Call); w != nil {
				if c, _, n := wrapperBody(w); c != nil && n == nil {
					inner = append(inner, instr)
				}
			}
		case *ssa.Return:
			ret = instr
		case *ssa.Go, *ssa.Defer, *ssa.Panic, *ssa.Select:
			return nil, nil, nil
		}
	}
	if len(inner) == 0 {
		// The defer shape: return func() { ...; _Cfunc_f(_cgo0) }.
		if ret == nil || len(ret.Results) != 1 {
			return nil, nil, nil
		}
		mc, ok := ret.Results[0].(*ssa.MakeClosure)
		if !ok {
			return nil, nil, nil
		}
		f, ok := mc.Fn.(*ssa.Function)
		if !ok {
			return nil, nil, nil
		}
		c2, call2, n2 := wrapperBody(f)
		if c2 == nil || n2 != nil {
			return nil, nil, nil
		}
		return c2, call2, mc
	}
	// The last cgo call is the one the wrapper exists for; everything
	// else cgo-related must feed its arguments.
	if call == nil || inner[len(inner)-1] != call {
		return nil, nil, nil
	}
	for _, c := range inner[:len(inner)-1] {
		if !feedsOnly(c, call) {
			return nil, nil, nil
		}
	}
	return callee, call, nil
}

// feedsOnly reports whether v reaches only the arguments of call, through
// conversions and the wrapper's local variables.
func feedsOnly(v ssa.Value, call *ssa.Call) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Call:
			if r != call && !isCgoRuntimeHelper(r.Call.StaticCallee()) {
				return false
			}
		case *ssa.Convert:
			if !feedsOnly(r, call) {
				return false
			}
		case *ssa.ChangeType:
			if !feedsOnly(r, call) {
				return false
			}
		case *ssa.MakeInterface:
			if !feedsOnly(r, call) {
				return false
			}
		case *ssa.Store:
			a, ok := r.Addr.(*ssa.Alloc)
			if !ok {
				return false
			}
			for _, ar := range *a.Referrers() {
				if ld, ok := ar.(*ssa.UnOp); ok && !feedsOnly(ld, call) {
					return false
				}
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// innerReturnsCall reports whether the wrapper returns the result of its
// cgo call (directly or as a tuple).
func innerReturnsCall(fn *ssa.Function) bool {
	for _, instr := range fn.Blocks[0].Instrs {
		if r, ok := instr.(*ssa.Return); ok {
			return len(r.Results) > 0
		}
	}
	return false
}

// resolve expresses a value of a wrapper closure in terms of the
// analyzed function.
func resolve(v ssa.Value, env *wrapperEnv) Ref {
	if env == nil {
		return Ref{Kind: RefValue, V: v}
	}
	switch v := v.(type) {
	case *ssa.Const:
		return Ref{Kind: RefValue, V: v}
	case *ssa.Call:
		if v.Parent() != env.fn {
			break
		}
		if c := StaticCgoCallee(&v.Call); c != nil {
			inner := newEvent(c, env.pkg())
			inner.Instr, inner.Pos, inner.Result = v, v.Pos(), v
			for _, a := range v.Call.Args {
				inner.Args = append(inner.Args, resolve(a, env))
			}
			return Ref{Kind: RefInner, Inner: inner}
		}
		if w, wenv := wrapperCall(&v.Call); w != nil {
			if c, call, n := wrapperBody(w); c != nil && n == nil {
				wenv.parent, wenv.bridge = env, env.pkg()
				inner := newEvent(c, env.pkg())
				inner.Instr, inner.Pos, inner.Result, inner.Wrapper = v, w.Pos(), v, w
				for _, a := range call.Call.Args {
					inner.Args = append(inner.Args, resolve(a, wenv))
				}
				return Ref{Kind: RefInner, Inner: inner}
			}
		}
	case *ssa.FreeVar:
		for i, fv := range env.fn.FreeVars {
			if fv == v && i < len(env.bindings) {
				return resolve(env.bindings[i], env.parent)
			}
		}
	case *ssa.Parameter:
		for i, p := range env.fn.Params {
			if p == v && i < len(env.args) {
				return resolve(env.args[i], env.parent)
			}
		}
	case *ssa.Convert:
		return resolve(v.X, env)
	case *ssa.ChangeType:
		return resolve(v.X, env)
	case *ssa.MultiConvert:
		return resolve(v.X, env)
	case *ssa.ChangeInterface:
		return resolve(v.X, env)
	case *ssa.MakeInterface:
		return resolve(v.X, env)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return resolveLoad(v.X, env)
		}
	}
	return Ref{}
}

// resolveLoad expresses a load through x (a pointer to a variable) in
// terms of the analyzed function: captured variables are followed out
// through the closures' bindings, and a wrapper's own temporaries
// (cgo's _cgo0 := ...) are replaced by the value stored in them.
func resolveLoad(x ssa.Value, env *wrapperEnv) Ref {
	if env == nil {
		if p := spilledParam(x); p != nil {
			return Ref{Kind: RefValue, V: p}
		}
		return Ref{Kind: RefCell, V: x}
	}
	switch x := x.(type) {
	case *ssa.FreeVar:
		for i, fv := range env.fn.FreeVars {
			if fv == x && i < len(env.bindings) {
				return resolveLoad(env.bindings[i], env.parent)
			}
		}
	case *ssa.Alloc:
		if x.Parent() == env.fn {
			if stored := singleStore(x); stored != nil {
				return resolve(stored, env)
			}
		}
	case *ssa.FieldAddr:
		// A field of a struct the analyzed function holds (b.p in
		// C.f(b.p)): the content of the field cell.
		if r := resolve(x.X, env); r.Kind == RefValue && fieldBase(r.V) {
			return Ref{Kind: RefCell, V: fieldCell{r.V, x.Field}}
		}
	default:
		if r := resolve(x, env); r.Kind == RefValue {
			return Ref{Kind: RefCell, V: r.V}
		}
	}
	return Ref{}
}

// singleStore returns the value stored into a wrapper's local cell when
// there is exactly one store.
func singleStore(a *ssa.Alloc) ssa.Value {
	var val ssa.Value
	refs := a.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}
