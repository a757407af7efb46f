/*
 * htext.c - a header read as text, for the importer: its lines, comments,
 * preprocessor directives, the condition every part of it is under, and a
 * tokenizer for what is between.
 *
 * libclang has no cursor for #if, and a parse sees one configuration only:
 * what is inactive in every view the importer parses (an #else that no
 * compiler takes) still has to reach the spec.  So the directives are read
 * here, from the text: each #if/#ifdef/#ifndef opens a group, each branch
 * of a group is a context under its parent's, and every offset of the text
 * maps to the context in force there.  A declaration's condition is the
 * chain of contexts from its own up to the header's (or its record's).
 *
 * Comments are kept with their positions: they become descriptions.  The
 * "clean" copy of the text has every comment blanked (same length, line
 * breaks kept), so that offsets agree between the two and a scan of code
 * never sees a comment.
 */
#include "import/import.h"

#include <stdlib.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

static bool id_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool id_char(char c)
{
	return id_start(c) || (c >= '0' && c <= '9');
}

/* ---- Tokens ---------------------------------------------------------------- */

/* A line splice at p: its length (backslash, blanks, newline), or 0. */
static size_t splice_at(const char *p, const char *end)
{
	const char *q;
	if (p >= end || *p != '\\')
		return 0;
	q = p + 1;
	while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	if (q < end && *q == '\n')
		return (size_t)(q + 1 - p);
	return 0;
}

bool ctok_next(const char **pp, const char *end, CTok *t)
{
	const char *p = *pp;
	static const char *const multi[] = {
		"...", "<<=", ">>=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
		"##", "->", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
		"^=",
	};
	size_t k, sp;
	for (;;) {
		while (p < end && (is_blank(*p) || *p == '\n'))
			p++;
		sp = splice_at(p, end);
		if (!sp)
			break;
		p += sp;
	}
	if (p >= end) {
		*pp = p;
		t->p = p;
		t->n = 0;
		t->kind = CTOK_END;
		return false;
	}
	t->p = p;
	if (id_start(*p)) {
		while (p < end && id_char(*p))
			p++;
		t->kind = CTOK_IDENT;
	} else if ((*p >= '0' && *p <= '9') ||
		   (*p == '.' && p + 1 < end && p[1] >= '0' && p[1] <= '9')) {
		/* a preprocessing number */
		while (p < end) {
			if ((*p == 'e' || *p == 'E' || *p == 'p' || *p == 'P') &&
			    p + 1 < end && (p[1] == '+' || p[1] == '-')) {
				p += 2;
				continue;
			}
			if (!id_char(*p) && *p != '.')
				break;
			p++;
		}
		t->kind = CTOK_NUMBER;
	} else if (*p == '"' || *p == '\'') {
		char q = *p++;
		while (p < end && *p != q && *p != '\n') {
			if (*p == '\\' && p + 1 < end)
				p++;
			p++;
		}
		if (p < end && *p == q)
			p++;
		t->kind = q == '"' ? CTOK_STRING : CTOK_CHAR;
	} else {
		t->kind = CTOK_PUNCT;
		for (k = 0; k < ARRAY_LEN(multi); k++) {
			size_t n = strlen(multi[k]);
			if ((size_t)(end - p) >= n && memcmp(p, multi[k], n) == 0) {
				p += n;
				break;
			}
		}
		if (k == ARRAY_LEN(multi))
			p++;
	}
	t->n = (size_t)(p - t->p);
	*pp = p;
	return true;
}

bool ctok_is(const CTok *t, const char *s)
{
	return t->kind != CTOK_END && strlen(s) == t->n && memcmp(t->p, s, t->n) == 0;
}

size_t ctok_all(const char *p, const char *end, CTok **out)
{
	CTok t, *v = NULL;
	size_t n = 0, cap = 0;
	while (ctok_next(&p, end, &t)) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = t;
	}
	*out = v;
	return n;
}

void ctok_join(Buf *b, const CTok *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (i && ctok_space_between(&v[i - 1], &v[i]))
			buf_putc(b, ' ');
		buf_put(b, v[i].p, v[i].n);
	}
}

/* Do two tokens need a space between them to stay two tokens, or to read
 * as C is usually written?  Words and numbers need one; so do binary
 * operators, for readability; brackets and commas do not. */
