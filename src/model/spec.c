/*
 * spec.c - the model's vocabulary: primitive and kind names, lifecycle.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

static const char *const prim_names[NPRIMS] = {
	[P_U8] = "u8",     [P_U16] = "u16",   [P_U32] = "u32",
	[P_U64] = "u64",   [P_I8] = "i8",     [P_I16] = "i16",
	[P_I32] = "i32",   [P_I64] = "i64",   [P_CHAR] = "char",
	[P_INT] = "int",   [P_UINT] = "uint", [P_LONG] = "long",
	[P_ULONG] = "ulong", [P_U64_PLAIN] = "uint64_t",
	[P_I64_PLAIN] = "int64_t", [P_UCHAR] = "uchar", [P_SCHAR] = "schar",
	[P_SHORT] = "short", [P_USHORT] = "ushort", [P_LLONG] = "llong",
	[P_ULLONG] = "ullong", [P_VOID] = "void",
};

const char *prim_name(Prim p)
{
	return p < NPRIMS ? prim_names[p] : "?";
}

bool prim_from_name(const char *s, Prim *out)
{
	int p;
	for (p = 0; p < NPRIMS; p++) {
		if (strcmp(prim_names[p], s) == 0) {
			*out = (Prim)p;
			return true;
		}
	}
	return false;
}

/* 1 unsigned, -1 signed, 0 neither: char (signed on x86, unsigned on
 * Arm) and void. */
static int prim_signedness(Prim p)
{
	switch (p) {
	case P_U8: case P_U16: case P_U32: case P_U64: case P_UINT:
	case P_ULONG: case P_U64_PLAIN: case P_UCHAR: case P_USHORT:
	case P_ULLONG:
		return 1;
	case P_I8: case P_I16: case P_I32: case P_I64: case P_INT:
	case P_LONG: case P_I64_PLAIN: case P_SCHAR: case P_SHORT:
	case P_LLONG:
		return -1;
	case P_CHAR: case P_VOID: case NPRIMS:
		break;
	}
	return 0;
}

bool prim_is_integer(Prim p)
{
	return prim_signedness(p) != 0;
}

bool prim_is_signed(Prim p)
{
	return prim_signedness(p) < 0;
}

/* What C calls the primitives, by the words of a C type ("unsigned long
 * int", in any order, as C allows) or a <stdint.h> or Xen name. */
static const struct {
	const char *c, *spec;
} c_names[] = {
	{"uint8_t", "u8"}, {"uint16_t", "u16"}, {"uint32_t", "u32"},
	{"int8_t", "i8"}, {"int16_t", "i16"}, {"int32_t", "i32"},
	{"uint64_aligned_t", "u64"}, {"int64_aligned_t", "i64"},
};

const char *prim_for_c_spelling(const char *s)
{
	enum { W_UNSIGNED, W_SIGNED, W_CHAR, W_SHORT, W_INT, W_LONG, NWORDS };
	static const char *const words[NWORDS] = {
		"unsigned", "signed", "char", "short", "int", "long",
	};
	unsigned n[NWORDS] = {0};
	size_t i, total = 0;
	bool u;
	for (i = 0; i < ARRAY_LEN(c_names); i++)
		if (strcmp(s, c_names[i].c) == 0)
			return c_names[i].spec;
	while (*s) {
		size_t len = 0;
		int w;
		while (*s == ' ' || *s == '\t')
			s++;
		while (s[len] && s[len] != ' ' && s[len] != '\t')
			len++;
		if (!len)
			break;
		for (w = 0; w < NWORDS; w++)
			if (strlen(words[w]) == len && memcmp(s, words[w], len) == 0)
				break;
		if (w == NWORDS)
			return NULL; /* not a word of a C integer type */
		n[w]++;
		total++;
		s += len;
	}
	u = n[W_UNSIGNED] > 0;
	if (!total || (n[W_UNSIGNED] && n[W_SIGNED]) ||
	    n[W_UNSIGNED] + n[W_SIGNED] > 1 || n[W_INT] > 1 || n[W_CHAR] > 1 ||
	    n[W_SHORT] > 1 || n[W_LONG] > 2 ||
	    (n[W_CHAR] && (n[W_SHORT] || n[W_INT] || n[W_LONG])) ||
	    (n[W_SHORT] && n[W_LONG]))
		return NULL;
	if (n[W_CHAR])
		return u ? "uchar" : n[W_SIGNED] ? "schar" : "char";
	if (n[W_SHORT])
		return u ? "ushort" : "short";
	if (n[W_LONG] == 2)
		return u ? "ullong" : "llong";
	if (n[W_LONG])
		return u ? "ulong" : "long";
	return u ? "uint" : "int";
}

