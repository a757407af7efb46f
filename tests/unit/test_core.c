/*
 * test_core.c - unit tests for util, diag, names and the layout engine's
 * data models.
 */
#include "base/base.h"
#include "model/model.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>

static void test_hmap(void)
{
	HMap m;
	char keys[2000][16];
	int i;
	hmap_init(&m);
	for (i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		CHECK(hmap_put(&m, keys[i], strlen(keys[i]), keys[i]) == NULL);
	}
	for (i = 0; i < 2000; i++)
		CHECK(hmap_gets(&m, keys[i]) == keys[i]);
	CHECK(hmap_gets(&m, "nope") == NULL);
	CHECK(hmap_put(&m, keys[5], strlen(keys[5]), keys[6]) == keys[5]);
	CHECK_INT(m.count, 2000);
	/* keys are byte strings: an embedded NUL is part of the key */
	CHECK(hmap_put(&m, "a\0b", 3, keys[0]) == NULL);
	CHECK(hmap_get(&m, "a\0b", 3) == keys[0]);
	CHECK(hmap_get(&m, "a", 1) == NULL);
	hmap_free(&m);
}

static void test_arena(void)
{
	Arena a;
	int i;
	char *big;
	arena_init(&a);
	for (i = 0; i < 100000; i++) {
		char *p = arena_alloc(&a, (size_t)(i % 100) + 1);
		CHECK(((uintptr_t)p % _Alignof(max_align_t)) == 0);
		p[0] = 'x';
	}
	big = arena_alloc(&a, 1 << 20);
	CHECK(big[0] == 0 && big[(1 << 20) - 1] == 0);
	CHECK_STR(arena_printf(&a, "%s-%d", "a", 42), "a-42");
	arena_free(&a);
}

/* A hash table in an arena gives its old slots back as it grows: never a
 * chunk that other allocations share.  Here the table grows to 32 KiB
 * slots just after a string has started a fresh chunk. */
static void test_arena_hmap_growth(void)
{
	static char keys[2000][16];
	Arena a;
	HMap m;
	char *s;
	int i;
	arena_init(&a);
	hmap_init_arena(&m, &a);
	for (i = 0; i < 2000; i++)
		snprintf(keys[i], sizeof keys[i], "k%d", i);
	for (i = 0; i < 383; i++)
		hmap_put(&m, keys[i], strlen(keys[i]), keys[i]);
	while ((size_t)(a.end - a.cur) >= 16)
		arena_alloc(&a, 16);
	s = arena_strdup(&a, "still here");
	for (; i < 2000; i++)
		hmap_put(&m, keys[i], strlen(keys[i]), keys[i]);
	for (i = 0; i < 2000; i++)
		CHECK(hmap_gets(&m, keys[i]) == keys[i]);
	for (i = 0; i < 1000; i++)
		arena_alloc(&a, 64);
	CHECK_STR(s, "still here");

	/* after a reset, the chunks are reused and the table starts again */
	arena_reset(&a);
	hmap_init_arena(&m, &a);
	for (i = 0; i < 2000; i++)
		hmap_put(&m, keys[i], strlen(keys[i]), keys[i]);
	CHECK(hmap_gets(&m, keys[1999]) == keys[1999]);
	CHECK(arena_strdup(&a, "x")[0] == 'x');
	arena_free(&a);
}

