package bridge

import (
	"fmt"
	"strings"

	"modernc.org/cc/v4"
)

// A preamble's syntax tree holds every declaration of every header it
// includes: for a package whose twenty files each include a large
// library's headers, twenty copies of those. Once build has read a
// preamble (collected its declarations into the package's maps and into
// the C side being computed, read their attributes, indexed the
// prototypes of //export'ed functions for ExportDecls), the declarations
// the package uses are reached from its maps (Funcs, Types, Globals,
// Macros) and the function definitions the summaries read from there
// too, and the rest of the tree is only memory. release drops it,
// before the next unit is translated, keeping what the checks still
// look up in the units afterwards:
//
//   - the file scope and the macros, where Layout finds a type that
//     collect did not record and the syntax of a record, for its packed
//     and aligned attributes, and where the Go view looks up every C
//     name the package's Go files use;
//   - the file-scope declarations that define a struct, union or enum,
//     which the layouts walk for anonymous records and packed enums.
//
// Of those, what an earlier unit of the package read the same is that
// unit's (see sharedDecls), so the package keeps about one copy of each
// header. What the dropped declarations declared is in the package's
// maps, and a prototype that lost to an earlier one is what collect
// ignores anyway.

// release drops from the unit's syntax tree all but the file scope, the
// macros and the declarations that define types. With shared, the
// entries of the file scope and the macros that an earlier unit of the
// package read the same (see sharedDecls) become that unit's.
func (u *Unit) release(shared *sharedDecls) {
	ast := u.AST
	if shared != nil {
		if ast.Scope != nil {
			shared.share(ast.Scope)
		}
		shared.shareMacros(ast.Macros)
	}
	// Both maps list every struct and union type of the unit; the types
	// still in use are reached from their declarations.
	ast.Structs, ast.Unions = nil, nil
	// The file scope and the macros stay: the Go view (GoView) looks up
	// every name a package's Go files refer to in them, after build.
	if s := ast.Scope; s != nil {
		// Nothing walks down the scopes; the scopes of the bodies
		// still in use are reached from their syntax.
		s.Children = nil
	}
	var head, tail *cc.TranslationUnit
	for tu := ast.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil || !definesType(ed) {
			continue
		}
		if shared != nil && shared.shareDef(ed) {
			// The layouts find the definition in the earlier unit,
			// by the positions of its members.
			continue
		}
		kept := &cc.TranslationUnit{ExternalDeclaration: ed}
		if head == nil {
			head = kept
		} else {
			tail.TranslationUnit = kept
		}
		tail = kept
	}
	ast.TranslationUnit = head
}

// definesType reports whether a file-scope declaration or definition
// defines a struct, union or enum in its specifiers.
func definesType(ed *cc.ExternalDeclaration) bool {
	for ds := specifiersOf(ed); ds != nil; ds = ds.DeclarationSpecifiers {
		ts := ds.TypeSpecifier
		if ts == nil {
			continue
		}
		if s := ts.StructOrUnionSpecifier; s != nil && s.Case == cc.StructOrUnionSpecifierDef {
			return true
		}
		if e := ts.EnumSpecifier; e != nil && e.EnumeratorList != nil {
			return true
		}
	}
	return false
}

// indexExportDecls records, for each //export'ed function, the
// prototypes of it that unit u declares at file scope, after those of
// the units indexed before: what ExportDecls returns.
func (p *Package) indexExportDecls(u *Unit) {
	if len(p.Exports) == 0 {
		return
	}
	for d := range u.Prototypes() {
		name := d.Name()
		if p.Exports[name] == nil {
			continue
		}
		if p.exportDecls == nil {
			p.exportDecls = map[string][]*cc.Declarator{}
		}
		p.exportDecls[name] = append(p.exportDecls[name], d)
	}
}

// ExportDecls returns the prototypes of //export'ed function name that
// the units of Units declare at file scope (Unit.Prototypes), in the
// order of the units and of the declarations in each: the bridge's own
// _cgo_export.h among them when a .c file includes it. They are indexed
// before the preambles' syntax is released.
func (p *Package) ExportDecls(name string) []*cc.Declarator {
	if p == nil {
		return nil
	}
	return p.exportDecls[name]
}

// drop empties the syntax tree of a .c unit once its C side is taken:
// the definitions the summaries read are reached from the functions
// collected from it, and the type checker's answers (types, resolved
// identifiers) are stored in the nodes, so nothing looks names up in
// its scope again.
func (u *Unit) drop() {
	ast := u.AST
	ast.TranslationUnit = nil
	ast.Structs, ast.Unions = nil, nil
	ast.Macros = nil
	if s := ast.Scope; s != nil {
		s.Children = nil
		s.Nodes = nil
	}
}

