package suppress

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
)

// Prefix starts every directive. Like //go: and //lint: directives it
// has no space after the slashes, which also keeps gofmt from treating
// it as text of a doc comment.
const Prefix = "//ffivet:ignore"

// Analyzer finds the directives of a package, once for all the wrapped
// checks that require it.
var Analyzer = &analysis.Analyzer{
	Name:             "ffivetignore",
	Doc:              "find the //ffivet:ignore directives of a package",
	URL:              "https://github.com/ffivet/ffivet/blob/main/docs/suppression.md",
	Run:              findDirectives,
	RunDespiteErrors: true, // it reads only comments, and wrapped checks may run despite errors
	ResultType:       reflect.TypeFor[*Directives](),
}

// Directives are the directives of one package, in source order.
type Directives struct {
	List []*Directive
}

// A Directive is one //ffivet:ignore comment.
type Directive struct {
	// Pos and End delimit the comment in the syntax the analyzers saw;
	// Posn is its place in the user's file.
	Pos, End token.Pos
	Posn     token.Position

	Checks []string // the checks named, as written
	Reason string

	// Problem, if not empty, says what is wrong with the directive.
	// It still covers the findings of the checks it names.
	Problem string

	// Func is the function whose doc comment holds the directive; the
	// directive covers all of it.
	Func *ast.FuncDecl

	// ownLine reports that nothing but the directive is on its line, so
	// that it also covers the line below.
	ownLine bool
}

func (d *Directive) String() string {
	s := fmt.Sprintf("%s: %s %s", d.Posn, Prefix, strings.Join(d.Checks, ","))
	if d.Reason != "" {
		s += " " + d.Reason
	}
	return s
}

// Names reports whether the directive names check.
func (d *Directive) Names(check string) bool { return slices.Contains(d.Checks, check) }

// covers reports whether the directive applies to a finding at pos,
// whose place in the user's file is posn.
func (d *Directive) covers(pos token.Pos, posn token.Position) bool {
	if d.Func != nil {
		return d.Func.Pos() <= pos && pos < d.Func.End()
	}
	if posn.Filename != d.Posn.Filename {
		return false
	}
	return posn.Line == d.Posn.Line || d.ownLine && posn.Line == d.Posn.Line+1
}

func findDirectives(pass *analysis.Pass) (any, error) {
	res := new(Directives)
	for _, f := range pass.Files {
		res.List = append(res.List, fileDirectives(pass.Fset, f)...)
	}
	return res, nil
}

func fileDirectives(fset *token.FileSet, f *ast.File) []*Directive {
	var list []*Directive
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			d := parse(c.Text)
			if d == nil {
				continue
			}
			d.Pos, d.End = c.Pos(), c.End()
			d.Posn = fset.Position(c.Pos())
			list = append(list, d)
		}
	}
	if len(list) == 0 {
		return nil
	}

	docOf := make(map[token.Pos]*ast.FuncDecl)
	for _, decl := range f.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Doc != nil {
			for _, c := range fn.Doc.List {
				docOf[c.Pos()] = fn
			}
		}
	}
	for _, d := range list {
		d.Func = docOf[d.Pos]
	}
	markOwnLines(fset, f, list)
	return list
}

// markOwnLines finds the directives that no code precedes on their line.
// Lines are those of the file the parser read: cgo rewrites calls within
// a line but keeps the lines, and its //line comments come before the
// tokens they describe, so a line of its output holds code before a
// comment exactly when the user's line does.
func markOwnLines(fset *token.FileSet, f *ast.File, list []*Directive) {
	tf := fset.File(f.FileStart)
	if tf == nil {
		return
	}
	// first[line] is the earliest directive on that line.
	first := make(map[int]token.Pos)
	for _, d := range list {
		line := tf.Line(d.Pos)
		if p, ok := first[line]; !ok || d.Pos < p {
			first[line] = d.Pos
		}
	}
	codeBefore := make(map[int]bool)
	mark := func(p token.Pos) {
		if !p.IsValid() || int(p) < tf.Base() || int(p) > tf.Base()+tf.Size() {
			return
		}
		line := tf.Line(p)
		if d, ok := first[line]; ok && p < d {
			codeBefore[line] = true
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.File:
			return true
		case *ast.CommentGroup, *ast.Comment:
			return false
		}
		mark(n.Pos())
		// The last byte of a node catches closing brackets, which
		// start no node of their own.
		mark(n.End() - 1)
		return true
	})
	for _, d := range list {
		line := tf.Line(d.Pos)
		d.ownLine = first[line] == d.Pos && !codeBefore[line]
	}
}

// parse returns the directive a comment holds, or nil if it holds none.
// A comment that looks meant as a directive but is written wrong, such as
// "// ffivet:ignore" with a space, is returned with its Problem set, so
// that it is reported rather than silently ignored.
func parse(text string) *Directive {
	rest, ok := strings.CutPrefix(text, Prefix)
	if !ok {
		spaced, isSpaced := strings.CutPrefix(text, "//")
		spaced = strings.TrimLeft(spaced, " \t")
		if !isSpaced || !strings.HasPrefix(spaced, Prefix[2:]) {
			return nil
		}
		rest = spaced[len(Prefix)-2:]
		d := parseArgs(rest)
		if d == nil {
			return nil
		}
		d.Problem = "write " + Prefix + " with no space after the slashes, as for //go: directives"
		return d
	}
	return parseArgs(rest)
}

// parseArgs parses what follows "ffivet:ignore": nil if it is really
// another word ("ffivet:ignored"), else the directive.
func parseArgs(rest string) *Directive {
	if rest != "" && !unicode.IsSpace(rune(rest[0])) {
		return nil
	}
	d := new(Directive)
	list := strings.TrimSpace(rest)
	if i := strings.IndexFunc(list, unicode.IsSpace); i >= 0 {
		list, d.Reason = list[:i], strings.TrimSpace(list[i:])
	}
	if list != "" {
		d.Checks = strings.Split(list, ",")
	}
	switch {
	case len(d.Checks) == 0:
		d.Problem = "name the checks to ignore and why: " + Prefix + " CHECK[,CHECK...] REASON"
	case slices.Contains(d.Checks, ""):
		d.Problem = "the list of checks has an empty name; separate names with commas only: " + Prefix + " CHECK[,CHECK...] REASON"
	case d.Reason == "":
		d.Problem = "say why the finding is wrong: " + Prefix + " " + list + " REASON"
	}
	return d
}
