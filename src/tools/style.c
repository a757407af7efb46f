/*
 * style.c - what a source said beyond its document tree: comments, attached
 * to the entries they were written at, and how integers were spelled.
 * convert and fmt carry both to the writers, which put them back.
 */
#include "tools/tools.h"

#include <stdlib.h>
#include <string.h>

/* ---- Comments: attaching them to anchors ------------------------------------
 * An anchor is a table entry (located at its key) or an array element
 * (located where it starts).  Anchors are sorted by position, and:
 *
 *   - an own-line comment belongs to the first anchor after it, and is
 *     written before that anchor's line;
 *   - an end-of-line comment belongs to the first anchor of the last line
 *     that has an anchor at or before it (the outermost anchor of the
 *     line the comment ends), and is written at the end of that line;
 *   - comments before the first anchor are the document's header when a
 *     blank line separates them from it (the last such blank line ends
 *     the header), and belong to that anchor otherwise;
 *   - own-line comments after the last anchor are the footer.
 *
 * Anchors are found by position rather than by pointer, so a rewritten
 * tree (fmt builds new tables) finds the comments of the nodes it copied. */

enum { ANCHOR_ENTRY = 1, ANCHOR_ELEM = 2 };

typedef struct Anchor {
	uint32_t line, col, depth, kind;
	size_t seq;
} Anchor;

typedef struct Anchors {
	Anchor *v;
	size_t n, cap;
} Anchors;

static void add_anchor(Anchors *A, Loc loc, uint32_t depth, uint32_t kind)
{
	Anchor *a;
	if (!loc.line)
		return;
	A->v = xgrow(A->v, &A->cap, A->n + 1, sizeof *A->v);
	a = &A->v[A->n];
	a->line = loc.line;
	a->col = loc.col;
	a->depth = depth;
	a->kind = kind;
	a->seq = A->n++;
}

static void collect_anchors(Anchors *A, const DocNode *n, uint32_t depth)
{
	uint32_t i;
	if (n->kind == DOC_TABLE) {
		for (i = 0; i < n->u.table.n; i++) {
			add_anchor(A, n->u.table.v[i].loc, depth, ANCHOR_ENTRY);
			collect_anchors(A, n->u.table.v[i].value, depth + 1);
		}
	} else if (n->kind == DOC_ARRAY) {
		for (i = 0; i < n->u.array.n; i++) {
			add_anchor(A, n->u.array.v[i]->loc, depth, ANCHOR_ELEM);
			collect_anchors(A, n->u.array.v[i], depth + 1);
		}
	}
}

static int cmp_anchor(const void *pa, const void *pb)
{
	const Anchor *a = pa, *b = pb;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The first anchor at or after (line, col). */
static size_t lower_bound(const Anchors *A, uint32_t line, uint32_t col)
{
	size_t lo = 0, hi = A->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const Anchor *m = &A->v[mid];
		if (m->line < line || (m->line == line && m->col < col))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static Notes *notes_for(DocStyle *st, const Anchor *an)
{
	uint32_t key[3];
	Notes *nt;
	key[0] = an->line;
	key[1] = an->col;
	key[2] = an->kind;
	nt = hmap_get(&st->map, (const char *)key, sizeof key);
	if (!nt) {
		nt = arena_alloc(st->a, sizeof *nt);
		memcpy(nt->key, key, sizeof key);
		hmap_put(&st->map, (const char *)nt->key, sizeof nt->key, nt);
	}
	return nt;
}

static void push_comment(Arena *a, const Comment ***v, size_t *n, size_t *cap,
			 const Comment *c)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		*v = arena_grow(a, (void *)*v, *n, ncap, sizeof **v);
		*cap = ncap;
	}
	(*v)[(*n)++] = c;
}

static void attach_comments(DocStyle *st, Arena *a, const DocNode *root,
			    const CommentList *list)
{
	Anchors A = {0};
	size_t i, nhead = 0, headcap = 0, footcap = 0, last_header = 0;
	const Comment **head = NULL;

	st->total = list->n;
	if (!list->n)
		return;
	collect_anchors(&A, root, 0);
	if (A.n > 1) /* qsort() must not see a null array */
		qsort(A.v, A.n, sizeof *A.v, cmp_anchor);
	for (i = 0; i < list->n; i++) {
		const Comment *c = &list->v[i];
		size_t k;
		Notes *nt;
		if (c->own_line) {
			k = lower_bound(&A, c->line + 1, 0);
			/* (A.v is null only when A.n is 0; the analyzer cannot
			 * tell) */
			if (k == A.n || !A.v) {
				push_comment(a, &st->footer, &st->nfooter, &footcap, c);
				continue;
			}
			if (k == 0) {
				push_comment(a, &head, &nhead, &headcap, c);
				if (c->blank_after)
					last_header = nhead;
				continue;
			}
			nt = notes_for(st, &A.v[k]);
			push_comment(a, &nt->lead, &nt->nlead, &nt->leadcap, c);
			continue;
		}
		k = lower_bound(&A, c->line, c->col);
		if (k == 0 || !A.v) {
			push_comment(a, &head, &nhead, &headcap, c);
			last_header = nhead;
			continue;
		}
		k = lower_bound(&A, A.v[k - 1].line, 0);
		nt = notes_for(st, &A.v[k]);
		push_comment(a, &nt->trail, &nt->ntrail, &nt->trailcap, c);
	}
	/* Comments before the first anchor: the header, up to the last
	 * blank line; the rest lead the first anchor. */
	if (A.n == 0)
		last_header = nhead;
	st->header = head;
	st->nheader = last_header;
	if (last_header < nhead) {
		Notes *nt = notes_for(st, &A.v[0]);
		const Comment **lead = nt->lead;
		size_t nlead = nt->nlead;
		nt->lead = NULL;
		nt->nlead = nt->leadcap = 0;
		for (i = last_header; i < nhead; i++)
			push_comment(a, &nt->lead, &nt->nlead, &nt->leadcap, head[i]);
		for (i = 0; i < nlead; i++)
			push_comment(a, &nt->lead, &nt->nlead, &nt->leadcap, lead[i]);
	}
	free(A.v);
}

