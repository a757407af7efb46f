/*
 * ibuild.c - one header into the importer's entries.
 *
 * The header is cut into entries in its own order: its directives (every
 * #define, #include, #error, #undef), the declarations libclang finds in
 * any of its views (a struct with its typedef, a typedef, an enum, a
 * DEFINE_XEN_GUEST_HANDLE line, a function), and whatever text is left
 * (code no view compiles, such as an #else no compiler takes).  Each
 * entry is then said in the spec language if it can be, as the header
 * spells it; if not, it stays the header's own text, a verbatim block,
 * and the reason is a diagnostic located in the header.
 *
 * Conditions come from the header's #if lines (htext.c, hcond.c), not
 * from the views: a view says only whether a declaration is there; the
 * views are merged (a field under #ifdef __XEN__ is seen by the
 * hypervisor's views only) and used to check the conditions read from the
 * text.  Values come from the views: an enumerator's value, whether a
 * macro is an integer.
 */
#include "import/import.h"
#include "model/model.h"

#include <stdarg.h>
#include <stdlib.h>

static bool id_char_c(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static void *grow_arena(Arena *a, void *p, size_t n, size_t sz)
{
	return arena_grow(a, p, n, n + 1, sz);
}

void idiag(IHeader *H, uint32_t off, DiagLevel level, const char *fmt, ...)
{
	va_list ap;
	Buf b = {0};
	IDiag *d;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	H->diags = xgrow(H->diags, &H->diagcap, H->ndiags + 1, sizeof *H->diags);
	d = &H->diags[H->ndiags++];
	d->line = off == UINT32_MAX ? 0 : htext_line_of(&H->text, off);
	d->col = off == UINT32_MAX ? 0 : htext_col_of(&H->text, off);
	d->level = level;
	d->msg = arena_strdup(&H->arena, buf_cstr(&b));
	buf_free(&b);
}

void iheader_free(IHeader *H)
{
	htext_free(&H->text);
	free(H->e);
	free(H->diags);
	buf_free(&H->facts_out);
	arena_free(&H->arena);
	memset(H, 0, sizeof *H);
}

/* ---- Documents ------------------------------------------------------------ */

typedef struct B {
	IHeader *H;
	Arena *a;
	IView *views;
	size_t nviews;
	unsigned caps;
	uint32_t latest;
	bool *used;          /* comments taken */
	/* struct typedef names -> struct name, of this header */
	HMap typedefs;
	int depth;           /* nesting of the record being read */
	/* pending hoisted records */
	IEntry *hoist;
	size_t nhoist, hoistcap;
} B;

static DocNode *dstr(Arena *a, const char *s)
{
	return doc_new_string(a, NO_LOC, s, strlen(s));
}

static DocNode *dint(Arena *a, int64_t v)
{
	DocNode *n = doc_new(a, DOC_INTEGER, NO_LOC);
	n->u.i = v;
	return n;
}

static DocNode *dbool(Arena *a, bool v)
{
	DocNode *n = doc_new(a, DOC_BOOL, NO_LOC);
	n->u.b = v;
	return n;
}

static DocNode *dtable(Arena *a)
{
	DocNode *t = doc_new(a, DOC_TABLE, NO_LOC);
	t->flags = DOC_F_INLINE;
	return t;
}

static DocNode *darray(Arena *a)
{
	DocNode *t = doc_new(a, DOC_ARRAY, NO_LOC);
	t->flags = DOC_F_INLINE;
	return t;
}

static void dput(Arena *a, DocNode *t, const char *key, DocNode *v)
{
	if (v)
		doc_table_add(a, t, key, strlen(key), NO_LOC, v);
}

static DocNode *dtype1(Arena *a, const char *ctor, DocNode *arg)
{
	DocNode *t = dtable(a);
	dput(a, t, ctor, arg);
	return t;
}

static void add_use(B *b, IEntry *e, const char *name)
{
	size_t i;
	for (i = 0; i < e->nuses; i++)
		if (strcmp(e->uses[i], name) == 0)
			return;
	e->uses = grow_arena(b->a, e->uses, e->nuses, sizeof *e->uses);
	e->uses[e->nuses++] = arena_strdup(b->a, name);
}

static void add_def(Arena *a, IEntry *e, const char *name)
{
	e->defs = grow_arena(a, e->defs, e->ndefs, sizeof *e->defs);
	e->defs[e->ndefs++] = arena_strdup(a, name);
}

/* ---- Verbatim ---------------------------------------------------------------- */

const char *ientry_text(IHeader *H, const IEntry *e)
{
	const char *p = H->text.text + e->start, *q = H->text.text + e->end;
	Buf b = {0};
	const char *r;
	/* trailing blanks and line breaks go; the text is otherwise the
	 * header's, comments, splices and all */
	while (q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n' ||
			 q[-1] == '\r'))
		q--;
	if (e->wrap_cond) {
		buf_puts(&b, "#if ");
		icond_ctx_text(&b, &H->text, e->ctx, H->text.guard_ctx);
		buf_putc(&b, '\n');
	}
	buf_put(&b, p, (size_t)(q - p));
	if (e->wrap_cond)
		buf_puts(&b, "\n#endif");
	r = arena_strndup(&H->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

void ientry_verbatim(IHeader *H, IEntry *e, const char *why)
{
	size_t i;
	uint32_t at = e->start;
	bool was = e->doc != NULL;
	e->verbatim = true;
	e->doc = NULL;
	e->kind = "verbatim";
	e->nuses = 0;
	e->has_handle = false;
	/* what it had taken in (its DEFINE_XEN_GUEST_HANDLE) is text again;
	 * but its typedef stays with it, in its text: as two verbatim items
	 * the C backend would write them in two #if groups, and the typedef
	 * would no longer be folded when the generated header is imported */
	for (i = 0; was && i < H->n; i++) {
		if (H->e[i].part && H->e[i].owner == at)
			H->e[i].hidden = true;
		if (H->e[i].absorbed && H->e[i].owner == at &&
		    strcmp(H->e[i].kind, "typedef") == 0 && H->e[i].ctx == e->ctx &&
		    H->e[i].start >= e->end) {
			H->e[i].absorbed = false;
			H->e[i].verbatim = true;
			H->e[i].doc = NULL;
			e->end = H->e[i].end;
			continue;
		}
		if (H->e[i].absorbed && H->e[i].owner == at) {
			H->e[i].absorbed = false;
			H->e[i].hidden = false;
			H->e[i].verbatim = true;
			H->e[i].doc = NULL;
			H->e[i].kind = "verbatim";
			if (!H->e[i].why) {
				H->e[i].why = "a guest handle of a type that stays text";
				idiag(H, H->e[i].start, DIAG_WARNING,
				      "%s: kept as verbatim text", H->e[i].why);
			}
		}
	}
	if (why && !e->why) {
		e->why = arena_strdup(&H->arena, why);
		idiag(H, e->start, DIAG_WARNING, "%s: kept as verbatim text", why);
	}
}

/* ---- Types as the header spells them ----------------------------------------- */

static const struct {
	const char *c, *spec;
} stdint_names[] = {
	{"uint8_t", "u8"}, {"uint16_t", "u16"}, {"uint32_t", "u32"},
	{"uint64_t", "uint64_t"}, {"int8_t", "i8"}, {"int16_t", "i16"},
	{"int32_t", "i32"}, {"int64_t", "int64_t"},
	{"uint64_aligned_t", "u64"}, {"int64_aligned_t", "i64"},
};

/* Guest handle names of primitives that Xen's xen.h defines, as the spec
 * names the pointee. */
static const struct {
	const char *c, *spec;
} handle_prims[] = {
	{"uint8", "u8"}, {"uint16", "u16"}, {"uint32", "u32"}, {"uint64", "u64"},
	{"char", "char"}, {"int", "int"}, {"uint", "uint"},
	{"uint64_t", "uint64_t"}, {"uchar", "uchar"}, {"void", "void"},
};

/* C's spellings of the primitives: the keywords, as counts. */
static const char *prim_of_keywords(const CTok *t, size_t n)
{
	int nsigned = 0, nunsigned = 0, nchar = 0, nshort = 0, nint = 0, nlong = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (ctok_is(&t[i], "signed")) nsigned++;
		else if (ctok_is(&t[i], "unsigned")) nunsigned++;
		else if (ctok_is(&t[i], "char")) nchar++;
		else if (ctok_is(&t[i], "short")) nshort++;
		else if (ctok_is(&t[i], "int")) nint++;
		else if (ctok_is(&t[i], "long")) nlong++;
		else return NULL;
	}
	if (nsigned + nunsigned > 1 || nchar > 1 || nshort > 1 || nint > 1 || nlong > 2)
		return NULL;
	if (nchar) {
		if (nshort || nint || nlong)
			return NULL;
		return nunsigned ? "uchar" : nsigned ? "schar" : "char";
	}
	if (nshort)
		return nlong ? NULL : nunsigned ? "ushort" : "short";
	if (nlong == 2)
		return nunsigned ? "ullong" : "llong";
	if (nlong == 1)
		return nunsigned ? "ulong" : "long";
	if (nint || nsigned || nunsigned)
		return nunsigned ? "uint" : "int";
	return NULL;
}

static char *tokstr(Arena *a, const CTok *t)
{
	return arena_strndup(a, t->p, t->n);
}

/* The type of a struct's typedef name: the name itself once the language
 * takes typedef names, else the struct. */
static DocNode *typedef_ref(B *b, IEntry *e, const char *name)
{
	const char *rec = hmap_gets(&b->typedefs, name);
	if (rec && !(b->caps & CAP_TYPEDEF_NAMES)) {
		const char *kw = strchr(rec, ' ');
		char *word = arena_strndup(b->a, rec, (size_t)(kw - rec));
		add_use(b, e, kw + 1);
		return dtype1(b->a, word, dstr(b->a, kw + 1));
	}
	add_use(b, e, name);
	return dstr(b->a, name);
}

/* The spec type of a base type's tokens (no declarator), or NULL with
 * *why set. */
static DocNode *base_type(B *b, IEntry *e, const CTok *t, size_t n,
			  const char **why)
{
	const char *p;
	size_t i;
	if (n == 0) {
		*why = "a declaration without a type";
		return NULL;
	}
	if ((p = prim_of_keywords(t, n)) != NULL)
		return dstr(b->a, p);
	if (n == 2 && (ctok_is(&t[0], "struct") || ctok_is(&t[0], "union")) &&
	    t[1].kind == CTOK_IDENT) {
		char *nm = tokstr(b->a, &t[1]);
		add_use(b, e, nm);
		return dtype1(b->a, ctok_is(&t[0], "struct") ? "struct" : "union",
			      dstr(b->a, nm));
	}
	if (n == 2 && ctok_is(&t[0], "enum")) {
		*why = "a member of enum type (the language writes its backing integer)";
		return NULL;
	}
	if (n == 4 && t[0].kind == CTOK_IDENT && ctok_is(&t[1], "(") &&
	    t[2].kind == CTOK_IDENT && ctok_is(&t[3], ")") &&
	    (ctok_is(&t[0], "XEN_GUEST_HANDLE") || ctok_is(&t[0], "XEN_GUEST_HANDLE_64"))) {
		const char *ctor = ctok_is(&t[0], "XEN_GUEST_HANDLE") ? "handle" : "ptr";
		char *h = tokstr(b->a, &t[2]);
		DocNode *pointee = NULL;
		for (i = 0; i < ARRAY_LEN(handle_prims); i++)
			if (strcmp(handle_prims[i].c, h) == 0)
				pointee = dstr(b->a, handle_prims[i].spec);
		if (!pointee && strncmp(h, "const_", 6) == 0) {
			if (!(b->caps & CAP_CONST_HANDLE)) {
				*why = "a guest handle of const data";
				return NULL;
			}
			for (i = 0; i < ARRAY_LEN(handle_prims); i++)
				if (strcmp(handle_prims[i].c, h + 6) == 0) {
					DocNode *tt = dtable(b->a);
					dput(b->a, tt, ctor, dstr(b->a, handle_prims[i].spec));
					dput(b->a, tt, "const", dbool(b->a, true));
					return tt;
				}
			*why = "a guest handle of const data";
			return NULL;
		}
		if (!pointee) {
			/* handles of primitives that Xen's xen.h defines under
			 * a condition or not at all: the member needs the
			 * handle item that defines it (or the C backend would
			 * define it again) */
			static const struct {
				const char *c, *spec;
			} not_in_xen[] = {
				{"long", "long"}, {"ulong", "ulong"}, {"int8", "i8"},
				{"int16", "i16"}, {"int32", "i32"}, {"int64", "i64"},
			};
			for (i = 0; i < ARRAY_LEN(not_in_xen); i++)
				if (strcmp(h, not_in_xen[i].c) == 0) {
					add_use(b, e, arena_printf(b->a, "&%s", h));
					return dtype1(b->a, ctor, dstr(b->a, not_in_xen[i].spec));
				}
			pointee = typedef_ref(b, e, h);
			/* the handle must be defined with its type, or the C
			 * backend defines it there (and the header has it
			 * elsewhere) */
			add_use(b, e, arena_printf(b->a, "&%s", h));
		}
		return dtype1(b->a, ctor, pointee);
	}
	if (n == 1 && t[0].kind == CTOK_IDENT) {
		char *nm = tokstr(b->a, &t[0]);
		for (i = 0; i < ARRAY_LEN(stdint_names); i++)
			if (strcmp(stdint_names[i].c, nm) == 0)
				return dstr(b->a, stdint_names[i].spec);
		if (c_keyword(nm)) {
			*why = "a type the language has no name for";
			return NULL;
		}
		return typedef_ref(b, e, nm);
	}
	for (i = 0; i < n; i++)
		if (ctok_is(&t[i], "const") || ctok_is(&t[i], "volatile")) {
			*why = "a const or volatile type";
			return NULL;
		}
	*why = "a type the language has no name for";
	return NULL;
}

/* The index of the ')' that closes the '(' at t[0]. */
static size_t closes_at(const CTok *t, size_t n)
{
	size_t i, depth = 0;
	for (i = 0; i < n; i++) {
		if (ctok_is(&t[i], "("))
			depth++;
		else if (ctok_is(&t[i], ")") && --depth == 0)
			return i;
	}
	return n;
}

/* An array length as written: a number, or the expression's text. */
static DocNode *length_node(B *b, IEntry *e, const CTok *t, size_t n,
			    const char **why)
{
	uint64_t v;
	char suf[8];
	size_t i;
	Buf s = {0};
	DocNode *r;
	if (n == 1 && t[0].kind == CTOK_NUMBER &&
	    parse_c_int(t[0].p, t[0].n, &v, suf, sizeof suf) && !suf[0] &&
	    v <= INT64_MAX) {
		if (v == 0) {
			*why = "an array of length 0";
			return NULL;
		}
		return dint(b->a, (int64_t)v);
	}
	/* (expr): the C backend writes the parentheses back */
	while (n >= 2 && ctok_is(&t[0], "(") && ctok_is(&t[n - 1], ")") &&
	       closes_at(t, n) == n - 1) {
		t++;
		n -= 2;
	}
	for (i = 0; i < n; i++) {
		if (t[i].kind == CTOK_IDENT && !ctok_is(&t[i], "sizeof"))
			add_use(b, e, tokstr(b->a, &t[i]));
		else if (t[i].kind == CTOK_STRING || t[i].kind == CTOK_CHAR) {
			*why = "an array length the language cannot read";
			return NULL;
		}
	}
	ctok_join(&s, t, n);
	r = dstr(b->a, buf_cstr(&s));
	buf_free(&s);
	return r;
}

/* Wrap ty in the arrays of a declarator's suffix ("[2][3]"); a bit-field
 * width goes to *bits.  A flexible array written `[]` sets *empty (a
 * field's c.flex), where empty is given; else it is refused. */
static DocNode *declarator_suffix(B *b, IEntry *e, DocNode *ty, const CTok *t,
				  size_t n, int *bits, bool *empty, const char **why)
{
	size_t i = 0;
	DocNode **dims = NULL;
	size_t ndims = 0, k;
	*bits = -1;
	while (i < n) {
		if (ctok_is(&t[i], "[")) {
			size_t j = i + 1, depth = 1;
			while (j < n) {
				if (ctok_is(&t[j], "["))
					depth++;
				else if (ctok_is(&t[j], "]") && --depth == 0)
					break;
				j++;
			}
			if (j >= n) {
				*why = "an unbalanced array declarator";
				free(dims);
				return NULL;
			}
			dims = xrealloc(dims, (ndims + 1) * sizeof *dims);
			if (j == i + 1 && !empty) {
				/* the language writes [XEN_FLEX_ARRAY_DIM], or a
				 * field's c.flex says [] */
				*why = "a flexible array written []";
				free(dims);
				return NULL;
			}
			if (j == i + 1) {
				dims[ndims++] = NULL; /* flexible, written [] */
				*empty = true;
			} else if (j == i + 2 && ctok_is(&t[i + 1], "XEN_FLEX_ARRAY_DIM")) {
				dims[ndims++] = NULL; /* flexible */
			} else {
				dims[ndims] = length_node(b, e, t + i + 1, j - i - 1, why);
				if (!dims[ndims]) {
					free(dims);
					return NULL;
				}
				ndims++;
			}
			i = j + 1;
		} else if (ctok_is(&t[i], ":")) {
			uint64_t v;
			if (i + 2 != n || !parse_c_int(t[i + 1].p, t[i + 1].n, &v, NULL, 0) ||
			    v == 0 || v > 64) {
				*why = "a bit-field width the language cannot read";
				free(dims);
				return NULL;
			}
			*bits = (int)v;
			i = n;
		} else {
			*why = "a declarator the language cannot say";
			free(dims);
			return NULL;
		}
	}
	/* int x[2][3]: an array of 2 arrays of 3 */
	for (k = ndims; k-- > 0;) {
		DocNode *arr = darray(b->a), *t2 = dtable(b->a);
		if (!dims[k] && k != 0) {
			*why = "an inner flexible array";
			free(dims);
			return NULL;
		}
		doc_array_push(b->a, arr, ty);
		if (dims[k])
			doc_array_push(b->a, arr, dims[k]);
		dput(b->a, t2, "array", arr);
		ty = t2;
	}
	free(dims);
	return ty;
}

/* ---- Comments ------------------------------------------------------------------ */

static const HDirective *directive_at(const HText *h, uint32_t off)
{
	size_t lo = 0, hi = h->ndirs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->dirs[mid].end < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->ndirs && h->dirs[lo].start <= off && off <= h->dirs[lo].end)
		return &h->dirs[lo];
	return NULL;
}

