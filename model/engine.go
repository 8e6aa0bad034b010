package model

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"os"
	"sort"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// A Status is the state of an Object on one path.
type Status uint8

const (
	Live        Status = iota // owned here and not yet released
	Freed                     // released; any further use is a bug
	Transferred               // a C function took ownership; releasing it here is a bug
	Escaped                   // stored, returned or handed to code the model cannot see: responsibility moved, stop
	Null                      // nil on this path (allocation failed): nothing to release
	Returned                  // handed to the caller
)

func (s Status) String() string {
	return [...]string{"live", "freed", "transferred", "escaped", "null", "returned"}[s]
}

// A FindingKind classifies what the engine found about an Object.
type FindingKind uint8

const (
	Leak         FindingKind = iota // live at a return
	LeakLoop                        // live when its allocation runs again in a loop
	LeakInline                      // allocated as an argument, never bound, passed to a borrowing call
	DoubleFree                      // released twice
	UseAfterFree                    // used after release
	FreeTaken                       // released after a C function took ownership
	WrongDealloc                    // released with another family's deallocator
)

func (k FindingKind) String() string {
	return [...]string{"leak", "leak-loop", "leak-inline", "double-free", "use-after-free", "free-taken", "wrong-dealloc"}[k]
}

// A Finding is one problem on one path, with the positions that explain
// it.
type Finding struct {
	Kind FindingKind
	Obj  *Object
	Pos  token.Pos // where to report
	// Other is the second end of the path: the exit of a leak, the loop
	// of a loop leak, the first release of a double free or use after
	// free, where ownership was taken.
	Other    token.Pos
	Callee   string // the call involved: the borrowing call, the taker, the wrong deallocator
	Deferred bool   // the release at Pos is a deferred one
}

func (f *Finding) String() string {
	return fmt.Sprintf("%s of %s", f.Kind, f.Obj)
}

// An Action is what a call does to an object passed to it.
type Action uint8

const (
	ActNone   Action = iota
	ActUse           // reads or writes through it during the call
	ActFree          // releases it
	ActTake          // takes ownership
	ActEscape        // keeps it or sends it where the model cannot follow
)

type action = Action

const (
	actUse    = ActUse
	actFree   = ActFree
	actTake   = ActTake
	actEscape = ActEscape
)

// CAction is what C call ev does to the memory passed as argument i.
func CAction(ev *Event, i int) Action { return cAction(ev, i) }

// An effect is an action at a position, as recorded for deferred calls.
type effect struct {
	act     action
	pos     token.Pos
	callee  string            // user-facing name of the call
	dealloc *bridge.Allocator // for actFree: the family it releases, if known
	// viaCell, when set, makes the effect apply to whatever the cell
	// holds when it runs (a deferred closure reading a captured variable).
	viaCell ssa.Value
}

// state is one abstract path state of one object.
type state struct {
	st     Status
	at     token.Pos // where it was freed or taken
	by     string    // who took it
	regs   map[ssa.Value]bool
	cells  map[ssa.Value]bool
	bound  map[ssa.Value][]effect // function values made by cgo's defer shape
	defers []effect               // registered deferred effects, in order
	// borrowedBy is the last call that borrowed the object, for the
	// message about inline allocations.
	borrowedBy string
}

func (s *state) clone() *state {
	c := *s
	c.regs = cloneSet(s.regs)
	c.cells = cloneSet(s.cells)
	c.bound = make(map[ssa.Value][]effect, len(s.bound))
	maps.Copy(c.bound, s.bound)
	c.defers = append([]effect(nil), s.defers...)
	return &c
}

func cloneSet(m map[ssa.Value]bool) map[ssa.Value]bool {
	c := make(map[ssa.Value]bool, len(m))
	for k, v := range m {
		if v {
			c[k] = true
		}
	}
	return c
}

// key identifies a state for the visited set.
func (s *state) key() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%d|%s|", s.st, s.at, s.by)
	writeSet(&b, s.regs)
	b.WriteByte('|')
	writeSet(&b, s.cells)
	b.WriteByte('|')
	for _, d := range s.defers {
		fmt.Fprintf(&b, "%d@%d,", d.act, d.pos)
	}
	b.WriteByte('|')
	var bk []string
	for k := range s.bound {
		bk = append(bk, k.Name())
	}
	sort.Strings(bk)
	b.WriteString(strings.Join(bk, ","))
	return b.String()
}

func writeSet(b *strings.Builder, m map[ssa.Value]bool) {
	names := make([]string, 0, len(m))
	for v, ok := range m {
		if ok {
			names = append(names, v.Name())
		}
	}
	sort.Strings(names)
	b.WriteString(strings.Join(names, ","))
}

