package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
)

// applyFixes applies the first suggested fix of each finding to the
// user's files, or with -diff prints the changes as a unified diff, and
// returns the exit code. Findings left unfixed are printed: to stdout, or
// to stderr with -diff, where stdout holds the patch.
func (d *driver) applyFixes(findings []finding) int {
	var fixes []report.Fix
	fixOf := make([]int, len(findings)) // index into fixes, or -1
	for i, f := range findings {
		fixOf[i] = -1
		if len(f.diag.SuggestedFixes) == 0 {
			continue
		}
		sf := f.diag.SuggestedFixes[0]
		fix, err := d.srcs.ResolveFix(f.act.Package.Fset, sf)
		if err != nil {
			d.errorf("warning: %s: fix %q not applied: %v", d.posnString(f.posn), sf.Message, err)
			continue
		}
		fixOf[i] = len(fixes)
		fixes = append(fixes, fix)
	}

	changes, errs := d.srcs.Apply(fixes)
	var rejected []report.Fix
	for _, err := range errs {
		if fe, ok := errors.AsType[*report.FixError](err); ok {
			rejected = append(rejected, fe.Fixes...)
			d.errorf("warning: %s: %v", d.posnString(fe.Posn), fe.Reason())
		} else {
			d.errorf("warning: %v", err)
		}
	}

	failed := false
	written := make(map[string]bool)
	for _, c := range changes {
		name := d.rel(c.Filename)
		if d.opts.diff {
			fmt.Fprint(d.stdout, unifiedDiff(name, c.Old, c.New))
			continue
		}
		if err := c.Write(); err != nil {
			d.errorf("%v", err)
			failed = true
			continue
		}
		written[c.Filename] = true
		noun := "fix"
		if len(c.Fixes) > 1 {
			noun = "fixes"
		}
		d.errorf("%s: applied %d %s", name, len(c.Fixes), noun)
	}

	var unfixed []finding
	for i, f := range findings {
		if fixOf[i] < 0 {
			unfixed = append(unfixed, f)
			continue
		}
		fix := fixes[fixOf[i]]
		ok := !slices.ContainsFunc(rejected, func(r report.Fix) bool { return sameFix(r, fix) })
		if !d.opts.diff {
			for _, e := range fix.Edits {
				ok = ok && written[e.Filename]
			}
		}
		if !ok {
			unfixed = append(unfixed, f)
		}
	}

	if d.opts.diff {
		d.printText(d.stderr, unfixed)
	} else {
		d.printText(d.stdout, unfixed)
	}
	switch {
	case failed:
		return exitFailure
	case len(unfixed) > 0 || d.opts.diff && len(changes) > 0:
		return exitFindings
	}
	return exitClean
}

func sameFix(a, b report.Fix) bool {
	return a.Message == b.Message && slices.Equal(a.Edits, b.Edits)
}