static Notes *lookup(const DocStyle *st, Loc loc, uint32_t kind)
{
	uint32_t key[3];
	if (!st || !st->total || !loc.line)
		return NULL;
	key[0] = loc.line;
	key[1] = loc.col;
	key[2] = kind;
	return hmap_get(&st->map, (const char *)key, sizeof key);
}

Notes *notes_entry(const DocStyle *st, const DocEntry *e)
{
	return lookup(st, e->loc, ANCHOR_ENTRY);
}

Notes *notes_elem(const DocStyle *st, const DocNode *n)
{
	return lookup(st, n->loc, ANCHOR_ELEM);
}

/* ---- Integer spellings ------------------------------------------------------
 * The tree holds an integer's value, not how it was written; a spec writes
 * DOMID_SELF as 0x7FF0 and an interface version as 0x00040601, and a
 * conversion or fmt must not turn those into 32752 and 263681.  The source
 * text is at hand, so each integer's spelling is read back from it at the
 * node's location, and kept when it reads back as the same value. */

typedef struct LineIndex {
	const char *text;
	size_t len;
	size_t *start; /* byte offset of each line (1-based lines: start[l-1]) */
	size_t n;
} LineIndex;

static void index_lines(LineIndex *L, const char *text, size_t len)
{
	size_t i, cap = 0;
	L->text = text;
	L->len = len;
	L->start = NULL;
	L->n = 0;
	L->start = xgrow(L->start, &cap, 1, sizeof *L->start);
	/* a byte order mark is not a column */
	L->start[L->n++] = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (i = 0; i < len; i++)
		if (text[i] == '\n') {
			L->start = xgrow(L->start, &cap, L->n + 1, sizeof *L->start);
			L->start[L->n++] = i + 1;
		}
}

/* The byte offset of a location, or SIZE_MAX. */
static size_t offset_of(const LineIndex *L, Loc loc)
{
	size_t off;
	uint32_t col;
	if (!loc.line || loc.line > L->n)
		return SIZE_MAX;
	off = L->start[loc.line - 1];
	for (col = 1; col < loc.col && off < L->len && L->text[off] != '\n'; col++) {
		uint32_t cp;
		int l = utf8_decode((const unsigned char *)L->text + off, L->len - off, &cp);
		off += l > 0 ? (size_t)l : 1;
	}
	return col == loc.col ? off : SIZE_MAX;
}

/* A non-decimal literal (0x, 0o, 0b) or a decimal with '_' at p, whose
 * value is v; its length, or 0. */
static size_t spelled(const char *p, size_t n, int64_t v)
{
	size_t i = 0, digits = 0;
	int base = 10;
	uint64_t x = 0;
	bool under = false;
	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
		base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
		i = 2;
	} else if (n && (p[0] == '-' || p[0] == '+')) {
		i = 1;
	}
	for (; i < n; i++) {
		int d = hex_digit(p[i]);
		if (p[i] == '_' && digits) {
			under = true;
			continue;
		}
		if (d < 0 || d >= base)
			break;
		if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return 0;
		x = x * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (!digits || (base == 10 && !under))
		return 0;
	/* the literal must end here: not "0x1g" or "1_000.5" */
	if (i < n && (hex_digit(p[i]) >= 0 || p[i] == '_' || p[i] == '.' ||
		      (p[i] >= 'g' && p[i] <= 'z') || (p[i] >= 'G' && p[i] <= 'Z')))
		return 0;
	if (base == 10 && p[0] == '-') {
		if (x > (uint64_t)INT64_MAX + 1 || (int64_t)(0 - x) != v)
			return 0;
	} else if (x > (uint64_t)INT64_MAX || (int64_t)x != v) {
		return 0;
	}
	return i;
}

static void note_spellings(DocStyle *st, const LineIndex *L, const DocNode *n)
{
	uint32_t i;
	if (n->kind == DOC_TABLE) {
		for (i = 0; i < n->u.table.n; i++)
			note_spellings(st, L, n->u.table.v[i].value);
	} else if (n->kind == DOC_ARRAY) {
		for (i = 0; i < n->u.array.n; i++)
			note_spellings(st, L, n->u.array.v[i]);
	} else if (n->kind == DOC_INTEGER) {
		size_t off = offset_of(L, n->loc), len;
		IntSpelling *sp;
		if (off == SIZE_MAX)
			return;
		len = spelled(L->text + off, L->len - off, n->u.i);
		if (!len)
			return;
		sp = arena_alloc(st->a, sizeof *sp);
		sp->node = n;
		sp->text = arena_strndup(st->a, L->text + off, len);
		sp->len = len;
		hmap_put(&st->ints, (const char *)&sp->node, sizeof sp->node, sp);
	}
}

const IntSpelling *int_spelling(const DocStyle *st, const DocNode *n)
{
	if (!st || !st->ints.count)
		return NULL;
	return hmap_get(&st->ints, (const char *)&n, sizeof n);
}

void style_init(DocStyle *st, Arena *a, const DocNode *root,
		const CommentList *list, const char *text, size_t len)
{
	LineIndex L;
	memset(st, 0, sizeof *st);
	st->a = a;
	hmap_init_arena(&st->map, a);
	hmap_init_arena(&st->ints, a);
	attach_comments(st, a, root, list);
	if (text) {
		index_lines(&L, text, len);
		note_spellings(st, &L, root);
		free(L.start);
	}
}
