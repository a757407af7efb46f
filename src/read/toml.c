/*
 * toml.c - the TOML 1.0 reader.
 *
 * One pass of recursive descent over the bytes builds the document tree
 * directly; there is no token stream.  A few choices shape the code:
 *
 *  - The text is copied into a NUL-terminated buffer (in the arena: the
 *    next file's tree reuses its memory), so that the scanning loops stop
 *    on a sentinel instead of testing for the end at every byte.
 *    NUL is an error everywhere in TOML, so a NUL met before the end is
 *    reported as one.  Bytes are classified through a single table.
 *  - The first error ends the parse: fail() reports it and longjmp()s back
 *    to toml_parse(), which frees what the parser holds (the tree is in the
 *    caller's arena).  Once the structure of a file is broken, later
 *    diagnostics would mostly be noise.
 *  - Lines are counted as newlines are consumed.  Columns, in code points,
 *    are computed only when a location is needed, onwards from a cached
 *    position on the current line: a very long line costs linear time.
 *  - Arrays and inline tables nest by recursion.  The depth of every
 *    container is known (headers and dotted keys count as well) and capped
 *    at MAX_DOC_DEPTH, which also protects the recursive consumers of the
 *    tree.
 *  - A key/value pair resolves its key (creating the tables of a dotted key
 *    and checking for a duplicate) before its value is parsed, so that one
 *    key buffer serves the inline tables nested in the value.
 *  - Newlines in multi-line strings read as "\n" whatever the file uses
 *    (TOML allows this), so that the generated code does not depend on how
 *    a checkout stores line ends.
 *
 * TOML's rules on defining tables are kept in the tables' DOC_F_* flags:
 *
 *   IMPLICIT  created as the parent in a header ([a] by [a.b]).  A later
 *             header may define it; dotted keys may extend it, after which
 *             it counts as DOTTED.
 *   DEFINED   opened by its own header: no second header, no dotted keys.
 *   DOTTED    created by a dotted key.  Headers may open sub-tables below it
 *             but not the table itself.  Dotted keys in a later section can
 *             never reach it: they start from that section's table, and any
 *             path from there to it crosses a DEFINED table or an array.
 *   INLINE    an inline table, or an array written with [ ]: never extended.
 */
#include "read/read.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF(f, a)
#endif

/* ---- Character classes ---------------------------------------------------- */

enum {
	C_WS = 1 << 0,      /* space and tab */
	C_BARE = 1 << 1,    /* bare keys: A-Z a-z 0-9 _ - */
	C_VALUE = 1 << 2,   /* numbers, booleans, date-times: also + . : */
	C_BASIC = 1 << 3,   /* stands for itself in a basic string */
	C_LITERAL = 1 << 4, /* stands for itself in a literal string */
	C_COMMENT = 1 << 5, /* allowed in a comment */
};

/* Shorthands for the table. */
enum {
	WS = C_WS | C_BASIC | C_LITERAL | C_COMMENT,
	PU = C_BASIC | C_LITERAL | C_COMMENT,               /* punctuation */
	ID = C_BARE | C_VALUE | C_BASIC | C_LITERAL | C_COMMENT,
	NU = C_VALUE | C_BASIC | C_LITERAL | C_COMMENT,     /* + . : */
	DQ = C_LITERAL | C_COMMENT,                         /* " and \ */
	SQ = C_BASIC | C_COMMENT,                           /* ' */
};

/* Bytes from 0x80 up are all 0: they are checked as UTF-8 where allowed. */
static const unsigned char ctype[256] = {
	0,  0,  0,  0,  0,  0,  0,  0,  0,  WS, 0,  0,  0,  0,  0,  0,  /* 00 */
	0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  /* 10 */
	WS, PU, DQ, PU, PU, PU, PU, SQ, PU, PU, PU, NU, PU, ID, NU, PU, /*  !"#$%&'()*+,-./ */
	ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, NU, PU, PU, PU, PU, PU, /* 0-9 :;<=>? */
	PU, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, /* @ A-O */
	ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, PU, DQ, PU, PU, ID, /* P-Z [\]^_ */
	PU, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, /* ` a-o */
	ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, ID, PU, PU, PU, PU, 0,  /* p-z {|}~ DEL */
};

