package cgopointer

import (
	_ "embed"
	"fmt"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkdoc"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer is the cgopointer check.
var Analyzer = &analysis.Analyzer{
	Name:     "cgopointer",
	Doc:      checkdoc.Extract(doc, "cgopointer"),
	URL:      "https://github.com/ffivet/ffivet/blob/main/docs/checks/cgopointer.md",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[model.Analyzer].(*model.Result)
	if !res.Active() || !res.Cgo {
		return nil, nil
	}
	c := &checker{pass: pass, res: res, reported: map[string]bool{}}
	for _, fn := range res.Funcs {
		if model.IsCgoGenerated(fn) {
			continue
		}
		c.function(fn)
	}
	c.directives()
	return nil, nil
}

type checker struct {
	pass     *analysis.Pass
	res      *model.Result
	reported map[string]bool // position and message, against duplicates
}

// A funcCheck is the state of checking one function.
type funcCheck struct {
	*checker
	fn  *ssa.Function
	f   *model.Function
	mem *model.Memory
	// kept lists the sites a C function keeps, for the Pinner check.
	kept map[*model.Site]string
}

func (c *checker) function(fn *ssa.Function) {
	f := c.res.Function(fn)
	fc := &funcCheck{checker: c, fn: fn, f: f, mem: model.NewMemory(f), kept: map[*model.Site]string{}}
	for _, ev := range f.Events() {
		if ev.Callee.Kind == bridge.CBuiltin {
			continue
		}
		if ev.AtExit && ev.DeferredValue != nil && ev.DeferInstr == nil {
			continue // a function value cgo made that is never deferred
		}
		for i := range ev.Args {
			fc.arg(ev, i)
		}
	}
	fc.stores()
	fc.exported()
	fc.pinners()
}

// report reports a finding once, though several arguments or paths
// may lead to it.
func (c *checker) report(d analysis.Diagnostic) {
	// At the start of C.f(...) in both code shapes, not at the
	// parenthesis SSA gives the call.
	d.Pos = c.res.CallStart(c.pass.Fset, d.Pos)
	for i := range d.Related {
		d.Related[i].Pos = c.res.CallStart(c.pass.Fset, d.Related[i].Pos)
	}
	k := fmt.Sprintf("%d|%s", d.Pos, d.Message)
	if c.reported[k] {
		return
	}
	c.reported[k] = true
	c.pass.Report(d)
}

// siteText names a site with where it comes from: "make([]*C.char, ...)
// (line 12)".
func (c *checker) siteText(s *model.Site) string {
	if s.Pos.IsValid() {
		return fmt.Sprintf("%s (line %d)", s.What, checkutil.Line(c.pass.Fset, s.Pos))
	}
	return s.What
}

// heldText says which Go pointer a site holds: "an element, stored at
// line 15, points into parameter args (line 9)", "field onDone holds a
// Go func".
func (c *checker) heldText(h model.Held, site *model.Site) string {
	where := model.PathString(site.Type, h.Loc.Path)
	if where == "" {
		where = "its content"
		if !site.Array && (kindName(site.Type) == "slice" || kindName(site.Type) == "string") {
			// &buf for &buf[0]: the variable is a slice or string header.
			where = "the " + kindName(site.Type) + " header it holds"
		}
	}
	stored := ""
	if h.Store != nil && h.Store.Pos().IsValid() {
		stored = fmt.Sprintf(", stored at line %d,", checkutil.Line(c.pass.Fset, h.Store.Pos()))
	}
	switch {
	case h.Target != nil:
		return fmt.Sprintf("%s%s points into %s", where, stored, c.siteText(h.Target))
	case stored != "":
		return fmt.Sprintf("%s%s holds a Go %s", where, stored, kindName(h.Slot))
	}
	return fmt.Sprintf("%s holds a Go %s", where, kindName(h.Slot))
}

// kindName says what kind of Go pointer a type is.
func kindName(t types.Type) string {
	if t == nil {
		return "pointer"
	}
	switch u := t.Underlying().(type) {
	case *types.Signature:
		return "func"
	case *types.Map:
		return "map"
	case *types.Chan:
		return "channel"
	case *types.Interface:
		return "interface"
	case *types.Slice:
		return "slice"
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return "string"
		}
	}
	return "pointer"
}

