/*
 * rust_mods.c - the module tree of the crate.
 *
 * A module per output unit ("arch-x86" -> crate::arch_x86 in
 * src/arch_x86.rs, "io/blkif" -> crate::io::blkif in src/io/blkif.rs), and
 * one per directory of units that is no unit itself (src/io/mod.rs).
 * Two unit names that become one module are an error.  The module of
 * arch-<family> is compiled for that family's target_arch only, and so is
 * everything below it: the architecture-specific units
 * ("arch-x86/xen-mca"), whose items exist on that family only.
 */
#include "emit/rust.h"

#include <stdlib.h>
#include <string.h>

/* Where a unit's directory is, for diagnostics about the directory. */
static Loc dir_loc(Rust *R, const char *dir)
{
	Loc l = {0, 0, 0};
	char *p = arena_printf(&R->a, "%s/%s", R->s->indir, dir);
	l.file = diag_add_source(R->d, p);
	return l;
}

static Mod *mod_kid(Rust *R, Mod *parent, const char *comp, size_t len,
		    const char *dir)
{
	char *ident = naming_module(R, comp, len, parent == &R->root);
	Mod *m = hmap_gets(&parent->kidmap, ident);
	if (m)
		return m;
	m = arena_alloc(&R->a, sizeof *m);
	m->ident = ident;
	m->stem = naming_stem(ident);
	m->path = arena_printf(&R->a, "%s::%s", parent->path, ident);
	m->dir = arena_strndup(&R->a, dir, (size_t)(comp + len - dir));
	m->parent = parent;
	m->arch = -1;
	/* arch-<family> and everything below it are that family's */
	m->family = parent->family;
	if (parent == &R->root && strncmp(comp, "arch-", 5) == 0) {
		char *fam = arena_strndup(&R->a, comp + 5, len - 5);
		m->family = arch_from_name(fam);
	}
	hmap_init(&m->kidmap);
	hmap_put(&parent->kidmap, ident, strlen(ident), m);
	parent->kids = xgrow(parent->kids, &parent->kcap, parent->nkids + 1,
			     sizeof *parent->kids);
	parent->kids[parent->nkids++] = m;
	return m;
}

static int cmp_mod(const void *a, const void *b)
{
	return strcmp((*(Mod *const *)a)->stem, (*(Mod *const *)b)->stem);
}

/* Kids in the order rustfmt sorts `mod` declarations; file names. */
static void mod_finish(Rust *R, Mod *m, const char *dirpath)
{
	size_t i;
	if (m->nkids > 1)
		qsort(m->kids, m->nkids, sizeof *m->kids, cmp_mod);
	for (i = 0; i < m->nkids; i++) {
		Mod *k = m->kids[i];
		const char *p = arena_printf(&R->a, "%s/%s", dirpath, k->stem);
		k->file = k->nkids ? arena_printf(&R->a, "%s/mod.rs", p)
				   : arena_printf(&R->a, "%s.rs", p);
		mod_finish(R, k, p);
	}
}

void mods_build(Rust *R)
{
	Spec *s = R->s;
	size_t i;
	R->root.ident = "crate";
	R->root.path = "crate";
	R->root.file = "src/lib.rs";
	R->root.arch = -1;
	R->root.family = -1;
	hmap_init(&R->root.kidmap);
	for (i = 0; i < s->nunits; i++) {
		Unit *u = s->units[i];
		const char *p = u->name, *slash;
		Mod *m = &R->root;
		for (;;) {
			slash = strchr(p, '/');
			m = mod_kid(R, m, p, slash ? (size_t)(slash - p) : strlen(p),
				    u->name);
			if (!slash)
				break;
			p = slash + 1;
		}
		if (m->unit) {
			diag_error(R->d, dir_loc(R, u->name),
				   "output directories '%s' and '%s' both become "
				   "the Rust module %s", m->unit->name, u->name,
				   m->path);
			diag_note(R->d, dir_loc(R, m->unit->name),
				  "'%s' is here", m->unit->name);
			continue;
		}
		m->unit = u;
		m->arch = u->arch;
		R->unit_mod[u->index] = m;
		R->uses_arch |= u->uses_arch;
	}
	mod_finish(R, &R->root, "src");
}

void mods_free(Mod *m)
{
	size_t i;
	for (i = 0; i < m->nkids; i++)
		mods_free(m->kids[i]);
	free(m->kids);
	hmap_free(&m->kidmap);
}
