package bridge_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/bridge"
)

// loadCgoPackage writes a cgo package into a fresh directory and loads it
// through the real pipeline. files maps file names to contents.
func loadCgoPackage(t *testing.T, files map[string]string) *bridge.Package {
	t.Helper()
	dir := t.TempDir()
	var goFiles []string
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".go") {
			goFiles = append(goFiles, path)
		}
	}
	sort.Strings(goFiles)
	return bridge.Load(&bridge.Request{GoFiles: goFiles})
}

func cgoSource(preamble string) string {
	return "package p\n\n/*\n" + preamble + "\n*/\nimport \"C\"\n"
}

const summaryPreamble = `
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>

struct holder { char *buf; };
struct box { void *item; int n; };
struct node { struct node *next; char *name; };

static char *g_saved;
static char g_buf[64];

extern void goNotify(int);
extern void mystery(char *);

static void free_it(char *p) { free(p); }

static void free_if(char *p, int c) { if (c) free(p); }

static void destroy(struct holder *h) {
	if (!h)
		return;
	free(h->buf);
	free(h);
}

static void keep_global(char *p) { g_saved = p; }

static void keep_static(char *p) {
	static char *last;
	last = p;
}

static void keep_field(struct holder *h, char *p) { h->buf = p; }

static struct box *box_new(void *item) {
	struct box *b = malloc(sizeof *b);
	if (!b)
		return NULL;
	b->item = item;
	b->n = 1;
	return b;
}

// The box does not outlive the call, so neither does item.
static size_t box_tmp(void *item) {
	struct box *b = malloc(sizeof *b);
	if (!b)
		return 0;
	b->item = item;
	free(b);
	return 1;
}

static void *alloc_direct(size_t n) { return malloc(n); }

static char *alloc_local(size_t n) {
	char *p = malloc(n + 1);
	if (p == NULL)
		return NULL;
	p[n] = 0;
	return p;
}

static char *dup(const char *s) { return strdup(s); }

static char *dup_twice(const char *s) { return dup(s); }

static int make(char **out) {
	*out = strdup("x");
	return *out ? 0 : -1;
}

static char *ident(char *s) { return s; }

static char *skip_first(char *s) { return s + 1; }

static char *skip_spaces(char *s) {
	while (*s == ' ')
		s++;
	return s;
}

static void release_b(char *p) { free(p); }
static void release_a(char *p) { release_b(p); }

static char *home(void) { return getenv("HOME"); }

static char *scratch(void) { return g_buf; }

static int set_inval(void) {
	errno = EINVAL;
	return -1;
}

static int call_setter(void) { return set_inval(); }

static int get_errno(void) { return errno; }

static int open_or_log(const char *path) {
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("cannot open %s\n", path);
		return errno;
	}
	fclose(f);
	return 0;
}

static int open_err(const char *path) {
	FILE *f = fopen(path, "r");
	if (!f)
		return errno;
	fclose(f);
	return 0;
}

// errno = 0 then strtol: the read is about strtol.
static long parse(const char *s) {
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno)
		return -1;
	return v;
}

static void notify(void) { goNotify(1); }
static void notify_twice(void) {
	notify();
	notify();
}

static void pass_unknown(char *p) { mystery(p); }

static size_t length(const char *s) { return strlen(s); }

static void list_free(struct node *n) {
	if (!n)
		return;
	list_free(n->next);
	free(n->name);
	free(n);
}

static int is_even(unsigned n);
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }

static char *build(int n) {
	if (n == 0)
		return strdup("");
	return build(n - 1);
}

static unsigned long hide(char *p) { return (unsigned long)p; }

// q is p or a copy: the free is not certain to be p's.
static void free_maybe_copy(char *p, int c) {
	char *q = p;
	if (c)
		q = strdup(p);
	free(q);
}

// Every path reaches the label.
static int consume(char *p) {
	int rc = -1;
	if (strlen(p) == 0)
		goto out;
	rc = 0;
out:
	free(p);
	return rc;
}

static int add(int a, int b) { return a + b; }

static void ignore(char *p) { (void)p; }

// abort does not return, so every path that returns frees p.
static void give_up(char *p, int c) {
	if (c) {
		free(p);
		return;
	}
	abort();
}

struct outer { struct holder *inner; };
static void keep_deep(struct outer *o, char *p) { o->inner->buf = p; }

static void keep_out(char **out, char *p) { *out = p; }

typedef void (*callback)(char *);
static void call_cb(callback cb, char *p) { cb(p); }

static int classify(char *p, int k) {
	switch (k) {
	case 0:
		free(p);
		return 0;
	case 1:
		free(p);
		break;
	default:
		free(p);
		return 2;
	}
	return 1;
}

// No default: the path around the switch does not free.
static int classify_partial(char *p, int k) {
	switch (k) {
	case 0:
		free(p);
		return 0;
	}
	return 1;
}

static void drain(char *p) {
	for (;;) {
		if (*p == 0) {
			free(p);
			return;
		}
		p[0]--;
	}
}

static char *stmt_expr(char *p) { return ({ char *q = p; q + 1; }); }

extern void take_vec(char **);
static void vec(char *p) {
	char *v[2] = { p, NULL };
	take_vec(v);
}

// The two fopen calls are on different paths: neither clobbers the other.
static int either(const char *a, int k) {
	FILE *f;
	if (k)
		f = fopen(a, "r");
	else
		f = fopen(a, "w");
	if (!f)
		return errno;
	fclose(f);
	return 0;
}

// Reads the errno its caller left, after printf may have changed it.
static int log_err(void) {
	printf("failed\n");
	return errno;
}

static int open_log(const char *path) {
	FILE *f = fopen(path, "r");
	if (!f)
		return log_err();
	fclose(f);
	return 0;
}

static char *grow(char *p, size_t n) {
	char *q = realloc(p, n);
	if (!q) {
		free(p);
		return NULL;
	}
	return q;
}

// ffivet:returns-owned dealloc=thing_free
void *thing_new(int);
void thing_free(void *p); // ffivet:frees arg=1

static void *make_thing(void) { return thing_new(1); }
static void drop_thing(void *t) { thing_free(t); }

// open_err reads only the errno of its own fopen, so the printf before
// it clobbers nothing.
static int open_after_print(const char *path) {
	printf("opening\n");
	return open_err(path);
}

typedef int (*opener)(const char *);
static int open_via(opener fn, const char *path) {
	int fd = fn(path);
	if (fd < 0) {
		mystery((char *)path);
		return get_errno();
	}
	return fd;
}

static int open_hooked(const char *path, void (*hook)(void)) {
	FILE *f = fopen(path, "r");
	if (!f) {
		hook();
		return errno;
	}
	fclose(f);
	return 0;
}

static size_t count_words(const char *s) {
	size_t n = 0;
	for (const char *q = s; *q; q++)
		if (*q == ' ')
			n++;
	return n;
}
`

