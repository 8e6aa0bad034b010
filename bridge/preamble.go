package bridge

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"strings"
	"unicode"
)

// A Preamble is the C text in the comment before a Go file's import "C",
// with its #cgo directives taken out.
type Preamble struct {
	File       string       // the .go file it came from
	Line       int          // the line of the .go file on which Text starts
	Text       string       // the C text; #cgo lines are replaced by empty lines so lines still match
	Directives []*Directive // the #cgo lines, in order
}

// A Directive is one #cgo line of a preamble.
type Directive struct {
	Line       int      // line in the .go file
	Constraint string   // the GOOS/GOARCH/tag options before the verb, as written ("" if none)
	Verb       string   // CFLAGS, CPPFLAGS, CXXFLAGS, FFLAGS, LDFLAGS, pkg-config, noescape, nocallback
	Args       []string // arguments, unquoted
}

func (d *Directive) String() string {
	var b strings.Builder
	b.WriteString("#cgo ")
	if d.Constraint != "" {
		b.WriteString(d.Constraint)
		b.WriteByte(' ')
	}
	b.WriteString(d.Verb)
	if d.Verb != "noescape" && d.Verb != "nocallback" {
		b.WriteByte(':')
	}
	for _, a := range d.Args {
		b.WriteByte(' ')
		b.WriteString(a)
	}
	return b.String()
}

// Matches reports whether the directive applies to a build for goos and
// goarch with the given extra build tags (such as "cgo" or a -tags value).
func (d *Directive) Matches(goos, goarch string, tags map[string]bool) bool {
	if d.Constraint == "" {
		return true
	}
	// As in go/build, "#cgo linux,amd64 darwin CFLAGS" means
	// (linux && amd64) || darwin, and an option may also be written as a
	// //go:build expression such as "linux&&!arm".
	for opt := range strings.FieldsSeq(d.Constraint) {
		if matchOption(opt, goos, goarch, tags) {
			return true
		}
	}
	return false
}

func matchOption(opt, goos, goarch string, tags map[string]bool) bool {
	match := func(tag string) bool { return matchTag(tag, goos, goarch, tags) }
	if isBuildExpr(opt) {
		x, err := constraint.Parse("//go:build " + opt)
		return err == nil && x.Eval(match)
	}
	for term := range strings.SplitSeq(opt, ",") {
		neg := strings.HasPrefix(term, "!")
		term = strings.TrimPrefix(term, "!")
		if !isTagName(term) || match(term) == neg {
			return false
		}
	}
	return true
}

// isBuildExpr reports whether a constraint option uses //go:build
// operators rather than the comma-separated // +build form.
func isBuildExpr(opt string) bool { return strings.ContainsAny(opt, "&|()") }

func matchTag(tag, goos, goarch string, tags map[string]bool) bool {
	switch {
	case tag == goos || tag == goarch:
		return true
	case tag == "unix":
		return unixOS[goos]
	case tag == "linux" && goos == "android", tag == "darwin" && goos == "ios", tag == "solaris" && goos == "illumos":
		return true
	case tag == "gc":
		// ffivet reads the code as the gc toolchain builds it.
		return true
	case strings.HasPrefix(tag, "go1."):
		return releaseTags[tag]
	}
	return tags[tag]
}

var unixOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true,
	"hurd": true, "illumos": true, "ios": true, "linux": true, "netbsd": true,
	"openbsd": true, "solaris": true,
}

// releaseTags holds go1.1 through the running toolchain's release, which
// constraints such as "go1.21" test. It is filled once and only read.
var releaseTags = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range build.Default.ReleaseTags {
		m[t] = true
	}
	return m
}()

// A SyntaxError is a #cgo line that cannot be read.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ReadPreamble parses src, the text of the Go file filename, and returns
// its preamble, or nil if the file does not import "C". Malformed #cgo
// lines are reported in errs and otherwise skipped, as cgo would refuse
// them; the rest of the preamble is still returned. When no import "C"
// is found in Go that does not parse, the syntax error is returned.
func ReadPreamble(filename string, src []byte) (p *Preamble, errs []error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ImportsOnly|parser.ParseComments)
	if f == nil {
		return nil, []error{err}
	}
	p, errs = PreambleOf(fset, f)
	if p == nil && err != nil {
		errs = append(errs, err)
	}
	return p, errs
}

// PreambleOf returns the preamble of a parsed Go file (which must have
// been parsed with comments), or nil if it does not import "C".
//
// Like cgo, it takes the doc comment of every import "C" in the file; when
// there are several, their texts are joined into one with the Go lines
// between them left empty, so that lines still match. Positions are those
// of the file itself: a //line comment does not move them, since the
// bridge maps C positions back to the file it read.
func PreambleOf(fset *token.FileSet, f *ast.File) (*Preamble, []error) {
	var p *Preamble
	var text strings.Builder
	line := 0 // the .go line that the end of text is on
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, spec := range gd.Specs {
			is, ok := spec.(*ast.ImportSpec)
			if !ok || is.Path == nil || is.Path.Value != `"C"` {
				continue
			}
			if p == nil {
				pos := fset.PositionFor(is.Pos(), false)
				p = &Preamble{File: pos.Filename, Line: pos.Line}
			}
			doc := is.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			if doc == nil {
				continue
			}
			start := fset.PositionFor(doc.Pos(), false).Line
			if line == 0 {
				p.Line, line = start, start
			}
			line = writeComment(&text, fset, doc, line)
		}
	}
	if p == nil {
		return nil, nil
	}
	return p, p.setText(text.String())
}

