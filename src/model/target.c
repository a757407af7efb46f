/*
 * target.c - the targets Xen supports, their data models, and where an
 * item exists.
 *
 * What differs between targets is only the data model: the size of long
 * and pointers, and how 64-bit integers are aligned (4 bytes in i386's
 * System V ABI, 8 in AAPCS and every 64-bit ABI).
 */
#include "model/model.h"

#include <string.h>

const Target targets[NTARGETS] = {
	[TGT_X86_32] = {"x86_32", ARCH_X86, "i386-linux-gnu",
			"defined(__i386__)", "x86", "ILP32", 4, 4, 4, 4},
	[TGT_X86_64] = {"x86_64", ARCH_X86, "x86_64-linux-gnu",
			"defined(__x86_64__)", "x86_64", "LP64", 8, 8, 8, 8},
	[TGT_ARM32] = {"arm32", ARCH_ARM, "armv7a-linux-gnueabihf",
		       "defined(__arm__)", "arm", "ILP32 (AAPCS)", 4, 4, 8, 8},
	[TGT_ARM64] = {"arm64", ARCH_ARM, "aarch64-linux-gnu",
		       "defined(__aarch64__)", "aarch64", "LP64", 8, 8, 8, 8},
	[TGT_RISCV64] = {"riscv64", ARCH_RISCV, "riscv64-linux-gnu",
			 "defined(__riscv) && __riscv_xlen == 64", "riscv64",
			 "LP64", 8, 8, 8, 8},
	[TGT_PPC64LE] = {"ppc64le", ARCH_PPC, "powerpc64le-linux-gnu",
			 "defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)",
			 "powerpc64", "LP64", 8, 8, 8, 8},
};

int target_from_name(const char *name)
{
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (strcmp(targets[t].name, name) == 0)
			return t;
	return -1;
}

void prim_layout(Prim p, int target, uint64_t *size, uint64_t *align)
{
	const Target *t = &targets[target];
	switch (p) {
	case P_U8: case P_I8: case P_CHAR: case P_UCHAR: case P_SCHAR:
		*size = *align = 1;
		return;
	case P_U16: case P_I16: case P_SHORT: case P_USHORT:
		*size = *align = 2;
		return;
	case P_U32: case P_I32: case P_INT: case P_UINT:
		*size = *align = 4;
		return;
	case P_U64: case P_I64:
		*size = *align = 8;
		return;
	case P_LONG: case P_ULONG:
		*size = *align = t->long_size;
		return;
	case P_U64_PLAIN: case P_I64_PLAIN: case P_LLONG: case P_ULLONG:
		*size = 8;
		*align = t->i64_align;
		return;
	case P_VOID:
	case NPRIMS:
		break;
	}
	*size = *align = 1;
}

/* Whether a constant that a condition names exists on target t, by where
 * its unit and its targets put it (not its own configuration macros: a
 * condition on one may name another, or itself). */
static bool const_on_target(const Symbol *sym, int t)
{
	/* symbol_item_on()'s lookup, less its fallback to another target's
	 * definition (which would not be on t); written here because spec.c
	 * uses this file's target table, and files do not call in a cycle */
	const Item *it = sym->common ? sym->common
		       : sym->tgt[t] ? sym->tgt[t] : sym->arch[targets[t].arch];
	if (!it)
		return false;
	if (it->unit->family >= 0 && it->unit->family != targets[t].arch)
		return false;
	if (it->unit->header.set && it->unit->header.cond.targets &&
	    !(it->unit->header.cond.targets >> t & 1u))
		return false;
	return !it->cond.targets || (it->cond.targets >> t & 1u);
}

bool cond_macros_on_target(const Cond *c, int t)
{
	size_t i;
	for (i = 0; i < c->ndefined; i++)
		if (!c->defined_sym || !c->defined_sym[i] ||
		    !const_on_target(c->defined_sym[i], t))
			return false;
	for (i = 0; c->not_defined_sym && i < c->nnot_defined; i++)
		if (c->not_defined_sym[i] && const_on_target(c->not_defined_sym[i], t))
			return false;
	return true;
}

bool targets_keep_arch(unsigned set, int a)
{
	int t;
	if (!set)
		return true;
	for (t = 0; t < NTARGETS; t++)
		if (targets[t].arch == a && (set >> t & 1u))
			return true;
	return false;
}

bool item_on_target(const Item *it, int t)
{
	/* an inline type exists where the field defining it and every
	 * enclosing item do */
	for (; it->inline_type && it->parent; it = it->parent)
		if (!cond_on_target(&it->cond, t))
			return false;
	if (it->unit->family >= 0 && it->unit->family != targets[t].arch)
		return false;
	if (it->unit->header.set && !cond_on_target(&it->unit->header.cond, t))
		return false;
	return cond_on_target(&it->cond, t);
}
