package bridge

import (
	"fmt"
	"strings"

	"modernc.org/cc/v4"
)

// The layout rules here are those of GCC and Clang for System V targets
// (x86-64, arm64, and the other ELF targets cgo supports): a bit field
// may not straddle more storage units of its declared type than the type
// itself occupies, unnamed bit fields do not raise the alignment of the
// record, and a zero-width bit field moves the next member to the next
// boundary of its type. cc/v4 computes its own offsets, but they differ
// from GCC's for bit fields and it ignores packed, so the bridge lays
// records out itself and asks cc/v4 only for member lists, scalar sizes
// and attributes. Not modelled: #pragma pack, -fshort-enums, and the
// Microsoft bit-field layout GCC uses by default on Windows.

// biggestAlignment is what __attribute__((aligned)) without an argument
// means: GCC's __BIGGEST_ALIGNMENT__ on the targets cgo supports, without
// AVX.
const biggestAlignment = 16

// maxRecordDepth bounds the nesting of records the bridge follows, so a
// pathological header cannot exhaust the stack.
const maxRecordDepth = 1 << 12

// LayoutOf returns the memory layout of C type t, under the name given
// (the C spelling the caller knows it by). It returns nil for a nil type;
// for an incomplete, invalid or unsized type (a forward-declared struct,
// void, a function) it returns a Layout with Size -1.
//
// Attributes that cc/v4 does not keep in its types (aligned on a struct
// or union definition, packed or aligned on a single member, _Alignas)
// are read from the definition when it has a tag; for an anonymous
// record reached only through a typedef, use Package.Layout, which can
// search the package's translation units for the definition.
func LayoutOf(name string, t cc.Type) *Layout {
	return newLayouter(nil).top(name, t)
}

// Layout returns the layout of the C type named cname, spelled as in C
// ("struct point", "point_t", "unsigned long", "char *"), as after C. in
// Go ("C.struct_point", "C.uint"), or as cgo mangles it
// ("_Ctype_struct_point", "_Ctype_uint"). It reports false if the
// package declares no such type. A type that is only declared, such as
// "struct opaque;", has a Layout with Size -1.
func (p *Package) Layout(cname string) (*Layout, bool) {
	if p == nil {
		return nil, false
	}
	name := normalizeCName(cname)
	if name == "" {
		return nil, false
	}
	l := newLayouter(p.Units)
	if td := p.Types[name]; td != nil && td.Type != nil {
		return l.top(name, td.Type), true
	}
	if t := p.scopeType(name); t != nil {
		return l.top(name, t), true
	}
	abi := p.abi()
	if abi == nil {
		return nil, false
	}
	if base, ok := strings.CutSuffix(name, "*"); ok {
		if !p.knowsPointee(base) {
			return nil, false
		}
		if at, ok := abi.Types[cc.Ptr]; ok {
			return &Layout{Name: name, Kind: cc.Ptr, Size: at.Size, Align: at.FieldAlign}, true
		}
		return nil, false
	}
	if k, ok := basicKind(name); ok {
		if k == cc.Void {
			return &Layout{Name: name, Kind: k, Size: -1}, true
		}
		if at, ok := abi.Types[k]; ok {
			return &Layout{Name: name, Kind: k, Size: at.Size, Align: at.FieldAlign}, true
		}
	}
	return nil, false
}

// Field returns the member called name with its offset from the start of
// l. Members of anonymous struct and union members are found as C finds
// them, and a dotted path ("hdr.len") descends into named struct and
// union members; either way the returned Offset is from the start of l.
func (l *Layout) Field(name string) (FieldLayout, bool) {
	if l == nil || name == "" {
		return FieldLayout{}, false
	}
	first, rest, dotted := strings.Cut(name, ".")
	if first == "" {
		return FieldLayout{}, false
	}
	f, ok := l.member(first)
	if !ok || !dotted {
		return f, ok
	}
	if f.Record == nil {
		return FieldLayout{}, false
	}
	g, ok := f.Record.Field(rest)
	if !ok {
		return FieldLayout{}, false
	}
	g.Offset += f.Offset
	return g, true
}

