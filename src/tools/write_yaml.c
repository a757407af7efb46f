/*
 * write_yaml.c - the YAML writer and the YAML comment scanner (libyaml).
 *
 * The YAML is produced by libyaml's emitter, never by hand: it knows the
 * quoting rules.  What we decide is the style of each node:
 *
 *  - Block mappings and sequences; a small collection of scalars that is
 *    not a table in a list (typ: {ptr: u8}, imports: [a, b]) is written in
 *    flow style, on one line.  Empty collections are {} and [].
 *  - A single-line string is plain when no YAML reader could take it for
 *    anything but a string, under the YAML 1.2 core schema or YAML 1.1:
 *    it starts with a letter or '_' and is not null, true, false, yes, no,
 *    on, off, y or n in any case.  libyaml then adds quotes if the text
 *    needs them (": ", " #", ...).  Other strings are single-quoted.
 *  - A string with line breaks is a literal block scalar (|, with the
 *    chomping and indentation indicators libyaml derives); libyaml falls
 *    back to double quotes when a literal cannot hold the text exactly
 *    (trailing spaces on a line).  Text with characters YAML would read
 *    back differently in a block or single-quoted scalar (CR, NEL, LS, PS,
 *    tab, other control characters, BOM) is always double-quoted, where
 *    every character can be escaped.
 *  - No line width: libyaml never folds a line, so no reader has to
 *    unfold it and diffs stay one line per value.
 *  - Floats always carry a '.' and a signed exponent (1.0e+20), which
 *    both YAML 1.1 and 1.2 resolve as floats; .inf, -.inf and .nan.
 *
 * libyaml cannot emit comments or blank lines.  So once the document is
 * emitted, it is parsed again with libyaml to learn the line on which each
 * anchor (entry key, list element) landed, and the text is rebuilt with
 * the comments inserted before those lines (own-line comments, indented
 * like the line) or appended to them (end-of-line comments), and with a
 * blank line between the top-level sections and between their items.
 * Inserting whole lines before the line of a key or list item, or
 * appending "  # ..." to it, cannot change what the YAML means: such a
 * line never starts inside a scalar, and no line is folded.
 */
#include "tools/tools.h"

#ifdef HAVE_LIBYAML
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

/* ---- Comment scanner -------------------------------------------------------
 * libyaml's scanner skips comments, but it reports where every token starts
 * and ends (mark.index: code points from the start of the text, after a
 * byte order mark).  A '#' outside every token, at the start of a line or
 * after a blank, is a comment.  The header line of a block scalar ("|  #
 * note") lies inside the scalar's token, so it is searched as well.
 *
 * Two ideas of a line meet here.  libyaml ends a line (and so a comment)
 * at CR LF, CR, LF, NEL, LS or PS; the rest of xenbindgen, and the
 * locations in the document tree, count LF only.  Comments end where
 * libyaml says, and are located the way the tree is. */

typedef struct Span {
	size_t start, end; /* code point indexes: [start, end) */
	bool block;        /* a block scalar: its first line may hold a comment */
} Span;

/* Length of the line break at p, as libyaml sees breaks, or 0. */
static size_t break_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = (size_t)(end - p);
	if (*u == '\r')
		return n >= 2 && u[1] == '\n' ? 2 : 1;
	if (*u == '\n')
		return 1;
	if (n >= 2 && u[0] == 0xc2 && u[1] == 0x85)
		return 2;
	if (n >= 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9))
		return 3;
	return 0;
}

static Span *scan_tokens(const char *text, size_t len, size_t *n)
{
	yaml_parser_t parser;
	yaml_token_t tok;
	Span *v = NULL;
	size_t cap = 0;
	*n = 0;
	if (!yaml_parser_initialize(&parser))
		return NULL;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		bool end;
		if (!yaml_parser_scan(&parser, &tok))
			break;
		end = tok.type == YAML_STREAM_END_TOKEN;
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		v[*n].start = tok.start_mark.index;
		v[*n].end = tok.end_mark.index;
		v[*n].block = tok.type == YAML_SCALAR_TOKEN &&
			      (tok.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
			       tok.data.scalar.style == YAML_FOLDED_SCALAR_STYLE);
		(*n)++;
		yaml_token_delete(&tok);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	return v;
}

