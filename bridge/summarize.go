package bridge

import (
	"fmt"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"modernc.org/cc/v4"
)

// Function summaries from C bodies.
//
// Each function with a body in the package's preambles and .c files is
// read once per round of a fixpoint over the call graph: a callee's
// summary feeds its callers, and a changed summary puts its callers back
// on the worklist. Callees that have not been summarized yet contribute
// nothing (the bottom of the lattice), which is what lets recursive
// functions reach an answer; a function whose summary keeps changing is
// given up on and marked unknown.
//
// Inside one function the analysis is deliberately simple:
//
//   - What a variable may point to is flow-insensitive: the union of
//     everything assigned to it anywhere in the body. A pointer that may
//     be two different things is never claimed to be freed or kept, only
//     EffectUnknown.
//   - Whether a parameter is freed on every path is path-sensitive over
//     the structured statements (if, switch, loops, forward goto, return),
//     with "p == NULL" guards counting as freed, since free(NULL) frees
//     nothing. Anything the walk cannot follow (a backward or computed
//     goto) turns Frees into MayFree.
//   - The errno facts are textual: see errnoClobbers.
//
// Whatever the walk does not understand makes the affected facts unknown,
// never guessed.

// maxRounds bounds how often one function is re-summarized before the
// fixpoint gives up on it.
const maxRounds = 16

// maxVarRounds bounds the flow-insensitive pass over one body.
const maxVarRounds = 12

// summarize computes summaries for the functions with bodies in p.
func summarize(p *Package) map[string]*Summary {
	s := &summarizer{
		p:      p,
		bodies: map[string]*Func{},
		sums:   map[string]*Summary{},
		rounds: map[string]int{},
		pinned: map[string]bool{},
		entry:  map[string]entryErrno{},

		declared: map[string]*Summary{},
	}
	for name, f := range p.Funcs {
		if f == nil || !f.HasBody || f.Def == nil || f.Def.CompoundStatement == nil {
			continue
		}
		// A system header's inline definition of a function the knowledge
		// table describes (a fortified or inline libc wrapper) is an
		// implementation detail; the table says what it means.
		if p.knowledge != nil && p.knowledge.Summary(name) != nil && !s.ownFile(f.Pos.Filename) {
			continue
		}
		s.bodies[name] = f
	}
	s.run()
	out := make(map[string]*Summary, len(s.bodies))
	for name := range s.bodies {
		// A body given up on says nothing; attributes, annotations or
		// the table may still.
		if sum := s.sums[name]; sum != nil && !s.pinned[name] {
			out[name] = sum
		}
	}
	return out
}

// entryErrno is what a function does with the errno its caller left:
// whether it reads it, and which calls it makes before that may
// overwrite it. A function that reads errno only after its own failing
// call does not read its caller's errno.
type entryErrno struct {
	reads    bool
	clobbers []string
}

type summarizer struct {
	p      *Package
	bodies map[string]*Func
	sums   map[string]*Summary // nil until first computed
	rounds map[string]int
	pinned map[string]bool // given up on: unknown for good
	entry  map[string]entryErrno
	// declared caches the summaries of functions without a body.
	declared map[string]*Summary
}

// ownFile reports whether a definition lives in the package's own C: a
// preamble, a .c file, or a header in the package directory.
func (s *summarizer) ownFile(name string) bool {
	if name == "" {
		return false
	}
	for _, f := range s.p.GoFiles {
		if f == name {
			return true
		}
	}
	for _, f := range s.p.CFiles {
		if f == name {
			return true
		}
	}
	return s.p.Dir != "" && filepath.Dir(absPath(name)) == absPath(s.p.Dir)
}

func absPath(name string) string {
	if a, err := filepath.Abs(name); err == nil {
		return a
	}
	return name
}

func (s *summarizer) run() {
	names := make([]string, 0, len(s.bodies))
	for n := range s.bodies {
		names = append(names, n)
	}
	sort.Strings(names)

	calls := map[string][]string{}
	callers := map[string][]string{}
	for _, n := range names {
		calls[n] = s.directCallees(s.bodies[n])
		for _, c := range calls[n] {
			callers[c] = append(callers[c], n)
		}
	}

	// Callees first, so most functions are read once.
	var order []string
	seen := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, c := range calls[n] {
			visit(c)
		}
		order = append(order, n)
	}
	for _, n := range names {
		visit(n)
	}

	queued := map[string]bool{}
	queue := append([]string(nil), order...)
	for _, n := range queue {
		queued[n] = true
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		queued[n] = false
		if s.pinned[n] {
			continue
		}
		s.rounds[n]++
		old, oldEntry := s.sums[n], s.entry[n]
		var sum *Summary
		var entry entryErrno
		if s.rounds[n] > maxRounds {
			s.pin(n, "its summary did not settle")
			sum = s.sums[n]
		} else {
			sum, entry = s.summarizeFunc(n)
		}
		if old != nil && reflect.DeepEqual(old, sum) && reflect.DeepEqual(oldEntry, entry) {
			continue
		}
		s.sums[n], s.entry[n] = sum, entry
		for _, c := range callers[n] {
			if !queued[c] && !s.pinned[c] {
				queued[c] = true
				queue = append(queue, c)
			}
		}
	}
}

// pin gives up on a function: its summary is unknown from now on.
func (s *summarizer) pin(name, why string) {
	s.pinned[name] = true
	s.sums[name] = unknownSummary(name)
	delete(s.entry, name)
	f := s.bodies[name]
	s.p.warn(funcPos(f), "summary of C function %s is unknown: %s", name, why)
}

func funcPos(f *Func) (pos token.Position) {
	if f != nil {
		pos = f.Pos
	}
	return pos
}

// directCallees lists the functions with bodies that f calls by name.
func (s *summarizer) directCallees(f *Func) (out []string) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	seen := map[string]bool{}
	visitNodes(f.Def.CompoundStatement, func(n any) {
		pe, ok := n.(*cc.PostfixExpression)
		if !ok || pe.Case != cc.PostfixExpressionCall {
			return
		}
		if name := calleeName(pe.PostfixExpression); name != "" && s.bodies[name] != nil && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	})
	sort.Strings(out)
	return out
}

// callee returns what is known about a called function, and whether it is
// a function with a body that has not been summarized yet. It answers as
// Package.Summary will: annotations over the body's summary, and for
// functions without one their attributes or the knowledge table. A
// function without a body that reads errno is taken to read the errno
// its caller left, like perror.
func (s *summarizer) callee(name string) (sum *Summary, entry entryErrno, bottom bool) {
	if name == "" {
		return unknownSummary(""), entry, false
	}
	if f, ok := s.bodies[name]; ok && !s.pinned[name] {
		sum := s.sums[name]
		if sum == nil {
			return nil, entry, true
		}
		if len(f.Notes) > 0 {
			sum = s.p.annotatedSummary(f, sum)
		}
		return sum, s.entry[name], false
	}
	sum = s.declaredCallee(name)
	return sum, entryErrno{reads: sum.ReadsErrno, clobbers: sum.ErrnoClobbers}, false
}

func (s *summarizer) declaredCallee(name string) *Summary {
	if _, ok := s.p.Exports[name]; ok {
		// Go code can do anything with what it is given.
		return unknownSummary(name)
	}
	if sum, ok := s.declared[name]; ok {
		return sum
	}
	sum := s.p.declaredSummary(name)
	if sum == nil {
		if base, ok := strings.CutPrefix(name, "__builtin_"); ok {
			sum = s.p.declaredSummary(base)
		}
	}
	if sum == nil {
		sum = unknownSummary(name)
	}
	s.declared[name] = sum
	return sum
}

// summarizeFunc reads one body. A panic anywhere in it makes the function
// unknown rather than stopping the analysis of the package.
func (s *summarizer) summarizeFunc(name string) (sum *Summary, entry entryErrno) {
	defer func() {
		if x := recover(); x != nil {
			s.pin(name, fmt.Sprintf("internal error: %v", x))
			sum, entry = s.sums[name], entryErrno{}
		}
	}()
	f := s.bodies[name]
	fs := newFnState(s, f)
	for round := 0; ; round++ {
		if round == maxVarRounds {
			s.pin(name, "its variables did not settle")
			return s.sums[name], entry
		}
		fs.reset()
		fs.walkBody()
		if fs.abandon != "" {
			s.pin(name, fs.abandon)
			return s.sums[name], entry
		}
		if !fs.varsChanged {
			break
		}
	}
	sum, entry = fs.summary()
	return sum, entry
}