// member finds a direct or promoted member.
func (l *Layout) member(name string) (FieldLayout, bool) {
	for _, f := range l.Fields {
		if f.Name == name {
			return f, true
		}
	}
	for _, f := range l.Fields {
		if !f.Anonymous || f.Record == nil {
			continue
		}
		if g, ok := f.Record.member(name); ok {
			g.Offset += f.Offset
			return g, true
		}
	}
	return FieldLayout{}, false
}

// normalizeCName turns the ways a Go program spells a C type into C
// spelling with single spaces.
func normalizeCName(s string) string {
	s = strings.TrimSpace(s)
	if k, n := ParseName(s); k == CType {
		s = n
	} else if rest, ok := strings.CutPrefix(s, "C."); ok {
		s = CTypeName(rest)
	}
	switch s {
	case "complexfloat":
		s = "float _Complex"
	case "complexdouble":
		s = "double _Complex"
	}
	s = strings.ReplaceAll(s, "*", " * ")
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, " *", "*")
}

// scopeType finds a tag or typedef that collect did not record, such as
// a struct tag first defined inside another struct, in the file scopes of
// the package's units.
func (p *Package) scopeType(name string) cc.Type {
	kw, tag, tagged := strings.Cut(name, " ")
	if tagged && kw != "struct" && kw != "union" && kw != "enum" {
		return nil
	}
	if !tagged {
		tag = name
	}
	var fallback cc.Type
	for _, u := range p.Units {
		if u.AST == nil || u.AST.Scope == nil {
			continue
		}
		for _, n := range u.AST.Scope.Nodes[tag] {
			var t cc.Type
			switch x := n.(type) {
			case *cc.StructOrUnionSpecifier:
				if kw != "struct" && kw != "union" || x.StructOrUnion == nil ||
					(x.StructOrUnion.Case == cc.StructOrUnionUnion) != (kw == "union") {
					continue
				}
				t = x.Type()
			case *cc.EnumSpecifier:
				if kw != "enum" {
					continue
				}
				t = x.Type()
			case *cc.Declarator:
				if tagged || !x.IsTypename() {
					continue
				}
				t = x.Type()
			}
			if t == nil {
				continue
			}
			if t.Size() >= 0 {
				return t
			}
			if fallback == nil {
				fallback = t
			}
		}
	}
	return fallback
}

// knowsPointee reports whether name, the spelling before a "*", names a
// type. A struct or union tag need not be declared: C lets a program
// point to one it never defines.
func (p *Package) knowsPointee(name string) bool {
	name = strings.TrimRight(name, "*")
	if strings.HasPrefix(name, "struct ") || strings.HasPrefix(name, "union ") {
		return true
	}
	if _, ok := basicKind(name); ok {
		return true
	}
	return p.Types[name] != nil || p.scopeType(name) != nil
}

func (p *Package) abi() *cc.ABI {
	for _, u := range p.Units {
		if u.AST != nil && u.AST.ABI != nil {
			return u.AST.ABI
		}
	}
	return nil
}

