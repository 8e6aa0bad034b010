package bridge

import (
	"reflect"
	"testing"
)

func TestKeepsValue(t *testing.T) {
	p := loadCgo(t, `
#include <stdint.h>
extern void goVisit(uintptr_t);
extern void opaque(uintptr_t);

static uintptr_t saved;
struct slot { uintptr_t h; };
static struct slot slots[4];

static void store(uintptr_t h) { saved = h; }
static void store_field(int i, uintptr_t h) { slots[i].h = h; }
static void via_local(uintptr_t h) { uintptr_t x = h; saved = (uintptr_t)x; }
static void via_callee(uintptr_t h) { store(h); }
static int use(uintptr_t h) { uintptr_t local = h; return local != 0; }
static void callback(uintptr_t h) { goVisit(h); }
static void unknown(uintptr_t h) { opaque(h); }
static const char *name;
static void keep_string(_GoString_ s) { name = _GoStringPtr(s); }
static void keep_string_local(_GoString_ s) { const char *p = _GoStringPtr(s); name = p; }
static size_t string_len(_GoString_ s) { return _GoStringLen(s); }
`, nil)
	p.Exports = map[string]*Export{"goVisit": {Name: "goVisit"}}
	for _, tc := range []struct {
		name  string
		arg   int
		want  Tristate
		calls []string
	}{
		{"store", 0, Yes, nil},
		{"store_field", 1, Yes, nil},
		{"store_field", 0, No, nil},
		{"via_local", 0, Yes, nil},
		{"via_callee", 0, Yes, nil},
		{"use", 0, No, nil},
		{"callback", 0, No, []string{"goVisit"}},
		{"unknown", 0, Unknown, nil},
		{"opaque", 0, Unknown, nil},
		{"keep_string", 0, Yes, nil},
		{"keep_string_local", 0, Yes, nil},
		{"string_len", 0, No, nil},
	} {
		// The exports are set after loading, so this reads the bodies
		// directly; Load answers KeepsValue from the same reading.
		got, calls := p.keepsValue(tc.name, tc.arg)
		if got != tc.want || !reflect.DeepEqual(calls, tc.calls) {
			t.Errorf("KeepsValue(%s, %d) = %v, %v; want %v, %v", tc.name, tc.arg, got, calls, tc.want, tc.calls)
		}
		if tc.calls != nil {
			continue
		}
		if got, _ := p.KeepsValue(tc.name, tc.arg); got != tc.want {
			t.Errorf("KeepsValue(%s, %d) after Load = %v, want %v", tc.name, tc.arg, got, tc.want)
		}
	}
}
