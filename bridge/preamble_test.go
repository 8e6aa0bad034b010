package bridge

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestReadPreamble(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantNil  bool
		wantLine int
		wantText string
	}{
		{
			name: "block comment",
			src: `package p

/*
#include <stdio.h>
int f(void);
*/
import "C"
`,
			wantLine: 3,
			wantText: "\n#include <stdio.h>\nint f(void);\n",
		},
		{
			name: "line comments",
			src: `package p

// #include <stdio.h>
//
// int f(void);
import "C"
`,
			wantLine: 3,
			wantText: " #include <stdio.h>\n\n int f(void);",
		},
		{
			name: "block and line comments in one group",
			src: `package p

/* int a; */ /* int b; */
// int c;
import "C"
`,
			wantLine: 3,
			wantText: " int a;  int b; \n int c;",
		},
		{
			name: "doc on the spec of a grouped import",
			src: `package p

import (
	"fmt"

	// int g(void);
	"C"
)
`,
			wantLine: 6,
			wantText: " int g(void);",
		},
		{
			name: "doc on a grouped declaration with one spec",
			src: `package p

// int h(void);
import (
	"C"
)
`,
			wantLine: 3,
			wantText: " int h(void);",
		},
		{
			// cgo ignores the doc of a declaration that imports more than
			// "C": it belongs to the whole group.
			name: "doc on a grouped declaration with several specs",
			src: `package p

// int h(void);
import (
	"C"
	"fmt"
)
`,
			wantLine: 5,
			wantText: "",
		},
		{
			name: "no preamble",
			src: `package p

import "C"
`,
			wantLine: 3,
			wantText: "",
		},
		{
			name: "comment not adjacent to the import",
			src: `package p

// int lost(void);

import "C"
`,
			wantLine: 5,
			wantText: "",
		},
		{
			name:    "no import of C",
			src:     "package p\n\n// int f(void);\nimport \"fmt\"\n",
			wantNil: true,
		},
		{
			name: "two imports of C",
			src: `package p

// int first(void);
import "C"

import "fmt"

/*
int second(void);
*/
import "C"
`,
			wantLine: 3,
			wantText: " int first(void);\n\n\n\n\n\nint second(void);\n",
		},
		{
			// A //line comment changes the positions the parser reports;
			// the preamble must keep the lines of the file itself.
			name: "line directive inside the preamble",
			src: `package p

//line other.go:1000000
// int f(void);
import "C"
`,
			wantLine: 3,
			wantText: "line other.go:1000000\n int f(void);",
		},
		{
			name: "cgo line becomes an empty line",
			src: `package p

// #cgo CFLAGS: -DX=1
// int f(void);
import "C"
`,
			wantLine: 3,
			wantText: "\n int f(void);",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := ReadPreamble("p.go", []byte(tt.src))
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if tt.wantNil {
				if p != nil {
					t.Fatalf("got preamble %+v, want none", p)
				}
				return
			}
			if p == nil {
				t.Fatal("got no preamble")
			}
			if p.File != "p.go" || p.Line != tt.wantLine || p.Text != tt.wantText {
				t.Errorf("got File %q Line %d Text %q; want File %q Line %d Text %q",
					p.File, p.Line, p.Text, "p.go", tt.wantLine, tt.wantText)
			}
			checkLinesMatch(t, tt.src, p)
		})
	}
}

// checkLinesMatch checks that every non-empty line of the preamble text
// is found on the .go line it claims to come from.
func checkLinesMatch(t *testing.T, src string, p *Preamble) {
	t.Helper()
	srcLines := strings.Split(src, "\n")
	for i, l := range strings.Split(p.Text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		n := p.Line + i
		if n < 1 || n > len(srcLines) {
			t.Errorf("text line %d %q claims line %d, beyond the source", i, l, n)
			continue
		}
		for word := range strings.FieldsSeq(l) {
			if !strings.Contains(srcLines[n-1], word) {
				t.Errorf("text line %d %q does not come from line %d of the source", i, l, n)
				break
			}
		}
	}
}

