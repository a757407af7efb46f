/*
 * rust_comment.c - untrusted text in the comments of the Rust crate.
 *
 * Comments hold untrusted text: descriptions, spec file names, the
 * regeneration command.  Rust source must be UTF-8, and rustc rejects
 * bidirectional controls in comments outright
 * (text_direction_codepoint_in_comment); control characters and line
 * separators help nobody.  All of those become '?'.  Tabs become spaces
 * (clippy's tabs_in_doc_comments), and trailing blanks are dropped.
 *
 * Doc comments are also Markdown, which descriptions are not: rustdoc
 * would read "<version>" as an HTML tag, "[0]" as a link, "_x_" as
 * emphasis, and warn about bare URLs and indented text it takes for Rust
 * code.  md_line() escapes what Markdown would take for markup, keeps
 * `code spans` (the one markup descriptions use on purpose) and makes
 * URLs links; an indented block becomes a ```text block.
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

static bool is_punct(char c)
{
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9') &&
	       !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
}

static bool is_word(char c)
{
	return (unsigned char)c >= 0x80 || (c >= '0' && c <= '9') ||
	       (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static size_t run_of(const char *s, char c)
{
	size_t n = 0;
	while (s[n] == c)
		n++;
	return n;
}

/* The end of the code span opened by the n backticks at s (CommonMark:
 * closed by a run of exactly n), or NULL. */
static const char *span_end(const char *s, size_t n)
{
	const char *p = s + n;
	while ((p = strchr(p, '`')) != NULL) {
		size_t m = run_of(p, '`');
		if (m == n)
			return p + m;
		p += m;
	}
	return NULL;
}

/* The length of a URL at s ("http://" or "https://" and what follows up
 * to a blank, without the punctuation that ends a sentence), or 0. */
static size_t url_len(const char *s)
{
	size_t n;
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return 0;
	n = strcspn(s, " \t<>`\"");
	while (n && strchr(".,;:!?)'", s[n - 1]))
		n--;
	return n;
}

static bool name_char(char c)
{
	return is_word(c) || c == '_' || c == '*';
}

/* A C name with a wildcard ("XEN_DOMCTL_*") or a leading or trailing
 * underscore ("_GNTMAP_readonly") at s: its length, or 0.  It is written
 * as a code span, which reads better than escapes and stays greppable. */
static size_t name_len(const char *s)
{
	size_t n = 0, word = 0;
	bool star = false;
	for (; name_char(s[n]); n++) {
		star |= s[n] == '*';
		word += is_word(s[n]);
	}
	if (!word || (unsigned char)s[n] >= 0x80)
		return 0;
	return star || s[0] == '_' || s[n - 1] == '_' ? n : 0;
}

/* A line made of one repeated '-', '=', '*' or '_' (blanks aside) would be
 * a rule or underline a heading. */
static bool rule_like(const char *s)
{
	char c = 0;
	for (; *s; s++) {
		if (*s == ' ')
			continue;
		if (!strchr("-=*_+", *s) || (c && *s != c))
			return false;
		c = *s;
	}
	return c != 0;
}

/* One line of a description, as Markdown that renders as the text. */
static void md_line(Buf *b, const char *s)
{
	const char *p = s;
	size_t lead = strspn(s, " ");
	buf_put(b, s, lead);
	p += lead;
	/* what only the start of a line makes markup: headings, quotes,
	 * rules and setext underlines ("1." and "-" lists are kept) */
	if (*p == '#' || *p == '>' || rule_like(p))
		buf_putc(b, '\\');
	while (*p) {
		size_t n;
		char c = *p;
		if (c == '`') {
			const char *e;
			n = run_of(p, '`');
			e = span_end(p, n);
			if (e) {
				buf_put(b, p, (size_t)(e - p));
				p = e;
			} else {
				for (; n; n--)
					buf_puts(b, "\\`");
				p += run_of(p, '`');
			}
			continue;
		}
		if ((p == s || !is_word(p[-1])) && (n = url_len(p)) != 0) {
			buf_putc(b, '<');
			buf_put(b, p, n);
			buf_putc(b, '>');
			p += n;
			continue;
		}
		if ((p == s || !name_char(p[-1])) && (n = name_len(p)) != 0) {
			buf_putc(b, '`');
			buf_put(b, p, n);
			buf_putc(b, '`');
			p += n;
			continue;
		}
		if (strchr("<>[]*~|", c) ||
		    (c == '\\' && is_punct(p[1])) ||
		    (c == '&' && (p[1] == '#' || is_word(p[1]))) ||
		    (c == '_' && (p == s || !is_word(p[-1]) || !is_word(p[1]))))
			buf_putc(b, '\\');
		buf_putc(b, c);
		p++;
	}
}

static void doc_line(Buf *b, int indent, const char *text, bool markdown)
{
	size_t start;
	buf_indent(b, indent);
	buf_puts(b, "///");
	start = b->len;
	buf_putc(b, ' ');
	if (markdown) {
		Buf md = {0};
		md_line(&md, text);
		comment_text(b, buf_cstr(&md));
		buf_free(&md);
	} else {
		comment_text(b, text);
	}
	if (b->len == start + 1)
		b->len = start; /* "///", not "/// " */
	buf_putc(b, '\n');
}

static bool indented(const char *s)
{
	return strspn(s, " \t") >= 4 || *s == '\t';
}

/* A description as doc comment lines; when there is none, the fallback
 * if there is one (the text of what the tool adds: the mask ALL, the
 * storage of bitfields), else nothing: an item the spec leaves
 * undocumented gets no filler (validate counts them).  A
 * block of lines indented by four or more after a blank line (or at the
 * start) is preformatted text: a ```text block, as Markdown would take it
 * for Rust code. */
void comment_doc(Buf *b, int indent, const char *desc,
		 const char *fallback)
{
	Lines l = {NULL, 0, 0};
	size_t i;
	/* lines_split() of "" would memmove() from a null pointer */
	if (desc && *desc)
		lines_split(&l, desc);
	if (!l.n && fallback) {
		buf_indent(b, indent);
		buf_printf(b, "/// %s\n", fallback);
	}
	for (i = 0; i < l.n; i++) {
		if (indented(l.v[i]) && (i == 0 || !*l.v[i - 1])) {
			doc_line(b, indent, "```text", false);
			for (; i < l.n && (indented(l.v[i]) || !*l.v[i]); i++)
				if (*l.v[i] || (i + 1 < l.n && indented(l.v[i + 1])))
					doc_line(b, indent, l.v[i], false);
			doc_line(b, indent, "```", false);
			if (i == l.n)
				break;
			if (!*l.v[i - 1])
				doc_line(b, indent, "", false);
		}
		doc_line(b, indent, l.v[i], true);
	}
	lines_free(&l);
}
