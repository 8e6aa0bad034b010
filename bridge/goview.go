package bridge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/parser"
	"sort"
	"strconv"
	"strings"

	"modernc.org/cc/v4"
)

// A GoViewFile is one of a package's Go files that import "C", with the
// names it refers to through C.
type GoViewFile struct {
	Path string // as given to Load
	Refs []CRef
}

// A GoViewRequest asks for the Go declarations of a package's C names.
type GoViewRequest struct {
	Package    string // the Go package name
	ImportPath string
	Files      []GoViewFile
}

// A GoViewError says which declaration the bridge cannot render as cgo
// would, and why.
type GoViewError struct {
	File   string
	Name   string // as written after "C.", or "" for the whole file
	Reason string
}

func (e *GoViewError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s: C.%s: %s", e.File, e.Name, e.Reason)
}

// GoView returns the Go declarations cgo's type pass writes to
// _cgo_gotypes.go for the C names req's files refer to, built from what
// the bridge read of the preambles instead of from gcc: the _Ctype_
// types with cgo's names, padding and field names, _Cfunc_ and _C2func_
// functions with bodies of the shape cgo writes, _Cvar_ and
// _Cfpvar_fp_ variables, _Ciconst_, _Cfconst_ and _Csconst_ constants,
// and cgo's builtins. Type-checked with the package's own files in
// go/types' cgo mode, it resolves C.x as cgo's output does.
//
// It returns a *GoViewError when a referenced name is not declared by
// the file's preamble as the bridge read it, when its type is one the
// view does not render (a variadic function, a vector, a macro that is
// not a constant), or when the preamble was not fully read; the caller
// should then run cgo.
func (p *Package) GoView(req *GoViewRequest) (src []byte, err error) {
	v := &goView{p: p, defs: map[string]string{}, funcs: map[string]string{}, vars: map[string]string{}, consts: map[string]string{}}
	sum := sha256.Sum256([]byte(req.ImportPath))
	v.prefix = "_cgo_" + hex.EncodeToString(sum[:6])
	for _, f := range req.Files {
		if err := v.file(f); err != nil {
			return nil, err
		}
	}
	return v.render(req), nil
}

// goView accumulates the declarations of a package, file by file, as
// cgo does: one set of type definitions, with anonymous records
// numbered across files.
type goView struct {
	p      *Package
	prefix string
	defs   map[string]string // type definitions by Go name
	tagGen int

	funcs, vars, consts map[string]string // rendered declarations by Go name
	builtins            map[string]bool
	callsMalloc         bool
}

// unitOf returns the translation unit of a Go file's preamble.
func (p *Package) unitOf(path string) *Unit {
	for _, u := range p.Units {
		if u.Name == path {
			return u
		}
	}
	return nil
}

// A cName is one name of a file as cgo classifies it.
type cName struct {
	ref  CRef
	c    string // C spelling
	kind string // cgo's kinds: type, func, var, iconst, fconst, sconst
	typ  cc.Type
	fn   *cc.FunctionType
	// basic is the kind of an arithmetic type named by its C spelling
	// (C.int, C.uint), when typ is nil.
	basic cc.Kind
	// konst is the value of a constant; typed says cgo asked gcc for
	// it, so its type is converted too.
	konst string
	typed bool
}

