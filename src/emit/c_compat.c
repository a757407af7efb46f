/*
 * c_compat.c - the compat backend (-l c-compat): what a 64-bit Xen needs
 * to serve 32-bit x86 guests, made from the specs instead of from the
 * text of the public headers.
 *
 * Two kinds of file, under compat/ of the output directory, named and
 * shaped as Xen's own pipeline names and shapes them (xen/include/compat/,
 * see docs/compat.md):
 *
 *   - compat/<unit>.h, one per unit that has x86 items: each struct and
 *     union as struct compat_<name> with the x86_32 layout, the guest's
 *     view (native-width words are 4 bytes, 64-bit integers and
 *     uint64_aligned_t are 4-aligned uint64_compat_t, guest handles are
 *     COMPAT_HANDLE()s, XEN_GUEST_HANDLE_64() stays), each alias and
 *     typedef renamed as Xen's compat-build-header.py renames it
 *     (foo_t -> foo_compat_t, xen_foo_t -> compat_foo_t), and a checked
 *     type's typedef naming the native type at the compat alignment;
 *   - compat/xlat.h: for each struct or union with compat = "check", the
 *     macro CHECK_<name> (sizes, offsets and types through Xen's
 *     CHECK_SIZE_, CHECK_FIELD_ and CHECK_SUBFIELD_<n>_); for each with
 *     compat = "translate", XLAT_<name>(_d_, _s_): field by field, arrays
 *     element by element, nested types through their own XLAT_, guest
 *     handles through hooks XLAT_<name>_HNDL_<path>(_d_, _s_) that the
 *     hypervisor defines, unions through a switch on a variable the caller
 *     names after the union's path, whose values are enum XLAT_<name>_<path>.
 *
 * The layouts are those the engine computed for x86_32 (the compat side)
 * and x86_64 (the native side): a member that exists on only one of them
 * is neither checked nor copied.  Array lengths are numbers (evaluated on
 * x86_32), so the compat header needs no macro of the native one; the
 * native header is included first, as Xen's compat headers include
 * <public/X.h>, for the checked types' typedefs and XEN_GUEST_HANDLE_64.
 * What xen/compat.h provides (COMPAT_HANDLE, DEFINE_COMPAT_HANDLE,
 * compat_ptr_t, CHECK_SIZE_ and friends) is the hypervisor's, not ours.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

#define CT TGT_X86_32 /* the compat (guest) layout */
#define NT TGT_X86_64 /* the native (hypervisor) layout */

typedef struct Compat {
	Spec *s;
	const EmitOptions *o;
	Diag *d;
	bool *pointed; /* by Item.index: a guest handle points to it */
	Buf xlat;      /* compat/xlat.h, after its head */
	Buf incl;      /* compat/xlat.h's includes */
	/* the macros of a name defined per target being emitted: its x86_32
	 * item, and its x86_64 one (NULL: the name is C text there) */
	const Item *split, *split_native;
} Compat;

/* ---- Names ---------------------------------------------------------------- */

/* A name without Xen's prefix, as compat-build-header.py's
 * "(xen_?)?(\w)" removes it: xen_memory_reservation -> memory_reservation,
 * xenctl_bitmap -> ctl_bitmap. */
static const char *strip_xen(const char *name)
{
	if (strncmp(name, "xen_", 4) == 0 && name[4])
		return name + 4;
	if (strncmp(name, "xen", 3) == 0 && name[3])
		return name + 3;
	return name;
}

/* The compat name of a typedef name: foo_t -> foo_compat_t, xen_foo_t ->
 * compat_foo_t (as compat-build-header.py's "_t" rules); a name without
 * "_t" gets compat_ in front (Xen's scripts would leave it, and then two
 * different types would share it). */
static void compat_tname(Buf *b, const char *name)
{
	size_t n = strlen(name);
	if (n > 2 && strcmp(name + n - 2, "_t") == 0) {
		const char *rest = strip_xen(name);
		if (rest != name)
			buf_printf(b, "compat_%.*s_t", (int)(n - 2 - (size_t)(rest - name)),
				   rest);
		else
			buf_printf(b, "%.*s_compat_t", (int)(n - 2), name);
	} else {
		buf_printf(b, "compat_%s", strip_xen(name));
	}
}

static bool is_record(const Item *it)
{
	return it->kind == IT_STRUCT || it->kind == IT_UNION;
}

/* The native typedef of a struct or union, or NULL.  A checked type's
 * compat typedef names the native type; like Xen's scripts (which keep
 * the typedefs the header has), none is made up for a type without one. */
