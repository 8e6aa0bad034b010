package cgoerrno

import (
	"fmt"
	"go/token"
	"sort"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// failureTest checks r, err := C.f() for a function whose errno means
// something only when its result says it failed (fopen, write, most of
// POSIX). A successful call may leave errno set (fopen and printf may
// probe the terminal and leave ENOTTY), so err != nil does not mean the
// call failed. It reports the first use of err (a test, a return, an
// argument) that some path reaches from the call without a test of the
// result that says failure, or after one that says success.
//
// It stays silent when it cannot see every test of the result: the
// result stored in memory (a captured variable), and when err is
// returned or passed on together with the result, which hands the
// decision to the caller.
func (fc *fnCtx) failureTest(ev *model.Event, errV ssa.Value) {
	fromResult, ok := resultSet(tupleElem(ev.Result, 0))
	if !ok {
		return
	}
	s := ev.Summary
	reach := fc.uncheckedBlocks(ev, fromResult, s.Success)

	var uses []errUse
	collectUses(errV, errV, &uses, map[ssa.Value]bool{})
	sort.Slice(uses, func(i, j int) bool { return uses[i].pos < uses[j].pos })
	for _, u := range uses {
		how, ok := reach[u.instr.Block()]
		if !ok {
			continue
		}
		if u.instr.Block() == ev.Instr.Block() && indexOf(u.instr.Block(), u.instr) < indexOf(ev.Instr.Block(), ev.Instr) {
			continue
		}
		switch u.kind {
		case useTest:
			if fc.resultDecidesNext(u, fromResult) {
				continue
			}
		case useReturn, useArg:
			if u.withResult(fromResult) {
				continue
			}
		}
		fc.reportFailureTest(ev, u, how)
		return
	}
}

// reach says how a block is reached from the call.
type reach uint8

const (
	reachUnchecked reach = iota // some path has no test of the result
	reachSuccess                // every path that reaches it passed a test saying success
)

// uncheckedBlocks returns the blocks some path from the call reaches
// without passing a test of the result that says (or may say) failure.
// A test of the result that says success lets the path through, marked.
func (fc *fnCtx) uncheckedBlocks(ev *model.Event, fromResult map[ssa.Value]bool, success bridge.SuccessTest) map[*ssa.BasicBlock]reach {
	out := map[*ssa.BasicBlock]reach{}
	type item struct {
		b   *ssa.BasicBlock
		how reach
	}
	isResult := func(v ssa.Value) bool { return fromResult[v] }
	work := []item{{ev.Instr.Block(), reachUnchecked}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if old, ok := out[it.b]; ok && (old == reachUnchecked || old == it.how) {
			continue
		}
		out[it.b] = it.how
		succs := it.b.Succs
		if ifi, ok := lastIf(it.b); ok && len(succs) == 2 {
			if dependsOn(ifi.Cond, fromResult, 0) {
				for i, next := range succs {
					if model.BranchSays(ifi.Cond, i == 0, isResult, success) == bridge.SaysSuccess {
						work = append(work, item{next, reachSuccess})
					}
				}
				continue
			}
		}
		for _, next := range succs {
			work = append(work, item{next, it.how})
		}
	}
	return out
}

func lastIf(b *ssa.BasicBlock) (*ssa.If, bool) {
	if len(b.Instrs) == 0 {
		return nil, false
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	return ifi, ok
}

// resultSet is the result and the values that are the result under
// another name: conversions, and loads of a local variable it is stored
// into (cgo's wrappers capture the variables they read, so in cgo's
// output even `defer C.free(unsafe.Pointer(p))` puts p in a variable).
// It reports false when the result goes into a variable that code the
// check cannot follow reads (a closure of the user's, a pointer), where
// its tests are out of sight.
func resultSet(r ssa.Value) (map[ssa.Value]bool, bool) {
	set := map[ssa.Value]bool{}
	if r == nil {
		return set, true
	}
	ok := true
	var add func(v ssa.Value)
	add = func(v ssa.Value) {
		if set[v] {
			return
		}
		set[v] = true
		refs := v.Referrers()
		if refs == nil {
			return
		}
		for _, ref := range *refs {
			switch x := ref.(type) {
			case *ssa.Convert, *ssa.ChangeType, *ssa.MultiConvert:
				add(x.(ssa.Value))
			case *ssa.Store:
				if x.Val != v {
					continue
				}
				cell, isAlloc := x.Addr.(*ssa.Alloc)
				if !isAlloc || isResultSlot(cell) {
					// Fields, globals, and the function's own results are
					// not where its tests are read from.
					continue
				}
				loads, followable := cellLoads(cell, set)
				if !followable {
					ok = false
					continue
				}
				for _, l := range loads {
					add(l)
				}
			}
		}
	}
	add(r)
	return set, ok
}

// cellLoads returns the loads of a local variable holding the result,
// when nothing else writes it and only cgo's own wrappers capture it.
func cellLoads(cell *ssa.Alloc, set map[ssa.Value]bool) ([]ssa.Value, bool) {
	var loads []ssa.Value
	for _, ref := range *cell.Referrers() {
		switch x := ref.(type) {
		case *ssa.Store:
			if x.Addr != cell || !set[x.Val] {
				return nil, false
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil, false
			}
			loads = append(loads, x)
		case *ssa.MakeClosure:
			fn, isFn := x.Fn.(*ssa.Function)
			if !isFn || !model.IsCgoGenerated(fn) {
				return nil, false
			}
		case *ssa.DebugRef:
		default:
			return nil, false
		}
	}
	return loads, true
}

// dependsOn reports whether v is computed from the result.
func dependsOn(v ssa.Value, fromResult map[ssa.Value]bool, depth int) bool {
	if fromResult[v] {
		return true
	}
	if depth > 8 {
		return false
	}
	switch x := v.(type) {
	case *ssa.BinOp:
		return dependsOn(x.X, fromResult, depth+1) || dependsOn(x.Y, fromResult, depth+1)
	case *ssa.UnOp:
		return x.Op != token.MUL && dependsOn(x.X, fromResult, depth+1)
	case *ssa.Convert:
		return dependsOn(x.X, fromResult, depth+1)
	case *ssa.ChangeType:
		return dependsOn(x.X, fromResult, depth+1)
	case *ssa.MultiConvert:
		return dependsOn(x.X, fromResult, depth+1)
	case *ssa.MakeInterface:
		return dependsOn(x.X, fromResult, depth+1)
	case *ssa.Extract:
		return dependsOn(x.Tuple, fromResult, depth+1)
	case *ssa.Call:
		for _, a := range x.Call.Args {
			if dependsOn(a, fromResult, depth+1) {
				return true
			}
		}
	case *ssa.Phi:
		for _, e := range x.Edges {
			if dependsOn(e, fromResult, depth+1) {
				return true
			}
		}
	}
	return false
}

type useKind uint8

const (
	useTest   useKind = iota // err != nil, err == syscall.EAGAIN
	useReturn                // return ..., err
	useArg                   // fmt.Errorf("...: %w", err), errors.Is(err, ...)
	useOther                 // err.(syscall.Errno), a panic
)

// An errUse is one place the code reads err.
type errUse struct {
	kind  useKind
	instr ssa.Instruction
	pos   token.Pos
	test  *ssa.BinOp // for useTest
	// others are the values handed over together with err (the other
	// results of a return, the other arguments of a call).
	others []ssa.Value
}

// withResult reports whether the result travels with err: the decision
// is then the receiver's.
func (u errUse) withResult(fromResult map[ssa.Value]bool) bool {
	for _, o := range u.others {
		if dependsOn(o, fromResult, 0) {
			return true
		}
	}
	return false
}

// collectUses finds the reads of err, following it through interface
// conversions and into the slices of variadic calls.
func collectUses(root, v ssa.Value, out *[]errUse, seen map[ssa.Value]bool) {
	if seen[v] {
		return
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		pos := ref.Pos()
		if !pos.IsValid() {
			pos = root.Pos()
		}
		switch x := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeInterface:
			collectUses(root, x, out, seen)
		case *ssa.MakeInterface:
			collectUses(root, x, out, seen)
		case *ssa.BinOp:
			if x.Op == token.EQL || x.Op == token.NEQ {
				*out = append(*out, errUse{kind: useTest, instr: x, pos: pos, test: x})
			}
		case *ssa.Return:
			*out = append(*out, errUse{kind: useReturn, instr: x, pos: pos, others: without(x.Results, v)})
		case ssa.CallInstruction:
			if _, ok := x.(*ssa.Defer); ok {
				continue
			}
			*out = append(*out, errUse{kind: useArg, instr: x, pos: x.Pos(), others: without(x.Common().Args, v)})
		case *ssa.Store:
			if x.Val != v {
				continue
			}
			if call, others := variadicCall(x); call != nil {
				*out = append(*out, errUse{kind: useArg, instr: call, pos: call.Pos(), others: others})
			} else if others, ok := resultSlotStore(x); ok {
				*out = append(*out, errUse{kind: useReturn, instr: x, pos: pos, others: others})
			}
			// Other stores (a field, a captured variable) are read where
			// the check cannot see: no finding.
		case *ssa.TypeAssert, *ssa.Panic:
			*out = append(*out, errUse{kind: useOther, instr: x, pos: pos})
		}
	}
}

func without(vs []ssa.Value, v ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, x := range vs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// variadicCall recognizes the store of an argument into the slice of a
// variadic call (fmt.Errorf("%w", err)) and returns the call with the
// other values stored into the same slice.
func variadicCall(st *ssa.Store) (ssa.CallInstruction, []ssa.Value) {
	ia, ok := st.Addr.(*ssa.IndexAddr)
	if !ok {
		return nil, nil
	}
	arr, ok := ia.X.(*ssa.Alloc)
	if !ok {
		return nil, nil
	}
	var call ssa.CallInstruction
	var others []ssa.Value
	for _, ref := range *arr.Referrers() {
		switch x := ref.(type) {
		case *ssa.IndexAddr:
			for _, r2 := range *x.Referrers() {
				if s2, ok := r2.(*ssa.Store); ok && s2 != st && s2.Addr == x {
					others = append(others, s2.Val)
				}
			}
		case *ssa.Slice:
			for _, r2 := range *x.Referrers() {
				if c, ok := r2.(ssa.CallInstruction); ok {
					call = c
					others = append(others, without(c.Common().Args, x)...)
				}
			}
		}
	}
	return call, others
}

// resultSlotStore recognizes return ..., err in a function with
// deferred calls, where SSA stores the results into local slots that
// the return statements load. It returns the values stored into the
// other slots in the same block.
func resultSlotStore(st *ssa.Store) ([]ssa.Value, bool) {
	if !isResultSlot(st.Addr) {
		return nil, false
	}
	var others []ssa.Value
	for _, instr := range st.Block().Instrs {
		if o, ok := instr.(*ssa.Store); ok && o != st && o.Addr != st.Addr && isResultSlot(o.Addr) {
			others = append(others, o.Val)
		}
	}
	return others, true
}

// isResultSlot reports a local variable that is only stored to and
// loaded by return statements.
func isResultSlot(v ssa.Value) bool {
	a, ok := v.(*ssa.Alloc)
	if !ok || a.Heap {
		return false
	}
	loads := 0
	for _, ref := range *a.Referrers() {
		switch x := ref.(type) {
		case *ssa.Store:
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			for _, r2 := range *x.Referrers() {
				if _, ok := r2.(*ssa.Return); !ok {
					return false
				}
			}
			loads++
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return loads > 0
}

// resultDecidesNext recognizes err != nil && r == nil: the branch where
// err claims failure goes straight to a test of the result, so the
// result decides.
func (fc *fnCtx) resultDecidesNext(u errUse, fromResult map[ssa.Value]bool) bool {
	b := u.instr.Block()
	ifi, ok := lastIf(b)
	if !ok || !feeds(u.test, ifi.Cond) {
		return false
	}
	// Which successor does err claim failure on? err != nil (or
	// err == ESOMETHING) taken, err == nil not taken.
	claimsFailure := u.test.Op == token.NEQ
	if k, ok := otherOperand(u.test).(*ssa.Const); !ok || k.Value != nil {
		claimsFailure = u.test.Op == token.EQL
	}
	if neg, ok := ifi.Cond.(*ssa.UnOp); ok && neg.Op == token.NOT {
		claimsFailure = !claimsFailure
	}
	next := b.Succs[1]
	if claimsFailure {
		next = b.Succs[0]
	}
	nextIf, ok := lastIf(next)
	if !ok || !dependsOn(nextIf.Cond, fromResult, 0) {
		return false
	}
	for _, instr := range next.Instrs[:len(next.Instrs)-1] {
		switch instr.(type) {
		case *ssa.Call, *ssa.Store, *ssa.Go, *ssa.Defer, *ssa.Panic, *ssa.Return:
			return false
		}
	}
	return true
}

func feeds(test *ssa.BinOp, cond ssa.Value) bool {
	for {
		if cond == ssa.Value(test) {
			return true
		}
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			return false
		}
		cond = u.X
	}
}

func otherOperand(b *ssa.BinOp) ssa.Value {
	if _, ok := b.X.(*ssa.Const); ok {
		return b.X
	}
	return b.Y
}

func (fc *fnCtx) reportFailureTest(ev *model.Event, u errUse, how reach) {
	name := ev.Callee.Name
	s := ev.Summary
	res := fc.lhsName(ev.Pos, 0)
	errName := fc.lhsName(ev.Pos, 1)
	if errName == "" {
		errName = "err"
	}
	fails := failureSpelling(s.Success)
	if s.Source == bridge.FromBody {
		fails += ", as its C body shows"
	}
	check := failureCheck(s.Success, res)
	var what string
	switch u.kind {
	case useTest:
		what = "tested as the failure signal"
	case useReturn:
		what = "returned"
	case useArg:
		what = "passed on"
	default:
		what = "used"
	}
	var where string
	switch {
	case how == reachSuccess:
		where = " on the path where the result says the call succeeded"
	case res == "":
		where = " while the result is discarded"
	default:
		where = " without checking the result " + res
	}
	pos := u.pos
	if !pos.IsValid() {
		pos = ev.Pos
	}
	call := fc.model.CallStart(ev.Pos)
	fc.pass.Report(analysis.Diagnostic{
		Pos:      fc.model.CallStart(pos),
		Category: "errno-without-failure",
		Message: fmt.Sprintf("%s from %s at line %d is %s%s: errno is meaningful only when %s fails (%s), and a successful call may leave it set; test the result first: if %s { ... %s ... }",
			errName, ev.Callee.UserName(), checkutil.Line(fc.pass.Fset, call), what, where, name, fails, check, errName),
		Related: []analysis.RelatedInformation{{Pos: call, Message: "the two-value form of " + ev.Callee.UserName()}},
	})
}

func failureSpelling(s bridge.SuccessTest) string {
	switch s {
	case bridge.SuccessNonNull:
		return "returns NULL"
	case bridge.SuccessZero:
		return "returns nonzero"
	case bridge.SuccessNonNeg:
		return "returns a negative value"
	case bridge.SuccessNotMinus1:
		return "returns -1"
	}
	return "fails"
}

func failureCheck(s bridge.SuccessTest, res string) string {
	if res == "" {
		res = "r"
	}
	switch s {
	case bridge.SuccessNonNull:
		return res + " == nil"
	case bridge.SuccessZero:
		return res + " != 0"
	case bridge.SuccessNonNeg:
		return res + " < 0"
	case bridge.SuccessNotMinus1:
		return res + " == -1"
	}
	return "failed"
}
