package bridge

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"modernc.org/cc/v4"
)

// The rules here are cgo's (cmd/cgo/gcc.go, typeConv), applied to cc/v4
// types instead of the DWARF gcc writes: which C type becomes which Go
// type, which names cgo declares for the types it meets, and how a
// struct's members become Go fields (bit fields and misaligned members
// dropped, gaps filled with blank byte arrays, a zero-sized last member
// removed). Layouts come from layout.go, whose offsets agree with gcc's.

// incompleteType is what cgo declares a struct or union it only knows
// by name as.
const incompleteType = "_cgopackage.Incomplete"

// A goType is the Go form of a C type where cgo uses it: a variable, a
// field or a result. Align is cgo's own notion (unions align to 1,
// 16-byte integers to 1), which decides where it puts padding.
type goType struct {
	expr  string
	size  int64
	align int64
}

// A typeConv converts the C types of one preamble. Declarations go to
// the view's shared definitions; like cgo, a file's conversion numbers
// anonymous structs afresh.
type typeConv struct {
	v        *goView
	unit     *Unit
	ptrSize  int64
	anon     map[string]string  // anonymous struct or union, by its members, to its tag
	records  map[string]*goType // converted structs and unions, by Go name
	pending  map[string]bool    // structs being converted
	typedefs map[string]*goType // converted typedef names
	lay      *layouter
}

// errUnsupported is raised (by panic, recovered in goView.file) when a
// referenced declaration uses a type the view does not render as cgo
// would; the package then falls back to cgo's type pass.
type errUnsupported struct{ what string }

func unsupported(format string, args ...any) {
	panic(errUnsupported{fmt.Sprintf(format, args...)})
}

// typeOf converts t as cgo's typeConv.Type does.
func (c *typeConv) typeOf(t cc.Type) *goType {
	if t == nil {
		unsupported("a type the C front end did not resolve")
	}
	if d := t.Typedef(); d != nil && d.Name() != "" {
		return c.typedef(d.Name(), t)
	}
	return c.under(t)
}

// typedefType returns the type a typedef name stands for, carrying the
// name.
func (c *typeConv) typedefType(name string) cc.Type {
	if td := c.v.p.Types[name]; td != nil && td.Type != nil {
		return td.Type
	}
	for _, n := range c.unit.AST.Scope.Nodes[name] {
		if d, ok := n.(*cc.Declarator); ok && d.IsTypename() {
			return d.Type()
		}
	}
	return nil
}

func (c *typeConv) typedef(name string, t cc.Type) *goType {
	switch name {
	case "_GoString_":
		return &goType{expr: "string", size: 2 * c.ptrSize, align: c.ptrSize}
	case "_GoBytes_":
		return &goType{expr: "[]byte", size: c.ptrSize + 8, align: c.ptrSize}
	}
	if g := c.typedefs[name]; g != nil {
		return g
	}
	if uintptrTypedef(name) {
		unsupported("typedef %s, which cgo may turn into uintptr or an incomplete pointer", name)
	}
	if d := t.Typedef(); d != nil && d.IsAtomic() {
		// gcc's DWARF for _Atomic types is not what cgo's rules
		// expect of a typedef.
		unsupported("the _Atomic typedef %s", name)
	}
	var sub *goType
	if next := c.v.p.typedefs[name].next; next != "" && next != name {
		if nt := c.typedefType(next); nt != nil {
			sub = c.typedef(next, nt)
		}
	}
	if sub == nil {
		sub = c.under(t)
	}
	goName := "_Ctype_" + name
	old, seen := c.v.defs[goName]
	if !seen {
		c.v.defs[goName] = sub.expr
	}
	g := &goType{expr: goName, size: sub.size, align: sub.align}
	if isRecordName(sub.expr) {
		// A typedef of a struct is interchangeable with it.
		g.expr = sub.expr
		if seen && isRecordName(old) {
			g.expr = old
		}
	}
	c.typedefs[name] = g
	return g
}

