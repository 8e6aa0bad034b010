package cgoalloc

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkdoc"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer is the cgoalloc check.
var Analyzer = &analysis.Analyzer{
	Name:     "cgoalloc",
	Doc:      checkdoc.Extract(doc, "cgoalloc"),
	URL:      "https://github.com/ffivet/ffivet/blob/main/docs/checks/cgoalloc.md",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[model.Analyzer].(*model.Result)
	if !res.Active() {
		return nil, nil
	}
	c := &checker{pass: pass, res: res}
	for _, fn := range res.Funcs {
		if model.IsCgoGenerated(fn) {
			continue
		}
		c.function(fn)
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	res  *model.Result
}

// A result is one finding with what explains it.
type result struct {
	obj   *model.Object
	trace *model.Trace
	fd    *model.Finding
}

func (c *checker) function(fn *ssa.Function) {
	f := c.res.Function(fn)
	var results []result
	for _, obj := range f.Objects() {
		t := f.Track(obj)
		for _, fd := range t.Findings {
			results = append(results, result{obj, t, fd})
		}
	}
	results = c.deferReassign(fn, results)
	results = c.deferNil(f, results)
	for _, r := range results {
		c.report(f, r.obj, r.trace, r.fd)
	}
	c.storedThenFreed(f)
	c.deferredSlice(f)
	c.methodFrees(f)
	c.finalizerFrees(f)
	var mem *model.Memory
	for _, ev := range f.Events() {
		c.inlineAllocs(f, ev)
		if mem == nil {
			mem = model.NewMemory(f)
		}
		c.notOwned(f, mem, ev)
	}
}

func (c *checker) report(f *model.Function, obj *model.Object, t *model.Trace, fd *model.Finding) {
	fn := f.Fn
	what := fmt.Sprintf("memory from %s at line %d", obj.What, checkutil.Line(c.pass.Fset, obj.Pos))
	dealloc := "C.free"
	if obj.Alloc != nil && obj.Alloc.Dealloc != "" {
		dealloc = "C." + obj.Alloc.Dealloc
	}
	d := analysis.Diagnostic{Pos: fd.Pos}
	switch fd.Kind {
	case model.Leak:
		d.Category = "leak"
		d.Message = fmt.Sprintf("%s leaks on the path that returns at line %d; release it with %s on that path", what, checkutil.Line(c.pass.Fset, fd.Other), dealloc)
		d.Related = []analysis.RelatedInformation{{Pos: fd.Other, Message: "the path that leaks returns here"}}
		if fix := c.deferFix(fn, obj, t); fix != nil {
			d.Message = fmt.Sprintf("%s leaks on the path that returns at line %d; add `%s` after the allocation", what, checkutil.Line(c.pass.Fset, fd.Other), fix.TextEdits[0].NewText[:strings.IndexByte(string(fix.TextEdits[0].NewText), '\n')])
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	case model.LeakLoop:
		d.Category = "leak-in-loop"
		d.Message = fmt.Sprintf("%s leaks when the loop at line %d starts its next iteration; release it with %s before the iteration ends", what, checkutil.Line(c.pass.Fset, fd.Other), dealloc)
	case model.LeakInline:
		d.Category = "leak-inline"
		d.Message = fmt.Sprintf("%s is passed to %s, which does not take ownership, and is never freed; assign it to a variable and release it with %s", what, fd.Callee, dealloc)
	case model.DoubleFree:
		again := fmt.Sprintf("again at line %d", checkutil.Line(c.pass.Fset, fd.Pos))
		if fd.Deferred {
			again += ", by a deferred call"
		}
		d.Category = "double-free"
		d.Message = fmt.Sprintf("%s is freed twice: at line %d and %s; remove one of the frees", what, checkutil.Line(c.pass.Fset, fd.Other), again)
		d.Related = []analysis.RelatedInformation{{Pos: fd.Other, Message: "first freed here"}}
	case model.UseAfterFree:
		d.Category = "use-after-free"
		d.Message = fmt.Sprintf("%s is used after it was freed at line %d; move the free after the last use", what, checkutil.Line(c.pass.Fset, fd.Other))
		d.Related = []analysis.RelatedInformation{{Pos: fd.Other, Message: "freed here"}}
	case model.FreeTaken:
		d.Category = "free-not-owned"
		d.Message = fmt.Sprintf("freeing memory not owned by this code: %s took ownership of it at line %d; do not free it here", fd.Callee, checkutil.Line(c.pass.Fset, fd.Other))
	case model.WrongDealloc:
		d.Category = "wrong-deallocator"
		d.Message = fmt.Sprintf("%s is released with %s; release it with %s", what, fd.Callee, dealloc)
	default:
		return
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: obj.Pos, Message: "allocated here by " + obj.What})
	d.Pos = f.CallStart(d.Pos)
	for i := range d.Related {
		d.Related[i].Pos = f.CallStart(d.Related[i].Pos)
	}
	c.pass.Report(d)
}

// inlineAllocs reports C memory allocated inside cgo's wrapper as an
// argument (C.f(C.CString(s))) and handed to a function that only reads
// it. In the raw shape the same code is tracked like any allocation.
func (c *checker) inlineAllocs(f *model.Function, ev *model.Event) {
	for i, a := range ev.Args {
		if a.Kind != model.RefInner || a.Inner == nil || a.Inner.Summary.ReturnsOwned == nil {
			continue
		}
		if model.CAction(ev, i) != model.ActUse {
			continue
		}
		pos := f.CallStart(a.Inner.Pos)
		c.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: "leak-inline",
			Message: fmt.Sprintf("memory from %s at line %d is passed to %s, which does not take ownership, and is never freed; assign it to a variable and release it with C.%s",
				a.Inner.Callee.UserName(), checkutil.Line(c.pass.Fset, pos), ev.Callee.UserName(), a.Inner.Summary.ReturnsOwned.Dealloc),
		})
	}
}

