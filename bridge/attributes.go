package bridge

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"modernc.org/cc/v4"
)

// An attrValue is one attribute inside __attribute__((...)). Its name is
// normalized: GCC accepts __malloc__ for malloc, and glibc's macros use
// that spelling.
type attrValue struct {
	name string
	args []attrArg
}

// An attrArg is an identifier (a deallocator, an ownership module) or an
// integer (a parameter position). Other expressions are kept as text and
// ignored by the attributes ffivet reads.
type attrArg struct {
	ident string
	num   int64
	isNum bool
}

func normAttrName(s string) string {
	if strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__") && len(s) > 4 {
		return s[2 : len(s)-2]
	}
	return s
}

// normFuncName maps a GCC builtin to the function it stands for:
// glibc names __builtin_free as the deallocator of strdup and friends.
func normFuncName(s string) string {
	return strings.TrimPrefix(s, "__builtin_")
}

// attrValues returns the attributes in a list of __attribute__ specifiers.
// line gives the text of a source line of a file the package owns, for
// the repair described below; it may return "", false.
func attrValues(l *cc.AttributeSpecifierList, line func(file string, n int) (string, bool)) []attrValue {
	var out []attrValue
	for ; l != nil; l = l.AttributeSpecifierList {
		s := l.AttributeSpecifier
		if s == nil {
			continue
		}
		vals := astAttrValues(s.AttributeValueList)
		// cc/v4 keeps only the first and the last value of a
		// comma-separated list such as
		// __attribute__((malloc, nonnull(1), returns_nonnull)). When the
		// specifier was written in a file ffivet can read (rather than
		// produced by a macro), read the middle ones from the text.
		if len(vals) == 2 {
			if text, ok := specifierText(s, line); ok {
				if tv := parseAttrText(text); len(tv) > 2 && tv[0].name == vals[0].name && tv[len(tv)-1].name == vals[1].name {
					vals = append([]attrValue{vals[0]}, append(tv[1:len(tv)-1], vals[1])...)
				}
			}
		}
		out = append(out, vals...)
	}
	return out
}

func astAttrValues(l *cc.AttributeValueList) []attrValue {
	var out []attrValue
	for ; l != nil; l = l.AttributeValueList {
		v := l.AttributeValue
		if v == nil {
			continue
		}
		av := attrValue{name: normAttrName(v.Token.SrcStr())}
		for a := v.ArgumentExpressionList; a != nil; a = a.ArgumentExpressionList {
			av.args = append(av.args, exprArg(a.AssignmentExpression))
		}
		out = append(out, av)
	}
	return out
}

func exprArg(e cc.ExpressionNode) attrArg {
	pe, ok := e.(*cc.PrimaryExpression)
	if !ok || pe == nil {
		return attrArg{}
	}
	switch pe.Case {
	case cc.PrimaryExpressionIdent:
		return attrArg{ident: pe.Token.SrcStr()}
	case cc.PrimaryExpressionInt:
		return intArg(pe.Token.SrcStr())
	}
	return attrArg{}
}

func intArg(s string) attrArg {
	n, err := strconv.ParseInt(strings.TrimRight(s, "uUlL"), 0, 64)
	if err != nil {
		return attrArg{}
	}
	return attrArg{num: n, isNum: true}
}

// specifierText returns the text between the inner parentheses of
// __attribute__((...)), when both parentheses are where the AST says in
// a file ffivet can read. Tokens expanded from a macro all carry the
// position of the macro's use, so the check fails for them, as it should.
func specifierText(s *cc.AttributeSpecifier, line func(string, int) (string, bool)) (string, bool) {
	if line == nil {
		return "", false
	}
	open, end := s.Token3.Position(), s.Token4.Position()
	if open.Filename == "" || open.Filename != end.Filename || end.Line < open.Line || end.Line-open.Line > 20 {
		return "", false
	}
	var b strings.Builder
	for n := open.Line; n <= end.Line; n++ {
		text, ok := line(open.Filename, n)
		if !ok {
			return "", false
		}
		from, to := 0, len(text)
		if n == open.Line {
			from = open.Column // just past the '(' at 1-based Column
			if from < 1 || from > len(text) || text[from-1] != '(' {
				return "", false
			}
		}
		if n == end.Line {
			to = end.Column - 1
			if to < 0 || to >= len(text) || text[to] != ')' || (n == open.Line && to < from) {
				return "", false
			}
		}
		b.WriteString(text[from:to])
		b.WriteByte(' ')
	}
	return b.String(), true
}

