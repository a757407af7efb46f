/*
 * names.h - identifiers in the target languages.
 *
 * Spec names are data from untrusted files.  They must be identifiers, and
 * the generated code uses them verbatim in C and after case conversion in
 * Rust, so this module knows both languages' keywords and the conversions.
 */
#ifndef XBG_NAMES_H
#define XBG_NAMES_H

#include "util.h"

/* C (C89 to C23) and C++ keywords: a generated header is also compiled as
 * C++, so a C++ keyword cannot name anything either. */
bool c_keyword(const char *s);
/* Rust strict, reserved and edition keywords. */
bool rust_keyword(const char *s);
/* Keywords that cannot be raw identifiers (r#self is not allowed). */
bool rust_keyword_not_raw(const char *s);

/* Case conversion.  Word boundaries are '_' and lower->upper transitions;
 * digits never start a word, so rsvd0_a stays rsvd0_a and altp2m_mode stays
 * altp2m_mode (the RFC's converter split both). */
void name_upper(Buf *b, const char *s); /* xen_cdf -> XEN_CDF */
void name_snake(Buf *b, const char *s); /* FooBar -> foo_bar */
void name_camel(Buf *b, const char *s); /* xen_domctl_altp2m_mode -> XenDomctlAltp2mMode */

#endif
