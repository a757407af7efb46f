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
#include "read/read.h"
#include "model/model.h"

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

/* The targets whose build includes h: those of the #if lines around
 * every #include of an arch-* header in its includers (arch-x86/xen.h
 * includes xen-x86_32.h on x86_32 only), at most its architecture's for
 * one in an architecture's directory (arch-x86/...); every target for
 * other headers.  A bit per TGT_*. */
unsigned tree_home_targets(const HeaderTree *t, const TreeHeader *h);

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
	/* If set, called with extra_ctx, the translation unit and the
	 * header's file (CXTranslationUnit, CXFile) before the unit goes:
	 * the importer's decls_collect() */
	void (*extra)(void *ctx, void *tu, void *hdr);
	void *extra_ctx;
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

/* ---- htext.c ------------------------------------------------------------
 * A header read as text, for the importer: lines, comments, directives,
 * and the condition (context) in force at every offset.  Offsets are byte
 * offsets in the text; `clean` is the text with every comment blanked
 * (same length, line breaks kept). */

typedef enum CTokKind { CTOK_END, CTOK_IDENT, CTOK_NUMBER, CTOK_STRING,
			CTOK_CHAR, CTOK_PUNCT } CTokKind;

typedef struct CTok {
	const char *p;  /* into the text it was read from */
	size_t n;
	CTokKind kind;
} CTok;

/* The next C token of [*pp, end) (blanks, newlines and line splices
 * skipped; comments must be blanked already); false at the end. */
bool ctok_next(const char **pp, const char *end, CTok *t);
bool ctok_is(const CTok *t, const char *s);
/* Every token of [p, end) into *out (free() it); the count. */
size_t ctok_all(const char *p, const char *end, CTok **out);
/* The tokens one space apart where C needs or usually has one. */
void ctok_join(Buf *b, const CTok *v, size_t n);
bool ctok_space_between(const CTok *a, const CTok *b);

#define HCTX_NONE UINT32_MAX
#define HMAX_BRANCHES 64

typedef struct HComment {
	uint32_t start, end;  /* the comment's text, markers included */
	bool line_comment;    /* // */
	bool own_line;        /* nothing but blanks before it on its line */
	bool in_directive;    /* written inside a directive's line(s) */
} HComment;

typedef enum HDirKind {
	HD_NULL, HD_IF, HD_IFDEF, HD_IFNDEF, HD_ELIF, HD_ELSE, HD_ENDIF,
	HD_DEFINE, HD_UNDEF, HD_INCLUDE, HD_ERROR, HD_PRAGMA, HD_OTHER,
} HDirKind;

typedef struct HDirective {
	HDirKind kind;
	uint32_t start, end;  /* from its line's start to its last line's end */
	const char *text;     /* without '#', splices and comments: "define X 1" */
	const char *rest;     /* after the directive's word: "X 1" */
	const char *name;     /* define, undef, ifdef, ifndef: the name */
	bool function_like;   /* define NAME(...) */
	const char **params;
	size_t nparams;
	const char *body;     /* define: the replacement list; else = rest */
	uint32_t ctx;         /* the context it is in (for #elif, #else and
			       * #endif: the group's parent) */
	uint32_t group;       /* conditionals: their group; else HCTX_NONE */
} HDirective;

/* An #if ... #endif: its branches' conditions as written ("defined(X)"
 * for #ifdef X, "!defined(X)" for #ifndef X; NULL for #else). */
typedef struct HGroup {
	const char **branches;
	uint32_t nbranches;
	bool has_else;
	uint32_t first_dir, last_dir; /* #if and #endif (HCTX_NONE if none) */
	uint32_t parent;              /* the context the group is in */
} HGroup;

/* A context: a branch of a group, under its parent context; context 0 is
 * the whole header. */
typedef struct HCtx {
	uint32_t parent, group, branch;
	uint32_t depth;
} HCtx;

