package model

import (
	"go/types"

	"github.com/ffivet/ffivet/bridge"
	"golang.org/x/tools/go/ssa"
)

// A CgoCallee identifies the cgo entity a call reaches.
type CgoCallee struct {
	Kind  bridge.NameKind // CFunc, CFuncErrno or CBuiltin
	Name  string          // the C name, or the builtin's name ("CString", "_CMalloc")
	Errno bool            // the two-value form r, err := C.f()
}

// UserName is how the user wrote the callee: "C.free", "C.CString", and
// "C.malloc" for cgo's _CMalloc.
func (c *CgoCallee) UserName() string {
	if c.Name == bridge.BuiltinCMalloc {
		return "C.malloc"
	}
	return "C." + c.Name
}

// cgoCalleeOf classifies a function object by name. cgo's generated
// functions are package-level functions of the package itself (declared
// in _cgo_gotypes.go), in both the processed and the raw shape.
func cgoCalleeOf(obj types.Object) *CgoCallee {
	if obj == nil {
		return nil
	}
	if _, ok := obj.(*types.Func); !ok {
		return nil
	}
	kind, name := bridge.ParseName(obj.Name())
	switch kind {
	case bridge.CFunc, bridge.CBuiltin:
		return &CgoCallee{Kind: kind, Name: name}
	case bridge.CFuncErrno:
		return &CgoCallee{Kind: kind, Name: name, Errno: true}
	}
	return nil
}

// StaticCgoCallee returns the cgo function a call reaches directly, or
// nil.
func StaticCgoCallee(call *ssa.CallCommon) *CgoCallee {
	fn := call.StaticCallee()
	if fn == nil {
		return nil
	}
	return cgoCalleeOf(fn.Object())
}

// isCgoRuntimeHelper reports calls cgo inserts that have no effect on
// ownership: the pointer checks and the liveness markers.
func isCgoRuntimeHelper(fn *ssa.Function) bool {
	if fn == nil {
		return false
	}
	switch fn.Name() {
	case "_cgoCheckPointer", "_cgoCheckResult", "_Cgo_use", "_Cgo_keepalive", "_Cgo_ptr", "_Cgo_no_callback":
		return true
	}
	return false
}
