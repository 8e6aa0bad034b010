package bridge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"modernc.org/cc/v4"
	mtoken "modernc.org/token"
)

// goPos converts a cc/v4 position. Positions inside a preamble already
// name the .go file and line, thanks to the #line the bridge writes.
func goPos(p mtoken.Position) token.Position {
	return token.Position{Filename: p.Filename, Line: p.Line, Column: p.Column, Offset: p.Offset}
}

func parseGo(fset *token.FileSet, path string, src []byte) (*ast.File, error) {
	return parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
}

// collect records the file-scope declarations of a translated unit.
// Declarations from system headers are kept too: a preamble's call of
// strdup needs strdup's prototype. A definition with a body wins over a
// prototype; otherwise the first declaration seen is kept.
func (p *Package) collect(u *Unit) {
	for tu := u.AST.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
		ed := tu.ExternalDeclaration
		if ed == nil {
			continue
		}
		switch ed.Case {
		case cc.ExternalDeclarationFuncDef:
			fd := ed.FunctionDefinition
			if fd == nil || fd.Declarator == nil {
				continue
			}
			p.addFunc(u, fd.Declarator, fd)
		case cc.ExternalDeclarationDecl:
			p.collectDecl(u, ed.Declaration)
		}
	}
	for name, m := range u.AST.Macros {
		if m.IsFnLike || strings.HasPrefix(name, "__") {
			continue
		}
		if _, ok := p.Macros[name]; ok {
			continue
		}
		mm := &Macro{Name: name, Pos: goPos(m.Name.Position())}
		if v := m.Value(); v != nil && v != cc.Unknown {
			mm.Value = v
		}
		p.Macros[name] = mm
	}
}

func (p *Package) collectDecl(u *Unit, d *cc.Declaration) {
	if d == nil {
		return
	}
	typedef, next := false, ""
	for ds := d.DeclarationSpecifiers; ds != nil; ds = ds.DeclarationSpecifiers {
		if sc := ds.StorageClassSpecifier; sc != nil && sc.Case == cc.StorageClassSpecifierTypedef {
			typedef = true
		}
		if ts := ds.TypeSpecifier; ts != nil && ts.Case == cc.TypeSpecifierTypeName {
			next = ts.Token.SrcStr()
		}
	}
	for l := d.InitDeclaratorList; l != nil; l = l.InitDeclaratorList {
		id := l.InitDeclarator
		if id == nil || id.Declarator == nil {
			continue
		}
		dd := id.Declarator
		name := dd.Name()
		if name == "" {
			continue
		}
		t := dd.Type()
		if typedef {
			p.linkTypedef(name, dd, next)
		}
		switch {
		case dd.IsTypename():
			if _, ok := p.Types[name]; !ok {
				p.Types[name] = &TypeDecl{Name: name, Pos: goPos(dd.Position()), Type: t}
			}
		case t != nil && t.Kind() == cc.Function:
			p.addFunc(u, dd, nil)
		default:
			if _, ok := p.Globals[name]; !ok {
				p.Globals[name] = &Global{Name: name, Pos: goPos(dd.Position()), Type: t, Static: dd.IsStatic()}
			}
		}
	}
	p.collectTags(d.DeclarationSpecifiers)
}

// linkTypedef records what typedef name dd is defined as (see
// typedefLinks). Only a plain name continues the chain: typedef T *P or
// typedef T A[4] is a new type.
func (p *Package) linkTypedef(name string, dd *cc.Declarator, next string) {
	if p.typedefs == nil {
		p.typedefs = map[string]typedefLink{}
	}
	if _, seen := p.typedefs[name]; seen {
		return
	}
	link := typedefLink{file: dd.Position().Filename}
	if dd.Pointer == nil && dd.DirectDeclarator != nil && dd.DirectDeclarator.Case == cc.DirectDeclaratorIdent {
		link.next = next
	}
	p.typedefs[name] = link
}

// collectTags records struct, union and enum tags declared in specifiers.
func (p *Package) collectTags(ds *cc.DeclarationSpecifiers) {
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		p.collectTag(ds.TypeSpecifier)
	}
}

// collectTag records the tag a type specifier declares, and the tags
// declared inside a struct or union definition, which C puts in the
// same scope as the outer one.
func (p *Package) collectTag(ts *cc.TypeSpecifier) {
	if ts == nil {
		return
	}
	var t cc.Type
	var tag string
	switch {
	case ts.StructOrUnionSpecifier != nil:
		s := ts.StructOrUnionSpecifier
		for l := s.StructDeclarationList; l != nil; l = l.StructDeclarationList {
			if sd := l.StructDeclaration; sd != nil {
				for sq := sd.SpecifierQualifierList; sq != nil; sq = sq.SpecifierQualifierList {
					p.collectTag(sq.TypeSpecifier)
				}
			}
		}
		t = s.Type()
		tag = s.Token.SrcStr()
		if tag == "" {
			return
		}
		kw := "struct "
		if t != nil && t.Kind() == cc.Union {
			kw = "union "
		}
		tag = kw + tag
	case ts.EnumSpecifier != nil:
		e := ts.EnumSpecifier
		if e.Token2.SrcStr() == "" {
			return
		}
		t, tag = e.Type(), "enum "+e.Token2.SrcStr()
	default:
		return
	}
	if old, ok := p.Types[tag]; ok && old.Type != nil && !old.Type.IsIncomplete() {
		return
	}
	p.Types[tag] = &TypeDecl{Name: tag, Type: t}
}

func (p *Package) addFunc(u *Unit, d *cc.Declarator, def *cc.FunctionDefinition) {
	name := d.Name()
	ft, ok := d.Type().(*cc.FunctionType)
	if !ok || name == "" {
		return
	}
	old := p.Funcs[name]
	if old != nil && (old.HasBody || def == nil) {
		return
	}
	f := &Func{
		Name:     name,
		Pos:      goPos(d.Position()),
		Type:     ft,
		Result:   ft.Result(),
		Variadic: ft.IsVariadic(),
		Static:   d.IsStatic(),
		HasBody:  def != nil,
		Def:      def,
		Unit:     u,
	}
	for _, prm := range ft.Parameters() {
		if prm.Type() != nil && prm.Type().Kind() == cc.Void {
			continue
		}
		f.Params = append(f.Params, &Param{Name: prm.Name(), Type: prm.Type()})
	}
	if old != nil {
		// The attributes of the declarations read so far (units are
		// read one at a time, see build) apply to the definition.
		f.Attrs = old.Attrs
	}
	p.Funcs[name] = f
}