// An originKind says where a pointer value may come from.
type originKind uint8

const (
	oNull     originKind = iota // NULL, or a value that is not a pointer
	oParam                      // points into parameter param
	oReach                      // loaded from memory reachable from parameter param (-1: from a global)
	oOwned                      // memory from the allocating call site, family alloc
	oBorrowed                   // static storage: a global, a string literal, a borrowed result
	oLocal                      // the address of an automatic variable
	oUnknown                    // anything else
)

type origin struct {
	kind  originKind
	param int
	site  cc.Node
	alloc string // family, for oOwned
}

// An oset is a small set of origins.
type oset []origin

var (
	nullSet     = oset{{kind: oNull}}
	unknownSet  = oset{{kind: oUnknown}}
	borrowedSet = oset{{kind: oBorrowed}}
	localSet    = oset{{kind: oLocal}}
)

func (s oset) has(o origin) bool {
	for _, x := range s {
		if x == o {
			return true
		}
	}
	return false
}

func (s oset) union(t oset) oset {
	var out oset
	for _, o := range t {
		if !s.has(o) && !out.has(o) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return s
	}
	return append(append(oset(nil), s...), out...)
}

// nonNull returns the origins other than oNull.
func (s oset) nonNull() oset {
	var out oset
	for _, o := range s {
		if o.kind != oNull {
			out = append(out, o)
		}
	}
	return out
}

// ambiguous reports whether the value may be more than one thing (NULL
// aside): then nothing done to it is certain to be done to any of them.
func (s oset) ambiguous() bool { return len(s.nonNull()) > 1 }

// onlyParam returns i when the value is parameter i (or NULL).
func (s oset) onlyParam() (int, bool) {
	nn := s.nonNull()
	if len(nn) == 1 && nn[0].kind == oParam {
		return nn[0].param, true
	}
	return -1, false
}

// pset is a set of parameter indices; parameters past 63 are never in it.
type pset uint64

func (p pset) has(i int) bool { return i >= 0 && i < 64 && p&(1<<uint(i)) != 0 }
func (p pset) with(i int) pset {
	if i >= 0 && i < 64 {
		return p | 1<<uint(i)
	}
	return p
}

// flow is the state of the path walk: whether the point is reachable, and
// which parameters have been freed on every path reaching it.
type flow struct {
	live bool
	must pset
}

func join(a, b flow) flow {
	switch {
	case a.live && b.live:
		return flow{live: true, must: a.must & b.must}
	case a.live:
		return a
	}
	return b
}

// A branchMark places an event in one arm of a conditional.
type branchMark struct {
	node cc.Node
	arm  int
}

type errnoEventKind uint8

const (
	evCall errnoEventKind = iota
	evRead
	evWrite
	evExit // a return statement; see exitClobbers
)

func (ev *errnoEvent) isRead() bool { return ev.kind == evRead || ev.kind == evCall && ev.reads }

type errnoEvent struct {
	kind     errnoEventKind
	name     string      // callee, for calls
	sets     Tristate    // callee's SetsErrno
	used     bool        // the call's result is used, so it may be tested for failure
	signal   bool        // errno is the callee's only error signal (strtol)
	reads    bool        // the callee reads the errno its caller left
	clobbers []string    // calls the callee makes before it reads that errno
	failing  bool        // for exits: the value returned reports failure
	fail     SuccessTest // for failing exits: the test the returned value fails
	zero     bool        // for writes: errno = 0
	arms     []branchMark
}

// Escape levels of an allocation made in the body.
const (
	escNone      = iota // freed or only borrowed
	escUncertain        // reached code or storage the walk cannot follow
	escOut              // returned or stored where it outlives the call
)

// fnState is the analysis of one body.
type fnState struct {
	// outSuccess is the success test of the callee whose out-parameter
	// this function forwards, so the forwarding function inherits it.
	outSuccess SuccessTest
	s          *summarizer
	f          *Func
	params     map[*cc.Declarator]int
	isPtr      []bool
	locals     map[*cc.Declarator]bool
	vars       map[*cc.Declarator]oset

	varsChanged bool
	abandon     string

	// Facts gathered by one walk.
	effects    []Effect
	mayFree    []bool
	deallocs   map[int]string // family freed, "" after a conflict
	deallocOf  map[string]*Allocator
	returns    []pset // must-freed at each return
	retOrigins oset
	heapStores map[cc.Node][]int // allocation site -> parameters stored in it
	escape     map[cc.Node]int
	outStores  map[int]string // parameter -> family of owned memory stored through it, "" after a conflict
	events     []errnoEvent
	callsGo    map[string]bool
	wroteErrno bool
	errnoYes   bool
	errnoUnk   bool
	unsureFlow bool

	// Walk state.
	cond        int  // > 0 inside a conditionally evaluated operand
	defFrees    pset // parameters freed by the expression being evaluated
	defNoReturn bool // the expression calls a function that does not return
	arms        []branchMark
	discarded   *cc.PostfixExpression // the call an expression statement throws the result of away
	gotos       map[string]pset
	labels      map[string]bool
	switches    map[*cc.SelectionStatement]pset
	breaks      []*flow // the join of the states at break, per enclosing loop or switch
	lastValue   oset
}

func newFnState(s *summarizer, f *Func) *fnState {
	fs := &fnState{
		s:      s,
		f:      f,
		params: map[*cc.Declarator]int{},
		locals: map[*cc.Declarator]bool{},
		vars:   map[*cc.Declarator]oset{},
	}
	if ft, ok := f.Def.Declarator.Type().(*cc.FunctionType); ok {
		i := 0
		for _, prm := range ft.Parameters() {
			t := prm.Type()
			if t != nil && t.Kind() == cc.Void {
				continue
			}
			if prm.Declarator != nil {
				fs.params[prm.Declarator] = i
				fs.vars[prm.Declarator] = oset{{kind: oParam, param: i}}
			}
			fs.isPtr = append(fs.isPtr, t != nil && t.Kind() == cc.Ptr)
			i++
		}
	}
	return fs
}

func (fs *fnState) reset() {
	n := len(fs.isPtr)
	fs.varsChanged = false
	fs.effects = make([]Effect, n)
	fs.mayFree = make([]bool, n)
	fs.deallocs = map[int]string{}
	fs.deallocOf = map[string]*Allocator{}
	fs.returns = nil
	fs.retOrigins = nil
	fs.heapStores = map[cc.Node][]int{}
	fs.escape = map[cc.Node]int{}
	fs.outStores = map[int]string{}
	fs.events = nil
	fs.callsGo = map[string]bool{}
	fs.wroteErrno, fs.errnoYes, fs.errnoUnk = false, false, false
	fs.unsureFlow = false
	fs.cond = 0
	fs.defFrees, fs.defNoReturn = 0, false
	fs.arms = nil
	fs.gotos = map[string]pset{}
	fs.labels = map[string]bool{}
	fs.switches = map[*cc.SelectionStatement]pset{}
	fs.breaks = nil
}

func (fs *fnState) walkBody() {
	end := fs.compound(fs.f.Def.CompoundStatement, flow{live: true})
	if end.live {
		fs.returns = append(fs.returns, end.must)
	}
}

