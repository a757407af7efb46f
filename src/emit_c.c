/*
 * emit_c.c - the C backend: one header per output unit.
 *
 * The shape follows the RFC's generator, so a Xen developer who switches
 * tools sees the same declarations: banner, include guard, includes (the
 * per-architecture ones as an #if chain), then enums, bitmaps and structs.
 * Enums become C enums; bitmaps become (1U << n) macros with a __ALL mask;
 * an enum or bitmap field is declared with its backing integer, because C
 * cannot fix an enum's width, and a "See" comment names the type.  64-bit
 * integers are uint64_aligned_t and pointers XEN_GUEST_HANDLE_64(), both
 * from Xen's public xen.h, which the headers expect to be included first.
 *
 * What the RFC did not do: structs are ordered so that a struct comes after
 * the structs it contains, bits above 31 use 1ULL, any pointee gets a guest
 * handle, the banner says where the specs are and how to regenerate, and
 * descriptions cannot break out of their comments.
 */
#include "emit.h"
#include "emit_util.h"
#include "layout.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

static const char *const c_prim[NPRIMS] = {
	[P_U8] = "uint8_t",     [P_U16] = "uint16_t",
	[P_U32] = "uint32_t",   [P_U64] = "uint64_aligned_t",
	[P_I8] = "int8_t",      [P_I16] = "int16_t",
	[P_I32] = "int32_t",    [P_I64] = "int64_aligned_t",
	[P_CHAR] = "char",      [P_INT] = "int",
	[P_UINT] = "unsigned int", [P_LONG] = "long",
	[P_ULONG] = "unsigned long", [P_U64_PLAIN] = "uint64_t",
	[P_I64_PLAIN] = "int64_t",
};

/* Guest handle names for primitive pointees.  Xen's public xen.h defines
 * those marked; a header that needs another one defines it itself, behind
 * a guard so that several headers can need the same one. */
static const struct {
	const char *name, *type;
	bool in_xen_h;
} c_handle[NPRIMS] = {
	[P_U8] = {"uint8", "uint8_t", true},
	[P_U16] = {"uint16", "uint16_t", true},
	[P_U32] = {"uint32", "uint32_t", true},
	[P_U64] = {"uint64", "uint64_t", true},
	[P_I8] = {"int8", "int8_t", false},
	[P_I16] = {"int16", "int16_t", false},
	[P_I32] = {"int32", "int32_t", false},
	[P_I64] = {"int64", "int64_t", false},
	[P_CHAR] = {"char", "char", true},
	[P_INT] = {"int", "int", true},
	[P_UINT] = {"uint", "unsigned int", true},
	/* xen.h defines these only for interface versions before 4.3 */
	[P_LONG] = {"long", "long", false},
	[P_ULONG] = {"ulong", "unsigned long", false},
	[P_U64_PLAIN] = {"uint64_t", "uint64_t", true},
	[P_I64_PLAIN] = {"int64", "int64_t", false},
};

/* State for one header. */
typedef struct Header {
	const EmitOptions *o;
	const Unit *u;
	const bool *pointed;  /* per item index: some pointer targets it */
	bool need_handle[NPRIMS];
	Buf body;
} Header;

/* ---- Comments ------------------------------------------------------------
 * Text inside a C comment must not end it ("*\/"), open a nested one (gcc
 * warns about "/\*"), or form a trigraph that C89 would act on ("??/" is a
 * backslash, hence a line splice).  Everything else, including "#define" on
 * a line of its own or a backslash at the end of a line, is inert inside a
 * block comment whose lines start with " * ". */
void c_comment_text(Buf *b, const char *s)
{
	for (; *s; s++) {
		if (s[0] == '*' && s[1] == '/') {
			buf_puts(b, "*\\/");
			s++;
		} else if (s[0] == '/' && s[1] == '*') {
			buf_puts(b, "/\\*");
			s++;
		} else if (s[0] == '?' && s[1] == '?') {
			buf_puts(b, "?\\");
		} else {
			buf_putc(b, *s);
		}
	}
}

