package bridge

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// sidePkg writes a package whose .c files give the summaries: lib.c
// defines what the preamble declares, hand.c declares the //export
// function by hand, and lib.h decides with a macro what lib_new returns.
func sidePkg(t *testing.T, owned bool) (dir string, files []string) {
	t.Helper()
	dir = t.TempDir()
	variant := "0"
	if owned {
		variant = "1"
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("x.go", `package x

/*
#include "lib.h"
*/
import "C"

//export goCb
func goCb(v C.long) C.int { return 0 }

func New() *C.char { return C.lib_new() }
`)
	write("lib.h", `#include <stdlib.h>
#define LIB_OWNED `+variant+`
char *lib_new(void);
void lib_keep(long h);
`)
	write("lib.c", `#include "lib.h"
static char buf[4];
static long kept;
char *lib_new(void) {
#if LIB_OWNED
	return malloc(4);
#else
	return buf;
#endif
}
void lib_keep(long h) { kept = h; }
`)
	write("hand.c", `extern int goCb(int);
int call_cb(void) { return goCb(1); }
`)
	return dir, []string{filepath.Join(dir, "x.go")}
}

func TestSidePersists(t *testing.T) {
	cache := t.TempDir()
	dir, files := sidePkg(t, true)
	lib, hand := filepath.Join(dir, "lib.c"), filepath.Join(dir, "hand.c")
	load := func() (*Package, *Translator) {
		tr := NewTranslator()
		tr.Persist(cache)
		return tr.Load(&Request{GoFiles: files}), tr
	}
	first, tr := load()
	noWarnings(t, first)
	if n := tr.TranslationsOf(lib); n != 1 {
		t.Fatalf("first load translated lib.c %d times, want 1", n)
	}
	if s := first.Summary("lib_new"); s.ReturnsOwned != MallocFamily {
		t.Fatalf("lib_new: %v, want memory owned by the malloc family", s)
	}
	if k, _ := first.KeepsValue("lib_keep", 0); k != Yes {
		t.Errorf("KeepsValue(lib_keep, 0) = %v, want yes", k)
	}

	// A new process: the C side comes from the cache, and only the
	// preamble and hand.c, which declares goCb by hand, are translated.
	second, tr := load()
	if n := tr.TranslationsOf(lib); n != 0 {
		t.Errorf("second load translated lib.c %d times, want 0", n)
	}
	if n := tr.TranslationsOf(hand); n != 1 {
		t.Errorf("second load translated hand.c %d times, want 1: the check of //export prototypes reads it", n)
	}
	samePackage(t, first, second)

	// An edit to Go code that leaves the preamble alone changes nothing
	// the C side depends on.
	src, _ := os.ReadFile(files[0])
	os.WriteFile(files[0], append(src, "\nfunc Other() {}\n"...), 0o666)
	if _, tr := load(); tr.TranslationsOf(lib) != 0 {
		t.Error("an edit to Go code translated lib.c again")
	}

	// A header that lib.c reads changed: the entry is not used.
	os.WriteFile(filepath.Join(dir, "lib.h"), []byte("#include <stdlib.h>\n#define LIB_OWNED 0\nchar *lib_new(void);\nvoid lib_keep(long h);\n"), 0o666)
	third, tr := load()
	if n := tr.TranslationsOf(lib); n != 1 {
		t.Errorf("after editing lib.h, lib.c translated %d times, want 1", n)
	}
	if s := third.Summary("lib_new"); s.ReturnsOwned != nil {
		t.Errorf("after editing lib.h, lib_new: %v, want not owned", s)
	}
}

// An annotations file may name a function that only a .c file defines.
func TestSideAnnotatesCOnly(t *testing.T) {
	dir, files := sidePkg(t, true)
	if err := os.WriteFile(filepath.Join(dir, AnnotationsFile), []byte("call_cb sets-errno\nno_such_func sets-errno\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	p := NewTranslator().Load(&Request{GoFiles: files})
	var msgs []string
	for _, w := range p.Warnings {
		msgs = append(msgs, w.Msg)
	}
	want := []string{"annotations file names no_such_func, which the package's C does not declare"}
	if !slices.Equal(msgs, want) {
		t.Errorf("warnings %q, want %q", msgs, want)
	}
}

// The package is the same whether its C side is computed or read back.
func TestSideSameUncached(t *testing.T) {
	_, files := sidePkg(t, true)
	cache := t.TempDir()
	var pkgs []*Package
	for range 2 {
		tr := NewTranslator()
		tr.Persist(cache)
		pkgs = append(pkgs, tr.Load(&Request{GoFiles: files}))
	}
	pkgs = append(pkgs, NewTranslator().Load(&Request{GoFiles: files}))
	samePackage(t, pkgs[0], pkgs[1])
	samePackage(t, pkgs[0], pkgs[2])
}

func samePackage(t *testing.T, a, b *Package) {
	t.Helper()
	if !reflect.DeepEqual(a.summaries, b.summaries) {
		t.Errorf("summaries differ:\n%v\n%v", a.summaries, b.summaries)
	}
	if !reflect.DeepEqual(a.keeps, b.keeps) {
		t.Errorf("KeepsValue answers differ: %v, %v", a.keeps, b.keeps)
	}
	if !reflect.DeepEqual(a.Warnings, b.Warnings) {
		t.Errorf("warnings differ: %v, %v", a.Warnings, b.Warnings)
	}
	unitNames := func(p *Package) (names []string) {
		for _, u := range p.Units {
			names = append(names, filepath.Base(u.Name))
		}
		return names
	}
	if !slices.Equal(unitNames(a), unitNames(b)) {
		t.Errorf("units differ: %v, %v", unitNames(a), unitNames(b))
	}
	for name, f := range a.Funcs {
		g := b.Funcs[name]
		if g == nil || f.Pos != g.Pos || f.HasBody != g.HasBody || f.Static != g.Static || !reflect.DeepEqual(f.Attrs, g.Attrs) || !reflect.DeepEqual(f.Notes, g.Notes) {
			t.Errorf("function %s differs: %+v, %+v", name, f, g)
		}
	}
	if len(a.Funcs) != len(b.Funcs) {
		t.Errorf("%d functions, then %d", len(a.Funcs), len(b.Funcs))
	}
}

// A damaged entry is computed again, and processes that load the same
// package at once all get the same C side.
func TestSideCacheDamagedAndConcurrent(t *testing.T) {
	_, files := sidePkg(t, true)
	cache := t.TempDir()
	load := func() (*Package, *Translator) {
		tr := NewTranslator()
		tr.Persist(cache)
		return tr.Load(&Request{GoFiles: files}), tr
	}
	first, _ := load()
	entries, err := os.ReadDir(cache)
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache holds %v (%v), want one entry", entries, err)
	}
	name := filepath.Join(cache, entries[0].Name())
	if err := os.WriteFile(name, []byte("not an entry"), 0o666); err != nil {
		t.Fatal(err)
	}
	damaged, tr := load()
	if n := tr.TranslationsOf(filepath.Join(filepath.Dir(files[0]), "lib.c")); n != 1 {
		t.Errorf("with a damaged entry, lib.c translated %d times, want 1", n)
	}
	samePackage(t, first, damaged)

	var wg sync.WaitGroup
	pkgs := make([]*Package, 6)
	for i := range pkgs {
		wg.Go(func() { pkgs[i], _ = load() })
	}
	wg.Wait()
	for _, p := range pkgs {
		samePackage(t, first, p)
	}
}
