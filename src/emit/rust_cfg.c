/*
 * rust_cfg.c - where things exist: the targets of views, items and fields
 * as masks, and the #[cfg(...)] attributes that select them.
 *
 * A cfg predicate tree is printed the way rustfmt prints attributes: on
 * one line when the arguments of the list fit in attr_fn_like_width and
 * the line fits; otherwise a list with one element passes the problem on
 * to that element, and a longer list puts each element on a line of its
 * own.  A list holds at most one element per target (or per target_arch,
 * of which there are no more than targets), hence the sizes in rust.h.
 */
#include "emit/rust.h"

#include <string.h>

Meta *cfg_meta(MetaPool *mp, const char *text, int nkids)
{
	Meta *m = &mp->m[mp->n++];
	snprintf(m->text, sizeof m->text, "%s", text);
	m->nkids = nkids;
	return m;
}

void cfg_add(Meta *list, Meta *kid)
{
	list->kids[list->nkids++] = kid;
}

static void meta_line(Buf *b, const Meta *m)
{
	int i;
	buf_puts(b, m->text);
	if (m->nkids < 0)
		return;
	buf_putc(b, '(');
	for (i = 0; i < m->nkids; i++) {
		if (i)
			buf_puts(b, ", ");
		meta_line(b, m->kids[i]);
	}
	buf_putc(b, ')');
}

static void meta_fmt(Buf *b, const Meta *m, size_t indent, size_t lead,
		     size_t tail)
{
	Buf one = {0};
	size_t args;
	int i;
	meta_line(&one, m);
	args = m->nkids < 0 ? 0 : one.len - strlen(m->text) - 2;
	if (m->nkids < 0 ||
	    (args <= FMT_ATTR_ARGS && lead + one.len + tail <= FMT_WIDTH)) {
		buf_put(b, one.data, one.len);
	} else if (m->nkids == 1 && m->kids[0]->nkids >= 0) {
		buf_printf(b, "%s(", m->text);
		meta_fmt(b, m->kids[0], indent, lead + strlen(m->text) + 1,
			 tail + 1);
		buf_putc(b, ')');
	} else {
		buf_printf(b, "%s(\n", m->text);
		for (i = 0; i < m->nkids; i++) {
			bool last = i == m->nkids - 1;
			buf_indent(b, (int)indent + 4);
			meta_fmt(b, m->kids[i], indent + 4, indent + 4, last ? 0 : 1);
			buf_puts(b, last ? "\n" : ",\n");
		}
		buf_indent(b, (int)indent);
		buf_putc(b, ')');
	}
	buf_free(&one);
}

/* #[cfg(pred)] at an indentation; nothing for a NULL predicate. */
void cfg_attr(Buf *b, int indent, Meta *pred, MetaPool *mp)
{
	Meta *cfg;
	if (!pred)
		return;
	cfg = cfg_meta(mp, "cfg", 0);
	cfg_add(cfg, pred);
	buf_indent(b, indent);
	buf_puts(b, "#[");
	meta_fmt(b, cfg, (size_t)indent, (size_t)indent + 2, 1);
	buf_puts(b, "]\n");
}

static Meta *pred(MetaPool *mp, const char *key, const char *value)
{
	char t[48];
	snprintf(t, sizeof t, "%s = \"%s\"", key, value);
	return cfg_meta(mp, t, -1);
}

/* The data model of a layout target: architecture, pointer width, and the
 * byte order when the engine's target is one of two. */
static Meta *target_cfg(MetaPool *mp, int t)
{
	Meta *all = cfg_meta(mp, "all", 0);
	char w[8];
	cfg_add(all, pred(mp, "target_arch", targets[t].rust_arch));
	snprintf(w, sizeof w, "%u", targets[t].ptr_size * 8);
	cfg_add(all, pred(mp, "target_pointer_width", w));
	if (strstr(targets[t].cond, "__LITTLE_ENDIAN__"))
		cfg_add(all, pred(mp, "target_endian", "little"));
	else if (strstr(targets[t].cond, "__BIG_ENDIAN__"))
		cfg_add(all, pred(mp, "target_endian", "big"));
	return all;
}

Meta *cfg_one_or_any(Meta *any)
{
	return any->nkids == 1 ? any->kids[0] : any;
}

/* The targets whose layouts a group of assertions holds: exactly those
 * data models. */
Meta *cfg_layout(MetaPool *mp, TMask m)
{
	Meta *any = cfg_meta(mp, "any", 0);
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (in_mask(m, t))
			cfg_add(any, target_cfg(mp, t));
	return cfg_one_or_any(any);
}

TMask cfg_family(int arch)
{
	TMask m = 0;
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (targets[t].arch == arch)
			m |= 1u << t;
	return m;
}

/* target_arch of an architecture family, added to the list `into`. */
void cfg_arch_preds(MetaPool *mp, int arch, Meta *into)
{
	int t, u;
	for (t = 0; t < NTARGETS; t++) {
		if (targets[t].arch != arch)
			continue;
		for (u = 0; u < t; u++)
			if (targets[u].arch == arch &&
			    strcmp(targets[u].rust_arch, targets[t].rust_arch) == 0)
				break;
		if (u == t)
			cfg_add(into, pred(mp, "target_arch", targets[t].rust_arch));
	}
}

/* Where a declaration exists: whole architectures by target_arch, single
 * targets by their data model; NULL when it is everywhere in its view. */
Meta *cfg_decl(MetaPool *mp, TMask m, TMask view)
{
	Meta *any;
	int a, t;
	if (m == view)
		return NULL;
	any = cfg_meta(mp, "any", 0);
	for (a = 0; a < NARCH; a++) {
		TMask f = cfg_family(a);
		if ((m & f) == f) {
			cfg_arch_preds(mp, a, any);
			continue;
		}
		for (t = 0; t < NTARGETS; t++)
			if (in_mask(m & f, t))
				cfg_add(any, target_cfg(mp, t));
	}
	return cfg_one_or_any(any);
}

/* ---- Masks -------------------------------------------------------------------
 * The targets of a unit's view (an arch directory: its architecture's),
 * of an item, and of a field within its item (on the item's mask, which
 * naming_items() sets). */

TMask cfg_view_mask(const Rust *R, const Unit *u)
{
	return u->family < 0 ? R->covered : R->covered & cfg_family(u->family);
}

TMask cfg_item_mask(const Rust *R, const Item *it)
{
	TMask m = 0;
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (in_mask(R->covered, t) && item_on_target(it, t))
			m |= 1u << t;
	return m;
}

TMask cfg_field_mask(const Rust *R, const Item *it, const Field *f)
{
	return cfg_cond_mask(R->info[it->index].mask, &f->cond);
}

TMask cfg_cond_mask(TMask within, const Cond *c)
{
	TMask m = 0;
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (in_mask(within, t) && cond_on_target(c, t))
			m |= 1u << t;
	return m;
}