// summary turns the facts of the last walk into a Summary.
func (fs *fnState) summary() (*Summary, entryErrno) {
	f := fs.f
	sum := &Summary{
		Name: f.Name, Known: true, Source: FromBody, ReturnsParam: -1,
		Params: map[int]Effect{},
	}
	resultPtr := f.Result != nil && f.Result.Kind() == cc.Ptr

	for _, o := range fs.retOrigins {
		switch o.kind {
		case oParam:
			if o.param < len(fs.effects) {
				if resultPtr {
					fs.effects[o.param] |= Returned
				} else {
					fs.effects[o.param] |= EffectUnknown
				}
			}
		case oOwned:
			fs.escape[o.site] = escOut
		}
	}
	if resultPtr {
		fs.classifyResult(sum)
	}
	for site, ps := range fs.heapStores {
		for _, i := range ps {
			switch fs.escape[site] {
			case escOut:
				fs.effects[i] |= Keeps
			case escUncertain:
				fs.effects[i] |= EffectUnknown
			default:
				fs.effects[i] |= Borrows
			}
		}
	}
	for i, ptr := range fs.isPtr {
		if !ptr {
			continue
		}
		e := fs.effects[i]
		if fs.mayFree[i] {
			all := !fs.unsureFlow
			for _, r := range fs.returns {
				if !r.has(i) {
					all = false
				}
			}
			if all {
				e |= Frees
			} else {
				e |= MayFree
			}
			if fam, ok := fs.deallocs[i]; ok && fam != "" {
				if sum.Deallocs == nil {
					sum.Deallocs = map[int]*Allocator{}
				}
				sum.Deallocs[i] = fs.deallocOf[fam]
			}
		}
		if e&(Frees|MayFree|Keeps|Takes|EffectUnknown) != 0 {
			e &^= Borrows
		}
		if e == 0 {
			// Only compared, or not used at all.
			e = Borrows
		}
		sum.Params[i] = e
	}
	for i, fam := range fs.outStores {
		if fam == "" || i >= len(fs.isPtr) {
			continue
		}
		if sum.OutOwned == nil {
			sum.OutOwned = map[int]*Allocator{}
		}
		sum.OutOwned[i] = fs.deallocOf[fam]
		if sum.Success == SuccessUnknown {
			sum.Success = fs.outSuccess
		}
	}

	switch {
	case fs.wroteErrno || fs.errnoYes:
		sum.SetsErrno = Yes
	case fs.errnoUnk:
		sum.SetsErrno = Unknown
	default:
		sum.SetsErrno = No
	}
	for _, ev := range fs.events {
		if ev.isRead() {
			sum.ReadsErrno = true
		}
	}
	var entry entryErrno
	sum.ErrnoClobbers, entry = errnoClobbers(fs.events)
	sum.ReadsCallerErrno = entry.reads
	sum.ErrnoExitClobbers = exitClobbers(fs.events)
	if sum.SetsErrno == Yes && sum.Success == SuccessUnknown {
		if t := failureConvention(fs.events); t != SuccessUnknown {
			sum.Success, sum.ErrnoOnFailure = t, true
		}
	}
	for g := range fs.callsGo {
		sum.CallsGo = append(sum.CallsGo, g)
	}
	sort.Strings(sum.CallsGo)
	return sum, entry
}

func (fs *fnState) classifyResult(sum *Summary) {
	nn := fs.retOrigins.nonNull()
	if len(nn) == 0 {
		return
	}
	allParam, allOwned, allBorrowed := true, true, true
	for _, o := range nn {
		allParam = allParam && o.kind == oParam && o.param == nn[0].param
		allOwned = allOwned && o.kind == oOwned && o.alloc == nn[0].alloc
		allBorrowed = allBorrowed && o.kind == oBorrowed
	}
	switch {
	case allParam:
		sum.ReturnsParam = nn[0].param
	case allOwned:
		sum.ReturnsOwned = fs.deallocOf[nn[0].alloc]
	case allBorrowed:
		sum.ReturnsBorrowed = true
	}
}

// errnoClobbers lists, for each read of errno, the calls that may
// overwrite errno before the read.
//
// It is textual. The window of a read starts after the previous read or
// write of errno, or at the function's entry. The call the read is about
// is the last call in the window that may set errno (SetsErrno not No)
// and whose result is used, so that it can have been tested for failure,
// or whose only error signal is errno: printf("...") as a statement is
// not such a call. A call that only may set errno counts too, so that an
// unknown function is never blamed for the errno it may have set. Every
// later call in the window that does not promise to leave errno alone is
// a clobber. When the window has no such call, the read is about the
// errno the caller left (or the body wrote or read before), and every
// call in the window that may set errno is a clobber: that is the helper
// that logs and then returns errno.
//
// Calls in another arm of an if, ?: or switch than the read or the
// setting call are on another path and are skipped. A call of a function
// that reads the errno its caller left (see entryErrno) counts as a read,
// and the calls it makes before reading count as clobbers. Loops are not
// followed: a call later in a loop body than the read is not seen as
// running before it.
//
// The second result says whether some read is of the errno the caller
// left, and what may overwrite it first.
func errnoClobbers(events []errnoEvent) (clobbers []string, entry entryErrno) {
	add := func(list *[]string, name string) {
		for _, x := range *list {
			if x == name {
				return
			}
		}
		*list = append(*list, name)
	}
	start := 0
	for r, ev := range events {
		if !ev.isRead() && ev.kind != evWrite {
			continue
		}
		if ev.isRead() {
			from := -1
			var fromArms []branchMark
			for i := r - 1; i >= start; i-- {
				e := events[i]
				if e.kind == evCall && e.sets != No && (e.used || e.signal) && !exclusive(e.arms, ev.arms) {
					from, fromArms = i, e.arms
					break
				}
			}
			// With no call to blame, errno still holds what the caller
			// left, the body wrote, or the last read saw: every call in
			// the window may have overwritten it.
			atEntry := from < 0 && start == 0
			if from < 0 {
				from = start - 1
			}
			if atEntry {
				entry.reads = true
			}
			var found []string
			for i := from + 1; i < r; i++ {
				e := events[i]
				if e.kind == evCall && e.sets != No && !exclusive(e.arms, ev.arms) && !exclusive(e.arms, fromArms) {
					found = append(found, e.name)
				}
			}
			if ev.kind == evCall {
				found = append(found, ev.clobbers...)
			}
			for _, c := range found {
				add(&clobbers, c)
				if atEntry {
					add(&entry.clobbers, c)
				}
			}
		}
		start = r + 1
	}
	return clobbers, entry
}

// exclusive reports whether two events lie in different arms of the same
// conditional, so no path runs both.
func exclusive(a, b []branchMark) bool {
	for _, x := range a {
		for _, y := range b {
			if x.node == y.node && x.arm != y.arm {
				return true
			}
		}
	}
	return false
}

// Recording effects.

func (fs *fnState) addEffect(i int, e Effect) {
	if i >= 0 && i < len(fs.effects) {
		fs.effects[i] |= e
	}
}

func (fs *fnState) setEscape(site cc.Node, level int) {
	if level > fs.escape[site] {
		fs.escape[site] = level
	}
}

// derefs records that v is dereferenced, and returns the origins of the
// memory it points to.
func (fs *fnState) derefs(v oset) oset {
	for _, o := range v {
		if o.kind == oParam {
			fs.addEffect(o.param, Borrows)
		}
	}
	return v.nonNull()
}

// lost records that v reaches something the walk cannot follow.
func (fs *fnState) lost(v oset) {
	for _, o := range v {
		switch o.kind {
		case oParam:
			fs.addEffect(o.param, EffectUnknown)
		case oOwned:
			fs.setEscape(o.site, escUncertain)
		}
	}
}

func (fs *fnState) noteFree(i int, family *Allocator, definite bool) {
	if i < 0 || i >= len(fs.mayFree) {
		return
	}
	fs.mayFree[i] = true
	if definite && fs.cond == 0 {
		fs.defFrees = fs.defFrees.with(i)
	}
	fam := ""
	if family != nil {
		fam = family.Family
		fs.deallocOf[fam] = family
	}
	if old, ok := fs.deallocs[i]; ok && old != fam {
		fam = ""
	}
	fs.deallocs[i] = fam
}

// passed records that v is passed as an argument whose fate is e.
func (fs *fnState) passed(v oset, e Effect, family *Allocator) {
	amb := v.ambiguous()
	for _, o := range v {
		switch o.kind {
		case oParam:
			i := o.param
			if e&(Borrows|Returned) != 0 {
				fs.addEffect(i, Borrows)
			}
			if e&EffectUnknown != 0 {
				fs.addEffect(i, EffectUnknown)
			}
			for _, x := range []Effect{Frees, MayFree, Keeps, Takes} {
				if e&x == 0 {
					continue
				}
				switch {
				case amb:
					fs.addEffect(i, EffectUnknown)
				case x == Frees || x == MayFree:
					fs.noteFree(i, family, x == Frees)
				default:
					fs.addEffect(i, x)
				}
			}
		case oOwned:
			switch {
			case e&(Keeps|Takes) != 0:
				fs.setEscape(o.site, escOut)
			case e&EffectUnknown != 0:
				fs.setEscape(o.site, escUncertain)
			}
		}
	}
}

// A destination kind for stores.
const (
	dstNone      = iota
	dstParam     // memory of parameter param
	dstGlobal    // static storage
	dstHeap      // an allocation made in the body
	dstUncertain // anything else
)