static void comment(Buf *b, int indent, const char *desc)
{
	Lines l;
	size_t i;
	lines_split(&l, desc);
	if (l.n == 1) {
		buf_indent(b, indent);
		buf_puts(b, "/* ");
		c_comment_text(b, l.v[0]);
		buf_puts(b, " */\n");
	} else if (l.n > 1) {
		buf_indent(b, indent);
		buf_puts(b, "/*\n");
		for (i = 0; i < l.n; i++) {
			buf_indent(b, indent);
			buf_puts(b, l.v[i][0] ? " * " : " *");
			c_comment_text(b, l.v[i]);
			buf_putc(b, '\n');
		}
		buf_indent(b, indent);
		buf_puts(b, " */\n");
	}
	lines_free(&l);
}

/* ---- Names ------------------------------------------------------------------ */

static void guard_name(Buf *b, const Unit *u)
{
	const char *p;
	buf_puts(b, "__XEN_AUTOGEN_");
	for (p = u->name; *p; p++)
		buf_putc(b, *p == '-' || *p == '/' ? '_'
			    : (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p);
	buf_puts(b, "_H");
}

/* The path of unit to's header as written in unit from's header. */
static void include_path(Buf *b, const Header *h, const Unit *to)
{
	const char *p;
	for (p = h->u->name; *p; p++)
		if (*p == '/')
			buf_puts(b, "../");
	unit_file_name(b, to, h->o->keep_dashes);
	buf_puts(b, ".h");
}

void c_member_macro(Buf *b, const Item *it, const char *member)
{
	name_upper(b, it->name);
	buf_putc(b, '_');
	name_upper(b, member);
}

void c_all_macro(Buf *b, const Item *it)
{
	c_member_macro(b, it, "_ALL");
}

/* Any definition of a symbol: check.c makes sure that per-architecture
 * definitions of one name agree on kind and backing type, which is all a
 * declaration that uses the name depends on. */
static const Item *any_item(const Symbol *sym)
{
	int a;
	if (sym->common)
		return sym->common;
	for (a = 0; a < NARCH; a++)
		if (sym->arch[a])
			return sym->arch[a];
	return NULL;
}

/* ---- Declarations ---------------------------------------------------------- */

static void handle_name(Header *h, Buf *b, const Type *t)
{
	Prim p = t->prim;
	if (t->kind == TY_NAMED) {
		const Item *it = any_item(t->sym);
		if (it->kind == IT_STRUCT) {
			buf_printf(b, "%s_t", it->name);
			return;
		}
		p = it->backing;
	}
	buf_puts(b, c_handle[p].name);
	if (!c_handle[p].in_xen_h)
		h->need_handle[p] = true;
}

static void decl(Header *h, Buf *b, const Type *t, const char *name)
{
	const Type *base = t;
	const char *see = NULL;
	while (base->kind == TY_ARRAY)
		base = base->elem;
	switch (base->kind) {
	case TY_PRIM:
		buf_puts(b, c_prim[base->prim]);
		break;
	case TY_PTR:
		buf_puts(b, "XEN_GUEST_HANDLE_64(");
		handle_name(h, b, base->elem);
		buf_putc(b, ')');
		break;
	case TY_NAMED: {
		const Item *it = any_item(base->sym);
		if (it->kind == IT_STRUCT) {
			buf_printf(b, "struct %s", it->name);
		} else {
			buf_puts(b, c_prim[it->backing]);
			see = it->name;
		}
		break;
	}
	case TY_ARRAY:
		break;
	}
	buf_printf(b, " %s", name);
	for (; t->kind == TY_ARRAY; t = t->elem)
		buf_printf(b, "[%llu]", (unsigned long long)t->count);
	if (see)
		buf_printf(b, " /* See %s */", see);
}

/* ---- Items ------------------------------------------------------------------ */

static void emit_enum(Header *h, const Item *it)
{
	Buf *b = &h->body;
	size_t i;
	comment(b, 0, it->desc);
	buf_printf(b, "enum %s {\n", it->name);
	for (i = 0; i < it->nvariants; i++) {
		const Variant *v = &it->variants[i];
		comment(b, 4, v->desc);
		buf_indent(b, 4);
		c_member_macro(b, it, v->name);
		buf_printf(b, " = %lld,\n", (long long)v->value);
	}
	buf_puts(b, "};\n\n");
}

static void emit_bitmap(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool wide = it->backing == P_U64 || it->backing == P_U64_PLAIN;
	const char *suffix = wide ? "ULL" : "U";
	uint64_t all = 0;
	size_t i;
	comment(b, 0, it->desc);
	buf_printf(b, "struct %s {}; /* GREP FODDER */\n", it->name);
	for (i = 0; i < it->nbits; i++) {
		const Bit *bit = &it->bits[i];
		comment(b, 0, bit->desc);
		buf_puts(b, "#define ");
		c_member_macro(b, it, bit->name);
		buf_printf(b, " (1%s << %lld)\n", suffix, (long long)bit->shift);
		all |= (uint64_t)1 << bit->shift;
	}
	buf_puts(b, "/* Mask covering all defined bits */\n#define ");
	c_all_macro(b, it);
	buf_printf(b, " (0x%llX%s)\n\n", (unsigned long long)all, suffix);
}

static void emit_struct(Header *h, const Item *it)
{
	Buf *b = &h->body;
	size_t i;
	comment(b, 0, it->desc);
	buf_printf(b, "struct %s {\n", it->name);
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		comment(b, 4, f->desc);
		buf_indent(b, 4);
		decl(h, b, f->type, f->name);
		buf_puts(b, ";\n");
	}
	buf_puts(b, "};\n");
	if (it->op_family)
		buf_printf(b, "/* The %s sub-op that takes struct %s. */\n"
			   "#define %s %lld\n", it->op_family, it->name, it->op_name,
			   (long long)it->op_cmd);
	buf_putc(b, '\n');
}

