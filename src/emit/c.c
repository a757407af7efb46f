/*
 * emit_c.c - the C backend: one header per output unit.
 *
 * The shape follows the RFC's generator, so a Xen developer who switches
 * tools sees the same declarations: banner, include guard, includes (the
 * per-architecture ones as an #if chain), then constants, enums, bitmaps,
 * and the types.  Enums become C enums; bitmaps become (1U << n) macros with
 * a __ALL mask; an enum or bitmap field is declared with its backing
 * integer, because C cannot fix an enum's width, and a "See" comment names
 * the type.  64-bit integers are uint64_aligned_t and pointers
 * XEN_GUEST_HANDLE_64(), both from Xen's public xen.h (or xenbindgen's
 * xen-prelude.h), which the headers expect to be included first.
 *
 * What the RFC did not do: types are ordered so that a type comes after
 * the types it contains; bits above 31 use 1ULL; any pointee gets a guest
 * handle; the banner says where the specs are and how to regenerate; and
 * descriptions cannot break out of their comments.  For describing the
 * existing Xen ABI, the `c` table of an item keeps the names existing code
 * uses (prefixes, case, #defines instead of enums, bit-number macros,
 * typedefs, compatibility aliases), and `only` conditions become #if.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

/* State for one header. */
typedef struct Header {
	const EmitOptions *o;
	const Unit *u;
	const bool *pointed;  /* per item index: some pointer targets it */
	const HMap *handles;  /* the names of the spec's own handle items,
			       * which the automatic ones give way to */
	bool need_handle[NPRIMS];
	Buf body;
} Header;

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
		buf_putc(b, (char)(*p == '-' || *p == '/' ? '_'
			    : (*p >= 'a' && *p <= 'z') ? *p - 32 : *p));
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

static bool open_cond(Buf *b, const Cond *c, int unit_arch)
{
	Buf e = {0};
	bool any = c_cond(&e, c, unit_arch);
	if (any)
		buf_printf(b, "#if %s\n", buf_cstr(&e));
	buf_free(&e);
	return any;
}

/* ---- Declarations ---------------------------------------------------------- */

static void handle_name(Header *h, Buf *b, const Type *t)
{
	Prim p = c_handle_name(b, t);
	if (p != NPRIMS && !c_handle[p].in_xen_h)
		h->need_handle[p] = true;
}

static void record(Header *h, Buf *b, const Item *it, int indent);

/* Declare name (NULL: anonymous member) with type t at indent. */
static void decl(Header *h, Buf *b, const Type *t, const char *name,
		 unsigned bits, int indent)
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
	case TY_HANDLE:
		buf_puts(b, base->kind == TY_PTR ? "XEN_GUEST_HANDLE_64("
						 : "XEN_GUEST_HANDLE(");
		if (base->is_const)
			buf_puts(b, "const_");
		handle_name(h, b, base->elem);
		buf_putc(b, ')');
		break;
	case TY_NAMED: {
		const Item *it = symbol_any(base->sym);
		if (base->via_typedef) {
			buf_puts(b, base->name);
		} else if (it->kind == IT_STRUCT || it->kind == IT_UNION) {
			buf_printf(b, "%s %s", item_kind_name(it->kind), it->name);
		} else if (it->kind == IT_ALIAS) {
			buf_puts(b, it->name);
		} else {
			buf_puts(b, c_prim[it->backing]);
			see = it->name;
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
			else if (it->kind == IT_STRUCT || it->kind == IT_UNION)
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
			buf_puts(b, "[XEN_FLEX_ARRAY_DIM]");
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
	if (see)
		buf_printf(b, " /* See %s */", see);
}

/* "Valid when status is 2 or 3." for the members of a tagged union. */
static void when_comment(Buf *b, const Field *m, const char *tag, int indent)
{
	size_t k;
	buf_indent(b, indent);
	buf_printf(b, "/* Valid when %s is ", tag);
	for (k = 0; k < m->nwhen; k++) {
		buf_puts(b, k == 0 ? "" : k + 1 == m->nwhen ? " or " : ", ");
		if (m->when_names[k])
			buf_puts(b, m->when_names[k]);
		else
			buf_printf(b, "%lld", (long long)m->when[k]);
	}
	buf_puts(b, ". */\n");
}

/* The body of a struct or union, from "struct name {" to "}". */
static void record(Header *h, Buf *b, const Item *it, int indent)
{
	size_t i;
	buf_puts(b, item_kind_name(it->kind));
	if (!it->inline_type)
		buf_printf(b, " %s", it->name);
	buf_puts(b, " {\n");
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		bool cond;
		const char *tag = NULL;
		cond = open_cond(b, &f->cond, h->u->arch);
		comment(b, indent + 4, f->desc);
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
		buf_indent(b, indent + 4);
		if (f->c_decl) {
			/* the spec's own C for the member (a macro call that
			 * declares it, __DECL_REG_LOHI(a);), as it is */
			buf_puts(b, f->c_decl);
			buf_putc(b, '\n');
		} else {
			decl(h, b, f->type, f->name, f->bits, indent + 4);
			buf_puts(b, ";\n");
		}
		if (cond)
			buf_puts(b, "#endif\n");
	}
	buf_indent(b, indent);
	buf_putc(b, '}');
}

