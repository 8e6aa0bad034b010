#ifndef CGOHANDLE_HANDLES_H
#define CGOHANDLE_HANDLES_H

#include <stdint.h>

// run_sync calls goVisit with the handle before it returns.
void run_sync(uintptr_t h);
// start_async stores the handle; finish passes it to goDone, which
// deletes it.
void start_async(uintptr_t h);
void finish(void);
// start_timer stores the handle; tick passes it to goTick, which does
// not delete it.
void start_timer(uintptr_t h);
void tick(void);
// set_context keeps the pointer it receives.
void set_context(void *ctx);
// with_context calls goWithContext with ctx before it returns.
void with_context(void *ctx);
// lookup is a function ffivet knows nothing about.
int lookup(uintptr_t h);

#endif
