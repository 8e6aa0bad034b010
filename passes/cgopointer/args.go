package cgopointer

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// arg checks argument i of a C call.
func (fc *funcCheck) arg(ev *model.Event, i int) {
	if fc.keepsGoString(ev, i) {
		return
	}
	if ip := fc.mem.ArgIntPointer(ev, i); ip.Laundered {
		fc.laundered(ev, ip)
		return
	} else if ip.Int != nil {
		fc.fakePointer(ev, ip.Int)
		return
	}
	locs := fc.mem.ArgPointsTo(ev, i)
	if len(locs) == 0 {
		return
	}
	// Only memory that is Go memory on every path counts.
	for _, l := range locs {
		if !l.Site.Region.IsGo() {
			return
		}
	}
	if model.KeepsArg(ev, i) {
		fc.keeps(ev, i, locs[0])
		return
	}
	// The array an append may allocate is named last: the allocation the
	// user wrote says more.
	sort.SliceStable(locs, func(a, b int) bool { return !isAppend(locs[a].Site) && isAppend(locs[b].Site) })
	for _, l := range locs {
		if fc.holdsGoPointers(ev, i, l) {
			return
		}
	}
	fc.precomputed(ev, i, locs[0])
}

// holdsGoPointers reports Go memory passed to C that holds unpinned Go
// pointers, as the cgo rules define the memory passed: the whole
// allocation for a pointer to it, the array for a pointer to an element,
// the field for a pointer to a field.
func (fc *funcCheck) holdsGoPointers(ev *model.Event, i int, l model.Loc) bool {
	extent := ruleExtent(l.Path)
	held := fc.unpinned(fc.mem.GoPointersIn(l.Site, extent), ev.Instr)
	if len(held) == 0 {
		return false
	}
	what := fc.siteText(l.Site)
	if extent != "" {
		what = fmt.Sprintf("%s of %s", model.PathString(l.Site.Type, extent), what)
	}
	msg := fmt.Sprintf("%s receives Go memory that holds Go pointers: %s, where %s; cgo's check panics (Go pointer to unpinned Go pointer) and C may see memory the collector moves or frees; %s",
		ev.Callee.UserName(), what, fc.heldText(held[0], l.Site), remedy(l, held[0]))
	d := analysis.Diagnostic{Pos: ev.Pos, Category: "go-pointers-passed", Message: msg}
	if l.Site.Pos.IsValid() {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: l.Site.Pos, Message: "the Go memory passed to C"})
	}
	if h := held[0]; h.Store != nil && h.Store.Pos().IsValid() {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: h.Store.Pos(), Message: "the Go pointer is stored here"})
	}
	fc.report(d)
	return true
}

// remedy says how to fix memory that holds Go pointers.
func remedy(l model.Loc, h model.Held) string {
	switch {
	case l.Site.Array && h.Target != nil:
		return "build the array in C memory (C.malloc) with C copies of the data (C.CString, C.CBytes), or pin what its elements point to with a runtime.Pinner until the call returns"
	case h.Target != nil:
		return "pass C memory holding C copies of the data, or pin what it points to with a runtime.Pinner until the call returns"
	}
	return "pass C only the data it needs, in C memory or in Go memory without Go pointers, and a cgo.Handle for the Go value"
}

// ruleExtent is the memory the cgo rules consider passed for a pointer
// at path: the array holding an element, the field, or the whole
// allocation.
func ruleExtent(path string) string {
	switch {
	case path == "*":
		return ""
	case strings.HasSuffix(path, "[]"):
		return strings.TrimSuffix(path, "[]")
	}
	return path
}

// unpinned drops the Go pointers whose memory is pinned before at.
func (fc *funcCheck) unpinned(held []model.Held, at ssa.Instruction) []model.Held {
	var out []model.Held
	for _, h := range held {
		if h.Target != nil && fc.pinned(h.Target, at) != nil {
			continue
		}
		if h.Target == nil && len(fc.mem.Pins()) > 0 {
			// Known from the type only: the pinned objects cannot be
			// matched, so any Pinner in the function may cover them.
			continue
		}
		out = append(out, h)
	}
	return out
}