/* ---- Items ------------------------------------------------------------------ */

static void compat_aliases(Buf *b, const char *const *old, size_t n,
			   const char *now)
{
	size_t i;
	for (i = 0; i < n; i++)
		buf_printf(b, "#define %s %s /* compatibility */\n", old[i], now);
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
	bool cond = open_cond(b, &it->cond, h->u->arch);
	comment(b, 0, it->desc);
	buf_printf(b, "#define %s ", it->name);
	const_text(b, it);
	buf_putc(b, '\n');
	compat_aliases(b, it->c.compat, it->c.ncompat, it->name);
	if (cond)
		buf_puts(b, "#endif\n");
	buf_putc(b, '\n');
}

static void emit_enum(Header *h, const Item *it)
{
	Buf *b = &h->body, m = {0};
	bool cond = open_cond(b, &it->cond, h->u->arch);
	size_t i;
	comment(b, 0, it->desc);
	if (!it->c.defines)
		buf_printf(b, "enum %s {\n", it->name);
	for (i = 0; i < it->nvariants; i++) {
		const Variant *v = &it->variants[i];
		buf_clear(&m);
		c_member_macro(&m, it, v->name);
		comment(b, it->c.defines ? 0 : 4, v->desc);
		if (it->c.defines)
			buf_printf(b, "#define %s ", buf_cstr(&m));
		else
			buf_printf(b, "    %s = ", buf_cstr(&m));
		if (v->c_value)
			expr_write_c_macro(b, v->c_value);
		else
			buf_printf(b, "%lld", (long long)v->value);
		buf_puts(b, it->c.defines ? "\n" : ",\n");
	}
	if (!it->c.defines)
		buf_puts(b, "};\n");
	for (i = 0; i < it->nvariants; i++) {
		buf_clear(&m);
		c_member_macro(&m, it, it->variants[i].name);
		compat_aliases(b, it->variants[i].compat, it->variants[i].ncompat,
			       buf_cstr(&m));
	}
	if (cond)
		buf_puts(b, "#endif\n");
	buf_putc(b, '\n');
	buf_free(&m);
}

static void emit_bitmap(Header *h, const Item *it)
{
	Buf *b = &h->body, m = {0};
	bool wide = it->backing == P_U64 || it->backing == P_U64_PLAIN ||
		    it->backing == P_I64 || it->backing == P_I64_PLAIN ||
		    it->backing == P_ULLONG || it->backing == P_LLONG;
	const char *suffix = wide ? "ULL" : "U";
	bool cond = open_cond(b, &it->cond, h->u->arch);
	uint64_t all = 0;
	size_t i;
	comment(b, 0, it->desc);
	if (!it->c.set)
		buf_printf(b, "struct %s {}; /* GREP FODDER */\n", it->name);
	for (i = 0; i < it->nbits; i++) {
		const Bit *bit = &it->bits[i];
		uint64_t mask = (bit->width >= 64 ? ~(uint64_t)0
				 : (((uint64_t)1 << bit->width) - 1)) << bit->shift;
		buf_clear(&m);
		c_member_macro(&m, it, bit->name);
		comment(b, 0, bit->desc);
		all |= mask;
		if (bit->width > 1) {
			/* a multi-bit field: its mask, shift and an accessor */
			buf_printf(b, "#define %s_shift %lld\n", buf_cstr(&m),
				   (long long)bit->shift);
			if (bit->c_value) {
				buf_printf(b, "#define %s_mask ", buf_cstr(&m));
				expr_write_c_macro(b, bit->c_value);
				buf_putc(b, '\n');
			} else {
				buf_printf(b, "#define %s_mask (0x%llX%s << %s_shift)\n",
					   buf_cstr(&m),
					   (unsigned long long)(mask >> bit->shift),
					   suffix, buf_cstr(&m));
			}
			buf_printf(b, "#define %s(v) (((v) & %s_mask) >> %s_shift)\n",
				   buf_cstr(&m), buf_cstr(&m), buf_cstr(&m));
		} else if (bit->bit_number > 0 ||
			   (bit->bit_number < 0 && it->c.bit_numbers)) {
			buf_printf(b, "#define _%s %lld\n", buf_cstr(&m),
				   (long long)bit->shift);
			if (bit->c_value) {
				buf_printf(b, "#define %s ", buf_cstr(&m));
				expr_write_c_macro(b, bit->c_value);
				buf_putc(b, '\n');
			} else {
				buf_printf(b, "#define %s (1%s << _%s)\n", buf_cstr(&m),
					   suffix, buf_cstr(&m));
			}
		} else if (bit->c_value) {
			buf_printf(b, "#define %s ", buf_cstr(&m));
			expr_write_c_macro(b, bit->c_value);
			buf_putc(b, '\n');
		} else {
			buf_printf(b, "#define %s (1%s << %lld)\n", buf_cstr(&m),
				   suffix, (long long)bit->shift);
		}
		compat_aliases(b, bit->compat, bit->ncompat, buf_cstr(&m));
	}
	buf_clear(&m);
	if (c_all_macro(&m, it))
		buf_printf(b, "/* Mask covering all defined bits */\n"
			      "#define %s (0x%llX%s)\n",
			   buf_cstr(&m), (unsigned long long)all, suffix);
	if (cond)
		buf_puts(b, "#endif\n");
	buf_putc(b, '\n');
	buf_free(&m);
}

