/*
 * layout.c - the layout engine.
 *
 * C lays out a struct by placing each field at the next offset that is a
 * multiple of its alignment, and rounds the size up to the largest
 * alignment.  What differs between targets is only the data model: the size
 * of long and pointers, and how 64-bit integers are aligned (4 bytes in
 * i386's System V ABI, 8 in AAPCS and every 64-bit ABI).  Xen's
 * uint64_aligned_t and 64-bit guest handles are 8-aligned everywhere by
 * construction, in the tools' and the hypervisor's builds: a guest's build
 * of Xen's xen.h leaves them plain uint64_t and native handles, which on
 * x86_32 is another layout, computed too (the guest view, below).
 *
 * All arithmetic is on uint64_t and checked: an array whose byte size does
 * not fit is an error, never a wrapped number.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

static bool add_ok(uint64_t a, uint64_t b, uint64_t *r)
{
	if (b > UINT64_MAX - a)
		return false;
	*r = a + b;
	return true;
}

static bool align_up(uint64_t v, uint64_t a, uint64_t *r)
{
	uint64_t rem = v % a;
	return add_ok(v, rem ? a - rem : 0, r);
}


/* The largest object a target's C compiler accepts (PTRDIFF_MAX). */
static uint64_t max_object(int target)
{
	return targets[target].ptr_size == 4 ? 0x7fffffffu : INT64_MAX;
}

/* Say why a field's type has no layout on a target; false if the reason
 * was reported elsewhere. */
static void field_error(Diag *d, const Item *it, const Field *f, int target,
			LayoutStatus st)
{
	const char *fname = f->name ? f->name : "(anonymous)";
	switch (st) {
	case LAYOUT_OVERFLOW:
		diag_error(d, f->type->loc,
			   "the size of field '%s' of %s '%s' does not fit in 64 "
			   "bits", fname, item_kind_name(it->kind), it->name);
		break;
	case LAYOUT_ABSENT:
		diag_error(d, f->type->loc,
			   "field '%s' of %s '%s' exists on %s, but its type does "
			   "not (limit the field with `only`, or define the type "
			   "there)", fname, item_kind_name(it->kind), it->name,
			   targets[target].name);
		break;
	case LAYOUT_BADLEN: {
		/* why: the value, or what stopped its evaluation */
		const Type *t = f->type;
		const char *why = NULL;
		Value v;
		int est = EV_OK;
		for (; t->kind == TY_ARRAY; t = t->elem)
			if (t->count_expr && (est = eval_expr(t->count_expr->spec,
					t->count_expr, target, &v, &why)) != EV_OK)
				break;
		if (est == EV_ERROR)
			diag_error(d, f->type->loc,
				   "the length of array '%s' of %s '%s' cannot be "
				   "computed on %s: %s", fname,
				   item_kind_name(it->kind), it->name,
				   targets[target].name, why);
		else
			diag_error(d, f->type->loc,
				   "the length of array '%s' of %s '%s' is not a "
				   "positive number on %s", fname,
				   item_kind_name(it->kind), it->name,
				   targets[target].name);
		break;
	}
	case LAYOUT_OK:
	case LAYOUT_UNKNOWN:
		break; /* reported where the dependency failed */
	}
}

/* The layout l of it on target, kept in the model.  Most types have the
 * same layout on several targets (every target, unless they depend on long,
 * native handles or per-architecture items), so an equal layout of an
 * earlier target is shared rather than stored again: per-target copies of
 * the field offsets were the largest part of the model.  l is scratch. */
static Layout *keep(Spec *s, const Item *it, int target, const Layout *l)
{
	Layout *n;
	int u;
	for (u = 0; u < target; u++)
		if (it->layout[u] && layout_equal(it, it->layout[u], l))
			return it->layout[u];
	n = arena_alloc(&s->arena, sizeof *n);
	*n = *l;
	if (it->kind == IT_STRUCT || it->kind == IT_UNION) {
		n->fields = arena_calloc(&s->arena, it->nfields, sizeof *n->fields);
		if (it->nfields)
			memcpy(n->fields, l->fields,
			       it->nfields * sizeof *n->fields);
	}
	return n;
}

