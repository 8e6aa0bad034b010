package cgonarrow

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
)

// A cDest is where a converted value goes to C.
type cDest struct {
	callee    string        // as the user writes it: C.f, or "a C struct field"
	paramName string        // the C parameter's or field's name, when known
	builtin   bool          // C.GoBytes, C.GoStringN: the value is a byte count
	call      *ast.CallExpr // the C call, when it is one
	arg       int           // the index of the value among call's arguments
}

// unnamed reports whether the C declaration gives the parameter no
// name (pcap_open_dead(int, int)): nothing on the C side says what it
// counts.
func (d *cDest) unnamed() bool {
	return d.call != nil && !d.builtin && d.paramName == ""
}

// lengthNamed reports whether C names the parameter or field as a
// number of bytes: n, len, size, nbytes and their compounds (buflen,
// nBytes, buffer_size).
func (d *cDest) lengthNamed() bool {
	return d.paramName == "n" || strongLengthName(d.paramName)
}

// destination reports where the value of the conversion conv reaches
// C: as an argument of a C call (directly, or through local variables
// such as cgo's own temporaries), or stored in a field of a C struct.
// It returns nil when it does not.
func (c *checker) destination(conv ast.Expr) *cDest {
	if call, i := c.cCallArg(conv); call != nil {
		d := c.callDest(call, i)
		if d != nil {
			d.call, d.arg = call, i
		}
		return d
	}
	e := conv
	for p := c.parents[e]; ; p = c.parents[e] {
		switch p := p.(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.AssignStmt:
			for i, r := range p.Rhs {
				if r != e || i >= len(p.Lhs) || len(p.Lhs) != len(p.Rhs) {
					continue
				}
				if sel, ok := ast.Unparen(p.Lhs[i]).(*ast.SelectorExpr); ok {
					if t := c.pass.TypesInfo.TypeOf(sel.X); checkutil.CTypeName(t) != "" || isPtrToC(t) {
						return &cDest{callee: "a C struct field", paramName: sel.Sel.Name}
					}
				}
			}
		}
		return nil
	}
}

// cCallArg finds the C call (or cgo builtin call) that receives the
// value of e, and the argument's index: e itself is the argument, or
// initializes a local variable (cgo's _cgoN temporaries included) that
// is.
func (c *checker) cCallArg(e ast.Expr) (*ast.CallExpr, int) {
	for {
		switch p := c.parents[e].(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.CallExpr:
			for i, a := range p.Args {
				if a == e && checkutil.IsCCall(c.pass.TypesInfo, p) {
					return p, i
				}
			}
		case *ast.AssignStmt:
			if len(p.Lhs) != len(p.Rhs) {
				return nil, -1
			}
			for i, r := range p.Rhs {
				if r == e {
					if id, ok := ast.Unparen(p.Lhs[i]).(*ast.Ident); ok {
						return c.varArg(id, 0)
					}
				}
			}
		case *ast.ValueSpec:
			for i, v := range p.Values {
				if v == e && i < len(p.Names) && len(p.Names) == len(p.Values) {
					return c.varArg(p.Names[i], 0)
				}
			}
		}
		return nil, -1
	}
}

// varArg finds the C call that takes the variable id defines, directly
// or through another variable defined from it.
func (c *checker) varArg(id *ast.Ident, depth int) (*ast.CallExpr, int) {
	v := c.localVar(id)
	fd := c.enclosingFunc(id)
	if v == nil || fd == nil || depth > 3 || len(c.assigns[v]) != 1 || c.opaque[v] {
		return nil, -1
	}
	return checkutil.CallTaking(c.pass.TypesInfo, fd.Body, v, func(next *ast.Ident) (*ast.CallExpr, int) {
		return c.varArg(next, depth+1)
	})
}

// callDest describes argument i of call when call is a C call.
func (c *checker) callDest(call *ast.CallExpr, i int) *cDest {
	kind, name := checkutil.CgoRef(c.pass.TypesInfo, call.Fun)
	switch kind {
	case bridge.CFunc, bridge.CFuncErrno:
		d := &cDest{callee: "C." + name}
		if f := c.bridge.Func(name); f != nil && i < len(f.Params) {
			d.paramName = f.Params[i].Name
		}
		return d
	case bridge.CBuiltin:
		if name == bridge.BuiltinGoBytes || name == bridge.BuiltinGoStringN {
			return &cDest{callee: "C." + name, builtin: true}
		}
	}
	return nil
}

func isPtrToC(t types.Type) bool {
	if t == nil {
		return false
	}
	p, ok := t.Underlying().(*types.Pointer)
	return ok && checkutil.CTypeName(p.Elem()) != ""
}

// bufferPassed reports whether the buffer whose length is taken also
// goes to C: as another argument of the same call, or, when the length
// is stored in a field, in any C call or C struct field of the
// function. Only then is the value the length of something C reads.
func (c *checker) bufferPassed(buf ast.Expr, d *cDest, conv ast.Expr) bool {
	obj := c.rootObject(buf)
	if obj == nil {
		return false
	}
	if d.call != nil {
		for i, a := range d.call.Args {
			if i != d.arg && c.mentions(a, obj, 0) {
				return true
			}
		}
		return false
	}
	fd := c.enclosingFunc(conv)
	if fd == nil {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if checkutil.IsCCall(c.pass.TypesInfo, n) {
				for _, a := range n.Args {
					if !contains(a, conv) && c.mentions(a, obj, 0) {
						found = true
					}
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok && i < len(n.Rhs) && !contains(n.Rhs[i], conv) {
					if t := c.pass.TypesInfo.TypeOf(sel.X); (checkutil.CTypeName(t) != "" || isPtrToC(t)) && c.mentions(n.Rhs[i], obj, 0) {
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

// rootObject returns the variable or field an expression such as b,
// s.buf or b[i:] is rooted at.
func (c *checker) rootObject(e ast.Expr) types.Object {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return c.pass.TypesInfo.ObjectOf(x)
		case *ast.SelectorExpr:
			return c.pass.TypesInfo.ObjectOf(x.Sel)
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
func (c *checker) mentions(e ast.Expr, obj types.Object, depth int) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		if c.pass.TypesInfo.Uses[id] == obj {
			found = true
			return false
		}
		if depth < 3 {
			if def := c.definition(id); def != nil && c.mentions(def, obj, depth+1) {
				found = true
			}
		}
		return !found
	})
	return found
}

// strongLengthWords name sizes of memory; n, count and the like may as
// well count things.
var strongLengthWords = []string{"len", "length", "size", "nbytes", "nbyte", "bytes", "capacity", "sz"}

// strongLengthName reports whether a name says it holds a number of
// bytes: a length word, alone or ending a compound (bufLen, buf_size,
// snaplen).
func strongLengthName(name string) bool {
	if name == "" {
		return false
	}
	lower := strings.ToLower(name)
	for _, w := range strongLengthWords {
		if lower == w {
			return true
		}
		if !strings.HasSuffix(lower, w) || len(lower) <= len(w) {
			continue
		}
		// A compound: bufLen, buf_len, or a C name run together
		// (snaplen, buflen) when the word is len or size.
		at := len(name) - len(w)
		if name[at-1] == '_' || name[at] >= 'A' && name[at] <= 'Z' || w == "len" || w == "size" {
			return true
		}
	}
	return false
}