// traceFn names a function whose exploration is printed, for debugging
// the engine (FFIVET_TRACE=name).
var traceFn = os.Getenv("FFIVET_TRACE")

// maxStates bounds the exploration of one object. Beyond it the engine
// gives up on the object and says nothing: silence beats a guess.
const maxStates = 4000

// An exitRecord is the status of an object when a path leaves the
// function, for summaries.
type exitRecord struct {
	st       Status
	returned int // result index when st == Returned
}

// A run explores one object through one function.
type run struct {
	m        *Function
	obj      *Object
	report   bool
	findings []*Finding
	seen     map[FindingKind]bool
	exits    []exitRecord
	escaped  bool
	freed    bool
	gaveUp   bool

	// cur is the block being run. resolved holds the blocks in which the
	// object was handed on (stored where the model cannot follow it, or
	// taken by C) on some path, and leaks the returns reached with it
	// still owned: a leak is reported only at a return no such block can
	// reach (see leakAt).
	cur      *ssa.BasicBlock
	resolved map[*ssa.BasicBlock]bool
	leaks    []leakCandidate
}

type leakCandidate struct {
	pos   token.Pos
	block *ssa.BasicBlock
}

// Function is the model's view of one SSA function: its boundary events
// and helpers the engine needs, computed once.
type Function struct {
	Fn     *ssa.Function
	res    *Result
	events map[ssa.Instruction]*Event
	// eventList holds the same events in instruction order.
	eventList []*Event
	// exposed lists cells bound by closures that are used as values
	// (not just called or deferred): whatever they hold escapes.
	exposed map[ssa.Value]bool
	objects []*Object
	// callStarts maps call parentheses to callee starts (CallStart).
	callStarts map[token.Pos]token.Pos
}

func newFunction(res *Result, fn *ssa.Function) *Function {
	f := &Function{Fn: fn, res: res, events: map[ssa.Instruction]*Event{}, exposed: map[ssa.Value]bool{}}
	f.eventList = Events(fn, res.Bridge)
	for _, ev := range f.eventList {
		f.events[ev.Instr] = ev
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			if !onlyCalled(mc) {
				for _, c := range mc.Bindings {
					f.exposed[c] = true
				}
			}
		}
	}
	return f
}

// earlierClosureDefers returns the effects of deferred closures that
// read captured variables when they run, registered before site on
// every path to it. An object created after such a defer is still
// released by it if it is in the variable when the function returns.
func (f *Function) earlierClosureDefers(site ssa.Instruction) []effect {
	var out []effect
	sb := site.Block()
	for _, b := range f.Fn.Blocks {
		if !b.Dominates(sb) {
			continue
		}
		for i, instr := range b.Instrs {
			if b == sb && i >= indexOf(b, site) {
				break
			}
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			mc, ok := d.Call.Value.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			sum, _ := f.res.calleeSummary(&d.Call)
			if sum == nil {
				continue
			}
			for k, cell := range mc.Bindings {
				e := sum.freeVar(k)
				if e == bridge.Borrows || e == 0 {
					continue
				}
				out = append(out, effect{act: goAction(e), pos: d.Pos(), callee: "the deferred function", viaCell: cell})
			}
		}
	}
	return out
}

// Events returns the function's boundary events in instruction order,
// computed once with the model (see the package-level Events).
func (f *Function) Events() []*Event { return f.eventList }

