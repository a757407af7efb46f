/*
 * c.c - the C backend: one header per output unit.
 *
 * A header says what its unit's specs say, in their order: the files of
 * the unit in sorted order, in each the sections (constants, aliases,
 * enums, bitmaps, structs, unions) and then the `items` list, whose
 * entries may also be #includes, #errors and verbatim text.  Only two
 * things move: a type comes after what it needs (the types it contains,
 * the constants and types its array lengths use, the guest handles of the
 * structs it points to), and a struct's typedef and guest handle come
 * right after its body, as in Xen (whose compat scripts apply
 * __alignof__ to the typedef).  Only a cycle of guest handles (a struct
 * that points to itself, or two that point to each other) puts a typedef
 * and a handle before a body, and the header says so in a comment.
 *
 * The file: the SPDX line and the banner (which names the spec files
 * relative to --indir and the regeneration command of --regen-hint,
 * nothing of how the tool was run), the notice and the description of
 * the [header] table, the includes meant to come first, the include
 * guard, the includes of [[includes]] that no `include` item writes
 * (per-architecture ones as an #if chain), then the entries under the
 * unit-wide condition; with `assembly`, runs of C declarations go under
 * #ifndef __ASSEMBLY__.
 *
 * Enums become C enums (or #defines); bitmaps become (1U << n) macros with
 * a mask of all bits; an enum or bitmap field is declared with its backing
 * integer, because C cannot fix an enum's width, and a comment names the
 * C enum or the macros.  64-bit integers are uint64_aligned_t and
 * pointers XEN_GUEST_HANDLE_64(), both from Xen's public xen.h (or
 * xenbindgen's xen-prelude.h).  Descriptions become comments as written
 * (paragraphs, wrapped to 80 columns) and cannot break out of them; lines
 * the backend lays out stay within 80 columns, #if conditions included.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

/* The primitive whose handle name a primitive uses (int64_t and
 * int64_aligned_t share "int64"). */
static Prim handle_prim(Prim p)
{
	return p == P_I64_PLAIN ? P_I64 : p;
}

/* What the headers share. */
typedef struct Emit {
	Spec *s;
	const EmitOptions *o;
	bool *pointed;             /* per item index: some pointer targets it */
	/* per item index, for the unit being written (set for its items
	 * only, so that a unit costs its own size): its entry in the unit's
	 * order, and whether its typedef and handle were written ahead */
	size_t *entry;
	bool *ahead;
	bool shared_handle[NPRIMS]; /* defined by several headers: guarded */
	HMap handles;              /* the names of the spec's own handle
				    * items, which the automatic ones give
				    * way to */
} Emit;

/* State for one header. */
typedef struct Header {
	Emit *E;
	const EmitOptions *o;
	const Unit *u;
	int view;             /* the unit's architecture family, or -1 */
	Buf body;
	bool handle_done[NPRIMS];
	bool started;         /* an entry was written: separate the next */
	int prev_group;       /* the last entry's group (GROUP_*) */
	bool in_c;            /* inside #ifndef __ASSEMBLY__ */
	const char *in_ifdef; /* inside #ifdef in_ifdef (a group), or NULL */
	bool *ahead;          /* per item index: typedef and handle written
			       * before the body (a cycle) */
	HMap included;        /* where the `include` items lead */
} Header;

static bool is_record(const Item *it)
{
	return it->kind == IT_STRUCT || it->kind == IT_UNION;
}

/* ---- Paths ---------------------------------------------------------------- */

static void header_path(Buf *b, const Unit *u, bool keep_dashes)
{
	unit_file_name(b, u, keep_dashes);
	buf_puts(b, ".h");
}

/* The path of unit to's header as written in this header: relative to
 * this header's directory. */
static void include_path(Buf *b, const Header *h, const Unit *to)
{
	Buf from = {0}, dest = {0};
	const char *f, *t, *p;
	size_t common = 0, i;
	header_path(&from, h->u, h->o->keep_dashes);
	header_path(&dest, to, h->o->keep_dashes);
	f = buf_cstr(&from);
	t = buf_cstr(&dest);
	/* the directories both paths start with */
	for (i = 0; f[i] && f[i] == t[i]; i++)
		if (f[i] == '/')
			common = i + 1;
	for (p = f + common; *p; p++)
		if (*p == '/')
			buf_puts(b, "../");
	buf_puts(b, t + common);
	buf_free(&from);
	buf_free(&dest);
}

/* Where an `include` item's path leads, from this header: normalised
 * ("arch-x86/../xen.h" is "xen.h"), or "" for <name.h>. */
static void resolved_include(Buf *out, const Header *h, const char *text)
{
	Buf joined = {0};
	const char *p;
	size_t *starts = NULL, cap = 0, n = 0;
	if (text[0] == '<')
		return;
	header_path(&joined, h->u, h->o->keep_dashes);
	p = buf_cstr(&joined);
	joined.len = (size_t)(path_base(p) - p);
	buf_puts(&joined, text);
	p = buf_cstr(&joined);
	while (*p) {
		size_t len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n)
				out->len = starts[--n];
		} else if (len && !(len == 1 && p[0] == '.')) {
			starts = xgrow(starts, &cap, n + 1, sizeof *starts);
			starts[n++] = out->len;
			if (out->len)
				buf_putc(out, '/');
			buf_put(out, p, len);
		}
		p += len + (p[len] == '/');
	}
	buf_cstr(out);
	free(starts);
	buf_free(&joined);
}

/* The headers the `include` items of this unit lead to (resolved paths),
 * built once per header: h->included. */
static void index_includes(Header *h)
{
	Buf got = {0};
	size_t i;
	hmap_init(&h->included);
	for (i = 0; i < h->u->nseq; i++) {
		const Directive *dir = h->u->seq[i].dir;
		char *k;
		if (!dir || dir->kind != DIR_INCLUDE)
			continue;
		buf_clear(&got);
		resolved_include(&got, h, dir->text);
		if (!got.len || hmap_gets(&h->included, buf_cstr(&got)))
			continue;
		k = xstrndup(got.data, got.len);
		hmap_put(&h->included, k, got.len, k);
	}
	buf_free(&got);
}

static void free_includes(Header *h)
{
	size_t i;
	for (i = 0; i < h->included.cap; i++)
		if (h->included.slots[i].key)
			free(h->included.slots[i].value);
	hmap_free(&h->included);
}

/* Does an `include` item of this unit include unit to's header? */
static bool included_by_item(const Header *h, const Unit *to)
{
	Buf want = {0};
	bool found;
	header_path(&want, to, h->o->keep_dashes);
	found = hmap_gets(&h->included, buf_cstr(&want)) != NULL;
	buf_free(&want);
	return found;
}

/* ---- Conditions ------------------------------------------------------------ */

/* #if for a condition; inside #ifndef __ASSEMBLY__ the assembly test is
 * implied.  False if there is none. */
static bool open_cond(Header *h, Buf *b, const Cond *c)
{
	Buf e = {0};
	Cond k = *c;
	bool any;
	if (h->in_c && k.assembly == COND_ASM_NOT)
		k.assembly = COND_ASM_ANY;
	if (h->in_ifdef && k.ndefined == 1 && !strcmp(k.defined[0], h->in_ifdef))
		k.ndefined = 0;
	any = c_cond(&e, &k, h->view);
	if (any)
		c_if_line(b, "#if", buf_cstr(&e));
	buf_free(&e);
	return any;
}

/* ---- Entries ----------------------------------------------------------------
 * Each entry is separated from the one before by a blank line, but for
 * consecutive #includes.  With [header] assembly, C declarations (types,
 * typedefs, handles) are grouped under #ifndef __ASSEMBLY__; macros,
 * includes, errors and verbatim text stay outside unless their condition
 * says otherwise.  Consecutive entries that need one macro defined (and
 * maybe more) share one #ifdef NAME ... #endif / * NAME * / group, as Xen
 * writes its XEN_HAVE_* parts: Xen's compat scripts keep exactly those
 * lines (compat-build-source.py) and expect the group whole. */

enum { GROUP_NONE, GROUP_INCLUDE, GROUP_HANDLE };

