// Package passes lists ffivet's checks.
//
// Each check lives in its own package under passes/, with its user
// documentation in doc.go; this package only collects them so the
// driver, the golangci-lint plugin and the language server run the same
// set in the same order.
package passes

import (
	"slices"

	"github.com/ffivet/ffivet/internal/suppress"
	"github.com/ffivet/ffivet/passes/cgoalloc"
	"github.com/ffivet/ffivet/passes/cgoerrno"
	"github.com/ffivet/ffivet/passes/cgohandle"
	"github.com/ffivet/ffivet/passes/cgonarrow"
	"github.com/ffivet/ffivet/passes/cgopointer"
	"github.com/ffivet/ffivet/passes/cgosig"
	"github.com/ffivet/ffivet/passes/cgounsafe"
	"golang.org/x/tools/go/analysis"
)

// checks lists ffivet's checks, in the order -list prints them.
var checks = []*analysis.Analyzer{
	cgoalloc.Analyzer,
	cgoerrno.Analyzer,
	cgopointer.Analyzer,
	cgohandle.Analyzer,
	cgosig.Analyzer,
	cgonarrow.Analyzer,
	cgounsafe.Analyzer,
}

// all holds the checks wrapped once, so that every caller of All gets
// the same analyzers: wrapping twice would register facts twice.
var all = suppress.WrapAll(checks)

// All returns ffivet's analyzers: the checks, each honouring the
// //ffivet:ignore directives that name it (see package suppress).
func All() []*analysis.Analyzer {
	return slices.Clone(all)
}
