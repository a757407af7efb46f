/*
 * canon.c - the canonical form of a spec document, which fmt writes (the
 * rules are in convert.c's header comment).
 */
#include "model/model.h"
#include "tools/tools.h"

#include <string.h>

/* ---- Canonical form (fmt) ------------------------------------------------- */

typedef enum Ctx {
	X_ANY, X_ROOT, X_INCLUDE, X_CONST, X_ALIAS, X_ENUM, X_BITMAP, X_STRUCT,
	X_UNION, X_FIELD, X_VARIANT, X_BIT, X_OP, X_ONLY, X_C, X_ABI,
	X_UNIT_ABI, X_TYPE, X_ALIAS_TYPE,
	X_LIST = 0x100 /* flag: a list of tables of that kind */
} Ctx;

/* The canonical key order of each kind of table, and what each key holds.
 * A key not listed keeps its place after the listed ones. */
typedef struct KeyOrder {
	const char *key;
	int ctx;
} KeyOrder;

static const KeyOrder root_order[] = {
	{"abi", X_UNIT_ABI},
	{"includes", X_INCLUDE | X_LIST}, {"consts", X_CONST | X_LIST},
	{"aliases", X_ALIAS | X_LIST},    {"enums", X_ENUM | X_LIST},
	{"bitmaps", X_BITMAP | X_LIST},   {"structs", X_STRUCT | X_LIST},
	{"unions", X_UNION | X_LIST},     {NULL, 0},
};
static const KeyOrder include_order[] = {
	{"from", X_ANY}, {"imports", X_ANY}, {NULL, 0},
};
static const KeyOrder const_order[] = {
	{"name", X_ANY}, {"value", X_ANY}, {"typ", X_TYPE},
	{"description", X_ANY}, {"only", X_ONLY}, {"c", X_C}, {NULL, 0},
};
static const KeyOrder alias_order[] = {
	{"name", X_ANY}, {"typ", X_ALIAS_TYPE}, {"description", X_ANY},
	{"only", X_ONLY}, {"c", X_C}, {"abi", X_ABI}, {NULL, 0},
};
static const KeyOrder enum_order[] = {
	{"name", X_ANY}, {"description", X_ANY}, {"typ", X_TYPE},
	{"only", X_ONLY}, {"c", X_C}, {"variants", X_VARIANT | X_LIST},
	{NULL, 0},
};
static const KeyOrder bitmap_order[] = {
	{"name", X_ANY}, {"description", X_ANY}, {"typ", X_TYPE},
	{"only", X_ONLY}, {"c", X_C}, {"bits", X_BIT | X_LIST}, {NULL, 0},
};
static const KeyOrder struct_order[] = {
	{"name", X_ANY}, {"op", X_OP}, {"description", X_ANY},
	{"only", X_ONLY}, {"c", X_C}, {"abi", X_ABI},
	{"fields", X_FIELD | X_LIST}, {NULL, 0},
};
static const KeyOrder union_order[] = {
	{"name", X_ANY}, {"description", X_ANY}, {"only", X_ONLY},
	{"c", X_C}, {"abi", X_ABI}, {"fields", X_FIELD | X_LIST}, {NULL, 0},
};
static const KeyOrder field_order[] = {
	{"name", X_ANY}, {"tag", X_ANY}, {"when", X_ANY}, {"typ", X_TYPE},
	{"bits", X_ANY}, {"only", X_ONLY}, {"description", X_ANY}, {NULL, 0},
};
static const KeyOrder variant_order[] = {
	{"name", X_ANY}, {"value", X_ANY}, {"compat", X_ANY},
	{"description", X_ANY}, {NULL, 0},
};
static const KeyOrder bit_order[] = {
	{"name", X_ANY}, {"shift", X_ANY}, {"width", X_ANY},
	{"bit_number", X_ANY}, {"compat", X_ANY}, {"description", X_ANY},
	{NULL, 0},
};
static const KeyOrder op_order[] = {
	{"family", X_ANY}, {"cmd", X_ANY}, {"name", X_ANY}, {NULL, 0},
};
static const KeyOrder only_order[] = {
	{"archs", X_ANY}, {"targets", X_ANY}, {"not_targets", X_ANY},
	{"tools", X_ANY}, {"hypervisor", X_ANY}, {"since", X_ANY},
	{"until", X_ANY}, {NULL, 0},
};
static const KeyOrder c_order[] = {
	{"prefix", X_ANY}, {"case", X_ANY}, {"typedef", X_ANY},
	{"handle", X_ANY}, {"defines", X_ANY}, {"bit_numbers", X_ANY},
	{"hex", X_ANY}, {"all", X_ANY}, {"compat", X_ANY}, {NULL, 0},
};
static const KeyOrder abi_order[] = {
	{"waive", X_ANY}, {"reason", X_ANY}, {NULL, 0},
};
static const KeyOrder unit_abi_order[] = {{"invariant", X_ANY}, {NULL, 0}};
/* per-architecture alias types */
static const KeyOrder arch_order[] = {
	{"x86", X_TYPE}, {"arm", X_TYPE}, {"riscv", X_TYPE}, {"ppc", X_TYPE},
	{NULL, 0},
};

static const KeyOrder *order_of(int c)
{
	switch (c) {
	case X_ROOT: return root_order;
	case X_INCLUDE: return include_order;
	case X_CONST: return const_order;
	case X_ALIAS: return alias_order;
	case X_ENUM: return enum_order;
	case X_BITMAP: return bitmap_order;
	case X_STRUCT: return struct_order;
	case X_UNION: return union_order;
	case X_FIELD: return field_order;
	case X_VARIANT: return variant_order;
	case X_BIT: return bit_order;
	case X_OP: return op_order;
	case X_ONLY: return only_order;
	case X_C: return c_order;
	case X_ABI: return abi_order;
	case X_UNIT_ABI: return unit_abi_order;
	case X_ALIAS_TYPE: return arch_order;
	default: return NULL;
	}
}

