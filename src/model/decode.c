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
#include "model/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Dec {
	Spec *s;
	Diag *d;
	Unit *u;
	Item *cur;              /* the struct or union being decoded */
	const char *field_name; /* the field whose type is being decoded */
} Dec;

typedef struct KeySpec {
	const char *key;
	bool required;
} KeySpec;

static const KeySpec top_keys[] = {
	{"includes", false}, {"consts", false}, {"aliases", false},
	{"enums", false},    {"bitmaps", false}, {"structs", false},
	{"unions", false},   {"abi", false},
};
static const KeySpec unit_abi_keys[] = {{"invariant", false}};
static const KeySpec include_keys[] = {{"from", true}, {"imports", true}};
static const KeySpec struct_keys[] = {
	{"name", true}, {"description", true}, {"fields", false}, {"op", false},
	{"c", false},   {"abi", false},        {"only", false},
};
static const KeySpec union_keys[] = {
	{"name", true}, {"description", true}, {"fields", false},
	{"c", false},   {"abi", false},        {"only", false},
};
static const KeySpec op_keys[] = {
	{"family", true}, {"cmd", true}, {"name", false},
};
static const KeySpec field_keys[] = {
	{"name", false}, {"description", false}, {"typ", true}, {"bits", false},
	{"only", false}, {"tag", false},         {"when", false},
};
static const KeySpec enum_keys[] = {
	{"name", true}, {"description", true}, {"typ", true}, {"variants", false},
	{"c", false},   {"only", false},
};
static const KeySpec variant_keys[] = {
	{"name", true}, {"description", false}, {"value", true}, {"compat", false},
};
static const KeySpec bitmap_keys[] = {
	{"name", true}, {"description", true}, {"typ", true}, {"bits", false},
	{"c", false},   {"only", false},
};
static const KeySpec bit_keys[] = {
	{"name", true}, {"description", false}, {"shift", true}, {"width", false},
	{"compat", false}, {"bit_number", false},
};
static const KeySpec alias_keys[] = {
	{"name", true}, {"description", true}, {"typ", true}, {"c", false},
	{"only", false}, {"abi", false},
};
static const KeySpec const_keys[] = {
	{"name", true}, {"description", true}, {"value", true}, {"typ", false},
	{"c", false},   {"only", false},
};
static const KeySpec only_keys[] = {
	{"tools", false},  {"hypervisor", false}, {"targets", false},
	{"not_targets", false}, {"archs", false}, {"since", false},
	{"until", false},
};
static const KeySpec c_keys[] = {
	{"prefix", false},  {"case", false},     {"defines", false},
	{"bit_numbers", false}, {"all", false},  {"typedef", false},
	{"handle", false},  {"hex", false},      {"compat", false},
};
static const KeySpec abi_keys[] = {{"waive", true}, {"reason", true}};
/* per-architecture alias types: { x86 = "ulong", arm = "uint64_t" } */
static const KeySpec arch_keys[] = {
	{"x86", false}, {"arm", false}, {"riscv", false}, {"ppc", false},
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

/* ---- Small typed getters ------------------------------------------------- */

static bool get_bool(Dec *D, const DocNode *t, const char *key,
		     const char *what, bool *out)
{
	const DocEntry *e = entry(t, key);
	if (!e || !expect_kind(D, e->value, DOC_BOOL, key, what))
		return false;
	*out = e->value->u.b;
	return true;
}

/* An array of identifiers-to-be (strings), e.g. compat = ["OLD"]. */
static const char **get_strings(Dec *D, const DocNode *t, const char *key,
				const char *what, size_t *n)
{
	const DocEntry *e = entry(t, key);
	const char **v;
	uint32_t i;
	*n = 0;
	if (!e || !expect_kind(D, e->value, DOC_ARRAY, key, what))
		return NULL;
	v = arena_calloc(&D->s->arena, e->value->u.array.n + 1, sizeof *v);
	for (i = 0; i < e->value->u.array.n; i++) {
		const DocNode *x = e->value->u.array.v[i];
		if (x->kind != DOC_STRING || strlen(x->u.str.s) != x->u.str.len) {
			diag_error(D->d, x->loc,
				   "each entry of '%s' must be a string, not %s",
				   key, a_kind(x));
			continue;
		}
		v[(*n)++] = arena_strndup(&D->s->arena, x->u.str.s, x->u.str.len);
	}
	return v;
}

/* ---- Conditions: only = { tools, targets, not_targets, archs, since,
 * until }.  Target and architecture names are checked here; the bit set
 * lists the targets where the thing exists. */

static const char *const target_names[NTARGETS] = {
	"x86_32", "x86_64", "arm32", "arm64", "riscv64", "ppc64le",
};
static const int target_arch[NTARGETS] = {
	ARCH_X86, ARCH_X86, ARCH_ARM, ARCH_ARM, ARCH_RISCV, ARCH_PPC,
};

static unsigned name_set(Dec *D, const DocNode *t, const char *key,
			 bool archs)
{
	const char **names;
	size_t n, i;
	int k;
	unsigned set = 0;
	names = get_strings(D, t, key, "only", &n);
	for (i = 0; i < n; i++) {
		bool found = false;
		for (k = 0; k < NTARGETS; k++) {
			if (archs ? strcmp(names[i], arch_name(target_arch[k])) == 0
				  : strcmp(names[i], target_names[k]) == 0) {
				set |= 1u << k;
				found = true;
			}
		}
		if (!found)
			diag_error(D->d, entry(t, key)->value->u.array.v[i]->loc,
				   "unknown %s '%s' (expected %s)",
				   archs ? "architecture" : "target", names[i],
				   archs ? "x86, arm, riscv or ppc"
					 : "x86_32, x86_64, arm32, arm64, riscv64 or "
					   "ppc64le");
	}
	return set;
}

static bool get_version(Dec *D, const DocNode *t, const char *key,
			uint32_t *out)
{
	int64_t v;
	Loc l;
	if (!get_int(D, t, key, "only", &v, &l))
		return false;
	if (v <= 0 || v > UINT32_MAX) {
		diag_error(D->d, l, "interface version %lld is out of range "
			   "(1 to 0xffffffff)", (long long)v);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static void decode_only(Dec *D, const DocNode *owner, Cond *c)
{
	const DocEntry *e = entry(owner, "only");
	const DocNode *t;
	unsigned all = (1u << NTARGETS) - 1, set = all;
	if (!e || !expect_kind(D, e->value, DOC_TABLE, "only", "item"))
		return;
	t = e->value;
	check_keys(D, t, "only", only_keys, ARRAY_LEN(only_keys));
	c->loc = t->loc;
	get_bool(D, t, "tools", "only", &c->tools);
	get_bool(D, t, "hypervisor", "only", &c->hypervisor);
	if (entry(t, "targets"))
		set &= name_set(D, t, "targets", false);
	if (entry(t, "archs"))
		set &= name_set(D, t, "archs", true);
	if (entry(t, "not_targets"))
		set &= ~name_set(D, t, "not_targets", false);
	if (set == 0) {
		diag_error(D->d, t->loc, "this condition excludes every target");
		set = all;
	}
	c->targets = set == all ? 0 : set;
	get_version(D, t, "since", &c->since);
	get_version(D, t, "until", &c->until);
	if (c->since && c->until && c->since >= c->until)
		diag_error(D->d, t->loc, "'since' must be below 'until'");
}

/* ---- Naming control and waivers ---------------------------------------- */

static void decode_c(Dec *D, const DocNode *owner, CNames *c)
{
	const DocEntry *e = entry(owner, "c");
	const DocNode *t;
	const char *cs;
	Loc l;
	if (!e || !expect_kind(D, e->value, DOC_TABLE, "c", "item"))
		return;
	t = e->value;
	check_keys(D, t, "c", c_keys, ARRAY_LEN(c_keys));
	c->set = true;
	c->loc = t->loc;
	c->prefix = get_string(D, t, "prefix", "c", NULL);
	cs = get_string(D, t, "case", "c", &l);
	if (cs) {
		if (strcmp(cs, "keep") == 0)
			c->keep_case = true;
		else if (strcmp(cs, "upper") != 0)
			diag_error(D->d, l, "'case' is \"keep\" or \"upper\", not \"%s\"",
				   show(D, cs, strlen(cs)));
	}
	get_bool(D, t, "defines", "c", &c->defines);
	get_bool(D, t, "bit_numbers", "c", &c->bit_numbers);
	get_bool(D, t, "handle", "c", &c->handle);
	get_bool(D, t, "hex", "c", &c->hex);
	c->all = get_string(D, t, "all", "c", NULL);
	c->typedef_name = get_string(D, t, "typedef", "c", NULL);
	c->compat = get_strings(D, t, "compat", "c", &c->ncompat);
}

static void decode_abi(Dec *D, const DocNode *owner, Item *it)
{
	static const struct {
		const char *word;
		unsigned bit;
	} rules[] = {
		{"identity", WAIVE_IDENTITY},
		{"padding", WAIVE_PADDING},
		{"alignment", WAIVE_ALIGNMENT},
	};
	const DocEntry *e = entry(owner, "abi"), *w;
	const DocNode *t;
	uint32_t i;
	size_t k;
	if (!e || !expect_kind(D, e->value, DOC_TABLE, "abi", "item"))
		return;
	t = e->value;
	check_keys(D, t, "abi", abi_keys, ARRAY_LEN(abi_keys));
	it->waive_loc = t->loc;
	it->waive_reason = get_string(D, t, "reason", "abi", NULL);
	w = entry(t, "waive");
	if (!w || !expect_kind(D, w->value, DOC_ARRAY, "waive", "abi"))
		return;
	for (i = 0; i < w->value->u.array.n; i++) {
		const DocNode *x = w->value->u.array.v[i];
		for (k = 0; k < ARRAY_LEN(rules); k++)
			if (x->kind == DOC_STRING && strcmp(x->u.str.s, rules[k].word) == 0)
				break;
		if (k == ARRAY_LEN(rules)) {
			diag_error(D->d, x->loc,
				   "a waiver names a rule: \"identity\", \"padding\" "
				   "or \"alignment\"");
			continue;
		}
		it->waive |= rules[k].bit;
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
 * expression { array = [T, "sizeof(xen_ulong_t) * 8"] }. */

typedef enum Ctor {
	C_PTR, C_HANDLE, C_CPTR, C_ARRAY, C_STRUCT, C_UNION, C_ENUM, C_BITMAP,
	C_TYPE, NCTORS
} Ctor;
static const char *const ctor_names[NCTORS] = {
	"ptr", "handle", "cptr", "array", "struct", "union", "enum", "bitmap",
	"type",
};

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

static Type *named(Dec *D, ItemKind want, const DocNode *n)
{
	Type *t = new_type(D, TY_NAMED, n->loc);
	t->want = want;
	t->name = arena_strndup(&D->s->arena, n->u.str.s, n->u.str.len);
	t->name_loc = n->loc;
	return t;
}

/* A bare string: a primitive, or the name of any named type. */
static Type *decode_name(Dec *D, const DocNode *n)
{
	Prim p;
	Type *t;
	if (strlen(n->u.str.s) != n->u.str.len || !*n->u.str.s) {
		diag_error(D->d, n->loc, "invalid type name '%s'",
			   show(D, n->u.str.s, n->u.str.len));
		return NULL;
	}
	if (!prim_from_name(n->u.str.s, &p))
		return named(D, IT_ANY, n);
	t = new_type(D, TY_PRIM, n->loc);
	t->prim = p;
	return t;
}

/* ---- Array length expressions: numbers, constants, sizeof(type), + - * /
 * and parentheses.  A hand-written recursive descent over a short string;
 * the depth is bounded by the string length, itself bounded. */

typedef struct ExprParser {
	Dec *D;
	const char *s, *p;
	Loc loc;
	int depth;
	bool failed;
} ExprParser;

static Expr *expr_sum(ExprParser *P);

static void expr_skip(ExprParser *P)
{
	while (*P->p == ' ' || *P->p == '\t')
		P->p++;
}

static Expr *expr_fail(ExprParser *P, const char *what)
{
	if (!P->failed)
		diag_error(P->D->d, P->loc, "invalid array length \"%s\": %s at "
			   "character %d", show(P->D, P->s, strlen(P->s)), what,
			   (int)(P->p - P->s) + 1);
	P->failed = true;
	return NULL;
}

static Expr *expr_new(ExprParser *P, int kind)
{
	Expr *e = arena_alloc(&P->D->s->arena, sizeof *e);
	e->kind = kind;
	e->loc = P->loc;
	return e;
}

static bool ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static Expr *expr_atom(ExprParser *P)
{
	Expr *e;
	expr_skip(P);
	if (*P->p == '(') {
		/* the only recursion: at most MAX_EXPR_DEPTH parentheses */
		if (++P->depth > MAX_EXPR_DEPTH)
			return expr_fail(P, "parentheses nested too deep");
		P->p++;
		e = expr_sum(P);
		expr_skip(P);
		if (!e || *P->p != ')')
			return expr_fail(P, "expected ')'");
		P->p++;
		P->depth--;
		return e;
	}
	if (*P->p >= '0' && *P->p <= '9') {
		char *end;
		e = expr_new(P, EX_NUM);
		errno = 0;
		e->num = strtoull(P->p, &end, 0);
		if (errno || end == P->p)
			return expr_fail(P, "bad number");
		while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
			end++;
		P->p = end;
		return e;
	}
	if (ident_char(*P->p, true)) {
		const char *start = P->p;
		while (ident_char(*P->p, false))
			P->p++;
		if ((size_t)(P->p - start) == 6 && strncmp(start, "sizeof", 6) == 0) {
			const char *tstart;
			DocNode fake;
			expr_skip(P);
			if (*P->p != '(')
				return expr_fail(P, "expected '(' after sizeof");
			P->p++;
			expr_skip(P);
			tstart = P->p;
			while (ident_char(*P->p, P->p == tstart))
				P->p++;
			if (P->p == tstart)
				return expr_fail(P, "expected a type name");
			memset(&fake, 0, sizeof fake);
			fake.kind = DOC_STRING;
			fake.loc = P->loc;
			fake.u.str.s = arena_strndup(&P->D->s->arena, tstart,
						     (size_t)(P->p - tstart));
			fake.u.str.len = (size_t)(P->p - tstart);
			e = expr_new(P, EX_SIZEOF);
			e->type = decode_name(P->D, &fake);
			expr_skip(P);
			if (!e->type || *P->p != ')')
				return expr_fail(P, "expected ')'");
			P->p++;
		} else {
			e = expr_new(P, EX_CONST);
			e->name = arena_strndup(&P->D->s->arena, start,
						(size_t)(P->p - start));
		}
		return e;
	}
	return expr_fail(P, "expected a number, a constant or sizeof");
}

static Expr *expr_binary(ExprParser *P, const char *ops, Expr *(*next)(ExprParser *))
{
	Expr *l = next(P);
	while (l) {
		Expr *e;
		expr_skip(P);
		if (!*P->p || !strchr(ops, *P->p))
			return l;
		e = expr_new(P, EX_BIN);
		e->op = *P->p++;
		e->l = l;
		e->r = next(P);
		if (!e->r)
			return NULL;
		l = e;
	}
	return NULL;
}

static Expr *expr_product(ExprParser *P)
{
	return expr_binary(P, "*/", expr_atom);
}

static Expr *expr_sum(ExprParser *P)
{
	return expr_binary(P, "+-", expr_product);
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
		ExprParser P;
		memset(&P, 0, sizeof P);
		P.D = D;
		P.s = P.p = n->u.str.s;
		P.loc = n->loc;
		t->count_expr = expr_sum(&P);
		expr_skip(&P);
		if (t->count_expr && *P.p)
			expr_fail(&P, "unexpected text");
		t->count_text = arena_strdup(&D->s->arena, n->u.str.s);
		return !P.failed && t->count_expr;
	}
	diag_error(D->d, n->loc,
		   "an array length is a number, a constant name or an "
		   "expression string, not %s", a_kind(n));
	return false;
}

static Type *decode_ctor(Dec *D, Ctor c, const DocNode *args, Loc loc,
			 int depth)
{
	Type *t;
	const char *what = ctor_names[c];
	switch (c) {
	case C_PTR:
	case C_HANDLE:
	case C_CPTR:
		t = new_type(D, c == C_PTR ? TY_PTR : c == C_HANDLE ? TY_HANDLE
				: TY_CPTR, loc);
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
	case C_ARRAY:
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
	case C_STRUCT:
	case C_UNION:
		if (args->kind == DOC_ARRAY) {
			Item *it = decode_fields_item(D, c == C_STRUCT ? IT_STRUCT : IT_UNION,
						      args, loc, NULL, depth + 1);
			if (!it)
				return NULL;
			t = new_type(D, TY_INLINE, loc);
			t->item = it;
			return t;
		}
		/* fall through */
	case C_ENUM:
	case C_BITMAP:
	case C_TYPE:
		if (args->kind != DOC_STRING) {
			diag_error(D->d, args->loc,
				   "a %s type takes the %s's name as a string%s, not %s",
				   what, c == C_TYPE ? "type" : what,
				   c == C_STRUCT || c == C_UNION ? " (or a list of fields)" : "",
				   a_kind(args));
			return NULL;
		}
		if (!*args->u.str.s || strlen(args->u.str.s) != args->u.str.len) {
			diag_error(D->d, args->loc, "invalid %s name '%s'", what,
				   show(D, args->u.str.s, args->u.str.len));
			return NULL;
		}
		return named(D, c == C_STRUCT ? IT_STRUCT : c == C_UNION ? IT_UNION
				: c == C_ENUM ? IT_ENUM : c == C_BITMAP ? IT_BITMAP
				: IT_ANY, args);
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
		return decode_name(D, n);
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
			return decode_name(D, tag->value);
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
		return decode_ctor(D, (Ctor)c, e->value, n->loc, depth);
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
	return it;
}

static void decode_when(Dec *D, const DocNode *ft, Field *f)
{
	const DocEntry *e = entry(ft, "when");
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
				   "constants or variants, not %s", a_kind(x));
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
		if (ft->kind != DOC_TABLE) {
			diag_error(D->d, ft->loc, "each field must be a table, not %s",
				   a_kind(ft));
			it->layout_failed = true;
			continue;
		}
		check_keys(D, ft, "field", field_keys, ARRAY_LEN(field_keys));
		/* the slot may hold a field dropped for an error (a field
		 * without a type does not count): start afresh, or its 'when'
		 * count would index past the arrays allocated below */
		memset(f, 0, sizeof *f);
		f->loc = ft->loc;
		f->name_loc = ft->loc;
		f->tag_index = -1;
		if (entry(ft, "name"))
			f->name = get_name(D, ft, "field", &f->name_loc);
		f->desc = get_string(D, ft, "description", "field", NULL);
		decode_only(D, ft, &f->cond);
		f->tag = get_string(D, ft, "tag", "field", &f->tag_loc);
		decode_when(D, ft, f);
		bits = entry(ft, "bits");
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
		typ = entry(ft, "typ");
		D->cur = it;
		D->field_name = f->name;
		if (typ)
			f->type = decode_type(D, typ->value, depth);
		D->cur = saved;
		if (f->type) {
			/* an inline type exists where the field defining it does */
			Type *in = f->type;
			while (in->kind == TY_ARRAY)
				in = in->elem;
			if (in->kind == TY_INLINE)
				in->item->cond = f->cond;
		}
		if (f->type && !entry(ft, "name") && f->type->kind != TY_INLINE) {
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
				   a_kind(list->u.array.v[i]));
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
	const DocEntry *op = entry(t, "op");
	const DocNode *ot;
	Loc l;
	if (!op || !expect_kind(D, op->value, DOC_TABLE, "op", "struct"))
		return;
	ot = op->value;
	check_keys(D, ot, "op", op_keys, ARRAY_LEN(op_keys));
	it->op_loc = ot->loc;
	it->op_family = get_string(D, ot, "family", "op", &l);
	it->op_name = get_string(D, ot, "name", "op", &l);
	if (!get_int(D, ot, "cmd", "op", &it->op_cmd, &l)) {
		it->op_family = NULL;
	} else if (it->op_cmd < 0 || it->op_cmd > UINT32_MAX) {
		diag_error(D->d, l, "op cmd %lld does not fit in 32 bits",
			   (long long)it->op_cmd);
		it->op_family = NULL;
	}
}

static void decode_struct(Dec *D, const DocNode *t, ItemKind k)
{
	const char *what = item_kind_name(k);
	const DocNode *fields;
	const char *name;
	Loc name_loc = t->loc;
	Item *it;

	if (k == IT_STRUCT)
		check_keys(D, t, what, struct_keys, ARRAY_LEN(struct_keys));
	else
		check_keys(D, t, what, union_keys, ARRAY_LEN(union_keys));
	name = get_name(D, t, what, &name_loc);
	if (!name)
		return;
	it = new_item(D, k, t->loc, name, name_loc);
	it->desc = get_string(D, t, "description", what, NULL);
	decode_only(D, t, &it->cond);
	decode_c(D, t, &it->c);
	decode_abi(D, t, it);
	if (k == IT_STRUCT)
		decode_op(D, t, it);
	fields = get_table_array(D, t, "fields", what);
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
	it = new_item(D, k, t->loc, name, name_loc);
	it->desc = get_string(D, t, "description", what, NULL);
	decode_only(D, t, &it->cond);
	decode_c(D, t, &it->c);
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
				   k == IT_ENUM ? "an integer type (u8..u64, i8..i64, "
						  "int, uint, long, ulong, ...)"
						: "an unsigned integer type (u8..u64, uint, "
						  "ulong, uint64_t)");
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
			memset(v, 0, sizeof *v); /* maybe a dropped variant's slot */
			check_keys(D, vt, "variant", variant_keys,
				   ARRAY_LEN(variant_keys));
			v->loc = v->name_loc = v->value_loc = vt->loc;
			v->name = get_name(D, vt, "variant", &v->name_loc);
			v->desc = get_string(D, vt, "description", "variant", NULL);
			v->compat = get_strings(D, vt, "compat", "variant", &v->ncompat);
			if (get_int(D, vt, "value", "variant", &v->value,
				    &v->value_loc) && v->name)
				it->nvariants++;
		} else {
			Bit *b = &it->bits[it->nbits];
			Loc wl;
			memset(b, 0, sizeof *b); /* maybe a dropped bit's slot */
			check_keys(D, vt, "bit", bit_keys, ARRAY_LEN(bit_keys));
			b->loc = b->name_loc = b->shift_loc = vt->loc;
			b->name = get_name(D, vt, "bit", &b->name_loc);
			b->desc = get_string(D, vt, "description", "bit", NULL);
			b->compat = get_strings(D, vt, "compat", "bit", &b->ncompat);
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
	const char *name;
	Loc name_loc = t->loc;
	Item *it;
	check_keys(D, t, "alias", alias_keys, ARRAY_LEN(alias_keys));
	name = get_name(D, t, "alias", &name_loc);
	if (!name)
		return;
	it = new_item(D, IT_ALIAS, t->loc, name, name_loc);
	it->desc = get_string(D, t, "description", "alias", NULL);
	decode_only(D, t, &it->cond);
	decode_c(D, t, &it->c);
	decode_abi(D, t, it);
	typ = entry(t, "typ");
	if (!typ) {
		it->layout_failed = true;
		return;
	}
	/* { x86 = "ulong", arm = "uint64_t" }: one type per architecture */
	if (typ->value->kind == DOC_TABLE && typ->value->u.table.n &&
	    arch_from_name(typ->value->u.table.v[0].key) >= 0) {
		uint32_t i;
		check_keys(D, typ->value, "per-architecture type", arch_keys,
			   ARRAY_LEN(arch_keys));
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
	it->alias = decode_type(D, typ->value, 0);
	if (!it->alias)
		it->layout_failed = true;
}

static void decode_const(Dec *D, const DocNode *t)
{
	const DocEntry *typ;
	const char *name;
	Loc name_loc = t->loc;
	Item *it;
	check_keys(D, t, "const", const_keys, ARRAY_LEN(const_keys));
	name = get_name(D, t, "const", &name_loc);
	if (!name)
		return;
	it = new_item(D, IT_CONST, t->loc, name, name_loc);
	it->desc = get_string(D, t, "description", "const", NULL);
	decode_only(D, t, &it->cond);
	decode_c(D, t, &it->c);
	it->value_loc = t->loc;
	get_int(D, t, "value", "const", &it->value, &it->value_loc);
	typ = entry(t, "typ");
	if (typ) {
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

/* [abi] invariant = true: settings of the whole unit. */
static void decode_unit_abi(Dec *D, const DocNode *root)
{
	const DocEntry *e = entry(root, "abi");
	bool inv = false;
	if (!e || !expect_kind(D, e->value, DOC_TABLE, "abi", "spec file"))
		return;
	check_keys(D, e->value, "abi", unit_abi_keys, ARRAY_LEN(unit_abi_keys));
	if (get_bool(D, e->value, "invariant", "abi", &inv) && inv) {
		D->u->invariant = true;
		D->u->invariant_loc = e->value->loc;
	}
}

void spec_decode(Spec *s, Diag *d, Unit *u, const SpecFile *f,
		 const DocNode *root)
{
	Dec D;
	const DocNode *list;
	uint32_t i;
	enum { S_INCLUDE, S_CONST, S_ALIAS, S_ITEM };
	static const struct {
		const char *key;
		int what;
		ItemKind kind;
	} sections[] = {
		{"includes", S_INCLUDE, IT_ANY}, {"consts", S_CONST, IT_CONST},
		{"aliases", S_ALIAS, IT_ALIAS},  {"enums", S_ITEM, IT_ENUM},
		{"bitmaps", S_ITEM, IT_BITMAP},  {"structs", S_ITEM, IT_STRUCT},
		{"unions", S_ITEM, IT_UNION},
	};
	size_t k;

	memset(&D, 0, sizeof D);
	D.s = s;
	D.d = d;
	D.u = u;
	(void)f;
	if (root->kind != DOC_TABLE) {
		diag_error(d, root->loc,
			   "a spec file must hold a table of sections (structs, "
			   "unions, enums, bitmaps, aliases, consts, includes), "
			   "not %s",
			   a_kind(root));
		return;
	}
	check_keys(&D, root, "spec file", top_keys, ARRAY_LEN(top_keys));
	decode_unit_abi(&D, root);
	/* Items keep the order they are written in within a section; the
	 * sections themselves are taken in a fixed order. */
	for (k = 0; k < ARRAY_LEN(sections); k++) {
		list = get_table_array(&D, root, sections[k].key, "spec file");
		if (!list)
			continue;
		for (i = 0; i < list->u.array.n; i++) {
			const DocNode *t = list->u.array.v[i];
			switch (sections[k].what) {
			case S_INCLUDE: decode_include(&D, t); break;
			case S_CONST: decode_const(&D, t); break;
			case S_ALIAS: decode_alias(&D, t); break;
			default:
				if (sections[k].kind == IT_STRUCT ||
				    sections[k].kind == IT_UNION)
					decode_struct(&D, t, sections[k].kind);
				else
					decode_enum(&D, t, sections[k].kind);
			}
			if (diag_full(d))
				return;
		}
	}
}
