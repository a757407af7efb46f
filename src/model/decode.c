/*
 * decode.c - from a document tree to spec items.
 *
 * Each table is read against the schema (schema.c, through get.c): its
 * keys checked, its values taken by kind.  Conditions are cond.c's and
 * array length expressions expr.c's; this file reads items and types.
 *
 * Decoding checks only what one table can tell: names are resolved and
 * cross-checked later, in check.c, once every file is in.
 */
#include "model/model.h"

#include <string.h>

/* ---- Naming control and waivers ---------------------------------------- */

static void decode_c(Dec *D, const DocNode *owner, CNames *c)
{
	const DocNode *t = get_table(D, owner, "c", "item", SK_C);
	const char *cs;
	Loc l;
	if (!t)
		return;
	c->set = true;
	c->loc = t->loc;
	c->prefix = get_string(D, t, "prefix", "c", NULL);
	cs = get_string(D, t, "case", "c", &l);
	if (cs) {
		/* SW_CASES: "keep" or "upper" (the default) */
		int w = schema_word_find(SW_CASES, cs, strlen(cs));
		if (w < 0)
			diag_error(D->d, l, "'case' is \"keep\" or \"upper\", not \"%s\"",
				   get_printable(D, cs, strlen(cs)));
		else
			c->keep_case = w == 0;
	}
	get_bool(D, t, "defines", "c", &c->defines);
	get_bool(D, t, "bit_numbers", "c", &c->bit_numbers);
	get_bool(D, t, "handle", "c", &c->handle);
	get_bool(D, t, "typedef_decl", "c", &c->typedef_decl);
	get_bool(D, t, "hex", "c", &c->hex);
	get_bool(D, t, "accessors", "c", &c->accessors);
	c->all = get_string(D, t, "all", "c", NULL);
	c->typedef_name = get_string(D, t, "typedef", "c", NULL);
	c->compat = get_strings(D, t, "compat", "c", &c->ncompat);
}

/* compat = "check" | "translate" (SW_COMPAT): the xlat.lst entry */
static void decode_compat(Dec *D, const DocNode *owner, Item *it)
{
	const char *cs = get_string(D, owner, "compat", item_kind_name(it->kind),
				    &it->compat_loc);
	int w;
	if (!cs)
		return;
	w = schema_word_find(SW_COMPAT, cs, strlen(cs));
	if (w < 0)
		diag_error(D->d, it->compat_loc,
			   "'compat' is \"check\" or \"translate\", not \"%s\"",
			   get_printable(D, cs, strlen(cs)));
	else
		it->compat = w + 1; /* COMPAT_CHECK, COMPAT_TRANSLATE */
}

static void decode_abi(Dec *D, const DocNode *owner, Item *it)
{
	const DocNode *t = get_table(D, owner, "abi", "item", SK_ABI);
	const DocEntry *w;
	uint32_t i;
	if (!t)
		return;
	it->waive_loc = t->loc;
	it->waive_reason = get_string(D, t, "reason", "abi", NULL);
	w = get_entry(t, "waive");
	if (!w || !get_kind(D, w->value, DOC_ARRAY, "waive", "abi"))
		return;
	for (i = 0; i < w->value->u.array.n; i++) {
		const DocNode *x = w->value->u.array.v[i];
		int k = x->kind == DOC_STRING
			? schema_word_find(SW_WAIVERS, x->u.str.s, strlen(x->u.str.s))
			: -1;
		if (k < 0) {
			diag_error(D->d, x->loc,
				   "a waiver names a rule: \"identity\", \"padding\" "
				   "or \"alignment\"");
			continue;
		}
		it->waive |= 1u << k; /* WAIVE_*: the rule's index */
	}
}

/* ---- Types ------------------------------------------------------------------
 * Two spellings, as in the RFC and its announced successor:
 *   adjacently tagged: { tag = "u8" }, { tag = "ptr", args = { tag = "u8" } },
 *     { tag = "array", args = [{ tag = "u8" }, 16] },
 *     { tag = "struct", args = "name" }
 *   short (externally tagged): "u8", "domid_t", { ptr = "u8" },
 *     { cptr = "u8" } (a plain C pointer, as in a few old guest structs),
 *     { array = ["u8", 16] }, { struct = "name" }, { enum = "name" }, ...
 * Both decode to the same Type.  Beyond the RFC: { handle = T } (native
 * width guest handle), { union = "name" }, { type = "name" } (any named
 * type; a bare name that is not a primitive means the same), inline
 * anonymous types { struct = [fields] } / { union = [fields] }, flexible
 * arrays { array = [T] }, and array lengths given by a constant or an
 * expression { array = [T, "sizeof(xen_ulong_t) * 8"] }.  The constructors
 * (ptr, handle, ...) are the schema's words SW_CTORS. */

static Type *decode_type(Dec *D, const DocNode *n, int depth);
static Item *decode_fields_item(Dec *D, ItemKind k, const DocNode *list,
				Loc loc, const char *name, int depth);

static Type *new_type(Dec *D, TypeKind k, Loc loc)
{
	Type *t = arena_alloc(&D->s->arena, sizeof *t);
	t->kind = k;
	t->loc = loc;
	return t;
}

static bool decode_length(Dec *D, Type *t, const DocNode *n)
{
	t->count_loc = n->loc;
	if (n->kind == DOC_INTEGER) {
		if (n->u.i < 1) {
			diag_error(D->d, n->loc,
				   "array length must be at least 1, not %lld (leave "
				   "the length out for a flexible array)",
				   (long long)n->u.i);
			return false;
		}
		t->count = (uint64_t)n->u.i;
		return true;
	}
	if (n->kind == DOC_STRING && n->u.str.len > MAX_EXPR_LEN) {
		diag_error(D->d, n->loc, "array length expression is longer than "
			   "%d characters", MAX_EXPR_LEN);
		return false;
	}
	if (n->kind == DOC_STRING && strlen(n->u.str.s) != n->u.str.len) {
		diag_error(D->d, n->loc, "array length expression contains a NUL "
			   "character");
		return false;
	}
	if (n->kind == DOC_STRING) {
		t->count_expr = expr_parse(D, n->u.str.s, n->loc, "array length",
					   NULL, 0);
		t->count_text = arena_strdup(&D->s->arena, n->u.str.s);
		return t->count_expr != NULL;
	}
	diag_error(D->d, n->loc,
		   "an array length is a number, a constant name or an "
		   "expression string, not %s", get_a_kind(n));
	return false;
}

static Type *decode_ctor(Dec *D, Ctor c, const DocNode *args, Loc loc,
			 int depth, const DocEntry *konst)
{
	Type *t;
	const char *what = schema_word(SW_CTORS, c);
	switch (c) {
	case CTOR_PTR:
	case CTOR_HANDLE:
	case CTOR_CPTR:
		t = new_type(D, c == CTOR_PTR ? TY_PTR : c == CTOR_HANDLE ? TY_HANDLE
				: TY_CPTR, loc);
		if (konst && get_kind(D, konst->value, DOC_BOOL, "const", "type"))
			t->is_const = konst->value->u.b;
		t->elem = decode_type(D, args, depth + 1);
		/* A guest handle names its pointee with one identifier; there
		 * is no handle for an array, an inline type or a handle. */
		if (t->elem && t->elem->kind != TY_PRIM && t->elem->kind != TY_NAMED) {
			diag_error(D->d, args->loc,
				   "a pointer must point to an integer, void or a "
				   "named type, not to %s",
				   t->elem->kind == TY_ARRAY ? "an array"
				   : t->elem->kind == TY_INLINE ? "an inline type"
							      : "a pointer");
			return NULL;
		}
		return t->elem ? t : NULL;
	case CTOR_ARRAY:
	case CTOR_STRUCT:
	case CTOR_UNION:
	case CTOR_ENUM:
	case CTOR_BITMAP:
	case CTOR_TYPE:
	case NCTORS:
		break;
	}
	if (konst) {
		diag_error(D->d, konst->loc, "'const' applies to a pointer or "
			   "handle (ptr, handle or cptr), not to %s %s",
			   c == CTOR_ARRAY || c == CTOR_ENUM ? "an" : "a", what);
		return NULL;
	}
	switch (c) {
	case CTOR_PTR:
	case CTOR_HANDLE:
	case CTOR_CPTR:
		return NULL;
	case CTOR_ARRAY:
		if (args->kind != DOC_ARRAY || args->u.array.n < 1 ||
		    args->u.array.n > 2) {
			diag_error(D->d, args->loc,
				   "an array type takes [element type, length], "
				   "e.g. [\"u8\", 16], or [element type] for a "
				   "flexible array");
			return NULL;
		}
		t = new_type(D, TY_ARRAY, loc);
		if (args->u.array.n == 1) {
			t->flex = true;
			t->count_loc = args->loc;
		} else if (!decode_length(D, t, args->u.array.v[1])) {
			return NULL;
		}
		t->elem = decode_type(D, args->u.array.v[0], depth + 1);
		return t->elem ? t : NULL;
	case CTOR_STRUCT:
	case CTOR_UNION:
		if (args->kind == DOC_ARRAY) {
			Item *it = decode_fields_item(D, c == CTOR_STRUCT ? IT_STRUCT : IT_UNION,
						      args, loc, NULL, depth + 1);
			if (!it)
				return NULL;
			t = new_type(D, TY_INLINE, loc);
			t->item = it;
			return t;
		}
		/* fall through */
	case CTOR_ENUM:
	case CTOR_BITMAP:
	case CTOR_TYPE:
		if (args->kind != DOC_STRING) {
			diag_error(D->d, args->loc,
				   "a %s type takes the %s's name as a string%s, not %s",
				   what, c == CTOR_TYPE ? "type" : what,
				   c == CTOR_STRUCT || c == CTOR_UNION ? " (or a list of fields)" : "",
				   get_a_kind(args));
			return NULL;
		}
		if (!*args->u.str.s || strlen(args->u.str.s) != args->u.str.len) {
			diag_error(D->d, args->loc, "invalid %s name '%s'", what,
				   get_printable(D, args->u.str.s, args->u.str.len));
			return NULL;
		}
		return get_type_ref(D, c == CTOR_STRUCT ? IT_STRUCT : c == CTOR_UNION ? IT_UNION
				: c == CTOR_ENUM ? IT_ENUM : c == CTOR_BITMAP ? IT_BITMAP
				: IT_ANY, args);
	case NCTORS:
		break;
	}
	return NULL;
}

