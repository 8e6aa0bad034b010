// Package passes lists ffivet's checks.
//
// Each check lives in its own package under passes/, with its user
// documentation in doc.go; this package only collects them so the
// driver, the golangci-lint plugin and the language server run the same
// set in the same order.
package passes

import (
	"github.com/ffivet/ffivet/passes/cgoalloc"
	"golang.org/x/tools/go/analysis"
)

// All returns ffivet's analyzers, in the order -list prints them.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		cgoalloc.Analyzer,
	}
}
