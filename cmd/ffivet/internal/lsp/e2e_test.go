package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The end-to-end tests run the ffivet command, built once, as an editor
// would, on a copy of the demo package.

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// ffivetBinary builds the command into a directory that outlives the
// test that asked first, and returns its path.
func ffivetBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ffivet-lsp-test")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "ffivet")
		out, err := exec.Command("go", "build", "-o", binary, "github.com/ffivet/ffivet/cmd/ffivet").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}

// moduleEnv is the environment for the go command in a test module: a
// -modfile in GOFLAGS names this repository's go.mod, not the module's.
func moduleEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if flags, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			var kept []string
			for f := range strings.FieldsSeq(flags) {
				if !strings.HasPrefix(f, "-modfile") && !strings.HasPrefix(f, "--modfile") {
					kept = append(kept, f)
				}
			}
			kv = "GOFLAGS=" + strings.Join(kept, " ")
		}
		env = append(env, kv)
	}
	return env
}

// labelSrc is a second file of the demo package with a leak that has a
// fix, next to a function that frees correctly.
const labelSrc = `package demo

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import "unsafe"

// Label returns the length of s as C counts it, and never frees its C
// string.
func Label(s string) int {
	cs := C.CString(s)
	n := C.strlen(cs)
	return int(n)
}

// Copy returns a copy of s made by C, freed before it returns.
func Copy(s string) string {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return C.GoString(cs)
}
`

