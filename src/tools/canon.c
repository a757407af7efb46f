/*
 * canon.c - the canonical form of a spec document, which fmt writes (the
 * rules are in convert.c's header comment).
 */
#include "model/model.h"
#include "tools/tools.h"

#include <string.h>

/* ---- Canonical form (fmt) -------------------------------------------------
 * The canonical key order of each kind of table is the order of its keys in
 * the schema (model/schema.c), and what each key holds says where to
 * recurse: into tables, lists of tables and types.  A key the schema does
 * not know keeps its place after the known ones. */

static bool key_is(const DocEntry *e, const char *k)
{
	return strlen(k) == e->keylen && memcmp(e->key, k, e->keylen) == 0;
}

/* A string decode.c reads as a type name (a primitive or a named type). */
static bool is_name(const DocNode *n)
{
	return n->kind == DOC_STRING && n->u.str.len &&
	       strlen(n->u.str.s) == n->u.str.len;
}

static bool is_prim(const DocNode *n)
{
	Prim p;
	return is_name(n) && prim_from_name(n->u.str.s, &p);
}

static DocNode *canon_table(Arena *a, const DocNode *n, SchemaKind k);
static DocNode *canon_table_as(Arena *a, const DocNode *n, SchemaKind k,
			       const char *name_key);
static DocNode *canon_list(Arena *a, const DocNode *n, SchemaKind k);
static DocNode *canon_type(Arena *a, const DocNode *n, int depth);

/* { ctor = args } in the short syntax.  args is rewritten only where it
 * holds types: what decode.c reads from it does not change. */
static DocNode *short_type(Arena *a, Ctor c, const DocNode *args, Loc loc,
			   Loc key_loc, int depth, const DocEntry *konst)
{
	const char *ctor = schema_word(SW_CTORS, c);
	DocNode *t, *v = (DocNode *)args;
	uint32_t i;
	switch (c) {
	case CTOR_PTR:
	case CTOR_HANDLE:
	case CTOR_CPTR:
		v = canon_type(a, args, depth + 1);
		break;
	case CTOR_ARRAY:
		if (args->kind == DOC_ARRAY && args->u.array.n >= 1 &&
		    args->u.array.n <= 2) {
			v = doc_new(a, DOC_ARRAY, args->loc);
			doc_array_push(a, v, canon_type(a, args->u.array.v[0], depth + 1));
			for (i = 1; i < args->u.array.n; i++)
				doc_array_push(a, v, args->u.array.v[i]);
		}
		break;
	case CTOR_STRUCT:
	case CTOR_UNION:
		/* inline fields */
		v = canon_list(a, args, SK_FIELD);
		break;
	case CTOR_TYPE:
		/* { type = "name" } is "name", unless the name is a primitive's */
		if (is_name(args) && !is_prim(args))
			return doc_new_string(a, loc, args->u.str.s, args->u.str.len);
		break;
	case CTOR_ENUM:
	case CTOR_BITMAP:
	case NCTORS:
		break;
	}
	t = doc_new(a, DOC_TABLE, loc);
	t->flags = DOC_F_INLINE;
	doc_table_add(a, t, ctor, strlen(ctor), key_loc, v);
	/* { ptr = T, const = true }: the constructor, then const */
	if (konst)
		doc_table_add(a, t, konst->key, konst->keylen, konst->loc,
			      konst->value);
	return t;
}

/* A type in the short syntax; a table that decode.c would reject as a
 * type is returned as it is. */
static DocNode *canon_type(Arena *a, const DocNode *n, int depth)
{
	const DocEntry *tag = NULL, *args = NULL, *konst = NULL;
	uint32_t i, keys;
	int c;

	if (depth > MAX_TYPE_DEPTH || n->kind != DOC_TABLE || n->u.table.n == 0 ||
	    !n->u.table.v)
		return (DocNode *)n;
	for (i = 0; i < n->u.table.n; i++) {
		const DocEntry *e = &n->u.table.v[i];
		if (key_is(e, "tag"))
			tag = e;
		else if (key_is(e, "args"))
			args = e;
		else if (key_is(e, "const"))
			konst = e;
	}
	/* const goes with a pointer or handle only (decode.c) */
	keys = n->u.table.n - (konst ? 1 : 0);
	if (!tag) {
		const DocEntry *e = &n->u.table.v[0];
		if (e == konst && keys)
			e = &n->u.table.v[1];
		c = schema_word_find(SW_CTORS, e->key, e->keylen);
		if (keys != 1 || c < 0 || (konst && c > CTOR_CPTR))
			return (DocNode *)n;
		return short_type(a, (Ctor)c, e->value, n->loc, e->loc, depth, konst);
	}
	/* adjacently tagged: { tag = "u8" }, { tag = "ptr", args = ... } */
	if (keys != (args ? 2u : 1u) || tag->value->kind != DOC_STRING)
		return (DocNode *)n;
	c = schema_word_find(SW_CTORS, tag->value->u.str.s,
			     tag->value->u.str.len);
	if (c < 0) {
		if (args || konst || !is_name(tag->value))
			return (DocNode *)n;
		return doc_new_string(a, n->loc, tag->value->u.str.s,
				      tag->value->u.str.len);
	}
	if (!args || (konst && c > CTOR_CPTR))
		return (DocNode *)n;
	return short_type(a, (Ctor)c, args->value, n->loc, tag->loc, depth, konst);
}

