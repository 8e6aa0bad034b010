package cgosig

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
)

// conversion checks one conversion T(x).
func (fc *funcCtx) conversion(call *ast.CallExpr, to types.Type) {
	if p, ok := to.(*types.Pointer); ok {
		fc.reinterpret(call, p.Elem())
	}
	fc.funcPointer(call, to)
}

// A memSource is what a pointer converted through unsafe.Pointer points
// to, as far as the code says.
type memSource struct {
	elem   types.Type // the element type the memory was typed with; nil for malloc
	sizeof string     // for C.malloc(n * C.sizeof_X): the C type X
	expr   ast.Expr   // the expression the pointer comes from, for messages
}

// source finds what the operand of a pointer conversion points to:
// unsafe.Pointer(&x[0]) points to x's elements, unsafe.Pointer(p) to
// p's element type, C.malloc(n * C.sizeof_T) to T's, and a local
// variable to whatever it was initialized with.
func (fc *funcCtx) source(e ast.Expr, depth int) *memSource {
	if depth > 4 {
		return nil
	}
	e = ast.Unparen(e)
	info := fc.pass.TypesInfo
	if call, ok := e.(*ast.CallExpr); ok {
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
			if checkutil.IsUnsafePointer(tv.Type) {
				inner := ast.Unparen(call.Args[0])
				it := info.TypeOf(inner)
				if it == nil {
					return nil
				}
				if checkutil.IsUnsafePointer(it) {
					return fc.source(inner, depth+1)
				}
				p, ok := it.Underlying().(*types.Pointer)
				if !ok {
					return nil
				}
				if _, named := it.(*types.Pointer); !named && checkutil.CTypeName(it) == "" {
					return nil
				}
				return &memSource{elem: p.Elem(), expr: rootOf(inner)}
			}
			return nil
		}
		if name := fc.mallocSizeof(call); name != "" {
			return &memSource{sizeof: name, expr: call}
		}
		return nil
	}
	if id, ok := e.(*ast.Ident); ok && checkutil.IsUnsafePointer(info.TypeOf(id)) {
		if def := fc.definition(id); def != nil {
			return fc.source(def, depth+1)
		}
	}
	return nil
}

// rootOf returns the variable or call an address expression starts from:
// x for &x[0], &x, &x.f.
func rootOf(e ast.Expr) ast.Expr {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.UnaryExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.CallExpr:
			// unsafe.SliceData(x)
			if len(x.Args) == 1 {
				if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "SliceData" {
					e = x.Args[0]
					continue
				}
			}
			return x
		default:
			return x
		}
	}
}

// mallocSizeof returns X when call allocates with C.malloc, C.calloc or
// C.realloc and its size mentions C.sizeof_X.
func (fc *funcCtx) mallocSizeof(call *ast.CallExpr) string {
	kind, name := checkutil.CgoRef(fc.pass.TypesInfo, call.Fun)
	switch {
	case kind == bridge.CBuiltin && name == bridge.BuiltinCMalloc:
	case kind == bridge.CFunc && (name == "malloc" || name == "calloc" || name == "realloc"):
	default:
		return ""
	}
	found := ""
	count := 0
	for _, a := range call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			if k, n := checkutil.CgoRef(fc.pass.TypesInfo, e); k == bridge.CIntConst {
				if t, ok := strings.CutPrefix(n, "sizeof_"); ok {
					found = t
					count++
				}
				return false
			}
			return true
		})
	}
	if count != 1 {
		// sizeof_a + sizeof_b: a header and a payload, not an array.
		return ""
	}
	return bridge.CTypeName(found)
}

// elemOf returns an array view's element type: (*[1 << 30]T)(p) views T.
func elemOf(t types.Type) (types.Type, bool) {
	if a, ok := t.(*types.Array); ok {
		return a.Elem(), true
	}
	return t, false
}