// basicKind maps the spelling of an arithmetic type or void, in any of
// the orders C allows ("long unsigned int"), to its kind.
func basicKind(name string) (cc.Kind, bool) {
	var signed, unsigned, complex bool
	var char, short, int_, long, float, double, bool_, void, int128 int
	for w := range strings.FieldsSeq(name) {
		switch w {
		case "signed", "__signed__", "__signed":
			signed = true
		case "unsigned":
			unsigned = true
		case "_Complex", "__complex__", "complex":
			complex = true
		case "char":
			char++
		case "short":
			short++
		case "int":
			int_++
		case "long":
			long++
		case "float":
			float++
		case "double":
			double++
		case "_Bool", "bool":
			bool_++
		case "void":
			void++
		case "__int128", "__int128_t":
			int128++
		case "__uint128_t":
			int128++
			unsigned = true
		case "const", "volatile", "__const", "__volatile__", "restrict", "__restrict":
		default:
			return 0, false
		}
	}
	if signed && unsigned || int_ > 1 || char+short+float+double+bool_+void+int128 > 1 {
		return 0, false
	}
	others := char + short + float + double + bool_ + void + int128
	switch {
	case complex:
		switch {
		case float == 1 && long == 0 && others == 1 && int_ == 0:
			return cc.ComplexFloat, true
		case double == 1 && long == 0 && others == 1 && int_ == 0:
			return cc.ComplexDouble, true
		case double == 1 && long == 1 && others == 1 && int_ == 0:
			return cc.ComplexLongDouble, true
		}
		return 0, false
	case void == 1 || bool_ == 1 || float == 1:
		if signed || unsigned || long > 0 || int_ > 0 {
			return 0, false
		}
		switch {
		case void == 1:
			return cc.Void, true
		case bool_ == 1:
			return cc.Bool, true
		}
		return cc.Float, true
	case double == 1:
		switch {
		case signed || unsigned || int_ > 0 || long > 1:
			return 0, false
		case long == 1:
			return cc.LongDouble, true
		}
		return cc.Double, true
	case char == 1:
		switch {
		case int_ > 0 || long > 0:
			return 0, false
		case signed:
			return cc.SChar, true
		case unsigned:
			return cc.UChar, true
		}
		return cc.Char, true
	case int128 == 1:
		if long > 0 || int_ > 0 {
			return 0, false
		}
		if unsigned {
			return cc.UInt128, true
		}
		return cc.Int128, true
	case short == 1:
		if long > 0 {
			return 0, false
		}
		if unsigned {
			return cc.UShort, true
		}
		return cc.Short, true
	case long == 1:
		if unsigned {
			return cc.ULong, true
		}
		return cc.Long, true
	case long == 2:
		if unsigned {
			return cc.ULongLong, true
		}
		return cc.LongLong, true
	case long == 0 && (int_ == 1 || signed || unsigned):
		if unsigned {
			return cc.UInt, true
		}
		return cc.Int, true
	}
	return 0, false
}

// A layouter lays out the types reachable from one request. It memoizes
// records, which matters for headers where one struct is embedded in
// many others.
type layouter struct {
	units  []*Unit // searched for anonymous definitions; nil for LayoutOf
	walked bool    // units have been indexed
	syntax map[any]*recordSyntax
	// syntaxAt holds the same by the position of each named member:
	// the units of a package share the syntax of a header's definitions
	// (see sharedDecls), so a record type of one unit finds its
	// definition in another's.
	syntaxAt map[string]*recordSyntax
	done     map[*cc.StructOrUnionSpecifier]bool
	memo     map[cc.Type]*Layout

	enumsWalked bool
	packedEnums map[string]bool // by the position of the first enumerator

	// target, when set, lays the host's types out for another target
	// (target.go).
	target *targetModel
}

func newLayouter(units []*Unit) *layouter {
	return &layouter{
		units:       units,
		syntax:      map[any]*recordSyntax{},
		syntaxAt:    map[string]*recordSyntax{},
		done:        map[*cc.StructOrUnionSpecifier]bool{},
		memo:        map[cc.Type]*Layout{},
		packedEnums: map[string]bool{},
	}
}

// top lays out t for a caller. cc/v4 types are not built for hostile
// input; a failure inside them means the layout is unknown, not that the
// analysis must stop.
func (l *layouter) top(name string, t cc.Type) (r *Layout) {
	if t == nil {
		return nil
	}
	defer func() {
		if recover() != nil {
			r = &Layout{Name: name, Size: -1}
		}
	}()
	lay := l.layout(t, 0)
	c := *lay
	c.Name = name
	return &c
}