/* A comment on an #else, #elif or #endif line labels the condition: it
 * goes. */
static bool label_comment(const HText *h, const HComment *c)
{
	const HDirective *d;
	if (!c->in_directive)
		return false;
	d = directive_at(h, c->start);
	return d && (d->kind == HD_ENDIF || d->kind == HD_ELSE || d->kind == HD_ELIF);
}

static void append_desc(Arena *a, const char **desc, const char *more)
{
	if (!more || !*more)
		return;
	if (!*desc || !**desc)
		*desc = more;
	else
		*desc = arena_printf(a, "%s\n\n%s", *desc, more);
}

/* The comments of [lo, hi) not taken yet, as one description; with
 * trailing, only those that follow code on the line where lo is. */
static const char *take_comments(B *b, uint32_t lo, uint32_t hi, bool trailing)
{
	const HText *h = &b->H->text;
	const char *desc = NULL;
	size_t i;
	uint32_t line = htext_line_of(h, lo);
	for (i = 0; i < h->ncomments; i++) {
		const HComment *c = &h->comments[i];
		if (b->used[i] || c->start < lo || c->end > hi)
			continue;
		if (trailing && (c->own_line || htext_line_of(h, c->start) != line))
			continue;
		b->used[i] = true;
		if (label_comment(h, c)) {
			b->H->nendif_comments++;
			continue;
		}
		append_desc(b->a, &desc, htext_comment_text(b->a, h, c));
	}
	return desc;
}

/* The end of the line that off is on (its '\n', or the end). */
static uint32_t line_end(const HText *h, uint32_t off)
{
	const char *p = memchr(h->text + off, '\n', h->len - off);
	return p ? (uint32_t)(p - h->text) : (uint32_t)h->len;
}

/* ---- Records ----------------------------------------------------------------------- */

typedef struct MField {
	const XField *f;   /* one view's */
	const XDecl **recs; /* its inline record in every view that has it */
	size_t nrecs;
} MField;

/* The fields of a record merged over the views that have it, in the
 * header's order (a field under #ifdef __XEN__ is in some views only). */
static size_t merge_fields(const XDecl *const *recs, size_t nrecs, MField **out)
{
	MField *v = NULL;
	size_t n = 0, cap = 0, r, i, k;
	for (r = 0; r < nrecs; r++) {
		for (i = 0; i < recs[r]->nfields; i++) {
			const XField *f = &recs[r]->fields[i];
			for (k = 0; k < n; k++)
				if (v[k].f->start == f->start && v[k].f->name_off == f->name_off &&
				    strcmp(v[k].f->name, f->name) == 0)
					break;
			if (k == n) {
				/* keep the header's order */
				size_t at = n;
				while (at > 0 && (v[at - 1].f->name_off > f->name_off ||
						  (v[at - 1].f->name_off == f->name_off &&
						   v[at - 1].f->start > f->start)))
					at--;
				v = xgrow(v, &cap, n + 1, sizeof *v);
				memmove(v + at + 1, v + at, (n - at) * sizeof *v);
				memset(&v[at], 0, sizeof *v);
				v[at].f = f;
				n++;
				k = at;
			}
			if (f->inline_rec) {
				v[k].recs = xrealloc(v[k].recs, (v[k].nrecs + 1) * sizeof *v[k].recs);
				v[k].recs[v[k].nrecs++] = f->inline_rec;
			}
		}
	}
	*out = v;
	return n;
}

static void free_mfields(MField *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i].recs);
	free(v);
}

/* The name of the last field of arr, or NULL. */
static const char *last_name(const DocNode *arr)
{
	const DocNode *n;
	if (!arr->u.array.n)
		return NULL;
	n = doc_get(arr->u.array.v[arr->u.array.n - 1], "name");
	return n && n->kind == DOC_STRING ? n->u.str.s : NULL;
}

static DocNode *record_fields(B *b, IEntry *e, const XDecl *const *recs,
			      size_t nrecs, uint32_t rec_ctx, uint32_t body_lo,
			      uint32_t body_hi, const char **why);
static DocNode *record_fields_in(B *b, IEntry *e, const MField *m, size_t n,
				 DocNode *arr, uint32_t rec_ctx, uint32_t *pe,
				 uint32_t body_hi, const char **why);

/* The end of a field's declaration: its ';' (or the ',' of a group). */
static uint32_t field_stmt_end(const HText *h, uint32_t end, uint32_t hi)
{
	const char *p = h->clean + end, *q = h->clean + hi;
	while (p < q && *p != ';' && *p != ',' && *p != '}')
		p++;
	if (p < q && (*p == ';' || *p == ','))
		p++;
	return (uint32_t)(p - h->clean);
}

/* The interface version at which the definitions of a length macro part:
 * io/ring.h defines XENPV_FLEX_ARRAY_DIM as 1 before 0x00041300 and as
 * XEN_FLEX_ARRAY_DIM (a flexible array) from then on.  0 unless name has
 * exactly two definitions, one `until` and one `since` the same version,
 * under no other condition. */
static uint32_t length_version_split(B *b, const char *name)
{
	const HeaderTree *t = b->H->tree;
	size_t i, k, d;
	uint32_t since = 0, until = 0;
	unsigned ndef = 0;
	bool other = false;
	HText ht;
	if (!t)
		return 0;
	for (i = 0; i < t->n; i++) {
		for (k = 0; k < t->h[i].nmacros; k++)
			if (strcmp(t->h[i].macros[k].name, name) == 0)
				break;
		if (k < t->h[i].nmacros)
			break;
	}
	if (i == t->n)
		return 0;
	htext_init(&ht, t->h[i].path, t->h[i].text, t->h[i].len);
	for (d = 0; d < ht.ndirs; d++) {
		const HDirective *dir = &ht.dirs[d];
		ICond c;
		if ((dir->kind != HD_DEFINE && dir->kind != HD_UNDEF) || !dir->name ||
		    strcmp(dir->name, name) != 0)
			continue;
		icond_from_ctx(&ht.arena, &ht, dir->ctx, ht.guard_ctx, &c);
		ndef++;
		if (dir->kind == HD_DEFINE && c.since && !c.until)
			since = c.since;
		else if (dir->kind == HD_DEFINE && c.until && !c.since)
			until = c.until;
		else
			other = true;
		c.since = c.until = 0;
		other = other || !icond_always(&c);
	}
	htext_free(&ht);
	return ndef == 2 && !other && since == until ? since : 0;
}

/* The next complete record named rec in a view's facts, from fact *i on
 * (which it moves past), or NULL. */
static const Fact *next_record(const Facts *f, size_t *i, const char *rec)
{
	for (; *i < f->n; (*i)++) {
		const Fact *r = &f->v[*i];
		if (r->kind == FK_RECORD && r->complete && strcmp(r->name, rec) == 0) {
			(*i)++;
			return r;
		}
	}
	return NULL;
}

/* The member named member of the next such record that has it, or NULL. */
static const FactMember *record_member(const Facts *f, size_t *i, const char *rec,
				       const char *member)
{
	const Fact *r;
	size_t k;
	while ((r = next_record(f, i, rec)) != NULL)
		for (k = 0; k < r->nmembers; k++)
			if (strcmp(r->members[k].name, member) == 0)
				return &r->members[k];
	return NULL;
}

