/*
 * names.c - the rules for the names a spec gives, which the generated C
 * uses verbatim.
 *
 * A name must be an identifier of a sensible length, and a name that C
 * declares (a type, a field, a typedef) must not be a C or C++ keyword.  A
 * constant's name is stricter still: C makes it a macro, which replaces the
 * name everywhere after it.  These rules need no symbol table, so both the
 * symbol table (resolve.c) and the member and op checks (check.c) call
 * them; names.c calls neither.
 */
#include "model/model.h"

#include <string.h>

/* ---- Identifiers --------------------------------------------------------- */

bool names_ident(Diag *d, const char *name, Loc loc, const char *what)
{
	if (strlen(name) > MAX_IDENT_LEN) {
		diag_error(d, loc, "%s name is longer than %d characters", what,
			   MAX_IDENT_LEN);
		return false;
	}
	if (!is_ident(name)) {
		Buf b = {0};
		const char *p;
		for (p = name; *p && b.len < 80; p++) {
			unsigned char c = (unsigned char)*p;
			if (c < 0x20 || c == 0x7f)
				buf_printf(&b, "\\x%02x", c);
			else
				buf_putc(&b, (char)c);
		}
		diag_error(d, loc,
			   "invalid %s name '%s': a name must match "
			   "[A-Za-z_][A-Za-z0-9_]*", what, buf_cstr(&b));
		buf_free(&b);
		return false;
	}
	return true;
}

/* Names used verbatim in C (types, fields) cannot be C or C++ keywords. */
bool names_c_name(Diag *d, const char *name, Loc loc, const char *what)
{
	if (!names_ident(d, name, loc, what))
		return false;
	if (c_keyword(name)) {
		diag_error(d, loc,
			   "%s name '%s' is a C or C++ keyword; choose another name",
			   what, name);
		return false;
	}
	return true;
}

/* ---- The C names of members -------------------------------------------------
 * Enum and bitmap members: PREFIX + NAME, where the prefix defaults to the
 * item's name in capitals plus '_' and the member keeps its case only on
 * request (the RFC's XEN_DOMCTL_CDF_HVM versus Xen's XEN_DOMCTL_CDF_hvm). */
static void member_prefix(Buf *b, const Item *it)
{
	if (it->c.prefix) {
		buf_puts(b, it->c.prefix);
		return;
	}
	name_upper(b, it->name);
	buf_putc(b, '_');
}

void names_member_macro(Buf *b, const Item *it, const char *member)
{
	member_prefix(b, it);
	if (it->c.keep_case)
		buf_puts(b, member);
	else
		name_upper(b, member);
}

bool names_all_macro(Buf *b, const Item *it)
{
	if (it->c.all) {
		buf_puts(b, it->c.all);
		return *it->c.all != '\0';
	}
	member_prefix(b, it);
	buf_puts(b, "_ALL");
	return true;
}

/* ---- Constants as C macros --------------------------------------------------
 * A constant becomes "#define NAME value", which replaces NAME everywhere
 * after it, whatever NAME is in C: a field, a typedef, or a macro the
 * headers test.  A constant named like a field would break the struct, and
 * one named __x86_64__ would make an i386 build pick x86_64's definitions
 * without a word.  So a constant's name (and its compat names) must not be
 * a name the generated C uses otherwise. */

static bool reserved_macro(const char *name)
{
	static const char *const names[] = {
		/* <stdint.h> and <stddef.h>, as the headers use them */
		"uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
		"int16_t", "int32_t", "int64_t", "offsetof", "NULL",
		/* support/xen-prelude.h */
		"uint64_aligned_t", "int64_aligned_t", "XEN_FLEX_ARRAY_DIM",
		"XEN_GUEST_HANDLE", "XEN_GUEST_HANDLE_64",
		"DEFINE_XEN_GUEST_HANDLE", "__DEFINE_XEN_GUEST_HANDLE",
		"___DEFINE_XEN_GUEST_HANDLE", "__XEN_INTERFACE_VERSION__",
		"__XEN_LATEST_INTERFACE_VERSION__", "__XEN__", "__XEN_TOOLS__",
		"__XEN_PUBLIC_XEN_H__", "XENBINDGEN_XEN_PRELUDE_H",
		/* what the layout assertions and version tests use */
		"static_assert", "_Static_assert", "alignof", "_Alignof",
		"defined", "__attribute__", "__aligned__", "__STDC_VERSION__",
		"__GNUC__", "__cplusplus", "XBG_STATIC_ASSERT", "XBG_ALIGNOF",
	};
	/* the generator's own prefixes: include guards, handle typedefs */
	static const char *const prefixes[] = {
		"__XEN_AUTOGEN_", "__guest_handle_", "xbg_", "XBG_",
	};
	size_t i;
	int t;
	for (i = 0; i < ARRAY_LEN(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	for (i = 0; i < ARRAY_LEN(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	/* the macros that select a target: __i386__, __riscv_xlen, ... */
	for (t = 0; t < NTARGETS; t++) {
		const char *p = targets[t].cond, *q;
		size_t n = strlen(name);
		while ((q = strstr(p, name)) != NULL) {
			bool start = q == targets[t].cond ||
				     !(q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z') ||
				       (q[-1] >= 'A' && q[-1] <= 'Z') ||
				       (q[-1] >= '0' && q[-1] <= '9'));
			char e = q[n];
			bool end = !(e == '_' || (e >= 'a' && e <= 'z') ||
				     (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'));
			if (start && end)
				return true;
			p = q + 1;
		}
	}
	return false;
}

static void add_field_names(HMap *m, Arena *a, Item *it)
{
	size_t i;
	for (i = 0; i < it->nfields; i++)
		if (it->fields[i].name)
			hmap_put(m, it->fields[i].name, strlen(it->fields[i].name),
				 &it->fields[i]);
	if (!it->inline_type) {
		/* the typedef a struct or union may get (c_typedef_name) */
		const char *td = it->c.typedef_name ? it->c.typedef_name
			       : arena_printf(a, "%s_t", it->name);
		hmap_put(m, td, strlen(td), it);
	}
}

static void check_macro_name(Diag *d, const HMap *used, const char *name,
			     Loc loc, ItemKind k)
{
	if (reserved_macro(name)) {
		diag_error(d, loc,
			   "%s '%s' would be a C macro replacing '%s', which "
			   "the generated headers use; choose another name",
			   item_kind_name(k), name, name);
		return;
	}
	/* a function-like macro replaces only a name followed by '(' */
	if (k == IT_CONST && hmap_gets(used, name))
		diag_error(d, loc,
			   "constant '%s' would be a C macro replacing every '%s', "
			   "a field or typedef name too; choose another name",
			   name, name);
}

void names_check_macros(Spec *s, Diag *d)
{
	HMap used;
	size_t i, k;
	hmap_init(&used);
	for (i = 0; i < s->nitems; i++)
		if (s->items[i]->kind == IT_STRUCT || s->items[i]->kind == IT_UNION)
			add_field_names(&used, &s->arena, s->items[i]);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		if (it->kind != IT_CONST && it->kind != IT_MACRO &&
		    it->kind != IT_XMACRO)
			continue;
		check_macro_name(d, &used, it->name, it->name_loc, it->kind);
		for (k = 0; k < it->c.ncompat; k++)
			check_macro_name(d, &used, it->c.compat[k], it->c.loc,
					 it->kind);
	}
	hmap_free(&used);
}
