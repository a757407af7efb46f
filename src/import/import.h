/*
 * import.h - from existing C headers back to facts: what a header declares,
 * as a compiler sees it, and the identity check built on that.
 *
 * `xenbindgen compare ORIGINAL GENERATED` decides whether each generated
 * header is a drop-in replacement for the original at the same path
 * (docs/compare.md): for every target and configuration it asks libclang
 * what each header declares (records with their layouts, typedefs,
 * enumerators, macros with their values, the header's own compile errors)
 * and compares the two sets.  The facts module is meant to be reused by the
 * importer, which turns the same facts into specs.
 *
 * libclang is optional at build time (HAVE_LIBCLANG): without it tree.c
 * still builds and works, facts_* and the comparison are absent, and
 * import_compare() says the build lacks libclang.
 *
 * Sectioned by the file that defines each declaration.  import/ uses
 * base/, read/ and model/ (the target table).
 */
#ifndef XBG_IMPORT_H
#define XBG_IMPORT_H

#include "base/base.h"

/* The hash tables of import/ map names to array indexes, stored as index
 * + 1 so that 0 (NULL) means absent. */
static inline void *index_value(size_t i)
{
	return (void *)(uintptr_t)(i + 1); /* NOLINT(performance-no-int-to-ptr): an index, never dereferenced */
}

/* ---- tree.c -------------------------------------------------------------
 * A tree of public headers on disk (Xen's xen/include/public), read as
 * text: the header list, the quoted includes between them, the macro
 * definitions a header's text contains, and the build rules of Xen's own
 * header checks.  No libclang here. */

/* The configurations a header is compiled in.  The first five are the
 * builds that see different content; the last three are Xen's own header
 * checks (headers.chk, headers99.chk, headers++.chk of xen/include/Makefile)
 * with their exact language modes and warnings-as-errors. */
typedef enum ViewConfig {
	CFG_TOOLS,      /* -D__XEN_TOOLS__ */
	CFG_HYPERVISOR, /* -D__XEN__ */
	CFG_GUEST,      /* -D__XEN_INTERFACE_VERSION__=<latest> */
	CFG_DEFAULT,    /* nothing: the oldest interface */
	CFG_ASM,        /* -D__ASSEMBLY__: macros and assembler lines only */
	CFG_C89,        /* -ansi -Wall -Werror */
	CFG_C99,        /* -std=c99 -Wall -Werror */
	CFG_CXX,        /* -x c++ -std=gnu++98 -Wall -Werror -D__XEN_TOOLS__ */
	NCONFIGS
} ViewConfig;

extern const char *const config_names[NCONFIGS]; /* "tools", ..., "c++" */
int config_from_name(const char *name);          /* -1 if unknown */

typedef struct MacroDef {
	const char *name;
	bool function_like;
	/* An object-like macro whose body is a balanced expression (no ';',
	 * braces or '#'): it can be evaluated as `(NAME)` without derailing
	 * the declarations that follow it. */
	bool probe;
} MacroDef;

typedef struct TreeHeader {
	char *path;      /* below the root, '/'-separated: "io/ring.h" */
	char *text;      /* the whole file, NUL-terminated */
	size_t len;
	bool mentions_asm; /* its code (not comments) tests __ASSEMBLY__ */
	/* the tree's headers its quoted #includes name (indexes, in order) */
	size_t *includes;
	size_t nincludes;
	MacroDef *macros; /* every #define in the text, in order, unique names */
	size_t nmacros;
} TreeHeader;

typedef struct HeaderTree {
	char *root;        /* absolute (realpath) */
	TreeHeader *h;     /* sorted by path */
	size_t n;
	/* __XEN_LATEST_INTERFACE_VERSION__ of xen-compat.h, if found */
	uint32_t latest;
	bool have_latest;
	Arena arena;
} HeaderTree;

/* Read every *.h below root, as base/'s walker lists a spec tree (hidden
 * entries skipped, links followed only within the tree, MAX_DIR_DEPTH).
 * Returns STATUS_OK or STATUS_IO after reporting through d. */
int tree_load(HeaderTree *t, const char *root, Diag *d);
void tree_free(HeaderTree *t);
/* The header at path below the root, or NULL. */
const TreeHeader *tree_find(const HeaderTree *t, const char *path);

/* Why Xen's own header checks do not compile path in config (c89, c99,
 * c++: the filters of xen/include/Makefile; asm: the header does not test
 * __ASSEMBLY__), or NULL when the configuration applies. */