static void test_text(void)
{
	uint32_t cp;
	char out[4];
	CHECK(is_ident("xen_domctl_cdf"));
	CHECK(is_ident("_pad0"));
	CHECK(!is_ident("0abc"));
	CHECK(!is_ident("a-b"));
	CHECK(!is_ident(""));
	CHECK_INT(edit_distance("descripton", "description", 3), 1);
	CHECK_INT(edit_distance("abc", "xyz", 1), 2);
	CHECK_INT(utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	CHECK_INT(cp, 0xe9);
	CHECK_INT(utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp), 0);
	CHECK_INT(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
	CHECK_INT(utf8_encode(0x1f600, out), 4);
}

static void test_names(void)
{
	Buf b = {0};
	CHECK(c_keyword("int") && c_keyword("class") && c_keyword("_Bool"));
	CHECK(!c_keyword("type") && !c_keyword("index"));
	CHECK(rust_keyword("type") && rust_keyword("Self") && rust_keyword("match"));
	CHECK(!rust_keyword("int"));
	CHECK(rust_keyword_not_raw("self") && !rust_keyword_not_raw("type"));
	name_camel(&b, "xen_domctl_altp2m_mode");
	CHECK_STR(buf_cstr(&b), "XenDomctlAltp2mMode");
	buf_clear(&b);
	name_camel(&b, "_pad");
	CHECK_STR(buf_cstr(&b), "Pad");
	buf_clear(&b);
	name_snake(&b, "rsvd0_a");
	CHECK_STR(buf_cstr(&b), "rsvd0_a");
	buf_clear(&b);
	name_snake(&b, "FooBar");
	CHECK_STR(buf_cstr(&b), "foo_bar");
	buf_clear(&b);
	name_upper(&b, "xen_x86_emu");
	CHECK_STR(buf_cstr(&b), "XEN_X86_EMU");
	buf_free(&b);
}

/* The data models, as the ABI documents state them. */
static void test_data_models(void)
{
	uint64_t s, a;
	prim_layout(P_U64_PLAIN, TGT_X86_32, &s, &a);
	CHECK(s == 8 && a == 4);
	prim_layout(P_U64_PLAIN, TGT_ARM32, &s, &a);
	CHECK(s == 8 && a == 8);
	prim_layout(P_U64, TGT_X86_32, &s, &a);
	CHECK(s == 8 && a == 8);
	prim_layout(P_ULONG, TGT_X86_32, &s, &a);
	CHECK(s == 4 && a == 4);
	prim_layout(P_ULONG, TGT_PPC64LE, &s, &a);
	CHECK(s == 8 && a == 8);
	prim_layout(P_CHAR, TGT_ARM64, &s, &a);
	CHECK(s == 1 && a == 1);
	CHECK_INT(target_from_name("riscv64"), TGT_RISCV64);
	CHECK_INT(target_from_name("mips"), -1);
}

static char *capture(Diag *d, bool color)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diag_print(d, f, color);
	fclose(f);
	return text;
}

static void test_diag(void)
{
	Diag *d = diag_new();
	uint32_t f = diag_add_source(d, "x.toml");
	const char *src = "a = 1\n\tbb = \"\xc3\xa9z\"\n";
	Loc l1 = {f, 2, 8}, l0 = {f, 1, 1};
	char *out;
	diag_set_text(d, f, src, strlen(src));
	diag_error(d, l1, "second");
	diag_note(d, l0, "its note");
	diag_warning(d, l0, "first");
	out = capture(d, false);
	/* sorted by location; the note stays with its error; the caret is
	 * under the 8th character, with the tab kept */
	CHECK_STR(out, "x.toml:1:1: warning: first\n"
		       "    1 | a = 1\n"
		       "      | ^\n"
		       "x.toml:2:8: error: second\n"
		       "    2 | \tbb = \"\xc3\xa9z\"\n"
		       "      | \t      ^\n"
		       "x.toml:1:1: note: its note\n"
		       "    1 | a = 1\n"
		       "      | ^\n");
	free(out);
	CHECK_INT(diag_error_count(d), 1);
	CHECK_INT(diag_warning_count(d), 1);
	diag_error(d, l0, "coloured");
	out = capture(d, true);
	CHECK(strstr(out, "\033[1;31merror:\033[m") != NULL);
	free(out);
	diag_set_limit(d, 3);
	diag_error(d, l0, "three");
	diag_error(d, l0, "four");
	diag_note(d, l0, "dropped with its error");
	CHECK(diag_full(d));
	out = capture(d, false);
	CHECK(strstr(out, "four") == NULL && strstr(out, "dropped") == NULL);
	CHECK(strstr(out, "1 more error not shown") != NULL);
	free(out);
	diag_free(d);
}

static void test_diag_long_line(void)
{
	Diag *d = diag_new();
	uint32_t f = diag_add_source(d, "long.json");
	size_t n = 1 << 20, i;
	char *src = malloc(n + 1);
	Loc l = {f, 1, 500000};
	char *out;
	for (i = 0; i < n; i++)
		src[i] = (char)('a' + i % 26);
	src[n] = 0;
	src[1000] = '\x01';
	diag_set_text(d, f, src, n);
	diag_error(d, l, "deep in a long line");
	out = capture(d, false);
	/* a window around the column, not the megabyte */
	CHECK(strlen(out) < 600);
	CHECK(strstr(out, "...") != NULL);
	free(out);
	free(src);
	diag_free(d);
}

int main(void)
{
	RUN(test_hmap);
	RUN(test_arena);
	RUN(test_arena_hmap_growth);
	RUN(test_text);
	RUN(test_names);
	RUN(test_data_models);
	RUN(test_diag);
	RUN(test_diag_long_line);
	return t_done();
}
