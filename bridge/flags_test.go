package bridge

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/testtool"
)

// preambleWith returns the preamble of a file whose comment holds lines.
func preambleWith(t *testing.T, file string, lines ...string) *Preamble {
	t.Helper()
	src := "package p\n\n/*\n" + strings.Join(lines, "\n") + "\n*/\nimport \"C\"\n"
	p, errs := ReadPreamble(file, []byte(src))
	if len(errs) > 0 || p == nil {
		t.Fatalf("ReadPreamble: %v, %v", p, errs)
	}
	return p
}

func TestFlagsFor(t *testing.T) {
	srcdir := "/src/pkg"
	p := preambleWith(t, "/src/pkg/a.go",
		"#cgo CFLAGS: -I${SRCDIR}/include -Irel -I /abs/dir -I sep/rel -isystem sys -isystemjoined",
		"#cgo CPPFLAGS: -DA -D B=2 -DMSG=\"a b\" -UC -U D -std=c11 -O2 -Wall -g",
		"#cgo CXXFLAGS: -DCXX_ONLY",
		"#cgo LDFLAGS: -L${SRCDIR}/lib -lfoo",
		"#cgo noescape fast",
		"#cgo nocallback quick",
	)
	f := FlagsFor([]*Preamble{p}, srcdir, "linux", "amd64", nil)
	wantDirs := []string{"/src/pkg/include", "/src/pkg/rel", "/abs/dir", "/src/pkg/sep/rel", "/src/pkg/sys", "/src/pkg/joined"}
	if !reflect.DeepEqual(f.IncludeDirs, wantDirs) {
		t.Errorf("IncludeDirs = %q, want %q", f.IncludeDirs, wantDirs)
	}
	if want := []string{"A", "B=2", "MSG=a b"}; !reflect.DeepEqual(f.Defines, want) {
		t.Errorf("Defines = %q, want %q", f.Defines, want)
	}
	if want := []string{"C", "D"}; !reflect.DeepEqual(f.Undefines, want) {
		t.Errorf("Undefines = %q, want %q", f.Undefines, want)
	}
	if f.Std != "-std=c11" {
		t.Errorf("Std = %q, want -std=c11", f.Std)
	}
	if !reflect.DeepEqual(f.NoEscape, []string{"fast"}) || !reflect.DeepEqual(f.NoCallback, []string{"quick"}) {
		t.Errorf("NoEscape = %q, NoCallback = %q", f.NoEscape, f.NoCallback)
	}
	if len(f.Warnings) > 0 {
		t.Errorf("unexpected warnings: %q", f.Warnings)
	}
}

func TestFlagsStdForms(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"#cgo CFLAGS: -std=gnu99", "-std=gnu99"},
		{"#cgo CFLAGS: --std=c17", "-std=c17"},
		{"#cgo CFLAGS: --std c89", "-std=c89"},
		{"#cgo CFLAGS: -std=c99 -std=c11", "-std=c11"}, // the last one wins, as in gcc
	} {
		f := FlagsFor([]*Preamble{preambleWith(t, "a.go", tt.line)}, "/d", "linux", "amd64", nil)
		if f.Std != tt.want {
			t.Errorf("%s: Std = %q, want %q", tt.line, f.Std, tt.want)
		}
	}
}

func TestFlagsConstraints(t *testing.T) {
	p := preambleWith(t, "a.go",
		"#cgo CFLAGS: -DALL",
		"#cgo linux CFLAGS: -DLINUX",
		"#cgo linux,amd64 CFLAGS: -DLINUX_AMD64",
		"#cgo !windows CFLAGS: -DNOT_WINDOWS",
		"#cgo windows darwin CFLAGS: -DWIN_OR_MAC",
		"#cgo arm64 CFLAGS: -DARM64",
		"#cgo mytag CFLAGS: -DMYTAG",
		"#cgo !cgo CFLAGS: -DNO_CGO",
	)
	tests := []struct {
		goos, goarch string
		tags         map[string]bool
		want         []string
	}{
		{"linux", "amd64", map[string]bool{"cgo": true}, []string{"ALL", "LINUX", "LINUX_AMD64", "NOT_WINDOWS"}},
		{"linux", "arm64", map[string]bool{"cgo": true}, []string{"ALL", "LINUX", "NOT_WINDOWS", "ARM64"}},
		{"windows", "amd64", map[string]bool{"cgo": true}, []string{"ALL", "WIN_OR_MAC"}},
		{"darwin", "arm64", map[string]bool{"cgo": true, "mytag": true}, []string{"ALL", "NOT_WINDOWS", "WIN_OR_MAC", "ARM64", "MYTAG"}},
		{"freebsd", "386", nil, []string{"ALL", "NOT_WINDOWS", "NO_CGO"}},
	}
	for _, tt := range tests {
		f := FlagsFor([]*Preamble{p}, "/d", tt.goos, tt.goarch, tt.tags)
		if !reflect.DeepEqual(f.Defines, tt.want) {
			t.Errorf("%s/%s %v: Defines = %q, want %q", tt.goos, tt.goarch, tt.tags, f.Defines, tt.want)
		}
	}
}