static const char *native_tname(Compat *C, Buf *b, const Item *it)
{
	return c_typedef_name(b, it, C->pointed[it->index]);
}

/* The spelling of a struct or union type on the compat side: a checked
 * one with a typedef is the native type (its compat typedef), any other
 * struct compat_<name>. */
static void record_ref(Compat *C, Buf *b, const Item *it)
{
	Buf n = {0};
	if (it->compat == COMPAT_CHECK && native_tname(C, &n, it)) {
		compat_tname(b, buf_cstr(&n));
	} else {
		buf_printf(b, "%s compat_%s", item_kind_name(it->kind),
			   strip_xen(it->name));
	}
	buf_free(&n);
}

/* A primitive as the 32-bit guest sees it, compiled by the 64-bit
 * hypervisor: long is int, and 64-bit integers are only 4-aligned. */
static const char *compat_prim(Prim p)
{
	switch (p) {
	case P_U64: case P_U64_PLAIN: case P_ULLONG: return "uint64_compat_t";
	case P_I64: case P_I64_PLAIN: case P_LLONG: return "int64_compat_t";
	case P_LONG: return "int";
	case P_ULONG: return "unsigned int";
	default: return c_prim[p];
	}
}

/* The x86 definition of a named item. */
static const Item *x86_item(const Type *t)
{
	const Item *it = symbol_item(t->sym, ARCH_X86);
	return it ? it : symbol_any(t->sym);
}

/* The compat name of a guest handle's target (uint8, foo_compat_t). */
static void handle_target(Compat *C, Buf *b, const Type *t)
{
	if (t->kind == TY_NAMED) {
		const Item *it = x86_item(t);
		Buf n = {0};
		if (is_record(it)) {
			compat_tname(b, native_tname(C, &n, it) ? buf_cstr(&n) : it->name);
			buf_free(&n);
			return;
		}
		if (it->kind == IT_ALIAS) {
			compat_tname(b, it->name);
			return;
		}
	}
	(void)c_handle_name(b, t);
}

/* ---- The compat header ----------------------------------------------------- */

static void record_body(Compat *C, Buf *b, const Item *it, int indent,
			const char *tag);

static bool present(const Item *it, size_t i, int t)
{
	return it->layout[t] && it->layout[t]->fields[i].present;
}

/* Declare a member (name NULL: anonymous) of type t, x86_32's view. */
static void decl(Compat *C, Buf *b, const Type *t, const char *name,
		 unsigned bits, int indent)
{
	const Type *base = t;
	while (base->kind == TY_ARRAY)
		base = base->elem;
	switch (base->kind) {
	case TY_PRIM:
		buf_puts(b, compat_prim(base->prim));
		break;
	case TY_PTR:
		/* the same 8 bytes for both: the native spelling */
		buf_puts(b, "XEN_GUEST_HANDLE_64(");
		(void)c_handle_name(b, base->elem);
		buf_putc(b, ')');
		break;
	case TY_HANDLE:
		buf_puts(b, "COMPAT_HANDLE(");
		handle_target(C, b, base->elem);
		buf_putc(b, ')');
		break;
	case TY_CPTR:
		buf_puts(b, "compat_ptr_t");
		break;
	case TY_NAMED: {
		const Item *it = x86_item(base);
		if (is_record(it))
			record_ref(C, b, it);
		else if (it->kind == IT_ALIAS)
			compat_tname(b, it->name);
		else
			buf_puts(b, compat_prim(it->backing));
		break;
	}
	case TY_INLINE:
		record_body(C, b, base->item, indent, NULL);
		break;
	case TY_ARRAY:
		break;
	}
	if (name)
		buf_printf(b, " %s", name);
	for (; t->kind == TY_ARRAY; t = t->elem) {
		uint64_t n = t->count;
		if (t->flex) {
			buf_puts(b, "[]");
			continue;
		}
		if (t->count_expr && expr_eval(t->count_expr, CT, &n) != LAYOUT_OK)
			n = 0; /* not laid out: the item is skipped */
		buf_printf(b, "[%llu]", (unsigned long long)n);
	}
	if (bits)
		buf_printf(b, " : %u", bits);
}

