/*
 * json.c - the JSON token scan: the strict JSON checks that libyaml, which
 * reads our JSON, does not make.
 *
 * yaml.c reads JSON through libyaml, as YAML, which accepts far more than
 * JSON (comments, single quotes, unquoted strings, trailing commas, block
 * style...).  Before libyaml sees the text, json_scan() rejects all of
 * that without being a JSON parser: it knows strings, numbers, literals
 * and punctuation and checks which token may follow which, but not the
 * bracket structure, which libyaml checks.  It stops at the first problem
 * and says where libyaml must stop reading (the "cut", yaml.c), so that
 * the earliest error in the file is the one reported, whoever finds it.
 *
 * Double-quoted strings are decoded here (json_decode_string()), as JSON
 * defines them, because libyaml rejects surrogate-pair escapes and some
 * raw characters JSON allows (DEL, C1 controls, U+FFFE): the copy of the
 * text given to libyaml has those replaced by harmless characters of the
 * same length.  Line breaks between a key and its ':' are hidden the same
 * way, as libyaml reads keys as YAML implicit keys, on one line.  What
 * remains is a limitation of libyaml: a ':' must come at most 1024
 * characters after the start of its key.  Lone surrogate escapes are
 * errors (they have no UTF-8 form).
 *
 * Apart from yaml.c so that each file has one grammar: this one needs
 * nothing of libyaml, and yaml.c keeps the tree builder over its events.
 * Built only with libyaml, like yaml.c, its one caller.
 */
#include "read/read.h"

#ifdef HAVE_LIBYAML

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF(f, a)
#endif

/* One json_scan(): the text, and where its findings go. */
typedef struct Scan {
	const char *text, *end;
	JsonScan *out;
	char desc[64]; /* a character rendered for messages */
} Scan;

/* The first problem found at s, in the token or line that starts at cut:
 * libyaml is to read the text before cut only, so that a token cut in half
 * cannot confuse it. */
static PRINTF(4, 5) void set_cut(Scan *p, const char *cut, const char *s,
				 const char *fmt, ...)
{
	JsonScan *o = p->out;
	va_list ap;
	if (o->found)
		return;
	o->found = true;
	o->cut = cut;
	o->at = s;
	va_start(ap, fmt);
	buf_vprintf(&o->msg, fmt, ap);
	va_end(ap);
}

static void utf8_cut(Scan *p, const char *cut, const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0xc2 || c > 0xf4)
		set_cut(p, cut, s, "invalid UTF-8 byte 0x%02x", c);
	else
		set_cut(p, cut, s, "invalid UTF-8 sequence starting with byte "
			"0x%02x", c);
}

/* The character at s, for messages. */
static const char *describe(Scan *p, const char *s)
{
	return describe_char(p->desc, sizeof p->desc, s, p->end);
}

/* ---- Tokens -------------------------------------------------------------- */

/* The token before the current one. */
enum { J_NONE, J_OBJECT, J_ARRAY, J_COMMA, J_COLON, J_STRING, J_VALUE,
       J_CLOSE };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Four hex digits at s as a number, or -1. */
