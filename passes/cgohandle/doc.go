// Package cgohandle defines an Analyzer that checks the life of
// runtime/cgo handles.
//
// # Analyzer cgohandle
//
// cgohandle: check that each cgo.Handle is deleted exactly once, not used after, and passed to C by value
//
// A cgo.Handle keeps its Go value alive, and reachable from C, until
// Delete is called: a handle never deleted leaks the value, a handle
// deleted twice or used after Delete makes the program panic ("misuse of
// an invalid Handle"). cgohandle follows each handle from cgo.NewHandle
// along every path of the function, into the Go functions it is passed
// to, and reports:
//
// A handle not deleted on some path that returns, naming the path:
//
//	h := cgo.NewHandle(cb)
//	if err := validate(); err != nil {
//		return err // h is never deleted on this path
//	}
//	defer h.Delete()
//
// A handle given to C (as C.uintptr_t(h), or as the address of the
// variable holding it) and never deleted, when no exported Go function
// deletes handles: C calls back with the handle, and the callback must
// delete it once C is done with it. When the C function's body calls an
// exported function that deletes the handle, ownership has moved there.
//
// Value or Delete after Delete, including a Delete in a helper followed
// by a use in the caller, and a deferred Delete after an explicit one.
//
// The address of a handle variable (unsafe.Pointer(&h)) passed to a C
// function that keeps it: C then holds a pointer to Go memory after the
// call. Pass the handle's value instead, as C.uintptr_t(h).
//
// Not reported: handles deleted by defer, by a deferred function
// literal or a helper; handles returned to the caller or stored in a
// struct, map or global (their new owner deletes them); handles given
// to C whose callback deletes them; &h passed to a C function that only
// uses it during the call, as the runtime/cgo documentation shows.
package cgohandle
