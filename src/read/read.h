/*
 * read.h - from a spec file on disk to a document tree with locations.
 *
 * TOML, YAML and JSON all decode to the tree of doc.c: tables (ordered
 * key/value maps), arrays and scalars.  Every value and every key carries
 * its source location, so that the spec decoder can point at any construct.
 * Readers know nothing about specs; the decoder knows nothing about syntax.
 *
 * All nodes and strings live in the arena passed to the reader, so a file's
 * tree is released at once when the decoder is done with it.
 *
 * The format is chosen by extension only (.toml, .yaml/.yml, .json); other
 * files are not specs and are never opened, so editor backups and READMEs
 * can sit next to specs.  The readers report syntax errors through Diag at
 * file:line:col and know nothing about the spec language.
 *
 * Sectioned by the file that defines each declaration.  read/ uses base/.
 */
#ifndef XBG_READ_H
#define XBG_READ_H

#include "base/base.h"

/* ---- doc.c -------------------------------------------------------------- */
typedef enum DocKind {
	DOC_TABLE,
	DOC_ARRAY,
	DOC_STRING,
	DOC_INTEGER,
	DOC_FLOAT,
	DOC_BOOL,
	DOC_DATETIME,
	DOC_NULL, /* YAML/JSON null; TOML has none */
} DocKind;

/* TOML's four date-time flavours (the text is kept as written). */
typedef enum DocDateKind {
	DOC_DT_OFFSET,     /* 1979-05-27T07:32:00Z */
	DOC_DT_LOCAL,      /* 1979-05-27T07:32:00 */
	DOC_DT_DATE,       /* 1979-05-27 */
	DOC_DT_TIME,       /* 07:32:00 */
} DocDateKind;

/* Style hints kept for the formatter and converters; the decoder ignores
 * them. */
enum {
	DOC_F_INLINE = 1 << 0,    /* TOML inline table / YAML flow collection */
	DOC_F_AOT = 1 << 1,       /* TOML array of tables ([[x]]) */
	DOC_F_IMPLICIT = 1 << 2,  /* table created implicitly by [a.b] */
	DOC_F_DEFINED = 1 << 3,   /* table opened by its own [header] */
	DOC_F_DOTTED = 1 << 4,    /* table created by a dotted key a.b = 1 */
	DOC_F_MULTILINE = 1 << 5, /* string written in multi-line form */
	DOC_F_LITERAL = 1 << 6,   /* TOML literal string / YAML non-plain */
};

typedef struct DocNode DocNode;

typedef struct DocEntry {
	const char *key; /* NUL-terminated copy; may contain NULs (keylen) */
	size_t keylen;
	Loc loc;         /* where the key is written */
	DocNode *value;
} DocEntry;

struct DocNode {
	unsigned char kind;  /* DocKind */
	unsigned char flags; /* DOC_F_* */
	unsigned char sub;   /* DocDateKind for DOC_DATETIME */
	Loc loc;             /* where the value starts */
	union {
		struct {
			DocEntry *v;
			uint32_t n, cap;
			HMap *index; /* in the arena; built past a few keys */
		} table;
		struct {
			DocNode **v;
			uint32_t n, cap;
		} array;
		struct {          /* DOC_STRING, DOC_DATETIME and DOC_FLOAT text */
			char *s;  /* NUL-terminated; may contain NULs (len) */
			size_t len;
			double f; /* DOC_FLOAT value */
		} str;
		int64_t i;
		bool b;
	} u;
};

DocNode *doc_new(Arena *a, DocKind kind, Loc loc);
DocNode *doc_new_string(Arena *a, Loc loc, const char *s, size_t len);

/* Tables.  doc_table_add does not check for duplicates: readers do, since
 * each format words the error differently. */
DocEntry *doc_table_find(const DocNode *t, const char *key, size_t len);
DocEntry *doc_table_add(Arena *a, DocNode *t, const char *key, size_t len,
			Loc key_loc, DocNode *value);
/* Convenience for NUL-terminated keys. */
DocNode *doc_get(const DocNode *t, const char *key);

void doc_array_push(Arena *a, DocNode *arr, DocNode *v);

/* "table", "array", "string", "integer", "float", "boolean", "datetime",
 * "null": the words used in type-mismatch diagnostics. */
const char *doc_kind_name(DocKind k);

/* ---- reader.c ----------------------------------------------------------- */
typedef enum SpecFormat { FMT_NONE, FMT_TOML, FMT_YAML, FMT_JSON } SpecFormat;

SpecFormat format_from_path(const char *path);
const char *format_name(SpecFormat f); /* "TOML", "YAML", "JSON" */
/* YAML and JSON need libyaml at build time. */
bool format_supported(SpecFormat f);

typedef enum ReadStatus {
	READ_OK,
	READ_SYNTAX, /* reported through diag: a spec error (exit 1) */
	READ_IO,     /* could not read the file (exit 3) */
} ReadStatus;

/* Register path with diag and parse text as the file's content (format by
 * path's extension).  For specs that are not on disk: tests, fuzzers. */
DocNode *parse_spec_text(Arena *a, Diag *d, const char *path,
			 const char *text, size_t len, uint32_t *file);

/* Register path with diag, read and parse it.  *file receives the source id.
 * The source text is released before returning (diag re-reads it if a later
 * stage reports an error in this file). */
DocNode *read_spec_file(Arena *a, Diag *d, const char *path, uint32_t *file,
			ReadStatus *status);

/* ---- toml.c / yaml.c ---------------------------------------------------- */
/* Parsers.  text need not be NUL-terminated and may contain NUL bytes (an
 * error in every format).  They return the root node, or NULL after
 * reporting at least one error.  The tree lives in arena a. */
DocNode *toml_parse(Arena *a, Diag *d, uint32_t file, const char *text,
		    size_t len);
DocNode *yaml_parse(Arena *a, Diag *d, uint32_t file, const char *text,
		    size_t len, bool json);

/* ---- json.c ------------------------------------------------------------- */
/* The strict JSON checks libyaml does not make, for yaml_parse(json =
 * true); built only with libyaml.  json_scan() checks the tokens of [text,
 * end) and which may follow which.  If it finds a problem, libyaml is to
 * read [text, cut) only, and msg is the error to report at `at`.  If
 * patched is not NULL, it is the text to give libyaml instead of the input
 * (the same length, some characters replaced; see json.c).  The caller
 * frees msg and patched. */
typedef struct JsonScan {
	bool found;
	const char *cut, *at;
	Buf msg;
	char *patched;
} JsonScan;
void json_scan(const char *text, const char *end, JsonScan *out);
/* Is [s, e) a JSON number (RFC 8259)?  *is_float if it has a fraction or
 * an exponent. */
bool json_number(const char *s, const char *e, bool *is_float);
/* Decode the double-quoted string at s, which json_scan() accepted, into b
 * (cleared first). */
void json_decode_string(Buf *b, const char *s, const char *e);

#endif