/* The size and alignment of a type in the guest view of a target: a
 * u64 or i64 is aligned as a plain 64-bit integer, a 64-bit guest handle
 * is the native one, a record or typedef has its guest view (computed
 * before, in dependency order). */
static LayoutStatus guest_type_layout(const Type *t, int target,
				      uint64_t *size, uint64_t *align)
{
	const Item *it;
	uint64_t count;
	LayoutStatus st;
	switch (t->kind) {
	case TY_PRIM:
		if (t->prim != P_U64 && t->prim != P_I64)
			break;
		*size = 8;
		*align = targets[target].i64_align;
		return LAYOUT_OK;
	case TY_PTR:
		*size = *align = targets[target].handle_size;
		return LAYOUT_OK;
	case TY_ARRAY:
		/* the element's guest view, as many times as the tools'
		 * view (type_layout) counted, which checked the product */
		st = guest_type_layout(t->elem, target, size, align);
		if (st != LAYOUT_OK)
			return st;
		count = t->count;
		if (t->flex)
			count = 0;
		else if (t->count_expr &&
			 (st = expr_eval(t->count_expr, target, &count)) != LAYOUT_OK)
			return st;
		*size *= count;
		return LAYOUT_OK;
	case TY_NAMED:
		it = symbol_item(t->sym, targets[target].arch);
		if (!it || (it->kind != IT_STRUCT && it->kind != IT_UNION &&
			    it->kind != IT_ALIAS))
			break;
		if (!it->guest_layout)
			return LAYOUT_UNKNOWN;
		*size = it->guest_layout->size;
		*align = it->guest_layout->align;
		return LAYOUT_OK;
	case TY_INLINE:
		if (!t->item->guest_layout)
			return LAYOUT_UNKNOWN;
		*size = t->item->guest_layout->size;
		*align = t->item->guest_layout->align;
		return LAYOUT_OK;
	case TY_HANDLE:
	case TY_CPTR:
		break;
	}
	return type_layout(t, target, size, align);
}

/* C's layout of a struct or union.  Bitfields follow the System V and
 * AAPCS rules (little-endian): a bitfield goes at the next free bit if it
 * fits in a naturally aligned unit of its type, else it starts the next
 * such unit; its type's alignment counts for the struct's. */
static void layout_fields(Spec *s, Diag *d, Item *it, int target, bool guest,
			  FieldLayout **scratch, size_t *cap)
{
	Layout lay, *l = &lay;
	uint64_t bitpos = 0, align = 1, maxsize = 0;
	bool is_union = it->kind == IT_UNION;
	size_t i;
	if (it->layout_failed)
		return;
	/* at least one element: memset(NULL, ...) is undefined even for 0 */
	*scratch = xgrow(*scratch, cap, it->nfields + 1, sizeof **scratch);
	memset(*scratch, 0, it->nfields * sizeof **scratch);
	l->fields = *scratch;
	for (i = 0; i < it->nfields; i++) {
		Field *f = &it->fields[i];
		FieldLayout *fl = &l->fields[i];
		uint64_t fs, fa, off, end;
		LayoutStatus st;
		if (!cond_on_target(&f->cond, target))
			continue;
		fl->present = true;
		st = guest ? guest_type_layout(f->type, target, &fs, &fa)
			   : type_layout(f->type, target, &fs, &fa);
		if (st != LAYOUT_OK && guest)
			return; /* no guest view: what stopped it is the
				 * tools' view's error, reported there */
		if (st != LAYOUT_OK) {
			field_error(d, it, f, target, st);
			it->layout_failed = true;
			return;
		}
		if (is_union)
			bitpos = 0;
		if (f->bits) {
			uint64_t unit = fa * 8, start = bitpos;
			uint64_t ustart = start - start % unit;
			if (start + f->bits > ustart + fs * 8) {
				start = ustart + unit;
				ustart = start;
			}
			fl->offset = ustart / 8;
			fl->size = fs;
			fl->bit_offset = (unsigned)(start - ustart);
			end = (start + f->bits + 7) / 8;
			bitpos = start + f->bits;
		} else {
			off = (bitpos + 7) / 8;
			if (!align_up(off, fa, &off) || !add_ok(off, fs, &end) ||
			    end > max_object(target)) {
				if (guest)
					return;
				diag_error(d, f->name_loc,
					   "%s '%s' is too large for %s: field '%s' "
					   "ends past the largest object size (%llu "
					   "bytes)", item_kind_name(it->kind), it->name,
					   targets[target].name,
					   f->name ? f->name : "(anonymous)",
					   (unsigned long long)max_object(target));
				it->layout_failed = true;
				return;
			}
			fl->offset = off;
			fl->size = fs;
			bitpos = end * 8;
		}
		if (end > maxsize)
			maxsize = end;
		if (fa > align)
			align = fa;
	}
	if (!align_up(is_union ? maxsize : (bitpos + 7) / 8, align, &l->size) ||
	    l->size > max_object(target)) {
		if (guest)
			return;
		diag_error(d, it->name_loc, "%s '%s' is too large for %s",
			   item_kind_name(it->kind), it->name, targets[target].name);
		it->layout_failed = true;
		return;
	}
	l->align = align;
	if (guest) /* shared with the tools' view where equal, else kept */
		it->guest_layout = layout_equal(it, it->layout[target], l)
				   ? it->layout[target]
				   : keep(s, it, 0, l);
	else
		it->layout[target] = keep(s, it, target, l);
}