/* A comment starting at hash; line_start is where libyaml's line starts. */
static void add_comment(Arena *a, CommentList *out, const char *line_start,
			const char *hash, const char *end, uint32_t line,
			uint32_t col)
{
	const char *e = hash + 1, *q;
	Comment *c;
	bool own = true;
	while (e < end && !break_len(e, end))
		e++;
	for (q = line_start; q < hash; q++)
		own &= *q == ' ' || *q == '\t';
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	c = &out->v[out->n++];
	c->line = line;
	c->col = col;
	c->own_line = own;
	c->blank_after = false;
	/* the next line holds only blanks and ends with a break */
	if (e < end) {
		q = e + break_len(e, end);
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		c->blank_after = q < end && break_len(q, end);
	}
	while (e > hash + 1 && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	c->text = arena_strndup(a, hash + 1, (size_t)(e - hash - 1));
	c->len = (size_t)(e - hash - 1);
}

void yaml_scan_comments(Arena *a, const char *text, size_t len,
			CommentList *out)
{
	const char *p = text, *end = text + len, *line_start;
	size_t ntok, k = 0, idx = 0, header_end = 0;
	uint32_t line = 1, col = 1;
	Span *tok;
	bool prev_blank = true;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	tok = scan_tokens(text, len, &ntok);
	line_start = p;
	while (p < end) {
		size_t bl = break_len(p, end);
		bool inside = false;
		uint32_t cp;
		int cl;
		while (k < ntok && tok[k].end <= idx)
			k++;
		if (k < ntok && tok[k].start <= idx) {
			inside = true;
			/* a block scalar's header runs to the first break */
			if (tok[k].block && idx == tok[k].start)
				header_end = SIZE_MAX;
		}
		if (bl) {
			idx += bl == 2 && *p == '\r' ? 2 : 1;
			if (p[bl - 1] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
			p += bl;
			line_start = p;
			prev_blank = true;
			header_end = 0;
			continue;
		}
		if (*p == '#' && prev_blank && (!inside || header_end)) {
			add_comment(a, out, line_start, p, end, line, col);
			while (p < end && !break_len(p, end)) {
				cl = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);
				p += cl > 0 ? (size_t)cl : 1;
				idx++;
				col++;
			}
			continue;
		}
		prev_blank = *p == ' ' || *p == '\t';
		cl = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);
		p += cl > 0 ? (size_t)cl : 1;
		idx++;
		col++;
	}
	free(tok);
}

/* ---- Emitting ---------------------------------------------------------------- */

typedef struct YamlWriter {
	yaml_emitter_t em;
	Diag *d;
	const DocStyle *st;
	bool ok, failed; /* failed: the emitter itself failed */
} YamlWriter;

static int output(void *data, unsigned char *buffer, size_t size)
{
	buf_put(data, buffer, size);
	return 1;
}

static void emit(YamlWriter *w, yaml_event_t *ev, bool made)
{
	if (!made || !yaml_emitter_emit(&w->em, ev)) {
		if (!w->failed)
			diag_error(w->d, NO_LOC, "YAML emitter: %s",
				   w->em.problem ? w->em.problem : "out of memory");
		w->failed = true;
		w->ok = false;
	}
}

static bool ieq(const char *s, size_t n, const char *word)
{
	size_t i;
	if (strlen(word) != n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != word[i])
			return false;
	}
	return true;
}

/* Would every YAML reader take this plain scalar for a string? */
static bool plain_is_string(const char *s, size_t n)
{
	static const char *const words[] = {
		"null", "true", "false", "yes", "no", "on", "off", "y", "n",
	};
	size_t i;
	if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
		    s[0] == '_'))
		return false;
	for (i = 0; i < ARRAY_LEN(words); i++)
		if (ieq(s, n, words[i]))
			return false;
	return true;
}

