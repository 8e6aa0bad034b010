package bridge

import (
	"modernc.org/cc/v4"
)

// flow is the state of the path walk: whether the point is reachable,
// which parameters have been freed on every path reaching it, and which
// out-parameters owned memory may have been stored through on some path
// reaching it.
type flow struct {
	live   bool
	must   pset
	stored pset
}

func join(a, b flow) flow {
	switch {
	case a.live && b.live:
		return flow{live: true, must: a.must & b.must, stored: a.stored | b.stored}
	case a.live:
		return a
	}
	return b
}

func (fs *fnState) compound(cs *cc.CompoundStatement, st flow) flow {
	if cs == nil {
		return st
	}
	for l := cs.BlockItemList; l != nil; l = l.BlockItemList {
		st = fs.blockItem(l.BlockItem, st)
		if fs.abandon != "" {
			return st
		}
	}
	return st
}

func (fs *fnState) blockItem(bi *cc.BlockItem, st flow) flow {
	if bi == nil {
		return st
	}
	switch bi.Case {
	case cc.BlockItemDecl:
		return fs.declaration(bi.Declaration, st)
	case cc.BlockItemStmt:
		return fs.stmt(bi.Statement, st)
	case cc.BlockItemFuncDef:
		// A GNU nested function can reach the parameters and locals
		// from code this walk does not follow.
		fs.abandon = "it defines a nested function"
	}
	return st
}

func (fs *fnState) declaration(d *cc.Declaration, st flow) flow {
	if d == nil {
		return st
	}
	switch d.Case {
	case cc.DeclarationDecl:
		for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
			id := l.InitDeclarator
			if id == nil || id.Declarator == nil {
				continue
			}
			st = fs.declare(id.Declarator, id.Initializer, st)
		}
	case cc.DeclarationAuto:
		st = fs.declare(d.Declarator, d.Initializer, st)
	}
	return st
}

func (fs *fnState) declare(dd *cc.Declarator, init *cc.Initializer, st flow) flow {
	if dd == nil || dd.IsTypename() {
		return st
	}
	if t := dd.Type(); t != nil && t.Kind() == cc.Function {
		return st
	}
	static := dd.IsStatic() || dd.IsExtern()
	if !static {
		fs.locals[dd] = true
	}
	if init == nil {
		return st
	}
	save := fs.beginExpr()
	switch {
	case static:
		// Static initializers are constants; nothing here is a parameter.
		fs.initializer(init, nil)
	case init.Case == cc.InitializerExpr && !isAggregate(dd.Type()):
		fs.assignVar(dd, fs.value(init.AssignmentExpression))
	default:
		fs.initializer(init, localSet)
	}
	return fs.endExpr(save, st)
}

// initializer evaluates an initializer whose values are stored at dst
// (nil: nowhere that matters).
func (fs *fnState) initializer(init *cc.Initializer, dst oset) {
	if init == nil {
		return
	}
	switch init.Case {
	case cc.InitializerExpr:
		v := fs.value(init.AssignmentExpression)
		if dst != nil {
			if dst.has(origin{kind: oLocal}) {
				fs.lost(v)
			} else {
				fs.stored(dst, v, -1)
			}
		}
	case cc.InitializerInitList:
		for l := init.InitializerList; l != nil; l = l.InitializerList {
			fs.initializer(l.Initializer, dst)
		}
	}
}

func isAggregate(t cc.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case cc.Array, cc.Struct, cc.Union:
		return true
	}
	return false
}

// beginExpr starts evaluating a full expression.
type exprSave struct {
	frees    pset
	stored   pset
	noReturn bool
}

func (fs *fnState) beginExpr() exprSave {
	s := exprSave{fs.defFrees, fs.defStored, fs.defNoReturn}
	fs.defFrees, fs.defStored, fs.defNoReturn = 0, 0, false
	return s
}

