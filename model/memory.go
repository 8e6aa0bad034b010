package model

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// Memory is a flow-insensitive view of the memory one function touches.
// For every pointer, slice or string value it knows the pieces of memory
// (Sites) the value may point into and where in them (a Path); for every
// place in a site, the values stored there. Checks ask it whether Go
// memory handed to C holds Go pointers, and whether a store writes a Go
// pointer into C memory.
//
// It keeps every site a value may reach; callers decide how much
// agreement they need (ArgOrigin asks that all agree).
type Memory struct {
	f     *Function
	sites map[ssa.Value]*Site
	ext   map[string]*Site
	memo  map[ssa.Value][]Loc
	busy  map[ssa.Value]bool
	// cycles counts answers cut short by a cycle; steps bounds the work
	// spent recomputing them.
	cycles, steps int

	collected  bool
	rawStores  []*ssa.Store
	storedVals []*ssa.Store // stores of pointers, slices, strings...
	copies     []*ssa.Call
	appends    []*ssa.Call
	pinCalls   []*ssa.Call
	escaping   []ssa.Value
	escaped    map[*Site]bool
	pins       []*Pin
	export     bool // the function is //export'ed: C calls it
}

// A Site is one piece of memory: an allocation the function makes, C
// memory it obtains, or memory it reaches from outside (a parameter, a
// global, a field of either) whose region is then judged from the Go type.
type Site struct {
	Region Region
	// Value made the memory (an *ssa.Alloc, a MakeSlice, a call), or is
	// the value through which outside memory is reached.
	Value ssa.Value
	Pos   token.Pos
	// What names the site as a user would: "variable buf", "new(conn)",
	// "make([]*C.char, ...)", "C.malloc", "parameter s".
	What string
	// Type is the type of the memory as a whole. For the backing array of
	// a slice it is the slice type.
	Type types.Type
	// ByType is set when Region was judged from the Go type alone: a
	// []byte or *conn parameter is taken to be Go memory.
	ByType bool
	// Local is set for memory the function allocates itself.
	Local bool
	// Static is set for C globals.
	Static bool
	// Array is set when the site is the backing array of slices of Type
	// (or the bytes of a string of Type) rather than a variable of Type.
	Array bool
	// Event is the C call or cgo builtin whose result the site is.
	Event *Event
}

// TypeAt returns the type found at path in the site, or nil.
func (s *Site) TypeAt(path string) types.Type {
	if !s.Array {
		return typeAt(s.Type, path)
	}
	elem := arrayElem(s.Type)
	if elem == nil {
		return nil
	}
	if path == "" {
		return types.NewArray(elem, 1)
	}
	if !strings.HasPrefix(path, "[]") {
		return nil
	}
	return typeAt(elem, path[2:])
}

// arrayElem is the element type of a slice, or byte for a string.
func arrayElem(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return u.Elem()
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return types.Typ[types.Byte]
		}
	}
	return nil
}

func (s *Site) String() string {
	return fmt.Sprintf("%s (%s)", s.What, s.Region)
}

// A Loc is a place in a site. Path lists the steps from the start of the
// site: ".N" selects field N of a struct, "[]" any element of an array or
// slice; "*" is an unknown offset (pointer arithmetic).
type Loc struct {
	Site *Site
	Path string
}

func (l Loc) String() string { return l.Site.What + l.Path }

// Held is a Go pointer found in memory.
type Held struct {
	Loc  Loc
	Slot types.Type // the type of the place holding it
	// Value is the value stored there and Store the instruction that
	// stored it; both nil when the pointer is known from the slot's type
	// only (a func field of memory the function did not allocate).
	Value ssa.Value
	Store ssa.Instruction
	// Target is the Go memory the pointer points to, when known.
	Target *Site
}

// A Pin is a call of (*runtime.Pinner).Pin.
type Pin struct {
	Call   *ssa.Call
	Pinner ssa.Value // the *runtime.Pinner
	Sites  []*Site   // the memory it pins
}

// A storeRec is a value written to a place: by a store, by copy() or
// by an aggregate assignment from other memory (From).
type storeRec struct {
	loc   Loc
	val   ssa.Value
	instr ssa.Instruction
	from  []Loc // the value is the content of these places (copy, *p = *q)
}

