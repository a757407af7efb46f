/*
 * rust_items.c - the declarations of each item, as rustfmt would write
 * them, and its layout assertions.
 *
 * Constants are typed; aliases are type aliases; enums and bitmaps are
 * newtypes over their backing integer with a constant per variant or bit
 * (open: any value the other side writes is valid); structs and unions
 * are #[repr(C)] with an all-zero Default, a marker trait for the
 * argument of an op, and accessors for bitfields (rust_plan.c).  Content
 * that exists on some targets only, or differs between them, is selected
 * by cfg (rust_cfg.c).  The repetitive impls are macro calls, expanded by
 * the macros of the prelude (src/emit/rust_prelude/), which rustfmt leaves
 * alone.
 */
#include "emit/rust.h"

#include <stdlib.h>
#include <string.h>

/* ---- Types ------------------------------------------------------------------ */

static const char *const rust_prim[NPRIMS] = {
	[P_U8] = "u8",       [P_U16] = "u16",
	[P_U32] = "u32",     [P_U64] = "crate::Align64<u64>",
	[P_I8] = "i8",       [P_I16] = "i16",
	[P_I32] = "i32",     [P_I64] = "crate::Align64<i64>",
	[P_CHAR] = "::core::ffi::c_char",
	[P_INT] = "::core::ffi::c_int",
	[P_UINT] = "::core::ffi::c_uint",
	[P_LONG] = "::core::ffi::c_long",
	[P_ULONG] = "::core::ffi::c_ulong",
	[P_U64_PLAIN] = "u64", [P_I64_PLAIN] = "i64",
	[P_UCHAR] = "::core::ffi::c_uchar",
	[P_SCHAR] = "::core::ffi::c_schar",
	[P_SHORT] = "::core::ffi::c_short",
	[P_USHORT] = "::core::ffi::c_ushort",
	[P_LLONG] = "::core::ffi::c_longlong",
	[P_ULLONG] = "::core::ffi::c_ulonglong",
	[P_VOID] = "::core::ffi::c_void", /* a pointee only */
};

/* The integer behind an enum or bitmap newtype, and the pointee of a
 * handle: u64 rather than Align64<u64>, the alignment is the field's. */
static const char *plain_prim(Prim p)
{
	return p == P_U64 ? "u64" : p == P_I64 ? "i64" : rust_prim[p];
}

/* A named type as seen from unit `from`: its own items by name, common
 * items by path, per-architecture items through crate::arch. */
static void named_path(Rust *R, Buf *b, const Unit *from, const Symbol *sym,
		       int target)
{
	const Item *it = sym->split ? symbol_item_on(sym, target) : NULL;
	if (!it)
		it = symbol_any(sym);
	if (sym->split && resolve_split_targets(it->unit)) {
		/* defined per target below an architecture's directory:
		 * re-exported by the architecture's module (rust.c), one
		 * path on each of its targets */
		const Mod *m = R->unit_mod[it->unit->index];
		while (m->parent && m->parent != &R->root)
			m = m->parent;
		buf_printf(b, "%s::", m->path);
	} else if (it->unit->arch < 0) {
		if (it->unit != from)
			buf_printf(b, "%s::", R->unit_mod[it->unit->index]->path);
	} else if (from->arch < 0) {
		buf_puts(b, "crate::arch::");
	}
	buf_puts(b, R->info[it->index].name);
}

/* The constant that an array's length names alone ("MAX_GUEST_CMDLINE"),
 * if the crate has it on target t: the length is then written as that
 * constant, as in C, rather than as its value. */
static const Symbol *length_const(const Rust *R, const Type *t, int target)
{
	const Expr *e = t->count_expr;
	const Item *c;
	while (e && e->kind == EX_PAREN)
		e = e->l;
	if (!e || e->kind != EX_NAME || !e->sym || e->member)
		return NULL;
	c = symbol_any(e->sym);
	if (!c || c->kind != IT_CONST || !in_mask(R->info[c->index].mask, target))
		return NULL;
	return e->sym;
}

/* The Rust type of t on target `target` (array lengths can be computed
 * from per-architecture sizes); field: a struct member (u64 is
 * Align64<u64>) rather than a pointee. */
static void rust_type(Rust *R, Buf *b, const Unit *from, const Type *t,
		      bool field, int target)
{
	uint64_t n;
	switch (t->kind) {
	case TY_PRIM:
		buf_puts(b, field ? rust_prim[t->prim] : plain_prim(t->prim));
		break;
	case TY_PTR:
	case TY_HANDLE:
		R->any_handle |= t->kind == TY_HANDLE;
		buf_puts(b, t->kind == TY_PTR ? "crate::GuestHandle64<"
					      : "crate::GuestHandle<");
		rust_type(R, b, from, t->elem, false, target);
		buf_putc(b, '>');
		break;
	case TY_CPTR:
		buf_puts(b, "*mut ");
		rust_type(R, b, from, t->elem, false, target);
		break;
	case TY_ARRAY:
		if (!t->flex && length_const(R, t, target)) {
			buf_putc(b, '[');
			rust_type(R, b, from, t->elem, field, target);
			buf_puts(b, "; ");
			named_path(R, b, from, length_const(R, t, target), target);
			buf_puts(b, " as usize]");
			break;
		}
		n = t->count;
		/* a flexible array: only its alignment counts; a length not
		 * laid out here: the layout reported why */
		if (t->flex || (t->count_expr &&
				expr_eval(t->count_expr, target, &n) != LAYOUT_OK))
			n = 0;
		buf_putc(b, '[');
		rust_type(R, b, from, t->elem, field, target);
		buf_printf(b, "; %llu]", (unsigned long long)n);
		break;
	case TY_NAMED:
		named_path(R, b, from, t->sym, target);
		break;
	case TY_INLINE:
		buf_puts(b, R->info[t->item->index].name);
		break;
	}
}

/* The texts of a declaration per target, grouped: usually one group, more
 * when an array length or an alias differs between architectures. */
