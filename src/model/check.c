/*
 * check.c - the semantic checks, and the driver of the check stage.
 *
 * After every file is decoded, spec_check() has resolve.c build the symbol
 * table and resolve each name, and checks what no single table can tell:
 * unique member names and op numbers, enum values that fit their type,
 * bitmap bits that fit and do not overlap, tagged unions whose members
 * name values of their tag, bitfields and flexible arrays where C allows
 * them, and (through order.c) structs that do not contain themselves.  The
 * rules for names themselves are names.c's.  Every item is checked, used
 * or not (the RFC only validated what a struct reached).
 *
 * Each pass is linear: names are looked up in hash tables, and the cycle
 * search visits each struct once per architecture view.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

typedef struct Chk {
	Spec *s;
	Diag *d;
	Resolver *R; /* tag values name constants */
	/* Lookups that would otherwise scan a list for every tagged field,
	 * which a hostile spec makes quadratic (as many tagged fields in one
	 * struct as the limits allow):
	 *   variants    enum Item * -> HMap of its variant names;
	 *   tagged      (union, tag enum) pairs already checked. */
	HMap variants, tagged;
} Chk;

/* ---- Members ------------------------------------------------------------- */

/* Two definitions of one field name may coexist when they never exist
 * together: on disjoint targets, or for disjoint interface versions
 * (gnttab_setup_table.frame_list changed type in 0x00040300). */
static bool conds_disjoint(const Cond *a, const Cond *b)
{
	if (a->targets && b->targets && !(a->targets & b->targets))
		return true;
	/* the hypervisor's (or the toolstack's) version and the others' */
	if (((a->hypervisor || a->tools) && b->not_tools) ||
	    ((b->hypervisor || b->tools) && a->not_tools) ||
	    (a->hypervisor && b->not_hypervisor) ||
	    (b->hypervisor && a->not_hypervisor))
		return true;
	if (a->until && b->since && a->until <= b->since)
		return true;
	return b->until && a->since && b->until <= a->since;
}

/* A field name seen in a struct's scope, and the condition of the
 * anonymous member it is in (NULL: none), which holds for it too. */
typedef struct Seen {
	const Field *f;
	const Cond *outer;
} Seen;

static bool seen_disjoint(const Seen *a, const Field *f, const Cond *outer)
{
	return conds_disjoint(&a->f->cond, &f->cond) ||
	       (a->outer && conds_disjoint(a->outer, &f->cond)) ||
	       (outer && conds_disjoint(&a->f->cond, outer)) ||
	       (a->outer && outer && conds_disjoint(a->outer, outer));
}

/* Field names are unique within a struct or union, counting the members of
 * anonymous inline members, which C puts in the same scope; but for fields
 * whose conditions (or their anonymous members') exclude each other. */
static void field_names(Chk *C, HMap *seen, const Item *owner, const Item *it,
			const Cond *outer)
{
	size_t j;
	for (j = 0; j < it->nfields; j++) {
		Field *f = &it->fields[j];
		Seen *first;
		if (!f->name) {
			if (f->type && f->type->kind == TY_INLINE)
				field_names(C, seen, owner, f->type->item,
					    f->cond.loc.line ? &f->cond : outer);
			continue;
		}
		if (!names_c_name(C->d, f->name, f->name_loc, "field"))
			continue;
		first = hmap_gets(seen, f->name);
		if (first && !seen_disjoint(first, f, outer)) {
			diag_error(C->d, f->name_loc, "duplicate field '%s' in %s '%s'",
				   f->name, item_kind_name(owner->kind), owner->name);
			diag_note(C->d, first->f->name_loc, "'%s' is first defined here",
				  f->name);
			continue;
		}
		if (!first) {
			first = arena_alloc(&C->s->arena, sizeof *first);
			first->f = f;
			first->outer = outer;
			hmap_put(seen, f->name, strlen(f->name), first);
		}
	}
}

/* The element type of a field (arrays stripped) in spec words. */
static void elem_words(Buf *b, const Type *t)
{
	buf_clear(b);
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	if (t)
		type_to_string(b, t);
}

/* c = { join = true }: the field is declared in the declaration of the one
 * before it (`uint16_t ss, _pad1;`), which C allows for one element type;
 * a condition or a bit width would need a declaration of its own. */
static void check_joins(Chk *C, const Item *it)
{
	Buf a = {0}, b = {0};
	size_t i;
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i], *p = i ? &it->fields[i - 1] : NULL;
		if (!f->c_join)
			continue;
		if (!p) {
			diag_error(C->d, f->c_loc, "'%s' is joined to the field "
				   "before it (c.join), but it is the first field",
				   f->name ? f->name : "(anonymous)");
			continue;
		}
		if (!f->name || !p->name || f->c_decl || p->c_decl ||
		    f->cond.loc.line || p->cond.loc.line || f->bits || p->bits ||
		    (f->type != p->type &&
		     ((f->type && f->type->kind == TY_INLINE) ||
		      (p->type && p->type->kind == TY_INLINE)))) {
			diag_error(C->d, f->c_loc, "'%s' cannot be joined to the "
				   "field before it (c.join): a field with a condition, "
				   "a bit width, an inline type of its own or its own C "
				   "text needs a declaration of its own (a joined field "
				   "without typ shares the inline type of the one "
				   "before)", f->name ? f->name : "(anonymous)");
			continue;
		}
		elem_words(&a, p->type);
		elem_words(&b, f->type);
		if (strcmp(buf_cstr(&a), buf_cstr(&b)) != 0)
			diag_error(C->d, f->c_loc, "'%s' cannot be joined to '%s' "
				   "(c.join): one declaration has one element type, and "
				   "theirs are %s and %s", f->name, p->name,
				   buf_cstr(&b), buf_cstr(&a));
	}
	buf_free(&a);
	buf_free(&b);
}