// endExpr folds what the expression definitely did, and the
// out-parameters it may have stored through, into st. What an inner
// full expression (a statement of a ({ ... }) block) may have stored
// stays with the enclosing expression too.
func (fs *fnState) endExpr(s exprSave, st flow) flow {
	st.must |= fs.defFrees
	st.stored |= fs.defStored
	if fs.defNoReturn {
		st.live = false
	}
	fs.defFrees, fs.defStored, fs.defNoReturn = s.frees, s.stored|fs.defStored, s.noReturn
	return st
}

func (fs *fnState) fullExpr(e cc.ExpressionNode, st flow) (oset, flow) {
	save := fs.beginExpr()
	v := fs.value(e)
	return v, fs.endExpr(save, st)
}

func (fs *fnState) stmt(s *cc.Statement, st flow) flow {
	if s == nil || fs.abandon != "" {
		return st
	}
	switch s.Case {
	case cc.StatementLabeled:
		return fs.labeled(s.LabeledStatement, st)
	case cc.StatementCompound:
		return fs.compound(s.CompoundStatement, st)
	case cc.StatementExpr:
		if s.ExpressionStatement == nil {
			return st
		}
		e := s.ExpressionStatement.ExpressionList
		if c, ok := stripVoid(e).(*cc.PostfixExpression); ok && c.Case == cc.PostfixExpressionCall {
			fs.discarded = c
		}
		var v oset
		v, st = fs.fullExpr(e, st)
		fs.discarded = nil
		fs.lastValue = v
		return st
	case cc.StatementSelection:
		return fs.selection(s.SelectionStatement, st)
	case cc.StatementIteration:
		return fs.iteration(s.IterationStatement, st)
	case cc.StatementJump:
		return fs.jump(s.JumpStatement, st)
	case cc.StatementAsm:
		// Operands of asm can be anything; what it calls is unseen.
		fs.errnoUnk = true
		fs.opaque(s.AsmStatement)
		return st
	}
	fs.opaque(s)
	return st
}

func (fs *fnState) labeled(ls *cc.LabeledStatement, st flow) flow {
	if ls == nil {
		return st
	}
	switch ls.Case {
	case cc.LabeledStatementLabel:
		name := ls.Token.SrcStr()
		fs.labels[name] = true
		if g, ok := fs.gotos[name]; ok {
			if st.live {
				st.must &= g.must
				st.stored |= g.stored
			} else {
				st = flow{live: true, must: g.must, stored: g.stored}
			}
		}
	case cc.LabeledStatementCaseLabel, cc.LabeledStatementRange, cc.LabeledStatementDefault:
		sw := ls.Switch()
		// A case is reached from the switch, or by falling through the
		// case before it.
		entry := fs.switches[sw]
		stored := entry.stored
		if st.live {
			stored |= st.stored
		}
		st = flow{live: true, must: entry.must, stored: stored}
		for i := len(fs.arms) - 1; i >= 0; i-- {
			if sw != nil && fs.arms[i].node == cc.Node(sw) {
				fs.arms[i].arm = ls.CaseOrdinal()
				break
			}
		}
	}
	return fs.stmt(ls.Statement, st)
}

func (fs *fnState) selection(ss *cc.SelectionStatement, st flow) flow {
	if ss == nil {
		return st
	}
	_, st = fs.fullExpr(ss.ExpressionList, st)
	switch ss.Case {
	case cc.SelectionStatementIf, cc.SelectionStatementIfElse:
		thenSt, elseSt := st, st
		if i, nullWhenTrue, ok := fs.nullTest(ss.ExpressionList); ok {
			// free(NULL) frees nothing, so a NULL parameter is as good
			// as freed.
			if nullWhenTrue {
				thenSt.must = thenSt.must.with(i)
			} else {
				elseSt.must = elseSt.must.with(i)
			}
		}
		fs.arms = append(fs.arms, branchMark{node: ss, arm: 0})
		thenSt = fs.stmt(ss.Statement, thenSt)
		fs.arms[len(fs.arms)-1].arm = 1
		if ss.Case == cc.SelectionStatementIfElse {
			elseSt = fs.stmt(ss.Statement2, elseSt)
		}
		fs.arms = fs.arms[:len(fs.arms)-1]
		return join(thenSt, elseSt)
	case cc.SelectionStatementSwitch:
		fs.switches[ss] = st
		fs.arms = append(fs.arms, branchMark{node: ss, arm: -1})
		brk := fs.pushBreak()
		end := fs.stmt(ss.Statement, flow{live: false, must: st.must, stored: st.stored})
		fs.popBreak()
		fs.arms = fs.arms[:len(fs.arms)-1]
		out := join(end, *brk)
		if !hasDefault(ss) {
			out = join(out, st)
		}
		return out
	}
	return st
}