typedef struct HText {
	const char *path;     /* below the tree's root */
	const char *text;     /* borrowed */
	const char *clean;
	size_t len;
	uint32_t *line_off;   /* start of each line; line i+1 at [i] */
	size_t nlines;
	HComment *comments;
	size_t ncomments;
	HDirective *dirs;
	size_t ndirs;
	HGroup *groups;
	size_t ngroups;
	HCtx *ctxs;
	size_t nctxs;
	uint32_t *tr_off, *tr_ctx; /* context transitions, by offset */
	size_t ntr;
	bool unbalanced;      /* an #else, #elif or #endif without #if */
	/* the include guard: its group, name and the context inside it */
	uint32_t guard_group, guard_ctx;
	uint32_t guard_first, guard_define; /* its #ifndef and #define */
	const char *guard;
	Arena arena;
} HText;

void htext_init(HText *h, const char *path, const char *text, size_t len);
void htext_free(HText *h);
uint32_t htext_line_of(const HText *h, uint32_t off);
uint32_t htext_col_of(const HText *h, uint32_t off);
uint32_t htext_ctx_at(const HText *h, uint32_t off);
/* Is ctx base or inside it? */
bool htext_ctx_within(const HText *h, uint32_t ctx, uint32_t base);
/* Only blanks, line splices and comments in [a, b)? */
bool htext_blank(const HText *h, uint32_t a, uint32_t b);
void htext_find_guard(HText *h);
/* A comment's text as a description (in a). */
char *htext_comment_text(Arena *a, const HText *h, const HComment *c);
/* A description as the C backend writes it in a comment at indent: a
 * paragraph with a line too long for its room re-flowed by words, as
 * emit/cnames.c does, so that what is imported reads back the same from
 * the generated header. */
const char *htext_flow(Arena *a, const char *desc, int indent);
bool htext_all_blank(const char *s, size_t n);

/* ---- hcond.c ------------------------------------------------------------
 * Conditions as the spec's `only` says them.  targets: a bit per TGT_*;
 * configs: a bit per build (1 guest, 2 tools, 4 hypervisor). */
typedef struct ICond {
	bool never;
	unsigned targets, configs;
	uint32_t since, until;   /* 0: none */
	int assembly;            /* -1 either, 0 C only, 1 assembler only */
	const char **defined, **not_defined;
	size_t ndefined, nnot_defined;
	const char *c_if;        /* the raw rest, or NULL */
} ICond;

void icond_init(ICond *c);
bool icond_always(const ICond *c);
/* c = c && (expr) (or !(expr)); false if expr was not read as an
 * expression (it then goes to c_if as written). */
bool icond_and_text(Arena *a, ICond *c, const char *expr, bool negate);
void icond_and(Arena *a, ICond *c, const ICond *o);
/* The condition of the contexts from ctx up to base (not included),
 * the include guard left out. */
void icond_from_ctx(Arena *a, const HText *h, uint32_t ctx, uint32_t base,
		    ICond *c);
/* The same as a C expression of the header's own #if texts. */
void icond_ctx_text(Buf *b, const HText *h, uint32_t ctx, uint32_t base);
/* The `only` table, or NULL when c always holds. */
DocNode *icond_doc(Arena *a, const ICond *c);
/* Does c hold in this view?  1 yes, 0 no, -1 it depends on macros the view
 * does not fix (defined, c_if). */
int icond_holds(const ICond *c, int target, int config, uint32_t version,
		uint32_t latest);
/* An integer literal (decimal, hex, octal; suffix u/l) into *v, and its
 * suffix (up to 3 letters) into suffix; false if it is none. */
bool parse_c_int(const char *s, size_t n, uint64_t *v, char *suffix,
		 size_t suffix_size);

/* ---- decls.c ------------------------------------------------------------
 * Where a header's declarations are written, in one view (libclang; a
 * FactsView.extra).  Offsets are in the header's text. */