bool ctok_space_between(const CTok *a, const CTok *b)
{
	bool wa = a->kind == CTOK_IDENT || a->kind == CTOK_NUMBER,
	     wb = b->kind == CTOK_IDENT || b->kind == CTOK_NUMBER;
	if (wa && wb)
		return true;
	if (ctok_is(a, "(") || ctok_is(a, "[") || ctok_is(b, ")") ||
	    ctok_is(b, "]") || ctok_is(b, ",") || ctok_is(b, ";"))
		return false;
	if (ctok_is(b, "(") || ctok_is(b, "["))
		return !wa && !ctok_is(a, ")") && !ctok_is(a, "]");
	if (ctok_is(a, "~") || ctok_is(a, "!"))
		return false;
	return true;
}

/* ---- The scan ---------------------------------------------------------------- */

typedef struct Scanner {
	HText *h;
	size_t dircap, comcap, ctxcap, grpcap, trcap;
	uint32_t cur;       /* the context in force */
	uint32_t *open;     /* the groups open, innermost last */
	size_t nopen, opencap;
} Scanner;

static uint32_t new_ctx(Scanner *s, uint32_t parent, uint32_t group,
			uint32_t branch)
{
	HText *h = s->h;
	HCtx *c;
	h->ctxs = xgrow(h->ctxs, &s->ctxcap, h->nctxs + 1, sizeof *h->ctxs);
	c = &h->ctxs[h->nctxs];
	c->parent = parent;
	c->group = group;
	c->branch = branch;
	c->depth = parent == HCTX_NONE ? 0 : h->ctxs[parent].depth + 1;
	return (uint32_t)h->nctxs++;
}

static void transition(Scanner *s, uint32_t off, uint32_t ctx)
{
	HText *h = s->h;
	if (h->ntr && h->tr_off[h->ntr - 1] == off) {
		h->tr_ctx[h->ntr - 1] = ctx;
		return;
	}
	{
		size_t cap = s->trcap;
		h->tr_off = xgrow(h->tr_off, &cap, h->ntr + 1, sizeof *h->tr_off);
		h->tr_ctx = xgrow(h->tr_ctx, &s->trcap, h->ntr + 1, sizeof *h->tr_ctx);
	}
	h->tr_off[h->ntr] = off;
	h->tr_ctx[h->ntr++] = ctx;
}

/* The directive's text with splices joined and comments (already blanked
 * in clean) squeezed: "define X 1". */
