package bridge

import (
	"fmt"
	"go/constant"
	"go/token"
	"math"
	"sort"
	"strings"
)

// A Tristate is an answer that may be unknown.
type Tristate int8

const (
	Unknown Tristate = iota
	No
	Yes
)

func (t Tristate) String() string {
	switch t {
	case No:
		return "no"
	case Yes:
		return "yes"
	}
	return "unknown"
}

// An Effect is what a C function does with a pointer parameter.
type Effect uint8

const (
	// Borrows: the function reads or writes through the pointer during the
	// call but neither frees it nor keeps it after returning. Only set
	// when that is known; a Summary with Known false says nothing.
	Borrows Effect = 1 << iota
	// Frees: the function frees the pointer (on every path that returns).
	Frees
	// MayFree: the function frees the pointer on some paths.
	MayFree
	// Keeps: the pointer is stored where it outlives the call (a global
	// or static, heap memory reachable after return, a struct the caller
	// passed), so whoever owns it must keep it alive; the callee does not
	// free it.
	Keeps
	// Takes: ownership moves to the callee or the library (it will free
	// it later): a clang ownership_takes/holds, an ffivet:takes
	// annotation, or a store into a structure the library frees.
	Takes
	// Returned: the function returns the pointer (or a pointer into it).
	Returned
	// EffectUnknown: the pointer reaches code ffivet cannot see.
	EffectUnknown
)

func (e Effect) String() string {
	if e == 0 {
		return "none"
	}
	var parts []string
	for _, x := range []struct {
		bit  Effect
		name string
	}{{Borrows, "borrows"}, {Frees, "frees"}, {MayFree, "may-free"}, {Keeps, "keeps"}, {Takes, "takes"}, {Returned, "returned"}, {EffectUnknown, "unknown"}} {
		if e&x.bit != 0 {
			parts = append(parts, x.name)
		}
	}
	return strings.Join(parts, "|")
}

// An Allocator names an allocation family: memory from Family must be
// released with Dealloc. The family of malloc is "malloc" with Dealloc
// "free".
type Allocator struct {
	Family  string // "malloc", "sqlite3", "FILE", "DIR", "addrinfo", ...
	Dealloc string // the function that releases it: "free", "sqlite3_free", "fclose", ...
}

func (a *Allocator) String() string {
	if a == nil {
		return "<nil>"
	}
	return a.Family + "/" + a.Dealloc
}

// MallocFamily is the allocator behind C.malloc, C.CString and C.CBytes.
var MallocFamily = &Allocator{Family: "malloc", Dealloc: "free"}

// A SuccessTest says how a function's result tells success, for
// functions whose out-parameters or errno are meaningful only on one
// outcome.
type SuccessTest int8

const (
	SuccessUnknown   SuccessTest = iota
	SuccessNonNull               // a pointer result is non-NULL on success
	SuccessZero                  // 0 on success (getaddrinfo, posix_memalign, pthread_*)
	SuccessNonNeg                // >= 0 on success (open, read, asprintf)
	SuccessNotMinus1             // != -1 on success
	// SuccessNilError is the test of Go helpers returning (T, error):
	// the error is nil on success, and the T exists only then.
	SuccessNilError
)

func (s SuccessTest) String() string {
	names := [...]string{"unknown", "non-null", "zero", "non-negative", "not -1", "nil error"}
	if s < 0 || int(s) >= len(names) {
		return fmt.Sprintf("SuccessTest(%d)", s)
	}
	return names[s]
}

// A Verdict is what a test of a function's result says about the call.
type Verdict uint8

const (
	SaysUnknown Verdict = iota // the test does not tell
	SaysSuccess                // every result that passes the test means success
	SaysFailure                // every result that passes the test means failure
)

func (v Verdict) String() string {
	return [...]string{"unknown", "success", "failure"}[v]
}

