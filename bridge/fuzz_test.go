package bridge

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
)

// fuzzMaxInput keeps the fuzzers to inputs of a realistic size; larger
// ones only slow the search down.
const fuzzMaxInput = 64 << 10

var goSeeds = []string{
	"package p\n\n/*\n#include <stdio.h>\n#cgo CFLAGS: -DX\nint f(void);\n*/\nimport \"C\"\n",
	"package p\n\n// #cgo linux,amd64 !windows CFLAGS: -I${SRCDIR}/inc -DNAME=\"a b\"\n// #cgo noescape f\n// int f(void);\nimport \"C\"\n",
	"package p\n\nimport (\n\t\"fmt\"\n\n\t// int g(void);\n\t\"C\"\n)\n",
	"package p\n\n// int h(void);\nimport (\n\t\"C\"\n)\n",
	"package p\n\n// int first(void);\nimport \"C\"\n\nimport \"fmt\"\n\n/*\nint second(void);\n*/\nimport \"C\"\n",
	"package p\n\n//line other.go:1000000\n// int f(void);\nimport \"C\"\n",
	"package p\n\n/* a */ /* b */\n// c\nimport \"C\"\n",
	"package p\n\n/*\nint f(void);\nimport \"C\"\n",
	"package p\n\n// #cgo CFLAGS -DX\n// #cgo\n// #cgo noescape\n// #cgo BOGUS: x\nimport \"C\"\n",
	"package p\n\nimport \"C\"\n",
	"package p\n\r\n// int f(void);\r\n/* x\r\ny */\r\nimport \"C\"\r\n",
	"package p\nimport C \"C\"\n",
	"not go",
	"",
}

func FuzzReadPreamble(f *testing.F) {
	for _, s := range goSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > fuzzMaxInput {
			t.Skip()
		}
		p, errs := ReadPreamble("fuzz.go", src)
		if p == nil {
			return
		}
		for _, err := range errs {
			if err == nil {
				t.Fatal("nil error")
			}
		}
		start, end, ok := preambleSpan(src)
		if !ok {
			t.Fatalf("ReadPreamble found a preamble the parser does not show")
		}
		lines := strings.Count(p.Text, "\n") + 1
		if start == 0 {
			if p.Text != "" {
				t.Fatalf("no doc comment, but Text = %q", p.Text)
			}
		} else if p.Line != start || lines != end-start+1 {
			t.Fatalf("Text starts at line %d and has %d lines; the comment spans lines %d to %d", p.Line, lines, start, end)
		}
		for _, d := range p.Directives {
			if d.Line < p.Line || d.Line >= p.Line+lines {
				t.Fatalf("directive %v at line %d, outside the preamble", d, d.Line)
			}
			if d.Verb == "" {
				t.Fatalf("directive %v has no verb", d)
			}
		}
		// Each line of text is made of what is on its .go line, in order:
		// comments on one line are joined, so only a subsequence holds.
		srcLines := strings.Split(string(src), "\n")
		for i, l := range strings.Split(p.Text, "\n") {
			if n := p.Line + i; n > len(srcLines) || !isSubsequence(l, srcLines[n-1]) {
				t.Fatalf("text line %d %q is not from line %d of the source", i, l, n)
			}
		}
	})
}

// isSubsequence reports whether the bytes of s appear in t in order.
func isSubsequence(s, t string) bool {
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(t, s[i])
		if j < 0 {
			return false
		}
		t = t[j+1:]
	}
	return true
}

// preambleSpan independently finds the lines of the doc comments that
// make up the preamble: the first and last line, or 0, 0 when the file
// imports "C" without one. ok is false when there is no import "C".
// commentEndLine returns the line on which c ends in src. The scanner
// drops carriage returns from a general comment's text and computes its
// End from the shorter text, so a lone \r moves End onto an earlier
// line: count the newlines of the source up to the closing */ instead.
func commentEndLine(fset *token.FileSet, src []byte, c *ast.Comment) int {
	pos := fset.PositionFor(c.Pos(), false)
	if !strings.HasPrefix(c.Text, "/*") {
		return pos.Line
	}
	rest := src[pos.Offset+2:]
	closing := bytes.Index(rest, []byte("*/"))
	if closing < 0 {
		return fset.PositionFor(c.End(), false).Line
	}
	return pos.Line + bytes.Count(rest[:closing], []byte("\n"))
}

