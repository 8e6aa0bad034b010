package rawcgo

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/packages"
)

// fallbacks are the corpora whose C names the bridge leaves to cgo's
// type pass, with the name the warning must give.
var fallbacks = map[string]string{
	"github.com/ffivet/ffivet/bridge/testdata/pkgs/goviewvector": "C.lanes",
	"github.com/ffivet/ffivet/bridge/testdata/pkgs/goviewpack":   "pragma pack",
	"github.com/ffivet/ffivet/bridge/testdata/pkgs/badc":         "did not read the whole preamble",
}

// TestBridgeViewAgreesWithCgo loads every cgo corpus twice, with the
// declarations the bridge writes and with those of cgo's type pass, and
// requires the same cgo names in both package scopes, with types of the
// same structure (field names, sizes and offsets, signatures) and the
// same constant values. A package the bridge leaves to cgo is named
// once in a warning, and then agrees trivially.
func TestBridgeViewAgreesWithCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cgo and gcc")
	}
	root := filepath.Join("..", "..")
	var dirs []string
	for _, base := range []string{"testdata/src", "cmd/ffivet/testdata", "bridge/testdata/pkgs"} {
		ents, err := os.ReadDir(filepath.Join(root, base))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() {
				dirs = append(dirs, "./"+base+"/"+e.Name())
			}
		}
	}
	compared := compareViews(t, root, dirs, fallbacks)
	if compared < 10 {
		t.Errorf("compared %d packages, want the corpora", compared)
	}
}

// compareViews loads patterns from dir with the bridge's declarations
// and with cgo's type pass, compares the cgo names of every package cgo
// accepts, and returns how many it compared. A package of fallbacks
// must be named in one warning, with the text given; no other package
// may fall back.
func compareViews(t *testing.T, root string, dirs []string, fallbacks map[string]string) int {
	t.Helper()
	var mu sync.Mutex
	warnings := map[string][]string{}
	load := func(cgoTypePass bool) map[string]*packages.Package {
		opts := NoBuildOptions{CgoTypePass: cgoTypePass, RawOnly: true, Warn: func(pkg string, w bridge.Warning) {
			mu.Lock()
			defer mu.Unlock()
			warnings[pkg] = append(warnings[pkg], w.String())
		}}
		roots, cleanup, err := LoadNoBuildWith(&packages.Config{Dir: root}, opts, dirs...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cleanup)
		byPath := map[string]*packages.Package{}
		for _, p := range roots {
			byPath[p.PkgPath] = p
		}
		return byPath
	}
	fromBridge, fromCgo := load(false), load(true)
	compared := 0
	for path, cp := range fromCgo {
		bp := fromBridge[path]
		if bp == nil || cp.Types == nil || bp.Types == nil || !declaresCgo(cp.Types) {
			continue
		}
		if len(cp.Errors) > 0 {
			continue // cgo rejects the package: nothing to agree with
		}
		compared++
		if want, ok := fallbacks[path]; ok {
			if len(warnings[path]) != 1 || !strings.Contains(warnings[path][0], want) {
				t.Errorf("%s: warnings %q, want one naming %s", path, warnings[path], want)
			}
		} else {
			for _, w := range warnings[path] {
				t.Errorf("%s: bridge view not used: %s", path, w)
			}
		}
		for _, e := range bp.Errors {
			t.Errorf("%s with the bridge's declarations: %v", path, e)
		}
		// Untagged records are compared where they are used: their
		// numbers follow the order gcc's DWARF and cgo's caches meet
		// them in.
		cs, bs := namedCgoNames(cp.Types), namedCgoNames(bp.Types)
		for _, name := range cs {
			if !slices.Contains(bs, name) {
				t.Errorf("%s: cgo declares %s, the bridge does not", path, name)
			}
		}
		for _, name := range bs {
			if !slices.Contains(cs, name) {
				t.Errorf("%s: the bridge declares %s, cgo does not", path, name)
				continue
			}
			if d := sameObject(cp.Types.Scope().Lookup(name), bp.Types.Scope().Lookup(name)); d != "" {
				t.Errorf("%s: %s differs: %s", path, name, d)
			}
		}
	}
	return compared
}

func declaresCgo(pkg *types.Package) bool { return len(cgoNames(pkg)) > 0 }

func namedCgoNames(pkg *types.Package) []string {
	var names []string
	for _, name := range cgoNames(pkg) {
		if !anonymousRecord(name) {
			names = append(names, name)
		}
	}
	return names
}

// anonymousRecord reports cgo's names for untagged structs and unions.
func anonymousRecord(name string) bool {
	for _, prefix := range []string{"_Ctype_struct___", "_Ctype_union___"} {
		if n, ok := strings.CutPrefix(name, prefix); ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
	}
	return false
}

