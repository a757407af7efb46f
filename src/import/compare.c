/*
 * compare.c - `xenbindgen compare`: is each generated header a drop-in
 * replacement for the original at the same path?
 *
 * For every header of the original tree, every target and every
 * configuration that applies (tree.c), facts.c gives the facts of both
 * trees' header and this file compares them: the same names of each kind,
 * and for each name the same layout, type, value or expansion
 * (docs/compare.md gives the definition).  A difference is a line
 *
 *   HEADER: WHERE: WHAT: DETAIL
 *
 * where WHERE groups the views the same difference appears in ("tools on
 * x86_32", "tools, hypervisor on x86_32, x86_64", "everywhere"), so that a
 * difference seen in 32 views is one line.  Lines come in the header's
 * order (the original's positions, then what only the generated header
 * has), and everything is sorted: the output depends on the trees alone,
 * not on the number of threads.
 *
 * Views are independent parses: a pool of threads (one libclang index
 * each) takes them one at a time.
 */
#include "import/import.h"
#include "model/model.h"

#ifndef HAVE_LIBCLANG

int import_compare(const CompareOptions *o)
{
	(void)o;
	fputs("xenbindgen: error: compare needs libclang, and this xenbindgen "
	      "was built without it (install libclang-dev and rebuild, or "
	      "make CLANG=yes)\n", stderr);
	return STATUS_USAGE;
}

#else

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* ---- Differences ------------------------------------------------------------ */

typedef struct DiffLine {
	int cls;          /* 0 errors, 1 the original's facts, 2 added, 3 asm,
			   * 4 the compat pipeline */
	uint32_t line, col, sub;
	char *text;
} DiffLine;

typedef struct DiffList {
	DiffLine *v;
	size_t n, cap;
	int cls;
	uint32_t line, col, sub;
} DiffList;