/* "struct compat_foo {...}" (tag NULL: an inline "struct {...}"). */
static void record_body(Compat *C, Buf *b, const Item *it, int indent,
			const char *tag)
{
	size_t i;
	buf_puts(b, item_kind_name(it->kind));
	if (tag)
		buf_printf(b, " compat_%s", tag);
	buf_puts(b, " {\n");
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		if (!present(it, i, CT))
			continue;
		buf_printf(b, "%*s", indent + 4, "");
		decl(C, b, f->type, f->name, f->bits, indent + 4);
		buf_puts(b, ";\n");
	}
	buf_printf(b, "%*s}", indent, "");
}

/* The primitive guest handles a type uses, once per header. */
static void prim_handles(Compat *C, Buf *b, const Type *t, bool *done)
{
	switch (t->kind) {
	case TY_HANDLE:
		if (t->elem->kind == TY_PRIM ||
		    (t->elem->kind == TY_NAMED && !is_record(x86_item(t->elem)) &&
		     x86_item(t->elem)->kind != IT_ALIAS)) {
			Prim p = t->elem->kind == TY_PRIM ? t->elem->prim
							  : x86_item(t->elem)->backing;
			Buf n = {0};
			(void)c_handle_name(&n, t->elem);
			if (!done[p]) {
				/* several headers may need one: defined once */
				buf_printf(b, "#ifndef __XBG_COMPAT_HANDLE_%s\n"
					      "#define __XBG_COMPAT_HANDLE_%s\n"
					      "__DEFINE_COMPAT_HANDLE(%s, %s);\n"
					      "#endif\n",
					   buf_cstr(&n), buf_cstr(&n), buf_cstr(&n),
					   p == P_VOID ? "void" : compat_prim(p));
				done[p] = true;
			}
			buf_free(&n);
		}
		break;
	case TY_ARRAY:
		prim_handles(C, b, t->elem, done);
		break;
	case TY_INLINE: {
		size_t i;
		for (i = 0; i < t->item->nfields; i++)
			prim_handles(C, b, t->item->fields[i].type, done);
		break;
	}
	default:
		break;
	}
}

static bool in_view(const Item *it)
{
	/* a name defined per target (Xen's x86_32 cpu_user_regs) has its
	 * compat struct made from the x86_32 definition; the x86_64 one is
	 * another item */
	return !it->inline_type && !it->layout_failed && it->layout[CT] &&
	       (it->layout[NT] || resolve_split_targets(it->unit));
}

/* Whether the item is left out of the hypervisor's build (#ifndef
 * __XEN__, as xenoprof.h's xenoprof_buf_t): the compat headers are the
 * hypervisor's. */
static bool not_for_hypervisor(const Item *it)
{
	size_t i;
	for (i = 0; i < it->cond.nnot_defined; i++)
		if (strcmp(it->cond.not_defined[i], "__XEN__") == 0)
			return true;
	return false;
}

static void emit_alias(Compat *C, Buf *b, const Item *it)
{
	const Type *t = it->arch_alias[ARCH_X86] ? it->arch_alias[ARCH_X86]
						 : it->alias;
	Buf ct = {0};
	if (!t || not_for_hypervisor(it))
		return;
	compat_tname(&ct, it->name);
	buf_puts(b, "typedef ");
	decl(C, b, t, buf_cstr(&ct), 0, 0);
	buf_puts(b, ";\n");
	if (C->pointed[it->index] || it->c.handle)
		buf_printf(b, "DEFINE_COMPAT_HANDLE(%s);\n", buf_cstr(&ct));
	buf_free(&ct);
}

/* ---- CHECK_ and XLAT_ ------------------------------------------------------- */

/* "a.b.c" -> "a, b, c" or "a_b_c". */
static void path_with(Buf *b, const char *path, const char *sep)
{
	if (!path)
		return;
	for (; *path; path++) {
		if (*path == '.')
			buf_puts(b, sep);
		else
			buf_putc(b, *path);
	}
}

