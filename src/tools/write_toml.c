/*
 * write_toml.c - the TOML writer and the TOML comment scanner.
 *
 * One layout, the compact one of specs/xen, whatever the source looked
 * like:
 *
 *   # header comments
 *
 *   [[structs]]
 *   name = "xen_sysctl_readconsole"
 *   description = "..."
 *   fields = [
 *     { name = "clear", typ = "u8", description = "..." },
 *   ]
 *
 *  - At the top level, the trailing run of entries that are tables or
 *    non-empty arrays of tables is written with headers ([x], [[x]]), one
 *    blank line before each; the entries before that run (and every
 *    entry in a document that is not a spec) are written as key = value,
 *    so the order of keys is always kept.
 *  - Inside a header's table every entry is one key = value.  A list of
 *    tables (fields, variants, bits, and the fields of an inline struct or
 *    union type, at any depth) is written one inline table per line;
 *    anything else inline.  TOML 1.0 forbids newlines in inline tables
 *    except inside values, and arrays and multi-line strings are values,
 *    so this is valid TOML (specs/xen/xen/mmu.toml is written so): no
 *    [[x.y]] tables are ever needed, and key order never has to bend to
 *    TOML's "keys before sub-tables" rule.
 *  - Integers in the base the source used (0x7FF0), else in decimal.
 *  - Strings: basic strings; multi-line """ strings for text with line
 *    breaks, starting with a newline (which TOML drops).  Escaped: \ and
 *    ", quotes that would end a multi-line string (every third of a run,
 *    and any run at the very end), and every control character (C0, DEL,
 *    C1), U+2028, U+2029 and U+FEFF, as \b \t \n \f \r or \uXXXX; a CR
 *    before a line break stays \r so that CR LF survives.
 *  - Keys are bare when they can be, else basic strings.
 *  - Comments: the comments attached to an anchor are written before its
 *    line (own-line comments) or at its end (end-of-line comments, joined
 *    into one).  Comments of anchors inside an inline value, which cannot
 *    hold any, move to the line that holds the value.
 *
 * TOML has no null, and its document is always a table: both are errors.
 */
#include "tools/tools.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- Comment scanner ----------------------------------------------------- */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Past the string that starts at p (a quote), counting lines. */
static const char *skip_string(const char *p, const char *end, uint32_t *line,
			       const char **line_start)
{
	char q = *p;
	bool multi = end - p >= 3 && p[1] == q && p[2] == q;
	p += multi ? 3 : 1;
	while (p < end) {
		if (q == '"' && *p == '\\' && p + 1 < end) {
			if (p[1] == '\n') {
				++*line;
				*line_start = p + 2;
			}
			p += 2;
			continue;
		}
		if (*p == '\n') {
			if (!multi)
				return p;
			++*line;
			*line_start = ++p;
			continue;
		}
		if (*p == q) {
			size_t run = 0;
			while (p + run < end && p[run] == q)
				run++;
			if (!multi)
				return p + 1;
			if (run >= 3)
				return p + (run > 5 ? 5 : run);
			p += run;
			continue;
		}
		p++;
	}
	return p;
}

static void add_comment(Arena *a, CommentList *out, const char *line_start,
			const char *hash, const char *eol, const char *end,
			uint32_t line)
{
	Comment *c;
	const char *s = hash + 1, *e = eol, *q;
	bool own = true;
	uint32_t col = 1;

	while (e > s && blank(e[-1]))
		e--;
	for (q = line_start; q < hash; q++) {
		own &= blank(*q);
		col += ((unsigned char)*q & 0xc0) != 0x80;
	}
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	c = &out->v[out->n++];
	c->text = arena_strndup(a, s, (size_t)(e - s));
	c->len = (size_t)(e - s);
	c->line = line;
	c->col = col;
	c->own_line = own;
	c->blank_after = false;
	if (eol < end) {
		/* a real line (ended by a newline) holding only blanks */
		for (q = eol + 1; q < end && blank(*q); q++)
			;
		c->blank_after = q < end && *q == '\n';
	}
}

