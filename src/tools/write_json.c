/*
 * write_json.c - the JSON writer.
 *
 * Strict RFC 8259: UTF-8, no comments, no trailing commas, no NaN or
 * infinities.  The layout is that of Python's json.dumps(indent=2,
 * ensure_ascii=False): one member or element per line, two spaces per
 * level, "key": value, empty containers as {} and [].  Keys keep their
 * order.  Escapes: \" \\ \b \f \n \r \t, \u00XX for the other control
 * characters, everything else as UTF-8.
 *
 * A TOML date-time has no JSON type, and turning it into a string would
 * lose what it is, so it is an error, as are NaN and the infinities.
 */
#include "tools/tools.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* libyaml reads a JSON key as a YAML implicit key, whose ':' must come
 * within 1024 characters (code points) of its start: a longer key, quotes
 * and escapes included, would be written but could not be read back. */
#define JSON_KEY_MAX 1024

typedef struct JsonWriter {
	Buf *out;
	Diag *d;
	bool ok;
} JsonWriter;

static void put_string(JsonWriter *w, Loc at, const char *s, size_t len)
{
	Buf *b = w->out;
	size_t i;
	if (!check_utf8(w->d, at, s, len, "JSON")) {
		w->ok = false;
		return;
	}
	buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else
				buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

static void put_value(JsonWriter *w, const DocNode *n, int indent)
{
	Buf *b = w->out;
	char num[64];
	uint32_t i;

	switch ((DocKind)n->kind) {
	case DOC_TABLE:
		if (!n->u.table.n) {
			buf_puts(b, "{}");
			return;
		}
		buf_puts(b, "{\n");
		for (i = 0; i < n->u.table.n; i++) {
			const DocEntry *e = &n->u.table.v[i];
			size_t at, chars = 0;
			buf_indent(b, indent + 2);
			at = b->len;
			put_string(w, e->loc, e->key, e->keylen);
			for (; at < b->len; at++)
				chars += ((unsigned char)b->data[at] & 0xc0) != 0x80;
			if (chars > JSON_KEY_MAX && w->ok) {
				diag_error(w->d, e->loc,
					   "this key is %zu characters long in "
					   "JSON; xenbindgen reads JSON with "
					   "libyaml, which needs the ':' within "
					   "%d characters of the key's start",
					   chars, JSON_KEY_MAX);
				w->ok = false;
			}
			buf_puts(b, ": ");
			put_value(w, e->value, indent + 2);
			buf_puts(b, i + 1 < n->u.table.n ? ",\n" : "\n");
		}
		buf_indent(b, indent);
		buf_putc(b, '}');
		return;
	case DOC_ARRAY:
		if (!n->u.array.n) {
			buf_puts(b, "[]");
			return;
		}
		buf_puts(b, "[\n");
		for (i = 0; i < n->u.array.n; i++) {
			buf_indent(b, indent + 2);
			put_value(w, n->u.array.v[i], indent + 2);
			buf_puts(b, i + 1 < n->u.array.n ? ",\n" : "\n");
		}
		buf_indent(b, indent);
		buf_putc(b, ']');
		return;
	case DOC_STRING:
		put_string(w, n->loc, n->u.str.s, n->u.str.len);
		return;
	case DOC_INTEGER:
		buf_printf(b, "%" PRId64, n->u.i);
		return;
	case DOC_FLOAT:
		if (!isfinite(n->u.str.f)) {
			diag_error(w->d, n->loc,
				   "JSON has no %s; this float cannot be written in JSON",
				   isnan(n->u.str.f) ? "NaN" : "infinities");
			w->ok = false;
			return;
		}
		format_double(num, sizeof num, n->u.str.f);
		buf_puts(b, num);
		return;
	case DOC_BOOL:
		buf_puts(b, n->u.b ? "true" : "false");
		return;
	case DOC_NULL:
		buf_puts(b, "null");
		return;
	case DOC_DATETIME:
		diag_error(w->d, n->loc,
			   "JSON has no date-time type; this TOML date-time "
			   "cannot be written in JSON");
		w->ok = false;
		return;
	}
}

bool write_json(Buf *out, const DocNode *root, Diag *d)
{
	JsonWriter w;
	w.out = out;
	w.d = d;
	w.ok = true;
	put_value(&w, root, 0);
	buf_putc(out, '\n');
	return w.ok;
}
