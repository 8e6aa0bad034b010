package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
	"github.com/ffivet/ffivet/internal/rawcgo"
	"github.com/ffivet/ffivet/model"
)

// Exit codes.
const (
	exitClean    = 0
	exitFailure  = 1
	exitFindings = 3
)

const usageHeader = `ffivet checks how Go code crosses into C through cgo.

Usage:

	ffivet [flags] [packages]
	go vet -vettool=$(command -v ffivet) [flags] [packages]

Packages are named as for the go command; the default is ./... .
Findings are reported at their place in the .go files, even for cgo
files, which the compiler sees only as rewritten copies.

Flags:
`

const usageFooter = `
Each check has a flag named after it: -NAME=false turns the check off,
and if any -NAME=true is given, only the checks so named run. Flags of a
check are set with -NAME.FLAG. Run "ffivet -list" for the checks.

Exit status:
	0  no findings
	1  failure: bad flags, no packages matched, no package could be
	   loaded, a check failed, or fixed files could not be written
	3  findings reported (with -fix: findings left unfixed; with -diff:
	   also when the diff is not empty)
With -json or -format=sarif the status is 0 unless ffivet fails: the
findings, their fixes and the packages that could not be checked are in
the output. As with go vet, -json with -fix applies nothing.

A finding judged wrong is silenced by a comment that says why, on its
line or the line above, or in the doc comment of its function:
	//ffivet:ignore CHECK[,CHECK...] REASON
With -unused-ignores, directives that silence nothing are reported.
`

// options holds the driver's flags.
type options struct {
	json          bool
	format        string // text, json or sarif
	unusedIgnores bool
	context       int
	fix           bool
	diff          bool
	tests         bool
	tags          string
	cgo           string // types or run: see -cgo
	list          bool
	version       versionFlag
	cpuprofile    string
	memprofile    string
}

