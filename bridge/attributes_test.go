package bridge

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// loadCgo writes a cgo file with the given preamble, plus any extra
// files, into a fresh directory and loads the package.
func loadCgo(t *testing.T, preamble string, extra map[string]string) *Package {
	t.Helper()
	dir := t.TempDir()
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goFile := filepath.Join(dir, "a.go")
	src := "package a\n\n/*\n" + preamble + "\n*/\nimport \"C\"\n"
	if err := os.WriteFile(goFile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p := Load(&Request{GoFiles: []string{goFile}})
	if len(p.Units) == 0 {
		t.Fatalf("no C units; warnings: %v", p.Warnings)
	}
	for _, u := range p.Units {
		if u.AST == nil {
			t.Fatalf("unit %s not translated: %v", u.Name, u.Err)
		}
	}
	return p
}

func mustFunc(t *testing.T, p *Package, name string) *Func {
	t.Helper()
	f := p.Func(name)
	if f == nil {
		t.Fatalf("function %s not collected", name)
	}
	return f
}

func TestAttributesUserDeclarations(t *testing.T) {
	p := loadCgo(t, `
void *many(int, int) __attribute__((malloc, returns_nonnull, nonnull(1, 2), alloc_size(1)));
__attribute__((nonnull)) void all(char *, char *);
char *twice(char *) __attribute__((nonnull(1)));
char *twice(char *) __attribute__((__returns_nonnull__));

void rel(void *);
void *mk(void) __attribute__((malloc(rel)));
void rel2(int, void *);
void *mk2(void) __attribute__((malloc(rel2, 2)));
void *viafree(void) __attribute__((__malloc__(__builtin_free, 1)));

void *o_new(void) __attribute__((ownership_returns(obj)));
void o_del(void *) __attribute__((ownership_takes(obj, 1)));
void o_keep(int, void *) __attribute__((ownership_holds(obj, 2)));
void *o_orphan(void) __attribute__((ownership_returns(nobody)));

#define MY_MALLOC __attribute__((malloc, nonnull(1), returns_nonnull))
void *viamacro(char *) MY_MALLOC;

__attribute__((malloc)) static void *defined(void) { return 0; }
void *plain(int);
`, nil)

	tests := []struct {
		name string
		want Attributes
	}{
		// cc/v4 drops the middle of a comma-separated list; the bridge
		// reads those values back from the preamble text.
		{"many", Attributes{Malloc: true, ReturnsNonnull: true, Nonnull: []int{0, 1}}},
		{"all", Attributes{NonnullAll: true}},
		// Attributes of all declarations accumulate.
		{"twice", Attributes{Nonnull: []int{0}, ReturnsNonnull: true}},
		{"mk", Attributes{Dealloc: "rel"}},
		{"rel", Attributes{DeallocatorFor: map[int][]string{0: {"mk"}}}},
		{"mk2", Attributes{Dealloc: "rel2", DeallocArg: 1}},
		{"rel2", Attributes{DeallocatorFor: map[int][]string{1: {"mk2"}}}},
		{"viafree", Attributes{Dealloc: "free"}},
		{"o_new", Attributes{OwnershipReturns: "obj"}},
		{"o_del", Attributes{OwnershipTakes: map[int]string{0: "obj"}}},
		{"o_keep", Attributes{OwnershipHolds: map[int]string{1: "obj"}}},
		// A macro's tokens all carry the position of its use, so the
		// middle value cannot be recovered; the first and last remain.
		{"viamacro", Attributes{Malloc: true, ReturnsNonnull: true}},
		{"defined", Attributes{Malloc: true}},
		{"plain", Attributes{}},
	}
	for _, tt := range tests {
		got := mustFunc(t, p, tt.name).Attrs
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: attributes\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
	if !mustFunc(t, p, "plain").Attrs.IsZero() {
		t.Errorf("plain: IsZero false")
	}
}

func TestAttributeSummaries(t *testing.T) {
	p := loadCgo(t, `
void rel(void *);
void *mk(void) __attribute__((malloc(rel)));
void *viafree(void) __attribute__((malloc(__builtin_free)));
void *bare(int) __attribute__((malloc));
void *o_new(void) __attribute__((ownership_returns(obj)));
void o_del(void *) __attribute__((ownership_takes(obj, 1)));
void o_keep(int, void *) __attribute__((ownership_holds(obj, 2)));
void *o_orphan(void) __attribute__((ownership_returns(nobody)));
void *m_new(void) __attribute__((ownership_returns(malloc)));
char *nn(char *) __attribute__((nonnull(1), returns_nonnull));
`, nil)

	owned := func(name, family, dealloc string) {
		t.Helper()
		s := p.Summary(name)
		if s.Source != FromAttributes || s.ReturnsOwned == nil || s.ReturnsOwned.Family != family || s.ReturnsOwned.Dealloc != dealloc {
			t.Errorf("Summary(%s) = %v, want returns-owned %s/%s from attributes", name, s, family, dealloc)
		}
	}
	owned("mk", "rel", "rel")
	owned("viafree", "malloc", "free")
	owned("bare", "malloc", "free")
	owned("o_new", "obj", "o_del")
	owned("m_new", "malloc", "free")

	if s := p.Summary("rel"); s.Effect(0) != Frees || s.Deallocs[0] == nil || s.Deallocs[0].Family != "rel" {
		t.Errorf("Summary(rel) = %v, want p0 frees family rel", s)
	}
	if s := p.Summary("o_del"); s.Effect(0) != Takes || s.Deallocs[0] == nil || s.Deallocs[0].Family != "obj" {
		t.Errorf("Summary(o_del) = %v, want p0 takes family obj", s)
	}
	if s := p.Summary("o_keep"); s.Effect(1) != Takes || s.Effect(0) != EffectUnknown {
		t.Errorf("Summary(o_keep) = %v, want p1 takes, p0 unknown", s)
	}
	// Nothing releases "nobody": no ownership claim without advice.
	if s := p.Summary("o_orphan"); s.Known {
		t.Errorf("Summary(o_orphan) = %v, want unknown", s)
	}
	// nonnull says nothing a summary holds.
	if s := p.Summary("nn"); s.Known {
		t.Errorf("Summary(nn) = %v, want unknown", s)
	}
}

// A bare malloc attribute promises only a fresh pointer: when the table
// knows the function's family, the table wins; malloc(dealloc) names a
// different deallocator and overrides it.
func TestAttributesOverTable(t *testing.T) {
	dir := t.TempDir()
	goFile := filepath.Join(dir, "a.go")
	src := `package a

/*
void x_free(void *);
void y_free(void *);
void *bare(void) __attribute__((malloc));
void *named(void) __attribute__((malloc(y_free)));
void *same(void) __attribute__((malloc(x_free)));
*/
import "C"
`
	if err := os.WriteFile(goFile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	x := &Allocator{Family: "x", Dealloc: "x_free"}
	k := &Knowledge{funcs: map[string]*Summary{}}
	for _, name := range []string{"bare", "named", "same"} {
		k.funcs[name] = &Summary{Name: name, Known: true, Source: FromTable, ReturnsOwned: x, ReturnsParam: -1, SetsErrno: No}
	}
	k.funcs["x_free"] = &Summary{Name: "x_free", Known: true, Source: FromTable, ReturnsParam: -1,
		Params: map[int]Effect{0: Frees}, Deallocs: map[int]*Allocator{0: x}}
	p := Load(&Request{GoFiles: []string{goFile}, Knowledge: k})

	if s := p.Summary("bare"); s.Source != FromTable || s.ReturnsOwned != x {
		t.Errorf("Summary(bare) = %v, want the table's", s)
	}
	if s := p.Summary("same"); s.Source != FromTable || s.ReturnsOwned != x {
		t.Errorf("Summary(same) = %v, want the table's (same deallocator)", s)
	}
	s := p.Summary("named")
	if s.Source != FromAttributes || s.ReturnsOwned == nil || s.ReturnsOwned.Dealloc != "y_free" {
		t.Fatalf("Summary(named) = %v, want returns-owned y_free from attributes", s)
	}
	// The rest of the table's entry survives.
	if s.SetsErrno != No {
		t.Errorf("Summary(named).SetsErrno = %v, want the table's no", s.SetsErrno)
	}
	// The table's entry itself is shared and must not change.
	if k.funcs["named"].ReturnsOwned != x || k.funcs["named"].Source != FromTable {
		t.Errorf("the table entry was modified: %v", k.funcs["named"])
	}
}

// The C library's headers declare deallocators with macros that expand
// to __attribute__((__malloc__ (fclose, 1))) and friends.
func TestAttributesSystemHeaders(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("glibc headers")
	}
	hdr, err := os.ReadFile("/usr/include/stdio.h")
	if err != nil || !strings.Contains(string(hdr), "__attr_dealloc_fclose") {
		t.Skip("stdio.h does not declare deallocators")
	}
	p := loadCgo(t, `
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <dirent.h>
`, nil)
	if a := mustFunc(t, p, "strdup").Attrs; !a.Malloc || !reflect.DeepEqual(a.Nonnull, []int{0}) {
		t.Errorf("strdup: %+v, want malloc and nonnull(1)", a)
	}
	if a := mustFunc(t, p, "malloc").Attrs; !a.Malloc {
		t.Errorf("malloc: %+v, want malloc", a)
	}
	if a := mustFunc(t, p, "fopen").Attrs; !a.Malloc || a.Dealloc != "fclose" || a.DeallocArg != 0 {
		t.Errorf("fopen: %+v, want malloc(fclose, 1)", a)
	}
	if a := mustFunc(t, p, "opendir").Attrs; a.Dealloc != "closedir" || !reflect.DeepEqual(a.Nonnull, []int{0}) {
		t.Errorf("opendir: %+v, want malloc(closedir, 1) and nonnull(1)", a)
	}
	if a := mustFunc(t, p, "fclose").Attrs; !contains(a.DeallocatorFor[0], "fopen") {
		t.Errorf("fclose: %+v, want deallocator for fopen", a)
	}
	if a := mustFunc(t, p, "free").Attrs; a.Malloc || a.Dealloc != "" {
		t.Errorf("free: %+v, want no allocation attributes", a)
	}
	// The table and the headers agree on fopen; the table says more.
	if s := p.Summary("fopen"); s.Source != FromTable || s.ReturnsOwned != fileFamily {
		t.Errorf("Summary(fopen) = %v, want the table's", s)
	}
	// open_memstream is not in the table; its attributes name fclose,
	// which the table knows releases FILEs, so the families agree.
	if mustFunc(t, p, "open_memstream").Attrs.Dealloc == "fclose" {
		if s := p.Summary("open_memstream"); s.Source != FromAttributes || s.ReturnsOwned == nil || *s.ReturnsOwned != *fileFamily {
			t.Errorf("Summary(open_memstream) = %v, want FILE/fclose from attributes", s)
		}
	}
}

func TestParseAttrText(t *testing.T) {
	got := parseAttrText(" malloc, __nonnull__ (1, 2), returns_nonnull , malloc(my_free, 2), cleanup(f(x)) ")
	want := []attrValue{
		{name: "malloc"},
		{name: "nonnull", args: []attrArg{{num: 1, isNum: true}, {num: 2, isNum: true}}},
		{name: "returns_nonnull"},
		{name: "malloc", args: []attrArg{{ident: "my_free"}, {num: 2, isNum: true}}},
		{name: "cleanup", args: []attrArg{{}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseAttrText:\n got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{"malloc(", "1abc", "a b"} {
		if v := parseAttrText(bad); v != nil {
			t.Errorf("parseAttrText(%q) = %+v, want nil", bad, v)
		}
	}
}

func TestAttributesAddIgnoresNonsense(t *testing.T) {
	var a Attributes
	for _, v := range []attrValue{
		{name: "nonnull", args: []attrArg{{num: 0, isNum: true}, {num: -3, isNum: true}, {ident: "x"}}},
		{name: "malloc", args: []attrArg{{num: 3, isNum: true}}},
		{name: "ownership_takes", args: []attrArg{{ident: "m"}}},
		{name: "ownership_returns"},
		{name: "unknown_attribute", args: []attrArg{{num: 1, isNum: true}}},
	} {
		a.add(v, "f")
	}
	if !a.IsZero() {
		t.Errorf("nonsense attributes recorded: %+v", a)
	}
}