static Type *decode_type(Dec *D, const DocNode *n, int depth)
{
	const DocEntry *tag, *konst;
	int c;
	if (depth > MAX_TYPE_DEPTH) {
		diag_error(D->d, n->loc, "type nested deeper than %d levels",
			   MAX_TYPE_DEPTH);
		return NULL;
	}
	if (n->kind == DOC_STRING)
		return get_type_name(D, n);
	if (n->kind != DOC_TABLE || n->u.table.n == 0) {
		diag_error(D->d, n->loc,
			   "a type is a name such as \"u32\" or a table such as "
			   "{ ptr = \"u8\" }, not %s",
			   n->kind == DOC_TABLE ? "an empty table" : get_a_kind(n));
		return NULL;
	}
	tag = get_entry(n, "tag");
	konst = get_entry(n, "const");
	if (tag) {
		/* adjacently tagged */
		const DocEntry *args = get_entry(n, "args");
		uint32_t i;
		for (i = 0; i < n->u.table.n; i++) {
			const DocEntry *e = &n->u.table.v[i];
			if (e != tag && e != args && e != konst) {
				diag_error(D->d, e->loc,
					   "unknown key '%s' in type; expected 'tag', "
					   "'args' and 'const'",
					   get_printable(D, e->key, e->keylen));
				return NULL;
			}
		}
		if (tag->value->kind != DOC_STRING) {
			diag_error(D->d, tag->value->loc,
				   "'tag' of type must be a string, not %s",
				   get_a_kind(tag->value));
			return NULL;
		}
		c = schema_word_find(SW_CTORS, tag->value->u.str.s,
				     tag->value->u.str.len);
		if (c < 0) {
			if (args) {
				diag_error(D->d, args->loc,
					   "type '%s' takes no 'args'",
					   get_printable(D, tag->value->u.str.s,
						tag->value->u.str.len));
				return NULL;
			}
			if (konst) {
				diag_error(D->d, konst->loc, "'const' applies to a "
					   "pointer or handle (ptr, handle or cptr)");
				return NULL;
			}
			return get_type_name(D, tag->value);
		}
		if (!args) {
			diag_error(D->d, n->loc, "type '%s' needs 'args'",
				   schema_word(SW_CTORS, (size_t)c));
			return NULL;
		}
		return decode_ctor(D, (Ctor)c, args->value, n->loc, depth, konst);
	}
	/* externally tagged: exactly one key naming the constructor, and
	 * maybe `const` */
	{
		const DocEntry *e = NULL;
		uint32_t keys = n->u.table.n - (konst ? 1 : 0), x;
		for (x = 0; x < n->u.table.n && !e; x++)
			if (&n->u.table.v[x] != konst)
				e = &n->u.table.v[x];
		if (!e) {
			diag_error(D->d, konst ? konst->loc : n->loc, "'const' "
				   "applies to a pointer or handle: { ptr = \"u8\", "
				   "const = true }");
			return NULL;
		}
		c = schema_word_find(SW_CTORS, e->key, e->keylen);
		if (keys != 1 || c < 0) {
			const DocEntry *bad = e;
			uint32_t j;
			for (j = 0; c >= 0 && j < n->u.table.n; j++)
				if (&n->u.table.v[j] != e && &n->u.table.v[j] != konst) {
					bad = &n->u.table.v[j];
					break;
				}
			const char *k = get_printable(D, bad->key, bad->keylen);
			const char *words[NCTORS], *sug;
			int w;
			for (w = 0; w < NCTORS; w++)
				words[w] = schema_word(SW_CTORS, (size_t)w);
			sug = schema_closest(k, words, NCTORS);
			if (c >= 0)
				diag_error(D->d, bad->loc,
					   "a type table has exactly one key (ptr, "
					   "handle, cptr, array, struct, union, enum, "
					   "bitmap or type)");
			else if (sug)
				diag_error(D->d, bad->loc,
					   "unknown type constructor '%s'; did you "
					   "mean '%s'?", k, sug);
			else
				diag_error(D->d, bad->loc,
					   "unknown type constructor '%s'; expected "
					   "ptr, handle, cptr, array, struct, union, "
					   "enum, bitmap or type", k);
			return NULL;
		}
		return decode_ctor(D, (Ctor)c, e->value, n->loc, depth, konst);
	}
}

/* ---- Values: integers and expressions ---------------------------------- */

/* Text that goes into C as it is: no NUL byte, no control character
 * (lines: but line breaks and tabs), at most MAX_VALUE_LEN bytes. */
static const char *decode_text(Dec *D, const DocNode *t, const char *key,
			       const char *what, bool lines, Loc *loc)
{
	const DocEntry *e = get_entry(t, key);
	const char *s = get_string(D, t, key, what, loc), *p;
	if (!s)
		return NULL;
	if (strlen(s) != e->value->u.str.len) {
		diag_error(D->d, *loc, "'%s' must not contain a NUL byte", key);
		return NULL;
	}
	if (strlen(s) > MAX_VALUE_LEN) {
		diag_error(D->d, *loc, "'%s' is longer than %d characters", key,
			   MAX_VALUE_LEN);
		return NULL;
	}
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && !(c == '\t' || (lines && c == '\n'))) || c == 0x7f) {
			diag_error(D->d, *loc, "'%s' must not contain control "
				   "characters", key);
			return NULL;
		}
	}
	return s;
}

/* What C writes for an integer value given as a number: negative values
 * in parentheses, and a suffix where int does not hold it (the spelling
 * of the headers before expressions). */
static void integer_text(Buf *b, int64_t v, bool hex)
{
	bool wide = v > INT32_MAX || v < INT32_MIN;
	if (v < 0)
		buf_printf(b, "(%lld%s)", (long long)v, wide ? "LL" : "");
	else if (hex)
		buf_printf(b, "0x%llX%s", (unsigned long long)v,
			   v > UINT32_MAX ? "ULL" : wide ? "U" : "");
	else
		buf_printf(b, "%lld%s", (long long)v,
			   v > UINT32_MAX ? "ULL" : wide ? "U" : "");
}

/* A value: an integer (C writes it as integer_text() does) or a string
 * holding an expression.  NULL after reporting. */
