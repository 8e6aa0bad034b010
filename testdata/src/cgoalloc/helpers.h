/*
 * A small C library for the cgoalloc tests. The bodies in helpers.c are
 * written with plain loops so that what each function does with its
 * pointer arguments can be read from the body alone.
 */
#ifndef CGOALLOC_HELPERS_H
#define CGOALLOC_HELPERS_H

#include <stddef.h>

struct config {
	int workers;
	int verbose;
	char name[32];
};

/* These only read or write through their pointer arguments. */
int name_ok(const char *name);
int register_name(const char *name);
int unregister_name(const char *name);
const char *alias_for(const char *name);
int db_open(const char *path, int flags);
int db_put(const char *key, const char *val);
int db_exec(const char *sql);
int db_export(const char *table);
size_t count_words(const char *text);
unsigned hash_name(const char *name);
void lowercase(char *s);
void normalize(char *path);
void log_failure(const char *what);
int send_buf(const void *buf, size_t n);
int read_into(void *buf, size_t n);
int read_body(void *frame, size_t off, size_t n);
void put_header(void *frame, int kind, int length);
void collect_counts(int *out, int n);
void wipe(void *buf, size_t n);
int checksum(const void *buf, int n);
int config_load(struct config *cfg, const char *path);
void config_defaults(struct config *cfg);

/* Returns memory from malloc; the caller frees it. */
char *make_greeting(const char *name);

/* Frees its argument. */
void release_name(char *name);

/* Keeps its argument for the life of the program and never frees it. */
void set_progname(char *name);
const char *progname(void);

/* Takes ownership of label: it frees the label it replaces. */
void set_label(char *label);

/* Frees every message handed to mq_submit. */
void mq_drain(void);

/* Defined elsewhere: whose memory its result is cannot be told. */
char *session_token(int id);

#endif
