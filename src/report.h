/*
 * report.h - summaries and layout tables for people and tools.
 */
#ifndef XBG_REPORT_H
#define XBG_REPORT_H

#include <stdio.h>

#include "spec.h"

/* "3 outputs from 6 spec files: ..." and the targets checked. */
void report_summary(FILE *out, const Spec *s);

/* The layout command.  names selects types (all when nnames is 0); sel
 * selects targets (all when NULL).  Returns 0, or 1 after reporting an
 * unknown name through d. */
int report_layout(FILE *out, Spec *s, Diag *d, const char *const *names,
		  size_t nnames, const bool *sel, bool json);

#endif
