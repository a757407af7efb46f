/*
 * report.c - human and machine reports on a checked spec: the validation
 * summary and the `layout` command (pahole-style tables, or JSON).
 *
 * When a type has the same layout on every selected target it is printed
 * once; otherwise the distinct layouts are printed side by side, one column
 * group per set of targets that agree, so a 32/64-bit difference is visible
 * at a glance.
 */
#include "cli/cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Undocumented items ---------------------------------------------------
 * The generated documentation is the specs' descriptions and nothing else
 * (no filler such as "Field `x` of `Y`."), so what the specs leave
 * undocumented shows here instead: counted in the summary, listed with
 * --undocumented.  Inline types are not counted themselves (the field
 * that holds one carries its description), their members are. */

typedef struct Undoc {
	Loc loc;
	const char *what; /* "struct", "field", "variant", "bit", ... */
	const char *name, *owner_kind, *owner;
	const Unit *unit;
	bool restates;    /* described, but only by its own name */
} Undoc;

/* Is word (len bytes, any case, no '_') one of the '_'-separated parts of
 * name (the whole of a name without '_')? */
static bool word_of(const char *word, size_t len, const char *name)
{
	const char *p = name;
	if (!name)
		return false;
	while (*p) {
		size_t n = strcspn(p, "_");
		if (n == len && strncasecmp(p, word, len) == 0)
			return true;
		p += n;
		p += *p == '_';
	}
	return false;
}

/* Does a short description only restate the name: "The domain." for
 * domain, "RSI." for rsi, "Stop the periodic timer." for
 * stop_periodic_timer, "Field foo of struct bar"?  It does when every word
 * but a few fillers comes from the name or its owner's, and it names no
 * other identifier (a word with '_' or a capital past its first letter):
 * "For XEN_DOMCTL_x." says which op uses a union member.  A long one is
 * taken to say more. */
static bool restates(const char *desc, const char *name, const char *owner)
{
	static const char *const filler[] = {
		"the", "a", "an", "of", "field", "member", "value", "struct",
		"union", "enum", "variant", "bit", "flag", "its", "this", "is",
		"for", "in", "and", "constant", "type", "item", "it", "to",
	};
	const char *p = desc;
	size_t words = 0, k;
	if (!name)
		return false;
	while (*p) {
		size_t len = 0, i;
		bool ident = false;
		while (*p && !isalnum((unsigned char)*p) && *p != '_')
			p++;
		while (isalnum((unsigned char)p[len]) || p[len] == '_') {
			ident |= p[len] == '_' ||
				 (len && isupper((unsigned char)p[len]));
			len++;
		}
		if (!len)
			break;
		if (++words > 8)
			return false;
		if (ident && !(strlen(name) == len && strncasecmp(name, p, len) == 0) &&
		    !(owner && strlen(owner) == len && strncasecmp(owner, p, len) == 0))
			return false;
		for (i = 0; i < len;) {
			size_t n = strcspn(p + i, "_");
			bool known;
			if (n > len - i)
				n = len - i;
			known = n == 0 || word_of(p + i, n, name) || word_of(p + i, n, owner);
			for (k = 0; !known && k < ARRAY_LEN(filler); k++)
				known = strlen(filler[k]) == n &&
					strncasecmp(filler[k], p + i, n) == 0;
			if (!known)
				return false;
			i += n + 1;
		}
		p += len;
	}
	return words > 0;
}

/* Undocumented (NULL or empty), restating (see above), or fine. */
static bool undocumented(const char *desc, const char *name, const char *owner,
			 bool *restating)
{
	*restating = desc && *desc && restates(desc, name, owner);
	return !desc || !*desc || *restating;
}

static void undoc_add(Undoc **v, size_t *n, size_t *cap, Undoc u)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = u;
}

/* Every item and member without a description, or whose description
 * only restates its name, in the order of the items (units, then spec
 * order); counts per kind of entry in n[5]: items, fields, variants, bits
 * without one, then the restating ones. */
