/*
 * print.c - the result of a diff for people and for tools.
 *
 * Text: by class (breaking, needs-bump, compatible), then by item; a
 * change that reads the same on several targets is one line that names
 * them ("every target" when it is all those compared), so that the usual
 * case, one change everywhere, is one line, and a change on 64-bit
 * targets only says so.  Then a count.
 *
 * JSON: one object per change and target, in the order of the targets,
 * then items (by name), then discovery; the keys are those of
 * docs/abi-evolution.md, no more.
 */
#include "diff/diff.h"

#include <stdlib.h>
#include <string.h>

typedef struct Group {
	const DiffEntry *first;
	unsigned targets; /* bit t: the change is on target t */
} Group;

static int cmp_group(const void *a, const void *b)
{
	const DiffEntry *x = ((const Group *)a)->first, *y = ((const Group *)b)->first;
	int c;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	c = strcmp(x->item, y->item);
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void target_list(FILE *out, unsigned set, const DiffResult *r)
{
	unsigned all = 0;
	int t, n = 0;
	for (t = 0; t < NTARGETS; t++)
		if (r->compared[t])
			all |= 1u << t;
	if (set == all) {
		fputs("every target", out);
		return;
	}
	for (t = 0; t < NTARGETS; t++)
		if (set >> t & 1u)
			fprintf(out, "%s%s", n++ ? ", " : "", targets[t].name);
}

void diff_print_text(FILE *out, const DiffResult *r, const char *old_name,
		     const char *new_name)
{
	HMap seen;
	Arena keys;
	Buf key = {0};
	Group *g = xcalloc(r->n + 1, sizeof *g);
	size_t ng = 0, i, count[NDIFFCLASSES] = {0};
	const DiffEntry *prev = NULL;
	int cls = -1, t, n = 0;

	hmap_init(&seen);
	arena_init(&keys);
	for (i = 0; i < r->n; i++) {
		const DiffEntry *x = &r->v[i];
		Group *grp;
		buf_clear(&key);
		buf_printf(&key, "%d %d %s %d ", (int)x->cls, (int)x->kind, x->item,
			   (int)x->change);
		buf_puts(&key, x->detail);
		grp = hmap_get(&seen, key.data, key.len);
		if (!grp) {
			char *p = arena_strndup(&keys, key.data, key.len);
			grp = &g[ng++];
			grp->first = x;
			hmap_put(&seen, p, key.len, grp);
		}
		grp->targets |= 1u << x->target;
	}
	if (ng)
		qsort(g, ng, sizeof *g, cmp_group);
	fprintf(out, "ABI changes from %s to %s", old_name, new_name);
	fputs(" (targets compared: ", out);
	for (t = 0; t < NTARGETS; t++)
		if (r->compared[t])
			fprintf(out, "%s%s", n++ ? ", " : "", targets[t].name);
	fputs(n ? ")\n" : "none)\n", out);
	for (i = 0; i < ng; i++) {
		const DiffEntry *x = g[i].first;
		count[x->cls]++;
		if ((int)x->cls != cls) {
			size_t j, m = 0;
			for (j = i; j < ng && g[j].first->cls == x->cls; j++)
				m++;
			cls = (int)x->cls;
			fprintf(out, "\n%s (%zu):\n", diff_class_names[x->cls], m);
			prev = NULL;
		}
		if (!prev || prev->kind != x->kind || strcmp(prev->item, x->item) != 0)
			fprintf(out, "  %s %s\n", abi_kind_names[x->kind], x->item);
		prev = x;
		fprintf(out, "    %s: %s [", diff_change_names[x->change], x->detail);
		target_list(out, g[i].targets, r);
		fputs("]\n", out);
	}
	if (!ng)
		fputs("\nno ABI change\n", out);
	else
		fprintf(out, "\n%zu change%s: %zu breaking, %zu needing a version "
			"bump, %zu compatible\n", ng, ng == 1 ? "" : "s",
			count[DC_BREAKING], count[DC_NEEDS_BUMP],
			count[DC_COMPATIBLE]);
	hmap_free(&seen);
	arena_free(&keys);
	buf_free(&key);
	free(g);
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void diff_print_json(FILE *out, const DiffResult *r)
{
	size_t i;
	fputs("{\"changes\": [", out);
	for (i = 0; i < r->n; i++) {
		const DiffEntry *x = &r->v[i];
		fputs(i ? ",\n  " : "\n  ", out);
		fputs("{\"target\": ", out);
		json_str(out, targets[x->target].name);
		fputs(", \"item\": ", out);
		json_str(out, x->item);
		fprintf(out, ", \"kind\": \"%s\", \"change\": \"%s\", \"class\": "
			"\"%s\", \"detail\": ", abi_kind_names[x->kind],
			diff_change_names[x->change], diff_class_names[x->cls]);
		json_str(out, x->detail);
		fputc('}', out);
	}
	fputs(r->n ? "\n]}\n" : "]}\n", out);
}
