package cgonarrow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math/bits"

	"github.com/ffivet/ffivet/internal/checkutil"
)

// A bound is what the code proves about the largest value an integer
// expression (or the length of a string or slice) can have.
type bound struct {
	known bool
	max   uint64
	// check is the comparison the bound comes from, when it does.
	check ast.Node
}

var unknown = bound{}

func exactly(n uint64) bound { return bound{known: true, max: n} }

// A walk carries one proof's state: how deep it went, and which
// parameters it is already following (a recursive function proves
// nothing about itself).
type walk struct {
	depth    int
	visiting map[*types.Var]bool
}

func newWalk() *walk { return &walk{visiting: map[*types.Var]bool{}} }

const maxDepth = 12

// bound returns the largest value e can have where it is evaluated.
func (c *checker) bound(e ast.Expr, w *walk) bound {
	if w.depth > maxDepth {
		return unknown
	}
	w.depth++
	defer func() { w.depth-- }()

	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		if v, ok := constant.Uint64Val(constant.ToInt(tv.Value)); ok {
			return exactly(v)
		}
		if constant.Sign(tv.Value) < 0 {
			return exactly(0)
		}
		return unknown
	}
	if b := c.checked(c.exprKey(e), c.rootOf(e), e, w); b.known {
		return b
	}
	switch x := e.(type) {
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return lower(c.bound(x.Args[0], w), c.typeMax(info.TypeOf(x.Args[0])))
		}
		switch c.builtin(x) {
		case "len", "cap":
			if len(x.Args) == 1 {
				return c.lenBound(x.Args[0], w)
			}
		case "min":
			b := unknown
			for _, a := range x.Args {
				if ab := c.bound(a, w); ab.known && (!b.known || ab.max < b.max) {
					b = ab
				}
			}
			return b
		case "max":
			return c.maxOver(x.Args, w)
		}
	case *ast.BinaryExpr:
		l := c.bound(x.X, w)
		switch x.Op {
		case token.ADD:
			r := c.bound(x.Y, w)
			if l.known && r.known {
				if s, carry := bits.Add64(l.max, r.max, 0); carry == 0 {
					return exactly(s)
				}
			}
		case token.MUL:
			r := c.bound(x.Y, w)
			if l.known && r.known {
				if hi, lo := bits.Mul64(l.max, r.max); hi == 0 {
					return exactly(lo)
				}
			}
		case token.SUB, token.SHR:
			// Lengths and sizes are not negative: subtracting or
			// shifting right does not make them larger.
			if l.known && c.nonNegative(x.Y) {
				return exactly(l.max)
			}
		case token.QUO:
			if l.known && c.positive(x.Y) {
				return exactly(l.max)
			}
		case token.REM:
			if r := c.bound(x.Y, w); r.known && r.max > 0 && c.nonNegative(x.X) {
				return exactly(r.max - 1)
			}
		case token.AND:
			r := c.bound(x.Y, w)
			if c.nonNegative(x.X) && r.known {
				return exactly(r.max)
			}
			if c.nonNegative(x.Y) && l.known {
				return exactly(l.max)
			}
		}
	case *ast.Ident:
		return c.varBound(x, false, w)
	}
	return unknown
}

// lenBound returns the largest length the string, slice or array s can
// have where it is evaluated.
func (c *checker) lenBound(s ast.Expr, w *walk) bound {
	if w.depth > maxDepth {
		return unknown
	}
	w.depth++
	defer func() { w.depth-- }()

	info := c.pass.TypesInfo
	s = ast.Unparen(s)
	if tv, ok := info.Types[s]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return exactly(uint64(len(constant.StringVal(tv.Value))))
	}
	switch t := info.TypeOf(s).Underlying().(type) {
	case *types.Array:
		return exactly(uint64(t.Len()))
	case *types.Pointer:
		if a, ok := t.Elem().Underlying().(*types.Array); ok {
			return exactly(uint64(a.Len()))
		}
	}
	if b := c.checked("len("+c.exprKey(s)+")", c.rootOf(s), s, w); b.known {
		return b
	}
	switch x := s.(type) {
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			// []byte(s), string(b): the same bytes.
			if at := info.TypeOf(x.Args[0]); at != nil && elemSize(c, at) == 1 && elemSize(c, tv.Type) == 1 {
				return c.lenBound(x.Args[0], w)
			}
			return unknown
		}
		switch c.builtin(x) {
		case "make":
			// The capacity bounds the length.
			if len(x.Args) >= 2 {
				return c.maxOver(x.Args[1:], w)
			}
		}
		if k, name := checkutil.CgoRef(c.pass.TypesInfo, x.Fun); k != 0 && len(x.Args) == 2 && (name == "GoBytes" || name == "GoStringN") {
			return c.bound(x.Args[1], w)
		}
	case *ast.SliceExpr:
		if x.High != nil {
			return c.bound(x.High, w)
		}
		return c.lenBound(x.X, w)
	case *ast.Ident:
		return c.varBound(x, true, w)
	}
	return unknown
}

func (c *checker) maxOver(es []ast.Expr, w *walk) bound {
	b := exactly(0)
	for _, a := range es {
		ab := c.bound(a, w)
		if !ab.known {
			return unknown
		}
		b.max = max(b.max, ab.max)
	}
	return b
}