static Expr *decode_value(Dec *D, const DocNode *v, const char *key,
			  const char *what, bool hex, const char *const *params,
			  size_t nparams)
{
	Buf b = {0};
	Expr *e;
	if (v->kind == DOC_INTEGER) {
		integer_text(&b, v->u.i, hex);
		e = expr_parse(D, arena_strdup(&D->s->arena, buf_cstr(&b)), v->loc,
			       "value", NULL, 0);
		buf_free(&b);
		return e;
	}
	if (v->kind != DOC_STRING) {
		diag_error(D->d, v->loc, "'%s' of %s must be an integer or an "
			   "expression string, not %s", key, what, get_a_kind(v));
		return NULL;
	}
	if (strlen(v->u.str.s) != v->u.str.len) {
		diag_error(D->d, v->loc, "'%s' must not contain a NUL byte", key);
		return NULL;
	}
	if (v->u.str.len > MAX_VALUE_LEN) {
		diag_error(D->d, v->loc, "'%s' is longer than %d characters", key,
			   MAX_VALUE_LEN);
		return NULL;
	}
	return expr_parse(D, arena_strndup(&D->s->arena, v->u.str.s, v->u.str.len),
			  v->loc, key, params, nparams);
}

/* c = { value = "..." } of a variant or bit. */
static Expr *decode_member_c(Dec *D, const DocNode *owner, const char *what)
{
	const DocNode *t = get_table(D, owner, "c", what, SK_MEMBER_C);
	const DocEntry *e = t ? get_entry(t, "value") : NULL;
	return e ? decode_value(D, e->value, "value", "c", false, NULL, 0) : NULL;
}

/* A constant: value, string or alias, exactly one. */
static void decode_const_value(Dec *D, const DocNode *t, Item *it)
{
	static const char *const keys[] = {"value", "string", "alias"};
	const DocEntry *e[3];
	int k, n = 0, first = -1;
	Loc l;
	for (k = 0; k < 3; k++) {
		e[k] = get_entry(t, keys[k]);
		/* each of the wrong kind is said first, as for any key */
		if (e[k] && k > 0 && !get_kind(D, e[k]->value, DOC_STRING, keys[k],
					       "const"))
			return;
		if (e[k] && k == 0 && e[k]->value->kind != DOC_INTEGER &&
		    e[k]->value->kind != DOC_STRING) {
			decode_value(D, e[k]->value, "value", "const", false, NULL, 0);
			return;
		}
	}
	for (k = 0; k < 3; k++) {
		if (!e[k])
			continue;
		if (first >= 0) {
			diag_error(D->d, e[k]->loc, "a constant has one of 'value', "
				   "'string' and 'alias', not both '%s' and '%s'",
				   keys[first], keys[k]);
			return;
		}
		first = k;
		n++;
	}
	if (!n) {
		diag_error(D->d, t->loc, "const is missing required key 'value' "
			   "(or 'string', or 'alias')");
		return;
	}
	if (get_entry(t, "c_only") && first != 2)
		diag_error(D->d, get_entry(t, "c_only")->loc,
			   "'c_only' applies to an alias");
	get_bool(D, t, "c_only", "const", &it->c_only);
	it->value_loc = e[first]->value->loc;
	switch (first) {
	case 0:
		if (e[0]->value->kind == DOC_INTEGER) {
			it->value = e[0]->value->u.i;
			it->int_value = true;
		}
		else if (it->c.hex && e[0]->value->kind == DOC_STRING)
			diag_error(D->d, it->c.loc, "'hex' applies to an integer "
				   "value; an expression is written as it is");
		it->expr = decode_value(D, e[0]->value, "value", "const",
					it->c.hex, NULL, 0);
		break;
	case 1:
		it->string = decode_text(D, t, "string", "const", false, &l);
		break;
	default:
		it->alias_of = get_string(D, t, "alias", "const", &l);
		if (it->alias_of && !is_ident(it->alias_of)) {
			diag_error(D->d, l, "invalid alias '%s': a name must match "
				   "[A-Za-z_][A-Za-z0-9_]*",
				   get_printable(D, it->alias_of, strlen(it->alias_of)));
			it->alias_of = NULL;
		}
		break;
	}
}

/* ---- Items -------------------------------------------------------------- */

static Item *new_item(Dec *D, ItemKind k, Loc loc, const char *name,
		      Loc name_loc)
{
	Spec *s = D->s;
	Unit *u = D->u;
	Item *it = arena_alloc(&s->arena, sizeof *it);
	it->kind = k;
	it->name = name;
	it->loc = loc;
	it->name_loc = name_loc;
	it->unit = u;
	it->index = s->nitems;
	s->items = xgrow(s->items, &s->items_cap, s->nitems + 1, sizeof *s->items);
	s->items[s->nitems++] = it;
	u->items = xgrow(u->items, &u->items_cap, u->nitems + 1, sizeof *u->items);
	u->items[u->nitems++] = it;
	if (!D->cur) {
		/* a named item (not an inline type): an entry of the unit's
		 * order */
		u->seq = xgrow(u->seq, &u->seq_cap, u->nseq + 1, sizeof *u->seq);
		u->seq[u->nseq].item = it;
		u->seq[u->nseq++].dir = NULL;
	}
	return it;
}

/* The key and the name of an item's table: "name", or its kind in an
 * `items` list. */
static const char *item_name(Dec *D, const DocNode *t, SchemaKind k,
			     const char *what, Loc *loc)
{
	get_keys_as(D, t, k, D->name_key);
	return get_name_key(D, t, D->name_key ? D->name_key : "name", what, loc);
}

static void decode_when(Dec *D, const DocNode *ft, Field *f)
{
	const DocEntry *e = get_entry(ft, "when");
	const DocNode *v;
	uint32_t i, n;
	if (!e)
		return;
	v = e->value;
	f->when_loc = v->loc;
	n = v->kind == DOC_ARRAY ? v->u.array.n : 1;
	f->when = arena_calloc(&D->s->arena, n, sizeof *f->when);
	f->when_names = arena_calloc(&D->s->arena, n, sizeof *f->when_names);
	for (i = 0; i < n; i++) {
		const DocNode *x = v->kind == DOC_ARRAY ? v->u.array.v[i] : v;
		if (x->kind == DOC_INTEGER) {
			f->when[f->nwhen++] = x->u.i;
		} else if (x->kind == DOC_STRING && strlen(x->u.str.s) == x->u.str.len) {
			/* a constant or enum variant, resolved by check.c */
			f->when_names[f->nwhen++] =
				arena_strndup(&D->s->arena, x->u.str.s, x->u.str.len);
		} else {
			diag_error(D->d, x->loc,
				   "'when' takes tag values: integers, or names of "
				   "constants or variants, not %s", get_a_kind(x));
		}
	}
}

/* The fields of a struct or union, named or inline. */
static void decode_fields(Dec *D, Item *it, const DocNode *list, int depth)
{
	uint32_t i;
	it->fields = arena_calloc(&D->s->arena, list->u.array.n, sizeof *it->fields);
	for (i = 0; i < list->u.array.n; i++) {
		const DocNode *ft = list->u.array.v[i];
		const DocEntry *typ, *bits;
		Field *f = &it->fields[it->nfields];
		Item *saved = D->cur;
		const char *flex = NULL; /* c.flex */
		Loc flex_loc = {0};
		if (ft->kind != DOC_TABLE) {
			diag_error(D->d, ft->loc, "each field must be a table, not %s",
				   get_a_kind(ft));
			it->layout_failed = true;
			continue;
		}
		get_keys(D, ft, SK_FIELD);
		/* the slot may hold a field dropped for an error (a field
		 * without a type does not count): start afresh, or its 'when'
		 * count would index past the arrays allocated below */
		memset(f, 0, sizeof *f);
		f->loc = ft->loc;
		f->name_loc = ft->loc;
		f->tag_index = -1;
		if (get_entry(ft, "name"))
			f->name = get_name(D, ft, "field", &f->name_loc);
		f->desc = get_string(D, ft, "description", "field", NULL);
		cond_decode(D, ft, &f->cond);
		f->tag = get_string(D, ft, "tag", "field", &f->tag_loc);
		decode_when(D, ft, f);
		{
			const DocNode *fc = get_table(D, ft, "c", "field", SK_FIELD_C);
			Loc dl;
			if (fc) {
				f->c_loc = fc->loc;
				f->c_decl = decode_text(D, fc, "decl", "c", false, &dl);
				get_bool(D, fc, "join", "c", &f->c_join);
				get_bool(D, fc, "declare", "c", &f->c_declare);
				flex = get_string(D, fc, "flex", "c", &flex_loc);
			}
		}
		bits = get_entry(ft, "bits");
		if (bits) {
			int64_t w;
			Loc l;
			if (get_int(D, ft, "bits", "field", &w, &l)) {
				if (w < 1 || w > 64)
					diag_error(D->d, l, "a bitfield is 1 to 64 bits "
						   "wide, not %lld", (long long)w);
				else
					f->bits = (unsigned)w;
			}
		}
		typ = get_entry(ft, "typ");
		D->cur = it;
		D->field_name = f->name;
		if (typ)
			f->type = decode_type(D, typ->value, depth);
		else if (f->c_join && it->nfields)
			/* `struct {...} get_variable, set_variable;`: one
			 * type, declared once, for both */
			f->type = it->fields[it->nfields - 1].type;
		else
			diag_error(D->d, ft->loc, "field is missing required key "
				   "'typ'%s", f->c_join ? " (a joined field shares "
				   "the type of the field before it, but there is "
				   "none)" : "");
		D->cur = saved;
		if (f->type) {
			/* an inline type exists where the field defining it does */
			Type *in = f->type;
			while (in->kind == TY_ARRAY)
				in = in->elem;
			if (in->kind == TY_INLINE)
				in->item->cond = f->cond;
		}
		if (flex && strcmp(flex, "[]") != 0 &&
		    strcmp(flex, "XEN_FLEX_ARRAY_DIM") != 0)
			diag_error(D->d, flex_loc, "c.flex is \"XEN_FLEX_ARRAY_DIM\" "
				   "or \"[]\", not \"%s\"", flex);
		else if (flex && (!f->type || f->type->kind != TY_ARRAY ||
				  !f->type->flex))
			diag_error(D->d, flex_loc, "c.flex spells a flexible array's "
				   "dimension, but '%s' is not a flexible array "
				   "(write its type { array = [T] })",
				   f->name ? f->name : "(anonymous)");
		else if (flex)
			f->type->flex_empty = strcmp(flex, "[]") == 0;
		if (f->type && !get_entry(ft, "name") && f->type->kind != TY_INLINE) {
			diag_error(D->d, ft->loc,
				   "field is missing required key 'name' (only an "
				   "inline struct or union can be anonymous)");
			f->type = NULL;
		}
		if (f->type)
			it->nfields++;
		else
			it->layout_failed = true; /* never lay out half a struct */
	}
}

