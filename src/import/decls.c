/*
 * decls.c - where a header's declarations are, in one view: the importer's
 * addition to a facts parse (facts.c calls decls_collect() on the same
 * translation unit, so a view is parsed once).
 *
 * The facts say what a header declares and how it is laid out; the
 * importer also needs where each declaration is written, so that it can
 * take the text of types and lengths as the header spells them, put the
 * header's comments and conditions on the right items, and keep the
 * header's order.  Positions are byte offsets in the header's text, which
 * is the same in every view: that is what lets the views be merged.  A
 * declaration that a macro makes (DEFINE_XEN_GUEST_HANDLE, DEFINE_RING_-
 * TYPES) is placed at the macro's invocation.
 */
#include "import/import.h"

#include <stdlib.h>

#include "import/libclang.h"

#ifdef HAVE_LIBCLANG

typedef struct Walker {
	CXTranslationUnit tu;
	CXFile hdr;
	XDecls *out;
	unsigned depth;
	/* the header's macro invocations, [start, end) by offset, in order */
	uint32_t *exp;
	size_t nexp, expcap;
} Walker;

/* Is off inside a macro invocation?  (clang_getSpellingLocation() gives
 * the expansion's place too, so the invocations are what tells.) */
static bool in_expansion(const Walker *w, uint32_t off)
{
	size_t lo = 0, hi = w->nexp / 2;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->exp[2 * mid + 1] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->nexp / 2 && w->exp[2 * lo] <= off && off < w->exp[2 * lo + 1];
}

/* The offset of l in the header, by its expansion; false elsewhere.
 * *macro: the location was produced by a macro. */
static bool here(Walker *w, CXSourceLocation l, uint32_t *off, bool *macro)
{
	CXFile f;
	unsigned o;
	clang_getExpansionLocation(l, &f, NULL, NULL, &o);
	if (!f || !clang_File_isEqual(f, w->hdr))
		return false;
	*off = o;
	if (macro)
		*macro = in_expansion(w, o);
	return true;
}

static const char *spell(Walker *w, CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	const char *p = clang_getCString(s);
	const char *r;
	/* anonymous records are named "(anonymous struct at ...)" or
	 * "(unnamed ...)" by newer libclangs, "" by older ones */
	if (!p || strchr(p, '(') || strchr(p, ' '))
		p = "";
	r = arena_strdup(&w->out->arena, p);
	clang_disposeString(s);
	return r;
}

static void extent(Walker *w, CXCursor c, uint32_t *start, uint32_t *end)
{
	CXSourceRange r = clang_getCursorExtent(c);
	uint32_t s = 0, e = 0;
	bool m;
	if (!here(w, clang_getRangeStart(r), &s, &m))
		s = 0;
	if (!here(w, clang_getRangeEnd(r), &e, &m))
		e = s;
	*start = s;
	*end = e < s ? s : e;
}

static CXType strip_arrays(CXType t)
{
	while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
	       t.kind == CXType_VariableArray)
		t = clang_getCanonicalType(clang_getArrayElementType(t));
	return t;
}

static XDecl *new_decl(Walker *w)
{
	return arena_alloc(&w->out->arena, sizeof(XDecl));
}

static void record_fields(Walker *w, CXCursor rec, XDecl *d);

typedef struct FieldAcc {
	Walker *w;
	XField *v;
	size_t n, cap;
} FieldAcc;

static enum CXVisitorResult field_visit(CXCursor c, CXClientData data)
{
	FieldAcc *fa = data;
	Walker *w = fa->w;
	XField *f;
	CXType t;
	CXCursor td;
	uint32_t off = 0;
	bool macro = false;
	fa->v = xgrow(fa->v, &fa->cap, fa->n + 1, sizeof *fa->v);
	f = &fa->v[fa->n++];
	memset(f, 0, sizeof *f);
	f->name = spell(w, c);
	extent(w, c, &f->start, &f->end);
	if (here(w, clang_getCursorLocation(c), &off, &macro))
		f->name_off = off;
	f->macro = macro;
	f->bits = clang_Cursor_isBitField(c) ? clang_getFieldDeclBitWidth(c) : -1;
	t = strip_arrays(clang_getCanonicalType(clang_getCursorType(c)));
	if (t.kind == CXType_Record && w->depth < MAX_TYPE_DEPTH) {
		uint32_t rs, re;
		td = clang_getTypeDeclaration(t);
		extent(w, td, &rs, &re);
		/* a record defined in this declaration (or an anonymous
		 * member, whose extent is the record's) */
		if (!macro && rs >= f->start && re <= f->end && re > rs &&
		    clang_isCursorDefinition(td)) {
			XDecl *d = new_decl(w);
			d->kind = clang_getCursorKind(td) == CXCursor_UnionDecl ? XK_UNION
										   : XK_STRUCT;
			d->name = spell(w, td);
			d->start = rs;
			d->end = re;
			d->definition = true;
			w->depth++;
			record_fields(w, td, d);
			w->depth--;
			f->inline_rec = d;
		}
	}
	return CXVisit_Continue;
}

static void record_fields(Walker *w, CXCursor rec, XDecl *d)
{
	FieldAcc fa;
	memset(&fa, 0, sizeof fa);
	fa.w = w;
	clang_Type_visitFields(clang_getCursorType(rec), field_visit, &fa);
	if (fa.n) {
		d->fields = arena_alloc(&w->out->arena, fa.n * sizeof *fa.v);
		memcpy(d->fields, fa.v, fa.n * sizeof *fa.v);
	}
	d->nfields = fa.n;
	free(fa.v);
}

