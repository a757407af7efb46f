/*
 * util.h - the small pieces every stage needs: checked allocation, an arena,
 * a growable byte buffer and a string-keyed hash table.
 *
 * Allocation failure is the one error that is not returned as a value: every
 * stage would have to thread it through, and after it nothing useful can be
 * reported anyway.  xmalloc() and friends print "out of memory" and exit with
 * status 3 (the I/O class).  Input limits (see limits.h) keep hostile specs
 * far from that point.
 */
#ifndef XBG_UTIL_H
#define XBG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *cap geometrically until it holds need elements of size sz. */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz);

/* ---- Arena: many small allocations, one free. -------------------------- */
typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
	ArenaChunk *head;
	ArenaChunk *spare; /* chunks kept by arena_reset() for reuse */
	char *cur, *end;
	size_t total; /* bytes handed out, for statistics */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Forget every allocation but keep the memory for the next ones: for a
 * series of short-lived trees (one per spec file), so that the pages of
 * one are reused by the next instead of going back to the system and
 * faulting in again. */
void arena_reset(Arena *a);
void *arena_alloc(Arena *a, size_t n);      /* zeroed, max-aligned */
void *arena_calloc(Arena *a, size_t n, size_t size);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...);
/* Resize an arena array from old_n to new_n elements of size sz (copies). */
void *arena_grow(Arena *a, void *p, size_t old_n, size_t new_n, size_t sz);

/* ---- Growable buffer. ---------------------------------------------------- */
typedef struct Buf {
	char *data;
	size_t len, cap;
} Buf;

/* Room for extra more bytes and a NUL after them. */
void buf_reserve(Buf *b, size_t extra);
/* The backends write their outputs a few bytes at a time: appending is
 * inline, with a call only when the buffer has to grow. */
static inline void buf_put(Buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	if (n >= b->cap - b->len)
		buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}
static inline void buf_putc(Buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
}
static inline void buf_puts(Buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}
void buf_printf(Buf *b, const char *fmt, ...);
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_indent(Buf *b, int n);
const char *buf_cstr(Buf *b); /* NUL-terminated view; valid until next put */
void buf_clear(Buf *b);
void buf_free(Buf *b);
char *buf_detach(Buf *b, size_t *len); /* caller frees with free() */

/* ---- String hash table (keys are byte strings, not copied). -------------- */
typedef struct HMapSlot {
	const char *key;
	size_t len;
	uint64_t hash;
	void *value;
} HMapSlot;

typedef struct HMap {
	HMapSlot *slots;
	size_t cap, count;
	Arena *arena; /* if set, slots come from it and are never freed */
} HMap;

uint64_t hash_bytes(const void *p, size_t n);
void hmap_init(HMap *m);
void hmap_init_arena(HMap *m, Arena *a);
void hmap_free(HMap *m);
void *hmap_get(const HMap *m, const char *key, size_t len);
/* Insert or replace; returns the previous value or NULL. */
void *hmap_put(HMap *m, const char *key, size_t len, void *value);
static inline void *hmap_gets(const HMap *m, const char *key)
{
	return hmap_get(m, key, strlen(key));
}

/* ---- Text helpers. -------------------------------------------------------- */
bool is_ident(const char *s);                  /* [A-Za-z_][A-Za-z0-9_]* */
size_t edit_distance(const char *a, const char *b, size_t limit);
/* Decode one UTF-8 sequence; returns its length or 0 if invalid. */
int utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);
int utf8_encode(uint32_t cp, char out[4]);
/* Length in code points of a UTF-8 prefix (invalid bytes count as one). */
size_t utf8_count(const char *p, size_t n);
int cmp_str(const void *a, const void *b); /* qsort over const char * */

#endif
