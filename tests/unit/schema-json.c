/*
 * schema-json - write the JSON Schema of the spec language, generated from
 * the schema table (src/model/schema.c).
 *
 *   schema-json           the JSON Schema (docs/xenbindgen.schema.json)
 *   schema-json --table   the table itself, as JSON, for the test suite
 *
 * `make schema` writes docs/xenbindgen.schema.json with it, and the test
 * schema/generated fails when the committed file is not what it writes.
 *
 * Every table of the language becomes a definition whose properties are
 * the table's keys, with the table's descriptions.  The values that are
 * not tables (names, types, conditions' words) have fixed definitions,
 * written below from the tool's own lists: the primitives (spec.c), the
 * type constructors and words (schema.c), the targets (target.c) and the
 * limits (base.h).  Only the C and C++ keywords are listed here (base/
 * keeps its list to itself); each is checked to be one.
 */
#include "model/model.h"
#include "tools/tools.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Arena A;

#define IDENT_PATTERN "^[A-Za-z_][A-Za-z0-9_]*$"

static const char *const keywords[] = {
	"_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex",
	"_Decimal128", "_Decimal32", "_Decimal64", "_Generic", "_Imaginary",
	"_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof",
	"and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
	"case", "catch", "char", "char16_t", "char32_t", "char8_t", "class",
	"co_await", "co_return", "co_yield", "compl", "concept", "const",
	"const_cast", "consteval", "constexpr", "constinit", "continue",
	"decltype", "default", "delete", "do", "double", "dynamic_cast",
	"else", "enum", "explicit", "export", "extern", "false", "float",
	"for", "friend", "goto", "if", "inline", "int", "long", "mutable",
	"namespace", "new", "noexcept", "not", "not_eq", "nullptr",
	"operator", "or", "or_eq", "private", "protected", "public",
	"register", "reinterpret_cast", "requires", "restrict", "return",
	"short", "signed", "sizeof", "static", "static_assert", "static_cast",
	"struct", "switch", "template", "this", "thread_local", "throw",
	"true", "try", "typedef", "typeid", "typename", "typeof",
	"typeof_unqual", "union", "unsigned", "using", "virtual", "void",
	"volatile", "wchar_t", "while", "xor", "xor_eq",
};

/* What each type constructor makes, for the alternatives of "type". */
static const char *const ctor_desc[NCTORS] = {
	[CTOR_PTR] = "A 64-bit guest handle (XEN_GUEST_HANDLE_64).",
	[CTOR_HANDLE] = "A native-width guest handle (XEN_GUEST_HANDLE).",
	[CTOR_CPTR] = "A plain C pointer (T *), as in a few old guest structs: "
		      "pointer-sized.",
	[CTOR_ARRAY] = "An array.",
	[CTOR_STRUCT] = "A struct by name, or an inline anonymous struct given "
			"by its fields.",
	[CTOR_UNION] = "A union by name, or an inline anonymous union given by "
		       "its fields.",
	[CTOR_ENUM] = "An enum by name.",
	[CTOR_BITMAP] = "A bitmap by name.",
	[CTOR_TYPE] = "Any named type.",
};

/* ---- Building JSON ---------------------------------------------------------- */

static DocNode *str(const char *s)
{
	return doc_new_string(&A, NO_LOC, s, strlen(s));
}

static DocNode *num(int64_t v)
{
	DocNode *n = doc_new(&A, DOC_INTEGER, NO_LOC);
	n->u.i = v;
	return n;
}

static DocNode *boolean(bool b)
{
	DocNode *n = doc_new(&A, DOC_BOOL, NO_LOC);
	n->u.b = b;
	return n;
}

static void put(DocNode *obj, const char *key, DocNode *v)
{
	doc_table_add(&A, obj, key, strlen(key), NO_LOC, v);
}

static DocNode *new_obj(void)
{
	return doc_new(&A, DOC_TABLE, NO_LOC);
}

static DocNode *new_arr(void)
{
	return doc_new(&A, DOC_ARRAY, NO_LOC);
}

/* OBJ("key", value, "key", value, ...): a null key ends the list. */
#define OBJ(...) obj(__VA_ARGS__, (const char *)NULL)
static DocNode *obj(const char *key, ...)
{
	DocNode *o = new_obj();
	va_list ap;
	va_start(ap, key);
	for (; key; key = va_arg(ap, const char *))
		put(o, key, va_arg(ap, DocNode *));
	va_end(ap);
	return o;
}