// layout returns the layout of any type; its Name is the type's own
// spelling.
func (l *layouter) layout(t cc.Type, depth int) *Layout {
	if m := l.memo[t]; m != nil {
		return m
	}
	r := &Layout{Name: cTypeSpelling(t), Kind: t.Kind(), Size: -1}
	switch {
	case depth > maxRecordDepth:
		return r
	case t.Kind() == cc.Struct || t.Kind() == cc.Union:
		r = l.record(t, depth)
		if a := alignedAttr(t); a > 0 && r.Size >= 0 {
			// A typedef's aligned attribute changes the alignment of
			// the record but not its size.
			c := *r
			c.Align = a
			r = &c
		}
	default:
		r.Size, r.Align = l.sizeAlign(t, depth)
	}
	l.memo[t] = r
	return r
}

// sizeAlign returns the size of t and the alignment a member of type t
// gets in a record that is not packed. The size is -1 when unknown.
func (l *layouter) sizeAlign(t cc.Type, depth int) (int64, int) {
	attrAlign := alignedAttr(t)
	var size int64 = -1
	align := 1
	switch t.Kind() {
	case cc.Struct, cc.Union:
		r := l.layout(t, depth+1)
		return r.Size, max(r.Align, 1)
	case cc.Array:
		at, ok := t.(*cc.ArrayType)
		if !ok {
			return -1, 1
		}
		es, ea := l.sizeAlign(at.Elem(), depth)
		if n := at.Len(); n >= 0 && es >= 0 && !at.IsVLA() {
			size = n * es
		}
		align = ea
	case cc.Enum:
		size, align = l.enumSizeAlign(t)
	case cc.Function, cc.Void, cc.InvalidKind:
		return -1, 1
	default:
		size = t.Size()
		align = t.FieldAlign()
		if v := t.VectorSize(); v > 0 {
			size, align = v, int(v)
		}
		if l.target != nil {
			size, align = l.target.scalar(t, size, align)
		}
	}
	if attrAlign > 0 {
		if t.Typedef() != nil {
			align = attrAlign
		} else {
			align = max(align, attrAlign)
		}
	}
	return size, max(align, 1)
}

// enumSizeAlign honours __attribute__((packed)) on an enum, which makes
// it as small as its values allow; cc/v4 gives every enum its int-sized
// underlying type.
func (l *layouter) enumSizeAlign(t cc.Type) (int64, int) {
	size, align := t.Size(), t.FieldAlign()
	et, ok := t.(*cc.EnumType)
	if !ok || !attrSet(t.Attributes(), "packed") && !l.enumPacked(et) {
		return size, align
	}
	lo, hi := et.Min(), et.Max()
	for _, n := range []int64{1, 2, 4, 8} {
		bits := uint(n * 8)
		if lo < 0 {
			if n == 8 || lo >= -(1<<(bits-1)) && hi < 1<<(bits-1) {
				return n, int(n)
			}
		} else if n == 8 || hi < 1<<bits {
			return n, int(n)
		}
	}
	return size, align
}

// enumPacked reports whether the declaration that defines et says
// packed. The attribute follows the enum's closing brace, where cc/v4
// reads it as a declaration specifier and does not give it to the type.
func (l *layouter) enumPacked(et *cc.EnumType) bool {
	enums := et.Enumerators()
	if len(enums) == 0 {
		return false
	}
	if !l.enumsWalked {
		l.enumsWalked = true
		for _, u := range l.units {
			if u.AST == nil {
				continue
			}
			for tu := u.AST.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
				if ed := tu.ExternalDeclaration; ed != nil && ed.Case == cc.ExternalDeclarationDecl && ed.Declaration != nil {
					l.indexEnums(ed.Declaration.DeclarationSpecifiers)
				}
			}
		}
	}
	return l.packedEnums[nodeAt(enums[0])]
}

