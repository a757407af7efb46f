/*
 * c_layout.c - layout assertions in C (-l c-layout).
 *
 * The layout engine computes every size, alignment and offset without a
 * compiler; these files let the compilers that really build the code check
 * each number.  One file per unit, <unit>_layout.h, includes the unit's
 * generated header (or, with --against-header, hand-written headers: the
 * migration check "does my spec describe the ABI Xen ships today?") and
 * asserts, for every target, selected by its predefined macros:
 *
 *   sizeof and alignment of every struct, union and typedef, and the C
 *   type a typedef names;
 *   the offset, size and exact C type of every member, nested ones
 *   through their member path, and the width of every bitfield;
 *   the value of every constant, enumerator and bitmap macro.
 *
 * C11 and C++11 get _Static_assert/static_assert with a message naming the
 * type, the member and the target; older dialects get the negative array
 * size idiom, whose typedef name carries the same words so that the
 * compiler's "size of array ... is negative" still says what failed.
 *
 * Offsets and sizes cannot tell a uint16_t from an int16_t, nor a u16 that
 * a hole after it hides from the u32 the header has: hence the types.
 * Each dialect compares types its own way (the prologue), and a check a
 * dialect cannot make holds there: C11 has _Generic, GNU C89/C99
 * __builtin_types_compatible_p, C++ overload resolution; a bitfield has
 * no address, so its declared type is compared in C++11 (decltype) and
 * clang's C11 (gcc gives a bitfield a type of its own width), and its
 * width only in C++17, by a constexpr lambda that stores bits into one.
 */
#include "emit/emit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct Asserts {
	Buf *b;
	const char *where; /* " on arm32", ", expected on every target" */
	const char *tag;   /* the same as an identifier: "arm32", "every" */
	int target;        /* TGT_*, or -1 outside the per-target blocks */
	bool against;      /* --against-header: a hand-written header */
	unsigned counter;
	const Item **empty; /* per item: the empty record it is or holds by
			     * value on the target (find_empty) */
	const Spec *s;
	bool guest;        /* the record's guest view differs (see emit_unit):
			    * a number that differs is asserted for both */
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
	"#endif\n"
	"\n"
	"/* Exact C types.  XBG_TYPE_IS(p, T): the address p has the pointer type\n"
	" * T; XBG_FIELD_IS(x, T): the bitfield x is declared T (each holds, 1,\n"
	" * in the dialects that cannot tell); XBG_ASSERT_BITS(S, m, w, msg, name):\n"
	" * the bitfield m of S is w bits wide, counted by storing each bit into it\n"
	" * (C++17; XBG_ASSERT_BITS_IN_UNION for one in a union member other than\n"
	" * the first, which only C++20 may write to in a constant expression);\n"
	" * XBG_VALUE_IS(x, T): the expression x has the type T. */\n"
	"#ifndef XBG_TYPE_IS\n"
	"#if defined(__cplusplus)\n"
	"template <class T> struct xbg_is { static char (&f(T))[2]; static char f(...); };\n"
	"template <class T> struct xbg_id { typedef T type; };\n"
	"template <class A, class B> struct xbg_same { enum { value = 0 }; };\n"
	"template <class A> struct xbg_same<A, A> { enum { value = 1 }; };\n"
	"#define XBG_TYPE_IS(p, T) (sizeof(xbg_is<T>::f(p)) == 2)\n"
	"#if __cplusplus >= 201103L\n"
	"#define XBG_FIELD_IS(x, T) (xbg_same<decltype(x), T>::value)\n"
	"#define XBG_VALUE_IS(x, T) (xbg_same<decltype(x), T>::value)\n"
	"#endif\n"
	"#if __cplusplus >= 201703L\n"
	"#define XBG_ASSERT_BITS(S, m, w, msg, name) \\\n"
	"    static constexpr unsigned name = []() { \\\n"
	"        S xbg_s{}; unsigned xbg_n = 0; \\\n"
	"        for (unsigned xbg_k = 0; xbg_k < 64; xbg_k++) { \\\n"
	"            xbg_s.m = 0; xbg_s.m = 1ULL << xbg_k; xbg_n += xbg_s.m != 0; \\\n"
	"        } \\\n"
	"        return xbg_n; }(); \\\n"
	"    static_assert(name == (w), msg)\n"
	"#endif\n"
	"#if __cplusplus >= 202002L\n"
	"#define XBG_ASSERT_BITS_IN_UNION(S, m, w, msg, name) \\\n"
	"    XBG_ASSERT_BITS(S, m, w, msg, name)\n"
	"#endif\n"
	"#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L\n"
	"#define XBG_TYPE_IS(p, T) _Generic((p), T: 1, default: 0)\n"
	"#define XBG_VALUE_IS(x, T) _Generic((x), T: 1, default: 0)\n"
	"#if defined(__clang__)\n"
	"#define XBG_FIELD_IS(x, T) _Generic((x), T: 1, default: 0)\n"
	"#endif\n"
	"#elif defined(__GNUC__)\n"
	"#define XBG_TYPE_IS(p, T) __builtin_types_compatible_p(__typeof__(p), T)\n"
	"#define XBG_VALUE_IS(x, T) __builtin_types_compatible_p(__typeof__(x), T)\n"
	"#else\n"
	"#define XBG_TYPE_IS(p, T) 1\n"
	"#endif\n"
	"#ifndef XBG_FIELD_IS\n"
	"#define XBG_FIELD_IS(x, T) 1\n"
	"#endif\n"
	"#ifndef XBG_VALUE_IS\n"
	"#define XBG_VALUE_IS(x, T) 1\n"
	"#endif\n"
	"#ifndef XBG_ASSERT_BITS\n"
	"#define XBG_ASSERT_BITS(S, m, w, msg, name) XBG_STATIC_ASSERT(1, msg, name)\n"
	"#endif\n"
	"#ifndef XBG_ASSERT_BITS_IN_UNION\n"
	"#define XBG_ASSERT_BITS_IN_UNION(S, m, w, msg, name) \\\n"
	"    XBG_STATIC_ASSERT(1, msg, name)\n"
	"#endif\n"
	"#endif\n";

