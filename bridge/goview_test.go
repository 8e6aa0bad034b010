package bridge

import (
	"errors"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

func goViewOf(t *testing.T, path string) ([]byte, error) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	p := Load(&Request{GoFiles: []string{abs}})
	f, err := parser.ParseFile(token.NewFileSet(), abs, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p.GoView(&GoViewRequest{Package: f.Name.Name, ImportPath: "example.com/" + f.Name.Name,
		Files: []GoViewFile{{Path: abs, Refs: CRefs(f)}}})
}

// TestGoView checks the declarations the view writes for each kind of C
// name against what cgo's type pass writes for the same package
// (internal/rawcgo compares them type by type on every corpus).
func TestGoView(t *testing.T) {
	src, err := goViewOf(t, "testdata/pkgs/goview/goview.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"type _Ctype_anon_t = _Ctype_struct___0\n",
		"type _Ctype_callback *[0]byte\n",
		"type _Ctype_handle *_Ctype_struct_opaque\n",
		"type _Ctype_node_t = _Ctype_struct_node\n",
		"type _Ctype_uint32_t = _Ctype___uint32_t\n",
		"type _Ctype_struct_opaque _cgopackage.Incomplete\n",
		"type _Ctype_union_value = [8]byte\n",
		// The bit field is dropped; the next member's alignment covers
		// its bytes.
		"type _Ctype_struct_node struct {\n\tnext *_Ctype_struct_node\n\tid _Ctype_uint32_t\n\tbig _Ctype_longlong\n}",
		// Go keywords get underscores until they collide with nothing.
		"type _Ctype_struct_keywords struct {\n\t__type _Ctype_int\n\t_type _Ctype_int\n\t_range _Ctype_int\n}",
		"var _Cvar_counter *_Ctype_int = (*_Ctype_int)(unsafe.Pointer(&__cgo_counter))\n",
		"var _Cfpvar_fp_nothing unsafe.Pointer",
		"const _Ciconst_GREEN = -0x2\n",
		"const _Ciconst_LIMIT = 0x10\n",
		"const _Ciconst_MASK = 0x10\n",
		"const _Csconst_NAME = \"goview\"\n",
		"const _Cfconst_RATIO = 0.500000\n",
		"const _Ciconst_sizeof_struct_node = 0x18\n",
		"const _Ciconst_NEG = -0x1\n",
		"const _Ciconst_SEVERAL = 0x20\n",
		"const _Ciconst_LETTER = 'g'\n",
		// Macros that are not constants are evaluated by C.
		"func _Cmacro_COUNTER_ALIAS() (r1 _Ctype_int) {",
		"func _Cmacro_NOWHERE() (r1 unsafe.Pointer) {",
		"type _Ctype_word_t = _Ctype_ulong\n",
		// A macro that names a function is called as the function.
		"func _Cfunc_link_up(p0 *_Ctype_struct_opaque, p1 *_Ctype_struct_node, p2 *[0]byte, p3 *_Ctype_char) (r1 _Ctype_int) {",
		"func _Cfunc_connect(p0 *_Ctype_struct_opaque, p1 *_Ctype_struct_node, p2 *[0]byte, p3 *_Ctype_char) (r1 _Ctype_int) {",
		"func _C2func_connect(p0 *_Ctype_struct_opaque, p1 *_Ctype_struct_node, p2 *[0]byte, p3 *_Ctype_char) (r1 _Ctype_int, r2 error) {",
		"func _Cfunc_free(p0 unsafe.Pointer) (r1 _Ctype_void) {",
		"func _Cfunc__CMalloc(n _Ctype_size_t) unsafe.Pointer {",
		"func _Cfunc_CString(s string) *_Ctype_char {",
		"func _Cfunc_GoString(p *_Ctype_char) string {",
		"func _cgo_cmalloc(p0 uint64) (r1 unsafe.Pointer) {",
		"func _cgo_runtime_cgocall(unsafe.Pointer, uintptr) int32\n",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("missing %q", want)
		}
	}
	// Only called, not used as a value: no function variable.
	for _, absent := range []string{"_Cfpvar_fp_connect", "_Cfunc_nothing", "_C2func_free"} {
		if strings.Contains(string(src), absent) {
			t.Errorf("declares %s", absent)
		}
	}
}

// TestGoViewFallback checks that what the view cannot declare as cgo
// would is named in the error: a variable of a vector type, which cgo
// renders from gcc's DWARF, and a preamble whose #pragma pack the
// layouts do not follow.
func TestGoViewFallback(t *testing.T) {
	for _, tc := range []struct{ path, name, reason string }{
		{"testdata/pkgs/goviewvector/vector.go", "lanes", "vector"},
		{"testdata/pkgs/goviewpack/pack.go", "", "pragma pack"},
	} {
		_, err := goViewOf(t, tc.path)
		var ge *GoViewError
		if !errors.As(err, &ge) || ge.Name != tc.name || !strings.Contains(ge.Reason, tc.reason) || !strings.HasSuffix(tc.path, filepath.Base(ge.File)) {
			t.Errorf("%s: error %v, want one naming %q and %s", tc.path, err, tc.name, tc.reason)
		}
	}
}

// TestCRefs checks how uses of C names are told apart: a call, a call in
// the errno form, and a use as a value.
func TestCRefs(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", `package x
import "C"
func f() {
	C.a()
	r, err := C.b()
	var s, e = (C.c())
	p := C.a
	var v C.int
	_, _, _, _, _, _ = r, err, s, e, p, v
}`, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]CRef{}
	for _, r := range CRefs(f) {
		got[r.Name] = r
	}
	want := map[string]CRef{
		"a":   {Name: "a", Call: true, Value: true},
		"b":   {Name: "b", Call2: true},
		"c":   {Name: "c", Call2: true},
		"int": {Name: "int", Value: true},
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: got %+v, want %+v", name, got[name], w)
		}
	}
}