func (v *goView) file(f GoViewFile) (err error) {
	u := v.p.unitOf(f.Path)
	switch {
	case u == nil:
		return &GoViewError{File: f.Path, Reason: "no preamble was read"}
	case u.AST == nil || u.Err != nil:
		return &GoViewError{File: f.Path, Reason: "the C front end did not read the whole preamble"}
	case len(u.Stubbed) > 0:
		return &GoViewError{File: f.Path, Reason: "header " + u.Stubbed[0] + " was not found"}
	case len(u.LeftOut) > 0:
		return &GoViewError{File: f.Path, Reason: "the C front end left out " + u.LeftOut[0]}
	case u.AST.ABI == nil:
		return &GoViewError{File: f.Path, Reason: "no target ABI"}
	case v.p.Flags != nil && len(v.p.Flags.Warnings) > 0:
		return &GoViewError{File: f.Path, Reason: "the bridge could not honour every #cgo flag"}
	}
	for _, pre := range v.p.Preambles {
		if pre.File != f.Path {
			continue
		}
		// layout.go does not model these.
		for _, layoutChange := range []string{"pragma pack", "-fshort-enums", "-fpack-struct"} {
			if strings.Contains(pre.Text, layoutChange) {
				return &GoViewError{File: f.Path, Reason: "the preamble uses " + layoutChange + ", which the bridge does not model"}
			}
		}
	}
	c := &typeConv{
		v: v, unit: u, ptrSize: u.AST.ABI.Types[cc.Ptr].Size,
		anon: map[string]string{}, records: map[string]*goType{}, pending: map[string]bool{},
		typedefs: map[string]*goType{}, lay: newLayouter(v.p.Units),
	}
	current := ""
	defer func() {
		if x := recover(); x != nil {
			e, ok := x.(errUnsupported)
			if !ok {
				e = errUnsupported{fmt.Sprintf("internal error: %v", x)}
			}
			err = &GoViewError{File: f.Path, Name: current, Reason: e.what}
		}
	}()

	// cgo converts tags first, then the other names in order, then the
	// typedefs their types name, round by round.
	var tags, others []*cName
	for _, r := range f.Refs {
		current = r.Name
		n := c.classify(r)
		if n.kind == "type" && (strings.HasPrefix(n.c, "struct ") || strings.HasPrefix(n.c, "union ") || strings.HasPrefix(n.c, "enum ")) {
			tags = append(tags, n)
		} else {
			others = append(others, n)
		}
	}
	seen := map[string]bool{}
	var found []string
	walked := map[string]bool{}
	for _, n := range append(tags, others...) {
		current = n.ref.Name
		c.declare(n)
		c.typedefsIn(n, seen, &found, walked)
	}
	for len(found) > 0 {
		round := found
		found = nil
		sort.Strings(round)
		for _, name := range round {
			current = name
			t := c.typedefType(name)
			if t == nil {
				continue
			}
			g := c.typeOf(t)
			if _, ok := v.defs["_Ctype_"+name]; !ok {
				v.defs["_Ctype_"+name] = g.expr
			}
			c.typedefsOfType(t, seen, &found, walked)
		}
	}
	return nil
}

// classify finds what a name is, as cgo's guessKinds asks gcc.
func (c *typeConv) classify(r CRef) *cName {
	n := &cName{ref: r, c: cname(r.Name)}
	if r.Name == "errno" || r.Name == "_CMalloc" {
		unsupported("cgo rejects this name")
	}
	if r.Name == "malloc" {
		n.c = BuiltinCMalloc
	}
	scope := c.unit.AST.Scope
	if t, ok := strings.CutPrefix(r.Name, "sizeof_"); ok {
		c.sizeof(n, t)
		return n
	}
	if IsBuiltin(n.c) {
		n.kind = "func"
		n.fn = c.prologFunc(n.c)
		return n
	}
	if kw, tag, ok := strings.Cut(n.c, " "); ok && (kw == "struct" || kw == "union" || kw == "enum") {
		n.kind = "type"
		n.typ = c.tagType(kw, tag)
		return n
	}
	if m := c.unit.AST.Macros[n.c]; m != nil && !m.IsFnLike {
		c.macro(n, m)
		return n
	}
	if k, ok := basicKind(n.c); ok {
		n.kind, n.basic = "type", k
		return n
	}
	for _, node := range scope.Nodes[n.c] {
		switch x := node.(type) {
		case *cc.Declarator:
			t := x.Type()
			switch {
			case x.IsTypename():
				n.kind, n.typ = "type", t
			case t != nil && t.Kind() == cc.Function:
				ft, ok := t.(*cc.FunctionType)
				if !ok {
					unsupported("a function the C front end did not resolve")
				}
				n.kind, n.fn = "func", ft
			default:
				n.kind, n.typ = "var", t
			}
			return n
		case *cc.Enumerator:
			n.kind, n.typed, n.typ = "iconst", true, x.Type()
			n.konst = intConst(x.Value())
			if n.konst == "" {
				unsupported("an enumerator whose value the C front end did not compute")
			}
			if v := asInt64(x.Value()); v >= -1<<31 && v < 1<<31 {
				// An enumeration constant is an int to gcc when its
				// value fits one, whatever the enum's own type.
				n.typ, n.basic = nil, cc.Int
			}
			return n
		}
	}
	unsupported("not declared by the preamble as the C front end read it")
	return nil
}

