/*
 * abi.c - the ABI rules.
 *
 * What Xen's hypercall ABI promises, checked on the layouts the engine
 * computed:
 *
 *   1. a type's layout is the same on every target that can share it: 32-
 *      and 64-bit guests of one architecture always, and every target for a
 *      type that depends on no per-architecture item;
 *   2. no implicit padding, inside a struct or at its tail: padding bytes
 *      are uninitialised, leak hypervisor memory and cannot be reserved for
 *      later use, so they must be explicit fields;
 *   3. a primitive's alignment equals its size (uint64_t on x86_32 is only
 *      4-aligned: use u64, Xen's uint64_aligned_t);
 *   4. names are unique (resolve.c for items, check.c for members and
 *      ops).
 *
 * The RFC's tool reported "implicit padding in struct S, before F"; ours
 * also says how many bytes, where, on which targets, and which explicit
 * field to insert.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

/* "on every target" or "on x86_32, arm32" */
static void targets_phrase(Buf *b, const bool *on, const bool *exists)
{
	int t, n = 0, all = 1;
	for (t = 0; t < NTARGETS; t++)
		if (exists[t] && !on[t])
			all = 0;
	if (all) {
		buf_puts(b, "on every target");
		return;
	}
	buf_puts(b, "on ");
	for (t = 0; t < NTARGETS; t++) {
		if (!on[t])
			continue;
		buf_printf(b, "%s%s", n++ ? ", " : "", targets[t].name);
	}
}

/* The explicit field that fills a hole: the widest unsigned type that the
 * offset's alignment allows, or a byte array. */
static void pad_field(Buf *b, uint64_t offset, uint64_t size, const char *name)
{
	static const unsigned widths[] = {8, 4, 2, 1};
	static const char *const types[] = {"uint64_aligned_t", "uint32_t",
					    "uint16_t", "uint8_t"};
	size_t i;
	for (i = 0; i < ARRAY_LEN(widths); i++) {
		if (size == widths[i] && offset % widths[i] == 0) {
			buf_printf(b, "%s %s", types[i], name);
			return;
		}
	}
	buf_printf(b, "uint8_t %s[%llu]", name, (unsigned long long)size);
}

/* A name for the padding field that the struct does not use yet. */
static void pad_name(Buf *b, const Item *it, unsigned *counter)
{
	for (;;) {
		size_t i, mark = b->len;
		bool taken = false;
		buf_printf(b, "_pad%u", (*counter)++);
		for (i = 0; i < it->nfields; i++)
			if (it->fields[i].name &&
			    strcmp(it->fields[i].name, b->data + mark) == 0)
				taken = true;
		if (!taken)
			return;
		b->len = mark;
	}
}

/* One abi_check() run, passed to every rule: the model keeps no state
 * between runs (a fuzzer or a test may check many specs in one process).
 * Waived differences are warnings in `validate` and `layout`; while
 * generating they are only counted, so that a build does not repeat the
 * same list every time (the driver prints the count). */
typedef struct Abi {
	Diag *d;
	bool quiet_waivers; /* count waived differences, do not list them */
	size_t nwaived;     /* waived differences not listed */
} Abi;

/* An inline type is part of the item it is written in, and shares that
 * item's waivers. */
static const Item *owner(const Item *it)
{
	while (it->inline_type && it->parent)
		it = it->parent;
	return it;
}

static unsigned waives(const Item *it)
{
	unsigned w = it->waive;
	while (it->inline_type && it->parent) {
		it = it->parent;
		w |= it->waive;
	}
	return w;
}

/* A rule's verdict: an error, or a warning when the item waives it. */
static DiagLevel level(const Item *it, unsigned rule)
{
	return (waives(it) & rule) ? DIAG_WARNING : DIAG_ERROR;
}

/* Is a difference with the item under the rule only counted? */
static bool silenced(const Abi *A, const Item *it, unsigned rule)
{
	return (waives(it) & rule) && A->quiet_waivers;
}

