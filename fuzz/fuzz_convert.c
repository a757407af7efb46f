/*
 * fuzz_convert - libFuzzer target for the document tools (xenbindgen
 * convert and fmt): read a spec file, write it in each format (with its
 * comments, for TOML and YAML), read the result back.  The writers promise
 * no loss (writers.h): what they accept must parse again, to the same
 * tree, and writing that tree again must give the same text.
 *
 * The first byte of the input picks the format of the rest: 0 TOML,
 * 1 YAML, 2 JSON (modulo 3).
 */
#include "read/read.h"
#include "tools/tools.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static DocNode *parse(Arena *a, Diag *d, SpecFormat fmt, const char *text,
		      size_t len)
{
	uint32_t file = diag_add_source(d, fmt == FMT_TOML ? "f.toml"
					   : fmt == FMT_YAML ? "f.yaml" : "f.json");
	if (fmt == FMT_TOML)
		return toml_parse(a, d, file, text, len);
#ifdef HAVE_LIBYAML
	return yaml_parse(a, d, file, text, len, fmt == FMT_JSON);
#else
	return NULL;
#endif
}

/* Same tree: kinds, keys in order, scalars (floats bit for bit, NaN as
 * NaN), strings byte for byte. */
static bool same(const DocNode *a, const DocNode *b)
{
	uint32_t i;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case DOC_TABLE:
		if (a->u.table.n != b->u.table.n)
			return false;
		for (i = 0; i < a->u.table.n; i++) {
			const DocEntry *x = &a->u.table.v[i], *y = &b->u.table.v[i];
			if (x->keylen != y->keylen ||
			    memcmp(x->key, y->key, x->keylen) != 0 ||
			    !same(x->value, y->value))
				return false;
		}
		return true;
	case DOC_ARRAY:
		if (a->u.array.n != b->u.array.n)
			return false;
		for (i = 0; i < a->u.array.n; i++)
			if (!same(a->u.array.v[i], b->u.array.v[i]))
				return false;
		return true;
	case DOC_FLOAT:
		return (isnan(a->u.str.f) && isnan(b->u.str.f)) ||
		       memcmp(&a->u.str.f, &b->u.str.f, sizeof a->u.str.f) == 0;
	case DOC_STRING:
		return a->u.str.len == b->u.str.len &&
		       memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
	case DOC_DATETIME:
		return a->sub == b->sub && a->u.str.len == b->u.str.len &&
		       memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
	case DOC_INTEGER:
		return a->u.i == b->u.i;
	case DOC_BOOL:
		return a->u.b == b->u.b;
	default:
		return true;
	}
}

static bool write_doc(Buf *out, SpecFormat fmt, const DocNode *root,
		      DocStyle *st, Diag *d)
{
	if (fmt == FMT_TOML)
		return write_toml(out, root, st, d);
	if (fmt == FMT_YAML)
		return write_yaml(out, root, st, d);
	return write_json(out, root, d);
}

static void fail(const char *what, SpecFormat to, const Buf *out)
{
	fprintf(stderr, "%s (writing %s):\n%.*s\n", what,
		to == FMT_TOML ? "TOML" : to == FMT_YAML ? "YAML" : "JSON",
		(int)(out->len < 4000 ? out->len : 4000), out->data ? out->data : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const SpecFormat fmts[] = {FMT_TOML, FMT_YAML, FMT_JSON};
	SpecFormat from;
	const char *text;
	size_t len, k;
	Arena a;
	Diag *d;
	DocNode *root;
	CommentList cl;
	DocStyle st;

	if (size < 1)
		return 0;
	from = fmts[data[0] % 3];
#ifndef HAVE_LIBYAML
	if (from != FMT_TOML)
		return 0;
#endif
	text = (const char *)data + 1;
	len = size - 1;
	arena_init(&a);
	d = diag_new();
	root = parse(&a, d, from, text, len);
	if (!root)
		goto out;
	memset(&cl, 0, sizeof cl);
	if (from == FMT_TOML)
		toml_scan_comments(&a, text, len, &cl);
#ifdef HAVE_LIBYAML
	else if (from == FMT_YAML)
		yaml_scan_comments(&a, text, len, &cl);
#endif
	style_init(&st, &a, root, &cl, text, len);
	for (k = 0; k < ARRAY_LEN(fmts); k++) {
		SpecFormat to = fmts[k];
		Buf out = {0}, again = {0}, plain = {0};
		Arena b;
		Diag *e = diag_new(), *f = diag_new();
		DocNode *back;
		bool ok;
#ifndef HAVE_LIBYAML
		if (to != FMT_TOML)
			continue;
#endif
		diag_add_source(e, "f");
		ok = write_doc(&out, to, root, to == FMT_JSON ? NULL : &st, e);
		if (ok != (diag_error_count(e) == 0))
			fail("a writer's result disagrees with its diagnostics", to, &out);
		arena_init(&b);
		if (ok) {
			back = parse(&b, f, to, out.data ? out.data : "", out.len);
			if (!back) {
				diag_print(f, stderr, false);
				fail("the output does not parse", to, &out);
			}
			if (!same(root, back))
				fail("the output parses to another tree", to, &out);
			/* idempotence: the same tree writes the same text */
			if (!write_doc(&again, to, back, NULL, e) ||
			    !write_doc(&plain, to, root, NULL, e) ||
			    again.len != plain.len ||
			    (again.len && memcmp(again.data, plain.data, again.len)))
				fail("writing the tree read back differs", to, &again);
		}
		buf_free(&out);
		buf_free(&again);
		buf_free(&plain);
		arena_free(&b);
		diag_free(e);
		diag_free(f);
	}
	free(cl.v);
out:
	diag_free(d);
	arena_free(&a);
	return 0;
}
