/*
 * model.h - the spec model: what the specs say, with names resolved, laid
 * out on every target and checked against the ABI rules.
 *
 * Pipeline: load.c finds the files of each output unit, a reader (read/)
 * turns each file into a document tree, decode.c turns the tree into the
 * items below (keys checked against schema.c, values read by get.c,
 * conditions by cond.c, array lengths by expr.c), check.c runs the
 * semantic checks (resolve.c resolves names, names.c holds the rules for
 * names), order.c puts items in dependency order, layout.c computes every
 * item's layout on every target (target.c) and abi.c applies the ABI
 * rules.  Emitters read this model only; they never see a document tree.
 *
 * Everything here lives in Spec.arena and goes with one spec_free().
 * Sectioned by the file that defines each declaration; the types first.
 * model/ uses base/ and read/.
 */
#ifndef XBG_MODEL_H
#define XBG_MODEL_H

#include "base/base.h"
#include "read/read.h"

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
	/* C's own spellings, for describing headers as Xen writes them
	 * (unsigned char where uint8_t would have the same layout): */
	P_UCHAR, P_SCHAR,          /* unsigned char, signed char */
	P_SHORT, P_USHORT,         /* short, unsigned short */
	P_LLONG, P_ULLONG,         /* long long: 4-aligned on x86_32 */
	P_VOID,                    /* only as a pointee: XEN_GUEST_HANDLE(void) */
	NPRIMS
} Prim;

typedef enum ItemKind {
	IT_STRUCT,
	IT_ENUM,
	IT_BITMAP,
	IT_UNION,
	IT_ALIAS, /* a typedef: domid_t, xen_pfn_t (maybe per architecture) */
	IT_CONST, /* a named constant: #define NAME value (or "text", OTHER) */
	IT_MACRO, /* a function-like macro: #define NAME(a, b) (expression) */
	IT_HANDLE, /* DEFINE_XEN_GUEST_HANDLE(name): a guest handle type */
	IT_XMACRO, /* an X-macro list: NAME(args) lines */
	IT_RING,  /* DEFINE_RING_TYPES(name, req, rsp): the structs it makes */
	NITEMKINDS,
	IT_ANY = NITEMKINDS /* a reference that accepts any type */
} ItemKind;

typedef enum TypeKind {
	TY_PRIM,   /* prim */
	TY_NAMED,  /* a named item (struct, union, enum, bitmap, alias) */
	TY_PTR,    /* 64-bit guest handle to elem: XEN_GUEST_HANDLE_64 */
	TY_HANDLE, /* native guest handle to elem: XEN_GUEST_HANDLE */
	TY_CPTR,   /* a plain C pointer to elem: pointer-sized, T * */
	TY_ARRAY,  /* count elements of elem; flexible if flex */
	TY_INLINE, /* an anonymous struct or union defined in place: item */
} TypeKind;

typedef struct Symbol Symbol;

/* Where something exists.  The default is everywhere.  Layouts are those
 * of a tools/hypervisor build at the latest interface version, in C (not
 * assembling), with no configuration macro defined: content with an
 * `until` version, `defined` names, `assembly = true`, `tools = false` or
 * `hypervisor = false` is emitted (under #if) but not laid out.  A raw condition (c_if) is taken to hold. */
enum { COND_ASM_ANY, COND_ASM_ONLY, COND_ASM_NOT };
typedef struct Cond {
	bool tools;        /* only for __XEN__ / __XEN_TOOLS__ builds */
	bool hypervisor;   /* only for __XEN__ (the hypervisor itself) */
	bool not_tools;    /* tools = false: only outside those (guests) */
	bool not_hypervisor; /* hypervisor = false: only without __XEN__ */
	unsigned targets;  /* bit t set: present on target t; 0: everywhere */
	uint32_t since;    /* __XEN_INTERFACE_VERSION__ >= since (0: any) */
	uint32_t until;    /* __XEN_INTERFACE_VERSION__ < until (0: any) */
	int assembly;      /* COND_ASM_*: only (not) when __ASSEMBLY__ */
	const char **defined, **not_defined; /* configuration macros */
	size_t ndefined, nnot_defined;
	/* per name: the constant of another unit that defines it (then the
	 * condition holds where that constant exists), or NULL: a macro of
	 * the build's configuration (resolve_conds) */
	Symbol **defined_sym, **not_defined_sym;
	const char *c_if;  /* a raw C preprocessor expression, or NULL */
	Loc loc;
} Cond;

/* An integer expression of the expression language (expr.c): an array
 * length, a constant's value, a macro's body.  Typed and evaluated per
 * target by eval.c, as C would. */
typedef struct Expr Expr;

/* C's integer types, as the expression language types its values: a
 * value's type decides its width and signedness on each target (long is
 * 32 bits on x86_32 and arm32, char is signed on x86 only). */
typedef enum CType {
	CT_CHAR, CT_SCHAR, CT_UCHAR, CT_SHORT, CT_USHORT, CT_INT, CT_UINT,
	CT_LONG, CT_ULONG, CT_LLONG, CT_ULLONG, NCTYPES
} CType;

/* A value on one target: its bits as a 64-bit integer (a signed type's
 * value sign-extended, an unsigned one's zero-extended), so that values up
 * to 2^64 - 1 and down to -2^63 are exact. */
typedef struct Value {
	uint64_t v;
	CType type;
} Value;

typedef struct DocNode DocNode;
typedef struct Item Item;
typedef struct Unit Unit;

typedef struct Type {
	TypeKind kind;
	Loc loc;
	bool is_const;      /* TY_PTR, TY_HANDLE, TY_CPTR: to const elem */
	bool via_typedef;   /* TY_NAMED: a struct or union named by its
			     * c.typedef, which C writes as written */
	Prim prim;          /* TY_PRIM */
	ItemKind want;      /* TY_NAMED: the kind the spec asked for */
	const char *name;   /* TY_NAMED */
	Loc name_loc;       /* TY_NAMED: where the name is written */
	Symbol *sym;        /* TY_NAMED, set by resolve.c */
	struct Type *elem;  /* TY_PTR, TY_HANDLE, TY_ARRAY */
	uint64_t count;     /* TY_ARRAY with a literal length */
	Expr *count_expr;   /* TY_ARRAY with a computed length */
	const char *count_text; /* as written, for C */
	bool flex;          /* TY_ARRAY: flexible trailing array */
	bool flex_empty;    /* ... written `[]` in C (field c.flex) */
	Loc count_loc;
	Item *item;         /* TY_INLINE */
} Type;

