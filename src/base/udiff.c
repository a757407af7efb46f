/*
 * diff.c - a unified diff of two texts, for --check.
 *
 * Design decisions:
 *
 *   - Lines are compared whole, newline included, so a last line without a
 *     newline differs from the same text with one; the output then says
 *     "\ No newline at end of file", as GNU diff does.
 *
 *   - Generated files can be tens of megabytes and usually differ in a few
 *     lines, so the work is shaped for that case.  Identical texts return
 *     at once.  Common leading and trailing lines are skipped by comparing
 *     bytes, and only the lines in between are hashed.
 *
 *   - The lines in between get equivalence-class numbers from a hash
 *     table, so the core compares integers.  A line with no equal on the
 *     other side is necessarily a change: it is marked at once and left out
 *     of the core, which keeps unrelated files cheap.
 *
 *   - The core is Myers' O((N+M)D) algorithm in its linear-space form
 *     ("An O(ND) Difference Algorithm and Its Variations", 1986, section
 *     4b): search forward from the top-left corner and backward from the
 *     bottom-right corner of the edit graph at the same time until the two
 *     searches meet on a diagonal (the middle snake), then solve the two
 *     halves.  The halves go on an explicit stack, not the C stack.  Memory
 *     is two arrays of N+M+3 diagonals.
 *
 *   - D can be large for unrelated inputs.  Once one split has cost about
 *     sqrt(N+M) steps (at least 4096), the search settles for the diagonal
 *     that got furthest, like GNU diff without --minimal: the diff stays
 *     correct but may be longer than the shortest one.  Small inputs never
 *     get there.
 *
 *   - A shortest diff is not unique (deleting one of two equal adjacent
 *     lines can delete either), so each run of changed lines is then slid
 *     as far down as equal lines allow, or to the lowest place where it
 *     lines up with a change on the other side (the rule of GNU diff and
 *     git).  Hunks are thus deterministic and look like what people expect.
 *
 *   - Output follows GNU diff -u: 3 lines of context; hunks separated by at
 *     most 6 unchanged lines are merged; "@@ -l,n +l,n @@" omits ",1", and
 *     an empty range is written as the line before it with ",0".
 */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

enum { CONTEXT = 3, MIN_COST_LIMIT = 4096 };

/* ---- Texts as arrays of lines. ------------------------------------------- */

typedef struct Text {
	const char *p;
	size_t n;           /* number of lines */
	size_t *start;      /* n + 1 offsets: line i is p[start[i], start[i+1]) */
	unsigned char *chg; /* per line: deleted (in a) or inserted (in b) */
} Text;

static void text_init(Text *t, const char *p, size_t len)
{
	const char *q, *end = p + len;
	size_t n = 0;

	for (q = p; q < end; n++) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		q = nl ? nl + 1 : end;
	}
	t->p = p;
	t->n = n;
	t->start = xmalloc((n + 1) * sizeof *t->start);
	t->chg = xcalloc(n + 1, 1);
	for (q = p, n = 0; q < end; n++) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		t->start[n] = (size_t)(q - p);
		q = nl ? nl + 1 : end;
	}
	t->start[n] = len;
}

static void text_free(Text *t)
{
	free(t->start);
	free(t->chg);
}

static const char *line_ptr(const Text *t, size_t i)
{
	return t->p + t->start[i];
}

static size_t line_len(const Text *t, size_t i)
{
	return t->start[i + 1] - t->start[i];
}

static bool lines_equal(const Text *a, size_t i, const Text *b, size_t j)
{
	size_t n = line_len(a, i);
	return n == line_len(b, j) &&
	       memcmp(line_ptr(a, i), line_ptr(b, j), n) == 0;
}

/* ---- Equivalence classes. ------------------------------------------------
 * cls[i] for each line in a[alo, ahi) and b[blo, bhi): equal lines get the
 * same number.  count[0][c] and count[1][c] say how often class c occurs in
 * a and in b.  Returns the number of classes. */

typedef struct Classes {
	size_t *acls, *bcls;
	size_t *count[2];
} Classes;

