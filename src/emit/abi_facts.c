/*
 * abi_facts.c - the ABI of a checked, laid-out spec as facts, per target:
 * each type's size and alignment and each member's offset, size, bit field
 * and type; each guest handle's width; each constant's and enumerator's
 * value and type; each function-like macro's parameters and body; the condition (build, interface version) under which
 * each exists.  Names are those of the generated C (cnames.c), so that the
 * facts can be held against what a compiler says of the headers.
 *
 * Two readers: the abi-summary backend (abi_summary.c) writes them as
 * lines, and `xenbindgen diff` (src/diff/) compares the facts of two spec
 * trees.  Both read the same facts, so a line of the summary changes
 * exactly when diff reports a change.
 *
 * Entries of a target are sorted by name (then kind): the order of files,
 * of the directory or of items in a file never shows.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

const char *const abi_kind_names[NABIKINDS] = {
	[AK_TYPE] = "type",           [AK_CONSTANT] = "constant",
	[AK_ENUMERATOR] = "enumerator", [AK_MACRO] = "macro",
	[AK_HANDLE] = "handle",
};

typedef struct Facts {
	AbiFacts *f;
	Spec *s;
	const bool *pointed;
	Buf tmp;
	size_t cap[NTARGETS];
} Facts;

static AbiEntry *add(Facts *F, int t, AbiKind kind, const char *name,
		     const char *what, const Item *it)
{
	AbiFacts *f = F->f;
	AbiEntry *e;
	const Item *root = it;
	f->entries[t] = xgrow(f->entries[t], &F->cap[t], f->n[t] + 1,
			      sizeof *f->entries[t]);
	e = &f->entries[t][f->n[t]++];
	memset(e, 0, sizeof *e);
	while (root->inline_type && root->parent)
		root = root->parent;
	e->kind = kind;
	e->name = arena_strdup(&f->arena, name);
	e->what = what;
	e->root = root->name;
	e->item = it;
	e->cond = "";
	return e;
}

/* A type in spec words, as it is on target t: a named type by its kind and
 * name however the spec refers to it, an array by its computed length. */
static void type_words(Buf *b, const Type *ty, int t)
{
	uint64_t n;
	switch (ty->kind) {
	case TY_PRIM:
		buf_puts(b, prim_name(ty->prim));
		return;
	case TY_NAMED: {
		const Item *it = ty->sym ? symbol_item_on(ty->sym, t)
					 : NULL;
		if (it)
			buf_printf(b, "%s %s", item_kind_name(it->kind), it->name);
		else
			buf_puts(b, ty->name);
		return;
	}
	case TY_PTR:
	case TY_HANDLE:
	case TY_CPTR:
		buf_puts(b, ty->kind == TY_PTR ? "ptr<" : ty->kind == TY_HANDLE
			    ? "handle<" : "cptr<");
		type_words(b, ty->elem, t);
		buf_putc(b, '>');
		return;
	case TY_ARRAY:
		type_words(b, ty->elem, t);
		if (ty->flex)
			buf_puts(b, "[]");
		else if (ty->count_expr && expr_eval(ty->count_expr, t, &n) ==
			 LAYOUT_OK)
			buf_printf(b, "[%llu]", (unsigned long long)n);
		else
			buf_printf(b, "[%llu]", (unsigned long long)ty->count);
		return;
	case TY_INLINE:
		buf_printf(b, "%s %s", item_kind_name(ty->item->kind),
			   ty->item->name);
		return;
	}
}

static const char *type_string(Facts *F, const Type *ty, int t)
{
	buf_clear(&F->tmp);
	type_words(&F->tmp, ty, t);
	return arena_strdup(&F->f->arena, buf_cstr(&F->tmp));
}

/* The restrictions of a condition other than targets (which decide where
 * an entry exists): words in C, sorted so that a condition reads the same
 * however the spec orders its keys. */
