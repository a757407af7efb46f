/*
 * rust_comment.c - untrusted text in the comments of the Rust crate.
 *
 * Comments hold untrusted text: descriptions, spec file names, the
 * regeneration command.  Rust source must be UTF-8, and rustc rejects
 * bidirectional controls in comments outright
 * (text_direction_codepoint_in_comment); control characters and line
 * separators help nobody.  All of those become '?'.  Tabs become spaces
 * (clippy's tabs_in_doc_comments), and trailing blanks are dropped.
 */
#include "emit/rust.h"

#include <string.h>

static bool unwanted(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x061c ||
	       c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static bool blank(uint32_t c)
{
	return c == ' ' || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f ||
	       c == 0x3000 || c == 0xfeff;
}

void comment_text(Buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), col = 0, keep = b->len;
	while (n) {
		uint32_t c;
		int len = utf8_decode(p, n, &c);
		if (len <= 0) {
			buf_putc(b, '?');
			keep = b->len;
			len = 1;
		} else if (c == '\t') {
			do
				buf_putc(b, ' ');
			while (++col % 4);
			p++;
			n--;
			continue;
		} else if (unwanted(c)) {
			buf_putc(b, '?');
			keep = b->len;
		} else {
			buf_put(b, p, (size_t)len);
			if (!blank(c))
				keep = b->len;
		}
		col++;
		p += len;
		n -= (size_t)len;
	}
	b->len = keep;
}

/* One // line (the banner). */
void comment_line(Buf *b, const char *prefix, const char *text)
{
	size_t start = b->len;
	buf_puts(b, prefix);
	comment_text(b, text);
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->len--;
	buf_putc(b, '\n');
}

/* A description as doc comment lines; fallback when there is none. */
void comment_doc(Buf *b, int indent, const char *desc,
		 const char *fallback)
{
	Lines l = {NULL, 0, 0};
	size_t i;
	/* lines_split() of "" would memmove() from a null pointer */
	if (desc && *desc)
		lines_split(&l, desc);
	if (!l.n) {
		buf_indent(b, indent);
		buf_printf(b, "/// %s\n", fallback);
	}
	for (i = 0; i < l.n; i++) {
		size_t start;
		buf_indent(b, indent);
		buf_puts(b, "///");
		start = b->len;
		buf_putc(b, ' ');
		comment_text(b, l.v[i]);
		if (b->len == start + 1)
			b->len = start; /* "///", not "/// " */
		buf_putc(b, '\n');
	}
	lines_free(&l);
}
