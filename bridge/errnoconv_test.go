package bridge

import "testing"

func TestFailureConvention(t *testing.T) {
	p := loadCgo(t, `
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int open_config(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	return fd;
}
static char *dup_name(const char *s) {
	if (s == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return strdup(s);
}
static int set_level(int level) {
	if (level < 0) { errno = ERANGE; return -2; }
	if (level > 9) { errno = ERANGE; return -1; }
	return level;
}
static long parse_long(const char *s) {
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno != 0)
		return -1;
	return v;
}
static int close_quietly(int fd) {
	if (fd < 0)
		return -1;
	return close(fd);
}
static void *mixed(int fd) {
	if (fd < 0) { errno = EBADF; return NULL; }
	return malloc(1);
}
`, nil)
	for _, tc := range []struct {
		name string
		want SuccessTest
	}{
		{"open_config", SuccessNotMinus1},
		{"dup_name", SuccessNonNull},
		{"set_level", SuccessNonNeg},
		{"parse_long", SuccessUnknown},
		{"close_quietly", SuccessUnknown},
		{"mixed", SuccessNonNull},
	} {
		s := p.Summary(tc.name)
		if s.Success != tc.want || s.ErrnoOnFailure != (tc.want != SuccessUnknown) {
			t.Errorf("%s: success %s, errno on failure %v; want %s", tc.name, s.Success, s.ErrnoOnFailure, tc.want)
		}
	}
}