static char *directive_text(HText *h, uint32_t start, uint32_t end)
{
	Buf b = {0};
	const char *p = h->clean + start, *e = h->clean + end;
	char *r;
	bool space = false;
	/* skip to the '#' */
	while (p < e && *p != '#')
		p++;
	if (p < e)
		p++;
	while (p < e) {
		size_t sp = splice_at(p, e);
		if (sp) {
			p += sp;
			space = true;
			continue;
		}
		if (is_blank(*p) || *p == '\n') {
			space = true;
			p++;
			continue;
		}
		if (space && b.len)
			buf_putc(&b, ' ');
		space = false;
		if (*p == '"' || *p == '\'') {
			/* a literal keeps its blanks */
			char q = *p;
			buf_putc(&b, *p++);
			while (p < e && *p != q && *p != '\n') {
				if (*p == '\\' && p + 1 < e && p[1] != '\n')
					buf_putc(&b, *p++);
				buf_putc(&b, *p++);
			}
			if (p < e && *p == q)
				buf_putc(&b, *p++);
			continue;
		}
		buf_putc(&b, *p++);
	}
	r = arena_strndup(&h->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

static HDirKind dir_kind(const char *w, size_t n)
{
	static const struct {
		const char *w;
		HDirKind k;
	} words[] = {
		{"if", HD_IF}, {"ifdef", HD_IFDEF}, {"ifndef", HD_IFNDEF},
		{"elif", HD_ELIF}, {"else", HD_ELSE}, {"endif", HD_ENDIF},
		{"define", HD_DEFINE}, {"undef", HD_UNDEF}, {"include", HD_INCLUDE},
		{"error", HD_ERROR}, {"pragma", HD_PRAGMA},
	};
	size_t i;
	for (i = 0; i < ARRAY_LEN(words); i++)
		if (strlen(words[i].w) == n && memcmp(words[i].w, w, n) == 0)
			return words[i].k;
	return n ? HD_OTHER : HD_NULL;
}

/* Read "define NAME(params) body" and the like into d. */
static void parse_directive(HText *h, HDirective *d)
{
	const char *p = d->text, *w;
	while (*p && id_char(*p))
		p++;
	d->kind = dir_kind(d->text, (size_t)(p - d->text));
	if (*p == ' ')
		p++;
	d->rest = p;
	switch (d->kind) {
	case HD_DEFINE:
	case HD_UNDEF:
	case HD_IFDEF:
	case HD_IFNDEF:
		w = p;
		while (*p && id_char(*p))
			p++;
		d->name = arena_strndup(&h->arena, w, (size_t)(p - w));
		if (d->kind == HD_DEFINE && *p == '(') {
			/* parameters: names, or ... */
			const char **params = NULL;
			size_t np = 0, cap = 0;
			d->function_like = true;
			p++;
			for (;;) {
				while (*p == ' ')
					p++;
				if (*p == ')' || !*p) {
					if (*p)
						p++;
					break;
				}
				if (*p == ',') {
					p++;
					continue;
				}
				w = p;
				if (strncmp(p, "...", 3) == 0)
					p += 3;
				else
					while (*p && id_char(*p))
						p++;
				if (p == w) {
					p++;
					continue;
				}
				params = xgrow(params, &cap, np + 1, sizeof *params);
				params[np++] = arena_strndup(&h->arena, w, (size_t)(p - w));
			}
			d->params = np ? arena_calloc(&h->arena, np, sizeof *params) : NULL;
			if (np)
				memcpy(d->params, params, np * sizeof *params);
			d->nparams = np;
			free(params);
		}
		if (*p == ' ')
			p++;
		d->body = p;
		break;
	default:
		d->body = p;
		break;
	}
}

uint32_t htext_line_of(const HText *h, uint32_t off)
{
	size_t lo = 0, hi = h->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->line_off[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo + 1;
}

uint32_t htext_col_of(const HText *h, uint32_t off)
{
	uint32_t line = htext_line_of(h, off);
	return off - h->line_off[line - 1] + 1;
}

static void add_comment(Scanner *s, uint32_t start, uint32_t end, bool line,
			bool own_line, bool in_dir)
{
	HText *h = s->h;
	HComment *c;
	h->comments = xgrow(h->comments, &s->comcap, h->ncomments + 1,
			    sizeof *h->comments);
	c = &h->comments[h->ncomments++];
	memset(c, 0, sizeof *c);
	c->start = start;
	c->end = end;
	c->line_comment = line;
	c->own_line = own_line;
	c->in_directive = in_dir;
}

static void end_directive(Scanner *s, uint32_t start, uint32_t end)
{
	HText *h = s->h;
	HDirective *d;
	uint32_t next_line_off = end < h->len ? end + 1 : end;
	h->dirs = xgrow(h->dirs, &s->dircap, h->ndirs + 1, sizeof *h->dirs);
	d = &h->dirs[h->ndirs++];
	memset(d, 0, sizeof *d);
	d->start = start;
	d->end = end;
	d->group = HCTX_NONE;
	d->text = directive_text(h, start, end);
	parse_directive(h, d);
	d->ctx = s->cur;
	switch (d->kind) {
	case HD_IF:
	case HD_IFDEF:
	case HD_IFNDEF: {
		HGroup *g;
		uint32_t gi = (uint32_t)h->ngroups;
		h->groups = xgrow(h->groups, &s->grpcap, h->ngroups + 1,
				  sizeof *h->groups);
		g = &h->groups[h->ngroups++];
		memset(g, 0, sizeof *g);
		g->first_dir = (uint32_t)(h->ndirs - 1);
		g->last_dir = HCTX_NONE;
		g->parent = s->cur;
		g->branches = arena_calloc(&h->arena, HMAX_BRANCHES, sizeof *g->branches);
		if (d->kind == HD_IF)
			g->branches[0] = d->rest;
		else if (d->kind == HD_IFDEF)
			g->branches[0] = arena_printf(&h->arena, "defined(%s)", d->name);
		else
			g->branches[0] = arena_printf(&h->arena, "!defined(%s)", d->name);
		g->nbranches = 1;
		d->group = gi;
		s->open = xgrow(s->open, &s->opencap, s->nopen + 1, sizeof *s->open);
		s->open[s->nopen++] = gi;
		s->cur = new_ctx(s, s->cur, gi, 0);
		transition(s, next_line_off, s->cur);
		break;
	}
	case HD_ELIF:
	case HD_ELSE: {
		HGroup *g;
		if (!s->nopen) {
			h->unbalanced = true;
			break;
		}
		g = &h->groups[s->open[s->nopen - 1]];
		d->group = s->open[s->nopen - 1];
		d->ctx = g->parent;
		if (g->nbranches >= HMAX_BRANCHES || g->has_else) {
			h->unbalanced = true;
			break;
		}
		g->branches[g->nbranches] = d->kind == HD_ELIF ? d->rest : NULL;
		if (d->kind == HD_ELSE)
			g->has_else = true;
		s->cur = new_ctx(s, g->parent, d->group, g->nbranches);
		g->nbranches++;
		transition(s, next_line_off, s->cur);
		break;
	}
	case HD_ENDIF: {
		HGroup *g;
		if (!s->nopen) {
			h->unbalanced = true;
			break;
		}
		d->group = s->open[--s->nopen];
		g = &h->groups[d->group];
		g->last_dir = (uint32_t)(h->ndirs - 1);
		d->ctx = g->parent;
		s->cur = g->parent;
		transition(s, next_line_off, s->cur);
		break;
	}
	default:
		break;
	}
}

void htext_init(HText *h, const char *path, const char *text, size_t len)
{
	Scanner s;
	size_t i = 0, lcap = 0;
	bool line_start = true, in_dir = false;
	uint32_t dir_start = 0, line_begin = 0;
	char *clean;

	memset(h, 0, sizeof *h);
	memset(&s, 0, sizeof s);
	arena_init(&h->arena);
	h->path = arena_strdup(&h->arena, path);
	h->text = text;
	h->len = len;
	clean = arena_strndup(&h->arena, text, len);
	h->clean = clean;
	s.h = h;
	s.cur = new_ctx(&s, HCTX_NONE, HCTX_NONE, 0);
	transition(&s, 0, s.cur);

	h->line_off = xgrow(h->line_off, &lcap, 1, sizeof *h->line_off);
	h->line_off[h->nlines++] = 0;
	while (i < len) {
		char c = text[i];
		if (c == '\n') {
			if (in_dir) {
				/* a directive ends at a newline that is not spliced */
				size_t k = i;
				bool spliced = false;
				while (k > line_begin && (text[k - 1] == ' ' ||
							  text[k - 1] == '\t' ||
							  text[k - 1] == '\r'))
					k--;
				if (k > line_begin && text[k - 1] == '\\')
					spliced = true;
				if (!spliced) {
					end_directive(&s, dir_start, (uint32_t)i);
					in_dir = false;
				}
			}
			h->line_off = xgrow(h->line_off, &lcap, h->nlines + 1,
					    sizeof *h->line_off);
			h->line_off[h->nlines++] = (uint32_t)(i + 1);
			line_begin = (uint32_t)(i + 1);
			line_start = !in_dir;
			i++;
			continue;
		}
		if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			size_t start = i;
			bool own = line_start;
			i += 2;
			while (i < len && !(text[i] == '*' && i + 1 < len && text[i + 1] == '/'))
				i++;
			i = i + 2 <= len ? i + 2 : len;
			/* blank it in the clean copy, keeping line breaks */
			{
				size_t k;
				for (k = start; k < i; k++) {
					if (text[k] == '\n') {
						h->line_off = xgrow(h->line_off, &lcap,
								    h->nlines + 1,
								    sizeof *h->line_off);
						h->line_off[h->nlines++] = (uint32_t)(k + 1);
						line_begin = (uint32_t)(k + 1);
					} else {
						clean[k] = ' ';
					}
				}
			}
			add_comment(&s, (uint32_t)start, (uint32_t)i, false, own, in_dir);
			continue;
		}
		if (c == '/' && i + 1 < len && text[i + 1] == '/') {
			size_t start = i;
			bool own = line_start;
			while (i < len && text[i] != '\n')
				i++;
			memset(clean + start, ' ', i - start);
			add_comment(&s, (uint32_t)start, (uint32_t)i, true, own, in_dir);
			continue;
		}
		if (c == '"' || c == '\'') {
			char q = c;
			i++;
			while (i < len && text[i] != q && text[i] != '\n') {
				if (text[i] == '\\' && i + 1 < len && text[i + 1] != '\n')
					i++;
				i++;
			}
			if (i < len && text[i] == q)
				i++;
			line_start = false;
			continue;
		}
		if (line_start && c == '#' && !in_dir) {
			in_dir = true;
			dir_start = line_begin;
			line_start = false;
			i++;
			continue;
		}
		if (!is_blank(c))
			line_start = false;
		i++;
	}
	if (in_dir)
		end_directive(&s, dir_start, (uint32_t)len);
	if (s.nopen)
		h->unbalanced = true;
	free(s.open);
	htext_find_guard(h);
}

void htext_free(HText *h)
{
	free(h->line_off);
	free(h->comments);
	free(h->dirs);
	free(h->groups);
	free(h->ctxs);
	free(h->tr_off);
	free(h->tr_ctx);
	arena_free(&h->arena);
	memset(h, 0, sizeof *h);
}

uint32_t htext_ctx_at(const HText *h, uint32_t off)
{
	size_t lo = 0, hi = h->ntr;
	if (!h->ntr)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->tr_off[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return h->tr_ctx[lo];
}

bool htext_ctx_within(const HText *h, uint32_t ctx, uint32_t base)
{
	while (ctx != HCTX_NONE) {
		if (ctx == base)
			return true;
		ctx = h->ctxs[ctx].parent;
	}
	return false;
}

/* Is there nothing but blanks and comments in [a, b) of the clean text? */
bool htext_blank(const HText *h, uint32_t a, uint32_t b)
{
	const char *p = h->clean + a, *e = h->clean + (b < h->len ? b : h->len);
	while (p < e) {
		size_t sp = splice_at(p, e);
		if (sp) {
			p += sp;
			continue;
		}
		if (!is_blank(*p) && *p != '\n')
			return false;
		p++;
	}
	return true;
}

/* The include guard: a group #ifndef G, whose first directive is #define
 * G (without a body), with nothing but comments after its #endif, and
 * nothing but comments and #includes before it (arch-x86/xen.h includes
 * ../xen.h first). */
void htext_find_guard(HText *h)
{
	const HDirective *a = NULL, *b, *z;
	const HGroup *g;
	size_t i, first = 0;
	h->guard_group = HCTX_NONE;
	h->guard_ctx = 0;
	h->guard_first = h->guard_define = HCTX_NONE;
	if (h->ndirs < 3 || h->unbalanced)
		return;
	for (i = 0; i < h->ndirs; i++) {
		if (h->dirs[i].kind == HD_INCLUDE)
			continue;
		a = &h->dirs[i];
		first = i;
		break;
	}
	if (!a || first + 1 >= h->ndirs)
		return;
	b = &h->dirs[first + 1];
	z = &h->dirs[h->ndirs - 1];
	if (a->kind != HD_IFNDEF || b->kind != HD_DEFINE || b->function_like ||
	    strcmp(a->name, b->name) != 0 || *b->body || z->kind != HD_ENDIF ||
	    z->group != a->group)
		return;
	g = &h->groups[a->group];
	if (g->nbranches != 1)
		return;
	if (!htext_blank(h, z->end, (uint32_t)h->len))
		return;
	/* before it: comments and #includes only */
	{
		uint32_t off = 0;
		for (i = 0; i < first; i++) {
			if (!htext_blank(h, off, h->dirs[i].start))
				return;
			off = h->dirs[i].end;
		}
		if (!htext_blank(h, off, a->start))
			return;
	}
	h->guard_group = a->group;
	h->guard = a->name;
	h->guard_ctx = htext_ctx_at(h, b->start);
	h->guard_first = (uint32_t)first;
	h->guard_define = (uint32_t)(first + 1);
}

/* ---- Comments as descriptions ---------------------------------------------- */

/* A comment's text without its markers: the lines of a block comment
 * without their leading " * ", common indentation removed, leading and
 * trailing empty lines dropped, blank lines (paragraphs) kept. */
char *htext_comment_text(Arena *a, const HText *h, const HComment *c)
{
	Buf out = {0};
	const char *p = h->text + c->start, *e = h->text + c->end;
	const char **lines = NULL;
	size_t *lens = NULL, n = 0, cap = 0, cap2 = 0, i, indent = (size_t)-1;
	char *r;
	if (c->line_comment) {
		p += 2;
	} else {
		p += 2;
		if (e - p >= 2 && e[-1] == '/' && e[-2] == '*')
			e -= 2;
	}
	/* split into lines, each without a leading star column */
	while (p <= e) {
		const char *q = memchr(p, '\n', (size_t)(e - p));
		const char *le = q ? q : e, *s = p;
		size_t k;
		if (n > 0 || c->line_comment) {
			const char *t = s;
			while (t < le && is_blank(*t))
				t++;
			/* a star column; without one, the line keeps its
			 * indentation */
			if (t < le && *t == '*' && !(t + 1 < le && t[1] == '/'))
				s = t + 1;
		}
		/* strip trailing blanks */
		while (le > s && is_blank(le[-1]))
			le--;
		/* "/ ***...": a banner line of stars only */
		for (k = 0; s + k < le && s[k] == '*'; k++)
			;
		if (k && s + k == le && k >= 3)
			le = s;
		lines = xgrow(lines, &cap, n + 1, sizeof *lines);
		lens = xgrow(lens, &cap2, n + 1, sizeof *lens);
		lines[n] = s;
		lens[n++] = (size_t)(le - s);
		if (!q)
			break;
		p = q + 1;
	}
	/* common indentation of the non-empty lines */
	for (i = 0; i < n; i++) {
		size_t k = 0;
		if (!lens[i])
			continue;
		while (k < lens[i] && (lines[i][k] == ' ' || lines[i][k] == '\t'))
			k++;
		if (k == lens[i])
			continue;
		if (k < indent)
			indent = k;
	}
	if (indent == (size_t)-1)
		indent = 0;
	{
		size_t first = 0, last = n, blank = 0;
		while (first < n && (lens[first] <= indent || htext_all_blank(lines[first], lens[first])))
			first++;
		while (last > first && (lens[last - 1] <= indent ||
					htext_all_blank(lines[last - 1], lens[last - 1])))
			last--;
		for (i = first; i < last; i++) {
			if (lens[i] <= indent || htext_all_blank(lines[i], lens[i])) {
				blank++;
				continue;
			}
			if (out.len) {
				buf_putc(&out, '\n');
				if (blank)
					buf_putc(&out, '\n');
			}
			blank = 0;
			buf_put(&out, lines[i] + indent, lens[i] - indent);
		}
	}
	/* what xenbindgen writes apart in a comment ("*\/", "/\*", "?\?")
	 * reads back as it was */
	{
		size_t k, w = 0;
		for (k = 0; k < out.len; k++) {
			if (out.data[k] == '\\' && k > 0 && k + 1 < out.len &&
			    ((out.data[k - 1] == '*' && out.data[k + 1] == '/') ||
			     (out.data[k - 1] == '/' && out.data[k + 1] == '*') ||
			     (out.data[k - 1] == '?' && out.data[k + 1] == '?')))
				continue;
			out.data[w++] = out.data[k];
		}
		out.len = w;
	}
	r = arena_strndup(a, out.data ? out.data : "", out.len);
	buf_free(&out);
	free(lines);
	free(lens);
	return r;
}

bool htext_all_blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!is_blank(s[i]))
			return false;
	return true;
}

/* ---- Descriptions as the C backend writes them --------------------------------
 * The rules of emit/cnames.c's c_comment(), which share base/text.c's
 * text_reflow(): a description keeps its paragraphs (blank lines) and
 * line breaks; a paragraph with a line longer than the room (80 columns,
 * less the indentation and " * ") is re-flowed by words; a line that
 * starts with a list marker starts a paragraph of its own, continued
 * under its text; an indented line is kept as it is; a word longer than a
 * line stays whole. */

typedef struct Flow {
	Buf out;
	bool any;
} Flow;

static void flow_line(void *ctx, const char *s, size_t n)
{
	Flow *f = ctx;
	if (f->any)
		buf_putc(&f->out, '\n');
	buf_put(&f->out, s, n);
	f->any = true;
}

const char *htext_flow(Arena *a, const char *desc, int indent)
{
	Flow f;
	char *copy, *p, **lines = NULL;
	size_t n = 0, cap = 0;
	const char *r;
	if (!desc || !*desc)
		return desc ? desc : "";
	memset(&f, 0, sizeof f);
	copy = xstrdup(desc);
	for (p = copy;;) {
		char *q = strchr(p, '\n');
		lines = xgrow(lines, &cap, n + 1, sizeof *lines);
		lines[n++] = p;
		if (!q)
			break;
		*q = '\0';
		p = q + 1;
	}
	text_reflow((const char *const *)lines, n,
		    indent + 3 < 80 ? (size_t)(80 - indent - 3) : 1, flow_line, &f);
	r = arena_strndup(a, f.out.data ? f.out.data : "", f.out.len);
	buf_free(&f.out);
	free(lines);
	free(copy);
	return r;
}
