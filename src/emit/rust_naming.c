/*
 * rust_naming.c - Rust names for everything the specs name, and the
 * checks that they stay distinct.
 *
 * By default (--rust-names c) the crate keeps the C headers' names, as
 * bindgen and libc do, so that it can be searched with the names of the
 * C code and of Xen's documentation: types, constants and fields as the
 * specs spell them, variants and bits as their C macros
 * (XEN_DOMCTL_CDF_hvm, a multi-bit field's XEN_..._mask), an inline type
 * as owner_field.  With --rust-names rust, names are converted without
 * splitting at digits (rsvd0_a stays rsvd0_a; base/ident.c): types become
 * CamelCase, fields and modules snake_case, constants, variants and bits
 * UPPER_CASE.  Either way Rust keywords become raw identifiers (r#type);
 * the ones that cannot be raw (self, Self, super, crate) and the names the
 * crate layout reserves get a trailing '_'; modules are snake_case.  Two
 * spec names that meet after conversion are a located error.
 */
#include "emit/rust.h"

#include <string.h>

/* ---- Identifiers ------------------------------------------------------------ */

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

/* Rust's primitive types: a type of the module named so would hide the
 * primitive from every declaration there ("pub x: u8"). */
static bool rust_primitive(const char *name)
{
	static const char *const prims[] = {
		"bool", "char", "str", "f32", "f64", "i8", "i16", "i32", "i64",
		"i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", NULL,
	};
	size_t i;
	for (i = 0; prims[i]; i++)
		if (strcmp(name, prims[i]) == 0)
			return true;
	return false;
}

/* A type: as in C, but that a primitive's name gets a trailing '_' (with
 * Rust names, CamelCase never meets one). */
static char *type_ident(Rust *R, const char *spec_name)
{
	Buf b = {0};
	if (R->o->rust_names)
		name_camel(&b, spec_name);
	else
		buf_puts(&b, spec_name);
	return finish_ident(R, &b, rust_primitive(buf_cstr(&b)));
}

static char *field_ident(Rust *R, const char *spec_name)
{
	Buf b = {0};
	if (!R->o->rust_names) {
		buf_puts(&b, spec_name);
		return finish_ident(R, &b, false);
	}
	name_snake(&b, spec_name);
	squeeze_underscores(&b);
	return finish_ident(R, &b, false);
}

static char *const_ident(Rust *R, const char *spec_name)
{
	Buf b = {0};
	size_t i;
	if (!R->o->rust_names) {
		buf_puts(&b, spec_name);
		return finish_ident(R, &b, false);
	}
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
char *naming_module(Rust *R, const char *comp, size_t len, bool top)
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
	/* a unit named after a header such as io/9pfs.h: a Rust identifier
	 * cannot start with a digit */
	if (b.len && b.data[0] >= '0' && b.data[0] <= '9') {
		Buf u = {0};
		buf_putc(&u, '_');
		buf_puts(&u, buf_cstr(&b));
		buf_free(&b);
		b = u;
	}
	n = buf_cstr(&b);
	reserved = strcmp(n, "mod") == 0 ||
		   (top && (strcmp(n, "lib") == 0 || strcmp(n, "core") == 0 ||
			    strcmp(n, "arch") == 0));
	return finish_ident(R, &b, reserved);
}

const char *naming_stem(const char *ident)
{
	return strncmp(ident, "r#", 2) == 0 ? ident + 2 : ident;
}

/* "set_" and the getter's name; with Rust names, underscores squeezed
 * (set__pad is not snake_case). */
const char *naming_setter(Rust *R, const char *getter)
{
	Buf b = {0};
	char *r;
	buf_printf(&b, "set_%s", naming_stem(getter));
	if (R->o->rust_names)
		squeeze_underscores(&b);
	r = arena_strdup(&R->a, buf_cstr(&b));
	buf_free(&b);
	return r;
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
		return cfg_field_mask(R, it, &it->fields[j]);
	if (it->kind == IT_ENUM)
		return cfg_cond_mask(R->info[it->index].mask,
				     &it->variants[j].cond);
	return cfg_cond_mask(R->info[it->index].mask, &it->bits[j].cond);
}

/* The inline type of a field, through arrays, or NULL. */
static Item *inline_item(const Type *t)
{
	while (t && t->kind == TY_ARRAY)
		t = t->elem;
	return t && t->kind == TY_INLINE ? t->item : NULL;
}

/* The constant of variant or bit j: its C macro (XEN_DOMCTL_CDF_hvm; a
 * multi-bit field's mask, XEN_..._mask, as C names it), or with Rust
 * names the spec name in UPPER_CASE. */
static char *member_ident(Rust *R, const Item *it, size_t j)
{
	Buf b = {0};
	bool multi = it->kind == IT_BITMAP && it->bits[j].width > 1;
	const char *spec = it->kind == IT_ENUM ? it->variants[j].name
			   : it->bits[j].name;
	if (R->o->rust_names)
		return const_ident(R, spec);
	c_member_macro(&b, it, spec);
	if (multi)
		buf_puts(&b, "_mask");
	return finish_ident(R, &b, false);
}

