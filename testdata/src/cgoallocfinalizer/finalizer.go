// Finalizers and cleanups that free C memory Go does not own: memory a
// C function returned borrowed, or whose ownership a C function took.
// The finding sits on the SetFinalizer or AddCleanup call.
package cgoallocfinalizer

/*
#include <stdlib.h>
#include <string.h>

// ffivet:takes arg=1
void queue_push(char *msg);

typedef struct parser parser;
parser *parser_new(void);
void parser_destroy(parser *p);

static const char *version_string(void) {
	static char buf[32];
	static const char v[] = "libqueue 2.1";
	int i = 0;
	for (; v[i] != '\0'; i++)
		buf[i] = v[i];
	buf[i] = '\0';
	return buf;
}

static int name_len(const char *s) { return (int)strlen(s); }

static char *last_title;

// set_title keeps the pointer but does not take ownership of it.
static void set_title(char *t) { last_title = t; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// A Version wraps the library's version string.
type Version struct {
	s *C.char
}

// Modelled on golang/go issue #9749, where a string a C function
// returned was freed by its Go caller: here the free sits in a
// finalizer, and the string is the library's static buffer.
func newVersion() *Version {
	v := &Version{s: C.version_string()}
	runtime.SetFinalizer(v, func(v *Version) { C.free(unsafe.Pointer(v.s)) }) // want `the finalizer set here frees field s of \*Version, memory C\.version_string returned at line 50, which the C library owns: the free is a double free or frees memory C still uses; do not free it in the finalizer: wrap it without one, or copy it into memory you own`
	return v
}

// An Env is a variable of the environment.
type Env struct {
	value *C.char
}

func (e *Env) release() { C.free(unsafe.Pointer(e.value)) }

// The finalizer is a method expression.
func lookupEnv(name string) *Env {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	e := &Env{value: C.getenv(cname)}
	runtime.SetFinalizer(e, (*Env).release) // want `the finalizer set here frees field value of \*Env, memory C\.getenv returned at line 66, which the C library owns`
	return e
}

// A Message is queued for the C side.
type Message struct {
	text *C.char
}

// queue_push takes the message: the queue frees it when it is sent.
// Modelled on libgit2/git2go issue #553, fixed by pull request #555: a
// credential handed to libgit2, which frees it, kept its Go finalizer.
func send(text string) *Message {
	m := &Message{text: C.CString(text)}
	C.queue_push(m.text)
	runtime.SetFinalizer(m, func(m *Message) { C.free(unsafe.Pointer(m.text)) }) // want `the finalizer set here frees field text of \*Message, memory C\.queue_push took ownership of at line 81`
	return m
}

// A Label only holds a number; its finalizer frees a variable it
// captures.
type Label struct {
	n int
}

func shellLabel() *Label {
	key := C.CString("SHELL")
	defer C.free(unsafe.Pointer(key))
	shell := C.getenv(key)
	l := &Label{n: int(C.name_len(shell))}
	runtime.SetFinalizer(l, func(*Label) { C.free(unsafe.Pointer(shell)) }) // want `the finalizer set here frees the variable shell it captures, memory C\.getenv returned at line 95, which the C library owns`
	return l
}

// A Home holds the home directory, freed by a cleanup.
type Home struct {
	dir *C.char
}

func home() *Home {
	key := C.CString("HOME")
	defer C.free(unsafe.Pointer(key))
	h := &Home{}
	dir := C.getenv(key)
	h.dir = dir
	runtime.AddCleanup(h, func(p *C.char) { C.free(unsafe.Pointer(p)) }, dir) // want `the cleanup set here frees its argument, memory C\.getenv returned at line 110, which the C library owns`
	return h
}

// Near miss: the constructor allocates the string itself.
func newOwnedVersion() *Version {
	v := &Version{s: C.CString("2.1")}
	runtime.SetFinalizer(v, func(v *Version) { C.free(unsafe.Pointer(v.s)) })
	return v
}

// Near miss: the cleanup's argument is memory the constructor
// allocated.
func newBuffer(n int) *Home {
	p := (*C.char)(C.malloc(C.size_t(n)))
	h := &Home{dir: p}
	runtime.AddCleanup(h, func(p *C.char) { C.free(unsafe.Pointer(p)) }, p)
	return h
}

// A Setting holds a value that setValue replaces with a copy the
// setting owns.
type Setting struct {
	value *C.char
}

func (s *Setting) setValue(v string) { s.value = C.CString(v) }

// Near miss: value is assigned elsewhere too, with memory the setting
// owns; which one the finalizer frees is not known here.
func newSetting() *Setting {
	key := C.CString("LANG")
	defer C.free(unsafe.Pointer(key))
	s := &Setting{value: C.getenv(key)}
	runtime.SetFinalizer(s, func(s *Setting) { C.free(unsafe.Pointer(s.value)) })
	return s
}

// A Parser owns the C parser it creates.
type Parser struct {
	p *C.parser
}

// Near miss: the finalizer calls the library's destroy function on an
// object the wrapper created with parser_new, as libgit2/git2go pull
// request #3 and otiai10/gosseract pull request #245 do for their
// objects.
func newParser() *Parser {
	w := &Parser{p: C.parser_new()}
	runtime.SetFinalizer(w, func(w *Parser) { C.parser_destroy(w.p) })
	return w
}

// Near miss: the finalizer reads borrowed memory but frees nothing.
func versionLen() *Label {
	v := C.version_string()
	l := &Label{}
	runtime.SetFinalizer(l, func(*Label) { _ = C.name_len(v) })
	return l
}

// Near miss: set_title keeps the title but does not take ownership;
// the object still owns it.
func newTitle(t string) *Message {
	m := &Message{text: C.CString(t)}
	C.set_title(m.text)
	runtime.SetFinalizer(m, func(m *Message) { C.free(unsafe.Pointer(m.text)) })
	return m
}

// A Cache holds a C string.
type Cache struct {
	entry *C.char
}

// Near miss: the constructor replaces the library's string with a copy
// of its own before the finalizer can run.
func newCache() *Cache {
	c := &Cache{}
	c.entry = C.version_string()
	c.entry = C.strdup(c.entry)
	runtime.SetFinalizer(c, func(c *Cache) { C.free(unsafe.Pointer(c.entry)) })
	return c
}

func lookup(key string) *C.char {
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	return C.getenv(ckey)
}

// Near miss: the memory comes from another Go function; where it came
// from there is not followed.
func newCached(key string) *Cache {
	c := &Cache{entry: lookup(key)}
	runtime.SetFinalizer(c, func(c *Cache) { C.free(unsafe.Pointer(c.entry)) })
	return c
}

// Near miss: the finalizer is removed once the message is handed to
// the queue, as libgit2/git2go pull request #555 does.
func sendOnce(text string) *Message {
	m := &Message{text: C.CString(text)}
	runtime.SetFinalizer(m, func(m *Message) { C.free(unsafe.Pointer(m.text)) })
	C.queue_push(m.text)
	runtime.SetFinalizer(m, nil)
	return m
}

// A Job holds its cleanup so that it can stop it.
type Job struct {
	name *C.char
	stop runtime.Cleanup
}

// Near miss: the cleanup's handle is kept; the job may stop it.
func newJob() *Job {
	key := C.CString("JOB")
	defer C.free(unsafe.Pointer(key))
	name := C.getenv(key)
	j := &Job{name: name}
	j.stop = runtime.AddCleanup(j, func(p *C.char) { C.free(unsafe.Pointer(p)) }, name)
	return j
}

var _ = setValueUsed

func setValueUsed(s *Setting) { s.setValue("C") }
