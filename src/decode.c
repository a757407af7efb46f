/*
 * decode.c - from a document tree to spec items.
 *
 * This is the schema of the spec language.  Each kind of table has a fixed
 * set of keys (the tables below); an unknown key is an error with a
 * did-you-mean suggestion, because the RFC's tool silently ignored typos
 * and a misspelt "descripton" must not vanish.  Type errors name the key,
 * the expected type and what was found, located at the value.
 *
 * Decoding checks only what one table can tell: names are resolved and
 * cross-checked later, in check.c, once every file is in.
 */
#include "bounds.h"
#include "doc.h"
#include "spec.h"

#include <stdlib.h>
#include <string.h>

typedef struct Dec {
	Spec *s;
	Diag *d;
	Unit *u;
} Dec;

typedef struct KeySpec {
	const char *key;
	bool required;
} KeySpec;

static const KeySpec top_keys[] = {
	{"includes", false}, {"structs", false}, {"enums", false},
	{"bitmaps", false},
};
static const KeySpec include_keys[] = {{"from", true}, {"imports", true}};
static const KeySpec struct_keys[] = {
	{"name", true}, {"description", true}, {"fields", false}, {"op", false},
};
static const KeySpec op_keys[] = {
	{"family", true}, {"cmd", true}, {"name", false},
};
static const KeySpec field_keys[] = {
	{"name", true}, {"description", false}, {"typ", true},
};
static const KeySpec enum_keys[] = {
	{"name", true}, {"description", true}, {"typ", true}, {"variants", false},
};
static const KeySpec variant_keys[] = {
	{"name", true}, {"description", false}, {"value", true},
};
static const KeySpec bitmap_keys[] = {
	{"name", true}, {"description", true}, {"typ", true}, {"bits", false},
};
static const KeySpec bit_keys[] = {
	{"name", true}, {"description", false}, {"shift", true},
};

/* "a table", "an integer": for messages. */
static const char *a_kind(const DocNode *n)
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

/* Suggest the closest of a list of words, or NULL. */
static const char *closest(const char *word, const char *const *words,
			   size_t n, size_t stride)
{
	const char *best = NULL;
	size_t best_d = strlen(word) / 4, i;
	if (best_d < 1)
		best_d = 1;
	if (best_d > 2)
		best_d = 2;
	for (i = 0; i < n; i++) {
		const char *w = *(const char *const *)((const char *)words + i * stride);
		size_t dist = edit_distance(word, w, best_d);
		if (dist <= best_d && (!best || dist < best_d)) {
			best = w;
			best_d = dist;
		}
	}
	return best;
}

/* Keys are data: show them escaped, never raw control bytes. */
static const char *show(Dec *D, const char *s, size_t n)
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

/* Report unknown keys and missing required ones.  what names the table in
 * messages ("struct", "field"). */
static bool check_keys(Dec *D, const DocNode *t, const char *what,
		       const KeySpec *keys, size_t nkeys)
{
	uint32_t i;
	size_t k;
	bool ok = true;
	const char *suggested[8];
	size_t nsug = 0;
	for (i = 0; i < t->u.table.n; i++) {
		const DocEntry *e = &t->u.table.v[i];
		for (k = 0; k < nkeys; k++)
			if (strlen(keys[k].key) == e->keylen &&
			    memcmp(keys[k].key, e->key, e->keylen) == 0)
				break;
		if (k == nkeys) {
			const char *sug = closest(e->key, &keys[0].key, nkeys,
						  sizeof keys[0]);
			if (sug && nsug < ARRAY_LEN(suggested))
				suggested[nsug++] = sug;
			if (sug)
				diag_error(D->d, e->loc,
					   "unknown key '%s' in %s; did you mean '%s'?",
					   show(D, e->key, e->keylen), what, sug);
			else
				diag_error(D->d, e->loc, "unknown key '%s' in %s",
					   show(D, e->key, e->keylen), what);
			ok = false;
		}
	}
	for (k = 0; k < nkeys; k++) {
		size_t j;
		bool typo = false;
		for (j = 0; j < nsug; j++)
			typo |= strcmp(suggested[j], keys[k].key) == 0;
		if (keys[k].required && !typo && !doc_get(t, keys[k].key)) {
			diag_error(D->d, t->loc, "%s is missing required key '%s'",
				   what, keys[k].key);
			ok = false;
		}
	}
	return ok;
}

