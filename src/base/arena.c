/*
 * arena.c - many small allocations, one free.
 */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		xoom();
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
		xoom();
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
void arena_give_back(Arena *a, const void *p, size_t n)
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
		xoom();
	return arena_alloc(a, n * size);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *p;
	if (n == SIZE_MAX)
		xoom();
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
		xoom();
	q = arena_alloc(a, new_n * sz);
	if (p && old_n)
		memcpy(q, p, (old_n < new_n ? old_n : new_n) * sz);
	return q;
}
