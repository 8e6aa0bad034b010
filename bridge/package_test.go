package bridge

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testPkg returns the absolute paths of the .go files of a package under
// testdata/pkgs.
func testPkg(t *testing.T, name string) []string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "pkgs", name))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .go files in %s: %v", dir, err)
	}
	return files
}

func load(t *testing.T, req *Request) *Package {
	t.Helper()
	p := NewTranslator().Load(req)
	if p == nil {
		t.Fatal("Load returned nil")
	}
	return p
}

func noWarnings(t *testing.T, p *Package) {
	t.Helper()
	for _, w := range p.Warnings {
		t.Errorf("unexpected warning: %v", w)
	}
}

// wantFunc checks that C function name is declared at file:line.
func wantFunc(t *testing.T, p *Package, name, file string, line int) *Func {
	t.Helper()
	f := p.Func(name)
	if f == nil {
		t.Errorf("function %s not found", name)
		return nil
	}
	if filepath.Base(f.Pos.Filename) != file || f.Pos.Line != line {
		t.Errorf("function %s at %s:%d, want %s:%d", name, f.Pos.Filename, f.Pos.Line, file, line)
	}
	return f
}

func wantNoFunc(t *testing.T, p *Package, names ...string) {
	t.Helper()
	for _, name := range names {
		if f := p.Func(name); f != nil {
			t.Errorf("function %s found at %v; it should not be visible", name, f.Pos)
		}
	}
}

func TestLoadHeaders(t *testing.T) {
	p := load(t, &Request{GoFiles: testPkg(t, "hdr")})
	noWarnings(t, p)
	wantFunc(t, p, "x_value", "x.h", 3)         // "x.h" from the package directory
	wantFunc(t, p, "inc_value", "inc.h", 4)     // "inc.h" through -I${SRCDIR}/include
	wantFunc(t, p, "angle_value", "angle.h", 3) // <angle.h> through the same -I
	f := wantFunc(t, p, "twice", "hdr.go", 8)   // defined in the preamble
	if f != nil && (!f.HasBody || !f.Static) {
		t.Errorf("twice: HasBody %v Static %v, want both", f.HasBody, f.Static)
	}
	if p.Types["struct inc_point"] == nil {
		t.Error("struct inc_point not found")
	}
	if m := p.Macros["X_LIMIT"]; m == nil || filepath.Base(m.Pos.Filename) != "x.h" {
		t.Errorf("macro X_LIMIT = %+v, want it from x.h", m)
	}
	wantDir, _ := filepath.Abs("testdata/pkgs/hdr/include")
	if !reflect.DeepEqual(p.Flags.IncludeDirs, []string{wantDir}) {
		t.Errorf("IncludeDirs = %q, want %q", p.Flags.IncludeDirs, wantDir)
	}
}

// A relative path works too: ${SRCDIR} is absolute, as cgo makes it.
func TestLoadRelativePath(t *testing.T) {
	p := load(t, &Request{GoFiles: []string{filepath.Join("testdata", "pkgs", "hdr", "hdr.go")}})
	noWarnings(t, p)
	if !filepath.IsAbs(p.Dir) {
		t.Errorf("Dir = %q, want an absolute path", p.Dir)
	}
	if p.Func("inc_value") == nil {
		t.Error("inc_value not found through -I${SRCDIR}/include")
	}
}

func TestLoadExport(t *testing.T) {
	p := load(t, &Request{GoFiles: testPkg(t, "export"), GOOS: "linux", GOARCH: "amd64"})
	noWarnings(t, p)
	var names []string
	for _, c := range p.CFiles {
		names = append(names, filepath.Base(c))
	}
	// foo_windows.c is for another GOOS and ignored.c is //go:build ignore;
	// both would fail to translate if they were read.
	if !reflect.DeepEqual(names, []string{"call.c"}) {
		t.Errorf("CFiles = %q, want [call.c]", names)
	}
	// call.c adds its C side (see cSide) but no unit: it declares no
	// //export function by hand.
	if len(p.Units) != 1 {
		t.Errorf("got %d units, want 1 (the preamble)", len(p.Units))
	}
	if f := wantFunc(t, p, "call_go", "call.c", 3); f != nil && !f.HasBody {
		t.Error("call_go has no body")
	}
	// goAdd comes from the bridge's _cgo_export.h, which call.c includes.
	if s := p.Summary("call_go"); !reflect.DeepEqual(s.CallsGo, []string{"goAdd"}) {
		t.Errorf("call_go calls Go functions %v, want [goAdd] through _cgo_export.h", s.CallsGo)
	}
	// The preamble, pasted into _cgo_export.h, still finds its header.
	wantFunc(t, p, "helper_count", "helper.h", 4)
	wantNoFunc(t, p, "windows_only", "ignored_func")
	if e := p.Exports["goAdd"]; e == nil || filepath.Base(e.Pos.Filename) != "export.go" {
		t.Errorf("Exports[goAdd] = %+v", e)
	}
}

