package bridge

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestBound checks that a bounded translator keeps only the most
// recently used packages and units, and still answers for the others by
// translating them again.
func TestBound(t *testing.T) {
	tr := NewTranslator()
	tr.Bound(2, 2)
	dir := t.TempDir()
	load := func(i int) *Package {
		path := filepath.Join(dir, fmt.Sprintf("p%d.go", i))
		src := fmt.Sprintf("package p\n\n// int f%d(void);\nimport \"C\"\n", i)
		return tr.Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	}
	for i := range 3 {
		if p := load(i); p.Funcs[fmt.Sprintf("f%d", i)] == nil {
			t.Fatalf("package %d: f%d not declared", i, i)
		}
	}
	tr.mu.Lock()
	packages, units := len(tr.packages), len(tr.units)
	tr.mu.Unlock()
	if packages != 2 || units != 2 {
		t.Errorf("the translator keeps %d packages and %d units, want 2 and 2", packages, units)
	}
	before := tr.Translations()
	load(2) // recently used: cached
	if n := tr.Translations(); n != before {
		t.Errorf("the most recent package was translated again")
	}
	load(0) // dropped: translated again
	if n := tr.Translations(); n != before+1 {
		t.Errorf("%d translations after loading a dropped package, want %d", n, before+1)
	}
}
