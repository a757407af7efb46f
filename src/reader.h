/*
 * reader.h - from a spec file on disk to a document tree.
 *
 * The format is chosen by extension only (.toml, .yaml/.yml, .json); other
 * files are not specs and are never opened, so editor backups and READMEs
 * can sit next to specs.  The readers report syntax errors through Diag at
 * file:line:col and know nothing about the spec language.
 */
#ifndef XBG_READER_H
#define XBG_READER_H

#include "doc.h"

typedef enum SpecFormat { FMT_NONE, FMT_TOML, FMT_YAML, FMT_JSON } SpecFormat;

SpecFormat format_from_path(const char *path);
const char *format_name(SpecFormat f); /* "TOML", "YAML", "JSON" */
/* YAML and JSON need libyaml at build time. */
bool format_supported(SpecFormat f);

/* Parsers.  text need not be NUL-terminated and may contain NUL bytes (an
 * error in every format).  They return the root node, or NULL after
 * reporting at least one error.  The tree lives in arena a. */
DocNode *toml_parse(Arena *a, Diag *d, uint32_t file, const char *text,
		    size_t len);
DocNode *yaml_parse(Arena *a, Diag *d, uint32_t file, const char *text,
		    size_t len, bool json);

typedef enum ReadStatus {
	READ_OK,
	READ_SYNTAX, /* reported through diag: a spec error (exit 1) */
	READ_IO,     /* could not read the file (exit 3) */
} ReadStatus;

/* Read a whole file into memory (at most MAX_FILE_SIZE bytes). On failure
 * returns NULL and sets *err to an errno-style message; for a file over
 * the limit, *err is read_file_too_large (not an I/O error: the caller
 * reports it as a problem of the spec). */
char *read_file(const char *path, size_t *len, const char **err);
extern const char read_file_too_large[];

/* Register path with diag and parse text as the file's content (format by
 * path's extension).  For specs that are not on disk: tests, fuzzers. */
DocNode *parse_spec_text(Arena *a, Diag *d, const char *path,
			 const char *text, size_t len, uint32_t *file);

/* Register path with diag, read and parse it.  *file receives the source id.
 * The source text is released before returning (diag re-reads it if a later
 * stage reports an error in this file). */
DocNode *read_spec_file(Arena *a, Diag *d, const char *path, uint32_t *file,
			ReadStatus *status);

#endif
