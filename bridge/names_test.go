package bridge

import "testing"

func TestParseName(t *testing.T) {
	tests := []struct {
		ident    string
		wantKind NameKind
		wantName string
	}{
		{"_Cfunc_free", CFunc, "free"},
		{"_Cfunc_sqlite3_open_v2", CFunc, "sqlite3_open_v2"},
		{"_C2func_open", CFuncErrno, "open"},
		{"_Cfunc_CString", CBuiltin, "CString"},
		{"_Cfunc_CBytes", CBuiltin, "CBytes"},
		{"_Cfunc_GoString", CBuiltin, "GoString"},
		{"_Cfunc_GoStringN", CBuiltin, "GoStringN"},
		{"_Cfunc_GoBytes", CBuiltin, "GoBytes"},
		{"_Cfunc__CMalloc", CBuiltin, "_CMalloc"},
		{"_Ctype_int", CType, "int"},
		{"_Ctype_uint", CType, "unsigned int"},
		{"_Ctype_struct_point", CType, "struct point"},
		{"_Ctype_union_u", CType, "union u"},
		{"_Ctype_enum_color", CType, "enum color"},
		{"_Ctype_struct___0", CType, "struct___0"},
		{"_Ctype_struct___sFILE", CType, "struct __sFILE"},
		{"_Ctype_size_t", CType, "size_t"},
		{"_Cvar_errno_copy", CVar, "errno_copy"},
		{"_Cmacro_MAX", CMacro, "MAX"},
		{"_Cfpvar_fp_callback", CFuncPtr, "callback"},
		{"_Ciconst_BUFSIZ", CIntConst, "BUFSIZ"},
		{"_Cfconst_PI", CFloatConst, "PI"},
		{"_Csconst_VERSION", CStringConst, "VERSION"},

		// Near misses: not names cgo generates for C entities.
		{"_Cfunc_", NotCgo, ""},
		{"_Ctype_", NotCgo, ""},
		{"Cfunc_free", NotCgo, ""},
		{"_cgoCheckPointer", NotCgo, ""},
		{"_Cgo_ptr", NotCgo, ""},
		{"free", NotCgo, ""},
		{"", NotCgo, ""},
	}
	for _, tt := range tests {
		kind, name := ParseName(tt.ident)
		if kind != tt.wantKind || name != tt.wantName {
			t.Errorf("ParseName(%q) = (%v, %q), want (%v, %q)", tt.ident, kind, name, tt.wantKind, tt.wantName)
		}
	}
}

func TestCTypeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"schar", "signed char"},
		{"uchar", "unsigned char"},
		{"char", "char"},
		{"short", "short"},
		{"ushort", "unsigned short"},
		{"int", "int"},
		{"uint", "unsigned int"},
		{"long", "long"},
		{"ulong", "unsigned long"},
		{"longlong", "long long"},
		{"ulonglong", "unsigned long long"},
		{"float", "float"},
		{"double", "double"},
		{"complexfloat", "float _Complex"},
		{"complexdouble", "double _Complex"},
		{"void", "void"},
		{"struct_stat", "struct stat"},
		{"struct___12", "struct___12"},
		{"union___3", "union___3"},
		{"enum___0", "enum___0"},
		{"struct___sFILE", "struct __sFILE"},
		{"struct___", "struct __"},
		{"struct_", "struct_"},
		{"sqlite3", "sqlite3"},
		{"uint8_t", "uint8_t"},
	}
	for _, tt := range tests {
		if got := CTypeName(tt.in); got != tt.want {
			t.Errorf("CTypeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsBuiltin(t *testing.T) {
	for _, name := range []string{BuiltinCString, BuiltinCBytes, BuiltinGoString, BuiltinGoStringN, BuiltinGoBytes, BuiltinCMalloc} {
		if !IsBuiltin(name) {
			t.Errorf("IsBuiltin(%q) = false", name)
		}
	}
	for _, name := range []string{"malloc", "free", "cstring", ""} {
		if IsBuiltin(name) {
			t.Errorf("IsBuiltin(%q) = true", name)
		}
	}
}

func TestNameKindString(t *testing.T) {
	seen := map[string]NameKind{}
	for k := NotCgo; k <= CBuiltin; k++ {
		s := k.String()
		if s == "?" || s == "" {
			t.Errorf("NameKind(%d) has no name", k)
		}
		if other, ok := seen[s]; ok {
			t.Errorf("NameKind(%d) and NameKind(%d) are both %q", k, other, s)
		}
		seen[s] = k
	}
	if s := NameKind(-1).String(); s != "?" {
		t.Errorf("NameKind(-1).String() = %q", s)
	}
}
