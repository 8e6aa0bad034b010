package model

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// A PointerCheck is what cgo's run-time check (GODEBUG=cgocheck=1)
// examines when a pointer argument reaches a C call. cgo decides it from
// the argument's syntax: for &a[i] it checks the array or slice a, for &x
// (including &s.f) only the value x, and for anything else, such as a
// variable holding &a[i], the whole Go allocation the pointer points
// into.
type PointerCheck uint8

const (
	CheckUnknown    PointerCheck = iota
	CheckNone                    // not checked: the C parameter cannot point to pointers (int *), or the argument is nil
	CheckAllocation              // the whole allocation the pointer points into
	CheckPointee                 // the pointed-to value only: &x or &s.f written in the call
	CheckArray                   // the array or slice: &a[i] written in the call
)

func (c PointerCheck) String() string {
	return [...]string{"unknown", "none", "allocation", "pointee", "array"}[c]
}

// PointerCheck returns what cgo's run-time check examines for argument i
// of ev. In cgo's output the check is a call of _cgoCheckPointer in the
// wrapper closure; in the raw shape it is worked out as cgo does, from
// the C parameter's type and the argument's syntax.
func (f *Function) PointerCheck(ev *Event, i int) PointerCheck {
	if ev.Wrapper != nil {
		return wrapperCheck(ev, i)
	}
	if !f.rawShape() {
		// cgo calls directly only when no argument needs a check.
		return CheckNone
	}
	return f.rawCheck(ev, i)
}

// rawShape reports whether the function comes from a user file that
// still imports "C" (gopls's shape) rather than from cgo's output.
func (f *Function) rawShape() bool {
	file := f.res.fileOf(f.Fn.Pos())
	if file == nil {
		return false
	}
	for _, imp := range file.Imports {
		if imp.Path != nil && imp.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// wrapperCheck finds the _cgoCheckPointer call cgo wrote for argument i.
func wrapperCheck(ev *Event, i int) PointerCheck {
	call := innerCall(ev)
	if call == nil || i >= len(call.Call.Args) {
		return CheckUnknown
	}
	arg := checkOperand(call.Call.Args[i])
	for _, instr := range call.Block().Instrs {
		check, ok := instr.(*ssa.Call)
		if !ok || check.Call.StaticCallee() == nil || check.Call.StaticCallee().Name() != "_cgoCheckPointer" || len(check.Call.Args) != 2 {
			continue
		}
		if checkOperand(check.Call.Args[0]) != arg {
			continue
		}
		switch mode := check.Call.Args[1].(type) {
		case *ssa.Const:
			return CheckAllocation
		case *ssa.MakeInterface:
			if _, ok := mode.X.(*ssa.Const); ok {
				return CheckPointee
			}
			return CheckArray
		}
		return CheckUnknown
	}
	return CheckNone
}

// innerCall returns the call of the C function inside cgo's wrapper.
func innerCall(ev *Event) *ssa.Call {
	w, _ := wrapperCall(ev.Instr.Common())
	if w == nil {
		return nil
	}
	_, call, _ := wrapperBody(w)
	return call
}

// checkOperand strips what cgo puts between the value it checks and the
// value it passes: conversions, boxing and reloads of its temporaries.
func checkOperand(v ssa.Value) ssa.Value {
	for {
		v = StripConversions(v)
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			switch x.X.(type) {
			case *ssa.FreeVar, *ssa.Alloc:
				return x.X
			}
			return v
		default:
			return v
		}
	}
}

// rawCheck works out cgo's decision for a call in the user's own syntax.
func (f *Function) rawCheck(ev *Event, i int) PointerCheck {
	sig := ev.Instr.Common().Signature()
	if sig == nil || i >= sig.Params().Len() {
		return CheckUnknown
	}
	call := f.userCall(ev.Pos)
	if call == nil || i >= len(call.Args) {
		return CheckUnknown
	}
	arg := ast.Unparen(call.Args[i])
	if id, ok := arg.(*ast.Ident); ok && id.Name == "nil" {
		return CheckNone
	}
	if !cgoHasPointer(sig.Params().At(i).Type(), true, 0) {
		return CheckNone
	}
	// Through conversions, as cgo's checkIndex and checkAddr look.
	for {
		c, ok := arg.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 || !f.isTypeExpr(c.Fun) {
			break
		}
		arg = ast.Unparen(c.Args[0])
	}
	u, ok := arg.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return CheckAllocation
	}
	if _, ok := ast.Unparen(u.X).(*ast.IndexExpr); ok {
		return CheckArray
	}
	return CheckPointee
}

