package bridge

import (
	"modernc.org/cc/v4"
)

// varClass says what an identifier names.
type varClass uint8

const (
	vcOther  varClass = iota // a function, an enumerator, something unresolved
	vcLocal                  // an automatic variable or a parameter
	vcGlobal                 // a variable with static storage
)

func (fs *fnState) classify(d *cc.Declarator) varClass {
	if d == nil {
		return vcOther
	}
	if _, ok := fs.params[d]; ok || fs.locals[d] {
		return vcLocal
	}
	if d.IsParam() {
		return vcLocal
	}
	if t := d.Type(); t != nil && t.Kind() == cc.Function {
		return vcOther
	}
	if d.IsTypename() {
		return vcOther
	}
	return vcGlobal
}

func (fs *fnState) assignVar(d *cc.Declarator, v oset) {
	old := fs.vars[d]
	nv := old.union(v)
	if len(nv) != len(old) {
		fs.vars[d] = nv
		fs.varsChanged = true
	}
}

// value evaluates e and returns what it may point to.
func (fs *fnState) value(e cc.ExpressionNode) (r oset) {
	if isNilNode(e) {
		return nil
	}
	defer func() {
		if isArith(e.Type()) {
			r = nullSet
		}
	}()
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		return fs.primary(x)
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionPrimary:
			return fs.value(x.PrimaryExpression)
		case cc.PostfixExpressionIndex, cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
			return fs.load(x)
		case cc.PostfixExpressionCall:
			return fs.call(x)
		case cc.PostfixExpressionInc, cc.PostfixExpressionDec:
			return fs.modify(x.PostfixExpression)
		case cc.PostfixExpressionComplit:
			fs.initList(x.InitializerList, localSet)
			return localSet
		}
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionPostfix:
			return fs.value(x.PostfixExpression)
		case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
			return fs.modify(x.UnaryExpression)
		case cc.UnaryExpressionAddrof:
			return fs.addrOf(x.CastExpression)
		case cc.UnaryExpressionDeref:
			return fs.load(x)
		case cc.UnaryExpressionPlus, cc.UnaryExpressionMinus, cc.UnaryExpressionCpl,
			cc.UnaryExpressionNot, cc.UnaryExpressionImag, cc.UnaryExpressionReal:
			fs.value(x.CastExpression)
			return nullSet
		case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType,
			cc.UnaryExpressionAlignofExpr, cc.UnaryExpressionAlignofType:
			return nullSet
		case cc.UnaryExpressionLabelAddr:
			return borrowedSet
		}
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			return fs.value(x.UnaryExpression)
		}
		return fs.cast(x)
	case *cc.AssignmentExpression:
		if x.Case == cc.AssignmentExpressionCond {
			return fs.value(x.ConditionalExpression)
		}
		return fs.assign(x)
	case *cc.ConditionalExpression:
		if x.Case == cc.ConditionalExpressionLOr {
			return fs.value(x.LogicalOrExpression)
		}
		c := fs.value(x.LogicalOrExpression)
		fs.cond++
		fs.arms = append(fs.arms, branchMark{node: x, arm: 0})
		var a oset
		if isNilNode(x.ExpressionList) {
			a = c // GNU a ?: b
		} else {
			a = fs.value(x.ExpressionList)
		}
		fs.arms[len(fs.arms)-1].arm = 1
		b := fs.value(x.ConditionalExpression)
		fs.arms = fs.arms[:len(fs.arms)-1]
		fs.cond--
		return a.union(b)
	case *cc.LogicalOrExpression:
		fs.value(x.LogicalOrExpression)
		fs.cond++
		fs.value(x.LogicalAndExpression)
		fs.cond--
		return nullSet
	case *cc.LogicalAndExpression:
		fs.value(x.LogicalAndExpression)
		fs.cond++
		fs.value(x.InclusiveOrExpression)
		fs.cond--
		return nullSet
	case *cc.InclusiveOrExpression:
		fs.value(x.InclusiveOrExpression)
		fs.value(x.ExclusiveOrExpression)
		return nullSet
	case *cc.ExclusiveOrExpression:
		fs.value(x.ExclusiveOrExpression)
		fs.value(x.AndExpression)
		return nullSet
	case *cc.AndExpression:
		fs.value(x.AndExpression)
		fs.value(x.EqualityExpression)
		return nullSet
	case *cc.EqualityExpression:
		fs.value(x.EqualityExpression)
		fs.value(x.RelationalExpression)
		return nullSet
	case *cc.RelationalExpression:
		fs.value(x.RelationalExpression)
		fs.value(x.ShiftExpression)
		return nullSet
	case *cc.ShiftExpression:
		fs.value(x.ShiftExpression)
		fs.value(x.AdditiveExpression)
		return nullSet
	case *cc.MultiplicativeExpression:
		fs.value(x.MultiplicativeExpression)
		fs.value(x.CastExpression)
		return nullSet
	case *cc.AdditiveExpression:
		l := fs.value(x.AdditiveExpression)
		r := fs.value(x.MultiplicativeExpression)
		if !isPointer(x.Type()) {
			return nullSet
		}
		// Pointer arithmetic stays inside the object.
		var out oset
		if isAddress(typeOf(x.AdditiveExpression)) {
			out = out.union(l)
		}
		if isAddress(typeOf(x.MultiplicativeExpression)) {
			out = out.union(r)
		}
		if out == nil {
			return unknownSet
		}
		return out
	case *cc.ExpressionList:
		var v oset
		for l := x; l != nil; l = l.ExpressionList {
			v = fs.value(l.AssignmentExpression)
		}
		return v
	case *cc.ConstantExpression:
		return fs.value(x.ConditionalExpression)
	}
	fs.opaque(e)
	return unknownSet
}

