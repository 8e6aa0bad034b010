// Go memory that holds Go pointers, passed to C. cgo's rule: Go code may
// pass a Go pointer to C only if the memory it points to holds no
// unpinned Go pointers. The finding sits on the C call and names the
// memory, the Go pointer it holds, and where that was stored.
package cgopointer

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// config is handed to C as raw bytes. Its callback is a Go func.
type config struct {
	size   int
	onDone func(n int)
}

func sendConfig(size int, done chan int) {
	cfg := &config{size: size, onDone: func(n int) { done <- n }}
	C.consume(unsafe.Pointer(cfg), C.size_t(unsafe.Sizeof(*cfg))) // want `C\.consume receives Go memory that holds Go pointers: the composite literal \(line 25\), where field onDone, stored at line 25, points into the function literal`
}

// The classic argv: an array built in Go memory whose elements point
// into Go byte slices.
func runCommand(args [][]byte) int {
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		argv[i] = (*C.char)(unsafe.Pointer(&a[0]))
	}
	return int(C.run_argv(&argv[0], C.int(len(args)))) // want `C\.run_argv receives Go memory that holds Go pointers: make\(\[\]\*C\.char, \.\.\.\) \(line 32\), where an element, stored at line 34, points into`
}

// The same through append and a fresh []byte per word.
func runWords(words []string) int {
	ptrs := make([]*C.char, 0, len(words)+1)
	for _, w := range words {
		b := []byte(w + "\x00")
		ptrs = append(ptrs, (*C.char)(unsafe.Pointer(&b[0])))
	}
	ptrs = append(ptrs, nil)
	return int(C.run_argv(&ptrs[0], C.int(len(words)))) // want `C\.run_argv receives Go memory that holds Go pointers`
}

// A C struct allocated by Go whose field points into Go memory.
func submitRequest(name []byte) {
	var req C.struct_request
	req.name = (*C.char)(unsafe.Pointer(&name[0]))
	req.len = C.int(len(name))
	C.submit(&req) // want `C\.submit receives Go memory that holds Go pointers: variable req \(line 52\), where field name, stored at line 53, points into parameter name`
}

// The address of the slice header instead of its data: C receives the
// header, which holds a Go pointer.
func sendSlice(buf []byte) {
	C.consume(unsafe.Pointer(&buf), C.size_t(len(buf))) // want `C\.consume receives Go memory that holds Go pointers: variable buf \(line 60\), where the slice header it holds points into parameter buf`
}

// Strings hold Go pointers to their bytes.
func sendNames(names []string) {
	if len(names) == 0 {
		return
	}
	C.consume(unsafe.Pointer(&names[0]), C.size_t(len(names))) // want `C\.consume receives Go memory that holds Go pointers: parameter names \(line 65\), where an element holds a Go string`
}

// argvBuilder collects C strings for a command; here by mistake it
// collects Go pointers, and the array travels through a field.
type argvBuilder struct {
	ptrs []*C.char
	n    int
}

func (b *argvBuilder) add(data []byte) {
	b.ptrs = append(b.ptrs, (*C.char)(unsafe.Pointer(&data[0])))
	b.n++
}

func runBuilt(parts [][]byte) int {
	b := &argvBuilder{}
	b.ptrs = make([]*C.char, 0, len(parts))
	for _, p := range parts {
		b.ptrs = append(b.ptrs, (*C.char)(unsafe.Pointer(&p[0])))
	}
	return int(C.run_argv(&b.ptrs[0], C.int(b.n))) // want `C\.run_argv receives Go memory that holds Go pointers: make\(\[\]\*C\.char, \.\.\.\) \(line 86\)`
}

// session is Go state with a map: passing it to C as raw bytes hands
// C a Go map.
type session struct {
	id      int
	pending map[int][]byte
}

func (s *session) flush() {
	C.consume(unsafe.Pointer(s), C.size_t(unsafe.Sizeof(*s))) // want `C\.consume receives Go memory that holds Go pointers: parameter s \(line 100\), where field pending holds a Go map`
}

type event struct {
	kind int
	done chan struct{}
}

func postEvent(kind int) {
	ev := &event{kind: kind, done: make(chan struct{})}
	C.consume(unsafe.Pointer(ev), C.size_t(unsafe.Sizeof(*ev))) // want `C\.consume receives Go memory that holds Go pointers: the composite literal \(line 110\), where field done, stored at line 110, points into make\(chan struct\{\}\)`
}

// Near misses.

// stats holds only scalars.
type stats struct {
	count int64
	bytes int64
}

func sendStats(count int64) {
	st := &stats{count: count}
	C.consume(unsafe.Pointer(st), C.size_t(unsafe.Sizeof(*st)))
}

// The data of a []byte holds no pointers.
func sendBytes(buf []byte) {
	if len(buf) == 0 {
		return
	}
	C.consume(unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
}

// An array in C memory holding C strings.
func runCArgv(args []string) int {
	argv := (**C.char)(C.malloc(C.size_t(len(args)+1) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	defer C.free(unsafe.Pointer(argv))
	arr := unsafe.Slice(argv, len(args)+1)
	for i, a := range args {
		arr[i] = C.CString(a)
	}
	arr[len(args)] = nil
	defer func() {
		for _, p := range arr[:len(args)] {
			C.free(unsafe.Pointer(p))
		}
	}()
	return int(C.run_argv(argv, C.int(len(args))))
}

// Go memory holding C pointers is fine.
func runGoArgv(args []string) int {
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		argv[i] = C.CString(a)
	}
	defer func() {
		for _, p := range argv {
			C.free(unsafe.Pointer(p))
		}
	}()
	return int(C.run_argv(&argv[0], C.int(len(args))))
}

// A struct passed by value: cgo copies it, and the Go pointer in it
// points to memory without Go pointers.
func submitCopy(name []byte) {
	var req C.struct_request
	req.name = (*C.char)(unsafe.Pointer(&name[0]))
	req.len = C.int(len(name))
	C.submit_copy(req)
}

// The callback field is never set here: the memory holds no Go pointer.
func sendPlainConfig(size int) {
	cfg := &config{size: size}
	C.consume(unsafe.Pointer(cfg), C.size_t(unsafe.Sizeof(*cfg)))
}

// The byte slices are pinned until the call returns.
func runPinned(args [][]byte) int {
	var pin runtime.Pinner
	defer pin.Unpin()
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		pin.Pin(&a[0])
		argv[i] = (*C.char)(unsafe.Pointer(&a[0]))
	}
	return int(C.run_argv(&argv[0], C.int(len(args))))
}

// The C struct lives in C memory and points to C memory.
func submitC(name string) {
	req := (*C.struct_request)(C.malloc(C.sizeof_struct_request))
	defer C.free(unsafe.Pointer(req))
	req.name = C.CString(name)
	defer C.free(unsafe.Pointer(req.name))
	req.len = C.int(len(name))
	C.submit(req)
}
