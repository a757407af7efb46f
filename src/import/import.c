/*
 * import.c - `xenbindgen import`: C headers in, a spec tree out
 * (docs/import.md).
 *
 * Each header is parsed in every view that can see different content
 * (four targets; tools, hypervisor, guest at the latest and at the default
 * interface version; the assembler where the header tests __ASSEMBLY__),
 * and ibuild.c turns its text and views into entries.  Then, for the whole
 * tree:
 *
 *  1. names: an item that uses a name (a field's type, an array length)
 *     needs the item that defines it, in its unit or imported from
 *     another (`[[includes]]`, `from = "arch"` for what both architecture
 *     headers define); an item whose names cannot be had stays text;
 *  2. the model's verdict: the spec tree is written in memory and checked
 *     as `xenbindgen validate` checks it.  An item the model refuses stays
 *     text, saying why; an ABI rule the header's layout breaks (padding,
 *     alignment, a layout that differs between targets) is waived on the
 *     item, as the header has it.  Repeat until the model is content;
 *  3. the files: one per unit, in the canonical style of `xenbindgen fmt`
 *     (the document writers of tools/), written atomically.
 *
 * The output depends on the headers alone: views are merged in a fixed
 * order whatever the number of threads, and nothing of the run (paths,
 * time) goes into a spec.
 */
#include "import/import.h"
#include "model/model.h"
#include "tools/tools.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* ---- Capabilities: what the language can say ------------------------------- */

/* Each construct the importer would like to use, as the smallest spec that
 * uses it: if the model takes it, the importer may use it. */
static const struct {
	unsigned cap;
	const char *text;
} probes[] = {
	{CAP_TYPEDEF_NAMES,
	 "[[items]]\nstruct = \"a\"\ndescription = \"\"\nc = { typedef = \"a_t\" }\n"
	 "fields = [{ name = \"x\", typ = \"u32\" }]\n"
	 "[[items]]\nstruct = \"b\"\ndescription = \"\"\n"
	 "fields = [{ name = \"y\", typ = \"a_t\" }]\n"},
	{CAP_CONST_EXPR,
	 "[[items]]\nconst = \"A\"\nvalue = \"1U << 3\"\ndescription = \"\"\n"},
	{CAP_STRING,
	 "[[items]]\nconst = \"A\"\nstring = \"text\"\ndescription = \"\"\n"},
	{CAP_ALIAS,
	 "[[items]]\nconst = \"A\"\nvalue = 1\ndescription = \"\"\n"
	 "[[items]]\nconst = \"B\"\nalias = \"A\"\ndescription = \"\"\n"},
	{CAP_MACRO,
	 "[[items]]\nmacro = \"F\"\nparams = [\"x\"]\nexpr = \"(x) + 1\"\n"
	 "description = \"\"\n"},
	{CAP_CONST_HANDLE,
	 "[[items]]\nstruct = \"a\"\ndescription = \"\"\n"
	 "fields = [{ name = \"x\", typ = { handle = \"u8\", const = true } }]\n"},
	{CAP_RING,
	 "[[items]]\nstruct = \"q\"\ndescription = \"\"\nfields = [{ name = \"x\", typ = \"u32\" }]\n"
	 "[[items]]\nstruct = \"r\"\ndescription = \"\"\nfields = [{ name = \"y\", typ = \"u32\" }]\n"
	 "[[items]]\nring = \"t\"\nrequest = \"q\"\nresponse = \"r\"\ndescription = \"\"\n"},
	{CAP_HANDLE_ITEM,
	 "[[items]]\nhandle = \"uint8\"\ntype = \"u8\"\nraw = true\n"},
};

static bool probe_ok(const char *text)
{
	Spec *s = spec_new("probe");
	Diag *d = diag_new();
	const char *paths[1] = {"u/u.toml"};
	const char *texts[1];
	size_t lens[1];
	bool ok;
	texts[0] = text;
	lens[0] = strlen(text);
	ok = spec_load_texts(s, d, paths, texts, lens, 1) == 0;
	if (ok)
		spec_check(s, d);
	if (ok && !diag_error_count(d))
		layout_compute(s, d);
	ok = ok && diag_error_count(d) == 0;
	diag_free(d);
	spec_free(s);
	return ok;
}

static unsigned probe_caps(void)
{
	unsigned caps = 0;
	size_t i;
	for (i = 0; i < ARRAY_LEN(probes); i++)
		if (probe_ok(probes[i].text))
			caps |= probes[i].cap;
	return caps;
}

/* ---- Units ----------------------------------------------------------------------- */

static bool is_arch_view_dir(const char *s, size_t n)
{
	static const char *const v[] = {"arch-x86", "arch-arm", "arch-riscv", "arch-ppc"};
	size_t i;
	for (i = 0; i < ARRAY_LEN(v); i++)
		if (strlen(v[i]) == n && memcmp(v[i], s, n) == 0)
			return true;
	return false;
}

/* The unit a header becomes: its path without ".h", in the characters a
 * unit's name may have; an architecture's main header (arch-x86/xen.h,
 * arch-arm.h) is its architecture's unit. */