// uintptrTypedef reports the typedef names for which cgo departs from
// its rules because C code stores integers in them (JNI's and EGL's
// handles, Core Foundation's references, Windows' handles); the view
// leaves those to cgo rather than copy its tests of their definitions.
func uintptrTypedef(name string) bool {
	switch name {
	case "jobject", "jclass", "jthrowable", "jstring", "jarray", "jweak", "jbooleanArray", "jbyteArray",
		"jcharArray", "jshortArray", "jintArray", "jlongArray", "jfloatArray", "jdoubleArray", "jobjectArray",
		"EGLDisplay", "EGLConfig":
		return true
	}
	switch goos, _ := hostTarget(); goos {
	case "darwin", "ios":
		return strings.HasSuffix(name, "Ref")
	case "windows":
		return true
	}
	return false
}

// isRecordName reports whether expr names a struct or union type the
// way cgo does.
func isRecordName(expr string) bool {
	return strings.HasPrefix(expr, "_Ctype_struct_") || strings.HasPrefix(expr, "_Ctype_union_")
}

// under converts t ignoring a typedef name it carries.
func (c *typeConv) under(t cc.Type) *goType {
	if t.VectorSize() > 0 {
		unsupported("a vector type")
	}
	switch k := t.Kind(); k {
	case cc.Ptr:
		elem := t.(*cc.PointerType).Elem()
		if elem == nil || elem.Kind() == cc.Void {
			return &goType{expr: "unsafe.Pointer", size: c.ptrSize, align: c.ptrSize}
		}
		e := c.typeOf(elem)
		return &goType{expr: "*" + e.expr, size: c.ptrSize, align: c.ptrSize}
	case cc.Array:
		at := t.(*cc.ArrayType)
		if at.IsVLA() {
			unsupported("a variable-length array")
		}
		n := at.Len()
		if n < 0 {
			n = 0 // a flexible array member
		}
		e := c.typeOf(at.Elem())
		return &goType{expr: fmt.Sprintf("[%d]%s", n, e.expr), size: n * e.size, align: e.align}
	case cc.Struct, cc.Union:
		return c.record(t)
	case cc.Enum:
		size, _ := c.lay.enumSizeAlign(t)
		signed := false
		if et, ok := t.(*cc.EnumType); ok {
			for _, e := range et.Enumerators() {
				if v, ok := e.Value().(cc.Int64Value); ok && v < 0 {
					signed = true
				}
			}
		}
		g := &goType{expr: intType(size, signed), size: size, align: min(size, c.ptrSize)}
		if g.expr == "" {
			unsupported("an enum of %d bytes", size)
		}
		return g
	case cc.Function:
		return &goType{expr: "[0]byte", size: 0, align: c.ptrSize}
	case cc.Void:
		return &goType{expr: "_Ctype_void", size: 0, align: 1}
	}
	return c.basic(t.Kind())
}

// basicNames are the names cgo gives C's arithmetic types, and their Go
// types: gcc's names for them with spaces removed, or shortened as cgo's
// dwarfToName does.
var basicNames = map[cc.Kind]string{
	cc.Bool: "_Bool", cc.Char: "char", cc.SChar: "schar", cc.UChar: "uchar",
	cc.Short: "short", cc.UShort: "ushort", cc.Int: "int", cc.UInt: "uint",
	cc.Long: "long", cc.ULong: "ulong", cc.LongLong: "longlong", cc.ULongLong: "ulonglong",
	cc.Float: "float", cc.Double: "double",
	cc.ComplexFloat: "complexfloat", cc.ComplexDouble: "complexdouble",
}

// basic converts an arithmetic type: cgo declares it under its C name
// (type _Ctype_int int32) and uses that name.
func (c *typeConv) basic(k cc.Kind) *goType {
	name, ok := basicNames[k]
	if !ok {
		unsupported("the C type %v", k)
	}
	at, ok := c.unit.AST.ABI.Types[k]
	if !ok {
		unsupported("the C type %v on this target", k)
	}
	size := at.Size
	var expr string
	align := min(size, c.ptrSize)
	switch k {
	case cc.Bool:
		expr, align = "bool", 1
	case cc.Float, cc.Double:
		expr = fmt.Sprintf("float%d", size*8)
	case cc.ComplexFloat, cc.ComplexDouble:
		expr, align = fmt.Sprintf("complex%d", size*8), min(size/2, c.ptrSize)
	case cc.Char:
		expr = intType(size, c.unit.AST.ABI.SignedChar)
	case cc.SChar, cc.Short, cc.Int, cc.Long, cc.LongLong:
		expr = intType(size, true)
	default:
		expr = intType(size, false)
	}
	if expr == "" || expr == "float128" || expr == "float80" {
		unsupported("the C type %v of %d bytes", k, size)
	}
	goName := "_Ctype_" + name
	if _, seen := c.v.defs[goName]; !seen {
		c.v.defs[goName] = expr
	}
	return &goType{expr: goName, size: size, align: align}
}

