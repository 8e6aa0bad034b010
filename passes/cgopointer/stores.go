package cgopointer

import (
	"fmt"

	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// stores reports Go pointers stored into C memory: a field of a struct
// from C.malloc, a C global, an array C owns, memory reached through a
// parameter of an exported function.
func (fc *funcCheck) stores() {
	for _, b := range fc.fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fc.store(st)
		}
	}
}

func (fc *funcCheck) store(st *ssa.Store) {
	locs := fc.mem.PointsTo(st.Addr)
	if len(locs) == 0 {
		return
	}
	for _, l := range locs {
		if !l.Site.Region.IsC() {
			return
		}
	}
	target := fc.mem.GoTarget(st.Val)
	if target == nil {
		return
	}
	if p := fc.pinned(target, st); p != nil && (localPinner(p.Pinner) == nil || fc.unpinOf(localPinner(p.Pinner)) == nil) {
		return
	}
	dst := locs[0]
	where := model.PathString(dst.Site.Type, dst.Path)
	if where != "" {
		where += " of "
	}
	d := analysis.Diagnostic{
		Pos:      st.Pos(),
		Category: "go-pointer-stored",
		Message: fmt.Sprintf("Go pointer stored into C memory: %s%s is C memory, and the value stored points into Go memory, %s; C may use it after the collector moved or freed it (GOEXPERIMENT=cgocheck2 aborts here); copy the data into C memory (C.CString, C.CBytes, C.malloc) or pin it with a runtime.Pinner for as long as C holds it",
			where, fc.siteText(dst.Site), fc.siteText(target)),
	}
	if st.Pos() == 0 {
		return
	}
	if target.Pos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: target.Pos, Message: "the Go memory"}}
	}
	fc.report(d)
}

// exported reports an exported function returning a Go pointer to its C
// caller.
func (fc *funcCheck) exported() {
	if fc.fn.Parent() != nil || fc.fn.Signature.Recv() != nil || fc.res.Bridge == nil {
		return
	}
	if _, ok := fc.res.Bridge.Exports[fc.fn.Name()]; !ok {
		return
	}
	for _, b := range fc.fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for _, v := range ret.Results {
			target := fc.mem.GoTarget(v)
			if target == nil || fc.pinned(target, ret) != nil {
				continue
			}
			pos := ret.Pos()
			if !pos.IsValid() {
				pos = v.Pos()
			}
			fc.report(analysis.Diagnostic{
				Pos:      pos,
				Category: "go-pointer-returned",
				Message: fmt.Sprintf("exported function %s returns a Go pointer to its C caller: it points into %s; C may not hold Go pointers after the call (cgo's check panics on the result); return C memory (C.malloc, C.CString, C.CBytes) or a cgo.Handle",
					fc.fn.Name(), fc.siteText(target)),
			})
		}
	}
}
