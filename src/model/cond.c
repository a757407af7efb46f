/*
 * cond.c - decoding conditions: only = { tools, hypervisor, targets,
 * not_targets, archs, since, until, assembly, defined, not_defined,
 * c_if }.
 *
 * Target and architecture names are checked here, against target.c's
 * table; a condition becomes the set of targets where the thing exists
 * (Cond.targets) and the build and version tests that C puts under #if.
 * Configuration macros must be identifiers; a raw condition (c_if) is one
 * line of C preprocessor text that cannot end the #if early or smuggle a
 * comment in, and is counted (validate lists the last resorts).
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

/* defined = [...], not_defined = [...]: macro names. */
static const char **macro_names(Dec *D, const DocNode *t, const char *key,
				size_t *n)
{
	const char **v = get_strings(D, t, key, "only", n);
	size_t i, k = 0;
	for (i = 0; i < *n; i++) {
		if (is_ident(v[i]) && strlen(v[i]) <= MAX_IDENT_LEN) {
			v[k++] = v[i];
			continue;
		}
		diag_error(D->d, get_entry(t, key)->value->loc,
			   "'%s' in '%s' is no macro name: a name must match "
			   "[A-Za-z_][A-Za-z0-9_]*", get_printable(D, v[i],
								   strlen(v[i])),
			   key);
	}
	*n = k;
	return v;
}

/* A raw condition is written after "#if ": one line, no comment, no
 * continuation, nothing but printable ASCII. */
static const char *raw_condition(Dec *D, const DocNode *t)
{
	Loc l;
	const char *s = get_string(D, t, "c_if", "only", &l), *p;
	const DocEntry *e = get_entry(t, "c_if");
	const char *why = NULL;
	if (!s)
		return NULL;
	if (strlen(s) != e->value->u.str.len)
		why = "it contains a NUL byte";
	for (p = s; !why && *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch < 0x20 || ch >= 0x7f)
			why = "it must be one line of printable ASCII";
		else if (ch == '\\')
			why = "it must not contain a backslash";
		else if ((ch == '/' && (p[1] == '*' || p[1] == '/')) ||
			 (ch == '*' && p[1] == '/'))
			why = "it must not contain a comment";
	}
	if (!why && strlen(s) > MAX_EXPR_LEN) {
		diag_error(D->d, l, "raw condition (c_if) is longer than %d "
			   "characters", MAX_EXPR_LEN);
		return NULL;
	}
	if (why) {
		diag_error(D->d, l, "invalid raw condition (c_if): %s", why);
		return NULL;
	}
	D->s->nraw_conds++;
	return s;
}

void cond_decode(Dec *D, const DocNode *owner, Cond *c)
{
	const DocNode *t = get_table(D, owner, "only", "item", SK_ONLY);
	unsigned all = (1u << NTARGETS) - 1, set = all;
	if (!t)
		return;
	c->loc = t->loc;
	{
		/* false: only outside such builds (a guest's view, laid
		 * out by no one: layouts are the tools/hypervisor view) */
		bool v;
		if (get_bool(D, t, "tools", "only", &v)) {
			c->tools = v;
			c->not_tools = !v;
		}
		if (get_bool(D, t, "hypervisor", "only", &v)) {
			c->hypervisor = v;
			c->not_hypervisor = !v;
		}
	}
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
	{
		bool asm_only;
		if (get_bool(D, t, "assembly", "only", &asm_only))
			c->assembly = asm_only ? COND_ASM_ONLY : COND_ASM_NOT;
	}
	if (get_entry(t, "defined"))
		c->defined = macro_names(D, t, "defined", &c->ndefined);
	if (get_entry(t, "not_defined"))
		c->not_defined = macro_names(D, t, "not_defined",
					     &c->nnot_defined);
	c->c_if = raw_condition(D, t);
}
