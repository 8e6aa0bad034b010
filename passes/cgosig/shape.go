package cgosig

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/internal/checkutil"
	"modernc.org/cc/v4"
)

// A shape is the memory layout of a Go or C type, flattened to the
// pieces two layouts must agree on.
type shape struct {
	size, align int64
	kind        shapeKind
	leaves      []leaf  // in offset order
	fields      []field // top-level members, for messages
	spelling    string  // how the user spells the type
}

type shapeKind uint8

const (
	shapeScalar shapeKind = iota // integer, float, pointer
	shapeFloat
	shapeRecord // struct or union, or a Go type made of several words
	shapeArray
)

// A leaf is a scalar, or a run of bytes whose inside does not matter.
type leaf struct {
	off, size int64
	blob      bool // opaque bytes: a byte array, a union, bit fields, Go padding fields
	path      string
}

// A field is a top-level member, named as its type declares it.
type field struct {
	name      string
	off, size int64
	typ       string
}

// maxLeaves bounds how far arrays are expanded element by element; past
// it an array is compared as opaque bytes, which can only hide
// differences.
const maxLeaves = 1 << 14

type shapeKey struct {
	t  types.Type
	tg *checkutil.Target
}

// goShape lays a Go type out for target t. Fields of cgo's C types take
// the C layout of that target, because cgo gives them the Go type that
// matches C there (C.long is int32 on 386). It returns nil when a part
// of the type has no known layout.
func (c *checker) goShape(typ types.Type, t *checkutil.Target) *shape {
	key := shapeKey{typ, t}
	if s, ok := c.gshape[key]; ok {
		return s
	}
	b := &shapeBuilder{c: c, t: t}
	s := &shape{spelling: checkutil.TypeString(typ, c.pass.Pkg)}
	size, align, kind, ok := b.goType(typ, 0, "", 0)
	if !ok || b.overflow {
		s = nil
	} else {
		s.size, s.align, s.kind, s.leaves, s.fields = size, align, kind, b.leaves, b.fields
	}
	c.gshape[key] = s
	return s
}

// cShape flattens a C layout.
func (c *checker) cShape(l *bridge.Layout) *shape {
	if l == nil || l.Size < 0 {
		return nil
	}
	b := &shapeBuilder{c: c}
	s := &shape{size: l.Size, align: int64(l.Align), spelling: "C " + l.Name}
	switch l.Kind {
	case cc.Struct:
		s.kind = shapeRecord
		b.cRecord(l, 0, "", true)
		for _, f := range l.Fields {
			if f.BitField || f.Flexible {
				continue
			}
			name := f.Name
			if f.Anonymous {
				name = "<anonymous>"
			}
			s.fields = append(s.fields, field{name: name, off: f.Offset, size: f.Size, typ: f.Type})
		}
	case cc.Union:
		s.kind = shapeRecord
		b.add(leaf{off: 0, size: l.Size, blob: true})
	case cc.Array:
		s.kind = shapeArray
		b.cArray(l.Name, l.Size, 0, "")
	default:
		s.kind = scalarKind(l.Kind)
		b.add(leaf{off: 0, size: l.Size})
	}
	if b.overflow {
		return nil
	}
	s.leaves = b.leaves
	return s
}

func scalarKind(k cc.Kind) shapeKind {
	switch k {
	case cc.Float, cc.Double, cc.LongDouble, cc.Float32, cc.Float64, cc.Float32x, cc.Float64x, cc.Float128:
		return shapeFloat
	}
	return shapeScalar
}

type shapeBuilder struct {
	c        *checker
	t        *checkutil.Target
	leaves   []leaf
	fields   []field
	overflow bool
}

func (b *shapeBuilder) add(l leaf) {
	if len(b.leaves) >= maxLeaves {
		b.overflow = true
		return
	}
	b.leaves = append(b.leaves, l)
}

