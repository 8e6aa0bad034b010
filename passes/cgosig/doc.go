// Package cgosig defines an Analyzer that checks that Go and C agree on
// the sizes, layouts and signatures of what crosses the cgo boundary.
//
// # Analyzer cgosig
//
// cgosig: check that Go and C agree on the layout of shared memory and on the signatures of exported functions
//
// cgo type-checks a call's arguments against the C declaration, but
// unsafe.Pointer conversions, hand-written mirror structs and hand-written
// prototypes escape that check. cgosig compares both sides with the C
// layouts the bridge computes (checked against gcc) and the Go layouts of
// go/types, on the host target and on every target among linux/amd64,
// linux/arm64, linux/386, windows/amd64 and darwin/arm64 that the file's
// build constraints allow. Lengths narrowed on their way to C are the
// cgonarrow check's. It reports:
//
// Go memory reinterpreted as a C scalar of another size, and C memory
// viewed as a Go type of another size (conversions, unsafe.Slice, array
// pointer views):
//
//	xs := []int{1, 2, 3}
//	C.sum((*C.int)(unsafe.Pointer(&xs[0])), 3) // Go int is 8 bytes, C int is 4
//
// A Go struct converted to or from a C struct whose size, field offsets
// or field sizes differ, naming the first field that differs:
//
//	type rect struct{ X, Y int32; W, H int }  // C: struct rect { int x, y, w, h; }
//	C.draw((*C.struct_rect)(unsafe.Pointer(&r))) // Go field W is at offset 8 (8 bytes), C field w at offset 8 (4 bytes)
//
// A mirror that matches on the host but not on another target is
// reported with the target named ("on linux/386: ..."): C long is 4
// bytes there and on windows/amd64. A Go type defined from a C type
// (type SizeT C.size_t), in the package or another, has the C type's
// size on every target.
//
// A block from C.malloc(n * C.sizeof_T) used as a pointer to a type of
// another size.
//
// An //export function declared by hand in the package's C (a .c or .h
// file, or a preamble) with a prototype that disagrees with the Go
// signature in arity, parameter or result types; an exported function
// registered as a C callback type it does not match; and a Go func value
// converted to a C function pointer.
//
// Not reported: views through bytes (char, unsigned char, void, []byte);
// conversions between two C types or two Go types; mirrors that match,
// including explicit padding fields (_ [4]byte) and unions mirrored as
// byte arrays; and types whose layout on a target cannot be known
// (system headers' own typedefs where word sizes differ, bit fields on
// Windows).
package cgosig
