package cgoalloc

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// A structRef names the struct a call receives by pointer in the
// calling function: a variable or parameter (base), or a pointer field
// of one (&o.res, read from field of base), so that two loads of o.res
// name the same struct.
type structRef struct {
	base  ssa.Value
	field int // -1 for base itself
}

// A fieldCall is a call of a Go function that receives a struct by
// pointer, with what its summary says it does to the struct's fields.
type fieldCall struct {
	instr  ssa.CallInstruction
	callee *ssa.Function
	ref    structRef
	param  int
	sum    *model.GoSummary
}

// methodFrees reports the protocol of a type's methods broken across
// calls: a call that frees a field of a struct and leaves it set (the
// method frees p.res but does not nil it) followed, on every path
// through it, by another call that frees the same field, often the
// owner's Close or a deferred Destroy. The second free releases memory
// already released.
//
// Silent when the function itself assigns the field, when another call
// taking the struct may assign it (its summary says so, or nothing is
// known of it), and when the struct's pointer goes anywhere but to
// calls and field selections.
func (c *checker) methodFrees(f *model.Function) {
	calls := c.fieldCalls(f.Fn)
	if len(calls) < 2 {
		return
	}
	byRef := map[structRef][]*fieldCall{}
	for _, fc := range calls {
		byRef[fc.ref] = append(byRef[fc.ref], fc)
	}
	for ref, group := range byRef {
		if len(group) < 2 || !c.refFollowed(f.Fn, ref, group) {
			continue
		}
		c.protocol(f, group)
	}
}

// protocol reports, for one struct, the first pair of calls that free
// one field twice.
func (c *checker) protocol(f *model.Function, group []*fieldCall) {
	for _, first := range group {
		if _, isDefer := first.instr.(*ssa.Defer); isDefer {
			continue
		}
		for _, fe := range first.sum.Fields {
			if fe.Param != first.param || fe.Effect&^bridge.Returned != bridge.Frees && fe.Effect&^bridge.Returned != bridge.MayFree || fe.Stores {
				continue
			}
			// A call that frees the field on some paths only (on an
			// error path, say) counts only when the second call runs
			// after it on every path out of it.
			always := fe.Effect&bridge.Frees != 0
			if assignsField(first.ref, fe.Field, first.instr) {
				continue
			}
			for _, second := range group {
				if second == first || setByOthers(group, fe.Field, first, second) {
					continue
				}
				if always && !follows(first.instr, second.instr) || !always && !alwaysFollows(first.instr, second.instr) {
					continue
				}
				fe2, ok := second.sum.Field(second.param, fe.Field)
				if !ok || fe2.Effect != bridge.Frees {
					continue
				}
				c.reportMethodFree(f, first, second, fe, always)
				return
			}
		}
	}
}

// setByOthers reports whether a call of the group other than first and
// second may assign field k. (What second does to the field after
// freeing it does not matter.)
func setByOthers(group []*fieldCall, k int, first, second *fieldCall) bool {
	for _, fc := range group {
		if fc.instr == first.instr || fc.instr == second.instr {
			continue
		}
		if fe, ok := fc.sum.Field(fc.param, k); !ok || fe.Stores {
			return true
		}
	}
	return false
}

// assignsField reports whether the function assigns field k of the
// struct ref names itself, other than before the call first on every
// path to it (the assignment the first free releases).
func assignsField(ref structRef, k int, first ssa.Instruction) bool {
	var ptrs []ssa.Value // the values that are the struct's pointer
	if ref.field < 0 {
		ptrs = append(ptrs, ref.base)
	} else {
		for _, use := range *ref.base.Referrers() {
			if fa, ok := use.(*ssa.FieldAddr); ok && fa.Field == ref.field {
				for _, u := range *fa.Referrers() {
					if ld, ok := u.(*ssa.UnOp); ok && ld.Op == token.MUL {
						ptrs = append(ptrs, ld)
					}
				}
			}
		}
	}
	for _, p := range ptrs {
		for _, use := range *p.Referrers() {
			fa, ok := use.(*ssa.FieldAddr)
			if !ok || fa.Field != k {
				continue
			}
			for _, u := range *fa.Referrers() {
				if st, ok := u.(*ssa.Store); ok && st.Addr == fa && !runsBefore(st, first) {
					return true
				}
			}
		}
	}
	return false
}

