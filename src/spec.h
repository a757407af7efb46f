/*
 * spec.h - the spec model: what the specs say, with names resolved.
 *
 * Pipeline: load.c finds the files of each output unit, a reader turns each
 * file into a document tree, decode.c turns the tree into the items below,
 * check.c resolves names and runs the semantic checks, layout.c computes
 * every item's layout on every target and abi.c applies the ABI rules.
 * Emitters read this model only; they never see a document tree.
 *
 * Everything here lives in Spec.arena and goes with one spec_free().
 */
#ifndef XBG_SPEC_H
#define XBG_SPEC_H

#include "diag.h"
#include "util.h"

/* ---- Architectures and targets ------------------------------------------
 * An architecture family has an arch-<family> directory of its own items;
 * a target is one data model (ABI) of a family. */
enum { ARCH_X86, ARCH_ARM, ARCH_RISCV, ARCH_PPC, NARCH };
enum {
	TGT_X86_32,
	TGT_X86_64,
	TGT_ARM32,
	TGT_ARM64,
	TGT_RISCV64,
	TGT_PPC64LE,
	NTARGETS
};

/* ---- Types ----------------------------------------------------------------- */
typedef enum Prim {
	P_U8, P_U16, P_U32, P_U64, /* u64: uint64_aligned_t, 8-aligned everywhere */
	P_I8, P_I16, P_I32, P_I64,
	P_CHAR,                    /* C char */
	P_INT, P_UINT,             /* C int, unsigned int */
	P_LONG, P_ULONG,           /* C long: 4 bytes on 32-bit targets, 8 on 64 */
	P_U64_PLAIN, P_I64_PLAIN,  /* C uint64_t/int64_t: 4-aligned on x86_32 */
	NPRIMS
} Prim;

typedef enum ItemKind {
	IT_STRUCT,
	IT_ENUM,
	IT_BITMAP,
	NITEMKINDS,
	IT_ANY = NITEMKINDS /* a reference that accepts any kind */
} ItemKind;

typedef enum TypeKind {
	TY_PRIM,  /* prim */
	TY_NAMED, /* a struct, enum or bitmap named by sym */
	TY_PTR,   /* 64-bit guest handle to elem: XEN_GUEST_HANDLE_64 */
	TY_ARRAY, /* count elements of elem */
} TypeKind;

typedef struct Symbol Symbol;
typedef struct DocNode DocNode;
typedef struct Item Item;
typedef struct Unit Unit;

typedef struct Type {
	TypeKind kind;
	Loc loc;
	Prim prim;          /* TY_PRIM */
	ItemKind want;      /* TY_NAMED: the kind the spec asked for */
	const char *name;   /* TY_NAMED */
	Loc name_loc;       /* TY_NAMED: where the name is written */
	Symbol *sym;        /* TY_NAMED, set by check.c */
	struct Type *elem;  /* TY_PTR, TY_ARRAY */
	uint64_t count;     /* TY_ARRAY */
	Loc count_loc;
} Type;

/* ---- Items ------------------------------------------------------------------ */
typedef struct Field {
	const char *name;
	Loc loc;      /* the field's table */
	Loc name_loc; /* the name value */
	const char *desc;
	Type *type;
} Field;

typedef struct Variant {
	const char *name;
	Loc loc, name_loc, value_loc;
	const char *desc;
	int64_t value;
} Variant;

typedef struct Bit {
	const char *name;
	Loc loc, name_loc, shift_loc;
	const char *desc;
	int64_t shift;
} Bit;

/* A per-target layout, computed by layout.c. */
typedef struct FieldLayout {
	uint64_t offset, size;
} FieldLayout;

typedef struct Layout {
	uint64_t size;
	uint64_t align;
	FieldLayout *fields; /* IT_STRUCT: one per field */
} Layout;

struct Item {
	ItemKind kind;
	const char *name;
	Loc loc;      /* the item's table */
	Loc name_loc; /* its name value */
	const char *desc;
	Unit *unit;
	size_t index; /* position in Spec.items */

	/* IT_STRUCT */
	Field *fields;
	size_t nfields;
	/* op = { family = "domctl", cmd = 1, name = "XEN_DOMCTL_createdomain" }:
	 * the hypercall sub-op this struct is the argument of */
	const char *op_family; /* NULL: not an op argument */
	const char *op_name;   /* C constant; default XEN_<FAMILY>_<rest> */
	int64_t op_cmd;
	Loc op_loc;