static bool key_is(const DocEntry *e, const char *k)
{
	return strlen(k) == e->keylen && memcmp(e->key, k, e->keylen) == 0;
}

/* Type constructors, as decode.c spells them. */
static const char *const ctors[] = {
	"ptr", "handle", "cptr", "array", "struct", "union", "enum", "bitmap",
	"type",
};
enum {
	K_PTR, K_HANDLE, K_CPTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_BITMAP,
	K_TYPE, NK
};

static int ctor_of(const char *s, size_t n)
{
	int c;
	for (c = 0; c < NK; c++)
		if (strlen(ctors[c]) == n && memcmp(ctors[c], s, n) == 0)
			return c;
	return -1;
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

static DocNode *canon_doc(Arena *a, const DocNode *n, int ctx);
static DocNode *canon_type(Arena *a, const DocNode *n, int depth);

/* { ctor = args } in the short syntax.  args is rewritten only where it
 * holds types: what decode.c reads from it does not change. */
static DocNode *short_type(Arena *a, int c, const DocNode *args, Loc loc,
			   Loc key_loc, int depth)
{
	DocNode *t, *v = (DocNode *)args;
	uint32_t i;
	switch (c) {
	case K_PTR:
	case K_HANDLE:
	case K_CPTR:
		v = canon_type(a, args, depth + 1);
		break;
	case K_ARRAY:
		if (args->kind == DOC_ARRAY && args->u.array.n >= 1 &&
		    args->u.array.n <= 2) {
			v = doc_new(a, DOC_ARRAY, args->loc);
			doc_array_push(a, v, canon_type(a, args->u.array.v[0], depth + 1));
			for (i = 1; i < args->u.array.n; i++)
				doc_array_push(a, v, args->u.array.v[i]);
		}
		break;
	case K_STRUCT:
	case K_UNION:
		/* inline fields */
		if (args->kind == DOC_ARRAY)
			v = canon_doc(a, args, X_FIELD | X_LIST);
		break;
	case K_TYPE:
		/* { type = "name" } is "name", unless the name is a primitive's */
		if (is_name(args) && !is_prim(args))
			return doc_new_string(a, loc, args->u.str.s, args->u.str.len);
		break;
	default:
		break;
	}
	t = doc_new(a, DOC_TABLE, loc);
	t->flags = DOC_F_INLINE;
	doc_table_add(a, t, ctors[c], strlen(ctors[c]), key_loc, v);
	return t;
}

/* A type in the short syntax; a table that decode.c would reject as a
 * type is returned as it is. */
static DocNode *canon_type(Arena *a, const DocNode *n, int depth)
{
	const DocEntry *tag = NULL, *args = NULL;
	uint32_t i;
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
	}
	if (!tag) {
		const DocEntry *e = &n->u.table.v[0];
		c = ctor_of(e->key, e->keylen);
		if (n->u.table.n != 1 || c < 0)
			return (DocNode *)n;
		return short_type(a, c, e->value, n->loc, e->loc, depth);
	}
	/* adjacently tagged: { tag = "u8" }, { tag = "ptr", args = ... } */
	if (n->u.table.n != (args ? 2u : 1u) || tag->value->kind != DOC_STRING)
		return (DocNode *)n;
	c = ctor_of(tag->value->u.str.s, tag->value->u.str.len);
	if (c < 0) {
		if (args || !is_name(tag->value))
			return (DocNode *)n;
		return doc_new_string(a, n->loc, tag->value->u.str.s,
				      tag->value->u.str.len);
	}
	if (!args)
		return (DocNode *)n;
	return short_type(a, c, args->value, n->loc, tag->loc, depth);
}

static DocNode *canon_doc(Arena *a, const DocNode *n, int ctx)
{
	const KeyOrder *order;
	DocNode *r;
	uint32_t i;
	size_t k;
	bool *taken;

	if (ctx & X_LIST) {
		/* a list of tables of one kind (fields, variants, ...) */
		if (n->kind != DOC_ARRAY)
			return (DocNode *)n;
		r = doc_new(a, DOC_ARRAY, n->loc);
		r->flags = n->flags;
		for (i = 0; i < n->u.array.n; i++)
			doc_array_push(a, r, canon_doc(a, n->u.array.v[i], ctx & ~X_LIST));
		return r;
	}
	if (ctx == X_TYPE)
		return canon_type(a, n, 0);
	if (ctx == X_ALIAS_TYPE && (n->kind != DOC_TABLE || !n->u.table.n ||
				    arch_from_name(n->u.table.v[0].key) < 0))
		return canon_type(a, n, 0);
	order = order_of(ctx);
	if (!order || n->kind != DOC_TABLE)
		return (DocNode *)n;
	r = doc_new(a, DOC_TABLE, n->loc);
	r->flags = n->flags;
	taken = arena_calloc(a, n->u.table.n ? n->u.table.n : 1, sizeof *taken);
	for (k = 0; order[k].key; k++) {
		for (i = 0; i < n->u.table.n; i++) {
			const DocEntry *e = &n->u.table.v[i];
			if (taken[i] || !key_is(e, order[k].key))
				continue;
			taken[i] = true;
			doc_table_add(a, r, e->key, e->keylen, e->loc,
				      canon_doc(a, e->value, order[k].ctx));
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
	if (ctx == X_FIELD) {
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
	return canon_doc(a, root, X_ROOT);
}

