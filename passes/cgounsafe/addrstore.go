package cgounsafe

import (
	"fmt"
	"go/token"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// addressStores reports the address of Go memory stored as an integer
// in a field of a C struct that is then passed to C (an I/O request, an
// ioctl argument): cgo's check sees an integer, and the collector,
// which does not treat an integer as a reference, may free the memory
// before C reads it when nothing uses it after the store.
func (c *checker) addressStores(fn *ssa.Function, mem *model.Memory, events []*model.Event) {
	if len(mem.Pins()) > 0 {
		return // the memory may be pinned: the Pin's sites need not match
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			cstruct, field := cStructField(fa)
			if cstruct == "" {
				continue
			}
			ptr := addressOf(st.Val)
			if ptr == nil {
				continue
			}
			locs := mem.PointsTo(ptr)
			if len(locs) == 0 {
				continue
			}
			goMem := true
			for _, l := range locs {
				if !l.Site.Region.IsGo() {
					goMem = false
				}
			}
			if !goMem {
				continue
			}
			call := c.receivingCall(mem, events, fa.X, st.Pos())
			if call == nil || usedAfter(ptr, call.Pos) {
				continue
			}
			site := locs[0].Site
			c.pass.Report(analysis.Diagnostic{
				Pos:      st.Pos(),
				Category: "address-as-integer",
				Message: fmt.Sprintf("the address of Go memory, %s, is stored as an integer in field %s of %s, which is passed to %s at line %d: cgo's check sees an integer, and the collector may free the memory before C reads it, since nothing uses it after the store; pin it with a runtime.Pinner until C is done, use C memory, or, for heap memory, keep it alive with runtime.KeepAlive after the call",
					siteText(c, site), field, checkutil.CgoSpelling(cstruct), call.Callee.UserName(), checkutil.Line(c.pass.Fset, call.Pos)),
				Related: []analysis.RelatedInformation{{Pos: call.Pos, Message: "C reads the address here"}},
			})
		}
	}
}

// cStructField returns the C struct type and field name a field address
// selects, or "" when the struct is not a C one.
func cStructField(fa *ssa.FieldAddr) (string, string) {
	pt, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return "", ""
	}
	named, ok := types.Unalias(pt.Elem()).(*types.Named)
	if !ok {
		return "", ""
	}
	if k, _ := bridge.ParseName(named.Obj().Name()); k != bridge.CType {
		return "", ""
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return "", ""
	}
	return named.Obj().Name(), st.Field(fa.Field).Name()
}

// addressOf returns p for an integer made by uintptr(p) of an
// unsafe.Pointer p, through integer conversions, or nil.
func addressOf(v ssa.Value) ssa.Value {
	for {
		conv, ok := v.(*ssa.Convert)
		if !ok {
			return nil
		}
		if checkutil.IsUnsafePointer(conv.X.Type()) {
			return conv.X
		}
		if !isInteger(conv.X.Type()) {
			return nil
		}
		v = conv.X
	}
}

// receivingCall returns a C call after the store at pos that receives a
// pointer to the struct, or nil.
func (c *checker) receivingCall(mem *model.Memory, events []*model.Event, structPtr ssa.Value, pos token.Pos) *model.Event {
	target := mem.PointsTo(structPtr)
	for _, ev := range events {
		if ev.Pos <= pos || ev.Callee.Kind == bridge.CBuiltin {
			continue
		}
		for i := range ev.Args {
			if sharedSite(target, mem.ArgPointsTo(ev, i)) != nil {
				return ev
			}
		}
	}
	return nil
}

// usedAfter reports whether the value the address was taken from (the
// slice, or the variable) is used after pos: then it is alive until
// then. runtime.KeepAlive is such a use.
func usedAfter(ptr ssa.Value, pos token.Pos) bool {
	base := ptr
	for {
		switch x := base.(type) {
		case *ssa.Convert:
			base = x.X
			continue
		case *ssa.ChangeType:
			base = x.X
			continue
		case *ssa.IndexAddr:
			base = x.X
			continue
		case *ssa.FieldAddr:
			base = x.X
			continue
		}
		break
	}
	if base.Referrers() == nil {
		return true // a constant or global: not ours to judge
	}
	return usedAfterFrom(base, pos, 0)
}

// usedAfterFrom reports a use of v after pos, looking through the
// values made from v without a position of their own (the interface
// runtime.KeepAlive(buf) converts buf to).
func usedAfterFrom(v ssa.Value, pos token.Pos, depth int) bool {
	refs := v.Referrers()
	if refs == nil || depth > 4 {
		return false
	}
	for _, r := range *refs {
		if r.Pos() > pos {
			return true
		}
		if call, ok := r.(ssa.CallInstruction); ok && call.Pos() > pos {
			return true
		}
		if rv, ok := r.(ssa.Value); ok && !r.Pos().IsValid() && usedAfterFrom(rv, pos, depth+1) {
			return true
		}
	}
	return false
}
