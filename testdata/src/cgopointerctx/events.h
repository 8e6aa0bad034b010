#ifndef CGOPOINTERCTX_EVENTS_H
#define CGOPOINTERCTX_EVENTS_H

#include <stddef.h>
#include <stdint.h>

// A C library whose bodies ffivet cannot read: only these declarations.

typedef void (*event_cb)(int event, void *ctx);

struct loop;
struct parser;
struct parser_cbs {
	void (*on_token)(const char *tok, size_t len, void *ud);
};

struct loop *loop_new(void);
// loop_set_callback registers cb, called with ctx on every event.
void loop_set_callback(struct loop *l, event_cb cb, void *ctx);
// register_handler installs fn for later signals.
int register_handler(void (*fn)(void *), void *arg, int flags);
// parser_new_from_cbs creates a parser that calls cbs with ud.
struct parser *parser_new_from_cbs(const struct parser_cbs *cbs, void *ud);
// stream_set_userdata attaches ud to the loop.
void stream_set_userdata(struct loop *l, void *ud);
// play starts playback and reports events to cb with user_data.
int play(struct loop *l, const char *url, event_cb cb, void *user_data);

// table_foreach calls cb on every entry before returning.
void table_foreach(struct loop *l, event_cb cb, void *ctx);
// run_once runs the loop once, calling cb with ctx.
// ffivet:borrows arg=3
void run_once(struct loop *l, event_cb cb, void *ctx);
// log_message passes data to cb during the call.
void log_message(event_cb cb, const void *data);

#endif