// run is ffivet's main program, apart from go vet's protocol: it parses
// args, checks the packages they name with analyzers, prints to stdout
// and stderr, and returns the exit code.
func run(args []string, analyzers []*analysis.Analyzer, stdout, stderr io.Writer) int {
	var opts options
	fs := flag.NewFlagSet("ffivet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&opts.json, "json", false, "print findings as JSON, in the shape go vet -json uses")
	fs.StringVar(&opts.format, "format", "text", "print findings as `text`, json (as -json) or sarif (SARIF 2.1.0)")
	fs.BoolVar(&opts.unusedIgnores, "unused-ignores", false, "also report //ffivet:ignore directives that silence no finding")
	fs.IntVar(&opts.context, "c", -1, "print each finding's line with `N` lines of context around it; -1 prints none")
	fs.BoolVar(&opts.fix, "fix", false, "instead of printing each finding, apply its first suggested fix")
	fs.BoolVar(&opts.diff, "diff", false, "with -fix, print the changes as a unified diff instead of writing them")
	fs.BoolVar(&opts.tests, "test", true, "check test files too")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated `list` of build tags, as for go build")
	fs.StringVar(&opts.cgo, "cgo", "types", cgoUsage)
	fs.BoolVar(&opts.list, "list", false, "list the checks and exit")
	fs.Var(&opts.version, "V", "print the version and exit (-V=full: in the form go vet expects of a tool)")
	fs.StringVar(&opts.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to `file`")
	fs.StringVar(&opts.memprofile, "memprofile", "", "write a heap profile at the end of the run to `file`")

	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range analyzers {
		// The flag package panics on a second definition.
		if fs.Lookup(a.Name) != nil {
			fmt.Fprintf(stderr, "ffivet: -%s names two checks, or a check and a flag\n", a.Name)
			return exitFailure
		}
		enabled[a] = new(triState)
		fs.Var(enabled[a], a.Name, "run the "+a.Name+" check: "+firstLine(a.Doc))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {} // errors are followed by a pointer to -help, not the whole text
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageHeader)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			fmt.Fprint(stdout, usageFooter)
			return exitClean
		}
		fmt.Fprintln(stderr, `Run "ffivet -help" for usage.`)
		return exitFailure
	}

	switch {
	case opts.version.set:
		if err := printVersion(stdout, opts.version.full); err != nil {
			fmt.Fprintf(stderr, "ffivet: %v\n", err)
			return exitFailure
		}
		return exitClean
	case opts.list:
		printList(stdout, analyzers)
		return exitClean
	}

	opts.json = opts.json || opts.format == "json"
	var usageErr string
	switch {
	case opts.format != "text" && opts.format != "json" && opts.format != "sarif":
		usageErr = fmt.Sprintf("-format=%s: want text, json or sarif", opts.format)
	case opts.json && opts.format == "sarif":
		usageErr = "-json and -format=sarif cannot be used together"
	case opts.fix && opts.format == "sarif":
		usageErr = "-format=sarif cannot be used with -fix"
	case opts.diff && !opts.fix:
		usageErr = "-diff requires -fix"
	case opts.diff && opts.json:
		usageErr = "-json and -diff cannot be used together"
	case opts.fix && opts.context >= 0:
		usageErr = "-c cannot be used with -fix"
	case opts.cgo != "types" && opts.cgo != "run":
		usageErr = fmt.Sprintf("-cgo=%s: want types or run", opts.cgo)
	}
	if usageErr != "" {
		fmt.Fprintf(stderr, "ffivet: %s\n", usageErr)
		return exitFailure
	}

	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "ffivet: %v\n", err)
		return exitFailure
	}
	d := &driver{
		opts:   opts,
		stdout: stdout,
		stderr: stderr,
		cwd:    cwd,
		srcs:   report.NewSources(nil),
		checks: analyzers,
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	stop, err := startProfiles(opts.cpuprofile, opts.memprofile)
	if err != nil {
		fmt.Fprintf(stderr, "ffivet: %v\n", err)
		return exitFailure
	}
	code := d.checkCached(args, patterns, selected(analyzers, enabled))
	if err := stop(); err != nil {
		fmt.Fprintf(stderr, "ffivet: %v\n", err)
		return exitFailure
	}
	return code
}

// startProfiles starts a CPU profile into cpu and returns the function
// that stops it and writes a heap profile into mem; empty names skip
// either.
func startProfiles(cpu, mem string) (stop func() error, err error) {
	var cpuFile *os.File
	if cpu != "" {
		if cpuFile, err = os.Create(cpu); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpuFile); err != nil {
			cpuFile.Close()
			return nil, err
		}
	}
	return func() error {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			if err := cpuFile.Close(); err != nil {
				return err
			}
		}
		if mem == "" {
			return nil
		}
		f, err := os.Create(mem)
		if err != nil {
			return err
		}
		runtime.GC()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

// checkCached is check with the result cache: a run whose inputs are
// unchanged prints what the run that cached them printed.
func (d *driver) checkCached(args, patterns []string, analyzers []*analysis.Analyzer) int {
	dir := resultCacheDir()
	// A profiled run is there to be measured, not answered from the cache.
	if dir == "" || d.opts.fix || d.opts.cpuprofile != "" || d.opts.memprofile != "" {
		return d.check(patterns, analyzers)
	}
	key, ok := d.resultKey(args, patterns, analyzers)
	if !ok {
		return d.check(patterns, analyzers)
	}
	if r, ok := readResult(dir, key); ok {
		d.stdout.Write(r.Stdout)
		d.stderr.Write(r.Stderr)
		return r.Code
	}
	stdout, stderr := &teeWriter{w: d.stdout}, &teeWriter{w: d.stderr}
	d.stdout, d.stderr = stdout, stderr
	code := d.check(patterns, analyzers)
	if code != exitFailure {
		writeResult(dir, key, &cachedResult{Stdout: stdout.buf.Bytes(), Stderr: stderr.buf.Bytes(), Code: code})
	}
	return code
}