static int cls(const char *s)
{
	return ctype[(unsigned char)*s];
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* ---- The parser ----------------------------------------------------------- */

typedef struct KeyPart {
	const char *s; /* in the text, or in the arena if it had escapes */
	size_t len;
	const char *at; /* where it is written */
	Loc loc;
} KeyPart;

typedef struct Parser {
	Arena *a;
	Diag *d;
	uint32_t file;
	const char *text, *end; /* the NUL-terminated copy; *end == '\0' */
	const char *cur;
	uint32_t line;
	const char *line_start;
	const char *col_pos; /* column cache: col_pos is at column col */
	uint32_t col;
	DocNode *root;
	DocNode *table; /* where key/value pairs go: the last header's table */
	int table_depth;
	KeyPart *keys;  /* the key being parsed, split at its dots */
	size_t nkeys, keycap;
	Buf str;        /* strings with escapes, floats without underscores */
	Buf msg[2];     /* keys and spans rendered for messages */
	char desc[64];  /* a character rendered for messages */
	jmp_buf jmp;
} Parser;

static DocNode *parse_value(Parser *p, int depth);

static DocNode *new_node(Parser *p, DocKind kind, Loc loc, unsigned flags)
{
	DocNode *n = doc_new(p->a, kind, loc);
	n->flags = (unsigned char)flags;
	return n;
}

/* ---- Locations and errors ------------------------------------------------- */

/* Code points in [s, e): every byte but a UTF-8 continuation starts one. */
static uint32_t count_cols(const char *s, const char *e)
{
	uint32_t n = 0;
	for (; s < e; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static Loc loc_at(Parser *p, const char *s)
{
	Loc l;
	l.file = p->file;
	l.line = p->line;
	if (s < p->line_start) {
		/* An earlier line: count back.  Only diagnostics get here. */
		const char *ls = s, *q;
		while (ls > p->text && ls[-1] != '\n')
			ls--;
		for (q = s; q < p->line_start; q++)
			l.line -= *q == '\n';
		l.col = 1 + count_cols(ls, s);
		return l;
	}
	if (s < p->col_pos) {
		p->col_pos = p->line_start;
		p->col = 1;
	}
	p->col += count_cols(p->col_pos, s);
	p->col_pos = s;
	l.col = p->col;
	return l;
}

/* A new line starts at s. */
static void new_line(Parser *p, const char *s)
{
	p->line++;
	p->line_start = p->col_pos = s;
	p->col = 1;
}

static _Noreturn void bail(Parser *p)
{
	longjmp(p->jmp, 1);
}

static PRINTF(3, 4) void report(Parser *p, const char *at, const char *fmt,
				...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(p->d, DIAG_ERROR, loc_at(p, at), fmt, ap);
	va_end(ap);
}

static _Noreturn PRINTF(3, 4) void fail(Parser *p, const char *at,
					const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(p->d, DIAG_ERROR, loc_at(p, at), fmt, ap);
	va_end(ap);
	bail(p);
}

static _Noreturn void utf8_fail(Parser *p, const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0xc2 || c > 0xf4)
		fail(p, s, "invalid UTF-8 byte 0x%02x", c);
	fail(p, s, "invalid UTF-8 sequence starting with byte 0x%02x", c);
}

/* Length of the UTF-8 sequence at s, which starts with a byte >= 0x80. */
static size_t utf8_len(Parser *p, const char *s)
{
	uint32_t cp;
	int n = utf8_decode((const unsigned char *)s, (size_t)(p->end - s), &cp);
	if (n <= 0)
		utf8_fail(p, s);
	return (size_t)n;
}

/* The character at s, for messages (describe_char). */
static const char *describe(Parser *p, const char *s)
{
	return describe_char(p->desc, sizeof p->desc, s, p->end);
}

static _Noreturn void expected(Parser *p, const char *at, const char *what)
{
	uint32_t cp;
	if ((unsigned char)*at >= 0x80 &&
	    utf8_decode((const unsigned char *)at, (size_t)(p->end - at), &cp) <= 0)
		utf8_fail(p, at);
	fail(p, at, "expected %s, found %s", what, describe(p, at));
}

/* A character that may not appear in a string or a comment. */
static _Noreturn void bad_char(Parser *p, const char *s, const char *where)
{
	unsigned char c = (unsigned char)*s;
	if (s >= p->end)
		fail(p, s, "unexpected end of file in %s", where);
	if (c >= 0x80)
		utf8_fail(p, s);
	if (c == '\r')
		fail(p, s, "carriage return without a newline in %s", where);
	fail(p, s, "control character '\\u%04X' is not allowed in %s", c, where);
}

/* A key as written in TOML: bare if it can be, quoted otherwise, with
 * control characters escaped.  Very long keys are cut short. */
static void put_key(Buf *b, const char *s, size_t len)
{
	size_t i, limit = b->len + 80;
	bool bare = len > 0;
	for (i = 0; i < len && bare; i++)
		bare = ctype[(unsigned char)s[i]] & C_BARE;
	if (!bare)
		buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (b->len >= limit && (c & 0xc0) != 0x80) {
			buf_puts(b, "...");
			break;
		}
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04X", c);
		else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] < 0xa0)
			buf_printf(b, "\\u%04X", (unsigned char)s[++i]); /* C1 */
		else
			buf_putc(b, (char)c);
	}
	if (!bare)
		buf_putc(b, '"');
}

/* Key parts [0, n) joined by dots, rendered into message buffer i (cut
 * short if very long). */
static const char *key_path(Parser *p, int i, size_t n)
{
	Buf *b = &p->msg[i];
	size_t k;
	buf_clear(b);
	for (k = 0; k < n; k++) {
		if (k)
			buf_putc(b, '.');
		if (b->len > 200) {
			buf_puts(b, "..");
			break;
		}
		put_key(b, p->keys[k].s, p->keys[k].len);
	}
	return buf_cstr(b);
}

/* A value's text (printable ASCII) for messages, cut short if long. */
static const char *span(Parser *p, const char *s, const char *e)
{
	Buf *b = &p->msg[0];
	buf_clear(b);
	if (e - s > 60) {
		buf_put(b, s, 60);
		buf_puts(b, "...");
	} else {
		buf_put(b, s, (size_t)(e - s));
	}
	return buf_cstr(b);
}

static void check_depth(Parser *p, int depth, const char *at)
{
	if (depth > MAX_DOC_DEPTH)
		fail(p, at, "nesting deeper than %d levels", MAX_DOC_DEPTH);
}

/* ---- Whitespace, comments, newlines --------------------------------------- */

static void skip_ws(Parser *p)
{
	const char *s = p->cur;
	while (*s == ' ' || *s == '\t')
		s++;
	p->cur = s;
}

/* From a '#' to the end of the line, which is left for the caller. */
static void skip_comment(Parser *p)
{
	const char *s = p->cur + 1;
	for (;;) {
		while (cls(s) & C_COMMENT)
			s++;
		if ((unsigned char)*s < 0x80)
			break;
		s += utf8_len(p, s);
	}
	p->cur = s;
	if (*s != '\n' && !(*s == '\r' && s[1] == '\n') && s < p->end)
		bad_char(p, s, "a comment");
}