typedef struct Variants {
	char *text[NTARGETS];
	TMask mask[NTARGETS];
	int n;
} Variants;

static void variants_add(Rust *R, Variants *v, int t, const char *text)
{
	int i;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->text[i], text) == 0)
			break;
	if (i == v->n) {
		v->text[v->n] = arena_strdup(&R->a, text);
		v->mask[v->n++] = 0;
	}
	v->mask[i] |= 1u << t;
}

/* ---- Declarations -------------------------------------------------------------
 * Each declaration is built on its own, then added to the module text.  A
 * code line wider than rustfmt's max_width that rustfmt would break in a
 * way not reproduced here gets the declaration a #[rustfmt::skip]; only
 * very long spec names get there. */

typedef struct Decl {
	Buf doc;  /* doc comment lines */
	Buf code; /* attributes and code */
	bool wide;
} Decl;

static void decl_line(Decl *dl, const char *fmt, ...)
{
	va_list ap;
	size_t start = dl->code.len;
	va_start(ap, fmt);
	buf_vprintf(&dl->code, fmt, ap);
	va_end(ap);
	if (dl->code.len - start > FMT_WIDTH + 1)
		dl->wide = true;
}

/* "<indent><head> <tail>" on one line, or as rustfmt breaks it when that
 * is too wide: "<indent><head>\n<indent+4><tail>". */
static void decl_split(Decl *dl, int indent, const char *head,
		       const char *tail)
{
	size_t one = (size_t)indent + strlen(head) + 1 + strlen(tail);
	if (one <= FMT_WIDTH) {
		buf_indent(&dl->code, indent);
		buf_printf(&dl->code, "%s %s\n", head, tail);
		return;
	}
	buf_indent(&dl->code, indent);
	decl_line(dl, "%s\n", head);
	buf_indent(&dl->code, indent + 4);
	decl_line(dl, "%s\n", tail);
	if ((size_t)indent + strlen(head) > FMT_WIDTH ||
	    (size_t)indent + 4 + strlen(tail) > FMT_WIDTH)
		dl->wide = true;
}

static void decl_end(Buf *out, Decl *dl)
{
	buf_putc(out, '\n');
	buf_put(out, dl->doc.data, dl->doc.len);
	if (dl->wide)
		buf_puts(out, "#[rustfmt::skip]\n");
	buf_put(out, dl->code.data, dl->code.len);
	buf_free(&dl->doc);
	buf_free(&dl->code);
	memset(dl, 0, sizeof *dl);
}

/* The cfg of an item's declarations, within its module. */
static void item_cfg(Rust *R, Buf *b, const Item *it)
{
	MetaPool mp;
	mp.n = 0;
	cfg_attr(b, 0, cfg_decl(&mp, R->info[it->index].mask,
				cfg_view_mask(R, it->unit)), &mp);
}

/* ---- What a module gets at its end ---------------------------------------------
 * The layout assertions of a module's items, one assert_layout! call per
 * group of targets (those of most items agree, so a module has a few), and
 * their Default impls and byte views, one plain_data! and as_bytes! call
 * per cfg: rather than a block and impls per item, which were most of the
 * crate's text. */

/* The block of list *v whose attribute is attr, added if there is none. */
static struct Block *block(Rust *R, struct Block **v, size_t *n, size_t *cap,
			   const char *attr)
{
	size_t i;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].attr, attr) == 0)
			return &(*v)[i];
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[*n].attr = arena_strdup(&R->a, attr);
	memset(&(*v)[*n].body, 0, sizeof (*v)[*n].body);
	return &(*v)[(*n)++];
}

/* "item," or "name: offset," added to a list that starts each line at
 * `indent`, a new line when it would pass rustfmt's max_width (the macro
 * bodies are left alone by rustfmt; this keeps them readable). */
static void list_add(Buf *b, size_t *col, int indent, const char *text)
{
	size_t len = strlen(text);
	if (*col && *col + 1 + len <= FMT_WIDTH) {
		buf_putc(b, ' ');
		*col += 1;
	} else {
		if (*col)
			buf_putc(b, '\n');
		buf_indent(b, indent);
		*col = (size_t)indent;
	}
	buf_puts(b, text);
	*col += len;
}

/* The assertions of one item, for each group of targets that share the
 * engine's layout, with the fields present there: an entry of the
 * module's call for that group. */
static void emit_layout(Rust *R, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	bool sel[NTARGETS];
	int group[NTARGETS], g, t;
	size_t j;
	Buf attr = {0};
	for (t = 0; t < NTARGETS; t++)
		sel[t] = in_mask(in->mask, t);
	layout_groups(it, sel, group);
	for (g = 0; g < NTARGETS; g++) {
		MetaPool mp;
		TMask m = 0;
		const Layout *l = it->layout[g];
		struct Block *bl;
		Buf *out;
		size_t col = 0;
		if (group[g] != g)
			continue;
		for (t = g; t < NTARGETS; t++)
			if (group[t] == g)
				m |= 1u << t;
		mp.n = 0;
		buf_clear(&attr);
		cfg_attr(&attr, 0, cfg_layout(&mp, m), &mp);
		bl = block(R, &R->asserts, &R->nasserts, &R->asserts_cap,
			   buf_cstr(&attr));
		out = &bl->body;
		buf_printf(out, "    %s: size %llu, align %llu", in->name,
			   (unsigned long long)l->size,
			   (unsigned long long)l->align);
		for (j = 0; j < it->nfields; j++) {
			int bg = in->bitgroup ? in->bitgroup[j] : 0;
			char *e;
			if (!in->mname[j] || !l->fields[j].present ||
			    (bg && j && in->bitgroup[j - 1] == bg))
				continue;
			if (!col)
				buf_puts(out, " {\n");
			if (bg) {
				uint64_t start, end;
				plan_run_bytes(it, l, in->bitgroup, j, &start,
					       &end);
				e = arena_printf(&R->a, "_bitfield_%d: %llu,", bg,
						 (unsigned long long)start);
			} else
				e = arena_printf(&R->a, "%s: %llu,", in->mname[j],
						 (unsigned long long)l->fields[j].offset);
			list_add(out, &col, 8, e);
		}
		buf_puts(out, col ? "\n    };\n" : ";\n");
		R->any_layout = true;
	}
	buf_free(&attr);
}

