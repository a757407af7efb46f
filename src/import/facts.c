/*
 * facts.c - what one header declares, in one view, as libclang sees it.
 *
 * A view is a header, a target and a configuration.  One parse gives
 * everything: a translation unit that includes the header the way Xen's
 * build does (tree_prelude()), followed by probes for its macros:
 *
 *   #ifdef NAME
 *   static const __auto_type __xbg_iN __attribute__((unused)) = (NAME);
 *   static const char *const __xbg_sN __attribute__((unused)) = NAME;
 *   #endif
 *
 * The #ifdef is recorded by the detailed preprocessing record as a
 * reference to the definition in force at the end of the unit (so a
 * definition the header later #undefs is not "live"); the first variable
 * evaluates an integer macro with its C type, the second a string macro
 * (the one that does not fit fails to compile, in the main file, whose
 * errors do not count).  Only macros whose text is a balanced expression
 * get the two declarations (tree.c), so a probe cannot swallow the next.
 *
 * The unit lives in a virtual directory (SHIM below, unsaved files): the
 * system headers the public headers ask for (<string.h>, <sys/types.h>,
 * <xen/lib.h>) are small stand-ins, clang's own headers give <stdint.h>,
 * and nothing is read from the host's /usr/include, so that the facts do
 * not depend on which cross libcs are installed.  "public/X.h" (Xen's own
 * spelling of the tree) reaches the tree through forwarding headers.
 *
 * Types are spelled here rather than by clang_getTypeSpelling(), which
 * names anonymous types by file path and position.
 */
#include "import/import.h"
#include "model/model.h"

#include <inttypes.h>
#include <stdlib.h>

#include "import/libclang.h"

const char *fact_kind_name(FactKind k)
{
	static const char *const names[NFACTKINDS] = {
		"record", "enum", "typedef", "enumerator", "function",
		"variable", "macro",
	};
	return k < NFACTKINDS ? names[k] : "?";
}

static void facts_init(Facts *f)
{
	memset(f, 0, sizeof *f);
	arena_init(&f->arena);
}

void facts_free(Facts *f)
{
	free(f->v);
	free(f->errors);
	free(f->asm_lines);
	arena_free(&f->arena);
	memset(f, 0, sizeof *f);
}

#ifdef HAVE_LIBCLANG

#define SHIM "/.xenbindgen-compare"
#define MAIN_FILE SHIM "/view.c"

struct FactsCtx {
	CXIndex index;
};

FactsCtx *facts_ctx_new(void)
{
	FactsCtx *x = xcalloc(1, sizeof *x);
	x->index = clang_createIndex(0, 0);
	return x;
}

void facts_ctx_free(FactsCtx *x)
{
	if (!x)
		return;
	clang_disposeIndex(x->index);
	free(x);
}

/* Stand-ins for the system headers the public headers include.  They
 * declare what those headers use and nothing more: no fact comes from
 * them. */
static const struct {
	const char *path, *text;
} shim_files[] = {
	{SHIM "/sys/string.h", "#include <stddef.h>\n"},
	{SHIM "/sys/cstring", "#include <stddef.h>\n"},
	{SHIM "/sys/sys/types.h", "#include <stddef.h>\n#include <stdint.h>\n"},
	/* hvm/save.h includes it for BUG() in hypervisor builds */
	{SHIM "/sys/xen/lib.h", "#define BUG() __builtin_trap()\n"},
};

/* ---- The extraction state ------------------------------------------------ */

typedef struct Probe {
	unsigned ifdef_line; /* of its #ifdef in the main file */
	long fact;         /* the definition the #ifdef saw, or -1 */
	bool have_int, have_str;
	uint64_t value;
	bool negative;
	const char *type;
	const char *str;
} Probe;

typedef struct Ex {
	const FactsView *v;
	Facts *f;
	CXTranslationUnit tu;
	CXFile hdr, mainf;
	HMap keys;         /* key -> fact index + 1 */
	uint32_t seq;
	Probe *probes;
	size_t nprobes;
	/* #ifdef references from the main file: line and the definition */
	struct Ref { unsigned line, dline, dcol; } *refs;
	size_t nrefs, refcap;
} Ex;

static const char *keep(Ex *x, CXString s)
{
	const char *p = arena_strdup(&x->f->arena, clang_getCString(s) ?
				     clang_getCString(s) : "");
	clang_disposeString(s);
	return p;
}

static bool at_header(Ex *x, CXSourceLocation l, uint32_t *line, uint32_t *col)
{
	CXFile f;
	unsigned ln, cl;
	clang_getExpansionLocation(l, &f, &ln, &cl, NULL);
	if (!f || !clang_File_isEqual(f, x->hdr))
		return false;
	if (line)
		*line = ln;
	if (col)
		*col = cl;
	return true;
}

static Fact *new_fact(Ex *x, FactKind k, const char *key, const char *name,
		      uint32_t line, uint32_t col)
{
	Facts *f = x->f;
	Fact *ft;
	f->v = xgrow(f->v, &f->cap, f->n + 1, sizeof *f->v);
	ft = &f->v[f->n++];
	memset(ft, 0, sizeof *ft);
	ft->kind = k;
	ft->key = key;
	ft->name = name;
	ft->line = line;
	ft->col = col;
	ft->seq = x->seq++;
	ft->size = ft->align = -1;
	hmap_put(&x->keys, key, strlen(key), index_value(f->n - 1));
	return ft;
}

static Fact *find_fact(Ex *x, const char *key)
{
	size_t i = (size_t)(uintptr_t)hmap_gets(&x->keys, key);
	return i ? &x->f->v[i - 1] : NULL;
}

/* ---- Types ----------------------------------------------------------------- */

typedef enum RecName { RN_TAG, RN_TYPEDEF, RN_ANON } RecName;