/* Do the views lay out member of the record named rec as a flexible
 * array (bit 0) and as a sized one (bit 1)? */
static unsigned member_flex(B *b, const char *rec, const char *member)
{
	unsigned r = 0;
	size_t v, i;
	const FactMember *fm;
	for (v = 0; v < b->nviews; v++)
		for (i = 0; (fm = record_member(&b->views[v].facts, &i, rec, member)) != NULL;)
			r |= fm->size < 0 ? 1u : 2u;
	return r;
}

static DocNode *one_field(B *b, IEntry *e, const MField *m, const MField *first,
			  uint32_t rec_ctx, uint32_t *prev_end, uint32_t body_hi,
			  const char **why, DocNode **later)
{
	const HText *h = &b->H->text;
	const XField *f = m->f;
	DocNode *fd = dtable(b->a), *ty = NULL;
	CTok *toks = NULL, *stoks = NULL;
	size_t nt, ns, i, cut, ntype;
	int bits = -1;
	bool empty = false; /* a flexible array written [] */
	uint32_t name_end, stmt_end, ctx = htext_ctx_at(h, f->start);
	const char *desc, *split_len = NULL;
	ICond c;

	*later = NULL;
	if (f->macro) {
		*why = "a member made by a macro";
		return NULL;
	}
	if (!htext_ctx_within(h, ctx, rec_ctx) ||
	    !htext_ctx_within(h, htext_ctx_at(h, f->end), rec_ctx)) {
		*why = "a member whose #if crosses its record";
		return NULL;
	}
	name_end = *f->name ? f->name_off + (uint32_t)strlen(f->name) : f->end;
	desc = take_comments(b, *prev_end, f->start, false);
	stmt_end = field_stmt_end(h, f->end, body_hi);
	if (first && first != m && first->nrecs) {
		/* struct bar { ... } a, b: b is of a's type */
		const XDecl *r0 = first->recs[0];
		if (!*r0->name) {
			*why = "two members of one anonymous type";
			return NULL;
		}
		add_use(b, e, r0->name);
		ty = dtype1(b->a, r0->kind == XK_UNION ? "union" : "struct",
			    dstr(b->a, r0->name));
		ns = ctok_all(h->clean + name_end, h->clean + f->end, &stoks);
		ty = declarator_suffix(b, e, ty, stoks, ns, &bits, &empty, why);
		free(stoks);
		if (!ty)
			return NULL;
	} else if (m->nrecs) {
		/* a record defined here: anonymous inline, or named (lifted) */
		const XDecl *r0 = m->recs[0];
		uint32_t blo = r0->start, bhi = r0->end;
		const char *p = memchr(h->clean + blo, '{', bhi - blo);
		if (!p) {
			*why = "a record without a body";
			return NULL;
		}
		if (*r0->name) {
			/* struct bar { ... } b;: C gives bar the file's scope */
			IEntry he;
			DocNode *it = dtable(b->a), *fl;
			memset(&he, 0, sizeof he);
			he.start = r0->start;
			he.end = r0->end;
			he.ctx = ctx;
			he.line = htext_line_of(h, r0->start);
			he.col = htext_col_of(h, r0->start);
			he.kind = r0->kind == XK_UNION ? "union" : "struct";
			he.name = arena_strdup(b->a, r0->name);
			icond_from_ctx(b->a, h, ctx, h->guard_ctx, &he.cond);
			he.lifted = true;
			he.part = true;
			he.owner = e->start;
			{
				int saved = b->depth;
				b->depth = 0;
				fl = record_fields(b, &he, m->recs, m->nrecs,
						   htext_ctx_at(h, r0->start),
						   (uint32_t)(p - h->clean) + 1, bhi, why);
				b->depth = saved;
			}
			if (!fl)
				return NULL;
			dput(b->a, it, he.kind, dstr(b->a, r0->name));
			dput(b->a, it, "description", dstr(b->a, ""));
			dput(b->a, it, "fields", fl);
			it->flags = 0;
			he.doc = it;
			he.desc = "";
			add_def(b->a, &he, r0->name);
			b->hoist = xgrow(b->hoist, &b->hoistcap, b->nhoist + 1, sizeof *b->hoist);
			b->hoist[b->nhoist++] = he;
			add_use(b, e, r0->name);
			ty = dtype1(b->a, he.kind, dstr(b->a, r0->name));
		} else {
			DocNode *fl = record_fields(b, e, m->recs, m->nrecs,
						    htext_ctx_at(h, r0->start),
						    (uint32_t)(p - h->clean) + 1, bhi, why);
			if (!fl)
				return NULL;
			ty = dtype1(b->a, r0->kind == XK_UNION ? "union" : "struct", fl);
		}
		/* what follows the record: the declarator's suffix */
		ns = ctok_all(h->clean + (*f->name ? name_end : bhi),
			      h->clean + (f->end > bhi ? f->end : bhi), &stoks);
		if (*f->name && ns == 0 && f->end <= name_end)
			ns = 0;
		ty = declarator_suffix(b, e, ty, stoks, ns, &bits, &empty, why);
		free(stoks);
		if (!ty)
			return NULL;
	} else {
		const XField *base = first ? first->f : f;
		uint32_t type_end = *base->name ? base->name_off : base->end;
		size_t stars = 0;
		bool cptr_const;
		nt = ctok_all(h->clean + f->start, h->clean + type_end, &toks);
		/* grouped declarators (uint8_t a, b): the type is the first's */
		ntype = nt;
		while (ntype > 0 && ctok_is(&toks[ntype - 1], "*")) {
			ntype--;
			stars++;
		}
		if (first && first != m) {
			CTok *pt = NULL;
			size_t np = ctok_all(h->clean + f->start, h->clean + f->name_off, &pt);
			stars = 0;
			cut = np;
			while (cut > 0 && !ctok_is(&pt[cut - 1], ","))
				cut--;
			for (i = cut; i < np; i++)
				if (ctok_is(&pt[i], "*"))
					stars++;
			free(pt);
		}
		/* const T *: a pointer to const data */
		cptr_const = stars == 1 && ntype > 1 && ctok_is(&toks[0], "const") &&
			     (b->caps & CAP_CONST_HANDLE);
		if (stars == 1 && ntype == 1u + cptr_const &&
		    ctok_is(&toks[ntype - 1], "void"))
			ty = dstr(b->a, "void"); /* void *, const void * */
		else
			ty = cptr_const ? base_type(b, e, toks + 1, ntype - 1, why)
					: base_type(b, e, toks, ntype, why);
		free(toks);
		if (!ty)
			return NULL;
		if (stars > 1) {
			*why = "a pointer to a pointer";
			return NULL;
		}
		if (stars)
			ty = dtype1(b->a, "cptr", ty);
		if (cptr_const)
			dput(b->a, ty, "const", dbool(b->a, true));
		ns = ctok_all(h->clean + name_end, h->clean + f->end, &stoks);
		if (ns == 3 && ctok_is(&stoks[0], "[") && stoks[1].kind == CTOK_IDENT &&
		    ctok_is(&stoks[2], "]") && !ctok_is(&stoks[1], "XEN_FLEX_ARRAY_DIM"))
			split_len = tokstr(b->a, &stoks[1]);
		ty = declarator_suffix(b, e, ty, stoks, ns, &bits, &empty, why);
		free(stoks);
		if (!ty)
			return NULL;
	}
	if (f->bits >= 0 && bits != f->bits) {
		*why = "a bit-field the language cannot say";
		return NULL;
	}
	if (*f->name)
		dput(b->a, fd, "name", dstr(b->a, f->name));
	dput(b->a, fd, "typ", ty);
	if (bits >= 0)
		dput(b->a, fd, "bits", dint(b->a, bits));
	icond_from_ctx(b->a, h, ctx, rec_ctx, &c);
	if (c.never) {
		*why = "a member under a condition that never holds";
		return NULL;
	}
	if (split_len && *f->name && e->name && !c.since && !c.until &&
	    member_flex(b, e->name, f->name) == 3u) {
		/* grant_ref_t grefs[XENPV_FLEX_ARRAY_DIM]: sized in the
		 * oldest interface, a flexible array in the latest; one
		 * field can say only one of them, the layout engine lays out
		 * the latest: the field as written until the version where
		 * the macro's definitions part, a flexible one from then on */
		uint32_t v = length_version_split(b, split_len);
		if (v) {
			DocNode *fx = dtable(b->a), *arr = darray(b->a), *fty = dtable(b->a);
			ICond cf = c;
			const DocNode *a0 = doc_get(ty, "array");
			doc_array_push(b->a, arr, a0->u.array.v[0]);
			dput(b->a, fty, "array", arr);
			dput(b->a, fx, "name", dstr(b->a, f->name));
			dput(b->a, fx, "typ", fty);
			cf.since = v;
			dput(b->a, fx, "only", icond_doc(b->a, &cf));
			c.until = v;
			*later = fx;
		}
	}
	dput(b->a, fd, "only", icond_doc(b->a, &c));
	if (empty) {
		DocNode *cc = dtable(b->a);
		dput(b->a, cc, "flex", dstr(b->a, "[]"));
		dput(b->a, fd, "c", cc);
	}
	*prev_end = stmt_end;
	append_desc(b->a, &desc, take_comments(b, stmt_end, line_end(h, stmt_end), true));
	if (desc && *desc)
		dput(b->a, fd, "description", dstr(b->a, htext_flow(b->a, desc,
								   4 * b->depth)));
	return fd;
}

/* The type a view's facts give member of the record rec (as declared,
 * "uint32_t"); NULL if no view has it. */
static const char *member_type(B *b, const char *rec, const char *member)
{
	size_t v, i;
	const FactMember *fm;
	for (v = 0; v < b->nviews; v++)
		for (i = 0; (fm = record_member(&b->views[v].facts, &i, rec, member)) != NULL;)
			if (fm->bits < 0 && fm->size > 0)
				return fm->spelled ? fm->spelled : fm->type;
	return NULL;
}

/* The end of a macro call `M(args)` at off and of its ';': 0 if the text
 * there is not one. */
static uint32_t macro_call_end(const HText *h, uint32_t off, uint32_t hi)
{
	const char *p = h->clean + off, *end = h->clean + hi;
	CTok t;
	int depth = 0;
	if (!ctok_next(&p, end, &t) || t.kind != CTOK_IDENT || !ctok_next(&p, end, &t) ||
	    !ctok_is(&t, "("))
		return 0;
	for (depth = 1; depth > 0;) {
		if (!ctok_next(&p, end, &t))
			return 0;
		depth += ctok_is(&t, "(") ? 1 : ctok_is(&t, ")") ? -1 : 0;
	}
	if (!ctok_next(&p, end, &t) || !ctok_is(&t, ";"))
		return 0;
	return (uint32_t)(p - h->clean);
}

/* The name of a member that every view declares inside an anonymous
 * union a macro call makes (xen-x86_64.h's `__DECL_REG_LO8(bp);`: rbp,
 * ebp and bp in the tools' union, rbp, ebp and _ebp in the guests'), when
 * no view gives the call a plain member: the first member of the tools'
 * view, in declaration order, that fills the union in every view.  The
 * union is the first anonymous member at or after the end of prev (the
 * field before; NULL: the start of the record).  NULL if the views do
 * not agree on one. */
static const char *shared_member(B *b, const char *rec, const char *prev)
{
	const char *found = NULL;
	size_t v, i, k, j;
	for (v = 0; v < b->nviews; v++) {
		const Fact *r;
		for (i = 0; (r = next_record(&b->views[v].facts, &i, rec)) != NULL;) {
			int64_t from = 0, at = -1, size = 0;
			const char *pick = NULL;
			for (k = 0; prev && k < r->nmembers; k++)
				if (strcmp(r->members[k].name, prev) == 0 && r->members[k].size > 0)
					from = r->members[k].offset + 8 * r->members[k].size;
			for (k = 0; k < r->nmembers && at < 0; k++)
				if (r->members[k].offset >= from &&
				    strncmp(r->members[k].name, "(anonymous", 10) == 0) {
					at = r->members[k].offset;
					size = r->members[k].size;
				}
			if (at < 0)
				return NULL;
			/* the first member of the union that fills it, and that
			 * every earlier view picked too */
			for (j = 0; j < r->nmembers && !pick; j++) {
				const FactMember *fm = &r->members[j];
				if (fm->offset != at || fm->size != size || fm->bits >= 0 ||
				    strchr(fm->name, '(') || strchr(fm->name, '.'))
					continue;
				if (!found || strcmp(found, fm->name) == 0)
					pick = fm->name;
			}
			if (!pick)
				return NULL;
			found = pick;
		}
	}
	return found;
}

/* Members that a macro call declares, m[0] to m[*used - 1] (the views'
 * copies of one call: xen-x86_32.h's `__DECL_REG_LO8(b);` is an
 * anonymous union of eax, ax, al and ah in GNU C and `uint32_t ebx`
 * elsewhere): a field with the one name a view gives it, that view's
 * type, and the call as its C text (c.decl, spec-language.md §5.6).
 * NULL, with *why, if the views do not agree on one plain member. */
