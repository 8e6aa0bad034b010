package bridge

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"go/token"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"modernc.org/cc/v4"

	"github.com/ffivet/ffivet/internal/diskcache"
)

// The C side of a package.
//
// The Go side of a cgo package sees what its preambles declare; the
// package's .c files contribute bodies: summaries of what the functions
// do, where they are defined, and for the checks of //export
// prototypes, the declarations they make by hand. A cSide is all of that
// as plain data. It is computed from every unit of the package (the
// preambles and the .c files, as one program), and then the package is
// built from its preamble units alone with the cSide applied, so a .c
// file's syntax tree is not kept once its summaries are taken, and the
// result is the same whether the cSide was computed now or read back from
// the cache.
//
// The cache is keyed by everything a cSide depends on: the ffivet
// executable, the target, flags and predefined macros, the preambles, the
// .c files, the _cgo_export.h the bridge writes from the //export
// functions, and the annotations files. Every file a unit read (and every
// header it looked for and did not find) is listed in the entry with a
// hash of its content, and an entry whose files changed is not used. An
// edit to Go code that leaves the preambles and the //export functions
// alone translates no .c file.

// cSideVersion changes when the meaning of a cSide changes within one
// executable's lifetime (never, today; the executable is in the key).
const cSideVersion = 1

// maxCSideCache bounds the persistent cache of C sides.
const maxCSideCache = 256 << 20

// A cSide is what a package's .c files add to what its preambles declare.
type cSide struct {
	// Summaries are the summaries from bodies of every function of the
	// package, computed over all units together.
	Summaries map[string]*Summary
	// Defs are the functions defined in .c files.
	Defs map[string]cDef
	// Keeps answers KeepsValue for the functions the preambles declare
	// that have a body, by parameter; parameters that are pointers are
	// left out (summaries describe them).
	Keeps map[string]map[int]keepsAnswer
	// Units are the package's .c units.
	Units []cUnit
	// Warnings are what reading all units and summarizing said.
	Warnings []Warning
}

// A cDef is a function defined in a .c file: where, and the attributes
// and annotations of all its declarations.
type cDef struct {
	Pos    token.Position
	Static bool
	Attrs  Attributes
	Notes  []Annotation
}

type keepsAnswer struct {
	Keeps   Tristate
	GoCalls []string
}

// A cUnit is one .c file of the package and the functions it declares
// without defining them, where the check of //export prototypes looks
// for hand-written ones. A unit that
// declares an //export function is translated and kept in Package.Units
// for that check.
type cUnit struct {
	Name     string
	Declares []string
}

// A cSideEntry is what the cache stores: the cSide and the files its
// units read, by content hash ("" for a header looked for and absent).
type cSideEntry struct {
	Version int
	Reads   map[string]string
	Side    *cSide
}

// Persist makes the translator keep the C sides of packages in dir
// across processes; "" keeps them in this process only.
func (t *Translator) Persist(dir string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.persist = dir
}

// PersistDefault makes the default translator keep C sides in the user
// cache directory, unless FFIVET_CACHE=off.
func PersistDefault() {
	if root := diskcache.Root(); root != "" {
		Default.Persist(filepath.Join(root, "bridge"))
	}
}

