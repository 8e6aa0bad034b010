package model_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// eventsAnalyzer reports every boundary event, so the test can check
// that both code shapes produce the same events. Arguments print as
// "value" whether the model found them as a value or as the content of a
// variable when the call happens (cgo's closures capture variables; the
// raw shape does not), and an argument that is itself a cgo call is
// reported as its own event, as it is in the raw shape.
var eventsAnalyzer = &analysis.Analyzer{
	Name:     "modelevents",
	Doc:      "report the model's boundary events",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[model.Analyzer].(*model.Result)
		for _, fn := range res.Funcs {
			if model.IsCgoGenerated(fn) {
				continue
			}
			f := res.Function(fn)
			for _, ev := range model.Events(fn, res.Bridge) {
				report(pass, f, ev)
			}
		}
		return nil, nil
	},
}

func report(pass *analysis.Pass, f *model.Function, ev *model.Event) {
	var args []string
	for _, a := range ev.Args {
		switch a.Kind {
		case model.RefValue, model.RefCell, model.RefInner:
			args = append(args, "value")
		default:
			args = append(args, "unknown")
		}
		if a.Kind == model.RefInner {
			report(pass, f, a.Inner)
		}
	}
	msg := fmt.Sprintf("event %s(%s)", ev.Callee.UserName(), strings.Join(args, ", "))
	if ev.Result != nil {
		msg += " result"
	}
	if ev.AtExit {
		msg += " at-exit"
	}
	if ev.Errno() || isTuple(ev) {
		msg += " errno"
	}
	pass.Reportf(f.CallStart(ev.Pos), "%s", msg)
}

// isTuple reports the two-value form in the raw shape, where the callee
// is _Cfunc_f and the result is a tuple.
func isTuple(ev *model.Event) bool {
	return ev.Result != nil && strings.HasPrefix(ev.Result.Type().String(), "(")
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEventsProcessed(t *testing.T) {
	analysistest.Run(t, testdata(t), eventsAnalyzer, "modelevents")
}

func TestEventsRaw(t *testing.T) {
	rawcgo.RunTest(t, testdata(t), eventsAnalyzer, "modelevents")
}
