package cgosig

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"modernc.org/cc/v4"
)

// Exported Go functions seen from C: hand-written prototypes in the
// package's C, callback types they are registered as, and Go func values
// passed where C wants a function pointer.

// exportHeaderFile is the name positions in the bridge's stand-in for
// _cgo_export.h carry; its prototypes are written from the Go
// signatures, so they are not the user's.
const exportHeaderFile = "_cgo_export.h"

// exports compares every //export function with the prototypes the
// package's C declares for it by hand.
func (c *checker) exports() {
	if len(c.bridge.Exports) == 0 {
		return
	}
	decls := c.exportDecls()
	names := make([]string, 0, len(decls))
	for n := range decls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		fd, fn := decls[name].decl, decls[name].fn
		sig := fn.Type().(*types.Signature)
		file := c.fileName(decls[name].file)
		if file == "" {
			continue
		}
		targets := checkutil.TargetsFor(c.targets, file)
		for _, hd := range c.handDecls(name) {
			diff, on := c.sigDiff(sig, hd.ft, hd.proto, targets)
			if diff == "" {
				continue
			}
			where := fmt.Sprintf("%s:%d", filepath.Base(hd.pos.Filename), hd.pos.Line)
			c.report(fd.Name.Pos(), on, "prototype-mismatch", "exported %s is declared by hand at %s as %s, which disagrees with the Go signature: %s; include \"_cgo_export.h\" instead, or fix the prototype",
				name, where, hd.text, diff)
		}
	}
}

type exportDecl struct {
	decl *ast.FuncDecl
	fn   *types.Func
	file *ast.File
}

// exportDecls finds the type-checked declarations of the //export
// functions among the pass's files.
func (c *checker) exportDecls() map[string]exportDecl {
	out := map[string]exportDecl{}
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Doc == nil {
				continue
			}
			for _, cm := range fd.Doc.List {
				name, ok := strings.CutPrefix(cm.Text, "//export ")
				if !ok {
					continue
				}
				name = strings.TrimSpace(name)
				fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok || c.bridge.Exports[name] == nil {
					continue
				}
				out[name] = exportDecl{fd, fn, f}
			}
		}
	}
	return out
}

type handDecl struct {
	pos   token.Position
	ft    *cc.FunctionType
	proto bool // declares its parameters: not int f()
	text  string
}

// handDecls returns the prototypes of function name that the package's
// C declares itself, each once.
func (c *checker) handDecls(name string) []handDecl {
	var out []handDecl
	seen := map[string]bool{}
	for _, d := range c.bridge.ExportDecls(name) {
		ft := d.Type().(*cc.FunctionType)
		p := d.Position()
		if filepath.Base(p.Filename) == exportHeaderFile || strings.HasPrefix(p.Filename, "<") {
			continue
		}
		key := fmt.Sprintf("%s:%d", p.Filename, p.Line)
		if seen[key] {
			continue
		}
		seen[key] = true
		dd := d.DirectDeclarator
		out = append(out, handDecl{
			pos:   token.Position{Filename: p.Filename, Line: p.Line, Column: p.Column},
			ft:    ft,
			proto: dd == nil || dd.Case != cc.DirectDeclaratorFuncIdent || dd.IdentifierList != nil,
			text:  c.protoString(name, ft),
		})
	}
	return out
}

// protoString spells a C prototype for messages.
func (c *checker) protoString(name string, ft *cc.FunctionType) string {
	var params []string
	for _, p := range cParams(ft) {
		params = append(params, c.cSpelling(p.Type()))
	}
	if len(params) == 0 {
		params = []string{"void"}
	}
	if ft.IsVariadic() {
		params = append(params, "...")
	}
	return fmt.Sprintf("%s %s(%s)", c.cSpelling(ft.Result()), name, strings.Join(params, ", "))
}

func (c *checker) cSpelling(t cc.Type) string {
	if t == nil {
		return "?"
	}
	if t.Kind() == cc.Void {
		return "void"
	}
	if l := c.bridge.TypeLayoutFor(t, "", ""); l != nil {
		return l.Name
	}
	return t.String()
}

func cParams(ft *cc.FunctionType) []*cc.Parameter {
	var out []*cc.Parameter
	for _, p := range ft.Parameters() {
		if p.Type() == nil || p.Type().Kind() == cc.Void {
			continue
		}
		out = append(out, p)
	}
	return out
}