static void report(Abi *A, const Item *it, unsigned rule, Loc loc,
		   const char *msg)
{
	if (silenced(A, it, rule)) {
		A->nwaived++;
		return;
	}
	diag_report(A->d, level(it, rule), loc, "%s", msg);
}

/* A waived violation is the error's whole text, hint included, then why
 * it is waived: in an editor's list of problems the warning reads as the
 * error would, and a search for one finds the other. */
static void waived(Buf *msg, const Item *it, unsigned rule)
{
	const Item *o = it;
	if (!(waives(it) & rule))
		return;
	while (!(o->waive & rule) && o->inline_type && o->parent)
		o = o->parent;
	buf_printf(msg, " (waived: %s)",
		   o->waive_reason ? o->waive_reason : "no reason given");
}

/* Bits that no bitfield uses, inside the bytes bitfields occupy, are
 * padding too (whole bytes are reported as holes by check_padding).  Within
 * a run of consecutive bitfields the bit positions only grow, so the gaps
 * are where one bitfield starts after the previous one ends, and at the end
 * of the run's last byte. */
static void check_bit_padding(Abi *A, const Item *it, int t, bool *reported)
{
	const Layout *l = it->layout[t];
	size_t i = 0, j;
	while (i < it->nfields) {
		uint64_t expect, unused = 0, start;
		size_t last = i;
		if (!it->fields[i].bits || !l->fields[i].present || reported[i]) {
			i++;
			continue;
		}
		start = l->fields[i].offset * 8 + l->fields[i].bit_offset;
		expect = start - start % 8;
		for (j = i; j < it->nfields && it->fields[j].bits &&
			    l->fields[j].present; j++) {
			uint64_t at = l->fields[j].offset * 8 + l->fields[j].bit_offset;
			if (at > expect)
				unused += at - expect;
			expect = at + it->fields[j].bits;
			last = j;
		}
		if (expect % 8)
			unused += 8 - expect % 8;
		if (unused) {
			Buf msg = {0};
			buf_printf(&msg, "bitfields %s..%s of struct '%s' leave %llu "
				   "bit%s unused in the bytes they occupy",
				   it->fields[i].name, it->fields[last].name, it->name,
				   (unsigned long long)unused, unused == 1 ? "" : "s");
			waived(&msg, it, WAIVE_PADDING);
			report(A, it, WAIVE_PADDING, it->fields[last].name_loc,
			       buf_cstr(&msg));
			if (!silenced(A, it, WAIVE_PADDING) && expect % 8 &&
			    unused == 8 - expect % 8)
				diag_note(A->d, it->fields[last].loc,
					  "add a %llu-bit bitfield after `%s`",
					  (unsigned long long)unused,
					  it->fields[last].name);
			buf_free(&msg);
		}
		for (j = i; j <= last; j++)
			reported[j] = true;
		i = last + 1;
	}
}