static void cond_words(const Cond *c, const char **w, size_t *n, Arena *a)
{
	size_t i;
	if (c->hypervisor)
		w[(*n)++] = "defined(__XEN__)";
	else if (c->tools)
		w[(*n)++] = "defined(__XEN_TOOLS__)";
	if (c->not_tools)
		w[(*n)++] = "!defined(__XEN_TOOLS__)";
	else if (c->not_hypervisor)
		w[(*n)++] = "!defined(__XEN__)";
	if (c->since)
		w[(*n)++] = arena_printf(a, "__XEN_INTERFACE_VERSION__ >= 0x%08x",
					 (unsigned)c->since);
	if (c->assembly == COND_ASM_NOT)
		w[(*n)++] = "!defined(__ASSEMBLY__)";
	for (i = 0; i < c->nnot_defined; i++)
		w[(*n)++] = arena_printf(a, "!defined(%s)", c->not_defined[i]);
	if (c->c_if)
		w[(*n)++] = arena_printf(a, "(%s)", c->c_if);
}

static size_t cond_count(const Cond *c)
{
	return 6 + c->nnot_defined;
}

/* The condition of an entry: its own and its unit's (an inline type's
 * enclosing items decide where it exists, not when). */
static const char *cond_string(Facts *F, const Item *it, const Cond *own)
{
	const Cond *unit = it->unit->header.set ? &it->unit->header.cond : NULL;
	size_t cap = cond_count(own) + (unit ? cond_count(unit) : 0), n = 0, i;
	const char **w = xcalloc(cap, sizeof *w);
	const char *res;
	cond_words(own, w, &n, &F->f->arena);
	if (unit)
		cond_words(unit, w, &n, &F->f->arena);
	if (!n) {
		free(w);
		return "";
	}
	qsort(w, n, sizeof *w, cmp_str);
	buf_clear(&F->tmp);
	for (i = 0; i < n; i++) {
		/* the same restriction twice (item and unit) is one */
		if (i && strcmp(w[i], w[i - 1]) == 0)
			continue;
		if (F->tmp.len)
			buf_puts(&F->tmp, " && ");
		buf_puts(&F->tmp, w[i]);
	}
	free(w);
	res = arena_strdup(&F->f->arena, buf_cstr(&F->tmp));
	return res;
}

static void add_members(Facts *F, AbiEntry *e, const Item *it, int t)
{
	const Layout *l = it->layout[t];
	size_t i, anon = 0;
	e->members = arena_calloc(&F->f->arena, it->nfields + 1, sizeof *e->members);
	for (i = 0; i < it->nfields; i++) {
		const Field *fd = &it->fields[i];
		AbiMember *m;
		if (!l->fields[i].present)
			continue;
		m = &e->members[e->nmembers++];
		if (fd->name)
			m->name = fd->name;
		else if (anon++)
			m->name = arena_printf(&F->f->arena, "(anonymous %zu)", anon);
		else
			m->name = "(anonymous)";
		m->offset = l->fields[i].offset;
		m->size = l->fields[i].size;
		m->bits = fd->bits;
		m->bit_offset = fd->bits ? l->fields[i].bit_offset : 0;
		m->type = type_string(F, fd->type, t);
	}
}

static void add_type(Facts *F, const Item *it, int t)
{
	const Layout *l = it->layout[t];
	AbiEntry *e;
	if (!l)
		return;
	e = add(F, t, AK_TYPE, it->name, item_kind_name(it->kind), it);
	e->size = l->size;
	e->align = l->align;
	e->cond = cond_string(F, it, &it->cond);
	if (it->kind == IT_STRUCT || it->kind == IT_UNION)
		add_members(F, e, it, t);
	else if (it->kind == IT_ALIAS)
		e->type = type_string(F, it->arch_alias[targets[t].arch]
					  ? it->arch_alias[targets[t].arch]
					  : it->alias, t);
	else if (it->kind == IT_ENUM || it->kind == IT_BITMAP)
		e->type = prim_name(it->backing);
	/* DEFINE_XEN_GUEST_HANDLE(name): the handle of the typedef, as wide
	 * as the target makes a XEN_GUEST_HANDLE */
	if (!it->inline_type && (F->pointed[it->index] || it->c.handle) &&
	    it->kind != IT_ENUM && it->kind != IT_BITMAP) {
		const char *td = it->name;
		buf_clear(&F->tmp);
		if (it->kind != IT_ALIAS)
			td = c_typedef_name(&F->tmp, it, true);
		td = arena_printf(&F->f->arena, "__guest_handle_%s", td);
		e = add(F, t, AK_HANDLE, td, "handle", it);
		e->size = e->align = targets[t].handle_size;
		e->cond = cond_string(F, it, &it->cond);
	}
}

