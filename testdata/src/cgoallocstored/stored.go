// C memory stored in a field of a struct the caller sees, and freed by a
// deferred call: the free runs as the function returns, and the struct
// reaches the caller holding a dangling pointer.
package cgoallocstored

/*
#include <stdlib.h>

struct bdev_specs {
	char *fstype;
	char *zfsroot;
	unsigned long fssize;
};

typedef struct {
	char *res_name;
	char *res_class;
} class_hint;

static int apply_hint(class_hint *h) { return h->res_name != 0; }
static int create(struct bdev_specs *s) { return s->fstype != 0; }
*/
import "C"

import "unsafe"

// Modelled on lxc/go-lxc issue #175: buildBdevSpecs stores C strings in
// the struct it returns and defers their frees.
func buildSpecs(fstype, root string) *C.struct_bdev_specs {
	specs := C.struct_bdev_specs{}
	if fstype != "" {
		cs := C.CString(fstype)
		specs.fstype = cs
		defer C.free(unsafe.Pointer(cs)) // want `memory from C\.CString at line 32, stored at line 33 in field fstype of the struct the function returns, is freed by this deferred C\.free when the function returns`
	}
	if root != "" {
		cr := C.CString(root)
		defer C.free(unsafe.Pointer(cr)) // want `memory from C\.CString at line 37, stored at line 39 in field zfsroot of the struct the function returns`
		specs.zfsroot = cr
	}
	return &specs
}

// Likewise, returning the struct by value.
func specsByValue(fstype string) C.struct_bdev_specs {
	var specs C.struct_bdev_specs
	cs := C.CString(fstype)
	defer C.free(unsafe.Pointer(cs)) // want `memory from C\.CString at line 47, stored at line 49 in field fstype`
	specs.fstype = cs
	return specs
}

// ClassHint is a C struct kept by the caller.
type ClassHint C.class_hint

// SetResName is modelled on qeedquan/go-media issue #5: the setter
// frees the C string it has just stored in the caller's struct.
func (h *ClassHint) SetResName(name string) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `memory from C\.CString at line 59, stored at line 61 in field res_name of the struct h points to, which the caller keeps`
	h.res_name = cname
}

// SetResClass is modelled on qeedquan/go-media issue #6.
func (h *ClassHint) SetResClass(class string) {
	cclass := C.CString(class)
	defer C.free(unsafe.Pointer(cclass)) // want `memory from C\.CString at line 66, stored at line 68 in field res_class of the struct h points to`
	h.res_class = cclass
}

// A Go struct holding a C pointer, returned to the caller.
type options struct {
	name *C.char
	size int
}

func newOptions(name string) *options {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs)) // want `memory from C\.CString at line 78, stored at line 81 in field name of the struct the function returns`
	o := &options{size: len(name)}
	o.name = cs
	return o
}

// Near miss: the struct stays local and is only read by C during the
// call; freeing on return is right (the correct half of go-media's
// SetWMProperties).
func createLocal(fstype string) int {
	var specs C.struct_bdev_specs
	cs := C.CString(fstype)
	defer C.free(unsafe.Pointer(cs))
	specs.fstype = cs
	return int(C.create(&specs))
}

// Near miss: the returned struct holds a copy made by strdup-like code,
// not the memory freed.
func specsCopy(fstype string) *C.struct_bdev_specs {
	specs := C.struct_bdev_specs{}
	cs := C.CString(fstype)
	defer C.free(unsafe.Pointer(cs))
	specs.fstype = C.CString(C.GoString(cs))
	return &specs
}

// Near miss: the field is reset before the function returns.
func specsReset(fstype string) *C.struct_bdev_specs {
	specs := C.struct_bdev_specs{}
	cs := C.CString(fstype)
	defer C.free(unsafe.Pointer(cs))
	specs.fstype = cs
	C.create(&specs)
	specs.fstype = nil
	return &specs
}

// Near miss: the setter does not defer the free; the struct owns the
// string until its owner frees it.
func (h *ClassHint) SetName(name string) {
	C.free(unsafe.Pointer(h.res_name))
	h.res_name = C.CString(name)
}

// Near miss: the caller's struct is scratch space for the C call made
// here; its field is not read after the function returns.
func applyName(h *ClassHint, name string) int {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	h.res_name = cname
	return int(C.apply_hint((*C.class_hint)(h)))
}

// Near miss: the deferred free and the store are on different paths.
func eitherOr(fstype string, keep bool) *C.struct_bdev_specs {
	specs := C.struct_bdev_specs{}
	cs := C.CString(fstype)
	if keep {
		specs.fstype = cs
	} else {
		defer C.free(unsafe.Pointer(cs))
	}
	return &specs
}