// NewMemory returns the memory view of f.
func NewMemory(f *Function) *Memory {
	m := &Memory{
		f:     f,
		sites: map[ssa.Value]*Site{},
		ext:   map[string]*Site{},
		memo:  map[ssa.Value][]Loc{},
		busy:  map[ssa.Value]bool{},
	}
	m.export = f.res.isExported(f.Fn)
	return m
}

// isExported reports whether fn is a //export'ed function: C calls it.
func (res *Result) isExported(fn *ssa.Function) bool {
	if res.Bridge == nil || fn.Parent() != nil || fn.Signature.Recv() != nil {
		return false
	}
	_, ok := res.Bridge.Exports[fn.Name()]
	return ok
}

// PointsTo returns the places v may point into: for a pointer, the place
// it addresses; for a slice, its backing array; for a string, its bytes.
func (m *Memory) PointsTo(v ssa.Value) []Loc { return m.locs(v, nil) }

// ArgPointsTo returns the places argument i of ev may point into,
// following values computed inside cgo's wrapper closure out to the
// analyzed function.
func (m *Memory) ArgPointsTo(ev *Event, i int) []Loc {
	args, env := eventArgs(ev, m.f.res.Bridge)
	if i >= len(args) {
		return nil
	}
	return m.locs(args[i], env)
}

// ArgOrigin returns the memory argument i of ev surely points into, or
// nil when the view is not sure: every place it finds must lie in memory
// of one region that the function allocated itself (Go memory) or
// obtained as the result of a C call (C memory), at a known offset. A
// value the view reaches through a parameter, a global or memory it did
// not allocate, whose region only its type suggests, has no origin
// here: a check built on it never guesses.
func (m *Memory) ArgOrigin(ev *Event, i int) *Site {
	if i >= len(ev.Args) {
		return nil
	}
	locs := m.refLocs(ev.Args[i])
	if len(locs) == 0 {
		return nil
	}
	first := locs[0].Site
	for _, l := range locs {
		s := l.Site
		switch {
		case l.Path == "*", s.ByType, s.Region != first.Region:
			return nil
		case s.Region.IsGo() && !s.Local, s.Region.IsC() && s.Event == nil:
			return nil
		case s.Region == RegionCBorrowed && !s.Event.Summary.ReturnsBorrowed:
			// The view takes what an unknown C function returns to be
			// the library's; that is a default, not knowledge.
			return nil
		}
	}
	return first
}

// refLocs returns the places an event argument may point into: those of
// the value, or of what the variable holds when the call happens.
func (m *Memory) refLocs(r Ref) []Loc {
	switch r.Kind {
	case RefValue:
		return m.locs(r.V, nil)
	case RefCell:
		t := pointerElem(r.V.Type())
		if t == nil {
			return nil
		}
		return m.load(t, m.locs(r.V, nil), func() *Site {
			return m.externalKeyed("*("+structuralKey(r.V, 0)+")", r.V, describeCell(r.V), t)
		})
	}
	return nil
}

// eventArgs returns the arguments of ev's C call as the call itself
// sees them, with the environment that maps values of cgo's wrapper
// closures to the analyzed function (nil for a direct call).
func eventArgs(ev *Event, pkg *bridge.Package) ([]ssa.Value, *wrapperEnv) {
	common := ev.Instr.Common()
	if ev.Wrapper == nil {
		return common.Args, nil
	}
	w, outer := wrapperCall(common)
	if w == nil {
		return nil, nil
	}
	_, call, nested := wrapperBody(w)
	if call == nil {
		return nil, nil
	}

	outer.bridge = pkg
	env := outer
	if nested != nil {
		env = &wrapperEnv{bridge: pkg, fn: nested.Fn.(*ssa.Function), bindings: nested.Bindings, parent: outer}
	}
	return call.Call.Args, env
}

const maxLocs = 16

// maxMemorySteps bounds the values one Memory computes before it stops
// recomputing answers that cycles cut short.
const maxMemorySteps = 50000

func appendLocs(out []Loc, add ...Loc) []Loc {
	for _, l := range add {
		dup := slices.Contains(out, l)
		if !dup && len(out) < maxLocs {
			out = append(out, l)
		}
	}
	return out
}

