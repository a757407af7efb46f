/*
 * rust_mods.c - the module tree of the crate.
 *
 * A module per output unit ("arch-x86" -> crate::arch_x86 in
 * src/arch_x86.rs, "io/blkif" -> crate::io::blkif in src/io/blkif.rs), and
 * one per directory of units that is no unit itself (src/io/mod.rs).
 * Two unit names that become one module are an error, and so is a unit
 * below an arch-* unit: arch modules are compiled for their own
 * target_arch only.
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

/* An arch module is compiled for its architecture only, so it cannot hold
 * the modules of common units below it. */
static void nested_arch(Rust *R, const Mod *arch, const Mod *m)
{
	size_t i;
	for (i = 0; i < m->nkids; i++) {
		const Mod *k = m->kids[i];
		if (k->unit)
			diag_error(R->d, dir_loc(R, k->unit->name),
				   "output directory '%s' is inside the architecture "
				   "directory '%s', whose Rust module is compiled for "
				   "%s only", k->unit->name, arch->unit->name,
				   arch_name(arch->arch));
		nested_arch(R, arch, k);
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
	for (i = 0; i < R->root.nkids; i++)
		if (R->root.kids[i]->arch >= 0)
			nested_arch(R, R->root.kids[i], R->root.kids[i]);
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