static long hex4(const char *s, const char *end)
{
	long v = 0;
	int i;
	if (end - s < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		int h = hex_digit(s[i]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* Replace n bytes at s in the copy of the text given to libyaml. */
static void patch(Scan *p, const char *s, const char *with, size_t n)
{
	char **patched = &p->out->patched;
	if (!*patched) {
		size_t len = (size_t)(p->end - p->text);
		*patched = xmalloc(len + 1);
		memcpy(*patched, p->text, len);
	}
	memcpy(*patched + (s - p->text), with, n);
}

/* The escape sequence at s (a backslash) in the string opened at q;
 * returns what follows it, or NULL after setting the cut. */
static const char *scan_escape(Scan *p, const char *q, const char *s)
{
	long u, lo;
	if (s + 1 >= p->end) {
		set_cut(p, q, s + 1, "missing closing quote at end of file");
		return NULL;
	}
	switch (s[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r':
	case 't':
		return s + 2;
	case 'u':
		break;
	default:
		if (s[1] > 0x20 && s[1] < 0x7f)
			set_cut(p, q, s, "invalid escape sequence '\\%c'",
				s[1]);
		else
			set_cut(p, q, s, "invalid escape sequence: '\\' "
				"followed by %s", describe(p, s + 1));
		return NULL;
	}
	u = hex4(s + 2, p->end);
	if (u < 0) {
		set_cut(p, q, s, "expected 4 hexadecimal digits after '\\u'");
		return NULL;
	}
	if (u < 0xd800 || u > 0xdfff)
		return s + 6;
	/* A surrogate pair, which libyaml rejects: the string is decoded
	 * here, so libyaml is shown a space instead. */
	if (u <= 0xdbff && p->end - s >= 12 && s[6] == '\\' && s[7] == 'u' &&
	    (lo = hex4(s + 8, p->end)) >= 0xdc00 && lo <= 0xdfff) {
		patch(p, s + 2, "0020", 4);
		patch(p, s + 8, "0020", 4);
		return s + 12;
	}
	set_cut(p, q, s, "invalid escape '\\u%.4s': an unpaired surrogate",
		s + 2);
	return NULL;
}

/* A string from its opening quote at s; returns what follows it, or NULL
 * after setting the cut. */
static const char *scan_string(Scan *p, const char *s)
{
	const char *q = s;
	for (s++;;) {
		unsigned char c;
		uint32_t cp;
		int n;
		if (s >= p->end) {
			set_cut(p, q, s, "missing closing quote at end of "
				"file");
			return NULL;
		}
		c = (unsigned char)*s;
		if (c == '"')
			return s + 1;
		if (c == '\\') {
			if (!(s = scan_escape(p, q, s)))
				return NULL;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			s++;
			continue;
		}
		if (c == '\n' || c == '\r') {
			set_cut(p, q, s, "missing closing quote at end of "
				"line");
			return NULL;
		}
		if (c < 0x20) {
			set_cut(p, q, s, "control character '\\u%04X' is not "
				"allowed in a string (write it as an escape)",
				c);
			return NULL;
		}
		/* Characters JSON allows and libyaml rejects or takes for
		 * line breaks are replaced in libyaml's copy. */
		if (c == 0x7f) {
			patch(p, s++, " ", 1);
			continue;
		}
		n = utf8_decode((const unsigned char *)s, (size_t)(p->end - s),
				&cp);
		if (n <= 0) {
			utf8_cut(p, q, s);
			return NULL;
		}
		if (cp < 0xa0)
			patch(p, s, "\xc2\xa0", 2);
		else if (cp == 0x2028 || cp == 0x2029 || cp == 0xfffe ||
			 cp == 0xffff)
			patch(p, s, "\xef\xbf\xbd", 3);
		s += n;
	}
}

static const char *skip_digits(const char *s, const char *e)
{
	while (s < e && is_digit(*s))
		s++;
	return s;
}

/* A number (RFC 8259) at s; returns what follows it, or NULL after setting
 * the cut. */
static const char *scan_number(Scan *p, const char *s)
{
	const char *q = s + (*s == '-'), *e = p->end;
	if (q >= e || !is_digit(*q)) {
		set_cut(p, s, q, "expected a digit after '-', found %s",
			describe(p, q));
		return NULL;
	}
	if (*q == '0' && q + 1 < e && is_digit(q[1])) {
		set_cut(p, s, q, "leading zeros are not allowed in JSON "
			"numbers");
		return NULL;
	}
	q = skip_digits(q, e);
	if (q < e && *q == '.') {
		if (++q >= e || !is_digit(*q)) {
			set_cut(p, s, q, "expected a digit after '.', found %s",
				describe(p, q));
			return NULL;
		}
		q = skip_digits(q, e);
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		if (++q < e && (*q == '+' || *q == '-'))
			q++;
		if (q >= e || !is_digit(*q)) {
			set_cut(p, s, q, "expected a digit in the exponent, "
				"found %s", describe(p, q));
			return NULL;
		}
		q = skip_digits(q, e);
	}
	if (q < e && (is_alpha(*q) || is_digit(*q) || *q == '.' || *q == '+' ||
		      *q == '-' || *q == '_')) {
		set_cut(p, s, q, "unexpected %s in number", describe(p, q));
		return NULL;
	}
	return q;
}

/* true, false or null at s; returns what follows it, or NULL after setting
 * the cut. */
static const char *scan_word(Scan *p, const char *s)
{
	static const char *const words[] = {"true", "false", "null"};
	const char *q = s, *more;
	size_t i, j, n, shown;
	while (q < p->end && (is_alpha(*q) || is_digit(*q) || *q == '_'))
		q++;
	n = (size_t)(q - s);
	/* a word is ASCII: quoted as is, up to 60 characters */
	shown = n > 60 ? 60 : n;
	more = n > 60 ? "..." : "";
	for (i = 0; i < ARRAY_LEN(words); i++)
		if (strlen(words[i]) == n && memcmp(s, words[i], n) == 0)
			return q;
	for (i = 0; i < ARRAY_LEN(words); i++) {
		for (j = 0; j < n && words[i][j]; j++)
			if ((s[j] | 0x20) != words[i][j])
				break;
		if (j == n && !words[i][j]) {
			set_cut(p, s, s, "invalid value '%.*s%s': did you "
				"mean '%s'?", (int)shown, s, more, words[i]);
			return NULL;
		}
	}
	set_cut(p, s, s, "invalid value '%.*s%s' (strings must be in "
		"double quotes)", (int)shown, s, more);
	return NULL;
}

static void unexpected(Scan *p, const char *s, const char *after)
{
	uint32_t cp;
	if ((unsigned char)*s >= 0x80 &&
	    utf8_decode((const unsigned char *)s, (size_t)(p->end - s),
			&cp) <= 0)
		utf8_cut(p, s, s);
	else
		set_cut(p, s, s, "unexpected %s%s", describe(p, s), after);
}

/* May a value (a key if string) start at s after token prev? */
static bool value_may_follow(Scan *p, int prev, const char *s, bool string)
{
	switch (prev) {
	case J_NONE: case J_ARRAY: case J_COMMA: case J_COLON:
		return true;
	case J_OBJECT:
		if (!string)
			set_cut(p, s, s, "object keys must be strings");
		return string;
	case J_STRING:
		set_cut(p, s, s, "expected ',' or ':' before %s",
			describe(p, s));
		return false;
	default:
		set_cut(p, s, s, "expected ',' before %s", describe(p, s));
		return false;
	}
}

/* ---- The scan ------------------------------------------------------------ */

/* JSON's tokens, and which may follow which.  The bracket structure is
 * libyaml's to check; so are object keys after a comma, through the
 * events.  Stops at the first problem, which becomes the cut. */
static void scan(Scan *p)
{
	const char *s = p->text, *e = p->end, *last = NULL, *comma = NULL;
	const char *prev_end = s, *q;
	int prev = J_NONE, tok;
	size_t depth = 0;

	for (;;) {
		while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' ||
				 *s == '\r')) {
			/* Outside collections libyaml may take a tab for
			 * indentation, which YAML forbids. */
			if (*s == '\t' && depth == 0)
				patch(p, s, " ", 1);
			s++;
		}
		if (s >= e)
			break;
		if (depth == 0 && (prev == J_STRING || prev == J_VALUE ||
				   prev == J_CLOSE)) {
			unexpected(p, s, " after the JSON value");
			return;
		}
		switch (*s) {
		case '{':
		case '[':
			if (!value_may_follow(p, prev, s, false))
				return;
			tok = *s++ == '{' ? J_OBJECT : J_ARRAY;
			depth++;
			break;
		case '}':
		case ']':
			if (prev == J_COMMA) {
				set_cut(p, comma, comma,
					"trailing comma before '%c'", *s);
				return;
			}
			if (prev == J_COLON || depth == 0) {
				set_cut(p, s, s, "expected a value, found '%c'",
					*s);
				return;
			}
			depth--;
			s++;
			tok = J_CLOSE;
			break;
		case ',':
			if (prev != J_STRING && prev != J_VALUE &&
			    prev != J_CLOSE) {
				set_cut(p, s, s, "expected a value, found ','");
				return;
			}
			comma = s++;
			tok = J_COMMA;
			break;
		case ':':
			if (prev == J_VALUE || prev == J_CLOSE) {
				set_cut(p, last, last,
					"object keys must be strings");
				return;
			}
			if (prev != J_STRING) {
				set_cut(p, s, s, "expected a key before ':'");
				return;
			}
			/* libyaml wants a key and its ':' on one line. */
			for (q = prev_end; q < s; q++)
				if (*q == '\n' || *q == '\r')
					patch(p, q, " ", 1);
			s++;
			tok = J_COLON;
			break;
		case '"':
			if (!value_may_follow(p, prev, s, true) ||
			    !(s = scan_string(p, s)))
				return;
			tok = J_STRING;
			break;
		case '/':
		case '#':
			set_cut(p, s, s, "comments are not allowed in JSON");
			return;
		case '\'':
			set_cut(p, s, s, "strings must be in double quotes in "
				"JSON");
			return;
		case '+':
		case '.':
			set_cut(p, s, s, "a JSON number cannot start with "
				"'%c'", *s);
			return;
		default:
			if (*s != '-' && !is_digit(*s) && !is_alpha(*s)) {
				unexpected(p, s, "");
				return;
			}
			if (!value_may_follow(p, prev, s, false))
				return;
			last = s;
			s = *s == '-' || is_digit(*s) ? scan_number(p, s)
						      : scan_word(p, s);
			if (!s)
				return;
			tok = J_VALUE;
			break;
		}
		if (tok != J_VALUE)
			last = tok == J_CLOSE ? s - 1 : NULL;
		prev = tok;
		prev_end = s;
	}
	/* An unclosed collection is left to libyaml, which names it. */
	if (prev == J_NONE || prev == J_COMMA || prev == J_COLON)
		set_cut(p, e, e, "expected a %svalue, found end of file",
			prev == J_NONE ? "JSON " : "");
	else if (prev == J_OBJECT)
		set_cut(p, e, e, "expected a key or '}', found end of file");
	else if (prev == J_ARRAY)
		set_cut(p, e, e, "expected a value or ']', found end of file");
}

void json_scan(const char *text, const char *end, JsonScan *out)
{
	Scan p;
	memset(out, 0, sizeof *out);
	p.text = text;
	p.end = end;
	p.out = out;
	scan(&p);
}

/* ---- Values, for yaml.c's events ----------------------------------------- */

/* A JSON number (RFC 8259) in [s, e); *is_float if it has a fraction or an
 * exponent. */
bool json_number(const char *s, const char *e, bool *is_float)
{
	const char *q = s + (s < e && *s == '-');
	if (q >= e || !is_digit(*q))
		return false;
	if (*q == '0' && q + 1 < e && is_digit(q[1]))
		return false;
	*is_float = false;
	q = skip_digits(q, e);
	if (q < e && *q == '.') {
		*is_float = true;
		if (++q >= e || !is_digit(*q))
			return false;
		q = skip_digits(q, e);
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		*is_float = true;
		if (++q < e && (*q == '+' || *q == '-'))
			q++;
		if (q >= e || !is_digit(*q))
			return false;
		q = skip_digits(q, e);
	}
	return q == e;
}

void json_decode_string(Buf *b, const char *s, const char *e)
{
	buf_clear(b);
	for (s++; s < e && *s != '"';) {
		const char *run = s;
		char utf8[4];
		long cp, lo;
		while (s < e && *s != '"' && *s != '\\')
			s++;
		buf_put(b, run, (size_t)(s - run));
		if (s + 1 >= e || *s == '"')
			break;
		switch (s[1]) {
		case 'b': buf_putc(b, '\b'); break;
		case 'f': buf_putc(b, '\f'); break;
		case 'n': buf_putc(b, '\n'); break;
		case 'r': buf_putc(b, '\r'); break;
		case 't': buf_putc(b, '\t'); break;
		case 'u':
			cp = hex4(s + 2, e);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				lo = hex4(s + 8, e);
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				s += 6;
			}
			buf_put(b, utf8,
				(size_t)utf8_encode((uint32_t)cp, utf8));
			s += 4;
			break;
		default: buf_putc(b, s[1]); break;
		}
		s += 2;
	}
}

#else

/* Without libyaml only TOML specs are read (see format_supported()). */
typedef int json_unused;

#endif