static void check_padding(Abi *A, const Item *it)
{
	Hole *holes[NTARGETS] = {NULL};
	size_t nholes[NTARGETS] = {0}, i, k;
	bool exists[NTARGETS] = {false};
	unsigned counter = 0;
	int t, u;

	for (t = 0; t < NTARGETS; t++) {
		if (!it->layout[t])
			continue;
		exists[t] = true;
		holes[t] = xcalloc(it->nfields + 1, sizeof *holes[t]);
		nholes[t] = layout_holes(it, it->layout[t], holes[t]);
	}
	/* Group identical holes across targets into one diagnostic. */
	for (t = 0; t < NTARGETS; t++) {
		for (i = 0; i < nholes[t]; i++) {
			Hole h = holes[t][i];
			bool on[NTARGETS] = {false};
			Buf msg = {0}, fix = {0}, name = {0};
			if (h.size == 0)
				continue;
			for (u = t; u < NTARGETS; u++) {
				for (k = 0; k < nholes[u]; k++) {
					Hole *g = &holes[u][k];
					if (g->before == h.before && g->offset == h.offset &&
					    g->size == h.size) {
						on[u] = true;
						g->size = 0; /* reported */
					}
				}
			}
			pad_name(&name, it, &counter);
			pad_field(&fix, h.offset, h.size, buf_cstr(&name));
			if (h.before < it->nfields)
				buf_printf(&msg,
					   "implicit padding in struct '%s' before '%s': "
					   "%llu byte%s at offset %llu ",
					   it->name, it->fields[h.before].name,
					   (unsigned long long)h.size,
					   h.size == 1 ? "" : "s",
					   (unsigned long long)h.offset);
			else
				buf_printf(&msg,
					   "implicit padding at the tail of struct "
					   "'%s': %llu byte%s at offset %llu ",
					   it->name, (unsigned long long)h.size,
					   h.size == 1 ? "" : "s",
					   (unsigned long long)h.offset);
			targets_phrase(&msg, on, exists);
			waived(&msg, it, WAIVE_PADDING);
			if (silenced(A, it, WAIVE_PADDING)) {
				A->nwaived++;
			} else if (h.before < it->nfields) {
				diag_report(A->d, level(it, WAIVE_PADDING),
					    it->fields[h.before].name_loc, "%s",
					    buf_cstr(&msg));
				diag_note(A->d, it->fields[h.before].loc,
					  "insert `%s` before `%s`", buf_cstr(&fix),
					  it->fields[h.before].name);
			} else {
				diag_report(A->d, level(it, WAIVE_PADDING),
					    it->name_loc, "%s", buf_cstr(&msg));
				diag_note(A->d,
					  it->nfields ? it->fields[it->nfields - 1].loc
						      : it->loc,
					  "add `%s` at the tail", buf_cstr(&fix));
			}
			buf_free(&msg);
			buf_free(&fix);
			buf_free(&name);
		}
	}
	for (t = 0; t < NTARGETS; t++)
		free(holes[t]);
	{
		bool *reported = xcalloc(it->nfields + 1, sizeof *reported);
		for (t = 0; t < NTARGETS; t++)
			if (it->layout[t])
				check_bit_padding(A, it, t, reported);
		free(reported);
	}
}

/* Rule 3, per field: report each primitive once, naming the targets. */
static void check_prims(Abi *A, const Item *it)
{
	size_t i;
	for (i = 0; i < it->nfields; i++) {
		const Type *ty = it->fields[i].type;
		bool on[NTARGETS] = {false}, exists[NTARGETS] = {false}, bad = false;
		uint64_t size = 0, align = 0;
		int t;
		while (ty->kind == TY_ARRAY)
			ty = ty->elem;
		if (ty->kind != TY_PRIM || it->fields[i].bits)
			continue;
		for (t = 0; t < NTARGETS; t++) {
			uint64_t s, a;
			if (!it->layout[t] || !it->layout[t]->fields[i].present)
				continue;
			exists[t] = true;
			prim_layout(ty->prim, t, &s, &a);
			if (s != a) {
				on[t] = bad = true;
				size = s;
				align = a;
			}
		}
		if (bad) {
			Buf msg = {0};
			buf_printf(&msg, "'%s' is %llu bytes but only %llu-aligned ",
				   prim_name(ty->prim), (unsigned long long)size,
				   (unsigned long long)align);
			targets_phrase(&msg, on, exists);
			buf_puts(&msg, "; its alignment must equal its size");
			/* the 64-bit integers are the ones that break it */
			if (size == 8 && prim_is_integer(ty->prim))
				buf_puts(&msg, prim_is_signed(ty->prim)
					 ? " (use i64, Xen's int64_aligned_t)"
					 : " (use u64, Xen's uint64_aligned_t)");
			waived(&msg, it, WAIVE_ALIGNMENT);
			report(A, it, WAIVE_ALIGNMENT, ty->loc, buf_cstr(&msg));
			buf_free(&msg);
		}
	}
}