// onlyCalled reports whether a closure value is only called or deferred.
func onlyCalled(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Call:
			if r.Call.Value != v {
				return false
			}
		case *ssa.Defer:
			if r.Call.Value != v {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// A Trace is the outcome of following one object through a function.
type Trace struct {
	Findings []*Finding // what went wrong on some path, one per kind
	// Freed is set when some path releases the object; Returned when
	// some path hands it to the caller; Escaped when some path lost
	// track of it.
	Freed, Returned, Escaped bool
	// GaveUp is set when the function was too large to explore; then
	// Findings is empty.
	GaveUp bool
}

// Track explores obj from its creation to every exit.
func (f *Function) Track(obj *Object) *Trace {
	r := &run{m: f, obj: obj, report: true, seen: map[FindingKind]bool{}}
	r.explore()
	r.leakAt()
	t := &Trace{GaveUp: r.gaveUp, Escaped: r.escaped, Freed: r.freed}
	if r.gaveUp {
		return t
	}
	t.Findings = r.findings
	for _, e := range r.exits {
		switch e.st {
		case Returned:
			t.Returned = true
		case Escaped:
			t.Escaped = true
		}
	}
	return t
}

func (s *state) registers() map[ssa.Value]bool { return s.regs }

// explore follows the object from where it comes into being.
func (r *run) explore() {
	s := &state{regs: map[ssa.Value]bool{}, cells: map[ssa.Value]bool{}, bound: map[ssa.Value][]effect{}}
	b, idx := r.m.Fn.Blocks[0], 0
	switch r.obj.Kind {
	case FromParam:
		s.regs[r.obj.Value] = true
	case FromFreeVar, FromField:
		s.cells[r.obj.Cell] = true
	default:
		b = r.obj.Site.Block()
		idx = indexOf(b, r.obj.Site)
		if idx < 0 {
			r.gaveUp = true
			return
		}
		idx++
		if r.obj.Value != nil {
			s.regs[r.obj.Value] = true
		}
		if r.obj.Cell != nil {
			s.cells[r.obj.Cell] = true
		}
		s.defers = r.m.earlierClosureDefers(r.obj.Site)
	}
	if !explore[*state](r, b, idx, s, &budget{max: maxStates}) {
		r.gaveUp = true
	}
}

// step runs one instruction of a path for the explorer.
func (r *run) step(s *state, instr ssa.Instruction) (forks []*state, end bool) {
	b := instr.Block()
	r.cur = b
	if instr == r.obj.Site && !r.obj.Kind.summarized() {
		// The allocation runs again: a loop.
		r.reallocate(s, instr)
		return nil, false
	}
	if traceFn != "" && r.m.Fn.Name() == traceFn {
		fmt.Fprintf(os.Stderr, "trace %s obj@%d: %-60s st=%s regs=%d cells=%d\n", r.m.Fn.Name(), r.obj.Pos, instr, s.st, len(s.regs), len(s.cells))
	}
	before := s.st
	goesOn := r.exec(s, instr)
	if before == Live && (s.st == Escaped || s.st == Transferred) {
		r.resolve(b)
	}
	if !goesOn {
		return nil, true
	}
	if s.st == Escaped || s.st == Null {
		r.escaped = r.escaped || s.st == Escaped
		r.exits = append(r.exits, exitRecord{st: s.st})
		return nil, true
	}
	return nil, false
}

// edge applies what the branch taken says about the object.
func (r *run) edge(s *state, from *ssa.BasicBlock, succ int) bool {
	cond, ok := from.Instrs[len(from.Instrs)-1].(*ssa.If)
	if !ok {
		return true
	}
	if !r.refine(s, cond, succ == 0) {
		return false
	}
	if s.st == Null {
		r.exits = append(r.exits, exitRecord{st: Null})
		return false
	}
	return true
}

// reallocate handles the allocation site running again while the object
// may still be live: the previous object is lost unless something still
// holds it.
func (r *run) reallocate(s *state, site ssa.Instruction) {
	if s.st == Live && !r.deferredFree(s) && r.overwrites(s) {
		r.find(&Finding{Kind: LeakLoop, Obj: r.obj, Pos: r.obj.Pos, Other: r.loopPos(site.Pos())})
	}
	// Follow the new object from here; the old one is reported.
	s.st = Live
	s.at, s.by = token.NoPos, ""
	s.regs = map[ssa.Value]bool{}
	if r.obj.Value != nil {
		s.regs[r.obj.Value] = true
	}
	s.cells = map[ssa.Value]bool{}
	if r.obj.Cell != nil {
		s.cells[r.obj.Cell] = true
	}
}

func (r *run) resolve(b *ssa.BasicBlock) {
	if r.resolved == nil {
		r.resolved = map[*ssa.BasicBlock]bool{}
	}
	r.resolved[b] = true
}

// leakAt reports the first return (in source order) reached with the
// object still owned, unless a block where some other path stored it
// away or handed it to C can reach that return: then the owned path is
// most likely one the program never takes (conditions the engine does
// not correlate: kafka's `if valueLen > 0 { valp = payload }` under
// `if valueLen+keyLen > 0 { payload = C.malloc(...) }`), and a leak
// there would be a guess. Frees do not count: a loop whose break skips
// the free leaks for real, and the free's path reaches the same return.
// The price is a missed leak when memory is stored away on one branch
// and dropped on another before a common return.
func (r *run) leakAt() {
	sort.Slice(r.leaks, func(i, j int) bool { return r.leaks[i].pos < r.leaks[j].pos })
	var reach map[*ssa.BasicBlock]bool
	for _, c := range r.leaks {
		if len(r.resolved) > 0 {
			if reach == nil {
				reach = reachable(r.resolved)
			}
			if reach[c.block] {
				continue
			}
		}
		r.find(&Finding{Kind: Leak, Obj: r.obj, Pos: r.obj.Pos, Other: c.pos})
		return
	}
}

// reachable returns the blocks reachable from (and including) from.
func reachable(from map[*ssa.BasicBlock]bool) map[*ssa.BasicBlock]bool {
	seen := map[*ssa.BasicBlock]bool{}
	var work []*ssa.BasicBlock
	for b := range from {
		work = append(work, b)
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		work = append(work, b.Succs...)
	}
	return seen
}

// overwrites reports whether running the allocation again loses the
// previous object: no variable holds it, or only variables the new
// allocation is about to be stored into.
func (r *run) overwrites(s *state) bool {
	if len(s.cells) == 0 {
		return true
	}
	targets := map[ssa.Value]bool{}
	if v := r.obj.Value; v != nil {
		if refs := v.Referrers(); refs != nil {
			for _, ref := range *refs {
				if st, ok := ref.(*ssa.Store); ok && st.Val == v {
					targets[st.Addr] = true
				}
			}
		}
	}
	for c := range s.cells {
		if !targets[c] {
			return false
		}
	}
	return true
}

func (r *run) deferredFree(s *state) bool {
	for _, d := range s.defers {
		if d.act == actFree || d.act == actEscape || d.act == actTake {
			return true
		}
	}
	return false
}

// loopPos finds the for or range statement of the function's syntax
// that most closely encloses pos.
func (r *run) loopPos(pos token.Pos) token.Pos {
	syn := r.m.Fn.Syntax()
	if syn == nil {
		return token.NoPos
	}
	best := token.NoPos
	ast.Inspect(syn, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() <= pos && pos < n.End() {
				best = n.Pos()
			}
		case *ast.FuncLit:
			if n.Pos() <= pos && pos < n.End() && n != syn {
				return false
			}
		}
		return n.Pos() <= pos && pos < n.End()
	})
	return best
}