static DocNode *macro_field(B *b, IEntry *e, const MField *m, size_t n, size_t *used,
			    uint32_t rec_ctx, uint32_t *prev_end, uint32_t body_hi,
			    const char *prev, const char **why)
{
	const HText *h = &b->H->text;
	const XField *f = m[0].f;
	const char *name = NULL, *type, *desc;
	DocNode *fd = dtable(b->a), *ty, *cc = dtable(b->a);
	CTok *toks = NULL;
	size_t i, nt;
	uint32_t stmt_end, ctx = htext_ctx_at(h, f->start);
	ICond c;
	*why = "a member made by a macro";
	for (i = 0; i < n && m[i].f->macro && m[i].f->name_off == f->name_off; i++) {
		const XField *g = m[i].f;
		if (!*g->name)
			continue;
		if (g->inline_rec || g->bits >= 0 || (name && strcmp(name, g->name) != 0))
			return NULL;
		name = g->name;
	}
	*used = i;
	if (!name && e->name)
		/* no view names it: the union's member every view shares */
		name = shared_member(b, e->name, prev);
	stmt_end = macro_call_end(h, f->name_off, body_hi);
	if (!name || !e->name || !stmt_end || !htext_ctx_within(h, ctx, rec_ctx))
		return NULL;
	type = member_type(b, e->name, name);
	if (!type)
		return NULL;
	nt = ctok_all(type, type + strlen(type), &toks);
	ty = base_type(b, e, toks, nt, why);
	free(toks);
	if (!ty)
		return NULL;
	desc = take_comments(b, *prev_end, f->name_off, false);
	dput(b->a, fd, "name", dstr(b->a, name));
	dput(b->a, fd, "typ", ty);
	icond_from_ctx(b->a, h, ctx, rec_ctx, &c);
	dput(b->a, fd, "only", icond_doc(b->a, &c));
	dput(b->a, cc, "decl", dstr(b->a, arena_strndup(b->a, h->clean + f->name_off,
							  stmt_end - f->name_off)));
	dput(b->a, fd, "c", cc);
	*prev_end = stmt_end;
	append_desc(b->a, &desc, take_comments(b, stmt_end, line_end(h, stmt_end), true));
	if (desc && *desc)
		dput(b->a, fd, "description", dstr(b->a, htext_flow(b->a, desc,
								   4 * b->depth)));
	return fd;
}

static DocNode *record_fields(B *b, IEntry *e, const XDecl *const *recs,
			      size_t nrecs, uint32_t rec_ctx, uint32_t body_lo,
			      uint32_t body_hi, const char **why)
{
	MField *m;
	size_t n = merge_fields(recs, nrecs, &m);
	DocNode *arr = doc_new(b->a, DOC_ARRAY, NO_LOC);
	uint32_t prev_end = body_lo;
	DocNode *r = record_fields_in(b, e, m, n, arr, rec_ctx, &prev_end, body_hi, why);
	free_mfields(m, n);
	return r;
}

static DocNode *record_fields_in(B *b, IEntry *e, const MField *m, size_t n,
				 DocNode *arr, uint32_t rec_ctx, uint32_t *pe,
				 uint32_t body_hi, const char **why)
{
	const MField *first = NULL;
	uint32_t prev_end = *pe;
	size_t i;
	b->depth++;
	for (i = 0; i < n; i++) {
		DocNode *fd, *later;
		if (m[i].f->macro) {
			size_t used = 1;
			fd = macro_field(b, e, m + i, n - i, &used, rec_ctx, &prev_end,
					 body_hi, last_name(arr), why);
			if (!fd) {
				b->depth--;
				return NULL;
			}
			doc_array_push(b->a, arr, fd);
			i += used - 1;
			first = NULL;
			continue;
		}
		/* a group shares its first member's type */
		if (!first || first->f->start != m[i].f->start)
			first = &m[i];
		fd = one_field(b, e, &m[i], first == &m[i] ? NULL : first, rec_ctx,
			       &prev_end, body_hi, why, &later);
		if (!fd) {
			b->depth--;
			return NULL;
		}
		doc_array_push(b->a, arr, fd);
		if (later)
			doc_array_push(b->a, arr, later);
	}
	b->depth--;
	/* comments after the last member: with it */
	if (n) {
		const char *rest = take_comments(b, prev_end, body_hi, false);
		if (rest && *rest) {
			DocNode *last = arr->u.array.v[arr->u.array.n - 1];
			DocEntry *de = doc_table_find(last, "description", 11);
			if (de) {
				const char *d = de->value->u.str.s;
				append_desc(b->a, &d, rest);
				de->value = dstr(b->a, htext_flow(b->a, d, 4 * (b->depth + 1)));
			} else {
				dput(b->a, last, "description",
				     dstr(b->a, htext_flow(b->a, rest, 4 * (b->depth + 1))));
			}
		}
	}
	(void)pe;
	return arr;
}

/* ---- Entries --------------------------------------------------------------------- */

typedef struct Chunk {
	uint32_t start, end;
	const XDecl **decls;   /* every view's declarations in it */
	size_t ndecls;
	bool macro;
	bool balanced_merge;   /* grown over #if lines that cross it */
} Chunk;

static IEntry *new_entry(IHeader *H, uint32_t start, uint32_t end)
{
	IEntry *e;
	H->e = xgrow(H->e, &H->cap, H->n + 1, sizeof *H->e);
	e = &H->e[H->n++];
	memset(e, 0, sizeof *e);
	e->start = start;
	e->end = end;
	e->line = htext_line_of(&H->text, start);
	e->col = htext_col_of(&H->text, start);
	e->ctx = htext_ctx_at(&H->text, start);
	return e;
}

/* The end of a macro invocation that starts at off: NAME(...) and a ';'. */
static uint32_t invocation_end(const HText *h, uint32_t off)
{
	const char *p = h->clean + off, *e = h->clean + h->len;
	int depth = 0;
	while (p < e && (id_char_c(*p)))
		p++;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\\'))
		p++;
	if (p < e && *p == '(') {
		for (; p < e; p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0) {
				p++;
				break;
			}
		}
	}
	return (uint32_t)(p - h->clean);
}

/* After a declaration: its ';', if that is what follows. */
static uint32_t with_semicolon(const HText *h, uint32_t end)
{
	const char *p = h->clean + end, *e = h->clean + h->len;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p < e && *p == ';')
		return (uint32_t)(p + 1 - h->clean);
	return end;
}