static bool is_pad(const char *name)
{
	const char *p;
	if (strncmp(name, "_pad", 4) != 0)
		return false;
	for (p = name + 4; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* The name of the nested check Xen's get-fields.sh writes for a member
 * of a listed struct or union (or an array of one), read off the member's
 * compat spelling: `struct compat_X` and `compat_X_t` give CHECK_X, and so
 * does `evtchn_X_compat_t` inside an inline member; any other spelling
 * (`foo_compat_t`) is checked field by field.  False: no nested check. */
static bool nested_check(Compat *C, Buf *out, const Type *t, int depth)
{
	const Item *r;
	Buf n = {0}, ct = {0};
	const char *c;
	size_t len;
	bool ok = false;
	while (t->kind == TY_ARRAY)
		t = t->elem;
	if (t->kind != TY_NAMED || !is_record(x86_item(t)) || !x86_item(t)->compat)
		return false;
	r = x86_item(t);
	if (!t->via_typedef || !native_tname(C, &n, r)) {
		buf_puts(out, strip_xen(r->name));
		buf_free(&n);
		return true;
	}
	compat_tname(&ct, buf_cstr(&n));
	c = buf_cstr(&ct);
	len = strlen(c);
	if (strncmp(c, "compat_", 7) == 0 && len > 9 && strcmp(c + len - 2, "_t") == 0) {
		buf_printf(out, "%.*s", (int)(len - 9), c + 7);
		ok = true;
	} else if (depth > 0 && strncmp(c, "evtchn_", 7) == 0 && len > 9 &&
		   strcmp(c + len - 9, "_compat_t") == 0) {
		buf_printf(out, "%.*s", (int)(len - 9), c);
		ok = true;
	}
	buf_free(&n);
	buf_free(&ct);
	return ok;
}

/* Is member i of it the hypervisor's?  For a name defined per target
 * (Xen's cpu_user_regs, in xen-x86_32.h and xen-x86_64.h) the compat
 * struct is x86_32's item and the native one x86_64's: a member is
 * paired with the native member of its name.  Where x86_64's definition
 * is no item (C text the specs keep verbatim), or declares members by
 * its own C text (c.decl: __DECL_REG_LOHI(b) makes rbx and ebx, of which
 * the model knows the first), every member is taken that no native
 * member's name rules out, and the compiler checks the names where Xen
 * uses the macro: the registers must be translated, not dropped. */
static bool native_present(const Compat *C, const Item *it, size_t i)
{
	const Item *n = C->split_native;
	size_t k;
	bool c_text = false;
	if (it->layout[NT] || it != C->split)
		return present(it, i, NT);
	if (!n)
		return it->fields[i].name != NULL;
	for (k = 0; k < n->nfields; k++) {
		if (n->fields[k].name && it->fields[i].name &&
		    strcmp(n->fields[k].name, it->fields[i].name) == 0)
			return present(n, k, NT);
		c_text |= n->fields[k].c_decl != NULL;
	}
	return c_text && it->fields[i].name != NULL;
}

/* The access path of member i of it below path ("u.unbound.dom"; an
 * anonymous member adds nothing) into p; false for a member the compat
 * macros leave alone: absent on x86_32 or x86_64, or, with skip_pad, a
 * padding member. */
static bool member_path(const Compat *C, Buf *p, const Item *it, size_t i,
			const char *path, bool skip_pad)
{
	const Field *f = &it->fields[i];
	if (!present(it, i, CT) || !native_present(C, it, i))
		return false;
	if (skip_pad && f->name && is_pad(f->name))
		return false;
	if (path && f->name)
		buf_printf(p, "%s.%s", path, f->name);
	else if (f->name)
		buf_puts(p, f->name);
	else if (path)
		buf_puts(p, path);
	return true;
}

static void check_fields(Compat *C, Buf *b, const Item *top, const char *kind,
			 const char *mname, const Item *it, const char *path,
			 int depth)
{
	size_t i;
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		Buf p = {0}, nc = {0};
		if (!member_path(C, &p, it, i, path, true))
			continue;
		if (f->type->kind == TY_INLINE) {
			check_fields(C, b, top, kind, mname, f->type->item,
				     p.len ? buf_cstr(&p) : NULL,
				     depth + (f->name != NULL));
		} else if (f->type->kind == TY_NAMED && is_record(x86_item(f->type)) &&
			   !x86_item(f->type)->compat && f->name) {
			/* an unmarked type is checked in place, as if inline */
			check_fields(C, b, top, kind, mname, x86_item(f->type),
				     buf_cstr(&p), depth + 1);
		} else if (nested_check(C, &nc, f->type, depth)) {
			buf_printf(b, "; \\\n    CHECK_%s", buf_cstr(&nc));
		} else if (depth == 0) {
			buf_printf(b, "; \\\n    CHECK_FIELD_(%s, %s, %s)", kind, mname,
				   buf_cstr(&p));
		} else {
			buf_printf(b, "; \\\n    CHECK_SUBFIELD_%d_(%s, %s, ", depth, kind,
				   mname);
			path_with(b, buf_cstr(&p), ", ");
			buf_putc(b, ')');
		}
		buf_free(&p);
		buf_free(&nc);
	}
}

static void emit_check(Compat *C, const Item *it)
{
	Buf *b = &C->xlat;
	const char *kind = item_kind_name(it->kind);
	const char *mname = strip_xen(it->name);
	buf_printf(b, "\n#define CHECK_%s \\\n    CHECK_SIZE_(%s, %s)", mname, kind,
		   mname);
	check_fields(C, b, it, kind, mname, it, NULL, 0);
	buf_puts(b, "\n");
}

/* The enums of a translated type's unions (post-order, as Xen's). */
static void xlat_enums(Compat *C, Buf *b, const char *mname, const Item *it,
		       const char *path)
{
	size_t i;
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		Buf p = {0};
		const Type *t = f->type;
		const Item *sub;
		while (t->kind == TY_ARRAY)
			t = t->elem;
		if (t->kind == TY_INLINE)
			sub = t->item;
		else if (t->kind == TY_NAMED && is_record(x86_item(t)) &&
			 !x86_item(t)->compat)
			sub = x86_item(t); /* translated in place */
		else
			continue;
		if (!member_path(C, &p, it, i, path, false))
			continue;
		xlat_enums(C, b, mname, sub, p.len ? buf_cstr(&p) : NULL);
		if (sub->kind == IT_UNION && p.len) {
			size_t k;
			buf_printf(b, "\nenum XLAT_%s_", mname);
			path_with(b, buf_cstr(&p), "_");
			buf_puts(b, " {\n");
			for (k = 0; k < sub->nfields; k++) {
				const Field *m = &sub->fields[k];
				size_t j;
				/* a member of older interface versions only
				 * (mmuext_op's const void *vcpumask) is not
				 * the hypervisor's */
				if (!m->name || !present(sub, k, CT) ||
				    !present(sub, k, NT))
					continue;
				/* a member declared twice, under conditions that
				 * exclude each other (mmuext_op.arg2.vcpumask:
				 * a handle, a pointer before 3.2.5), is one */
				for (j = 0; j < k; j++)
					if (sub->fields[j].name &&
					    present(sub, j, CT) && present(sub, j, NT) &&
					    strcmp(sub->fields[j].name, m->name) == 0)
						break;
				if (j < k)
					continue;
				buf_printf(b, "    XLAT_%s_", mname);
				path_with(b, buf_cstr(&p), "_");
				buf_printf(b, "_%s,\n", m->name);
			}
			buf_puts(b, "};\n");
		}
		buf_free(&p);
	}
}

