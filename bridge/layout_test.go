package bridge

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/testtool"
	"modernc.org/cc/v4"
)

// layoutCases names every record of testdata/layout/types.h and the
// members to check. A member ending in ":" is a bit field, one ending in
// "[]" a flexible array member; dotted paths and promoted members of
// anonymous structs and unions are looked up with Layout.Field.
var layoutCases = []struct {
	name   string
	fields string
}{
	{"struct point", "x y"},
	{"point_t", "x y"},
	{"tagged_value_t", "tag value"},
	{"struct simple", "c i s l c2"},
	{"struct with_ptr", "c p s next fn"},
	{"struct odd_chars", "a b c s d"},
	{"struct odd_tail", "i name"},
	{"struct with_ld", "c ld c2"},
	{"struct with_bool", "a i b c"},
	{"struct with_enum", "c col se d s"},
	{"struct arr_of_structs", "c pts tail"},
	{"struct matrix", "cells c d"},
	{"struct nested", "s s.c s.i s.l s.c2 c w w.ld w.c2"},
	{"union u", "i d bytes"},
	{"union small_u", "c s"},
	{"struct has_union", "c u u.d u.bytes d"},
	{"struct empty", ""},

	{"struct bf_basic", "a: b: c:"},
	{"struct bf_mixed", "a b: c: d"},
	{"struct bf_widths", "a: b: c: d: e:"},
	{"struct bf_zero", "a b"},
	{"struct bf_zero2", "a: b: c"},
	{"struct bf_span", "a: b: c: d:"},
	{"struct bf_unnamed", "a b: c:"},
	{"struct bf_char", "a: b: c: d: e:"},
	{"struct bf_bool", "a: b: c: col:"},
	{"struct bf_signed", "a: b: c:"},
	{"struct bf_after_array", "name flag: mode: last"},
	{"union bf_union", "a: b: c"},

	{"struct pk_basic", "c i s l"},
	{"struct pk_after", "c d"},
	{"struct pk_bf", "a b: c: d: e: f:"},
	{"struct pk_aligned", "c i s"},
	{"struct pk_member", "c i s"},
	{"struct pk_nested", "c p p.y s s.i s.l"},
	{"struct pk_zero", "a b"},
	{"pk_anon_t", "c i"},
	{"union pk_union", "c i b"},

	{"struct al16", "c"},
	{"struct al_member", "c i d"},
	{"struct al_alignas", "c s d"},
	{"struct al_typedef", "c i"},
	{"struct al_in_struct", "c a d"},
	{"al_anon_t", "c i"},
	{"struct al_bare", "c"},
	{"apoint_t", "x y"},
	{"struct uses_apoint", "c p d"},

	{"struct flex", "n data[]"},
	{"struct flex_align", "c d[]"},
	{"struct flex_struct", "n pts[]"},

	{"struct anon", "kind i f lo hi tail"},
	{"struct anon2", "c d e f g"},
	{"struct anon_bf", "a x: y: z:"},
	{"struct named_nested", "first first.a first.b second second.s second.c"},
	{"struct outer_tag", "in in.q in.r after"},
	{"struct inner_tag", "q r"},
	{"color_t", "r g b a rgba"},
}

// layoutAliases are other spellings of types in layoutCases or of basic
// types, with the C spelling gcc is asked about.
var layoutAliases = []struct{ query, c string }{
	{"_Ctype_struct_point", "struct point"},
	{"C.struct_point", "struct point"},
	{"_Ctype_point_t", "point_t"},
	{"struct  point", "struct point"},
	{"_Ctype_union_u", "union u"},
	{"_Ctype_struct_inner_tag", "struct inner_tag"},
	{"enum color", "enum color"},
	{"_Ctype_enum_small_e", "enum small_e"},
	{"enum signed_e", "enum signed_e"},
	{"aligned_int8", "aligned_int8"},
	{"int", "int"},
	{"unsigned long", "unsigned long"},
	{"long unsigned int", "unsigned long"},
	{"long long", "long long"},
	{"char", "char"},
	{"signed char", "signed char"},
	{"double", "double"},
	{"long double", "long double"},
	{"float", "float"},
	{"_Bool", "_Bool"},
	{"short", "short"},
	{"unsigned", "unsigned"},
	{"size_t", "size_t"},
	{"uint32_t", "uint32_t"},
	{"char *", "char *"},
	{"struct point*", "struct point *"},
	{"_Ctype_uint", "unsigned int"},
	{"_Ctype_uchar", "unsigned char"},
	{"_Ctype_longlong", "long long"},
	{"_Ctype_ulonglong", "unsigned long long"},
	{"C.ushort", "unsigned short"},
	{"_Ctype_size_t", "size_t"},
	{"_Ctype_float", "float"},
}

