package golangci

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// golangciVersion is the golangci-lint the end-to-end test builds; set
// FFIVET_GOLANGCI_VERSION to try another.
const golangciVersion = "v2.15.0"

// golangciConfig enables the plugin alone, with every issue shown.
const golangciConfig = `version: "2"
linters:
  default: none
  enable:
    - ffivet
  settings:
    custom:
      ffivet:
        type: module
        description: checks the Go/C boundary
        settings:
          checks: [cgoalloc]
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
`

// goEnv is the environment for the go command and golangci-lint: this
// repository's GOFLAGS may name its go.mod with -modfile, which the
// other modules must not use.
func goEnv(extra ...string) []string {
	var flags []string
	for f := range strings.FieldsSeq(os.Getenv("GOFLAGS")) {
		if !strings.HasPrefix(f, "-modfile") && !strings.HasPrefix(f, "--modfile") {
			flags = append(flags, f)
		}
	}
	return append(os.Environ(), append([]string{"GOFLAGS=" + strings.Join(flags, " "), "GOWORK=off"}, extra...)...)
}

func command(t *testing.T, dir string, env []string, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// buildGolangciLint builds golangci-lint with the plugin, as
// "golangci-lint custom" does from a .custom-gcl.yml naming this
// repository by path: into golangci-lint's own source, a plugins.go
// that imports the plugin, a replace directive to this repository, go
// mod tidy, go build ./cmd/golangci-lint. custom clones the source with
// git; the test takes the same tagged source from the module proxy.
// -trimpath lets the build cache serve the next run, whatever the
// temporary directory.
func buildGolangciLint(t *testing.T, repo string) string {
	t.Helper()
	version := cmp.Or(os.Getenv("FFIVET_GOLANGCI_VERSION"), golangciVersion)
	var mod struct{ Dir, Error string }
	out := command(t, repo, goEnv(), "go", "mod", "download", "-json", "github.com/golangci/golangci-lint/v2@"+version)
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download: %v %s\n%s", err, mod.Error, out)
	}
	src := filepath.Join(t.TempDir(), "golangci-lint")
	if err := os.CopyFS(src, os.DirFS(mod.Dir)); err != nil {
		t.Fatal(err)
	}
	plugins := "package main\n\nimport (\n\t_ \"github.com/ffivet/ffivet/cmd/ffivet/golangci\"\n)\n"
	if err := os.WriteFile(filepath.Join(src, "cmd", "golangci-lint", "plugins.go"), []byte(plugins), 0o666); err != nil {
		t.Fatal(err)
	}
	env := goEnv()
	command(t, src, env, "go", "mod", "edit", "-replace", "github.com/ffivet/ffivet="+repo)
	command(t, src, env, "go", "mod", "tidy")
	bin := filepath.Join(t.TempDir(), "custom-gcl")
	command(t, src, env, "go", "build", "-trimpath", "-ldflags", "-X main.version="+version+"-custom-gcl-ffivet", "-o", bin, "./cmd/golangci-lint")
	return bin
}

// An issue is a finding as golangci-lint or ffivet reports it.
type issue struct {
	File         string
	Line, Column int
	Text         string // "check: message"
}

func (i issue) String() string { return fmt.Sprintf("%s:%d:%d: %s", i.File, i.Line, i.Column, i.Text) }

// runGolangciLint runs the custom golangci-lint on the module in dir
// and returns its issues.
func runGolangciLint(t *testing.T, bin, dir string) (findings, related []issue) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(bin, "run", "--output.json.path="+report, "--show-stats=false", "./...")
	cmd.Dir = dir
	cmd.Env = goEnv("GOLANGCI_LINT_CACHE=" + t.TempDir())
	out, err := cmd.CombinedOutput()
	// golangci-lint exits 1 when it reports issues.
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		t.Fatalf("golangci-lint run: %v\n%s", err, out)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("golangci-lint wrote no report: %v\n%s", err, out)
	}
	var res struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	for _, i := range res.Issues {
		if i.FromLinter != "ffivet" {
			t.Errorf("an issue from %s: %s", i.FromLinter, i.Text)
			continue
		}
		is := issue{filepath.ToSlash(i.Pos.Filename), i.Pos.Line, i.Pos.Column, i.Text}
		if strings.Contains(i.Text, "(related information): ") {
			related = append(related, is)
		} else {
			findings = append(findings, is)
		}
	}
	t.Logf("golangci-lint:\n%s", out)
	return findings, related
}

// runFFIVET runs the ffivet command on the module in dir and returns
// its findings and their related information as golangci-lint words
// them.
func runFFIVET(t *testing.T, bin, dir string) (findings, related []issue) {
	t.Helper()
	cmd := exec.Command(bin, "-json", "-cgoalloc", "./...") // the check .golangci.yml enables
	cmd.Dir = dir
	cmd.Env = goEnv()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffivet -json: %v\n%s", err, out)
	}
	var tree map[string]map[string][]struct {
		Posn, Message string
		Related       []struct{ Posn, Message string }
	}
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatalf("ffivet -json: %v\n%s", err, out)
	}
	parse := func(posn, text string) issue {
		var is issue
		i := strings.LastIndex(posn, ":")
		j := strings.LastIndex(posn[:i], ":")
		fmt.Sscan(posn[j+1:i], &is.Line)
		fmt.Sscan(posn[i+1:], &is.Column)
		rel, err := filepath.Rel(dir, posn[:j])
		if err != nil {
			t.Fatal(err)
		}
		is.File, is.Text = filepath.ToSlash(rel), text
		return is
	}
	for _, checks := range tree {
		for check, diags := range checks {
			for _, d := range diags {
				findings = append(findings, parse(d.Posn, check+": "+d.Message))
				for _, r := range d.Related {
					related = append(related, parse(r.Posn, check+"(related information): "+r.Message))
				}
			}
		}
	}
	return findings, related
}