static bool strs_equal(const char *const *a, size_t na, const char *const *b,
		       size_t nb)
{
	size_t i;
	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Do two conditions say the same, as written? */
static bool conds_equal(const Cond *a, const Cond *b)
{
	return a->tools == b->tools && a->hypervisor == b->hypervisor &&
	       a->not_tools == b->not_tools &&
	       a->not_hypervisor == b->not_hypervisor &&
	       a->targets == b->targets && a->since == b->since &&
	       a->until == b->until && a->assembly == b->assembly &&
	       strs_equal(a->defined, a->ndefined, b->defined, b->ndefined) &&
	       strs_equal(a->not_defined, a->nnot_defined, b->not_defined,
			  b->nnot_defined) &&
	       (a->c_if ? b->c_if && !strcmp(a->c_if, b->c_if) : !b->c_if);
}

/* c = { declare = true }: the field's struct or union is declared in the
 * member, `union xen_add_to_physmap_batch_extra { ... } u;`, as Xen
 * declares a few nested types (and its compat scripts read them so: a
 * union declared in place is translated with a switch, not a call).  C
 * then writes no declaration of its own for it, so it can have nothing
 * that one would carry: a typedef, a guest handle, an op, compatibility
 * names, a condition other than the one it is declared under (the
 * field's, or the struct's for a field with none, so that the layout
 * assertions test it where C declares it), and one field declares it.  Links it to the struct it is declared in. */
static void check_declares(Chk *C, Item *it)
{
	size_t i;
	const Item *top = it; /* the named struct an inline type is in */
	while (top->inline_type && top->parent)
		top = top->parent;
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		const char *fname = f->name ? f->name : "(anonymous)";
		const Type *t = f->type;
		Item *in;
		if (!f->c_declare)
			continue;
		while (t && t->kind == TY_ARRAY) /* struct x {...} v[3]; */
			t = t->elem;
		if (!t || t->kind != TY_NAMED || !t->sym || !t->sym->common ||
		    (t->sym->common->kind != IT_STRUCT &&
		     t->sym->common->kind != IT_UNION) ||
		    t->sym->common->unit != it->unit || t->via_typedef) {
			diag_error(C->d, f->c_loc, "'%s' cannot declare its type in "
				   "place (c.declare): that needs a struct or union "
				   "of this unit, named by its tag", fname);
			continue;
		}
		in = t->sym->common;
		if (in->declared_in) {
			diag_error(C->d, f->c_loc, "%s %s is declared in place by "
				   "two fields (c.declare); '%s' of %s is the "
				   "second", item_kind_name(in->kind), in->name,
				   fname, top->name);
			continue;
		}
		if (in->c.typedef_name || in->c.handle || in->c.typedef_decl ||
		    in->c.ncompat || in->op_family || in == it ||
		    !conds_equal(&in->cond, f->cond.loc.line ? &f->cond : &top->cond) ||
		    (f->cond.loc.line && top->cond.loc.line)) {
			diag_error(C->d, f->c_loc, "'%s' cannot declare %s %s in "
				   "place (c.declare): %s", fname,
				   item_kind_name(in->kind), in->name,
				   in == it ? "it is the struct itself"
				   : !conds_equal(&in->cond, f->cond.loc.line ? &f->cond : &top->cond) ||
				     (f->cond.loc.line && top->cond.loc.line)
				   ? "its `only` must be the field's (or, for a "
				     "field with none, the struct's): it exists "
				     "where C declares it"
				   : "it has a typedef, a guest handle, an op "
				     "or compatibility names, which need a "
				     "declaration of its own");
			continue;
		}
		in->declared_in = it;
	}
}

static void check_names(Chk *C, const char *const *names, size_t n, Loc loc)
{
	size_t i;
	for (i = 0; i < n; i++)
		names_ident(C->d, names[i], loc, "compat");
}

static void check_members(Chk *C)
{
	Spec *s = C->s;
	size_t i, j;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		HMap seen;
		hmap_init(&seen);
		if (it->c.set) {
			check_names(C, it->c.compat, it->c.ncompat, it->c.loc);
			if (it->c.typedef_name)
				names_c_name(C->d, it->c.typedef_name, it->c.loc, "typedef");
			if (it->c.prefix && *it->c.prefix && !is_ident(it->c.prefix))
				names_ident(C->d, it->c.prefix, it->c.loc, "prefix");
			if (it->c.all && *it->c.all)
				names_ident(C->d, it->c.all, it->c.loc, "mask");
		}
		if (it->kind == IT_STRUCT || it->kind == IT_UNION)
			check_joins(C, it);
		if ((it->kind == IT_STRUCT || it->kind == IT_UNION) && !it->inline_type) {
			field_names(C, &seen, it, it, NULL);
		} else if (it->kind == IT_ENUM || it->kind == IT_BITMAP) {
			bool is_enum = it->kind == IT_ENUM;
			size_t n = is_enum ? it->nvariants : it->nbits;
			for (j = 0; j < n; j++) {
				const char *name = is_enum ? it->variants[j].name
							   : it->bits[j].name;
				Loc *loc = is_enum ? &it->variants[j].name_loc
						   : &it->bits[j].name_loc;
				Loc *first;
				if (is_enum)
					check_names(C, it->variants[j].compat,
						    it->variants[j].ncompat, *loc);
				else
					check_names(C, it->bits[j].compat,
						    it->bits[j].ncompat, *loc);
				if (!names_ident(C->d, name, *loc,
						 is_enum ? "variant" : "bit"))
					continue;
				first = hmap_gets(&seen, name);
				if (first) {
					diag_error(C->d, *loc, "duplicate %s '%s' in %s '%s'",
						   is_enum ? "variant" : "bit", name,
						   item_kind_name(it->kind), it->name);
					diag_note(C->d, *first,
						  "'%s' is first defined here", name);
					continue;
				}
				hmap_put(&seen, name, strlen(name), loc);
			}
		}
		hmap_free(&seen);
	}
}

