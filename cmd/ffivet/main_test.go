package main

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// cstringFree is a test check: it reports every C.CString whose result
// is assigned to a variable and not followed by a defer statement, and
// suggests freeing it before the next statement. In the cgo-processed
// syntax a call of C.CString is a call of (_Cfunc_CString).
var cstringFree = &analysis.Analyzer{
	Name: "cstringfree",
	Doc:  "report C.CString results\n\nA test check that reports every C.CString assigned to a variable.",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, file := range pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				block, ok := n.(*ast.BlockStmt)
				if !ok {
					return true
				}
				for i, stmt := range block.List {
					assign, ok := stmt.(*ast.AssignStmt)
					if !ok || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
						continue
					}
					call, ok := assign.Rhs[0].(*ast.CallExpr)
					id, isIdent := assign.Lhs[0].(*ast.Ident)
					if !ok || !isIdent || !isCgoFunc(call.Fun, "CString") {
						continue
					}
					if i+1 < len(block.List) {
						if _, ok := block.List[i+1].(*ast.DeferStmt); ok {
							continue
						}
					}
					diag := analysis.Diagnostic{
						Pos:      call.Pos(),
						End:      call.End(),
						Category: "leak",
						Message:  "memory from C.CString is not freed",
						Related:  []analysis.RelatedInformation{{Pos: block.Rbrace, Message: "the block ends here"}},
					}
					if i+1 < len(block.List) {
						next := block.List[i+1].Pos()
						diag.SuggestedFixes = []analysis.SuggestedFix{{
							Message:   "free " + id.Name,
							TextEdits: []analysis.TextEdit{{Pos: next, End: next, NewText: []byte("defer C.free(unsafe.Pointer(" + id.Name + "))\n\t")}},
						}}
					}
					pass.Report(diag)
				}
				return true
			})
		}
		return nil, nil
	},
}

func isCgoFunc(fun ast.Expr, name string) bool {
	if p, ok := fun.(*ast.ParenExpr); ok {
		fun = p.X
	}
	switch x := fun.(type) {
	case *ast.Ident: // cgo's output
		return x.Name == "_Cfunc_"+name
	case *ast.SelectorExpr: // the user's file, with -cgo=types
		pkg, ok := x.X.(*ast.Ident)
		return ok && pkg.Name == "C" && x.Sel.Name == name
	}
	return false
}

// exportedFunc is a second test check, to tell which checks ran.
var exportedFunc = &analysis.Analyzer{
	Name: "exportedfunc",
	Doc:  "report exported functions",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, file := range pass.Files {
			for _, decl := range file.Decls {
				if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.IsExported() {
					pass.Reportf(fn.Name.Pos(), "exported function %s", fn.Name.Name)
				}
			}
		}
		return nil, nil
	},
}

var testAnalyzers = []*analysis.Analyzer{cstringFree, exportedFunc}

// repoGOFLAGS is GOFLAGS as the test started, for building ffivet in its
// own module.
var repoGOFLAGS string

func TestMain(m *testing.M) {
	// The test modules have their own go.mod: a -modfile in GOFLAGS
	// names the go.mod of this repository, not theirs.
	repoGOFLAGS = os.Getenv("GOFLAGS")
	var kept []string
	for f := range strings.FieldsSeq(repoGOFLAGS) {
		if !strings.HasPrefix(f, "-modfile") && !strings.HasPrefix(f, "--modfile") {
			kept = append(kept, f)
		}
	}
	os.Setenv("GOFLAGS", strings.Join(kept, " "))
	// Tests that use the result cache turn it on in a directory of
	// their own.
	os.Setenv(CacheEnv, "off")
	os.Exit(m.Run())
}

// newModule copies testdata into a new module in a temporary directory,
// makes that the current directory, and returns it.
func newModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		// testdata/sarif holds the SARIF validators' npm packages.
		if !e.IsDir() || e.Name() == "sarif" {
			continue
		}
		if err := os.CopyFS(filepath.Join(dir, e.Name()), os.DirFS(filepath.Join("testdata", e.Name()))); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/fftest\n\ngo 1.26\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	// The temporary directory may be reached through a symbolic
	// link; the go command reports the resolved paths.
	dir, err = filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

