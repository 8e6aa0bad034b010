package suppress

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Result is the result of a wrapped analyzer.
type Result struct {
	// Result is what the check's own Run returned.
	Result any

	// Directives are all the directives of the package, whichever
	// checks they name.
	Directives []*Directive

	// Suppressed lists the findings of this check that a directive
	// covered, with the directives that covered each; Used lists those
	// directives once each, in source order.
	Suppressed []Suppressed
	Used       []*Directive
}

// A Suppressed finding is a diagnostic that directives kept from being
// reported.
type Suppressed struct {
	Diagnostic analysis.Diagnostic
	By         []*Directive
}

// WrapAll returns, for each check, an analyzer like it whose findings
// are filtered by the //ffivet:ignore directives that name it, and which
// reports malformed directives that name it. The wrapper has the check's
// name, documentation, flags and facts, and a [*Result] as its result.
//
// A check that requires another check of the list gets the wrapped one,
// with pass.ResultOf still keyed by the original, so that each check of
// the list runs once and its facts are registered by one analyzer.
//
// Wrap each check once: wrappers of the same check would register its
// fact types twice.
func WrapAll(checks []*analysis.Analyzer) []*analysis.Analyzer {
	wrappers := make(map[*analysis.Analyzer]*analysis.Analyzer, len(checks))
	for _, a := range checks {
		w := *a // copies Flags: their values, which the check reads, are shared
		wrappers[a] = &w
	}
	out := make([]*analysis.Analyzer, len(checks))
	for i, a := range checks {
		w := wrappers[a]
		w.Requires = []*analysis.Analyzer{Analyzer}
		var unwrap map[*analysis.Analyzer]*analysis.Analyzer // wrapper -> check, for ResultOf
		for _, r := range a.Requires {
			if rw, ok := wrappers[r]; ok && r != a {
				if unwrap == nil {
					unwrap = make(map[*analysis.Analyzer]*analysis.Analyzer)
				}
				unwrap[rw] = r
				r = rw
			}
			if !slices.Contains(w.Requires, r) {
				w.Requires = append(w.Requires, r)
			}
		}
		w.ResultType = reflect.TypeFor[*Result]()
		w.Run = func(pass *analysis.Pass) (any, error) { return run(pass, a, unwrap) }
		out[i] = w
	}
	return out
}

// run runs check on a copy of pass whose Report filters findings.
func run(pass *analysis.Pass, check *analysis.Analyzer, unwrap map[*analysis.Analyzer]*analysis.Analyzer) (any, error) {
	dirs := pass.ResultOf[Analyzer].(*Directives)
	res := &Result{Directives: dirs.List}
	name := pass.Analyzer.Name

	var mine []*Directive
	for _, d := range dirs.List {
		if d.Names(name) {
			mine = append(mine, d)
		}
	}

	inner := *pass
	inner.Analyzer = check
	if unwrap != nil {
		inner.ResultOf = make(map[*analysis.Analyzer]any, len(pass.ResultOf))
		for a, r := range pass.ResultOf {
			if orig, ok := unwrap[a]; ok {
				a, r = orig, r.(*Result).Result
			}
			inner.ResultOf[a] = r
		}
	}
	used := make(map[*Directive]bool)
	if len(mine) > 0 {
		var mu sync.Mutex // in case a check reports from several goroutines
		inner.Report = func(diag analysis.Diagnostic) {
			mu.Lock()
			defer mu.Unlock()
			var by []*Directive
			if diag.Pos.IsValid() {
				posn := pass.Fset.Position(diag.Pos)
				for _, d := range mine {
					if d.covers(diag.Pos, posn) {
						by = append(by, d)
					}
				}
			}
			if len(by) == 0 {
				pass.Report(diag)
				return
			}
			res.Suppressed = append(res.Suppressed, Suppressed{Diagnostic: diag, By: by})
			for _, d := range by {
				used[d] = true
			}
		}
	}

	result, err := runGuarded(check, &inner)
	if err != nil {
		return nil, err
	}
	res.Result = result

	for _, d := range mine {
		if used[d] {
			res.Used = append(res.Used, d)
		}
		if d.Problem != "" {
			pass.Report(analysis.Diagnostic{
				Pos:      d.Pos,
				End:      d.End,
				Category: "directive",
				Message:  "malformed " + Prefix + " directive: " + d.Problem,
			})
		}
	}
	return res, nil
}

// runGuarded runs a check and turns a panic into an error naming the
// check and the package: ffivet must not crash on the user's code, and
// the driver reports an error for this package and goes on with the
// others.
func runGuarded(check *analysis.Analyzer, pass *analysis.Pass) (result any, err error) {
	defer func() {
		if x := recover(); x != nil {
			result = nil
			err = fmt.Errorf("internal error in check %s (please report it, with this package if you can): %v\n%s", check.Name, x, debug.Stack())
		}
	}()
	return check.Run(pass)
}