// A class is how a value travels in a call: in integer registers, in
// floating-point registers, or as a record.
type class uint8

const (
	clsUnknown class = iota
	clsInt
	clsFloat
	clsPtr
	clsRecord
)

func (k class) String() string {
	switch k {
	case clsInt:
		return "an integer"
	case clsFloat:
		return "a floating-point value"
	case clsPtr:
		return "a pointer"
	case clsRecord:
		return "a struct"
	}
	return "?"
}

// goValue describes a Go parameter or result on a target.
type goValue struct {
	cls     class
	size    int64
	pointee types.Type
	name    string
}

func (c *checker) goValueOf(t types.Type, tg *checkutil.Target) (goValue, bool) {
	v := goValue{name: checkutil.TypeString(t, c.pass.Pkg)}
	if cname := checkutil.CTypeName(t); cname != "" {
		l := c.layouts.Of(cname, tg)
		if l == nil {
			return v, false
		}
		v.cls, v.size = cClass(l.Kind), l.Size
		if p, ok := t.Underlying().(*types.Pointer); ok {
			v.pointee = p.Elem()
		}
		return v, v.cls != clsUnknown
	}
	s := c.goShape(t, tg)
	if s == nil {
		return v, false
	}
	v.size = s.size
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.UnsafePointer:
			v.cls = clsPtr
		case u.Info()&types.IsFloat != 0:
			v.cls = clsFloat
		case u.Info()&(types.IsInteger|types.IsBoolean) != 0:
			v.cls = clsInt
		default:
			v.cls = clsRecord
		}
	case *types.Pointer:
		v.cls, v.pointee = clsPtr, u.Elem()
	case *types.Map, *types.Chan, *types.Signature:
		v.cls = clsPtr
	default:
		v.cls = clsRecord
	}
	return v, true
}

func cClass(k cc.Kind) class {
	switch k {
	case cc.Bool, cc.Char, cc.SChar, cc.UChar, cc.Short, cc.UShort, cc.Int, cc.UInt,
		cc.Long, cc.ULong, cc.LongLong, cc.ULongLong, cc.Enum, cc.Int128, cc.UInt128:
		return clsInt
	case cc.Float, cc.Double, cc.LongDouble, cc.Float32, cc.Float64, cc.Float32x, cc.Float64x, cc.Float128:
		return clsFloat
	case cc.Ptr, cc.Array, cc.Function:
		return clsPtr
	case cc.Struct, cc.Union, cc.ComplexFloat, cc.ComplexDouble, cc.ComplexLongDouble:
		return clsRecord
	}
	return clsUnknown
}

// cValue describes a C parameter or result on a target.
type cValue struct {
	cls     class
	size    int64
	pointee cc.Type
	name    string
}

func (c *checker) cValueOf(t cc.Type, tg *checkutil.Target) (cValue, bool) {
	v := cValue{name: c.cSpelling(t), cls: cClass(t.Kind())}
	if v.cls == clsUnknown {
		return v, false
	}
	if v.cls == clsPtr {
		var l *bridge.Layout
		if tg.Host {
			l, _ = c.bridge.Layout("void *")
		} else {
			l, _ = c.bridge.LayoutFor("void *", tg.GOOS, tg.GOARCH)
		}
		if l == nil {
			return v, false
		}
		v.size = l.Size
		switch x := t.(type) {
		case *cc.PointerType:
			v.pointee = x.Elem()
		case *cc.ArrayType:
			v.pointee = x.Elem()
		}
		return v, true
	}
	goos, goarch := "", ""
	if !tg.Host {
		goos, goarch = tg.GOOS, tg.GOARCH
	}
	l := c.bridge.TypeLayoutFor(t, goos, goarch)
	if l == nil || l.Size < 0 {
		return v, false
	}
	v.size = l.Size
	return v, true
}

// sigDiff compares a Go signature with a C function type on each
// target and describes the first difference on the first target that has
// one.
func (c *checker) sigDiff(sig *types.Signature, ft *cc.FunctionType, proto bool, targets []*checkutil.Target) (string, []*checkutil.Target) {
	var first string
	var on []*checkutil.Target
	for _, t := range targets {
		if d := c.sigDiffOn(sig, ft, proto, t); d != "" {
			if first == "" {
				first = d
			}
			on = append(on, t)
		}
	}
	return first, on
}

