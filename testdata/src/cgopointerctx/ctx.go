// Package cgopointerctx is the test corpus of cgopointer's callback-
// context convention: a C library function without a body ffivet can
// read, taking a callback and a void * context, keeps the context for
// when it calls the callback later. Go memory given as that context
// must be pinned for as long as C holds it, or replaced by a cgo.Handle
// or C memory.
package cgopointerctx

/*
#define _GNU_SOURCE
#include <stdlib.h>
#include <stdint.h>
#include "events.h"

extern void goEvent(int event, void *ctx);
extern void goToken(char *tok, size_t len, void *ud);
extern void goSignal(void *arg);

static struct parser_cbs go_cbs = { (void (*)(const char *, size_t, void *))goToken };
static const struct parser_cbs *parser_callbacks(void) { return &go_cbs; }

// set_handle_callback hands the library a cgo.Handle as the context,
// converted to void * in C.
static void set_handle_callback(struct loop *l, uintptr_t h) {
	loop_set_callback(l, goEvent, (void *)h);
}

static int by_value(const void *a, const void *b, void *arg) {
	(void)arg;
	return *(const int *)a - *(const int *)b;
}

// dispatch has a body: it calls the callback during the call only.
static void dispatch(event_cb cb, void *ctx, int event) { if (cb) cb(event, ctx); }
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

type handler struct {
	name   string
	events []int
}

//export goEvent
func goEvent(event C.int, ctx unsafe.Pointer) {}

//export goToken
func goToken(tok *C.char, n C.size_t, ud unsafe.Pointer) {}

//export goSignal
func goSignal(arg unsafe.Pointer) {}

// mattn/go-sqlite3 passed Go pointers as the context of the callbacks it
// registered with SQLite, and moved to handles (mattn/go-sqlite3 PR
// #268).
func watch(l *C.struct_loop, h *handler) {
	C.loop_set_callback(l, C.event_cb(C.goEvent), unsafe.Pointer(h)) // want `C\.loop_set_callback receives a pointer to Go memory, parameter h \(line \d+\), as the context of the callback it registers, which such C functions keep after the call returns \(annotate the declaration ffivet:borrows arg=3 if this one does not\), but the memory is not pinned`
}

// extism passed Go pointers as the user data of host-function callbacks
// and replaced them with cgo.Handle (extism/extism PR #220).
func installSignal() {
	state := &handler{name: "signal"}
	C.register_handler((*[0]byte)(C.goSignal), unsafe.Pointer(state), 0) // want `C\.register_handler receives a pointer to Go memory, the composite literal \(line \d+\), as the context of the callback it registers`
}

func newParser() *C.struct_parser {
	h := new(handler)
	return C.parser_new_from_cbs(C.parser_callbacks(), unsafe.Pointer(h)) // want `C\.parser_new_from_cbs receives a pointer to Go memory, new\(handler\) \(line \d+\), as the context of the callback it registers`
}

func attach(l *C.struct_loop, buf []byte) {
	C.stream_set_userdata(l, unsafe.Pointer(&buf[0])) // want `C\.stream_set_userdata receives a pointer to Go memory, parameter buf \(line \d+\), as the context of the callback it registers`
}

// CoralReefPlayer's Go binding gave crp_play a callback and its user
// data (DawningW/CoralReefPlayer PR #17).
func start(l *C.struct_loop, url *C.char) {
	var counter int
	C.play(l, url, C.event_cb(C.goEvent), unsafe.Pointer(&counter)) // want `C\.play receives a pointer to Go memory, variable counter \(line \d+\), as the context of the callback it registers`
}

// Near misses.

// counters holds no Go pointers: passing it for the call is allowed.
type counters struct{ hits, misses int }

// A cgo.Handle, converted to a pointer in C.
func watchHandle(l *C.struct_loop, h *handler) cgo.Handle {
	hd := cgo.NewHandle(h)
	C.set_handle_callback(l, C.uintptr_t(hd))
	return hd
}

// C memory as the context.
func watchC(l *C.struct_loop) unsafe.Pointer {
	slot := C.malloc(8)
	C.loop_set_callback(l, C.event_cb(C.goEvent), slot)
	return slot
}

// A function whose body calls the callback during the call only.
func dispatchNow(c *counters) {
	C.dispatch(C.event_cb(C.goEvent), unsafe.Pointer(c), 1)
}

// The name says the callback runs before the function returns.
func visitAll(l *C.struct_loop, c *counters) {
	C.table_foreach(l, C.event_cb(C.goEvent), unsafe.Pointer(c))
}

// An annotation says the context is only borrowed.
func runOnce(l *C.struct_loop, c *counters) {
	C.run_once(l, C.event_cb(C.goEvent), unsafe.Pointer(c))
}

// A const context is data for the call.
func logIt(c *counters) {
	C.log_message(C.event_cb(C.goEvent), unsafe.Pointer(c))
}

// qsort_r uses its context during the call: the table says so.
func sortInts(xs []C.int, c *counters) {
	if len(xs) == 0 {
		return
	}
	C.qsort_r(unsafe.Pointer(&xs[0]), C.size_t(len(xs)), C.sizeof_int, (*[0]byte)(C.by_value), unsafe.Pointer(c))
}
