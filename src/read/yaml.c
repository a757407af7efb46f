/*
 * yaml.c - the YAML and JSON reader, on top of libyaml; json.c holds the
 * JSON checks that libyaml does not make.
 *
 * libyaml's event API (yaml_parser_parse) turns the text into a flat stream
 * of events: start and end of mappings and sequences, scalars, aliases.  The
 * document tree is built from them with an explicit stack of open
 * containers, so nothing here recurses and the depth is known at every
 * event.  Choices that shape the code:
 *
 *  - Scalars are resolved with the YAML 1.2 core schema, not the YAML 1.1
 *    rules of libyaml-based loaders such as PyYAML (libyaml itself leaves
 *    resolution to its caller): only plain scalars are resolved, and only
 *    null, true/false, decimal, 0x and 0o integers and floats are
 *    recognised.  So `no`, `on` and `yes` stay strings (the "Norway
 *    problem"), and `1_000` or `0b1` are strings rather than numbers.  One
 *    deliberate addition: a decimal integer with a leading zero (`0755`) is
 *    an error, because YAML 1.1 tools read it as octal and 1.2 tools as
 *    decimal; a spec must not mean different things to different tools.
 *  - Explicit standard tags (!!str, !!int, !!float, !!bool, !!null, !!map,
 *    !!seq) are honoured; any other tag is an error, as nothing downstream
 *    could make sense of it.
 *  - Anchors and aliases are rejected: aliases turn a few hundred bytes into
 *    an exponentially large tree ("billion laughs"), and a spec has no need
 *    to share nodes.  So are documents past the first.
 *  - Locations are computed here, not taken from libyaml's line and column:
 *    libyaml also breaks lines at a lone CR, NEL, U+2028 and U+2029 (YAML
 *    1.1 rules), where the rest of xenbindgen sees no line break.  Its
 *    mark.index counts code points from the start of the input, and a
 *    cursor walks the text forwards to each position asked for (events come
 *    in text order), so the whole file costs linear time.
 *  - The text is checked before libyaml sees it: UTF-8 and the characters
 *    YAML allows, and in JSON mode the JSON tokens (json.c).  libyaml is
 *    then given only the text before the first problem found (the "cut"),
 *    so that the earliest error in the file is the one reported, whoever
 *    finds it.  As in the TOML reader, the first error ends the parse.
 *  - JSON (json == true): libyaml reads JSON as YAML, which accepts far more
 *    (comments, single quotes, unquoted strings, trailing commas, block
 *    style...).  json.c's token scan rejects all of that first and gives
 *    libyaml a copy of the text where what libyaml would misread is
 *    replaced (json.c says what and why).  Events must then be flow
 *    collections opened by '{' or '[', double-quoted strings and JSON
 *    literals; double-quoted strings are decoded by json.c, as JSON defines
 *    them.  Duplicate keys are errors in JSON too.
 */
#include "read/read.h"

#ifdef HAVE_LIBYAML

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#if defined(__GNUC__)
#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF(f, a)
#endif

/* An open mapping or sequence. */
typedef struct Frame {
	DocNode *node;
	uint32_t key;  /* table: the entry waiting for its value */
	bool has_key;
} Frame;

typedef struct Parser {
	Arena *a;
	Diag *d;
	uint32_t file;
	bool json;
	const char *text, *end; /* the input, after any byte order mark */
	/* Cursor: pos is code point idx of the text, at line:col. */
	const char *pos;
	size_t idx;
	uint32_t line, col;
	/* The first problem the pre-scan found, at cut_at: libyaml sees
	 * [text, cut), where cut is the start of the token or line. */
	const char *cut, *cut_at;
	bool has_cut;
	Buf cut_msg;
	char *patched; /* JSON: the text given to libyaml, if it differs */
	yaml_parser_t yp;
	yaml_event_t ev;
	bool ev_live;
	Frame stack[MAX_DOC_DEPTH + 1];
	int depth;      /* open containers */
	DocNode *root;
	bool root_empty; /* the document is an empty plain scalar */
	int documents;
	Buf str;        /* decoded JSON strings */
	Buf msg;        /* keys and values rendered for messages */
	jmp_buf jmp;
} Parser;