/* Does the item depend on a per-architecture item?  Such a type may
 * legitimately differ between architectures (not between the 32- and 64-bit
 * targets of one). Memoised in visit: 0 unknown, 1 no, 2 yes. */
static bool arch_dependent(Item *it)
{
	size_t i;
	if (it->visit)
		return it->visit == 2;
	it->visit = 1;
	if (it->unit->family >= 0 || it->unit->header.cond.targets) {
		it->visit = 2; /* an architecture's unit, or some targets' */
		return true;
	}
	if (it->kind == IT_ALIAS && !it->alias) {
		it->visit = 2; /* one type per architecture */
		return true;
	}
	if (it->cond.targets) {
		it->visit = 2; /* exists on some targets only */
		return true;
	}
	for (i = 0; i < it->nfields + (it->kind == IT_ALIAS); i++) {
		const Type *ty = it->kind == IT_ALIAS ? it->alias : it->fields[i].type;
		if (it->kind != IT_ALIAS && it->fields[i].cond.targets) {
			it->visit = 2; /* a field exists on some targets only */
			return true;
		}
		while (ty->kind == TY_ARRAY)
			ty = ty->elem;
		if (ty->kind == TY_INLINE && arch_dependent(ty->item)) {
			it->visit = 2;
			return true;
		}
		if (ty->kind != TY_NAMED || !ty->sym)
			continue;
		if (!ty->sym->common || arch_dependent(ty->sym->common)) {
			it->visit = 2;
			return true;
		}
	}
	it->visit = 1;
	return false;
}

/* Report the targets among sel that do not agree on the item's layout:
 * one error naming each group of targets, and a note per field that
 * differs. */
static void report_groups(Abi *A, const Item *it, const bool *sel)
{
	int group[NTARGETS], heads[NTARGETS], nh = 0, t, k;
	Buf msg = {0};
	size_t i;
	if (layout_groups(it, sel, group) < 2)
		return;
	for (t = 0; t < NTARGETS; t++)
		if (group[t] == t)
			heads[nh++] = t;
	buf_printf(&msg, "layout of %s '%s' differs between targets: ",
		   item_kind_name(it->kind), it->name);
	for (k = 0; k < nh; k++) {
		const Layout *l = it->layout[heads[k]];
		buf_printf(&msg, "%ssize %llu, alignment %llu on ", k ? "; " : "",
			   (unsigned long long)l->size, (unsigned long long)l->align);
		layout_group_names(&msg, group, heads[k]);
	}
	{
		const Item *top = owner(it);
		if (top->unit->invariant)
			buf_printf(&msg, "; '%s' is declared the same for 32- and "
				   "64-bit callers ([abi] invariant)", top->unit->name);
	}
	waived(&msg, it, WAIVE_IDENTITY);
	if (silenced(A, it, WAIVE_IDENTITY)) {
		A->nwaived++;
		buf_free(&msg);
		return;
	}
	diag_report(A->d, level(it, WAIVE_IDENTITY), it->name_loc, "%s",
		    buf_cstr(&msg));
	for (i = 0; i < it->nfields; i++) {
		bool same = true;
		for (k = 1; k < nh; k++) {
			const FieldLayout *a = &it->layout[heads[0]]->fields[i];
			const FieldLayout *b = &it->layout[heads[k]]->fields[i];
			same &= a->present == b->present && a->offset == b->offset &&
				a->size == b->size;
		}
		if (same)
			continue;
		buf_clear(&msg);
		buf_printf(&msg, "'%s' is ", it->fields[i].name ? it->fields[i].name
								 : "(anonymous)");
		for (k = 0; k < nh; k++) {
			const FieldLayout *f = &it->layout[heads[k]]->fields[i];
			if (f->present)
				buf_printf(&msg, "%s%llu bytes at offset %llu on ",
					   k ? "; " : "", (unsigned long long)f->size,
					   (unsigned long long)f->offset);
			else
				buf_printf(&msg, "%sabsent on ", k ? "; " : "");
			layout_group_names(&msg, group, heads[k]);
		}
		diag_note(A->d, it->fields[i].name_loc, "%s", buf_cstr(&msg));
	}
	buf_free(&msg);
}