/* Whether a value of type t may hold bytes that are not initialised, on
 * target `target`: implicit padding (the ABI rules forbid it, but a spec
 * may waive them), or a union with a member smaller than itself (what a
 * smaller member's assignment leaves), in it or in a type it holds. */
static bool padded_type(const Type *t, int target);

static bool padded_item(const Item *it, int target)
{
	const Layout *l = it->layout[target];
	Hole *holes;
	size_t j, n;
	if (it->kind == IT_ALIAS) {
		const Type *a = it->alias ? it->alias
				: it->arch_alias[targets[target].arch];
		return a && padded_type(a, target);
	}
	if (it->kind != IT_STRUCT && it->kind != IT_UNION)
		return false;
	if (!l)
		return true; /* not laid out here: assume the worst */
	holes = xcalloc(it->nfields + 1, sizeof *holes);
	n = layout_holes(it, l, holes);
	free(holes);
	if (n)
		return true;
	for (j = 0; j < it->nfields; j++) {
		if (!l->fields[j].present)
			continue;
		if (it->kind == IT_UNION && l->fields[j].size < l->size)
			return true;
		if (!it->fields[j].bits && padded_type(it->fields[j].type, target))
			return true;
	}
	return false;
}

static bool padded_type(const Type *t, int target)
{
	while (t->kind == TY_ARRAY)
		t = t->elem;
	if (t->kind == TY_INLINE)
		return padded_item(t->item, target);
	if (t->kind == TY_NAMED) {
		const Item *it = symbol_item_on(t->sym, target);
		return it && padded_item(it, target);
	}
	return false; /* integers, handles, pointers */
}

/* The type's Default and from_bytes, an entry of the module's
 * plain_data! call for the type's cfg, and its as_bytes, an entry of the
 * as_bytes! call for the targets where it has no padding, if any. */
static void emit_default(Rust *R, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Buf attr = {0};
	struct Block *bl;
	MetaPool mp;
	TMask plain = 0;
	int t;
	item_cfg(R, &attr, it);
	bl = block(R, &R->defaults, &R->ndefaults, &R->defaults_cap,
		   buf_cstr(&attr));
	buf_puts(&bl->body, in->name);
	buf_putc(&bl->body, '\0'); /* one name after the other */
	R->any_default = true;
	for (t = 0; t < NTARGETS; t++)
		if (in_mask(in->mask, t) && !padded_item(it, t))
			plain |= 1u << t;
	if (plain) {
		mp.n = 0;
		buf_clear(&attr);
		cfg_attr(&attr, 0, cfg_decl(&mp, plain, cfg_view_mask(R, it->unit)),
			 &mp);
		bl = block(R, &R->views, &R->nviews, &R->views_cap,
			   buf_cstr(&attr));
		buf_puts(&bl->body, in->name);
		buf_putc(&bl->body, '\0');
	}
	buf_free(&attr);
}

/* A macro call over a list of names, each ended by a NUL in body. */
static void name_list(Rust *R, Buf *out, const char *macro, struct Block *bl)
{
	size_t at, col = 0;
	buf_putc(out, '\n');
	buf_puts(out, bl->attr);
	buf_printf(out, "%s! {\n", macro);
	for (at = 0; at < bl->body.len; at += strlen(bl->body.data + at) + 1)
		list_add(out, &col, 4, arena_printf(&R->a, "%s,", bl->body.data + at));
	buf_puts(out, "\n}\n");
	buf_free(&bl->body);
}

void items_flush(Rust *R, Buf *out)
{
	size_t i;
	for (i = 0; i < R->ndefaults; i++)
		name_list(R, out, "plain_data", &R->defaults[i]);
	for (i = 0; i < R->nviews; i++)
		name_list(R, out, "as_bytes", &R->views[i]);
	for (i = 0; i < R->nasserts; i++) {
		struct Block *bl = &R->asserts[i];
		buf_putc(out, '\n');
		buf_puts(out, bl->attr);
		buf_puts(out, "assert_layout! {\n");
		buf_put(out, bl->body.data, bl->body.len);
		buf_puts(out, "}\n");
		buf_free(&bl->body);
	}
	R->ndefaults = R->nasserts = R->nviews = 0;
}

/* ---- Constants and aliases ------------------------------------------------------ */

/* Rust's fixed-width integer for a C type on a target. */
static const char *rust_ctype(CType t, int target)
{
	bool sig = ctype_signed(t, target);
	switch (ctype_bits(t, target)) {
	case 8: return sig ? "i8" : "u8";
	case 16: return sig ? "i16" : "u16";
	case 32: return sig ? "i32" : "u32";
	default: return sig ? "i64" : "u64";
	}
}

/* A value as a Rust literal: decimal, or hex if written so. */
static void rust_value(Buf *b, Value v, int target, bool hex)
{
	if (value_negative(v, target))
		buf_printf(b, "-%llu", (unsigned long long)((uint64_t)0 - v.v));
	else if (hex)
		buf_printf(b, "0x%llx", (unsigned long long)v.v);
	else
		buf_printf(b, "%llu", (unsigned long long)v.v);
}

