/*
 * tools.h - the spec tools that work on documents rather than the model:
 * `xenbindgen convert` (TOML, YAML and JSON, one to another) and
 * `xenbindgen fmt` (canonical formatting), and the writers of a document
 * tree back out as TOML, YAML or JSON.
 *
 * `xenbindgen convert` and `xenbindgen fmt` read a spec into the document
 * tree of doc.h and write it again, in another format or canonically in
 * its own.  The writers know nothing about specs: any tree that a format
 * can express is written without loss (every key, in order; every string,
 * byte for byte), and what a format cannot express (a null in TOML, a
 * date-time in JSON, a NaN in JSON) is reported at the node, never
 * dropped.  Each writer ignores the style flags of the tree: the output
 * depends on the content alone, which makes writing idempotent.
 *
 * Comments are not part of the tree.  They are scanned from the source
 * text separately and attached to "anchors" (a table entry, by the location
 * of its key, or an array element, by its own location), so that TOML and
 * YAML output can put each comment back next to the entry it was written
 * at, even after fmt has reordered the keys.  JSON has no comments.  How
 * an integer was spelled (0x7FF0) is read back from the source text in the
 * same way.  Both travel with the tree in a DocStyle.
 *
 * Sectioned by the file that defines each declaration.  tools/ uses base/,
 * read/ and model/ (the schema only).
 */
#ifndef XBG_TOOLS_H
#define XBG_TOOLS_H

#include "base/base.h"
#include "read/read.h"

/* ---- convert.c ----------------------------------------------------------
 * The two commands, given their command line already read (cli/ reads
 * it).  Each returns the exit status: STATUS_OK, STATUS_SPEC (spec errors;
 * fmt --check: files not formatted), STATUS_USAGE or STATUS_IO. */

typedef struct ConvertOptions {
	SpecFormat to;      /* supported by this build (format_supported()) */
	const char *outdir; /* -o DIR, or NULL */
	bool in_place;      /* never with outdir; neither: standard output */
	bool verbose;
	const char *color;  /* --color: "auto", "always" or "never" */
	char **paths;       /* files and directories, at least one */
	int npaths;
	/* The command's usage line ("usage: ..."), printed after the one usage
	 * error that shows only once the PATHs are read: standard output takes
	 * a single spec file. */
	const char *usage;
} ConvertOptions;

typedef struct FmtOptions {
	bool check; /* write nothing: list and diff what is not formatted */
	bool verbose;
	const char *color;
	char **paths;
	int npaths;
} FmtOptions;

int tools_convert(const ConvertOptions *opts);
int tools_fmt(const FmtOptions *opts);

/* ---- canon.c ------------------------------------------------------------ */
/* The canonical form of a spec document (a new tree in a; the strings are
 * shared with root's). */
DocNode *canon_root(Arena *a, const DocNode *root);

/* ---- style.c ------------------------------------------------------------ */

typedef struct Comment {
	const char *text; /* what follows '#', trailing blanks dropped */
	size_t len;
	uint32_t line, col;
	bool own_line;    /* nothing but blanks before it on its line */
	bool blank_after; /* the next line is blank */
} Comment;

typedef struct CommentList {
	Comment *v;
	size_t n, cap;
} CommentList;

/* The comments that belong to one anchor: own-line comments written before
 * it, and end-of-line comments on its line. */
typedef struct Notes {
	uint32_t key[3]; /* line, col, kind of anchor: the lookup key */
	const Comment **lead, **trail;
	size_t nlead, ntrail, leadcap, trailcap;
	bool done; /* written already: never twice */
} Notes;

/* What the source said beyond the document tree: its comments, attached
 * to anchors, and the spelling of integers written in another base than
 * ten (0x7FF0 stays 0x7FF0 where the target format has hex). */
typedef struct DocStyle {
	Arena *a;
	HMap map;  /* anchor key -> Notes */
	HMap ints; /* integer node -> IntSpelling */
	const Comment **header, **footer; /* before the first, after the last anchor */
	size_t nheader, nfooter;
	size_t total; /* comments */
} DocStyle;

typedef struct IntSpelling {
	const DocNode *node; /* the lookup key */
	const char *text;    /* "0x7FF0", "0o755", "0b1010", "1_000" */
	size_t len;
} IntSpelling;

/* Attach comments to the anchors of root (see style.c for the rules),
 * and note how the integers of root were spelled in text. */
void style_init(DocStyle *st, Arena *a, const DocNode *root,
		const CommentList *list, const char *text, size_t len);
/* The notes of an anchor, or NULL; st may be NULL (no comments). */
Notes *notes_entry(const DocStyle *st, const DocEntry *e);
Notes *notes_elem(const DocStyle *st, const DocNode *n);
/* How an integer was written, if not in plain decimal; NULL otherwise. */
const IntSpelling *int_spelling(const DocStyle *st, const DocNode *n);

/* ---- write_toml.c, write_yaml.c, write_json.c --------------------------
 * write_*: append the document to out.  Values the format cannot express
 * are reported through d at their location and make the call return false
 * (out then holds garbage).  st may be NULL.
 * *_scan_comments: the comments in source text that parsed without error
 * (the scanners rely on that), in source order, allocated in a. */
bool write_toml(Buf *out, const DocNode *root, DocStyle *st, Diag *d);
void toml_scan_comments(Arena *a, const char *text, size_t len,
			CommentList *out);
/* Does write_toml() spread this value over several lines (it holds a list
 * of tables, written one table per line)? */
bool toml_spans_lines(const DocNode *n);

bool write_yaml(Buf *out, const DocNode *root, DocStyle *st, Diag *d);
void yaml_scan_comments(Arena *a, const char *text, size_t len,
			CommentList *out);

bool write_json(Buf *out, const DocNode *root, Diag *d);

/* ---- scalar.c ------------------------------------------------------------ */

/* The shortest decimal that reads back as f, always with a '.' in the
 * mantissa and a signed exponent ("1.5", "100.0", "1.0e+20"), which every
 * format reads as a float.  f must be finite. */
void format_double(char *out, size_t size, double f);

/* Report a string that is not valid UTF-8 (no format can carry it). */
bool check_utf8(Diag *d, Loc at, const char *s, size_t len,
		const char *format);

/* A non-empty array of tables only (the writers put one table per line,
 * or [[name]] blocks). */
bool doc_all_tables(const DocNode *n);

#endif