/* The Rust names of fields (as in C, or snake_case; anonymous ones
 * anon1, anon2...), variants and bits (constants).  Inline types are named
 * after their owner and field: start_info.console -> start_info_console
 * (StartInfoConsole with Rust names). */
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
			name = member_ident(R, it, j);
		else if (it->fields[j].name)
			name = field_ident(R, spec);
		else
			name = arena_printf(&R->a, "anon%d", ++anon);
		sub = it->kind == IT_STRUCT || it->kind == IT_UNION
		      ? inline_item(it->fields[j].type) : NULL;
		/* a joined field that shares the inline type of the one
		 * before (get_variable, set_variable): named after the first */
		if (sub && j && it->fields[j].type == it->fields[j - 1].type)
			sub = NULL;
		if (sub) {
			Buf b = {0};
			if (R->o->rust_names) {
				buf_puts(&b, in->name);
				name_camel(&b, naming_stem(name));
			} else {
				buf_printf(&b, "%s_%s", naming_stem(in->name),
					   naming_stem(name));
			}
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
	} else if (f) {
		struct Family *fam = NULL;
		size_t i, n = 0;
		for (i = 0; i < R->nfamilies && !fam; i++)
			if (strcmp(R->families[i].name, it->op_family) == 0)
				fam = &R->families[i];
		while (fam && n < fam->prefix_len && fam->prefix[n] == it->op_name[n])
			n++;
		if (fam)
			fam->prefix_len = n;
	} else {
		hmap_put(traits, in->trait, strlen(in->trait), (void *)it);
		R->families = xgrow(R->families, &R->families_cap,
				    R->nfamilies + 1, sizeof *R->families);
		R->families[R->nfamilies].trait = in->trait;
		R->families[R->nfamilies].prefix = it->op_name;
		R->families[R->nfamilies].prefix_len = strlen(it->op_name);
		R->families[R->nfamilies++].name = it->op_family;
	}
}

/* A macro's parameters are the Rust function's: snake_case, unique. */
static void name_params(Rust *R, const Item *it)
{
	ItemInfo *in = &R->info[it->index];
	size_t k, j;
	in->mname = arena_calloc(&R->a, it->nparams + 1, sizeof *in->mname);
	for (k = 0; k < it->nparams; k++) {
		in->mname[k] = field_ident(R, it->params[k]);
		for (j = 0; j < k; j++)
			if (strcmp(in->mname[j], in->mname[k]) == 0)
				diag_error(R->d, it->name_loc, "parameters '%s' and '%s' "
					   "of macro '%s' both become '%s' in Rust",
					   it->params[j], it->params[k], it->name,
					   in->mname[k]);
	}
}

void naming_items(Rust *R)
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
		bool value = it->kind == IT_CONST || it->kind == IT_MACRO;
		HMap *space = value ? &values : &types;
		Item *first;
		/* C only: guest handles (Rust's are generic), X-macro lists
		 * and rings (what they declare is items of their own),
		 * aliases of types or of names defined elsewhere, and macros
		 * Rust cannot type */
		if (it->kind == IT_HANDLE || it->kind == IT_XMACRO ||
		    it->kind == IT_RING || (it->kind == IT_CONST && !it->expr &&
					    !it->string) ||
		    (it->kind == IT_MACRO && it->rust_why)) {
			in->mask = 0;
			continue;
		}
		/* an alias of an inline type (typedef struct { ... } T) is
		 * that type under the alias's name: one Rust type, no alias */
		if (it->kind == IT_ALIAS && it->alias && inline_item(it->alias)) {
			Item *sub = inline_item(it->alias);
			R->info[sub->index].name = type_ident(R, it->name);
			R->info[sub->index].mask = cfg_item_mask(R, it);
			in->name = R->info[sub->index].name; /* (uses name it) */
			in->mask = 0;
			continue;
		}
		/* an inline type was named, and limited to where its field
		 * exists, with its owner's fields */
		in->mask = it->inline_type ? in->mask & cfg_item_mask(R, it)
					   : cfg_item_mask(R, it);
		if (!in->name)
			in->name = it->kind == IT_CONST ? const_ident(R, it->name)
				 : it->kind == IT_MACRO ? field_ident(R, it->name)
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
		if (!value && it->kind != IT_ALIAS)
			name_members(R, it);
		if (it->kind == IT_MACRO)
			name_params(R, it);
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

/* ---- The crate's name -------------------------------------------------------
 * Cargo's rules for a package name, and the library's name (with '_' for
 * '-') must be an identifier that is not a keyword. */

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

void naming_crate(Rust *R)
{
	Buf lib = {0};
	if (!valid_crate(R->o->crate, &lib)) {
		Buf msg = {0};
		comment_text(&msg, R->o->crate);
		diag_error(R->d, NO_LOC,
			   "invalid crate name '%s': use letters, digits, '-' and "
			   "'_', not starting with a digit, and not a Rust keyword",
			   buf_cstr(&msg));
		buf_free(&msg);
	}
	buf_free(&lib);
}
