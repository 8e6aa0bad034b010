package bridge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/build"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"modernc.org/cc/v4"
)

// A Package is the C side of one cgo package.
type Package struct {
	Dir       string
	GoFiles   []string // the package's .go files that import "C" (original paths)
	Preambles []*Preamble
	CFiles    []string // the package's .c files for this build
	Flags     *Flags
	Exports   map[string]*Export // //export'ed Go functions by name
	Units     []*Unit

	Funcs   map[string]*Func
	Types   map[string]*TypeDecl // typedef names and "struct x"/"union x"/"enum x"
	Globals map[string]*Global
	Macros  map[string]*Macro

	Warnings []Warning

	summaries map[string]*Summary
	keeps     map[string]map[int]keepsAnswer // KeepsValue's answers
	cDefs     map[string]cDef                // the functions .c files define
	typedefs  map[string]typedefLink         // see typedefLinks
	knowledge *Knowledge
	// exportDecls are the file-scope declarations of //export'ed
	// functions, by name (see ExportDecls).
	exportDecls map[string][]*cc.Declarator
}

// An Export is a Go function marked //export.
type Export struct {
	Name string
	Pos  token.Position
	Decl *ast.FuncDecl
}

// A Warning is a problem reading the package's C: it limits what ffivet
// knows but does not stop the analysis.
type Warning struct {
	Pos token.Position // file and line when known
	Msg string
}

func (w Warning) String() string {
	if w.Pos.Filename == "" {
		return w.Msg
	}
	if w.Pos.Line == 0 {
		return w.Pos.Filename + ": " + w.Msg
	}
	return fmt.Sprintf("%s:%d: %s", w.Pos.Filename, w.Pos.Line, w.Msg)
}

// A Request says which package to load. GoFiles are the original .go
// files of the package (not cgo's output); files that do not import "C"
// are ignored.
type Request struct {
	GoFiles []string
	GOOS    string // default: the host
	GOARCH  string
	Tags    []string // extra build tags
	// Sources, when set, supplies file contents by path instead of the
	// disk (an editor's unsaved buffers, tests).
	Sources map[string][]byte
	// Knowledge overrides the libc knowledge table (tests); nil uses the
	// built-in table plus any annotations file found.
	Knowledge *Knowledge
}

// Load returns the C side of the package made of req.GoFiles, using the
// default translator. Results are cached: the same files with the same
// contents and target load once per process.
func Load(req *Request) *Package { return Default.Load(req) }

type packageEntry struct {
	once sync.Once
	pkg  *Package
	used uint64
}

// Load is the translator's version of the package-level Load.
func (t *Translator) Load(req *Request) *Package {
	goos, goarch := req.GOOS, req.GOARCH
	if goos == "" || goarch == "" {
		goos, goarch = hostTarget()
	}
	read := func(path string) ([]byte, error) {
		if b, ok := req.Sources[path]; ok {
			return b, nil
		}
		return os.ReadFile(path)
	}
	tags := map[string]bool{"cgo": true}
	for _, tg := range req.Tags {
		tags[tg] = true
	}

	p := &Package{
		Exports: map[string]*Export{},
		Funcs:   map[string]*Func{}, Types: map[string]*TypeDecl{},
		Globals: map[string]*Global{}, Macros: map[string]*Macro{},
		knowledge: req.Knowledge,
	}
	if p.knowledge == nil {
		p.knowledge = Libc()
	}
	contents := map[string][]byte{}
	for _, path := range req.GoFiles {
		src, err := read(path)
		if err != nil {
			p.warn(token.Position{Filename: path}, "cannot read: %v", err)
			continue
		}
		contents[path] = src
		fset := token.NewFileSet()
		pre, errs := readFile(fset, path, src, p)
		for _, e := range errs {
			p.Warnings = append(p.Warnings, warningOf(e))
		}
		if pre == nil {
			continue
		}
		p.GoFiles = append(p.GoFiles, path)
		p.Preambles = append(p.Preambles, pre)
		if p.Dir == "" {
			p.Dir = filepath.Dir(path)
			// cgo gives ${SRCDIR} as an absolute path.
			if abs, err := filepath.Abs(p.Dir); err == nil {
				p.Dir = abs
			}
		}
	}
	if len(p.Preambles) == 0 {
		return p
	}
	p.CFiles = cFiles(p.Dir, goos, goarch, req.Tags)
	p.Flags = FlagsFor(p.Preambles, p.Dir, goos, goarch, tags)
	for _, w := range p.Flags.Warnings {
		p.Warnings = append(p.Warnings, textWarning(w))
	}

	// The package key: everything that changes what the C says.
	digest := dirDigest(append([]string{p.Dir}, localDirs(p.Dir, p.Flags.IncludeDirs)...))
	h := sha256.New()
	fmt.Fprintf(h, "%s/%s\x00%q\x00%s\x00%s\x00%p\x00", goos, goarch, sortedTags(req.Tags), p.Flags.Key(), digest, p.knowledge)
	for _, path := range p.GoFiles {
		fmt.Fprintf(h, "%d:%s%d:", len(path), path, len(contents[path]))
		h.Write(contents[path])
	}
	key := hex.EncodeToString(h.Sum(nil))
	t.mu.Lock()
	e := t.packages[key]
	if e == nil {
		e = &packageEntry{}
		t.packages[key] = e
	}
	e.used = t.tick()
	trim(t.packages, t.maxPackages, func(e *packageEntry) uint64 { return e.used })
	t.mu.Unlock()
	e.once.Do(func() {
		t.build(p, goos, goarch, digest, read)
		e.pkg = p
	})
	return e.pkg
}