/* Characters that only a double-quoted scalar carries exactly. */
static bool needs_double(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp = 0;
		int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (l <= 0)
			return true;
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp > 0xfffd)
			return true;
		i += (size_t)l;
	}
	return false;
}

static void put_scalar(YamlWriter *w, const char *s, size_t n, bool plain,
		       yaml_scalar_style_t style)
{
	yaml_event_t ev;
	int made = yaml_scalar_event_initialize(
		&ev, NULL, NULL, (yaml_char_t *)s, (int)n, plain, 1, style);
	emit(w, &ev, made);
}

static void put_string(YamlWriter *w, Loc at, const char *s, size_t n)
{
	if (!check_utf8(w->d, at, s, n, "YAML")) {
		w->ok = false;
		return;
	}
	if (needs_double(s, n))
		put_scalar(w, s, n, false, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	else if (memchr(s, '\n', n))
		put_scalar(w, s, n, false, YAML_LITERAL_SCALAR_STYLE);
	else if (plain_is_string(s, n))
		put_scalar(w, s, n, true, YAML_PLAIN_SCALAR_STYLE);
	else
		put_scalar(w, s, n, false, YAML_SINGLE_QUOTED_SCALAR_STYLE);
}

enum { FLOW_BUDGET = 60 };

/* A collection small and simple enough for one line: scalars only (no
 * line breaks), at most FLOW_BUDGET characters of them. */

static bool flow_ok(const DocNode *n, size_t *budget, int depth)
{
	uint32_t i;
	size_t cost;
	if (depth > 4)
		return false;
	switch ((DocKind)n->kind) {
	case DOC_TABLE:
		for (i = 0; i < n->u.table.n; i++) {
			cost = n->u.table.v[i].keylen + 2;
			if (cost > *budget || !flow_ok(n->u.table.v[i].value, budget, depth + 1))
				return false;
			*budget -= cost;
		}
		return true;
	case DOC_ARRAY:
		if (doc_all_tables(n))
			return false;
		for (i = 0; i < n->u.array.n; i++) {
			if (*budget < 2 || !flow_ok(n->u.array.v[i], budget, depth + 1))
				return false;
			*budget -= 2;
		}
		return true;
	case DOC_STRING:
		if (memchr(n->u.str.s, '\n', n->u.str.len))
			return false;
		cost = n->u.str.len;
		break;
	default:
		cost = 8;
		break;
	}
	if (cost > *budget)
		return false;
	*budget -= cost;
	return true;
}

/* record: n is an element of a list of tables (a field, a variant, ...):
 * always a block mapping, like the root. */
/* In the base it was written in where YAML 1.2 has it (0x, 0o; YAML has
 * no 0b and no '_'), else in decimal. */
static void put_integer(YamlWriter *w, const DocNode *n)
{
	const IntSpelling *sp = int_spelling(w->st, n);
	char num[80];
	size_t i, k = 0;
	if (sp && sp->len < sizeof num && sp->text[0] == '0' &&
	    (sp->text[1] == 'x' || sp->text[1] == 'o')) {
		for (i = 0; i < sp->len; i++)
			if (sp->text[i] != '_')
				num[k++] = sp->text[i];
		num[k] = '\0';
	} else {
		snprintf(num, sizeof num, "%" PRId64, n->u.i);
	}
	put_scalar(w, num, strlen(num), true, YAML_PLAIN_SCALAR_STYLE);
}

static void put_node(YamlWriter *w, const DocNode *n, bool record, bool root)
{
	yaml_event_t ev;
	char num[64];
	size_t budget = FLOW_BUDGET;
	bool flow, records;
	uint32_t i;

	if (w->failed)
		return;
	switch ((DocKind)n->kind) {
	case DOC_TABLE:
		flow = !n->u.table.n || (!record && !root && flow_ok(n, &budget, 0));
		emit(w, &ev, yaml_mapping_start_event_initialize(
				     &ev, NULL, NULL, 1,
				     flow ? YAML_FLOW_MAPPING_STYLE
					  : YAML_BLOCK_MAPPING_STYLE));
		for (i = 0; i < n->u.table.n && !w->failed; i++) {
			const DocEntry *e = &n->u.table.v[i];
			put_string(w, e->loc, e->key, e->keylen);
			put_node(w, e->value, false, false);
		}
		emit(w, &ev, yaml_mapping_end_event_initialize(&ev));
		return;
	case DOC_ARRAY:
		flow = !n->u.array.n || (!root && flow_ok(n, &budget, 0));
		emit(w, &ev, yaml_sequence_start_event_initialize(
				     &ev, NULL, NULL, 1,
				     flow ? YAML_FLOW_SEQUENCE_STYLE
					  : YAML_BLOCK_SEQUENCE_STYLE));
		records = doc_all_tables(n);
		for (i = 0; i < n->u.array.n && !w->failed; i++)
			put_node(w, n->u.array.v[i], records, false);
		emit(w, &ev, yaml_sequence_end_event_initialize(&ev));
		return;
	case DOC_STRING:
		put_string(w, n->loc, n->u.str.s, n->u.str.len);
		return;
	case DOC_INTEGER:
		put_integer(w, n);
		return;
	case DOC_FLOAT:
		if (isnan(n->u.str.f))
			snprintf(num, sizeof num, ".nan");
		else if (isinf(n->u.str.f))
			snprintf(num, sizeof num, "%s", n->u.str.f < 0 ? "-.inf" : ".inf");
		else
			format_double(num, sizeof num, n->u.str.f);
		break;
	case DOC_BOOL:
		snprintf(num, sizeof num, "%s", n->u.b ? "true" : "false");
		break;
	case DOC_NULL:
		snprintf(num, sizeof num, "null");
		break;
	case DOC_DATETIME:
	default:
		diag_error(w->d, n->loc,
			   "YAML (1.2 core schema) has no date-time type; this TOML "
			   "date-time cannot be written in YAML");
		w->ok = false;
		/* keep the event stream well formed */
		snprintf(num, sizeof num, "null");
		break;
	}
	put_scalar(w, num, strlen(num), true, YAML_PLAIN_SCALAR_STYLE);
}

/* ---- Comments and blank lines ---------------------------------------------- */

/* Where things landed in the emitted text: for each output line, what to
 * insert before it and what to append to it. */
typedef struct Line {
	const Comment **lead, **trail;
	size_t nlead, ntrail, leadcap, trailcap;
	bool blank_before;
} Line;

typedef struct Placer {
	yaml_parser_t parser;
	DocStyle *st;
	size_t first_item_lead; /* the line of "structs:" for its first item */
	Line *lines;
	size_t nlines;
	bool ok;
} Placer;

/* The next event's start line, or SIZE_MAX when the parse went wrong. */
static size_t next_line(Placer *P, yaml_event_type_t *type)
{
	yaml_event_t ev;
	size_t line;
	if (!P->ok || !yaml_parser_parse(&P->parser, &ev)) {
		P->ok = false;
		return SIZE_MAX;
	}
	*type = ev.type;
	line = ev.start_mark.line;
	yaml_event_delete(&ev);
	return line < P->nlines ? line : P->nlines - 1;
}

static void push(const Comment ***v, size_t *n, size_t *cap,
		 const Comment *const *src, size_t nsrc)
{
	size_t i;
	for (i = 0; i < nsrc; i++) {
		*v = xgrow((void *)*v, cap, *n + 1, sizeof **v);
		(*v)[(*n)++] = src[i];
	}
}

/* Own-line comments go before lead_line, end-of-line ones after line. */
static void attach(Placer *P, Notes *nt, size_t lead_line, size_t line)
{
	Line *l;
	if (!nt || nt->done || line == SIZE_MAX)
		return;
	nt->done = true;
	l = &P->lines[lead_line];
	push(&l->lead, &l->nlead, &l->leadcap, nt->lead, nt->nlead);
	l = &P->lines[line];
	push(&l->trail, &l->ntrail, &l->trailcap, nt->trail, nt->ntrail);
}

/* Walk the tree along the events of the emitted text; depth 0 is the root.
 * own holds the notes of n as a list element, attached as soon as n's line
 * is known, before those of the entries on the same line; their own-line
 * comments go before lead_line if it is not SIZE_MAX: the first item of a
 * top-level section takes them before "structs:", as they went before the
 * first [[structs]] in TOML.  Returns the line where n starts. */
static size_t place(Placer *P, const DocNode *n, int depth, Notes *own,
		    size_t lead_line)
{
	yaml_event_type_t type;
	size_t line = next_line(P, &type), l, prev = SIZE_MAX;
	uint32_t i;

	if (line == SIZE_MAX)
		return line;
	attach(P, own, lead_line != SIZE_MAX ? lead_line : line, line);
	if (n->kind == DOC_TABLE) {
		for (i = 0; i < n->u.table.n && P->ok; i++) {
			const DocEntry *e = &n->u.table.v[i];
			l = next_line(P, &type); /* the key */
			if (l == SIZE_MAX)
				return l;
			if (depth == 0 && i > 0)
				P->lines[l].blank_before = true;
			attach(P, notes_entry(P->st, e), l, l);
			if (depth == 0 && doc_all_tables(e->value))
				P->first_item_lead = l;
			place(P, e->value, depth + 1, NULL, SIZE_MAX);
		}
		next_line(P, &type); /* MAPPING-END */
	} else if (n->kind == DOC_ARRAY) {
		bool records = doc_all_tables(n);
		for (i = 0; i < n->u.array.n && P->ok; i++) {
			size_t lead = SIZE_MAX;
			if (depth == 1 && i == 0) {
				lead = P->first_item_lead;
				P->first_item_lead = SIZE_MAX;
			}
			l = place(P, n->u.array.v[i], depth + 1,
				  notes_elem(P->st, n->u.array.v[i]), lead);
			if (l == SIZE_MAX)
				return l;
			if (depth == 1 && i > 0 && l != prev && records)
				P->lines[l].blank_before = true;
			prev = l;
		}
		next_line(P, &type); /* SEQUENCE-END */
	}
	return line;
}

/* Comment text, with what YAML cannot hold in a comment (control
 * characters, the line breaks NEL, LS and PS, U+FFFE and U+FFFF, which a
 * TOML comment may contain) replaced by U+FFFD. */
static void put_comment_text(Buf *b, const Comment *c)
{
	size_t i = 0;
	while (i < c->len) {
		uint32_t cp = 0;
		int l = utf8_decode((const unsigned char *)c->text + i, c->len - i, &cp);
		bool ok = l > 0 && (cp == '\t' || (cp >= 0x20 && cp <= 0x7e) ||
				    (cp >= 0xa0 && cp <= 0xd7ff && cp != 0x2028 &&
				     cp != 0x2029) ||
				    (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000);
		if (ok)
			buf_put(b, c->text + i, (size_t)l);
		else
			buf_puts(b, "\xef\xbf\xbd");
		i += l > 0 ? (size_t)l : 1;
	}
}

static void put_comments(Buf *b, int indent, const Comment *const *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		buf_indent(b, indent);
		buf_putc(b, '#');
		put_comment_text(b, v[i]);
		buf_putc(b, '\n');
		if (v[i]->blank_after)
			buf_putc(b, '\n');
	}
}

static bool ends_blank(const Buf *b)
{
	return !b->len || (b->len >= 2 && b->data[b->len - 1] == '\n' &&
			   b->data[b->len - 2] == '\n');
}

/* Rebuild text with comments and blank lines into out. */
static bool decorate(Buf *out, const char *text, size_t len,
		     const DocNode *root, DocStyle *st)
{
	Placer P;
	yaml_event_type_t type;
	size_t i, start, n = 0;
	const char *p;
	size_t k;

	memset(&P, 0, sizeof P);
	for (p = text; p < text + len; p++)
		n += *p == '\n';
	P.nlines = n ? n : 1;
	P.lines = xcalloc(P.nlines, sizeof *P.lines);
	P.st = st;
	P.first_item_lead = SIZE_MAX;
	P.ok = yaml_parser_initialize(&P.parser);
	if (P.ok) {
		yaml_parser_set_input_string(&P.parser, (const unsigned char *)text, len);
		next_line(&P, &type); /* STREAM-START */
		next_line(&P, &type); /* DOCUMENT-START */
		place(&P, root, 0, NULL, SIZE_MAX);
		yaml_parser_delete(&P.parser);
	}
	if (P.ok) {
		if (st)
			put_comments(out, 0, st->header, st->nheader);
		for (i = 0, start = 0; i < n; i++) {
			Line *l = &P.lines[i];
			const char *s = text + start, *e = memchr(s, '\n', len - start);
			int indent = 0;
			while (s + indent < e && s[indent] == ' ')
				indent++;
			if (l->blank_before && !ends_blank(out))
				buf_putc(out, '\n');
			put_comments(out, indent, l->lead, l->nlead);
			buf_put(out, s, (size_t)(e - s));
			for (k = 0; k < l->ntrail; k++) {
				buf_puts(out, k ? " #" : "  #");
				put_comment_text(out, l->trail[k]);
			}
			buf_putc(out, '\n');
			start = (size_t)(e - text) + 1;
		}
		if (st && st->nfooter) {
			if (!ends_blank(out))
				buf_putc(out, '\n');
			put_comments(out, 0, st->footer, st->nfooter);
		}
	}
	for (i = 0; i < P.nlines; i++) {
		free(P.lines[i].lead);
		free(P.lines[i].trail);
	}
	free(P.lines);
	return P.ok;
}

bool write_yaml(Buf *out, const DocNode *root, DocStyle *st, Diag *d)
{
	YamlWriter w;
	yaml_event_t ev;
	Buf raw = {0};
	bool ok;

	memset(&w, 0, sizeof w);
	w.d = d;
	w.st = st;
	w.ok = true;
	if (!yaml_emitter_initialize(&w.em)) {
		diag_error(d, NO_LOC, "YAML emitter: out of memory");
		return false;
	}
	yaml_emitter_set_output(&w.em, output, &raw);
	yaml_emitter_set_unicode(&w.em, 1);
	yaml_emitter_set_width(&w.em, -1);
	yaml_emitter_set_indent(&w.em, 2);
	yaml_emitter_set_break(&w.em, YAML_LN_BREAK);
	emit(&w, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	emit(&w, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	put_node(&w, root, false, true);
	emit(&w, &ev, yaml_document_end_event_initialize(&ev, 1));
	emit(&w, &ev, yaml_stream_end_event_initialize(&ev));
	if (!w.failed && !yaml_emitter_flush(&w.em))
		emit(&w, &ev, false);
	yaml_emitter_delete(&w.em);
	ok = w.ok;
	if (ok && raw.len && !decorate(out, raw.data, raw.len, root, st)) {
		diag_error(d, NO_LOC, "internal error: cannot read back the YAML "
			   "just written");
		ok = false;
	}
	buf_free(&raw);
	return ok;
}

#else /* !HAVE_LIBYAML */

void yaml_scan_comments(Arena *a, const char *text, size_t len,
			CommentList *out)
{
	(void)a;
	(void)text;
	(void)len;
	(void)out;
}

bool write_yaml(Buf *out, const DocNode *root, DocStyle *st, Diag *d)
{
	(void)out;
	(void)st;
	diag_error(d, root->loc, "YAML output is not supported: this xenbindgen "
		   "was built without libyaml");
	return false;
}

#endif