func extend(locs []Loc, step string) []Loc {
	out := make([]Loc, 0, len(locs))
	for _, l := range locs {
		if l.Path == "*" {
			out = appendLocs(out, l)
			continue
		}
		out = appendLocs(out, Loc{l.Site, l.Path + step})
	}
	return out
}

// locs computes PointsTo for a value of the analyzed function (env nil)
// or of one of cgo's wrapper closures.
func (m *Memory) locs(v ssa.Value, env *wrapperEnv) []Loc {
	if v == nil {
		return nil
	}
	if env == nil {
		if l, ok := m.memo[v]; ok {
			return l
		}
		if m.busy[v] {
			// A cycle through memory (p.next = append(p.next, ...)):
			// what depends on this answer is incomplete until the
			// outer computation finishes, so it is not remembered.
			m.cycles++
			return nil
		}
		m.busy[v] = true
		before := m.cycles
		l := m.compute(v, nil)
		delete(m.busy, v)
		if m.cycles == before || len(m.busy) == 0 || m.steps > maxMemorySteps {
			m.memo[v] = l
		}
		return l
	}
	return m.compute(v, env)
}

func (m *Memory) compute(v ssa.Value, env *wrapperEnv) []Loc {
	m.steps++
	switch x := v.(type) {
	case *ssa.Const:
		return nil
	case *ssa.Alloc:
		if env != nil && x.Parent() == env.fn {
			return nil // cgo's own temporaries hold nothing of the user's
		}
		return []Loc{{m.site(x), ""}}
	case *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan:
		return []Loc{{m.site(x), ""}}
	case *ssa.MakeClosure:
		if len(x.Bindings) == 0 {
			return nil
		}
		return []Loc{{m.site(x), ""}}
	case *ssa.Function:
		return nil // static code, not memory the collector manages
	case *ssa.FreeVar:
		if env != nil {
			for i, fv := range env.fn.FreeVars {
				if fv == x && i < len(env.bindings) {
					return m.locs(env.bindings[i], env.parent)
				}
			}
			return nil
		}
		return []Loc{{m.external(x, "captured variable "+x.Name(), x.Type()), ""}}
	case *ssa.Parameter:
		if env != nil {
			for i, p := range env.fn.Params {
				if p == x && i < len(env.args) {
					return m.locs(env.args[i], env.parent)
				}
			}
			return nil
		}
		return []Loc{{m.param(x), ""}}
	case *ssa.Global:
		if kind, name := bridge.ParseName(x.Name()); kind == bridge.CVar {
			// In cgo's output the variable holds the C global's address
			// and is only read (see UnOp); in the raw shape its address
			// stands for the C global itself.
			return []Loc{{m.cGlobal(x, name), ""}}
		}
		return []Loc{{m.global(x), ""}}
	case *ssa.Convert:
		return m.convert(x, env)
	case *ssa.ChangeType:
		return m.locs(x.X, env)
	case *ssa.MultiConvert:
		return m.locs(x.X, env)
	case *ssa.ChangeInterface:
		return m.locs(x.X, env)
	case *ssa.MakeInterface:
		return m.locs(x.X, env)
	case *ssa.TypeAssert:
		if mi, ok := x.X.(*ssa.MakeInterface); ok {
			return m.locs(mi.X, env)
		}
		return m.opaque(x, env)
	case *ssa.FieldAddr:
		return extend(m.locs(x.X, env), fmt.Sprintf(".%d", x.Field))
	case *ssa.IndexAddr:
		return extend(m.locs(x.X, env), "[]")
	case *ssa.Slice:
		return m.locs(x.X, env)
	case *ssa.Phi:
		var out []Loc
		for _, e := range x.Edges {
			out = appendLocs(out, m.locs(e, env)...)
		}
		return out
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil
		}
		if env != nil {
			if a, ok := x.X.(*ssa.Alloc); ok && a.Parent() == env.fn {
				if st := singleStore(a); st != nil {
					return m.locs(st, env)
				}
				return nil
			}
		}
		if g, ok := x.X.(*ssa.Global); ok {
			if kind, name := bridge.ParseName(g.Name()); kind == bridge.CVar {
				return []Loc{{m.cGlobal(x, name), ""}}
			}
		}
		return m.loadValue(x, env)
	case *ssa.Field:
		return m.aggregateRead(x, x.X, fmt.Sprintf(".%d", x.Field), env)
	case *ssa.Index:
		return m.aggregateRead(x, x.X, "[]", env)
	case *ssa.BinOp:
		if x.Op == token.ADD && isString(x.Type()) {
			return []Loc{{m.site(x), ""}}
		}
		return nil
	case *ssa.Call:
		return m.call(x, env)
	case *ssa.Extract:
		if c, ok := x.Tuple.(*ssa.Call); ok && x.Index == 0 {
			if ev := m.f.events[c]; ev != nil && env == nil {
				args, aenv := eventArgs(ev, m.f.res.Bridge)
				return m.eventResult(ev, x, args, aenv)
			}
		}
		return m.opaque(x, env)
	}
	return m.opaque(v, env)
}