func (l *layouter) indexEnums(ds *cc.DeclarationSpecifiers) {
	var packed bool
	var first *cc.Enumerator
	for ; ds != nil; ds = ds.DeclarationSpecifiers {
		p, _ := attrInfo(ds.AttributeSpecifierList)
		packed = packed || p
		if ds.TypeQualifier != nil {
			p, _ := attrInfo(ds.TypeQualifier.AttributeSpecifierList)
			packed = packed || p
		}
		if ts := ds.TypeSpecifier; ts != nil && ts.EnumSpecifier != nil && ts.EnumSpecifier.EnumeratorList != nil {
			first = ts.EnumSpecifier.EnumeratorList.Enumerator
		}
	}
	if packed && first != nil {
		l.packedEnums[nodeAt(first)] = true
	}
}

// record lays out a struct or union.
func (l *layouter) record(t cc.Type, depth int) *Layout {
	r := &Layout{Name: cTypeSpelling(t), Kind: t.Kind(), Size: -1}
	// Size, not IsIncomplete: IsIncomplete memoizes inside the type,
	// and layouts are asked for from analyzers running in parallel.
	if t.Size() < 0 {
		return r
	}
	// A member of unknown size makes the whole layout unknown; listing
	// the members before it would invite guesses about the rest.
	unknown := &Layout{Name: r.Name, Kind: r.Kind, Size: -1}
	fields := fieldsOf(t)
	if l.target != nil && !l.target.recordKnown(fields) {
		return unknown
	}
	syn := l.syntaxOf(t, fields)
	r.Packed = syn.packed || attrSet(t.Attributes(), "packed")
	union := t.Kind() == cc.Union

	var bitpos int64 // the next free bit, for structs
	var size int64   // bytes, for unions
	align := 1
	for i, f := range fields {
		ft := f.Type()
		var ms memberSyntax
		if i < len(syn.members) {
			ms = syn.members[i]
		}
		packed := r.Packed || ms.packed
		fl := FieldLayout{Name: f.Name(), Type: cTypeSpelling(ft), Kind: ft.Kind()}
		if f.IsBitfield() {
			w := f.ValueBits()
			tsize, talign := l.sizeAlign(ft, depth)
			if tsize <= 0 || w < 0 || w > tsize*8 {
				return unknown
			}
			unit := int64(talign) * 8
			fl.BitField, fl.BitWidth, fl.Size, fl.Align = true, int(w), tsize, talign
			if packed && talign > 1 {
				fl.Align = 1
			}
			pos := bitpos
			switch {
			case union:
				pos = 0
				size = max(size, (w+7)/8)
			case w == 0:
				// Not a member: it only moves the next one, packed or not.
				bitpos = roundUp(bitpos, unit)
				pos = bitpos
				fl.Size = 0
			default:
				if !packed || talign == 1 {
					// A bit field may not span more units of its type's
					// alignment than the type itself has.
					if (pos%unit+w+unit-1)/unit > tsize*8/unit {
						pos = roundUp(pos, unit)
					}
				}
				bitpos = pos + w
			}
			if w > 0 && fl.Name != "" {
				align = max(align, fl.Align)
			}
			fl.Offset, fl.BitOffset = pos/8, int(pos%8)
			r.Fields = append(r.Fields, fl)
			continue
		}

		fsize, falign := l.sizeAlign(ft, depth)
		if k := ft.Kind(); k == cc.Struct || k == cc.Union {
			fl.Record = l.layout(ft, depth+1)
			fl.Anonymous = fl.Name == ""
		}
		if f.IsFlexibleArrayMember() {
			fl.Flexible, r.Flexible = true, true
			fsize = 0
		}
		if fsize < 0 {
			return unknown
		}
		if packed {
			falign = 1
		}
		falign = max(falign, ms.align)
		fl.Size, fl.Align = fsize, falign
		align = max(align, falign)
		if union {
			size = max(size, fsize)
		} else {
			bitpos = roundUp(bitpos, int64(falign)*8)
			fl.Offset = bitpos / 8
			bitpos += fsize * 8
		}
		r.Fields = append(r.Fields, fl)
	}
	align = max(align, syn.align)
	if !union {
		size = (bitpos + 7) / 8
	}
	r.Size = roundUp(size, int64(align))
	r.Align = align
	return r
}

