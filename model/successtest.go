package model

import (
	"go/token"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// BranchSays tells what taking one edge of a branch on cond says about a
// call whose result tells success by test: taken is true for the If's
// first successor, where cond holds. isResult reports the values that
// are the call's result under another name. Only a comparison of the
// result with a constant, possibly negated, is understood; the verdict
// itself is test's (bridge.SuccessTest.Branch), so the ownership engine
// and the checks read one rule.
func BranchSays(cond ssa.Value, taken bool, isResult func(ssa.Value) bool, test bridge.SuccessTest) bridge.Verdict {
	for {
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		cond, taken = u.X, !taken
	}
	b, ok := cond.(*ssa.BinOp)
	if !ok {
		return bridge.SaysUnknown
	}
	x, y, op := b.X, b.Y, b.Op
	if !isResult(x) {
		x, y, op = y, x, bridge.SwapComparison(op)
	}
	k, ok := y.(*ssa.Const)
	if !ok || !isResult(x) {
		return bridge.SaysUnknown
	}
	basic, ok := x.Type().Underlying().(*types.Basic)
	unsigned := ok && basic.Info()&types.IsUnsigned != 0
	return test.Branch(op, k.Value, taken, unsigned)
}

// SameValue reports whether v is target, possibly converted, or a load
// of a variable that holds target: its only stores are of target, and
// nothing takes its address but cgo's wrapper closures, which only read
// it. The processed shape keeps a result in such a variable when a
// later C call's arguments read it (C.GoBytes(p, C.int(n))).
func SameValue(v, target ssa.Value) bool {
	v = StripConversions(v)
	if v == target {
		return true
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	a, ok := load.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	stored := false
	for _, r := range *a.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != a || StripConversions(x.Val) != target {
				return false
			}
			stored = true
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
			fn, _ := x.Fn.(*ssa.Function)
			if fn == nil || !IsCgoGenerated(fn) {
				return false
			}
		default:
			return false
		}
	}
	return stored
}