static char *unit_of(Arena *a, const char *path, const char **file)
{
	Buf b = {0};
	size_t n = strlen(path), i;
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *r;
	if (n > 2 && strcmp(path + n - 2, ".h") == 0)
		n -= 2;
	*file = arena_strndup(a, base, (size_t)(path + n - base));
	if (slash && strcmp(base, "xen.h") == 0 && strchr(path, '/') == slash &&
	    is_arch_view_dir(path, (size_t)(slash - path)))
		return arena_strndup(a, path, (size_t)(slash - path));
	for (i = 0; i < n; i++) {
		char c = path[i];
		bool ok = c == '/' || c == '-' || c == '_' || (c >= 'a' && c <= 'z') ||
			  (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		buf_putc(&b, (char)(ok ? c : '_'));
	}
	/* a top-level arch-* name that is no architecture (arch-x86_32.h) */
	if (strncmp(buf_cstr(&b), "arch-", 5) == 0) {
		size_t first = strcspn(buf_cstr(&b), "/");
		if (!is_arch_view_dir(b.data, first))
			b.data[4] = '_';
	}
	r = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return r;
}

static bool is_view_unit(const char *unit)
{
	return !strchr(unit, '/') && is_arch_view_dir(unit, strlen(unit));
}

/* The architecture directory a unit is below ("arch-x86"), or NULL. */
static const char *arch_dir_of(Arena *a, const char *unit)
{
	size_t n = strcspn(unit, "/");
	if (!is_arch_view_dir(unit, n))
		return NULL;
	return arena_strndup(a, unit, n);
}

/* ---- The work: one job per header -------------------------------------------------- */

typedef struct Work {
	const ImportOptions *o;
	HeaderTree tree;
	IHeader *hs;
	size_t nh, next;
	pthread_mutex_t lock;
	unsigned caps;
	unsigned parses;
} Work;

static const ViewConfig view_configs[] = {CFG_TOOLS, CFG_HYPERVISOR, CFG_GUEST,
					  CFG_DEFAULT, CFG_ASM};
static const int view_targets[] = {TGT_X86_32, TGT_X86_64, TGT_ARM32, TGT_ARM64};

/* --facts: one view's facts as lines, tab-separated, each complete:
 *
 *   HEADER TARGET record NAME SIZE ALIGN MEMBER:OFFSET_BITS:SIZE:BITS ...
 *   HEADER TARGET value NAME VALUE          (enumerators, integer macros)
 *   HEADER TARGET macro NAME (PARAMS) TOKENS (function-like macros)
 *
 * NAME is C's (a struct's tag without "struct"), VALUE decimal (negative
 * below zero); macros #undef'd by the end of the header are left out, as
 * they are no part of what an includer sees. */
static void facts_lines(Buf *b, const IHeader *H, const IView *v)
{
	const char *tn = targets[v->target].name;
	size_t i, k;
	for (i = 0; i < v->facts.n; i++) {
		const Fact *f = &v->facts.v[i];
		const char *name = f->key;
		if (strncmp(name, "struct ", 7) == 0)
			name += 7;
		else if (strncmp(name, "union ", 6) == 0)
			name += 6;
		switch (f->kind) {
		case FK_RECORD:
			if (!f->complete)
				break;
			buf_printf(b, "%s\t%s\trecord\t%s\t%lld\t%lld", H->th->path, tn,
				   name, (long long)f->size, (long long)f->align);
			for (k = 0; k < f->nmembers; k++)
				buf_printf(b, "\t%s:%lld:%lld:%d", f->members[k].name,
					   (long long)f->members[k].offset,
					   (long long)f->members[k].size,
					   f->members[k].bits);
			buf_putc(b, '\n');
			break;
		case FK_ENUMERATOR:
		case FK_MACRO:
			if (f->kind == FK_MACRO && (!f->live ||
			    (f->mkind != MK_INT && f->mkind != MK_FUNCTION)))
				break;
			if (f->kind == FK_MACRO && f->mkind == MK_FUNCTION) {
				buf_printf(b, "%s\t%s\tmacro\t%s\t(", H->th->path, tn,
					   f->name);
				for (k = 0; k < f->nparams; k++)
					buf_printf(b, "%s%s", k ? ", " : "", f->params[k]);
				buf_printf(b, ") %s\n", f->tokens ? f->tokens : "");
				break;
			}
			if (f->negative)
				buf_printf(b, "%s\t%s\tvalue\t%s\t%lld\n", H->th->path, tn,
					   f->name, (long long)(int64_t)f->value);
			else
				buf_printf(b, "%s\t%s\tvalue\t%s\t%llu\n", H->th->path, tn,
					   f->name, (unsigned long long)f->value);
			break;
		default:
			break;
		}
	}
}

static void run_header(Work *w, FactsCtx *cx, IHeader *H)
{
	IView views[ARRAY_LEN(view_configs) * NTARGETS];
	int vt[NTARGETS];
	size_t nv = 0, nvt = 0, t, c, i;
	unsigned parses = 0, home = tree_home_targets(&w->tree, H->th), archs = 0;
	/* the targets it is parsed on: x86 and arm, those of them whose
	 * build includes it; arch-riscv.h and arch-ppc.h, which only their
	 * own targets include, there (they redefine x86's and arm's names) */
	for (t = 0; t < ARRAY_LEN(view_targets); t++)
		if (home >> view_targets[t] & 1u)
			vt[nvt++] = view_targets[t];
	for (t = 0; !nvt && t < NTARGETS; t++)
		if (home >> t & 1u)
			vt[nvt++] = (int)t;
	/* the whole architectures of the targets that include the header */
	for (t = 0; t < NTARGETS; t++)
		for (c = 0; c < NTARGETS; c++)
			if ((home >> c & 1u) && targets[c].arch == targets[t].arch)
				archs |= 1u << t;
	for (t = 0; t < nvt; t++) {
		for (c = 0; c < ARRAY_LEN(view_configs); c++) {
			IView *v = &views[nv];
			FactsView fv;
			const char *prelude[16];
			if (view_configs[c] == CFG_ASM && !H->th->mentions_asm)
				continue;
			memset(v, 0, sizeof *v);
			v->target = vt[t];
			v->config = view_configs[c];
			xdecls_init(&v->decls);
			memset(&fv, 0, sizeof fv);
			fv.tree = &w->tree;
			fv.hdr = H->th;
			fv.target = v->target;
			fv.config = v->config;
			fv.latest = w->tree.latest;
			fv.prelude = prelude;
			fv.nprelude = tree_prelude(&w->tree, H->th, v->config, prelude,
						   ARRAY_LEN(prelude));
			fv.extra = decls_collect;
			fv.extra_ctx = &v->decls;
			v->status = facts_collect(cx, &fv, &v->facts);
			if (!v->status && !v->facts.found)
				v->status = STATUS_IO;
			if (w->o->facts && !v->status && v->config == CFG_TOOLS)
				facts_lines(&H->facts_out, H, v);
			parses += v->facts.parses;
			H->views++;
			if (!v->status)
				H->views_ok++;
			nv++;
		}
	}
	H->tree = &w->tree;
	ibuild_header(H, views, nv, w->caps, w->tree.latest);
	if (home != archs) {
		/* what the header says holds where its includers include it:
		 * xen-x86_32.h's FLAT_KERNEL_CS is no x86_64 constant (an
		 * architecture's unit says its architecture by itself) */
		ICond hc;
		icond_init(&hc);
		hc.targets = home;
		for (i = 0; i < H->n; i++)
			icond_and(&H->arena, &H->e[i].cond, &hc);
	}
	for (i = 0; i < nv; i++) {
		facts_free(&views[i].facts);
		xdecls_free(&views[i].decls);
	}
	pthread_mutex_lock(&w->lock);
	w->parses += parses;
	pthread_mutex_unlock(&w->lock);
}

static void *worker(void *arg)
{
	Work *w = arg;
	FactsCtx *cx = facts_ctx_new();
	for (;;) {
		IHeader *H;
		pthread_mutex_lock(&w->lock);
		H = w->next < w->nh ? &w->hs[w->next++] : NULL;
		pthread_mutex_unlock(&w->lock);
		if (!H)
			break;
		run_header(w, cx, H);
	}
	facts_ctx_free(cx);
	return NULL;
}

static void run_all(Work *w, unsigned nthreads)
{
	pool_run(worker, w, w->nh, nthreads);
}

/* ---- Names ------------------------------------------------------------------------------ */

typedef struct Def {
	size_t h, e;       /* header and entry */
	struct Def *next;  /* other definitions of the name */
} Def;

typedef struct Names {
	HMap map;          /* name -> Def list (structured items only) */
	Arena arena;
	int narch;         /* the architecture units (arch-x86, arch-arm...) */
} Names;

static bool structured(const IEntry *e)
{
	return e->doc && !e->verbatim && !e->hidden;
}

static void names_build(Names *N, Work *w)
{
	size_t h, i, k;
	hmap_init(&N->map);
	arena_init(&N->arena);
	N->narch = 0;
	for (h = 0; h < w->nh; h++)
		N->narch += is_view_unit(w->hs[h].unit);
	for (h = 0; h < w->nh; h++) {
		const IHeader *H = &w->hs[h];
		for (i = 0; i < H->n; i++) {
			const IEntry *e = &H->e[i];
			if (!structured(e))
				continue;
			for (k = 0; k < e->ndefs; k++) {
				Def *d = arena_alloc(&N->arena, sizeof *d);
				Def *old = hmap_gets(&N->map, e->defs[k]);
				d->h = h;
				d->e = i;
				d->next = NULL;
				if (!old) {
					hmap_put(&N->map, e->defs[k], strlen(e->defs[k]), d);
				} else {
					while (old->next)
						old = old->next;
					old->next = d;
				}
			}
		}
	}
}

static void names_free(Names *N)
{
	hmap_free(&N->map);
	arena_free(&N->arena);
}

/* Does each architecture define the name, in its view or in a unit below
 * its directory, and nothing else?  (Xen's xen_pmu_arch: arch-arm.h
 * declares a stub, and x86 has it in arch-x86/pmu.h.)  The model takes
 * such a name from "arch" as well. */
static bool every_arch_defines(Work *w, Names *N, const Def *d, Arena *a)
{
	size_t h;
	int covered = 0;
	const Def *x;
	for (x = d; x; x = x->next) {
		const char *u = w->hs[x->h].unit;
		if (!is_view_unit(u) && !arch_dir_of(a, u))
			return false; /* a common unit's too */
	}
	for (h = 0; h < w->nh; h++) {
		const char *v = w->hs[h].unit;
		if (!is_view_unit(v))
			continue;
		for (x = d; x; x = x->next) {
			const char *u = w->hs[x->h].unit, *dir = arch_dir_of(a, u);
			if (strcmp(u, v) == 0 || (dir && !is_view_unit(u) &&
						 strcmp(dir, v) == 0))
				break;
		}
		covered += x != NULL;
	}
	return covered == N->narch;
}

/* Where unit u can get name from: "" (itself), a unit's name, "arch", or
 * NULL when it cannot. */
static const char *source_of(Work *w, Names *N, size_t h, const char *name)
{
	const Def *d = hmap_gets(&N->map, name), *x;
	const char *unit = w->hs[h].unit, *adir;
	const char *only = NULL;
	int views = 0;
	bool in_adir = false;
	size_t n = 0;
	Arena tmp;
	if (*name == '&') {
		/* a guest handle: defined with its type (has_handle) or by a
		 * handle item (which defines '&name'); handles are no names
		 * to import, the includes of the type bring them */
		const Def *y;
		for (y = hmap_gets(&N->map, name + 1); y; y = y->next)
			if (w->hs[y->h].e[y->e].has_handle)
				return "";
		return d ? "" : NULL;
	}
	for (x = d; x; x = x->next)
		if (x->h == h)
			return "";
	arena_init(&tmp);
	adir = arch_dir_of(&tmp, unit);
	for (x = d; x; x = x->next) {
		const char *u = w->hs[x->h].unit;
		const Def *y;
		if (is_view_unit(u)) {
			/* each architecture unit once (Xen 4.22 has four) */
			for (y = d; y != x && strcmp(w->hs[y->h].unit, u) != 0; y = y->next)
				;
			views += y == x;
			in_adir = in_adir || (adir && strcmp(adir, u) == 0);
		} else {
			if (!only || strcmp(only, u) != 0)
				n++;
			only = u;
		}
	}
	if (!is_view_unit(unit) && !in_adir && views && n &&
	    every_arch_defines(w, N, d, &tmp)) {
		arena_free(&tmp);
		return "arch";
	}
	arena_free(&tmp);
	if (is_view_unit(unit))
		return n == 1 ? only : NULL;
	if (in_adir)
		return "arch";
	if (views && views == N->narch && n == 0)
		return "arch";
	if (n == 1 && views == 0)
		return only;
	return NULL;
}

/* ---- Typedef names of other headers' structs ------------------------------------------

 * Until the language takes a struct's typedef name as a type, a member
 * spelled with one (xen_domctl_t, of another header) is written with the
 * struct it names: the same C type. */

static DocNode *struct_for(Arena *a, const HMap *tds, const DocNode *n)
{
	const char *rec;
	const char *sp;
	DocNode *t;
	if (n->kind != DOC_STRING || !(rec = hmap_gets(tds, n->u.str.s)))
		return NULL;
	sp = strchr(rec, ' ');
	t = doc_new(a, DOC_TABLE, NO_LOC);
	t->flags = DOC_F_INLINE;
	doc_table_add(a, t, rec, (size_t)(sp - rec), NO_LOC,
		      doc_new_string(a, NO_LOC, sp + 1, strlen(sp + 1)));
	return t;
}

static void fix_type(Arena *a, const HMap *tds, DocNode **slot, unsigned depth);

static void fix_fields(Arena *a, const HMap *tds, DocNode *fields, unsigned depth)
{
	uint32_t i;
	if (!fields || fields->kind != DOC_ARRAY || depth > MAX_TYPE_DEPTH)
		return;
	for (i = 0; i < fields->u.array.n; i++) {
		DocEntry *t = doc_table_find(fields->u.array.v[i], "typ", 3);
		if (t)
			fix_type(a, tds, &t->value, depth + 1);
	}
}

static void fix_type(Arena *a, const HMap *tds, DocNode **slot, unsigned depth)
{
	DocNode *n = *slot, *r;
	DocEntry *e;
	if (depth > MAX_TYPE_DEPTH)
		return;
	if ((r = struct_for(a, tds, n)) != NULL) {
		*slot = r;
		return;
	}
	if (n->kind != DOC_TABLE || n->u.table.n < 1)
		return;
	e = &n->u.table.v[0];
	if (strcmp(e->key, "ptr") == 0 || strcmp(e->key, "handle") == 0 ||
	    strcmp(e->key, "cptr") == 0)
		fix_type(a, tds, &e->value, depth + 1);
	else if (strcmp(e->key, "array") == 0 && e->value->kind == DOC_ARRAY &&
		 e->value->u.array.n)
		fix_type(a, tds, &e->value->u.array.v[0], depth + 1);
	else if ((strcmp(e->key, "struct") == 0 || strcmp(e->key, "union") == 0) &&
		 e->value->kind == DOC_ARRAY)
		fix_fields(a, tds, e->value, depth + 1);
}

static void fix_typedef_names(Work *w)
{
	HMap tds;
	size_t h, i, k;
	hmap_init(&tds);
	for (h = 0; h < w->nh; h++) {
		IHeader *H = &w->hs[h];
		for (i = 0; i < H->n; i++) {
			const IEntry *e = &H->e[i];
			const DocNode *c, *td;
			if (!structured(e) || (strcmp(e->kind, "struct") != 0 &&
					       strcmp(e->kind, "union") != 0))
				continue;
			c = doc_get(e->doc, "c");
			td = c ? doc_get(c, "typedef") : NULL;
			if (td && td->kind == DOC_STRING)
				hmap_put(&tds, td->u.str.s, td->u.str.len,
					 arena_printf(&H->arena, "%s %s", e->kind, e->name));
		}
	}
	for (h = 0; h < w->nh; h++) {
		IHeader *H = &w->hs[h];
		for (i = 0; i < H->n; i++) {
			IEntry *e = &H->e[i];
			DocEntry *t;
			if (!e->doc)
				continue;
			if ((t = doc_table_find(e->doc, "typ", 3)) != NULL)
				fix_type(&H->arena, &tds, &t->value, 0);
			fix_fields(&H->arena, &tds, doc_get(e->doc, "fields"), 0);
			for (k = 0; k < e->nuses; k++) {
				const char *rec = hmap_gets(&tds, e->uses[k]);
				if (rec)
					e->uses[k] = strchr(rec, ' ') + 1;
			}
		}
	}
	hmap_free(&tds);
}

/* Demote every structured entry that uses a name it cannot have, until
 * none does.  Returns the number demoted. */
static size_t resolve_all(Work *w)
{
	size_t total = 0, changed = 1;
	while (changed) {
		Names N;
		size_t h, i, k;
		changed = 0;
		names_build(&N, w);
		for (h = 0; h < w->nh; h++) {
			IHeader *H = &w->hs[h];
			for (i = 0; i < H->n; i++) {
				IEntry *e = &H->e[i];
				if (!structured(e))
					continue;
				for (k = 0; k < e->nuses; k++) {
					if (!source_of(w, &N, h, e->uses[k])) {
						Buf why = {0};
						buf_printf(&why, "it needs '%s', which no header it can "
							   "import defines as an item", e->uses[k]);
						ientry_verbatim(H, e, buf_cstr(&why));
						buf_free(&why);
						changed++;
						break;
					}
				}
			}
		}
		names_free(&N);
		total += changed;
	}
	return total;
}

/* ---- Documents ------------------------------------------------------------------------------ */

static DocNode *dstr(Arena *a, const char *s)
{
	return doc_new_string(a, NO_LOC, s, strlen(s));
}

static void dput(Arena *a, DocNode *t, const char *key, DocNode *v)
{
	if (v)
		doc_table_add(a, t, key, strlen(key), NO_LOC, v);
}

static DocNode *dbool(Arena *a, bool v)
{
	DocNode *n = doc_new(a, DOC_BOOL, NO_LOC);
	n->u.b = v;
	return n;
}

typedef struct Imp {
	const char *from;
	const char **names;
	size_t n, cap;
} Imp;

static int cmp_imp(const void *x, const void *y)
{
	const Imp *a = x, *b = y;
	return strcmp(a->from, b->from);
}

/* The [[includes]] of a unit: every name its structured items use from
 * elsewhere, by unit. */
static DocNode *unit_includes(Work *w, Names *N, size_t h, Arena *a)
{
	IHeader *H = &w->hs[h];
	Imp *v = NULL;
	size_t n = 0, cap = 0, i, k, j;
	DocNode *arr;
	for (i = 0; i < H->n; i++) {
		const IEntry *e = &H->e[i];
		if (!structured(e))
			continue;
		for (k = 0; k < e->nuses; k++) {
			const char *from = source_of(w, N, h, e->uses[k]);
			Imp *im = NULL;
			if (!from || !*from)
				continue;
			for (j = 0; j < n; j++)
				if (strcmp(v[j].from, from) == 0)
					im = &v[j];
			if (!im) {
				v = xgrow(v, &cap, n + 1, sizeof *v);
				im = &v[n++];
				memset(im, 0, sizeof *im);
				im->from = from;
			}
			for (j = 0; j < im->n; j++)
				if (strcmp(im->names[j], e->uses[k]) == 0)
					break;
			if (j == im->n) {
				im->names = xgrow(im->names, &im->cap, im->n + 1, sizeof *im->names);
				im->names[im->n++] = e->uses[k];
			}
		}
	}
	if (!n) {
		free(v);
		return NULL;
	}
	qsort(v, n, sizeof *v, cmp_imp);
	arr = doc_new(a, DOC_ARRAY, NO_LOC);
	for (j = 0; j < n; j++) {
		DocNode *t = doc_new(a, DOC_TABLE, NO_LOC), *names = doc_new(a, DOC_ARRAY, NO_LOC);
		names->flags = DOC_F_INLINE;
		qsort(v[j].names, v[j].n, sizeof *v[j].names, cmp_str);
		for (k = 0; k < v[j].n; k++)
			doc_array_push(a, names, dstr(a, v[j].names[k]));
		dput(a, t, "from", dstr(a, v[j].from));
		dput(a, t, "imports", names);
		doc_array_push(a, arr, t);
		free(v[j].names);
	}
	free(v);
	return arr;
}

static const char *const waiver_names[] = {"identity", "padding", "alignment"};

/* An entry as an element of `items`. */
static DocNode *entry_doc(IHeader *H, const IEntry *e, Arena *a)
{
	DocNode *t = doc_new(a, DOC_TABLE, NO_LOC);
	size_t i;
	if (structured(e)) {
		for (i = 0; i < e->doc->u.table.n; i++) {
			const DocEntry *de = &e->doc->u.table.v[i];
			if (strcmp(de->key, "description") == 0)
				continue;
			doc_table_add(a, t, de->key, de->keylen, NO_LOC, de->value);
		}
	} else {
		dput(a, t, "verbatim", dstr(a, ientry_text(H, e)));
	}
	{
		/* a #define's own comment is in its text when it is text */
		const char *d = e->desc ? e->desc : "";
		if (structured(e) && e->dir_desc && *e->dir_desc)
			d = *d ? arena_printf(a, "%s\n\n%s", d, e->dir_desc) : e->dir_desc;
		/* the language asks a description of declarations only: an
		 * include or a verbatim block without a comment has none */
		if (*d || (structured(e) && !doc_get(e->doc, "include")))
			dput(a, t, "description", dstr(a, htext_flow(a, d, 0)));
	}
	if (!e->wrap_cond) {
		ICond c = e->cond;
		/* C declarations are C only anyway */
		if (structured(e) && !e->is_define && c.assembly == 0)
			c.assembly = -1;
		dput(a, t, "only", icond_doc(a, &c));
	}
	if (structured(e) && e->waive) {
		DocNode *ab = doc_new(a, DOC_TABLE, NO_LOC), *wv = doc_new(a, DOC_ARRAY, NO_LOC);
		ab->flags = DOC_F_INLINE;
		wv->flags = DOC_F_INLINE;
		for (i = 0; i < ARRAY_LEN(waiver_names); i++)
			if (e->waive >> i & 1u)
				doc_array_push(a, wv, dstr(a, waiver_names[i]));
		dput(a, ab, "waive", wv);
		dput(a, ab, "reason", dstr(a, "the layout of Xen's header"));
		dput(a, t, "abi", ab);
	}
	return t;
}

/* Whether the header's guard is the one the C backend writes when the
 * header table names none (__XEN_AUTOGEN_<UNIT>_H): a generated header
 * read back then gives the spec it came from, default left out. */
static bool default_guard(const IHeader *H)
{
	const char *g = H->text.guard, *p;
	if (strncmp(g, "__XEN_AUTOGEN_", 14) != 0)
		return false;
	for (g += 14, p = H->unit; *p; p++, g++) {
		char c = (char)(*p == '-' || *p == '/' ? '_'
				: (*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
		if (*g != c)
			return false;
	}
	return strcmp(g, "_H") == 0;
}

static DocNode *unit_doc(Work *w, Names *N, size_t h, Arena *a)
{
	IHeader *H = &w->hs[h];
	DocNode *root = doc_new(a, DOC_TABLE, NO_LOC), *hd = doc_new(a, DOC_TABLE, NO_LOC);
	DocNode *items = doc_new(a, DOC_ARRAY, NO_LOC);
	size_t i;
	dput(a, hd, "path", dstr(a, H->th->path));
	if (!H->text.guard)
		dput(a, hd, "unguarded", dbool(a, true));
	else if (!default_guard(H))
		dput(a, hd, "guard", dstr(a, H->text.guard));
	if (H->spdx)
		dput(a, hd, "spdx", dstr(a, H->spdx));
	if (H->notice)
		dput(a, hd, "notice", dstr(a, htext_flow(a, H->notice, 0)));
	if (H->desc)
		dput(a, hd, "description", dstr(a, htext_flow(a, H->desc, 0)));
	if (H->assembly)
		dput(a, hd, "assembly", dbool(a, true));
	dput(a, root, "header", hd);
	dput(a, root, "includes", unit_includes(w, N, h, a));
	for (i = 0; i < H->n; i++)
		if (!H->e[i].hidden)
			doc_array_push(a, items, entry_doc(H, &H->e[i], a));
	if (items->u.array.n)
		dput(a, root, "items", items);
	return root;
}

/* The text of every unit's spec file, in format f; paths[h] is the file's
 * path in the tree ("io/blkif/blkif.toml").  Returns false after
 * reporting what a writer could not write. */
static bool render_all(Work *w, SpecFormat f, char **paths, Buf *texts, Diag *d)
{
	Names N;
	size_t h;
	bool ok = true;
	const char *ext = f == FMT_YAML ? "yaml" : f == FMT_JSON ? "json" : "toml";
	names_build(&N, w);
	for (h = 0; h < w->nh; h++) {
		IHeader *H = &w->hs[h];
		Arena a;
		DocNode *doc;
		arena_init(&a);
		doc = canon_root(&a, unit_doc(w, &N, h, &a));
		free(paths[h]);
		paths[h] = NULL;
		{
			Buf p = {0};
			buf_printf(&p, "%s/%s.%s", H->unit, H->file, ext);
			paths[h] = buf_detach(&p, NULL);
		}
		buf_clear(&texts[h]);
		if (f == FMT_YAML)
			ok = write_yaml(&texts[h], doc, NULL, d) && ok;
		else if (f == FMT_JSON)
			ok = write_json(&texts[h], doc, d) && ok;
		else
			ok = write_toml(&texts[h], doc, NULL, d) && ok;
		arena_free(&a);
	}
	names_free(&N);
	return ok;
}

/* ---- The model's verdict ----------------------------------------------------------------- */

/* The lines where a unit's items start, in its TOML text: read back. */
static size_t item_lines(const char *text, size_t len, uint32_t **lines)
{
	Arena a;
	Diag *d = diag_new();
	DocNode *root;
	const DocNode *items;
	size_t n = 0, i;
	arena_init(&a);
	root = toml_parse(&a, d, 1, text, len);
	items = root ? doc_get(root, "items") : NULL;
	*lines = NULL;
	if (items && items->kind == DOC_ARRAY) {
		n = items->u.array.n;
		*lines = xcalloc(n + 1, sizeof **lines);
		for (i = 0; i < n; i++)
			(*lines)[i] = items->u.array.v[i]->loc.line;
	}
	arena_free(&a);
	diag_free(d);
	return n;
}

/* The entry of unit h whose item holds line, or NULL. */
static IEntry *entry_at_line(IHeader *H, const uint32_t *lines, size_t n,
			     uint32_t line)
{
	size_t i, k = 0, at = SIZE_MAX;
	for (i = 0; i < n; i++)
		if (lines[i] <= line)
			at = i;
	if (at == SIZE_MAX)
		return NULL;
	for (i = 0; i < H->n; i++) {
		if (H->e[i].hidden)
			continue;
		if (k++ == at)
			return &H->e[i];
	}
	return NULL;
}

static unsigned waiver_of(const char *msg)
{
	if (strncmp(msg, "implicit padding", 16) == 0 ||
	    (strncmp(msg, "bitfields ", 10) == 0 && strstr(msg, " unused ")))
		return 1u << 1;
	if (strstr(msg, " bytes but only ") && strstr(msg, "-aligned on "))
		return 1u << 2;
	if (strncmp(msg, "layout of ", 10) == 0 && strstr(msg, "differs between targets"))
		return 1u << 0;
	return 0;
}

/* What the model said of one entry in one round. */
typedef struct Blame {
	IHeader *H;
	IEntry *e;
	unsigned waive;        /* the ABI rules its layout breaks */
	const char *msg;       /* the first other error, or NULL */
} Blame;

/* One round: write the tree in memory, let the model check it, and act on
 * what it says.  Every error is first blamed on its entry, and only then
 * are the entries changed: changing one (a struct and its typedef become
 * two verbatim items) moves the items after it, and a later error of the
 * same round would be blamed on its neighbour.  An entry changes once per
 * round (made text for its first error, in the model's order), so that
 * the result does not depend on how many errors one entry has.  Returns
 * the number of entries changed, or SIZE_MAX when the model refused
 * something no entry can be blamed for. */
static size_t verdict_round(Work *w, Diag *report)
{
	char **paths = xcalloc(w->nh + 1, sizeof *paths);
	Buf *texts = xcalloc(w->nh + 1, sizeof *texts);
	const char **tp = xcalloc(w->nh + 1, sizeof *tp);
	size_t *lens = xcalloc(w->nh + 1, sizeof *lens);
	uint32_t **lines = xcalloc(w->nh + 1, sizeof *lines);
	size_t *nlines = xcalloc(w->nh + 1, sizeof *nlines);
	Blame *bl = NULL;
	size_t nb = 0, bcap = 0;
	Spec *s = spec_new("import");
	Diag *d = diag_new();
	size_t h, i, k, changed = 0;
	bool stray = false;
	diag_set_limit(d, 0);
	render_all(w, FMT_TOML, paths, texts, report);
	for (h = 0; h < w->nh; h++) {
		tp[h] = buf_cstr(&texts[h]);
		lens[h] = texts[h].len;
		nlines[h] = item_lines(tp[h], lens[h], &lines[h]);
	}
	if (spec_load_texts(s, d, (const char *const *)paths, tp, lens, w->nh) == 0)
		spec_check(s, d);
	if (!diag_error_count(d))
		layout_compute(s, d);
	if (!diag_error_count(d))
		abi_check(s, d, false);
	if (!diag_error_count(d) && w->o->backends)
		w->o->backends(s, d);
	for (i = 0; i < diag_count(d); i++) {
		DiagLevel lv;
		Loc loc;
		const char *msg, *path;
		IEntry *e = NULL;
		unsigned wv;
		if (!diag_get(d, i, &lv, &loc, &msg) || lv != DIAG_ERROR)
			continue;
		path = diag_source_path(d, loc.file);
		for (h = 0; path && h < w->nh; h++) {
			if (strcmp(path, paths[h]) != 0)
				continue;
			e = entry_at_line(&w->hs[h], lines[h], nlines[h], loc.line);
			break;
		}
		if (!e) {
			diag_error(report, NO_LOC, "import: the model refuses the imported "
				   "specs: %s%s%s", path ? path : "", path ? ": " : "", msg);
			stray = true;
			continue;
		}
		for (k = 0; k < nb && bl[k].e != e; k++)
			;
		if (k == nb) {
			bl = xgrow(bl, &bcap, nb + 1, sizeof *bl);
			bl[nb++] = (Blame){&w->hs[h], e, 0, NULL};
		}
		wv = structured(e) ? waiver_of(msg) : 0;
		if (wv)
			bl[k].waive |= wv;
		else if (!bl[k].msg)
			bl[k].msg = msg;
	}
	for (k = 0; k < nb; k++) {
		IEntry *e = bl[k].e;
		Buf why = {0};
		if (bl[k].msg && structured(e)) {
			buf_printf(&why, "the model refuses it: %s", bl[k].msg);
			ientry_verbatim(bl[k].H, e, buf_cstr(&why));
			changed++;
		} else if (bl[k].msg && !e->wrap_cond) {
			e->wrap_cond = true;
			buf_printf(&why, "its condition goes into the verbatim text: %s",
				   bl[k].msg);
			idiag(bl[k].H, e->start, DIAG_WARNING, "%s", buf_cstr(&why));
			changed++;
		} else if (!bl[k].msg && (e->waive & bl[k].waive) != bl[k].waive) {
			e->waive |= bl[k].waive;
			changed++;
		}
		buf_free(&why);
	}
	for (h = 0; h < w->nh; h++) {
		free(paths[h]);
		free(lines[h]);
		buf_free(&texts[h]);
	}
	free(bl);
	free(paths);
	free(texts);
	free(tp);
	free(lens);
	free(lines);
	free(nlines);
	diag_free(d);
	spec_free(s);
	return stray && !changed ? SIZE_MAX : changed;
}

/* ---- Output --------------------------------------------------------------------------------- */

static int write_all(Work *w, Diag *d)
{
	char **paths = xcalloc(w->nh + 1, sizeof *paths);
	Buf *texts = xcalloc(w->nh + 1, sizeof *texts);
	Txn *t = txn_new(d);
	size_t h;
	int st = STATUS_OK;
	if (!render_all(w, w->o->to, paths, texts, d))
		st = STATUS_SPEC;
	for (h = 0; !st && h < w->nh; h++) {
		Buf dest = {0};
		bool same;
		path_join(&dest, w->o->outdir, paths[h]);
		st = txn_put(t, buf_cstr(&dest), texts[h].data ? texts[h].data : "",
			     texts[h].len, fs_default_mode(), &same);
		buf_free(&dest);
	}
	if (!st && w->o->facts) {
		Buf all = {0};
		bool same;
		for (h = 0; h < w->nh; h++)
			buf_put(&all, w->hs[h].facts_out.data ? w->hs[h].facts_out.data
				   : "", w->hs[h].facts_out.len);
		st = txn_put(t, w->o->facts, all.data ? all.data : "", all.len,
			     fs_default_mode(), &same);
		buf_free(&all);
	}
	if (!st)
		st = txn_commit(t);
	else
		txn_abort(t);
	txn_free(t);
	for (h = 0; h < w->nh; h++) {
		free(paths[h]);
		buf_free(&texts[h]);
	}
	free(paths);
	free(texts);
	return st;
}

/* What each entry became, counted by kind; what stayed text, by reason. */
typedef struct Count {
	const char *what;
	size_t n;
} Count;

static void count(Count **v, size_t *n, size_t *cap, const char *what)
{
	size_t i;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].what, what) == 0) {
			(*v)[i].n++;
			return;
		}
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[*n].what = what;
	(*v)[(*n)++].n = 1;
}

