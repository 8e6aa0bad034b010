package bridge

import (
	"fmt"
	"go/ast"
	"sort"
	"strings"
)

// exportHeader renders the bridge's stand-in for cgo's _cgo_export.h:
// the Go scalar typedefs, the preambles of the files (cgo includes them),
// and a prototype for each //export function. Parameter types are read
// from the Go syntax; a type the bridge cannot spell in C becomes void*,
// which is enough for the .c files that include the header to translate
// and for summaries to see calls into Go.
func (p *Package) exportHeader() string {
	var b strings.Builder
	b.WriteString(`#ifndef FFIVET_CGO_EXPORT_H
#define FFIVET_CGO_EXPORT_H
#include <stddef.h>
typedef signed char GoInt8;
typedef unsigned char GoUint8;
typedef short GoInt16;
typedef unsigned short GoUint16;
typedef int GoInt32;
typedef unsigned int GoUint32;
typedef long long GoInt64;
typedef unsigned long long GoUint64;
typedef GoInt64 GoInt;
typedef GoUint64 GoUint;
typedef size_t GoUintptr;
typedef float GoFloat32;
typedef double GoFloat64;
typedef unsigned char GoBool;
typedef void *GoMap;
typedef void *GoChan;
typedef struct { void *t; void *v; } GoInterface;
typedef struct { void *data; GoInt len; GoInt cap; } GoSlice;
#ifndef GO_CGO_GOSTRING_TYPEDEF
typedef struct { const char *p; ptrdiff_t n; } _GoString_;
#endif
typedef _GoString_ GoString;
`)
	if len(p.Exports) > 0 {
		for _, pre := range p.Preambles {
			fmt.Fprintf(&b, "#line %d %q\n%s\n", pre.Line, pre.File, pre.Text)
		}
		b.WriteString("#line 1 \"_cgo_export.h\"\n")
	}
	names := make([]string, 0, len(p.Exports))
	for n := range p.Exports {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(exportPrototype(p.Exports[n]))
	}
	b.WriteString("#endif\n")
	return b.String()
}

func exportPrototype(e *Export) string {
	fd := e.Decl
	var params []string
	if fd.Type.Params != nil {
		for _, f := range fd.Type.Params.List {
			t := cSpelling(f.Type)
			n := len(f.Names)
			if n == 0 {
				n = 1
			}
			for i := 0; i < n; i++ {
				params = append(params, t)
			}
		}
	}
	if len(params) == 0 {
		params = []string{"void"}
	}
	res := "void"
	if r := fd.Type.Results; r != nil {
		switch r.NumFields() {
		case 0:
		case 1:
			res = cSpelling(r.List[0].Type)
		default:
			// cgo returns a struct for several results; its name is
			// <func>_return.
			var fields []string
			i := 0
			for _, f := range r.List {
				n := len(f.Names)
				if n == 0 {
					n = 1
				}
				for j := 0; j < n; j++ {
					fields = append(fields, fmt.Sprintf("%s r%d;", cSpelling(f.Type), i))
					i++
				}
			}
			return fmt.Sprintf("struct %s_return { %s };\nextern struct %s_return %s(%s);\n",
				e.Name, strings.Join(fields, " "), e.Name, e.Name, strings.Join(params, ", "))
		}
	}
	return fmt.Sprintf("extern %s %s(%s);\n", res, e.Name, strings.Join(params, ", "))
}

// cSpelling spells a Go parameter type in C the way _cgo_export.h does,
// as far as syntax allows.
func cSpelling(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		switch t.Name {
		case "int":
			return "GoInt"
		case "uint":
			return "GoUint"
		case "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64":
			return "Go" + strings.ToUpper(t.Name[:1]) + t.Name[1:]
		case "byte":
			return "GoUint8"
		case "rune":
			return "GoInt32"
		case "bool":
			return "GoBool"
		case "string":
			return "GoString"
		}
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok {
			switch {
			case x.Name == "unsafe" && t.Sel.Name == "Pointer":
				return "void*"
			case x.Name == "C":
				return CTypeName(t.Sel.Name)
			}
		}
	case *ast.StarExpr:
		return cSpelling(t.X) + "*"
	case *ast.ArrayType:
		if t.Len == nil {
			return "GoSlice"
		}
	case *ast.InterfaceType:
		return "GoInterface"
	case *ast.MapType:
		return "GoMap"
	case *ast.ChanType:
		return "GoChan"
	}
	return "void*"
}