func sortedTags(tags []string) []string {
	s := append([]string(nil), tags...)
	sort.Strings(s)
	return s
}

// localDirs returns the include directories inside the package directory,
// whose headers are the package's own and may change between loads;
// system directories do not.
func localDirs(pkgDir string, dirs []string) []string {
	var out []string
	for _, d := range dirs {
		if rel, err := filepath.Rel(pkgDir, d); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			out = append(out, d)
		}
	}
	return out
}

func warningOf(err error) Warning {
	if se, ok := err.(*SyntaxError); ok {
		return Warning{Pos: token.Position{Filename: se.File, Line: se.Line}, Msg: se.Msg}
	}
	return textWarning(err.Error())
}

// textWarning turns a "file:line: message" string into a Warning.
func textWarning(s string) Warning {
	if pos, msg, ok := splitPos(s); ok {
		return Warning{Pos: pos, Msg: msg}
	}
	return Warning{Msg: s}
}

// addWarnings adds the warnings p does not have yet.
func (p *Package) addWarnings(ws []Warning) {
	for _, w := range ws {
		if !slices.Contains(p.Warnings, w) {
			p.Warnings = append(p.Warnings, w)
		}
	}
}

func (p *Package) warn(pos token.Position, format string, args ...any) {
	p.Warnings = append(p.Warnings, Warning{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// readFile reads a Go file's preamble and //export comments.
func readFile(fset *token.FileSet, path string, src []byte, p *Package) (*Preamble, []error) {
	f, err := parseGo(fset, path, src)
	if f == nil {
		return nil, []error{fmt.Errorf("%s: %v", path, err)}
	}
	pre, errs := PreambleOf(fset, f)
	if pre == nil {
		return nil, errs
	}
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Doc == nil || fd.Recv != nil {
			continue
		}
		for _, c := range fd.Doc.List {
			if name, ok := strings.CutPrefix(c.Text, "//export "); ok {
				name = strings.TrimSpace(name)
				p.Exports[name] = &Export{Name: name, Pos: fset.Position(fd.Pos()), Decl: fd}
			}
		}
	}
	return pre, errs
}

// cFiles lists the package's .c files that go build would compile for
// the target: file-name suffixes and //go:build lines are honoured.
func cFiles(dir, goos, goarch string, tags []string) []string {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH = goos, goarch
	ctxt.CgoEnabled = true
	ctxt.BuildTags = tags
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".c") {
			continue
		}
		if ok, err := ctxt.MatchFile(dir, e.Name()); err != nil || !ok {
			continue
		}
		out = append(out, filepath.Join(dir, e.Name()))
	}
	sort.Strings(out)
	return out
}

