#include <stdlib.h>

#include "helpers.h"

#define NAMES 16
#define NAMELEN 64

static char names[NAMES][NAMELEN];
static char table[NAMES][2][NAMELEN];
static char last_failure[NAMELEN];
static char *g_progname;
static char *g_label;
static unsigned sent_sum;
static int db_flags;

static char *mq_queue[64];
static int mq_len;

static const char source[] =
	"The quick brown fox jumps over the lazy dog. "
	"The quick brown fox jumps over the lazy dog. "
	"The quick brown fox jumps over the lazy dog. "
	"The quick brown fox jumps over the lazy dog. "
	"The quick brown fox jumps over the lazy dog. "
	"The quick brown fox jumps over the lazy dog. "
	"The quick brown fox jumps over the lazy dog.";

static void copy_name(char *dst, const char *src) {
	int i = 0;
	for (; i < NAMELEN - 1 && src[i] != '\0'; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static int same(const char *a, const char *b) {
	int i = 0;
	for (; a[i] != '\0' && a[i] == b[i]; i++)
		;
	return a[i] == b[i];
}

int name_ok(const char *name) {
	if (name == NULL || name[0] == '\0')
		return 0;
	for (int i = 0; name[i] != '\0'; i++) {
		if (name[i] == '/' || i >= NAMELEN - 1)
			return 0;
	}
	return 1;
}

int register_name(const char *name) {
	for (int i = 0; i < NAMES; i++) {
		if (names[i][0] == '\0') {
			copy_name(names[i], name);
			return 0;
		}
	}
	return -1;
}

int unregister_name(const char *name) {
	for (int i = 0; i < NAMES; i++) {
		if (same(names[i], name)) {
			names[i][0] = '\0';
			return 0;
		}
	}
	return -1;
}

const char *alias_for(const char *name) {
	if (same(name, "localhost"))
		return "loopback";
	if (same(name, "db"))
		return "database";
	return "";
}

int db_open(const char *path, int flags) {
	if (path[0] == '\0')
		return -1;
	db_flags = flags;
	return 0;
}

int db_put(const char *key, const char *val) {
	for (int i = 0; i < NAMES; i++) {
		if (table[i][0][0] == '\0' || same(table[i][0], key)) {
			copy_name(table[i][0], key);
			copy_name(table[i][1], val);
			return 0;
		}
	}
	return -1;
}

int db_exec(const char *sql) {
	int words = 0;
	for (int i = 0; sql[i] != '\0'; i++)
		if (sql[i] == ' ')
			words++;
	return words > 0 ? 0 : -1;
}

int db_export(const char *table_name) {
	return table_name[0] == '\0' ? -1 : 0;
}

size_t count_words(const char *text) {
	size_t n = 0;
	int in_word = 0;
	for (; *text != '\0'; text++) {
		int space = *text == ' ' || *text == '\t' || *text == '\n';
		if (!space && !in_word)
			n++;
		in_word = !space;
	}
	return n;
}

unsigned hash_name(const char *name) {
	unsigned h = 2166136261u;
	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

void lowercase(char *s) {
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
}

void normalize(char *path) {
	int j = 0;
	for (int i = 0; path[i] != '\0'; i++) {
		if (path[i] == '/' && j > 0 && path[j - 1] == '/')
			continue;
		path[j++] = path[i];
	}
	path[j] = '\0';
}

void log_failure(const char *what) {
	copy_name(last_failure, what);
}

int send_buf(const void *buf, size_t n) {
	const unsigned char *p = buf;
	if (n == 0)
		return -1;
	if (n > 4096)
		return -2;
	for (size_t i = 0; i < n; i++)
		sent_sum += p[i];
	return (int)n;
}

int read_into(void *buf, size_t n) {
	unsigned char *p = buf;
	size_t len = sizeof source - 1;
	if (n == 0)
		return -1;
	if (n < len)
		return -2;
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)source[i];
	return (int)len;
}

int read_body(void *frame, size_t off, size_t n) {
	unsigned char *p = frame;
	if (n > sizeof source - 1)
		return -1;
	for (size_t i = 0; i < n; i++)
		p[off + i] = (unsigned char)source[i];
	return (int)n;
}

void put_header(void *frame, int kind, int length) {
	unsigned char *p = frame;
	p[0] = (unsigned char)kind;
	p[1] = (unsigned char)(length >> 16);
	p[2] = (unsigned char)(length >> 8);
	p[3] = (unsigned char)length;
}

void collect_counts(int *out, int n) {
	for (int i = 0; i < n; i++)
		out[i] = i * 3;
}

void wipe(void *buf, size_t n) {
	unsigned char *p = buf;
	for (size_t i = 0; i < n; i++)
		p[i] = 0;
}

int checksum(const void *buf, int n) {
	const unsigned char *p = buf;
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum = (sum * 31 + p[i]) & 0x7fffffff;
	return sum;
}

int config_load(struct config *cfg, const char *path) {
	if (path[0] == '\0')
		return -1;
	cfg->workers = 4;
	cfg->verbose = 0;
	copy_name(cfg->name, path);
	return 0;
}

void config_defaults(struct config *cfg) {
	cfg->workers = 1;
	cfg->verbose = 0;
	cfg->name[0] = '\0';
}

char *make_greeting(const char *name) {
	static const char hello[] = "hello, ";
	size_t n = 0;
	while (name[n] != '\0')
		n++;
	char *s = malloc(sizeof hello + n);
	if (s == NULL)
		return NULL;
	size_t i = 0;
	for (; hello[i] != '\0'; i++)
		s[i] = hello[i];
	for (size_t j = 0; j < n; j++)
		s[i + j] = name[j];
	s[i + n] = '\0';
	return s;
}

void release_name(char *name) {
	unregister_name(name);
	free(name);
}

void set_progname(char *name) {
	g_progname = name;
}

const char *progname(void) {
	return g_progname != NULL ? g_progname : "";
}

void set_label(char *label) {
	free(g_label);
	g_label = label;
}

void mq_submit(char *msg) {
	if (mq_len == 64)
		mq_drain();
	mq_queue[mq_len++] = msg;
}

void mq_drain(void) {
	for (int i = 0; i < mq_len; i++) {
		free(mq_queue[i]);
		mq_queue[i] = NULL;
	}
	mq_len = 0;
}