static int cmp_chunk(const void *x, const void *y)
{
	const Chunk *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* Grow [*s, *e) until its #if groups are whole: no group opened inside
 * and closed outside, or the other way round. */
static void balance(const HText *h, uint32_t *s, uint32_t *e)
{
	bool changed = true;
	while (changed) {
		size_t i;
		changed = false;
		for (i = 0; i < h->ndirs; i++) {
			const HDirective *d = &h->dirs[i];
			const HGroup *g;
			uint32_t gs, ge;
			if (d->group == HCTX_NONE || d->group == h->guard_group)
				continue;
			if (d->start < *s || d->start >= *e)
				continue;
			g = &h->groups[d->group];
			gs = h->dirs[g->first_dir].start;
			ge = g->last_dir != HCTX_NONE ? h->dirs[g->last_dir].end : (uint32_t)h->len;
			if (gs < *s) {
				*s = gs;
				changed = true;
			}
			if (ge > *e) {
				*e = ge;
				changed = true;
			}
		}
		/* a range that starts in one branch and ends in another */
		if (!changed) {
			uint32_t cs = htext_ctx_at(h, *s), ce = htext_ctx_at(h, *e > 0 ? *e - 1 : 0);
			if (cs != ce && !htext_ctx_within(h, ce, cs)) {
				/* widen to the group of the start's context */
				const HCtx *x = &h->ctxs[cs];
				if (x->group != HCTX_NONE && x->group != h->guard_group) {
					const HGroup *g = &h->groups[x->group];
					*s = h->dirs[g->first_dir].start;
					if (g->last_dir != HCTX_NONE && h->dirs[g->last_dir].end > *e)
						*e = h->dirs[g->last_dir].end;
					changed = true;
				}
			}
		}
	}
}

/* ---- Macros ------------------------------------------------------------------------ */

/* What the views say of the macro a #define at line defines: whether it
 * is an integer in every view that has it, and how many have it. */
static void macro_views(B *b, const HDirective *d, uint32_t line, size_t *nint,
			size_t *nstr, size_t *nany)
{
	size_t v, i;
	*nint = *nstr = *nany = 0;
	for (v = 0; v < b->nviews; v++) {
		const Facts *f = &b->views[v].facts;
		if (b->views[v].config == CFG_ASM)
			continue;
		for (i = 0; i < f->n; i++) {
			const Fact *ft = &f->v[i];
			if (ft->kind != FK_MACRO || ft->line != line ||
			    strcmp(ft->name, d->name) != 0)
				continue;
			(*nany)++;
			if (ft->mkind == MK_INT)
				(*nint)++;
			else if (ft->mkind == MK_STRING)
				(*nstr)++;
			break;
		}
	}
}

/* A string literal's bytes (escapes read); NULL if it has escapes that
 * are not plain characters. */
static char *string_bytes(Arena *a, const CTok *t, size_t n)
{
	Buf s = {0};
	size_t i;
	char *r;
	for (i = 0; i < n; i++) {
		const char *p = t[i].p + 1, *e = t[i].p + t[i].n - 1;
		if (t[i].kind != CTOK_STRING || t[i].n < 2 || t[i].p[0] != '"') {
			buf_free(&s);
			return NULL;
		}
		for (; p < e; p++) {
			if (*p != '\\') {
				buf_putc(&s, *p);
				continue;
			}
			p++;
			switch (*p) {
			case 'n': buf_putc(&s, '\n'); break;
			case 't': buf_putc(&s, '\t'); break;
			case '\\': case '"': case '\'': case '?': buf_putc(&s, *p); break;
			default:
				buf_free(&s);
				return NULL;
			}
		}
	}
	r = arena_strndup(a, s.data ? s.data : "", s.len);
	buf_free(&s);
	return r;
}

/* Xen's xen_mk_uint, xen_mk_ulong and xen_mk_ullong: calls the
 * expression language knows by itself (xen.h defines them). */
static bool xen_mk(const char *name)
{
	return strcmp(name, "xen_mk_uint") == 0 || strcmp(name, "xen_mk_ulong") == 0 ||
	       strcmp(name, "xen_mk_ullong") == 0;
}

/* The names an expression needs as items: its identifiers, but not C's
 * words for types, C's and <stdint.h>'s type names (in casts and sizeof),
 * the language's own calls, nor the macro's parameters. */
static void expr_uses(B *b, IEntry *e, const CTok *t, size_t n,
		      const char *const *params, size_t nparams)
{
	static const char *const words[] = {
		"sizeof", "unsigned", "signed", "int", "long", "short", "char",
		"struct", "union", "enum", "const", "volatile", "void", "_Bool",
		"uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t",
		"int32_t", "int64_t", "uintptr_t", "intptr_t", "size_t",
	};
	size_t i, k;
	for (i = 0; i < n; i++) {
		bool skip = t[i].kind != CTOK_IDENT;
		for (k = 0; !skip && k < nparams; k++)
			skip = ctok_is(&t[i], params[k]);
		for (k = 0; !skip && k < ARRAY_LEN(words); k++)
			skip = ctok_is(&t[i], words[k]);
		if (!skip && !xen_mk(tokstr(b->a, &t[i])))
			add_use(b, e, tokstr(b->a, &t[i]));
	}
}

/* The tokens [lo, hi) are one parenthesised group: ( ... ) whose ( closes
 * at the end. */
static bool one_group(const CTok *t, size_t lo, size_t hi)
{
	size_t i;
	int depth = 0;
	if (hi - lo < 2 || !ctok_is(&t[lo], "(") || !ctok_is(&t[hi - 1], ")"))
		return false;
	for (i = lo; i < hi; i++) {
		if (ctok_is(&t[i], "("))
			depth++;
		else if (ctok_is(&t[i], ")") && --depth == 0 && i != hi - 1)
			return false;
	}
	return depth == 0;
}

/* A function-like macro whose body may be an expression: a macro item.
 * Only a body that C writes back as it is (one token, a call, or one
 * parenthesised group: the C backend puts parentheses around anything
 * else, which would change the header's tokens) and that has none of the
 * tokens an expression cannot have (statements, members, assignments, #
 * and ##).  Whether it is an expression of the language is the model's
 * to say: what it refuses stays text (the model's verdict). */
static bool build_macro(B *b, IEntry *e, const HDirective *d, const CTok *t,
			size_t n, DocNode *it)
{
	static const char *const bad[] = {
		"#", "##", ";", "{", "}", ".", "->", "=", "+=", "-=", "|=", "&=",
		"++", "--", "[", "]", "...",
	};
	size_t i, k;
	bool primary = n == 1 || one_group(t, 0, n) ||
		       (n >= 3 && t[0].kind == CTOK_IDENT && one_group(t, 1, n));
	DocNode *ps;
	Buf s = {0};
	if (!primary || d->nparams == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (t[i].kind == CTOK_STRING)
			return false;
		for (k = 0; k < ARRAY_LEN(bad); k++)
			if (t[i].kind == CTOK_PUNCT && ctok_is(&t[i], bad[k]))
				return false;
		/* typeof, do: code */
		if (ctok_is(&t[i], "__typeof__") || ctok_is(&t[i], "typeof") ||
		    ctok_is(&t[i], "do"))
			return false;
	}
	e->kind = "macro";
	dput(b->a, it, "macro", dstr(b->a, d->name));
	ps = doc_new(b->a, DOC_ARRAY, NO_LOC);
	for (k = 0; k < d->nparams; k++)
		doc_array_push(b->a, ps, dstr(b->a, d->params[k]));
	dput(b->a, it, "params", ps);
	ctok_join(&s, t, n);
	dput(b->a, it, "expr", dstr(b->a, buf_cstr(&s)));
	buf_free(&s);
	expr_uses(b, e, t, n, d->params, d->nparams);
	e->doc = it;
	return true;
}

/* Does the header rename `from` to `to` for old interface versions
 * alone (`#define from to` under `__XEN_INTERFACE_VERSION__ < V` and no
 * other condition)?  A rename for the hypervisor (4.22's xen-x86_32.h:
 * `#ifdef __XEN__` / `#define cpu_user_regs guest_user_regs`) is not one:
 * Xen's compat headers are made under that name. */
static bool version_rename(const HText *h, Arena *a, const char *from, const char *to)
{
	size_t i;
	for (i = 0; i < h->ndirs; i++) {
		const HDirective *d = &h->dirs[i];
		const char *p;
		CTok t;
		ICond c;
		if (d->kind != HD_DEFINE || d->function_like || !d->name ||
		    strcmp(d->name, from) != 0)
			continue;
		p = d->body;
		if (!ctok_next(&p, p + strlen(p), &t) || !ctok_is(&t, to) ||
		    ctok_next(&p, p + strlen(p), &t))
			continue;
		icond_from_ctx(a, h, d->ctx, h->guard_ctx, &c);
		if (!c.until || c.since)
			return false;
		c.until = 0;
		return icond_always(&c);
	}
	return false;
}

/* Does a view of the header declare name (a tag or a typedef)? */
static bool declares(const B *b, const char *name)
{
	size_t v, i;
	for (v = 0; v < b->nviews; v++)
		for (i = 0; i < b->views[v].decls.n; i++) {
			const XDecl *x = &b->views[v].decls.v[i];
			if ((x->kind == XK_STRUCT || x->kind == XK_UNION ||
			     x->kind == XK_ENUM || x->kind == XK_TYPEDEF) &&
			    strcmp(x->name, name) == 0)
				return true;
		}
	return false;
}

static void build_define(B *b, IEntry *e, const HDirective *d)
{
	CTok *t = NULL;
	size_t n = ctok_all(d->body, d->body + strlen(d->body), &t), nint, nstr, nany;
	size_t lo = 0, hi = n;
	DocNode *it = doc_new(b->a, DOC_TABLE, NO_LOC);
	bool neg = false;
	uint64_t v;
	char suf[8];
	const char *why = NULL;

	e->name = d->name;
	add_def(b->a, e, d->name);
	e->is_define = true;
	macro_views(b, d, htext_line_of(&b->H->text, d->start), &nint, &nstr, &nany);
	if (d->function_like) {
		/* the expression language knows Xen's xen_mk_* by itself; as
		 * items of xen.h they would make every header whose constants
		 * call them include xen.h, which includes those headers */
		if (xen_mk(d->name)) {
			why = "a macro the expression language has built in (xen_mk_*)";
			goto verbatim;
		}
		if ((b->caps & CAP_MACRO) && build_macro(b, e, d, t, n, it)) {
			free(t);
			return;
		}
		why = "a function-like macro";
		goto verbatim;
	}
	if (n == 0) {
		why = "an empty macro";
		goto verbatim;
	}
	/* (x) and -x around a literal */
	while (hi - lo >= 2 && ctok_is(&t[lo], "(") && ctok_is(&t[hi - 1], ")")) {
		lo++;
		hi--;
	}
	if (hi - lo == 2 && ctok_is(&t[lo], "-")) {
		neg = true;
		lo++;
	}
	if (hi - lo == 1 && t[lo].kind == CTOK_NUMBER &&
	    parse_c_int(t[lo].p, t[lo].n, &v, suf, sizeof suf)) {
		bool hex = t[lo].n > 1 && t[lo].p[0] == '0' && (t[lo].p[1] == 'x' ||
								t[lo].p[1] == 'X');
		bool octal = !hex && t[lo].n > 1 && t[lo].p[0] == '0';
		/* the C backend writes the value back in the same base; without a
		 * suffix, C types it int (or, in hex, unsigned int) */
		/* the C backend writes a value above INT_MAX with a U (of the
		 * same C type in hex, but another token for ## to paste) */
		bool same_type = !suf[0] && v <= INT32_MAX;
		(void)octal;
		if (same_type) {
			e->kind = "const";
			dput(b->a, it, "const", dstr(b->a, d->name));
			dput(b->a, it, "value", dint(b->a, neg ? -(int64_t)v : (int64_t)v));
			if (hex) {
				DocNode *c = dtable(b->a);
				dput(b->a, c, "hex", dbool(b->a, true));
				dput(b->a, it, "c", c);
			}
			e->doc = it;
			free(t);
			return;
		}
	}
	if (n == 1 && t[0].kind == CTOK_IDENT && declares(b, d->name) &&
	    version_rename(&b->H->text, b->a, d->name, tokstr(b->a, &t[0]))) {
		/* grant_table.h's `#define grant_entry_v1 grant_entry` under
		 * an old interface version: the record keeps the name the
		 * header spells (drop_renamed), so an alias of that name
		 * would define it twice */
		why = "a macro that renames a declaration of the header";
		goto verbatim;
	}
	if (n == 1 && t[0].kind == CTOK_IDENT) {
		if (b->caps & CAP_ALIAS) {
			e->kind = "const";
			dput(b->a, it, "const", dstr(b->a, d->name));
			dput(b->a, it, "alias", dstr(b->a, tokstr(b->a, &t[0])));
			e->doc = it;
			free(t);
			return;
		}
		why = "a macro that names another";
		goto verbatim;
	}
	{
		size_t i;
		bool strings = true;
		for (i = 0; i < n; i++)
			strings = strings && t[i].kind == CTOK_STRING;
		if (strings) {
			char *bytes = string_bytes(b->a, t, n);
			if ((b->caps & CAP_STRING) && bytes) {
				e->kind = "const";
				dput(b->a, it, "const", dstr(b->a, d->name));
				dput(b->a, it, "string", dstr(b->a, bytes));
				e->doc = it;
				free(t);
				return;
			}
			why = "a string constant";
			goto verbatim;
		}
	}
	if (nint && nint == nany) {
		if (b->caps & CAP_CONST_EXPR) {
			Buf s = {0};
			ctok_join(&s, t, n);
			e->kind = "const";
			dput(b->a, it, "const", dstr(b->a, d->name));
			dput(b->a, it, "value", dstr(b->a, buf_cstr(&s)));
			buf_free(&s);
			expr_uses(b, e, t, n, NULL, 0);
			e->doc = it;
			free(t);
			return;
		}
		why = hi - lo == 1 && t[lo].kind == CTOK_NUMBER ?
		      "an integer constant of another C type than int" :
		      "an integer constant written as an expression";
		goto verbatim;
	}
	why = nany ? "a macro that is not a constant" : "a macro no view defines";
verbatim:
	free(t);
	ientry_verbatim(b->H, e, why);
}

/* ---- Declarations ---------------------------------------------------------------------- */

static bool same_decl(const XDecl *a, const XDecl *b)
{
	return a->kind == b->kind && a->name_off == b->name_off &&
	       strcmp(a->name, b->name) == 0;
}

/* Whether a is b seen without its name: the same record at the same
 * place, unnamed. */
static bool unnamed_copy(const XDecl *a, const XDecl *b)
{
	return (a->kind == XK_STRUCT || a->kind == XK_UNION) &&
	       a->kind == b->kind && a->name_off == b->name_off && !*a->name &&
	       *b->name;
}

/* The distinct declarations of a chunk (one view's copy of each). */
static size_t distinct(const Chunk *c, const XDecl **out, size_t max)
{
	size_t i, k, n = 0;
	for (i = 0; i < c->ndecls; i++) {
		for (k = 0; k < n; k++)
			if (same_decl(out[k], c->decls[i]))
				break;
		if (k == n && n < max)
			out[n++] = c->decls[i];
		else if (k < n && !out[k]->definition && c->decls[i]->definition)
			out[k] = c->decls[i];
	}
	return n;
}

/* Is d's name the identifier the header spells at d's place? */
static bool spelled(const HText *h, const XDecl *d)
{
	const char *p = h->clean + d->name_off;
	CTok t;
	return d->name_off < h->len && ctok_next(&p, h->clean + h->len, &t) &&
	       t.kind == CTOK_IDENT && ctok_is(&t, d->name);
}

/* Drop from d the copies that a view renamed by a macro: grant_table.h
 * has `#define grant_entry_v1 grant_entry` at interface versions older
 * than 0x0003020a, so the views of the default version see its `struct
 * grant_entry_v1` (and its typedef) as grant_entry.  The header spells
 * one name at the place, which the other views see; the item takes that
 * one, and the #define stays what it is (an item of its own).  A copy is
 * dropped only when a declaration of the same kind at the same place has
 * the spelled name, and the header renames it by interface version. */
static size_t drop_renamed(const HText *h, Arena *a, const XDecl **d, size_t n)
{
	size_t i, k, m = 0;
	for (i = 0; i < n; i++) {
		bool renamed = false;
		if (*d[i]->name && !spelled(h, d[i]))
			for (k = 0; k < n && !renamed; k++)
				renamed = k != i && d[k]->kind == d[i]->kind &&
					  d[k]->name_off == d[i]->name_off &&
					  spelled(h, d[k]) &&
					  version_rename(h, a, d[k]->name, d[i]->name);
		if (!renamed)
			d[m++] = d[i];
	}
	return m;
}

static IEntry *find_typedef_owner(B *b, const char *name, uint32_t ctx)
{
	size_t i = b->H->n;
	while (i-- > 0) {
		IEntry *e = &b->H->e[i];
		size_t k;
		if (e->verbatim || e->hidden || !e->doc || e->ctx != ctx)
			continue;
		for (k = 0; k < e->ndefs; k++)
			if (strcmp(e->defs[k], name) == 0)
				return e;
	}
	return NULL;
}

static void set_c_key(B *b, DocNode *item, const char *key, DocNode *v)
{
	DocEntry *c = doc_table_find(item, "c", 1);
	if (!c) {
		DocNode *t = dtable(b->a);
		dput(b->a, item, "c", t);
		c = doc_table_find(item, "c", 1);
	}
	dput(b->a, c->value, key, v);
}

/* Whether the views lay out NAME_sring's ring as a flexible array (Xen
 * 4.19 on: XENPV_FLEX_ARRAY_DIM) rather than ring[1]. */
static bool ring_is_flex(B *b, const char *name)
{
	char *key = arena_printf(b->a, "struct %s_sring", name);
	size_t v, i, k;
	for (v = 0; v < b->nviews; v++) {
		const Facts *f = &b->views[v].facts;
		for (i = 0; i < f->n; i++) {
			if (strcmp(f->v[i].key, key) != 0)
				continue;
			for (k = 0; k < f->v[i].nmembers; k++)
				if (strcmp(f->v[i].members[k].name, "ring") == 0)
					return f->v[i].members[k].size < 0;
		}
	}
	return false;
}

/* DEFINE_RING_TYPES(name, struct req, struct rsp); a ring item, its
 * request and response by their struct names (or typedefs, as written). */
static bool build_ring(B *b, IEntry *e, const CTok *t, size_t n)
{
	const char *arg[3] = {NULL, NULL, NULL};
	size_t i = 2, k;
	DocNode *it;
	if (n < 6 || !ctok_is(&t[1], "(") || t[2].kind != CTOK_IDENT)
		return false;
	arg[0] = tokstr(b->a, &t[2]);
	for (k = 1; k < 3; k++) {
		i++;
		if (i >= n || !ctok_is(&t[i], ","))
			return false;
		i++;
		if (i + 1 < n && (ctok_is(&t[i], "struct")) && t[i + 1].kind == CTOK_IDENT)
			i++;
		else if (i >= n || t[i].kind != CTOK_IDENT)
			return false;
		arg[k] = tokstr(b->a, &t[i]);
	}
	/* then ")" and perhaps ";", nothing else */
	if (i + 1 >= n || !ctok_is(&t[i + 1], ")") ||
	    !(i + 2 == n || (i + 3 == n && ctok_is(&t[i + 2], ";"))))
		return false;
	it = doc_new(b->a, DOC_TABLE, NO_LOC);
	e->kind = "ring";
	dput(b->a, it, "ring", dstr(b->a, arg[0]));
	dput(b->a, it, "request", dstr(b->a, arg[1]));
	dput(b->a, it, "response", dstr(b->a, arg[2]));
	if (ring_is_flex(b, arg[0]))
		dput(b->a, it, "flex", dbool(b->a, true));
	add_use(b, e, arg[1]);
	add_use(b, e, arg[2]);
	e->doc = it;
	return true;
}

/* DEFINE_XEN_GUEST_HANDLE(name) apart from its type (a primitive, or a
 * type of another header), or __DEFINE_XEN_GUEST_HANDLE(name, type): a
 * handle item.  Its definition is the name '&name', which the members
 * XEN_GUEST_HANDLE(name) of other entries use. */
static bool build_handle(B *b, IEntry *e, const CTok *t, size_t n)
{
	bool raw = ctok_is(&t[0], "__DEFINE_XEN_GUEST_HANDLE");
	size_t rp, i;
	DocNode *it, *ty = NULL;
	const char *why = NULL;
	char *name;
	if (n < 4 || !ctok_is(&t[1], "(") || t[2].kind != CTOK_IDENT)
		return false;
	rp = 1 + closes_at(t + 1, n - 1);
	/* then perhaps ";", nothing else */
	if (rp >= n || !(rp + 1 == n || (rp + 2 == n && ctok_is(&t[rp + 1], ";"))))
		return false;
	name = tokstr(b->a, &t[2]);
	if (raw) {
		/* name, type: the type's tokens up to the ')' */
		if (!ctok_is(&t[3], ",") || rp < 5)
			return false;
		ty = base_type(b, e, t + 4, rp - 4, &why);
		if (!ty || ty->kind != DOC_STRING)
			return false;
	} else if (rp != 3) {
		return false;
	} else if (!c_keyword(name)) {
		/* a type of another header, by its name; not C's own types
		 * nor the stdint names the model knows by themselves */
		for (i = 0; i < ARRAY_LEN(stdint_names); i++)
			if (strcmp(stdint_names[i].c, name) == 0)
				break;
		if (i == ARRAY_LEN(stdint_names))
			(void)typedef_ref(b, e, name);
	}
	it = doc_new(b->a, DOC_TABLE, NO_LOC);
	e->kind = "handle";
	e->name = name;
	dput(b->a, it, "handle", dstr(b->a, name));
	if (raw) {
		dput(b->a, it, "type", ty);
		dput(b->a, it, "raw", dbool(b->a, true));
	}
	add_def(b->a, e, arena_printf(b->a, "&%s", name));
	e->doc = it;
	return true;
}

static void build_macro_chunk(B *b, IEntry *e, const Chunk *c)
{
	const HText *h = &b->H->text;
	CTok *t = NULL;
	size_t n = ctok_all(h->clean + c->start, h->clean + c->end, &t);
	size_t i;
	for (i = 0; i < c->ndecls; i++)
		if (*c->decls[i]->name)
			add_def(b->a, e, c->decls[i]->name);
	if (n >= 4 && ctok_is(&t[0], "DEFINE_XEN_GUEST_HANDLE") && ctok_is(&t[1], "(") &&
	    t[2].kind == CTOK_IDENT && ctok_is(&t[3], ")")) {
		char *name = tokstr(b->a, &t[2]);
		IEntry *o = find_typedef_owner(b, name, e->ctx);
		if (o) {
			free(t);
			set_c_key(b, o->doc, "handle", dbool(b->a, true));
			o->has_handle = true;
			e->hidden = true;
			e->absorbed = true;
			e->owner = o->start;
			e->kind = "handle";
			for (i = 0; i < e->ndefs; i++)
				add_def(b->a, o, e->defs[i]);
			return;
		}
		if ((b->caps & CAP_HANDLE_ITEM) && build_handle(b, e, t, n)) {
			free(t);
			return;
		}
		free(t);
		ientry_verbatim(b->H, e, "a guest handle defined apart from its type");
		return;
	}
	if (n >= 1 && ctok_is(&t[0], "DEFINE_RING_TYPES")) {
		bool ok = (b->caps & CAP_RING) && build_ring(b, e, t, n);
		free(t);
		if (!ok)
			ientry_verbatim(b->H, e, "DEFINE_RING_TYPES");
		return;
	}
	if (n >= 1 && ctok_is(&t[0], "__DEFINE_XEN_GUEST_HANDLE")) {
		bool ok = (b->caps & CAP_HANDLE_ITEM) && build_handle(b, e, t, n);
		free(t);
		if (!ok)
			ientry_verbatim(b->H, e, "a guest handle of a primitive type");
		return;
	}
	{
		Buf w = {0};
		if (n && t[0].kind == CTOK_IDENT)
			buf_printf(&w, "declarations made by the macro %.*s", (int)t[0].n, t[0].p);
		else
			buf_puts(&w, "declarations made by a macro");
		ientry_verbatim(b->H, e, buf_cstr(&w));
		buf_free(&w);
	}
	free(t);
}

static void build_enum(B *b, IEntry *e, const Chunk *c, const XDecl *d)
{
	const HText *h = &b->H->text;
	DocNode *it = doc_new(b->a, DOC_TABLE, NO_LOC), *vars = doc_new(b->a, DOC_ARRAY, NO_LOC);
	DocNode *cc = dtable(b->a);
	size_t i, k, n = 0, nv;
	const XEnumVal **vals = NULL;
	bool negative = false;
	uint64_t max = 0;
	uint32_t prev = d->start, ectx = htext_ctx_at(h, d->start);
	const char *p = memchr(h->clean + d->start, '{', d->end - d->start);
	if (p)
		prev = (uint32_t)(p - h->clean) + 1;
	/* the enumerators of every view, in the header's order */
	for (i = 0; i < c->ndecls; i++) {
		const XDecl *x = c->decls[i];
		if (!same_decl(x, d))
			continue;
		for (k = 0; k < x->nvals; k++) {
			size_t j, at;
			for (j = 0; j < n; j++)
				if (vals[j]->off == x->vals[k].off)
					break;
			if (j < n)
				continue;
			vals = xrealloc(vals, (n + 1) * sizeof *vals);
			at = n;
			while (at > 0 && vals[at - 1]->off > x->vals[k].off)
				at--;
			memmove(vals + at + 1, vals + at, (n - at) * sizeof *vals);
			vals[at] = &x->vals[k];
			n++;
		}
	}
	nv = n;
	for (i = 0; i < nv; i++) {
		const XEnumVal *ev = vals[i];
		DocNode *vt = dtable(b->a);
		uint32_t ctx = htext_ctx_at(h, ev->off);
		ICond cond;
		const char *desc;
		uint32_t stmt;
		if (ev->macro || !htext_ctx_within(h, ctx, ectx)) {
			free(vals);
			ientry_verbatim(b->H, e, ev->macro ? "an enumerator made by a macro" :
					"an enumerator whose #if crosses its enum");
			return;
		}
		desc = take_comments(b, prev, ev->off, false);
		stmt = field_stmt_end(h, ev->off, d->end);
		dput(b->a, vt, "name", dstr(b->a, ev->name));
		dput(b->a, vt, "value", dint(b->a, (int64_t)ev->value));
		icond_from_ctx(b->a, h, ctx, ectx, &cond);
		dput(b->a, vt, "only", icond_doc(b->a, &cond));
		append_desc(b->a, &desc, take_comments(b, stmt, line_end(h, stmt), true));
		if (desc && *desc)
			dput(b->a, vt, "description", dstr(b->a, htext_flow(b->a, desc, 4)));
		doc_array_push(b->a, vars, vt);
		prev = stmt;
		if (ev->negative)
			negative = true;
		else if (ev->value > max)
			max = ev->value;
		add_def(b->a, e, ev->name);
	}
	free(vals);
	e->kind = "enum";
	e->name = arena_strdup(b->a, d->name);
	add_def(b->a, e, d->name);
	dput(b->a, it, "enum", dstr(b->a, d->name));
	dput(b->a, it, "description", dstr(b->a, ""));
	dput(b->a, it, "typ", dstr(b->a, negative ? (max > INT32_MAX ? "i64" : "i32") :
				   max > UINT32_MAX ? "u64" : "u32"));
	dput(b->a, cc, "prefix", dstr(b->a, ""));
	dput(b->a, cc, "case", dstr(b->a, "keep"));
	dput(b->a, it, "c", cc);
	dput(b->a, it, "variants", vars);
	e->doc = it;
}

static void build_record(B *b, IEntry *e, const Chunk *c, const XDecl *rec,
			 const XDecl *td)
{
	const HText *h = &b->H->text;
	const XDecl **recs = xcalloc(c->ndecls + 1, sizeof *recs);
	size_t i, n = 0;
	const char *why = NULL, *p;
	DocNode *it = doc_new(b->a, DOC_TABLE, NO_LOC), *fl;
	const char *kw = rec->kind == XK_UNION ? "union" : "struct";
	for (i = 0; i < c->ndecls; i++)
		if (same_decl(c->decls[i], rec) && c->decls[i]->definition)
			recs[n++] = c->decls[i];
	p = memchr(h->clean + rec->start, '{', rec->end - rec->start);
	if (!p) {
		free(recs);
		ientry_verbatim(b->H, e, "a record without a body");
		return;
	}
	e->kind = kw;
	e->name = arena_strdup(b->a, rec->name);
	add_def(b->a, e, rec->name);
	fl = record_fields(b, e, recs, n, htext_ctx_at(h, rec->start),
			   (uint32_t)(p - h->clean) + 1, rec->end, &why);
	free(recs);
	if (!fl) {
		ientry_verbatim(b->H, e, why);
		return;
	}
	dput(b->a, it, kw, dstr(b->a, rec->name));
	dput(b->a, it, "description", dstr(b->a, ""));
	if (td) {
		DocNode *cc = dtable(b->a);
		dput(b->a, cc, "typedef", dstr(b->a, td->name));
		dput(b->a, it, "c", cc);
		add_def(b->a, e, td->name);
		hmap_put(&b->typedefs, td->name, strlen(td->name),
			 arena_printf(b->a, "%s %s", kw, rec->name));
	}
	dput(b->a, it, "fields", fl);
	e->doc = it;
}

static void build_typedef(B *b, IEntry *e, const XDecl *td)
{
	const HText *h = &b->H->text;
	CTok *t = NULL, *s = NULL;
	size_t n = ctok_all(h->clean + td->start, h->clean + td->name_off, &t), ns, stars = 0;
	const char *why = NULL;
	DocNode *ty, *it = doc_new(b->a, DOC_TABLE, NO_LOC);
	int bits;
	e->kind = "alias";
	e->name = arena_strdup(b->a, td->name);
	add_def(b->a, e, td->name);
	if (n < 2 || !ctok_is(&t[0], "typedef")) {
		free(t);
		ientry_verbatim(b->H, e, "a typedef the importer cannot read");
		return;
	}
	while (n > 1 && ctok_is(&t[n - 1], "*")) {
		n--;
		stars++;
	}
	ty = base_type(b, e, t + 1, n - 1, &why);
	free(t);
	if (ty && stars == 1)
		ty = dtype1(b->a, "cptr", ty);
	else if (ty && stars > 1) {
		ty = NULL;
		why = "a pointer to a pointer";
	}
	if (ty) {
		ns = ctok_all(h->clean + td->name_off + strlen(td->name), h->clean + td->end, &s);
		ty = declarator_suffix(b, e, ty, s, ns, &bits, NULL, &why);
		free(s);
		if (ty && bits >= 0) {
			ty = NULL;
			why = "a typedef with a bit-field width";
		}
	}
	if (!ty) {
		ientry_verbatim(b->H, e, why);
		return;
	}
	dput(b->a, it, "alias", dstr(b->a, td->name));
	dput(b->a, it, "typ", ty);
	dput(b->a, it, "description", dstr(b->a, ""));
	e->doc = it;
}

/* typedef struct X X_t; right after struct X's body: the struct's
 * c.typedef, as the C backend writes it.  Returns true if folded. */
static bool fold_typedef(B *b, IEntry *e, const XDecl *td)
{
	const HText *h = &b->H->text;
	CTok *t = NULL;
	size_t n = ctok_all(h->clean + td->start, h->clean + td->end, &t), i;
	IEntry *o = NULL;
	bool ok = n == 4 && ctok_is(&t[0], "typedef") &&
		  (ctok_is(&t[1], "struct") || ctok_is(&t[1], "union")) &&
		  t[2].kind == CTOK_IDENT && t[3].kind == CTOK_IDENT;
	char *rec = ok ? tokstr(b->a, &t[2]) : NULL;
	free(t);
	if (!ok)
		return false;
	for (i = (size_t)(e - b->H->e); i-- > 0;) {
		if (b->H->e[i].hidden)
			continue;
		o = &b->H->e[i];
		break;
	}
	if (!o || !o->doc || o->verbatim || o->ctx != e->ctx || !o->name ||
	    strcmp(o->name, rec) != 0 || (strcmp(o->kind, "struct") != 0 &&
					  strcmp(o->kind, "union") != 0) ||
	    doc_table_find(o->doc, "c", 1))
		return false;
	set_c_key(b, o->doc, "typedef", dstr(b->a, td->name));
	add_def(b->a, o, td->name);
	hmap_put(&b->typedefs, td->name, strlen(td->name),
		 arena_printf(b->a, "%s %s", o->kind, rec));
	append_desc(b->a, &o->desc, e->desc);
	e->hidden = true;
	e->absorbed = true;
	e->owner = o->start;
	e->kind = "typedef";
	e->name = arena_strdup(b->a, td->name);
	add_def(b->a, e, td->name);
	return true;
}

static void build_chunk(B *b, IEntry *e, const Chunk *c)
{
	const XDecl *d[16];
	size_t n = distinct(c, d, ARRAY_LEN(d)), i, nrec = 0, ntd = 0, nenum = 0, nother = 0;
	const XDecl *rec = NULL, *td = NULL, *en = NULL;
	n = drop_renamed(&b->H->text, b->a, d, n);
	if (c->macro) {
		build_macro_chunk(b, e, c);
		return;
	}
	for (i = 0; i < n; i++) {
		if (*d[i]->name)
			add_def(b->a, e, d[i]->name);
		switch (d[i]->kind) {
		case XK_STRUCT: case XK_UNION: nrec++; rec = d[i]; break;
		case XK_TYPEDEF: ntd++; td = d[i]; break;
		case XK_ENUM: nenum++; en = d[i]; break;
		default: nother++; break;
		}
	}
	if (nother) {
		ientry_verbatim(b->H, e, d[0]->kind == XK_FUNCTION ? "a function" :
				"a variable");
		return;
	}
	/* a record that a view reports unnamed at the same place: a view in
	 * which the name is taken already (arch-x86/pmu.h's struct
	 * xen_pmu_arch parsed on arm, after arch-arm.h's), which clang
	 * recovers from with an anonymous copy; the record is the named one */
	if (nrec == 2 && ntd == 0 && nenum == 0) {
		const XDecl *r0 = NULL, *r1 = NULL;
		for (i = 0; i < n; i++)
			if (d[i]->kind == XK_STRUCT || d[i]->kind == XK_UNION) {
				if (r0)
					r1 = d[i];
				else
					r0 = d[i];
			}
		if (r0 && r1 && (unnamed_copy(r0, r1) || unnamed_copy(r1, r0))) {
			rec = *r0->name ? r0 : r1;
			nrec = 1;
		}
	}
	if (nrec == 1 && nenum == 0 && ntd <= 1) {
		if (!rec->definition) {
			if (ntd == 1) {
				if (!fold_typedef(b, e, td))
					build_typedef(b, e, td);
				return;
			}
			ientry_verbatim(b->H, e, "a declaration of a record without its body");
			return;
		}
		if (rec->named_by_typedef || !*rec->name) {
			ientry_verbatim(b->H, e, "a record named only by its typedef");
			return;
		}
		build_record(b, e, c, rec, td);
		return;
	}
	if (nenum == 1 && nrec == 0 && ntd == 0) {
		if (!*en->name || !en->definition) {
			ientry_verbatim(b->H, e, !*en->name ? "an enum without a name" :
					"a declaration of an enum without its body");
			return;
		}
		build_enum(b, e, c, en);
		return;
	}
	if (ntd == 1 && nrec == 0 && nenum == 0) {
		if (!fold_typedef(b, e, td))
			build_typedef(b, e, td);
		return;
	}
	ientry_verbatim(b->H, e, "declarations the importer does not take apart");
}

static void build_directive(B *b, IEntry *e, const HDirective *d)
{
	switch (d->kind) {
	case HD_DEFINE:
		build_define(b, e, d);
		return;
	case HD_INCLUDE: {
		const char *r = d->rest;
		size_t n = strlen(r);
		DocNode *it = doc_new(b->a, DOC_TABLE, NO_LOC);
		e->is_define = true;
		if (n >= 2 && ((r[0] == '"' && r[n - 1] == '"') ||
			       (r[0] == '<' && r[n - 1] == '>'))) {
			e->kind = "include";
			dput(b->a, it, "include", dstr(b->a, r[0] == '"' ?
						       arena_strndup(b->a, r + 1, n - 2) : r));
			e->doc = it;
			return;
		}
		ientry_verbatim(b->H, e, "an #include of a macro");
		return;
	}
	case HD_ERROR: {
		const char *r = d->rest;
		size_t n = strlen(r);
		DocNode *it = doc_new(b->a, DOC_TABLE, NO_LOC);
		e->is_define = true;
		if (icond_always(&e->cond)) {
			ientry_verbatim(b->H, e, "an #error without a condition");
			return;
		}
		e->kind = "error";
		if (n >= 2 && r[0] == '"' && r[n - 1] == '"' && !memchr(r + 1, '"', n - 2) &&
		    !memchr(r + 1, '\\', n - 2))
			dput(b->a, it, "error", dstr(b->a, arena_strndup(b->a, r + 1, n - 2)));
		else
			dput(b->a, it, "error", dstr(b->a, r));
		e->doc = it;
		return;
	}
	case HD_UNDEF:
		e->is_define = true;
		e->name = d->name;
		ientry_verbatim(b->H, e, "an #undef");
		return;
	default:
		e->is_define = true;
		ientry_verbatim(b->H, e, "a directive of another kind");
		return;
	}
}

/* ---- The header -------------------------------------------------------------------- */

static int cmp_entry(const void *x, const void *y)
{
	const IEntry *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

/* The chunks: every view's declarations, merged where their text
 * overlaps. */
static size_t find_chunks(B *b, Chunk **out)
{
	const HText *h = &b->H->text;
	Chunk *v = NULL, *m = NULL;
	size_t n = 0, cap = 0, i, k, nm = 0;
	for (i = 0; i < b->nviews; i++) {
		const XDecls *x = &b->views[i].decls;
		for (k = 0; k < x->n; k++) {
			const XDecl *d = &x->v[k];
			Chunk *c;
			v = xgrow(v, &cap, n + 1, sizeof *v);
			c = &v[n++];
			memset(c, 0, sizeof *c);
			c->macro = d->macro;
			if (d->macro) {
				c->start = d->name_off;
				c->end = with_semicolon(h, invocation_end(h, d->name_off));
			} else {
				c->start = d->start;
				c->end = with_semicolon(h, d->end);
			}
			c->decls = xcalloc(1, sizeof *c->decls);
			c->decls[0] = d;
			c->ndecls = 1;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_chunk);
	for (i = 0; i < n; i++) {
		if (nm && v[i].start < m[nm - 1].end) {
			Chunk *c = &m[nm - 1];
			if (v[i].end > c->end)
				c->end = v[i].end;
			c->macro = c->macro && v[i].macro;
			c->decls = xrealloc(c->decls, (c->ndecls + 1) * sizeof *c->decls);
			c->decls[c->ndecls++] = v[i].decls[0];
			free(v[i].decls);
			continue;
		}
		m = xrealloc(m, (nm + 1) * sizeof *m);
		m[nm++] = v[i];
	}
	free(v);
	*out = m;
	return nm;
}

static bool inside(uint32_t off, uint32_t s, uint32_t e)
{
	return off >= s && off < e;
}

/* Code the views did not see (no declaration covers it) and that is no
 * directive: runs of it become verbatim entries. */
static void add_residue(B *b, const Chunk *ch, size_t nch)
{
	IHeader *H = b->H;
	const HText *h = &H->text;
	uint32_t off = 0, run_s = 0, run_e = 0;
	size_t ci = 0, di = 0;
	bool in_run = false;
	while (off < h->len) {
		char c = h->clean[off];
		while (ci < nch && ch[ci].end <= off)
			ci++;
		while (di < h->ndirs && h->dirs[di].end < off)
			di++;
		if (ci < nch && inside(off, ch[ci].start, ch[ci].end)) {
			if (in_run) {
				new_entry(H, run_s, run_e);
				in_run = false;
			}
			off = ch[ci].end;
			continue;
		}
		if (di < h->ndirs && inside(off, h->dirs[di].start, h->dirs[di].end + 1)) {
			if (in_run) {
				new_entry(H, run_s, run_e);
				in_run = false;
			}
			off = h->dirs[di].end + 1;
			continue;
		}
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
		    c != '\v' && !(c == '\\' && off + 1 < h->len && h->clean[off + 1] == '\n')) {
			if (!in_run)
				run_s = off;
			in_run = true;
			run_e = off + 1;
		}
		off++;
	}
	if (in_run)
		new_entry(H, run_s, run_e);
}

/* Does the expression test the macro name (defined(name), or name)? */
static bool tests_name(const char *expr, const char *name)
{
	size_t n = strlen(name);
	const char *p = expr;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == expr || !id_char_c(p[-1])) && !id_char_c(p[n]))
			return true;
		p += n;
	}
	return false;
}