// cname is cgo's spelling in C of a name written after "C.".
func cname(s string) string {
	if t, ok := strings.CutPrefix(s, "sizeof_"); ok {
		return "sizeof(" + cname(t) + ")"
	}
	return CTypeName(s)
}

// sizeof classifies C.sizeof_T: an integer constant of type size_t
// (unsigned long on the targets cgo supports).
func (c *typeConv) sizeof(n *cName, spelled string) {
	tn := c.classify(CRef{Name: spelled, Value: true})
	if tn.kind != "type" {
		unsupported("sizeof of something that is not a type")
	}
	var size int64
	if tn.typ == nil {
		at, ok := c.unit.AST.ABI.Types[tn.basic]
		if !ok {
			unsupported("the size of %s is not known", tn.c)
		}
		size = at.Size
	} else {
		lay := c.lay.layout(tn.typ, 0)
		if lay == nil || lay.Size < 0 {
			unsupported("the size of %s is not known", tn.c)
		}
		size = lay.Size
	}
	n.kind, n.konst, n.typed, n.basic = "iconst", fmt.Sprintf("%#x", uint64(size)), true, cc.ULong
}

// prologFunc returns the declaration of one of cgo's builtins in the
// prolog every preamble unit starts with.
func (c *typeConv) prologFunc(name string) *cc.FunctionType {
	for _, node := range c.unit.AST.Scope.Nodes[name] {
		if d, ok := node.(*cc.Declarator); ok {
			if ft, ok := d.Type().(*cc.FunctionType); ok {
				return ft
			}
		}
	}
	unsupported("the prolog does not declare it")
	return nil
}

func (c *typeConv) tagType(kw, tag string) cc.Type {
	if t := c.definition(kw, tag); t != nil {
		return t
	}
	if td := c.v.p.Types[kw+" "+tag]; td != nil && td.Type != nil {
		return td.Type
	}
	for _, node := range c.unit.AST.Scope.Nodes[tag] {
		switch x := node.(type) {
		case *cc.StructOrUnionSpecifier:
			if kw != "enum" {
				return x.Type()
			}
		case *cc.EnumSpecifier:
			if kw == "enum" {
				return x.Type()
			}
		}
	}
	unsupported("no such tag in the preamble")
	return nil
}

// macro classifies an object-like macro as cgo does: a definition that
// is one integer, character or string literal Go can read is a constant
// as written; any other constant expression is evaluated (by gcc for
// cgo, by the C front end here) and has a type.
func (c *typeConv) macro(n *cName, m *cc.Macro) {
	// The definition as gcc -dM prints it: the tokens, a space where
	// the source separated them.
	var b strings.Builder
	toks := m.ReplacementList()
	for i, tok := range toks {
		if i > 0 && len(tok.Sep()) > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok.SrcStr())
	}
	if text := b.String(); text != "" {
		if i, err := strconv.ParseInt(text, 0, 64); err == nil {
			n.kind, n.konst = "iconst", fmt.Sprintf("%#x", i)
			return
		}
		if _, err := parser.ParseExpr(text); err == nil && len(toks) == 1 {
			switch text[0] {
			case '\'':
				n.kind, n.konst = "iconst", text
				return
			case '"':
				n.kind, n.konst = "sconst", text
				return
			}
		}
	}
	// A macro that names a type is one.
	if k, ok := basicKind(b.String()); ok && k != cc.Void {
		n.kind, n.basic = "type", k
		return
	}
	if len(toks) == 1 {
		if t := c.typedefType(toks[0].SrcStr()); t != nil {
			n.kind, n.typ = "type", t
			return
		}
	}
	n.typed, n.typ = true, m.Type()
	if len(toks) == 1 && (n.typ == nil || n.typ.Kind() == cc.InvalidKind || n.typ.Kind() == cc.Function) {
		// Another name for a variable, or for a function, which cgo
		// then calls as the function.
		for _, node := range c.unit.AST.Scope.Nodes[toks[0].SrcStr()] {
			d, ok := node.(*cc.Declarator)
			if !ok || d.IsTypename() || d.Type() == nil {
				continue
			}
			if ft, ok := d.Type().(*cc.FunctionType); ok {
				n.kind, n.typ, n.typed, n.fn = "func", nil, false, ft
				return
			}
			n.kind, n.typ = "macro", d.Type()
			return
		}
	}
	if n.typ == nil || n.typ.Kind() == cc.InvalidKind || n.typ.Kind() == cc.Function {
		unsupported("a macro the C front end cannot evaluate")
	}
	if n.typ.Kind() == cc.Ptr {
		// Not a constant to gcc: cgo calls C to evaluate it.
		n.kind = "macro"
		return
	}
	switch val := m.Value().(type) {
	case cc.Int64Value, cc.UInt64Value:
		n.kind, n.konst = "iconst", intConst(val)
		if isUnsigned(n.typ) {
			n.konst = fmt.Sprintf("%#x", uint64(asInt64(val)))
		}
	case cc.Float64Value:
		if isInteger(n.typ) {
			unsupported("an integer macro that is not an integer constant expression")
		}
		n.kind, n.konst = "fconst", fmt.Sprintf("%f", float64(val))
	case cc.StringValue:
		n.kind, n.konst = "sconst", strconv.Quote(strings.TrimSuffix(string(val), "\x00"))
	default:
		// Not a constant: cgo calls C to evaluate it.
		n.kind = "macro"
	}
}

