package model

import (
	"strconv"

	"golang.org/x/tools/go/ssa"
)

// This file is the control-flow explorer shared by the ownership engine
// (engine.go) and the typestate protocols (typestate.go). Both follow
// one value along every path of a function: a path state holds what the
// engine knows on that path (the registers and local variables holding
// the value, its deferred calls, a status), and the explorer walks the
// blocks with a worklist. A state reached again at the start of a block
// is not explored twice, so loops terminate; a budget bounds the work,
// and an exploration that exceeds it is abandoned: its engine then says
// nothing rather than guess.

// A pathState is one path's state as the explorer needs it.
type pathState[P any] interface {
	// clone returns a copy that evolves independently.
	clone() P
	// key identifies the state for the visited set.
	key() string
	// registers is the set of SSA values holding the followed value,
	// updated by the phis of each edge taken.
	registers() map[ssa.Value]bool
}

// A walker is what an engine does along a path.
type walker[P pathState[P]] interface {
	// step runs one instruction (never a phi) on p. It returns end when
	// the path stops there, and forks when the path splits (a callee
	// followed returned in several states): each fork goes on from the
	// next instruction instead of p.
	step(p P, instr ssa.Instruction) (forks []P, end bool)
	// edge is told of p leaving block from for its successor number
	// succ, before the successor's phis are evaluated. It returns false
	// when p cannot take that edge.
	edge(p P, from *ssa.BasicBlock, succ int) bool
}

// A budget bounds the steps of one exploration, which may span several
// walks (callees followed by a protocol).
type budget struct {
	steps, max int
	exceeded   bool
}

func (b *budget) spend() bool {
	b.steps++
	if b.steps > b.max {
		b.exceeded = true
	}
	return !b.exceeded
}

type pathItem[P any] struct {
	b   *ssa.BasicBlock
	idx int // first instruction to run
	p   P
}

// explore walks every path from instruction idx of block b, starting in
// state p. It returns false when the budget ran out.
func explore[P pathState[P]](w walker[P], b *ssa.BasicBlock, idx int, p P, bud *budget) bool {
	visited := map[string]bool{}
	work := []pathItem[P]{{b, idx, p}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if it.idx == 0 {
			k := strconv.Itoa(it.b.Index) + "#" + it.p.key()
			if visited[k] {
				continue
			}
			visited[k] = true
		}
		if !bud.spend() {
			return false
		}
		work = append(work, runBlock(w, it)...)
	}
	return true
}

// runBlock runs it.b from it.idx and returns the items that go on: the
// forks of a step, or the successors of the block.
func runBlock[P pathState[P]](w walker[P], it pathItem[P]) []pathItem[P] {
	b, p := it.b, it.p
	for i := it.idx; i < len(b.Instrs); i++ {
		instr := b.Instrs[i]
		if _, ok := instr.(*ssa.Phi); ok {
			continue // evaluated on the incoming edge
		}
		forks, end := w.step(p, instr)
		if end {
			return nil
		}
		if len(forks) > 0 {
			out := make([]pathItem[P], 0, len(forks))
			for _, f := range forks {
				out = append(out, pathItem[P]{b, i + 1, f})
			}
			return out
		}
	}
	var out []pathItem[P]
	for si, succ := range b.Succs {
		np := p
		if si < len(b.Succs)-1 {
			np = p.clone()
		}
		if !w.edge(np, b, si) {
			continue
		}
		edgePhis(np.registers(), b, succ)
		out = append(out, pathItem[P]{succ, 0, np})
	}
	return out
}

// edgePhis updates the set of registers holding a tracked value for the
// edge from pred to succ: each phi of succ holds it when its incoming
// value on that edge does. All phis are evaluated before any is updated,
// as their parallel-assignment semantics require.
func edgePhis(regs map[ssa.Value]bool, pred, succ *ssa.BasicBlock) {
	idx := -1
	for i, p := range succ.Preds {
		if p == pred {
			idx = i
			break
		}
	}
	if idx < 0 {
		return
	}
	set := map[ssa.Value]bool{}
	for _, instr := range succ.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		set[phi] = idx < len(phi.Edges) && regs[phi.Edges[idx]]
	}
	for v, a := range set {
		if a {
			regs[v] = true
		} else {
			delete(regs, v)
		}
	}
}

// indexOf returns the position of instr in b, or -1.
func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, in := range b.Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}

// receivesAtExit reports whether a deferred call still receives the
// followed value when it runs: it was handed the value itself (via nil),
// or reads a variable (via) that holds the value on the path then.
func receivesAtExit(via ssa.Value, cells map[ssa.Value]bool) bool {
	return via == nil || cells[via]
}

// conversionOperand returns the operand of an instruction that only
// changes the type of a value (a conversion, boxing into an interface,
// a type assertion), whose result holds whatever the operand holds.
func conversionOperand(v ssa.Value) (ssa.Value, bool) {
	switch x := v.(type) {
	case *ssa.Convert:
		return x.X, true
	case *ssa.ChangeType:
		return x.X, true
	case *ssa.MultiConvert:
		return x.X, true
	case *ssa.ChangeInterface:
		return x.X, true
	case *ssa.MakeInterface:
		return x.X, true
	case *ssa.TypeAssert:
		return x.X, true
	}
	return nil, false
}

// StripConversions returns the value v converts.
func StripConversions(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
}
