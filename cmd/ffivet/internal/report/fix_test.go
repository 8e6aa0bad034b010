package report

import (
	"errors"
	"go/ast"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// The fix a C.CString check suggests, in the generated file's positions:
// insert a deferred free before the statement after the allocation.
func TestResolveFixThroughLineDirectives(t *testing.T) {
	fset, f := parseGen(t, genName, genSrc)
	srcs := NewSources(memFiles{origName: origSrc, genName: genSrc}.read)

	use := find(t, f, "use", 0)
	fix, err := srcs.ResolveFix(fset, analysis.SuggestedFix{
		Message: "free cs",
		TextEdits: []analysis.TextEdit{{
			Pos:     use,
			End:     use,
			NewText: []byte("defer C.free(unsafe.Pointer(cs))\n\t"),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	changes, errs := srcs.Apply([]Fix{fix})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(changes) != 1 || changes[0].Filename != origName {
		t.Fatalf("changes = %+v, want one change to %s", changes, origName)
	}
	want := strings.Replace(origSrc, "\tuse(cs)", "\tdefer C.free(unsafe.Pointer(cs))\n\tuse(cs)", 1)
	if got := string(changes[0].New); got != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if string(changes[0].Old) != origSrc {
		t.Errorf("Old is not the original content")
	}
}

// A replacement spanning a rewritten call: both ends map separately.
func TestResolveFixReplacesRewrittenCall(t *testing.T) {
	fset, f := parseGen(t, genName, genSrc)
	srcs := NewSources(memFiles{origName: origSrc, genName: genSrc}.read)

	var call *ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && call == nil {
			if p, ok := c.Fun.(*ast.ParenExpr); ok {
				if id, ok := p.X.(*ast.Ident); ok && id.Name == "_Cfunc_CString" {
					call = c
				}
			}
		}
		return call == nil
	})
	if call == nil {
		t.Fatal("no call of _Cfunc_CString")
	}
	fix, err := srcs.ResolveFix(fset, analysis.SuggestedFix{
		Message:   "copy s",
		TextEdits: []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte("C.CString(s[:])")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := fix.Edits[0]
	if got := origSrc[e.Start:e.End]; got != "C.CString(s)" {
		t.Errorf("edit replaces %q, want %q", got, "C.CString(s)")
	}
}

// Edits in the part of a generated file that no //line directive covers
// stay in the generated file, which must not be edited.
func TestResolveFixRefusesGeneratedFile(t *testing.T) {
	fset, f := parseGen(t, genName, genSrc)
	srcs := NewSources(memFiles{origName: origSrc, genName: genSrc}.read)
	_, err := srcs.ResolveFix(fset, analysis.SuggestedFix{
		Message:   "bad",
		TextEdits: []analysis.TextEdit{{Pos: f.Package - 3, End: f.Package - 3, NewText: []byte("x")}},
	})
	if err == nil {
		t.Fatal("ResolveFix of an edit before the first //line directive succeeded")
	}
	if !strings.Contains(err.Error(), "generated") {
		t.Errorf("err = %v, want it to say the file is generated", err)
	}
}

func edit(start, end int, text string) Edit {
	return Edit{Filename: "f.go", Start: start, End: end, New: text}
}

func TestApply(t *testing.T) {
	const src = "package p\n\nvar a, b, c = 1, 2, 3\n"
	off := func(s string) int { return strings.Index(src, s) }
	one, two, three := off("1"), off("2"), off("3")

	for _, test := range []struct {
		name      string
		fixes     []Fix
		want      string
		conflicts int
	}{
		{
			name: "independent",
			fixes: []Fix{
				{Message: "x", Edits: []Edit{edit(one, one+1, "10")}},
				{Message: "y", Edits: []Edit{edit(three, three+1, "30")}},
			},
			want: "package p\n\nvar a, b, c = 10, 2, 30\n",
		},
		{
			name: "overlapping replacements: the first wins",
			fixes: []Fix{
				{Message: "x", Edits: []Edit{edit(one, two+1, "7, 8")}},
				{Message: "y", Edits: []Edit{edit(two, three+1, "0, 0")}},
			},
			want:      "package p\n\nvar a, b, c = 7, 8, 3\n",
			conflicts: 1,
		},
		{
			name: "the same fix twice, as from a package and its test variant",
			fixes: []Fix{
				{Message: "x", Edits: []Edit{edit(one, one+1, "10")}},
				{Message: "x", Edits: []Edit{edit(one, one+1, "10")}},
			},
			want: "package p\n\nvar a, b, c = 10, 2, 3\n",
		},
		{
			name: "two different insertions at one offset",
			fixes: []Fix{
				{Message: "x", Edits: []Edit{edit(one, one, "-")}},
				{Message: "y", Edits: []Edit{edit(one, one, "+")}},
			},
			want:      "package p\n\nvar a, b, c = -1, 2, 3\n",
			conflicts: 1,
		},
		{
			name: "insertion at the start and end of a replacement",
			fixes: []Fix{
				{Message: "x", Edits: []Edit{edit(two, two+1, "20")}},
				{Message: "y", Edits: []Edit{edit(two, two, "+")}},
				{Message: "z", Edits: []Edit{edit(two+1, two+1, ".0")}},
			},
			want: "package p\n\nvar a, b, c = 1, +20.0, 3\n",
		},
		{
			name: "a fix is applied whole or not at all",
			fixes: []Fix{
				{Message: "x", Edits: []Edit{edit(two, two+1, "20")}},
				{Message: "y", Edits: []Edit{edit(one, one+1, "10"), edit(two, two+1, "21")}},
			},
			want:      "package p\n\nvar a, b, c = 1, 20, 3\n",
			conflicts: 1,
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			srcs := NewSources(memFiles{"f.go": src}.read)
			changes, errs := srcs.Apply(test.fixes)
			if len(errs) != test.conflicts {
				t.Errorf("got %d errors %v, want %d", len(errs), errs, test.conflicts)
			}
			for _, err := range errs {
				var fe *FixError
				if !errors.As(err, &fe) || fe.Posn.Line != 3 {
					t.Errorf("error %v: want a *FixError on line 3", err)
				}
			}
			if len(changes) != 1 {
				t.Fatalf("got %d changes, want 1", len(changes))
			}
			if got := string(changes[0].New); got != test.want {
				t.Errorf("got %q, want %q", got, test.want)
			}
		})
	}
}

// A fixed Go file that no longer parses is not changed, and every fix
// to it is reported; fixes to other files still apply.
func TestApplyRefusesUnparsableResult(t *testing.T) {
	srcs := NewSources(memFiles{
		"f.go":  "package p\n\nvar a = 1\n",
		"g.go":  "package p\n\nvar b = 2\n",
		"h.txt": "not go\n",
	}.read)
	fixes := []Fix{
		{Message: "break it", Edits: []Edit{{Filename: "f.go", Start: 16, End: 17, New: "1 +"}}},
		{Message: "fine", Edits: []Edit{{Filename: "g.go", Start: 16, End: 17, New: "3"}}},
		{Message: "text", Edits: []Edit{{Filename: "h.txt", Start: 0, End: 3, New: "still not"}}},
	}
	changes, errs := srcs.Apply(fixes)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "break it") || !strings.Contains(errs[0].Error(), "parse") {
		t.Errorf("errs = %v, want one about %q not parsing", errs, "break it")
	}
	var names []string
	for _, c := range changes {
		names = append(names, c.Filename)
	}
	if strings.Join(names, " ") != "g.go h.txt" {
		t.Errorf("changed %v, want [g.go h.txt]", names)
	}
}

func TestWrite(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f.go")
	if err := os.WriteFile(name, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	c := FileChange{Filename: name, Old: []byte("old"), New: []byte("new")}
	if err := c.Write(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	info, _ := os.Stat(name)
	if string(got) != "new" || info.Mode().Perm() != 0o640 {
		t.Errorf("after Write: %q, mode %v; want %q, -rw-r-----", got, info.Mode().Perm(), "new")
	}

	// The file now holds "new", not c.Old: writing again would
	// apply offsets computed for other content.
	if err := c.Write(); err == nil {
		t.Error("Write over a file changed since it was read succeeded")
	}
}
