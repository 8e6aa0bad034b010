package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
)

// A finding is one diagnostic with its positions in the user's source.
type finding struct {
	act       *checker.Action
	diag      analysis.Diagnostic
	posn, end token.Position
}

// collect returns the diagnostics of the root actions sorted by position,
// each once: a file that belongs to both a package and its test variant
// is checked twice.
func collect(graph *checker.Graph) []finding {
	type key struct{ posn, end, check, message string }
	seen := make(map[key]bool)
	var findings []finding
	for _, act := range sortedRoots(graph) {
		if act.Err != nil {
			continue
		}
		for _, diag := range act.Diagnostics {
			f := finding{act: act, diag: diag, posn: report.Position(act.Package.Fset, diag.Pos)}
			f.end = f.posn
			if diag.End.IsValid() {
				f.end = report.Position(act.Package.Fset, diag.End)
			}
			k := key{f.posn.String(), f.end.String(), act.Analyzer.Name, diag.Message}
			if !seen[k] {
				seen[k] = true
				findings = append(findings, f)
			}
		}
	}
	return sortFindings(findings)
}

// sortFindings sorts findings by position, then check and message.
func sortFindings(findings []finding) []finding {
	slices.SortStableFunc(findings, func(a, b finding) int {
		return cmp.Or(
			strings.Compare(a.posn.Filename, b.posn.Filename),
			cmp.Compare(a.posn.Line, b.posn.Line),
			cmp.Compare(a.posn.Column, b.posn.Column),
			strings.Compare(a.act.Analyzer.Name, b.act.Analyzer.Name),
			strings.Compare(a.diag.Message, b.diag.Message))
	})
	return findings
}

// A palette colors the parts of a finding.
type palette struct {
	posn, check, message *color.Color
}

func newPalette(w io.Writer) palette {
	p := palette{
		posn:    color.New(color.FgCyan),
		check:   color.New(color.FgMagenta),
		message: color.New(color.FgRed),
	}
	on := useColor(w)
	for _, c := range []*color.Color{p.posn, p.check, p.message} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

// useColor reports whether to color output written to w. fatih/color
// decides once, at start-up, for os.Stdout; run may write elsewhere, so
// the same rules are applied to w: only a terminal, and neither NO_COLOR
// set nor TERM=dumb.
func useColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// printText prints findings for people and returns the exit code.
func (d *driver) printText(w io.Writer, findings []finding) int {
	pal := newPalette(w)
	for _, f := range findings {
		pal.posn.Fprint(w, d.posnString(f.posn))
		fmt.Fprint(w, ": ")
		pal.check.Fprintf(w, "[%s]", f.act.Analyzer.Name)
		fmt.Fprint(w, " ")
		pal.message.Fprint(w, f.diag.Message)
		fmt.Fprintln(w)
		d.printContext(w, f.posn, f.end)

		fset := f.act.Package.Fset
		for _, rel := range f.diag.Related {
			posn := report.Position(fset, rel.Pos)
			end := posn
			if rel.End.IsValid() {
				end = report.Position(fset, rel.End)
			}
			fmt.Fprint(w, "\t")
			pal.posn.Fprint(w, d.posnString(posn))
			fmt.Fprintf(w, ": %s\n", rel.Message)
			d.printContext(w, posn, end)
		}
	}
	if len(findings) > 0 {
		return exitFindings
	}
	return exitClean
}

// posnString formats posn with its file name relative to the current
// directory when below it.
func (d *driver) posnString(posn token.Position) string {
	posn.Filename = d.rel(posn.Filename)
	return posn.String()
}

// printContext prints the lines from posn to end with -c lines around
// them, as go vet does, from the user's file.
func (d *driver) printContext(w io.Writer, posn, end token.Position) {
	n := d.opts.context
	if n < 0 || !posn.IsValid() {
		return
	}
	last := posn.Line
	if end.Filename == posn.Filename && end.Line > last {
		last = end.Line
	}
	for line := posn.Line - n; line <= last+n; line++ {
		if text, ok := d.srcs.Line(posn.Filename, line); ok {
			fmt.Fprintf(w, "%d\t%s\n", line, text)
		}
	}
}

// The JSON form of findings is that of go vet -json: a tree from package
// ID to check name to a list of diagnostics or an error.
type (
	jsonDiagnostic struct {
		Category       string             `json:"category,omitempty"`
		Posn           string             `json:"posn"`
		End            string             `json:"end"`
		Message        string             `json:"message"`
		SuggestedFixes []jsonSuggestedFix `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated      `json:"related,omitempty"`
	}
	jsonSuggestedFix struct {
		Message string         `json:"message"`
		Edits   []jsonTextEdit `json:"edits"`
	}
	// Start and End are byte offsets into the user's file, as on disk.
	jsonTextEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// printJSON prints findings, and the checks that could not run, as JSON.
// Positions are absolute, as go vet's are.
func (d *driver) printJSON(graph *checker.Graph, findings []finding) int {
	tree := make(map[string]map[string]any)
	add := func(act *checker.Action, v any) {
		if tree[act.Package.ID] == nil {
			tree[act.Package.ID] = make(map[string]any)
		}
		tree[act.Package.ID][act.Analyzer.Name] = v
	}
	for _, act := range sortedRoots(graph) {
		if act.Err != nil {
			add(act, jsonError{act.Err.Error()})
		}
	}
	lists := make(map[*checker.Action][]jsonDiagnostic)
	for _, f := range findings {
		lists[f.act] = append(lists[f.act], d.jsonDiagnostic(f))
	}
	for act, list := range lists {
		add(act, list)
	}

	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		d.errorf("%v", err)
		return exitFailure
	}
	fmt.Fprintf(d.stdout, "%s\n", data)
	return exitClean
}

func (d *driver) jsonDiagnostic(f finding) jsonDiagnostic {
	fset := f.act.Package.Fset
	jd := jsonDiagnostic{
		Category: f.diag.Category,
		Posn:     f.posn.String(),
		End:      f.end.String(),
		Message:  f.diag.Message,
	}
	for _, sf := range f.diag.SuggestedFixes {
		// A fix that cannot be placed in the user's files is left
		// out rather than given offsets into a generated file.
		fix, err := d.srcs.ResolveFix(fset, sf)
		if err != nil {
			continue
		}
		jf := jsonSuggestedFix{Message: fix.Message, Edits: []jsonTextEdit{}}
		for _, e := range fix.Edits {
			jf.Edits = append(jf.Edits, jsonTextEdit{Filename: e.Filename, Start: e.Start, End: e.End, New: e.New})
		}
		jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
	}
	for _, rel := range f.diag.Related {
		end := rel.End
		if !end.IsValid() {
			end = rel.Pos
		}
		jd.Related = append(jd.Related, jsonRelated{
			Posn:    report.Position(fset, rel.Pos).String(),
			End:     report.Position(fset, end).String(),
			Message: rel.Message,
		})
	}
	return jd
}