void toml_scan_comments(Arena *a, const char *text, size_t len,
			CommentList *out)
{
	const char *p = text, *end = text + len, *line_start;
	uint32_t line = 1;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	line_start = p;
	while (p < end) {
		if (*p == '\n') {
			line++;
			line_start = ++p;
		} else if (*p == '#') {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				eol = end;
			add_comment(a, out, line_start, p, eol, end, line);
			p = eol;
		} else if (*p == '"' || *p == '\'') {
			p = skip_string(p, end, &line, &line_start);
		} else {
			p++;
		}
	}
}

/* ---- Writer --------------------------------------------------------------- */

typedef struct TomlWriter {
	Buf *out;
	Diag *d;
	DocStyle *st;
	bool ok;
	/* comments gathered for the line being written */
	const Comment **lead, **trail;
	size_t nlead, ntrail, leadcap, trailcap;
} TomlWriter;

bool toml_spans_lines(const DocNode *n)
{
	uint32_t i;
	if (doc_all_tables(n))
		return true;
	if (n->kind == DOC_ARRAY) {
		for (i = 0; i < n->u.array.n; i++)
			if (toml_spans_lines(n->u.array.v[i]))
				return true;
	} else if (n->kind == DOC_TABLE) {
		for (i = 0; i < n->u.table.n; i++)
			if (toml_spans_lines(n->u.table.v[i].value))
				return true;
	}
	return false;
}