static int cmp_count(const void *x, const void *y)
{
	const Count *a = x, *b = y;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->what, b->what);
}

/* "it needs 'x', which ..." and "the model refuses it: ..." name an item:
 * counted under their kind. */
static const char *reason_kind(const char *why)
{
	if (strncmp(why, "it needs '", 10) == 0)
		return "it needs a name that is not an item";
	if (strncmp(why, "the model refuses it: ", 22) == 0)
		return "the model refuses it";
	return why;
}

static void summary(Work *w, size_t rounds)
{
	Count *kinds = NULL, *whys = NULL;
	size_t nk = 0, kc = 0, nw = 0, wc = 0, h, i, nitems = 0, nverb = 0, nraw = 0;
	size_t ndiag = 0, nlabel = 0, ntrail = 0, nwaived = 0;
	for (h = 0; h < w->nh; h++) {
		const IHeader *H = &w->hs[h];
		ndiag += H->ndiags;
		nlabel += H->nendif_comments;
		ntrail += H->ntrailing;
		for (i = 0; i < H->n; i++) {
			const IEntry *e = &H->e[i];
			if (e->hidden)
				continue;
			nitems++;
			if (e->cond.c_if && !e->wrap_cond)
				nraw++;
			if (structured(e)) {
				count(&kinds, &nk, &kc, e->kind);
				if (e->waive)
					nwaived++;
			} else {
				nverb++;
				count(&whys, &nw, &wc, e->why ? reason_kind(e->why) : "(no reason)");
			}
		}
	}
	if (nk > 1)
		qsort(kinds, nk, sizeof *kinds, cmp_count);
	if (nw > 1)
		qsort(whys, nw, sizeof *whys, cmp_count);
	printf("imported %zu header%s into %s: %zu items, %zu of them verbatim text\n",
	       w->nh, w->nh == 1 ? "" : "s", w->o->outdir, nitems, nverb);
	printf("items:");
	for (i = 0; i < nk; i++)
		printf("%s %zu %s", i ? "," : "", kinds[i].n, kinds[i].what);
	printf("%s\n", nk ? "" : " none");
	if (nverb) {
		printf("verbatim:\n");
		for (i = 0; i < nw; i++)
			printf("  %5zu %s\n", whys[i].n, whys[i].what);
	}
	printf("raw conditions (c_if): %zu; items with waived ABI rules: %zu\n", nraw,
	       nwaived);
	printf("comments left out: %zu labels of #else/#endif, %zu after the last "
	       "declaration\n", nlabel, ntrail);
	printf("diagnostics: %zu; model rounds: %zu\n", ndiag, rounds);
	free(kinds);
	free(whys);
}