// opaque is memory reached through a value the view cannot see into.
func (m *Memory) opaque(v ssa.Value, env *wrapperEnv) []Loc {
	if env != nil || !holdsMemory(v.Type()) {
		return nil
	}
	return []Loc{{m.external(v, describeValue(v), v.Type()), ""}}
}

func (m *Memory) convert(x *ssa.Convert, env *wrapperEnv) []Loc {
	from, to := x.X.Type(), x.Type()
	switch {
	case isString(from) && isByteOrRuneSlice(to), isByteOrRuneSlice(from) && isString(to):
		if env != nil {
			return nil
		}
		return []Loc{{m.site(x), ""}}
	case isUintptr(from) && isUnsafePointer(to):
		// unsafe.Pointer(uintptr(p) + off): somewhere in p's memory.
		var out []Loc
		for _, p := range pointerOperands(x.X, env, 0) {
			for _, l := range m.locs(p.v, p.env) {
				out = appendLocs(out, Loc{l.Site, "*"})
			}
		}
		return out
	case isUintptr(to) || isInteger(to):
		return nil
	}
	locs := m.locs(x.X, env)
	if isUnsafePointer(to) || len(locs) == 0 {
		return locs
	}
	// (*T)(unsafe.Pointer(p)): the path stays meaningful only while T is
	// the type found there.
	elem := pointerElem(to)
	if elem == nil {
		return locs
	}
	out := make([]Loc, 0, len(locs))
	for _, l := range locs {
		if l.Path == "" && !l.Site.Array && (l.Site.Type == nil || isUnsafePointer(l.Site.Type)) {
			// Untyped memory (C.malloc's void *) takes the type it is
			// first seen as.
			l.Site.Type = elem
		}
		if l.Path != "*" {
			if at := l.Site.TypeAt(l.Path); at != nil && !sameShape(at, elem) {
				l = Loc{l.Site, "*"}
			}
		}
		out = appendLocs(out, l)
	}
	return out
}

// A valueEnv is a value of the analyzed function or of a wrapper.
type valueEnv struct {
	v   ssa.Value
	env *wrapperEnv
}

// pointerOperands finds the pointers an integer was computed from:
// uintptr(unsafe.Pointer(p)) + off yields p.
func pointerOperands(v ssa.Value, env *wrapperEnv, depth int) []valueEnv {
	if depth > 8 {
		return nil
	}
	switch x := v.(type) {
	case *ssa.Convert:
		if isUnsafePointer(x.X.Type()) || pointerElem(x.X.Type()) != nil {
			return []valueEnv{{x.X, env}}
		}
		return pointerOperands(x.X, env, depth+1)
	case *ssa.ChangeType:
		return pointerOperands(x.X, env, depth+1)
	case *ssa.BinOp:
		switch x.Op {
		case token.ADD, token.SUB, token.AND, token.OR, token.AND_NOT:
			return append(pointerOperands(x.X, env, depth+1), pointerOperands(x.Y, env, depth+1)...)
		}
	case *ssa.FreeVar:
		if env != nil {
			for i, fv := range env.fn.FreeVars {
				if fv == x && i < len(env.bindings) {
					return pointerOperands(env.bindings[i], env.parent, depth+1)
				}
			}
		}
	case *ssa.Parameter:
		if env != nil {
			for i, p := range env.fn.Params {
				if p == x && i < len(env.args) {
					return pointerOperands(env.args[i], env.parent, depth+1)
				}
			}
		}
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil
		}
		if env != nil {
			if a, ok := x.X.(*ssa.Alloc); ok && a.Parent() == env.fn {
				if st := singleStore(a); st != nil {
					return pointerOperands(st, env, depth+1)
				}
				return nil
			}
			if fv, ok := x.X.(*ssa.FreeVar); ok {
				for i, f := range env.fn.FreeVars {
					if f == fv && i < len(env.bindings) {
						return pointerOperands(&ssa.UnOp{Op: token.MUL, X: env.bindings[i]}, env.parent, depth+1)
					}
				}
			}
			return nil
		}
		if a, ok := x.X.(*ssa.Alloc); ok {
			var out []valueEnv
			for _, st := range storesInto(a) {
				out = append(out, pointerOperands(st, nil, depth+1)...)
			}
			return out
		}
	case *ssa.Phi:
		var out []valueEnv
		for _, e := range x.Edges {
			out = append(out, pointerOperands(e, env, depth+1)...)
		}
		return out
	}
	return nil
}

