/*
 * fuzz.h - shared by the libFuzzer targets (see fuzz/README.md).
 *
 * Besides crashes and sanitizer reports, the targets check two properties
 * of every input, and abort() when one fails, so that libFuzzer keeps the
 * input like any crash:
 *
 *   - a stage that fails says so: a reader returns NULL exactly when it
 *     reported an error, and the pipeline stops exactly where main.c does;
 *   - every error is located: printed as "path:line:col: error:" (or at
 *     least "path: error:" for a whole file or directory), never as a bare
 *     "xenbindgen: error:", and its line exists in the file.
 */
#ifndef XBG_FUZZ_H
#define XBG_FUZZ_H

#include "base/base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines in text: what a location's line may be (one past the last line
 * for an error at the end of a file that ends with a newline). */
static size_t fuzz_count_lines(const char *text, size_t len)
{
	size_t i, n = 1;
	for (i = 0; i < len; i++)
		n += text[i] == '\n';
	return n;
}

/* Print d's diagnostics into memory and check that each error names a
 * file; files[i] (with nlines[i] lines) are the sources with known text,
 * whose line numbers must exist.  Returns the number of error lines. */
static size_t fuzz_check_diags(Diag *d, const char *const *files,
			       const size_t *nlines, size_t nfiles)
{
	char *out = NULL, *line, *next;
	size_t outlen = 0, errors = 0, k;
	FILE *f = open_memstream(&out, &outlen);
	if (!f)
		abort();
	diag_print(d, f, false);
	fclose(f);
	/* no control character of the specs reaches the terminal */
	for (k = 0; k < outlen; k++) {
		unsigned char c = (unsigned char)out[k];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
		    (c == 0xc2 && k + 1 < outlen &&
		     (unsigned char)out[k + 1] >= 0x80 &&
		     (unsigned char)out[k + 1] <= 0x9f)) {
			fprintf(stderr, "raw control character 0x%02x in the "
				"diagnostics:\n%s\n", c, out);
			abort();
		}
	}
	for (line = out; line && *line; line = next) {
		char *colon;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* excerpt lines start with a number or blanks and a '|' */
		if (line[0] == ' ' || !strstr(line, ": error: "))
			continue;
		errors++;
		if (strncmp(line, "xenbindgen: error: ", 19) == 0) {
			fprintf(stderr, "unlocated error: %s\n", line);
			abort();
		}
		for (k = 0; k < nfiles; k++) {
			size_t n = strlen(files[k]);
			unsigned long l;
			if (strncmp(line, files[k], n) != 0 || line[n] != ':')
				continue;
			colon = line + n + 1;
			if (*colon == ' ')
				break; /* the whole file */
			l = strtoul(colon, &colon, 10);
			if (*colon != ':' || l == 0 || l > nlines[k]) {
				fprintf(stderr, "error at a line that does not exist "
					"(%zu lines): %s\n", nlines[k], line);
				abort();
			}
			break;
		}
	}
	free(out);
	return errors;
}

#endif
