package model

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// A GoSummary is what a Go function does with the C memory it is given
// or returns. It is the Go-side counterpart of bridge.Summary.
type GoSummary struct {
	// Params holds the effect on each parameter (bridge.Borrows when it
	// only reads it, Frees when it frees it on every path, ...).
	Params []bridge.Effect
	// FreeVars holds the effect on the content of each captured
	// variable, for closures.
	FreeVars []bridge.Effect
	// Fields holds the effect on the content of the pointer fields of
	// the structs that parameters point to (a Free method releasing a C
	// field of its receiver). A field not listed is unknown.
	Fields []FieldEffect
	// Owned is set when a result is C memory the caller must release.
	Owned *OwnedResult
}

// A FieldEffect is the effect on the content of field Field of the
// struct parameter Param points to.
type FieldEffect struct {
	Param, Field int
	Effect       bridge.Effect
	// Stores is set when the function assigns the field (b.p = nil
	// after freeing it, or a new value): after a call that frees the
	// field without storing it, the field still holds the freed memory.
	Stores bool
}

// An OwnedResult describes a result that carries ownership of C memory.
type OwnedResult struct {
	Index    int
	Family   string
	Dealloc  string
	What     string // what allocated it inside the function, e.g. "C.CString"
	MayBeNil bool
	// ErrIndex is the index of an error result that is non-nil exactly
	// when no memory was returned, or -1.
	ErrIndex int
}

func (s *GoSummary) String() string {
	if s == nil {
		return "unknown"
	}
	var parts []string
	for i, e := range s.Params {
		parts = append(parts, fmt.Sprintf("p%d=%s", i, e))
	}
	for i, e := range s.FreeVars {
		parts = append(parts, fmt.Sprintf("fv%d=%s", i, e))
	}
	for _, f := range s.Fields {
		stores := ""
		if f.Stores {
			stores = "+stores"
		}
		parts = append(parts, fmt.Sprintf("p%d.%d=%s%s", f.Param, f.Field, f.Effect, stores))
	}
	if s.Owned != nil {
		parts = append(parts, fmt.Sprintf("owned r%d=%s/%s", s.Owned.Index, s.Owned.Family, s.Owned.Dealloc))
	}
	return strings.Join(parts, " ")
}

func (s *GoSummary) param(i int) bridge.Effect {
	if s == nil || i >= len(s.Params) {
		return bridge.EffectUnknown
	}
	return s.Params[i]
}

func (s *GoSummary) field(param, field int) bridge.Effect {
	if s != nil {
		for _, f := range s.Fields {
			if f.Param == param && f.Field == field {
				return f.Effect
			}
		}
	}
	return bridge.EffectUnknown
}

func (s *GoSummary) freeVar(i int) bridge.Effect {
	if s == nil || i >= len(s.FreeVars) {
		return bridge.EffectUnknown
	}
	return s.FreeVars[i]
}

// interesting reports whether the summary says more than "borrows
// everything, returns nothing owned", which is worth a fact.
func (s *GoSummary) interesting() bool {
	if s == nil {
		return false
	}
	if s.Owned != nil {
		return true
	}
	if len(s.Fields) > 0 {
		return true
	}
	for _, e := range s.Params {
		if e != bridge.EffectUnknown {
			return true
		}
	}
	return false
}

// A FuncFact carries a GoSummary across packages.
type FuncFact struct{ Summary GoSummary }

func (*FuncFact) AFact()           {}
func (f *FuncFact) String() string { return "ffivet(" + f.Summary.String() + ")" }

// A pkgFact marks packages that export FuncFacts, so packages that
// import none of them can skip building SSA.
type pkgFact struct{}

func (*pkgFact) AFact()         {}
func (*pkgFact) String() string { return "ffivet-cgo" }

// pointerLike reports whether values of t can carry memory the model
// tracks.
func pointerLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

// isCgoDecl reports cgo's declarations (_Cfunc_f, _cgo_...).
func isCgoDecl(fn *ssa.Function) bool {
	name := fn.Name()
	return fn.Parent() == nil && cgoGeneratedName(name)
}

// cgoGeneratedName reports the names cgo gives what it generates. Other
// names starting with _C are the user's: the net package wraps its C
// calls in functions named _C_getaddrinfo, _C_freeaddrinfo and so on.
func cgoGeneratedName(name string) bool {
	if k, _ := bridge.ParseName(name); k != bridge.NotCgo {
		return true
	}
	return strings.HasPrefix(name, "_cgo") || strings.HasPrefix(name, "_Cgo_") || name == "_CMalloc"
}

// IsCgoGenerated reports functions cgo writes: its declarations
// (_Cfunc_f, _cgo_...), and the wrapper closures it puts around calls.
// They are analyzed through their callers, never on their own.
func IsCgoGenerated(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if cgoGeneratedName(f.Name()) {
			return true
		}
	}
	if fn.Parent() != nil {
		if c, _, _ := wrapperBody(fn); c != nil {
			return true
		}
	}
	return false
}

