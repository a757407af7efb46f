/*
 * emit_util.c - what every backend needs: output file names and
 * descriptions cut into safe comment lines.
 */
#include "emit.h"
#include "emit_util.h"

#include <stdlib.h>
#include <string.h>

void unit_file_name(Buf *b, const Unit *u, bool keep_dashes)
{
	const char *p;
	for (p = u->name; *p; p++)
		buf_putc(b, *p == '-' && !keep_dashes ? '_' : *p);
}

/* Descriptions are free text from untrusted files.  Normalise them into
 * lines: no carriage returns or other control characters (a NUL or a form
 * feed in a header helps nobody), no trailing blanks, no blank lines at the
 * start or end.  Language-specific escaping is the backend's job. */
void lines_split(Lines *l, const char *desc)
{
	const char *p = desc ? desc : "";
	memset(l, 0, sizeof *l);
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p), i;
		Buf b = {0};
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c == '\r')
				continue;
			buf_putc(&b, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
		}
		while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\t'))
			b.len--;
		l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
		l->v[l->n++] = buf_detach(&b, NULL);
		p += n;
		if (*p == '\n')
			p++;
	}
	while (l->n && !*l->v[l->n - 1])
		free(l->v[--l->n]);
	{
		size_t lead = 0;
		while (lead < l->n && !*l->v[lead])
			free(l->v[lead++]);
		/* only when there is something to drop: with no lines at all
		 * l->v is null, and null + 0 or memmove(NULL, ...) is UB */
		if (lead) {
			memmove(l->v, l->v + lead, (l->n - lead) * sizeof *l->v);
			l->n -= lead;
		}
	}
}

void lines_free(Lines *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool owns_c_layout(const char *relpath)
{
	return ends_with(relpath, "_layout.h") || ends_with(relpath, "-layout.h");
}

bool owns_c_header(const char *relpath)
{
	return ends_with(relpath, ".h") && !owns_c_layout(relpath);
}

bool owns_rust(const char *relpath)
{
	return strcmp(relpath, "Cargo.toml") == 0 || ends_with(relpath, ".rs");
}
