#include "handles.h"
#include "_cgo_export.h"

static uintptr_t pending;
static uintptr_t timer;
static void *context;

void run_sync(uintptr_t h) {
	goVisit(h);
}

void start_async(uintptr_t h) {
	pending = h;
}

void finish(void) {
	goDone(pending);
}

void start_timer(uintptr_t h) {
	timer = h;
}

void tick(void) {
	goTick(timer);
}

void set_context(void *ctx) {
	context = ctx;
}

void with_context(void *ctx) {
	goWithContext(ctx);
}

int lookup(uintptr_t h) {
	return h != 0;
}