static size_t undoc_collect(const Spec *s, Undoc **v, size_t n[5])
{
	size_t i, j, len = 0, cap = 0;
	*v = NULL;
	n[0] = n[1] = n[2] = n[3] = n[4] = 0;
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		const char *kind = item_kind_name(it->kind);
		Undoc u;
		u.unit = it->unit;
		u.owner_kind = kind;
		u.owner = it->name;
		/* an inline type's owner, in messages and for restating, is
		 * the named item it is in */
		const Item *top = it;
		while (top->inline_type && top->parent)
			top = top->parent;
		if (!it->inline_type &&
		    undocumented(it->desc, it->name, NULL, &u.restates)) {
			u.loc = it->name_loc;
			u.what = kind;
			u.name = it->name;
			u.owner_kind = u.owner = NULL;
			undoc_add(v, &len, &cap, u);
			u.owner_kind = kind;
			u.owner = it->name;
			n[u.restates ? 4 : 0]++;
		}
		for (j = 0; j < it->nfields; j++) {
			const Field *f = &it->fields[j];
			if (!undocumented(f->desc, f->name, top->name, &u.restates))
				continue;
			u.loc = f->name ? f->name_loc : f->loc;
			u.what = "field";
			u.name = f->name ? f->name : "(anonymous)";
			undoc_add(v, &len, &cap, u);
			n[u.restates ? 4 : 1]++;
		}
		for (j = 0; j < it->nvariants; j++) {
			if (!undocumented(it->variants[j].desc, it->variants[j].name,
					  it->name, &u.restates))
				continue;
			u.loc = it->variants[j].name_loc;
			u.what = "variant";
			u.name = it->variants[j].name;
			undoc_add(v, &len, &cap, u);
			n[u.restates ? 4 : 2]++;
		}
		for (j = 0; j < it->nbits; j++) {
			if (!undocumented(it->bits[j].desc, it->bits[j].name,
					  it->name, &u.restates))
				continue;
			u.loc = it->bits[j].name_loc;
			u.what = "bit";
			u.name = it->bits[j].name;
			undoc_add(v, &len, &cap, u);
			n[u.restates ? 4 : 3]++;
		}
	}
	return len;
}

static void report_undoc_count(FILE *out, const Spec *s)
{
	Undoc *v;
	size_t n[5];
	size_t len = undoc_collect(s, &v, n);
	free(v);
	if (!len)
		return;
	if (len > n[4])
		fprintf(out, "\nNo description: %zu item%s, %zu field%s, %zu "
			"variant%s, %zu bit%s\n", n[0], n[0] == 1 ? "" : "s",
			n[1], n[1] == 1 ? "" : "s", n[2], n[2] == 1 ? "" : "s",
			n[3], n[3] == 1 ? "" : "s");
	if (n[4])
		fprintf(out, "%sA description that only restates the name: %zu\n",
			len > n[4] ? "" : "\n", n[4]);
	fputs("(`xenbindgen validate --undocumented` lists them).\n", out);
}