typedef enum ExprKind {
	EX_NUM,    /* an integer literal: num, text as written */
	EX_CHAR,   /* a character literal: num (the char), text */
	EX_NAME,   /* an identifier: a constant, enumerator or bit macro */
	EX_PARAM,  /* a parameter of the macro whose body this is: index */
	EX_SIZEOF, /* sizeof(type) */
	EX_SIZEOF_PARAM, /* sizeof(parameter), in a macro's body: index */
	EX_CAST,   /* (type)l */
	EX_UNARY,  /* op l: + - ~ ! */
	EX_BINARY, /* l op r */
	EX_COND,   /* c ? l : r */
	EX_CALL,   /* name(args): a macro of the specs, or xen_mk_* */
	EX_PAREN,  /* (l), kept as written */
} ExprKind;

/* Operators: their spelling is expr_op_text(). */
typedef enum ExprOp {
	OP_PLUS, OP_MINUS, OP_NOT, OP_LNOT,        /* unary + - ~ ! */
	OP_MUL, OP_DIV, OP_MOD, OP_ADD, OP_SUB, OP_SHL, OP_SHR,
	OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_AND, OP_XOR, OP_OR,
	OP_LAND, OP_LOR, NOPS
} ExprOp;

/* An integer literal's suffix: U, L, LL (and UL, ULL). */
enum { LIT_U = 1, LIT_L = 2, LIT_LL = 4 };

/* The builtin calls: Xen's xen_mk_uint(x) and friends paste a suffix to a
 * number, which no macro of the language can do. */
enum { MK_NONE, MK_UINT, MK_ULONG, MK_ULLONG };

struct Expr {
	ExprKind kind;
	ExprOp op;          /* EX_UNARY, EX_BINARY */
	uint64_t num;       /* EX_NUM, EX_CHAR */
	unsigned suffix;    /* EX_NUM: LIT_U | LIT_L | LIT_LL (expr.c) */
	bool decimal;       /* EX_NUM: no 0x or leading 0 */
	const char *text;   /* literal or name as written; EX_CAST, EX_SIZEOF:
			     * the type as written ("unsigned long") */
	int param;          /* EX_PARAM, EX_SIZEOF_PARAM: the index */
	int builtin;        /* EX_CALL: MK_* */
	size_t pos, end;    /* the characters of the source it spans */
	const char *src;    /* the source text */
	Symbol *sym;        /* EX_NAME (constant), EX_CALL: resolved */
	struct MemberSym *member; /* EX_NAME: an enumerator or bit macro */
	Type *type;         /* EX_SIZEOF, EX_CAST */
	Expr *l, *r, *c;    /* operands */
	Expr **args;        /* EX_CALL */
	size_t nargs;
	Expr *expansion;    /* EX_CALL of a spec macro: the body with the
			     * arguments substituted (eval.c, cached) */
	const char *const *params; /* EX_CALL: the parameters in scope */
	size_t nparams;
	struct Spec *spec;  /* the spec it belongs to */
	Loc loc;            /* the string the expression is written in */
};


/* ---- Items ------------------------------------------------------------------ */
typedef struct Field {
	const char *name; /* NULL for an anonymous struct/union member */
	Loc loc;          /* the field's table */
	Loc name_loc;     /* the name value */
	const char *desc;
	Type *type;
	unsigned bits;    /* C bitfield width; 0: not a bitfield */
	Cond cond;
	/* tagged unions: the union-typed field names its tag field; each
	 * member of the union says for which tag values it is valid */
	const char *tag;
	Loc tag_loc;
	int tag_index;    /* resolved index of the tag field, -1 */
	int64_t *when;    /* member of a tagged union: tag values */
	const char **when_names; /* as written (constant/variant names) */
	size_t nwhen;
	Loc when_loc;
	const char *c_decl; /* c = { decl = "..." }: C's text for the member */
	bool c_join;        /* c = { join = true }: declared with the one before */
	bool c_declare;     /* c = { declare = true }: its named struct or
			     * union is declared here, body in place */
	Loc c_loc;
} Field;

typedef struct Variant {
	const char *name;
	Loc loc, name_loc, value_loc;
	const char *desc;
	int64_t value;
	const char **compat; /* old C names kept as aliases */
	size_t ncompat;
	Expr *c_value;       /* c = { value = "..." }: C's spelling */
	Cond cond;
} Variant;

typedef struct Bit {
	const char *name;
	Loc loc, name_loc, shift_loc;
	const char *desc;
	int64_t shift;
	int64_t width;       /* 1, or a multi-bit field (mask and shift) */
	int bit_number;      /* _NAME bit-number macro: 1 yes, 0 no, -1 as the
			      * bitmap's c.bit_numbers says */
	const char **compat;
	size_t ncompat;
	Expr *c_value;       /* c = { value = "..." }: C's spelling of the
			      * bit's macro (of NAME_mask for a field) */
	Cond cond;
} Bit;

/* C naming control: how an item keeps the names existing code uses. */
typedef struct CNames {
	bool set;             /* a `c` table was given */
	const char *prefix;   /* enum/bitmap member macros; default NAME_ */
	bool keep_case;       /* members keep their case (XEN_DOMCTL_CDF_hvm) */
	bool defines;         /* enum as #defines instead of a C enum */
	bool bit_numbers;     /* bitmap: also _PREFIXbit bit-number macros */
	const char *all;      /* bitmap mask of all bits; "" for none */
	const char *typedef_name; /* struct/union: typedef ..._t */
	bool handle;          /* DEFINE_XEN_GUEST_HANDLE(typedef) */
	bool typedef_decl;    /* typedef struct name { ... } typedef; */
	bool hex;             /* const: write the value in hex */
	bool accessors;       /* bitmap: NAME_shift and NAME(v) for fields */
	const char **compat;  /* old names kept as aliases */
	size_t ncompat;
	Loc loc;
} CNames;

