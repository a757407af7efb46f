/*
 * emit_rust.c - the Rust backend: a no_std crate with one module per
 * output unit.
 *
 * The crate is complete: Cargo.toml, src/lib.rs, a module per unit
 * ("arch-x86" -> src/arch_x86.rs, "io/blkif" -> src/io/blkif.rs with a
 * generated src/io/mod.rs), and an `arch` alias that picks the arch_*
 * module of the target, which is all the RFC's hand-written autogen.rs did.
 * Arch modules are compiled only for their own target_arch.
 *
 * What the RFC's Rust output got wrong, and what we do instead:
 *
 *   - 64-bit guest handles were Align64<*mut T>: on a 32-bit target the
 *     upper four bytes were padding, which the hypervisor reads as part of
 *     the address.  GuestHandle64<T> holds a u64 address, zero-extended, so
 *     all eight bytes are initialised everywhere.
 *   - enums were Rust enums used as field types, so a value the other side
 *     writes that the spec does not list was undefined behaviour.  An enum
 *     is an "open enum": a #[repr(transparent)] newtype over its backing
 *     integer with an associated const per variant.  Bitmaps are newtypes
 *     too, with a bitflags-like API but no dependency.
 *   - names went through a case-conversion crate that split at digits
 *     (rsvd0_a -> rsvd_0_a); names.c does not.  Rust keywords become raw
 *     identifiers (r#type); the ones that cannot be raw (self, Self, super,
 *     crate) and the names the crate layout reserves get a trailing '_'.
 *     Two spec names that meet after conversion are a located error.
 *   - nothing proved the Rust layouts.  Every type gets compile-time
 *     assertions of its size, alignment and field offsets with the layout
 *     engine's numbers, per target, selected by cfg.
 *   - Default was derived, which fails for arrays longer than 32; it is
 *     all-zero, written by hand.
 *
 * The crate describes what the layouts describe: a tools (and hypervisor)
 * build at the latest interface version.  Content for tools only is always
 * there, content that an interface version removed is not, and content
 * that exists on some targets only, or differs between them (an array
 * length computed from a per-architecture size, a per-architecture alias),
 * is selected by cfg, like the layout assertions.  Unions are Rust unions;
 * a struct that contains one cannot compare or print it, so it derives
 * neither PartialEq nor Eq.  Anonymous and inline types get names made of
 * their owner's and their field's.  A run of bitfields becomes a byte
 * array with accessors; multi-bit fields of a bitmap are masks read with
 * field().
 *
 * The output must pass `cargo fmt --check` as generated.  Declarations are
 * written the way rustfmt writes them (including its few line breaks for
 * long fields and constants, and its attribute layout); the repetitive
 * trait impls are expanded by macro_rules macros in lib.rs and invoked
 * with braces, which rustfmt leaves alone; a declaration whose names are
 * too long for any of that gets #[rustfmt::skip].
 *
 * Generated code names everything outside its own module by absolute path
 * (::core::..., crate::...), so no spec name can shadow what the code
 * means.  Descriptions become /// lines, sanitised: rustc rejects
 * bidirectional controls in comments, and Rust source must be UTF-8.
 *
 * The pass is linear in the size of the specs: names are checked with hash
 * tables, and structs come in dependency order from one order_items() walk
 * per architecture view, like the C backend.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

/* rustfmt's defaults: max_width, and attr_fn_like_width for the arguments
 * of an attribute list. */
enum { FMT_WIDTH = 100, FMT_ATTR_ARGS = 70 };

/* A set of targets: bit t for target t. */
typedef unsigned TMask;

static const char *const rust_prim[NPRIMS] = {
	[P_U8] = "u8",       [P_U16] = "u16",
	[P_U32] = "u32",     [P_U64] = "crate::Align64<u64>",
	[P_I8] = "i8",       [P_I16] = "i16",
	[P_I32] = "i32",     [P_I64] = "crate::Align64<i64>",
	[P_CHAR] = "::core::ffi::c_char",
	[P_INT] = "::core::ffi::c_int",
	[P_UINT] = "::core::ffi::c_uint",
	[P_LONG] = "::core::ffi::c_long",
	[P_ULONG] = "::core::ffi::c_ulong",
	[P_U64_PLAIN] = "u64", [P_I64_PLAIN] = "i64",
	[P_VOID] = "::core::ffi::c_void", /* a pointee only */
};

/* The integer behind an enum or bitmap newtype, and the pointee of a
 * handle: u64 rather than Align64<u64>, the alignment is the field's. */
static const char *plain_prim(Prim p)
{
	return p == P_U64 ? "u64" : p == P_I64 ? "i64" : rust_prim[p];
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
	int arch;         /* ARCH_* of a top-level arch-* module, else -1 */
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
	} *families;      /* marker traits, in order of first use */
	size_t nfamilies, families_cap;
	TMask covered;    /* the targets the specs can be laid out for */
	bool any_enum, any_bitmap, any_union, any_bitfield, any_layout;
	bool any_handle, uses_arch;
} Rust;

static bool in_mask(TMask m, int t)
{
	return (m >> t) & 1u;
}

/* ---- Text ------------------------------------------------------------------
 * Comments hold untrusted text.  Rust source must be UTF-8, and rustc
 * rejects bidirectional controls in comments outright
 * (text_direction_codepoint_in_comment); control characters and line
 * separators help nobody.  All of those become '?'.  Tabs become spaces
 * (clippy's tabs_in_doc_comments), and trailing blanks are dropped. */

static bool unwanted(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x061c ||
	       c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static bool blank(uint32_t c)
{
	return c == ' ' || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x202f || c == 0x205f ||
	       c == 0x3000 || c == 0xfeff;
}

static void comment_text(Buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), col = 0, keep = b->len;
	while (n) {
		uint32_t c;
		int len = utf8_decode(p, n, &c);
		if (len <= 0) {
			buf_putc(b, '?');
			keep = b->len;
			len = 1;
		} else if (c == '\t') {
			do
				buf_putc(b, ' ');
			while (++col % 4);
			p++;
			n--;
			continue;
		} else if (unwanted(c)) {
			buf_putc(b, '?');
			keep = b->len;
		} else {
			buf_put(b, p, (size_t)len);
			if (!blank(c))
				keep = b->len;
		}
		col++;
		p += len;
		n -= (size_t)len;
	}
	b->len = keep;
}

/* One // line (the banner). */
static void line_comment(Buf *b, const char *prefix, const char *text)
{
	size_t start = b->len;
	buf_puts(b, prefix);
	comment_text(b, text);
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->len--;
	buf_putc(b, '\n');
}

/* A description as doc comment lines; fallback when there is none. */
static void doc(Buf *b, int indent, const char *desc, const char *fallback)
{
	Lines l = {NULL, 0, 0};
	size_t i;
	/* lines_split() of "" would memmove() from a null pointer */
	if (desc && *desc)
		lines_split(&l, desc);
	if (!l.n) {
		buf_indent(b, indent);
		buf_printf(b, "/// %s\n", fallback);
	}
	for (i = 0; i < l.n; i++) {
		size_t start;
		buf_indent(b, indent);
		buf_puts(b, "///");
		start = b->len;
		buf_putc(b, ' ');
		comment_text(b, l.v[i]);
		if (b->len == start + 1)
			b->len = start; /* "///", not "/// " */
		buf_putc(b, '\n');
	}
	lines_free(&l);
}

/* ---- Attributes ------------------------------------------------------------
 * A cfg predicate tree, printed the way rustfmt prints attributes: on one
 * line when the arguments of the list fit in attr_fn_like_width and the
 * line fits; otherwise a list with one element passes the problem on to
 * that element, and a longer list puts each element on a line of its own.
 * A list holds at most one element per target (or per target_arch, of
 * which there are no more than targets), hence the sizes. */

typedef struct Meta {
	char text[48];                  /* a predicate, or a list's name */
	int nkids;                      /* -1: a predicate */
	struct Meta *kids[NTARGETS];
} Meta;

typedef struct MetaPool {
	Meta m[8 * NTARGETS + 8];
	int n;
} MetaPool;

static Meta *meta_new(MetaPool *mp, const char *text, int nkids)
{
	Meta *m = &mp->m[mp->n++];
	snprintf(m->text, sizeof m->text, "%s", text);
	m->nkids = nkids;
	return m;
}

static void meta_add(Meta *list, Meta *kid)
{
	list->kids[list->nkids++] = kid;
}

static void meta_line(Buf *b, const Meta *m)
{
	int i;
	buf_puts(b, m->text);
	if (m->nkids < 0)
		return;
	buf_putc(b, '(');
	for (i = 0; i < m->nkids; i++) {
		if (i)
			buf_puts(b, ", ");
		meta_line(b, m->kids[i]);
	}
	buf_putc(b, ')');
}

static void meta_fmt(Buf *b, const Meta *m, size_t indent, size_t lead,
		     size_t tail)
{
	Buf one = {0};
	size_t args;
	int i;
	meta_line(&one, m);
	args = m->nkids < 0 ? 0 : one.len - strlen(m->text) - 2;
	if (m->nkids < 0 ||
	    (args <= FMT_ATTR_ARGS && lead + one.len + tail <= FMT_WIDTH)) {
		buf_put(b, one.data, one.len);
	} else if (m->nkids == 1 && m->kids[0]->nkids >= 0) {
		buf_printf(b, "%s(", m->text);
		meta_fmt(b, m->kids[0], indent, lead + strlen(m->text) + 1,
			 tail + 1);
		buf_putc(b, ')');
	} else {
		buf_printf(b, "%s(\n", m->text);
		for (i = 0; i < m->nkids; i++) {
			bool last = i == m->nkids - 1;
			buf_indent(b, (int)indent + 4);
			meta_fmt(b, m->kids[i], indent + 4, indent + 4, last ? 0 : 1);
			buf_puts(b, last ? "\n" : ",\n");
		}
		buf_indent(b, (int)indent);
		buf_putc(b, ')');
	}
	buf_free(&one);
}

/* #[cfg(pred)] at an indentation; nothing for a NULL predicate. */
static void cfg_attr(Buf *b, int indent, Meta *pred, MetaPool *mp)
{
	Meta *cfg;
	if (!pred)
		return;
	cfg = meta_new(mp, "cfg", 0);
	meta_add(cfg, pred);
	buf_indent(b, indent);
	buf_puts(b, "#[");
	meta_fmt(b, cfg, (size_t)indent, (size_t)indent + 2, 1);
	buf_puts(b, "]\n");
}

static Meta *pred(MetaPool *mp, const char *key, const char *value)
{
	char t[48];
	snprintf(t, sizeof t, "%s = \"%s\"", key, value);
	return meta_new(mp, t, -1);
}

/* The data model of a layout target: architecture, pointer width, and the
 * byte order when the engine's target is one of two. */
static Meta *target_cfg(MetaPool *mp, int t)
{
	Meta *all = meta_new(mp, "all", 0);
	char w[8];
	meta_add(all, pred(mp, "target_arch", targets[t].rust_arch));
	snprintf(w, sizeof w, "%u", targets[t].ptr_size * 8);
	meta_add(all, pred(mp, "target_pointer_width", w));
	if (strstr(targets[t].cond, "__LITTLE_ENDIAN__"))
		meta_add(all, pred(mp, "target_endian", "little"));
	else if (strstr(targets[t].cond, "__BIG_ENDIAN__"))
		meta_add(all, pred(mp, "target_endian", "big"));
	return all;
}

static Meta *one_or_any(Meta *any)
{
	return any->nkids == 1 ? any->kids[0] : any;
}

/* The targets whose layouts a group of assertions holds: exactly those
 * data models. */
