package bridge

import "sync"

var libcOnce = sync.OnceValue(func() *Knowledge {
	k := &Knowledge{funcs: map[string]*Summary{}}
	for _, e := range libcTable {
		s := e.summary()
		k.funcs[s.Name] = s
	}
	return k
})

// Libc returns the built-in knowledge table. It is shared and must not
// be modified.
func Libc() *Knowledge { return libcOnce() }

// A libcEntry is one row of the table, written compactly.
type libcEntry struct {
	name     string
	returns  *Allocator // result is owned memory of this family
	borrowed bool       // result points into library-owned memory
	retParam int        // result aliases this parameter (-1: none)
	frees    map[int]*Allocator
	borrows  []int // pointer parameters only read or written during the call
	keeps    []int
	out      map[int]*Allocator
	success  SuccessTest
	errno    Tristate
	errnoOn  bool // errno meaningful only on failure
	errnoSig bool // errno is the only error signal
}

func (e libcEntry) summary() *Summary {
	s := &Summary{
		Name: e.name, Known: true, Source: FromTable,
		ReturnsOwned: e.returns, ReturnsBorrowed: e.borrowed, ReturnsParam: e.retParam,
		OutOwned: e.out, Success: e.success, SetsErrno: e.errno,
		ErrnoOnFailure: e.errnoOn, ErrnoOnlySignal: e.errnoSig,
		Params: map[int]Effect{}, Deallocs: e.frees,
	}
	for i := range e.frees {
		s.Params[i] |= Frees
	}
	for _, i := range e.borrows {
		s.Params[i] |= Borrows
	}
	for _, i := range e.keeps {
		s.Params[i] |= Keeps
	}
	for i := range e.out {
		s.Params[i] |= Borrows
	}
	if e.retParam >= 0 {
		s.Params[e.retParam] |= Returned
	}
	return s
}

var (
	fileFamily     = &Allocator{Family: "FILE", Dealloc: "fclose"}
	dirFamily      = &Allocator{Family: "DIR", Dealloc: "closedir"}
	addrinfoFamily = &Allocator{Family: "addrinfo", Dealloc: "freeaddrinfo"}
)

// libcTable is the knowledge about the C library, as data. Parameter
// indices are 0-based.
var libcTable = []libcEntry{
	{name: "malloc", returns: MallocFamily, retParam: -1, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "calloc", returns: MallocFamily, retParam: -1, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "free", retParam: -1, frees: map[int]*Allocator{0: MallocFamily}, errno: No},
	{name: "strdup", returns: MallocFamily, retParam: -1, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "strlen", retParam: -1, borrows: []int{0}, errno: No},
	{name: "getenv", borrowed: true, retParam: -1, borrows: []int{0}, errno: No},
	{name: "strerror", borrowed: true, retParam: -1, errno: No},
	{name: "fopen", returns: fileFamily, retParam: -1, borrows: []int{0, 1}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "fclose", retParam: -1, frees: map[int]*Allocator{0: fileFamily}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "opendir", returns: dirFamily, retParam: -1, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "closedir", retParam: -1, frees: map[int]*Allocator{0: dirFamily}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "getaddrinfo", retParam: -1, borrows: []int{0, 1, 2}, out: map[int]*Allocator{3: addrinfoFamily}, success: SuccessZero, errno: No},
	{name: "freeaddrinfo", retParam: -1, frees: map[int]*Allocator{0: addrinfoFamily}, errno: No},
	{name: "strtol", retParam: -1, borrows: []int{0}, errno: Yes, errnoSig: true},
}
