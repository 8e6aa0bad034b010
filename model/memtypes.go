package model

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A slot is a place of a type that holds a Go pointer when set.
type slot struct {
	path string
	t    types.Type
}

// goPointerSlots lists the places in t that hold Go pointers whenever
// they are not zero. Pointers to and slices of the package's views of C
// memory (res.IsCView) are not among them: they may as well hold C
// addresses.
func goPointerSlots(res *Result, t types.Type, path string, depth int) []slot {
	if depth > 6 || t == nil {
		return nil
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return []slot{{path, t}}
		}
	case *types.Slice:
		if res.viewElem(t) == nil {
			return []slot{{path, t}}
		}
	case *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return []slot{{path, t}}
	case *types.Pointer:
		if goDeclared(u.Elem()) && res.viewElem(t) == nil {
			return []slot{{path, t}}
		}
	case *types.Struct:
		var out []slot
		for i := 0; i < u.NumFields(); i++ {
			out = append(out, goPointerSlots(res, u.Field(i).Type(), fmt.Sprintf("%s.%d", path, i), depth+1)...)
		}
		return out
	case *types.Array:
		if u.Len() == 0 {
			return nil
		}
		return goPointerSlots(res, u.Elem(), path+"[]", depth+1)
	}
	return nil
}

// typeAt returns the type found at path in t, or nil.
func typeAt(t types.Type, path string) types.Type {
	for path != "" && t != nil {
		switch {
		case path == "*":
			return nil
		case strings.HasPrefix(path, "[]"):
			switch u := t.Underlying().(type) {
			case *types.Array:
				t = u.Elem()
			case *types.Slice:
				t = u.Elem()
			case *types.Basic:
				if u.Info()&types.IsString == 0 {
					return nil
				}
				t = types.Typ[types.Byte]
			default:
				return nil
			}
			path = path[2:]
		case path[0] == '.':
			end := 1
			for end < len(path) && path[end] >= '0' && path[end] <= '9' {
				end++
			}
			var n int
			fmt.Sscanf(path[1:end], "%d", &n)
			st, ok := t.Underlying().(*types.Struct)
			if !ok || n >= st.NumFields() {
				return nil
			}
			t = st.Field(n).Type()
			path = path[end:]
		default:
			return nil
		}
	}
	return t
}

// PathString spells a path for users against the site's type: "field
// name", "element", "field ptrs, element".
func PathString(t types.Type, path string) string {
	if path == "" {
		return ""
	}
	if path == "*" {
		return "somewhere"
	}
	var parts []string
	for path != "" && t != nil {
		if strings.HasPrefix(path, "[]") {
			parts = append(parts, "an element")
			t = typeAt(t, "[]")
			path = path[2:]
			continue
		}
		end := 1
		for end < len(path) && path[end] >= '0' && path[end] <= '9' {
			end++
		}
		var n int
		fmt.Sscanf(path[1:end], "%d", &n)
		st, ok := t.Underlying().(*types.Struct)
		if !ok || n >= st.NumFields() {
			break
		}
		parts = append(parts, "field "+st.Field(n).Name())
		t = st.Field(n).Type()
		path = path[end:]
	}
	return strings.Join(parts, " of ")
}

// holdsMemory reports whether values of t refer to memory: pointers,
// unsafe.Pointer, slices, strings, maps, channels, functions and
// interfaces.
func holdsMemory(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Info()&types.IsString != 0
	}
	return false
}

func isAggregate(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

func isUnsafePointer(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}

func isByteOrRuneSlice(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && (b.Kind() == types.Byte || b.Kind() == types.Rune)
}

func pointerElem(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return nil
}

func pointerElemOr(t types.Type) types.Type {
	if e := pointerElem(t); e != nil {
		return e
	}
	return t
}

// sameShape reports whether memory of type a may be viewed as b without
// changing what its paths mean.
func sameShape(a, b types.Type) bool {
	if types.Identical(a.Underlying(), b.Underlying()) {
		return true
	}
	ba, ok1 := a.Underlying().(*types.Basic)
	bb, ok2 := b.Underlying().(*types.Basic)
	if ok1 && ok2 {
		return ba.Info()&types.IsNumeric != 0 && bb.Info()&types.IsNumeric != 0
	}
	return false
}

func isCType(t types.Type) bool {
	for {
		switch x := types.Unalias(t).(type) {
		case *types.Named:
			return strings.HasPrefix(x.Obj().Name(), "_Ctype_")
		case *types.Pointer:
			t = x.Elem()
		default:
			return false
		}
	}
}

// goDeclared reports whether t is a type whose memory is normally Go's:
// a named type declared in Go (not by cgo), or a Go struct, array, slice,
// map, channel, function or interface.
func goDeclared(t types.Type) bool {
	switch x := types.Unalias(t).(type) {
	case *types.Named:
		if strings.HasPrefix(x.Obj().Name(), "_Ctype_") || x.Obj().Pkg() == nil {
			return false
		}
		if _, basic := x.Underlying().(*types.Basic); basic {
			return false
		}
		return true
	case *types.Struct, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Array:
		return goDeclared(x.Elem())
	}
	return false
}

func typeString(t types.Type, fn *ssa.Function) string {
	if t == nil {
		return "?"
	}
	s := types.TypeString(t, func(p *types.Package) string {
		if fn.Pkg != nil && p == fn.Pkg.Pkg {
			return ""
		}
		return p.Name()
	})
	// As the user wrote it: cgo's _Ctype_char is C.char.
	return strings.ReplaceAll(s, "_Ctype_", "C.")
}

// isPinnerMethod reports whether fn is (*runtime.Pinner).name.
func isPinnerMethod(fn *ssa.Function, name string) bool {
	if fn == nil || fn.Name() != name || fn.Signature.Recv() == nil {
		return false
	}
	return isPinnerType(fn.Signature.Recv().Type())
}

// IsPinnerMethod reports whether fn is (*runtime.Pinner).name.
func IsPinnerMethod(fn *ssa.Function, name string) bool { return isPinnerMethod(fn, name) }

func isPinnerType(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "runtime" && n.Obj().Name() == "Pinner"
}

// IsPinnerType reports whether t is runtime.Pinner or a pointer to one.
func IsPinnerType(t types.Type) bool { return isPinnerType(t) }