/* Bare keys: A-Z a-z 0-9 _ - */
static bool bare_key(const char *s, size_t n)
{
	size_t i;
	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* One code point of a basic string.  i indexes s; returns the bytes used. */
static size_t put_char(Buf *b, const char *s, size_t n, size_t i, bool multi)
{
	uint32_t cp;
	int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
	switch (cp) {
	case '\\': buf_puts(b, "\\\\"); return 1;
	case '\b': buf_puts(b, "\\b"); return 1;
	case '\t': buf_puts(b, "\\t"); return 1;
	case '\f': buf_puts(b, "\\f"); return 1;
	case '\r': buf_puts(b, "\\r"); return 1;
	case '\n':
		buf_puts(b, multi ? "\n" : "\\n");
		return 1;
	default:
		break;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0xfeff)
		buf_printf(b, "\\u%04" PRIX32, cp);
	else
		buf_put(b, s + i, (size_t)l);
	return (size_t)l;
}

static void put_string(TomlWriter *w, Loc at, const char *s, size_t n,
		       bool allow_multi)
{
	Buf *b = w->out;
	bool multi = allow_multi && memchr(s, '\n', n) != NULL;
	size_t i = 0;

	if (!check_utf8(w->d, at, s, n, "TOML")) {
		w->ok = false;
		return;
	}
	buf_puts(b, multi ? "\"\"\"\n" : "\"");
	while (i < n) {
		if (s[i] == '"') {
			size_t run = 0, k;
			bool at_end;
			while (i + run < n && s[i + run] == '"')
				run++;
			at_end = i + run == n;
			for (k = 0; k < run; k++) {
				if (!multi || at_end || k % 3 == 2)
					buf_puts(b, "\\\"");
				else
					buf_putc(b, '"');
			}
			i += run;
			continue;
		}
		i += put_char(b, s, n, i, multi);
	}
	buf_puts(b, multi ? "\"\"\"" : "\"");
}

static void put_key(TomlWriter *w, const DocEntry *e)
{
	if (bare_key(e->key, e->keylen))
		buf_put(w->out, e->key, e->keylen);
	else
		put_string(w, e->loc, e->key, e->keylen, false);
}

/* ---- Comments around lines ------------------------------------------------ */

static void take(TomlWriter *w, Notes *nt)
{
	size_t i;
	if (!nt || nt->done)
		return;
	nt->done = true;
	for (i = 0; i < nt->nlead; i++) {
		w->lead = xgrow(w->lead, &w->leadcap, w->nlead + 1, sizeof *w->lead);
		w->lead[w->nlead++] = nt->lead[i];
	}
	for (i = 0; i < nt->ntrail; i++) {
		w->trail = xgrow(w->trail, &w->trailcap, w->ntrail + 1,
				 sizeof *w->trail);
		w->trail[w->ntrail++] = nt->trail[i];
	}
}

/* The notes of the anchors inside a value that land on the current line:
 * all of them, except those of a list of tables, whose tables get lines
 * of their own. */
static void take_inside(TomlWriter *w, const DocNode *n)
{
	uint32_t i;
	if (!w->st || doc_all_tables(n))
		return;
	if (n->kind == DOC_TABLE) {
		for (i = 0; i < n->u.table.n; i++) {
			take(w, notes_entry(w->st, &n->u.table.v[i]));
			take_inside(w, n->u.table.v[i].value);
		}
	} else if (n->kind == DOC_ARRAY) {
		for (i = 0; i < n->u.array.n; i++) {
			take(w, notes_elem(w->st, n->u.array.v[i]));
			take_inside(w, n->u.array.v[i]);
		}
	}
}

static void put_comment(Buf *b, int indent, const Comment *c)
{
	buf_indent(b, indent);
	buf_putc(b, '#');
	buf_put(b, c->text, c->len);
	buf_putc(b, '\n');
	if (c->blank_after)
		buf_putc(b, '\n');
}

/* Start a line: the gathered own-line comments, then the indentation. */
static void start_line(TomlWriter *w, int indent)
{
	size_t i;
	for (i = 0; i < w->nlead; i++)
		put_comment(w->out, indent, w->lead[i]);
	w->nlead = 0;
	buf_indent(w->out, indent);
}

/* End the line, with the gathered end-of-line comments joined into one. */
static void end_line(TomlWriter *w)
{
	size_t i;
	for (i = 0; i < w->ntrail; i++) {
		buf_puts(w->out, i ? " #" : "  #");
		buf_put(w->out, w->trail[i]->text, w->trail[i]->len);
	}
	w->ntrail = 0;
	buf_putc(w->out, '\n');
}

/* A blank line, unless the output is empty or already ends with one. */
static void separate(TomlWriter *w)
{
	Buf *b = w->out;
	if (b->len && !(b->len >= 2 && b->data[b->len - 1] == '\n' &&
			b->data[b->len - 2] == '\n'))
		buf_putc(b, '\n');
}

/* ---- Values ------------------------------------------------------------------ */

static void put_integer(TomlWriter *w, const DocNode *n)
{
	const IntSpelling *sp = int_spelling(w->st, n);
	if (sp)
		buf_put(w->out, sp->text, sp->len);
	else
		buf_printf(w->out, "%" PRId64, n->u.i);
}

/* A value on the line being written, whose indentation is indent.  A list
 * of tables is written one table per line, and its "]" starts a line with
 * the indentation of the line that opened it: after "key = [" its tables
 * go two columns deeper, after "{ ... typ = { union = [" within a line
 * four, so that they stand out from the "]" and the closing braces of the
 * line's tables that follow it. */
static void put_value(TomlWriter *w, const DocNode *n, int indent, bool key_line)
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
		buf_puts(b, "{ ");
		for (i = 0; i < n->u.table.n; i++) {
			if (i)
				buf_puts(b, ", ");
			put_key(w, &n->u.table.v[i]);
			buf_puts(b, " = ");
			put_value(w, n->u.table.v[i].value, indent, false);
		}
		buf_puts(b, " }");
		return;
	case DOC_ARRAY:
		if (doc_all_tables(n)) {
			int inner = indent + (key_line ? 2 : 4);
			buf_putc(b, '[');
			end_line(w);
			for (i = 0; i < n->u.array.n; i++) {
				take(w, notes_elem(w->st, n->u.array.v[i]));
				take_inside(w, n->u.array.v[i]);
				start_line(w, inner);
				put_value(w, n->u.array.v[i], inner, false);
				buf_putc(b, ',');
				end_line(w);
			}
			buf_indent(b, indent);
			buf_putc(b, ']');
			return;
		}
		buf_putc(b, '[');
		for (i = 0; i < n->u.array.n; i++) {
			if (i)
				buf_puts(b, ", ");
			put_value(w, n->u.array.v[i], indent, false);
		}
		buf_putc(b, ']');
		return;
	case DOC_STRING:
		put_string(w, n->loc, n->u.str.s, n->u.str.len, true);
		return;
	case DOC_INTEGER:
		put_integer(w, n);
		return;
	case DOC_FLOAT:
		if (isnan(n->u.str.f))
			buf_puts(b, "nan");
		else if (isinf(n->u.str.f))
			buf_puts(b, n->u.str.f < 0 ? "-inf" : "inf");
		else {
			format_double(num, sizeof num, n->u.str.f);
			buf_puts(b, num);
		}
		return;
	case DOC_BOOL:
		buf_puts(b, n->u.b ? "true" : "false");
		return;
	case DOC_DATETIME:
		buf_put(b, n->u.str.s, n->u.str.len);
		return;
	case DOC_NULL:
		diag_error(w->d, n->loc,
			   "TOML has no null; this value cannot be written in TOML");
		w->ok = false;
		return;
	}
}

