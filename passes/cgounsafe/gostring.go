package cgounsafe

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// goStrings checks the C.GoString calls of fn.
func (c *checker) goStrings(fn *ssa.Function) {
	f := c.res.Function(fn)
	var mem *model.Memory
	events := f.Events()
	for _, ev := range events {
		if ev.Callee.Kind != bridge.CBuiltin || ev.Callee.Name != bridge.BuiltinGoString || len(ev.Args) != 1 {
			continue
		}
		if c.countedField(fn, ev) {
			continue
		}
		if mem == nil {
			mem = model.NewMemory(f)
		}
		c.unterminatedFill(fn, mem, events, ev)
	}
	if mem == nil {
		mem = model.NewMemory(f)
	}
	c.addressStores(fn, mem, events)
}

// unterminatedFill reports C.GoString of a buffer that an earlier C call
// filled without a terminating NUL, returning the count of bytes.
func (c *checker) unterminatedFill(fn *ssa.Function, mem *model.Memory, events []*model.Event, gs *model.Event) {
	read := mem.ArgPointsTo(gs, 0)
	if len(read) == 0 {
		return
	}
	for _, fill := range events {
		if fill.Pos >= gs.Pos || fill.Callee.Kind == bridge.CBuiltin || fill.AtExit {
			continue
		}
		for _, i := range fill.Summary.Unterminated {
			site := sharedSite(read, mem.ArgPointsTo(fill, i))
			if site == nil || c.terminated(fn, mem, site) || reservesTerminator(fill, i) {
				continue
			}
			length := c.resultName(fn, fill)
			if length == "" {
				// The count is ignored: no length to suggest.
				continue
			}
			arg := "p"
			if call := model.CallAt(fn, gs.Pos); call != nil && len(call.Args) == 1 {
				arg = checkutil.ExprString(call.Args[0])
			}
			c.pass.Report(analysis.Diagnostic{
				Pos:      gs.Pos,
				Category: "unterminated-buffer",
				Message: fmt.Sprintf("C.GoString reads %s up to a NUL byte, but %s (line %d) filled it without one and returned the number of bytes in %s: GoString reads past the data into whatever follows; use C.GoStringN(%s, C.int(%s)) once %s is known to be >= 0",
					siteText(c, site), fill.Callee.UserName(), checkutil.Line(c.pass.Fset, fill.Pos), length, arg, length, length),
				Related: []analysis.RelatedInformation{{Pos: fill.Pos, Message: "the buffer is filled here, without a terminating NUL"}},
			})
			return
		}
	}
}

func siteText(c *checker, s *model.Site) string {
	if s.Pos.IsValid() {
		return fmt.Sprintf("%s (line %d)", s.What, checkutil.Line(c.pass.Fset, s.Pos))
	}
	return s.What
}

// sharedSite returns a site both location lists point into, or nil.
func sharedSite(a, b []model.Loc) *model.Site {
	for _, x := range a {
		for _, y := range b {
			if x.Site == y.Site {
				return x.Site
			}
		}
	}
	return nil
}

// terminated reports whether fn stores a zero byte into site anywhere
// (buf[n] = 0): the code terminates the data itself.
func (c *checker) terminated(fn *ssa.Function, mem *model.Memory, site *model.Site) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			k, ok := st.Val.(*ssa.Const)
			if !ok || k.Value == nil || k.Value.String() != "0" {
				continue
			}
			for _, l := range mem.PointsTo(st.Addr) {
				if l.Site == site {
					return true
				}
			}
		}
	}
	return false
}

// reservesTerminator reports a fill whose size argument (the one after
// the buffer) is written as something minus a constant, len(buf)-1: the
// caller keeps room for the NUL a zeroed buffer already has.
func reservesTerminator(fill *model.Event, i int) bool {
	if i+1 >= len(fill.Args) {
		return false
	}
	r := fill.Args[i+1]
	if r.Kind != model.RefValue {
		return false
	}
	v := r.V
	for {
		conv, ok := v.(*ssa.Convert)
		if !ok {
			break
		}
		v = conv.X
	}
	bin, ok := v.(*ssa.BinOp)
	if !ok || bin.Op != token.SUB {
		return false
	}
	_, isConst := bin.Y.(*ssa.Const)
	return isConst
}

// resultName returns the name of the variable the user assigned a C
// call's result to, or "".
func (c *checker) resultName(fn *ssa.Function, ev *model.Event) string {
	if ev.Result == nil {
		return ""
	}
	if refs := ev.Result.Referrers(); refs == nil || len(*refs) == 0 {
		return ""
	}
	syn := fn.Syntax()
	if syn == nil {
		return ""
	}
	name := ""
	ast.Inspect(syn, func(n ast.Node) bool {
		if name != "" {
			return false
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return true
		}
		if ev.Pos < as.Rhs[0].Pos() || ev.Pos >= as.Rhs[0].End() {
			return true
		}
		if id, ok := as.Lhs[0].(*ast.Ident); ok && id.Name != "_" {
			name = id.Name
		}
		return false
	})
	return name
}

// lengthSuffixes are what a field holding another field's length is
// named after it: data and data_len.
var lengthSuffixes = []string{"_len", "len", "_length", "length", "_size", "size", "_sz"}

// countedField reports C.GoString of a char pointer field of a C struct
// whose length is in a field named after it, and reports whether it did.
func (c *checker) countedField(fn *ssa.Function, ev *model.Event) bool {
	call := model.CallAt(fn, ev.Pos)
	if call == nil || len(call.Args) != 1 {
		return false
	}
	sel, ok := c.stripConversions(call.Args[0]).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	selection := c.pass.TypesInfo.Selections[sel]
	if selection == nil || selection.Kind() != types.FieldVal {
		return false
	}
	recv := selection.Recv()
	if p, ok := recv.Underlying().(*types.Pointer); ok {
		recv = p.Elem()
	}
	named, ok := types.Unalias(recv).(*types.Named)
	if !ok {
		return false
	}
	if k, _ := bridge.ParseName(named.Obj().Name()); k != bridge.CType {
		return false
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	field := sel.Sel.Name
	var lenField string
	for i := range st.NumFields() {
		name := st.Field(i).Name()
		for _, suf := range lengthSuffixes {
			if strings.EqualFold(name, field+suf) && isInteger(st.Field(i).Type()) {
				lenField = name
			}
		}
	}
	if lenField == "" || slices.Contains([]string{"", "_"}, field) {
		return false
	}
	x := checkutil.ExprString(sel.X)
	c.pass.Report(analysis.Diagnostic{
		Pos:      ev.Pos,
		Category: "counted-field",
		Message: fmt.Sprintf("C.GoString reads %s.%s up to a NUL byte, but %s carries its length in field %s: counted data need not be terminated, and GoString then reads past it; use C.GoStringN(%s.%s, C.int(%s.%s))",
			x, field, checkutil.CgoSpelling(named.Obj().Name()), lenField, x, field, x, lenField),
	})
	return true
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}