static int undoc_cmp(const void *a, const void *b)
{
	const Loc *x = &((const Undoc *)a)->loc, *y = &((const Undoc *)b)->loc;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* The spec file of a location, found among its unit's files. */
static const char *undoc_path(const Undoc *u)
{
	size_t i;
	for (i = 0; i < u->unit->nfiles; i++)
		if (u->unit->files[i].file == u->loc.file)
			return u->unit->files[i].path;
	return "?";
}

void report_undocumented(FILE *out, const Spec *s)
{
	Undoc *v;
	size_t n[5], i, len = undoc_collect(s, &v, n);
	/* file ids are handed out in sorted order of the paths: sorting by
	 * location sorts by file, line and column */
	if (len) {
		qsort(v, len, sizeof *v, undoc_cmp);
		fputs(n[4] ? "\nWithout a description, or with one that only "
		      "restates the name:\n" : "\nWithout a description:\n", out);
	}
	for (i = 0; i < len; i++) {
		fprintf(out, "%s:%u:%u: %s '%s'", undoc_path(&v[i]),
			(unsigned)v[i].loc.line, (unsigned)v[i].loc.col, v[i].what,
			v[i].name);
		if (v[i].owner)
			fprintf(out, " of %s '%s'", v[i].owner_kind, v[i].owner);
		if (v[i].restates)
			fputs(": the description only restates the name", out);
		fputc('\n', out);
	}
	free(v);
}

/* ---- 32- and 64-bit targets of one architecture ---------------------------
 * Xen serves 32-bit guests and toolstacks on a 64-bit hypervisor, so what
 * matters most is where x86_32 and x86_64 (arm32 and arm64) disagree.  The
 * families of hypercall sub-ops whose envelope carries an interface
 * version (the specs define XEN_<FAMILY>_INTERFACE_VERSION: domctl,
 * sysctl) are the toolstack's, and Xen promises their op structs the
 * same layout for 32- and 64-bit callers: those that differ are named. */

/* Do the layouts of the item, or of the inline types of its members
 * (u.mc_fetch of xen_mc), differ between the two targets? */
static bool layouts_differ(const Item *it, int t, int u, int depth)
{
	size_t i;
	if (!it->layout[t] || !it->layout[u])
		return false;
	if (!layout_equal(it, it->layout[t], it->layout[u]))
		return true;
	for (i = 0; depth < 64 && i < it->nfields; i++) {
		const Type *ty = it->fields[i].type;
		while (ty && ty->kind == TY_ARRAY)
			ty = ty->elem;
		if (ty && ty->kind == TY_INLINE &&
		    layouts_differ(ty->item, t, u, depth + 1))
			return true;
	}
	return false;
}

/* The definition on target u of a name that it defines on target t only,
 * when units define it per target (Xen's x86_32 and x86_64 cpu_user_regs);
 * else NULL. */
static const Item *split_pair(const Spec *s, const Item *it, int t, int u)
{
	const Symbol *sym = hmap_gets(&s->symbols, it->name);
	const Item *o;
	if (!sym || !sym->split || sym->tgt[t] != it)
		return NULL;
	o = sym->tgt[u];
	return o && o != it && o->kind == it->kind && o->layout[u] &&
	       it->layout[t] ? o : NULL;
}

/* Does the named type exist on both targets with another layout? */
static bool pair_differs(const Spec *s, const Item *it, int t, int u)
{
	const Item *o;
	if (it->inline_type || !s->covered[t] || !s->covered[u] ||
	    !item_on_target(it, t))
		return false;
	if (!item_on_target(it, u))
		return (o = split_pair(s, it, t, u)) != NULL &&
		       !layout_equal_defs(it, it->layout[t], o, o->layout[u]);
	return layouts_differ(it, t, u, 0);
}

/* The family a constant XEN_<FAMILY>_INTERFACE_VERSION versions, in
 * lower case ("domctl"), into b; false for another name. */
static bool versioned_family(Buf *b, const char *name)
{
	static const char suffix[] = "_INTERFACE_VERSION";
	size_t n = strlen(name), i;
	if (n <= 4 + sizeof suffix - 1 || strncmp(name, "XEN_", 4) != 0 ||
	    strcmp(name + n - (sizeof suffix - 1), suffix) != 0)
		return false;
	buf_clear(b);
	for (i = 4; i < n - (sizeof suffix - 1); i++)
		buf_putc(b, (char)(name[i] >= 'A' && name[i] <= 'Z'
				   ? name[i] - 'A' + 'a' : name[i]));
	return true;
}

/* The structs of the versioned families' interfaces: those whose `op`
 * names such a family, those named xen_<family>_*, and the struct types
 * of the members of the union `u` of its envelope, struct xen_<family>. */
static void versioned_ops(const Spec *s, HMap *ops)
{
	HMap fams;
	Buf b = {0};
	size_t i, j;
	hmap_init(&fams);
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_CONST &&
		    versioned_family(&b, s->items[i]->name)) {
			char *f = arena_strdup(&((Spec *)s)->arena, buf_cstr(&b));
			hmap_put(&fams, f, strlen(f), f);
		}
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i], *u = NULL;
		const char *fam;
		size_t n;
		if (it->kind != IT_STRUCT || it->inline_type)
			continue;
		if (it->op_family && hmap_gets(&fams, it->op_family))
			hmap_put(ops, it->name, strlen(it->name), (void *)it);
		if (strncmp(it->name, "xen_", 4) != 0)
			continue;
		/* xen_<family> or xen_<family>_*: the longest family that fits */
		for (n = strlen(it->name); n > 4; n--) {
			if (it->name[n] != '_' && it->name[n] != '\0')
				continue;
			buf_clear(&b);
			buf_printf(&b, "%.*s", (int)(n - 4), it->name + 4);
			if (hmap_gets(&fams, buf_cstr(&b)))
				break;
		}
		if (n <= 4)
			continue;
		fam = it->name + 4;
		if (fam[n - 4] == '_') {
			hmap_put(ops, it->name, strlen(it->name), (void *)it);
			continue;
		}
		/* the envelope itself: its union's members */
		for (j = 0; j < it->nfields; j++) {
			const Type *t = it->fields[j].type;
			if (!it->fields[j].name || strcmp(it->fields[j].name, "u") != 0)
				continue;
			u = t->kind == TY_INLINE ? t->item
			    : t->kind == TY_NAMED ? symbol_any(t->sym) : NULL;
		}
		for (j = 0; u && u->kind == IT_UNION && j < u->nfields; j++) {
			const Type *t = u->fields[j].type;
			const Item *x = t->kind == TY_NAMED ? symbol_any(t->sym)
				      : NULL;
			if (x && x->kind == IT_STRUCT)
				hmap_put(ops, x->name, strlen(x->name), (void *)x);
		}
	}
	buf_free(&b);
	hmap_free(&fams);
}

