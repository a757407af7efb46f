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

typedef struct EmitOptions {
	const char *regen_cmd; /* the command that regenerates the outputs */
	bool keep_dashes;      /* arch-x86.h rather than arch_x86.h */
	const char *crate;     /* Rust crate name */
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

/* ---- c_compat.c --------------------------------------------------------- */
/* compat/<unit>.h and compat/xlat.h: Xen's 32-bit guest view (docs/compat.md). */
void emit_c_compat(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);

/* ---- rust.c ------------------------------------------------------------- */
/* The Rust backend is several files, rust*.c, whose shared inside is in
 * their private header rust.h (which says why); this is all they export. */
void emit_rust(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);

#endif