// stored records that value v is stored at an address with origins dst.
// A store into a plain local variable is handled by the caller.
func (fs *fnState) stored(dst, v oset, outParam int) {
	kind, param := dstNone, -1
	var site cc.Node
	for _, d := range dst.nonNull() {
		k, p := dstUncertain, -1
		var ds cc.Node
		switch d.kind {
		case oParam:
			k, p = dstParam, d.param
		case oReach:
			if d.param < 0 {
				k = dstGlobal
			} else {
				k, p = dstParam, d.param
			}
		case oBorrowed:
			k = dstGlobal
		case oOwned:
			k, ds = dstHeap, d.site
		}
		if kind == dstNone {
			kind, param, site = k, p, ds
		} else if kind != k || param != p || site != ds {
			kind = dstUncertain
		}
	}
	amb := v.ambiguous()
	for _, o := range v {
		switch o.kind {
		case oParam:
			i := o.param
			switch {
			case kind == dstNone:
			case kind == dstParam && param == i:
				// Into its own memory: nothing outlives the caller's object.
			case amb || kind == dstUncertain:
				fs.addEffect(i, EffectUnknown)
			case kind == dstParam || kind == dstGlobal:
				fs.addEffect(i, Keeps)
			case kind == dstHeap:
				fs.heapStores[site] = append(fs.heapStores[site], i)
			}
		case oOwned:
			switch kind {
			case dstParam, dstGlobal:
				fs.setEscape(o.site, escOut)
			case dstHeap:
				if o.site != site {
					fs.setEscape(o.site, escUncertain)
				}
			case dstUncertain:
				fs.setEscape(o.site, escUncertain)
			}
		}
	}
	if outParam >= 0 {
		nn := v.nonNull()
		fam := ""
		if len(nn) > 0 {
			fam = nn[0].alloc
			for _, o := range nn {
				if o.kind != oOwned || o.alloc != fam {
					fam = ""
				}
			}
		}
		if len(nn) > 0 {
			if old, ok := fs.outStores[outParam]; ok && old != fam {
				fam = ""
			}
			fs.outStores[outParam] = fam
		}
	}
}

// Statements.

func (fs *fnState) compound(cs *cc.CompoundStatement, st flow) flow {
	if cs == nil {
		return st
	}
	for l := cs.BlockItemList; l != nil; l = l.BlockItemList {
		st = fs.blockItem(l.BlockItem, st)
		if fs.abandon != "" {
			return st
		}
	}
	return st
}

func (fs *fnState) blockItem(bi *cc.BlockItem, st flow) flow {
	if bi == nil {
		return st
	}
	switch bi.Case {
	case cc.BlockItemDecl:
		return fs.declaration(bi.Declaration, st)
	case cc.BlockItemStmt:
		return fs.stmt(bi.Statement, st)
	case cc.BlockItemFuncDef:
		// A GNU nested function can reach the parameters and locals
		// from code this walk does not follow.
		fs.abandon = "it defines a nested function"
	}
	return st
}

func (fs *fnState) declaration(d *cc.Declaration, st flow) flow {
	if d == nil {
		return st
	}
	switch d.Case {
	case cc.DeclarationDecl:
		for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
			id := l.InitDeclarator
			if id == nil || id.Declarator == nil {
				continue
			}
			st = fs.declare(id.Declarator, id.Initializer, st)
		}
	case cc.DeclarationAuto:
		st = fs.declare(d.Declarator, d.Initializer, st)
	}
	return st
}

func (fs *fnState) declare(dd *cc.Declarator, init *cc.Initializer, st flow) flow {
	if dd == nil || dd.IsTypename() {
		return st
	}
	if t := dd.Type(); t != nil && t.Kind() == cc.Function {
		return st
	}
	static := dd.IsStatic() || dd.IsExtern()
	if !static {
		fs.locals[dd] = true
	}
	if init == nil {
		return st
	}
	save := fs.beginExpr()
	switch {
	case static:
		// Static initializers are constants; nothing here is a parameter.
		fs.initializer(init, nil)
	case init.Case == cc.InitializerExpr && !isAggregate(dd.Type()):
		fs.assignVar(dd, fs.value(init.AssignmentExpression))
	default:
		fs.initializer(init, localSet)
	}
	return fs.endExpr(save, st)
}

// initializer evaluates an initializer whose values are stored at dst
// (nil: nowhere that matters).
func (fs *fnState) initializer(init *cc.Initializer, dst oset) {
	if init == nil {
		return
	}
	switch init.Case {
	case cc.InitializerExpr:
		v := fs.value(init.AssignmentExpression)
		if dst != nil {
			if dst.has(origin{kind: oLocal}) {
				fs.lost(v)
			} else {
				fs.stored(dst, v, -1)
			}
		}
	case cc.InitializerInitList:
		for l := init.InitializerList; l != nil; l = l.InitializerList {
			fs.initializer(l.Initializer, dst)
		}
	}
}

func isAggregate(t cc.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case cc.Array, cc.Struct, cc.Union:
		return true
	}
	return false
}

// beginExpr starts evaluating a full expression.
type exprSave struct {
	frees    pset
	noReturn bool
}

func (fs *fnState) beginExpr() exprSave {
	s := exprSave{fs.defFrees, fs.defNoReturn}
	fs.defFrees, fs.defNoReturn = 0, false
	return s
}

// endExpr folds what the expression definitely did into st.
func (fs *fnState) endExpr(s exprSave, st flow) flow {
	st.must |= fs.defFrees
	if fs.defNoReturn {
		st.live = false
	}
	fs.defFrees, fs.defNoReturn = s.frees, s.noReturn
	return st
}

func (fs *fnState) fullExpr(e cc.ExpressionNode, st flow) (oset, flow) {
	save := fs.beginExpr()
	v := fs.value(e)
	return v, fs.endExpr(save, st)
}

func (fs *fnState) stmt(s *cc.Statement, st flow) flow {
	if s == nil || fs.abandon != "" {
		return st
	}
	switch s.Case {
	case cc.StatementLabeled:
		return fs.labeled(s.LabeledStatement, st)
	case cc.StatementCompound:
		return fs.compound(s.CompoundStatement, st)
	case cc.StatementExpr:
		if s.ExpressionStatement == nil {
			return st
		}
		e := s.ExpressionStatement.ExpressionList
		if c, ok := stripVoid(e).(*cc.PostfixExpression); ok && c.Case == cc.PostfixExpressionCall {
			fs.discarded = c
		}
		var v oset
		v, st = fs.fullExpr(e, st)
		fs.discarded = nil
		fs.lastValue = v
		return st
	case cc.StatementSelection:
		return fs.selection(s.SelectionStatement, st)
	case cc.StatementIteration:
		return fs.iteration(s.IterationStatement, st)
	case cc.StatementJump:
		return fs.jump(s.JumpStatement, st)
	case cc.StatementAsm:
		// Operands of asm can be anything; what it calls is unseen.
		fs.errnoUnk = true
		fs.opaque(s.AsmStatement)
		return st
	}
	fs.opaque(s)
	return st
}

func (fs *fnState) labeled(ls *cc.LabeledStatement, st flow) flow {
	if ls == nil {
		return st
	}
	switch ls.Case {
	case cc.LabeledStatementLabel:
		name := ls.Token.SrcStr()
		fs.labels[name] = true
		if g, ok := fs.gotos[name]; ok {
			if st.live {
				st.must &= g
			} else {
				st = flow{live: true, must: g}
			}
		}
	case cc.LabeledStatementCaseLabel, cc.LabeledStatementRange, cc.LabeledStatementDefault:
		sw := ls.Switch()
		entry, ok := fs.switches[sw]
		if !ok {
			entry = 0
		}
		st = flow{live: true, must: entry}
		for i := len(fs.arms) - 1; i >= 0; i-- {
			if sw != nil && fs.arms[i].node == cc.Node(sw) {
				fs.arms[i].arm = ls.CaseOrdinal()
				break
			}
		}
	}
	return fs.stmt(ls.Statement, st)
}

