/*
 * base.h - what every stage uses: allocation, the arena, buffers, the hash
 * table, text and identifiers, diagnostics, the file system, unified diffs,
 * the limits on untrusted input and the exit statuses.
 *
 * Sectioned by the file that defines each declaration.  base/ depends on
 * nothing else in the tool.
 *
 * Allocation failure is the one error that is not returned as a value: every
 * stage would have to thread it through, and after it nothing useful can be
 * reported anyway.  xmalloc() and friends print "out of memory" and exit with
 * STATUS_IO.  The input limits below keep hostile specs far from that point.
 */
#ifndef XBG_BASE_H
#define XBG_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Exit statuses ------------------------------------------------------
 * Passes collect diagnostics; the driver picks the status.  Every command
 * and sub-command uses these, and only these. */
typedef enum ExitStatus {
	STATUS_OK = 0,    /* success (check mode: outputs in sync) */
	STATUS_SPEC = 1,  /* spec or ABI errors (check mode: outputs stale) */
	STATUS_USAGE = 2, /* the command line */
	STATUS_IO = 3,    /* reading or writing files */
} ExitStatus;

/* ---- Limits on untrusted input ------------------------------------------
 * A spec is written by people, and no real one comes near these numbers;
 * they exist so that a hostile or broken file gets a clear error instead of
 * exhausting memory or the stack.  docs/limits.md lists them with the
 * diagnostics they produce; keep the two in sync. */
/* The decimal digits of a limit, for messages written as literals. */
#define BOUND_STR_(x) #x
#define BOUND_STR(x) BOUND_STR_(x)

/* Largest spec file read (64 MiB). */
#define MAX_FILE_SIZE_MIB 64
#define MAX_FILE_SIZE ((uint64_t)MAX_FILE_SIZE_MIB << 20)
/* Deepest nesting of arrays and tables in a document. */
#define MAX_DOC_DEPTH 128
/* Longest identifier (type, field, variant, bit, constant, output name). */
#define MAX_IDENT_LEN 255
/* Deepest nesting of types (arrays of arrays, pointers to pointers). */
#define MAX_TYPE_DEPTH 32
/* Deepest directory below the root of a walk (fs.c): of spec files under
 * --indir or a convert/fmt PATH; of outputs, which are no deeper. */
#define MAX_DIR_DEPTH 16
/* Most spec files under one --indir. */
#define MAX_SPEC_FILES 100000
/* Largest total size of the spec files of one run (64 MiB).  The model
 * and the outputs grow linearly with the input but by a factor that depends
 * on how dense the spec is: about 3 for the bench corpus, but 18 (C, Rust)
 * to 42 (C layout assertions) bytes of memory per byte of a spec of bare
 * fields, so this bounds memory and disk use, not just the input.  A build
 * may set it (make CPPFLAGS=-DMAX_TOTAL_SIZE_MIB=1024): `make bench` does,
 * to read its corpus of 100,000 structs (309 MB). */
#ifndef MAX_TOTAL_SIZE_MIB
#define MAX_TOTAL_SIZE_MIB 64
#endif
#define MAX_TOTAL_SIZE ((uint64_t)MAX_TOTAL_SIZE_MIB << 20)
/* Longest array length expression, in bytes, and its deepest nesting of
 * parentheses. */
#define MAX_EXPR_LEN 256
#define MAX_EXPR_DEPTH 64
/* Longest constant value, macro body or X-macro argument, in bytes. */
#define MAX_VALUE_LEN 4096

/* ---- alloc.c ------------------------------------------------------------ */
_Noreturn void xoom(void); /* "out of memory", exit STATUS_IO */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *cap geometrically until it holds need elements of size sz. */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz);

/* ---- arena.c ------------------------------------------------------------ */
typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
	ArenaChunk *head;
	ArenaChunk *spare; /* chunks kept by arena_reset() for reuse */
	char *cur, *end;
	size_t total; /* bytes handed out, for statistics */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Forget every allocation but keep the memory for the next ones: for a
 * series of short-lived trees (one per spec file), so that the pages of
 * one are reused by the next instead of going back to the system and
 * faulting in again. */
void arena_reset(Arena *a);
void *arena_alloc(Arena *a, size_t n);      /* zeroed, max-aligned */
void *arena_calloc(Arena *a, size_t n, size_t size);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...);
/* Free p, an allocation of n bytes, if it got a chunk of its own (an
 * allocation over a quarter chunk); otherwise it stays until arena_free(). */
void arena_give_back(Arena *a, const void *p, size_t n);
/* Resize an arena array from old_n to new_n elements of size sz (copies). */
void *arena_grow(Arena *a, void *p, size_t old_n, size_t new_n, size_t sz);