func TestReadPreambleDirectives(t *testing.T) {
	src := `package p

/*
#cgo CFLAGS: -I${SRCDIR}/include -DNAME="a b"
#cgo linux,amd64 !windows CFLAGS: -DX
	#cgo	LDFLAGS: -lm
#cgo pkg-config: libfoo
#cgo noescape fast
#cgo nocallback quick
#include <stdio.h>
#cgo-not-a-directive
int f(void);
*/
import "C"
`
	p, errs := ReadPreamble("p.go", []byte(src))
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := []*Directive{
		{Line: 4, Verb: "CFLAGS", Args: []string{"-I${SRCDIR}/include", "-DNAME=a b"}},
		{Line: 5, Constraint: "linux,amd64 !windows", Verb: "CFLAGS", Args: []string{"-DX"}},
		{Line: 6, Verb: "LDFLAGS", Args: []string{"-lm"}},
		{Line: 7, Verb: "pkg-config", Args: []string{"libfoo"}},
		{Line: 8, Verb: "noescape", Args: []string{"fast"}},
		{Line: 9, Verb: "nocallback", Args: []string{"quick"}},
	}
	if !reflect.DeepEqual(p.Directives, want) {
		t.Errorf("directives:\n got %v\nwant %v", p.Directives, want)
	}
	wantText := "\n\n\n\n\n\n\n#include <stdio.h>\n#cgo-not-a-directive\nint f(void);\n"
	if p.Text != wantText {
		t.Errorf("text: got %q, want %q", p.Text, wantText)
	}
	checkLinesMatch(t, src, p)
}

func TestReadPreambleSyntaxErrors(t *testing.T) {
	src := `package p

// #cgo CFLAGS -DMISSING_COLON
// #cgo BOGUS: -x
// #cgo CFLAGS: "unclosed
// #cgo linux,,amd64 CFLAGS: -DEMPTY_TERM
// #cgo noescape
// #cgo nocallback a b
// #cgo
// #cgo CFLAGS: -DGOOD
// int f(void);
import "C"
`
	p, errs := ReadPreamble("dir/p.go", []byte(src))
	if p == nil {
		t.Fatal("no preamble")
	}
	wantLines := []int{3, 4, 5, 6, 7, 8, 9}
	if len(errs) != len(wantLines) {
		t.Fatalf("got %d errors, want %d: %v", len(errs), len(wantLines), errs)
	}
	for i, err := range errs {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("error %d is %T, want *SyntaxError", i, err)
		}
		if se.File != "dir/p.go" || se.Line != wantLines[i] || se.Msg == "" {
			t.Errorf("error %d: got %s:%d %q, want dir/p.go:%d", i, se.File, se.Line, se.Msg, wantLines[i])
		}
		if !strings.HasPrefix(err.Error(), "dir/p.go:") {
			t.Errorf("error %d: %q does not start with the file", i, err)
		}
	}
	// The rest is still read.
	if len(p.Directives) != 1 || p.Directives[0].Line != 10 || p.Directives[0].Args[0] != "-DGOOD" {
		t.Errorf("directives: got %v, want the -DGOOD line only", p.Directives)
	}
	if !strings.HasSuffix(p.Text, " int f(void);") || strings.Contains(p.Text, "#cgo") {
		t.Errorf("text: got %q", p.Text)
	}
	checkLinesMatch(t, src, p)
}

func TestReadPreambleBadGo(t *testing.T) {
	// Go that does not parse at all: no preamble, an error, no panic.
	if p, errs := ReadPreamble("p.go", []byte("not go at all")); p != nil || len(errs) == 0 {
		t.Errorf("got %v, %v; want nil and an error", p, errs)
	}
	// An unterminated preamble comment is a Go syntax error, but what
	// can be read is still returned when the import is found.
	p, _ := ReadPreamble("p.go", []byte("package p\n\n// int f(void);\nimport \"C\"\n\nfunc {"))
	if p == nil || p.Text != " int f(void);" {
		t.Errorf("got %+v", p)
	}
}

