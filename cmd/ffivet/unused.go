package main

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
	"github.com/ffivet/ffivet/internal/suppress"
)

// unusedIgnore names the findings of -unused-ignores in every output
// format. It is never run: the driver derives its findings from what
// the wrapped checks recorded.
var unusedIgnore = &analysis.Analyzer{
	Name: "unusedignore",
	Doc: `unusedignore: report //ffivet:ignore directives that silence no finding

A directive that no longer silences anything hides the next real finding
on its line. With -unused-ignores, ffivet reports each check a directive
names that ran on the directive's file and reported nothing there, and
each name that is not a check at all.`,
	URL: "https://github.com/ffivet/ffivet/blob/main/docs/suppression.md",
	Run: func(*analysis.Pass) (any, error) { return nil, nil },
}

// unusedIgnores returns a finding for each name in a //ffivet:ignore
// directive that silenced nothing: a check that ran on the directive's
// file without a finding the directive covers, or a name that is no
// check. Checks that did not run say nothing about their directives. A
// file shared by a package and its test variant counts once: a name is
// used if it silenced a finding in either.
func (d *driver) unusedIgnores(graph *checker.Graph) []finding {
	known := make(map[string]bool)
	for _, a := range d.checks {
		known[a.Name] = true
	}
	type state struct {
		dir       *suppress.Directive
		pkg       *packages.Package
		ran, used map[string]bool
	}
	var order []*state
	byPosn := make(map[string]*state)
	for _, act := range sortedRoots(graph) {
		res, ok := act.Result.(*suppress.Result)
		if act.Err != nil || !ok {
			continue
		}
		check := act.Analyzer.Name
		for _, dir := range res.Directives {
			k := dir.Posn.String()
			st := byPosn[k]
			if st == nil {
				st = &state{dir: dir, pkg: act.Package, ran: make(map[string]bool), used: make(map[string]bool)}
				byPosn[k] = st
				order = append(order, st)
			}
			if dir.Names(check) {
				st.ran[check] = true
			}
		}
		for _, dir := range res.Used {
			byPosn[dir.Posn.String()].used[check] = true
		}
	}

	acts := make(map[*packages.Package]*checker.Action)
	var findings []finding
	for _, st := range order {
		var msgs []string
		if len(st.dir.Checks) == 0 {
			msgs = append(msgs, "this "+suppress.Prefix+" names no check; name the checks it silences, or remove it")
		}
		for _, name := range st.dir.Checks {
			switch {
			case name == "":
				// The check's own wrapper reports the malformed list.
			case !known[name]:
				msgs = append(msgs, fmt.Sprintf("%s names %s, which is not a check; run ffivet -list for their names", suppress.Prefix, name))
			case st.ran[name] && !st.used[name] && len(st.dir.Checks) == 1:
				msgs = append(msgs, fmt.Sprintf("%s %s silences no finding; remove it", suppress.Prefix, name))
			case st.ran[name] && !st.used[name]:
				msgs = append(msgs, fmt.Sprintf("%s names %s, which reports nothing here; remove the name", suppress.Prefix, name))
			}
		}
		if len(msgs) == 0 {
			continue
		}
		act := acts[st.pkg]
		if act == nil {
			act = &checker.Action{Analyzer: unusedIgnore, Package: st.pkg, IsRoot: true}
			acts[st.pkg] = act
		}
		fset := st.pkg.Fset
		for _, msg := range msgs {
			findings = append(findings, finding{
				act:  act,
				diag: analysis.Diagnostic{Pos: st.dir.Pos, End: st.dir.End, Category: "unused", Message: msg},
				posn: report.Position(fset, st.dir.Pos),
				end:  report.Position(fset, st.dir.End),
			})
		}
	}
	return findings
}
