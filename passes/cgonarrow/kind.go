package cgonarrow

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A valueKind says what an integer converted for C counts.
type valueKind int

const (
	notLength    valueKind = iota // an index, a flag, a setting
	elementCount                  // len of a slice of values wider than a byte
	weakSize                      // a value of unknown origin called n
	namedSize                     // a value of unknown origin named as a size or length
	byteLength                    // the length of a string or byte slice, or arithmetic on one
)

func (k valueKind) String() string {
	return [...]string{"not a length", "element count", "n", "named size", "byte length"}[k]
}

// kind classifies an integer expression. Only byte lengths and sizes
// of unknown origin can be large enough to matter: a count of Go values
// (argv entries, iovecs, poll items) or a loop index is far below the
// limit of any C integer a program hands it to.
func (c *checker) kind(e ast.Expr, depth int) valueKind {
	if depth > 6 {
		return notLength
	}
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return notLength
	}
	switch x := e.(type) {
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return c.kind(x.Args[0], depth+1)
		}
		switch c.builtin(x) {
		case "len", "cap":
			if len(x.Args) == 1 && elemSize(c, info.TypeOf(x.Args[0])) == 1 {
				return byteLength
			}
			return elementCount
		case "min", "max":
			k := notLength
			for _, a := range x.Args {
				k = max(k, c.kind(a, depth+1))
			}
			return k
		}
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && len(x.Args) == 0 && strongLengthName(sel.Sel.Name) {
			// buf.Len(), f.Size()
			return namedSize
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.SHL, token.SHR:
			l, r := c.kind(x.X, depth+1), c.kind(x.Y, depth+1)
			if x.Op == token.MUL && (l == elementCount || r == elementCount) {
				// n elements times their size is a number of bytes.
				return byteLength
			}
			if x.Op == token.SUB || x.Op == token.QUO || x.Op == token.SHR {
				return l
			}
			return max(l, r)
		}
	case *ast.Ident:
		if v := c.localVar(x); v != nil && !c.opaque[v] && len(c.assigns[v]) > 0 {
			k := notLength
			for _, a := range c.assigns[v] {
				if a != nil {
					k = max(k, c.kind(a, depth+1))
				}
			}
			if _, isParam := c.params[v]; !isParam && k != notLength {
				return k
			}
			if k == byteLength {
				return k
			}
		}
		if isEnum(info.TypeOf(x)) {
			return notLength
		}
		return nameKind(x.Name)
	case *ast.SelectorExpr:
		if _, ok := info.Selections[x]; ok && !isEnum(info.TypeOf(x)) {
			return nameKind(x.Sel.Name)
		}
	}
	return notLength
}

// isEnum reports whether t is a defined integer type for which its
// package declares constants: an enumeration (govips's Size: SizeBoth,
// SizeUp, ...), whose values are choices, not sizes, whatever a
// variable of it is called.
func isEnum(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	if b, ok := named.Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
		return false
	}
	consts := 0
	scope := named.Obj().Pkg().Scope()
	for _, name := range scope.Names() {
		if k, ok := scope.Lookup(name).(*types.Const); ok && types.Identical(k.Type(), named) {
			consts++
			if consts == 2 {
				return true
			}
		}
	}
	return false
}

// nameKind classifies a value of unknown origin by its name.
func nameKind(name string) valueKind {
	switch {
	case strongLengthName(name):
		return namedSize
	case name == "n":
		return weakSize
	}
	return notLength
}

// builtin returns the name of the builtin function call calls, or "".
func (c *checker) builtin(call *ast.CallExpr) string {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}

// elemSize returns the size of the elements a string, slice, array or
// pointer to array holds, or 0.
func elemSize(c *checker, t types.Type) int64 {
	if t == nil {
		return 0
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return 1
		}
	case *types.Slice:
		return c.host.Sizes.Sizeof(u.Elem())
	case *types.Array:
		return c.host.Sizes.Sizeof(u.Elem())
	case *types.Pointer:
		if a, ok := u.Elem().Underlying().(*types.Array); ok {
			return c.host.Sizes.Sizeof(a.Elem())
		}
	}
	return 0
}

// measured returns x when e is len(x) or cap(x), or a local variable
// defined as one.
func (c *checker) measured(e ast.Expr, depth int) ast.Expr {
	if depth > 3 {
		return nil
	}
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		switch c.builtin(call) {
		case "len", "cap":
			return call.Args[0]
		}
		return nil
	}
	if def := c.definition(e); def != nil {
		return c.measured(def, depth+1)
	}
	return nil
}
