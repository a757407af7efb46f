/*
 * side.c - one side of a diff: a spec directory, or REV:PATH out of git.
 *
 * git runs as a child (posix_spawnp, no shell: REV:PATH is one argument
 * whatever it holds) in the working directory:
 *
 *   git ls-tree -r -z REV:PATH   the files of the tree (git resolves
 *                                REV:PATH itself, as `git show` would)
 *   git cat-file --batch         their content, asked for by object id
 *                                from a file (no pipe both ways, so no
 *                                deadlock), read as a stream
 *
 * Only the spec files (.toml .yaml .yml .json) are written, into a
 * private directory made by mkdtemp() under $TMPDIR (or /tmp), and
 * everything written there is removed when the side is closed, in the
 * reverse order of its making.  A name from git with an empty, "." or
 * ".." component is refused: the copy never leaves its directory.  The
 * copy is then read like any spec directory, by the one loader and its
 * walker; diagnostics show its files as REV:PATH/unit/file.toml.
 */
#include "diff/diff.h"
#include "read/read.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Remember a file ('f') or directory ('d') made, for diff_side_close();
 * the path follows the letter.  Returns the path as kept. */
static const char *made(DiffSide *side, char kind, const char *path)
{
	Buf b = {0};
	buf_putc(&b, kind);
	buf_puts(&b, path);
	side->made = xgrow(side->made, &side->made_cap, side->nmade + 1,
			   sizeof *side->made);
	side->made[side->nmade++] = buf_detach(&b, NULL);
	return side->made[side->nmade - 1] + 1;
}

/* Run git with args, its standard input from in_path (NULL: /dev/null),
 * its output into *out; its own messages are dropped (ours say what
 * failed).  Returns STATUS_OK, STATUS_IO if it could not run, or
 * STATUS_USAGE if it failed (the revision or tree does not exist). */
static int run_git(char *const *args, const char *in_path, Buf *out,
		   const char *arg, Diag *d)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2], err, status;
	pid_t pid;
	char chunk[65536];
	ssize_t got;

	if (pipe(pipefd) != 0)
		return path_error(d, "git", "cannot make a pipe", errno);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in_path ? in_path : "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	err = posix_spawnp(&pid, "git", &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		diag_error(d, NO_LOC, "'%s': cannot run git: %s", arg, strerror(err));
		return STATUS_IO;
	}
	for (;;) {
		got = read(pipefd[0], chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		/* the spec files of one tree are bounded: so is their copy */
		if (out->len + (size_t)got > MAX_TOTAL_SIZE + (MAX_TOTAL_SIZE >> 4)) {
			got = -1;
			errno = EFBIG;
			break;
		}
		buf_put(out, chunk, (size_t)got);
	}
	err = got < 0 ? errno : 0;
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err) {
		diag_error(d, NO_LOC, "'%s': reading from git: %s", arg,
			   err == EFBIG ? "the spec files total more than the "
			   "limit of " BOUND_STR(MAX_TOTAL_SIZE_MIB) " MiB"
			   : strerror(err));
		return STATUS_IO;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
			diag_error(d, NO_LOC, "'%s': cannot run git", arg);
			return STATUS_IO;
		}
		return STATUS_USAGE;
	}
	return STATUS_OK;
}

/* A relative name git gave, safe to join under our directory. */
static bool safe_name(const char *p)
{
	const char *c = p;
	if (!*p)
		return false;
	for (;;) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!c[n])
			return true;
		c += n + 1;
	}
}

/* mkdir -p of the parents of rel under root, remembering what it made. */
static int make_parents(DiffSide *side, const char *root, const char *rel,
			Diag *d)
{
	Buf p = {0};
	const char *c;
	int st = STATUS_OK;
	buf_puts(&p, root);
	for (c = strchr(rel, '/'); c; c = strchr(c + 1, '/')) {
		buf_clear(&p);
		buf_puts(&p, root);
		buf_putc(&p, '/');
		buf_put(&p, rel, (size_t)(c - rel));
		if (mkdir(buf_cstr(&p), 0700) == 0) {
			made(side, 'd', buf_cstr(&p));
		} else if (errno != EEXIST) {
			st = path_error(d, buf_cstr(&p), "cannot create directory",
					errno);
			break;
		}
	}
	buf_free(&p);
	return st;
}

static int write_all(const char *path, const char *data, size_t len, Diag *d)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return path_error(d, path, "cannot create", errno);
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			close(fd);
			return path_error(d, path, "cannot write", e);
		}
		data += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0)
		return path_error(d, path, "cannot write", errno);
	return STATUS_OK;
}

typedef struct Blob {
	const char *oid, *name;
} Blob;

