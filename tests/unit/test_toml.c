/*
 * test_toml.c - the TOML reader: locations, flags, values, the wording and
 * position of its errors, and its limits.  Conformance as such is checked by
 * the toml-test suite (tests/suites/toml_conformance.py).
 */
#include "base/base.h"
#include "read/read.h"
#include "t.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

static Arena arena;
static char diags[8192]; /* everything the last parse reported */

/* Parse len bytes copied to a buffer of exactly that size, so that reading
 * past the end shows under ASan. */
static DocNode *parse_n(const char *text, size_t len)
{
	Diag *d = diag_new();
	uint32_t file = diag_add_source(d, "t.toml");
	char *copy = malloc(len ? len : 1), *out = NULL;
	size_t outlen = 0;
	DocNode *root;
	FILE *f;

	memcpy(copy, text, len);
	diag_set_text(d, file, copy, len);
	root = toml_parse(&arena, d, file, copy, len);
	f = open_memstream(&out, &outlen);
	if (diag_error_count(d) || diag_warning_count(d))
		diag_print(d, f, false);
	fclose(f);
	snprintf(diags, sizeof diags, "%s", out ? out : "");
	free(out);
	free(copy);
	diag_free(d);
	return root;
}

static DocNode *parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* The first line of the diagnostics. */
static const char *first_error(void)
{
	static char line[1024];
	size_t n = strcspn(diags, "\n");
	if (n >= sizeof line)
		n = sizeof line - 1;
	memcpy(line, diags, n);
	line[n] = '\0';
	return line;
}

/* The line of the diagnostics starting with prefix, or "". */
static const char *diag_line(const char *prefix)
{
	static char line[1024];
	const char *p = diags;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			if (n >= sizeof line)
				n = sizeof line - 1;
			memcpy(line, p, n);
			line[n] = '\0';
			return line;
		}
		p += n + (p[n] == '\n');
	}
	return "";
}

#define CHECK_ERROR(text, msg)                                             \
	do {                                                               \
		CHECK(parse(text) == NULL);                                \
		CHECK_STR(first_error(), msg);                             \
	} while (0)

static DocNode *get(DocNode *t, const char *key)
{
	DocNode *v = doc_get(t, key);
	CHECK(v != NULL);
	return v;
}

static DocEntry *entry(DocNode *t, const char *key)
{
	DocEntry *e = t ? doc_table_find(t, key, strlen(key)) : NULL;
	CHECK(e != NULL);
	return e;
}

#define CHECK_LOC(l, ln, c)                                                \
	do {                                                               \
		CHECK_INT((l).line, ln);                                   \
		CHECK_INT((l).col, c);                                     \
	} while (0)

/* ---- locations ------------------------------------------------------------ */

static const char *const loc_doc[] = {
	"a = 1",
	"\tb = \"x\"",
	"\"\xc3\xa9\" = '\xc3\xbc'  # comment \xe2\x82\xac",
	"c = [1, \"\xe2\x82\xac\", 3]",
	"[t.u]",
	"[[arr]]",
	"x.y.z = 1",
	"m = \"\"\"",
	"line",
	"\"\"\"",
	"n = { p = 1.5, q = 1979-05-27 }",
};

static void check_loc_doc(DocNode *r)
{
	DocNode *c, *t, *u, *arr, *el, *x;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_LOC(r->loc, 1, 1);
	CHECK_LOC(entry(r, "a")->loc, 1, 1);
	CHECK_LOC(get(r, "a")->loc, 1, 5);
	CHECK_LOC(entry(r, "b")->loc, 2, 2);      /* a tab is one column */
	CHECK_LOC(get(r, "b")->loc, 2, 6);
	CHECK_LOC(entry(r, "\xc3\xa9")->loc, 3, 1);
	CHECK_LOC(get(r, "\xc3\xa9")->loc, 3, 7); /* é is one column */
	c = get(r, "c");
	CHECK_LOC(c->loc, 4, 5);
	CHECK_INT(c->u.array.n, 3);
	CHECK_LOC(c->u.array.v[0]->loc, 4, 6);
	CHECK_LOC(c->u.array.v[1]->loc, 4, 9);
	CHECK_LOC(c->u.array.v[2]->loc, 4, 14);   /* € is one column */
	t = get(r, "t");
	CHECK_LOC(t->loc, 5, 2);                  /* implicit: where named */
	CHECK_LOC(entry(r, "t")->loc, 5, 2);
	u = get(t, "u");
	CHECK_LOC(u->loc, 5, 1);                  /* defined: the header */
	CHECK_LOC(entry(t, "u")->loc, 5, 4);
	arr = get(r, "arr");
	CHECK_LOC(arr->loc, 6, 1);
	CHECK_LOC(entry(r, "arr")->loc, 6, 3);
	el = arr->u.array.v[0];
	CHECK_LOC(el->loc, 6, 1);
	x = get(el, "x");
	CHECK_LOC(x->loc, 7, 1);
	CHECK_LOC(get(x, "y")->loc, 7, 3);
	CHECK_LOC(entry(get(x, "y"), "z")->loc, 7, 5);
	CHECK_LOC(get(get(x, "y"), "z")->loc, 7, 9);
	CHECK_LOC(get(el, "m")->loc, 8, 5);
	CHECK_STR(get(el, "m")->u.str.s, "line\n");
	CHECK_LOC(entry(el, "n")->loc, 11, 1);
	CHECK_LOC(get(el, "n")->loc, 11, 5);
	CHECK_LOC(get(get(el, "n"), "p")->loc, 11, 11);
	CHECK_LOC(entry(get(el, "n"), "q")->loc, 11, 16);
	CHECK_LOC(get(get(el, "n"), "q")->loc, 11, 20);
}

