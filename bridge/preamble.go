package bridge

import (
	"fmt"
	"go/ast"
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
	// "#cgo linux,amd64 darwin CFLAGS" means (linux && amd64) || darwin.
	for _, opt := range strings.Fields(d.Constraint) {
		all := true
		for _, term := range strings.Split(opt, ",") {
			neg := strings.HasPrefix(term, "!")
			term = strings.TrimPrefix(term, "!")
			if matchTag(term, goos, goarch, tags) == neg {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func matchTag(tag, goos, goarch string, tags map[string]bool) bool {
	switch {
	case tag == goos || tag == goarch:
		return true
	case tag == "unix":
		return unixOS[goos]
	case tag == "linux" && goos == "android", tag == "darwin" && goos == "ios", tag == "solaris" && goos == "illumos":
		return true
	}
	return tags[tag]
}

var unixOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true,
	"hurd": true, "illumos": true, "ios": true, "linux": true, "netbsd": true,
	"openbsd": true, "solaris": true,
}

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
// them; the rest of the preamble is still returned.
func ReadPreamble(filename string, src []byte) (p *Preamble, errs []error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ImportsOnly|parser.ParseComments)
	if f == nil {
		return nil, []error{err}
	}
	return PreambleOf(fset, f)
}

// PreambleOf returns the preamble of a parsed Go file (which must have
// been parsed with comments), or nil if it does not import "C".
func PreambleOf(fset *token.FileSet, f *ast.File) (*Preamble, []error) {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, spec := range gd.Specs {
			is := spec.(*ast.ImportSpec)
			if is.Path.Value != `"C"` {
				continue
			}
			doc := is.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			pos := fset.Position(is.Pos())
			p := &Preamble{File: pos.Filename, Line: pos.Line}
			if doc == nil {
				return p, nil
			}
			text, line := commentText(fset, doc)
			p.Line = line
			return p, p.setText(text)
		}
	}
	return nil, nil
}

// commentText returns the raw text of a comment group with the comment
// markers removed but line structure preserved, and the line of the
// .go file on which that text starts.
func commentText(fset *token.FileSet, g *ast.CommentGroup) (string, int) {
	var b strings.Builder
	start := fset.Position(g.Pos()).Line
	line := start
	for _, c := range g.List {
		cl := fset.Position(c.Pos()).Line
		for ; line < cl; line++ {
			b.WriteByte('\n')
		}
		text := c.Text
		if strings.HasPrefix(text, "//") {
			b.WriteString(text[2:])
		} else {
			text = strings.TrimSuffix(text[2:], "*/")
			b.WriteString(text)
			line += strings.Count(text, "\n")
		}
	}
	return b.String(), start
}

// setText stores the preamble text, moving #cgo lines into Directives.
func (p *Preamble) setText(text string) []error {
	var errs []error
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#cgo") || len(t) > 4 && !unicode.IsSpace(rune(t[4])) {
			continue
		}
		lines[i] = ""
		d, err := ParseDirective(t)
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

// ParseDirective parses one "#cgo ..." line.
func ParseDirective(line string) (*Directive, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), "#cgo")
	if !ok {
		return nil, fmt.Errorf("not a #cgo line")
	}
	rest = strings.TrimSpace(rest)
	if verb, name, ok := strings.Cut(rest, " "); ok && (verb == "noescape" || verb == "nocallback") {
		name = strings.TrimSpace(name)
		if name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("#cgo %s needs exactly one function name", verb)
		}
		return &Directive{Verb: verb, Args: []string{name}}, nil
	}
	head, args, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, fmt.Errorf("malformed #cgo line: missing ':'")
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
		for _, term := range strings.Split(c, ",") {
			term = strings.TrimPrefix(term, "!")
			if !isTagName(term) {
				return nil, fmt.Errorf("malformed #cgo constraint %q", c)
			}
		}
	}
	list, err := SplitQuoted(args)
	if err != nil {
		return nil, err
	}
	return &Directive{Constraint: strings.Join(cons, " "), Verb: verb, Args: list}, nil
}

func isTagName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' {
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
	if inArg {
		args = append(args, string(arg))
	}
	if quoted != 0 {
		return nil, fmt.Errorf("unclosed quote in #cgo arguments")
	}
	if escaped {
		return nil, fmt.Errorf("unfinished escape in #cgo arguments")
	}
	return args, nil
}