// goType appends the leaves of typ placed at off and returns its size
// and alignment.
func (b *shapeBuilder) goType(typ types.Type, off int64, path string, depth int) (size, align int64, kind shapeKind, ok bool) {
	if depth > 64 || b.overflow {
		return 0, 0, 0, false
	}
	name := checkutil.CTypeName(typ)
	var fact *DefinedFromC
	if name == "" {
		// A type defined from a C type is laid out as C lays it out on
		// the target, not as its underlying Go type for the host.
		name, fact = b.c.definedFrom(typ)
	}
	if sl, ok := fact.scalarOn(b.t); ok {
		b.add(leaf{off: off, size: sl.Size, path: path})
		align := min(sl.Align, b.t.Sizes.Alignof(types.Typ[types.Int64]))
		kind := shapeScalar
		if b, ok := typ.Underlying().(*types.Basic); ok && b.Info()&types.IsFloat != 0 {
			kind = shapeFloat
		}
		return sl.Size, max(align, 1), kind, true
	}
	if name != "" {
		l := b.c.layouts.Of(name, b.t)
		if l == nil {
			return 0, 0, 0, false
		}
		s := b.c.cShape(l)
		if s == nil {
			return 0, 0, 0, false
		}
		for _, lf := range s.leaves {
			lf.off += off
			lf.path = joinPath(path, lf.path)
			b.add(lf)
		}
		// A Go field of a C type is aligned as Go aligns the type cgo
		// generated, which never exceeds Go's own maximum alignment.
		align := min(int64(l.Align), b.t.Sizes.Alignof(types.Typ[types.Int64]))
		return l.Size, max(align, 1), s.kind, true
	}
	sizes := b.t.Sizes
	word := sizes.Sizeof(types.Typ[types.Uintptr])
	switch u := typ.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.UntypedNil || u.Info()&types.IsUntyped != 0 {
			return 0, 0, 0, false
		}
		size, align := sizes.Sizeof(u), sizes.Alignof(u)
		if u.Kind() == types.String {
			b.add(leaf{off: off, size: word, path: path})
			b.add(leaf{off: off + word, size: word, path: path})
			return size, align, shapeRecord, true
		}
		b.add(leaf{off: off, size: size, path: path})
		kind := shapeScalar
		if u.Info()&types.IsFloat != 0 {
			kind = shapeFloat
		}
		if u.Info()&types.IsComplex != 0 {
			kind = shapeRecord
		}
		return size, align, kind, true
	case *types.Pointer, *types.Map, *types.Chan, *types.Signature:
		b.add(leaf{off: off, size: word, path: path})
		return word, word, shapeScalar, true
	case *types.Slice, *types.Interface:
		n := sizes.Sizeof(u) / word
		for i := range n {
			b.add(leaf{off: off + i*word, size: word, path: path})
		}
		return n * word, word, shapeRecord, true
	case *types.Array:
		if isByteLike(u.Elem()) {
			b.add(leaf{off: off, size: u.Len(), blob: true, path: path})
			return u.Len(), 1, shapeArray, true
		}
		var esize, ealign int64
		for i := int64(0); i < max(u.Len(), 1); i++ {
			if u.Len() == 0 {
				// Measure the element without placing it.
				sub := &shapeBuilder{c: b.c, t: b.t}
				s, a, _, ok := sub.goType(u.Elem(), 0, "", depth+1)
				if !ok {
					return 0, 0, 0, false
				}
				return 0, a, shapeArray, s >= 0
			}
			s, a, _, ok := b.goType(u.Elem(), off+i*esize, fmt.Sprintf("%s[%d]", path, i), depth+1)
			if !ok {
				return 0, 0, 0, false
			}
			esize, ealign = s, a
			if b.overflow {
				return 0, 0, 0, false
			}
		}
		return esize * u.Len(), ealign, shapeArray, true
	case *types.Struct:
		var cur, maxAlign int64 = 0, 1
		top := depth == 0
		for i := range u.NumFields() {
			f := u.Field(i)
			sub := &shapeBuilder{c: b.c, t: b.t}
			fsize, falign, _, ok := sub.goType(f.Type(), 0, "", depth+1)
			if !ok || sub.overflow {
				return 0, 0, 0, false
			}
			cur = roundUp(cur, falign)
			maxAlign = max(maxAlign, falign)
			fpath := joinPath(path, f.Name())
			if f.Name() == "_" {
				// Explicit padding: its bytes are not read.
				if fsize > 0 {
					b.add(leaf{off: off + cur, size: fsize, blob: true, path: fpath})
				}
			} else {
				for _, lf := range sub.leaves {
					lf.off += off + cur
					lf.path = joinPath(fpath, lf.path)
					b.add(lf)
				}
				if top {
					b.fields = append(b.fields, field{name: f.Name(), off: cur, size: fsize, typ: checkutil.TypeString(f.Type(), b.c.pass.Pkg)})
				}
			}
			cur += fsize
			if i == u.NumFields()-1 && fsize == 0 && cur > 0 {
				// gc pads a struct that ends in a zero-size field, so
				// that a pointer to it cannot point past the struct.
				cur++
			}
		}
		return roundUp(cur, maxAlign), maxAlign, shapeRecord, true
	}
	return 0, 0, 0, false
}