/* The 32/64-bit pairs: the two targets of an architecture whose pointers
 * differ in width; *n of them. */
static int word_pairs(const Spec *s, int pairs[][2])
{
	int t, u, n = 0;
	for (t = 0; t < NTARGETS; t++)
		for (u = t + 1; u < NTARGETS; u++)
			if (targets[t].arch == targets[u].arch &&
			    targets[t].ptr_size != targets[u].ptr_size &&
			    s->covered[t] && s->covered[u]) {
				pairs[n][0] = t;
				pairs[n++][1] = u;
			}
	return n;
}

/* An op struct that differs: how.  Alignment alone moves no member
 * (and the envelope's union is 8-aligned whatever its members are). */
static void pair_op_line(FILE *out, const Item *it, int t, int u)
{
	const Layout *a = it->layout[t], *b = it->layout[u];
	Layout same = *b;
	same.align = a->align;
	fprintf(out, "    %s (%s / %s): ", it->name, targets[t].name,
		targets[u].name);
	if (layout_equal(it, a, b))
		fputs("members of its inline types placed otherwise\n", out);
	else if (layout_equal(it, a, &same))
		fprintf(out, "alignment %llu / %llu only\n",
			(unsigned long long)a->align, (unsigned long long)b->align);
	else if (a->size != b->size)
		fprintf(out, "size %llu / %llu\n", (unsigned long long)a->size,
			(unsigned long long)b->size);
	else
		fputs("members placed otherwise\n", out);
}

static void report_pairs(FILE *out, const Spec *s)
{
	int pairs[NTARGETS * NTARGETS][2], np = word_pairs(s, pairs), p;
	size_t i, nops = 0;
	HMap ops;
	if (!np)
		return;
	for (p = 0; p < np; p++)
		for (i = 0; i < s->nitems; i++)
			nops += pair_differs(s, s->items[i], pairs[p][0],
					     pairs[p][1]);
	if (!nops)
		return; /* nothing to say: the specs are word-size neutral */
	nops = 0;
	hmap_init(&ops);
	versioned_ops(s, &ops);
	fputs("\n32- and 64-bit targets of one architecture:\n", out);
	for (p = 0; p < np; p++) {
		size_t n = 0;
		for (i = 0; i < s->nitems; i++)
			n += pair_differs(s, s->items[i], pairs[p][0], pairs[p][1]);
		fprintf(out, "  %s / %s: %zu %s\n",
			targets[pairs[p][0]].name, targets[pairs[p][1]].name, n,
			n == 1 ? "type differs" : "types differ");
	}
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		if (!hmap_gets(&ops, it->name) || hmap_gets(&ops, it->name) != it)
			continue;
		for (p = 0; p < np; p++) {
			if (!pair_differs(s, it, pairs[p][0], pairs[p][1]))
				continue;
			if (!nops++)
				fputs("  op structs of versioned families (one "
				      "layout promised to 32- and\n  64-bit "
				      "callers) that differ:\n", out);
			pair_op_line(out, it, pairs[p][0], pairs[p][1]);
		}
	}
	hmap_free(&ops);
	fputs("(`xenbindgen validate --differ` lists the types.)\n", out);
}