int name_signedness(const char *s)
{
	const char *spec = prim_for_c_spelling(s), *rest;
	Prim p;
	if (spec)
		s = spec;
	if (prim_from_name(s, &p))
		return prim_signedness(p);
	/* names of no type, spelt like one: uint8, uchr, u_long, sint32,
	 * schr, i24, int12 */
	if (strncmp(s, "unsigned", 8) == 0)
		return 1;
	if (strncmp(s, "signed", 6) == 0)
		return -1;
	if (!*s)
		return 0;
	rest = s + 1 + (s[1] == '_');
	if (s[0] == 'u' && *rest && strchr("icsl0123456789", *rest))
		return 1;
	if ((s[0] == 's' && (*rest == 'c' || strncmp(rest, "int", 3) == 0)) ||
	    (s[0] == 'i' && *rest >= '0' && *rest <= '9') ||
	    (strncmp(s, "int", 3) == 0 && s[3] >= '0' && s[3] <= '9'))
		return -1;
	return 0;
}

const char *item_kind_name(ItemKind k)
{
	switch (k) {
	case IT_STRUCT: return "struct";
	case IT_ENUM: return "enum";
	case IT_BITMAP: return "bitmap";
	case IT_UNION: return "union";
	case IT_ALIAS: return "alias";
	case IT_CONST: return "constant";
	case IT_MACRO: return "macro";
	case IT_HANDLE: return "handle";
	case IT_XMACRO: return "X-macro list";
	case IT_RING: return "ring";
	case IT_ANY: break;
	}
	return "type";
}

static const char *const arch_names[NARCH] = {"x86", "arm", "riscv", "ppc"};

const char *arch_name(int arch)
{
	return arch >= 0 && arch < NARCH ? arch_names[arch] : "?";
}

int arch_from_name(const char *s)
{
	int a;
	for (a = 0; a < NARCH; a++)
		if (strcmp(arch_names[a], s) == 0)
			return a;
	return -1;
}

Item *symbol_item(const Symbol *sym, int arch)
{
	int t;
	if (!sym)
		return NULL;
	if (sym->common)
		return sym->common;
	if (arch < 0 || arch >= NARCH)
		return NULL;
	if (sym->arch[arch] || !sym->split)
		return sym->arch[arch];
	for (t = 0; t < NTARGETS; t++)
		if (sym->tgt[t] && targets[t].arch == arch)
			return sym->tgt[t];
	return NULL;
}

Item *symbol_item_on(const Symbol *sym, int t)
{
	if (sym && sym->split && sym->tgt[t])
		return sym->tgt[t];
	return symbol_item(sym, targets[t].arch);
}

/* check.c makes sure that per-architecture definitions of one name agree
 * on kind and backing type, which is all a declaration that uses the name
 * depends on: any of them will do. */
Item *symbol_any(const Symbol *sym)
{
	int a;
	if (sym->common)
		return sym->common;
	for (a = 0; a < NARCH; a++)
		if (sym->arch[a])
			return sym->arch[a];
	for (a = 0; a < NTARGETS; a++)
		if (sym->tgt[a])
			return sym->tgt[a];
	return NULL;
}

void type_to_string(Buf *b, const Type *t)
{
	switch (t->kind) {
	case TY_PRIM:
		buf_puts(b, prim_name(t->prim));
		return;
	case TY_NAMED:
		if (t->want == IT_ANY)
			buf_puts(b, t->name);
		else
			buf_printf(b, "%s %s", item_kind_name(t->want), t->name);
		return;
	case TY_PTR:
	case TY_HANDLE:
	case TY_CPTR:
		buf_puts(b, t->kind == TY_PTR ? "ptr<" : t->kind == TY_HANDLE
			    ? "handle<" : "cptr<");
		type_to_string(b, t->elem);
		buf_putc(b, '>');
		return;
	case TY_ARRAY:
		type_to_string(b, t->elem);
		if (t->flex)
			buf_puts(b, "[]");
		else if (t->count_text)
			buf_printf(b, "[%s]", t->count_text);
		else
			buf_printf(b, "[%llu]", (unsigned long long)t->count);
		return;
	case TY_INLINE:
		buf_printf(b, "%s {...}", item_kind_name(t->item->kind));
		return;
	}
}

Spec *spec_new(const char *indir)
{
	Spec *s = xcalloc(1, sizeof *s);
	arena_init(&s->arena);
	hmap_init_arena(&s->symbols, &s->arena);
	hmap_init_arena(&s->members, &s->arena);
	hmap_init_arena(&s->typedefs, &s->arena);
	s->indir = arena_strdup(&s->arena, indir);
	return s;
}

void spec_free(Spec *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->nunits; i++) {
		free(s->units[i]->items);
		free(s->units[i]->includes);
		free(s->units[i]->seq);
		free(s->units[i]->bumps);
	}
	free(s->items);
	arena_free(&s->arena);
	free(s);
}
