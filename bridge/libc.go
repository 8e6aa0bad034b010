package bridge

import "sync"

var libcOnce = sync.OnceValue(func() *Knowledge {
	k := &Knowledge{funcs: map[string]*Summary{}}
	for _, e := range libcTable {
		s := e.summary()
		k.funcs[s.Name] = s
	}
	return k
})

// Libc returns the built-in knowledge table. It is shared and must not
// be modified.
func Libc() *Knowledge { return libcOnce() }

// A libcEntry is one row of the table, written compactly. Parameter
// indices are 0-based; the zero value of every field means "nothing
// known" or "no", so a row lists only what is true of its function.
type libcEntry struct {
	name     string
	returns  *Allocator // result is owned memory of this family
	borrowed bool       // result points into library-owned memory
	// retParam is the parameter the result aliases (strcpy's dest,
	// strchr's string). With returns also set, the result aliases it only
	// when that argument is non-NULL and is owned memory otherwise
	// (realpath, getcwd).
	retParam *int
	frees    map[int]*Allocator // parameters released on every path
	mayFree  map[int]*Allocator // parameters released on some outcomes only (realloc)
	borrows  []int              // pointer parameters only read or written during the call
	keeps    []int              // pointer parameters the library still uses after returning
	out      map[int]*Allocator // T** parameters through which owned memory is stored
	success  SuccessTest
	errno    Tristate
	errnoOn  bool // errno meaningful only on failure
	errnoSig bool // errno is the only error signal
	// unterminated lists buffers filled without a terminating NUL, the
	// result counting the bytes written.
	unterminated []int
}

func (e libcEntry) summary() *Summary {
	s := &Summary{
		Name: e.name, Known: true, Source: FromTable,
		ReturnsOwned: e.returns, ReturnsBorrowed: e.borrowed, ReturnsParam: -1,
		OutOwned: e.out, Success: e.success, SetsErrno: e.errno,
		ErrnoOnFailure: e.errnoOn, ErrnoOnlySignal: e.errnoSig,
		Unterminated: e.unterminated,
		Params:       map[int]Effect{}, Deallocs: map[int]*Allocator{},
	}
	for i, a := range e.frees {
		s.Params[i] |= Frees
		s.Deallocs[i] = a
	}
	for i, a := range e.mayFree {
		s.Params[i] |= MayFree
		s.Deallocs[i] = a
	}
	for _, i := range e.borrows {
		s.Params[i] |= Borrows
	}
	for _, i := range e.keeps {
		s.Params[i] |= Keeps
	}
	for i := range e.out {
		s.Params[i] |= Borrows
	}
	if e.retParam != nil {
		s.ReturnsParam = *e.retParam
		s.Params[*e.retParam] |= Returned
	}
	return s
}

// The allocation families of the C library. A family is named by what
// its memory is (a FILE, a DIR) and released by exactly one function;
// memory of one family handed to another family's deallocator is a bug
// even when both are "pointers from libc" (fclose on a popen stream).
var (
	fileFamily     = &Allocator{Family: "FILE", Dealloc: "fclose"}
	pipeFamily     = &Allocator{Family: "popen", Dealloc: "pclose"}
	dirFamily      = &Allocator{Family: "DIR", Dealloc: "closedir"}
	addrinfoFamily = &Allocator{Family: "addrinfo", Dealloc: "freeaddrinfo"}
	dlFamily       = &Allocator{Family: "dlopen", Dealloc: "dlclose"}
	mmapFamily     = &Allocator{Family: "mmap", Dealloc: "munmap"}
)

