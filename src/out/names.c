/*
 * names.c - which files of an output directory are ours: the outputs'
 * names, validated, and the marked or temporary files already there.
 * Used by writing (outset.c) and by check mode (check.c) alike.
 */
#include "out/out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { MARKER_WINDOW = 1024 };

/* ---- Names. -------------------------------------------------------------- */

static void names_push(OutNames *s, char *name)
{
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n++] = name;
}

void out_names_free(OutNames *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* Bytewise (strcmp) order; qsort() must not be given a null array. */
static void sort_names(OutNames *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cmp_str);
}

bool out_name_ok(const char *name)
{
	const char *p = name;
	if (*p == '\0' || *p == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/' && *++p == '\0')
			return false; /* trailing slash */
	}
	return true;
}

int out_index_names(const OutSet *o, HMap *set, Diag *d)
{
	size_t i;
	int st = STATUS_OK;

	for (i = 0; i < o->n; i++) {
		const char *name = o->files[i].name;
		if (!out_name_ok(name))
			st = path_error(d, name, "invalid output name: not a "
					"relative path of plain components", 0);
		else if (hmap_put(set, name, strlen(name), &o->files[i]))
			st = path_error(d, name, "duplicate output name", 0);
	}
	for (i = 0; i < o->n && !st; i++) {
		const char *name = o->files[i].name, *p;
		for (p = strchr(name, '/'); p; p = strchr(p + 1, '/'))
			if (hmap_get(set, name, (size_t)(p - name)))
				st = path_error(d, name, "output name uses another "
						"output as a directory", 0);
	}
	return st;
}

/* ---- Files of ours already there. ---------------------------------------- */

static bool contains(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;
	for (i = 0; i + m <= n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

/* Does the regular file at path carry OUTPUT_MARKER in its first KiB?
 * Returns 1, 0, or -1 with errno set. */
static int has_marker(const char *path)
{
	char head[MARKER_WINDOW];
	size_t n;
	int r = fs_read_head(path, head, sizeof head, &n);
	return r <= 0 ? r : contains(head, n, OUTPUT_MARKER);
}

typedef struct Scan {
	const HMap *set;
	OutOwns owns;
	OutNames *extra, *leftovers;
	Diag *d;
	Buf dest;
	int rc;
} Scan;

static WalkNext scan_file(void *ctx, const WalkEntry *e)
{
	Scan *s = ctx;
	int m;

	if (hmap_gets(s->set, e->rel))
		return WALK_NEXT;
	if (fs_temp_dest(e->rel, &s->dest)) {
		/* a killed run's (this run's are in set) */
		if (s->leftovers && (!s->owns || s->owns(s->dest.data)))
			names_push(s->leftovers, xstrdup(e->rel));
		return WALK_NEXT;
	}
	if (s->owns && !s->owns(e->rel))
		return WALK_NEXT;
	m = has_marker(e->path);
	if (m < 0 && errno != ENOENT) {
		s->rc = path_error(s->d, e->path, "cannot read", errno);
		return WALK_STOP;
	}
	if (m > 0)
		names_push(s->extra, xstrdup(e->rel));
	return WALK_NEXT;
}

int out_find_extra(const char *root, const HMap *set, OutOwns owns,
		   OutNames *extra, OutNames *leftovers, Diag *d)
{
	Scan s = {set, owns, extra, leftovers, d, {0}, STATUS_OK};
	Walk w;

	memset(&w, 0, sizeof w);
	w.mode = WALK_OUTPUT;
	w.d = d;
	w.ctx = &s;
	w.file = scan_file;
	if (walk_tree(&w, root) == STATUS_IO)
		s.rc = STATUS_IO;
	buf_free(&s.dest);
	sort_names(extra);
	if (leftovers)
		sort_names(leftovers);
	return s.rc;
}
