package cgosig_test

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/checktest"
	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/internal/testtool"
	"github.com/ffivet/ffivet/passes/cgosig"
)

// verdictCases are mirror structs of the corpus with the C struct they
// are converted to or from, the function that converts them, and which
// Go field stands for which C member.
var verdictCases = []struct {
	fn, goType, cType, pairs string
	hostOnly                 bool // Go fields of C types: go/types sees the host's
}{
	{"rectArea", "Rect", "struct rect", "X=x Y=y W=w H=h", false},
	{"sampleID", "Sample", "struct sample", "ID=id Kind=kind Value=value", false},
	{"headerLength", "Header", "struct header", "Magic=magic Version=version Flags=flags Length=length", false},
	{"paddedValue", "Padded", "struct padded", "Tag=tag Value=value", false},
	{"nameLen", "Named", "struct with_ptr", "Name=name Len=len", false},
	{"taggedKind", "Tagged", "struct tagged", "Kind=kind N=n", false},
	{"size2DArea", "Size2D", "size2d", "W=w H=h", false},
	{"pointDistance", "Point", "struct point", "X=x Y=y", false},
	{"flaggedValue", "Flagged", "struct flagged", "Tag=tag Value=value", false},
	{"tagged32Kind", "Tagged32", "struct tagged32", "Kind=kind V=v", false},
	{"vecLen2", "Vec3", "struct vec3", "X=x Y=y Z=z", false},
	{"spanID", "Span", "struct span", "Start=start End=end ID=id", false},
	{"headerLengthOK", "HeaderOK", "struct header", "Magic=magic Version=version Flags=flags Length=length", false},
	{"entryValue", "Entry", "struct entry", "Key=key Value=value", false},
	{"paddedValue64", "PaddedOK", "struct padded", "Tag=tag Value=value", false},
	{"taggedKindUnion", "TaggedUnion", "struct tagged", "Kind=kind N=n", false},
	{"nameLen64", "Named64", "struct with_ptr", "Name=name Len=len", false},
	{"packetVersion", "Packet", "struct packet", "Hdr=hdr Payload=payload", false},
	{"statsTotal", "Stats", "struct stats", "Count=count Total=total", true},
	{"entryValueOK", "EntryOK", "struct entry", "Key=key Value=value", true},
}

// TestVerdictAgainstGCC checks, for every mirror struct of the corpus,
// that cgosig reports the conversion exactly when gcc's sizeof and
// offsetof disagree with go/types' layout of the Go struct: on the host
// (linux/amd64) and on linux/386.
func TestVerdictAgainstGCC(t *testing.T) {
	testtool.Need(t, "gcc", "apt-get install gcc")
	td := checktest.Testdata(t)
	dir := filepath.Join(td, "src", "cgosig")
	env := append(os.Environ(), "GOPATH="+td, "GO111MODULE=off", "GOPROXY=off", "GOWORK=off")
	pkgs, err := rawcgo.Load(filepath.Join(td, "src"), env, "cgosig")
	if err != nil {
		t.Fatal(err)
	}
	pkg := pkgs[len(pkgs)-1]
	diags, err := rawcgo.Run(pkgs, cgosig.Analyzer)
	if err != nil {
		t.Fatal(err)
	}
	// The diagnostics of each function, by its name.
	byFunc := map[string][]string{}
	for _, f := range pkg.Files {
		for _, d := range f.Decls {
			obj := pkg.Info.Defs[declName(d)]
			if obj == nil {
				continue
			}
			for _, dg := range diags[pkg] {
				if d.Pos() <= dg.Pos && dg.Pos < d.End() {
					byFunc[obj.Name()] = append(byFunc[obj.Name()], dg.Message)
				}
			}
		}
	}

	for _, tg := range []struct {
		goarch string
		cc     []string
	}{
		{"amd64", []string{"gcc"}},
		{"386", []string{"gcc", "-m32", "-ffreestanding"}},
	} {
		cl, ok := cLayouts(t, tg.cc, dir)
		if !ok {
			t.Logf("%v cannot compile for %s; skipped", tg.cc, tg.goarch)
			continue
		}
		sizes := types.SizesFor("gc", tg.goarch)
		checked := 0
		for _, c := range verdictCases {
			if c.hostOnly && tg.goarch != "amd64" {
				continue
			}
			obj := pkg.Types.Scope().Lookup(c.goType)
			if obj == nil {
				t.Fatalf("no type %s in the corpus", c.goType)
			}
			st := obj.Type().Underlying().(*types.Struct)
			var fields []*types.Var
			for field := range st.Fields() {
				fields = append(fields, field)
			}
			offs := sizes.Offsetsof(fields)
			goOff := map[string][2]int64{}
			for i, f := range fields {
				goOff[f.Name()] = [2]int64{offs[i], sizes.Sizeof(f.Type())}
			}
			w := cl[c.cType]
			differ := sizes.Sizeof(st) != w.size
			var why []string
			if differ {
				why = append(why, fmt.Sprintf("size Go %d, gcc %d", sizes.Sizeof(st), w.size))
			}
			for pair := range strings.FieldsSeq(c.pairs) {
				gf, cf, _ := strings.Cut(pair, "=")
				if goOff[gf] != w.fields[cf] {
					differ = true
					why = append(why, fmt.Sprintf("%s Go %v, gcc %v", pair, goOff[gf], w.fields[cf]))
				}
			}
			msgs := byFunc[c.fn]
			reported := false
			for _, m := range msgs {
				if tg.goarch == "amd64" && !strings.HasPrefix(m, "on ") ||
					tg.goarch == "386" && strings.HasPrefix(m, "on ") && strings.Contains(strings.SplitN(m, ":", 2)[0], "linux/386") {
					reported = true
				}
			}
			if tg.goarch == "386" && !reported && hostFinding(msgs) {
				// A finding on the host says nothing about 386.
				continue
			}
			checked++
			if reported != differ {
				t.Errorf("%s/%s: %s as %s: gcc and go/types say differ=%v %v; cgosig reported %v: %q", "linux", tg.goarch, c.goType, c.cType, differ, why, reported, msgs)
			}
		}
		if checked < 10 {
			t.Errorf("linux/%s: only %d structs compared", tg.goarch, checked)
		}
	}
}