// Flags of several files are merged, in file order, as cgo does.
func TestFlagsMergedAcrossFiles(t *testing.T) {
	a := preambleWith(t, "/d/a.go", "#cgo CFLAGS: -DFROM_A -Iinc_a")
	b := preambleWith(t, "/d/b.go", "#cgo CFLAGS: -DFROM_B -Iinc_b")
	f := FlagsFor([]*Preamble{a, b}, "/d", "linux", "amd64", nil)
	if want := []string{"FROM_A", "FROM_B"}; !reflect.DeepEqual(f.Defines, want) {
		t.Errorf("Defines = %q, want %q", f.Defines, want)
	}
	if want := []string{"/d/inc_a", "/d/inc_b"}; !reflect.DeepEqual(f.IncludeDirs, want) {
		t.Errorf("IncludeDirs = %q, want %q", f.IncludeDirs, want)
	}
}

// gcc applies -D and -U in command-line order.
func TestFlagsDefineOrder(t *testing.T) {
	f := FlagsFor([]*Preamble{preambleWith(t, "a.go", "#cgo CFLAGS: -DX -UX -UY -DY=2 -DF(a)=a+1")}, "/d", "linux", "amd64", nil)
	got := f.defines()
	want := "\n#define X 1\n#undef X\n#undef Y\n#define Y 2\n#define F(a) a+1\n"
	if got != want {
		t.Errorf("defines() = %q, want %q", got, want)
	}
	// Flags built by hand still render.
	hand := &Flags{Defines: []string{"A=1"}, Undefines: []string{"B"}}
	if got, want := hand.defines(), "\n#define A 1\n#undef B\n"; got != want {
		t.Errorf("defines() of hand-built flags = %q, want %q", got, want)
	}
}

// A flag that would make the generated #define invalid is dropped with a
// warning naming the file and line, rather than spoiling every unit.
func TestFlagsBadMacros(t *testing.T) {
	p := preambleWith(t, "/d/a.go", "#cgo CFLAGS: -D=1 -D1X -DGOOD -U'a b' -U", "#cgo CFLAGS: -I")
	f := FlagsFor([]*Preamble{p}, "/d", "linux", "amd64", nil)
	if !reflect.DeepEqual(f.Defines, []string{"GOOD"}) || len(f.Undefines) != 0 {
		t.Errorf("Defines = %q, Undefines = %q; want only GOOD", f.Defines, f.Undefines)
	}
	if len(f.Warnings) != 5 {
		t.Fatalf("got %d warnings, want 5: %q", len(f.Warnings), f.Warnings)
	}
	for _, w := range f.Warnings[:4] {
		if !strings.HasPrefix(w, "/d/a.go:4: ") {
			t.Errorf("warning %q does not name /d/a.go:4", w)
		}
	}
	if w := f.Warnings[4]; !strings.HasPrefix(w, "/d/a.go:5: ") || !strings.Contains(w, "-I is missing its argument") {
		t.Errorf("warning %q", w)
	}
}

func TestFlagsKey(t *testing.T) {
	keys := map[string]string{}
	for _, line := range []string{
		"#cgo CFLAGS: -DX",
		"#cgo CFLAGS: -UX",
		"#cgo CFLAGS: -DX -UY",
		"#cgo CFLAGS: -UY -DX",
		"#cgo CFLAGS: -I/x",
		"#cgo CFLAGS: -std=c99",
		"#cgo noescape x",
		"#cgo nocallback x",
	} {
		k := FlagsFor([]*Preamble{preambleWith(t, "a.go", line)}, "/d", "linux", "amd64", nil).Key()
		if other, ok := keys[k]; ok {
			t.Errorf("%q and %q have the same key", line, other)
		}
		keys[k] = line
	}
}

