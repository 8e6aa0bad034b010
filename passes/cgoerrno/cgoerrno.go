package cgoerrno

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"slices"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkdoc"
	"github.com/ffivet/ffivet/internal/checkutil"
	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer is the cgoerrno check.
var Analyzer = &analysis.Analyzer{
	Name:     "cgoerrno",
	Doc:      checkdoc.Extract(doc, "cgoerrno"),
	URL:      "https://github.com/ffivet/ffivet/blob/main/docs/checks/cgoerrno.md",
	Requires: []*analysis.Analyzer{model.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[model.Analyzer].(*model.Result)
	if !res.Active() || !res.Cgo {
		return nil, nil
	}
	c := &checker{pass: pass, res: res}
	for _, fn := range res.Funcs {
		if model.IsCgoGenerated(fn) {
			continue
		}
		c.function(fn)
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	res  *model.Result
}

// A fnCtx is one Go function being checked.
type fnCtx struct {
	*checker
	fn     *ssa.Function
	model  *model.Function
	events []*model.Event // every boundary event, inner ones (C.f(C.CString(s))) included
	// site maps each event to the instruction of fn at which it happens:
	// for an inner event evaluated inside cgo's wrapper, the wrapper's
	// call.
	site map[*model.Event]ssa.Instruction
}

func (c *checker) function(fn *ssa.Function) {
	fc := &fnCtx{checker: c, fn: fn, model: c.res.Function(fn), site: map[*model.Event]ssa.Instruction{}}
	var add func(ev *model.Event, site ssa.Instruction)
	add = func(ev *model.Event, site ssa.Instruction) {
		for _, a := range ev.Args {
			if a.Kind == model.RefInner && a.Inner != nil {
				add(a.Inner, site)
			}
		}
		fc.events = append(fc.events, ev)
		fc.site[ev] = site
	}
	for _, ev := range fc.model.Events() {
		add(ev, ev.Instr)
	}
	for _, ev := range fc.events {
		if ev.AtExit || ev.Callee.Kind == bridge.CBuiltin {
			continue
		}
		if ev.Errno() {
			fc.twoValueForm(ev)
		} else {
			fc.returnedErrno(ev)
		}
		fc.separateRead(ev)
	}
}

// twoValueForm checks one r, err := C.f() whose err is used.
func (fc *fnCtx) twoValueForm(ev *model.Event) {
	errV := tupleElem(ev.Result, 1)
	if errV == nil || !used(errV) {
		return
	}
	s := ev.Summary
	if !s.Known {
		return
	}
	if s.SetsErrno == bridge.No {
		if s.Source == bridge.FromTable || s.Source == bridge.FromAttributes {
			// The C library's own functions: "does not report failure
			// through errno" is what the table knows, not that errno
			// stays untouched (dlopen may leave one behind).
			fc.report(ev.Pos, "errno-not-set", "err from the two-value form of %s means nothing: %s does not report failure through errno (%s)%s",
				ev.Callee.UserName(), ev.Callee.Name, sourceName(s), testResult(ev))
			return
		}
		fc.report(ev.Pos, "errno-not-set", "err from the two-value form of %s is always nil: %s does not set errno (%s), and cgo clears errno before the call%s",
			ev.Callee.UserName(), ev.Callee.Name, noErrnoSource(s), testResult(ev))
		return
	}
	if clobbers := exitClobbers(s); len(clobbers) > 0 {
		fc.report(ev.Pos, "errno-clobbered", "err from the two-value form of %s may not describe the failure: %s calls %s after the call that failed and before it returns, which may overwrite errno (%s); save errno in the C function and restore it before returning, or return the error code",
			ev.Callee.UserName(), ev.Callee.Name, checkutil.Join(clobbers), sourceName(s))
	}
	if s.ErrnoOnFailure && !s.ErrnoOnlySignal && s.Success != bridge.SuccessUnknown {
		fc.failureTest(ev, errV)
	}
}

// exitClobbers are the calls that may overwrite errno before the function
// returns failure: its exit clobbers, and for a function that returns
// errno, the calls it makes before reading it.
func exitClobbers(s *bridge.Summary) []string {
	out := append([]string(nil), s.ErrnoExitClobbers...)
	if s.ReadsErrno && !s.ReadsCallerErrno {
		for _, c := range s.ErrnoClobbers {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// returnedErrno reports a C helper that returns the errno of its own
// failing call after making calls that may overwrite it, when the Go
// side uses the value.
func (fc *fnCtx) returnedErrno(ev *model.Event) {
	s := ev.Summary
	if !s.Known || !s.ReadsErrno || s.ReadsCallerErrno || len(s.ErrnoClobbers) == 0 {
		return
	}
	if ev.Result == nil || !used(ev.Result) {
		return
	}
	fc.report(ev.Pos, "returned-errno-clobbered", "%s reads errno after calling %s, which may overwrite it (%s): the value it returns may not be the error of the call that failed; save errno right after that call",
		ev.Callee.UserName(), checkutil.Join(s.ErrnoClobbers), sourceName(s))
}

func (fc *fnCtx) report(pos token.Pos, category, format string, args ...any) {
	fc.pass.Report(analysis.Diagnostic{Pos: fc.model.CallStart(pos), Category: category, Message: fmt.Sprintf(format, args...)})
}

// testResult is the advice for a function whose err means nothing.
func testResult(ev *model.Event) string {
	if voidResult(ev) {
		return "; drop err"
	}
	return "; test its result instead"
}

func noErrnoSource(s *bridge.Summary) string {
	if s.Source == bridge.FromAnnotation {
		return "annotated ffivet:no-errno"
	}
	return "its C body calls nothing that does"
}

func sourceName(s *bridge.Summary) string {
	switch s.Source {
	case bridge.FromBody:
		return "from its C body"
	case bridge.FromAnnotation:
		return "from its annotations"
	case bridge.FromTable:
		return "from the C library table"
	case bridge.FromAttributes:
		return "from its attributes"
	}
	return "unknown"
}

// tupleElem returns the extraction of element i of a call's tuple
// result, or nil when the code does not use it.
func tupleElem(v ssa.Value, i int) ssa.Value {
	if v == nil {
		return nil
	}
	refs := v.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		if e, ok := r.(*ssa.Extract); ok && e.Index == i {
			return e
		}
	}
	return nil
}

// used reports whether v is read by anything but debug information.
func used(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if _, ok := r.(*ssa.DebugRef); !ok {
			return true
		}
	}
	return false
}

// lhsName returns the name the user gave element i of the two-value
// form whose C call is at pos ("f" in f, err := C.fopen(...)), or "".
func (fc *fnCtx) lhsName(pos token.Pos, i int) string {
	syn := fc.fn.Syntax()
	if syn == nil {
		return ""
	}
	name := ""
	ast.Inspect(syn, func(n ast.Node) bool {
		if n == nil || !(n.Pos() <= pos && pos < n.End()) {
			return false
		}
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 2 && len(as.Rhs) == 1 {
			if id, ok := as.Lhs[i].(*ast.Ident); ok && id.Name != "_" {
				name = id.Name
			} else {
				name = ""
			}
		}
		return true
	})
	return name
}
