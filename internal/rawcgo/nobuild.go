package rawcgo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/packages"
)

// listMode is what LoadNoBuild asks go/packages for: names, files and
// the import graph, which go list answers without building anything.
// Asking for syntax or types would make go list compile every cgo
// package, C files included.
const listMode = packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule

// NoBuildOptions say how LoadNoBuild declares the C names of cgo
// packages.
type NoBuildOptions struct {
	// CgoTypePass runs cgo's type pass (go tool cgo) on every cgo
	// package instead of writing its declarations from the bridge.
	CgoTypePass bool
	// Warn, when set, is told once per package why the bridge's
	// declarations were not used and cgo's type pass was run instead.
	// It may be called from several goroutines at once.
	Warn func(pkgPath string, w bridge.Warning)
	// RawOnly keeps every cgo package in the raw shape, one that uses
	// C variables too (see processedShape): for comparing the C
	// declarations, not for building SSA.
	RawOnly bool
}

// LoadNoBuild loads the packages matching patterns, with their
// dependencies, as go/packages does in LoadAllSyntax mode, but without
// building any of them: every package is parsed and type-checked from
// source here, except the standard library's dependencies, whose types
// come from the export data in the go command's build cache (see
// stdFromExportData), and a package with cgo files is type-checked in the raw
// shape, its user files with C.x resolved against the declarations cgo's
// type pass would write. The bridge writes them from the preambles it
// reads (bridge.Package.GoView), so no C compiler runs; for a package
// whose references the bridge cannot render, or whose declarations do
// not type-check with its files, cgo's type pass (go tool cgo) writes
// them, which reads the preambles and headers with gcc but compiles
// none of the package's C. cfg supplies the directory, environment,
// build flags, context and whether tests are included; its Mode is
// ignored.
//
// The returned packages are what checker.Analyze needs. cleanup removes
// the declarations files, which the packages' positions may refer to;
// call it when the packages are no longer needed.
func LoadNoBuild(cfg *packages.Config, patterns ...string) (roots []*packages.Package, cleanup func(), err error) {
	return LoadNoBuildWith(cfg, NoBuildOptions{}, patterns...)
}

// LoadNoBuildWith is LoadNoBuild with options.
func LoadNoBuildWith(cfg *packages.Config, opts NoBuildOptions, patterns ...string) (roots []*packages.Package, cleanup func(), err error) {
	listCfg := *cfg
	listCfg.Mode = listMode
	// cgo's declarations import syscall and runtime/cgo, which go list
	// adds to a cgo package's imports only when it runs cgo.
	listed, err := packages.Load(&listCfg, append(slices.Clone(patterns), cgoImports...)...)
	if err != nil {
		return nil, nil, err
	}
	env, err := goEnv(cfg)
	if err != nil {
		return nil, nil, err
	}
	objRoot, err := os.MkdirTemp("", "ffivet-cgo-")
	if err != nil {
		return nil, nil, err
	}
	cleanup = func() { os.RemoveAll(objRoot) }
	l := &noBuildLoader{
		cfg:     cfg,
		opts:    opts,
		env:     env,
		fset:    token.NewFileSet(),
		sizes:   types.SizesFor("gc", env.GOARCH),
		objRoot: objRoot,
		extra:   map[string]*packages.Package{},
		state:   map[*packages.Package]*loadState{},
		cgoOut:  map[string]*cgoOutput{},

		exported: map[*packages.Package]*types.Package{},
	}
	if l.sizes == nil {
		l.sizes = types.SizesFor("gc", "amd64")
	}
	l.listFlags = sync.OnceValues(func() (map[string]*cgoFlags, error) { return listCgoFlags(cfg, patterns) })
	for p := range packages.Postorder(listed) {
		l.state[p] = &loadState{done: make(chan struct{})}
	}
	for _, p := range listed {
		// With tests, the extra patterns bring their test variants too.
		base := strings.TrimSuffix(strings.TrimSuffix(p.PkgPath, ".test"), "_test")
		if p.ForTest != "" {
			base = p.ForTest
		}
		if slices.Contains(cgoImports, base) {
			if p.ID == base {
				l.extra[base] = p
			}
			if !namedByPatterns(base, patterns) {
				continue
			}
		}
		roots = append(roots, p)
	}
	isRoot := map[*packages.Package]bool{}
	var all []*packages.Package
	for p := range packages.Postorder(listed) {
		all = append(all, p)
	}
	for _, p := range roots {
		isRoot[p] = true
	}
	l.stdFromExportData(all, isRoot)
	for _, p := range roots {
		l.start(p)
	}
	for _, p := range roots {
		l.wait(p)
	}
	return roots, cleanup, nil
}

