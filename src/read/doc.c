/*
 * doc.c - document tree construction.
 */
#include "read/read.h"

#include <string.h>

/* Tables this small are searched linearly: most spec tables hold two to
 * five keys and a hash index would cost more than it saves. */
enum { INDEX_THRESHOLD = 8 };

DocNode *doc_new(Arena *a, DocKind kind, Loc loc)
{
	DocNode *n = arena_alloc(a, sizeof *n);
	n->kind = (unsigned char)kind;
	n->loc = loc;
	return n;
}

DocNode *doc_new_string(Arena *a, Loc loc, const char *s, size_t len)
{
	DocNode *n = doc_new(a, DOC_STRING, loc);
	n->u.str.s = arena_strndup(a, s, len);
	n->u.str.len = len;
	return n;
}

DocEntry *doc_table_find(const DocNode *t, const char *key, size_t len)
{
	uint32_t i;
	if (t->u.table.index) {
		void *v = hmap_get(t->u.table.index, key, len);
		return v ? &t->u.table.v[(uintptr_t)v - 1] : NULL;
	}
	for (i = 0; i < t->u.table.n; i++) {
		DocEntry *e = &t->u.table.v[i];
		if (e->keylen == len && memcmp(e->key, key, len) == 0)
			return e;
	}
	return NULL;
}

DocNode *doc_get(const DocNode *t, const char *key)
{
	DocEntry *e;
	if (!t || t->kind != DOC_TABLE)
		return NULL;
	e = doc_table_find(t, key, strlen(key));
	return e ? e->value : NULL;
}

DocEntry *doc_table_add(Arena *a, DocNode *t, const char *key, size_t len,
			Loc key_loc, DocNode *value)
{
	DocEntry *e;
	uint32_t n = t->u.table.n;
	if (n == t->u.table.cap) {
		uint32_t cap = n ? n * 2 : 4;
		t->u.table.v = arena_grow(a, t->u.table.v, n, cap, sizeof *e);
		t->u.table.cap = cap;
	}
	e = &t->u.table.v[n];
	e->key = arena_strndup(a, key, len);
	e->keylen = len;
	e->loc = key_loc;
	e->value = value;
	t->u.table.n = n + 1;
	/* the index maps a key to its position + 1, stored as the value
	 * pointer: an integer in a pointer, on purpose */
	if (t->u.table.index) {
		hmap_put(t->u.table.index, e->key, len,
			 (void *)(uintptr_t)(n + 1)); /* NOLINT(performance-no-int-to-ptr) */
	} else if (n + 1 > INDEX_THRESHOLD) {
		uint32_t i;
		t->u.table.index = arena_alloc(a, sizeof *t->u.table.index);
		hmap_init_arena(t->u.table.index, a);
		for (i = 0; i <= n; i++)
			hmap_put(t->u.table.index, t->u.table.v[i].key,
				 t->u.table.v[i].keylen,
				 (void *)(uintptr_t)(i + 1)); /* NOLINT(performance-no-int-to-ptr) */
	}
	return e;
}

void doc_array_push(Arena *a, DocNode *arr, DocNode *v)
{
	uint32_t n = arr->u.array.n;
	if (n == arr->u.array.cap) {
		uint32_t cap = n ? n * 2 : 4;
		arr->u.array.v = arena_grow(a, arr->u.array.v, n, cap, sizeof v);
		arr->u.array.cap = cap;
	}
	arr->u.array.v[n] = v;
	arr->u.array.n = n + 1;
}

const char *doc_kind_name(DocKind k)
{
	switch (k) {
	case DOC_TABLE: return "table";
	case DOC_ARRAY: return "array";
	case DOC_STRING: return "string";
	case DOC_INTEGER: return "integer";
	case DOC_FLOAT: return "float";
	case DOC_BOOL: return "boolean";
	case DOC_DATETIME: return "datetime";
	case DOC_NULL: return "null";
	}
	return "value";
}
