/*
 * fuzz_reader.h - the body of the reader targets: parse one file, check that
 * the result agrees with the diagnostics, print them (source excerpts
 * included) and free everything.
 */
#ifndef XBG_FUZZ_READER_H
#define XBG_FUZZ_READER_H

#include "base/base.h"
#include "fuzz.h"
#include "read/read.h"

/* Walk the tree: its tables and arrays are no deeper than the limit
 * (MAX_DOC_DEPTH levels below the root, which is at depth 0),
 * every node is one of the kinds, and every table key and string is
 * NUL-terminated at its length (the decoder relies on it). */
static void fuzz_walk(const DocNode *n, int depth)
{
	uint32_t i;
	/* containers count, not the scalars inside the deepest ones */
	if (depth > MAX_DOC_DEPTH &&
	    (n->kind == DOC_TABLE || n->kind == DOC_ARRAY))
		abort();
	switch (n->kind) {
	case DOC_TABLE:
		for (i = 0; i < n->u.table.n; i++) {
			const DocEntry *e = &n->u.table.v[i];
			if (e->key[e->keylen] != '\0' || !e->value)
				abort();
			fuzz_walk(e->value, depth + 1);
		}
		break;
	case DOC_ARRAY:
		for (i = 0; i < n->u.array.n; i++)
			fuzz_walk(n->u.array.v[i], depth + 1);
		break;
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_FLOAT:
		if (n->u.str.s && n->u.str.s[n->u.str.len] != '\0')
			abort();
		break;
	case DOC_INTEGER:
	case DOC_BOOL:
	case DOC_NULL:
		break;
	default:
		abort();
	}
}

static int fuzz_reader(const uint8_t *data, size_t size, SpecFormat fmt)
{
	static const char *const paths[] = {
		[FMT_TOML] = "fuzz.toml", [FMT_YAML] = "fuzz.yaml",
		[FMT_JSON] = "fuzz.json",
	};
	const char *path = paths[fmt];
	const char *text = (const char *)data;
	size_t nlines = fuzz_count_lines(text, size), errors;
	Arena a;
	Diag *d = diag_new();
	DocNode *root = NULL;
	uint32_t file = diag_add_source(d, path);

	arena_init(&a);
	diag_set_limit(d, 0);
	if (fmt == FMT_TOML)
		root = toml_parse(&a, d, file, text, size);
#ifdef HAVE_LIBYAML
	else
		root = yaml_parse(&a, d, file, text, size, fmt == FMT_JSON);
#endif
	if (root)
		fuzz_walk(root, 0);
	/* NULL exactly when an error was reported */
	if (!root != (diag_error_count(d) > 0)) {
		fprintf(stderr, "reader returned %s with %zu errors\n",
			root ? "a tree" : "NULL", diag_error_count(d));
		abort();
	}
	diag_set_text(d, file, text, size);
	errors = fuzz_check_diags(d, &path, &nlines, 1);
	if (!root && errors == 0)
		abort();
	diag_free(d);
	arena_free(&a);
	return 0;
}

#endif
