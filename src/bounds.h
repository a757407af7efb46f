/*
 * bounds.h - resource limits on untrusted input.
 *
 * A spec is written by people, and no real one comes near these numbers;
 * they exist so that a hostile or broken file gets a clear error instead of
 * exhausting memory or the stack.  docs/limits.md lists them with the
 * diagnostics they produce; keep the two in sync.
 */
#ifndef XBG_BOUNDS_H
#define XBG_BOUNDS_H

#include <stdint.h>

/* The decimal digits of a limit, for messages written as literals. */
#define BOUND_STR_(x) #x
#define BOUND_STR(x) BOUND_STR_(x)

/* Largest spec file read (64 MiB). */
#define MAX_FILE_SIZE_MIB 64
#define MAX_FILE_SIZE ((uint64_t)MAX_FILE_SIZE_MIB << 20)
/* Deepest nesting of arrays and tables in a document. */
#define MAX_DOC_DEPTH 128
/* Longest identifier (type, field, variant, bit, constant, output name). */
#define MAX_IDENT_LEN 255
/* Deepest nesting of types (arrays of arrays, pointers to pointers). */
#define MAX_TYPE_DEPTH 32
/* Deepest directory holding spec files, counted below --indir. */
#define MAX_DIR_DEPTH 16
/* Most spec files under one --indir. */
#define MAX_SPEC_FILES 100000
/* Largest total size of the spec files of one run (64 MiB).  The model
 * and the outputs grow linearly with the input but by a factor that depends
 * on how dense the spec is: about 3 for the bench corpus, but 18 (C, Rust)
 * to 42 (C layout assertions) bytes of memory per byte of a spec of bare
 * fields, so this bounds memory and disk use, not just the input.  A build
 * may set it (make CPPFLAGS=-DMAX_TOTAL_SIZE_MIB=1024): `make bench` does,
 * to read its corpus of 100,000 structs (309 MB). */
#ifndef MAX_TOTAL_SIZE_MIB
#define MAX_TOTAL_SIZE_MIB 64
#endif
#define MAX_TOTAL_SIZE ((uint64_t)MAX_TOTAL_SIZE_MIB << 20)
/* Longest array length expression, in bytes, and its deepest nesting of
 * parentheses. */
#define MAX_EXPR_LEN 256
#define MAX_EXPR_DEPTH 64

#endif