// cTypeSpelling spells t as C source would, which is what a reader of a
// layout compares with the header: "struct point", "char[13]",
// "struct node *". cc/v4's own String spells "array of 13 char".
func cTypeSpelling(t cc.Type) string {
	if t == nil {
		return "?"
	}
	if d := t.Typedef(); d != nil && d.Name() != "" {
		return d.Name()
	}
	switch x := t.(type) {
	case *cc.StructType:
		tok := x.Tag()
		return tagSpelling("struct", tok.SrcStr())
	case *cc.UnionType:
		tok := x.Tag()
		return tagSpelling("union", tok.SrcStr())
	case *cc.EnumType:
		tok := x.Tag()
		return tagSpelling("enum", tok.SrcStr())
	case *cc.PointerType:
		if x.Elem() == nil || x.Elem().Kind() == cc.Function {
			return t.String()
		}
		elem := cTypeSpelling(x.Elem())
		if strings.HasSuffix(elem, "*") {
			return elem + "*"
		}
		return elem + " *"
	case *cc.ArrayType:
		dim := "[]"
		if x.Len() >= 0 && !x.IsVLA() {
			dim = fmt.Sprintf("[%d]", x.Len())
		}
		// The outer dimension comes first: short[3][5] has elements
		// of type short[5].
		elem := cTypeSpelling(x.Elem())
		if i := strings.IndexByte(elem, '['); i >= 0 && !strings.Contains(elem, "(") {
			return elem[:i] + dim + elem[i:]
		}
		return elem + dim
	}
	return t.String()
}

func tagSpelling(kw, tag string) string {
	if tag == "" {
		return kw + " {...}"
	}
	return kw + " " + tag
}

type fielder interface {
	NumFields() int
	FieldByIndex(int) *cc.Field
}

func fieldsOf(t cc.Type) []*cc.Field {
	x, ok := t.(fielder)
	if !ok {
		return nil
	}
	var fields []*cc.Field
	for i := range x.NumFields() {
		if f := x.FieldByIndex(i); f != nil {
			fields = append(fields, f)
		}
	}
	return fields
}

func roundUp(n, to int64) int64 {
	if to <= 1 {
		return n
	}
	return (n + to - 1) / to * to
}

// alignedAttr returns N from an aligned(N) attribute cc/v4 kept on the
// type (a typedef's, or one written among a member's specifiers), or 0.
func alignedAttr(t cc.Type) int {
	a := t.Attributes()
	if a == nil {
		return 0
	}
	if v := a.Aligned(); v > 0 {
		return int(v)
	}
	return 0
}

func attrSet(a *cc.Attributes, name string) bool {
	return a != nil && (a.IsAttrSet(name) || a.IsAttrSet("__"+name+"__"))
}

// recordSyntax is what a struct or union definition says about its
// layout that cc/v4's types do not carry: cc/v4 folds the definition's
// aligned attribute into an alignment computed without packed, and
// keeps the members' alignments to itself.
type recordSyntax struct {
	packed  bool
	align   int            // from aligned(N) on the definition; 0 if none
	members []memberSyntax // by field index; nil when not matched to the fields
}

type memberSyntax struct {
	decl   *cc.Declarator // nil for an anonymous member or unnamed bit field
	packed bool
	align  int // from _Alignas or aligned(N) on the member
}