/* An inline struct or union: an item without a name of its own, laid out
 * and emitted as part of the item it is in. */
static Item *decode_fields_item(Dec *D, ItemKind k, const DocNode *list,
				Loc loc, const char *name, int depth)
{
	Item *it;
	Buf b = {0};
	uint32_t i;
	for (i = 0; i < list->u.array.n; i++)
		if (list->u.array.v[i]->kind != DOC_TABLE) {
			diag_error(D->d, list->u.array.v[i]->loc,
				   "each field must be a table, not %s",
				   get_a_kind(list->u.array.v[i]));
			return NULL;
		}
	if (!name) {
		/* a readable name for messages: outer.field */
		buf_printf(&b, "%s.%s", D->cur ? D->cur->name : "?",
			   D->field_name ? D->field_name : "(anonymous)");
		name = arena_strdup(&D->s->arena, buf_cstr(&b));
		buf_free(&b);
	}
	it = new_item(D, k, loc, name, loc);
	it->inline_type = true;
	it->parent = D->cur;
	decode_fields(D, it, list, depth);
	return it;
}

static void decode_op(Dec *D, const DocNode *t, Item *it)
{
	const DocNode *ot = get_table(D, t, "op", "struct", SK_OP);
	Loc l;
	if (!ot)
		return;
	it->op_loc = ot->loc;
	it->op_family = get_string(D, ot, "family", "op", &l);
	it->op_name = get_string(D, ot, "name", "op", &l);
	it->op_also = get_strings_at(D, ot, "also", "op", &it->nop_also,
				     &it->op_also_locs);
	if (it->nop_also)
		it->op_also_cmd = arena_calloc(&D->s->arena, it->nop_also,
					       sizeof *it->op_also_cmd);
	if (!get_entry(ot, "cmd")) {
		/* the number is that of the named constant (eval_check) */
		it->op_ref = true;
		if (!it->op_name) {
			diag_error(D->d, ot->loc, "op needs 'cmd', or 'name' "
				   "naming a constant defined elsewhere");
			it->op_family = NULL;
		}
	} else if (!get_int(D, ot, "cmd", "op", &it->op_cmd, &l)) {
		it->op_family = NULL;
	} else if (it->op_cmd < 0 || it->op_cmd > UINT32_MAX) {
		diag_error(D->d, l, "op cmd %lld does not fit in 32 bits",
			   (long long)it->op_cmd);
		it->op_family = NULL;
	}
}

/* What every kind of item starts with: its name (NULL, reported, without
 * one; *name_loc is where it is written), description and condition. */
static Item *decode_head(Dec *D, const DocNode *t, SchemaKind sk, ItemKind k,
			 const char *what, Loc *name_loc)
{
	const char *name = item_name(D, t, sk, what, name_loc);
	Item *it;
	if (!name)
		return NULL;
	it = new_item(D, k, t->loc, name, *name_loc);
	it->desc = get_string(D, t, "description", what, NULL);
	cond_decode(D, t, &it->cond);
	return it;
}

static void decode_struct(Dec *D, const DocNode *t, ItemKind k)
{
	const char *what = item_kind_name(k);
	const DocNode *fields;
	Loc name_loc = t->loc;
	Item *it;

	it = decode_head(D, t, k == IT_STRUCT ? SK_STRUCT : SK_UNION, k, what,
			 &name_loc);
	if (!it)
		return;
	decode_c(D, t, &it->c);
	decode_abi(D, t, it);
	decode_compat(D, t, it);
	if (k == IT_STRUCT)
		decode_op(D, t, it);
	fields = get_tables(D, t, "fields", what);
	if (fields) {
		Item *saved = D->cur;
		D->cur = it;
		decode_fields(D, it, fields, 0);
		D->cur = saved;
	}
}

static void decode_enum(Dec *D, const DocNode *t, ItemKind k)
{
	const char *what = k == IT_ENUM ? "enum" : "bitmap";
	const DocNode *list;
	const DocEntry *typ;
	Loc name_loc = t->loc;
	Item *it;
	uint32_t i;

	it = decode_head(D, t, k == IT_ENUM ? SK_ENUM : SK_BITMAP, k, what,
			 &name_loc);
	if (!it)
		return;
	decode_c(D, t, &it->c);
	it->backing = P_U32;
	typ = get_entry(t, "typ");
	if (typ) {
		Type *bt = decode_type(D, typ->value, 0);
		it->backing_loc = typ->value->loc;
		if (bt && (bt->kind != TY_PRIM || !prim_is_integer(bt->prim) ||
			   (k == IT_BITMAP && prim_is_signed(bt->prim)))) {
			diag_error(D->d, typ->value->loc,
				   "the type of %s '%s' must be %s",
				   what, it->name,
				   k == IT_ENUM ? "an integer type (u8..u64, i8..i64, "
						  "int, uint, long, ulong, ...)"
						: "an unsigned integer type (u8..u64, uint, "
						  "ulong, uint64_t)");
		} else if (bt) {
			it->backing = bt->prim;
		}
	}
	list = get_tables(D, t, k == IT_ENUM ? "variants" : "bits", what);
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
			memset(v, 0, sizeof *v); /* maybe a dropped variant's slot */
			get_keys(D, vt, SK_VARIANT);
			v->loc = v->name_loc = v->value_loc = vt->loc;
			v->name = get_name(D, vt, "variant", &v->name_loc);
			v->desc = get_string(D, vt, "description", "variant", NULL);
			v->compat = get_strings(D, vt, "compat", "variant", &v->ncompat);
			v->c_value = decode_member_c(D, vt, "variant");
			cond_decode(D, vt, &v->cond);
			if (get_int(D, vt, "value", "variant", &v->value,
				    &v->value_loc) && v->name)
				it->nvariants++;
		} else {
			Bit *b = &it->bits[it->nbits];
			Loc wl;
			memset(b, 0, sizeof *b); /* maybe a dropped bit's slot */
			get_keys(D, vt, SK_BIT);
			b->loc = b->name_loc = b->shift_loc = vt->loc;
			b->name = get_name(D, vt, "bit", &b->name_loc);
			b->desc = get_string(D, vt, "description", "bit", NULL);
			b->compat = get_strings(D, vt, "compat", "bit", &b->ncompat);
			b->c_value = decode_member_c(D, vt, "bit");
			cond_decode(D, vt, &b->cond);
			b->width = 1;
			b->bit_number = -1;
			{
				bool bn;
				if (get_bool(D, vt, "bit_number", "bit", &bn))
					b->bit_number = bn;
			}
			if (get_int(D, vt, "width", "bit", &b->width, &wl) &&
			    (b->width < 1 || b->width > 64)) {
				diag_error(D->d, wl, "a bit field is 1 to 64 bits wide, "
					   "not %lld", (long long)b->width);
				b->width = 1;
			}
			if (get_int(D, vt, "shift", "bit", &b->shift, &b->shift_loc) &&
			    b->name)
				it->nbits++;
		}
	}
}