static const DocEntry *entry(const DocNode *t, const char *key)
{
	return doc_table_find(t, key, strlen(key));
}

static bool expect_kind(Dec *D, const DocNode *v, DocKind kind,
			const char *key, const char *what)
{
	static const char *const an[] = {
		"a table", "an array", "a string", "an integer", "a float",
		"a boolean", "a date-time", "null",
	};
	if (v->kind == kind)
		return true;
	diag_error(D->d, v->loc, "'%s' of %s must be %s, not %s", key, what,
		   an[kind], a_kind(v));
	return false;
}

/* An optional string; NULL when absent or wrong. */
static const char *get_string(Dec *D, const DocNode *t, const char *key,
			      const char *what, Loc *loc)
{
	const DocEntry *e = entry(t, key);
	if (!e)
		return NULL;
	if (loc)
		*loc = e->value->loc;
	if (!expect_kind(D, e->value, DOC_STRING, key, what))
		return NULL;
	return arena_strndup(&D->s->arena, e->value->u.str.s, e->value->u.str.len);
}

static const char *get_name(Dec *D, const DocNode *t, const char *what,
			    Loc *loc)
{
	const DocEntry *e = entry(t, "name");
	const char *name = get_string(D, t, "name", what, loc);
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

static bool get_int(Dec *D, const DocNode *t, const char *key,
		    const char *what, int64_t *out, Loc *loc)
{
	const DocEntry *e = entry(t, key);
	if (!e)
		return false;
	*loc = e->value->loc;
	if (!expect_kind(D, e->value, DOC_INTEGER, key, what))
		return false;
	*out = e->value->u.i;
	return true;
}

/* An optional array of tables: fields, variants, bits, ... */
static const DocNode *get_table_array(Dec *D, const DocNode *t,
				      const char *key, const char *what)
{
	const DocEntry *e = entry(t, key);
	uint32_t i;
	if (!e)
		return NULL;
	if (!expect_kind(D, e->value, DOC_ARRAY, key, what))
		return NULL;
	for (i = 0; i < e->value->u.array.n; i++) {
		const DocNode *v = e->value->u.array.v[i];
		if (v->kind != DOC_TABLE) {
			diag_error(D->d, v->loc,
				   "each entry of '%s' must be a table, not %s", key,
				   a_kind(v));
			return NULL;
		}
	}
	return e->value;
}

/* ---- Types ------------------------------------------------------------------
 * Two spellings, as in the RFC and its announced successor:
 *   adjacently tagged: { tag = "u8" }, { tag = "ptr", args = { tag = "u8" } },
 *     { tag = "array", args = [{ tag = "u8" }, 16] },
 *     { tag = "struct", args = "name" }
 *   short (externally tagged): "u8", { ptr = "u8" }, { array = ["u8", 16] },
 *     { struct = "name" }, { enum = "name" }, { bitmap = "name" }
 * Both decode to the same Type. */

typedef enum Ctor { C_PTR, C_ARRAY, C_STRUCT, C_ENUM, C_BITMAP, NCTORS } Ctor;
static const char *const ctor_names[NCTORS] = {
	"ptr", "array", "struct", "enum", "bitmap",
};

static Type *decode_type(Dec *D, const DocNode *n, int depth);

static Type *new_type(Dec *D, TypeKind k, Loc loc)
{
	Type *t = arena_alloc(&D->s->arena, sizeof *t);
	t->kind = k;
	t->loc = loc;
	return t;
}

static const char *const type_words[] = {
	"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "char", "int",
	"uint", "long", "ulong", "uint64_t", "int64_t", "ptr", "array",
	"struct", "enum", "bitmap",
};

static void unknown_type(Dec *D, const DocNode *n, const char *word)
{
	const char *sug = closest(word, type_words, ARRAY_LEN(type_words),
				  sizeof type_words[0]);
	if ((word[0] == 'u' || word[0] == 'i') && word[1] >= '0' && word[1] <= '9' &&
	    strspn(word + 1, "0123456789") == strlen(word + 1))
		diag_error(D->d, n->loc,
			   "unknown integer type '%s' (expected %s8, %s16, %s32 or "
			   "%s64)", word, word[0] == 'u' ? "u" : "i",
			   word[0] == 'u' ? "u" : "i", word[0] == 'u' ? "u" : "i",
			   word[0] == 'u' ? "u" : "i");
	else if (sug)
		diag_error(D->d, n->loc, "unknown type '%s'; did you mean '%s'?",
			   word, sug);
	else
		diag_error(D->d, n->loc,
			   "unknown type '%s'; a named type is written "
			   "{ struct = \"%s\" } (or enum, bitmap)",
			   word, word);
}

static Type *decode_prim(Dec *D, const DocNode *n)
{
	Prim p;
	Type *t;
	if (strlen(n->u.str.s) != n->u.str.len ||
	    !prim_from_name(n->u.str.s, &p)) {
		unknown_type(D, n, show(D, n->u.str.s, n->u.str.len));
		return NULL;
	}
	t = new_type(D, TY_PRIM, n->loc);
	t->prim = p;
	return t;
}

static Type *decode_ctor(Dec *D, Ctor c, const DocNode *args, Loc loc,
			 int depth)
{
	Type *t;
	const char *what = ctor_names[c];
	switch (c) {
	case C_PTR:
		t = new_type(D, TY_PTR, loc);
		t->elem = decode_type(D, args, depth + 1);
		/* A guest handle names its pointee with one identifier; there
		 * is no handle for an array or for another handle. */
		if (t->elem && (t->elem->kind == TY_ARRAY || t->elem->kind == TY_PTR)) {
			diag_error(D->d, args->loc,
				   "a pointer must point to an integer or a named "
				   "type, not to %s",
				   t->elem->kind == TY_ARRAY ? "an array" : "a pointer");
			return NULL;
		}
		return t->elem ? t : NULL;
	case C_ARRAY:
		if (args->kind != DOC_ARRAY || args->u.array.n != 2 ||
		    args->u.array.v[1]->kind != DOC_INTEGER) {
			diag_error(D->d, args->loc,
				   "an array type takes [element type, length], "
				   "e.g. [\"u8\", 16]");
			return NULL;
		}
		t = new_type(D, TY_ARRAY, loc);
		t->count_loc = args->u.array.v[1]->loc;
		if (args->u.array.v[1]->u.i < 1) {
			diag_error(D->d, t->count_loc,
				   "array length must be at least 1, not %lld",
				   (long long)args->u.array.v[1]->u.i);
			return NULL;
		}
		t->count = (uint64_t)args->u.array.v[1]->u.i;
		t->elem = decode_type(D, args->u.array.v[0], depth + 1);
		return t->elem ? t : NULL;
	case C_STRUCT:
	case C_ENUM:
	case C_BITMAP:
		if (args->kind != DOC_STRING) {
			diag_error(D->d, args->loc,
				   "a %s type takes the %s's name as a string, not %s",
				   what, what, a_kind(args));
			return NULL;
		}
		if (!*args->u.str.s || strlen(args->u.str.s) != args->u.str.len) {
			diag_error(D->d, args->loc, "invalid %s name '%s'", what,
				   show(D, args->u.str.s, args->u.str.len));
			return NULL;
		}
		t = new_type(D, TY_NAMED, loc);
		t->want = c == C_STRUCT ? IT_STRUCT : c == C_ENUM ? IT_ENUM : IT_BITMAP;
		t->name = arena_strndup(&D->s->arena, args->u.str.s, args->u.str.len);
		t->name_loc = args->loc;
		return t;
	case NCTORS:
		break;
	}
	return NULL;
}

static int ctor_from(const char *s, size_t n)
{
	int c;
	for (c = 0; c < NCTORS; c++)
		if (strlen(ctor_names[c]) == n && memcmp(ctor_names[c], s, n) == 0)
			return c;
	return -1;
}

static Type *decode_type(Dec *D, const DocNode *n, int depth)
{
	const DocEntry *tag;
	int c;
	if (depth > MAX_TYPE_DEPTH) {
		diag_error(D->d, n->loc, "type nested deeper than %d levels",
			   MAX_TYPE_DEPTH);
		return NULL;
	}
	if (n->kind == DOC_STRING)
		return decode_prim(D, n);
	if (n->kind != DOC_TABLE || n->u.table.n == 0) {
		diag_error(D->d, n->loc,
			   "a type is a name such as \"u32\" or a table such as "
			   "{ ptr = \"u8\" }, not %s",
			   n->kind == DOC_TABLE ? "an empty table" : a_kind(n));
		return NULL;
	}
	tag = entry(n, "tag");
	if (tag) {
		/* adjacently tagged */
		const DocEntry *args = entry(n, "args");
		uint32_t i;
		for (i = 0; i < n->u.table.n; i++) {
			const DocEntry *e = &n->u.table.v[i];
			if (e != tag && e != args) {
				diag_error(D->d, e->loc,
					   "unknown key '%s' in type; expected 'tag' "
					   "and 'args'", show(D, e->key, e->keylen));
				return NULL;
			}
		}
		if (tag->value->kind != DOC_STRING) {
			diag_error(D->d, tag->value->loc,
				   "'tag' of type must be a string, not %s",
				   a_kind(tag->value));
			return NULL;
		}
		c = ctor_from(tag->value->u.str.s, tag->value->u.str.len);
		if (c < 0) {
			if (args) {
				diag_error(D->d, args->loc,
					   "type '%s' takes no 'args'",
					   show(D, tag->value->u.str.s,
						tag->value->u.str.len));
				return NULL;
			}
			return decode_prim(D, tag->value);
		}
		if (!args) {
			diag_error(D->d, n->loc, "type '%s' needs 'args'",
				   ctor_names[c]);
			return NULL;
		}
		return decode_ctor(D, (Ctor)c, args->value, n->loc, depth);
	}
	/* externally tagged: exactly one key naming the constructor */
	{
		const DocEntry *e = &n->u.table.v[0];
		c = ctor_from(e->key, e->keylen);
		if (n->u.table.n != 1 || c < 0) {
			const DocEntry *bad = c < 0 ? e : &n->u.table.v[1];
			const char *k = show(D, bad->key, bad->keylen);
			const char *sug = closest(k, ctor_names, NCTORS,
						  sizeof ctor_names[0]);
			if (c >= 0)
				diag_error(D->d, bad->loc,
					   "a type table has exactly one key (ptr, "
					   "array, struct, enum or bitmap)");
			else if (sug)
				diag_error(D->d, bad->loc,
					   "unknown type constructor '%s'; did you "
					   "mean '%s'?", k, sug);
			else
				diag_error(D->d, bad->loc,
					   "unknown type constructor '%s'; expected "
					   "ptr, array, struct, enum or bitmap", k);
			return NULL;
		}
		return decode_ctor(D, (Ctor)c, e->value, n->loc, depth);
	}
}

/* ---- Items -------------------------------------------------------------- */

static Item *new_item(Dec *D, ItemKind k, const DocNode *t, const char *name,
		      Loc name_loc)
{
	Spec *s = D->s;
	Unit *u = D->u;
	Item *it = arena_alloc(&s->arena, sizeof *it);
	it->kind = k;
	it->name = name;
	it->loc = t->loc;
	it->name_loc = name_loc;
	it->unit = u;
	it->index = s->nitems;
	s->items = xgrow(s->items, &s->items_cap, s->nitems + 1, sizeof *s->items);
	s->items[s->nitems++] = it;
	u->items = xgrow(u->items, &u->items_cap, u->nitems + 1, sizeof *u->items);
	u->items[u->nitems++] = it;
	return it;
}

static void decode_struct(Dec *D, const DocNode *t)
{
	const DocEntry *op;
	const DocNode *fields;
	const char *name;
	Loc name_loc = t->loc;
	Item *it;
	uint32_t i;

	check_keys(D, t, "struct", struct_keys, ARRAY_LEN(struct_keys));
	name = get_name(D, t, "struct", &name_loc);
	if (!name)
		return;
	it = new_item(D, IT_STRUCT, t, name, name_loc);
	it->desc = get_string(D, t, "description", "struct", NULL);
	op = entry(t, "op");
	if (op && expect_kind(D, op->value, DOC_TABLE, "op", "struct")) {
		const DocNode *ot = op->value;
		Loc l;
		check_keys(D, ot, "op", op_keys, ARRAY_LEN(op_keys));
		it->op_loc = ot->loc;
		it->op_family = get_string(D, ot, "family", "op", &l);
		it->op_name = get_string(D, ot, "name", "op", &l);
		if (!get_int(D, ot, "cmd", "op", &it->op_cmd, &l))
			it->op_family = NULL;
		else if (it->op_cmd < 0 || it->op_cmd > UINT32_MAX) {
			diag_error(D->d, l, "op cmd %lld does not fit in 32 bits",
				   (long long)it->op_cmd);
			it->op_family = NULL;
		}
	}
	fields = get_table_array(D, t, "fields", "struct");
	if (!fields)
		return;
	it->fields = arena_calloc(&D->s->arena, fields->u.array.n, sizeof *it->fields);
	for (i = 0; i < fields->u.array.n; i++) {
		const DocNode *ft = fields->u.array.v[i];
		const DocEntry *typ;
		Field *f = &it->fields[it->nfields];
		check_keys(D, ft, "field", field_keys, ARRAY_LEN(field_keys));
		f->loc = ft->loc;
		f->name_loc = ft->loc;
		f->name = get_name(D, ft, "field", &f->name_loc);
		f->desc = get_string(D, ft, "description", "field", NULL);
		typ = entry(ft, "typ");
		if (typ)
			f->type = decode_type(D, typ->value, 0);
		if (f->name && f->type)
			it->nfields++;
		else
			it->layout_failed = true; /* never lay out half a struct */
	}
}

static void decode_enum(Dec *D, const DocNode *t, ItemKind k)
{
	const char *what = k == IT_ENUM ? "enum" : "bitmap";
	const KeySpec *keys = k == IT_ENUM ? enum_keys : bitmap_keys;
	size_t nkeys = k == IT_ENUM ? ARRAY_LEN(enum_keys) : ARRAY_LEN(bitmap_keys);
	const DocNode *list;
	const DocEntry *typ;
	const char *name;
	Loc name_loc = t->loc;
	Item *it;
	uint32_t i;

	check_keys(D, t, what, keys, nkeys);
	name = get_name(D, t, what, &name_loc);
	if (!name)
		return;
	it = new_item(D, k, t, name, name_loc);
	it->desc = get_string(D, t, "description", what, NULL);
	it->backing = P_U32;
	typ = entry(t, "typ");
	if (typ) {
		Type *bt = decode_type(D, typ->value, 0);
		it->backing_loc = typ->value->loc;
		if (bt && (bt->kind != TY_PRIM || !prim_is_integer(bt->prim) ||
			   (k == IT_BITMAP && prim_is_signed(bt->prim)))) {
			diag_error(D->d, typ->value->loc,
				   "the type of %s '%s' must be %s",
				   what, name,
				   k == IT_ENUM ? "an integer type (u8..u64, i8..i64)"
						: "an unsigned integer type (u8..u64)");
		} else if (bt) {
			it->backing = bt->prim;
		}
	}
	list = get_table_array(D, t, k == IT_ENUM ? "variants" : "bits", what);
	if (!list)
		return;
	if (k == IT_ENUM)
		it->variants = arena_calloc(&D->s->arena, list->u.array.n,
					    sizeof *it->variants);
	else
		it->bits = arena_calloc(&D->s->arena, list->u.array.n,
					sizeof *it->bits);
	for (i = 0; i < list->u.array.n; i++) {
		const DocNode *vt = list->u.array.v[i];
		if (k == IT_ENUM) {
			Variant *v = &it->variants[it->nvariants];
			check_keys(D, vt, "variant", variant_keys,
				   ARRAY_LEN(variant_keys));
			v->loc = v->name_loc = v->value_loc = vt->loc;
			v->name = get_name(D, vt, "variant", &v->name_loc);
			v->desc = get_string(D, vt, "description", "variant", NULL);
			if (get_int(D, vt, "value", "variant", &v->value,
				    &v->value_loc) && v->name)
				it->nvariants++;
		} else {
			Bit *b = &it->bits[it->nbits];
			check_keys(D, vt, "bit", bit_keys, ARRAY_LEN(bit_keys));
			b->loc = b->name_loc = b->shift_loc = vt->loc;
			b->name = get_name(D, vt, "bit", &b->name_loc);
			b->desc = get_string(D, vt, "description", "bit", NULL);
			if (get_int(D, vt, "shift", "bit", &b->shift, &b->shift_loc) &&
			    b->name)
				it->nbits++;
		}
	}
}

static void decode_include(Dec *D, const DocNode *t)
{
	Unit *u = D->u;
	Include *inc;
	const DocEntry *imp;
	uint32_t i;

	check_keys(D, t, "include", include_keys, ARRAY_LEN(include_keys));
	u->includes = xgrow(u->includes, &u->includes_cap, u->nincludes + 1,
			    sizeof *u->includes);
	inc = &u->includes[u->nincludes];
	memset(inc, 0, sizeof *inc);
	inc->loc = t->loc;
	inc->from = get_string(D, t, "from", "include", &inc->from_loc);
	imp = entry(t, "imports");
	if (!inc->from || !imp)
		return;
	if (!expect_kind(D, imp->value, DOC_ARRAY, "imports", "include"))
		return;
	inc->imports = arena_calloc(&D->s->arena, imp->value->u.array.n,
				    sizeof *inc->imports);
	inc->import_locs = arena_calloc(&D->s->arena, imp->value->u.array.n,
					sizeof *inc->import_locs);
	for (i = 0; i < imp->value->u.array.n; i++) {
		const DocNode *v = imp->value->u.array.v[i];
		if (v->kind != DOC_STRING) {
			diag_error(D->d, v->loc,
				   "each entry of 'imports' must be a string, not %s",
				   a_kind(v));
			continue;
		}
		inc->import_locs[inc->nimports] = v->loc;
		inc->imports[inc->nimports++] =
			arena_strndup(&D->s->arena, v->u.str.s, v->u.str.len);
	}
	u->nincludes++;
}

void spec_decode(Spec *s, Diag *d, Unit *u, const SpecFile *f,
		 const DocNode *root)
{
	Dec D;
	const DocNode *list;
	uint32_t i;
	static const struct {
		const char *key;
		int kind; /* ItemKind, or -1 for includes */
	} sections[] = {
		{"includes", -1},
		{"structs", IT_STRUCT},
		{"enums", IT_ENUM},
		{"bitmaps", IT_BITMAP},
	};
	size_t k;

	D.s = s;
	D.d = d;
	D.u = u;
	(void)f;
	if (root->kind != DOC_TABLE) {
		diag_error(d, root->loc,
			   "a spec file must hold a table of sections (structs, "
			   "enums, bitmaps, includes), not %s",
			   a_kind(root));
		return;
	}
	check_keys(&D, root, "spec file", top_keys, ARRAY_LEN(top_keys));
	/* Items keep the order they are written in within a section; the
	 * sections themselves are taken in a fixed order, which is also the
	 * order of the C output (includes, enums, bitmaps, structs). */
	for (k = 0; k < ARRAY_LEN(sections); k++) {
		list = get_table_array(&D, root, sections[k].key, "spec file");
		if (!list)
			continue;
		for (i = 0; i < list->u.array.n; i++) {
			const DocNode *t = list->u.array.v[i];
			if (sections[k].kind < 0)
				decode_include(&D, t);
			else if (sections[k].kind == IT_STRUCT)
				decode_struct(&D, t);
			else
				decode_enum(&D, t, (ItemKind)sections[k].kind);
			if (diag_full(d))
				return;
		}
	}
}