// follows reports whether second runs after first on every path
// through first, or, for a deferred second, runs at exit on every path
// through first: one of their blocks dominates the other.
func follows(first, second ssa.CallInstruction) bool {
	b1, b2 := first.Block(), second.Block()
	if _, isDefer := second.(*ssa.Defer); isDefer {
		return b1.Dominates(b2) || b2.Dominates(b1)
	}
	if b1 == b2 {
		return indexIn(b1, first) < indexIn(b1, second)
	}
	return b1.Dominates(b2)
}

// alwaysFollows reports whether second runs after first on every path
// out of first: later in its block, or deferred before it on every path
// to it.
func alwaysFollows(first, second ssa.CallInstruction) bool {
	if _, isDefer := second.(*ssa.Defer); isDefer {
		return runsBefore(second, first)
	}
	return first.Block() == second.Block() && indexIn(first.Block(), first) < indexIn(first.Block(), second)
}

// runsBefore reports whether a runs before b on every path to b.
func runsBefore(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return indexIn(a.Block(), a) < indexIn(b.Block(), b)
	}
	return a.Block().Dominates(b.Block())
}

func indexIn(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, in := range b.Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}

// fieldCalls returns the static Go calls of fn that receive a struct by
// pointer and whose callee's summary is known.
func (c *checker) fieldCalls(fn *ssa.Function) []*fieldCall {
	var out []*fieldCall
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			common := call.Common()
			callee := common.StaticCallee()
			if callee == nil || common.IsInvoke() || model.IsCgoGenerated(callee) {
				continue
			}
			sum := c.res.CalleeSummary(common)
			if sum == nil || len(sum.Fields) == 0 {
				continue
			}
			for i, a := range common.Args {
				ref, ok := refOf(a)
				if !ok {
					continue
				}
				out = append(out, &fieldCall{instr: call, callee: callee, ref: ref, param: i, sum: sum})
			}
		}
	}
	return out
}

// refOf names the struct a points to, when a is a parameter, a local
// variable, or a load of a pointer field of one.
func refOf(a ssa.Value) (structRef, bool) {
	if !structOfPointer(a.Type()) {
		return structRef{}, false
	}
	switch v := a.(type) {
	case *ssa.Parameter, *ssa.Alloc:
		return structRef{base: v, field: -1}, true
	case *ssa.UnOp:
		fa, ok := v.X.(*ssa.FieldAddr)
		if !ok || v.Op != token.MUL {
			return structRef{}, false
		}
		switch fa.X.(type) {
		case *ssa.Parameter, *ssa.Alloc:
			return structRef{base: fa.X, field: fa.Field}, true
		}
	}
	return structRef{}, false
}

// refFollowed reports whether everything the function does with the
// struct ref names is visible: its pointer (or the field holding it) is
// used only to select fields and in the calls of group, and the pointer
// field is never assigned.
func (c *checker) refFollowed(fn *ssa.Function, ref structRef, group []*fieldCall) bool {
	inGroup := map[ssa.Instruction]bool{}
	for _, fc := range group {
		inGroup[fc.instr] = true
	}
	usesOK := func(v ssa.Value) bool {
		if v.Referrers() == nil {
			return true
		}
		for _, use := range *v.Referrers() {
			switch u := use.(type) {
			case *ssa.FieldAddr, *ssa.DebugRef:
			case *ssa.Store:
				// Assigning the struct whole (a composite literal into
				// the variable) happens before it is used.
				if u.Addr != v {
					return false
				}
			default:
				if !inGroup[use] {
					return false
				}
			}
		}
		return true
	}
	if ref.field < 0 {
		return usesOK(ref.base)
	}
	for _, use := range *ref.base.Referrers() {
		fa, ok := use.(*ssa.FieldAddr)
		if !ok || fa.Field != ref.field {
			continue
		}
		for _, u := range *fa.Referrers() {
			switch x := u.(type) {
			case *ssa.UnOp:
				if !usesOK(x) {
					return false
				}
			case *ssa.DebugRef:
			default:
				return false // stored, or its address taken
			}
		}
	}
	return true
}