/* Is uint64_aligned_t 8-aligned in the configuration compiled in?  A
 * constant expression every dialect accepts (C89 and C++98 have no
 * alignof); defined once, before the first record that needs it. */
static const char probe_text[] =
	"#ifndef XBG_U64_ALIGNED_8\n"
	"/* uint64_aligned_t is 8-aligned in the hypervisor's and the tools' "
	"builds\n * (and always with xen-prelude.h), plain uint64_t in a "
	"guest's, where a\n * 64-bit guest handle is the native one too: a "
	"number that differs is\n * asserted for the configuration compiled "
	"in. */\n"
	"struct xbg_u64_probe { char c; uint64_aligned_t x; };\n"
	"#define XBG_U64_ALIGNED_8 (sizeof(struct xbg_u64_probe) == 16)\n"
	"#endif\n";

/* One assertion, macro(args, message, name): macro is XBG_STATIC_ASSERT
 * and args a condition, or another assertion macro and its arguments.
 * what is "size", "align", "offset", "type", "width", "value"; field may
 * be NULL; value is the expected one, as the message shows it. */
static void assert_with(Asserts *A, const char *macro, const char *args,
			const char *type, const char *field, const char *what,
			const char *value)
{
	Buf *b = A->b, id = {0};
	const char *p;
	/* the array's name: the same words, as an identifier */
	for (p = field ? field : ""; *p; p++)
		if (*p == '.')
			buf_puts(&id, "__");
		else if (*p != '[' && *p != ']')
			buf_putc(&id, *p);
	buf_printf(b, "%s(%s,\n    \"%s%s%s: %s is not %s%s\",\n"
		      "    xbg_%s__%s%s%s__%s_%u);\n",
		   macro, args, type, field ? "." : "", field ? field : "", what,
		   value, A->where, A->tag, type, field ? "__" : "",
		   buf_cstr(&id), what, A->counter++);
	buf_free(&id);
}

/* One assertion: cond holds. */
static void assert_that(Asserts *A, const char *cond, const char *type,
			const char *field, const char *what, const char *value)
{
	assert_with(A, "XBG_STATIC_ASSERT", cond, type, field, what, value);
}

/* One assertion: expr == value. */
static void assert_eq(Asserts *A, const char *expr, const char *type,
		      const char *field, const char *what, const char *value)
{
	Buf cond = {0};
	buf_printf(&cond, "%s == %s", expr, value);
	assert_that(A, buf_cstr(&cond), type, field, what, value);
	buf_free(&cond);
}

static void num(char *out, size_t n, uint64_t v)
{
	snprintf(out, n, "%llu", (unsigned long long)v);
}

/* One assertion: expr is v, or gv in the guest view (A->guest), as the
 * configuration compiled in aligns uint64_aligned_t. */
static void assert_num(Asserts *A, const char *expr, const char *type,
		       const char *field, const char *what, uint64_t v,
		       uint64_t gv)
{
	Buf cond = {0}, shown = {0};
	char a[32], g[32];
	num(a, sizeof a, v);
	if (v == gv) {
		assert_eq(A, expr, type, field, what, a);
		return;
	}
	num(g, sizeof g, gv);
	buf_printf(&cond, "XBG_U64_ALIGNED_8 ? %s == %s : %s == %s", expr, a,
		   expr, g);
	buf_printf(&shown, "%s (%s where uint64_aligned_t is 4-aligned)", a, g);
	assert_that(A, buf_cstr(&cond), type, field, what, buf_cstr(&shown));
	buf_free(&cond);
	buf_free(&shown);
}

/* ---- C types ----------------------------------------------------------------
 * A member's type as the assertions name it: the C spelling of the headers
 * (cnames.c), except that u64 and i64 are uint64_t and int64_t, the same
 * types: uint64_aligned_t only adds an alignment, which the offsets check,
 * and C++ would drop the attribute of Xen's typedef from a template
 * argument with a warning. */
static const char *type_prim(Prim p)
{
	return p == P_U64 ? "uint64_t" : p == P_I64 ? "int64_t" : c_prim[p];
}

/* ---- Types declared in a member (c.declare) ---------------------------------
 * A struct declared inside another is in the other's scope in C++, where
 * "struct foo" outside would declare a new, incomplete one: the
 * assertions name such a type XBG_TYPE_foo, which is "struct foo" in C
 * and, in C++, the type of the member that declares it. */

/* How the assertions spell a struct or union. */
static void record_spelling(Buf *b, const Item *it)
{
	if (it->declared_in)
		buf_printf(b, "XBG_TYPE_%s", it->name);
	else
		buf_printf(b, "%s %s", item_kind_name(it->kind), it->name);
}

/* The member that declares it: its path from the named struct the
 * member is in (through inline types), and that struct. */