// cgoNames lists the names cgo declares for C entities.
func cgoNames(pkg *types.Package) []string {
	var names []string
	for _, name := range pkg.Scope().Names() {
		if k, _ := bridge.ParseName(name); k != bridge.NotCgo {
			names = append(names, name)
		}
	}
	return names
}

var gcSizes = types.SizesFor("gc", "amd64")

func sameObject(a, b types.Object) string {
	if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) {
		return fmt.Sprintf("%T and %T", a, b)
	}
	if ca, ok := a.(*types.Const); ok {
		cb := b.(*types.Const)
		if ca.Val().Kind() != cb.Val().Kind() || !constant.Compare(ca.Val(), token.EQL, cb.Val()) {
			return fmt.Sprintf("value %v and %v", ca.Val(), cb.Val())
		}
	}
	return sameType(a.Type(), b.Type(), map[[2]string]bool{})
}

// sameType compares types from two packages by structure: named types
// by name and underlying type, structs by field names, types and
// offsets.
func sameType(a, b types.Type, seen map[[2]string]bool) string {
	a, b = types.Unalias(a), types.Unalias(b)
	switch a := a.(type) {
	case *types.Named:
		b, ok := b.(*types.Named)
		if !ok {
			return fmt.Sprintf("%v and %v", a, b)
		}
		an, bn := a.Obj().Name(), b.Obj().Name()
		if an != bn && !(anonymousRecord(an) && anonymousRecord(bn)) {
			return fmt.Sprintf("%s and %s", an, bn)
		}
		key := [2]string{an, bn}
		if seen[key] {
			return ""
		}
		seen[key] = true
		if d := sameType(a.Underlying(), b.Underlying(), seen); d != "" {
			return a.Obj().Name() + ": " + d
		}
		return ""
	case *types.Basic:
		if b, ok := b.(*types.Basic); !ok || a.Kind() != b.Kind() {
			return fmt.Sprintf("%v and %v", a, b)
		}
		return ""
	case *types.Pointer:
		b, ok := b.(*types.Pointer)
		if !ok {
			return fmt.Sprintf("%v and %v", a, b)
		}
		return sameType(a.Elem(), b.Elem(), seen)
	case *types.Slice:
		b, ok := b.(*types.Slice)
		if !ok {
			return fmt.Sprintf("%v and %v", a, b)
		}
		return sameType(a.Elem(), b.Elem(), seen)
	case *types.Array:
		b, ok := b.(*types.Array)
		if !ok || a.Len() != b.Len() {
			return fmt.Sprintf("%v and %v", a, b)
		}
		return sameType(a.Elem(), b.Elem(), seen)
	case *types.Struct:
		b, ok := b.(*types.Struct)
		if !ok || a.NumFields() != b.NumFields() {
			return fmt.Sprintf("%v and %v", a, b)
		}
		if gcSizes.Sizeof(a) != gcSizes.Sizeof(b) {
			return fmt.Sprintf("size %d and %d", gcSizes.Sizeof(a), gcSizes.Sizeof(b))
		}
		fa, fb := fieldsOf(a), fieldsOf(b)
		oa, ob := gcSizes.Offsetsof(fa), gcSizes.Offsetsof(fb)
		for i := range fa {
			if fa[i].Name() != fb[i].Name() || oa[i] != ob[i] {
				return fmt.Sprintf("field %d: %s at %d and %s at %d", i, fa[i].Name(), oa[i], fb[i].Name(), ob[i])
			}
			if d := sameType(fa[i].Type(), fb[i].Type(), seen); d != "" {
				return "field " + fa[i].Name() + ": " + d
			}
		}
		return ""
	case *types.Signature:
		b, ok := b.(*types.Signature)
		if !ok || a.Variadic() != b.Variadic() {
			return fmt.Sprintf("%v and %v", a, b)
		}
		if d := sameType(a.Params(), b.Params(), seen); d != "" {
			return "parameters: " + d
		}
		if d := sameType(a.Results(), b.Results(), seen); d != "" {
			return "results: " + d
		}
		return ""
	case *types.Tuple:
		b, ok := b.(*types.Tuple)
		if !ok || a.Len() != b.Len() {
			return fmt.Sprintf("%v and %v", a, b)
		}
		for i := range a.Len() {
			if d := sameType(a.At(i).Type(), b.At(i).Type(), seen); d != "" {
				return fmt.Sprintf("%d: %s", i, d)
			}
		}
		return ""
	case *types.Interface:
		if b, ok := b.(*types.Interface); !ok || a.NumMethods() != b.NumMethods() {
			return fmt.Sprintf("%v and %v", a, b)
		}
		return ""
	}
	if strings.TrimSpace(a.String()) != strings.TrimSpace(b.String()) {
		return fmt.Sprintf("%v and %v", a, b)
	}
	return ""
}

func fieldsOf(s *types.Struct) []*types.Var {
	fields := make([]*types.Var, s.NumFields())
	for i := range fields {
		fields[i] = s.Field(i)
	}
	return fields
}
