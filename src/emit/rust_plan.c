/*
 * rust_plan.c - what the declarations of a struct or union need decided
 * before any is written: how its bitfields are stored, and whether it
 * contains a union.
 *
 * Bitfields: Rust has none.  A run of consecutive bitfields becomes one
 * byte array, _bitfield_1, _bitfield_2, ..., covering exactly the bytes
 * its bits occupy (C's storage units may overlap other fields: Xen's
 * buf_ioreq puts a u32 unit over a u8 field), and each bitfield a getter
 * and a setter that read and write its bits at the engine's positions
 * (little-endian allocation, as on every target).  Where the byte array
 * makes the struct less aligned than C's units do, the struct gets
 * repr(align).  That needs the same placement on every target, unsigned
 * types and no unions; anything else is a located error.
 *
 * Unions inside: a union cannot be compared or printed field by field
 * (which member is live is not known), so neither can a struct that
 * contains one, through arrays, inline types and aliases, on any
 * architecture.
 */
#include "emit/rust.h"

#include <stdlib.h>

/* ---- Bitfields --------------------------------------------------------------- */

static const char bitfield_unsupported[] = "not supported by the Rust backend";

static bool bitfield_type_ok(const Type *t)
{
	return t->kind == TY_PRIM &&
	       (t->prim == P_U8 || t->prim == P_U16 || t->prim == P_U32 ||
		t->prim == P_U64 || t->prim == P_UINT || t->prim == P_U64_PLAIN ||
		t->prim == P_UCHAR || t->prim == P_USHORT || t->prim == P_ULLONG);
}

static void bitfield_error(Rust *R, const Item *it, const Field *f,
			   const char *why)
{
	diag_error(R->d, f->name_loc, "bitfield '%s' of %s '%s' %s: %s", f->name,
		   item_kind_name(it->kind), it->name, why, bitfield_unsupported);
}

/* A run's bytes on target t: [*start, *end). */
void plan_run_bytes(const Item *it, const Layout *l, const int *group,
		    size_t j, uint64_t *start, uint64_t *end)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t k;
	for (k = j; k < it->nfields && group[k] == group[j]; k++) {
		uint64_t b = l->fields[k].offset * 8 + l->fields[k].bit_offset;
		if (b < lo)
			lo = b;
		if (b + it->fields[k].bits > hi)
			hi = b + it->fields[k].bits;
	}
	*start = lo / 8;
	*end = (hi + 7) / 8;
}

/* Do the bitfields sit alike on every target, in bytes of their own? */
static bool check_runs(Rust *R, const Item *it, const Layout *ref)
{
	ItemInfo *in = &R->info[it->index];
	size_t j, k;
	int t;
	for (t = 0; t < NTARGETS; t++) {
		const Layout *l = it->layout[t];
		if (!in_mask(in->mask, t) || !l)
			continue;
		for (j = 0; j < it->nfields; j++) {
			uint64_t s, e, rs, re;
			if (!in->bitgroup[j] ||
			    (j && in->bitgroup[j - 1] == in->bitgroup[j]))
				continue;
			plan_run_bytes(it, l, in->bitgroup, j, &s, &e);
			plan_run_bytes(it, ref, in->bitgroup, j, &rs, &re);
			for (k = j; k < it->nfields &&
				    in->bitgroup[k] == in->bitgroup[j]; k++)
				if (l->fields[k].offset * 8 + l->fields[k].bit_offset -
				    s * 8 != in->bitshift[k])
					break;
			if (s != rs || e != re ||
			    (k < it->nfields && in->bitgroup[k] == in->bitgroup[j])) {
				bitfield_error(R, it, &it->fields[j],
					       arena_printf(&R->a, "is placed "
							    "differently on %s",
							    targets[t].name));
				return false;
			}
			for (k = 0; k < it->nfields; k++)
				if (in->bitgroup[k] != in->bitgroup[j] &&
				    l->fields[k].present && !in->bitgroup[k] &&
				    l->fields[k].offset < e &&
				    l->fields[k].offset + l->fields[k].size > s) {
					bitfield_error(R, it, &it->fields[j],
						       "shares bytes with another field");
					return false;
				}
		}
	}
	return true;
}

/* The alignment C's storage units give the struct where the byte arrays
 * do not, as force_align (0: the other fields give it anyway); it must be
 * right on every target, since repr(align) cannot be per target here.
 * False after an error. */