static bool eat_newline(Parser *p)
{
	const char *s = p->cur;
	if (*s == '\r' && s[1] == '\n')
		s++;
	else if (*s != '\n')
		return false;
	p->cur = s + 1;
	new_line(p, p->cur);
	return true;
}

/* Whitespace, comments and newlines, as between array elements. */
static void skip_blank(Parser *p)
{
	for (;;) {
		skip_ws(p);
		if (*p->cur == '#')
			skip_comment(p);
		if (!eat_newline(p))
			return;
	}
}

/* After a key/value pair or a header: only a comment may follow. */
static void end_line(Parser *p, const char *after)
{
	char what[64];
	skip_ws(p);
	if (*p->cur == '#')
		skip_comment(p);
	if (eat_newline(p) || p->cur >= p->end)
		return;
	snprintf(what, sizeof what, "a newline after %s", after);
	expected(p, p->cur, what);
}

/* ---- Strings -------------------------------------------------------------- */

typedef struct Str {
	const char *s;
	size_t len;
	bool copied; /* s is in p->str, not in the text */
} Str;

static _Noreturn void bad_escape(Parser *p, const char *s)
{
	unsigned char c = (unsigned char)s[1];
	if (c > 0x20 && c < 0x7f)
		fail(p, s, "invalid escape sequence '\\%c'", c);
	fail(p, s, "invalid escape sequence: '\\' followed by %s",
	     describe(p, s + 1));
}

/* The escape sequence at s (a backslash) in a basic string: append what it
 * stands for to b and return what follows it. */
static const char *escape(Parser *p, const char *s, Buf *b)
{
	uint32_t cp = 0;
	char utf8[4];
	int n, i;
	switch (s[1]) {
	case 'b': buf_putc(b, '\b'); return s + 2;
	case 't': buf_putc(b, '\t'); return s + 2;
	case 'n': buf_putc(b, '\n'); return s + 2;
	case 'f': buf_putc(b, '\f'); return s + 2;
	case 'r': buf_putc(b, '\r'); return s + 2;
	case '"': buf_putc(b, '"'); return s + 2;
	case '\\': buf_putc(b, '\\'); return s + 2;
	case 'u': n = 4; break;
	case 'U': n = 8; break;
	default: bad_escape(p, s);
	}
	for (i = 0; i < n; i++) {
		int h = hex_digit(s[2 + i]);
		if (h < 0)
			fail(p, s + 2 + i,
			     "expected %d hexadecimal digits after '\\%c', found %s",
			     n, s[1], describe(p, s + 2 + i));
		cp = cp << 4 | (uint32_t)h;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		fail(p, s, "escape '\\%c%.*s' is not a Unicode scalar value", s[1],
		     n, s + 2);
	buf_put(b, utf8, (size_t)utf8_encode(cp, utf8));
	return s + 2 + n;
}

/* In a multi-line basic string, a backslash that ends a line (spaces and
 * tabs may follow it) removes the newline and all whitespace after it. */
static bool line_ending_backslash(Parser *p, const char **sp)
{
	const char *s = *sp + 1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\n' && !(*s == '\r' && s[1] == '\n'))
		return false;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\n')
			new_line(p, ++s);
		else if (*s == '\r' && s[1] == '\n')
			new_line(p, s += 2);
		else
			break;
	}
	*sp = s;
	return true;
}

/* A newline right after the opening delimiter is not part of the string. */
static const char *skip_first_newline(Parser *p, const char *s)
{
	if (*s == '\r' && s[1] == '\n')
		s++;
	if (*s == '\n')
		new_line(p, ++s);
	return s;
}

/* At a run of quotes q in a multi-line string: the number of them that are
 * content (0 to 2), or -1 if they do not close the string. */
static int closing_quotes(Parser *p, const char *s, char q)
{
	int n = 0;
	while (n < 6 && s[n] == q)
		n++;
	if (n < 3)
		return -1;
	if (n == 6)
		fail(p, s + 5, "too many quotes at the end of a multi-line string");
	return n - 3;
}

static _Noreturn void unterminated(Parser *p, const char *s, Loc open,
				   bool multi)
{
	if (!multi)
		fail(p, s, "missing closing quote at end of %s",
		     s >= p->end ? "file" : "line");
	report(p, s, "unterminated multi-line string");
	diag_note(p->d, open, "the string starts here");
	bail(p);
}

/* A basic string ("..." or """..."""), p->cur at its opening quote. */
static void scan_basic(Parser *p, Str *out, bool multi)
{
	Loc open = loc_at(p, p->cur);
	const char *s = p->cur + (multi ? 3 : 1), *start, *run;
	Buf *b = &p->str;
	bool copy = false; /* the value differs from the text */
	int extra;

	if (multi)
		s = skip_first_newline(p, s);
	start = run = s;
	for (;;) {
		unsigned char c;
		while (cls(s) & C_BASIC)
			s++;
		c = (unsigned char)*s;
		if (c >= 0x80) {
			s += utf8_len(p, s);
			continue;
		}
		if (c == '"') {
			if (!multi)
				break;
			if ((extra = closing_quotes(p, s, '"')) >= 0) {
				s += extra;
				break;
			}
			s += 1 + (s[1] == '"');
			continue;
		}
		if (c == '\n' && multi) {
			new_line(p, ++s);
			continue;
		}
		if (c != '\\' && !(multi && c == '\r' && s[1] == '\n')) {
			if (c == '\n' || (c == '\r' && s[1] == '\n') || s >= p->end)
				unterminated(p, s, open, multi);
			bad_char(p, s, "a string");
		}
		if (!copy) {
			buf_clear(b);
			copy = true;
		}
		buf_put(b, run, (size_t)(s - run));
		if (c == '\r') { /* CRLF in a multi-line string: "\n" */
			buf_putc(b, '\n');
			new_line(p, s += 2);
		} else if (!multi || !line_ending_backslash(p, &s)) {
			s = escape(p, s, b);
		}
		run = s;
	}
	if (copy) {
		buf_put(b, run, (size_t)(s - run));
		out->s = buf_cstr(b);
		out->len = b->len;
	} else {
		out->s = start;
		out->len = (size_t)(s - start);
	}
	out->copied = copy;
	p->cur = s + (multi ? 3 : 1);
}