static size_t classify(const Text *a, size_t alo, size_t ahi, const Text *b,
		       size_t blo, size_t bhi, Classes *c)
{
	size_t total = (ahi - alo) + (bhi - blo), cap = 16, nclasses = 0;
	size_t *slot, *rep_line;
	const Text **rep_text;
	uint64_t *rep_hash;
	int side;

	while (cap < 2 * total)
		cap *= 2;
	slot = xcalloc(cap, sizeof *slot); /* class + 1, 0 when empty */
	rep_line = xmalloc(total * sizeof *rep_line);
	rep_text = xmalloc(total * sizeof *rep_text);
	rep_hash = xmalloc(total * sizeof *rep_hash);
	c->acls = xmalloc((ahi - alo + 1) * sizeof *c->acls);
	c->bcls = xmalloc((bhi - blo + 1) * sizeof *c->bcls);
	c->count[0] = xcalloc(total + 1, sizeof *c->count[0]);
	c->count[1] = xcalloc(total + 1, sizeof *c->count[1]);

	for (side = 0; side < 2; side++) {
		const Text *t = side ? b : a;
		size_t lo = side ? blo : alo, hi = side ? bhi : ahi, i;
		size_t *cls = side ? c->bcls : c->acls;
		for (i = lo; i < hi; i++) {
			uint64_t h = hash_bytes(line_ptr(t, i), line_len(t, i));
			size_t k = (size_t)h & (cap - 1), id;
			while ((id = slot[k]) != 0) {
				id--;
				if (rep_hash[id] == h &&
				    lines_equal(rep_text[id], rep_line[id], t, i))
					break;
				k = (k + 1) & (cap - 1);
			}
			if (!slot[k]) {
				id = nclasses++;
				slot[k] = id + 1;
				rep_text[id] = t;
				rep_line[id] = i;
				rep_hash[id] = h;
			}
			cls[i - lo] = id;
			c->count[side][id]++;
		}
	}
	free(slot);
	free(rep_line);
	free(rep_text);
	free(rep_hash);
	return nclasses;
}

static void classes_free(Classes *c)
{
	free(c->acls);
	free(c->bcls);
	free(c->count[0]);
	free(c->count[1]);
}

/* ---- The core: Myers' linear-space algorithm. ----------------------------
 * Sequences x[0, n) and y[0, m) of class numbers.  A point (x, y) of the
 * edit graph lies on diagonal k = x - y.  fd[k] is the furthest x reached
 * on diagonal k by the forward search, bd[k] the smallest x reached by the
 * backward one; both are indexed from -(m + 1) to n + 1.  The searches may
 * step past the box of a sub-problem (the box is extended with lines that
 * match nothing); such points are never returned. */

typedef struct Core {
	const size_t *x, *y;         /* class numbers of the lines compared */
	const size_t *xline, *yline; /* their line numbers in a and in b */
	unsigned char *achg, *bchg;  /* where changes are marked */
	ptrdiff_t *fd, *bd;
	ptrdiff_t cost_limit;
} Core;

typedef struct Box {
	ptrdiff_t xoff, xlim, yoff, ylim;
} Box;

static void mark_box(Core *c, const Box *b)
{
	ptrdiff_t i;
	for (i = b->xoff; i < b->xlim; i++)
		c->achg[c->xline[i]] = 1;
	for (i = b->yoff; i < b->ylim; i++)
		c->bchg[c->yline[i]] = 1;
}

/* After cost_limit steps: the forward or backward point that made the most
 * progress (x + y), moved back into the box along its diagonal. */
static void best_guess(const Core *c, const Box *b, ptrdiff_t fmin,
		       ptrdiff_t fmax, ptrdiff_t bmin, ptrdiff_t bmax,
		       ptrdiff_t *xmid, ptrdiff_t *ymid)
{
	ptrdiff_t d, fsum = -1, fx = 0, bsum = PTRDIFF_MAX, bx = 0;

	for (d = fmin; d <= fmax; d += 2) {
		ptrdiff_t x = c->fd[d] < b->xlim ? c->fd[d] : b->xlim, y = x - d;
		if (y > b->ylim) {
			x = b->ylim + d;
			y = b->ylim;
		}
		if (x + y > fsum) {
			fsum = x + y;
			fx = x;
		}
	}
	for (d = bmin; d <= bmax; d += 2) {
		ptrdiff_t x = c->bd[d] > b->xoff ? c->bd[d] : b->xoff, y = x - d;
		if (y < b->yoff) {
			x = b->yoff + d;
			y = b->yoff;
		}
		if (x + y < bsum) {
			bsum = x + y;
			bx = x;
		}
	}
	if (fsum - (b->xoff + b->yoff) > (b->xlim + b->ylim) - bsum) {
		*xmid = fx;
		*ymid = fsum - fx;
	} else {
		*xmid = bx;
		*ymid = bsum - bx;
	}
}