func intType(size int64, signed bool) string {
	switch size {
	case 1, 2, 4, 8:
		if signed {
			return fmt.Sprintf("int%d", size*8)
		}
		return fmt.Sprintf("uint%d", size*8)
	}
	return ""
}

// record converts a struct or union. cgo names it after its tag, or
// numbers it when it has none; a union becomes a byte array of its
// size.
func (c *typeConv) record(t cc.Type) *goType {
	kw := "struct"
	if t.Kind() == cc.Union {
		kw = "union"
	}
	tag := recordTag(t)
	if tag == "" {
		key := kw + " " + membersKey(t)
		tag = c.anon[key]
		if tag == "" {
			tag = fmt.Sprintf("__%d", c.v.tagGen)
			c.v.tagGen++
			c.anon[key] = tag
		}
	} else if def := c.definition(kw, tag); def != nil {
		t = def
	}
	name := "_Ctype_" + kw + "_" + tag
	if g := c.records[name]; g != nil {
		return g
	}
	if c.pending[name] {
		// Only a pointer reaches a struct being converted.
		return &goType{expr: name, align: 1}
	}
	if t.Size() < 0 {
		if _, seen := c.v.defs[name]; !seen {
			c.v.defs[name] = incompleteType
		}
		g := &goType{expr: name, size: 0, align: -1}
		c.records[name] = g
		return g
	}
	lay := c.lay.layout(t, 0)
	if lay.Size < 0 {
		unsupported("%s, whose layout is not known", cTypeSpelling(t))
	}
	if kw == "union" {
		// cgo converts no member of a union; the members still name
		// typedefs it declares (see closure).
		g := &goType{expr: fmt.Sprintf("[%d]byte", lay.Size), size: lay.Size, align: 1}
		c.v.defs[name] = g.expr
		c.records[name] = g
		return g
	}
	c.pending[name] = true
	body, align := c.structBody(t, lay)
	delete(c.pending, name)
	c.v.defs[name] = body
	g := &goType{expr: name, size: lay.Size, align: align}
	c.records[name] = g
	return g
}

// definition returns the complete type of a tagged struct or union,
// which a pointer may reach through a forward declaration.
func (c *typeConv) definition(kw, tag string) cc.Type {
	if td := c.v.p.Types[kw+" "+tag]; td != nil && td.Type != nil && td.Type.Size() >= 0 {
		return td.Type
	}
	for _, n := range c.unit.AST.Scope.Nodes[tag] {
		if s, ok := n.(*cc.StructOrUnionSpecifier); ok && s.StructOrUnion != nil &&
			(s.StructOrUnion.Case == cc.StructOrUnionUnion) == (kw == "union") {
			if t := s.Type(); t != nil && t.Size() >= 0 {
				return t
			}
		}
	}
	return nil
}

func recordTag(t cc.Type) string {
	switch x := t.(type) {
	case *cc.StructType:
		tok := x.Tag()
		return tok.SrcStr()
	case *cc.UnionType:
		tok := x.Tag()
		return tok.SrcStr()
	}
	return ""
}

// membersKey identifies an anonymous record by its members, as cgo's
// cache does by the DWARF type's text.
func membersKey(t cc.Type) string {
	var b strings.Builder
	b.WriteString("{")
	for _, f := range fieldsOf(t) {
		fmt.Fprintf(&b, "%s %s; ", f.Name(), cTypeSpelling(f.Type()))
	}
	b.WriteString("}")
	return b.String()
}