func (c *checker) reportMethodFree(f *model.Function, first, second *fieldCall, fe model.FieldEffect, always bool) {
	fset := c.pass.Fset
	st := structOfParam(first.callee, first.param)
	if st == nil || fe.Field >= st.NumFields() {
		return
	}
	field := st.Field(fe.Field).Name()
	again := "calls " + calleeName(second.callee) + ", which"
	if _, isDefer := second.instr.(*ssa.Defer); isDefer {
		again = "defers " + calleeName(second.callee) + ", which runs when the function returns and"
	}
	d := analysis.Diagnostic{
		Pos:      second.instr.Pos(),
		Category: "double-free",
		Message: fmt.Sprintf("field %s is freed twice: %s at line %d frees it%s and leaves it set, then this code %s frees it again; set the field to nil after the free in %s",
			field, calleeName(first.callee), checkutil.Line(fset, first.instr.Pos()), onSomePaths(always), again, calleeName(first.callee)),
		Related: []analysis.RelatedInformation{{Pos: first.instr.Pos(), Message: "first freed by this call"}},
	}
	if fix := c.nilFieldFix(first.callee, first.param, fe.Field, field); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(d)
}

// nilFieldFix sets the field to nil right after the statement of fn
// that frees it, when fn is in this package, frees the field once, in a
// plain call statement, and names its parameter.
func (c *checker) nilFieldFix(fn *ssa.Function, param, k int, field string) *analysis.SuggestedFix {
	if fn.Pkg == nil || fn.Pkg.Pkg != c.pass.Pkg || param >= len(fn.Params) {
		return nil
	}
	p := fn.Params[param]
	if p.Name() == "_" || p.Name() == "" {
		return nil
	}
	body := checkutil.Body(fn)
	if body == nil {
		return nil
	}
	var frees []token.Pos
	for _, ev := range c.res.Function(fn).Events() {
		for i, a := range ev.Args {
			if ev.Summary.Effect(i)&bridge.Frees == 0 || ev.AtExit {
				continue
			}
			if base, field, ok := model.RefField(a); ok && base == p && field == k {
				frees = append(frees, ev.Pos)
				continue
			}
			v := refValue(a)
			if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
				if fa, ok := ld.X.(*ssa.FieldAddr); ok && fa.X == p && fa.Field == k {
					frees = append(frees, ev.Pos)
				}
			}
		}
	}
	if len(frees) != 1 {
		return nil
	}
	// The edit goes before what follows the statement of the free (the
	// next statement, or the closing brace of its block on a line of its
	// own): the end of a statement is not where the user wrote it in
	// cgo's output.
	assign := p.Name() + "." + field + " = nil"
	var edit *analysis.TextEdit
	ast.Inspect(body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok || edit != nil {
			return edit == nil
		}
		for i, st := range blk.List {
			es, ok := st.(*ast.ExprStmt)
			if !ok || !(es.Pos() <= frees[0] && frees[0] < es.End()) {
				continue
			}
			if i+1 < len(blk.List) {
				e := checkutil.InsertBefore(c.pass.Fset, blk.List[i+1], assign)
				edit = &e
			} else if checkutil.Line(c.pass.Fset, blk.Rbrace) > checkutil.Line(c.pass.Fset, es.Pos()) {
				text := checkutil.Indent(c.pass.Fset, es.Pos()) + assign + "\n"
				edit = &analysis.TextEdit{Pos: blk.Rbrace - token.Pos(c.pass.Fset.Position(blk.Rbrace).Column-1), End: blk.Rbrace - token.Pos(c.pass.Fset.Position(blk.Rbrace).Column-1), NewText: []byte(text)}
			}
			return false
		}
		return true
	})
	if edit == nil {
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   fmt.Sprintf("set %s.%s to nil after freeing it", p.Name(), field),
		TextEdits: []analysis.TextEdit{*edit},
	}
}

func onSomePaths(always bool) string {
	if always {
		return ""
	}
	return " on some of its paths"
}

// structOfParam returns the struct fn's parameter i (the receiver
// first) points to. It reads the signature: a function of another
// package has no SSA parameters.
func structOfParam(fn *ssa.Function, i int) *types.Struct {
	sig := fn.Signature
	var t types.Type
	if recv := sig.Recv(); recv != nil {
		if i == 0 {
			t = recv.Type()
		}
		i--
	}
	if t == nil {
		if i < 0 || i >= sig.Params().Len() {
			return nil
		}
		t = sig.Params().At(i).Type()
	}
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, _ := p.Elem().Underlying().(*types.Struct)
	return st
}

// calleeName names a Go function as the user would: Destroy, or
// (*Res).Destroy for a method.
func calleeName(fn *ssa.Function) string {
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		star := ""
		if p, ok := t.(*types.Pointer); ok {
			t, star = p.Elem(), "*"
		}
		if n, ok := t.(*types.Named); ok {
			return "(" + star + n.Obj().Name() + ")." + fn.Name()
		}
	}
	return fn.Name()
}
