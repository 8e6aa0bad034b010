package bridge

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/token"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"modernc.org/cc/v4"
)

// A Unit is one C translation unit: a Go file's preamble or a .c file of
// the package, translated by cc/v4.
type Unit struct {
	Name string // the .go or .c file
	// AST is nil when translation failed. Of a preamble's, once its
	// package is built, only what the checks look up is left: the file
	// scope's tags and typedef names and the declarations that define
	// types (see release).
	AST *cc.AST
	Err error // why translation failed or was incomplete
	// Stubbed lists #include names that could not be found and were
	// replaced by empty files so the rest of the unit could be read.
	Stubbed []string

	// LeftOut lists the system headers (in the directories the C
	// compiler searches by default) that cc/v4 could not read and that
	// were replaced by empty files, by path.
	LeftOut []string

	// missing says where each stubbed header was included.
	missing []missingHeader
	// rejected says where and why each header of LeftOut failed.
	rejected []rejectedHeader
	// reads are the host files the translation opened, with a hash of
	// their content ("" for a header looked for and not found).
	reads map[string]string
}

// A rejectedHeader is a system header that cc/v4 rejected.
type rejectedHeader struct {
	pos token.Position // of the first error, in the header
	msg string
}

// A missingHeader is an #include that named a file that does not exist.
type missingHeader struct {
	pos  token.Position // of the #include, in the .go file for preambles
	name string         // as written, with its quotes or angle brackets
}

// prolog declares what cgo declares before every preamble, so that
// preambles using _GoString_, GoString or CString translate as they do
// under cgo. It is written for this package, not taken from cgo.
const prolog = `#include <stddef.h>
typedef ptrdiff_t intgo;
typedef struct { const char *p; intgo n; } _GoString_;
typedef struct { char *p; intgo n; intgo c; } _GoBytes_;
_GoString_ GoString(char *);
_GoString_ GoStringN(char *, int);
_GoBytes_ GoBytes(void *, int);
char *CString(_GoString_);
void *CBytes(_GoBytes_);
void *_CMalloc(size_t);
static size_t _GoStringLen(_GoString_ s) { return (size_t)s.n; }
static const char *_GoStringPtr(_GoString_ s) { return s.p; }
`

// prologName is the file name positions inside the prolog carry.
const prologName = "<cgo-prolog>"

// exportHeaderName is the header cgo writes for //export functions; .c
// files include it, but it exists only in cgo's work directory. The
// bridge serves its own version of it.
const exportHeaderName = "_cgo_export.h"

// endGuard is the start of a source translated after every unit.
//
// cc/v4's parser can loop forever when its input ends inside a
// declaration: after the "*" of a pointer it skips tokens until one that
// may start an expression, and at the end of input it never finds one.
// The input ends early when the preprocessor stops (a missing header) or
// when an unclosed bracket lets a construct swallow what follows. So the
// translator runs the preprocessor alone first, which cannot loop, stubs
// the missing headers, and then appends this guard, preceded by closers
// for any bracket left open: its "(" ends the loop. It declares nothing,
// so it adds nothing to what a correct unit declares.
const (
	endGuardName = "<ffivet-end>"
	endGuard     = "_Static_assert(1, \"\");\n"
)

// defaultExpansionLimit bounds the macro expansion work of one unit. Real
// code, the sqlite amalgamation included, stays far below it; a macro
// that doubles its expansion thirty times reaches it in a few seconds
// instead of taking hours and all memory.
const defaultExpansionLimit = 1 << 26

// maxStubs bounds how many missing headers one unit may have stubbed.
// cc/v4 stops at the first missing header, so each one costs a retry.
const maxStubs = 32

// maxLeftOut bounds how many system headers one unit may
// leave out; each one costs a translation.
const maxLeftOut = 8

// configKey identifies a cc.Config: the target and the options that
// change predefined macros.
type configKey struct {
	goos, goarch string
	opts         string // NUL-joined
}

