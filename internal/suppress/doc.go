// Package suppress lets users silence a finding they have judged wrong,
// with a comment next to it that says why:
//
//	p := C.CString(s) //ffivet:ignore cgoalloc the callback frees p
//
//	//ffivet:ignore cgoalloc,cgoerrno the pool owns every buffer here
//	func (p *pool) get() *C.char { ... }
//
// A directive names one or more checks, separated by commas, and gives a
// reason. It covers the findings of those checks on its own line and, if
// it stands alone on its line, on the line below; in the doc comment of
// a function it covers the whole function. A directive without a reason
// still covers its findings, and is reported instead of them so that the
// reason gets written.
//
// Suppression happens inside the analyzers, by [WrapAll], so every
// driver (ffivet itself, go vet -vettool, golangci-lint, the language
// server) honours the same directives. A wrapped analyzer sees the
// comments of pass.Files; in cgo's output those are the user's comments
// with //line directives in effect, so a directive and a finding are
// compared at their places in the user's .go file, whatever shape of
// syntax the driver hands the analyzer.
//
// The result of a wrapped analyzer, a [*Result], tells which directives
// of the package suppressed a finding, so that a driver can report the
// ones that no longer do.
package suppress
