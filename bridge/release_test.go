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
struct aligned_member { char c; int i __attribute__((aligned(8))); };
struct outer { struct { char c; short s __attribute__((aligned(4))); } in; char d; };
struct rec {
#ifdef BIG
	long pad[4];
#endif
	int x;
};
#define SHARED_LIMIT 64
int shared_fn(struct node *) __attribute__((nonnull(1)));
#endif
`,
		// The definition of shared_fn takes the attributes of the
		// header's prototype, read in an earlier unit.
		"impl.c": `#include "shared.h"
int shared_fn(struct node *n) { return n->v; }
`,
		"a.go": `package p

// #define BIG 1
// #include "shared.h"
// static int a_only(packed_t *p) { return p->i; }
// int a_rec(struct rec *r);
import "C"
`,
		"b.go": `package p

// #include "shared.h"
// int b_fn(struct node *n, packed_t *p, enum small s, struct aligned_member *a, struct outer *o);
// int b_rec(struct rec *r);
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
	for _, name := range []string{"shared_fn", "a_only", "b_fn", "a_rec", "b_rec"} {
		r, k := released.Func(name), kept.Func(name)
		if r == nil || k == nil {
			t.Fatalf("%s: released %v, kept %v", name, r, k)
		}
		if r.String() != k.String() || r.HasBody != k.HasBody || !slices.Equal(r.Attrs.Nonnull, k.Attrs.Nonnull) {
			t.Errorf("%s: released %s %+v, kept %s %+v", name, r, r.Attrs, k, k.Attrs)
		}
	}
	if f := released.Func("shared_fn"); !f.HasBody || !slices.Equal(f.Attrs.Nonnull, []int{0}) {
		t.Errorf("shared_fn: body %v, attributes %+v, want a body from impl.c and nonnull(1)", f.HasBody, f.Attrs)
	}
	for _, name := range []string{"packed_t", "struct node", "enum small", "struct aligned_member", "struct outer"} {
		r, rok := released.Layout(name)
		k, kok := kept.Layout(name)
		if !rok || !kok || r.String() != k.String() {
			t.Errorf("layout of %s: released %v, kept %v", name, r, k)
		}
	}
	// b_fn is declared only in the second unit: its parameter types are
	// that unit's, whose definitions it shares with the first unit.
	for i := range 5 {
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
	if l := released.TypeLayoutFor(pointee(released.Func("b_fn").Params[3].Type), "", ""); l.Size != 16 {
		t.Errorf("struct aligned_member in the second unit: size %d, want 16 (aligned(8) member)", l.Size)
	}
	// struct rec differs between the units: each keeps its own.
	for name, size := range map[string]int64{"a_rec": 40, "b_rec": 4} {
		if l := released.TypeLayoutFor(pointee(released.Func(name).Params[0].Type), "", ""); l.Size != size {
			t.Errorf("%s's struct rec: size %d, want %d", name, l.Size, size)
		}
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

// TestReleaseShares checks that the second unit of a package, once
// released, looks up the declarations, macros and type definitions it
// read the same as the first unit in the first unit's syntax, and keeps
// its own where the macros in effect made them differ.
func TestReleaseShares(t *testing.T) {
	p := NewTranslator().Load(&Request{GoFiles: releaseFiles(t)})
	if len(p.Units) != 2 {
		t.Fatalf("%d units, want 2", len(p.Units))
	}
	a, b := p.Units[0].AST, p.Units[1].AST
	for _, name := range []string{"shared_fn", "packed_t", "node", "aligned_member"} {
		na, nb := a.Scope.Nodes[name], b.Scope.Nodes[name]
		if len(na) == 0 || len(nb) == 0 || na[0] != nb[0] {
			t.Errorf("%s: not shared between the units (%v, %v)", name, na, nb)
		}
	}
	if ma, mb := a.Macros["SHARED_LIMIT"], b.Macros["SHARED_LIMIT"]; ma == nil || ma != mb {
		t.Errorf("SHARED_LIMIT: not shared between the units (%v, %v)", ma, mb)
	}
	ra, rb := a.Scope.Nodes["rec"], b.Scope.Nodes["rec"]
	if len(ra) == 0 || len(rb) == 0 || ra[0] == rb[0] {
		t.Fatalf("struct rec, which BIG changes: shared between the units (%v, %v)", ra, rb)
	}
	for _, c := range []struct {
		nodes []cc.Node
		size  int64
	}{{ra, 40}, {rb, 4}} {
		if sp, ok := c.nodes[0].(*cc.StructOrUnionSpecifier); !ok || sp.Type().Size() != c.size {
			t.Errorf("struct rec: %v, want a definition of size %d", c.nodes[0], c.size)
		}
	}
	// The second unit keeps, of the header's type definitions, only its
	// own struct rec.
	var kept []string
	for tu := b.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		if pos := tu.ExternalDeclaration.Position(); filepath.Base(pos.Filename) == "shared.h" {
			kept = append(kept, pos.String())
		}
	}
	if len(kept) != 1 {
		t.Errorf("second unit keeps %d type definitions (%v), want struct rec's alone", len(kept), kept)
	}
}