/* A group that defines (or undefines) a macro its own condition tests,
 * with more than that in it (#ifndef X / #define X ... / #define Y ...),
 * cannot be cut into items: each would test the condition again, after
 * X changed.  It becomes one entry, its #if lines and all. */
static void merge_atomic_groups(B *b)
{
	IHeader *H = b->H;
	const HText *h = &H->text;
	size_t g, i, k;
	for (g = 0; g < h->ngroups; g++) {
		const HGroup *gr = &h->groups[g];
		uint32_t gs, ge;
		bool atomic = false;
		size_t inside_n = 0, first = SIZE_MAX;
		if (g == h->guard_group || gr->last_dir == HCTX_NONE)
			continue;
		gs = h->dirs[gr->first_dir].start;
		ge = h->dirs[gr->last_dir].end;
		for (i = gr->first_dir + 1; i < gr->last_dir && !atomic; i++) {
			const HDirective *d = &h->dirs[i];
			uint32_t k2;
			if (d->kind != HD_DEFINE && d->kind != HD_UNDEF)
				continue;
			for (k2 = 0; k2 < gr->nbranches && !atomic; k2++)
				atomic = gr->branches[k2] && tests_name(gr->branches[k2], d->name);
		}
		if (!atomic)
			continue;
		for (i = 0; i < H->n; i++)
			if (H->e[i].start >= gs && H->e[i].start < ge) {
				inside_n++;
				if (first == SIZE_MAX)
					first = i;
			}
		if (inside_n < 2)
			continue;
		/* one entry for the group: the first, grown; the others go */
		H->e[first].start = gs;
		H->e[first].end = ge;
		H->e[first].line = htext_line_of(h, gs);
		H->e[first].col = htext_col_of(h, gs);
		H->e[first].ctx = gr->parent;
		H->e[first].is_define = false;
		H->e[first].atomic = true;
		for (i = first + 1, k = first + 1; i < H->n; i++) {
			if (H->e[i].start >= gs && H->e[i].start < ge)
				continue;
			H->e[k++] = H->e[i];
		}
		H->n = k;
	}
}