void report_differ(FILE *out, const Spec *s)
{
	int pairs[NTARGETS * NTARGETS][2], np = word_pairs(s, pairs), p;
	size_t i;
	HMap ops;
	hmap_init(&ops);
	versioned_ops(s, &ops);
	for (p = 0; p < np; p++) {
		int t = pairs[p][0], u = pairs[p][1];
		fprintf(out, "\nLayouts that differ between %s and %s:\n",
			targets[t].name, targets[u].name);
		for (i = 0; i < s->nitems; i++) {
			const Item *it = s->items[i];
			const Layout *lu;
			if (!pair_differs(s, it, t, u))
				continue;
			lu = item_on_target(it, u) ? it->layout[u]
						   : split_pair(s, it, t, u)->layout[u];
			fprintf(out, "  %s %s: ", item_kind_name(it->kind),
				it->name);
			if (!item_on_target(it, u))
				fprintf(out, "defined apart for each, size %llu, "
					"alignment %llu on %s; size %llu, alignment "
					"%llu on %s",
					(unsigned long long)it->layout[t]->size,
					(unsigned long long)it->layout[t]->align,
					targets[t].name, (unsigned long long)lu->size,
					(unsigned long long)lu->align, targets[u].name);
			else if (layout_equal(it, it->layout[t], it->layout[u]))
				fputs("the same size and alignment, members of its "
				      "inline types placed otherwise", out);
			else if (it->layout[t]->size == it->layout[u]->size &&
			    it->layout[t]->align == it->layout[u]->align)
				fprintf(out, "size %llu, alignment %llu on both, "
					"members placed otherwise",
					(unsigned long long)it->layout[t]->size,
					(unsigned long long)it->layout[t]->align);
			else
				fprintf(out, "size %llu, alignment %llu on %s; "
					"size %llu, alignment %llu on %s",
					(unsigned long long)it->layout[t]->size,
					(unsigned long long)it->layout[t]->align,
					targets[t].name,
					(unsigned long long)it->layout[u]->size,
					(unsigned long long)it->layout[u]->align,
					targets[u].name);
			fputs(hmap_gets(&ops, it->name) == it
			      ? " (an op struct of a versioned family)\n" : "\n",
			      out);
		}
	}
	hmap_free(&ops);
}