static const Item *declaring_member(Buf *path, const Item *it)
{
	const Item *in = it->declared_in, *inner = it;
	size_t i;
	buf_clear(path);
	for (;;) {
		Buf step = {0};
		for (i = 0; i < in->nfields; i++) {
			const Type *t = in->fields[i].type;
			while (t->kind == TY_ARRAY)
				t = t->elem;
			if (in->fields[i].name &&
			    ((inner == it && in->fields[i].c_declare &&
			      t->kind == TY_NAMED && t->sym && t->sym->common == it) ||
			     (inner != it && t->kind == TY_INLINE && t->item == inner)))
				break;
		}
		if (i < in->nfields) {
			const Type *t = in->fields[i].type;
			buf_puts(&step, in->fields[i].name);
			for (; t->kind == TY_ARRAY; t = t->elem)
				buf_puts(&step, "[0]");
		}
		if (path->len)
			buf_putc(&step, '.');
		buf_put(&step, path->data, path->len);
		buf_clear(path);
		buf_put(path, step.data, step.len);
		buf_free(&step);
		if (!in->inline_type || !in->parent)
			return in;
		inner = in;
		in = in->parent;
	}
}

static void declared_macros(Buf *b, const Item *it, bool *done);

/* The XBG_TYPE_ macros of the types declared in a member that the fields
 * of it use (and it itself), each once. */
static void declared_in_fields(Buf *b, const Item *it, bool *done)
{
	size_t i;
	for (i = 0; i < it->nfields; i++) {
		const Type *t = it->fields[i].type;
		while (t->kind == TY_ARRAY)
			t = t->elem;
		if (t->kind == TY_INLINE)
			declared_in_fields(b, t->item, done);
		else if (t->kind == TY_NAMED && t->sym && t->sym->common &&
			 t->sym->common->declared_in)
			declared_macros(b, t->sym->common, done);
	}
}

static void declared_macros(Buf *b, const Item *it, bool *done)
{
	Buf path = {0}, outer = {0};
	const Item *top;
	if (!it->declared_in || done[it->index])
		return;
	done[it->index] = true;
	top = declaring_member(&path, it);
	declared_macros(b, top, done);
	record_spelling(&outer, top);
	/* in C++ through xbg_id, not the __typeof__ alone: "T (*)[3]", the
	 * pointer to an array of them, must parse as a type; and a macro,
	 * not a typedef, because the member exists only where the
	 * assertions that use it are compiled */
	buf_printf(b, "#ifdef __cplusplus\n#define XBG_TYPE_%s "
		   "xbg_id<__typeof__(((%s *)0)->%s)>::type\n#else\n"
		   "#define XBG_TYPE_%s %s %s\n#endif\n", it->name,
		   buf_cstr(&outer), buf_cstr(&path), it->name,
		   item_kind_name(it->kind), it->name);
	buf_free(&path);
	buf_free(&outer);
}

/* The type of t without its array dimensions ("uint32_t", "struct foo",
 * "XEN_GUEST_HANDLE_64(uint8)", "char *"); false for an inline type,
 * which has no name. */
static bool type_base(Buf *b, const Type *t)
{
	const Item *it;
	switch (t->kind) {
	case TY_PRIM:
		buf_puts(b, type_prim(t->prim));
		return true;
	case TY_NAMED:
		it = symbol_any(t->sym);
		if (t->via_typedef)
			buf_puts(b, t->name);
		else if (it->kind == IT_STRUCT || it->kind == IT_UNION)
			record_spelling(b, it);
		else if (it->kind == IT_ALIAS)
			buf_puts(b, it->name);
		else
			buf_puts(b, type_prim(it->backing));
		return true;
	case TY_PTR:
	case TY_HANDLE:
		buf_puts(b, t->kind == TY_PTR ? "XEN_GUEST_HANDLE_64("
					      : "XEN_GUEST_HANDLE(");
		if (t->is_const)
			buf_puts(b, "const_");
		c_handle_name(b, t->elem);
		buf_putc(b, ')');
		return true;
	case TY_CPTR:
		if (t->is_const)
			buf_puts(b, "const ");
		if (!type_base(b, t->elem))
			return false;
		buf_puts(b, " *");
		return true;
	case TY_ARRAY:
	case TY_INLINE:
		break;
	}
	return false;
}

/* The dimensions of the arrays around t on target ("[2][3]"); a flexible
 * array, only ever the outermost, is "[]" with flex. */
static void type_dims(Buf *b, const Type *t, int target)
{
	for (; t->kind == TY_ARRAY; t = t->elem) {
		uint64_t n = t->count;
		if (t->flex) {
			buf_puts(b, "[]");
			continue;
		}
		if (t->count_expr && expr_eval(t->count_expr, target, &n) != LAYOUT_OK)
			n = 0; /* cannot happen once the item is laid out */
		buf_printf(b, "[%llu]", (unsigned long long)n);
	}
}

/* The pointer type of an address of a member of type t (for a flexible
 * array, of its first element): "uint32_t *", "uint8_t (*)[16]". */
static bool type_pointer(Buf *b, const Type *t, int target)
{
	const Type *base = t;
	Buf dims = {0};
	while (base->kind == TY_ARRAY)
		base = base->elem;
	if (!type_base(b, base))
		return false;
	type_dims(&dims, t->kind == TY_ARRAY && t->flex ? t->elem : t, target);
	if (dims.len)
		buf_printf(b, " (*)%s", buf_cstr(&dims));
	else
		buf_puts(b, " *");
	buf_free(&dims);
	return true;
}

/* The type as the message shows it: "uint8_t[16]". */
static void type_shown(Buf *b, const Type *t, int target)
{
	const Type *base = t;
	while (base->kind == TY_ARRAY)
		base = base->elem;
	type_base(b, base);
	type_dims(b, t, target);
}

/* The assertion that addr has type t, exactly (a handle to const is one
 * the spec says: { handle = T, const = true }). */
static void assert_type(Asserts *A, const char *addr, const Type *t,
			const char *type, const char *field)
{
	Buf cond = {0}, ptr = {0}, shown = {0};
	if (!type_pointer(&ptr, t, A->target)) {
		buf_free(&ptr);
		return;
	}
	buf_printf(&cond, "XBG_TYPE_IS(%s, %s)", addr, buf_cstr(&ptr));
	type_shown(&shown, t, A->target);
	assert_that(A, buf_cstr(&cond), type, field, "type", buf_cstr(&shown));
	buf_free(&cond);
	buf_free(&ptr);
	buf_free(&shown);
}