/* ---- Locations ----------------------------------------------------------- */

static bool is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Code points in [s, e). */
static uint32_t count_cols(const char *s, const char *e)
{
	uint32_t n = 0;
	for (; s < e; s++)
		n += !is_cont(*s);
	return n;
}

static void step_forward(Parser *p)
{
	char c = *p->pos++;
	while (p->pos < p->end && is_cont(*p->pos))
		p->pos++;
	p->idx++;
	if (c == '\n') {
		p->line++;
		p->col = 1;
	} else {
		p->col++;
	}
}

/* Steps back one code point; returns true if it crossed a line break, after
 * which the column must be recomputed. */
static bool step_back(Parser *p)
{
	do
		p->pos--;
	while (p->pos > p->text && is_cont(*p->pos));
	p->idx--;
	if (*p->pos == '\n') {
		p->line--;
		return true;
	}
	p->col--;
	return false;
}

static void fix_col(Parser *p)
{
	const char *ls = p->pos;
	while (ls > p->text && ls[-1] != '\n')
		ls--;
	p->col = 1 + count_cols(ls, p->pos);
}

/* Skip the run of ASCII characters other than line breaks that starts at
 * the cursor, up to lim: one code point and one column per byte.  Every
 * event's location is found by walking the cursor forwards, so the cursor
 * crosses the whole file; this is how it crosses most of it. */
static void skip_ascii(Parser *p, const char *lim)
{
	const char *q = p->pos;
	size_t n;
	while (q < lim && (unsigned char)*q < 0x80 && *q != '\n')
		q++;
	n = (size_t)(q - p->pos);
	p->pos = q;
	p->idx += n;
	p->col += (uint32_t)n;
}

/* Move the cursor to s, a position in the text. */
static void seek(Parser *p, const char *s)
{
	bool crossed = false;
	if (s > p->end)
		s = p->end;
	while (p->pos < s) {
		skip_ascii(p, s);
		if (p->pos < s)
			step_forward(p);
	}
	while (p->pos > s)
		crossed |= step_back(p);
	if (crossed)
		fix_col(p);
}

/* Move the cursor to code point idx (a libyaml mark) and return where that
 * is in the text. */
static const char *seek_index(Parser *p, size_t idx)
{
	bool crossed = false;
	while (p->idx < idx && p->pos < p->end) {
		size_t room = (size_t)(p->end - p->pos);
		skip_ascii(p, p->pos + (idx - p->idx < room ? idx - p->idx : room));
		if (p->idx < idx && p->pos < p->end)
			step_forward(p);
	}
	while (p->idx > idx && p->pos > p->text)
		crossed |= step_back(p);
	if (crossed)
		fix_col(p);
	return p->pos;
}

static Loc loc_at(Parser *p, const char *s)
{
	Loc l;
	seek(p, s);
	l.file = p->file;
	l.line = p->line;
	l.col = p->col;
	return l;
}

/* Where the current event starts. */
static const char *event_at(Parser *p)
{
	return seek_index(p, p->ev.start_mark.index);
}

/* ---- Messages and errors ------------------------------------------------- */

/* Append len bytes of s as message text, never raw control characters:
 * C0 and C1 controls, DEL and line separators are escaped (and quotes and
 * backslashes if quoted).  Cut short after limit code points. */
static void put_text(Buf *b, const char *s, size_t len, size_t limit,
		     bool quoted)
{
	size_t i = 0, n = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		int w;
		if (n++ == limit) {
			buf_puts(b, "...");
			return;
		}
		if (c >= 0x80) {
			w = utf8_decode((const unsigned char *)s + i, len - i,
					&cp);
			if (w <= 0) {
				buf_printf(b, "\\x%02X", c);
				w = 1;
			} else if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029) {
				buf_printf(b, "\\u%04X", (unsigned)cp);
			} else {
				buf_put(b, s + i, (size_t)w);
			}
			i += (size_t)w;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04X", c);
		else if (quoted && (c == '"' || c == '\\'))
			buf_printf(b, "\\%c", c);
		else
			buf_putc(b, (char)c);
		i++;
	}
}

