/*
 * reader.c - reading spec files and dispatching on their format.
 */
#include "read/read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

SpecFormat format_from_path(const char *path)
{
	if (ends_with(path, ".toml"))
		return FMT_TOML;
	if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
		return FMT_YAML;
	if (ends_with(path, ".json"))
		return FMT_JSON;
	return FMT_NONE;
}

const char *format_name(SpecFormat f)
{
	switch (f) {
	case FMT_TOML: return "TOML";
	case FMT_YAML: return "YAML";
	case FMT_JSON: return "JSON";
	case FMT_NONE: break;
	}
	return "unknown";
}

bool format_supported(SpecFormat f)
{
#ifdef HAVE_LIBYAML
	return f != FMT_NONE;
#else
	return f == FMT_TOML;
#endif
}

const char read_file_too_large[] =
	"spec file is larger than the limit of " BOUND_STR(MAX_FILE_SIZE_MIB)
	" MiB";

char *read_file(const char *path, size_t *len, const char **err)
{
	FILE *f;
	struct stat st;
	char *data = NULL;
	size_t n = 0, cap = 0;

	f = fopen(path, "rb");
	if (!f) {
		*err = strerror(errno);
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0) {
		st.st_mode = 0;
	} else if (S_ISDIR(st.st_mode)) {
		fclose(f);
		*err = strerror(EISDIR);
		return NULL;
	}
	/* Read in chunks rather than trusting st_size: it is 0 for pipes and
	 * /proc files, and the file may change under us.  It is still the
	 * best first guess of a regular file's size: room for it, its NUL and
	 * one more byte usually means one read and no reallocation. */
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size <= MAX_FILE_SIZE) {
		cap = (size_t)st.st_size + 2;
		data = xmalloc(cap);
	}
	for (;;) {
		size_t got;
		if (n + 2 > cap)
			data = xgrow(data, &cap, n + 65536 + 1, 1);
		got = fread(data + n, 1, cap - n - 1, f);
		n += got;
		if (n > MAX_FILE_SIZE) {
			free(data);
			fclose(f);
			*err = read_file_too_large;
			return NULL;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		*err = strerror(errno ? errno : EIO);
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

/* Reject a format this build cannot read; true if it can. */
static bool supported(Diag *d, uint32_t file, SpecFormat fmt)
{
	Loc whole = {0, 0, 0};
	whole.file = file;
	if (format_supported(fmt))
		return true;
	diag_error(d, whole,
		   "%s specs are not supported: this xenbindgen was built "
		   "without libyaml (rebuild with libyaml-dev installed)",
		   format_name(fmt));
	return false;
}

static DocNode *parse(Arena *a, Diag *d, uint32_t file, SpecFormat fmt,
		      const char *text, size_t len)
{
	DocNode *root = NULL;
	diag_set_text(d, file, text, len);
	if (fmt == FMT_TOML)
		root = toml_parse(a, d, file, text, len);
#ifdef HAVE_LIBYAML
	else
		root = yaml_parse(a, d, file, text, len, fmt == FMT_JSON);
#endif
	diag_set_text(d, file, NULL, 0);
	return root;
}

DocNode *parse_spec_text(Arena *a, Diag *d, const char *path,
			 const char *text, size_t len, uint32_t *file)
{
	SpecFormat fmt = format_from_path(path);
	*file = diag_add_source(d, path);
	if (!supported(d, *file, fmt))
		return NULL;
	return parse(a, d, *file, fmt, text, len);
}

DocNode *read_spec_file(Arena *a, Diag *d, const char *path, uint32_t *file,
			ReadStatus *status)
{
	SpecFormat fmt = format_from_path(path);
	const char *err = NULL;
	size_t len = 0;
	char *text;
	DocNode *root;
	Loc whole = {0, 0, 0};

	*file = whole.file = diag_add_source(d, path);
	if (!supported(d, *file, fmt)) {
		*status = READ_SYNTAX;
		return NULL;
	}
	text = read_file(path, &len, &err);
	if (!text && err == read_file_too_large) {
		/* the file was read fine: it is the spec that is wrong */
		diag_error(d, whole, "%s", err);
		*status = READ_SYNTAX;
		return NULL;
	}
	if (!text) {
		diag_error(d, whole, "cannot read file: %s", err);
		*status = READ_IO;
		return NULL;
	}
	root = parse(a, d, *file, fmt, text, len);
	free(text);
	*status = root ? READ_OK : READ_SYNTAX;
	return root;
}