/* ---- C++ and empty records ---------------------------------------------------
 * GNU C gives a struct without members (arch_vcpu_info on Arm) no bytes,
 * C++ gives it one, so a record that holds one by value has another
 * layout in C++: the engine describes C's, so those records are asserted
 * in C only.  The empty record itself is asserted in both. */

/* The empty record behind a member's type, from what empty[] says of the
 * item it contains. */
static const Item *type_empty(const Item **empty, const Type *t, int target)
{
	const Item *it = NULL;
	while (t->kind == TY_ARRAY)
		t = t->elem;
	if (t->kind == TY_INLINE)
		it = t->item;
	else if (t->kind == TY_NAMED && t->sym)
		it = symbol_item_on(t->sym, target);
	return it ? empty[it->index] : NULL;
}

/* empty[i]: the empty record that item i is, or holds by value, on target;
 * NULL if none.  Items come in dependency order, so each looks at its
 * members' verdicts only: no recursion, however long a chain of structs a
 * spec has. */
static void find_empty(Spec *s, int target, const Item **empty)
{
	int a = targets[target].arch, view = s->arch_units[a] ? a : -1;
	size_t n, i, k;
	Item **order = order_items(s, view, &n);
	for (i = 0; i < n; i++) {
		const Item *it = order[i];
		const Layout *l = it->layout[target];
		const Type *at;
		if (!l)
			continue;
		if (it->kind == IT_ALIAS) {
			at = it->alias ? it->alias : it->arch_alias[a];
			if (at)
				empty[it->index] = type_empty(empty, at, target);
			continue;
		}
		if (it->kind != IT_STRUCT && it->kind != IT_UNION)
			continue;
		if (l->size == 0) {
			empty[it->index] = it;
			continue;
		}
		for (k = 0; k < it->nfields && !empty[it->index]; k++)
			if (l->fields[k].present)
				empty[it->index] = type_empty(empty, it->fields[k].type,
							      target);
	}
	free(order);
}

/* Does anything in the item's layout, or in the records it holds by
 * value, depend on the kind of build or on the interface version?  Its
 * numbers then hold for tools and hypervisor
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
		/* a record held by value brings its own dependence (a struct
		 * whose size changes with the interface version changes the
		 * layout of every record that holds it) */
		if (t->kind == TY_NAMED && t->sym && symbol_any(t->sym) &&
		    (symbol_any(t->sym)->kind == IT_STRUCT ||
		     symbol_any(t->sym)->kind == IT_UNION) &&
		    (d = build_dependent(symbol_any(t->sym))) > dep)
			dep = d;
	}
	return dep;
}

/* The members of it (an item laid out at base within top): offset, size
 * and type of each, the width of a bitfield, by member designator path;
 * inline members are checked through their parent, since they have no
 * type name of their own.  in_union: the path goes through a union member
 * other than the first (see XBG_BITS_ARE_IN_UNION). */
static void field_asserts(Asserts *A, const Item *top, const Item *it,
			  uint64_t base, uint64_t gbase, const char *prefix,
			  bool in_union)
{
	const Layout *l = it->layout[A->target];
	const Layout *g = A->guest && it->guest_layout ? it->guest_layout : l;
	Buf e = {0}, path = {0}, member = {0}, ty = {0}, spelt = {0};
	const char *tops;
	char v[32];
	size_t i, first = it->nfields;
	record_spelling(&spelt, top);
	tops = buf_cstr(&spelt);
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		const Type *ft = f->type;
		bool flex = ft->kind == TY_ARRAY && ft->flex;
		bool other = in_union || (it->kind == IT_UNION && first < i);
		if (!l->fields[i].present)
			continue;
		if (first == it->nfields)
			first = i; /* C++ value-initialises the first member */
		while (ft->kind == TY_ARRAY)
			ft = ft->elem;
		if (!f->name) {
			/* anonymous member: its fields are the parent's */
			field_asserts(A, top, ft->item, base + l->fields[i].offset,
				      gbase + g->fields[i].offset, prefix, other);
			continue;
		}
		buf_clear(&path);
		buf_printf(&path, "%s%s", prefix, f->name);
		buf_clear(&member);
		buf_printf(&member, "((%s *)0)->%s", tops, buf_cstr(&path));
		if (f->bits) {
			/* offsetof, sizeof and & cannot take a bitfield: its
			 * declared type and its width, where the dialect can
			 * tell (see the prologue) */
			buf_clear(&e);
			buf_clear(&ty);
			type_base(&ty, ft);
			buf_printf(&e, "XBG_FIELD_IS(%s, %s)", buf_cstr(&member),
				   buf_cstr(&ty));
			assert_that(A, buf_cstr(&e), top->name, buf_cstr(&path),
				    "type", buf_cstr(&ty));
			buf_clear(&e);
			num(v, sizeof v, f->bits);
			buf_printf(&e, "%s, %s, %s", tops, buf_cstr(&path), v);
			assert_with(A, other ? "XBG_ASSERT_BITS_IN_UNION"
					     : "XBG_ASSERT_BITS",
				    buf_cstr(&e), top->name, buf_cstr(&path),
				    "width", v);
			continue;
		}
		buf_clear(&e);
		buf_printf(&e, "offsetof(%s, %s)", tops, buf_cstr(&path));
		assert_num(A, buf_cstr(&e), top->name, buf_cstr(&path), "offset",
			   base + l->fields[i].offset, gbase + g->fields[i].offset);
		if (!flex) {
			buf_clear(&e);
			buf_printf(&e, "sizeof(%s)", buf_cstr(&member));
			assert_num(A, buf_cstr(&e), top->name, buf_cstr(&path),
				   "size", l->fields[i].size, g->fields[i].size);
		}
		if (ft->kind != TY_INLINE) {
			buf_clear(&e);
			buf_printf(&e, "&%s%s", buf_cstr(&member), flex ? "[0]" : "");
			assert_type(A, buf_cstr(&e), f->type, top->name,
				    buf_cstr(&path));
			continue;
		}
		if (f->type->kind == TY_ARRAY && !flex) {
			/* an array of an inline type: the type has no name,
			 * so the number of elements is asserted alone */
			buf_clear(&e);
			buf_clear(&ty);
			type_dims(&ty, f->type, A->target);
			num(v, sizeof v, l->fields[i].size /
			    ft->item->layout[A->target]->size);
			buf_printf(&e, "sizeof(%s) / sizeof(%s[0])",
				   buf_cstr(&member), buf_cstr(&member));
			assert_eq(A, buf_cstr(&e), top->name, buf_cstr(&path),
				  "length", v);
		}
		if (f->type->kind == TY_ARRAY)
			buf_puts(&path, "[0]");
		buf_putc(&path, '.');
		field_asserts(A, top, ft->item, base + l->fields[i].offset,
			      gbase + g->fields[i].offset, buf_cstr(&path), other);
	}
	buf_free(&e);
	buf_free(&path);
	buf_free(&member);
	buf_free(&ty);
	buf_free(&spelt);
}

