package main

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines shown around each change,
// as in diff -u.
const diffContext = 3

// maxEditDistance bounds the work of the Myers search. Fixes change a few
// lines, so the bound is only reached by pathological inputs; beyond it
// the differing middle of the files is shown as replaced wholesale, which
// is still a correct patch.
const maxEditDistance = 2000

// A diffOp is one line of an edit script: kept (' '), deleted ('-') or
// inserted ('+').
type diffOp struct {
	kind byte
	line string // with its newline, if it has one
}

// unifiedDiff returns a unified diff that turns old into new, with both
// sides labelled name, or "" if they are equal.
func unifiedDiff(name string, old, new []byte) string {
	ops := diffLines(splitLines(string(old)), splitLines(string(new)))

	var b strings.Builder
	// aLine and bLine count the lines of each side before ops[i].
	aLine, bLine := 0, 0
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			aLine++
			bLine++
			i++
			continue
		}
		// A hunk starts diffContext kept lines before the change
		// and ends once diffContext*2 kept lines follow a change.
		start := max(0, i-diffContext)
		end := i
		for kept := 0; end < len(ops) && kept <= 2*diffContext; end++ {
			if ops[end].kind == ' ' {
				kept++
			} else {
				kept = 0
			}
		}
		// Trim trailing context to diffContext lines.
		trailing := 0
		for j := end - 1; j >= i && ops[j].kind == ' '; j-- {
			trailing++
		}
		if trailing > diffContext {
			end -= trailing - diffContext
		}

		lead := i - start
		aStart, bStart := aLine-lead, bLine-lead
		aCount, bCount := 0, 0
		for _, op := range ops[start:end] {
			if op.kind != '+' {
				aCount++
			}
			if op.kind != '-' {
				bCount++
			}
		}
		if b.Len() == 0 {
			fmt.Fprintf(&b, "--- %s\n+++ %s\n", name, name)
		}
		fmt.Fprintf(&b, "@@ -%s +%s @@\n", hunkRange(aStart, aCount), hunkRange(bStart, bCount))
		for _, op := range ops[start:end] {
			b.WriteByte(op.kind)
			b.WriteString(op.line)
			if !strings.HasSuffix(op.line, "\n") {
				b.WriteString("\n\\ No newline at end of file\n")
			}
		}
		for _, op := range ops[i:end] {
			if op.kind != '+' {
				aLine++
			}
			if op.kind != '-' {
				bLine++
			}
		}
		i = end
	}
	return b.String()
}

// hunkRange formats the start line and length of one side of a hunk as
// diff -u does: an empty range is numbered by the line before it, and
// a length of 1 is left out.
func hunkRange(before, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", before)
	case 1:
		return fmt.Sprint(before + 1)
	}
	return fmt.Sprintf("%d,%d", before+1, count)
}

// splitLines splits s after each newline; the last line lacks one if s
// does not end with a newline.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines returns an edit script from a to b with as few deletions and
// insertions as the Myers algorithm finds within maxEditDistance.
func diffLines(a, b []string) []diffOp {
	var ops []diffOp
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		ops = append(ops, diffOp{' ', a[prefix]})
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	ops = append(ops, myers(a[prefix:len(a)-suffix], b[prefix:len(b)-suffix])...)
	for _, line := range a[len(a)-suffix:] {
		ops = append(ops, diffOp{' ', line})
	}
	return ops
}

// myers finds a shortest edit script by the greedy algorithm of Myers,
// "An O(ND) Difference Algorithm and Its Variations" (1986), keeping the
// frontier of each round to trace the path back.
func myers(a, b []string) []diffOp {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil
	}
	// v[k+offset] is the furthest x reached on diagonal k = x - y.
	offset := n + m + 1
	v := make([]int, 2*offset+1)
	var trace [][]int // trace[d] holds v[k] for k in [-d-1, d+1] before round d
	for d := 0; d <= n+m && d <= maxEditDistance; d++ {
		trace = append(trace, append([]int(nil), v[offset-d-1:offset+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1] // down: an insertion
			} else {
				x = v[offset+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace)
			}
		}
	}
	// Too different to be worth a minimal diff.
	var ops []diffOp
	for _, line := range a {
		ops = append(ops, diffOp{'-', line})
	}
	for _, line := range b {
		ops = append(ops, diffOp{'+', line})
	}
	return ops
}

func backtrack(a, b []string, trace [][]int) []diffOp {
	var rev []diffOp
	x, y := len(a), len(b)
	for d := len(trace) - 1; d >= 0; d-- {
		snap := trace[d]
		at := func(k int) int { return snap[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		if d == 0 {
			prevX, prevY = 0, 0
		}
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, diffOp{' ', a[x]})
		}
		if d > 0 {
			if x == prevX {
				rev = append(rev, diffOp{'+', b[prevY]})
			} else {
				rev = append(rev, diffOp{'-', a[prevX]})
			}
		}
		x, y = prevX, prevY
	}
	ops := make([]diffOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}
