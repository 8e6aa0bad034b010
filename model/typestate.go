package model

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// This file follows values that are not memory: a cgo.Handle that must
// be deleted exactly once, a runtime.Pinner that must be unpinned. It
// walks a function's control-flow graph with the explorer of explore.go,
// as the ownership engine does, but what happens to the value is decided
// by a Protocol, and calls of Go functions the protocol does not know
// are followed into the callee, whose outcomes continue the caller's
// path.

// A TState is the state of the followed value on one path. Its meaning
// belongs to the Protocol.
type TState struct {
	Kind int
	At   token.Pos // where the path entered Kind
	Aux  token.Pos // free for the protocol (where the value was given to C, ...)
}

// An Outcome says how Explore goes on after a call.
type Outcome uint8

const (
	Known  Outcome = iota // the state the protocol returned applies
	Follow                // follow the value into the Go function called
	Escape                // the value went where it cannot be followed: stop this path
)

// A CallSite is a call that receives the followed value.
type CallSite struct {
	Instr  ssa.Instruction // the call, the defer, or the call of cgo's wrapper
	Common *ssa.CallCommon
	// Event is set for a call of a C function; Arg is then the argument
	// holding the value.
	Event *Event
	// Arg is the index in Common.Args of the first argument holding the
	// value, or -1 when a function literal captured it.
	Arg      int
	Deferred bool // a deferred call, running as the function returns
	Pos      token.Pos
}

// Callee returns the function called, if known statically.
func (c CallSite) Callee() *ssa.Function { return c.Common.StaticCallee() }

// A Protocol decides what happens to the followed value.
type Protocol interface {
	// Call returns the state after a call that receives the value.
	Call(s TState, site CallSite) (TState, Outcome)
	// Store is told of a store of the value anywhere but a local
	// variable of the function.
	Store(s TState, st *ssa.Store) (TState, Outcome)
	// Exit is told the state of each path on which the function explored
	// first returns, after its deferred calls ran.
	Exit(s TState, ret token.Pos)
}

// A Start says where the followed value comes into being.
type Start struct {
	After ssa.Instruction // the exploration starts after it
	Value ssa.Value       // the register that holds the value then
	State TState
}

// maxTypestates bounds one exploration, callees included.
const maxTypestates = 3000

// maxFollow bounds how deep calls are followed.
const maxFollow = 3

// Explore follows start's value through f with p. It reports false when
// the function was too large to explore completely; the protocol may
// then have seen only some paths.
func (f *Function) Explore(start Start, p Protocol) bool {
	e := &tsEngine{res: f.res, proto: p, budget: budget{max: maxTypestates}}
	b := start.After.Block()
	idx := indexOf(b, start.After)
	if idx < 0 {
		return false
	}
	path := &tsPath{st: start.State, regs: map[ssa.Value]bool{start.Value: true}, cells: map[ssa.Value]bool{}}
	e.run(f, b, idx+1, path, 0, nil)
	return !e.gaveUp
}

type tsEngine struct {
	res    *Result
	proto  Protocol
	budget budget
	gaveUp bool
	stack  []*ssa.Function
}

type tsPath struct {
	st     TState
	regs   map[ssa.Value]bool
	cells  map[ssa.Value]bool
	defers []tsDefer
}

// A tsDefer is a deferred call that received the value: args holds the
// indices of the arguments that held it when the defer ran, binds the
// bindings of a deferred function literal that were variables holding it
// (read when the literal runs) or the value itself.
type tsDefer struct {
	site  CallSite
	args  []int
	binds []int
	cells []ssa.Value // bindings that are variables
}

func (p *tsPath) clone() *tsPath {
	c := *p
	c.regs = cloneSet(p.regs)
	c.cells = cloneSet(p.cells)
	c.defers = append([]tsDefer(nil), p.defers...)
	return &c
}

func (p *tsPath) key() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d|%d|%d|", p.st.Kind, p.st.At, p.st.Aux)
	writeSet(&sb, p.regs)
	sb.WriteByte('|')
	writeSet(&sb, p.cells)
	for _, d := range p.defers {
		fmt.Fprintf(&sb, "|%d", d.site.Pos)
	}
	return sb.String()
}

