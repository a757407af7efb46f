/*
 * emit_layout.c - layout assertions in C (-l c-layout).
 *
 * The layout engine computes every size, alignment and offset without a
 * compiler; these files let the compilers that really build the code check
 * each number.  One file per unit, <unit>_layout.h, includes the unit's
 * generated header (or, with --against-header, hand-written headers: the
 * migration check "does my spec describe the ABI Xen ships today?") and
 * asserts, for every target, selected by its predefined macros:
 *
 *   sizeof, alignment and the offset of every field of every struct;
 *   the value of every enumerator and bitmap macro.
 *
 * C11 and C++11 get _Static_assert/static_assert with a message naming the
 * type, the field and the target; older dialects get the negative array
 * size idiom, whose typedef name carries the same words so that the
 * compiler's "size of array ... is negative" still says what failed.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

typedef struct Asserts {
	Buf *b;
	const char *target;
	unsigned counter;
} Asserts;

static const char prologue[] =
	"#include <stddef.h>\n"
	"\n"
	"#ifndef XBG_STATIC_ASSERT\n"
	"#if defined(__cplusplus) && __cplusplus >= 201103L\n"
	"#define XBG_STATIC_ASSERT(cond, msg, name) static_assert(cond, msg)\n"
	"#define XBG_ALIGNOF(type) alignof(type)\n"
	"#elif !defined(__cplusplus) && defined(__STDC_VERSION__) && "
	"__STDC_VERSION__ >= 201112L\n"
	"#define XBG_STATIC_ASSERT(cond, msg, name) _Static_assert(cond, msg)\n"
	"#define XBG_ALIGNOF(type) _Alignof(type)\n"
	"#else\n"
	"/* No static assertions: a negative array size fails instead, and the\n"
	" * array's name says what. */\n"
	"#define XBG_STATIC_ASSERT(cond, msg, name) typedef char name[(cond) ? 1 : -1]\n"
	"#ifndef __cplusplus\n"
	"#define XBG_ALIGNOF(type) offsetof(struct { char c; type x; }, x)\n"
	"#endif\n"
	"#endif\n"
	"#endif\n";

/* One assertion: expr == value.  what is "size", "align", "offset",
 * "value"; field may be NULL. */
static void assert_eq(Asserts *A, const char *expr, const char *type,
		      const char *field, const char *what, const char *value)
{
	Buf *b = A->b, id = {0};
	const char *p;
	/* the array's name: the same words, as an identifier */
	for (p = field ? field : ""; *p; p++)
		if (*p == '.')
			buf_puts(&id, "__");
		else if (*p != '[' && *p != ']')
			buf_putc(&id, *p);
	buf_printf(b, "XBG_STATIC_ASSERT(%s == %s,\n    \"%s%s%s: %s is not %s on %s\",\n"
		      "    xbg_%s__%s%s%s__%s_%u);\n",
		   expr, value, type, field ? "." : "", field ? field : "", what,
		   value, A->target, A->target, type, field ? "__" : "",
		   buf_cstr(&id), what, A->counter++);
	buf_free(&id);
}

static void num(char *out, size_t n, uint64_t v)
{
	snprintf(out, n, "%llu", (unsigned long long)v);
}

/* Does anything in the item's layout depend on the kind of build or on
 * the interface version?  Its numbers then hold for tools and hypervisor
 * builds only (1), or for the hypervisor only (2), which is what the engine
 * describes. */
static int build_dependent(const Item *it)
{
	size_t i;
	int dep = 0, d;
	if (it->cond.hypervisor)
		return 2;
	if (it->cond.tools || it->cond.since || it->cond.until)
		dep = 1;
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		const Type *t = f->type;
		if (f->cond.hypervisor)
			return 2;
		if (f->cond.tools || f->cond.since || f->cond.until)
			dep = 1;
		while (t->kind == TY_ARRAY)
			t = t->elem;
		if (t->kind == TY_INLINE && (d = build_dependent(t->item)) > dep)
			dep = d;
	}
	return dep;
}

/* Offsets of the fields of it (an item laid out at base within top), by
 * member designator path: inline members are checked through their parent,
 * since they have no type name of their own. */
