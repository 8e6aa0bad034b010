package model

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Pins returns the calls of (*runtime.Pinner).Pin in the function.
func (m *Memory) Pins() []*Pin {
	m.collect()
	if m.pins == nil {
		m.pins = []*Pin{}
		for _, c := range m.pinCalls {
			p := &Pin{Call: c, Pinner: c.Call.Args[0]}
			for _, l := range m.locs(c.Call.Args[1], nil) {
				p.Sites = append(p.Sites, l.Site)
			}
			m.pins = append(m.pins, p)
		}
	}
	return m.pins
}

// collect lists the function's stores, copies, pins and the values it
// hands to code the view does not see, once. Their places are computed
// on demand: a place may depend on what other stores wrote.
func (m *Memory) collect() {
	if m.collected {
		return
	}
	m.collected = true
	for _, b := range m.f.Fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Store:
				m.rawStores = append(m.rawStores, in)
				if holdsMemory(in.Val.Type()) {
					m.storedVals = append(m.storedVals, in)
				}
			case *ssa.Return:
				m.escaping = append(m.escaping, in.Results...)
			case *ssa.Send:
				m.escaping = append(m.escaping, in.X)
			case *ssa.MapUpdate:
				m.escaping = append(m.escaping, in.Key, in.Value)
			case *ssa.MakeClosure:
				if fn, ok := in.Fn.(*ssa.Function); ok && IsCgoGenerated(fn) {
					continue
				}
				m.escaping = append(m.escaping, in.Bindings...)
			case ssa.CallInstruction:
				m.escaping = append(m.escaping, m.callEscapes(in)...)
			}
		}
	}
}

// computeEscapes marks the sites code the view does not see may write.
func (m *Memory) computeEscapes() {
	if m.escaped != nil {
		return
	}
	m.collect()
	m.escaped = map[*Site]bool{}
	vals := append([]ssa.Value(nil), m.escaping...)
	for _, st := range m.storedVals {
		if !m.localCell(st.Addr) {
			vals = append(vals, st.Val)
		}
	}
	for _, v := range vals {
		if v == nil || !holdsMemory(v.Type()) {
			continue
		}
		for _, l := range m.locs(v, nil) {
			m.escape(l.Site)
		}
	}
}

// escape marks a site, and everything stored in it, as reachable by code
// the view does not see.
func (m *Memory) escape(s *Site) {
	if m.escaped[s] {
		return
	}
	m.escaped[s] = true
	for _, st := range m.storesAt(Loc{s, ""}) {
		if st.val == nil || !holdsMemory(st.val.Type()) {
			continue
		}
		for _, l := range m.locs(st.val, nil) {
			m.escape(l.Site)
		}
	}
}

// localCell reports whether addr is a variable of the function that only
// the function (and cgo's wrappers) use, or a place inside memory the
// function allocated (whose own escape then covers it).
func (m *Memory) localCell(addr ssa.Value) bool {
	a, ok := addr.(*ssa.Alloc)
	if !ok {
		for _, l := range m.locs(addr, nil) {
			if !l.Site.Local {
				return false
			}
		}
		return true
	}
	return !m.f.exposed[a] || onlyWrappersBind(a)
}

func onlyWrappersBind(a *ssa.Alloc) bool {
	refs := a.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		if mc, ok := r.(*ssa.MakeClosure); ok {
			if fn, ok := mc.Fn.(*ssa.Function); !ok || !IsCgoGenerated(fn) {
				return false
			}
		}
	}
	return true
}

// callEscapes returns the values a call hands to code the view does not
// see. C calls, cgo's helpers, builtins that only read or copy, and the
// pinner are seen.
func (m *Memory) callEscapes(call ssa.CallInstruction) []ssa.Value {
	c := call.Common()
	if m.f.events[call] != nil {
		return nil
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append", "len", "cap", "copy", "print", "println", "Slice", "SliceData", "String", "StringData", "Add", "min", "max", "clear":
			if inst, ok := call.(*ssa.Call); ok && b.Name() == "copy" {
				m.copies = append(m.copies, inst)
			}
			if inst, ok := call.(*ssa.Call); ok && b.Name() == "append" {
				m.appends = append(m.appends, inst)
			}
			return nil
		}
		return c.Args
	}
	fn := c.StaticCallee()
	if fn != nil {
		if isCgoRuntimeHelper(fn) || isKeepAlive(fn) || IsCgoGenerated(fn) {
			return nil
		}
		if isPinnerMethod(fn, "Pin") {
			if inst, ok := call.(*ssa.Call); ok && len(c.Args) == 2 {
				m.pinCalls = append(m.pinCalls, inst)
			}
			return nil
		}
		if isPinnerMethod(fn, "Unpin") {
			return nil
		}
	}
	var out []ssa.Value
	if _, ok := c.Value.(*ssa.Function); !ok {
		out = append(out, c.Value)
	}
	return append(out, c.Args...)
}

