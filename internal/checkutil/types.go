package checkutil

import (
	"go/types"
	"strings"

	"github.com/ffivet/ffivet/bridge"
)

// IsUnsafePointer reports whether t is unsafe.Pointer or a type defined
// from it.
func IsUnsafePointer(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}

// IsString reports whether t is a string type; nil is not.
func IsString(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// IsHandle reports whether t is runtime/cgo.Handle; nil is not.
func IsHandle(t types.Type) bool {
	if t == nil {
		return false
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "runtime/cgo" && n.Obj().Name() == "Handle"
}

// TypeString spells t as the user writes it in package pkg: C.int
// rather than _Ctype_int, pkg's own names unqualified, other packages'
// by their name.
func TypeString(t types.Type, pkg *types.Package) string {
	return CgoSpelling(types.TypeString(t, func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}))
}

// CgoSpelling rewrites cgo's generated type names in s to the names the
// user wrote: _Ctype_struct_x to C.struct_x.
func CgoSpelling(s string) string {
	return strings.ReplaceAll(s, "_Ctype_", "C.")
}

// CTypeName returns the C spelling of a cgo type (_Ctype_X, or an alias
// such as _Ctype_size_t), or "" for any other type.
func CTypeName(t types.Type) string {
	switch x := t.(type) {
	case *types.Alias:
		if k, n := bridge.ParseName(x.Obj().Name()); k == bridge.CType {
			return n
		}
		return CTypeName(types.Unalias(x))
	case *types.Named:
		if k, n := bridge.ParseName(x.Obj().Name()); k == bridge.CType {
			return n
		}
	}
	return ""
}

// CgoTypeName returns the name the user writes after "C." for the C
// type spelled cname, as cgo names it: "unsigned int" is C.uint and
// "struct point" is C.struct_point. It is the inverse of
// bridge.CTypeName.
func CgoTypeName(cname string) string {
	switch cname {
	case "unsigned int":
		return "uint"
	case "unsigned long":
		return "ulong"
	case "unsigned short":
		return "ushort"
	case "unsigned char":
		return "uchar"
	case "signed char":
		return "schar"
	case "long long":
		return "longlong"
	case "unsigned long long":
		return "ulonglong"
	}
	return strings.ReplaceAll(cname, " ", "_")
}
