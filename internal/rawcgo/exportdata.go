package rawcgo

import (
	"bufio"
	"bytes"
	"go/build"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// Standard library dependencies come from export data.
//
// Nothing is analyzed in the standard library (the model does not read
// its C, and no check reports there), so a dependency in it needs only
// its types. The go command keeps the standard library compiled in its
// build cache, so `go list -export` names its export data at once,
// where type-checking it from source would cost every run most of its
// time. A package the patterns name is still loaded from source, and so
// is everything when go list cannot say where the export data is.

// stdFromExportData gives the standard library packages of the graph
// that are not roots their types from export data. It reports nothing
// when it cannot: those packages are then type-checked from source.
func (l *noBuildLoader) stdFromExportData(all []*packages.Package, roots map[*packages.Package]bool) {
	src := stdSrc()
	if src == "" {
		return
	}
	var std []*packages.Package
	byPath := map[string]*packages.Package{}
	for _, p := range all {
		if roots[p] || p.PkgPath == "unsafe" || len(p.GoFiles) == 0 || !strings.HasPrefix(p.GoFiles[0], src) || p.ForTest != "" {
			continue
		}
		if _, dup := byPath[p.PkgPath]; dup {
			continue
		}
		std = append(std, p)
		byPath[p.PkgPath] = p
	}
	if len(std) == 0 {
		return
	}
	args := []string{"list", "-export", "-f", "{{.ImportPath}}\t{{.Export}}"}
	args = append(args, l.cfg.BuildFlags...)
	args = append(args, "--")
	for _, p := range std {
		args = append(args, p.PkgPath)
	}
	out, err := goCmd(l.cfg, args...)
	if err != nil {
		return
	}
	files := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, file, ok := strings.Cut(sc.Text(), "\t")
		if ok && file != "" {
			files[path] = file
		}
	}
	for _, p := range std {
		if files[p.PkgPath] == "" {
			return
		}
	}
	// One map for all: a package read as the dependency of another is
	// the same *types.Package when its own export data is read.
	imports := map[string]*types.Package{}
	loaded := map[string]*types.Package{}
	for _, p := range std {
		tp, err := readExportData(l.fset, files[p.PkgPath], imports, p.PkgPath)
		if err != nil {
			return
		}
		loaded[p.PkgPath] = tp
	}
	for _, p := range std {
		l.exported[p] = loaded[p.PkgPath]
	}
}

func readExportData(fset *token.FileSet, file string, imports map[string]*types.Package, path string) (*types.Package, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	return gcexportdata.Read(r, fset, imports, path)
}

// stdSrc is the directory of the standard library's sources, with a
// trailing separator, or "".
func stdSrc() string {
	if build.Default.GOROOT == "" {
		return ""
	}
	return filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
}
