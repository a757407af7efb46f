/*
 * tree.c - a tree of public headers read as text.
 *
 * The comparison parses every header with libclang, but a few things are
 * needed before parsing, from the text alone: which headers there are,
 * which include which (to include an arch-* header the way Xen does), the
 * macro names a header defines (to evaluate them in the same parse), and
 * whether a header has assembler content at all.  The scan below follows
 * the C preprocessor's first phases (line splices, comments, literals)
 * closely enough for that; it never decides a fact the comparison reports.
 */
/* realpath() is XSI in glibc's view of POSIX 2008 (as in model/load.c) */
#define _XOPEN_SOURCE 700 /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

#include "import/import.h"
#include "read/read.h"

#include <errno.h>
#include <stdlib.h>

const char *const config_names[NCONFIGS] = {
	"tools", "hypervisor", "guest", "default", "asm", "c89", "c99", "c++",
};

int config_from_name(const char *name)
{
	int c;
	for (c = 0; c < NCONFIGS; c++)
		if (strcmp(config_names[c], name) == 0)
			return c;
	return -1;
}

/* ---- Listing the tree ---------------------------------------------------- */

typedef struct PathList {
	char **v;
	size_t n, cap;
} PathList;

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

static bool want_header(const char *name)
{
	return has_suffix(name, ".h");
}

static WalkNext add_header(void *ctx, const WalkEntry *e)
{
	PathList *l = ctx;
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(e->rel);
	return WALK_NEXT;
}

/* ---- The text scan ------------------------------------------------------- */

/* The text after line splicing, with each comment replaced by one space:
 * what the preprocessor's directives see.  Logical lines end in '\n'. */
static char *clean_text(const char *s, size_t len)
{
	Buf b = {0};
	size_t i = 0;
	char quote = 0;
	buf_reserve(&b, len);
	while (i < len) {
		char c = s[i];
		if (c == '\\' && i + 1 < len && s[i + 1] == '\n') {
			i += 2;
			continue;
		}
		if (c == '\\' && i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 3;
			continue;
		}
		if (quote) {
			buf_putc(&b, c);
			if (c == '\\' && i + 1 < len && s[i + 1] != '\n') {
				buf_putc(&b, s[i + 1]);
				i += 2;
				continue;
			}
			if (c == quote || c == '\n')
				quote = 0;
			i++;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			buf_putc(&b, c);
			i++;
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			i += 2;
			while (i < len && !(s[i] == '*' && i + 1 < len && s[i + 1] == '/')) {
				/* keep the line count of a comment that spans lines */
				if (s[i] == '\n')
					buf_putc(&b, '\n');
				i++;
			}
			i += 2;
			buf_putc(&b, ' ');
		} else if (c == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				i++;
			buf_putc(&b, ' ');
		} else {
			buf_putc(&b, c);
			i++;
		}
	}
	buf_putc(&b, '\n');
	return buf_detach(&b, NULL);
}

static bool ident_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\v' || *p == '\r')
		p++;
	return p;
}

/* Can `(body)` stand as an initializer without taking what follows with
 * it?  Brackets must balance and nothing may end or open a declaration. */
static bool probe_safe(const char *p, const char *end)
{
	int depth = 0;
	bool any = false;
	char quote = 0;
	for (; p < end; p++) {
		char c = *p;
		if (quote) {
			if (c == '\\' && p + 1 < end)
				p++;
			else if (c == quote)
				quote = 0;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
			continue;
		any = true;
		switch (c) {
		case '"': case '\'':
			quote = c;
			break;
		case '(': case '[':
			depth++;
			break;
		case ')': case ']':
			if (--depth < 0)
				return false;
			break;
		case ';': case '{': case '}': case '#':
			return false;
		default:
			break;
		}
	}
	return any && depth == 0 && !quote;
}

static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;
	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || !ident_char(p[-1])) && !ident_char(p[n]))
			return true;
		p += n;
	}
	return false;
}

