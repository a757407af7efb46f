/*
 * doc-decoder - print a spec file's document tree as toml-test's tagged JSON.
 *
 *   doc-decoder FILE
 *
 * The reader is chosen by the file's extension, as for the tool itself.  On
 * success the tree goes to stdout and the status is 0; on error the
 * diagnostics go to stderr and the status is 1.  Scalars print as
 * {"type": T, "value": TEXT}, tables as objects, arrays as arrays.  Floats
 * print with the fewest digits that read back to the same double, and
 * infinities and NaN as toml-test spells them (inf, -inf, nan).
 */
#include "read/read.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void put_json_string(Buf *b, const char *s, size_t len)
{
	size_t i;
	buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_printf(b, "\\u%04x", c);
			else
				buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

static void put_tagged(Buf *b, const char *type, const char *value, size_t len)
{
	buf_printf(b, "{\"type\": \"%s\", \"value\": ", type);
	put_json_string(b, value, len);
	buf_putc(b, '}');
}

/* The shortest %g form that strtod reads back as f. */
static void format_float(char *out, size_t size, double f)
{
	int prec;
	if (isnan(f)) {
		snprintf(out, size, "nan");
		return;
	}
	if (isinf(f)) {
		snprintf(out, size, f < 0 ? "-inf" : "inf");
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		snprintf(out, size, "%.*g", prec, f);
		if (strtod(out, NULL) == f)
			return;
	}
	snprintf(out, size, "%.17g", f);
}

/* Date-times as written, with the separator and zone letter uppercased. */
static void put_datetime(Buf *b, const DocNode *n)
{
	static const char *const types[] = {"datetime", "datetime-local",
					    "date-local", "time-local"};
	size_t i;
	buf_printf(b, "{\"type\": \"%s\", \"value\": \"",
		   n->sub < ARRAY_LEN(types) ? types[n->sub] : "datetime");
	for (i = 0; i < n->u.str.len; i++) {
		char c = n->u.str.s[i];
		if ((i == 10 && (c == ' ' || c == 't')) || c == 'z')
			c = (char)(c == 'z' ? 'Z' : 'T');
		buf_putc(b, c);
	}
	buf_puts(b, "\"}");
}

static void put_node(Buf *b, const DocNode *n, int indent)
{
	char num[64];
	uint32_t i;
	switch ((DocKind)n->kind) {
	case DOC_TABLE:
		if (!n->u.table.n) {
			buf_puts(b, "{}");
			break;
		}
		buf_puts(b, "{\n");
		for (i = 0; i < n->u.table.n; i++) {
			const DocEntry *e = &n->u.table.v[i];
			buf_indent(b, indent + 2);
			put_json_string(b, e->key, e->keylen);
			buf_puts(b, ": ");
			put_node(b, e->value, indent + 2);
			buf_puts(b, i + 1 < n->u.table.n ? ",\n" : "\n");
		}
		buf_indent(b, indent);
		buf_putc(b, '}');
		break;
	case DOC_ARRAY:
		if (!n->u.array.n) {
			buf_puts(b, "[]");
			break;
		}
		buf_puts(b, "[\n");
		for (i = 0; i < n->u.array.n; i++) {
			buf_indent(b, indent + 2);
			put_node(b, n->u.array.v[i], indent + 2);
			buf_puts(b, i + 1 < n->u.array.n ? ",\n" : "\n");
		}
		buf_indent(b, indent);
		buf_putc(b, ']');
		break;
	case DOC_STRING:
		put_tagged(b, "string", n->u.str.s, n->u.str.len);
		break;
	case DOC_INTEGER:
		snprintf(num, sizeof num, "%" PRId64, n->u.i);
		put_tagged(b, "integer", num, strlen(num));
		break;
	case DOC_FLOAT:
		format_float(num, sizeof num, n->u.str.f);
		put_tagged(b, "float", num, strlen(num));
		break;
	case DOC_BOOL:
		put_tagged(b, "bool", n->u.b ? "true" : "false", n->u.b ? 4 : 5);
		break;
	case DOC_DATETIME:
		put_datetime(b, n);
		break;
	case DOC_NULL:
		put_tagged(b, "null", "", 0);
		break;
	}
}

int main(int argc, char **argv)
{
	Arena arena;
	Diag *d;
	DocNode *root;
	uint32_t file;
	ReadStatus status;
	Buf out = {0};

	if (argc != 2) {
		fprintf(stderr, "usage: doc-decoder FILE\n");
		return 2;
	}
	arena_init(&arena);
	d = diag_new();
	root = read_spec_file(&arena, d, argv[1], &file, &status);
	if (diag_error_count(d) || diag_warning_count(d))
		diag_print(d, stderr, false);
	if (!root) {
		diag_free(d);
		arena_free(&arena);
		return 1;
	}
	put_node(&out, root, 0);
	buf_putc(&out, '\n');
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	diag_free(d);
	arena_free(&arena);
	return fflush(stdout) == 0 ? 0 : 1;
}