// For windows, foo_windows.c is part of the build; <windows.h> does not
// exist here, which costs a warning and nothing else.
func TestLoadExportForWindows(t *testing.T) {
	p := load(t, &Request{GoFiles: testPkg(t, "export"), GOOS: "windows", GOARCH: "amd64"})
	var names []string
	for _, c := range p.CFiles {
		names = append(names, filepath.Base(c))
	}
	if !reflect.DeepEqual(names, []string{"call.c", "foo_windows.c"}) {
		t.Errorf("CFiles = %q, want [call.c foo_windows.c]", names)
	}
	if p.Func("call_go") == nil {
		t.Error("call_go not found")
	}
	found := false
	for _, w := range p.Warnings {
		if strings.Contains(w.Msg, "windows.h") && filepath.Base(w.Pos.Filename) == "foo_windows.c" && w.Pos.Line == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about windows.h at foo_windows.c:1: %v", p.Warnings)
	}
}

func TestLoadMissingHeader(t *testing.T) {
	files := testPkg(t, "missing")
	p := load(t, &Request{GoFiles: files})
	if len(p.Warnings) != 1 {
		t.Fatalf("got %d warnings, want 1: %v", len(p.Warnings), p.Warnings)
	}
	w := p.Warnings[0]
	if w.Pos.Filename != files[0] || w.Pos.Line != 5 {
		t.Errorf("warning at %s:%d, want %s:5", w.Pos.Filename, w.Pos.Line, files[0])
	}
	if !strings.Contains(w.Msg, `"no_such_header.h"`) || !strings.Contains(w.Msg, "not found") {
		t.Errorf("warning %q does not say that no_such_header.h is missing", w.Msg)
	}
	// The rest of the preamble is still read.
	wantFunc(t, p, "after_missing", "missing.go", 7)
	if p.Types["struct kept"] == nil {
		t.Error("struct kept not found")
	}
	if p.Func("malloc") == nil {
		t.Error("malloc from <stdlib.h> not found")
	}
}

// Headers that cannot be stubbed in the virtual directory's own tree, a
// name reaching above it and an absolute one, are stubbed all the same.
func TestLoadMissingHeaderOddNames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n// #include \"../../up.h\"\n// #include \"/nonexistent/abs.h\"\n// #include <sub/dir/deep.h>\n// int f(void);\nimport \"C\"\n"
	p := load(t, &Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	if p.Func("f") == nil {
		t.Error("f not found")
	}
	if len(p.Warnings) != 3 {
		t.Fatalf("got %d warnings, want 3: %v", len(p.Warnings), p.Warnings)
	}
	for i, w := range p.Warnings {
		if w.Pos.Filename != path || w.Pos.Line != 3+i {
			t.Errorf("warning %d at %s:%d, want %s:%d", i, w.Pos.Filename, w.Pos.Line, path, 3+i)
		}
	}
}

// An #include of something that is not a regular file must not be read:
// a FIFO never ends, nor does /dev/zero.
func TestLoadIncludeOfSpecialFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.h")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n// #include \"fifo.h\"\n// int f(void);\nimport \"C\"\n"
	done := make(chan *Package, 1)
	go func() {
		done <- NewTranslator().Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	}()
	select {
	case p := <-done:
		if p.Func("f") == nil {
			t.Error("f not found")
		}
		if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0].Msg, "fifo.h") {
			t.Errorf("warnings = %v, want one about fifo.h", p.Warnings)
		}
	case <-time.After(time.Minute):
		t.Fatal("Load is reading a FIFO")
	}
}

func TestLoadBadC(t *testing.T) {
	files := testPkg(t, "badc")
	p := load(t, &Request{GoFiles: files})
	if len(p.Warnings) == 0 {
		t.Fatal("no warning for C that does not parse")
	}
	w := p.Warnings[0]
	if w.Pos.Filename != files[0] || w.Pos.Line != 5 || !strings.Contains(w.Msg, "C not understood") {
		t.Errorf("warning = %v, want one at %s:5 saying the C is not understood", w, files[0])
	}
}