func (p *tsPath) registers() map[ssa.Value]bool { return p.regs }

// A tsWalk is the exploration of one function, the analyzed one or a
// callee followed at depth.
type tsWalk struct {
	e       *tsEngine
	f       *Function
	depth   int
	exits   *[]TState
	escaped bool
}

func (w *tsWalk) step(p *tsPath, instr ssa.Instruction) (forks []*tsPath, end bool) {
	next, esc, end := w.e.step(w.f, p, instr, w.depth, w.exits)
	w.escaped = w.escaped || esc
	return next, end
}

func (w *tsWalk) edge(*tsPath, *ssa.BasicBlock, int) bool { return true }

// run explores fn from (b, idx). When exits is not nil, fn is a callee:
// the states of its returning paths are appended there, and escape
// reports whether some path lost the value.
func (e *tsEngine) run(f *Function, b *ssa.BasicBlock, idx int, p *tsPath, depth int, exits *[]TState) (escaped bool) {
	w := &tsWalk{e: e, f: f, depth: depth, exits: exits}
	if !explore[*tsPath](w, b, idx, p, &e.budget) {
		e.gaveUp = true
		return true
	}
	return w.escaped
}

// step runs one instruction. next, when not empty, replaces the path
// (a followed call had several outcomes); end stops the path.
func (e *tsEngine) step(f *Function, p *tsPath, instr ssa.Instruction, depth int, exits *[]TState) (next []*tsPath, escaped, end bool) {
	if ev := f.events[instr]; ev != nil {
		return e.event(f, p, ev, depth)
	}
	switch in := instr.(type) {
	case *ssa.Call:
		if v := in.Value(); v != nil {
			defer delete(p.regs, v)
		}
		return e.call(f, p, in, &in.Call, false, depth)
	case *ssa.Defer:
		site, args, binds, cells, touches := e.touch(p, in, &in.Call)
		if touches {
			site.Deferred = true
			p.defers = append(p.defers, tsDefer{site: site, args: args, binds: binds, cells: cells})
		}
	case *ssa.Go:
		if _, _, _, _, touches := e.touch(p, in, &in.Call); touches {
			return nil, true, true
		}
	case *ssa.RunDefers:
		return e.runDefers(f, p, depth)
	case *ssa.Return:
		for _, v := range in.Results {
			if p.regs[v] {
				return nil, true, true // handed to the caller
			}
		}
		pos := in.Pos()
		if pos == token.NoPos {
			pos = funcEnd(f.Fn)
		}
		if exits != nil {
			*exits = append(*exits, p.st)
		} else {
			e.proto.Exit(p.st, pos)
		}
		return nil, false, true
	case *ssa.Panic:
		return nil, false, true
	case *ssa.Store:
		switch {
		case p.regs[in.Val]:
			if a, ok := in.Addr.(*ssa.Alloc); ok && (!f.exposed[a] || onlyWrappersBind(a)) {
				p.cells[a] = true
				return nil, false, false
			}
			st, out := e.proto.Store(p.st, in)
			if out == Escape {
				return nil, true, true
			}
			p.st = st
		case p.cells[in.Addr]:
			delete(p.cells, in.Addr)
		}
	case *ssa.MapUpdate:
		if p.regs[in.Key] || p.regs[in.Value] {
			return nil, true, true
		}
	case *ssa.Send:
		if p.regs[in.X] {
			return nil, true, true
		}
	case *ssa.MakeClosure:
		if fn, ok := in.Fn.(*ssa.Function); ok && IsCgoGenerated(fn) {
			return nil, false, false
		}
		if !onlyCalled(in) {
			for _, bv := range in.Bindings {
				if p.regs[bv] || p.cells[bv] {
					return nil, true, true
				}
			}
		}
	case *ssa.Alloc:
		delete(p.cells, in)
		delete(p.regs, in)
	case *ssa.If, *ssa.Jump, *ssa.DebugRef:
	case ssa.Value:
		return nil, e.value(p, in), false
	default:
		for _, op := range instr.Operands(nil) {
			if op != nil && *op != nil && p.regs[*op] {
				return nil, true, true
			}
		}
	}
	return nil, false, false
}