func TestLayoutAgainstGCC(t *testing.T) {
	gcc := testtool.Need(t, "gcc", "apt-get install gcc")
	defs, err := os.ReadFile(filepath.Join("testdata", "layout", "types.h"))
	if err != nil {
		t.Fatal(err)
	}
	want := gccLayouts(t, gcc, t.TempDir(), defs)
	p := loadLayoutPackage(t, t.TempDir(), defs)

	for _, c := range layoutCases {
		lay, ok := p.Layout(c.name)
		if !ok {
			t.Errorf("Layout(%q) not found", c.name)
			continue
		}
		w := want[c.name]
		var diffs []string
		if lay.Size != w.size || int64(lay.Align) != w.align {
			diffs = append(diffs, fmt.Sprintf("size %d align %d, gcc: size %d align %d", lay.Size, lay.Align, w.size, w.align))
		}
		for path := range strings.FieldsSeq(c.fields) {
			path, bit := strings.CutSuffix(path, ":")
			path, _ = strings.CutSuffix(path, "[]")
			f, ok := lay.Field(path)
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: missing", path))
				continue
			}
			g := w.fields[path]
			if bit {
				got := [2]int64{f.Offset*8 + int64(f.BitOffset), int64(f.BitWidth)}
				if !f.BitField || got != [2]int64{g.off, g.size} {
					diffs = append(diffs, fmt.Sprintf("%s: bit field %v at bit %d width %d, gcc: bit %d width %d", path, f.BitField, got[0], got[1], g.off, g.size))
				}
				continue
			}
			if f.BitField || f.Offset != g.off || g.size >= 0 && f.Size != g.size {
				diffs = append(diffs, fmt.Sprintf("%s: offset %d size %d, gcc: offset %d size %d", path, f.Offset, f.Size, g.off, g.size))
			}
		}
		if len(diffs) > 0 {
			t.Errorf("%s differs from gcc:\n\t%s\nbridge layout:\n%s", c.name, strings.Join(diffs, "\n\t"), lay)
		}
	}

	for _, a := range layoutAliases {
		lay, ok := p.Layout(a.query)
		if !ok {
			t.Errorf("Layout(%q) not found", a.query)
			continue
		}
		w := want[a.c]
		if lay.Size != w.size || int64(lay.Align) != w.align {
			t.Errorf("Layout(%q) = size %d align %d, gcc says %s has size %d align %d", a.query, lay.Size, lay.Align, a.c, w.size, w.align)
		}
	}
}

// TestLayoutOfWithoutPackage checks that LayoutOf, which sees only a
// type, finds the attributes of tagged definitions by itself.
func TestLayoutOfWithoutPackage(t *testing.T) {
	defs, err := os.ReadFile(filepath.Join("testdata", "layout", "types.h"))
	if err != nil {
		t.Fatal(err)
	}
	p := loadLayoutPackage(t, t.TempDir(), defs)
	for _, c := range layoutCases {
		if !strings.HasPrefix(c.name, "struct ") && !strings.HasPrefix(c.name, "union ") {
			continue
		}
		if c.name == "struct with_enum" {
			// Its packed enum says so only in the declaration that
			// defines it, which a type alone does not lead to.
			continue
		}
		td := p.Types[c.name]
		if td == nil {
			t.Errorf("p.Types has no %q", c.name)
			continue
		}
		got := LayoutOf(c.name, td.Type)
		want, _ := p.Layout(c.name)
		if got.String() != want.String() {
			t.Errorf("LayoutOf(%q):\n%s\nPackage.Layout:\n%s", c.name, got, want)
		}
	}
}