func (r *run) find(f *Finding) {
	if !r.report || r.seen[f.Kind] {
		return
	}
	r.seen[f.Kind] = true
	if isLeak(f.Kind) {
		// One leak per allocation: the most specific path wins.
		for i, old := range r.findings {
			if isLeak(old.Kind) {
				if leakRank(f.Kind) > leakRank(old.Kind) {
					r.findings[i] = f
				}
				return
			}
		}
	}
	r.findings = append(r.findings, f)
}

func isLeak(k FindingKind) bool { return k == Leak || k == LeakLoop || k == LeakInline }

func leakRank(k FindingKind) int {
	switch k {
	case LeakInline:
		return 2
	case LeakLoop:
		return 1
	}
	return 0
}

func (r *run) alias(s *state, v ssa.Value) bool {
	return v != nil && s.regs[v]
}

// refAlias reports whether an event argument holds the object now.
func (r *run) refAlias(s *state, ref Ref) bool {
	switch ref.Kind {
	case RefValue:
		return s.regs[ref.V]
	case RefCell:
		return s.cells[ref.V]
	}
	return false
}

// escape stops tracking: the object went where the model cannot follow.
func (r *run) escape(s *state) {
	if s.st == Live || s.st == Transferred || s.st == Freed {
		s.st = Escaped
	}
}

