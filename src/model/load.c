/*
 * load.c - from an input directory to decoded units.
 *
 * The directory model comes from the RFC: every sub-directory of --indir
 * that holds spec files is an output unit, named by its path relative to
 * --indir ("domctl", "io/blkif"), and the lists of all its spec files are
 * concatenated.  Top-level directories named arch-<family> hold the
 * per-architecture views.  Only .toml, .yaml, .yml and .json files are
 * specs; anything else (editor backups, READMEs) is ignored.  Hidden
 * entries (".git") are skipped.
 *
 * Everything is sorted bytewise before use, so the order in which the
 * filesystem lists entries, and the locale, never change the result.
 */
/* realpath() is XSI in glibc's view of POSIX 2008; a feature-test macro
 * is the one reserved identifier a program must define */
#define _XOPEN_SOURCE 700 /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

#include "model/model.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


typedef struct DirStack {
	dev_t dev[MAX_DIR_DEPTH + 1];
	ino_t ino[MAX_DIR_DEPTH + 1];
	int n;
} DirStack;

typedef struct Loader {
	Spec *s;
	Diag *d;
	char *root; /* the input directory's real path */
	int status;
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

static char **list_dir(Loader *L, const char *path, size_t *n)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;
	*n = 0;
	if (!dir) {
		diag_error(L->d, path_loc(L, path), "cannot open directory: %s",
			   strerror(errno));
		L->status = 3;
		return NULL;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xgrow(names, &cap, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(dir);
	/* qsort() must not be given a null array, even an empty one (an
	 * empty directory) */
	if (*n > 1)
		qsort(names, *n, sizeof *names, cmp_str);
	return names;
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
	L->units = xgrow(L->units, &L->cap, L->nunits + 1, sizeof *L->units);
	L->units[L->nunits++] = u;
	return u;
}

static bool inside_root(Loader *L, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = L->root ? strlen(L->root) : 0;
	bool ok = real && L->root && strncmp(real, L->root, n) == 0 &&
		  (real[n] == '/' || real[n] == '\0');
	free(real);
	return ok;
}

/* Is path a symbolic link that resolves outside the input directory? */
static bool link_outside(Loader *L, const char *path)
{
	struct stat lsb;
	return lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode) &&
	       !inside_root(L, path);
}

static void scan(Loader *L, const char *path, const char *rel, DirStack *st)
{
	size_t n, i;
	char **names;
	Unit *unit = NULL;
	Buf p = {0}, r = {0};
	struct stat sb;

	if (stat(path, &sb) != 0) {
		diag_error(L->d, path_loc(L, path), "cannot read: %s",
			   strerror(errno));
		L->status = 3;
		return;
	}
	for (i = 0; i < (size_t)st->n; i++) {
		if (st->dev[i] == sb.st_dev && st->ino[i] == sb.st_ino) {
			diag_error(L->d, path_loc(L, path),
				   "directory loop (a symbolic link points back to a "
				   "parent directory)");
			return;
		}
	}
	/* the stack holds the input directory and the directories below
	 * it: at most MAX_DIR_DEPTH of those */
	if (st->n > MAX_DIR_DEPTH) {
		diag_error(L->d, path_loc(L, path),
			   "directories nested deeper than %d levels", MAX_DIR_DEPTH);
		return;
	}
	st->dev[st->n] = sb.st_dev;
	st->ino[st->n] = sb.st_ino;
	st->n++;

	names = list_dir(L, path, &n);
	for (i = 0; i < n; i++) {
		const char *name = names[i];
		buf_clear(&p);
		buf_printf(&p, "%s/%s", path, name);
		buf_clear(&r);
		if (*rel)
			buf_printf(&r, "%s/%s", rel, name);
		else
			buf_puts(&r, name);
		if (stat(buf_cstr(&p), &sb) != 0) {
			if (format_from_path(name) != FMT_NONE) {
				diag_error(L->d, path_loc(L, buf_cstr(&p)),
					   "cannot read: %s", strerror(errno));
				L->status = 3;
			}
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			/* A link to a directory is followed only if it stays
			 * inside the input directory: a link to / must not make
			 * us walk the whole file system. */
			if (link_outside(L, buf_cstr(&p))) {
				diag_error(L->d, path_loc(L, buf_cstr(&p)),
					   "symbolic link leads outside the input "
					   "directory; not followed");
				continue;
			}
			if (!valid_component(name)) {
				diag_error(L->d, path_loc(L, buf_cstr(&p)),
					   "invalid output directory name: use letters, "
					   "digits, '_' and '-' only");
				continue;
			}
			scan(L, buf_cstr(&p), buf_cstr(&r), st);
			continue;
		}
		if (format_from_path(name) == FMT_NONE)
			continue;
		/* Nor is a link to a file elsewhere: a spec tree from an
		 * untrusted source must not make us read, and quote in
		 * diagnostics, any file the user can read (~/.ssh/...). */
		if (link_outside(L, buf_cstr(&p))) {
			diag_error(L->d, path_loc(L, buf_cstr(&p)),
				   "symbolic link leads outside the input "
				   "directory; not followed");
			continue;
		}
		if (!S_ISREG(sb.st_mode)) {
			/* a FIFO or a device would block or never end */
			diag_error(L->d, path_loc(L, buf_cstr(&p)),
				   "not a regular file");
			continue;
		}
		if (!*rel) {
			diag_error(L->d, path_loc(L, buf_cstr(&p)),
				   "spec file is not inside an output directory "
				   "(move it to %s/<name>/)", path);
			continue;
		}
		if (++L->nfiles > MAX_SPEC_FILES) {
			diag_error(L->d, path_loc(L, L->s->indir),
				   "more than %d spec files", MAX_SPEC_FILES);
			break;
		}
		/* Each file is bounded (read_file() checks again as it
		 * reads), and so is the total: the file that goes past the
		 * limit is the error. */
		if ((uint64_t)sb.st_size > MAX_FILE_SIZE) {
			diag_error(L->d, path_loc(L, buf_cstr(&p)), "%s",
				   read_file_too_large);
			continue;
		}
		L->total_size += (uint64_t)sb.st_size;
		if (L->total_size > MAX_TOTAL_SIZE) {
			diag_error(L->d, path_loc(L, buf_cstr(&p)),
				   "the spec files total more than the limit of %d "
				   "MiB", MAX_TOTAL_SIZE_MIB);
			break;
		}
		if (!unit)
			unit = new_unit(L, rel);
		add_file(L, unit, buf_cstr(&p), buf_cstr(&r));
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_free(&p);
	buf_free(&r);
	st->n--;
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
	/* no spec files at all leaves L->units null: not for qsort() */
	if (L->nunits > 1)
		qsort(L->units, L->nunits, sizeof *L->units, cmp_unit);
	s->units = arena_calloc(&s->arena, L->nunits, sizeof *s->units);
	for (i = 0; i < L->nunits; i++) {
		Unit *u = L->units[i];
		u->index = s->nunits;
		s->units[s->nunits++] = u;
		if (strncmp(u->name, "arch-", 5) != 0 || strchr(u->name, '/'))
			continue;
		u->arch = arch_from_name(u->name + 5);
		if (u->arch >= 0) {
			s->arch_units[u->arch] = u;
		} else {
			Buf p = {0};
			buf_printf(&p, "%s/%s", s->indir, u->name);
			diag_error(L->d, path_loc(L, buf_cstr(&p)),
				   "unknown architecture: expected arch-x86, "
				   "arch-arm, arch-riscv or arch-ppc");
			buf_free(&p);
		}
	}
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
				L->status = 3;
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
	DirStack st = {{0}, {0}, 0};
	struct stat sb;

	L.s = s;
	L.d = d;
	if (stat(s->indir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		int err = errno;
		bool exists = stat(s->indir, &sb) == 0;
		diag_error(d, path_loc(&L, s->indir), "cannot use as input directory: %s",
			   exists ? "not a directory" : strerror(err));
		return 3;
	}
	L.root = realpath(s->indir, NULL);
	scan(&L, s->indir, "", &st);
	free(L.root);
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
