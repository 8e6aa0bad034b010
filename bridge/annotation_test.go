package bridge

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseAnnotation(t *testing.T) {
	good := []struct {
		text string
		verb string
		args map[string]string
	}{
		{"returns-owned", "returns-owned", map[string]string{}},
		{"returns-owned dealloc=sqlite3_free", "returns-owned", map[string]string{"dealloc": "sqlite3_free"}},
		{"  frees   arg=2 family=sqlite3 ", "frees", map[string]string{"arg": "2", "family": "sqlite3"}},
		{"takes arg=1", "takes", map[string]string{"arg": "1"}},
		{"out-owned arg=1 dealloc=g_free success=nonneg", "out-owned", map[string]string{"arg": "1", "dealloc": "g_free", "success": "nonneg"}},
		{"success=not-minus1", "success", map[string]string{"success": "not-minus1"}},
		{"sets-errno success=zero", "sets-errno", map[string]string{"success": "zero"}},
		{"errno-only", "errno-only", map[string]string{}},
		{"no-errno", "no-errno", map[string]string{}},
	}
	for _, tt := range good {
		a, err := parseAnnotation(tt.text, token.Position{})
		if err != nil {
			t.Errorf("parseAnnotation(%q): %v", tt.text, err)
			continue
		}
		if a.Verb != tt.verb || !reflect.DeepEqual(a.Args, tt.args) {
			t.Errorf("parseAnnotation(%q) = %s %v, want %s %v", tt.text, a.Verb, a.Args, tt.verb, tt.args)
		}
	}
	bad := map[string]string{
		"":                           "no verb",
		"allocates":                  "unknown ffivet annotation",
		"takes":                      "needs arg=",
		"takes arg=0":                "not a parameter position",
		"takes arg=x":                "not a parameter position",
		"takes arg=1 arg=2":          "given twice",
		"takes 1":                    "not key=value",
		"takes arg=":                 "not key=value",
		"keeps arg=1 dealloc=free":   "does not take dealloc=",
		"returns-owned dealloc=a-b":  "not a C identifier",
		"success=sometimes":          "not one of",
		"success":                    "needs success=",
		"no-errno=1":                 "takes no value",
		"returns-owned the caller's": "not key=value",
	}
	for text, want := range bad {
		_, err := parseAnnotation(text, token.Position{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseAnnotation(%q) = %v, want error containing %q", text, err, want)
		}
	}
}

func TestScanC(t *testing.T) {
	src := `int a; // one
char *s = "// not a comment /* either */";
char c = '"'; /* two
spans */ int b;
void f(void); /* three */ // four
"unterminated // five
`
	comments, code := scanC(src)
	var got []string
	for _, c := range comments {
		got = append(got, fmt.Sprintf("%d:%d-%d:%d %v %q", c.line, c.col, c.endLine, c.endCol, c.trailing, strings.TrimSpace(c.text)))
	}
	want := []string{
		`0:7-0:13 true "one"`,
		`2:14-3:8 true "two\nspans"`,
		`4:14-4:25 true "three"`,
		`4:26-4:33 true "four"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("comments:\n got %q\nwant %q", got, want)
	}
	if len(code) != 7 {
		t.Fatalf("%d code lines, want 7", len(code))
	}
	for i, line := range strings.Split(src, "\n") {
		if len(code[i]) != len(line) {
			t.Errorf("code line %d is %d bytes, source %d: columns must match", i, len(code[i]), len(line))
		}
	}
	if strings.Contains(code[1], "/") || strings.Contains(code[3], "spans") || !strings.Contains(code[3], "int b;") {
		t.Errorf("code not blanked as expected: %q", code[:4])
	}
}

const annotatedPreamble = `
#include <stdlib.h>

// ffivet:returns-owned dealloc=thing_free
void *thing_new(int size);

void thing_free(void *p); // ffivet:frees arg=1

// ffivet:takes arg=2
// Adds item to the list; the list frees it.
// ffivet:no-errno
int list_add(void *list,
             void *item);

/* ffivet:out-owned arg=1
   success=zero */
int make_name(char **out);

// ffivet:keeps arg=1
static inline
int
remember(void *p) { return p != 0; }

static char *helper_dup(const char *s) { return 0; } // ffivet:returns-owned

// ffivet:errno-only
long parse(const char *s); long other(const char *s);

// ffivet:takes arg=1

void too_far(void *p);

// ffivet:borrows arg=1
int intervening;
void wrong_target(void *p);

// ffivet:takes  arg=2
void one_param(void *p);

// ffivet:returns-owned
// ffivet:bogus arg=1
// ffivet:frees arg=one
void *bad_notes(void);

// ffivet:success=nonneg
// ffivet:sets-errno
int fd_open(const char *path);

// a redeclared table function: the annotation overrides part of it
// ffivet:no-errno
char *strdup(const char *);
`

func TestAnnotationsInPreamble(t *testing.T) {
	for _, style := range []string{"block", "line"} {
		t.Run(style, func(t *testing.T) {
			dir := t.TempDir()
			goFile := filepath.Join(dir, "a.go")
			var src string
			if style == "block" {
				// A block preamble cannot hold a C block comment.
				text := strings.Replace(annotatedPreamble, "/* ffivet:out-owned arg=1\n   success=zero */", "// ffivet:out-owned arg=1 success=zero", 1)
				src = "package a\n\n/*" + text + "*/\nimport \"C\"\n"
			} else {
				// A // preamble holds the C comments one level down.
				var b strings.Builder
				b.WriteString("package a\n\n")
				for l := range strings.SplitSeq(strings.TrimSuffix(annotatedPreamble, "\n"), "\n") {
					b.WriteString("//" + l + "\n")
				}
				b.WriteString("import \"C\"\n")
				src = b.String()
			}
			if err := os.WriteFile(goFile, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			p := Load(&Request{GoFiles: []string{goFile}})
			checkAnnotatedPreamble(t, p, goFile, src)
		})
	}
}

func checkAnnotatedPreamble(t *testing.T, p *Package, goFile, src string) {
	t.Helper()
	lineOf := func(s string) int {
		i := strings.Index(src, s)
		if i < 0 {
			t.Fatalf("%q not in source", s)
		}
		return strings.Count(src[:i], "\n") + 1
	}
	notes := func(name string) string {
		f := mustFunc(t, p, name)
		var s []string
		for _, n := range f.Notes {
			s = append(s, n.String())
		}
		return strings.Join(s, "; ")
	}
	want := map[string]string{
		"thing_new":    "ffivet:returns-owned dealloc=thing_free",
		"thing_free":   "ffivet:frees arg=1",
		"list_add":     "ffivet:takes arg=2; ffivet:no-errno",
		"make_name":    "ffivet:out-owned arg=1 success=zero",
		"remember":     "ffivet:keeps arg=1",
		"helper_dup":   "ffivet:returns-owned",
		"parse":        "ffivet:errno-only",
		"other":        "",
		"too_far":      "",
		"wrong_target": "",
		"one_param":    "",
		"bad_notes":    "ffivet:returns-owned",
		"fd_open":      "ffivet:success=nonneg; ffivet:sets-errno",
		"strdup":       "ffivet:no-errno",
	}
	for name, w := range want {
		if got := notes(name); got != w {
			t.Errorf("%s: notes %q, want %q", name, got, w)
		}
	}
	if n := mustFunc(t, p, "thing_new").Notes[0]; n.Pos.Filename != goFile || n.Pos.Line != lineOf("ffivet:returns-owned dealloc=thing_free") {
		t.Errorf("thing_new note at %v, want %s:%d", n.Pos, goFile, lineOf("ffivet:returns-owned dealloc=thing_free"))
	}

	wantWarnings := map[int]string{
		lineOf("ffivet:takes arg=1"):   "not next to a C function declaration",
		lineOf("ffivet:borrows arg=1"): "not next to a C function declaration",
		lineOf("ffivet:takes  arg=2"):  "one_param has 1 parameter(s)",
		lineOf("ffivet:bogus"):         "unknown ffivet annotation",
		lineOf("ffivet:frees arg=one"): "not a parameter position",
	}
	for _, w := range p.Warnings {
		if w.Pos.Filename != goFile || !strings.Contains(w.Msg, "ffivet") {
			continue
		}
		msg, ok := wantWarnings[w.Pos.Line]
		if !ok || !strings.Contains(w.Msg, msg) {
			t.Errorf("unexpected warning %v", w)
			continue
		}
		delete(wantWarnings, w.Pos.Line)
	}
	for line, msg := range wantWarnings {
		t.Errorf("no warning at line %d containing %q; warnings: %v", line, msg, p.Warnings)
	}

	// Summaries: annotations over a body, over nothing, over the table.
	s := p.Summary("thing_new")
	if s.Source != FromAnnotation || s.ReturnsOwned == nil || *s.ReturnsOwned != (Allocator{Family: "thing_free", Dealloc: "thing_free"}) {
		t.Errorf("Summary(thing_new) = %v", s)
	}
	s = p.Summary("thing_free")
	if s.Effect(0) != Frees || s.Deallocs[0] == nil || *s.Deallocs[0] != (Allocator{Family: "thing_free", Dealloc: "thing_free"}) {
		t.Errorf("Summary(thing_free) = %v, want p0 frees the family thing_new returns", s)
	}
	s = p.Summary("list_add")
	if s.Effect(1) != Takes || s.Effect(0) != EffectUnknown || s.SetsErrno != No {
		t.Errorf("Summary(list_add) = %v", s)
	}
	s = p.Summary("make_name")
	if s.OutOwned[0] != MallocFamily || s.Success != SuccessZero || s.Effect(0) != Borrows {
		t.Errorf("Summary(make_name) = %v", s)
	}
	s = p.Summary("remember")
	if s.Source != FromAnnotation || s.Effect(0) != Keeps {
		t.Errorf("Summary(remember) = %v", s)
	}
	s = p.Summary("helper_dup")
	if s.Source != FromAnnotation || s.ReturnsOwned != MallocFamily {
		t.Errorf("Summary(helper_dup) = %v", s)
	}
	s = p.Summary("parse")
	if s.SetsErrno != Yes || !s.ErrnoOnlySignal || s.ErrnoOnFailure {
		t.Errorf("Summary(parse) = %v", s)
	}
	s = p.Summary("fd_open")
	if s.SetsErrno != Yes || !s.ErrnoOnFailure || s.Success != SuccessNonNeg {
		t.Errorf("Summary(fd_open) = %v", s)
	}
	if s = p.Summary("other"); s.Known {
		t.Errorf("Summary(other) = %v, want unknown", s)
	}
	// Only what the annotation says changes; the table's entry stays.
	s = p.Summary("strdup")
	if s.Source != FromAnnotation || s.SetsErrno != No || s.ReturnsOwned != MallocFamily || s.Effect(0) != Borrows {
		t.Errorf("Summary(strdup) = %v", s)
	}
	if Libc().Summary("strdup").SetsErrno != Yes {
		t.Errorf("the shared table was modified")
	}
}

// An annotation in a header reaches the function even when the package
// defines it in a .c file, whose definition is the Func's position.
func TestAnnotationsInHeaderAndCFile(t *testing.T) {
	p := loadCgo(t, `#include "lib.h"`, map[string]string{
		"lib.h": `#include <stddef.h>
// ffivet:returns-owned dealloc=buf_release
char *buf_make(size_t n);
// ffivet:frees arg=1 family=buf
void buf_release(char *b);
/* ffivet:takes arg=1 */ void buf_adopt(char *b);
`,
		"lib.c": `#include <stdlib.h>
#include "lib.h"
char *buf_make(size_t n) { return malloc(n); }
void buf_release(char *b) { free(b); }

/* ffivet:borrows arg=1 */
int buf_len(const char *b) { return 0; }
`,
	})
	mk := mustFunc(t, p, "buf_make")
	if !mk.HasBody || !strings.HasSuffix(mk.Pos.Filename, "lib.c") {
		t.Fatalf("buf_make: want the definition in lib.c, got %v", mk.Pos)
	}
	if len(mk.Notes) != 1 || !strings.HasSuffix(mk.Notes[0].Pos.Filename, "lib.h") || mk.Notes[0].Pos.Line != 2 {
		t.Errorf("buf_make notes %v, want one from lib.h:2", mk.Notes)
	}
	// Every declaration site is read once, however many units include it.
	if n := len(mustFunc(t, p, "buf_release").Notes); n != 1 {
		t.Errorf("buf_release has %d notes, want 1", n)
	}
	s := p.Summary("buf_make")
	if s.ReturnsOwned == nil || *s.ReturnsOwned != (Allocator{Family: "buf", Dealloc: "buf_release"}) {
		t.Errorf("Summary(buf_make) = %v, want returns-owned buf/buf_release", s)
	}
	if s := p.Summary("buf_adopt"); s.Effect(0) != Takes {
		t.Errorf("Summary(buf_adopt) = %v", s)
	}
	if s := p.Summary("buf_len"); s.Effect(0) != Borrows {
		t.Errorf("Summary(buf_len) = %v", s)
	}
}