/* The spec files of REV:PATH into side->tmp/tree. */
static int extract(DiffSide *side, const char *arg, Diag *d)
{
	char *ls[] = {"git", "ls-tree", "-r", "-z", NULL, NULL};
	char *cat[] = {"git", "cat-file", "--batch", NULL};
	Buf list = {0}, ids = {0}, data = {0}, path = {0};
	Blob *blobs = NULL;
	size_t nblobs = 0, cap = 0, i, pos;
	int st;

	ls[4] = (char *)arg;
	st = run_git(ls, NULL, &list, arg, d);
	if (st == STATUS_USAGE)
		diag_error(d, NO_LOC, "'%s': neither a directory nor a directory "
			   "PATH of a git revision REV (REV:PATH)", arg);
	if (st)
		goto out;
	/* "<mode> SP <type> SP <oid> TAB <name> NUL": regular files only
	 * (no link, no submodule), and of those the spec files */
	for (pos = 0; pos < list.len;) {
		char *e = list.data + pos, *tab = memchr(e, '\t', list.len - pos);
		char *end = memchr(e, '\0', list.len - pos);
		if (!tab || !end || tab > end)
			break;
		*tab = '\0';
		pos = (size_t)(end - list.data) + 1;
		if (strncmp(e, "100644 blob ", 12) != 0 &&
		    strncmp(e, "100755 blob ", 12) != 0)
			continue;
		if (format_from_path(tab + 1) == FMT_NONE)
			continue;
		if (!safe_name(tab + 1)) {
			diag_error(d, NO_LOC, "'%s': git names a file '%s', which "
				   "cannot be copied", arg, tab + 1);
			st = STATUS_IO;
			goto out;
		}
		blobs = xgrow(blobs, &cap, nblobs + 1, sizeof *blobs);
		blobs[nblobs].oid = e + 12;
		blobs[nblobs++].name = tab + 1;
		buf_printf(&ids, "%s\n", e + 12);
	}
	path_join(&path, side->tmp, "tree");
	if (mkdir(buf_cstr(&path), 0700) != 0) {
		st = path_error(d, buf_cstr(&path), "cannot create directory", errno);
		goto out;
	}
	side->dir = made(side, 'd', buf_cstr(&path));
	buf_clear(&path);
	path_join(&path, side->tmp, "objects");
	/* remembered first: whatever a failed write leaves is removed too */
	made(side, 'f', buf_cstr(&path));
	st = write_all(buf_cstr(&path), ids.data ? ids.data : "", ids.len, d);
	if (!st)
		st = run_git(cat, buf_cstr(&path), &data, arg, d);
	if (st == STATUS_USAGE) {
		diag_error(d, NO_LOC, "'%s': git cat-file failed", arg);
		st = STATUS_IO;
	}
	/* "<oid> SP blob SP <size> LF <content> LF", in the order asked */
	for (i = 0, pos = 0; !st && i < nblobs; i++) {
		char *hdr = data.data + pos, *nl, *sp;
		unsigned long long size;
		nl = memchr(hdr, '\n', data.len - pos);
		if (!nl) {
			st = STATUS_IO;
			break;
		}
		*nl = '\0';
		sp = strrchr(hdr, ' ');
		if (!sp || strstr(hdr, " blob ") == NULL) {
			st = STATUS_IO;
			break;
		}
		size = strtoull(sp + 1, NULL, 10);
		pos = (size_t)(nl - data.data) + 1;
		if (size > data.len - pos) {
			st = STATUS_IO;
			break;
		}
		st = make_parents(side, side->dir, blobs[i].name, d);
		if (st)
			goto out;
		buf_clear(&path);
		path_join(&path, side->dir, blobs[i].name);
		made(side, 'f', buf_cstr(&path));
		st = write_all(buf_cstr(&path), data.data + pos, (size_t)size, d);
		if (st)
			goto out;
		pos += (size_t)size + 1;
	}
	if (st == STATUS_IO && !diag_error_count(d))
		diag_error(d, NO_LOC, "'%s': git cat-file gave what was not asked",
			   arg);
out:
	free(blobs);
	buf_free(&list);
	buf_free(&ids);
	buf_free(&data);
	buf_free(&path);
	return st;
}

int diff_side_open(DiffSide *side, const char *arg, Diag *d)
{
	struct stat sb;
	const char *tmpdir = getenv("TMPDIR");
	Buf b = {0};
	int st;

	memset(side, 0, sizeof *side);
	side->arg = arg;
	if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		side->dir = arg;
		return STATUS_OK;
	}
	if (!strchr(arg, ':')) {
		if (stat(arg, &sb) == 0)
			return path_error(d, arg, "not a directory", 0);
		return path_error(d, arg, "cannot read spec directory", errno);
	}
	/* git would read it as one of its options */
	if (arg[0] == '-') {
		diag_error(d, NO_LOC, "'%s': a revision cannot start with '-'", arg);
		return STATUS_USAGE;
	}
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	path_join(&b, tmpdir, "xenbindgen-diff-XXXXXX");
	side->tmp = buf_detach(&b, NULL);
	if (!mkdtemp(side->tmp)) {
		st = path_error(d, side->tmp, "cannot create a temporary directory",
				errno);
		free(side->tmp);
		side->tmp = NULL;
		return st;
	}
	st = extract(side, arg, d);
	if (!st) {
		/* the copy's files show under the name the user gave */
		diag_show_as(d, side->dir, arg);
	}
	return st;
}

int diff_side_load(DiffSide *side, Diag *d)
{
	int st;
	side->spec = spec_new(side->dir);
	st = spec_load(side->spec, d);
	if (st == 0)
		spec_check(side->spec, d);
	if (diag_error_count(d) == 0)
		layout_compute(side->spec, d);
	if (st)
		return st;
	if (diag_error_count(d))
		return STATUS_SPEC;
	abi_facts_build(&side->facts, side->spec);
	side->has_facts = true;
	return STATUS_OK;
}

void diff_side_close(DiffSide *side)
{
	size_t i;
	if (side->has_facts)
		abi_facts_free(&side->facts);
	spec_free(side->spec);
	/* files and directories, newest first: a directory is empty when its
	 * turn comes */
	for (i = side->nmade; i-- > 0;) {
		if (side->made[i][0] == 'd')
			rmdir(side->made[i] + 1);
		else
			unlink(side->made[i] + 1);
		free(side->made[i]);
	}
	free(side->made);
	if (side->tmp)
		rmdir(side->tmp);
	free(side->tmp);
	memset(side, 0, sizeof *side);
}