/* Rule 1.  A type that depends on a per-architecture item may differ
 * between architectures, never between the targets of one; any other type
 * must be the same on every target. */
static void check_identity(Abi *A, Item *it)
{
	bool sel[NTARGETS];
	int t, a;
	if (!arch_dependent(it)) {
		report_groups(A, it, NULL);
		return;
	}
	for (a = 0; a < NARCH; a++) {
		for (t = 0; t < NTARGETS; t++)
			sel[t] = targets[t].arch == a;
		report_groups(A, it, sel);
	}
}

/* Rule 1 for a name that units define per target (Xen's cpu_user_regs in
 * xen-x86_32.h and xen-x86_64.h): its definitions are one type to the
 * code that names it, so they differ between targets when their sizes,
 * alignments or members' places do.  Reported once, on the definition
 * of the architecture's first target, with its waivers. */
static void check_split_identity(Abi *A, const Spec *s, const Item *it)
{
	const Symbol *sym = hmap_gets(&s->symbols, it->name);
	const Item *other = NULL;
	int t, first = -1, second = -1;
	Buf msg = {0};
	if (!sym || !sym->split || it->inline_type ||
	    symbol_item(sym, it->unit->family) != it)
		return;
	for (t = 0; t < NTARGETS && first < 0; t++)
		if (sym->tgt[t] == it && it->layout[t])
			first = t;
	for (t = 0; t < NTARGETS && !other; t++)
		if (sym->tgt[t] && sym->tgt[t] != it &&
		    targets[t].arch == it->unit->family && sym->tgt[t]->layout[t] &&
		    sym->tgt[t]->kind == it->kind) {
			other = sym->tgt[t];
			second = t;
		}
	if (!other || first < 0)
		return;
	{
		const Layout *a = it->layout[first], *b = other->layout[second];
		if (layout_equal_defs(it, a, other, b))
			return;
		buf_printf(&msg, "layout of %s '%s' differs between targets: size "
			   "%llu, alignment %llu on %s; size %llu, alignment %llu "
			   "on %s",
			   item_kind_name(it->kind), it->name,
			   (unsigned long long)a->size, (unsigned long long)a->align,
			   targets[first].name, (unsigned long long)b->size,
			   (unsigned long long)b->align, targets[second].name);
	}
	waived(&msg, it, WAIVE_IDENTITY);
	if (silenced(A, it, WAIVE_IDENTITY))
		A->nwaived++;
	else
		diag_report(A->d, level(it, WAIVE_IDENTITY), it->name_loc, "%s",
			    buf_cstr(&msg));
	buf_free(&msg);
}

size_t abi_check(Spec *s, Diag *d, bool list_waived)
{
	Abi A;
	size_t i;
	A.d = d;
	A.quiet_waivers = !list_waived;
	A.nwaived = 0;
	for (i = 0; i < s->nitems; i++)
		s->items[i]->visit = 0;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		/* what a macro of Xen's declares (DEFINE_RING_TYPES) is Xen's
		 * as it is: laid out and proven, not ours to change */
		if (it->layout_failed || it->made_by)
			continue;
		if (it->kind == IT_STRUCT || it->kind == IT_UNION) {
			check_prims(&A, it);
			check_padding(&A, it);
		}
		/* an alias may be native-width on purpose (xen_ulong_t): the
		 * types that use it are what must agree */
		if (it->kind == IT_STRUCT || it->kind == IT_UNION) {
			check_identity(&A, it);
			check_split_identity(&A, s, it);
		}
	}
	return A.nwaived;
}
