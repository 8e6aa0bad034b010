package bridge

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/testtool"
)

// targetCases are the records of testdata/target/types.h with the
// members whose offsets and sizes are compared.
var targetCases = []struct {
	name   string
	fields string
}{
	{"struct t_long", "c l i"},
	{"struct t_ll", "c ll d"},
	{"struct t_ptr", "c p n d"},
	{"struct t_fixed", "a b c d e"},
	{"struct t_intptr", "ip up c"},
	{"struct t_typedefs", "a b c d"},
	{"struct t_nested", "inner inner.l inner.i tail"},
	{"struct t_arr", "xs s"},
	{"union t_union", "l d c"},
	{"struct t_has_union", "c u"},
	{"struct t_wchar", "w c"},
	{"struct t_ld", "c ld"},
	{"struct t_enum", "c e"},
	{"struct t_fnptr", "c fn"},
	{"struct t_packed", "c l"},
	{"struct t_aligned", "c i"},
	{"struct t_bits", "c"},
}

// crossCompilers are the compilers that say what a target's layouts
// are without running anything: the values are read from the assembly.
var crossCompilers = []struct {
	goos, goarch string
	cc           []string
	pkg          string // the Debian package that installs cc
	// unknown lists the cases the bridge must refuse on the target.
	unknown []string
}{
	// gcc's own stdint.h (-ffreestanding) needs no 32-bit libc headers.
	{"linux", "386", []string{"gcc", "-m32", "-ffreestanding"}, "gcc", nil},
	{"windows", "amd64", []string{"x86_64-w64-mingw32-gcc"}, "gcc-mingw-w64-x86-64-posix", []string{"struct t_bits"}},
}

func TestLayoutForAgainstCompilers(t *testing.T) {
	defs, err := os.ReadFile(filepath.Join("testdata", "target", "types.h"))
	if err != nil {
		t.Fatal(err)
	}
	p := loadLayoutPackage(t, t.TempDir(), defs)
	for _, cc := range crossCompilers {
		t.Run(cc.goos+"_"+cc.goarch, func(t *testing.T) {
			testtool.Need(t, cc.cc[0], "apt-get install "+cc.pkg)
			want, ok := compiledLayouts(t, cc.cc, t.TempDir(), defs)
			if !ok {
				t.Skipf("%s cannot compile for the target", cc.cc[0])
			}
			for _, c := range targetCases {
				lay, ok := p.LayoutFor(c.name, cc.goos, cc.goarch)
				if !ok {
					t.Errorf("LayoutFor(%q) not found", c.name)
					continue
				}
				if contains(cc.unknown, c.name) {
					if lay.Size != -1 {
						t.Errorf("LayoutFor(%q) on %s/%s = %v, want unknown", c.name, cc.goos, cc.goarch, lay)
					}
					continue
				}
				w := want[c.name]
				var diffs []string
				if lay.Size != w.size || int64(lay.Align) != w.align {
					diffs = append(diffs, fmt.Sprintf("size %d align %d, compiler: size %d align %d", lay.Size, lay.Align, w.size, w.align))
				}
				for path := range strings.FieldsSeq(c.fields) {
					f, ok := lay.Field(path)
					g := w.fields[path]
					if !ok || f.Offset != g.off || f.Size != g.size {
						diffs = append(diffs, fmt.Sprintf("%s: offset %d size %d (found %v), compiler: offset %d size %d", path, f.Offset, f.Size, ok, g.off, g.size))
					}
				}
				if len(diffs) > 0 {
					t.Errorf("%s on %s/%s differs:\n\t%s\nbridge layout:\n%s", c.name, cc.goos, cc.goarch, strings.Join(diffs, "\n\t"), lay)
				}
			}
		})
	}
}

