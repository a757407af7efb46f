/*
 * diag.c - collecting, sorting and printing diagnostics.
 */
#include "base/base.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Source {
	char *path;
	const char *text; /* lent by a reader, or owned when loaded here */
	size_t len;
	char *owned;
	bool load_failed;
	uint32_t *lines; /* start offset of each line, built on demand */
	size_t nlines;
} Source;

typedef struct Item {
	DiagLevel level;
	Loc loc;
	char *msg;
	size_t seq;   /* report order */
	size_t group; /* seq of the error/warning a note belongs to */
	Loc group_loc;
} Item;

struct Diag {
	Source *src;
	size_t nsrc, srccap;
	Item *items;
	size_t nitems, itemcap;
	size_t seq;
	size_t errors, warnings, dropped, limit;
	bool dropping; /* the last primary was dropped: drop its notes too */
	bool werror;
	size_t cur_group;
	Loc cur_group_loc;
	/* diag_show_as(): paths under from[i] are printed under to[i] */
	char **from, **to;
	size_t nmaps;
};

Diag *diag_new(void)
{
	Diag *d = xcalloc(1, sizeof *d);
	d->limit = 50;
	return d;
}

static void forget_items(Diag *d)
{
	size_t i;
	for (i = 0; i < d->nitems; i++)
		free(d->items[i].msg);
	d->nitems = 0;
}

void diag_free(Diag *d)
{
	size_t i;
	if (!d)
		return;
	forget_items(d);
	for (i = 0; i < d->nsrc; i++) {
		free(d->src[i].path);
		free(d->src[i].owned);
		free(d->src[i].lines);
	}
	free(d->src);
	free(d->items);
	for (i = 0; i < d->nmaps; i++) {
		free(d->from[i]);
		free(d->to[i]);
	}
	free(d->from);
	free(d->to);
	free(d);
}

void diag_show_as(Diag *d, const char *from, const char *to)
{
	d->from = xrealloc(d->from, (d->nmaps + 1) * sizeof *d->from);
	d->to = xrealloc(d->to, (d->nmaps + 1) * sizeof *d->to);
	d->from[d->nmaps] = xstrdup(from);
	d->to[d->nmaps++] = xstrdup(to);
}

uint32_t diag_add_source(Diag *d, const char *path)
{
	Source *s;
	d->src = xgrow(d->src, &d->srccap, d->nsrc + 1, sizeof *d->src);
	s = &d->src[d->nsrc++];
	memset(s, 0, sizeof *s);
	s->path = xstrdup(path);
	return (uint32_t)d->nsrc;
}

void diag_set_text(Diag *d, uint32_t file, const char *text, size_t len)
{
	Source *s;
	if (file == 0 || file > d->nsrc)
		return;
	s = &d->src[file - 1];
	s->text = text;
	s->len = text ? len : 0;
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
}

void diag_set_limit(Diag *d, size_t max_errors)
{
	d->limit = max_errors;
}

void diag_set_werror(Diag *d, bool on)
{
	d->werror = on;
}

size_t diag_error_count(const Diag *d)
{
	return d->errors;
}

size_t diag_warning_count(const Diag *d)
{
	return d->warnings;
}

size_t diag_count(const Diag *d)
{
	return d->nitems;
}

bool diag_get(const Diag *d, size_t i, DiagLevel *level, Loc *loc,
	      const char **msg)
{
	if (i >= d->nitems)
		return false;
	*level = d->items[i].level;
	*loc = d->items[i].loc;
	*msg = d->items[i].msg;
	return true;
}

const char *diag_source_path(const Diag *d, uint32_t file)
{
	return file && file <= d->nsrc ? d->src[file - 1].path : NULL;
}

bool diag_full(const Diag *d)
{
	return d->limit && d->errors >= d->limit;
}

