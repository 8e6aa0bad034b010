package bridge

import (
	"fmt"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"sort"

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
	if slices.Contains(s.p.GoFiles, name) {
		return true
	}
	if slices.Contains(s.p.CFiles, name) {
		return true
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
		if base, ok := libcNameOfBuiltin(name); ok {
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