// ffivet runs the driver in-process with the test checks.
func ffivet(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(args, testAnalyzers, &out, &errs)
	t.Logf("ffivet %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out.String(), errs.String())
	return code, out.String(), errs.String()
}

// offsetOf returns the byte offset of the start of the given line of s.
func offsetOf(t *testing.T, s string, line int) int {
	t.Helper()
	off := 0
	for range line - 1 {
		i := strings.IndexByte(s[off:], '\n')
		if i < 0 {
			t.Fatalf("no line %d", line)
		}
		off += i + 1
	}
	return off
}

var escape = regexp.MustCompile("\x1b\\[")

func TestTextOutput(t *testing.T) {
	newModule(t)
	code, stdout, _ := ffivet(t, "-exportedfunc=false", "./cgopkg")
	if code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
	// One line per finding, though cgopkg.go is in both cgopkg and
	// its test variant, at the place in the .go file.
	want := "cgopkg/cgopkg.go:14:8: [cstringfree] memory from C.CString is not freed\n" +
		"\tcgopkg/cgopkg.go:17:1: the block ends here\n" +
		"cgopkg/cgopkg.go:21:8: [cstringfree] memory from C.CString is not freed\n" +
		"\tcgopkg/cgopkg.go:23:1: the block ends here\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if escape.MatchString(stdout) {
		t.Errorf("output to a buffer has escape codes: %q", stdout)
	}
}

func TestContextLines(t *testing.T) {
	newModule(t)
	_, stdout, _ := ffivet(t, "-exportedfunc=false", "-c=1", "./cgopkg")
	want := "cgopkg/cgopkg.go:14:8: [cstringfree] memory from C.CString is not freed\n" +
		"13\tfunc Len(s string) int {\n" +
		"14\t\tcs := C.CString(s)\n" +
		"15\t\tn := C.strlen(cs)\n"
	if !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout:\n%s\nwant it to start:\n%s", stdout, want)
	}
}

func TestJSON(t *testing.T) {
	dir := newModule(t)
	code, stdout, _ := ffivet(t, "-json", "./cgopkg", "./broken")
	if code != exitClean {
		t.Errorf("exit %d, want %d: with -json findings are in the output", code, exitClean)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &tree); err != nil {
		t.Fatalf("output is not a JSON tree: %v", err)
	}

	var diags []jsonDiagnostic
	if err := json.Unmarshal(tree["example.com/fftest/cgopkg"]["cstringfree"], &diags); err != nil {
		t.Fatalf("cstringfree in cgopkg: %v", err)
	}
	if len(diags) != 2 {
		t.Fatalf("got %d diagnostics, want 2", len(diags))
	}
	file := filepath.Join(dir, "cgopkg", "cgopkg.go")
	src, _ := os.ReadFile(file)
	d := diags[0]
	if d.Posn != file+":14:8" || d.Message != "memory from C.CString is not freed" {
		t.Errorf("first diagnostic at %s: %q", d.Posn, d.Message)
	}
	if len(d.Related) != 1 || d.Related[0].Posn != file+":17:1" {
		t.Errorf("related = %+v, want one at %s:17:1", d.Related, file)
	}
	want := jsonTextEdit{Filename: file, Start: offsetOf(t, string(src), 15) + 1, End: offsetOf(t, string(src), 15) + 1, New: "defer C.free(unsafe.Pointer(cs))\n\t"}
	if len(d.SuggestedFixes) != 1 || len(d.SuggestedFixes[0].Edits) != 1 || d.SuggestedFixes[0].Edits[0] != want {
		t.Errorf("fixes = %+v, want one edit %+v", d.SuggestedFixes, want)
	}

	var exported []jsonDiagnostic
	if err := json.Unmarshal(tree["example.com/fftest/cgopkg [example.com/fftest/cgopkg.test]"]["exportedfunc"], &exported); err != nil {
		t.Fatalf("exportedfunc in cgopkg's test variant: %v", err)
	}
	if len(exported) != 1 || exported[0].Message != "exported function TestLen" {
		t.Errorf("test variant: %+v, want only TestLen: the rest was reported for cgopkg", exported)
	}

	var skipped jsonError
	if err := json.Unmarshal(tree["example.com/fftest/broken"]["cstringfree"], &skipped); err != nil || skipped.Err == "" {
		t.Errorf("broken: %s, want an error", tree["example.com/fftest/broken"]["cstringfree"])
	}
}