// selected applies go vet's rule for the -NAME flags: if any is true,
// only those checks run; otherwise all run except those set false.
func selected(analyzers []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	only := slices.ContainsFunc(analyzers, func(a *analysis.Analyzer) bool { return *enabled[a] == setTrue })
	var keep []*analysis.Analyzer
	for _, a := range analyzers {
		if only && *enabled[a] == setTrue || !only && *enabled[a] != setFalse {
			keep = append(keep, a)
		}
	}
	return keep
}

// cgoUsage documents -cgo, shared by the driver and the language server.
const cgoUsage = "how to load cgo packages: `types` type-checks the .go files against declarations of their C names written from the preambles " +
	"(or by cgo's type pass where that is not possible) and compiles none of the package's C; " +
	"run loads them as go build does, compiling the package's C first"

// A driver checks packages once.
type driver struct {
	opts           options
	stdout, stderr io.Writer
	cwd            string
	srcs           *report.Sources
	ctx            context.Context // cancels loading; nil for never

	checks   []*analysis.Analyzer // every check, run or not, to tell a check's name from a typo
	messages []string             // what errorf printed, for the SARIF log
	cleanup  []func()             // run when the driver is done with the packages
}

// close releases what loading the packages left on disk.
func (d *driver) close() {
	for _, f := range d.cleanup {
		f()
	}
	d.cleanup = nil
}

func (d *driver) errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	d.messages = append(d.messages, msg)
	fmt.Fprintf(d.stderr, "ffivet: %s\n", msg)
}

// rel shortens filenames below the current directory.
func (d *driver) rel(filename string) string {
	return report.Relative(filename, d.cwd)
}

func (d *driver) check(patterns []string, analyzers []*analysis.Analyzer) int {
	defer d.close()
	roots, err := d.load(patterns, needFacts(analyzers))
	if err != nil {
		d.errorf("%v", err)
		return exitFailure
	}
	if len(roots) == 0 {
		d.errorf("%s matched no packages", strings.Join(patterns, " "))
		return exitFailure
	}
	if !d.printLoadErrors(roots) {
		return exitFailure
	}

	graph, err := checker.Analyze(withWarnings(analyzers), roots, nil)
	if err != nil {
		d.errorf("%v", err)
		return exitFailure
	}
	failed := d.printAnalysisErrors(graph)
	d.printWarnings(graph)
	findings := collect(graph)
	if d.opts.unusedIgnores {
		findings = sortFindings(append(findings, d.unusedIgnores(graph)...))
	}

	var code int
	switch {
	case d.opts.format == "sarif":
		code = d.printSARIF(graph, findings, analyzers, failed)
	case d.opts.json:
		code = d.printJSON(graph, findings)
	case d.opts.fix:
		code = d.applyFixes(findings)
	default:
		code = d.printText(d.stdout, findings)
	}
	if failed {
		return exitFailure
	}
	return code
}

// load loads the packages matching patterns, leaving out the test main
// packages that go test generates: they hold no code of the user's.
func (d *driver) load(patterns []string, allSyntax bool) ([]*packages.Package, error) {
	mode := packages.LoadSyntax | packages.NeedModule
	if allSyntax {
		mode = packages.LoadAllSyntax | packages.NeedModule
	}
	cfg := &packages.Config{
		Context: d.ctx,
		Dir:     d.cwd,
		Mode:    mode,
		Tests:   d.opts.tests,
	}
	if d.opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + d.opts.tags}
	}
	var pkgs []*packages.Package
	var err error
	if d.opts.cgo == "run" {
		pkgs, err = packages.Load(cfg, patterns...)
	} else {
		var cleanup func()
		var mu sync.Mutex
		var warnings []string
		opts := rawcgo.NoBuildOptions{Warn: func(pkgPath string, w bridge.Warning) {
			mu.Lock()
			defer mu.Unlock()
			warnings = append(warnings, report.WarningText(pkgPath, w, d.cwd))
		}}
		pkgs, cleanup, err = rawcgo.LoadNoBuildWith(cfg, opts, patterns...)
		if cleanup != nil {
			d.cleanup = append(d.cleanup, cleanup)
		}
		slices.Sort(warnings)
		for _, w := range slices.Compact(warnings) {
			d.errorf("%s", w)
		}
	}
	if err != nil {
		return nil, err
	}
	var roots []*packages.Package
	for _, p := range pkgs {
		if p.Name == "main" && strings.HasSuffix(p.ID, ".test") && !strings.Contains(p.ID, " ") {
			continue
		}
		roots = append(roots, p)
	}
	slices.SortFunc(roots, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	return roots, nil
}