static void type_asserts(Asserts *A, const Item *it)
{
	const Layout *l = it->layout[A->target];
	const Layout *g = A->guest && it->guest_layout ? it->guest_layout : l;
	const Item *empty = A->empty[it->index];
	Buf e = {0}, x = {0};
	size_t i;
	/* a record that holds an empty one (even if that leaves it empty
	 * too): C++ lays it out differently */
	bool holds = empty && empty != it;
	for (i = 0; i < it->nfields && empty && !holds; i++)
		holds = l->fields[i].present;
	if (it->kind == IT_ALIAS)
		buf_puts(&e, it->name);
	else
		record_spelling(&e, it);
	if (holds) {
		buf_printf(A->b, "/* C++ gives the empty %s %s a byte, so %s is "
			   "laid out\n * differently there: its layout is C's, "
			   "asserted in C. */\n#ifndef __cplusplus\n",
			   item_kind_name(empty->kind), empty->name, it->name);
	} else if (empty) {
		const char *where = A->where;
		Buf cxx = {0};
		buf_printf(&cxx, "%s in C++", where);
		buf_printf(&x, "sizeof(%s)", buf_cstr(&e));
		buf_puts(A->b, "#ifdef __cplusplus\n");
		A->where = buf_cstr(&cxx);
		assert_eq(A, buf_cstr(&x), it->name, NULL, "size", "1");
		A->where = where;
		buf_puts(A->b, "#else\n");
		buf_clear(&x);
		buf_free(&cxx);
	}
	buf_printf(&x, "sizeof(%s)", buf_cstr(&e));
	assert_num(A, buf_cstr(&x), it->name, NULL, "size", l->size, g->size);
	if (empty && !holds)
		buf_puts(A->b, "#endif\n");
	buf_clear(&x);
	buf_printf(A->b, "#ifdef XBG_ALIGNOF\n");
	buf_printf(&x, "XBG_ALIGNOF(%s)", buf_cstr(&e));
	assert_num(A, buf_cstr(&x), it->name, NULL, "align", l->align, g->align);
	buf_printf(A->b, "#endif\n");
	if (it->kind == IT_ALIAS) {
		/* the type the typedef names */
		const Type *t = it->alias ? it->alias
				: it->arch_alias[targets[A->target].arch];
		buf_clear(&x);
		buf_printf(&x, "(%s *)0", it->name);
		if (t)
			assert_type(A, buf_cstr(&x), t, it->name, NULL);
	}
	if (it->kind == IT_STRUCT || it->kind == IT_UNION)
		field_asserts(A, it, it, 0, 0, "", false);
	if (holds)
		buf_puts(A->b, "#endif\n");
	buf_free(&e);
	buf_free(&x);
}

/* Where a value holds, for its message: every target, or those of its
 * architecture and its `only`, as the #if around it selects them. */
static void value_where(Asserts *A, const Item *it, Buf *where, Buf *tag)
{
	int t, n = 0, count = 0;
	buf_clear(where);
	buf_clear(tag);
	for (t = 0; t < NTARGETS; t++)
		count += (it->unit->arch < 0 || it->unit->arch == targets[t].arch) &&
			 (!it->cond.targets || (it->cond.targets >> t & 1u));
	buf_puts(where, ", expected on ");
	if (count == NTARGETS) {
		buf_puts(where, "every target");
		buf_puts(tag, "every");
	}
	for (t = 0; t < NTARGETS && count < NTARGETS; t++) {
		if ((it->unit->arch >= 0 && it->unit->arch != targets[t].arch) ||
		    (it->cond.targets && !(it->cond.targets >> t & 1u)))
			continue;
		n++;
		buf_printf(where, "%s%s", n == 1 ? "" : n == count ? " and " : ", ",
			   targets[t].name);
		buf_printf(tag, "%s%s", n == 1 ? "" : "_", targets[t].name);
	}
	A->where = buf_cstr(where);
	A->tag = buf_cstr(tag);
}

/* ---- Values and their C types -------------------------------------------------
 * Every macro with an integer value is asserted twice on each target:
 * its value, and its C type (XBG_VALUE_IS: 1 and 1U are not the same
 * macro).  Where both are the same on every target, once for all;
 * otherwise once per group of targets that agree, under their #if. */

