package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBridgeCacheSameFindings runs ffivet on corpora with .c files three
// times: with an empty cache, after an edit to Go code with the C sides
// in the cache, and with the caches off. The findings are the same, and
// the second run read the C sides from the cache.
func TestBridgeCacheSameFindings(t *testing.T) {
	bin := buildFFIVET(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	corpora := []string{"cgoerrno", "cgohandle", "cgopointer"}
	for _, name := range corpora {
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(filepath.Join("..", "..", "testdata", "src", name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.26\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	cacheHome := t.TempDir()
	run := func(cache string) string {
		t.Helper()
		cmd := exec.Command(bin, "./...")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cacheHome, CacheEnv+"="+cache)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); exitCode(err) != exitFindings {
			t.Fatalf("ffivet ./...: %v\n%s", err, stderr.String())
		}
		return strings.Join(findings(stdout.String()), "\n")
	}

	cold := run("")
	entries, _ := os.ReadDir(filepath.Join(cacheHome, "ffivet", "bridge"))
	if len(entries) < len(corpora) {
		t.Fatalf("the bridge cache holds %d entries after the first run, want one per corpus at least", len(entries))
	}
	// An edit to Go code: the result cache misses, the C sides do not.
	for _, name := range corpora {
		files, _ := filepath.Glob(filepath.Join(dir, name, "*.go"))
		f, err := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\n// An edit.\n")
		f.Close()
	}
	stamp := func() map[string]int64 {
		m := map[string]int64{}
		entries, _ := os.ReadDir(filepath.Join(cacheHome, "ffivet", "bridge"))
		for _, e := range entries {
			if info, err := e.Info(); err == nil {
				m[e.Name()] = info.ModTime().UnixNano()
			}
		}
		return m
	}
	before := stamp()
	warm := run("")
	after := stamp()
	read := 0
	for name, t0 := range before {
		if t1, ok := after[name]; ok && t1 != t0 {
			read++
		}
	}
	if len(after) != len(before) || read < len(corpora) {
		t.Errorf("second run: %d bridge cache entries of %d were read and %d added; want every corpus's C side read, none added", read, len(before), len(after)-len(before))
	}
	off := run("off")
	if cold != warm || cold != off {
		t.Errorf("findings differ:\nempty cache:\n%s\n\nC sides cached:\n%s\n\ncaches off:\n%s", cold, warm, off)
	}
}