// Branch tells what the branch of `result op k` that is taken (taken
// true: the comparison holds; false: it does not) says about the call.
// The result is the left operand; op is one of == != < <= > >=; k is
// the constant compared with, nil for the nil pointer. unsigned is set
// when the result has an unsigned Go type, which is never negative, so
// that "< 0" and "== -1" do not mean what they say. The answer is exact:
// success when every value of the branch is a success value, failure
// when every one is a failure value, unknown otherwise.
func (s SuccessTest) Branch(op token.Token, k constant.Value, taken, unsigned bool) Verdict {
	if !taken {
		op = NegateComparison(op)
	}
	if k == nil || k.Kind() == constant.Unknown {
		// nil: only pointers and errors compare with it.
		var success token.Token // the comparison with nil that means success
		switch s {
		case SuccessNonNull:
			success = token.NEQ
		case SuccessNilError:
			success = token.EQL
		default:
			return SaysUnknown
		}
		switch op {
		case success:
			return SaysSuccess
		case NegateComparison(success):
			return SaysFailure
		}
		return SaysUnknown
	}
	if s == SuccessNonNull || s == SuccessNilError || k.Kind() != constant.Int {
		return SaysUnknown
	}
	c, exact := constant.Int64Val(k)
	if !exact || unsigned && s != SuccessZero {
		return SaysUnknown
	}
	if op == token.NEQ {
		// Every value but c.
		switch {
		case s == SuccessNotMinus1 && c == -1:
			return SaysSuccess
		case s == SuccessZero && c == 0:
			return SaysFailure
		}
		return SaysUnknown
	}
	// The branch as the interval [lo, hi].
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch op {
	case token.EQL:
		lo, hi = c, c
	case token.LSS:
		if c == math.MinInt64 {
			return SaysUnknown
		}
		hi = c - 1
	case token.LEQ:
		hi = c
	case token.GTR:
		if c == math.MaxInt64 {
			return SaysUnknown
		}
		lo = c + 1
	case token.GEQ:
		lo = c
	default:
		return SaysUnknown
	}
	switch s {
	case SuccessNonNeg:
		if lo >= 0 {
			return SaysSuccess
		}
		if hi < 0 {
			return SaysFailure
		}
	case SuccessZero:
		if lo == 0 && hi == 0 {
			return SaysSuccess
		}
		if lo > 0 || hi < 0 {
			return SaysFailure
		}
	case SuccessNotMinus1:
		if lo > -1 || hi < -1 {
			return SaysSuccess
		}
		if lo == -1 && hi == -1 {
			return SaysFailure
		}
	}
	return SaysUnknown
}

// NegateComparison returns the comparison that holds exactly when op
// does not, or token.ILLEGAL for anything but a comparison.
func NegateComparison(op token.Token) token.Token {
	negated, _ := comparison(op)
	return negated
}

// SwapComparison returns the comparison of the same operands swapped
// (x < y is y > x), or token.ILLEGAL for anything but a comparison.
func SwapComparison(op token.Token) token.Token {
	_, swapped := comparison(op)
	return swapped
}

func comparison(op token.Token) (negated, swapped token.Token) {
	switch op {
	case token.EQL:
		return token.NEQ, token.EQL
	case token.NEQ:
		return token.EQL, token.NEQ
	case token.LSS:
		return token.GEQ, token.GTR
	case token.LEQ:
		return token.GTR, token.GEQ
	case token.GTR:
		return token.LEQ, token.LSS
	case token.GEQ:
		return token.LSS, token.LEQ
	}
	return token.ILLEGAL, token.ILLEGAL
}

// A Source says where a summary came from.
type Source int8

const (
	FromNothing    Source = iota // unknown function
	FromBody                     // the C body in the preamble or a .c file
	FromTable                    // the libc knowledge table
	FromAnnotation               // an ffivet: annotation or the config file
	FromAttributes               // GNU/clang attributes on the declaration
	FromConvention               // the callback-context convention of a bodiless declaration
)

func (s Source) String() string {
	return [...]string{"unknown", "C body", "knowledge table", "annotation", "attributes", "convention"}[s]
}