func TestExitCodes(t *testing.T) {
	newModule(t)
	for _, test := range []struct {
		args []string
		want int
	}{
		{[]string{"./clean"}, exitClean},
		{[]string{"./cgofree"}, exitClean},
		{[]string{"./cgopkg"}, exitFindings},
		{[]string{"./broken"}, exitFailure},
		{[]string{"./nosuchdir"}, exitFailure},
		{[]string{"-nosuchflag", "./clean"}, exitFailure},
		{[]string{"-diff", "./clean"}, exitFailure},
		{[]string{"-list"}, exitClean},
		{[]string{"-help"}, exitClean},
	} {
		if code, _, _ := ffivet(t, test.args...); code != test.want {
			t.Errorf("ffivet %s: exit %d, want %d", strings.Join(test.args, " "), code, test.want)
		}
	}
}

func TestHelp(t *testing.T) {
	_, stdout, _ := ffivet(t, "-help")
	for _, want := range []string{"Exit status:", "0  no findings", "1  failure", "3  findings reported", "-cstringfree", "-fix", "-json"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("-help does not mention %q", want)
		}
	}
}

func TestList(t *testing.T) {
	code, stdout, _ := ffivet(t, "-list")
	want := "cstringfree   report C.CString results\n" +
		"exportedfunc  report exported functions\n"
	if code != exitClean || stdout != want {
		t.Errorf("-list: exit %d, output:\n%s\nwant:\n%s", code, stdout, want)
	}
}

func TestCheckFlags(t *testing.T) {
	newModule(t)
	for _, test := range []struct {
		args   []string
		checks string // the checks that reported, in order of first finding
	}{
		{nil, "exportedfunc cstringfree"},
		{[]string{"-cstringfree=false"}, "exportedfunc"},
		{[]string{"-exportedfunc=true"}, "exportedfunc"},
		{[]string{"-cstringfree", "-exportedfunc=false"}, "cstringfree"},
		{[]string{"-cstringfree=false", "-exportedfunc=false"}, ""},
	} {
		code, stdout, _ := ffivet(t, append(test.args, "./cgopkg")...)
		var checks []string
		for _, m := range regexp.MustCompile(`(?m)^\S+: \[(\w+)\]`).FindAllStringSubmatch(stdout, -1) {
			if !strings.Contains(strings.Join(checks, " "), m[1]) {
				checks = append(checks, m[1])
			}
		}
		if got := strings.Join(checks, " "); got != test.checks {
			t.Errorf("ffivet %s: checks %q reported, want %q", strings.Join(test.args, " "), got, test.checks)
		}
		if test.checks == "" && code != exitClean {
			t.Errorf("ffivet %s: exit %d with no checks, want 0", strings.Join(test.args, " "), code)
		}
	}
}

func TestLoaderFlags(t *testing.T) {
	newModule(t)
	if code, stdout, _ := ffivet(t, "./clean"); code != exitClean || stdout != "" {
		t.Errorf("without -tags, clean has findings")
	}
	if _, stdout, _ := ffivet(t, "-tags=fftag", "./clean"); !strings.Contains(stdout, "exported function Tagged") {
		t.Errorf("-tags=fftag did not load tagged.go")
	}
	if _, stdout, _ := ffivet(t, "./cgopkg"); !strings.Contains(stdout, "exported function TestLen") {
		t.Errorf("test files are not checked by default")
	}
	if _, stdout, _ := ffivet(t, "-test=false", "./cgopkg"); strings.Contains(stdout, "TestLen") {
		t.Errorf("-test=false checked test files")
	}
}

