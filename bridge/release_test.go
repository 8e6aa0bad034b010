package bridge

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"modernc.org/cc/v4"
)

// releaseFiles writes a package of two cgo files whose preambles include
// the same header, and returns its .go files.
func releaseFiles(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"shared.h": `#ifndef SHARED_H
#define SHARED_H
typedef struct __attribute__((packed)) { char c; int i; } packed_t;
struct node { struct node *next; int v; };
enum small { SMALL_A, SMALL_B } __attribute__((packed));
int shared_fn(struct node *) __attribute__((nonnull(1)));
#endif
`,
		"a.go": `package p

// #include "shared.h"
// static int a_only(packed_t *p) { return p->i; }
import "C"
`,
		"b.go": `package p

// #include "shared.h"
// int b_fn(struct node *n, packed_t *p, enum small s);
// void GoCallback(int);
import "C"

//export GoCallback
func GoCallback(x C.int) {}
`,
	}
	var gos []string
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(name) == ".go" {
			gos = append(gos, path)
		}
	}
	slices.Sort(gos)
	return gos
}

// TestReleasePreambles checks that a package whose preambles were
// released answers as one whose preambles were kept whole: the same
// declarations, attributes, layouts (packed records and enums, types
// reached only through a later unit) and hand-written prototypes of
// exported functions; and that what was released is gone.
func TestReleasePreambles(t *testing.T) {
	files := releaseFiles(t)
	released := NewTranslator().Load(&Request{GoFiles: files})
	whole := NewTranslator()
	whole.Bound(10, 10) // a bounded translator keeps units whole
	kept := whole.Load(&Request{GoFiles: files})

	for _, p := range []*Package{released, kept} {
		if len(p.Warnings) > 0 {
			t.Fatalf("warnings: %v", p.Warnings)
		}
	}
	if got, want := slices.Sorted(maps.Keys(released.Funcs)), slices.Sorted(maps.Keys(kept.Funcs)); !slices.Equal(got, want) {
		t.Errorf("functions: released %v, kept %v", got, want)
	}
	for _, name := range []string{"shared_fn", "a_only", "b_fn"} {
		r, k := released.Func(name), kept.Func(name)
		if r == nil || k == nil {
			t.Fatalf("%s: released %v, kept %v", name, r, k)
		}
		if r.String() != k.String() || r.HasBody != k.HasBody || !slices.Equal(r.Attrs.Nonnull, k.Attrs.Nonnull) {
			t.Errorf("%s: released %s %+v, kept %s %+v", name, r, r.Attrs, k, k.Attrs)
		}
	}
	if a := released.Func("shared_fn").Attrs; !slices.Equal(a.Nonnull, []int{0}) {
		t.Errorf("shared_fn attributes %+v, want nonnull(1)", a)
	}
	for _, name := range []string{"packed_t", "struct node", "enum small"} {
		r, rok := released.Layout(name)
		k, kok := kept.Layout(name)
		if !rok || !kok || r.String() != k.String() {
			t.Errorf("layout of %s: released %v, kept %v", name, r, k)
		}
	}
	// b_fn is declared only in the second unit: its parameter types are
	// that unit's, looked up in its released scope.
	for i := range 3 {
		r := released.TypeLayoutFor(pointee(released.Func("b_fn").Params[i].Type), "", "")
		k := kept.TypeLayoutFor(pointee(kept.Func("b_fn").Params[i].Type), "", "")
		if r.String() != k.String() {
			t.Errorf("b_fn parameter %d: released %v, kept %v", i, r, k)
		}
	}
	if l, _ := released.Layout("packed_t"); l.Size != 5 {
		t.Errorf("packed_t: size %d, want 5 (packed)", l.Size)
	}
	if l, _ := released.Layout("enum small"); l.Size != 1 {
		t.Errorf("enum small: size %d, want 1 (packed)", l.Size)
	}
	if r, k := released.ExportDecls("GoCallback"), kept.ExportDecls("GoCallback"); len(r) != 1 || len(k) != 1 {
		t.Errorf("prototypes of GoCallback: released %d, kept %d, want 1", len(r), len(k))
	}

	for _, u := range released.Units {
		for tu := u.AST.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
			if !definesType(tu.ExternalDeclaration) {
				t.Errorf("%s: a declaration that defines no type was kept", u.Name)
			}
		}
		// The Go view looks names up in the file scope and the macros.
		if len(u.AST.Scope.Nodes["shared_fn"]) == 0 || u.AST.Macros == nil {
			t.Errorf("%s: the file scope lost shared_fn, or the macros were dropped", u.Name)
		}
		if len(u.AST.Scope.Nodes["packed_t"]) == 0 || len(u.AST.Scope.Nodes["node"]) == 0 {
			t.Errorf("%s: the file scope lost its typedef names or tags", u.Name)
		}
	}
	for _, u := range kept.Units {
		if len(u.AST.Scope.Nodes["shared_fn"]) == 0 {
			t.Errorf("%s: a bounded translator released the unit", u.Name)
		}
	}
}

func pointee(t cc.Type) cc.Type {
	if pt, ok := t.(*cc.PointerType); ok {
		return pt.Elem()
	}
	return t
}