	/* IT_ENUM, IT_BITMAP */
	Prim backing;
	Loc backing_loc;
	Variant *variants;
	size_t nvariants;
	Bit *bits;
	size_t nbits;

	/* layout.c: NULL for targets where the item does not exist */
	Layout *layout[NTARGETS];
	bool layout_failed;
	int visit; /* scratch for graph walks */
};

/* An [[includes]] entry: from = "unit" or "arch", imports = [names]. */
typedef struct Include {
	const char *from;
	Loc loc, from_loc;
	const char **imports;
	Loc *import_locs;
	size_t nimports;
	Unit *unit; /* resolved source; NULL for "arch" */
} Include;

typedef struct SpecFile {
	const char *path;    /* as opened */
	const char *relpath; /* relative to the input directory */
	uint32_t file;       /* diag source id */
	const char *text;    /* spec_load_texts(): the content, borrowed */
	size_t len;
} SpecFile;

/* One output unit: a sub-directory of --indir, one generated file. */
struct Unit {
	const char *name; /* directory name, e.g. "domctl", "arch-x86" */
	size_t index;     /* position in Spec.units */
	int arch;         /* ARCH_* for arch-* directories, else -1 */
	SpecFile *files;
	size_t nfiles;
	Include *includes;
	size_t nincludes;
	Item **items; /* in spec order */
	size_t nitems, items_cap;
	size_t includes_cap;
	bool uses_arch; /* includes from "arch" */
};

/* All items that share a name.  Common units define a name once; each arch
 * directory may define its own version of a name, so a reference resolves
 * per architecture view. */
struct Symbol {
	const char *name;
	Item *common;
	Item *arch[NARCH];
};

typedef struct Spec {
	Arena arena;
	const char *indir;
	Unit **units; /* sorted by name */
	size_t nunits;
	Item **items; /* every item, in unit order then spec order (heap) */
	size_t nitems, items_cap;
	HMap symbols;  /* name -> Symbol */
	Unit *arch_units[NARCH];
	bool covered[NTARGETS]; /* targets the specs can be laid out for */
} Spec;

/* ---- Lifecycle and passes ----------------------------------------------- */
Spec *spec_new(const char *indir);
void spec_free(Spec *s);

/* Names. */
const char *prim_name(Prim p);           /* spec spelling: "u8", "char", ... */
bool prim_from_name(const char *s, Prim *out);
bool prim_is_integer(Prim p);            /* usable as an enum/bitmap backing */
bool prim_is_signed(Prim p);
const char *item_kind_name(ItemKind k);  /* "struct", "enum", "bitmap" */
const char *arch_name(int arch);         /* "x86", "arm", "riscv", "ppc" */
int arch_from_name(const char *s);       /* -1 if unknown */

/* A type in spec words: "u8", "u8[16]", "ptr<u8>", "struct foo". */
void type_to_string(Buf *b, const Type *t);

/* The item a symbol denotes on a target's architecture view (or NULL). */
Item *symbol_item(const Symbol *sym, int arch);
Item *type_item(const Type *t, int arch);

/* load.c: scan indir, read and decode every spec file.  Returns 0, or 3 on
 * an I/O error (reported through d).  Spec errors are only reported. */
int spec_load(Spec *s, Diag *d);

/* load.c: the same from memory, for tests and fuzzers: paths[i] is
 * "<unit>/<file>" relative to an imaginary --indir, texts[i] its content
 * (borrowed until spec_free). */
int spec_load_texts(Spec *s, Diag *d, const char *const *paths,
		    const char *const *texts, const size_t *lens, size_t n);

/* decode.c: decode one file's document tree into unit u. */
void spec_decode(Spec *s, Diag *d, Unit *u, const SpecFile *f,
		 const DocNode *root);

/* check.c: resolve names and run the semantic checks. */
void spec_check(Spec *s, Diag *d);
/* check.c: the items of an architecture view (arch -1: common items only)
 * with every struct after the structs it contains by value, otherwise in
 * spec order.  Heap-allocated; *n receives the count. */
Item **spec_order(Spec *s, int arch, size_t *n);

#endif