/* A value's text for messages. */
static const char *span(Parser *p, const char *s, size_t len)
{
	buf_clear(&p->msg);
	put_text(&p->msg, s, len, 60, false);
	return buf_cstr(&p->msg);
}

/* A key for messages: as is if it is a word, double-quoted otherwise. */
static const char *key_text(Parser *p, const char *s, size_t len)
{
	size_t i;
	bool bare = len > 0;
	for (i = 0; i < len && bare; i++) {
		char c = s[i];
		bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		       (c >= '0' && c <= '9') || c == '_' || c == '-';
	}
	buf_clear(&p->msg);
	if (!bare)
		buf_putc(&p->msg, '"');
	put_text(&p->msg, s, len, 80, !bare);
	if (!bare)
		buf_putc(&p->msg, '"');
	return buf_cstr(&p->msg);
}

static _Noreturn void bail(Parser *p)
{
	longjmp(p->jmp, 1);
}

/* The pre-scan found a problem at s, in the token or line that starts at
 * cut.  libyaml is shown the text before cut only, so that a token cut in
 * half cannot confuse it, and the error is reported unless libyaml finds
 * an earlier one. */
static PRINTF(4, 5) void set_cut(Parser *p, const char *cut, const char *s,
				 const char *fmt, ...)
{
	va_list ap;
	if (p->has_cut)
		return;
	p->has_cut = true;
	p->cut = cut;
	p->cut_at = s;
	va_start(ap, fmt);
	buf_vprintf(&p->cut_msg, fmt, ap);
	va_end(ap);
}

static void utf8_cut(Parser *p, const char *cut, const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0xc2 || c > 0xf4)
		set_cut(p, cut, s, "invalid UTF-8 byte 0x%02x", c);
	else
		set_cut(p, cut, s, "invalid UTF-8 sequence starting with byte "
			"0x%02x", c);
}

static _Noreturn void report_cut(Parser *p)
{
	diag_error(p->d, loc_at(p, p->cut_at), "%s", buf_cstr(&p->cut_msg));
	bail(p);
}

/* Report an error at s.  If the pre-scan found a problem at or before s,
 * that one is reported instead (libyaml's trouble at the cut is only its
 * consequence) and the parse ends. */
static PRINTF(3, 4) void report(Parser *p, const char *s, const char *fmt,
				...)
{
	va_list ap;
	if (p->has_cut && s >= p->cut)
		report_cut(p);
	va_start(ap, fmt);
	diag_vreport(p->d, DIAG_ERROR, loc_at(p, s), fmt, ap);
	va_end(ap);
}

static _Noreturn PRINTF(3, 4) void fail(Parser *p, const char *s,
					const char *fmt, ...)
{
	va_list ap;
	if (p->has_cut && s >= p->cut)
		report_cut(p);
	va_start(ap, fmt);
	diag_vreport(p->d, DIAG_ERROR, loc_at(p, s), fmt, ap);
	va_end(ap);
	bail(p);
}

/* ---- The pre-scans ------------------------------------------------------- */

/* YAML text is UTF-8 made of tab, line breaks and printable characters
 * (c-printable): no C0 or C1 controls but NEL, no DEL, no U+FFFE or
 * U+FFFF.  libyaml checks this too, but reports byte offsets. */
static void scan_yaml(Parser *p)
{
	const char *s = p->text, *line = s;
	while (s < p->end) {
		unsigned char c;
		uint32_t cp;
		int n;
		/* printable ASCII, most of any spec, in a tight loop */
		while (s < p->end && (unsigned char)(*s - 0x20) < 0x5f)
			s++;
		if (s == p->end)
			break;
		c = (unsigned char)*s;
		if (c == '\t' || c == '\r') {
			s++;
			continue;
		}
		if (c == '\n') {
			line = ++s;
			continue;
		}
		if (c < 0x80) {
			set_cut(p, line, s, "control character '\\u%04X' is not "
				"allowed in YAML", c);
			return;
		}
		n = utf8_decode((const unsigned char *)s, (size_t)(p->end - s),
				&cp);
		if (n <= 0) {
			utf8_cut(p, line, s);
			return;
		}
		if (cp < 0xa0 && cp != 0x85) {
			set_cut(p, line, s, "control character '\\u%04X' is not "
				"allowed in YAML", (unsigned)cp);
			return;
		}
		if (cp == 0xfffe || cp == 0xffff) {
			set_cut(p, line, s, "character U+%04X is not allowed in "
				"YAML", (unsigned)cp);
			return;
		}
		s += n;
	}
}