// printLoadErrors prints each error found while loading the packages or
// their dependencies, once. It reports whether any package is free of
// errors and so worth checking.
func (d *driver) printLoadErrors(roots []*packages.Package) bool {
	seen := make(map[string]bool)
	for p := range packages.Postorder(roots) {
		for _, e := range p.Errors {
			for _, msg := range d.errorLines(e) {
				if !seen[msg] {
					seen[msg] = true
					d.errorf("%s: %s", p.PkgPath, msg)
				}
			}
		}
		if p.Module != nil && p.Module.Error != nil && !seen[p.Module.Error.Err] {
			seen[p.Module.Error.Err] = true
			d.errorf("%s", p.Module.Error.Err)
		}
	}
	return slices.ContainsFunc(roots, func(p *packages.Package) bool { return !p.IllTyped })
}

// errorLines returns the lines of a load error, each naming its place
// relative to the current directory. Compiler output relayed by go list
// loses its "# package" header, so that its lines match the type
// checker's errors, which usually say the same.
func (d *driver) errorLines(e packages.Error) []string {
	if e.Pos != "" && e.Pos != "-" {
		return []string{d.relPosnString(e.Pos) + ": " + e.Msg}
	}
	lines := strings.Split(strings.TrimSpace(e.Msg), "\n")
	if len(lines) > 1 && strings.HasPrefix(lines[0], "# ") {
		lines = lines[1:]
	}
	for i, line := range lines {
		lines[i] = d.relPosnString(line)
	}
	return lines
}

// relPosnString shortens the file name in a "file:line:col" string.
func (d *driver) relPosnString(posn string) string {
	prefix := d.cwd + string(filepath.Separator)
	if strings.HasPrefix(posn, prefix) {
		return posn[len(prefix):]
	}
	return posn
}

// printAnalysisErrors reports the packages that could not be checked
// and the checks that failed, and reports whether any check failed: a
// check that fails is a bug, while a package with errors was reported
// already.
func (d *driver) printAnalysisErrors(graph *checker.Graph) bool {
	failed := false
	skipped := make(map[string]bool)
	seen := make(map[string]bool)
	for _, act := range sortedRoots(graph) {
		// report.Warnings fails only when the model does, which the
		// checks report.
		if act.Err == nil || act.Analyzer == report.Warnings {
			continue
		}
		if act.Package.IllTyped {
			if !skipped[act.Package.ID] {
				skipped[act.Package.ID] = true
				d.errorf("%s: not checked: the package or a dependency has errors", act.Package.ID)
			}
			continue
		}
		msg := fmt.Sprintf("%s: the %s check failed: %v", act.Package.ID, act.Analyzer.Name, act.Err)
		if !seen[msg] {
			seen[msg] = true
			d.errorf("%s", msg)
		}
		failed = true
	}
	return failed
}

