package goview

/*
#include <stdlib.h>
#include <stdint.h>

typedef struct { int a; char b; } anon_t;
struct node { struct node *next; uint32_t id; unsigned flag:1; long long big; };
typedef struct node node_t;
typedef struct opaque *handle;
typedef void (*callback)(void *ctx, size_t n);
union value { int i; double d; };
enum color { RED, GREEN = -2 };
struct keywords { int type; int _type; int range; };

int counter;
static int connect(handle h, node_t *n, callback cb, const char *name) { return 0; }
static void nothing(void) {}

#define LIMIT 16
#define MASK (1u << 4)
#define NAME "goview"
#define RATIO 0.5
#define NEG -1
#define SEVERAL (LIMIT * 2)
#define LETTER 'g'
#define COUNTER_ALIAS counter
#define NOWHERE ((void *) -1l)
#define word_t unsigned long
#define link_up connect
*/
import "C"

import "unsafe"

func use() {
	var n C.node_t
	var a C.anon_t
	var u C.union_value
	var k C.struct_keywords
	_, _, _, _ = n, a, u, k
	_ = C.connect(nil, &n, nil, C.CString("x"))
	r, err := C.connect(nil, nil, nil, nil)
	_, _ = r, err
	_ = C.counter
	_ = C.nothing
	_, _, _, _ = C.LIMIT, C.MASK, C.NAME, C.RATIO
	_, _ = C.GREEN, C.sizeof_struct_node
	_, _, _ = C.NEG, C.SEVERAL, C.LETTER
	_, _ = C.COUNTER_ALIAS, C.NOWHERE
	_ = C.link_up(nil, nil, nil, nil)
	var w C.word_t
	var v *C.void
	_, _ = w, v
	C.free(unsafe.Pointer(C.malloc(1)))
	_ = C.GoString(nil)
}