func (fs *fnState) selection(ss *cc.SelectionStatement, st flow) flow {
	if ss == nil {
		return st
	}
	_, st = fs.fullExpr(ss.ExpressionList, st)
	switch ss.Case {
	case cc.SelectionStatementIf, cc.SelectionStatementIfElse:
		thenSt, elseSt := st, st
		if i, nullWhenTrue, ok := fs.nullTest(ss.ExpressionList); ok {
			// free(NULL) frees nothing, so a NULL parameter is as good
			// as freed.
			if nullWhenTrue {
				thenSt.must = thenSt.must.with(i)
			} else {
				elseSt.must = elseSt.must.with(i)
			}
		}
		fs.arms = append(fs.arms, branchMark{node: ss, arm: 0})
		thenSt = fs.stmt(ss.Statement, thenSt)
		fs.arms[len(fs.arms)-1].arm = 1
		if ss.Case == cc.SelectionStatementIfElse {
			elseSt = fs.stmt(ss.Statement2, elseSt)
		}
		fs.arms = fs.arms[:len(fs.arms)-1]
		return join(thenSt, elseSt)
	case cc.SelectionStatementSwitch:
		fs.switches[ss] = st.must
		fs.arms = append(fs.arms, branchMark{node: ss, arm: -1})
		brk := fs.pushBreak()
		end := fs.stmt(ss.Statement, flow{live: false, must: st.must})
		fs.popBreak()
		fs.arms = fs.arms[:len(fs.arms)-1]
		out := join(end, *brk)
		if !hasDefault(ss) {
			out = join(out, st)
		}
		return out
	}
	return st
}

func hasDefault(ss *cc.SelectionStatement) bool {
	for _, ls := range ss.LabeledStatements() {
		if ls != nil && ls.Case == cc.LabeledStatementDefault {
			return true
		}
	}
	return false
}

func (fs *fnState) pushBreak() *flow {
	f := &flow{}
	fs.breaks = append(fs.breaks, f)
	return f
}

func (fs *fnState) popBreak() { fs.breaks = fs.breaks[:len(fs.breaks)-1] }

func (fs *fnState) iteration(it *cc.IterationStatement, st flow) flow {
	if it == nil {
		return st
	}
	var cond cc.ExpressionNode
	switch it.Case {
	case cc.IterationStatementWhile:
		cond = it.ExpressionList
		_, st = fs.fullExpr(cond, st)
	case cc.IterationStatementDo:
		fs.pushBreak()
		body := fs.stmt(it.Statement, st)
		fs.popBreak()
		_, after := fs.fullExpr(it.ExpressionList, flow{live: true, must: body.must})
		if body.live && !hasLoopExit(it.Statement, true) {
			return after
		}
		return st
	case cc.IterationStatementFor:
		_, st = fs.fullExpr(it.ExpressionList, st)
		cond = it.ExpressionList2
		_, st = fs.fullExpr(cond, st)
	case cc.IterationStatementForDecl:
		st = fs.declaration(it.Declaration, st)
		cond = it.ExpressionList
		_, st = fs.fullExpr(cond, st)
	}
	brk := fs.pushBreak()
	body := fs.stmt(it.Statement, st)
	fs.popBreak()
	var step cc.ExpressionNode
	switch it.Case {
	case cc.IterationStatementFor:
		step = it.ExpressionList3
	case cc.IterationStatementForDecl:
		step = it.ExpressionList2
	}
	fs.fullExpr(step, flow{live: body.live, must: body.must})
	if isNilNode(cond) || isNonZeroConst(cond) {
		// for (;;) or while (1) leaves by break, or by return or goto,
		// which the walk has recorded.
		return *brk
	}
	return st
}

// hasLoopExit reports whether s contains a break or (with cont) a
// continue that leaves the loop s is the body of.
func hasLoopExit(s *cc.Statement, cont bool) bool {
	found := false
	var walk func(s *cc.Statement, inLoop, inSwitch bool)
	walk = func(s *cc.Statement, inLoop, inSwitch bool) {
		if s == nil || found {
			return
		}
		switch s.Case {
		case cc.StatementLabeled:
			if s.LabeledStatement != nil {
				walk(s.LabeledStatement.Statement, inLoop, inSwitch)
			}
		case cc.StatementCompound:
			if s.CompoundStatement == nil {
				return
			}
			for l := s.CompoundStatement.BlockItemList; l != nil; l = l.BlockItemList {
				if l.BlockItem != nil && l.BlockItem.Case == cc.BlockItemStmt {
					walk(l.BlockItem.Statement, inLoop, inSwitch)
				}
			}
		case cc.StatementSelection:
			ss := s.SelectionStatement
			if ss == nil {
				return
			}
			sw := inSwitch || ss.Case == cc.SelectionStatementSwitch
			walk(ss.Statement, inLoop, sw)
			walk(ss.Statement2, inLoop, sw)
		case cc.StatementIteration:
			if s.IterationStatement != nil {
				walk(s.IterationStatement.Statement, true, inSwitch)
			}
		case cc.StatementJump:
			js := s.JumpStatement
			if js == nil {
				return
			}
			switch js.Case {
			case cc.JumpStatementBreak:
				found = found || (!inLoop && !inSwitch)
			case cc.JumpStatementContinue:
				found = found || (cont && !inLoop)
			}
		}
	}
	walk(s, false, false)
	return found
}

func (fs *fnState) jump(js *cc.JumpStatement, st flow) flow {
	if js == nil {
		return st
	}
	switch js.Case {
	case cc.JumpStatementReturn:
		if !isNilNode(js.ExpressionList) {
			var v oset
			v, st = fs.fullExpr(js.ExpressionList, st)
			fs.retOrigins = fs.retOrigins.union(v)
			failing := fs.failureValue(js.ExpressionList)
			fs.event(errnoEvent{kind: evExit, failing: failing, fail: fs.failedTest(js.ExpressionList, failing)})
		}
		if st.live {
			fs.returns = append(fs.returns, st.must)
		}
	case cc.JumpStatementGoto:
		name := js.Token2.SrcStr()
		if fs.labels[name] {
			// A backward goto: the label's state was settled before this
			// path was seen.
			fs.unsureFlow = true
		} else if st.live {
			if g, ok := fs.gotos[name]; ok {
				fs.gotos[name] = g & st.must
			} else {
				fs.gotos[name] = st.must
			}
		}
	case cc.JumpStatementGotoExpr:
		fs.fullExpr(js.ExpressionList, st)
		fs.unsureFlow = true
	case cc.JumpStatementBreak:
		if n := len(fs.breaks); n > 0 && st.live {
			*fs.breaks[n-1] = join(*fs.breaks[n-1], st)
		}
	}
	return flow{live: false, must: st.must}
}

// nullTest recognizes "!p", "p == NULL", "NULL == p", "p != NULL" and "p"
// for a value that is exactly parameter i.
func (fs *fnState) nullTest(e cc.ExpressionNode) (param int, nullWhenTrue, ok bool) {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionNot {
			if i, ok := fs.paramValue(x.CastExpression); ok {
				return i, true, true
			}
		}
	case *cc.EqualityExpression:
		l, r := x.EqualityExpression, x.RelationalExpression
		i, ok := fs.paramValue(l)
		if !ok || !isZeroConst(r) {
			i, ok = fs.paramValue(r)
			if !ok || !isZeroConst(l) {
				return -1, false, false
			}
		}
		return i, x.Case == cc.EqualityExpressionEq, true
	case *cc.PostfixExpression:
		if x.Case == cc.PostfixExpressionCall && calleeName(x.PostfixExpression) == "__builtin_expect" {
			if a := x.ArgumentExpressionList; a != nil {
				return fs.nullTest(a.AssignmentExpression)
			}
		}
	}
	if i, ok := fs.paramValue(e); ok {
		return i, false, true
	}
	return -1, false, false
}

// paramValue reports whether e is a variable that holds exactly
// parameter i (or NULL), without evaluating anything.
func (fs *fnState) paramValue(e cc.ExpressionNode) (int, bool) {
	e = stripCasts(e)
	pe, ok := e.(*cc.PrimaryExpression)
	if !ok || pe.Case != cc.PrimaryExpressionIdent {
		return -1, false
	}
	d, ok := pe.ResolvedTo().(*cc.Declarator)
	if !ok || d == nil {
		return -1, false
	}
	if _, isParam := fs.params[d]; !isParam && !fs.locals[d] {
		return -1, false
	}
	return fs.vars[d].onlyParam()
}

// Expressions.

// varClass says what an identifier names.
type varClass uint8

const (
	vcOther  varClass = iota // a function, an enumerator, something unresolved
	vcLocal                  // an automatic variable or a parameter
	vcGlobal                 // a variable with static storage
)

func (fs *fnState) classify(d *cc.Declarator) varClass {
	if d == nil {
		return vcOther
	}
	if _, ok := fs.params[d]; ok || fs.locals[d] {
		return vcLocal
	}
	if d.IsParam() {
		return vcLocal
	}
	if t := d.Type(); t != nil && t.Kind() == cc.Function {
		return vcOther
	}
	if d.IsTypename() {
		return vcOther
	}
	return vcGlobal
}