// varBound bounds a local variable (its value, or its length) by every
// value it is ever given, and a parameter by what every caller passes.
func (c *checker) varBound(id *ast.Ident, length bool, w *walk) bound {
	v := c.localVar(id)
	if v == nil || c.opaque[v] || w.visiting[v] {
		return unknown
	}
	w.visiting[v] = true
	defer delete(w.visiting, v)
	b := exactly(0)
	if p, isParam := c.params[v]; isParam {
		b = c.paramBound(p, length, w)
		if !b.known {
			return unknown
		}
	} else if len(c.assigns[v]) == 0 {
		return unknown
	}
	for _, a := range c.assigns[v] {
		if a == nil || length && c.reslices(a, v) {
			// The zero value; b = b[:i], which does not grow b beyond
			// its capacity (taken as bounded with its length: a
			// reslice up to cap(b) of a slice made with a larger
			// capacity is not followed).
			continue
		}
		var ab bound
		if length {
			ab = c.lenBound(a, w)
		} else {
			ab = c.bound(a, w)
		}
		if !ab.known {
			return unknown
		}
		if ab.max > b.max {
			b = ab
		}
	}
	return b
}

// reslices reports whether e slices the variable v itself.
func (c *checker) reslices(e ast.Expr, v *types.Var) bool {
	sl, ok := ast.Unparen(e).(*ast.SliceExpr)
	if !ok || sl.Max != nil {
		return false
	}
	id, ok := ast.Unparen(sl.X).(*ast.Ident)
	return ok && c.pass.TypesInfo.Uses[id] == v
}

// paramBound bounds a parameter of a function the package alone calls
// (an unexported function, or a closure held in a local variable) by
// the arguments of all its calls.
func (c *checker) paramBound(p paramOf, length bool, w *walk) bound {
	var calls []*ast.CallExpr
	switch fn := p.fn.(type) {
	case *types.Func:
		sig := fn.Type().(*types.Signature)
		// A method may be called through an interface, and an
		// exported function from anywhere.
		if fn.Exported() || sig.Recv() != nil || c.escapes[fn] {
			return unknown
		}
		calls = c.calls[fn]
	case *types.Var:
		if c.escapes[fn] || len(c.writes[fn]) != 1 {
			return unknown
		}
		calls = c.calls[fn]
	default:
		// A function literal called where it is written.
		if call, ok := c.parents[p.lit].(*ast.CallExpr); ok && call.Fun == p.lit {
			calls = []*ast.CallExpr{call}
		}
	}
	if len(calls) == 0 || p.variadic {
		return unknown
	}
	b := exactly(0)
	for _, call := range calls {
		if p.index >= len(call.Args) || call.Ellipsis.IsValid() {
			return unknown
		}
		if tv, ok := c.pass.TypesInfo.Types[call.Args[0]]; ok && len(call.Args) == 1 {
			if _, multi := tv.Type.(*types.Tuple); multi {
				return unknown
			}
		}
		var ab bound
		if length {
			ab = c.lenBound(call.Args[p.index], w)
		} else {
			ab = c.bound(call.Args[p.index], w)
		}
		if !ab.known {
			return unknown
		}
		if ab.max > b.max {
			b = ab
		}
	}
	return b
}

// lower returns the smaller of two bounds.
func lower(b bound, limit uint64) bound {
	if !b.known || b.max > limit {
		return exactly(limit)
	}
	return b
}

// typeMax returns the largest value of an integer type.
func (c *checker) typeMax(t types.Type) uint64 {
	b, ok := t.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsInteger == 0 {
		return ^uint64(0)
	}
	return maxOf(c.host.Sizes.Sizeof(t), b.Info()&types.IsUnsigned != 0)
}

// nonNegative reports whether e cannot be negative: a value of an
// unsigned type, a length, or a constant that is not negative.
func (c *checker) nonNegative(e ast.Expr) bool {
	e = ast.Unparen(e)
	info := c.pass.TypesInfo
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return constant.Sign(tv.Value) >= 0
	}
	if b, ok := info.TypeOf(e).Underlying().(*types.Basic); ok && b.Info()&types.IsUnsigned != 0 {
		return true
	}
	if call, ok := e.(*ast.CallExpr); ok {
		switch c.builtin(call) {
		case "len", "cap":
			return true
		}
	}
	return false
}

func (c *checker) positive(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[ast.Unparen(e)]
	return ok && tv.Value != nil && constant.Sign(tv.Value) > 0
}

// rootOf returns the local variable whose writes can change e.
func (c *checker) rootOf(e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.CallExpr:
			if len(x.Args) != 1 {
				return nil
			}
			e = x.Args[0]
		case *ast.SliceExpr:
			e = x.X
		case *ast.BinaryExpr:
			// A check on len(a)+len(b) is invalidated by writes of
			// either; follow the first, and let the other be caught
			// by its own variable's bound.
			e = x.X
		default:
			v, _ := c.rootVar(e)
			return v
		}
	}
}

// exprKey spells an expression for comparing it with the operand of a
// comparison: without parentheses and integer conversions, so that
// int64(len(b)) > math.MaxInt32 is a check of len(b).
func (c *checker) exprKey(e ast.Expr) string {
	for {
		e = ast.Unparen(e)
		call, ok := e.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			break
		}
		tv, ok := c.pass.TypesInfo.Types[call.Fun]
		if !ok || !tv.IsType() {
			break
		}
		if b, ok := tv.Type.Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
			break
		}
		e = call.Args[0]
	}
	return types.ExprString(e)
}
