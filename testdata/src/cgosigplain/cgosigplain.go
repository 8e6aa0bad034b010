// Package cgosigplain has no cgo of its own; it defines a type from one
// that another package defined from a C type.
package cgosigplain

import "cgosigtypes"

// Length is size_t, through cgosigtypes.SizeT.
type Length cgosigtypes.SizeT // want Length:"defined from C size_t"
