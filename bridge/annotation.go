package bridge

import (
	"bufio"
	"bytes"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// An Annotation is one "ffivet:" comment next to a C declaration, or an
// entry of the annotations config file, e.g.
//
//	// ffivet:returns-owned dealloc=sqlite3_free
//	void *sqlite3_malloc(int);
//
// The vocabulary is documented in docs/annotations.md. Argument positions
// (arg=N) are 1-based, as in C attributes.
type Annotation struct {
	Pos  token.Position
	Verb string            // returns-owned, returns-borrowed, takes, keeps, frees, borrows, out-owned, sets-errno, errno-only, no-errno, success
	Args map[string]string // key=value arguments, e.g. dealloc=sqlite3_free, arg=1
}

func (a Annotation) String() string {
	var b strings.Builder
	b.WriteString("ffivet:")
	b.WriteString(a.Verb)
	keys := make([]string, 0, len(a.Args))
	for k := range a.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if a.Verb == "success" && k == "success" {
			b.WriteString("=" + a.Args[k])
			continue
		}
		fmt.Fprintf(&b, " %s=%s", k, a.Args[k])
	}
	return b.String()
}

// AnnotationsFile is the name of the per-package annotations file, read
// from the package directory. AnnotationsEnv names an environment
// variable holding more such files, separated like PATH entries.
const (
	AnnotationsFile = "ffivet-annotations.txt"
	AnnotationsEnv  = "FFIVET_ANNOTATIONS"
)

// annotationPrefix starts every annotation comment.
const annotationPrefix = "ffivet:"

// annotationVerbs lists each verb's keys; required keys are marked with
// a trailing '!'.
var annotationVerbs = map[string][]string{
	"returns-owned":    {"dealloc", "family", "success"},
	"returns-borrowed": {"success"},
	"takes":            {"arg!"},
	"keeps":            {"arg!"},
	"frees":            {"arg!", "family"},
	"borrows":          {"arg!"},
	"unterminated":     {"arg!"},
	"out-owned":        {"arg!", "dealloc", "family", "success"},
	"sets-errno":       {"success"},
	"no-errno":         nil,
	"errno-only":       nil,
	"success":          {"success!"},
}

var successTests = map[string]SuccessTest{
	"nonnull":    SuccessNonNull,
	"zero":       SuccessZero,
	"nonneg":     SuccessNonNeg,
	"not-minus1": SuccessNotMinus1,
}

// parseAnnotation reads the text after "ffivet:", such as
// "frees arg=1 family=sqlite3" or "success=zero".
func parseAnnotation(text string, pos token.Position) (Annotation, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Annotation{}, fmt.Errorf("ffivet: annotation has no verb")
	}
	a := Annotation{Pos: pos, Args: map[string]string{}}
	verb := fields[0]
	if v, val, ok := strings.Cut(verb, "="); ok {
		// "success=zero" is both the verb and its value.
		verb = v
		fields = append([]string{verb, "success=" + val}, fields[1:]...)
		if verb != "success" {
			return Annotation{}, fmt.Errorf("ffivet:%s takes no value; write key=value arguments after it", verb)
		}
	}
	keys, ok := annotationVerbs[verb]
	if !ok {
		return Annotation{}, fmt.Errorf("unknown ffivet annotation %q (known: %s)", verb, strings.Join(knownVerbs(), ", "))
	}
	a.Verb = verb
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" || v == "" {
			return Annotation{}, fmt.Errorf("ffivet:%s: %q is not key=value", verb, f)
		}
		if !hasKey(keys, k) {
			return Annotation{}, fmt.Errorf("ffivet:%s does not take %s=", verb, k)
		}
		if _, dup := a.Args[k]; dup {
			return Annotation{}, fmt.Errorf("ffivet:%s: %s= given twice", verb, k)
		}
		switch k {
		case "arg":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return Annotation{}, fmt.Errorf("ffivet:%s: arg=%s is not a parameter position (1 is the first)", verb, v)
			}
		case "success":
			if _, ok := successTests[v]; !ok {
				return Annotation{}, fmt.Errorf("ffivet:%s: success=%s is not one of nonnull, zero, nonneg, not-minus1", verb, v)
			}
		case "dealloc", "family":
			if !isIdent(v) {
				return Annotation{}, fmt.Errorf("ffivet:%s: %s=%s is not a C identifier", verb, k, v)
			}
		}
		a.Args[k] = v
	}
	for _, k := range keys {
		if name, req := strings.CutSuffix(k, "!"); req {
			if _, ok := a.Args[name]; !ok {
				return Annotation{}, fmt.Errorf("ffivet:%s needs %s=", verb, name)
			}
		}
	}
	return a, nil
}