/* Waivers of ABI rules, for types that are legitimately different (Xen
 * translates them for 32-bit guests).  A waived difference is still
 * reported, as a warning. */
enum { WAIVE_IDENTITY = 1, WAIVE_PADDING = 2, WAIVE_ALIGNMENT = 4 };

/* What Xen's hypervisor does with a struct or union for its 32-bit (compat)
 * guests, as xen/include/xlat.lst said: nothing (the default), a
 * compile-time check that the native and compat layouts agree (CHECK_foo),
 * or a field-by-field translation (XLAT_foo).  See docs/compat.md. */
enum { COMPAT_NONE, COMPAT_CHECK, COMPAT_TRANSLATE };

/* A per-target layout, computed by layout.c. */
typedef struct FieldLayout {
	uint64_t offset, size;  /* bitfields: of their storage unit */
	unsigned bit_offset;    /* bitfields: first bit within the unit */
	bool present;           /* the field exists on this target */
} FieldLayout;

typedef struct Layout {
	uint64_t size;
	uint64_t align;
	FieldLayout *fields; /* one per field */
} Layout;

struct Item {
	ItemKind kind;
	const char *name;
	Loc loc;      /* the item's table */
	Loc name_loc; /* its name value */
	const char *desc;
	Unit *unit;
	size_t index; /* position in Spec.items */

	/* IT_STRUCT, IT_UNION */
	Field *fields;
	size_t nfields;
	Item *parent;  /* an inline (anonymous) type: the item it is in */
	bool inline_type;
	/* op = { family = "domctl", cmd = 1, name = "XEN_DOMCTL_createdomain" }:
	 * the hypercall sub-op this struct is the argument of */
	const char *op_family; /* NULL: not an op argument */
	const char *op_name;   /* C constant; default XEN_<FAMILY>_<rest> */
	int64_t op_cmd;
	/* no cmd: op_name is a constant or enumerator the specs define
	 * elsewhere (EVTCHNOP_send), whose value eval_check puts in op_cmd */
	bool op_ref;
	/* also = [...]: the other sub-ops that take the struct, constants
	 * defined elsewhere, their numbers put in op_also_cmd by eval_check */
	const char **op_also;
	Loc *op_also_locs;
	int64_t *op_also_cmd;
	size_t nop_also;
	Loc op_loc;

	/* IT_ENUM, IT_BITMAP */
	Prim backing;
	Loc backing_loc;
	Variant *variants;
	size_t nvariants;
	Bit *bits;
	size_t nbits;

	/* IT_ALIAS: one type, or one per architecture */
	Type *alias;
	Type *arch_alias[NARCH];

	/* IT_CONST: an integer value (expr: an integer is decoded as the
	 * literal C writes for it), a string, or another name */
	int64_t value;      /* an integer value as given; see const_value() */
	bool int_value;     /* the value was given as an integer */
	Expr *expr;         /* the value; NULL for a string or an alias */
	const char *string; /* string = "...": a string macro */
	const char *alias_of; /* alias = "OTHER": #define NAME OTHER */
	bool c_only;        /* alias: OTHER is not checked */
	Type *const_type; /* optional */
	Loc value_loc;
	struct ConstVal *cval; /* per target, eval.c (for expr or alias) */

	/* IT_MACRO: #define NAME(params) (expr) */
	const char **params;
	size_t nparams;
	const char *rust_why; /* why there is no Rust function, or NULL */

	/* IT_HANDLE: DEFINE_XEN_GUEST_HANDLE(name), or with raw
	 * __DEFINE_XEN_GUEST_HANDLE(name, type) */
	Type *handle_type;
	bool raw;

	/* IT_XMACRO: NAME(args) lines */
	struct XEntry *entries;
	size_t nentries;
	Item *xenum;        /* the enum its default expansion declares */

	/* IT_RING: DEFINE_RING_TYPES(name, request, response) */
	Type *ring_req, *ring_rsp;
	bool ring_flex;     /* the ring is a flexible array (not ring[1]) */
	Item *ring_made[4]; /* entry union, sring, front_ring, back_ring */
	Item *made_by;      /* a struct or union of a ring or an xmacro: C
			     * gets it from the macro, not a declaration */
	Item *declared_in;  /* a struct or union that a field of this one
			     * declares in place (c.declare; check.c) */

	Cond cond;
	CNames c;
	int compat;             /* COMPAT_*: struct, union */
	Loc compat_loc;
	unsigned waive;         /* WAIVE_* */
	const char *waive_reason;
	Loc waive_loc;

	/* layout.c: NULL for targets where the item does not exist */
	Layout *layout[NTARGETS];
	/* layout.c: a record's or typedef's layout on x86_32 (the target whose
	 * plain 64-bit integers are 4-aligned) in a guest's build, where Xen's
	 * xen.h leaves uint64_aligned_t plain uint64_t and a 64-bit guest
	 * handle the native one; layout[TGT_X86_32] itself where that changes
	 * nothing, NULL where the item is not laid out there */
	Layout *guest_layout;
	bool layout_failed;
	int visit; /* scratch for graph walks */
};

/* An entry of an X-macro list: XEN_ERRNO(EPERM, 1). */
typedef struct XEntry {
	const char **args;
	size_t nargs;
	const char *desc;
	Cond cond;
	Loc loc;
} XEntry;

/* What an evaluation gives: a value, an error (why), a name that does
 * not exist on the target (why: the name), a dependency that could not be
 * computed (reported where it failed), or no integer at all (a string
 * constant, an alias of a type). */
enum { EV_OK, EV_ERROR, EV_ABSENT, EV_UNKNOWN, EV_NONE };

/* A constant's value on one target (eval.c). */
typedef struct ConstVal {
	int state;          /* 0 not yet, 1 being computed, 2 done */
	int status;         /* EV_* */
	Value v;
	const char *error;  /* why not, for the message */
} ConstVal;