/* Do the views agree with the condition read from the text? */
static void cross_check(B *b, IEntry *e, const Chunk *c)
{
	size_t v, i;
	unsigned missing = 0, extra = 0;
	for (v = 0; v < b->nviews; v++) {
		const IView *w = &b->views[v];
		bool present = false;
		int holds;
		uint32_t version = w->config == CFG_GUEST ? b->latest : 0;
		if (w->config == CFG_ASM || w->status)
			continue;
		for (i = 0; i < c->ndecls && !present; i++) {
			size_t k;
			for (k = 0; k < w->decls.n && !present; k++)
				present = &w->decls.v[k] == c->decls[i];
		}
		holds = icond_holds(&e->cond, w->target, w->config, version, b->latest);
		if (holds == 1 && !present)
			missing++;
		else if (holds == 0 && present)
			extra++;
	}
	if (missing || extra)
		idiag(b->H, e->start, DIAG_WARNING, "the condition read from the #if "
		      "lines does not match the views: %u view%s without the "
		      "declaration where it should hold, %u with it where it should not",
		      missing, missing == 1 ? "" : "s", extra);
}

/* Is the comment "for NAME, NAME"? */
static bool for_names(const char *t)
{
	if (strncmp(t, "for ", 4) != 0)
		return false;
	for (t += 4; *t; t++)
		if (!id_char_c(*t) && *t != ',' && *t != ' ')
			return false;
	return true;
}

/* In a header xenbindgen generated, the #includes it wrote for the
 * [[includes]] of its unit (after a comment "for NAME, ...": one
 * #include, or the #if chain of the architectures) are the imports'
 * doing, not the header's: the imports say them again. */
