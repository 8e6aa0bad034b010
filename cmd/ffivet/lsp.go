package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/cmd/ffivet/internal/lsp"
	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
)

const lspUsage = `Usage: ffivet lsp [flags]

ffivet lsp is a language server on standard input and output, to run in
an editor beside gopls. When a Go file is opened or saved it checks the
file's package and publishes the findings, with their suggested fixes
as quick fixes. See docs/editors.md for editor set-up.

Flags:
`

// How much of the C side the language server keeps between runs: the
// packages of a few directories, in a few versions, with their C files.
const (
	lspCachedPackages = 16
	lspCachedUnits    = 512
)

// serveLSP runs "ffivet lsp" and returns the exit code: 0 if the client
// shut the server down as the protocol asks, 1 otherwise.
func serveLSP(args []string, analyzers []*analysis.Analyzer, stdin io.ReadCloser, stdout io.WriteCloser, stderr io.Writer) int {
	var opts options
	fs := flag.NewFlagSet("ffivet lsp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&opts.tests, "test", true, "check test files too")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated `list` of build tags, as for go build")
	fs.StringVar(&opts.cgo, "cgo", "types", cgoUsage)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), lspUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitFailure
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ffivet lsp: unexpected arguments %q: the editor names the files\n", fs.Args())
		return exitFailure
	}

	version := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	// The server lives as long as the editor: keep the C of the packages
	// recently checked, not of every version of every file ever saved.
	bridge.Default.Bound(lspCachedPackages, lspCachedUnits)
	err := lsp.Serve(context.Background(), stdio{stdin, stdout}, lsp.Options{
		Check:   lspChecker(opts, analyzers),
		Version: version,
		Log:     stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "ffivet lsp: %v\n", err)
		return exitFailure
	}
	return exitClean
}

// lspChecker returns a checker that loads and checks a package as
// "ffivet ." run in its directory would, with the driver's own code, and
// writes what the driver would print to stderr to the log.
func lspChecker(opts options, analyzers []*analysis.Analyzer) lsp.Checker {
	return func(ctx context.Context, dir string, log io.Writer) ([]lsp.Finding, error) {
		d := &driver{
			opts:   opts,
			stdout: io.Discard,
			stderr: log,
			cwd:    dir,
			srcs:   report.NewSources(nil),
			ctx:    ctx,
		}
		defer d.close()
		roots, err := d.load([]string{"."}, needFacts(analyzers))
		if err != nil {
			return nil, err
		}
		if len(roots) == 0 {
			return nil, errors.New("no package here")
		}
		d.printLoadErrors(roots)
		if err := ctx.Err(); err != nil {
			return nil, err
		}

		// checker.Analyze cannot be interrupted. A cancelled run
		// returns at once and leaves the analysis to finish unseen,
		// rather than keep a newer run waiting for results that
		// will be thrown away.
		type analyzed struct {
			graph *checker.Graph
			err   error
		}
		done := make(chan analyzed, 1)
		go func() {
			graph, err := checker.Analyze(withWarnings(analyzers), roots, nil)
			done <- analyzed{graph, err}
		}()
		var a analyzed
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case a = <-done:
		}
		if a.err != nil {
			return nil, a.err
		}
		d.printAnalysisErrors(a.graph)
		d.printWarnings(a.graph)

		var findings []lsp.Finding
		for _, f := range collect(a.graph) {
			findings = append(findings, lsp.Finding{Check: f.act.Analyzer, Fset: f.act.Package.Fset, Diagnostic: f.diag})
		}
		return findings, nil
	}
}

// stdio is the client's end of the connection: standard input and
// output.
type stdio struct {
	io.ReadCloser
	io.WriteCloser
}

func (s stdio) Close() error {
	return errors.Join(s.ReadCloser.Close(), s.WriteCloser.Close())
}