// storesAt returns what was written at l or inside it: stores, copy()
// calls, and aggregate assignments *p = *q.
func (m *Memory) storesAt(l Loc) []storeRec {
	m.collect()
	var out []storeRec
	for _, st := range m.rawStores {
		for _, a := range m.locs(st.Addr, nil) {
			if a.Site != l.Site || !pathWithin(a.Path, l.Path) {
				continue
			}
			rec := storeRec{loc: a, val: st.Val, instr: st}
			if ld, ok := st.Val.(*ssa.UnOp); ok && ld.Op == token.MUL && isAggregate(st.Val.Type()) {
				rec.from = m.locs(ld.X, nil)
			}
			out = append(out, rec)
		}
	}
	for _, c := range m.appends {
		args := c.Call.Args
		if len(args) != 2 || isString(args[1].Type()) {
			continue
		}
		for _, a := range extend(m.locs(c, nil), "[]") {
			if a.Site != l.Site || !pathWithin(a.Path, l.Path) {
				continue
			}
			out = append(out, storeRec{loc: a, instr: c, from: extend(m.locs(args[1], nil), "[]")})
		}
	}
	for _, c := range m.copies {
		args := c.Call.Args
		if len(args) != 2 || isString(args[1].Type()) {
			continue
		}
		for _, a := range extend(m.locs(args[0], nil), "[]") {
			if a.Site != l.Site || !pathWithin(a.Path, l.Path) {
				continue
			}
			out = append(out, storeRec{loc: a, instr: c, from: extend(m.locs(args[1], nil), "[]")})
		}
	}
	return out
}

// pathWithin reports whether a place at path p lies inside (or may
// overlap) the place at prefix.
func pathWithin(p, prefix string) bool {
	if p == "*" || prefix == "*" {
		return true
	}
	return strings.HasPrefix(p, prefix)
}

// Escaped reports whether code the view does not see may write to s.
func (m *Memory) Escaped(s *Site) bool {
	m.computeEscapes()
	return !s.Local || m.escaped[s]
}

// GoPointersIn returns the Go pointers held in site s at path or inside
// it (path "" is the whole site). Pointers stored by the function are
// reported with their store; when code the view does not see may have
// written the memory, slots whose type always holds Go pointers when
// set (func, map, chan, interface, string, slice, and pointers to types
// declared in Go) are reported too.
func (m *Memory) GoPointersIn(s *Site, path string) []Held {
	seen := map[*Site]bool{}
	return m.goPointersIn(s, path, seen, 0)
}

func (m *Memory) goPointersIn(s *Site, path string, seen map[*Site]bool, depth int) []Held {
	if seen[s] || depth > 4 {
		return nil
	}
	seen[s] = true
	defer delete(seen, s)
	var out []Held
	for _, st := range m.storesAt(Loc{s, path}) {
		if st.val != nil && holdsMemory(st.val.Type()) {
			if t := m.GoTarget(st.val); t != nil {
				out = append(out, Held{Loc: st.loc, Slot: st.val.Type(), Value: st.val, Store: st.instr, Target: t})
			}
			continue
		}
		for _, src := range st.from {
			for _, h := range m.goPointersIn(src.Site, src.Path, seen, depth+1) {
				h.Loc = st.loc
				if h.Store == nil {
					h.Store = st.instr
				}
				out = append(out, h)
			}
		}
		if st.val != nil && len(st.from) == 0 && isAggregate(st.val.Type()) {
			if _, isConst := st.val.(*ssa.Const); !isConst {
				for _, slot := range goPointerSlots(m.f.res, st.val.Type(), st.loc.Path, 0) {
					out = append(out, Held{Loc: Loc{s, slot.path}, Slot: slot.t, Store: st.instr})
				}
			}
		}
	}
	if m.Escaped(s) && s.Region.IsGo() {
		if t := s.TypeAt(path); t != nil && path != "*" {
			for _, slot := range goPointerSlots(m.f.res, t, path, 0) {
				out = append(out, Held{Loc: Loc{s, slot.path}, Slot: slot.t})
			}
		}
	}
	return out
}

// GoTarget returns the Go memory a value points to, or nil when it is
// not a Go pointer or the view cannot tell. Constant strings and
// functions without captured variables live in read-only data, not in
// memory the Go collector manages, and are not Go pointers here.
func (m *Memory) GoTarget(v ssa.Value) *Site {
	if _, ok := v.(*ssa.Const); ok {
		return nil
	}
	if mi, ok := v.(*ssa.MakeInterface); ok {
		if !holdsMemory(mi.X.Type()) {
			return nil
		}
		return m.GoTarget(mi.X)
	}
	if !holdsMemory(v.Type()) {
		return nil
	}
	var goSite *Site
	for _, l := range m.locs(v, nil) {
		switch {
		case l.Site.Region.IsGo():
			if goSite == nil {
				goSite = l.Site
			}
		case l.Site.Region.IsC():
			return nil
		}
	}
	return goSite
}
