// Loops: C memory allocated in a loop body and dropped when the loop goes
// round again, by a continue that skips the free or by the next
// iteration's allocation overwriting the only pointer to it. The finding
// sits on the allocation and names the loop's for line. Leaving the loop
// by break reaches a return, and is reported as a leak on that return.
// The near misses free in the body, before the continue, or after the
// loop through a slice that holds every allocation.
package cgoalloc

/*
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Invalid names are skipped without freeing.
func registerAll(names []string) int {
	registered := 0
	for _, name := range names {
		cname := C.CString(name) // want `memory from C\.CString at line 25 leaks when the loop at line 24 starts its next iteration`
		if C.name_ok(cname) == 0 {
			continue
		}
		if C.register_name(cname) == 0 {
			registered++
		}
		C.free(unsafe.Pointer(cname))
	}
	return registered
}

// The free was moved out of the loop: only the last line is freed.
func mostWords(lines []string) int {
	var cline *C.char
	best := 0
	for _, line := range lines {
		cline = C.CString(line) // want `memory from C\.CString at line 42 leaks when the loop at line 41 starts its next iteration`
		if n := int(C.count_words(cline)); n > best {
			best = n
		}
	}
	C.free(unsafe.Pointer(cline))
	return best
}

// break leaves the loop with the current name still allocated.
func firstUnregistered(names []string) string {
	missing := ""
	for _, name := range names {
		cname := C.CString(name) // want `memory from C\.CString at line 55 leaks on the path that returns at line 62\b`
		if C.unregister_name(cname) != 0 {
			missing = name
			break
		}
		C.free(unsafe.Pointer(cname))
	}
	return missing
}

// A NULL chunk is skipped correctly; a failed read is skipped with the
// chunk still allocated.
func sumChunks(sizes []int) int {
	total := 0
	for i := 0; i < len(sizes); i++ {
		chunk := C.malloc(C.size_t(sizes[i])) // want `memory from C\.malloc at line 70 leaks when the loop at line 69 starts its next iteration`
		if chunk == nil {
			continue
		}
		n := C.read_into(chunk, C.size_t(sizes[i]))
		if n < 0 {
			continue
		}
		total += int(C.checksum(chunk, n))
		C.free(chunk)
	}
	return total
}

// A message the peer is not ready for is skipped, and its copy with it.
func sendAll(msgs [][]byte) error {
	for _, m := range msgs {
		buf := C.CBytes(m) // want `memory from C\.CBytes at line 87 leaks when the loop at line 86 starts its next iteration`
		rc := C.send_buf(buf, C.size_t(len(m)))
		if rc == -2 {
			continue
		}
		C.free(buf)
		if rc < 0 {
			return fmt.Errorf("message of %d bytes: %w", len(m), errSend)
		}
	}
	return nil
}

// Near miss: freed before the continue and at the end of the body.
func registerValid(names []string) int {
	registered := 0
	for _, name := range names {
		cname := C.CString(name)
		if C.name_ok(cname) == 0 {
			C.free(unsafe.Pointer(cname))
			continue
		}
		if C.register_name(cname) == 0 {
			registered++
		}
		C.free(unsafe.Pointer(cname))
	}
	return registered
}

// Near miss: an argv array; every element is freed by the deferred loop.
func runCommand(args []string) error {
	argv := make([]*C.char, 0, len(args))
	defer func() {
		for _, a := range argv {
			C.free(unsafe.Pointer(a))
		}
	}()
	for _, a := range args {
		argv = append(argv, C.CString(a))
	}
	for _, a := range argv {
		if C.name_ok(a) == 0 {
			return errInvalid
		}
	}
	return nil
}

// Near miss: one buffer serves every iteration and is freed after the
// loop.
func checksumAll(n int, rounds int) int {
	buf := C.malloc(C.size_t(n))
	if buf == nil {
		return 0
	}
	sum := 0
	for i := 0; i < rounds; i++ {
		m := C.read_into(buf, C.size_t(n))
		if m < 0 {
			continue
		}
		sum += int(C.checksum(buf, m))
	}
	C.free(buf)
	return sum
}

// Near miss: the body is a function literal with its own defer.
func hashAll(names []string) []uint32 {
	hashes := make([]uint32, 0, len(names))
	for _, name := range names {
		func() {
			cname := C.CString(name)
			defer C.free(unsafe.Pointer(cname))
			hashes = append(hashes, uint32(C.hash_name(cname)))
		}()
	}
	return hashes
}

// Near miss: the name is freed before break leaves the loop.
func allRegistered(names []string) bool {
	ok := true
	for _, name := range names {
		cname := C.CString(name)
		rc := C.unregister_name(cname)
		C.free(unsafe.Pointer(cname))
		if rc != 0 {
			ok = false
			break
		}
	}
	return ok
}
