// Record definitions whose layouts the bridge must agree with GCC on.
// layout_test.go puts this text in a cgo preamble and also compiles it
// with the host gcc.
#include <stddef.h>
#include <stdint.h>

enum color { RED, GREEN, BLUE };
enum signed_e { NEG = -1, POS = 0x7fffffff };
enum small_e { SMALL_A, SMALL_B = 200 } __attribute__((packed));

struct point { int x; int y; };
typedef struct point point_t;
typedef struct { char tag; double value; } tagged_value_t;
struct simple { char c; int i; short s; long l; char c2; };
struct with_ptr { char c; void *p; char *s; struct with_ptr *next; int (*fn)(int); };
struct odd_chars { char a[3]; char b[5]; char c[7]; short s; char d[1]; };
struct odd_tail { int i; char name[13]; };
struct with_ld { char c; long double ld; char c2; };
struct with_bool { _Bool a; int i; _Bool b; _Bool c; };
struct with_enum { char c; enum color col; enum small_e se; char d; enum signed_e s; };
struct arr_of_structs { char c; struct point pts[3]; char tail; };
struct matrix { short cells[3][5]; char c; double d[2][2]; };
struct nested { struct simple s; char c; struct with_ld w; };
union u { int i; double d; char bytes[11]; };
union small_u { char c; short s; };
struct has_union { char c; union u u; char d; };
struct empty {};

// Bit fields.
struct bf_basic { unsigned a:1; unsigned b:2; unsigned c:3; };
struct bf_mixed { char a; int b:3; int c:30; long d; };
struct bf_widths { unsigned char a:3; unsigned short b:9; unsigned int c:17; unsigned long long d:33; unsigned e:1; };
struct bf_zero { char a; int :0; char b; };
struct bf_zero2 { int a:4; int :0; int b:4; unsigned char :0; char c; };
struct bf_span { unsigned a:20; unsigned b:20; unsigned long long c:40; unsigned long long d:40; };
struct bf_unnamed { char a; int :3; int b:5; unsigned :0; short c:7; };
struct bf_char { char a:4; char b:4; char c:4; short d:9; short e:9; };
struct bf_bool { _Bool a:1; _Bool b:1; int c:2; enum color col:2; };
struct bf_signed { signed a:5; long long b:60; int c:7; };
struct bf_after_array { char name[3]; unsigned flag:1; unsigned mode:12; char last; };
union bf_union { int a:3; unsigned long long b:40; char c; };

// Packed.
struct __attribute__((packed)) pk_basic { char c; int i; short s; long long l; };
struct pk_after { char c; double d; } __attribute__((packed));
struct __attribute__((packed)) pk_bf { char a; int b:12; int c:25; unsigned char d:3; unsigned char e:7; long f:50; };
struct __attribute__((packed, aligned(4))) pk_aligned { char c; int i; short s; };
struct pk_member { char c; int i __attribute__((packed)); short s; };
struct __attribute__((packed)) pk_nested { char c; struct point p; struct simple s; };
struct pk_zero { char a; int :0; char b; } __attribute__((packed));
typedef struct __attribute__((packed)) { char c; int i; } pk_anon_t;
union __attribute__((packed)) pk_union { char c; int i; char b[5]; };

// Aligned.
struct __attribute__((aligned(16))) al16 { char c; };
struct al_member { char c; int i __attribute__((aligned(16))); char d; };
struct al_alignas { char c; _Alignas(8) short s; _Alignas(double) char d; };
typedef int aligned_int8 __attribute__((aligned(8)));
struct al_typedef { char c; aligned_int8 i; };
struct al_in_struct { char c; struct al16 a; char d; };
typedef struct { char c; int i __attribute__((aligned(32))); } al_anon_t;
struct al_bare { char c; } __attribute__((aligned));
typedef struct point apoint_t __attribute__((aligned(16)));
struct uses_apoint { char c; apoint_t p; char d; };

// Flexible array members.
struct flex { int n; char data[]; };
struct flex_align { char c; double d[]; };
struct flex_struct { short n; struct point pts[]; };

// Anonymous and nested members.
struct anon { int kind; union { int i; float f; struct { short lo, hi; }; }; char tail; };
struct anon2 { char c; struct { char d; double e; }; union { char f; long double g; }; };
struct anon_bf { int a; struct { unsigned x:3; unsigned y:7; }; unsigned z:5; };
struct named_nested { struct { int a; char b; } first; union { short s; char c[3]; } second; };
struct outer_tag { struct inner_tag { int q; char r; } in; int after; };
typedef union { struct { uint8_t r, g, b, a; }; uint32_t rgba; } color_t;
