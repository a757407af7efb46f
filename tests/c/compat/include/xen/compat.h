/*
 * A stand-in for the hypervisor's xen/include/xen/compat.h, for the tests
 * of -l c-compat (tests/suites/compat.py): what the generated compat
 * headers and xlat.h take from it, written for these tests.
 *
 * A compat guest handle is the guest's 32-bit pointer.  The CHECK_ helpers
 * prove at compile time what Xen's prove: the same size, and for each
 * member the same offset and a compatible type (comparing the addresses of
 * the two members does not compile, under -Werror, when their types are
 * not compatible).  Each check type's native name is reached as
 * xen_<name>, which the test defines where the native name differs, as
 * the hypervisor's sources do.
 */
#ifndef XBG_TEST_XEN_COMPAT_H
#define XBG_TEST_XEN_COMPAT_H

#include <stddef.h>
#include <stdint.h>

/* What the hypervisor's xen/string.h declares, for the native headers the
 * compat headers include: io/9pfs.h's and io/pvcalls.h's rings (io/ring.h's
 * DEFINE_XEN_FLEX_RING) define functions that call it. */
void *memcpy(void *, const void *, size_t);

typedef uint32_t compat_ptr_t;

#define COMPAT_HANDLE(name) __compat_handle_ ## name
#define __DEFINE_COMPAT_HANDLE(name, type) \
	typedef struct { compat_ptr_t c; } __compat_handle_ ## name; \
	typedef struct { compat_ptr_t c; } __compat_handle_const_ ## name
#define DEFINE_COMPAT_HANDLE(name) __DEFINE_COMPAT_HANDLE(name, name)

/* (one function per expansion: a nested check, CHECK_argo_addr inside
 * CHECK_argo_send_addr and CHECK_argo_ring_data_ent, may be expanded more
 * than once in a translation unit) */
#define XBG_CAT_(a, b) a ## b
#define XBG_CAT(a, b) XBG_CAT_(a, b)
#define XBG_CHECK_(k, n, tag, path) \
	static inline __attribute__((__unused__)) int \
	XBG_CAT(xbg_check_ ## n ## _ ## tag ## _, __COUNTER__)(k xen_ ## n *x, \
						     k compat_ ## n *c) \
	{ \
		_Static_assert(offsetof(k xen_ ## n, path) == \
			       offsetof(k compat_ ## n, path), \
			       "offset of " #n "." #path); \
		return &x->path == &c->path; \
	}
#define CHECK_SIZE_(k, n) \
	_Static_assert(sizeof(k xen_ ## n) == sizeof(k compat_ ## n), \
		       "size of " #k " " #n)
#define CHECK_FIELD_(k, n, f) XBG_CHECK_(k, n, f, f)
#define CHECK_SUBFIELD_1_(k, n, f1, f2) XBG_CHECK_(k, n, f1 ## _ ## f2, f1.f2)
#define CHECK_SUBFIELD_2_(k, n, f1, f2, f3) \
	XBG_CHECK_(k, n, f1 ## _ ## f2 ## _ ## f3, f1.f2.f3)
#define CHECK_SUBFIELD_3_(k, n, f1, f2, f3, f4) \
	XBG_CHECK_(k, n, f1 ## _ ## f2 ## _ ## f3 ## _ ## f4, f1.f2.f3.f4)

#endif