/* Is the family's command number of the op struct it still free?  It is
 * taken for it when so. */
static bool op_number_free(Chk *C, HMap *cmds, Buf *key, Item *it)
{
	Item *first;
	char *k;
	buf_clear(key);
	buf_printf(key, "%s/%lld", it->op_family, (long long)it->op_cmd);
	k = arena_strdup(&C->s->arena, buf_cstr(key));
	first = hmap_gets(cmds, k);
	if (first && first->unit->arch < 0 && it->unit->arch < 0) {
		diag_error(C->d, it->op_loc,
			   "structs '%s' and '%s' are both %s op %lld",
			   first->name, it->name, it->op_family,
			   (long long)it->op_cmd);
		diag_note(C->d, first->op_loc, "'%s' is given the op here",
			  first->name);
		return false;
	}
	hmap_put(cmds, k, strlen(k), it);
	return true;
}

/* Hypercall sub-ops: a family is an identifier, and within a family each
 * command number and each constant name belongs to one struct. */
static void check_ops(Chk *C)
{
	Spec *s = C->s;
	HMap cmds, names;
	size_t i, j;
	Buf key = {0};
	Arena *a = &s->arena;
	hmap_init(&cmds);
	hmap_init(&names);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		Item *first;
		if (it->kind != IT_STRUCT || !it->op_family)
			continue;
		if (!names_ident(C->d, it->op_family, it->op_loc, "op family"))
			continue;
		if (!it->op_name) {
			const char *rest = it->name;
			size_t fl = strlen(it->op_family);
			Buf n = {0};
			if (strncmp(rest, "xen_", 4) == 0 &&
			    strncmp(rest + 4, it->op_family, fl) == 0 &&
			    rest[4 + fl] == '_' && rest[5 + fl])
				rest += 5 + fl;
			buf_puts(&n, "XEN_");
			name_upper(&n, it->op_family);
			buf_printf(&n, "_%s", rest);
			it->op_name = arena_strdup(a, buf_cstr(&n));
			buf_free(&n);
		} else if (!names_ident(C->d, it->op_name, it->op_loc, "op")) {
			continue;
		}
		/* an op naming a constant has its number after layout
		 * (eval_check), and is checked against the others there */
		if (!it->op_ref && !op_number_free(C, &cmds, &key, it))
			continue;
		first = hmap_gets(&names, it->op_name);
		if (first && first->unit->arch < 0 && it->unit->arch < 0) {
			diag_error(C->d, it->op_loc,
				   "op name '%s' of struct '%s' is already used by "
				   "struct '%s'", it->op_name, it->name, first->name);
			continue;
		}
		hmap_put(&names, it->op_name, strlen(it->op_name), it);
		for (j = 0; j < it->nop_also; j++) {
			const char *n = it->op_also[j];
			if (!names_ident(C->d, n, it->op_also_locs[j], "op"))
				continue;
			first = hmap_gets(&names, n);
			if (first == it) {
				diag_error(C->d, it->op_also_locs[j], "op name "
					   "'%s' is listed twice for struct '%s'",
					   n, it->name);
				continue;
			}
			if (first && first->unit->arch < 0 && it->unit->arch < 0) {
				diag_error(C->d, it->op_also_locs[j],
					   "op name '%s' of struct '%s' is already "
					   "used by struct '%s'", n, it->name,
					   first->name);
				continue;
			}
			hmap_put(&names, n, strlen(n), it);
		}
	}
	buf_free(&key);
	hmap_free(&cmds);
	hmap_free(&names);
}

/* ---- Enums and bitmaps --------------------------------------------------- */

/* The width values must fit, on every target: long is 32 bits on the
 * 32-bit ones. */
static int prim_bits(Prim p)
{
	switch (p) {
	case P_U8: case P_I8: case P_CHAR: case P_UCHAR: case P_SCHAR: return 8;
	case P_U16: case P_I16: case P_SHORT: case P_USHORT: return 16;
	case P_U32: case P_I32: case P_INT: case P_UINT: case P_LONG:
	case P_ULONG: return 32;
	default: return 64;
	}
}

static bool value_fits(int64_t v, Prim p)
{
	int bits = prim_bits(p);
	if (prim_is_signed(p)) {
		int64_t lim = bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1;
		return v >= -lim - 1 && v <= lim;
	}
	if (v < 0)
		return false;
	return bits == 64 || (uint64_t)v < ((uint64_t)1 << bits);
}