/* A list of tables of one kind (fields, variants, ...). */
static DocNode *canon_list(Arena *a, const DocNode *n, SchemaKind k)
{
	DocNode *r;
	uint32_t i;
	if (n->kind != DOC_ARRAY)
		return (DocNode *)n;
	r = doc_new(a, DOC_ARRAY, n->loc);
	r->flags = n->flags;
	for (i = 0; i < n->u.array.n; i++)
		doc_array_push(a, r, canon_table(a, n->u.array.v[i], k));
	return r;
}

/* An `items` list: each table in the order of the kind its kind key
 * names, the kind key where `name` would be.  A table without one is left
 * as it is. */
static DocNode *canon_items(Arena *a, const DocNode *n)
{
	DocNode *r;
	uint32_t i;
	if (n->kind != DOC_ARRAY)
		return (DocNode *)n;
	r = doc_new(a, DOC_ARRAY, n->loc);
	r->flags = n->flags;
	for (i = 0; i < n->u.array.n; i++) {
		const DocNode *t = n->u.array.v[i];
		DocNode *c = (DocNode *)t;
		uint32_t k1 = 0, k2 = 0;
		int w = t->kind == DOC_TABLE ? schema_entry_kind(t, &k1, &k2) : -1;
		if (w >= 0)
			c = canon_table_as(a, t, schema_item_kind((size_t)w),
					   schema_word(SW_ITEM_KINDS, (size_t)w));
		doc_array_push(a, r, c);
	}
	return r;
}

/* The value of a key: recurse where it holds tables or types. */
static DocNode *canon_value(Arena *a, const DocNode *n, const SchemaKey *key)
{
	switch (key->value) {
	case SV_TABLE:
		return canon_table(a, n, (SchemaKind)key->sub);
	case SV_TABLES:
		return canon_list(a, n, (SchemaKind)key->sub);
	case SV_ITEMS:
		return canon_items(a, n);
	case SV_TYPE:
	case SV_ENUM_TYPE:
	case SV_BITMAP_TYPE:
	case SV_CONST_TYPE:
		return canon_type(a, n, 0);
	case SV_ALIAS_TYPE:
		/* one type, or a table of one type per architecture */
		if (n->kind != DOC_TABLE || !n->u.table.n ||
		    arch_from_name(n->u.table.v[0].key) < 0)
			return canon_type(a, n, 0);
		return canon_table(a, n, SK_ARCH_TYPES);
	default:
		return (DocNode *)n;
	}
}

static DocNode *canon_table(Arena *a, const DocNode *n, SchemaKind k)
{
	return canon_table_as(a, n, k, NULL);
}

/* A table of kind k; in an `items` list, name_key (the kind) takes the
 * place of `name`. */
static DocNode *canon_table_as(Arena *a, const DocNode *n, SchemaKind k,
			       const char *name_key)
{
	const SchemaTable *tab = &schema_tables[k];
	DocNode *r;
	uint32_t i;
	size_t j;
	bool *taken;

	if (n->kind != DOC_TABLE)
		return (DocNode *)n;
	r = doc_new(a, DOC_TABLE, n->loc);
	r->flags = n->flags;
	taken = arena_calloc(a, n->u.table.n ? n->u.table.n : 1, sizeof *taken);
	for (j = 0; j < tab->nkeys; j++) {
		const char *want = tab->keys[j].key;
		if (name_key && strcmp(want, "name") == 0)
			want = name_key;
		for (i = 0; i < n->u.table.n; i++) {
			const DocEntry *e = &n->u.table.v[i];
			if (taken[i] || !key_is(e, want))
				continue;
			taken[i] = true;
			doc_table_add(a, r, e->key, e->keylen, e->loc,
				      canon_value(a, e->value, &tab->keys[j]));
		}
	}
	for (i = 0; i < n->u.table.n; i++)
		if (!taken[i])
			doc_table_add(a, r, n->u.table.v[i].key,
				      n->u.table.v[i].keylen, n->u.table.v[i].loc,
				      n->u.table.v[i].value);
	/* A field whose type is an inline struct or union spreads over lines:
	 * the type goes last, after the description, so that no key trails
	 * the closing brackets. */
	if (k == SK_FIELD) {
		for (i = 0; i < r->u.table.n; i++)
			if (key_is(&r->u.table.v[i], "typ"))
				break;
		if (i < r->u.table.n && toml_spans_lines(r->u.table.v[i].value)) {
			DocEntry typ = r->u.table.v[i];
			memmove(&r->u.table.v[i], &r->u.table.v[i + 1],
				(r->u.table.n - i - 1) * sizeof typ);
			r->u.table.v[r->u.table.n - 1] = typ;
			r->u.table.index = NULL; /* positions changed */
		}
	}
	return r;
}

DocNode *canon_root(Arena *a, const DocNode *root)
{
	return canon_table(a, root, SK_ROOT);
}