const char *config_skip_reason(const TreeHeader *h, ViewConfig c);

/* The headers Xen's build includes before h, as paths below the root, in
 * order: the headers.chk prerequisites (<string.h> for io/9pfs.h and
 * io/pvcalls.h), public/xen.h for c++, and for an arch-* header (which
 * Xen never compiles alone) its nearest includers that are not arch-*
 * headers themselves, or xen.h when nothing includes it.  Angle-bracket
 * names ("<string.h>") are system headers.  Returns the count (at most
 * max). */
size_t tree_prelude(const HeaderTree *t, const TreeHeader *h, ViewConfig c,
		    const char **out, size_t max);

/* ---- facts.c ------------------------------------------------------------
 * What one header declares in one view (target x configuration), as
 * libclang sees it (without libclang, facts_ctx_new() gives NULL and
 * facts_collect() fails with STATUS_USAGE).  A declaration belongs to the header when its
 * expansion location is in the header's file: records made by macros
 * (DEFINE_RING_TYPES) belong to the header that expands the macro.
 * Types are canonical (typedefs resolved) and spelled by facts.c itself,
 * so that anonymous types get names that do not depend on file paths:
 * "struct xen_foo", "foo_t" (an anonymous struct named by its typedef),
 * "struct start_info.console" (an anonymous member's type, by its path). */

typedef enum FactKind {
	FK_RECORD,     /* struct or union: "struct NAME" */
	FK_ENUM,       /* a named enum: "enum NAME" */
	FK_TYPEDEF,
	FK_ENUMERATOR,
	FK_FUNCTION,
	FK_VARIABLE,
	FK_MACRO,
	NFACTKINDS
} FactKind;

typedef enum MacroKind {
	MK_INT,      /* an integer constant expression: value and C type */
	MK_STRING,   /* a string literal (after concatenation) */
	MK_TOKENS,   /* anything else: compared by its tokens (may be empty) */
	MK_FUNCTION, /* function-like: parameters and tokens */
} MacroKind;

typedef struct FactMember {
	const char *name;   /* access path: "u.dt.path"; "(anonymous union)" */
	int64_t offset;     /* bits from the start of the record */
	int64_t size;       /* bytes; -1 incomplete (flexible array) */
	int64_t align;      /* bytes; -1 incomplete */
	int bits;           /* bit-field width, or -1 */
	const char *type;   /* canonical */
	const char *spelled; /* as declared, when it says more ("uint16_t") */
} FactMember;

typedef struct Fact {
	FactKind kind;
	const char *key;    /* unique in a Facts: "struct xen_foo", "macro FOO" */
	const char *name;   /* the declared name: "xen_foo", "FOO" */
	uint32_t line, col; /* expansion location in the header */
	uint32_t seq;       /* order of discovery, to break ties */
	/* records and enums: defined here, or only declared */
	bool complete, is_union;
	int64_t size, align; /* records; -1 if incomplete */
	FactMember *members;
	size_t nmembers;
	/* typedefs, functions, variables, enumerators, enums (integer type),
	 * integer macros: the canonical type; and as spelled, if different */
	const char *type;
	const char *spelled;
	/* enumerators and integer macros */
	uint64_t value;
	bool negative;      /* value holds a negative int64_t */
	/* macros */
	MacroKind mkind;
	bool live;          /* still defined at the end of the translation unit */
	const char *str;    /* MK_STRING: the bytes (NUL-terminated) */
	size_t strlen;
	const char *tokens; /* the body's tokens, one space apart */
	const char **params; /* MK_FUNCTION */
	size_t nparams;
} Fact;

typedef struct Facts {
	Arena arena;
	Fact *v;            /* sorted by (line, col, seq): the header's order */
	size_t n, cap;
	/* the header's own errors: "message [-Wflag]", sorted, unique */
	const char **errors;
	size_t nerrors, errcap;
	/* CFG_ASM: the assembler-visible lines of the header (active, not
	 * directives), unexpanded tokens one space apart, in order */
	const char **asm_lines;
	size_t nasm, asmcap;
	bool found;         /* the header was part of the translation unit */
	unsigned parses;    /* libclang parses it took */
} Facts;