static void check_enum(Chk *C, Item *it)
{
	HMap seen;
	size_t j;
	hmap_init(&seen);
	for (j = 0; j < it->nvariants; j++) {
		Variant *v = &it->variants[j];
		Variant *first;
		if (!value_fits(v->value, it->backing)) {
			diag_error(C->d, v->value_loc,
				   "value %lld of variant '%s' does not fit the "
				   "backing type %s of enum '%s'",
				   (long long)v->value, v->name, prim_name(it->backing),
				   it->name);
			continue;
		}
		first = hmap_get(&seen, (const char *)&v->value, sizeof v->value);
		if (first) {
			diag_error(C->d, v->value_loc,
				   "variants '%s' and '%s' of enum '%s' have the same "
				   "value %lld",
				   first->name, v->name, it->name, (long long)v->value);
			diag_note(C->d, first->value_loc, "'%s' is given %lld here",
				  first->name, (long long)v->value);
			continue;
		}
		hmap_put(&seen, (const char *)&v->value, sizeof v->value, v);
	}
	hmap_free(&seen);
}

static void check_bitmap(Chk *C, Item *it)
{
	Bit *owner[64] = {0};
	int width = prim_bits(it->backing);
	size_t j;
	int64_t k;
	for (j = 0; j < it->nbits; j++) {
		Bit *b = &it->bits[j];
		if (b->shift < 0 || b->shift >= width ||
		    b->width > width - b->shift) {
			if (b->width > 1)
				diag_error(C->d, b->shift_loc,
					   "bits %lld to %lld of field '%s' do not fit "
					   "the %d-bit backing type %s of bitmap '%s'",
					   (long long)b->shift,
					   (long long)(b->shift + b->width - 1), b->name,
					   width, prim_name(it->backing), it->name);
			else
				diag_error(C->d, b->shift_loc,
					   "shift %lld of bit '%s' does not fit the %d-bit "
					   "backing type %s of bitmap '%s' (valid: 0 to %d)",
					   (long long)b->shift, b->name, width,
					   prim_name(it->backing), it->name, width - 1);
			continue;
		}
		for (k = b->shift; k < b->shift + b->width; k++) {
			if (owner[k]) {
				diag_error(C->d, b->shift_loc,
					   "bit '%s' overlaps bit '%s' of bitmap '%s' "
					   "(both use bit %lld)",
					   b->name, owner[k]->name, it->name, (long long)k);
				diag_note(C->d, owner[k]->shift_loc,
					  "'%s' uses bit %lld here", owner[k]->name,
					  (long long)k);
				break;
			}
		}
		if (k < b->shift + b->width)
			continue;
		for (k = b->shift; k < b->shift + b->width; k++)
			owner[k] = b;
	}
}

/* An integer value must fit its typ (an expression's C type is checked
 * once it is computed, eval.c). */
static void check_const(Chk *C, Item *it)
{
	if (it->const_type && it->int_value &&
	    !value_fits(it->value, it->const_type->prim))
		diag_error(C->d, it->value_loc,
			   "value %lld of constant '%s' does not fit its type %s",
			   (long long)it->value, it->name,
			   prim_name(it->const_type->prim));
}

/* ---- Names C defines: typedefs and members ------------------------------ */

/* Do an item of a unit below an architecture's directory and the other
 * definitions of a name never exist on one target (Xen's x86_32 struct
 * xen_callback, typedef'd xen_callback_t, and x86_64's xen_callback_t, an
 * integer)? */
static bool apart(const Item *it, const Symbol *other)
{
	unsigned mine = resolve_split_targets(it->unit), theirs = 0;
	int t;
	if (!mine || other->common)
		return false;
	for (t = 0; t < NTARGETS; t++)
		if (other->tgt[t] || other->arch[targets[t].arch])
			theirs |= 1u << t;
	return !(mine & theirs);
}

/* A struct's or union's typedef is a type name too: c.typedef, or the
 * name_t that c.handle declares. */
static void build_typedefs(Chk *C)
{
	Spec *s = C->s;
	size_t i;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		const char *td = it->c.typedef_name;
		Symbol *sym, *other, *prev;
		if (!td && it->c.handle && (it->kind == IT_STRUCT ||
					    it->kind == IT_UNION))
			td = arena_printf(&s->arena, "%s_t", it->name);
		if ((it->kind != IT_STRUCT && it->kind != IT_UNION) ||
		    it->inline_type || !td || !is_ident(td))
			continue;
		sym = hmap_gets(&s->symbols, it->name);
		if (!sym)
			continue; /* an invalid name: reported */
		other = hmap_gets(&s->symbols, td);
		if (other && apart(it, other))
			continue; /* never on one target: each header has its own */
		if (other) {
			const Item *o = symbol_any(other);
			diag_error(C->d, it->c.loc.line ? it->c.loc : it->name_loc,
				   "typedef '%s' of %s '%s' is also the name of "
				   "%s '%s'", td, item_kind_name(it->kind), it->name,
				   item_kind_name(o->kind), o->name);
			diag_note(C->d, o->name_loc, "'%s' is defined here", o->name);
			continue;
		}
		prev = hmap_gets(&s->typedefs, td);
		if (prev && prev != sym) {
			const Item *o = symbol_any(prev);
			diag_error(C->d, it->c.loc.line ? it->c.loc : it->name_loc,
				   "typedef '%s' names both %s '%s' and %s '%s'", td,
				   item_kind_name(o->kind), o->name,
				   item_kind_name(it->kind), it->name);
			continue;
		}
		hmap_put(&s->typedefs, td, strlen(td), sym);
	}
}

static void add_member(Chk *C, const char *name, Item *it, MemberRole role,
		       size_t index)
{
	Spec *s = C->s;
	MemberSym *m = hmap_gets(&s->members, name);
	MemberRef *r;
	if (!m) {
		m = arena_alloc(&s->arena, sizeof *m);
		m->name = name;
		hmap_put(&s->members, name, strlen(name), m);
	}
	r = it->unit->arch < 0 ? &m->common : &m->arch[it->unit->arch];
	if (r->it)
		return; /* defined twice: C's business, and the first wins */
	r->it = it;
	r->role = role;
	r->index = index;
}

