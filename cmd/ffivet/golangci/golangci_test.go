package golangci

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
	"github.com/ffivet/ffivet/internal/suppress"
	"github.com/ffivet/ffivet/passes"
)

func names(as []*analysis.Analyzer) string {
	var list []string
	for _, a := range as {
		list = append(list, a.Name)
	}
	return strings.Join(list, " ")
}

// build calls the plugin as golangci-lint does: found in the registry
// by name, with its settings as decoded from YAML into maps.
func build(t *testing.T, settings any) ([]*analysis.Analyzer, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin("ffivet")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		return nil, err
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("load mode %q, want %q", mode, register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

func TestAllChecks(t *testing.T) {
	for _, settings := range []any{nil, map[string]any{}} {
		got, err := build(t, settings)
		if err != nil {
			t.Fatalf("settings %v: %v", settings, err)
		}
		want := append(passes.All(), report.StderrWarnings)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("settings %v: analyzers %s, want passes.All() and the warnings: %s", settings, names(got), names(want))
		}
		// The checks honour //ffivet:ignore.
		for _, a := range got[:len(got)-1] {
			if !slices.Contains(a.Requires, suppress.Analyzer) {
				t.Errorf("%s is not wrapped by package suppress", a.Name)
			}
		}
	}
}

func TestChooseChecks(t *testing.T) {
	all := []*analysis.Analyzer{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	for _, test := range []struct {
		settings Settings
		want     string // names, or an error's text
	}{
		{Settings{}, "a b c"},
		{Settings{Checks: []string{"c", "a"}}, "a c"},
		{Settings{Disable: []string{"b"}}, "a c"},
		{Settings{Checks: []string{"a", "b"}, Disable: []string{"b"}}, "a"},
		{Settings{Checks: []string{"d"}}, `no check is named "d"; the checks are a, b, c`},
		{Settings{Disable: []string{"a", "b", "c"}}, "leave no check"},
	} {
		got, err := choose(all, test.settings)
		text := names(got)
		if err != nil {
			text = err.Error()
		}
		if !strings.Contains(text, test.want) {
			t.Errorf("%+v: %q, want %q", test.settings, text, test.want)
		}
	}
}

func TestSettingsErrors(t *testing.T) {
	if _, err := build(t, map[string]any{"check": []any{"cgoalloc"}}); err == nil || !strings.Contains(err.Error(), "check") {
		t.Errorf("a misspelt setting: %v, want an error naming it", err)
	}
	if _, err := build(t, map[string]any{"checks": "cgoalloc"}); err == nil {
		t.Errorf("checks given as a string: no error")
	}
	if _, err := build(t, map[string]any{"checks": []any{"nosuchcheck"}}); err == nil || !strings.Contains(err.Error(), "nosuchcheck") {
		t.Errorf("an unknown check: %v", err)
	}
}

func TestAnnotations(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv(bridge.AnnotationsEnv, "/shared/libfoo.txt")
	if err := os.WriteFile("ann.txt", []byte("foo_new returns-owned dealloc=foo_free\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := build(t, map[string]any{"annotations": []any{"nosuchfile.txt"}}); err == nil || !strings.Contains(err.Error(), "nosuchfile.txt") {
		t.Errorf("a missing annotations file: %v", err)
	}
	if got := os.Getenv(bridge.AnnotationsEnv); got != "/shared/libfoo.txt" {
		t.Errorf("a failed configuration changed $%s to %q", bridge.AnnotationsEnv, got)
	}
	if _, err := build(t, map[string]any{"annotations": []any{"ann.txt"}}); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "ann.txt") + string(os.PathListSeparator) + "/shared/libfoo.txt"
	if got := os.Getenv(bridge.AnnotationsEnv); got != want {
		t.Errorf("$%s = %q, want %q", bridge.AnnotationsEnv, got, want)
	}
}