/* A name C defines for a member of an enum or bitmap, or for an op, that
 * expressions may use: an enumerator (XEN_DOMCTL_CDF_hvm), a bit's macro
 * and bit number, a field's shift and mask, a mask of all bits, an op's
 * number, and their compat names.  Per architecture, as items are. */
typedef enum MemberRole {
	MR_VARIANT, MR_BIT, MR_BIT_NUMBER, MR_FIELD_SHIFT, MR_FIELD_MASK,
	MR_ALL, MR_OP
} MemberRole;
typedef struct MemberRef {
	Item *it;           /* NULL: none */
	MemberRole role;
	size_t index;       /* the variant or bit */
} MemberRef;
typedef struct MemberSym {
	const char *name;
	MemberRef common, arch[NARCH];
} MemberSym;

/* An [[includes]] entry: from = "unit" or "arch", imports = [names]. */
typedef struct Include {
	const char *from;
	Loc loc, from_loc;
	const char **imports;
	Loc *import_locs;
	size_t nimports;
	Unit *unit; /* resolved source; NULL for "arch" */
	const char *via; /* C gets them through this unit's header, or NULL */
	Loc via_loc;
	Unit *via_unit;
	/* only: the targets where the names are used (from = "arch": the
	 * architectures that must define them); cond.targets 0 is all */
	Cond cond;
	bool by_includer; /* no #include: the header's includers bring them */
	Loc by_includer_loc;
} Include;

/* What a unit's [header] table says about its C header. */
typedef struct UnitHeader {
	bool set;
	Loc loc;             /* the table */
	const char *path;    /* under --outdir, ".h" included; NULL: default */
	Loc path_loc;
	const char *guard;   /* NULL: __XEN_AUTOGEN_<NAME>_H */
	Loc guard_loc;
	bool unguarded;      /* no include guard (X-macro headers, headers
			      * whose includers guard them) */
	const char *spdx;    /* SPDX-License-Identifier expression */
	Loc spdx_loc;
	const char *notice;  /* a leading comment block */
	const char *desc;    /* the file's purpose */
	bool assembly;       /* C declarations under #ifndef __ASSEMBLY__ */
	Cond cond;           /* unit-wide: #if around the content */
} UnitHeader;

/* An entry of an `items` list that declares no name: a C #include, an
 * #error under a condition, or text written as it is. */
typedef enum DirKind { DIR_INCLUDE, DIR_ERROR, DIR_VERBATIM } DirKind;
typedef struct Directive {
	DirKind kind;
	Loc loc, text_loc;
	const char *text;   /* the path, the message, or the C text */
	const char *rust;   /* verbatim: the Rust text, or NULL */
	const char *desc;   /* optional */
	bool before_guard;  /* include: before the include guard */
	Cond cond;
	Unit *unit;
} Directive;

/* A unit in spec order: each entry an item or a directive. */
typedef struct Entry {
	Item *item;
	Directive *dir;
} Entry;

typedef struct SpecFile {
	const char *path;    /* as opened */
	const char *relpath; /* relative to the input directory */
	uint32_t file;       /* diag source id */
	const char *text;    /* spec_load_texts(): the content, borrowed */
	size_t len;
} SpecFile;

/* [abi] bump = [{ constant = "XEN_DOMCTL_INTERFACE_VERSION", types =
 * ["xen_domctl_*"] }]: a change of the layout of a type whose name matches
 * one of the patterns ('*' matches any run of characters) must come with
 * a new value of the constant (`xenbindgen diff`, docs/abi-evolution.md). */
typedef struct UnitBump {
	const char *constant;
	Loc loc, constant_loc;
	const char **types;
	Loc *type_locs;
	size_t ntypes;
	const char *desc;
} UnitBump;

/* One output unit: a sub-directory of --indir, one generated file. */
struct Unit {
	const char *name; /* directory name, e.g. "domctl", "arch-x86" */
	size_t index;     /* position in Spec.units */
	int arch;         /* ARCH_* for arch-* directories, else -1 */
	/* ARCH_* for arch-<family> and every unit below it ("arch-x86/xen-mca",
	 * an architecture-specific common unit): the items exist only on that
	 * family's targets; else -1 */
	int family;
	SpecFile *files;
	size_t nfiles;
	Include *includes;
	size_t nincludes;
	Item **items; /* in spec order */
	size_t nitems, items_cap;
	Entry *seq;   /* items and directives, in spec order */
	size_t nseq, seq_cap;
	UnitHeader header;
	size_t includes_cap;
	bool uses_arch; /* includes from "arch" */
	/* [abi] invariant = true: the unit is designed to be the same for
	 * 32- and 64-bit callers (domctl, sysctl) */
	bool invariant;
	Loc invariant_loc;
	UnitBump *bumps; /* [abi] bump, in spec order */
	size_t nbumps, bumps_cap;
};

/* All items that share a name.  Common units define a name once; each arch
 * directory may define its own version of a name, so a reference resolves
 * per architecture view.  Units below an architecture directory whose
 * [header] only keeps them to targets that do not overlap (Xen's
 * arch-x86/xen-x86_32.h and xen-x86_64.h) may each define the name for
 * their targets: tgt[t] is the one of target t, and a reference resolves
 * per target. */
struct Symbol {
	const char *name;
	Item *common;
	Item *arch[NARCH];
	Item *tgt[NTARGETS];
	bool split; /* some tgt[t] is set (and no common or arch one) */
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
	HMap members;  /* C name -> MemberSym (check.c) */
	HMap typedefs; /* a struct's or union's c.typedef -> Symbol */
	size_t nc_only_macros; /* macros without a Rust function */
	/* last resorts, counted by validate's summary */
	size_t nverbatim;       /* verbatim blocks */
	size_t nraw_conds;      /* conditions with c_if */
} Spec;

/* ---- spec.c ------------------------------------------------------------- */
Spec *spec_new(const char *indir);
void spec_free(Spec *s);

/* Names. */
const char *prim_name(Prim p);           /* spec spelling: "u8", "char", ... */
bool prim_from_name(const char *s, Prim *out);
bool prim_is_integer(Prim p);            /* usable as an enum/bitmap backing */
bool prim_is_signed(Prim p);
/* The spec's name for a C spelling of a primitive ("unsigned char",
 * "uint8_t", "long long int"), or NULL: for the hint of a message. */
