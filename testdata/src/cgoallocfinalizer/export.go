// Pointers C passes to an exported function are lent for the call: an
// object that frees one in its finalizer frees memory C still owns.
package cgoallocfinalizer

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// An Event wraps a C event.
type Event struct {
	data *C.char
}

func (e *Event) free() { C.free(unsafe.Pointer(e.data)) }

var events = make(chan *Event, 16)

//export onEvent
func onEvent(data *C.char) {
	e := &Event{data: data}
	runtime.SetFinalizer(e, (*Event).free) // want `the finalizer set here frees field data of \*Event, parameter data of the exported function onEvent, which C lends only for the call`
	events <- e
}

// A Record wraps a C record.
type Record struct {
	raw *C.char
}

func wrapRecord(raw *C.char) *Record {
	r := &Record{raw: raw}
	runtime.SetFinalizer(r, func(r *Record) { C.free(unsafe.Pointer(r.raw)) })
	return r
}

var records = make(chan *Record, 16)

//export onRecord
func onRecord(raw *C.char) {
	records <- wrapRecord(raw) // want `wrapRecord wraps parameter raw of the exported function onRecord, which C lends only for the call, in an object whose finalizer, set at line 39, frees it as field raw of \*Record`
}

// Near miss: the callback copies the pointer into memory it owns.
//
//export onRecordCopy
func onRecordCopy(raw *C.char) {
	records <- wrapRecord(C.strdup(raw))
}

// Near miss: wrapRecord is given memory its caller owns.
func newRecord(s string) *Record {
	return wrapRecord(C.CString(s))
}

// Near miss: the exported function wraps a copy of the pointer.
//
//export onEventCopy
func onEventCopy(data *C.char) {
	e := &Event{data: C.strdup(data)}
	runtime.SetFinalizer(e, (*Event).free)
	events <- e
}
