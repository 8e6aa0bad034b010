package bridge_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ffivet/ffivet/bridge"
)

// TestConstantMacros checks that the values of a preamble's constant
// macros, and of the headers it includes, are known.
func TestConstantMacros(t *testing.T) {
	dir := t.TempDir()
	src := "package x\n\n/*\n#include <stdlib.h>\n#define SIZE 42\n#define NAME \"x\"\n#define EXPR (SIZE*2)\n#define SZ sizeof(long)\n*/\nimport \"C\"\n"
	f := filepath.Join(dir, "x.go")
	if err := os.WriteFile(f, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	p := bridge.NewTranslator().Load(&bridge.Request{GoFiles: []string{f}})
	for name, want := range map[string]string{"SIZE": "42", "EXPR": "84", "EXIT_FAILURE": "1", "SZ": "8", "NAME": "x\x00"} {
		m := p.Macros[name]
		if m == nil || m.Value == nil {
			t.Errorf("macro %s: no value", name)
			continue
		}
		if fmt.Sprint(m.Value) != want { // a C string's value keeps its NUL
			t.Errorf("macro %s = %v, want %s", name, m.Value, want)
		}
	}
}