typedef struct EnumAcc {
	Walker *w;
	XEnumVal *v;
	size_t n, cap;
	bool is_unsigned;
} EnumAcc;

static enum CXChildVisitResult enum_visit(CXCursor c, CXCursor parent,
					  CXClientData data)
{
	EnumAcc *ea = data;
	XEnumVal *v;
	uint32_t off;
	bool macro;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_EnumConstantDecl)
		return CXChildVisit_Continue;
	if (!here(ea->w, clang_getCursorLocation(c), &off, &macro))
		return CXChildVisit_Continue;
	ea->v = xgrow(ea->v, &ea->cap, ea->n + 1, sizeof *ea->v);
	v = &ea->v[ea->n++];
	memset(v, 0, sizeof *v);
	v->name = spell(ea->w, c);
	v->off = off;
	v->macro = macro;
	if (ea->is_unsigned) {
		v->value = clang_getEnumConstantDeclUnsignedValue(c);
	} else {
		long long x = clang_getEnumConstantDeclValue(c);
		v->negative = x < 0;
		v->value = (uint64_t)x;
	}
	return CXChildVisit_Continue;
}

static void add_top(Walker *w, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	XDecls *o = w->out;
	XDecl *d;
	uint32_t off;
	bool macro;
	XKind kind;
	switch (k) {
	case CXCursor_StructDecl: case CXCursor_ClassDecl: kind = XK_STRUCT; break;
	case CXCursor_UnionDecl: kind = XK_UNION; break;
	case CXCursor_EnumDecl: kind = XK_ENUM; break;
	case CXCursor_TypedefDecl: kind = XK_TYPEDEF; break;
	case CXCursor_FunctionDecl: kind = XK_FUNCTION; break;
	case CXCursor_VarDecl: kind = XK_VAR; break;
	default: return;
	}
	if (!here(w, clang_getCursorLocation(c), &off, &macro))
		return;
	o->v = xgrow(o->v, &o->cap, o->n + 1, sizeof *o->v);
	d = &o->v[o->n++];
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->name = spell(w, c);
	d->name_off = off;
	d->macro = macro;
	d->definition = clang_isCursorDefinition(c) != 0;
	if (macro) {
		d->start = d->end = off;
	} else {
		extent(w, c, &d->start, &d->end);
	}
	if ((kind == XK_STRUCT || kind == XK_UNION) && d->definition && !macro) {
		record_fields(w, c, d);
		if (!*d->name) {
			/* typedef struct { ... } name_t: named by its typedef */
			CXString s = clang_getTypeSpelling(clang_getCursorType(c));
			const char *p = clang_getCString(s);
			if (p && *p && !strchr(p, '(') && !strchr(p, ' ')) {
				d->name = arena_strdup(&o->arena, p);
				d->named_by_typedef = true;
			}
			clang_disposeString(s);
		}
	}
	if (kind == XK_ENUM && d->definition) {
		EnumAcc ea;
		CXType it = clang_getCanonicalType(clang_getEnumDeclIntegerType(c));
		memset(&ea, 0, sizeof ea);
		ea.w = w;
		ea.is_unsigned = it.kind == CXType_UInt || it.kind == CXType_ULong ||
				 it.kind == CXType_ULongLong || it.kind == CXType_UShort ||
				 it.kind == CXType_UChar;
		clang_visitChildren(c, enum_visit, &ea);
		if (ea.n) {
			d->vals = arena_alloc(&o->arena, ea.n * sizeof *ea.v);
			memcpy(d->vals, ea.v, ea.n * sizeof *ea.v);
		}
		d->nvals = ea.n;
		free(ea.v);
	}
}

static enum CXChildVisitResult exp_visit(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	Walker *w = data;
	CXSourceRange r;
	CXFile f;
	unsigned s, e;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_MacroExpansion)
		return CXChildVisit_Continue;
	r = clang_getCursorExtent(c);
	clang_getExpansionLocation(clang_getRangeStart(r), &f, NULL, NULL, &s);
	if (!f || !clang_File_isEqual(f, w->hdr))
		return CXChildVisit_Continue;
	clang_getExpansionLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &e);
	if (e <= s)
		e = s + 1;
	/* invocations come in the text's order; nested ones do not nest in
	 * the text */
	if (w->nexp && w->exp[w->nexp - 1] > s)
		return CXChildVisit_Continue;
	w->exp = xgrow(w->exp, &w->expcap, w->nexp + 2, sizeof *w->exp);
	w->exp[w->nexp++] = s;
	w->exp[w->nexp++] = e;
	return CXChildVisit_Continue;
}

static enum CXChildVisitResult top_visit(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	Walker *w = data;
	(void)parent;
	add_top(w, c);
	/* records and enums declared inside records (C puts their tags in
	 * the file's scope): the importer lifts them out */
	return CXChildVisit_Continue;
}

void decls_collect(void *ctx, void *tu, void *hdr)
{
	Walker w;
	memset(&w, 0, sizeof w);
	w.tu = (CXTranslationUnit)tu;
	w.hdr = (CXFile)hdr;
	w.out = ctx;
	clang_visitChildren(clang_getTranslationUnitCursor(w.tu), exp_visit, &w);
	clang_visitChildren(clang_getTranslationUnitCursor(w.tu), top_visit, &w);
	free(w.exp);
}

#else

void decls_collect(void *ctx, void *tu, void *hdr)
{
	(void)ctx;
	(void)tu;
	(void)hdr;
}

#endif

void xdecls_init(XDecls *x)
{
	memset(x, 0, sizeof *x);
	arena_init(&x->arena);
}

void xdecls_free(XDecls *x)
{
	free(x->v);
	arena_free(&x->arena);
	memset(x, 0, sizeof *x);
}