static const char *member_name(Chk *C, Buf *b, const Item *it,
			       const char *pre, const char *member,
			       const char *post)
{
	buf_clear(b);
	buf_puts(b, pre);
	names_member_macro(b, it, member);
	buf_puts(b, post);
	return arena_strdup(&C->s->arena, buf_cstr(b));
}

/* The macros and enumerators C defines for members and ops, which
 * expressions may use: Spec.members. */
static void build_members(Chk *C)
{
	Spec *s = C->s;
	Buf b = {0};
	size_t i, j, k;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		if (it->kind == IT_STRUCT && it->op_family && it->op_name &&
		    !it->op_ref && is_ident(it->op_name))
			add_member(C, it->op_name, it, MR_OP, 0);
		if (it->kind == IT_ENUM) {
			for (j = 0; j < it->nvariants; j++) {
				const Variant *v = &it->variants[j];
				if (!v->name || !is_ident(v->name))
					continue;
				add_member(C, member_name(C, &b, it, "", v->name, ""),
					   it, MR_VARIANT, j);
				for (k = 0; k < v->ncompat; k++)
					add_member(C, v->compat[k], it, MR_VARIANT, j);
			}
		}
		if (it->kind != IT_BITMAP)
			continue;
		for (j = 0; j < it->nbits; j++) {
			const Bit *bit = &it->bits[j];
			if (!bit->name || !is_ident(bit->name))
				continue;
			if (bit->width > 1) {
				add_member(C, member_name(C, &b, it, "", bit->name,
							  "_shift"), it, MR_FIELD_SHIFT, j);
				add_member(C, member_name(C, &b, it, "", bit->name,
							  "_mask"), it, MR_FIELD_MASK, j);
				continue;
			}
			add_member(C, member_name(C, &b, it, "", bit->name, ""), it,
				   MR_BIT, j);
			if (bit->bit_number > 0 ||
			    (bit->bit_number < 0 && it->c.bit_numbers))
				add_member(C, member_name(C, &b, it, "_", bit->name, ""),
					   it, MR_BIT_NUMBER, j);
			for (k = 0; k < bit->ncompat; k++)
				add_member(C, bit->compat[k], it, MR_BIT, j);
		}
		buf_clear(&b);
		if (names_all_macro(&b, it) && is_ident(buf_cstr(&b)))
			add_member(C, arena_strdup(&s->arena, buf_cstr(&b)), it,
				   MR_ALL, 0);
	}
	buf_free(&b);
}

/* ---- Macros, handles, rings ------------------------------------------- */

/* Guest handles have names of their own: each at most once per view. */
static void check_handles(Chk *C)
{
	Spec *s = C->s;
	HMap seen[NARCH + 1];
	size_t i;
	int a;
	for (a = 0; a <= NARCH; a++)
		hmap_init(&seen[a]);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		Item *first;
		int view = it->unit->arch + 1;
		if (it->kind != IT_HANDLE)
			continue;
		if (!names_ident(C->d, it->name, it->name_loc, "handle"))
			continue;
		first = hmap_gets(&seen[view], it->name);
		if (!first && view)
			first = hmap_gets(&seen[0], it->name);
		if (first && conds_disjoint(&first->cond, &it->cond))
			first = NULL;
		if (first) {
			diag_error(C->d, it->name_loc, "guest handle '%s' is defined "
				   "twice", it->name);
			diag_note(C->d, first->name_loc, "'%s' is first defined here",
				  it->name);
			continue;
		}
		hmap_put(&seen[view], it->name, strlen(it->name), it);
	}
	for (a = 0; a <= NARCH; a++)
		hmap_free(&seen[a]);
}

/* A ring carries structs (or unions), named, by typedef or by an alias
 * of one (Xen's vm_event_response_t, a second typedef of the request's
 * struct). */
static void check_ring(Chk *C, Item *it)
{
	const Type *ts[2];
	int k;
	ts[0] = it->ring_req;
	ts[1] = it->ring_rsp;
	for (k = 0; k < 2; k++) {
		const Item *r;
		int hops = 0;
		if (!ts[k] || ts[k]->kind != TY_NAMED || !ts[k]->sym)
			continue;
		r = symbol_any(ts[k]->sym);
		while (r->kind == IT_ALIAS && r->alias && r->alias->kind == TY_NAMED &&
		       r->alias->sym && hops++ < 64)
			r = symbol_any(r->alias->sym);
		if (r->kind != IT_STRUCT && r->kind != IT_UNION)
			diag_error(C->d, ts[k]->loc, "a ring's %s is a struct or a "
				   "union, not %s '%s'", k ? "response" : "request",
				   item_kind_name(r->kind), r->name);
	}
}

/* ---- Tagged unions and fields -------------------------------------------- */

/* The integer type behind a type, if it is one (through aliases, enums
 * and bitmaps). */
static bool integer_of(const Type *t, int arch, Prim *p)
{
	int guard = 0;
	while (t && guard++ < 64) {
		const Item *it;
		if (t->kind == TY_PRIM) {
			*p = t->prim;
			return prim_is_integer(t->prim) || t->prim == P_CHAR;
		}
		if (t->kind != TY_NAMED || !t->sym)
			return false;
		it = symbol_item(t->sym, arch);
		if (!it)
			return false;
		if (it->kind == IT_ENUM || it->kind == IT_BITMAP) {
			*p = it->backing;
			return true;
		}
		if (it->kind != IT_ALIAS)
			return false;
		t = it->alias;
		if (!t)
			for (arch = 0; arch < NARCH && !t; arch++)
				t = it->arch_alias[arch];
	}
	return false;
}