/* Find a point through which a short path from (xoff, yoff) to (xlim, ylim)
 * goes.  The box is non-empty in both directions and its first and last
 * lines differ (the caller stripped common ones). */
static void find_split(const Core *c, const Box *b, ptrdiff_t *xmid,
		       ptrdiff_t *ymid)
{
	ptrdiff_t *fd = c->fd, *bd = c->bd;
	const size_t *xv = c->x, *yv = c->y;
	const ptrdiff_t dmin = b->xoff - b->ylim, dmax = b->xlim - b->yoff;
	const ptrdiff_t fmid = b->xoff - b->yoff, bmid = b->xlim - b->ylim;
	ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid, cost, d;
	/* With an odd distance between the two centre diagonals the searches
	 * meet during a forward step, otherwise during a backward step. */
	const bool odd = (fmid - bmid) % 2 != 0;

	fd[fmid] = b->xoff;
	bd[bmid] = b->xlim;
	for (cost = 1;; cost++) {
		/* Widen the forward range by one diagonal on each side, or
		 * narrow it to keep the parity where it hits the box; the
		 * sentinels outside make the neighbour test below simple. */
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			fmin++;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			fmax--;
		for (d = fmax; d >= fmin; d -= 2) {
			/* from diagonal d + 1 down, or from d - 1 right */
			ptrdiff_t x = fd[d - 1] < fd[d + 1] ? fd[d + 1]
							    : fd[d - 1] + 1;
			ptrdiff_t y = x - d;
			while (x < b->xlim && y < b->ylim && xv[x] == yv[y]) {
				x++;
				y++;
			}
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				*xmid = x;
				*ymid = y;
				return;
			}
		}

		if (bmin > dmin)
			bd[--bmin - 1] = PTRDIFF_MAX;
		else
			bmin++;
		if (bmax < dmax)
			bd[++bmax + 1] = PTRDIFF_MAX;
		else
			bmax--;
		for (d = bmax; d >= bmin; d -= 2) {
			/* from diagonal d - 1 up, or from d + 1 left */
			ptrdiff_t x = bd[d - 1] < bd[d + 1] ? bd[d - 1]
							    : bd[d + 1] - 1;
			ptrdiff_t y = x - d;
			while (x > b->xoff && y > b->yoff &&
			       xv[x - 1] == yv[y - 1]) {
				x--;
				y--;
			}
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				*xmid = x;
				*ymid = y;
				return;
			}
		}

		if (cost >= c->cost_limit) {
			best_guess(c, b, fmin, fmax, bmin, bmax, xmid, ymid);
			return;
		}
	}
}

/* A split must lie in the box and not on the corner it started from, or
 * the halves would not be smaller than the whole. */
static bool split_ok(const Box *b, ptrdiff_t x, ptrdiff_t y)
{
	if (x < b->xoff || x > b->xlim || y < b->yoff || y > b->ylim)
		return false;
	return !(x == b->xoff && y == b->yoff) && !(x == b->xlim && y == b->ylim);
}

static void core_run(Core *c, ptrdiff_t n, ptrdiff_t m)
{
	Box *stack = NULL, b;
	size_t sp = 0, cap = 0;

	stack = xgrow(stack, &cap, 1, sizeof *stack);
	stack[sp].xoff = 0;
	stack[sp].xlim = n;
	stack[sp].yoff = 0;
	stack[sp++].ylim = m;
	while (sp) {
		ptrdiff_t xmid, ymid;
		b = stack[--sp];
		while (b.xoff < b.xlim && b.yoff < b.ylim &&
		       c->x[b.xoff] == c->y[b.yoff]) {
			b.xoff++;
			b.yoff++;
		}
		while (b.xoff < b.xlim && b.yoff < b.ylim &&
		       c->x[b.xlim - 1] == c->y[b.ylim - 1]) {
			b.xlim--;
			b.ylim--;
		}
		if (b.xoff == b.xlim || b.yoff == b.ylim) {
			mark_box(c, &b);
			continue;
		}
		find_split(c, &b, &xmid, &ymid);
		if (!split_ok(&b, xmid, ymid)) {
			mark_box(c, &b); /* cannot happen; still a valid diff */
			continue;
		}
		stack = xgrow(stack, &cap, sp + 2, sizeof *stack);
		stack[sp].xoff = xmid;
		stack[sp].xlim = b.xlim;
		stack[sp].yoff = ymid;
		stack[sp++].ylim = b.ylim;
		stack[sp].xoff = b.xoff;
		stack[sp].xlim = xmid;
		stack[sp].yoff = b.yoff;
		stack[sp++].ylim = ymid;
	}
	free(stack);
}

