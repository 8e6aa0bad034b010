package bridge

import (
	"path/filepath"
	"strings"

	"modernc.org/cc/v4"
)

// Layouts for other targets.
//
// A package is translated once, for the target ffivet runs for, with
// the host compiler's predefined macros and headers. Translating it again
// for another target would need that target's headers, which a host
// rarely has, and the host's glibc headers pick their typedefs by
// testing __x86_64__ and __WORDSIZE, so feeding them another target's
// macros gives wrong answers (uintptr_t becomes 4 bytes on arm64).
// LayoutFor therefore lays out the types of the host translation with
// the target ABI's scalar sizes and alignments, which is exact for what
// a cgo package defines itself in terms of C's types and the fixed-width
// typedefs, and refuses (Size -1) what it cannot know:
//
//   - a typedef or record defined outside the package's own directory
//     (system and library headers), when the target's word sizes differ
//     from the host's: those headers may define it differently there;
//     the fixed-width and pointer-sized typedefs (int32_t, size_t,
//     uintptr_t, ...) are known by name instead;
//   - records with bit fields on Windows, where GCC uses the Microsoft
//     bit-field layout;
//   - __int128 where the target has none.
//
// What the package's own headers select with #ifdef _WIN32, __LP64__ or
// a sizeof macro is seen as the host's preprocessor saw it.

// LayoutFor returns the layout of the C type named cname (spelled as for
// Layout) on the target goos/goarch. For the target the package was
// translated for, and targets with the same C scalar sizes and
// alignments, it is Layout's answer.
func (p *Package) LayoutFor(cname, goos, goarch string) (*Layout, bool) {
	if p == nil {
		return nil, false
	}
	host := p.abi()
	if host == nil {
		return nil, false
	}
	m := newTargetModel(p, host, goos, goarch)
	if m == nil {
		// Not a target cc/v4 knows: nothing can be said.
		return nil, false
	}
	if m.same {
		return p.Layout(cname)
	}
	name := normalizeCName(cname)
	if name == "" {
		return nil, false
	}
	l := newLayouter(p.Units)
	l.target = m
	if td := p.Types[name]; td != nil && td.Type != nil {
		return l.top(name, td.Type), true
	}
	if t := p.scopeType(name); t != nil {
		return l.top(name, t), true
	}
	if base, ok := strings.CutSuffix(name, "*"); ok {
		if !p.knowsPointee(base) {
			return nil, false
		}
		at := m.abi.Types[cc.Ptr]
		return &Layout{Name: name, Kind: cc.Ptr, Size: at.Size, Align: at.FieldAlign}, true
	}
	if k, ok := basicKind(name); ok {
		if k == cc.Void {
			return &Layout{Name: name, Kind: k, Size: -1}, true
		}
		if at, ok := m.abi.Types[k]; ok {
			return &Layout{Name: name, Kind: k, Size: at.Size, Align: at.FieldAlign}, true
		}
		return &Layout{Name: name, Kind: k, Size: -1}, true
	}
	return nil, false
}

// SameCModel reports whether C's scalar types have the same sizes and
// alignments on the two targets, so that every layout agrees. It is false
// when either target is unknown to cc/v4.
func SameCModel(goos1, goarch1, goos2, goarch2 string) bool {
	a, err := cc.NewABI(goos1, goarch1)
	if err != nil {
		return false
	}
	b, err := cc.NewABI(goos2, goarch2)
	if err != nil {
		return false
	}
	return sameScalars(a, b, modelKinds) && msBitfields(goos1) == msBitfields(goos2)
}

// modelKinds are the scalar kinds whose sizes make up a data model.
var modelKinds = []cc.Kind{
	cc.Bool, cc.Char, cc.SChar, cc.UChar, cc.Short, cc.UShort, cc.Int, cc.UInt,
	cc.Long, cc.ULong, cc.LongLong, cc.ULongLong, cc.Float, cc.Double,
	cc.LongDouble, cc.Ptr, cc.Enum, cc.Int128, cc.UInt128,
}

// wordKinds decide which branches headers take: __WORDSIZE, __LP64__.
var wordKinds = []cc.Kind{cc.Long, cc.ULong, cc.Ptr, cc.LongLong}

func sameScalars(a, b *cc.ABI, kinds []cc.Kind) bool {
	for _, k := range kinds {
		x, okx := a.Types[k]
		y, oky := b.Types[k]
		if okx != oky || x.Size != y.Size || x.FieldAlign != y.FieldAlign {
			return false
		}
	}
	return true
}

// msBitfields reports whether GCC lays bit fields out the Microsoft way
// on goos (-mms-bitfields is the default for MinGW).
func msBitfields(goos string) bool { return goos == "windows" }

// A targetModel is what the layouter needs to lay a host translation out
// for another target.
type targetModel struct {
	goos, goarch string
	abi          *cc.ABI
	same         bool // every scalar agrees with the host's
	sameWords    bool // headers select the same typedefs as for the host
	local        []string
	typedefs     map[string]typedefLink
}

// A typedefLink is what a typedef name is defined as, when that is
// another typedef name (typedef uint64_t my_u64;), and where.
type typedefLink struct {
	next string // "" when defined by a builtin type or a derived one
	file string
}

func newTargetModel(p *Package, host *cc.ABI, goos, goarch string) *targetModel {
	abi, err := cc.NewABI(goos, goarch)
	if err != nil {
		return nil
	}
	m := &targetModel{goos: goos, goarch: goarch, abi: abi}
	m.sameWords = sameScalars(host, abi, wordKinds)
	m.same = sameScalars(host, abi, modelKinds) && !msBitfields(goos)
	if p.Dir != "" {
		m.local = append([]string{p.Dir}, p.localIncludeDirs()...)
	}
	m.typedefs = p.typedefLinks()
	return m
}