/* ---- Header assembly --------------------------------------------------------- */

static void banner(Buf *b, const Header *h)
{
	size_t i;
	buf_puts(b, "/*\n * ");
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
}

/* The RFC's chain: an #include per architecture directory that exists. */
static void arch_includes(Buf *b, const Header *h, const Spec *s,
			  const Include *inc)
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
	for (k = 0; k < ARRAY_LEN(chain); k++) {
		const Unit *au = s->arch_units[chain[k].arch];
		if (!au)
			continue;
		buf_printf(b, "#%s %s\n#include \"", n++ ? "elif" : "if",
			   chain[k].cond);
		include_path(b, h, au);
		buf_puts(b, "\"\n");
	}
	(void)inc;
	buf_puts(b, "#else\n#error \"Unsupported architecture\"\n#endif\n");
}

static void includes(Buf *b, const Header *h, const Spec *s)
{
	size_t i, k;
	for (i = 0; i < h->u->nincludes; i++) {
		const Include *inc = &h->u->includes[i];
		buf_puts(b, "/* for ");
		for (k = 0; k < inc->nimports; k++)
			buf_printf(b, "%s%s", k ? ", " : "", inc->imports[k]);
		buf_puts(b, " */\n");
		if (!inc->unit) {
			arch_includes(b, h, s, inc);
		} else {
			buf_puts(b, "#include \"");
			include_path(b, h, inc->unit);
			buf_puts(b, "\"\n");
		}
		buf_putc(b, '\n');
	}
}

/* Guest handles this header needs: for primitive pointees that xen.h
 * lacks, and for its own structs that a pointer targets.  They come before
 * every struct, so that a struct can point to itself or to a struct defined
 * after it (a typedef of an incomplete struct is fine). */