// parseAttrText splits the inside of __attribute__((...)) into values:
// "malloc, nonnull(1, 2), returns_nonnull".
func parseAttrText(s string) []attrValue {
	var out []attrValue
	for _, part := range splitTopLevel(s) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, rest, hasArgs := strings.Cut(part, "(")
		v := attrValue{name: normAttrName(strings.TrimSpace(name))}
		if hasArgs {
			rest = strings.TrimSpace(rest)
			if !strings.HasSuffix(rest, ")") {
				return nil
			}
			for _, a := range splitTopLevel(rest[:len(rest)-1]) {
				a = strings.TrimSpace(a)
				if a == "" {
					continue
				}
				if c := a[0]; c >= '0' && c <= '9' {
					v.args = append(v.args, intArg(a))
				} else if isIdent(a) {
					v.args = append(v.args, attrArg{ident: a})
				} else {
					v.args = append(v.args, attrArg{})
				}
			}
		}
		if !isIdent(v.name) {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// splitTopLevel splits s at the commas outside parentheses.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// add records one attribute of function self.
func (a *Attributes) add(v attrValue, self string) {
	switch v.name {
	case "malloc":
		if len(v.args) == 0 {
			a.Malloc = true
			return
		}
		name := normFuncName(v.args[0].ident)
		if name == "" {
			return
		}
		arg := 0
		if len(v.args) > 1 && v.args[1].isNum && v.args[1].num >= 1 {
			arg = int(v.args[1].num - 1)
		}
		// glibc names reallocarray as a deallocator of its own result
		// besides free; the other function says more about the family.
		if a.Dealloc == "" || a.Dealloc == self && name != self {
			a.Dealloc, a.DeallocArg = name, arg
		}
	case "nonnull":
		if len(v.args) == 0 {
			a.NonnullAll = true
			return
		}
		for _, x := range v.args {
			if x.isNum && x.num >= 1 {
				a.Nonnull = addIndex(a.Nonnull, int(x.num-1))
			}
		}
	case "returns_nonnull":
		a.ReturnsNonnull = true
	case "ownership_returns":
		if len(v.args) > 0 && v.args[0].ident != "" && a.OwnershipReturns == "" {
			a.OwnershipReturns = v.args[0].ident
		}
	case "ownership_takes", "ownership_holds":
		if len(v.args) < 2 || v.args[0].ident == "" {
			return
		}
		m := &a.OwnershipTakes
		if v.name == "ownership_holds" {
			m = &a.OwnershipHolds
		}
		for _, x := range v.args[1:] {
			if x.isNum && x.num >= 1 {
				if *m == nil {
					*m = map[int]string{}
				}
				(*m)[int(x.num-1)] = v.args[0].ident
			}
		}
	}
}

func addIndex(list []int, i int) []int {
	if slices.Contains(list, i) {
		return list
	}
	list = append(list, i)
	sort.Ints(list)
	return list
}

// merge adds the attributes of another declaration of the same function:
// GCC accumulates the attributes of all declarations.
func (a *Attributes) merge(b Attributes, self string) {
	a.Malloc = a.Malloc || b.Malloc
	if b.Dealloc != "" && (a.Dealloc == "" || a.Dealloc == self && b.Dealloc != self) {
		a.Dealloc, a.DeallocArg = b.Dealloc, b.DeallocArg
	}
	for _, i := range b.Nonnull {
		a.Nonnull = addIndex(a.Nonnull, i)
	}
	a.NonnullAll = a.NonnullAll || b.NonnullAll
	a.ReturnsNonnull = a.ReturnsNonnull || b.ReturnsNonnull
	if a.OwnershipReturns == "" {
		a.OwnershipReturns = b.OwnershipReturns
	}
	a.OwnershipTakes = mergeModules(a.OwnershipTakes, b.OwnershipTakes)
	a.OwnershipHolds = mergeModules(a.OwnershipHolds, b.OwnershipHolds)
	for i, names := range b.DeallocatorFor {
		for _, n := range names {
			a.addDeallocatorFor(i, n)
		}
	}
}

func mergeModules(a, b map[int]string) map[int]string {
	for i, m := range b {
		if _, ok := a[i]; ok {
			continue
		}
		if a == nil {
			a = map[int]string{}
		}
		a[i] = m
	}
	return a
}

func (a *Attributes) addDeallocatorFor(i int, alloc string) {
	if slices.Contains(a.DeallocatorFor[i], alloc) {
		return
	}
	if a.DeallocatorFor == nil {
		a.DeallocatorFor = map[int][]string{}
	}
	a.DeallocatorFor[i] = append(a.DeallocatorFor[i], alloc)
	sort.Strings(a.DeallocatorFor[i])
}

// specifierAttrs returns the __attribute__ lists among declaration
// specifiers: "__attribute__((malloc)) void *f(void);".
func specifierAttrs(ds *cc.DeclarationSpecifiers) []*cc.AttributeSpecifierList {
	var out []*cc.AttributeSpecifierList
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		switch {
		case ds.AttributeSpecifierList != nil:
			out = append(out, ds.AttributeSpecifierList)
		case ds.TypeQualifier != nil && ds.TypeQualifier.AttributeSpecifierList != nil:
			out = append(out, ds.TypeQualifier.AttributeSpecifierList)
		}
	}
	return out
}

// attributesOf reads the attributes of function self from the lists
// that apply to its declarator.
func attributesOf(self string, lists []*cc.AttributeSpecifierList, line func(string, int) (string, bool)) Attributes {
	var a Attributes
	for _, l := range lists {
		for _, v := range attrValues(l, line) {
			a.add(v, self)
		}
	}
	return a
}

// A declSite is where a function is declared or defined, for attaching
// annotations written next to any of its declarations.
type declSite struct {
	name      string
	line, col int
}

// An attrReader merges the attributes of every declaration of each
// function in a package's Funcs, unit by unit as the units are read
// (so that a unit's syntax can be released before the next one is
// translated), and records where the package's own files declare
// functions. finish then notes, for each allocator whose
// malloc(dealloc, N) attribute names a deallocator, on the deallocator
// which parameter it releases.
type attrReader struct {
	p     *Package
	src   *sourceSet
	sites map[string][]declSite
	seen  map[string]bool
}

func (p *Package) newAttrReader(src *sourceSet) *attrReader {
	return &attrReader{p: p, src: src, sites: map[string][]declSite{}, seen: map[string]bool{}}
}

func (r *attrReader) record(d *cc.Declarator, attrs []*cc.AttributeSpecifierList) {
	name := d.Name()
	f := r.p.Funcs[name]
	if f == nil {
		return
	}
	pos := d.Position()
	key := pos.String() + "\x00" + name
	if r.seen[key] {
		// The same header declares it again in another unit.
		return
	}
	r.seen[key] = true
	// The declarations cgo's prolog adds before each preamble carry
	// the preamble's file name; they are not where a user can write
	// an annotation.
	inProlog := r.src.isPreamble(pos.Filename) && pos.Offset < len(prolog)
	if !inProlog && r.src.owns(pos.Filename) {
		r.sites[pos.Filename] = append(r.sites[pos.Filename], declSite{name: name, line: pos.Line, col: pos.Column})
	}
	f.Attrs.merge(attributesOf(name, attrs, r.src.line), name)
}

// unit reads the attributes of one unit's declarations, after the
// package collected them.
func (r *attrReader) unit(u *Unit) {
	if u.AST == nil {
		return
	}
	r.p.guard(u.Name, func() { r.readUnit(u) })
}

func (r *attrReader) readUnit(u *Unit) {
	for tu := u.AST.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil {
			continue
		}
		switch ed.Case {
		case cc.ExternalDeclarationFuncDef:
			if fd := ed.FunctionDefinition; fd != nil && fd.Declarator != nil {
				r.record(fd.Declarator, specifierAttrs(fd.DeclarationSpecifiers))
			}
		case cc.ExternalDeclarationDecl:
			d := ed.Declaration
			if d == nil {
				continue
			}
			common := specifierAttrs(d.DeclarationSpecifiers)
			if d.AttributeSpecifierList != nil {
				common = append(common, d.AttributeSpecifierList)
			}
			for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
				id := l.InitDeclarator
				if id == nil || id.Declarator == nil || id.Declarator.IsTypename() {
					continue
				}
				if t := id.Declarator.Type(); t == nil || t.Kind() != cc.Function {
					continue
				}
				attrs := append([]*cc.AttributeSpecifierList(nil), common...)
				if l.AttributeSpecifierList != nil {
					attrs = append(attrs, l.AttributeSpecifierList)
				}
				if id.AttributeSpecifierList != nil {
					attrs = append(attrs, id.AttributeSpecifierList)
				}
				r.record(id.Declarator, attrs)
			}
		}
	}
}