type configEntry struct {
	once sync.Once
	cfg  *cc.Config
	err  error
}

// hostConfigs caches cc.NewConfig, which runs the host C compiler, for
// the whole process: the answer depends only on the key and the host.
// It is safe for concurrent use, and its configurations are never handed
// out, only copies of them.
var hostConfigs = struct {
	sync.Mutex
	m map[configKey]*configEntry
}{m: map[configKey]*configEntry{}}

// A Translator owns the caches of translations and loaded packages. It
// is safe for concurrent use. The zero value is not usable; call
// NewTranslator. Most callers share Default.
type Translator struct {
	mu       sync.Mutex
	units    map[string]*unitEntry
	packages map[string]*packageEntry
	// translations counts the units translated (cache misses), for tests
	// and -debug.
	translations int
	// byName counts translations per unit name, so tests can tell that a
	// large unit was translated once.
	byName map[string]int
	// expansionLimit overrides defaultExpansionLimit when positive.
	expansionLimit int
	// maxPackages and maxUnits bound the caches when positive (Bound);
	// clock orders the entries' uses.
	maxPackages, maxUnits int
	clock                 uint64

	// persist is the directory of the persistent cache of C sides, ""
	// for none; sides are the C sides kept in this process, by key.
	persist string
	sides   map[string]*sideEntry
}

type unitEntry struct {
	once sync.Once
	unit *Unit
	used uint64
}

// Bound makes the translator keep at most maxPackages packages and
// maxUnits translation units, dropping the least recently used, for a
// long-running process such as the language server, whose caches
// would otherwise grow with every edit. Zero means no bound.
func (t *Translator) Bound(maxPackages, maxUnits int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.maxPackages, t.maxUnits = maxPackages, maxUnits
	trim(t.packages, t.maxPackages, func(e *packageEntry) uint64 { return e.used })
	trim(t.units, t.maxUnits, func(e *unitEntry) uint64 { return e.used })
}

// tick returns the next use's time. t.mu must be held.
func (t *Translator) tick() uint64 {
	t.clock++
	return t.clock
}

// trim drops the least recently used entries of m beyond max; a caller
// holding one keeps using it.
func trim[E any](m map[string]E, max int, used func(E) uint64) {
	for max > 0 && len(m) > max {
		oldest, first := "", true
		for k, e := range m {
			if first || used(e) < used(m[oldest]) {
				oldest, first = k, false
			}
		}
		delete(m, oldest)
	}
}

// TranslationsOf reports how many times units named name (a .go or .c
// file path) were translated.
func (t *Translator) TranslationsOf(name string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.byName[name]
}

// NewTranslator returns an empty translator.
func NewTranslator() *Translator {
	return &Translator{units: map[string]*unitEntry{}, packages: map[string]*packageEntry{}}
}

// Default is the process-wide translator. Its caches only grow unless
// Bound is called: a run of ffivet analyzes one build, so that is what
// is wanted there.
var Default = NewTranslator()

// Translations reports how many translation units the translator has
// translated (cache misses).
func (t *Translator) Translations() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.translations
}

// config returns a private copy of the configuration for the target and
// options: cc.NewConfig runs the host C compiler, so it runs once per
// distinct key, and since a cc.Config must not be shared between
// goroutines every caller gets its own copy, whose slices it may change.
func (t *Translator) config(goos, goarch string, opts []string) (*cc.Config, error) {
	key := configKey{goos, goarch, strings.Join(opts, "\x00")}
	hostConfigs.Lock()
	e := hostConfigs.m[key]
	if e == nil {
		e = &configEntry{}
		hostConfigs.m[key] = e
	}
	hostConfigs.Unlock()
	e.once.Do(func() {
		e.cfg, e.err = cc.NewConfig(goos, goarch, opts...)
		if e.err == nil {
			// cgo compiles with gcc, which gives enums with no negative
			// values an unsigned type.
			e.cfg.UnsignedEnums = true
			e.cfg.IgnoreStaticAssert = true
			e.cfg.ABI = completeABI(e.cfg.ABI)
		}
	})
	if e.err != nil {
		return nil, e.err
	}
	c := *e.cfg
	c.IncludePaths = append([]string(nil), c.IncludePaths...)
	c.SysIncludePaths = append([]string(nil), c.SysIncludePaths...)
	c.HostIncludePaths = append([]string(nil), c.HostIncludePaths...)
	c.HostSysIncludePaths = append([]string(nil), c.HostSysIncludePaths...)
	// Bound macro expansion so hostile C text cannot take hours.
	c.ExpansionLimit = defaultExpansionLimit
	if t.expansionLimit > 0 {
		c.ExpansionLimit = t.expansionLimit
	}
	return &c, nil
}