// storesInto returns the values stored into a local variable, or nil
// when its address is used in any other way.
func storesInto(a *ssa.Alloc) []ssa.Value {
	refs := a.Referrers()
	if refs == nil {
		return nil
	}
	var out []ssa.Value
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != a {
				return nil
			}
			out = append(out, r.Val)
		case *ssa.UnOp, *ssa.DebugRef, *ssa.MakeClosure:
		default:
			return nil
		}
	}
	return out
}

// load returns where the pointers stored at from point. Memory the
// function did not allocate may hold anything: ext, when not nil, names
// what was read from it.
func (m *Memory) load(t types.Type, from []Loc, ext func() *Site) []Loc {
	if !holdsMemory(t) {
		return nil
	}
	var out []Loc
	opaque := len(from) == 0
	for _, l := range from {
		if l.Site.Region.IsC() {
			// A pointer read from C memory is taken to point to C memory.
			out = appendLocs(out, Loc{m.cLoaded(l, t), ""})
			continue
		}
		if !l.Site.Local {
			opaque = true
		}
		for _, st := range m.storesAt(l) {
			if st.val != nil && holdsMemory(st.val.Type()) {
				out = appendLocs(out, m.locs(st.val, nil)...)
			}
		}
	}
	if opaque && ext != nil {
		out = appendLocs(out, Loc{ext(), ""})
	}
	return out
}

// loadValue is load for a load instruction x of the analyzed function,
// or of a wrapper (env not nil).
func (m *Memory) loadValue(x *ssa.UnOp, env *wrapperEnv) []Loc {
	if env == nil {
		return m.load(x.Type(), m.locs(x.X, nil), func() *Site { return m.external(x, describeValue(x), x.Type()) })
	}
	// A wrapper reading a variable it captured: name the variable of the
	// analyzed function.
	if fv, ok := x.X.(*ssa.FreeVar); ok {
		if cell, penv := bindingOf(fv, env); cell != nil {
			if penv == nil {
				return m.load(x.Type(), m.locs(cell, nil), func() *Site {
					return m.externalKeyed("*("+structuralKey(cell, 0)+")", cell, describeCell(cell), x.Type())
				})
			}
			return m.load(x.Type(), m.locs(cell, penv), nil)
		}
	}
	return m.load(x.Type(), m.locs(x.X, env), nil)
}

// bindingOf maps a free variable of a wrapper to the value bound to it.
func bindingOf(fv *ssa.FreeVar, env *wrapperEnv) (ssa.Value, *wrapperEnv) {
	for i, f := range env.fn.FreeVars {
		if f == fv && i < len(env.bindings) {
			return env.bindings[i], env.parent
		}
	}
	return nil, nil
}

func describeCell(v ssa.Value) string {
	if a, ok := v.(*ssa.Alloc); ok && a.Comment != "" {
		return "variable " + a.Comment
	}
	return "a variable"
}