/* Is e's value a truth value: bool in C++, int in C? */
static bool truth_value(const Expr *e, int depth)
{
	while (e && e->kind == EX_PAREN)
		e = e->l;
	if (!e || depth > 32)
		return false;
	if (e->kind == EX_UNARY)
		return e->op == OP_LNOT;
	if (e->kind == EX_BINARY)
		return e->op >= OP_LT && e->op <= OP_NE ? true
		       : e->op == OP_LAND || e->op == OP_LOR;
	if (e->kind == EX_COND)
		return truth_value(e->l, depth + 1) && truth_value(e->r, depth + 1);
	if (e->kind == EX_NAME && e->sym) {
		const Item *c = symbol_any(e->sym);
		return c && c->expr && truth_value(c->expr, depth + 1);
	}
	if (e->kind == EX_CALL && e->expansion)
		return truth_value(e->expansion, depth + 1);
	return false;
}

/* Does C++ give e another type than C: a truth value (bool in C++, int
 * in C), a character literal (char in C++, int in C), or an enumerator of
 * a C enum (of the enum's type in C++)?  Then its type is asserted in C
 * only. */
static bool cxx_differs(const Expr *e, int depth)
{
	size_t i;
	if (depth > 32 || truth_value(e, depth))
		return true;
	for (; e; e = e->l) {
		if (e->kind == EX_CHAR)
			return true;
		if (e->kind == EX_NAME && e->member) {
			const MemberRef *m = e->member->common.it ? &e->member->common : NULL;
			int a;
			for (a = 0; a < NARCH && !m; a++)
				if (e->member->arch[a].it)
					m = &e->member->arch[a];
			if (m && m->role == MR_VARIANT && !m->it->c.defines)
				return true;
		}
		if (e->kind == EX_NAME && e->sym) {
			const Item *c = symbol_any(e->sym);
			if (c && c->expr && cxx_differs(c->expr, depth + 1))
				return true;
		}
		if (e->kind == EX_CALL && e->expansion &&
		    cxx_differs(e->expansion, depth + 1))
			return true;
		for (i = 0; i < e->nargs; i++)
			if (cxx_differs(e->args[i], depth + 1))
				return true;
		if ((e->c && cxx_differs(e->c, depth + 1)) ||
		    (e->r && cxx_differs(e->r, depth + 1)))
			return true;
	}
	return false;
}

/* A value as a C literal that compares equal only to it: a plain number
 * where int holds it, else with an LL or ULL suffix. */
static void value_text(Buf *b, Value v, int target)
{
	if (value_negative(v, target)) {
		int64_t x = (int64_t)v.v;
		if (x == INT64_MIN)
			buf_puts(b, "(-9223372036854775807LL - 1)");
		else
			buf_printf(b, "%lld%s", (long long)x, x < INT32_MIN ? "LL" : "");
	} else {
		buf_printf(b, "%llu%s", (unsigned long long)v.v,
			   v.v > INT32_MAX ? "ULL" : "");
	}
}

/* The verbatim block of the spec that #undefs the macro (to give it another
 * meaning where the block's condition holds, as xen.h gives guests of old
 * interface versions the former hypercall numbers), or NULL. */
static const Directive *undefined_by(const Spec *s, const char *macro)
{
	size_t i, k, n = strlen(macro);
	for (i = 0; i < s->nunits; i++)
		for (k = 0; k < s->units[i]->nseq; k++) {
			const Directive *d = s->units[i]->seq[k].dir;
			const char *p;
			if (!d || d->kind != DIR_VERBATIM)
				continue;
			for (p = d->text; (p = strstr(p, "#undef ")) != NULL; p++) {
				const char *q = p + 7;
				while (*q == ' ' || *q == '\t')
					q++;
				if (strncmp(q, macro, n) == 0 &&
				    !(isalnum((unsigned char)q[n]) || q[n] == '_'))
					return d;
			}
		}
	return NULL;
}

/* The assertions of one macro: values v on the targets ok, legacy (if
 * given) the text the value is compared with where it is the same
 * everywhere (as the assertions always wrote it); cxx: whether C++ gives
 * the macro the same type. */
static void assert_values(Asserts *A, const Item *it, const char *macro,
			  const char *field, const Value *v, const bool *ok,
			  const char *legacy, bool cxx)
{
	int t, u, g, ngroups = 0, group[NTARGETS];
	const char *where = A->where, *tag = A->tag;
	Buf val = {0}, cond = {0}, w = {0}, tg = {0};
	const Directive *undef = undefined_by(A->s, macro);
	bool redefined = false;
	if (undef) {
		/* the values hold where the verbatim block does not apply */
		redefined = c_cond(&cond, &undef->cond, -1);
		if (redefined)
			buf_printf(A->b, "#if !(%s)\n", buf_cstr(&cond));
		buf_clear(&cond);
	}
	for (t = 0; t < NTARGETS; t++) {
		group[t] = -1;
		if (!ok[t])
			continue;
		for (u = 0; u < t; u++)
			if (group[u] == u && v[u].v == v[t].v &&
			    strcmp(ctype_name(v[u].type), ctype_name(v[t].type)) == 0)
				break;
		group[t] = u < t ? u : t;
		ngroups += group[t] == t;
	}
	for (g = 0; g < NTARGETS; g++) {
		bool split = ngroups > 1;
		if (group[g] != g)
			continue;
		buf_clear(&val);
		buf_clear(&cond);
		if (split) {
			int n = 0;
			buf_clear(&w);
			buf_clear(&tg);
			buf_puts(&w, ", expected on ");
			buf_puts(A->b, "#if ");
			for (t = 0; t < NTARGETS; t++)
				if (group[t] == g) {
					buf_printf(A->b, "%s%s", n ? " || " : "",
						   targets[t].cond);
					buf_printf(&w, "%s%s", n ? ", " : "", targets[t].name);
					buf_printf(&tg, "%s%s", n ? "_" : "", targets[t].name);
					n++;
				}
			buf_putc(A->b, '\n');
			A->where = buf_cstr(&w);
			A->tag = buf_cstr(&tg);
		}
		if (legacy && !split)
			buf_puts(&val, legacy);
		else
			value_text(&val, v[g], g);
		assert_eq(A, macro, it->name, field, "value", buf_cstr(&val));
		buf_printf(&cond, "XBG_VALUE_IS(%s, %s)", macro, ctype_name(v[g].type));
		if (!cxx)
			buf_puts(A->b, "#ifndef __cplusplus\n");
		assert_that(A, buf_cstr(&cond), it->name, field, "type",
			    ctype_name(v[g].type));
		if (!cxx)
			buf_puts(A->b, "#endif\n");
		if (split)
			buf_puts(A->b, "#endif\n");
		A->where = where;
		A->tag = tag;
	}
	if (redefined)
		buf_puts(A->b, "#endif\n");
	buf_free(&val);
	buf_free(&cond);
	buf_free(&w);
	buf_free(&tg);
}

