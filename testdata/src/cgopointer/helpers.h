#ifndef CGOPOINTER_HELPERS_H
#define CGOPOINTER_HELPERS_H

#include <stddef.h>
#include <stdint.h>

struct request {
	char *name;
	int len;
	void *ctx;
};

struct header {
	int kind;
	int len;
};

// consume reads n bytes at p during the call.
void consume(void *p, size_t n);
// consume_addr reads n bytes at the address during the call.
void consume_addr(uintptr_t addr, size_t n);
// fill writes n bytes at p during the call.
void fill(void *p, size_t n);
// run_argv reads a NULL-terminated array of strings during the call.
int run_argv(char **argv, int argc);
// submit reads the request during the call.
void submit(struct request *req);
// submit_copy receives the request by value.
void submit_copy(struct request req);
// read_header fills a header during the call.
void read_header(void *h);
// set_userdata stores ud; fire later passes it to the registered callback.
void set_userdata(void *ud);
// register_buffer stores buf for later writes.
void register_buffer(char *buf);
// fire uses what set_userdata and register_buffer stored.
void fire(void);
// current_request is a request C keeps.
extern struct request *current_request;
// g_ctx is context C keeps.
extern void *g_ctx;
// get_addr returns the address of a C buffer as an integer.
uintptr_t get_addr(void);

// obj_new returns an object C allocates; obj_free releases it.
void *obj_new(void);
void obj_free(void *o);
// obj_use reads the object during the call.
void obj_use(void *o);

// ffivet:keeps arg=1
void watch(void *p);

#endif