// writePC writes a pkg-config file for a fake library and points
// PKG_CONFIG_PATH at it.
func writePC(t *testing.T, name, cflags string) {
	t.Helper()
	dir := t.TempDir()
	pc := "prefix=" + dir + "\nName: " + name + "\nDescription: a library for tests\nVersion: 1.0\nCflags: " + cflags + "\n"
	if err := os.WriteFile(filepath.Join(dir, name+".pc"), []byte(pc), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PKG_CONFIG_PATH", dir)
	t.Setenv("PKG_CONFIG_LIBDIR", dir) // keep the host's packages out
	t.Setenv("PKG_CONFIG", "")
}

func needPkgConfig(t *testing.T) {
	t.Helper()
	testtool.Need(t, "pkg-config", "apt-get install pkg-config")
}

func TestFlagsPkgConfig(t *testing.T) {
	needPkgConfig(t)
	writePC(t, "ffivetfake", `-I${prefix}/include/fake -DFAKE_LIB=2 -I"${prefix}/with space"`)
	p := preambleWith(t, "/d/a.go", "#cgo pkg-config: ffivetfake")
	f := FlagsFor([]*Preamble{p}, "/d", "linux", "amd64", nil)
	if len(f.Warnings) > 0 {
		t.Fatalf("warnings: %q", f.Warnings)
	}
	dir := os.Getenv("PKG_CONFIG_PATH")
	if want := []string{dir + "/include/fake", dir + "/with space"}; !reflect.DeepEqual(f.IncludeDirs, want) {
		t.Errorf("IncludeDirs = %q, want %q", f.IncludeDirs, want)
	}
	if want := []string{"FAKE_LIB=2"}; !reflect.DeepEqual(f.Defines, want) {
		t.Errorf("Defines = %q, want %q", f.Defines, want)
	}
}

func TestFlagsPkgConfigUnknown(t *testing.T) {
	needPkgConfig(t)
	writePC(t, "ffivetfake", "-DFAKE_LIB=2")
	p := preambleWith(t, "/d/a.go", "#cgo pkg-config: ffivet-no-such-lib ffivetfake")
	f := FlagsFor([]*Preamble{p}, "/d", "linux", "amd64", nil)
	if len(f.Warnings) != 1 {
		t.Fatalf("got %d warnings, want 1: %q", len(f.Warnings), f.Warnings)
	}
	w := f.Warnings[0]
	t.Log(w)
	for _, want := range []string{"/d/a.go:4:", "pkg-config", "ffivet-no-such-lib", "not found", "unknown"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not mention %q", w, want)
		}
	}
	// The package pkg-config knows still counts.
	if want := []string{"FAKE_LIB=2"}; !reflect.DeepEqual(f.Defines, want) {
		t.Errorf("Defines = %q, want %q", f.Defines, want)
	}
}

func TestFlagsPkgConfigNotInstalled(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("PKG_CONFIG", "")
	p := preambleWith(t, "/d/a.go", "#cgo CFLAGS: -DSTILL_READ", "#cgo pkg-config: libfoo")
	f := FlagsFor([]*Preamble{p}, "/d", "linux", "amd64", nil)
	if len(f.Warnings) != 1 {
		t.Fatalf("got %d warnings, want 1: %q", len(f.Warnings), f.Warnings)
	}
	w := f.Warnings[0]
	t.Log(w)
	for _, want := range []string{"/d/a.go:5:", "libfoo", "pkg-config is not installed"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not mention %q", w, want)
		}
	}
	if !reflect.DeepEqual(f.Defines, []string{"STILL_READ"}) {
		t.Errorf("Defines = %q", f.Defines)
	}
}

// $CGO_CFLAGS and $CGO_CPPFLAGS count as cgo counts them: before the
// package's own flags, which can undo them.
func TestLoadEnvironmentFlags(t *testing.T) {
	inc := t.TempDir()
	if err := os.WriteFile(filepath.Join(inc, "envhdr.h"), []byte("int from_env_header(void);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CGO_CFLAGS", "-O2 -g -DFROM_ENV -I"+inc)
	t.Setenv("CGO_CPPFLAGS", "-D LEVEL=2 -DUNDONE")
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	src := `package p

// #cgo CFLAGS: -UUNDONE
// #include <envhdr.h>
// #if FROM_ENV && LEVEL == 2
// int env_defined(void);
// #endif
// #ifdef UNDONE
// int not_undone(void);
// #endif
import "C"
`
	tr := NewTranslator()
	p := tr.Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	noWarnings(t, p)
	wantFunc(t, p, "from_env_header", "envhdr.h", 1)
	wantFunc(t, p, "env_defined", "p.go", 6)
	wantNoFunc(t, p, "not_undone")

	// Other flags in the environment are another package: the cache must
	// not answer for them.
	t.Setenv("CGO_CFLAGS", "")
	p = tr.Load(&Request{GoFiles: []string{path}, Sources: map[string][]byte{path: []byte(src)}})
	wantNoFunc(t, p, "env_defined", "from_env_header")
}

// A variable the environment does not set comes from the go env file, as
// with `go env`.
func TestFlagsFromGoEnvFile(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "env")
	if err := os.WriteFile(envFile, []byte("GOFLAGS=-mod=mod\nCGO_CFLAGS=-DOLD\nCGO_CFLAGS=\"-DFROM_FILE -DQUOTED='a b'\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOENV", envFile)
	t.Setenv("CGO_CFLAGS", "")
	t.Setenv("CGO_CPPFLAGS", "")
	os.Unsetenv("CGO_CFLAGS")
	f := FlagsFor([]*Preamble{preambleWith(t, "a.go", "#cgo CFLAGS: -DOWN")}, "/d", "linux", "amd64", nil)
	if want := []string{"FROM_FILE", "QUOTED=a b", "OWN"}; !reflect.DeepEqual(f.Defines, want) {
		t.Errorf("Defines = %q, want %q", f.Defines, want)
	}

	t.Setenv("GOENV", "off")
	f = FlagsFor([]*Preamble{preambleWith(t, "a.go", "#cgo CFLAGS: -DOWN")}, "/d", "linux", "amd64", nil)
	if want := []string{"OWN"}; !reflect.DeepEqual(f.Defines, want) {
		t.Errorf("with GOENV=off, Defines = %q, want %q", f.Defines, want)
	}
}
