// Command ffivet checks how Go code crosses into C through cgo.
//
// Usage:
//
//	ffivet [flags] [packages]
//	go vet -vettool=$(command -v ffivet) [flags] [packages]
//	ffivet lsp [-tags list] [-test=false]
//
// Run on its own, ffivet loads the named packages (./... by default),
// their tests included, and prints each finding at its place in the .go
// file the user wrote, even for cgo files, which the compiler sees only
// as rewritten copies in the Go build cache. With -fix it edits those
// files. Run by go vet, it is a vet tool like any other and reports the
// same findings. "ffivet lsp" serves them to editors over the Language
// Server Protocol, beside gopls: see docs/editors.md.
//
// Run "ffivet -help" for the flags and exit status, and "ffivet -list"
// for the checks.
package main

import (
	"os"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
	"github.com/ffivet/ffivet/passes"
)

// memoryLimit is the soft limit on the memory of the Go runtime that
// ffivet sets unless $GOMEMLIMIT does. Translating a preamble that
// includes a large library's headers makes hundreds of megabytes of
// garbage, and by default the collector lets the heap grow to twice what
// was live after its last cycle; near this limit it collects sooner
// instead. It is a guard for the peak, not a bound: a run whose live
// data is larger goes over it, at the cost of more collections.
const memoryLimit = 768 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	args := os.Args[1:]
	// The C sides of packages persist in the user cache directory, so
	// that a run after an edit to Go code translates no .c file again.
	bridge.PersistDefault()
	if invokedByGoVet(args) {
		// unitchecker keeps no analyzer's result for its driver:
		// the model's warnings are printed by an analyzer of their own.
		unitchecker.Main(append(passes.All(), report.StderrWarnings)...) // does not return
	}
	if len(args) > 0 && args[0] == "lsp" {
		os.Exit(serveLSP(args[1:], passes.All(), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(run(args, passes.All(), os.Stdout, os.Stderr))
}

// invokedByGoVet reports whether args follow the protocol that go vet
// uses with a -vettool: it asks for the tool's version (-V=full) and its
// flags (-flags), then runs it once per package with the flags and a
// JSON description of the package in a .cfg file.
func invokedByGoVet(args []string) bool {
	if len(args) == 1 && (args[0] == "-V=full" || args[0] == "-flags") {
		return true
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}
