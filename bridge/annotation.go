package bridge

import "go/token"

// An Annotation is one "ffivet:" comment next to a C declaration, or an
// entry of the annotations config file, e.g.
//
//	// ffivet:returns-owned dealloc=sqlite3_free
//	void *sqlite3_malloc(int);
//
// The vocabulary is documented in docs/annotations.md.
type Annotation struct {
	Pos  token.Position
	Verb string            // returns-owned, returns-borrowed, takes, keeps, frees, borrows, sets-errno, errno-only, no-errno
	Args map[string]string // key=value arguments, e.g. dealloc=sqlite3_free, arg=1
}