static void join_lines(Buf *b, const char *nl)
{
	size_t i;
	for (i = 0; i < ARRAY_LEN(loc_doc); i++) {
		buf_puts(b, loc_doc[i]);
		buf_puts(b, nl);
	}
}

static void test_locations(void)
{
	Buf b = {0};
	join_lines(&b, "\n");
	check_loc_doc(parse_n(b.data, b.len));
	buf_free(&b);
}

static void test_locations_crlf(void)
{
	Buf b = {0};
	join_lines(&b, "\r\n");
	check_loc_doc(parse_n(b.data, b.len));
	buf_free(&b);
}

static void test_bom(void)
{
	DocNode *r = parse("\xef\xbb\xbfk = 1\n");
	CHECK(r != NULL);
	if (r)
		CHECK_LOC(entry(r, "k")->loc, 1, 1);
	CHECK_ERROR("a = 1\n\xef\xbb\xbf",
		    "t.toml:2:1: error: expected a key, found character U+FEFF");
}

/* ---- flags and values ----------------------------------------------------- */

static void test_flags(void)
{
	DocNode *r = parse("s = \"a\"\n"
			   "l = 'b'\n"
			   "ms = \"\"\"\nc\"\"\"\n"
			   "ml = '''d'''\n"
			   "arr = [1]\n"
			   "it = {x.y = 1}\n"
			   "d.e = 1\n"
			   "[p.q]\n"
			   "[p.r.s]\n"
			   "[p.r]\n"
			   "[[aot]]\n");
	DocNode *p;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(get(r, "s")->flags, 0);
	CHECK_INT(get(r, "l")->flags, DOC_F_LITERAL);
	CHECK_INT(get(r, "ms")->flags, DOC_F_MULTILINE);
	CHECK_INT(get(r, "ml")->flags, DOC_F_MULTILINE | DOC_F_LITERAL);
	CHECK_INT(get(r, "arr")->flags, DOC_F_INLINE);
	CHECK_INT(get(r, "it")->flags, DOC_F_INLINE);
	CHECK_INT(get(get(r, "it"), "x")->flags, DOC_F_DOTTED);
	CHECK_INT(get(r, "d")->flags, DOC_F_DOTTED);
	p = get(r, "p");
	CHECK_INT(p->flags, DOC_F_IMPLICIT);
	CHECK_INT(get(p, "q")->flags, DOC_F_DEFINED);
	CHECK_INT(get(p, "r")->flags, DOC_F_DEFINED); /* implicit, then defined */
	CHECK_LOC(get(p, "r")->loc, 11, 1);            /* moved to its header */
	CHECK_LOC(entry(p, "r")->loc, 10, 4);          /* key stays put */
	CHECK_INT(get(get(p, "r"), "s")->flags, DOC_F_DEFINED);
	CHECK_INT(get(r, "aot")->flags, DOC_F_AOT);
	CHECK_INT(get(r, "aot")->u.array.v[0]->flags, DOC_F_DEFINED);
}