static void print_diags(Work *w)
{
	size_t h, i;
	for (h = 0; h < w->nh; h++) {
		const IHeader *H = &w->hs[h];
		for (i = 0; i < H->ndiags; i++) {
			const IDiag *d = &H->diags[i];
			if (d->line)
				fprintf(stderr, "%s/%s:%u:%u: %s: %s\n", w->tree.root, H->th->path,
					d->line, d->col, d->level == DIAG_ERROR ? "error" :
					d->level == DIAG_WARNING ? "warning" : "note", d->msg);
			else
				fprintf(stderr, "%s/%s: %s: %s\n", w->tree.root, H->th->path,
					d->level == DIAG_ERROR ? "error" :
					d->level == DIAG_WARNING ? "warning" : "note", d->msg);
		}
	}
}

static int cmp_diag(const void *x, const void *y)
{
	const IDiag *a = x, *b = y;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return strcmp(a->msg, b->msg);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int import_run(const ImportOptions *o)
{
	Work w;
	Diag *d = diag_new();
	int st = STATUS_OK;
	size_t i, rounds = 0;
	double t0 = now_ms(), t1, t2;
	bool *sel;
	XlatCount xc;

	memset(&w, 0, sizeof w);
	w.o = o;
#ifdef HAVE_LIBCLANG
	/* before any thread: every view calls into libclang */
	st = libclang_load(d);
#else
	fputs("xenbindgen: error: import needs libclang, and this xenbindgen "
	      "was built without it (install libclang-dev and rebuild, or "
	      "make CLANG=yes)\n", stderr);
	st = STATUS_USAGE;
#endif
	if (!st)
		st = tree_load(&w.tree, o->root, d);
	if (st) {
		diag_print(d, stderr, false);
		diag_free(d);
		tree_free(&w.tree);
		return st;
	}
	sel = xcalloc(w.tree.n + 1, sizeof *sel);
	for (i = 0; i < o->nheaders; i++) {
		const TreeHeader *th = tree_find(&w.tree, o->headers[i]);
		if (!th) {
			fprintf(stderr, "xenbindgen: error: %s: no header %s\n", w.tree.root,
				o->headers[i]);
			st = STATUS_USAGE;
		} else {
			sel[th - w.tree.h] = true;
		}
	}
	if (!st && !o->nheaders && !w.tree.n) {
		fprintf(stderr, "xenbindgen: error: %s: no headers (*.h) found\n",
			w.tree.root);
		st = STATUS_IO;
	}
	if (st) {
		free(sel);
		tree_free(&w.tree);
		diag_free(d);
		return st;
	}
	w.caps = probe_caps();
	w.hs = xcalloc(w.tree.n + 1, sizeof *w.hs);
	for (i = 0; i < w.tree.n; i++) {
		IHeader *H;
		if (o->nheaders && !sel[i])
			continue;
		H = &w.hs[w.nh++];
		H->th = &w.tree.h[i];
		arena_init(&H->arena);
		H->unit = unit_of(&H->arena, H->th->path, &H->file);
	}
	free(sel);
	pthread_mutex_init(&w.lock, NULL);
	run_all(&w, o->jobs ? o->jobs : pool_default_jobs());
	pthread_mutex_destroy(&w.lock);
	t1 = now_ms();

	if (!(w.caps & CAP_TYPEDEF_NAMES))
		fix_typedef_names(&w);
	resolve_all(&w);
	for (rounds = 1; rounds <= 16; rounds++) {
		size_t ch = verdict_round(&w, d);
		if (ch == SIZE_MAX) {
			st = STATUS_SPEC;
			break;
		}
		if (!ch)
			break;
		resolve_all(&w);
	}
	t2 = now_ms();
	for (i = 0; i < w.nh; i++)
		if (w.hs[i].ndiags > 1)
			qsort(w.hs[i].diags, w.hs[i].ndiags, sizeof *w.hs[i].diags, cmp_diag);
	print_diags(&w);
	if (diag_error_count(d))
		diag_print(d, stderr, false);
	if (!st && o->xlat) {
		/* its own diagnostics: d holds the model's, consumed above */
		Diag *xd = diag_new();
		st = xlat_mark(o->xlat, w.hs, w.nh, &xc, xd);
		diag_print(xd, stderr, false);
		diag_free(xd);
	}
	if (!st)
		st = write_all(&w, d);
	if (st && diag_count(d))
		diag_print(d, stderr, false);
	if (!st) {
		summary(&w, rounds);
		if (o->xlat)
			printf("compat marks from %s: %zu of %zu entries; %zu verbatim "
			       "text, %zu not declared\n", o->xlat, xc.marked, xc.entries,
			       xc.verbatim, xc.missing);
		if (o->verbose)
			fprintf(stderr, "import: %zu headers, %u parses in %.2f s, the "
				"model's rounds %.2f s, %u threads\n", w.nh, w.parses,
				(t1 - t0) / 1e3, (t2 - t1) / 1e3,
				o->jobs ? o->jobs : pool_default_jobs());
	}
	for (i = 0; i < w.nh; i++)
		iheader_free(&w.hs[i]);
	free(w.hs);
	tree_free(&w.tree);
	diag_free(d);
	return st;
}
