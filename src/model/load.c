/*
 * load.c - from an input directory to decoded units.
 *
 * The directory model comes from the RFC: every sub-directory of --indir
 * that holds spec files is an output unit, named by its path relative to
 * --indir ("domctl", "io/blkif"), and the lists of all its spec files are
 * concatenated.  Top-level directories named arch-<family> hold the
 * per-architecture views.  Only .toml, .yaml, .yml and .json files are
 * specs; anything else (editor backups, READMEs) is ignored.
 *
 * The tree is walked by walk_tree() (base/fs.c), whose policy is that of
 * every command reading specs: sorted bytewise, hidden entries skipped,
 * symbolic links followed only inside --indir, loops, depth and special
 * files refused.  What is left here is the directory model.
 */
#include "model/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Loader {
	Spec *s;
	Diag *d;
	int status;
	/* the unit of the directory at each level being walked, made when
	 * its first spec file is found */
	Unit *unit_at[MAX_DIR_DEPTH + 2];
	size_t nfiles;
	uint64_t total_size; /* of the spec files so far */
	Unit **units;
	size_t nunits, cap;
} Loader;

/* Problems with the directory tree are reported against the path, with no
 * line: "in/arch-foo: error: ...". */
static Loc path_loc(Loader *L, const char *path)
{
	Loc l = {0, 0, 0};
	l.file = diag_add_source(L->d, path);
	return l;
}

/* Output names become file names and C/Rust identifiers: keep them to a
 * safe alphabet, so "../x", "a b" or control characters never get that
 * far. */