/* The JSON token scan (json.c): its first problem becomes the cut, and
 * libyaml reads its patched copy of the text, if any. */
static void scan_json(Parser *p)
{
	JsonScan js;
	json_scan(p->text, p->end, &js);
	p->patched = js.patched;
	if (js.found)
		set_cut(p, js.cut, js.at, "%s", buf_cstr(&js.msg));
	buf_free(&js.msg);
}

/* ---- Characters ---------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_digits(const char *s, const char *e)
{
	while (s < e && is_digit(*s))
		s++;
	return s;
}

/* ---- Scalars ------------------------------------------------------------- */

/* The standard tags, as libyaml expands them. */
#define STD_TAG_PREFIX "tag:yaml.org,2002:"

static const struct {
	const char *name;
	DocKind kind;
} std_tags[] = {
	{"str", DOC_STRING}, {"int", DOC_INTEGER}, {"float", DOC_FLOAT},
	{"bool", DOC_BOOL},  {"null", DOC_NULL},   {"map", DOC_TABLE},
	{"seq", DOC_ARRAY},
};

/* The index in std_tags of an explicit tag; fails on any other tag. */
static size_t tag_index(Parser *p, const char *at, const yaml_char_t *tag)
{
	const char *t = (const char *)tag;
	size_t n = strlen(STD_TAG_PREFIX), i;
	if (p->json)
		fail(p, at, "tags are not allowed in JSON");
	if (strncmp(t, STD_TAG_PREFIX, n) == 0)
		for (i = 0; i < ARRAY_LEN(std_tags); i++)
			if (strcmp(t + n, std_tags[i].name) == 0)
				return i;
	buf_clear(&p->msg);
	if (strncmp(t, STD_TAG_PREFIX, n) == 0) {
		buf_puts(&p->msg, "!!");
		t += n;
	}
	put_text(&p->msg, t, strlen(t), 60, false);
	fail(p, at, "unsupported tag '%s' (specs may use only !!str, !!int, "
	     "!!float, !!bool, !!null, !!map and !!seq)", buf_cstr(&p->msg));
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL"};
static const char *const true_words[] = {"true", "True", "TRUE"};
static const char *const false_words[] = {"false", "False", "FALSE"};

static bool one_of(const char *s, size_t n, const char *const *words,
		   size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		if (strlen(words[i]) == n && memcmp(s, words[i], n) == 0)
			return true;
	return false;
}

static bool all_digits(const char *s, const char *e, int base)
{
	if (s >= e)
		return false;
	for (; s < e; s++) {
		int h = hex_digit(*s);
		if (h < 0 || h >= base)
			return false;
	}
	return true;
}

/* A core-schema integer in [s, e): sets the base and where its digits
 * start, or returns false. */
static bool match_int(const char *s, const char *e, unsigned *base,
		      const char **digits)
{
	const char *q = s;
	if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		*base = s[1] == 'x' ? 16 : 8;
		*digits = s + 2;
		return all_digits(s + 2, e, (int)*base);
	}
	if (q < e && (*q == '+' || *q == '-'))
		q++;
	*base = 10;
	*digits = q;
	return all_digits(q, e, 10);
}

/* A core-schema float in [s, e), but for infinities and NaN. */
static bool match_float(const char *s, const char *e)
{
	const char *q = s;
	if (q < e && (*q == '+' || *q == '-'))
		q++;
	if (q < e && *q == '.') {
		if (++q >= e || !is_digit(*q))
			return false;
		q = skip_digits(q, e);
	} else {
		if (q >= e || !is_digit(*q))
			return false;
		q = skip_digits(q, e);
		if (q < e && *q == '.')
			q = skip_digits(q + 1, e);
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		if (++q < e && (*q == '+' || *q == '-'))
			q++;
		if (q >= e || !is_digit(*q))
			return false;
		q = skip_digits(q, e);
	}
	return q == e;
}

