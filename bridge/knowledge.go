package bridge

import (
	"slices"
	"strings"
)

// Knowledge is a table of facts about library functions that have no
// body ffivet can read: libc, and whatever an annotations file adds.
type Knowledge struct {
	funcs map[string]*Summary
}

// Summary returns the table's entry for name, or nil.
func (k *Knowledge) Summary(name string) *Summary {
	if k == nil {
		return nil
	}
	return k.funcs[name]
}

// isErrnoLocator reports whether name is a function that implements
// errno (see errnoLocators).
func isErrnoLocator(name string) bool { return errnoLocators[name] }

// compilerBuiltinOf returns what the table knows of GCC builtin name.
func compilerBuiltinOf(name string) (compilerBuiltin, bool) {
	b, ok := compilerBuiltins[name]
	return b, ok
}

// libcNameOfBuiltin returns X for a builtin __builtin_X.
func libcNameOfBuiltin(name string) (string, bool) {
	return strings.CutPrefix(name, builtinPrefix)
}

// declaredSummary answers Package.Summary from every source ffivet has,
// in order of precedence: ffivet annotations, the summary of a C body,
// GNU/clang attributes, the knowledge table, the callback-context
// convention. A higher source overrides
// only what it says: an annotation "sets-errno" on a function with a
// body changes the errno facts of the body's summary and keeps the rest.
// It returns nil when nothing is known.
func (p *Package) declaredSummary(name string) *Summary {
	body := p.summaries[name]
	if body != nil && !body.Known {
		// A body ffivet could not summarize says nothing; what the
		// declaration says still counts.
		body = nil
	}
	var table *Summary
	if p.knowledge != nil {
		table = p.knowledge.Summary(name)
	}
	f := p.Funcs[name]
	if f == nil {
		if body != nil {
			return body
		}
		return table
	}
	base := body
	if base == nil {
		base = p.attributeSummary(f, table)
		if !f.HasBody {
			base = contextConvention(f, base)
		}
	}
	if len(f.Notes) > 0 {
		return p.annotatedSummary(f, base)
	}
	return base
}

// annotatedSummary applies f's annotations, in order, over base.
func (p *Package) annotatedSummary(f *Func, base *Summary) *Summary {
	s := cloneSummary(base, f.Name)
	s.Source = FromAnnotation
	for _, n := range f.Notes {
		p.applyNote(s, f, n)
	}
	return s
}

func (p *Package) applyNote(s *Summary, f *Func, n Annotation) {
	if v, ok := n.Args["success"]; ok {
		s.Success = successTests[v]
	}
	setParam := func(e Effect) (int, bool) {
		i, ok := n.argIndex()
		if !ok {
			return 0, false
		}
		s.Params[i] = s.Params[i]&Returned | e
		delete(s.Deallocs, i)
		delete(s.OutOwned, i)
		return i, true
	}
	switch n.Verb {
	case "returns-owned":
		s.ReturnsOwned = p.noteAllocator(n)
		s.ReturnsBorrowed, s.ReturnsParam = false, -1
	case "returns-borrowed":
		s.ReturnsOwned, s.ReturnsBorrowed = nil, true
	case "takes":
		setParam(Takes)
	case "keeps":
		setParam(Keeps)
	case "borrows":
		setParam(Borrows)
	case "frees":
		if i, ok := setParam(Frees); ok {
			s.Deallocs[i] = freesAllocator(n, f.Name)
		}
	case "out-owned":
		if i, ok := setParam(Borrows); ok {
			s.OutOwned[i] = p.noteAllocator(n)
		}
	case "unterminated":
		if i, ok := n.argIndex(); ok && !slices.Contains(s.Unterminated, i) {
			s.Unterminated = append(s.Unterminated, i)
		}
	case "sets-errno":
		s.SetsErrno, s.ErrnoOnFailure, s.ErrnoOnlySignal = Yes, true, false
	case "errno-only":
		s.SetsErrno, s.ErrnoOnFailure, s.ErrnoOnlySignal = Yes, false, true
	case "no-errno":
		s.SetsErrno, s.ErrnoOnFailure, s.ErrnoOnlySignal = No, false, false
	}
}

// noteAllocator is the family of memory an annotation says is owned:
// dealloc= names the function that releases it (free by default) and
// family= the family, which otherwise is whatever that function is known
// to release, so that "returns-owned dealloc=fclose" means a FILE.
func (p *Package) noteAllocator(n Annotation) *Allocator {
	dealloc := n.Args["dealloc"]
	if dealloc == "" {
		dealloc = MallocFamily.Dealloc
	}
	if fam := n.Args["family"]; fam != "" {
		if fam == MallocFamily.Family && dealloc == MallocFamily.Dealloc {
			return MallocFamily
		}
		return &Allocator{Family: fam, Dealloc: dealloc}
	}
	return p.allocatorReleasedBy(dealloc, 0)
}

// freesAllocator is the family that fn, annotated "frees", releases:
// family= when given, otherwise a family named after fn itself, which is
// also what "returns-owned dealloc=fn" on its allocator means.
func freesAllocator(n Annotation, fn string) *Allocator {
	fam := n.Args["family"]
	if fam == "" {
		fam = fn
	}
	if fam == MallocFamily.Family && fn == MallocFamily.Dealloc {
		return MallocFamily
	}
	return &Allocator{Family: fam, Dealloc: fn}
}
