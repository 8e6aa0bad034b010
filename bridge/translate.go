package bridge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"modernc.org/cc/v4"
)

// A Unit is one C translation unit: a Go file's preamble or a .c file of
// the package, translated by cc/v4.
type Unit struct {
	Name string  // the .go or .c file
	AST  *cc.AST // nil when translation failed
	Err  error   // why translation failed or was incomplete
	// Stubbed lists #include names that could not be found and were
	// replaced by empty files so the rest of the unit could be read.
	Stubbed []string
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

// configKey identifies a cc.Config: the target and the flags that change
// predefined macros and include paths.
type configKey struct {
	goos, goarch string
	opts         string // NUL-joined
}

// A Translator owns the cc/v4 configurations and the cache of
// translations. It is safe for concurrent use. The zero value is not
// usable; call NewTranslator. Most callers share Default.
type Translator struct {
	mu      sync.Mutex
	configs map[configKey]*configEntry
	units   map[string]*unitEntry
	// Translations counts calls of cc.Translate, for tests and -debug.
	translations int
}

type configEntry struct {
	once sync.Once
	cfg  *cc.Config
	err  error
}

type unitEntry struct {
	once sync.Once
	unit *Unit
}

// NewTranslator returns an empty translator.
func NewTranslator() *Translator {
	return &Translator{configs: map[configKey]*configEntry{}, units: map[string]*unitEntry{}}
}

// Default is the process-wide translator. Its caches only grow; a process
// of ffivet analyzes one build, so that is what is wanted.
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
// goroutines every caller gets its own shallow copy.
func (t *Translator) config(goos, goarch string, opts []string) (*cc.Config, error) {
	key := configKey{goos, goarch, strings.Join(opts, "\x00")}
	t.mu.Lock()
	e := t.configs[key]
	if e == nil {
		e = &configEntry{}
		t.configs[key] = e
	}
	t.mu.Unlock()
	e.once.Do(func() {
		e.cfg, e.err = cc.NewConfig(goos, goarch, opts...)
		if e.err == nil {
			// cgo compiles with gcc, which gives enums with no negative
			// values an unsigned type.
			e.cfg.UnsignedEnums = true
			e.cfg.IgnoreStaticAssert = true
			// Bound macro expansion so hostile C text cannot take hours.
			e.cfg.ExpansionLimit = 1 << 26
		}
	})
	if e.err != nil {
		return nil, e.err
	}
	c := *e.cfg
	c.IncludePaths = append([]string(nil), c.IncludePaths...)
	c.SysIncludePaths = append([]string(nil), c.SysIncludePaths...)
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

func (r *unitRequest) key() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", r.goos, r.goarch, r.digest)
	for _, o := range r.flags.ccOptions() {
		io.WriteString(h, o+"\x00")
	}
	for _, d := range r.flags.IncludeDirs {
		io.WriteString(h, d+"\x00")
	}
	names := make([]string, 0, len(r.extra))
	for n := range r.extra {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%s\x00", n, r.extra[n])
	}
	io.WriteString(h, r.text)
	return hex.EncodeToString(h.Sum(nil))
}

// translate translates a unit, or returns the cached result of an earlier
// translation of the same content. It never panics: cc/v4 failures,
// including panics inside it, become Unit.Err.
func (t *Translator) translate(r *unitRequest) *Unit {
	key := r.key()
	t.mu.Lock()
	e := t.units[key]
	if e == nil {
		e = &unitEntry{}
		t.units[key] = e
	}
	t.mu.Unlock()
	e.once.Do(func() {
		t.mu.Lock()
		t.translations++
		t.mu.Unlock()
		e.unit = t.doTranslate(r)
	})
	return e.unit
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
	cfg.IncludePaths = append(append([]string{""}, r.flags.IncludeDirs...), cfg.IncludePaths...)
	cfg.IncludePaths = append(cfg.IncludePaths, stubDir)
	cfg.SysIncludePaths = append(cfg.SysIncludePaths, stubDir)
	fsys := newOverlayFS(r.extra)
	cfg.FS = fsys
	sources := []cc.Source{
		{Name: "<predefined>", Value: cfg.Predefined + r.flags.defines()},
		{Name: "<builtin>", Value: cc.Builtin},
		{Name: r.name, Value: r.text},
	}
	// A missing header is the most common failure (a -dev package not
	// installed, a generated header). Stub it and try again, so the rest
	// of the unit still yields declarations.
	for attempt := 0; attempt < 8; attempt++ {
		ast, err := cc.Translate(cfg, sources)
		if err == nil {
			u.AST = ast
			u.Err = nil
			if len(u.Stubbed) > 0 {
				u.Err = fmt.Errorf("missing headers replaced by empty ones: %s", strings.Join(u.Stubbed, ", "))
			}
			return u
		}
		u.Err = err
		missing := missingHeaders(err.Error())
		added := false
		for _, m := range missing {
			if fsys.stub(m) {
				u.Stubbed = append(u.Stubbed, m)
				added = true
			}
		}
		if !added {
			break
		}
	}
	// Translation failed. Parsing without type checking still finds
	// function definitions, which is better than nothing for summaries,
	// but without types the layouts and signatures are unknown; leave
	// AST nil and let callers work with what other units know.
	return u
}

// missingHeaders extracts header names from cc/v4 "include file not found"
// errors.
func missingHeaders(msg string) []string {
	var out []string
	for _, line := range strings.Split(msg, "\n") {
		i := strings.Index(line, "include file not found: ")
		if i < 0 {
			continue
		}
		name := strings.TrimSpace(line[i+len("include file not found: "):])
		name = strings.Trim(name, `"<>`)
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

// hostTarget is what cgo builds for when ffivet runs natively.
func hostTarget() (string, string) { return runtime.GOOS, runtime.GOARCH }