/* ARR(value, ...): a null value ends the list. */
#define ARR(...) arr(__VA_ARGS__, (DocNode *)NULL)
static DocNode *arr(DocNode *v, ...)
{
	DocNode *a = new_arr();
	va_list ap;
	va_start(ap, v);
	for (; v; v = va_arg(ap, DocNode *))
		doc_array_push(&A, a, v);
	va_end(ap);
	return a;
}

static DocNode *ref(const char *def)
{
	Buf b = {0};
	DocNode *n;
	buf_printf(&b, "#/definitions/%s", def);
	n = OBJ("$ref", str(buf_cstr(&b)));
	buf_free(&b);
	return n;
}

/* A definition with a description of its own where a key uses it: in
 * draft-07, keywords beside "$ref" are ignored. */
static DocNode *ref_described(const char *def, const char *desc)
{
	return OBJ("description", str(desc), "allOf", ARR(ref(def)));
}

static DocNode *words(SchemaWords set)
{
	DocNode *a = new_arr();
	const char *w;
	size_t i;
	for (i = 0; (w = schema_word(set, i)) != NULL; i++)
		doc_array_push(&A, a, str(w));
	return a;
}

/* {"type": "object", "properties": {key: v}, "additionalProperties":
 * false, "required": [key]}: a table of exactly one key. */
static DocNode *one_key(const char *key, DocNode *v)
{
	return OBJ("type", str("object"), "properties", OBJ(key, v),
		   "additionalProperties", boolean(false),
		   "required", ARR(str(key)));
}

/* `const` beside ptr, handle or cptr: a pointer or handle to const. */
static DocNode *const_key(void)
{
	return OBJ("type", str("boolean"),
		   "description", str("Points to const: XEN_GUEST_HANDLE(const_uint8), "
				      "const char *."));
}

/* ---- The fixed definitions -------------------------------------------------- */

/* The primitives of a backing or constant type: u8..u64 and i8..i64
 * (signed only if signed_ok). */
static DocNode *int_type(bool signed_ok, const char *desc)
{
	DocNode *e = new_arr(), *tag = new_arr();
	int p;
	for (p = 0; p < NPRIMS; p++) {
		if (!prim_is_integer((Prim)p) ||
		    (!signed_ok && prim_is_signed((Prim)p)))
			continue;
		doc_array_push(&A, e, str(prim_name((Prim)p)));
		doc_array_push(&A, tag, str(prim_name((Prim)p)));
	}
	return OBJ("anyOf", ARR(OBJ("enum", e),
				one_key("tag", OBJ("enum", tag))),
		   "description", str(desc));
}

/* struct, union, enum, bitmap and type take a name (struct and union
 * also a list of fields); ptr, handle, cptr and array a type. */
static bool ctor_names_a_type(Ctor c)
{
	return c >= CTOR_STRUCT;
}

/* The args of a constructor. */
static DocNode *ctor_args(Ctor c)
{
	switch (c) {
	case CTOR_PTR:
	case CTOR_HANDLE:
	case CTOR_CPTR:
		return ref("pointee");
	case CTOR_ARRAY:
		return ref("arrayArgs");
	case CTOR_STRUCT:
	case CTOR_UNION:
		return OBJ("anyOf", ARR(ref("namedRef"), ref("fieldList")));
	case CTOR_ENUM:
	case CTOR_BITMAP:
	case CTOR_TYPE:
	case NCTORS:
		break;
	}
	return ref("namedRef");
}