func preambleSpan(src []byte) (start, end int, ok bool) {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, "fuzz.go", src, parser.ImportsOnly|parser.ParseComments)
	if f == nil {
		return 0, 0, false
	}
	for _, decl := range f.Decls {
		gd, isGen := decl.(*ast.GenDecl)
		if !isGen {
			continue
		}
		for _, spec := range gd.Specs {
			is, isImport := spec.(*ast.ImportSpec)
			if !isImport || is.Path.Value != `"C"` {
				continue
			}
			ok = true
			doc := is.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			if doc == nil {
				continue
			}
			if start == 0 {
				start = fset.PositionFor(doc.Pos(), false).Line
			}
			end = commentEndLine(fset, src, doc.List[len(doc.List)-1])
		}
	}
	return start, end, ok
}

var directiveSeeds = []string{
	"#cgo CFLAGS: -DX",
	"#cgo linux,amd64 !windows CFLAGS: -DX",
	"#cgo linux&&!arm CPPFLAGS: -I inc",
	`#cgo CFLAGS: -DMSG="hello world" '-DQ=x' -DE=a\ b`,
	"#cgo pkg-config: --static sqlite3",
	"#cgo LDFLAGS: -L${SRCDIR}/lib -lfoo",
	"#cgo noescape f",
	"#cgo nocallback\tg",
	"#cgo noescape CFLAGS: -DX",
	"#cgo",
	"#cgo CFLAGS -DX",
	"#cgo : x",
	"#cgo CFLAGS: 'unclosed",
	`#cgo CFLAGS: x\`,
	"#cgo (a||b) CFLAGS:",
	"#cgo !!a CFLAGS:",
}

func FuzzParseDirective(f *testing.F) {
	for _, s := range directiveSeeds {
		f.Add(s)
	}
	verbs := map[string]bool{"CFLAGS": true, "CPPFLAGS": true, "CXXFLAGS": true, "FFLAGS": true, "LDFLAGS": true, "pkg-config": true, "noescape": true, "nocallback": true}
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > fuzzMaxInput {
			t.Skip()
		}
		d, err := ParseDirective(line)
		if err != nil {
			if d != nil {
				t.Fatalf("ParseDirective returned %v and an error", d)
			}
			return
		}
		if !verbs[d.Verb] {
			t.Fatalf("unknown verb %q", d.Verb)
		}
		for _, goos := range []string{"linux", "windows", "darwin"} {
			d.Matches(goos, "amd64", map[string]bool{"cgo": true})
		}
		// What String renders parses back to the same directive when no
		// argument needs quoting.
		for _, a := range d.Args {
			if a == "" || strings.ContainsAny(a, `"'\`) || strings.ContainsFunc(a, unicode.IsSpace) {
				return
			}
		}
		again, err := ParseDirective(d.String())
		if err != nil {
			t.Fatalf("%q renders as %q, which does not parse: %v", line, d.String(), err)
		}
		if !reflect.DeepEqual(again, d) {
			t.Fatalf("%q renders as %q, which parses as %#v, not %#v", line, d.String(), again, d)
		}
	})
}

func FuzzSplitQuoted(f *testing.F) {
	for _, s := range []string{"", "a b", `"a b" 'c d' e\ f`, `"`, `\`, `''`, "\t-I x\n", `a"b"c`, `"\""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMaxInput {
			t.Skip()
		}
		args, err := SplitQuoted(s)
		if err != nil {
			return
		}
		// Quoting every word and splitting again gives the same words.
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(a) + `"`
		}
		again, err := SplitQuoted(strings.Join(quoted, " "))
		if err != nil {
			t.Fatalf("re-splitting %q: %v", quoted, err)
		}
		if len(args) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(again, args) {
			t.Fatalf("SplitQuoted(%q) = %q, but its quoted form splits as %q", s, args, again)
		}
	})
}

