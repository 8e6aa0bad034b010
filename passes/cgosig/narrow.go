package cgosig

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
)

// narrowing checks C.int(len(b)) and its kin: a Go length converted to
// a narrower C integer and handed to C, where a large buffer's length
// silently wraps. Only values that are clearly lengths are considered:
// len and cap, Len/Size methods, and variables and fields whose names
// say size or length.
func (fc *funcCtx) narrowing(call *ast.CallExpr, to types.Type) {
	cname := checkutil.CTypeName(to)
	if cname == "" {
		return
	}
	tb, ok := to.Underlying().(*types.Basic)
	if !ok || tb.Info()&types.IsInteger == 0 {
		return
	}
	arg := ast.Unparen(call.Args[0])
	info := fc.pass.TypesInfo
	if tv, ok := info.Types[arg]; !ok || tv.Value != nil {
		// Constants are checked by the compiler.
		return
	}
	at := info.TypeOf(arg)
	if at == nil || checkutil.CTypeName(at) != "" {
		return
	}
	ab, ok := at.Underlying().(*types.Basic)
	if !ok || ab.Info()&types.IsInteger == 0 {
		return
	}
	if !fc.isLength(arg) {
		return
	}
	use := fc.cUse(call)
	if use == nil {
		return
	}
	if fc.weakLength(arg) && !(use.builtin || use.paramName == "n" || strongLengthName(use.paramName)) {
		// A variable called n, or a count, is a number of things as
		// often as a buffer length (ZSTD_CCtx_setParameter(cctx,
		// ZSTD_c_nbWorkers, C.int(n)); rd_kafka_mock_cluster_new(rk,
		// C.int(brokerCount))). Only a C parameter that is itself named
		// as a length or size says it is one.
		return
	}
	if fc.boundsChecked(arg, call.Pos()) {
		return
	}
	if buf := fc.lenOperand(arg); buf != nil && !use.builtin && !fc.bufferPassed(buf, use, call) {
		return
	}
	var on []*target
	var first [2]int64
	for _, t := range fc.targets {
		l := fc.cLayout(cname, t)
		if l == nil {
			continue
		}
		gsize := t.sizes.Sizeof(at)
		if l.Size < gsize && !fc.fromNarrowerC(arg, l.Size, t) {
			if on == nil {
				first = [2]int64{gsize, l.Size}
			}
			on = append(on, t)
		}
	}
	if on == nil {
		return
	}
	src := checkutil.ExprString(arg)
	limit := maxConst(first[1], tb.Info()&types.IsUnsigned != 0)
	fix := fmt.Sprintf("check %s <= %s before converting", src, limit)
	if use.param == "size_t" {
		fix = fmt.Sprintf("the C parameter is size_t: pass C.size_t(%s)", src)
	} else if use.builtin {
		fix = fmt.Sprintf("%s takes a C.int length: check %s <= %s first, or copy with unsafe.Slice", use.callee, src, limit)
	}
	dest := "passed to " + use.callee
	if use.call == nil && !use.builtin {
		dest = "stored in a C struct field"
	}
	fc.report(call.Lparen, on, "length-narrowed", "C.%s(%s) can truncate a length %s: Go %s is %d bytes, C %s is %d; %s",
		checkutil.CgoTypeName(cname), src, dest, checkutil.TypeString(at, fc.pass.Pkg), first[0], cname, first[1], fix)
}

func maxConst(size int64, unsigned bool) string {
	bits := size * 8
	if unsigned {
		return fmt.Sprintf("math.MaxUint%d", bits)
	}
	return fmt.Sprintf("math.MaxInt%d", bits)
}

// lengthWords are what the names of lengths and sizes end in.
var lengthWords = []string{"len", "length", "size", "count", "cnt", "nbytes", "nbyte", "nelem", "nelems", "capacity", "sz"}

// isLength reports whether e is clearly a length or size.
func (fc *funcCtx) isLength(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok {
			if b, ok := fc.pass.TypesInfo.Uses[id].(*types.Builtin); ok {
				return b.Name() == "len" || b.Name() == "cap"
			}
		}
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && len(x.Args) == 0 {
			return lengthName(sel.Sel.Name)
		}
	case *ast.Ident:
		return x.Name == "n" || lengthName(x.Name)
	case *ast.SelectorExpr:
		return lengthName(x.Sel.Name)
	}
	return false
}

// strongLengthWords name sizes of memory; the other lengthWords may as
// well count things.
var strongLengthWords = []string{"len", "length", "size", "nbytes", "nbyte", "capacity", "sz"}

// weakLength reports whether e is a length only by a name that may also
// count things: n, or a name ending in count, cnt or nelem.
func (fc *funcCtx) weakLength(e ast.Expr) bool {
	var name string
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		name = x.Name
	case *ast.SelectorExpr:
		name = x.Sel.Name
	default:
		return false
	}
	return name == "n" || lengthName(name) && !strongLengthName(name)
}

func strongLengthName(name string) bool { return matchesLengthWord(name, strongLengthWords) }