func sorted(list []issue) string {
	var lines []string
	for _, i := range list {
		lines = append(lines, i.String())
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestGolangciLint builds golangci-lint with the plugin and runs it on
// a copy of the demo package: golangci-lint must report what ffivet
// reports, at the same places in the .go file, and honour both
// //nolint:ffivet and //ffivet:ignore. It downloads and compiles
// golangci-lint, so it runs only with FFIVET_GOLANGCI=1 (make
// golangci-test).
func TestGolangciLint(t *testing.T) {
	if os.Getenv("FFIVET_GOLANGCI") == "" {
		t.Skip("set FFIVET_GOLANGCI=1 to build golangci-lint with the plugin and run it")
	}
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	gcl := buildGolangciLint(t, repo)
	ffivet := filepath.Join(t.TempDir(), "ffivet")
	command(t, repo, goEnv(), "go", "build", "-o", ffivet, "./cmd/ffivet")

	dir := t.TempDir()
	dir, err = filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	demo, err := os.ReadFile(filepath.Join(repo, "testdata", "src", "demo", "demo.go"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"go.mod":         "module example.com/ffdemo\n\ngo 1.26\n",
		".golangci.yml":  golangciConfig,
		"demo/demo.go":   string(demo),
		"clean/clean.go": "package clean\n\n// #include <stdlib.h>\nimport \"C\"\n\nimport \"unsafe\"\n\nfunc Free(p *C.char) { C.free(unsafe.Pointer(p)) }\n",
	} {
		file := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}

	// Every finding, at its place in demo.go, not in cgo's copy.
	want, wantRelated := runFFIVET(t, ffivet, dir)
	if len(want) < 6 {
		t.Fatalf("ffivet found %d bugs in the demo, want at least 6:\n%s", len(want), sorted(want))
	}
	got, related := runGolangciLint(t, gcl, dir)
	if sorted(got) != sorted(want) {
		t.Errorf("golangci-lint reports:\n%s\nffivet reports:\n%s", sorted(got), sorted(want))
	}
	// golangci-lint reports related information as issues of their
	// own, one per line.
	if len(related) == 0 {
		t.Errorf("golangci-lint reports no related information")
	}
	for _, r := range related {
		if !slices.Contains(wantRelated, r) {
			t.Errorf("golangci-lint reports related information ffivet does not: %s", r)
		}
	}

	// Silence three findings: two with //nolint:ffivet, one with
	// //ffivet:ignore.
	lines := strings.Split(string(demo), "\n")
	silence := map[int]string{}
	for _, f := range want {
		switch {
		case strings.Contains(f.Text, "C.getenv returned it"):
			silence[f.Line] = " //nolint:ffivet // getenv's memory, for the test"
		case strings.Contains(f.Text, "freed twice"):
			silence[f.Line] = " //nolint:ffivet"
		case strings.Contains(f.Text, "released with C.free; release it with C.fclose"):
			silence[f.Line] = " //ffivet:ignore cgoalloc the test checks the directive"
		}
	}
	if len(silence) != 3 {
		t.Fatalf("the demo's findings changed; silencing %v", silence)
	}
	for line, comment := range silence {
		lines[line-1] += comment
	}
	if err := os.WriteFile(filepath.Join(dir, "demo", "demo.go"), []byte(strings.Join(lines, "\n")), 0o666); err != nil {
		t.Fatal(err)
	}
	got, related = runGolangciLint(t, gcl, dir)
	var left []issue
	for _, f := range want {
		if silence[f.Line] == "" {
			left = append(left, f)
		}
	}
	if sorted(got) != sorted(left) {
		t.Errorf("with //nolint:ffivet and //ffivet:ignore, golangci-lint reports:\n%s\nwant:\n%s", sorted(got), sorted(left))
	}
	// //ffivet:ignore removes the finding with its related information;
	// //nolint:ffivet on the finding's line leaves the related
	// information on other lines, as docs/golangci-lint.md says.
	var relatedText strings.Builder
	for _, r := range related {
		relatedText.WriteString(r.Text + "\n")
	}
	if strings.Contains(relatedText.String(), "allocated here by C.fopen") {
		t.Errorf("//ffivet:ignore left the related information of the finding it silenced:\n%s", relatedText.String())
	}
	if !strings.Contains(relatedText.String(), "first freed here") {
		t.Errorf("//nolint:ffivet now silences related information on other lines too; update docs/golangci-lint.md:\n%s", relatedText.String())
	}
}