// structBody renders a struct's Go fields as cgo's typeConv.Struct does.
func (c *typeConv) structBody(t cc.Type, lay *Layout) (string, int64) {
	fields := fieldsOf(t)
	if len(fields) != len(lay.Fields) {
		unsupported("%s, whose members the layout does not list one by one", cTypeSpelling(t))
	}
	// Members named after Go keywords get underscores in front, as many
	// as it takes not to collide with another member.
	ident := map[string]string{}
	used := map[string]bool{}
	for _, f := range fields {
		ident[f.Name()] = f.Name()
		used[f.Name()] = true
	}
	names := make([]string, 0, len(ident))
	for n := range ident {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if token.Lookup(n).IsKeyword() {
			g := "_" + n
			for used[g] {
				g = "_" + g
			}
			used[g] = true
			ident[n] = g
		}
	}

	type field struct {
		name, expr string
		size       int64
	}
	var out []field
	var off int64
	align := int64(1)
	anon := 0
	pad := func(n int64) { out = append(out, field{"_", fmt.Sprintf("[%d]byte", n), n}) }
	for i, f := range fields {
		fl := lay.Fields[i]
		if d := f.Declarator(); d != nil && d.IsAtomic() {
			unsupported("the _Atomic member %s of %s", f.Name(), cTypeSpelling(t))
		}
		ft := c.typeOf(f.Type())
		if fl.BitField {
			continue
		}
		if ft.align > 0 && fl.Offset%ft.align != 0 {
			continue // misaligned: cgo drops it
		}
		orig := off
		if ft.align > 0 {
			off = (off + ft.align - 1) &^ (ft.align - 1)
		}
		if fl.Offset > off {
			pad(fl.Offset - orig)
			off = fl.Offset
		}
		if fl.Offset < off {
			continue // packed where Go cannot follow
		}
		name := f.Name()
		goName := ident[name]
		if name == "" {
			goName = fmt.Sprintf("anon%d", anon)
			anon++
		}
		size := ft.size
		if fl.Flexible {
			size = 0
		}
		out = append(out, field{goName, ft.expr, size})
		off += size
		align = max(align, ft.align)
	}
	if off < lay.Size {
		pad(lay.Size - off)
		off = lay.Size
	}
	for off > 0 && len(out) > 0 && out[len(out)-1].size == 0 {
		out = out[:len(out)-1]
	}
	if off != lay.Size {
		unsupported("%s, whose Go fields would not add up to its size", cTypeSpelling(t))
	}
	var b strings.Builder
	b.WriteString("struct {\n")
	for _, f := range out {
		fmt.Fprintf(&b, "\t%s %s\n", f.name, f.expr)
	}
	b.WriteString("}")
	return b.String(), align
}

// funcType is the Go signature of a C function as cgo's FuncType
// renders it: parameter types adjusted by funcArg, and the result.
type funcType struct {
	params []*goType
	result *goType
}

func (c *typeConv) function(ft *cc.FunctionType) *funcType {
	if ft.IsVariadic() {
		unsupported("a variadic function")
	}
	out := &funcType{}
	for _, prm := range ft.Parameters() {
		pt := prm.Type()
		if pt == nil {
			unsupported("a parameter the C front end did not resolve")
		}
		if pt.Kind() == cc.Void {
			continue
		}
		out.params = append(out.params, c.funcArg(pt))
	}
	res := ft.Result()
	if res == nil || res.Kind() == cc.Void {
		out.result = &goType{expr: "_Ctype_void", align: 1}
	} else {
		out.result = c.typeOf(res)
	}
	return out
}

// funcArg is cgo's FuncArg: arrays are passed as pointers, and a typedef
// of a pointer other than void * becomes the pointer itself.
func (c *typeConv) funcArg(t cc.Type) *goType {
	g := c.typeOf(t)
	switch t.Kind() {
	case cc.Array:
		e := c.typeOf(t.(*cc.ArrayType).Elem())
		return &goType{expr: "*" + e.expr, size: c.ptrSize, align: c.ptrSize}
	case cc.Function:
		return &goType{expr: "*[0]byte", size: c.ptrSize, align: c.ptrSize}
	case cc.Ptr:
		if t.Typedef() == nil {
			return g
		}
		elem := t.(*cc.PointerType).Elem()
		if elem == nil || elem.Kind() == cc.Void {
			return g
		}
		return c.under(t)
	}
	return g
}