static void xlat_field(Compat *C, Buf *b, const Item *top, const char *mname,
		       const Field *f, const Type *t, const char *path,
		       int indent, int level);

static void xlat_record(Compat *C, Buf *b, const Item *top, const char *mname,
			const Item *it, const char *path, int indent)
{
	size_t i;
	if (it->kind == IT_UNION) {
		if (!path) {
			diag_error(C->d, it->loc,
				   "'%s' is translated for compat and holds an "
				   "anonymous union: the switch that selects its "
				   "member needs a name", top->name);
			return;
		}
		buf_printf(b, " \\\n%*sswitch (", indent, "");
		path_with(b, path, "_");
		buf_puts(b, ") {");
		for (i = 0; i < it->nfields; i++) {
			const Field *m = &it->fields[i];
			Buf p = {0};
			if (!m->name || is_pad(m->name) || !present(it, i, CT) ||
			    !present(it, i, NT))
				continue;
			buf_printf(&p, "%s.%s", path, m->name);
			buf_printf(b, " \\\n%*scase XLAT_%s_", indent, "", mname);
			path_with(b, buf_cstr(&p), "_");
			buf_putc(b, ':');
			xlat_field(C, b, top, mname, m, m->type, buf_cstr(&p),
				   indent + 4, 0);
			buf_printf(b, " \\\n%*s    break;", indent, "");
			buf_free(&p);
		}
		buf_printf(b, " \\\n%*s}", indent, "");
		return;
	}
	for (i = 0; i < it->nfields; i++) {
		const Field *f = &it->fields[i];
		Buf p = {0};
		if (!member_path(C, &p, it, i, path, true))
			continue;
		xlat_field(C, b, top, mname, f, f->type, p.len ? buf_cstr(&p) : NULL,
			   indent, 0);
		buf_free(&p);
	}
}