static ptrdiff_t cost_limit(size_t size)
{
	ptrdiff_t limit = 1;
	for (size += 3; size; size >>= 2)
		limit <<= 1; /* about 2 * sqrt(size) */
	return limit < MIN_COST_LIMIT ? MIN_COST_LIMIT : limit;
}

/* Mark the changed lines of a[alo, ahi) against b[blo, bhi). */
static void diff_middle(Text *a, size_t alo, size_t ahi, Text *b, size_t blo,
			size_t bhi)
{
	Classes cl;
	Core c;
	size_t *x, *y, *xline, *yline, n = 0, m = 0, i, size;

	classify(a, alo, ahi, b, blo, bhi, &cl);
	x = xmalloc((ahi - alo + 1) * sizeof *x);
	xline = xmalloc((ahi - alo + 1) * sizeof *xline);
	y = xmalloc((bhi - blo + 1) * sizeof *y);
	yline = xmalloc((bhi - blo + 1) * sizeof *yline);
	for (i = alo; i < ahi; i++) {
		size_t k = cl.acls[i - alo];
		if (cl.count[1][k]) {
			x[n] = k;
			xline[n++] = i;
		} else {
			a->chg[i] = 1;
		}
	}
	for (i = blo; i < bhi; i++) {
		size_t k = cl.bcls[i - blo];
		if (cl.count[0][k]) {
			y[m] = k;
			yline[m++] = i;
		} else {
			b->chg[i] = 1;
		}
	}
	classes_free(&cl);

	size = n + m + 3;
	c.x = x;
	c.y = y;
	c.xline = xline;
	c.yline = yline;
	c.achg = a->chg;
	c.bchg = b->chg;
	c.fd = xmalloc(size * sizeof *c.fd);
	c.bd = xmalloc(size * sizeof *c.bd);
	c.cost_limit = cost_limit(n + m);
	{
		/* index diagonals -(m + 1) .. n + 1 */
		ptrdiff_t *fbase = c.fd, *bbase = c.bd;
		c.fd += m + 1;
		c.bd += m + 1;
		core_run(&c, (ptrdiff_t)n, (ptrdiff_t)m);
		free(fbase);
		free(bbase);
	}
	free(x);
	free(y);
	free(xline);
	free(yline);
}

/* ---- Sliding runs of changes (see the header comment). ------------------- */

typedef struct Group {
	size_t start, end; /* changed lines [start, end); may be empty */
} Group;

/* Groups are separated by exactly one unchanged line; the k-th group of a
 * corresponds to the k-th group of b. */
static void group_first(const Text *t, Group *g)
{
	g->start = g->end = 0;
	while (g->end < t->n && t->chg[g->end])
		g->end++;
}

static bool group_next(const Text *t, Group *g)
{
	if (g->end == t->n)
		return false;
	g->start = g->end = g->end + 1;
	while (g->end < t->n && t->chg[g->end])
		g->end++;
	return true;
}

static bool group_prev(const Text *t, Group *g)
{
	if (g->start == 0)
		return false;
	g->start = g->end = g->start - 1;
	while (g->start > 0 && t->chg[g->start - 1])
		g->start--;
	return true;
}

/* Move a non-empty group one line down (or up) if the line it uncovers
 * equals the one it takes; absorb a group it runs into. */
static bool slide_down(Text *t, Group *g)
{
	if (g->end == t->n || !lines_equal(t, g->start, t, g->end))
		return false;
	t->chg[g->start++] = 0;
	t->chg[g->end++] = 1;
	while (g->end < t->n && t->chg[g->end])
		g->end++;
	return true;
}

static bool slide_up(Text *t, Group *g)
{
	if (g->start == 0 || !lines_equal(t, g->start - 1, t, g->end - 1))
		return false;
	t->chg[--g->start] = 1;
	t->chg[--g->end] = 0;
	while (g->start > 0 && t->chg[g->start - 1])
		g->start--;
	return true;
}

static void compact(Text *t, const Text *o)
{
	Group g, go;

	group_first(t, &g);
	group_first(o, &go);
	for (;;) {
		if (g.end > g.start) {
			size_t size, aligned = 0;
			bool have_aligned;
			do {
				size = g.end - g.start;
				have_aligned = false;
				while (slide_up(t, &g))
					group_prev(o, &go);
				if (go.end > go.start) {
					aligned = g.end;
					have_aligned = true;
				}
				while (slide_down(t, &g)) {
					group_next(o, &go);
					if (go.end > go.start) {
						aligned = g.end;
						have_aligned = true;
					}
				}
			} while (size != g.end - g.start);
			while (have_aligned && g.end > aligned && slide_up(t, &g))
				group_prev(o, &go);
		}
		if (!group_next(t, &g) || !group_next(o, &go))
			break;
	}
}