static bool is_record_kind(enum CXCursorKind k)
{
	return k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
	       k == CXCursor_ClassDecl;
}

static CXType strip_arrays(CXType t)
{
	while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
	       t.kind == CXType_VariableArray)
		t = clang_getCanonicalType(clang_getArrayElementType(t));
	return t;
}

typedef struct FieldFind {
	CXCursor decl;
	CXCursor found;
	unsigned anon, anon_at; /* anonymous fields seen; the found one's rank */
	bool ok;
} FieldFind;

static enum CXVisitorResult find_field(CXCursor c, CXClientData data)
{
	FieldFind *ff = data;
	CXType t;
	CXString s;
	bool anon;
	s = clang_getCursorSpelling(c);
	anon = !clang_getCString(s) || !*clang_getCString(s);
	clang_disposeString(s);
	if (anon)
		ff->anon++;
	t = strip_arrays(clang_getCanonicalType(clang_getCursorType(c)));
	if (clang_equalCursors(clang_getTypeDeclaration(t), ff->decl)) {
		ff->found = c;
		ff->anon_at = anon ? ff->anon : 0;
		ff->ok = true;
		return CXVisit_Break;
	}
	return CXVisit_Continue;
}

/* The name of an anonymous member (C11): its kind and rank among the
 * anonymous members of its record, "(anonymous union)" for the first,
 * "(anonymous struct 2)" for the second. */
static void anon_member(Buf *out, const char *sep, enum CXCursorKind k,
			unsigned rank)
{
	buf_printf(out, "%s(anonymous %s", sep,
		   k == CXCursor_UnionDecl ? "union" : "struct");
	if (rank > 1)
		buf_printf(out, " %u", rank);
	buf_putc(out, ')');
}

/* How a record or enum is named: by its tag, by the typedef it was
 * declared in (typedef struct { ... } foo_t), or not at all.  The name
 * goes to *out. */
static RecName decl_name(Ex *x, CXCursor d, Buf *out, unsigned depth)
{
	CXString s = clang_getCursorSpelling(d);
	const char *p = clang_getCString(s);
	CXCursor parent;
	if (p && *p && !strchr(p, '(')) {
		buf_puts(out, p);
		clang_disposeString(s);
		return RN_TAG;
	}
	clang_disposeString(s);
	s = clang_getTypeSpelling(clang_getCursorType(d));
	p = clang_getCString(s);
	if (p && *p && !strchr(p, '(') && !strchr(p, ' ')) {
		buf_puts(out, p);
		clang_disposeString(s);
		return RN_TYPEDEF;
	}
	clang_disposeString(s);
	/* An anonymous type: named by the path of the member it types. */
	parent = clang_getCursorSemanticParent(d);
	if (depth < MAX_TYPE_DEPTH && is_record_kind(clang_getCursorKind(parent))) {
		FieldFind ff;
		memset(&ff, 0, sizeof ff);
		ff.decl = d;
		/* the fields, anonymous ones included (visitChildren skips
		 * those, being implicit) */
		clang_Type_visitFields(clang_getCursorType(parent), find_field, &ff);
		if (ff.ok) {
			decl_name(x, parent, out, depth + 1);
			s = clang_getCursorSpelling(ff.found);
			p = clang_getCString(s);
			if (p && *p)
				buf_printf(out, ".%s", p);
			else
				anon_member(out, ".", clang_getCursorKind(d), ff.anon_at);
			clang_disposeString(s);
			return RN_ANON;
		}
	}
	{
		/* no name at all (a declaration clang rejected): not by its
		 * position, which differs between the trees */
		buf_puts(out, "(anonymous)");
	}
	return RN_ANON;
}

static const char *tag_word(enum CXCursorKind k)
{
	if (k == CXCursor_UnionDecl)
		return "union";
	if (k == CXCursor_EnumDecl)
		return "enum";
	return "struct";
}

static void put_quals(CXType t, Buf *b, bool after)
{
	const char *sep = after ? "" : " ";
	if (clang_isConstQualifiedType(t))
		buf_printf(b, "%sconst%s", after ? " " : "", sep);
	if (clang_isVolatileQualifiedType(t))
		buf_printf(b, "%svolatile%s", after ? " " : "", sep);
	if (clang_isRestrictQualifiedType(t))
		buf_printf(b, "%srestrict%s", after ? " " : "", sep);
}

static void print_type(Ex *x, CXType t, const char *decl, bool quals,
		       Buf *out, unsigned depth);

/* A canonical type in C syntax, with decl as the declarator inside it
 * ("" for a type name).  quals: print the type's own qualifiers. */