void diag_vreport(Diag *d, DiagLevel level, Loc loc, const char *fmt,
		  va_list ap)
{
	Item *it;
	Buf b = {0};

	if (level == DIAG_WARNING && d->werror)
		level = DIAG_ERROR;
	if (level == DIAG_NOTE) {
		if (d->dropping)
			return;
	} else {
		d->dropping = level == DIAG_ERROR && diag_full(d);
		if (d->dropping) {
			d->dropped++;
			return;
		}
		if (level == DIAG_ERROR)
			d->errors++;
		else
			d->warnings++;
		d->cur_group = d->seq;
		d->cur_group_loc = loc;
	}
	buf_vprintf(&b, fmt, ap);
	d->items = xgrow(d->items, &d->itemcap, d->nitems + 1, sizeof *d->items);
	it = &d->items[d->nitems++];
	it->level = level;
	it->loc = loc;
	it->msg = buf_detach(&b, NULL);
	it->seq = d->seq++;
	/* cppcheck takes the early return for notes as the only way here
	 * for a note and then sees level == DIAG_NOTE as always true */
	/* cppcheck-suppress knownConditionTrueFalse */
	it->group = level == DIAG_NOTE ? d->cur_group : it->seq;
	/* cppcheck-suppress knownConditionTrueFalse */
	it->group_loc = level == DIAG_NOTE ? d->cur_group_loc : loc;
}

void diag_report(Diag *d, DiagLevel level, Loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, level, loc, fmt, ap);
	va_end(ap);
}

static int loc_cmp(Loc a, Loc b)
{
	if (a.file != b.file)
		return a.file < b.file ? -1 : 1;
	if (a.line != b.line)
		return a.line < b.line ? -1 : 1;
	if (a.col != b.col)
		return a.col < b.col ? -1 : 1;
	return 0;
}

static int item_cmp(const void *pa, const void *pb)
{
	const Item *a = pa, *b = pb;
	int c = loc_cmp(a->group_loc, b->group_loc);
	if (c)
		return c;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Load the text of a source whose reader has already let go of it. */
static bool source_text(Source *s)
{
	if (s->text)
		return true;
	if (s->load_failed)
		return false;
	{
		/* The file may have changed since the reader let go of it:
		 * read a regular file only (a FIFO put in its place would
		 * block) and no more than a spec file may hold. */
		int fd = open(s->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		struct stat st;
		Buf b = {0};
		char tmp[65536];
		ssize_t n;
		if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			if (fd >= 0)
				close(fd);
			s->load_failed = true;
			return false;
		}
		while (b.len <= MAX_FILE_SIZE &&
		       (n = read(fd, tmp, sizeof tmp)) > 0)
			buf_put(&b, tmp, (size_t)n);
		close(fd);
		s->owned = buf_detach(&b, &s->len);
		s->text = s->owned;
	}
	return true;
}

static bool source_line(Source *s, uint32_t line, const char **start,
			size_t *len)
{
	size_t i, cap = 0;
	const char *e;
	if (!source_text(s))
		return false;
	if (!s->lines) {
		s->lines = xgrow(NULL, &cap, 1, sizeof *s->lines);
		s->lines[s->nlines++] = 0;
		for (i = 0; i < s->len; i++) {
			if (s->text[i] == '\n' && i + 1 <= UINT32_MAX) {
				s->lines = xgrow(s->lines, &cap, s->nlines + 1,
						 sizeof *s->lines);
				s->lines[s->nlines++] = (uint32_t)(i + 1);
			}
		}
	}
	if (line == 0 || line > s->nlines)
		return false;
	*start = s->text + s->lines[line - 1];
	e = memchr(*start, '\n', s->len - s->lines[line - 1]);
	*len = e ? (size_t)(e - *start) : s->len - s->lines[line - 1];
	if (*len && (*start)[*len - 1] == '\r')
		(*len)--;
	return true;
}

/* Byte offset of code point col (1-based) in a line. */
static size_t col_offset(const char *p, size_t n, uint32_t col)
{
	size_t i = 0;
	uint32_t c = 1;
	while (i < n && c < col) {
		uint32_t cp;
		int l = utf8_decode((const unsigned char *)p + i, n - i, &cp);
		i += l > 0 ? (size_t)l : 1;
		c++;
	}
	return i;
}

enum { WINDOW = 100 };

static void print_excerpt(FILE *out, Source *s, Loc loc, bool color)
{
	const char *line;
	size_t len, caret, from, to, i;
	if (!source_line(s, loc.line, &line, &len))
		return;
	/* Columns do not count a byte-order mark, as editors do not show it. */
	if (loc.line == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	caret = col_offset(line, len, loc.col);
	/* Very long lines (minified JSON, hostile input) are shown as a window
	 * around the column. */
	from = caret > WINDOW ? caret - WINDOW : 0;
	while (from > 0 && ((unsigned char)line[from] & 0xc0) == 0x80)
		from--;
	to = len - caret > WINDOW ? caret + WINDOW : len;
	while (to < len && ((unsigned char)line[to] & 0xc0) == 0x80)
		to++;
	fprintf(out, "%5u | %s", (unsigned)loc.line, from ? "..." : "");
	for (i = from; i < to; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == 0xc2 && i + 1 < to &&
		    (unsigned char)line[i + 1] >= 0x80 &&
		    (unsigned char)line[i + 1] <= 0x9f) {
			fputc('?', out); /* a C1 control: one column */
			i++;
			continue;
		}
		fputc((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c, out);
	}
	fprintf(out, "%s\n      | %s", to < len ? "..." : "", from ? "   " : "");
	for (i = from; i < caret && i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c & 0xc0) == 0x80)
			continue;
		fputc(c == '\t' ? '\t' : ' ', out);
	}
	fprintf(out, "%s^%s\n", color ? "\033[1;32m" : "", color ? "\033[m" : "");
}

