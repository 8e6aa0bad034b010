package model

import (
	"go/token"
	"go/types"
	"sort"
	"strconv"

	"golang.org/x/tools/go/ssa"
)

// A fieldCell is a field of a struct variable, followed as a variable
// that can hold a tracked object: `b.p = C.CString(s)` puts the memory in
// field p of b, and `defer b.Free()` (a method with a pointer receiver)
// releases what the field holds when it runs. Only a struct whose
// address goes nowhere the engine cannot see has field cells (see
// fieldBase); any other store into a field hands the memory on.
//
// fieldCell implements ssa.Value so that it can sit in a path's set of
// cells beside the function's variables; equal fields are equal values.
type fieldCell struct {
	Base  ssa.Value // the *struct: a local variable, or a parameter in a summary
	Field int
}

func (c fieldCell) Name() string { return c.Base.Name() + "." + strconv.Itoa(c.Field) }
func (c fieldCell) String() string {
	return "&" + c.Base.Name() + "." + c.field().Name()
}
func (c fieldCell) Type() types.Type              { return types.NewPointer(c.field().Type()) }
func (c fieldCell) Parent() *ssa.Function         { return c.Base.Parent() }
func (c fieldCell) Referrers() *[]ssa.Instruction { return nil }
func (c fieldCell) Pos() token.Pos                { return c.Base.Pos() }

func (c fieldCell) field() *types.Var {
	return structOf(c.Base.Type()).Field(c.Field)
}

// structOf returns the struct a pointer type points to, or nil.
func structOf(t types.Type) *types.Struct {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, _ := p.Elem().Underlying().(*types.Struct)
	return st
}

// fieldCellOf returns the field cell addr is the address of, when addr
// selects a field of a struct whose fields can be followed.
func fieldCellOf(addr ssa.Value) (fieldCell, bool) {
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok || !fieldBase(fa.X) {
		return fieldCell{}, false
	}
	return fieldCell{fa.X, fa.Field}, true
}

// fieldBase reports whether the fields of the struct v points to can be
// followed as variables: v is a local struct variable, or a parameter
// pointing to a struct, and the function uses v only to select its
// fields, to pass it to Go functions called statically (whose summaries
// say what they do with each field), or in cgo's wrapper closures that
// only read its fields. Taking the whole struct (a copy, an assignment),
// storing the pointer, converting it, or handing it to C could read or
// replace a field where the engine does not look.
func fieldBase(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Alloc, *ssa.Parameter:
	default:
		return false
	}
	if structOf(v.Type()) == nil {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, ref := range *refs {
		switch r := ref.(type) {
		case *ssa.FieldAddr, *ssa.DebugRef:
		case *ssa.Store:
			// b := cbuf{...}: the literal is built in a temporary and
			// copied into b whole.
			if r.Addr != v || complitLoad(r.Val) == nil {
				return false
			}
		case *ssa.UnOp:
			if complitLoad(r) != v || copiedInto(r) == nil {
				return false
			}
		case *ssa.Call:
			if !goCallOnly(&r.Call, v) {
				return false
			}
		case *ssa.Defer:
			if !goCallOnly(&r.Call, v) {
				return false
			}
		case *ssa.MakeClosure:
			fn, ok := r.Fn.(*ssa.Function)
			if !ok || !IsCgoGenerated(fn) || !readsFieldsOnly(fn, r.Bindings, v) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// goCallOnly reports whether c passes v only as an argument of a Go
// function called statically.
func goCallOnly(c *ssa.CallCommon, v ssa.Value) bool {
	fn := c.StaticCallee()
	if fn == nil || c.Value == v || isCgoDecl(fn) || IsCgoGenerated(fn) {
		return false
	}
	if _, isClosure := c.Value.(*ssa.MakeClosure); isClosure {
		return false
	}
	return true
}

// readsFieldsOnly reports whether the wrapper closure fn, capturing v in
// bindings, only loads fields of the struct v points to.
func readsFieldsOnly(fn *ssa.Function, bindings []ssa.Value, v ssa.Value) bool {
	for i, b := range bindings {
		if b != v || i >= len(fn.FreeVars) {
			continue
		}
		refs := fn.FreeVars[i].Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			fa, ok := ref.(*ssa.FieldAddr)
			if !ok {
				return false
			}
			for _, use := range *fa.Referrers() {
				if u, ok := use.(*ssa.UnOp); !ok || u.Op != token.MUL {
					return false
				}
			}
		}
	}
	return true
}

// heldFields returns the field cells of base that hold the object on a
// path.
func heldFields(cells map[ssa.Value]bool, base ssa.Value) []fieldCell {
	var out []fieldCell
	for c, ok := range cells {
		if fc, isField := c.(fieldCell); ok && isField && fc.Base == base {
			out = append(out, fc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// complitLoad returns the composite literal's temporary v loads, when
// v loads one whole.
func complitLoad(v ssa.Value) *ssa.Alloc {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil
	}
	lit, ok := ld.X.(*ssa.Alloc)
	if !ok || lit.Comment != "complit" {
		return nil
	}
	return lit
}

// copiedInto returns the struct variable a composite literal's load is
// stored into, when that is its only use and the variable's fields can
// be followed.
func copiedInto(ld *ssa.UnOp) ssa.Value {
	refs := ld.Referrers()
	if refs == nil || len(*refs) != 1 {
		return nil
	}
	st, ok := (*refs)[0].(*ssa.Store)
	if !ok || st.Val != ld || !fieldBase(st.Addr) {
		return nil
	}
	return st.Addr
}
