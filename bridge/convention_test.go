package bridge

import (
	"slices"
	"testing"
)

func TestContextConvention(t *testing.T) {
	p := loadCgo(t, `
#include <stdlib.h>
typedef void (*event_cb)(int event, void *ctx);
struct loop;
struct parser_cbs { void (*on_token)(const char *tok, void *ud); };
struct parser;

void loop_set_callback(struct loop *l, event_cb cb, void *ctx);
int register_handler(void (*fn)(void *), void *arg, int flags);
struct parser *parser_new_from_cbs(const struct parser_cbs *cbs, void *ud);
void stream_set_userdata(struct loop *l, void *ud);
void table_foreach(struct loop *l, event_cb cb, void *ctx);
void log_message(event_cb cb, const void *data);
void plain(void *p, int n);
// ffivet:borrows arg=3
void run_once(struct loop *l, event_cb cb, void *ctx);
static void with_body(event_cb cb, void *ctx) { cb(0, ctx); }
void use_with_body(void) { with_body(0, 0); }
`, nil)
	for _, tc := range []struct {
		name string
		want []int
	}{
		{"loop_set_callback", []int{2}},
		{"register_handler", []int{1}},
		{"parser_new_from_cbs", []int{1}},
		{"stream_set_userdata", []int{1}},
		{"table_foreach", nil},
		{"log_message", nil},
		{"plain", nil},
		{"run_once", []int{2}},
		{"with_body", nil},
		{"qsort_r", nil},
	} {
		got := ContextConvention(p.Func(tc.name))
		if !slices.Equal(got, tc.want) {
			t.Errorf("ContextConvention(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		arg  int
		want Effect
	}{
		{"loop_set_callback", 2, Keeps},
		{"register_handler", 1, Keeps},
		{"parser_new_from_cbs", 1, Keeps},
		{"run_once", 2, Borrows},
		{"table_foreach", 2, EffectUnknown},
		{"with_body", 1, EffectUnknown}, // handed to the callback: the body decides, not the convention
	} {
		if got := p.Summary(tc.name).Effect(tc.arg); got != tc.want {
			t.Errorf("%s: effect on argument %d is %s, want %s", tc.name, tc.arg+1, got, tc.want)
		}
	}
}