// notOwned reports frees of memory this code does not own: Go memory,
// and memory a C function returned borrowed. Only a definite origin
// counts.
func (c *checker) notOwned(f *model.Function, mem *model.Memory, ev *model.Event) {
	if ev.AtExit && ev.DeferredValue != nil && ev.DeferInstr == nil {
		return
	}
	for i := range ev.Args {
		if ev.Summary.Effect(i)&bridge.Frees == 0 {
			continue
		}
		o := mem.ArgOrigin(ev, i)
		switch {
		case o == nil:
		case o.Region == model.RegionCBorrowed:
			c.pass.Report(analysis.Diagnostic{
				Pos:      f.CallStart(ev.Pos),
				Category: "free-not-owned",
				Message: fmt.Sprintf("freeing memory not owned by this code: %s returned it at line %d and the C library owns it; do not free it",
					o.Event.Callee.UserName(), checkutil.Line(c.pass.Fset, o.Pos)),
			})
		case o.Region.IsGo():
			pos := o.Pos
			if pos == token.NoPos {
				pos = ev.Pos
			}
			c.pass.Report(analysis.Diagnostic{
				Pos:      f.CallStart(ev.Pos),
				Category: "free-not-owned",
				Message: fmt.Sprintf("freeing memory not owned by this code: it is Go memory from line %d; only C memory can be released with %s",
					checkutil.Line(c.pass.Fset, pos), ev.Callee.UserName()),
			})
		}
	}
}

// deferFix builds the suggested fix for a leak: insert a deferred free
// right after the allocating statement. It is offered only when that
// frees the object on every path and nothing else does: the object is
// never freed, returned or handed elsewhere, the allocation is a plain
// `x := C.alloc(...)` statement outside loops, the deallocator is free,
// and the file imports unsafe.
func (c *checker) deferFix(fn *ssa.Function, obj *model.Object, t *model.Trace) *analysis.SuggestedFix {
	if t.Freed || t.Returned || t.Escaped || obj.Alloc == nil || obj.Alloc.Dealloc != "free" || obj.Kind != model.FromAllocation {
		return nil
	}
	if !strings.HasPrefix(obj.What, "C.") {
		return nil
	}
	if len(t.Findings) != 1 {
		return nil
	}
	body := checkutil.Body(fn)
	if body == nil {
		return nil
	}
	// Only top-level statements of the function body: a defer inside a
	// loop or a branch would not free on every path.
	for i, stmt := range body.List {
		as, ok := stmt.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !(as.Pos() <= obj.Pos && obj.Pos < as.End()) {
			continue
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok || id.Name == "_" || strings.HasPrefix(id.Name, "_cgo") {
			return nil
		}
		if _, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); !isCall {
			return nil // b := cbuf{p: C.CString(s)}: the memory is in a field of b
		}
		if i+1 >= len(body.List) {
			return nil
		}
		if !importsUnsafe(c.pass, as.Pos()) {
			return nil
		}
		arg := "unsafe.Pointer(" + id.Name + ")"
		if v, ok := c.pass.TypesInfo.Uses[id]; ok && checkutil.IsUnsafePointer(v.Type()) {
			arg = id.Name
		} else if v, ok := c.pass.TypesInfo.Defs[id]; ok && v != nil && checkutil.IsUnsafePointer(v.Type()) {
			arg = id.Name
		}
		return &analysis.SuggestedFix{
			Message:   fmt.Sprintf("free %s with a deferred C.free", id.Name),
			TextEdits: []analysis.TextEdit{checkutil.InsertBefore(c.pass.Fset, body.List[i+1], "defer C.free("+arg+")")},
		}
	}
	return nil
}

func importsUnsafe(pass *analysis.Pass, pos token.Pos) bool {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			for _, imp := range f.Imports {
				if imp.Path.Value == `"unsafe"` && (imp.Name == nil || imp.Name.Name == "unsafe") {
					return true
				}
			}
		}
	}
	return false
}