func (fs *fnState) primary(x *cc.PrimaryExpression) oset {
	switch x.Case {
	case cc.PrimaryExpressionIdent:
		d, _ := x.ResolvedTo().(*cc.Declarator)
		if d == nil {
			if _, ok := x.ResolvedTo().(*cc.Enumerator); ok {
				return nullSet
			}
			return unknownSet
		}
		switch fs.classify(d) {
		case vcLocal:
			if isAggregate(d.Type()) && d.Type().Kind() == cc.Array {
				return localSet
			}
			return fs.vars[d]
		case vcGlobal:
			if d.Name() == "errno" {
				fs.event(errnoEvent{kind: evRead})
				return nullSet
			}
			if t := d.Type(); t != nil && t.Kind() == cc.Array {
				return borrowedSet
			}
			return oset{{kind: oReach, param: -1}}
		}
		if t := d.Type(); t != nil && t.Kind() == cc.Function {
			return borrowedSet
		}
		return unknownSet
	case cc.PrimaryExpressionInt, cc.PrimaryExpressionFloat, cc.PrimaryExpressionChar, cc.PrimaryExpressionLChar:
		return nullSet
	case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
		return borrowedSet
	case cc.PrimaryExpressionExpr:
		return fs.value(x.ExpressionList)
	case cc.PrimaryExpressionStmt:
		// ({ ...; e; }): walked as a block that starts with nothing
		// freed; its value is that of its last expression statement.
		save := fs.beginExpr()
		fs.lastValue = nil
		end := fs.compound(x.CompoundStatement, flow{live: true})
		v := fs.lastValue
		fs.endExpr(save, flow{})
		if end.live && fs.cond == 0 {
			fs.defFrees |= end.must
		}
		if !endsInExpr(x.CompoundStatement) || v == nil {
			v = unknownSet
		}
		return v
	case cc.PrimaryExpressionGeneric:
		if x.GenericSelection != nil {
			if a := x.GenericSelection.Associated(); a != nil {
				return fs.value(a.AssignmentExpression)
			}
		}
		return unknownSet
	}
	return unknownSet
}

func endsInExpr(cs *cc.CompoundStatement) bool {
	if cs == nil {
		return false
	}
	var last *cc.BlockItem
	for l := cs.BlockItemList; l != nil; l = l.BlockItemList {
		last = l.BlockItem
	}
	return last != nil && last.Case == cc.BlockItemStmt && last.Statement != nil && last.Statement.Case == cc.StatementExpr
}

// objectType is the type of the object an lvalue designates, before
// array-to-pointer decay.
func (fs *fnState) objectType(e cc.ExpressionNode) cc.Type {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		if x.Case == cc.PrimaryExpressionIdent {
			if d, ok := x.ResolvedTo().(*cc.Declarator); ok && d != nil {
				return d.Type()
			}
		}
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
			if f := x.Field(); f != nil {
				return f.Type()
			}
			return nil
		case cc.PostfixExpressionIndex:
			return elemType(fs.objectType(x.PostfixExpression))
		}
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionDeref {
			return elemType(typeOf(x.CastExpression))
		}
	}
	return typeOf(e)
}

func elemType(t cc.Type) cc.Type {
	switch x := t.(type) {
	case *cc.ArrayType:
		return x.Elem()
	case *cc.PointerType:
		return x.Elem()
	}
	return nil
}

// addr evaluates the lvalue e and returns the origins of its address.
func (fs *fnState) addr(e cc.ExpressionNode) oset {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		switch x.Case {
		case cc.PrimaryExpressionIdent:
			d, _ := x.ResolvedTo().(*cc.Declarator)
			switch fs.classify(d) {
			case vcLocal:
				return localSet
			case vcGlobal, vcOther:
				return borrowedSet
			}
		case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
			return borrowedSet
		}
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionIndex:
			base, idx := x.PostfixExpression, x.ExpressionList
			if isIntegerType(typeOf(base)) {
				base, idx = idx, base // i[a]
			}
			var a oset
			if t := fs.objectType(base); t != nil && t.Kind() == cc.Array {
				a = fs.addr(base)
			} else {
				a = fs.derefs(fs.value(base))
			}
			fs.value(idx)
			return a
		case cc.PostfixExpressionSelect:
			return fs.addr(x.PostfixExpression)
		case cc.PostfixExpressionPSelect:
			return fs.derefs(fs.value(x.PostfixExpression))
		case cc.PostfixExpressionComplit:
			fs.initList(x.InitializerList, localSet)
			return localSet
		}
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionDeref {
			return fs.derefs(fs.value(x.CastExpression))
		}
	}
	fs.lost(fs.value(e))
	return unknownSet
}

