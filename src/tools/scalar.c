/*
 * scalar.c - what the TOML, YAML and JSON writers share: floats in their
 * shortest form that reads back, strings refused when they are not UTF-8,
 * and which arrays are lists of tables.
 */
#include "tools/tools.h"

#include <stdio.h>
#include <stdlib.h>

void format_double(char *out, size_t size, double f)
{
	char tmp[64];
	char *e;
	int prec, exp10;
	/* the fewest significant digits that read back as f */
	for (prec = 1; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
	e = strchr(tmp, 'e');
	exp10 = (int)strtol(e + 1, NULL, 10);
	if (exp10 >= -4 && exp10 < 16) {
		/* positional, like Python's repr: 100.0, 0.0001, 1.5 */
		int decimals = prec - 1 - exp10;
		snprintf(out, size, "%.*f", decimals < 1 ? 1 : decimals, f);
	} else if (!memchr(tmp, '.', (size_t)(e - tmp))) {
		/* "1e+20" -> "1.0e+20": YAML 1.1 wants a dot */
		snprintf(out, size, "%.*s.0%s", (int)(e - tmp), tmp, e);
	} else {
		snprintf(out, size, "%s", tmp);
	}
}

bool check_utf8(Diag *d, Loc at, const char *s, size_t len,
		const char *format)
{
	size_t i = 0;
	uint32_t cp;
	while (i < len) {
		int l = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (l == 0) {
			diag_error(d, at,
				   "this string is not valid UTF-8 (byte %zu); %s "
				   "cannot hold it", i, format);
			return false;
		}
		i += (size_t)l;
	}
	return true;
}

bool doc_all_tables(const DocNode *n)
{
	uint32_t i;
	if (n->kind != DOC_ARRAY || n->u.array.n == 0)
		return false;
	for (i = 0; i < n->u.array.n; i++)
		if (n->u.array.v[i]->kind != DOC_TABLE)
			return false;
	return true;
}
