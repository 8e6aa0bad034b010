// Package cgonarrow defines an Analyzer that reports byte lengths
// narrowed to a C integer that cannot hold them.
//
// # Analyzer cgonarrow
//
// cgonarrow: check that byte lengths converted to narrower C integers fit
//
// A Go length is an int; C often takes an int or an unsigned 32-bit
// type. C.int(len(b)) of a buffer of 2 GiB or more wraps, and C is told
// a negative or small length:
//
//	C.write_buf(unsafe.Pointer(&b[0]), C.int(len(b))) // C.int(len(b)) can truncate a length passed to C.write_buf: Go int is 8 bytes, C int is 4; check len(b) <= math.MaxInt32 before converting
//
// cgonarrow reports a conversion to a narrower C integer that reaches C
// (as an argument of a C function, of C.GoBytes or C.GoStringN, or in a
// field of a C struct) when the value is a number of bytes the code does
// not bound:
//
//   - the length of a string or byte slice, and sums and products of
//     one (len(s)+1, len(xs)*8 for a []int64);
//   - a value of unknown origin (a parameter, a field) named as a size
//     or length, or called n, where the C parameter or field is named as
//     one (n, len, size, nbytes, buflen) or is the length of C.GoBytes or
//     C.GoStringN; for a name that says size or length, also where the C
//     declaration names no parameters.
//
// A value is bounded, and not reported, when the code proves it fits:
// a constant; min(n, limit); a value converted from a type no wider than
// the C one; an earlier if statement that leaves the function or loop
// when the value is too large (if len(b) > math.MaxInt32 { return err })
// or clamps it (if n > limit { n = limit }); an enclosing if or for whose
// condition bounds it (for l := 64; l <= 4096; l *= 2); the length of a
// fixed-size array or of make([]byte, n) with n bounded; and a parameter
// of an unexported function or of a closure whose every call passes a
// bounded value; inside a closure called later, the checks before its
// literal when nothing writes the variable after it. A check whose limit is itself larger than the C type's
// maximum (if n > 64<<30) does not silence the finding; the message
// names it.
//
// Not reported: counts of values wider than a byte (argv entries,
// iovecs, poll items), values of enumerations (a defined integer type
// with declared constants), indexes and other numbers whose names do not
// say size or length, values compared with a limit the analysis cannot size
// (the check a finding would ask for is there), and conversions whose
// value never reaches C.
package cgonarrow