func (fs *fnState) assignVar(d *cc.Declarator, v oset) {
	old := fs.vars[d]
	nv := old.union(v)
	if len(nv) != len(old) {
		fs.vars[d] = nv
		fs.varsChanged = true
	}
}

// value evaluates e and returns what it may point to.
func (fs *fnState) value(e cc.ExpressionNode) (r oset) {
	if isNilNode(e) {
		return nil
	}
	defer func() {
		if isArith(e.Type()) {
			r = nullSet
		}
	}()
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		return fs.primary(x)
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionPrimary:
			return fs.value(x.PrimaryExpression)
		case cc.PostfixExpressionIndex, cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
			return fs.load(x)
		case cc.PostfixExpressionCall:
			return fs.call(x)
		case cc.PostfixExpressionInc, cc.PostfixExpressionDec:
			return fs.modify(x.PostfixExpression)
		case cc.PostfixExpressionComplit:
			fs.initList(x.InitializerList, localSet)
			return localSet
		}
	case *cc.UnaryExpression:
		switch x.Case {
		case cc.UnaryExpressionPostfix:
			return fs.value(x.PostfixExpression)
		case cc.UnaryExpressionInc, cc.UnaryExpressionDec:
			return fs.modify(x.UnaryExpression)
		case cc.UnaryExpressionAddrof:
			return fs.addrOf(x.CastExpression)
		case cc.UnaryExpressionDeref:
			return fs.load(x)
		case cc.UnaryExpressionPlus, cc.UnaryExpressionMinus, cc.UnaryExpressionCpl,
			cc.UnaryExpressionNot, cc.UnaryExpressionImag, cc.UnaryExpressionReal:
			fs.value(x.CastExpression)
			return nullSet
		case cc.UnaryExpressionSizeofExpr, cc.UnaryExpressionSizeofType,
			cc.UnaryExpressionAlignofExpr, cc.UnaryExpressionAlignofType:
			return nullSet
		case cc.UnaryExpressionLabelAddr:
			return borrowedSet
		}
	case *cc.CastExpression:
		if x.Case == cc.CastExpressionUnary {
			return fs.value(x.UnaryExpression)
		}
		return fs.cast(x)
	case *cc.AssignmentExpression:
		if x.Case == cc.AssignmentExpressionCond {
			return fs.value(x.ConditionalExpression)
		}
		return fs.assign(x)
	case *cc.ConditionalExpression:
		if x.Case == cc.ConditionalExpressionLOr {
			return fs.value(x.LogicalOrExpression)
		}
		c := fs.value(x.LogicalOrExpression)
		fs.cond++
		fs.arms = append(fs.arms, branchMark{node: x, arm: 0})
		var a oset
		if isNilNode(x.ExpressionList) {
			a = c // GNU a ?: b
		} else {
			a = fs.value(x.ExpressionList)
		}
		fs.arms[len(fs.arms)-1].arm = 1
		b := fs.value(x.ConditionalExpression)
		fs.arms = fs.arms[:len(fs.arms)-1]
		fs.cond--
		return a.union(b)
	case *cc.LogicalOrExpression:
		fs.value(x.LogicalOrExpression)
		fs.cond++
		fs.value(x.LogicalAndExpression)
		fs.cond--
		return nullSet
	case *cc.LogicalAndExpression:
		fs.value(x.LogicalAndExpression)
		fs.cond++
		fs.value(x.InclusiveOrExpression)
		fs.cond--
		return nullSet
	case *cc.InclusiveOrExpression:
		fs.value(x.InclusiveOrExpression)
		fs.value(x.ExclusiveOrExpression)
		return nullSet
	case *cc.ExclusiveOrExpression:
		fs.value(x.ExclusiveOrExpression)
		fs.value(x.AndExpression)
		return nullSet
	case *cc.AndExpression:
		fs.value(x.AndExpression)
		fs.value(x.EqualityExpression)
		return nullSet
	case *cc.EqualityExpression:
		fs.value(x.EqualityExpression)
		fs.value(x.RelationalExpression)
		return nullSet
	case *cc.RelationalExpression:
		fs.value(x.RelationalExpression)
		fs.value(x.ShiftExpression)
		return nullSet
	case *cc.ShiftExpression:
		fs.value(x.ShiftExpression)
		fs.value(x.AdditiveExpression)
		return nullSet
	case *cc.MultiplicativeExpression:
		fs.value(x.MultiplicativeExpression)
		fs.value(x.CastExpression)
		return nullSet
	case *cc.AdditiveExpression:
		l := fs.value(x.AdditiveExpression)
		r := fs.value(x.MultiplicativeExpression)
		if !isPointer(x.Type()) {
			return nullSet
		}
		// Pointer arithmetic stays inside the object.
		var out oset
		if isAddress(typeOf(x.AdditiveExpression)) {
			out = out.union(l)
		}
		if isAddress(typeOf(x.MultiplicativeExpression)) {
			out = out.union(r)
		}
		if out == nil {
			return unknownSet
		}
		return out
	case *cc.ExpressionList:
		var v oset
		for l := x; l != nil; l = l.ExpressionList {
			v = fs.value(l.AssignmentExpression)
		}
		return v
	case *cc.ConstantExpression:
		return fs.value(x.ConditionalExpression)
	}
	fs.opaque(e)
	return unknownSet
}

func (fs *fnState) primary(x *cc.PrimaryExpression) oset {
	switch x.Case {
	case cc.PrimaryExpressionIdent:
		d, _ := x.ResolvedTo().(*cc.Declarator)
		if d == nil {
			if _, ok := x.ResolvedTo().(*cc.Enumerator); ok {
				return nullSet
			}
			return unknownSet
		}
		switch fs.classify(d) {
		case vcLocal:
			if isAggregate(d.Type()) && d.Type().Kind() == cc.Array {
				return localSet
			}
			return fs.vars[d]
		case vcGlobal:
			if d.Name() == "errno" {
				fs.event(errnoEvent{kind: evRead})
				return nullSet
			}
			if t := d.Type(); t != nil && t.Kind() == cc.Array {
				return borrowedSet
			}
			return oset{{kind: oReach, param: -1}}
		}
		if t := d.Type(); t != nil && t.Kind() == cc.Function {
			return borrowedSet
		}
		return unknownSet
	case cc.PrimaryExpressionInt, cc.PrimaryExpressionFloat, cc.PrimaryExpressionChar, cc.PrimaryExpressionLChar:
		return nullSet
	case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
		return borrowedSet
	case cc.PrimaryExpressionExpr:
		return fs.value(x.ExpressionList)
	case cc.PrimaryExpressionStmt:
		// ({ ...; e; }): walked as a block that starts with nothing
		// freed; its value is that of its last expression statement.
		save := fs.beginExpr()
		fs.lastValue = nil
		end := fs.compound(x.CompoundStatement, flow{live: true})
		v := fs.lastValue
		fs.endExpr(save, flow{})
		if end.live && fs.cond == 0 {
			fs.defFrees |= end.must
		}
		if !endsInExpr(x.CompoundStatement) || v == nil {
			v = unknownSet
		}
		return v
	case cc.PrimaryExpressionGeneric:
		if x.GenericSelection != nil {
			if a := x.GenericSelection.Associated(); a != nil {
				return fs.value(a.AssignmentExpression)
			}
		}
		return unknownSet
	}
	return unknownSet
}

func endsInExpr(cs *cc.CompoundStatement) bool {
	if cs == nil {
		return false
	}
	var last *cc.BlockItem
	for l := cs.BlockItemList; l != nil; l = l.BlockItemList {
		last = l.BlockItem
	}
	return last != nil && last.Case == cc.BlockItemStmt && last.Statement != nil && last.Statement.Case == cc.StatementExpr
}

// objectType is the type of the object an lvalue designates, before
// array-to-pointer decay.
func (fs *fnState) objectType(e cc.ExpressionNode) cc.Type {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		if x.Case == cc.PrimaryExpressionIdent {
			if d, ok := x.ResolvedTo().(*cc.Declarator); ok && d != nil {
				return d.Type()
			}
		}
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionSelect, cc.PostfixExpressionPSelect:
			if f := x.Field(); f != nil {
				return f.Type()
			}
			return nil
		case cc.PostfixExpressionIndex:
			return elemType(fs.objectType(x.PostfixExpression))
		}
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionDeref {
			return elemType(typeOf(x.CastExpression))
		}
	}
	return typeOf(e)
}