typedef struct Scan {
	HeaderTree *t;
	TreeHeader *h;
	HMap names;   /* macro name -> index + 1 */
	size_t cap;
	char **inc;   /* quoted include names, resolved after the scan */
	size_t ninc, inccap;
} Scan;

static void add_macro(Scan *s, const char *name, size_t n, bool fn, bool safe)
{
	TreeHeader *h = s->h;
	size_t k = (size_t)(uintptr_t)hmap_get(&s->names, name, n);
	MacroDef *m;
	if (k) {
		m = &h->macros[k - 1];
		m->function_like = fn;
		m->probe = m->probe && !fn && safe;
		return;
	}
	h->macros = xgrow(h->macros, &s->cap, h->nmacros + 1, sizeof *h->macros);
	m = &h->macros[h->nmacros++];
	m->name = arena_strndup(&s->t->arena, name, n);
	m->function_like = fn;
	m->probe = !fn && safe;
	hmap_put(&s->names, m->name, n, index_value(h->nmacros - 1));
}

static void scan_directive(Scan *s, const char *p, const char *eol)
{
	const char *w = p;
	while (p < eol && ident_char(*p))
		p++;
	if ((size_t)(p - w) == 6 && memcmp(w, "define", 6) == 0) {
		const char *name;
		p = skip_blanks(p);
		name = p;
		if (p >= eol || !ident_start(*p))
			return;
		while (p < eol && ident_char(*p))
			p++;
		add_macro(s, name, (size_t)(p - name), *p == '(',
			  probe_safe(p, eol));
	} else if ((size_t)(p - w) == 7 && memcmp(w, "include", 7) == 0) {
		const char *q;
		p = skip_blanks(p);
		if (*p != '"')
			return;
		q = memchr(p + 1, '"', (size_t)(eol - p - 1));
		if (!q)
			return;
		s->inc = xgrow(s->inc, &s->inccap, s->ninc + 1, sizeof *s->inc);
		s->inc[s->ninc++] = xstrndup(p + 1, (size_t)(q - p - 1));
	}
}

static void scan_header(HeaderTree *t, TreeHeader *h, Scan *s)
{
	char *clean = clean_text(h->text, h->len);
	const char *p = clean;
	memset(s, 0, sizeof *s);
	s->t = t;
	s->h = h;
	hmap_init(&s->names);
	while (*p) {
		const char *eol = strchr(p, '\n');
		const char *q = skip_blanks(p);
		if (*q == '#')
			scan_directive(s, skip_blanks(q + 1), eol);
		p = eol + 1;
	}
	h->mentions_asm = has_word(clean, "__ASSEMBLY__");
	hmap_free(&s->names);
	free(clean);
}

/* ---- Includes -------------------------------------------------------------- */

/* Normalise dir/name ("." and ".." resolved) into out; false when it leaves
 * the tree. */
static bool join_path(Buf *out, const char *dir, const char *name)
{
	Buf in = {0};
	char *seg[256];
	size_t n = 0, i;
	char *p, *tok;
	bool ok = true;
	if (*dir)
		buf_printf(&in, "%s/%s", dir, name);
	else
		buf_puts(&in, name);
	buf_cstr(&in); /* NUL-terminated, then split in place */
	p = in.data;
	while (p && ok) {
		tok = p;
		p = strchr(p, '/');
		if (p)
			*p++ = '\0';
		if (*tok == '\0' || strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (n == 0)
				ok = false;
			else
				n--;
		} else if (n == ARRAY_LEN(seg)) {
			ok = false;
		} else {
			seg[n++] = tok;
		}
	}
	buf_clear(out);
	for (i = 0; ok && i < n; i++) {
		if (i)
			buf_putc(out, '/');
		buf_puts(out, seg[i]);
	}
	buf_free(&in);
	return ok && n > 0;
}