/* A string as a Rust literal. */
static void rust_string(Buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\t')
			buf_puts(b, "\\t");
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

/* A constant given as a number is typed as the spec says, or as the
 * smallest of u32, u64, i32, i64 that holds it (as before expressions);
 * one given as an expression, or naming another constant, has its C type
 * and value on each target (as fixed-width integers), one declaration per
 * group of targets where both agree; a string is a &str. */
static void emit_const(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	const char *type;
	char val[40];
	Decl dl = {{0}, {0}, false};
	int64_t v = it->value;
	Variants vs;
	Buf text = {0};
	int t, i;
	bool hex = it->c.hex || (it->expr && it->expr->kind == EX_NUM &&
				 !it->expr->decimal);
	if (it->string) {
		comment_doc(&dl.doc, 0, it->desc, NULL);
		item_cfg(R, &dl.code, it);
		rust_string(&text, it->string);
		buf_putc(&text, ';');
		decl_split(&dl, 0, arena_printf(&R->a, "pub const %s: &str =",
						in->name), buf_cstr(&text));
		decl_end(out, &dl);
		buf_free(&text);
		return;
	}
	if (!it->int_value) {
		vs.n = 0;
		for (t = 0; t < NTARGETS; t++) {
			Value cv;
			if (!in_mask(in->mask, t) ||
			    const_value(R->s, (Item *)it, t, &cv) != EV_OK)
				continue;
			buf_clear(&text);
			buf_printf(&text, "%s = ", rust_ctype(cv.type, t));
			rust_value(&text, cv, t, hex);
			buf_putc(&text, ';');
			variants_add(R, &vs, t, buf_cstr(&text));
		}
		buf_free(&text);
		for (i = 0; i < vs.n; i++) {
			MetaPool mp;
			char *eq = strstr(vs.text[i], " = ");
			mp.n = 0;
			comment_doc(&dl.doc, 0, it->desc, NULL);
			cfg_attr(&dl.code, 0, cfg_decl(&mp, vs.mask[i],
						       cfg_view_mask(R, it->unit)), &mp);
			*eq = '\0';
			decl_split(&dl, 0, arena_printf(&R->a, "pub const %s: %s =",
							in->name, vs.text[i]), eq + 3);
			decl_end(out, &dl);
		}
		return;
	}
	if (it->const_type)
		type = plain_prim(it->const_type->prim);
	else if (v >= 0)
		type = (uint64_t)v <= UINT32_MAX ? "u32" : "u64";
	else
		type = v >= INT32_MIN ? "i32" : "i64";
	if (it->c.hex && v >= 0)
		snprintf(val, sizeof val, "0x%llx;", (unsigned long long)v);
	else
		snprintf(val, sizeof val, "%lld;", (long long)v);
	comment_doc(&dl.doc, 0, it->desc, NULL);
	item_cfg(R, &dl.code, it);
	decl_split(&dl, 0, arena_printf(&R->a, "pub const %s: %s =",
					 R->info[it->index].name, type), val);
	decl_end(out, &dl);
}

/* ---- Macros ------------------------------------------------------------------
 * A function-like macro is a `const fn` whose parameters are u64: the
 * macro applied to unsigned long long arguments, as C computes it.  Each
 * operation converts its operands as C's rules do, with explicit casts;
 * unsigned arithmetic wraps (wrapping_*), as C's does; what names no
 * parameter is computed here and written as a typed literal; calls of
 * other macros are expanded, as C expands them. */

typedef struct RExpr {
	Rust *R;
	const Item *m;
	int target;
	bool failed;
} RExpr;

static bool has_param(const Expr *e)
{
	size_t i;
	while (e) {
		if (e->kind == EX_PARAM || e->kind == EX_SIZEOF_PARAM)
			return true;
		if (e->kind == EX_CALL && e->expansion && has_param(e->expansion))
			return true;
		for (i = 0; i < e->nargs; i++)
			if (has_param(e->args[i]))
				return true;
		if (e->c && has_param(e->c))
			return true;
		if (e->r && has_param(e->r))
			return true;
		e = e->l;
	}
	return false;
}

static CType rtype_of(RExpr *X, const Expr *e)
{
	CType t = CT_INT;
	const char *why;
	if (eval_type(X->R->s, e, X->target, CT_ULLONG, &t, &why) != EV_OK)
		X->failed = true;
	return t;
}

static void rexpr(RExpr *X, Buf *b, const Expr *e);

/* e converted to C type t: "(e as T)", or e itself if it has that type. */
static void rconv(RExpr *X, Buf *b, const Expr *e, CType t)
{
	CType from = rtype_of(X, e);
	const char *rt = rust_ctype(t, X->target);
	if (strcmp(rust_ctype(from, X->target), rt) == 0) {
		rexpr(X, b, e);
		return;
	}
	buf_putc(b, '(');
	rexpr(X, b, e);
	buf_printf(b, " as %s)", rt);
}

static void rexpr(RExpr *X, Buf *b, const Expr *e)
{
	int target = X->target;
	CType t;
	const char *why;
	if (!has_param(e)) {
		Value v;
		if (eval_expr(X->R->s, e, target, &v, &why) != EV_OK) {
			X->failed = true;
			return;
		}
		buf_putc(b, '(');
		rust_value(b, v, target, false);
		buf_printf(b, "%s)", rust_ctype(v.type, target));
		return;
	}
	switch (e->kind) {
	case EX_PARAM:
		buf_puts(b, X->R->info[X->m->index].mname[e->param]);
		return;
	case EX_PAREN:
		rexpr(X, b, e->l);
		return;
	case EX_CAST:
		if (!ctype_of_prim(e->type->kind == TY_PRIM ? e->type->prim : P_VOID,
				   target, &t) && e->type->kind == TY_PRIM) {
			X->failed = true;
			return;
		}
		t = rtype_of(X, e);
		buf_putc(b, '(');
		rexpr(X, b, e->l);
		buf_printf(b, " as %s)", rust_ctype(t, target));
		return;
	case EX_CALL: {
		const Expr *x = eval_expansion(X->R->s, e, &why);
		if (!x) {
			X->failed = true;
			return;
		}
		rexpr(X, b, x);
		return;
	}
	case EX_UNARY:
		t = rtype_of(X, e);
		if (e->op == OP_LNOT) {
			buf_puts(b, "((");
			rexpr(X, b, e->l);
			buf_puts(b, " == 0) as i32)");
		} else if (e->op == OP_PLUS) {
			rconv(X, b, e->l, t);
		} else if (e->op == OP_NOT) {
			buf_puts(b, "(!");
			rconv(X, b, e->l, t);
			buf_putc(b, ')');
		} else if (ctype_signed(t, target)) {
			buf_puts(b, "(-");
			rconv(X, b, e->l, t);
			buf_putc(b, ')');
		} else {
			buf_putc(b, '(');
			rconv(X, b, e->l, t);
			buf_puts(b, ".wrapping_neg())");
		}
		return;
	case EX_COND:
		t = rtype_of(X, e);
		buf_puts(b, "(if ");
		rexpr(X, b, e->c);
		buf_puts(b, " != 0 { ");
		rconv(X, b, e->l, t);
		buf_puts(b, " } else { ");
		rconv(X, b, e->r, t);
		buf_puts(b, " })");
		return;
	case EX_BINARY: {
		CType lt = rtype_of(X, e->l), rt = rtype_of(X, e->r), ct;
		t = rtype_of(X, e);
		switch (e->op) {
		case OP_LAND:
		case OP_LOR:
			buf_puts(b, "((");
			rexpr(X, b, e->l);
			buf_printf(b, " != 0 %s ", expr_op_text(e->op));
			rexpr(X, b, e->r);
			buf_puts(b, " != 0) as i32)");
			return;
		case OP_SHL:
		case OP_SHR:
			buf_putc(b, '(');
			rconv(X, b, e->l, t);
			buf_printf(b, " %s ", expr_op_text(e->op));
			rconv(X, b, e->r, CT_UINT);
			buf_putc(b, ')');
			return;
		case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ:
		case OP_NE: {
			/* the operands' common type, not the result's int */
			Expr tmp = *e;
			tmp.op = OP_ADD;
			ct = rtype_of(X, &tmp);
			(void)lt;
			(void)rt;
			buf_puts(b, "((");
			rconv(X, b, e->l, ct);
			buf_printf(b, " %s ", expr_op_text(e->op));
			rconv(X, b, e->r, ct);
			buf_puts(b, ") as i32)");
			return;
		}
		case OP_ADD: case OP_SUB: case OP_MUL:
			if (!ctype_signed(t, target)) {
				buf_putc(b, '(');
				rconv(X, b, e->l, t);
				buf_printf(b, ".wrapping_%s(", e->op == OP_ADD ? "add"
					   : e->op == OP_SUB ? "sub" : "mul");
				rconv(X, b, e->r, t);
				buf_puts(b, "))");
				return;
			}
			break;
		default:
			break;
		}
		buf_putc(b, '(');
		rconv(X, b, e->l, t);
		buf_printf(b, " %s ", expr_op_text(e->op));
		rconv(X, b, e->r, t);
		buf_putc(b, ')');
		return;
	}
	default:
		X->failed = true;
		return;
	}
}

static void emit_macro(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Variants vs;
	Buf text = {0};
	int t, i;
	size_t k;
	vs.n = 0;
	for (t = 0; t < NTARGETS; t++) {
		RExpr X;
		CType rt;
		const char *why;
		if (!in_mask(in->mask, t))
			continue;
		X.R = R;
		X.m = it;
		X.target = t;
		X.failed = false;
		buf_clear(&text);
		buf_puts(&text, "(");
		for (k = 0; k < it->nparams; k++)
			buf_printf(&text, "%s%s: u64", k ? ", " : "", in->mname[k]);
		eval_type(R->s, it->expr, t, CT_ULLONG, &rt, &why);
		buf_printf(&text, ") -> %s {\n    ", rust_ctype(rt, t));
		rexpr(&X, &text, it->expr);
		buf_puts(&text, "\n}\n");
		if (X.failed)
			continue;
		variants_add(R, &vs, t, buf_cstr(&text));
	}
	buf_free(&text);
	for (i = 0; i < vs.n; i++) {
		Decl dl = {{0}, {0}, true};
		MetaPool mp;
		mp.n = 0;
		comment_doc(&dl.doc, 0, it->desc, NULL);
		cfg_attr(&dl.code, 0, cfg_decl(&mp, vs.mask[i],
					       cfg_view_mask(R, it->unit)), &mp);
		buf_puts(&dl.code, "#[allow(clippy::all, unused_parens)]\n");
		buf_printf(&dl.code, "pub const fn %s%s", in->name, vs.text[i]);
		decl_end(out, &dl);
	}
}

/* An alias is a type alias; per-architecture ones, or ones whose array
 * length differs, one per group of targets. */
static void emit_alias(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Variants v;
	Buf ty = {0};
	int t, i;
	v.n = 0;
	for (t = 0; t < NTARGETS; t++) {
		const Type *a = it->alias ? it->alias
				: it->arch_alias[targets[t].arch];
		if (!in_mask(in->mask, t) || !a)
			continue;
		buf_clear(&ty);
		rust_type(R, &ty, it->unit, a, true, t);
		buf_putc(&ty, ';');
		variants_add(R, &v, t, buf_cstr(&ty));
	}
	buf_free(&ty);
	for (i = 0; i < v.n; i++) {
		Decl dl = {{0}, {0}, false};
		MetaPool mp;
		mp.n = 0;
		comment_doc(&dl.doc, 0, it->desc, NULL);
		cfg_attr(&dl.code, 0, cfg_decl(&mp, v.mask[i],
					       cfg_view_mask(R, it->unit)), &mp);
		decl_split(&dl, 0, arena_printf(&R->a, "pub type %s =", in->name),
			   v.text[i]);
		decl_end(out, &dl);
	}
	emit_layout(R, it);
}

/* ---- Enums and bitmaps -------------------------------------------------------------- */

/* The newtype of an enum or bitmap: the backing integer's size and
 * alignment, so u64 and i64 (uint64_aligned_t) get align(8). */
static void newtype(Rust *R, Decl *dl, const Item *it)
{
	bool wide = it->backing == P_U64 || it->backing == P_I64;
	comment_doc(&dl->doc, 0, it->desc, NULL);
	item_cfg(R, &dl->code, it);
	decl_line(dl, "#[repr(%s)]\n", wide ? "C, align(8)" : "transparent");
	decl_line(dl, "#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]\n");
	decl_line(dl, "pub struct %s(pub %s);\n", R->info[it->index].name,
		  plain_prim(it->backing));
}

/* A constant of a newtype: "pub const NAME: Self = Self(value);", with a
 * cfg attribute where it exists on some targets only (cfg: a mask, or 0
 * for none). */
static void newtype_const(Rust *R, Decl *dl, const char *desc,
			  const char *fallback, TMask cfg, const char *name,
			  const char *value)
{
	comment_doc(&dl->code, 4, desc, fallback);
	if (cfg) {
		MetaPool mp;
		mp.n = 0;
		cfg_attr(&dl->code, 4, cfg_decl(&mp, cfg, 0), &mp);
	}
	decl_split(dl, 4, arena_printf(&R->a, "pub const %s: Self =", name),
		   arena_printf(&R->a, "Self(%s);", value));
}

/* The targets of a variant or bit that exists on some of its item's
 * targets only (for a cfg attribute), or 0 if it exists on all. */
static TMask member_cfg(const Rust *R, const Item *it, const Cond *c)
{
	TMask all = R->info[it->index].mask, m = cfg_cond_mask(all, c);
	return m == all ? 0 : m;
}

/* A macro call with lists of constants, which rustfmt leaves alone. */
static void macro_list(Buf *out, const char *const *names, const bool *pick,
		       size_t n)
{
	size_t i, k = 0;
	buf_putc(out, '{');
	for (i = 0; i < n; i++)
		if (names[i] && (!pick || pick[i])) {
			buf_printf(out, "\n        %s,", names[i]);
			k++;
		}
	buf_puts(out, k ? "\n    }" : "}");
}

static void emit_enum(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Decl dl = {{0}, {0}, false};
	bool *pick = arena_calloc(&R->a, it->nvariants + 1, sizeof *pick);
	size_t i;
	newtype(R, &dl, it);
	decl_end(out, &dl);
	if (it->nvariants) {
		item_cfg(R, &dl.code, it);
		decl_line(&dl, "impl %s {\n", in->name);
		for (i = 0; i < it->nvariants; i++) {
			const Variant *v = &it->variants[i];
			char val[32];
			if (!in->mname[i])
				continue; /* on no target of the crate */
			snprintf(val, sizeof val, "%lld", (long long)v->value);
			newtype_const(R, &dl, v->desc, NULL,
				      member_cfg(R, it, &v->cond), in->mname[i], val);
			pick[i] = !member_cfg(R, it, &v->cond);
		}
		buf_puts(&dl.code, "}\n");
		decl_end(out, &dl);
	}
	buf_putc(out, '\n');
	item_cfg(R, out, it);
	buf_printf(out, "open_enum! {\n    %s(%s) ", in->name,
		   plain_prim(it->backing));
	macro_list(out, in->mname, pick, it->nvariants);
	buf_puts(out, "\n}\n");
	emit_layout(R, it);
}

static void emit_bitmap(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Decl dl = {{0}, {0}, false};
	uint64_t all = 0;
	bool *single = arena_calloc(&R->a, it->nbits + 1, sizeof *single);
	bool *multi = arena_calloc(&R->a, it->nbits + 1, sizeof *multi);
	size_t i;
	char val[64];
	newtype(R, &dl, it);
	decl_end(out, &dl);
	item_cfg(R, &dl.code, it);
	decl_line(&dl, "impl %s {\n", in->name);
	for (i = 0; i < it->nbits; i++) {
		const Bit *bit = &it->bits[i];
		uint64_t mask = bit->width >= 64 ? UINT64_MAX
				: ((uint64_t)1 << bit->width) - 1;
		TMask cfg = member_cfg(R, it, &bit->cond);
		all |= mask << bit->shift;
		if (!in->mname[i])
			continue; /* on no target of the crate */
		single[i] = bit->width <= 1 && !cfg;
		multi[i] = bit->width > 1 && !cfg;
		if (bit->width <= 1)
			snprintf(val, sizeof val, "1");
		else
			snprintf(val, sizeof val, "0x%llx", (unsigned long long)mask);
		if (bit->shift)
			snprintf(val + strlen(val), sizeof val - strlen(val),
				 " << %lld", (long long)bit->shift);
		newtype_const(R, &dl, bit->desc, NULL, cfg, in->mname[i], val);
	}
	snprintf(val, sizeof val, "0x%llx", (unsigned long long)all);
	newtype_const(R, &dl, NULL, "Every bit defined above.", 0, "ALL", val);
	buf_puts(&dl.code, "}\n");
	decl_end(out, &dl);
	buf_putc(out, '\n');
	item_cfg(R, out, it);
	buf_printf(out, "bitmap! {\n    %s(%s) ", in->name,
		   plain_prim(it->backing));
	macro_list(out, in->mname, single, it->nbits);
	buf_puts(out, "\n    fields ");
	macro_list(out, in->mname, multi, it->nbits);
	buf_puts(out, "\n}\n");
	emit_layout(R, it);
}

/* ---- Structs and unions ------------------------------------------------------------ */

/* Padding and reserved fields of a struct, by their names: pad, pad1,
 * _pad, __pad, padding, rsvd, _rsvd2, reserved, __spacer (a name with
 * more after it, rsvd0_a, is an ordinary field).  They are private:
 * nothing outside the crate can set them, and Default, the way to make a
 * value, zeroes them, as the hypervisor expects. */
static bool private_field(const Item *it, const Field *f)
{
	static const char *const words[] = {"padding", "pad", "reserved",
					    "rsvd", "spacer", NULL};
	const char *p = f->name;
	size_t i, n;
	if (it->kind != IT_STRUCT || !p || f->bits)
		return false;
	while (*p == '_')
		p++;
	for (i = 0; words[i]; i++) {
		n = strlen(words[i]);
		if (strncmp(p, words[i], n) == 0 &&
		    strspn(p + n, "0123456789") == strlen(p + n))
			return true;
	}
	return false;
}

/* A field, or one per group of targets where its type differs; a run of
 * bitfields is one storage field. */
static void emit_field(Rust *R, Decl *dl, const Item *it, size_t j)
{
	const ItemInfo *in = &R->info[it->index];
	const Field *f = &it->fields[j];
	int bg = in->bitgroup ? in->bitgroup[j] : 0;
	Variants v;
	Buf ty = {0};
	int t, i;
	if (!in->mname[j] || (bg && j && in->bitgroup[j - 1] == bg))
		return;
	if (bg) {
		const Layout *ref = NULL;
		uint64_t start, end;
		size_t k;
		Buf d = {0};
		for (t = 0; t < NTARGETS && !ref; t++)
			if (in_mask(in->mask, t))
				ref = it->layout[t];
		plan_run_bytes(it, ref, in->bitgroup, j, &start, &end);
		buf_puts(&d, "The bytes of the bitfields");
		for (k = j; k < it->nfields && in->bitgroup[k] == bg; k++)
			buf_printf(&d, "%s `%s`", k > j ? "," : "", in->mname[k]);
		buf_puts(&d, ": use their accessors.");
		buf_indent(&dl->code, 4);
		buf_printf(&dl->code, "/// %s\n", buf_cstr(&d));
		buf_free(&d);
		decl_split(dl, 4, arena_printf(&R->a, "pub _bitfield_%d:", bg),
			   arena_printf(&R->a, "[u8; %llu],",
					(unsigned long long)(end - start)));
		return;
	}
	v.n = 0;
	for (t = 0; t < NTARGETS; t++) {
		if (!in_mask(cfg_field_mask(R, it, f), t))
			continue;
		buf_clear(&ty);
		rust_type(R, &ty, it->unit, f->type, true, t);
		buf_putc(&ty, ',');
		variants_add(R, &v, t, buf_cstr(&ty));
	}
	buf_free(&ty);
	for (i = 0; i < v.n; i++) {
		MetaPool mp;
		mp.n = 0;
		comment_doc(&dl->code, 4, f->desc, NULL);
		cfg_attr(&dl->code, 4, cfg_decl(&mp, v.mask[i], in->mask), &mp);
		decl_split(dl, 4, arena_printf(&R->a, "%s%s:",
						private_field(it, f) ? "" : "pub ",
						in->mname[j]), v.text[i]);
	}
}

/* Getters and setters of the bitfields, by a macro rustfmt leaves alone:
 * "name, set_name: storage, type, first bit, width;". */
static void emit_bitfields(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	size_t j;
	if (!in->nbitgroups)
		return;
	buf_putc(out, '\n');
	item_cfg(R, out, it);
	buf_printf(out, "bitfields! {\n    %s {\n", in->name);
	for (j = 0; j < it->nfields; j++) {
		const Field *f = &it->fields[j];
		if (!in->bitgroup[j])
			continue;
		comment_doc(out, 8, f->desc, NULL);
		buf_printf(out, "        %s, %s: _bitfield_%d, %s, %u, %u;\n",
			   in->mname[j], naming_setter(R, in->mname[j]),
			   in->bitgroup[j], plain_prim(f->type->prim),
			   in->bitshift[j], f->bits);
	}
	buf_puts(out, "    }\n}\n");
}

int64_t items_hypercall(const Rust *R, const char *family)
{
	size_t i, j;
	Buf m = {0}, want = {0};
	int64_t r = -1;
	buf_printf(&want, "__HYPERVISOR_%s", family);
	for (i = 0; i < R->s->nitems && r < 0; i++) {
		const Item *it = R->s->items[i];
		if (it->kind != IT_ENUM)
			continue;
		for (j = 0; j < it->nvariants && r < 0; j++) {
			if (strcmp(it->variants[j].name, family) != 0)
				continue;
			buf_clear(&m);
			c_member_macro(&m, it, family);
			if (strcmp(buf_cstr(&m), buf_cstr(&want)) == 0)
				r = it->variants[j].value;
		}
	}
	buf_free(&m);
	buf_free(&want);
	return r;
}

/* The u32 field of a struct named name, or NULL. */
static const Field *u32_field(const Item *it, const char *name)
{
	size_t j;
	for (j = 0; j < it->nfields; j++)
		if (it->fields[j].name && strcmp(it->fields[j].name, name) == 0)
			return it->fields[j].type->kind == TY_PRIM &&
			       it->fields[j].type->prim == P_U32 ? &it->fields[j] : NULL;
	return NULL;
}

/* The envelope of an op family, xen_<family> (xen_domctl, xen_sysctl):
 * with a u32 cmd and interface_version and a union u, and a constant
 * XEN_<FAMILY>_INTERFACE_VERSION that exists where it does, it gets
 * new(op), which sets them from the op struct: a struct of another family
 * does not compile. */
static void emit_envelope(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	const struct Family *fam = NULL;
	const Item *ver = NULL, *u = NULL;
	const Symbol *vs;
	Buf vname = {0}, vpath = {0};
	size_t i;
	for (i = 0; i < R->nfamilies; i++)
		if (strncmp(it->name, "xen_", 4) == 0 &&
		    strcmp(it->name + 4, R->families[i].name) == 0)
			fam = &R->families[i];
	if (!fam || it->kind != IT_STRUCT || !u32_field(it, "cmd") ||
	    !u32_field(it, "interface_version"))
		return;
	for (i = 0; i < it->nfields; i++) {
		const Type *t = it->fields[i].type;
		const Item *x = t->kind == TY_INLINE ? t->item
				: t->kind == TY_NAMED ? symbol_any(t->sym) : NULL;
		/* the union, inline or of the same unit (named directly) */
		if (it->fields[i].name && strcmp(it->fields[i].name, "u") == 0 &&
		    x && x->kind == IT_UNION && x->unit == it->unit)
			u = x;
	}
	buf_puts(&vname, "XEN_");
	name_upper(&vname, fam->name);
	buf_puts(&vname, "_INTERFACE_VERSION");
	vs = hmap_gets(&R->s->symbols, buf_cstr(&vname));
	if (vs && vs->common && vs->common->kind == IT_CONST)
		ver = vs->common;
	/* the constant must be a u32 as written (emit_const) */
	if (!u || !ver || (R->info[ver->index].mask & in->mask) != in->mask ||
	    !ver->int_value || ver->string ||
	    (ver->const_type ? ver->const_type->prim != P_U32
			     : ver->value < 0 || ver->value > UINT32_MAX)) {
		buf_free(&vname);
		return;
	}
	if (ver->unit != it->unit)
		buf_printf(&vpath, "%s::", R->unit_mod[ver->unit->index]->path);
	buf_puts(&vpath, R->info[ver->index].name);
	buf_putc(out, '\n');
	item_cfg(R, out, it);
	/* the widest line, for rustfmt */
	if (strlen(R->info[u->index].name) > 60 || strlen(buf_cstr(&vpath)) > 60)
		buf_puts(out, "#[rustfmt::skip]\n");
	buf_printf(out,
		   "impl %s {\n"
		   "    /// An envelope for `op`: `cmd` is `T::CMD`, `interface_version` is\n"
		   "    /// `%s`, `u` holds `op`, the rest is zero.\n"
		   "    pub fn new<T: crate::%s>(op: T) -> Self {\n"
		   "        let () = <T as crate::FitsIn<%s>>::OK;\n"
		   "        let mut e = Self {\n"
		   "            cmd: T::CMD,\n"
		   "            interface_version: %s,\n"
		   "            ..Self::default()\n"
		   "        };\n"
		   "        let at = (&mut e.u as *mut %s).cast::<T>();\n"
		   "        // SAFETY: T fits in the union (FitsIn), every bit pattern is\n"
		   "        // valid in the union, and the write needs no alignment.\n"
		   "        unsafe { ::core::ptr::write_unaligned(at, op) };\n"
		   "        e\n"
		   "    }\n"
		   "}\n",
		   in->name, buf_cstr(&vname), fam->trait, R->info[u->index].name,
		   buf_cstr(&vpath), R->info[u->index].name);
	R->any_envelope = true;
	buf_free(&vname);
	buf_free(&vpath);
}

static void emit_struct(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	bool is_union = it->kind == IT_UNION;
	Decl dl = {{0}, {0}, false};
	size_t j, nemitted = 0;
	for (j = 0; j < it->nfields; j++)
		nemitted += in->mname[j] != NULL;
	comment_doc(&dl.doc, 0, it->desc, NULL);
	item_cfg(R, &dl.code, it);
	if (in->force_align)
		decl_line(&dl, "#[repr(C, align(%llu))]\n",
			  (unsigned long long)in->force_align);
	else
		decl_line(&dl, "#[repr(C)]\n");
	decl_line(&dl, "#[derive(%s)]\n",
		  is_union ? "Clone, Copy"
		  : in->has_union ? "Clone, Copy, Debug"
		  : "Clone, Copy, Debug, PartialEq, Eq");
	decl_line(&dl, "pub %s %s {%s\n", is_union ? "union" : "struct", in->name,
		  nemitted ? "" : "}");
	for (j = 0; j < it->nfields; j++)
		emit_field(R, &dl, it, j);
	if (nemitted)
		buf_puts(&dl.code, "}\n");
	decl_end(out, &dl);

	emit_default(R, it);

	if (is_union) {
		buf_putc(out, '\n');
		item_cfg(R, out, it);
		buf_printf(out, "union_debug! { %s }\n", in->name);
	}
	if (it->op_family && in->trait) {
		buf_printf(&dl.doc, "// SAFETY: the specs make `%s` the argument of "
			   "%s sub-op%s %lld", it->name, it->op_family,
			   it->nop_also ? "s" : "", (long long)it->op_cmd);
		for (j = 0; j < it->nop_also; j++)
			buf_printf(&dl.doc, "%s%lld", j + 1 == it->nop_also
				   ? " and " : ", ", (long long)it->op_also_cmd[j]);
		buf_puts(&dl.doc, ".\n");
		item_cfg(R, &dl.code, it);
		decl_line(&dl, "unsafe impl crate::%s for %s {\n", in->trait,
			  in->name);
		buf_printf(&dl.code, "    const CMD: u32 = %lld;\n", (long long)it->op_cmd);
		decl_split(&dl, 4, "const NAME: &'static str =",
			   arena_printf(&R->a, "\"%s\";", it->op_name));
		if (it->nop_also) {
			buf_puts(&dl.code, "    const ALSO: &'static [u32] = &[");
			for (j = 0; j < it->nop_also; j++)
				buf_printf(&dl.code, "%s%lld", j ? ", " : "",
					   (long long)it->op_also_cmd[j]);
			buf_puts(&dl.code, "];\n");
		}
		buf_puts(&dl.code, "}\n");
		decl_end(out, &dl);
	}
	emit_envelope(R, out, it);
	emit_bitfields(R, out, it);
	emit_layout(R, it);
}

void items_emit(Rust *R, Buf *out, const Item *it)
{
	switch (it->kind) {
	case IT_CONST:
		emit_const(R, out, it);
		break;
	case IT_ALIAS:
		emit_alias(R, out, it);
		break;
	case IT_ENUM:
		emit_enum(R, out, it);
		break;
	case IT_BITMAP:
		emit_bitmap(R, out, it);
		break;
	case IT_STRUCT:
	case IT_UNION:
		emit_struct(R, out, it);
		break;
	case IT_MACRO:
		emit_macro(R, out, it);
		break;
	case IT_HANDLE:
	case IT_XMACRO:
	case IT_RING:
	case NITEMKINDS: /* no item's kind */
		break;
	}
}