func elemType(t cc.Type) cc.Type {
	switch x := t.(type) {
	case *cc.ArrayType:
		return x.Elem()
	case *cc.PointerType:
		return x.Elem()
	}
	return nil
}

// addr evaluates the lvalue e and returns the origins of its address.
func (fs *fnState) addr(e cc.ExpressionNode) oset {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.PrimaryExpression:
		switch x.Case {
		case cc.PrimaryExpressionIdent:
			d, _ := x.ResolvedTo().(*cc.Declarator)
			switch fs.classify(d) {
			case vcLocal:
				return localSet
			case vcGlobal, vcOther:
				return borrowedSet
			}
		case cc.PrimaryExpressionString, cc.PrimaryExpressionLString:
			return borrowedSet
		}
	case *cc.PostfixExpression:
		switch x.Case {
		case cc.PostfixExpressionIndex:
			base, idx := x.PostfixExpression, x.ExpressionList
			if isIntegerType(typeOf(base)) {
				base, idx = idx, base // i[a]
			}
			var a oset
			if t := fs.objectType(base); t != nil && t.Kind() == cc.Array {
				a = fs.addr(base)
			} else {
				a = fs.derefs(fs.value(base))
			}
			fs.value(idx)
			return a
		case cc.PostfixExpressionSelect:
			return fs.addr(x.PostfixExpression)
		case cc.PostfixExpressionPSelect:
			return fs.derefs(fs.value(x.PostfixExpression))
		case cc.PostfixExpressionComplit:
			fs.initList(x.InitializerList, localSet)
			return localSet
		}
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionDeref {
			return fs.derefs(fs.value(x.CastExpression))
		}
	}
	fs.lost(fs.value(e))
	return unknownSet
}

// load evaluates an lvalue that designates memory and returns its value.
func (fs *fnState) load(e cc.ExpressionNode) oset {
	if fs.isErrnoLvalue(e) {
		fs.event(errnoEvent{kind: evRead})
		return nullSet
	}
	a := fs.addr(e)
	if t := fs.objectType(e); t != nil && t.Kind() == cc.Array {
		return a
	}
	var out oset
	for _, o := range a {
		switch o.kind {
		case oParam, oReach:
			out = out.union(oset{{kind: oReach, param: o.param}})
		case oBorrowed:
			out = out.union(oset{{kind: oReach, param: -1}})
		default:
			out = out.union(unknownSet)
		}
	}
	if out == nil {
		out = unknownSet
	}
	return out
}

// addrOf evaluates &e.
func (fs *fnState) addrOf(e cc.ExpressionNode) oset {
	if id := identOf(e); id != nil {
		if d, ok := id.ResolvedTo().(*cc.Declarator); ok && fs.classify(d) == vcLocal {
			// The variable can now be read and written through a
			// pointer the walk does not follow.
			fs.lost(fs.vars[d])
			fs.assignVar(d, unknownSet)
			return localSet
		}
	}
	if fs.isErrnoLvalue(e) {
		fs.event(errnoEvent{kind: evRead})
		fs.wroteErrno = true
		return borrowedSet
	}
	return fs.addr(e)
}

// modify evaluates ++ and -- on an lvalue.
func (fs *fnState) modify(e cc.ExpressionNode) oset {
	if fs.isErrnoLvalue(e) {
		fs.event(errnoEvent{kind: evRead})
		fs.event(errnoEvent{kind: evWrite})
		fs.wroteErrno = true
		return nullSet
	}
	if id := identOf(e); id != nil {
		if d, ok := id.ResolvedTo().(*cc.Declarator); ok && fs.classify(d) == vcLocal {
			return fs.vars[d]
		}
	}
	fs.addr(e)
	return unknownSet
}

func (fs *fnState) cast(x *cc.CastExpression) oset {
	v := fs.value(x.CastExpression)
	to := typeOf(x)
	from := typeOf(x.CastExpression)
	switch {
	case to != nil && to.Kind() == cc.Void:
		return nullSet
	case isArith(to) && isAddress(from):
		// A pointer hidden in an integer is out of sight.
		fs.lost(v)
		return unknownSet
	case isPointer(to) && isArith(from):
		if isZeroConst(x.CastExpression) {
			return nullSet
		}
		return unknownSet
	}
	return v
}

func (fs *fnState) assign(x *cc.AssignmentExpression) oset {
	lhs := x.UnaryExpression
	if fs.isErrnoLvalue(lhs) {
		if x.Case != cc.AssignmentExpressionAssign {
			fs.event(errnoEvent{kind: evRead})
		}
		fs.value(x.AssignmentExpression)
		fs.event(errnoEvent{kind: evWrite, zero: x.Case == cc.AssignmentExpressionAssign && isZeroConst(x.AssignmentExpression)})
		fs.wroteErrno = true
		return nullSet
	}
	v := fs.value(x.AssignmentExpression)
	if x.Case != cc.AssignmentExpressionAssign {
		// p += n keeps p inside its object; an integer stays an integer.
		return fs.modify(lhs)
	}
	if id := identOf(lhs); id != nil {
		if d, ok := id.ResolvedTo().(*cc.Declarator); ok {
			switch fs.classify(d) {
			case vcLocal:
				if isAggregate(d.Type()) {
					fs.lost(v)
				} else {
					fs.assignVar(d, v)
				}
				return v
			case vcGlobal:
				fs.stored(borrowedSet, v, -1)
				return v
			}
		}
	}
	outParam := -1
	if base := derefBase(lhs); base != nil {
		if i, ok := fs.paramValue(base); ok {
			outParam = i
		}
	}
	a := fs.addr(lhs)
	if a.has(origin{kind: oLocal}) {
		// A field or element of a local aggregate: where it goes from
		// there is not followed.
		fs.lost(v)
		return v
	}
	fs.stored(a, v, outParam)
	return v
}

// derefBase returns p for the lvalues *p and p[0].
func derefBase(e cc.ExpressionNode) cc.ExpressionNode {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.UnaryExpression:
		if x.Case == cc.UnaryExpressionDeref {
			return x.CastExpression
		}
	case *cc.PostfixExpression:
		if x.Case == cc.PostfixExpressionIndex && isZeroConst(x.ExpressionList) {
			return x.PostfixExpression
		}
	}
	return nil
}

func (fs *fnState) initList(l *cc.InitializerList, dst oset) {
	for ; l != nil; l = l.InitializerList {
		fs.initializer(l.Initializer, dst)
	}
}

// Calls.

// errnoLocators are the functions libcs use to implement errno.
var errnoLocators = map[string]bool{
	"__errno_location": true, // glibc, musl
	"__error":          true, // Darwin, FreeBSD
	"__errno":          true, // Bionic, OpenBSD, newlib
	"_errno":           true, // Windows CRT
	"___errno":         true, // Solaris
}

// compilerBuiltins are GCC builtins with no effect on their pointer
// arguments and no effect on errno. argResult marks those that return
// their first argument.
var compilerBuiltins = map[string]struct{ argResult bool }{
	"__builtin_expect":                  {true},
	"__builtin_expect_with_probability": {true},
	"__builtin_assume_aligned":          {true},
	"__builtin_constant_p":              {},
	"__builtin_unreachable":             {},
	"__builtin_trap":                    {},
	"__builtin_va_start":                {},
	"__builtin_va_end":                  {},
	"__builtin_va_copy":                 {},
	"__builtin_prefetch":                {},
	"__builtin_object_size":             {},
	"__builtin_dynamic_object_size":     {},
	"__builtin_bswap16":                 {},
	"__builtin_bswap32":                 {},
	"__builtin_bswap64":                 {},
	"__builtin_clz":                     {},
	"__builtin_ctz":                     {},
	"__builtin_popcount":                {},
	"__builtin_types_compatible_p":      {},
}

