/*
 * t.h - a minimal unit-test harness printing TAP lines.
 *
 *   static void test_x(void) { CHECK(1 + 1 == 2); CHECK_STR(a, "b"); }
 *   int main(void) { RUN(test_x); return t_done(); }
 */
#ifndef XBG_T_H
#define XBG_T_H

#include <stdio.h>
#include <string.h>

static int t_failed_total, t_failed_now, t_count;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			printf("# %s:%d: CHECK(%s) failed\n", __FILE__,    \
			       __LINE__, #cond);                           \
			t_failed_now++;                                    \
		}                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *t_a = (a), *t_b = (b);                         \
		if (!t_a || !t_b || strcmp(t_a, t_b) != 0) {               \
			printf("# %s:%d: \"%s\" != \"%s\"\n", __FILE__,    \
			       __LINE__, t_a ? t_a : "(null)",             \
			       t_b ? t_b : "(null)");                      \
			t_failed_now++;                                    \
		}                                                          \
	} while (0)

#define CHECK_INT(a, b)                                                    \
	do {                                                               \
		long long t_a = (long long)(a), t_b = (long long)(b);      \
		if (t_a != t_b) {                                          \
			printf("# %s:%d: %s == %lld, expected %lld\n",     \
			       __FILE__, __LINE__, #a, t_a, t_b);          \
			t_failed_now++;                                    \
		}                                                          \
	} while (0)

#define RUN(fn)                                                            \
	do {                                                               \
		t_failed_now = 0;                                          \
		fn();                                                      \
		t_count++;                                                 \
		printf("%s - %s\n", t_failed_now ? "not ok" : "ok", #fn);  \
		if (t_failed_now)                                          \
			t_failed_total++;                                  \
	} while (0)

static int t_done(void)
{
	printf("1..%d\n", t_count);
	return t_failed_total ? 1 : 0;
}

#endif