// A unitRequest describes one translation unit to translate.
type unitRequest struct {
	name   string // shown in messages; a .go or .c file
	text   string // the C source, #line directives included
	flags  *Flags
	goos   string
	goarch string
	extra  map[string]string // virtual headers by name (e.g. _cgo_export.h)
	digest string            // hash of the package's C and header files, so edits invalidate
}

// key identifies the translation: everything that can change its result.
func (r *unitRequest) key(limit int) string {
	h := sha256.New()
	field := func(s string) {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	field(r.name)
	field(r.goos)
	field(r.goarch)
	field(r.digest)
	field(fmt.Sprint(limit))
	for _, o := range r.flags.ccOptions() {
		field(o)
	}
	field("-I")
	for _, d := range r.flags.IncludeDirs {
		field(d)
	}
	field(r.flags.defines())
	names := make([]string, 0, len(r.extra))
	for n := range r.extra {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		field(n)
		field(r.extra[n])
	}
	io.WriteString(h, r.text)
	return hex.EncodeToString(h.Sum(nil))
}

// forget drops a unit from the cache.
func (t *Translator) forget(r *unitRequest) {
	key := r.key(t.expansionLimit)
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.units, key)
}

// translate translates a unit, or returns the cached result of an earlier
// translation of the same content. It never panics: cc/v4 failures,
// including panics inside it, become Unit.Err.
//
// A preamble is cached only by a translator that keeps units whole
// (keepsUnits): otherwise the package that asked for it releases most of
// its syntax once built, which another package must not find half gone.
// Loading the same package again is answered by the package cache.
func (t *Translator) translate(r *unitRequest) *Unit {
	if strings.HasSuffix(r.name, ".go") && !t.keepsUnits() {
		t.count(r.name)
		return t.doTranslate(r)
	}
	key := r.key(t.expansionLimit)
	t.mu.Lock()
	e := t.units[key]
	if e == nil {
		e = &unitEntry{}
		t.units[key] = e
	}
	e.used = t.tick()
	trim(t.units, t.maxUnits, func(e *unitEntry) uint64 { return e.used })
	t.mu.Unlock()
	e.once.Do(func() {
		t.count(r.name)
		e.unit = t.doTranslate(r)
	})
	return e.unit
}

// count records a translation of the unit named name.
func (t *Translator) count(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.translations++
	if t.byName == nil {
		t.byName = map[string]int{}
	}
	t.byName[name]++
}

// keepsUnits reports whether the translator keeps the syntax of the
// preambles it translated whole, for reuse: a bounded translator does,
// since it serves a long-running process that checks a package again
// after each edit, with most of its preambles unchanged. Otherwise a
// package releases what it does not use of its preambles once it is
// built (see build).
func (t *Translator) keepsUnits() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.maxUnits > 0
}