func hasKey(keys []string, k string) bool {
	for _, x := range keys {
		if strings.TrimSuffix(x, "!") == k {
			return true
		}
	}
	return false
}

func knownVerbs() []string {
	var v []string
	for k := range annotationVerbs {
		v = append(v, k)
	}
	sort.Strings(v)
	return v
}

// argIndex returns the 0-based parameter of an annotation with arg=N.
func (a Annotation) argIndex() (int, bool) {
	s, ok := a.Args["arg"]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, false
	}
	return n - 1, true
}

// A cComment is one comment of a C source.
type cComment struct {
	line, endLine int // 0-based line indices of its start and end
	col, endCol   int // 0-based byte columns of its start and just past its end
	text          string
	trailing      bool // code precedes it on its first line
}

// scanC finds the comments of C source text. It also returns each line
// with comments, and the contents of string and character literals,
// replaced by spaces, so that columns still match the source and code
// can be searched for ';' and braces.
func scanC(text string) ([]cComment, []string) {
	var comments []cComment
	code := []byte(text)
	blank := func(i int) {
		if code[i] != '\n' {
			code[i] = ' '
		}
	}
	line, lineStart := 0, 0
	codeOnLine := false
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			line++
			lineStart = i + 1
			codeOnLine = false
			i++
		case c == '/' && i+1 < len(text) && (text[i+1] == '/' || text[i+1] == '*'):
			cm := cComment{line: line, col: i - lineStart, trailing: codeOnLine}
			start := i
			if text[i+1] == '/' {
				// A backslash at the end of the line continues a //
				// comment onto the next one.
				for i < len(text) && !(text[i] == '\n' && (i == 0 || text[i-1] != '\\')) {
					if text[i] == '\n' {
						line++
						lineStart = i + 1
						codeOnLine = false
					}
					i++
				}
				cm.text = text[start+2 : i]
			} else {
				end := strings.Index(text[i+2:], "*/")
				stop := len(text)
				inner := text[i+2:]
				if end >= 0 {
					stop = i + 2 + end + 2
					inner = text[i+2 : i+2+end]
				}
				for ; i < stop; i++ {
					if text[i] == '\n' {
						line++
						lineStart = i + 1
						codeOnLine = false
					}
				}
				cm.text = inner
			}
			for j := start; j < i; j++ {
				blank(j)
			}
			cm.endLine, cm.endCol = line, i-lineStart
			comments = append(comments, cm)
		case c == '"' || c == '\'':
			codeOnLine = true
			i++
			for i < len(text) && text[i] != c && text[i] != '\n' {
				if text[i] == '\\' && i+1 < len(text) {
					blank(i)
					i++
					if text[i] == '\n' {
						line++
						lineStart = i + 1
						i++
						continue
					}
				}
				blank(i)
				i++
			}
			if i < len(text) && text[i] == c {
				i++
			}
		default:
			if c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v' {
				codeOnLine = true
			}
			i++
		}
	}
	return comments, strings.Split(string(code), "\n")
}

// A sourceFile is the text of a file the package owns, split in lines.
type sourceFile struct {
	name     string
	base     int // the line number of lines[0]
	lines    []string
	text     string
	preamble bool
}

// A sourceSet reads the package's own C sources once: its preambles
// (whose lines are numbered as in the .go file), and the .c and .h files
// under its directory or its -I directories. System headers are not
// read; their functions are annotated through the annotations file.
type sourceSet struct {
	files map[string]*sourceFile // nil entry: not owned or unreadable
	roots []string
	read  func(string) ([]byte, error)
}

// maxSourceSize bounds the files read for annotations; a generated
// amalgamation larger than this is skipped rather than slowing every
// analysis down.
const maxSourceSize = 64 << 20

func newSourceSet(p *Package, read func(string) ([]byte, error)) *sourceSet {
	if read == nil {
		read = os.ReadFile
	}
	s := &sourceSet{files: map[string]*sourceFile{}, read: read}
	for _, pre := range p.Preambles {
		s.files[pre.File] = &sourceFile{name: pre.File, base: pre.Line, text: pre.Text, lines: strings.Split(pre.Text, "\n"), preamble: true}
	}
	if p.Dir != "" {
		if abs, err := filepath.Abs(p.Dir); err == nil {
			s.roots = append(s.roots, abs)
		}
	}
	if p.Flags != nil {
		s.roots = append(s.roots, p.Flags.IncludeDirs...)
	}
	return s
}

func (s *sourceSet) owns(name string) bool { return s.file(name) != nil }

func (s *sourceSet) isPreamble(name string) bool {
	f := s.files[name]
	return f != nil && f.preamble
}