// aggregateRead handles a field or element read from a struct or array
// value: when the value was loaded from memory, the read is a load of
// the field's place.
func (m *Memory) aggregateRead(v ssa.Value, agg ssa.Value, step string, env *wrapperEnv) []Loc {
	if !holdsMemory(v.Type()) {
		return nil
	}
	var ext func() *Site
	if env == nil {
		ext = func() *Site { return m.external(v, describeValue(v), v.Type()) }
	}
	if ld, ok := agg.(*ssa.UnOp); ok && ld.Op == token.MUL {
		return m.load(v.Type(), extend(m.locs(ld.X, env), step), ext)
	}
	return m.opaque(v, env)
}

func (m *Memory) call(c *ssa.Call, env *wrapperEnv) []Loc {
	if ev := m.f.events[c]; ev != nil && env == nil {
		args, aenv := eventArgs(ev, m.f.res.Bridge)
		return m.eventResult(ev, c, args, aenv)
	}
	if b, ok := c.Call.Value.(*ssa.Builtin); ok {
		args := c.Call.Args
		switch b.Name() {
		case "append":
			// The result is the first argument's array, or a new one
			// (the call's site); the appended elements are recorded as
			// stores by storesAt.
			out := m.locs(args[0], env)
			if env == nil {
				out = appendLocs(out, Loc{m.site(c), ""})
			}
			return out
		case "Slice", "String", "Add":
			// unsafe.Slice(&a[0], n) is a's array again; unsafe.Add moves
			// within the memory.
			var out []Loc
			for _, l := range m.locs(args[0], env) {
				switch {
				case b.Name() == "Add":
					l.Path = "*"
				case strings.HasSuffix(l.Path, "[]"):
					l.Path = strings.TrimSuffix(l.Path, "[]")
				case l.Path == "" && !l.Site.Array && b.Name() == "Slice" && l.Site.Type != nil && !l.Site.Local:
					// unsafe.Slice over memory C allocated: the memory is
					// an array of the pointer's element type.
					l.Site.Type, l.Site.Array = c.Type(), true
				}
				out = appendLocs(out, l)
			}
			return out
		case "SliceData", "StringData":
			return extend(m.locs(args[0], env), "[]")
		}
		return nil
	}
	if env == nil {
		if site := m.ownedResult(c); site != nil {
			return []Loc{{site, ""}}
		}
	}
	if env != nil {
		if c.Parent() == env.fn {
			if cc := StaticCgoCallee(&c.Call); cc != nil {
				ev := newEvent(cc, env.pkg())
				ev.Instr, ev.Pos, ev.Result = c, c.Pos(), c
				return m.eventResult(ev, c, c.Call.Args, env)
			}
		}
		return nil
	}
	return m.opaque(c, env)
}

// eventResult is the memory a C call or cgo builtin returns; args are
// the call's arguments in env.
func (m *Memory) eventResult(ev *Event, v ssa.Value, args []ssa.Value, env *wrapperEnv) []Loc {
	if !holdsMemory(v.Type()) {
		return nil
	}
	s := ev.Summary
	if ev.Callee.Kind == bridge.CBuiltin {
		switch ev.Callee.Name {
		case bridge.BuiltinGoString, bridge.BuiltinGoStringN, bridge.BuiltinGoBytes:
			return []Loc{{m.siteAt(v, RegionGoHeap, ev), ""}}
		}
	}
	if rp := s.ReturnsParam; rp >= 0 && rp < len(args) && s.ReturnsOwned == nil {
		return m.locs(args[rp], env)
	}
	region := RegionCBorrowed
	if s.ReturnsOwned != nil {
		region = RegionCHeap
	}
	return []Loc{{m.siteAt(v, region, ev), ""}}
}

