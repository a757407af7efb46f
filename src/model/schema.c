/*
 * schema.c - the schema of the spec language: every kind of table, its
 * keys, which are required, and what each holds.
 *
 * This one table is read by the decoder (get.c: unknown keys, with a
 * did-you-mean, and missing ones), by fmt (tools/canon.c: the canonical
 * order of keys and what each value holds) and by the generator of the
 * JSON Schema for editors (tests/unit/schema-json.c writes
 * docs/xenbindgen.schema.json, with the descriptions below; `make schema`).
 * A key added here is known to all three at once.
 *
 * The keys of each table are listed in canonical order, the order in which
 * `xenbindgen fmt` writes them.  What a key holds is a SchemaValue: the
 * JSON Schema describes it, fmt recurses into tables, lists of tables and
 * types, and the decoder reads it with the getter of that kind ("must be
 * a string"; the test suite's schema/decode checks that they agree).
 */
#include "model/model.h"

#include <string.h>

/* Shorthands for the tables below. */
#define KEY(k, req, v, desc) {k, sizeof(k) - 1, req, v, 0, 0, 0, desc}
#define SUB(k, req, v, sub, desc) {k, sizeof(k) - 1, req, v, sub, 0, 0, desc}
#define RANGE(k, req, min, max, desc) \
	{k, sizeof(k) - 1, req, SV_INT, 0, min, max, desc}

static const SchemaKey root_keys[] = {
	SUB("header", false, SV_TABLE, SK_HEADER,
	    "The output's C header: its path, guard, license and comments "
	    "(one per output)."),
	SUB("abi", false, SV_TABLE, SK_UNIT_ABI, "Settings of the whole output."),
	SUB("includes", false, SV_TABLES, SK_INCLUDE, "Names used from other outputs."),
	SUB("consts", false, SV_TABLES, SK_CONST, "Constants."),
	SUB("aliases", false, SV_TABLES, SK_ALIAS, "Type aliases."),
	SUB("enums", false, SV_TABLES, SK_ENUM, "Enumerations."),
	SUB("bitmaps", false, SV_TABLES, SK_BITMAP, "Bitmaps (sets of flags)."),
	SUB("structs", false, SV_TABLES, SK_STRUCT, "Structs."),
	SUB("unions", false, SV_TABLES, SK_UNION, "Unions."),
	SUB("macros", false, SV_TABLES, SK_MACRO, "Function-like macros."),
	SUB("handles", false, SV_TABLES, SK_HANDLE,
	    "Guest handle definitions (DEFINE_XEN_GUEST_HANDLE)."),
	SUB("xmacros", false, SV_TABLES, SK_XMACRO, "X-macro lists."),
	SUB("rings", false, SV_TABLES, SK_RING,
	    "Shared rings (DEFINE_RING_TYPES)."),
	KEY("items", false, SV_ITEMS,
	    "Items of any kind, in the order the C header declares them: each "
	    "names its kind with a key (const, alias, enum, bitmap, struct, "
	    "union, macro, handle, xmacro, ring, include, error or verbatim)."),
};