func TestLoadDefines(t *testing.T) {
	files := testPkg(t, "defines")
	tr := NewTranslator()
	p := tr.Load(&Request{GoFiles: files, GOOS: "linux", GOARCH: "amd64"})
	noWarnings(t, p)
	wantFunc(t, p, "feature_func", "defines.go", 9)    // -DFEATURE
	wantFunc(t, p, "level3_func", "defines.go", 12)    // -D LEVEL=3
	wantFunc(t, p, "redefined_func", "defines.go", 18) // -UREDEFINED -DREDEFINED
	wantNoFunc(t, p, "unwanted_func", "windows_func", "tagged_func")

	// Another tag and another GOOS select other directives. The same
	// translator must not hand back the translation made for other flags.
	tagged := tr.Load(&Request{GoFiles: files, GOOS: "linux", GOARCH: "amd64", Tags: []string{"mytag"}})
	wantFunc(t, tagged, "tagged_func", "defines.go", 24)
	wantNoFunc(t, tagged, "windows_func")
	windows := tr.Load(&Request{GoFiles: files, GOOS: "windows", GOARCH: "amd64"})
	wantFunc(t, windows, "windows_func", "defines.go", 21)
	wantNoFunc(t, windows, "tagged_func")
	// And the first answer has not changed.
	wantNoFunc(t, tr.Load(&Request{GoFiles: files, GOOS: "linux", GOARCH: "amd64"}), "tagged_func", "windows_func")
}

func TestLoadTwoImports(t *testing.T) {
	p := load(t, &Request{GoFiles: testPkg(t, "twoimports")})
	noWarnings(t, p)
	wantFunc(t, p, "first_func", "two.go", 3)
	wantFunc(t, p, "second_func", "two.go", 8)
}

func TestLoadPkgConfig(t *testing.T) {
	needPkgConfig(t)
	inc := t.TempDir()
	if err := os.WriteFile(filepath.Join(inc, "fake.h"), []byte("#if FAKE_LIB == 2\nint fake_open(const char *);\n#endif\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writePC(t, "ffivetfake", "-I"+inc+" -DFAKE_LIB=2")
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n// #cgo pkg-config: ffivetfake\n// #include <fake.h>\nimport \"C\"\n"
	p := load(t, &Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	noWarnings(t, p)
	wantFunc(t, p, "fake_open", "fake.h", 2)
}

func TestLoadPreambleSyntaxError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n// #cgo CFLAGS -DX\n// int f(void);\nimport \"C\"\n"
	p := load(t, &Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	if len(p.Warnings) != 1 || p.Warnings[0].Pos.Filename != path || p.Warnings[0].Pos.Line != 3 {
		t.Errorf("warnings = %v, want one at %s:3", p.Warnings, path)
	}
	wantFunc(t, p, "f", "p.go", 4)
}

func TestLoadNoCgo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	p := load(t, &Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte("package p\n")}})
	if len(p.Preambles) != 0 || len(p.Units) != 0 || len(p.Warnings) != 0 {
		t.Errorf("got %d preambles, %d units, warnings %v; want nothing", len(p.Preambles), len(p.Units), p.Warnings)
	}
	missing := filepath.Join(dir, "missing.go")
	p = load(t, &Request{GoFiles: []string{missing}})
	if len(p.Warnings) != 1 || p.Warnings[0].Pos.Filename != missing {
		t.Errorf("warnings = %v, want one saying %s cannot be read", p.Warnings, missing)
	}
}