static AbiEntry *add_value(Facts *F, int t, AbiKind k, const char *name,
			   const char *what, const Item *it, const Cond *c,
			   int64_t value, const char *type, bool hex)
{
	AbiEntry *e = add(F, t, k, name, what, it);
	e->value = value;
	e->type = type;
	e->hex = hex;
	e->cond = cond_string(F, it, c);
	return e;
}

static void add_members_values(Facts *F, const Item *it, int t)
{
	const char *type = prim_name(it->backing);
	uint64_t all = 0;
	size_t i;
	Buf n = {0};
	for (i = 0; i < it->nvariants; i++) {
		const Variant *v = &it->variants[i];
		if (!cond_on_target(&v->cond, t))
			continue;
		buf_clear(&n);
		c_member_macro(&n, it, v->name);
		add_value(F, t, AK_ENUMERATOR, buf_cstr(&n), "variant", it, &v->cond,
			  v->value, type, false);
	}
	for (i = 0; i < it->nbits; i++) {
		const Bit *bt = &it->bits[i];
		uint64_t mask;
		if (!cond_on_target(&bt->cond, t))
			continue;
		mask = (bt->width >= 64 ? ~(uint64_t)0
			: ((uint64_t)1 << bt->width) - 1) << bt->shift;
		all |= mask;
		buf_clear(&n);
		c_member_macro(&n, it, bt->name);
		add_value(F, t, AK_ENUMERATOR, buf_cstr(&n), "bit", it, &bt->cond,
			  (int64_t)mask, type, true);
	}
	buf_clear(&n);
	if (it->kind == IT_BITMAP && c_all_macro(&n, it))
		add_value(F, t, AK_ENUMERATOR, buf_cstr(&n), "mask", it, &it->cond,
			  (int64_t)all, type, true);
	buf_free(&n);
}

/* Is a hexadecimal literal written anywhere in e?  Then its value reads
 * better in hex too (xen_mk_uint(0x7FF3), 0xFFUL << 4). */
static bool expr_has_hex(const Expr *e)
{
	size_t i;
	if (!e)
		return false;
	if (e->kind == EX_NUM && !e->decimal && e->text &&
	    (e->text[1] == 'x' || e->text[1] == 'X'))
		return true;
	if (expr_has_hex(e->l) || expr_has_hex(e->r) || expr_has_hex(e->c))
		return true;
	for (i = 0; i < e->nargs; i++)
		if (expr_has_hex(e->args[i]))
			return true;
	return false;
}

/* A constant: its value as given, or as the expression language computes
 * it on the target (an expression's value may differ between targets:
 * unsigned long is 32 bits on x86_32).  Its type is the one the spec
 * names, if any: the C type of an expression is not a fact (yet), so the
 * summaries written before expressions existed read the same.  A string
 * constant or an alias of a type has no integer value and no fact. */
