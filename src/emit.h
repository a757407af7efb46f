/*
 * emit.h - the backends.  Each reads the checked, laid-out model and adds
 * whole files to an OutSet; none touches the disk or re-reads a spec.
 */
#ifndef XBG_EMIT_H
#define XBG_EMIT_H

#include "output.h"
#include "spec.h"

typedef struct EmitOptions {
	const char *regen_cmd; /* the command that regenerates the outputs */
	bool keep_dashes;      /* arch-x86.h rather than arch_x86.h */
	const char *crate;     /* Rust crate name */
} EmitOptions;

/* The output file name of a unit: "arch-x86" -> "arch_x86" (or kept). */
void unit_file_name(Buf *b, const Unit *u, bool keep_dashes);

void emit_c(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);
void emit_rust(Spec *s, const EmitOptions *o, OutSet *out, Diag *d);

#endif
