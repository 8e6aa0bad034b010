package bridge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZTorture(t *testing.T) {
	files, _ := filepath.Glob("/root/go/pkg/mod/modernc.org/ccorpus2@v1.6.0/assets/gcc-9.1.0/gcc/testsuite/gcc.c-torture/execute/*.c")
	n, bad, sums := 0, 0, 0
	for _, f := range files {
		src, _ := os.ReadFile(f)
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "x.c"), src, 0o644)
		os.WriteFile(filepath.Join(dir, "a.go"), []byte("package p\n\nimport \"C\"\n"), 0o644)
		p := Load(&Request{GoFiles: []string{filepath.Join(dir, "a.go")}})
		n++
		sums += len(p.summaries)
		for _, w := range p.Warnings {
			if strings.Contains(w.Msg, "summary of C function") || strings.Contains(w.Msg, "internal error") {
				bad++
				t.Logf("%s: %s", filepath.Base(f), w)
			}
		}
	}
	t.Logf("%d files, %d summaries, %d summary warnings", n, sums, bad)
}