func (c *checker) sigDiffOn(sig *types.Signature, ft *cc.FunctionType, proto bool, t *checkutil.Target) string {
	if ft.IsVariadic() {
		return ""
	}
	params := cParams(ft)
	n := sig.Params().Len()
	if !proto && len(params) == 0 {
		// int f() has no prototype: C says nothing about the
		// parameters.
		return ""
	}
	if len(params) != n {
		return fmt.Sprintf("Go takes %d parameters, C %d", n, len(params))
	}
	for i := range n {
		if d := c.valueDiff(sig.Params().At(i).Type(), params[i].Type(), t); d != "" {
			return fmt.Sprintf("parameter %d: %s", i+1, d)
		}
	}
	res := ft.Result()
	cvoid := res == nil || res.Kind() == cc.Void
	switch sig.Results().Len() {
	case 0:
		if !cvoid {
			return fmt.Sprintf("C expects a result of type %s, Go returns nothing", c.cSpelling(res))
		}
	case 1:
		if cvoid {
			return ""
		}
		if d := c.valueDiff(sig.Results().At(0).Type(), res, t); d != "" {
			return "result: " + d
		}
	default:
		if !cvoid && cClass(res.Kind()) != clsRecord {
			return fmt.Sprintf("Go returns %d results, which cgo returns as a struct, but C expects %s", sig.Results().Len(), c.cSpelling(res))
		}
	}
	return ""
}

// valueDiff compares one Go parameter or result type with a C one.
func (c *checker) valueDiff(gt types.Type, ct cc.Type, t *checkutil.Target) string {
	g, ok1 := c.goValueOf(gt, t)
	cv, ok2 := c.cValueOf(ct, t)
	if !ok1 || !ok2 {
		return ""
	}
	intPtr := (g.cls == clsInt && cv.cls == clsPtr || g.cls == clsPtr && cv.cls == clsInt) && g.size == cv.size
	if (g.cls != cv.cls && !intPtr) || g.size != cv.size {
		if g.cls != cv.cls && !intPtr {
			return fmt.Sprintf("Go %s is %s, C %s is %s", g.name, g.cls, cv.name, cv.cls)
		}
		return fmt.Sprintf("Go %s is %d bytes, C %s is %d", g.name, g.size, cv.name, cv.size)
	}
	if g.cls == clsPtr && cv.cls == clsPtr && g.pointee != nil && cv.pointee != nil {
		if isByteLike(g.pointee) || checkutil.IsUnsafePointer(g.pointee) || cv.pointee.Kind() == cc.Void || isByteSpelling(c.cSpelling(cv.pointee)) {
			return ""
		}
		gp, ok1 := c.goValueOf(g.pointee, t)
		cp, ok2 := c.cValueOf(cv.pointee, t)
		if ok1 && ok2 && gp.size != cp.size && gp.cls != clsRecord && cp.cls != clsRecord {
			return fmt.Sprintf("Go %s points to %d-byte values, C %s to %d-byte ones", g.name, gp.size, cv.name, cp.size)
		}
	}
	return ""
}

// funcPointer checks conversions to C function pointer types: a Go func
// value is never one, and an exported function registered as a callback
// must match the callback's type.
func (fc *funcCtx) funcPointer(call *ast.CallExpr, to types.Type) {
	if !isFuncPtrType(to) {
		return
	}
	arg := call.Args[0]
	if f := fc.goFuncValue(arg, 0); f != nil {
		fc.report(call.Lparen, []*checkutil.Target{fc.host}, "func-value-as-c-pointer", "%s converts Go func value %s to a C function pointer; a Go func value points to a closure, not to code C can call: mark a Go function //export and pass C.<name>",
			fc.convString(call), types.ExprString(f))
		return
	}
	name := fc.exportedFuncPtr(arg)
	if name == "" {
		return
	}
	ft, what := fc.callbackType(call, to)
	if ft == nil {
		return
	}
	decls := fc.exportDecls()
	ed, ok := decls[name]
	if !ok {
		return
	}
	// A callback type spelled with () says nothing of its parameters.
	proto := len(cParams(ft)) > 0
	diff, on := fc.sigDiff(ed.fn.Type().(*types.Signature), ft, proto, fc.targets)
	if diff == "" {
		return
	}
	fc.report(call.Lparen, on, "callback-mismatch", "exported %s is registered as %s %s, which disagrees with the Go signature: %s; change the Go function to the callback's parameter and result types",
		name, what, fc.protoString("(*)", ft), diff)
}