// site returns the site an allocating value of the function creates.
func (m *Memory) site(v ssa.Value) *Site {
	if s, ok := m.sites[v]; ok {
		return s
	}
	s := &Site{Region: RegionGoHeap, Value: v, Pos: v.Pos(), Local: true}
	switch x := v.(type) {
	case *ssa.Alloc:
		s.Type = pointerElem(x.Type())
		if !x.Heap {
			s.Region = RegionGoStack
		}
		switch x.Comment {
		case "complit":
			s.What = "the composite literal"
		case "slicelit":
			s.What = "the slice literal"
		case "varargs":
			s.What = "the variadic arguments"
		case "new":
			s.What = "new(" + typeString(s.Type, m.f.Fn) + ")"
		case "makeslice":
			// make([]T, constant): an array the slice is cut from.
			if at, ok := s.Type.Underlying().(*types.Array); ok {
				s.Type, s.Array = types.NewSlice(at.Elem()), true
			}
			s.What = "make(" + typeString(s.Type, m.f.Fn) + ", ...)"
		case "":
			s.What = "a temporary"
		default:
			s.What = "variable " + x.Comment
		}
	case *ssa.MakeSlice:
		s.Type = x.Type()
		s.Array = true
		s.What = "make(" + typeString(x.Type(), m.f.Fn) + ", ...)"
	case *ssa.MakeMap:
		s.Type = x.Type()
		s.What = "make(" + typeString(x.Type(), m.f.Fn) + ")"
	case *ssa.MakeChan:
		s.Type = x.Type()
		s.What = "make(" + typeString(x.Type(), m.f.Fn) + ")"
	case *ssa.MakeClosure:
		s.Type = x.Type()
		s.What = "the function literal"
	case *ssa.Convert:
		s.Type = x.Type()
		s.Array = true
		s.What = "the conversion to " + typeString(x.Type(), m.f.Fn)
	case *ssa.Call:
		s.Type = x.Type()
		s.Array = true
		s.What = "the array append allocates"
	default:
		s.Type = v.Type()
		s.Array = true
		s.What = "the string concatenation"
	}
	m.sites[v] = s
	return s
}

// siteAt returns a site of a given region for the result v of ev.
func (m *Memory) siteAt(v ssa.Value, r Region, ev *Event) *Site {
	if s, ok := m.sites[v]; ok {
		return s
	}
	s := &Site{Region: r, Value: v, Pos: ev.Pos, What: ev.Callee.UserName(), Type: pointerElemOr(v.Type()), Local: r.IsGo(), Event: ev}
	s.Array = arrayElem(s.Type) != nil
	m.sites[v] = s
	return s
}

// cGlobal is the site of C variable name (C.name).
func (m *Memory) cGlobal(v ssa.Value, name string) *Site {
	key := "cvar:" + name
	if s, ok := m.ext[key]; ok {
		return s
	}
	s := &Site{Region: RegionCStatic, Value: v, What: "C." + name, Type: pointerElemOr(v.Type()), Static: true}
	m.ext[key] = s
	return s
}

// cLoaded is the C memory a pointer of type t read from C memory at
// from points to.
func (m *Memory) cLoaded(from Loc, t types.Type) *Site {
	key := "cload:" + from.Site.What + from.Path
	if s, ok := m.ext[key]; ok {
		return s
	}
	s := &Site{Region: RegionCBorrowed, Value: from.Site.Value, What: "memory reached from " + from.Site.What, Type: pointerElemOr(t)}
	s.Array = arrayElem(s.Type) != nil
	m.ext[key] = s
	return s
}

func (m *Memory) param(p *ssa.Parameter) *Site {
	key := "param:" + p.Name()
	if s, ok := m.ext[key]; ok {
		return s
	}
	var s *Site
	if m.export && (pointerElem(p.Type()) != nil || isUnsafePointer(p.Type())) {
		// C called an exported function: its pointers are C's.
		s = &Site{Region: RegionCBorrowed, Value: p, Pos: p.Pos(), What: "parameter " + p.Name() + " of the exported function", Type: pointerElemOr(p.Type())}
	} else {
		s = m.byType(p, "parameter "+p.Name(), p.Type())
	}
	m.ext[key] = s
	return s
}

func (m *Memory) global(g *ssa.Global) *Site {
	key := "global:" + g.Name()
	if s, ok := m.ext[key]; ok {
		return s
	}
	s := &Site{Region: RegionGoHeap, Value: g, Pos: g.Pos(), What: "variable " + g.Name(), Type: pointerElemOr(g.Type())}
	m.ext[key] = s
	return s
}

// external is memory reached through a value the view cannot see into.
// Sites are shared by structure, so two loads of s.buf name one site.
func (m *Memory) external(v ssa.Value, what string, t types.Type) *Site {
	return m.externalKeyed(structuralKey(v, 0), v, what, t)
}