void report_summary(FILE *out, const Spec *s)
{
	size_t i, files = 0, kinds[NITEMKINDS] = {0};
	size_t types[NTARGETS] = {0}, consts[NTARGETS] = {0}, differ[NTARGETS] = {0};
	int t, u, n = 0;
	for (i = 0; i < s->nunits; i++)
		files += s->units[i]->nfiles;
	for (i = 0; i < s->nitems; i++)
		if (!s->items[i]->inline_type)
			kinds[s->items[i]->kind]++;
	fprintf(out,
		"%zu output%s from %zu spec file%s: %zu struct%s, %zu union%s, "
		"%zu enum%s, %zu bitmap%s, %zu alias%s, %zu constant%s\n",
		s->nunits, s->nunits == 1 ? "" : "s", files, files == 1 ? "" : "s",
		kinds[IT_STRUCT], kinds[IT_STRUCT] == 1 ? "" : "s",
		kinds[IT_UNION], kinds[IT_UNION] == 1 ? "" : "s",
		kinds[IT_ENUM], kinds[IT_ENUM] == 1 ? "" : "s",
		kinds[IT_BITMAP], kinds[IT_BITMAP] == 1 ? "" : "s",
		kinds[IT_ALIAS], kinds[IT_ALIAS] == 1 ? "" : "es",
		kinds[IT_CONST], kinds[IT_CONST] == 1 ? "" : "s");
	if (kinds[IT_MACRO] || kinds[IT_HANDLE] || kinds[IT_XMACRO] ||
	    kinds[IT_RING])
		fprintf(out, "and %zu macro%s, %zu guest handle%s, %zu X-macro "
			"list%s, %zu ring%s\n",
			kinds[IT_MACRO], kinds[IT_MACRO] == 1 ? "" : "s",
			kinds[IT_HANDLE], kinds[IT_HANDLE] == 1 ? "" : "s",
			kinds[IT_XMACRO], kinds[IT_XMACRO] == 1 ? "" : "s",
			kinds[IT_RING], kinds[IT_RING] == 1 ? "" : "s");
	/* per target: types laid out, constants defined, and types whose
	 * layout there differs from their layout on another target */
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		if (it->inline_type)
			continue;
		for (t = 0; t < NTARGETS; t++) {
			if (!s->covered[t] || !item_on_target(it, t))
				continue;
			if (it->kind == IT_CONST || it->kind == IT_ENUM ||
			    it->kind == IT_BITMAP) {
				consts[t] += it->kind == IT_CONST ? 1
					     : it->nvariants + it->nbits;
				if (it->kind == IT_ENUM)
					types[t]++;
				continue;
			}
			if (!it->layout[t])
				continue;
			types[t]++;
			for (u = 0; u < NTARGETS; u++)
				if (u != t && it->layout[u] &&
				    !layout_equal(it, it->layout[t], it->layout[u])) {
					differ[t]++;
					break;
				}
		}
	}
	fprintf(out, "\n  %-9s %6s %10s %8s\n", "target", "types", "constants",
		"differ");
	for (t = 0; t < NTARGETS; t++) {
		if (!s->covered[t])
			continue;
		n++;
		fprintf(out, "  %-9s %6zu %10zu %8zu\n", targets[t].name, types[t],
			consts[t], differ[t]);
	}
	if (!n)
		fputs("  (no target could be laid out)\n", out);
	for (t = 0; t < NTARGETS; t++)
		if (!s->covered[t])
			fprintf(out, "  %-9s not checked: no arch-%s directory\n",
				targets[t].name, arch_name(targets[t].arch));
	fputs("\n\"differ\": types whose layout on this target is not the same "
	      "on every other\ntarget; `xenbindgen layout` shows them side by "
	      "side.\n", out);
	report_pairs(out, s);
	/* macros whose body Rust cannot type: in the C headers only */
	if (s->nc_only_macros) {
		fprintf(out, "\n%zu macro%s in C only (no Rust function):\n",
			s->nc_only_macros, s->nc_only_macros == 1 ? "" : "s");
		for (i = 0; i < s->nitems; i++)
			if (s->items[i]->kind == IT_MACRO && s->items[i]->rust_why)
				fprintf(out, "  %s: %s\n", s->items[i]->name,
					s->items[i]->rust_why);
	}
	/* what the language cannot say otherwise, so that it shows */
	if (s->nverbatim || s->nraw_conds)
		fprintf(out, "\nLast resorts: %zu verbatim block%s, %zu raw "
			"condition%s (c_if).\n", s->nverbatim,
			s->nverbatim == 1 ? "" : "s", s->nraw_conds,
			s->nraw_conds == 1 ? "" : "s");
	report_undoc_count(out, s);
}

static const char *fname(const Field *f)
{
	return f->name ? f->name : "(anonymous)";
}

/* Write text without the blanks that column padding leaves at line ends. */
static void put_trimmed(FILE *out, const Buf *b)
{
	size_t i, start = 0;
	for (i = 0; i < b->len; i++) {
		if (b->data[i] != '\n')
			continue;
		{
			size_t e = i;
			while (e > start && b->data[e - 1] == ' ')
				e--;
			fwrite(b->data + start, 1, e - start, out);
			fputc('\n', out);
		}
		start = i + 1;
	}
	fwrite(b->data + start, 1, b->len - start, out);
}

/* One column group: "offset size", padded to the width of its header. */
static void cell(Buf *out, int width, const char *off, const char *size)
{
	buf_printf(out, "  %6s %5s%*s", off, size, width > 12 ? width - 12 : 0, "");
}

static void cell_num(Buf *out, int width, uint64_t a, uint64_t b)
{
	char x[24], y[24];
	snprintf(x, sizeof x, "%llu", (unsigned long long)a);
	snprintf(y, sizeof y, "%llu", (unsigned long long)b);
	cell(out, width, x, y);
}

