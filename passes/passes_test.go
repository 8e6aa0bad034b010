package passes_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/ffivet/ffivet/internal/suppress"
	"github.com/ffivet/ffivet/passes"
)

// Every caller of All gets the same analyzers, each honouring
// //ffivet:ignore, and together they form a valid set: no fact type
// registered twice, as it would be if a check ran both wrapped and not.
func TestAll(t *testing.T) {
	all := passes.All()
	if !slices.Equal(all, passes.All()) {
		t.Errorf("All returns new analyzers on each call")
	}
	if err := analysis.Validate(all); err != nil {
		t.Error(err)
	}
	seen := make(map[string]bool)
	for _, a := range all {
		if seen[a.Name] {
			t.Errorf("two checks are named %s", a.Name)
		}
		seen[a.Name] = true
		if !slices.Contains(a.Requires, suppress.Analyzer) {
			t.Errorf("%s is not wrapped by suppress.WrapAll", a.Name)
		}
	}
}

// TestAllTogether runs every check at once on the test corpora, as the
// driver does: checks of one package run in parallel and share the
// model, so under -race this catches shared state written after the
// model is built. Expectations are checked by each check's own tests;
// here only that they run cleanly.
func TestAllTogether(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  filepath.Join(dir, "src"),
		Env:  append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOPROXY=off", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "demo", "cgoalloc", "cgoerrno", "cgopointer", "cgopointerglobal", "cgohandle", "cgohandlenodelete", "cgosig", "cgonarrow", "cgounsafe", "cgopointerslice", "cgopointerctx", "cgoerrnoconv")
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze(passes.All(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	found := make(map[string]bool) // check/category
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
		}
		if act.IsRoot {
			n += len(act.Diagnostics)
			for _, d := range act.Diagnostics {
				found[act.Analyzer.Name+"/"+d.Category] = true
			}
		}
	}
	if n == 0 {
		t.Error("no findings on the corpora")
	}

	// Every finding has a category its check's docs page lists, and
	// the corpora have a finding of every category listed.
	for _, a := range passes.All() {
		documented := docCategories(t, filepath.Join(dir, "..", "docs", "checks", a.Name+".md"))
		for _, c := range documented {
			if !found[a.Name+"/"+c] {
				t.Errorf("%s: no finding of category %q in the corpora", a.Name, c)
			}
		}
		for key := range found {
			check, c, _ := strings.Cut(key, "/")
			if check == a.Name && !slices.Contains(documented, c) && c != "directive" {
				t.Errorf("%s reports findings of category %q, which docs/checks/%s.md does not list", check, c, check)
			}
		}
	}
}

// categoryRow is a row of a docs page's table of categories.
var categoryRow = regexp.MustCompile("^\\| `([a-z0-9]+(?:-[a-z0-9]+)*)` \\|")

// docCategories returns the categories listed in the "## Categories"
// section of a check's docs page.
func docCategories(t *testing.T, page string) []string {
	t.Helper()
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Categories\n")
	if !ok {
		t.Fatalf("%s has no Categories section", page)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var cats []string
	for line := range strings.SplitSeq(section, "\n") {
		if m := categoryRow.FindStringSubmatch(line); m != nil {
			cats = append(cats, m[1])
		}
	}
	if len(cats) == 0 {
		t.Errorf("%s lists no categories", page)
	}
	return cats
}
