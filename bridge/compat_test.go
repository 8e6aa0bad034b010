package bridge

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writePkg returns the paths and contents of .go files in a new directory.
func writePkg(t *testing.T, files map[string]string) ([]string, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	srcs := map[string][]byte{}
	for name, text := range files {
		path := filepath.Join(dir, name)
		paths = append(paths, path)
		srcs[path] = []byte(text)
	}
	return paths, srcs
}

// onGlibcAMD64 skips tests that read the headers of gcc and glibc for
// x86-64.
func onGlibcAMD64(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("needs gcc and glibc headers for linux/amd64")
	}
}

// gcc's <immintrin.h> names _Float16 and __bf16, which cc/v4 does not
// know on linux/amd64 by itself, and glibc's <complex.h> under
// _GNU_SOURCE names _Complex _Float32, which it does not know anywhere.
func TestLoadIntrinsicsHeader(t *testing.T) {
	onGlibcAMD64(t)
	paths, srcs := writePkg(t, map[string]string{"p.go": `package p

/*
#define _GNU_SOURCE
#include <immintrin.h>
#include <x86intrin.h>
#include <complex.h>
#include <math.h>
#include <tgmath.h>
#include <stdatomic.h>
#include <threads.h>
static int lanes(void) { return 4; }
*/
import "C"
`})
	p := load(t, &Request{GoFiles: paths, Sources: srcs, GOOS: "linux", GOARCH: "amd64"})
	noWarnings(t, p)
	wantFunc(t, p, "lanes", "p.go", 12)
	for _, name := range []string{"_mm_setzero_si128", "__rdtsc", "cabs", "cabsf32", "sqrt", "atomic_thread_fence", "thrd_create"} {
		if p.Func(name) == nil {
			t.Errorf("%s not found", name)
		}
	}
}

// A system header cc/v4 cannot read is left out: the rest of the unit
// is still known, and the package gets one warning naming the header and
// line, however many of its files include it. On linux/386, glibc's
// <complex.h> declares functions of _Complex _Float128, which has no
// standard type of the same layout there.
func TestLoadLeavesOutUnreadableHeader(t *testing.T) {
	onGlibcAMD64(t)
	file := func(fn string) string {
		return "package p\n\n/*\n#define _GNU_SOURCE\n#include <complex.h>\n#include <stdlib.h>\nstatic int " + fn + "(void) { return 1; }\n*/\nimport \"C\"\n"
	}
	paths, srcs := writePkg(t, map[string]string{"a.go": file("from_a"), "b.go": file("from_b")})
	p := load(t, &Request{GoFiles: paths, Sources: srcs, GOOS: "linux", GOARCH: "386"})
	if len(p.Warnings) != 1 {
		t.Fatalf("got %d warnings, want 1: %v", len(p.Warnings), p.Warnings)
	}
	w := p.Warnings[0]
	if filepath.Base(w.Pos.Filename) != "cmathcalls.h" || w.Pos.Line == 0 || !strings.Contains(w.Msg, "left out") {
		t.Errorf("warning = %v, want one at a line of cmathcalls.h saying it was left out", w)
	}
	wantFunc(t, p, "from_a", "a.go", 7)
	wantFunc(t, p, "from_b", "b.go", 7)
	if p.Func("malloc") == nil {
		t.Error("malloc from <stdlib.h> not found")
	}
	for _, u := range p.Units {
		if len(u.LeftOut) != 1 || filepath.Base(u.LeftOut[0]) != "cmathcalls.h" {
			t.Errorf("%s: LeftOut = %q, want cmathcalls.h", u.Name, u.LeftOut)
		}
	}
}

// A header of the package's own that cc/v4 cannot read is not left out:
// its declarations are what the checks need, and the warning says that
// the file's C is not understood.
func TestLoadKeepsUnreadableOwnHeader(t *testing.T) {
	onGlibcAMD64(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.h"), []byte("typedef _Complex _Float128 cf128;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n// #include \"bad.h\"\n// int f(void);\nimport \"C\"\n"
	p := load(t, &Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}, GOOS: "linux", GOARCH: "386"})
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0].Msg, "C not understood") {
		t.Errorf("warnings = %v, want one saying the C is not understood", p.Warnings)
	}
	if len(p.Units) != 1 || len(p.Units[0].LeftOut) != 0 {
		t.Errorf("units = %v, want one that left nothing out", p.Units)
	}
}