const summaryCFile = `#include <stdlib.h>
#include "_cgo_export.h"

void c_calls_go(void) { goCallback(); }

static void via_helper(void) { c_calls_go(); }

void c_outer(void) { via_helper(); }

char *c_stash;

void c_keep(char *p) { c_stash = p; }
`

const summaryExportFile = `package p

import "C"

//export goNotify
func goNotify(x C.int) {}

//export goCallback
func goCallback() {}
`

func TestSummarize(t *testing.T) {
	p := loadCgoPackage(t, map[string]string{
		"a.go":      cgoSource(summaryPreamble),
		"export.go": summaryExportFile,
		"b.c":       summaryCFile,
	})
	for _, w := range p.Warnings {
		t.Logf("warning: %s", w)
	}

	tests := []struct {
		fn string
		// params lists the effect on each pointer parameter, as
		// Summary.String prints them ("p0=frees p1=borrows").
		params string
		// result is "", "owned=FAMILY/DEALLOC", "borrowed" or "param=N".
		result   string
		errno    errnoWant
		reads    bool
		clobbers string // comma-separated
		callsGo  string // comma-separated
		extra    func(t *testing.T, s *bridge.Summary)
	}{
		{fn: "free_it", params: "p0=frees", errno: setsNo},
		{fn: "free_if", params: "p0=may-free", errno: setsNo},
		{fn: "destroy", params: "p0=frees", errno: setsNo},
		{fn: "keep_global", params: "p0=keeps", errno: setsNo},
		{fn: "keep_static", params: "p0=keeps", errno: setsNo},
		{fn: "keep_field", params: "p0=borrows p1=keeps", errno: setsNo},
		{fn: "box_new", params: "p0=keeps", result: "owned=malloc/free", errno: setsYes},
		{fn: "box_tmp", params: "p0=borrows", errno: setsYes},
		{fn: "alloc_direct", result: "owned=malloc/free", errno: setsYes},
		{fn: "alloc_local", result: "owned=malloc/free", errno: setsYes},
		{fn: "dup", params: "p0=borrows", result: "owned=malloc/free", errno: setsYes},
		{fn: "dup_twice", params: "p0=borrows", result: "owned=malloc/free", errno: setsYes},
		{fn: "make", params: "p0=borrows", errno: setsYes, extra: func(t *testing.T, s *bridge.Summary) {
			if a := s.OutOwned[0]; a == nil || a.Family != "malloc" {
				t.Errorf("OutOwned[0] = %v, want malloc", a)
			}
		}},
		{fn: "ident", params: "p0=returned", result: "param=0", errno: setsNo},
		{fn: "skip_first", params: "p0=returned", result: "param=0", errno: setsNo},
		{fn: "skip_spaces", params: "p0=borrows|returned", result: "param=0", errno: setsNo},
		{fn: "release_b", params: "p0=frees", errno: setsNo},
		{fn: "release_a", params: "p0=frees", errno: setsNo, extra: func(t *testing.T, s *bridge.Summary) {
			if a := s.Deallocs[0]; a == nil || a.Dealloc != "free" {
				t.Errorf("Deallocs[0] = %v, want malloc/free", a)
			}
		}},
		{fn: "home", result: "borrowed", errno: setsNo},
		{fn: "scratch", result: "borrowed", errno: setsNo},
		{fn: "set_inval", errno: setsYes},
		{fn: "call_setter", errno: setsYes},
		{fn: "get_errno", errno: setsNo, reads: true},
		{fn: "open_or_log", params: "p0=unknown", errno: setsYes, reads: true, clobbers: "printf"},
		{fn: "open_err", params: "p0=borrows", errno: setsYes, reads: true},
		{fn: "parse", params: "p0=borrows", errno: setsYes, reads: true},
		{fn: "notify", errno: setsUnknown, callsGo: "goNotify"},
		{fn: "notify_twice", errno: setsUnknown, callsGo: "goNotify"},
		{fn: "c_calls_go", errno: setsUnknown, callsGo: "goCallback"},
		{fn: "c_outer", errno: setsUnknown, callsGo: "goCallback"},
		{fn: "c_keep", params: "p0=keeps", errno: setsNo},
		{fn: "pass_unknown", params: "p0=unknown", errno: setsUnknown},
		{fn: "length", params: "p0=borrows", errno: setsNo},
		{fn: "list_free", params: "p0=frees", errno: setsNo},
		{fn: "is_odd", errno: setsNo},
		{fn: "is_even", errno: setsNo},
		{fn: "build", result: "owned=malloc/free", errno: setsYes},
		{fn: "count_words", params: "p0=borrows", errno: setsNo},
		{fn: "hide", params: "p0=unknown", errno: setsNo},
		{fn: "free_maybe_copy", params: "p0=unknown", errno: setsYes},
		{fn: "consume", params: "p0=frees", errno: setsNo},
		{fn: "add", errno: setsNo},
		{fn: "ignore", params: "p0=borrows", errno: setsNo},
		{fn: "give_up", params: "p0=frees", errno: setsUnknown},
		{fn: "keep_deep", params: "p0=borrows p1=keeps", errno: setsNo},
		{fn: "keep_out", params: "p0=borrows p1=keeps", errno: setsNo},
		{fn: "call_cb", params: "p0=borrows p1=unknown", errno: setsUnknown},
		{fn: "classify", params: "p0=frees", errno: setsNo},
		{fn: "classify_partial", params: "p0=may-free", errno: setsNo},
		{fn: "drain", params: "p0=frees", errno: setsNo},
		{fn: "stmt_expr", params: "p0=returned", result: "param=0", errno: setsNo},
		{fn: "vec", params: "p0=unknown", errno: setsUnknown},
		{fn: "either", params: "p0=borrows", errno: setsYes, reads: true},
		{fn: "log_err", errno: setsYes, reads: true, clobbers: "printf"},
		{fn: "grow", params: "p0=may-free", result: "owned=malloc/free", errno: setsYes},
		{fn: "make_thing", result: "owned=thing_free/thing_free", errno: setsUnknown},
		{fn: "drop_thing", params: "p0=frees", errno: setsUnknown, extra: func(t *testing.T, s *bridge.Summary) {
			if a := s.Deallocs[0]; a == nil || a.Dealloc != "thing_free" {
				t.Errorf("Deallocs[0] = %v, want thing_free", a)
			}
		}},
		{fn: "open_after_print", params: "p0=borrows", errno: setsYes},
		{fn: "open_via", params: "p0=borrows p1=unknown", errno: setsUnknown, reads: true, clobbers: "mystery"},
		{fn: "open_hooked", params: "p0=borrows p1=borrows", errno: setsYes, reads: true, clobbers: "hook"},
		{fn: "open_log", params: "p0=borrows", errno: setsYes, reads: true, clobbers: "printf"},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			s := p.Summary(tt.fn)
			if !s.Known || s.Source != bridge.FromBody {
				t.Fatalf("summary %v: want a known summary from the body", s)
			}
			if got := paramString(s); got != tt.params {
				t.Errorf("params = %q, want %q (%v)", got, tt.params, s)
			}
			if got := resultString(s); got != tt.result {
				t.Errorf("result = %q, want %q (%v)", got, tt.result, s)
			}
			if got, want := s.SetsErrno.String(), string(tt.errno); got != want {
				t.Errorf("SetsErrno = %s, want %s", got, want)
			}
			if s.ReadsErrno != tt.reads {
				t.Errorf("ReadsErrno = %v, want %v", s.ReadsErrno, tt.reads)
			}
			if got := strings.Join(s.ErrnoClobbers, ","); got != tt.clobbers {
				t.Errorf("ErrnoClobbers = %q, want %q", got, tt.clobbers)
			}
			if got := strings.Join(s.CallsGo, ","); got != tt.callsGo {
				t.Errorf("CallsGo = %q, want %q", got, tt.callsGo)
			}
			if tt.extra != nil {
				tt.extra(t, s)
			}
		})
	}

	// A libc function keeps its table entry: no body, no summary of ours.
	if s := p.Summary("free"); s.Source != bridge.FromTable {
		t.Errorf("Summary(free) = %v, want the knowledge table's", s)
	}
}