const char *prim_for_c_spelling(const char *s);
/* The signedness a type name spells: 1 unsigned ("uchar", "uint8_t",
 * "unsigned short"), -1 signed ("schar", "i32", "short"), 0 neither
 * ("char", whose signedness is the target's, or any other name).  A
 * did-you-mean never crosses it. */
int name_signedness(const char *s);
const char *item_kind_name(ItemKind k);  /* "struct", "enum", "bitmap" */
const char *arch_name(int arch);         /* "x86", "arm", "riscv", "ppc" */
int arch_from_name(const char *s);       /* -1 if unknown */

/* A type in spec words: "u8", "u8[16]", "ptr<u8>", "struct foo". */
void type_to_string(Buf *b, const Type *t);

/* The item a symbol denotes on an architecture view (or NULL): for a name
 * defined per target, the definition of the first of the architecture's
 * targets, which agrees with the others on kind (resolve.c checks). */
Item *symbol_item(const Symbol *sym, int arch);
/* The item a symbol denotes on target t (or NULL). */
Item *symbol_item_on(const Symbol *sym, int t);
/* Any definition of a symbol: the common one, or the first architecture's
 * or target's. */
Item *symbol_any(const Symbol *sym);

/* ---- load.c ------------------------------------------------------------- */
/* Scan indir, read and decode every spec file.  Returns 0, or 3 on
 * an I/O error (reported through d).  Spec errors are only reported. */
int spec_load(Spec *s, Diag *d);

/* The same from memory, for tests and fuzzers: paths[i] is
 * "<unit>/<file>" relative to an imaginary --indir, texts[i] its content
 * (borrowed until spec_free). */
int spec_load_texts(Spec *s, Diag *d, const char *const *paths,
		    const char *const *texts, const size_t *lens, size_t n);

/* ---- schema.c ----------------------------------------------------------- */
/* The schema of the spec language: every kind of table, its keys in
 * canonical order (the order of fmt), which are required and what each
 * holds.  Read by the decoder, by fmt (tools/canon.c) and by the generator
 * of docs/xenbindgen.schema.json. */
typedef enum SchemaKind {
	SK_ROOT,       /* a spec file */
	SK_UNIT_ABI,   /* its [abi] */
	SK_INCLUDE,
	SK_CONST,
	SK_ALIAS,
	SK_ENUM,
	SK_VARIANT,
	SK_BITMAP,
	SK_BIT,
	SK_STRUCT,
	SK_UNION,
	SK_OP,
	SK_FIELD,
	SK_ONLY,       /* a condition */
	SK_C,          /* C naming control */
	SK_ABI,        /* an item's ABI waivers */
	SK_ARCH_TYPES, /* an alias's type per architecture */
	SK_MACRO,      /* a function-like macro */
	SK_HANDLE,     /* a guest handle definition */
	SK_XMACRO,     /* an X-macro list */
	SK_XENTRY,     /* an entry of one */
	SK_XENUM,      /* the enum an X-macro list declares by default */
	SK_RING,       /* DEFINE_RING_TYPES */
	SK_FIELD_C,    /* a field's c = { decl } */
	SK_MEMBER_C,   /* a variant's or bit's c = { value } */
	SK_HEADER,     /* a unit's [header] */
	SK_INCLUDE_ITEM, /* items: { include = "xen.h" } */
	SK_ERROR,      /* items: { error = "message", only = ... } */
	SK_VERBATIM,   /* items: { verbatim = "C text", rust = "Rust text" } */
	SK_BUMP,       /* [abi] bump = [{ constant = ..., types = [...] }] */
	NSCHEMAKINDS
} SchemaKind;

/* What a key holds. */
typedef enum SchemaValue {
	SV_STRING,      /* a string of at least min bytes */
	SV_IDENT,       /* an identifier */
	SV_CNAME,       /* an identifier used as is in C: not a keyword */
	SV_TEXT,        /* free text: a description */
	SV_INT,         /* an integer, min to max (both 0: any) */
	SV_BOOL,
	SV_STRINGS,     /* a list of strings */
	SV_WORD,        /* a word of the set sub */
	SV_WORDS,       /* a list of at least min words of the set sub */
	SV_TYPE,        /* a type */
	SV_ENUM_TYPE,   /* an integer primitive: u8..u64, i8..i64 */
	SV_BITMAP_TYPE, /* an unsigned one: u8..u64 */
	SV_CONST_TYPE,  /* as SV_ENUM_TYPE */
	SV_VALUE,       /* an integer, or a string: an expression */
	SV_ALIAS_TYPE,  /* a type, or a table SK_ARCH_TYPES */
	SV_TAG_VALUES,  /* an integer or a name, or a list of them */
	SV_TABLE,       /* a table of kind sub */
	SV_TABLES,      /* a list of tables of kind sub */
	SV_ITEMS,       /* a list of tables, each naming its kind (and the
			 * item's name) with a key of SW_ITEM_KINDS */
} SchemaValue;

/* Closed sets of words that values are taken from. */
typedef enum SchemaWords {
	SW_ARCHS,   /* arch_name(): index ARCH_* */
	SW_TARGETS, /* targets[].name: index TGT_* */
	SW_WAIVERS, /* "identity", ...: index i is WAIVE_* 1 << i */
	SW_CASES,   /* "keep", "upper" */
	SW_COMPAT,  /* "check", "translate": index i is COMPAT_* i + 1 */
	SW_CTORS,   /* type constructors: index Ctor */
	SW_ITEM_KINDS, /* the kind keys of `items`: schema_item_kind() */
} SchemaWords;

/* The keys of a type table: { ptr = T }, { tag = "ptr", args = T }. */
typedef enum Ctor {
	CTOR_PTR, CTOR_HANDLE, CTOR_CPTR, CTOR_ARRAY, CTOR_STRUCT, CTOR_UNION,
	CTOR_ENUM, CTOR_BITMAP, CTOR_TYPE, NCTORS
} Ctor;

