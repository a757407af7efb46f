/*
 * emit.h - the backends.  Each reads the checked, laid-out model and adds
 * whole files to an OutSet; none touches the disk or re-reads a spec.
 *
 * Sectioned by the file that defines each declaration.  emit/ uses base/,
 * model/ and out/ (for the OutSet it fills).
 */
#ifndef XBG_EMIT_H
#define XBG_EMIT_H

#include "base/base.h"
#include "model/model.h"
#include "out/out.h"

/* The Rust crate's name unless --crate-name says otherwise: "xen-sys" is
 * an existing crate of crates.io, which a generated crate must not claim. */
#define EMIT_CRATE_DEFAULT "xen-abi"

typedef struct EmitOptions {
	const char *regen_cmd; /* the command that regenerates the outputs */
	bool keep_dashes;      /* arch-x86.h rather than arch_x86.h */
	const char *crate;     /* Rust crate name (EMIT_CRATE_DEFAULT) */
	bool rust_names;       /* Rust: Rust-style names rather than C's */
	/* c-layout: check these hand-written headers instead of ours */
	const char *const *against;
	size_t nagainst;
} EmitOptions;

/* ---- emit.c ------------------------------------------------------------- */
/* The output file name of a unit, without ".h": its header's path, or by
 * default its name ("arch-x86" -> "arch_x86", or kept). */
void unit_file_name(Buf *b, const Unit *u, bool keep_dashes);
/* The last component of a path. */
const char *path_base(const char *path);

/* A description as normalised lines (see emit_util.c). */
typedef struct Lines {
	char **v;
	size_t n, cap;
} Lines;

void lines_split(Lines *l, const char *desc);
void lines_free(Lines *l);

/* The marked files each backend owns in an output directory (OutOwns). */
bool owns_c_header(const char *relpath);
bool owns_c_layout(const char *relpath);
bool owns_rust(const char *relpath);
bool owns_c_compat(const char *relpath);

/* ---- cnames.c ----------------------------------------------------------- */
/* C's spelling of each primitive: "uint8_t", "unsigned long". */
extern const char *const c_prim[NPRIMS];
/* The guest handle of a primitive pointee: XEN_GUEST_HANDLE(name), for
 * the C type type; xen.h defines it, or a header that needs it does. */
typedef struct CHandle {
	const char *name, *type;
	bool in_xen_h;
} CHandle;
extern const CHandle c_handle[NPRIMS];
/* Appends the name a guest handle to t takes (uint8, foo_t, xen_pfn_t);
 * returns the primitive whose handle it is, or NPRIMS for a named type's
 * own handle. */
Prim c_handle_name(Buf *b, const Type *t);
/* C spellings, shared by the headers and the layout assertions so that
 * both always agree: the macro of an enum variant or bitmap bit
 * (XEN_X86_EMU_LAPIC), and a bitmap's mask of all bits (XEN_X86_EMU__ALL). */
void c_member_macro(Buf *b, const Item *it, const char *member);
/* Appends the mask macro's name; false if the item has none (all = ""). */
bool c_all_macro(Buf *b, const Item *it);
/* A struct or union's typedef name (c.typedef, or name_t when a pointer
 * targets it or c.handle asks for a handle); NULL if it has none. */
const char *c_typedef_name(Buf *b, const Item *it, bool pointed);
/* Which items (by Item.index) a pointer or guest handle targets: those
 * get a guest handle of their own.  Heap-allocated, nitems + 1 entries. */
bool *c_pointed(const Spec *s);
/* The #if expression for a condition; false if it always holds. */
bool c_cond(Buf *b, const Cond *c, int unit_arch);
/* "#if EXPR\n" (or another directive), broken with backslash-newlines
 * after && and || to stay within 80 columns. */
void c_if_line(Buf *b, const char *directive, const char *expr);
/* A C comment's text with "*" "/" and friends defused. */
void c_comment_text(Buf *b, const char *s);
/* A description as a comment at an indentation: paragraphs re-flowed to
 * 80 columns, list items and indented lines kept; nothing if empty. */
void c_comment(Buf *b, int indent, const char *desc);

/* ---- c.c ---------------------------------------------------------------- */
void emit_c(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);

/* ---- c_layout.c --------------------------------------------------------- */
void emit_c_layout(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);

/* ---- abi_facts.c --------------------------------------------------------
 * The ABI of a laid-out spec as facts per target, with C's names: read by
 * the abi-summary backend and compared by `xenbindgen diff` (src/diff/),
 * so that a line of the summary changes exactly when diff reports a
 * change. */
typedef enum AbiKind {
	AK_TYPE, AK_CONSTANT, AK_ENUMERATOR, AK_MACRO, AK_HANDLE, NABIKINDS
} AbiKind;
/* "type", "constant", ...: the words of diff's JSON */
extern const char *const abi_kind_names[NABIKINDS];

typedef struct AbiMember {
	const char *name;  /* "(anonymous)", "(anonymous 2)" for unnamed ones */
	uint64_t offset, size;
	unsigned bits, bit_offset; /* a bit field: width and first bit */
	const char *type;  /* in spec words, as on the target: "u32[4]" */
} AbiMember;

typedef struct AbiEntry {
	AbiKind kind;
	const char *name;  /* C's name: struct tag, macro, __guest_handle_T */
	const char *what;  /* struct union enum bitmap alias | const op |
			    * variant bit mask | handle */
	const char *root;  /* the top-level item: an inline type's outermost */
	const Item *item;  /* where it is written */
	uint64_t size, align;      /* types and handles */
	AbiMember *members;        /* structs and unions */
	size_t nmembers;
	const char *type;  /* an alias's type; a value's type ("" untyped) */
	int64_t value;     /* constants and enumerators */
	bool uns;          /* value is unsigned and at least 2^63 (its bits) */
	const char *params; /* macros: "(a, b)" */
	const char *body;   /* macros: the body as the C header writes it */
	bool hex;          /* the value reads better in hex */
	const char *cond;  /* build and version restrictions in C, sorted and
			    * joined by " && "; "" when none */
} AbiEntry;

typedef struct AbiFacts {
	Arena arena;
	AbiEntry *entries[NTARGETS]; /* sorted by name, then kind */
	size_t n[NTARGETS];
	bool covered[NTARGETS];      /* targets the spec was laid out for */
} AbiFacts;

/* Spec is not const: the values of constants written as expressions are
 * computed (once, cached in the items) by eval.c. */
void abi_facts_build(AbiFacts *f, Spec *s);
void abi_facts_free(AbiFacts *f);
/* "21", "0x15", "-1" */
void abi_value_string(Buf *b, const AbiEntry *e);
/* "offset 8 size 4 bits 3@5 u32" */
void abi_member_string(Buf *b, const AbiMember *m);

/* ---- abi_summary.c ------------------------------------------------------
 * -l abi-summary: the facts as one sorted text file, abi-summary.txt, to
 * commit next to the specs (docs/abi-evolution.md). */
void emit_abi_summary(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);
bool owns_abi_summary(const char *relpath);
/* ---- c_compat.c --------------------------------------------------------- */
/* compat/<unit>.h and compat/xlat.h: Xen's 32-bit guest view (docs/compat.md). */
void emit_c_compat(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);

/* ---- rust.c ------------------------------------------------------------- */
/* The Rust backend is several files, rust*.c, whose shared inside is in
 * their private header rust.h (which says why); this is all they export. */
void emit_rust(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);

#endif