/* ---- Hunks. -------------------------------------------------------------- */

typedef struct Block {
	size_t a0, a1, b0, b1; /* a[a0, a1) replaced by b[b0, b1) */
} Block;

static Block *find_blocks(const Text *a, const Text *b, size_t *nblocks)
{
	Block *v = NULL;
	size_t n = 0, cap = 0, i = 0, j = 0;

	while (i < a->n || j < b->n) {
		Block k;
		if (!(i < a->n && a->chg[i]) && !(j < b->n && b->chg[j])) {
			i++;
			j++;
			continue;
		}
		k.a0 = i;
		k.b0 = j;
		while (i < a->n && a->chg[i])
			i++;
		while (j < b->n && b->chg[j])
			j++;
		k.a1 = i;
		k.b1 = j;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = k;
	}
	*nblocks = n;
	return v;
}

static void put_line(Buf *out, char tag, const Text *t, size_t i)
{
	size_t n = line_len(t, i);
	buf_putc(out, tag);
	buf_put(out, line_ptr(t, i), n);
	if (n == 0 || line_ptr(t, i)[n - 1] != '\n')
		buf_puts(out, "\n\\ No newline at end of file\n");
}

static void put_range(Buf *out, size_t lo, size_t count)
{
	if (count == 0)
		buf_printf(out, "%zu,0", lo); /* the line before the gap */
	else if (count == 1)
		buf_printf(out, "%zu", lo + 1);
	else
		buf_printf(out, "%zu,%zu", lo + 1, count);
}

/* One hunk: blocks v[0, n), with context. */
static void put_hunk(Buf *out, const Text *a, const Text *b, const Block *v,
		     size_t n)
{
	const Block *first = &v[0], *last = &v[n - 1];
	size_t before = first->a0 < CONTEXT ? first->a0 : CONTEXT;
	size_t after = a->n - last->a1 < CONTEXT ? a->n - last->a1 : CONTEXT;
	size_t alo = first->a0 - before, blo = first->b0 - before;
	size_t ahi = last->a1 + after, bhi = last->b1 + after, i, j, k;

	buf_puts(out, "@@ -");
	put_range(out, alo, ahi - alo);
	buf_puts(out, " +");
	put_range(out, blo, bhi - blo);
	buf_puts(out, " @@\n");
	for (i = alo, j = blo, k = 0; k < n; k++) {
		for (; i < v[k].a0; i++, j++)
			put_line(out, ' ', a, i);
		for (; i < v[k].a1; i++)
			put_line(out, '-', a, i);
		for (; j < v[k].b1; j++)
			put_line(out, '+', b, j);
	}
	for (; i < ahi; i++)
		put_line(out, ' ', a, i);
}

/* ---- Entry point. -------------------------------------------------------- */

void unified_diff(Buf *out, const char *a, size_t alen, const char *b,
		  size_t blen, const char *aname, const char *bname)
{
	Text ta, tb;
	Block *v;
	size_t pre = 0, suf = 0, nblocks, k, e;

	if (!a)
		a = "";
	if (!b)
		b = "";
	if (alen == blen && memcmp(a, b, alen) == 0)
		return;
	text_init(&ta, a, alen);
	text_init(&tb, b, blen);
	while (pre < ta.n && pre < tb.n && lines_equal(&ta, pre, &tb, pre))
		pre++;
	while (pre + suf < ta.n && pre + suf < tb.n &&
	       lines_equal(&ta, ta.n - 1 - suf, &tb, tb.n - 1 - suf))
		suf++;
	diff_middle(&ta, pre, ta.n - suf, &tb, pre, tb.n - suf);
	compact(&ta, &tb);
	compact(&tb, &ta);

	v = find_blocks(&ta, &tb, &nblocks);
	if (nblocks) {
		buf_printf(out, "--- %s\n+++ %s\n", aname, bname);
		for (k = 0; k < nblocks; k = e) {
			for (e = k + 1; e < nblocks; e++)
				if (v[e].a0 - v[e - 1].a1 > (size_t)2 * CONTEXT)
					break;
			put_hunk(out, &ta, &tb, v + k, e - k);
		}
	}
	free(v);
	text_free(&ta);
	text_free(&tb);
}