static void layout_alias(Spec *s, Diag *d, Item *it, int target)
{
	const Type *t = it->alias ? it->alias : it->arch_alias[targets[target].arch];
	LayoutStatus st;
	uint64_t size, align;
	if (it->layout_failed || !t)
		return; /* no definition for this architecture */
	st = type_layout(t, target, &size, &align);
	if (st == LAYOUT_OK) {
		Layout lay = {size, align, NULL};
		it->layout[target] = keep(s, it, target, &lay);
		/* a typedef of a u64 or of a record has a guest view too */
		if (targets[target].i64_align < 8 &&
		    guest_type_layout(t, target, &lay.size, &lay.align) == LAYOUT_OK)
			it->guest_layout = layout_equal(it, it->layout[target], &lay)
					   ? it->layout[target]
					   : keep(s, it, 0, &lay);
		return;
	}
	if (st != LAYOUT_UNKNOWN)
		diag_error(d, t->loc, "alias '%s' has no size on %s", it->name,
			   targets[target].name);
	it->layout_failed = true;
}

void layout_compute(Spec *s, Diag *d)
{
	int t, a;
	size_t n;
	Item **order[NARCH + 1] = {NULL};
	size_t norder[NARCH + 1] = {0};
	FieldLayout *scratch = NULL;
	size_t cap = 0;

	for (t = 0; t < NTARGETS; t++) {
		int view;
		if (!s->covered[t])
			continue;
		a = targets[t].arch;
		view = s->arch_units[a] ? a : -1;
		if (!order[view + 1])
			order[view + 1] = order_items(s, view, &norder[view + 1]);
		for (n = 0; n < norder[view + 1]; n++) {
			Item *it = order[view + 1][n];
			if (!item_on_target(it, t))
				continue;
			switch (it->kind) {
			case IT_STRUCT:
			case IT_UNION:
				layout_fields(s, d, it, t, false, &scratch, &cap);
				/* the tools' view came first: an error is
				 * reported once */
				if (targets[t].i64_align < 8 && it->layout[t])
					layout_fields(s, d, it, t, true,
						      &scratch, &cap);
				break;
			case IT_ALIAS:
				layout_alias(s, d, it, t);
				break;
			case IT_ENUM:
			case IT_BITMAP: {
				Layout l = {0, 0, NULL};
				prim_layout(it->backing, t, &l.size, &l.align);
				it->layout[t] = keep(s, it, t, &l);
				break;
			}
			case IT_CONST:
			case IT_MACRO:
			case IT_HANDLE:
			case IT_XMACRO:
			case IT_RING:
			case IT_ANY:
				break;
			}
		}
	}
	for (a = 0; a <= NARCH; a++)
		free(order[a]);
	free(scratch);
	eval_check(s, d);
}

bool layout_equal(const Item *it, const Layout *a, const Layout *b)
{
	size_t i;
	if (a->size != b->size || a->align != b->align)
		return false;
	if (it->kind != IT_STRUCT && it->kind != IT_UNION)
		return true;
	for (i = 0; i < it->nfields; i++)
		if (a->fields[i].present != b->fields[i].present ||
		    a->fields[i].offset != b->fields[i].offset ||
		    a->fields[i].size != b->fields[i].size ||
		    a->fields[i].bit_offset != b->fields[i].bit_offset)
			return false;
	return true;
}

