/*
 * util.c - allocation, arena, buffers, hash table, text helpers.
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("xenbindgen: error: out of memory\n", stderr);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void *xgrow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t c = *cap;
	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / sz)
			oom();
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * sz);
}

/* ---- Arena ----------------------------------------------------------------
 * Chunks of at least 64 KiB; an allocation larger than a quarter chunk gets
 * its own chunk so that big arrays do not waste the tail of a shared one.
 *
 * The model keeps every name and description of every spec, so strings are
 * a good part of it: they are taken from the top of the current chunk
 * downwards, unaligned, while everything else is taken from the bottom
 * upwards, max-aligned.  Rounding each string up to max_align_t would cost
 * 8 bytes per string on average (some 5% of the model). */

struct ArenaChunk {
	ArenaChunk *next;
	size_t size; /* bytes in data */
	bool own;    /* holds one big allocation, never the current chunk */
	max_align_t data[];
};

/* ALIGN is max_align_t's alignment, not its size: the size (32 bytes on
 * x86_64) would round every model node up to a multiple of 32 bytes for
 * nothing, and chunks from malloc() are only aligned to the alignment. */
enum { CHUNK_SIZE = 64 * 1024, ALIGN = _Alignof(max_align_t) };

void arena_init(Arena *a)
{
	memset(a, 0, sizeof *a);
}

static void free_chunks(ArenaChunk *c)
{
	while (c) {
		ArenaChunk *next = c->next;
		free(c);
		c = next;
	}
}

void arena_free(Arena *a)
{
	free_chunks(a->head);
	free_chunks(a->spare);
	memset(a, 0, sizeof *a);
}

void arena_reset(Arena *a)
{
	ArenaChunk *c = a->head;
	while (c) {
		ArenaChunk *next = c->next;
		c->next = a->spare;
		a->spare = c;
		c = next;
	}
	a->head = NULL;
	a->cur = a->end = NULL;
	a->total = 0;
}

/* A chunk of n bytes or more: a spare one if there is one that fits.  A
 * standard chunk is only ever replaced by a standard one, so that the big
 * spare chunks stay for the big allocations they were made for. */
static ArenaChunk *get_chunk(Arena *a, size_t n)
{
	ArenaChunk **cp, *c;
	for (cp = &a->spare; *cp; cp = &(*cp)->next) {
		if (n == CHUNK_SIZE ? (*cp)->size == CHUNK_SIZE : (*cp)->size >= n) {
			c = *cp;
			*cp = c->next;
			return c;
		}
	}
	if (n > SIZE_MAX - sizeof *c)
		oom();
	c = xmalloc(sizeof *c + n);
	c->size = n;
	return c;
}

static void *new_chunk(Arena *a, size_t n, bool become_current)
{
	ArenaChunk *c = get_chunk(a, n);
	c->own = !become_current;
	if (become_current || !a->head) {
		c->next = a->head;
		a->head = c;
	} else {
		/* keep the current chunk at the head so its free tail stays usable */
		c->next = a->head->next;
		a->head->next = c;
	}
	if (become_current) {
		a->cur = (char *)c->data;
		a->end = a->cur + c->size;
	}
	return c->data;
}

/* n bytes at the bottom (aligned) or the top (strings) of the free space,
 * not cleared.  A big allocation always gets a chunk of its own, even when
 * it would fit in the current one: arena_give_back() relies on that. */
static void *take(Arena *a, size_t n, bool top)
{
	char *p;
	a->total += n;
	if (n > CHUNK_SIZE / 4)
		return new_chunk(a, n, false);
	if ((size_t)(a->end - a->cur) < n)
		new_chunk(a, CHUNK_SIZE, true);
	if (top)
		return a->end -= n;
	p = a->cur;
	a->cur += n;
	return p;
}

void *arena_alloc(Arena *a, size_t n)
{
	void *p;
	if (n > SIZE_MAX - ALIGN)
		oom();
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	p = take(a, n, false);
	memset(p, 0, n);
	return p;
}

/* Free p, an allocation of n bytes, if it got a chunk of its own (every
 * allocation over a quarter chunk does); otherwise it stays until
 * arena_free().  A hash table in an arena gives its old slots back this way
 * when it grows, so that a big one costs its size, not twice that. */
static void arena_give_back(Arena *a, const void *p, size_t n)
{
	ArenaChunk **cp;
	if (n <= CHUNK_SIZE / 4)
		return;
	for (cp = &a->head; *cp; cp = &(*cp)->next) {
		if ((*cp)->own && (const void *)(*cp)->data == p) {
			ArenaChunk *c = *cp;
			*cp = c->next;
			free(c);
			return;
		}
	}
}

