/*
 * test_yaml.c - the YAML and JSON reader: locations, flags, scalar
 * resolution (YAML 1.2 core schema), the wording and position of its
 * errors, JSON strictness and its limits.  JSON conformance as such is
 * checked by JSONTestSuite (tests/suites/json_parsing.py).
 */
#include "base/base.h"
#include "read/read.h"

#include <stdio.h>

#ifdef HAVE_LIBYAML

#include "t.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

static Arena arena;
static char diags[8192]; /* everything the last parse reported */

/* Parse len bytes copied to a buffer of exactly that size, so that reading
 * past the end shows under ASan. */
static DocNode *parse_as(const char *text, size_t len, bool json)
{
	Diag *d = diag_new();
	uint32_t file = diag_add_source(d, json ? "t.json" : "t.yaml");
	char *copy = malloc(len ? len : 1), *out = NULL;
	size_t outlen = 0;
	DocNode *root;
	FILE *f;

	memcpy(copy, text, len);
	diag_set_text(d, file, copy, len);
	root = yaml_parse(&arena, d, file, copy, len, json);
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

static DocNode *parse_n(const char *text, size_t len)
{
	return parse_as(text, len, false);
}

static DocNode *parse(const char *text)
{
	return parse_as(text, strlen(text), false);
}

static DocNode *parse_json(const char *text)
{
	return parse_as(text, strlen(text), true);
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

#define CHECK_JSON_ERROR(text, msg)                                        \
	do {                                                               \
		CHECK(parse_json(text) == NULL);                           \
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
	DocEntry *e = t && t->kind == DOC_TABLE
			      ? doc_table_find(t, key, strlen(key))
			      : NULL;
	CHECK(e != NULL);
	return e;
}

static DocNode *elem(DocNode *a, uint32_t i)
{
	CHECK(a != NULL && a->kind == DOC_ARRAY && i < a->u.array.n);
	if (!a || a->kind != DOC_ARRAY || i >= a->u.array.n)
		return NULL;
	return a->u.array.v[i];
}

#define CHECK_LOC(l, ln, c)                                                \
	do {                                                               \
		CHECK_INT((l).line, ln);                                   \
		CHECK_INT((l).col, c);                                     \
	} while (0)

#define CHECK_STRING(node, want)                                           \
	do {                                                               \
		const DocNode *t_n = (node);                               \
		CHECK(t_n != NULL && t_n->kind == DOC_STRING);             \
		if (t_n && t_n->kind == DOC_STRING)                        \
			CHECK_STR(t_n->u.str.s, want);                     \
	} while (0)

#define CHECK_INTEGER(node, want)                                          \
	do {                                                               \
		const DocNode *t_n = (node);                               \
		CHECK(t_n != NULL && t_n->kind == DOC_INTEGER);            \
		if (t_n && t_n->kind == DOC_INTEGER)                       \
			CHECK(t_n->u.i == (want));                         \
	} while (0)

#define CHECK_KIND(node, want)                                             \
	do {                                                               \
		const DocNode *t_n = (node);                               \
		CHECK(t_n != NULL && t_n->kind == (want));                 \
	} while (0)

/* ---- locations ------------------------------------------------------------ */

static void test_locations_block(void)
{
	DocNode *r = parse("a: 1\n"
			   "\xc3\xa9: '\xc3\xbc'  # comment \xe2\x82\xac\n"
			   "list:\n"
			   "  - x\n"
			   "  - {k: [1, \"\xe2\x82\xac\", 3]}\n"
			   "m: |\n"
			   "  line\n"
			   "n:  \t\"tab\"\n");
	DocNode *list, *m;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_LOC(r->loc, 1, 1);
	CHECK_LOC(entry(r, "a")->loc, 1, 1);
	CHECK_LOC(get(r, "a")->loc, 1, 4);
	CHECK_LOC(entry(r, "\xc3\xa9")->loc, 2, 1);
	CHECK_LOC(get(r, "\xc3\xa9")->loc, 2, 4); /* é is one column */
	CHECK_LOC(entry(r, "list")->loc, 3, 1);
	list = get(r, "list");
	CHECK_LOC(list->loc, 4, 3);
	CHECK_LOC(elem(list, 0)->loc, 4, 5);
	m = elem(list, 1);
	CHECK_LOC(m->loc, 5, 5);
	CHECK_LOC(entry(m, "k")->loc, 5, 6);
	CHECK_LOC(get(m, "k")->loc, 5, 9);
	CHECK_LOC(elem(get(m, "k"), 0)->loc, 5, 10);
	CHECK_LOC(elem(get(m, "k"), 1)->loc, 5, 13);
	CHECK_LOC(elem(get(m, "k"), 2)->loc, 5, 18); /* after € */
	CHECK_LOC(get(r, "m")->loc, 6, 4);
	CHECK_STRING(get(r, "m"), "line\n");
	CHECK_LOC(entry(r, "n")->loc, 8, 1);
	CHECK_LOC(get(r, "n")->loc, 8, 6); /* a tab is one column */
}

static void test_locations_flow(void)
{
	DocNode *r = parse("{\"\xc3\xa9t\xc3\xa9\": [\xe2\x82\xac, "
			   "\"\xf0\x9f\x98\x80\", x],\n"
			   " k: {a: 1}}\n");
	DocNode *v;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_LOC(r->loc, 1, 1);
	CHECK_LOC(entry(r, "\xc3\xa9t\xc3\xa9")->loc, 1, 2);
	v = get(r, "\xc3\xa9t\xc3\xa9");
	CHECK_LOC(v->loc, 1, 9);
	CHECK_LOC(elem(v, 0)->loc, 1, 10);
	CHECK_STRING(elem(v, 0), "\xe2\x82\xac");
	CHECK_LOC(elem(v, 1)->loc, 1, 13);
	CHECK_LOC(elem(v, 2)->loc, 1, 18); /* the emoji is one column */
	CHECK_LOC(entry(r, "k")->loc, 2, 2);
	CHECK_LOC(get(r, "k")->loc, 2, 5);
	CHECK_LOC(entry(get(r, "k"), "a")->loc, 2, 6);
}

/* Lines are counted at '\n' only, as everywhere in xenbindgen, although
 * libyaml also breaks lines at CR, NEL, U+2028 and U+2029. */
static void test_locations_line_breaks(void)
{
	DocNode *r = parse("a: \"x\xe2\x80\xa8y\"\n"
			   "b: 1\r\n"
			   "c: [1,\xc2\x85 2]\n"
			   "d: 1\re: [3]\n");
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_LOC(entry(r, "b")->loc, 2, 1);
	CHECK_LOC(get(r, "b")->loc, 2, 4);
	CHECK_LOC(elem(get(r, "c"), 1)->loc, 3, 9);
	CHECK_LOC(entry(r, "d")->loc, 4, 1);
	CHECK_LOC(entry(r, "e")->loc, 4, 6);
	CHECK_LOC(elem(get(r, "e"), 0)->loc, 4, 10);
	/* errors after such lines are located the same way */
	CHECK_ERROR("a: \"x\xe2\x80\xa8y\"\nb: 1\na: 2\n",
		    "t.yaml:3:1: error: duplicate key 'a'");
}

static void test_bom(void)
{
	DocNode *r = parse("\xef\xbb\xbf" "a: 1\n");
	CHECK(r != NULL);
	if (r) {
		CHECK_LOC(entry(r, "a")->loc, 1, 1);
		CHECK_LOC(get(r, "a")->loc, 1, 4);
	}
	CHECK_ERROR("\xef\xbb\xbf" "a: 1\na: 2\n",
		    "t.yaml:2:1: error: duplicate key 'a'");
	r = parse_json("\xef\xbb\xbf{\"a\": 1}");
	CHECK(r != NULL);
	if (r)
		CHECK_LOC(get(r, "a")->loc, 1, 7);
	/* UTF-16 is never guessed from the first bytes */
	CHECK(parse_n("\xff\xfe" "a\0:\0", 6) == NULL);
	CHECK_STR(first_error(), "t.yaml:1:1: error: invalid UTF-8 byte 0xff");
}

static void test_flags(void)
{
	DocNode *r = parse("block:\n  k: v\n"
			   "seq:\n  - 1\n"
			   "flow: {a: [1]}\n"
			   "plain: x\n"
			   "single: 'x'\n"
			   "double: \"x\"\n"
			   "lit: |\n  x\n"
			   "fold: >\n  x\n");
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(r->flags, 0);
	CHECK_INT(get(r, "block")->flags, 0);
	CHECK_INT(get(r, "seq")->flags, 0);
	CHECK_INT(get(r, "flow")->flags, DOC_F_INLINE);
	CHECK_INT(get(get(r, "flow"), "a")->flags, DOC_F_INLINE);
	CHECK_INT(get(r, "plain")->flags, 0);
	CHECK_INT(get(r, "single")->flags, DOC_F_LITERAL);
	CHECK_INT(get(r, "double")->flags, DOC_F_LITERAL);
	CHECK_INT(get(r, "lit")->flags, DOC_F_LITERAL | DOC_F_MULTILINE);
	CHECK_INT(get(r, "fold")->flags, DOC_F_LITERAL | DOC_F_MULTILINE);
	CHECK_STRING(get(r, "fold"), "x\n");
}

/* ---- scalars -------------------------------------------------------------- */

static void test_core_schema(void)
{
	DocNode *r = parse("a: yes\nb: no\nc: on\nd: 0x10\ne: 1e3\nf: .inf\n"
			   "g: ~\nh: \"1\"\ni: 0o17\n"
			   "j: -9223372036854775808\nk: 9223372036854775807\n"
			   "l: 1.5\nm: .NaN\nn: +12\no: 1_000\np: TRUE\nq: Null\n"
			   "r:\ns: 0\nt: -.5\nu: 0x\nv: 0b11\nw: 'true'\n"
			   "x: True\ny: 1.\nz: -.Inf\n");
	DocNode *v;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_STRING(get(r, "a"), "yes");
	CHECK_STRING(get(r, "b"), "no");
	CHECK_STRING(get(r, "c"), "on");
	CHECK_INTEGER(get(r, "d"), 16);
	v = get(r, "e");
	CHECK_KIND(v, DOC_FLOAT);
	CHECK(v->u.str.f == 1000.0);
	CHECK_STR(v->u.str.s, "1e3");
	CHECK_INT(v->u.str.len, 3);
	v = get(r, "f");
	CHECK_KIND(v, DOC_FLOAT);
	CHECK(isinf(v->u.str.f) && v->u.str.f > 0);
	CHECK_STR(v->u.str.s, ".inf");
	CHECK_KIND(get(r, "g"), DOC_NULL);
	CHECK_STRING(get(r, "h"), "1");
	CHECK_INTEGER(get(r, "i"), 15);
	CHECK_INTEGER(get(r, "j"), INT64_MIN);
	CHECK_INTEGER(get(r, "k"), INT64_MAX);
	CHECK(get(r, "l")->u.str.f == 1.5);
	CHECK(isnan(get(r, "m")->u.str.f));
	CHECK_INTEGER(get(r, "n"), 12);
	CHECK_STRING(get(r, "o"), "1_000");
	CHECK_KIND(get(r, "p"), DOC_BOOL);
	CHECK(get(r, "p")->u.b);
	CHECK_KIND(get(r, "q"), DOC_NULL);
	CHECK_KIND(get(r, "r"), DOC_NULL);
	CHECK_INTEGER(get(r, "s"), 0);
	CHECK(get(r, "t")->u.str.f == -0.5);
	CHECK_STRING(get(r, "u"), "0x");
	CHECK_STRING(get(r, "v"), "0b11");
	CHECK_STRING(get(r, "w"), "true");
	CHECK(get(r, "x")->kind == DOC_BOOL && get(r, "x")->u.b);
	CHECK(get(r, "y")->kind == DOC_FLOAT && get(r, "y")->u.str.f == 1.0);
	CHECK(isinf(get(r, "z")->u.str.f) && get(r, "z")->u.str.f < 0);
	/* keys are never resolved */
	r = parse("1: a\ntrue: b\n~: c\n");
	CHECK(r != NULL);
	if (r) {
		CHECK_STRING(get(r, "1"), "a");
		CHECK_STRING(get(r, "true"), "b");
		CHECK_STRING(get(r, "~"), "c");
	}
}

static void test_tags(void)
{
	DocNode *r = parse("a: !!str 12\nb: !!int \"12\"\nc: !!float 1\n"
			   "d: !!bool 'false'\ne: !!null ''\nf: !!map {x: 1}\n"
			   "g: !!seq [1]\nh: !!str\ni: !<tag:yaml.org,2002:int> 7\n"
			   "!!str j: 1\n");
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_STRING(get(r, "a"), "12");
	CHECK_INT(get(r, "a")->flags, 0);
	CHECK_INTEGER(get(r, "b"), 12);
	CHECK(get(r, "c")->kind == DOC_FLOAT && get(r, "c")->u.str.f == 1.0);
	CHECK(get(r, "d")->kind == DOC_BOOL && !get(r, "d")->u.b);
	CHECK_KIND(get(r, "e"), DOC_NULL);
	CHECK_KIND(get(r, "f"), DOC_TABLE);
	CHECK_KIND(get(r, "g"), DOC_ARRAY);
	CHECK_STRING(get(r, "h"), "");
	CHECK_INTEGER(get(r, "i"), 7);
	CHECK_INTEGER(get(r, "j"), 1);
	CHECK_ERROR("a: !!int x\n", "t.yaml:1:4: error: invalid !!int value 'x'");
	CHECK_ERROR("a: !!bool yes\n",
		    "t.yaml:1:4: error: invalid !!bool value 'yes'");
	CHECK_ERROR("a: !!seq x\n",
		    "t.yaml:1:4: error: tag !!seq cannot be used on a scalar");
	CHECK_ERROR("a: !!str [x]\n",
		    "t.yaml:1:4: error: tag !!str cannot be used on a sequence");
	CHECK_ERROR("a: !!binary aGk=\n",
		    "t.yaml:1:4: error: unsupported tag '!!binary' (specs may use "
		    "only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq)");
	CHECK_ERROR("a: !foo x\n",
		    "t.yaml:1:4: error: unsupported tag '!foo' (specs may use "
		    "only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq)");
	CHECK_ERROR("!!int 1: x\n",
		    "t.yaml:1:1: error: a key must be a string, not tagged !!int");
	/* a tag with an escaped control character is shown escaped */
	CHECK_ERROR("a: !<x%01y> z\n",
		    "t.yaml:1:4: error: unsupported tag 'x\\u0001y' (specs may use "
		    "only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq)");
}

static void test_numbers(void)
{
	CHECK_ERROR("a: 9223372036854775808\n",
		    "t.yaml:1:4: error: integer 9223372036854775808 does not fit "
		    "in 64 bits");
	CHECK_ERROR("a: -9223372036854775809\n",
		    "t.yaml:1:4: error: integer -9223372036854775809 does not "
		    "fit in 64 bits");
	CHECK_ERROR("a: 0x8000000000000000\n",
		    "t.yaml:1:4: error: integer 0x8000000000000000 does not fit "
		    "in 64 bits");
	CHECK_ERROR("a: 1e999\n", "t.yaml:1:4: error: float 1e999 is out of range");
	CHECK_ERROR("a: 0755\n",
		    "t.yaml:1:4: error: integer '0755' has a leading zero, which "
		    "YAML 1.1 reads as octal and YAML 1.2 as decimal: write it "
		    "without the zero, or with the 0o prefix for octal");
	CHECK_ERROR("a: [1, -00]\n",
		    "t.yaml:1:8: error: integer '-00' has a leading zero, which "
		    "YAML 1.1 reads as octal and YAML 1.2 as decimal: write it "
		    "without the zero, or with the 0o prefix for octal");
}

/* ---- documents ------------------------------------------------------------ */

static void test_empty_documents(void)
{
	static const char *const empties[] = {
		"", "\n", "# just a comment\n\n# and another", "---\n",
		"--- # c\n...\n", "\xef\xbb\xbf",
	};
	size_t i;
	for (i = 0; i < ARRAY_LEN(empties); i++) {
		DocNode *r = parse(empties[i]);
		CHECK(r != NULL);
		if (!r)
			continue;
		CHECK_KIND(r, DOC_TABLE);
		CHECK_INT(r->u.table.n, 0);
		CHECK_LOC(r->loc, 1, 1);
	}
	/* an explicit null or a scalar is not a table: the decoder says so */
	CHECK_KIND(parse("~\n"), DOC_NULL);
	CHECK_KIND(parse("[1]\n"), DOC_ARRAY);
	CHECK_STRING(parse("text\n"), "text");
}

static void test_spec_shape(void)
{
	DocNode *r = parse("structs:\n"
			   "- name: xen_sysctl_readconsole\n"
			   "  description: \"...\"\n"
			   "  fields:\n"
			   "    - name: clear\n"
			   "      typ: u8\n");
	DocNode *structs, *s, *fields, *f;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(r->u.table.n, 1);
	CHECK_LOC(entry(r, "structs")->loc, 1, 1);
	structs = get(r, "structs");
	CHECK_KIND(structs, DOC_ARRAY);
	CHECK_LOC(structs->loc, 2, 1);
	CHECK_INT(structs->u.array.n, 1);
	s = elem(structs, 0);
	CHECK_KIND(s, DOC_TABLE);
	CHECK_INT(s->u.table.n, 3);
	CHECK_STR(s->u.table.v[0].key, "name");
	CHECK_STR(s->u.table.v[1].key, "description");
	CHECK_STR(s->u.table.v[2].key, "fields");
	CHECK_LOC(s->loc, 2, 3);
	CHECK_STRING(get(s, "name"), "xen_sysctl_readconsole");
	CHECK_LOC(get(s, "name")->loc, 2, 9);
	CHECK_STRING(get(s, "description"), "...");
	CHECK_LOC(get(s, "description")->loc, 3, 16);
	CHECK_INT(get(s, "description")->flags, DOC_F_LITERAL);
	fields = get(s, "fields");
	CHECK_KIND(fields, DOC_ARRAY);
	CHECK_LOC(fields->loc, 5, 5);
	CHECK_INT(fields->u.array.n, 1);
	f = elem(fields, 0);
	CHECK_KIND(f, DOC_TABLE);
	CHECK_INT(f->u.table.n, 2);
	CHECK_STRING(get(f, "name"), "clear");
	CHECK_LOC(entry(f, "typ")->loc, 6, 7);
	CHECK_STRING(get(f, "typ"), "u8");
	CHECK_LOC(get(f, "typ")->loc, 6, 12);
}

/* ---- errors --------------------------------------------------------------- */

static void test_duplicate_keys(void)
{
	CHECK_ERROR("a: 1\nb:\n  c: 1\n  c: 2\n",
		    "t.yaml:4:3: error: duplicate key 'c'");
	CHECK_STR(diag_line("t.yaml:3:3:"),
		  "t.yaml:3:3: note: 'c' first defined here");
	/* the same key in other spellings */
	CHECK_ERROR("\"a b\": 1\n'a b': 2\n",
		    "t.yaml:2:1: error: duplicate key '\"a b\"'");
	CHECK_ERROR("{x: 1, \"\\x78\": 2}\n",
		    "t.yaml:1:8: error: duplicate key 'x'");
	/* never raw control characters in messages */
	CHECK_ERROR("\"a\\x01\\\"\": 1\n\"a\\x01\\\"\": 2\n",
		    "t.yaml:2:1: error: duplicate key '\"a\\u0001\\\"\"'");
	CHECK_ERROR("\"\\0\": 1\n\"\\0\": 2\n",
		    "t.yaml:2:1: error: duplicate key '\"\\u0000\"'");
	/* a key with a NUL is kept whole */
	{
		DocNode *r = parse("\"a\\0b\": 1\na: 2\n");
		CHECK(r != NULL);
		if (r) {
			CHECK(doc_table_find(r, "a\0b", 3) != NULL);
			CHECK_INT(r->u.table.v[0].keylen, 3);
		}
	}
}

static void test_aliases(void)
{
	CHECK_ERROR("a: &x [1]\nb: *x\n",
		    "t.yaml:1:4: error: YAML anchors are not supported in specs");
	CHECK_ERROR("a: *x\n",
		    "t.yaml:1:4: error: YAML aliases are not supported in specs");
	CHECK_ERROR("- &a x\n",
		    "t.yaml:1:3: error: YAML anchors are not supported in specs");
	CHECK_ERROR("&a k: v\n",
		    "t.yaml:1:1: error: YAML anchors are not supported in specs");
	/* billion laughs stops at the first anchor, whatever the size */
	CHECK_ERROR("a: &a [x, x, x, x, x, x, x, x, x]\n"
		    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
		    "t.yaml:1:4: error: YAML anchors are not supported in specs");
}

static void test_structure_errors(void)
{
	CHECK_ERROR("a: 1\n---\nb: 2\n",
		    "t.yaml:2:1: error: more than one document in the file (a "
		    "spec is a single YAML document)");
	CHECK_ERROR("a: 1\n...\n---\nb: 2\n",
		    "t.yaml:3:1: error: more than one document in the file (a "
		    "spec is a single YAML document)");
	CHECK_ERROR("a: 1\n...\nb: 2\n", /* libyaml wants "---" there */
		    "t.yaml:3:1: error: did not find expected <document start>");
	CHECK_ERROR("%YAML 1.1\n---\na: 1\n",
		    "t.yaml:1:1: error: %YAML 1.1 is not supported: specs are "
		    "read as YAML 1.2");
	CHECK(parse("%YAML 1.2\n---\na: 1\n") != NULL);
	CHECK_ERROR("? [a]\n: 1\n",
		    "t.yaml:1:3: error: a key must be a scalar, not a sequence");
	CHECK_ERROR("{{a: 1}: 2}\n",
		    "t.yaml:1:2: error: a key must be a scalar, not a mapping");
	/* libyaml's own errors, with the construct they are in */
	CHECK_ERROR("a: [1, 2\nb: 3\n",
		    "t.yaml:2:2: error: did not find expected ',' or ']' while "
		    "parsing a flow sequence");
	CHECK_STR(diag_line("t.yaml:1:4:"),
		  "t.yaml:1:4: note: the flow sequence starts here");
	CHECK_ERROR("a: 'x\n", "t.yaml:2:1: error: found unexpected end of "
		    "stream while scanning a quoted scalar");
	CHECK_STR(diag_line("t.yaml:1:4:"),
		  "t.yaml:1:4: note: the quoted scalar starts here");
	CHECK_ERROR("a: b: c\n", "t.yaml:1:5: error: mapping values are not "
		    "allowed in this context");
}

static void test_bad_characters(void)
{
	CHECK_ERROR("a: \xff\n", "t.yaml:1:4: error: invalid UTF-8 byte 0xff");
	CHECK_ERROR("a: \"x\xc3(\"\n", "t.yaml:1:6: error: invalid UTF-8 "
		    "sequence starting with byte 0xc3");
	CHECK_ERROR("a: \xed\xa0\x80\n", "t.yaml:1:4: error: invalid UTF-8 "
		    "sequence starting with byte 0xed"); /* a surrogate */
	CHECK(parse_n("a: b\0", 5) == NULL);
	CHECK_STR(first_error(), "t.yaml:1:5: error: control character "
		  "'\\u0000' is not allowed in YAML");
	CHECK(parse_n("a: \"b\0c\"\n", 9) == NULL);
	CHECK_STR(first_error(), "t.yaml:1:6: error: control character "
		  "'\\u0000' is not allowed in YAML");
	CHECK_ERROR("a: x\x7f\n", "t.yaml:1:5: error: control character "
		    "'\\u007F' is not allowed in YAML");
	CHECK_ERROR("a: \xc2\x9b\n", "t.yaml:1:4: error: control character "
		    "'\\u009B' is not allowed in YAML");
	CHECK_ERROR("a: \xef\xbf\xbf\n", "t.yaml:1:4: error: character U+FFFF "
		    "is not allowed in YAML");
	/* the earliest error wins, whoever finds it */
	CHECK_ERROR("a: [1\nb: 2\nc: 3\xff\n", "t.yaml:2:2: error: did not find "
		    "expected ',' or ']' while parsing a flow sequence");
	CHECK_ERROR("a: 1\na: 2\n\xff\n", "t.yaml:2:1: error: duplicate key 'a'");
	CHECK_ERROR("a: [1,\n \x01 2]\n", "t.yaml:2:2: error: control "
		    "character '\\u0001' is not allowed in YAML");
}

/* ---- JSON ----------------------------------------------------------------- */

static void test_json_values(void)
{
	DocNode *r = parse_json("{\"b\": 1, \"a\": [true, null, -0.5e1, "
				"\"x\\u00e9\\ud83d\\ude00\\/\\n\", 0, -0, 1E2],\n"
				" \"\": {}, \"d\\u0000\": \"a\x7f" "b\xef\xbf\xbf\"}");
	DocNode *a;
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(r->u.table.n, 4);
	CHECK_STR(r->u.table.v[0].key, "b"); /* key order is kept */
	CHECK_STR(r->u.table.v[1].key, "a");
	CHECK_INT(r->flags, DOC_F_INLINE);
	a = get(r, "a");
	CHECK_INT(a->flags, DOC_F_INLINE);
	CHECK(elem(a, 0)->kind == DOC_BOOL && elem(a, 0)->u.b);
	CHECK_KIND(elem(a, 1), DOC_NULL);
	CHECK(elem(a, 2)->kind == DOC_FLOAT && elem(a, 2)->u.str.f == -5.0);
	CHECK_STRING(elem(a, 3), "x\xc3\xa9\xf0\x9f\x98\x80/\n");
	CHECK_INT(elem(a, 3)->flags, DOC_F_LITERAL);
	CHECK_LOC(elem(a, 3)->loc, 1, 36);
	CHECK_INTEGER(elem(a, 4), 0);
	CHECK_INTEGER(elem(a, 5), 0);
	CHECK(elem(a, 6)->kind == DOC_FLOAT && elem(a, 6)->u.str.f == 100.0);
	CHECK_KIND(get(r, ""), DOC_TABLE);
	CHECK_LOC(entry(r, "")->loc, 2, 2);
	CHECK(doc_table_find(r, "d\0", 2) != NULL);
	CHECK_STRING(r->u.table.v[3].value, "a\x7f" "b\xef\xbf\xbf");
	/* any value at the top; JSON whitespace anywhere */
	CHECK_STRING(parse_json(" \"x\" "), "x");
	CHECK_INTEGER(parse_json("\t12\n"), 12);
	CHECK_KIND(parse_json("\t{\r\n\t\"a\":\t[\t]\r\n}\t"), DOC_TABLE);
	/* a line break before ':' (libyaml needs help there) */
	r = parse_json("{\"a\"\r\n  : {\"b\"\n\n:\n1}}");
	CHECK(r != NULL);
	if (r) {
		CHECK_LOC(entry(get(r, "a"), "b")->loc, 2, 6);
		CHECK_LOC(get(get(r, "a"), "b")->loc, 5, 1);
	}
}

static void test_json_strictness(void)
{
	CHECK_JSON_ERROR("{\"a\": 1, # c\n}",
			 "t.json:1:10: error: comments are not allowed in JSON");
	CHECK_JSON_ERROR("{\"a\": 1 // c\n}",
			 "t.json:1:9: error: comments are not allowed in JSON");
	CHECK_JSON_ERROR("[1, 2,]",
			 "t.json:1:6: error: trailing comma before ']'");
	CHECK_JSON_ERROR("{\"a\": 1,\n}",
			 "t.json:1:8: error: trailing comma before '}'");
	CHECK_JSON_ERROR("{a: 1}", "t.json:1:2: error: object keys must be strings");
	CHECK_JSON_ERROR("{\"a\": 1, b: 2}", "t.json:1:10: error: invalid value "
			 "'b' (strings must be in double quotes)");
	CHECK_JSON_ERROR("{\"a\": 1, 2: 2}",
			 "t.json:1:10: error: object keys must be strings");
	CHECK_JSON_ERROR("['a']", "t.json:1:2: error: strings must be in double "
			 "quotes in JSON");
	CHECK_JSON_ERROR("[yes]", "t.json:1:2: error: invalid value 'yes' "
			 "(strings must be in double quotes)");
	CHECK_JSON_ERROR("[True]", "t.json:1:2: error: invalid value 'True': "
			 "did you mean 'true'?");
	CHECK_JSON_ERROR("\"a\": 1", "t.json:1:4: error: unexpected ':' after the "
			 "JSON value");
	CHECK_JSON_ERROR("- 1", "t.json:1:2: error: expected a digit after '-', "
			 "found ' '");
	CHECK_JSON_ERROR("[\"a\": 1]", "t.json:1:2: error: a key/value pair must "
			 "be inside '{' and '}' in JSON");
	CHECK_JSON_ERROR("[1] [2]", "t.json:1:5: error: unexpected '[' after the "
			 "JSON value");
	CHECK_JSON_ERROR("!!str \"a\"", "t.json:1:1: error: unexpected '!'");
	CHECK_JSON_ERROR("[&a 1]", "t.json:1:2: error: unexpected '&'");
	CHECK_JSON_ERROR("[.5]", "t.json:1:2: error: a JSON number cannot start "
			 "with '.'");
	CHECK_JSON_ERROR("[01]", "t.json:1:2: error: leading zeros are not allowed "
			 "in JSON numbers");
	CHECK_JSON_ERROR("[0x10]", "t.json:1:3: error: unexpected 'x' in number");
	CHECK_JSON_ERROR("[1.]", "t.json:1:4: error: expected a digit after '.', "
			 "found ']'");
	CHECK_JSON_ERROR("[\"a\tb\"]", "t.json:1:4: error: control character "
			 "'\\u0009' is not allowed in a string (write it as an "
			 "escape)");
	CHECK_JSON_ERROR("[\"a\nb\"]", "t.json:1:4: error: missing closing quote "
			 "at end of line");
	CHECK_JSON_ERROR("[\"\\x41\"]",
			 "t.json:1:3: error: invalid escape sequence '\\x'");
	CHECK_JSON_ERROR("[\"\\ud800\"]", "t.json:1:3: error: invalid escape "
			 "'\\ud800': an unpaired surrogate");
	CHECK_JSON_ERROR("{\"a\" 1}", "t.json:1:6: error: expected ',' or ':' "
			 "before '1'");
	CHECK_JSON_ERROR("{\"a\"}",
			 "t.json:1:5: error: expected ':' and a value after the key");
	CHECK_JSON_ERROR("", "t.json:1:1: error: expected a JSON value, found end "
			 "of file");
	CHECK_JSON_ERROR("  \n", "t.json:2:1: error: expected a JSON value, found "
			 "end of file");
	CHECK_JSON_ERROR("{\"a\": ", "t.json:1:7: error: expected a value, found "
			 "end of file");
	CHECK_JSON_ERROR("[1e999]", "t.json:1:2: error: float 1e999 is out of range");
	CHECK_JSON_ERROR("[-9223372036854775809]", "t.json:1:2: error: integer "
			 "-9223372036854775809 does not fit in 64 bits");
	CHECK_JSON_ERROR("{\"a\": 1, \"b\": 2, \"a\": 3}",
			 "t.json:1:18: error: duplicate key 'a'");
	CHECK_STR(diag_line("t.json:1:2:"),
		  "t.json:1:2: note: 'a' first defined here");
	CHECK_JSON_ERROR("{\"a\\u0062\": 1, \"ab\": 3}",
			 "t.json:1:16: error: duplicate key 'ab'");
	CHECK_JSON_ERROR("{\"a\"\n: 1, \"a\"\n: 2}",
			 "t.json:2:6: error: duplicate key 'a'");
	{
		/* libyaml reads keys as implicit keys: 1024 characters */
		Buf b = {0};
		int i;
		buf_puts(&b, "{\"");
		for (i = 0; i < 1100; i++)
			buf_putc(&b, 'k');
		buf_puts(&b, "\": 1}");
		CHECK(parse_json(buf_cstr(&b)) == NULL);
		CHECK_STR(first_error(), "t.json:1:1104: error: this ':' is more "
			  "than 1024 characters after the start of its key, "
			  "which libyaml cannot read");
		buf_free(&b);
	}
	CHECK_JSON_ERROR("{\"a\": [1, 2}", "t.json:1:12: error: did not find "
			 "expected ',' or ']' while parsing a flow sequence");
	CHECK_STR(diag_line("t.json:1:7:"),
		  "t.json:1:7: note: the flow sequence starts here");
}

/* ---- limits --------------------------------------------------------------- */

static void nested(Buf *b, const char *prefix, int n, const char *open,
		   const char *close)
{
	int i;
	buf_clear(b);
	buf_puts(b, prefix);
	for (i = 0; i < n; i++)
		buf_puts(b, open);
	for (i = 0; i < n; i++)
		buf_puts(b, close);
	buf_putc(b, '\n');
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_depth(void)
{
	Buf b = {0};
	char msg[128];
	double t0;
	int i;

	/* the root is level 0, as in TOML */
	nested(&b, "x: ", MAX_DOC_DEPTH, "[", "]");
	CHECK(parse_n(b.data, b.len) != NULL);
	nested(&b, "x: ", MAX_DOC_DEPTH + 1, "[", "]");
	CHECK(parse_n(b.data, b.len) == NULL);
	snprintf(msg, sizeof msg, "t.yaml:1:%d: error: nesting deeper than %d "
		 "levels", 4 + MAX_DOC_DEPTH, MAX_DOC_DEPTH);
	CHECK_STR(first_error(), msg);
	nested(&b, "", MAX_DOC_DEPTH + 1, "[", "]");
	CHECK(parse_as(b.data, b.len, true) != NULL);
	nested(&b, "", MAX_DOC_DEPTH + 2, "{\"a\":", "}");
	CHECK(parse_as(b.data, b.len, true) == NULL);
	CHECK(strstr(first_error(), "nesting deeper than") != NULL);
	/* block style nests too */
	buf_clear(&b);
	for (i = 0; i <= MAX_DOC_DEPTH; i++) {
		buf_indent(&b, 2 * i);
		buf_puts(&b, "a:\n");
	}
	CHECK(parse_n(b.data, b.len) != NULL); /* tables at levels 0 to 128 */
	buf_indent(&b, 2 * (MAX_DOC_DEPTH + 1));
	buf_puts(&b, "a:\n");
	CHECK(parse_n(b.data, b.len) == NULL);
	snprintf(msg, sizeof msg, "t.yaml:%d:%d: error: nesting deeper than %d "
		 "levels", MAX_DOC_DEPTH + 2, 2 * MAX_DOC_DEPTH + 3,
		 MAX_DOC_DEPTH);
	CHECK_STR(first_error(), msg);
	/* 100,000 open brackets: a clean error, at once */
	t0 = now();
	nested(&b, "", 100000, "[", "");
	CHECK(parse_as(b.data, b.len, false) == NULL);
	CHECK_STR(first_error(), "t.yaml:1:130: error: nesting deeper than 128 "
		  "levels");
	CHECK(parse_as(b.data, b.len, true) == NULL);
	CHECK_STR(first_error(), "t.json:1:130: error: nesting deeper than 128 "
		  "levels");
	nested(&b, "", 100000, "- ", "");
	CHECK(parse_n(b.data, b.len) == NULL);
	CHECK_STR(first_error(), "t.yaml:1:259: error: nesting deeper than 128 "
		  "levels");
	CHECK(now() - t0 < 2.0);
	buf_free(&b);
}

/* Linear time: quadratic behaviour would take minutes on these. */
static void test_large_inputs(void)
{
	enum { N = 200000 };
	Buf b = {0};
	DocNode *r;
	double t0;
	int i;

	t0 = now();
	buf_puts(&b, "structs:\n");
	for (i = 0; i < N; i++)
		buf_printf(&b, "  - name: f%d\n    typ: u8\n", i);
	r = parse_n(b.data, b.len);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(get(r, "structs")->u.array.n, N);
		CHECK_LOC(elem(get(r, "structs"), N - 1)->loc, 2 * N, 5);
	}
	/* one long line: column tracking must not rescan it */
	buf_clear(&b);
	buf_puts(&b, "[");
	for (i = 0; i < N; i++)
		buf_puts(&b, "\"\xc3\xa9\", ");
	buf_puts(&b, "1]");
	r = parse_as(b.data, b.len, true);
	CHECK(r != NULL);
	if (r)
		CHECK_LOC(elem(r, N - 1)->loc, 1, 2 + 5 * (N - 1));
	/* the same line, broken at its end */
	b.data[b.len - 1] = ',';
	CHECK(parse_as(b.data, b.len, true) == NULL);
	/* a big table, then a duplicate */
	buf_clear(&b);
	for (i = 0; i < N; i++)
		buf_printf(&b, "k%d: %d\n", i, i);
	buf_puts(&b, "k7: 0\n");
	CHECK(parse_n(b.data, b.len) == NULL);
	CHECK_STR(diag_line("t.yaml:8:1:"),
		  "t.yaml:8:1: note: 'k7' first defined here");
	CHECK(now() - t0 < 10.0);
	buf_free(&b);
}

int main(void)
{
	arena_init(&arena);
	RUN(test_locations_block);
	RUN(test_locations_flow);
	RUN(test_locations_line_breaks);
	RUN(test_bom);
	RUN(test_flags);
	RUN(test_core_schema);
	RUN(test_tags);
	RUN(test_numbers);
	RUN(test_empty_documents);
	RUN(test_spec_shape);
	RUN(test_duplicate_keys);
	RUN(test_aliases);
	RUN(test_structure_errors);
	RUN(test_bad_characters);
	RUN(test_json_values);
	RUN(test_json_strictness);
	RUN(test_depth);
	RUN(test_large_inputs);
	arena_free(&arena);
	return t_done();
}

#else

int main(void)
{
	printf("ok - skipped without libyaml\n1..1\n");
	return 0;
}

#endif
