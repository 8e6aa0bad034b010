package bridge_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ffivet/ffivet/bridge"
)

const errnoExitPreamble = `
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int geterr(void) { return errno; }

static int log_err(void) {
	printf("failed\n");
	return errno;
}

// Reads only the errno of its own open.
static int open_err(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

// The message printed on failure may overwrite open's errno.
static int open_logged(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	return fd;
}

// close runs on the success path only.
static int open_check(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

// errno is set, then the log may overwrite it.
static int check_len(int n) {
	if (n < 0) {
		errno = EINVAL;
		fputs("negative length\n", stderr);
		return -1;
	}
	return n;
}

// errno is saved and restored around the log.
static int open_restored(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		int e = errno;
		fprintf(stderr, "cannot open %s\n", path);
		errno = e;
		return -1;
	}
	return fd;
}

static char *dup_logged(const char *s) {
	char *p = malloc(64);
	if (!p) {
		puts("out of memory");
		return NULL;
	}
	return p;
}

// The log runs on the way to return 0, which does not report failure.
static int status(const char *path) {
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	fprintf(stderr, "opened\n");
	return 0;
}
`

func loadErrnoExit(t *testing.T) *bridge.Package {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	src := "package p\n\n/*\n" + errnoExitPreamble + "\n*/\nimport \"C\"\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return bridge.Load(&bridge.Request{GoFiles: []string{path}})
}

func TestErrnoExitClobbers(t *testing.T) {
	p := loadErrnoExit(t)
	for _, w := range p.Warnings {
		t.Logf("warning: %v", w)
	}
	tests := []struct {
		fn           string
		callerErrno  bool
		exitClobbers string
	}{
		{fn: "geterr", callerErrno: true},
		{fn: "log_err", callerErrno: true},
		{fn: "open_err"},
		{fn: "open_logged", exitClobbers: "fprintf"},
		{fn: "open_check"},
		{fn: "check_len", exitClobbers: "fputs"},
		{fn: "open_restored"},
		{fn: "dup_logged", exitClobbers: "puts"},
		{fn: "status"},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			s := p.Summary(tt.fn)
			if !s.Known || s.Source != bridge.FromBody {
				t.Fatalf("summary %v: want a known summary from the body", s)
			}
			if s.ReadsCallerErrno != tt.callerErrno {
				t.Errorf("ReadsCallerErrno = %v, want %v (%v)", s.ReadsCallerErrno, tt.callerErrno, s)
			}
			if got := strings.Join(s.ErrnoExitClobbers, ","); got != tt.exitClobbers {
				t.Errorf("ErrnoExitClobbers = %q, want %q (%v)", got, tt.exitClobbers, s)
			}
		})
	}
}