func lengthName(name string) bool { return matchesLengthWord(name, lengthWords) }

func matchesLengthWord(name string, words []string) bool {
	if name == "" {
		return false
	}
	lower := strings.ToLower(name)
	for _, w := range words {
		if lower == w || strings.HasSuffix(lower, w) && len(lower) > len(w) && (lower[len(lower)-len(w)-1] == '_' || name[len(name)-len(w)] >= 'A' && name[len(name)-len(w)] <= 'Z') {
			return true
		}
	}
	return false
}

// A cUse is where a converted value goes to C.
type cUse struct {
	callee    string        // as the user writes it: C.f
	param     string        // the C parameter's type spelling, when known
	paramName string        // the C parameter's name, when declared with one
	builtin   bool          // C.GoBytes, C.GoStringN
	call      *ast.CallExpr // the C call, when it is one
	arg       int           // the index of the value among call's arguments
}

// cUse reports where the value of e reaches C: as an argument of a C
// call (directly, or through a local variable or cgo's temporaries), or
// stored in a field of a C struct. It returns nil when it does not.
func (fc *funcCtx) cUse(e ast.Expr) *cUse {
	if call, i := fc.cCallArg(e); call != nil {
		u := fc.callUse(call, i)
		if u != nil {
			u.call, u.arg = call, i
		}
		return u
	}
	for range 4 {
		switch p := fc.parents[e].(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.AssignStmt:
			for i, r := range p.Rhs {
				if r != e || i >= len(p.Lhs) || len(p.Lhs) != len(p.Rhs) {
					continue
				}
				if sel, ok := ast.Unparen(p.Lhs[i]).(*ast.SelectorExpr); ok {
					if t := fc.pass.TypesInfo.TypeOf(sel.X); checkutil.CTypeName(t) != "" || isPtrToC(t) {
						return &cUse{callee: "a C struct field"}
					}
				}
			}
		}
		return nil
	}
	return nil
}

// cCallArg finds the C call (or cgo builtin call) that receives the
// value of e, and the argument's index: e itself is the argument, or
// initializes a local variable (cgo's _cgoN temporaries included) that
// is.
func (fc *funcCtx) cCallArg(e ast.Expr) (*ast.CallExpr, int) {
	for range 4 {
		switch p := fc.parents[e].(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.CallExpr:
			for i, a := range p.Args {
				if a == e {
					if k, _ := fc.cgoRef(p.Fun); k == bridge.CFunc || k == bridge.CFuncErrno || k == bridge.CBuiltin {
						return p, i
					}
				}
			}
			return nil, -1
		case *ast.AssignStmt:
			if len(p.Lhs) != len(p.Rhs) {
				return nil, -1
			}
			for i, r := range p.Rhs {
				if r == e {
					if id, ok := ast.Unparen(p.Lhs[i]).(*ast.Ident); ok {
						return fc.varArg(id, 0)
					}
				}
			}
			return nil, -1
		case *ast.ValueSpec:
			for i, v := range p.Values {
				if v == e && i < len(p.Names) && len(p.Names) == len(p.Values) {
					return fc.varArg(p.Names[i], 0)
				}
			}
			return nil, -1
		}
		return nil, -1
	}
	return nil, -1
}

