/*
 * diff.c - compare the ABI facts of two spec trees, target by target, and
 * classify each change.
 *
 * The facts of a target are sorted by name (abi_facts.c), so the two
 * sides are walked together once, like a merge: linear.  Within a type,
 * members are matched by name through a hash table, and a member of the
 * old side that is gone is looked up by its place (offset, size, bit
 * field, type) among the new members nobody claimed: found, it was
 * renamed.
 *
 * The classes (docs/abi-evolution.md):
 *
 *   breaking     a layout change of a type that exists on both sides (its
 *                size, alignment, a member moved, resized, removed or
 *                renamed, or added where it moves something), a handle's
 *                width, a removed name, a changed value, a condition that
 *                now asks more of a build, a function-like macro's new
 *                parameters or body, a value that becomes a macro or back
 *   needs-bump   a breaking change of a type that an [abi] bump rule of
 *                either side governs, while the rule's version constant
 *                kept its value on that target; with a new value, the
 *                change is versioned: compatible, and says so
 *   compatible   anything added that moves nothing, a type spelt
 *                differently with the same layout, a condition relaxed,
 *                the new value of a version constant
 */
#include "diff/diff.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const diff_class_names[NDIFFCLASSES] = {
	[DC_BREAKING] = "breaking", [DC_NEEDS_BUMP] = "needs-bump",
	[DC_COMPATIBLE] = "compatible",
};
const char *const diff_change_names[NDIFFCHANGES] = {
	[DCH_ADDED] = "added",   [DCH_REMOVED] = "removed",
	[DCH_LAYOUT] = "layout", [DCH_VALUE] = "value",
	[DCH_TYPE] = "type",     [DCH_CONDITION] = "condition",
	[DCH_PARAMETERS] = "parameters", [DCH_BODY] = "body",
};

typedef struct Rule {
	const char *constant;
	const char *const *types;
	size_t ntypes;
} Rule;

typedef struct Cmp {
	DiffResult *r;
	const AbiFacts *old, *new_;
	Rule *rules;
	size_t nrules;
	int t;
	size_t seq;
	Buf tmp;
} Cmp;

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static DiffEntry *change(Cmp *C, const AbiEntry *e, DiffChange ch,
			 DiffClass cls, const char *root, const char *fmt, ...)
{
	DiffResult *r = C->r;
	DiffEntry *x;
	va_list ap;
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
	x = &r->v[r->n++];
	memset(x, 0, sizeof *x);
	x->target = C->t;
	x->kind = e->kind;
	x->item = e->name;
	x->change = ch;
	x->cls = cls;
	x->root = root;
	x->seq = C->seq++;
	buf_clear(&C->tmp);
	va_start(ap, fmt);
	buf_vprintf(&C->tmp, fmt, ap);
	va_end(ap);
	x->detail = arena_strdup(&r->arena, buf_cstr(&C->tmp));
	return x;
}

/* Constants and enumerators share C's one namespace of values: a
 * constant that becomes an enumerator is the same name. */
static int kind_rank(AbiKind k)
{
	return k == AK_ENUMERATOR || k == AK_MACRO ? AK_CONSTANT : (int)k;
}

static int cmp_fact(const AbiEntry *a, const AbiEntry *b)
{
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return kind_rank(a->kind) - kind_rank(b->kind);
}