// exec runs one instruction. It returns false when the path ends.
func (r *run) exec(s *state, instr ssa.Instruction) bool {
	if ev := r.m.events[instr]; ev != nil {
		r.event(s, ev)
		return true
	}
	switch in := instr.(type) {
	case *ssa.Call:
		return r.goCall(s, in, &in.Call, false)
	case *ssa.Defer:
		if effs, ok := s.bound[in.Call.Value]; ok {
			s.defers = append(s.defers, effs...)
			delete(s.bound, in.Call.Value)
			return true
		}
		return r.goCall(s, in, &in.Call, true)
	case *ssa.Go:
		if r.callTouches(s, &in.Call) {
			r.escape(s)
		}
	case *ssa.RunDefers:
		for i := len(s.defers) - 1; i >= 0; i-- {
			d := s.defers[i]
			if !receivesAtExit(d.viaCell, s.cells) {
				continue
			}
			r.apply(s, d, true)
			if s.st == Escaped {
				return true
			}
		}
		s.defers = nil
	case *ssa.Return:
		for i, v := range in.Results {
			if r.alias(s, v) {
				if s.st == Live {
					s.st = Returned
					r.exits = append(r.exits, exitRecord{st: Returned, returned: i})
					return false
				}
				if s.st == Freed {
					// Returning a dangling pointer: report as use.
					r.find(&Finding{Kind: UseAfterFree, Obj: r.obj, Pos: v.Pos(), Other: s.at})
				}
			}
		}
		if s.st == Live && !r.obj.Kind.summarized() {
			pos := in.Pos()
			if pos == token.NoPos {
				pos = funcEnd(r.m.Fn)
			}
			if r.obj.Value != nil && r.inlineOnly() && s.borrowedBy != "" {
				r.find(&Finding{Kind: LeakInline, Obj: r.obj, Pos: r.obj.Pos, Callee: s.borrowedBy})
			} else {
				r.leaks = append(r.leaks, leakCandidate{pos, r.cur})
			}
		}
		r.exits = append(r.exits, exitRecord{st: s.st})
		return false
	case *ssa.Panic:
		return false
	case *ssa.Store:
		if lit := complitLoad(in.Val); lit != nil && fieldBase(in.Addr) {
			// The literal's fields become the variable's.
			for _, fc := range heldFields(s.cells, in.Addr) {
				delete(s.cells, fc)
			}
			for _, fc := range heldFields(s.cells, lit) {
				delete(s.cells, fc)
				s.cells[fieldCell{in.Addr, fc.Field}] = true
			}
			return true
		}
		fc, isField := fieldCellOf(in.Addr)
		switch {
		case r.alias(s, in.Val):
			switch {
			case r.isCell(in.Addr) && !r.m.exposed[in.Addr]:
				s.cells[in.Addr] = true
			case isField && callerStruct(fc) && !r.obj.Kind.summarized():
				// Memory the function allocated, stored in a struct
				// its caller passed: the caller's struct owns it now.
				r.escape(s)
			case isField:
				s.cells[fc] = true
			default:
				r.escape(s)
			}
		case s.cells[in.Addr]:
			delete(s.cells, in.Addr)
		case isField && s.cells[fc]:
			delete(s.cells, fc)
		}
		if r.alias(s, in.Addr) {
			r.use(s, in.Pos())
		}
	case *ssa.MapUpdate:
		if r.alias(s, in.Value) || r.alias(s, in.Key) {
			r.escape(s)
		}
	case *ssa.Send:
		if r.alias(s, in.X) {
			r.escape(s)
		}
	case *ssa.MakeClosure:
		for _, c := range in.Bindings {
			if s.cells[c] && r.m.exposed[c] {
				r.escape(s)
			}
		}
	case *ssa.Alloc:
		// A fresh cell (a variable declared in a loop body).
		delete(s.cells, in)
		delete(s.regs, in)
		for _, fc := range heldFields(s.cells, in) {
			delete(s.cells, fc)
		}
	case *ssa.If, *ssa.Jump, *ssa.DebugRef:
	case ssa.Value:
		r.value(s, in)
	default:
		for _, op := range instr.Operands(nil) {
			if op != nil && r.alias(s, *op) {
				r.escape(s)
			}
		}
	}
	return true
}

// funcEnd is the closing brace of fn, where a path that falls off its
// end returns.
func funcEnd(fn *ssa.Function) token.Pos {
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		if syn.Body != nil {
			return syn.Body.Rbrace
		}
	case *ast.FuncLit:
		return syn.Body.Rbrace
	}
	return fn.Pos()
}

// inlineOnly reports whether the allocation's value is never bound to a
// variable: its only uses are conversions feeding one call.
func (r *run) inlineOnly() bool {
	if r.obj.Site == nil || !r.m.argumentCall(r.obj.Pos) {
		return false
	}
	if _, ok := r.obj.Site.(*ssa.Call); !ok {
		return false
	}
	v := r.obj.Value
	for {
		refs := v.Referrers()
		if refs == nil {
			return false
		}
		var next ssa.Value
		n := 0
		for _, ref := range *refs {
			if _, ok := ref.(*ssa.DebugRef); ok {
				return false // bound to a named variable
			}
			n++
			switch ref := ref.(type) {
			case *ssa.Convert:
				next = ref
			case *ssa.ChangeType:
				next = ref
			case ssa.CallInstruction:
				next = nil
			default:
				return false
			}
		}
		if n != 1 {
			return false
		}
		if next == nil {
			return true
		}
		v = next
	}
}