typedef struct SchemaKey {
	const char *key;
	size_t len;       /* strlen(key) */
	bool required;
	SchemaValue value;
	int sub;          /* SV_TABLE(S): SchemaKind; SV_WORD(S): SchemaWords */
	int64_t min, max; /* see SchemaValue */
	const char *desc; /* for the JSON Schema */
} SchemaKey;

typedef struct SchemaTable {
	const char *what; /* in messages: "struct", "field", "spec file" */
	const char *name; /* its definition in the JSON Schema (root: NULL) */
	const char *desc;
	const SchemaKey *keys; /* in canonical order */
	size_t nkeys;
} SchemaTable;

#define SCHEMA_MAX_KEYS 16
extern const SchemaTable schema_tables[NSCHEMAKINDS];

/* The key of a table, or NULL. */
const SchemaKey *schema_key(SchemaKind k, const char *key, size_t len);
/* The same for a table of an `items` list, where the kind key (name_key:
 * "const", "struct", ...) stands for `name`, and `name` is no key. */
const SchemaKey *schema_key_as(SchemaKind k, const char *name_key,
			       const char *key, size_t len);
/* The table of the i-th word of SW_ITEM_KINDS. */
SchemaKind schema_item_kind(size_t i);
/* The kind of an entry of `items` (a table): the index of its kind key in
 * SW_ITEM_KINDS, -1 if it has none, -2 if it has two (*key1 and *key2 are
 * then their indices in the table).  A kind key that is also a key of the
 * table of the entry's other kind key (a constant's `alias`, an X-macro
 * list's `enum`) is that key, not a kind.  *key1 is the kind key's index in
 * the table. */
int schema_entry_kind(const DocNode *t, uint32_t *key1, uint32_t *key2);
/* The keys in the order the decoder checks them (out: room for
 * SCHEMA_MAX_KEYS), which decides the order of missing-key messages and
 * which of two equally close keys a misspelt one suggests; the count. */
size_t schema_check_order(SchemaKind k, const SchemaKey **out);
/* The i-th word of a set, NULL past the last; the index of a word, or -1. */
const char *schema_word(SchemaWords set, size_t i);
int schema_word_find(SchemaWords set, const char *s, size_t len);
/* Did you mean: the closest of n words to word, or NULL. */
const char *schema_closest(const char *word, const char *const *words,
			   size_t n);

/* ---- get.c -------------------------------------------------------------- */
/* The state of decoding one file, shared by get.c, cond.c, expr.c and
 * decode.c. */
typedef struct Dec {
	Spec *s;
	Diag *d;
	Unit *u;
	Item *cur;              /* the struct or union being decoded */
	const char *field_name; /* the field whose type is being decoded */
	/* schema_check_order() of each kind, made on first use: every table
	 * of a file is checked against it, and making it costs more than the
	 * check (norder 0: not made yet) */
	const SchemaKey *order[NSCHEMAKINDS][SCHEMA_MAX_KEYS];
	unsigned char norder[NSCHEMAKINDS];
	const char *name_key;   /* the key of the item's name: "name", or in
				 * an `items` list its kind ("struct") */
} Dec;

/* For messages: "a table", "an integer"; data escaped (no control bytes)
 * and cut at 64 bytes. */
const char *get_a_kind(const DocNode *n);
const char *get_printable(Dec *D, const char *s, size_t n);

/* Report the unknown keys of table t, with a did-you-mean, and its missing
 * required ones; false if there were any. */
bool get_keys(Dec *D, const DocNode *t, SchemaKind k);
/* The same for a table of an `items` list, whose kind key name_key holds
 * the item's name (schema_key_as). */
bool get_keys_as(Dec *D, const DocNode *t, SchemaKind k, const char *name_key);

/* Getters: the value of key in table t.  A value of the wrong kind is
 * reported ("'key' of what must be a string, not an integer") and taken
 * as absent.  loc, if given, receives the value's location. */
/* (inline: called for every key of every table, always with a literal
 * whose length the compiler then knows) */
static inline const DocEntry *get_entry(const DocNode *t, const char *key)
{
	return doc_table_find(t, key, strlen(key));
}
bool get_kind(Dec *D, const DocNode *v, DocKind kind, const char *key,
	      const char *what);
const char *get_string(Dec *D, const DocNode *t, const char *key,
		       const char *what, Loc *loc);
/* "name" (or the key given): a non-empty string without NUL bytes. */
const char *get_name(Dec *D, const DocNode *t, const char *what, Loc *loc);
const char *get_name_key(Dec *D, const DocNode *t, const char *key,
			 const char *what, Loc *loc);
bool get_int(Dec *D, const DocNode *t, const char *key, const char *what,
	     int64_t *out, Loc *loc);
bool get_bool(Dec *D, const DocNode *t, const char *key, const char *what,
	      bool *out);
/* A list of strings ("compat"); *n receives the count. */
const char **get_strings(Dec *D, const DocNode *t, const char *key,
			 const char *what, size_t *n);
/* The same, with each entry's location in *locs. */
const char **get_strings_at(Dec *D, const DocNode *t, const char *key,
			    const char *what, size_t *n, Loc **locs);
/* A list of tables ("fields"), or NULL. */
const DocNode *get_tables(Dec *D, const DocNode *t, const char *key,
			  const char *what);
/* A table of kind k ("only"), its keys checked, or NULL. */
const DocNode *get_table(Dec *D, const DocNode *owner, const char *key,
			 const char *what, SchemaKind k);
/* A type named by a string node: a primitive, or a reference to a named
 * item of kind want (IT_ANY: any), resolved later by check.c. */
Type *get_type_name(Dec *D, const DocNode *n);
Type *get_type_ref(Dec *D, ItemKind want, const DocNode *n);

/* ---- cond.c ------------------------------------------------------------- */
/* The condition only = { ... } of owner, if it has one, into c. */
void cond_decode(Dec *D, const DocNode *owner, Cond *c);

/* ---- expr.c ------------------------------------------------------------- */
/* Parse an expression (NUL-terminated text, written at loc): NULL after
 * reporting 'invalid <what> "<text>": <problem> at character <n>'.
 * params: the parameters of the macro whose body it is. */