// reinterpret checks (*T)(unsafe.Pointer(p)) where one side is a C type
// and the other a Go type: their sizes, or for structs their layouts,
// must agree on every target the file is built for.
func (fc *funcCtx) reinterpret(call *ast.CallExpr, dst types.Type) {
	src := fc.source(call.Args[0], 0)
	if src == nil {
		return
	}
	dstElem, _ := elemOf(dst)
	dstC := checkutil.CTypeName(dstElem)
	if src.sizeof != "" {
		fc.mallocView(call, src, dstElem)
		return
	}
	srcElem, _ := elemOf(src.elem)
	srcC := checkutil.CTypeName(srcElem)
	if (srcC == "") == (dstC == "") {
		// Go to Go, or C to C (struct sockaddr_in as struct sockaddr):
		// not a boundary question.
		return
	}
	goT, cname, toC := srcElem, dstC, true
	if srcC != "" {
		goT, cname, toC = dstElem, srcC, false
	}
	if cname == "void" || isByteSpelling(cname) || isByteLike(goT) {
		// Byte views of anything are how buffers are passed.
		return
	}
	if _, isStruct := goT.Underlying().(*types.Struct); isStruct {
		if cgo := fc.cgoStructOf(cname); cgo != nil && types.Identical(goT.Underlying(), cgo) {
			return
		}
		fc.mirror(call, src, goT, cname, toC)
		return
	}
	if !isScalarGo(goT) {
		return
	}
	var on []*checkutil.Target
	var first [2]int64
	for _, t := range fc.targets {
		g := fc.goShape(goT, t)
		cl := fc.layouts.Of(cname, t)
		cs := fc.cShape(cl)
		if g == nil || cs == nil || cs.kind == shapeRecord || cs.kind == shapeArray {
			continue
		}
		if g.size != cs.size {
			if on == nil {
				first = [2]int64{g.size, cs.size}
			}
			on = append(on, t)
		}
	}
	if on == nil {
		return
	}
	goName, cName := checkutil.TypeString(goT, fc.pass.Pkg), "C "+cname
	what := checkutil.ExprString(src.expr)
	if toC {
		fix := fmt.Sprintf("give the Go side elements of type C.%s", checkutil.CgoTypeName(cname))
		if t := fc.pass.TypesInfo.TypeOf(src.expr); t != nil && types.Identical(t, src.elem) {
			// A single variable, not a slice or an array.
			fix = fmt.Sprintf("declare %s as C.%s", what, checkutil.CgoTypeName(cname))
		}
		fc.report(call.Lparen, on, "size-mismatch", "%s reinterprets Go memory of %s as %s: Go %s is %d bytes, %s is %d; %s",
			fc.convString(call), what, cName, goName, first[0], cName, first[1], fix)
		return
	}
	fc.report(call.Lparen, on, "element-size-mismatch", "%s reinterprets C memory of %s as Go %s: %s is %d bytes, Go %s is %d; use C.%s as the Go element type",
		fc.convString(call), what, goName, cName, first[1], goName, first[0], checkutil.CgoTypeName(cname))
}

// convString spells the conversion's type as the user wrote it, without
// its operand: "(*C.int)(...)".
func (fc *funcCtx) convString(call *ast.CallExpr) string {
	t := fc.pass.TypesInfo.TypeOf(call)
	s := checkutil.TypeString(t, fc.pass.Pkg)
	if strings.HasPrefix(s, "*") {
		return "(" + s + ")(...)"
	}
	return s + "(...)"
}

func isScalarGo(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&(types.IsInteger|types.IsFloat|types.IsBoolean) != 0 || u.Kind() == types.UnsafePointer
	case *types.Pointer:
		return true
	}
	return false
}

// cgoStructOf returns the Go struct cgo generated for C type cname, if
// the package uses it.
func (fc *funcCtx) cgoStructOf(cname string) *types.Struct {
	obj := fc.pass.Pkg.Scope().Lookup("_Ctype_" + strings.ReplaceAll(cname, " ", "_"))
	if obj == nil {
		return nil
	}
	s, _ := obj.Type().Underlying().(*types.Struct)
	return s
}