static Meta *layout_cfg(MetaPool *mp, TMask m)
{
	Meta *any = meta_new(mp, "any", 0);
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (in_mask(m, t))
			meta_add(any, target_cfg(mp, t));
	return one_or_any(any);
}

static TMask family(int arch)
{
	TMask m = 0;
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (targets[t].arch == arch)
			m |= 1u << t;
	return m;
}

/* target_arch of an architecture family, added to the list `into`. */
static void arch_preds(MetaPool *mp, int arch, Meta *into)
{
	int t, u;
	for (t = 0; t < NTARGETS; t++) {
		if (targets[t].arch != arch)
			continue;
		for (u = 0; u < t; u++)
			if (targets[u].arch == arch &&
			    strcmp(targets[u].rust_arch, targets[t].rust_arch) == 0)
				break;
		if (u == t)
			meta_add(into, pred(mp, "target_arch", targets[t].rust_arch));
	}
}

/* Where a declaration exists: whole architectures by target_arch, single
 * targets by their data model; NULL when it is everywhere in its view. */
static Meta *decl_cfg(MetaPool *mp, TMask m, TMask view)
{
	Meta *any;
	int a, t;
	if (m == view)
		return NULL;
	any = meta_new(mp, "any", 0);
	for (a = 0; a < NARCH; a++) {
		TMask f = family(a);
		if ((m & f) == f) {
			arch_preds(mp, a, any);
			continue;
		}
		for (t = 0; t < NTARGETS; t++)
			if (in_mask(m & f, t))
				meta_add(any, target_cfg(mp, t));
	}
	return one_or_any(any);
}

/* ---- Names ------------------------------------------------------------------ */

/* rustc's case lints reject "a__b": runs of '_' inside a name become one.
 * Leading and trailing ones stay ("_pad"). */
static void squeeze_underscores(Buf *b)
{
	size_t r, w = 0, end = b->len, first = 0, last = end;
	while (first < end && b->data[first] == '_')
		first++;
	while (last > first && b->data[last - 1] == '_')
		last--;
	for (r = 0; r < end; r++) {
		if (r > first && r < last && b->data[r] == '_' &&
		    b->data[r - 1] == '_')
			continue;
		b->data[w++] = b->data[r];
	}
	b->len = w;
}

/* A converted name as an identifier: keywords become raw identifiers,
 * except those that cannot be (self, Self, super, crate); those, the lone
 * '_' and reserved names get a trailing '_'.  Frees b. */
static char *finish_ident(Rust *R, Buf *b, bool reserved)
{
	char *name = arena_strdup(&R->a, buf_cstr(b));
	buf_free(b);
	if (reserved || rust_keyword_not_raw(name) || strcmp(name, "_") == 0)
		return arena_printf(&R->a, "%s_", name);
	if (rust_keyword(name))
		return arena_printf(&R->a, "r#%s", name);
	return name;
}

static char *type_ident(Rust *R, const char *spec_name)
{
	Buf b = {0};
	name_camel(&b, spec_name);
	return finish_ident(R, &b, false);
}

static char *field_ident(Rust *R, const char *spec_name)
{
	Buf b = {0};
	name_snake(&b, spec_name);
	squeeze_underscores(&b);
	return finish_ident(R, &b, false);
}

static char *const_ident(Rust *R, const char *spec_name)
{
	Buf b = {0};
	size_t i;
	name_snake(&b, spec_name);
	squeeze_underscores(&b);
	for (i = 0; i < b.len; i++)
		if (b.data[i] >= 'a' && b.data[i] <= 'z')
			b.data[i] = (char)(b.data[i] - 32);
	return finish_ident(R, &b, false);
}

/* A module name from one component of a unit name.  Besides keywords:
 * "mod" would be src/<dir>/mod.rs, and at the crate root "lib" would be
 * src/lib.rs, "core" is the name of the core library, and "arch" is the
 * alias for the target's architecture module. */
static char *module_ident(Rust *R, const char *comp, size_t len, bool top)
{
	Buf b = {0}, c = {0};
	const char *n;
	size_t i;
	bool reserved;
	for (i = 0; i < len; i++) {
		char ch = comp[i];
		if (ch == '-')
			ch = '_';
		buf_putc(&c, ch);
	}
	name_snake(&b, buf_cstr(&c));
	buf_free(&c);
	squeeze_underscores(&b);
	n = buf_cstr(&b);
	reserved = strcmp(n, "mod") == 0 ||
		   (top && (strcmp(n, "lib") == 0 || strcmp(n, "core") == 0 ||
			    strcmp(n, "arch") == 0));
	return finish_ident(R, &b, reserved);
}

static const char *stem_of(const char *ident)
{
	return strncmp(ident, "r#", 2) == 0 ? ident + 2 : ident;
}

static void put_text(Buf *b, const char *const *text)
{
	for (; *text; text++)
		buf_puts(b, *text);
}

/* Where a unit's directory is, for diagnostics about the directory. */
static Loc dir_loc(Rust *R, const char *dir)
{
	Loc l = {0, 0, 0};
	char *p = arena_printf(&R->a, "%s/%s", R->s->indir, dir);
	l.file = diag_add_source(R->d, p);
	return l;
}

/* ---- The module tree ---------------------------------------------------- */

static Mod *mod_kid(Rust *R, Mod *parent, const char *comp, size_t len,
		    const char *dir)
{
	char *ident = module_ident(R, comp, len, parent == &R->root);
	Mod *m = hmap_gets(&parent->kidmap, ident);
	if (m)
		return m;
	m = arena_alloc(&R->a, sizeof *m);
	m->ident = ident;
	m->stem = stem_of(ident);
	m->path = arena_printf(&R->a, "%s::%s", parent->path, ident);
	m->dir = arena_strndup(&R->a, dir, (size_t)(comp + len - dir));
	m->parent = parent;
	m->arch = -1;
	hmap_init(&m->kidmap);
	hmap_put(&parent->kidmap, ident, strlen(ident), m);
	parent->kids = xgrow(parent->kids, &parent->kcap, parent->nkids + 1,
			     sizeof *parent->kids);
	parent->kids[parent->nkids++] = m;
	return m;
}

static int cmp_mod(const void *a, const void *b)
{
	return strcmp((*(Mod *const *)a)->stem, (*(Mod *const *)b)->stem);
}

/* Kids in the order rustfmt sorts `mod` declarations; file names. */
static void mod_finish(Rust *R, Mod *m, const char *dirpath)
{
	size_t i;
	if (m->nkids > 1)
		qsort(m->kids, m->nkids, sizeof *m->kids, cmp_mod);
	for (i = 0; i < m->nkids; i++) {
		Mod *k = m->kids[i];
		const char *p = arena_printf(&R->a, "%s/%s", dirpath, k->stem);
		k->file = k->nkids ? arena_printf(&R->a, "%s/mod.rs", p)
				   : arena_printf(&R->a, "%s.rs", p);
		mod_finish(R, k, p);
	}
}

/* An arch module is compiled for its architecture only, so it cannot hold
 * the modules of common units below it. */
static void nested_arch(Rust *R, const Mod *arch, const Mod *m)
{
	size_t i;
	for (i = 0; i < m->nkids; i++) {
		const Mod *k = m->kids[i];
		if (k->unit)
			diag_error(R->d, dir_loc(R, k->unit->name),
				   "output directory '%s' is inside the architecture "
				   "directory '%s', whose Rust module is compiled for "
				   "%s only", k->unit->name, arch->unit->name,
				   arch_name(arch->arch));
		nested_arch(R, arch, k);
	}
}

static void build_modules(Rust *R)
{
	Spec *s = R->s;
	size_t i;
	R->root.ident = "crate";
	R->root.path = "crate";
	R->root.file = "src/lib.rs";
	R->root.arch = -1;
	hmap_init(&R->root.kidmap);
	for (i = 0; i < s->nunits; i++) {
		Unit *u = s->units[i];
		const char *p = u->name, *slash;
		Mod *m = &R->root;
		for (;;) {
			slash = strchr(p, '/');
			m = mod_kid(R, m, p, slash ? (size_t)(slash - p) : strlen(p),
				    u->name);
			if (!slash)
				break;
			p = slash + 1;
		}
		if (m->unit) {
			diag_error(R->d, dir_loc(R, u->name),
				   "output directories '%s' and '%s' both become "
				   "the Rust module %s", m->unit->name, u->name,
				   m->path);
			diag_note(R->d, dir_loc(R, m->unit->name),
				  "'%s' is here", m->unit->name);
			continue;
		}
		m->unit = u;
		m->arch = u->arch;
		R->unit_mod[u->index] = m;
		R->uses_arch |= u->uses_arch;
	}
	for (i = 0; i < R->root.nkids; i++)
		if (R->root.kids[i]->arch >= 0)
			nested_arch(R, R->root.kids[i], R->root.kids[i]);
	mod_finish(R, &R->root, "src");
}

static void free_modules(Mod *m)
{
	size_t i;
	for (i = 0; i < m->nkids; i++)
		free_modules(m->kids[i]);
	free(m->kids);
	hmap_free(&m->kidmap);
}

/* ---- Where things exist -------------------------------------------------------
 * The targets of a unit's view (an arch directory: its architecture's),
 * of an item, and of a field within its item. */

static TMask view_mask(const Rust *R, const Unit *u)
{
	return u->arch < 0 ? R->covered : R->covered & family(u->arch);
}

static TMask item_mask(const Rust *R, const Item *it)
{
	TMask m = 0;
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (in_mask(R->covered, t) && item_on_target(it, t))
			m |= 1u << t;
	return m;
}

static TMask field_mask(const Rust *R, const Item *it, const Field *f)
{
	TMask m = 0;
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (in_mask(R->info[it->index].mask, t) &&
		    cond_on_target(&f->cond, t))
			m |= 1u << t;
	return m;
}

/* ---- Naming checks -----------------------------------------------------------
 * C names are unique (check.c); Rust names must be too, after conversion.
 * Types are checked across the crate (like C's single namespace), and so
 * are constants together with the newtypes of enums and bitmaps (Rust's
 * value namespace holds both); members within their item, op families
 * across the crate.  Fields that exist on no target are not emitted, and
 * two fields may share a name if they never exist on the same target. */

/* Of two clashing names, the one that sorts last gets the error and the
 * other the note: the message does not depend on the order of the specs
 * (a formatter may reorder items). */
static void clash(Rust *R, const Item *a, const Item *b, const char *rust)
{
	if (strcmp(a->name, b->name) > 0) {
		const Item *t = a;
		a = b;
		b = t;
	}
	diag_error(R->d, b->name_loc, "%s '%s' and %s '%s' both become '%s' in "
		   "Rust", item_kind_name(a->kind), a->name,
		   item_kind_name(b->kind), b->name, rust);
	diag_note(R->d, a->name_loc, "'%s' is defined here", a->name);
}

static size_t nmembers(const Item *it)
{
	return it->kind == IT_ENUM ? it->nvariants
	       : it->kind == IT_BITMAP ? it->nbits : it->nfields;
}

/* Member j of an item: its spec name and where it is written. */
static const char *member(const Item *it, size_t j, Loc *loc)
{
	if (it->kind == IT_ENUM) {
		*loc = it->variants[j].name_loc;
		return it->variants[j].name;
	}
	if (it->kind == IT_BITMAP) {
		*loc = it->bits[j].name_loc;
		return it->bits[j].name;
	}
	*loc = it->fields[j].name ? it->fields[j].name_loc : it->fields[j].loc;
	return it->fields[j].name ? it->fields[j].name : "(anonymous)";
}

static TMask member_mask(const Rust *R, const Item *it, size_t j)
{
	if (it->kind == IT_STRUCT || it->kind == IT_UNION)
		return field_mask(R, it, &it->fields[j]);
	return R->info[it->index].mask;
}