Expr *expr_parse(Dec *D, const char *text, Loc loc, const char *what,
		 const char *const *params, size_t nparams);
/* The same without a report: NULL with *err and *err_pos set. */
Expr *expr_parse_text(Spec *s, const char *text, const char *const *params,
		      size_t nparams, const char **err, size_t *err_pos);
/* Give every node of e the location loc. */
void expr_set_loc(Expr *e, Loc loc);
/* "<<", "&&": an operator's spelling. */
const char *expr_op_text(ExprOp op);
/* e as C writes it: as written, with normalised spacing ("A + 1",
 * "(unsigned long)x", "f(a, b)"), sizeof's type in C's words. */
void expr_write_c(Buf *b, const Expr *e);
/* A single token, a call or a parenthesised expression: what a macro's
 * replacement can be without parentheses around it. */
bool expr_is_primary(const Expr *e);
/* e as a macro's replacement: parenthesised unless it is primary. */
void expr_write_c_macro(Buf *b, const Expr *e);
/* The text of a macro's body with its parameters replaced by the
 * arguments' text, as C's preprocessor replaces them. */
void expr_substitute(Buf *out, const char *body, const char *const *params,
		     size_t nparams, const char *const *args, size_t nargs);

/* ---- eval.c ------------------------------------------------------------- */
/* C's integer types on a target: "unsigned long", width, signedness. */
const char *ctype_name(CType t);
unsigned ctype_bits(CType t, int target);
bool ctype_signed(CType t, int target);
/* The C type of an integer primitive on a target (uint64_t is unsigned
 * long on LP64 targets); false for void. */
bool ctype_of_prim(Prim p, int target, CType *out);
/* The type C gives an integer literal of this value, base and suffix
 * (LIT_*); false if none holds it. */
bool literal_type(uint64_t v, bool decimal, unsigned suffix, int target,
		  CType *out);
/* Is v below zero (of a signed type, with the sign bit set)? */
bool value_negative(Value v, int target);
/* Look up the names of an expression made after the checks (a macro's
 * expansion): constants, members, macros, types. */
void expr_bind(Spec *s, Expr *e);
/* The expansion of a call of a macro of the specs (parsed once, kept in
 * the call); NULL with *why if it does not parse. */
Expr *eval_expansion(Spec *s, const Expr *call, const char **why);
/* A constant's value on a target (computed once): EV_*. */
int const_value(Spec *s, Item *it, int target, Value *out);
/* What C writes for a member's macro by default ("(1U << 3)"), and its
 * value (and C type) on a target, as the header defines it. */
bool member_c_text(Buf *b, const MemberRef *m);
bool member_value(Spec *s, const MemberRef *m, int target, Value *out);
/* Evaluate e on a target: EV_*, with *why for EV_ERROR and EV_ABSENT. */
int eval_expr(Spec *s, const Expr *e, int target, Value *out,
	      const char **why);
/* The C type of e on a target, its parameters being of type param. */
int eval_type(Spec *s, const Expr *e, int target, CType param, CType *out,
	      const char **why);
/* After layout: the value of every constant on every target where it
 * exists, its C type checked against its typ, the C spellings of members
 * checked against their values, and the Rust typing of every macro; the
 * errors reported. */
void eval_check(Spec *s, Diag *d);

/* ---- decode.c ----------------------------------------------------------- */
/* Decode one file's document tree into unit u. */
void spec_decode(Spec *s, Diag *d, Unit *u, const SpecFile *f,
		 const DocNode *root);

/* ---- check.c ------------------------------------------------------------ */
/* Resolve names (resolve.c) and run the semantic checks. */
void spec_check(Spec *s, Diag *d);
/* Does name match a pattern of [abi] bump: '*' matches any run of
 * characters (none included), anything else itself. */
bool bump_pattern_match(const char *pattern, const char *name);

/* ---- resolve.c ---------------------------------------------------------- */
/* Name resolution, for spec_check().  A Resolver holds what the lookups of
 * one check share; the calls come in this order: symbols, includes, then
 * items and names. */
typedef struct Resolver Resolver;
Resolver *resolve_new(Spec *s, Diag *d);
void resolve_free(Resolver *R);
/* The targets of a unit that may share its names with other units (see
 * Symbol), or 0. */
unsigned resolve_split_targets(const Unit *u);
/* Enter every named item into s->symbols; reports invalid names, duplicate
 * definitions and architectures that define a name differently. */
void resolve_symbols(Resolver *R);
/* Which configuration macros of conditions are constants of the specs
 * (Cond.defined_sym); after resolve_symbols(). */
void resolve_conds(Resolver *R);
/* Find the unit of every [[includes]] entry and check that it defines what
 * the entry imports. */
void resolve_includes(Resolver *R);
/* Resolve the names in an item's field types, or in the types it aliases,
 * or in its expressions. */
void resolve_item(Resolver *R, Item *it);
/* alias = "OTHER" of a constant: OTHER must be a constant, macro, member
 * macro, type or (in fields) a field name; a constant or member makes it
 * an integer.  After resolve_includes(). */
void resolve_const_alias(Resolver *R, Item *it, const HMap *fields);
/* The symbol a name denotes as seen from unit u, which must define or
 * import it and find the kind asked for; NULL after reporting why not. */
Symbol *resolve_name(Resolver *R, Unit *u, const char *name, Loc loc,
		     ItemKind want);

/* ---- names.c ------------------------------------------------------------ */
/* Is name an identifier (what: "field", "enum"... for the message)?
 * Reports it if not. */
bool names_ident(Diag *d, const char *name, Loc loc, const char *what);
/* The same, and not a C or C++ keyword: for names C declares. */
bool names_c_name(Diag *d, const char *name, Loc loc, const char *what);
/* Constants become C macros: report those whose name, or a compat name,
 * the generated C uses otherwise (a field, a typedef, a reserved name). */
void names_check_macros(Spec *s, Diag *d);
/* The C macro of an enum variant or bitmap bit (XEN_X86_EMU_LAPIC), and
 * a bitmap's mask of all bits (false if it has none: all = ""). */
