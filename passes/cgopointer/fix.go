package cgopointer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// An addrDef is `p := &x.f` (or &a[i]) whose p is then passed to C.
type addrDef struct {
	assign *ast.AssignStmt
	name   *ast.Ident
	expr   ast.Expr
	text   string // "p := &c.buf[0] at line 30"
	src    string // "&c.buf[0]"
	block  *ast.BlockStmt
	use    *ast.Ident // the use of p in the call
}

// addressDefinition finds the assignment that computed the address
// passed as argument i of ev through a variable.
func (fc *funcCheck) addressDefinition(ev *model.Event, i int) *addrDef {
	addr := addressValue(ev.Arg(i))
	if addr == nil {
		return nil
	}
	syn := fc.fn.Syntax()
	if syn == nil {
		return nil
	}
	pos := addr.Pos()
	var def *addrDef
	ast.Inspect(syn, func(n ast.Node) bool {
		if def != nil {
			return false
		}
		b, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for _, stmt := range b.List {
			as, ok := stmt.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !(as.Rhs[0].Pos() <= pos && pos < as.Rhs[0].End()) {
				continue
			}
			id, ok := as.Lhs[0].(*ast.Ident)
			if !ok || id.Name == "_" {
				return false
			}
			var buf bytes.Buffer
			if format.Node(&buf, fc.pass.Fset, as.Rhs[0]) != nil {
				return false
			}
			src := buf.String()
			def = &addrDef{assign: as, name: id, expr: as.Rhs[0], src: src, block: b,
				text: fmt.Sprintf("%s (%s := %s at line %d)", id.Name, id.Name, src, checkutil.Line(fc.pass.Fset, as.Pos()))}
			return false
		}
		return true
	})
	if def == nil {
		return nil
	}
	def.use = fc.singleUse(def.name, ev)
	return def
}

// addressValue finds the address computation an argument was made of,
// through conversions and a local variable holding it.
func addressValue(r model.Ref) ssa.Value {
	var v ssa.Value
	switch r.Kind {
	case model.RefValue:
		v = r.V
	case model.RefCell:
		a, ok := r.V.(*ssa.Alloc)
		if !ok {
			return nil
		}
		var stored ssa.Value
		for _, ref := range *a.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
				if stored != nil {
					return nil
				}
				stored = st.Val
			}
		}
		v = stored
	default:
		return nil
	}
	for v != nil {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.IndexAddr, *ssa.FieldAddr:
			return v
		default:
			return nil
		}
	}
	return nil
}

// singleUse returns the only use of the variable id defines, when it is
// in ev's call.
func (fc *funcCheck) singleUse(id *ast.Ident, ev *model.Event) *ast.Ident {
	obj := fc.pass.TypesInfo.Defs[id]
	if obj == nil {
		obj = fc.pass.TypesInfo.Uses[id]
	}
	if obj == nil {
		return nil
	}
	var uses []*ast.Ident
	ast.Inspect(fc.fn.Syntax(), func(n ast.Node) bool {
		if u, ok := n.(*ast.Ident); ok && u != id && fc.pass.TypesInfo.Uses[u] == obj {
			uses = append(uses, u)
		}
		return true
	})
	if len(uses) != 1 {
		return nil
	}
	start, end := fc.callSpan(ev)
	if !(start <= uses[0].Pos() && uses[0].End() <= end) {
		return nil
	}
	return uses[0]
}

// callSpan is the extent of the C call in the function's syntax: cgo's
// wrapper closure, or the call as written.
func (fc *funcCheck) callSpan(ev *model.Event) (token.Pos, token.Pos) {
	if ev.Wrapper != nil {
		if syn := ev.Wrapper.Syntax(); syn != nil {
			return syn.Pos(), syn.End()
		}
		return token.NoPos, token.NoPos
	}
	var call *ast.CallExpr
	ast.Inspect(fc.fn.Syntax(), func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && c.Lparen == ev.Pos {
			call = c
		}
		return call == nil
	})
	if call == nil {
		return token.NoPos, token.NoPos
	}
	return call.Pos(), call.End()
}

// inlineFix moves the address expression into the call: it deletes the
// assignment and writes the expression where the variable was used. It
// is offered only when that means the same: the variable is used once,
// in that call, in a later statement of the same block, and nothing in
// between assigns the variables the expression reads.
func (fc *funcCheck) inlineFix(def *addrDef) *analysis.SuggestedFix {
	if def.use == nil || def.assign.Tok != token.DEFINE || strings.Contains(def.src, "_C") || strings.Contains(def.src, "_cgo") {
		return nil
	}
	k, j := -1, -1
	for idx, stmt := range def.block.List {
		if stmt == ast.Stmt(def.assign) {
			k = idx
		}
		if k >= 0 && idx > k && stmt.Pos() <= def.use.Pos() && def.use.End() <= stmt.End() {
			j = idx
			break
		}
	}
	if k < 0 || j < 0 {
		return nil
	}
	read := map[types.Object]bool{}
	ast.Inspect(def.expr, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := fc.pass.TypesInfo.Uses[id]; obj != nil {
				read[obj] = true
			}
		}
		return true
	})
	for _, stmt := range def.block.List[k+1 : j] {
		if fc.assignsAny(stmt, read) {
			return nil
		}
	}
	return &analysis.SuggestedFix{
		Message: fmt.Sprintf("write %s in the call", def.src),
		TextEdits: []analysis.TextEdit{
			{Pos: def.assign.Pos(), End: def.block.List[k+1].Pos()},
			{Pos: def.use.Pos(), End: def.use.End(), NewText: []byte(def.src)},
		},
	}
}

// assignsAny reports whether stmt may assign one of the variables, or
// take its address.
func (fc *funcCheck) assignsAny(stmt ast.Stmt, vars map[types.Object]bool) bool {
	found := false
	hit := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok && vars[fc.pass.TypesInfo.Uses[id]] {
			found = true
		}
	}
	ast.Inspect(stmt, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				hit(l)
			}
		case *ast.IncDecStmt:
			hit(n.X)
		case *ast.RangeStmt:
			if n.Key != nil {
				hit(n.Key)
			}
			if n.Value != nil {
				hit(n.Value)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				hit(n.X)
			}
		}
		return !found
	})
	return found
}
