package cgoalloc

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// deferNil finds a deferred free of a variable that still holds its
// zero value at the defer statement, whose address is then handed to a
// C function that fills it:
//
//	var out *C.double
//	defer C.free(unsafe.Pointer(out))   // evaluated now: frees nil
//	if C.getpoint(img, &out) != 0 { ... }
//
// The deferred call's arguments are evaluated at the defer, so it frees
// nil, and what C stores through &out is released by nothing. The
// finding needs no knowledge of the C function beyond this: the code
// itself says the memory is to be freed. It stays silent when
//   - the variable may hold anything but its zero value at the defer
//     (any use of it between its declaration and the defer, or a
//     different block),
//   - the variable is assigned in Go (deferReassign's case) or captured
//     by a closure (a deferred closure may free it when it runs),
//   - its value goes anywhere ownership may move: returned, stored,
//     passed to a Go function or a C function that may keep or free it
//     (reading through it, converting it, comparing it, C.GoString and
//     returning a slice that views it are fine),
//   - the C function's body is known and stores no owned memory through
//     that argument.
func (c *checker) deferNil(f *model.Function, results []result) []result {
	fn := f.Fn
	syn := fn.Syntax()
	if syn == nil {
		return results
	}
	events := f.Events()
	frees := c.deferredFrees(fn, events)
	if len(frees) == 0 {
		return results
	}
	ix := &eventIndex{byInstr: map[ssa.Instruction]*model.Event{}, byWrapper: map[*ssa.Function]*model.Event{}}
	for _, ev := range events {
		ix.byInstr[ev.Instr] = ev
		if ev.Wrapper != nil {
			ix.byWrapper[ev.Wrapper] = ev
		}
	}
	for _, df := range frees {
		alloc := df.cell
		if !nilAtDefer(fn, df) {
			continue
		}
		u := c.cellUses(df, ix)
		if !u.ok || u.fill == nil || u.fill.Pos <= df.pos {
			continue
		}
		def := enclosingDefer(syn, df.pos)
		if def == nil {
			continue
		}
		name := alloc.Comment
		if name == "" {
			continue
		}
		// The engine's leaks of what the fill stored are this finding.
		var kept []result
		for _, r := range results {
			if r.obj.Site == u.fill.Instr && (r.fd.Kind == model.Leak || r.fd.Kind == model.LeakLoop) {
				continue
			}
			kept = append(kept, r)
		}
		results = kept

		line := func(p token.Pos) int { return checkutil.Line(c.pass.Fset, p) }
		d := analysis.Diagnostic{
			Pos:      def.Pos(),
			Category: "defer-nil",
			Message: fmt.Sprintf("the deferred %s at line %d frees %s while it is still nil, not the memory %s stores through &%s at line %d, which is never released",
				df.name, line(def.Pos()), name, u.fill.Callee.UserName(), name, line(u.fill.Pos)),
			Related: []analysis.RelatedInformation{{Pos: u.fill.Pos, Message: fmt.Sprintf("%s stores through &%s here", u.fill.Callee.UserName(), name)}},
		}
		if u.fill.Summary.OutOwned[u.fillArg] == nil {
			// The C side is not visible: the deferred free is the
			// evidence that the memory is handed over, and the message
			// says so.
			callee := u.fill.Callee.UserName()
			d.Message = fmt.Sprintf("the deferred %s at line %d frees %s while it is still nil, not what %s stores through &%s at line %d: if %s hands that memory over, as the deferred free assumes, it is never released",
				df.name, line(def.Pos()), name, callee, name, line(u.fill.Pos), callee)
		}
		closure := fmt.Sprintf("defer func() { %s(%s) }()", df.name, df.spelled(name))
		switch {
		case !df.single:
			d.Message += "; defer a closure that reads " + name + " when it runs"
		case u.view != token.NoPos:
			// Freeing it when the function returns would leave the
			// returned slice pointing at freed memory: the fix is not
			// mechanical.
			d.Message += fmt.Sprintf("; the value returned at line %d points into that memory, so copy it into Go memory, then release it in a deferred closure: %s", line(u.view), closure)
		default:
			d.Message += "; defer a closure that reads " + name + " when it runs: " + closure
			if !df.goCall {
				// cgo rewrites a deferred C call into closures of its
				// own, so the end of the call as written has no place in
				// the files the check sees (-cgo=run): the fix is
				// offered where both shapes can place it.
				break
			}
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message: "defer a closure",
				TextEdits: []analysis.TextEdit{
					{Pos: def.Call.Pos(), End: def.Call.Pos(), NewText: []byte("func() { ")},
					{Pos: def.Call.End(), End: def.Call.End(), NewText: []byte(" }()")},
				},
			}}
		}
		c.pass.Report(d)
	}
	return results
}

