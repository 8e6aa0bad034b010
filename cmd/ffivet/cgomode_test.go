package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/passes"
)

// cgoModePackages are the test corpora on which -cgo=types and -cgo=run
// report the same findings, compared by file, line, column and message
// (modeFindings). cgopointerglobal uses C variables, which go/ssa cannot
// build in the raw shape: -cgo=types checks it in the files go tool cgo
// writes, and says so.
var cgoModePackages = []string{
	"../../testdata/src/cgoallochelper",
	"../../testdata/src/cgoallocpaths",
	"../../testdata/src/cgoallocsimd",
	"../../testdata/src/cgoerrno",
	"../../testdata/src/cgoerrnoconv",
	"../../testdata/src/cgohandle",
	"../../testdata/src/cgohandlenodelete",
	"../../testdata/src/cgonarrow",
	"../../testdata/src/cgopointer",
	"../../testdata/src/cgopointerctx",
	"../../testdata/src/cgopointerglobal",
	"../../testdata/src/cgopointerslice",
	"../../testdata/src/cgounsafe",
	"../../testdata/src/demo",
	"../../testdata/src/modelevents",
	"./testdata/cgopkg",
	"./testdata/cgofree",
	"./testdata/clean",
}

// TestCgoModesAgree checks that loading cgo packages against the C
// declarations the bridge writes finds what loading them as go build
// does finds, line for line, and that the bridge's declarations serve
// every one of these packages without cgo's type pass.
func TestCgoModesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cgo and gcc")
	}
	check := func(mode string) []string {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"-cgo=" + mode}, cgoModePackages...), passes.All(), &stdout, &stderr)
		if code != exitFindings {
			t.Fatalf("-cgo=%s: exit %d, want %d\n%s", mode, code, exitFindings, stderr.String())
		}
		if strings.Contains(stderr.String(), "ran cgo's type pass") {
			t.Errorf("-cgo=%s: the bridge's declarations were not used:\n%s", mode, stderr.String())
		}
		processed := "cgopointerglobal/global.go:25: C.current_request: a C variable used from Go, which SSA cannot be built for in the type checker's cgo mode; checked in the files go tool cgo writes instead"
		if n := strings.Count(stderr.String(), processed); mode == "types" && n != 1 {
			t.Errorf("-cgo=types: said %d times that cgopointerglobal is checked in cgo's files, want once:\n%s", n, stderr.String())
		}
		return modeFindings(stdout.String())
	}
	types, built := check("types"), check("run")
	if len(built) == 0 {
		t.Fatal("no findings")
	}
	if !slices.Equal(types, built) {
		t.Errorf("-cgo=types found:\n%s\n-cgo=run found:\n%s", strings.Join(types, "\n"), strings.Join(built, "\n"))
	}
}

// TestCgoTypesAllPackages checks ./... with -cgo=types: the packages
// cgo's declarations import are loaded without becoming packages to
// check, and only the broken package is reported as such.
func TestCgoTypesAllPackages(t *testing.T) {
	newModule(t)
	_, stdout, stderr := ffivet(t, "-cgo=types", "./...")
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.Contains(line, "fftest/broken") {
			t.Errorf("unexpected error: %s", line)
		}
	}
	if !strings.Contains(stdout, "cgopkg/cgopkg.go:13:6: [exportedfunc]") {
		t.Errorf("no finding in cgopkg:\n%s", stdout)
	}
	if strings.Contains(stdout, "syscall") || strings.Contains(stdout, "runtime/cgo") {
		t.Errorf("findings outside the module:\n%s", stdout)
	}
}

// modeFindings extracts "file:line:column: message" from text output,
// sorted. The column of cgoerrno's findings is left out: they point at
// the test of err, after the call on the same line, and cgo's //line
// comments do not map columns after a call it rewrote, so cgo's output
// places them a few columns off.
func modeFindings(out string) []string {
	var list []string
	for line := range strings.SplitSeq(out, "\n") {
		m := modeFinding.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		col := ":" + m[3]
		if m[4] == "cgoerrno" {
			col = ""
		}
		list = append(list, filepath.Base(m[1])+":"+m[2]+col+": ["+m[4]+"] "+m[5])
	}
	slices.Sort(list)
	return list
}

var modeFinding = regexp.MustCompile(`^([^\s:]+\.go):(\d+):(\d+): \[(\w+)\] (\S.*)$`)