/* The inline type of a field, through arrays, or NULL. */
static Item *inline_item(const Type *t)
{
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	return t && t->kind == TY_INLINE ? t->item : NULL;
}

/* The Rust names of fields (snake_case; anonymous ones anon1, anon2...),
 * variants and bits (constants).  Inline types are named after their
 * owner and field: start_info.console -> StartInfoConsole. */
static void name_members(Rust *R, const Item *it)
{
	ItemInfo *in = &R->info[it->index];
	HMap seen;
	size_t j, n = nmembers(it);
	int anon = 0;
	const char **names = arena_calloc(&R->a, n + 1, sizeof *names);
	const char *what = it->kind == IT_ENUM ? "variants"
			   : it->kind == IT_BITMAP ? "bits" : "fields";
	char *owner = arena_printf(&R->a, "%s '%s'", item_kind_name(it->kind),
				   it->name);
	hmap_init(&seen);
	in->mname = names;
	for (j = 0; j < n; j++) {
		Loc loc, first_loc;
		const char *spec = member(it, j, &loc), *first;
		const char **prev, *name;
		Item *sub;
		size_t k;
		if (it->kind == IT_ENUM || it->kind == IT_BITMAP)
			name = const_ident(R, spec);
		else if (it->fields[j].name)
			name = field_ident(R, spec);
		else
			name = arena_printf(&R->a, "anon%d", ++anon);
		sub = it->kind == IT_STRUCT || it->kind == IT_UNION
		      ? inline_item(it->fields[j].type) : NULL;
		if (sub) {
			Buf b = {0};
			buf_puts(&b, in->name);
			name_camel(&b, stem_of(name));
			R->info[sub->index].name = arena_strdup(&R->a, buf_cstr(&b));
			R->info[sub->index].mask = member_mask(R, it, j);
			buf_free(&b);
		}
		if (!member_mask(R, it, j))
			continue; /* exists on no target: not emitted */
		names[j] = name;
		if (it->kind == IT_BITMAP && strcmp(names[j], "ALL") == 0) {
			diag_error(R->d, loc, "bit '%s' of bitmap '%s' becomes 'ALL' "
				   "in Rust, the name of the mask of all bits", spec,
				   it->name);
			continue;
		}
		prev = hmap_gets(&seen, names[j]);
		k = prev ? (size_t)(prev - names) : 0;
		if (prev && (member_mask(R, it, k) & member_mask(R, it, j))) {
			first = member(it, k, &first_loc);
			if (strcmp(first, spec) > 0) { /* as clash() */
				const char *swap = first;
				Loc l = first_loc;
				first = spec;
				first_loc = loc;
				spec = swap;
				loc = l;
			}
			diag_error(R->d, loc, "%s '%s' and '%s' of %s both become "
				   "'%s' in Rust", what, first, spec, owner, names[j]);
			diag_note(R->d, first_loc, "'%s' is defined here", first);
			continue;
		}
		hmap_put(&seen, names[j], strlen(names[j]), &names[j]);
	}
	hmap_free(&seen);
}

static void name_trait(Rust *R, HMap *traits, const Item *it)
{
	ItemInfo *in = &R->info[it->index];
	Buf b = {0};
	Item *f;
	buf_puts(&b, "Is");
	name_camel(&b, it->op_family);
	in->trait = arena_strdup(&R->a, buf_cstr(&b));
	buf_free(&b);
	f = hmap_gets(traits, in->trait);
	if (f && strcmp(f->op_family, it->op_family) != 0) {
		const Item *a = f, *c = it;
		if (strcmp(a->op_family, c->op_family) > 0) { /* as clash() */
			a = it;
			c = f;
		}
		diag_error(R->d, c->op_loc, "op families '%s' and '%s' both become "
			   "the Rust trait '%s'", a->op_family, c->op_family,
			   in->trait);
		diag_note(R->d, a->op_loc, "'%s' is used here", a->op_family);
	} else if (!f) {
		hmap_put(traits, in->trait, strlen(in->trait), (void *)it);
		R->families = xgrow(R->families, &R->families_cap,
				    R->nfamilies + 1, sizeof *R->families);
		R->families[R->nfamilies].trait = in->trait;
		R->families[R->nfamilies++].name = it->op_family;
	}
}

static void name_items(Rust *R)
{
	Spec *s = R->s;
	HMap types, values, traits;
	size_t i;
	hmap_init(&types);
	hmap_init(&values);
	hmap_init(&traits);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		ItemInfo *in = &R->info[i];
		const Mod *m = R->unit_mod[it->unit->index], *kid;
		HMap *space = it->kind == IT_CONST ? &values : &types;
		Item *first;
		/* an inline type was named, and limited to where its field
		 * exists, with its owner's fields */
		in->mask = it->inline_type ? in->mask & item_mask(R, it)
					   : item_mask(R, it);
		if (!in->name)
			in->name = it->kind == IT_CONST ? const_ident(R, it->name)
							: type_ident(R, it->name);
		first = hmap_gets(space, in->name);
		if (first && strcmp(first->name, it->name) != 0)
			clash(R, first, it, in->name);
		else if (!first)
			hmap_put(space, in->name, strlen(in->name), it);
		/* a newtype's constructor is a value too */
		if (it->kind == IT_ENUM || it->kind == IT_BITMAP) {
			first = hmap_gets(&values, in->name);
			if (first && strcmp(first->name, it->name) != 0)
				clash(R, first, it, in->name);
			else if (!first)
				hmap_put(&values, in->name, strlen(in->name), it);
		}
		kid = m ? hmap_gets(&m->kidmap, in->name) : NULL;
		if (kid)
			diag_error(R->d, it->name_loc,
				   "%s '%s' becomes '%s' in Rust, the name of the "
				   "module of '%s'", item_kind_name(it->kind),
				   it->name, in->name, kid->dir);
		if (it->kind != IT_CONST && it->kind != IT_ALIAS)
			name_members(R, it);
		R->any_enum |= it->kind == IT_ENUM && in->mask;
		R->any_bitmap |= it->kind == IT_BITMAP && in->mask;
		R->any_union |= it->kind == IT_UNION && in->mask;
		if (it->kind == IT_STRUCT && it->op_family && in->mask)
			name_trait(R, &traits, it);
	}
	hmap_free(&types);
	hmap_free(&values);
	hmap_free(&traits);
}

static bool valid_crate(const char *name, Buf *lib)
{
	const char *p;
	if (!*name || (*name >= '0' && *name <= '9') || strlen(name) > 64)
		return false;
	for (p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
		if (c == '-')
			c = '_';
		buf_putc(lib, c);
	}
	return !rust_keyword(buf_cstr(lib)) && strcmp(buf_cstr(lib), "_") != 0;
}

/* ---- Bitfields ------------------------------------------------------------------
 * Rust has none.  A run of consecutive bitfields becomes one byte array,
 * _bitfield_1, _bitfield_2, ..., covering exactly the bytes its bits
 * occupy (C's storage units may overlap other fields: Xen's buf_ioreq puts
 * a u32 unit over a u8 field), and each bitfield a getter and a setter
 * that read and write its bits at the engine's positions (little-endian
 * allocation, as on every target).  Where the byte array makes the struct
 * less aligned than C's units do, the struct gets repr(align).  That needs
 * the same placement on every target, unsigned types and no unions;
 * anything else is a located error. */

static const char bitfield_unsupported[] = "not supported by the Rust backend";

/* "set_" and the getter's name, underscores squeezed (set__pad is not
 * snake_case). */
static const char *setter_name(Rust *R, const char *getter)
{
	Buf b = {0};
	char *r;
	buf_printf(&b, "set_%s", stem_of(getter));
	squeeze_underscores(&b);
	r = arena_strdup(&R->a, buf_cstr(&b));
	buf_free(&b);
	return r;
}

static bool bitfield_type_ok(const Type *t)
{
	return t->kind == TY_PRIM &&
	       (t->prim == P_U8 || t->prim == P_U16 || t->prim == P_U32 ||
		t->prim == P_U64 || t->prim == P_UINT || t->prim == P_U64_PLAIN);
}

static void bitfield_error(Rust *R, const Item *it, const Field *f,
			   const char *why)
{
	diag_error(R->d, f->name_loc, "bitfield '%s' of %s '%s' %s: %s", f->name,
		   item_kind_name(it->kind), it->name, why, bitfield_unsupported);
}

/* A run's bytes on target t: [*start, *end). */
static void run_bytes(const Item *it, const Layout *l, const int *group,
		      size_t j, uint64_t *start, uint64_t *end)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	size_t k;
	for (k = j; k < it->nfields && group[k] == group[j]; k++) {
		uint64_t b = l->fields[k].offset * 8 + l->fields[k].bit_offset;
		if (b < lo)
			lo = b;
		if (b + it->fields[k].bits > hi)
			hi = b + it->fields[k].bits;
	}
	*start = lo / 8;
	*end = (hi + 7) / 8;
}

/* Do the bitfields sit alike on every target, in bytes of their own? */
static bool check_runs(Rust *R, const Item *it, const Layout *ref)
{
	ItemInfo *in = &R->info[it->index];
	size_t j, k;
	int t;
	for (t = 0; t < NTARGETS; t++) {
		const Layout *l = it->layout[t];
		if (!in_mask(in->mask, t) || !l)
			continue;
		for (j = 0; j < it->nfields; j++) {
			uint64_t s, e, rs, re;
			if (!in->bitgroup[j] ||
			    (j && in->bitgroup[j - 1] == in->bitgroup[j]))
				continue;
			run_bytes(it, l, in->bitgroup, j, &s, &e);
			run_bytes(it, ref, in->bitgroup, j, &rs, &re);
			for (k = j; k < it->nfields &&
				    in->bitgroup[k] == in->bitgroup[j]; k++)
				if (l->fields[k].offset * 8 + l->fields[k].bit_offset -
				    s * 8 != in->bitshift[k])
					break;
			if (s != rs || e != re ||
			    (k < it->nfields && in->bitgroup[k] == in->bitgroup[j])) {
				bitfield_error(R, it, &it->fields[j],
					       arena_printf(&R->a, "is placed "
							    "differently on %s",
							    targets[t].name));
				return false;
			}
			for (k = 0; k < it->nfields; k++)
				if (in->bitgroup[k] != in->bitgroup[j] &&
				    l->fields[k].present && !in->bitgroup[k] &&
				    l->fields[k].offset < e &&
				    l->fields[k].offset + l->fields[k].size > s) {
					bitfield_error(R, it, &it->fields[j],
						       "shares bytes with another field");
					return false;
				}
		}
	}
	return true;
}

/* The alignment C's storage units give the struct where the byte arrays
 * do not, as force_align (0: the other fields give it anyway); it must be
 * right on every target, since repr(align) cannot be per target here.
 * False after an error. */
static bool bitfield_align(Rust *R, const Item *it)
{
	ItemInfo *in = &R->info[it->index];
	uint64_t need = 0;
	size_t j;
	int t;
	for (t = 0; t < NTARGETS; t++) {
		const Layout *l = it->layout[t];
		uint64_t natural = 1, size, align;
		if (!in_mask(in->mask, t) || !l)
			continue;
		for (j = 0; j < it->nfields; j++)
			if (!in->bitgroup[j] && l->fields[j].present &&
			    type_layout(it->fields[j].type, t, &size, &align) ==
			    LAYOUT_OK && align > natural)
				natural = align;
		if (natural >= l->align)
			continue;
		if (need && need != l->align)
			goto differs;
		need = l->align;
	}
	/* raising the alignment must not overshoot any target's */
	for (t = 0; t < NTARGETS && need; t++)
		if (in_mask(in->mask, t) && it->layout[t] &&
		    it->layout[t]->align < need)
			goto differs;
	in->force_align = need;
	return true;
differs:
	diag_error(R->d, it->name_loc, "the bitfields of %s '%s' align it "
		   "differently on different targets: %s",
		   item_kind_name(it->kind), it->name, bitfield_unsupported);
	return false;
}

