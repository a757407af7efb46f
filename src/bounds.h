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

/* Largest spec file read, in bytes (64 MiB). */
#define MAX_FILE_SIZE (64u * 1024u * 1024u)
/* Deepest nesting of arrays and tables in a document. */
#define MAX_DOC_DEPTH 128
/* Longest identifier (type, field, variant, bit, constant, output name). */
#define MAX_IDENT_LEN 255
/* Deepest nesting of types (arrays of arrays, pointers to pointers). */
#define MAX_TYPE_DEPTH 32
/* Most spec files under one --indir. */
#define MAX_SPEC_FILES 100000

#endif
