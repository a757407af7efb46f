/*
 * diag.h - source locations and diagnostics.
 *
 * Every stage reports through a Diag.  Diagnostics are collected, not
 * printed on the spot, so that one run can report every error it finds and
 * print them in source order at the end, gcc-style:
 *
 *   path:line:col: error: message
 *    12 | name = "x"
 *       |        ^
 *
 * A note attaches to the error or warning reported just before it and is
 * printed right after it.  Columns are 1-based and count Unicode code
 * points (a tab counts as one).
 */
#ifndef XBG_DIAG_H
#define XBG_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A position in a source file.  file == 0 means "no location" (for
 * example a problem with the command line or the directory layout). */
typedef struct Loc {
	uint32_t file;
	uint32_t line;
	uint32_t col;
} Loc;

static const Loc NO_LOC = {0, 0, 0};

typedef enum DiagLevel { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct Diag Diag;

Diag *diag_new(void);
void diag_free(Diag *d);

/* Register a source file; returns its id (>= 1).  Ids are handed out in
 * registration order, which is also the order diagnostics are sorted in, so
 * callers register files in a deterministic (sorted) order. */
uint32_t diag_add_source(Diag *d, const char *path);
const char *diag_source_path(const Diag *d, uint32_t file);
/* Lend the file's text so source lines can be shown.  Pass NULL before the
 * text is freed; the file is then re-read if a later diagnostic needs it. */
void diag_set_text(Diag *d, uint32_t file, const char *text, size_t len);

void diag_report(Diag *d, DiagLevel level, Loc loc, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
void diag_vreport(Diag *d, DiagLevel level, Loc loc, const char *fmt,
		  va_list ap);
#define diag_error(d, loc, ...) diag_report(d, DIAG_ERROR, loc, __VA_ARGS__)
#define diag_warning(d, loc, ...) diag_report(d, DIAG_WARNING, loc, __VA_ARGS__)
#define diag_note(d, loc, ...) diag_report(d, DIAG_NOTE, loc, __VA_ARGS__)

size_t diag_error_count(const Diag *d);
size_t diag_warning_count(const Diag *d);
/* True once the error limit is reached: stages may stop early. */
bool diag_full(const Diag *d);
void diag_set_limit(Diag *d, size_t max_errors); /* 0 = no limit */
/* Treat warnings as errors. */
void diag_set_werror(Diag *d, bool on);

/* Print everything collected so far, sorted by location, and forget it. */
void diag_print(Diag *d, FILE *out, bool color);

/* Decide whether to colour: mode is "auto", "always" or "never".
 * auto means: out is a terminal and NO_COLOR is unset or empty. */
bool diag_want_color(const char *mode, FILE *out);

#endif