static void test_values(void)
{
	DocNode *r = parse("i = -9223372036854775808\n"
			   "j = 9_223_372_036_854_775_807\n"
			   "h = 0x7FFF_ffff_FFFF_FFFF\n"
			   "o = 0o755\n"
			   "b = 0b1010\n"
			   "f = 6.626e-3_4\n"
			   "g = -inf\n"
			   "n = +nan\n"
			   "t = true\n"
			   "dt = 1979-05-27 07:32:00.5-07:00\n"
			   "ldt = 1979-05-27t07:32:00\n"
			   "ld = 2000-02-29\n"
			   "lt = 23:59:60.999999999\n");
	DocNode *v;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(get(r, "i")->u.i == INT64_MIN);
	CHECK(get(r, "j")->u.i == INT64_MAX);
	CHECK(get(r, "h")->u.i == INT64_MAX);
	CHECK_INT(get(r, "o")->u.i, 0755);
	CHECK_INT(get(r, "b")->u.i, 10);
	v = get(r, "f");
	CHECK_INT(v->kind, DOC_FLOAT);
	CHECK_STR(v->u.str.s, "6.626e-3_4");
	CHECK(v->u.str.f == 6.626e-34);
	CHECK(isinf(get(r, "g")->u.str.f) && get(r, "g")->u.str.f < 0);
	CHECK(isnan(get(r, "n")->u.str.f));
	CHECK_INT(get(r, "t")->u.b, 1);
	v = get(r, "dt");
	CHECK_INT(v->kind, DOC_DATETIME);
	CHECK_INT(v->sub, DOC_DT_OFFSET);
	CHECK_STR(v->u.str.s, "1979-05-27 07:32:00.5-07:00");
	CHECK_INT(get(r, "ldt")->sub, DOC_DT_LOCAL);
	CHECK_INT(get(r, "ld")->sub, DOC_DT_DATE);
	CHECK_INT(get(r, "lt")->sub, DOC_DT_TIME);
}

static void test_strings(void)
{
	DocNode *r = parse("a = \"tab\\there \\u00e9 \\U0001F600\"\n"
			   "b = \"\"\"\\\n   x \\\n\n  y\"\"\"\n"
			   "c = \"\"\"\"\"quoted\"\"\"\"\"\n"
			   "d = '''\n'a' ''b'' '''\n");
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_STR(get(r, "a")->u.str.s,
		  "tab\there \xc3\xa9 \xf0\x9f\x98\x80");
	CHECK_STR(get(r, "b")->u.str.s, "x y");
	CHECK_STR(get(r, "c")->u.str.s, "\"\"quoted\"\"");
	CHECK_STR(get(r, "d")->u.str.s, "'a' ''b'' ");
	r = parse("m = '''a\r\nb'''\r\n");
	CHECK(r != NULL);
	if (r)
		CHECK_STR(get(r, "m")->u.str.s, "a\nb"); /* newlines are \n */
}

static void test_nul_in_keys(void)
{
	DocNode *r = parse("\"a\\u0000b\" = \"x\\u0000y\"\n"
			   "t.'c'.\"\\u0000\" = 1\n");
	DocEntry *e;
	DocNode *v;
	CHECK(r != NULL);
	if (!r)
		return;
	e = doc_table_find(r, "a\0b", 3);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_INT(e->keylen, 3);
	CHECK(memcmp(e->key, "a\0b", 4) == 0);
	v = e->value;
	CHECK_INT(v->u.str.len, 3);
	CHECK(memcmp(v->u.str.s, "x\0y", 4) == 0);
	CHECK(doc_table_find(r, "a", 1) == NULL);
	v = get(get(r, "t"), "c");
	CHECK(doc_table_find(v, "\0", 1) != NULL);
	CHECK_ERROR("\"a\\u0000b\" = 1\n\"a\\u0000b\" = 2\n",
		    "t.toml:2:1: error: duplicate key '\"a\\u0000b\"'");
}

/* ---- errors --------------------------------------------------------------- */