// cgoImports are the packages cgo's declarations import.
var cgoImports = []string{"syscall", "runtime/cgo"}

// namedByPatterns reports whether patterns may match the package path
// themselves, rather than only through dependencies.
func namedByPatterns(path string, patterns []string) bool {
	for _, pat := range patterns {
		prefix, wildcard := strings.CutSuffix(pat, "...")
		if pat == path || pat == "std" || pat == "all" ||
			wildcard && !strings.HasPrefix(pat, ".") && !filepath.IsAbs(pat) && strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// goToolEnv is what go env says about the C compiler and the target.
type goToolEnv struct {
	CC, CGO_CFLAGS, CGO_CPPFLAGS, GOOS, GOARCH string
}

func goEnv(cfg *packages.Config) (*goToolEnv, error) {
	out, err := goCmd(cfg, "env", "-json", "CC", "CGO_CFLAGS", "CGO_CPPFLAGS", "GOOS", "GOARCH")
	if err != nil {
		return nil, err
	}
	env := new(goToolEnv)
	if err := json.Unmarshal(out, env); err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	return env, nil
}

// cgoFlags are the #cgo directives of a package as go list resolves them
// for this build.
type cgoFlags struct {
	ImportPath   string
	CgoCPPFLAGS  []string
	CgoCFLAGS    []string
	CgoPkgConfig []string
}

// listCgoFlags asks go list for the cgo flags of every package in the
// graph, by import path (test variants share their package's flags).
func listCgoFlags(cfg *packages.Config, patterns []string) (map[string]*cgoFlags, error) {
	args := []string{"list", "-e", "-deps", "-json=ImportPath,CgoCPPFLAGS,CgoCFLAGS,CgoPkgConfig"}
	if cfg.Tests {
		args = append(args, "-test")
	}
	args = append(args, cfg.BuildFlags...)
	args = append(args, "--")
	args = append(args, patterns...)
	out, err := goCmd(cfg, args...)
	if err != nil {
		return nil, err
	}
	flags := map[string]*cgoFlags{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		f := new(cgoFlags)
		if err := dec.Decode(f); err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		path, _, _ := strings.Cut(f.ImportPath, " ")
		flags[path] = f
	}
	return flags, nil
}

func goCmd(cfg *packages.Config, args ...string) ([]byte, error) {
	ctx := cfg.Context
	if ctx == nil {
		ctx = context.Background()
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.Dir
	cmd.Env = cfg.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

type noBuildLoader struct {
	cfg     *packages.Config
	opts    NoBuildOptions
	env     *goToolEnv
	fset    *token.FileSet
	sizes   types.Sizes
	objRoot string
	// listFlags asks go list for the cgo flags, once, when the first
	// cgo package is found.
	listFlags func() (map[string]*cgoFlags, error)
	extra     map[string]*packages.Package // cgoImports, when the patterns do not name them
	state     map[*packages.Package]*loadState

	mu     sync.Mutex
	cgoOut map[string]*cgoOutput // by package directory and files: a package and its test variant share it

	// exported holds the types of the packages loaded from export data
	// (see stdFromExportData), which are not parsed or type-checked.
	exported map[*packages.Package]*types.Package
}

// cgoOutput is the declarations file of one set of cgo files.
type cgoOutput struct {
	once  sync.Once
	types string // the path of _cgo_gotypes.go
	err   error
	// fromBridge says the bridge wrote it; cgo ran when it is false.
	fromBridge bool
	// cgoOnce runs cgo's type pass, when the bridge's file does not
	// type-check with the package.
	cgoOnce  sync.Once
	cgoTypes string
	cgoErr   error
}

// loadState says whether a package is being loaded, and when it is done.
type loadState struct {
	once sync.Once
	done chan struct{} // closed when the package is type-checked
}

// start loads p, once, in the background; wait waits until it is loaded.
func (l *noBuildLoader) start(p *packages.Package) {
	st := l.state[p]
	st.once.Do(func() { go l.load(p) })
}

func (l *noBuildLoader) wait(p *packages.Package) { <-l.state[p].done }

// load type-checks p once its imports are.
func (l *noBuildLoader) load(p *packages.Package) {
	defer close(l.state[p].done)
	for _, dep := range p.Imports {
		l.start(dep)
	}
	p.Fset = l.fset
	p.TypesSizes = l.sizes
	if p.PkgPath == "unsafe" {
		p.Types = types.Unsafe
		p.CompiledGoFiles = nil
		return
	}
	if tp := l.exported[p]; tp != nil {
		p.Types = tp
		p.CompiledGoFiles = nil
		return
	}

	var cgoFiles []string
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(l.fset, name, nil, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		if f != nil {
			p.Syntax = append(p.Syntax, f)
		}
		if err != nil {
			l.addError(p, err, packages.ParseError)
			continue
		}
		if importsC(f) {
			cgoFiles = append(cgoFiles, name)
		}
	}
	p.CompiledGoFiles = slices.Clone(p.GoFiles)
	userFiles, userErrors := slices.Clone(p.Syntax), slices.Clone(p.Errors)
	// The C declarations need only the package's own files: write them
	// while the dependencies are type-checked.
	declared := make(chan *cgoOutput, 1)
	if len(cgoFiles) > 0 {
		go func() { declared <- l.declarations(p, userFiles, cgoFiles) }()
		for _, path := range cgoImports {
			if dep := l.extra[path]; dep != nil && dep != p {
				l.start(dep)
			}
		}
	}
	for _, dep := range p.Imports {
		l.wait(dep)
	}
	if len(cgoFiles) == 0 {
		l.check(p, false)
		return
	}
	l.addCgoImports(p)
	out := <-declared
	l.addDeclarations(p, out.types, out.err)
	l.check(p, true)
	if out.fromBridge {
		if i := slices.IndexFunc(p.TypeErrors, func(e types.Error) bool { return l.aboutC(e, out.types) }); i >= 0 {
			// The bridge's declarations do not fit the package as
			// cgo's would: say why once, and type-check with cgo's.
			l.warn(p, bridge.Warning{Msg: fmt.Sprintf("the C declarations ffivet wrote do not type-check with the package (%s); ran cgo's type pass instead", p.TypeErrors[i].Msg)})
			p.Syntax, p.Errors, p.TypeErrors = userFiles, userErrors, nil
			p.CompiledGoFiles = slices.Clone(p.GoFiles)
			types, err := l.cgoFallback(p, cgoFiles, out)
			l.addDeclarations(p, types, err)
			l.check(p, true)
		}
	}
	if name, pos := cVariableUse(p); name != "" && !l.opts.RawOnly {
		l.processedShape(p, userFiles, userErrors, cgoFiles, out, name, pos)
	}
}

// cVariableUse returns the first C variable the package's own files
// use (C.x for a variable x), and where.
//
// In the type checker's cgo mode C.x denotes the variable, while the
// object it resolves to is cgo's pointer to it (_Cvar_x): go/ssa, which
// knows nothing of the difference, takes the pointer for the variable
// and fails on C.x.f = v. Such a package is checked in cgo's processed
// shape instead (processedShape).
func cVariableUse(p *packages.Package) (string, token.Pos) {
	name, at := "", token.NoPos
	for id, obj := range p.TypesInfo.Uses {
		v, ok := obj.(*types.Var)
		if !ok || !strings.HasPrefix(v.Name(), "_Cvar_") || v.Pkg() != p.Types || id.Name == v.Name() {
			// id.Name == v.Name() in cgo's own declarations.
			continue
		}
		if at == token.NoPos || id.Pos() < at {
			name, at = id.Name, id.Pos()
		}
	}
	return name, at
}

// processedShape type-checks p again from the files go tool cgo writes
// for its cgo files, as go build compiles them (the shape of -cgo=run),
// without compiling any C. It says so once; if cgo fails, p stays as it
// was.
func (l *noBuildLoader) processedShape(p *packages.Package, userFiles []*ast.File, userErrors []packages.Error, cgoFiles []string, out *cgoOutput, name string, pos token.Pos) {
	gotypes, err := out.types, out.err
	if out.fromBridge {
		gotypes, err = l.cgoFallback(p, cgoFiles, out)
	}
	w := bridge.Warning{Pos: l.fset.Position(pos)}
	if err != nil {
		w.Msg = fmt.Sprintf("C.%s: a C variable used from Go, which SSA cannot be built for in the type checker's cgo mode, and cgo's processed files are not available (%v); the checks skip this package", name, err)
		l.warn(p, w)
		return
	}
	w.Msg = fmt.Sprintf("C.%s: a C variable used from Go, which SSA cannot be built for in the type checker's cgo mode; checked in the files go tool cgo writes instead", name)
	l.warn(p, w)
	objdir := filepath.Dir(gotypes)
	isCgo := map[string]bool{}
	for _, f := range cgoFiles {
		isCgo[f] = true
	}
	var syntax []*ast.File
	var compiled []string
	var errs []error
	for _, f := range userFiles {
		file := l.fset.File(f.Pos()).Name()
		if !isCgo[file] {
			syntax, compiled = append(syntax, f), append(compiled, file)
			continue
		}
		processed := filepath.Join(objdir, strings.TrimSuffix(filepath.Base(file), ".go")+".cgo1.go")
		pf, err := parser.ParseFile(l.fset, processed, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		syntax, compiled = append(syntax, pf), append(compiled, processed)
	}
	if len(errs) > 0 {
		l.addError(p, errs[0], packages.ParseError)
		return
	}
	p.Syntax, p.CompiledGoFiles, p.Errors, p.TypeErrors = syntax, compiled, userErrors, nil
	l.addDeclarations(p, gotypes, nil)
	l.check(p, false)
}

// aboutC reports whether a type error may come from the declarations
// of C names: it is in the declarations file, or it names C.x.
func (l *noBuildLoader) aboutC(e types.Error, declarations string) bool {
	return l.fset.Position(e.Pos).Filename == declarations || strings.Contains(e.Msg, "C.") || strings.Contains(e.Msg, "_C")
}

// addDeclarations adds the declarations file of p's C names to its
// syntax, or the error that kept it from being written.
func (l *noBuildLoader) addDeclarations(p *packages.Package, gotypes string, err error) {
	if err != nil {
		l.addError(p, err, packages.ListError)
	} else if f, err := parser.ParseFile(l.fset, gotypes, nil, parser.SkipObjectResolution); err != nil {
		l.addError(p, err, packages.ParseError)
	} else {
		p.Syntax = append(p.Syntax, f)
		p.CompiledGoFiles = append(p.CompiledGoFiles, gotypes)
	}
}

// check type-checks p's syntax, in go/types' cgo mode when p has cgo
// files.
func (l *noBuildLoader) check(p *packages.Package, cgo bool) {

	conf := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			dep := p.Imports[path]
			if dep == nil || dep.Types == nil {
				return nil, fmt.Errorf("no package %s", path)
			}
			return dep.Types, nil
		}),
		Sizes: l.sizes,
		Error: func(err error) {
			if terr, ok := err.(types.Error); ok {
				p.TypeErrors = append(p.TypeErrors, terr)
			}
			l.addError(p, err, packages.TypeError)
		},
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + p.Module.GoVersion
	}
	if cgo && !setUsesCgo(conf) {
		l.addError(p, errors.New("this Go version's type checker has no cgo mode"), packages.TypeError)
	}
	p.TypesInfo = newInfo()
	p.Types = types.NewPackage(p.PkgPath, p.Name)
	_ = types.NewChecker(conf, l.fset, p.Types, p.TypesInfo).Files(p.Syntax) // errors went to conf.Error
	p.IllTyped = len(p.Errors) > 0
	for _, dep := range p.Imports {
		if dep.IllTyped {
			p.IllTyped = true
		}
	}
}

// addCgoImports makes the packages cgo's declarations import imports of
// p, and waits until they are loaded.
func (l *noBuildLoader) addCgoImports(p *packages.Package) {
	if p.PkgPath == "runtime/cgo" || strings.HasPrefix(p.PkgPath, "runtime/") {
		return // cgo is run without these imports there
	}
	for _, path := range cgoImports {
		if p.Imports[path] != nil {
			continue
		}
		dep := l.extra[path]
		if dep == nil {
			continue // the type checker reports the missing import
		}
		if p.Imports == nil {
			p.Imports = map[string]*packages.Package{}
		}
		p.Imports[path] = dep
		l.start(dep)
		l.wait(dep)
	}
}

// addError records err as one of p's errors.
func (l *noBuildLoader) addError(p *packages.Package, err error, kind packages.ErrorKind) {
	e := packages.Error{Msg: err.Error(), Kind: kind}
	switch err := err.(type) {
	case types.Error:
		e.Pos, e.Msg = err.Fset.Position(err.Pos).String(), err.Msg
	case interface{ Unwrap() []error }: // a scanner.ErrorList
		for _, e := range err.Unwrap() {
			l.addError(p, e, kind)
		}
		return
	}
	p.Errors = append(p.Errors, e)
}

func importsC(f *ast.File) bool {
	return slices.ContainsFunc(f.Imports, func(imp *ast.ImportSpec) bool { return imp.Path.Value == `"C"` })
}

// warn says why p's declarations come from cgo's type pass.
func (l *noBuildLoader) warn(p *packages.Package, w bridge.Warning) {
	if l.opts.Warn != nil {
		l.opts.Warn(p.PkgPath, w)
	}
}

// declarations writes the declarations of the C names p's cgo files
// refer to, once for a package and its test variant: from the bridge
// unless the options say otherwise or the bridge cannot, else by
// running cgo's type pass.
func (l *noBuildLoader) declarations(p *packages.Package, syntax []*ast.File, cgoFiles []string) *cgoOutput {
	dir := filepath.Dir(cgoFiles[0])
	key := dir + "\x00" + strings.Join(cgoFiles, "\x00")
	l.mu.Lock()
	out := l.cgoOut[key]
	if out == nil {
		out = &cgoOutput{}
		l.cgoOut[key] = out
	}
	n := len(l.cgoOut)
	l.mu.Unlock()
	out.once.Do(func() {
		objdir := filepath.Join(l.objRoot, fmt.Sprint(n)) + string(filepath.Separator)
		if out.err = os.Mkdir(objdir, 0o777); out.err != nil {
			return
		}
		out.types = filepath.Join(objdir, "_cgo_gotypes.go")
		if !l.opts.CgoTypePass {
			err := l.bridgeView(p, syntax, cgoFiles, out.types)
			if err == nil {
				out.fromBridge = true
				return
			}
			w := bridge.Warning{Msg: err.Error() + "; ran cgo's type pass instead"}
			if e, ok := err.(*bridge.GoViewError); ok {
				w.Pos.Filename = e.File
				w.Msg = e.Reason + "; ran cgo's type pass instead"
				if e.Name != "" {
					w.Msg = "C." + e.Name + ": " + w.Msg
				}
			}
			l.warn(p, w)
		}
		out.err = l.cgo(p, dir, objdir, cgoFiles)
	})
	return out
}

// cgoFallback runs cgo's type pass for a package whose bridge view did
// not type-check, once for the package and its test variant.
func (l *noBuildLoader) cgoFallback(p *packages.Package, cgoFiles []string, out *cgoOutput) (string, error) {
	out.cgoOnce.Do(func() {
		objdir := filepath.Join(filepath.Dir(out.types), "cgo") + string(filepath.Separator)
		if out.cgoErr = os.Mkdir(objdir, 0o777); out.cgoErr != nil {
			return
		}
		out.cgoTypes = filepath.Join(objdir, "_cgo_gotypes.go")
		out.cgoErr = l.cgo(p, filepath.Dir(cgoFiles[0]), objdir, cgoFiles)
	})
	return out.cgoTypes, out.cgoErr
}

// bridgeView writes to path the declarations the bridge renders for the
// C names of p's cgo files (bridge.Package.GoView). The bridge's
// package is the one the model loads later for the same files, so its C
// is read once.
func (l *noBuildLoader) bridgeView(p *packages.Package, syntax []*ast.File, cgoFiles []string, path string) error {
	if l.env.GOOS != runtime.GOOS || l.env.GOARCH != runtime.GOARCH {
		return fmt.Errorf("the bridge reads C for the host, not for %s/%s", l.env.GOOS, l.env.GOARCH)
	}
	files := slices.Sorted(slices.Values(p.GoFiles))
	bp := bridge.Load(&bridge.Request{GoFiles: files})
	req := &bridge.GoViewRequest{Package: p.Name, ImportPath: p.PkgPath}
	for _, name := range cgoFiles {
		for _, f := range syntax {
			if l.fset.File(f.Pos()).Name() == name {
				req.Files = append(req.Files, bridge.GoViewFile{Path: name, Refs: bridge.CRefs(f)})
			}
		}
	}
	src, err := bp.GoView(req)
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o666)
}

func (l *noBuildLoader) cgo(p *packages.Package, dir, objdir string, cgoFiles []string) error {
	all, err := l.listFlags()
	if err != nil {
		return err
	}
	flags := all[p.PkgPath]
	if flags == nil {
		flags = &cgoFlags{}
	}
	cflags := append(strings.Fields(l.env.CGO_CPPFLAGS), flags.CgoCPPFLAGS...)
	if len(flags.CgoPkgConfig) > 0 {
		pc, err := pkgConfigCflags(l.cfg, flags.CgoPkgConfig)
		if err != nil {
			return err
		}
		cflags = append(cflags, pc...)
	}
	cflags = append(cflags, strings.Fields(l.env.CGO_CFLAGS)...)
	cflags = append(cflags, flags.CgoCFLAGS...)

	// The go command's own arguments for the standard library's
	// packages that the runtime's cgo support is made of.
	args := []string{"tool", "cgo", "-objdir", objdir, "-importpath", p.PkgPath}
	switch p.PkgPath {
	case "runtime/cgo":
		args = append(args, "-import_runtime_cgo=false", "-import_syscall=false")
	case "runtime/race", "runtime/msan", "runtime/asan":
		args = append(args, "-import_syscall=false")
	}
	args = append(args, "--", "-I", objdir)
	args = append(args, cflags...)
	for _, f := range cgoFiles {
		args = append(args, filepath.Base(f))
	}
	ctx := l.cfg.Context
	if ctx == nil {
		ctx = context.Background()
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = l.cfg.Env
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "CC="+l.env.CC)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("cgo: %v\n%s", err, bytes.TrimSpace(out))
	}
	return nil
}

// pkgConfigCflags runs pkg-config for the #cgo pkg-config directives, as
// the go command does.
func pkgConfigCflags(cfg *packages.Config, names []string) ([]string, error) {
	pc := os.Getenv("PKG_CONFIG")
	if pc == "" {
		pc = "pkg-config"
	}
	cmd := exec.Command(pc, append([]string{"--cflags", "--"}, names...)...)
	cmd.Dir = cfg.Dir
	cmd.Env = cfg.Env
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s --cflags %s: %v", pc, strings.Join(names, " "), err)
	}
	return strings.Fields(string(out)), nil
}