static void handles(Buf *b, const Header *h)
{
	size_t i;
	int p;
	for (i = 0; i < h->u->nitems; i++) {
		const Item *it = h->u->items[i];
		if (it->kind == IT_STRUCT && h->pointed[it->index])
			buf_printf(b, "typedef struct %s %s_t;\n"
				   "DEFINE_XEN_GUEST_HANDLE(%s_t);\n\n",
				   it->name, it->name, it->name);
	}
	for (p = 0; p < NPRIMS; p++) {
		if (!h->need_handle[p])
			continue;
		buf_printf(b,
			   "#ifndef __XEN_AUTOGEN_HANDLE_%s\n"
			   "#define __XEN_AUTOGEN_HANDLE_%s\n"
			   "__DEFINE_XEN_GUEST_HANDLE(%s, %s);\n"
			   "#endif\n\n",
			   c_handle[p].name, c_handle[p].name, c_handle[p].name,
			   c_handle[p].type);
	}
}

static void emit_unit(Spec *s, const EmitOptions *o, OutSet *out,
		      const bool *pointed, const Unit *u, Item **structs,
		      size_t nstructs)
{
	Header h;
	Buf file = {0}, name = {0}, guard = {0};
	size_t i;

	memset(&h, 0, sizeof h);
	h.o = o;
	h.u = u;
	h.pointed = pointed;
	for (i = 0; i < u->nitems; i++)
		if (u->items[i]->kind == IT_ENUM)
			emit_enum(&h, u->items[i]);
	for (i = 0; i < u->nitems; i++)
		if (u->items[i]->kind == IT_BITMAP)
			emit_bitmap(&h, u->items[i]);
	for (i = 0; i < nstructs; i++)
		emit_struct(&h, structs[i]);

	guard_name(&guard, u);
	banner(&file, &h);
	buf_printf(&file, "#ifndef %s\n#define %s\n\n", buf_cstr(&guard),
		   buf_cstr(&guard));
	includes(&file, &h, s);
	handles(&file, &h);
	buf_put(&file, h.body.data, h.body.len);
	buf_printf(&file, "#endif /* %s */\n", buf_cstr(&guard));

	unit_file_name(&name, u, o->keep_dashes);
	buf_puts(&name, ".h");
	outset_add(out, buf_cstr(&name), &file);
	buf_free(&h.body);
	buf_free(&name);
	buf_free(&guard);
}

/* Which structs some pointer targets: those get a typedef and a guest
 * handle after their definition, as Xen's own headers do. */
static bool *find_pointed(Spec *s)
{
	bool *pointed = xcalloc(s->nitems + 1, sizeof *pointed);
	size_t i, j;
	int a;
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		for (j = 0; j < it->nfields; j++) {
			const Type *t = it->fields[j].type;
			while (t->kind == TY_ARRAY)
				t = t->elem;
			if (t->kind != TY_PTR || t->elem->kind != TY_NAMED)
				continue;
			if (t->elem->sym->common)
				pointed[t->elem->sym->common->index] = true;
			for (a = 0; a < NARCH; a++)
				if (t->elem->sym->arch[a])
					pointed[t->elem->sym->arch[a]->index] = true;
		}
	}
	return pointed;
}

void emit_c(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	bool *pointed = find_pointed(s);
	Item ***per_unit = xcalloc(s->nunits + 1, sizeof *per_unit);
	size_t *count = xcalloc(s->nunits + 1, sizeof *count);
	size_t i, n, k;
	int view;

	(void)d;
	/* Structs in dependency order, bucketed per unit: one walk per view
	 * (common units, then each architecture directory), so the whole pass
	 * stays linear in the number of items. */
	for (i = 0; i < s->nunits; i++)
		per_unit[i] = xcalloc(s->units[i]->nitems + 1, sizeof **per_unit);
	for (view = -1; view < NARCH; view++) {
		Item **order;
		if (view >= 0 && !s->arch_units[view])
			continue;
		order = spec_order(s, view, &n);
		for (k = 0; k < n; k++) {
			Item *it = order[k];
			i = it->unit->index;
			if (it->kind != IT_STRUCT || it->unit->arch != view)
				continue;
			per_unit[i][count[i]++] = it;
		}
		free(order);
	}
	for (i = 0; i < s->nunits; i++) {
		emit_unit(s, o, out, pointed, s->units[i], per_unit[i], count[i]);
		free(per_unit[i]);
	}
	free(per_unit);
	free(count);
	free(pointed);
}
