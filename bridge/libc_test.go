package bridge

import (
	"runtime"
	"sort"
	"testing"

	"modernc.org/cc/v4"
)

func TestLibcSample(t *testing.T) {
	k := Libc()
	tests := []struct {
		name  string
		check func(s *Summary) bool
	}{
		{"malloc", func(s *Summary) bool {
			return s.ReturnsOwned == MallocFamily && s.Success == SuccessNonNull && s.SetsErrno == Yes && s.ErrnoOnFailure
		}},
		{"free", func(s *Summary) bool {
			return s.Effect(0) == Frees && s.Deallocs[0] == MallocFamily && s.SetsErrno == No
		}},
		// realloc releases its argument only on success.
		{"realloc", func(s *Summary) bool {
			return s.ReturnsOwned == MallocFamily && s.Effect(0) == MayFree && s.Deallocs[0] == MallocFamily
		}},
		{"strndup", func(s *Summary) bool { return s.ReturnsOwned == MallocFamily && s.Effect(0) == Borrows }},
		{"asprintf", func(s *Summary) bool {
			return s.OutOwned[0] == MallocFamily && s.Success == SuccessNonNeg && s.Effect(1) == Borrows
		}},
		{"getline", func(s *Summary) bool { return s.OutOwned[0] == MallocFamily && s.Effect(2) == Borrows }},
		// Owned only when the buffer argument is NULL.
		{"realpath", func(s *Summary) bool { return s.ReturnsOwned == MallocFamily && s.ReturnsParam == 1 }},
		{"getcwd", func(s *Summary) bool { return s.ReturnsOwned == MallocFamily && s.ReturnsParam == 0 }},
		{"getaddrinfo", func(s *Summary) bool {
			return s.OutOwned[3] == addrinfoFamily && s.Success == SuccessZero && s.SetsErrno == Yes && s.ErrnoOnFailure && s.Effect(3) == Borrows
		}},
		{"fopen", func(s *Summary) bool { return s.ReturnsOwned == fileFamily && s.Effect(0) == Borrows }},
		{"popen", func(s *Summary) bool { return s.ReturnsOwned == pipeFamily }},
		{"pclose", func(s *Summary) bool { return s.Deallocs[0] == pipeFamily && s.Success == SuccessNotMinus1 }},
		{"freopen", func(s *Summary) bool { return s.ReturnsOwned == nil && s.ReturnsParam == 2 && s.Effect(2) == Returned }},
		{"readdir", func(s *Summary) bool { return s.ReturnsBorrowed && s.ErrnoOnlySignal && !s.ErrnoOnFailure }},
		{"getenv", func(s *Summary) bool { return s.ReturnsBorrowed && s.ReturnsOwned == nil && s.SetsErrno == No }},
		{"getpwnam", func(s *Summary) bool { return s.ReturnsBorrowed && s.ErrnoOnlySignal }},
		{"strtoull", func(s *Summary) bool { return s.ErrnoOnlySignal && s.SetsErrno == Yes && s.Effect(1) == Borrows }},
		{"read", func(s *Summary) bool { return s.Success == SuccessNonNeg && s.ErrnoOnFailure && s.Effect(1) == Borrows }},
		{"lseek", func(s *Summary) bool { return s.Success == SuccessNotMinus1 && s.ErrnoOnFailure }},
		{"dlopen", func(s *Summary) bool { return s.ReturnsOwned == dlFamily && s.SetsErrno == No }},
		{"dlerror", func(s *Summary) bool { return s.ReturnsBorrowed && s.SetsErrno == No }},
		{"memcpy", func(s *Summary) bool {
			return s.ReturnsParam == 0 && s.Effect(0) == Borrows|Returned && s.Effect(1) == Borrows && s.SetsErrno == No
		}},
		{"strchr", func(s *Summary) bool { return s.ReturnsParam == 0 && s.ReturnsOwned == nil }},
		{"strlen", func(s *Summary) bool { return s.ReturnsParam == -1 && s.Effect(0) == Borrows }},
		{"strtok", func(s *Summary) bool { return s.Effect(0)&Keeps != 0 }},
		{"setvbuf", func(s *Summary) bool { return s.Effect(1) == Keeps && s.Effect(0) == Borrows }},
		{"printf", func(s *Summary) bool { return s.SetsErrno == Yes && s.ErrnoOnFailure }},
		{"pthread_mutex_lock", func(s *Summary) bool { return s.Success == SuccessZero && s.SetsErrno == No }},
		{"pthread_create", func(s *Summary) bool { return s.Effect(3) == Keeps && s.SetsErrno == No }},
		{"mmap", func(s *Summary) bool { return s.ReturnsOwned == mmapFamily && s.Success == SuccessNotMinus1 }},
		{"munmap", func(s *Summary) bool { return s.Deallocs[0] == mmapFamily && s.Effect(0) == Frees }},
		{"posix_memalign", func(s *Summary) bool {
			return s.OutOwned[0] == MallocFamily && s.Success == SuccessZero && s.SetsErrno == No
		}},
		{"bsearch", func(s *Summary) bool { return s.ReturnsParam == 1 && s.Effect(0) == Borrows }},
		{"qsort", func(s *Summary) bool { return s.Effect(0) == Borrows }},
		{"atexit", func(s *Summary) bool { return s.Success == SuccessZero }},
	}
	for _, tt := range tests {
		s := k.Summary(tt.name)
		if s == nil {
			t.Errorf("%s: not in the table", tt.name)
			continue
		}
		if !s.Known || s.Source != FromTable || s.Name != tt.name {
			t.Errorf("%s: %v is not a known table entry", tt.name, s)
		}
		if !tt.check(s) {
			t.Errorf("%s: unexpected summary %v", tt.name, s)
		}
	}
	if k.Summary("no_such_function") != nil {
		t.Errorf("unknown function has a table entry")
	}
	var nilPkg *Package
	if s := nilPkg.Summary("strdup"); s.Source != FromTable {
		t.Errorf("nil package: Summary(strdup) = %v, want the table's", s)
	}
	if s := nilPkg.Summary("nope"); s.Known || s.ReturnsParam != -1 {
		t.Errorf("nil package: Summary(nope) = %v, want unknown", s)
	}
}