// load evaluates an lvalue that designates memory and returns its value.
func (fs *fnState) load(e cc.ExpressionNode) oset {
	if fs.isErrnoLvalue(e) {
		fs.event(errnoEvent{kind: evRead})
		return nullSet
	}
	a := fs.addr(e)
	if t := fs.objectType(e); t != nil && t.Kind() == cc.Array {
		return a
	}
	var out oset
	for _, o := range a {
		switch o.kind {
		case oParam, oReach:
			out = out.union(oset{{kind: oReach, param: o.param}})
		case oBorrowed:
			out = out.union(oset{{kind: oReach, param: -1}})
		default:
			out = out.union(unknownSet)
		}
	}
	if out == nil {
		out = unknownSet
	}
	return out
}

// addrOf evaluates &e.
func (fs *fnState) addrOf(e cc.ExpressionNode) oset {
	if id := identOf(e); id != nil {
		if d, ok := id.ResolvedTo().(*cc.Declarator); ok && fs.classify(d) == vcLocal {
			// The variable can now be read and written through a
			// pointer the walk does not follow.
			fs.lost(fs.vars[d])
			fs.assignVar(d, unknownSet)
			return localSet
		}
	}
	if fs.isErrnoLvalue(e) {
		fs.event(errnoEvent{kind: evRead})
		fs.wroteErrno = true
		return borrowedSet
	}
	return fs.addr(e)
}

// modify evaluates ++ and -- on an lvalue.
func (fs *fnState) modify(e cc.ExpressionNode) oset {
	if fs.isErrnoLvalue(e) {
		fs.event(errnoEvent{kind: evRead})
		fs.event(errnoEvent{kind: evWrite})
		fs.wroteErrno = true
		return nullSet
	}
	if id := identOf(e); id != nil {
		if d, ok := id.ResolvedTo().(*cc.Declarator); ok && fs.classify(d) == vcLocal {
			return fs.vars[d]
		}
	}
	fs.addr(e)
	return unknownSet
}

func (fs *fnState) cast(x *cc.CastExpression) oset {
	v := fs.value(x.CastExpression)
	to := typeOf(x)
	from := typeOf(x.CastExpression)
	switch {
	case to != nil && to.Kind() == cc.Void:
		return nullSet
	case isArith(to) && isAddress(from):
		// A pointer hidden in an integer is out of sight.
		fs.lost(v)
		return unknownSet
	case isPointer(to) && isArith(from):
		if isZeroConst(x.CastExpression) {
			return nullSet
		}
		return unknownSet
	}
	return v
}

func (fs *fnState) assign(x *cc.AssignmentExpression) oset {
	lhs := x.UnaryExpression
	if fs.isErrnoLvalue(lhs) {
		if x.Case != cc.AssignmentExpressionAssign {
			fs.event(errnoEvent{kind: evRead})
		}
		fs.value(x.AssignmentExpression)
		fs.event(errnoEvent{kind: evWrite, zero: x.Case == cc.AssignmentExpressionAssign && isZeroConst(x.AssignmentExpression)})
		fs.wroteErrno = true
		return nullSet
	}
	v := fs.value(x.AssignmentExpression)
	if x.Case != cc.AssignmentExpressionAssign {
		// p += n keeps p inside its object; an integer stays an integer.
		return fs.modify(lhs)
	}
	if id := identOf(lhs); id != nil {
		if d, ok := id.ResolvedTo().(*cc.Declarator); ok {
			switch fs.classify(d) {
			case vcLocal:
				if isAggregate(d.Type()) {
					fs.lost(v)
				} else {
					fs.assignVar(d, v)
				}
				return v
			case vcGlobal:
				fs.stored(borrowedSet, v, -1)
				return v
			}
		}
	}
	outParam := -1
	if base := derefBase(lhs); base != nil {
		if i, ok := fs.paramValue(base); ok {
			outParam = i
		}
	}
	a := fs.addr(lhs)
	if a.has(origin{kind: oLocal}) {
		// A field or element of a local aggregate: where it goes from
		// there is not followed.
		fs.lost(v)
		return v
	}
	fs.stored(a, v, outParam)
	return v
}

// derefBase returns p for the lvalues *p and p[0].
func derefBase(e cc.ExpressionNode) cc.ExpressionNode {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionDeref {
			return x.CastExpression
		}
	case *cc.PostfixExpression:
		if x.Case == cc.PostfixExpressionIndex && isZeroConst(x.ExpressionList) {
			return x.PostfixExpression
		}
	}
	return nil
}

func (fs *fnState) initList(l *cc.InitializerList, dst oset) {
	for ; l != nil; l = l.InitializerList {
		fs.initializer(l.Initializer, dst)
	}
}
