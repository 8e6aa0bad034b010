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

	"github.com/ffivet/ffivet/bridge"
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

// realWorldFindings are the findings on the public modules, each
// triaged in docs/findings.md: the test fails when one appears or
// disappears, so a change in what ffivet reports there is looked at.
var realWorldFindings = []string{
	"adminapi.go:1788 cgoalloc",
	"adminapi.go:1817 cgoalloc",
	"adminapi.go:1817 cgoalloc",
	"adminapi.go:1887 cgoalloc",
	"adminapi.go:1950 cgoalloc",
	"adminapi.go:2047 cgoalloc",
	"adminapi.go:2060 cgoalloc",
	"adminapi.go:2060 cgoalloc",
	"adminapi.go:2246 cgoalloc",
	"error.go:164 cgoalloc",
	"input.go:751 cgosig",
	"input.go:782 cgosig",
	"input.go:805 cgosig",
	"monitor.go:194 cgosig",
	"monitor.go:59 cgosig",
	"callback.go:80 cgosig",
	"sqlite3.go:1031 cgonarrow",
	"sqlite3.go:2062 cgonarrow",
	"sqlite3.go:734 cgosig",
	"sqlite3_context.go:107 cgonarrow",
	"pcap_unix.go:346 cgonarrow",
	"pcap_unix.go:347 cgonarrow",
	"pcap_unix.go:349 cgopointer",
	"pcap_unix.go:349 cgopointer",
	"pcap_unix.go:384 cgonarrow",
	"pcap_unix.go:398 cgopointer",
	"pcap_unix.go:521 cgonarrow",
	"pcap_unix.go:588 cgonarrow",
	"pcap_unix.go:653 cgonarrow",
}

// realWorldModules are the modules the findings come from, pinned.
var realWorldModules = []string{
	"github.com/mattn/go-sqlite3 v1.14.52",
	"github.com/DataDog/zstd v1.5.7",
	"github.com/confluentinc/confluent-kafka-go/v2 v2.11.1",
	"github.com/google/gopacket v1.1.19",
	"github.com/go-gl/glfw/v3.3/glfw v0.0.0-20260823155953-d41da22a9587",
}

var realWorldPackages = []string{
	"github.com/mattn/go-sqlite3",
	"github.com/DataDog/zstd",
	"github.com/confluentinc/confluent-kafka-go/v2/kafka",
	"github.com/google/gopacket/pcap",
	"github.com/go-gl/glfw/v3.3/glfw",
	"os/user", "net", "runtime/cgo",
}

// shortFinding reduces "…/f.go:12:3: [check] …" to "f.go:12 check".
var shortFinding = regexp.MustCompile(`^\S*?([^/\s]+\.go):(\d+):\d+: \[(\w+)\]`)

// TestRealWorld runs ffivet on public cgo modules from the module proxy
// and on the standard library's cgo packages: standalone and as go vet's
// tool, without a crash, with exactly the triaged findings, and with
// go-sqlite3's 9.5 MB amalgamation translated once. It downloads and
// compiles them (libpcap and X11/GL headers must be installed), so it
// runs only with FFIVET_REALWORLD=1 (make realworld).
func TestRealWorld(t *testing.T) {
	if os.Getenv("FFIVET_REALWORLD") == "" {
		t.Skip("set FFIVET_REALWORLD=1 to run on public modules")
	}
	bin := buildFFIVET(t)
	dir := t.TempDir()
	t.Chdir(dir)
	var mod strings.Builder
	mod.WriteString("module example.com/realworld\n\ngo 1.26\n\nrequire (\n")
	for _, m := range realWorldModules {
		mod.WriteString("\t" + m + "\n")
	}
	mod.WriteString(")\n")
	if err := os.WriteFile("go.mod", []byte(mod.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n")
	for _, p := range realWorldPackages[:5] {
		main.WriteString("\t_ \"" + p + "\"\n")
	}
	main.WriteString(")\n\nfunc main() {}\n")
	if err := os.WriteFile("main.go", []byte(main.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	if out, err := goCmd(t, "mod", "tidy"); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}

	var out, errs bytes.Buffer
	code := run(append([]string{"-test=false"}, realWorldPackages...), passes.All(), &out, &errs)
	t.Logf("ffivet: exit %d\n%s%s", code, out.String(), errs.String())
	if code != exitClean && code != exitFindings {
		t.Fatalf("ffivet: exit %d", code)
	}
	var got []string
	for line := range strings.SplitSeq(out.String(), "\n") {
		if m := shortFinding.FindStringSubmatch(line); m != nil {
			got = append(got, m[1]+":"+m[2]+" "+m[3])
		}
	}
	sort.Strings(got)
	want := append([]string(nil), realWorldFindings...)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings changed; triage them in docs/findings.md and update realWorldFindings\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	gomod, err := goCmd(t, "list", "-m", "-f", "{{.Dir}}", "github.com/mattn/go-sqlite3")
	if err != nil {
		t.Fatal(err)
	}
	amalgamation := filepath.Join(strings.TrimSpace(gomod), "sqlite3-binding.c")
	if n := bridge.Default.TranslationsOf(amalgamation); n != 1 {
		t.Errorf("%s translated %d times in one process, want 1", amalgamation, n)
	}

	vet := exec.Command("go", append([]string{"vet", "-vettool=" + bin}, realWorldPackages[:5]...)...)
	vout, _ := vet.CombinedOutput()
	if strings.Contains(string(vout), "panic:") || strings.Contains(string(vout), "internal error") {
		t.Fatalf("go vet -vettool=ffivet: %s", vout)
	}
	t.Logf("go vet -vettool=ffivet:\n%s", vout)
}