// writeComment appends the text of a comment group to b with the comment
// markers removed and line structure preserved: b ends on .go line line,
// and the result is the line that b ends on afterwards.
func writeComment(b *strings.Builder, fset *token.FileSet, g *ast.CommentGroup, line int) int {
	for _, c := range g.List {
		for cl := fset.PositionFor(c.Pos(), false).Line; line < cl; line++ {
			b.WriteByte('\n')
		}
		text := c.Text
		if strings.HasPrefix(text, "//") {
			b.WriteString(text[2:])
			continue
		}
		// An unterminated /* comment (a syntax error the parser reports)
		// has no closing marker to remove.
		text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
		b.WriteString(text)
		line += strings.Count(text, "\n")
	}
	return line
}

// setText stores the preamble text, moving #cgo lines into Directives.
func (p *Preamble) setText(text string) []error {
	var errs []error
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if !isDirectiveLine(l) {
			continue
		}
		lines[i] = ""
		d, err := ParseDirective(l)
		if err != nil {
			errs = append(errs, &SyntaxError{File: p.File, Line: p.Line + i, Msg: err.Error()})
			continue
		}
		d.Line = p.Line + i
		p.Directives = append(p.Directives, d)
	}
	p.Text = strings.Join(lines, "\n")
	return errs
}

// isDirectiveLine reports whether a preamble line is a #cgo line: "#cgo"
// followed by white space or nothing. A bare "#cgo" is not valid C either,
// so it is taken out and reported rather than left for the C parser.
func isDirectiveLine(l string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSpace(l), "#cgo")
	return ok && (rest == "" || unicode.IsSpace(rune(rest[0])))
}

// ParseDirective parses one "#cgo ..." line.
func ParseDirective(line string) (*Directive, error) {
	if !isDirectiveLine(line) {
		return nil, fmt.Errorf("not a #cgo line")
	}
	rest := strings.TrimSpace(strings.TrimSpace(line)[len("#cgo"):])
	if fields := strings.Fields(rest); len(fields) > 0 && (fields[0] == "noescape" || fields[0] == "nocallback") && !strings.Contains(rest, ":") {
		if len(fields) != 2 || !isCIdent(fields[1]) {
			return nil, fmt.Errorf("#cgo %s needs exactly one C function name", fields[0])
		}
		return &Directive{Verb: fields[0], Args: []string{fields[1]}}, nil
	}
	head, args, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, fmt.Errorf("malformed #cgo line: missing ':' after the verb")
	}
	fields := strings.Fields(head)
	if len(fields) == 0 {
		return nil, fmt.Errorf("malformed #cgo line: missing verb")
	}
	verb := fields[len(fields)-1]
	switch verb {
	case "CFLAGS", "CPPFLAGS", "CXXFLAGS", "FFLAGS", "LDFLAGS", "pkg-config":
	default:
		return nil, fmt.Errorf("unsupported #cgo verb %q", verb)
	}
	cons := fields[:len(fields)-1]
	for _, c := range cons {
		if !validOption(c) {
			return nil, fmt.Errorf("malformed #cgo constraint %q", c)
		}
	}
	list, err := SplitQuoted(args)
	if err != nil {
		return nil, err
	}
	return &Directive{Constraint: strings.Join(cons, " "), Verb: verb, Args: list}, nil
}

func validOption(opt string) bool {
	if isBuildExpr(opt) {
		_, err := constraint.Parse("//go:build " + opt)
		return err == nil
	}
	for term := range strings.SplitSeq(opt, ",") {
		if !isTagName(strings.TrimPrefix(term, "!")) {
			return false
		}
	}
	return true
}

func isTagName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' {
			return false
		}
	}
	return s != ""
}

func isCIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

// SplitQuoted splits s into words the way cgo reads #cgo arguments:
// separated by spaces, with single or double quotes grouping, and a
// backslash escaping the next character.
func SplitQuoted(s string) ([]string, error) {
	var args []string
	var arg []rune
	escaped, quoted, inArg := false, rune(0), false
	for _, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
			continue
		case quoted != 0:
			if r == quoted {
				quoted = 0
				continue
			}
		case r == '"' || r == '\'':
			quoted, inArg = r, true
			continue
		case unicode.IsSpace(r):
			if inArg {
				args = append(args, string(arg))
				arg, inArg = arg[:0], false
			}
			continue
		}
		arg = append(arg, r)
		inArg = true
	}
	if quoted != 0 {
		return nil, fmt.Errorf("unclosed quote in #cgo arguments")
	}
	if escaped {
		return nil, fmt.Errorf("unfinished escape in #cgo arguments")
	}
	if inArg {
		args = append(args, string(arg))
	}
	return args, nil
}