func hostFinding(msgs []string) bool {
	for _, m := range msgs {
		if !strings.HasPrefix(m, "on ") {
			return true
		}
	}
	return false
}

// cLayouts compiles cside.h's records with the given compiler and reads
// sizeof and offsetof of every member named in verdictCases from the
// assembly.
func cLayouts(t *testing.T, cc []string, dir string) (map[string]*cLayout, bool) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "#include %q\n", filepath.Join(dir, "cside.h"))
	var keys [][3]string
	emit := func(typ, field, what, expr string) {
		fmt.Fprintf(&b, "const unsigned int v_%d = (unsigned int)(%s);\n", len(keys), expr)
		keys = append(keys, [3]string{typ, field, what})
	}
	seen := map[string]bool{}
	for _, c := range verdictCases {
		if seen[c.cType] {
			continue
		}
		seen[c.cType] = true
		emit(c.cType, "", "size", "sizeof("+c.cType+")")
		for pair := range strings.FieldsSeq(c.pairs) {
			_, f, _ := strings.Cut(pair, "=")
			emit(c.cType, f, "off", fmt.Sprintf("offsetof(%s, %s)", c.cType, f))
			emit(c.cType, f, "size", fmt.Sprintf("sizeof(((%s *)0)->%s)", c.cType, f))
		}
	}
	tmp := t.TempDir()
	src := filepath.Join(tmp, "layouts.c")
	if err := os.WriteFile(src, []byte(b.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string(nil), cc[1:]...), "-w", "-S", "-o", "-", src)
	out, err := exec.Command(cc[0], args...).Output()
	if err != nil {
		return nil, false
	}
	values := map[int]int64{}
	label := -1
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "v_"); ok && strings.HasSuffix(rest, ":") {
			if n, err := strconv.Atoi(strings.TrimSuffix(rest, ":")); err == nil {
				label = n
			}
			continue
		}
		if label < 0 {
			continue
		}
		switch {
		case strings.HasPrefix(line, ".zero"), strings.HasPrefix(line, ".space"):
			values[label] = 0
		case strings.HasPrefix(line, ".long"):
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, ".long")), 10, 64)
			if err != nil {
				t.Fatalf("bad value line %q", line)
			}
			values[label] = n
		default:
			continue
		}
		label = -1
	}
	out2 := map[string]*cLayout{}
	for i, k := range keys {
		v, ok := values[i]
		if !ok {
			t.Fatalf("no value for %v", k)
		}
		l := out2[k[0]]
		if l == nil {
			l = &cLayout{fields: map[string][2]int64{}}
			out2[k[0]] = l
		}
		switch {
		case k[1] == "":
			l.size = v
		case k[2] == "off":
			f := l.fields[k[1]]
			f[0] = v
			l.fields[k[1]] = f
		default:
			f := l.fields[k[1]]
			f[1] = v
			l.fields[k[1]] = f
		}
	}
	return out2, true
}

type cLayout struct {
	size   int64
	fields map[string][2]int64 // offset, size
}

func declName(d ast.Decl) *ast.Ident {
	if fd, ok := d.(*ast.FuncDecl); ok {
		return fd.Name
	}
	return nil
}
