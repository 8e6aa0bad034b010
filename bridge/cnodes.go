package bridge

import (
	"reflect"

	"modernc.org/cc/v4"
)

// calleeName returns the name of a directly called function, or "".
func calleeName(e cc.ExpressionNode) string {
	id := identOf(e)
	if id == nil {
		return ""
	}
	d, ok := id.ResolvedTo().(*cc.Declarator)
	if !ok || d == nil {
		return id.Token.SrcStr()
	}
	if t := d.Type(); t == nil || t.Kind() != cc.Function {
		return ""
	}
	return d.Name()
}

// identOf returns the identifier e is, ignoring parentheses.
func identOf(e cc.ExpressionNode) *cc.PrimaryExpression {
	e = stripParens(e)
	if pe, ok := e.(*cc.PrimaryExpression); ok && pe != nil && pe.Case == cc.PrimaryExpressionIdent {
		return pe
	}
	return nil
}

func stripParens(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		pe, ok := e.(*cc.PrimaryExpression)
		if !ok || pe == nil || pe.Case != cc.PrimaryExpressionExpr || isNilNode(pe.ExpressionList) {
			return e
		}
		if _, isList := pe.ExpressionList.(*cc.ExpressionList); isList {
			return e
		}
		e = pe.ExpressionList
	}
}

// stripVoid removes parentheses and casts to void.
func stripVoid(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		e = stripParens(e)
		c, ok := e.(*cc.CastExpression)
		if !ok || c == nil || c.Case != cc.CastExpressionCast {
			return e
		}
		if t := c.Type(); t == nil || t.Kind() != cc.Void {
			return e
		}
		e = c.CastExpression
	}
}

func stripCasts(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		e = stripParens(e)
		c, ok := e.(*cc.CastExpression)
		if !ok || c == nil || c.Case != cc.CastExpressionCast {
			return e
		}
		e = c.CastExpression
	}
}

func isNilNode(n any) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func typeOf(e cc.ExpressionNode) cc.Type {
	if isNilNode(e) {
		return nil
	}
	return e.Type()
}

func isPointer(t cc.Type) bool { return t != nil && t.Kind() == cc.Ptr }

// isAddress reports whether a value of type t is an address: a pointer,
// or an array that decays to one.
func isAddress(t cc.Type) bool { return t != nil && (t.Kind() == cc.Ptr || t.Kind() == cc.Array) }

func isIntegerType(t cc.Type) bool { return t != nil && cc.IsIntegerType(t) }

func isArith(t cc.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case cc.InvalidKind, cc.Ptr, cc.Array, cc.Function, cc.Struct, cc.Union, cc.Void:
		return false
	}
	return true
}

func isZeroConst(e cc.ExpressionNode) bool {
	if isNilNode(e) {
		return false
	}
	switch v := e.Value().(type) {
	case cc.Int64Value:
		return v == 0
	case cc.UInt64Value:
		return v == 0
	case *cc.ZeroValue:
		return true
	}
	return false
}

func isNonZeroConst(e cc.ExpressionNode) bool {
	if isNilNode(e) {
		return false
	}
	switch v := e.Value().(type) {
	case cc.Int64Value:
		return v != 0
	case cc.UInt64Value:
		return v != 0
	}
	return false
}

// visitNodes calls fn on every AST node under root, in source order.
func visitNodes(root any, fn func(any)) {
	var walk func(any)
	walk = func(n any) {
		fn(n)
		visitChildren(n, func(c any) bool { walk(c); return false })
	}
	walk(root)
}

var (
	nodeType  = reflect.TypeFor[cc.Node]()
	tokenType = reflect.TypeFor[cc.Token]()
)

// visitChildren calls fn on each AST node held in a field of n; when fn
// returns true the child's own children are visited too. Tokens and
// unexported fields (type information, scopes) are not followed.
func visitChildren(n any, fn func(any) bool) {
	v := reflect.ValueOf(n)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	v = v.Elem()
	if v.Kind() != reflect.Struct {
		return
	}
	t := v.Type()
	for i := 0; i < v.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Anonymous || sf.Type == tokenType {
			continue
		}
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Pointer, reflect.Interface:
			if f.IsNil() || !f.Type().Implements(nodeType) && f.Kind() != reflect.Interface {
				continue
			}
			c := f.Interface()
			if isNilNode(c) {
				continue
			}
			if fn(c) {
				visitChildren(c, fn)
			}
		}
	}
}

// specifiersOf returns the declaration specifiers of a file-scope
// declaration or function definition, or nil.
func specifiersOf(ed *cc.ExternalDeclaration) *cc.DeclarationSpecifiers {
	if ed == nil {
		return nil
	}
	switch ed.Case {
	case cc.ExternalDeclarationDecl:
		if ed.Declaration != nil {
			return ed.Declaration.DeclarationSpecifiers
		}
	case cc.ExternalDeclarationFuncDef:
		if ed.FunctionDefinition != nil {
			return ed.FunctionDefinition.DeclarationSpecifiers
		}
	}
	return nil
}