var cSeeds = []string{
	"#include <stdlib.h>\n#include <string.h>\n\nstatic char *dup(const char *s) { return strdup(s); }\n",
	"#include <stdio.h>\n#include <errno.h>\n\ntypedef struct point { int x, y; } point;\nint area(point *p);\nenum color { RED, GREEN = 5, BLUE };\nunion u { int i; float f; };\n",
	"#cgo CFLAGS: -DFEATURE -D LEVEL=3\n#ifdef FEATURE\nint feature(int);\n#endif\n#if LEVEL > 2\nint level(void);\n#endif\n",
	"#define MAX(a, b) ((a) > (b) ? (a) : (b))\n#define LIMIT 42\n#define NAME \"ffivet\"\nstatic inline int clamp(int v) { return MAX(v, LIMIT); }\n",
	"typedef void (*callback)(void *ctx, int n);\nvoid register_cb(callback cb, void *ctx) __attribute__((nonnull(1)));\nvoid *xmalloc(size_t) __attribute__((malloc, alloc_size(1)));\n",
	"#include <stdarg.h>\nint logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));\nstruct bits { unsigned a : 3; unsigned b : 5; };\n",
	"static void useGoString(_GoString_ s) { (void)_GoStringLen(s); (void)_GoStringPtr(s); }\n",
	"#include \"no_such_header.h\"\n#include <also_missing.h>\nint after(int);\n",
	"#define E\n#include E\n",
	"#include \"/dev/zero\"\nint f(void);\n",
	"#include \"../../../x.h\"\n#include_next <stdio.h>\n",
	"#if __has_include(<stdio.h>)\n#include <stdio.h>\n#endif\n_Static_assert(sizeof(int) == 4, \"int\");\n",
	"#define A0 1,\n#define A1 A0 A0\n#define A2 A1 A1\n#define A3 A2 A2\n#define A4 A3 A3\n#define A5 A4 A4\nint v[] = {A5 A5};\n",
	"#define F(x) F(x) x\nint y = F(F(1));\n",
	"#error stop here\nint f(void);\n",
	"#pragma once\n#pragma pack(1)\nstruct s { char c; int i; };\n",
	"int broken(int x { return x +; }\n",
	"int k_and_r(a, b) int a; char *b; { return a; }\n",
	"#line 1 \"elsewhere.c\"\nint moved(void);\n",
	"char *s = \"unterminated;\n'x\n/* open comment\n",
	"??=define TRI 1\nint a = TRI;\n#define CONT 1 + \\\n 2\n",
	"struct s { struct s *next; int data[]; };\nextern struct s *head;\nvoid walk(void) { for (struct s *p = head; p; p = p->next) {} }\n",
	"#cgo CFLAGS: -std=c99 -I/nonexistent\n#cgo pkg-config: ffivet-no-such-lib\nint f(void);\n",
	"\x00\xff\xfe garbage \x01",
	"",
}

// FuzzBridge puts arbitrary C in a preamble and loads it through a fresh
// translator: it must neither panic nor hang, and whatever goes wrong
// must come back as warnings.
func FuzzBridge(f *testing.F) {
	for _, s := range cSeeds {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, csrc string) {
		if len(csrc) > fuzzMaxInput {
			t.Skip()
		}
		path := filepath.Join(dir, "p.go")
		src := "package p\n\n// " + strings.ReplaceAll(csrc, "\n", "\n// ") + "\nimport \"C\"\n"
		tr := NewTranslator()
		// A smaller budget than real code gets, so that inputs that
		// explode in macro expansion fail fast enough to keep the search
		// going.
		tr.expansionLimit = 1 << 20
		done := make(chan *Package, 1)
		go func() {
			done <- tr.Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
		}()
		var p *Package
		select {
		case p = <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("Load did not return within 30s")
		}
		if p == nil {
			t.Fatal("Load returned nil")
		}
		for _, w := range p.Warnings {
			if w.Msg == "" {
				t.Errorf("warning with no message at %v", w.Pos)
			}
			if strings.Contains(w.Msg, "internal error reading") {
				t.Errorf("the bridge failed on its own: %v", w)
			}
		}
	})
}

// The expansion limit stops a macro that doubles itself many times over,
// and the failure comes back as a warning.
func TestExpansionLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("#define M0 1,\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "#define M%d M%d M%d\n", i, i-1, i-1)
	}
	b.WriteString("int v[] = {M40};\n")
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n/*\n" + b.String() + "*/\nimport \"C\"\n"
	tr := NewTranslator()
	tr.expansionLimit = 1 << 18
	p := tr.Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	found := false
	for _, w := range p.Warnings {
		found = found || strings.Contains(w.Msg, "expansion limit")
	}
	if !found {
		t.Errorf("no warning about the expansion limit: %v", p.Warnings)
	}
}