static void field_asserts(Asserts *A, const Item *top, const Item *it,
			  int t, uint64_t base, const char *prefix)
{
	const Layout *l = it->layout[t];
	Buf e = {0}, path = {0};
	char v[32];
	size_t i;
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		const Type *ft = f->type;
		if (!l->fields[i].present)
			continue;
		while (ft->kind == TY_ARRAY)
			ft = ft->elem;
		if (!f->name) {
			/* anonymous member: its fields are the parent's */
			field_asserts(A, top, ft->item, t, base + l->fields[i].offset,
				      prefix);
			continue;
		}
		buf_clear(&path);
		buf_printf(&path, "%s%s", prefix, f->name);
		if (f->bits)
			continue; /* offsetof cannot take a bitfield */
		buf_clear(&e);
		buf_printf(&e, "offsetof(%s %s, %s)", item_kind_name(top->kind),
			   top->name, buf_cstr(&path));
		num(v, sizeof v, base + l->fields[i].offset);
		assert_eq(A, buf_cstr(&e), top->name, buf_cstr(&path), "offset", v);
		if (ft->kind == TY_INLINE) {
			buf_clear(&e);
			buf_printf(&e, "sizeof(((%s %s *)0)->%s)",
				   item_kind_name(top->kind), top->name, buf_cstr(&path));
			num(v, sizeof v, ft->item->layout[t]->size);
			assert_eq(A, buf_cstr(&e), top->name, buf_cstr(&path), "size", v);
			if (f->type->kind == TY_ARRAY)
				buf_puts(&path, "[0]");
			buf_putc(&path, '.');
			field_asserts(A, top, ft->item, t, base + l->fields[i].offset,
				      buf_cstr(&path));
		}
	}
	buf_free(&e);
	buf_free(&path);
}

static void type_asserts(Asserts *A, const Item *it, int t)
{
	const Layout *l = it->layout[t];
	Buf e = {0};
	char v[32];
	if (it->kind == IT_ALIAS)
		buf_puts(&e, it->name);
	else
		buf_printf(&e, "%s %s", item_kind_name(it->kind), it->name);
	{
		Buf x = {0};
		buf_printf(&x, "sizeof(%s)", buf_cstr(&e));
		num(v, sizeof v, l->size);
		assert_eq(A, buf_cstr(&x), it->name, NULL, "size", v);
		buf_clear(&x);
		buf_printf(A->b, "#ifdef XBG_ALIGNOF\n");
		buf_printf(&x, "XBG_ALIGNOF(%s)", buf_cstr(&e));
		num(v, sizeof v, l->align);
		assert_eq(A, buf_cstr(&x), it->name, NULL, "align", v);
		buf_printf(A->b, "#endif\n");
		buf_free(&x);
	}
	if (it->kind == IT_STRUCT || it->kind == IT_UNION)
		field_asserts(A, it, it, t, 0, "");
	buf_free(&e);
}

/* The sub-op number of a struct that is a hypercall argument. */
static void op_assert(Asserts *A, const Item *it)
{
	char v[32];
	num(v, sizeof v, (uint64_t)it->op_cmd);
	assert_eq(A, it->op_name, it->name, "op", "value", v);
}

/* #if for a condition (of a variant or bit, or of the whole unit). */
static bool open_cond(Buf *b, const Cond *c)
{
	Buf e = {0};
	bool any = c_cond(&e, c, -1);
	if (any)
		buf_printf(b, "#if %s\n", buf_cstr(&e));
	buf_free(&e);
	return any;
}

