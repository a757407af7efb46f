/*
 * text.c - identifiers, edit distance, UTF-8, sorting.
 */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *describe_char(char *buf, size_t size, const char *s,
			  const char *end)
{
	unsigned char c;
	uint32_t cp;
	if (s >= end)
		return "end of file";
	c = (unsigned char)*s;
	if (c == '\n' || (c == '\r' && s + 1 < end && s[1] == '\n'))
		return "newline";
	if (c == '\r')
		return "a carriage return without a newline";
	if (c == '\'')
		return "\"'\"";
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else if (c < 0x80)
		snprintf(buf, size, "control character '\\u%04X'", c);
	else if (utf8_decode((const unsigned char *)s, (size_t)(end - s), &cp) > 0)
		snprintf(buf, size, "character U+%04X", (unsigned)cp);
	else
		snprintf(buf, size, "invalid UTF-8 byte 0x%02x", c);
	return buf;
}

/* ---- Re-flowing descriptions ---------------------------------------------- */

/* The width of a list item's marker ("- ", "* ", "12. ", "3) "), or 0. */
size_t text_list_marker(const char *s)
{
	const char *p = s;
	if ((*p == '-' || *p == '*' || *p == '+') && (p[1] == ' ' || p[1] == '\t'))
		return 2;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p > s && p - s <= 3 && (*p == '.' || *p == ')') &&
	    (p[1] == ' ' || p[1] == '\t'))
		return (size_t)(p - s) + 2;
	return 0;
}

typedef struct Reflow {
	size_t width;
	const char *const *para; /* the lines of the paragraph being read */
	size_t npara;
	size_t hang;             /* list item: indentation of continuations */
	void (*line)(void *ctx, const char *s, size_t n);
	void *ctx;
} Reflow;

/* Write the paragraph: as it is if every line fits, else re-filled. */
static void reflow_flush(Reflow *r)
{
	Buf cur = {0};
	size_t i;
	bool fits = true;
	for (i = 0; i < r->npara; i++)
		fits = fits && strlen(r->para[i]) <= r->width;
	if (fits) {
		for (i = 0; i < r->npara; i++)
			r->line(r->ctx, r->para[i], strlen(r->para[i]));
	} else {
		for (i = 0; i < r->npara; i++) {
			const char *p = r->para[i];
			if (i == 0 && r->hang) {
				/* the list marker, then the item's words */
				buf_put(&cur, p, r->hang);
				p += r->hang;
			}
			for (;;) {
				const char *word;
				size_t n;
				while (*p == ' ' || *p == '\t')
					p++;
				if (!*p)
					break;
				word = p;
				while (*p && *p != ' ' && *p != '\t')
					p++;
				n = (size_t)(p - word);
				if (cur.len > r->hang && cur.len + 1 + n > r->width) {
					r->line(r->ctx, cur.data, cur.len);
					buf_clear(&cur);
				}
				if (!cur.len)
					buf_indent(&cur, (int)r->hang);
				else if (cur.len > r->hang || i || !r->hang)
					buf_putc(&cur, ' ');
				buf_put(&cur, word, n);
			}
		}
		if (cur.len)
			r->line(r->ctx, cur.data, cur.len);
	}
	buf_free(&cur);
	r->npara = 0;
	r->hang = 0;
}

void text_reflow(const char *const *lines, size_t n, size_t width,
		 void (*line)(void *ctx, const char *s, size_t len), void *ctx)
{
	Reflow r;
	size_t i;
	memset(&r, 0, sizeof r);
	r.width = width;
	r.line = line;
	r.ctx = ctx;
	r.para = lines;
	for (i = 0; i < n; i++) {
		const char *l = lines[i];
		size_t m = text_list_marker(l);
		if (!*l || l[0] == ' ' || l[0] == '\t') {
			/* a blank line, or an indented one: as it is */
			reflow_flush(&r);
			line(ctx, l, strlen(l));
			r.para = lines + i + 1;
			continue;
		}
		if (m) {
			reflow_flush(&r);
			r.para = lines + i;
			r.hang = m;
		}
		r.npara++;
	}
	reflow_flush(&r);
}
