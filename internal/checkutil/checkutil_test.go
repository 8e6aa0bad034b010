package checkutil

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

func TestJoin(t *testing.T) {
	for _, test := range []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
	} {
		if got := Join(test.items); got != test.want {
			t.Errorf("Join(%q) = %q, want %q", test.items, got, test.want)
		}
	}
}

func TestLinesAndIndent(t *testing.T) {
	fset := token.NewFileSet()
	src := "package p\n\nfunc f() {\n\tif true {\n\t\tprintln()\n\t}\n}\n"
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ifPos, callPos token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt:
			ifPos = n.Pos()
		case *ast.CallExpr:
			callPos = n.Pos()
		}
		return true
	})
	if got := Lines(fset, []token.Pos{callPos, ifPos, callPos}); got != "lines 4 and 5" {
		t.Errorf("Lines = %q, want lines 4 and 5", got)
	}
	if got := Lines(fset, []token.Pos{ifPos}); got != "line 4" {
		t.Errorf("Lines = %q, want line 4", got)
	}
	if got := Indent(fset, callPos); got != "\t\t" {
		t.Errorf("Indent = %q, want two tabs", got)
	}
}

func TestCgoSpellings(t *testing.T) {
	pkg := types.NewPackage("example.com/p", "p")
	other := types.NewPackage("example.com/q", "q")
	cint := types.NewNamed(types.NewTypeName(token.NoPos, pkg, "_Ctype_int", nil), types.Typ[types.Int32], nil)
	point := types.NewNamed(types.NewTypeName(token.NoPos, pkg, "_Ctype_struct_point", nil), types.NewStruct(nil, nil), nil)
	size := types.NewAlias(types.NewTypeName(token.NoPos, pkg, "_Ctype_size_t", nil), types.Typ[types.Uintptr])
	buf := types.NewNamed(types.NewTypeName(token.NoPos, other, "Buf", nil), types.Typ[types.Int], nil)
	for _, test := range []struct {
		t           types.Type
		goName, cgo string
	}{
		{types.NewPointer(cint), "*C.int", ""},
		{cint, "C.int", "int"},
		{point, "C.struct_point", "struct point"},
		{size, "C.size_t", "size_t"},
		{types.NewSlice(buf), "[]q.Buf", ""},
	} {
		if got := TypeString(test.t, pkg); got != test.goName {
			t.Errorf("TypeString(%v) = %q, want %q", test.t, got, test.goName)
		}
		if got := CTypeName(test.t); got != test.cgo {
			t.Errorf("CTypeName(%v) = %q, want %q", test.t, got, test.cgo)
		}
	}
	for cname, want := range map[string]string{"unsigned long long": "ulonglong", "struct point": "struct_point", "int": "int"} {
		if got := CgoTypeName(cname); got != want {
			t.Errorf("CgoTypeName(%q) = %q, want %q", cname, got, want)
		}
	}
}

func TestExprString(t *testing.T) {
	for src, want := range map[string]string{
		"(_Cfunc_strlen)(cs)":           "C.strlen(cs)",
		"_Ctype_int(n)":                 "C.int(n)",
		"*_Cvar_errno_value":            "*C.errno_value",
		"_Cgo_ptr(_Cfpvar_fp_callback)": "C.callback",
		"unsafe.Pointer(&buf[0])":       "unsafe.Pointer(&buf[0])",
	} {
		e, err := parser.ParseExpr(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := ExprString(e); got != want {
			t.Errorf("ExprString(%s) = %q, want %q", src, got, want)
		}
	}
}

func TestTypeTests(t *testing.T) {
	cgo := types.NewPackage("runtime/cgo", "cgo")
	handle := types.NewNamed(types.NewTypeName(token.NoPos, cgo, "Handle", nil), types.Typ[types.Uintptr], nil)
	if !IsHandle(handle) || IsHandle(types.Typ[types.Uintptr]) || IsHandle(nil) {
		t.Error("IsHandle: want true only for runtime/cgo.Handle")
	}
	if !IsUnsafePointer(types.Typ[types.UnsafePointer]) || IsUnsafePointer(types.Typ[types.Uintptr]) {
		t.Error("IsUnsafePointer: want true only for unsafe.Pointer")
	}
	if !IsString(types.Typ[types.String]) || IsString(nil) || IsString(types.NewSlice(types.Typ[types.Byte])) {
		t.Error("IsString: want true only for strings")
	}
	if !IsCgoGeneratedName("_Cfunc_strlen") || !IsCgoGeneratedName("_cgo_cmalloc") || IsCgoGeneratedName("Len") {
		t.Error("IsCgoGeneratedName: want true only for cgo's functions")
	}
}