// linkDeallocators links deallocators to their allocators and returns
// the declaration sites by file, in order.
func (r *attrReader) linkDeallocators() map[string][]declSite {
	p := r.p
	for name, f := range p.Funcs {
		if d := f.Attrs.Dealloc; d != "" && d != name {
			if g := p.Funcs[d]; g != nil {
				g.Attrs.addDeallocatorFor(f.Attrs.DeallocArg, name)
			}
		}
	}
	for file := range r.sites {
		s := r.sites[file]
		sort.Slice(s, func(i, j int) bool {
			if s[i].line != s[j].line {
				return s[i].line < s[j].line
			}
			return s[i].col < s[j].col
		})
	}
	return r.sites
}

// attrAllocator returns the allocation family the attributes give f's
// result, or nil. It needs the package: malloc(fclose) means the FILE
// family when the knowledge table says fclose releases FILEs, and the
// deallocator of an ownership_returns(module) is whichever function has
// ownership_takes(module, ...).
func (p *Package) attrAllocator(f *Func) *Allocator {
	a := f.Attrs
	switch {
	case a.Dealloc != "":
		return p.allocatorReleasedBy(a.Dealloc, a.DeallocArg)
	case a.OwnershipReturns != "":
		if a.OwnershipReturns == MallocFamily.Family {
			return MallocFamily
		}
		if taker := p.ownershipTaker(a.OwnershipReturns); taker != "" {
			return &Allocator{Family: a.OwnershipReturns, Dealloc: taker}
		}
		// Owned, but released by nothing ffivet knows: a report would
		// have no advice to give, so say nothing.
		return nil
	case a.Malloc:
		return MallocFamily
	}
	return nil
}

