package cgohandle

import (
	_ "embed"
	"fmt"
	"go/token"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkdoc"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"modernc.org/cc/v4"
)

//go:embed doc.go
var doc string

// Analyzer is the cgohandle check.
var Analyzer = &analysis.Analyzer{
	Name:     "cgohandle",
	Doc:      checkdoc.Extract(doc, "cgohandle"),
	URL:      "https://github.com/ffivet/ffivet/blob/main/docs/checks/cgohandle.md",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[model.Analyzer].(*model.Result)
	if !res.Active() || !res.Cgo {
		return nil, nil
	}
	c := &checker{pass: pass, res: res, reported: map[string]bool{}}
	c.deleters = c.exportedDeleters()
	for _, fn := range res.Funcs {
		if model.IsCgoGenerated(fn) {
			continue
		}
		c.function(fn)
	}
	return nil, nil
}

type checker struct {
	pass     *analysis.Pass
	res      *model.Result
	reported map[string]bool
	// deleters lists the exported functions that delete a handle: C
	// hands handles back to them.
	deleters map[string]bool
}

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

func (c *checker) function(fn *ssa.Function) {
	f := c.res.Function(fn)
	mem := model.NewMemory(f)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !isHandleFunc(call.Call.StaticCallee(), "NewHandle") {
				continue
			}
			c.follow(f, mem, call)
		}
	}
	for _, ev := range f.Events() {
		if ev.Callee.Kind == bridge.CBuiltin {
			continue
		}
		for i := range ev.Args {
			c.handleAddress(mem, ev, i)
		}
	}
}

// handle states.
const (
	live = iota
	deleted
)

// protocol follows one handle.
type protocol struct {
	c     *checker
	mem   *model.Memory
	born  *ssa.Call
	leak  token.Pos // the return of the first path that leaks
	given token.Pos // where it was given to C on that path
	to    string    // the C function it was given to
	calls map[token.Pos]string
	kept  map[token.Pos]bool // the C function keeps it for sure
}

func (p *protocol) Call(s model.TState, site model.CallSite) (model.TState, model.Outcome) {
	if ev := site.Event; ev != nil {
		// Given to C. If C hands it to an exported function that deletes
		// handles, the handle's life continues there.
		for _, g := range ev.Summary.CallsGo {
			if p.c.deleters[g] {
				return s, model.Escape
			}
		}
		switch p.c.cKeeps(ev, site.Arg) {
		case bridge.No:
			return s, model.Known // used during the call only
		case bridge.Yes:
			p.kept[site.Pos] = true
		}
		if s.Aux == token.NoPos {
			s.Aux = site.Pos
			p.calls[site.Pos] = ev.Callee.UserName()
		}
		return s, model.Known
	}
	fn := site.Callee()
	switch {
	case isHandleFunc(fn, "Delete") && site.Arg == 0:
		if s.Kind == deleted {
			again := fmt.Sprintf("again at line %d", checkutil.Line(p.c.pass.Fset, site.Pos))
			if site.Deferred {
				again += ", by a deferred call"
			}
			p.c.report(analysis.Diagnostic{
				Pos:      site.Pos,
				Category: "double-delete",
				Message:  fmt.Sprintf("the handle from cgo.NewHandle at line %d is deleted twice: at line %d and %s; Delete panics on a deleted handle; delete it once", checkutil.Line(p.c.pass.Fset, p.born.Pos()), checkutil.Line(p.c.pass.Fset, s.At), again),
				Related:  []analysis.RelatedInformation{{Pos: s.At, Message: "first deleted here"}},
			})
			return s, model.Known
		}
		return model.TState{Kind: deleted, At: site.Pos, Aux: s.Aux}, model.Known
	case isHandleFunc(fn, "Value") && site.Arg == 0:
		if s.Kind == deleted {
			p.c.report(analysis.Diagnostic{
				Pos:      site.Pos,
				Category: "use-after-delete",
				Message:  fmt.Sprintf("Value of the handle from cgo.NewHandle at line %d is called after it was deleted at line %d; Value panics on a deleted handle; delete it after its last use", checkutil.Line(p.c.pass.Fset, p.born.Pos()), checkutil.Line(p.c.pass.Fset, s.At)),
				Related:  []analysis.RelatedInformation{{Pos: s.At, Message: "deleted here"}},
			})
		}
		return s, model.Known
	}
	return s, model.Follow
}

func (p *protocol) Store(s model.TState, st *ssa.Store) (model.TState, model.Outcome) {
	locs := p.mem.PointsTo(st.Addr)
	if len(locs) == 0 {
		return s, model.Escape
	}
	for _, l := range locs {
		if !l.Site.Region.IsC() {
			// Stored in Go memory: its new owner deletes it.
			return s, model.Escape
		}
	}
	if s.Aux == token.NoPos {
		s.Aux = st.Pos()
		p.calls[st.Pos()] = "C memory"
	}
	return s, model.Known
}

func (p *protocol) Exit(s model.TState, ret token.Pos) {
	if s.Kind != live || p.leak.IsValid() {
		return
	}
	if s.Aux.IsValid() && len(p.c.deleters) > 0 {
		return // an exported callback deletes handles C gives back
	}
	p.leak, p.given = ret, s.Aux
	p.to = p.calls[s.Aux]
}

