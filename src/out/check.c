/*
 * check.c - check mode: compare the outputs with what is on disk.
 *
 * For each file out of sync, one summary line and a unified diff from what
 * is on disk to what would be generated:
 *
 *   missing: DIR/NAME     --- /dev/null       +++ DIR/NAME<TAB>(generated)
 *   stale: DIR/NAME       --- DIR/NAME        +++ DIR/NAME<TAB>(generated)
 *   extra: DIR/NAME       --- DIR/NAME        +++ /dev/null
 *
 * ("stale: DIR/NAME (not a regular file)" when something else is in the
 * way; the diff is then from /dev/null.)  The annotation follows a tab,
 * where diff puts timestamps, so the whole output can be fed to `patch -p0`
 * to bring the directory up to date; patch ignores the summary lines.
 *
 * Outputs are reported in the order they are made, extra files in strcmp
 * order of their relative paths.  An extra file is one of ours (marked,
 * owned: see outset.c) that is not an output; the temporary file of a
 * killed run never is, whatever it holds.
 */
#include "out/out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char GENERATED_TAG[] = "\t(generated)";

struct OutCheck {
	Diag *d;
	FILE *out;        /* NULL: keep the diffs in text until there is one */
	Buf root, path;
	Buf text;         /* what to print */
	Buf disk_text;
	bool started;     /* the directory was looked at */
	bool dir_missing; /* then every output is missing */
	bool out_of_sync;
};

OutCheck *check_new(const char *dir, Diag *d)
{
	OutCheck *c = xcalloc(1, sizeof *c);
	c->d = d;
	path_root(&c->root, dir);
	return c;
}

void check_free(OutCheck *c)
{
	buf_free(&c->root);
	buf_free(&c->path);
	buf_free(&c->text);
	buf_free(&c->disk_text);
	free(c);
}

/* Print what was found out of sync, or keep it until there is a FILE. */
static int emit(OutCheck *c)
{
	c->out_of_sync = true;
	if (!c->out)
		return STATUS_OK;
	if (c->text.len && fwrite(c->text.data, 1, c->text.len, c->out) !=
				   c->text.len) {
		diag_error(c->d, NO_LOC, "cannot print the differences: %s",
			   strerror(errno));
		return STATUS_IO;
	}
	buf_clear(&c->text);
	return STATUS_OK;
}

/* A missing directory is not an error: every output is then missing. */
static int start(OutCheck *c)
{
	struct stat st;
	const char *root = c->root.data;

	if (c->started)
		return STATUS_OK;
	c->started = true;
	if (stat(root, &st) != 0) {
		if (errno == ENOENT) {
			c->dir_missing = true;
			return STATUS_OK;
		}
		return path_error(c->d, root, "cannot inspect", errno);
	}
	if (!S_ISDIR(st.st_mode))
		return path_error(c->d, root, "exists and is not a directory", 0);
	return STATUS_OK;
}

int check_add(OutCheck *c, const OutFile *f)
{
	Buf label = {0};
	FsState disk = FS_MISSING;
	const char *path;
	int rc = start(c);

	if (rc)
		return rc;
	path_join(&c->path, c->root.data, f->name);
	path = c->path.data;
	if (!c->dir_missing &&
	    (rc = fs_slurp(path, &c->disk_text, &disk, c->d)) != 0)
		return rc;
	if (disk == FS_DIFFERENT && c->disk_text.len == f->len &&
	    (f->len == 0 || memcmp(c->disk_text.data, f->data, f->len) == 0))
		return STATUS_OK;
	buf_puts(&label, path);
	buf_puts(&label, GENERATED_TAG);
	if (disk == FS_DIFFERENT) {
		buf_printf(&c->text, "stale: %s\n", path);
		unified_diff(&c->text, c->disk_text.data, c->disk_text.len,
			     f->data, f->len, path, buf_cstr(&label));
	} else {
		buf_printf(&c->text, "%s: %s%s\n",
			   disk == FS_MISSING ? "missing" : "stale", path,
			   disk == FS_MISSING ? "" : " (not a regular file)");
		unified_diff(&c->text, "", 0, f->data, f->len, "/dev/null",
			     buf_cstr(&label));
	}
	buf_free(&label);
	return emit(c);
}

static int check_extra(OutCheck *c, const char *path)
{
	FsState disk;
	int rc = fs_slurp(path, &c->disk_text, &disk, c->d);
	if (rc || disk != FS_DIFFERENT)
		return rc; /* vanished meanwhile */
	buf_printf(&c->text, "extra: %s\n", path);
	unified_diff(&c->text, c->disk_text.data, c->disk_text.len, "", 0, path,
		     "/dev/null");
	return emit(c);
}

/* Start printing to out: what a stream compared so far first (failed: the
 * stream stopped on an I/O error, reported already). */
int check_print_to(OutCheck *c, FILE *out, bool failed)
{
	int rc = failed ? STATUS_IO : start(c);
	c->out = out;
	if (c->text.len) {
		int e = emit(c);
		if (e)
			rc = e;
	}
	return rc;
}

int check_finish(OutCheck *c, int rc, const HMap *names, OutOwns owns,
		 FILE *out, const char *regen_cmd)
{
	OutNames extra = {0};
	size_t i;

	c->out = out;
	if (!rc && !c->dir_missing)
		rc = out_find_extra(c->root.data, names, owns, &extra, NULL, c->d);
	for (i = 0; i < extra.n && !rc; i++) {
		path_join(&c->path, c->root.data, extra.v[i]);
		rc = check_extra(c, c->path.data);
	}
	if (!rc && c->out_of_sync) {
		fprintf(c->out, "xenbindgen: outputs are out of date; regenerate "
			"with: %s\n", regen_cmd);
		rc = STATUS_SPEC;
	}
	errno = 0;
	if (fflush(c->out) != 0 || ferror(c->out)) {
		diag_error(c->d, NO_LOC, "cannot print the differences: %s",
			   strerror(errno ? errno : EIO));
		rc = STATUS_IO;
	}
	out_names_free(&extra);
	return rc;
}