// mirror compares a Go struct with the C struct its memory is viewed as.
func (fc *funcCtx) mirror(call *ast.CallExpr, src *memSource, goT types.Type, cname string, toC bool) {
	if bridge.IsPolymorphicHeader(cname) {
		// struct sockaddr is the common header of sockaddr_in,
		// sockaddr_in6, ...: viewing one as the other is the sockets
		// API's own idiom (net's cgo resolver does it).
		return
	}
	type diff struct {
		g, c *shape
		m    *mismatch
	}
	var on []*checkutil.Target
	var first diff
	for _, t := range fc.targets {
		g := fc.goShape(goT, t)
		cs := fc.cShape(fc.layouts.Of(cname, t))
		if g == nil || cs == nil || cs.kind != shapeRecord {
			continue
		}
		m := compareLeaves(g.leaves, cs.leaves)
		if m == nil && g.size == cs.size {
			continue
		}
		if on == nil {
			first = diff{g, cs, m}
		}
		on = append(on, t)
	}
	if on == nil {
		return
	}
	goName := checkutil.TypeString(goT, fc.pass.Pkg)
	var b strings.Builder
	if first.g.size != first.c.size {
		fmt.Fprintf(&b, "%s is %d bytes, C %s is %d", goName, first.g.size, cname, first.c.size)
	}
	if d := describe(first.g, first.c, first.m); d != "" {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d)
	}
	dir := fmt.Sprintf("views Go %s as C %s", goName, cname)
	if !toC {
		dir = fmt.Sprintf("views C %s memory (%s) as Go %s", cname, checkutil.ExprString(src.expr), goName)
	}
	fc.report(call.Lparen, on, "layout-mismatch", "%s %s, but the layouts differ: %s; use C.%s, or make the Go struct match it field by field",
		fc.convString(call), dir, b.String(), checkutil.CgoTypeName(cname))
}

// describe names the first member where two record shapes disagree:
// the first pair of top-level fields, taken in order, whose offsets or
// sizes differ, or else the first piece where the flattened layouts do.
func describe(g, c *shape, m *mismatch) string {
	for i := range min(len(g.fields), len(c.fields)) {
		gf, cf := g.fields[i], c.fields[i]
		if gf.off != cf.off || gf.size != cf.size {
			return fmt.Sprintf("Go field %s is at offset %d (%d bytes), C field %s at offset %d (%d bytes)",
				gf.name, gf.off, gf.size, cf.name, cf.off, cf.size)
		}
	}
	if m != nil && m.goLeaf != nil {
		gl := m.goLeaf
		what := "Go field " + gl.path
		if gl.blob {
			what = "Go padding " + gl.path
		}
		if m.cLeaf == nil {
			return fmt.Sprintf("%s at offset %d (%d bytes) lies in C padding", what, gl.off, gl.size)
		}
		return fmt.Sprintf("%s is at offset %d (%d bytes), C field %s at offset %d (%d bytes)",
			what, gl.off, gl.size, m.cLeaf.path, m.cLeaf.off, m.cLeaf.size)
	}
	if len(g.fields) != len(c.fields) {
		return fmt.Sprintf("Go has %d fields, C %d", len(g.fields), len(c.fields))
	}
	return ""
}

// mallocView checks (*T)(C.malloc(n * C.sizeof_X)): the block is sized
// for X, so T must have X's size.
func (fc *funcCtx) mallocView(call *ast.CallExpr, src *memSource, dst types.Type) {
	if isByteLike(dst) || isByteSpelling(src.sizeof) {
		return
	}
	var on []*checkutil.Target
	var first [2]int64
	for _, t := range fc.targets {
		cs := fc.cShape(fc.layouts.Of(src.sizeof, t))
		g := fc.goShape(dst, t)
		if cs == nil || g == nil || g.size == 0 {
			continue
		}
		if g.size != cs.size {
			if on == nil {
				first = [2]int64{g.size, cs.size}
			}
			on = append(on, t)
		}
	}
	if on == nil {
		return
	}
	goName := checkutil.TypeString(dst, fc.pass.Pkg)
	block := "the block"
	if l := checkutil.Line(fc.pass.Fset, src.expr.Pos()); l != checkutil.Line(fc.pass.Fset, call.Lparen) {
		block = fmt.Sprintf("the block from line %d", l)
	}
	fc.report(call.Lparen, on, "element-size-mismatch", "%s is sized with C.sizeof_%s (%d bytes each) but used as %s (%d bytes each); size it for the type it is used as",
		block, checkutil.CgoTypeName(src.sizeof), first[1], goName, first[0])
}