static long find_index(const HeaderTree *t, const char *path)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->h[mid].path, path);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const TreeHeader *tree_find(const HeaderTree *t, const char *path)
{
	long i = find_index(t, path);
	return i < 0 ? NULL : &t->h[i];
}

/* A quoted include is looked up next to the including file, then at the
 * root (-iquote ROOT); "public/..." names the root too, as Xen's build
 * includes the tree as xen/include/public. */
static long resolve_include(const HeaderTree *t, const char *from,
			    const char *name)
{
	Buf dir = {0}, p = {0};
	const char *slash = strrchr(from, '/');
	long i = -1;
	if (slash)
		buf_put(&dir, from, (size_t)(slash - from));
	buf_putc(&dir, '\0');
	if (join_path(&p, dir.data, name))
		i = find_index(t, buf_cstr(&p));
	if (i < 0 && join_path(&p, "", name))
		i = find_index(t, buf_cstr(&p));
	if (i < 0 && strncmp(name, "public/", 7) == 0 &&
	    join_path(&p, "", name + 7))
		i = find_index(t, buf_cstr(&p));
	buf_free(&dir);
	buf_free(&p);
	return i;
}

static uint32_t read_latest(const TreeHeader *h, bool *found)
{
	const char *p = h->text, *name = "__XEN_LATEST_INTERFACE_VERSION__";
	*found = false;
	while ((p = strstr(p, name)) != NULL) {
		const char *q = p;
		char *end;
		unsigned long v;
		/* "#define NAME value" on one line */
		while (q > h->text && q[-1] != '\n')
			q--;
		q = skip_blanks(q);
		p += strlen(name);
		if (*q != '#')
			continue;
		q = skip_blanks(q + 1);
		if (strncmp(q, "define", 6) != 0)
			continue;
		errno = 0;
		v = strtoul(p, &end, 0);
		if (errno || end == p || v > UINT32_MAX)
			continue;
		*found = true;
		return (uint32_t)v;
	}
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tree_load(HeaderTree *t, const char *root, Diag *d)
{
	PathList list = {0};
	size_t i, j, n;
	int st;
	const TreeHeader *compat;
	Scan *scans;

	memset(t, 0, sizeof *t);
	arena_init(&t->arena);
	/* absolute: the forwarding headers (facts.c) include by full path,
	 * and clang names files by the paths it was given */
	t->root = realpath(root, NULL);
	if (!t->root) {
		diag_error(d, NO_LOC, "cannot read directory %s: %s", root,
			   strerror(errno));
		return STATUS_IO;
	}
	n = strlen(t->root);
	while (n > 1 && t->root[n - 1] == '/')
		t->root[--n] = '\0';
	/* the spec trees' walker: hidden entries skipped, links followed
	 * within the tree, depth bounded, sorted */
	{
		Walk w;
		memset(&w, 0, sizeof w);
		w.mode = WALK_INPUT;
		w.d = d;
		w.ctx = &list;
		w.want = want_header;
		w.file = add_header;
		st = walk_tree(&w, t->root) ? STATUS_IO : STATUS_OK;
	}
	if (st) {
		for (i = 0; i < list.n; i++)
			free(list.v[i]);
		free(list.v);
		return st;
	}
	if (list.n > 1)
		qsort(list.v, list.n, sizeof *list.v, cmp_path);
	t->h = xcalloc(list.n ? list.n : 1, sizeof *t->h);
	scans = xcalloc(list.n ? list.n : 1, sizeof *scans);
	for (i = 0; i < list.n; i++) {
		TreeHeader *h = &t->h[t->n++];
		Buf full = {0};
		const char *err = NULL;
		h->path = list.v[i];
		buf_printf(&full, "%s/%s", t->root, h->path);
		h->text = read_file(buf_cstr(&full), &h->len, &err);
		if (!h->text) {
			diag_error(d, NO_LOC, "cannot read %s: %s", buf_cstr(&full), err);
			st = STATUS_IO;
		}
		buf_free(&full);
	}
	free(list.v);
	for (i = 0; !st && i < t->n; i++)
		scan_header(t, &t->h[i], &scans[i]);
	for (i = 0; !st && i < t->n; i++) {
		TreeHeader *h = &t->h[i];
		for (j = 0; j < scans[i].ninc; j++) {
			long k = resolve_include(t, h->path, scans[i].inc[j]);
			if (k < 0)
				continue;
			h->includes = xrealloc(h->includes,
					       (h->nincludes + 1) * sizeof *h->includes);
			h->includes[h->nincludes++] = (size_t)k;
		}
	}
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < scans[i].ninc; j++)
			free(scans[i].inc[j]);
		free(scans[i].inc);
	}
	free(scans);
	compat = st ? NULL : tree_find(t, "xen-compat.h");
	if (compat)
		t->latest = read_latest(compat, &t->have_latest);
	return st;
}