static void drop_import_includes(B *b)
{
	IHeader *H = b->H;
	const HText *h = &H->text;
	size_t i, k, j;
	for (i = 0; i < h->ncomments; i++) {
		const HComment *c = &h->comments[i];
		const HDirective *d = NULL;
		uint32_t s, e;
		if (c->in_directive || !for_names(htext_comment_text(b->a, h, c)))
			continue;
		for (k = 0; k < h->ndirs; k++)
			if (h->dirs[k].start >= c->end) {
				d = &h->dirs[k];
				break;
			}
		if (!d || !htext_blank(h, c->end, d->start))
			continue;
		s = d->start;
		if (d->kind == HD_INCLUDE) {
			e = d->end;
		} else if (d->kind == HD_IF && d->group != HCTX_NONE &&
			   h->groups[d->group].last_dir != HCTX_NONE) {
			const HGroup *g = &h->groups[d->group];
			bool only_inc = true;
			for (j = g->first_dir + 1; j < g->last_dir; j++)
				if (h->dirs[j].kind != HD_INCLUDE && h->dirs[j].kind != HD_ERROR &&
				    h->dirs[j].kind != HD_ELIF && h->dirs[j].kind != HD_ELSE)
					only_inc = false;
			if (!only_inc)
				continue;
			e = h->dirs[g->last_dir].end;
		} else {
			continue;
		}
		for (k = 0; k < H->n; k++)
			if (H->e[k].start >= s && H->e[k].start <= e && !H->e[k].hidden) {
				H->e[k].hidden = true;
				H->nimport_includes++;
			}
	}
}

/* The header's own comments before its first entry: SPDX, notice and
 * description. */
static void header_comments(B *b, uint32_t first)
{
	IHeader *H = b->H;
	const HText *h = &H->text;
	size_t i;
	for (i = 0; i < h->ncomments; i++) {
		const HComment *c = &h->comments[i];
		const char *t, *spdx = "SPDX-License-Identifier:";
		if (c->end > first)
			break;
		if (c->in_directive) {
			/* #ifndef GUARD's comment: a label */
			continue;
		}
		b->used[i] = true;
		t = htext_comment_text(b->a, h, c);
		/* xenbindgen's own banner: the header was generated, and the
		 * banner is no part of what it says */
		if (strstr(t, "AUTOGENERATED. DO NOT MODIFY: this file is generated by "
			   "xenbindgen")) {
			H->generated = true;
			continue;
		}
		if (strncmp(t, spdx, strlen(spdx)) == 0 && !H->spdx && !strchr(t, '\n')) {
			const char *p = t + strlen(spdx);
			while (*p == ' ')
				p++;
			H->spdx = p;
			continue;
		}
		{
			/* copyright lines are the notice; the rest describes */
			Buf d = {0}, nt = {0};
			const char *p = t;
			while (*p) {
				const char *q = strchr(p, '\n');
				size_t len = q ? (size_t)(q - p) : strlen(p);
				Buf *to = strncmp(p, "Copyright", 9) == 0 ? &nt : &d;
				/* one blank line between paragraphs, where a
				 * copyright line left two */
				bool blank = len == 0;
				if (!(blank && to->len >= 1 && to->data[to->len - 1] == '\n')) {
					if (to->len)
						buf_putc(to, '\n');
					buf_put(to, p, len);
				}
				p += len + (q ? 1 : 0);
			}
			/* blank lines left at the ends of the description */
			while (d.len && d.data[d.len - 1] == '\n')
				d.len--;
			{
				size_t k = 0;
				while (k < d.len && d.data[k] == '\n')
					k++;
				if (k < d.len)
					append_desc(b->a, &H->desc, arena_strndup(b->a, d.data + k,
										  d.len - k));
			}
			if (nt.len)
				append_desc(b->a, &H->notice, arena_strndup(b->a, nt.data, nt.len));
			buf_free(&d);
			buf_free(&nt);
		}
	}
}

void ibuild_header(IHeader *H, IView *views, size_t nviews, unsigned caps,
		   uint32_t latest)
{
	B b;
	Chunk *ch = NULL;
	size_t nch, i, k, first_entry;
	HText *h = &H->text;

	memset(&b, 0, sizeof b);
	b.H = H;
	b.a = &H->arena;
	b.views = views;
	b.nviews = nviews;
	b.caps = caps;
	b.latest = latest;
	hmap_init(&b.typedefs);
	htext_init(h, H->th->path, H->th->text, H->th->len);
	b.used = xcalloc(h->ncomments + 1, sizeof *b.used);
	H->assembly = H->th->mentions_asm;
	if (h->unbalanced)
		idiag(H, UINT32_MAX, DIAG_WARNING, "the #if lines do not balance");

	/* the entries: declarations, directives, and what is left */
	nch = find_chunks(&b, &ch);
	for (i = 0; i < nch; i++) {
		uint32_t s = ch[i].start, e = ch[i].end;
		balance(h, &s, &e);
		ch[i].start = s;
		ch[i].end = e;
	}
	/* balancing may make chunks overlap: merge them */
	for (i = 1, k = 0; nch && i < nch; i++) {
		if (ch[i].start < ch[k].end) {
			if (ch[i].end > ch[k].end)
				ch[k].end = ch[i].end;
			ch[k].decls = xrealloc(ch[k].decls, (ch[k].ndecls + ch[i].ndecls) *
					       sizeof *ch[k].decls);
			memcpy(ch[k].decls + ch[k].ndecls, ch[i].decls,
			       ch[i].ndecls * sizeof *ch[i].decls);
			ch[k].ndecls += ch[i].ndecls;
			ch[k].macro = ch[k].macro && ch[i].macro;
			free(ch[i].decls);
			ch[k].balanced_merge = true;
		} else {
			ch[++k] = ch[i];
		}
	}
	if (nch)
		nch = k + 1;
	for (i = 0; i < h->ndirs; i++) {
		const HDirective *d = &h->dirs[i];
		bool in_chunk = false;
		/* conditionals are the structure, not entries; and the guard's
		 * #define is the header's guard */
		if (d->kind == HD_IF || d->kind == HD_IFDEF || d->kind == HD_IFNDEF ||
		    d->kind == HD_ELIF || d->kind == HD_ELSE || d->kind == HD_ENDIF ||
		    i == h->guard_define)
			continue;
		for (k = 0; k < nch && !in_chunk; k++)
			in_chunk = inside(d->start, ch[k].start, ch[k].end);
		if (!in_chunk)
			new_entry(H, d->start, d->end)->is_define = true;
	}
	for (i = 0; i < nch; i++)
		new_entry(H, ch[i].start, ch[i].end);
	add_residue(&b, ch, nch);
	if (H->n > 1)
		qsort(H->e, H->n, sizeof *H->e, cmp_entry);
	merge_atomic_groups(&b);

	/* comments: the header's, then each entry's leading and trailing
	 * ones (those inside a declaration go with its members) */
	{
		uint32_t first = H->n ? H->e[0].start : (uint32_t)h->len;
		if (h->ndirs && h->dirs[0].start < first)
			first = h->dirs[0].start;
		header_comments(&b, first);
	}
	first_entry = 0;
	for (i = 0; i < H->n; i++) {
		IEntry *e = &H->e[i];
		uint32_t lo = i ? H->e[i - 1].end : 0;
		const char *lead = take_comments(&b, lo, e->start, false);
		e->desc = lead;
		(void)first_entry;
	}

	/* each entry said in the language, or kept as text */
	for (i = 0; i < H->n; i++) {
		IEntry *e = &H->e[i];
		const HDirective *d = directive_at(h, e->start);
		const Chunk *c = NULL;
		size_t nh0;
		icond_from_ctx(b.a, h, e->ctx, h->guard_ctx, &e->cond);
		for (k = 0; k < nch; k++)
			if (ch[k].start == e->start && ch[k].end == e->end)
				c = &ch[k];
		nh0 = b.nhoist;
		if (e->atomic) {
			size_t j;
			for (j = 0; j < h->ndirs; j++)
				if (h->dirs[j].kind == HD_DEFINE && h->dirs[j].start >= e->start &&
				    h->dirs[j].start < e->end)
					add_def(b.a, e, h->dirs[j].name);
			for (k = 0; k < nch; k++)
				if (ch[k].start >= e->start && ch[k].start < e->end)
					for (j = 0; j < ch[k].ndecls; j++)
						if (*ch[k].decls[j]->name)
							add_def(b.a, e, ch[k].decls[j]->name);
			ientry_verbatim(H, e, "an #if group that tests a macro it defines");
		} else if (c && c->balanced_merge) {
			/* several declarations that one #if group holds apart */
			for (k = 0; k < c->ndecls; k++)
				if (*c->decls[k]->name)
					add_def(b.a, e, c->decls[k]->name);
			ientry_verbatim(H, e, "declarations whose #if lines cross them");
		} else if (c) {
			/* the directives inside a declaration (a #define between
			 * a struct's members) go before it, if it is not text */
			size_t nd0 = b.nhoist, j;
			for (j = 0; !c->macro && j < h->ndirs; j++) {
				const HDirective *dd = &h->dirs[j];
				IEntry de;
				if (dd->start <= c->start || dd->start >= c->end ||
				    dd->kind == HD_IF || dd->kind == HD_IFDEF ||
				    dd->kind == HD_IFNDEF || dd->kind == HD_ELIF ||
				    dd->kind == HD_ELSE || dd->kind == HD_ENDIF)
					continue;
				memset(&de, 0, sizeof de);
				de.start = dd->start;
				de.end = dd->end;
				de.line = htext_line_of(h, dd->start);
				de.col = htext_col_of(h, dd->start);
				de.ctx = htext_ctx_at(h, dd->start);
				de.is_define = true;
				de.lifted = true;
				de.part = true;
				de.owner = e->start;
				icond_from_ctx(b.a, h, de.ctx, h->guard_ctx, &de.cond);
				build_directive(&b, &de, dd);
				de.dir_desc = take_comments(&b, de.start, de.end + 1, false);
				b.hoist = xgrow(b.hoist, &b.hoistcap, b.nhoist + 1, sizeof *b.hoist);
				b.hoist[b.nhoist++] = de;
			}
			(void)nd0;
			build_chunk(&b, e, c);
			cross_check(&b, e, c);
		} else if (d && d->start == e->start && e->is_define) {
			build_directive(&b, e, d);
		} else {
			ientry_verbatim(H, e, "code that no view compiles");
		}
		if (e->cond.never)
			e->wrap_cond = true;
		/* a #define's own comment, inside its line(s), unless the text
		 * keeps it; and the trailing comments of a declaration's last
		 * line */
		if (e->is_define)
			e->dir_desc = take_comments(&b, e->start, e->end + 1, false);
		else if (!e->is_define)
			append_desc(b.a, &e->desc, take_comments(&b, e->end, line_end(h, e->end),
								 true));
		/* an #include before the include guard stays there */
		if (d && e->doc && d->kind == HD_INCLUDE && h->guard_first != HCTX_NONE &&
		    d < &h->dirs[h->guard_first])
			dput(b.a, e->doc, "before_guard", dbool(b.a, true));
		if (b.nhoist > nh0) {
			/* records lifted out of this one go before it */
			size_t nh = b.nhoist - nh0, at = (size_t)(e - H->e);
			IEntry *hs = xcalloc(nh, sizeof *hs);
			memcpy(hs, b.hoist + nh0, nh * sizeof *hs);
			b.nhoist = nh0;
			if (e->verbatim) {
				/* the record stays text: so do they */
				free(hs);
				continue;
			}
			H->e = xgrow(H->e, &H->cap, H->n + nh, sizeof *H->e);
			memmove(H->e + at + nh, H->e + at, (H->n - at) * sizeof *H->e);
			for (k = 0; k < nh; k++) {
				if (!hs[k].desc)
					hs[k].desc = "";
				H->e[at + k] = hs[k];
			}
			H->n += nh;
			i += nh;
			free(hs);
		}
	}
	if (H->generated)
		drop_import_includes(&b);
	/* C declarations the assembler sees too: the language puts types
	 * under #ifndef __ASSEMBLY__ */
	for (i = 0; i < H->n; i++) {
		IEntry *e = &H->e[i];
		if (H->assembly && e->doc && !e->is_define && e->cond.assembly != 0)
			ientry_verbatim(H, e, "a C declaration that the assembler sees too");
	}
	for (i = 0; i < h->ncomments; i++)
		if (!b.used[i]) {
			bool internal = false;
			for (k = 0; k < H->n && !internal; k++)
				internal = inside(h->comments[i].start, H->e[k].start, H->e[k].end);
			if (!internal) {
				b.used[i] = true;
				if (label_comment(h, &h->comments[i]))
					H->nendif_comments++;
				else
					H->ntrailing++;
			}
		}
	for (i = 0; i < nch; i++)
		free(ch[i].decls);
	free(ch);
	free(b.used);
	free(b.hoist);
	hmap_free(&b.typedefs);
}