// sharedDecls holds, for the units of one package, the file-scope
// declarations and the macros read so far, so that a later unit that
// read the same header declaration looks it up in the earlier unit's
// syntax and its own copy can be collected: the units of a package whose
// files each include a large library's headers then hold one copy of
// those declarations, not one per unit.
//
// Two scope entries are the same when they declare the same name at the
// same place in the same file, with nodes of the same kinds whose types
// have the same kind and size. A header's text is the same in every
// unit; what could differ is the macros in effect where it was included,
// and a difference that matters to a lookup (a declaration left out, a
// parameter or field type changed) shows in the positions, the kinds or
// the sizes. Where any differs, the unit keeps its own entry.
//
// A macro is the same when it is defined at the same place with the
// same parameters and replacement: its expansion then differs only by
// the names it refers to, which are looked up in the unit's own scope.
//
// A declaration that defines a struct, union or enum is the same when it
// is at the same place and the types it defines have the same kinds and
// sizes.
type sharedDecls struct {
	byKey  map[string][]cc.Node
	macros map[string]*cc.Macro
	defs   map[string]bool
}

func newSharedDecls() *sharedDecls {
	return &sharedDecls{byKey: map[string][]cc.Node{}, macros: map[string]*cc.Macro{}, defs: map[string]bool{}}
}

// shareDef reports whether an earlier unit kept the same type-defining
// declaration as ed, and records ed if not.
func (d *sharedDecls) shareDef(ed *cc.ExternalDeclaration) bool {
	var b strings.Builder
	if !declKey(&b, ed) {
		return false
	}
	for ds := specifiersOf(ed); ds != nil; ds = ds.DeclarationSpecifiers {
		ts := ds.TypeSpecifier
		if ts == nil {
			continue
		}
		var t cc.Type
		if s := ts.StructOrUnionSpecifier; s != nil && s.Case == cc.StructOrUnionSpecifierDef {
			t = s.Type()
		} else if e := ts.EnumSpecifier; e != nil && e.EnumeratorList != nil {
			t = e.Type()
		}
		if t == nil {
			continue
		}
		fmt.Fprintf(&b, "\x00%v:%d", t.Kind(), t.Size())
		if st, ok := t.(interface{ NumFields() int }); ok {
			fmt.Fprintf(&b, ":%d", st.NumFields())
		}
	}
	key := b.String()
	if d.defs[key] {
		return true
	}
	d.defs[key] = true
	return false
}

// share replaces the entries of the file scope s that an earlier unit
// has the same, and records the others.
func (d *sharedDecls) share(s *cc.Scope) {
	var b strings.Builder
	for name, nodes := range s.Nodes {
		b.Reset()
		b.WriteString(name)
		for _, n := range nodes {
			b.WriteByte(0)
			if !declKey(&b, n) {
				b.Reset()
				break
			}
		}
		if b.Len() == 0 {
			continue
		}
		key := b.String()
		if prev, ok := d.byKey[key]; ok {
			s.Nodes[name] = prev
		} else {
			d.byKey[key] = nodes
		}
	}
}

// declKey writes what identifies a file-scope node for sharedDecls, or
// reports false for a node without a position.
func declKey(b *strings.Builder, n cc.Node) bool {
	if n == nil {
		return false
	}
	pos := n.Position()
	if pos.Filename == "" || pos.Line == 0 {
		return false
	}
	fmt.Fprintf(b, "%T\x00%s:%d:%d", n, pos.Filename, pos.Line, pos.Column)
	var t cc.Type
	switch x := n.(type) {
	case *cc.Declarator:
		t = x.Type()
	case *cc.StructOrUnionSpecifier:
		t = x.Type()
	case *cc.EnumSpecifier:
		t = x.Type()
	case *cc.Enumerator:
		t = x.Type()
	}
	if t != nil {
		fmt.Fprintf(b, "\x00%v:%d", t.Kind(), t.Size())
	}
	return true
}

// shareMacros replaces the macros of ms that an earlier unit has the
// same, and records the others.
func (d *sharedDecls) shareMacros(ms map[string]*cc.Macro) {
	var b strings.Builder
	for name, m := range ms {
		pos := m.Position()
		if pos.Filename == "" || pos.Line == 0 {
			continue
		}
		b.Reset()
		fmt.Fprintf(&b, "%s\x00%s:%d:%d\x00%v %d %d", name, pos.Filename, pos.Line, pos.Column, m.IsFnLike, m.MinArgs, m.VarArg)
		for _, t := range m.Params {
			b.WriteByte(0)
			b.WriteString(t.SrcStr())
		}
		b.WriteByte(1)
		for _, t := range m.ReplacementList() {
			b.WriteByte(0)
			b.WriteString(t.SrcStr())
		}
		key := b.String()
		if prev, ok := d.macros[key]; ok {
			ms[name] = prev
		} else {
			d.macros[key] = m
		}
	}
}