// TestLayoutForUnknown checks what LayoutFor refuses to guess: system
// typedefs whose definitions depend on the word size, records from
// system headers, and targets cc/v4 does not know.
func TestLayoutForUnknown(t *testing.T) {
	src := "#include <sys/types.h>\n#include <time.h>\nstruct uses_off { off_t off; int n; };\nstruct uses_tm { struct tm tm; };\nstruct mine { long l; };\n"
	p := loadLayoutPackage(t, t.TempDir(), []byte(src))
	for _, name := range []string{"struct uses_off", "struct uses_tm", "off_t", "struct tm"} {
		lay, ok := p.LayoutFor(name, "linux", "386")
		if !ok || lay.Size != -1 {
			t.Errorf("LayoutFor(%q, linux/386) = %v, %v; want unknown", name, lay, ok)
		}
		// The host's own answer stands for targets of the same model.
		host, _ := p.Layout(name)
		same, ok := p.LayoutFor(name, "linux", "arm64")
		if !ok || host.String() != same.String() {
			t.Errorf("LayoutFor(%q, linux/arm64) = %v, want the host's %v", name, same, host)
		}
	}
	if lay, ok := p.LayoutFor("struct mine", "linux", "386"); !ok || lay.Size != 4 {
		t.Errorf("LayoutFor(struct mine, linux/386) = %v, %v; want 4 bytes", lay, ok)
	}
	if lay, ok := p.LayoutFor("struct mine", "plan9", "mips"); ok {
		t.Errorf("LayoutFor on an unknown target = %v", lay)
	}
	if !SameCModel("linux", "amd64", "linux", "arm64") || SameCModel("linux", "amd64", "windows", "amd64") || SameCModel("linux", "amd64", "linux", "386") {
		t.Error("SameCModel disagrees with the data models")
	}
}

// compiledLayouts compiles a file of constants with the given compiler
// and reads their values from the assembly, so no target libc is needed.
func compiledLayouts(t *testing.T, cc []string, dir string, defs []byte) (map[string]*gccLayout, bool) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "types.h"), defs, 0o666); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("#include \"types.h\"\n")
	var keys []string
	emit := func(key, expr string) {
		fmt.Fprintf(&b, "const unsigned int v_%d = (unsigned int)(%s);\n", len(keys), expr)
		keys = append(keys, key)
	}
	for _, c := range targetCases {
		emit("type|"+c.name+"|size", "sizeof("+c.name+")")
		emit("type|"+c.name+"|align", "_Alignof("+c.name+")")
		for f := range strings.FieldsSeq(c.fields) {
			emit("field|"+c.name+"|"+f+"|off", fmt.Sprintf("offsetof(%s, %s)", c.name, f))
			emit("field|"+c.name+"|"+f+"|size", fmt.Sprintf("sizeof(((%s *)0)->%s)", c.name, f))
		}
	}
	src := filepath.Join(dir, "layouts.c")
	if err := os.WriteFile(src, []byte(b.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string(nil), cc[1:]...), "-w", "-S", "-o", "-", src)
	out, err := exec.Command(cc[0], args...).Output()
	if err != nil {
		return nil, false
	}
	values := map[int]int64{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	label := -1
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "v_"); ok && strings.HasSuffix(rest, ":") {
			n, err := strconv.Atoi(strings.TrimSuffix(rest, ":"))
			if err == nil {
				label = n
			}
			continue
		}
		if (strings.HasPrefix(line, ".zero") || strings.HasPrefix(line, ".space")) && label >= 0 {
			// A zero is emitted as zero-filled space.
			values[label] = 0
			label = -1
			continue
		}
		if v, ok := strings.CutPrefix(line, ".long"); ok && label >= 0 {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				t.Fatalf("bad value line %q", line)
			}
			values[label] = n
			label = -1
		}
	}
	want := map[string]*gccLayout{}
	for i, key := range keys {
		v, ok := values[i]
		if !ok {
			t.Fatalf("no value for %s in the assembly", key)
		}
		parts := strings.Split(key, "|")
		l := want[parts[1]]
		if l == nil {
			l = &gccLayout{fields: map[string]gccField{}}
			want[parts[1]] = l
		}
		switch {
		case parts[0] == "type" && parts[2] == "size":
			l.size = v
		case parts[0] == "type":
			l.align = v
		case parts[3] == "off":
			f := l.fields[parts[2]]
			f.off = v
			l.fields[parts[2]] = f
		default:
			f := l.fields[parts[2]]
			f.size = v
			l.fields[parts[2]] = f
		}
	}
	return want, true
}
