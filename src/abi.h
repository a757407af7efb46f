/*
 * abi.h - the ABI rules, applied to computed layouts.
 */
#ifndef XBG_ABI_H
#define XBG_ABI_H

#include "spec.h"

/* Rules 1 to 3 (see abi.c); rule 4, unique names, is check.c's.  Waived
 * differences are warnings if list_waived, else only counted; returns how
 * many were not listed. */
size_t abi_check(Spec *s, Diag *d, bool list_waived);

#endif