static void print_type(Ex *x, CXType t, const char *decl, bool quals,
		       Buf *out, unsigned depth)
{
	Buf d = {0};
	CXType inner;
	int i, n;
	if (depth > MAX_TYPE_DEPTH) {
		buf_puts(out, "...");
		return;
	}
	t = clang_getCanonicalType(t);
	switch (t.kind) {
	case CXType_Pointer:
		inner = clang_getCanonicalType(clang_getPointeeType(t));
		n = inner.kind == CXType_ConstantArray ||
		    inner.kind == CXType_IncompleteArray ||
		    inner.kind == CXType_FunctionProto ||
		    inner.kind == CXType_FunctionNoProto;
		if (n)
			buf_putc(&d, '(');
		buf_putc(&d, '*');
		if (quals)
			put_quals(t, &d, false);
		if (d.len && d.data[d.len - 1] == ' ' && !*decl)
			d.len--;
		buf_puts(&d, decl);
		if (n)
			buf_putc(&d, ')');
		print_type(x, inner, buf_cstr(&d), true, out, depth + 1);
		break;
	case CXType_ConstantArray:
		buf_printf(&d, "%s[%lld]", decl, clang_getArraySize(t));
		print_type(x, clang_getArrayElementType(t), buf_cstr(&d), true, out,
			   depth + 1);
		break;
	case CXType_IncompleteArray:
	case CXType_VariableArray:
		buf_printf(&d, "%s[]", decl);
		print_type(x, clang_getArrayElementType(t), buf_cstr(&d), true, out,
			   depth + 1);
		break;
	case CXType_FunctionProto:
	case CXType_FunctionNoProto:
		buf_printf(&d, "%s(", decl);
		n = clang_getNumArgTypes(t);
		for (i = 0; i < n; i++) {
			if (i)
				buf_puts(&d, ", ");
			print_type(x, clang_getArgType(t, (unsigned)i), "", true, &d,
				   depth + 1);
		}
		if (clang_isFunctionTypeVariadic(t))
			buf_puts(&d, n ? ", ..." : "...");
		else if (n == 0 && t.kind == CXType_FunctionProto)
			buf_puts(&d, "void");
		buf_putc(&d, ')');
		print_type(x, clang_getResultType(t), buf_cstr(&d), true, out,
			   depth + 1);
		break;
	case CXType_Record:
	case CXType_Enum: {
		CXCursor dc = clang_getTypeDeclaration(t);
		Buf nm = {0};
		RecName rn = decl_name(x, dc, &nm, 0);
		if (quals)
			put_quals(t, out, false);
		if (rn != RN_TYPEDEF)
			buf_printf(out, "%s ", tag_word(clang_getCursorKind(dc)));
		buf_puts(out, buf_cstr(&nm));
		buf_free(&nm);
		if (*decl)
			buf_printf(out, *decl == '[' ? "%s" : " %s", decl);
		break;
	}
	default: {
		/* builtin types: clang's spelling, less its qualifiers */
		CXString s = clang_getTypeSpelling(t);
		const char *p = clang_getCString(s);
		static const char *const q[] = {"const ", "volatile ", "restrict "};
		bool again = true;
		while (p && again) {
			again = false;
			for (i = 0; i < (int)ARRAY_LEN(q); i++)
				if (strncmp(p, q[i], strlen(q[i])) == 0) {
					p += strlen(q[i]);
					again = true;
				}
		}
		if (quals)
			put_quals(t, out, false);
		buf_puts(out, p ? p : "?");
		if (*decl)
			buf_printf(out, *decl == '[' ? "%s" : " %s", decl);
		clang_disposeString(s);
		break;
	}
	}
	buf_free(&d);
}

