/*
 * fuzz_pipeline - libFuzzer target for the whole pipeline, in memory:
 * spec files -> document trees -> model -> checks -> layouts on every
 * target -> ABI rules -> C headers, C layout assertions, Rust crate, the
 * validate summary and the layout tables.  Nothing is written to disk.
 *
 * An input is a small spec tree.  It is split into files at lines that
 * start with "%%% " followed by the file's path relative to an imaginary
 * --indir, the way a directory listing would give it; what comes before
 * the first such line, if anything, is "unit/a.toml":
 *
 *   [[structs]]
 *   name = "s"
 *   ...
 *   %%% arch-x86/types.toml
 *   [[aliases]]
 *   ...
 *   %%% unit/b.yaml
 *   structs: ...
 *
 * Paths are kept only if the directory loader could have produced them
 * (letters, digits, '_' and '-' in every component, a spec extension, at
 * least one directory, not too deep); files are sorted by path, as the
 * loader sorts directory entries, and a repeated path keeps its first
 * content.
 */
#include "model/model.h"
#include "emit/emit.h"
#include "fuzz.h"
#include "out/out.h"
#include "read/read.h"
#include "cli/cli.h"

enum { MAX_FILES = 32, MAX_DEPTH = 16 };

typedef struct Part {
	char *path;
	const char *text;
	size_t len;
} Part;

static bool valid_path(const char *p)
{
	size_t comps = 1, n = 0;
	const char *s;
	if (format_from_path(p) == FMT_NONE)
		return false;
	for (s = p; *s; s++) {
		char c = *s;
		if (c == '/') {
			if (n == 0)
				return false;
			comps++;
			n = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' || c == '-' ||
			   (c == '.' && !strchr(s, '/'))) {
			n++;
		} else {
			return false;
		}
	}
	/* the file name must have a stem: ".toml" is a hidden file */
	return comps >= 2 && comps <= MAX_DEPTH + 1 && n > 0 &&
	       strrchr(p, '/')[1] != '.';
}

static int cmp_part(const void *a, const void *b)
{
	return strcmp(((const Part *)a)->path, ((const Part *)b)->path);
}

/* Split data into parts; returns the count. */
static size_t split(const char *data, size_t size, Part *parts)
{
	size_t n = 0, i, j, start = 0;
	char *path = xstrdup("unit/a.toml");
	for (i = 0; i <= size; i++) {
		bool sep = i + 4 <= size && (i == 0 || data[i - 1] == '\n') &&
			   memcmp(data + i, "%%% ", 4) == 0;
		if (!sep && i < size)
			continue;
		/* the part [start, i) belongs to path; an input that starts
		 * with a separator has no default part */
		if (n < MAX_FILES && valid_path(path) && i > 0) {
			for (j = 0; j < n && strcmp(parts[j].path, path) != 0; j++)
				;
			if (j == n) {
				parts[n].path = path;
				parts[n].text = data + start;
				parts[n].len = i - start;
				n++;
				path = NULL;
			}
		}
		free(path);
		path = NULL;
		if (i == size)
			break;
		/* the separator line names the next part */
		{
			const char *p = data + i + 4;
			const char *e = memchr(p, '\n', size - (i + 4));
			size_t len = e ? (size_t)(e - p) : size - (i + 4);
			path = xstrndup(p, len);
			if (strlen(path) != len) { /* a NUL in the path */
				free(path);
				path = xstrdup("");
			}
			start = e ? (size_t)(e - data) + 1 : size;
			i = start - 1;
		}
	}
	free(path);
	qsort(parts, n, sizeof *parts, cmp_part);
	return n;
}

static FILE *devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

/* The code of a generated file: comments dropped (C's, and Rust's, which
 * nest), string and character literals kept whole, each run of blanks one
 * space.  Descriptions may only ever change comments. */