// libcTable is the knowledge about the C library, as data.
//
// Conventions the rows rely on:
//
//   - realloc and reallocarray release their argument only when they
//     succeed; on failure the old block still belongs to the caller. A
//     Summary cannot tie a parameter effect to the outcome, so the
//     argument is MayFree (with its family in Deallocs) rather than
//     Frees: a check then stops tracking the old pointer instead of
//     reporting a double free on the idiomatic failure path
//     "if (!n) free(p);".
//   - getline and getdelim store a malloc'd buffer through their first
//     argument (growing the one passed in with realloc); the buffer must
//     be freed whatever the result, so it is OutOwned with the malloc
//     family.
//   - realpath and getcwd return malloc'd memory only when the buffer
//     argument is NULL and return that buffer otherwise: both
//     ReturnsOwned and ReturnsParam are set, and a check must look at the
//     argument before it treats the result as owned.
//   - Functions that return an error number instead of setting errno
//     (posix_memalign, pthread_*) have SetsErrno No, so that reading
//     errno after them can be reported. getaddrinfo returns an EAI_ code
//     but sets errno when that code is EAI_SYSTEM, so errno after it is
//     meaningful on failure.
//   - The dl* functions report errors through dlerror, not errno.
var libcTable = []libcEntry{
	// Memory.
	{name: "malloc", returns: MallocFamily, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "calloc", returns: MallocFamily, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "aligned_alloc", returns: MallocFamily, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "realloc", returns: MallocFamily, mayFree: map[int]*Allocator{0: MallocFamily}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "reallocarray", returns: MallocFamily, mayFree: map[int]*Allocator{0: MallocFamily}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "posix_memalign", out: map[int]*Allocator{0: MallocFamily}, success: SuccessZero, errno: No},
	{name: "free", frees: map[int]*Allocator{0: MallocFamily}, errno: No},
	// GLib's g_free releases what malloc returns: since GLib 2.46
	// g_malloc is the system malloc, and g_free(NULL) does nothing.
	{name: "g_free", frees: map[int]*Allocator{0: MallocFamily}, errno: No},
	{name: "mmap", returns: mmapFamily, success: SuccessNotMinus1, errno: Yes, errnoOn: true},
	{name: "munmap", frees: map[int]*Allocator{0: mmapFamily}, success: SuccessZero, errno: Yes, errnoOn: true},

	// Strings that allocate.
	{name: "strdup", returns: MallocFamily, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "strndup", returns: MallocFamily, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "asprintf", out: map[int]*Allocator{0: MallocFamily}, borrows: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "vasprintf", out: map[int]*Allocator{0: MallocFamily}, borrows: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "getline", out: map[int]*Allocator{0: MallocFamily}, borrows: []int{1, 2}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "getdelim", out: map[int]*Allocator{0: MallocFamily}, borrows: []int{1, 3}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "realpath", returns: MallocFamily, retParam: new(1), borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "getcwd", returns: MallocFamily, retParam: new(0), success: SuccessNonNull, errno: Yes, errnoOn: true},

	// Strings and memory that do not allocate.
	{name: "memcpy", retParam: new(0), borrows: []int{0, 1}, errno: No},
	{name: "memmove", retParam: new(0), borrows: []int{0, 1}, errno: No},
	{name: "memset", retParam: new(0), borrows: []int{0}, errno: No},
	{name: "memcmp", borrows: []int{0, 1}, errno: No},
	{name: "memchr", retParam: new(0), borrows: []int{0}, errno: No},
	{name: "strlen", borrows: []int{0}, errno: No},
	{name: "strnlen", borrows: []int{0}, errno: No},
	{name: "strcmp", borrows: []int{0, 1}, errno: No},
	{name: "strncmp", borrows: []int{0, 1}, errno: No},
	{name: "strcpy", retParam: new(0), borrows: []int{0, 1}, errno: No},
	{name: "strncpy", retParam: new(0), borrows: []int{0, 1}, errno: No},
	{name: "strcat", retParam: new(0), borrows: []int{0, 1}, errno: No},
	{name: "strncat", retParam: new(0), borrows: []int{0, 1}, errno: No},
	{name: "strchr", retParam: new(0), borrows: []int{0}, errno: No},
	{name: "strrchr", retParam: new(0), borrows: []int{0}, errno: No},
	{name: "strstr", retParam: new(0), borrows: []int{0, 1}, errno: No},
	// strtok remembers its string between calls: a pointer passed to it
	// must stay valid until the tokenizing is done.
	{name: "strtok", retParam: new(0), keeps: []int{0}, borrows: []int{1}, errno: No},

	// Results that point into library-owned memory.
	{name: "strerror", borrowed: true, errno: No},
	{name: "getenv", borrowed: true, borrows: []int{0}, errno: No},
	{name: "setlocale", borrowed: true, borrows: []int{1}},
	{name: "localtime", borrowed: true, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "gmtime", borrowed: true, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "ctime", borrowed: true, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "ttyname", borrowed: true, success: SuccessNonNull, errno: Yes, errnoOn: true},
	// NULL means both "no such entry" and "error"; only errno tells.
	{name: "getpwnam", borrowed: true, borrows: []int{0}, errno: Yes, errnoSig: true},
	{name: "getpwuid", borrowed: true, errno: Yes, errnoSig: true},
	{name: "getgrnam", borrowed: true, borrows: []int{0}, errno: Yes, errnoSig: true},
	{name: "getgrgid", borrowed: true, errno: Yes, errnoSig: true},

	// Number parsing: the result cannot tell an error from a value.
	{name: "strtol", borrows: []int{0, 1}, errno: Yes, errnoSig: true},
	{name: "strtoul", borrows: []int{0, 1}, errno: Yes, errnoSig: true},
	{name: "strtoll", borrows: []int{0, 1}, errno: Yes, errnoSig: true},
	{name: "strtoull", borrows: []int{0, 1}, errno: Yes, errnoSig: true},
	{name: "strtod", borrows: []int{0, 1}, errno: Yes, errnoSig: true},
	{name: "strtof", borrows: []int{0, 1}, errno: Yes, errnoSig: true},

	// Streams.
	{name: "fopen", returns: fileFamily, borrows: []int{0, 1}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "fdopen", returns: fileFamily, borrows: []int{1}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "tmpfile", returns: fileFamily, success: SuccessNonNull, errno: Yes, errnoOn: true},
	// freopen reuses the stream it is given and returns it: ownership
	// stays with whoever owned the stream.
	{name: "freopen", retParam: new(2), borrows: []int{0, 1}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "fclose", frees: map[int]*Allocator{0: fileFamily}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "popen", returns: pipeFamily, borrows: []int{0, 1}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "pclose", frees: map[int]*Allocator{0: pipeFamily}, success: SuccessNotMinus1, errno: Yes, errnoOn: true},
	{name: "fileno", borrows: []int{0}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "fflush", borrows: []int{0}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "fread", borrows: []int{0, 3}, errno: Yes, errnoOn: true},
	{name: "fwrite", borrows: []int{0, 3}, errno: Yes, errnoOn: true},
	{name: "fgets", retParam: new(0), borrows: []int{0, 2}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "fputs", borrows: []int{0, 1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	// The buffer given to setvbuf is used by every later operation on the
	// stream, until it is closed.
	{name: "setvbuf", borrows: []int{0}, keeps: []int{1}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "printf", borrows: []int{0}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "fprintf", borrows: []int{0, 1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "sprintf", borrows: []int{0, 1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "snprintf", borrows: []int{0, 2}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "puts", borrows: []int{0}, success: SuccessNonNeg, errno: Yes, errnoOn: true},

	// Directories.
	{name: "opendir", returns: dirFamily, borrows: []int{0}, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "fdopendir", returns: dirFamily, success: SuccessNonNull, errno: Yes, errnoOn: true},
	{name: "closedir", frees: map[int]*Allocator{0: dirFamily}, success: SuccessZero, errno: Yes, errnoOn: true},
	// readdir returns NULL both at the end and on error; the entry it
	// returns is overwritten by the next call on the same stream.
	{name: "readdir", borrowed: true, borrows: []int{0}, errno: Yes, errnoSig: true},

	// File descriptors and the file system.
	{name: "open", borrows: []int{0}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "close", success: SuccessZero, errno: Yes, errnoOn: true},
	// read, pread, recv and readlink fill a buffer with bytes and no
	// NUL after them; the result says how many.
	{name: "read", borrows: []int{1}, unterminated: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "pread", borrows: []int{1}, unterminated: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "recv", borrows: []int{1}, unterminated: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "recvfrom", borrows: []int{1, 5}, unterminated: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "readlink", borrows: []int{0, 1}, unterminated: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "readlinkat", borrows: []int{1, 2}, unterminated: []int{2}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "write", borrows: []int{1}, success: SuccessNonNeg, errno: Yes, errnoOn: true},
	{name: "lseek", success: SuccessNotMinus1, errno: Yes, errnoOn: true},
	{name: "unlink", borrows: []int{0}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "mkdir", borrows: []int{0}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "stat", borrows: []int{0, 1}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "lstat", borrows: []int{0, 1}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "fstat", borrows: []int{1}, success: SuccessZero, errno: Yes, errnoOn: true},

	// Environment and process.
	{name: "setenv", borrows: []int{0, 1}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "unsetenv", borrows: []int{0}, success: SuccessZero, errno: Yes, errnoOn: true},
	// putenv makes its argument part of the environment.
	{name: "putenv", keeps: []int{0}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "atexit", success: SuccessZero},

	// Name resolution.
	{name: "getaddrinfo", borrows: []int{0, 1, 2}, out: map[int]*Allocator{3: addrinfoFamily}, success: SuccessZero, errno: Yes, errnoOn: true},
	{name: "freeaddrinfo", frees: map[int]*Allocator{0: addrinfoFamily}, errno: No},

	// Dynamic loading.
	{name: "dlopen", returns: dlFamily, borrows: []int{0}, success: SuccessNonNull, errno: No},
	{name: "dlclose", frees: map[int]*Allocator{0: dlFamily}, success: SuccessZero, errno: No},
	{name: "dlsym", borrowed: true, borrows: []int{0, 1}, errno: No},
	{name: "dlerror", borrowed: true, errno: No},

	// Threads: these return an error number and leave errno alone.
	// pthread_create hands its last argument to the new thread, which
	// uses it after pthread_create has returned.
	{name: "pthread_create", borrows: []int{0, 1}, keeps: []int{3}, success: SuccessZero, errno: No},
	{name: "pthread_join", borrows: []int{1}, success: SuccessZero, errno: No},
	{name: "pthread_mutex_init", borrows: []int{0, 1}, success: SuccessZero, errno: No},
	{name: "pthread_mutex_destroy", borrows: []int{0}, success: SuccessZero, errno: No},
	{name: "pthread_mutex_lock", borrows: []int{0}, success: SuccessZero, errno: No},
	{name: "pthread_mutex_trylock", borrows: []int{0}, success: SuccessZero, errno: No},
	{name: "pthread_mutex_unlock", borrows: []int{0}, success: SuccessZero, errno: No},

	// Sorting and searching only use the array during the call.
	{name: "qsort", borrows: []int{0}, errno: No},
	// qsort_r and dl_iterate_phdr hand their context to the callback
	// during the call only.
	{name: "qsort_r", borrows: []int{0, 4}, errno: No},
	{name: "dl_iterate_phdr", borrows: []int{1}, errno: No},
	{name: "bsearch", retParam: new(1), borrows: []int{0, 1}, errno: No},
}

// polymorphicHeaders are C structs that the C library uses as the
// common header of larger structs: a pointer to one really points to one
// of several concrete types, and converting between them is the API's
// intended use, not a layout mismatch.
var polymorphicHeaders = map[string]bool{
	"struct sockaddr": true,
	"sockaddr":        true,
}

// IsPolymorphicHeader reports whether the C type named cname (as the
// bridge spells it: "struct sockaddr") is such a header.
func IsPolymorphicHeader(cname string) bool { return polymorphicHeaders[cname] }

// errnoLocators are the functions C libraries implement errno with: each
// returns the address of the calling thread's errno.
var errnoLocators = map[string]bool{
	"__errno_location": true, // glibc, musl
	"__error":          true, // Darwin, FreeBSD
	"__errno":          true, // Bionic, OpenBSD, newlib
	"_errno":           true, // Windows CRT
	"___errno":         true, // Solaris
}

// A compilerBuiltin is what the table knows of a GCC builtin.
type compilerBuiltin struct {
	argResult bool // returns its first argument
}

// compilerBuiltins are GCC builtins with no effect on their pointer
// arguments and no effect on errno. Other __builtin_X functions are
// taken to be the C library's X (__builtin_memcpy is memcpy).
var compilerBuiltins = map[string]compilerBuiltin{
	"__builtin_expect":                  {true},
	"__builtin_expect_with_probability": {true},
	"__builtin_assume_aligned":          {true},
	"__builtin_constant_p":              {},
	"__builtin_unreachable":             {},
	"__builtin_trap":                    {},
	"__builtin_va_start":                {},
	"__builtin_va_end":                  {},
	"__builtin_va_copy":                 {},
	"__builtin_prefetch":                {},
	"__builtin_object_size":             {},
	"__builtin_dynamic_object_size":     {},
	"__builtin_bswap16":                 {},
	"__builtin_bswap32":                 {},
	"__builtin_bswap64":                 {},
	"__builtin_clz":                     {},
	"__builtin_ctz":                     {},
	"__builtin_popcount":                {},
	"__builtin_types_compatible_p":      {},
}

// builtinPrefix starts the names of GCC builtins.
const builtinPrefix = "__builtin_"
