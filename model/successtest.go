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