// errnoWant spells the expected SetsErrno.
type errnoWant string

const (
	setsYes     errnoWant = "yes"
	setsNo      errnoWant = "no"
	setsUnknown errnoWant = "unknown"
)

func paramString(s *bridge.Summary) string {
	idx := make([]int, 0, len(s.Params))
	for i := range s.Params {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	var parts []string
	for _, i := range idx {
		parts = append(parts, fmt.Sprintf("p%d=%s", i, s.Params[i]))
	}
	return strings.Join(parts, " ")
}

func resultString(s *bridge.Summary) string {
	var parts []string
	if s.ReturnsOwned != nil {
		parts = append(parts, "owned="+s.ReturnsOwned.String())
	}
	if s.ReturnsBorrowed {
		parts = append(parts, "borrowed")
	}
	if s.ReturnsParam >= 0 {
		parts = append(parts, fmt.Sprintf("param=%d", s.ReturnsParam))
	}
	return strings.Join(parts, " ")
}

// C that cc/v4 rejects yields a warning and unknown summaries, not a
// panic or a guess.
func TestSummarizeUntranslatable(t *testing.T) {
	p := loadCgoPackage(t, map[string]string{
		"a.go": cgoSource(`#include <stdlib.h>
static void broken(char *p) { free(p) +* ; }
`),
	})
	if len(p.Warnings) == 0 {
		t.Error("no warning for a preamble that does not translate")
	}
	s := p.Summary("broken")
	if s.Known {
		t.Errorf("Summary(broken) = %v, want unknown", s)
	}
	if e := s.Effect(0); e != bridge.EffectUnknown {
		t.Errorf("Effect(0) = %v, want unknown", e)
	}
}

// Constructs the walk does not follow make the summary unknown, with a
// warning, instead of a wrong answer.
func TestSummarizeGivesUp(t *testing.T) {
	p := loadCgoPackage(t, map[string]string{
		"a.go": cgoSource(`#include <stdlib.h>
static void outer(char *p) {
	void inner(void) { free(p); }
	inner();
}
static void jumpy(char *p, int c) {
	static void *where[] = { &&a, &&b };
	goto *where[c];
a:
	free(p);
	return;
b:
	return;
}
static void wrapped(char *p) { outer(p); }
`),
	})
	for _, w := range p.Warnings {
		t.Logf("warning: %s", w)
	}
	if s := p.Summary("outer"); s.Known {
		t.Errorf("Summary(outer) = %v, want unknown", s)
	}
	if s := p.Summary("wrapped"); s.Effect(0) != bridge.EffectUnknown {
		t.Errorf("Summary(wrapped) = %v, want p0 unknown", s)
	}
	// A computed goto hides which paths free: at most "may free".
	if s := p.Summary("jumpy"); s.Effect(0)&bridge.Frees != 0 {
		t.Errorf("Summary(jumpy) = %v, want no certain free", s)
	}
}
