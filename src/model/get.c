/*
 * get.c - reading the values of a document table for the decoder.
 *
 * Each kind of table has a fixed set of keys (schema.c): an unknown key is
 * an error with a did-you-mean suggestion, because the RFC's tool silently
 * ignored typos and a misspelt "descripton" must not vanish.  Each getter
 * reads one key; a value of the wrong kind is an error that names the key,
 * the expected kind and what was found, located at the value, and the
 * value is then taken as absent.
 */
#include "model/model.h"

#include <string.h>

const char *get_a_kind(const DocNode *n)
{
	switch (n->kind) {
	case DOC_TABLE: return "a table";
	case DOC_ARRAY: return "an array";
	case DOC_STRING: return "a string";
	case DOC_INTEGER: return "an integer";
	case DOC_FLOAT: return "a float";
	case DOC_BOOL: return "a boolean";
	case DOC_DATETIME: return "a date-time";
	case DOC_NULL: return "null";
	}
	return "a value";
}

/* Keys and names are data: show them escaped, never raw control bytes. */
const char *get_printable(Dec *D, const char *s, size_t n)
{
	Buf b = {0};
	size_t i;
	const char *r;
	for (i = 0; i < n && i < 64; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			buf_printf(&b, "\\x%02x", c);
		else
			buf_putc(&b, (char)c);
	}
	if (i < n)
		buf_puts(&b, "...");
	r = arena_strndup(&D->s->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

bool get_keys(Dec *D, const DocNode *t, SchemaKind k)
{
	return get_keys_as(D, t, k, NULL);
}

bool get_keys_as(Dec *D, const DocNode *t, SchemaKind k, const char *name_key)
{
	const char *what = schema_tables[k].what;
	const SchemaKey *const *order;
	const char *names[SCHEMA_MAX_KEYS];
	const char *suggested[8] = {NULL};
	size_t nkeys, nsug = 0, j;
	uint32_t i;
	bool ok = true;
	if (!D->norder[k])
		D->norder[k] = (unsigned char)schema_check_order(k, D->order[k]);
	order = D->order[k];
	nkeys = D->norder[k];
	for (i = 0; i < t->u.table.n; i++) {
		const DocEntry *e = &t->u.table.v[i];
		const char *sug;
		if (schema_key_as(k, name_key, e->key, e->keylen))
			continue;
		if (name_key && e->keylen == 4 && memcmp(e->key, "name", 4) == 0 &&
		    schema_key(k, "name", 4)) {
			diag_error(D->d, e->loc, "an entry of 'items' has no 'name': "
				   "its name is the value of '%s'", name_key);
			ok = false;
			continue;
		}
		/* (the names only for a did-you-mean: most tables need none) */
		for (j = 0; j < nkeys; j++)
			names[j] = name_key && strcmp(order[j]->key, "name") == 0
				   ? name_key : order[j]->key;
		sug = schema_closest(e->key, names, nkeys);
		if (sug && nsug < ARRAY_LEN(suggested))
			suggested[nsug++] = sug;
		if (sug)
			diag_error(D->d, e->loc,
				   "unknown key '%s' in %s; did you mean '%s'?",
				   get_printable(D, e->key, e->keylen), what, sug);
		else
			diag_error(D->d, e->loc, "unknown key '%s' in %s",
				   get_printable(D, e->key, e->keylen), what);
		ok = false;
	}
	/* A required key that a misspelt one was taken for is not reported
	 * missing as well.  The check order puts the required keys first. */
	for (j = 0; j < nkeys && order[j]->required; j++) {
		size_t s;
		bool typo = false;
		const char *key = order[j]->key;
		size_t len = order[j]->len;
		if (name_key && strcmp(key, "name") == 0) {
			key = name_key;
			len = strlen(name_key);
		}
		for (s = 0; s < nsug; s++)
			typo |= strcmp(suggested[s], key) == 0;
		if (!typo && !doc_table_find(t, key, len)) {
			diag_error(D->d, t->loc, "%s is missing required key '%s'",
				   what, key);
			ok = false;
		}
	}
	return ok;
}

bool get_kind(Dec *D, const DocNode *v, DocKind kind, const char *key,
	      const char *what)
{
	static const char *const an[] = {
		"a table", "an array", "a string", "an integer", "a float",
		"a boolean", "a date-time", "null",
	};
	if (v->kind == kind)
		return true;
	diag_error(D->d, v->loc, "'%s' of %s must be %s, not %s", key, what,
		   an[kind], get_a_kind(v));
	return false;
}

const char *get_string(Dec *D, const DocNode *t, const char *key,
		       const char *what, Loc *loc)
{
	const DocEntry *e = get_entry(t, key);
	if (!e)
		return NULL;
	if (loc)
		*loc = e->value->loc;
	if (!get_kind(D, e->value, DOC_STRING, key, what))
		return NULL;
	return arena_strndup(&D->s->arena, e->value->u.str.s, e->value->u.str.len);
}

const char *get_name(Dec *D, const DocNode *t, const char *what, Loc *loc)
{
	return get_name_key(D, t, "name", what, loc);
}

const char *get_name_key(Dec *D, const DocNode *t, const char *key,
			 const char *what, Loc *loc)
{
	const DocEntry *e = get_entry(t, key);
	const char *name = get_string(D, t, key, what, loc);
	if (name && !*name) {
		diag_error(D->d, e->value->loc, "the name of a %s must not be empty",
			   what);
		return NULL;
	}
	if (name && strlen(name) != e->value->u.str.len) {
		diag_error(D->d, e->value->loc, "a name must not contain a NUL byte");
		return NULL;
	}
	return name;
}

bool get_int(Dec *D, const DocNode *t, const char *key, const char *what,
	     int64_t *out, Loc *loc)
{
	const DocEntry *e = get_entry(t, key);
	if (!e)
		return false;
	*loc = e->value->loc;
	if (!get_kind(D, e->value, DOC_INTEGER, key, what))
		return false;
	*out = e->value->u.i;
	return true;
}

bool get_bool(Dec *D, const DocNode *t, const char *key, const char *what,
	      bool *out)
{
	const DocEntry *e = get_entry(t, key);
	if (!e || !get_kind(D, e->value, DOC_BOOL, key, what))
		return false;
	*out = e->value->u.b;
	return true;
}

/* Entries that are not strings (or hold a NUL byte) are reported and
 * left out. */
const char **get_strings_at(Dec *D, const DocNode *t, const char *key,
			    const char *what, size_t *n, Loc **locs)
{
	const DocEntry *e = get_entry(t, key);
	const char **v;
	uint32_t i;
	*n = 0;
	if (!e || !get_kind(D, e->value, DOC_ARRAY, key, what))
		return NULL;
	v = arena_calloc(&D->s->arena, e->value->u.array.n + 1, sizeof *v);
	if (locs)
		*locs = arena_calloc(&D->s->arena, e->value->u.array.n + 1,
				     sizeof **locs);
	for (i = 0; i < e->value->u.array.n; i++) {
		const DocNode *x = e->value->u.array.v[i];
		if (x->kind != DOC_STRING || strlen(x->u.str.s) != x->u.str.len) {
			diag_error(D->d, x->loc,
				   "each entry of '%s' must be a string, not %s",
				   key, get_a_kind(x));
			continue;
		}
		if (locs)
			(*locs)[*n] = x->loc;
		v[(*n)++] = arena_strndup(&D->s->arena, x->u.str.s, x->u.str.len);
	}
	return v;
}

const char **get_strings(Dec *D, const DocNode *t, const char *key,
			 const char *what, size_t *n)
{
	return get_strings_at(D, t, key, what, n, NULL);
}

/* One entry that is not a table makes the whole list absent. */
const DocNode *get_tables(Dec *D, const DocNode *t, const char *key,
			  const char *what)
{
	const DocEntry *e = get_entry(t, key);
	uint32_t i;
	if (!e)
		return NULL;
	if (!get_kind(D, e->value, DOC_ARRAY, key, what))
		return NULL;
	for (i = 0; i < e->value->u.array.n; i++) {
		const DocNode *v = e->value->u.array.v[i];
		if (v->kind != DOC_TABLE) {
			diag_error(D->d, v->loc,
				   "each entry of '%s' must be a table, not %s", key,
				   get_a_kind(v));
			return NULL;
		}
	}
	return e->value;
}

const DocNode *get_table(Dec *D, const DocNode *owner, const char *key,
			 const char *what, SchemaKind k)
{
	const DocEntry *e = get_entry(owner, key);
	if (!e || !get_kind(D, e->value, DOC_TABLE, key, what))
		return NULL;
	get_keys(D, e->value, k);
	return e->value;
}

/* ---- Type names ------------------------------------------------------------ */

static Type *new_type(Dec *D, TypeKind k, Loc loc)
{
	Type *t = arena_alloc(&D->s->arena, sizeof *t);
	t->kind = k;
	t->loc = loc;
	return t;
}

Type *get_type_ref(Dec *D, ItemKind want, const DocNode *n)
{
	Type *t = new_type(D, TY_NAMED, n->loc);
	t->want = want;
	t->name = arena_strndup(&D->s->arena, n->u.str.s, n->u.str.len);
	t->name_loc = n->loc;
	return t;
}

/* A name that no type can have, often C's way of writing one: "unsigned
 * char" (the spec's uchar) or "struct foo" ({ struct = "foo" }). */
static void invalid_type_name(Dec *D, const DocNode *n)
{
	static const char *const kinds[] = {"struct", "union", "enum"};
	const char *s = n->u.str.s, *shown = get_printable(D, s, n->u.str.len);
	const char *prim = prim_for_c_spelling(s);
	size_t k, len;
	if (prim) {
		diag_error(D->d, n->loc,
			   "invalid type name '%s'; did you mean '%s'?", shown, prim);
		return;
	}
	for (k = 0; k < ARRAY_LEN(kinds); k++) {
		len = strlen(kinds[k]);
		if (strncmp(s, kinds[k], len) == 0 && s[len] == ' ' &&
		    is_ident(s + len + 1)) {
			diag_error(D->d, n->loc,
				   "invalid type name '%s'; did you mean "
				   "{ %s = \"%s\" }?", shown, kinds[k], s + len + 1);
			return;
		}
	}
	diag_error(D->d, n->loc, "invalid type name '%s'", shown);
}

Type *get_type_name(Dec *D, const DocNode *n)
{
	Prim p;
	Type *t;
	if (strlen(n->u.str.s) != n->u.str.len || !*n->u.str.s) {
		diag_error(D->d, n->loc, "invalid type name '%s'",
			   get_printable(D, n->u.str.s, n->u.str.len));
		return NULL;
	}
	if (!prim_from_name(n->u.str.s, &p) && !is_ident(n->u.str.s)) {
		invalid_type_name(D, n);
		return NULL;
	}
	if (!prim_from_name(n->u.str.s, &p))
		return get_type_ref(D, IT_ANY, n);
	t = new_type(D, TY_PRIM, n->loc);
	t->prim = p;
	return t;
}