// follow explores the handle made by a call of cgo.NewHandle.
func (c *checker) follow(f *model.Function, mem *model.Memory, born *ssa.Call) {
	p := &protocol{c: c, mem: mem, born: born, calls: map[token.Pos]string{}, kept: map[token.Pos]bool{}}
	if !f.Explore(model.Start{After: born, Value: born, State: model.TState{Kind: live}}, p) || !p.leak.IsValid() {
		return
	}
	d := analysis.Diagnostic{Pos: born.Pos()}
	if p.given.IsValid() {
		to := p.to
		switch {
		case to == "C memory":
			to = "C (stored into C memory)"
		case p.kept[p.given]:
			to += ", which keeps it,"
		}
		d.Category = "never-deleted"
		d.Message = fmt.Sprintf("the handle from cgo.NewHandle at line %d is given at line %d to %s and never deleted: no exported Go function deletes handles, so its value is never released; delete it in the callback C calls when it is done (cgo.Handle(h).Delete()), or here once C no longer uses it",
			checkutil.Line(c.pass.Fset, born.Pos()), checkutil.Line(c.pass.Fset, p.given), to)
		d.Related = []analysis.RelatedInformation{{Pos: p.given, Message: "given to C here"}}
	} else {
		d.Category = "leak"
		d.Message = fmt.Sprintf("the handle from cgo.NewHandle at line %d is not deleted on the path that returns at line %d, so its value is never released; call Delete on every path, for example with defer h.Delete()",
			checkutil.Line(c.pass.Fset, born.Pos()), checkutil.Line(c.pass.Fset, p.leak))
		d.Related = []analysis.RelatedInformation{{Pos: p.leak, Message: "returns here without deleting the handle"}}
	}
	c.report(d)
}

// handleAddress reports the address of a handle variable passed to a C
// function that keeps it: C then holds a pointer into Go memory. Passed
// to a function that only uses it during the call, it is the pattern the
// runtime/cgo documentation shows, and fine.
func (c *checker) handleAddress(mem *model.Memory, ev *model.Event, i int) {
	if !model.KeepsArg(ev, i) {
		return
	}
	for _, l := range mem.ArgPointsTo(ev, i) {
		if l.Path != "" || !checkutil.IsHandle(l.Site.Type) {
			continue
		}
		c.report(analysis.Diagnostic{
			Pos:      ev.Pos,
			Category: "handle-address-kept",
			Message: fmt.Sprintf("%s keeps the pointer it receives, the address of %s, which holds a cgo.Handle: C then holds a pointer to Go memory after the call returns; pass the handle's value instead, as C.uintptr_t(h), and declare the C parameter uintptr_t",
				ev.Callee.UserName(), l.Site.What),
		})
		return
	}
}

// cKeeps tells whether the C function of ev keeps its argument i after
// the call: a pointer by its summary, an integer (the handle's value) by
// reading its body.
func (c *checker) cKeeps(ev *model.Event, i int) bridge.Tristate {
	if ev.Decl != nil && i < len(ev.Decl.Params) && ev.Decl.Params[i].Type != nil && ev.Decl.Params[i].Type.Kind() != cc.Ptr {
		k, _ := c.res.Bridge.KeepsValue(ev.Callee.Name, i)
		return k
	}
	e := ev.Summary.Effect(i)
	switch {
	case model.KeepsArg(ev, i):
		return bridge.Yes
	case e&bridge.EffectUnknown == 0 && e&bridge.Borrows != 0:
		return bridge.No
	}
	return bridge.Unknown
}

// exportedDeleters lists the exported functions that delete a handle,
// themselves or through a function of the package they call.
func (c *checker) exportedDeleters() map[string]bool {
	out := map[string]bool{}
	if c.res.Bridge == nil {
		return out
	}
	for _, fn := range c.res.Funcs {
		if fn.Parent() != nil || fn.Signature.Recv() != nil {
			continue
		}
		if _, ok := c.res.Bridge.Exports[fn.Name()]; !ok {
			continue
		}
		if deletes(fn, c.res.SSA, 0) {
			out[fn.Name()] = true
		}
	}
	return out
}

// deletes reports whether fn calls cgo.Handle.Delete, directly or in a
// function of pkg it calls.
func deletes(fn *ssa.Function, pkg *ssa.Package, depth int) bool {
	if depth > 2 {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			callee := call.Common().StaticCallee()
			if isHandleFunc(callee, "Delete") {
				return true
			}
			if callee != nil && (callee.Pkg == pkg || callee.Parent() != nil) && callee != fn && deletes(callee, pkg, depth+1) {
				return true
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if deletes(anon, pkg, depth+1) {
			return true
		}
	}
	return false
}

// isHandleFunc reports whether fn is cgo.NewHandle or a method of
// cgo.Handle with the given name.
func isHandleFunc(fn *ssa.Function, name string) bool {
	if fn == nil || fn.Name() != name || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "runtime/cgo" {
		return false
	}
	if name == "NewHandle" {
		return fn.Signature.Recv() == nil
	}
	return fn.Signature.Recv() != nil && checkutil.IsHandle(fn.Signature.Recv().Type())
}