static DocNode *new_float(Parser *p, Loc loc, const char *s, size_t n,
			  double f)
{
	DocNode *node = doc_new(p->a, DOC_FLOAT, loc);
	node->u.str.s = arena_strndup(p->a, s, n);
	node->u.str.len = n;
	node->u.str.f = f;
	return node;
}

/* An integer already matched by match_int (or match_json_number). */
static DocNode *make_int(Parser *p, const char *at, Loc loc, const char *s,
			 size_t n)
{
	const char *e = s + n, *q;
	unsigned base, digit;
	bool neg = *s == '-';
	uint64_t v = 0, limit;
	DocNode *node;

	match_int(s, e, &base, &q);
	if (base == 10 && *q == '0' && e - q > 1)
		fail(p, at, "integer '%s' has a leading zero, which YAML 1.1 "
		     "reads as octal and YAML 1.2 as decimal: write it without "
		     "the zero, or with the 0o prefix for octal",
		     span(p, s, n));
	limit = (uint64_t)INT64_MAX + (neg && base == 10);
	for (; q < e; q++) {
		digit = (unsigned)hex_digit(*q);
		if (v > (limit - digit) / base)
			fail(p, at, "integer %s does not fit in 64 bits",
			     span(p, s, n));
		v = v * base + digit;
	}
	node = doc_new(p->a, DOC_INTEGER, loc);
	node->u.i = !neg ? (int64_t)v
			 : v > INT64_MAX ? INT64_MIN : -(int64_t)v;
	return node;
}

/* A float already matched by match_float.  strtod follows LC_NUMERIC:
 * xenbindgen never calls setlocale(), so the decimal point is '.'. */
static DocNode *make_float(Parser *p, const char *at, Loc loc, const char *s,
			   size_t n)
{
	double f;
	buf_clear(&p->str);
	buf_put(&p->str, s, n);
	errno = 0;
	f = strtod(buf_cstr(&p->str), NULL);
	if (errno == ERANGE && (f == HUGE_VAL || f == -HUGE_VAL))
		fail(p, at, "float %s is out of range", span(p, s, n));
	return new_float(p, loc, s, n, f);
}

/* .inf, -.Inf, .NAN...: sets *f, or returns false. */
static bool match_special(const char *s, size_t n, double *f)
{
	static const char *const infs[] = {".inf", ".Inf", ".INF"};
	static const char *const nans[] = {".nan", ".NaN", ".NAN"};
	bool neg = n > 0 && *s == '-';
	size_t sign = n > 0 && (*s == '-' || *s == '+');
	if (one_of(s + sign, n - sign, infs, ARRAY_LEN(infs))) {
		*f = neg ? -HUGE_VAL : HUGE_VAL;
		return true;
	}
	if (one_of(s, n, nans, ARRAY_LEN(nans))) {
		*f = NAN;
		return true;
	}
	return false;
}

/* A scalar's text resolved by the core schema (want < 0: plain and
 * untagged), or as the kind its tag asks for. */
static DocNode *resolve(Parser *p, const char *at, Loc loc, const char *s,
			size_t n, int want, const char *tag)
{
	const char *e = s + n, *digits;
	unsigned base;
	double f;
	DocNode *node;

	if (want == DOC_STRING)
		return doc_new_string(p->a, loc, s, n);
	if ((want < 0 || want == DOC_NULL) &&
	    one_of(s, n, null_words, ARRAY_LEN(null_words)))
		return doc_new(p->a, DOC_NULL, loc);
	if (want < 0 || want == DOC_BOOL) {
		bool t = one_of(s, n, true_words, ARRAY_LEN(true_words));
		if (t || one_of(s, n, false_words, ARRAY_LEN(false_words))) {
			node = doc_new(p->a, DOC_BOOL, loc);
			node->u.b = t;
			return node;
		}
	}
	if ((want < 0 || want == DOC_INTEGER) &&
	    match_int(s, e, &base, &digits))
		return make_int(p, at, loc, s, n);
	if (want < 0 || want == DOC_FLOAT) {
		if (match_special(s, n, &f))
			return new_float(p, loc, s, n, f);
		if (match_float(s, e))
			return make_float(p, at, loc, s, n);
	}
	if (want < 0)
		return doc_new_string(p->a, loc, s, n);
	fail(p, at, "invalid !!%s value '%s'", tag, span(p, s, n));
}

