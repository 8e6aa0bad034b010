package model

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// cViews records the package's Go types that are views of C memory:
//
//   - a struct or other type T that the package makes from C memory:
//     (*T)(C.malloc(n)), (*T)(unsafe.Pointer(C.get_thing())), a slice of T
//     laid over a C array (unsafe.Slice((*T)(p), n), (*[1 << 30]T)(p)[:n:n],
//     a reflect.SliceHeader whose Data is C memory);
//   - an integer type H whose values the package makes from C addresses
//     (H(uintptr(C.obj_new()))): a handle to a C object.
//
// A *T, a []T or an H whose origin the memory view cannot see (a
// parameter, a field, a function's result) is then not taken for Go
// memory by its type: it is as likely to be C's. Where the origin is
// seen (&T{} in the same function), the view still follows it.
type cViews struct {
	types   map[*types.TypeName]bool
	handles map[*types.TypeName]bool
}

// findCViews scans the package's functions for conversions of C memory
// to Go types.
func findCViews(res *Result) *cViews {
	v := &cViews{types: map[*types.TypeName]bool{}, handles: map[*types.TypeName]bool{}}
	for _, fn := range res.Funcs {
		if IsCgoGenerated(fn) {
			continue
		}
		v.scan(res, fn)
	}
	return v
}

func (v *cViews) scan(res *Result, fn *ssa.Function) {
	var m *Memory
	mem := func() *Memory {
		if m == nil {
			m = NewMemory(res.Function(fn))
		}
		return m
	}
	// reflect.SliceHeader values whose Data is C memory, and the slices
	// viewed through a SliceHeader, by the variable both go through.
	headerData := map[ssa.Value]bool{}
	headerSlices := map[ssa.Value][]types.Type{}
	var headerCopies [][2]ssa.Value // to, from
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Convert:
				if isUnsafePointer(x.X.Type()) {
					if elem := viewedElem(x.Type()); elem != nil && mem().cOrigin(x.X) {
						v.add(elem)
					}
				}
				if s := sliceElemThrough(x); s != nil {
					root := StripConversions(x)
					headerSlices[root] = append(headerSlices[root], s)
				}
				v.handle(mem(), x.Type(), x.X)
			case *ssa.ChangeType:
				v.handle(mem(), x.Type(), x.X)
			case *ssa.Store:
				if fa, ok := x.Addr.(*ssa.FieldAddr); ok && fa.Field == 0 && isSliceHeaderPtr(fa.X.Type()) && mem().cAddress(x.Val) {
					headerData[StripConversions(fa.X)] = true
				}
				// hdr := reflect.SliceHeader{...} builds the literal
				// in a temporary and copies it.
				if ld, ok := x.Val.(*ssa.UnOp); ok && ld.Op == token.MUL && isSliceHeaderPtr(x.Addr.Type()) {
					headerCopies = append(headerCopies, [2]ssa.Value{StripConversions(x.Addr), StripConversions(ld.X)})
				}
			}
		}
	}
	for _, cp := range headerCopies {
		if headerData[cp[1]] {
			headerData[cp[0]] = true
		}
	}
	for root, elems := range headerSlices {
		if headerData[root] {
			for _, e := range elems {
				v.add(e)
			}
		}
	}
}

// add records a Go type declared in the package as a view of C memory.
func (v *cViews) add(t types.Type) {
	if n, ok := types.Unalias(t).(*types.Named); ok && goDeclared(n) {
		v.types[n.Obj()] = true
	}
}

// handle records the integer type to when the value converted to it is
// a C address.
func (v *cViews) handle(m *Memory, to types.Type, from ssa.Value) {
	n, ok := types.Unalias(to).(*types.Named)
	if !ok || !isInteger(n) || isCType(n) || n.Obj().Pkg() == nil || n.Obj().Pkg() != m.f.Fn.Pkg.Pkg {
		return
	}
	if m.cAddress(from) {
		v.handles[n.Obj()] = true
	}
}

// cOrigin reports whether a pointer points only into C memory.
func (m *Memory) cOrigin(p ssa.Value) bool {
	locs := m.locs(p, nil)
	for _, l := range locs {
		if !l.Site.Region.IsC() {
			return false
		}
	}
	return len(locs) > 0
}

// cAddress reports whether an integer is the address of C memory, or a
// value C produced.
func (m *Memory) cAddress(n ssa.Value) bool {
	if !isInteger(n.Type()) {
		return false
	}
	if m.fromC(integerBase(n)) {
		return true
	}
	ops := pointerOperands(n, nil, 0)
	for _, p := range ops {
		if !m.cOrigin(p.v) {
			return false
		}
	}
	return len(ops) > 0
}

// viewedElem returns T for a conversion to *T or *[N]T.
func viewedElem(t types.Type) types.Type {
	elem := pointerElem(t)
	if elem == nil {
		return nil
	}
	if a, ok := elem.Underlying().(*types.Array); ok {
		return a.Elem()
	}
	return elem
}

// sliceElemThrough returns T when x converts a *[]T to or from
// unsafe.Pointer: the step of viewing a slice as a reflect.SliceHeader.
func sliceElemThrough(x *ssa.Convert) types.Type {
	for _, t := range []types.Type{x.Type(), x.X.Type()} {
		if s, ok := pointerElemOr(t).Underlying().(*types.Slice); ok && pointerElem(t) != nil {
			return s.Elem()
		}
	}
	return nil
}

func isSliceHeaderPtr(t types.Type) bool {
	n, ok := types.Unalias(pointerElemOr(t)).(*types.Named)
	return ok && pointerElem(t) != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "reflect" && n.Obj().Name() == "SliceHeader"
}

// IsCView reports whether t is a Go type the package makes from C
// memory.
func (res *Result) IsCView(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && res != nil && res.views != nil && res.views.types[n.Obj()]
}

// IsCHandle reports whether t is an integer type whose values the
// package makes from C addresses.
func (res *Result) IsCHandle(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && res != nil && res.views != nil && res.views.handles[n.Obj()]
}

// viewElem returns the element type a pointer or slice type refers to
// when it is a view of C memory.
func (res *Result) viewElem(t types.Type) types.Type {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		if res.IsCView(u.Elem()) {
			return u.Elem()
		}
	case *types.Slice:
		if res.IsCView(u.Elem()) {
			return u.Elem()
		}
	}
	return nil
}

// ownedResult is the C memory a call of a Go function returns, when the
// function's summary says its only result is C memory the caller owns
// (newNode() returning (*node)(C.malloc(n))).
func (m *Memory) ownedResult(c *ssa.Call) *Site {
	fn := c.Call.StaticCallee()
	if fn == nil || c.Call.Signature().Results().Len() != 1 || !holdsMemory(c.Type()) {
		return nil
	}
	sum := m.f.res.Summary(fn)
	if sum == nil || sum.Owned == nil || sum.Owned.Index != 0 {
		return nil
	}
	if s, ok := m.sites[c]; ok {
		return s
	}
	// No C event made it here: the site carries no Event, so checks
	// that need to know the allocator (cgoalloc) do not rely on it.
	s := &Site{Region: RegionCHeap, Value: c, Pos: c.Pos(), What: "the result of " + fn.Name(), Type: pointerElemOr(c.Type())}
	s.Array = arrayElem(s.Type) != nil
	m.sites[c] = s
	return s
}