static void emit_record(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond = open_cond(b, &it->cond, h->u->arch);
	comment(b, 0, it->desc);
	record(h, b, it, 0);
	buf_puts(b, ";\n");
	compat_aliases(b, it->c.compat, it->c.ncompat, it->name);
	if (it->op_family)
		buf_printf(b, "/* The %s sub-op that takes struct %s. */\n"
			   "#define %s %lld\n", it->op_family, it->name, it->op_name,
			   (long long)it->op_cmd);
	if (cond)
		buf_puts(b, "#endif\n");
	buf_putc(b, '\n');
}

/* #define NAME(a, b) (body) */
static void emit_macro(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond = open_cond(b, &it->cond, h->u->arch);
	size_t i;
	comment(b, 0, it->desc);
	buf_printf(b, "#define %s(", it->name);
	for (i = 0; i < it->nparams; i++)
		buf_printf(b, "%s%s", i ? ", " : "", it->params[i]);
	buf_puts(b, ") ");
	if (it->expr)
		expr_write_c_macro(b, it->expr);
	buf_putc(b, '\n');
	if (cond)
		buf_puts(b, "#endif\n");
	buf_putc(b, '\n');
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
		if ((it->kind == IT_STRUCT || it->kind == IT_UNION) &&
		    !t->via_typedef)
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
	bool cond = open_cond(b, &it->cond, h->u->arch);
	comment(b, 0, it->desc);
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
	buf_putc(b, '\n');
}

static void emit_xmacro(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond = open_cond(b, &it->cond, h->u->arch);
	size_t i, k;
	comment(b, 0, it->desc);
	for (i = 0; i < it->nentries; i++) {
		const XEntry *x = &it->entries[i];
		bool xc = open_cond(b, &x->cond, h->u->arch);
		comment(b, 0, x->desc);
		buf_printf(b, "%s(", it->name);
		for (k = 0; k < x->nargs; k++)
			buf_printf(b, "%s%s", k ? ", " : "", x->args[k]);
		buf_puts(b, ")\n");
		if (xc)
			buf_puts(b, "#endif\n");
	}
	if (cond)
		buf_puts(b, "#endif\n");
	buf_putc(b, '\n');
}

static void emit_ring(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond = open_cond(b, &it->cond, h->u->arch);
	comment(b, 0, it->desc);
	buf_printf(b, "DEFINE_RING_TYPES(%s, ", it->name);
	if (it->ring_req)
		type_c_name(b, it->ring_req);
	buf_puts(b, ", ");
	if (it->ring_rsp)
		type_c_name(b, it->ring_rsp);
	buf_puts(b, ");\n");
	if (cond)
		buf_puts(b, "#endif\n");
	buf_putc(b, '\n');
}

/* typedef T name; or one per architecture. */
static void emit_alias(Header *h, const Item *it)
{
	Buf *b = &h->body;
	bool cond = open_cond(b, &it->cond, h->u->arch);
	comment(b, 0, it->desc);
	if (it->alias) {
		buf_puts(b, "typedef ");
		decl(h, b, it->alias, it->name, 0, 0);
		buf_puts(b, ";\n");
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
			if (!it->arch_alias[chain[k]])
				continue;
			buf_printf(b, "#%s %s\ntypedef ", n++ ? "elif" : "if", conds[k]);
			decl(h, b, it->arch_alias[chain[k]], it->name, 0, 0);
			buf_puts(b, ";\n");
		}
		buf_puts(b, "#endif\n");
	}
	if ((h->pointed[it->index] || it->c.handle) &&
	    !hmap_gets(h->handles, it->name))
		buf_printf(b, "DEFINE_XEN_GUEST_HANDLE(%s);\n", it->name);
	if (cond)
		buf_puts(b, "#endif\n");
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
			arch_includes(b, h, s);
		} else {
			buf_puts(b, "#include \"");
			include_path(b, h, inc->unit);
			buf_puts(b, "\"\n");
		}
		buf_putc(b, '\n');
	}
}

