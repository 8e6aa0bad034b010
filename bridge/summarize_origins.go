package bridge

import (
	"slices"

	"modernc.org/cc/v4"
)

// An originKind says where a pointer value may come from.
type originKind uint8

const (
	oNull     originKind = iota // NULL, or a value that is not a pointer
	oParam                      // points into parameter param
	oReach                      // loaded from memory reachable from parameter param (-1: from a global)
	oOwned                      // memory from the allocating call site, family alloc
	oBorrowed                   // static storage: a global, a string literal, a borrowed result
	oLocal                      // the address of an automatic variable
	oUnknown                    // anything else
)

type origin struct {
	kind  originKind
	param int
	site  cc.Node
	alloc string // family, for oOwned
}

// An oset is a small set of origins.
type oset []origin

var (
	nullSet     = oset{{kind: oNull}}
	unknownSet  = oset{{kind: oUnknown}}
	borrowedSet = oset{{kind: oBorrowed}}
	localSet    = oset{{kind: oLocal}}
)

func (s oset) has(o origin) bool {
	return slices.Contains(s, o)
}

func (s oset) union(t oset) oset {
	var out oset
	for _, o := range t {
		if !s.has(o) && !out.has(o) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return s
	}
	return append(append(oset(nil), s...), out...)
}

// nonNull returns the origins other than oNull.
func (s oset) nonNull() oset {
	var out oset
	for _, o := range s {
		if o.kind != oNull {
			out = append(out, o)
		}
	}
	return out
}

// ambiguous reports whether the value may be more than one thing (NULL
// aside): then nothing done to it is certain to be done to any of them.
func (s oset) ambiguous() bool { return len(s.nonNull()) > 1 }

// onlyParam returns i when the value is parameter i (or NULL).
func (s oset) onlyParam() (int, bool) {
	nn := s.nonNull()
	if len(nn) == 1 && nn[0].kind == oParam {
		return nn[0].param, true
	}
	return -1, false
}

// pset is a set of parameter indices; parameters past 63 are never in it.
type pset uint64

func (p pset) has(i int) bool { return i >= 0 && i < 64 && p&(1<<uint(i)) != 0 }
func (p pset) with(i int) pset {
	if i >= 0 && i < 64 {
		return p | 1<<uint(i)
	}
	return p
}
