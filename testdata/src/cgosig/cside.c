#include <stdlib.h>
#include <string.h>
#include "cside.h"

// The Go callbacks, declared by hand instead of through _cgo_export.h.
extern int goCompare(const void *a, const void *b);
extern void goOnEvent(void *ctx, int code);
extern long goRead(void *ctx, char *buf, size_t n);
extern int goProgress(int done, int total);
extern double goScale(double x);
extern void goLog(const char *msg);
extern int goCount(void);
extern void goTick(long long t);
extern int goSum(int a, int b);
extern void goStore(void *ctx, long *values, int n);

int sum_ints(const int *xs, int n) { int s = 0; for (int i = 0; i < n; i++) s += xs[i]; return s; }
long sum_longs(const long *xs, size_t n) { long s = 0; for (size_t i = 0; i < n; i++) s += xs[i]; return s; }
int64_t sum_i64(const int64_t *xs, size_t n) { int64_t s = 0; for (size_t i = 0; i < n; i++) s += xs[i]; return s; }
double sum_doubles(const double *xs, int n) { double s = 0; for (int i = 0; i < n; i++) s += xs[i]; return s; }
unsigned sum_uints(const unsigned *xs, int n) { unsigned s = 0; for (int i = 0; i < n; i++) s += xs[i]; return s; }
void fill_eight(int a[8]) { for (int i = 0; i < 8; i++) a[i] = i; }
void get_count(int *out) { *out = 42; }
void set_flag(_Bool *b) { *b = 1; }
void set_flags(_Bool *flags, int n) { for (int i = 0; i < n; i++) flags[i] = 1; }

int area(const struct rect *r) { return r->w * r->h; }
int manhattan(const struct point *p) { return abs(p->x) + abs(p->y); }
long sample_id(const struct sample *s) { return s->id; }
uint64_t header_length(const struct header *h) { return h->length; }
int64_t padded_value(const struct padded *p) { return p->value; }
size_t name_len(const struct with_ptr *w) { return w->len; }
int bits_count(const struct bits *b) { return b->count; }
int tagged_kind(const struct tagged *t) { return t->kind; }
long entry_value(const struct entry *e) { return e->value; }
long stats_total(const struct stats *s) { return s->total; }
float vec3_len2(const struct vec3 *v) { return v->x * v->x + v->y * v->y + v->z * v->z; }
int flex_n(const struct flex *f) { return f->n; }
int size_area(const size2d *s) { return s->w * s->h; }
int packet_version(const struct packet *p) { return p->hdr.version; }
uint64_t span_id(const struct span *s) { return s->id; }
int flagged_value(const struct flagged *f) { return f->value; }
int tagged32_kind(const struct tagged32 *t) { return t->kind; }

int *make_ints(int n) { return calloc((size_t)n, sizeof(int)); }
long *make_longs(int n) { return calloc((size_t)n, sizeof(long)); }
struct sample *make_samples(int n) { return calloc((size_t)n, sizeof(struct sample)); }
struct rect *make_rects(int n) { return calloc((size_t)n, sizeof(struct rect)); }

int write_buf(const void *buf, int n) { (void)buf; return n; }
int send_all(const void *buf, size_t n) { (void)buf; return (int)n; }
long put_long(const void *buf, long n) { (void)buf; return n; }
int submit(const struct buf_desc *d) { return d->len; }

static event_cb event_handler;
static void *event_ctx;
void register_event_cb(event_cb cb, void *ctx) { event_handler = cb; event_ctx = ctx; }
static reader_cb reader;
void register_reader(reader_cb cb, void *ctx) { reader = cb; (void)ctx; }
void sort_with(void *base, size_t n, size_t size, compare_fn cmp) { qsort(base, n, size, cmp); }

void cside_fire(int code) {
	if (event_handler)
		event_handler(event_ctx, code);
	goOnEvent(NULL, code);
	goLog("fired");
	goTick(1);
	(void)goSum(1, 2);
	(void)goCount();
	(void)goScale(2.0);
	(void)goProgress(1, 2);
	(void)goCompare(NULL, NULL);
	char buf[8];
	(void)goRead(NULL, buf, sizeof buf);
	long v[2] = {1, 2};
	goStore(NULL, v, 2);
}

int set_option(int key, int value) {
	return key + value;
}
