package checkutil

import (
	"go/build"
	"go/types"
	"path/filepath"
	"runtime"

	"github.com/ffivet/ffivet/bridge"
)

// A Target is a GOOS/GOARCH pair a file is checked for, with Go's sizes
// there.
type Target struct {
	GOOS, GOARCH string
	Sizes        types.Sizes
	// Host is set for the target the package was type-checked and its
	// C translated for.
	Host bool
}

func (t *Target) String() string { return t.GOOS + "/" + t.GOARCH }

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

// AllTargets returns the host target (the one the package was
// type-checked and its C translated for), then the cross targets.
// hostSizes are the pass's sizes for the host.
func AllTargets(hostSizes types.Sizes) []*Target {
	// The bridge translates the C for the process's own target.
	goos, goarch := runtime.GOOS, runtime.GOARCH
	if hostSizes == nil {
		hostSizes = types.SizesFor("gc", goarch)
	}
	out := []*Target{{GOOS: goos, GOARCH: goarch, Sizes: hostSizes, Host: true}}
	for _, t := range crossTargets {
		if t[0] == goos && t[1] == goarch {
			continue
		}
		sizes := types.SizesFor("gc", t[1])
		if sizes == nil {
			continue
		}
		out = append(out, &Target{GOOS: t[0], GOARCH: t[1], Sizes: sizes})
	}
	return out
}

// TargetsFor returns the targets of all (host first, as AllTargets
// returns them) that file is built for: the host always (the file is in
// the package being checked), and each cross target whose build
// constraints, file name suffixes included, it satisfies.
func TargetsFor(all []*Target, file string) []*Target {
	out := []*Target{all[0]}
	dir, base := filepath.Split(file)
	for _, t := range all[1:] {
		ctxt := build.Default
		ctxt.GOOS, ctxt.GOARCH = t.GOOS, t.GOARCH
		ctxt.CgoEnabled = true
		ctxt.ReleaseTags = build.Default.ReleaseTags
		if ok, err := ctxt.MatchFile(dir, base); err == nil && ok {
			out = append(out, t)
		}
	}
	return out
}

// TargetList names targets as in prose: "linux/386 and windows/amd64".
func TargetList(ts []*Target) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.String()
	}
	return Join(names)
}

type layoutKey struct {
	cname string
	t     *Target
}

// Layouts are the layouts of a package's C types on each target,
// computed once each. They are not safe for concurrent use: each run of
// a check has its own.
type Layouts struct {
	bridge *bridge.Package
	cache  map[layoutKey]*bridge.Layout
}

// NewLayouts returns the layouts of the C types of b.
func NewLayouts(b *bridge.Package) *Layouts {
	return &Layouts{bridge: b, cache: map[layoutKey]*bridge.Layout{}}
}

// Of returns the layout of C type cname on target t, or nil when it is
// unknown.
func (ls *Layouts) Of(cname string, t *Target) *bridge.Layout {
	key := layoutKey{cname, t}
	if l, ok := ls.cache[key]; ok {
		return l
	}
	var l *bridge.Layout
	var ok bool
	if t.Host {
		l, ok = ls.bridge.Layout(cname)
	} else {
		l, ok = ls.bridge.LayoutFor(cname, t.GOOS, t.GOARCH)
	}
	if !ok || l == nil || l.Size < 0 {
		l = nil
	}
	ls.cache[key] = l
	return l
}

// OnTargets prefixes a finding's message with the targets it holds on,
// "on linux/386 and windows/amd64: ...", unless it holds on the host.
func OnTargets(on []*Target, msg string) string {
	if len(on) > 0 && !on[0].Host {
		return "on " + TargetList(on) + ": " + msg
	}
	return msg
}