// ownershipTaker returns the first (by name) function of the package
// with an ownership_takes attribute for module.
func (p *Package) ownershipTaker(module string) string {
	best := ""
	for name, g := range p.Funcs {
		for _, m := range g.Attrs.OwnershipTakes {
			if m == module && (best == "" || name < best) {
				best = name
			}
		}
	}
	return best
}

// allocatorReleasedBy names the family that function dealloc releases
// through parameter arg: what the knowledge table or an ffivet:frees
// annotation on dealloc says, or a family named after dealloc itself.
// Either way an allocator and its deallocator agree on the family.
func (p *Package) allocatorReleasedBy(dealloc string, arg int) *Allocator {
	if dealloc == MallocFamily.Dealloc {
		return MallocFamily
	}
	if p != nil {
		if g := p.Funcs[dealloc]; g != nil {
			for _, n := range g.Notes {
				if n.Verb != "frees" {
					continue
				}
				if i, ok := n.argIndex(); ok && i == arg {
					return freesAllocator(n, dealloc)
				}
			}
		}
	}
	k := Libc()
	if p != nil && p.knowledge != nil {
		k = p.knowledge
	}
	if s := k.Summary(dealloc); s != nil {
		if a := s.Deallocs[arg]; a != nil && a.Dealloc == dealloc {
			return a
		}
	}
	return &Allocator{Family: dealloc, Dealloc: dealloc}
}

