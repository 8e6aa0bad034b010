package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/passes"
)

// These tests run the checks ffivet ships, end to end, on real cgo
// packages compiled by gcc.

// buildFFIVET builds the command into a temporary directory.
func buildFFIVET(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "ffivet")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS="+repoGOFLAGS)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// demoModule copies the demo package into a new module and makes it the
// current directory.
func demoModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "demo"), os.DirFS(filepath.Join("..", "..", "testdata", "src", "demo"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/ffdemo\n\ngo 1.26\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

var findingLine = regexp.MustCompile(`^([^\s:]+\.go):(\d+):\d+: (?:\[\w+\] )?(\S.*)$`)

// findings extracts "file:line: message" from text output, ignoring
// indented related information and the column.
func findings(out string) []string {
	var list []string
	for line := range strings.SplitSeq(out, "\n") {
		m := findingLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		list = append(list, filepath.Base(m[1])+":"+m[2]+": "+m[3])
	}
	sort.Strings(list)
	return list
}

// TestDemoStandaloneAndVet checks that ffivet finds the same bugs in the
// demo run standalone and as go vet's tool.
func TestDemoStandaloneAndVet(t *testing.T) {
	bin := buildFFIVET(t)
	demoModule(t)

	standalone := exec.Command(bin, "./demo")
	var stdout, stderr bytes.Buffer
	standalone.Stdout, standalone.Stderr = &stdout, &stderr
	err := standalone.Run()
	if code := exitCode(err); code != exitFindings {
		t.Fatalf("ffivet ./demo: exit %d (%v)\n%s%s", code, err, stdout.String(), stderr.String())
	}
	own := findings(stdout.String())
	if len(own) < 6 {
		t.Fatalf("ffivet ./demo: %d findings, want at least 6:\n%s", len(own), stdout.String())
	}

	vet := exec.Command("go", "vet", "-vettool="+bin, "./demo")
	out, _ := vet.CombinedOutput()
	if strings.Contains(string(out), "panic:") {
		t.Fatalf("go vet -vettool: %s", out)
	}
	viaVet := findings(string(out))
	if strings.Join(own, "\n") != strings.Join(viaVet, "\n") {
		t.Errorf("standalone and go vet disagree:\nstandalone:\n%s\n\ngo vet:\n%s", strings.Join(own, "\n"), strings.Join(viaVet, "\n"))
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// TestFixCgoallocLeak applies cgoalloc's suggested fix to a copy of a
// real file, builds the result with cgo, and checks the leak is gone.
func TestFixCgoallocLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cgo")
	}
	dir := demoModule(t)
	file := filepath.Join(dir, "demo", "leaky.go")
	src := `package demo

/*
#include <stdlib.h>
#include <string.h>
static int measure(const char *s) { return (int)strlen(s); }
*/
import "C"

import "unsafe"

// Measure leaks its C string on every path.
func Measure(s string) int {
	cs := C.CString(s)
	if s == "" {
		return 0
	}
	return int(C.measure(cs))
}

var _ unsafe.Pointer
`
	if err := os.WriteFile(file, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	code := run([]string{"-cgoalloc", "-fix", "./demo"}, passes.All(), &out, &errs)
	t.Logf("ffivet -fix: exit %d\n%s%s", code, out.String(), errs.String())
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(src, "\tcs := C.CString(s)\n", "\tcs := C.CString(s)\n\tdefer C.free(unsafe.Pointer(cs))\n", 1)
	if string(got) != want {
		t.Fatalf("after -fix:\n%s\nwant:\n%s", got, want)
	}
	if out, err := goCmd(t, "build", "./demo"); err != nil {
		t.Fatalf("go build after -fix: %v\n%s", err, out)
	}
	out.Reset()
	errs.Reset()
	run([]string{"-cgoalloc", "./demo"}, passes.All(), &out, &errs)
	if strings.Contains(out.String(), "leaky.go") {
		t.Errorf("leak still reported after the fix:\n%s", out.String())
	}
}
