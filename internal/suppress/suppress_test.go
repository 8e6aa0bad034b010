package suppress_test

import (
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/internal/suppress"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// calls records the calls findcall reported, for needsfind.
type calls struct{ pos []token.Pos }

// callFact is a fact of findcall, to check that wrapping registers each
// fact type once.
type callFact struct{}

func (*callFact) AFact() {}

// findcall reports every call of a function named finding and of
// C.CString, in cgo's output (_Cfunc_CString) and in the raw shape.
var findcall = &analysis.Analyzer{
	Name:       "findcall",
	Doc:        "findcall: report calls of finding",
	Run:        runFindcall,
	ResultType: reflect.TypeFor[*calls](),
	FactTypes:  []analysis.Fact{new(callFact)},
}

func runFindcall(pass *analysis.Pass) (any, error) {
	res := new(calls)
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fun := ast.Unparen(call.Fun)
			switch fun := fun.(type) {
			case *ast.Ident:
				switch fun.Name {
				case "finding":
					res.pos = append(res.pos, call.Pos())
					pass.Reportf(call.Pos(), "call of finding")
				case "_Cfunc_CString":
					pass.Reportf(call.Pos(), "call of C.CString")
				}
			case *ast.SelectorExpr:
				if x, ok := fun.X.(*ast.Ident); ok && x.Name == "C" && fun.Sel.Name == "CString" {
					pass.Reportf(call.Pos(), "call of C.CString")
				}
			}
			return true
		})
	}
	return res, nil
}

// needsfind requires findcall and reports the calls its result lists.
var needsfind = &analysis.Analyzer{
	Name:     "needsfind",
	Doc:      "needsfind: report what findcall saw",
	Requires: []*analysis.Analyzer{findcall},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, pos := range pass.ResultOf[findcall].(*calls).pos {
			pass.Reportf(pos, "findcall saw a call here")
		}
		return nil, nil
	},
}

var wrapped = suppress.WrapAll([]*analysis.Analyzer{findcall, needsfind})

func TestLineAndFunctionForms(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), wrapped[0], "plain")
	res := results[0].Result.(*suppress.Result)
	if res.Result == nil {
		t.Errorf("the check's own result is missing")
	}
	// One finding for each directive that names findcall and covers
	// something, and three for the one in covered's doc comment.
	if got, want := len(res.Suppressed), 11; got != want {
		for _, s := range res.Suppressed {
			t.Logf("suppressed %s by %v", results[0].Pass.Fset.Position(s.Diagnostic.Pos), s.By)
		}
		t.Errorf("%d findings suppressed, want %d", got, want)
	}
	var used []string
	for _, d := range res.Used {
		used = append(used, d.Reason)
	}
	for _, reason := range []string{
		"a trailing directive covers its own line",
		"the whole function is covered",
		"with a space",
		"", // the directive without a reason still covers its line
	} {
		if !slices.Contains(used, reason) {
			t.Errorf("no directive with reason %q was used; used: %q", reason, used)
		}
	}
	for _, reason := range []string{
		"only the line just below",
		"a directive for another check",
		"code precedes it, so it covers only its own line",
	} {
		if slices.Contains(used, reason) {
			t.Errorf("the directive with reason %q suppressed a finding", reason)
		}
	}
}

func TestCgo(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), wrapped[0], "cgoignore")
}

// TestCgoRaw checks the same package in the shape gopls gives it.
func TestCgoRaw(t *testing.T) {
	rawcgo.RunTest(t, analysistest.TestData(), wrapped[0], "cgoignore")
}

// TestRequiredCheck runs a check that requires another check of the
// list: it gets the other's own result, and is silenced only by
// directives that name it.
func TestRequiredCheck(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), wrapped[1], "dep")
}

func TestWrapAll(t *testing.T) {
	fc, nf := wrapped[0], wrapped[1]
	if fc.Name != "findcall" || fc.Doc != findcall.Doc || !reflect.DeepEqual(fc.FactTypes, findcall.FactTypes) {
		t.Errorf("the wrapper does not carry the check's name, doc and facts: %+v", fc)
	}
	if !slices.Contains(nf.Requires, fc) || slices.Contains(nf.Requires, findcall) {
		t.Errorf("needsfind's wrapper requires %v, want the wrapped findcall instead of findcall", nf.Requires)
	}
	if !slices.Contains(fc.Requires, suppress.Analyzer) {
		t.Errorf("the wrapper does not require suppress.Analyzer")
	}
	if err := analysis.Validate(wrapped); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if findcall.ResultType != reflect.TypeFor[*calls]() || len(needsfind.Requires) != 1 || needsfind.Requires[0] != findcall {
		t.Errorf("WrapAll changed the checks it wraps")
	}
}

func TestParse(t *testing.T) {
	for _, test := range []struct {
		comment string
		checks  string // comma-separated; "-" for no directive
		reason  string
		problem string // a substring, or "" for none
	}{
		{"//ffivet:ignore cgoalloc the callback frees it", "cgoalloc", "the callback frees it", ""},
		{"//ffivet:ignore a,b  two\tchecks ", "a,b", "two\tchecks", ""},
		{"//ffivet:ignore\tcgoalloc reason", "cgoalloc", "reason", ""},
		{"//ffivet:ignore cgoalloc", "cgoalloc", "", "say why"},
		{"//ffivet:ignore", "", "", "name the checks"},
		{"//ffivet:ignore a,,b reason", "a,,b", "reason", "empty name"},
		{"// ffivet:ignore cgoalloc reason", "cgoalloc", "reason", "no space"},
		{"//ffivet:ignored cgoalloc reason", "-", "", ""},
		{"// see ffivet:ignore", "-", "", ""},
		{"/*ffivet:ignore cgoalloc reason*/", "-", "", ""},
		{"//lint:ignore SA1000 reason", "-", "", ""},
	} {
		d := suppress.ParseForTest(test.comment)
		if d == nil {
			if test.checks != "-" {
				t.Errorf("%q: not a directive", test.comment)
			}
			continue
		}
		if test.checks == "-" {
			t.Errorf("%q: parsed as %v", test.comment, d)
			continue
		}
		if got := strings.Join(d.Checks, ","); got != test.checks || d.Reason != test.reason {
			t.Errorf("%q: checks %q, reason %q; want %q, %q", test.comment, got, d.Reason, test.checks, test.reason)
		}
		if test.problem == "" && d.Problem != "" || !strings.Contains(d.Problem, test.problem) {
			t.Errorf("%q: problem %q, want %q", test.comment, d.Problem, test.problem)
		}
	}
}