/* The macro a condition's #ifdef group is named after, or NULL. */
static const char *ifdef_group(const Cond *c)
{
	return c && c->ndefined == 1 ? c->defined[0] : NULL;
}

/* Close the #ifdef group, if one is open; blank: a blank line follows
 * (another entry does). */
static void close_ifdef(Header *h, bool blank)
{
	if (h->in_ifdef)
		buf_printf(&h->body, "#endif /* %s */\n%s", h->in_ifdef,
			   blank ? "\n" : "");
	h->in_ifdef = NULL;
}

/* Start an entry under condition c (NULL: none). */
static void begin(Header *h, bool c_only, int group, const Cond *c)
{
	Buf *b = &h->body;
	const char *want = ifdef_group(c);
	bool asm_change = h->u->header.assembly && c_only != h->in_c;
	if (h->started && !(group && group == h->prev_group))
		buf_putc(b, '\n');
	if (h->in_ifdef && (asm_change || !want || strcmp(want, h->in_ifdef) != 0))
		close_ifdef(h, true);
	if (asm_change) {
		buf_puts(b, c_only ? "#ifndef __ASSEMBLY__\n\n"
				   : "#endif /* !__ASSEMBLY__ */\n\n");
		h->in_c = c_only;
	}
	if (want && !h->in_ifdef) {
		buf_printf(b, "#ifdef %s\n\n", want);
		h->in_ifdef = want;
	}
	h->started = true;
	h->prev_group = group;
}

/* Is the entry a C declaration, for assembly grouping? */
static bool c_only_cond(const Cond *c, bool declaration)
{
	return declaration ? c->assembly != COND_ASM_ONLY
			   : c->assembly == COND_ASM_NOT;
}

/* ---- Declarations ---------------------------------------------------------- */

static void handle_name(Buf *b, const Type *t)
{
	(void)c_handle_name(b, t);
}

/* What an enum or bitmap field's backing integer stands for, naming C
 * identifiers: the C enum, or the prefix of the macros. */
static void backing_note(Buf *b, const Item *it)
{
	Buf m = {0};
	if (it->kind == IT_ENUM && !it->c.defines) {
		buf_printf(b, "enum %s", it->name);
		return;
	}
	if (it->c.prefix && !*it->c.prefix) {
		/* no common prefix: the first macro */
		if (it->kind == IT_ENUM && it->nvariants)
			c_member_macro(&m, it, it->variants[0].name);
		else if (it->kind == IT_BITMAP && it->nbits)
			c_member_macro(&m, it, it->bits[0].name);
		if (m.len)
			buf_printf(b, "%s, ...", buf_cstr(&m));
	} else {
		c_member_macro(&m, it, "");
		buf_printf(b, "%s*", buf_cstr(&m));
	}
	buf_free(&m);
}

static void record(Header *h, Buf *b, const Item *it, int indent);

/* Declare name (NULL: anonymous member) with type t at indent; a note on
 * what an enum or bitmap's backing integer stands for goes to note. */
static void decl(Header *h, Buf *b, const Type *t, const char *name,
		 unsigned bits, int indent, Buf *note)
{
	const Type *base = t;
	while (base->kind == TY_ARRAY)
		base = base->elem;
	switch (base->kind) {
	case TY_PRIM:
		buf_puts(b, c_prim[base->prim]);
		break;
	case TY_PTR:
	case TY_HANDLE:
		buf_puts(b, base->kind == TY_PTR ? "XEN_GUEST_HANDLE_64("
						 : "XEN_GUEST_HANDLE(");
		if (base->is_const)
			buf_puts(b, "const_");
		handle_name(b, base->elem);
		buf_putc(b, ')');
		break;
	case TY_NAMED: {
		const Item *it = symbol_any(base->sym);
		if (base->via_typedef) {
			buf_puts(b, base->name);
		} else if (is_record(it)) {
			buf_printf(b, "%s %s", item_kind_name(it->kind), it->name);
		} else if (it->kind == IT_ALIAS) {
			buf_puts(b, it->name);
		} else {
			buf_puts(b, c_prim[it->backing]);
			if (note)
				backing_note(note, it);
		}
		break;
	}
	case TY_INLINE:
		record(h, b, base->item, indent);
		break;
	case TY_CPTR:
		if (base->is_const)
			buf_puts(b, "const ");
		if (base->elem->kind == TY_PRIM) {
			buf_puts(b, c_prim[base->elem->prim]);
		} else {
			const Item *it = symbol_any(base->elem->sym);
			if (base->elem->via_typedef)
				buf_puts(b, base->elem->name);
			else if (is_record(it))
				buf_printf(b, "%s %s", item_kind_name(it->kind), it->name);
			else if (it->kind == IT_ALIAS)
				buf_puts(b, it->name);
			else
				buf_puts(b, c_prim[it->backing]);
		}
		buf_puts(b, " *");
		break;
	case TY_ARRAY:
		break;
	}
	if (name)
		buf_printf(b, base->kind == TY_CPTR ? "%s" : " %s", name);
	for (; t->kind == TY_ARRAY; t = t->elem) {
		if (t->flex)
			buf_puts(b, t->flex_empty ? "[]" : "[XEN_FLEX_ARRAY_DIM]");
		else if (t->count_expr) {
			buf_putc(b, '[');
			expr_write_c(b, t->count_expr);
			buf_putc(b, ']');
		} else {
			buf_printf(b, "[%llu]", (unsigned long long)t->count);
		}
	}
	if (bits)
		buf_printf(b, ":%u", bits);
}

/* The last line of b plus " / * note * /": on that line if it fits in 80
 * columns, else as a comment line of its own before it. */
static void end_line(Buf *b, size_t line_start, int indent, Buf *note)
{
	size_t len = b->len - line_start;
	if (note->len && len + note->len + 7 <= 80) {
		buf_puts(b, " /* ");
		c_comment_text(b, buf_cstr(note));
		buf_puts(b, " */");
	} else if (note->len) {
		Buf line = {0};
		buf_put(&line, b->data + line_start, len);
		b->len = line_start;
		c_comment(b, indent, buf_cstr(note));
		buf_put(b, line.data, line.len);
		buf_free(&line);
	}
	buf_putc(b, '\n');
}

/* "Valid when status is 2 or 3." for the members of a tagged union. */
static void when_comment(Buf *b, const Field *m, const char *tag, int indent)
{
	Buf t = {0};
	size_t k;
	buf_printf(&t, "Valid when %s is ", tag);
	for (k = 0; k < m->nwhen; k++) {
		buf_puts(&t, k == 0 ? "" : k + 1 == m->nwhen ? " or " : ", ");
		if (m->when_names[k])
			buf_puts(&t, m->when_names[k]);
		else
			buf_printf(&t, "%lld", (long long)m->when[k]);
	}
	buf_putc(&t, '.');
	c_comment(b, indent, buf_cstr(&t));
	buf_free(&t);
}

/* The configuration macro of a condition that tests one and nothing else,
 * or NULL; *neg: it tests that the macro is not defined. */
static const char *only_macro(const Cond *c, bool *neg)
{
	if (c->ndefined + c->nnot_defined != 1 || c->tools || c->hypervisor ||
	    c->not_tools || c->not_hypervisor || c->targets || c->since ||
	    c->until || c->assembly || c->c_if)
		return NULL;
	*neg = c->nnot_defined == 1;
	return *neg ? c->not_defined[0] : c->defined[0];
}

/* The macro X when field i is under `defined = [X]` and the next one
 * under `not_defined = [X]`: C writes them as Xen does, #ifdef X, the
 * first, #else / * X * /, the second, #endif / * X * / (Xen's compat
 * scripts read that form of its XEN_HAVE_* tests); else NULL. */
static const char *ifdef_pair(const Item *it, size_t i)
{
	bool n1, n2;
	const char *a, *b;
	if (i + 1 >= it->nfields || it->fields[i].c_join ||
	    it->fields[i + 1].c_join ||
	    (i + 2 < it->nfields && it->fields[i + 2].c_join))
		return NULL;
	a = only_macro(&it->fields[i].cond, &n1);
	b = only_macro(&it->fields[i + 1].cond, &n2);
	return a && b && !n1 && n2 && strcmp(a, b) == 0 ? a : NULL;
}