static void add_diff(DiffList *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void add_diff(DiffList *l, const char *fmt, ...)
{
	Buf b = {0};
	va_list ap;
	DiffLine *d;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	d = &l->v[l->n++];
	d->cls = l->cls;
	d->line = l->line;
	d->col = l->col;
	d->sub = l->sub++;
	d->text = buf_detach(&b, NULL);
}

/* A string for messages: printable ASCII as is, the rest escaped. */
static void put_quoted(Buf *b, const char *s, size_t n)
{
	size_t i;
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

static void put_value(Buf *b, const Fact *f)
{
	if (f->negative)
		buf_printf(b, "%" PRId64, (int64_t)f->value);
	else
		buf_printf(b, "%" PRIu64, f->value);
}

/* What a macro is, for a message when its kind changed. */
static void describe_macro(Buf *b, const Fact *f, bool with_type)
{
	size_t i;
	switch (f->mkind) {
	case MK_INT:
		buf_puts(b, "integer ");
		put_value(b, f);
		if (with_type)
			buf_printf(b, " (%s)", f->type);
		break;
	case MK_STRING:
		buf_puts(b, "string ");
		put_quoted(b, f->str, f->strlen);
		break;
	case MK_TOKENS:
		if (*f->tokens)
			buf_printf(b, "`%s`", f->tokens);
		else
			buf_puts(b, "empty");
		break;
	case MK_FUNCTION:
		buf_puts(b, "function-like (");
		for (i = 0; i < f->nparams; i++)
			buf_printf(b, "%s%s", i ? ", " : "", f->params[i]);
		buf_printf(b, ") `%s`", f->tokens);
		break;
	}
}

static const char *shown_type(const FactMember *m)
{
	return m->spelled ? m->spelled : m->type;
}

static void diff_types(DiffList *l, const char *what, const char *ta,
		       const char *sa, const char *tb, const char *sb)
{
	const char *da, *db;
	ta = ta ? ta : "";
	tb = tb ? tb : "";
	da = sa ? sa : ta;
	db = sb ? sb : tb;
	if (strcmp(ta, tb) == 0)
		return;
	/* same spelling, other meaning: show what it means */
	if (strcmp(da, db) == 0) {
		da = ta;
		db = tb;
	}
	add_diff(l, "%stype %s, expected %s", what, db, da);
}

static void put_offset(Buf *b, int64_t off, bool bits)
{
	if (off < 0)
		buf_puts(b, "unknown");
	else if (bits)
		buf_printf(b, "%" PRId64, off);
	else
		buf_printf(b, "%" PRId64, off / 8);
}

static void diff_members(DiffList *l, const char *key, const Fact *a,
			 const Fact *b)
{
	HMap bm;
	size_t i;
	bool *seen = xcalloc(b->nmembers + 1, sizeof *seen);
	uint32_t base;
	hmap_init(&bm);
	for (i = 0; i < b->nmembers; i++)
		hmap_put(&bm, b->members[i].name, strlen(b->members[i].name),
			 index_value(i));
	for (i = 0; i < a->nmembers; i++) {
		const FactMember *ma = &a->members[i], *mb;
		size_t j = (size_t)(uintptr_t)hmap_gets(&bm, ma->name);
		Buf w = {0};
		/* a member's differences stay together, in member order,
		 * whichever views they come from */
		base = (uint32_t)(i + 1) << 4;
		l->sub = base;
		if (!j) {
			add_diff(l, "%s: member %s: missing", key, ma->name);
			continue;
		}
		mb = &b->members[j - 1];
		seen[j - 1] = true;
		buf_printf(&w, "%s: member %s: ", key, ma->name);
		if (ma->offset != mb->offset) {
			l->sub = base | 1;
			bool bits = ma->offset % 8 || mb->offset % 8;
			Buf x = {0};
			put_offset(&x, mb->offset, bits);
			buf_puts(&x, ", expected ");
			put_offset(&x, ma->offset, bits);
			add_diff(l, "%s%soffset %s", buf_cstr(&w), bits ? "bit " : "",
				 buf_cstr(&x));
			buf_free(&x);
		}
		l->sub = base | 2;
		if (ma->size != mb->size)
			add_diff(l, "%ssize %" PRId64 ", expected %" PRId64, buf_cstr(&w),
				 mb->size, ma->size);
		l->sub = base | 3;
		if (ma->align != mb->align)
			add_diff(l, "%salignment %" PRId64 ", expected %" PRId64,
				 buf_cstr(&w), mb->align, ma->align);
		l->sub = base | 4;
		if (ma->bits != mb->bits) {
			if (ma->bits < 0)
				add_diff(l, "%sbit-field of %d bits, expected no bit-field",
					 buf_cstr(&w), mb->bits);
			else if (mb->bits < 0)
				add_diff(l, "%snot a bit-field, expected %d bits",
					 buf_cstr(&w), ma->bits);
			else
				add_diff(l, "%sbit width %d, expected %d", buf_cstr(&w),
					 mb->bits, ma->bits);
		}
		l->sub = base | 5;
		diff_types(l, buf_cstr(&w), ma->type, shown_type(ma), mb->type,
			   shown_type(mb));
		buf_free(&w);
	}
	for (i = 0; i < b->nmembers; i++) {
		l->sub = (uint32_t)(a->nmembers + i + 1) << 4;
		if (!seen[i])
			add_diff(l, "%s: member %s: added", key, b->members[i].name);
	}
	hmap_free(&bm);
	free(seen);
}

static void diff_macro(DiffList *l, const Fact *a, const Fact *b, bool asm_view)
{
	const char *k = a->key;
	if (a->live != b->live)
		add_diff(l, "%s: %s at the end of the header, expected %s", k,
			 b->live ? "defined" : "undefined",
			 a->live ? "defined" : "undefined");
	if (a->mkind != b->mkind) {
		Buf x = {0}, y = {0};
		describe_macro(&x, b, !asm_view);
		describe_macro(&y, a, !asm_view);
		add_diff(l, "%s: %s, expected %s", k, buf_cstr(&x), buf_cstr(&y));
		buf_free(&x);
		buf_free(&y);
		return;
	}
	switch (a->mkind) {
	case MK_INT:
		if (a->value != b->value || a->negative != b->negative) {
			Buf x = {0}, y = {0};
			put_value(&x, b);
			put_value(&y, a);
			add_diff(l, "%s: value %s, expected %s", k, buf_cstr(&x),
				 buf_cstr(&y));
			buf_free(&x);
			buf_free(&y);
		}
		/* an assembler has no C types */
		if (!asm_view && strcmp(a->type, b->type) != 0)
			add_diff(l, "%s: C type %s, expected %s", k, b->type, a->type);
		break;
	case MK_STRING:
		if (a->strlen != b->strlen || memcmp(a->str, b->str, a->strlen) != 0) {
			Buf x = {0}, y = {0};
			put_quoted(&x, b->str, b->strlen);
			put_quoted(&y, a->str, a->strlen);
			add_diff(l, "%s: string %s, expected %s", k, buf_cstr(&x),
				 buf_cstr(&y));
			buf_free(&x);
			buf_free(&y);
		}
		break;
	case MK_TOKENS:
		if (strcmp(a->tokens, b->tokens) != 0)
			add_diff(l, "%s: expansion `%s`, expected `%s`", k, b->tokens,
				 a->tokens);
		break;
	case MK_FUNCTION: {
		Buf x = {0}, y = {0};
		size_t i;
		bool same = a->nparams == b->nparams;
		for (i = 0; same && i < a->nparams; i++)
			same = strcmp(a->params[i], b->params[i]) == 0;
		if (!same) {
			for (i = 0; i < b->nparams; i++)
				buf_printf(&x, "%s%s", i ? ", " : "", b->params[i]);
			for (i = 0; i < a->nparams; i++)
				buf_printf(&y, "%s%s", i ? ", " : "", a->params[i]);
			add_diff(l, "%s: parameters (%s), expected (%s)", k, buf_cstr(&x),
				 buf_cstr(&y));
		}
		/* a renamed parameter is one difference, not two */
		if (strcmp(a->spelled, b->spelled) != 0)
			add_diff(l, "%s: expansion `%s`, expected `%s`", k, b->tokens,
				 a->tokens);
		buf_free(&x);
		buf_free(&y);
		break;
	}
	}
}

static void diff_fact(DiffList *l, const Fact *a, const Fact *b, bool asm_view)
{
	const char *k = a->key;
	switch (a->kind) {
	case FK_RECORD:
		if (a->complete != b->complete) {
			add_diff(l, "%s: %s, expected %s", k,
				 b->complete ? "defined" : "declared only",
				 a->complete ? "a definition" : "only a declaration");
			return;
		}
		if (a->size != b->size)
			add_diff(l, "%s: size %" PRId64 ", expected %" PRId64, k, b->size,
				 a->size);
		if (a->align != b->align)
			add_diff(l, "%s: alignment %" PRId64 ", expected %" PRId64, k,
				 b->align, a->align);
		diff_members(l, k, a, b);
		break;
	case FK_ENUM:
		if (a->complete != b->complete)
			add_diff(l, "%s: %s, expected %s", k,
				 b->complete ? "defined" : "declared only",
				 a->complete ? "a definition" : "only a declaration");
		else if (a->complete && strcmp(a->type, b->type) != 0)
			add_diff(l, "%s: integer type %s, expected %s", k, b->type,
				 a->type);
		break;
	case FK_ENUMERATOR:
		if (a->value != b->value || a->negative != b->negative) {
			Buf x = {0}, y = {0};
			put_value(&x, b);
			put_value(&y, a);
			add_diff(l, "%s: value %s, expected %s", k, buf_cstr(&x),
				 buf_cstr(&y));
			buf_free(&x);
			buf_free(&y);
		}
		if (strcmp(a->type, b->type) != 0)
			add_diff(l, "%s: type %s, expected %s", k, b->type, a->type);
		break;
	case FK_TYPEDEF:
	case FK_FUNCTION:
	case FK_VARIABLE: {
		Buf w = {0};
		buf_printf(&w, "%s: ", k);
		diff_types(l, buf_cstr(&w), a->type, a->spelled, b->type, b->spelled);
		buf_free(&w);
		break;
	}
	case FK_MACRO:
		diff_macro(l, a, b, asm_view);
		break;
	case NFACTKINDS:
		break;
	}
}

/* Sorted string lists: what only b has is "added", only a "missing". */
static void diff_sorted(DiffList *l, const char *what, const char *const *a,
			size_t na, const char *const *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
		if (c < 0)
			add_diff(l, "%s: %s: missing", what, a[i++]);
		else if (c > 0)
			add_diff(l, "%s: %s: added", what, b[j++]);
		else
			i++, j++;
	}
}

static void diff_asm(DiffList *l, const Facts *a, const Facts *b)
{
	const char **sa = xcalloc(a->nasm + 1, sizeof *sa);
	const char **sb = xcalloc(b->nasm + 1, sizeof *sb);
	size_t i, before = l->n;
	bool same_order = a->nasm == b->nasm;
	for (i = 0; i < a->nasm; i++) {
		sa[i] = a->asm_lines[i];
		if (same_order && strcmp(a->asm_lines[i], b->asm_lines[i]) != 0)
			same_order = false;
	}
	for (i = 0; i < b->nasm; i++)
		sb[i] = b->asm_lines[i];
	if (!same_order) {
		qsort(sa, a->nasm, sizeof *sa, cmp_str);
		qsort(sb, b->nasm, sizeof *sb, cmp_str);
		diff_sorted(l, "assembler line", sa, a->nasm, sb, b->nasm);
		if (l->n == before)
			add_diff(l, "assembler lines: the same lines in another order");
	}
	free(sa);
	free(sb);
}

static void diff_view(DiffList *l, const Facts *a, const Facts *b, ViewConfig c)
{
	HMap bk;
	size_t i;
	bool asm_view = c == CFG_ASM;
	bool *seen = xcalloc(b->n + 1, sizeof *seen);

	l->cls = 0;
	l->line = l->col = l->sub = 0;
	if (!asm_view)
		diff_sorted(l, "error", a->errors, a->nerrors, b->errors, b->nerrors);
	hmap_init(&bk);
	for (i = 0; i < b->n; i++)
		hmap_put(&bk, b->v[i].key, strlen(b->v[i].key), index_value(i));
	for (i = 0; i < a->n; i++) {
		const Fact *fa = &a->v[i];
		size_t j;
		if (asm_view && fa->kind != FK_MACRO)
			continue;
		j = (size_t)(uintptr_t)hmap_gets(&bk, fa->key);
		l->cls = 1;
		l->line = fa->line;
		l->col = fa->col;
		l->sub = 0;
		if (!j) {
			add_diff(l, "%s: missing", fa->key);
			continue;
		}
		seen[j - 1] = true;
		if (b->v[j - 1].kind != fa->kind) {
			add_diff(l, "%s: a %s, expected a %s", fa->key,
				 fact_kind_name(b->v[j - 1].kind), fact_kind_name(fa->kind));
			continue;
		}
		diff_fact(l, fa, &b->v[j - 1], asm_view);
	}
	for (i = 0; i < b->n; i++) {
		if (seen[i] || (asm_view && b->v[i].kind != FK_MACRO))
			continue;
		l->cls = 2;
		l->line = b->v[i].line;
		l->col = b->v[i].col;
		l->sub = 0;
		add_diff(l, "%s: added", b->v[i].key);
	}
	if (asm_view) {
		l->cls = 3;
		l->line = l->col = l->sub = 0;
		diff_asm(l, a, b);
	}
	hmap_free(&bk);
	free(seen);
}

/* ---- The compat pipeline's outputs ----------------------------------------
 * Compared as C tokens: the layout of the text is the preprocessor's and
 * the scripts', not the header's. */

typedef struct Toks {
	char **v;
	size_t n, cap;
} Toks;

static void tokenize(Toks *t, const char *p, const char *end)
{
	while (p < end) {
		const char *q = p;
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v' || (*p == '\\' && p + 1 < end && p[1] == '\n')) {
			p++;
			continue;
		}
		if (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')) {
			while (q < end && (*q == '_' || (*q >= 'a' && *q <= 'z') ||
					   (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
				q++;
		} else if (*p == '"' || *p == '\'') {
			for (q = p + 1; q < end && *q != *p && *q != '\n'; q++)
				if (*q == '\\' && q + 1 < end)
					q++;
			if (q < end)
				q++;
		} else {
			q = p + 1;
		}
		t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
		t->v[t->n++] = xstrndup(p, (size_t)(q - p));
		p = q;
	}
}

static void toks_free(Toks *t)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static void put_span(Buf *b, const Toks *t, size_t from, size_t to)
{
	size_t i, cap = from + 24;
	for (i = from; i < to && i < cap; i++)
		buf_printf(b, "%s%s", i > from ? " " : "", t->v[i]);
	if (to > cap)
		buf_puts(b, " ...");
}

/* One line for what differs between two token lists: the changed tokens
 * with three of context, common prefix and suffix left out. */
static void diff_tokens(DiffList *l, const char *what, const Toks *a,
			const Toks *b)
{
	size_t p = 0, q = 0, from, ta, tb;
	Buf x = {0}, y = {0};
	while (p < a->n && p < b->n && strcmp(a->v[p], b->v[p]) == 0)
		p++;
	if (p == a->n && p == b->n)
		return;
	while (q < a->n - p && q < b->n - p &&
	       strcmp(a->v[a->n - 1 - q], b->v[b->n - 1 - q]) == 0)
		q++;
	from = p > 3 ? p - 3 : 0;
	ta = a->n - q + 3 < a->n ? a->n - q + 3 : a->n;
	tb = b->n - q + 3 < b->n ? b->n - q + 3 : b->n;
	put_span(&x, b, from, tb);
	put_span(&y, a, from, ta);
	add_diff(l, "%s: `%s`, expected `%s`", what, buf_cstr(&x), buf_cstr(&y));
	buf_free(&x);
	buf_free(&y);
}

typedef struct Macros {
	char **name;
	Toks *body;
	size_t n, cap, bcap;
} Macros;

/* get-fields.sh output: "#define NAME..." blocks */
static void split_macros(Macros *m, const char *text)
{
	const char *p = text;
	memset(m, 0, sizeof *m);
	while (p && *p) {
		const char *d = strstr(p, "#define "), *e, *next;
		Toks t = {0};
		if (!d)
			break;
		d += 8;
		for (e = d; *e && *e != ' ' && *e != '(' && *e != '\\' && *e != '\n'; e++)
			;
		next = strstr(e, "#define ");
		tokenize(&t, e, next ? next : e + strlen(e));
		m->name = xgrow(m->name, &m->cap, m->n + 1, sizeof *m->name);
		m->body = xgrow(m->body, &m->bcap, m->n + 1, sizeof *m->body);
		m->name[m->n] = xstrndup(d, (size_t)(e - d));
		m->body[m->n++] = t;
		p = next;
	}
}

static void macros_free(Macros *m)
{
	size_t i;
	for (i = 0; i < m->n; i++) {
		free(m->name[i]);
		toks_free(&m->body[i]);
	}
	free(m->name);
	free(m->body);
}

static void diff_compat(DiffList *l, const char *path, const CompatOut *a,
			const CompatOut *b)
{
	Toks ta = {0}, tb = {0};
	Macros ma, mb;
	size_t i, j;
	Buf what = {0};
	l->cls = 4;
	l->line = l->col = l->sub = 0;
	if (a->error || b->error) {
		if (!a->error)
			add_diff(l, "compat\t%s", b->error);
		else if (!b->error)
			add_diff(l, "compat\tsucceeds, expected: %s", a->error);
		else if (strcmp(a->error, b->error) != 0)
			add_diff(l, "compat\t%s, expected: %s", b->error, a->error);
		return;
	}
	buf_printf(&what, "compat\tcompat/%s", path);
	tokenize(&ta, a->header, a->header + strlen(a->header));
	tokenize(&tb, b->header, b->header + strlen(b->header));
	diff_tokens(l, buf_cstr(&what), &ta, &tb);
	toks_free(&ta);
	toks_free(&tb);
	split_macros(&ma, a->xlat);
	split_macros(&mb, b->xlat);
	for (i = 0; i < ma.n; i++) {
		for (j = 0; j < mb.n; j++)
			if (strcmp(ma.name[i], mb.name[j]) == 0)
				break;
		if (j == mb.n) {
			add_diff(l, "compat\t%s: missing", ma.name[i]);
		} else {
			buf_clear(&what);
			buf_printf(&what, "compat\t%s", ma.name[i]);
			diff_tokens(l, buf_cstr(&what), &ma.body[i], &mb.body[j]);
		}
	}
	for (j = 0; j < mb.n; j++) {
		for (i = 0; i < ma.n; i++)
			if (strcmp(ma.name[i], mb.name[j]) == 0)
				break;
		if (i == ma.n)
			add_diff(l, "compat\t%s: added", mb.name[j]);
	}
	buf_free(&what);
	macros_free(&ma);
	macros_free(&mb);
}

/* Xen's header checks with the host's compilers: the same outcome. */
static void diff_check(DiffList *l, const char *check, const char *a,
		       const char *b)
{
	l->cls = 4;
	l->line = l->col = 0;
	if (!a && b)
		add_diff(l, "%s\tfails: %s", check, b);
	else if (a && !b)
		add_diff(l, "%s\tpasses, expected it to fail: %s", check, a);
	else if (a && b && strcmp(a, b) != 0)
		add_diff(l, "%s\tfails: %s, expected: %s", check, b, a);
}

/* ---- The work ---------------------------------------------------------------- */

typedef struct Job {
	size_t header;     /* index in the original tree */
	int target;        /* -1: the compat pipeline */
	ViewConfig config;
	DiffList diffs;
	unsigned parses;
	int status;
} Job;

typedef struct Work {
	const CompareOptions *o;
	HeaderTree a, b;
	Job *jobs;
	size_t njobs, next;
	pthread_mutex_t lock;
	unsigned parses;
	CompatScripts scripts;
	char *workdir;     /* the compat pipeline's, removed at the end */
} Work;

/* The text tools of part (d): the compat pipeline, for the headers it
 * takes, and Xen's header checks with the host's compilers. */
static void run_compat(Work *w, Job *j)
{
	static const struct {
		int config;
		const char *name;
	} checks[] = {
		{CFG_C89, "headers.chk"}, {CFG_C99, "headers99.chk"},
		{CFG_CXX, "headers++.chk"},
	};
	const TreeHeader *h = &w->a.h[j->header];
	Buf da = {0}, db = {0};
	const char *cpp = w->o->cpp ? w->o->cpp : "cc -E";
	size_t k;
	buf_printf(&da, "%s/%zu/a", w->workdir, (size_t)(j - w->jobs));
	buf_printf(&db, "%s/%zu/b", w->workdir, (size_t)(j - w->jobs));
	if (compat_applies(&w->scripts, h->path)) {
		CompatOut oa, ob;
		if (compat_run(&w->scripts, w->a.root, h->path, buf_cstr(&da), cpp, &oa) ||
		    compat_run(&w->scripts, w->b.root, h->path, buf_cstr(&db), cpp, &ob))
			j->status = STATUS_IO;
		else
			diff_compat(&j->diffs, h->path, &oa, &ob);
		compat_out_free(&oa);
		compat_out_free(&ob);
	}
	for (k = 0; k < ARRAY_LEN(checks); k++) {
		char *ea, *eb;
		if (config_skip_reason(h, (ViewConfig)checks[k].config))
			continue;
		ea = xen_header_check(w->a.root, h->path, checks[k].config, buf_cstr(&da));
		eb = xen_header_check(w->b.root, h->path, checks[k].config, buf_cstr(&db));
		j->diffs.sub = 1000 + (uint32_t)k;
		diff_check(&j->diffs, checks[k].name, ea, eb);
		free(ea);
		free(eb);
	}
	buf_free(&da);
	buf_free(&db);
}

static void run_job(Work *w, FactsCtx *cx, Job *j)
{
	const TreeHeader *ha = &w->a.h[j->header];
	const TreeHeader *hb = tree_find(&w->b, ha->path);
	const char *prelude[16];
	FactsView va, vb;
	Facts fa, fb;
	int sa, sb;

	memset(&va, 0, sizeof va);
	va.tree = &w->a;
	va.hdr = ha;
	va.target = j->target;
	va.config = j->config;
	va.latest = w->a.latest;
	va.prelude = prelude;
	va.nprelude = tree_prelude(&w->a, ha, j->config, prelude, ARRAY_LEN(prelude));
	vb = va;
	vb.tree = &w->b;
	vb.hdr = hb;
	sa = facts_collect(cx, &va, &fa);
	sb = facts_collect(cx, &vb, &fb);
	j->parses = fa.parses + fb.parses;
	if (sa || sb)
		j->status = STATUS_IO;
	else
		diff_view(&j->diffs, &fa, &fb, j->config);
	facts_free(&fa);
	facts_free(&fb);
}

static void *worker(void *arg)
{
	Work *w = arg;
	FactsCtx *cx = facts_ctx_new();
	for (;;) {
		Job *j;
		pthread_mutex_lock(&w->lock);
		j = w->next < w->njobs ? &w->jobs[w->next++] : NULL;
		pthread_mutex_unlock(&w->lock);
		if (!j)
			break;
		if (j->target < 0)
			run_compat(w, j);
		else
			run_job(w, cx, j);
	}
	facts_ctx_free(cx);
	return NULL;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static void run_all(Work *w, unsigned nthreads)
{
	pthread_t *th;
	unsigned i, started = 0;
	if (nthreads > w->njobs)
		nthreads = w->njobs ? (unsigned)w->njobs : 1;
	if (nthreads <= 1) {
		worker(w);
		return;
	}
	th = xcalloc(nthreads, sizeof *th);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, worker, w) == 0)
			started++;
		else
			break;
	if (!started)
		worker(w); /* no threads to be had: do it here */
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
}

/* ---- Output ------------------------------------------------------------------ */

typedef struct Group {
	const DiffLine *first; /* the earliest occurrence: its place and text */
	unsigned mask[NTARGETS]; /* configurations per target */
} Group;

static int cmp_line(const DiffLine *a, const DiffLine *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->sub != b->sub)
		return a->sub < b->sub ? -1 : 1;
	return strcmp(a->text, b->text);
}

static int cmp_group(const void *x, const void *y)
{
	const Group *a = x, *b = y;
	return cmp_line(a->first, b->first);
}

static void put_configs(Buf *b, unsigned mask, unsigned all, bool sum)
{
	int c;
	bool first = true;
	if (sum && mask == all && (all & (all - 1)) != 0) {
		buf_puts(b, "all configurations");
		return;
	}
	for (c = 0; c < NCONFIGS; c++)
		if (mask >> c & 1u) {
			buf_printf(b, "%s%s", first ? "" : ", ", config_names[c]);
			first = false;
		}
}

/* "tools on x86_32", "tools, guest on all targets; c89 on arm32", or
 * "everywhere".  "all" means every target or configuration that applies:
 * it is said only when the command line did not narrow them (sum_t,
 * sum_c), where it would claim more than was compared. */
static void where(Buf *b, const Group *g, unsigned tmask, unsigned cmask,
		  bool sum_t, bool sum_c)
{
	bool done[NTARGETS] = {false};
	int t, u;
	bool first_group = true;
	unsigned ntargets = 0;
	for (t = 0; t < NTARGETS; t++)
		ntargets += tmask >> t & 1u;
	for (t = 0; t < NTARGETS; t++) {
		unsigned tm = 0, n = 0;
		bool first = true;
		if (!(tmask >> t & 1u) || done[t] || !g->mask[t])
			continue;
		for (u = t; u < NTARGETS; u++)
			if ((tmask >> u & 1u) && !done[u] && g->mask[u] == g->mask[t]) {
				tm |= 1u << u;
				n++;
			}
		if (!first_group)
			buf_puts(b, "; ");
		first_group = false;
		if (sum_t && sum_c && n == ntargets && g->mask[t] == cmask &&
		    ntargets > 1 && (cmask & (cmask - 1)) != 0) {
			buf_puts(b, "everywhere");
			return;
		}
		put_configs(b, g->mask[t], cmask, sum_c);
		buf_puts(b, " on ");
		if (sum_t && n == ntargets && n > 1) {
			buf_puts(b, "all targets");
		} else {
			for (u = 0; u < NTARGETS; u++)
				if (tm >> u & 1u) {
					buf_printf(b, "%s%s", first ? "" : ", ", targets[u].name);
					first = false;
				}
		}
		for (u = 0; u < NTARGETS; u++)
			if (tm >> u & 1u)
				done[u] = true;
	}
}

/* Print one header's result; true if it is a drop-in. */
static bool report_header(Work *w, size_t hi, const Job *jobs, size_t nj,
			  unsigned tmask, unsigned cmask, Buf *skips)
{
	const char *path = w->a.h[hi].path;
	HMap idx;
	Group *g = NULL;
	size_t ng = 0, cap = 0, i, k;
	bool ok;

	hmap_init(&idx);
	for (i = 0; i < nj; i++) {
		for (k = 0; k < jobs[i].diffs.n; k++) {
			const DiffLine *d = &jobs[i].diffs.v[k];
			size_t gi = (size_t)(uintptr_t)hmap_gets(&idx, d->text);
			if (!gi) {
				g = xgrow(g, &cap, ng + 1, sizeof *g);
				memset(&g[ng], 0, sizeof *g);
				g[ng].first = d;
				gi = ++ng;
				hmap_put(&idx, d->text, strlen(d->text), index_value(gi - 1));
			}
			if (cmp_line(d, g[gi - 1].first) < 0)
				g[gi - 1].first = d;
			if (jobs[i].target >= 0)
				g[gi - 1].mask[jobs[i].target] |= 1u << jobs[i].config;
		}
	}
	if (ng > 1)
		qsort(g, ng, sizeof *g, cmp_group);
	ok = ng == 0;
	if (ok) {
		printf("%s: drop-in%s\n", path, buf_cstr(skips));
	} else {
		for (i = 0; i < ng; i++) {
			Buf wh = {0};
			const char *text = g[i].first->text, *tab = strchr(text, '\t');
			if (g[i].first->cls == 4 && tab) {
				/* Xen's scripts and checks: where is in the text */
				buf_put(&wh, text, (size_t)(tab - text));
				text = tab + 1;
			} else {
				where(&wh, &g[i], tmask, cmask, !w->o->targets,
				      !w->o->configs);
			}
			printf("%s: %s: %s\n", path, buf_cstr(&wh), text);
			buf_free(&wh);
		}
	}
	hmap_free(&idx);
	free(g);
	return ok;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The forwarding headers (facts.c) name files by their absolute path in a
 * quoted #include, which has no escapes. */
static bool root_ok(const char *root)
{
	const char *p;
	for (p = root; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			return false;
	return true;
}

int import_compare(const CompareOptions *o)
{
	Work w;
	Diag *d = diag_new();
	unsigned tmask = o->targets, cmask = o->configs;
	size_t i, nsel = 0, nok = 0, nj = 0, first;
	bool *sel = NULL;
	int st = STATUS_OK, t, c;
	double t0 = now_ms();

	memset(&w, 0, sizeof w);
	w.o = o;
	if (!tmask)
		tmask = 1u << TGT_X86_32 | 1u << TGT_X86_64 | 1u << TGT_ARM32 |
			1u << TGT_ARM64;
	if (!cmask)
		cmask = (1u << NCONFIGS) - 1;
	/* before any thread: every view calls into libclang */
	st = libclang_load(d);
	if (!st)
		st = tree_load(&w.a, o->original, d);
	if (!st)
		st = tree_load(&w.b, o->generated, d);
	if (!st && (!root_ok(w.a.root) || !root_ok(w.b.root))) {
		diag_error(d, NO_LOC, "compare: a directory whose path has '\"', '\\' "
			   "or a control character cannot be included by path");
		st = STATUS_USAGE;
	}
	if (!st && w.a.n == 0) {
		diag_error(d, NO_LOC, "%s: no headers (*.h) found", o->original);
		st = STATUS_IO;
	}
	if (!st && (cmask >> CFG_GUEST & 1u) && !w.a.have_latest) {
		diag_error(d, NO_LOC, "%s: xen-compat.h does not define "
			   "__XEN_LATEST_INTERFACE_VERSION__, which the guest "
			   "configuration needs (or leave it out with --config)",
			   o->original);
		st = STATUS_USAGE;
	}
	sel = xcalloc(w.a.n + 1, sizeof *sel);
	for (i = 0; !st && i < o->nheaders; i++) {
		const TreeHeader *h = tree_find(&w.a, o->headers[i]);
		if (!h) {
			diag_error(d, NO_LOC, "%s: no header %s", o->original,
				   o->headers[i]);
			st = STATUS_USAGE;
		} else {
			sel[h - w.a.h] = true;
		}
	}
	if (!st && o->xen_scripts) {
		st = compat_scripts_load(&w.scripts, o->xen_scripts, d);
		if (!st) {
			const char *tmp = getenv("TMPDIR");
			Buf b = {0};
			buf_printf(&b, "%s/xenbindgen-compare-XXXXXX", tmp && *tmp ? tmp : "/tmp");
			w.workdir = buf_detach(&b, NULL);
			if (!mkdtemp(w.workdir)) {
				diag_error(d, NO_LOC, "cannot make a work directory in %s: %s",
					   tmp && *tmp ? tmp : "/tmp", strerror(errno));
				free(w.workdir);
				w.workdir = NULL;
				st = STATUS_IO;
			}
		}
	}
	if (st) {
		diag_print(d, stderr, false);
		goto out;
	}
	if (!o->nheaders)
		for (i = 0; i < w.a.n; i++)
			sel[i] = true;

	/* the views: header-major, then target, then configuration */
	w.jobs = xcalloc(w.a.n * (NTARGETS * NCONFIGS + 1) + 1, sizeof *w.jobs);
	for (i = 0; i < w.a.n; i++) {
		if (!sel[i] || !tree_find(&w.b, w.a.h[i].path))
			continue;
		unsigned home = tree_home_targets(&w.a, &w.a.h[i]), want = home & tmask;
		/* arch-riscv.h is compared on riscv64, unless --target
		 * asked for others */
		if (!want)
			want = o->targets ? tmask : home;
		for (t = 0; t < NTARGETS; t++) {
			/* a header Xen includes on some targets only is
			 * compared there (xen-x86_32.h on x86_32) */
			if (!(want >> t & 1u))
				continue;
			for (c = 0; c < NCONFIGS; c++) {
				Job *j;
				if (!(cmask >> c & 1u) ||
				    config_skip_reason(&w.a.h[i], (ViewConfig)c))
					continue;
				j = &w.jobs[w.njobs++];
				j->header = i;
				j->target = t;
				j->config = (ViewConfig)c;
			}
		}
		if (w.workdir) {
			w.jobs[w.njobs].header = i;
			w.jobs[w.njobs++].target = -1;
		}
	}
	pthread_mutex_init(&w.lock, NULL);
	run_all(&w, o->jobs ? o->jobs : default_jobs());
	pthread_mutex_destroy(&w.lock);

	first = 0;
	for (i = 0; i < w.a.n; i++) {
		unsigned hc = 0;
		Buf skips = {0};
		size_t k;
		if (!sel[i])
			continue;
		nsel++;
		if (!tree_find(&w.b, w.a.h[i].path)) {
			printf("%s: missing from %s\n", w.a.h[i].path, o->generated);
			continue;
		}
		for (c = 0; c < NCONFIGS; c++) {
			const char *why = config_skip_reason(&w.a.h[i], (ViewConfig)c);
			if (!(cmask >> c & 1u))
				continue;
			if (why && o->stats)
				buf_printf(&skips, "%s%s: %s", skips.len ? "; " : " (not "
					   "compared: ", config_names[c], why);
			else if (!why)
				hc |= 1u << c;
		}
		if (skips.len)
			buf_putc(&skips, ')');
		for (nj = 0; first + nj < w.njobs && w.jobs[first + nj].header == i; nj++)
			if (w.jobs[first + nj].status)
				st = STATUS_IO;
		for (k = 0; k < nj; k++)
			w.parses += w.jobs[first + k].parses;
		if (report_header(&w, i, w.jobs + first, nj, tmask, hc, &skips))
			nok++;
		first += nj;
		buf_free(&skips);
	}
	/* the headers of the generated tree that the original lacks */
	if (!o->nheaders) {
		size_t extra = 0;
		for (i = 0; i < w.b.n; i++)
			if (!tree_find(&w.a, w.b.h[i].path))
				extra++;
		if (extra)
			printf("note: %zu header%s of %s not in %s (not compared)\n",
			       extra, extra == 1 ? "" : "s", o->generated, o->original);
	}
	printf("%zu/%zu headers drop-in\n", nok, nsel);
	fflush(stdout);
	if (o->stats) {
		double ms = now_ms() - t0;
		fprintf(stderr, "compare: %zu views, %u parses in %.2f s (%.2f ms per "
			"parse, %u threads)\n", w.njobs, w.parses, ms / 1e3,
			w.parses ? ms / w.parses : 0.0,
			o->jobs ? o->jobs : default_jobs());
	}
	if (st) {
		fprintf(stderr, "xenbindgen: error: compare: libclang could not "
			"parse some views\n");
	} else if (nok != nsel) {
		st = STATUS_SPEC;
	}
	for (i = 0; i < w.njobs; i++) {
		size_t k;
		for (k = 0; k < w.jobs[i].diffs.n; k++)
			free(w.jobs[i].diffs.v[k].text);
		free(w.jobs[i].diffs.v);
	}
	free(w.jobs);
out:
	if (w.workdir) {
		compat_remove_tree(w.workdir);
		free(w.workdir);
	}
	compat_scripts_free(&w.scripts);
	free(sel);
	tree_free(&w.a);
	tree_free(&w.b);
	diag_free(d);
	return st;
}

#endif