// sideKey is the cache key of p's C side, or "" when it must not be
// cached (a knowledge table other than the built-in one, an executable
// that cannot be identified).
func (t *Translator) sideKey(p *Package, goos, goarch string, cSources map[string][]byte, extra map[string]string) string {
	exe := diskcache.Executable()
	if exe == "" || p.knowledge != Libc() {
		return ""
	}
	cfg, err := t.config(goos, goarch, p.Flags.ccOptions())
	if err != nil {
		return ""
	}
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s", len(s), s) }
	field(fmt.Sprint(cSideVersion, t.expansionLimit))
	field(exe)
	field(goos + "/" + goarch)
	field(p.Flags.Key())
	field(cfg.Predefined)
	field(p.Dir)
	for _, name := range slices.Sorted(maps.Keys(extra)) {
		field(name)
		field(extra[name])
	}
	for _, pre := range p.Preambles {
		field(pre.File)
		field(fmt.Sprint(pre.Line))
		field(pre.Text)
	}
	for _, path := range p.CFiles {
		field(path)
		field(string(cSources[path]))
	}
	// Annotations files attach to declarations, which the summaries of
	// their callers read.
	annotations := []string{filepath.Join(p.Dir, AnnotationsFile)}
	annotations = append(annotations, filepath.SplitList(os.Getenv(AnnotationsEnv))...)
	for _, name := range annotations {
		field(name)
		b, _ := os.ReadFile(name)
		field(string(b))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cachedSide returns the C side stored under key, if its files are
// unchanged.
func (t *Translator) cachedSide(key string) *cSide {
	if key == "" {
		return nil
	}
	t.mu.Lock()
	var b []byte
	e, ok := t.sides[key]
	if ok {
		b = e.encoded
	}
	dir := t.persist
	t.mu.Unlock()
	if !ok && dir != "" {
		b, ok = diskcache.Dir{Path: dir, Limit: maxCSideCache}.Get(key)
	}
	if !ok {
		return nil
	}
	entry, err := decodeSide(b)
	if err != nil || entry.Version != cSideVersion || !unchanged(entry.Reads) {
		return nil
	}
	t.rememberSide(key, b)
	return entry.Side
}

func (t *Translator) rememberSide(key string, b []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sides == nil {
		t.sides = map[string]*sideEntry{}
	}
	t.sides[key] = &sideEntry{encoded: b, used: t.tick()}
	// A C side is small next to a package: keep as many as the
	// packages, and a few dozen in a process that keeps every package.
	max := t.maxPackages
	if max <= 0 {
		max = 64
	}
	trim(t.sides, max, func(e *sideEntry) uint64 { return e.used })
}

// A sideEntry is an encoded cSideEntry kept in the process.
type sideEntry struct {
	encoded []byte
	used    uint64
}

// storeSide encodes a C side, stores it under key when there is one, and
// returns it decoded again: a side computed now and one read from the
// cache are then the same data.
func (t *Translator) storeSide(key string, side *cSide, reads map[string]string) *cSide {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&cSideEntry{Version: cSideVersion, Reads: reads, Side: side}); err != nil {
		return side
	}
	b := buf.Bytes()
	e, err := decodeSide(b)
	if err != nil {
		return side
	}
	if key != "" {
		t.rememberSide(key, b)
		t.mu.Lock()
		dir := t.persist
		t.mu.Unlock()
		if dir != "" {
			diskcache.Dir{Path: dir, Limit: maxCSideCache}.Put(key, b)
		}
	}
	return e.Side
}

func decodeSide(b []byte) (*cSideEntry, error) {
	e := new(cSideEntry)
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(e); err != nil {
		return nil, err
	}
	if e.Side == nil {
		return nil, fmt.Errorf("empty entry")
	}
	e.Side.internAllocators()
	return e, nil
}

// internAllocators makes equal allocators one pointer, and the malloc
// family MallocFamily, as they are when summaries are computed.
func (s *cSide) internAllocators() {
	seen := map[Allocator]*Allocator{*MallocFamily: MallocFamily}
	intern := func(a *Allocator) *Allocator {
		if a == nil {
			return nil
		}
		if c, ok := seen[*a]; ok {
			return c
		}
		seen[*a] = a
		return a
	}
	for _, sum := range s.Summaries {
		if sum == nil {
			continue
		}
		sum.ReturnsOwned = intern(sum.ReturnsOwned)
		for i, a := range sum.OutOwned {
			sum.OutOwned[i] = intern(a)
		}
		for i, a := range sum.Deallocs {
			sum.Deallocs[i] = intern(a)
		}
	}
}

// unchanged reports whether every file in reads still has the content
// it had, and every header that was absent still is.
func unchanged(reads map[string]string) bool {
	for path, want := range reads {
		fi, err := os.Stat(path)
		if want == "" {
			if err == nil && fi.Mode().IsRegular() {
				return false
			}
			continue
		}
		if err != nil || !fi.Mode().IsRegular() {
			return false
		}
		b, err := os.ReadFile(path)
		if err != nil || contentHash(b) != want {
			return false
		}
	}
	return true
}

func contentHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

// A sideBuilder computes a package's C side from all its units,
// preambles and .c files, read as one program, one unit at a time as
// they are translated (add); finish returns what the .c files add.
type sideBuilder struct {
	p     *Package // whose preambles are collected before its .c units are added
	all   *Package
	facts *attrReader
	isC   map[*Unit]bool
	units []cUnit
}

func newSideBuilder(p *Package, read func(string) ([]byte, error)) *sideBuilder {
	all := &Package{
		Dir: p.Dir, GoFiles: p.GoFiles, Preambles: p.Preambles, CFiles: p.CFiles, Flags: p.Flags, Exports: p.Exports,
		Funcs: map[string]*Func{}, Types: map[string]*TypeDecl{}, Globals: map[string]*Global{}, Macros: map[string]*Macro{},
		knowledge: p.knowledge,
	}
	return &sideBuilder{p: p, all: all, facts: all.newDeclReader(read), isC: map[*Unit]bool{}}
}

// add reads a unit into the side, a .c unit if c: collects its
// declarations and reads their attributes. For a .c unit it reports
// whether the unit declares an //export function of the package by hand.
func (b *sideBuilder) add(u *Unit, c bool) bool {
	b.all.Units = append(b.all.Units, u)
	b.all.collectUnit(u)
	b.facts.unit(u)
	if !c {
		return false
	}
	b.isC[u] = true
	cu := cUnit{Name: u.Name, Declares: declaredOnly(u)}
	b.units = append(b.units, cu)
	for _, name := range cu.Declares {
		if _, ok := b.p.Exports[name]; ok {
			return true
		}
	}
	return false
}

// finish summarizes the functions of all units and returns the side.
func (b *sideBuilder) finish() *cSide {
	all, p := b.all, b.p
	all.guard(all.Dir, b.facts.finish)
	all.guard(all.Dir, func() { all.summaries = summarize(all) })

	side := &cSide{
		Summaries: all.summaries,
		Units:     b.units,
		Defs:      map[string]cDef{},
		Keeps:     map[string]map[int]keepsAnswer{},
		Warnings:  all.Warnings,
	}
	for name, f := range all.Funcs {
		if f.HasBody && b.isC[f.Unit] {
			side.Defs[name] = cDef{Pos: f.Pos, Static: f.Static, Attrs: f.Attrs, Notes: f.Notes}
		}
	}
	for name, f := range p.Funcs {
		if af := all.Funcs[name]; af == nil || !af.HasBody {
			continue
		}
		for i, prm := range f.Params {
			if prm.Type != nil && prm.Type.Kind() == cc.Ptr {
				continue
			}
			if side.Keeps[name] == nil {
				side.Keeps[name] = map[int]keepsAnswer{}
			}
			var k keepsAnswer
			all.guard(all.Dir, func() { k.Keeps, k.GoCalls = all.keepsValue(name, i) })
			side.Keeps[name][i] = k
		}
	}
	return side
}

// declaredOnly lists the functions a unit declares without a body,
// outside the bridge's own headers: where the check of //export
// prototypes looks for hand-written ones.
func declaredOnly(u *Unit) []string {
	var out []string
	for d := range u.Prototypes() {
		file := d.Position().Filename
		if filepath.Base(file) == exportHeaderName || file == "" || file[0] == '<' {
			continue
		}
		out = append(out, d.Name())
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// Prototypes yields the declarators of the functions the unit declares
// at file scope without a body, in order.
func (u *Unit) Prototypes() iter.Seq[*cc.Declarator] {
	return func(yield func(*cc.Declarator) bool) {
		if u.AST == nil {
			return
		}
		for tu := u.AST.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
			ed := tu.ExternalDeclaration
			if ed == nil || ed.Case != cc.ExternalDeclarationDecl || ed.Declaration == nil {
				continue
			}
			for l := ed.Declaration.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
				id := l.InitDeclarator
				if id == nil || id.Declarator == nil {
					continue
				}
				if _, ok := id.Declarator.Type().(*cc.FunctionType); ok && !yield(id.Declarator) {
					return
				}
			}
		}
	}
}

// applySide adds a C side to p, whose preamble units are collected:
// the summaries, the bodies of the functions the preambles declare, and
// the .c units that declare //export functions by hand.
func (p *Package) applySide(side *cSide) {
	p.summaries = side.Summaries
	p.keeps = side.Keeps
	p.cDefs = side.Defs
	for name, d := range side.Defs {
		f := p.Funcs[name]
		if f == nil || f.HasBody {
			continue
		}
		nf := *f
		nf.Pos, nf.Static, nf.HasBody = d.Pos, d.Static, true
		nf.Def, nf.Unit = nil, nil
		p.Funcs[name] = &nf
	}
}

// applySideFacts gives the functions defined in .c files the attributes
// and annotations of all their declarations, after p's own declarations
// were read.
func (p *Package) applySideFacts(side *cSide) {
	for name, d := range side.Defs {
		if f := p.Funcs[name]; f != nil && f.HasBody && f.Def == nil {
			f.Attrs, f.Notes = d.Attrs, d.Notes
		}
	}
	p.addWarnings(side.Warnings)
}

// handUnits lists the .c units of side that declare an //export
// function of p by hand.
func (p *Package) handUnits(side *cSide) []string {
	var out []string
	for _, u := range side.Units {
		for _, name := range u.Declares {
			if _, ok := p.Exports[name]; ok {
				out = append(out, u.Name)
				break
			}
		}
	}
	return out
}

// recordReads merges the files a unit read into reads. It reports false
// if the unit read a file by a relative path, which names another file
// when ffivet runs elsewhere.
func recordReads(reads map[string]string, u *Unit) bool {
	for path, h := range u.reads {
		if !filepath.IsAbs(path) {
			return false
		}
		reads[path] = h
	}
	return true
}