bool layout_equal_defs(const Item *a, const Layout *la, const Item *b,
		       const Layout *lb)
{
	size_t i;
	if (a->kind != b->kind || a->nfields != b->nfields)
		return false;
	for (i = 0; i < a->nfields; i++) {
		const char *x = a->fields[i].name, *y = b->fields[i].name;
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return false;
	}
	return layout_equal(a, la, lb);
}

int layout_groups(const Item *it, const bool *sel, int *group)
{
	int t, u, ngroups = 0;
	for (t = 0; t < NTARGETS; t++) {
		group[t] = -1;
		if (!it->layout[t] || (sel && !sel[t]))
			continue;
		for (u = 0; u < t; u++)
			if (group[u] == u &&
			    layout_equal(it, it->layout[u], it->layout[t]))
				break;
		group[t] = u < t ? u : t;
		if (group[t] == t)
			ngroups++;
	}
	return ngroups;
}

void layout_group_names(Buf *b, const int *group, int g)
{
	int t, n = 0;
	for (t = 0; t < NTARGETS; t++)
		if (group[t] == g)
			buf_printf(b, "%s%s", n++ ? ", " : "", targets[t].name);
}

size_t layout_holes(const Item *it, const Layout *l, Hole *out)
{
	uint64_t end = 0;
	size_t i, n = 0, last = 0;
	if (it->kind == IT_UNION) {
		/* a union's members overlap: only the tail can be padding */
		for (i = 0; i < it->nfields; i++)
			if (l->fields[i].present && l->fields[i].size > end)
				end = l->fields[i].size;
		if (l->size > end) {
			out[0].before = it->nfields;
			out[0].offset = end;
			out[0].size = l->size - end;
			return 1;
		}
		return 0;
	}
	for (i = 0; i <= it->nfields; i++) {
		uint64_t next, fend;
		const FieldLayout *f = i < it->nfields ? &l->fields[i] : NULL;
		if (f && !f->present)
			continue;
		/* a bitfield covers the bytes its bits are in; unused bits
		 * within those bytes are abi.c's business */
		next = !f ? l->size
		     : it->fields[i].bits ? f->offset + f->bit_offset / 8
					  : f->offset;
		if (next > end) {
			out[n].before = f ? i : it->nfields;
			out[n].offset = end;
			out[n].size = next - end;
			n++;
		}
		if (!f)
			break;
		fend = it->fields[i].bits
			? f->offset + (f->bit_offset + it->fields[i].bits + 7) / 8
			: f->offset + f->size;
		if (fend > end)
			end = fend;
		last = i;
	}
	(void)last;
	return n;
}

#ifdef XBG_TEST_HOOKS
void layout_perturb(Spec *s, const char *spec)
{
	char *copy = xstrdup(spec), *at = strchr(copy, '@'), *dot;
	Symbol *sym;
	Item *it;
	int t;
	size_t i;
	if (!at)
		goto out;
	*at = '\0';
	t = target_from_name(at + 1);
	dot = strchr(copy, '.');
	if (dot)
		*dot = '\0';
	sym = hmap_gets(&s->symbols, copy);
	if (t < 0 || !sym)
		goto out;
	it = symbol_item_on(sym, t);
	if (!it || !it->layout[t])
		goto out;
	/* targets may share a layout: change this target's own copy */
	{
		Layout *l = arena_alloc(&s->arena, sizeof *l);
		*l = *it->layout[t];
		if (it->kind == IT_STRUCT || it->kind == IT_UNION) {
			l->fields = arena_calloc(&s->arena, it->nfields,
						 sizeof *l->fields);
			memcpy(l->fields, it->layout[t]->fields,
			       it->nfields * sizeof *l->fields);
		}
		it->layout[t] = l;
	}
	if (!dot) {
		it->layout[t]->size++;
		goto out;
	}
	for (i = 0; i < it->nfields; i++)
		if (strcmp(it->fields[i].name, dot + 1) == 0)
			it->layout[t]->fields[i].offset++;
out:
	free(copy);
}
#endif
