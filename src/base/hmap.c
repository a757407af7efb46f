/*
 * hmap.c - the string-keyed hash table.
 */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