static const Item *enum_of(const Type *t)
{
	const Item *it;
	if (!t || t->kind != TY_NAMED || !t->sym)
		return NULL;
	it = symbol_item(t->sym, -1);
	if (!it) {
		int a;
		for (a = 0; a < NARCH && !it; a++)
			it = t->sym->arch[a];
	}
	return it && it->kind == IT_ENUM ? it : NULL;
}

/* The union a field's type names, named or inline. */
static Item *union_of(const Type *t)
{
	Item *it = NULL;
	if (t->kind == TY_INLINE)
		it = t->item;
	else if (t->kind == TY_NAMED && t->sym)
		it = t->sym->common;
	return it && it->kind == IT_UNION ? it : NULL;
}

/* A pointer's bytes as a hash key that lives as long as the spec (the
 * tables do not copy their keys). */
static const char *ptr_key(Chk *C, const void *p, const void *q, size_t *len)
{
	const void **k = arena_alloc(&C->s->arena, 2 * sizeof *k);
	k[0] = p;
	k[1] = q;
	*len = 2 * sizeof *k;
	return (const char *)k;
}

/* The variants of an enum by name (built once per enum). */
static const HMap *variant_map(Chk *C, const Item *en)
{
	size_t len, v;
	const char *key = ptr_key(C, en, NULL, &len);
	HMap *m = hmap_get(&C->variants, key, len);
	if (m)
		return m;
	m = arena_alloc(&C->s->arena, sizeof *m);
	hmap_init_arena(m, &C->s->arena);
	for (v = 0; v < en->nvariants; v++)
		hmap_put(m, en->variants[v].name, strlen(en->variants[v].name),
			 &en->variants[v]);
	hmap_put(&C->variants, key, len, m);
	return m;
}

/* A tagged union: the field names its tag, and each member of the union
 * says for which values of the tag it holds.  names: the owner's field
 * names, to the index + 1 of the last field of each name (fields may share
 * a name under disjoint conditions). */
static void check_tag(Chk *C, Item *owner, Field *f, const HMap *names)
{
	Item *un = union_of(f->type);
	const Item *en;
	const HMap *vmap = NULL;
	const char *pair;
	Prim p;
	HMap seen;
	size_t i, k, len;
	int ti = (int)(uintptr_t)hmap_gets(names, f->tag) - 1;
	if (!un) {
		diag_error(C->d, f->tag_loc,
			   "only a union-typed field can have a tag ('%s' is not "
			   "a union)", f->name ? f->name : "(anonymous)");
		return;
	}
	if (ti < 0) {
		diag_error(C->d, f->tag_loc, "tag '%s' is not a field of %s '%s'",
			   f->tag, item_kind_name(owner->kind), owner->name);
		return;
	}
	if (!integer_of(owner->fields[ti].type, -1, &p)) {
		diag_error(C->d, f->tag_loc,
			   "tag '%s' must be an integer or enum field", f->tag);
		return;
	}
	f->tag_index = ti;
	en = enum_of(owner->fields[ti].type);
	/* the members' 'when' values depend only on the union and the tag's
	 * enum: check each pair once (and report its errors once) */
	pair = ptr_key(C, un, en, &len);
	if (hmap_get(&C->tagged, pair, len))
		return;
	hmap_put(&C->tagged, pair, len, (void *)pair);
	if (en)
		vmap = variant_map(C, en);
	/* A member without `when` is selected by no value of the tag: the
	 * padding that sizes the union (Xen's pad[128] in xen_domctl.u) or
	 * a raw view of its bytes.  A union with no member that any value
	 * selects has nothing for the tag to say. */
	for (i = 0; i < un->nfields && !un->fields[i].nwhen; i++)
		;
	if (i == un->nfields) {
		diag_error(C->d, f->tag_loc,
			   "no member of the union '%s' has 'when': give each "
			   "member the values of '%s' that select it",
			   f->name ? f->name : "(anonymous)", f->tag);
		return;
	}
	hmap_init(&seen);
	for (i = 0; i < un->nfields; i++) {
		Field *m = &un->fields[i];
		for (k = 0; k < m->nwhen; k++) {
			Field *first;
			if (m->when_names[k]) {
				if (en) {
					const Variant *v = hmap_gets(vmap, m->when_names[k]);
					if (v) {
						m->when[k] = v->value;
					} else {
						diag_error(C->d, m->when_loc,
							   "'%s' is not a variant of enum '%s'",
							   m->when_names[k], en->name);
						continue;
					}
				} else {
					Symbol *sym = resolve_name(C->R, owner->unit, m->when_names[k],
								   m->when_loc, IT_CONST);
					Item *ci;
					Value v;
					if (!sym)
						continue;
					ci = symbol_any(sym);
					if (ci->int_value) {
						m->when[k] = ci->value;
					} else if (const_value(C->s, ci, TGT_X86_64, &v) == EV_OK) {
						m->when[k] = (int64_t)v.v;
					} else {
						diag_error(C->d, m->when_loc, "tag value '%s' "
							   "cannot be computed from numbers and "
							   "constants alone", m->when_names[k]);
						continue;
					}
				}
			}
			first = hmap_get(&seen, (const char *)&m->when[k], sizeof m->when[k]);
			if (first) {
				diag_error(C->d, m->when_loc,
					   "members '%s' and '%s' of the union are both "
					   "selected by %s == %lld",
					   first->name ? first->name : "(anonymous)",
					   m->name ? m->name : "(anonymous)", f->tag,
					   (long long)m->when[k]);
				continue;
			}
			hmap_put(&seen, (const char *)&m->when[k], sizeof m->when[k], m);
		}
	}
	hmap_free(&seen);
}