/* Copy one member (path as written after "(_d_)->"), of type t. */
static void xlat_field(Compat *C, Buf *b, const Item *top, const char *mname,
		       const Field *f, const Type *t, const char *path,
		       int indent, int level)
{
	if (!path && t->kind != TY_INLINE)
		return; /* an unnamed member that is no inline type: nothing */
	switch (t->kind) {
	case TY_INLINE:
		xlat_record(C, b, top, mname, t->item, path, indent);
		return;
	case TY_ARRAY: {
		Buf p = {0};
		uint64_t n = t->count;
		if (t->flex)
			return; /* its length is the caller's to know */
		if (t->count_expr && expr_eval(t->count_expr, CT, &n) != LAYOUT_OK)
			return;
		buf_printf(b, " \\\n%*s{ \\\n%*s    unsigned int i%d; \\\n"
			      "%*s    for (i%d = 0; i%d < %llu; ++i%d) {",
			   indent, "", indent, "", level, indent, "", level, level,
			   (unsigned long long)n, level);
		buf_printf(&p, "%s[i%d]", path, level);
		xlat_field(C, b, top, mname, f, t->elem, buf_cstr(&p), indent + 8,
			   level + 1);
		buf_printf(b, " \\\n%*s    } \\\n%*s}", indent, "", indent, "");
		buf_free(&p);
		return;
	}
	case TY_HANDLE:
		if (level) {
			diag_error(C->d, f->loc,
				   "'%s' is translated for compat and holds an array "
				   "of guest handles, which no hook can name",
				   top->name);
			return;
		}
		buf_printf(b, " \\\n%*sXLAT_%s_HNDL_", indent, "", mname);
		path_with(b, path, "_");
		buf_puts(b, "(_d_, _s_);");
		return;
	case TY_NAMED: {
		const Item *sub = x86_item(t);
		if (is_record(sub) && !sub->compat) {
			/* an unmarked type is translated in place, as Xen's
			 * scripts translate a type defined inside another */
			xlat_record(C, b, top, mname, sub, path, indent);
			return;
		}
		if (is_record(sub) && sub->compat == COMPAT_TRANSLATE) {
			buf_printf(b, " \\\n%*sXLAT_%s(&(_d_)->%s, &(_s_)->%s);", indent,
				   "", strip_xen(sub->name), path, path);
			return;
		}
		break;
	}
	default:
		break;
	}
	buf_printf(b, " \\\n%*s(_d_)->%s = (_s_)->%s;", indent, "", path, path);
}

static void emit_xlat(Compat *C, const Item *it)
{
	Buf *b = &C->xlat;
	const char *mname = strip_xen(it->name);
	xlat_enums(C, b, mname, it, NULL);
	buf_printf(b, "\n#define XLAT_%s(_d_, _s_) do {", mname);
	xlat_record(C, b, it, mname, it, NULL, 4);
	buf_puts(b, " \\\n} while (0)\n");
}

/* ---- Files ------------------------------------------------------------------ */

static void banner(Compat *C, Buf *b, const char *what, const Unit *u)
{
	size_t i, k;
	buf_puts(b, "/*\n * ");
	c_comment_text(b, what);
	buf_puts(b, "\n *\n * AUTOGENERATED. DO NOT MODIFY: this file is "
		    OUTPUT_MARKER " from\n");
	for (k = 0; k < C->s->nunits; k++) {
		const Unit *v = u ? u : C->s->units[k];
		for (i = 0; i < v->nfiles; i++) {
			buf_puts(b, " *   ");
			c_comment_text(b, v->files[i].relpath);
			buf_putc(b, '\n');
		}
		if (u)
			break;
	}
	buf_puts(b, " * Edit the spec files instead and regenerate with:\n *   ");
	c_comment_text(b, C->o->regen_cmd);
	buf_puts(b, "\n */\n");
}

/* Does the unit have a compat header: anything on both x86 targets. */
static bool unit_in_view(const Unit *u)
{
	size_t i;
	if (u->family >= 0 && u->family != ARCH_X86)
		return false;
	for (i = 0; i < u->nitems; i++)
		if ((is_record(u->items[i]) || u->items[i]->kind == IT_ALIAS) &&
		    in_view(u->items[i]))
			return true;
	return false;
}