// summarize computes fn's summary. Recursion yields nil (unknown).
func (res *Result) summarize(fn *ssa.Function) *GoSummary {
	if s, ok := res.summaries[fn]; ok || res.frozen {
		// Once the model is built, checks share it from several
		// goroutines: it is read-only, and a function it did not
		// summarize then (a synthetic wrapper) is unknown.
		return s
	}
	res.summaries[fn] = nil // recursion guard
	if len(fn.Blocks) == 0 || isCgoDecl(fn) {
		return nil
	}
	f := res.Function(fn)
	sum := &GoSummary{}
	for _, p := range fn.Params {
		if !pointerLike(p.Type()) {
			sum.Params = append(sum.Params, bridge.Borrows)
			continue
		}
		sum.Params = append(sum.Params, f.paramEffect(&Object{Kind: FromParam, Value: p, Region: RegionUnknown, What: p.Name()}))
	}
	for i, p := range fn.Params {
		st := structOf(p.Type())
		if st == nil || !fieldBase(p) {
			continue
		}
		for k := 0; k < st.NumFields(); k++ {
			if !pointerLike(st.Field(k).Type()) {
				continue
			}
			cell := fieldCell{p, k}
			eff := f.paramEffect(&Object{Kind: FromField, Cell: cell, Index: i, Field: k, What: cell.String()})
			sum.Fields = append(sum.Fields, FieldEffect{Param: i, Field: k, Effect: eff, Stores: storesField(fn, p, k)})
		}
	}
	for k, fv := range fn.FreeVars {
		ptr, ok := fv.Type().Underlying().(*types.Pointer)
		if !ok || !pointerLike(ptr.Elem()) {
			sum.FreeVars = append(sum.FreeVars, bridge.Borrows)
			continue
		}
		sum.FreeVars = append(sum.FreeVars, f.paramEffect(&Object{Kind: FromFreeVar, Cell: fv, Index: k, What: fv.Name()}))
	}
	for _, o := range f.Objects() {
		if o.Kind != FromAllocation || o.Region != RegionCHeap {
			continue
		}
		r := &run{m: f, obj: o, seen: map[FindingKind]bool{}}
		r.explore()
		if r.gaveUp || r.escaped {
			continue
		}
		idx := -1
		for _, e := range r.exits {
			if e.st == Returned {
				idx = e.returned
			}
		}
		if idx >= 0 && sum.Owned == nil {
			sum.Owned = &OwnedResult{Index: idx, Family: o.Alloc.Family, Dealloc: o.Alloc.Dealloc, What: o.What, MayBeNil: o.MayBeNil, ErrIndex: errIndex(fn, idx)}
		}
	}
	res.summaries[fn] = sum
	return sum
}

// errIndex finds an error result that is nil whenever result idx is
// not a nil constant: the (p, err) convention, under which err != nil
// means there is no p to release. Each return is read on every way to
// it: through the phis of its block, pairwise by incoming edge, and
// through the result variables a function with deferred calls stores
// before returning (see slotPairs). It returns -1 if there is no such
// result, or when some return's results cannot be paired.
func errIndex(fn *ssa.Function, idx int) int {
	res := fn.Signature.Results()
	for e := 0; e < res.Len(); e++ {
		if e == idx || !types.Identical(res.At(e).Type(), types.Universe.Lookup("error").Type()) {
			continue
		}
		if errMeansNoResult(fn, idx, e) {
			return e
		}
	}
	return -1
}

func errMeansNoResult(fn *ssa.Function, idx, e int) bool {
	for _, b := range fn.Blocks {
		ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !isRet || len(ret.Results) <= max(idx, e) {
			continue
		}
		pairs, ok := returnedPairs(ret, ret.Results[idx], ret.Results[e])
		if !ok {
			return false
		}
		for _, p := range pairs {
			if !isNil(p[0]) && !isNil(p[1]) {
				return false
			}
		}
	}
	return true
}

// returnedPairs returns the pairs of values a return hands out as v and
// w on each way to it.
func returnedPairs(ret *ssa.Return, v, w ssa.Value) (pairs [][2]ssa.Value, ok bool) {
	vs, ws := resultSlot(v), resultSlot(w)
	switch {
	case vs != nil && ws != nil:
		return slotPairs(vs, ws)
	case vs != nil || ws != nil:
		return nil, false
	}
	b := ret.Block()
	vp, _ := v.(*ssa.Phi)
	wp, _ := w.(*ssa.Phi)
	if vp == nil && wp == nil || vp != nil && vp.Block() != b || wp != nil && wp.Block() != b {
		return [][2]ssa.Value{{v, w}}, vp == nil && wp == nil
	}
	for i := range b.Preds {
		pair := [2]ssa.Value{v, w}
		if vp != nil {
			pair[0] = vp.Edges[i]
		}
		if wp != nil {
			pair[1] = wp.Edges[i]
		}
		pairs = append(pairs, pair)
	}
	return pairs, true
}

// resultSlot returns the variable v is loaded from, when v is a load of
// a local variable.
func resultSlot(v ssa.Value) *ssa.Alloc {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		a, _ := u.X.(*ssa.Alloc)
		return a
	}
	return nil
}

