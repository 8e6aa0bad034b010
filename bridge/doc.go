// Package bridge is ffivet's view of the C side of a cgo package.
//
// It recovers each cgo file's preamble and #cgo directives, finds the
// package's C sources on disk, translates them with modernc.org/cc/v4 for
// the host target, and exposes what the Go-side checks need: C function
// declarations and their summaries (allocates, frees, keeps, returns a
// parameter, sets errno, calls back into Go), struct layouts, typedefs,
// globals and constant macros, the mapping from cgo's generated names
// (_Cfunc_X, _Ctype_X, ...) to those declarations, and the libc knowledge
// table.
//
// Translations are cached by content hash and are safe for concurrent use:
// a package such as go-sqlite3, whose amalgamation is 9.5 MB of C, is
// translated at most once per process.
//
// Nothing in this package fails on bad input: a missing header, C that
// cc/v4 rejects or odd flags become Warnings, and whatever could be
// learned is still returned.
package bridge