/* key = value, on a line of its own. */
static void put_entry(TomlWriter *w, const DocEntry *e, int indent)
{
	take(w, notes_entry(w->st, e));
	take_inside(w, e->value);
	start_line(w, indent);
	put_key(w, e);
	buf_puts(w->out, " = ");
	put_value(w, e->value, indent, true);
	end_line(w);
}

/* [key] or [[key]] and the table's entries. */
static void put_section(TomlWriter *w, const DocEntry *e, const DocNode *t,
			bool aot, Notes *entry_notes)
{
	uint32_t i;
	separate(w);
	take(w, entry_notes);
	if (aot)
		take(w, notes_elem(w->st, t));
	start_line(w, 0);
	buf_puts(w->out, aot ? "[[" : "[");
	put_key(w, e);
	buf_puts(w->out, aot ? "]]" : "]");
	end_line(w);
	for (i = 0; i < t->u.table.n; i++)
		put_entry(w, &t->u.table.v[i], 0);
}

static bool sectionable(const DocNode *v)
{
	return v->kind == DOC_TABLE || doc_all_tables(v);
}

static void put_comments(Buf *b, const Comment *const *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		put_comment(b, 0, v[i]);
}

bool write_toml(Buf *out, const DocNode *root, DocStyle *st, Diag *d)
{
	TomlWriter w;
	uint32_t i, j, first;

	memset(&w, 0, sizeof w);
	w.out = out;
	w.d = d;
	w.st = st;
	w.ok = true;
	if (root->kind != DOC_TABLE) {
		diag_error(d, root->loc,
			   "a TOML document is a table; this document is %s %s",
			   root->kind == DOC_ARRAY ? "an" : "a",
			   doc_kind_name((DocKind)root->kind));
		return false;
	}
	if (st)
		put_comments(out, st->header, st->nheader);
	/* the trailing run of entries that can be sections */
	first = root->u.table.n;
	while (first > 0 && sectionable(root->u.table.v[first - 1].value))
		first--;
	if (first > 0)
		separate(&w);
	for (i = 0; i < first; i++)
		put_entry(&w, &root->u.table.v[i], 0);
	for (i = first; i < root->u.table.n; i++) {
		const DocEntry *e = &root->u.table.v[i];
		Notes *en = notes_entry(st, e);
		if (e->value->kind == DOC_TABLE) {
			put_section(&w, e, e->value, false, en);
			continue;
		}
		for (j = 0; j < e->value->u.array.n; j++)
			put_section(&w, e, e->value->u.array.v[j], true,
				    j ? NULL : en);
	}
	if (st && st->nfooter) {
		separate(&w);
		put_comments(out, st->footer, st->nfooter);
	}
	free(w.lead);
	free(w.trail);
	return w.ok;
}
