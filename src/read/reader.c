/*
 * reader.c - reading spec files and dispatching on their format.
 */
#include "read/read.h"

#include <stdlib.h>
#include <string.h>

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
