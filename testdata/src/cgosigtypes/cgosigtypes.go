// Package cgosigtypes defines Go types from C types, for the cgosig
// tests of packages that use them: each has the C type's size on every
// target, whatever Go type cgo gave it on the host.
package cgosigtypes

/*
#include <stddef.h>
#include <stdint.h>
*/
import "C"

// SizeT is size_t: 4 bytes on linux/386.
type SizeT C.size_t

// Handle is uintptr_t: 4 bytes on linux/386.
type Handle C.uintptr_t

// Count is defined from SizeT, so from size_t too.
type Count SizeT