static void code_of(Buf *out, const char *p, size_t n, bool rust)
{
	size_t i = 0;
	int depth;
	while (i < n) {
		char c = p[i];
		if (c == '/' && i + 1 < n && p[i + 1] == '/') {
			while (i < n && p[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < n && p[i + 1] == '*') {
			for (i += 2, depth = 1; i < n && depth; i++) {
				if (p[i] == '*' && i + 1 < n && p[i + 1] == '/')
					depth--, i++;
				else if (rust && p[i] == '/' && i + 1 < n && p[i + 1] == '*')
					depth++, i++;
			}
			/* a comment is a blank */
			if (out->len && out->data[out->len - 1] != ' ')
				buf_putc(out, ' ');
		} else if (c == '"' || (c == '\'' && !rust)) {
			buf_putc(out, p[i++]);
			while (i < n && p[i] != c) {
				if (p[i] == '\\' && i + 1 < n)
					buf_putc(out, p[i++]);
				buf_putc(out, p[i++]);
			}
			if (i < n)
				buf_putc(out, p[i++]);
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (out->len && out->data[out->len - 1] != ' ')
				buf_putc(out, ' ');
			i++;
		} else {
			buf_putc(out, p[i++]);
		}
	}
}

/* Every description replaced by "x": the model as an attacker could not
 * have written it. */
static void plain_descriptions(Spec *s)
{
	size_t i, k;
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		it->desc = "x";
		for (k = 0; k < it->nfields; k++)
			it->fields[k].desc = "x";
		for (k = 0; k < it->nvariants; k++)
			it->variants[k].desc = "x";
		for (k = 0; k < it->nbits; k++)
			it->bits[k].desc = "x";
	}
}

/* The emitters, as main.c's generate() runs them (one per run there, so
 * each starts with no errors).  codes: if given, the code of each output
 * is appended (the first call), or compared with it (the second). */
static void emit_all(Spec *s, Diag *d, Buf *codes, bool compare)
{
	static const struct {
		void (*emit)(Spec *, const EmitOptions *, OutSet *, Diag *);
		OutOwns owns;
	} backends[] = {
		{emit_c, owns_c_header},
		{emit_c_layout, owns_c_layout},
		{emit_rust, owns_rust},
	};
	EmitOptions eo;
	size_t k, i;
	memset(&eo, 0, sizeof eo);
	eo.regen_cmd = "xenbindgen -i in -o out";
	eo.crate = "xen-sys";
	for (k = 0; k < ARRAY_LEN(backends); k++) {
		OutSet out;
		if (diag_error_count(d))
			break;
		outset_init(&out);
		out.owns = backends[k].owns;
		backends[k].emit(s, &eo, &out, d);
		for (i = 0; i < out.n; i++) {
			/* output names are relative paths with no ".." */
			const char *name = out.files[i].name;
			Buf code = {0};
			size_t len = strlen(name);
			if (!*name || name[0] == '/' || strstr(name, "..") ||
			    !backends[k].owns(name))
				abort();
			if (!codes || diag_error_count(d))
				continue;
			code_of(&code, out.files[i].data, out.files[i].len,
				len > 3 && strcmp(name + len - 3, ".rs") == 0);
			if (!code.len) {
				/* nothing to compare (and data may be null) */
			} else if (!compare) {
				buf_put(&codes[k], code.data, code.len);
			} else if (codes[k].len < code.len ||
				   memcmp(codes[k].data, code.data, code.len) != 0) {
				fprintf(stderr, "a description changed the code of "
					"%s:\n%.*s\nwas:\n%.*s\n", name,
					(int)code.len, code.data,
					(int)(codes[k].len < code.len ? codes[k].len
					      : code.len), codes[k].data);
				abort();
			} else {
				/* consumed: the next file's code follows */
				memmove(codes[k].data, codes[k].data + code.len,
					codes[k].len - code.len);
				codes[k].len -= code.len;
			}
			buf_free(&code);
		}
		outset_free(&out);
	}
}

/* A layout that fails says why: with no error reported, every type has a
 * layout on every target it exists on (the emitters rely on it). */
static void check_layouts(const Spec *s)
{
	size_t i;
	int t;
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		/* (values, macros, handles, X-macro lists and rings have no
		 * layout of their own: a ring's structs are items) */
		if (it->kind == IT_CONST || it->kind == IT_MACRO ||
		    it->kind == IT_HANDLE || it->kind == IT_XMACRO ||
		    it->kind == IT_RING)
			continue;
		for (t = 0; t < NTARGETS; t++) {
			if (!s->covered[t] || !item_on_target(it, t) ||
			    it->layout[t])
				continue;
			fprintf(stderr, "%s '%s' has no layout on %s, and no "
				"error says why\n", item_kind_name(it->kind),
				it->name, targets[t].name);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Part parts[MAX_FILES];
	const char *paths[MAX_FILES], *texts[MAX_FILES];
	size_t lens[MAX_FILES], nlines[MAX_FILES];
	size_t n = split((const char *)data, size, parts), i, j, errors;
	Spec *s = spec_new("in");
	Diag *d = diag_new();
	int st;

	for (i = 0; i < n; i++) {
		paths[i] = parts[i].path;
		texts[i] = parts[i].text;
		lens[i] = parts[i].len;
		nlines[i] = fuzz_count_lines(texts[i], lens[i]);
	}
	/* analyse() */
	st = spec_load_texts(s, d, paths, texts, lens, n);
	if (st == 0)
		spec_check(s, d);
	if (diag_error_count(d) == 0)
		layout_compute(s, d);
	if (diag_error_count(d) == 0)
		check_layouts(s);
	if (diag_error_count(d) == 0)
		abi_check(s, d, true);
	if (diag_error_count(d) == 0) {
		report_summary(devnull(), s);
		report_layout(devnull(), s, d, NULL, 0, NULL, false);
		report_layout(devnull(), s, d, NULL, 0, NULL, true);
	}
	/* generate(), then again with plain descriptions: the code (all but
	 * the comments) must not change */
	{
		Buf codes[3] = {{0}, {0}, {0}};
		bool clean = diag_error_count(d) == 0;
		emit_all(s, d, codes, false);
		if (clean && diag_error_count(d) == 0) {
			plain_descriptions(s);
			emit_all(s, d, codes, true);
		}
		for (i = 0; i < 3; i++)
			buf_free(&codes[i]);
	}

	/* Show the source lines, as diag would after re-reading the files. */
	for (i = 0; i < s->nunits; i++)
		for (j = 0; j < s->units[i]->nfiles; j++) {
			const SpecFile *f = &s->units[i]->files[j];
			diag_set_text(d, f->file, f->text, f->len);
		}
	errors = fuzz_check_diags(d, paths, nlines, n);
	if (diag_error_count(d) && errors == 0)
		abort();
	spec_free(s);
	diag_free(d);
	for (i = 0; i < n; i++)
		free(parts[i].path);
	return 0;
}
