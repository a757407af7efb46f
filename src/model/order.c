/*
 * order.c - the dependency order of items, and the cycles that forbid one.
 *
 * Layouts are computed, and C declarations emitted, with every item after
 * the items it contains by value or measures with sizeof(); otherwise the
 * spec's own order is kept.  The same walk finds the structs that contain
 * themselves, which check.c reports.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

/* ---- Cycles and dependency order ------------------------------------------
 * A struct that contains itself by value has no size.  Search each
 * architecture view (the containment graph can differ per view) with an
 * iterative depth-first walk: a hostile spec can chain many thousands of
 * structs, deeper than any call stack.  The same walk gives the order in
 * which layouts are computed and C declarations emitted. */

/* An edge of the graph: an item that must be complete before another,
 * because a field (or an alias) contains it by value or measures it with
 * sizeof() in an array length: uint8_t x[sizeof(struct b)] needs struct b
 * declared (and laid out) first, and a struct cannot measure itself. */
typedef struct Dep {
	Item *it;
	const Field *field; /* the field that needs it; NULL for an alias */
	bool measured;      /* through sizeof() */
} Dep;

typedef struct DepList {
	Dep *v;
	size_t n, cap;
} DepList;

typedef struct Frame {
	Item *it;
	DepList deps;
	size_t next; /* next dependency to visit */
} Frame;

/* The item a type contains by value (a struct, a union, an inline type or
 * an alias of one), or NULL. */
static Item *contained(const Type *t, int arch)
{
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	if (!t)
		return NULL;
	if (t->kind == TY_INLINE)
		return t->item;
	if (t->kind != TY_NAMED || !t->sym)
		return NULL;
	{
		Item *it = symbol_item(t->sym, arch);
		return it && (it->kind == IT_STRUCT || it->kind == IT_UNION ||
			      it->kind == IT_ALIAS) ? it : NULL;
	}
}

static void type_deps(DepList *l, const Type *t, int arch, const Field *f,
		      bool measured);

static void add_dep(DepList *l, Item *it, const Field *f, bool measured)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n].it = it;
	l->v[l->n].field = f;
	l->v[l->n++].measured = measured;
}

/* A name defined per target (Symbol.split) stands for one item on each
 * of the architecture's targets: what uses it needs all of them, not only
 * the first that symbol_item() gives (`first`, already added). */
static void split_deps(DepList *l, const Symbol *sym, const Item *first,
		       int arch, const Field *f, bool measured)
{
	int t;
	if (!sym->split)
		return;
	for (t = 0; t < NTARGETS; t++)
		if (sym->tgt[t] && sym->tgt[t] != first &&
		    (arch < 0 || targets[t].arch == arch) &&
		    (t == 0 || sym->tgt[t] != sym->tgt[t - 1]))
			add_dep(l, sym->tgt[t], f, measured);
}

/* What an expression needs computed first: the types it measures, the
 * constants it names and the macros it calls (whose bodies measure and
 * name more). */
static void expr_deps(DepList *l, const Expr *e, int arch, const Field *f)
{
	size_t i;
	while (e) {
		Item *it = NULL;
		if (e->kind == EX_SIZEOF)
			type_deps(l, e->type, arch, f, true);
		if ((e->kind == EX_NAME || e->kind == EX_CALL) && e->sym)
			it = symbol_item(e->sym, arch);
		if (it && (it->kind == IT_CONST || it->kind == IT_MACRO)) {
			add_dep(l, it, f, true);
			split_deps(l, e->sym, it, arch, f, true);
		}
		for (i = 0; i < e->nargs; i++)
			expr_deps(l, e->args[i], arch, f);
		if (e->c)
			expr_deps(l, e->c, arch, f);
		if (e->r)
			expr_deps(l, e->r, arch, f);
		e = e->l;
	}
}

/* What a type needs complete: the item it contains, and what the lengths
 * of its arrays measure (recursion bounded by MAX_TYPE_DEPTH and the
 * length of an expression). */
static void type_deps(DepList *l, const Type *t, int arch, const Field *f,
		      bool measured)
{
	Item *c = contained(t, arch);
	const Type *e = t;
	if (c)
		add_dep(l, c, f, measured);
	for (; t && t->kind == TY_ARRAY; t = t->elem)
		expr_deps(l, t->count_expr, arch, f);
	while (e && e->kind == TY_ARRAY)
		e = e->elem;
	if (c && e && e->kind == TY_NAMED && e->sym)
		split_deps(l, e->sym, c, arch, f, measured);
}

/* The dependencies of an item in the walk: its fields' types, or an
 * alias's type for the view. */
