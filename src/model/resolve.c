/*
 * resolve.c - name resolution: the symbol table, includes, and every name a
 * type, an array length or a tag value uses.
 *
 * A part of spec_check() (check.c drives it).  The symbol table holds every
 * named item, once in common or once per architecture; a reference is
 * looked up as seen from its unit, which must define the name or import it
 * through [[includes]].  An undefined name gets a did-you-mean suggestion:
 * the closest symbol of the kind asked for, or the closest primitive.
 *
 * Each lookup is a hash lookup, and so is "does this unit import it"
 * (built once per unit), so resolution is linear in the size of the specs
 * whatever a hostile spec does.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

/* What the lookups share during one spec_check(). */
struct Resolver {
	Spec *s;
	Diag *d;
	size_t suggestions; /* did-you-mean searches made so far */
	/* imports[u]: "from\0name" -> non-NULL for what unit u imports; built
	 * on first use (NULL until then), as scanning the includes for every
	 * reference is quadratic (100,000 imports used by 100,000 fields). */
	HMap **imports;
};

/* A did-you-mean search compares a name with every symbol, so a spec full
 * of undefined names would cost (names x symbols): searches stop once the
 * errors they would decorate are dropped (--max-errors) and, whatever the
 * limit, after this many. */
enum { MAX_SUGGESTIONS = 100 };

Resolver *resolve_new(Spec *s, Diag *d)
{
	Resolver *R = xcalloc(1, sizeof *R);
	R->s = s;
	R->d = d;
	R->imports = xcalloc(s->nunits + 1, sizeof *R->imports);
	return R;
}

void resolve_free(Resolver *R)
{
	if (!R)
		return;
	free(R->imports);
	free(R);
}

/* ---- Symbols ------------------------------------------------------------- */

static void duplicate(Resolver *R, const Item *it, const Item *first)
{
	diag_error(R->d, it->name_loc, "duplicate definition of %s '%s'",
		   item_kind_name(it->kind), it->name);
	diag_note(R->d, first->name_loc, "'%s' is first defined here (as a %s)",
		  first->name, item_kind_name(first->kind));
}

static bool has_backing(const Item *it)
{
	return it->kind == IT_ENUM || it->kind == IT_BITMAP;
}

/* Declarations that use a name depend on its kind and backing type only,
 * so every definition of a name that resolves per architecture or per
 * target must agree on those.  Reports and returns false if o and it do
 * not. */
static bool defined_alike(Resolver *R, const Item *it, const Item *o,
			  const char *every)
{
	if (o->kind == it->kind &&
	    (!has_backing(o) || o->backing == it->backing))
		return true;
	diag_error(R->d, it->name_loc,
		   "'%s' is a %s%s%s here but a %s%s%s in '%s'; every %s must "
		   "define it alike",
		   it->name, has_backing(it) ? prim_name(it->backing) : "",
		   has_backing(it) ? " " : "", item_kind_name(it->kind),
		   has_backing(o) ? prim_name(o->backing) : "",
		   has_backing(o) ? " " : "", item_kind_name(o->kind),
		   o->unit->name, every);
	diag_note(R->d, o->name_loc, "'%s' is defined here", it->name);
	return false;
}

/* The targets of a unit that may share its names with other units: one
 * below an architecture directory whose [header] only keeps it to some of
 * that architecture's targets (Xen's arch-x86/xen-x86_32.h is included on
 * x86_32 only, and xen-x86_64.h, which defines most of the same names, on
 * x86_64).  0 for any other unit. */
unsigned resolve_split_targets(const Unit *u)
{
	unsigned mask = 0;
	int t;
	if (u->family < 0 || u->arch >= 0 || !u->header.set ||
	    !u->header.cond.targets)
		return 0;
	for (t = 0; t < NTARGETS; t++)
		if (targets[t].arch == u->family && (u->header.cond.targets >> t & 1u))
			mask |= 1u << t;
	return mask;
}