static bool bitfield_align(Rust *R, const Item *it)
{
	ItemInfo *in = &R->info[it->index];
	uint64_t need = 0;
	size_t j;
	int t;
	for (t = 0; t < NTARGETS; t++) {
		const Layout *l = it->layout[t];
		uint64_t natural = 1, size, align;
		if (!in_mask(in->mask, t) || !l)
			continue;
		for (j = 0; j < it->nfields; j++)
			if (!in->bitgroup[j] && l->fields[j].present &&
			    type_layout(it->fields[j].type, t, &size, &align) ==
			    LAYOUT_OK && align > natural)
				natural = align;
		if (natural >= l->align)
			continue;
		if (need && need != l->align)
			goto differs;
		need = l->align;
	}
	/* raising the alignment must not overshoot any target's */
	for (t = 0; t < NTARGETS && need; t++)
		if (in_mask(in->mask, t) && it->layout[t] &&
		    it->layout[t]->align < need)
			goto differs;
	in->force_align = need;
	return true;
differs:
	diag_error(R->d, it->name_loc, "the bitfields of %s '%s' align it "
		   "differently on different targets: %s",
		   item_kind_name(it->kind), it->name, bitfield_unsupported);
	return false;
}

void plan_bitfields(Rust *R, const Item *it)
{
	ItemInfo *in = &R->info[it->index];
	const Layout *ref = NULL;
	int t, *group;
	size_t j, k;
	bool any = false, bad = false;
	for (j = 0; j < it->nfields; j++)
		any |= it->fields[j].bits != 0 && in->mname[j];
	if (!any)
		return;
	for (t = 0; t < NTARGETS && !ref; t++)
		if (in_mask(in->mask, t))
			ref = it->layout[t];
	if (!ref)
		return;
	group = arena_calloc(&R->a, it->nfields + 1, sizeof *group);
	in->bitgroup = group;
	in->bitshift = arena_calloc(&R->a, it->nfields + 1, sizeof *in->bitshift);
	for (j = 0; j < it->nfields; j++) {
		const Field *f = &it->fields[j];
		const char *why = NULL;
		if (!f->bits || !in->mname[j])
			continue;
		if (it->kind == IT_UNION)
			why = "is in a union";
		else if (!bitfield_type_ok(f->type))
			why = "is not of an unsigned type";
		else if (cfg_field_mask(R, it, f) != in->mask)
			why = "is conditional";
		if (why) {
			bitfield_error(R, it, f, why);
			bad = true;
			continue;
		}
		group[j] = j && group[j - 1] ? group[j - 1] : ++in->nbitgroups;
	}
	/* bit positions within the run, on the first target */
	for (j = 0; j < it->nfields; j++) {
		uint64_t s, e;
		if (!group[j] || (j && group[j - 1] == group[j]))
			continue;
		plan_run_bytes(it, ref, group, j, &s, &e);
		for (k = j; k < it->nfields && group[k] == group[j]; k++)
			in->bitshift[k] = (unsigned)(ref->fields[k].offset * 8 +
						     ref->fields[k].bit_offset -
						     s * 8);
	}
	/* getters are named like the bitfields, setters set_<name> */
	{
		HMap methods;
		hmap_init(&methods);
		for (j = 0; j < it->nfields; j++) {
			const char *get = in->mname[j], *set, *other;
			if (!group[j])
				continue;
			set = naming_setter(R, get);
			other = hmap_gets(&methods, get) ? get
				: hmap_gets(&methods, set) ? set : NULL;
			if (other)
				diag_error(R->d, it->fields[j].name_loc,
					   "the accessors of bitfield '%s' of %s '%s' "
					   "clash with another bitfield's ('%s')",
					   it->fields[j].name, item_kind_name(it->kind),
					   it->name, other);
			hmap_put(&methods, get, strlen(get), (void *)get);
			hmap_put(&methods, set, strlen(set), (void *)set);
		}
		hmap_free(&methods);
	}
	/* after an error, the placement checks would only repeat it */
	if (!bad && in->nbitgroups && check_runs(R, it, ref) &&
	    bitfield_align(R, it))
		R->any_bitfield = true;
}

/* ---- Unions inside ---------------------------------------------------------- */

static bool type_has_union(const Rust *R, const Type *t, int arch)
{
	const Item *it = NULL;
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	if (!t)
		return false;
	if (t->kind == TY_INLINE)
		it = t->item;
	else if (t->kind == TY_NAMED && t->sym)
		it = symbol_item(t->sym, arch);
	return it && (it->kind == IT_UNION || R->info[it->index].has_union);
}

void plan_unions(Rust *R)
{
	Spec *s = R->s;
	size_t k, n, j;
	int view, a;
	for (view = -1; view < NARCH; view++) {
		Item **order;
		if (view >= 0 && !s->arch_units[view])
			continue;
		order = order_items(s, view, &n);
		for (k = 0; k < n; k++) {
			Item *it = order[k];
			ItemInfo *in = &R->info[it->index];
			if (it->kind == IT_UNION)
				in->has_union = true;
			for (j = 0; j < it->nfields && it->kind == IT_STRUCT; j++)
				in->has_union |= type_has_union(R, it->fields[j].type,
								view);
			if (it->kind == IT_ALIAS) {
				in->has_union |= type_has_union(R, it->alias, view);
				for (a = 0; a < NARCH; a++)
					in->has_union |=
						type_has_union(R, it->arch_alias[a], a);
			}
		}
		free(order);
	}
}