/* JSON: a double-quoted string or a literal, nothing else. */
static DocNode *json_scalar(Parser *p, const char *at, Loc loc)
{
	const yaml_event_t *ev = &p->ev;
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	bool is_float;
	DocNode *node;

	if (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		if (at < p->end && *at == '"') {
			json_decode_string(&p->str, at, p->end);
			return doc_new_string(p->a, loc, buf_cstr(&p->str),
					      p->str.len);
		}
		return doc_new_string(p->a, loc, s, n);
	}
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		fail(p, at, "strings must be in double quotes in JSON");
	if (n == 0 && at < p->end && *at == ':')
		fail(p, at, "this ':' is more than 1024 characters after the "
		     "start of its key, which libyaml cannot read");
	if (n == 0)
		fail(p, at, "expected ':' and a value after the key");
	if (one_of(s, n, null_words + 2, 1))
		return doc_new(p->a, DOC_NULL, loc);
	if (one_of(s, n, true_words, 1) || one_of(s, n, false_words, 1)) {
		node = doc_new(p->a, DOC_BOOL, loc);
		node->u.b = *s == 't';
		return node;
	}
	if (!json_number(s, s + n, &is_float))
		fail(p, at, "invalid value '%s' (strings must be in double "
		     "quotes)", span(p, s, n));
	return is_float ? make_float(p, at, loc, s, n)
			: make_int(p, at, loc, s, n);
}

static DocNode *scalar_node(Parser *p, const char *at)
{
	const yaml_event_t *ev = &p->ev;
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	yaml_scalar_style_t style = ev->data.scalar.style;
	Loc loc = loc_at(p, at);
	DocNode *node;

	if (ev->data.scalar.anchor)
		fail(p, at, "YAML anchors are not supported in specs");
	if (ev->data.scalar.tag) {
		size_t i = tag_index(p, at, ev->data.scalar.tag);
		if (std_tags[i].kind == DOC_TABLE ||
		    std_tags[i].kind == DOC_ARRAY)
			fail(p, at, "tag !!%s cannot be used on a scalar",
			     std_tags[i].name);
		node = resolve(p, at, loc, s, n, std_tags[i].kind,
			       std_tags[i].name);
	} else if (p->json) {
		node = json_scalar(p, at, loc);
	} else if (style == YAML_PLAIN_SCALAR_STYLE) {
		node = resolve(p, at, loc, s, n, -1, NULL);
	} else {
		node = doc_new_string(p->a, loc, s, n);
	}
	if (style != YAML_PLAIN_SCALAR_STYLE)
		node->flags |= DOC_F_LITERAL;
	if (style == YAML_LITERAL_SCALAR_STYLE ||
	    style == YAML_FOLDED_SCALAR_STYLE)
		node->flags |= DOC_F_MULTILINE;
	return node;
}

/* ---- Building the tree --------------------------------------------------- */

/* Is the next node a mapping key? */
static bool expects_key(const Parser *p)
{
	const Frame *f = p->depth ? &p->stack[p->depth - 1] : NULL;
	return f && f->node->kind == DOC_TABLE && !f->has_key;
}

/* Place a new value: the root, an array element or the value of the key
 * just read. */
static void attach(Parser *p, DocNode *n)
{
	Frame *f;
	if (!p->depth) {
		p->root = n;
		return;
	}
	f = &p->stack[p->depth - 1];
	if (f->node->kind == DOC_ARRAY) {
		doc_array_push(p->a, f->node, n);
	} else {
		f->node->u.table.v[f->key].value = n;
		f->has_key = false;
	}
}

