package cgonarrow

import (
	"github.com/ffivet/ffivet/bridge"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// checked looks for a comparison that bounds the expression spelled key
// wherever at is evaluated, and returns the bound it proves:
//
//   - an if statement before at, in an enclosing block, whose condition
//     fails unless key is small, and whose body leaves the block
//     (return, break, continue, goto, panic) or sets key to a smaller
//     value (if n > max { n = max });
//   - an enclosing if or for statement whose condition holds only when
//     key is small, with at in its body (or in the else branch of an
//     if whose condition holds when key is large).
//
// A write of root between the comparison and at undoes it. A limit
// that is not a constant proves a bound when the limit itself has one;
// a limit of unknown size is taken as the bound the code means, and the
// value as bounded, since the check a finding would suggest is already
// there.
func (c *checker) checked(key string, root *types.Var, at ast.Node, w *walk) bound {
	var child ast.Node = at
	for p := c.parents[child]; p != nil; child, p = p, c.parents[p] {
		var list []ast.Stmt
		switch p := p.(type) {
		case *ast.BlockStmt:
			list = p.List
		case *ast.CaseClause:
			list = p.Body
		case *ast.CommClause:
			list = p.Body
		case *ast.IfStmt:
			if child == p.Body {
				if b := c.upper(p.Cond, key, true, w); b.known && !c.writtenBetween(root, p.Cond.End(), at.Pos()) {
					return b
				}
			}
			if child == p.Else {
				if b := c.upper(p.Cond, key, false, w); b.known && !c.writtenBetween(root, p.Cond.End(), at.Pos()) {
					return b
				}
			}
		case *ast.ForStmt:
			if child == p.Body && p.Cond != nil {
				// The post statement runs before the condition is
				// tested again: only writes in the body count.
				if b := c.upper(p.Cond, key, true, w); b.known && !c.writtenBetween(root, p.Body.Pos(), at.Pos()) {
					return b
				}
			}
		case *ast.FuncLit:
			// A closure runs when it is called; only one called where
			// it is written (cgo wraps calls in such closures) runs
			// after the statements before it.
			// Another closure runs later, but sees the value the
			// variable had where the closure was written when nothing
			// writes it from there on: the checks before the literal
			// still hold (godror's checkExec(func() C.int { ... })
			// under if n < cap(a)).
			call, ok := c.parents[p].(*ast.CallExpr)
			if (!ok || ast.Unparen(call.Fun) != p) && (root == nil || c.writtenBetween(root, p.Pos(), c.funcEnd(p))) {
				return unknown
			}
		case *ast.FuncDecl:
			return unknown
		}
		for i := len(list) - 1; i >= 0; i-- {
			s := list[i]
			if s.End() > at.Pos() {
				continue
			}
			if b := c.guard(s, key, root, at, w); b.known {
				return b
			}
			if root != nil && c.writtenBetween(root, s.Pos(), s.End()) {
				// Older checks saw an older value.
				break
			}
		}
	}
	return unknown
}

// funcEnd returns the end of the function declaration around n, or of
// n itself outside one.
func (c *checker) funcEnd(n ast.Node) token.Pos {
	end := n.End()
	for p := c.parents[n]; p != nil; p = c.parents[p] {
		if fd, ok := p.(*ast.FuncDecl); ok {
			return fd.End()
		}
		end = p.End()
	}
	return end
}

// guard returns the bound an if statement s before at proves for key:
// its condition holds when key is large, and its body does not fall
// through or lowers key.
func (c *checker) guard(s ast.Stmt, key string, root *types.Var, at ast.Node, w *walk) bound {
	ifs, ok := s.(*ast.IfStmt)
	if !ok || ifs.Else != nil {
		return unknown
	}
	b := c.upper(ifs.Cond, key, false, w)
	if !b.known || c.writtenBetween(root, ifs.End(), at.Pos()) {
		return unknown
	}
	if leaves(ifs.Body) {
		return b
	}
	// if n > limit { n = limit }
	if n := len(ifs.Body.List); n > 0 {
		if as, ok := ifs.Body.List[n-1].(*ast.AssignStmt); ok && as.Tok == token.ASSIGN && len(as.Lhs) == 1 && len(as.Rhs) == 1 && c.exprKey(as.Lhs[0]) == key {
			if nb := c.bound(as.Rhs[0], w); nb.known {
				if nb.max > b.max {
					b.max = nb.max
				}
				return b
			}
		}
	}
	return unknown
}

// leaves reports whether a block never falls through to the statement
// after it.
func leaves(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			return f.Name == "panic"
		case *ast.SelectorExpr:
			if pkg, ok := f.X.(*ast.Ident); ok {
				switch pkg.Name + "." + f.Sel.Name {
				case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln":
					return true
				}
			}
		}
	}
	return false
}

// upper returns the bound on key a condition proves when it is true
// (when is true) or false (when is false).
func (c *checker) upper(cond ast.Expr, key string, when bool, w *walk) bound {
	cond = ast.Unparen(cond)
	info := c.pass.TypesInfo
	if tv, ok := info.Types[cond]; ok && tv.Value != nil {
		return unknown
	}
	switch x := cond.(type) {
	case *ast.UnaryExpr:
		if x.Op == token.NOT {
			return c.upper(x.X, key, !when, w)
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.LAND, token.LOR:
			// a && b true: both hold; a || b false: neither holds.
			if (x.Op == token.LAND) == when {
				if b := c.upper(x.X, key, when, w); b.known {
					return b
				}
				return c.upper(x.Y, key, when, w)
			}
			// a && b false or a || b true: one of them, unless the
			// other is a constant (const wide = unsafe.Sizeof(0) > 4).
			if c.isConst(x.X, x.Op == token.LAND) {
				return c.upper(x.Y, key, when, w)
			}
			if c.isConst(x.Y, x.Op == token.LAND) {
				return c.upper(x.X, key, when, w)
			}
			return unknown
		case token.LSS, token.LEQ, token.GTR, token.GEQ:
			op := x.Op
			if !when {
				op = bridge.NegateComparison(op)
			}
			var limit ast.Expr
			switch {
			case c.exprKey(x.X) == key:
				limit = x.Y
			case c.exprKey(x.Y) == key:
				limit, op = x.X, bridge.SwapComparison(op)
			default:
				return unknown
			}
			// Now the condition says key op limit.
			switch op {
			case token.LSS, token.LEQ:
				b := c.bound(limit, w)
				if !b.known {
					// A limit the analysis cannot size: the code
					// checks, and a finding would only repeat it.
					return bound{known: true, check: x}
				}
				if op == token.LSS && b.max > 0 {
					b.max--
				}
				b.check = x
				return b
			}
		}
	}
	return unknown
}

// isConst reports whether e is the boolean constant v.
func (c *checker) isConst(e ast.Expr, v bool) bool {
	tv, ok := c.pass.TypesInfo.Types[ast.Unparen(e)]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && constant.BoolVal(tv.Value) == v
}

// writtenBetween reports whether v is written between two positions.
func (c *checker) writtenBetween(v *types.Var, from, to token.Pos) bool {
	if v == nil {
		return false
	}
	for _, p := range c.writes[v] {
		if p >= from && p < to {
			return true
		}
	}
	return false
}