func hasDefault(ss *cc.SelectionStatement) bool {
	for _, ls := range ss.LabeledStatements() {
		if ls != nil && ls.Case == cc.LabeledStatementDefault {
			return true
		}
	}
	return false
}

func (fs *fnState) pushBreak() *flow {
	f := &flow{}
	fs.breaks = append(fs.breaks, f)
	return f
}

func (fs *fnState) popBreak() { fs.breaks = fs.breaks[:len(fs.breaks)-1] }

func (fs *fnState) iteration(it *cc.IterationStatement, st flow) flow {
	if it == nil {
		return st
	}
	fs.loops++
	defer func() { fs.loops-- }()
	var cond cc.ExpressionNode
	switch it.Case {
	case cc.IterationStatementWhile:
		cond = it.ExpressionList
		_, st = fs.fullExpr(cond, st)
	case cc.IterationStatementDo:
		fs.pushBreak()
		body := fs.stmt(it.Statement, st)
		fs.popBreak()
		_, after := fs.fullExpr(it.ExpressionList, flow{live: true, must: body.must, stored: body.stored})
		if body.live && !hasLoopExit(it.Statement, true) {
			return after
		}
		st.stored |= after.stored
		return st
	case cc.IterationStatementFor:
		_, st = fs.fullExpr(it.ExpressionList, st)
		cond = it.ExpressionList2
		_, st = fs.fullExpr(cond, st)
	case cc.IterationStatementForDecl:
		st = fs.declaration(it.Declaration, st)
		cond = it.ExpressionList
		_, st = fs.fullExpr(cond, st)
	}
	brk := fs.pushBreak()
	body := fs.stmt(it.Statement, st)
	fs.popBreak()
	var step cc.ExpressionNode
	switch it.Case {
	case cc.IterationStatementFor:
		step = it.ExpressionList3
	case cc.IterationStatementForDecl:
		step = it.ExpressionList2
	}
	fs.fullExpr(step, flow{live: body.live, must: body.must})
	if isNilNode(cond) || isNonZeroConst(cond) {
		// for (;;) or while (1) leaves by break, or by return or goto,
		// which the walk has recorded.
		return *brk
	}
	st.stored |= body.stored | brk.stored
	return st
}

// hasLoopExit reports whether s contains a break or (with cont) a
// continue that leaves the loop s is the body of.
func hasLoopExit(s *cc.Statement, cont bool) bool {
	found := false
	var walk func(s *cc.Statement, inLoop, inSwitch bool)
	walk = func(s *cc.Statement, inLoop, inSwitch bool) {
		if s == nil || found {
			return
		}
		switch s.Case {
		case cc.StatementLabeled:
			if s.LabeledStatement != nil {
				walk(s.LabeledStatement.Statement, inLoop, inSwitch)
			}
		case cc.StatementCompound:
			if s.CompoundStatement == nil {
				return
			}
			for l := s.CompoundStatement.BlockItemList; l != nil; l = l.BlockItemList {
				if l.BlockItem != nil && l.BlockItem.Case == cc.BlockItemStmt {
					walk(l.BlockItem.Statement, inLoop, inSwitch)
				}
			}
		case cc.StatementSelection:
			ss := s.SelectionStatement
			if ss == nil {
				return
			}
			sw := inSwitch || ss.Case == cc.SelectionStatementSwitch
			walk(ss.Statement, inLoop, sw)
			walk(ss.Statement2, inLoop, sw)
		case cc.StatementIteration:
			if s.IterationStatement != nil {
				walk(s.IterationStatement.Statement, true, inSwitch)
			}
		case cc.StatementJump:
			js := s.JumpStatement
			if js == nil {
				return
			}
			switch js.Case {
			case cc.JumpStatementBreak:
				found = found || (!inLoop && !inSwitch)
			case cc.JumpStatementContinue:
				found = found || (cont && !inLoop)
			}
		}
	}
	walk(s, false, false)
	return found
}