// value tracks the value through conversions and loads; any other use
// of it by a value-producing instruction loses it.
func (e *tsEngine) value(p *tsPath, v ssa.Value) (escaped bool) {
	alias := false
	if x, ok := conversionOperand(v); ok {
		alias = p.regs[x]
	}
	switch in := v.(type) {
	case *ssa.Convert, *ssa.ChangeType, *ssa.MultiConvert, *ssa.ChangeInterface, *ssa.MakeInterface, *ssa.TypeAssert:
	case *ssa.UnOp:
		if in.Op == token.MUL {
			alias = p.cells[in.X]
		}
	case *ssa.BinOp, *ssa.Phi:
	case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Field, *ssa.Index, *ssa.Slice, *ssa.Lookup, *ssa.Extract:
		// Selecting within the value (a field of a Pinner) does not move
		// it.
	default:
		for _, op := range v.(ssa.Instruction).Operands(nil) {
			if op != nil && *op != nil && p.regs[*op] {
				escaped = true
			}
		}
	}
	if alias {
		p.regs[v] = true
	} else {
		delete(p.regs, v)
	}
	return escaped
}

// touch reports whether a call receives the value, and how.
func (e *tsEngine) touch(p *tsPath, instr ssa.Instruction, c *ssa.CallCommon) (site CallSite, args, binds []int, cells []ssa.Value, touches bool) {
	site = CallSite{Instr: instr, Common: c, Arg: -1, Pos: c.Pos()}
	if site.Pos == token.NoPos {
		site.Pos = instr.Pos()
	}
	for i, a := range c.Args {
		if p.regs[a] || p.cells[a] {
			if site.Arg < 0 {
				site.Arg = i
			}
			args = append(args, i)
			touches = true
		}
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		for k, bv := range mc.Bindings {
			if p.regs[bv] || p.cells[bv] {
				binds = append(binds, k)
				if p.cells[bv] {
					cells = append(cells, bv)
				} else {
					cells = append(cells, nil)
				}
				touches = true
			}
		}
	}
	if c.IsInvoke() && p.regs[c.Value] {
		touches = true
	}
	return site, args, binds, cells, touches
}

// call applies a Go call.
func (e *tsEngine) call(f *Function, p *tsPath, instr ssa.Instruction, c *ssa.CallCommon, deferred bool, depth int) (next []*tsPath, escaped, end bool) {
	if fn := c.StaticCallee(); fn != nil && (isCgoRuntimeHelper(fn) || isKeepAlive(fn)) {
		return nil, false, false
	}
	if noReturn(c) {
		return nil, false, true
	}
	site, args, binds, cells, touches := e.touch(p, instr, c)
	if !touches {
		return nil, false, false
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap", "print", "println", "min", "max":
			return nil, false, false
		}
		return nil, true, true
	}
	site.Deferred = deferred
	st, out := e.proto.Call(p.st, site)
	switch out {
	case Known:
		p.st = st
		return nil, false, false
	case Escape:
		return nil, true, true
	}
	return e.follow(f, p, c, args, binds, cells, depth)
}

// follow explores a Go callee from its entry with the value in the
// parameters and free variables that receive it, and continues the
// caller's path with each state the callee returns in.
func (e *tsEngine) follow(f *Function, p *tsPath, c *ssa.CallCommon, args, binds []int, cells []ssa.Value, depth int) (next []*tsPath, escaped, end bool) {
	var fn *ssa.Function
	var mc *ssa.MakeClosure
	switch v := c.Value.(type) {
	case *ssa.Function:
		fn = v
	case *ssa.MakeClosure:
		mc = v
		fn, _ = v.Fn.(*ssa.Function)
	}
	if fn == nil || len(fn.Blocks) == 0 || depth >= maxFollow || (fn.Pkg != f.res.SSA && fn.Parent() == nil) {
		return nil, true, true
	}
	if slices.Contains(e.stack, fn) {
		return nil, true, true
	}
	entry := &tsPath{st: p.st, regs: map[ssa.Value]bool{}, cells: map[ssa.Value]bool{}}
	for _, i := range args {
		if i >= len(fn.Params) {
			return nil, true, true
		}
		if p.regs[c.Args[i]] {
			entry.regs[fn.Params[i]] = true
		} else {
			entry.cells[fn.Params[i]] = true
		}
	}
	for j, k := range binds {
		if mc == nil || k >= len(fn.FreeVars) {
			return nil, true, true
		}
		if cells[j] != nil {
			entry.cells[fn.FreeVars[k]] = true
		} else {
			entry.regs[fn.FreeVars[k]] = true
		}
	}
	e.stack = append(e.stack, fn)
	var exits []TState
	esc := e.run(e.res.Function(fn), fn.Blocks[0], 0, entry, depth+1, &exits)
	e.stack = e.stack[:len(e.stack)-1]
	if esc || len(exits) == 0 {
		return nil, esc, true
	}
	seen := map[TState]bool{}
	for _, st := range exits {
		if seen[st] {
			continue
		}
		seen[st] = true
		np := p.clone()
		np.st = st
		next = append(next, np)
	}
	sort.Slice(next, func(i, j int) bool { return next[i].st.Kind < next[j].st.Kind })
	return next, false, false
}

