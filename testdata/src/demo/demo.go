// Package demo is a small cgo wrapper around the C library with the
// kinds of bugs ffivet finds. Run `make demo` to see them.
package demo

/*
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// A tiny "library" with an allocator of its own.
typedef struct buffer { char *data; size_t len; } buffer;

// ffivet:returns-owned dealloc=buffer_free
static buffer *buffer_new(const char *s) {
	buffer *b = malloc(sizeof *b);
	if (b == NULL) return NULL;
	b->data = strdup(s);
	b->len = strlen(s);
	return b;
}

static void buffer_free(buffer *b) {
	if (b == NULL) return;
	free(b->data);
	free(b);
}

static size_t count_spaces(const char *s) {
	size_t n = 0;
	for (; *s; s++) if (*s == ' ') n++;
	return n;
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Spaces counts the spaces in s. The C string leaks when s is empty.
func Spaces(s string) (int, error) {
	cs := C.CString(s)
	if s == "" {
		return 0, errors.New("empty input")
	}
	n := C.count_spaces(cs)
	C.free(unsafe.Pointer(cs))
	return int(n), nil
}

// Home returns $HOME, and then frees memory that belongs to the C library.
func Home() string {
	key := C.CString("HOME")
	defer C.free(unsafe.Pointer(key))
	v := C.getenv(key)
	home := C.GoString(v)
	C.free(unsafe.Pointer(v))
	return home
}

// Open opens a file for reading and closes it with the wrong function.
func Open(name string) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	mode := C.CString("r")
	defer C.free(unsafe.Pointer(mode))
	f := C.fopen(cname, mode)
	if f == nil {
		return errors.New("cannot open " + name)
	}
	C.free(unsafe.Pointer(f))
	return nil
}

// Length frees the buffer twice: once explicitly, once by the defer.
func Length(s string) int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	b := C.buffer_new(cs)
	if b == nil {
		return 0
	}
	defer C.buffer_free(b)
	n := int(b.len)
	C.buffer_free(b)
	return n
}

// Echo reads the string after freeing it.
func Echo(s string) string {
	cs := C.CString(s)
	C.free(unsafe.Pointer(cs))
	return C.GoString(cs)
}

// Words counts spaces in each word and leaks on every skipped one.
func Words(words []string) int {
	total := 0
	for _, w := range words {
		cw := C.CString(w)
		if len(w) < 2 {
			continue
		}
		total += int(C.count_spaces(cw))
		C.free(unsafe.Pointer(cw))
	}
	return total
}

// Correct is how it should look: freed on every path by the defer.
func Correct(s string) int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	if s == "" {
		return 0
	}
	return int(C.count_spaces(cs))
}
