package rawcgo

import (
	"fmt"
	"go/scanner"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Expectations are the `// want "regexp"` comments of a package's user
// files, by file and line, in the notation analysistest reads.
type Expectations map[string]map[int][]*regexp.Regexp

// ReadWants collects the expectations of p's user files.
func ReadWants(p *Package) (Expectations, error) {
	ex := Expectations{}
	for _, f := range p.Files {
		for _, g := range f.Comments {
			for _, c := range g.List {
				text := strings.TrimPrefix(c.Text, "//")
				text = strings.TrimPrefix(strings.TrimSuffix(text, "*/"), "/*")
				// As analysistest does, a "// want" inside a comment
				// (the end of a cgo preamble) counts from there, for
				// the line the comment starts on.
				if i := strings.Index(text, "// want"); i >= 0 {
					text = text[i+len("// "):]
				}
				text = strings.TrimSpace(text)
				rest, ok := strings.CutPrefix(text, "want ")
				if !ok {
					continue
				}
				pos := p.Fset.Position(c.Pos())
				res, err := ParseWant(rest)
				if err != nil {
					return nil, fmt.Errorf("%s: %v", pos, err)
				}
				if ex[pos.Filename] == nil {
					ex[pos.Filename] = map[int][]*regexp.Regexp{}
				}
				ex[pos.Filename][pos.Line] = append(ex[pos.Filename][pos.Line], res...)
			}
		}
	}
	return ex, nil
}

// ParseWant parses the text after "// want" in a test file: the
// regular expressions the diagnostics on its line must match. Facts
// expected with name:"regexp" are left out.
func ParseWant(s string) ([]*regexp.Regexp, error) {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	sc.Init(fset.AddFile("want", -1, len(s)), []byte(s), nil, 0)
	var out []*regexp.Regexp
	for {
		_, tok, lit := sc.Scan()
		switch tok {
		case token.EOF, token.SEMICOLON:
			return out, nil
		case token.STRING:
			u, err := strconv.Unquote(lit)
			if err != nil {
				return nil, err
			}
			re, err := regexp.Compile(u)
			if err != nil {
				return nil, err
			}
			out = append(out, re)
		case token.IDENT:
			// name:"regexp" expects a fact about name; facts are
			// analysistest's to check, so skip it.
			if _, tok, _ := sc.Scan(); tok != token.COLON {
				return nil, fmt.Errorf("malformed want comment: unexpected %s after an identifier", tok)
			}
			if _, tok, _ := sc.Scan(); tok != token.STRING {
				return nil, fmt.Errorf("malformed want comment: unexpected %s in a fact expectation", tok)
			}
		default:
			return nil, fmt.Errorf("malformed want comment: unexpected %s", tok)
		}
	}
}

// Check matches diagnostics against expectations and returns one
// message per unexpected diagnostic and per unmet expectation.
func Check(p *Package, ex Expectations, diags []analysis.Diagnostic) []string {
	var problems []string
	for _, d := range diags {
		pos := p.Fset.Position(d.Pos)
		res := ex[pos.Filename][pos.Line]
		matched := -1
		for i, re := range res {
			if re.MatchString(d.Message) {
				matched = i
				break
			}
		}
		if matched < 0 {
			problems = append(problems, fmt.Sprintf("%s: unexpected diagnostic: %s", pos, d.Message))
			continue
		}
		ex[pos.Filename][pos.Line] = append(res[:matched:matched], res[matched+1:]...)
	}
	for file, lines := range ex {
		for line, res := range lines {
			for _, re := range res {
				problems = append(problems, fmt.Sprintf("%s:%d: no diagnostic was reported matching %q", file, line, re))
			}
		}
	}
	sort.Strings(problems)
	return problems
}