/* The targets of a unit below an architecture's directory (all of the
 * architecture's, or those its [header] only keeps). */
static unsigned family_targets(const Unit *u)
{
	unsigned mask = resolve_split_targets(u);
	int t;
	if (mask)
		return mask;
	for (t = 0; t < NTARGETS; t++)
		if (targets[t].arch == u->family)
			mask |= 1u << t;
	return mask;
}

/* Does a unit below an architecture's directory define a name that only
 * other architectures define so far (Xen's arch-x86/pmu.h and arch-arm.h
 * both declare struct xen_pmu_arch)?  Then it is this architecture's
 * definition, by target, rather than a common name. */
static bool other_family(const Symbol *sym, const Item *it)
{
	int a, t;
	if (it->unit->family < 0 || it->unit->arch >= 0 || sym->common)
		return false;
	for (a = 0; a < NARCH; a++)
		if (sym->arch[a] && a != it->unit->family)
			return true;
	for (t = 0; t < NTARGETS; t++)
		if (sym->tgt[t] && targets[t].arch != it->unit->family)
			return true;
	return false;
}

/* A name defined for some targets (the mask of resolve_split_targets() or
 * family_targets()): a duplicate only if another unit defines it for one
 * of the same targets, or defines it for all of them. */
static void add_split(Resolver *R, Symbol *sym, Item *it, unsigned mask)
{
	Item *first = symbol_any(sym);
	int t;
	if (sym->common || sym->arch[it->unit->family]) {
		duplicate(R, it, first);
		return;
	}
	for (t = 0; t < NTARGETS; t++)
		if ((mask >> t & 1u) && sym->tgt[t]) {
			duplicate(R, it, sym->tgt[t]);
			return;
		}
	if (first && !defined_alike(R, it, first, "target"))
		return;
	for (t = 0; t < NTARGETS; t++)
		if (mask >> t & 1u)
			sym->tgt[t] = it;
	sym->split = true;
}

void resolve_symbols(Resolver *R)
{
	Spec *s = R->s;
	size_t i;
	int a;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		Symbol *sym;
		int arch = it->unit->arch;
		unsigned mask;
		if (it->inline_type)
			continue; /* named after their field; not a symbol */
		/* a guest handle's name and a ring's are not C names of
		 * their own (a handle is named after its type) */
		if (it->kind == IT_HANDLE || it->kind == IT_RING)
			continue;
		if (!names_c_name(R->d, it->name, it->name_loc,
				  item_kind_name(it->kind)))
			continue;
		sym = hmap_gets(&s->symbols, it->name);
		if (!sym) {
			sym = arena_alloc(&s->arena, sizeof *sym);
			sym->name = it->name;
			hmap_put(&s->symbols, it->name, strlen(it->name), sym);
		}
		mask = resolve_split_targets(it->unit);
		if (!mask && other_family(sym, it))
			mask = family_targets(it->unit);
		if (mask) {
			add_split(R, sym, it, mask);
			continue;
		}
		if (arch >= 0 && sym->common && sym->common->unit->family >= 0 &&
		    sym->common->unit->family != arch) {
			/* an architecture's unit defined it first: it is that
			 * architecture's, and this one another's */
			Item *c = sym->common;
			sym->common = NULL;
			add_split(R, sym, c, family_targets(c->unit));
		}
		if (sym->common) {
			duplicate(R, it, sym->common);
			continue;
		}
		if (arch < 0) {
			if (symbol_any(sym)) {
				duplicate(R, it, symbol_any(sym));
				continue;
			}
			sym->common = it;
		} else {
			if (symbol_item(sym, arch)) {
				duplicate(R, it, symbol_item(sym, arch));
				continue;
			}
			for (a = 0; a < NTARGETS; a++)
				if (sym->tgt[a] &&
				    !defined_alike(R, it, sym->tgt[a], "architecture"))
					break;
			/* Code shared by all architectures declares fields of
			 * this type; the declaration must not depend on which
			 * architecture defines it. */
			for (a = 0; a < NARCH; a++)
				if (sym->arch[a] &&
				    !defined_alike(R, it, sym->arch[a], "architecture"))
					break;
			sym->arch[arch] = it;
		}
	}
}