static void plan_bitfields(Rust *R, const Item *it)
{
	ItemInfo *in = &R->info[it->index];
	const Layout *ref = NULL;
	int t, *group;
	size_t j, k;
	bool any = false, bad = false;
	for (j = 0; j < it->nfields; j++)
		any |= it->fields[j].bits != 0 && in->mname[j];
	if (!any)
		return;
	for (t = 0; t < NTARGETS && !ref; t++)
		if (in_mask(in->mask, t))
			ref = it->layout[t];
	if (!ref)
		return;
	group = arena_calloc(&R->a, it->nfields + 1, sizeof *group);
	in->bitgroup = group;
	in->bitshift = arena_calloc(&R->a, it->nfields + 1, sizeof *in->bitshift);
	for (j = 0; j < it->nfields; j++) {
		const Field *f = &it->fields[j];
		const char *why = NULL;
		if (!f->bits || !in->mname[j])
			continue;
		if (it->kind == IT_UNION)
			why = "is in a union";
		else if (!bitfield_type_ok(f->type))
			why = "is not of an unsigned type";
		else if (field_mask(R, it, f) != in->mask)
			why = "is conditional";
		if (why) {
			bitfield_error(R, it, f, why);
			bad = true;
			continue;
		}
		group[j] = j && group[j - 1] ? group[j - 1] : ++in->nbitgroups;
	}
	/* bit positions within the run, on the first target */
	for (j = 0; j < it->nfields; j++) {
		uint64_t s, e;
		if (!group[j] || (j && group[j - 1] == group[j]))
			continue;
		run_bytes(it, ref, group, j, &s, &e);
		for (k = j; k < it->nfields && group[k] == group[j]; k++)
			in->bitshift[k] = (unsigned)(ref->fields[k].offset * 8 +
						     ref->fields[k].bit_offset -
						     s * 8);
	}
	/* getters are named like the bitfields, setters set_<name> */
	{
		HMap methods;
		hmap_init(&methods);
		for (j = 0; j < it->nfields; j++) {
			const char *get = in->mname[j], *set, *other;
			if (!group[j])
				continue;
			set = setter_name(R, get);
			other = hmap_gets(&methods, get) ? get
				: hmap_gets(&methods, set) ? set : NULL;
			if (other)
				diag_error(R->d, it->fields[j].name_loc,
					   "the accessors of bitfield '%s' of %s '%s' "
					   "clash with another bitfield's ('%s')",
					   it->fields[j].name, item_kind_name(it->kind),
					   it->name, other);
			hmap_put(&methods, get, strlen(get), (void *)get);
			hmap_put(&methods, set, strlen(set), (void *)set);
		}
		hmap_free(&methods);
	}
	/* after an error, the placement checks would only repeat it */
	if (!bad && in->nbitgroups && check_runs(R, it, ref) &&
	    bitfield_align(R, it))
		R->any_bitfield = true;
}

/* ---- Unions inside --------------------------------------------------------------
 * A union cannot be compared or printed field by field (which member is
 * live is not known), so neither can a struct that contains one, through
 * arrays, inline types and aliases, on any architecture. */

static bool type_has_union(const Rust *R, const Type *t, int arch)
{
	const Item *it = NULL;
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	if (!t)
		return false;
	if (t->kind == TY_INLINE)
		it = t->item;
	else if (t->kind == TY_NAMED && t->sym)
		it = symbol_item(t->sym, arch);
	return it && (it->kind == IT_UNION || R->info[it->index].has_union);
}

static void find_unions(Rust *R)
{
	Spec *s = R->s;
	size_t k, n, j;
	int view, a;
	for (view = -1; view < NARCH; view++) {
		Item **order;
		if (view >= 0 && !s->arch_units[view])
			continue;
		order = order_items(s, view, &n);
		for (k = 0; k < n; k++) {
			Item *it = order[k];
			ItemInfo *in = &R->info[it->index];
			if (it->kind == IT_UNION)
				in->has_union = true;
			for (j = 0; j < it->nfields && it->kind == IT_STRUCT; j++)
				in->has_union |= type_has_union(R, it->fields[j].type,
								view);
			if (it->kind == IT_ALIAS) {
				in->has_union |= type_has_union(R, it->alias, view);
				for (a = 0; a < NARCH; a++)
					in->has_union |=
						type_has_union(R, it->arch_alias[a], a);
			}
		}
		free(order);
	}
}

/* ---- Types ------------------------------------------------------------------ */

/* A named type as seen from unit `from`: its own items by name, common
 * items by path, per-architecture items through crate::arch. */
static void named_path(Rust *R, Buf *b, const Unit *from, const Symbol *sym)
{
	const Item *it = symbol_any(sym);
	if (sym->common) {
		if (sym->common->unit != from)
			buf_printf(b, "%s::", R->unit_mod[it->unit->index]->path);
	} else if (from->arch < 0) {
		buf_puts(b, "crate::arch::");
	}
	buf_puts(b, R->info[it->index].name);
}

/* The Rust type of t on target `target` (array lengths can be computed
 * from per-architecture sizes); field: a struct member (u64 is
 * Align64<u64>) rather than a pointee. */
static void rust_type(Rust *R, Buf *b, const Unit *from, const Type *t,
		      bool field, int target)
{
	uint64_t n;
	switch (t->kind) {
	case TY_PRIM:
		buf_puts(b, field ? rust_prim[t->prim] : plain_prim(t->prim));
		break;
	case TY_PTR:
	case TY_HANDLE:
		R->any_handle |= t->kind == TY_HANDLE;
		buf_puts(b, t->kind == TY_PTR ? "crate::GuestHandle64<"
					      : "crate::GuestHandle<");
		rust_type(R, b, from, t->elem, false, target);
		buf_putc(b, '>');
		break;
	case TY_CPTR:
		buf_puts(b, "*mut ");
		rust_type(R, b, from, t->elem, false, target);
		break;
	case TY_ARRAY:
		n = t->count;
		/* a flexible array: only its alignment counts; a length not
		 * laid out here: the layout reported why */
		if (t->flex || (t->count_expr &&
				expr_eval(t->count_expr, target, &n) != LAYOUT_OK))
			n = 0;
		buf_putc(b, '[');
		rust_type(R, b, from, t->elem, field, target);
		buf_printf(b, "; %llu]", (unsigned long long)n);
		break;
	case TY_NAMED:
		named_path(R, b, from, t->sym);
		break;
	case TY_INLINE:
		buf_puts(b, R->info[t->item->index].name);
		break;
	}
}

/* The texts of a declaration per target, grouped: usually one group, more
 * when an array length or an alias differs between architectures. */
typedef struct Variants {
	char *text[NTARGETS];
	TMask mask[NTARGETS];
	int n;
} Variants;

static void variants_add(Rust *R, Variants *v, int t, const char *text)
{
	int i;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->text[i], text) == 0)
			break;
	if (i == v->n) {
		v->text[v->n] = arena_strdup(&R->a, text);
		v->mask[v->n++] = 0;
	}
	v->mask[i] |= 1u << t;
}

/* ---- Declarations -------------------------------------------------------------
 * Each declaration is built on its own, then added to the module text.  A
 * code line wider than rustfmt's max_width that rustfmt would break in a
 * way not reproduced here gets the declaration a #[rustfmt::skip]; only
 * very long spec names get there. */

typedef struct Decl {
	Buf doc;  /* doc comment lines */
	Buf code; /* attributes and code */
	bool wide;
} Decl;

static void decl_line(Decl *dl, const char *fmt, ...)
{
	va_list ap;
	size_t start = dl->code.len;
	va_start(ap, fmt);
	buf_vprintf(&dl->code, fmt, ap);
	va_end(ap);
	if (dl->code.len - start > FMT_WIDTH + 1)
		dl->wide = true;
}

/* "<indent><head> <tail>" on one line, or as rustfmt breaks it when that
 * is too wide: "<indent><head>\n<indent+4><tail>". */
static void decl_split(Decl *dl, int indent, const char *head,
		       const char *tail)
{
	size_t one = (size_t)indent + strlen(head) + 1 + strlen(tail);
	if (one <= FMT_WIDTH) {
		buf_indent(&dl->code, indent);
		buf_printf(&dl->code, "%s %s\n", head, tail);
		return;
	}
	buf_indent(&dl->code, indent);
	decl_line(dl, "%s\n", head);
	buf_indent(&dl->code, indent + 4);
	decl_line(dl, "%s\n", tail);
	if ((size_t)indent + strlen(head) > FMT_WIDTH ||
	    (size_t)indent + 4 + strlen(tail) > FMT_WIDTH)
		dl->wide = true;
}

static void decl_end(Buf *out, Decl *dl)
{
	buf_putc(out, '\n');
	buf_put(out, dl->doc.data, dl->doc.len);
	if (dl->wide)
		buf_puts(out, "#[rustfmt::skip]\n");
	buf_put(out, dl->code.data, dl->code.len);
	buf_free(&dl->doc);
	buf_free(&dl->code);
	memset(dl, 0, sizeof *dl);
}

/* The cfg of an item's declarations, within its module. */
static void item_cfg(Rust *R, Buf *b, const Item *it)
{
	MetaPool mp;
	mp.n = 0;
	cfg_attr(b, 0, decl_cfg(&mp, R->info[it->index].mask,
				 view_mask(R, it->unit)), &mp);
}

/* The assertions of one item: one macro call per group of targets that
 * share the engine's layout, with the fields present there. */
static void emit_layout(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	bool sel[NTARGETS];
	int group[NTARGETS], g, t;
	size_t j;
	for (t = 0; t < NTARGETS; t++)
		sel[t] = in_mask(in->mask, t);
	layout_groups(it, sel, group);
	for (g = 0; g < NTARGETS; g++) {
		MetaPool mp;
		TMask m = 0;
		const Layout *l = it->layout[g];
		if (group[g] != g)
			continue;
		for (t = g; t < NTARGETS; t++)
			if (group[t] == g)
				m |= 1u << t;
		mp.n = 0;
		buf_putc(out, '\n');
		cfg_attr(out, 0, layout_cfg(&mp, m), &mp);
		buf_printf(out, "assert_layout! {\n    %s: size %llu, align %llu;\n",
			   in->name, (unsigned long long)l->size,
			   (unsigned long long)l->align);
		for (j = 0; j < it->nfields; j++) {
			int bg = in->bitgroup ? in->bitgroup[j] : 0;
			if (!in->mname[j] || !l->fields[j].present ||
			    (bg && j && in->bitgroup[j - 1] == bg))
				continue;
			if (bg) {
				uint64_t start, end;
				run_bytes(it, l, in->bitgroup, j, &start, &end);
				buf_printf(out, "    _bitfield_%d: %llu,\n", bg,
					   (unsigned long long)start);
			} else
				buf_printf(out, "    %s: %llu,\n", in->mname[j],
					   (unsigned long long)l->fields[j].offset);
		}
		buf_puts(out, "}\n");
		R->any_layout = true;
	}
}

/* ---- Constants and aliases ------------------------------------------------------ */

/* A constant is typed as the spec says, or as the smallest of u32, u64,
 * i32, i64 that holds it (like a C macro, it has no type of its own). */