// syntaxOf finds the definition of record t. Definitions are matched to
// types through their fields, which every copy cc/v4 makes of a record
// type (for a typedef, a qualifier, an attribute) shares or at least
// shares the declarators of.
func (l *layouter) syntaxOf(t cc.Type, fields []*cc.Field) *recordSyntax {
	if rs := l.lookup(fields); rs != nil {
		return rs
	}
	if x, ok := t.(interface {
		Tag() cc.Token
		LexicalScope() *cc.Scope
	}); ok {
		tok := x.Tag()
		if tag := tok.SrcStr(); tag != "" {
			for s := x.LexicalScope(); s != nil; s = s.Parent {
				for _, n := range s.Nodes[tag] {
					if sp, ok := n.(*cc.StructOrUnionSpecifier); ok {
						l.index(sp)
					}
				}
			}
			if rs := l.lookup(fields); rs != nil {
				return rs
			}
		}
	}
	if !l.walked && len(l.units) > 0 {
		l.walked = true
		l.indexUnits()
		if rs := l.lookup(fields); rs != nil {
			return rs
		}
	}
	return guessSyntax(t, fields)
}

func (l *layouter) lookup(fields []*cc.Field) *recordSyntax {
	for _, f := range fields {
		if rs := l.syntax[f]; rs != nil {
			return rs
		}
		if d := f.Declarator(); d != nil {
			if rs := l.syntax[d]; rs != nil {
				return rs
			}
		}
	}
	// The same definition read by another unit.
	for _, f := range fields {
		if d := f.Declarator(); d != nil {
			if rs := l.syntaxAt[nodeAt(d)]; rs != nil && (rs.members == nil || len(rs.members) == len(fields)) {
				return rs
			}
		}
	}
	return nil
}

// guessSyntax recovers what it can without the definition: packed stays
// in the type's attributes, and an alignment cc/v4 reports above what
// the members need must come from an aligned attribute.
func guessSyntax(t cc.Type, fields []*cc.Field) *recordSyntax {
	rs := &recordSyntax{packed: attrSet(t.Attributes(), "packed")}
	need := 1
	for i, f := range fields {
		if f.IsBitfield() && f.ValueBits() == 0 && i != len(fields)-1 {
			continue
		}
		need = max(need, f.Type().Align())
	}
	if a := t.FieldAlign(); a > need {
		rs.align = a
	}
	return rs
}

// indexUnits indexes every record defined at file scope in the units,
// for anonymous records that can only be found by walking.
func (l *layouter) indexUnits() {
	for _, u := range l.units {
		if u.AST == nil {
			continue
		}
		for tu := u.AST.TranslationUnit; tu != nil; tu = tu.TranslationUnit {
			ed := tu.ExternalDeclaration
			if ed == nil {
				continue
			}
			for ds := specifiersOf(ed); ds != nil; ds = ds.DeclarationSpecifiers {
				if ds.TypeSpecifier != nil {
					l.index(ds.TypeSpecifier.StructOrUnionSpecifier)
				}
			}
		}
	}
}