/* ---- buf.c -------------------------------------------------------------- */
typedef struct Buf {
	char *data;
	size_t len, cap;
} Buf;

/* Room for extra more bytes and a NUL after them. */
void buf_reserve(Buf *b, size_t extra);
/* The backends write their outputs a few bytes at a time: appending is
 * inline, with a call only when the buffer has to grow. */
static inline void buf_put(Buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	if (n >= b->cap - b->len)
		buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}
static inline void buf_putc(Buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
}
static inline void buf_puts(Buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}
void buf_printf(Buf *b, const char *fmt, ...);
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_indent(Buf *b, int n);
const char *buf_cstr(Buf *b); /* NUL-terminated view; valid until next put */
void buf_clear(Buf *b);
void buf_free(Buf *b);
char *buf_detach(Buf *b, size_t *len); /* caller frees with free() */

/* ---- hmap.c ------------------------------------------------------------- */
/* Keys are byte strings, not copied. */
typedef struct HMapSlot {
	const char *key;
	size_t len;
	uint64_t hash;
	void *value;
} HMapSlot;

typedef struct HMap {
	HMapSlot *slots;
	size_t cap, count;
	Arena *arena; /* if set, slots come from it and are never freed */
} HMap;

uint64_t hash_bytes(const void *p, size_t n);
void hmap_init(HMap *m);
void hmap_init_arena(HMap *m, Arena *a);
void hmap_free(HMap *m);
void *hmap_get(const HMap *m, const char *key, size_t len);
/* Insert or replace; returns the previous value or NULL. */
void *hmap_put(HMap *m, const char *key, size_t len, void *value);
static inline void *hmap_gets(const HMap *m, const char *key)
{
	return hmap_get(m, key, strlen(key));
}

/* ---- text.c ------------------------------------------------------------- */
bool is_ident(const char *s);                  /* [A-Za-z_][A-Za-z0-9_]* */
size_t edit_distance(const char *a, const char *b, size_t limit);
/* Decode one UTF-8 sequence; returns its length or 0 if invalid. */
int utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);
int utf8_encode(uint32_t cp, char out[4]);
int hex_digit(int c); /* 0..15, or -1 */
/* The character at s (before end), for messages: "newline", "'x'",
 * "control character '\u0007'", "character U+00E9", ...; never raw
 * bytes.  Written into buf when it is not a fixed text. */
const char *describe_char(char *buf, size_t size, const char *s,
			  const char *end);
int cmp_str(const void *a, const void *b); /* qsort over const char * */
/* The width of a list item's marker at s ("- ", "* ", "12. ", "3) "), or
 * 0. */
size_t text_list_marker(const char *s);
/* Descriptions as comments show them: each paragraph (a run of lines, or
 * a list item: a line with a marker and those after it) as written when
 * every line fits in width columns, else filled to width, a list item's
 * continuation lines under its text; blank and indented lines as they
 * are.  Each resulting line goes to line(ctx, text, len). */
void text_reflow(const char *const *lines, size_t n, size_t width,
		 void (*line)(void *ctx, const char *s, size_t len), void *ctx);

/* ---- ident.c ------------------------------------------------------------ */
/* Identifiers in the target languages.  Spec names are data from untrusted
 * files: they must be identifiers, and the generated code uses them verbatim
 * in C and after case conversion in Rust. */
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

/* ---- diag.c ------------------------------------------------------------- */
/* Source locations and diagnostics.
 *
 * Every stage reports through a Diag.  Diagnostics are collected, not
 * printed on the spot, so that one run can report every error it finds and
 * print them in source order at the end, gcc-style:
 *
 *   path:line:col: error: message
 *    12 | name = "x"
 *       |        ^
 *
 * A note attaches to the error or warning reported just before it and is
 * printed right after it.  Columns are 1-based and count Unicode code
 * points (a tab counts as one).
 */
/* A position in a source file.  file == 0 means "no location" (for
 * example a problem with the command line or the directory layout). */
typedef struct Loc {
	uint32_t file;
	uint32_t line;
	uint32_t col;
} Loc;

static const Loc NO_LOC = {0, 0, 0};

