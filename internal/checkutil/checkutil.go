// Package checkutil holds what ffivet's checks need to phrase a finding
// about cgo code: lines of positions, lists joined as in prose, Go types
// and expressions spelled as the user wrote them rather than as cgo
// rewrote them (C.int, not _Ctype_int), and the few type tests every
// check makes.
//
// It builds on the bridge's mapping of cgo's names to C entities
// (bridge.ParseName) and knows nothing of the model; the bridge and the
// model do not import it.
package checkutil
