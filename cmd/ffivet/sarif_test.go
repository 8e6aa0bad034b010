package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/testtool"
	"github.com/ffivet/ffivet/passes"
)

func TestFormatFlag(t *testing.T) {
	newModule(t)
	_, asJSON, _ := ffivet(t, "-json", "./cgopkg")
	code, asFormat, _ := ffivet(t, "-format=json", "./cgopkg")
	if code != exitClean || asFormat != asJSON {
		t.Errorf("-format=json: exit %d, output differs from -json", code)
	}
	for _, args := range [][]string{
		{"-format=xml", "./cgopkg"},
		{"-json", "-format=sarif", "./cgopkg"},
		{"-format=sarif", "-fix", "./cgopkg"},
		{"-format=json", "-fix", "-diff", "./cgopkg"},
	} {
		if code, _, _ := ffivet(t, args...); code != exitFailure {
			t.Errorf("ffivet %s: exit %d, want %d", strings.Join(args, " "), code, exitFailure)
		}
	}
}

// sarifOutput runs ffivet -format=sarif and decodes its log.
func sarifOutput(t *testing.T, args ...string) (sarifLog, string) {
	t.Helper()
	code, stdout, _ := runWrapped(t, append([]string{"-format=sarif"}, args...)...)
	if code != exitClean {
		t.Errorf("exit %d, want %d: with -format=sarif findings are in the output", code, exitClean)
	}
	var log sarifLog
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatalf("output is not a SARIF log: %v", err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return log, stdout
}

func TestSARIF(t *testing.T) {
	dir := newModule(t)
	log, _ := sarifOutput(t, "-exportedfunc=false", "./cgopkg")
	run := log.Runs[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Name != "ffivet" {
		t.Errorf("version %q, tool %q", log.Version, run.Tool.Driver.Name)
	}
	if base := run.OriginalURIBaseIDs[srcRoot].URI; base != fileURI(dir)+"/" {
		t.Errorf("%s is %q, want the current directory", srcRoot, base)
	}

	// One rule per check that ran, with its documentation.
	rules := run.Tool.Driver.Rules
	if len(rules) != 1 || rules[0].ID != "cstringfree" || rules[0].ShortDescription.Text != "report C.CString results" ||
		!strings.Contains(rules[0].FullDescription.Text, "A test check that reports every C.CString") {
		t.Errorf("rules = %+v, want cstringfree with its doc", rules)
	}

	// The two findings of cgopkg.go, once each though the file is in
	// the package and its test variant.
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2", len(run.Results))
	}
	r := run.Results[0]
	if r.RuleID != "cstringfree" || r.RuleIndex != 0 || r.Message.Text != "memory from C.CString is not freed" ||
		r.Properties == nil || r.Properties.Category != "leak" {
		t.Errorf("result: %+v", r)
	}
	loc := r.Locations[0].PhysicalLocation
	if loc.ArtifactLocation != (sarifArtifactLocation{URI: "cgopkg/cgopkg.go", URIBaseID: srcRoot}) {
		t.Errorf("artifact %+v, want cgopkg/cgopkg.go below %s", loc.ArtifactLocation, srcRoot)
	}
	// The diagnostic spans C.CString(s), in the user's file.
	if got, want := *loc.Region, (sarifRegion{StartLine: 14, StartColumn: 8, EndLine: 14, EndColumn: 20}); got != want {
		t.Errorf("region %+v, want %+v", got, want)
	}
	if len(r.RelatedLocations) != 1 || r.RelatedLocations[0].Message.Text != "the block ends here" ||
		*r.RelatedLocations[0].PhysicalLocation.Region != (sarifRegion{StartLine: 17, StartColumn: 1, EndLine: 17, EndColumn: 2}) {
		t.Errorf("related locations: %+v", r.RelatedLocations)
	}

	src, err := os.ReadFile(filepath.Join(dir, "cgopkg", "cgopkg.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Fixes) != 1 || len(r.Fixes[0].ArtifactChanges) != 1 || len(r.Fixes[0].ArtifactChanges[0].Replacements) != 1 {
		t.Fatalf("fixes: %+v, want one edit", r.Fixes)
	}
	change := r.Fixes[0].ArtifactChanges[0]
	rep := change.Replacements[0]
	if change.ArtifactLocation.URI != "cgopkg/cgopkg.go" || rep.DeletedRegion.ByteOffset == nil || rep.DeletedRegion.ByteLength == nil ||
		*rep.DeletedRegion.ByteOffset != offsetOf(t, string(src), 15)+1 || *rep.DeletedRegion.ByteLength != 0 ||
		rep.InsertedContent.Text != "defer C.free(unsafe.Pointer(cs))\n\t" {
		t.Errorf("fix: %+v %+v", change.ArtifactLocation, rep)
	}
}

// Findings that directives silence are results with a suppression that
// gives the reason, as GitHub code scanning expects.
func TestSARIFSuppressions(t *testing.T) {
	ignoredModule(t)
	log, _ := sarifOutput(t, "-unused-ignores", "./ignored")
	run := log.Runs[0]
	var ids []string
	for _, rule := range run.Tool.Driver.Rules {
		ids = append(ids, rule.ID)
	}
	if got := strings.Join(ids, " "); got != "cstringfree exportedfunc unusedignore" {
		t.Errorf("rules %s, want the checks and unusedignore", got)
	}
	counts := make(map[string]int)
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result of %s has the index of rule %s", r.RuleID, run.Tool.Driver.Rules[r.RuleIndex].ID)
		}
		key := r.RuleID
		if len(r.Suppressions) > 0 {
			key += " suppressed"
			s := r.Suppressions[0]
			if s.Kind != "inSource" || s.Location == nil {
				t.Errorf("suppression %+v, want inSource at the directive's place", s)
			}
			if s.Justification != "" {
				key += " with reason"
			}
		}
		counts[key]++
	}
	want := map[string]int{
		"cstringfree":                         2, // the malformed directive and the finding of reported
		"cstringfree suppressed with reason":  2, // used, unknownName
		"cstringfree suppressed":              1, // noReason
		"exportedfunc suppressed with reason": 1,
		"unusedignore":                        3,
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("results: %v, want %v", counts, want)
	}
}