typedef enum XKind { XK_STRUCT, XK_UNION, XK_ENUM, XK_TYPEDEF, XK_FUNCTION,
		     XK_VAR } XKind;

typedef struct XDecl XDecl;

typedef struct XField {
	const char *name;       /* "" for an anonymous member */
	uint32_t start, end;    /* the declaration's extent */
	uint32_t name_off;      /* where its name is (its start if none) */
	int bits;               /* bit-field width, or -1 */
	bool macro;             /* made by a macro */
	XDecl *inline_rec;      /* a record its declaration defines */
} XField;

typedef struct XEnumVal {
	const char *name;
	uint32_t off;
	uint64_t value;
	bool negative, macro;
} XEnumVal;

struct XDecl {
	XKind kind;
	const char *name;       /* tag, typedef or function name; "" */
	uint32_t start, end, name_off;
	bool macro;             /* made by a macro expanded at name_off */
	bool definition;
	bool named_by_typedef;  /* typedef struct { ... } name */
	XField *fields;
	size_t nfields;
	XEnumVal *vals;
	size_t nvals;
};

typedef struct XDecls {
	XDecl *v;
	size_t n, cap;
	Arena arena;
} XDecls;

void xdecls_init(XDecls *x);
void xdecls_free(XDecls *x);
/* The FactsView.extra of the importer: ctx is an XDecls. */
void decls_collect(void *ctx, void *tu, void *hdr);

/* ---- ibuild.c ----------------------------------------------------------
 * One header into entries: what the header says, in its order, each
 * entry either an item of the spec language (a document table of
 * `items`) or the header's own text (verbatim), with its condition and
 * its description. */

/* The constructs of the language the importer may use: probed at start
 * (import.c), so that what the language cannot say yet stays verbatim. */
enum {
	CAP_TYPEDEF_NAMES = 1u << 0, /* a struct's typedef name as a type */
	CAP_CONST_EXPR = 1u << 1,    /* value = "1U << 3" */
	CAP_STRING = 1u << 2,        /* string = "text" */
	CAP_ALIAS = 1u << 3,         /* alias = "OTHER" */
	CAP_MACRO = 1u << 4,         /* macro = "F", params, expr */
	CAP_CONST_HANDLE = 1u << 5,  /* { handle = "u8", const = true } */
	CAP_RING = 1u << 6,          /* ring = "blkif" */
	CAP_HANDLE_ITEM = 1u << 7,   /* handle = "uint8", type, raw */
};

/* One view of a header: its facts and where its declarations are. */
typedef struct IView {
	int target;
	ViewConfig config;
	Facts facts;
	XDecls decls;
	int status;
} IView;

typedef struct IEntry {
	uint32_t start, end;   /* the header's text it stands for */
	uint32_t line, col;
	uint32_t ctx;
	ICond cond;            /* relative to the include guard */
	const char *kind;      /* the kind key of its item: "const", ... */
	const char *name;
	DocNode *doc;          /* the item, or NULL: verbatim */
	const char *desc;
	const char *dir_desc;  /* a #define's own comment (in its text) */
	const char **defs;     /* the C names it declares */
	size_t ndefs;
	const char **uses;     /* the spec names its item needs */
	size_t nuses;
	const char *why;       /* why it is verbatim: what it could not say */
	bool verbatim;
	bool wrap_cond;        /* its #if goes into the verbatim text */
	bool hidden;           /* written as part of another entry */
	bool is_define;        /* a #define, #undef, ... (a directive) */
	bool lifted;           /* a record defined inside another one */
	bool atomic;           /* a whole #if group, its directives and all */
	bool has_handle;       /* its DEFINE_XEN_GUEST_HANDLE is with it */
	bool absorbed;         /* hidden while the entry at owner is an
				* item, text again when it is text */
	bool part;             /* lifted out of the entry at owner: shown
				* while it is an item, hidden when it is text
				* (which holds it) */
	uint32_t owner;        /* the start of that entry */
	unsigned waive;        /* ABI rules the layout of the header breaks */
} IEntry;