func (fs *fnState) jump(js *cc.JumpStatement, st flow) flow {
	if js == nil {
		return st
	}
	switch js.Case {
	case cc.JumpStatementReturn:
		if !isNilNode(js.ExpressionList) {
			var v oset
			v, st = fs.fullExpr(js.ExpressionList, st)
			fs.retOrigins = fs.retOrigins.union(v)
			failing := fs.failureValue(js.ExpressionList)
			fail := fs.failedTest(js.ExpressionList, failing)
			fs.event(errnoEvent{kind: evExit, failing: failing, fail: fail})
			if st.live {
				fs.exits = append(fs.exits, exit{stored: st.stored, fail: fail})
			}
		} else if st.live {
			fs.exits = append(fs.exits, exit{stored: st.stored})
		}
		if st.live {
			fs.returns = append(fs.returns, st.must)
		}
	case cc.JumpStatementGoto:
		name := js.Token2.SrcStr()
		if fs.labels[name] {
			// A backward goto: the label's state was settled before this
			// path was seen.
			fs.unsureFlow = true
		} else if st.live {
			if g, ok := fs.gotos[name]; ok {
				fs.gotos[name] = join(g, st)
			} else {
				fs.gotos[name] = st
			}
		}
	case cc.JumpStatementGotoExpr:
		fs.fullExpr(js.ExpressionList, st)
		fs.unsureFlow = true
	case cc.JumpStatementBreak:
		if n := len(fs.breaks); n > 0 && st.live {
			*fs.breaks[n-1] = join(*fs.breaks[n-1], st)
		}
	}
	return flow{live: false, must: st.must}
}

// nullTest recognizes "!p", "p == NULL", "NULL == p", "p != NULL" and "p"
// for a value that is exactly parameter i.
func (fs *fnState) nullTest(e cc.ExpressionNode) (param int, nullWhenTrue, ok bool) {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionNot {
			if i, ok := fs.paramValue(x.CastExpression); ok {
				return i, true, true
			}
		}
	case *cc.EqualityExpression:
		l, r := x.EqualityExpression, x.RelationalExpression
		i, ok := fs.paramValue(l)
		if !ok || !isZeroConst(r) {
			i, ok = fs.paramValue(r)
			if !ok || !isZeroConst(l) {
				return -1, false, false
			}
		}
		return i, x.Case == cc.EqualityExpressionEq, true
	case *cc.PostfixExpression:
		if x.Case == cc.PostfixExpressionCall && calleeName(x.PostfixExpression) == "__builtin_expect" {
			if a := x.ArgumentExpressionList; a != nil {
				return fs.nullTest(a.AssignmentExpression)
			}
		}
	}
	if i, ok := fs.paramValue(e); ok {
		return i, false, true
	}
	return -1, false, false
}

// paramValue reports whether e is a variable that holds exactly
// parameter i (or NULL), without evaluating anything.
func (fs *fnState) paramValue(e cc.ExpressionNode) (int, bool) {
	e = stripCasts(e)
	pe, ok := e.(*cc.PrimaryExpression)
	if !ok || pe.Case != cc.PrimaryExpressionIdent {
		return -1, false
	}
	d, ok := pe.ResolvedTo().(*cc.Declarator)
	if !ok || d == nil {
		return -1, false
	}
	if _, isParam := fs.params[d]; !isParam && !fs.locals[d] {
		return -1, false
	}
	return fs.vars[d].onlyParam()
}
