package lsp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/testtool"
)

// TestNeovim runs a real client: headless Neovim with its built-in LSP
// client, driven by testdata/nvim.lua, opens label.go of the demo
// package, applies the quick fix ffivet offers and writes the file. Run
// it with "make lsp-test".
func TestNeovim(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the checks on a cgo package in Neovim")
	}
	nvim := testtool.Need(t, "nvim", "apt-get install neovim")
	script, err := filepath.Abs("testdata/nvim.lua")
	if err != nil {
		t.Fatal(err)
	}
	dir := demoModule(t)
	label := filepath.Join(dir, "label.go")
	result := filepath.Join(t.TempDir(), "result.txt")

	// Neovim's state and logs go to a temporary directory; the go
	// command's caches stay where they are, or every run would start
	// cold.
	home := t.TempDir()
	env := moduleEnv()
	for _, v := range []string{"GOCACHE", "GOMODCACHE"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", v, err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	env = append(env,
		"FFIVET="+ffivetBinary(t), "FILE="+label, "OUT="+result,
		"XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "XDG_STATE_HOME="+home, "XDG_CACHE_HOME="+home)

	ctx, cancel := context.WithTimeout(context.Background(), 2*timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = env
	output, runErr := cmd.CombinedOutput()
	got, err := os.ReadFile(result)
	if err != nil {
		t.Fatalf("nvim wrote no result: %v; its output:\n%s", err, output)
	}
	t.Logf("nvim:\n%s", got)
	if runErr != nil {
		t.Fatalf("nvim: %v\n%s", runErr, output)
	}

	allocLine := lineOf(t, labelSrc, "func Label", "C.CString(s)")
	for _, want := range []string{
		"diagnostic " + strconv.Itoa(allocLine) + ":8 [ffivet cgoalloc] memory from C.CString at line " + strconv.Itoa(allocLine) + " leaks",
		"action [quickfix] free cs with a deferred C.free",
		"after write: 0 diagnostics",
		"server exit: 0",
		"done",
	} {
		if !strings.Contains(string(got), "\n"+want) && !strings.HasPrefix(string(got), want) {
			t.Errorf("nvim's result lacks a line starting %q", want)
		}
	}

	fixed, err := os.ReadFile(label)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(labelSrc, "\tcs := C.CString(s)\n\tn :=", "\tcs := C.CString(s)\n\tdefer C.free(unsafe.Pointer(cs))\n\tn :=", 1)
	if string(fixed) != want {
		t.Errorf("label.go as Neovim wrote it:\n%s\nwant:\n%s", fixed, want)
	}
}
