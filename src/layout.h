/*
 * layout.h - targets, their data models, and the layout engine.
 *
 * The engine computes, from the model alone, every item's size, alignment
 * and field offsets on every target, the way the C compilers for those
 * targets do.  The compile matrix (tests) proves it against real compilers.
 */
#ifndef XBG_LAYOUT_H
#define XBG_LAYOUT_H

#include "spec.h"

typedef struct Target {
	const char *name;      /* "x86_32" */
	int arch;              /* ARCH_* */
	const char *triple;    /* clang --target= */
	const char *cond;      /* C preprocessor test selecting the target */
	const char *rust_arch; /* cfg(target_arch) */
	const char *model;     /* data model, for docs: "ILP32", "LP64" */
	unsigned ptr_size;     /* also pointer alignment */
	unsigned long_size;    /* also long alignment */
	unsigned i64_align;    /* alignment of plain 64-bit integers */
	unsigned handle_size;  /* XEN_GUEST_HANDLE(): a pointer on x86, 8 bytes
				* (a union with uint64_aligned_t) elsewhere */
} Target;

extern const Target targets[NTARGETS];
int target_from_name(const char *name); /* -1 if unknown */

/* Size and alignment of a primitive on a target. */
void prim_layout(Prim p, int target, uint64_t *size, uint64_t *align);
/* Size and alignment of a type on a target. */
typedef enum LayoutStatus {
	LAYOUT_OK,
	LAYOUT_UNKNOWN,  /* depends on an item that could not be laid out */
	LAYOUT_OVERFLOW, /* the size does not fit in 64 bits */
	LAYOUT_ABSENT,   /* names an item that does not exist on the target */
	LAYOUT_BADLEN,   /* an array length that cannot be computed (reported) */
} LayoutStatus;
LayoutStatus type_layout(const Type *t, int target, uint64_t *size,
			 uint64_t *align);

/* Does the item, or the field, exist on target t (in the tools build at
 * the latest interface version that layouts describe)? */
bool item_on_target(const Item *it, int t);
bool cond_on_target(const Cond *c, int t);

/* Evaluate an array length expression on a target. */
LayoutStatus expr_eval(const Expr *e, int target, uint64_t *out);

/* Compute the layout of every item on every covered target.  Reports
 * overflowing sizes; items that cannot be laid out get layout_failed. */
void layout_compute(Spec *s, Diag *d);

/* Same size, alignment and field offsets and sizes. */
bool layout_equal(const Item *it, const Layout *a, const Layout *b);
/* Group targets by identical layout: group[t] is the first target of t's
 * group, or -1 where the item has no layout or sel (if given) excludes t.
 * Returns the number of groups. */
int layout_groups(const Item *it, const bool *sel, int *group);
/* "x86_32, arm32": the targets of group g. */
void layout_group_names(Buf *b, const int *group, int g);

/* The gaps of a struct layout: interior holes and tail padding. */
typedef struct Hole {
	size_t before; /* index of the field after the hole; nfields: the tail */
	uint64_t offset, size;
} Hole;
/* Fills out (room for nfields + 1 holes) and returns the count. */
size_t layout_holes(const Item *it, const Layout *l, Hole *out);

/* Test-only fault injection: XENBINDGEN_PERTURB=type.field@target (or
 * type@target for the size) adds 1 to that number after layout, so the
 * compile matrix can prove it catches a wrong engine. */
void layout_perturb(Spec *s, const char *spec);

#endif