// attributeSummary layers what f's attributes say over base (the table's
// entry, or nil). It returns base itself when the attributes add nothing.
func (p *Package) attributeSummary(f *Func, base *Summary) *Summary {
	a := f.Attrs
	owned := p.attrAllocator(f)
	if owned == nil && len(a.OwnershipTakes) == 0 && len(a.OwnershipHolds) == 0 && len(a.DeallocatorFor) == 0 {
		return base
	}
	s := cloneSummary(base, f.Name)
	changed := false
	// A bare malloc attribute only promises a fresh pointer; when the
	// table knows the family, the table is right.
	if owned != nil && !(owned == MallocFamily && a.Dealloc == "" && a.OwnershipReturns == "" && s.ReturnsOwned != nil) {
		if s.ReturnsOwned == nil || s.ReturnsOwned.Dealloc != owned.Dealloc {
			s.ReturnsOwned, s.ReturnsBorrowed, s.ReturnsParam = owned, false, -1
			changed = true
		}
	}
	for i, m := range a.OwnershipTakes {
		if s.Params[i]&(Takes|Frees) == 0 {
			s.Params[i] = s.Params[i]&Returned | Takes
			changed = true
		}
		if s.Deallocs[i] == nil {
			if m == MallocFamily.Family {
				s.Deallocs[i] = MallocFamily
			} else {
				s.Deallocs[i] = &Allocator{Family: m, Dealloc: f.Name}
			}
			changed = true
		}
	}
	for i := range a.OwnershipHolds {
		if s.Params[i]&(Takes|Frees) == 0 {
			s.Params[i] = s.Params[i]&Returned | Takes
			changed = true
		}
	}
	for i := range a.DeallocatorFor {
		if s.Params[i]&Frees == 0 {
			s.Params[i] = s.Params[i]&Returned | Frees
			s.Deallocs[i] = p.allocatorReleasedBy(f.Name, i)
			changed = true
		}
	}
	if !changed {
		return base
	}
	s.Source = FromAttributes
	return s
}

// cloneSummary returns a deep copy of s that the caller may change, or a
// new known summary for name when s is nil.
func cloneSummary(s *Summary, name string) *Summary {
	c := &Summary{Name: name, Known: true, ReturnsParam: -1}
	if s != nil {
		*c = *s
		c.Known = true
		c.ErrnoClobbers = append([]string(nil), s.ErrnoClobbers...)
		c.CallsGo = append([]string(nil), s.CallsGo...)
		c.Unterminated = append([]int(nil), s.Unterminated...)
		c.Conventional = append([]int(nil), s.Conventional...)
	}
	params, deallocs, out := map[int]Effect{}, map[int]*Allocator{}, map[int]*Allocator{}
	if s != nil {
		maps.Copy(params, s.Params)
		maps.Copy(deallocs, s.Deallocs)
		maps.Copy(out, s.OutOwned)
	}
	c.Params, c.Deallocs, c.OutOwned = params, deallocs, out
	return c
}