/* Paths come from the file system and may hold any byte but NUL, and
 * messages quote the specs: escape control characters, so that one
 * diagnostic stays one line and a terminal sees no escape sequence. */
static void put_path(FILE *out, const char *p)
{
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\x%02x", c);
		} else if (c == 0xc2 && (unsigned char)p[1] >= 0x80 &&
			   (unsigned char)p[1] <= 0x9f) {
			/* U+0080..U+009F, the C1 controls (U+009B is CSI) */
			fprintf(out, "\\u%04x", (unsigned char)p[1]);
			p++;
		} else {
			fputc(c, out);
		}
	}
}

void diag_print(Diag *d, FILE *out, bool color)
{
	static const char *const names[] = {"error", "warning", "note"};
	static const char *const colors[] = {"\033[1;31m", "\033[1;35m",
					     "\033[1;36m"};
	size_t i;
	if (d->nitems)
		qsort(d->items, d->nitems, sizeof *d->items, item_cmp);
	for (i = 0; i < d->nitems; i++) {
		Item *it = &d->items[i];
		const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[m" : "";
		if (it->loc.file && it->loc.file <= d->nsrc) {
			const char *p = d->src[it->loc.file - 1].path;
			size_t k, n;
			fputs(bold, out);
			for (k = 0; k < d->nmaps; k++) {
				n = strlen(d->from[k]);
				if (strncmp(p, d->from[k], n) == 0 &&
				    (!p[n] || p[n] == '/')) {
					put_path(out, d->to[k]);
					p += n;
					break;
				}
			}
			put_path(out, p);
			if (it->loc.line)
				fprintf(out, ":%u:%u", (unsigned)it->loc.line,
					(unsigned)it->loc.col);
			fprintf(out, ":%s ", reset);
		} else {
			fprintf(out, "%sxenbindgen:%s ", bold, reset);
		}
		fprintf(out, "%s%s:%s ", color ? colors[it->level] : "",
			names[it->level], reset);
		/* messages quote names and keys from the specs: no escape
		 * sequence of theirs reaches the terminal or the CI log */
		put_path(out, it->msg);
		fputc('\n', out);
		if (it->loc.file && it->loc.file <= d->nsrc && it->loc.line)
			print_excerpt(out, &d->src[it->loc.file - 1], it->loc, color);
	}
	if (d->dropped)
		fprintf(out,
			"xenbindgen: note: %zu more error%s not shown (limit %zu, "
			"see --max-errors)\n",
			d->dropped, d->dropped == 1 ? "" : "s", d->limit);
	forget_items(d);
	d->dropped = 0;
	fflush(out);
}

bool diag_want_color(const char *mode, FILE *out)
{
	const char *nc;
	if (!mode || strcmp(mode, "auto") == 0) {
		nc = getenv("NO_COLOR");
		if (nc && *nc)
			return false;
		return isatty(fileno(out));
	}
	return strcmp(mode, "always") == 0;
}
