// Go types that are views of C memory: structs allocated with C.malloc,
// slices laid over C arrays, and integer types that hold C handles. The
// memory is C's wherever the values travel, so the Go pointer rules do
// not apply to it.
package cgopointer

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// cnode is only ever allocated by C.
type cnode struct {
	next *cnode
	val  C.int
}

func newCNode() *cnode {
	return (*cnode)(C.malloc(C.size_t(unsafe.Sizeof(cnode{}))))
}

// A parameter of a type the package allocates in C.
func pushCNode(n *cnode) {
	C.consume(unsafe.Pointer(n), C.size_t(unsafe.Sizeof(*n)))
}

// Linking two C nodes stores a C pointer into C memory.
func linkCNodes() *cnode {
	a, b := newCNode(), newCNode()
	a.next = b
	C.consume(unsafe.Pointer(a), C.size_t(unsafe.Sizeof(*a)))
	return a
}

// A node that C's own allocator returned, seen as the Go type.
type cthing struct {
	self *cthing
	data unsafe.Pointer
}

func useThing() {
	t := (*cthing)(unsafe.Pointer(C.obj_new()))
	t.self = t
	C.obj_use(unsafe.Pointer(t))
	C.obj_free(unsafe.Pointer(t))
}

// A slice laid over a C array, kept in a struct and passed back.
type centry struct {
	name *C.char
	next *centry
}

type centryPool struct {
	entries []centry
}

func newCEntryPool(n int) *centryPool {
	p := C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(centry{})))
	return &centryPool{entries: unsafe.Slice((*centry)(p), n)}
}

func (p *centryPool) flush() {
	C.consume(unsafe.Pointer(&p.entries[0]), C.size_t(len(p.entries)))
}

// The same with an array pointer view.
type crow struct {
	cells *crow
	n     C.int
}

func cRows(n int) []crow {
	p := C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(crow{})))
	return (*[1 << 28]crow)(p)[:n:n]
}

func flushRows(rows []crow) {
	C.consume(unsafe.Pointer(&rows[0]), C.size_t(len(rows)))
}

// And with a reflect.SliceHeader.
type cslot struct {
	owner *cslot
}

func cSlots(n int) []cslot {
	var s []cslot
	h := (*reflect.SliceHeader)(unsafe.Pointer(&s))
	h.Data = uintptr(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(cslot{}))))
	h.Len, h.Cap = n, n
	return s
}

func flushSlots(slots []cslot) {
	C.consume(unsafe.Pointer(&slots[0]), C.size_t(len(slots)))
}

// An integer type that holds C's object addresses.
type CObj uintptr

func NewCObj() CObj {
	return CObj(uintptr(C.obj_new()))
}

func (o CObj) Use() {
	C.obj_use(unsafe.Pointer(o))
}

func (o CObj) Free() {
	C.obj_free(unsafe.Pointer(o))
}

// A slice header built as a composite literal.
type cpair struct {
	peer *cpair
}

func cPairs(n int) []cpair {
	hdr := reflect.SliceHeader{Data: uintptr(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(cpair{})))), Len: n, Cap: n}
	return *(*[]cpair)(unsafe.Pointer(&hdr))
}

func flushPairs(pairs []cpair) {
	C.consume(unsafe.Pointer(&pairs[0]), C.size_t(len(pairs)))
}

// A Go struct holding a view of C memory and a C handle.
type cowner struct {
	node *cnode
	obj  CObj
	n    int
}

func ownNode() *cowner {
	return &cowner{node: newCNode(), obj: NewCObj()}
}

func (w *cowner) flush() {
	C.consume(unsafe.Pointer(w), C.size_t(unsafe.Sizeof(*w)))
	C.obj_use(unsafe.Pointer(w.obj))
}

// A C object seen as a Go struct, in another function.
func passThing(t *cthing) {
	C.obj_use(unsafe.Pointer(t))
}

// Bugs: the same types, allocated by Go.

func goNode() {
	n := &cnode{next: &cnode{}}
	C.consume(unsafe.Pointer(n), C.size_t(unsafe.Sizeof(*n))) // want `C\.consume receives Go memory that holds Go pointers`
}

func cNodeHoldingGo() *cnode {
	n := newCNode()
	n.next = &cnode{} // want `Go pointer stored into C memory`
	return n
}

func goEntries(n int) {
	entries := make([]centry, n)
	entries[0].next = &entries[1]
	C.consume(unsafe.Pointer(&entries[0]), C.size_t(n)) // want `C\.consume receives Go memory that holds Go pointers`
}

func mallocHoldingGo(name []byte) {
	t := (*cthing)(C.malloc(C.size_t(unsafe.Sizeof(cthing{}))))
	t.data = unsafe.Pointer(&name[0]) // want `Go pointer stored into C memory`
	C.obj_use(unsafe.Pointer(t))
	C.free(unsafe.Pointer(t))
}

// An integer type whose values are counted, not C addresses.
type ticket uintptr

var lastTicket ticket

func useTicket() {
	lastTicket++
	C.obj_use(unsafe.Pointer(lastTicket)) // want `C\.obj_use receives an integer \(ticket\) converted to unsafe\.Pointer`
}

// A Go-allocated struct holding a Go pointer to a view type's value.
func goOwner() {
	w := &cowner{node: &cnode{}}
	C.consume(unsafe.Pointer(w), C.size_t(unsafe.Sizeof(*w))) // want `C\.consume receives Go memory that holds Go pointers`
}