static void emit_const(Rust *R, Buf *out, const Item *it)
{
	const char *type;
	char val[40];
	Decl dl = {{0}, {0}, false};
	int64_t v = it->value;
	if (it->const_type)
		type = plain_prim(it->const_type->prim);
	else if (v >= 0)
		type = (uint64_t)v <= UINT32_MAX ? "u32" : "u64";
	else
		type = v >= INT32_MIN ? "i32" : "i64";
	if (it->c.hex && v >= 0)
		snprintf(val, sizeof val, "0x%llx;", (unsigned long long)v);
	else
		snprintf(val, sizeof val, "%lld;", (long long)v);
	doc(&dl.doc, 0, it->desc,
	    arena_printf(&R->a, "The constant `%s`.", it->name));
	item_cfg(R, &dl.code, it);
	decl_split(&dl, 0, arena_printf(&R->a, "pub const %s: %s =",
					 R->info[it->index].name, type), val);
	decl_end(out, &dl);
}

/* An alias is a type alias; per-architecture ones, or ones whose array
 * length differs, one per group of targets. */
static void emit_alias(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Variants v;
	Buf ty = {0};
	int t, i;
	v.n = 0;
	for (t = 0; t < NTARGETS; t++) {
		const Type *a = it->alias ? it->alias
				: it->arch_alias[targets[t].arch];
		if (!in_mask(in->mask, t) || !a)
			continue;
		buf_clear(&ty);
		rust_type(R, &ty, it->unit, a, true, t);
		buf_putc(&ty, ';');
		variants_add(R, &v, t, buf_cstr(&ty));
	}
	buf_free(&ty);
	for (i = 0; i < v.n; i++) {
		Decl dl = {{0}, {0}, false};
		MetaPool mp;
		mp.n = 0;
		doc(&dl.doc, 0, it->desc,
		    arena_printf(&R->a, "The type `%s`.", it->name));
		cfg_attr(&dl.code, 0, decl_cfg(&mp, v.mask[i],
						view_mask(R, it->unit)), &mp);
		decl_split(&dl, 0, arena_printf(&R->a, "pub type %s =", in->name),
			   v.text[i]);
		decl_end(out, &dl);
	}
	emit_layout(R, out, it);
}

/* ---- Enums and bitmaps -------------------------------------------------------------- */

/* The newtype of an enum or bitmap: the backing integer's size and
 * alignment, so u64 and i64 (uint64_aligned_t) get align(8). */
static void newtype(Rust *R, Decl *dl, const Item *it, const char *fallback)
{
	bool wide = it->backing == P_U64 || it->backing == P_I64;
	doc(&dl->doc, 0, it->desc, fallback);
	item_cfg(R, &dl->code, it);
	decl_line(dl, "#[repr(%s)]\n", wide ? "C, align(8)" : "transparent");
	decl_line(dl, "#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]\n");
	decl_line(dl, "pub struct %s(pub %s);\n", R->info[it->index].name,
		  plain_prim(it->backing));
}

/* A constant of a newtype: "pub const NAME: Self = Self(value);" */
static void newtype_const(Rust *R, Decl *dl, const char *desc,
			  const char *fallback, const char *name,
			  const char *value)
{
	doc(&dl->code, 4, desc, fallback);
	decl_split(dl, 4, arena_printf(&R->a, "pub const %s: Self =", name),
		   arena_printf(&R->a, "Self(%s);", value));
}

/* A macro call with lists of constants, which rustfmt leaves alone. */
static void macro_list(Buf *out, const char *const *names, const bool *pick,
		       size_t n)
{
	size_t i, k = 0;
	buf_putc(out, '{');
	for (i = 0; i < n; i++)
		if (names[i] && (!pick || pick[i])) {
			buf_printf(out, "\n        %s,", names[i]);
			k++;
		}
	buf_puts(out, k ? "\n    }" : "}");
}

static void emit_enum(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Decl dl = {{0}, {0}, false};
	size_t i;
	newtype(R, &dl, it, arena_printf(&R->a, "The `%s` enum.", it->name));
	decl_end(out, &dl);
	if (it->nvariants) {
		item_cfg(R, &dl.code, it);
		decl_line(&dl, "impl %s {\n", in->name);
		for (i = 0; i < it->nvariants; i++) {
			const Variant *v = &it->variants[i];
			char val[32];
			snprintf(val, sizeof val, "%lld", (long long)v->value);
			newtype_const(R, &dl, v->desc,
				      arena_printf(&R->a, "Variant `%s` of `%s`.",
						   v->name, in->name),
				      in->mname[i], val);
		}
		buf_puts(&dl.code, "}\n");
		decl_end(out, &dl);
	}
	buf_putc(out, '\n');
	item_cfg(R, out, it);
	buf_printf(out, "open_enum! {\n    %s(%s) ", in->name,
		   plain_prim(it->backing));
	macro_list(out, in->mname, NULL, it->nvariants);
	buf_puts(out, "\n}\n");
	emit_layout(R, out, it);
}

static void emit_bitmap(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	Decl dl = {{0}, {0}, false};
	uint64_t all = 0;
	bool *single = arena_calloc(&R->a, it->nbits + 1, sizeof *single);
	bool *multi = arena_calloc(&R->a, it->nbits + 1, sizeof *multi);
	size_t i;
	char val[64];
	newtype(R, &dl, it, arena_printf(&R->a, "The `%s` bitmap.", it->name));
	decl_end(out, &dl);
	item_cfg(R, &dl.code, it);
	decl_line(&dl, "impl %s {\n", in->name);
	for (i = 0; i < it->nbits; i++) {
		const Bit *bit = &it->bits[i];
		uint64_t mask = bit->width >= 64 ? UINT64_MAX
				: ((uint64_t)1 << bit->width) - 1;
		const char *fallback;
		single[i] = bit->width <= 1;
		multi[i] = !single[i];
		if (single[i]) {
			fallback = arena_printf(&R->a, "Bit `%s` of `%s`.",
						bit->name, in->name);
			snprintf(val, sizeof val, "1");
		} else {
			fallback = arena_printf(&R->a, "Field `%s` of `%s` (a mask: "
						"read it with `field()`).",
						bit->name, in->name);
			snprintf(val, sizeof val, "0x%llx", (unsigned long long)mask);
		}
		if (bit->shift)
			snprintf(val + strlen(val), sizeof val - strlen(val),
				 " << %lld", (long long)bit->shift);
		all |= mask << bit->shift;
		newtype_const(R, &dl, bit->desc, fallback, in->mname[i], val);
	}
	snprintf(val, sizeof val, "0x%llx", (unsigned long long)all);
	newtype_const(R, &dl, NULL, "Every bit defined above.", "ALL", val);
	buf_puts(&dl.code, "}\n");
	decl_end(out, &dl);
	buf_putc(out, '\n');
	item_cfg(R, out, it);
	buf_printf(out, "bitmap! {\n    %s(%s) ", in->name,
		   plain_prim(it->backing));
	macro_list(out, in->mname, single, it->nbits);
	buf_puts(out, "\n    fields ");
	macro_list(out, in->mname, multi, it->nbits);
	buf_puts(out, "\n}\n");
	emit_layout(R, out, it);
}

/* ---- Structs and unions ------------------------------------------------------------ */

/* A field, or one per group of targets where its type differs; a run of
 * bitfields is one storage field. */
static void emit_field(Rust *R, Decl *dl, const Item *it, size_t j)
{
	const ItemInfo *in = &R->info[it->index];
	const Field *f = &it->fields[j];
	int bg = in->bitgroup ? in->bitgroup[j] : 0;
	Variants v;
	Buf ty = {0};
	int t, i;
	if (!in->mname[j] || (bg && j && in->bitgroup[j - 1] == bg))
		return;
	if (bg) {
		const Layout *ref = NULL;
		uint64_t start, end;
		size_t k;
		Buf d = {0};
		for (t = 0; t < NTARGETS && !ref; t++)
			if (in_mask(in->mask, t))
				ref = it->layout[t];
		run_bytes(it, ref, in->bitgroup, j, &start, &end);
		buf_puts(&d, "The bytes of the bitfields");
		for (k = j; k < it->nfields && in->bitgroup[k] == bg; k++)
			buf_printf(&d, "%s `%s`", k > j ? "," : "", in->mname[k]);
		buf_puts(&d, ": use their accessors.");
		buf_indent(&dl->code, 4);
		buf_printf(&dl->code, "/// %s\n", buf_cstr(&d));
		buf_free(&d);
		decl_split(dl, 4, arena_printf(&R->a, "pub _bitfield_%d:", bg),
			   arena_printf(&R->a, "[u8; %llu],",
					(unsigned long long)(end - start)));
		return;
	}
	v.n = 0;
	for (t = 0; t < NTARGETS; t++) {
		if (!in_mask(field_mask(R, it, f), t))
			continue;
		buf_clear(&ty);
		rust_type(R, &ty, it->unit, f->type, true, t);
		buf_putc(&ty, ',');
		variants_add(R, &v, t, buf_cstr(&ty));
	}
	buf_free(&ty);
	for (i = 0; i < v.n; i++) {
		MetaPool mp;
		mp.n = 0;
		doc(&dl->code, 4, f->desc,
		    arena_printf(&R->a, "Field `%s` of `%s`.", in->mname[j],
				 in->name));
		cfg_attr(&dl->code, 4, decl_cfg(&mp, v.mask[i], in->mask), &mp);
		decl_split(dl, 4, arena_printf(&R->a, "pub %s:", in->mname[j]),
			   v.text[i]);
	}
}

/* Getters and setters of the bitfields, by a macro rustfmt leaves alone:
 * "name, set_name: storage, type, first bit, width;". */
static void emit_bitfields(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	size_t j;
	if (!in->nbitgroups)
		return;
	buf_putc(out, '\n');
	item_cfg(R, out, it);
	buf_printf(out, "bitfields! {\n    %s {\n", in->name);
	for (j = 0; j < it->nfields; j++) {
		const Field *f = &it->fields[j];
		if (!in->bitgroup[j])
			continue;
		doc(out, 8, f->desc, arena_printf(&R->a, "Bitfield `%s`.",
						  in->mname[j]));
		buf_printf(out, "        %s, %s: _bitfield_%d, %s, %u, %u;\n",
			   in->mname[j], setter_name(R, in->mname[j]),
			   in->bitgroup[j], plain_prim(f->type->prim),
			   in->bitshift[j], f->bits);
	}
	buf_puts(out, "    }\n}\n");
}

static void emit_struct(Rust *R, Buf *out, const Item *it)
{
	const ItemInfo *in = &R->info[it->index];
	bool is_union = it->kind == IT_UNION;
	Decl dl = {{0}, {0}, false};
	size_t j, nemitted = 0;
	for (j = 0; j < it->nfields; j++)
		nemitted += in->mname[j] != NULL;
	doc(&dl.doc, 0, it->desc, arena_printf(&R->a, "The `%s` %s.", it->name,
					       item_kind_name(it->kind)));
	item_cfg(R, &dl.code, it);
	if (in->force_align)
		decl_line(&dl, "#[repr(C, align(%llu))]\n",
			  (unsigned long long)in->force_align);
	else
		decl_line(&dl, "#[repr(C)]\n");
	decl_line(&dl, "#[derive(%s)]\n",
		  is_union ? "Clone, Copy"
		  : in->has_union ? "Clone, Copy, Debug"
		  : "Clone, Copy, Debug, PartialEq, Eq");
	decl_line(&dl, "pub %s %s {%s\n", is_union ? "union" : "struct", in->name,
		  nemitted ? "" : "}");
	for (j = 0; j < it->nfields; j++)
		emit_field(R, &dl, it, j);
	if (nemitted)
		buf_puts(&dl.code, "}\n");
	decl_end(out, &dl);

	item_cfg(R, &dl.code, it);
	decl_line(&dl, "impl ::core::default::Default for %s {\n", in->name);
	buf_puts(&dl.code,
		 "    fn default() -> Self {\n"
		 "        // SAFETY: every generated type is made of integers, arrays,\n"
		 "        // guest handles, newtypes over integers and unions of\n"
		 "        // those: all-zero is valid.\n"
		 "        unsafe { ::core::mem::zeroed() }\n"
		 "    }\n"
		 "}\n");
	decl_end(out, &dl);

	if (is_union) {
		buf_putc(out, '\n');
		item_cfg(R, out, it);
		buf_printf(out, "union_debug! { %s }\n", in->name);
	}
	if (it->op_family && in->trait) {
		buf_printf(&dl.doc, "// SAFETY: the specs make `%s` the argument of "
			   "%s sub-op %lld.\n", it->name, it->op_family,
			   (long long)it->op_cmd);
		item_cfg(R, &dl.code, it);
		decl_line(&dl, "unsafe impl crate::%s for %s {\n", in->trait,
			  in->name);
		buf_printf(&dl.code, "    const CMD: u32 = %lld;\n}\n",
			   (long long)it->op_cmd);
		decl_end(out, &dl);
	}
	emit_bitfields(R, out, it);
	emit_layout(R, out, it);
}

