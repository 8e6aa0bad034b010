package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/ffivet/ffivet/model"
)

// modelUser is a test check that builds the model, as every real check
// does, and reports nothing.
var modelUser = &analysis.Analyzer{
	Name:     "modeluser",
	Doc:      "build the model",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      func(*analysis.Pass) (any, error) { return nil, nil },
}

// warnedModule makes a module with the package warned, whose preamble
// has an annotation with a verb ffivet does not know (cgo builds it,
// ffivet's bridge warns about it), and a test file, so that the package
// is checked twice: on its own and as its test variant.
func warnedModule(t *testing.T) string {
	t.Helper()
	dir := newModule(t)
	files := map[string]string{
		"warned/warned.go":      "package warned\n\n/*\n// ffivet:nosuchverb\nstatic int one(void) { return 1; }\n*/\nimport \"C\"\n\nfunc One() int { return int(C.one()) }\n",
		"warned/warned_test.go": "package warned\n\nimport \"testing\"\n\nfunc TestOne(t *testing.T) { _ = One() }\n",
	}
	for name, content := range files {
		name = filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "warned")
}

const warning = "ffivet: warning: example.com/fftest/warned: warned/warned.go:4: "

// An unknown annotation is a warning on stderr, once for the package and
// its test variant, with the file named relative to the current
// directory; it is no finding.
func TestWarningsOncePerPackage(t *testing.T) {
	warnedModule(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"./warned"}, []*analysis.Analyzer{modelUser}, &stdout, &stderr)
	if code != exitClean || stdout.Len() != 0 {
		t.Errorf("exit %d, stdout %q: want a clean run", code, stdout.String())
	}
	if n := strings.Count(stderr.String(), warning); n != 1 || !strings.Contains(stderr.String(), "nosuchverb") {
		t.Errorf("stderr has the warning %d times, want once naming the verb:\n%s", n, stderr.String())
	}

	// Every run prints it again: nothing is remembered between runs.
	stderr.Reset()
	run([]string{"./warned"}, []*analysis.Analyzer{modelUser}, &stdout, &stderr)
	if n := strings.Count(stderr.String(), warning); n != 1 {
		t.Errorf("second run: stderr has the warning %d times, want once:\n%s", n, stderr.String())
	}

	// Checks that do not build the model print no warning.
	stderr.Reset()
	run([]string{"./warned"}, testAnalyzers, &stdout, &stderr)
	if stderr.Len() != 0 {
		t.Errorf("checks without the model: stderr %q, want none", stderr.String())
	}
}

// In SARIF the warning is a notification of the run's invocation.
func TestSARIFWarningNotification(t *testing.T) {
	warnedModule(t)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-format=sarif", "./warned"}, []*analysis.Analyzer{modelUser}, &stdout, &stderr); code != exitClean {
		t.Fatalf("exit %d, want %d\n%s", code, exitClean, stderr.String())
	}
	var log sarifLog
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("output is not a SARIF log of one run: %v", err)
	}
	inv := log.Runs[0].Invocations
	if len(inv) != 1 || !inv[0].ExecutionSuccessful {
		t.Fatalf("invocations %+v, want one that succeeded", inv)
	}
	var found int
	for _, n := range inv[0].ToolExecutionNotifications {
		if n.Level == "warning" && strings.Contains(n.Message.Text, "nosuchverb") &&
			strings.HasPrefix(n.Message.Text, "example.com/fftest/warned: warned/warned.go:4: ") {
			found++
		}
	}
	if found != 1 {
		t.Errorf("notifications %+v: want the unknown annotation once, as a warning", inv[0].ToolExecutionNotifications)
	}
}

// The language server's checker writes the warning to the log it is
// given, which the server sends to the editor, on every run.
func TestLSPWarnings(t *testing.T) {
	dir := warnedModule(t)
	check := lspChecker(options{tests: true}, []*analysis.Analyzer{modelUser})
	for i := range 2 {
		var log bytes.Buffer
		if _, err := check(context.Background(), dir, &log); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(log.String(), "nosuchverb"); n != 1 {
			t.Errorf("run %d: the log has the warning %d times, want once:\n%s", i+1, n, log.String())
		}
	}
}
