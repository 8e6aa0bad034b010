// The C side of the cgonarrow corpus: functions that take byte counts,
// element counts and settings as narrow integers.
#ifndef CGONARROW_CSIDE_H
#define CGONARROW_CSIDE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct buf_desc { void *data; int len; };
struct rect { int x, y, w, h; };
struct hdr { uint32_t caplen; uint32_t flags; };

int write_buf(const void *buf, int n);
int send_all(const void *buf, size_t n);
long put_long(const void *buf, long n);
int submit(const struct buf_desc *d);
int prepare(void *db, const char *sql, int nBytes, const char **tail);
int result_text(void *ctx, const char *p, int np);
int zero_blob(void *ctx, int n);
int get_name(void *addr, char *host, uint32_t hostlen);
int open_dead(int linktype, int snaplen);
int set_buffer_size(void *p, int size);
int open_dead_unnamed(int, int);
int write_hdr(const struct hdr *h, const void *data);

// Counts and settings, not byte lengths.
int set_option(int key, int value);
int set_limit(void *p, int threads);
int exec_argv(char **argv, int argc);
int write_vec(const struct iovec *iov, int iovcnt);
int draw_rects(const struct rect *rects, int n);
int start_threads(int n);
const char *column_name(void *stmt, int i);

#endif