/* ---- Configuration macros -------------------------------------------------- */

static bool defines(const Symbol *sym, const Unit *u);

/* The constants that a condition's configuration macros name, if another
 * unit defines them (one of its own would be defined by the header that
 * tests it, where the test comes first: #ifndef HYPERVISOR_VIRT_START). */
static Symbol **macro_syms(Resolver *R, const Unit *u, const char **names,
			   size_t n)
{
	Symbol **out = NULL;
	size_t i;
	for (i = 0; i < n; i++) {
		Symbol *sym = hmap_gets(&R->s->symbols, names[i]);
		const Item *it = sym ? symbol_any(sym) : NULL;
		int a;
		if (!it || it->kind != IT_CONST || defines(sym, u))
			continue;
		for (a = 0; a < NARCH; a++)
			if (sym->arch[a] && sym->arch[a]->unit == u)
				break;
		if (a < NARCH)
			continue;
		if (!out)
			out = arena_alloc(&R->s->arena, n * sizeof *out);
		out[i] = sym;
	}
	return out;
}

static void cond_syms(Resolver *R, const Unit *u, Cond *c)
{
	if (c->ndefined)
		c->defined_sym = macro_syms(R, u, c->defined, c->ndefined);
	if (c->nnot_defined)
		c->not_defined_sym = macro_syms(R, u, c->not_defined,
						c->nnot_defined);
}

void resolve_conds(Resolver *R)
{
	Spec *s = R->s;
	size_t i, j;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		cond_syms(R, it->unit, &it->cond);
		for (j = 0; j < it->nfields; j++)
			cond_syms(R, it->unit, &it->fields[j].cond);
		for (j = 0; j < it->nvariants; j++)
			cond_syms(R, it->unit, &it->variants[j].cond);
		for (j = 0; j < it->nbits; j++)
			cond_syms(R, it->unit, &it->bits[j].cond);
	}
	for (i = 0; i < s->nunits; i++) {
		Unit *u = s->units[i];
		cond_syms(R, u, &u->header.cond);
		for (j = 0; j < u->nseq; j++)
			if (u->seq[j].dir)
				cond_syms(R, u, &u->seq[j].dir->cond);
	}
}

/* ---- Includes ------------------------------------------------------------ */

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

/* Does unit u define the symbol (in common, or for its targets)? */
static bool defines(const Symbol *sym, const Unit *u)
{
	int t;
	if (sym->common)
		return sym->common->unit == u;
	for (t = 0; t < NTARGETS; t++)
		if (sym->tgt[t] && sym->tgt[t]->unit == u)
			return true;
	return false;
}

/* [[includes]] via = "unit": the C header reaches `from`'s header through
 * that unit's, which this unit imports from and which imports from `from`
 * itself ("arch": uses it). */
static void resolve_via(Resolver *R, Unit *u, Include *inc)
{
	size_t j;
	bool imports = false, reaches = false;
	inc->via_unit = find_unit(R->s, inc->via);
	if (!inc->via_unit) {
		diag_error(R->d, inc->via_loc, "'via' names unknown output '%s'",
			   inc->via);
		return;
	}
	for (j = 0; j < u->nincludes; j++)
		imports |= u->includes[j].unit == inc->via_unit && !u->includes[j].via;
	if (strcmp(inc->from, "arch") == 0)
		reaches = inc->via_unit->uses_arch;
	for (j = 0; !reaches && j < inc->via_unit->nincludes; j++)
		reaches = inc->via_unit->includes[j].unit &&
			  inc->via_unit->includes[j].unit == inc->unit;
	if (!imports)
		diag_error(R->d, inc->via_loc, "'%s' gets '%s' through '%s', which "
			   "it does not import from (an [[includes]] of its own)",
			   u->name, inc->from, inc->via);
	else if (!reaches)
		diag_error(R->d, inc->via_loc, "'%s' does not import from '%s', so "
			   "its header does not bring '%s''s", inc->via, inc->from,
			   inc->from);
}