static void item_deps(DepList *l, const Item *it, int arch)
{
	size_t i;
	l->n = 0;
	if (it->kind == IT_CONST || it->kind == IT_MACRO) {
		expr_deps(l, it->expr, arch, NULL);
		return;
	}
	if (it->kind == IT_ALIAS) {
		type_deps(l, it->alias ? it->alias
			  : arch >= 0 ? it->arch_alias[arch] : NULL, arch, NULL,
			  false);
		return;
	}
	for (i = 0; i < it->nfields; i++)
		type_deps(l, it->fields[i].type, arch, &it->fields[i], false);
}

static bool in_view(const Item *it, int arch)
{
	return it->unit->arch < 0 || it->unit->arch == arch;
}

static void report_cycle(Diag *d, Frame *stack, size_t n, Item *target,
			 const Dep *closing)
{
	Buf path = {0};
	size_t i, start = 0;
	for (i = 0; i < n; i++)
		if (stack[i].it == target)
			start = i;
	for (i = start; i < n; i++)
		buf_printf(&path, "%s -> ", stack[i].it->name);
	buf_puts(&path, target->name);
	if (target->kind == IT_CONST || target->kind == IT_MACRO)
		diag_error(d, target->name_loc, "%s '%s' is defined in terms of "
			   "itself (%s)", item_kind_name(target->kind),
			   target->name, buf_cstr(&path));
	else
		diag_error(d, closing->field ? closing->field->name_loc
						: stack[n - 1].it->name_loc,
			   closing->measured
			   ? "%s '%s' needs its own size (%s, through sizeof); "
			     "remove the cycle"
			   : "%s '%s' contains itself by value (%s); use a pointer "
			     "or remove the cycle",
			   item_kind_name(target->kind), target->name,
			   buf_cstr(&path));
	buf_free(&path);
	for (i = start; i < n; i++)
		stack[i].it->layout_failed = true;
}

/* Depth-first walk of the dependency graph of one view.  Emits items in
 * post-order (an item after the items it needs, otherwise spec order) into
 * out, if given, and reports cycles through d, if given. */
size_t order_walk(Spec *s, int arch, Item **out, Diag *d)
{
	Frame *stack = NULL;
	size_t cap = 0, n = 0, i, nout = 0;
	/* visit: 0 new, 1 on the stack, 2 done (reset per walk) */
	for (i = 0; i < s->nitems; i++)
		s->items[i]->visit = 0;
	for (i = 0; i < s->nitems; i++) {
		Item *root = s->items[i];
		if (root->visit || !in_view(root, arch))
			continue;
		stack = xgrow(stack, &cap, n + 1, sizeof *stack);
		memset(&stack[n], 0, sizeof *stack);
		stack[n].it = root;
		item_deps(&stack[n++].deps, root, arch);
		root->visit = 1;
		while (n) {
			Frame *f = &stack[n - 1];
			const Dep *dep;
			Item *child;
			if (f->next >= f->deps.n) {
				f->it->visit = 2;
				if (out)
					out[nout] = f->it;
				nout++;
				free(f->deps.v);
				n--;
				continue;
			}
			dep = &f->deps.v[f->next++];
			child = dep->it;
			if (child->visit == 2)
				continue;
			if (child->visit == 1) {
				if (d && !child->layout_failed)
					report_cycle(d, stack, n, child, dep);
				continue;
			}
			child->visit = 1;
			stack = xgrow(stack, &cap, n + 1, sizeof *stack);
			memset(&stack[n], 0, sizeof *stack);
			stack[n].it = child;
			item_deps(&stack[n++].deps, child, arch);
		}
	}
	free(stack);
	return nout;
}

Item **order_items(Spec *s, int arch, size_t *n)
{
	Item **out = xcalloc(s->nitems ? s->nitems : 1, sizeof *out);
	*n = order_walk(s, arch, out, NULL);
	return out;
}

void order_units(Spec *s, UnitOrder *o)
{
	size_t i, k, n;
	int view;
	o->nunits = s->nunits;
	o->items = xcalloc(s->nunits + 1, sizeof *o->items);
	o->count = xcalloc(s->nunits + 1, sizeof *o->count);
	for (i = 0; i < s->nunits; i++)
		o->items[i] = xcalloc(s->units[i]->nitems + 1, sizeof **o->items);
	for (view = -1; view < NARCH; view++) {
		Item **order;
		if (view >= 0 && !s->arch_units[view])
			continue;
		order = order_items(s, view, &n);
		for (k = 0; k < n; k++) {
			Item *it = order[k];
			i = it->unit->index;
			if (it->unit->arch == view)
				o->items[i][o->count[i]++] = it;
		}
		free(order);
	}
}

void order_units_free(UnitOrder *o)
{
	size_t i;
	for (i = 0; i < o->nunits; i++)
		free(o->items[i]);
	free(o->items);
	free(o->count);
}