func (f *Function) isTypeExpr(e ast.Expr) bool {
	if f.res.info == nil {
		return false
	}
	tv, ok := f.res.info.Types[e]
	return ok && tv.IsType()
}

// userCall finds the call expression whose opening parenthesis is at
// lparen in the function's syntax.
func (f *Function) userCall(lparen token.Pos) *ast.CallExpr {
	return CallAt(f.Fn, lparen)
}

// CallAt returns the call expression of fn's syntax whose opening
// parenthesis is at lparen, or nil.
func CallAt(fn *ssa.Function, lparen token.Pos) *ast.CallExpr {
	syn := fn.Syntax()
	if syn == nil {
		return nil
	}
	var found *ast.CallExpr
	ast.Inspect(syn, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if c, ok := n.(*ast.CallExpr); ok && c.Lparen == lparen {
			found = c
			return false
		}
		return true
	})
	return found
}

// cgoHasPointer mirrors cgo's hasPointer on the Go type of a C
// parameter: with top set, whether it is or holds a pointer that may
// point to a pointer; otherwise whether it is or holds a pointer.
func cgoHasPointer(t types.Type, top bool, depth int) bool {
	if depth > 8 {
		return true
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		if n.Obj().Pkg() != nil && !strings.HasPrefix(n.Obj().Name(), "_Ctype_") && !isUnsafePointer(n) {
			return true // declared elsewhere: cgo assumes the worst
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.UnsafePointer:
			return true
		case u.Info()&types.IsString != 0:
			return !top
		}
		return false
	case *types.Pointer:
		if !top {
			return true
		}
		return cgoHasPointer(u.Elem(), false, depth+1)
	case *types.Slice:
		if !top {
			return true
		}
		return cgoHasPointer(u.Elem(), false, depth+1)
	case *types.Array:
		return cgoHasPointer(u.Elem(), top, depth+1)
	case *types.Struct:
		for field := range u.Fields() {
			if cgoHasPointer(field.Type(), top, depth+1) {
				return true
			}
		}
		return false
	}
	return true
}

// KeepsArg reports whether the C function of ev keeps argument i after
// the call returns, as far as ffivet trusts it. A body's summary does not
// tell a store that happens only on a by-reference path
// (ZSTD_createCDict_advanced's dictLoadMethod, a flag the caller passes
// as a constant) from an unconditional one; libraries keep a const
// pointer mostly on such paths and copy the data otherwise, so a kept
// pointer to const counts only when an annotation or attribute says so.
func KeepsArg(ev *Event, i int) bool { return KeepsParam(ev.Summary, ev.Decl, i) }

// KeepsParam is KeepsArg for C function decl with summary s.
func KeepsParam(s *bridge.Summary, decl *bridge.Func, i int) bool {
	e := s.Effect(i)
	if e&(bridge.Keeps|bridge.Takes) == 0 || e&bridge.EffectUnknown != 0 {
		return false
	}
	if decl == nil || i >= len(decl.Params) || !decl.Params[i].IsConstPointer() {
		return true
	}
	if s.Source == bridge.FromAttributes {
		return true
	}
	for _, n := range decl.Notes {
		if (n.Verb == "keeps" || n.Verb == "takes") && n.Args["arg"] == fmt.Sprint(i+1) {
			return true
		}
	}
	return false
}