void *arena_calloc(Arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	return arena_alloc(a, n * size);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *p;
	if (n == SIZE_MAX)
		oom();
	p = take(a, n + 1, true);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(Arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
	Buf b = {0};
	va_list ap;
	char *p;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return p;
}

void *arena_grow(Arena *a, void *p, size_t old_n, size_t new_n, size_t sz)
{
	void *q;
	if (sz && new_n > SIZE_MAX / sz)
		oom();
	q = arena_alloc(a, new_n * sz);
	if (p && old_n)
		memcpy(q, p, (old_n < new_n ? old_n : new_n) * sz);
	return q;
}

/* ---- Buf ------------------------------------------------------------------ */

void buf_reserve(Buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		oom();
	b->data = xgrow(b->data, &b->cap, b->len + extra + 1, 1);
}

/* One vsnprintf() straight into the free space, and a second one only if
 * the text did not fit: backends print most of their output through here. */
void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;
	if (b->cap - b->len < 64)
		buf_reserve(b, 64);
	room = b->cap - b->len;
	va_copy(ap2, ap);
	/* ap2 is va_copy()'s; the analyzer does not model va_copy */
	n = vsnprintf(b->data + b->len, room, fmt, ap2); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_indent(Buf *b, int n)
{
	while (n-- > 0)
		buf_putc(b, ' ');
}

const char *buf_cstr(Buf *b)
{
	buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return b->data;
}

void buf_clear(Buf *b)
{
	b->len = 0;
}

void buf_free(Buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

char *buf_detach(Buf *b, size_t *len)
{
	char *p;
	buf_cstr(b);
	p = b->data;
	if (len)
		*len = b->len;
	memset(b, 0, sizeof *b);
	return p;
}

/* ---- HMap: open addressing, linear probing, power-of-two capacity. ------- */

uint64_t hash_bytes(const void *p, size_t n)
{
	/* FNV-1a, 64-bit: short keys dominate and it has no setup cost. */
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325u;
	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3u;
	}
	return h;
}

void hmap_init(HMap *m)
{
	memset(m, 0, sizeof *m);
}

void hmap_init_arena(HMap *m, Arena *a)
{
	memset(m, 0, sizeof *m);
	m->arena = a;
}

void hmap_free(HMap *m)
{
	if (!m->arena)
		free(m->slots);
	memset(m, 0, sizeof *m);
}

static HMapSlot *find_slot(HMapSlot *slots, size_t cap, const char *key,
			   size_t len, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	for (;;) {
		HMapSlot *s = &slots[i];
		/* The analyzer takes arena_give_back() in hmap_put() for a
		 * free of the new slots too; it frees only a chunk of its own
		 * that starts at the old ones. */
		if (!s->key) /* NOLINT(clang-analyzer-unix.Malloc) */
			return s;
		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
			return s;
		i = (i + 1) & (cap - 1);
	}
}

void *hmap_get(const HMap *m, const char *key, size_t len)
{
	HMapSlot *s;
	if (!m->count)
		return NULL;
	s = find_slot(m->slots, m->cap, key, len, hash_bytes(key, len));
	return s->key ? s->value : NULL;
}

void *hmap_put(HMap *m, const char *key, size_t len, void *value)
{
	uint64_t h = hash_bytes(key, len);
	HMapSlot *s;
	void *old;
	if ((m->count + 1) * 4 >= m->cap * 3) {
		size_t ncap = m->cap ? m->cap * 2 : 16, i;
		HMapSlot *ns = m->arena ? arena_calloc(m->arena, ncap, sizeof *ns)
				       : xcalloc(ncap, sizeof *ns);
		for (i = 0; i < m->cap; i++) {
			HMapSlot *o = &m->slots[i];
			if (o->key)
				*find_slot(ns, ncap, o->key, o->len, o->hash) = *o;
		}
		if (!m->arena)
			free(m->slots);
		else if (m->slots)
			arena_give_back(m->arena, m->slots,
					m->cap * sizeof *m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	s = find_slot(m->slots, m->cap, key, len, h);
	old = s->key ? s->value : NULL;
	if (!s->key) {
		s->key = key;
		s->len = len;
		s->hash = h;
		m->count++;
	}
	s->value = value;
	return old;
}

/* ---- Text ------------------------------------------------------------------ */

bool is_ident(const char *s)
{
	const char *p = s;
	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
		return false;
	for (p++; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Levenshtein distance, giving up (returning limit + 1) past limit. */
size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, best, res;
	if ((la > lb ? la - lb : lb - la) > limit || la > 256 || lb > 256)
		return limit + 1;
	row = xmalloc((lb + 1) * sizeof *row);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], v;
			v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > limit) {
			free(row);
			return limit + 1;
		}
	}
	res = row[lb];
	free(row);
	return res;
}

int utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	int len, i;
	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		len = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		len = 3;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		len = 4;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t utf8_count(const char *p, size_t n)
{
	size_t count = 0, i = 0;
	while (i < n) {
		uint32_t cp;
		int l = utf8_decode((const unsigned char *)p + i, n - i, &cp);
		i += l > 0 ? (size_t)l : 1;
		count++;
	}
	return count;
}

int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}