static void decode_alias(Dec *D, const DocNode *t)
{
	const DocEntry *typ;
	const char *saved_field;
	Loc name_loc = t->loc;
	Item *it, *saved;
	it = decode_head(D, t, SK_ALIAS, IT_ALIAS, "alias", &name_loc);
	if (!it)
		return;
	decode_c(D, t, &it->c);
	decode_abi(D, t, it);
	typ = get_entry(t, "typ");
	if (!typ) {
		it->layout_failed = true;
		return;
	}
	/* { x86 = "ulong", arm = "uint64_t" }: one type per architecture */
	if (typ->value->kind == DOC_TABLE && typ->value->u.table.n &&
	    arch_from_name(typ->value->u.table.v[0].key) >= 0) {
		uint32_t i;
		get_keys(D, typ->value, SK_ARCH_TYPES);
		for (i = 0; i < typ->value->u.table.n; i++) {
			const DocEntry *e = &typ->value->u.table.v[i];
			int a = arch_from_name(e->key);
			if (a < 0)
				continue;
			it->arch_alias[a] = decode_type(D, e->value, 0);
			if (!it->arch_alias[a])
				it->layout_failed = true;
		}
		return;
	}
	/* an inline struct or union in an alias (typedef struct { ... } T)
	 * belongs to the alias, as one in a field to its record */
	saved = D->cur;
	saved_field = D->field_name;
	D->cur = it;
	D->field_name = NULL;
	it->alias = decode_type(D, typ->value, 0);
	D->cur = saved;
	D->field_name = saved_field;
	if (!it->alias)
		it->layout_failed = true;
	else if (it->alias->kind == TY_INLINE && !it->alias->item->desc)
		it->alias->item->desc = it->desc; /* (Rust documents the type) */
}

static void decode_const(Dec *D, const DocNode *t)
{
	const DocEntry *typ;
	Loc name_loc = t->loc;
	Item *it;
	it = decode_head(D, t, SK_CONST, IT_CONST, "const", &name_loc);
	if (!it)
		return;
	decode_c(D, t, &it->c);
	it->value_loc = t->loc;
	decode_const_value(D, t, it);
	typ = get_entry(t, "typ");
	if (typ && (it->string || it->alias_of)) {
		diag_error(D->d, typ->loc, "'typ' applies to a constant with a "
			   "value");
	} else if (typ) {
		it->const_type = decode_type(D, typ->value, 0);
		if (it->const_type && (it->const_type->kind != TY_PRIM ||
				       !prim_is_integer(it->const_type->prim))) {
			diag_error(D->d, typ->value->loc,
				   "the type of a constant must be an integer type "
				   "(u8..u64, i8..i64)");
			it->const_type = NULL;
		}
	}
}

/* ---- Macros, handles, X-macro lists, rings ---------------------------- */

/* params = [...]: identifiers, each once. */
static const char **decode_params(Dec *D, const DocNode *t, const char *what,
				  size_t *n)
{
	const char **p = get_strings(D, t, "params", what, n);
	const DocEntry *e = get_entry(t, "params");
	size_t i, j;
	for (i = 0; i < *n; i++) {
		if (!names_ident(D->d, p[i], e->value->loc, "parameter")) {
			*n = 0;
			return NULL;
		}
		for (j = 0; j < i; j++)
			if (strcmp(p[i], p[j]) == 0) {
				diag_error(D->d, e->value->loc, "parameter '%s' is "
					   "listed twice", p[i]);
				*n = 0;
				return NULL;
			}
	}
	return p;
}

static void decode_macro(Dec *D, const DocNode *t)
{
	const DocEntry *body;
	Loc name_loc = t->loc;
	Item *it;
	it = decode_head(D, t, SK_MACRO, IT_MACRO, "macro", &name_loc);
	if (!it)
		return;
	it->params = decode_params(D, t, "macro", &it->nparams);
	body = get_entry(t, "expr");
	if (body && get_kind(D, body->value, DOC_STRING, "expr", "macro")) {
		it->value_loc = body->value->loc;
		it->expr = decode_value(D, body->value, "expr", "macro", false,
					it->params, it->nparams);
	}
}

/* The type a handle's name stands for, when it has no `type`: C's name
 * of a primitive (char, int, void, uint64_t) or a named type. */
static Type *handle_type_of(Dec *D, const char *name, Loc loc)
{
	static const struct {
		const char *c;
		Prim p;
	} prims[] = {
		{"char", P_CHAR}, {"int", P_INT}, {"long", P_LONG}, {"void", P_VOID},
		{"uint8_t", P_U8}, {"uint16_t", P_U16}, {"uint32_t", P_U32},
		{"uint64_t", P_U64_PLAIN}, {"int8_t", P_I8}, {"int16_t", P_I16},
		{"int32_t", P_I32}, {"int64_t", P_I64_PLAIN},
	};
	Type *t = new_type(D, TY_PRIM, loc);
	size_t k;
	for (k = 0; k < ARRAY_LEN(prims); k++)
		if (strcmp(name, prims[k].c) == 0) {
			t->prim = prims[k].p;
			return t;
		}
	t->kind = TY_NAMED;
	t->want = IT_ANY;
	t->name = name;
	t->name_loc = loc;
	return t;
}

static void decode_handle(Dec *D, const DocNode *t)
{
	const DocEntry *typ;
	Loc name_loc = t->loc;
	Item *it;
	it = decode_head(D, t, SK_HANDLE, IT_HANDLE, "handle", &name_loc);
	if (!it)
		return;
	get_bool(D, t, "raw", "handle", &it->raw);
	typ = get_entry(t, "type");
	if (typ) {
		it->handle_type = decode_type(D, typ->value, 0);
		if (it->handle_type && it->handle_type->kind != TY_PRIM &&
		    it->handle_type->kind != TY_NAMED) {
			diag_error(D->d, typ->value->loc, "a guest handle points to "
				   "an integer, void or a named type");
			it->handle_type = NULL;
		}
	} else if (it->raw) {
		diag_error(D->d, t->loc, "a raw handle needs its 'type' "
			   "(__DEFINE_XEN_GUEST_HANDLE(name, type))");
	} else if (is_ident(it->name)) {
		it->handle_type = handle_type_of(D, it->name, name_loc);
	}
	if (!it->handle_type)
		it->layout_failed = true;
}

/* A made item: a struct or union that a macro of Xen's declares. */
static Item *made_item(Dec *D, Item *by, ItemKind k, const char *name,
		       size_t nfields)
{
	Item *it = new_item(D, k, by->loc, name, by->name_loc);
	it->desc = by->desc;
	it->cond = by->cond;
	it->made_by = by;
	it->fields = arena_calloc(&D->s->arena, nfields, sizeof *it->fields);
	return it;
}

static Field *add_field(Dec *D, Item *it, const char *name, Type *t)
{
	Field *f = &it->fields[it->nfields++];
	f->name = name;
	f->loc = f->name_loc = it->loc;
	f->type = t;
	f->tag_index = -1;
	(void)D;
	return f;
}

static Type *prim_type(Dec *D, Prim p, Loc loc)
{
	Type *t = new_type(D, TY_PRIM, loc);
	t->prim = p;
	return t;
}

static Type *array_type(Dec *D, Type *elem, uint64_t n, Loc loc)
{
	Type *t = new_type(D, TY_ARRAY, loc);
	t->elem = elem;
	t->count = n;
	t->flex = n == 0;
	t->count_loc = loc;
	return t;
}

static Type *named_type(Dec *D, ItemKind want, const char *name, Loc loc)
{
	Type *t = new_type(D, TY_NAMED, loc);
	t->want = want;
	t->name = name;
	t->name_loc = loc;
	return t;
}

