/*
 * check.c - name resolution and semantic checks.
 *
 * After every file is decoded, this pass builds the symbol table, resolves
 * each type reference, and checks what no single table can tell: unique
 * names, valid identifiers, includes that import what their source defines,
 * enum values that fit their type, bitmap bits that fit and do not overlap,
 * and structs that contain themselves.  Every item is checked, used or not
 * (the RFC only validated what a struct reached).
 *
 * Each pass is linear: names are looked up in hash tables, and the cycle
 * search visits each struct once per architecture view.
 */
#include "bounds.h"
#include "layout.h"
#include "names.h"
#include "spec.h"

#include <stdlib.h>
#include <string.h>

typedef struct Chk {
	Spec *s;
	Diag *d;
} Chk;

/* ---- Identifiers ---------------------------------------------------------- */

static bool check_ident(Chk *C, const char *name, Loc loc, const char *what)
{
	if (strlen(name) > MAX_IDENT_LEN) {
		diag_error(C->d, loc, "%s name is longer than %d characters", what,
			   MAX_IDENT_LEN);
		return false;
	}
	if (!is_ident(name)) {
		Buf b = {0};
		const char *p;
		for (p = name; *p && b.len < 80; p++) {
			unsigned char c = (unsigned char)*p;
			if (c < 0x20 || c == 0x7f)
				buf_printf(&b, "\\x%02x", c);
			else
				buf_putc(&b, (char)c);
		}
		diag_error(C->d, loc,
			   "invalid %s name '%s': a name must match "
			   "[A-Za-z_][A-Za-z0-9_]*", what, buf_cstr(&b));
		buf_free(&b);
		return false;
	}
	return true;
}

/* Names used verbatim in C (types, fields) cannot be C or C++ keywords. */
static bool check_c_name(Chk *C, const char *name, Loc loc, const char *what)
{
	if (!check_ident(C, name, loc, what))
		return false;
	if (c_keyword(name)) {
		diag_error(C->d, loc,
			   "%s name '%s' is a C or C++ keyword; choose another name",
			   what, name);
		return false;
	}
	return true;
}

/* ---- Symbols -------------------------------------------------------------- */

static void duplicate(Chk *C, const Item *it, const Item *first)
{
	diag_error(C->d, it->name_loc, "duplicate definition of %s '%s'",
		   item_kind_name(it->kind), it->name);
	diag_note(C->d, first->name_loc, "'%s' is first defined here (as a %s)",
		  first->name, item_kind_name(first->kind));
}

static void build_symbols(Chk *C)
{
	Spec *s = C->s;
	size_t i;
	int a;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		Symbol *sym;
		int arch = it->unit->arch;
		if (!check_c_name(C, it->name, it->name_loc,
				  item_kind_name(it->kind)))
			continue;
		sym = hmap_gets(&s->symbols, it->name);
		if (!sym) {
			sym = arena_alloc(&s->arena, sizeof *sym);
			sym->name = it->name;
			hmap_put(&s->symbols, it->name, strlen(it->name), sym);
		}
		if (sym->common) {
			duplicate(C, it, sym->common);
			continue;
		}
		if (arch < 0) {
			for (a = 0; a < NARCH; a++)
				if (sym->arch[a])
					break;
			if (a < NARCH) {
				duplicate(C, it, sym->arch[a]);
				continue;
			}
			sym->common = it;
		} else {
			if (sym->arch[arch]) {
				duplicate(C, it, sym->arch[arch]);
				continue;
			}
			/* Code shared by all architectures declares fields of
			 * this type; the declaration must not depend on which
			 * architecture defines it. */
			for (a = 0; a < NARCH; a++) {
				const Item *o = sym->arch[a];
				if (o && (o->kind != it->kind ||
					  (o->kind != IT_STRUCT && o->backing != it->backing))) {
					diag_error(C->d, it->name_loc,
						   "'%s' is a %s %s here but a %s %s in "
						   "'%s'; every architecture must define "
						   "it alike",
						   it->name, it->kind == IT_STRUCT ? "" : prim_name(it->backing),
						   item_kind_name(it->kind),
						   o->kind == IT_STRUCT ? "" : prim_name(o->backing),
						   item_kind_name(o->kind), o->unit->name);
					diag_note(C->d, o->name_loc, "'%s' is defined here",
						  it->name);
					break;
				}
			}
			sym->arch[arch] = it;
		}
	}
}

/* ---- Members ---------------------------------------------------------------- */

/* Member names are unique within their item.  The table is rebuilt per
 * item, so the pass stays linear. */