func TestTypeErrorAmongGoodPackages(t *testing.T) {
	newModule(t)
	code, stdout, stderr := ffivet(t, "-exportedfunc=false", "./...")
	if code != exitFindings {
		t.Errorf("exit %d, want %d: the good packages have findings", code, exitFindings)
	}
	if !strings.Contains(stderr, "broken/broken.go:4:") || !strings.Contains(stderr, "example.com/fftest/broken: not checked") {
		t.Errorf("stderr does not explain that broken has errors and was not checked:\n%s", stderr)
	}
	if strings.Count(stdout, "[cstringfree]") != 2 {
		t.Errorf("stdout does not have cgopkg's two findings:\n%s", stdout)
	}
}

// goCmd runs the go command in the current directory, with the test
// module's environment.
func goCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("go", args...).CombinedOutput()
	return string(out), err
}

func TestFix(t *testing.T) {
	dir := newModule(t)
	file := filepath.Join(dir, "cgopkg", "cgopkg.go")
	before, _ := os.ReadFile(file)

	code, stdout, stderr := ffivet(t, "-exportedfunc=false", "-fix", "./cgopkg")
	if code != exitClean {
		t.Errorf("exit %d, want %d: every finding has a fix", code, exitClean)
	}
	if stdout != "" {
		t.Errorf("stdout has unfixed findings:\n%s", stdout)
	}
	if !strings.Contains(stderr, "cgopkg/cgopkg.go: applied 2 fixes") {
		t.Errorf("stderr does not say what was fixed:\n%s", stderr)
	}

	after, _ := os.ReadFile(file)
	want := strings.Replace(string(before),
		"\tcs := C.CString(s)\n\tn := C.strlen(cs)\n",
		"\tcs := C.CString(s)\n\tdefer C.free(unsafe.Pointer(cs))\n\tn := C.strlen(cs)\n", 1)
	want = strings.Replace(want,
		"\tcs := C.CString(s)\n\treturn C.GoString(cs)\n",
		"\tcs := C.CString(s)\n\tdefer C.free(unsafe.Pointer(cs))\n\treturn C.GoString(cs)\n", 1)
	if string(after) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", after, want)
	}
	if out, err := goCmd(t, "build", "./cgopkg"); err != nil {
		t.Errorf("go build of the fixed package: %v\n%s", err, out)
	}
}

