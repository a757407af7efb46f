/*
 * rust.h - the inside of the Rust backend, shared by the files src/emit/rust*.c
 * and by no one else.
 *
 * Why a header of its own rather than sections of emit.h: what the Rust
 * files share is the state of one run (the module tree, what naming and
 * planning found per item, cfg predicate trees), some twenty-five
 * functions and the seven parts of the prelude, more than the rest of
 * emit.h together, and neither the other backends nor the driver have
 * any use for it.  emit.h keeps what the rest of the tool calls,
 * emit_rust() and owns_rust(); this header includes it.
 *
 * A run goes (rust.c):
 *
 *   rust_mods.c    the module tree: one module per unit, "io/blkif" ->
 *                  crate::io::blkif in src/io/blkif.rs, and its clashes
 *   rust_naming.c  Rust names for items and members, and their clashes
 *   rust_plan.c    bitfield runs and their placement; unions inside
 *   rust_items.c   each item's declarations and layout assertions
 *   rust.c         the files: modules, lib.rs, Cargo.toml; the driver
 *
 * with rust_cfg.c (where things exist: target masks and #[cfg(...)]) and
 * rust_comment.c (untrusted text in comments) below them all.  The
 * helper types and macros of lib.rs are Rust source, the .rs files in
 * src/emit/rust_prelude/, embedded by build-aux/embed.c (see
 * rust_prelude.c at the end).  Each file calls only the ones listed
 * before it in the sections below: there are no cycles.
 *
 * Sectioned by the file that defines each declaration.
 */
#ifndef XBG_EMIT_RUST_H
#define XBG_EMIT_RUST_H

#include "emit/emit.h"

/* rustfmt's defaults: max_width, and attr_fn_like_width for the arguments
 * of an attribute list. */
enum { FMT_WIDTH = 100, FMT_ATTR_ARGS = 70 };

/* A set of targets: bit t for target t. */
typedef unsigned TMask;

static inline bool in_mask(TMask m, int t)
{
	return (m >> t) & 1u;
}

/* A module of the crate: the root, a unit, or a directory of units. */
typedef struct Mod Mod;
struct Mod {
	const char *ident; /* as written in paths: "arch_x86", "r#type" */
	const char *stem;  /* file name without ".rs": "arch_x86", "type" */
	const char *path;  /* "crate::io::blkif" */
	const char *file;  /* "src/io/blkif.rs", "src/io/mod.rs" */
	const char *dir;   /* the spec directory, as first seen: "io/blkif" */
	Mod *parent;
	Mod **kids;
	size_t nkids, kcap;
	HMap kidmap; /* ident -> Mod */
	const Unit *unit; /* NULL: only a directory of units */
	int arch;         /* ARCH_* of a top-level arch-* unit, else -1 */
	int family;       /* ARCH_* of arch-<family> and the modules below */
};

/* Per item: what naming and planning found. */
typedef struct ItemInfo {
	const char *name;   /* the Rust type (or constant) name */
	const char **mname; /* per field, variant or bit; NULL: not emitted */
	int *bitgroup;      /* per field: its bitfield run (1..), or 0 */
	unsigned *bitshift; /* per bitfield: its first bit in the run's bytes */
	int nbitgroups;
	uint64_t force_align; /* repr(align) the bitfields' units need, or 0 */
	const char *trait;  /* marker trait of an op struct */
	TMask mask;         /* the targets where the item exists */
	bool has_union;     /* contains a union: no PartialEq, Eq */
} ItemInfo;

/* One run of the backend.  The any_* flags say which parts of the
 * prelude lib.rs needs; the passes set them as they meet their uses. */
typedef struct Rust {
	Spec *s;
	const EmitOptions *o;
	OutSet *out;
	Diag *d;
	Arena a;
	Mod root;
	Mod **unit_mod;   /* per unit index */
	ItemInfo *info;   /* per item index */
	struct Family {
		const char *trait, *name;
		/* what the op names of the family start with, up to the
		 * last '_' they share ("XENMEM_"): for the trait's docs */
		const char *prefix;
		size_t prefix_len;
	} *families;      /* marker traits, in order of first use */
	size_t nfamilies, families_cap;
	TMask covered;    /* the targets the specs can be laid out for */
	bool any_enum, any_bitmap, any_union; /* rust_naming.c */
	bool any_bitfield;                    /* rust_plan.c */
	bool any_layout, any_handle;          /* rust_items.c */
	bool any_default, any_envelope;       /* rust_items.c */
	/* rust_items.c: what a module gets at its end (items_flush): its
	 * layout assertions, one macro call per group of targets, its
	 * Default impls and from_bytes, one macro call per cfg, and its
	 * as_bytes, one call per cfg of the targets without padding */
	struct Block {
		char *attr; /* the #[cfg(...)] line(s), or "" */
		Buf body;
	} *asserts, *defaults, *views;
	size_t nasserts, asserts_cap, ndefaults, defaults_cap;
	size_t nviews, views_cap;
	bool uses_arch;                       /* rust_mods.c */
} Rust;

/* ---- rust_comment.c ------------------------------------------------------ */
/* Untrusted text in a comment: valid UTF-8, no control characters or
 * bidirectional overrides (as '?'), tabs as spaces, no trailing blanks. */