// Editing a header under an include directory of the package must be
// seen by the next load.
func TestLoadSeesEditedHeader(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "include"), 0o755); err != nil {
		t.Fatal(err)
	}
	hdr := filepath.Join(dir, "include", "h.h")
	write := func(text string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(hdr, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(hdr, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n// #cgo CFLAGS: -I${SRCDIR}/include\n// #include \"h.h\"\nimport \"C\"\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tr := NewTranslator()
	write("int before(void);\n", time.Unix(1e9, 0))
	if p := tr.Load(&Request{GoFiles: []string{path}}); p.Func("before") == nil {
		t.Fatal("before not found")
	}
	write("int after_edit(void);\n", time.Unix(2e9, 0))
	p := tr.Load(&Request{GoFiles: []string{path}})
	if p.Func("after_edit") == nil || p.Func("before") != nil {
		t.Errorf("the edit of h.h was not seen: after_edit %v, before %v", p.Func("after_edit"), p.Func("before"))
	}
}

func TestSplitPos(t *testing.T) {
	tests := []struct {
		in        string
		file      string
		line, col int
		msg       string
		ok        bool
	}{
		{"/a/b.go:12:5: bad thing", "/a/b.go", 12, 5, "bad thing", true},
		{"/a/b.go:12: bad thing", "/a/b.go", 12, 0, "bad thing", true},
		{"/a:b/c.go:3:4: x: y", "/a:b/c.go", 3, 4, "x: y", true},
		{"/a/b.h:7:1: ", "/a/b.h", 7, 1, "", true},
		{"no position here", "", 0, 0, "", false},
		{"missing headers: a.h", "", 0, 0, "", false},
	}
	for _, tt := range tests {
		pos, msg, ok := splitPos(tt.in)
		if ok != tt.ok || pos.Filename != tt.file || pos.Line != tt.line || pos.Column != tt.col || msg != tt.msg {
			t.Errorf("splitPos(%q) = %v, %q, %v; want %s:%d:%d, %q, %v", tt.in, pos, msg, ok, tt.file, tt.line, tt.col, tt.msg, tt.ok)
		}
	}
}

func TestLineDirective(t *testing.T) {
	got := lineDirective(7, "/a \"b\"\\c\nd.go")
	want := "#line 7 \"/a \\\"b\\\"\\\\c_d.go\"\n"
	if got != want {
		t.Errorf("lineDirective = %q, want %q", got, want)
	}
}

// Loading the same package again, from any number of goroutines,
// translates each unit once and returns the same result.
func TestLoadCachesUnits(t *testing.T) {
	files := testPkg(t, "export")
	tr := NewTranslator()
	first := tr.Load(&Request{GoFiles: files})
	n := tr.Translations()
	if n != 2 || len(first.Units) != 1 {
		t.Fatalf("first load: %d translations for %d units, want 2 for the preamble and call.c, whose unit is not kept", n, len(first.Units))
	}
	if again := tr.Load(&Request{GoFiles: files}); again != first {
		t.Error("second load returned a different package")
	}
	var wg sync.WaitGroup
	pkgs := make([]*Package, 8)
	for i := range pkgs {
		wg.Go(func() {
			pkgs[i] = tr.Load(&Request{GoFiles: files})
		})
	}
	wg.Wait()
	for i, p := range pkgs {
		if p != first {
			t.Errorf("load %d returned a different package", i)
		}
	}
	if got := tr.Translations(); got != n {
		t.Errorf("translations after reloading: %d, want %d", got, n)
	}
}

// A fresh translator that races to load one package from many goroutines
// still translates each unit once.
func TestLoadConcurrentFirstLoad(t *testing.T) {
	files := testPkg(t, "hdr")
	tr := NewTranslator()
	var wg sync.WaitGroup
	pkgs := make([]*Package, 8)
	for i := range pkgs {
		wg.Go(func() {
			pkgs[i] = tr.Load(&Request{GoFiles: files})
		})
	}
	wg.Wait()
	for i, p := range pkgs {
		if p != pkgs[0] {
			t.Errorf("load %d returned a different package", i)
		}
	}
	if got := tr.Translations(); got != 1 {
		t.Errorf("%d translations, want 1", got)
	}
	if pkgs[0].Func("inc_value") == nil {
		t.Error("inc_value not found")
	}
}

// Different packages translated at once each get their own cc.Config;
// run with -race.
func TestLoadConcurrentDistinctPackages(t *testing.T) {
	tr := NewTranslator()
	type job struct {
		pkg, fn string
		tags    []string
	}
	jobs := []job{
		{"hdr", "inc_value", nil},
		{"export", "call_go", nil},
		{"defines", "feature_func", nil},
		{"defines", "tagged_func", []string{"mytag"}},
		{"missing", "after_missing", nil},
		{"twoimports", "second_func", nil},
	}
	var wg sync.WaitGroup
	errs := make([]string, len(jobs)*2)
	for i, j := range jobs {
		files := testPkg(t, j.pkg)
		for k, tr := range []*Translator{tr, NewTranslator()} {
			wg.Go(func() {
				p := tr.Load(&Request{GoFiles: files, Tags: j.tags})
				if p.Func(j.fn) == nil {
					errs[2*i+k] = fmt.Sprintf("%s %v: %s not found", j.pkg, j.tags, j.fn)
				}
			})
		}
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
}

// config hands out copies: changing one cannot change another.
func TestConfigCopies(t *testing.T) {
	tr := NewTranslator()
	a, err := tr.config(hostGOOS(), hostGOARCH(), nil)
	if err != nil {
		t.Skipf("no C compiler configuration: %v", err)
	}
	b, err := tr.config(hostGOOS(), hostGOARCH(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("config returned the same *cc.Config twice")
	}
	before := append([]string(nil), b.IncludePaths...)
	beforeSys := append([]string(nil), b.SysIncludePaths...)
	if len(a.IncludePaths) > 0 {
		a.IncludePaths[0] = "/changed"
	}
	if len(a.SysIncludePaths) > 0 {
		a.SysIncludePaths[0] = "/changed"
	}
	a.IncludePaths = append(a.IncludePaths, "/appended")
	a.FS = newOverlayFS(nil)
	if !reflect.DeepEqual(b.IncludePaths, before) || !reflect.DeepEqual(b.SysIncludePaths, beforeSys) || b.FS != nil {
		t.Error("changing one configuration changed another")
	}
	if a.ExpansionLimit != defaultExpansionLimit {
		t.Errorf("ExpansionLimit = %d, want %d", a.ExpansionLimit, defaultExpansionLimit)
	}
}

func hostGOOS() string   { goos, _ := hostTarget(); return goos }
func hostGOARCH() string { _, goarch := hostTarget(); return goarch }

// C that stops in the middle of a declaration used to send cc/v4's parser
// into an endless loop: at the end of the text, before a missing header
// (where the preprocessor stops), or with a bracket left open that lets
// an attribute swallow the rest.
func TestLoadUnfinishedDeclaration(t *testing.T) {
	for _, c := range []string{
		"*", "int *", "typedef int *", "int (*", "int * const", "^",
		"int *\n#include \"no_such.h\"\nint after;",
		"int * __attribute__((f(g(h(x",
		"int * __attribute__((f(\n#include <no_such.h>",
		"int x =", "int f(void) {", "int *\n#if 0",
		"#define E\nint *\n#include E",
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "p.go")
		src := "package p\n\n/*\nint before(void);\n" + c + "\n*/\nimport \"C\"\n"
		done := make(chan *Package, 1)
		go func() {
			done <- NewTranslator().Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
		}()
		select {
		case p := <-done:
			if len(p.Warnings) == 0 {
				t.Errorf("%q: no warning", c)
				continue
			}
			found := false
			for _, w := range p.Warnings {
				found = found || w.Pos.Filename == path && strings.Contains(w.Msg, "C not understood")
			}
			if !found {
				t.Errorf("%q: warnings %v, want one saying the C of %s is not understood", c, p.Warnings, path)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%q: Load does not return", c)
		}
	}
}

func TestOpenBrackets(t *testing.T) {
	tests := []struct{ text, want string }{
		{"int f(void) { return (a[1]); }", ""},
		{"int f(void) { g(", "{("},
		{"x = \"(\" + ')' + '\\'' + \"\\\"(\";", ""},
		{"s = \"unterminated (\n(", "("},
		{"( ] )", ""},
		{"{ ( }", ""},
		{") ] }", ""},
		{"__attribute__((f(g(x", "(((("},
	}
	for _, tt := range tests {
		open := openBrackets(tt.text)
		if string(open) != tt.want {
			t.Errorf("openBrackets(%q) = %q, want %q", tt.text, open, tt.want)
		}
	}
	if got := closers([]byte("{([")); got != "])}\n" {
		t.Errorf("closers = %q", got)
	}
	if got := closers(nil); got != "" {
		t.Errorf("closers(nil) = %q", got)
	}
}

// A unit or a header whose last line ends in a backslash used to hang
// cc/v4's scanner.
func TestLoadTrailingBackslash(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cont.h"), []byte("int in_header(void);\nint x = '\\\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cont.c"), []byte("int in_c(void);\nchar *s = \"\\\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{
		"package p\n\n// int x = '\\\nimport \"C\"\n",
		"package p\n\n// char *s = \"abc\\\nimport \"C\"\n",
		"package p\n\n// #include \"cont.h\"\nimport \"C\"\n",
	} {
		path := filepath.Join(dir, "p.go")
		done := make(chan *Package, 1)
		go func() {
			done <- NewTranslator().Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
		}()
		select {
		case p := <-done:
			if len(p.Warnings) == 0 {
				t.Errorf("%q: no warning", src)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%q: Load does not return", src)
		}
	}
	if got := endSafely("a\\"); got != "a\\\n\n" {
		t.Errorf("endSafely = %q", got)
	}
	if got := endSafely("a\\\r\n"); got != "a\\\r\n\n\n" {
		t.Errorf("endSafely = %q", got)
	}
	if got := endSafely("a\n"); got != "a\n" {
		t.Errorf("endSafely = %q", got)
	}
}
