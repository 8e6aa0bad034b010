// The C side of the cgosig corpus: records that Go code mirrors, the
// functions that take them, and the callback types Go functions are
// registered as.
#ifndef CGOSIG_CSIDE_H
#define CGOSIG_CSIDE_H

#include <stddef.h>
#include <stdint.h>

struct point { int x; int y; };
struct rect { int x, y, w, h; };
struct sample { long id; int kind; double value; };
struct header { uint32_t magic; uint16_t version; uint16_t flags; uint64_t length; };
struct packet { struct header hdr; unsigned char payload[32]; };
struct padded { char tag; int64_t value; };
struct with_ptr { const char *name; size_t len; };
struct bits { unsigned ready:1; unsigned mode:3; unsigned level:4; int count; };
union number { int i; double d; };
struct tagged { int kind; union number n; };
struct entry { int key; long value; };
struct stats { long count; long total; };
struct vec3 { float x, y, z; };
struct flex { int n; int data[]; };
struct buf_desc { void *data; int len; };
struct span { int32_t start; int32_t end; uint64_t id; };
struct flagged { char tag; int value; };
struct tagged32 { int kind; union { int i; float f; } v; };
typedef struct { int w; int h; } size2d;

typedef int (*compare_fn)(const void *, const void *);
typedef void (*event_cb)(void *ctx, int code);
typedef long (*reader_cb)(void *ctx, char *buf, size_t n);

int sum_ints(const int *xs, int n);
long sum_longs(const long *xs, size_t n);
int64_t sum_i64(const int64_t *xs, size_t n);
double sum_doubles(const double *xs, int n);
unsigned sum_uints(const unsigned *xs, int n);
void fill_eight(int a[8]);
void get_count(int *out);
void set_flag(_Bool *b);
void set_flags(_Bool *flags, int n);

int area(const struct rect *r);
int manhattan(const struct point *p);
long sample_id(const struct sample *s);
uint64_t header_length(const struct header *h);
int64_t padded_value(const struct padded *p);
size_t name_len(const struct with_ptr *w);
int bits_count(const struct bits *b);
int tagged_kind(const struct tagged *t);
long entry_value(const struct entry *e);
long stats_total(const struct stats *s);
float vec3_len2(const struct vec3 *v);
int flex_n(const struct flex *f);
int size_area(const size2d *s);
int packet_version(const struct packet *p);
uint64_t span_id(const struct span *s);
int flagged_value(const struct flagged *f);
int tagged32_kind(const struct tagged32 *t);

int *make_ints(int n);
long *make_longs(int n);
struct sample *make_samples(int n);
struct rect *make_rects(int n);

int write_buf(const void *buf, int n);
int send_all(const void *buf, size_t n);
long put_long(const void *buf, long n);
int submit(const struct buf_desc *d);

void register_event_cb(event_cb cb, void *ctx);
void register_reader(reader_cb cb, void *ctx);
void sort_with(void *base, size_t n, size_t size, compare_fn cmp);

#endif

// set_option's value is a setting, not a length.
int set_option(int key, int value);
