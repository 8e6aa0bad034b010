// Package golangci is ffivet's golangci-lint module plugin.
//
// Importing the package registers the plugin "ffivet". golangci-lint
// custom builds a golangci-lint that imports it, as described in
// docs/golangci-lint.md, and .golangci.yml enables it:
//
//	linters:
//	  enable: [ffivet]
//	  settings:
//	    custom:
//	      ffivet:
//	        type: module
//	        settings:
//	          checks: [cgoalloc]
//
// The plugin runs the same analyzers as the ffivet command, so findings,
// their positions in the user's .go files (not cgo's copies in the build
// cache, which golangci-lint drops) and //ffivet:ignore directives are
// the same.
package golangci

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
	"github.com/ffivet/ffivet/passes"
)

func init() {
	register.Plugin("ffivet", New)
}

// Settings are the plugin's settings in .golangci.yml, under
// linters.settings.custom.ffivet.settings.
type Settings struct {
	// Checks names the checks to run; if empty, all run.
	Checks []string `json:"checks"`
	// Disable names checks not to run.
	Disable []string `json:"disable"`
	// Annotations names annotations files for C functions that the
	// packages' own C does not describe, as $FFIVET_ANNOTATIONS does
	// for the ffivet command. Relative names are relative to the
	// directory golangci-lint runs in.
	Annotations []string `json:"annotations"`
}

// New is the plugin's constructor, which golangci-lint calls with the
// settings from its configuration.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("ffivet: %w", err)
	}
	analyzers, err := choose(passes.All(), s)
	if err != nil {
		return nil, err
	}
	if err := useAnnotations(s.Annotations); err != nil {
		return nil, err
	}
	// As for the ffivet command: the C sides of packages persist in the
	// user cache directory unless FFIVET_CACHE=off.
	bridge.PersistDefault()
	return &plugin{analyzers: analyzers}, nil
}

type plugin struct {
	analyzers []*analysis.Analyzer
}

// BuildAnalyzers returns ffivet's analyzers, already wrapped to honour
// //ffivet:ignore directives, and one that prints the model's warnings
// about each package (a missing header, C that cannot be parsed) on
// standard error: golangci-lint keeps no analyzer's result for the
// plugin to forward them.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return append(p.analyzers[:len(p.analyzers):len(p.analyzers)], report.StderrWarnings), nil
}

// GetLoadMode asks for type information: every check works on SSA.
func (p *plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}

// choose applies the checks and disable settings to all.
func choose(all []*analysis.Analyzer, s Settings) ([]*analysis.Analyzer, error) {
	var names []string
	for _, a := range all {
		names = append(names, a.Name)
	}
	for _, name := range slices.Concat(s.Checks, s.Disable) {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("ffivet: no check is named %q; the checks are %s", name, strings.Join(names, ", "))
		}
	}
	var chosen []*analysis.Analyzer
	for _, a := range all {
		if (len(s.Checks) == 0 || slices.Contains(s.Checks, a.Name)) && !slices.Contains(s.Disable, a.Name) {
			chosen = append(chosen, a)
		}
	}
	if len(chosen) == 0 {
		return nil, fmt.Errorf("ffivet: the settings leave no check to run")
	}
	return chosen, nil
}

// useAnnotations adds files to the annotations files the bridge reads.
// The bridge takes them from the environment, as the ffivet command
// does; golangci-lint runs one configuration per process, so setting it
// here reaches every package.
func useAnnotations(files []string) error {
	if len(files) == 0 {
		return nil
	}
	var abs []string
	for _, name := range files {
		a, err := filepath.Abs(name)
		if err != nil {
			return fmt.Errorf("ffivet: annotations file %s: %w", name, err)
		}
		if _, err := os.Stat(a); err != nil {
			return fmt.Errorf("ffivet: annotations file: %w", err)
		}
		abs = append(abs, a)
	}
	if old := os.Getenv(bridge.AnnotationsEnv); old != "" {
		abs = append(abs, old)
	}
	return os.Setenv(bridge.AnnotationsEnv, strings.Join(abs, string(os.PathListSeparator)))
}