/* Enumerators, bit macros and constants do not depend on the target. */
static void value_asserts(Asserts *A, const Item *it, bool against)
{
	Buf e = {0}, v = {0};
	size_t i, k;
	bool wide = it->backing == P_U64 || it->backing == P_U64_PLAIN;
	const char *suffix = wide ? "ULL" : "U";
	uint64_t all = 0;
	if (it->kind == IT_CONST) {
		buf_printf(&v, "%lld%s", (long long)it->value,
			   it->value > INT32_MAX || it->value < INT32_MIN ? "LL" : "");
		assert_eq(A, it->name, it->name, NULL, "value", buf_cstr(&v));
		for (k = 0; k < it->c.ncompat; k++)
			assert_eq(A, it->c.compat[k], it->name, it->c.compat[k], "value",
				  buf_cstr(&v));
		buf_free(&v);
		return;
	}
	for (i = 0; i < it->nvariants; i++) {
		const Variant *var = &it->variants[i];
		bool vc = open_cond(A->b, &var->cond);
		buf_clear(&e);
		buf_clear(&v);
		c_member_macro(&e, it, var->name);
		buf_printf(&v, "%lld", (long long)var->value);
		assert_eq(A, buf_cstr(&e), it->name, var->name, "value", buf_cstr(&v));
		for (k = 0; k < var->ncompat; k++)
			assert_eq(A, var->compat[k], it->name, var->compat[k], "value",
				  buf_cstr(&v));
		if (vc)
			buf_puts(A->b, "#endif\n");
	}
	for (i = 0; i < it->nbits; i++) {
		const Bit *bit = &it->bits[i];
		uint64_t mask = (bit->width >= 64 ? ~(uint64_t)0
				 : (((uint64_t)1 << bit->width) - 1)) << bit->shift;
		bool bc = open_cond(A->b, &bit->cond);
		buf_clear(&e);
		buf_clear(&v);
		c_member_macro(&e, it, bit->name);
		all |= mask;
		if (bit->width > 1) {
			buf_puts(&e, "_mask");
			buf_printf(&v, "0x%llX%s", (unsigned long long)mask, suffix);
		} else {
			buf_printf(&v, "(1%s << %lld)", suffix, (long long)bit->shift);
		}
		assert_eq(A, buf_cstr(&e), it->name, bit->name, "value", buf_cstr(&v));
		for (k = 0; k < bit->ncompat; k++)
			assert_eq(A, bit->compat[k], it->name, bit->compat[k], "value",
				  buf_cstr(&v));
		if (bit->width == 1 && (bit->bit_number > 0 ||
					(bit->bit_number < 0 && it->c.bit_numbers))) {
			buf_clear(&e);
			buf_clear(&v);
			buf_putc(&e, '_');
			c_member_macro(&e, it, bit->name);
			buf_printf(&v, "%lld", (long long)bit->shift);
			assert_eq(A, buf_cstr(&e), it->name, bit->name, "bit_number",
				  buf_cstr(&v));
		}
		if (bc)
			buf_puts(A->b, "#endif\n");
	}
	/* the mask of all bits, unless the spec says the header has none */
	if (it->kind == IT_BITMAP && (!against || it->c.all)) {
		buf_clear(&e);
		buf_clear(&v);
		if (c_all_macro(&e, it)) {
			buf_printf(&v, "0x%llX%s", (unsigned long long)all, suffix);
			assert_eq(A, buf_cstr(&e), it->name, "ALL", "value", buf_cstr(&v));
		}
	}
	buf_free(&e);
	buf_free(&v);
}

/* #if for an item's own conditions; without its targets when the caller
 * is inside a target's block already. */
static bool open_item_cond(Buf *b, const Item *it, bool keep_targets)
{
	Cond c = it->cond;
	Buf e = {0};
	bool any;
	if (!keep_targets)
		c.targets = 0;
	any = c_cond(&e, &c, -1);
	if (any)
		buf_printf(b, "#if %s\n", buf_cstr(&e));
	buf_free(&e);
	return any;
}

/* Named types have layouts to check; inline ones are checked through the
 * item they are in. */
static bool is_type(const Item *it)
{
	return !it->inline_type && (it->kind == IT_STRUCT || it->kind == IT_UNION ||
				    it->kind == IT_ALIAS);
}

