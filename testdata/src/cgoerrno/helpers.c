#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

int get_errno(void) { return errno; }

int last_error_logged(void) {
	printf("last error requested\n");
	return errno;
}

void log_errno(const char *what) {
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
}

int fail_with(int e) {
	errno = e;
	return -1;
}

void set_errno(int e) { errno = e; }

int add(int a, int b) { return a + b; }

int open_logged(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	return fd;
}

int open_restored(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		int saved = errno;
		fprintf(stderr, "cannot open %s\n", path);
		errno = saved;
		return -1;
	}
	return fd;
}

int open_check(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int open_status(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cannot open %s\n", path);
		return errno;
	}
	close(fd);
	return 0;
}

int open_errno(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

int check_len(int n) {
	if (n < 0) {
		errno = EINVAL;
		fputs("negative length\n", stderr);
		return -1;
	}
	return n;
}

int clear_errno(void) {
	errno = 0;
	return 0;
}

static int status_word;

int lib_status(void) { return status_word; }

int dev_read(int fd, void *buf, int n) { return (int)read(fd, buf, (size_t)n); }

/*
 * The library's own functions are aliases, so that ffivet sees only
 * their declarations, as it would for a library linked from elsewhere.
 */
static int lib_last;

static int impl_open(const char *path) {
	int fd = open(path, O_RDONLY);
	lib_last = fd < 0 ? errno : 0;
	return fd;
}

static int impl_errno(void) { return errno; }

int mylib_open(const char *path) __attribute__((alias("impl_open")));
int mylib_errno(void) __attribute__((alias("impl_errno")));