func (t *Translator) doTranslate(r *unitRequest) (u *Unit) {
	u = &Unit{Name: r.name}
	defer func() {
		if x := recover(); x != nil {
			u.AST = nil
			u.Err = fmt.Errorf("the C parser failed on this unit: %v", x)
		}
	}()
	cfg, err := t.config(r.goos, r.goarch, r.flags.ccOptions())
	if err != nil {
		u.Err = fmt.Errorf("cannot configure the C front end: %v", err)
		return u
	}
	// gcc searches -I directories for both forms of #include, after the
	// including file's directory for the quoted form and before the
	// system directories.
	cfg.IncludePaths = append(append([]string{""}, r.flags.IncludeDirs...), cfg.IncludePaths...)
	cfg.IncludePaths = append(cfg.IncludePaths, stubDir)
	cfg.SysIncludePaths = append(append([]string(nil), r.flags.IncludeDirs...), cfg.SysIncludePaths...)
	cfg.SysIncludePaths = append(cfg.SysIncludePaths, stubDir)
	fsys := newOverlayFS(r.extra)
	cfg.FS = fsys
	cfg.FSOnly = true
	defer func() { u.reads = fsys.reads }()
	sources := []cc.Source{
		{Name: "<predefined>", Value: cfg.Predefined + r.flags.defines()},
		{Name: "<builtin>", Value: cc.Builtin},
		{Name: compatName, Value: compatMacros(cfg.ABI)},
		{Name: r.name, Value: endSafely(r.text)},
	}
	systemDirs := append(append([]string(nil), cfg.HostIncludePaths...), cfg.HostSysIncludePaths...)
	var out strings.Builder
	for {
		out.Reset()
		if err := cc.Preprocess(cfg, sources, &out); err != nil {
			// A missing header is the most common failure (a -dev
			// package not installed, a generated header). Stub it and
			// try again, so the rest of the unit still yields
			// declarations.
			if u.stubMissing(fsys, err) || u.leaveOut(fsys, err, systemDirs) {
				continue
			}
			// The parser would fail on the same errors, and where the
			// preprocessor stopped early it could loop forever.
			u.Err = err
			return u
		}
		if why := selfContaining(out.String()); why != "" {
			u.Err = fmt.Errorf("the C parser cannot read this unit: %s", why)
			return u
		}
		open := openBrackets(out.String())
		// The values of constant macros are wanted for what the Go side
		// can name (C.SIZE): the preamble's own and those of the headers
		// it includes. A .c file's macros are invisible to Go, and
		// evaluating every macro of a large unit is not free.
		cfg.EvalAllMacros = strings.HasSuffix(r.name, ".go")
		ast, err := cc.Translate(cfg, append(sources, cc.Source{Name: endGuardName, Value: closers(open) + endGuard}))
		if err == nil && len(open) > 0 {
			// The guard's closers made the unit whole, but the C itself
			// is not: a function whose body never ends must not be
			// summarized as if it did nothing.
			err = fmt.Errorf("%s:1:1: %q left open", endGuardName, open)
		}
		if err != nil {
			if u.leaveOut(fsys, err, systemDirs) {
				continue
			}
			// Parsing without type checking would still find function
			// definitions, but without types the layouts and signatures
			// are unknown; leave AST nil and let callers work with what
			// other units know.
			u.Err = err
			return u
		}
		u.AST = ast
		var left []string
		if len(u.Stubbed) > 0 {
			left = append(left, "missing headers replaced by empty ones: "+strings.Join(u.Stubbed, ", "))
		}
		if len(u.LeftOut) > 0 {
			left = append(left, "system headers the C front end cannot read left out: "+strings.Join(u.LeftOut, ", "))
		}
		if len(left) > 0 {
			u.Err = errors.New(strings.Join(left, "; "))
		}
		return u
	}
}

// stubMissing replaces the headers that err says are missing by empty
// ones and reports whether it replaced any.
func (u *Unit) stubMissing(fsys *overlayFS, err error) bool {
	added := false
	for _, m := range missingHeaders(err.Error()) {
		name := strings.Trim(m.name, `"<>`)
		if len(u.Stubbed) < maxStubs && fsys.stub(name) {
			u.Stubbed = append(u.Stubbed, name)
			u.missing = append(u.missing, m)
			added = true
		}
	}
	return added
}

