package bridge

import (
	"modernc.org/cc/v4"
)

// A preamble's syntax tree holds every declaration of every header it
// includes: for a package whose twenty files each include a large
// library's headers, twenty copies of those. Once build has read the
// preambles (collected their declarations into the package's maps, read
// their attributes, computed the C side from them and the .c files,
// indexed the prototypes of //export'ed functions for ExportDecls), the
// declarations the package uses are reached from its maps (Funcs, Types,
// Globals, Macros), and the rest of each tree is only memory. release drops it, keeping what the checks still look up in the
// units afterwards:
//
//   - the file scope and the macros, where Layout finds a type that
//     collect did not record and the syntax of a record, for its packed
//     and aligned attributes, and where the Go view looks up every C
//     name the package's Go files use;
//   - the file-scope declarations that define a struct, union or enum,
//     which the layouts walk for anonymous records and packed enums.
//
// What the dropped declarations declared is in the package's maps, and a
// prototype that lost to an earlier one is what collect ignores anyway.

// release drops from the unit's syntax tree all but the file scope, the
// macros and the declarations that define types.
func (u *Unit) release() {
	ast := u.AST
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