/* A field's declaration less the spelling of its element type: "name",
 * "*name", "name[3]". */
static void declarator(Header *h, Buf *b, const Field *f, int indent, Buf *note)
{
	Buf full = {0}, base = {0};
	const Type *e = f->type;
	size_t tl;
	while (e->kind == TY_ARRAY)
		e = e->elem;
	decl(h, &full, f->type, f->name, 0, indent, note);
	decl(h, &base, e, f->name, 0, indent, note);
	/* base is "<type> <name>" or "<type> *<name>": the type is what
	 * precedes the name and its stars */
	tl = base.len - strlen(f->name);
	while (tl && (base.data[tl - 1] == ' ' || base.data[tl - 1] == '*'))
		tl--;
	if (strncmp(buf_cstr(&full), buf_cstr(&base), tl) != 0)
		tl = 0;
	while (full.data[tl] == ' ')
		tl++;
	buf_puts(b, buf_cstr(&full) + tl);
	buf_free(&full);
	buf_free(&base);
}

/* ", declarator" of a field declared with the one before it (c.join, of
 * the same element type, as the checks made sure). */
static void joined_decl(Header *h, Buf *b, const Field *f, int indent, Buf *note)
{
	buf_puts(b, ", ");
	declarator(h, b, f, indent, note);
}

/* The struct or union a field declares in place (c.declare), or NULL. */
static const Item *declared_here(const Item *it, const Field *f)
{
	const Item *in;
	const Type *t = f->type;
	while (t->kind == TY_ARRAY) /* struct x {...} channels[3]; */
		t = t->elem;
	if (!f->c_declare || t->kind != TY_NAMED || !t->sym)
		return NULL;
	in = t->sym->common;
	return in && in->declared_in == it ? in : NULL;
}

/* The body of a struct or union, from "struct name {" to "}". */
static void record(Header *h, Buf *b, const Item *it, int indent)
{
	size_t i;
	Buf note = {0};
	const char *else_of = NULL; /* the #ifdef this field is the #else of */
	buf_puts(b, item_kind_name(it->kind));
	if (!it->inline_type)
		buf_printf(b, " %s", it->name);
	buf_puts(b, " {\n");
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		bool cond;
		const char *tag = NULL, *pair;
		size_t start, j;
		if (f->c_join)
			continue; /* declared with the field it joins */
		pair = ifdef_pair(it, i);
		if (pair) {
			buf_printf(b, "#ifdef %s\n", pair);
			cond = false;
		} else if (else_of) {
			buf_printf(b, "#else /* %s */\n", else_of);
			cond = false;
		} else {
			cond = open_cond(h, b, &f->cond);
		}
		c_comment(b, indent + 4, f->desc);
		for (j = i + 1; j < it->nfields && it->fields[j].c_join; j++)
			c_comment(b, indent + 4, it->fields[j].desc);
		if (f->nwhen && it->inline_type && it->parent) {
			/* the tag is named by the field of the parent holding
			 * this union */
			size_t k;
			for (k = 0; k < it->parent->nfields; k++) {
				const Type *t = it->parent->fields[k].type;
				if (t->kind == TY_INLINE && t->item == it)
					tag = it->parent->fields[k].tag;
			}
		}
		if (f->nwhen)
			when_comment(b, f, tag ? tag : "the tag", indent + 4);
		start = b->len;
		buf_indent(b, indent + 4);
		if (f->c_decl) {
			/* the spec's own C for the member (a macro call that
			 * declares it, __DECL_REG_LOHI(a);), as it is */
			buf_puts(b, f->c_decl);
			buf_putc(b, '\n');
		} else if (declared_here(it, f)) {
			/* union name { ... } u; */
			const Item *in = declared_here(it, f);
			b->len = start;
			c_comment(b, indent + 4, in->desc);
			buf_indent(b, indent + 4);
			record(h, b, in, indent + 4);
			buf_putc(b, ' ');
			declarator(h, b, f, indent + 4, &note);
			for (j = i + 1; j < it->nfields && it->fields[j].c_join; j++)
				joined_decl(h, b, &it->fields[j], indent + 4, &note);
			buf_puts(b, ";\n");
		} else {
			buf_clear(&note);
			decl(h, b, f->type, f->name, f->bits, indent + 4, &note);
			for (j = i + 1; j < it->nfields && it->fields[j].c_join; j++)
				joined_decl(h, b, &it->fields[j], indent + 4, &note);
			buf_putc(b, ';');
			end_line(b, start, indent + 4, &note);
		}
		if (cond)
			buf_puts(b, "#endif\n");
		else if (else_of)
			buf_printf(b, "#endif /* %s */\n", else_of);
		/* the next field is the #else of this one's pair */
		else_of = pair;
	}
	buf_free(&note);
	buf_indent(b, indent);
	buf_putc(b, '}');
}

/* ---- Items ------------------------------------------------------------------ */

/* "#define OLD NEW / * compatibility * /" */
static void compat_aliases(Buf *b, const char *const *old, size_t n,
			   const char *now)
{
	Buf note = {0};
	size_t i;
	buf_puts(&note, "compatibility");
	for (i = 0; i < n; i++) {
		size_t start = b->len;
		buf_printf(b, "#define %s %s", old[i], now);
		end_line(b, start, 0, &note);
	}
	buf_free(&note);
}

/* A string macro's text as a C string literal. */
static void string_literal(Buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c == '?' && s[1] == '?')
			buf_puts(b, "?\\"); /* no trigraph */
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

/* The replacement of a constant's macro: its value as written, a string,
 * or the name it stands for. */
static void const_text(Buf *b, const Item *it)
{
	if (it->string)
		string_literal(b, it->string);
	else if (it->alias_of)
		buf_puts(b, it->alias_of);
	else if (it->expr)
		expr_write_c_macro(b, it->expr);
}