func (p *Package) localIncludeDirs() []string {
	if p.Flags == nil {
		return nil
	}
	return localDirs(p.Dir, p.Flags.IncludeDirs)
}

// typedefLinks maps each file-scope typedef name to the typedef name it
// is defined as, if any, so that a chain such as my_u64 -> uint64_t ->
// __uint64_t can be followed to a name whose size is known on every
// target. cc/v4's types keep only the outermost name. collectDecl fills
// it while it walks the declarations anyway.
func (p *Package) typedefLinks() map[string]typedefLink { return p.typedefs }

// isLocal reports whether a C position lies in the package's own files,
// whose definitions are the same on every target up to the preprocessor
// branches they choose.
func (m *targetModel) isLocal(file string) bool {
	switch file {
	case prologName, exportHeaderName, "":
		return true
	}
	if strings.HasSuffix(file, ".go") {
		return true
	}
	file = filepath.Clean(file)
	for _, d := range m.local {
		if rel, err := filepath.Rel(d, file); err == nil && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}

// fixedTypedef returns the size of a typedef name whose size is the same
// function of the target everywhere: the fixed-width integers, the
// pointer-sized ones, wchar_t, and cgo's Go types.
func (m *targetModel) fixedTypedef(name string) (size int64, ok bool) {
	ptr := m.abi.Types[cc.Ptr].Size
	n := strings.TrimLeft(name, "_")
	switch n {
	case "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t", "intgo", "GoUintptr", "SIZE_TYPE", "PTRDIFF_TYPE":
		return ptr, true
	case "GoInt", "GoUint":
		// cgo's GoInt is Go's int, which is pointer-sized on every
		// target Go supports.
		return ptr, true
	case "wchar_t":
		if m.goos == "windows" {
			return 2, true
		}
		return 4, true
	case "char16_t":
		return 2, true
	case "char32_t":
		return 4, true
	case "GoInt8", "GoUint8", "GoBool":
		return 1, true
	case "GoInt16", "GoUint16":
		return 2, true
	case "GoInt32", "GoUint32", "GoFloat32":
		return 4, true
	case "GoInt64", "GoUint64", "GoFloat64":
		return 8, true
	}
	for _, prefix := range []string{"int", "uint", "u_int", "int_least", "uint_least"} {
		rest, ok := strings.CutPrefix(n, prefix)
		if !ok {
			continue
		}
		switch rest {
		case "8_t":
			return 1, true
		case "16_t":
			return 2, true
		case "32_t":
			return 4, true
		case "64_t":
			return 8, true
		}
	}
	return 0, false
}

// scalar returns the size and field alignment of a scalar type on the
// target: t is a type of the host translation whose host size and
// alignment are hostSize and hostAlign.
func (m *targetModel) scalar(t cc.Type, hostSize int64, hostAlign int) (int64, int) {
	k := t.Kind()
	if t.VectorSize() > 0 {
		// Vector types have the size they are declared with.
		return hostSize, hostAlign
	}
	if k == cc.Ptr || k == cc.Function {
		at := m.abi.Types[cc.Ptr]
		return at.Size, at.FieldAlign
	}
	trusted := true
	if d := t.Typedef(); d != nil {
		name := d.Name()
		file := d.Position().Filename
		for i := 0; name != "" && i < 64; i++ {
			if size, ok := m.fixedTypedef(name); ok {
				align := int(size)
				// A 64-bit integer has the field alignment of long
				// long, which is 4 on 386.
				if at, ok := m.abi.Types[cc.LongLong]; ok && size == at.Size {
					align = at.FieldAlign
				}
				return size, align
			}
			if !m.isLocal(file) {
				trusted = false
			}
			link, ok := m.typedefs[name]
			if !ok {
				break
			}
			name, file = link.next, link.file
			if name != "" {
				if l2, ok := m.typedefs[name]; ok {
					file = l2.file
				}
			}
		}
	}
	if !trusted && !m.sameWords {
		return -1, 1
	}
	at, ok := m.abi.Types[k]
	if !ok || at.Size <= 0 {
		return -1, 1
	}
	return at.Size, at.FieldAlign
}

// recordKnown reports whether a record can be laid out for the target:
// its members are declared in the package's own files (or the targets
// agree on word sizes), and it has no bit fields where the target lays
// them out differently.
func (m *targetModel) recordKnown(fields []*cc.Field) bool {
	for _, f := range fields {
		if f.IsBitfield() && msBitfields(m.goos) {
			return false
		}
		if d := f.Declarator(); d != nil && !m.sameWords && !m.isLocal(d.Position().Filename) {
			return false
		}
	}
	return true
}

// TypeLayoutFor lays out a type of the package's translation (a
// parameter's, a field's) for the target goos/goarch; an empty goos
// means the target the package was translated for. It returns nil for a
// target cc/v4 does not know.
func (p *Package) TypeLayoutFor(t cc.Type, goos, goarch string) *Layout {
	if p == nil || t == nil {
		return nil
	}
	l := newLayouter(p.Units)
	if host := p.abi(); host != nil && goos != "" {
		m := newTargetModel(p, host, goos, goarch)
		if m == nil {
			return nil
		}
		if !m.same {
			l.target = m
		}
	}
	return l.top(cTypeSpelling(t), t)
}
