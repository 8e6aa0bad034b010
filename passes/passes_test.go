package passes_test

import (
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/ffivet/ffivet/passes"
	"github.com/ffivet/ffivet/passes/ignore"
)

// Every caller of All gets the same analyzers, each honouring
// //ffivet:ignore, and together they form a valid set: no fact type
// registered twice, as it would be if a check ran both wrapped and not.
func TestAll(t *testing.T) {
	all := passes.All()
	if !slices.Equal(all, passes.All()) {
		t.Errorf("All returns new analyzers on each call")
	}
	if err := analysis.Validate(all); err != nil {
		t.Error(err)
	}
	seen := make(map[string]bool)
	for _, a := range all {
		if seen[a.Name] {
			t.Errorf("two checks are named %s", a.Name)
		}
		seen[a.Name] = true
		if !slices.Contains(a.Requires, ignore.Analyzer) {
			t.Errorf("%s is not wrapped by ignore.WrapAll", a.Name)
		}
	}
}
