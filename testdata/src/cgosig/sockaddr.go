// struct sockaddr is a polymorphic header.
package cgosig

/*
#include <sys/socket.h>
#include <netinet/in.h>
static int family(const struct sockaddr *sa) { return sa->sa_family; }
*/
import "C"

import (
	"syscall"
	"unsafe"
)

// Near miss: struct sockaddr is the common header of every socket
// address, and the sockets API converts between them (net does this).
func familyOf(sa *syscall.RawSockaddrInet6) int {
	return int(C.family((*C.struct_sockaddr)(unsafe.Pointer(sa))))
}