// precomputed reports a pointer into the middle of an allocation passed
// through a variable: cgo checks the whole allocation then, and panics
// if other parts of it hold Go pointers, although the rules (and the
// check, had the expression been written in the call) consider only the
// array or field.
func (fc *funcCheck) precomputed(ev *model.Event, i int, l model.Loc) {
	if l.Path == "" || l.Path == "*" || fc.f.PointerCheck(ev, i) != model.CheckAllocation {
		return
	}
	held := fc.unpinned(fc.mem.GoPointersIn(l.Site, ""), ev.Instr)
	unknown := len(held) == 0 && fc.foreignArray(l)
	if len(held) == 0 && !unknown {
		return
	}
	def := fc.addressDefinition(ev, i)
	expr := "the address"
	if def != nil {
		expr = def.text
	}
	var msg string
	if unknown {
		msg = fmt.Sprintf("the pointer passed to %s is %s, computed before the call, so cgo checks the whole allocation it points into, not just the backing array of %s; that array comes from the caller and may sit inside a struct that holds Go pointers (a field array sliced by its owner, a bytes.Buffer's), and then the call panics; write the address expression in the call itself, after checking the slice is not empty",
			ev.Callee.UserName(), expr, fc.siteText(l.Site))
	} else {
		what := model.PathString(l.Site.Type, ruleExtent(l.Path))
		msg = fmt.Sprintf("the pointer passed to %s is %s, computed before the call, so cgo checks the whole allocation it points into, %s, not just %s; that allocation holds Go pointers (%s), so the call panics; write the address expression in the call itself",
			ev.Callee.UserName(), expr, fc.siteText(l.Site), what, fc.heldText(held[0], l.Site))
	}
	d := analysis.Diagnostic{Pos: ev.Pos, Category: "address-before-call", Message: msg}
	if def != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: def.assign.Pos(), Message: "the address is computed here"})
		if fix := fc.inlineFix(def); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	fc.report(d)
}

// laundered reports a Go pointer converted to an integer for a C call.
func (fc *funcCheck) laundered(ev *model.Event, ip model.IntPointer) {
	var goSite *model.Site
	for _, l := range ip.Locs {
		if !l.Site.Region.IsGo() {
			return
		}
		if goSite == nil {
			goSite = l.Site
		}
	}
	if goSite == nil {
		return
	}
	extra := ""
	if held := fc.mem.GoPointersIn(goSite, ""); len(held) > 0 {
		extra = fmt.Sprintf(", which holds Go pointers (%s),", fc.heldText(held[0], goSite))
	}
	fc.report(analysis.Diagnostic{
		Pos:      ev.Pos,
		Category: "pointer-as-integer",
		Message: fmt.Sprintf("a Go pointer to %s%s is converted to an integer and passed to %s: cgo's pointer check and the garbage collector no longer see it; pass it as a pointer to Go memory without Go pointers, or use C memory",
			fc.siteText(goSite), extra, ev.Callee.UserName()),
	})
}

// fakePointer reports an integer passed to C as an unsafe.Pointer.
func (fc *funcCheck) fakePointer(ev *model.Event, n ssa.Value) {
	name := fmt.Sprintf("an integer (%s)", checkutil.TypeString(n.Type(), fc.pass.Pkg))
	if checkutil.IsHandle(n.Type()) {
		name = "a cgo.Handle"
	}
	fc.report(analysis.Diagnostic{
		Pos:      ev.Pos,
		Category: "integer-as-pointer",
		Message: fmt.Sprintf("%s receives %s converted to unsafe.Pointer: a pointer that points nowhere valid may crash the garbage collector; pass a cgo.Handle as C.uintptr_t, and declare the C parameter uintptr_t",
			ev.Callee.UserName(), name),
	})
}

func isAppend(s *model.Site) bool {
	c, ok := s.Value.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := c.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "append"
}

// foreignArray reports a pointer to an element of a slice's backing
// array that the function did not allocate (a parameter, a field, a
// result of another function): the array may be part of a larger
// allocation, such as an array field of a struct sliced by its owner,
// and cgo's whole-allocation check then covers the struct. A slice the
// function makes itself is its own allocation, and memory pinned in the
// function may be that struct.
func (fc *funcCheck) foreignArray(l model.Loc) bool {
	s := l.Site
	if !s.Array || s.Local || !s.Region.IsGo() || !strings.HasPrefix(l.Path, "[]") || len(fc.mem.Pins()) > 0 {
		return false
	}
	if _, isSlice := s.Type.Underlying().(*types.Slice); !isSlice {
		return false
	}
	return fc.mayBeForeignView(s.Value)
}

// mayBeForeignView reports whether a slice the function did not make
// comes from code known to hand out slices of its own arrays. A plain
// []byte parameter or a struct's slice field is nearly always a buffer
// of its own, and asking every caller to prove otherwise costs more than
// the rare panic it prevents: ffivet stays silent there. It reports:
//
//   - the parameter of a Read, Write, ReadAt or WriteAt method: io's
//     callers (bufio, compress/flate, io.Copy) pass slices of the arrays
//     inside their own structs;
//   - a slice returned by a function of another package (bytes.Buffer's
//     Bytes, json.Marshal's encoder buffer), whose body is not followed;
//   - a slice taken out of an interface, which anyone may have made.
func (fc *funcCheck) mayBeForeignView(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Parameter:
		fn := v.Parent()
		if fn == nil || fn.Signature.Recv() == nil {
			return false
		}
		switch fn.Name() {
		case "Read", "Write", "ReadAt", "WriteAt":
			return v == fn.Params[1]
		}
		return false
	case *ssa.Call:
		// A call through a function value or an interface could be to
		// anything, this package's own helpers included: silent.
		callee := v.Call.StaticCallee()
		return callee != nil && callee.Pkg != nil && callee.Pkg.Pkg != fc.pass.Pkg
	case *ssa.TypeAssert:
		return true
	case *ssa.Extract:
		return fc.mayBeForeignView(v.Tuple)
	}
	return false
}