// demoModule copies the demo package into a new module, adds label.go,
// and returns the package's directory.
func demoModule(t *testing.T) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "demo")
	if err := os.CopyFS(dir, os.DirFS("../../../../testdata/src/demo")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(root, "go.mod"):  "module example.com/lspdemo\n\ngo 1.26\n",
		filepath.Join(dir, "label.go"): labelSrc,
	}
	for name, content := range files {
		if err := os.WriteFile(name, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// lineOf returns the 1-based number of the first line of src containing
// substr after the first line containing after.
func lineOf(t *testing.T, src, after, substr string) int {
	t.Helper()
	lines := strings.Split(src, "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, after) })
	if start >= 0 {
		for i := start; i < len(lines); i++ {
			if strings.Contains(lines[i], substr) {
				return i + 1
			}
		}
	}
	t.Fatalf("no line containing %q after %q", substr, after)
	return 0
}

// cliFindings runs "ffivet -json" on the package and returns each
// finding's file, line and message, as the command reports them.
func cliFindings(t *testing.T, dir string) []string {
	t.Helper()
	cmd := exec.Command(ffivetBinary(t), "-json", ".")
	cmd.Dir = dir
	cmd.Env = moduleEnv()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffivet -json: %v\n%s", err, out)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatalf("ffivet -json: %v\n%s", err, out)
	}
	var findings []string
	for _, checks := range tree {
		for _, raw := range checks {
			var diags []struct{ Posn, Message string }
			if json.Unmarshal(raw, &diags) != nil {
				continue // the check failed: an error object
			}
			for _, d := range diags {
				// file:line:col
				parts := strings.Split(d.Posn, ":")
				findings = append(findings, fmt.Sprintf("%s:%s: %s", filepath.Base(parts[0]), parts[1], d.Message))
			}
		}
	}
	slices.Sort(findings)
	return slices.Compact(findings)
}

// lspFindings formats published diagnostics as cliFindings does.
func lspFindings(published map[string][]diagnostic) []string {
	var findings []string
	for uri, diags := range published {
		for _, d := range diags {
			findings = append(findings, fmt.Sprintf("%s:%d: %s", filepath.Base(uri), d.Range.Start.Line+1, d.Message))
		}
	}
	slices.Sort(findings)
	return findings
}

// A stream over a child process's standard input and output.
type processStream struct {
	io.ReadCloser
	io.WriteCloser
}

func (p processStream) Close() error {
	p.WriteCloser.Close()
	return p.ReadCloser.Close()
}

func TestCommandEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the checks on a cgo package several times")
	}
	dir := demoModule(t)
	demoName, labelName := filepath.Join(dir, "demo.go"), filepath.Join(dir, "label.go")
	demoURI, labelURI := fileURI(demoName), fileURI(labelName)
	// The demo's other file, with the findings of the other checks.
	boundaryURI := fileURI(filepath.Join(dir, "boundary.go"))
	demoSrc, err := os.ReadFile(demoName)
	if err != nil {
		t.Fatal(err)
	}
	want := cliFindings(t, dir)

	// The server runs elsewhere than the module, as editors may
	// start it.
	cmd := exec.Command(ffivetBinary(t), "lsp")
	cmd.Dir = t.TempDir()
	cmd.Env = moduleEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := false
	t.Cleanup(func() {
		if !exited {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if stderr.Len() > 0 {
			t.Logf("server stderr:\n%s", stderr.String())
		}
	})
	c := newTestClient(t, processStream{stdout, stdin})
	c.initialize()

	// Opening a file publishes the findings of its whole package,
	// where the command reports them.
	c.open(demoURI, string(demoSrc))
	published := c.waitPublish(demoURI, labelURI, boundaryURI)
	if got := lspFindings(published); !slices.Equal(got, want) {
		t.Errorf("published:\n%s\nffivet -json reports:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The leak in Spaces, with the path that leaks.
	spacesLine := lineOf(t, string(demoSrc), "func Spaces", "C.CString(s)")
	returnLine := lineOf(t, string(demoSrc), "func Spaces", "return 0, errors.New")
	i := slices.IndexFunc(published[demoURI], func(d diagnostic) bool { return int(d.Range.Start.Line)+1 == spacesLine })
	if i < 0 {
		t.Fatalf("no diagnostic on line %d of demo.go, the leak in Spaces", spacesLine)
	}
	d := published[demoURI][i]
	if d.Code != "cgoalloc" || d.Source != "ffivet" || d.Severity != severityWarning ||
		d.CodeDescription == nil || !strings.HasSuffix(d.CodeDescription.Href, "docs/checks/cgoalloc.md") {
		t.Errorf("diagnostic %+v: want a cgoalloc warning from ffivet with the check's URL", d)
	}
	if !slices.ContainsFunc(d.RelatedInformation, func(r relatedInformation) bool {
		return r.Location.URI == demoURI && int(r.Location.Range.Start.Line)+1 == returnLine
	}) {
		t.Errorf("related information %+v: want the return on line %d", d.RelatedInformation, returnLine)
	}

	// The leak in label.go has a quick fix that edits label.go.
	c.open(labelURI, labelSrc)
	published = c.waitPublish(demoURI, labelURI, boundaryURI)
	allocLine := lineOf(t, labelSrc, "func Label", "C.CString(s)")
	if len(published[labelURI]) != 1 || int(published[labelURI][0].Range.Start.Line)+1 != allocLine {
		t.Fatalf("label.go: published %+v, want one diagnostic on line %d", published[labelURI], allocLine)
	}
	actions := c.codeActions(labelURI, published[labelURI][0].Range)
	if len(actions) != 1 || actions[0].Kind != kindQuickFix || len(actions[0].Edit.Changes) != 1 {
		t.Fatalf("code actions %+v: want one quick fix editing one file", actions)
	}
	fixed := applyEdits(t, labelSrc, actions[0].Edit.Changes[labelURI], encodingUTF16)
	wantFixed := strings.Replace(labelSrc, "\tcs := C.CString(s)\n\tn :=", "\tcs := C.CString(s)\n\tdefer C.free(unsafe.Pointer(cs))\n\tn :=", 1)
	if fixed != wantFixed {
		t.Fatalf("label.go after the fix:\n%s\nwant:\n%s", fixed, wantFixed)
	}
	if err := os.WriteFile(labelName, []byte(fixed), 0o666); err != nil {
		t.Fatal(err)
	}
	c.notify(methodDidChange, didChangeParams{TextDocument: versionedTextDocumentIdentifier{URI: labelURI, Version: 2}, ContentChanges: []contentChange{{Text: fixed}}})
	c.save(labelURI)
	published = c.waitPublish(demoURI, labelURI, boundaryURI)
	if len(published[labelURI]) != 0 {
		t.Errorf("label.go after the fix: published %+v, want an empty list", published[labelURI])
	}
	if n := len(published[demoURI]) + len(published[boundaryURI]); n != len(want)-1 {
		t.Errorf("the demo after the fix: %d diagnostics, want %d", n, len(want)-1)
	}
	build := exec.Command("go", "build", "./...")
	build.Dir = dir
	build.Env = moduleEnv()
	if out, err := build.CombinedOutput(); err != nil {
		t.Errorf("go build of the fixed package: %v\n%s", err, out)
	}

	// A second save while the first is being checked cancels it: its
	// results are never published.
	c.save(demoURI)
	c.save(demoURI)
	publishes, cancelled := 0, false
	for publishes == 0 || !cancelled {
		req := c.next()
		switch req.Method {
		case methodPublishDiagnostics:
			var p publishDiagnosticsParams
			json.Unmarshal(*req.Params, &p)
			if p.URI == demoURI {
				publishes++
			}
		case methodLogMessage:
			cancelled = cancelled || strings.Contains(c.logs[len(c.logs)-1], "was cancelled")
		}
	}
	for _, req := range c.shutdown() {
		var p publishDiagnosticsParams
		if req.Method == methodPublishDiagnostics && json.Unmarshal(*req.Params, &p) == nil && p.URI == demoURI {
			publishes++
		}
	}
	if publishes != 1 {
		t.Errorf("two quick saves published demo.go's diagnostics %d times, want once", publishes)
	}

	c.notify(methodExit, nil)
	err = cmd.Wait()
	exited = true
	if err != nil {
		t.Errorf("ffivet lsp after shutdown and exit: %v, want exit status 0", err)
	}
}