func asInt64(v cc.Value) int64 {
	switch v := v.(type) {
	case cc.Int64Value:
		return int64(v)
	case cc.UInt64Value:
		return int64(v)
	}
	return 0
}

// intConst renders an integer constant as cgo does, in hexadecimal.
func intConst(v cc.Value) string {
	switch v := v.(type) {
	case cc.Int64Value:
		return fmt.Sprintf("%#x", int64(v))
	case cc.UInt64Value:
		return fmt.Sprintf("%#x", uint64(v))
	}
	return ""
}

func isUnsigned(t cc.Type) bool {
	switch t.Kind() {
	case cc.UChar, cc.UShort, cc.UInt, cc.ULong, cc.ULongLong, cc.Bool:
		return true
	}
	return false
}

func isInteger(t cc.Type) bool {
	switch t.Kind() {
	case cc.Char, cc.SChar, cc.UChar, cc.Short, cc.UShort, cc.Int, cc.UInt,
		cc.Long, cc.ULong, cc.LongLong, cc.ULongLong, cc.Bool, cc.Enum:
		return true
	}
	return false
}

// declare converts a name's type and writes its declaration.
func (c *typeConv) declare(n *cName) {
	v := c.v
	switch n.kind {
	case "type":
		var g *goType
		switch {
		case n.typ == nil && n.basic == cc.Void:
			return // _Ctype_void is always declared
		case n.typ == nil:
			g = c.basic(n.basic)
		default:
			g = c.typeOf(n.typ)
		}
		mangled := "_Ctype_" + n.ref.Name
		if _, ok := v.defs[mangled]; !ok {
			v.defs[mangled] = g.expr
		}
	case "var":
		g := c.typeOf(n.typ)
		mangled := "_Cvar_" + n.ref.Name
		v.vars[mangled] = fmt.Sprintf("//go:linkname __cgo_%[1]s %[1]s\n//go:cgo_import_static %[1]s\nvar __cgo_%[1]s byte\nvar %[2]s *%[3]s = (*%[3]s)(unsafe.Pointer(&__cgo_%[1]s))\n",
			n.c, mangled, g.expr)
	case "iconst", "fconst", "sconst":
		switch {
		case n.typed && n.typ != nil:
			c.typeOf(n.typ)
		case n.typed:
			c.basic(n.basic)
		}
		mangled := "_C" + n.kind + "_" + n.ref.Name
		v.consts[mangled] = fmt.Sprintf("const %s = %s\n", mangled, n.konst)
	case "func":
		ft := c.function(n.fn)
		if IsBuiltin(n.c) {
			if n.ref.Value || n.ref.Call2 {
				unsupported("cgo allows only calls of its builtins")
			}
			v.builtin(n.c)
			return
		}
		if n.ref.Value {
			mangled := "_Cfpvar_fp_" + n.ref.Name
			v.vars[mangled] = fmt.Sprintf("//go:linkname __cgo_%[1]s %[1]s\n//go:cgo_import_static %[1]s\nvar __cgo_%[1]s byte\nvar %[2]s unsafe.Pointer = (unsafe.Pointer)(unsafe.Pointer(&__cgo_%[1]s))\n",
				n.c, mangled)
		}
		if n.ref.Call || n.ref.Call2 {
			// cgo keeps _Cfunc_f for the errno form too, and go/types
			// resolves C.f to it in the raw shape.
			v.funcs["_Cfunc_"+n.ref.Name] = v.funcDecl(n, ft, "_Cfunc_", false)
		}
		if n.ref.Call2 {
			v.funcs["_C2func_"+n.ref.Name] = v.funcDecl(n, ft, "_C2func_", true)
		}
	case "macro":
		if n.ref.Call || n.ref.Call2 {
			unsupported("cgo does not call a macro")
		}
		ft := &funcType{result: c.typeOf(n.typ)}
		v.funcs["_Cmacro_"+n.ref.Name] = v.funcDecl(n, ft, "_Cmacro_", false)
	}
}