/* Guest handles this header needs: for primitive pointees that xen.h
 * lacks, and typedefs and handles of its own structs and unions.  They come
 * before every type, so that a struct can point to itself or to one
 * defined after it (a typedef of an incomplete struct is fine). */
static void handles(Buf *b, const Header *h)
{
	size_t i;
	int p;
	Buf n = {0};
	for (i = 0; i < h->u->nitems; i++) {
		const Item *it = h->u->items[i];
		const char *td;
		bool cond;
		if ((it->kind != IT_STRUCT && it->kind != IT_UNION) || it->inline_type)
			continue;
		buf_clear(&n);
		td = c_typedef_name(&n, it, h->pointed[it->index]);
		if (!td)
			continue;
		cond = open_cond(b, &it->cond, h->u->arch);
		buf_printf(b, "typedef %s %s %s;\n", item_kind_name(it->kind),
			   it->name, td);
		if ((h->pointed[it->index] || it->c.handle) &&
		    !hmap_gets(h->handles, td))
			buf_printf(b, "DEFINE_XEN_GUEST_HANDLE(%s);\n", td);
		if (cond)
			buf_puts(b, "#endif\n");
		buf_putc(b, '\n');
	}
	buf_free(&n);
	for (p = 0; p < NPRIMS; p++) {
		if (!h->need_handle[p] || hmap_gets(h->handles, c_handle[p].name))
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
		      const bool *pointed, const HMap *own, const Unit *u,
		      Item **types, size_t ntypes)
{
	Header h;
	Buf file = {0}, name = {0}, guard = {0};
	size_t i;
	static const ItemKind first[] = {IT_CONST, IT_MACRO, IT_ENUM, IT_BITMAP,
					 IT_XMACRO};
	size_t k;

	memset(&h, 0, sizeof h);
	h.o = o;
	h.u = u;
	h.pointed = pointed;
	h.handles = own;
	for (k = 0; k < ARRAY_LEN(first); k++) {
		for (i = 0; i < u->nitems; i++) {
			const Item *it = u->items[i];
			if (it->kind != first[k] || it->made_by)
				continue;
			if (it->kind == IT_CONST)
				emit_const(&h, it);
			else if (it->kind == IT_MACRO)
				emit_macro(&h, it);
			else if (it->kind == IT_XMACRO)
				emit_xmacro(&h, it);
			else if (it->kind == IT_ENUM)
				emit_enum(&h, it);
			else
				emit_bitmap(&h, it);
		}
	}
	for (i = 0; i < ntypes; i++) {
		if (types[i]->made_by)
			continue;
		if (types[i]->kind == IT_ALIAS)
			emit_alias(&h, types[i]);
		else
			emit_record(&h, types[i]);
	}
	for (i = 0; i < u->nitems; i++) {
		if (u->items[i]->kind == IT_HANDLE)
			emit_handle(&h, u->items[i]);
		else if (u->items[i]->kind == IT_RING)
			emit_ring(&h, u->items[i]);
	}

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

/* Which structs, unions and aliases some pointer targets: those get a
 * guest handle, as in Xen's own headers. */
static bool *find_pointed(Spec *s)
{
	bool *pointed = xcalloc(s->nitems + 1, sizeof *pointed);
	size_t i, j;
	int a;
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		for (j = 0; j < it->nfields + (it->kind == IT_ALIAS); j++) {
			const Type *t = it->kind == IT_ALIAS ? it->alias
							     : it->fields[j].type;
			while (t && t->kind == TY_ARRAY)
				t = t->elem;
			if (!t || (t->kind != TY_PTR && t->kind != TY_HANDLE) ||
			    t->elem->kind != TY_NAMED || !t->elem->sym)
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
	UnitOrder order;
	HMap own;
	size_t i, k, n;

	(void)d;
	hmap_init(&own);
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_HANDLE)
			hmap_put(&own, s->items[i]->name,
				 strlen(s->items[i]->name), s->items[i]);
	/* Types in dependency order: the named structs, unions and aliases
	 * (inline types are written inside their item). */
	order_units(s, &order);
	for (i = 0; i < s->nunits; i++) {
		Item **types = order.items[i];
		for (k = n = 0; k < order.count[i]; k++) {
			Item *it = types[k];
			if (!it->inline_type && (it->kind == IT_STRUCT ||
						 it->kind == IT_UNION ||
						 it->kind == IT_ALIAS))
				types[n++] = it;
		}
		emit_unit(s, o, out, pointed, &own, s->units[i], types, n);
	}
	order_units_free(&order);
	free(pointed);
	hmap_free(&own);
}
