package bridge

import (
	"reflect"

	"modernc.org/cc/v4"
)

// KeepsValue tells whether C function name stores the value of its
// parameter i (0-based) where it outlives the call. It is meant for
// parameters that are not pointers, which summaries do not follow: a
// cgo.Handle passed as uintptr_t, an index into a table. It answers Yes
// when the body, or a function of the package it passes the value to,
// assigns the value to static storage or into memory; No when the body
// only uses it; Unknown when there is no body, or the value reaches a
// function whose body is not known. goCalls lists the exported Go
// functions the value is passed to.
func (p *Package) KeepsValue(name string, i int) (keeps Tristate, goCalls []string) {
	if p == nil {
		return Unknown, nil
	}
	// The answers were taken with every body at hand (see cSide).
	a, ok := p.keeps[name][i]
	if !ok {
		return Unknown, nil
	}
	return a.Keeps, a.GoCalls
}

// keepsValue reads the bodies for KeepsValue.
func (p *Package) keepsValue(name string, i int) (keeps Tristate, goCalls []string) {
	k := &valueKeeper{p: p, seen: map[string]bool{}}
	keeps = k.keeps(name, i, 0)
	return keeps, k.goCalls
}

type valueKeeper struct {
	p       *Package
	seen    map[string]bool
	goCalls []string
}

const maxKeepsDepth = 4

func (k *valueKeeper) keeps(name string, i, depth int) Tristate {
	f := k.p.Funcs[name]
	if f == nil || !f.HasBody || f.Def == nil || depth > maxKeepsDepth {
		return Unknown
	}
	key := name + "#" + string(rune('0'+i))
	if k.seen[key] {
		return No // a recursive call adds nothing new
	}
	k.seen[key] = true
	param := paramDeclarator(f, i)
	if param == nil {
		return Unknown
	}
	// The declarators holding the value: the parameter and the locals
	// it is copied to.
	holds := map[*cc.Declarator]bool{param: true}
	for changed := true; changed; {
		changed = false
		walkC(f.Def.CompoundStatement, func(n any) {
			var dst *cc.Declarator
			var src cc.ExpressionNode
			switch n := n.(type) {
			case *cc.AssignmentExpression:
				if n.Case != cc.AssignmentExpressionAssign {
					return
				}
				dst, src = identDecl(n.UnaryExpression), n.AssignmentExpression
			case *cc.InitDeclarator:
				if n.Initializer == nil {
					return
				}
				dst, src = n.Declarator, n.Initializer.AssignmentExpression
			default:
				return
			}
			if dst != nil && !holds[dst] && dst.StorageDuration() == cc.Automatic && derived(src, holds) {
				holds[dst] = true
				changed = true
			}
		})
	}
	result := No
	walkC(f.Def.CompoundStatement, func(n any) {
		switch n := n.(type) {
		case *cc.AssignmentExpression:
			if n.Case != cc.AssignmentExpressionAssign || !derived(n.AssignmentExpression, holds) {
				return
			}
			dst := identDecl(n.UnaryExpression)
			if dst == nil || dst.StorageDuration() == cc.Static {
				result = Yes // into memory, or into a static variable
			}
		case *cc.PostfixExpression:
			if n.Case != cc.PostfixExpressionCall {
				return
			}
			callee := identDecl(n.PostfixExpression)
			j := 0
			for l := n.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
				if holds[identDecl(l.AssignmentExpression)] {
					switch {
					case callee == nil:
						if result == No {
							result = Unknown
						}
					case k.p.Exports[callee.Name()] != nil:
						k.goCalls = append(k.goCalls, callee.Name())
					default:
						switch k.keeps(callee.Name(), j, depth+1) {
						case Yes:
							result = Yes
						case Unknown:
							if result == No {
								result = Unknown
							}
						}
					}
				}
				j++
			}
		}
	})
	return result
}

// derived reports whether e is the value held, or the data pointer of a
// held Go string (_GoStringPtr(s)).
func derived(e cc.ExpressionNode, holds map[*cc.Declarator]bool) bool {
	if holds[identDecl(e)] {
		return true
	}
	for {
		c, ok := e.(*cc.CastExpression)
		if !ok || c.Case != cc.CastExpressionCast {
			break
		}
		e = c.CastExpression
	}
	call, ok := e.(*cc.PostfixExpression)
	if !ok || call.Case != cc.PostfixExpressionCall {
		return false
	}
	callee := identDecl(call.PostfixExpression)
	if callee == nil || callee.Name() != "_GoStringPtr" || call.ArgumentExpressionList == nil {
		return false
	}
	return holds[identDecl(call.ArgumentExpressionList.AssignmentExpression)]
}

// paramDeclarator returns the declarator of parameter i of a definition.
func paramDeclarator(f *Func, i int) *cc.Declarator {
	ft, ok := f.Def.Declarator.Type().(*cc.FunctionType)
	if !ok {
		return nil
	}
	j := 0
	for _, prm := range ft.Parameters() {
		if t := prm.Type(); t != nil && t.Kind() == cc.Void {
			continue
		}
		if j == i {
			return prm.Declarator
		}
		j++
	}
	return nil
}

// identDecl returns the declarator an expression names, through casts
// and parentheses, or nil when it is not a plain identifier.
func identDecl(e cc.ExpressionNode) *cc.Declarator {
	for e != nil {
		switch x := e.(type) {
		case *cc.CastExpression:
			if x.Case != cc.CastExpressionCast {
				return nil
			}
			e = x.CastExpression
		case *cc.PrimaryExpression:
			switch x.Case {
			case cc.PrimaryExpressionIdent:
				d, _ := x.ResolvedTo().(*cc.Declarator)
				return d
			case cc.PrimaryExpressionExpr:
				e = x.ExpressionList
			default:
				return nil
			}
		default:
			return nil
		}
	}
	return nil
}

// walkC calls visit for every node of a cc syntax tree, through the
// exported fields that hold child nodes.
func walkC(root any, visit func(any)) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
			return
		case reflect.Pointer:
			if v.IsNil() || v.Elem().Kind() != reflect.Struct {
				return
			}
		default:
			return
		}
		visit(v.Interface())
		s := v.Elem()
		t := s.Type()
		for i := 0; i < s.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			switch s.Field(i).Kind() {
			case reflect.Pointer, reflect.Interface:
				walk(s.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(root))
}