// funcDecl renders the Go function cgo writes for a C function, or for
// a macro C evaluates: its arguments go to C in one frame, and a call in
// the errno form returns errno as an error.
func (v *goView) funcDecl(n *cName, ft *funcType, prefix string, errnoForm bool) string {
	mangled := prefix + n.ref.Name
	cfn := v.prefix + mangled
	var b strings.Builder
	fmt.Fprintf(&b, "//go:cgo_import_static %[1]s\n//go:linkname __cgofn_%[1]s %[1]s\nvar __cgofn_%[1]s byte\nvar %[1]s = unsafe.Pointer(&__cgofn_%[1]s)\n\n", cfn)
	fmt.Fprintf(&b, "//go:cgo_unsafe_args\nfunc %s(", mangled)
	for i, p := range ft.params {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "p%d %s", i, p.expr)
	}
	fmt.Fprintf(&b, ") (r1 %s", ft.result.expr)
	if errnoForm {
		b.WriteString(", r2 error")
	}
	b.WriteString(") {\n")
	arg := "uintptr(unsafe.Pointer(&r1))"
	if len(ft.params) > 0 {
		arg = "uintptr(unsafe.Pointer(&p0))"
	}
	noCallback := v.p.IsNoCallback(n.c)
	if noCallback {
		b.WriteString("\t_Cgo_no_callback(true)\n")
	}
	if errnoForm {
		fmt.Fprintf(&b, "\terrno := _cgo_runtime_cgocall(%s, %s)\n\tif errno != 0 { r2 = syscall.Errno(errno) }\n", cfn, arg)
	} else {
		fmt.Fprintf(&b, "\t_cgo_runtime_cgocall(%s, %s)\n", cfn, arg)
	}
	if noCallback {
		b.WriteString("\t_Cgo_no_callback(false)\n")
	}
	touch := "_Cgo_use"
	if noCallback && v.p.IsNoEscape(n.c) {
		touch = "_Cgo_keepalive"
	}
	if len(ft.params) > 0 {
		b.WriteString("\tif _Cgo_always_false {\n")
		for i := range ft.params {
			fmt.Fprintf(&b, "\t\t%s(p%d)\n", touch, i)
		}
		b.WriteString("\t}\n")
	}
	b.WriteString("\treturn\n}\n")
	return b.String()
}

// typedefsIn adds to found the typedef names a name's type mentions, as
// cgo's recordTypedefs finds them in gcc's DWARF: through pointers,
// arrays, function types and the members of structs and unions, but not
// into __builtin typedefs.
func (c *typeConv) typedefsIn(n *cName, seen map[string]bool, found *[]string, walked map[string]bool) {
	switch {
	case n.fn != nil:
		c.typedefsOfType(n.fn.Result(), seen, found, walked)
		for _, p := range n.fn.Parameters() {
			c.typedefsOfType(p.Type(), seen, found, walked)
		}
	case n.typ != nil && (n.kind != "iconst" && n.kind != "fconst" && n.kind != "sconst" || n.typed):
		c.typedefsOfType(n.typ, seen, found, walked)
	}
}