typedef enum DiagLevel { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct Diag Diag;

Diag *diag_new(void);
void diag_free(Diag *d);

/* Register a source file; returns its id (>= 1).  Ids are handed out in
 * registration order, which is also the order diagnostics are sorted in, so
 * callers register files in a deterministic (sorted) order. */
uint32_t diag_add_source(Diag *d, const char *path);
/* Lend the file's text so source lines can be shown.  Pass NULL before the
 * text is freed; the file is then re-read if a later diagnostic needs it. */
void diag_set_text(Diag *d, uint32_t file, const char *text, size_t len);

void diag_report(Diag *d, DiagLevel level, Loc loc, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
void diag_vreport(Diag *d, DiagLevel level, Loc loc, const char *fmt,
		  va_list ap);
#define diag_error(d, loc, ...) diag_report(d, DIAG_ERROR, loc, __VA_ARGS__)
#define diag_warning(d, loc, ...) diag_report(d, DIAG_WARNING, loc, __VA_ARGS__)
#define diag_note(d, loc, ...) diag_report(d, DIAG_NOTE, loc, __VA_ARGS__)

size_t diag_error_count(const Diag *d);
size_t diag_warning_count(const Diag *d);
/* True once the error limit is reached: stages may stop early. */
/* The diagnostics reported so far, in report order (the importer reads
 * the model's verdict on what it wrote): the i-th, false past the last. */
size_t diag_count(const Diag *d);
bool diag_get(const Diag *d, size_t i, DiagLevel *level, Loc *loc,
	      const char **msg);
/* The path a source id was registered with, or NULL. */
const char *diag_source_path(const Diag *d, uint32_t file);
bool diag_full(const Diag *d);
void diag_set_limit(Diag *d, size_t max_errors); /* 0 = no limit */
/* Treat warnings as errors. */
void diag_set_werror(Diag *d, bool on);

/* Print the files under the directory from as if they were under to: the
 * spec tree of a git revision, read from a temporary directory, shows as
 * REV:PATH/unit/file.toml (the file is still read from where it is). */
void diag_show_as(Diag *d, const char *from, const char *to);
/* Print everything collected so far, sorted by location, and forget it. */
void diag_print(Diag *d, FILE *out, bool color);

/* Decide whether to colour: mode is "auto", "always" or "never".
 * auto means: out is a terminal and NO_COLOR is unset or empty. */
bool diag_want_color(const char *mode, FILE *out);

/* ---- fs.c --------------------------------------------------------------- */
/* The file system: the one directory walker, the one atomic writer, mkdir
 * -p and reading files (fs.c says why each works as it does).  Errors are
 * reported through d against the path and returned as STATUS_IO. */

/* Read a whole file into memory (at most MAX_FILE_SIZE bytes). On failure
 * returns NULL and sets *err to an errno-style message; for a file over
 * the limit, *err is read_file_too_large (not an I/O error: the caller
 * reports it as a problem of the spec). */
char *read_file(const char *path, size_t *len, const char **err);
extern const char read_file_too_large[];
/* The first cap bytes (or fewer) of the regular file at path, not
 * following a final symbolic link nor blocking on a FIFO.  Returns 1 with
 * *n set, 0 if it is not a regular file, -1 with errno set. */
int fs_read_head(const char *path, char *buf, size_t cap, size_t *n);

/* Report "path: error: what[: strerror(err)]" (err 0: no reason) through
 * d; returns STATUS_IO. */
int path_error(Diag *d, const char *path, const char *what, int err);

/* b = dir without trailing slashes ("" is "."). */
void path_root(Buf *b, const char *dir);
/* b = dir "/" name, without doubling the slash of a dir ending in one. */
void path_join(Buf *b, const char *dir, const char *name);

/* Temporary files are named ".NAME.xbg-tmp-XXXXXX", next to NAME (with
 * the end of NAME if it is long).  If path names one, set dest to the path
 * of the file it was for and return true. */
bool fs_temp_dest(const char *path, Buf *dest);

/* What is at a path, compared with what we would write there; a final
 * symbolic link is never followed. */
typedef enum FsState {
	FS_MISSING,   /* nothing there (or a parent is not a directory) */
	FS_SAME,      /* a regular file with exactly this content */
	FS_DIFFERENT, /* a regular file */
	FS_OTHER,     /* a symlink, FIFO, socket or device: will be replaced */
	FS_DIR,       /* a directory: cannot be replaced */
} FsState;
/* Compare the file at path with data, streaming (size first). */
int fs_compare(const char *path, const char *data, size_t len, FsState *res,
	       Diag *d);
/* Read the file at path into b if it is a regular file (*res is then
 * FS_DIFFERENT: the caller compares).  No size limit: outputs can be big. */
int fs_slurp(const char *path, Buf *b, FsState *res, Diag *d);

/* The mode open(..., 0666) would give; the mode of the regular file at
 * path (following links), else fallback. */
unsigned fs_default_mode(void);
unsigned fs_mode_of(const char *path, unsigned fallback);

/* The walker.  walk_tree() lists each directory, sorts it (strcmp) and
 * calls back for each entry in that order, depth first. */
typedef enum WalkMode {
	/* A spec tree (untrusted): hidden entries skipped; a symbolic link
	 * followed only if it resolves inside the root, else "symbolic link
	 * leads outside the input directory; not followed"; loops and
	 * directories deeper than MAX_DIR_DEPTH below the root are errors;
	 * a file want() accepts that is not regular is "not a regular file". */
	WALK_INPUT,
	/* An output directory (trusted, shared): lstat() only, no link ever
	 * followed; hidden directories skipped, hidden files seen; only
	 * regular files passed to file(); nothing deeper than MAX_DIR_DEPTH
	 * (no output can be there) and the first error ends the walk. */
	WALK_OUTPUT,
} WalkMode;

typedef struct WalkEntry {
	const char *path; /* the root joined with rel */
	const char *rel;  /* relative to the root: "a/b.toml" */
	const char *name; /* its last component */
	int level;        /* components in rel: 1 for the root's entries */
	uint64_t size;    /* of a file */
} WalkEntry;

typedef enum WalkNext {
	WALK_NEXT,      /* go on */
	WALK_LEAVE_DIR, /* skip the rest of this file's directory */
	WALK_STOP,      /* end the walk */
} WalkNext;

typedef struct Walk {
	WalkMode mode;
	Diag *d;
	void *ctx;
	/* Which files matter, by name; the others are ignored unseen.  NULL:
	 * every file. */
	bool (*want)(const char *name);
	/* A directory below the root, before it is entered: false skips it
	 * (the callback reports why).  NULL: enter every one. */
	bool (*enter)(void *ctx, const WalkEntry *dir);
	/* A regular file that want() accepted. */
	WalkNext (*file)(void *ctx, const WalkEntry *file);
	/* The worst so far: STATUS_SPEC (an entry refused, reported) or
	 * STATUS_IO. */
	int status;
} Walk;

/* Walk the tree under root (a directory); returns w->status. */
int walk_tree(Walk *w, const char *root);

/* The atomic writer.  A transaction stages files, then commits them all or
 * aborts them all:
 *
 *   txn_put()    unless dest holds exactly data already (*unchanged), write
 *                data to a temporary file next to dest (parents made);
 *   txn_remove() unlink path at commit, after the renames (what words the
 *                error; counted: counted by txn_removed());
 *   txn_commit() rename every temporary into place, then remove; SIGINT,
 *                SIGTERM and SIGHUP wait until it is done;
 *   txn_abort()  remove the temporaries and the directories created;
 *   txn_free()   aborts what was not committed.
 *
 * After an error, abort: a failed txn_put() leaves nothing to commit.  A
 * signal that ends the run removes what an abort would. */
typedef struct Txn Txn;
Txn *txn_new(Diag *d);
/* mkdir -p path (mode 0777 & ~umask); the directories made are removed if
 * t (may be NULL) aborts. */
int fs_mkdirs(const char *path, Txn *t, Diag *d);
int txn_put(Txn *t, const char *dest, const char *data, size_t len,
	    unsigned mode, bool *unchanged);
void txn_remove(Txn *t, const char *path, const char *what, bool counted);
/* Remove, at commit, the temporary files an earlier run (one killed by
 * SIGKILL) left for dest. */
void txn_remove_leftovers(Txn *t, const char *dest);
/* The same for n destinations, listing each directory once. */
void txn_remove_leftovers_of(Txn *t, const char *const *dests, size_t n);
/* The temporary files written so far. */
size_t txn_staged(const Txn *t);
const char *txn_temp(const Txn *t, size_t i);
int txn_commit(Txn *t);
void txn_abort(Txn *t);
size_t txn_renamed(const Txn *t);
size_t txn_removed(const Txn *t);
void txn_free(Txn *t);

/* Test hooks: compiled only into the test build of the tool
 * (build/<cc>/tests/xenbindgen-hooks, made with -DXBG_TEST_HOOKS), never
 * into the released one.  XBG_TEST_SIGNAL_AT=POINT:SIG raises SIG (INT,
 * TERM, HUP or KILL) the first time the run reaches POINT: "staged" (a
 * temporary file written), "commit" (all written, before the renames),
 * "renamed" (after the first rename). */
#ifdef XBG_TEST_HOOKS
void test_signal_at(const char *point);
#define TEST_SIGNAL_AT(point) test_signal_at(point)
#else
#define TEST_SIGNAL_AT(point) ((void)0)
#endif

/* ---- udiff.c ------------------------------------------------------------ */
/* Append a unified diff (3 lines of context, "--- a"/"+++ b" headers) of
 * two texts to out.  Linear space; O((N+M)D) time. */
void unified_diff(Buf *out, const char *a, size_t alen, const char *b,
		  size_t blen, const char *aname, const char *bname);

#endif
