/*
 * xlat.c - `xenbindgen import --xlat FILE`: Xen's xlat.lst as compat marks.
 *
 * Xen lists in xen/include/xlat.lst the types its hypervisor checks ('?')
 * or translates ('!') for 32-bit guests, each with the header that
 * declares it.  The spec language says the same with the key `compat` of
 * a struct or union (docs/compat.md), so migrating the headers migrates
 * the list too: each entry becomes `compat = "check"` or "translate" on
 * the record of that header whose name is the entry's, with or without
 * Xen's "xen_"/"xen" prefix (the names Xen's scripts derive the macro
 * from).  An entry whose record stayed verbatim text, or that the header
 * does not declare, cannot be marked: it is reported by name, since the
 * compat backend will not make its macro.
 */
#include "import/import.h"

#include <stdlib.h>
#include <string.h>

typedef struct XlatEntry {
	const char *mark;   /* "check" or "translate" */
	char *name;         /* as xlat.lst spells it */
	char *header;       /* the header's path, @arch@ read as x86_32 */
	uint32_t line;
} XlatEntry;

/* The header column: @arch@ is the 32-bit x86 view, as Xen's Makefile
 * reads it for compat. */
static char *header_of(const char *w)
{
	const char *at = strstr(w, "@arch@");
	Buf b = {0};
	if (!at)
		return xstrdup(w);
	buf_printf(&b, "%.*sx86_32%s", (int)(at - w), w, at + 6);
	return buf_detach(&b, NULL);
}

/* The entries of the list, or -1 after reporting why there are none. */
static long read_list(const char *path, uint32_t file, XlatEntry **out, Diag *d)
{
	const char *err = NULL;
	size_t len, n = 0, cap = 0;
	char *text = read_file(path, &len, &err), *line, *next;
	uint32_t lno = 0;
	*out = NULL;
	if (!text) {
		diag_error(d, (Loc){file, 0, 0}, "cannot read it: %s", err);
		return -1;
	}
	for (line = text; line && *line; line = next) {
		char w[3][256];
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lno++;
		line += strspn(line, " \t");
		if (!*line || *line == '#')
			continue;
		if (sscanf(line, "%255s %255s %255s", w[0], w[1], w[2]) != 3 ||
		    (strcmp(w[0], "?") != 0 && strcmp(w[0], "!") != 0)) {
			diag_error(d, (Loc){file, lno, 1}, "expected '? NAME HEADER' or "
				   "'! NAME HEADER'");
			continue;
		}
		*out = xgrow(*out, &cap, n + 1, sizeof **out);
		(*out)[n].mark = w[0][0] == '?' ? "check" : "translate";
		(*out)[n].name = xstrdup(w[1]);
		(*out)[n].header = header_of(w[2]);
		(*out)[n].line = lno;
		n++;
	}
	free(text);
	return (long)n;
}

static bool names_it(const char *rec, const char *entry)
{
	if (strcmp(rec, entry) == 0)
		return true;
	if (strncmp(rec, "xen_", 4) == 0 && strcmp(rec + 4, entry) == 0)
		return true;
	return strncmp(rec, "xen", 3) == 0 && strcmp(rec + 3, entry) == 0;
}

/* Whether a verbatim entry of H declares the record. */
static bool in_text(const IHeader *H, const char *entry)
{
	size_t i, k;
	for (i = 0; i < H->n; i++)
		if (!H->e[i].doc)
			for (k = 0; k < H->e[i].ndefs; k++)
				if (names_it(H->e[i].defs[k], entry))
					return true;
	return false;
}

int xlat_mark(const char *path, IHeader *hs, size_t nh, XlatCount *c, Diag *d)
{
	XlatEntry *v;
	uint32_t file = diag_add_source(d, path);
	long n = read_list(path, file, &v, d);
	size_t i, h, k, use;
	memset(c, 0, sizeof *c);
	if (n < 0)
		return STATUS_IO;
	/* a malformed list marks nothing (its entries are freed all the same) */
	use = diag_error_count(d) ? 0 : (size_t)n;
	for (i = 0; i < use; i++) {
		IHeader *H = NULL;
		size_t marked = 0;
		for (h = 0; h < nh && !H; h++)
			if (strcmp(hs[h].th->path, v[i].header) == 0)
				H = &hs[h];
		if (!H)
			continue; /* a header not imported */
		c->entries++;
		for (k = 0; k < H->n; k++) {
			IEntry *e = &H->e[k];
			if (!e->doc || !e->name || (strcmp(e->kind, "struct") != 0 &&
						    strcmp(e->kind, "union") != 0) ||
			    !names_it(e->name, v[i].name) || doc_get(e->doc, "compat"))
				continue;
			doc_table_add(&H->arena, e->doc, "compat", 6, NO_LOC,
				      doc_new_string(&H->arena, NO_LOC, v[i].mark,
						     strlen(v[i].mark)));
			marked++;
		}
		if (marked) {
			c->marked++;
		} else if (in_text(H, v[i].name)) {
			c->verbatim++;
			diag_warning(d, (Loc){file, v[i].line, 1}, "%s (%s) is verbatim "
				     "text in the spec: no compat mark", v[i].name, v[i].header);
		} else {
			c->missing++;
			diag_warning(d, (Loc){file, v[i].line, 1}, "%s: no struct or union "
				     "%s: no compat mark", v[i].header, v[i].name);
		}
	}
	for (i = 0; i < (size_t)n; i++) {
		free(v[i].name);
		free(v[i].header);
	}
	free(v);
	return diag_error_count(d) ? STATUS_SPEC : STATUS_OK;
}