func (c *typeConv) typedefsOfType(t cc.Type, seen map[string]bool, found *[]string, walked map[string]bool) {
	if t == nil {
		return
	}
	if d := t.Typedef(); d != nil && d.Name() != "" {
		name := d.Name()
		if strings.HasPrefix(name, "__builtin") || seen[name] {
			return
		}
		seen[name] = true
		*found = append(*found, name)
		if next := c.v.p.typedefs[name].next; next != "" && next != name {
			if nt := c.typedefType(next); nt != nil {
				c.typedefsOfType(nt, seen, found, walked)
				return
			}
		}
	}
	switch t.Kind() {
	case cc.Ptr:
		c.typedefsOfType(t.(*cc.PointerType).Elem(), seen, found, walked)
	case cc.Array:
		c.typedefsOfType(t.(*cc.ArrayType).Elem(), seen, found, walked)
	case cc.Function:
		ft, ok := t.(*cc.FunctionType)
		if !ok {
			return
		}
		c.typedefsOfType(ft.Result(), seen, found, walked)
		for _, p := range ft.Parameters() {
			c.typedefsOfType(p.Type(), seen, found, walked)
		}
	case cc.Struct, cc.Union:
		kw := "struct "
		if t.Kind() == cc.Union {
			kw = "union "
		}
		key := kw + recordTag(t)
		if recordTag(t) == "" {
			key = kw + membersKey(t)
		} else if def := c.definition(strings.TrimSpace(kw), recordTag(t)); def != nil {
			t = def
		}
		if walked[key] {
			return
		}
		walked[key] = true
		for _, f := range fieldsOf(t) {
			c.typedefsOfType(f.Type(), seen, found, walked)
		}
	}
}

// builtin adds one of cgo's own functions.
func (v *goView) builtin(name string) {
	if v.builtins == nil {
		v.builtins = map[string]bool{}
	}
	v.builtins[name] = true
	switch name {
	case BuiltinCString, BuiltinCBytes, BuiltinCMalloc:
		v.callsMalloc = true
	}
}