static const char *type_str(Ex *x, CXType t, bool quals)
{
	Buf b = {0};
	const char *r;
	print_type(x, t, "", quals, &b, 0);
	r = arena_strndup(&x->f->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

/* The type as written, when it says more than the canonical one: a
 * typedef name.  Spellings that name a file position are dropped. */
static const char *spelled_str(Ex *x, CXType t, const char *canon)
{
	CXString s = clang_getTypeSpelling(t);
	const char *p = clang_getCString(s), *r = NULL;
	if (p && *p && strcmp(p, canon) != 0 && !strstr(p, "(anonymous") &&
	    !strstr(p, "(unnamed") && !strstr(p, " at "))
		r = arena_strdup(&x->f->arena, p);
	clang_disposeString(s);
	return r;
}

static int64_t layout_num(long long v)
{
	return v < 0 ? -1 : (int64_t)v;
}

/* ---- Records ----------------------------------------------------------------- */

typedef struct Members {
	Ex *x;
	const char *prefix;      /* the C access path of this level: "u.dt." */
	const char *anon_prefix; /* with the anonymous members on the way */
	int64_t base;
	FactMember *v;
	size_t n, cap;
	unsigned anon;
	unsigned depth;
} Members;

/* One member, and the members of its type if that type is anonymous:
 * they have no other name to be checked under.  A named member's path is
 * how C reaches it ("u.dt.path"; members of an anonymous member are
 * reached without naming it); an anonymous member is named by its place
 * ("(anonymous union 2).(anonymous struct)"), which is unique. */
static enum CXVisitorResult member_visit(CXCursor c, CXClientData data)
{
	Members *m = data;
	Ex *x = m->x;
	CXType t = clang_getCursorType(c), ct = clang_getCanonicalType(t), e;
	CXString s = clang_getCursorSpelling(c);
	const char *nm = clang_getCString(s);
	Buf name = {0};
	FactMember *fm;
	long long off = clang_Cursor_getOffsetOfField(c);
	bool anon = !nm || !*nm;

	if (!anon) {
		buf_printf(&name, "%s%s", m->prefix, nm);
	} else {
		m->anon++;
		buf_puts(&name, m->anon_prefix);
		anon_member(&name, "", clang_getCursorKind(clang_getTypeDeclaration(ct)),
			    m->anon);
	}
	clang_disposeString(s);
	m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof *m->v);
	fm = &m->v[m->n++];
	fm->name = arena_strndup(&x->f->arena, name.data, name.len);
	fm->offset = off < 0 ? -1 : m->base + off;
	fm->size = layout_num(clang_Type_getSizeOf(ct));
	fm->align = layout_num(clang_Type_getAlignOf(ct));
	fm->bits = clang_Cursor_isBitField(c) ? clang_getFieldDeclBitWidth(c) : -1;
	fm->type = type_str(x, ct, true);
	fm->spelled = spelled_str(x, t, fm->type);

	e = strip_arrays(ct);
	if (e.kind == CXType_Record && m->depth < MAX_TYPE_DEPTH && off >= 0) {
		CXCursor d = clang_getTypeDeclaration(e);
		Buf dummy = {0};
		if (decl_name(x, d, &dummy, 0) == RN_ANON) {
			Members sub;
			Buf pre = {0}, apre = {0};
			memset(&sub, 0, sizeof sub);
			if (!anon) {
				buf_put(&pre, name.data, name.len);
				if (e.kind != ct.kind)
					buf_puts(&pre, "[]");
				buf_putc(&pre, '.');
				buf_puts(&apre, buf_cstr(&pre));
			} else {
				buf_puts(&pre, m->prefix);
				buf_printf(&apre, "%s.", fm->name);
			}
			sub.x = x;
			sub.prefix = buf_cstr(&pre);
			sub.anon_prefix = buf_cstr(&apre);
			sub.base = m->base + off;
			sub.v = m->v;
			sub.n = m->n;
			sub.cap = m->cap;
			sub.depth = m->depth + 1;
			clang_Type_visitFields(e, member_visit, &sub);
			m->v = sub.v;
			m->n = sub.n;
			m->cap = sub.cap;
			buf_free(&pre);
			buf_free(&apre);
		}
		buf_free(&dummy);
	}
	buf_free(&name);
	return CXVisit_Continue;
}

static void handle_record(Ex *x, CXCursor c);
static void handle_enum(Ex *x, CXCursor c);

static enum CXChildVisitResult nested_visit(CXCursor c, CXCursor parent,
					    CXClientData data)
{
	Ex *x = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	(void)parent;
	if (is_record_kind(k))
		handle_record(x, c);
	else if (k == CXCursor_EnumDecl)
		handle_enum(x, c);
	return CXChildVisit_Continue;
}

static void handle_record(Ex *x, CXCursor c)
{
	uint32_t line, col;
	Buf nm = {0};
	RecName rn;
	bool def = clang_isCursorDefinition(c) != 0;
	const char *word = tag_word(clang_getCursorKind(c));
	Fact *ft;
	char *key;

	if (!at_header(x, clang_getCursorLocation(c), &line, &col))
		return;
	if (def)
		clang_visitChildren(c, nested_visit, x);
	rn = decl_name(x, c, &nm, 0);
	if (rn == RN_ANON) {
		/* its members are checked as members of the record using it */
		buf_free(&nm);
		return;
	}
	key = arena_printf(&x->f->arena, "%s %s", word, buf_cstr(&nm));
	ft = find_fact(x, key);
	if (ft && (ft->complete || !def)) {
		buf_free(&nm);
		return;
	}
	if (!ft)
		ft = new_fact(x, FK_RECORD, key,
			      arena_strdup(&x->f->arena, buf_cstr(&nm)), line, col);
	buf_free(&nm);
	ft->is_union = clang_getCursorKind(c) == CXCursor_UnionDecl;
	ft->complete = def;
	if (def) {
		Members m;
		CXType t = clang_getCursorType(c);
		memset(&m, 0, sizeof m);
		m.x = x;
		m.prefix = "";
		m.anon_prefix = "";
		ft->line = line;
		ft->col = col;
		ft->size = layout_num(clang_Type_getSizeOf(t));
		ft->align = layout_num(clang_Type_getAlignOf(t));
		clang_Type_visitFields(t, member_visit, &m);
		ft->members = m.n ? arena_alloc(&x->f->arena, m.n * sizeof *m.v) : NULL;
		if (m.n)
			memcpy(ft->members, m.v, m.n * sizeof *m.v);
		ft->nmembers = m.n;
		free(m.v);
	}
}

/* ---- Enums, typedefs, functions, variables ----------------------------------- */

static bool unsigned_kind(enum CXTypeKind k)
{
	return k == CXType_UInt || k == CXType_ULong || k == CXType_ULongLong ||
	       k == CXType_UShort || k == CXType_UChar || k == CXType_Char_U ||
	       k == CXType_Bool || k == CXType_UInt128;
}

static enum CXChildVisitResult enumerator_visit(CXCursor c, CXCursor parent,
						CXClientData data)
{
	Ex *x = data;
	uint32_t line, col;
	const char *name;
	Fact *ft;
	CXType it;
	if (clang_getCursorKind(c) != CXCursor_EnumConstantDecl ||
	    !at_header(x, clang_getCursorLocation(c), &line, &col))
		return CXChildVisit_Continue;
	name = keep(x, clang_getCursorSpelling(c));
	if (find_fact(x, arena_printf(&x->f->arena, "enumerator %s", name)))
		return CXChildVisit_Continue;
	ft = new_fact(x, FK_ENUMERATOR,
		      arena_printf(&x->f->arena, "enumerator %s", name), name,
		      line, col);
	it = clang_getCanonicalType(clang_getEnumDeclIntegerType(parent));
	if (unsigned_kind(it.kind)) {
		ft->value = clang_getEnumConstantDeclUnsignedValue(c);
	} else {
		long long v = clang_getEnumConstantDeclValue(c);
		ft->negative = v < 0;
		ft->value = (uint64_t)v;
	}
	ft->type = type_str(x, clang_getCursorType(c), false);
	return CXChildVisit_Continue;
}

static void handle_enum(Ex *x, CXCursor c)
{
	uint32_t line, col;
	Buf nm = {0};
	bool def = clang_isCursorDefinition(c) != 0;
	if (!at_header(x, clang_getCursorLocation(c), &line, &col))
		return;
	if (decl_name(x, c, &nm, 0) != RN_ANON) {
		char *key = arena_printf(&x->f->arena, "enum %s", buf_cstr(&nm));
		Fact *ft = find_fact(x, key);
		if (!ft)
			ft = new_fact(x, FK_ENUM, key,
				      arena_strdup(&x->f->arena, buf_cstr(&nm)),
				      line, col);
		if (def && !ft->complete) {
			ft->complete = true;
			ft->type = type_str(x, clang_getEnumDeclIntegerType(c), false);
		}
	}
	buf_free(&nm);
	if (def)
		clang_visitChildren(c, enumerator_visit, x);
}

static void handle_named(Ex *x, CXCursor c, FactKind k, const char *word)
{
	uint32_t line, col;
	const char *name, *key;
	Fact *ft;
	CXType t;
	if (!at_header(x, clang_getCursorLocation(c), &line, &col))
		return;
	name = keep(x, clang_getCursorSpelling(c));
	key = arena_printf(&x->f->arena, "%s %s", word, name);
	if (find_fact(x, key))
		return;
	ft = new_fact(x, k, key, name, line, col);
	t = clang_getCursorType(c);
	ft->type = type_str(x, t, true);
	if (k == FK_TYPEDEF)
		ft->spelled = spelled_str(x, clang_getTypedefDeclUnderlyingType(c),
					  ft->type);
}

/* ---- Macros -------------------------------------------------------------------- */

static unsigned tok_offset(CXTranslationUnit tu, CXToken t, bool end)
{
	CXSourceRange r = clang_getTokenExtent(tu, t);
	unsigned off = 0;
	clang_getSpellingLocation(end ? clang_getRangeEnd(r) : clang_getRangeStart(r),
				  NULL, NULL, NULL, &off);
	return off;
}

/* A token's text as the source has it may hold line splices (a '}' after
 * "\\<newline>" starts at the backslash): the token without them. */
static const char *unsplice(Buf *b, const char *p)
{
	const char *q;
	if (!strchr(p, '\\'))
		return p;
	buf_clear(b);
	for (q = p; *q; q++) {
		if (*q == '\\') {
			const char *r = q + 1;
			while (*r == ' ' || *r == '\t' || *r == '\r')
				r++;
			if (*r == '\n') {
				q = r;
				continue;
			}
		}
		buf_putc(b, *q);
	}
	return buf_cstr(b);
}

static void handle_macro(Ex *x, CXCursor c)
{
	uint32_t line, col;
	CXToken *toks = NULL;
	unsigned n = 0, i = 1, end_off = 0, k;
	const char *name;
	char *key;
	Fact *ft;
	Buf body = {0}, shape = {0}, tok = {0};
	CXSourceRange ext;

	if (!at_header(x, clang_getCursorLocation(c), &line, &col))
		return;
	name = keep(x, clang_getCursorSpelling(c));
	key = arena_printf(&x->f->arena, "macro %s", name);
	for (k = 2; find_fact(x, key); k++)
		key = arena_printf(&x->f->arena, "macro %s#%u", name, k);
	ft = new_fact(x, FK_MACRO, key, name, line, col);
	ft->mkind = MK_TOKENS;

	ext = clang_getCursorExtent(c);
	clang_getSpellingLocation(clang_getRangeEnd(ext), NULL, NULL, NULL, &end_off);
	clang_tokenize(x->tu, ext, &toks, &n);
	/* the tokenizer may hand back the token after the range */
	while (n > 1 && tok_offset(x->tu, toks[n - 1], false) >= end_off)
		n--;
	/* Function-like when '(' touches the name: clang_Cursor_isMacro-
	 * FunctionLike() answers for the last definition of the name. */
	if (n > 1 && clang_getTokenKind(toks[1]) == CXToken_Punctuation &&
	    tok_offset(x->tu, toks[1], false) == tok_offset(x->tu, toks[0], true)) {
		const char **params = NULL;
		size_t np = 0, cap = 0;
		CXString s = clang_getTokenSpelling(x->tu, toks[1]);
		bool paren = strcmp(clang_getCString(s), "(") == 0;
		clang_disposeString(s);
		if (paren) {
			ft->mkind = MK_FUNCTION;
			for (i = 2; i < n; i++) {
				CXString ts = clang_getTokenSpelling(x->tu, toks[i]);
				const char *p = arena_strdup(&x->f->arena,
							     unsplice(&tok, clang_getCString(ts)));
				clang_disposeString(ts);
				if (strcmp(p, ")") == 0) {
					i++;
					break;
				}
				if (strcmp(p, ",") == 0)
					continue;
				params = xgrow(params, &cap, np + 1, sizeof *params);
				params[np++] = p;
			}
			ft->params = np ? arena_alloc(&x->f->arena, np * sizeof *params)
					: NULL;
			if (np)
				memcpy(ft->params, params, np * sizeof *params);
			ft->nparams = np;
			free(params);
		}
	}
	for (; i < n; i++) {
		CXString s = clang_getTokenSpelling(x->tu, toks[i]);
		const char *p = clang_getCString(s);
		size_t j;
		if (clang_getTokenKind(toks[i]) == CXToken_Comment) {
			clang_disposeString(s);
			continue;
		}
		if (body.len) {
			buf_putc(&body, ' ');
			buf_putc(&shape, ' ');
		}
		p = unsplice(&tok, p);
		buf_puts(&body, p);
		/* the body with parameters by position: equal shapes mean the
		 * parameters were only renamed */
		for (j = 0; j < ft->nparams; j++)
			if (strcmp(p, ft->params[j]) == 0)
				break;
		if (j < ft->nparams)
			buf_printf(&shape, "#%zu", j + 1);
		else
			buf_puts(&shape, p);
		clang_disposeString(s);
	}
	ft->tokens = arena_strndup(&x->f->arena, body.data ? body.data : "", body.len);
	ft->str = NULL;
	if (ft->mkind == MK_FUNCTION)
		ft->spelled = arena_strndup(&x->f->arena, shape.data ? shape.data : "",
					    shape.len);
	buf_free(&body);
	buf_free(&shape);
	buf_free(&tok);
	if (toks)
		clang_disposeTokens(x->tu, toks, n);
}

/* ---- The walk ----------------------------------------------------------------- */

static bool in_main(Ex *x, CXSourceLocation l, unsigned *line)
{
	CXFile f;
	clang_getExpansionLocation(l, &f, line, NULL, NULL);
	return f && x->mainf && clang_File_isEqual(f, x->mainf);
}

static void probe_var(Ex *x, CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	const char *p = clang_getCString(s);
	char kind = 0;
	unsigned long n = 0;
	bool ok = false;
	CXEvalResult r;
	Probe *pr;
	if (p && strncmp(p, "__xbg_", 6) == 0 && (p[6] == 'i' || p[6] == 's')) {
		char *end;
		kind = p[6];
		n = strtoul(p + 7, &end, 10);
		ok = end != p + 7 && *end == '\0' && n < x->nprobes;
	}
	clang_disposeString(s);
	if (!ok)
		return;
	pr = &x->probes[n];
	r = clang_Cursor_Evaluate(c);
	if (!r)
		return;
	if (kind == 'i' && clang_EvalResult_getKind(r) == CXEval_Int) {
		pr->have_int = true;
		if (clang_EvalResult_isUnsignedInt(r)) {
			pr->value = clang_EvalResult_getAsUnsigned(r);
		} else {
			long long v = clang_EvalResult_getAsLongLong(r);
			pr->negative = v < 0;
			pr->value = (uint64_t)v;
		}
		pr->type = type_str(x, clang_getCursorType(c), false);
	} else if (kind == 's' && clang_EvalResult_getKind(r) == CXEval_StrLiteral) {
		pr->have_str = true;
		pr->str = arena_strdup(&x->f->arena, clang_EvalResult_getAsStr(r));
	}
	clang_EvalResult_dispose(r);
}

static enum CXChildVisitResult top_visit(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	Ex *x = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	unsigned line;
	(void)parent;
	switch (k) {
	case CXCursor_MacroDefinition:
		handle_macro(x, c);
		break;
	case CXCursor_MacroExpansion:
		if (in_main(x, clang_getCursorLocation(c), &line)) {
			CXCursor d = clang_getCursorReferenced(c);
			uint32_t dl, dc;
			if (!clang_Cursor_isNull(d) &&
			    at_header(x, clang_getCursorLocation(d), &dl, &dc)) {
				x->refs = xgrow(x->refs, &x->refcap, x->nrefs + 1,
						sizeof *x->refs);
				x->refs[x->nrefs].line = line;
				x->refs[x->nrefs].dline = dl;
				x->refs[x->nrefs++].dcol = dc;
			}
		}
		break;
	case CXCursor_StructDecl:
	case CXCursor_UnionDecl:
	case CXCursor_ClassDecl:
		handle_record(x, c);
		break;
	case CXCursor_EnumDecl:
		handle_enum(x, c);
		break;
	case CXCursor_TypedefDecl:
		handle_named(x, c, FK_TYPEDEF, "typedef");
		break;
	case CXCursor_FunctionDecl:
		handle_named(x, c, FK_FUNCTION, "function");
		break;
	case CXCursor_VarDecl:
		if (in_main(x, clang_getCursorLocation(c), &line))
			probe_var(x, c);
		else
			handle_named(x, c, FK_VARIABLE, "variable");
		break;
	default:
		break;
	}
	return CXChildVisit_Continue;
}

/* Attach each probe's results to the definition its #ifdef saw. */
static void resolve_probes(Ex *x)
{
	size_t i, j, k;
	for (i = 0; i < x->nrefs; i++) {
		for (j = 0; j < x->nprobes; j++)
			if (x->probes[j].ifdef_line == x->refs[i].line)
				break;
		if (j == x->nprobes)
			continue;
		for (k = 0; k < x->f->n; k++) {
			Fact *ft = &x->f->v[k];
			if (ft->kind == FK_MACRO && ft->line == x->refs[i].dline &&
			    ft->col == x->refs[i].dcol) {
				x->probes[j].fact = (long)k;
				ft->live = true;
				break;
			}
		}
	}
	for (j = 0; j < x->nprobes; j++) {
		Probe *p = &x->probes[j];
		Fact *ft;
		if (p->fact < 0)
			continue;
		ft = &x->f->v[p->fact];
		if (ft->mkind == MK_FUNCTION)
			continue;
		if (p->have_int) {
			ft->mkind = MK_INT;
			ft->value = p->value;
			ft->negative = p->negative;
			ft->type = p->type;
		} else if (p->have_str) {
			ft->mkind = MK_STRING;
			ft->str = p->str;
			ft->strlen = strlen(p->str);
		}
	}
}

/* ---- Diagnostics and assembler lines ------------------------------------------ */

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A message without what depends on where the tree is: its path, and the
 * positions clang names anonymous types by ("(unnamed struct at F:L:C)"). */
static const char *tidy_message(Ex *x, const char *msg, const char *opt)
{
	Buf b = {0};
	const char *p = msg, *root = x->v->tree->root, *r;
	size_t rn = strlen(root);
	char *out;
	while (*p) {
		if (strncmp(p, root, rn) == 0 && p[rn] == '/') {
			p += rn + 1;
		} else if ((strncmp(p, "(unnamed ", 9) == 0 ||
			    strncmp(p, "(anonymous ", 11) == 0) &&
			   (r = strchr(p, ')')) != NULL) {
			const char *at = strstr(p, " at ");
			if (at && at < r) {
				buf_put(&b, p, (size_t)(at - p));
				p = r;
			} else {
				buf_putc(&b, *p++);
			}
		} else {
			buf_putc(&b, *p++);
		}
	}
	if (opt && *opt)
		buf_printf(&b, " [%s]", opt);
	out = arena_strndup(&x->f->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

static void collect_errors(Ex *x)
{
	unsigned i, n = clang_getNumDiagnostics(x->tu);
	Facts *f = x->f;
	size_t j, w;
	for (i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(x->tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		if (sev >= CXDiagnostic_Error &&
		    at_header(x, clang_getDiagnosticLocation(d), NULL, NULL)) {
			CXString msg = clang_getDiagnosticSpelling(d);
			CXString opt = clang_getDiagnosticOption(d, NULL);
			const char *o = clang_getCString(opt);
			f->errors = xgrow(f->errors, &f->errcap, f->nerrors + 1,
					  sizeof *f->errors);
			f->errors[f->nerrors++] = tidy_message(x, clang_getCString(msg), o);
			clang_disposeString(msg);
			clang_disposeString(opt);
		}
		clang_disposeDiagnostic(d);
	}
	if (f->nerrors > 1)
		qsort(f->errors, f->nerrors, sizeof *f->errors, cmp_strp);
	for (j = w = 0; j < f->nerrors; j++)
		if (w == 0 || strcmp(f->errors[w - 1], f->errors[j]) != 0)
			f->errors[w++] = f->errors[j];
	f->nerrors = w;
}

/* The last line of the directive that starts at off: a directive goes on
 * over escaped newlines. */
static unsigned directive_end(const TreeHeader *h, unsigned off, unsigned line)
{
	size_t i;
	for (i = off; i < h->len; i++) {
		if (h->text[i] != '\n')
			continue;
		if (i > 0 && (h->text[i - 1] == '\\' ||
			      (h->text[i - 1] == '\r' && i > 1 && h->text[i - 2] == '\\')))
			line++;
		else
			break;
	}
	return line;
}

/* What an assembler sees of the header: its active lines that are not
 * directives, as unexpanded tokens. */
static void collect_asm(Ex *x)
{
	size_t size = 0;
	CXSourceRange all;
	CXToken *toks = NULL;
	unsigned n = 0, i, r, skip_to = 0, prev_line = 0;
	CXSourceRangeList *skipped;
	Buf line = {0}, tok = {0};
	unsigned cur = 0;
	Facts *f = x->f;

	if (!clang_getFileContents(x->tu, x->hdr, &size))
		return;
	all = clang_getRange(clang_getLocationForOffset(x->tu, x->hdr, 0),
			     clang_getLocationForOffset(x->tu, x->hdr, (unsigned)size));
	clang_tokenize(x->tu, all, &toks, &n);
	skipped = clang_getSkippedRanges(x->tu, x->hdr);
	for (i = 0; i < n; i++) {
		unsigned ln, off;
		CXString s;
		bool skip = false;
		clang_getSpellingLocation(clang_getTokenLocation(x->tu, toks[i]), NULL,
					  &ln, NULL, &off);
		if (clang_getTokenKind(toks[i]) == CXToken_Comment)
			continue;
		for (r = 0; skipped && r < skipped->count && !skip; r++) {
			unsigned a, b;
			clang_getSpellingLocation(clang_getRangeStart(skipped->ranges[r]),
						  NULL, NULL, NULL, &a);
			clang_getSpellingLocation(clang_getRangeEnd(skipped->ranges[r]),
						  NULL, NULL, NULL, &b);
			skip = off >= a && off < b;
		}
		s = clang_getTokenSpelling(x->tu, toks[i]);
		/* the '#' of a directive can be the last thing of a skipped
		 * range (#elif, #else): a directive is one either way */
		if (ln > prev_line && strcmp(clang_getCString(s), "#") == 0)
			skip_to = directive_end(x->v->hdr, off, ln);
		prev_line = ln;
		if (skip || ln <= skip_to) {
			clang_disposeString(s);
			continue;
		}
		if (ln != cur && line.len) {
			f->asm_lines = xgrow(f->asm_lines, &f->asmcap, f->nasm + 1,
					     sizeof *f->asm_lines);
			f->asm_lines[f->nasm++] = arena_strndup(&f->arena, line.data,
								line.len);
			buf_clear(&line);
		}
		if (line.len)
			buf_putc(&line, ' ');
		cur = ln;
		buf_puts(&line, unsplice(&tok, clang_getCString(s)));
		clang_disposeString(s);
	}
	if (line.len) {
		f->asm_lines = xgrow(f->asm_lines, &f->asmcap, f->nasm + 1,
				     sizeof *f->asm_lines);
		f->asm_lines[f->nasm++] = arena_strndup(&f->arena, line.data, line.len);
	}
	buf_free(&line);
	buf_free(&tok);
	if (skipped)
		clang_disposeSourceRangeList(skipped);
	if (toks)
		clang_disposeTokens(x->tu, toks, n);
}

/* ---- The translation unit -------------------------------------------------------- */

static int cmp_fact(const void *a, const void *b)
{
	const Fact *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void build_main(const FactsView *v, Buf *m, Probe **probes, size_t *np)
{
	size_t i;
	unsigned line = 1;
	const TreeHeader *h = v->hdr;
	Probe *p;
	/* Xen's checks: -include stdint.h */
	buf_puts(m, "#include <stdint.h>\n");
	line++;
	for (i = 0; i < v->nprelude; i++, line++) {
		if (v->prelude[i][0] == '<')
			buf_printf(m, "#include %s\n", v->prelude[i]);
		else
			buf_printf(m, "#include \"%s\"\n", v->prelude[i]);
	}
	buf_printf(m, "#include \"%s\"\n", h->path);
	line++;
	*probes = p = xcalloc(h->nmacros ? h->nmacros : 1, sizeof *p);
	*np = h->nmacros;
	for (i = 0; i < h->nmacros; i++) {
		const MacroDef *md = &h->macros[i];
		p[i].fact = -1;
		p[i].ifdef_line = line;
		buf_printf(m, "#ifdef %s\n", md->name);
		line++;
		if (md->probe) {
			buf_printf(m, "static const __auto_type __xbg_i%zu "
				   "__attribute__((unused)) = (%s);\n", i, md->name);
			buf_printf(m, "static const char *const __xbg_s%zu "
				   "__attribute__((unused)) = %s;\n", i, md->name);
			line += 2;
		}
		buf_puts(m, "#endif\n");
		line++;
	}
}

/* The command line of a view; the strings live in a. */
static size_t build_args(const FactsView *v, const char **args, Arena *a)
{
	size_t n = 0, i;
	static const char *const common[] = {
		"-ffreestanding", "-nostdlibinc", "-ferror-limit=0",
		"-isystem", SHIM "/sys", "-I", SHIM "/inc",
	};
	args[n++] = arena_printf(a, "--target=%s", targets[v->target].triple);
	args[n++] = arena_printf(a, "-iquote%s", v->tree->root);
	for (i = 0; i < ARRAY_LEN(common); i++)
		args[n++] = common[i];
	switch (v->config) {
	case CFG_TOOLS: args[n++] = "-D__XEN_TOOLS__"; break;
	case CFG_HYPERVISOR: args[n++] = "-D__XEN__"; break;
	case CFG_GUEST:
		args[n++] = arena_printf(a, "-D__XEN_INTERFACE_VERSION__=0x%08" PRIx32,
					 v->latest);
		break;
	case CFG_ASM: args[n++] = "-D__ASSEMBLY__"; break;
	case CFG_C89: args[n++] = "-ansi"; break;
	case CFG_C99: args[n++] = "-std=c99"; break;
	case CFG_CXX:
		args[n++] = "-std=gnu++98";
		args[n++] = "-D__XEN_TOOLS__";
		break;
	case CFG_DEFAULT: case NCONFIGS: break;
	}
	args[n++] = "-x";
	args[n++] = v->config == CFG_CXX ? "c++" : "c";
	/* Xen's header checks make warnings errors; elsewhere only errors
	 * are facts */
	if (v->config == CFG_C89 || v->config == CFG_C99 || v->config == CFG_CXX) {
		args[n++] = "-Wall";
		args[n++] = "-Werror";
	} else {
		args[n++] = "-w";
	}
	return n;
}

int facts_collect(FactsCtx *cx, const FactsView *v, Facts *out)
{
	Buf main_text = {0}, fwd = {0};
	const char *args[32];
	size_t nargs, i, nun = 0;
	struct CXUnsavedFile *un;
	size_t *fwd_off;
	Ex x;
	enum CXErrorCode ec;
	CXTranslationUnit tu = NULL;
	int st = STATUS_OK;

	facts_init(out);
	memset(&x, 0, sizeof x);
	x.v = v;
	x.f = out;
	hmap_init(&x.keys);
	build_main(v, &main_text, &x.probes, &x.nprobes);
	nargs = build_args(v, args, &out->arena);

	/* main file, stand-ins, and a forwarder per header of the tree */
	un = xcalloc(1 + ARRAY_LEN(shim_files) + 2 * v->tree->n, sizeof *un);
	fwd_off = xcalloc(2 * v->tree->n + 1, sizeof *fwd_off);
	un[nun].Filename = MAIN_FILE;
	un[nun].Contents = buf_cstr(&main_text);
	un[nun++].Length = (unsigned long)main_text.len;
	for (i = 0; i < ARRAY_LEN(shim_files); i++) {
		un[nun].Filename = shim_files[i].path;
		un[nun].Contents = shim_files[i].text;
		un[nun++].Length = (unsigned long)strlen(shim_files[i].text);
	}
	for (i = 0; i < v->tree->n; i++) {
		fwd_off[2 * i] = fwd.len;
		buf_printf(&fwd, SHIM "/inc/public/%s", v->tree->h[i].path);
		buf_putc(&fwd, '\0');
		fwd_off[2 * i + 1] = fwd.len;
		buf_printf(&fwd, "#include \"%s/%s\"\n", v->tree->root,
			   v->tree->h[i].path);
		buf_putc(&fwd, '\0');
	}
	for (i = 0; i < v->tree->n; i++, nun++) {
		un[nun].Filename = fwd.data + fwd_off[2 * i];
		un[nun].Contents = fwd.data + fwd_off[2 * i + 1];
		un[nun].Length = (unsigned long)strlen(un[nun].Contents);
	}

	ec = clang_parseTranslationUnit2(cx->index, MAIN_FILE, args, (int)nargs, un,
					 (unsigned)nun,
					 CXTranslationUnit_DetailedPreprocessingRecord |
					 CXTranslationUnit_SkipFunctionBodies |
					 CXTranslationUnit_KeepGoing, &tu);
	out->parses = 1;
	if (ec != CXError_Success || !tu) {
		st = STATUS_IO;
		goto done;
	}
	x.tu = tu;
	{
		Buf path = {0};
		buf_printf(&path, "%s/%s", v->tree->root, v->hdr->path);
		x.hdr = clang_getFile(tu, buf_cstr(&path));
		buf_free(&path);
	}
	x.mainf = clang_getFile(tu, MAIN_FILE);

	if (!x.hdr)
		goto done;
	out->found = true;
	collect_errors(&x);
	clang_visitChildren(clang_getTranslationUnitCursor(tu), top_visit, &x);
	resolve_probes(&x);
	if (v->config == CFG_ASM)
		collect_asm(&x);
	/* the importer's look at the same parse (decls.c) */
	if (v->extra)
		v->extra(v->extra_ctx, tu, x.hdr);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_fact);
done:
	if (tu)
		clang_disposeTranslationUnit(tu);
	hmap_free(&x.keys);
	free(x.probes);
	free(x.refs);
	free(un);
	free(fwd_off);
	buf_free(&fwd);
	buf_free(&main_text);
	return st;
}

#else

/* Built without libclang: the interface stays, and says it cannot. */
FactsCtx *facts_ctx_new(void)
{
	return NULL;
}

void facts_ctx_free(FactsCtx *x)
{
	(void)x;
}

int facts_collect(FactsCtx *x, const FactsView *v, Facts *out)
{
	(void)x;
	(void)v;
	facts_init(out);
	return STATUS_USAGE;
}

#endif
