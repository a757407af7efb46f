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
	[P_I64_PLAIN] = "int64_t", [P_VOID] = "void",
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

bool prim_is_integer(Prim p)
{
	return p <= P_I64 || (p >= P_INT && p <= P_I64_PLAIN);
}

bool prim_is_signed(Prim p)
{
	return (p >= P_I8 && p <= P_I64) || p == P_INT || p == P_LONG ||
	       p == P_I64_PLAIN;
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
	if (!sym)
		return NULL;
	if (sym->common)
		return sym->common;
	return arch >= 0 && arch < NARCH ? sym->arch[arch] : NULL;
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
	}
	free(s->items);
	arena_free(&s->arena);
	free(s);
}