/* ---- lib.rs ------------------------------------------------------------------
 * Fixed text, formatted by rustfmt once. */

static const char *const lib_head[] = {
"//! Xen hypercall ABI types, generated by xenbindgen from the Xen ABI specs.\n"
"//!\n"
"//! One module per spec directory; [`arch`](crate#architectures) is the module\n"
"//! of the target's architecture.  Structs are `#[repr(C)]` with the layout the\n"
"//! hypervisor expects on every target, which compile-time assertions check.\n"
"//!\n"
"//! - 64-bit integers are [`Align64`]: 8-aligned on every target, like Xen's\n"
"//!   `uint64_aligned_t`;\n"
"//! - pointers are [`GuestHandle64`]: 8 bytes, zero-extended on 32-bit targets;\n"
"//! - enums are open: a newtype over the backing integer with a constant per\n"
"//!   variant, so any value the hypervisor writes is valid;\n"
"//! - bitmaps are newtypes with a constant per bit, `ALL`, and set operations;\n"
"//! - the argument struct of a hypercall sub-op implements the marker trait of\n"
"//!   its hypercall (`IsDomctl`, ...), so a wrapper can take only those.\n"
"//!\n"
"//! `Default` is all-zero for every type.\n"
"//!\n"
"//! # Architectures\n"
"//!\n"
"//! The modules of the specs' `arch-*` directories are compiled only for their\n"
"//! own `target_arch`, and `arch` names the one of the target being compiled.\n"
"\n",
"#![no_std]\n"
"#![deny(missing_docs)]\n"
"#![allow(unknown_lints)]\n"
"// Descriptions are prose from the specs, not Markdown written for rustdoc:\n"
"// clippy's documentation style lints do not apply to them.\n"
"#![allow(\n"
"    clippy::doc_lazy_continuation,\n"
"    clippy::doc_overindented_list_items,\n"
"    clippy::doc_nested_refdefs,\n"
"    clippy::needless_doctest_main,\n"
"    clippy::test_attr_in_doctest\n"
")]\n"
"\n",
"/// A 64-bit integer that is 8-aligned on every target: Xen's\n"
"/// `uint64_aligned_t` and `int64_aligned_t`.\n"
"///\n"
"/// A plain `u64` is only 4-aligned on 32-bit x86, which would move every\n"
"/// field after it.  The value is the public field `.0`, or [`get`](Self::get).\n"
"#[repr(C, align(8))]\n"
"#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]\n"
"pub struct Align64<T>(pub T);\n"
"\n",
"impl<T: Copy> Align64<T> {\n"
"    /// Wraps `value`.\n"
"    pub const fn new(value: T) -> Self {\n"
"        Self(value)\n"
"    }\n"
"\n",
"    /// The value.\n"
"    pub const fn get(self) -> T {\n"
"        self.0\n"
"    }\n"
"\n",
"    /// Replaces the value.\n"
"    pub fn set(&mut self, value: T) {\n"
"        self.0 = value;\n"
"    }\n"
"}\n"
"\n",
"impl<T> ::core::convert::From<T> for Align64<T> {\n"
"    fn from(value: T) -> Self {\n"
"        Self(value)\n"
"    }\n"
"}\n"
"\n",
"impl<T: ::core::fmt::Debug> ::core::fmt::Debug for Align64<T> {\n"
"    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {\n"
"        ::core::fmt::Debug::fmt(&self.0, f)\n"
"    }\n"
"}\n"
"\n",
"/// A 64-bit guest handle: the address of a `T` in the caller's memory, as\n"
"/// Xen's `XEN_GUEST_HANDLE_64(T)`.\n"
"///\n"
"/// Always 8 bytes and 8-aligned.  On a 32-bit target the address is\n"
"/// zero-extended, so all eight bytes are initialised: an `Align64<*mut T>`\n"
"/// would leave the upper four bytes as padding, which the hypervisor reads\n"
"/// as part of the address.  The default is the null handle.\n"
"#[repr(C, align(8))]\n"
"pub struct GuestHandle64<T> {\n"
"    addr: u64,\n"
"    _marker: ::core::marker::PhantomData<*mut T>,\n"
"}\n"
"\n",
"impl<T> GuestHandle64<T> {\n"
"    /// The null handle (address 0).\n"
"    pub const fn null() -> Self {\n"
"        Self::from_addr(0)\n"
"    }\n"
"\n",
"    /// A handle holding the address `addr`.\n"
"    pub const fn from_addr(addr: u64) -> Self {\n"
"        Self {\n"
"            addr,\n"
"            _marker: ::core::marker::PhantomData,\n"
"        }\n"
"    }\n"
"\n",
"    /// A handle to `ptr`; on a 32-bit target the address is zero-extended.\n"
"    pub fn from_ptr(ptr: *mut T) -> Self {\n"
"        Self::from_addr(ptr as usize as u64)\n"
"    }\n"
"\n",
"    /// The pointer; on a 32-bit target, made of the low 32 bits of the\n"
"    /// address.\n"
"    pub fn as_ptr(&self) -> *mut T {\n"
"        self.addr as usize as *mut T\n"
"    }\n"
"\n",
"    /// The address, all 64 bits.\n"
"    pub const fn addr(&self) -> u64 {\n"
"        self.addr\n"
"    }\n"
"\n",
"    /// Whether this is the null handle.\n"
"    pub const fn is_null(&self) -> bool {\n"
"        self.addr == 0\n"
"    }\n"
"}\n"
"\n",
"impl<T> ::core::clone::Clone for GuestHandle64<T> {\n"
"    fn clone(&self) -> Self {\n"
"        *self\n"
"    }\n"
"}\n"
"\n",
"impl<T> ::core::marker::Copy for GuestHandle64<T> {}\n"
"\n",
"impl<T> ::core::cmp::PartialEq for GuestHandle64<T> {\n"
"    fn eq(&self, other: &Self) -> bool {\n"
"        self.addr == other.addr\n"
"    }\n"
"}\n"
"\n",
"impl<T> ::core::cmp::Eq for GuestHandle64<T> {}\n"
"\n",
"impl<T> ::core::hash::Hash for GuestHandle64<T> {\n"
"    fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {\n"
"        ::core::hash::Hash::hash(&self.addr, state);\n"
"    }\n"
"}\n"
"\n",
"impl<T> ::core::default::Default for GuestHandle64<T> {\n"
"    fn default() -> Self {\n"
"        Self::null()\n"
"    }\n"
"}\n"
"\n",
"impl<T> ::core::fmt::Debug for GuestHandle64<T> {\n"
"    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {\n"
"        write!(f, \"GuestHandle64({:#x})\", self.addr)\n"
"    }\n"
"}\n",
	NULL,
};

/* Compile-time layout assertions: `const _: () = { assert!(...); };`. */
static const char *const macro_layout[] = {
"\n",
"// The layout the engine computed for the target being compiled: size,\n"
"// alignment and the offset of every field, checked at compile time.\n"
"#[allow(unused_macros)]\n"
"macro_rules! assert_layout {\n"
"    ($t:ident: size $size:literal, align $align:literal; $($f:ident: $off:literal,)*) => {\n"
"        const _: () = {\n"
"            assert!(\n"
"                ::core::mem::size_of::<$t>() == $size,\n"
"                concat!(\"size of \", stringify!($t)),\n"
"            );\n"
"            assert!(\n"
"                ::core::mem::align_of::<$t>() == $align,\n"
"                concat!(\"alignment of \", stringify!($t)),\n"
"            );\n"
"            $(assert!(\n"
"                ::core::mem::offset_of!($t, $f) == $off,\n"
"                concat!(\"offset of \", stringify!($t), \"::\", stringify!($f)),\n"
"            );)*\n"
"        };\n"
"    };\n"
"}\n",
	NULL,
};

static const char *const macro_enum[] = {
"\n",
"// The traits of an open enum, given its constants.\n"
"#[allow(unused_macros)]\n"
"macro_rules! open_enum {\n"
"    ($t:ident($int:ty) { $($v:ident,)* }) => {\n"
"        impl $t {\n"
"            /// The name of this value's constant, or `None` for a value the\n"
"            /// specs do not list.\n"
"            pub const fn name(self) -> ::core::option::Option<&'static str> {\n"
"                $(if self.0 == Self::$v.0 {\n"
"                    return ::core::option::Option::Some(stringify!($v));\n"
"                })*\n"
"                ::core::option::Option::None\n"
"            }\n"
"\n",
"            /// Whether the specs list this value.\n"
"            pub const fn is_known(self) -> bool {\n"
"                self.name().is_some()\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::convert::From<$int> for $t {\n"
"            fn from(value: $int) -> Self {\n"
"                Self(value)\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::convert::From<$t> for $int {\n"
"            fn from(value: $t) -> Self {\n"
"                value.0\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::fmt::Debug for $t {\n"
"            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {\n"
"                match self.name() {\n"
"                    ::core::option::Option::Some(name) => {\n"
"                        write!(f, \"{}::{}\", stringify!($t), name)\n"
"                    }\n"
"                    ::core::option::Option::None => write!(f, \"{}({})\", stringify!($t), self.0),\n"
"                }\n"
"            }\n"
"        }\n"
"    };\n"
"}\n",
	NULL,
};

