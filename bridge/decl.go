package bridge

import (
	"fmt"
	"go/token"
	"strings"

	"modernc.org/cc/v4"
)

// A Func is a C function declaration or definition visible to a cgo package.
type Func struct {
	Name     string
	Pos      token.Position // of the declaration, mapped to the .go file for preambles
	Type     *cc.FunctionType
	Params   []*Param
	Result   cc.Type
	Variadic bool
	Static   bool
	HasBody  bool                   // a definition was found in the preamble or the package's .c files
	Attrs    Attributes             // GNU/clang attributes on the declaration
	Notes    []Annotation           // ffivet: annotations next to the declaration, or from the config file
	Def      *cc.FunctionDefinition // the body, when HasBody
	Unit     *Unit                  // the translation unit that holds Def (or the declaration)
}

func (f *Func) String() string {
	var b strings.Builder
	b.WriteString(typeString(f.Result))
	b.WriteByte(' ')
	b.WriteString(f.Name)
	b.WriteByte('(')
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(typeString(p.Type))
		if p.Name != "" {
			b.WriteByte(' ')
			b.WriteString(p.Name)
		}
	}
	if f.Variadic {
		if len(f.Params) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("...")
	}
	b.WriteByte(')')
	return b.String()
}

// A Param is one parameter of a Func.
type Param struct {
	Name string
	Type cc.Type
}

// IsConstPointer reports whether the parameter is a pointer to const,
// a promise that the callee only reads through it.
func (p *Param) IsConstPointer() bool {
	pt, ok := p.Type.(*cc.PointerType)
	if !ok {
		return false
	}
	if a := pt.Elem().Attributes(); a != nil && a.IsConst() {
		return true
	}
	return strings.HasPrefix(pt.String(), "pointer to const ")
}

// FillsConst reports whether the parameter is a pointer to a pointer to
// const (const char **out): by C convention the callee stores there a
// pointer to memory it keeps, which the caller reads and must not free
// (vips_image_get_string, strtol's endptr would be char **).
func (p *Param) FillsConst() bool {
	pt, ok := p.Type.(*cc.PointerType)
	if !ok {
		return false
	}
	inner, ok := pt.Elem().(*cc.PointerType)
	if !ok {
		return false
	}
	if a := inner.Elem().Attributes(); a != nil && a.IsConst() {
		return true
	}
	return strings.HasPrefix(pt.String(), "pointer to pointer to const ")
}

// Attributes are the GNU and clang attributes ffivet reads on a function
// declaration. Indices are 0-based parameter positions.
type Attributes struct {
	Malloc           bool   // __attribute__((malloc))
	Dealloc          string // __attribute__((malloc(dealloc))): the deallocator's name
	DeallocArg       int    // which argument of Dealloc receives the pointer (0-based)
	Nonnull          []int  // __attribute__((nonnull(...))); empty with NonnullAll for all
	NonnullAll       bool
	ReturnsNonnull   bool
	OwnershipReturns string         // clang ownership_returns(module)
	OwnershipTakes   map[int]string // clang ownership_takes(module, N...): parameter → module
	OwnershipHolds   map[int]string // clang ownership_holds(module, N...): parameter → module
	// DeallocatorFor is set on a function that other declarations name in
	// malloc(dealloc, N): parameter N-1 → the names of those allocators.
	DeallocatorFor map[int][]string
}

func (a Attributes) IsZero() bool {
	return !a.Malloc && a.Dealloc == "" && len(a.Nonnull) == 0 && !a.NonnullAll && !a.ReturnsNonnull &&
		a.OwnershipReturns == "" && len(a.OwnershipTakes) == 0 && len(a.OwnershipHolds) == 0 &&
		len(a.DeallocatorFor) == 0
}

// A Layout is the memory layout of a C type on one target. Size is -1
// when the type is incomplete or its layout is unknown.
type Layout struct {
	Name     string // C spelling, e.g. "struct point" or "point_t"
	Kind     cc.Kind
	Size     int64
	Align    int
	Fields   []FieldLayout // for structs and unions, in declaration order
	Flexible bool          // ends in a flexible array member
	Packed   bool
}

func (l *Layout) String() string {
	if l == nil {
		return "<nil layout>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: size %d align %d", l.Name, l.Size, l.Align)
	if l.Packed {
		b.WriteString(" packed")
	}
	if l.Flexible {
		b.WriteString(" flexible")
	}
	writeFields(&b, l.Fields, 0, 1)
	return b.String()
}

// writeFields lists fields one per line; the members of an anonymous
// struct or union follow it, indented, with offsets from the outer start.
func writeFields(b *strings.Builder, fields []FieldLayout, base int64, depth int) {
	for _, f := range fields {
		f.Offset += base
		fmt.Fprintf(b, "\n%s%s", strings.Repeat("\t", depth), f.String())
		if f.Anonymous && f.Record != nil && depth < 8 {
			writeFields(b, f.Record.Fields, f.Offset, depth+1)
		}
	}
}

// A FieldLayout is one member of a struct or union.
type FieldLayout struct {
	Name   string // "" for an anonymous member or an unnamed bit field
	Type   string // C spelling of its type
	Kind   cc.Kind
	Offset int64 // bytes from the start of the outer struct; for a bit field, of the byte holding its first bit
	Size   int64 // bytes; for a bit field, the size of its declared type
	Align  int   // the alignment the member was placed at (1 when packed)
	// BitOffset is the bit field's first bit within the byte at Offset
	// (0-7), counted in allocation order: from the least significant bit
	// on little-endian targets, from the most significant on big-endian.
	BitOffset int
	BitField  bool
	BitWidth  int // for a bit field; 0 for a zero-width one, which only moves the next member
	Flexible  bool
	Anonymous bool // an unnamed struct or union member whose fields are promoted
	// Record is the layout of the member's type when that is a struct or
	// union, with offsets from the member's start. Layout.Field uses it
	// to find promoted and nested members.
	Record *Layout
}

func (f FieldLayout) String() string {
	name := f.Name
	switch {
	case f.Anonymous:
		name = "<anonymous>"
	case name == "":
		name = "<unnamed>"
	}
	if f.BitField {
		return fmt.Sprintf("%s %s @%d+%d:%d", f.Type, name, f.Offset, f.BitOffset, f.BitWidth)
	}
	s := fmt.Sprintf("%s %s @%d size %d align %d", f.Type, name, f.Offset, f.Size, f.Align)
	if f.Flexible {
		s += " flexible"
	}
	return s
}

// A Global is a C variable with static storage.
type Global struct {
	Name   string
	Pos    token.Position
	Type   cc.Type
	Static bool
}

// A Macro is an object-like #define with a constant value.
type Macro struct {
	Name  string
	Pos   token.Position
	Value cc.Value // nil when not a constant
}

// A TypeDecl is a named C type: a typedef or a struct, union or enum tag.
type TypeDecl struct {
	Name string // "point_t", "struct point"
	Pos  token.Position
	Type cc.Type
}

func typeString(t cc.Type) string {
	if t == nil {
		return "?"
	}
	if d := t.Typedef(); d != nil {
		return d.Name()
	}
	return t.String()
}