static void guard(Buf *b, const char *file)
{
	const char *p;
	buf_puts(b, "_COMPAT_");
	for (p = file; *p; p++)
		buf_putc(b, (char)((*p >= 'a' && *p <= 'z') ? *p - 32
				   : (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')
					   ? *p : '_'));
	buf_puts(b, "_H");
}

/* The path of unit to's compat header, relative to unit from's. */
static void rel_path(Compat *C, Buf *b, const Unit *from, const Unit *to)
{
	Buf f = {0}, t = {0};
	const char *p;
	size_t common = 0, i;
	unit_file_name(&f, from, C->o->keep_dashes);
	unit_file_name(&t, to, C->o->keep_dashes);
	for (i = 0; buf_cstr(&f)[i] && buf_cstr(&f)[i] == buf_cstr(&t)[i]; i++)
		if (buf_cstr(&f)[i] == '/')
			common = i + 1;
	for (p = buf_cstr(&f) + common; *p; p++)
		if (*p == '/')
			buf_puts(b, "../");
	buf_printf(b, "%s.h", buf_cstr(&t) + common);
	buf_free(&f);
	buf_free(&t);
}

static void emit_unit(Compat *C, OutSet *out, const Unit *u, Item **items,
		      size_t nitems)
{
	Buf b = {0}, name = {0}, g = {0}, path = {0};
	bool done[NPRIMS] = {false};
	size_t i;
	bool *included = xcalloc(C->s->nunits + 1, sizeof *included);

	unit_file_name(&name, u, C->o->keep_dashes);
	buf_printf(&path, "compat/%s.h", buf_cstr(&name));
	guard(&g, buf_cstr(&name));
	banner(C, &b, buf_cstr(&path), u);
	buf_printf(&b, "#ifndef %s\n#define %s\n\n#include <xen/compat.h>\n"
		       "#include <public/%s.h>\n",
		   buf_cstr(&g), buf_cstr(&g), buf_cstr(&name));
	/* Xen's compat headers have them from arch-x86/xen-x86_32.h, which
	 * a tree need not describe: every header may define them, once */
	buf_puts(&b, "#ifndef __XBG_COMPAT_INT64\n#define __XBG_COMPAT_INT64\n"
		     "typedef int64_t __attribute__((aligned(4))) int64_compat_t;\n"
		     "typedef uint64_t __attribute__((aligned(4))) uint64_compat_t;\n"
		     "#endif\n");
	included[u->index] = true;
	for (i = 0; i < u->nincludes; i++) {
		const Include *inc = &u->includes[i];
		const Unit *to = inc->unit;
		size_t k;
		if (!to && u->uses_arch)
			to = C->s->arch_units[ARCH_X86];
		if (to && !included[to->index] && unit_in_view(to)) {
			included[to->index] = true;
			buf_puts(&b, "#include \"");
			rel_path(C, &b, u, to);
			buf_puts(&b, "\"\n");
		}
		/* what x86 defines below its directory rather than in its
		 * view (xen_pmu_arch, in arch-x86/pmu.h), from that unit */
		for (k = 0; inc->unit == NULL && k < inc->nimports; k++) {
			const Symbol *sym = hmap_gets(&C->s->symbols, inc->imports[k]);
			const Item *it;
			if (!sym) /* a struct by its typedef name */
				sym = hmap_gets(&C->s->typedefs, inc->imports[k]);
			it = sym ? symbol_item_on(sym, CT) : NULL;
			if (!it || it->unit->arch >= 0 || included[it->unit->index] ||
			    !unit_in_view(it->unit))
				continue;
			included[it->unit->index] = true;
			buf_puts(&b, "#include \"");
			rel_path(C, &b, u, it->unit);
			buf_puts(&b, "\"\n");
		}
	}
	free(included);

	for (i = 0; i < nitems; i++) {
		const Item *it = items[i];
		size_t k;
		if (!is_record(it) || !in_view(it))
			continue;
		for (k = 0; k < it->nfields; k++)
			if (present(it, k, CT))
				prim_handles(C, &b, it->fields[k].type, done);
	}
	/* the typedefs and handles of the types that are not checked come
	 * first: a struct may point to one defined after it */
	for (i = 0; i < nitems; i++) {
		const Item *it = items[i];
		Buf n = {0}, ct = {0};
		const char *tn;
		if (!is_record(it) || !in_view(it) || it->compat == COMPAT_CHECK)
			continue;
		tn = native_tname(C, &n, it);
		if (tn) {
			compat_tname(&ct, tn);
			buf_printf(&b, "%s compat_%s;\ntypedef %s compat_%s %s;\n",
				   item_kind_name(it->kind), strip_xen(it->name),
				   item_kind_name(it->kind), strip_xen(it->name),
				   buf_cstr(&ct));
			if (C->pointed[it->index] || it->c.handle)
				buf_printf(&b, "DEFINE_COMPAT_HANDLE(%s);\n", buf_cstr(&ct));
		}
		buf_free(&n);
		buf_free(&ct);
	}
	for (i = 0; i < nitems; i++) {
		const Item *it = items[i];
		if (it->kind == IT_ALIAS && in_view(it)) {
			buf_putc(&b, '\n');
			emit_alias(C, &b, it);
		}
	}
	for (i = 0; i < nitems; i++) {
		const Item *it = items[i];
		Buf n0 = {0};
		if (!is_record(it) || !in_view(it))
			continue;
		buf_putc(&b, '\n');
		record_body(C, &b, it, 0, strip_xen(it->name));
		buf_puts(&b, ";\n");
		if (it->compat == COMPAT_CHECK && native_tname(C, &n0, it)) {
			Buf n = {0}, ct = {0};
			compat_tname(&ct, native_tname(C, &n, it));
			buf_printf(&b, "typedef %s %s __attribute__((__aligned__("
				       "__alignof(%s compat_%s)))) %s;\n",
				   item_kind_name(it->kind), it->name,
				   item_kind_name(it->kind), strip_xen(it->name),
				   buf_cstr(&ct));
			if (C->pointed[it->index] || it->c.handle)
				buf_printf(&b, "DEFINE_COMPAT_HANDLE(%s);\n", buf_cstr(&ct));
			buf_free(&n);
			buf_free(&ct);
		}
		buf_free(&n0);
	}
	buf_printf(&b, "\n#endif /* %s */\n", buf_cstr(&g));
	outset_add(out, buf_cstr(&path), &b);

	/* the macros, in the unit's spec order */
	for (i = 0; i < u->nitems; i++) {
		const Item *it = u->items[i];
		if (!is_record(it) || !in_view(it) || !it->compat)
			continue;
		if (!it->layout[NT]) {
			/* its native side is another item (or text), whose
			 * members the macros match by name */
			const Symbol *sym = hmap_gets(&C->s->symbols, it->name);
			C->split = it;
			C->split_native = sym ? symbol_item_on(sym, NT) : NULL;
			if (C->split_native == it || (C->split_native &&
						      !C->split_native->layout[NT]))
				C->split_native = NULL;
		}
		if (it->compat == COMPAT_CHECK)
			emit_check(C, it);
		else
			emit_xlat(C, it);
		C->split = C->split_native = NULL;
	}
	buf_printf(&C->incl, "#include \"%s.h\"\n", buf_cstr(&name));
	buf_free(&name);
	buf_free(&g);
	buf_free(&path);
}

static void mark_pointed(Compat *C, const Type *t)
{
	switch (t->kind) {
	case TY_HANDLE:
	case TY_PTR:
	case TY_CPTR:
		if (t->elem->kind == TY_NAMED && t->elem->sym) {
			const Item *it = x86_item(t->elem);
			C->pointed[it->index] = true;
		}
		mark_pointed(C, t->elem);
		break;
	case TY_ARRAY:
		mark_pointed(C, t->elem);
		break;
	default:
		break;
	}
}

void emit_c_compat(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	Compat C;
	UnitOrder order;
	Buf x = {0};
	size_t i, k;
	memset(&C, 0, sizeof C);
	C.s = s;
	C.o = o;
	C.d = d;
	C.pointed = xcalloc(s->nitems + 1, sizeof *C.pointed);
	for (i = 0; i < s->nitems; i++)
		for (k = 0; k < s->items[i]->nfields; k++)
			mark_pointed(&C, s->items[i]->fields[k].type);
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_ALIAS && s->items[i]->alias)
			mark_pointed(&C, s->items[i]->alias);
	order_units(s, &order);
	for (i = 0; i < s->nunits; i++)
		if (unit_in_view(s->units[i]))
			emit_unit(&C, out, s->units[i], order.items[i], order.count[i]);
	order_units_free(&order);

	banner(&C, &x, "compat/xlat.h", NULL);
	buf_puts(&x, "#ifndef _COMPAT_XLAT_H\n#define _COMPAT_XLAT_H\n\n");
	buf_put(&x, C.incl.data ? C.incl.data : "", C.incl.len);
	buf_put(&x, C.xlat.data ? C.xlat.data : "", C.xlat.len);
	buf_puts(&x, "\n#endif /* _COMPAT_XLAT_H */\n");
	outset_add(out, "compat/xlat.h", &x);
	buf_free(&C.xlat);
	buf_free(&C.incl);
	free(C.pointed);
}