// slotPairs returns the pairs of values two result variables can hold
// together: for every store into one of them, the value stored with
// each value the other can hold there (the stores reaching it, or its
// zero value). Whatever pair a return reads is among them: it is made
// by the later of the two last stores on its path. A variable whose
// address is used otherwise than by stores and loads cannot be paired.
func slotPairs(vs, ws *ssa.Alloc) ([][2]ssa.Value, bool) {
	var pairs [][2]ssa.Value
	for _, slots := range [2][2]*ssa.Alloc{{vs, ws}, {ws, vs}} {
		stored, other := slots[0], slots[1]
		for _, ref := range *stored.Referrers() {
			switch r := ref.(type) {
			case *ssa.Store:
				if r.Addr != stored {
					return nil, false
				}
				for _, o := range reachingStores(other, r) {
					pair := [2]ssa.Value{r.Val, o}
					if stored == ws {
						pair = [2]ssa.Value{o, r.Val}
					}
					pairs = append(pairs, pair)
				}
			case *ssa.UnOp, *ssa.DebugRef:
			default:
				return nil, false
			}
		}
	}
	return pairs, true
}

// reachingStores returns the values a local variable can hold at instr:
// those of the last stores into it on the paths reaching instr, and its
// zero value where a path starts at the variable's declaration.
func reachingStores(slot *ssa.Alloc, instr ssa.Instruction) []ssa.Value {
	var out []ssa.Value
	seen := map[*ssa.BasicBlock]bool{}
	// lastIn scans b backwards from before index end; it reports whether
	// the scan found the value there.
	lastIn := func(b *ssa.BasicBlock, end int) bool {
		for i := end - 1; i >= 0; i-- {
			switch in := b.Instrs[i].(type) {
			case *ssa.Store:
				if in.Addr == slot {
					out = append(out, in.Val)
					return true
				}
			case *ssa.Alloc:
				if in == slot {
					out = append(out, ssa.NewConst(nil, pointerElem(slot.Type())))
					return true
				}
			}
		}
		return false
	}
	b := instr.Block()
	if lastIn(b, indexOf(b, instr)) {
		return out
	}
	work := append([]*ssa.BasicBlock(nil), b.Preds...)
	for len(work) > 0 {
		p := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		if !lastIn(p, len(p.Instrs)) {
			work = append(work, p.Preds...)
		}
	}
	return out
}

// paramEffect explores an incoming value and summarizes its fate.
func (f *Function) paramEffect(o *Object) bridge.Effect {
	r := &run{m: f, obj: o, seen: map[FindingKind]bool{}}
	r.explore()
	if r.gaveUp || r.escaped {
		return bridge.EffectUnknown
	}
	var freed, live, returned, taken int
	for _, e := range r.exits {
		switch e.st {
		case Freed:
			freed++
		case Live:
			live++
		case Returned:
			returned++
		case Transferred:
			taken++
		}
	}
	var eff bridge.Effect
	switch {
	case freed > 0 && live == 0 && returned == 0 && taken == 0:
		eff = bridge.Frees
	case freed > 0:
		eff = bridge.MayFree
	case taken > 0:
		eff = bridge.Takes
	default:
		eff = bridge.Borrows
	}
	if returned > 0 {
		eff |= bridge.Returned
	}
	return eff
}

// storesField reports whether fn assigns field k of the struct p
// points to.
func storesField(fn *ssa.Function, p ssa.Value, k int) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			if fa, ok := st.Addr.(*ssa.FieldAddr); ok && structBase(fa.X) == p && fa.Field == k {
				return true
			}
		}
	}
	return false
}

// Field returns what the function does to field k of the struct its
// parameter i points to, when that is known.
func (s *GoSummary) Field(i, k int) (FieldEffect, bool) {
	if s != nil {
		for _, f := range s.Fields {
			if f.Param == i && f.Field == k {
				return f, true
			}
		}
	}
	return FieldEffect{}, false
}

// CalleeSummary returns the summary of a Go call's callee: from this
// package's code, or from the facts of the package that declares it.
// It is nil when the callee is unknown (a call through an interface or
// a function value).
func (res *Result) CalleeSummary(c *ssa.CallCommon) *GoSummary {
	s, _ := res.calleeSummary(c)
	return s
}

// calleeSummary returns the summary of a Go call's callee, and the
// closure whose bindings its FreeVars refer to.
func (res *Result) calleeSummary(c *ssa.CallCommon) (*GoSummary, *ssa.MakeClosure) {
	var mc *ssa.MakeClosure
	var fn *ssa.Function
	switch v := c.Value.(type) {
	case *ssa.MakeClosure:
		mc = v
		fn, _ = v.Fn.(*ssa.Function)
	case *ssa.Function:
		fn = v
	}
	if fn == nil {
		return nil, nil
	}
	if fn.Pkg == res.SSA && fn.Synthetic == "" || fn.Parent() != nil {
		return res.summarize(fn), mc
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		if s, ok := res.imported[obj.Origin()]; ok {
			return s, mc
		}
	}
	return nil, mc
}
