package report

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/model"
)

// Warnings hands a package's model warnings (a missing header, C that
// cannot be parsed, pkg-config not installed) to the driver as its
// result, a []bridge.Warning. The model's own result is too large to
// keep until the end of a run, and drivers built on
// golang.org/x/tools/go/analysis/checker only keep the results of the
// analyzers they were asked to run: a driver adds Warnings to those, so
// that it can print or forward the warnings of each checked package once.
var Warnings = &analysis.Analyzer{
	Name:       "ffivetwarnings",
	Doc:        "collect the problems that limited what ffivet's model knows of a package's C",
	URL:        "https://github.com/ffivet/ffivet/blob/main/docs/architecture.md",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	ResultType: reflect.TypeFor[[]bridge.Warning](),
	Run: func(pass *analysis.Pass) (any, error) {
		return slices.Clone(pass.ResultOf[model.Analyzer].(*model.Result).Warnings), nil
	},
}

// StderrWarnings prints each package's model warnings on standard error,
// for drivers that give no access to analyzers' results: go vet's
// unitchecker, which checks one package per process, and golangci-lint.
var StderrWarnings = PrintWarnings(os.Stderr)

// PrintWarnings returns an analyzer that prints the model warnings of
// each package it runs on to w, in the form the ffivet command prints
// them.
func PrintWarnings(w io.Writer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     "ffivetwarnings",
		Doc:      "print the problems that limited what ffivet's model knows of a package's C",
		URL:      "https://github.com/ffivet/ffivet/blob/main/docs/architecture.md",
		Requires: []*analysis.Analyzer{model.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			for _, warn := range pass.ResultOf[model.Analyzer].(*model.Result).Warnings {
				fmt.Fprintf(w, "ffivet: %s\n", WarningText(pass.Pkg.Path(), warn, ""))
			}
			return nil, nil
		},
	}
}

// WarningText is the text of a model warning of package pkgPath, with
// the warning's file relative to dir when it is below it.
func WarningText(pkgPath string, w bridge.Warning, dir string) string {
	if dir != "" && w.Pos.Filename != "" {
		w.Pos.Filename = Relative(w.Pos.Filename, dir)
	}
	return fmt.Sprintf("warning: %s: %s", pkgPath, w)
}
