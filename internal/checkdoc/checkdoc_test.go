package checkdoc

import "testing"

const sample = `// Package x does x.
//
// # Analyzer x
//
// x: find x
//
// More text.
//
// # Other
//
// Not included.
package x
`

func TestExtract(t *testing.T) {
	got := Extract(sample, "x")
	if want := "x: find x\n\nMore text."; got != want {
		t.Errorf("Extract = %q, want %q", got, want)
	}
	if s := Summary(got); s != "find x" {
		t.Errorf("Summary = %q", s)
	}
}

func TestExtractMissing(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a missing section")
		}
	}()
	Extract(sample, "y")
}