/* A literal string ('...' or '''...'''), p->cur at its opening quote. */
static void scan_literal(Parser *p, Str *out, bool multi)
{
	Loc open = loc_at(p, p->cur);
	const char *s = p->cur + (multi ? 3 : 1), *start, *q;
	bool crlf = false;
	int extra;

	if (multi)
		s = skip_first_newline(p, s);
	start = s;
	for (;;) {
		unsigned char c;
		while (cls(s) & C_LITERAL)
			s++;
		c = (unsigned char)*s;
		if (c >= 0x80) {
			s += utf8_len(p, s);
		} else if (c == '\'') {
			if (!multi)
				break;
			if ((extra = closing_quotes(p, s, '\'')) >= 0) {
				s += extra;
				break;
			}
			s += 1 + (s[1] == '\'');
		} else if (c == '\n' && multi) {
			new_line(p, ++s);
		} else if (c == '\r' && s[1] == '\n' && multi) {
			crlf = true;
			new_line(p, s += 2);
		} else if (c == '\n' || (c == '\r' && s[1] == '\n') || s >= p->end) {
			unterminated(p, s, open, multi);
		} else {
			bad_char(p, s, "a string");
		}
	}
	out->s = start;
	out->len = (size_t)(s - start);
	out->copied = false;
	if (crlf) { /* newlines are "\n" whatever the file uses */
		buf_clear(&p->str);
		for (q = start; q < s; q++)
			if (*q != '\r')
				buf_putc(&p->str, *q);
		out->s = buf_cstr(&p->str);
		out->len = p->str.len;
		out->copied = true;
	}
	p->cur = s + (multi ? 3 : 1);
}

/* Any string, p->cur at its opening quote; returns its DOC_F_* flags. */
static unsigned scan_string(Parser *p, Str *out, bool key)
{
	const char *s = p->cur;
	bool multi = s[1] == s[0] && s[2] == s[0];
	if (multi && key)
		fail(p, s, "a key cannot be a multi-line string");
	if (*s == '"')
		scan_basic(p, out, multi);
	else
		scan_literal(p, out, multi);
	return (multi ? DOC_F_MULTILINE : 0u) | (*s == '\'' ? DOC_F_LITERAL : 0u);
}

/* ---- Numbers -------------------------------------------------------------- */

static bool is_digit_in(int c, int base)
{
	switch (base) {
	case 2: return c == '0' || c == '1';
	case 8: return c >= '0' && c <= '7';
	case 16: return hex_digit(c) >= 0;
	}
	return is_digit(c);
}

/* Digits of a base from s, underscores only between two of them; returns
 * where they stop, at or before e. */
static const char *digits(Parser *p, const char *s, const char *e, int base,
			  const char *after)
{
	if (s >= e || !is_digit_in(*s, base))
		fail(p, s, "expected a digit%s, found %s", after,
		     describe(p, s));
	for (;;) {
		while (s < e && is_digit_in(*s, base))
			s++;
		if (s >= e || *s != '_')
			return s;
		if (s + 1 >= e || !is_digit_in(s[1], base))
			fail(p, s, "an underscore must be between two digits");
		s++;
	}
}

static DocNode *new_integer(Parser *p, Loc loc, int64_t v)
{
	DocNode *n = new_node(p, DOC_INTEGER, loc, 0);
	n->u.i = v;
	return n;
}

static DocNode *new_float(Parser *p, const char *s, const char *e, Loc loc,
			  double f)
{
	DocNode *n = new_node(p, DOC_FLOAT, loc, 0);
	n->u.str.s = arena_strndup(p->a, s, (size_t)(e - s));
	n->u.str.len = (size_t)(e - s);
	n->u.str.f = f;
	return n;
}

/* A float already checked against TOML's grammar, which strtod accepts once
 * the underscores are gone.  strtod follows LC_NUMERIC: xenbindgen never
 * calls setlocale(), so the decimal point is '.'. */
static DocNode *make_float(Parser *p, const char *s, const char *e, Loc loc)
{
	const char *q;
	double f;
	buf_clear(&p->str);
	for (q = s; q < e; q++)
		if (*q != '_')
			buf_putc(&p->str, *q);
	errno = 0;
	f = strtod(buf_cstr(&p->str), NULL);
	if (errno == ERANGE && (f == HUGE_VAL || f == -HUGE_VAL))
		fail(p, s, "float %s is out of range", span(p, s, e));
	return new_float(p, s, e, loc, f);
}

/* Digits (and underscores) in [q, e) of a base, as an int64 magnitude at
 * most limit. */
static uint64_t magnitude(Parser *p, const char *s, const char *q,
			  const char *e, unsigned base, uint64_t limit)
{
	uint64_t v = 0;
	for (; q < e; q++) {
		unsigned digit;
		if (*q == '_')
			continue;
		digit = (unsigned)hex_digit(*q);
		if (v > (limit - digit) / base)
			fail(p, s, "integer %s does not fit in 64 bits",
			     span(p, s, e));
		v = v * base + digit;
	}
	return v;
}

