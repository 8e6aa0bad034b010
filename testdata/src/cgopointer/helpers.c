#include <stdlib.h>
#include <string.h>
#include "helpers.h"

static void *userdata;
static char *buffer;
static char scratch[64];
struct request *current_request;
void *g_ctx;

void consume(void *p, size_t n) {
	volatile unsigned char sum = 0;
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		sum += b[i];
}

void consume_addr(uintptr_t addr, size_t n) {
	consume((void *)addr, n);
}

void fill(void *p, size_t n) {
	memset(p, 0, n);
}

int run_argv(char **argv, int argc) {
	int n = 0;
	for (int i = 0; i < argc && argv[i] != NULL; i++)
		n += (int)strlen(argv[i]);
	return n;
}

void submit(struct request *req) {
	consume(req->name, (size_t)req->len);
}

void submit_copy(struct request req) {
	consume(req.name, (size_t)req.len);
}

void read_header(void *h) {
	memset(h, 0, sizeof(struct header));
}

void set_userdata(void *ud) {
	userdata = ud;
}

void register_buffer(char *buf) {
	buffer = buf;
}

void fire(void) {
	if (buffer != NULL)
		buffer[0] = 1;
	consume(userdata, 1);
}

uintptr_t get_addr(void) {
	return (uintptr_t)scratch;
}

static void keep_watched(void *p) {
	userdata = p;
}

// The watched pointer reaches its keeper through a function pointer,
// which ffivet cannot follow: the header's annotation says what happens.
static void (*watcher)(void *) = keep_watched;

void watch(void *p) {
	watcher(p);
}

void *obj_new(void) {
	return calloc(1, 64);
}

void obj_free(void *o) {
	free(o);
}

void obj_use(void *o) {
	(void)o;
}