// index records the syntax of a definition and of the records defined
// inside it.
func (l *layouter) index(s *cc.StructOrUnionSpecifier) {
	if s == nil || s.Case != cc.StructOrUnionSpecifierDef || l.done[s] {
		return
	}
	l.done[s] = true
	rs := &recordSyntax{}
	rs.packed, rs.align = attrInfo(s.AttributeSpecifierList)
	p2, a2 := attrInfo(s.AttributeSpecifierList2)
	rs.packed, rs.align = rs.packed || p2, max(rs.align, a2)

	var members []memberSyntax
	for dl := s.StructDeclarationList; dl != nil; dl = dl.StructDeclarationList {
		sd := dl.StructDeclaration
		if sd == nil || sd.Case != cc.StructDeclarationDecl {
			continue
		}
		var common memberSyntax
		for sq := sd.SpecifierQualifierList; sq != nil; sq = sq.SpecifierQualifierList {
			p, a := attrInfo(sq.AttributeSpecifierList)
			common.packed, common.align = common.packed || p, max(common.align, a)
			switch sq.Case {
			case cc.SpecifierQualifierListTypeSpec:
				if sq.TypeSpecifier != nil {
					l.index(sq.TypeSpecifier.StructOrUnionSpecifier)
				}
			case cc.SpecifierQualifierListTypeQual:
				if sq.TypeQualifier != nil {
					p, a := attrInfo(sq.TypeQualifier.AttributeSpecifierList)
					common.packed, common.align = common.packed || p, max(common.align, a)
				}
			case cc.SpecifierQualifierListAlignSpec:
				common.align = max(common.align, alignas(sq.AlignmentSpecifier))
			}
		}
		// An attribute after the declarators belongs to the last one.
		lastPacked, lastAlign := attrInfo(sd.AttributeSpecifierList)
		if sd.StructDeclaratorList == nil {
			m := common
			m.packed, m.align = m.packed || lastPacked, max(m.align, lastAlign)
			members = append(members, m)
			continue
		}
		for sl := sd.StructDeclaratorList; sl != nil; sl = sl.StructDeclaratorList {
			m := common
			if sl.StructDeclarator != nil {
				m.decl = sl.StructDeclarator.Declarator
			}
			if sl.StructDeclaratorList == nil {
				m.packed, m.align = m.packed || lastPacked, max(m.align, lastAlign)
			}
			members = append(members, m)
		}
	}

	t := s.Type()
	if t == nil {
		return
	}
	fields := fieldsOf(t)
	if len(fields) == len(members) {
		rs.members = members
		for i, f := range fields {
			if f.Declarator() != members[i].decl {
				rs.members = nil
				break
			}
		}
	}
	for _, f := range fields {
		l.syntax[f] = rs
		if d := f.Declarator(); d != nil {
			l.syntax[d] = rs
			if at := nodeAt(d); at != "" {
				l.syntaxAt[at] = rs
			}
		}
	}
}

// nodeAt is where n is written, "" if unknown.
func nodeAt(n cc.Node) string {
	if n == nil {
		return ""
	}
	pos := n.Position()
	if pos.Filename == "" || pos.Line == 0 {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", pos.Filename, pos.Line, pos.Column)
}

// attrInfo reads packed and aligned from GNU attributes.
func attrInfo(list *cc.AttributeSpecifierList) (packed bool, align int) {
	for ; list != nil; list = list.AttributeSpecifierList {
		if list.AttributeSpecifier == nil {
			continue
		}
		for vl := list.AttributeSpecifier.AttributeValueList; vl != nil; vl = vl.AttributeValueList {
			v := vl.AttributeValue
			if v == nil {
				continue
			}
			name := strings.TrimSuffix(strings.TrimPrefix(v.Token.SrcStr(), "__"), "__")
			switch name {
			case "packed":
				packed = true
			case "aligned":
				if v.Case == cc.AttributeValueIdent || v.ArgumentExpressionList == nil {
					align = max(align, biggestAlignment)
					break
				}
				if e := v.ArgumentExpressionList.AssignmentExpression; e != nil {
					align = max(align, positiveInt(e.Value()))
				}
			}
		}
	}
	return packed, align
}

func alignas(a *cc.AlignmentSpecifier) int {
	if a == nil {
		return 0
	}
	switch a.Case {
	case cc.AlignmentSpecifierType:
		if a.TypeName != nil && a.TypeName.Type() != nil {
			return a.TypeName.Type().Align()
		}
	case cc.AlignmentSpecifierExpr:
		if a.ConstantExpression != nil {
			return positiveInt(a.ConstantExpression.Value())
		}
	}
	return 0
}

func positiveInt(v cc.Value) int {
	switch x := v.(type) {
	case cc.Int64Value:
		if x > 0 && x <= 1<<30 {
			return int(x)
		}
	case cc.UInt64Value:
		if x > 0 && x <= 1<<30 {
			return int(x)
		}
	}
	return 0
}
