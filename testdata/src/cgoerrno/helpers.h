/*
 * A small C library for the cgoerrno tests: functions that set errno,
 * read it, or lose it on the way back to Go.
 */
#ifndef CGOERRNO_HELPERS_H
#define CGOERRNO_HELPERS_H

#include <stddef.h>

/* Accessors: they return the errno the caller left. */
int get_errno(void);
int last_error_logged(void);
void log_errno(const char *what);

/* These set errno and return -1. */
int fail_with(int e);
void set_errno(int e);

/* Arithmetic: errno is never touched. */
int add(int a, int b);

/* open(2) wrappers. */
int open_logged(const char *path);
int open_restored(const char *path);
int open_check(const char *path);
int open_status(const char *path);
int open_errno(const char *path);
int check_len(int n);
int clear_errno(void);

// ffivet:no-errno
int lib_status(void);

// ffivet:sets-errno success=nonneg
int dev_read(int fd, void *buf, int n);

/*
 * A library that keeps its own error state, known to ffivet only by its
 * declarations.
 */
int mylib_open(const char *path);
int mylib_errno(void);

#endif