/* DEFINE_RING_TYPES(name, req, rsp), as Xen's io/ring.h declares it:
 *   union name_sring_entry { req req; rsp rsp; };
 *   struct name_sring { RING_IDX req_prod, req_event, rsp_prod, rsp_event;
 *       union { struct { uint8_t smartpoll_active; } netif;
 *               struct { uint8_t msg; } tapif_user; uint8_t pvt_pad[4]; } pvt;
 *       uint8_t __pad[44]; union name_sring_entry ring[1]; };
 *   struct name_front_ring { RING_IDX req_prod_pvt, rsp_cons;
 *       unsigned int nr_ents; struct name_sring *sring; };
 *   struct name_back_ring { RING_IDX rsp_prod_pvt, req_cons;
 *       unsigned int nr_ents; struct name_sring *sring; };
 * with a typedef name_X_t for the last three.  RING_IDX is unsigned int.
 * The members are the same for every ring, and so is their meaning: the
 * model describes them itself (a spec has nowhere to), so that the Rust
 * docs cover them and validate --undocumented does not list them. */
static void ring_field(Dec *D, Item *it, const char *name, Type *t,
		       const char *desc)
{
	add_field(D, it, name, t)->desc = desc;
}

static void decode_ring(Dec *D, const DocNode *t)
{
	const DocEntry *e;
	Loc name_loc = t->loc, l;
	Item *it, *entry, *sring, *pvt, *netif, *tapif, *end;
	Arena *a = &D->s->arena;
	Type *in;
	int k;
	it = decode_head(D, t, SK_RING, IT_RING, "ring", &name_loc);
	if (!it)
		return;
	l = name_loc;
	get_bool(D, t, "flex", "ring", &it->ring_flex);
	e = get_entry(t, "request");
	it->ring_req = e ? decode_type(D, e->value, 0) : NULL;
	e = get_entry(t, "response");
	it->ring_rsp = e ? decode_type(D, e->value, 0) : NULL;
	if (!it->ring_req || !it->ring_rsp)
		return;
	if (it->ring_req->kind != TY_NAMED || it->ring_rsp->kind != TY_NAMED) {
		diag_error(D->d, it->ring_req->kind != TY_NAMED ? it->ring_req->loc
			   : it->ring_rsp->loc, "a ring's request and response are "
			   "named types (structs, or their typedefs)");
		return;
	}
	entry = made_item(D, it, IT_UNION,
			  arena_printf(a, "%s_sring_entry", it->name), 2);
	ring_field(D, entry, "req", it->ring_req, arena_printf(a,
		   "A request (%s), written by the frontend.",
		   it->ring_req->name));
	ring_field(D, entry, "rsp", it->ring_rsp, arena_printf(a,
		   "A response (%s), written by the backend into a slot whose "
		   "request it has already read.", it->ring_rsp->name));
	sring = made_item(D, it, IT_STRUCT, arena_printf(a, "%s_sring", it->name), 7);
	sring->c.typedef_name = arena_printf(a, "%s_sring_t", it->name);
	ring_field(D, sring, "req_prod", prim_type(D, P_UINT, l),
		   "Requests the frontend has published: a free-running count, "
		   "taken modulo nr_ents for the slot.");
	ring_field(D, sring, "req_event", prim_type(D, P_UINT, l),
		   "Set by the backend: the frontend sends an event when "
		   "req_prod moves past this value.");
	ring_field(D, sring, "rsp_prod", prim_type(D, P_UINT, l),
		   "Responses the backend has published: a free-running count, "
		   "taken modulo nr_ents for the slot.");
	ring_field(D, sring, "rsp_event", prim_type(D, P_UINT, l),
		   "Set by the frontend: the backend sends an event when "
		   "rsp_prod moves past this value.");
	pvt = made_item(D, it, IT_UNION, arena_printf(a, "%s.pvt", sring->name), 3);
	pvt->inline_type = true;
	pvt->parent = sring;
	netif = made_item(D, it, IT_STRUCT, arena_printf(a, "%s.netif", pvt->name), 1);
	netif->inline_type = true;
	netif->parent = pvt;
	ring_field(D, netif, "smartpoll_active", prim_type(D, P_U8, l),
		   "Nonzero while the netif frontend is polling the ring, so "
		   "the backend may skip its events.");
	tapif = made_item(D, it, IT_STRUCT, arena_printf(a, "%s.tapif_user", pvt->name), 1);
	tapif->inline_type = true;
	tapif->parent = pvt;
	ring_field(D, tapif, "msg", prim_type(D, P_U8, l),
		   "A control message code between blktap's kernel driver and "
		   "its user-space process.");
	in = new_type(D, TY_INLINE, l);
	in->item = netif;
	ring_field(D, pvt, "netif", in, "How netif uses the bytes.");
	in = new_type(D, TY_INLINE, l);
	in->item = tapif;
	ring_field(D, pvt, "tapif_user", in, "How blktap's user-space ring "
		   "uses the bytes.");
	ring_field(D, pvt, "pvt_pad", array_type(D, prim_type(D, P_U8, l), 4, l),
		   "The bytes themselves: zeroed when the ring is set up, left "
		   "so by protocols that do not use them.");
	in = new_type(D, TY_INLINE, l);
	in->item = pvt;
	ring_field(D, sring, "pvt", in, "Four bytes some protocols use for "
		   "their own signalling; zero otherwise.");
	ring_field(D, sring, "__pad", array_type(D, prim_type(D, P_U8, l), 44, l),
		   "Padding: puts the first slot at byte 64 of the page.");
	ring_field(D, sring, "ring", array_type(D, named_type(D, IT_UNION,
			entry->name, l), it->ring_flex ? 0 : 1, l),
		   "The slots: all that fit in the rest of the shared area, "
		   "rounded down to a power of two (nr_ents).");
	for (k = 0; k < 2; k++) {
		end = made_item(D, it, IT_STRUCT, arena_printf(a, "%s_%s_ring", it->name,
							       k ? "back" : "front"), 4);
		end->c.typedef_name = arena_printf(a, "%s_t", end->name);
		ring_field(D, end, k ? "rsp_prod_pvt" : "req_prod_pvt",
			   prim_type(D, P_UINT, l), k
			   ? "Responses written into slots so far; rsp_prod "
			     "catches up when they are pushed."
			   : "Requests written into slots so far; req_prod "
			     "catches up when they are pushed.");
		ring_field(D, end, k ? "req_cons" : "rsp_cons",
			   prim_type(D, P_UINT, l), k
			   ? "Requests read so far (free-running, like req_prod)."
			   : "Responses read so far (free-running, like rsp_prod).");
		ring_field(D, end, "nr_ents", prim_type(D, P_UINT, l),
			   "Number of slots of the shared ring, a power of two.");
		in = new_type(D, TY_CPTR, l);
		in->elem = named_type(D, IT_STRUCT, sring->name, l);
		ring_field(D, end, "sring", in, "The shared ring, as this end "
			   "has it mapped.");
		it->ring_made[2 + k] = end;
	}
	it->ring_made[0] = entry;
	it->ring_made[1] = sring;
}

/* An X-macro list, and the enum its default expansion declares: each
 * entry a variant named by its first argument, of the value of its
 * second, which must be computable from numbers alone. */
