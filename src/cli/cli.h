/*
 * cli.h - the command line: the driver (main.c) and what it prints for
 * people and tools (report.c).
 *
 * Sectioned by the file that defines each declaration.  cli/ may use every
 * other stage.
 */
#ifndef XBG_CLI_H
#define XBG_CLI_H

#include <stdio.h>

#include "model/model.h"

/* ---- report.c ----------------------------------------------------------- */
/* "3 outputs from 6 spec files: ..." and the targets checked. */
void report_summary(FILE *out, const Spec *s);

/* The layout command.  names selects types (all when nnames is 0); sel
 * selects targets (all when NULL).  Returns 0, or 1 after reporting an
 * unknown name through d. */
int report_layout(FILE *out, Spec *s, Diag *d, const char *const *names,
		  size_t nnames, const bool *sel, bool json);

#endif
