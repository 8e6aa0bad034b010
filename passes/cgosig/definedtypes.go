package cgosig

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
)

// DefinedFromC is the fact that a named Go type is defined from a C type,
// directly or through other named types (type SizeT C.size_t). Such a
// type has the C type's layout on every target, while its underlying Go
// type is the one cgo generated for the host: SizeT is a uint64 to
// go/types, but 4 bytes on linux/386.
type DefinedFromC struct {
	CType string // as the defining package's C names it: "size_t", "struct point"
	// Scalar holds the size and alignment of a scalar C type on each
	// target the defining package was checked for: a package that uses
	// the type may not include the header that declares it. (A slice,
	// not a map, so that the fact encodes the same way every time.)
	Scalar []ScalarLayout
}

// A ScalarLayout is the size and alignment of a scalar C type on a
// target.
type ScalarLayout struct {
	Target      string // goos/goarch
	Size, Align int64
}

func (*DefinedFromC) AFact() {}

func (f *DefinedFromC) String() string { return fmt.Sprintf("defined from C %s", f.CType) }

// maxDefinitionChain bounds how many named types are followed to reach a
// C type (type A C.long; type B A; ...).
const maxDefinitionChain = 32

// definedTypes records the named types the package defines from C types
// and exports a fact for each package-level one.
func (c *checker) definedTypes() {
	rhs := map[*types.TypeName]types.Type{}
	record := func(spec *ast.TypeSpec) {
		if spec.Assign.IsValid() || spec.TypeParams != nil {
			return
		}
		if k, _ := bridge.ParseName(spec.Name.Name); k == bridge.CType {
			return // cgo's own definition of C.x
		}
		if obj, ok := c.pass.TypesInfo.Defs[spec.Name].(*types.TypeName); ok {
			if t := c.pass.TypesInfo.TypeOf(spec.Type); t != nil {
				rhs[obj] = t
			}
		}
	}
	for _, f := range c.pass.Files {
		if c.bridge == nil {
			// Without cgo only imported facts can make a type defined
			// from C, and only package-level types pass it on.
			for _, d := range f.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
					for _, spec := range gd.Specs {
						record(spec.(*ast.TypeSpec))
					}
				}
			}
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if spec, ok := n.(*ast.TypeSpec); ok {
				record(spec)
			}
			return true
		})
	}
	c.fromC = map[*types.TypeName]*DefinedFromC{}
	for obj := range rhs {
		t := rhs[obj]
		for range maxDefinitionChain {
			if name := checkutil.CTypeName(t); name != "" {
				if c.bridge != nil {
					c.fromC[obj] = c.localFact(name)
				}
				break
			}
			n, ok := types.Unalias(t).(*types.Named)
			if !ok {
				break
			}
			if next := rhs[n.Obj()]; next != nil {
				t = next
				continue
			}
			// A type of another package: what its fact says.
			if _, fact := c.definedFrom(n); fact != nil {
				c.fromC[obj] = fact
			}
			break
		}
	}
	for obj, fact := range c.fromC {
		if obj.Parent() == c.pass.Pkg.Scope() {
			c.pass.ExportObjectFact(obj, fact)
		}
	}
}

// localFact describes C type name of this package's C.
func (c *checker) localFact(name string) *DefinedFromC {
	fact := &DefinedFromC{CType: name}
	for _, t := range c.targets {
		if l := c.layouts.Of(name, t); l != nil && scalarKindOf(c.cShape(l)) {
			fact.Scalar = append(fact.Scalar, ScalarLayout{Target: t.String(), Size: l.Size, Align: int64(l.Align)})
		}
	}
	return fact
}

func scalarKindOf(s *shape) bool {
	return s != nil && (s.kind == shapeScalar || s.kind == shapeFloat)
}

// definedFrom returns the C type a named Go type was defined from, and
// what is known of it; "" when typ is not defined from a C type.
func (c *checker) definedFrom(typ types.Type) (string, *DefinedFromC) {
	n, ok := types.Unalias(typ).(*types.Named)
	if !ok || n.TypeArgs().Len() > 0 || n.Obj().Pkg() == nil {
		return "", nil
	}
	obj := n.Obj()
	if obj.Pkg() == c.pass.Pkg {
		if fact := c.fromC[obj]; fact != nil {
			return fact.CType, fact
		}
		return "", nil
	}
	var fact DefinedFromC
	if c.pass.ImportObjectFact(obj, &fact) {
		return fact.CType, &fact
	}
	return "", nil
}

// scalarOn returns the size and alignment of the scalar C type on target
// t, when the fact knows it.
func (f *DefinedFromC) scalarOn(t *checkutil.Target) (ScalarLayout, bool) {
	if f != nil {
		for _, l := range f.Scalar {
			if l.Target == t.String() {
				return l, true
			}
		}
	}
	return ScalarLayout{}, false
}