// pinned returns a Pin that pins site before at and is not undone by an
// explicit Unpin in between, or nil.
func (fc *funcCheck) pinned(site *model.Site, at ssa.Instruction) *model.Pin {
	for _, p := range fc.mem.Pins() {
		hit := false
		for _, s := range p.Sites {
			if s == site {
				hit = true
			}
		}
		if !hit || !mayPrecede(p.Call, at) {
			continue
		}
		if fc.unpinnedBetween(p, at) {
			continue
		}
		return p
	}
	return nil
}

// mayPrecede reports whether a may run before b on some path.
func mayPrecede(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil {
		return false
	}
	if ab.Parent() != bb.Parent() {
		return true // b is in a wrapper closure called from a's function
	}
	if ab == bb && index(ab, a) < index(bb, b) {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), ab.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == bb {
			return true
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		work = append(work, x.Succs...)
	}
	return false
}

func index(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, in := range b.Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}

// unpinnedBetween reports an explicit Unpin of p's pinner that runs
// after p and before at on every path.
func (fc *funcCheck) unpinnedBetween(p *model.Pin, at ssa.Instruction) bool {
	atBlock := at.Block()
	if atBlock == nil || atBlock.Parent() != fc.fn {
		return false
	}
	for _, b := range fc.fn.Blocks {
		for i, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !model.IsPinnerMethod(call.Call.StaticCallee(), "Unpin") || len(call.Call.Args) != 1 || !samePinner(call.Call.Args[0], p.Pinner) {
				continue
			}
			before := b.Dominates(atBlock) && (b != atBlock || i < index(b, at))
			after := p.Call.Block().Dominates(b) && (p.Call.Block() != b || index(b, p.Call) < i)
			if before && after {
				return true
			}
		}
	}
	return false
}

// samePinner reports whether two values name the same Pinner.
func samePinner(a, b ssa.Value) bool {
	return pinnerKey(a) == pinnerKey(b)
}

func pinnerKey(v ssa.Value) string {
	switch x := v.(type) {
	case *ssa.Alloc:
		return fmt.Sprintf("alloc%p", x)
	case *ssa.FieldAddr:
		return pinnerKey(x.X) + fmt.Sprintf(".%d", x.Field)
	case *ssa.UnOp:
		return "*" + pinnerKey(x.X)
	case *ssa.Parameter:
		return "param:" + x.Name()
	case *ssa.FreeVar:
		return "fv:" + x.Name()
	case *ssa.Global:
		return "global:" + x.Name()
	}
	return fmt.Sprintf("%p", v)
}

// localPinner returns the variable of a Pinner declared in the function
// itself (var p runtime.Pinner, p := new(runtime.Pinner)), or nil for a
// Pinner that lives in another object.
func localPinner(v ssa.Value) *ssa.Alloc {
	for {
		switch x := v.(type) {
		case *ssa.Alloc:
			if model.IsPinnerType(x.Type()) {
				return x
			}
			return nil
		case *ssa.UnOp:
			// p := new(runtime.Pinner) kept in a variable the wrappers
			// captured.
			a, ok := x.X.(*ssa.Alloc)
			if !ok {
				return nil
			}
			var stored ssa.Value
			for _, r := range *a.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == a {
					if stored != nil {
						return nil
					}
					stored = st.Val
				}
			}
			if stored == nil {
				return nil
			}
			v = stored
		default:
			return nil
		}
	}
}

// pinnerName is how the user calls a Pinner variable.
func pinnerName(v ssa.Value) string {
	if a := localPinner(v); a != nil && a.Comment != "" && a.Comment != "new" && a.Comment != "complit" {
		return a.Comment
	}
	if fa, ok := v.(*ssa.FieldAddr); ok {
		if st, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
			if s, ok := st.Elem().Underlying().(*types.Struct); ok && fa.Field < s.NumFields() {
				return "field " + s.Field(fa.Field).Name()
			}
		}
	}
	return "the Pinner"
}