// argumentCall reports whether the call whose parenthesis is at pos is
// written directly as an argument of another call (through conversions
// and parentheses): C.f(C.CString(s)).
func (f *Function) argumentCall(pos token.Pos) bool {
	syn := f.Fn.Syntax()
	if syn == nil {
		return false
	}
	var stack []ast.Node
	found := false
	ast.Inspect(syn, func(n ast.Node) bool {
		if found {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		if c, ok := n.(*ast.CallExpr); ok && c.Lparen == pos {
			found = true
			for i := len(stack) - 1; i >= 0; i-- {
				switch p := stack[i].(type) {
				case *ast.ParenExpr:
					continue
				case *ast.CallExpr:
					if len(p.Args) == 1 && isConversion(f, p) {
						continue
					}
					for _, a := range p.Args {
						if a.Pos() <= pos && pos < a.End() {
							found = true
							stack = append(stack[:0], p)
							return false
						}
					}
				}
				break
			}
			stack = nil
			return false
		}
		stack = append(stack, n)
		return true
	})
	return found && len(stack) == 1
}

// isConversion reports whether call is a type conversion.
func isConversion(f *Function, call *ast.CallExpr) bool {
	info := f.res.info
	if info == nil {
		return false
	}
	tv, ok := info.Types[call.Fun]
	return ok && tv.IsType()
}

func (r *run) isCell(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Alloc:
		return true
	case *ssa.FreeVar:
		_, ok := v.Type().Underlying().(*types.Pointer)
		return ok
	}
	return false
}

// value computes whether a value-defining instruction aliases the object.
func (r *run) value(s *state, v ssa.Value) {
	if v == r.obj.Value && r.obj.Site != nil {
		return // the object itself (an extract of the allocating call's tuple)
	}
	alias := false
	if x, ok := conversionOperand(v); ok {
		alias = r.alias(s, x)
		if alias && isUintptr(v.Type()) && !convertsBack(v) {
			// Laundered through uintptr: the model cannot follow
			// arithmetic on it.
			r.escape(s)
			return
		}
	}
	switch in := v.(type) {
	case *ssa.Convert, *ssa.ChangeType, *ssa.MultiConvert, *ssa.ChangeInterface, *ssa.MakeInterface, *ssa.TypeAssert:
	case *ssa.UnOp:
		if in.Op == token.MUL {
			if fc, ok := fieldCellOf(in.X); ok && s.cells[fc] || s.cells[in.X] {
				alias = true
			} else if r.alias(s, in.X) {
				r.use(s, in.Pos())
			}
		}
	case *ssa.FieldAddr:
		alias = r.alias(s, in.X)
	case *ssa.IndexAddr:
		alias = r.alias(s, in.X)
	case *ssa.Slice:
		alias = r.alias(s, in.X)
	case *ssa.Extract:
		alias = in.Index == 0 && r.alias(s, in.Tuple)
	case *ssa.Field, *ssa.Index, *ssa.Lookup:
		// Reading a value out of an aggregate that holds the object
		// would need field-sensitive tracking; the object is only ever
		// in registers and cells here, so nothing to do.
	case *ssa.BinOp:
		// Comparisons and arithmetic do not move ownership.
	case *ssa.Phi:
	default:
		for _, op := range v.(ssa.Instruction).Operands(nil) {
			if op != nil && r.alias(s, *op) {
				r.escape(s)
				return
			}
		}
	}
	if alias {
		s.regs[v] = true
	} else {
		delete(s.regs, v)
	}
}

func isUintptr(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Uintptr
}

// convertsBack reports whether a uintptr conversion is only converted
// straight back to a pointer (cgo's own code and unsafe.Pointer(uintptr)
// idioms that keep the value).
func convertsBack(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		c, ok := r.(*ssa.Convert)
		if !ok || isUintptr(c.Type()) {
			return false
		}
	}
	return true
}

// use records a read or write through the object.
func (r *run) use(s *state, pos token.Pos) {
	if s.st == Freed {
		r.find(&Finding{Kind: UseAfterFree, Obj: r.obj, Pos: pos, Other: s.at})
		s.st = Escaped // one report per path is enough
	}
}

// apply performs an action on the object.
func (r *run) apply(s *state, e effect, deferred bool) {
	switch e.act {
	case actUse:
		r.use(s, e.pos)
		if s.st == Live {
			s.borrowedBy = e.callee
		}
	case actFree:
		switch s.st {
		case Live:
			if a := r.obj.Alloc; a != nil && e.dealloc != nil && a.Family != e.dealloc.Family && e.callee != "C."+a.Dealloc {
				r.find(&Finding{Kind: WrongDealloc, Obj: r.obj, Pos: e.pos, Callee: e.callee})
			}
			s.st, s.at = Freed, e.pos
			r.freed = true
		case Freed:
			r.find(&Finding{Kind: DoubleFree, Obj: r.obj, Pos: e.pos, Other: s.at, Deferred: deferred})
			s.st = Escaped
		case Transferred:
			r.find(&Finding{Kind: FreeTaken, Obj: r.obj, Pos: e.pos, Other: s.at, Callee: s.by})
			s.st = Escaped
		}
	case actTake:
		switch s.st {
		case Live:
			s.st, s.at, s.by = Transferred, e.pos, e.callee
		case Freed:
			r.use(s, e.pos)
		default:
			r.escape(s)
		}
	case actEscape:
		if s.st == Freed {
			r.use(s, e.pos)
			return
		}
		r.escape(s)
	}
}