static void add_key(Parser *p)
{
	const yaml_event_t *ev = &p->ev;
	Frame *f = &p->stack[p->depth - 1];
	const char *at = event_at(p);
	const char *k = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	yaml_scalar_style_t style = ev->data.scalar.style;
	Loc loc = loc_at(p, at);
	DocEntry *e;

	if (ev->data.scalar.anchor)
		fail(p, at, "YAML anchors are not supported in specs");
	if (p->json) {
		if (style != YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
		    ev->data.scalar.tag)
			fail(p, at, "object keys must be strings");
		if (at < p->end && *at == '"') {
			json_decode_string(&p->str, at, p->end);
			k = buf_cstr(&p->str);
			len = p->str.len;
		}
	} else if (ev->data.scalar.tag) {
		size_t i = tag_index(p, at, ev->data.scalar.tag);
		if (std_tags[i].kind != DOC_STRING)
			fail(p, at, "a key must be a string, not tagged !!%s",
			     std_tags[i].name);
	} else if (style == YAML_PLAIN_SCALAR_STYLE && len == 0) {
		fail(p, at, "missing key");
	}
	e = doc_table_find(f->node, k, len);
	if (e) {
		report(p, at, "duplicate key '%s'", key_text(p, k, len));
		diag_note(p->d, e->loc, "'%s' first defined here",
			  key_text(p, k, len));
		bail(p);
	}
	doc_table_add(p->a, f->node, k, len, loc, NULL);
	f->key = f->node->u.table.n - 1;
	f->has_key = true;
}

static void open_collection(Parser *p, DocKind kind)
{
	const yaml_event_t *ev = &p->ev;
	const char *at = event_at(p);
	const char *what = kind == DOC_TABLE ? "mapping" : "sequence";
	const yaml_char_t *anchor, *tag;
	bool flow;
	Frame *f;
	DocNode *n;

	if (kind == DOC_TABLE) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	} else {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		flow = ev->data.sequence_start.style ==
		       YAML_FLOW_SEQUENCE_STYLE;
	}
	if (expects_key(p))
		fail(p, at, "a key must be a scalar, not a %s", what);
	if (anchor)
		fail(p, at, "YAML anchors are not supported in specs");
	if (tag) {
		size_t i = tag_index(p, at, tag);
		if (std_tags[i].kind != kind)
			fail(p, at, "tag !!%s cannot be used on a %s",
			     std_tags[i].name, what);
	}
	if (p->json && (!flow || at >= p->end ||
			*at != (kind == DOC_TABLE ? '{' : '['))) {
		if (kind == DOC_TABLE)
			fail(p, at, "a key/value pair must be inside '{' and "
			     "'}' in JSON");
		fail(p, at, "an array must be inside '[' and ']' in JSON");
	}
	if (p->depth > MAX_DOC_DEPTH)
		fail(p, at, "nesting deeper than %d levels", MAX_DOC_DEPTH);
	n = doc_new(p->a, kind, loc_at(p, at));
	n->flags = flow ? DOC_F_INLINE : 0;
	attach(p, n);
	f = &p->stack[p->depth++];
	f->node = n;
	f->has_key = false;
}

static void start_document(Parser *p)
{
	const yaml_version_directive_t *v =
		p->ev.data.document_start.version_directive;
	const char *at = event_at(p);
	if (p->documents++)
		fail(p, at, "more than one document in the file (a spec is a "
		     "single YAML document)");
	if (v && !(v->major == 1 && v->minor == 2))
		fail(p, at, "%%YAML %d.%d is not supported: specs are read as "
		     "YAML 1.2", v->major, v->minor);
}

/* The words after "while parsing" in a libyaml context, with "the": "while
 * parsing a flow mapping" gives "the flow mapping". */
static const char *context_noun(Parser *p, const char *context)
{
	const char *s = strstr(context, " a ");
	size_t skip = 3;
	if (!s || (strstr(context, " an ") && strstr(context, " an ") < s)) {
		s = strstr(context, " an ");
		skip = 4;
	}
	if (!s)
		return NULL;
	buf_clear(&p->msg);
	buf_puts(&p->msg, "the ");
	buf_puts(&p->msg, s + skip);
	return buf_cstr(&p->msg);
}

