/*
 * buf.c - the growable byte buffer.
 */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Buf ------------------------------------------------------------------ */

void buf_reserve(Buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		xoom();
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
