package cgoerrno

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/ssa"
	"modernc.org/cc/v4"
)

// An accessor is a C call that reads the errno left by an earlier call:
// a helper returning errno, the C library's errno locator, or a
// library's own errno function.
type accessor struct {
	ev       *model.Event
	clobbers []string // calls the helper makes before it reads errno
	locator  bool     // C.__errno_location(): a read only when dereferenced
	bodiless bool     // known by its name only
}

// errnoAccessor classifies ev, or returns nil.
//
// A function whose name ends in "errno" and that takes no arguments
// (zmq_errno, mylib_get_errno) is taken to return the calling thread's
// errno only when it has no body ffivet can read: a body that does not
// read the errno its caller left is something else.
func errnoAccessor(ev *model.Event) *accessor {
	name := ev.Callee.Name
	s := ev.Summary
	a := &accessor{ev: ev}
	switch {
	case bridge.IsErrnoLocator(name):
		a.locator = true
	case s.Known && s.ReadsCallerErrno:
		a.clobbers = s.ErrnoClobbers
	case s.Known && s.ReadsErrno && s.Source != bridge.FromBody && s.Source != bridge.FromAnnotation:
		// Only bodies tell their own errno from the caller's; a table or
		// attribute that says "reads errno" means the caller's.
	case ev.Decl != nil && !ev.Decl.HasBody && len(ev.Decl.Params) == 0 && !ev.Decl.Variadic &&
		strings.HasSuffix(strings.ToLower(name), "errno") && (!s.Known || s.SetsErrno != bridge.Yes):
		a.bodiless = true
	default:
		return nil
	}
	return a
}

// separateRead reports an errno accessor called as its own C call, after
// the call whose errno it means to read. Between two cgo calls the
// goroutine may move to another OS thread, whose errno is another
// thread's, and whatever runs in between (another C call, C.CString's
// malloc, another goroutine on the same thread) may overwrite it.
func (fc *fnCtx) separateRead(ev *model.Event) {
	a := errnoAccessor(ev)
	if a == nil {
		return
	}
	if a.locator && !dereferenced(ev.Result) {
		// Taking errno's address (to write it, or to hand it to C) is
		// not reading it here.
		return
	}
	if !a.locator && !voidResult(ev) && (ev.Result == nil || !used(ev.Result)) {
		// The value is thrown away. A helper that returns something
		// might read errno only to return it, and then reads nothing.
		return
	}
	setters, between, fromEntry := fc.precedingCalls(ev)
	if !fromEntry && len(between) == 0 && len(setters) > 0 && fc.lockedBefore(setters) {
		// runtime.LockOSThread keeps the goroutine on its thread, and
		// nothing runs in between: the read sees the setter's errno.
		return
	}
	what := ev.Callee.UserName()
	if a.locator {
		what = "*" + what + "()"
	}
	locked := !fromEntry && len(setters) > 0 && fc.lockedBefore(setters)
	var msg strings.Builder
	switch {
	case locked:
		// Only what runs in between can be the problem.
		fmt.Fprintf(&msg, "%s reads errno in a separate cgo call after %s at line %d",
			what, setters[0].Callee.UserName(), checkutil.Line(fc.pass.Fset, setters[0].Pos))
	case len(setters) > 0:
		sort.Slice(setters, func(i, j int) bool { return setters[i].Pos < setters[j].Pos })
		names := make([]string, 0, len(setters))
		var poss []token.Pos
		for _, s := range setters {
			if !slices.Contains(names, s.Callee.UserName()) {
				names = append(names, s.Callee.UserName())
			}
			poss = append(poss, s.Pos)
		}
		fmt.Fprintf(&msg, "%s reads errno in a separate cgo call after %s at %s: errno is per OS thread and the goroutine may have moved to another thread in between",
			what, checkutil.Join(names), checkutil.Lines(fc.pass.Fset, poss))
	case fromEntry:
		fmt.Fprintf(&msg, "%s reads errno, but no C call in this function set it: errno is per OS thread, and between cgo calls the goroutine may move to another thread, so the value is whatever ran last on the thread it runs on now",
			what)
	default:
		return
	}
	if len(between) > 0 {
		sort.Slice(between, func(i, j int) bool { return between[i].Pos < between[j].Pos })
		var parts []string
		for _, b := range between {
			parts = append(parts, fmt.Sprintf("%s at line %d", b.Callee.UserName(), checkutil.Line(fc.pass.Fset, b.Pos)))
		}
		fmt.Fprintf(&msg, ", and %s, called in between, may overwrite it", checkutil.Join(parts))
	}
	if len(a.clobbers) > 0 {
		fmt.Fprintf(&msg, ", and %s itself calls %s before reading it", ev.Callee.UserName(), checkutil.Join(a.clobbers))
	}
	switch {
	case len(setters) == 1:
		fmt.Fprintf(&msg, "; use the two-value form on the call itself: r, err := %s(...)", setters[0].Callee.UserName())
	case len(setters) > 1:
		msg.WriteString("; use the two-value form r, err := C.f(...) on each of those calls")
	default:
		msg.WriteString("; use the two-value form r, err := C.f(...) on the call that fails")
	}
	fc.report(ev.Pos, "separate-errno-read", "%s", msg.String())
}

