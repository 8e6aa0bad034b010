package cgopointer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// pinners checks runtime.Pinner: Pin of values that are not pointers,
// and local Pinners still pinned when the function returns.
func (fc *funcCheck) pinners() {
	for _, p := range fc.mem.Pins() {
		fc.pinArgument(p)
	}
	for _, b := range fc.fn.Blocks {
		for _, instr := range b.Instrs {
			a, ok := instr.(*ssa.Alloc)
			if !ok || !model.IsPinnerType(a.Type()) {
				continue
			}
			fc.pinnerLeak(a)
		}
	}
}

// pinArgument reports Pin of a value that is not a pointer: Pin panics.
func (fc *funcCheck) pinArgument(p *model.Pin) {
	mi, ok := p.Call.Call.Args[1].(*ssa.MakeInterface)
	if !ok {
		return
	}
	t := mi.X.Type()
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return
	case *types.Basic:
		if u.Kind() == types.UnsafePointer {
			return
		}
	}
	hint := "pass a pointer to the memory to pin"
	switch u := t.Underlying().(type) {
	case *types.Slice:
		hint = "pin the slice's backing array: unsafe.SliceData(s) or &s[0]"
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			hint = "pin the string's bytes: unsafe.StringData(s)"
		}
	case *types.Struct, *types.Array:
		hint = "pin the address of the variable instead: &v"
	}
	fc.report(analysis.Diagnostic{
		Pos:      p.Call.Pos(),
		Category: "pin-not-pointer",
		Message:  fmt.Sprintf("runtime.Pinner.Pin receives a %s, which is not a pointer: Pin panics at run time (argument is not a pointer); %s", checkutil.TypeString(t, fc.pass.Pkg), hint),
	})
}

// pinner states.
const (
	pinEmpty = iota
	pinPinned
)

// pinProtocol follows a local Pinner: pinned by Pin, emptied by Unpin.
type pinProtocol struct {
	fc       *funcCheck
	leak     *token.Pos // the return of the first leaking path
	pinnedAt token.Pos
}

func (p *pinProtocol) Call(s model.TState, site model.CallSite) (model.TState, model.Outcome) {
	if site.Event != nil {
		return s, model.Escape
	}
	fn := site.Callee()
	switch {
	case model.IsPinnerMethod(fn, "Pin") && site.Arg == 0:
		if site.Deferred {
			return s, model.Known
		}
		if s.Kind != pinPinned {
			return model.TState{Kind: pinPinned, At: site.Pos}, model.Known
		}
		return s, model.Known
	case model.IsPinnerMethod(fn, "Unpin") && site.Arg == 0:
		return model.TState{Kind: pinEmpty}, model.Known
	}
	return s, model.Follow
}

func (p *pinProtocol) Store(s model.TState, st *ssa.Store) (model.TState, model.Outcome) {
	return s, model.Escape
}

func (p *pinProtocol) Exit(s model.TState, ret token.Pos) {
	if s.Kind == pinPinned && p.leak == nil {
		r := ret
		p.leak = &r
		p.pinnedAt = s.At
	}
}

// pinnerLeak follows a Pinner declared in the function and reports a
// path that returns while it is still pinned: the Pinner is dropped with
// pinned memory, and the collector panics when it finds it.
func (fc *funcCheck) pinnerLeak(a *ssa.Alloc) {
	proto := &pinProtocol{fc: fc}
	if !fc.f.Explore(model.Start{After: a, Value: a, State: model.TState{Kind: pinEmpty}}, proto) || proto.leak == nil {
		return
	}
	name := fc.allocName(a)
	d := analysis.Diagnostic{Pos: proto.pinnedAt, Category: "pinner-not-unpinned"}
	if keeper := fc.keptBy(a); keeper != "" {
		d.Message = fmt.Sprintf("%s pins memory at line %d that %s keeps, but it is a local variable still pinned when the function returns at line %d: the collector panics when it finds a dropped Pinner that still pins (forgot to call Unpin); keep the Pinner in a value that lives as long as C uses the memory, and Unpin it then",
			name, checkutil.Line(fc.pass.Fset, proto.pinnedAt), keeper, checkutil.Line(fc.pass.Fset, *proto.leak))
	} else {
		d.Message = fmt.Sprintf("%s pins memory at line %d and is still pinned on the path that returns at line %d: the collector panics when it finds a dropped Pinner that still pins (forgot to call Unpin); call %s.Unpin() on every path, for example with defer",
			name, checkutil.Line(fc.pass.Fset, proto.pinnedAt), checkutil.Line(fc.pass.Fset, *proto.leak), name)
		if fix := fc.deferUnpinFix(a, name); fix != nil {
			d.Message = fmt.Sprintf("%s pins memory at line %d and is still pinned on the path that returns at line %d: the collector panics when it finds a dropped Pinner that still pins (forgot to call Unpin); add `defer %s.Unpin()` after its declaration",
				name, checkutil.Line(fc.pass.Fset, proto.pinnedAt), checkutil.Line(fc.pass.Fset, *proto.leak), name)
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	d.Related = []analysis.RelatedInformation{{Pos: *proto.leak, Message: "returns here with the Pinner still pinned"}}
	fc.report(d)
}

// keptBy names a C function that keeps memory the Pinner pins.
func (fc *funcCheck) keptBy(a *ssa.Alloc) string {
	for _, p := range fc.mem.Pins() {
		if localPinner(p.Pinner) != a {
			continue
		}
		for _, s := range p.Sites {
			if k := fc.kept[s]; k != "" {
				return k
			}
		}
	}
	return ""
}

// deferUnpinFix inserts `defer name.Unpin()` after the Pinner's
// declaration when it is a statement of the function body itself (not
// in a loop or branch) and declares only the Pinner.
func (fc *funcCheck) deferUnpinFix(a *ssa.Alloc, name string) *analysis.SuggestedFix {
	if strings.HasPrefix(name, "the ") {
		return nil
	}
	body := checkutil.Body(fc.fn)
	if body == nil {
		return nil
	}
	for i, stmt := range body.List {
		if !declares(stmt, name) {
			continue
		}
		if i+1 >= len(body.List) {
			return nil
		}
		return &analysis.SuggestedFix{
			Message:   fmt.Sprintf("unpin %s when the function returns", name),
			TextEdits: []analysis.TextEdit{checkutil.InsertBefore(fc.pass.Fset, body.List[i+1], "defer "+name+".Unpin()")},
		}
	}
	return nil
}

// declares reports whether stmt declares exactly the variable name.
func declares(stmt ast.Stmt, name string) bool {
	switch s := stmt.(type) {
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return false
		}
		vs, ok := gd.Specs[0].(*ast.ValueSpec)
		return ok && len(vs.Names) == 1 && vs.Names[0].Name == name
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != 1 {
			return false
		}
		id, ok := s.Lhs[0].(*ast.Ident)
		return ok && id.Name == name
	}
	return false
}

// allocName is the name of the variable an allocation initializes:
// the variable itself, or x in x := new(T) and x := &T{}.
func (fc *funcCheck) allocName(a *ssa.Alloc) string {
	switch a.Comment {
	case "", "new", "complit":
	default:
		return a.Comment
	}
	name := "the Pinner"
	if syn := fc.fn.Syntax(); syn != nil {
		ast.Inspect(syn, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
				return true
			}
			if id, ok := as.Lhs[0].(*ast.Ident); ok && as.Rhs[0].Pos() <= a.Pos() && a.Pos() < as.Rhs[0].End() {
				name = id.Name
				return false
			}
			return true
		})
	}
	return name
}
