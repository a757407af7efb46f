/*
 * cond.c - decoding conditions: only = { tools, hypervisor, targets,
 * not_targets, archs, since, until }.
 *
 * Target and architecture names are checked here, against target.c's
 * table; a condition becomes the set of targets where the thing exists
 * (Cond.targets) and the build and version tests that C puts under #if.
 */
#include "model/model.h"

#include <string.h>

/* The targets named by key (target names, or the targets of the
 * architectures named if archs). */
static unsigned name_set(Dec *D, const DocNode *t, const char *key,
			 bool archs)
{
	const char **names;
	size_t n, i;
	int k;
	unsigned set = 0;
	names = get_strings(D, t, key, "only", &n);
	for (i = 0; i < n; i++) {
		bool found = false;
		for (k = 0; k < NTARGETS; k++) {
			if (archs ? strcmp(names[i], arch_name(targets[k].arch)) == 0
				  : strcmp(names[i], targets[k].name) == 0) {
				set |= 1u << k;
				found = true;
			}
		}
		if (!found)
			diag_error(D->d, get_entry(t, key)->value->u.array.v[i]->loc,
				   "unknown %s '%s' (expected %s)",
				   archs ? "architecture" : "target", names[i],
				   archs ? "x86, arm, riscv or ppc"
					 : "x86_32, x86_64, arm32, arm64, riscv64 or "
					   "ppc64le");
	}
	return set;
}

/* An interface version: since or until. */
static bool version_of(Dec *D, const DocNode *t, const char *key,
		       uint32_t *out)
{
	int64_t v;
	Loc l;
	if (!get_int(D, t, key, "only", &v, &l))
		return false;
	if (v <= 0 || v > UINT32_MAX) {
		diag_error(D->d, l, "interface version %lld is out of range "
			   "(1 to 0xffffffff)", (long long)v);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

void cond_decode(Dec *D, const DocNode *owner, Cond *c)
{
	const DocNode *t = get_table(D, owner, "only", "item", SK_ONLY);
	unsigned all = (1u << NTARGETS) - 1, set = all;
	if (!t)
		return;
	c->loc = t->loc;
	get_bool(D, t, "tools", "only", &c->tools);
	get_bool(D, t, "hypervisor", "only", &c->hypervisor);
	if (get_entry(t, "targets"))
		set &= name_set(D, t, "targets", false);
	if (get_entry(t, "archs"))
		set &= name_set(D, t, "archs", true);
	if (get_entry(t, "not_targets"))
		set &= ~name_set(D, t, "not_targets", false);
	if (set == 0) {
		diag_error(D->d, t->loc, "this condition excludes every target");
		set = all;
	}
	c->targets = set == all ? 0 : set;
	version_of(D, t, "since", &c->since);
	version_of(D, t, "until", &c->until);
	if (c->since && c->until && c->since >= c->until)
		diag_error(D->d, t->loc, "'since' must be below 'until'");
}