static void emit_const(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond;
	begin(h, c_only_cond(&it->cond, false), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	buf_printf(b, "#define %s ", it->name);
	const_text(b, it);
	buf_putc(b, '\n');
	compat_aliases(b, it->c.compat, it->c.ncompat, it->name);
	if (cond)
		buf_puts(b, "#endif\n");
}

static void emit_enum(Header *h, const Item *it)
{
	Buf *b = &h->body, m = {0};
	bool cond;
	size_t i;
	begin(h, c_only_cond(&it->cond, !it->c.defines), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	if (!it->c.defines)
		buf_printf(b, "enum %s {\n", it->name);
	for (i = 0; i < it->nvariants; i++) {
		const Variant *v = &it->variants[i];
		bool vc = open_cond(h, b, &v->cond);
		buf_clear(&m);
		c_member_macro(&m, it, v->name);
		c_comment(b, it->c.defines ? 0 : 4, v->desc);
		if (it->c.defines)
			buf_printf(b, "#define %s ", buf_cstr(&m));
		else
			buf_printf(b, "    %s = ", buf_cstr(&m));
		if (v->c_value)
			expr_write_c_macro(b, v->c_value);
		else
			buf_printf(b, "%lld", (long long)v->value);
		buf_puts(b, it->c.defines ? "\n" : ",\n");
		if (vc)
			buf_puts(b, "#endif\n");
	}
	if (!it->c.defines)
		buf_puts(b, "};\n");
	for (i = 0; i < it->nvariants; i++) {
		const Variant *v = &it->variants[i];
		bool vc;
		if (!v->ncompat)
			continue;
		vc = open_cond(h, b, &v->cond);
		buf_clear(&m);
		c_member_macro(&m, it, v->name);
		compat_aliases(b, v->compat, v->ncompat, buf_cstr(&m));
		if (vc)
			buf_puts(b, "#endif\n");
	}
	if (cond)
		buf_puts(b, "#endif\n");
	buf_free(&m);
}

/* "#define NAME<suffix> " and the spec's C spelling of a bit's macro (of
 * NAME_mask for a field): true, or false if the spec gives none. */
static bool bit_as_written(Buf *b, const Bit *bit, const char *m,
			   const char *suffix)
{
	if (!bit->c_value)
		return false;
	buf_printf(b, "#define %s%s ", m, suffix);
	expr_write_c_macro(b, bit->c_value);
	buf_putc(b, '\n');
	return true;
}

static void emit_bitmap(Header *h, const Item *it)
{
	Buf *b = &h->body, m = {0};
	bool wide = it->backing == P_U64 || it->backing == P_U64_PLAIN ||
		    it->backing == P_I64 || it->backing == P_I64_PLAIN ||
		    it->backing == P_ULLONG || it->backing == P_LLONG;
	const char *suffix = wide ? "ULL" : "U";
	bool cond;
	uint64_t all = 0;
	size_t i;
	begin(h, c_only_cond(&it->cond, false), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	for (i = 0; i < it->nbits; i++) {
		const Bit *bit = &it->bits[i];
		uint64_t mask = (bit->width >= 64 ? ~(uint64_t)0
				 : (((uint64_t)1 << bit->width) - 1)) << bit->shift;
		bool bc = open_cond(h, b, &bit->cond);
		buf_clear(&m);
		c_member_macro(&m, it, bit->name);
		c_comment(b, 0, bit->desc);
		all |= mask;
		if (bit->width > 1 && it->c.accessors) {
			/* a multi-bit field: its shift, mask and an accessor */
			buf_printf(b, "#define %s_shift %lld\n", buf_cstr(&m),
				   (long long)bit->shift);
			if (!bit_as_written(b, bit, buf_cstr(&m), "_mask"))
				buf_printf(b, "#define %s_mask (0x%llX%s << %s_shift)\n",
					   buf_cstr(&m),
					   (unsigned long long)(mask >> bit->shift),
					   suffix, buf_cstr(&m));
			buf_printf(b, "#define %s(v) (((v) & %s_mask) >> %s_shift)\n",
				   buf_cstr(&m), buf_cstr(&m), buf_cstr(&m));
		} else if (bit->width > 1) {
			/* a multi-bit field: its mask */
			if (!bit_as_written(b, bit, buf_cstr(&m), "_mask"))
				buf_printf(b, "#define %s_mask (0x%llX%s << %lld)\n",
					   buf_cstr(&m),
					   (unsigned long long)(mask >> bit->shift),
					   suffix, (long long)bit->shift);
		} else if (bit->bit_number > 0 ||
			   (bit->bit_number < 0 && it->c.bit_numbers)) {
			buf_printf(b, "#define _%s %lld\n", buf_cstr(&m),
				   (long long)bit->shift);
			if (!bit_as_written(b, bit, buf_cstr(&m), ""))
				buf_printf(b, "#define %s (1%s << _%s)\n",
					   buf_cstr(&m), suffix, buf_cstr(&m));
		} else if (!bit_as_written(b, bit, buf_cstr(&m), "")) {
			buf_printf(b, "#define %s (1%s << %lld)\n", buf_cstr(&m),
				   suffix, (long long)bit->shift);
		}
		compat_aliases(b, bit->compat, bit->ncompat, buf_cstr(&m));
		if (bc)
			buf_puts(b, "#endif\n");
	}
	buf_clear(&m);
	if (c_all_macro(&m, it))
		buf_printf(b, "/* Mask covering all defined bits */\n"
			      "#define %s (0x%llX%s)\n",
			   buf_cstr(&m), (unsigned long long)all, suffix);
	if (cond)
		buf_puts(b, "#endif\n");
	buf_free(&m);
}

/* typedef struct name name_t; and its guest handle, if it has them. */
static void typedef_and_handle(Header *h, Buf *b, const Item *it)
{
	Buf n = {0};
	const char *td = c_typedef_name(&n, it, h->E->pointed[it->index]);
	if (td) {
		buf_printf(b, "typedef %s %s %s;\n", item_kind_name(it->kind),
			   it->name, td);
		if ((h->E->pointed[it->index] || it->c.handle) &&
		    !hmap_gets(&h->E->handles, td))
			buf_printf(b, "DEFINE_XEN_GUEST_HANDLE(%s);\n", td);
	}
	buf_free(&n);
}

static void emit_record(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond;
	begin(h, c_only_cond(&it->cond, true), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	if (it->c.typedef_decl && !h->ahead[it->index]) {
		/* typedef struct name { ... } name_t;: one declaration, as
		 * some of Xen's headers have it (a second definition of the
		 * tag is then one error, not two) */
		Buf n = {0};
		const char *td = c_typedef_name(&n, it, true);
		buf_puts(b, "typedef ");
		record(h, b, it, 0);
		buf_printf(b, " %s;\n", td);
		if ((h->E->pointed[it->index] || it->c.handle) &&
		    !hmap_gets(&h->E->handles, td))
			buf_printf(b, "DEFINE_XEN_GUEST_HANDLE(%s);\n", td);
		buf_free(&n);
	} else {
		record(h, b, it, 0);
		buf_puts(b, ";\n");
		if (!h->ahead[it->index])
			typedef_and_handle(h, b, it);
	}
	compat_aliases(b, it->c.compat, it->c.ncompat, it->name);
	if (it->op_family && !it->op_ref) { /* else defined where it is */
		Buf d = {0};
		buf_printf(&d, "The %s sub-op that takes struct %s.",
			   it->op_family, it->name);
		c_comment(b, 0, buf_cstr(&d));
		buf_printf(b, "#define %s %lld\n", it->op_name,
			   (long long)it->op_cmd);
		buf_free(&d);
	}
	if (cond)
		buf_puts(b, "#endif\n");
}

/* A struct's typedef and handle ahead of its body, for a cycle of guest
 * handles. */
static void emit_ahead(Header *h, const Item *it, const Item *user)
{
	Buf *b = &h->body, d = {0};
	bool cond;
	begin(h, true, GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	if (user == it)
		buf_printf(&d, "%s %s points to itself: its typedef and guest "
			   "handle come before its body.",
			   item_kind_name(it->kind), it->name);
	else
		buf_printf(&d, "Ahead of its body, for a cycle of guest handles: "
			   "%s %s points to %s %s.", item_kind_name(user->kind),
			   user->name, item_kind_name(it->kind), it->name);
	c_comment(b, 0, buf_cstr(&d));
	typedef_and_handle(h, b, it);
	if (cond)
		buf_puts(b, "#endif\n");
	h->ahead[it->index] = true;
	buf_free(&d);
}

/* typedef T name; or one per architecture. */
static void emit_alias(Header *h, const Item *it)
{
	Buf *b = &h->body, note = {0};
	bool cond;
	begin(h, c_only_cond(&it->cond, true), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	if (it->alias) {
		size_t start = b->len;
		buf_puts(b, "typedef ");
		decl(h, b, it->alias, it->name, 0, 0, &note);
		buf_putc(b, ';');
		end_line(b, start, 0, &note);
	} else {
		static const int chain[] = {ARCH_X86, ARCH_ARM, ARCH_PPC, ARCH_RISCV};
		static const char *const conds[] = {
			"defined(__i386__) || defined(__x86_64__)",
			"defined(__arm__) || defined(__aarch64__)",
			"defined(__powerpc64__)", "defined(__riscv)",
		};
		size_t k;
		int n = 0;
		for (k = 0; k < ARRAY_LEN(chain); k++) {
			size_t start;
			if (!it->arch_alias[chain[k]])
				continue;
			buf_printf(b, "#%s %s\n", n++ ? "elif" : "if", conds[k]);
			start = b->len;
			buf_puts(b, "typedef ");
			buf_clear(&note);
			decl(h, b, it->arch_alias[chain[k]], it->name, 0, 0, &note);
			buf_putc(b, ';');
			end_line(b, start, 0, &note);
		}
		buf_puts(b, "#endif\n");
	}
	if ((h->E->pointed[it->index] || it->c.handle) &&
	    !hmap_gets(&h->E->handles, it->name))
		buf_printf(b, "DEFINE_XEN_GUEST_HANDLE(%s);\n", it->name);
	if (cond)
		buf_puts(b, "#endif\n");
	buf_free(&note);
}

/* A string literal's text: quotes and backslashes escaped, and no "??"
 * that C89 would read as a trigraph. */
static void string_text(Buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || (*s == '?' && s[1] == '?'))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

static void emit_directive(Header *h, const Directive *dir)
{
	Buf *b = &h->body;
	bool cond;
	if (dir->kind == DIR_INCLUDE && dir->before_guard)
		return; /* written before the guard */
	begin(h, c_only_cond(&dir->cond, false),
	      dir->kind == DIR_INCLUDE ? GROUP_INCLUDE : GROUP_NONE, &dir->cond);
	cond = open_cond(h, b, &dir->cond);
	c_comment(b, 0, dir->desc);
	switch (dir->kind) {
	case DIR_INCLUDE:
		if (dir->text[0] == '<')
			buf_printf(b, "#include %s\n", dir->text);
		else
			buf_printf(b, "#include \"%s\"\n", dir->text);
		break;
	case DIR_ERROR:
		buf_puts(b, "#error \"");
		string_text(b, dir->text);
		buf_puts(b, "\"\n");
		break;
	case DIR_VERBATIM:
		buf_puts(b, dir->text);
		if (b->len && b->data[b->len - 1] != '\n')
			buf_putc(b, '\n');
		break;
	}
	if (cond)
		buf_puts(b, "#endif\n");
}

/* #define NAME(a, b) (body) */
static void emit_macro(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond;
	size_t i;
	begin(h, c_only_cond(&it->cond, false), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	buf_printf(b, "#define %s(", it->name);
	for (i = 0; i < it->nparams; i++)
		buf_printf(b, "%s%s", i ? ", " : "", it->params[i]);
	buf_puts(b, ") ");
	if (it->expr)
		expr_write_c_macro(b, it->expr);
	buf_putc(b, '\n');
	if (cond)
		buf_puts(b, "#endif\n");
}

/* The C spelling of a handle's or ring's type: a primitive, a typedef, or
 * struct NAME. */
static void type_c_name(Buf *b, const Type *t)
{
	if (t->kind == TY_PRIM) {
		buf_puts(b, c_prim[t->prim == P_U64 ? P_U64_PLAIN
			 : t->prim == P_I64 ? P_I64_PLAIN : t->prim]);
	} else if (t->sym) {
		const Item *it = symbol_any(t->sym);
		if (is_record(it) && !t->via_typedef)
			buf_printf(b, "%s %s", item_kind_name(it->kind), it->name);
		else if (it->kind == IT_ENUM || it->kind == IT_BITMAP)
			buf_puts(b, c_prim[it->backing]);
		else
			buf_puts(b, t->name);
	}
}

static void emit_handle(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond;
	begin(h, c_only_cond(&it->cond, true), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	if (it->raw) {
		buf_printf(b, "__DEFINE_XEN_GUEST_HANDLE(%s, ", it->name);
		if (it->handle_type)
			type_c_name(b, it->handle_type);
		buf_puts(b, ");\n");
	} else {
		buf_printf(b, "DEFINE_XEN_GUEST_HANDLE(%s);\n", it->name);
	}
	if (cond)
		buf_puts(b, "#endif\n");
}

static void emit_xmacro(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond;
	size_t i, k;
	begin(h, c_only_cond(&it->cond, false), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	for (i = 0; i < it->nentries; i++) {
		const XEntry *x = &it->entries[i];
		bool xc = open_cond(h, b, &x->cond);
		c_comment(b, 0, x->desc);
		buf_printf(b, "%s(", it->name);
		for (k = 0; k < x->nargs; k++)
			buf_printf(b, "%s%s", k ? ", " : "", x->args[k]);
		buf_puts(b, ")\n");
		if (xc)
			buf_puts(b, "#endif\n");
	}
	if (cond)
		buf_puts(b, "#endif\n");
}

static void emit_ring(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond;
	begin(h, c_only_cond(&it->cond, true), GROUP_NONE, &it->cond);
	cond = open_cond(h, b, &it->cond);
	c_comment(b, 0, it->desc);
	buf_printf(b, "DEFINE_RING_TYPES(%s, ", it->name);
	if (it->ring_req)
		type_c_name(b, it->ring_req);
	buf_puts(b, ", ");
	if (it->ring_rsp)
		type_c_name(b, it->ring_rsp);
	buf_puts(b, ");\n");
	if (cond)
		buf_puts(b, "#endif\n");
}

/* The handles of primitive pointees that xen.h lacks, before the first
 * declaration that needs them. */
static void prim_handles(Header *h, const Type *t);

static void prim_handles_item(Header *h, const Item *it)
{
	size_t i;
	int a;
	if (it->kind == IT_ALIAS) {
		prim_handles(h, it->alias);
		for (a = 0; a < NARCH; a++)
			prim_handles(h, it->arch_alias[a]);
		return;
	}
	for (i = 0; i < it->nfields; i++)
		prim_handles(h, it->fields[i].type);
}

static void prim_handles(Header *h, const Type *t)
{
	Prim p;
	Buf *b = &h->body;
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	if (!t)
		return;
	if (t->kind == TY_INLINE) {
		prim_handles_item(h, t->item);
		return;
	}
	if (t->kind != TY_PTR && t->kind != TY_HANDLE)
		return;
	if (t->elem->kind == TY_PRIM)
		p = t->elem->prim;
	else if (t->elem->sym && !is_record(symbol_any(t->elem->sym)) &&
		 symbol_any(t->elem->sym)->kind != IT_ALIAS)
		p = symbol_any(t->elem->sym)->backing;
	else
		return;
	p = handle_prim(p);
	if (c_handle[p].in_xen_h || h->handle_done[p] ||
	    hmap_gets(&h->E->handles, c_handle[p].name))
		return;
	h->handle_done[p] = true;
	begin(h, true, GROUP_HANDLE, NULL);
	if (h->E->shared_handle[p])
		buf_printf(b, "/* Also in other generated headers: defined once. */\n"
			   "#ifndef __XEN_AUTOGEN_HANDLE_%s\n"
			   "#define __XEN_AUTOGEN_HANDLE_%s\n",
			   c_handle[p].name, c_handle[p].name);
	buf_printf(b, "__DEFINE_XEN_GUEST_HANDLE(%s, %s);\n", c_handle[p].name,
		   c_handle[p].type);
	if (h->E->shared_handle[p])
		buf_puts(b, "#endif\n");
}

/* ---- Order ------------------------------------------------------------------
 * Entries in spec order, each item moved after the items of its unit that
 * it needs: by value (a struct it contains, an alias it uses, a constant
 * or a type its array lengths use) or by handle (the typedef and handle
 * of a struct it points to, written after that struct's body).  That is
 * the topological order that takes, at each step, the ready entry that
 * comes first in the spec (a heap of indices).  When nothing is ready,
 * only guest handles can close the cycle (a cycle by value is an error of
 * the specs): the first entry that waits for handles only gets them ahead
 * of their structs' bodies. */

typedef struct Heap {
	size_t *v;
	size_t n, cap;
} Heap;

static void heap_push(Heap *hp, size_t x)
{
	size_t i;
	hp->v = xgrow(hp->v, &hp->cap, hp->n + 1, sizeof *hp->v);
	for (i = hp->n++; i && hp->v[(i - 1) / 2] > x; i = (i - 1) / 2)
		hp->v[i] = hp->v[(i - 1) / 2];
	hp->v[i] = x;
}

static size_t heap_pop(Heap *hp)
{
	size_t top = hp->v[0], x = hp->v[--hp->n], i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= hp->n)
			break;
		if (c + 1 < hp->n && hp->v[c + 1] < hp->v[c])
			c++;
		if (hp->v[c] >= x)
			break;
		hp->v[i] = hp->v[c];
		i = c;
	}
	if (hp->n)
		hp->v[i] = x;
	return top;
}

typedef struct Edge {
	size_t from, to; /* entry indices: to needs from */
	bool handle;
} Edge;

typedef struct Graph {
	const Header *h;
	size_t *entry;      /* per item index of the unit's items: its entry,
			     * or SIZE_MAX */
	Edge *e;
	size_t n, cap;
	bool *self;         /* per entry: a struct that points to itself */
} Graph;

/* The entry of the item a symbol denotes in this unit, or SIZE_MAX. */
static size_t local_entry(const Graph *g, const Symbol *sym)
{
	const Item *it = NULL;
	int a;
	if (!sym)
		return SIZE_MAX;
	if (sym->common && sym->common->unit == g->h->u)
		it = sym->common;
	for (a = 0; a < NARCH && !it; a++)
		if (sym->arch[a] && sym->arch[a]->unit == g->h->u)
			it = sym->arch[a];
	for (a = 0; a < NTARGETS && !it; a++)
		if (sym->tgt[a] && sym->tgt[a]->unit == g->h->u)
			it = sym->tgt[a];
	return it ? g->entry[it->index] : SIZE_MAX;
}

static void add_edge(Graph *g, size_t from, size_t to, bool handle)
{
	if (from == SIZE_MAX)
		return;
	if (from == to) {
		if (handle)
			g->self[to] = true;
		return;
	}
	g->e = xgrow(g->e, &g->cap, g->n + 1, sizeof *g->e);
	g->e[g->n].from = from;
	g->e[g->n].to = to;
	g->e[g->n++].handle = handle;
}

static void type_edges(Graph *g, size_t to, const Type *t);

/* The entry of the enum or bitmap whose macro a name is, or SIZE_MAX. */
static size_t member_entry(const Graph *g, const MemberSym *m)
{
	int a;
	if (m->common.it && m->common.it->unit == g->h->u)
		return g->entry[m->common.it->index];
	for (a = 0; a < NARCH; a++)
		if (m->arch[a].it && m->arch[a].it->unit == g->h->u)
			return g->entry[m->arch[a].it->index];
	return SIZE_MAX;
}

/* A macro is expanded where it is used: what an expression uses, and
 * what the constants and macros it names use, must come before it. */
static void expr_edges(Graph *g, size_t to, const Expr *e, int depth)
{
	size_t i;
	if (!e || depth > 32)
		return;
	for (; e; e = e->l) {
		if ((e->kind == EX_NAME || e->kind == EX_CALL) && e->sym) {
			const Item *it = symbol_any(e->sym);
			add_edge(g, local_entry(g, e->sym), to, false);
			if (it && it->expr)
				expr_edges(g, to, it->expr, depth + 1);
		}
		if (e->kind == EX_NAME && e->member)
			add_edge(g, member_entry(g, e->member), to, false);
		if ((e->kind == EX_SIZEOF || e->kind == EX_CAST) && e->type)
			type_edges(g, to, e->type);
		for (i = 0; i < e->nargs; i++)
			expr_edges(g, to, e->args[i], depth + 1);
		expr_edges(g, to, e->r, depth + 1);
		expr_edges(g, to, e->c, depth + 1);
	}
}

static void fields_edges(Graph *g, size_t to, const Item *it)
{
	size_t i;
	for (i = 0; i < it->nfields; i++) {
		const Item *in = declared_here(it, &it->fields[i]);
		if (in) /* what its body needs, this one needs */
			fields_edges(g, to, in);
		else
			type_edges(g, to, it->fields[i].type);
	}
}

/* A guest handle that a handle item of this unit defines: after it. */
static bool own_handle_edge(Graph *g, size_t to, const Type *elem)
{
	Buf n = {0};
	const Item *hi;
	if (elem->kind == TY_NAMED && !elem->sym)
		return false;
	(void)c_handle_name(&n, elem);
	hi = hmap_gets(&g->h->E->handles, buf_cstr(&n));
	buf_free(&n);
	if (!hi || hi->unit != g->h->u)
		return false;
	add_edge(g, g->entry[hi->index], to, false);
	return true;
}

static void type_edges(Graph *g, size_t to, const Type *t)
{
	const Item *it;
	for (; t && t->kind == TY_ARRAY; t = t->elem)
		expr_edges(g, to, t->count_expr, 0);
	if (!t)
		return;
	switch (t->kind) {
	case TY_INLINE:
		fields_edges(g, to, t->item);
		break;
	case TY_NAMED:
		if (!t->sym)
			break;
		it = symbol_any(t->sym);
		if (is_record(it) || it->kind == IT_ALIAS)
			add_edge(g, local_entry(g, t->sym), to, false);
		break;
	case TY_PTR:
	case TY_HANDLE:
	case TY_CPTR:
		if (t->kind != TY_CPTR && own_handle_edge(g, to, t->elem))
			break;
		if (t->elem->kind != TY_NAMED || !t->elem->sym)
			break;
		it = symbol_any(t->elem->sym);
		if (is_record(it) && t->kind != TY_CPTR)
			add_edge(g, local_entry(g, t->elem->sym), to, true);
		else if (it->kind == IT_ALIAS)
			add_edge(g, local_entry(g, t->elem->sym), to, false);
		break;
	case TY_PRIM:
	case TY_ARRAY:
		break;
	}
}

static int cmp_edge(const void *a, const void *b)
{
	const Edge *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from ? 1
	       : x->to < y->to ? -1 : x->to > y->to;
}

/* The #define lines written since from that pass 80 columns are broken
 * after the macro's name (and parameters), with a backslash-newline;
 * lines with a comment are end_line()'s. */
static void fold_defines(Buf *b, size_t from)
{
	Buf out = {0};
	size_t i = from;
	if (from >= b->len)
		return;
	buf_put(&out, b->data + from, 0);
	while (i < b->len) {
		const char *line = b->data + i, *nl, *sp;
		size_t len;
		nl = memchr(line, '\n', b->len - i);
		len = nl ? (size_t)(nl - line) : b->len - i;
		sp = len > 8 ? memchr(line + 8, ' ', len - 8) : NULL;
		if (len > 80 && strncmp(line, "#define ", 8) == 0 && sp &&
		    line[len - 1] != '\\' && !memchr(line, '/', len)) {
			buf_put(&out, line, (size_t)(sp - line));
			buf_puts(&out, " \\\n    ");
			buf_put(&out, sp + 1, len - (size_t)(sp + 1 - line));
		} else {
			buf_put(&out, line, len);
		}
		if (nl)
			buf_putc(&out, '\n');
		i += len + (nl != NULL);
	}
	b->len = from;
	buf_put(b, out.data, out.len);
	buf_free(&out);
}

/* Write the unit's entries in order. */
static void emit_entries(Header *h)
{
	const Unit *u = h->u;
	size_t n = u->nseq, i, k, done = 0;
	Graph g;
	size_t *first;       /* per entry: its first out-edge in g.e */
	size_t *in_first, *in_edges; /* per entry: its in-edges (indices) */
	size_t *wait_value, *wait_handle;
	bool *emitted, *ahead;
	Heap ready = {0}, handles_only = {0};

	memset(&g, 0, sizeof g);
	g.h = h;
	g.e = xmalloc(sizeof *g.e); /* never null, for the readers below */
	g.cap = 1;
	g.entry = h->E->entry;
	for (i = 0; i < u->nitems; i++)
		g.entry[u->items[i]->index] = SIZE_MAX;
	for (i = 0; i < n; i++)
		if (u->seq[i].item)
			g.entry[u->seq[i].item->index] = i;
	/* a struct declared in place (c.declare) is written with the
	 * outermost struct it is in: what needs it waits for that one */
	for (i = 0; i < n; i++) {
		const Item *in = u->seq[i].item;
		if (!in || !in->declared_in)
			continue;
		while (in->declared_in || (in->inline_type && in->parent))
			in = in->declared_in ? in->declared_in : in->parent;
		g.entry[u->seq[i].item->index] = g.entry[in->index];
	}
	g.self = xcalloc(n + 1, sizeof *g.self);
	for (i = 0; i < n; i++) {
		const Item *it = u->seq[i].item;
		int a;
		if (!it || it->declared_in)
			continue;
		if (it->kind == IT_ALIAS) {
			type_edges(&g, i, it->alias);
			for (a = 0; a < NARCH; a++)
				type_edges(&g, i, it->arch_alias[a]);
		} else if (is_record(it)) {
			fields_edges(&g, i, it);
		} else if (it->kind == IT_HANDLE) {
			type_edges(&g, i, it->handle_type);
		} else if (it->kind == IT_RING) {
			type_edges(&g, i, it->ring_req);
			type_edges(&g, i, it->ring_rsp);
		}
		/* the C spellings of values: a macro that an enumerator's
		 * or a bit's value names */
		if (it->kind == IT_ENUM) {
			size_t j;
			for (j = 0; j < it->nvariants; j++)
				expr_edges(&g, i, it->variants[j].c_value, 0);
		}
	}
	if (g.n > 1)
		qsort(g.e, g.n, sizeof *g.e, cmp_edge);
	first = xcalloc(n + 2, sizeof *first);
	wait_value = xcalloc(n + 1, sizeof *wait_value);
	wait_handle = xcalloc(n + 1, sizeof *wait_handle);
	emitted = xcalloc(n + 1, sizeof *emitted);
	ahead = xcalloc(n + 1, sizeof *ahead);
	for (k = 0; k < g.n; k++) {
		first[g.e[k].from + 1]++;
		if (g.e[k].handle)
			wait_handle[g.e[k].to]++;
		else
			wait_value[g.e[k].to]++;
	}
	for (i = 0; i < n; i++)
		first[i + 1] += first[i];
	in_first = xcalloc(n + 2, sizeof *in_first);
	in_edges = xcalloc(g.n + 1, sizeof *in_edges);
	for (k = 0; k < g.n; k++)
		in_first[g.e[k].to + 1]++;
	for (i = 0; i < n; i++)
		in_first[i + 1] += in_first[i];
	{
		size_t *fill = xcalloc(n + 1, sizeof *fill);
		for (k = 0; k < g.n; k++) {
			size_t to = g.e[k].to;
			in_edges[in_first[to] + fill[to]++] = k;
		}
		free(fill);
	}
	for (i = 0; i < n; i++) {
		if (!wait_value[i] && !wait_handle[i])
			heap_push(&ready, i);
		else if (!wait_value[i])
			heap_push(&handles_only, i);
	}
	while (done < n) {
		size_t x;
		if (!ready.n) {
			/* a cycle of guest handles: the first entry that waits
			 * for handles only gets them ahead */
			size_t e;
			x = SIZE_MAX;
			while (handles_only.n && x == SIZE_MAX) {
				x = heap_pop(&handles_only);
				if (emitted[x] || !wait_handle[x] || wait_value[x])
					x = SIZE_MAX;
			}
			if (x == SIZE_MAX) {
				/* a cycle by value, which check.c reports: never
				 * here, but write everything all the same */
				for (x = 0; emitted[x]; x++)
					;
				wait_value[x] = wait_handle[x] = 0;
				heap_push(&ready, x);
				continue;
			}
			for (e = in_first[x]; e < in_first[x + 1]; e++) {
				size_t y, j;
				k = in_edges[e];
				y = g.e[k].from;
				/* edges join items (never directives) */
				if (!g.e[k].handle || emitted[y] || ahead[y] ||
				    !u->seq[y].item || !u->seq[x].item)
					continue;
				ahead[y] = true;
				emit_ahead(h, u->seq[y].item, u->seq[x].item);
				for (j = first[y]; j < first[y + 1]; j++) {
					size_t z = g.e[j].to;
					if (!g.e[j].handle)
						continue;
					if (--wait_handle[z] == 0 && !wait_value[z])
						heap_push(&ready, z);
				}
			}
			continue;
		}
		x = heap_pop(&ready);
		emitted[x] = true;
		done++;
		if (u->seq[x].dir || !u->seq[x].item) {
			/* an entry is an item or a directive */
			if (u->seq[x].dir)
				emit_directive(h, u->seq[x].dir);
			continue;
		}
		if (!u->seq[x].item->made_by && !u->seq[x].item->declared_in) {
			/* (what a ring or an X-macro list makes is not written:
			 * Xen's macros declare it) */
			const Item *it = u->seq[x].item;
			size_t start = h->body.len;
			prim_handles_item(h, it);
			if (g.self[x] && !ahead[x])
				emit_ahead(h, it, it);
			switch (it->kind) {
			case IT_CONST: emit_const(h, it); break;
			case IT_MACRO: emit_macro(h, it); break;
			case IT_HANDLE: emit_handle(h, it); break;
			case IT_XMACRO: emit_xmacro(h, it); break;
			case IT_RING: emit_ring(h, it); break;
			case IT_ENUM: emit_enum(h, it); break;
			case IT_BITMAP: emit_bitmap(h, it); break;
			case IT_ALIAS: emit_alias(h, it); break;
			case IT_STRUCT:
			case IT_UNION: emit_record(h, it); break;
			case NITEMKINDS: break;
			}
			fold_defines(&h->body, start);
		}
		for (k = first[x]; k < first[x + 1]; k++) {
			size_t z = g.e[k].to;
			if (g.e[k].handle) {
				if (ahead[x])
					continue; /* counted when written ahead */
				--wait_handle[z];
			} else if (--wait_value[z] == 0 && wait_handle[z]) {
				heap_push(&handles_only, z);
			}
			if (!wait_value[z] && !wait_handle[z])
				heap_push(&ready, z);
		}
	}
	free(ready.v);
	free(handles_only.v);
	free(first);
	free(in_first);
	free(in_edges);
	free(wait_value);
	free(wait_handle);
	free(emitted);
	free(ahead);
	free(g.e);
	free(g.self);
}

/* ---- Header assembly --------------------------------------------------------- */

static void guard_name(Buf *b, const Unit *u)
{
	const char *p;
	if (u->header.guard) {
		buf_puts(b, u->header.guard);
		return;
	}
	buf_puts(b, "__XEN_AUTOGEN_");
	for (p = u->name; *p; p++)
		buf_putc(b, (char)(*p == '-' || *p == '/' ? '_'
			    : (*p >= 'a' && *p <= 'z') ? *p - 32 : *p));
	buf_puts(b, "_H");
}

/* SPDX, the banner, the notice and the description.  Nothing in it
 * depends on how the tool was run: the spec files are named relative to
 * --indir, the command is --regen-hint's (or a fixed text). */
static void banner(Buf *b, const Header *h)
{
	const UnitHeader *uh = &h->u->header;
	size_t i;
	if (uh->spdx)
		buf_printf(b, "/* SPDX-License-Identifier: %s */\n", uh->spdx);
	buf_puts(b, "/*\n * ");
	if (uh->path)
		c_comment_text(b, uh->path);
	else
		c_comment_text(b, h->u->name);
	buf_puts(b, "\n *\n * AUTOGENERATED. DO NOT MODIFY: this file is "
		    OUTPUT_MARKER " from\n");
	for (i = 0; i < h->u->nfiles; i++) {
		buf_puts(b, " *   ");
		c_comment_text(b, h->u->files[i].relpath);
		buf_putc(b, '\n');
	}
	buf_puts(b, " * Edit the spec files instead and regenerate with:\n *   ");
	c_comment_text(b, h->o->regen_cmd);
	buf_puts(b, "\n */\n");
	if (uh->notice && *uh->notice) {
		buf_putc(b, '\n');
		c_comment(b, 0, uh->notice);
	}
	if (uh->desc && *uh->desc) {
		buf_putc(b, '\n');
		c_comment(b, 0, uh->desc);
	}
	if ((uh->notice && *uh->notice) || (uh->desc && *uh->desc))
		buf_putc(b, '\n');
}

/* The RFC's chain: an #include per architecture directory that exists
 * (only the unit's own for an architecture-specific unit). */
static void arch_includes(Buf *b, const Header *h, const Spec *s)
{
	static const struct {
		int arch;
		const char *cond;
	} chain[] = {
		{ARCH_X86, "defined(__i386__) || defined(__x86_64__)"},
		{ARCH_ARM, "defined(__arm__) || defined(__aarch64__)"},
		{ARCH_PPC, "defined(__powerpc64__)"},
		{ARCH_RISCV, "defined(__riscv)"},
	};
	size_t k, n = 0;
	if (h->u->family >= 0) {
		if (s->arch_units[h->u->family]) {
			buf_puts(b, "#include \"");
			include_path(b, h, s->arch_units[h->u->family]);
			buf_puts(b, "\"\n");
		}
		return;
	}
	for (k = 0; k < ARRAY_LEN(chain); k++) {
		const Unit *au = s->arch_units[chain[k].arch];
		if (!au)
			continue;
		buf_printf(b, "#%s %s\n#include \"", n++ ? "elif" : "if",
			   chain[k].cond);
		include_path(b, h, au);
		buf_puts(b, "\"\n");
	}
	buf_puts(b, "#else\n#error \"Unsupported architecture\"\n#endif\n");
}

/* Whether the unit's leading `include` items (before its first item,
 * without a condition but the assembler's) include a common unit that
 * itself imports from "arch", as Xen's headers include xen.h: that header
 * brings the architecture's names, after what it includes first
 * (xen-compat.h, whose __XEN_INTERFACE_VERSION__ the architecture headers
 * test), so no chain of architecture headers goes ahead of it. */
static bool arch_by_item(const Header *h, const Spec *s)
{
	Buf got = {0}, want = {0};
	size_t i, k;
	bool found = false;
	for (i = 0; i < h->u->nseq && !h->u->seq[i].item && !found; i++) {
		const Directive *dir = h->u->seq[i].dir;
		const Cond *c = &dir->cond;
		if (dir->kind != DIR_INCLUDE || c->tools || c->hypervisor ||
		    c->targets || c->since || c->until || c->ndefined ||
		    c->nnot_defined || c->c_if)
			continue;
		buf_clear(&got);
		resolved_include(&got, h, dir->text);
		for (k = 0; k < s->nunits && !found; k++) {
			const Unit *u = s->units[k];
			if (u == h->u || u->family >= 0 || !u->uses_arch)
				continue;
			buf_clear(&want);
			header_path(&want, u, h->o->keep_dashes);
			found = got.len && strcmp(buf_cstr(&got), buf_cstr(&want)) == 0;
		}
	}
	buf_free(&got);
	buf_free(&want);
	return found;
}

/* The includes of [[includes]] entries, but for those an `include` item
 * writes (for "arch": the header of any architecture, or of a unit that
 * includes it, arch_by_item). */
static void includes(Buf *b, const Header *h, const Spec *s)
{
	size_t i, k;
	int a;
	for (i = 0; i < h->u->nincludes; i++) {
		const Include *inc = &h->u->includes[i];
		bool written = false;
		if (inc->unit) {
			written = included_by_item(h, inc->unit);
		} else {
			for (a = 0; a < NARCH && !written; a++)
				written = s->arch_units[a] &&
					  (h->u->family < 0 || h->u->family == a) &&
					  included_by_item(h, s->arch_units[a]);
			if (!written && h->u->family < 0)
				written = arch_by_item(h, s);
		}
		/* via: the header of another include brings it;
		 * by_includer: whoever includes this header does */
		if (written || inc->via || inc->by_includer)
			continue;
		{
			Buf why = {0};
			buf_puts(&why, "for ");
			for (k = 0; k < inc->nimports; k++)
				buf_printf(&why, "%s%s", k ? ", " : "", inc->imports[k]);
			c_comment(b, 0, buf_cstr(&why));
			buf_free(&why);
		}
		if (!inc->unit) {
			arch_includes(b, h, s);
		} else {
			buf_puts(b, "#include \"");
			include_path(b, h, inc->unit);
			buf_puts(b, "\"\n");
		}
		buf_putc(b, '\n');
	}
}

/* The includes that come before the guard. */
static void early_includes(Header *h, Buf *file)
{
	size_t i;
	for (i = 0; i < h->u->nseq; i++) {
		const Directive *dir = h->u->seq[i].dir;
		bool cond;
		if (!dir || dir->kind != DIR_INCLUDE || !dir->before_guard)
			continue;
		cond = open_cond(h, file, &dir->cond);
		c_comment(file, 0, dir->desc);
		if (dir->text[0] == '<')
			buf_printf(file, "#include %s\n", dir->text);
		else
			buf_printf(file, "#include \"%s\"\n", dir->text);
		if (cond)
			buf_puts(file, "#endif\n");
	}
}

static void emit_unit(Emit *E, OutSet *out, const Unit *u)
{
	Header h;
	Buf file = {0}, name = {0}, guard = {0};
	bool unit_cond;
	size_t i;

	memset(&h, 0, sizeof h);
	h.E = E;
	h.o = E->o;
	h.u = u;
	h.view = u->family;
	h.ahead = E->ahead;
	for (i = 0; i < u->nitems; i++)
		h.ahead[u->items[i]->index] = false;
	index_includes(&h);
	emit_entries(&h);
	if (h.in_ifdef) {
		buf_putc(&h.body, '\n');
		close_ifdef(&h, false);
	}
	if (h.in_c)
		buf_puts(&h.body, "\n#endif /* !__ASSEMBLY__ */\n");

	guard_name(&guard, u);
	banner(&file, &h);
	early_includes(&h, &file);
	if (!u->header.unguarded)
		buf_printf(&file, "#ifndef %s\n#define %s\n\n", buf_cstr(&guard),
			   buf_cstr(&guard));
	{
		Header top = h;
		top.in_c = false;
		unit_cond = u->header.set && open_cond(&top, &file, &u->header.cond);
		if (unit_cond)
			buf_putc(&file, '\n');
	}
	includes(&file, &h, E->s);
	buf_put(&file, h.body.data, h.body.len);
	if (h.body.len)
		buf_putc(&file, '\n');
	if (unit_cond)
		buf_puts(&file, "#endif\n\n");
	if (!u->header.unguarded)
		buf_printf(&file, "#endif /* %s */\n", buf_cstr(&guard));
	else /* no blank line at the end where no #endif closes the file */
		while (file.len >= 2 && file.data[file.len - 1] == '\n' &&
		       file.data[file.len - 2] == '\n')
			file.data[--file.len] = '\0';

	header_path(&name, u, E->o->keep_dashes);
	outset_add(out, buf_cstr(&name), &file);
	buf_free(&h.body);
	buf_free(&name);
	buf_free(&guard);
	free_includes(&h);
}

/* Which primitive handles more than one header defines: those get a
 * guard. */
static void find_shared_handles(Emit *E)
{
	Spec *s = E->s;
	size_t *count = xcalloc(NPRIMS, sizeof *count), i, j;
	Header h;
	int p;
	memset(&h, 0, sizeof h);
	h.E = E;
	h.o = E->o;
	for (i = 0; i < s->nunits; i++) {
		/* a dry run of the handles of each unit */
		memset(h.handle_done, 0, sizeof h.handle_done);
		h.u = s->units[i];
		h.view = h.u->family;
		for (j = 0; j < h.u->nitems; j++)
			prim_handles_item(&h, h.u->items[j]);
		for (p = 0; p < NPRIMS; p++)
			count[p] += h.handle_done[p];
		buf_free(&h.body);
	}
	for (p = 0; p < NPRIMS; p++)
		E->shared_handle[p] = count[p] > 1;
	free(count);
}

void emit_c(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	Emit E;
	size_t i;

	(void)d;
	memset(&E, 0, sizeof E);
	E.s = s;
	E.o = o;
	E.pointed = c_pointed(s);
	E.entry = xmalloc((s->nitems + 1) * sizeof *E.entry);
	E.ahead = xmalloc((s->nitems + 1) * sizeof *E.ahead);
	hmap_init(&E.handles);
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_HANDLE)
			hmap_put(&E.handles, s->items[i]->name,
				 strlen(s->items[i]->name), s->items[i]);
	find_shared_handles(&E);
	for (i = 0; i < s->nunits; i++)
		emit_unit(&E, out, s->units[i]);
	free(E.pointed);
	free(E.entry);
	free(E.ahead);
	hmap_free(&E.handles);
}