void comment_text(Buf *b, const char *s);
/* One line comment: prefix ("// ") and text. */
void comment_line(Buf *b, const char *prefix, const char *text);
/* A description as /// lines at an indentation; when there is none, the
 * fallback, or nothing if it is NULL. */
void comment_doc(Buf *b, int indent, const char *desc, const char *fallback);

/* ---- rust_cfg.c ---------------------------------------------------------- */
/* A cfg predicate tree: a predicate ("target_arch = \"x86\"") or a list
 * (all, any, not, cfg) of at most one element per target.  Nodes come from
 * a pool on the stack, one per attribute. */
typedef struct Meta {
	char text[48];                  /* a predicate, or a list's name */
	int nkids;                      /* -1: a predicate */
	struct Meta *kids[NTARGETS];
} Meta;

typedef struct MetaPool {
	Meta m[8 * NTARGETS + 8];
	int n;
} MetaPool;

/* A node: a predicate (nkids -1) or an empty list (nkids 0). */
Meta *cfg_meta(MetaPool *mp, const char *text, int nkids);
void cfg_add(Meta *list, Meta *kid);
/* The only element of a list `any`, or the list. */
Meta *cfg_one_or_any(Meta *any);
/* #[cfg(pred)] at an indentation, laid out as rustfmt does; nothing for a
 * NULL predicate. */
void cfg_attr(Buf *b, int indent, Meta *pred, MetaPool *mp);
/* The targets of an architecture. */
TMask cfg_family(int arch);
/* The target_arch predicates of an architecture, added to `into`. */
void cfg_arch_preds(MetaPool *mp, int arch, Meta *into);
/* Exactly the data models of the targets m (layout assertions). */
Meta *cfg_layout(MetaPool *mp, TMask m);
/* Where a declaration that exists on m exists, within a view; NULL if
 * everywhere in it. */
Meta *cfg_decl(MetaPool *mp, TMask m, TMask view);
/* The targets of a unit's view (an arch directory: its architecture's), of
 * an item, and of a field of an item that naming has given its mask. */
TMask cfg_view_mask(const Rust *R, const Unit *u);
TMask cfg_item_mask(const Rust *R, const Item *it);
TMask cfg_field_mask(const Rust *R, const Item *it, const Field *f);
/* The targets among within where a condition holds in the crate's
 * configuration (a variant, a bit, a verbatim block). */
TMask cfg_cond_mask(TMask within, const Cond *c);

/* ---- rust_naming.c ------------------------------------------------------- */
/* A module name from one component of a unit name (top: at the crate
 * root, where lib, core and arch are taken). */
char *naming_module(Rust *R, const char *comp, size_t len, bool top);
/* An identifier without its "r#". */
const char *naming_stem(const char *ident);
/* The setter of a bitfield whose getter is `getter`: set_<name>. */
const char *naming_setter(Rust *R, const char *getter);
/* Reports an invalid --crate-name. */
void naming_crate(Rust *R);
/* Names every item, member and marker trait (ItemInfo), sets the items'
 * masks, and reports what clashes. */
void naming_items(Rust *R);

/* ---- rust_mods.c --------------------------------------------------------- */
/* The module tree of the units (R->root, R->unit_mod), in rustfmt's order
 * of `mod` declarations, with file names; reports clashes. */
void mods_build(Rust *R);
void mods_free(Mod *m);

/* ---- rust_plan.c --------------------------------------------------------- */
/* The bitfield runs of a named struct or union, or located errors. */
void plan_bitfields(Rust *R, const Item *it);
/* has_union of every item. */
void plan_unions(Rust *R);
/* The bytes of the run that field j starts, on one target: [*start, *end). */
void plan_run_bytes(const Item *it, const Layout *l, const int *group,
		    size_t j, uint64_t *start, uint64_t *end);

/* ---- rust_items.c -------------------------------------------------------- */
/* The number of an op family's hypercall: the variant `family` of the
 * enum whose C macros are __HYPERVISOR_* (Xen's xen_hypercall), or -1. */
int64_t items_hypercall(const Rust *R, const char *family);
/* The declarations of an item (a constant, alias, enum, bitmap, struct or
 * union), appended to its module's text; its layout assertions and
 * Default impl are kept for items_flush. */
void items_emit(Rust *R, Buf *out, const Item *it);
/* The layout assertions and Default impls of the items emitted since the
 * last flush: the end of a module. */
void items_flush(Rust *R, Buf *out);

/* ---- rust_prelude.c (generated) -------------------------------------------
 * The files of src/emit/rust_prelude/, embedded verbatim by
 * build-aux/embed.c (Makefile): rust_prelude_<file name>.  rust.c puts
 * them into lib.rs, each after a blank line, those that the crate uses. */
extern const char rust_prelude_lib_head[];      /* always */
extern const char rust_prelude_guest_handle[];  /* any_handle */
extern const char rust_prelude_assert_layout[]; /* any_layout */
extern const char rust_prelude_open_enum[];     /* any_enum */
extern const char rust_prelude_bitmap[];        /* any_bitmap */
extern const char rust_prelude_union_debug[];   /* any_union */
extern const char rust_prelude_bitfields[];     /* any_bitfield */
extern const char rust_prelude_plain_data[];    /* any_default */
extern const char rust_prelude_envelope[];      /* any_envelope */

#endif