// isFuncPtrType reports whether t is cgo's *[0]byte, the Go type of
// every C function pointer, or a C typedef of it.
func isFuncPtrType(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	a, ok := p.Elem().Underlying().(*types.Array)
	if !ok || a.Len() != 0 {
		return false
	}
	b, ok := a.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Uint8
}

// goFuncValue returns the Go func value whose address e converts, as in
// unsafe.Pointer(&f), unsafe.Pointer(reflect.ValueOf(f).Pointer()) or
// *(*unsafe.Pointer)(unsafe.Pointer(&f)).
func (fc *funcCtx) goFuncValue(e ast.Expr, depth int) ast.Expr {
	if depth > 4 {
		return nil
	}
	info := fc.pass.TypesInfo
	isFunc := func(x ast.Expr) bool {
		t := info.TypeOf(x)
		if t == nil {
			return false
		}
		_, ok := t.Underlying().(*types.Signature)
		return ok
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if len(x.Args) == 1 {
			if tv, ok := info.Types[x.Fun]; ok && tv.IsType() {
				inner := ast.Unparen(x.Args[0])
				if u, ok := inner.(*ast.UnaryExpr); ok && u.Op == token.AND && isFunc(u.X) {
					return u.X
				}
				return fc.goFuncValue(inner, depth+1)
			}
		}
		// reflect.ValueOf(f).Pointer() and .UnsafePointer()
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Pointer" || sel.Sel.Name == "UnsafePointer") {
			if vc, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok && len(vc.Args) == 1 {
				if vsel, ok := ast.Unparen(vc.Fun).(*ast.SelectorExpr); ok && vsel.Sel.Name == "ValueOf" && isFunc(vc.Args[0]) {
					if pkg, ok := info.Uses[vsel.Sel].(*types.Func); ok && pkg.Pkg() != nil && pkg.Pkg().Path() == "reflect" {
						return vc.Args[0]
					}
				}
			}
		}
	case *ast.StarExpr:
		return fc.goFuncValue(x.X, depth+1)
	case *ast.Ident:
		if def := fc.definition(x); def != nil {
			return fc.goFuncValue(def, depth+1)
		}
	}
	return nil
}

// exportedFuncPtr returns X when e is C.X for an exported Go function X
// (possibly through unsafe.Pointer).
func (fc *funcCtx) exportedFuncPtr(e ast.Expr) string {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if tv, ok := fc.pass.TypesInfo.Types[call.Fun]; ok && tv.IsType() {
			return fc.exportedFuncPtr(call.Args[0])
		}
	}
	kind, name := checkutil.CgoRef(fc.pass.TypesInfo, e)
	if kind != bridge.CFuncPtr && kind != bridge.CFunc {
		return ""
	}
	if fc.bridge.Exports[name] == nil {
		return ""
	}
	return name
}

// callbackType finds the C function type a conversion to a function
// pointer is for: the typedef converted to (C.cb_t(C.f)), or the
// parameter of the C call the converted value is passed to.
func (fc *funcCtx) callbackType(call *ast.CallExpr, to types.Type) (*cc.FunctionType, string) {
	if cname := checkutil.CTypeName(to); cname != "" {
		if td := fc.bridge.Types[cname]; td != nil {
			if ft := funcTypeOf(td.Type); ft != nil {
				return ft, cname
			}
		}
	}
	parent, idx := fc.cCallArg(call)
	if parent == nil {
		return nil, ""
	}
	kind, name := checkutil.CgoRef(fc.pass.TypesInfo, parent.Fun)
	if kind != bridge.CFunc && kind != bridge.CFuncErrno {
		return nil, ""
	}
	f := fc.bridge.Func(name)
	if f == nil {
		return nil, ""
	}
	if idx < len(f.Params) {
		if ft := funcTypeOf(f.Params[idx].Type); ft != nil {
			return ft, fmt.Sprintf("parameter %d of C.%s,", idx+1, name)
		}
	}
	return nil, ""
}

func funcTypeOf(t cc.Type) *cc.FunctionType {
	if p, ok := t.(*cc.PointerType); ok {
		if ft, ok := p.Elem().(*cc.FunctionType); ok {
			return ft
		}
	}
	return nil
}