// event applies a C call.
func (e *tsEngine) event(f *Function, p *tsPath, ev *Event, depth int) (next []*tsPath, escaped, end bool) {
	if ev.Result != nil {
		defer delete(p.regs, ev.Result)
	}
	for i, a := range ev.Args {
		// The value itself, or the address of a variable holding it
		// (C.f(unsafe.Pointer(&h))).
		held := a.Kind == RefValue && (p.regs[a.V] || p.cells[StripConversions(a.V)]) || a.Kind == RefCell && p.cells[a.V]
		if !held {
			continue
		}
		site := CallSite{Instr: ev.Instr, Common: ev.Instr.Common(), Event: ev, Arg: i, Deferred: ev.AtExit, Pos: ev.Pos}
		if ev.AtExit {
			p.defers = append(p.defers, tsDefer{site: site})
			return nil, false, false
		}
		st, out := e.proto.Call(p.st, site)
		if out != Known {
			return nil, true, true
		}
		p.st = st
	}
	return nil, false, false
}

// runDefers applies the deferred calls that received the value, last
// registered first.
func (e *tsEngine) runDefers(f *Function, p *tsPath, depth int) (next []*tsPath, escaped, end bool) {
	defers := p.defers
	p.defers = nil
	paths := []*tsPath{p}
	for i := len(defers) - 1; i >= 0; i-- {
		d := defers[i]
		var after []*tsPath
		for _, q := range paths {
			live := len(d.args) > 0 || d.site.Event != nil
			for _, c := range d.cells {
				live = live || receivesAtExit(c, q.cells)
			}
			if !live {
				after = append(after, q)
				continue
			}
			st, out := e.proto.Call(q.st, d.site)
			switch out {
			case Known:
				q.st = st
				after = append(after, q)
			case Escape:
				escaped = true
			case Follow:
				var cells []ssa.Value
				var binds []int
				for j, c := range d.cells {
					if receivesAtExit(c, q.cells) {
						binds = append(binds, d.binds[j])
						cells = append(cells, c)
					}
				}
				regsAtDefer := map[ssa.Value]bool{}
				for _, a := range d.args {
					regsAtDefer[d.site.Common.Args[a]] = true
				}
				for _, c := range cells {
					if c != nil {
						regsAtDefer[c] = false
					}
				}
				qq := q.clone()
				for v, held := range regsAtDefer {
					if held {
						qq.regs[v] = true
					}
				}
				for j, c := range cells {
					if c == nil && d.binds != nil {
						// A literal that captured the value itself.
						if mc, ok := d.site.Common.Value.(*ssa.MakeClosure); ok && binds[j] < len(mc.Bindings) {
							qq.regs[mc.Bindings[binds[j]]] = true
						}
					}
				}
				outs, esc, stop := e.follow(f, qq, d.site.Common, d.args, binds, cells, depth)
				escaped = escaped || esc
				if stop {
					continue
				}
				after = append(after, outs...)
			}
		}
		paths = after
		if len(paths) == 0 {
			return nil, escaped, true
		}
	}
	if len(paths) == 1 && paths[0] == p {
		return nil, escaped, false
	}
	return paths, escaped, false
}