func TestUTF16Column(t *testing.T) {
	line := "\ts := \"héllo 😀\" + x"
	for _, test := range []struct{ byteCol, want int }{
		{1, 1},
		{2, 2},
		{strings.Index(line, "l") + 1, 10},   // é is one UTF-16 unit, two bytes
		{strings.Index(line, "\" ") + 1, 16}, // 😀 is two units, four bytes
		{len(line) + 1, 21},
		{len(line) + 5, len(line) + 5}, // beyond the line: kept
	} {
		if got := utf16Column(line, test.byteCol, true); got != test.want {
			t.Errorf("utf16Column(%d) = %d, want %d", test.byteCol, got, test.want)
		}
	}
	if got := utf16Column("", 7, false); got != 7 {
		t.Errorf("without the text: %d, want the byte column", got)
	}
}

func TestExpressionEnd(t *testing.T) {
	line := "\tdefer C.buffer_free(b) // x"
	for _, test := range []struct {
		col  int
		want string
	}{
		{strings.Index(line, "C.") + 1, "C.buffer_free"},
		{strings.Index(line, "defer") + 1, "defer"},
		{strings.Index(line, "(b)") + 1, "("},
		{strings.Index(line, "b)") + 1, "b"},
		{strings.Index(line, "// x") + 1, ""},
		{1, ""},
	} {
		end := expressionEnd(line, test.col)
		if got := line[test.col-1 : end-1]; got != test.want {
			t.Errorf("expression at column %d: %q, want %q", test.col, got, test.want)
		}
	}
}

// sarifTools returns the directory where make sarif-test installs the
// validators. The validation runs only under FFIVET_SARIF_VALIDATE=1,
// which make sarif-test sets, to keep go test fast.
func sarifTools(t *testing.T) string {
	t.Helper()
	if os.Getenv("FFIVET_SARIF_VALIDATE") == "" {
		t.Skip("set FFIVET_SARIF_VALIDATE=1 to validate the SARIF output; make sarif-test installs the validators and does")
	}
	// The validators come from the npm registry.
	testtool.Need(t, "npm", "apt-get install npm")
	dir, err := filepath.Abs(filepath.Join("testdata", "sarif"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"sarif-multitool", "ajv"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", ".bin", tool)); err != nil {
			t.Fatalf("the SARIF validators are not installed: run npm ci in %s (make sarif-test does)", dir)
		}
	}
	return dir
}

