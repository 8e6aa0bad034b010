package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/internal/testtool"
)

func TestUnifiedDiff(t *testing.T) {
	for _, test := range []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{
			"insertion", "a\nb\nc\n", "a\nb\nx\nc\n",
			"--- f\n+++ f\n@@ -1,3 +1,4 @@\n a\n b\n+x\n c\n",
		},
		{
			"into an empty file", "", "a\n",
			"--- f\n+++ f\n@@ -0,0 +1 @@\n+a\n",
		},
		{
			"missing final newline", "a\nb", "a\nc",
			"--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
		},
		{
			"adding the final newline", "a", "a\n",
			"--- f\n+++ f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n",
		},
		{
			// Changes 7 kept lines apart make two hunks; 6 apart, one.
			"two hunks",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			"1\nX\n3\n4\n5\n6\n7\n8\n9\nY\n11\n12\n",
			"--- f\n+++ f\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -7,6 +7,6 @@\n 7\n 8\n 9\n-10\n+Y\n 11\n 12\n",
		},
		{
			"one hunk",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
			"1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n",
			"--- f\n+++ f\n@@ -1,10 +1,10 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n 10\n",
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			got := unifiedDiff("f", []byte(test.old), []byte(test.new))
			if got != test.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, test.want)
			}
		})
	}
}

// TestUnifiedDiffRandom checks on random edits that each diff, applied,
// turns the old text into the new one, and that it deletes and inserts
// no more lines than a longest common subsequence requires.
func TestUnifiedDiffRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		old := randomLines(rng, rng.IntN(30))
		new := mutate(rng, old)
		a, b := strings.Join(old, ""), strings.Join(new, "")
		diff := unifiedDiff("f", []byte(a), []byte(b))
		got, err := applyDiff(a, diff)
		if err != nil || got != b {
			t.Fatalf("case %d: applying the diff: %v\nold:\n%s\nnew:\n%s\ndiff:\n%s\ngot:\n%s", i, err, a, b, diff, got)
		}
		changed := 0
		for j, line := range strings.Split(diff, "\n") {
			if j >= 2 && (strings.HasPrefix(line, "-") || strings.HasPrefix(line, "+")) {
				changed++
			}
		}
		if want := len(old) + len(new) - 2*lcs(old, new); changed != want {
			t.Fatalf("case %d: %d lines changed, want %d\ndiff:\n%s", i, changed, want, diff)
		}
	}
}

// Files too different for the Myers search still get a correct diff.
func TestUnifiedDiffLarge(t *testing.T) {
	var a, b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	diff := unifiedDiff("f", []byte(a.String()), []byte(b.String()))
	if got, err := applyDiff(a.String(), diff); err != nil || got != b.String() {
		t.Errorf("applying the diff: %v", err)
	}
}

// The patch tool accepts the diff.
func TestUnifiedDiffPatch(t *testing.T) {
	patch := testtool.Need(t, "patch", "apt-get install patch")
	rng := rand.New(rand.NewPCG(3, 4))
	old := randomLines(rng, 40)
	new := mutate(rng, old)
	dir := t.TempDir()
	name := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(name, []byte(strings.Join(old, "")), 0o666); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(patch, "-p0", "-s")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(unifiedDiff("f.txt", []byte(strings.Join(old, "")), []byte(strings.Join(new, ""))))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(name); string(got) != strings.Join(new, "") {
		t.Errorf("patched file:\n%s\nwant:\n%s", got, strings.Join(new, ""))
	}
}

// randomLines draws lines from a small alphabet, so that files share
// many lines and the diff has choices to make.
func randomLines(rng *rand.Rand, n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = string(rune('a'+rng.IntN(5))) + "\n"
	}
	return lines
}

func mutate(rng *rand.Rand, lines []string) []string {
	out := append([]string(nil), lines...)
	for range rng.IntN(6) {
		i := rng.IntN(len(out) + 1)
		switch rng.IntN(3) {
		case 0:
			out = append(out[:i], append(randomLines(rng, 1+rng.IntN(3)), out[i:]...)...)
		case 1:
			if i < len(out) {
				out = append(out[:i], out[i+1:]...)
			}
		case 2:
			if i < len(out) {
				out[i] = "changed " + strconv.Itoa(i) + "\n"
			}
		}
	}
	return out
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// applyDiff applies a unified diff of the form unifiedDiff writes,
// checking each hunk's counts and context against old.
func applyDiff(old, diff string) (string, error) {
	if diff == "" {
		return old, nil
	}
	a := splitLines(old)
	lines := strings.Split(strings.TrimSuffix(diff, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("no header")
	}
	lines = lines[2:]
	var out []string
	next := 0 // index into a of the next line not yet copied
	for len(lines) > 0 {
		m := hunkHeader.FindStringSubmatch(lines[0])
		if m == nil {
			return "", fmt.Errorf("bad hunk header %q", lines[0])
		}
		count := func(s string) int {
			if s == "" {
				return 1
			}
			n, _ := strconv.Atoi(s)
			return n
		}
		aStart, aCount, bCount := count(m[1]), count(m[2]), count(m[4])
		if aCount > 0 {
			aStart-- // to an index
		}
		if aStart < next {
			return "", fmt.Errorf("hunks overlap")
		}
		out = append(out, a[next:aStart]...)
		next = aStart
		lines = lines[1:]
		var seenA, seenB int
		for len(lines) > 0 && !strings.HasPrefix(lines[0], "@@") {
			op, text := lines[0][0], lines[0][1:]+"\n"
			lines = lines[1:]
			if len(lines) > 0 && lines[0] == `\ No newline at end of file` {
				text = strings.TrimSuffix(text, "\n")
				lines = lines[1:]
			}
			switch op {
			case ' ', '-':
				if next >= len(a) || a[next] != text {
					return "", fmt.Errorf("line %d: context %q does not match %q", next+1, text, a[min(next, len(a)-1)])
				}
				if op == ' ' {
					out = append(out, text)
					seenB++
				}
				next++
				seenA++
			case '+':
				out = append(out, text)
				seenB++
			default:
				return "", fmt.Errorf("bad line %q", op)
			}
		}
		if seenA != aCount || seenB != bCount {
			return "", fmt.Errorf("hunk %s has %d and %d lines", m[0], seenA, seenB)
		}
	}
	out = append(out, a[next:]...)
	return strings.Join(out, ""), nil
}