func TestLayoutEdgeCases(t *testing.T) {
	src := `package edge

// struct opaque;
// struct uses_opaque { struct opaque *p; };
// typedef struct opaque opaque_t;
// typedef void fn_t(int);
// struct has_vla_like { int n; struct opaque o; int after; };
import "C"
`
	dir := t.TempDir()
	path := filepath.Join(dir, "edge.go")
	if err := os.WriteFile(path, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	p := Load(&Request{GoFiles: []string{path}})

	if LayoutOf("nil", nil) != nil {
		t.Error("LayoutOf(nil) != nil")
	}
	for _, name := range []string{"struct opaque", "opaque_t", "_Ctype_struct_opaque", "fn_t", "void"} {
		lay, ok := p.Layout(name)
		if !ok || lay.Size != -1 {
			t.Errorf("Layout(%q) = %v, %v; want an unknown size", name, lay, ok)
		}
	}
	ptr, ok := p.Layout("void *")
	if !ok || ptr.Size <= 0 {
		t.Fatalf("Layout(void *) = %v, %v", ptr, ok)
	}
	for _, name := range []string{"struct uses_opaque", "struct opaque *", "struct never_declared **", "opaque_t*", "_Ctype_struct_uses_opaque"} {
		if lay, ok := p.Layout(name); !ok || lay.Size != ptr.Size {
			t.Errorf("Layout(%q) = %v, %v; want pointer-sized", name, lay, ok)
		}
	}
	// A member of unknown size leaves nothing to report.
	if lay, ok := p.Layout("struct has_vla_like"); !ok || lay.Size != -1 || lay.Fields != nil {
		t.Errorf("Layout(struct has_vla_like) = %v, %v; want unknown size and no fields", lay, ok)
	}
	for _, name := range []string{"struct nosuch", "nosuch_t", "_Ctype_struct___0", "", "unsigned float", "long long long", "enum opaque", "nosuch_t *", "*"} {
		if lay, ok := p.Layout(name); ok {
			t.Errorf("Layout(%q) = %v, want not found", name, lay)
		}
	}
	var nilPkg *Package
	if _, ok := nilPkg.Layout("int"); ok {
		t.Error("nil package resolved int")
	}
	var nilLayout *Layout
	if _, ok := nilLayout.Field("x"); ok {
		t.Error("nil layout has a field")
	}
	if s := nilLayout.String(); s == "" {
		t.Error("nil layout prints nothing")
	}
}

func TestLayoutFieldPaths(t *testing.T) {
	defs, err := os.ReadFile(filepath.Join("testdata", "layout", "types.h"))
	if err != nil {
		t.Fatal(err)
	}
	p := loadLayoutPackage(t, t.TempDir(), defs)
	lay, _ := p.Layout("struct anon")
	var anon FieldLayout
	for _, f := range lay.Fields {
		if f.Anonymous {
			anon = f
		}
	}
	if anon.Record == nil || anon.Record.Kind != cc.Union || anon.Name != "" {
		t.Fatalf("struct anon has no anonymous union member:\n%s", lay)
	}
	for _, bad := range []string{"lo.x", "kind.x", "nosuch", "tail.", ".kind", ".i", ""} {
		if f, ok := lay.Field(bad); ok {
			t.Errorf("Field(%q) = %v, want not found", bad, f)
		}
	}
	// The printed layout shows promoted members with their offsets.
	if s := lay.String(); !strings.Contains(s, "\t\t\tshort lo @4") {
		t.Errorf("String() does not show promoted members:\n%s", s)
	}
}

func TestNormalizeCName(t *testing.T) {
	for in, want := range map[string]string{
		"_Ctype_struct_point": "struct point",
		"C.struct_point":      "struct point",
		"C.uint":              "unsigned int",
		"  unsigned   long ":  "unsigned long",
		"char*":               "char*",
		"struct point  *":     "struct point*",
		"const char * *":      "const char**",
		"_Ctype_complexfloat": "float _Complex",
	} {
		if got := normalizeCName(in); got != want {
			t.Errorf("normalizeCName(%q) = %q, want %q", in, got, want)
		}
	}
}

type gccField struct{ off, size int64 }

type gccLayout struct {
	size, align int64
	fields      map[string]gccField
}

// gccLayouts compiles and runs a program that prints what gcc thinks of
// every case and alias. A bit field's position is found by setting it to
// all ones in a zeroed object and looking for the bits that changed;
// off and size then hold the first bit and the number of bits.
func gccLayouts(t *testing.T, gcc, dir string, defs []byte) map[string]*gccLayout {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "types.h"), defs, 0o666); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`#include <stdio.h>
#include <string.h>
#include "types.h"

static void bits(const char *t, const char *f, const unsigned char *p, size_t n) {
	int first = -1, count = 0;
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < 8; j++)
			if (p[i] >> j & 1) {
				if (first < 0)
					first = (int)(i * 8 + j);
				count++;
			}
	printf("field|%s|%s|%d|%d\n", t, f, first, count);
}

int main(void) {
`)
	typ := func(c string) {
		fmt.Fprintf(&b, "\tprintf(\"type|%%s|%%zu|%%zu\\n\", %q, sizeof(%s), _Alignof(%s));\n", c, c, c)
	}
	for _, c := range layoutCases {
		typ(c.name)
		for path := range strings.FieldsSeq(c.fields) {
			switch {
			case strings.HasSuffix(path, ":"):
				path = strings.TrimSuffix(path, ":")
				fmt.Fprintf(&b, "\t{ %s v; memset(&v, 0, sizeof v); v.%s = ~0ULL; bits(%q, %q, (const unsigned char *)&v, sizeof v); }\n", c.name, path, c.name, path)
			case strings.HasSuffix(path, "[]"):
				path = strings.TrimSuffix(path, "[]")
				fmt.Fprintf(&b, "\tprintf(\"field|%%s|%%s|%%zu|-1\\n\", %q, %q, offsetof(%s, %s));\n", c.name, path, c.name, path)
			default:
				fmt.Fprintf(&b, "\tprintf(\"field|%%s|%%s|%%zu|%%zu\\n\", %q, %q, offsetof(%s, %s), sizeof(((%s *)0)->%s));\n", c.name, path, c.name, path, c.name, path)
			}
		}
	}
	for _, a := range layoutAliases {
		typ(a.c)
	}
	b.WriteString("\treturn 0;\n}\n")

	src := filepath.Join(dir, "layouts.c")
	exe := filepath.Join(dir, "layouts")
	if err := os.WriteFile(src, []byte(b.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-w", "-o", exe, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(exe).Output()
	if err != nil {
		t.Fatalf("running the layout program: %v", err)
	}

	want := map[string]*gccLayout{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "|")
		num := func(s string) int64 {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				t.Fatalf("bad line %q: %v", sc.Text(), err)
			}
			return n
		}
		switch {
		case parts[0] == "type" && len(parts) == 4:
			if want[parts[1]] == nil {
				want[parts[1]] = &gccLayout{size: num(parts[2]), align: num(parts[3]), fields: map[string]gccField{}}
			}
		case parts[0] == "field" && len(parts) == 5:
			want[parts[1]].fields[parts[2]] = gccField{num(parts[3]), num(parts[4])}
		default:
			t.Fatalf("bad line %q", sc.Text())
		}
	}
	return want
}

// loadLayoutPackage writes defs as the preamble of a Go file and loads
// it the way the analyzers do.
func loadLayoutPackage(t *testing.T, dir string, defs []byte) *Package {
	t.Helper()
	var b strings.Builder
	b.WriteString("package layouts\n\n")
	for line := range strings.SplitSeq(strings.TrimRight(string(defs), "\n"), "\n") {
		b.WriteString("// " + line + "\n")
	}
	b.WriteString("import \"C\"\n")
	path := filepath.Join(dir, "layouts.go")
	if err := os.WriteFile(path, []byte(b.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	p := Load(&Request{GoFiles: []string{path}})
	if len(p.Units) != 1 || p.Units[0].AST == nil || p.Units[0].Err != nil {
		t.Fatalf("the preamble did not translate: %v", p.Warnings)
	}
	return p
}