static void decode_xmacro(Dec *D, const DocNode *t)
{
	const DocNode *list, *et;
	Loc name_loc = t->loc;
	Item *it, *en = NULL;
	uint32_t i;
	it = decode_head(D, t, SK_XMACRO, IT_XMACRO, "xmacro", &name_loc);
	if (!it)
		return;
	it->params = decode_params(D, t, "xmacro", &it->nparams);
	et = get_table(D, t, "enum", "xmacro", SK_XENUM);
	if (et) {
		Loc l = et->loc;
		const char *ename = get_name(D, et, "xmacro enum", &l);
		const DocEntry *typ = get_entry(et, "typ");
		if (ename) {
			en = made_item(D, it, IT_ENUM, ename, 0);
			en->name_loc = l;
			en->backing = P_I32;
			en->c.set = true;
			en->c.keep_case = true;
			en->c.prefix = get_string(D, et, "prefix", "xmacro enum", NULL);
			if (!en->c.prefix)
				en->c.prefix = "";
			it->xenum = en;
			if (it->nparams < 2)
				diag_error(D->d, et->loc, "an X-macro list declares an "
					   "enum from its entries' first two arguments: "
					   "it needs two parameters");
		}
		if (en && typ) {
			Type *bt = decode_type(D, typ->value, 0);
			if (bt && (bt->kind != TY_PRIM || !prim_is_integer(bt->prim)))
				diag_error(D->d, typ->value->loc, "the type of enum "
					   "'%s' must be an integer type", ename);
			else if (bt)
				en->backing = bt->prim;
		}
	}
	list = get_tables(D, t, "entries", "xmacro");
	if (!list)
		return;
	it->entries = arena_calloc(&D->s->arena, list->u.array.n, sizeof *it->entries);
	if (en)
		en->variants = arena_calloc(&D->s->arena, list->u.array.n,
					    sizeof *en->variants);
	for (i = 0; i < list->u.array.n; i++) {
		const DocNode *xt = list->u.array.v[i];
		XEntry *x = &it->entries[it->nentries];
		size_t k;
		memset(x, 0, sizeof *x);
		get_keys(D, xt, SK_XENTRY);
		x->loc = xt->loc;
		x->args = get_strings(D, xt, "args", "entry", &x->nargs);
		x->desc = get_string(D, xt, "description", "entry", NULL);
		cond_decode(D, xt, &x->cond);
		if (!get_entry(xt, "args"))
			continue;
		if (x->nargs != it->nparams) {
			diag_error(D->d, xt->loc, "%s takes %zu argument%s, not %zu",
				   it->name, it->nparams, it->nparams == 1 ? "" : "s",
				   x->nargs);
			continue;
		}
		for (k = 0; k < x->nargs; k++)
			if (!*x->args[k] || strchr(x->args[k], '\n') ||
			    strlen(x->args[k]) > MAX_VALUE_LEN) {
				diag_error(D->d, xt->loc, "an argument is one line of "
					   "C text, not empty");
				break;
			}
		if (k < x->nargs)
			continue;
		it->nentries++;
		if (en && x->nargs >= 2) {
			Variant *v = &en->variants[en->nvariants];
			Expr *e = expr_parse(D, x->args[1], xt->loc, "value", NULL, 0);
			Value val;
			const char *why;
			v->loc = v->name_loc = v->value_loc = xt->loc;
			v->name = x->args[0];
			v->desc = x->desc;
			if (!e)
				continue;
			if (!names_ident(D->d, v->name, xt->loc, "variant"))
				continue;
			/* numbers alone: the same on every target */
			if (eval_expr(D->s, e, TGT_X86_64, &val, &why) != EV_OK) {
				diag_error(D->d, xt->loc, "the value of an entry is "
					   "computed from numbers alone%s%s",
					   why ? ": " : "", why ? why : "");
				continue;
			}
			v->value = (int64_t)val.v;
			en->nvariants++;
		}
	}
}

static void decode_include(Dec *D, const DocNode *t)
{
	Unit *u = D->u;
	Include *inc;

	get_keys(D, t, SK_INCLUDE);
	u->includes = xgrow(u->includes, &u->includes_cap, u->nincludes + 1,
			    sizeof *u->includes);
	inc = &u->includes[u->nincludes];
	memset(inc, 0, sizeof *inc);
	inc->loc = t->loc;
	inc->from = get_string(D, t, "from", "include", &inc->from_loc);
	if (!inc->from)
		return;
	inc->imports = get_strings_at(D, t, "imports", "include", &inc->nimports,
				      &inc->import_locs);
	if (!inc->imports)
		return;
	inc->via = get_string(D, t, "via", "include", &inc->via_loc);
	cond_decode(D, t, &inc->cond);
	if (inc->cond.tools || inc->cond.not_tools || inc->cond.hypervisor ||
	    inc->cond.not_hypervisor || inc->cond.since || inc->cond.until ||
	    inc->cond.assembly || inc->cond.ndefined || inc->cond.nnot_defined ||
	    inc->cond.c_if)
		diag_error(D->d, inc->cond.loc, "an include's 'only' says where "
			   "its names are used: archs, targets or not_targets, "
			   "nothing else");
	get_bool(D, t, "by_includer", "include", &inc->by_includer);
	if (inc->by_includer)
		inc->by_includer_loc = get_entry(t, "by_includer")->value->loc;
	u->nincludes++;
}

/* ---- The header table and directives -------------------------------------- */

/* An output path: relative, of components made of letters, digits, '_',
 * '-' (and one '.' before the final "h"), the last one ending in ".h",
 * and not a name the layout assertions use: the same alphabet as unit
 * names, so that nothing can climb out of --outdir or need quoting. */
static const char *bad_header_path(const char *p)
{
	const char *c = p, *end = p + strlen(p);
	size_t n = 0;
	if (end - p < 3 || strcmp(end - 2, ".h") != 0)
		return "it must end in \".h\"";
	for (; c < end - 2; c++, n++) {
		char ch = *c;
		if (ch == '/') {
			if (n == 0)
				return "it must be relative, without empty components";
			n = (size_t)-1;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return "use letters, digits, '_' and '-' in components "
			       "separated by '/'";
		if (n >= MAX_IDENT_LEN)
			return "a component is too long";
	}
	if (n == 0)
		return "the file name is empty";
	if ((end - p >= 9 && strcmp(end - 9, "_layout.h") == 0) ||
	    (end - p >= 9 && strcmp(end - 9, "-layout.h") == 0))
		return "names ending in _layout.h or -layout.h are the layout "
		       "assertions' (-l c-layout)";
	return NULL;
}

/* An SPDX license expression: license identifiers, WITH, AND, OR and
 * parentheses; nothing that could end a comment. */
static bool spdx_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(".+-:() ", *s)))
			return false;
	return true;
}

/* [header]: one per unit, in any of its files. */
static void decode_header(Dec *D, const DocNode *root)
{
	const DocNode *t = get_table(D, root, "header", "spec file", SK_HEADER);
	UnitHeader *h = &D->u->header;
	const char *why;
	if (!t)
		return;
	if (h->set) {
		diag_error(D->d, t->loc, "'%s' has a second [header] table; an "
			   "output has one", D->u->name);
		diag_note(D->d, h->loc, "the first [header] of '%s' is here",
			  D->u->name);
		return;
	}
	h->set = true;
	h->loc = t->loc;
	h->path = get_string(D, t, "path", "header", &h->path_loc);
	if (h->path) {
		why = strlen(h->path) != get_entry(t, "path")->value->u.str.len
		      ? "it contains a NUL byte" : bad_header_path(h->path);
		if (why) {
			diag_error(D->d, h->path_loc, "invalid header path '%s': %s",
				   get_printable(D, h->path, strlen(h->path)), why);
			h->path = NULL;
		}
	}
	h->guard = get_string(D, t, "guard", "header", &h->guard_loc);
	get_bool(D, t, "unguarded", "header", &h->unguarded);
	if (h->guard && h->unguarded) {
		diag_error(D->d, h->guard_loc, "a header with a guard cannot be "
			   "unguarded: remove 'guard' or 'unguarded'");
		h->guard = NULL;
	}
	h->spdx = get_string(D, t, "spdx", "header", &h->spdx_loc);
	if (h->spdx && (!*h->spdx || !spdx_ok(h->spdx) ||
			strlen(h->spdx) != get_entry(t, "spdx")->value->u.str.len)) {
		diag_error(D->d, h->spdx_loc, "invalid SPDX license expression "
			   "'%s': use license identifiers, WITH, AND, OR and "
			   "parentheses", get_printable(D, h->spdx, strlen(h->spdx)));
		h->spdx = NULL;
	}
	h->notice = get_string(D, t, "notice", "header", NULL);
	h->desc = get_string(D, t, "description", "header", NULL);
	get_bool(D, t, "assembly", "header", &h->assembly);
	cond_decode(D, t, &h->cond);
}

static Directive *new_directive(Dec *D, DirKind k, const DocNode *t)
{
	Unit *u = D->u;
	Directive *dir = arena_alloc(&D->s->arena, sizeof *dir);
	dir->kind = k;
	dir->loc = dir->text_loc = t->loc;
	dir->unit = u;
	u->seq = xgrow(u->seq, &u->seq_cap, u->nseq + 1, sizeof *u->seq);
	u->seq[u->nseq].item = NULL;
	u->seq[u->nseq++].dir = dir;
	return dir;
}

/* The text of a directive: no NUL byte and, but in verbatim text (lines
 * and tabs), no control character. */
static const char *directive_text(Dec *D, const DocNode *t, const char *key,
				  const char *what, bool lines, Loc *loc)
{
	const DocEntry *e = get_entry(t, key);
	const char *s = get_string(D, t, key, what, loc), *p;
	if (!s)
		return NULL;
	if (strlen(s) != e->value->u.str.len) {
		diag_error(D->d, *loc, "'%s' must not contain a NUL byte", key);
		return NULL;
	}
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && !(lines && (c == '\n' || c == '\t'))) || c == 0x7f) {
			diag_error(D->d, *loc, "'%s' must not contain control "
				   "characters%s", key,
				   lines ? " (but line breaks and tabs)" : "");
			return NULL;
		}
	}
	return s;
}

