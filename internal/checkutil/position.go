package checkutil

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// Line returns the line of pos, through cgo's //line directives: the
// line in the user's file.
func Line(fset *token.FileSet, pos token.Pos) int { return fset.Position(pos).Line }

// Lines spells the distinct lines of ps, in order, for a message:
// "line 12" or "lines 12, 15 and 20".
func Lines(fset *token.FileSet, ps []token.Pos) string {
	var lines []int
	for _, p := range ps {
		lines = append(lines, Line(fset, p))
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = fmt.Sprint(l)
	}
	if len(s) == 1 {
		return "line " + s[0]
	}
	return "lines " + Join(s)
}

// Indent returns the tabs that indent a statement starting at pos, for
// a statement inserted before it. gofmt indents Go with tabs, so the
// column is the number of tabs plus one.
func Indent(fset *token.FileSet, pos token.Pos) string {
	if col := fset.Position(pos).Column; col > 1 {
		return strings.Repeat("\t", col-1)
	}
	return ""
}

// Join joins items as in prose: "a", "a and b", "a, b and c".
func Join(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
