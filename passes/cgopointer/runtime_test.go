package cgopointer_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/internal/testtool"
)

// A runtimeCase is a finding of the testdata shown to be a real bug: the
// program that runs it dies with the message of cgo's run-time check.
type runtimeCase struct {
	name string // the argument that selects it in the program
	code string // the Go statements that run it
	want string // a regexp the program's output must match
	// cgocheck2 runs it in a GOEXPERIMENT=cgocheck2 build, which checks
	// stores into C memory.
	cgocheck2 bool
}

// argumentPanic is the message of cgocheck=1 for an argument. Go 1.26
// says "argument of cgo function has Go pointer to unpinned Go ...",
// earlier releases "cgo argument has Go pointer to unpinned Go pointer".
const argumentPanic = `(cgo argument|argument of cgo function) has Go pointer to unpinned Go`

var runtimeCases = []runtimeCase{
	{name: "sendConfig", code: `done := make(chan int, 1); sendConfig(8, done)`, want: argumentPanic + ` pointer`},
	{name: "runCommand", code: `runCommand([][]byte{[]byte(os.Args[0] + "\x00"), []byte("-v\x00")})`, want: argumentPanic},
	{name: "submitRequest", code: `submitRequest([]byte(os.Args[0]))`, want: argumentPanic},
	{name: "sendSlice", code: `sendSlice(make([]byte, len(os.Args[0])))`, want: argumentPanic + ` slice`},
	{name: "receive", code: `n := 0; c := &conn{onData: func(b []byte) { n += len(b) }}; c.receive(); println(n)`, want: argumentPanic + ` pointer`},
	{name: "makeBuffer", code: `C.call_make_buffer(16)`, want: `result of Go function makeBuffer called from cgo is unpinned Go`},
	{name: "newCRequest", code: `newCRequest([]byte(os.Args[0]))`, want: `Go pointer stored into non-Go memory`, cgocheck2: true},
}

// nearMisses must run cleanly under the same checks.
var nearMisses = []runtimeCase{
	{name: "runGoArgv", code: `runGoArgv([]string{"a", "b"})`},
	{name: "receiveInline", code: `n := 0; c := &conn{onData: func(b []byte) { n += len(b) }}; c.receiveInline(); println(n)`},
	{name: "submitCopy", code: `submitCopy([]byte(os.Args[0]))`},
}

// TestRuntimePanics builds the testdata package as a program and runs
// buggy cases with cgo's run-time checks on: each must die with the
// check's message, and the near misses must not.
func TestRuntimePanics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs cgo programs")
	}
	testtool.Need(t, "gcc", "apt-get install gcc")
	dir := t.TempDir()
	copyAsMain(t, filepath.Join(checktest.Testdata(t), "src", "cgopointer"), dir)
	writeDispatcher(t, dir, append(append([]runtimeCase(nil), runtimeCases...), nearMisses...))
	prog := build(t, dir, "prog", false)
	var prog2 string
	for _, c := range runtimeCases {
		bin := prog
		if c.cgocheck2 {
			if prog2 == "" {
				prog2 = build(t, dir, "prog2", true)
			}
			bin = prog2
		}
		out, err := runCase(bin, c.name)
		if err == nil {
			t.Errorf("%s: ran without failing; output:\n%s", c.name, out)
			continue
		}
		if !regexp.MustCompile(c.want).Match(out) {
			t.Errorf("%s: output does not match %q:\n%s", c.name, c.want, firstLines(out, 6))
		}
	}
	for _, c := range nearMisses {
		if out, err := runCase(prog, c.name); err != nil {
			t.Errorf("near miss %s failed: %v\n%s", c.name, err, firstLines(out, 6))
		}
	}
}

func runCase(bin, name string) ([]byte, error) {
	cmd := exec.Command(bin, name)
	cmd.Env = append(os.Environ(), "GODEBUG=cgocheck=1")
	return cmd.CombinedOutput()
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// copyAsMain copies a testdata package into dir as package main.
func copyAsMain(t *testing.T, from, dir string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if ext != ".go" && ext != ".c" && ext != ".h" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if ext == ".go" {
			src = regexp.MustCompile(`(?m)^package cgopointer$`).ReplaceAll(src, []byte("package main"))
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module cgopointerrun\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeDispatcher writes the program's main, which runs the case named
// by its argument.
func writeDispatcher(t *testing.T, dir string, cases []runtimeCase) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("package main\n\n// void *call_make_buffer(int n);\nimport \"C\"\n\nimport \"os\"\n\nfunc main() {\n\tswitch os.Args[1] {\n")
	for _, c := range cases {
		b.WriteString("\tcase \"" + c.name + "\":\n\t\t" + strings.ReplaceAll(c.code, "; ", "\n\t\t") + "\n")
	}
	b.WriteString("\tdefault:\n\t\tpanic(\"unknown case \" + os.Args[1])\n\t}\n}\n")
	if err := os.WriteFile(filepath.Join(dir, "zz_main.go"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func build(t *testing.T, dir, out string, cgocheck2 bool) string {
	t.Helper()
	bin := filepath.Join(dir, out)
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "CGO_ENABLED=1")
	if cgocheck2 {
		cmd.Env = append(cmd.Env, "GOEXPERIMENT=cgocheck2")
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}