/* The value of a member's macro on every target where it exists. */
static void member_values(Spec *s, const Item *it, MemberRole role,
			  size_t index, Value *v, bool *ok)
{
	MemberRef m;
	int t;
	m.it = (Item *)it;
	m.role = role;
	m.index = index;
	for (t = 0; t < NTARGETS; t++)
		ok[t] = s->covered[t] && item_on_target(it, t) &&
			member_value(s, &m, t, &v[t]);
}

/* The sub-op number of a struct that is a hypercall argument. */
static void op_assert(Asserts *A, Spec *s, const Item *it)
{
	Value v[NTARGETS];
	bool ok[NTARGETS];
	char legacy[32];
	num(legacy, sizeof legacy, (uint64_t)it->op_cmd);
	member_values(s, it, MR_OP, 0, v, ok);
	assert_values(A, it, it->op_name, "op", v, ok, legacy, true);
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

/* Constants, enumerators, bit macros. */
static void value_asserts(Asserts *A, Spec *s, const Item *it, bool against)
{
	Buf e = {0}, v = {0};
	Value vals[NTARGETS];
	bool ok[NTARGETS];
	size_t i, k;
	bool wide = it->backing == P_U64 || it->backing == P_U64_PLAIN ||
		    it->backing == P_ULLONG;
	const char *suffix = wide ? "ULL" : "U";
	uint64_t all = 0;
	int t;
	if (it->kind == IT_CONST) {
		bool cxx;
		if (!it->expr)
			return; /* a string, or an alias of a type */
		for (t = 0; t < NTARGETS; t++)
			ok[t] = s->covered[t] && item_on_target(it, t) &&
				const_value(s, (Item *)it, t, &vals[t]) == EV_OK;
		cxx = !cxx_differs(it->expr, 0);
		if (it->int_value)
			buf_printf(&v, "%lld%s", (long long)it->value,
				   it->value > INT32_MAX || it->value < INT32_MIN ? "LL" : "");
		assert_values(A, it, it->name, NULL, vals, ok,
			      it->int_value ? buf_cstr(&v) : NULL, cxx);
		for (k = 0; k < it->c.ncompat; k++)
			assert_values(A, it, it->c.compat[k], it->c.compat[k], vals, ok,
				      it->int_value ? buf_cstr(&v) : NULL, cxx);
		buf_free(&v);
		return;
	}
	for (i = 0; i < it->nvariants; i++) {
		const Variant *var = &it->variants[i];
		bool cxx = it->c.defines && !(var->c_value && cxx_differs(var->c_value, 0));
		bool vc = open_cond(A->b, &var->cond);
		buf_clear(&e);
		buf_clear(&v);
		c_member_macro(&e, it, var->name);
		buf_printf(&v, "%lld", (long long)var->value);
		member_values(s, it, MR_VARIANT, i, vals, ok);
		assert_values(A, it, buf_cstr(&e), var->name, vals, ok, buf_cstr(&v), cxx);
		for (k = 0; k < var->ncompat; k++)
			assert_values(A, it, var->compat[k], var->compat[k], vals, ok,
				      buf_cstr(&v), cxx);
		if (vc)
			buf_puts(A->b, "#endif\n");
	}
	for (i = 0; i < it->nbits; i++) {
		const Bit *bit = &it->bits[i];
		uint64_t mask = (bit->width >= 64 ? ~(uint64_t)0
				 : (((uint64_t)1 << bit->width) - 1)) << bit->shift;
		bool cxx = !(bit->c_value && cxx_differs(bit->c_value, 0));
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
		member_values(s, it, bit->width > 1 ? MR_FIELD_MASK : MR_BIT, i,
			      vals, ok);
		assert_values(A, it, buf_cstr(&e), bit->name, vals, ok,
			      bit->c_value ? NULL : buf_cstr(&v), cxx);
		for (k = 0; k < bit->ncompat; k++)
			assert_values(A, it, bit->compat[k], bit->compat[k], vals, ok,
				      bit->c_value ? NULL : buf_cstr(&v), cxx);
		if (bit->width == 1 && (bit->bit_number > 0 ||
					(bit->bit_number < 0 && it->c.bit_numbers))) {
			buf_clear(&e);
			buf_clear(&v);
			buf_putc(&e, '_');
			c_member_macro(&e, it, bit->name);
			buf_printf(&v, "%lld", (long long)bit->shift);
			member_values(s, it, MR_BIT_NUMBER, i, vals, ok);
			assert_values(A, it, buf_cstr(&e), bit->name, vals, ok,
				      buf_cstr(&v), true);
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
			member_values(s, it, MR_ALL, 0, vals, ok);
			assert_values(A, it, buf_cstr(&e), "ALL", vals, ok,
				      buf_cstr(&v), true);
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
		      const Unit *u, const Item **const *empty)
{
	Buf b = {0}, name = {0}, where = {0}, tag = {0};
	Asserts A;
	size_t i, k;
	int t;
	const char *p;
	bool unit_cond, unit_tools, probe = false;

	memset(&A, 0, sizeof A);
	A.b = &b;
	A.s = s;
	A.against = o->nagainst > 0;
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
	{
		bool *done = xcalloc(s->nitems + 1, sizeof *done);
		size_t mark = b.len;
		for (i = 0; i < u->nitems; i++) {
			if (is_type(u->items[i]))
				declared_in_fields(&b, u->items[i], done);
			declared_macros(&b, u->items[i], done);
		}
		if (b.len > mark) {
			/* a title before what was written */
			Buf rest = {0};
			buf_put(&rest, b.data + mark, b.len - mark);
			b.len = mark;
			buf_puts(&b, "\n/* Types declared in a member of another "
				     "(c.declare): in C++, in its scope. */\n");
			buf_put(&b, rest.data, rest.len);
			buf_free(&rest);
		}
		free(done);
	}
	/* a unit-wide condition holds for every assertion */
	unit_cond = u->header.set && open_cond(&b, &u->header.cond);
	unit_tools = u->header.set && (u->header.cond.tools || u->header.cond.hypervisor);

	A.target = -1;
	/* the assertions expand every macro: how a macro is written (an
	 * unsigned compared with a signed, & under ^ without parentheses,
	 * a division by zero that && never evaluates) is the spec's, and
	 * not for these assertions to warn about */
	buf_puts(&b, "\n/* Values and their C types. */\n"
		     "#if defined(__GNUC__)\n"
		     "#pragma GCC diagnostic push\n"
		     "#pragma GCC diagnostic ignored \"-Wsign-compare\"\n"
		     "#pragma GCC diagnostic ignored \"-Wparentheses\"\n"
		     "#pragma GCC diagnostic ignored \"-Wdiv-by-zero\"\n"
		     "#endif\n");
	for (i = 0; i < u->nitems; i++) {
		const Item *it = u->items[i];
		bool cond;
		if (it->kind != IT_ENUM && it->kind != IT_BITMAP && it->kind != IT_CONST)
			continue;
		/* outside the per-target blocks: a value that exists on some
		 * targets only is checked there only */
		cond = open_item_cond(&b, it, true);
		value_where(&A, it, &where, &tag);
		value_asserts(&A, s, it, o->nagainst > 0);
		if (cond)
			buf_puts(&b, "#endif\n");
	}
	for (i = 0; i < u->nitems; i++) {
		const Item *it = u->items[i];
		bool cond;
		if (!it->op_family || it->op_ref) /* asserted as a constant */
			continue;
		cond = open_item_cond(&b, it, true);
		value_where(&A, it, &where, &tag);
		op_assert(&A, s, it);
		if (cond)
			buf_puts(&b, "#endif\n");
	}
	buf_puts(&b, "#if defined(__GNUC__)\n#pragma GCC diagnostic pop\n#endif\n");

	for (t = 0; t < NTARGETS; t++) {
		bool any = false;
		for (i = 0; i < u->nitems; i++)
			any |= is_type(u->items[i]) && u->items[i]->layout[t] != NULL;
		if (!any)
			continue;
		A.target = t;
		A.empty = empty[t];
		buf_clear(&where);
		buf_printf(&where, " on %s", targets[t].name);
		A.where = buf_cstr(&where);
		A.tag = targets[t].name;
		buf_printf(&b, "\n#if %s\n", targets[t].cond);
		for (i = 0; i < u->nitems; i++) {
			const Item *it = u->items[i];
			bool cond;
			int tools;
			if (!is_type(it) || !it->layout[t])
				continue;
			tools = build_dependent(it);
			/* a record that guests see too (not only tools and
			 * the hypervisor) and whose guest view differs
			 * (x86_32): each number that differs is the one of
			 * the configuration compiled in, which the compiler
			 * tells (xen-prelude.h's uint64_aligned_t is always
			 * 8-aligned, Xen's xen.h's for tools only) */
			A.guest = !tools && !unit_tools &&
				  targets[t].i64_align < 8 && it->guest_layout &&
				  it->guest_layout != it->layout[t];
			if (A.guest && !probe) {
				buf_puts(&b, probe_text);
				probe = true;
			}
			cond = open_item_cond(&b, it, false);
			if (tools == 2 && !it->cond.hypervisor)
				buf_puts(&b, "#if defined(__XEN__)\n");
			else if (tools == 1 && !it->cond.tools && !it->cond.hypervisor)
				buf_puts(&b, "#if defined(__XEN__) || defined(__XEN_TOOLS__)\n");
			else
				tools = 0;
			type_asserts(&A, it);
			A.guest = false;
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
	buf_free(&where);
	buf_free(&tag);
}

void emit_c_layout(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	const Item **empty[NTARGETS] = {NULL};
	size_t i;
	int t;
	(void)d;
	for (t = 0; t < NTARGETS; t++) {
		empty[t] = xcalloc(s->nitems + 1, sizeof *empty[t]);
		if (s->covered[t])
			find_empty(s, t, empty[t]);
	}
	for (i = 0; i < s->nunits; i++)
		emit_unit(s, o, out, s->units[i], (const Item **const *)empty);
	for (t = 0; t < NTARGETS; t++)
		free((void *)empty[t]);
}