static void test_error_messages(void)
{
	CHECK_ERROR("name = 1\n\nname = 2\n",
		    "t.toml:3:1: error: duplicate key 'name'");
	CHECK_STR(diag_line("t.toml:1:1: note:"),
		  "t.toml:1:1: note: 'name' first defined here");
	CHECK_ERROR("[a.b]\nx = 1\n  [a.b]\n",
		    "t.toml:3:3: error: table [a.b] defined twice");
	CHECK_STR(diag_line("t.toml:1:1: note:"),
		  "t.toml:1:1: note: [a.b] first defined here");
	CHECK_ERROR("x = 9223372036854775808\n",
		    "t.toml:1:5: error: integer 9223372036854775808 does not fit "
		    "in 64 bits");
	CHECK_ERROR("x = -9223372036854775809\n",
		    "t.toml:1:5: error: integer -9223372036854775809 does not fit "
		    "in 64 bits");
	CHECK_ERROR("x = 0x8000000000000000\n",
		    "t.toml:1:5: error: integer 0x8000000000000000 does not fit "
		    "in 64 bits");
	CHECK_ERROR("s = \"a\\qb\"\n",
		    "t.toml:1:7: error: invalid escape sequence '\\q'");
	CHECK_ERROR("s = \"\xc3\xa9\xff\"\n",
		    "t.toml:1:7: error: invalid UTF-8 byte 0xff");
	CHECK_ERROR("# \xed\xa0\x80\n",
		    "t.toml:1:3: error: invalid UTF-8 sequence starting with "
		    "byte 0xed");
	CHECK_ERROR("t = {a = 1,\n b = 2}\n",
		    "t.toml:1:12: error: unexpected newline in inline table");
	CHECK_ERROR("t = {a = 1,}\n",
		    "t.toml:1:11: error: trailing comma in inline table");
	CHECK_ERROR("key 1\n",
		    "t.toml:1:5: error: expected '=' after key, found '1'");
	CHECK_ERROR("k = 1 2\n",
		    "t.toml:1:7: error: expected a newline after the value, "
		    "found '2'");
	CHECK_ERROR("s = '\xc3\xbc' x\n",
		    "t.toml:1:9: error: expected a newline after the value, "
		    "found 'x'");
	CHECK_ERROR("\t\xc3\xa9 = 1\n",
		    "t.toml:1:2: error: expected a key, found character U+00E9");
	CHECK_ERROR("# a\x01\n",
		    "t.toml:1:4: error: control character '\\u0001' is not "
		    "allowed in a comment");
	CHECK_ERROR("a = 1\r\n\rb = 2\n",
		    "t.toml:2:1: error: expected a key, found a carriage return "
		    "without a newline");
	CHECK_ERROR("d = 2023-02-29\n",
		    "t.toml:1:13: error: day 29 is out of range for 2023-02 "
		    "(01-28)");
	CHECK_ERROR("d = 07:60:00\n",
		    "t.toml:1:8: error: minute 60 is out of range (00-59)");
	CHECK_ERROR("b = True\n",
		    "t.toml:1:5: error: invalid value 'True': did you mean "
		    "'true'?");
	CHECK_ERROR("a = {}\n[a.b]\n",
		    "t.toml:2:2: error: cannot define table [a.b]: 'a' is an "
		    "inline table, which cannot be extended");
	CHECK_ERROR("[a]\nb.c = 1\n[a.b]\n",
		    "t.toml:3:4: error: cannot define table [a.b]: it is already "
		    "defined by dotted keys");
	CHECK_ERROR("[a.b.c]\n[a]\nb.c.d = 1\n",
		    "t.toml:3:3: error: cannot add key 'b.c.d' with dotted keys: "
		    "table 'b.c' is defined by its own header");
	CHECK_ERROR("s = \"\"\"\nabc\n",
		    "t.toml:3:1: error: unterminated multi-line string");
	CHECK_STR(diag_line("t.toml:1:5: note:"),
		  "t.toml:1:5: note: the string starts here");
}

static void test_nul_and_end(void)
{
	CHECK(parse_n("a = 1\0", 6) == NULL);
	CHECK_STR(first_error(), "t.toml:1:6: error: expected a newline after "
		  "the value, found control character '\\u0000'");
	CHECK(parse_n("s = \"a\0\"", 8) == NULL);
	CHECK_STR(first_error(), "t.toml:1:7: error: control character "
		  "'\\u0000' is not allowed in a string");
	/* only len bytes are read */
	CHECK(parse_n("a = 12345", 3) == NULL);
	CHECK_STR(first_error(),
		  "t.toml:1:4: error: expected a value, found end of file");
	CHECK(parse_n("a = \"x", 6) == NULL);
	CHECK_STR(first_error(),
		  "t.toml:1:7: error: missing closing quote at end of file");
	CHECK(parse_n("", 0) != NULL);
}

static void test_table_rules(void)
{
	DocNode *r;
	/* dotted keys may extend an implicit table, then no header may */
	r = parse("[a.b.c]\n[a]\nb.d = 1\n");
	CHECK(r != NULL);
	if (r)
		CHECK_INT(get(get(r, "a"), "b")->flags, DOC_F_DOTTED);
	CHECK(parse("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n") == NULL);
	/* sub-tables of a dotted table may have headers */
	CHECK(parse("[fruit]\napple.color = 1\n[fruit.apple.texture]\n"
		    "[[fruit.apple.seeds]]\n") != NULL);
	/* arrays of tables: headers go to the last element */
	r = parse("[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(get(r, "a")->u.array.n, 2);
		CHECK_INT(get(get(get(r, "a")->u.array.v[1], "b"), "x")->u.i, 2);
	}
	CHECK(parse("a = [{}]\n[[a]]\n") == NULL);
	CHECK(parse("a = {b = {}}\n[a.b.c]\n") == NULL);
	CHECK(parse("[[a]]\n[a]\n") == NULL);
	CHECK(parse("[a]\n[[a]]\n") == NULL);
}