static void fixed_definitions(DocNode *defs)
{
	DocNode *kw = new_arr(), *prims = new_arr(), *pointee, *named = new_arr(),
		*type, *tagged_if = new_arr(), *all = words(SW_CTORS);
	Buf b = {0};
	size_t i;
	int c, p;

	buf_printf(&b, "A name: [A-Za-z_][A-Za-z0-9_]*, at most %d characters.",
		   MAX_IDENT_LEN);
	put(defs, "identifier",
	    OBJ("type", str("string"), "pattern", str(IDENT_PATTERN),
		"maxLength", num(MAX_IDENT_LEN), "description", str(buf_cstr(&b))));
	for (i = 0; i < ARRAY_LEN(keywords); i++)
		doc_array_push(&A, kw, str(keywords[i]));
	put(defs, "cName",
	    OBJ("allOf", ARR(ref("identifier"), OBJ("not", OBJ("enum", kw))),
		"description", str("A name used as is in C: an identifier that is "
				   "not a C or C++ keyword.")));
	put(defs, "description",
	    OBJ("type", str("string"),
		"description", str("Free text, copied into the generated code as a "
				   "comment (line breaks kept).")));

	buf_clear(&b);
	buf_puts(&b, "A primitive (");
	for (p = 0; p < NPRIMS; p++) {
		doc_array_push(&A, prims, str(prim_name((Prim)p)));
		buf_printf(&b, "%s%s", p ? ", " : "", prim_name((Prim)p));
	}
	buf_puts(&b, ") or the name of a struct, union, enum, bitmap or alias.");
	put(defs, "typeName",
	    OBJ("type", str("string"), "minLength", num(1),
		"pattern", str("^[^\\u0000]+$"),
		"anyOf", ARR(OBJ("enum", prims),
			     OBJ("pattern", str(IDENT_PATTERN))),
		"description", str(buf_cstr(&b))));
	put(defs, "namedRef",
	    OBJ("type", str("string"), "minLength", num(1),
		"pattern", str("^[^\\u0000]+$"),
		"description", str("The name of a type defined in the specs.")));
	put(defs, "length",
	    OBJ("anyOf", ARR(OBJ("type", str("integer"), "minimum", num(1)),
			     OBJ("type", str("string"), "minLength", num(1),
				 "maxLength", num(MAX_EXPR_LEN))),
		"description", str("An array length: a number (at least 1), or a "
				   "constant's name or an expression such as "
				   "\"XEN_X / 2\" or \"sizeof(xen_ulong_t) * 8\".")));
	put(defs, "arrayArgs",
	    OBJ("type", str("array"),
		"items", ARR(ref("type"), ref("length")),
		"minItems", num(1), "maxItems", num(2),
		"additionalItems", boolean(false),
		"description", str("[element type, length], or [element type] for a "
				   "flexible array member.")));
	put(defs, "fieldList",
	    OBJ("type", str("array"), "items", ref("field"),
		"description", str("Fields, in memory order.")));

	/* what a pointer points to: a primitive or a named type, in either
	 * syntax */
	pointee = ARR(ref("typeName"));
	for (c = 0; c < NCTORS; c++) {
		if (!ctor_names_a_type((Ctor)c))
			continue;
		doc_array_push(&A, pointee,
			       one_key(schema_word(SW_CTORS, (size_t)c), ref("namedRef")));
		doc_array_push(&A, named, str(schema_word(SW_CTORS, (size_t)c)));
	}
	doc_array_push(&A, pointee,
		       OBJ("type", str("object"),
			   "properties", OBJ("tag", OBJ("enum", named),
					     "args", ref("namedRef")),
			   "additionalProperties", boolean(false),
			   "required", ARR(str("tag"), str("args"))));
	doc_array_push(&A, pointee, one_key("tag", ref("typeName")));
	put(defs, "pointee",
	    OBJ("anyOf", pointee,
		"description", str("What a pointer or handle points to: an "
				   "integer, void or a named type.")));

	/* { tag = T, args = A }: the constructors' args, and none for a
	 * primitive or named type */
	for (c = 0; c < NCTORS; c++)
		doc_array_push(&A, tagged_if,
			       OBJ("if", OBJ("properties",
					     OBJ("tag", OBJ("const", str(schema_word(SW_CTORS,
										     (size_t)c))))),
				   "then", OBJ("required", ARR(str("args")),
					       "properties",
					       OBJ("args", ctor_args((Ctor)c)))));
	doc_array_push(&A, tagged_if,
		       OBJ("if", OBJ("properties",
				     OBJ("tag", OBJ("not", OBJ("enum", words(SW_CTORS))))),
			   "then", OBJ("not", OBJ("required", ARR(str("args"))))));
	put(defs, "taggedType",
	    OBJ("type", str("object"), "required", ARR(str("tag")),
		"additionalProperties", boolean(false),
		"properties", OBJ("tag", OBJ("type", str("string"),
					     "anyOf", ARR(OBJ("enum", all),
							  ref("typeName"))),
				  "args", new_obj(), "const", const_key()),
		"description", str("The RFC's adjacently tagged syntax: { tag = "
				   "\"u8\" }, { tag = \"ptr\", args = ... }."),
		"allOf", tagged_if));

	type = ARR(ref("typeName"));
	for (c = 0; c < NCTORS; c++) {
		DocNode *t = one_key(schema_word(SW_CTORS, (size_t)c), ctor_args((Ctor)c));
		if (!ctor_names_a_type((Ctor)c) && c != CTOR_ARRAY)
			/* a pointer or handle to const */
			put(t->u.table.v[1].value, "const", const_key());
		put(t, "description", str(ctor_desc[c]));
		doc_array_push(&A, type, t);
	}
	doc_array_push(&A, type, ref("taggedType"));
	put(defs, "type",
	    OBJ("anyOf", type,
		"description", str("A type: \"u32\", \"domid_t\", { ptr = \"u8\" }, "
				   "{ array = [\"u8\", 16] }, { struct = \"name\" }, "
				   "...")));
	put(defs, "enumType",
	    int_type(true, "The backing integer type of an enum: u8..u64, "
			   "i8..i64 or a C integer type (int, long, ...)."));
	put(defs, "bitmapType",
	    int_type(false, "The backing integer type of a bitmap: u8..u64 "
			    "or an unsigned C integer type."));
	put(defs, "constType",
	    int_type(true, "The type of a constant: u8..u64, i8..i64 or a "
			   "C integer type."));
	put(defs, "aliasType",
	    OBJ("anyOf", ARR(ref("type"), ref(schema_tables[SK_ARCH_TYPES].name)),
		"description", str("The aliased type, or one type per "
				   "architecture.")));
	buf_free(&b);
}

