package cgounsafe

/*
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>

typedef struct record {
	char *key;
	size_t key_len;
	char *data;
	size_t datalen;
	char *name;
	int flags;
} record;

struct reply { char *text; unsigned int text_length; };

static record *get_record(void) { return calloc(1, sizeof(record)); }
static struct reply *get_reply(void) { return calloc(1, sizeof(struct reply)); }

// fill_name writes a terminated string and returns its length.
static int fill_name(char *buf, size_t n) { strncpy(buf, "name", n); buf[n-1] = 0; return (int)strlen(buf); }
*/
import "C"

import "unsafe"

// readlink does not terminate what it writes: Go code reading the
// result up to a NUL got garbage after the target (VividCortex/godaemon
// issue #11; in C, libcgroup PR #200 and hpc/charliecloud issue #315).
func linkTarget(path string) string {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	buf := make([]C.char, 4096)
	n := C.readlink(cpath, &buf[0], C.size_t(len(buf)))
	if n < 0 {
		return ""
	}
	return C.GoString(&buf[0]) // want `C\.GoString reads make\(\[\]C\.char, \.\.\.\) \(line \d+\) up to a NUL byte, but C\.readlink \(line \d+\) filled it without one and returned the number of bytes in n: GoString reads past the data into whatever follows; use C\.GoStringN\(&buf\[0\], C\.int\(n\)\) once n is known to be >= 0`
}

func readMessage(fd C.int) string {
	var buf [512]byte
	got := C.read(fd, unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
	if got <= 0 {
		return ""
	}
	return C.GoString((*C.char)(unsafe.Pointer(&buf[0]))) // want `C\.GoString reads .* but C\.read \(line \d+\) filled it without one and returned the number of bytes in got`
}

func receive(sock C.int) string {
	buf := (*C.char)(C.malloc(1024))
	defer C.free(unsafe.Pointer(buf))
	n, err := C.recv(sock, unsafe.Pointer(buf), 1024, 0)
	if err != nil {
		return ""
	}
	_ = n
	return C.GoString(buf) // want `C\.GoString reads C\.malloc .* but C\.recv \(line \d+\) filled it without one`
}

// TileDB-Go replaced C.GoString with C.GoStringN and the size the
// library reports (TileDB-Inc/TileDB-Go PR #238); go-safe-browsing-api
// passed the length of byte-string keys (rjohnsondev/go-safe-browsing-api
// PR #8).
func recordKey() string {
	r := C.get_record()
	return C.GoString(r.key) // want `C\.GoString reads r\.key up to a NUL byte, but C\.struct_record carries its length in field key_len: .*; use C\.GoStringN\(r\.key, C\.int\(r\.key_len\)\)`
}

func recordData(r *C.record) string {
	return C.GoString(r.data) // want `C\.GoString reads r\.data up to a NUL byte, but C\.struct_record carries its length in field datalen`
}

func replyText() string {
	rep := C.get_reply()
	return C.GoString(rep.text) // want `C\.GoString reads rep\.text up to a NUL byte, but C\.struct_reply carries its length in field text_length`
}

// Near misses.

// The count is used: GoStringN.
func linkTargetN(cpath *C.char) string {
	buf := make([]C.char, 4096)
	n := C.readlink(cpath, &buf[0], C.size_t(len(buf)))
	if n < 0 {
		return ""
	}
	return C.GoStringN(&buf[0], C.int(n))
}

// The code terminates the data itself.
func linkTargetTerminated(cpath *C.char) string {
	buf := make([]C.char, 4096)
	n := C.readlink(cpath, &buf[0], C.size_t(len(buf)-1))
	if n < 0 {
		return ""
	}
	buf[n] = 0
	return C.GoString(&buf[0])
}

// A zeroed buffer, and room left for its last zero byte.
func readReserved(fd C.int) string {
	var buf [512]byte
	if C.read(fd, unsafe.Pointer(&buf[0]), C.size_t(len(buf)-1)) <= 0 {
		return ""
	}
	return C.GoString((*C.char)(unsafe.Pointer(&buf[0])))
}

// A C function with a body that terminates what it writes.
func name() string {
	buf := make([]C.char, 64)
	n := C.fill_name(&buf[0], C.size_t(len(buf)))
	_ = n
	return C.GoString(&buf[0])
}

// Another buffer than the one read into.
func otherBuffer(fd C.int, label *C.char) string {
	var buf [512]byte
	n := C.read(fd, unsafe.Pointer(&buf[0]), C.size_t(len(buf)))
	_ = n
	return C.GoString(label)
}

// A field without a length field named after it.
func recordName(r *C.record) string {
	return C.GoString(r.name)
}