static bool valid_component(const char *s)
{
	size_t n = 0;
	if (!*s)
		return false;
	for (; *s; s++, n++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return n <= MAX_IDENT_LEN;
}

static void add_file(Loader *L, Unit *u, const char *path, const char *rel)
{
	Spec *s = L->s;
	SpecFile *f;
	/* Grow geometrically, to the next power of two: the arena frees
	 * nothing, so growing by one file at a time would take memory
	 * quadratic in the number of files (100,000 files in one directory
	 * needed hundreds of GB). */
	if ((u->nfiles & (u->nfiles - 1)) == 0)
		u->files = arena_grow(&s->arena, u->files, u->nfiles,
				      u->nfiles ? 2 * u->nfiles : 1,
				      sizeof *u->files);
	f = &u->files[u->nfiles++];
	f->path = arena_strdup(&s->arena, path);
	f->relpath = arena_strdup(&s->arena, rel);
}

static Unit *new_unit(Loader *L, const char *name)
{
	Unit *u = arena_alloc(&L->s->arena, sizeof *u);
	u->name = arena_strdup(&L->s->arena, name);
	u->arch = -1;
	u->family = -1;
	L->units = xgrow(L->units, &L->cap, L->nunits + 1, sizeof *L->units);
	L->units[L->nunits++] = u;
	return u;
}

static bool is_spec_name(const char *name)
{
	return format_from_path(name) != FMT_NONE;
}

/* A directory is an output unit: its name must make a file name and an
 * identifier. */
static bool enter_dir(void *ctx, const WalkEntry *e)
{
	Loader *L = ctx;
	if (!valid_component(e->name)) {
		diag_error(L->d, path_loc(L, e->path),
			   "invalid output directory name: use letters, "
			   "digits, '_' and '-' only");
		return false;
	}
	L->unit_at[e->level] = NULL;
	return true;
}

static WalkNext found_file(void *ctx, const WalkEntry *e)
{
	Loader *L = ctx;
	Unit **unit = &L->unit_at[e->level - 1];

	if (e->level == 1) {
		diag_error(L->d, path_loc(L, e->path),
			   "spec file is not inside an output directory "
			   "(move it to %s/<name>/)", L->s->indir);
		return WALK_NEXT;
	}
	if (++L->nfiles > MAX_SPEC_FILES) {
		diag_error(L->d, path_loc(L, L->s->indir),
			   "more than %d spec files", MAX_SPEC_FILES);
		return WALK_LEAVE_DIR;
	}
	/* Each file is bounded (read_file() checks again as it reads), and
	 * so is the total: the file that goes past the limit is the error. */
	if (e->size > MAX_FILE_SIZE) {
		diag_error(L->d, path_loc(L, e->path), "%s", read_file_too_large);
		return WALK_NEXT;
	}
	L->total_size += e->size;
	if (L->total_size > MAX_TOTAL_SIZE) {
		diag_error(L->d, path_loc(L, e->path),
			   "the spec files total more than the limit of %d "
			   "MiB", MAX_TOTAL_SIZE_MIB);
		return WALK_LEAVE_DIR;
	}
	if (!*unit) {
		/* named by the directory: rel without its last component */
		char *name = xstrndup(e->rel,
				      (size_t)(strrchr(e->rel, '/') - e->rel));
		*unit = new_unit(L, name);
		free(name);
	}
	add_file(L, *unit, e->path, e->rel);
	return WALK_NEXT;
}

static int cmp_unit(const void *a, const void *b)
{
	return strcmp((*(Unit *const *)a)->name, (*(Unit *const *)b)->name);
}

/* Sort the units found and recognise the architecture directories. */
static void finish_units(Loader *L)
{
	Spec *s = L->s;
	size_t i;
	HMap reported; /* arch-* directories already reported unknown */
	/* no spec files at all leaves L->units null: not for qsort() */
	if (L->nunits > 1)
		qsort(L->units, L->nunits, sizeof *L->units, cmp_unit);
	hmap_init(&reported);
	s->units = arena_calloc(&s->arena, L->nunits, sizeof *s->units);
	for (i = 0; i < L->nunits; i++) {
		Unit *u = L->units[i];
		const char *slash = strchr(u->name, '/');
		size_t top = slash ? (size_t)(slash - u->name) : strlen(u->name);
		char *fam;
		u->index = s->nunits;
		s->units[s->nunits++] = u;
		if (strncmp(u->name, "arch-", 5) != 0)
			continue;
		/* arch-<family> is the architecture view; a unit below it is
		 * an architecture-specific common unit of that family */
		fam = xstrndup(u->name + 5, top - 5);
		u->family = arch_from_name(fam);
		free(fam);
		if (u->family >= 0 && !slash) {
			u->arch = u->family;
			s->arch_units[u->arch] = u;
		} else if (u->family < 0 && !hmap_get(&reported, u->name, top)) {
			Buf p = {0};
			hmap_put(&reported, u->name, top, u);
			buf_printf(&p, "%s/%.*s", s->indir, (int)top, u->name);
			diag_error(L->d, path_loc(L, buf_cstr(&p)),
				   "unknown architecture: expected arch-x86, "
				   "arch-arm, arch-riscv or arch-ppc");
			buf_free(&p);
		}
	}
	hmap_free(&reported);
	free(L->units);
	L->units = NULL;
}

/* Parse and decode one file at a time, in sorted order (which is also the
 * order of diagnostics): a file's document tree is freed as soon as it is
 * decoded, so memory holds the model, not every tree. */
static void decode_all(Loader *L)
{
	Spec *s = L->s;
	size_t i, j;
	Arena a; /* one tree at a time: reset, not freed, between files */
	arena_init(&a);
	for (i = 0; i < s->nunits; i++) {
		Unit *u = s->units[i];
		for (j = 0; j < u->nfiles; j++) {
			SpecFile *f = &u->files[j];
			ReadStatus rs = READ_OK;
			DocNode *root;
			if (f->text)
				root = parse_spec_text(&a, L->d, f->path, f->text,
						       f->len, &f->file);
			else
				root = read_spec_file(&a, L->d, f->path, &f->file, &rs);
			if (rs == READ_IO)
				L->status = STATUS_IO;
			if (root)
				spec_decode(s, L->d, u, f, root);
			arena_reset(&a);
		}
	}
	arena_free(&a);
}

int spec_load(Spec *s, Diag *d)
{
	Loader L = {0};
	Walk w = {0};
	struct stat sb;

	L.s = s;
	L.d = d;
	if (stat(s->indir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		int err = errno;
		bool exists = stat(s->indir, &sb) == 0;
		diag_error(d, path_loc(&L, s->indir), "cannot use as input directory: %s",
			   exists ? "not a directory" : strerror(err));
		return STATUS_IO;
	}
	w.mode = WALK_INPUT;
	w.d = d;
	w.ctx = &L;
	w.want = is_spec_name;
	w.enter = enter_dir;
	w.file = found_file;
	/* refused entries are errors in d; only I/O stops the load here */
	if (walk_tree(&w, s->indir) == STATUS_IO)
		L.status = STATUS_IO;
	finish_units(&L);
	if (L.status)
		return L.status;
	decode_all(&L);
	return L.status;
}

int spec_load_texts(Spec *s, Diag *d, const char *const *paths,
		    const char *const *texts, const size_t *lens, size_t n)
{
	Loader L = {0};
	HMap byname;
	size_t i;

	L.s = s;
	L.d = d;
	hmap_init(&byname);
	for (i = 0; i < n; i++) {
		const char *slash = strrchr(paths[i], '/');
		char *name;
		Unit *u;
		if (!slash || slash == paths[i] || format_from_path(paths[i]) == FMT_NONE)
			continue;
		name = arena_strndup(&s->arena, paths[i], (size_t)(slash - paths[i]));
		u = hmap_gets(&byname, name);
		if (!u) {
			u = new_unit(&L, name);
			hmap_put(&byname, u->name, strlen(u->name), u);
		}
		L.total_size += lens[i];
		if (L.total_size > MAX_TOTAL_SIZE) {
			diag_error(d, path_loc(&L, paths[i]),
				   "the spec files total more than the limit of %d "
				   "MiB", MAX_TOTAL_SIZE_MIB);
			break;
		}
		add_file(&L, u, paths[i], paths[i]);
		u->files[u->nfiles - 1].text = texts[i];
		u->files[u->nfiles - 1].len = lens[i];
	}
	hmap_free(&byname);
	finish_units(&L);
	decode_all(&L);
	return L.status;
}
