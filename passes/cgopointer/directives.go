package cgopointer

import (
	"fmt"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/ffivet/ffivet/model"
	"golang.org/x/tools/go/analysis"
)

// directives checks `#cgo noescape F` and `#cgo nocallback F` against
// what F's C body does. noescape lets cgo skip the escape of F's pointer
// arguments to the heap, which is wrong when F keeps one; nocallback
// lets it skip the preparation for calls back into Go, which crash if F
// makes one.
func (c *checker) directives() {
	b := c.res.Bridge
	if b == nil || b.Flags == nil {
		return
	}
	for _, name := range uniq(b.Flags.NoEscape) {
		s := b.Summary(name)
		if !s.Known {
			continue
		}
		var kept []int
		for i := range s.Params {
			if model.KeepsParam(s, b.Func(name), i) {
				kept = append(kept, i)
			}
		}
		if len(kept) == 0 {
			continue
		}
		sort.Ints(kept)
		c.reportDirective("noescape", name, "noescape-broken", fmt.Sprintf("#cgo noescape %s, but %s keeps its argument %d after returning%s: its pointer arguments must escape to the heap, or C holds a pointer to a Go stack that moves; remove the directive",
			name, name, kept[0]+1, c.where(name)))
	}
	for _, name := range uniq(b.Flags.NoCallback) {
		s := b.Summary(name)
		if !s.Known || len(s.CallsGo) == 0 {
			continue
		}
		c.reportDirective("nocallback", name, "nocallback-broken", fmt.Sprintf("#cgo nocallback %s, but %s calls the exported Go function %s%s: a call into Go from a nocallback function crashes the program; remove the directive",
			name, name, s.CallsGo[0], c.where(name)))
	}
}

func uniq(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// where says where a C function is defined: " (its C body at line 12)".
func (c *checker) where(name string) string {
	fn := c.res.Bridge.Func(name)
	if fn == nil || !fn.HasBody || fn.Pos.Line == 0 {
		return ""
	}
	return fmt.Sprintf(" (its C body at %s:%d)", filepath.Base(fn.Pos.Filename), fn.Pos.Line)
}

// reportDirective reports at the #cgo line that names verb and name.
func (c *checker) reportDirective(verb, name, category, msg string) {
	pos := c.directivePos(verb, name)
	if !pos.IsValid() {
		return
	}
	c.report(analysis.Diagnostic{Pos: pos, Category: category, Message: msg})
}

// directivePos finds the #cgo line in the comments of the package's
// files, which keep the preamble in both shapes of cgo code.
func (c *checker) directivePos(verb, name string) token.Pos {
	want := map[string]bool{}
	for _, p := range c.res.Bridge.Preambles {
		for _, d := range p.Directives {
			if d.Verb == verb && len(d.Args) == 1 && d.Args[0] == name {
				want[p.File] = true
			}
		}
	}
	re := regexp.MustCompile(`(?m)^[ \t]*(//|/\*)?[ \t]*#cgo[ \t]+` + verb + `[ \t]+` + regexp.QuoteMeta(name) + `[ \t]*$`)
	for _, f := range c.pass.Files {
		if !want[model.OriginalFile(c.pass.Fset, f)] {
			continue
		}
		for _, g := range f.Comments {
			for _, cm := range g.List {
				if loc := re.FindStringIndex(cm.Text); loc != nil {
					return cm.Pos() + token.Pos(loc[0])
				}
			}
		}
	}
	return token.NoPos
}