static const char *const macro_bitmap[] = {
"\n",
"// The methods and traits of a bitmap, given its one-bit constants, its\n"
"// multi-bit field masks and `ALL`.  A bitmap may define no bits, or all of\n"
"// them: masks with ALL are meant.\n"
"#[allow(unused_macros)]\n"
"macro_rules! bitmap {\n"
"    ($t:ident($int:ty) { $($flag:ident,)* } fields { $($field:ident,)* }) => {\n"
"        #[allow(clippy::bad_bit_mask, clippy::erasing_op, clippy::identity_op)]\n"
"        impl $t {\n"
"            /// No bit set.\n"
"            pub const fn empty() -> Self {\n"
"                Self(0)\n"
"            }\n"
"\n",
"            /// Every defined bit set.\n"
"            pub const fn all() -> Self {\n"
"                Self::ALL\n"
"            }\n"
"\n",
"            /// The bits as an integer.\n"
"            pub const fn bits(self) -> $int {\n"
"                self.0\n"
"            }\n"
"\n",
"            /// `bits`, or `None` if a bit that is not defined is set.\n"
"            pub const fn from_bits(bits: $int) -> ::core::option::Option<Self> {\n"
"                if bits & !Self::ALL.0 == 0 {\n"
"                    ::core::option::Option::Some(Self(bits))\n"
"                } else {\n"
"                    ::core::option::Option::None\n"
"                }\n"
"            }\n"
"\n",
"            /// `bits` without the bits that are not defined.\n"
"            pub const fn from_bits_truncate(bits: $int) -> Self {\n"
"                Self(bits & Self::ALL.0)\n"
"            }\n"
"\n",
"            /// `bits` as they are, undefined bits included.\n"
"            pub const fn from_bits_retain(bits: $int) -> Self {\n"
"                Self(bits)\n"
"            }\n"
"\n",
"            /// Whether no bit is set.\n"
"            pub const fn is_empty(self) -> bool {\n"
"                self.0 == 0\n"
"            }\n"
"\n",
"            /// Whether every defined bit is set.\n"
"            pub const fn is_all(self) -> bool {\n"
"                self.0 & Self::ALL.0 == Self::ALL.0\n"
"            }\n"
"\n",
"            /// Whether every bit of `other` is set.\n"
"            pub const fn contains(self, other: Self) -> bool {\n"
"                self.0 & other.0 == other.0\n"
"            }\n"
"\n",
"            /// Whether some bit of `other` is set.\n"
"            pub const fn intersects(self, other: Self) -> bool {\n"
"                self.0 & other.0 != 0\n"
"            }\n"
"\n",
"            /// Sets the bits of `other`.\n"
"            pub fn insert(&mut self, other: Self) {\n"
"                self.0 |= other.0;\n"
"            }\n"
"\n",
"            /// Clears the bits of `other`.\n"
"            pub fn remove(&mut self, other: Self) {\n"
"                self.0 &= !other.0;\n"
"            }\n"
"\n",
"            /// Flips the bits of `other`.\n"
"            pub fn toggle(&mut self, other: Self) {\n"
"                self.0 ^= other.0;\n"
"            }\n"
"\n",
"            /// Sets the bits of `other` if `value`, clears them otherwise.\n"
"            pub fn set(&mut self, other: Self, value: bool) {\n"
"                if value {\n"
"                    self.insert(other);\n"
"                } else {\n"
"                    self.remove(other);\n"
"                }\n"
"            }\n"
"\n",
"            /// The value of the multi-bit field whose mask is `mask`.\n"
"            pub const fn field(self, mask: Self) -> $int {\n"
"                if mask.0 == 0 {\n"
"                    0\n"
"                } else {\n"
"                    (self.0 & mask.0) >> mask.0.trailing_zeros()\n"
"                }\n"
"            }\n"
"\n"
"            /// Sets the multi-bit field whose mask is `mask` to `value`\n"
"            /// (truncated to the field).\n"
"            pub fn set_field(&mut self, mask: Self, value: $int) {\n"
"                if mask.0 != 0 {\n"
"                    let shift = mask.0.trailing_zeros();\n"
"                    self.0 = (self.0 & !mask.0) | ((value << shift) & mask.0);\n"
"                }\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::ops::BitOr for $t {\n"
"            type Output = Self;\n"
"            fn bitor(self, other: Self) -> Self {\n"
"                Self(self.0 | other.0)\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::ops::BitAnd for $t {\n"
"            type Output = Self;\n"
"            fn bitand(self, other: Self) -> Self {\n"
"                Self(self.0 & other.0)\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::ops::BitXor for $t {\n"
"            type Output = Self;\n"
"            fn bitxor(self, other: Self) -> Self {\n"
"                Self(self.0 ^ other.0)\n"
"            }\n"
"        }\n"
"\n",
"        /// The complement within `ALL`: undefined bits stay clear.\n"
"        #[allow(clippy::bad_bit_mask, clippy::erasing_op, clippy::identity_op)]\n"
"        impl ::core::ops::Not for $t {\n"
"            type Output = Self;\n"
"            fn not(self) -> Self {\n"
"                Self(!self.0 & Self::ALL.0)\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::ops::BitOrAssign for $t {\n"
"            fn bitor_assign(&mut self, other: Self) {\n"
"                self.0 |= other.0;\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::ops::BitAndAssign for $t {\n"
"            fn bitand_assign(&mut self, other: Self) {\n"
"                self.0 &= other.0;\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::ops::BitXorAssign for $t {\n"
"            fn bitxor_assign(&mut self, other: Self) {\n"
"                self.0 ^= other.0;\n"
"            }\n"
"        }\n"
"\n",
"        impl ::core::convert::From<$t> for $int {\n"
"            fn from(value: $t) -> Self {\n"
"                value.0\n"
"            }\n"
"        }\n"
"\n",
"        /// The names of the set bits, the values of the non-zero fields, then\n"
"        /// the undefined bits as a number: `Name(A | B | F=3 | 0x100)`;\n"
"        /// `Name(0x0)` when empty.\n"
"        #[allow(clippy::bad_bit_mask, clippy::erasing_op, clippy::identity_op)]\n"
"        impl ::core::fmt::Debug for $t {\n"
"            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {\n"
"                f.write_str(concat!(stringify!($t), \"(\"))?;\n"
"                #[allow(unused_mut)]\n"
"                let mut sep = \"\";\n"
"                $(if self.contains(Self::$flag) {\n"
"                    f.write_str(sep)?;\n"
"                    f.write_str(stringify!($flag))?;\n"
"                    sep = \" | \";\n"
"                })*\n"
"                $(if self.field(Self::$field) != 0 {\n"
"                    write!(f, \"{}{}={}\", sep, stringify!($field), self.field(Self::$field))?;\n"
"                    sep = \" | \";\n"
"                })*\n"
"                let unknown = self.0 & !Self::ALL.0;\n"
"                if unknown != 0 || sep.is_empty() {\n"
"                    write!(f, \"{}{:#x}\", sep, unknown)?;\n"
"                }\n"
"                f.write_str(\")\")\n"
"            }\n"
"        }\n"
"    };\n"
"}\n",
	NULL,
};

static const char *const macro_union[] = {
"\n"
"// A union's Debug: which member is live is not known.\n"
"#[allow(unused_macros)]\n"
"macro_rules! union_debug {\n"
"    ($t:ident) => {\n"
"        impl ::core::fmt::Debug for $t {\n"
"            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {\n"
"                f.write_str(concat!(stringify!($t), \" { .. }\"))\n"
"            }\n"
"        }\n"
"    };\n"
"}\n",
	NULL,
};

/* Bitfields: a getter and a setter per bitfield, on the bytes of its run. */
static const char *const macro_bitfields[] = {
"\n"
"// Bit `bit + i` of a bitfield run's bytes, little-endian: bit 0 is the\n"
"// least significant bit of the first byte.\n"
"#[allow(dead_code)]\n"
"const fn bits_get(bytes: &[u8], bit: u32, width: u32) -> u64 {\n"
"    let mut value = 0u64;\n"
"    let mut i = 0;\n"
"    while i < width {\n"
"        let b = bit + i;\n"
"        if (bytes[(b / 8) as usize] >> (b % 8)) & 1 != 0 {\n"
"            value |= 1 << i;\n"
"        }\n"
"        i += 1;\n"
"    }\n"
"    value\n"
"}\n"
"\n"
"#[allow(dead_code)]\n"
"fn bits_set(bytes: &mut [u8], bit: u32, width: u32, value: u64) {\n"
"    let mut i = 0;\n"
"    while i < width {\n"
"        let b = bit + i;\n"
"        let mask = 1u8 << (b % 8);\n"
"        if (value >> i) & 1 != 0 {\n"
"            bytes[(b / 8) as usize] |= mask;\n"
"        } else {\n"
"            bytes[(b / 8) as usize] &= !mask;\n"
"        }\n"
"        i += 1;\n"
"    }\n"
"}\n"
"\n",
"// The accessors of bitfields: `name, set_name: bytes, type, bit, width;`.\n"
"#[allow(unused_macros)]\n"
"macro_rules! bitfields {\n"
"    ($t:ident { $($(#[$doc:meta])* $get:ident, $set:ident: $bytes:ident, $int:ty, $bit:literal, $width:literal;)* }) => {\n"
"        impl $t {\n"
"            $(\n"
"                $(#[$doc])*\n"
"                pub const fn $get(&self) -> $int {\n"
"                    crate::bits_get(&self.$bytes, $bit, $width) as $int\n"
"                }\n"
"\n"
"                #[doc = concat!(\"Sets the bitfield `\", stringify!($get), \"` (truncated to its width).\")]\n"
"                pub fn $set(&mut self, value: $int) {\n"
"                    crate::bits_set(&mut self.$bytes, $bit, $width, value as u64);\n"
"                }\n"
"            )*\n"
"        }\n"
"    };\n"
"}\n",
	NULL,
};

/* The native guest handle, XEN_GUEST_HANDLE(T): the engine says how large
 * it is per target.  Where that is a pointer's size it holds a usize;
 * elsewhere (32-bit Arm) 8 bytes, 8-aligned, like GuestHandle64. */
static void emit_handle(Buf *b)
{
	static const char *const text[] = {
"\n"
"/// A native guest handle: Xen's `XEN_GUEST_HANDLE(T)`, the address of a\n"
"/// `T` in the caller's memory.\n"
"///\n"
"/// A pointer on targets where Xen's handle is one (on x86, 4 bytes on\n"
"/// 32-bit x86), otherwise 8 bytes and 8-aligned, with the address\n"
"/// zero-extended.  The default is the null handle.\n"
"#[repr(C)]\n"
"pub struct GuestHandle<T> {\n"
"    addr: HandleAddr,\n"
"    _marker: ::core::marker::PhantomData<*mut T>,\n"
"}\n"
"\n",
"impl<T> GuestHandle<T> {\n"
"    /// The null handle (address 0).\n"
"    pub const fn null() -> Self {\n"
"        Self::from_addr(0)\n"
"    }\n"
"\n"
"    /// A handle holding the address `addr` (truncated where a handle is\n"
"    /// a 32-bit pointer).\n"
"    pub const fn from_addr(addr: u64) -> Self {\n"
"        Self {\n"
"            addr: handle_addr(addr),\n"
"            _marker: ::core::marker::PhantomData,\n"
"        }\n"
"    }\n"
"\n"
"    /// A handle to `ptr`.\n"
"    pub fn from_ptr(ptr: *mut T) -> Self {\n"
"        Self::from_addr(ptr as usize as u64)\n"
"    }\n"
"\n"
"    /// The pointer.\n"
"    pub fn as_ptr(&self) -> *mut T {\n"
"        handle_value(self.addr) as usize as *mut T\n"
"    }\n"
"\n"
"    /// The address.\n"
"    pub const fn addr(&self) -> u64 {\n"
"        handle_value(self.addr)\n"
"    }\n"
"\n"
"    /// Whether this is the null handle.\n"
"    pub const fn is_null(&self) -> bool {\n"
"        handle_value(self.addr) == 0\n"
"    }\n"
"}\n"
"\n",
"impl<T> ::core::clone::Clone for GuestHandle<T> {\n"
"    fn clone(&self) -> Self {\n"
"        *self\n"
"    }\n"
"}\n"
"\n"
"impl<T> ::core::marker::Copy for GuestHandle<T> {}\n"
"\n"
"impl<T> ::core::cmp::PartialEq for GuestHandle<T> {\n"
"    fn eq(&self, other: &Self) -> bool {\n"
"        self.addr() == other.addr()\n"
"    }\n"
"}\n"
"\n"
"impl<T> ::core::cmp::Eq for GuestHandle<T> {}\n"
"\n"
"impl<T> ::core::hash::Hash for GuestHandle<T> {\n"
"    fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {\n"
"        ::core::hash::Hash::hash(&self.addr(), state);\n"
"    }\n"
"}\n"
"\n"
"impl<T> ::core::default::Default for GuestHandle<T> {\n"
"    fn default() -> Self {\n"
"        Self::null()\n"
"    }\n"
"}\n"
"\n"
"impl<T> ::core::fmt::Debug for GuestHandle<T> {\n"
"    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {\n"
"        write!(f, \"GuestHandle({:#x})\", self.addr())\n"
"    }\n"
"}\n",
		NULL,
	};
	MetaPool mp;
	Meta *ptr, *not;
	TMask m = 0;
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (targets[t].handle_size == targets[t].ptr_size)
			m |= 1u << t;
	put_text(b, text);
	mp.n = 0;
	ptr = layout_cfg(&mp, m);
	not = meta_new(&mp, "not", 0);
	meta_add(not, ptr);
	buf_putc(b, '\n');
	cfg_attr(b, 0, ptr, &mp);
	buf_puts(b, "type HandleAddr = usize;\n\n");
	cfg_attr(b, 0, ptr, &mp);
	buf_puts(b, "const fn handle_addr(addr: u64) -> HandleAddr {\n"
		    "    addr as usize\n}\n\n");
	cfg_attr(b, 0, ptr, &mp);
	buf_puts(b, "const fn handle_value(addr: HandleAddr) -> u64 {\n"
		    "    addr as u64\n}\n\n");
	cfg_attr(b, 0, not, &mp);
	buf_puts(b, "type HandleAddr = Align64<u64>;\n\n");
	cfg_attr(b, 0, not, &mp);
	buf_puts(b, "const fn handle_addr(addr: u64) -> HandleAddr {\n"
		    "    Align64(addr)\n}\n\n");
	cfg_attr(b, 0, not, &mp);
	buf_puts(b, "const fn handle_value(addr: HandleAddr) -> u64 {\n"
		    "    addr.0\n}\n");
}