func TestFixDiff(t *testing.T) {
	dir := newModule(t)
	file := filepath.Join(dir, "cgopkg", "cgopkg.go")
	before, _ := os.ReadFile(file)

	code, stdout, stderr := ffivet(t, "-fix", "-diff", "./cgopkg")
	if code != exitFindings {
		t.Errorf("exit %d, want %d: the diff is not empty", code, exitFindings)
	}
	want := `--- cgopkg/cgopkg.go
+++ cgopkg/cgopkg.go
@@ -12,6 +12,7 @@
 // Len returns the length of s as C's strlen counts it.
 func Len(s string) int {
 	cs := C.CString(s)
+	defer C.free(unsafe.Pointer(cs))
 	n := C.strlen(cs)
 	return int(n)
 }
@@ -19,6 +20,7 @@
 // Dup returns a copy of s made by C.
 func Dup(s string) string {
 	cs := C.CString(s)
+	defer C.free(unsafe.Pointer(cs))
 	return C.GoString(cs)
 }
 
`
	if stdout != want {
		t.Errorf("diff:\n%s\nwant:\n%s", stdout, want)
	}
	// The findings without a fix go to stderr, not into the patch.
	if !strings.Contains(stderr, "[exportedfunc] exported function Len") {
		t.Errorf("stderr lacks the unfixed findings:\n%s", stderr)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(after, before) {
		t.Errorf("-diff changed the file:\n%s", after)
	}
}

// commentFix suggests, for each C.CString that cstringfree reports, a
// different insertion at the same place, so that the two fixes conflict.
var commentFix = &analysis.Analyzer{
	Name: "otherfix",
	Doc:  "suggest a comment where cstringfree suggests a free",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, file := range pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				block, ok := n.(*ast.BlockStmt)
				if !ok {
					return true
				}
				for i, stmt := range block.List[:max(0, len(block.List)-1)] {
					if assign, ok := stmt.(*ast.AssignStmt); ok && len(assign.Rhs) == 1 {
						if call, ok := assign.Rhs[0].(*ast.CallExpr); ok && isCgoFunc(call.Fun, "CString") {
							next := block.List[i+1].Pos()
							pass.Report(analysis.Diagnostic{
								Pos:     call.Pos(),
								Message: "say who frees this",
								SuggestedFixes: []analysis.SuggestedFix{{
									Message:   "comment",
									TextEdits: []analysis.TextEdit{{Pos: next, End: next, NewText: []byte("// freed elsewhere\n\t")}},
								}},
							})
						}
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

// Of two fixes that insert at the same place, the first (by check name)
// is applied; the other is reported as not applied, its finding is
// printed, and the file still builds.
func TestFixConflict(t *testing.T) {
	dir := newModule(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"-fix", "./cgopkg"}, []*analysis.Analyzer{cstringFree, commentFix}, &stdout, &stderr)
	t.Logf("stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	if code != exitFindings {
		t.Errorf("exit %d, want %d: findings are left unfixed", code, exitFindings)
	}
	if !strings.Contains(stderr.String(), `cgopkg/cgopkg.go:15:2: fix "comment" not applied: it overlaps the fix "free cs"`) {
		t.Errorf("stderr does not explain the conflict")
	}
	if strings.Count(stdout.String(), "[otherfix] say who frees this") != 2 || strings.Contains(stdout.String(), "[cstringfree]") {
		t.Errorf("stdout should list the two unfixed otherfix findings, and only them")
	}
	got, _ := os.ReadFile(filepath.Join(dir, "cgopkg", "cgopkg.go"))
	if strings.Count(string(got), "defer C.free") != 2 || strings.Contains(string(got), "freed elsewhere") {
		t.Errorf("fixed file:\n%s", got)
	}
	if out, err := goCmd(t, "build", "./cgopkg"); err != nil {
		t.Errorf("go build of the fixed package: %v\n%s", err, out)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := ffivet(t, "-V=full")
	// The go command requires "NAME version devel ... buildID=ID".
	if code != exitClean || !regexp.MustCompile(`^ffivet version devel \S* ?buildID=[0-9a-f]{64}\n$`).MatchString(stdout) {
		t.Errorf("-V=full: exit %d, %q", code, stdout)
	}
	if code, stdout, _ := ffivet(t, "-V"); code != exitClean || !strings.HasPrefix(stdout, "ffivet version ") {
		t.Errorf("-V: exit %d, %q", code, stdout)
	}
	if code, _, _ := ffivet(t, "-V=short"); code != exitFailure {
		t.Errorf("-V=short: exit %d, want %d", code, exitFailure)
	}
}

func TestInvokedByGoVet(t *testing.T) {
	for _, test := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-json", "-cstringfree=false", "/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"./..."}, false},
		{nil, false},
		{[]string{"-V=full", "./..."}, false},
	} {
		if got := invokedByGoVet(test.args); got != test.want {
			t.Errorf("invokedByGoVet(%q) = %v, want %v", test.args, got, test.want)
		}
	}
}

// TestGoVetVettool builds ffivet and runs it as go vet's tool, and on
// its own, with the checks it ships, on correct code.
func TestGoVetVettool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "ffivet")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS="+repoGOFLAGS)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	newModule(t)
	out, err := goCmd(t, "vet", "-vettool="+bin, "./cgofree", "./clean")
	if err != nil || out != "" {
		t.Errorf("go vet -vettool=ffivet: %v\n%s", err, out)
	}

	version, err := exec.Command(bin, "-V=full").Output()
	if err != nil || !strings.HasPrefix(string(version), bin+" version devel") && !strings.HasPrefix(string(version), "ffivet version devel") {
		t.Errorf("ffivet -V=full: %v, %q", err, version)
	}

	standalone := exec.Command(bin, "./cgofree", "./clean")
	var stderr bytes.Buffer
	standalone.Stderr = &stderr
	if err := standalone.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("ffivet ./cgofree ./clean: %v\n%s", err, stderr.String())
	}
}
