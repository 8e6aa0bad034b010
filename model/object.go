package model

import (
	"fmt"
	"go/token"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// A Region says where memory lives and who may release it.
type Region uint8

const (
	RegionUnknown   Region = iota
	RegionGoHeap           // allocated by Go (new, make, &T{}, escaping locals)
	RegionGoStack          // a Go local whose address does not escape
	RegionCHeap            // C memory owned by whoever holds it, released by its Allocator
	RegionCBorrowed        // C memory a library owns (getenv, strerror); never freed by the caller
	RegionCStatic          // C globals and string literals
)

func (r Region) String() string {
	switch r {
	case RegionGoHeap:
		return "Go heap"
	case RegionGoStack:
		return "Go stack"
	case RegionCHeap:
		return "C heap"
	case RegionCBorrowed:
		return "C (library-owned)"
	case RegionCStatic:
		return "C static"
	}
	return "unknown"
}

// IsGo reports whether the region is Go memory.
func (r Region) IsGo() bool { return r == RegionGoHeap || r == RegionGoStack }

// IsC reports whether the region is C memory.
func (r Region) IsC() bool { return r == RegionCHeap || r == RegionCBorrowed || r == RegionCStatic }

// An OriginKind says how an Object came to be tracked.
type OriginKind uint8

const (
	FromAllocation OriginKind = iota // a call that returns owned memory
	FromOutParam                     // memory stored through a T** argument
	FromParam                        // the value of a parameter at entry (summaries)
	FromFreeVar                      // the content of a captured variable at entry (summaries)
	FromField                        // the content of a field of a struct parameter at entry (summaries)
)

// summarized reports whether the object is what a function is given
// (summaries), rather than memory it obtains.
func (k OriginKind) summarized() bool { return k == FromParam || k == FromFreeVar || k == FromField }

// An Object is one abstract piece of memory shared by Go and C.
type Object struct {
	Region Region
	Alloc  *bridge.Allocator // for RegionCHeap: who must release it
	Kind   OriginKind
	// Site is the instruction that created it (the allocating call, or
	// the call that filled an out-parameter).
	Site ssa.Instruction
	Pos  token.Pos // where to point a user at: the call as they wrote it
	What string    // what created it, as the user wrote it: "C.CString", "newCName"
	// Value is the SSA value that holds the object right after Site, or
	// nil when it arrives through a cell (out-parameters).
	Value ssa.Value
	// Cell holds the object after Site for FromOutParam, and at entry
	// for FromFreeVar and FromField.
	Cell ssa.Value
	// Guard is the result whose test tells whether the allocation
	// happened (out-parameters of getaddrinfo-like functions), with the
	// test that means success.
	Guard   ssa.Value
	Success bridge.SuccessTest
	// MayBeNil is set when the allocator can return NULL (malloc) so a
	// nil test ends the path; cgo's C.CString and C.CBytes never return
	// NULL (they abort).
	MayBeNil bool
	// Index is the parameter or free-variable index for summaries.
	Index int
	// Field is the field index for FromField.
	Field int
}

func (o *Object) String() string {
	return fmt.Sprintf("%s object from %s (%s)", o.Region, o.What, o.Alloc)
}