typedef struct IDiag {
	uint32_t line, col;
	DiagLevel level;
	const char *msg;
} IDiag;

typedef struct IHeader {
	const TreeHeader *th;
	const HeaderTree *tree; /* th's tree: the macros of other headers */
	const char *unit;      /* the spec unit: "io/blkif", "arch-x86" */
	const char *file;      /* its spec file, without the extension */
	HText text;
	IEntry *e;
	size_t n, cap;
	const char *spdx, *notice, *desc;
	bool assembly;
	/* a header below an architecture's directory that its includers
	 * include on some of its targets only (xen-x86_32.h): [header] only,
	 * so that the model lets xen-x86_64.h define the same names */
	unsigned home_targets;
	IDiag *diags;
	size_t ndiags, diagcap;
	size_t views, views_ok;
	bool generated;          /* it carries xenbindgen's banner */
	size_t nimport_includes; /* #includes it wrote for [[includes]] */
	size_t nendif_comments;  /* labels of #else/#endif: left out */
	size_t ntrailing;        /* comments after the last entry */
	Buf facts_out;           /* --facts: its tools views' facts, as lines */
	Arena arena;
} IHeader;

void ibuild_header(IHeader *H, IView *views, size_t nviews, unsigned caps,
		   uint32_t latest);
void iheader_free(IHeader *H);
void idiag(IHeader *H, uint32_t off, DiagLevel level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Make entry e verbatim text, saying why (NULL: no diagnostic). */
void ientry_verbatim(IHeader *H, IEntry *e, const char *why);
/* The verbatim text of an entry (in H's arena). */
const char *ientry_text(IHeader *H, const IEntry *e);

/* ---- import.c -----------------------------------------------------------
 * `xenbindgen import` (docs/import.md): headers in, a spec tree out. */
typedef struct ImportOptions {
	const char *root;        /* the headers' tree (--root, or --tree) */
	bool whole_tree;         /* --tree: every header below root */
	const char *const *headers; /* paths of headers (files) */
	size_t nheaders;
	const char *outdir;      /* -o */
	SpecFormat to;           /* FMT_TOML, FMT_YAML or FMT_JSON */
	unsigned jobs;           /* parallel parses; 0: one per CPU */
	bool verbose;            /* every diagnostic, and the time */
	/* --facts FILE: also write what libclang says of each header in the
	 * tools view of each target (records' layouts, integer values,
	 * function-like macros), the facts the spec tree must agree with:
	 * what `diff` is checked against (docs/abi-evolution.md). */
	const char *facts;
	const char *xlat;        /* --xlat: Xen's xlat.lst, or NULL */
	/* More of the model's verdict: the backends' own checks (Rust names
	 * that clash, ...), which import/ cannot call (cli/ gives them).
	 * Reports through d; NULL: none. */
	void (*backends)(Spec *s, Diag *d);
} ImportOptions;

int import_run(const ImportOptions *o);

/* ---- xlat.c -------------------------------------------------------------
 * --xlat: the entries of Xen's xlat.lst as `compat` marks on the imported
 * records of the headers they name (docs/import.md). */
typedef struct XlatCount {
	size_t entries;  /* of the headers imported */
	size_t marked;   /* became a compat mark */
	size_t verbatim; /* the record is verbatim text: reported */
	size_t missing;  /* the header has no such record: reported */
} XlatCount;

int xlat_mark(const char *path, IHeader *hs, size_t nh, XlatCount *c, Diag *d);

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
/* Parses run on threads, each with its own libclang index: worker(arg)
 * on nthreads threads (no more than there are jobs; on this thread when
 * one is enough or no thread can be made), and wait for them all. */
void pool_run(void *(*worker)(void *), void *arg, size_t njobs,
	      unsigned nthreads);
/* The threads to use without -j: the processors online (1 to 64). */
unsigned pool_default_jobs(void);

#endif
