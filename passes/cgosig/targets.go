package cgosig

import (
	"go/build"
	"go/types"
	"path/filepath"
	"runtime"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
)

// A target is a GOOS/GOARCH pair a file is checked for.
type target struct {
	goos, goarch string
	sizes        types.Sizes
	host         bool
}

func (t *target) String() string { return t.goos + "/" + t.goarch }

// crossTargets are the targets every cgo file is also checked for, when
// its build constraints allow: the ones where C's long, pointers or
// long double differ, and the common 64-bit ARM ones.
var crossTargets = [][2]string{
	{"linux", "amd64"},
	{"linux", "arm64"},
	{"linux", "386"},
	{"windows", "amd64"},
	{"darwin", "arm64"},
}

// allTargets returns the host target (the one the package was
// type-checked and its C translated for), then the cross targets.
// hostSizes are the pass's sizes for the host.
func allTargets(hostSizes types.Sizes) []*target {
	// The bridge translates the C for the process's own target.
	goos, goarch := runtime.GOOS, runtime.GOARCH
	if hostSizes == nil {
		hostSizes = types.SizesFor("gc", goarch)
	}
	out := []*target{{goos: goos, goarch: goarch, sizes: hostSizes, host: true}}
	for _, t := range crossTargets {
		if t[0] == goos && t[1] == goarch {
			continue
		}
		sizes := types.SizesFor("gc", t[1])
		if sizes == nil {
			continue
		}
		out = append(out, &target{goos: t[0], goarch: t[1], sizes: sizes})
	}
	return out
}

// targetsFor returns the targets a file is built for: the host always
// (the file is in the package being checked), and each cross target
// whose build constraints, file name suffixes included, it satisfies.
func (c *checker) targetsFor(file string) []*target {
	out := []*target{c.host}
	dir, base := filepath.Split(file)
	for _, t := range c.targets[1:] {
		ctxt := build.Default
		ctxt.GOOS, ctxt.GOARCH = t.goos, t.goarch
		ctxt.CgoEnabled = true
		ctxt.ReleaseTags = build.Default.ReleaseTags
		if ok, err := ctxt.MatchFile(dir, base); err == nil && ok {
			out = append(out, t)
		}
	}
	return out
}

func targetList(ts []*target) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.String()
	}
	return checkutil.Join(names)
}

type layoutKey struct {
	cname string
	t     *target
}

// cLayout returns the layout of C type cname on target t, or nil when it
// is unknown.
func (c *checker) cLayout(cname string, t *target) *bridge.Layout {
	key := layoutKey{cname, t}
	if l, ok := c.clay[key]; ok {
		return l
	}
	var l *bridge.Layout
	var ok bool
	if t.host {
		l, ok = c.bridge.Layout(cname)
	} else {
		l, ok = c.bridge.LayoutFor(cname, t.goos, t.goarch)
	}
	if !ok || l == nil || l.Size < 0 {
		l = nil
	}
	c.clay[key] = l
	return l
}