void tree_free(HeaderTree *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		free(t->h[i].path);
		free(t->h[i].text);
		free(t->h[i].includes);
		free(t->h[i].macros);
	}
	free(t->h);
	free(t->root);
	arena_free(&t->arena);
	memset(t, 0, sizeof *t);
}

/* ---- Xen's build rules ----------------------------------------------------- */

static bool is_arch(const char *path)
{
	return strncmp(path, "arch-", 5) == 0;
}

/* The headers.chk-family prerequisites: xen/include/Makefile gives
 * io/9pfs.h and io/pvcalls.h `-include string.h` (cstring in C++): they
 * use size_t without including anything that declares it. */
static bool needs_string(const char *path)
{
	return strcmp(path, "io/9pfs.h") == 0 || strcmp(path, "io/pvcalls.h") == 0;
}

const char *config_skip_reason(const TreeHeader *h, ViewConfig c)
{
	const char *p = h->path;
	switch (c) {
	case CFG_ASM:
		return h->mentions_asm ? NULL : "the header does not test __ASSEMBLY__";
	case CFG_C89:
		/* public-ansi-headers-filter: %ctl.h xsm/% %hvm/save.h dom0_ops.h
		 * arch-% and the c99 headers */
		if (has_suffix(p, "ctl.h") || strncmp(p, "xsm/", 4) == 0 ||
		    has_suffix(p, "hvm/save.h") || strcmp(p, "dom0_ops.h") == 0 ||
		    is_arch(p) || needs_string(p))
			return "not compiled by Xen's headers.chk";
		return NULL;
	case CFG_C99:
		return needs_string(p) ? NULL : "not compiled by Xen's headers99.chk";
	case CFG_CXX:
		/* public-headers-filter: dom0_ops.h arch-% */
		if (strcmp(p, "dom0_ops.h") == 0 || is_arch(p))
			return "not compiled by Xen's headers++.chk";
		return NULL;
	case CFG_TOOLS: case CFG_HYPERVISOR: case CFG_GUEST: case CFG_DEFAULT:
	case NCONFIGS:
		break;
	}
	return NULL;
}

/* The nearest headers that include h and are not arch-* headers: breadth
 * first up the include graph. */
static size_t includers(const HeaderTree *t, size_t start, const char **out,
			size_t max)
{
	bool *seen = xcalloc(t->n, sizeof *seen);
	size_t *level = xcalloc(t->n, sizeof *level), *next = xcalloc(t->n, sizeof *next);
	size_t nlevel = 1, nnext, i, j, k, nout = 0;
	level[0] = start;
	seen[start] = true;
	while (nlevel && !nout) {
		nnext = 0;
		for (i = 0; i < t->n; i++) {
			for (k = 0; k < t->h[i].nincludes; k++) {
				for (j = 0; j < nlevel; j++)
					if (t->h[i].includes[k] == level[j])
						break;
				if (j < nlevel && !seen[i]) {
					seen[i] = true;
					next[nnext++] = i;
				}
			}
		}
		/* t->h is sorted, and so is next: the output is in path order */
		for (i = 0; i < nnext; i++)
			if (!is_arch(t->h[next[i]].path) && nout < max)
				out[nout++] = t->h[next[i]].path;
		memcpy(level, next, nnext * sizeof *level);
		nlevel = nnext;
	}
	free(seen);
	free(level);
	free(next);
	return nout;
}