/* ---- The tables ------------------------------------------------------------- */

/* The definition of an `items` entry of the i-th kind: the table of that
 * kind, or for the kinds with a name, "item" and the kind ("itemStruct"),
 * whose kind key replaces `name`. */
static const char *item_def(size_t i)
{
	SchemaKind k = schema_item_kind(i);
	const char *w = schema_word(SW_ITEM_KINDS, i);
	if (!schema_key(k, "name", 4))
		return schema_tables[k].name;
	return arena_printf(&A, "item%c%s", w[0] - 'a' + 'A', w + 1);
}


static DocNode *key_value(const SchemaKey *k)
{
	DocNode *v;
	switch (k->value) {
	case SV_STRING:
		v = OBJ("type", str("string"));
		if (k->min)
			put(v, "minLength", num(k->min));
		break;
	case SV_IDENT: return ref_described("identifier", k->desc);
	case SV_CNAME: return ref_described("cName", k->desc);
	case SV_TEXT: return ref_described("description", k->desc);
	case SV_INT:
		v = OBJ("type", str("integer"));
		if (k->min || k->max) {
			put(v, "minimum", num(k->min));
			put(v, "maximum", num(k->max));
		}
		break;
	case SV_BOOL:
		v = OBJ("type", str("boolean"));
		break;
	case SV_STRINGS:
		v = OBJ("type", str("array"), "items", OBJ("type", str("string")));
		break;
	case SV_WORD:
		v = OBJ("enum", words((SchemaWords)k->sub));
		break;
	case SV_WORDS:
		v = OBJ("type", str("array"),
			"items", OBJ("enum", words((SchemaWords)k->sub)));
		if (k->min)
			put(v, "minItems", num(k->min));
		break;
	case SV_TYPE: return ref_described("type", k->desc);
	case SV_ENUM_TYPE: return ref_described("enumType", k->desc);
	case SV_BITMAP_TYPE: return ref_described("bitmapType", k->desc);
	case SV_CONST_TYPE: return ref_described("constType", k->desc);
	case SV_ALIAS_TYPE: return ref_described("aliasType", k->desc);
	case SV_VALUE: {
		DocNode *n = OBJ("type", str("integer"));
		DocNode *e = OBJ("type", str("string"), "minLength", num(1),
				 "maxLength", num(MAX_VALUE_LEN));
		v = OBJ("anyOf", ARR(n, e));
		break;
	}
	case SV_TAG_VALUES: {
		DocNode *one = OBJ("type", ARR(str("integer"), str("string")));
		DocNode *list = OBJ("type", str("array"),
				    "items", OBJ("type", ARR(str("integer"),
							     str("string"))));
		v = OBJ("anyOf", ARR(one, list));
		break;
	}
	case SV_TABLE:
		return ref_described(schema_tables[k->sub].name, k->desc);
	case SV_TABLES:
		v = OBJ("type", str("array"), "items", ref(schema_tables[k->sub].name));
		break;
	case SV_ITEMS: {
		DocNode *kinds = new_arr();
		const char *w;
		size_t i;
		for (i = 0; (w = schema_word(SW_ITEM_KINDS, i)) != NULL; i++)
			doc_array_push(&A, kinds, ref(item_def(i)));
		v = OBJ("type", str("array"), "items", OBJ("anyOf", kinds));
		break;
	}
	default:
		fprintf(stderr, "schema-json: key '%s' holds an unknown kind of "
			"value\n", k->key);
		exit(1);
	}
	put(v, "description", str(k->desc));
	return v;
}