/* Per-field rules: bitfields, flexible arrays, tags, 'when'. */
static void check_fields(Chk *C, Item *it)
{
	HMap names;
	bool have_names = false;
	size_t i, j;
	for (i = 0; i < it->nfields; i++) {
		Field *f = &it->fields[i];
		Prim p;
		if (f->bits) {
			uint64_t size, align;
			if (!integer_of(f->type, -1, &p) || p == P_CHAR) {
				diag_error(C->d, f->name_loc,
					   "bitfield '%s' must have an integer type",
					   f->name ? f->name : "(anonymous)");
			} else {
				prim_layout(p, TGT_X86_64, &size, &align);
				if (f->bits > size * 8)
					diag_error(C->d, f->name_loc,
						   "bitfield '%s' is %u bits wide but its "
						   "type %s has only %llu",
						   f->name, f->bits, prim_name(p),
						   (unsigned long long)size * 8);
			}
		}
		if (f->type->kind == TY_ARRAY && f->type->flex &&
		    (it->kind != IT_STRUCT || i + 1 != it->nfields))
			diag_error(C->d, f->type->count_loc,
				   "a flexible array must be the last field of a "
				   "struct");
		if (f->tag && !have_names) {
			/* each name to its last field's index + 1 */
			hmap_init(&names);
			for (j = 0; j < it->nfields; j++)
				if (it->fields[j].name)
					hmap_put(&names, it->fields[j].name,
						 strlen(it->fields[j].name),
						 (void *)(uintptr_t)(j + 1)); /* NOLINT(performance-no-int-to-ptr) */
			have_names = true;
		}
		if (f->tag)
			check_tag(C, it, f, &names);
		if (f->nwhen && it->kind != IT_UNION)
			diag_error(C->d, f->when_loc,
				   "'when' belongs on the members of a tagged union");
	}
	if (have_names)
		hmap_free(&names);
}

/* ---- Aliases ------------------------------------------------------------- */

/* A per-architecture alias needs a type on every target that is laid
 * out: without one, every type using it has no layout there, and its C
 * typedef is missing on that architecture. */
static void check_arch_alias(Chk *C, Item *it)
{
	int a, t;
	for (a = 0; a < NARCH && !it->arch_alias[a]; a++)
		;
	if (a == NARCH)
		return; /* no type at all: reported by the decoder */
	for (a = 0; a < NARCH; a++) {
		if (it->arch_alias[a])
			continue;
		for (t = 0; t < NTARGETS; t++)
			if (targets[t].arch == a && C->s->covered[t] &&
			    item_on_target(it, t))
				break;
		if (t == NTARGETS)
			continue;
		diag_error(C->d, it->name_loc,
			   "alias '%s' has no type for %s, but %s is laid out: add "
			   "%s = \"...\" to its typ, or limit the alias with only = "
			   "{ archs = [...] }", it->name, arch_name(a),
			   targets[t].name, arch_name(a));
		it->layout_failed = true;
	}
}

/* ---- Units ---------------------------------------------------------------- */

/* A unit's header path as the C backend writes it, for one spelling of
 * the default (with or without --keep-dashes). */
static void header_path(Buf *b, const Unit *u, bool keep_dashes)
{
	const char *p;
	if (u->header.path) {
		buf_puts(b, u->header.path);
		return;
	}
	for (p = u->name; *p; p++)
		buf_putc(b, (char)(*p == '-' && !keep_dashes ? '_' : *p));
	buf_puts(b, ".h");
}

/* Header paths are unique: a [header] path that another unit's header
 * has too (given, or by default with or without --keep-dashes) would be
 * one file for two outputs. */
static void clash(Chk *C, const Unit *given, const Unit *other,
		  const char *path)
{
	diag_error(C->d, given->header.path_loc, "header path '%s' of '%s' is "
		   "also the header of '%s'", path, given->name, other->name);
	if (other->header.path)
		diag_note(C->d, other->header.path_loc, "'%s' has it here",
			  other->name);
}

