package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/suppress"
)

// wrappedTestAnalyzers are the test checks as passes.All gives the real
// ones: honouring //ffivet:ignore.
var wrappedTestAnalyzers = suppress.WrapAll(testAnalyzers)

// ignoredGo is a cgo file with directives of every kind. cstringfree
// reports each C.CString assigned and not followed by a defer;
// exportedfunc reports exported functions.
const ignoredGo = `package ignored

/*
#include <stdlib.h>
*/
import "C"

func used(s string) {
	cs := C.CString(s) //ffivet:ignore cstringfree the caller frees it
	_ = cs
}

func unusedLine(s string) {
	//ffivet:ignore cstringfree nothing is reported on the next line
	n := len(s)
	_ = n
}

func unknownName(s string) {
	//ffivet:ignore cstringfre,cstringfree the first name has a typo
	cs := C.CString(s)
	_ = cs
}

// Exported has a directive that names two checks; one has nothing to
// silence.
//
//ffivet:ignore exportedfunc,cstringfree the name is part of the API
func Exported() {}

func noReason(s string) {
	cs := C.CString(s) //ffivet:ignore cstringfree
	_ = cs
}

func reported(s string) {
	cs := C.CString(s)
	_ = cs
}
`

// ignoredModule makes a module with the package ignored and returns the
// path of its file.
func ignoredModule(t *testing.T) string {
	t.Helper()
	dir := newModule(t)
	file := filepath.Join(dir, "ignored", "ignored.go")
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(ignoredGo), 0o666); err != nil {
		t.Fatal(err)
	}
	return file
}

func runWrapped(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(args, wrappedTestAnalyzers, &out, &errs)
	t.Logf("ffivet %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out.String(), errs.String())
	return code, out.String(), errs.String()
}

func TestIgnoreDirectives(t *testing.T) {
	ignoredModule(t)
	code, stdout, _ := runWrapped(t, "./ignored")
	if code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
	want := "ignored/ignored.go:32:21: [cstringfree] malformed //ffivet:ignore directive: say why the finding is wrong: //ffivet:ignore cstringfree REASON\n" +
		"ignored/ignored.go:37:8: [cstringfree] memory from C.CString is not freed\n" +
		"\tignored/ignored.go:39:1: the block ends here\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestUnusedIgnores(t *testing.T) {
	ignoredModule(t)
	code, stdout, _ := runWrapped(t, "-unused-ignores", "./ignored")
	if code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
	for _, want := range []string{
		"ignored/ignored.go:14:2: [unusedignore] //ffivet:ignore cstringfree silences no finding; remove it\n",
		"ignored/ignored.go:20:2: [unusedignore] //ffivet:ignore names cstringfre, which is not a check; run ffivet -list for their names\n",
		"ignored/ignored.go:28:1: [unusedignore] //ffivet:ignore names cstringfree, which reports nothing here; remove the name\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if n := strings.Count(stdout, "[unusedignore]"); n != 3 {
		t.Errorf("%d unused directives reported, want 3", n)
	}

	// A check that does not run says nothing about its directives.
	_, stdout, _ = runWrapped(t, "-unused-ignores", "-cstringfree=false", "./ignored")
	want := "ignored/ignored.go:20:2: [unusedignore] //ffivet:ignore names cstringfre, which is not a check; run ffivet -list for their names\n"
	if stdout != want {
		t.Errorf("with -cstringfree=false, stdout:\n%s\nwant:\n%s", stdout, want)
	}

	_, stdout, _ = runWrapped(t, "-unused-ignores", "-json", "./ignored")
	var tree map[string]map[string][]jsonDiagnostic
	if err := json.Unmarshal([]byte(stdout), &tree); err != nil {
		t.Fatal(err)
	}
	if n := len(tree["example.com/fftest/ignored"]["unusedignore"]); n != 3 {
		t.Errorf("-json: %d unusedignore findings, want 3", n)
	}
}

// TestIgnoreUnderGoVet checks a directive with the checks ffivet ships,
// standalone and as go vet's tool, which hands the checks cgo's output.
func TestIgnoreUnderGoVet(t *testing.T) {
	bin := buildFFIVET(t)
	dir := demoModule(t)
	file := filepath.Join(dir, "demo", "demo.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const line = "\tC.free(unsafe.Pointer(v))\n" // Home frees getenv's memory
	if !strings.Contains(string(src), line) {
		t.Fatalf("demo.go has no line %q", line)
	}
	edited := strings.Replace(string(src), line, "\t//ffivet:ignore cgoalloc the test silences this finding\n"+line, 1)
	if err := os.WriteFile(file, []byte(edited), 0o666); err != nil {
		t.Fatal(err)
	}

	standalone, _ := exec.Command(bin, "./demo").Output()
	vet, _ := exec.Command("go", "vet", "-vettool="+bin, "./demo").CombinedOutput()
	for name, out := range map[string]string{"ffivet": string(standalone), "go vet": string(vet)} {
		if strings.Contains(out, "C.getenv returned it") {
			t.Errorf("%s reports the silenced finding:\n%s", name, out)
		}
		if !strings.Contains(out, "is freed twice") {
			t.Errorf("%s lost the other findings:\n%s", name, out)
		}
	}
}