/* ---- limits --------------------------------------------------------------- */

static void nested(Buf *b, int n, const char *open, const char *close)
{
	int i;
	buf_clear(b);
	buf_puts(b, "x = ");
	for (i = 0; i < n; i++)
		buf_puts(b, open);
	for (i = 0; i < n; i++)
		buf_puts(b, close);
	buf_putc(b, '\n');
}

static void test_depth(void)
{
	Buf b = {0};
	int i;
	char msg[128];

	nested(&b, MAX_DOC_DEPTH, "[", "]");
	CHECK(parse_n(b.data, b.len) != NULL);
	nested(&b, MAX_DOC_DEPTH + 1, "[", "]");
	CHECK(parse_n(b.data, b.len) == NULL);
	snprintf(msg, sizeof msg, "t.toml:1:%d: error: nesting deeper than %d "
		 "levels", 5 + MAX_DOC_DEPTH, MAX_DOC_DEPTH);
	CHECK_STR(first_error(), msg);
	nested(&b, MAX_DOC_DEPTH + 1, "{a=", "}");
	CHECK(parse_n(b.data, b.len) == NULL);
	nested(&b, 100000, "[", "]"); /* no recursion past the limit */
	CHECK(parse_n(b.data, b.len) == NULL);
	/* dotted keys and headers nest tables too */
	buf_clear(&b);
	for (i = 0; i < MAX_DOC_DEPTH; i++)
		buf_puts(&b, "k.");
	buf_puts(&b, "k = 1\n");
	CHECK(parse_n(b.data, b.len) != NULL); /* 128 tables */
	buf_clear(&b);
	for (i = 0; i <= MAX_DOC_DEPTH; i++)
		buf_puts(&b, "k.");
	buf_puts(&b, "k = 1\n");
	CHECK(parse_n(b.data, b.len) == NULL);
	CHECK(strstr(first_error(), "nesting deeper than") != NULL);
	buf_clear(&b);
	buf_putc(&b, '[');
	for (i = 0; i < MAX_DOC_DEPTH; i++)
		buf_puts(&b, "k.");
	buf_puts(&b, "k]\n");
	CHECK(parse_n(b.data, b.len) == NULL);
	CHECK(strstr(first_error(), "nesting deeper than") != NULL);
	buf_free(&b);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Linear time: quadratic behaviour would take minutes on these. */
static void test_large_inputs(void)
{
	enum { N = 200000 };
	Buf b = {0};
	DocNode *r;
	double t0;
	int i;

	for (i = 0; i < N; i++)
		buf_printf(&b, "[[a]]\nname = \"f%d\"\n", i);
	t0 = now();
	r = parse_n(b.data, b.len);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(get(r, "a")->u.array.n, N);
		CHECK_LOC(get(r, "a")->u.array.v[N - 1]->loc, 2 * N - 1, 1);
	}
	/* one long line: column tracking must not rescan it */
	buf_clear(&b);
	buf_puts(&b, "a = [");
	for (i = 0; i < N; i++)
		buf_puts(&b, "\"\xc3\xa9\", ");
	buf_puts(&b, "]\n");
	r = parse_n(b.data, b.len);
	CHECK(r != NULL);
	if (r)
		CHECK_LOC(get(r, "a")->u.array.v[N - 1]->loc, 1, 6 + 5 * (N - 1));
	/* a big table, then a duplicate */
	buf_clear(&b);
	for (i = 0; i < N; i++)
		buf_printf(&b, "k%d = %d\n", i, i);
	buf_puts(&b, "k7 = 0\n");
	CHECK(parse_n(b.data, b.len) == NULL);
	CHECK_STR(diag_line("t.toml:8:1:"),
		  "t.toml:8:1: note: 'k7' first defined here");
	CHECK(now() - t0 < 10.0);
	buf_free(&b);
}

int main(void)
{
	arena_init(&arena);
	RUN(test_locations);
	RUN(test_locations_crlf);
	RUN(test_bom);
	RUN(test_flags);
	RUN(test_values);
	RUN(test_strings);
	RUN(test_nul_in_keys);
	RUN(test_error_messages);
	RUN(test_nul_and_end);
	RUN(test_table_rules);
	RUN(test_depth);
	RUN(test_large_inputs);
	arena_free(&arena);
	return t_done();
}
