// Package checkdoc reads a check's documentation from its doc.go, so the
// text a user sees in -list, -help and the docs comes from one place.
package checkdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the section of a doc.go package comment that starts
// at the heading "# Analyzer name", without the heading. The first line
// of the section is "name: summary". It panics if the section is
// missing: that is a programming error caught by every test.
func Extract(docGo, name string) string {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", docGo, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil || f.Doc == nil {
		panic(fmt.Sprintf("checkdoc: doc.go of %s has no package comment", name))
	}
	text := f.Doc.Text()
	heading := "# Analyzer " + name
	_, rest, ok := strings.Cut(text, heading+"\n")
	if !ok {
		panic(fmt.Sprintf("checkdoc: doc.go of %s has no %q section", name, heading))
	}
	if i := strings.Index(rest, "\n# "); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSpace(rest)
	if !strings.HasPrefix(rest, name+": ") {
		panic(fmt.Sprintf("checkdoc: the %q section must start with %q", heading, name+": "))
	}
	return rest
}

// Summary returns the one-line summary from an Analyzer's Doc.
func Summary(doc string) string {
	first, _, _ := strings.Cut(doc, "\n")
	_, s, ok := strings.Cut(first, ": ")
	if !ok {
		return first
	}
	return s
}