// A deferredFree is a local variable whose value a deferred call frees,
// as read at the defer.
type deferredFree struct {
	cell *ssa.Alloc
	// at is the instruction that evaluates the deferred call's
	// arguments; reads are the instructions through which it reads
	// cell: the load, or cgo's wrapper closure that loads it.
	at    ssa.Instruction
	reads []ssa.Instruction
	// unsafePtr: the call converts the variable to unsafe.Pointer.
	unsafePtr bool
	// single: the call has no other argument, so a closure around it
	// reads nothing else later than the call did.
	single bool
	// goCall: the deferred function is a Go function.
	goCall bool
	name   string
	pos    token.Pos
}

// spelled is the freed argument as a closure reads it.
func (df *deferredFree) spelled(name string) string {
	if df.unsafePtr {
		return "unsafe.Pointer(" + name + ")"
	}
	return name
}

// deferredFrees lists the variables whose values deferred calls of fn
// free: C deallocators (events at exit) and Go functions whose summary
// frees a parameter.
func (c *checker) deferredFrees(fn *ssa.Function, events []*model.Event) []*deferredFree {
	var out []*deferredFree
	for _, ev := range events {
		if !ev.AtExit {
			continue
		}
		for i, a := range ev.Args {
			if ev.Summary.Effect(i)&bridge.Frees == 0 || a.V == nil {
				continue
			}
			df := &deferredFree{at: ev.Instr, single: len(ev.Args) == 1, name: ev.Callee.UserName(), pos: ev.Pos}
			switch a.Kind {
			case model.RefValue:
				// The raw shape: the argument is evaluated in fn.
				df.cell, df.reads, df.unsafePtr = loadedCell(a.V)
			case model.RefCell:
				// cgo's defer shape: its wrapper closure loads the
				// variable when fn calls it at ev.Instr.
				cell, ok := a.V.(*ssa.Alloc)
				mc, isClosure := ev.Instr.Common().Value.(*ssa.MakeClosure)
				if ok && isClosure {
					df.cell, df.reads = cell, []ssa.Instruction{mc}
					df.unsafePtr = !checkutil.IsUnsafePointer(cell.Type().(*types.Pointer).Elem())
				}
			}
			if df.cell != nil {
				out = append(out, df)
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			callee := d.Call.StaticCallee()
			if callee == nil || d.Call.IsInvoke() || model.IsCgoGenerated(callee) || model.StaticCgoCallee(&d.Call) != nil {
				continue
			}
			if _, closure := d.Call.Value.(*ssa.MakeClosure); closure {
				continue
			}
			sum := c.res.CalleeSummary(&d.Call)
			if sum == nil {
				continue
			}
			for i, a := range d.Call.Args {
				if i >= len(sum.Params) || sum.Params[i]&bridge.Frees == 0 {
					continue
				}
				df := &deferredFree{at: d, single: len(d.Call.Args) == 1, goCall: true, name: callee.Name(), pos: d.Pos()}
				df.cell, df.reads, df.unsafePtr = loadedCell(a)
				if df.cell != nil {
					out = append(out, df)
				}
			}
		}
	}
	return out
}

// loadedCell returns the local variable v is the value of, possibly
// converted, and the load that reads it.
func loadedCell(v ssa.Value) (*ssa.Alloc, []ssa.Instruction, bool) {
	conv := false
	if _, ok := v.(*ssa.Convert); ok {
		conv = checkutil.IsUnsafePointer(v.Type())
	}
	load, ok := model.StripConversions(v).(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil, nil, false
	}
	cell, ok := load.X.(*ssa.Alloc)
	if !ok {
		return nil, nil, false
	}
	return cell, []ssa.Instruction{load}, conv
}

// nilAtDefer reports whether the variable holds its zero value when the
// deferred call reads it: it is declared in the block of the defer, and
// nothing between the declaration and the defer refers to it but the
// defer's own read.
func nilAtDefer(fn *ssa.Function, df *deferredFree) bool {
	cell := df.cell
	if cell.Parent() != fn || cell.Block() != df.at.Block() {
		return false
	}
	instrs := cell.Block().Instrs
	start, end := -1, -1
	for i, in := range instrs {
		switch in {
		case cell:
			start = i
		case df.at:
			end = i
		}
	}
	if start < 0 || end < start {
		return false
	}
	for _, in := range instrs[start+1 : end] {
		if _, ok := in.(*ssa.DebugRef); ok || slices.Contains(df.reads, in) {
			continue
		}
		for _, op := range in.Operands(nil) {
			if *op == cell {
				return false
			}
		}
	}
	return true
}

// eventIndex finds the event of a call, or of cgo's wrapper closure.
type eventIndex struct {
	byInstr   map[ssa.Instruction]*model.Event
	byWrapper map[*ssa.Function]*model.Event
}

// cellUse is what the uses of a variable's address say: the C call that
// fills it, and whether a slice viewing the memory is returned.
type cellUse struct {
	ok      bool
	fill    *model.Event
	fillArg int
	view    token.Pos
}

func (c *checker) cellUses(df *deferredFree, ix *eventIndex) cellUse {
	cell := df.cell
	u := cellUse{ok: true}
	// fillOrRead applies what event ev does with the variable: fill it
	// through its address (argument j is &v), or read its value.
	fillOrRead := func(ev *model.Event, isAddr func(model.Ref) bool) {
		found := false
		for j, a := range ev.Args {
			switch {
			case isAddr(a):
				found = true
				s := ev.Summary
				switch {
				case ev.AtExit || ev.Callee.Kind == bridge.CBuiltin || u.fill != nil:
					u.ok = false
				case s.Known && s.OutOwned[j] == nil && s.Effect(j)&bridge.EffectUnknown == 0:
					// The body stores nothing owned through it.
					u.ok = false
				case s.OutOwned[j] == nil && ev.Decl != nil && j < len(ev.Decl.Params) && ev.Decl.Params[j].FillsConst():
					// const char **: the library lends what it stores.
					u.ok = false
				default:
					u.fill, u.fillArg = ev, j
				}
			case a.Kind == model.RefCell && a.V == cell:
				found = true
				if ev.AtExit || !borrows(ev, j) {
					u.ok = false
				}
			}
		}
		if !found {
			u.ok = false
		}
	}
	var addr func(v ssa.Value)
	addr = func(v ssa.Value) {
		for _, r := range referrers(v) {
			if !u.ok {
				return
			}
			if _, ok := r.(*ssa.DebugRef); ok || slices.Contains(df.reads, r) {
				continue
			}
			switch x := r.(type) {
			case *ssa.Convert:
				addr(x)
			case *ssa.ChangeType:
				addr(x)
			case *ssa.UnOp:
				if x.Op != token.MUL {
					u.ok = false
				} else {
					c.valueUses(x, false, ix, &u)
				}
			case *ssa.MakeClosure:
				// cgo's wrapper of a call in the processed shape, which
				// captures the variable.
				ev := ix.byWrapper[ssaFunc(x.Fn)]
				if ev == nil {
					u.ok = false
					continue
				}
				fillOrRead(ev, func(a model.Ref) bool {
					return a.Kind == model.RefValue && a.V != nil && model.StripConversions(a.V) == cell
				})
			case ssa.CallInstruction:
				ev := ix.byInstr[x]
				if ev == nil {
					u.ok = false
					continue
				}
				fillOrRead(ev, func(a model.Ref) bool {
					return a.Kind == model.RefValue && a.V != nil && model.StripConversions(a.V) == model.StripConversions(v)
				})
			default:
				u.ok = false
			}
		}
	}
	addr(cell)
	return u
}

func ssaFunc(v ssa.Value) *ssa.Function {
	fn, _ := v.(*ssa.Function)
	return fn
}

// borrows reports whether event ev only reads its argument j.
func borrows(ev *model.Event, j int) bool {
	return !ev.AtExit && ev.Summary.Known && ev.Summary.Effect(j)&^bridge.Borrows == 0
}

// valueUses checks the uses of the variable's value v: reading through
// it, converting, slicing, comparing and handing it to calls that only
// borrow it are fine; a slice of it returned is noted; anything where
// ownership may move is not.
func (c *checker) valueUses(v ssa.Value, derived bool, ix *eventIndex, u *cellUse) {
	for _, r := range referrers(v) {
		if !u.ok {
			return
		}
		switch x := r.(type) {
		case *ssa.DebugRef, *ssa.BinOp:
		case *ssa.UnOp:
			if x.Op != token.MUL {
				u.ok = false
			}
		case *ssa.Convert:
			c.valueUses(x, derived, ix, u)
		case *ssa.ChangeType:
			c.valueUses(x, derived, ix, u)
		case *ssa.Slice:
			c.valueUses(x, true, ix, u)
		case *ssa.IndexAddr, *ssa.FieldAddr:
			for _, rr := range referrers(x.(ssa.Value)) {
				switch y := rr.(type) {
				case *ssa.UnOp, *ssa.DebugRef:
				case *ssa.Store:
					if y.Val == x.(ssa.Value) {
						u.ok = false
					}
				default:
					u.ok = false
				}
			}
		case *ssa.Return:
			c.returned(x.Pos(), derived, u)
		case *ssa.Store:
			// With deferred calls, results are stored in their slots
			// and loaded by the return.
			if !isResultSlot(x.Addr) {
				u.ok = false
			} else {
				c.returned(x.Pos(), derived, u)
			}
		case ssa.CallInstruction:
			ev := ix.byInstr[x]
			if ev != nil {
				j := -1
				for k, a := range ev.Args {
					if a.Kind == model.RefValue && a.V != nil && model.StripConversions(a.V) == model.StripConversions(v) {
						j = k
					}
				}
				if j < 0 || !borrows(ev, j) {
					u.ok = false
				}
				continue
			}
			if b, ok := x.Common().Value.(*ssa.Builtin); !ok || (b.Name() != "len" && b.Name() != "cap" && b.Name() != "copy") {
				u.ok = false
			}
		default:
			u.ok = false
		}
	}
}

// returned notes a value derived from the variable leaving the function:
// a slice viewing the memory is noted, the pointer itself hands the
// memory to the caller.
func (c *checker) returned(pos token.Pos, derived bool, u *cellUse) {
	if !derived {
		u.ok = false
	} else if u.view == token.NoPos {
		u.view = pos
	}
}

// isResultSlot reports whether addr is the slot ssa keeps a result in
// for a function with deferred calls: a local whose every load is
// returned.
func isResultSlot(addr ssa.Value) bool {
	a, ok := addr.(*ssa.Alloc)
	if !ok || a.Heap {
		return false
	}
	for _, r := range referrers(a) {
		switch x := r.(type) {
		case *ssa.Store, *ssa.DebugRef:
		case *ssa.UnOp:
			for _, rr := range referrers(x) {
				if _, ok := rr.(*ssa.Return); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// referrers is v's referrers, none for values that keep no list.
func referrers(v ssa.Value) []ssa.Instruction {
	if refs := v.Referrers(); refs != nil {
		return *refs
	}
	return nil
}