// A Summary is what a C function does at the boundary, as far as ffivet
// can tell. The zero Summary (Known false) means nothing is known and
// callers must stay conservative.
type Summary struct {
	Name   string
	Known  bool
	Source Source

	// ReturnsOwned is set when the result is memory the caller must
	// release with ReturnsOwned.Dealloc.
	ReturnsOwned *Allocator
	// ReturnsBorrowed is set when the result points to memory the callee
	// or library owns (getenv, strerror): the caller must not free it.
	ReturnsBorrowed bool
	// ReturnsParam is the index of a parameter the result aliases, or -1.
	ReturnsParam int
	// OutOwned maps a T** parameter index to the allocator of the memory
	// stored through it (getaddrinfo's 4th, asprintf's 1st).
	OutOwned map[int]*Allocator
	// Success tells which results mean success, for OutOwned and errno.
	Success SuccessTest

	// Params holds the effect on each pointer parameter; a missing index
	// means the parameter is not a pointer or nothing is known.
	Params map[int]Effect
	// Deallocs maps a parameter index the function frees to the family it
	// releases (free releases "malloc", fclose releases "FILE").
	Deallocs map[int]*Allocator

	// SetsErrno tells whether the function (transitively) may write errno.
	SetsErrno Tristate
	// ErrnoOnFailure: errno is meaningful only when Success says the call
	// failed (fopen, malloc, most of POSIX).
	ErrnoOnFailure bool
	// ErrnoOnlySignal: errno is the only error signal; the caller sets it
	// to 0 before the call and tests it after (strtol, readdir).
	ErrnoOnlySignal bool
	// ReadsErrno is set when the function returns or reads errno itself,
	// like a preamble helper "int geterr(void) { return errno; }".
	ReadsErrno bool
	// ErrnoClobbers lists calls between a failing call and the return
	// that may overwrite errno (printf, malloc, free, close), for helpers
	// that read errno after making them.
	ErrnoClobbers []string
	// ReadsCallerErrno is set when the function reads the errno its
	// caller left, not only the errno of its own calls: an accessor such
	// as geterr above, or a logger that prints strerror(errno).
	ReadsCallerErrno bool
	// ErrnoExitClobbers lists calls made after the call whose failure the
	// function reports and before a return that reports it (return -1,
	// return NULL): errno as the function leaves it, which is what cgo's
	// two-value form r, err := C.f() reads, may be theirs.
	ErrnoExitClobbers []string

	// CallsGo lists exported Go functions the function may call,
	// directly or through other C functions.
	CallsGo []string

	// Conventional lists the parameters whose effect comes from the
	// callback-context convention (see ContextConvention) rather than
	// from anything declared about the function.
	Conventional []int

	// Unterminated lists buffer parameters the function fills with bytes
	// it does not follow with a NUL, returning how many it wrote (read,
	// readlink, recv): the buffer is not a C string afterwards.
	Unterminated []int
}

// Effect returns the effect on parameter i, or EffectUnknown when the
// summary does not know it.
func (s *Summary) Effect(i int) Effect {
	if s == nil || !s.Known {
		return EffectUnknown
	}
	if e, ok := s.Params[i]; ok {
		return e
	}
	return EffectUnknown
}

func (s *Summary) String() string {
	if s == nil || !s.Known {
		return "unknown"
	}
	var parts []string
	if s.ReturnsOwned != nil {
		parts = append(parts, "returns-owned="+s.ReturnsOwned.String())
	}
	if s.ReturnsBorrowed {
		parts = append(parts, "returns-borrowed")
	}
	if s.ReturnsParam >= 0 {
		parts = append(parts, fmt.Sprintf("returns-param=%d", s.ReturnsParam))
	}
	idx := make([]int, 0, len(s.Params))
	for i := range s.Params {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		parts = append(parts, fmt.Sprintf("p%d=%s", i, s.Params[i]))
	}
	for i, a := range s.OutOwned {
		parts = append(parts, fmt.Sprintf("out%d=%s", i, a))
	}
	if s.SetsErrno != Unknown {
		parts = append(parts, "sets-errno="+s.SetsErrno.String())
	}
	if s.ReadsErrno {
		parts = append(parts, "reads-errno")
	}
	if s.ReadsCallerErrno {
		parts = append(parts, "reads-caller-errno")
	}
	if len(s.ErrnoClobbers) > 0 {
		parts = append(parts, "errno-clobbers="+strings.Join(s.ErrnoClobbers, ","))
	}
	if len(s.ErrnoExitClobbers) > 0 {
		parts = append(parts, "errno-exit-clobbers="+strings.Join(s.ErrnoExitClobbers, ","))
	}
	if len(s.CallsGo) > 0 {
		parts = append(parts, "calls-go="+strings.Join(s.CallsGo, ","))
	}
	for _, i := range s.Unterminated {
		parts = append(parts, fmt.Sprintf("unterminated%d", i))
	}
	return fmt.Sprintf("%s[%s: %s]", s.Name, s.Source, strings.Join(parts, " "))
}

// unknownSummary is the answer for a function ffivet knows nothing about.
func unknownSummary(name string) *Summary {
	return &Summary{Name: name, ReturnsParam: -1}
}
