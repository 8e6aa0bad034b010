package bridge

import (
	"strings"
	"testing"
)

func TestSelfContaining(t *testing.T) {
	for _, test := range []struct {
		src, want string // want: a part of the description, or "" for none
	}{
		{"struct s { struct s; int d; };", "struct or union s contains itself"},
		{"struct s { int n; struct s ; int data[]; };", "(struct s;)"},
		{"struct a { struct b; int x; };\nstruct b { union a; int y; };", "contains itself"},
		// Near misses: pointers, forward declarations, declarators,
		// literals and other braces.
		{"struct s { struct s *next; int d; };", ""},
		{"struct s; struct t { struct s *p; };", ""},
		{"struct s { struct t; int d; }; struct t { int e; };", ""},
		{"struct s { struct s x; };", ""},
		{"void f(void) { struct s; char *c = \"struct s { struct s; }\"; }", ""},
		{"struct s { int d; }; void f(void) { { struct s; } }", ""},
	} {
		got := selfContaining(test.src)
		if test.want == "" && got != "" || test.want != "" && !strings.Contains(got, test.want) {
			t.Errorf("selfContaining(%q) = %q, want %q", test.src, got, test.want)
		}
	}
}

// The front end's endless recursion on such a unit is a stack overflow
// that kills the process; Load refuses the unit with a warning.
func TestLoadSelfContaining(t *testing.T) {
	path := "/nonexistent/p.go"
	src := "package p\n\n// struct s { struct s; int d; };\n// int f(struct s *p) { return p->x; }\nimport \"C\"\n"
	p := NewTranslator().Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0].Msg, "contains itself") {
		t.Errorf("warnings %v, want one saying struct s contains itself", p.Warnings)
	}
}
