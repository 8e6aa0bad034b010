package cgopointer

import (
	"fmt"
	"slices"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// keeps checks Go memory handed to a C function that keeps the pointer
// after the call returns: it must stay pinned as long as C holds it.
func (fc *funcCheck) keeps(ev *model.Event, i int, l model.Loc) {
	site := l.Site
	if checkutil.IsHandle(site.Type) {
		return // the address of a cgo.Handle variable: cgohandle reports it
	}
	fc.kept[site] = ev.Callee.UserName()
	how := "which keeps it after the call returns"
	if ev.Summary.Source == bridge.FromAnnotation {
		how = "which keeps it after the call returns (ffivet:keeps)"
	}
	if slices.Contains(ev.Summary.Conventional, i) {
		how = fmt.Sprintf("as the context of the callback it registers, which such C functions keep after the call returns (annotate the declaration ffivet:borrows arg=%d if this one does not)", i+1)
	}
	d := analysis.Diagnostic{Pos: ev.Pos}
	if site.Pos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: site.Pos, Message: "the Go memory C keeps"}}
	}
	if checkutil.IsString(site.Type) {
		d.Category = "string-kept"
		d.Message = fmt.Sprintf("%s receives a pointer into the data of Go string %s, %s: C may not keep Go string data; copy it with C.CString and free it when C is done with it",
			ev.Callee.UserName(), fc.siteText(site), how)
		fc.report(d)
		return
	}
	p := fc.pinned(site, ev.Instr)
	if p == nil {
		d.Category = "kept-unpinned"
		d.Message = fmt.Sprintf("%s receives a pointer to Go memory, %s, %s, but the memory is not pinned: the collector may move or free it while C holds the pointer; pin it with a runtime.Pinner that stays pinned until C is done with it, allocate it with C.malloc, or pass a cgo.Handle",
			ev.Callee.UserName(), fc.siteText(site), how)
		fc.report(d)
		return
	}
	a := localPinner(p.Pinner)
	if a == nil {
		return // a Pinner that outlives the function: trusted to stay pinned
	}
	if unpin := fc.unpinOf(a); unpin != nil {
		when := "when the function returns"
		if _, deferred := unpin.(*ssa.Defer); !deferred {
			when = fmt.Sprintf("at line %d", checkutil.Line(fc.pass.Fset, unpin.Pos()))
		}
		d.Category = "unpinned-while-kept"
		d.Message = fmt.Sprintf("%s keeps the pointer to %s after the call returns, but %s unpins it %s while C still holds it; keep the Pinner pinned (in a value that lives as long as C's use) and call Unpin when C no longer uses the pointer",
			ev.Callee.UserName(), fc.siteText(site), pinnerName(p.Pinner), when)
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: unpin.Pos(), Message: "unpinned here"})
		fc.report(d)
	}
	// A local Pinner never unpinned keeps the memory pinned, but it is
	// dropped while pinned: the Pinner check reports that.
}

// unpinOf returns a call or defer that unpins the local Pinner a, also
// through a deferred function literal.
func (fc *funcCheck) unpinOf(a *ssa.Alloc) ssa.Instruction {
	for _, b := range fc.fn.Blocks {
		for _, instr := range b.Instrs {
			var c *ssa.CallCommon
			switch in := instr.(type) {
			case *ssa.Call:
				c = &in.Call
			case *ssa.Defer:
				c = &in.Call
			default:
				continue
			}
			if model.IsPinnerMethod(c.StaticCallee(), "Unpin") && len(c.Args) == 1 && localPinner(c.Args[0]) == a {
				return instr
			}
			if mc, ok := c.Value.(*ssa.MakeClosure); ok {
				for k, bv := range mc.Bindings {
					if localPinner(bv) == a && unpinsFreeVar(mc.Fn.(*ssa.Function), k) {
						return instr
					}
				}
			}
		}
	}
	return nil
}

// unpinsFreeVar reports whether a function literal calls Unpin on its
// k'th free variable.
func unpinsFreeVar(fn *ssa.Function, k int) bool {
	if k >= len(fn.FreeVars) {
		return false
	}
	fv := fn.FreeVars[k]
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok || !model.IsPinnerMethod(c.Common().StaticCallee(), "Unpin") || len(c.Common().Args) != 1 {
				continue
			}
			arg := c.Common().Args[0]
			if ld, ok := arg.(*ssa.UnOp); ok {
				arg = ld.X
			}
			if arg == fv {
				return true
			}
		}
	}
	return false
}

// keepsGoString reports a C function that keeps the data of a Go string
// passed as a _GoString_: C may not keep it, and a string value cannot
// be pinned.
func (fc *funcCheck) keepsGoString(ev *model.Event, i int) bool {
	if ev.Decl == nil || i >= len(ev.Decl.Params) || !isGoStringParam(ev.Decl.Params[i]) {
		return false
	}
	if k, _ := fc.res.Bridge.KeepsValue(ev.Callee.Name, i); k != bridge.Yes {
		return true
	}
	fc.report(analysis.Diagnostic{
		Pos:      ev.Pos,
		Category: "string-kept",
		Message: fmt.Sprintf("%s keeps the data of the Go string it receives as argument %d after the call returns: C may not keep Go string data, and a string cannot be pinned; pass a C copy (C.CString) and free it when C is done with it",
			ev.Callee.UserName(), i+1),
	})
	return true
}

// isGoStringParam reports a C parameter of cgo's type _GoString_.
func isGoStringParam(p *bridge.Param) bool {
	if p.Type == nil {
		return false
	}
	if d := p.Type.Typedef(); d != nil && d.Name() == "_GoString_" {
		return true
	}
	return false
}