static void check_members(Chk *C)
{
	Spec *s = C->s;
	size_t i, j;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		HMap seen;
		hmap_init(&seen);
		if (it->kind == IT_STRUCT) {
			for (j = 0; j < it->nfields; j++) {
				Field *f = &it->fields[j];
				Loc *first;
				if (!check_c_name(C, f->name, f->name_loc, "field"))
					continue;
				first = hmap_gets(&seen, f->name);
				if (first) {
					diag_error(C->d, f->name_loc,
						   "duplicate field '%s' in struct '%s'",
						   f->name, it->name);
					diag_note(C->d, *first,
						  "'%s' is first defined here", f->name);
					continue;
				}
				hmap_put(&seen, f->name, strlen(f->name), &f->name_loc);
			}
		} else {
			bool is_enum = it->kind == IT_ENUM;
			size_t n = is_enum ? it->nvariants : it->nbits;
			for (j = 0; j < n; j++) {
				const char *name = is_enum ? it->variants[j].name
							   : it->bits[j].name;
				Loc *loc = is_enum ? &it->variants[j].name_loc
						   : &it->bits[j].name_loc;
				Loc *first;
				if (!check_ident(C, name, *loc,
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

/* Hypercall sub-ops: a family is an identifier, and within a family each
 * command number and each constant name belongs to one struct. */
static void check_ops(Chk *C)
{
	Spec *s = C->s;
	HMap cmds, names;
	size_t i;
	Buf key = {0};
	Arena *a = &s->arena;
	hmap_init(&cmds);
	hmap_init(&names);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		Item *first;
		char *k;
		if (it->kind != IT_STRUCT || !it->op_family)
			continue;
		if (!check_ident(C, it->op_family, it->op_loc, "op family"))
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
		} else if (!check_ident(C, it->op_name, it->op_loc, "op")) {
			continue;
		}
		buf_clear(&key);
		buf_printf(&key, "%s/%lld", it->op_family, (long long)it->op_cmd);
		k = arena_strdup(a, buf_cstr(&key));
		first = hmap_gets(&cmds, k);
		if (first && first->unit->arch < 0 && it->unit->arch < 0) {
			diag_error(C->d, it->op_loc,
				   "structs '%s' and '%s' are both %s op %lld",
				   first->name, it->name, it->op_family,
				   (long long)it->op_cmd);
			diag_note(C->d, first->op_loc, "'%s' is given the op here",
				  first->name);
			continue;
		}
		hmap_put(&cmds, k, strlen(k), it);
		first = hmap_gets(&names, it->op_name);
		if (first && first->unit->arch < 0 && it->unit->arch < 0) {
			diag_error(C->d, it->op_loc,
				   "op name '%s' of struct '%s' is already used by "
				   "struct '%s'", it->op_name, it->name, first->name);
			continue;
		}
		hmap_put(&names, it->op_name, strlen(it->op_name), it);
	}
	buf_free(&key);
	hmap_free(&cmds);
	hmap_free(&names);
}

/* ---- Enums and bitmaps ---------------------------------------------------- */

static int prim_bits(Prim p)
{
	switch (p) {
	case P_U8: case P_I8: return 8;
	case P_U16: case P_I16: return 16;
	case P_U32: case P_I32: return 32;
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
	for (j = 0; j < it->nbits; j++) {
		Bit *b = &it->bits[j];
		if (b->shift < 0 || b->shift >= width) {
			diag_error(C->d, b->shift_loc,
				   "shift %lld of bit '%s' does not fit the %d-bit "
				   "backing type %s of bitmap '%s' (valid: 0 to %d)",
				   (long long)b->shift, b->name, width,
				   prim_name(it->backing), it->name, width - 1);
			continue;
		}
		if (owner[b->shift]) {
			diag_error(C->d, b->shift_loc,
				   "bit '%s' overlaps bit '%s' of bitmap '%s' (both "
				   "use bit %lld)",
				   b->name, owner[b->shift]->name, it->name,
				   (long long)b->shift);
			diag_note(C->d, owner[b->shift]->shift_loc,
				  "'%s' uses bit %lld here", owner[b->shift]->name,
				  (long long)b->shift);
			continue;
		}
		owner[b->shift] = b;
	}
}

/* ---- Includes and references ------------------------------------------- */

static Unit *find_unit(Spec *s, const char *name)
{
	/* units are sorted by name */
	size_t lo = 0, hi = s->nunits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, s->units[mid]->name);
		if (c == 0)
			return s->units[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void check_includes(Chk *C)
{
	Spec *s = C->s;
	size_t i, j, k;
	int a;
	for (i = 0; i < s->nunits; i++) {
		Unit *u = s->units[i];
		for (j = 0; j < u->nincludes; j++) {
			Include *inc = &u->includes[j];
			bool is_arch = strcmp(inc->from, "arch") == 0;
			if (is_arch) {
				if (u->arch >= 0) {
					diag_error(C->d, inc->from_loc,
						   "an architecture directory cannot "
						   "include from \"arch\"");
					continue;
				}
				for (a = 0; a < NARCH; a++)
					if (s->arch_units[a])
						break;
				if (a == NARCH) {
					diag_error(C->d, inc->from_loc,
						   "include from \"arch\", but there is no "
						   "arch-* directory in '%s'", s->indir);
					continue;
				}
				u->uses_arch = true;
			} else {
				inc->unit = find_unit(s, inc->from);
				if (!inc->unit) {
					diag_error(C->d, inc->from_loc,
						   "include from unknown output '%s' (no "
						   "directory '%s/%s')",
						   inc->from, s->indir, inc->from);
					continue;
				}
				if (inc->unit == u) {
					diag_error(C->d, inc->from_loc,
						   "'%s' includes itself", u->name);
					continue;
				}
			}
			for (k = 0; k < inc->nimports; k++) {
				const char *name = inc->imports[k];
				Symbol *sym = hmap_gets(&s->symbols, name);
				if (!is_arch) {
					if (!sym || !sym->common ||
					    sym->common->unit != inc->unit)
						diag_error(C->d, inc->import_locs[k],
							   "'%s' does not define '%s'",
							   inc->from, name);
					continue;
				}
				for (a = 0; a < NARCH; a++) {
					if (!s->arch_units[a] ||
					    (sym && sym->arch[a]))
						continue;
					diag_error(C->d, inc->import_locs[k],
						   "'%s' is imported from \"arch\" but "
						   "'%s' does not define it",
						   name, s->arch_units[a]->name);
				}
			}
		}
	}
}

/* Is name visible in unit u: defined there, or imported? */
static bool imported(const Unit *u, const Symbol *sym)
{
	size_t j, k;
	for (j = 0; j < u->nincludes; j++) {
		const Include *inc = &u->includes[j];
		bool is_arch = strcmp(inc->from, "arch") == 0;
		if (!is_arch && (!sym->common || sym->common->unit != inc->unit))
			continue;
		if (is_arch && sym->common)
			continue;
		for (k = 0; k < inc->nimports; k++)
			if (strcmp(inc->imports[k], sym->name) == 0)
				return true;
	}
	return false;
}

static const char *closest_symbol(Chk *C, const char *name, ItemKind want)
{
	const char *best = NULL;
	size_t best_d = strlen(name) / 4, i;
	if (best_d < 1)
		best_d = 1;
	if (best_d > 2)
		best_d = 2;
	for (i = 0; i < C->s->symbols.cap; i++) {
		const Symbol *sym = C->s->symbols.slots[i].value;
		const Item *it;
		size_t dist;
		if (!C->s->symbols.slots[i].key)
			continue;
		it = sym->common;
		if (!it) {
			int a;
			for (a = 0; a < NARCH && !it; a++)
				it = sym->arch[a];
		}
		if (!it || (want != IT_ANY && it->kind != want))
			continue;
		dist = edit_distance(name, sym->name, best_d);
		if (dist <= best_d && (!best || dist < best_d ||
				       strcmp(sym->name, best) < 0)) {
			best = sym->name;
			best_d = dist;
		}
	}
	return best;
}

static void resolve_type(Chk *C, Unit *u, Type *t)
{
	Symbol *sym;
	Item *def = NULL;
	int a;
	for (; t && t->kind != TY_NAMED; t = t->elem)
		if (t->kind == TY_PRIM)
			return;
	if (!t)
		return;
	sym = hmap_gets(&C->s->symbols, t->name);
	if (sym) {
		def = sym->common;
		if (!def && u->arch >= 0)
			def = sym->arch[u->arch];
		for (a = 0; a < NARCH && !def; a++)
			def = sym->arch[a];
	}
	if (!def || (u->arch >= 0 && !sym->common && !sym->arch[u->arch])) {
		const char *sug = closest_symbol(C, t->name, t->want);
		if (sug)
			diag_error(C->d, t->name_loc,
				   "undefined %s '%s'; did you mean '%s'?",
				   item_kind_name(t->want), t->name, sug);
		else
			diag_error(C->d, t->name_loc, "undefined %s '%s'",
				   item_kind_name(t->want), t->name);
		return;
	}
	if (t->want != IT_ANY && def->kind != t->want) {
		diag_error(C->d, t->name_loc, "'%s' is %s %s, not %s %s", t->name,
			   def->kind == IT_ENUM ? "an" : "a",
			   item_kind_name(def->kind),
			   t->want == IT_ENUM ? "an" : "a", item_kind_name(t->want));
		diag_note(C->d, def->name_loc, "'%s' is defined here", t->name);
		return;
	}
	if (def->unit != u && !imported(u, sym)) {
		if (sym->common)
			diag_error(C->d, t->name_loc,
				   "%s '%s' is defined in '%s', which '%s' does not "
				   "import; add [[includes]] from = \"%s\", "
				   "imports = [\"%s\"]",
				   item_kind_name(def->kind), t->name, def->unit->name,
				   u->name, def->unit->name, t->name);
		else
			diag_error(C->d, t->name_loc,
				   "%s '%s' is defined per architecture; add "
				   "[[includes]] from = \"arch\", imports = [\"%s\"]",
				   item_kind_name(def->kind), t->name, t->name);
		diag_note(C->d, def->name_loc, "'%s' is defined here", t->name);
		return;
	}
	t->sym = sym;
}

/* ---- Cycles and dependency order ------------------------------------------
 * A struct that contains itself by value has no size.  Search each
 * architecture view (the containment graph can differ per view) with an
 * iterative depth-first walk: a hostile spec can chain many thousands of
 * structs, deeper than any call stack.  The same walk gives the order in
 * which layouts are computed and C declarations emitted. */

typedef struct Frame {
	Item *it;
	size_t next; /* next field to visit */
} Frame;

static Item *contained(const Type *t, int arch)
{
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	if (!t || t->kind != TY_NAMED || !t->sym)
		return NULL;
	{
		Item *it = symbol_item(t->sym, arch);
		return it && it->kind == IT_STRUCT ? it : NULL;
	}
}

static bool in_view(const Item *it, int arch)
{
	return it->unit->arch < 0 || it->unit->arch == arch;
}

static void report_cycle(Chk *C, Frame *stack, size_t n, Item *target,
			 Field *closing)
{
	Buf path = {0};
	size_t i, start = 0;
	for (i = 0; i < n; i++)
		if (stack[i].it == target)
			start = i;
	for (i = start; i < n; i++)
		buf_printf(&path, "%s -> ", stack[i].it->name);
	buf_puts(&path, target->name);
	diag_error(C->d, closing->name_loc,
		   "struct '%s' contains itself by value (%s); use a pointer or "
		   "remove the cycle",
		   target->name, buf_cstr(&path));
	buf_free(&path);
	for (i = start; i < n; i++)
		stack[i].it->layout_failed = true;
}

/* Depth-first walk of the containment graph of one view.  Emits items in
 * post-order (a struct after the structs it contains, otherwise spec order)
 * into out, if given, and reports cycles, if C is given. */
static size_t walk(Spec *s, int arch, Item **out, Chk *C)
{
	Frame *stack = NULL;
	size_t cap = 0, n, i, nout = 0;
	/* visit: 0 new, 1 on the stack, 2 done (reset per walk) */
	for (i = 0; i < s->nitems; i++)
		s->items[i]->visit = 0;
	for (i = 0; i < s->nitems; i++) {
		Item *root = s->items[i];
		if (root->visit || !in_view(root, arch))
			continue;
		n = 0;
		stack = xgrow(stack, &cap, n + 1, sizeof *stack);
		stack[n].it = root;
		stack[n++].next = 0;
		root->visit = 1;
		while (n) {
			Frame *f = &stack[n - 1];
			Item *child;
			Field *fld;
			if (f->it->kind != IT_STRUCT || f->next == f->it->nfields) {
				f->it->visit = 2;
				if (out)
					out[nout] = f->it;
				nout++;
				n--;
				continue;
			}
			fld = &f->it->fields[f->next++];
			child = contained(fld->type, arch);
			if (!child || child->visit == 2)
				continue;
			if (child->visit == 1) {
				if (C && !child->layout_failed)
					report_cycle(C, stack, n, child, fld);
				continue;
			}
			child->visit = 1;
			stack = xgrow(stack, &cap, n + 1, sizeof *stack);
			stack[n].it = child;
			stack[n++].next = 0;
		}
	}
	free(stack);
	return nout;
}

Item **spec_order(Spec *s, int arch, size_t *n)
{
	Item **out = xcalloc(s->nitems ? s->nitems : 1, sizeof *out);
	*n = walk(s, arch, out, NULL);
	return out;
}

/* ---- Driver ------------------------------------------------------------------ */

void spec_check(Spec *s, Diag *d)
{
	Chk C;
	size_t i, j;
	int a, t;
	bool any_arch = false, uses_arch = false;

	C.s = s;
	C.d = d;
	build_symbols(&C);
	check_members(&C);
	check_includes(&C);
	check_ops(&C);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		if (it->kind == IT_STRUCT)
			for (j = 0; j < it->nfields; j++)
				resolve_type(&C, it->unit, it->fields[j].type);
		else if (it->kind == IT_ENUM)
			check_enum(&C, it);
		else
			check_bitmap(&C, it);
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
				walk(s, a, NULL, &C);
	} else {
		walk(s, -1, NULL, &C);
	}
	/* Which targets can be laid out: those whose architecture has a
	 * directory, and all of them when nothing depends on one. */
	for (t = 0; t < NTARGETS; t++)
		s->covered[t] = s->arch_units[targets[t].arch] || !uses_arch;
}