// leaveOut replaces by an empty file the system header in which err's
// first error lies, and reports whether it did. Such a header is correct
// C for the compiler that cc/v4 does not read (a type or a builtin it
// does not know); without it, the unit's own declarations and those of
// every other header are still known. The package's own headers are not
// left out: what they declare is what the checks need, and an error in
// them is more likely the package's. Only the first error
// with a position counts: later ones may follow from it, in headers that
// are fine. (cc/v4 says some things, such as "__int128 not supported",
// without a position, and then where the type was used.)
func (u *Unit) leaveOut(fsys *overlayFS, err error, systemDirs []string) bool {
	var pos token.Position
	var msg string
	for line := range strings.SplitSeq(err.Error(), "\n") {
		if p, m, ok := splitPos(strings.TrimSpace(line)); ok {
			pos, msg = p, m
			break
		}
	}
	if len(u.LeftOut) >= maxLeftOut || !underAny(pos.Filename, systemDirs) {
		return false
	}
	if !fsys.empty(pos.Filename) {
		return false
	}
	u.LeftOut = append(u.LeftOut, pos.Filename)
	u.rejected = append(u.rejected, rejectedHeader{pos: pos, msg: frontEndMessage(msg)})
	return true
}

// underAny reports whether file is inside one of dirs.
func underAny(file string, dirs []string) bool {
	if !filepath.IsAbs(file) {
		return false
	}
	for _, d := range dirs {
		if d == "" || !filepath.IsAbs(d) {
			continue
		}
		if rel, err := filepath.Rel(d, file); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}

// frontEndMessage drops the location inside cc/v4's own source that
// some of its messages end with, as in "... (check.go:2713:check:)".
func frontEndMessage(msg string) string {
	if i := strings.LastIndex(msg, " ("); i >= 0 && strings.HasSuffix(msg, ":)") && strings.Contains(msg[i:], ".go:") {
		return msg[:i]
	}
	return msg
}

// openBrackets returns the brackets that preprocessed C text opens and
// does not close, innermost last. String and character literals are
// skipped; they end at the end of their line at the latest, so one
// malformed literal cannot hide the rest of the text.
func openBrackets(text string) []byte {
	var stack []byte
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			switch c {
			case '\\':
				if i+1 < len(text) && text[i+1] != '\n' {
					i++
				}
			case quote, '\n':
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, c)
		case c == ')' || c == ']' || c == '}':
			open := map[byte]byte{')': '(', ']': '[', '}': '{'}[c]
			// A stray closer closes the nearest matching opener, if any.
			for j := len(stack) - 1; j >= 0; j-- {
				if stack[j] == open {
					stack = stack[:j]
					break
				}
			}
		}
	}
	return stack
}

// closers returns the text that closes the brackets in open.
func closers(open []byte) string {
	b := make([]byte, 0, len(open)+1)
	for i := len(open) - 1; i >= 0; i-- {
		b = append(b, map[byte]byte{'(': ')', '[': ']', '{': '}'}[open[i]])
	}
	if len(b) > 0 {
		b = append(b, '\n')
	}
	return string(b)
}

// missingHeaders extracts the #include lines of cc/v4 "include file not
// found" errors.
func missingHeaders(msg string) []missingHeader {
	const notFound = "include file not found: "
	var out []missingHeader
	for line := range strings.SplitSeq(msg, "\n") {
		before, after, ok := strings.Cut(line, notFound)
		if !ok {
			continue
		}
		name := strings.TrimSpace(after)
		if strings.Trim(name, `"<>`) == "" {
			continue
		}
		m := missingHeader{name: name}
		if pos, _, ok := splitPos(before); ok {
			m.pos = pos
		}
		out = append(out, m)
	}
	return out
}

// hostTarget is what cgo builds for when ffivet runs natively.
func hostTarget() (string, string) { return runtime.GOOS, runtime.GOARCH }