// event applies a boundary event.
func (r *run) event(s *state, ev *Event) {
	name := ev.Callee.UserName()
	var effs []effect
	for i, a := range ev.Args {
		if a.Kind == RefUnknown || !r.refAlias(s, a) {
			continue
		}
		effs = append(effs, effect{act: cAction(ev, i), pos: ev.Pos, callee: name, dealloc: deallocOf(ev, i)})
	}
	if ev.Result != nil {
		delete(s.regs, ev.Result)
		if ev.Summary.ReturnsParam >= 0 && ev.Summary.ReturnsParam < len(ev.Args) && r.refAlias(s, ev.Args[ev.Summary.ReturnsParam]) && !ev.AtExit {
			s.regs[ev.Result] = true
		}
	}
	switch {
	case ev.AtExit && ev.DeferredValue != nil:
		if len(effs) > 0 {
			s.bound[ev.DeferredValue] = effs
		}
	case ev.AtExit:
		s.defers = append(s.defers, effs...)
	default:
		for _, e := range effs {
			r.apply(s, e, false)
		}
	}
}

// cAction maps a C function's summary effect on parameter i to an
// action. Unknown functions are trusted to only read a const pointer
// parameter; anything else unknown stops tracking.
func cAction(ev *Event, i int) action {
	s := ev.Summary
	e := s.Effect(i)
	switch {
	case e&bridge.Frees != 0:
		return actFree
	case e&(bridge.MayFree|bridge.EffectUnknown) != 0:
		// A library function with no body ffivet can read is trusted to
		// only read through a const pointer. A body that hands the
		// pointer on to code ffivet cannot follow is not: it may pass
		// it together with a destructor (sqlite3_result_text(..., free)).
		if e&bridge.EffectUnknown != 0 && e&bridge.MayFree == 0 && ev.Summary.Source != bridge.FromBody && constParam(ev, i) {
			return actUse
		}
		return actEscape
	case e&(bridge.Takes|bridge.Keeps) != 0:
		// C now holds the pointer: the caller must neither free it
		// nor consider it leaked.
		return actTake
	case e&bridge.Returned != 0, e&bridge.Borrows != 0:
		return actUse
	}
	return actEscape
}

func constParam(ev *Event, i int) bool {
	if ev.Decl == nil || i >= len(ev.Decl.Params) {
		return false
	}
	return ev.Decl.Params[i].IsConstPointer()
}

func deallocOf(ev *Event, i int) *bridge.Allocator {
	if ev.Summary.Deallocs != nil {
		if a := ev.Summary.Deallocs[i]; a != nil {
			return a
		}
	}
	return nil
}

// callTouches reports whether a call passes the object or a cell
// holding it.
func (r *run) callTouches(s *state, c *ssa.CallCommon) bool {
	if r.alias(s, c.Value) {
		return true
	}
	for _, a := range c.Args {
		if r.alias(s, a) || s.cells[a] || len(heldFields(s.cells, a)) > 0 {
			return true
		}
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		for _, b := range mc.Bindings {
			if s.cells[b] {
				return true
			}
		}
	}
	return false
}

