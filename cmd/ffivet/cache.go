package main

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/build"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/diskcache"
)

// The result cache keeps what a run printed, keyed by everything that
// decides it, the way go vet caches its results: the ffivet executable,
// the arguments, the environment the go command and the C compiler read,
// and every file of every package in the import graph (by size and
// modification time; the standard library by the Go version). A second
// run on unchanged packages prints the same findings without loading or
// analyzing anything.
//
// It lives in os.UserCacheDir()/ffivet/results, one file per key, written
// to a temporary file and renamed so that concurrent runs never read a
// partial entry. Beyond maxResultCache bytes the least recently used
// entries are removed. FFIVET_CACHE=off turns it off.
const maxResultCache = 64 << 20

// CacheEnv is the environment variable that turns the caches off.
const CacheEnv = diskcache.Env

// A cachedResult is what one run printed.
type cachedResult struct {
	Stdout, Stderr []byte
	Code           int
}

// resultCacheDir returns the result cache's directory, or "" when the
// cache is off or there is no cache directory.
func resultCacheDir() string {
	root := diskcache.Root()
	if root == "" {
		return ""
	}
	return filepath.Join(root, "results")
}

// resultKey lists the packages the patterns name, without building or
// type-checking them, and returns the key of a run on them with args.
// ok is false when the inputs cannot be read completely: such a run is
// not cached.
func (d *driver) resultKey(args, patterns []string, analyzers []*analysis.Analyzer) (key string, ok bool) {
	h := sha256.New()
	exe := diskcache.Executable()
	if exe == "" {
		return "", false
	}
	fmt.Fprintf(h, "executable %s\n", exe)
	fmt.Fprintf(h, "args %q\ncwd %s\n", args, d.cwd)
	for _, a := range analyzers {
		fmt.Fprintf(h, "check %s\n", a.Name)
	}
	env := os.Environ()
	slices.Sort(env)
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name == CacheEnv {
			continue
		}
		if strings.HasPrefix(name, "GO") || strings.HasPrefix(name, "CGO_") || strings.HasPrefix(name, "FFIVET") ||
			strings.HasPrefix(name, "PKG_CONFIG") || name == "CC" || name == "CXX" || name == "PATH" || name == "HOME" {
			fmt.Fprintf(h, "env %s\n", kv)
		}
	}
	for _, name := range filepath.SplitList(os.Getenv(bridge.AnnotationsEnv)) {
		if name != "" && !diskcache.HashFile(h, name) {
			return "", false
		}
	}

	cfg := &packages.Config{
		Context: d.ctx,
		Dir:     d.cwd,
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Tests:   d.opts.tests,
	}
	if d.opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + d.opts.tags}
	}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil || len(roots) == 0 {
		return "", false
	}
	var pkgs []*packages.Package
	for p := range packages.Postorder(roots) {
		pkgs = append(pkgs, p)
	}
	slices.SortFunc(pkgs, func(a, b *packages.Package) int { return cmp.Compare(a.ID, b.ID) })
	goroot := goRoot()
	dirs := map[string]bool{}
	for _, p := range pkgs {
		fmt.Fprintf(h, "package %s\n", p.ID)
		if len(p.Errors) > 0 {
			return "", false // the go command may see the package differently next time
		}
		if p.Name == "main" && strings.HasSuffix(p.ID, ".test") {
			continue // go test's generated main, in the build cache: made from the packages it imports
		}
		for _, f := range slices.Concat(p.GoFiles, p.OtherFiles, p.EmbedFiles) {
			dir := filepath.Dir(f)
			if goroot != "" && strings.HasPrefix(dir, goroot) {
				continue // keyed by the Go version, below
			}
			dirs[dir] = true
		}
		// The C side reads headers anywhere below the package directory.
		if len(p.OtherFiles) > 0 && len(p.GoFiles) > 0 {
			dirs[filepath.Dir(p.GoFiles[0])+string(filepath.Separator)+"..."] = true
		}
	}
	if goroot != "" {
		if !diskcache.HashFile(h, filepath.Join(goroot, "VERSION")) {
			fmt.Fprintf(h, "goroot %s\n", goroot)
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		if !hashDir(h, dir) {
			return "", false
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// goRoot returns GOROOT's src directory, where the standard library's
// files are.
func goRoot() string {
	if build.Default.GOROOT == "" {
		return ""
	}
	return filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
}

// hashDir writes the files of a directory to h; a directory ending in
// /... includes its subdirectories, except hidden ones, testdata and
// nested modules.
func hashDir(h hash.Hash, dir string) bool {
	root, recursive := strings.CutSuffix(dir, string(filepath.Separator)+"...")
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if path == root {
				return nil
			}
			name := e.Name()
			if !recursive || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "file %s %d %d\n", path, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return err == nil
}

// readResult returns the cached result for key, if there is one.
func readResult(dir, key string) (*cachedResult, bool) {
	b, ok := diskcache.Dir{Path: dir}.Get(key)
	if !ok {
		return nil, false
	}
	r := new(cachedResult)
	if err := json.Unmarshal(b, r); err != nil {
		return nil, false
	}
	return r, true
}

// writeResult stores a result under key and trims the cache.
func writeResult(dir, key string, r *cachedResult) {
	b, err := json.Marshal(r)
	if err != nil {
		return
	}
	diskcache.Dir{Path: dir, Limit: maxResultCache}.Put(key, b)
}

// teeWriter is an io.Writer that also keeps what it writes.
type teeWriter struct {
	w   io.Writer
	buf bytes.Buffer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.buf.Write(p)
	return t.w.Write(p)
}
