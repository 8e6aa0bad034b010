package passes_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/ffivet/ffivet/internal/rawcgo"
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
	pkgs, err := packages.Load(cfg, "demo", "cgoalloc", "cgoallocfinalizer", "cgoerrno", "cgopointer", "cgopointerglobal", "cgohandle", "cgohandlenodelete", "cgosig", "cgonarrow", "cgounsafe", "cgopointerslice", "cgopointerctx", "cgoerrnoconv")
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

// exampleFinding is a finding as a docs page shows it, in ffivet's text
// output: file:line:col: [check] message.
var exampleFinding = regexp.MustCompile(`^\S+\.go:\d+:\d+: \[([a-z]+)\] (.+)$`)

// anyNumbers returns re with every number in it (a line, a size, an
// offset) matching any number: a docs page's example has the line
// numbers of its own snippet, not those of the test corpus.
func anyNumbers(re *regexp.Regexp) *regexp.Regexp {
	src := re.String()
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			b.WriteString(src[i : i+2])
			i++
		case c >= '0' && c <= '9' && (i == 0 || !isWordByte(src[i-1]) && src[i-1] != '{' && src[i-1] != ','):
			for i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9' {
				i++
			}
			b.WriteString(`[0-9]+`)
		default:
			b.WriteByte(c)
		}
	}
	return regexp.MustCompile(b.String())
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// TestDocExamples ties every finding a docs page shows to the test
// corpus: its message matches a `// want` expectation of its check's
// corpus, so that a page cannot show a message the check no longer
// reports.
func TestDocExamples(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	wants := make(map[string][]*regexp.Regexp) // by check: the corpus of testdata/src/<check>*
	err = filepath.WalkDir(filepath.Join(root, "testdata", "src"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(root, "testdata", "src"), path)
		dir, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			_, rest, ok := strings.Cut(line, "// want ")
			if !ok {
				continue
			}
			res, err := rawcgo.ParseWant(rest)
			if err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			for _, re := range res {
				wants[dir] = append(wants[dir], anyNumbers(re))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	pages, err := filepath.Glob(filepath.Join(root, "docs", "checks", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	examples := 0
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			m := exampleFinding.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			examples++
			check, msg := m[1], m[2]
			matched := false
			for dir, res := range wants {
				if !strings.HasPrefix(dir, check) {
					continue
				}
				matched = matched || slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return re.MatchString(msg) })
			}
			if !matched {
				t.Errorf("%s:%d: the example finding matches no // want of testdata/src/%s*: %s", filepath.Base(page), i+1, check, msg)
			}
		}
	}
	if examples < len(pages) {
		t.Errorf("%d example findings in %d docs pages: want one per page at least", examples, len(pages))
	}
}