func (s *sourceSet) file(name string) *sourceFile {
	if f, ok := s.files[name]; ok {
		return f
	}
	s.files[name] = nil
	if !strings.HasSuffix(name, ".c") && !strings.HasSuffix(name, ".h") {
		return nil
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil
	}
	inside := false
	for _, r := range s.roots {
		if rel, err := filepath.Rel(r, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			inside = true
			break
		}
	}
	if !inside {
		return nil
	}
	b, err := s.read(name)
	if err != nil || len(b) > maxSourceSize {
		return nil
	}
	f := &sourceFile{name: name, base: 1, text: string(b), lines: strings.Split(string(b), "\n")}
	s.files[name] = f
	return f
}

// line returns line n of file name, if the package owns the file.
func (s *sourceSet) line(name string, n int) (string, bool) {
	f := s.file(name)
	if f == nil || n < f.base || n-f.base >= len(f.lines) {
		return "", false
	}
	return strings.TrimSuffix(f.lines[n-f.base], "\r"), true
}

// readDeclFacts fills Func.Attrs and Func.Notes from the declarations of
// the package's units, the ffivet: comments of its own sources, and the
// annotations files.
func (p *Package) readDeclFacts(read func(string) ([]byte, error)) {
	r := p.newDeclReader(read)
	for _, u := range p.Units {
		r.unit(u)
	}
	r.finish()
}

// newDeclReader returns a reader of p's declaration facts: unit reads
// the attributes of one unit's declarations, after p collected them and
// before the unit's syntax is released; finish reads the annotations
// once every unit was read.
func (p *Package) newDeclReader(read func(string) ([]byte, error)) *attrReader {
	return p.newAttrReader(newSourceSet(p, read))
}

// finish links deallocators, attaches the ffivet: comments of the
// package's own sources to the declarations the units made, and reads
// the annotations files.
func (r *attrReader) finish() {
	p := r.p
	sites := r.linkDeallocators()
	files := make([]string, 0, len(sites))
	for name := range sites {
		files = append(files, name)
	}
	// A preamble can hold annotations without a declaration to attach
	// them to; those are reported too.
	for _, pre := range p.Preambles {
		if _, ok := sites[pre.File]; !ok && p.unitParsed(pre.File) {
			files = append(files, pre.File)
		}
	}
	sort.Strings(files)
	for _, name := range files {
		if f := r.src.file(name); f != nil {
			p.annotateFile(f, sites[name])
		}
	}
	p.readAnnotationsFiles()
}

// unitParsed reports whether the unit named name has an AST: when it
// does not, its declarations are unknown and unattached annotations say
// nothing about the annotations themselves.
func (p *Package) unitParsed(name string) bool {
	for _, u := range p.Units {
		if u.Name == name {
			return u.AST != nil
		}
	}
	return false
}

// maxDeclLines is how many lines of code may lie between an annotation
// and the start of the declarator it is about (a declaration spread over
// "static inline", "char *" and "name(...)" lines).
const maxDeclLines = 4

// annotateFile attaches the annotations of one file to the functions it
// declares (sites, sorted by position).
func (p *Package) annotateFile(f *sourceFile, sites []declSite) {
	if !strings.Contains(f.text, annotationPrefix) {
		return
	}
	comments, code := scanC(f.text)
	commented := make([]bool, len(code))
	for _, cm := range comments {
		for n := cm.line; n <= cm.endLine && n < len(commented); n++ {
			commented[n] = true
		}
	}
	for _, cm := range comments {
		text := strings.TrimSpace(cm.text)
		rest, ok := strings.CutPrefix(text, annotationPrefix)
		if !ok {
			continue
		}
		pos := token.Position{Filename: f.name, Line: f.base + cm.line}
		a, err := parseAnnotation(rest, pos)
		if err != nil {
			p.warn(pos, "%v", err)
			continue
		}
		var site *declSite
		if cm.trailing {
			site = trailingSite(cm, sites, code, f.base)
		} else {
			site = leadingSite(cm, sites, code, commented, f.base)
		}
		if site == nil {
			p.warn(pos, "%s is not next to a C function declaration; it is ignored (write it on the lines just before the declaration or at the end of its line)", a)
			continue
		}
		p.attachNote(p.Funcs[site.name], a)
	}
}