// dirDigest hashes the names, sizes and modification times of the C
// sources and headers in dirs, so a changed header invalidates the cache.
func dirDigest(dirs []string) string {
	h := sha256.New()
	for _, dir := range dirs {
		fmt.Fprintf(h, "%s\x00", dir)
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			n := e.Name()
			if e.IsDir() || !(strings.HasSuffix(n, ".c") || strings.HasSuffix(n, ".h")) {
				continue
			}
			if fi, err := e.Info(); err == nil {
				fmt.Fprintf(h, "%s\x00%d\x00%d\x00", n, fi.Size(), fi.ModTime().UnixNano())
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// build translates the package's units and collects their declarations:
// the preamble units, whose declarations are what the Go side sees, and
// the C side (see cSide), read from the cache or computed from all units.
//
// The units are read one at a time, each as soon as it is translated:
// collected, its attributes read, its //export prototypes indexed, and
// added to the C side being computed. Then, unless the translator keeps
// units whole, what the checks do not look up of a preamble's syntax is
// released (see Unit.release), and a .c unit's syntax is dropped (see
// Unit.drop), before the next unit is translated: a package whose files
// each include a large library's headers holds one whole copy of them
// at a time, not one per file.
func (t *Translator) build(p *Package, goos, goarch, digest string, read func(string) ([]byte, error)) {
	extra := map[string]string{exportHeaderName: p.exportHeader()}
	request := func(name, text string) *unitRequest {
		return &unitRequest{name: name, text: text, flags: p.Flags, goos: goos, goarch: goarch, extra: extra, digest: digest}
	}
	sources := map[string][]byte{}
	for _, path := range p.CFiles {
		src, err := read(path)
		if err != nil {
			p.warn(token.Position{Filename: path}, "cannot read: %v", err)
			continue
		}
		sources[path] = src
	}
	key := t.sideKey(p, goos, goarch, sources, extra)
	side := t.cachedSide(key)
	var sb *sideBuilder
	if side == nil {
		sb = newSideBuilder(p, read)
	}
	release := !t.keepsUnits()
	var shared *sharedDecls
	if release {
		shared = newSharedDecls()
	}
	facts := p.newDeclReader(read)
	reads := map[string]string{}
	cacheable := true
	for _, pre := range p.Preambles {
		text := prolog + lineDirective(pre.Line, pre.File) + pre.Text + "\n"
		u := t.translate(request(pre.File, text))
		cacheable = recordReads(reads, u) && cacheable
		p.Units = append(p.Units, u)
		p.collectUnit(u)
		facts.unit(u)
		p.guard(u.Name, func() { p.indexExportDecls(u) })
		if sb != nil {
			sb.add(u, false)
		}
		if release && u.AST != nil {
			p.guard(u.Name, func() { u.release(shared) })
		}
	}

	// The .c units that declare an //export function by hand, which
	// the check of //export prototypes reads.
	var hand []*Unit
	if sb != nil {
		for _, path := range p.CFiles {
			src, ok := sources[path]
			if !ok {
				continue
			}
			r := request(path, string(src))
			u := t.translate(r)
			cacheable = recordReads(reads, u) && cacheable
			if sb.add(u, true) {
				hand = append(hand, u)
				continue
			}
			// Nothing but the C side needs this unit.
			t.forget(r)
			if release && u.AST != nil {
				p.guard(u.Name, u.drop)
			}
		}
		if !cacheable {
			key = ""
		}
		side = t.storeSide(key, sb.finish(), reads)
	} else {
		for _, path := range p.handUnits(side) {
			hand = append(hand, t.translate(request(path, string(sources[path]))))
		}
	}
	p.applySide(side)
	for _, u := range hand {
		p.Units = append(p.Units, u)
		facts.unit(u)
		p.guard(u.Name, func() { p.indexExportDecls(u) })
	}
	p.guard(p.Dir, facts.finish)
	p.applySideFacts(side)
	if p.summaries == nil {
		p.summaries = map[string]*Summary{}
	}
}

// collectUnits collects the declarations of p's units.
func (p *Package) collectUnits() {
	for _, u := range p.Units {
		p.collectUnit(u)
	}
}

// collectUnit collects the declarations of one unit. Units that include
// the same header fail in it the same way; that is said once for the
// package.
func (p *Package) collectUnit(u *Unit) {
	p.addWarnings(u.warnings())
	if u.AST != nil {
		p.guard(u.Name, func() { p.collect(u) })
	}
}

// guard runs f, turning a panic into a warning: a declaration the
// collector or the summarizer does not expect must cost what ffivet
// knows about it, not the analysis.
func (p *Package) guard(file string, f func()) {
	defer func() {
		if x := recover(); x != nil {
			p.warn(token.Position{Filename: file}, "internal error reading the C declarations, some C-side facts are unknown: %v", x)
		}
	}()
	f()
}

// lineDirective renders a #line directive for file, quoting its name as
// a C string literal.
func lineDirective(line int, file string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#line %d \"", line)
	for _, r := range file {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r':
			// A line break would end the directive; the name is only
			// shown in messages.
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("\"\n")
	return b.String()
}

// warnings describes what went wrong translating the unit: one warning
// per missing header, at its #include, one per header left out, at the
// line the C front end rejected, and one if the C could not be read at
// all.
func (u *Unit) warnings() []Warning {
	var ws []Warning
	for _, r := range u.rejected {
		ws = append(ws, Warning{Pos: r.pos, Msg: fmt.Sprintf(
			"C front end cannot read this system header (%s), so it was left out; what it declares is unknown", r.msg)})
	}
	for _, m := range u.missing {
		pos := m.pos
		if pos.Filename == "" {
			pos = token.Position{Filename: u.Name}
		}
		ws = append(ws, Warning{Pos: pos, Msg: fmt.Sprintf(
			"header %s not found; what it declares is unknown (is a -dev package not installed, or a #cgo CFLAGS -I missing?)", m.name)})
	}
	if u.AST == nil && u.Err != nil {
		ws = append(ws, unitWarning(u))
	}
	return ws
}

func unitWarning(u *Unit) Warning {
	msg := u.Err.Error()
	first, _, _ := strings.Cut(msg, "\n")
	if n := strings.Count(msg, "\n"); n > 0 {
		first += fmt.Sprintf(" (and %d more)", n)
	}
	w := Warning{Msg: first}
	if pos, rest, ok := splitPos(first); ok {
		w.Pos, w.Msg = pos, rest
	} else {
		w.Pos = token.Position{Filename: u.Name}
	}
	if w.Pos.Filename == endGuardName {
		// What cc/v4 says about the guard only means the unit's own text
		// stopped in the middle of something.
		w.Pos = token.Position{Filename: u.Name}
		if n := strings.Count(msg, "\n"); n > 0 {
			w.Msg = fmt.Sprintf("unexpected end of the C text (and %d more)", n)
		} else {
			w.Msg = "unexpected end of the C text"
		}
	}
	w.Msg = "C not understood, C-side facts for this file are unknown: " + w.Msg
	return w
}

// splitPos splits "file:line:col: msg" or "file:line: msg". File names
// may themselves contain colons, so the position is the shortest prefix
// that ends in a line (and column) number followed by ": " or the end.
func splitPos(s string) (token.Position, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != ':' {
			continue
		}
		file := s[:i]
		nums, rest := s[i+1:], ""
		if j := strings.Index(nums, ": "); j >= 0 {
			nums, rest = nums[:j], nums[j+2:]
		} else {
			nums = strings.TrimSuffix(nums, ":")
		}
		lineStr, colStr, hasCol := strings.Cut(nums, ":")
		line, ok := atoi(lineStr)
		if !ok || file == "" {
			continue
		}
		col := 0
		if hasCol {
			if col, ok = atoi(colStr); !ok {
				continue
			}
		}
		return token.Position{Filename: file, Line: line, Column: col}, strings.TrimSpace(rest), true
	}
	return token.Position{}, "", false
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Summary returns what is known about C function name: from its body,
// its annotations, its attributes or the knowledge table, in that order
// of precedence (an annotation overrides what a body suggests). It never
// returns nil.
func (p *Package) Summary(name string) *Summary {
	if p != nil {
		if s := p.declaredSummary(name); s != nil {
			return s
		}
	} else if s := Libc().Summary(name); s != nil {
		return s
	}
	return unknownSummary(name)
}

// Func returns the declaration of C function name, or nil.
func (p *Package) Func(name string) *Func {
	if p == nil {
		return nil
	}
	return p.Funcs[name]
}

// IsNoEscape reports whether the package declares #cgo noescape name.
func (p *Package) IsNoEscape(name string) bool {
	return p != nil && p.Flags != nil && contains(p.Flags.NoEscape, name)
}

// IsNoCallback reports whether the package declares #cgo nocallback name.
func (p *Package) IsNoCallback(name string) bool {
	return p != nil && p.Flags != nil && contains(p.Flags.NoCallback, name)
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