/* 0x, 0o and 0b integers: q is at the 0, s at the sign if any. */
static DocNode *parse_prefixed(Parser *p, const char *s, const char *q,
			       const char *e, Loc loc)
{
	static const struct {
		char letter;
		unsigned base;
		const char *name, *after;
	} kinds[] = {
		{'b', 2, "binary", " after '0b'"},
		{'o', 8, "octal", " after '0o'"},
		{'x', 16, "hexadecimal", " after '0x'"},
	};
	size_t i;
	const char *d;
	for (i = 0; i < ARRAY_LEN(kinds) && kinds[i].letter != q[1]; i++)
		;
	if (i == ARRAY_LEN(kinds))
		fail(p, q + 1, "the base prefix must be lowercase: '0%c'",
		     q[1] | 0x20);
	if (q != s)
		fail(p, s, "a sign is not allowed on %s integers", kinds[i].name);
	d = digits(p, q + 2, e, (int)kinds[i].base, kinds[i].after);
	if (d < e)
		fail(p, d, "unexpected %s in %s integer", describe(p, d),
		     kinds[i].name);
	return new_integer(p, loc, (int64_t)magnitude(p, s, q + 2, e,
				    kinds[i].base, INT64_MAX));
}

/* An integer or a float in [s, e). */
static DocNode *parse_number(Parser *p, const char *s, const char *e, Loc loc)
{
	const char *q = s, *d;
	bool neg = false, is_float = false;
	uint64_t v;

	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	if (e - q == 3 && (memcmp(q, "inf", 3) == 0 || memcmp(q, "nan", 3) == 0))
		return new_float(p, s, e, loc,
				 *q == 'n' ? (neg ? -NAN : NAN)
					   : (neg ? -HUGE_VAL : HUGE_VAL));
	if (q[0] == '0' && e - q > 1 && strchr("xobXOB", q[1]))
		return parse_prefixed(p, s, q, e, loc);
	d = digits(p, q, e, 10, "");
	if (*q == '0' && d - q > 1)
		fail(p, q, "leading zeros are not allowed in decimal numbers");
	if (d < e && *d == '.') {
		is_float = true;
		d = digits(p, d + 1, e, 10, " after '.'");
	}
	if (d < e && (*d == 'e' || *d == 'E')) {
		is_float = true;
		if (++d < e && (*d == '+' || *d == '-'))
			d++;
		d = digits(p, d, e, 10, " in the exponent");
	}
	if (d < e)
		fail(p, d, "unexpected %s in number", describe(p, d));
	if (is_float)
		return make_float(p, s, e, loc);
	v = magnitude(p, s, q, e, 10, (uint64_t)INT64_MAX + neg);
	if (!neg)
		return new_integer(p, loc, (int64_t)v);
	return new_integer(p, loc, v > INT64_MAX ? INT64_MIN : -(int64_t)v);
}

/* ---- Date-times ----------------------------------------------------------- */

/* yyyy-: the start of a date. */
static bool starts_date(const char *s, const char *e)
{
	return e - s >= 5 && is_digit(s[0]) && is_digit(s[1]) &&
	       is_digit(s[2]) && is_digit(s[3]) && s[4] == '-';
}

/* n digits at s (before e) as a number. */
static const char *field(Parser *p, const char *s, const char *e, int n,
			 const char *what, int *v)
{
	int i;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (s + i >= e || !is_digit(s[i]))
			fail(p, s + i, "expected %d digits for the %s, found %s", n,
			     what, describe(p, s + i));
		*v = *v * 10 + (s[i] - '0');
	}
	return s + n;
}

static const char *sep(Parser *p, const char *s, const char *e, char c,
		       const char *what)
{
	if (s >= e || *s != c)
		fail(p, s, "expected '%c' %s, found %s", c, what, describe(p, s));
	return s + 1;
}