void names_member_macro(Buf *b, const Item *it, const char *member);
bool names_all_macro(Buf *b, const Item *it);

/* ---- order.c ------------------------------------------------------------ */
/* Walk the dependency graph of an architecture view (arch -1: common
 * items only): store the items into out (if given; room for every item)
 * with every struct after the structs it contains by value, otherwise in
 * spec order, and report through d (if given) the items that contain
 * themselves.  Returns the number of items of the view. */
size_t order_walk(Spec *s, int arch, Item **out, Diag *d);
/* The same order, heap-allocated; *n receives the count. */
Item **order_items(Spec *s, int arch, size_t *n);

/* The items of each unit in dependency order (as order_items, one
 * walk per architecture view, bucketed by unit): order->items[u] holds
 * order->count[u] items of s->units[u].  Linear in the size of the spec. */
typedef struct UnitOrder {
	Item ***items;
	size_t *count;
	size_t nunits;
} UnitOrder;
void order_units(Spec *s, UnitOrder *order);
void order_units_free(UnitOrder *order);

/* ---- target.c ----------------------------------------------------------- */
typedef struct Target {
	const char *name;      /* "x86_32" */
	int arch;              /* ARCH_* */
	const char *triple;    /* clang --target= */
	const char *cond;      /* C preprocessor test selecting the target */
	const char *rust_arch; /* cfg(target_arch) */
	const char *model;     /* data model, for docs: "ILP32", "LP64" */
	unsigned ptr_size;     /* also pointer alignment */
	unsigned long_size;    /* also long alignment */
	unsigned i64_align;    /* alignment of plain 64-bit integers */
	unsigned handle_size;  /* XEN_GUEST_HANDLE(): a pointer on x86, 8 bytes
				* (a union with uint64_aligned_t) elsewhere */
} Target;

extern const Target targets[NTARGETS];
int target_from_name(const char *name); /* -1 if unknown */

/* Size and alignment of a primitive on a target. */
void prim_layout(Prim p, int target, uint64_t *size, uint64_t *align);

/* Does a set of targets (a Cond's targets; 0: every target) keep any
 * target of architecture a? */
bool targets_keep_arch(unsigned set, int a);
/* Does the item, or the field, exist on target t (in the tools build at
 * the latest interface version that layouts describe)? */
bool item_on_target(const Item *it, int t);
/* The configuration macros of a condition on target t: a name that a
 * constant of another unit defines is defined where that constant exists
 * (XEN_HAVE_PV_UPCALL_MASK, which Xen's arch-x86/xen.h defines); any other
 * is the build's configuration, which layouts take as not defined. */
bool cond_macros_on_target(const Cond *c, int t);
/* The configuration layouts describe: a tools build at the latest
 * interface version, in C, with no configuration macro defined; a raw
 * condition is taken to hold (docs/spec-language.md, section 5.1).
 * (inline: the layout engine asks it for every field on every target) */
static inline bool cond_on_target(const Cond *c, int t)
{
	if (c->targets && !(c->targets >> t & 1u))
		return false;
	if (c->until || c->assembly == COND_ASM_ONLY || c->not_tools ||
	    c->not_hypervisor)
		return false;
	if ((c->ndefined && !c->defined_sym) || c->defined_sym ||
	    c->not_defined_sym)
		return cond_macros_on_target(c, t);
	return true;
}

/* ---- layout.c ----------------------------------------------------------- */
/* Size and alignment of a type on a target. */
typedef enum LayoutStatus {
	LAYOUT_OK,
	LAYOUT_UNKNOWN,  /* depends on an item that could not be laid out */
	LAYOUT_OVERFLOW, /* the size does not fit in 64 bits */
	LAYOUT_ABSENT,   /* names an item that does not exist on the target */
	LAYOUT_BADLEN,   /* an array length that cannot be computed (reported) */
} LayoutStatus;
/* Size and alignment of a type on a target (eval.c: sizeof in an
 * expression needs it, and it needs array lengths' values). */
LayoutStatus type_layout(const Type *t, int target, uint64_t *size,
			 uint64_t *align);
/* Evaluate an array length on a target (eval.c): a positive number, or
 * why not. */
LayoutStatus expr_eval(const Expr *e, int target, uint64_t *out);

/* Compute the layout of every item on every covered target.  Reports
 * overflowing sizes; items that cannot be laid out get layout_failed.
 * Then the guest view of x86_32 (Item.guest_layout). */
void layout_compute(Spec *s, Diag *d);

/* Same size, alignment and field offsets and sizes. */
bool layout_equal(const Item *it, const Layout *a, const Layout *b);
/* The same for two definitions of one name (per target, Symbol.split):
 * the same members, by name, in the same places. */
bool layout_equal_defs(const Item *a, const Layout *la, const Item *b,
		       const Layout *lb);
/* Group targets by identical layout: group[t] is the first target of t's
 * group, or -1 where the item has no layout or sel (if given) excludes t.
 * Returns the number of groups. */
int layout_groups(const Item *it, const bool *sel, int *group);
/* "x86_32, arm32": the targets of group g. */
void layout_group_names(Buf *b, const int *group, int g);

/* The gaps of a struct layout: interior holes and tail padding. */
typedef struct Hole {
	size_t before; /* index of the field after the hole; nfields: the tail */
	uint64_t offset, size;
} Hole;
/* Fills out (room for nfields + 1 holes) and returns the count. */
size_t layout_holes(const Item *it, const Layout *l, Hole *out);

/* A test hook (base.h), only in the test build: XBG_TEST_PERTURB=
 * type.field@target (or type@target for the size) adds 1 to that number
 * after layout, so the compile matrix can prove it catches a wrong engine. */
#ifdef XBG_TEST_HOOKS
void layout_perturb(Spec *s, const char *spec);
#endif

/* ---- abi.c -------------------------------------------------------------- */
/* Rules 1 to 3 (see abi.c); rule 4, unique names, is resolve.c's and
 * check.c's.  Waived
 * differences are warnings if list_waived, else only counted; returns how
 * many were not listed. */
size_t abi_check(Spec *s, Diag *d, bool list_waived);

#endif