/* ---- Files ---------------------------------------------------------------------- */

static void banner_files(Buf *b, const Mod *m)
{
	size_t i;
	if (m->unit)
		for (i = 0; i < m->unit->nfiles; i++)
			line_comment(b, "//   ", m->unit->files[i].relpath);
	for (i = 0; i < m->nkids; i++)
		banner_files(b, m->kids[i]);
}

static void banner(Rust *R, Buf *b, const char *title, const Mod *m)
{
	line_comment(b, "// ", title);
	buf_puts(b, "//\n// AUTOGENERATED. DO NOT MODIFY: this file is "
		    OUTPUT_MARKER " from\n");
	banner_files(b, m);
	buf_puts(b, "// Edit the spec files instead and regenerate with:\n");
	line_comment(b, "//   ", R->o->regen_cmd);
}

/* `pub mod` declarations of a module's kids; arch modules only for their
 * own architecture. */
static void mod_decls(Buf *b, const Mod *m)
{
	size_t i;
	if (!m->nkids)
		return;
	buf_putc(b, '\n');
	for (i = 0; i < m->nkids; i++) {
		const Mod *k = m->kids[i];
		if (k->arch >= 0) {
			MetaPool mp;
			mp.n = 0;
			cfg_attr(b, 0, decl_cfg(&mp, family(k->arch), 0), &mp);
		}
		buf_printf(b, "pub mod %s;\n", k->ident);
	}
}

static void arch_doc(Buf *b, int arch)
{
	MetaPool mp;
	Meta *any;
	int i;
	mp.n = 0;
	any = meta_new(&mp, "any", 0);
	arch_preds(&mp, arch, any);
	buf_puts(b, "//!\n//! Compiled only for ");
	for (i = 0; i < any->nkids; i++)
		buf_printf(b, "%s`%s`", i ? " or " : "", any->kids[i]->text);
	buf_puts(b, ";\n//! code for every architecture reaches it as "
		    "`crate::arch`.\n");
}

/* A unit's module: its constants, aliases, enums, bitmaps, then structs
 * and unions in dependency order; what exists on no target is left out. */
static void emit_unit(Rust *R, const Mod *m, Item **structs, size_t nstructs)
{
	static const ItemKind order[] = {IT_CONST, IT_ALIAS, IT_ENUM, IT_BITMAP};
	const Unit *u = m->unit;
	Buf b = {0}, name = {0};
	size_t i, k;
	banner(R, &b, u->name, m);
	buf_printf(&b, "\n//! Types from the spec directory `%s/`.\n", u->name);
	if (m->arch >= 0)
		arch_doc(&b, m->arch);
	mod_decls(&b, m);
	for (k = 0; k < ARRAY_LEN(order); k++) {
		for (i = 0; i < u->nitems; i++) {
			const Item *it = u->items[i];
			if (it->kind != order[k] || !R->info[it->index].mask)
				continue;
			if (it->kind == IT_CONST)
				emit_const(R, &b, it);
			else if (it->kind == IT_ALIAS)
				emit_alias(R, &b, it);
			else if (it->kind == IT_ENUM)
				emit_enum(R, &b, it);
			else
				emit_bitmap(R, &b, it);
		}
	}
	for (i = 0; i < nstructs; i++)
		if (R->info[structs[i]->index].mask)
			emit_struct(R, &b, structs[i]);
	buf_puts(&name, m->file);
	outset_add(R->out, buf_cstr(&name), &b);
	buf_free(&name);
}

/* A directory of units that is no unit itself. */
static void emit_dir(Rust *R, const Mod *m)
{
	Buf b = {0}, name = {0};
	banner(R, &b, m->dir, m);
	buf_printf(&b, "\n//! The spec directories under `%s/`.\n", m->dir);
	mod_decls(&b, m);
	buf_puts(&name, m->file);
	outset_add(R->out, buf_cstr(&name), &b);
	buf_free(&name);
}

static void emit_traits(Rust *R, Buf *b)
{
	size_t i;
	Buf up = {0};
	for (i = 0; i < R->nfamilies; i++) {
		buf_clear(&up);
		name_upper(&up, R->families[i].name);
		buf_printf(b,
			   "\n"
			   "/// The argument struct of a `%s` sub-op.\n"
			   "///\n"
			   "/// Implemented by the struct of each sub-op of the specs, so "
			   "that a wrapper of\n"
			   "/// the hypercall can take `T: %s` and send `T::CMD` with it.\n"
			   "///\n"
			   "/// # Safety\n"
			   "///\n"
			   "/// The hypervisor reads and writes the implementing type as "
			   "the argument of\n"
			   "/// sub-op `CMD`: it must be exactly that struct.\n"
			   "pub unsafe trait %s {\n"
			   "    /// The sub-op number (the C constant `XEN_%s_*`).\n"
			   "    const CMD: u32;\n"
			   "}\n",
			   R->families[i].name, R->families[i].trait,
			   R->families[i].trait, buf_cstr(&up));
	}
	buf_free(&up);
}

static void emit_lib(Rust *R)
{
	Buf b = {0}, name = {0};
	size_t i;
	int a;
	banner(R, &b, R->o->crate, &R->root);
	buf_putc(&b, '\n');
	put_text(&b, lib_head);
	if (R->any_handle)
		emit_handle(&b);
	emit_traits(R, &b);
	if (R->any_layout)
		put_text(&b, macro_layout);
	if (R->any_enum)
		put_text(&b, macro_enum);
	if (R->any_bitmap)
		put_text(&b, macro_bitmap);
	if (R->any_union)
		put_text(&b, macro_union);
	if (R->any_bitfield)
		put_text(&b, macro_bitfields);
	mod_decls(&b, &R->root);
	/* The arch alias, in the order rustfmt sorts `use` items. */
	for (i = 0; i < R->root.nkids; i++) {
		const Mod *k = R->root.kids[i];
		MetaPool mp;
		if (k->arch < 0)
			continue;
		mp.n = 0;
		buf_printf(&b, "\n/// The module of the target's architecture: "
			   "`%s` on %s.\n", k->ident, arch_name(k->arch));
		cfg_attr(&b, 0, decl_cfg(&mp, family(k->arch), 0), &mp);
		buf_printf(&b, "pub use %s as arch;\n", k->ident);
	}
	if (R->uses_arch) {
		MetaPool mp;
		Meta *not, *any;
		mp.n = 0;
		not = meta_new(&mp, "not", 0);
		any = meta_new(&mp, "any", 0);
		for (a = 0; a < NARCH; a++)
			if (R->s->arch_units[a])
				arch_preds(&mp, a, any);
		meta_add(not, one_or_any(any));
		buf_putc(&b, '\n');
		cfg_attr(&b, 0, not, &mp);
		buf_puts(&b, "compile_error!(\"no arch-* spec directory for this "
			     "target_arch\");\n");
	}
	buf_puts(&name, "src/lib.rs");
	outset_add(R->out, buf_cstr(&name), &b);
	buf_free(&name);
}

static void emit_cargo(Rust *R)
{
	Buf b = {0}, name = {0};
	line_comment(&b, "# ", R->o->crate);
	buf_puts(&b, "#\n# AUTOGENERATED. DO NOT MODIFY: this crate is "
		    OUTPUT_MARKER ";\n"
		    "# src/lib.rs lists the spec files. Regenerate with:\n");
	line_comment(&b, "#   ", R->o->regen_cmd);
	buf_printf(&b, "\n[package]\nname = \"%s\"\nversion = \"0.1.0\"\n"
		   "edition = \"2021\"\n"
		   "description = \"Xen hypercall ABI types generated by "
		   "xenbindgen\"\n"
		   "\n# Descriptions are not Rust examples: never compile them as "
		   "doctests.\n"
		   "[lib]\ndoctest = false\n", R->o->crate);
	buf_puts(&name, "Cargo.toml");
	outset_add(R->out, buf_cstr(&name), &b);
	buf_free(&name);
}

static void emit_mods(Rust *R, const Mod *m, Item ***per_unit,
		      const size_t *count)
{
	size_t i;
	for (i = 0; i < m->nkids; i++) {
		const Mod *k = m->kids[i];
		if (k->unit)
			emit_unit(R, k, per_unit[k->unit->index],
				  count[k->unit->index]);
		else
			emit_dir(R, k);
		emit_mods(R, k, per_unit, count);
	}
}

void emit_rust(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	Rust R;
	Buf lib = {0};
	Item ***per_unit;
	UnitOrder order;
	size_t *count, i, k;
	int t;

	memset(&R, 0, sizeof R);
	R.s = s;
	R.o = o;
	R.out = out;
	R.d = d;
	arena_init(&R.a);
	for (t = 0; t < NTARGETS; t++)
		if (s->covered[t])
			R.covered |= 1u << t;
	if (!valid_crate(o->crate, &lib)) {
		Buf msg = {0};
		comment_text(&msg, o->crate);
		diag_error(d, NO_LOC,
			   "invalid crate name '%s': use letters, digits, '-' and "
			   "'_', not starting with a digit, and not a Rust keyword",
			   buf_cstr(&msg));
		buf_free(&msg);
	}
	buf_free(&lib);
	R.unit_mod = arena_calloc(&R.a, s->nunits + 1, sizeof *R.unit_mod);
	R.info = arena_calloc(&R.a, s->nitems + 1, sizeof *R.info);
	build_modules(&R);
	name_items(&R);
	for (i = 0; i < s->nitems; i++)
		if ((s->items[i]->kind == IT_STRUCT ||
		     s->items[i]->kind == IT_UNION) && R.info[i].mask)
			plan_bitfields(&R, s->items[i]);
	if (diag_error_count(d))
		goto out;
	find_unions(&R);

	/* Structs and unions in dependency order, per unit (as emit_c); an
	 * inline type comes before the type it is in. */
	order_units(s, &order);
	for (i = 0; i < s->nunits; i++) {
		size_t n = 0;
		for (k = 0; k < order.count[i]; k++) {
			Item *it = order.items[i][k];
			if (it->kind == IT_STRUCT || it->kind == IT_UNION)
				order.items[i][n++] = it;
		}
		order.count[i] = n;
	}
	per_unit = order.items;
	count = order.count;
	emit_mods(&R, &R.root, per_unit, count);
	emit_lib(&R);
	emit_cargo(&R);
	order_units_free(&order);
out:
	free_modules(&R.root);
	free(R.families);
	arena_free(&R.a);
}
