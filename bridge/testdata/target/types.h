// Records whose layouts differ between targets. target_test.go lays
// them out for linux/386 and windows/amd64 from the host translation and
// compares with what a compiler for that target says.
#include <stddef.h>
#include <stdint.h>

struct t_long { char c; long l; int i; };
struct t_ll { char c; long long ll; double d; };
struct t_ptr { char c; void *p; size_t n; ptrdiff_t d; };
struct t_fixed { uint8_t a; uint16_t b; uint32_t c; uint64_t d; int64_t e; };
struct t_intptr { intptr_t ip; uintptr_t up; char c; };
typedef unsigned long my_ulong;
typedef uint64_t my_u64;
typedef my_u64 my_u64_again;
struct t_typedefs { my_ulong a; my_u64 b; char c; my_u64_again d; };
struct t_nested { struct t_long inner; long tail; };
struct t_arr { long xs[3]; short s; };
union t_union { long l; double d; char c[5]; };
struct t_has_union { char c; union t_union u; };
struct t_wchar { wchar_t w; char c; };
struct t_ld { char c; long double ld; };
struct t_enum { char c; enum { T_A, T_B } e; };
struct t_fnptr { char c; int (*fn)(int); };
struct __attribute__((packed)) t_packed { char c; long l; };
struct t_aligned { char c; int i __attribute__((aligned(8))); };
struct t_bits { unsigned a:3; unsigned b:7; int c; };