// varArg finds the C call that takes the variable id defines, directly
// or through another variable defined from it.
func (fc *funcCtx) varArg(id *ast.Ident, depth int) (*ast.CallExpr, int) {
	v := fc.varOf(id)
	if v == nil || fc.defs[v] == nil || depth > 3 {
		return nil, -1
	}
	var call *ast.CallExpr
	idx := -1
	uses := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		return ok && fc.pass.TypesInfo.Uses[x] == v
	}
	ast.Inspect(fc.decl.Body, func(n ast.Node) bool {
		if call != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if k, _ := fc.cgoRef(n.Fun); k == bridge.CFunc || k == bridge.CFuncErrno || k == bridge.CBuiltin {
				for i, a := range n.Args {
					if uses(a) {
						call, idx = n, i
						return false
					}
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, r := range n.Rhs {
					if lid, ok := ast.Unparen(n.Lhs[i]).(*ast.Ident); ok && uses(r) {
						call, idx = fc.varArg(lid, depth+1)
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, r := range n.Values {
					if uses(r) {
						call, idx = fc.varArg(n.Names[i], depth+1)
					}
				}
			}
		}
		return call == nil
	})
	return call, idx
}

// callUse describes argument i of call when call is a C call.
func (fc *funcCtx) callUse(call *ast.CallExpr, i int) *cUse {
	kind, name := fc.cgoRef(call.Fun)
	switch kind {
	case bridge.CFunc, bridge.CFuncErrno:
		u := &cUse{callee: "C." + name}
		if f := fc.bridge.Func(name); f != nil && i < len(f.Params) && f.Params[i].Type != nil {
			if d := f.Params[i].Type.Typedef(); d != nil {
				u.param = d.Name()
			}
			u.paramName = f.Params[i].Name
		}
		return u
	case bridge.CBuiltin:
		if name == bridge.BuiltinGoBytes || name == bridge.BuiltinGoStringN {
			return &cUse{callee: "C." + name, builtin: true}
		}
	}
	return nil
}

// boundsChecked reports whether the function compares e (or the same
// expression) with something before pos: a range check the conversion
// relies on. Any comparison counts; the check does not judge the bound.
func (fc *funcCtx) boundsChecked(e ast.Expr, pos token.Pos) bool {
	want := types.ExprString(e)
	if def := fc.definition(e); def != nil {
		// n := min(len(b), math.MaxInt32)
		if call, ok := ast.Unparen(def).(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
				if b, ok := fc.pass.TypesInfo.Uses[id].(*types.Builtin); ok && b.Name() == "min" {
					return true
				}
			}
		}
	}
	found := false
	ast.Inspect(fc.decl.Body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() >= pos {
			return false
		}
		switch x := n.(type) {
		case *ast.BinaryExpr:
			switch x.Op {
			case token.LSS, token.LEQ, token.GTR, token.GEQ:
				if types.ExprString(ast.Unparen(x.X)) == want || types.ExprString(ast.Unparen(x.Y)) == want {
					found = true
				}
			}
		case *ast.CallExpr:
			// n = min(n, math.MaxInt32)
			if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && (id.Name == "min" || id.Name == "max") {
				for _, a := range x.Args {
					if types.ExprString(ast.Unparen(a)) == want {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

func isPtrToC(t types.Type) bool {
	if t == nil {
		return false
	}
	p, ok := t.Underlying().(*types.Pointer)
	return ok && checkutil.CTypeName(p.Elem()) != ""
}

// lenOperand returns x for len(x) and cap(x).
func (fc *funcCtx) lenOperand(e ast.Expr) ast.Expr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil
	}
	if b, ok := fc.pass.TypesInfo.Uses[id].(*types.Builtin); ok && (b.Name() == "len" || b.Name() == "cap") {
		return call.Args[0]
	}
	return nil
}

// bufferPassed reports whether the buffer whose length is taken also
// goes to C: as another argument of the same call, or in any C call or
// C struct field of the function when the length is stored in a field.
// Only then is the value a buffer's length, rather than a count of Go
// values that C never sees.
func (fc *funcCtx) bufferPassed(buf ast.Expr, use *cUse, conv ast.Expr) bool {
	obj := fc.rootObject(buf)
	if obj == nil {
		return false
	}
	if use.call != nil {
		for i, a := range use.call.Args {
			if i != use.arg && fc.mentions(a, obj, 0) {
				return true
			}
		}
		return false
	}
	found := false
	ast.Inspect(fc.decl.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if k, _ := fc.cgoRef(n.Fun); k == bridge.CFunc || k == bridge.CFuncErrno || k == bridge.CBuiltin {
				for _, a := range n.Args {
					if !contains(a, conv) && fc.mentions(a, obj, 0) {
						found = true
					}
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok && i < len(n.Rhs) && !contains(n.Rhs[i], conv) {
					if t := fc.pass.TypesInfo.TypeOf(sel.X); (checkutil.CTypeName(t) != "" || isPtrToC(t)) && fc.mentions(n.Rhs[i], obj, 0) {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

func contains(outer, inner ast.Node) bool {
	return outer.Pos() <= inner.Pos() && inner.End() <= outer.End()
}

// rootObject returns the variable an expression such as b, s.buf or
// b[i:] is rooted at.
func (fc *funcCtx) rootObject(e ast.Expr) types.Object {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return fc.pass.TypesInfo.ObjectOf(x)
		case *ast.SelectorExpr:
			return fc.pass.TypesInfo.ObjectOf(x.Sel)
		case *ast.SliceExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// mentions reports whether e refers to obj, directly or through local
// variables initialized from it.
func (fc *funcCtx) mentions(e ast.Expr, obj types.Object, depth int) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		u := fc.pass.TypesInfo.Uses[id]
		if u == obj {
			found = true
			return false
		}
		if depth < 3 {
			if def := fc.definition(id); def != nil && fc.mentions(def, obj, depth+1) {
				found = true
			}
		}
		return !found
	})
	return found
}

// fromNarrowerC reports whether e holds a value converted from a C
// integer no wider than size: n := int(col.n) then C.int(n) gives back
// what C had.
func (fc *funcCtx) fromNarrowerC(e ast.Expr, size int64, t *target) bool {
	for range 3 {
		e = ast.Unparen(e)
		if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
			if tv, ok := fc.pass.TypesInfo.Types[call.Fun]; ok && tv.IsType() {
				inner := fc.pass.TypesInfo.TypeOf(call.Args[0])
				if name := checkutil.CTypeName(inner); name != "" {
					l := fc.cLayout(name, t)
					return l != nil && l.Size <= size
				}
				e = call.Args[0]
				continue
			}
			return false
		}
		def := fc.definition(e)
		if def == nil {
			return false
		}
		e = def
	}
	return false
}
