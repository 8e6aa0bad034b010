package main

import (
	"encoding/json"
	"fmt"
	"go/scanner"
	"go/token"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode/utf16"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
	"github.com/ffivet/ffivet/internal/suppress"
)

// The SARIF 2.1.0 log, with the parts of the format ffivet fills in. See
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                        `json:"tool"`
		Invocations        []sarifInvocation                `json:"invocations"`
		OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
		ColumnKind         string                           `json:"columnKind"`
		Results            []sarifResult                    `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		ShortDescription     sarifMessage       `json:"shortDescription"`
		FullDescription      sarifMessage       `json:"fullDescription"`
		Help                 sarifMessage       `json:"help"`
		HelpURI              string             `json:"helpUri,omitempty"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID           string             `json:"ruleId"`
		RuleIndex        int                `json:"ruleIndex"`
		Level            string             `json:"level"`
		Message          sarifMessage       `json:"message"`
		Locations        []sarifLocation    `json:"locations"`
		RelatedLocations []sarifLocation    `json:"relatedLocations,omitempty"`
		Fixes            []sarifFix         `json:"fixes,omitempty"`
		Suppressions     []sarifSuppression `json:"suppressions,omitempty"`
		Properties       *sarifProperties   `json:"properties,omitempty"`
	}
	// sarifProperties is a result's property bag: the kind of finding
	// within its check (the diagnostic's category), as listed on the
	// check's docs page.
	sarifProperties struct {
		Category string `json:"category"`
	}
	sarifLocation struct {
		ID               int                   `json:"id,omitempty"` // related locations count from 1
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		Message          *sarifMessage         `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	// A region is either lines and columns (columns counted in UTF-16
	// code units, the run's columnKind) or bytes.
	sarifRegion struct {
		StartLine   int  `json:"startLine,omitempty"`
		StartColumn int  `json:"startColumn,omitempty"`
		EndLine     int  `json:"endLine,omitempty"`
		EndColumn   int  `json:"endColumn,omitempty"`
		ByteOffset  *int `json:"byteOffset,omitempty"`
		ByteLength  *int `json:"byteLength,omitempty"`
	}
	sarifFix struct {
		Description     sarifMessage          `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Replacements     []sarifReplacement    `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion          `json:"deletedRegion"`
		InsertedContent sarifArtifactContent `json:"insertedContent"`
	}
	sarifArtifactContent struct {
		Text string `json:"text"`
	}
	sarifSuppression struct {
		Kind          string         `json:"kind"`
		Justification string         `json:"justification,omitempty"`
		Location      *sarifLocation `json:"location,omitempty"`
	}
)

const (
	sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// srcRoot is the base of the URIs of files below the current
	// directory, as GitHub code scanning and most viewers expect.
	srcRoot = "%SRCROOT%"
	// Findings are warnings: ffivet stays silent where unsure, but a
	// finding is still a claim about code the compiler accepted.
	sarifLevel = "warning"
)

// printSARIF prints findings as a SARIF 2.1.0 log with one rule per
// check, the findings that //ffivet:ignore directives silenced as
// suppressed results, and what ffivet wrote to stderr as notifications.
func (d *driver) printSARIF(graph *checker.Graph, findings []finding, analyzers []*analysis.Analyzer, failed bool) int {
	checks := analyzers
	if d.opts.unusedIgnores {
		checks = append(checks[:len(checks):len(checks)], unusedIgnore)
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "ffivet",
			Version:        toolVersion(),
			InformationURI: "https://github.com/ffivet/ffivet",
			Rules:          []sarifRule{},
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{
			srcRoot: {URI: fileURI(d.cwd) + "/"},
		},
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{},
	}
	ruleIndex := make(map[string]int)
	for _, a := range checks {
		ruleIndex[a.Name] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(a))
	}

	for _, f := range findings {
		run.Results = append(run.Results, d.sarifResult(f, ruleIndex[f.act.Analyzer.Name]))
	}
	for _, s := range suppressed(graph) {
		r := d.sarifResult(s.finding, ruleIndex[s.act.Analyzer.Name])
		for _, dir := range s.by {
			posn := report.Position(s.act.Package.Fset, dir.Pos)
			end := report.Position(s.act.Package.Fset, dir.End)
			loc := d.sarifLocation(posn, end)
			r.Suppressions = append(r.Suppressions, sarifSuppression{
				Kind:          "inSource",
				Justification: dir.Reason,
				Location:      &loc,
			})
		}
		run.Results = append(run.Results, r)
	}

	inv := sarifInvocation{ExecutionSuccessful: !failed}
	for _, msg := range d.messages {
		level := "error"
		if rest, ok := strings.CutPrefix(msg, "warning: "); ok {
			level, msg = "warning", rest
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: level, Message: sarifMessage{Text: msg}})
	}
	run.Invocations = []sarifInvocation{inv}

	data, err := json.MarshalIndent(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}, "", "  ")
	if err != nil {
		d.errorf("%v", err)
		return exitFailure
	}
	fmt.Fprintf(d.stdout, "%s\n", data)
	return exitClean
}

// sarifRuleOf describes a check from its documentation, whose first line
// is "name: summary".
func sarifRuleOf(a *analysis.Analyzer) sarifRule {
	doc := strings.TrimSpace(a.Doc)
	doc = strings.TrimPrefix(doc, a.Name+": ")
	help := doc
	if a.URL != "" {
		help += "\n\n" + a.URL
	}
	return sarifRule{
		ID:                   a.Name,
		ShortDescription:     sarifMessage{Text: firstLine(doc)},
		FullDescription:      sarifMessage{Text: doc},
		Help:                 sarifMessage{Text: help},
		HelpURI:              a.URL,
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel},
	}
}

func (d *driver) sarifResult(f finding, ruleIndex int) sarifResult {
	r := sarifResult{
		RuleID:    f.act.Analyzer.Name,
		RuleIndex: ruleIndex,
		Level:     sarifLevel,
		Message:   sarifMessage{Text: f.diag.Message},
		Locations: []sarifLocation{d.sarifLocation(f.posn, f.end)},
	}
	if f.diag.Category != "" {
		r.Properties = &sarifProperties{Category: f.diag.Category}
	}
	fset := f.act.Package.Fset
	for i, rel := range f.diag.Related {
		posn := report.Position(fset, rel.Pos)
		end := posn
		if rel.End.IsValid() {
			end = report.Position(fset, rel.End)
		}
		loc := d.sarifLocation(posn, end)
		loc.ID = i + 1
		loc.Message = &sarifMessage{Text: rel.Message}
		r.RelatedLocations = append(r.RelatedLocations, loc)
	}
	for _, sf := range f.diag.SuggestedFixes {
		// As with -json, a fix that cannot be placed in the
		// user's files is left out.
		fix, err := d.srcs.ResolveFix(fset, sf)
		if err != nil || len(fix.Edits) == 0 {
			continue
		}
		sfix := sarifFix{Description: sarifMessage{Text: fix.Message}}
		changes := make(map[string]int) // file -> index in ArtifactChanges
		for _, e := range fix.Edits {
			i, ok := changes[e.Filename]
			if !ok {
				i = len(sfix.ArtifactChanges)
				changes[e.Filename] = i
				sfix.ArtifactChanges = append(sfix.ArtifactChanges, sarifArtifactChange{ArtifactLocation: d.sarifArtifact(e.Filename)})
			}
			offset, length := e.Start, e.End-e.Start
			sfix.ArtifactChanges[i].Replacements = append(sfix.ArtifactChanges[i].Replacements, sarifReplacement{
				DeletedRegion:   sarifRegion{ByteOffset: &offset, ByteLength: &length},
				InsertedContent: sarifArtifactContent{Text: e.New},
			})
		}
		r.Fixes = append(r.Fixes, sfix)
	}
	return r
}

// sarifLocation places the range from posn to end in the user's file.
// A diagnostic that gives no end covers the expression at its start (an
// identifier, a selector like C.free, or one token), so that viewers
// have something to underline.
func (d *driver) sarifLocation(posn, end token.Position) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: d.sarifArtifact(posn.Filename)}}
	if posn.Line < 1 {
		return loc
	}
	startText, startOK := d.srcs.Line(posn.Filename, posn.Line)
	startCol := max(posn.Column, 1)
	endLine, endCol := posn.Line, startCol
	endText, endOK := startText, startOK
	switch {
	case end.Filename == posn.Filename && (end.Line > posn.Line || end.Line == posn.Line && end.Column > startCol):
		endLine, endCol = end.Line, end.Column
		if endLine != posn.Line {
			endText, endOK = d.srcs.Line(end.Filename, endLine)
		}
	case startOK:
		endCol = expressionEnd(startText, startCol)
	}
	loc.PhysicalLocation.Region = &sarifRegion{
		StartLine:   posn.Line,
		StartColumn: utf16Column(startText, startCol, startOK),
		EndLine:     endLine,
		EndColumn:   utf16Column(endText, endCol, endOK),
	}
	return loc
}

// utf16Column converts a 1-based byte column of line to the 1-based
// UTF-16 column SARIF counts by default. Without the line's text, the
// byte column is the best guess.
func utf16Column(line string, col int, haveText bool) int {
	if !haveText || col < 1 || col-1 > len(line) {
		return max(col, 1)
	}
	n := 1
	for _, r := range line[:col-1] {
		n += utf16.RuneLen(r) // 1 for invalid UTF-8, which decodes as U+FFFD
	}
	return n
}

// expressionEnd returns the byte column just past the identifier or
// selector (C.free, C.struct_x.field) or else the single token that
// starts at col in line, or col if none does.
func expressionEnd(line string, col int) int {
	if col < 1 || col > len(line) {
		return col
	}
	src := []byte(line[col-1:])
	file := token.NewFileSet().AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0)
	pos, tok, lit := s.Scan()
	if tok == token.EOF || file.Offset(pos) != 0 || tok == token.SEMICOLON && lit == "\n" {
		return col
	}
	if tok != token.IDENT {
		if lit == "" {
			lit = tok.String()
		}
		return col + len(lit)
	}
	end := len(lit)
	for {
		pos, tok, _ = s.Scan()
		if tok != token.PERIOD || file.Offset(pos) != end {
			break
		}
		pos, tok, lit = s.Scan()
		if tok != token.IDENT || file.Offset(pos) != end+1 {
			break
		}
		end += 1 + len(lit)
	}
	return col + end
}

// sarifArtifact names a file: relative to %SRCROOT%, the current
// directory, when below it, else by an absolute file URI.
func (d *driver) sarifArtifact(filename string) sarifArtifactLocation {
	if rel := d.rel(filename); !filepath.IsAbs(rel) {
		return sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: srcRoot}
	}
	return sarifArtifactLocation{URI: fileURI(filename)}
}

// fileURI returns the file URI of an absolute path.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// toolVersion returns ffivet's module version without its "v", as
// SARIF wants versions to start with a number, and 0.0.0-devel for a
// development build.
func toolVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(info.Main.Version, "v") {
		return info.Main.Version[1:]
	}
	return "0.0.0-devel"
}

// A suppressedFinding is a finding a directive silenced.
type suppressedFinding struct {
	finding
	by []*suppress.Directive
}

// suppressed returns the findings that //ffivet:ignore directives
// silenced, each once, sorted like the others.
func suppressed(graph *checker.Graph) []suppressedFinding {
	type key struct{ posn, end, check, message string }
	seen := make(map[key]bool)
	var list []finding
	by := make(map[key][]*suppress.Directive)
	for _, act := range sortedRoots(graph) {
		res, ok := act.Result.(*suppress.Result)
		if act.Err != nil || !ok {
			continue
		}
		for _, s := range res.Suppressed {
			f := finding{act: act, diag: s.Diagnostic, posn: report.Position(act.Package.Fset, s.Diagnostic.Pos)}
			f.end = f.posn
			if s.Diagnostic.End.IsValid() {
				f.end = report.Position(act.Package.Fset, s.Diagnostic.End)
			}
			k := key{f.posn.String(), f.end.String(), act.Analyzer.Name, s.Diagnostic.Message}
			if !seen[k] {
				seen[k] = true
				list = append(list, f)
				by[k] = s.By
			}
		}
	}
	var out []suppressedFinding
	for _, f := range sortFindings(list) {
		k := key{f.posn.String(), f.end.String(), f.act.Analyzer.Name, f.diag.Message}
		out = append(out, suppressedFinding{f, by[k]})
	}
	return out
}