static const SchemaKey header_keys[] = {
	{"path", 4, false, SV_STRING, 0, 1, 0,
	 "The header's path under the output directory, e.g. "
	 "\"arch-x86/xen.h\" (default: the output's name and \".h\")."},
	KEY("guard", false, SV_IDENT,
	    "The include guard macro (default __XEN_AUTOGEN_<NAME>_H)."),
	KEY("unguarded", false, SV_BOOL,
	    "No include guard: the header may be included again (an X-macro "
	    "list), or its includers guard it."),
	{"spdx", 4, false, SV_STRING, 0, 1, 0,
	 "An SPDX license expression: the first line is "
	 "/* SPDX-License-Identifier: <spdx> */."},
	KEY("notice", false, SV_TEXT,
	    "A leading comment block (copyright lines)."),
	KEY("description", false, SV_TEXT,
	    "What the header is for, as a comment after the notice."),
	KEY("assembly", false, SV_BOOL,
	    "The header may be included by assembler: its C declarations go "
	    "under #ifndef __ASSEMBLY__."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which builds, the whole content exists."),
};

static const SchemaKey include_item_keys[] = {
	{"include", 7, true, SV_STRING, 0, 1, 0,
	 "The header to #include, relative to this one (\"xen.h\", "
	 "\"../xen.h\"), or <name.h>."},
	KEY("before_guard", false, SV_BOOL,
	    "Before the include guard rather than in order."),
	KEY("description", false, SV_TEXT, "Why, as a comment."),
	SUB("only", false, SV_TABLE, SK_ONLY, "When the header is included."),
};

static const SchemaKey error_keys[] = {
	{"error", 5, true, SV_STRING, 0, 1, 0, "The message of the #error."},
	KEY("description", false, SV_TEXT, "Why, as a comment."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "When the #error fires (required: a header that always fails is "
	    "of no use)."),
};

static const SchemaKey verbatim_keys[] = {
	KEY("verbatim", true, SV_STRING,
	    "C text written as it is, in place (a last resort, for code rather "
	    "than ABI data)."),
	KEY("rust", false, SV_STRING, "Rust text written as it is."),
	KEY("description", false, SV_TEXT, "What the text is, as a comment."),
	SUB("only", false, SV_TABLE, SK_ONLY, "When the text applies."),
};

static const SchemaKey unit_abi_keys[] = {
	KEY("invariant", false, SV_BOOL,
	    "Every struct of this output must have the same layout on every "
	    "target."),
	SUB("bump", false, SV_TABLES, SK_BUMP,
	    "Version-bump rules: a change of the layout of these types must "
	    "come with a new value of a version constant (xenbindgen diff)."),
};

static const SchemaKey bump_keys[] = {
	KEY("constant", true, SV_CNAME,
	    "The version constant that must change, e.g. "
	    "XEN_DOMCTL_INTERFACE_VERSION."),
	KEY("types", true, SV_STRINGS,
	    "The types it versions: names, or patterns where '*' matches any "
	    "run of characters (\"xen_domctl_*\")."),
	KEY("description", false, SV_TEXT, "Why, for the reviewer."),
};

static const SchemaKey include_keys[] = {
	{"from", 4, true, SV_STRING, 0, 1, 0,
	 "The output (directory) to import from, e.g. \"xen\" or \"io/ring\", "
	 "or \"arch\" for the per-architecture directory."},
	KEY("imports", true, SV_STRINGS, "The names imported."),
	KEY("via", false, SV_STRING,
	    "The C header gets these names through the header of this output, "
	    "which it includes and which imports them from the same place: no "
	    "#include of their own (as Xen's sched.h has xen.h through "
	    "event_channel.h)."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "The architectures (archs, targets, not_targets) where the names "
	    "are used; from \"arch\", only their directories must define "
	    "them."),
	KEY("by_includer", false, SV_BOOL,
	    "true: no #include; the header's includers bring these names "
	    "first (as Xen's arch-x86/xen-mca.h uses xen.h's domid_t)."),
};

static const SchemaKey const_keys[] = {
	KEY("name", true, SV_CNAME, "The macro's name."),
	KEY("value", false, SV_VALUE,
	    "The value: an integer, or an expression in C's syntax, written "
	    "so in C (\"EVTCHN_FIFO_PRIORITY_MIN + 1\", \"1U << 0\")."),
	{"string", 6, false, SV_STRING, 0, 0, 0,
	 "Instead of a value: the text of a string macro."},
	KEY("alias", false, SV_IDENT,
	    "Instead of a value: another name this macro stands for (a "
	    "constant, macro, type or member)."),
	KEY("c_only", false, SV_BOOL,
	    "alias: the name is defined outside the specs; it is not "
	    "checked."),
	KEY("typ", false, SV_CONST_TYPE,
	    "An integer type: an integer value must fit it, an expression "
	    "must have it as its C type."),
	KEY("description", true, SV_TEXT, "What the constant means."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the constant exists."),
	SUB("c", false, SV_TABLE, SK_C, "How the constant is written in C."),
};

static const SchemaKey alias_keys[] = {
	KEY("name", true, SV_CNAME, "The typedef's name."),
	KEY("typ", true, SV_ALIAS_TYPE,
	    "The aliased type, or one type per architecture."),
	KEY("description", true, SV_TEXT, "What the type is for."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the alias exists."),
	SUB("c", false, SV_TABLE, SK_C, "How the alias is written in C."),
	SUB("abi", false, SV_TABLE, SK_ABI,
	    "ABI rules the alias is exempt from, and why."),
};

static const SchemaKey enum_keys[] = {
	KEY("name", true, SV_CNAME, "The enum's name."),
	KEY("description", true, SV_TEXT, "What the values stand for."),
	KEY("typ", true, SV_ENUM_TYPE, "The backing integer type."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the enum exists."),
	SUB("c", false, SV_TABLE, SK_C, "How the enum is written in C."),
	SUB("variants", false, SV_TABLES, SK_VARIANT, "The named values."),
};

static const SchemaKey variant_keys[] = {
	KEY("name", true, SV_IDENT,
	    "The variant's name; in C, it follows the enum's prefix."),
	KEY("value", true, SV_INT, "The value; must fit the enum's type."),
	KEY("compat", false, SV_STRINGS, "Old C names kept as aliases."),
	SUB("c", false, SV_TABLE, SK_MEMBER_C, "How the value is written in C."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which builds, the value exists."),
	KEY("description", false, SV_TEXT, "What the value means."),
};

static const SchemaKey bitmap_keys[] = {
	KEY("name", true, SV_CNAME, "The bitmap's name."),
	KEY("description", true, SV_TEXT, "What the flags are for."),
	KEY("typ", true, SV_BITMAP_TYPE, "The backing unsigned integer type."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the bitmap exists."),
	SUB("c", false, SV_TABLE, SK_C, "How the bitmap is written in C."),
	SUB("bits", false, SV_TABLES, SK_BIT,
	    "The bits; the others are reserved (zero)."),
};

static const SchemaKey bit_keys[] = {
	KEY("name", true, SV_IDENT,
	    "The bit's name; in C, it follows the bitmap's prefix."),
	RANGE("shift", true, 0, 63,
	    "The bit's position (below the width of the bitmap's type)."),
	RANGE("width", false, 1, 64, "A field of this many bits (default 1)."),
	KEY("bit_number", false, SV_BOOL,
	    "Also #define _NAME as the bit's number (default: the bitmap's "
	    "c.bit_numbers)."),
	KEY("compat", false, SV_STRINGS, "Old C names kept as aliases."),
	SUB("c", false, SV_TABLE, SK_MEMBER_C, "How the bit is written in C."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which builds, the bit exists."),
	KEY("description", false, SV_TEXT, "What the bit means."),
};

static const SchemaKey struct_keys[] = {
	KEY("name", true, SV_CNAME, "The struct's name: struct <name> in C."),
	SUB("op", false, SV_TABLE, SK_OP,
	    "The hypercall sub-op this struct is the argument of."),
	KEY("description", true, SV_TEXT, "What the struct is for."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the struct exists."),
	SUB("c", false, SV_TABLE, SK_C, "How the struct is written in C."),
	SUB("abi", false, SV_TABLE, SK_ABI,
	    "ABI rules the struct is exempt from, and why."),
	SUB("compat", false, SV_WORD, SW_COMPAT,
	    "How Xen's hypervisor handles the struct for 32-bit guests: "
	    "\"check\" (CHECK_ macro: the same layout) or \"translate\" "
	    "(XLAT_ macro); replaces xen/include/xlat.lst."),
	SUB("fields", false, SV_TABLES, SK_FIELD, "The fields, in memory order."),
};

static const SchemaKey union_keys[] = {
	KEY("name", true, SV_CNAME, "The union's name: union <name> in C."),
	KEY("description", true, SV_TEXT, "What the union is for."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the union exists."),
	SUB("c", false, SV_TABLE, SK_C, "How the union is written in C."),
	SUB("abi", false, SV_TABLE, SK_ABI,
	    "ABI rules the union is exempt from, and why."),
	SUB("compat", false, SV_WORD, SW_COMPAT,
	    "How Xen's hypervisor handles the union for 32-bit guests: "
	    "\"check\" or \"translate\", as for a struct."),
	SUB("fields", false, SV_TABLES, SK_FIELD, "The members."),
};

static const SchemaKey op_keys[] = {
	KEY("family", true, SV_IDENT, "The hypercall family, e.g. \"domctl\"."),
	RANGE("cmd", false, 0, UINT32_MAX,
	      "The sub-op number (required unless name is a constant "
	      "defined elsewhere in the specs)."),
	KEY("name", false, SV_IDENT,
	    "The C constant (default XEN_<FAMILY>_<name without "
	    "xen_<family>_>); without cmd, a constant or enumerator "
	    "defined elsewhere, whose value is the sub-op number."),
	KEY("also", false, SV_STRINGS,
	    "The other sub-ops that take the struct: constants or "
	    "enumerators defined elsewhere."),
};

/* A field's name is not required by the table: an inline struct or union
 * may be anonymous, which the decoder checks once it knows the type. */
static const SchemaKey field_keys[] = {
	KEY("name", false, SV_CNAME,
	    "The field's name; only a field of an inline struct or union type "
	    "may have none (its members are then members of the enclosing "
	    "type)."),
	KEY("tag", false, SV_STRING,
	    "Names the field that selects the member of this (inline) union."),
	KEY("when", false, SV_TAG_VALUES,
	    "In a tagged union: the tag value(s) that select this member "
	    "(integers, or names of constants or variants)."),
	KEY("typ", false, SV_TYPE,
	    "The field's type; required, but in a field joined (c.join) to "
	    "the one before it, which then shares that field's type (an "
	    "inline struct declared once for both)."),
	RANGE("bits", false, 1, 64, "A bitfield of this many bits."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the field exists."),
	SUB("c", false, SV_TABLE, SK_FIELD_C, "How the field is written in C."),
	KEY("description", false, SV_TEXT, "What the field holds."),
};

static const SchemaKey only_keys[] = {
	SUB("archs", false, SV_WORDS, SW_ARCHS, "Only on these architectures."),
	SUB("targets", false, SV_WORDS, SW_TARGETS, "Only on these targets."),
	SUB("not_targets", false, SV_WORDS, SW_TARGETS, "Not on these targets."),
	KEY("tools", false, SV_BOOL,
	    "true: only for the toolstack and the hypervisor (#if "
	    "defined(__XEN__) || defined(__XEN_TOOLS__)); false: only outside "
	    "them, for guests (not laid out)."),
	KEY("hypervisor", false, SV_BOOL,
	    "true: only for the hypervisor itself (#if defined(__XEN__)); "
	    "false: only outside it (not laid out)."),
	RANGE("since", false, 1, UINT32_MAX, "From this interface version on."),
	RANGE("until", false, 1, UINT32_MAX, "Below this interface version."),
	KEY("assembly", false, SV_BOOL,
	    "Only when assembling (true: #if defined(__ASSEMBLY__)) or only in "
	    "C (false)."),
	KEY("defined", false, SV_STRINGS,
	    "Only when these configuration macros are defined."),
	KEY("not_defined", false, SV_STRINGS,
	    "Only when these configuration macros are not defined."),
	{"c_if", 4, false, SV_STRING, 0, 1, 0,
	 "A raw C preprocessor condition, for what no other key says (a last "
	 "resort)."},
};

static const SchemaKey c_keys[] = {
	KEY("prefix", false, SV_STRING,
	    "Prefix of the C names of the members (default: the item's name "
	    "in upper case, and '_')."),
	SUB("case", false, SV_WORD, SW_CASES,
	    "\"keep\": member names keep their case in C; \"upper\" (default): "
	    "upper case."),
	KEY("typedef", false, SV_STRING, "Also declare this typedef name."),
	KEY("handle", false, SV_BOOL,
	    "Also DEFINE_XEN_GUEST_HANDLE for the type."),
	KEY("typedef_decl", false, SV_BOOL,
	    "Structs, unions: the typedef in the type's own declaration "
	    "(typedef struct name { ... } name_t;)."),
	KEY("defines", false, SV_BOOL,
	    "Enums: #define constants instead of a C enum."),
	KEY("bit_numbers", false, SV_BOOL,
	    "Bitmaps: also #define _NAME as each bit's number."),
	KEY("hex", false, SV_BOOL, "Constants and enum values in hex."),
	KEY("accessors", false, SV_BOOL,
	    "Bitmaps: multi-bit fields also get NAME_shift and an accessor "
	    "NAME(v)."),
	KEY("all", false, SV_STRING,
	    "Bitmaps: the name of the mask of all bits (\"\" for none)."),
	KEY("compat", false, SV_STRINGS, "Old C names kept as #define aliases."),
};

static const SchemaKey abi_keys[] = {
	{"waive", 5, true, SV_WORDS, SW_WAIVERS, 1, 0,
	 "ABI rules this item is exempt from."},
	{"reason", 6, true, SV_STRING, 0, 1, 0, "Why (shown by validate)."},
};

/* The keys are the architecture names of spec.c (the JSON Schema's
 * generator checks that they are). */
static const SchemaKey arch_type_keys[] = {
	KEY("x86", false, SV_TYPE, "The type on x86 (x86_32 and x86_64)."),
	KEY("arm", false, SV_TYPE, "The type on Arm (arm32 and arm64)."),
	KEY("riscv", false, SV_TYPE, "The type on RISC-V."),
	KEY("ppc", false, SV_TYPE, "The type on PowerPC."),
};

static const SchemaKey macro_keys[] = {
	KEY("name", true, SV_CNAME, "The macro's name."),
	KEY("params", true, SV_STRINGS, "The names of its parameters."),
	{"expr", 4, true, SV_STRING, 0, 1, 0,
	 "Its body: an expression in C's syntax over the parameters."},
	KEY("description", true, SV_TEXT, "What the macro computes."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the macro exists."),
};

static const SchemaKey handle_keys[] = {
	KEY("name", true, SV_IDENT,
	    "The handle's name: DEFINE_XEN_GUEST_HANDLE(name) declares "
	    "XEN_GUEST_HANDLE(name)."),
	KEY("type", false, SV_TYPE,
	    "The type it points to (default: the type the name names)."),
	KEY("raw", false, SV_BOOL,
	    "__DEFINE_XEN_GUEST_HANDLE(name, type): a handle named apart from "
	    "its type (\"uint8\" for uint8_t)."),
	KEY("description", false, SV_TEXT, "What the handle is for."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the handle exists."),
};

static const SchemaKey xmacro_keys[] = {
	KEY("name", true, SV_CNAME,
	    "The macro each entry calls: XEN_ERRNO(EPERM, 1)."),
	KEY("params", true, SV_STRINGS, "The names of its parameters."),
	KEY("description", true, SV_TEXT, "What the list is."),
	SUB("enum", false, SV_TABLE, SK_XENUM,
	    "The enum the header declares from the list by default: a "
	    "variant per entry, named by its first argument, of the value of "
	    "its second."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the list exists."),
	SUB("entries", false, SV_TABLES, SK_XENTRY, "The entries, in order."),
};

static const SchemaKey xentry_keys[] = {
	KEY("args", true, SV_STRINGS, "The arguments, as C text."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which builds, the entry exists."),
	KEY("description", false, SV_TEXT, "What the entry means."),
};

static const SchemaKey xenum_keys[] = {
	KEY("name", true, SV_CNAME, "The enum's name (for Rust and layouts)."),
	KEY("prefix", false, SV_STRING,
	    "What C puts before each entry's name (XEN_ for XEN_EPERM)."),
	KEY("typ", false, SV_ENUM_TYPE, "The backing integer type (default i32)."),
};

static const SchemaKey ring_keys[] = {
	KEY("name", true, SV_CNAME,
	    "The ring's name: DEFINE_RING_TYPES(name, ...) makes name_sring, "
	    "name_front_ring and name_back_ring."),
	KEY("request", true, SV_TYPE, "The request type."),
	KEY("response", true, SV_TYPE, "The response type."),
	KEY("flex", false, SV_BOOL,
	    "The ring is a flexible array (Xen 4.19 and later); false "
	    "(default): ring[1], as in Xen 4.17's io/ring.h."),
	KEY("description", true, SV_TEXT, "What the ring carries."),
	SUB("only", false, SV_TABLE, SK_ONLY,
	    "Where, or for which interface versions, the ring exists."),
};

static const SchemaKey field_c_keys[] = {
	{"decl", 4, false, SV_STRING, 0, 1, 0,
	 "C text written for the member instead of its declaration "
	 "(\"__DECL_REG_LOHI(a);\"); its typ is still laid out."},
	KEY("join", false, SV_BOOL,
	    "Declared in the declaration of the field before it, as in "
	    "`uint16_t ss, _pad1;` (same element type, no conditions)."),
	KEY("declare", false, SV_BOOL,
	    "The field's struct or union (a named one of this unit, with no "
	    "typedef, op or condition of its own) is declared in the member, "
	    "`union name { ... } u;`, as Xen declares some nested types."),
	KEY("flex", false, SV_STRING,
	    "How C writes the dimension of a flexible array field: "
	    "\"XEN_FLEX_ARRAY_DIM\" (the default) or \"[]\" (C99's, as "
	    "Xen's trace.h writes t_info.mfn_offset)."),
};

static const SchemaKey member_c_keys[] = {
	KEY("value", true, SV_VALUE,
	    "C's spelling of the value (\"1\" where the default is "
	    "\"(1U << 0)\"); it must have the same value."),
};

#define TABLE(keys) keys, ARRAY_LEN(keys)

const SchemaTable schema_tables[NSCHEMAKINDS] = {
	[SK_ROOT] = {"spec file", NULL,
		     "One spec file of xenbindgen (TOML, YAML or JSON): the items "
		     "of one output. See docs/spec-language.md.",
		     TABLE(root_keys)},
	[SK_UNIT_ABI] = {"abi", "unitAbi", "Settings of the whole output.",
			 TABLE(unit_abi_keys)},
	[SK_INCLUDE] = {"include", "include",
			"Names this output uses from another one.",
			TABLE(include_keys)},
	[SK_CONST] = {"const", "const", "A constant (#define).",
		      TABLE(const_keys)},
	[SK_ALIAS] = {"alias", "alias", "A type alias (typedef).",
		      TABLE(alias_keys)},
	[SK_ENUM] = {"enum", "enum", "An enumeration with a fixed backing type.",
		     TABLE(enum_keys)},
	[SK_VARIANT] = {"variant", "variant", "A named value of an enum.",
			TABLE(variant_keys)},
	[SK_BITMAP] = {"bitmap", "bitmap",
		       "A set of flags in an unsigned integer.",
		       TABLE(bitmap_keys)},
	[SK_BIT] = {"bit", "bit", "A bit (or a multi-bit field) of a bitmap.",
		    TABLE(bit_keys)},
	[SK_STRUCT] = {"struct", "struct", "A struct.", TABLE(struct_keys)},
	[SK_UNION] = {"union", "union", "A union.", TABLE(union_keys)},
	[SK_OP] = {"op", "op",
		   "The hypercall sub-op a struct is the argument of.",
		   TABLE(op_keys)},
	[SK_FIELD] = {"field", "field",
		      "A field of a struct or union; only an inline struct or "
		      "union may be anonymous (no name).",
		      TABLE(field_keys)},
	[SK_ONLY] = {"only", "only",
		     "A condition: where, or for which interface versions, "
		     "this exists.",
		     TABLE(only_keys)},
	[SK_C] = {"c", "cNames", "How the item is named and written in C.",
		  TABLE(c_keys)},
	[SK_ABI] = {"abi", "itemAbi", "ABI rule waivers.", TABLE(abi_keys)},
	[SK_ARCH_TYPES] = {"per-architecture type", "archTypes",
			   "One type per architecture: { x86 = \"ulong\", arm = "
			   "\"uint64_t\" }.",
			   TABLE(arch_type_keys)},
	[SK_MACRO] = {"macro", "macro",
		      "A function-like macro: #define NAME(params) (expr).",
		      TABLE(macro_keys)},
	[SK_HANDLE] = {"handle", "handle",
		       "A guest handle: DEFINE_XEN_GUEST_HANDLE(name).",
		       TABLE(handle_keys)},
	[SK_XMACRO] = {"xmacro", "xmacro",
		       "An X-macro list: a line NAME(args) per entry.",
		       TABLE(xmacro_keys)},
	[SK_XENTRY] = {"entry", "xmacroEntry", "An entry of an X-macro list.",
		       TABLE(xentry_keys)},
	[SK_XENUM] = {"xmacro enum", "xmacroEnum",
		      "The enum an X-macro list declares by default.",
		      TABLE(xenum_keys)},
	[SK_RING] = {"ring", "ring",
		     "A shared ring: DEFINE_RING_TYPES(name, request, response).",
		     TABLE(ring_keys)},
	[SK_FIELD_C] = {"field c", "fieldC", "How a field is written in C.",
			TABLE(field_c_keys)},
	[SK_MEMBER_C] = {"member c", "memberC",
			 "How an enum variant or a bit is written in C.",
			 TABLE(member_c_keys)},
	[SK_HEADER] = {"header", "header",
		       "The output's C header: path, include guard, license, "
		       "comments and a condition on the whole content.",
		       TABLE(header_keys)},
	[SK_INCLUDE_ITEM] = {"include item", "includeItem",
			     "An #include, in order.", TABLE(include_item_keys)},
	[SK_ERROR] = {"error", "error",
		      "An #error under a condition: the header refuses that "
		      "build.", TABLE(error_keys)},
	[SK_VERBATIM] = {"verbatim", "verbatim",
			 "Text written as it is, in place: a last resort for "
			 "code rather than ABI data.", TABLE(verbatim_keys)},
	[SK_BUMP] = {"bump", "bump",
		     "A version-bump rule: changing the layout of these types "
		     "needs a new value of this constant.", TABLE(bump_keys)},
};

/* The kinds of an `items` list, by their key (SW_ITEM_KINDS). */
static const char *const item_kinds[] = {
	"const", "alias", "enum", "bitmap", "struct", "union", "macro",
	"handle", "xmacro", "ring", "include", "error", "verbatim",
};
static const SchemaKind item_kind_tables[] = {
	SK_CONST, SK_ALIAS, SK_ENUM, SK_BITMAP, SK_STRUCT, SK_UNION,
	SK_MACRO, SK_HANDLE, SK_XMACRO, SK_RING, SK_INCLUDE_ITEM, SK_ERROR,
	SK_VERBATIM,
};
_Static_assert(ARRAY_LEN(item_kinds) == ARRAY_LEN(item_kind_tables),
	       "item_kinds[] and item_kind_tables[] disagree");

SchemaKind schema_item_kind(size_t i)
{
	return i < ARRAY_LEN(item_kind_tables) ? item_kind_tables[i] : SK_ROOT;
}

int schema_entry_kind(const DocNode *t, uint32_t *key1, uint32_t *key2)
{
	int w = -1, k;
	uint32_t j;
	for (j = 0; j < t->u.table.n; j++) {
		const DocEntry *e = &t->u.table.v[j];
		k = schema_word_find(SW_ITEM_KINDS, e->key, e->keylen);
		if (k < 0)
			continue;
		if (w >= 0 && schema_key(item_kind_tables[w], e->key, e->keylen))
			continue; /* a key of the first kind's table */
		if (w >= 0 && !schema_key(item_kind_tables[k],
					  t->u.table.v[*key1].key,
					  t->u.table.v[*key1].keylen)) {
			*key2 = j;
			return -2;
		}
		/* the first, or the first was a key of this kind's table */
		w = k;
		*key1 = j;
	}
	return w;
}

const SchemaKey *schema_key(SchemaKind k, const char *key, size_t len)
{
	const SchemaTable *t = &schema_tables[k];
	size_t i;
	/* every table of every spec comes here for each of its keys: the
	 * lengths are in the table, not counted again */
	for (i = 0; i < t->nkeys; i++)
		if (t->keys[i].len == len && memcmp(t->keys[i].key, key, len) == 0)
			return &t->keys[i];
	return NULL;
}

const SchemaKey *schema_key_as(SchemaKind k, const char *name_key,
			       const char *key, size_t len)
{
	/* the new kinds (include, error, verbatim) are named by their own
	 * first key, and have no `name` */
	if (!name_key || strcmp(name_key, "name") == 0 ||
	    !schema_key(k, "name", 4))
		return schema_key(k, key, len);
	if (strlen(name_key) == len && memcmp(name_key, key, len) == 0)
		return schema_key(k, "name", 4);
	if (len == 4 && memcmp(key, "name", 4) == 0)
		return NULL;
	return schema_key(k, key, len);
}

/* Required keys before optional ones, and in each group the name and the
 * description first: a misspelt key is more likely one that is needed,
 * and a table is known by its name. */
size_t schema_check_order(SchemaKind k, const SchemaKey **out)
{
	const SchemaTable *t = &schema_tables[k];
	size_t n = 0, i;
	int rank;
	for (rank = 0; rank < 6; rank++) {
		for (i = 0; i < t->nkeys; i++) {
			const SchemaKey *key = &t->keys[i];
			int r = key->required ? 0 : 3;
			if (strcmp(key->key, "name") != 0)
				r += strcmp(key->key, "description") == 0 ? 1 : 2;
			if (r == rank)
				out[n++] = key;
		}
	}
	return n;
}

/* ---- Words --------------------------------------------------------------- */

/* The bits of WAIVE_* are 1 << the index of their rule here. */
static const char *const waivers[] = {"identity", "padding", "alignment"};
_Static_assert(WAIVE_IDENTITY == 1 << 0 && WAIVE_PADDING == 1 << 1 &&
	       WAIVE_ALIGNMENT == 1 << 2, "WAIVE_* and waivers[] disagree");
static const char *const cases[] = {"keep", "upper"};
/* index i is COMPAT_* i + 1 */
static const char *const compat_modes[] = {"check", "translate"};
_Static_assert(COMPAT_CHECK == 1 && COMPAT_TRANSLATE == 2,
	       "COMPAT_* and compat_modes[] disagree");
static const char *const ctors[NCTORS] = {
	[CTOR_PTR] = "ptr",       [CTOR_HANDLE] = "handle",
	[CTOR_CPTR] = "cptr",     [CTOR_ARRAY] = "array",
	[CTOR_STRUCT] = "struct", [CTOR_UNION] = "union",
	[CTOR_ENUM] = "enum",     [CTOR_BITMAP] = "bitmap",
	[CTOR_TYPE] = "type",
};

const char *schema_word(SchemaWords set, size_t i)
{
	switch (set) {
	case SW_ARCHS: return i < NARCH ? arch_name((int)i) : NULL;
	case SW_TARGETS: return i < NTARGETS ? targets[i].name : NULL;
	case SW_WAIVERS: return i < ARRAY_LEN(waivers) ? waivers[i] : NULL;
	case SW_CASES: return i < ARRAY_LEN(cases) ? cases[i] : NULL;
	case SW_COMPAT:
		return i < ARRAY_LEN(compat_modes) ? compat_modes[i] : NULL;
	case SW_CTORS: return i < NCTORS ? ctors[i] : NULL;
	case SW_ITEM_KINDS:
		return i < ARRAY_LEN(item_kinds) ? item_kinds[i] : NULL;
	}
	return NULL;
}

int schema_word_find(SchemaWords set, const char *s, size_t len)
{
	const char *w;
	size_t i;
	/* constructors are looked up for every type of every field: straight
	 * from their array, not through schema_word()'s switch */
	if (set == SW_CTORS) {
		for (i = 0; i < NCTORS; i++)
			if (ctors[i][0] == (len ? s[0] : '\0') &&
			    strlen(ctors[i]) == len && memcmp(ctors[i], s, len) == 0)
				return (int)i;
		return -1;
	}
	for (i = 0; (w = schema_word(set, i)) != NULL; i++)
		if (len && w[0] == s[0] && strlen(w) == len &&
		    memcmp(w, s, len) == 0)
			return (int)i;
	return -1;
}

/* Within two edits, and one for words under eight characters; of equally
 * close words, the first wins. */
const char *schema_closest(const char *word, const char *const *words,
			   size_t n)
{
	const char *best = NULL;
	size_t best_d = strlen(word) / 4, i;
	if (best_d < 1)
		best_d = 1;
	if (best_d > 2)
		best_d = 2;
	for (i = 0; i < n; i++) {
		size_t dist = edit_distance(word, words[i], best_d);
		if (dist <= best_d && (!best || dist < best_d)) {
			best = words[i];
			best_d = dist;
		}
	}
	return best;
}