static const char *value_str(Cmp *C, const AbiEntry *e)
{
	Buf b = {0};
	const char *s;
	abi_value_string(&b, e);
	s = arena_strdup(&C->r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *member_str(Cmp *C, const AbiMember *m)
{
	Buf b = {0};
	const char *s;
	abi_member_string(&b, m);
	s = arena_strdup(&C->r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *cond_or_none(const char *c)
{
	return *c ? c : "none";
}

/* Does the new condition ask nothing the old one did not: each of its
 * restrictions (" && "-joined, sorted) is one of the old's? */
static bool cond_relaxed(const char *old, const char *new_)
{
	const char *p = new_;
	size_t oldn = strlen(old);
	while (*p) {
		const char *end = strstr(p, " && ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *q = old;
		bool found = false;
		while (q && *q) {
			const char *qe = strstr(q, " && ");
			size_t qn = qe ? (size_t)(qe - q) : strlen(q);
			if (qn == n && memcmp(p, q, n) == 0) {
				found = true;
				break;
			}
			q = qe ? qe + 4 : old + oldn;
		}
		if (!found)
			return false;
		p = end ? end + 4 : p + n;
	}
	return true;
}

static void compare_cond(Cmp *C, const AbiEntry *o, const AbiEntry *n)
{
	if (strcmp(o->cond, n->cond) == 0)
		return;
	change(C, n, DCH_CONDITION,
	       cond_relaxed(o->cond, n->cond) ? DC_COMPATIBLE : DC_BREAKING,
	       n->root, "%s -> %s", cond_or_none(o->cond),
	       cond_or_none(n->cond));
}

/* The place of a member, for finding it again under another name. */
static const char *member_key(Buf *b, const AbiMember *m)
{
	buf_clear(b);
	buf_printf(b, "%llu/%llu/%u@%u/%s", (unsigned long long)m->offset,
		   (unsigned long long)m->size, m->bits, m->bit_offset, m->type);
	return buf_cstr(b);
}

static void compare_members(Cmp *C, const AbiEntry *o, const AbiEntry *n)
{
	HMap byname, byplace;
	Buf key = {0};
	bool *claimed = xcalloc(n->nmembers + 1, sizeof *claimed);
	size_t *next = xcalloc(n->nmembers + 1, sizeof *next);
	size_t *gone = xcalloc(o->nmembers + 1, sizeof *gone);
	size_t ngone = 0, i;
	bool moves = o->size != n->size || o->align != n->align;
	const char *root = n->root;

	hmap_init(&byname);
	hmap_init(&byplace);
	/* the tables hold members; their index is their place in n */
	for (i = 0; i < n->nmembers; i++)
		hmap_put(&byname, n->members[i].name, strlen(n->members[i].name),
			 &n->members[i]);
	for (i = 0; i < o->nmembers; i++) {
		const AbiMember *om = &o->members[i];
		const AbiMember *nm = hmap_gets(&byname, om->name);
		if (!nm) {
			gone[ngone++] = i;
			continue;
		}
		claimed[nm - n->members] = true;
		if (om->offset != nm->offset)
			change(C, n, DCH_LAYOUT, DC_BREAKING, root,
			       "member '%s': offset %llu -> %llu", om->name,
			       (unsigned long long)om->offset,
			       (unsigned long long)nm->offset);
		if (om->size != nm->size)
			change(C, n, DCH_LAYOUT, DC_BREAKING, root,
			       "member '%s': size %llu -> %llu", om->name,
			       (unsigned long long)om->size,
			       (unsigned long long)nm->size);
		if (om->bits != nm->bits || om->bit_offset != nm->bit_offset)
			change(C, n, DCH_LAYOUT, DC_BREAKING, root,
			       "member '%s': bit field %u@%u -> %u@%u", om->name,
			       om->bits, om->bit_offset, nm->bits, nm->bit_offset);
		if (strcmp(om->type, nm->type) != 0)
			change(C, n, DCH_TYPE, DC_COMPATIBLE, root,
			       "member '%s': type %s -> %s", om->name, om->type,
			       nm->type);
	}
	/* the members nobody claimed by name, by place; members with the
	 * same place chained through next[] (index + 1), first one first */
	for (i = n->nmembers; i-- > 0;) {
		const char *p;
		const AbiMember *prev;
		if (claimed[i])
			continue;
		p = arena_strdup(&C->r->arena, member_key(&key, &n->members[i]));
		prev = hmap_put(&byplace, p, strlen(p), &n->members[i]);
		next[i] = prev ? (size_t)(prev - n->members) + 1 : 0;
	}
	for (i = 0; i < ngone; i++) {
		const AbiMember *om = &o->members[gone[i]];
		const AbiMember *cand = hmap_gets(&byplace, member_key(&key, om));
		size_t k = cand ? (size_t)(cand - n->members) + 1 : 0;
		while (k && claimed[k - 1])
			k = next[k - 1];
		if (k) {
			claimed[k - 1] = true;
			change(C, n, DCH_LAYOUT, DC_BREAKING, root,
			       "member '%s' renamed to '%s'", om->name,
			       n->members[k - 1].name);
			continue;
		}
		change(C, n, DCH_LAYOUT, DC_BREAKING, root,
		       "member '%s' removed (%s)", om->name, member_str(C, om));
	}
	for (i = 0; i < n->nmembers; i++)
		if (!claimed[i])
			change(C, n, DCH_LAYOUT, moves ? DC_BREAKING : DC_COMPATIBLE,
			       root, "member '%s' added (%s)", n->members[i].name,
			       member_str(C, &n->members[i]));
	hmap_free(&byname);
	hmap_free(&byplace);
	buf_free(&key);
	free(claimed);
	free(next);
	free(gone);
}

static void compare_entry(Cmp *C, const AbiEntry *o, const AbiEntry *n)
{
	const char *root = n->root;
	/* a function-like macro and a value are used differently: a code
	 * that names one does not compile (or means another thing) with the
	 * other */
	bool macro_kind = (o->kind == AK_MACRO) != (n->kind == AK_MACRO);
	if (o->kind != n->kind || strcmp(o->what, n->what) != 0)
		change(C, n, DCH_TYPE, macro_kind ? DC_BREAKING : DC_COMPATIBLE,
		       root, "%s %s -> %s %s", abi_kind_names[o->kind], o->what,
		       abi_kind_names[n->kind], n->what);
	if (macro_kind) {
		compare_cond(C, o, n);
		return;
	}
	switch (n->kind) {
	case AK_TYPE:
		if (o->size != n->size)
			change(C, n, DCH_LAYOUT, DC_BREAKING, root,
			       "size %llu -> %llu", (unsigned long long)o->size,
			       (unsigned long long)n->size);
		if (o->align != n->align)
			change(C, n, DCH_LAYOUT, DC_BREAKING, root,
			       "alignment %llu -> %llu", (unsigned long long)o->align,
			       (unsigned long long)n->align);
		if ((o->type || n->type) &&
		    (!o->type || !n->type || strcmp(o->type, n->type) != 0))
			change(C, n, DCH_TYPE, DC_COMPATIBLE, root, "%s -> %s",
			       o->type ? o->type : "none", n->type ? n->type : "none");
		if (o->nmembers || n->nmembers)
			compare_members(C, o, n);
		break;
	case AK_HANDLE:
		if (o->size != n->size)
			change(C, n, DCH_LAYOUT, DC_BREAKING, root,
			       "width %llu -> %llu", (unsigned long long)o->size,
			       (unsigned long long)n->size);
		break;
	case AK_MACRO:
		if (strcmp(o->params, n->params) != 0)
			change(C, n, DCH_PARAMETERS, DC_BREAKING, root, "%s -> %s",
			       o->params, n->params);
		if (strcmp(o->body, n->body) != 0)
			change(C, n, DCH_BODY, DC_BREAKING, root, "%s -> %s",
			       o->body, n->body);
		break;
	default:
		if (o->value != n->value)
			change(C, n, DCH_VALUE, DC_BREAKING, root, "%s -> %s",
			       value_str(C, o), value_str(C, n));
		if (strcmp(o->type, n->type) != 0)
			change(C, n, DCH_TYPE, DC_COMPATIBLE, root, "%s -> %s",
			       *o->type ? o->type : "none",
			       *n->type ? n->type : "none");
		break;
	}
	compare_cond(C, o, n);
}

static void describe(Cmp *C, Buf *b, const AbiEntry *e)
{
	buf_clear(b);
	switch (e->kind) {
	case AK_TYPE:
		buf_printf(b, "%s, size %llu, alignment %llu", e->what,
			   (unsigned long long)e->size, (unsigned long long)e->align);
		break;
	case AK_HANDLE:
		buf_printf(b, "width %llu", (unsigned long long)e->size);
		break;
	case AK_MACRO:
		buf_printf(b, "macro %s %s", e->params, e->body);
		break;
	default:
		buf_printf(b, "%s %s", e->what, value_str(C, e));
		break;
	}
	if (*e->cond)
		buf_printf(b, ", if %s", e->cond);
}

static void added(Cmp *C, const AbiEntry *n)
{
	Buf b = {0};
	describe(C, &b, n);
	change(C, n, DCH_ADDED, DC_COMPATIBLE, n->root, "%s", buf_cstr(&b));
	buf_free(&b);
}

static void removed(Cmp *C, const AbiEntry *o)
{
	Buf b = {0};
	describe(C, &b, o);
	change(C, o, DCH_REMOVED, DC_BREAKING, o->root, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* The constant's entry on a target, or NULL (binary search: the facts
 * are sorted). */
static const AbiEntry *find_value(const AbiFacts *f, int t, const char *name)
{
	size_t lo = 0, hi = f->n[t];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const AbiEntry *e = &f->entries[t][mid];
		int c = strcmp(e->name, name);
		if (!c)
			c = kind_rank(e->kind) - AK_CONSTANT;
		if (c == 0)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const Rule *rule_for(const Cmp *C, const char *root)
{
	size_t i, k;
	for (i = 0; i < C->nrules; i++)
		for (k = 0; k < C->rules[i].ntypes; k++)
			if (bump_pattern_match(C->rules[i].types[k], root))
				return &C->rules[i];
	return NULL;
}

static bool is_version(const Cmp *C, const char *name)
{
	size_t i;
	for (i = 0; i < C->nrules; i++)
		if (strcmp(C->rules[i].constant, name) == 0)
			return true;
	return false;
}

/* The bump rules on the changes of target t found since index from. */
static void apply_rules(Cmp *C, size_t from)
{
	size_t i;
	for (i = from; i < C->r->n; i++) {
		DiffEntry *x = &C->r->v[i];
		const Rule *rule;
		const AbiEntry *ov, *nv;
		if (x->cls != DC_BREAKING)
			continue;
		if (x->kind != AK_TYPE && x->kind != AK_HANDLE) {
			/* the version constant's own new value is the point */
			if (x->change == DCH_VALUE && is_version(C, x->item)) {
				x->cls = DC_COMPATIBLE;
				x->detail = arena_printf(&C->r->arena, "%s (a version "
							 "bump)", x->detail);
			}
			continue;
		}
		rule = rule_for(C, x->root);
		if (!rule)
			continue;
		ov = find_value(C->old, C->t, rule->constant);
		nv = find_value(C->new_, C->t, rule->constant);
		if (ov && nv && ov->value == nv->value) {
			Buf b = {0};
			abi_value_string(&b, ov);
			x->cls = DC_NEEDS_BUMP;
			x->detail = arena_printf(&C->r->arena, "%s (%s unchanged: %s)",
						 x->detail, rule->constant,
						 buf_cstr(&b));
			buf_free(&b);
		} else if (nv) {
			Buf b = {0};
			if (ov) {
				abi_value_string(&b, ov);
				buf_puts(&b, " -> ");
			}
			abi_value_string(&b, nv);
			x->cls = DC_COMPATIBLE;
			x->detail = arena_printf(&C->r->arena, "%s (versioned: %s %s)",
						 x->detail, rule->constant,
						 buf_cstr(&b));
			buf_free(&b);
		}
	}
}

static void add_rules(Cmp *C, const Spec *s, size_t *cap)
{
	size_t i, j;
	for (i = 0; i < s->nunits; i++)
		for (j = 0; j < s->units[i]->nbumps; j++) {
			const UnitBump *b = &s->units[i]->bumps[j];
			C->rules = xgrow(C->rules, cap, C->nrules + 1, sizeof *C->rules);
			C->rules[C->nrules].constant = b->constant;
			C->rules[C->nrules].types = b->types;
			C->rules[C->nrules++].ntypes = b->ntypes;
		}
}

void diff_compute(DiffResult *r, const DiffSide *old, const DiffSide *new_,
		  Diag *d)
{
	Cmp C;
	size_t cap = 0;
	int t;
	memset(r, 0, sizeof *r);
	arena_init(&r->arena);
	memset(&C, 0, sizeof C);
	C.r = r;
	C.old = &old->facts;
	C.new_ = &new_->facts;
	/* the new side's rules first: a rule the change adds applies to it */
	add_rules(&C, new_->spec, &cap);
	add_rules(&C, old->spec, &cap);
	for (t = 0; t < NTARGETS; t++) {
		const AbiEntry *o = C.old->entries[t], *n = C.new_->entries[t];
		size_t i = 0, j = 0, no = C.old->n[t], nn = C.new_->n[t];
		size_t from = r->n;
		if (C.old->covered[t] != C.new_->covered[t])
			diag_note(d, NO_LOC, "%s is laid out in %s only: not compared",
				  targets[t].name, C.old->covered[t] ? old->arg
				  : new_->arg);
		if (!C.old->covered[t] || !C.new_->covered[t])
			continue;
		r->compared[t] = true;
		C.t = t;
		while (i < no || j < nn) {
			int c;
			if (j == nn)
				c = -1;
			else if (i == no)
				c = 1;
			else
				c = cmp_fact(&o[i], &n[j]);
			if (c < 0)
				removed(&C, &o[i++]);
			else if (c > 0)
				added(&C, &n[j++]);
			else
				compare_entry(&C, &o[i++], &n[j++]);
		}
		apply_rules(&C, from);
	}
	free(C.rules);
	buf_free(&C.tmp);
}

void diff_result_free(DiffResult *r)
{
	free(r->v);
	arena_free(&r->arena);
	memset(r, 0, sizeof *r);
}

size_t diff_failures(const DiffResult *r)
{
	size_t i, n = 0;
	for (i = 0; i < r->n; i++)
		n += r->v[i].cls != DC_COMPATIBLE;
	return n;
}