func (fs *fnState) call(x *cc.PostfixExpression) oset {
	name := calleeName(x.PostfixExpression)
	var decl *cc.Declarator
	if name == "" {
		fs.value(x.PostfixExpression)
	} else if id := identOf(x.PostfixExpression); id != nil {
		decl, _ = id.ResolvedTo().(*cc.Declarator)
	}
	var args []oset
	for l := x.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
		args = append(args, fs.value(l.AssignmentExpression))
	}
	if errnoLocators[name] {
		fs.event(errnoEvent{kind: evRead})
		return borrowedSet
	}
	if b, ok := compilerBuiltins[name]; ok {
		if b.argResult && len(args) > 0 {
			return args[0]
		}
		return unknownSet
	}
	if _, ok := fs.s.p.Exports[name]; ok {
		fs.callsGo[name] = true
	}
	sum, entry, bottom := fs.s.callee(name)
	if bottom {
		fs.event(errnoEvent{kind: evCall, name: name, sets: No})
		return nil
	}
	for _, g := range sum.CallsGo {
		fs.callsGo[g] = true
	}
	sets := sum.SetsErrno
	if !sum.Known {
		sets = Unknown
	}
	switch sets {
	case Yes:
		fs.errnoYes = true
	case Unknown:
		fs.errnoUnk = true
	}
	shown := name
	if shown == "" {
		shown = indirectName(x.PostfixExpression)
	}
	fs.event(errnoEvent{
		kind: evCall, name: shown, sets: sets,
		used: x != fs.discarded, signal: sum.ErrnoOnlySignal,
		reads: entry.reads, clobbers: entry.clobbers,
	})
	for j, v := range args {
		var fam *Allocator
		if sum.Deallocs != nil {
			fam = sum.Deallocs[j]
		}
		fs.passed(v, sum.Effect(j), fam)
		// A parameter handed on as the callee's out-parameter
		// (return asprintf(out, ...)) is this function's out-parameter.
		if a := sum.OutOwned[j]; a != nil {
			if nn := v.nonNull(); len(nn) == 1 && nn[0].kind == oParam {
				fs.deallocOf[a.Family] = a
				if old, ok := fs.outStores[nn[0].param]; !ok || old == a.Family {
					fs.outStores[nn[0].param] = a.Family
					fs.outSuccess = sum.Success
				} else {
					fs.outStores[nn[0].param] = ""
				}
			}
		}
	}
	if decl != nil && isNoReturn(decl) && fs.cond == 0 {
		fs.defNoReturn = true
	}
	switch {
	case sum.ReturnsOwned != nil:
		fs.deallocOf[sum.ReturnsOwned.Family] = sum.ReturnsOwned
		return oset{{kind: oOwned, site: x, alloc: sum.ReturnsOwned.Family}}
	case sum.ReturnsBorrowed:
		return borrowedSet
	case sum.Known && sum.ReturnsParam >= 0 && sum.ReturnsParam < len(args):
		return args[sum.ReturnsParam]
	}
	return unknownSet
}

// indirectName names a call through a pointer for ErrnoClobbers: the
// callee expression as written, when it is short.
func indirectName(e cc.ExpressionNode) string {
	src := strings.Join(strings.Fields(cc.NodeSource(e)), " ")
	if src == "" || len(src) > 40 {
		return "a call through a function pointer"
	}
	return src
}

func (fs *fnState) event(ev errnoEvent) {
	ev.arms = append([]branchMark(nil), fs.arms...)
	fs.events = append(fs.events, ev)
}

// isErrnoLvalue recognizes errno as the C library spells it after
// preprocessing, (*__errno_location ()), or as a plain variable.
func (fs *fnState) isErrnoLvalue(e cc.ExpressionNode) bool {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.UnaryExpression:
		if x.Case != cc.UnaryExpressionDeref {
			return false
		}
		c, ok := stripCasts(x.CastExpression).(*cc.PostfixExpression)
		return ok && c.Case == cc.PostfixExpressionCall && errnoLocators[calleeName(c.PostfixExpression)]
	case *cc.PrimaryExpression:
		if x.Case != cc.PrimaryExpressionIdent {
			return false
		}
		d, ok := x.ResolvedTo().(*cc.Declarator)
		return ok && d != nil && d.Name() == "errno" && fs.classify(d) == vcGlobal
	}
	return false
}

// isNoReturn reports whether the declaration carries the noreturn
// attribute.
func isNoReturn(d *cc.Declarator) bool {
	t := d.Type()
	if t == nil {
		return false
	}
	a := t.Attributes()
	if a == nil {
		return false
	}
	return a.IsAttrSet("noreturn") || a.IsAttrSet("__noreturn__")
}

// opaque evaluates everything inside a node the walk does not model, and
// treats every value found there as lost.
func (fs *fnState) opaque(n any) {
	visitChildren(n, func(c any) bool {
		if e, ok := c.(cc.ExpressionNode); ok {
			fs.lost(fs.value(e))
			return false
		}
		return true
	})
}

// Syntax helpers.

// calleeName returns the name of a directly called function, or "".
func calleeName(e cc.ExpressionNode) string {
	id := identOf(e)
	if id == nil {
		return ""
	}
	d, ok := id.ResolvedTo().(*cc.Declarator)
	if !ok || d == nil {
		return id.Token.SrcStr()
	}
	if t := d.Type(); t == nil || t.Kind() != cc.Function {
		return ""
	}
	return d.Name()
}

// identOf returns the identifier e is, ignoring parentheses.
func identOf(e cc.ExpressionNode) *cc.PrimaryExpression {
	e = stripParens(e)
	if pe, ok := e.(*cc.PrimaryExpression); ok && pe != nil && pe.Case == cc.PrimaryExpressionIdent {
		return pe
	}
	return nil
}

func stripParens(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		pe, ok := e.(*cc.PrimaryExpression)
		if !ok || pe == nil || pe.Case != cc.PrimaryExpressionExpr || isNilNode(pe.ExpressionList) {
			return e
		}
		if _, isList := pe.ExpressionList.(*cc.ExpressionList); isList {
			return e
		}
		e = pe.ExpressionList
	}
}

// stripVoid removes parentheses and casts to void.
func stripVoid(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		e = stripParens(e)
		c, ok := e.(*cc.CastExpression)
		if !ok || c == nil || c.Case != cc.CastExpressionCast {
			return e
		}
		if t := c.Type(); t == nil || t.Kind() != cc.Void {
			return e
		}
		e = c.CastExpression
	}
}

func stripCasts(e cc.ExpressionNode) cc.ExpressionNode {
	for {
		e = stripParens(e)
		c, ok := e.(*cc.CastExpression)
		if !ok || c == nil || c.Case != cc.CastExpressionCast {
			return e
		}
		e = c.CastExpression
	}
}

func isNilNode(n any) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func typeOf(e cc.ExpressionNode) cc.Type {
	if isNilNode(e) {
		return nil
	}
	return e.Type()
}

func isPointer(t cc.Type) bool { return t != nil && t.Kind() == cc.Ptr }

// isAddress reports whether a value of type t is an address: a pointer,
// or an array that decays to one.
func isAddress(t cc.Type) bool { return t != nil && (t.Kind() == cc.Ptr || t.Kind() == cc.Array) }

func isIntegerType(t cc.Type) bool { return t != nil && cc.IsIntegerType(t) }

func isArith(t cc.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case cc.InvalidKind, cc.Ptr, cc.Array, cc.Function, cc.Struct, cc.Union, cc.Void:
		return false
	}
	return true
}

func isZeroConst(e cc.ExpressionNode) bool {
	if isNilNode(e) {
		return false
	}
	switch v := e.Value().(type) {
	case cc.Int64Value:
		return v == 0
	case cc.UInt64Value:
		return v == 0
	case *cc.ZeroValue:
		return true
	}
	return false
}

func isNonZeroConst(e cc.ExpressionNode) bool {
	if isNilNode(e) {
		return false
	}
	switch v := e.Value().(type) {
	case cc.Int64Value:
		return v != 0
	case cc.UInt64Value:
		return v != 0
	}
	return false
}

// visitNodes calls fn on every AST node under root, in source order.
func visitNodes(root any, fn func(any)) {
	var walk func(any)
	walk = func(n any) {
		fn(n)
		visitChildren(n, func(c any) bool { walk(c); return false })
	}
	walk(root)
}

var (
	nodeType  = reflect.TypeOf((*cc.Node)(nil)).Elem()
	tokenType = reflect.TypeOf(cc.Token{})
)

// visitChildren calls fn on each AST node held in a field of n; when fn
// returns true the child's own children are visited too. Tokens and
// unexported fields (type information, scopes) are not followed.
func visitChildren(n any, fn func(any) bool) {
	v := reflect.ValueOf(n)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	v = v.Elem()
	if v.Kind() != reflect.Struct {
		return
	}
	t := v.Type()
	for i := 0; i < v.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Anonymous || sf.Type == tokenType {
			continue
		}
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Pointer, reflect.Interface:
			if f.IsNil() || !f.Type().Implements(nodeType) && f.Kind() != reflect.Interface {
				continue
			}
			c := f.Interface()
			if isNilNode(c) {
				continue
			}
			if fn(c) {
				visitChildren(c, fn)
			}
		}
	}
}