/* "xen.h", "../xen.h", <stdint.h>: a path of plain components. */
static bool include_path_ok(const char *s)
{
	size_t n = strlen(s);
	const char *p;
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	if (!n || s[0] == '/')
		return false;
	for (p = s; p < s + n; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_-./+", *p)))
			return false;
	return true;
}

static void decode_directive(Dec *D, const DocNode *t, SchemaKind k)
{
	Directive *dir;
	get_keys(D, t, k);
	switch (k) {
	case SK_INCLUDE_ITEM:
		dir = new_directive(D, DIR_INCLUDE, t);
		dir->text = directive_text(D, t, "include", "include item", false,
					   &dir->text_loc);
		if (dir->text && !include_path_ok(dir->text)) {
			diag_error(D->d, dir->text_loc, "invalid include path '%s': "
				   "use a relative path of letters, digits and "
				   "'_-./+', or <name.h>",
				   get_printable(D, dir->text, strlen(dir->text)));
			dir->text = NULL;
		}
		get_bool(D, t, "before_guard", "include item", &dir->before_guard);
		break;
	case SK_ERROR:
		dir = new_directive(D, DIR_ERROR, t);
		dir->text = directive_text(D, t, "error", "error", false,
					   &dir->text_loc);
		if (!get_entry(t, "only"))
			diag_error(D->d, t->loc, "an error needs a condition "
				   "(only = { ... }): without one the header never "
				   "compiles");
		break;
	default:
		dir = new_directive(D, DIR_VERBATIM, t);
		dir->text = directive_text(D, t, "verbatim", "verbatim", true,
					   &dir->text_loc);
		{
			Loc rl;
			dir->rust = directive_text(D, t, "rust", "verbatim", true, &rl);
		}
		D->s->nverbatim++;
		break;
	}
	dir->desc = get_string(D, t, "description", schema_tables[k].what, NULL);
	cond_decode(D, t, &dir->cond);
	if (!dir->text)
		dir->text = ""; /* reported; nothing to write */
}

/* items = [ { struct = "name", ... }, { include = "xen.h" }, ... ]: one
 * list in the order of the header, each entry naming its kind. */
static void decode_items(Dec *D, const DocNode *root)
{
	const DocNode *list = get_tables(D, root, "items", "spec file");
	uint32_t i;
	if (!list)
		return;
	for (i = 0; i < list->u.array.n; i++) {
		const DocNode *t = list->u.array.v[i];
		uint32_t j, k1 = 0, k2 = 0;
		int w = schema_entry_kind(t, &k1, &k2);
		if (w == -2) {
			const DocEntry *a = &t->u.table.v[k1], *b = &t->u.table.v[k2];
			diag_error(D->d, b->loc, "an entry of 'items' has one "
				   "kind, not both '%s' and '%s'",
				   get_printable(D, a->key, a->keylen),
				   get_printable(D, b->key, b->keylen));
			continue;
		}
		if (w < 0) {
			/* a misspelt kind key is the likeliest reason */
			const char *words[16], *sug = NULL;
			size_t nw;
			for (nw = 0; nw < ARRAY_LEN(words) &&
				     (words[nw] = schema_word(SW_ITEM_KINDS, nw)) != NULL;
			     nw++)
				;
			for (j = 0; j < t->u.table.n && !sug; j++) {
				const DocEntry *e = &t->u.table.v[j];
				sug = schema_closest(get_printable(D, e->key, e->keylen),
						     words, nw);
				if (sug)
					diag_error(D->d, e->loc, "an entry of 'items' names "
						   "its kind with one of the keys const, "
						   "alias, enum, bitmap, struct, union, "
						   "macro, handle, xmacro, ring, include, "
						   "error or verbatim; did you mean '%s'?",
						   sug);
			}
			if (!sug)
				diag_error(D->d, t->loc, "an entry of 'items' names its "
					   "kind with one of the keys const, alias, enum, "
					   "bitmap, struct, union, macro, handle, "
					   "xmacro, ring, include, error or verbatim");
			continue;
		}
		D->name_key = schema_word(SW_ITEM_KINDS, (size_t)w);
		switch (schema_item_kind((size_t)w)) {
		case SK_CONST: decode_const(D, t); break;
		case SK_ALIAS: decode_alias(D, t); break;
		case SK_ENUM: decode_enum(D, t, IT_ENUM); break;
		case SK_BITMAP: decode_enum(D, t, IT_BITMAP); break;
		case SK_STRUCT: decode_struct(D, t, IT_STRUCT); break;
		case SK_UNION: decode_struct(D, t, IT_UNION); break;
		case SK_MACRO: decode_macro(D, t); break;
		case SK_HANDLE: decode_handle(D, t); break;
		case SK_XMACRO: decode_xmacro(D, t); break;
		case SK_RING: decode_ring(D, t); break;
		default: decode_directive(D, t, schema_item_kind((size_t)w)); break;
		}
		D->name_key = NULL;
		if (diag_full(D->d))
			return;
	}
}

/* One rule of [abi] bump (its constant and patterns are checked by
 * check.c, once every name is known). */
static void decode_bump(Dec *D, const DocNode *t)
{
	Unit *u = D->u;
	UnitBump *b;

	get_keys(D, t, SK_BUMP);
	u->bumps = xgrow(u->bumps, &u->bumps_cap, u->nbumps + 1, sizeof *u->bumps);
	b = &u->bumps[u->nbumps];
	memset(b, 0, sizeof *b);
	b->loc = t->loc;
	b->constant = get_string(D, t, "constant", "bump", &b->constant_loc);
	b->desc = get_string(D, t, "description", "bump", NULL);
	if (!b->constant)
		return;
	b->types = get_strings_at(D, t, "types", "bump", &b->ntypes,
				  &b->type_locs);
	if (!b->types)
		return;
	u->nbumps++;
}

/* [abi] invariant = true, bump = [...]: settings of the whole unit. */
static void decode_unit_abi(Dec *D, const DocNode *root)
{
	const DocNode *t = get_table(D, root, "abi", "spec file", SK_UNIT_ABI);
	const DocNode *list;
	bool inv = false;
	uint32_t i;
	if (t && get_bool(D, t, "invariant", "abi", &inv) && inv) {
		D->u->invariant = true;
		D->u->invariant_loc = t->loc;
	}
	list = t ? get_tables(D, t, "bump", "abi") : NULL;
	for (i = 0; list && i < list->u.array.n; i++)
		decode_bump(D, list->u.array.v[i]);
}

void spec_decode(Spec *s, Diag *d, Unit *u, const SpecFile *f,
		 const DocNode *root)
{
	const SchemaTable *sections = &schema_tables[SK_ROOT];
	Dec D;
	const DocNode *list;
	uint32_t i;
	size_t k;

	memset(&D, 0, sizeof D);
	D.s = s;
	D.d = d;
	D.u = u;
	(void)f;
	if (root->kind != DOC_TABLE) {
		diag_error(d, root->loc,
			   "a spec file must hold a table of sections (structs, "
			   "unions, enums, bitmaps, aliases, consts, includes, "
			   "items, header), not %s",
			   get_a_kind(root));
		return;
	}
	get_keys(&D, root, SK_ROOT);
	decode_header(&D, root);
	decode_unit_abi(&D, root);
	/* Items keep the order they are written in within a section; the
	 * sections themselves are taken in the schema's order. */
	for (k = 0; k < sections->nkeys; k++) {
		const SchemaKey *sec = &sections->keys[k];
		if (sec->value != SV_TABLES)
			continue;
		list = get_tables(&D, root, sec->key, "spec file");
		if (!list)
			continue;
		for (i = 0; i < list->u.array.n; i++) {
			const DocNode *t = list->u.array.v[i];
			switch ((SchemaKind)sec->sub) {
			case SK_INCLUDE: decode_include(&D, t); break;
			case SK_CONST: decode_const(&D, t); break;
			case SK_ALIAS: decode_alias(&D, t); break;
			case SK_ENUM: decode_enum(&D, t, IT_ENUM); break;
			case SK_BITMAP: decode_enum(&D, t, IT_BITMAP); break;
			case SK_STRUCT: decode_struct(&D, t, IT_STRUCT); break;
			case SK_UNION: decode_struct(&D, t, IT_UNION); break;
			case SK_MACRO: decode_macro(&D, t); break;
			case SK_HANDLE: decode_handle(&D, t); break;
			case SK_XMACRO: decode_xmacro(&D, t); break;
			case SK_RING: decode_ring(&D, t); break;
			default: break; /* no other section holds items */
			}
			if (diag_full(d))
				return;
		}
	}
	decode_items(&D, root);
}