bool bump_pattern_match(const char *p, const char *name)
{
	/* '*' only, matched greedily with one backtrack point: linear in
	 * practice, and never worse than the product of the lengths */
	const char *star = NULL, *retry = NULL;
	while (*name) {
		if (*p == '*') {
			star = ++p;
			retry = name;
		} else if (*p == *name) {
			p++;
			name++;
		} else if (star) {
			p = star;
			name = ++retry;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

/* [abi] bump: the constant is one of the specs, and each pattern is made
 * of the characters of a name and '*'. */
static void check_bumps(Chk *C)
{
	size_t i, j, k;
	for (i = 0; i < C->s->nunits; i++) {
		const Unit *u = C->s->units[i];
		for (j = 0; j < u->nbumps; j++) {
			const UnitBump *b = &u->bumps[j];
			const Symbol *sym = hmap_gets(&C->s->symbols, b->constant);
			const Item *it = sym ? symbol_any(sym) : NULL;
			if (!it || it->kind != IT_CONST)
				diag_error(C->d, b->constant_loc,
					   "bump: '%s' is not a constant of the specs "
					   "(the rule needs a version constant)",
					   b->constant);
			for (k = 0; k < b->ntypes; k++) {
				const char *p = b->types[k];
				size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz"
						  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						  "0123456789_*");
				if (*p && !p[n])
					continue;
				diag_error(C->d, b->type_locs[k],
					   "bump: a pattern of 'types' is a name in "
					   "which '*' matches any run of characters, not "
					   "'%s'", p);
			}
		}
	}
}

static void check_headers(Chk *C)
{
	Spec *s = C->s;
	HMap given;
	Buf b = {0};
	size_t i;
	int dashes;
	hmap_init(&given);
	for (i = 0; i < s->nunits; i++) {
		const Unit *u = s->units[i], *first;
		if (u->header.guard)
			names_ident(C->d, u->header.guard, u->header.guard_loc,
				    "include guard");
		if (!u->header.path)
			continue;
		first = hmap_gets(&given, u->header.path);
		if (first)
			clash(C, u, first, u->header.path);
		else
			hmap_put(&given, u->header.path, strlen(u->header.path),
				 (void *)u);
	}
	for (i = 0; i < s->nunits && given.count; i++) {
		const Unit *u = s->units[i], *first;
		if (u->header.path)
			continue;
		for (dashes = 0; dashes < 2; dashes++) {
			buf_clear(&b);
			header_path(&b, u, dashes);
			first = hmap_gets(&given, buf_cstr(&b));
			if (first) {
				clash(C, first, u, buf_cstr(&b));
				break;
			}
		}
	}
	buf_free(&b);
	hmap_free(&given);
}

/* An item of an architecture's unit exists on that architecture only: a
 * condition that leaves none of its targets is a mistake. */
static void check_family(Chk *C, const Item *it)
{
	if (it->unit->family < 0 || it->inline_type ||
	    targets_keep_arch(it->cond.targets, it->unit->family))
		return;
	diag_error(C->d, it->cond.loc, "this condition excludes every target of "
		   "'%s', whose items exist on %s only", it->unit->name,
		   arch_name(it->unit->family));
}

/* ---- Driver -------------------------------------------------------------- */

void spec_check(Spec *s, Diag *d)
{
	Chk C;
	size_t i;
	int a, t;
	bool any_arch = false, uses_arch = false;

	C.s = s;
	C.d = d;
	C.R = resolve_new(s, d);
	hmap_init(&C.variants);
	hmap_init(&C.tagged);
	resolve_symbols(C.R);
	resolve_conds(C.R);
	check_members(&C);
	build_typedefs(&C);
	resolve_includes(C.R);
	check_ops(&C);
	build_members(&C);
	check_headers(&C);
	check_bumps(&C);
	names_check_macros(s, d);
	check_handles(&C);
	{
		/* every field name, for aliases that name one */
		HMap fields;
		hmap_init(&fields);
		for (i = 0; i < s->nitems; i++) {
			const Item *it = s->items[i];
			size_t j;
			if (it->kind == IT_STRUCT || it->kind == IT_UNION)
				for (j = 0; j < it->nfields; j++)
					if (it->fields[j].name)
						hmap_put(&fields, it->fields[j].name,
							 strlen(it->fields[j].name),
							 (void *)it->fields[j].name);
		}
		for (i = 0; i < s->nitems; i++)
			if (s->items[i]->kind == IT_CONST)
				resolve_const_alias(C.R, s->items[i], &fields);
		hmap_free(&fields);
	}
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		switch (it->kind) {
		case IT_STRUCT:
		case IT_UNION:
		case IT_ALIAS:
			resolve_item(C.R, it);
			break;
		case IT_ENUM:
			check_enum(&C, it);
			resolve_item(C.R, it);
			break;
		case IT_BITMAP:
			check_bitmap(&C, it);
			resolve_item(C.R, it);
			break;
		case IT_CONST:
			check_const(&C, it);
			resolve_item(C.R, it);
			break;
		case IT_MACRO:
		case IT_HANDLE:
			resolve_item(C.R, it);
			break;
		case IT_XMACRO:
		case IT_RING:
		case IT_ANY:
			break;
		}
		check_family(&C, it);
	}
	/* after resolution: rules that look through types */
	for (i = 0; i < s->nitems; i++) {
		if (s->items[i]->kind == IT_STRUCT || s->items[i]->kind == IT_UNION) {
			check_fields(&C, s->items[i]);
			check_declares(&C, s->items[i]);
		}
		if (s->items[i]->kind == IT_RING)
			check_ring(&C, s->items[i]);
	}
	for (a = 0; a < NARCH; a++) {
		if (s->arch_units[a])
			any_arch = true;
	}
	for (i = 0; i < s->nunits; i++)
		uses_arch |= s->units[i]->uses_arch;
	/* A view per architecture directory; without any, one common view
	 * (arch -1 sees only common items). */
	if (any_arch) {
		for (a = 0; a < NARCH; a++)
			if (s->arch_units[a])
				order_walk(s, a, NULL, d);
	} else {
		order_walk(s, -1, NULL, d);
	}
	/* Which targets can be laid out: those whose architecture has a
	 * directory, and all of them when nothing depends on one. */
	for (t = 0; t < NTARGETS; t++)
		s->covered[t] = s->arch_units[targets[t].arch] || !uses_arch;
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_ALIAS && !s->items[i]->alias)
			check_arch_alias(&C, s->items[i]);
	resolve_free(C.R);
	hmap_free(&C.variants);
	hmap_free(&C.tagged);
}