// isByteLike reports whether a Go element type is raw bytes: byte,
// int8, and cgo's char types.
func isByteLike(t types.Type) bool {
	switch checkutil.CTypeName(t) {
	case "char", "signed char", "unsigned char", "uint8_t", "int8_t":
		return true
	case "":
	default:
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && (b.Kind() == types.Uint8 || b.Kind() == types.Int8)
}

// cRecord appends the leaves of a struct layout.
func (b *shapeBuilder) cRecord(l *bridge.Layout, off int64, path string, top bool) {
	for i := 0; i < len(l.Fields); i++ {
		f := l.Fields[i]
		fpath := joinPath(path, f.Name)
		switch {
		case f.Flexible:
			continue
		case f.BitField:
			// A run of bit fields is compared as the bytes it spans, up
			// to the next member.
			start := f.Offset
			j := i
			for j+1 < len(l.Fields) && l.Fields[j+1].BitField {
				j++
			}
			end := l.Size
			if j+1 < len(l.Fields) {
				end = l.Fields[j+1].Offset
			}
			if end > start {
				b.add(leaf{off: off + start, size: end - start, blob: true, path: fpath})
			}
			i = j
		case f.Record != nil && f.Record.Kind == cc.Union:
			b.add(leaf{off: off + f.Offset, size: f.Size, blob: true, path: fpath})
		case f.Record != nil:
			if f.Record.Size < 0 {
				b.add(leaf{off: off + f.Offset, size: f.Size, blob: true, path: fpath})
				continue
			}
			b.cRecord(f.Record, off+f.Offset, fpath, false)
		case f.Kind == cc.Array:
			b.cArray(f.Type, f.Size, off+f.Offset, fpath)
		default:
			b.add(leaf{off: off + f.Offset, size: f.Size, path: fpath})
		}
	}
}

// cArray appends the leaves of a C array of the given spelling and size.
// The element size comes from the dimensions in the spelling; arrays of
// bytes, of records and of typedef'd arrays are opaque.
func (b *shapeBuilder) cArray(spelling string, size, off int64, path string) {
	elem, n, ok := arrayDims(spelling)
	if !ok || n <= 0 || size%n != 0 || isByteSpelling(elem) || strings.HasPrefix(elem, "struct ") || strings.HasPrefix(elem, "union ") {
		if size > 0 {
			b.add(leaf{off: off, size: size, blob: true, path: path})
		}
		return
	}
	esize := size / n
	if n > maxLeaves {
		b.add(leaf{off: off, size: size, blob: true, path: path})
		return
	}
	for i := range n {
		b.add(leaf{off: off + i*esize, size: esize, path: fmt.Sprintf("%s[%d]", path, i)})
	}
}

// arrayDims splits "short[3][5]" into "short" and 15.
func arrayDims(s string) (elem string, n int64, ok bool) {
	i := strings.IndexByte(s, '[')
	if i < 0 || strings.Contains(s, "(") {
		return "", 0, false
	}
	elem = strings.TrimSpace(s[:i])
	n = 1
	for rest := s[i:]; rest != ""; {
		if rest[0] != '[' {
			return "", 0, false
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return "", 0, false
		}
		d, err := strconv.ParseInt(rest[1:j], 10, 64)
		if err != nil || d < 0 {
			return "", 0, false
		}
		n *= d
		rest = rest[j+1:]
	}
	return elem, n, true
}

func isByteSpelling(s string) bool {
	switch strings.TrimPrefix(strings.TrimPrefix(s, "const "), "volatile ") {
	case "char", "signed char", "unsigned char", "uint8_t", "int8_t":
		return true
	}
	return false
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "["):
		return a + b
	}
	return a + "." + b
}

func roundUp(n, to int64) int64 {
	if to <= 1 {
		return n
	}
	return (n + to - 1) / to * to
}

// A mismatch says where two record layouts first disagree.
type mismatch struct {
	goLeaf, cLeaf *leaf // either may be nil: padding on that side
}

// compareLeaves checks that every Go scalar meets a C scalar of the same
// offset and size or lies inside C opaque bytes, and that no edge of Go
// opaque bytes falls inside a C scalar. A C scalar in Go's padding is
// allowed: the Go side never reads it.
func compareLeaves(g, c []leaf) *mismatch {
	for i := range g {
		gl := &g[i]
		if gl.blob {
			for j := range c {
				cl := &c[j]
				if cl.blob {
					continue
				}
				if inside(gl.off, cl) || inside(gl.off+gl.size, cl) {
					return &mismatch{gl, cl}
				}
			}
			continue
		}
		var over *leaf
		matched := false
		for j := range c {
			cl := &c[j]
			if cl.off >= gl.off+gl.size || cl.off+cl.size <= gl.off {
				continue
			}
			if cl.blob {
				if cl.off <= gl.off && gl.off+gl.size <= cl.off+cl.size {
					matched = true
					break
				}
			} else if cl.off == gl.off && cl.size == gl.size {
				matched = true
				break
			}
			if over == nil {
				over = cl
			}
		}
		if !matched {
			return &mismatch{gl, over}
		}
	}
	return nil
}

// inside reports whether offset x falls strictly inside leaf l.
func inside(x int64, l *leaf) bool { return l.off < x && x < l.off+l.size }