size_t tree_prelude(const HeaderTree *t, const TreeHeader *h, ViewConfig c,
		    const char **out, size_t max)
{
	size_t n = 0;
	if (max < 2)
		return 0;
	switch (c) {
	case CFG_C89:
		return 0;
	case CFG_C99:
		if (needs_string(h->path))
			out[n++] = "<string.h>";
		return n;
	case CFG_CXX:
		if (tree_find(t, "xen.h") && strcmp(h->path, "xen.h") != 0)
			out[n++] = "xen.h";
		if (needs_string(h->path))
			out[n++] = "<cstring>";
		return n;
	case CFG_TOOLS: case CFG_HYPERVISOR: case CFG_GUEST: case CFG_DEFAULT:
	case CFG_ASM: case NCONFIGS:
		break;
	}
	if (needs_string(h->path))
		out[n++] = "<string.h>";
	if (is_arch(h->path)) {
		size_t k = includers(t, (size_t)(h - t->h), out + n, max - n);
		if (k == 0 && tree_find(t, "xen.h"))
			out[n++] = "xen.h";
		n += k;
	}
	return n;
}

/* Xen's arch-* headers have no architecture #if of their own: their
 * includers test the target (arch-x86/xen.h includes xen-x86_32.h under
 * __i386__, xen-x86_64.h under __x86_64__).  Such a header is no part of
 * the other targets' ABI, whatever libclang says when it parses it there
 * (after xen.h, which has defined the other header's names already). */
unsigned tree_home_targets(const HeaderTree *t, const TreeHeader *h)
{
	const unsigned all = (1u << NTARGETS) - 1;
	size_t self = (size_t)(h - t->h), i, k, d;
	unsigned home = 0;
	bool found = false;
	if (!is_arch(h->path))
		return all;
	for (i = 0; i < t->n && home != all; i++) {
		const TreeHeader *in = &t->h[i];
		HText ht;
		for (k = 0; k < in->nincludes && in->includes[k] != self; k++)
			;
		if (k == in->nincludes)
			continue;
		htext_init(&ht, in->path, in->text, in->len);
		for (d = 0; d < ht.ndirs; d++) {
			const HDirective *dir = &ht.dirs[d];
			const char *q = strchr(dir->rest, '"'), *e = q ? strchr(q + 1, '"') : NULL;
			char *name;
			long to;
			ICond c;
			if (dir->kind != HD_INCLUDE || !e)
				continue;
			name = xstrndup(q + 1, (size_t)(e - q - 1));
			to = resolve_include(t, in->path, name);
			free(name);
			if (to < 0 || (size_t)to != self)
				continue;
			icond_from_ctx(&ht.arena, &ht, dir->ctx, ht.guard_ctx, &c);
			found = true;
			if (!c.never)
				home |= c.targets;
		}
		htext_free(&ht);
	}
	if (!found || !home)
		home = all;
	/* a header below arch-x86/ is x86's, whoever includes it (Xen's
	 * arch-x86_32.h includes arch-x86/xen.h unconditionally), as an
	 * architecture directory's unit is in the spec language */
	{
		const char *slash = strchr(h->path, '/');
		unsigned dir = 0;
		int a, tg;
		for (a = 0; slash && a < NARCH; a++)
			if ((size_t)(slash - h->path) == 5 + strlen(arch_name(a)) &&
			    strncmp(h->path + 5, arch_name(a), strlen(arch_name(a))) == 0)
				for (tg = 0; tg < NTARGETS; tg++)
					if (targets[tg].arch == a)
						dir |= 1u << tg;
		if (dir & home)
			home &= dir;
	}
	return home;
}