func (m *Memory) externalKeyed(k string, v ssa.Value, what string, t types.Type) *Site {
	key := "ext:" + k
	if s, ok := m.ext[key]; ok {
		return s
	}
	s := m.byType(v, what, t)
	m.ext[key] = s
	return s
}

// byType judges the region of outside memory from the Go type of the
// value that reaches it: slices and strings are Go memory unless their
// elements are C types, and so are pointers to types declared in Go.
// unsafe.Pointer and pointers to C types or to basic types say nothing.
func (m *Memory) byType(v ssa.Value, what string, t types.Type) *Site {
	s := &Site{Value: v, Pos: v.Pos(), What: what, Type: pointerElemOr(t), ByType: true}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		if !isCType(u.Elem()) && !m.f.res.IsCView(u.Elem()) {
			s.Region = RegionGoHeap
		}
		s.Type, s.Array = t, true
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			s.Region = RegionGoHeap
			s.Type, s.Array = t, true
		}
	case *types.Map, *types.Chan, *types.Signature, *types.Interface:
		s.Region = RegionGoHeap
		s.Type = t
	case *types.Pointer:
		if goDeclared(u.Elem()) && !m.f.res.IsCView(u.Elem()) {
			s.Region = RegionGoHeap
		}
	}
	return s
}

// structuralKey names a value by how it is computed, so that two loads
// of the same field of the same parameter share a site.
func structuralKey(v ssa.Value, depth int) string {
	if depth > 8 {
		return fmt.Sprintf("%p", v)
	}
	switch x := v.(type) {
	case *ssa.Parameter:
		return "param:" + x.Name()
	case *ssa.FreeVar:
		return "fv:" + x.Name()
	case *ssa.Global:
		return "global:" + x.Name()
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return "*(" + structuralKey(x.X, depth+1) + ")"
		}
	case *ssa.FieldAddr:
		return structuralKey(x.X, depth+1) + fmt.Sprintf(".%d", x.Field)
	case *ssa.Field:
		return structuralKey(x.X, depth+1) + fmt.Sprintf("#%d", x.Field)
	case *ssa.IndexAddr:
		return structuralKey(x.X, depth+1) + "[]"
	case *ssa.Index:
		return structuralKey(x.X, depth+1) + "#[]"
	case *ssa.ChangeType:
		return structuralKey(x.X, depth+1)
	case *ssa.Convert:
		if !isUintptr(x.X.Type()) {
			return structuralKey(x.X, depth+1)
		}
	}
	return fmt.Sprintf("%s@%p", v.Name(), v)
}

func describeValue(v ssa.Value) string {
	switch x := v.(type) {
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			if st, ok := fieldStruct(fa.X.Type()); ok && fa.Field < st.NumFields() {
				return "field " + st.Field(fa.Field).Name()
			}
		}
		if ia, ok := x.X.(*ssa.IndexAddr); ok {
			return "an element of " + describeValue(ia.X)
		}
		if a, ok := x.X.(*ssa.Alloc); ok && a.Comment != "" {
			if st := storesInto(a); len(st) == 1 {
				if p, ok := st[0].(*ssa.Parameter); ok {
					return "parameter " + p.Name()
				}
			}
			return "variable " + a.Comment
		}
		if g, ok := x.X.(*ssa.Global); ok {
			return "variable " + g.Name()
		}
		if fv, ok := x.X.(*ssa.FreeVar); ok {
			return "captured variable " + fv.Name()
		}
	case *ssa.Parameter:
		return "parameter " + x.Name()
	case *ssa.Call:
		if fn := x.Call.StaticCallee(); fn != nil {
			return "the result of " + fn.Name()
		}
		return "the result of a call"
	case *ssa.Extract:
		return describeValue(x.Tuple)
	case *ssa.Field:
		if st, ok := x.X.Type().Underlying().(*types.Struct); ok && x.Field < st.NumFields() {
			return "field " + st.Field(x.Field).Name()
		}
	}
	return "a value"
}

func fieldStruct(t types.Type) (*types.Struct, bool) {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil, false
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	return st, ok
}

// fileOf returns the syntax file that holds pos.
func (res *Result) fileOf(pos token.Pos) *ast.File {
	for f := range res.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}
