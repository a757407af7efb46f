/*
 * emit_util.h - helpers shared by the backends.
 */
#ifndef XBG_EMIT_UTIL_H
#define XBG_EMIT_UTIL_H

#include "util.h"

/* A description as normalised lines (see emit_util.c). */
typedef struct Lines {
	char **v;
	size_t n, cap;
} Lines;

void lines_split(Lines *l, const char *desc);
void lines_free(Lines *l);

#endif