static void print_struct(FILE *real_out, const Item *it, const int *group)
{
	int heads[NTARGETS], width[NTARGETS], nh = 0, t, k;
	Hole *holes[NTARGETS];
	size_t nholes[NTARGETS], i, h, namew = 12;
	Buf b = {0}, text = {0};
	Buf *out = &text;

	for (t = 0; t < NTARGETS; t++) {
		if (group[t] != t)
			continue;
		holes[nh] = xcalloc(it->nfields + 1, sizeof *holes[nh]);
		nholes[nh] = layout_holes(it, it->layout[t], holes[nh]);
		heads[nh++] = t;
	}
	for (i = 0; i < it->nfields; i++)
		if (strlen(fname(&it->fields[i])) > namew)
			namew = strlen(fname(&it->fields[i]));

	buf_printf(out, "%s %s", item_kind_name(it->kind), it->name);
	if (it->unit->family >= 0)
		buf_printf(out, " (%s)", it->unit->name);
	buf_printf(out, "\n  %-*s", (int)namew, "");
	for (k = 0; k < nh; k++) {
		buf_clear(&b);
		layout_group_names(&b, group, heads[k]);
		width[k] = b.len > 12 ? (int)b.len : 12;
		buf_printf(out, "  %*s", width[k], buf_cstr(&b));
	}
	buf_printf(out, "\n  %-*s", (int)namew, "field");
	for (k = 0; k < nh; k++)
		cell(out, width[k], "offset", "size");
	buf_puts(out, "  type\n");

	for (i = 0; i <= it->nfields; i++) {
		/* a row for the hole before field i (or the tail), if any
		 * column has one */
		bool any = false;
		for (k = 0; k < nh; k++)
			for (h = 0; h < nholes[k]; h++)
				any |= holes[k][h].before == i;
		if (any) {
			buf_printf(out, "  %-*s", (int)namew,
				i < it->nfields ? "(hole)" : "(tail padding)");
			for (k = 0; k < nh; k++) {
				for (h = 0; h < nholes[k]; h++)
					if (holes[k][h].before == i)
						break;
				if (h < nholes[k])
					cell_num(out, width[k], holes[k][h].offset,
						 holes[k][h].size);
				else
					cell(out, width[k], "", "");
			}
			buf_puts(out, "  implicit padding\n");
		}
		if (i == it->nfields)
			break;
		buf_printf(out, "  %-*s", (int)namew, fname(&it->fields[i]));
		for (k = 0; k < nh; k++) {
			const FieldLayout *f = &it->layout[heads[k]]->fields[i];
			if (!f->present)
				cell(out, width[k], "-", "-");
			else
				cell_num(out, width[k], f->offset, f->size);
		}
		buf_clear(&b);
		type_to_string(&b, it->fields[i].type);
		if (it->fields[i].bits)
			buf_printf(&b, ":%u (from bit %u of the unit)",
				   it->fields[i].bits,
				   it->layout[heads[0]]->fields[i].bit_offset);
		buf_printf(out, "  %s\n", buf_cstr(&b));
	}
	buf_printf(out, "  %-*s", (int)namew, "size, align");
	for (k = 0; k < nh; k++)
		cell_num(out, width[k], it->layout[heads[k]]->size,
			 it->layout[heads[k]]->align);
	buf_puts(out, "\n\n");
	for (k = 0; k < nh; k++)
		free(holes[k]);
	put_trimmed(real_out, &text);
	buf_free(&text);
	buf_free(&b);
}