// render writes the declarations file.
func (v *goView) render(req *GoViewRequest) []byte {
	importRuntimeCgo, importSyscall := true, true
	switch req.ImportPath {
	case "runtime/cgo":
		importRuntimeCgo, importSyscall = false, false
	case "runtime/race", "runtime/msan", "runtime/asan":
		importSyscall = false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by ffivet from the C declarations; DO NOT EDIT.\n\npackage %s\n\nimport \"unsafe\"\n\n", req.Package)
	if importSyscall {
		b.WriteString("import \"syscall\"\n\n")
	}
	if importRuntimeCgo {
		b.WriteString("import _cgopackage \"runtime/cgo\"\n\ntype _ _cgopackage.Incomplete\n")
	}
	if importSyscall {
		b.WriteString("var _ syscall.Errno\n")
	}
	b.WriteString(goViewProlog)
	for _, name := range sortedKeys(v.defs) {
		if name == "_Ctype_void" {
			continue
		}
		def := v.defs[name]
		if !importRuntimeCgo {
			def = strings.ReplaceAll(def, incompleteType, "struct{ _ struct{ _ struct{} } }")
		}
		eq := ""
		if strings.HasPrefix(def, "_Ctype_") || strings.HasPrefix(name, "_Ctype_enum_") || strings.HasPrefix(name, "_Ctype_union_") {
			eq = "= "
		}
		fmt.Fprintf(&b, "type %s %s%s\n\n", name, eq, def)
	}
	b.WriteString("type _Ctype_void [0]byte\n")
	b.WriteString(goViewRuntime)
	for _, name := range sortedKeys(v.vars) {
		b.WriteString(v.vars[name])
	}
	for _, name := range sortedKeys(v.consts) {
		b.WriteString(v.consts[name])
	}
	b.WriteString("\n")
	for _, name := range sortedKeys(v.builtins) {
		b.WriteString(builtinGo[name])
	}
	for _, name := range sortedKeys(v.funcs) {
		b.WriteString(v.funcs[name])
	}
	if v.callsMalloc {
		b.WriteString(strings.ReplaceAll(goViewMalloc, "PREFIX", v.prefix))
	}
	return []byte(b.String())
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// What every declarations file holds: the runtime functions cgo's
// wrappers call.
const goViewProlog = `func _Cgo_ptr(ptr unsafe.Pointer) unsafe.Pointer { return ptr }

//go:linkname _Cgo_always_false runtime.cgoAlwaysFalse
var _Cgo_always_false bool
//go:linkname _Cgo_use runtime.cgoUse
func _Cgo_use(interface{})
//go:linkname _Cgo_keepalive runtime.cgoKeepAlive
//go:noescape
func _Cgo_keepalive(interface{})
//go:linkname _Cgo_no_callback runtime.cgoNoCallback
func _Cgo_no_callback(bool)
`

const goViewRuntime = `
//go:linkname _cgo_runtime_cgocall runtime.cgocall
func _cgo_runtime_cgocall(unsafe.Pointer, uintptr) int32

//go:linkname _cgoCheckPointer runtime.cgoCheckPointer
//go:noescape
func _cgoCheckPointer(interface{}, interface{})

//go:linkname _cgoCheckResult runtime.cgoCheckResult
//go:noescape
func _cgoCheckResult(interface{})

`

// builtinGo are cgo's builtins, with the signatures cgo gives them.
var builtinGo = map[string]string{
	BuiltinGoString: `
//go:linkname _cgo_runtime_gostring runtime.gostring
func _cgo_runtime_gostring(*_Ctype_char) string

func _Cfunc_GoString(p *_Ctype_char) string {
	return _cgo_runtime_gostring(p)
}
`,
	BuiltinGoStringN: `
//go:linkname _cgo_runtime_gostringn runtime.gostringn
func _cgo_runtime_gostringn(*_Ctype_char, int) string

func _Cfunc_GoStringN(p *_Ctype_char, l _Ctype_int) string {
	return _cgo_runtime_gostringn(p, int(l))
}
`,
	BuiltinGoBytes: `
//go:linkname _cgo_runtime_gobytes runtime.gobytes
func _cgo_runtime_gobytes(unsafe.Pointer, int) []byte

func _Cfunc_GoBytes(p unsafe.Pointer, l _Ctype_int) []byte {
	return _cgo_runtime_gobytes(p, int(l))
}
`,
	BuiltinCString: `
func _Cfunc_CString(s string) *_Ctype_char {
	if len(s)+1 <= 0 {
		panic("string too large")
	}
	p := _cgo_cmalloc(uint64(len(s)+1))
	sliceHeader := struct {
		p   unsafe.Pointer
		len int
		cap int
	}{p, len(s)+1, len(s)+1}
	b := *(*[]byte)(unsafe.Pointer(&sliceHeader))
	copy(b, s)
	b[len(s)] = 0
	return (*_Ctype_char)(p)
}
`,
	BuiltinCBytes: `
func _Cfunc_CBytes(b []byte) unsafe.Pointer {
	p := _cgo_cmalloc(uint64(len(b)))
	sliceHeader := struct {
		p   unsafe.Pointer
		len int
		cap int
	}{p, len(b), len(b)}
	s := *(*[]byte)(unsafe.Pointer(&sliceHeader))
	copy(s, b)
	return p
}
`,
	BuiltinCMalloc: `
func _Cfunc__CMalloc(n _Ctype_size_t) unsafe.Pointer {
	return _cgo_cmalloc(uint64(n))
}
`,
}

const goViewMalloc = `
//go:cgo_import_static PREFIX_Cfunc__Cmalloc
//go:linkname __cgofn_PREFIX_Cfunc__Cmalloc PREFIX_Cfunc__Cmalloc
var __cgofn_PREFIX_Cfunc__Cmalloc byte
var PREFIX_Cfunc__Cmalloc = unsafe.Pointer(&__cgofn_PREFIX_Cfunc__Cmalloc)

//go:linkname runtime_throw runtime.throw
func runtime_throw(string)

//go:cgo_unsafe_args
func _cgo_cmalloc(p0 uint64) (r1 unsafe.Pointer) {
	_cgo_runtime_cgocall(PREFIX_Cfunc__Cmalloc, uintptr(unsafe.Pointer(&p0)))
	if r1 == nil {
		runtime_throw("runtime: C malloc failed")
	}
	return
}
`