void resolve_includes(Resolver *R)
{
	Spec *s = R->s;
	size_t i, j, k;
	int a;
	for (i = 0; i < s->nunits; i++) {
		Unit *u = s->units[i];
		for (j = 0; j < u->nincludes; j++) {
			Include *inc = &u->includes[j];
			bool is_arch = strcmp(inc->from, "arch") == 0;
			if (inc->cond.targets && !is_arch)
				diag_error(R->d, inc->cond.loc, "only an import from "
					   "\"arch\" can be limited to some "
					   "architectures: '%s' defines its names "
					   "for all of them", inc->from);
			if (inc->by_includer && inc->via)
				diag_error(R->d, inc->by_includer_loc, "'by_includer' "
					   "and 'via' both say how the header gets "
					   "'%s''s names; keep one", inc->from);
			if (is_arch) {
				if (u->arch >= 0) {
					diag_error(R->d, inc->from_loc,
						   "an architecture directory cannot "
						   "include from \"arch\"");
					continue;
				}
				for (a = 0; a < NARCH; a++)
					if (s->arch_units[a])
						break;
				if (a == NARCH) {
					diag_error(R->d, inc->from_loc,
						   "include from \"arch\", but there is no "
						   "arch-* directory in '%s'", s->indir);
					continue;
				}
				u->uses_arch = true;
			} else {
				inc->unit = find_unit(s, inc->from);
				if (!inc->unit) {
					diag_error(R->d, inc->from_loc,
						   "include from unknown output '%s' (no "
						   "directory '%s/%s')",
						   inc->from, s->indir, inc->from);
					continue;
				}
				if (inc->unit == u) {
					diag_error(R->d, inc->from_loc,
						   "'%s' includes itself", u->name);
					continue;
				}
			}
			for (k = 0; k < inc->nimports; k++) {
				const char *name = inc->imports[k];
				Symbol *sym = hmap_gets(&s->symbols, name);
				if (!sym)
					sym = hmap_gets(&s->typedefs, name);
				if (!is_arch) {
					if (!sym || !defines(sym, inc->unit))
						diag_error(R->d, inc->import_locs[k],
							   "'%s' does not define '%s'",
							   inc->from, name);
					continue;
				}
				for (a = 0; a < NARCH; a++) {
					/* an architecture's unit sees its own
					 * architecture's view only; an import
					 * limited by only, the views it names */
					if (!s->arch_units[a] ||
					    (sym && symbol_item(sym, a)) ||
					    (u->family >= 0 && u->family != a) ||
					    !targets_keep_arch(inc->cond.targets, a))
						continue;
					diag_error(R->d, inc->import_locs[k],
						   "'%s' is imported from \"arch\" but "
						   "'%s' does not define it",
						   name, s->arch_units[a]->name);
				}
			}
		}
	}
	/* after every unit's includes are resolved */
	for (i = 0; i < s->nunits; i++)
		for (j = 0; j < s->units[i]->nincludes; j++)
			if (s->units[i]->includes[j].via)
				resolve_via(R, s->units[i], &s->units[i]->includes[j]);
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

static bool imported_from(Arena *a, HMap *set, const char *from,
			  const char *name, const char *as)
{
	size_t len;
	char *key = import_key(a, from, name, &len);
	if (hmap_get(set, key, len))
		return true;
	/* a struct imported by its typedef name */
	key = import_key(a, from, as, &len);
	return hmap_get(set, key, len) != NULL;
}

/* Is name visible in unit u: defined there, or imported?  A name counts as
 * imported from a unit if that unit defines it in common, and from "arch"
 * if no common definition exists. */
static bool imported(Resolver *R, const Unit *u, const Symbol *sym,
		     const char *as)
{
	Arena *a = &R->s->arena;
	HMap *set = R->imports[u->index];
	const char *from;
	char *key;
	size_t j, k, len;
	if (!set) {
		set = R->imports[u->index] = arena_alloc(a, sizeof *set);
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
	if (imported_from(a, set, from, sym->name, as))
		return true;
	if (sym->split) {
		/* a name defined per target: imported from any of the units
		 * that define it (u's includes say for which targets) */
		int t;
		for (t = 0; t < NTARGETS; t++)
			if (sym->tgt[t] && imported_from(a, set, sym->tgt[t]->unit->name,
							 sym->name, as))
				return true;
	}
	return false;
}

/* ---- Lookups ------------------------------------------------------------- */

/* Did you mean: the symbol of the kind asked for that is closest to name,
 * within an edit distance of a quarter of its length (at least 1, at most
 * 2), the first in byte order among equals; or NULL. */
/* The signedness of the integer a type is, when it is one (through an
 * alias of a primitive, or an enum's or bitmap's backing type); else what
 * its name says. */
static int item_signedness(const Item *it)
{
	if (it->kind == IT_ALIAS && it->alias && it->alias->kind == TY_PRIM)
		return name_signedness(prim_name(it->alias->prim));
	if (it->kind == IT_ENUM || it->kind == IT_BITMAP)
		return name_signedness(prim_name(it->backing));
	return name_signedness(it->name);
}

static const char *closest_symbol(Resolver *R, const char *name,
				  ItemKind want)
{
	const char *best = NULL;
	int sign = name_signedness(name);
	size_t best_d = strlen(name) / 4, i;
	if (best_d < 1)
		best_d = 1;
	if (best_d > 2)
		best_d = 2;
	for (i = 0; i < R->s->symbols.cap; i++) {
		const Symbol *sym = R->s->symbols.slots[i].value;
		const Item *it;
		size_t dist;
		if (!R->s->symbols.slots[i].key)
			continue;
		it = sym->common;
		if (!it) {
			int a;
			for (a = 0; a < NARCH && !it; a++)
				it = sym->arch[a];
		}
		if (!it || (want != IT_ANY && it->kind != want))
			continue;
		/* uint8 is not int8, whatever the edit distance */
		if (sign && item_signedness(it) && item_signedness(it) != sign)
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
	return k == IT_ENUM || k == IT_ALIAS || k == IT_ANY || k == IT_XMACRO
	       ? "an" : "a";
}

/* Look a name up as seen from unit u, checking that u may use it. */
Symbol *resolve_name(Resolver *R, Unit *u, const char *name, Loc loc,
		     ItemKind want)
{
	Symbol *sym = hmap_gets(&R->s->symbols, name);
	Item *def = NULL;
	const char *what = want == IT_ANY ? "type" : item_kind_name(want);
	/* a struct or union by its typedef name (c.typedef) */
	if (!sym && (want == IT_ANY || want == IT_STRUCT || want == IT_UNION))
		sym = hmap_gets(&R->s->typedefs, name);
	/* an architecture directory, and the units below it, see their own
	 * architecture's version of a name */
	if (sym) {
		def = u->family >= 0 ? symbol_item(sym, u->family) : NULL;
		if (!def)
			def = symbol_any(sym);
		if (sym->split) {
			/* a unit that defines the name for its targets
			 * means its own definition */
			int t;
			for (t = 0; t < NTARGETS; t++)
				if (sym->tgt[t] && sym->tgt[t]->unit == u)
					def = sym->tgt[t];
		}
	}
	if (!def || (u->family >= 0 && !symbol_item(sym, u->family))) {
		const char *sug = NULL;
		bool suggest = !diag_full(R->d) &&
			       R->suggestions < MAX_SUGGESTIONS;
		if (suggest && want == IT_ANY)
			/* C's name of a primitive: uint8_t is u8 */
			sug = prim_for_c_spelling(name);
		if (suggest && !sug) {
			R->suggestions++;
			sug = closest_symbol(R, name, want);
		}
		if (suggest && !sug && want == IT_ANY) {
			/* not uint64_t and int64_t: they are for existing
			 * ABIs only (section 6.1 of the language) */
			static const char *const prims[] = {
				"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64",
				"char", "int", "uint", "long", "ulong", "uchar",
				"schar", "short", "ushort", "llong", "ullong",
			};
			int sign = name_signedness(name);
			size_t k, best = 2;
			for (k = 0; k < ARRAY_LEN(prims); k++) {
				size_t dist;
				/* nor a type of another signedness: uchar is
				 * not char, which is signed on x86 */
				if (sign && name_signedness(prims[k]) != sign)
					continue;
				dist = edit_distance(name, prims[k], best);
				if (dist < best || (dist == best && !sug && dist <= 1)) {
					best = dist;
					sug = prims[k];
				}
			}
		}
		if (sug)
			diag_error(R->d, loc, "undefined %s '%s'; did you mean '%s'?",
				   what, name, sug);
		else
			diag_error(R->d, loc, "undefined %s '%s'", what, name);
		return NULL;
	}
	if ((want != IT_ANY && def->kind != want) ||
	    (want == IT_ANY && (def->kind == IT_CONST || def->kind == IT_MACRO ||
				def->kind == IT_XMACRO))) {
		diag_error(R->d, loc, "'%s' is %s %s, not %s %s", name,
			   a_or_an(def->kind), item_kind_name(def->kind),
			   a_or_an(want), what);
		diag_note(R->d, def->name_loc, "'%s' is defined here", name);
		return NULL;
	}
	if (def->unit != u && !imported(R, u, sym, name)) {
		if (sym->common)
			diag_error(R->d, loc,
				   "%s '%s' is defined in '%s', which '%s' does not "
				   "import; add [[includes]] from = \"%s\", "
				   "imports = [\"%s\"]",
				   item_kind_name(def->kind), name, def->unit->name,
				   u->name, def->unit->name, name);
		else
			diag_error(R->d, loc,
				   "%s '%s' is defined per architecture; add "
				   "[[includes]] from = \"arch\", imports = [\"%s\"]",
				   item_kind_name(def->kind), name, name);
		diag_note(R->d, def->name_loc, "'%s' is defined here", name);
		return NULL;
	}
	return sym;
}

/* ---- Types --------------------------------------------------------------- */

static void resolve_type(Resolver *R, Unit *u, Type *t, bool pointee);

/* An identifier in an expression: a constant with an integer value, or
 * the C name of an enum's or bitmap's member (visible if the enum or
 * bitmap is). */
static void resolve_ident(Resolver *R, Unit *u, Expr *e)
{
	Symbol *sym = hmap_gets(&R->s->symbols, e->text);
	MemberSym *m = sym ? NULL : hmap_gets(&R->s->members, e->text);
	const Item *it;
	if (m) {
		const MemberRef *ref = m->common.it ? &m->common : NULL;
		int a;
		if (!ref && u->arch >= 0 && m->arch[u->arch].it)
			ref = &m->arch[u->arch];
		for (a = 0; a < NARCH && !ref; a++)
			if (m->arch[a].it)
				ref = &m->arch[a];
		if (resolve_name(R, u, ref->it->name, e->loc, ref->it->kind))
			e->member = m;
		return;
	}
	it = sym ? symbol_any(sym) : NULL;
	if (it && (it->kind == IT_ALIAS || it->kind == IT_STRUCT ||
		   it->kind == IT_UNION)) {
		diag_error(R->d, e->loc, "'%s' is a type, not a value%s", e->text,
			   it->kind == IT_ALIAS ? "; a cast to it is written "
			   "(type)(operand)" : "");
		return;
	}
	if (it && it->kind == IT_MACRO) {
		diag_error(R->d, e->loc, "'%s' is a function-like macro: call it, "
			   "%s(...)", e->text, e->text);
		return;
	}
	e->sym = resolve_name(R, u, e->text, e->loc, IT_CONST);
	it = e->sym ? symbol_any(e->sym) : NULL;
	if (it && !it->expr && !it->alias_of) {
		diag_error(R->d, e->loc, "'%s' is a string constant, not an "
			   "integer", e->text);
		e->sym = NULL;
	}
}

/* A name in parentheses that is a type: "(word_t)-1" was read as word_t
 * minus 1, before the names were known. */
static bool paren_type(Resolver *R, const Expr *e)
{
	size_t i;
	for (; e; e = e->l) {
		if (e->kind == EX_PAREN && e->l->kind == EX_NAME) {
			Symbol *sym = hmap_gets(&R->s->symbols, e->l->text);
			if (sym && symbol_any(sym)->kind == IT_ALIAS)
				return true;
		}
		for (i = 0; i < e->nargs; i++)
			if (paren_type(R, e->args[i]))
				return true;
		if ((e->c && paren_type(R, e->c)) || (e->r && paren_type(R, e->r)))
			return true;
	}
	return false;
}

static void resolve_expr(Resolver *R, Unit *u, Expr *e);

/* The root of an expression: read again if a name in parentheses turned
 * out to be a type ("(word_t)-1" is a cast, which the parser could not
 * tell before the names were known). */
static void resolve_root(Resolver *R, Unit *u, Expr *e,
			 const char *const *params, size_t nparams)
{
	if (e && paren_type(R, e)) {
		const char *err;
		size_t pos;
		Expr *n = expr_parse_text(R->s, e->src, params, nparams, &err, &pos);
		if (n) {
			Loc loc = e->loc;
			*e = *n;
			expr_set_loc(e, loc);
		}
	}
	resolve_expr(R, u, e);
}

static void resolve_expr(Resolver *R, Unit *u, Expr *e)
{
	size_t i;
	const Item *it;
	while (e) {
		switch (e->kind) {
		case EX_NAME:
			resolve_ident(R, u, e);
			break;
		case EX_CALL:
			if (e->builtin)
				break;
			e->sym = resolve_name(R, u, e->text, e->loc, IT_MACRO);
			it = e->sym ? symbol_any(e->sym) : NULL;
			if (it && it->nparams != e->nargs) {
				diag_error(R->d, e->loc, "macro '%s' takes %zu "
					   "argument%s, not %zu", e->text, it->nparams,
					   it->nparams == 1 ? "" : "s", e->nargs);
				e->sym = NULL;
			}
			break;
		case EX_SIZEOF:
			resolve_type(R, u, e->type, false);
			break;
		case EX_CAST:
			resolve_type(R, u, e->type, false);
			if (e->type->kind == TY_NAMED && e->type->sym) {
				it = symbol_any(e->type->sym);
				if (it->kind != IT_ALIAS || e->type->via_typedef)
					diag_error(R->d, e->loc, "a cast is to an integer "
						   "type, not to %s '%s'",
						   item_kind_name(it->kind), e->type->name);
			} else if (e->type->kind == TY_PRIM &&
				   !prim_is_integer(e->type->prim) &&
				   e->type->prim != P_CHAR) {
				diag_error(R->d, e->loc, "a cast is to an integer type, "
					   "not to %s", prim_name(e->type->prim));
			}
			break;
		default:
			break;
		}
		for (i = 0; i < e->nargs; i++)
			resolve_expr(R, u, e->args[i]);
		if (e->c)
			resolve_expr(R, u, e->c);
		if (e->r)
			resolve_expr(R, u, e->r);
		e = e->l;
	}
}

/* Resolve every name in a type.  void is only a pointee. */
static void resolve_type(Resolver *R, Unit *u, Type *t, bool pointee)
{
	if (!t)
		return;
	switch (t->kind) {
	case TY_PRIM:
		if (t->prim == P_VOID && !pointee)
			diag_error(R->d, t->loc,
				   "'void' can only be pointed to ({ ptr = \"void\" })");
		break;
	case TY_NAMED:
		t->sym = resolve_name(R, u, t->name, t->name_loc, t->want);
		t->via_typedef = t->sym && strcmp(t->sym->name, t->name) != 0;
		break;
	case TY_PTR:
	case TY_HANDLE:
	case TY_CPTR:
		resolve_type(R, u, t->elem, true);
		break;
	case TY_ARRAY:
		if (t->elem->kind == TY_ARRAY && t->elem->flex)
			diag_error(R->d, t->elem->count_loc,
				   "only the outermost array can be flexible");
		resolve_root(R, u, t->count_expr, NULL, 0);
		resolve_type(R, u, t->elem, false);
		break;
	case TY_INLINE:
		break; /* its fields are resolved as an item of their own */
	}
}

void resolve_item(Resolver *R, Item *it)
{
	size_t j;
	int a;
	switch (it->kind) {
	case IT_STRUCT:
	case IT_UNION:
		for (j = 0; j < it->nfields; j++)
			resolve_type(R, it->unit, it->fields[j].type, false);
		break;
	case IT_ALIAS:
		resolve_type(R, it->unit, it->alias, false);
		for (a = 0; a < NARCH; a++)
			resolve_type(R, it->unit, it->arch_alias[a], false);
		break;
	case IT_CONST:
		resolve_root(R, it->unit, it->expr, NULL, 0);
		break;
	case IT_MACRO:
		resolve_root(R, it->unit, it->expr, it->params, it->nparams);
		break;
	case IT_HANDLE:
		resolve_type(R, it->unit, it->handle_type, true);
		break;
	case IT_ENUM:
		for (j = 0; j < it->nvariants; j++)
			resolve_root(R, it->unit, it->variants[j].c_value, NULL, 0);
		break;
	case IT_BITMAP:
		for (j = 0; j < it->nbits; j++)
			resolve_root(R, it->unit, it->bits[j].c_value, NULL, 0);
		break;
	default:
		break;
	}
}

/* alias = "OTHER": a constant, a macro, a member's macro, a type (its
 * name, a struct's typedef) or a field; a constant or member gives the
 * alias its value. */
void resolve_const_alias(Resolver *R, Item *it, const HMap *fields)
{
	Spec *s = R->s;
	Symbol *sym;
	MemberSym *m;
	const char *name = it->alias_of;
	if (!name || it->c_only)
		return;
	sym = hmap_gets(&s->symbols, name);
	m = hmap_gets(&s->members, name);
	if (sym && symbol_any(sym)->kind == IT_CONST) {
		if (!resolve_name(R, it->unit, name, it->value_loc, IT_CONST))
			return;
	} else if (m) {
		const MemberRef *ref = m->common.it ? &m->common : NULL;
		int a;
		for (a = 0; a < NARCH && !ref; a++)
			if (m->arch[a].it)
				ref = &m->arch[a];
		if (!resolve_name(R, it->unit, ref->it->name, it->value_loc,
				  ref->it->kind))
			return;
	} else if (sym || hmap_gets(&s->typedefs, name) || hmap_gets(fields, name)) {
		return; /* a macro, a type or a field: no value */
	} else {
		diag_error(R->d, it->value_loc, "alias '%s' names nothing the "
			   "specs define (a constant, macro, type or field); if "
			   "it is defined elsewhere, say c_only = true", name);
		return;
	}
	/* an integer: the alias has the value of what it names */
	it->expr = arena_alloc(&s->arena, sizeof *it->expr);
	it->expr->kind = EX_NAME;
	it->expr->text = name;
	it->expr->src = name;
	it->expr->end = strlen(name);
	it->expr->param = -1;
	it->expr->spec = s;
	it->expr->loc = it->value_loc;
	it->expr->sym = m ? NULL : sym;
	it->expr->member = m;
}