static void print_scalar(FILE *out, const Item *it, const int *group)
{
	int t;
	fprintf(out, "%s %s", item_kind_name(it->kind), it->name);
	if (it->kind == IT_ENUM || it->kind == IT_BITMAP)
		fprintf(out, ": %s", prim_name(it->backing));
	fputc('\n', out);
	for (t = 0; t < NTARGETS; t++) {
		Buf b = {0};
		if (group[t] != t)
			continue;
		layout_group_names(&b, group, t);
		fprintf(out, "  size %llu, align %llu on %s\n",
			(unsigned long long)it->layout[t]->size,
			(unsigned long long)it->layout[t]->align, buf_cstr(&b));
		buf_free(&b);
	}
	fputc('\n', out);
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void print_json_item(FILE *out, const Item *it, const bool *sel,
			    bool first)
{
	int t, nt = 0;
	size_t i, nf;
	Buf b = {0};
	fprintf(out, "%s\n    {\"name\": ", first ? "" : ",");
	json_str(out, it->name);
	fprintf(out, ", \"kind\": \"%s\", \"unit\": ", item_kind_name(it->kind));
	json_str(out, it->unit->name);
	fputs(", \"targets\": {", out);
	for (t = 0; t < NTARGETS; t++) {
		const Layout *l = it->layout[t];
		Hole *holes;
		size_t nh, h;
		uint64_t tail = 0;
		if (!l || (sel && !sel[t]))
			continue;
		fprintf(out, "%s\n      \"%s\": {\"size\": %llu, \"align\": %llu",
			nt++ ? "," : "", targets[t].name, (unsigned long long)l->size,
			(unsigned long long)l->align);
		if (it->kind != IT_STRUCT && it->kind != IT_UNION) {
			fputs("}", out);
			continue;
		}
		fputs(", \"fields\": [", out);
		for (i = 0, nf = 0; i < it->nfields; i++) {
			if (!l->fields[i].present)
				continue;
			buf_clear(&b);
			type_to_string(&b, it->fields[i].type);
			fprintf(out, "%s\n        {\"name\": ", nf++ ? "," : "");
			json_str(out, fname(&it->fields[i]));
			fprintf(out, ", \"offset\": %llu, \"size\": %llu, \"type\": ",
				(unsigned long long)l->fields[i].offset,
				(unsigned long long)l->fields[i].size);
			json_str(out, buf_cstr(&b));
			if (it->fields[i].bits)
				fprintf(out, ", \"bit_offset\": %u, \"bits\": %u",
					l->fields[i].bit_offset, it->fields[i].bits);
			fputc('}', out);
		}
		fputs(nf ? "\n      ], \"holes\": [" : "], \"holes\": [", out);
		holes = xcalloc(it->nfields + 1, sizeof *holes);
		nh = layout_holes(it, l, holes);
		for (h = 0, i = 0; h < nh; h++) {
			if (holes[h].before == it->nfields) {
				tail = holes[h].size;
				continue;
			}
			fprintf(out, "%s{\"offset\": %llu, \"size\": %llu, \"before\": ",
				i++ ? ", " : "", (unsigned long long)holes[h].offset,
				(unsigned long long)holes[h].size);
			json_str(out, fname(&it->fields[holes[h].before]));
			fputc('}', out);
		}
		fprintf(out, "], \"tail_padding\": %llu}", (unsigned long long)tail);
		free(holes);
	}
	fputs("\n    }}", out);
	buf_free(&b);
}

int report_layout(FILE *out, Spec *s, Diag *d, const char *const *names,
		  size_t nnames, const bool *sel, bool json)
{
	size_t i, k, shown = 0;
	bool *want = NULL;
	int group[NTARGETS];

	if (nnames) {
		want = xcalloc(s->nitems, sizeof *want);
		for (k = 0; k < nnames; k++) {
			Symbol *sym = hmap_gets(&s->symbols, names[k]);
			int a;
			if (!sym) {
				diag_error(d, NO_LOC, "no type named '%s'", names[k]);
				continue;
			}
			if (sym->common)
				want[sym->common->index] = true;
			for (a = 0; a < NARCH; a++)
				if (sym->arch[a])
					want[sym->arch[a]->index] = true;
		}
		if (diag_error_count(d)) {
			free(want);
			return STATUS_SPEC;
		}
	}
	if (json)
		fputs("{\"types\": [", out);
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		if (want && !want[i])
			continue;
		if (!layout_groups(it, sel, group))
			continue;
		if (json)
			print_json_item(out, it, sel, shown == 0);
		else if (it->kind == IT_STRUCT || it->kind == IT_UNION)
			print_struct(out, it, group);
		else
			print_scalar(out, it, group);
		shown++;
	}
	if (json)
		fputs("\n]}\n", out);
	free(want);
	return STATUS_OK;
}