// validateSARIF checks a SARIF file against the SARIF 2.1.0 JSON schema
// with ajv, and with Microsoft's SARIF Multitool, which also applies the
// specification's rules that a schema cannot express. It returns the
// problems found.
func validateSARIF(t *testing.T, tools, file string) []string {
	t.Helper()
	var problems []string
	schema := filepath.Join(tools, "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")
	// ajv-cli tells JSON by the file name's extension.
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	asJSON := filepath.Join(t.TempDir(), "log.json")
	if err := os.WriteFile(asJSON, data, 0o666); err != nil {
		t.Fatal(err)
	}
	ajv := exec.Command(filepath.Join(tools, "node_modules", ".bin", "ajv"), "validate", "--all-errors", "--errors=text", "-s", schema, "-d", asJSON)
	if out, err := ajv.CombinedOutput(); err != nil {
		problems = append(problems, fmt.Sprintf("ajv: %v\n%s", err, out))
	}

	// The Multitool exits 0 whatever it finds; its findings are in the
	// SARIF log it writes.
	report := filepath.Join(t.TempDir(), "validation.sarif")
	multitool := exec.Command(filepath.Join(tools, "node_modules", ".bin", "sarif-multitool"), "validate", "-o", report, file)
	out, err := multitool.CombinedOutput()
	if err != nil {
		t.Fatalf("sarif-multitool validate: %v\n%s", err, out)
	}
	data, err = os.ReadFile(report)
	if err != nil {
		t.Fatalf("sarif-multitool wrote no log: %v\n%s", err, out)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) == 0 {
		t.Fatalf("sarif-multitool's log: %v", err)
	}
	for _, r := range log.Runs[0].Results {
		if r.Level != "note" && r.Level != "none" { // SARIF's default level is warning
			problems = append(problems, fmt.Sprintf("sarif-multitool: %s %s", r.Level, r.RuleID))
		}
	}
	if len(problems) > 0 && len(log.Runs[0].Results) > 0 {
		problems = append(problems, "sarif-multitool's output:\n"+string(out))
	}
	return problems
}

// TestSARIFValidates validates ffivet's SARIF with real validators:
// for the demo package with the checks ffivet ships, and for logs with
// fixes, suppressions and unused directives. make sarif-test runs it.
func TestSARIFValidates(t *testing.T) {
	tools := sarifTools(t)
	logs := t.TempDir()

	// The validators themselves must catch a broken log, or their
	// silence below would prove nothing.
	broken := filepath.Join(logs, "broken.sarif")
	const brokenLog = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "r", "message": {"text": "m"},
		"locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.go"}, "region": {"startLine": 0, "size": 1}}}]}]}]}`
	if err := os.WriteFile(broken, []byte(brokenLog), 0o666); err != nil {
		t.Fatal(err)
	}
	problems := strings.Join(validateSARIF(t, tools, broken), "\n")
	for _, validator := range []string{"ajv", "sarif-multitool"} {
		if !strings.Contains(problems, validator+":") {
			t.Errorf("%s accepts a broken log:\n%s", validator, problems)
		}
	}

	write := func(name string, data string) string {
		file := filepath.Join(logs, name)
		if err := os.WriteFile(file, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
		return file
	}
	var files []string

	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("demo", func(t *testing.T) {
		t.Chdir(repo)
		var out, errs bytes.Buffer
		code := run([]string{"-format=sarif", "-unused-ignores", "./testdata/src/demo"}, passes.All(), &out, &errs)
		if code != exitClean {
			t.Fatalf("ffivet -format=sarif ./testdata/src/demo: exit %d\n%s", code, errs.String())
		}
		var log sarifLog
		if err := json.Unmarshal(out.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		if n := len(log.Runs[0].Results); n < 6 {
			t.Errorf("%d results for the demo, want at least 6", n)
		}
		files = append(files, write("demo.sarif", out.String()))
	})
	t.Run("fixes", func(t *testing.T) {
		newModule(t)
		_, out := sarifOutput(t, "./cgopkg", "./broken")
		files = append(files, write("fixes.sarif", out))
	})
	t.Run("suppressions", func(t *testing.T) {
		ignoredModule(t)
		_, out := sarifOutput(t, "-unused-ignores", "./ignored")
		files = append(files, write("suppressions.sarif", out))
	})

	for _, file := range files {
		for _, p := range validateSARIF(t, tools, file) {
			t.Errorf("%s: %s", filepath.Base(file), p)
		}
	}
}