static void emit_unit(Spec *s, const EmitOptions *o, OutSet *out,
		      const Unit *u)
{
	Buf b = {0}, name = {0};
	Asserts A;
	size_t i, k;
	int t;
	const char *p;
	bool unit_cond;

	(void)s;
	A.b = &b;
	A.counter = 0;
	buf_puts(&b, "/*\n * Layout assertions for ");
	c_comment_text(&b, u->name);
	buf_puts(&b, "\n *\n * AUTOGENERATED. DO NOT MODIFY: this file is "
		     OUTPUT_MARKER " from\n");
	for (i = 0; i < u->nfiles; i++) {
		buf_puts(&b, " *   ");
		c_comment_text(&b, u->files[i].relpath);
		buf_putc(&b, '\n');
	}
	buf_puts(&b, " * Regenerate with:\n *   ");
	c_comment_text(&b, o->regen_cmd);
	buf_puts(&b, "\n *\n * Every number below comes from xenbindgen's layout "
		     "engine; compiling this\n * file proves the compiler "
		     "agrees on the selected target.\n */\n");
	buf_puts(&b, "#ifndef __XEN_AUTOGEN_LAYOUT_");
	for (p = u->name; *p; p++)
		buf_putc(&b, (char)(*p == '-' || *p == '/' ? '_'
			      : (*p >= 'a' && *p <= 'z') ? *p - 32 : *p));
	buf_puts(&b, "_H\n#define __XEN_AUTOGEN_LAYOUT_");
	for (p = u->name; *p; p++)
		buf_putc(&b, (char)(*p == '-' || *p == '/' ? '_'
			      : (*p >= 'a' && *p <= 'z') ? *p - 32 : *p));
	buf_puts(&b, "_H\n\n");
	if (o->nagainst) {
		for (k = 0; k < o->nagainst; k++)
			buf_printf(&b, "#include \"%s\"\n", o->against[k]);
	} else {
		/* the header is in the same directory */
		unit_file_name(&name, u, o->keep_dashes);
		buf_printf(&b, "#include \"%s.h\"\n", path_base(buf_cstr(&name)));
		buf_clear(&name);
	}
	buf_puts(&b, prologue);
	/* a unit-wide condition holds for every assertion */
	unit_cond = u->header.set && open_cond(&b, &u->header.cond);

	A.target = "any";
	buf_puts(&b, "\n/* Values: the same on every target. */\n");
	for (i = 0; i < u->nitems; i++) {
		const Item *it = u->items[i];
		bool cond;
		if (it->kind != IT_ENUM && it->kind != IT_BITMAP && it->kind != IT_CONST)
			continue;
		/* outside the per-target blocks: a value that exists on some
		 * targets only is checked there only */
		cond = open_item_cond(&b, it, true);
		value_asserts(&A, it, o->nagainst > 0);
		if (cond)
			buf_puts(&b, "#endif\n");
	}
	for (i = 0; i < u->nitems; i++) {
		const Item *it = u->items[i];
		bool cond;
		if (!it->op_family)
			continue;
		cond = open_item_cond(&b, it, true);
		op_assert(&A, it);
		if (cond)
			buf_puts(&b, "#endif\n");
	}

	for (t = 0; t < NTARGETS; t++) {
		bool any = false;
		for (i = 0; i < u->nitems; i++)
			any |= is_type(u->items[i]) && u->items[i]->layout[t] != NULL;
		if (!any)
			continue;
		A.target = targets[t].name;
		buf_printf(&b, "\n#if %s\n", targets[t].cond);
		for (i = 0; i < u->nitems; i++) {
			const Item *it = u->items[i];
			bool cond;
			int tools;
			if (!is_type(it) || !it->layout[t])
				continue;
			cond = open_item_cond(&b, it, false);
			tools = build_dependent(it);
			if (tools == 2 && !it->cond.hypervisor)
				buf_puts(&b, "#if defined(__XEN__)\n");
			else if (tools == 1 && !it->cond.tools && !it->cond.hypervisor)
				buf_puts(&b, "#if defined(__XEN__) || defined(__XEN_TOOLS__)\n");
			else
				tools = 0;
			type_asserts(&A, it, t);
			if (tools)
				buf_puts(&b, "#endif\n");
			if (cond)
				buf_puts(&b, "#endif\n");
		}
		buf_printf(&b, "#endif /* %s */\n", targets[t].name);
	}
	if (unit_cond)
		buf_puts(&b, "#endif\n");
	buf_puts(&b, "\n#endif\n");

	unit_file_name(&name, u, o->keep_dashes);
	buf_puts(&name, o->keep_dashes ? "-layout.h" : "_layout.h");
	outset_add(out, buf_cstr(&name), &b);
	buf_free(&name);
}

void emit_c_layout(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	size_t i;
	(void)d;
	for (i = 0; i < s->nunits; i++)
		emit_unit(s, o, out, s->units[i]);
}