// Every family the table hands out is released by a function of the
// table, which releases that same family; a family has one deallocator.
func TestLibcFamilies(t *testing.T) {
	k := Libc()
	released := map[string]*Allocator{} // family → allocator as released
	names := map[string]bool{}
	for _, e := range libcTable {
		if names[e.name] {
			t.Errorf("%s: listed twice", e.name)
		}
		names[e.name] = true
		s := k.Summary(e.name)
		for i, a := range s.Deallocs {
			if s.Params[i]&(Frees|MayFree) == 0 {
				t.Errorf("%s: Deallocs[%d] without a freeing effect", e.name, i)
			}
			if old := released[a.Family]; old != nil && *old != *a {
				t.Errorf("family %s released as both %v and %v", a.Family, old, a)
			}
			released[a.Family] = a
			d := k.Summary(a.Dealloc)
			if d == nil {
				t.Errorf("%s: releases %v, whose deallocator is not in the table", e.name, a)
				continue
			}
			found := false
			for j, da := range d.Deallocs {
				if da.Family == a.Family && d.Params[j]&Frees != 0 {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: family %s names deallocator %s, which does not free it", e.name, a.Family, a.Dealloc)
			}
		}
	}
	check := func(who string, a *Allocator) {
		if a == nil {
			return
		}
		r := released[a.Family]
		if r == nil {
			t.Errorf("%s: family %s is released by no function in the table", who, a.Family)
		} else if *r != *a {
			t.Errorf("%s: returns %v but the family is released as %v", who, a, r)
		}
	}
	for _, e := range libcTable {
		s := k.Summary(e.name)
		check(e.name+" result", s.ReturnsOwned)
		for i, a := range s.OutOwned {
			check(e.name+" out-parameter", a)
			if s.Params[i]&Borrows == 0 {
				t.Errorf("%s: out-parameter %d not borrowed", e.name, i)
			}
		}
		if s.ReturnsOwned != nil && s.ReturnsBorrowed {
			t.Errorf("%s: result both owned and borrowed", e.name)
		}
		if s.ErrnoOnFailure && s.ErrnoOnlySignal {
			t.Errorf("%s: errno both on failure and the only signal", e.name)
		}
		if (s.ErrnoOnFailure || s.ErrnoOnlySignal) && s.SetsErrno != Yes {
			t.Errorf("%s: errno facts without SetsErrno", e.name)
		}
		if s.ErrnoOnFailure && s.Success == SuccessUnknown && e.name != "fread" && e.name != "fwrite" {
			t.Errorf("%s: errno meaningful on failure, but failure is not described", e.name)
		}
	}
}

// The table's parameter positions agree with the C library's own
// prototypes: every position exists, and every position with an effect
// on memory is a pointer.
func TestLibcMatchesHeaders(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("glibc headers")
	}
	p := loadCgo(t, `
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <dirent.h>
#include <netdb.h>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <pwd.h>
#include <grp.h>
#include <locale.h>
#include <link.h>
#include <sys/socket.h>
// GLib's deallocator, as glib/gmem.h declares it (gpointer is void *):
// the one row not from the C library, whose headers are not here.
void g_free(void *mem);
#cgo LDFLAGS: -ldl
`, nil)
	var missing []string
	for _, e := range libcTable {
		f := p.Func(e.name)
		if f == nil {
			missing = append(missing, e.name)
			continue
		}
		s := Libc().Summary(e.name)
		idx := map[int]bool{}
		for i := range s.Params {
			idx[i] = true
		}
		for i := range s.OutOwned {
			idx[i] = true
		}
		for i := range idx {
			if i >= len(f.Params) {
				t.Errorf("%s: parameter %d, but %s", e.name, i, f)
				continue
			}
			if pt := f.Params[i].Type; pt == nil || pt.Kind() != cc.Ptr {
				t.Errorf("%s: parameter %d is not a pointer in %s", e.name, i, f)
			}
		}
		if (s.ReturnsOwned != nil || s.ReturnsBorrowed || s.ReturnsParam >= 0) && (f.Result == nil || f.Result.Kind() != cc.Ptr) {
			t.Errorf("%s: result facts, but the result is not a pointer in %s", e.name, f)
		}
		for i := range s.OutOwned {
			if i < len(f.Params) {
				if pt, ok := f.Params[i].Type.(*cc.PointerType); !ok || pt.Elem().Kind() != cc.Ptr {
					t.Errorf("%s: out-parameter %d is not a pointer to a pointer in %s", e.name, i, f)
				}
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("not declared by the headers: %v", missing)
	}
}