// withWarnings adds report.Warnings to the analyzers when any of them
// builds the model, so that the run keeps the model's warnings.
func withWarnings(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	seen := make(map[*analysis.Analyzer]bool)
	var usesModel func([]*analysis.Analyzer) bool
	usesModel = func(as []*analysis.Analyzer) bool {
		for _, a := range as {
			if a == model.Analyzer {
				return true
			}
			if !seen[a] {
				seen[a] = true
				if usesModel(a.Requires) {
					return true
				}
			}
		}
		return false
	}
	if !usesModel(analyzers) {
		return analyzers
	}
	return append(analyzers[:len(analyzers):len(analyzers)], report.Warnings)
}

// printWarnings prints the model's warnings about each checked package,
// once though a package and its test variant share their C.
func (d *driver) printWarnings(graph *checker.Graph) {
	seen := make(map[string]bool)
	for _, act := range sortedRoots(graph) {
		warnings, ok := act.Result.([]bridge.Warning)
		if act.Analyzer != report.Warnings || !ok {
			continue
		}
		for _, w := range warnings {
			msg := report.WarningText(act.Package.PkgPath, w, d.cwd)
			if !seen[msg] {
				seen[msg] = true
				d.errorf("%s", msg)
			}
		}
	}
}

func sortedRoots(graph *checker.Graph) []*checker.Action {
	roots := slices.Clone(graph.Roots)
	slices.SortStableFunc(roots, func(a, b *checker.Action) int {
		return cmp.Or(
			strings.Compare(a.Package.ID, b.Package.ID),
			strings.Compare(a.Analyzer.Name, b.Analyzer.Name))
	})
	return roots
}

// needFacts reports whether any of analyzers, or any analyzer they
// require, uses facts: those must run on every dependency, from source.
func needFacts(analyzers []*analysis.Analyzer) bool {
	seen := make(map[*analysis.Analyzer]bool)
	var visit func([]*analysis.Analyzer) bool
	visit = func(as []*analysis.Analyzer) bool {
		for _, a := range as {
			if seen[a] {
				continue
			}
			seen[a] = true
			if len(a.FactTypes) > 0 || visit(a.Requires) {
				return true
			}
		}
		return false
	}
	return visit(analyzers)
}

// printList prints each check's name and summary, aligned.
func printList(w io.Writer, analyzers []*analysis.Analyzer) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, a := range analyzers {
		fmt.Fprintf(tw, "%s\t%s\n", a.Name, firstLine(a.Doc))
	}
	tw.Flush()
}

// firstLine returns the summary line of a check's documentation,
// without the "name: " prefix analyzers' docs start with.
func firstLine(doc string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(doc), "\n")
	if name, rest, ok := strings.Cut(line, ": "); ok && !strings.ContainsAny(name, " \t") {
		return rest
	}
	return line
}

// versionFlag implements -V and -V=full.
type versionFlag struct{ set, full bool }

func (*versionFlag) IsBoolFlag() bool { return true }
func (v *versionFlag) String() string { return "" }
func (v *versionFlag) Set(s string) error {
	switch s {
	case "full":
		v.full = true
	case "true":
	default:
		return fmt.Errorf("use -V or -V=full")
	}
	v.set = true
	return nil
}

// printVersion prints the version. With full, it prints it in the form
// the go command requires of a vet tool: "devel" followed by a build ID
// that changes whenever the executable does, so that go vet's cache
// notices a new ffivet.
func printVersion(w io.Writer, full bool) error {
	version := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	if !full {
		_, err := fmt.Fprintf(w, "ffivet version %s\n", version)
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "ffivet version devel %s buildID=%x\n", strings.Trim(version, "()"), h.Sum(nil))
	return err
}

// A triState is a boolean flag that remembers whether it was set, for
// the -NAME flags: -NAME=false and an absent -NAME mean different things.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }

func (ts *triState) Get() any { return *ts != setFalse }

func (ts *triState) String() string {
	if ts != nil && *ts == setFalse {
		return "false"
	}
	return "true"
}

func (ts *triState) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return errors.New("want true or false")
	}
	*ts = setFalse
	if b {
		*ts = setTrue
	}
	return nil
}