/* A field's name may be left out only when its type is an inline struct
 * or union (decode.c checks it once the type is known). */
static DocNode *anonymous_field(void)
{
	DocNode *inline_types = new_arr(), *tags = new_arr();
	int c;
	for (c = CTOR_STRUCT; c <= CTOR_UNION; c++) {
		const char *ctor = schema_word(SW_CTORS, (size_t)c);
		doc_array_push(&A, inline_types, one_key(ctor, ref("fieldList")));
		doc_array_push(&A, tags, str(ctor));
	}
	doc_array_push(&A, inline_types,
		       OBJ("type", str("object"),
			   "properties", OBJ("tag", OBJ("enum", tags),
					     "args", ref("fieldList")),
			   "additionalProperties", boolean(false),
			   "required", ARR(str("tag"), str("args"))));
	return ARR(OBJ("required", ARR(str("name"))),
		   OBJ("properties", OBJ("typ", OBJ("anyOf", inline_types))));
}

/* type, description, properties, additionalProperties, required: a
 * table's definition, or the whole document for SK_ROOT; in an `items`
 * list, name_key takes the place of `name`. */
static void table_into(DocNode *o, SchemaKind k, const char *name_key)
{
	const SchemaTable *t = &schema_tables[k];
	DocNode *props = new_obj(), *req = new_arr();
	size_t i;
	put(o, "type", str("object"));
	put(o, "description", str(t->desc));
	for (i = 0; i < t->nkeys; i++) {
		const char *key = t->keys[i].key;
		if (name_key && strcmp(key, "name") == 0)
			key = name_key;
		put(props, key, key_value(&t->keys[i]));
		if (t->keys[i].required)
			doc_array_push(&A, req, str(key));
	}
	put(o, "properties", props);
	put(o, "additionalProperties", boolean(false));
	if (req->u.array.n)
		put(o, "required", req);
	/* a field's typ may be left out only when it is joined to the field
	 * before it, whose type it shares (decode.c) */
	if (k == SK_FIELD)
		put(o, "allOf", ARR(OBJ("anyOf", anonymous_field()),
				    OBJ("anyOf", ARR(OBJ("required", ARR(str("typ"))),
						     OBJ("required", ARR(str("c")),
							 "properties", OBJ("c", OBJ(
							 "required", ARR(str("join")),
							 "properties", OBJ("join", OBJ(
							 "const", boolean(true))))))))));
	/* an op without its number names the constant that has it */
	if (k == SK_OP)
		put(o, "anyOf", ARR(OBJ("required", ARR(str("cmd"))),
				    OBJ("required", ARR(str("name")))));
	/* an empty table is no per-architecture type: decode.c reads it as
	 * a type, which it is not either */
	if (k == SK_ARCH_TYPES)
		put(o, "minProperties", num(1));
}

static DocNode *schema(void)
{
	DocNode *root = OBJ("$schema", str("http://json-schema.org/draft-07/schema#"),
			    "$id", str("https://xenbits.xen.org/xenbindgen/"
				       "xenbindgen.schema.json"),
			    "title", str("xenbindgen spec file"));
	DocNode *defs = new_obj();
	int k;
	table_into(root, SK_ROOT, NULL);
	fixed_definitions(defs);
	for (k = 0; k < NSCHEMAKINDS; k++) {
		DocNode *d = new_obj();
		if (k == SK_ROOT)
			continue;
		table_into(d, (SchemaKind)k, NULL);
		put(defs, schema_tables[k].name, d);
	}
	{
		const char *w;
		size_t i;
		for (i = 0; (w = schema_word(SW_ITEM_KINDS, i)) != NULL; i++) {
			DocNode *d;
			if (!schema_key(schema_item_kind(i), "name", 4))
				continue;
			d = new_obj();
			table_into(d, schema_item_kind(i), w);
			put(defs, item_def(i), d);
		}
	}
	put(root, "definitions", defs);
	return root;
}

