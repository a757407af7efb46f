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
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

typedef struct Chk {
	Spec *s;
	Diag *d;
	size_t suggestions; /* did-you-mean searches made so far */
	/* Lookups that would otherwise scan a list for every reference, which
	 * a hostile spec makes quadratic (100,000 imports used by 100,000
	 * fields, as many tagged fields in one struct):
	 *   imports[u]  "from\0name" -> non-NULL for what unit u imports
	 *               (built on first use; NULL until then);
	 *   variants    enum Item * -> HMap of its variant names;
	 *   tagged      (union, tag enum) pairs already checked. */
	HMap **imports;
	HMap variants, tagged;
} Chk;

/* A did-you-mean search compares a name with every symbol, so a spec full
 * of undefined names would cost (names x symbols): searches stop once the
 * errors they would decorate are dropped (--max-errors) and, whatever the
 * limit, after this many. */
enum { MAX_SUGGESTIONS = 100 };

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

static bool has_backing(const Item *it)
{
	return it->kind == IT_ENUM || it->kind == IT_BITMAP;
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
		if (it->inline_type)
			continue; /* named after their field; not a symbol */
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
					  ((o->kind == IT_ENUM || o->kind == IT_BITMAP) &&
					   o->backing != it->backing))) {
					diag_error(C->d, it->name_loc,
						   "'%s' is a %s %s here but a %s %s in "
						   "'%s'; every architecture must define "
						   "it alike",
						   it->name, has_backing(it) ? prim_name(it->backing) : "",
						   item_kind_name(it->kind),
						   has_backing(o) ? prim_name(o->backing) : "",
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

/* Two definitions of one field name may coexist when they never exist
 * together: on disjoint targets, or for disjoint interface versions
 * (gnttab_setup_table.frame_list changed type in 0x00040300). */
static bool conds_disjoint(const Cond *a, const Cond *b)
{
	if (a->targets && b->targets && !(a->targets & b->targets))
		return true;
	if (a->until && b->since && a->until <= b->since)
		return true;
	return b->until && a->since && b->until <= a->since;
}

/* Field names are unique within a struct or union, counting the members of
 * anonymous inline members, which C puts in the same scope. */
static void field_names(Chk *C, HMap *seen, const Item *owner, const Item *it)
{
	size_t j;
	for (j = 0; j < it->nfields; j++) {
		Field *f = &it->fields[j];
		Field *first;
		if (!f->name) {
			if (f->type && f->type->kind == TY_INLINE)
				field_names(C, seen, owner, f->type->item);
			continue;
		}
		if (!check_c_name(C, f->name, f->name_loc, "field"))
			continue;
		first = hmap_gets(seen, f->name);
		if (first && !conds_disjoint(&first->cond, &f->cond)) {
			diag_error(C->d, f->name_loc, "duplicate field '%s' in %s '%s'",
				   f->name, item_kind_name(owner->kind), owner->name);
			diag_note(C->d, first->name_loc, "'%s' is first defined here",
				  f->name);
			continue;
		}
		if (!first)
			hmap_put(seen, f->name, strlen(f->name), f);
	}
}

static void check_names(Chk *C, const char *const *names, size_t n, Loc loc)
{
	size_t i;
	for (i = 0; i < n; i++)
		check_ident(C, names[i], loc, "compat");
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
				check_c_name(C, it->c.typedef_name, it->c.loc, "typedef");
			if (it->c.prefix && *it->c.prefix && !is_ident(it->c.prefix))
				check_ident(C, it->c.prefix, it->c.loc, "prefix");
			if (it->c.all && *it->c.all)
				check_ident(C, it->c.all, it->c.loc, "mask");
		}
		if ((it->kind == IT_STRUCT || it->kind == IT_UNION) && !it->inline_type) {
			field_names(C, &seen, it, it);
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

/* The width values must fit, on every target: long is 32 bits on the
 * 32-bit ones. */
static int prim_bits(Prim p)
{
	switch (p) {
	case P_U8: case P_I8: case P_CHAR: return 8;
	case P_U16: case P_I16: return 16;
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

static void check_const(Chk *C, Item *it)
{
	if (it->const_type && !value_fits(it->value, it->const_type->prim))
		diag_error(C->d, it->value_loc,
			   "value %lld of constant '%s' does not fit its type %s",
			   (long long)it->value, it->name,
			   prim_name(it->const_type->prim));
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

/* The key of an import: the unit it is from ("arch" for the architecture
 * directories), a NUL, the name. */
static char *import_key(Arena *a, const char *from, const char *name,
			size_t *len)
{
	size_t fl = strlen(from), nl = strlen(name);
	char *k = arena_alloc(a, fl + nl + 2);
	memcpy(k, from, fl + 1);           /* with its NUL, the separator */
	memcpy(k + fl + 1, name, nl + 1);
	*len = fl + 1 + nl;
	return k;
}

/* Is name visible in unit u: defined there, or imported?  A name counts as
 * imported from a unit if that unit defines it in common, and from "arch"
 * if no common definition exists. */
static bool imported(Chk *C, const Unit *u, const Symbol *sym)
{
	Arena *a = &C->s->arena;
	HMap *set = C->imports[u->index];
	const char *from;
	char *key;
	size_t j, k, len;
	if (!set) {
		set = C->imports[u->index] = arena_alloc(a, sizeof *set);
		hmap_init_arena(set, a);
		for (j = 0; j < u->nincludes; j++) {
			const Include *inc = &u->includes[j];
			bool is_arch = strcmp(inc->from, "arch") == 0;
			if (!is_arch && !inc->unit)
				continue; /* unknown unit: reported */
			for (k = 0; k < inc->nimports; k++) {
				key = import_key(a, is_arch ? "arch" : inc->unit->name,
						 inc->imports[k], &len);
				hmap_put(set, key, len, key);
			}
		}
	}
	from = sym->common ? sym->common->unit->name : "arch";
	key = import_key(a, from, sym->name, &len);
	return hmap_get(set, key, len) != NULL;
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

static const char *a_or_an(ItemKind k)
{
	return k == IT_ENUM || k == IT_ALIAS || k == IT_ANY ? "an" : "a";
}

/* Look a name up as seen from unit u, checking that u may use it. */
static Symbol *resolve_name(Chk *C, Unit *u, const char *name, Loc loc,
			    ItemKind want)
{
	Symbol *sym = hmap_gets(&C->s->symbols, name);
	Item *def = NULL;
	const char *what = want == IT_ANY ? "type" : item_kind_name(want);
	int a;
	if (sym) {
		def = sym->common;
		if (!def && u->arch >= 0)
			def = sym->arch[u->arch];
		for (a = 0; a < NARCH && !def; a++)
			def = sym->arch[a];
	}
	if (!def || (u->arch >= 0 && !sym->common && !sym->arch[u->arch])) {
		const char *sug = NULL;
		bool suggest = !diag_full(C->d) &&
			       C->suggestions < MAX_SUGGESTIONS;
		Prim p;
		if (suggest) {
			C->suggestions++;
			sug = closest_symbol(C, name, want);
		}
		if (suggest && !sug && want == IT_ANY) {
			static const char *const prims[] = {
				"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64",
				"char", "int", "uint", "long", "ulong",
			};
			size_t k, best = 2;
			for (k = 0; k < ARRAY_LEN(prims); k++) {
				size_t dist = edit_distance(name, prims[k], best);
				if (dist < best || (dist == best && !sug && dist <= 1)) {
					best = dist;
					sug = prims[k];
				}
			}
		}
		(void)p;
		if (sug)
			diag_error(C->d, loc, "undefined %s '%s'; did you mean '%s'?",
				   what, name, sug);
		else
			diag_error(C->d, loc, "undefined %s '%s'", what, name);
		return NULL;
	}
	if ((want != IT_ANY && def->kind != want) ||
	    (want == IT_ANY && def->kind == IT_CONST)) {
		diag_error(C->d, loc, "'%s' is %s %s, not %s %s", name,
			   a_or_an(def->kind), item_kind_name(def->kind),
			   a_or_an(want), what);
		diag_note(C->d, def->name_loc, "'%s' is defined here", name);
		return NULL;
	}
	if (def->unit != u && !imported(C, u, sym)) {
		if (sym->common)
			diag_error(C->d, loc,
				   "%s '%s' is defined in '%s', which '%s' does not "
				   "import; add [[includes]] from = \"%s\", "
				   "imports = [\"%s\"]",
				   item_kind_name(def->kind), name, def->unit->name,
				   u->name, def->unit->name, name);
		else
			diag_error(C->d, loc,
				   "%s '%s' is defined per architecture; add "
				   "[[includes]] from = \"arch\", imports = [\"%s\"]",
				   item_kind_name(def->kind), name, name);
		diag_note(C->d, def->name_loc, "'%s' is defined here", name);
		return NULL;
	}
	return sym;
}

static void resolve_type(Chk *C, Unit *u, Type *t, bool pointee);

static void resolve_expr(Chk *C, Unit *u, Expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case EX_CONST:
		e->sym = resolve_name(C, u, e->name, e->loc, IT_CONST);
		break;
	case EX_SIZEOF:
		resolve_type(C, u, e->type, false);
		break;
	case EX_BIN:
		resolve_expr(C, u, e->l);
		resolve_expr(C, u, e->r);
		break;
	case EX_NUM:
		break;
	}
}

/* Resolve every name in a type.  void is only a pointee. */
static void resolve_type(Chk *C, Unit *u, Type *t, bool pointee)
{
	if (!t)
		return;
	switch (t->kind) {
	case TY_PRIM:
		if (t->prim == P_VOID && !pointee)
			diag_error(C->d, t->loc,
				   "'void' can only be pointed to ({ ptr = \"void\" })");
		break;
	case TY_NAMED:
		t->sym = resolve_name(C, u, t->name, t->name_loc, t->want);
		break;
	case TY_PTR:
	case TY_HANDLE:
	case TY_CPTR:
		resolve_type(C, u, t->elem, true);
		break;
	case TY_ARRAY:
		if (t->elem->kind == TY_ARRAY && t->elem->flex)
			diag_error(C->d, t->elem->count_loc,
				   "only the outermost array can be flexible");
		resolve_expr(C, u, t->count_expr);
		resolve_type(C, u, t->elem, false);
		break;
	case TY_INLINE:
		break; /* its fields are resolved as an item of their own */
	}
}

/* The integer type behind a type, if it is one (through aliases, enums
 * and bitmaps). */
static bool integer_of(const Type *t, int arch, Prim *p)
{
	int guard = 0;
	while (t && guard++ < 64) {
		const Item *it;
		if (t->kind == TY_PRIM) {
			*p = t->prim;
			return prim_is_integer(t->prim) || t->prim == P_CHAR ||
			       (t->prim >= P_INT && t->prim <= P_I64_PLAIN);
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

/* A tagged union: the field names its tag, and each member of the union
 * says for which values of the tag it holds. */
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

/* names: the owner's field names, to the index + 1 of the last field of
 * each name (fields may share a name under disjoint conditions). */
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
					Symbol *sym = resolve_name(C, owner->unit, m->when_names[k],
								   m->when_loc, IT_CONST);
					if (!sym)
						continue;
					m->when[k] = symbol_item(sym, -1)
						? symbol_item(sym, -1)->value : 0;
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

/* ---- Constants as C macros --------------------------------------------------
 * A constant becomes "#define NAME value", which replaces NAME everywhere
 * after it, whatever NAME is in C: a field, a typedef, or a macro the
 * headers test.  A constant named like a field would break the struct, and
 * one named __x86_64__ would make an i386 build pick x86_64's definitions
 * without a word.  So a constant's name (and its compat names) must not be
 * a name the generated C uses otherwise. */

static bool reserved_macro(const char *name)
{
	static const char *const names[] = {
		/* <stdint.h> and <stddef.h>, as the headers use them */
		"uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
		"int16_t", "int32_t", "int64_t", "offsetof", "NULL",
		/* support/xen-prelude.h */
		"uint64_aligned_t", "int64_aligned_t", "XEN_FLEX_ARRAY_DIM",
		"XEN_GUEST_HANDLE", "XEN_GUEST_HANDLE_64",
		"DEFINE_XEN_GUEST_HANDLE", "__DEFINE_XEN_GUEST_HANDLE",
		"___DEFINE_XEN_GUEST_HANDLE", "__XEN_INTERFACE_VERSION__",
		"__XEN_LATEST_INTERFACE_VERSION__", "__XEN__", "__XEN_TOOLS__",
		"__XEN_PUBLIC_XEN_H__", "XENBINDGEN_XEN_PRELUDE_H",
		/* what the layout assertions and version tests use */
		"static_assert", "_Static_assert", "alignof", "_Alignof",
		"defined", "__attribute__", "__aligned__", "__STDC_VERSION__",
		"__GNUC__", "__cplusplus", "XBG_STATIC_ASSERT", "XBG_ALIGNOF",
	};
	/* the generator's own prefixes: include guards, handle typedefs */
	static const char *const prefixes[] = {
		"__XEN_AUTOGEN_", "__guest_handle_", "xbg_", "XBG_",
	};
	size_t i;
	int t;
	for (i = 0; i < ARRAY_LEN(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	for (i = 0; i < ARRAY_LEN(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	/* the macros that select a target: __i386__, __riscv_xlen, ... */
	for (t = 0; t < NTARGETS; t++) {
		const char *p = targets[t].cond, *q;
		size_t n = strlen(name);
		while ((q = strstr(p, name)) != NULL) {
			bool start = q == targets[t].cond ||
				     !(q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z') ||
				       (q[-1] >= 'A' && q[-1] <= 'Z') ||
				       (q[-1] >= '0' && q[-1] <= '9'));
			char e = q[n];
			bool end = !(e == '_' || (e >= 'a' && e <= 'z') ||
				     (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'));
			if (start && end)
				return true;
			p = q + 1;
		}
	}
	return false;
}

static void add_field_names(HMap *m, Arena *a, Item *it)
{
	size_t i;
	for (i = 0; i < it->nfields; i++)
		if (it->fields[i].name)
			hmap_put(m, it->fields[i].name, strlen(it->fields[i].name),
				 &it->fields[i]);
	if (!it->inline_type) {
		/* the typedef a struct or union may get (c_typedef_name) */
		const char *td = it->c.typedef_name ? it->c.typedef_name
			       : arena_printf(a, "%s_t", it->name);
		hmap_put(m, td, strlen(td), it);
	}
}

static void check_macro_name(Chk *C, const HMap *used, const char *name,
			     Loc loc)
{
	if (reserved_macro(name)) {
		diag_error(C->d, loc,
			   "constant '%s' would be a C macro replacing '%s', which "
			   "the generated headers use; choose another name",
			   name, name);
		return;
	}
	if (hmap_gets(used, name))
		diag_error(C->d, loc,
			   "constant '%s' would be a C macro replacing every '%s', "
			   "a field or typedef name too; choose another name",
			   name, name);
}

static void check_macro_names(Chk *C)
{
	Spec *s = C->s;
	HMap used;
	size_t i, k;
	hmap_init(&used);
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_STRUCT || s->items[i]->kind == IT_UNION)
			add_field_names(&used, &s->arena, s->items[i]);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		if (it->kind != IT_CONST)
			continue;
		check_macro_name(C, &used, it->name, it->name_loc);
		for (k = 0; k < it->c.ncompat; k++)
			check_macro_name(C, &used, it->c.compat[k], it->c.loc);
	}
	hmap_free(&used);
}

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

/* ---- Driver ------------------------------------------------------------------ */

void spec_check(Spec *s, Diag *d)
{
	Chk C;
	size_t i, j;
	int a, t;
	bool any_arch = false, uses_arch = false;

	C.s = s;
	C.d = d;
	C.suggestions = 0;
	C.imports = xcalloc(s->nunits + 1, sizeof *C.imports);
	hmap_init(&C.variants);
	hmap_init(&C.tagged);
	build_symbols(&C);
	check_members(&C);
	check_includes(&C);
	check_ops(&C);
	check_macro_names(&C);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		switch (it->kind) {
		case IT_STRUCT:
		case IT_UNION:
			for (j = 0; j < it->nfields; j++)
				resolve_type(&C, it->unit, it->fields[j].type, false);
			break;
		case IT_ALIAS:
			resolve_type(&C, it->unit, it->alias, false);
			for (a = 0; a < NARCH; a++)
				resolve_type(&C, it->unit, it->arch_alias[a], false);
			break;
		case IT_ENUM:
			check_enum(&C, it);
			break;
		case IT_BITMAP:
			check_bitmap(&C, it);
			break;
		case IT_CONST:
			check_const(&C, it);
			break;
		case IT_ANY:
			break;
		}
	}
	/* after resolution: rules that look through types */
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_STRUCT || s->items[i]->kind == IT_UNION)
			check_fields(&C, s->items[i]);
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
	free(C.imports);
	hmap_free(&C.variants);
	hmap_free(&C.tagged);
}