typedef struct FactsView {
	const HeaderTree *tree;
	const TreeHeader *hdr;
	int target;            /* TGT_* of model/model.h */
	ViewConfig config;
	uint32_t latest;       /* the interface version CFG_GUEST asks for */
	/* headers to include before hdr: tree_prelude() of the original tree */
	const char *const *prelude;
	size_t nprelude;
} FactsView;

/* One per thread: a libclang index. */
typedef struct FactsCtx FactsCtx;
FactsCtx *facts_ctx_new(void);
void facts_ctx_free(FactsCtx *x);

/* Collect the facts of v into out (initialised here; facts_free() it).
 * Returns STATUS_OK, or STATUS_IO when libclang could not parse at all
 * (out->found stays false). */
int facts_collect(FactsCtx *x, const FactsView *v, Facts *out);
void facts_free(Facts *f);
const char *fact_kind_name(FactKind k); /* "record", "typedef", ... */

/* ---- compat.c -----------------------------------------------------------
 * Xen's compat pipeline (xen/include/Makefile): compat-build-source.py, the
 * preprocessor with -m32 -D__XEN__, compat-build-header.py, and
 * get-fields.sh for the CHECK_/XLAT_ macros of xlat.lst.  The scripts are
 * Xen's, run from the directory the user names, never copied. */
typedef struct CompatScripts {
	char *dir;          /* absolute */
	char **headers;     /* the compat headers, as public paths */
	size_t nheaders;
	char *xlat;         /* xlat.lst */
} CompatScripts;

typedef struct CompatOut {
	char *header;       /* compat/X.h */
	char *xlat;         /* its CHECK_ and XLAT_ macros */
	char *error;        /* the step that failed, and why; or NULL */
} CompatOut;

/* Find the scripts, xlat.lst and the Makefile in dir; STATUS_IO if not. */
int compat_scripts_load(CompatScripts *s, const char *dir, Diag *d);
void compat_scripts_free(CompatScripts *s);
/* Does the Makefile make a compat header of this public header? */
bool compat_applies(const CompatScripts *s, const char *path);
/* Run the pipeline on root/path in the fresh directory work (which gets a
 * public -> root link, as Xen's build sees the tree).  cpp is the
 * preprocessor command ("cc -E").  A failing step is reported in
 * o->error, not as a status: STATUS_IO only when work is unusable. */
int compat_run(const CompatScripts *s, const char *root, const char *path,
	       const char *work, const char *cpp, CompatOut *o);
void compat_out_free(CompatOut *o);
/* Xen's own header checks, run with the host's compilers as
 * xen/include/Makefile runs them: config CFG_C89 (headers.chk, `cc -ansi`),
 * CFG_C99 (headers99.chk) or CFG_CXX (headers++.chk, `c++`).  NULL when
 * root/path passes, else the first error line (root's path taken out).
 * work is a scratch directory. */
char *xen_header_check(const char *root, const char *path, int config,
		       const char *work);
/* rm -r */
void compat_remove_tree(const char *path);

/* ---- compare.c ---------------------------------------------------------- */
typedef struct CompareOptions {
	const char *original;  /* Xen's tree: the reference */
	const char *generated; /* the tree to check */
	const char *const *headers; /* paths below the roots; none: every one */
	size_t nheaders;
	unsigned targets;      /* bit per TGT_*; 0: x86_32 x86_64 arm32 arm64 */
	unsigned configs;      /* bit per ViewConfig; 0: all */
	/* Xen's compat scripts (compat-build-source.py, ..., xlat.lst,
	 * get-fields.sh): run the compat pipeline on both trees too */
	const char *xen_scripts;
	const char *cpp;       /* the compat pipeline's preprocessor; "cc -E" */
	unsigned jobs;         /* parallel parses; 0: one per online CPU */
	bool stats;            /* parse counts and times on stderr */
} CompareOptions;

/* Print, per header, "drop-in" or its differences, then a summary, to
 * stdout.  Returns STATUS_OK when every compared header is a drop-in,
 * STATUS_SPEC when one is not, STATUS_USAGE for a bad request (and when
 * built without libclang), STATUS_IO when a tree cannot be read. */
int import_compare(const CompareOptions *o);

/* ---- libclang.c ---------------------------------------------------------
 * libclang is not linked but loaded when first needed (libclang.h, private
 * to this folder, says why and lists the functions).  Load it, once per
 * process and before any thread calls it; reports through d and returns
 * STATUS_IO when it cannot.  Only in builds with libclang. */
#ifdef HAVE_LIBCLANG
int libclang_load(Diag *d);
#endif

#endif
