/*
 * emit_util.c - what every backend needs: output file names and
 * descriptions cut into safe comment lines.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

void unit_file_name(Buf *b, const Unit *u, bool keep_dashes)
{
	const char *p;
	if (u->header.path) {
		/* [header] path: as written, the tree Xen has */
		buf_put(b, u->header.path, strlen(u->header.path) - 2);
		return;
	}
	for (p = u->name; *p; p++)
		buf_putc(b, (char)(*p == '-' && !keep_dashes ? '_' : *p));
}

const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Descriptions are free text from untrusted files.  Normalise them into
 * lines: no carriage returns or other control characters (a NUL or a form
 * feed in a header helps nobody), no trailing blanks, no blank lines at the
 * start or end.  Language-specific escaping is the backend's job.
 *
 * Every comment of every output goes through here, so the lines are made
 * in one allocation: the pointers, then the text (never longer than the
 * description plus one NUL per line). */
void lines_split(Lines *l, const char *desc)
{
	const char *p = desc ? desc : "", *e, *q;
	size_t len = strlen(p), max = 1, lead = 0;
	char *out;
	for (q = p; (q = memchr(q, '\n', len - (size_t)(q - p))) != NULL; q++)
		max++;
	l->v = xmalloc(max * sizeof *l->v + len + max);
	l->n = 0;
	l->cap = max;
	out = (char *)(l->v + max);
	for (; *p; p = *e ? e + 1 : e) {
		char *line = out, *w;
		e = memchr(p, '\n', len - (size_t)(p - desc));
		if (!e)
			e = p + strlen(p);
		/* copy, then clean up in place: most lines need nothing */
		memcpy(out, p, (size_t)(e - p));
		for (w = out, out += e - p; w < out; w++) {
			unsigned char c = (unsigned char)*w;
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				break;
		}
		if (w < out) {
			char *r;
			for (r = w; r < out; r++) {
				unsigned char c = (unsigned char)*r;
				if (c == '\r')
					continue;
				*w++ = (char)((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c);
			}
			out = w;
		}
		while (out > line && (out[-1] == ' ' || out[-1] == '\t'))
			out--;
		*out++ = '\0';
		l->v[l->n++] = line;
	}
	while (l->n && !*l->v[l->n - 1])
		l->n--;
	while (lead < l->n && !*l->v[lead])
		lead++;
	if (lead) {
		memmove(l->v, l->v + lead, (l->n - lead) * sizeof *l->v);
		l->n -= lead;
	}
}

void lines_free(Lines *l)
{
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

/* compat/ holds -l c-compat's headers */
bool owns_c_compat(const char *relpath)
{
	return strncmp(relpath, "compat/", 7) == 0 && ends_with(relpath, ".h");
}

bool owns_c_header(const char *relpath)
{
	return ends_with(relpath, ".h") && !owns_c_layout(relpath) &&
	       !owns_c_compat(relpath);
}

bool owns_rust(const char *relpath)
{
	return strcmp(relpath, "Cargo.toml") == 0 ||
	       strcmp(relpath, "README.md") == 0 || ends_with(relpath, ".rs");
}