static _Noreturn void libyaml_fail(Parser *p)
{
	const yaml_parser_t *y = &p->yp;
	const char *problem = y->problem ? y->problem : "invalid YAML";
	const char *at, *noun;
	size_t limit = (size_t)((p->has_cut ? p->cut : p->end) - p->text);

	switch (y->error) {
	case YAML_MEMORY_ERROR:
		xoom();
	case YAML_READER_ERROR:
		/* Not expected: the pre-scan checks what libyaml's reader
		 * does. */
		at = p->text + (y->problem_offset < limit ? y->problem_offset
							  : limit);
		fail(p, at, "%s", problem);
	default:
		break;
	}
	at = seek_index(p, y->problem_mark.index);
	if (!y->context)
		fail(p, at, "%s", problem);
	report(p, at, "%s %s", problem, y->context);
	noun = context_noun(p, y->context);
	if (noun && y->context_mark.index < y->problem_mark.index)
		diag_note(p->d, loc_at(p, seek_index(p, y->context_mark.index)),
			  "%s starts here", noun);
	bail(p);
}

static void parse_stream(Parser *p)
{
	Loc start;
	for (;;) {
		yaml_event_type_t type;
		DocNode *n;
		if (!yaml_parser_parse(&p->yp, &p->ev))
			libyaml_fail(p);
		p->ev_live = true;
		type = p->ev.type;
		switch (type) {
		case YAML_DOCUMENT_START_EVENT:
			start_document(p);
			break;
		case YAML_ALIAS_EVENT:
			fail(p, event_at(p), "YAML aliases are not supported in "
			     "specs");
		case YAML_SCALAR_EVENT:
			if (expects_key(p)) {
				add_key(p);
				break;
			}
			n = scalar_node(p, event_at(p));
			if (!p->depth)
				p->root_empty = p->ev.data.scalar.length == 0 &&
						!p->ev.data.scalar.tag &&
						p->ev.data.scalar.style ==
							YAML_PLAIN_SCALAR_STYLE;
			attach(p, n);
			break;
		case YAML_SEQUENCE_START_EVENT:
			open_collection(p, DOC_ARRAY);
			break;
		case YAML_MAPPING_START_EVENT:
			open_collection(p, DOC_TABLE);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (p->depth)
				p->depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&p->ev);
		p->ev_live = false;
		if (type == YAML_STREAM_END_EVENT || type == YAML_NO_EVENT)
			break;
	}
	if (p->has_cut)
		report_cut(p);
	if (!p->root || p->root_empty) {
		/* No document, or an empty one: an empty table, as in TOML. */
		start.file = p->file;
		start.line = start.col = 1;
		p->root = doc_new(p->a, DOC_TABLE, start);
	}
}

/* setjmp() lives apart from yaml_parse(), whose locals change after it. */
static bool parse_document(Parser *p)
{
	const char *input;
	if (setjmp(p->jmp))
		return false;
	if (p->json)
		scan_json(p);
	else
		scan_yaml(p);
	input = p->patched ? p->patched : p->text;
	yaml_parser_set_input_string(
		&p->yp, (const unsigned char *)input,
		(size_t)((p->has_cut ? p->cut : p->end) - p->text));
	parse_stream(p);
	return true;
}

DocNode *yaml_parse(Arena *a, Diag *d, uint32_t file, const char *text,
		    size_t len, bool json)
{
	Parser p;
	DocNode *root;

	memset(&p, 0, sizeof p);
	if (!text)
		text = "";
	p.a = a;
	p.d = d;
	p.file = file;
	p.json = json;
	p.text = text;
	/* cppcheck-suppress pointerOutOfBoundsCond ; text holds len bytes: one past the end is valid */
	p.end = text + len;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		p.text += 3; /* a byte order mark is not a column */
	p.pos = p.text;
	p.line = p.col = 1;
	if (!yaml_parser_initialize(&p.yp))
		xoom();
	/* Never UTF-16, whatever the first bytes look like. */
	yaml_parser_set_encoding(&p.yp, YAML_UTF8_ENCODING);
	root = parse_document(&p) ? p.root : NULL;
	if (p.ev_live)
		yaml_event_delete(&p.ev);
	yaml_parser_delete(&p.yp);
	free(p.patched);
	buf_free(&p.cut_msg);
	buf_free(&p.str);
	buf_free(&p.msg);
	return root;
}

#else

/* Without libyaml only TOML specs are read (see format_supported()). */
typedef int yaml_unused;

#endif