// precedingCalls walks the control-flow graph backwards from ev to the
// nearest C call on each path that may set errno. It returns those calls,
// the allocations met before them (C.CString calls malloc, which may
// overwrite errno), and whether some path reaches the function's entry
// without such a call. Calls known to leave errno alone (free, memcpy)
// are passed over.
func (fc *fnCtx) precedingCalls(ev *model.Event) (setters, between []*model.Event, fromEntry bool) {
	at := map[ssa.Instruction][]*model.Event{}
	for _, e := range fc.events {
		if e.AtExit {
			continue
		}
		at[fc.site[e]] = append(at[fc.site[e]], e)
	}
	addUnique := func(list *[]*model.Event, e *model.Event) {
		if slices.Contains(*list, e) {
			return
		}
		*list = append(*list, e)
	}
	// scan looks at the events of instrs from last to first and says
	// whether a setter ended the path.
	scan := func(instrs []ssa.Instruction, skipOwn bool) bool {
		for i := len(instrs) - 1; i >= 0; i-- {
			evs := at[instrs[i]]
			// Inner events run before the outer one: look at them last
			// first.
			for j := len(evs) - 1; j >= 0; j-- {
				e := evs[j]
				if e == ev {
					skipOwn = false
					continue
				}
				if skipOwn || errnoAccessor(e) != nil && e.Summary.SetsErrno != bridge.Yes {
					continue
				}
				switch {
				case e.Callee.Kind == bridge.CBuiltin:
					if allocates(e.Callee.Name) {
						addUnique(&between, e)
					}
				case !e.Summary.Known || e.Summary.SetsErrno != bridge.No:
					addUnique(&setters, e)
					return true
				}
			}
		}
		return false
	}
	start := fc.site[ev].Block()
	idx := indexOf(start, fc.site[ev])
	if scan(start.Instrs[:idx+1], true) {
		return
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), start.Preds...)
	if len(start.Preds) == 0 {
		fromEntry = true
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if scan(b.Instrs, false) {
			continue
		}
		if len(b.Preds) == 0 {
			fromEntry = true
		}
		work = append(work, b.Preds...)
	}
	return
}

// allocates reports the cgo builtins that call malloc.
func allocates(builtin string) bool {
	switch builtin {
	case bridge.BuiltinCString, bridge.BuiltinCBytes, bridge.BuiltinCMalloc:
		return true
	}
	return false
}

func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, x := range b.Instrs {
		if x == instr {
			return i
		}
	}
	return len(b.Instrs) - 1
}

// dereferenced reports whether a pointer is loaded through.
func dereferenced(v ssa.Value) bool {
	if v == nil {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL {
				return true
			}
		case *ssa.Convert, *ssa.ChangeType:
			if dereferenced(r.(ssa.Value)) {
				return true
			}
		}
	}
	return false
}

// voidResult reports a C function declared to return void: reading
// errno is then what it does, not what it returns.
func voidResult(ev *model.Event) bool {
	return ev.Decl != nil && ev.Decl.Result != nil && ev.Decl.Result.Kind() == cc.Void
}

// lockedBefore reports whether runtime.LockOSThread is called before
// each of the calls, in a block that dominates it.
func (fc *fnCtx) lockedBefore(calls []*model.Event) bool {
	var locks []ssa.Instruction
	for _, b := range fc.fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if f := call.Common().StaticCallee(); f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "runtime" && f.Name() == "LockOSThread" {
				locks = append(locks, call)
			}
		}
	}
	for _, c := range calls {
		ok := false
		for _, l := range locks {
			at := fc.site[c]
			lb, cb := l.Block(), at.Block()
			if lb == cb && indexOf(lb, l) < indexOf(cb, at) || lb != cb && lb.Dominates(cb) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