func TestAnnotationsFile(t *testing.T) {
	shared := filepath.Join(t.TempDir(), "shared.txt")
	if err := os.WriteFile(shared, []byte(`
# libraries the package does not own
ext_open returns-owned dealloc=ext_close
ext_close frees arg=1
not_in_this_package takes arg=1
ext_bad frees arg=9
`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(AnnotationsEnv, shared+string(os.PathListSeparator)+filepath.Join(t.TempDir(), "missing.txt"))
	p := loadCgo(t, `
void *ext_open(const char *);
void ext_close(void *);
void ext_bad(void *);
int ext_count(void *);
`, map[string]string{AnnotationsFile: `ext_count	ffivet:borrows arg=1
ext_count no-errno
ext_count nonsense
ext_missing takes arg=1
not-a-name takes arg=1
`})
	if s := p.Summary("ext_open"); s.ReturnsOwned == nil || s.ReturnsOwned.Dealloc != "ext_close" || s.ReturnsOwned.Family != "ext_close" {
		t.Errorf("Summary(ext_open) = %v", s)
	}
	if s := p.Summary("ext_close"); s.Effect(0) != Frees || s.Deallocs[0].Family != "ext_close" {
		t.Errorf("Summary(ext_close) = %v", s)
	}
	if s := p.Summary("ext_count"); s.Effect(0) != Borrows || s.SetsErrno != No {
		t.Errorf("Summary(ext_count) = %v", s)
	}
	own := filepath.Join(p.Dir, AnnotationsFile)
	want := []string{
		own + ":3: annotations file: unknown ffivet annotation \"nonsense\"",
		own + ":4: annotations file names ext_missing, which the package's C does not declare",
		own + ":5: annotations file: \"not-a-name\" is not a C function name",
		shared + ":6: ffivet:frees arg=9: ext_bad has 1 parameter(s)",
		"missing.txt: cannot read annotations file",
	}
	var got []string
	for _, w := range p.Warnings {
		got = append(got, w.String())
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("no warning %q in:\n%s", w, all)
		}
	}
	// A shared file names other packages' functions; that is no error.
	if strings.Contains(all, "not_in_this_package") {
		t.Errorf("warned about a function of the shared file:\n%s", all)
	}
}

// Annotation text comes from users; no input may panic.
func FuzzAnnotations(f *testing.F) {
	for _, s := range []string{"takes arg=1", "success=zero", "=", "a=b=c", "frees arg=99999999999999999999", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseAnnotation(s, token.Position{})
		if err == nil {
			_ = a.String()
			a.argIndex()
		}
		scanC(s)
		scanC("// ffivet:" + s + "\nvoid f(void);")
		p := &Package{Funcs: map[string]*Func{"f": {Name: "f", Params: []*Param{{Name: "p"}}}}}
		p.readAnnotationsFile("x", []byte(s), true)
		p.annotateFile(&sourceFile{name: "x.c", base: 1, text: "/* ffivet:" + s + " */ void f(void *p);"}, []declSite{{name: "f", line: 1, col: 20}})
		p.declaredSummary("f")
	})
}