func TestParseDirective(t *testing.T) {
	tests := []struct {
		line string
		want *Directive // nil: an error is expected
	}{
		{"#cgo CFLAGS: -DX", &Directive{Verb: "CFLAGS", Args: []string{"-DX"}}},
		{"  #cgo   CPPFLAGS:   -I inc  ", &Directive{Verb: "CPPFLAGS", Args: []string{"-I", "inc"}}},
		{"#cgo\tLDFLAGS:\t-lz", &Directive{Verb: "LDFLAGS", Args: []string{"-lz"}}},
		{"#cgo CXXFLAGS:", &Directive{Verb: "CXXFLAGS"}},
		{"#cgo FFLAGS: -O", &Directive{Verb: "FFLAGS", Args: []string{"-O"}}},
		{"#cgo pkg-config: --static sqlite3 zlib", &Directive{Verb: "pkg-config", Args: []string{"--static", "sqlite3", "zlib"}}},
		{"#cgo linux,amd64 !windows CFLAGS: -DX", &Directive{Constraint: "linux,amd64 !windows", Verb: "CFLAGS", Args: []string{"-DX"}}},
		{"#cgo go1.21 CFLAGS: -DNEW", &Directive{Constraint: "go1.21", Verb: "CFLAGS", Args: []string{"-DNEW"}}},
		{"#cgo linux&&!arm CFLAGS: -DX", &Directive{Constraint: "linux&&!arm", Verb: "CFLAGS", Args: []string{"-DX"}}},
		{`#cgo CFLAGS: -DMSG="hello world" '-DQ=it''s' -DE=a\ b`, &Directive{Verb: "CFLAGS", Args: []string{"-DMSG=hello world", "-DQ=its", "-DE=a b"}}},
		{"#cgo noescape my_func", &Directive{Verb: "noescape", Args: []string{"my_func"}}},
		{"#cgo nocallback\tmy_func ", &Directive{Verb: "nocallback", Args: []string{"my_func"}}},
		// A build tag may be called noescape.
		{"#cgo noescape CFLAGS: -DX", &Directive{Constraint: "noescape", Verb: "CFLAGS", Args: []string{"-DX"}}},

		{"#cgo", nil},
		{"#cgo CFLAGS -DX", nil},
		{"#cgo : -DX", nil},
		{"#cgo FOOFLAGS: -DX", nil},
		{"#cgoCFLAGS: -DX", nil},
		{"#include <stdio.h>", nil},
		{"#cgo CFLAGS: 'unclosed", nil},
		{`#cgo CFLAGS: trailing\`, nil},
		{"#cgo linux, CFLAGS: -DX", nil},
		{"#cgo !!linux CFLAGS: -DX", nil},
		{"#cgo linux&&( CFLAGS: -DX", nil},
		{"#cgo noescape", nil},
		{"#cgo noescape a b", nil},
		{"#cgo nocallback 1abc", nil},
	}
	for _, tt := range tests {
		got, err := ParseDirective(tt.line)
		if tt.want == nil {
			if err == nil {
				t.Errorf("ParseDirective(%q) = %v, want an error", tt.line, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDirective(%q): %v", tt.line, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseDirective(%q) = %#v, want %#v", tt.line, got, tt.want)
		}
		// String renders something that parses back to the same.
		again, err := ParseDirective(got.String())
		if err != nil || !reflect.DeepEqual(again.Verb, got.Verb) || again.Constraint != got.Constraint {
			t.Errorf("ParseDirective(%q.String() = %q) = %v, %v", tt.line, got.String(), again, err)
		}
	}
}

func TestDirectiveMatches(t *testing.T) {
	tags := map[string]bool{"cgo": true, "mytag": true}
	tests := []struct {
		constraint   string
		goos, goarch string
		want         bool
	}{
		{"", "linux", "amd64", true},
		{"linux", "linux", "amd64", true},
		{"linux", "darwin", "arm64", false},
		{"linux,amd64", "linux", "amd64", true},
		{"linux,amd64", "linux", "arm64", false},
		{"linux,amd64 darwin", "darwin", "arm64", true},
		{"!windows", "linux", "amd64", true},
		{"!windows", "windows", "amd64", false},
		{"linux,amd64 !windows", "freebsd", "386", true},
		{"linux,!cgo", "linux", "amd64", false},
		{"mytag", "linux", "amd64", true},
		{"othertag", "linux", "amd64", false},
		{"unix", "darwin", "arm64", true},
		{"unix", "windows", "amd64", false},
		{"linux", "android", "arm64", true},
		{"darwin", "ios", "arm64", true},
		{"gc", "linux", "amd64", true},
		{"go1.1", "linux", "amd64", true},
		{"go1.999", "linux", "amd64", false},
		{"linux&&!arm", "linux", "amd64", true},
		{"linux&&!arm", "linux", "arm", false},
		{"(darwin||freebsd)&&cgo", "freebsd", "amd64", true},
		{"linux,", "linux", "amd64", false},
	}
	for _, tt := range tests {
		d := &Directive{Constraint: tt.constraint, Verb: "CFLAGS"}
		if got := d.Matches(tt.goos, tt.goarch, tags); got != tt.want {
			t.Errorf("%q on %s/%s: got %v, want %v", tt.constraint, tt.goos, tt.goarch, got, tt.want)
		}
	}
}

func TestSplitQuoted(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"   ", nil, false},
		{"a b  c", []string{"a", "b", "c"}, false},
		{"\ta\n", []string{"a"}, false},
		{`"a b" c`, []string{"a b", "c"}, false},
		{`'a "b"' c`, []string{`a "b"`, "c"}, false},
		{`a"b c"d`, []string{"ab cd"}, false},
		{`""`, []string{""}, false},
		{`'' x`, []string{"", "x"}, false},
		{`a\ b`, []string{"a b"}, false},
		{`\"a`, []string{`"a`}, false},
		{`"a\"b"`, []string{`a"b`}, false},
		{`-I${SRCDIR}/x`, []string{"-I${SRCDIR}/x"}, false},
		{`"unclosed`, nil, true},
		{`'unclosed`, nil, true},
		{`trailing\`, nil, true},
	}
	for _, tt := range tests {
		got, err := SplitQuoted(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("SplitQuoted(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitQuoted(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