// leadingSite finds the declaration an annotation on the lines before it
// is about: the next one, if only comments and the declaration's own
// first lines stand between them.
func leadingSite(cm cComment, sites []declSite, code []string, commented []bool, base int) *declSite {
	i := sort.Search(len(sites), func(i int) bool {
		l := sites[i].line - base
		return l > cm.endLine || l == cm.endLine && sites[i].col-1 >= cm.endCol
	})
	if i == len(sites) {
		return nil
	}
	s := &sites[i]
	target := s.line - base
	codeLines := 0
	for n := cm.endLine; n <= target && n < len(code); n++ {
		c := code[n]
		lo, hi := 0, len(c)
		if n == cm.endLine {
			lo = min(cm.endCol, len(c))
		}
		if n == target && s.col >= 1 && s.col-1 <= len(c) {
			hi = s.col - 1
		}
		c = c[min(lo, hi):hi]
		if n != cm.endLine && n != target && strings.TrimSpace(c) == "" && !commented[n] {
			return nil // a blank line ends the annotation's reach
		}
		if strings.ContainsAny(c, ";{}") {
			return nil
		}
		if strings.TrimSpace(c) != "" {
			codeLines++
		}
	}
	if codeLines > maxDeclLines {
		return nil
	}
	return s
}

// trailingSite finds the declaration an annotation at the end of a line
// is about: the last one starting at most a few lines before, whose text
// up to the comment is that declaration alone (or a one-line definition).
func trailingSite(cm cComment, sites []declSite, code []string, base int) *declSite {
	i := sort.Search(len(sites), func(i int) bool {
		l := sites[i].line - base
		return l > cm.line || l == cm.line && sites[i].col-1 >= cm.col
	})
	if i == 0 {
		return nil
	}
	s := &sites[i-1]
	start := s.line - base
	if cm.line-start > maxDeclLines || start < 0 || cm.line >= len(code) {
		return nil
	}
	var between strings.Builder
	for n := start; n <= cm.line; n++ {
		c := code[n]
		if n == cm.line && cm.col <= len(c) {
			c = c[:cm.col]
		}
		if n == start && s.col >= 1 && s.col-1 <= len(c) {
			c = c[s.col-1:]
		}
		between.WriteString(c)
		between.WriteByte('\n')
	}
	head := strings.TrimSpace(between.String())
	if i := strings.IndexByte(head, '{'); i >= 0 {
		// A definition: its body must be the rest of the text, so that
		// "int f(void) { return 0; } // ffivet:..." is about f.
		body := strings.TrimSpace(head[i:])
		if body != "{" && (!strings.HasSuffix(body, "}") || strings.Count(body, "{") != strings.Count(body, "}")) {
			return nil
		}
		head = head[:i]
	} else {
		head = strings.TrimSuffix(head, ";")
	}
	if strings.ContainsAny(head, ";{}") {
		return nil
	}
	return s
}

// attachNote adds an annotation to f after checking its argument
// position against f's parameters.
func (p *Package) attachNote(f *Func, a Annotation) {
	if f == nil {
		return
	}
	if i, ok := a.argIndex(); ok && i >= len(f.Params) && !f.Variadic {
		p.warn(a.Pos, "%s: %s has %d parameter(s); the annotation is ignored", a, f.Name, len(f.Params))
		return
	}
	f.Notes = append(f.Notes, a)
}

// readAnnotationsFiles reads the package's annotations file and those
// named by $FFIVET_ANNOTATIONS.
func (p *Package) readAnnotationsFiles() {
	if p.Dir != "" {
		name := filepath.Join(p.Dir, AnnotationsFile)
		if b, err := os.ReadFile(name); err == nil {
			p.readAnnotationsFile(name, b, true)
		}
	}
	for _, name := range filepath.SplitList(os.Getenv(AnnotationsEnv)) {
		if name == "" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			p.warn(token.Position{Filename: name}, "cannot read annotations file named by $%s: %v", AnnotationsEnv, err)
			continue
		}
		p.readAnnotationsFile(name, b, false)
	}
}

// readAnnotationsFile reads lines "FUNC VERB key=value ...". Blank lines
// and lines starting with '#' are skipped. Functions the package does not
// declare are reported only for the package's own file: a shared file
// names functions of many libraries.
func (p *Package) readAnnotationsFile(name string, b []byte, own bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pos := token.Position{Filename: name, Line: n}
		fields := strings.Fields(line)
		fn, rest := fields[0], strings.Join(fields[1:], " ")
		if !isIdent(fn) {
			p.warn(pos, "annotations file: %q is not a C function name; lines read FUNC VERB key=value...", fn)
			continue
		}
		rest = strings.TrimPrefix(strings.TrimSpace(rest), annotationPrefix)
		a, err := parseAnnotation(rest, pos)
		if err != nil {
			p.warn(pos, "annotations file: %v", err)
			continue
		}
		f := p.Funcs[fn]
		if f == nil {
			// A function only a .c file defines is declared; what the
			// annotation says of it is in the C side's summaries.
			if _, inC := p.cDefs[fn]; own && !inC {
				p.warn(pos, "annotations file names %s, which the package's C does not declare", fn)
			}
			continue
		}
		p.attachNote(f, a)
	}
	if err := sc.Err(); err != nil {
		p.warn(token.Position{Filename: name}, "annotations file: %v", err)
	}
}