// goCall applies a call of Go code.
func (r *run) goCall(s *state, instr ssa.CallInstruction, c *ssa.CallCommon, deferred bool) bool {
	if fn := c.StaticCallee(); fn != nil && isCgoRuntimeHelper(fn) {
		return true
	}
	if noReturn(c) {
		return false
	}
	touches := r.callTouches(s, c)
	if v := instr.Value(); v != nil {
		delete(s.regs, v)
	}
	if !touches {
		return true
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap", "print", "println", "copy", "min", "max", "clear":
			for _, a := range c.Args {
				if r.alias(s, a) {
					r.use(s, c.Pos())
				}
			}
			return true
		case "ssa:wrapnilchk":
			if v := instr.Value(); v != nil && r.alias(s, c.Args[0]) {
				s.regs[v] = true
			}
			return true
		}
		r.escape(s)
		return true
	}
	if c.IsInvoke() {
		r.escape(s)
		return true
	}
	if fn := c.StaticCallee(); fn != nil && isKeepAlive(fn) {
		return true
	}
	sum, env := r.m.res.calleeSummary(c)
	if sum == nil {
		r.escape(s)
		return true
	}
	name := calleeName(c)
	var effs []effect
	for i, a := range c.Args {
		for _, fc := range heldFields(s.cells, a) {
			// A method with a pointer receiver, or any function given
			// the struct's address, does to the field what its summary
			// says; a deferred one, to what the field holds when it
			// runs.
			fe := sum.field(i, fc.Field)
			eff := effect{act: goAction(fe), pos: c.Pos(), callee: name, viaCell: fc}
			if !deferred && eff.act == actFree {
				// It may have reset the field: what the field holds
				// afterwards is not known to be the freed memory.
				delete(s.cells, fc)
			}
			if fe&bridge.Returned != 0 && !deferred {
				if v := instr.Value(); v != nil {
					s.regs[v] = true // an accessor: b.Ptr()
				}
			}
			effs = append(effs, eff)
		}
		if !r.alias(s, a) {
			continue
		}
		effs = append(effs, effect{act: goAction(sum.param(i)), pos: c.Pos(), callee: name})
		if sum.param(i)&bridge.Returned != 0 && !deferred {
			if v := instr.Value(); v != nil {
				s.regs[v] = true
			}
		}
	}
	if env != nil {
		for k, b := range env.Bindings {
			e := sum.freeVar(k)
			if !s.cells[b] && !deferred {
				continue
			}
			if e == bridge.Borrows || e == 0 {
				continue
			}
			eff := effect{act: goAction(e), pos: c.Pos(), callee: name}
			if deferred {
				eff.pos = instr.Pos()
				eff.viaCell = b
			}
			effs = append(effs, eff)
		}
	}
	if deferred {
		for i := range effs {
			if effs[i].viaCell == nil {
				effs[i].pos = instr.Pos()
			}
		}
		s.defers = append(s.defers, effs...)
		return true
	}
	for _, e := range effs {
		r.apply(s, e, false)
	}
	return true
}

func goAction(e bridge.Effect) action {
	switch {
	case e&bridge.Frees != 0 && e&(bridge.EffectUnknown|bridge.Keeps|bridge.MayFree) == 0:
		return actFree
	case e&(bridge.EffectUnknown|bridge.Keeps|bridge.MayFree|bridge.Takes) != 0:
		return actEscape
	case e&(bridge.Borrows|bridge.Returned) != 0, e == 0:
		return actUse
	}
	return actEscape
}

func calleeName(c *ssa.CallCommon) string {
	if fn := c.StaticCallee(); fn != nil {
		if fn.Parent() != nil {
			return "the function literal"
		}
		if fn.Pkg != nil && fn.Signature.Recv() == nil {
			return fn.Name()
		}
		return fn.Name()
	}
	return "the call"
}

func isKeepAlive(fn *ssa.Function) bool {
	return fn.Pkg != nil && fn.Pkg.Pkg.Path() == "runtime" && fn.Name() == "KeepAlive"
}

// noReturn lists calls that end the path without running deferred
// calls or returning.
func noReturn(c *ssa.CallCommon) bool {
	fn := c.StaticCallee()
	if fn == nil || fn.Pkg == nil {
		return false
	}
	switch fn.Pkg.Pkg.Path() + "." + fn.Name() {
	case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln", "runtime.Goexit", "syscall.Exit":
		return true
	}
	return false
}

// refine applies what a branch condition says about the object. It
// returns false when the branch cannot be taken with this state.
func (r *run) refine(s *state, cond *ssa.If, taken bool) bool {
	// The success test of an out-parameter allocation, or err != nil
	// from a Go helper whose owned result is nil whenever its error is
	// not: on the failure branch there is nothing to release.
	if r.obj.Guard != nil && s.st == Live {
		isGuard := func(v ssa.Value) bool { return SameValue(v, r.obj.Guard) }
		if BranchSays(cond.Cond, taken, isGuard, r.obj.Success) == bridge.SaysFailure {
			s.st = Null
			return true
		}
	}
	bin, ok := cond.Cond.(*ssa.BinOp)
	if !ok {
		return true
	}
	x, y := bin.X, bin.Y
	if isNil(x) {
		x, y = y, x
	}
	// p == nil, p != nil
	if isNil(y) && r.alias(s, x) && (bin.Op == token.EQL || bin.Op == token.NEQ) {
		isNilBranch := (bin.Op == token.EQL) == taken
		if isNilBranch {
			if !r.obj.MayBeNil && s.st == Live {
				return false
			}
			if s.st == Live || s.st == Freed {
				s.st = Null
			}
		}
		return true
	}
	return true
}

func isNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}