static void in_range(Parser *p, const char *at, int v, int lo, int hi,
		     const char *what)
{
	if (v < lo || v > hi)
		fail(p, at, "%s %02d is out of range (%02d-%02d)", what, v, lo,
		     hi);
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static const char *parse_date(Parser *p, const char *s, const char *e)
{
	int y, m, d;
	if (!starts_date(s, e))
		fail(p, s, "the year must have 4 digits");
	s = field(p, s, e, 4, "year", &y);
	s = sep(p, s, e, '-', "after the year");
	s = field(p, s, e, 2, "month", &m);
	in_range(p, s - 2, m, 1, 12, "month");
	s = sep(p, s, e, '-', "after the month");
	s = field(p, s, e, 2, "day", &d);
	if (d < 1 || d > days_in_month(y, m))
		fail(p, s - 2, "day %02d is out of range for %04d-%02d (01-%02d)",
		     d, y, m, days_in_month(y, m));
	return s;
}

static const char *parse_time(Parser *p, const char *s, const char *e)
{
	int h, m, sec;
	s = field(p, s, e, 2, "hour", &h);
	in_range(p, s - 2, h, 0, 23, "hour");
	s = sep(p, s, e, ':', "after the hour");
	s = field(p, s, e, 2, "minute", &m);
	in_range(p, s - 2, m, 0, 59, "minute");
	s = sep(p, s, e, ':', "and seconds after the minute");
	s = field(p, s, e, 2, "second", &sec);
	in_range(p, s - 2, sec, 0, 60, "second");
	if (s < e && *s == '.') {
		if (++s >= e || !is_digit(*s))
			fail(p, s, "expected a digit after '.', found %s",
			     describe(p, s));
		while (s < e && is_digit(*s))
			s++;
	}
	return s;
}

static const char *parse_offset(Parser *p, const char *s, const char *e)
{
	int h, m;
	if (*s == 'Z' || *s == 'z')
		return s + 1;
	if (*s != '+' && *s != '-')
		fail(p, s, "expected 'Z' or an offset like +01:00, found %s",
		     describe(p, s));
	s = field(p, s + 1, e, 2, "offset hour", &h);
	in_range(p, s - 2, h, 0, 23, "offset hour");
	s = sep(p, s, e, ':', "in the offset");
	s = field(p, s, e, 2, "offset minute", &m);
	in_range(p, s - 2, m, 0, 59, "offset minute");
	return s;
}

/* A date, a time, or both in [s, e). */
static DocNode *parse_datetime(Parser *p, const char *s, const char *e, Loc loc)
{
	const char *q = s;
	DocDateKind kind;
	DocNode *n;

	while (q < e && is_digit(*q))
		q++;
	if (q < e && *q == '-') {
		q = parse_date(p, s, e);
		if (q == e) {
			kind = DOC_DT_DATE;
			goto done;
		}
		if (*q != 'T' && *q != 't' && *q != ' ')
			fail(p, q, "expected 'T' between date and time, found %s",
			     describe(p, q));
		q = parse_time(p, q + 1, e);
		kind = DOC_DT_LOCAL;
		if (q < e) {
			q = parse_offset(p, q, e);
			kind = DOC_DT_OFFSET;
		}
	} else {
		q = parse_time(p, s, e);
		kind = DOC_DT_TIME;
	}
	if (q < e)
		fail(p, q, "unexpected %s after the %s", describe(p, q),
		     kind == DOC_DT_TIME ? "time" : "date-time");
done:
	n = new_node(p, DOC_DATETIME, loc, 0);
	n->sub = (unsigned char)kind;
	n->u.str.s = arena_strndup(p->a, s, (size_t)(e - s));
	n->u.str.len = (size_t)(e - s);
	return n;
}

/* ---- Values --------------------------------------------------------------- */

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A word that is no value: perhaps a mistyped keyword or a string without
 * its quotes. */
static _Noreturn void bad_word(Parser *p, const char *s, const char *e)
{
	static const char *const words[] = {"true", "false", "inf", "nan"};
	const char *w = s + (*s == '+' || *s == '-');
	size_t i, j, n = (size_t)(e - w);
	for (i = 0; i < ARRAY_LEN(words); i++) {
		for (j = 0; j < n && words[i][j]; j++)
			if ((w[j] | 0x20) != words[i][j])
				break;
		if (j == n && !words[i][j])
			fail(p, s, "invalid value '%s': did you mean '%.*s%s'?",
			     span(p, s, e), (int)(w - s), s, words[i]);
	}
	if (w == s)
		fail(p, s, "invalid value '%s' (strings must be quoted)",
		     span(p, s, e));
	fail(p, s, "invalid value '%s'", span(p, s, e));
}

/* Booleans, numbers and date-times: a run of C_VALUE characters (and the
 * space between a date and a time). */
static DocNode *parse_bare_value(Parser *p)
{
	const char *s = p->cur, *e = s, *q;
	Loc loc = loc_at(p, s);
	DocNode *n;

	while (cls(e) & C_VALUE)
		e++;
	if (e - s == 10 && *e == ' ' && is_digit(e[1]) && starts_date(s, e))
		for (e++; cls(e) & C_VALUE; e++)
			;
	if (e == s)
		expected(p, s, "a value");
	p->cur = e;
	if ((e - s == 4 && memcmp(s, "true", 4) == 0) ||
	    (e - s == 5 && memcmp(s, "false", 5) == 0)) {
		n = new_node(p, DOC_BOOL, loc, 0);
		n->u.b = *s == 't';
		return n;
	}
	for (q = s; q < e && is_digit(*q); q++)
		;
	if ((q > s && q < e && *q == '-') || memchr(s, ':', (size_t)(e - s)))
		return parse_datetime(p, s, e, loc);
	q = s + (*s == '+' || *s == '-');
	if (is_alpha(*q) && !(e - q == 3 && (memcmp(q, "inf", 3) == 0 ||
					     memcmp(q, "nan", 3) == 0)))
		bad_word(p, s, e);
	return parse_number(p, s, e, loc);
}

static DocNode *parse_string(Parser *p)
{
	Loc loc = loc_at(p, p->cur);
	Str str;
	unsigned flags = scan_string(p, &str, false);
	DocNode *n = doc_new_string(p->a, loc, str.s, str.len);
	n->flags = (unsigned char)flags;
	return n;
}

static DocNode *parse_array(Parser *p, int depth)
{
	DocNode *arr = new_node(p, DOC_ARRAY, loc_at(p, p->cur), DOC_F_INLINE);
	check_depth(p, depth, p->cur);
	p->cur++;
	for (;;) {
		skip_blank(p);
		if (*p->cur == ']')
			break;
		doc_array_push(p->a, arr, parse_value(p, depth + 1));
		skip_blank(p);
		if (*p->cur == ',') {
			p->cur++;
			continue;
		}
		if (*p->cur == ']')
			break;
		expected(p, p->cur, "',' or ']' after an array element");
	}
	p->cur++;
	return arr;
}

static void parse_keyval(Parser *p, DocNode *t, int depth);

static DocNode *parse_inline_table(Parser *p, int depth)
{
	DocNode *t = new_node(p, DOC_TABLE, loc_at(p, p->cur), DOC_F_INLINE);
	check_depth(p, depth, p->cur);
	p->cur++;
	skip_ws(p);
	if (*p->cur == '}') {
		p->cur++;
		return t;
	}
	for (;;) {
		if (*p->cur == '\n' || (*p->cur == '\r' && p->cur[1] == '\n'))
			fail(p, p->cur, "unexpected newline in inline table");
		parse_keyval(p, t, depth);
		skip_ws(p);
		if (*p->cur == '}')
			break;
		if (*p->cur == '\n' || (*p->cur == '\r' && p->cur[1] == '\n'))
			fail(p, p->cur, "unexpected newline in inline table");
		if (*p->cur != ',')
			expected(p, p->cur, "',' or '}' in inline table");
		p->cur++;
		skip_ws(p);
		if (*p->cur == '}')
			fail(p, p->cur - 1, "trailing comma in inline table");
	}
	p->cur++;
	return t;
}

/* A value whose depth, if it is a container, will be depth. */
static DocNode *parse_value(Parser *p, int depth)
{
	switch (*p->cur) {
	case '"':
	case '\'':
		return parse_string(p);
	case '[':
		return parse_array(p, depth);
	case '{':
		return parse_inline_table(p, depth);
	default:
		return parse_bare_value(p);
	}
}

/* ---- Keys and tables ------------------------------------------------------ */

/* A key, perhaps dotted, into p->keys; stops after the whitespace that
 * follows it. */
static void parse_key(Parser *p)
{
	p->nkeys = 0;
	for (;;) {
		const char *s = p->cur;
		KeyPart *k;
		p->keys = xgrow(p->keys, &p->keycap, p->nkeys + 1, sizeof *p->keys);
		k = &p->keys[p->nkeys++];
		k->at = s;
		k->loc = loc_at(p, s);
		if (cls(s) & C_BARE) {
			while (cls(p->cur) & C_BARE)
				p->cur++;
			k->s = s;
			k->len = (size_t)(p->cur - s);
		} else if (*s == '"' || *s == '\'') {
			Str str;
			scan_string(p, &str, true);
			k->s = str.copied ? arena_strndup(p->a, str.s, str.len)
					  : str.s;
			k->len = str.len;
		} else {
			expected(p, s, "a key");
		}
		skip_ws(p);
		if (*p->cur != '.')
			return;
		p->cur++;
		skip_ws(p);
	}
}

static DocNode *add_table(Parser *p, DocNode *t, const KeyPart *k, Loc loc,
			  unsigned flags)
{
	DocNode *n = new_node(p, DOC_TABLE, loc, flags);
	doc_table_add(p->a, t, k->s, k->len, k->loc, n);
	return n;
}

static bool is_aot(const DocNode *v)
{
	return v->kind == DOC_ARRAY && (v->flags & DOC_F_AOT);
}

/* What v is, to explain why it cannot be redefined or extended. */
static const char *what_is(const DocNode *v)
{
	switch ((DocKind)v->kind) {
	case DOC_TABLE:
		if (v->flags & DOC_F_INLINE)
			return "an inline table, which cannot be extended";
		if (v->flags & DOC_F_DOTTED)
			return "already defined by dotted keys";
		return "already defined as a table";
	case DOC_ARRAY:
		if (v->flags & DOC_F_AOT)
			return "already defined as an array of tables";
		return "a static array, which cannot be extended";
	case DOC_STRING: return "already defined as a string";
	case DOC_INTEGER: return "already defined as an integer";
	case DOC_FLOAT: return "already defined as a float";
	case DOC_BOOL: return "already defined as a boolean";
	case DOC_DATETIME: return "already defined as a date-time";
	case DOC_NULL: break;
	}
	return "already defined";
}

/* A header's key part i cannot be used because of entry e. */
static _Noreturn void header_conflict(Parser *p, size_t i, const DocEntry *e,
				      bool aot)
{
	const char *full = key_path(p, 0, p->nkeys);
	const char *part = key_path(p, 1, i + 1);
	const char *kind = aot ? "array of tables [[" : "table [";
	const char *close = aot ? "]]" : "]";
	if (i + 1 == p->nkeys)
		report(p, p->keys[i].at, "cannot define %s%s%s: it is %s", kind,
		       full, close, what_is(e->value));
	else
		report(p, p->keys[i].at, "cannot define %s%s%s: '%s' is %s", kind,
		       full, close, part, what_is(e->value));
	diag_note(p->d, e->loc, "'%s' first defined here", part);
	bail(p);
}

/* [a.b.c] or [[a.b.c]], p->cur at the first '['. */
static void parse_header(Parser *p)
{
	const char *open = p->cur;
	bool aot = open[1] == '[';
	Loc loc = loc_at(p, open);
	DocNode *t = p->root, *tbl, *arr;
	DocEntry *e;
	KeyPart *k;
	int depth = 0;
	size_t i;

	p->cur += aot ? 2 : 1;
	skip_ws(p);
	if (*p->cur == ']')
		fail(p, p->cur, "missing table name");
	parse_key(p);
	if (*p->cur != ']' || (aot && p->cur[1] != ']'))
		expected(p, p->cur + (*p->cur == ']'),
			 aot ? "']]' after the table name"
			     : "']' after the table name");
	p->cur += aot ? 2 : 1;

	for (i = 0; i + 1 < p->nkeys; i++) {
		k = &p->keys[i];
		e = doc_table_find(t, k->s, k->len);
		if (!e) {
			t = add_table(p, t, k, k->loc, DOC_F_IMPLICIT);
			depth++;
		} else if (is_aot(e->value)) {
			t = e->value->u.array.v[e->value->u.array.n - 1];
			depth += 2;
		} else if (e->value->kind == DOC_TABLE &&
			   !(e->value->flags & DOC_F_INLINE)) {
			t = e->value;
			depth++;
		} else {
			header_conflict(p, i, e, aot);
		}
		check_depth(p, depth, k->at);
	}

	k = &p->keys[p->nkeys - 1];
	e = doc_table_find(t, k->s, k->len);
	check_depth(p, depth + (aot ? 2 : 1), k->at);
	if (aot) {
		if (!e) {
			arr = new_node(p, DOC_ARRAY, loc, DOC_F_AOT);
			doc_table_add(p->a, t, k->s, k->len, k->loc, arr);
		} else if (is_aot(e->value)) {
			arr = e->value;
		} else {
			header_conflict(p, p->nkeys - 1, e, true);
		}
		tbl = new_node(p, DOC_TABLE, loc, DOC_F_DEFINED);
		doc_array_push(p->a, arr, tbl);
	} else if (!e) {
		tbl = add_table(p, t, k, loc, DOC_F_DEFINED);
	} else if (e->value->kind == DOC_TABLE &&
		   e->value->flags == DOC_F_IMPLICIT) {
		tbl = e->value;
		tbl->flags = DOC_F_DEFINED;
		tbl->loc = loc;
	} else if (e->value->kind == DOC_TABLE &&
		   (e->value->flags & DOC_F_DEFINED)) {
		report(p, open, "table [%s] defined twice",
		       key_path(p, 0, p->nkeys));
		diag_note(p->d, e->value->loc, "[%s] first defined here",
			  key_path(p, 0, p->nkeys));
		bail(p);
	} else {
		header_conflict(p, p->nkeys - 1, e, false);
	}
	p->table = tbl;
	p->table_depth = depth + (aot ? 2 : 1);
}

/* The table that the last part of a dotted key goes into, creating the
 * tables before it.  *depth is that of t and becomes that of the result. */
static DocNode *dotted_parent(Parser *p, DocNode *t, int *depth)
{
	size_t i;
	for (i = 0; i + 1 < p->nkeys; i++) {
		KeyPart *k = &p->keys[i];
		DocEntry *e = doc_table_find(t, k->s, k->len);
		DocNode *v;
		check_depth(p, ++*depth, k->at);
		if (!e) {
			t = add_table(p, t, k, k->loc, DOC_F_DOTTED);
			continue;
		}
		v = e->value;
		if (v->kind == DOC_TABLE && (v->flags & DOC_F_DEFINED)) {
			report(p, k->at, "cannot add key '%s' with dotted keys: "
			       "table '%s' is defined by its own header",
			       key_path(p, 0, p->nkeys), key_path(p, 1, i + 1));
			diag_note(p->d, v->loc, "'%s' defined here",
				  key_path(p, 1, i + 1));
			bail(p);
		}
		if (v->kind != DOC_TABLE || (v->flags & DOC_F_INLINE)) {
			report(p, k->at, "cannot add key '%s': '%s' is %s",
			       key_path(p, 0, p->nkeys), key_path(p, 1, i + 1),
			       what_is(v));
			diag_note(p->d, e->loc, "'%s' first defined here",
				  key_path(p, 1, i + 1));
			bail(p);
		}
		if (v->flags & DOC_F_IMPLICIT)
			v->flags = DOC_F_DOTTED;
		t = v;
	}
	return t;
}

/* key = value, into table t of the given depth. */
static void parse_keyval(Parser *p, DocNode *t, int depth)
{
	KeyPart last;
	DocEntry *e;
	DocNode *v;

	parse_key(p);
	if (*p->cur != '=')
		expected(p, p->cur, "'=' after key");
	p->cur++;
	skip_ws(p);
	t = dotted_parent(p, t, &depth);
	last = p->keys[p->nkeys - 1];
	e = doc_table_find(t, last.s, last.len);
	if (e) {
		report(p, p->keys[0].at, "duplicate key '%s'",
		       key_path(p, 0, p->nkeys));
		diag_note(p->d, e->loc, "'%s' first defined here",
			  key_path(p, 0, p->nkeys));
		bail(p);
	}
	v = parse_value(p, depth + 1);
	doc_table_add(p->a, t, last.s, last.len, last.loc, v);
}

/* ---- Documents ------------------------------------------------------------ */

static void parse_document(Parser *p)
{
	for (;;) {
		skip_blank(p);
		if (p->cur >= p->end)
			return;
		if (*p->cur == '[') {
			parse_header(p);
			end_line(p, "the table header");
		} else {
			parse_keyval(p, p->table, p->table_depth);
			end_line(p, "the value");
		}
	}
}

/* setjmp() lives apart from toml_parse(), whose locals change after it. */
static bool parse_all(Parser *p)
{
	if (setjmp(p->jmp))
		return false;
	parse_document(p);
	return true;
}

DocNode *toml_parse(Arena *a, Diag *d, uint32_t file, const char *text,
		    size_t len)
{
	Parser p;
	/* in the tree's arena, whose memory the next file reuses */
	char *copy = arena_strndup(a, text, len);
	Loc start = {file, 1, 1};
	DocNode *root;

	memset(&p, 0, sizeof p);
	p.a = a;
	p.d = d;
	p.file = file;
	p.text = copy;
	p.end = copy + len;
	if (len >= 3 && memcmp(copy, "\xef\xbb\xbf", 3) == 0)
		p.text += 3; /* a byte order mark is not a column */
	p.cur = p.line_start = p.col_pos = p.text;
	p.line = p.col = 1;
	p.root = p.table = doc_new(a, DOC_TABLE, start);
	root = parse_all(&p) ? p.root : NULL;
	free(p.keys);
	buf_free(&p.str);
	buf_free(&p.msg[0]);
	buf_free(&p.msg[1]);
	return root;
}