static void add_const(Facts *F, Item *it, int t)
{
	const char *type = it->const_type ? type_string(F, it->const_type, t) : "";
	int64_t value = it->value;
	bool hex = it->c.hex, uns = false;
	if (it->expr && !it->int_value) {
		Value v;
		if (const_value(F->s, it, t, &v) != EV_OK)
			return;
		value = (int64_t)v.v;
		hex = expr_has_hex(it->expr);
		/* 0xFFFF800000000000 is an unsigned long, not negative */
		uns = value < 0 && !ctype_signed(v.type, t);
	} else if (it->string || it->alias_of) {
		return;
	}
	add_value(F, t, AK_CONSTANT, it->name, "const", it, &it->cond, value,
		  type, hex)->uns = uns;
}

/* A function-like macro: what a caller sees, its parameters and its body
 * as the C header spells it (the expression language's own spelling, so
 * that a change of spaces or redundant parentheses in the spec is none). */
static void add_macro(Facts *F, const Item *it, int t)
{
	AbiEntry *e = add(F, t, AK_MACRO, it->name, "macro", it);
	size_t i;
	buf_clear(&F->tmp);
	buf_putc(&F->tmp, '(');
	for (i = 0; i < it->nparams; i++)
		buf_printf(&F->tmp, "%s%s", i ? ", " : "", it->params[i]);
	buf_putc(&F->tmp, ')');
	e->params = arena_strdup(&F->f->arena, buf_cstr(&F->tmp));
	buf_clear(&F->tmp);
	if (it->expr)
		expr_write_c_macro(&F->tmp, it->expr);
	e->body = arena_strdup(&F->f->arena, buf_cstr(&F->tmp));
	e->type = "";
	e->cond = cond_string(F, it, &it->cond);
}

static int cmp_entry(const void *a, const void *b)
{
	const AbiEntry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	/* one name defined twice on a target (a spec error caught before):
	 * still a total order */
	return x->item->index < y->item->index ? -1
	       : x->item->index > y->item->index;
}

void abi_facts_build(AbiFacts *f, Spec *s)
{
	Facts F;
	size_t i;
	int t;
	memset(f, 0, sizeof *f);
	arena_init(&f->arena);
	memset(&F, 0, sizeof F);
	F.f = f;
	F.s = s;
	F.pointed = c_pointed(s);
	for (t = 0; t < NTARGETS; t++) {
		f->covered[t] = s->covered[t];
		if (!s->covered[t])
			continue;
		for (i = 0; i < s->nitems; i++) {
			Item *it = s->items[i];
			if (!item_on_target(it, t))
				continue;
			switch (it->kind) {
			case IT_CONST:
				add_const(&F, it, t);
				break;
			case IT_MACRO:
				add_macro(&F, it, t);
				break;
			case IT_ENUM:
			case IT_BITMAP:
				add_type(&F, it, t);
				add_members_values(&F, it, t);
				break;
			default:
				add_type(&F, it, t);
				if (it->op_family && it->op_name && !it->op_ref)
					add_value(&F, t, AK_CONSTANT, it->op_name, "op", it,
						  &it->cond, it->op_cmd, "", false);
				break;
			}
		}
		if (f->n[t])
			qsort(f->entries[t], f->n[t], sizeof *f->entries[t], cmp_entry);
	}
	free((void *)F.pointed);
	buf_free(&F.tmp);
}

void abi_facts_free(AbiFacts *f)
{
	int t;
	for (t = 0; t < NTARGETS; t++)
		free(f->entries[t]);
	arena_free(&f->arena);
	memset(f, 0, sizeof *f);
}

void abi_value_string(Buf *b, const AbiEntry *e)
{
	if (e->hex && (e->value >= 0 || e->uns))
		buf_printf(b, "0x%llx", (unsigned long long)e->value);
	else if (e->uns)
		buf_printf(b, "%llu", (unsigned long long)e->value);
	else
		buf_printf(b, "%lld", (long long)e->value);
}

void abi_member_string(Buf *b, const AbiMember *m)
{
	buf_printf(b, "offset %llu size %llu", (unsigned long long)m->offset,
		   (unsigned long long)m->size);
	if (m->bits)
		buf_printf(b, " bits %u@%u", m->bits, m->bit_offset);
	buf_printf(b, " %s", m->type);
}
