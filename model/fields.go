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

// callerStruct reports whether the struct holding c is the caller's:
// its base is a parameter.
func callerStruct(c fieldCell) bool {
	_, isParam := c.Base.(*ssa.Parameter)
	return isParam
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
	if !ok {
		return fieldCell{}, false
	}
	x := structBase(fa.X)
	if !fieldBase(x) {
		return fieldCell{}, false
	}
	return fieldCell{x, fa.Field}, true
}

// structBase returns the parameter v reads when v loads the variable
// SSA keeps a parameter in because a closure captures it (cgo's wrapper
// closures capture the receiver of a method that passes its fields to
// C), and v otherwise.
func structBase(v ssa.Value) ssa.Value {
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if p := spilledParam(ld.X); p != nil {
			return p
		}
	}
	return v
}

// spilledParam returns the parameter the variable v holds, when v is
// the cell SSA gives a captured parameter: stored once, with the
// parameter.
func spilledParam(v ssa.Value) *ssa.Parameter {
	a, ok := v.(*ssa.Alloc)
	if !ok || a.Heap == false && a.Comment == "" {
		return nil
	}
	var p *ssa.Parameter
	for _, ref := range *a.Referrers() {
		st, ok := ref.(*ssa.Store)
		if !ok || st.Addr != a {
			continue
		}
		sp, ok := st.Val.(*ssa.Parameter)
		if !ok || p != nil || sp.Name() != a.Comment {
			return nil
		}
		p = sp
	}
	return p
}

// spillReadsFieldsOnly reports whether the cell holding parameter p is
// used only to select fields of the struct p points to, by the function
// or by cgo's wrapper closures, or to pass p to Go functions called
// statically.
func spillReadsFieldsOnly(cell ssa.Value, p *ssa.Parameter) bool {
	for _, ref := range *cell.Referrers() {
		switch r := ref.(type) {
		case *ssa.Store:
			if r.Val != p {
				return false
			}
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if r.Op != token.MUL || !loadUsedAsBase(r) {
				return false
			}
		case *ssa.MakeClosure:
			fn, ok := r.Fn.(*ssa.Function)
			if !ok || !IsCgoGenerated(fn) {
				return false
			}
			for i, b := range r.Bindings {
				if b != cell || i >= len(fn.FreeVars) {
					continue
				}
				for _, use := range *fn.FreeVars[i].Referrers() {
					ld, ok := use.(*ssa.UnOp)
					if !ok || ld.Op != token.MUL || !readsThrough(ld) {
						return false
					}
				}
			}
		default:
			return false
		}
	}
	return true
}

// loadUsedAsBase reports whether the loaded pointer ld is used only to
// select fields, or passed to Go functions called statically.
func loadUsedAsBase(ld *ssa.UnOp) bool {
	for _, use := range *ld.Referrers() {
		switch u := use.(type) {
		case *ssa.FieldAddr, *ssa.DebugRef:
		case *ssa.Call:
			if !goCallOnly(&u.Call, ld) {
				return false
			}
		case *ssa.Defer:
			if !goCallOnly(&u.Call, ld) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// readsThrough reports whether the loaded pointer ld is used only to
// load its fields.
func readsThrough(ld *ssa.UnOp) bool {
	for _, use := range *ld.Referrers() {
		fa, ok := use.(*ssa.FieldAddr)
		if !ok {
			return false
		}
		for _, u := range *fa.Referrers() {
			if l, ok := u.(*ssa.UnOp); !ok || l.Op != token.MUL {
				return false
			}
		}
	}
	return true
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
			// A parameter captured by a closure, kept in a cell.
			if p, isParam := v.(*ssa.Parameter); isParam && r.Val == v && spilledParam(r.Addr) == p {
				if !spillReadsFieldsOnly(r.Addr, p) {
					return false
				}
				continue
			}
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

// RefField returns the struct and field an event argument reads, when
// it is the content of a field of a struct the function follows.
func RefField(r Ref) (base ssa.Value, field int, ok bool) {
	fc, isField := r.V.(fieldCell)
	if r.Kind != RefCell || !isField {
		return nil, 0, false
	}
	return fc.Base, fc.Field, true
}