/* ---- The table as it is, for the tests ---------------------------------- */

static const char *const value_names[] = {
	[SV_STRING] = "string",       [SV_IDENT] = "ident",
	[SV_CNAME] = "cname",         [SV_TEXT] = "text",
	[SV_INT] = "int",             [SV_BOOL] = "bool",
	[SV_STRINGS] = "strings",     [SV_WORD] = "word",
	[SV_WORDS] = "words",         [SV_TYPE] = "type",
	[SV_ENUM_TYPE] = "enum_type", [SV_BITMAP_TYPE] = "bitmap_type",
	[SV_CONST_TYPE] = "const_type", [SV_ALIAS_TYPE] = "alias_type",
	[SV_TAG_VALUES] = "tag_values", [SV_TABLE] = "table",
	[SV_VALUE] = "value",
	[SV_TABLES] = "tables",       [SV_ITEMS] = "items",
};

static DocNode *table_dump(void)
{
	DocNode *all = new_arr();
	int k;
	for (k = 0; k < NSCHEMAKINDS; k++) {
		const SchemaTable *t = &schema_tables[k];
		DocNode *keys = new_arr();
		size_t i;
		for (i = 0; i < t->nkeys; i++) {
			const SchemaKey *key = &t->keys[i];
			DocNode *o = OBJ("key", str(key->key),
					 "required", boolean(key->required),
					 "value", str(value_names[key->value]));
			if (key->value == SV_TABLE || key->value == SV_TABLES)
				put(o, "table", str(schema_tables[key->sub].name));
			if (key->value == SV_WORD || key->value == SV_WORDS)
				put(o, "words", words((SchemaWords)key->sub));
			if (key->min || key->max) {
				put(o, "min", num(key->min));
				put(o, "max", num(key->max));
			}
			doc_array_push(&A, keys, o);
		}
		doc_array_push(&A, all, OBJ("name", str(t->name ? t->name : "root"),
					    "what", str(t->what), "keys", keys));
	}
	return all;
}

/* ---- Consistency -------------------------------------------------------- */

/* What the table cannot say for itself; false after a message. */
static bool table_sound(void)
{
	bool ok = true;
	size_t i;
	int k;
	for (i = 0; i < ARRAY_LEN(keywords); i++)
		if (!c_keyword(keywords[i])) {
			fprintf(stderr, "schema-json: '%s' is no keyword for "
				"c_keyword()\n", keywords[i]);
			ok = false;
		}
	for (k = 0; k < NARCH; k++)
		if ((size_t)k >= schema_tables[SK_ARCH_TYPES].nkeys ||
		    strcmp(schema_tables[SK_ARCH_TYPES].keys[k].key, arch_name(k)) != 0) {
			fprintf(stderr, "schema-json: the keys of SK_ARCH_TYPES "
				"are not the architectures of spec.c\n");
			ok = false;
		}
	for (k = 0; k < NSCHEMAKINDS; k++)
		if (schema_tables[k].nkeys > SCHEMA_MAX_KEYS) {
			fprintf(stderr, "schema-json: table '%s' has more than "
				"SCHEMA_MAX_KEYS keys\n", schema_tables[k].what);
			ok = false;
		}
	return ok;
}

int main(int argc, char **argv)
{
	Diag *d = diag_new();
	Buf out = {0};
	bool table = argc == 2 && strcmp(argv[1], "--table") == 0;
	int status = 0;
	if (argc > 2 || (argc == 2 && !table)) {
		fprintf(stderr, "usage: schema-json [--table]\n");
		return STATUS_USAGE;
	}
	arena_init(&A);
	if (table_sound() && write_json(&out, table ? table_dump() : schema(), d))
		fwrite(out.data, 1, out.len, stdout);
	else
		status = 1;
	diag_print(d, stderr, false);
	diag_free(d);
	buf_free(&out);
	arena_free(&A);
	return status;
}
