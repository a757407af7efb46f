/*
 * fs.c - the file system: reading a file, walking a directory tree,
 * writing a set of files atomically, mkdir -p.
 *
 * Every command goes through here, so that each of these has one policy:
 *
 *   - One walker (walk_tree()).  Entries are listed, then sorted bytewise
 *     (strcmp), so neither the order in which the file system lists them
 *     nor the locale changes a result.  Spec trees (WALK_INPUT: generation,
 *     convert, fmt) are untrusted: hidden entries are skipped; a symbolic
 *     link, to a directory or to a file, is followed only if its target
 *     resolves inside the root being walked (a link to / must not make us
 *     walk the whole file system, a link to ~/.ssh/x.toml must not make us
 *     read and quote it, and convert --in-place must not delete or write
 *     through it); loops are caught by remembering the device and inode of
 *     every directory being walked; nesting is limited to MAX_DIR_DEPTH;
 *     a FIFO or a device (which would block or never end) is refused.  An
 *     output directory (WALK_OUTPUT: the stale and extra files of out/) is
 *     trusted but shared: no link is ever followed (lstat), hidden
 *     directories are skipped (a .git may quote our marker in a commit
 *     message) but hidden files are seen (our temporaries), and
 *     directories deeper than MAX_DIR_DEPTH are not entered: no output
 *     can be there, since an output's depth is its unit's.
 *
 *   - One atomic writer (Txn).  A transaction stages files: each one whose
 *     content differs from what is on disk goes to a temporary file next
 *     to its destination; then it commits (renames every temporary into
 *     place, then removes what was scheduled for removal) or aborts
 *     (removes the temporaries and the directories it created).  rename()
 *     is atomic per file, so nobody ever reads half a file.  No fsync:
 *     what we write can be generated again, and syncing hundreds of
 *     headers would slow every build.
 *
 *   - Signals.  A run stopped by SIGINT, SIGTERM or SIGHUP must not leave
 *     temporary files or created directories behind: the first
 *     transaction installs a handler that removes them, using only
 *     async-signal-safe calls over a list that is only ever changed with
 *     these signals blocked, and then dies of the signal.  They are also
 *     blocked while a transaction commits, so a run commits all its
 *     renames or none.  SIGXFSZ (a file size limit, `ulimit -f`) is
 *     ignored, so that write() fails with EFBIG and the run reports a
 *     located I/O error instead of dying with a temporary file left.
 *     SIGKILL cannot be caught: its leftovers have names of their own,
 *     ".NAME.xbg-tmp-XXXXXX" (fs_temp_dest()), which no command takes for
 *     a spec or an output, and the next run that writes NAME removes them.
 *
 * Errors are reported against the path, with no line ("out/a.h: error:
 * cannot write: No space left on device"), and returned as STATUS_IO.
 */
/* realpath() is XSI in glibc's view of POSIX 2008; a feature-test macro
 * is the one reserved identifier a program must define */
#define _XOPEN_SOURCE 700 /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

#include "base/base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { IO_CHUNK = 64 * 1024, MAX_TEMP_BASE = 200 };

/* What follows the destination's name in a temporary file's name; mkstemp()
 * replaces the six X. */
static const char TEMP_TAG[] = ".xbg-tmp-";
#define TEMP_RANDOM 6

static Loc path_loc(Diag *d, const char *path)
{
	Loc l = {0, 0, 0};
	l.file = diag_add_source(d, path);
	return l;
}

int path_error(Diag *d, const char *path, const char *what, int err)
{
	if (err)
		diag_error(d, path_loc(d, path), "%s: %s", what, strerror(err));
	else
		diag_error(d, path_loc(d, path), "%s", what);
	return STATUS_IO;
}

/* ---- Test hooks ----------------------------------------------------------
 * Only in the test build (XBG_TEST_HOOKS, base.h). */
#ifdef XBG_TEST_HOOKS
void test_signal_at(const char *point)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {{"INT", SIGINT}, {"TERM", SIGTERM}, {"HUP", SIGHUP},
		    {"KILL", SIGKILL}};
	static bool fired;
	const char *spec = getenv("XBG_TEST_SIGNAL_AT"), *colon;
	size_t i, n;

	if (fired || !spec || !(colon = strchr(spec, ':')))
		return;
	n = strlen(point);
	if ((size_t)(colon - spec) != n || strncmp(spec, point, n) != 0)
		return;
	for (i = 0; i < ARRAY_LEN(sigs); i++)
		if (strcmp(colon + 1, sigs[i].name) == 0) {
			fired = true;
			raise(sigs[i].sig);
		}
}
#endif

/* ---- Reading a file ------------------------------------------------------ */

const char read_file_too_large[] =
	"spec file is larger than the limit of " BOUND_STR(MAX_FILE_SIZE_MIB)
	" MiB";

char *read_file(const char *path, size_t *len, const char **err)
{
	FILE *f;
	struct stat st;
	char *data = NULL;
	size_t n = 0, cap = 0;

	f = fopen(path, "rb");
	if (!f) {
		*err = strerror(errno);
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0) {
		st.st_mode = 0;
	} else if (S_ISDIR(st.st_mode)) {
		fclose(f);
		*err = strerror(EISDIR);
		return NULL;
	}
	/* Read in chunks rather than trusting st_size: it is 0 for pipes and
	 * /proc files, and the file may change under us.  It is still the
	 * best first guess of a regular file's size: room for it, its NUL and
	 * one more byte usually means one read and no reallocation. */
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size <= MAX_FILE_SIZE) {
		cap = (size_t)st.st_size + 2;
		data = xmalloc(cap);
	}
	for (;;) {
		size_t got;
		if (n + 2 > cap)
			data = xgrow(data, &cap, n + 65536 + 1, 1);
		got = fread(data + n, 1, cap - n - 1, f);
		n += got;
		if (n > MAX_FILE_SIZE) {
			free(data);
			fclose(f);
			*err = read_file_too_large;
			return NULL;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		*err = strerror(errno ? errno : EIO);
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

static int open_nofollow(const char *path)
{
	int fd;
	do
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
}

/* read() that retries on EINTR; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t read_some(int fd, void *p, size_t n)
{
	ssize_t r;
	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

int fs_read_head(const char *path, char *buf, size_t cap, size_t *n)
{
	struct stat st;
	int fd = open_nofollow(path), saved;

	*n = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	while (*n < cap) {
		ssize_t r = read_some(fd, buf + *n, cap - *n);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		*n += (size_t)r;
	}
	close(fd);
	return 1;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* ---- Paths --------------------------------------------------------------- */

void path_root(Buf *b, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	buf_clear(b);
	if (n == 0)
		buf_putc(b, '.');
	else
		buf_put(b, dir, n);
	buf_cstr(b);
}

void path_join(Buf *b, const char *dir, const char *name)
{
	buf_clear(b);
	buf_puts(b, dir);
	if (b->len == 0 || b->data[b->len - 1] != '/')
		buf_putc(b, '/');
	buf_puts(b, name);
	buf_cstr(b);
}

bool fs_temp_dest(const char *path, Buf *dest)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path, *p;
	size_t n = strlen(name), tag = sizeof TEMP_TAG - 1, i;

	if (name[0] != '.' || n < 2 + tag + TEMP_RANDOM)
		return false;
	p = name + n - TEMP_RANDOM - tag;
	if (memcmp(p, TEMP_TAG, tag) != 0)
		return false;
	for (i = 0; i < TEMP_RANDOM; i++) {
		char c = p[tag + i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	buf_clear(dest);
	buf_put(dest, path, (size_t)(name - path));
	buf_put(dest, name + 1, (size_t)(p - name - 1));
	buf_cstr(dest);
	return true;
}

/* ---- What is on disk ----------------------------------------------------- */

/* What is at path, without following a final symlink. */
static int inspect(const char *path, struct stat *st, FsState *res, Diag *d)
{
	if (lstat(path, st) == 0) {
		if (S_ISDIR(st->st_mode))
			*res = FS_DIR;
		else if (!S_ISREG(st->st_mode))
			*res = FS_OTHER;
		else
			*res = FS_DIFFERENT; /* not compared yet */
		return STATUS_OK;
	}
	if (errno == ENOENT || errno == ENOTDIR) {
		*res = FS_MISSING;
		return STATUS_OK;
	}
	return path_error(d, path, "cannot inspect", errno);
}

/* Open a file inspect() found regular; it may have changed since. */
static int open_regular(const char *path, int *fd, FsState *res, Diag *d)
{
	*fd = open_nofollow(path);
	if (*fd >= 0)
		return STATUS_OK;
	if (errno == ENOENT)
		*res = FS_MISSING;
	else if (errno == ELOOP)
		*res = FS_OTHER;
	else
		return path_error(d, path, "cannot read", errno);
	return STATUS_OK;
}

int fs_compare(const char *path, const char *data, size_t len, FsState *res,
	       Diag *d)
{
	struct stat st;
	char *chunk;
	size_t off = 0;
	int fd, rc = inspect(path, &st, res, d);

	if (rc || *res != FS_DIFFERENT)
		return rc;
	if ((uintmax_t)st.st_size != (uintmax_t)len)
		return STATUS_OK;
	rc = open_regular(path, &fd, res, d);
	if (rc || fd < 0)
		return rc;
	chunk = xmalloc(IO_CHUNK);
	*res = FS_SAME;
	for (;;) {
		ssize_t r = read_some(fd, chunk, IO_CHUNK);
		if (r < 0) {
			rc = path_error(d, path, "cannot read", errno);
			break;
		}
		if (r == 0)
			break;
		if ((size_t)r > len - off ||
		    memcmp(chunk, data + off, (size_t)r) != 0) {
			*res = FS_DIFFERENT;
			break;
		}
		off += (size_t)r;
	}
	if (*res == FS_SAME && off != len)
		*res = FS_DIFFERENT; /* shrank while we read */
	free(chunk);
	close(fd);
	return rc;
}

int fs_slurp(const char *path, Buf *b, FsState *res, Diag *d)
{
	struct stat st;
	int fd, rc = inspect(path, &st, res, d);

	buf_clear(b);
	if (rc || *res != FS_DIFFERENT)
		return rc;
	rc = open_regular(path, &fd, res, d);
	if (rc || fd < 0)
		return rc;
	buf_reserve(b, (size_t)st.st_size);
	for (;;) {
		ssize_t r;
		buf_reserve(b, IO_CHUNK);
		r = read_some(fd, b->data + b->len, IO_CHUNK);
		if (r < 0) {
			rc = path_error(d, path, "cannot read", errno);
			break;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	close(fd);
	return rc;
}

unsigned fs_default_mode(void)
{
	/* umask() can only be read by setting it; the two calls are not
	 * thread-safe, and we have no threads */
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~(unsigned)mask;
}

unsigned fs_mode_of(const char *path, unsigned fallback)
{
	struct stat st;
	if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return (unsigned)st.st_mode & 07777;
	return fallback;
}

/* ---- The walker ---------------------------------------------------------- */

typedef struct Walker {
	Walk *w;
	char *real_root; /* the root's real path; NULL if it has none */
	dev_t dev[MAX_DIR_DEPTH + 1];
	ino_t ino[MAX_DIR_DEPTH + 1];
	int n;           /* directories being walked, the root included */
	Buf path, rel;   /* of the entry at hand */
	bool stop;
} Walker;

static void walk_fail(Walker *W, int status)
{
	if (status > W->w->status)
		W->w->status = status;
	/* an output directory is ours to write: one error ends the walk */
	if (status == STATUS_IO && W->w->mode == WALK_OUTPUT)
		W->stop = true;
}

/* Does the symbolic link at path lead outside the root?  realpath()
 * resolves every link on the way; a link that resolves nowhere (broken, a
 * loop) is outside too. */
static bool link_outside(Walker *W, const char *path)
{
	struct stat lsb;
	char *real;
	size_t n;
	bool inside;

	if (lstat(path, &lsb) != 0 || !S_ISLNK(lsb.st_mode))
		return false;
	real = realpath(path, NULL);
	n = W->real_root ? strlen(W->real_root) : 0;
	inside = real && W->real_root &&
		 (n == 1 || /* the root is "/" */
		  (strncmp(real, W->real_root, n) == 0 &&
		   (real[n] == '/' || real[n] == '\0')));
	free(real);
	return !inside;
}

/* The names in the directory at W->path, sorted; NULL (with *n = 0) after
 * reporting an error. */
static char **list_dir(Walker *W, size_t *n)
{
	DIR *dir = opendir(W->path.data);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0, i;

	*n = 0;
	if (!dir) {
		path_error(W->w->d, W->path.data, "cannot open directory", errno);
		walk_fail(W, STATUS_IO);
		return NULL;
	}
	for (;;) {
		errno = 0;
		e = readdir(dir);
		if (!e)
			break;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_name[0] == '.' && W->w->mode == WALK_INPUT)
			continue; /* hidden */
		names = xgrow(names, &cap, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
	}
	if (errno) {
		path_error(W->w->d, W->path.data, "cannot read directory", errno);
		walk_fail(W, STATUS_IO);
		closedir(dir);
		for (i = 0; i < *n; i++)
			free(names[i]);
		free(names);
		*n = 0;
		return NULL;
	}
	closedir(dir);
	/* qsort() must not be given a null array, even an empty one */
	if (*n > 1)
		qsort(names, *n, sizeof *names, cmp_str);
	return names;
}

static void walk_dir(Walker *W, const struct stat *sb, int level);

static const char LINK_OUTSIDE[] =
	"symbolic link leads outside the input directory; not followed";

/* One entry of the directory being walked, named in W->path and W->rel. */
static WalkNext walk_entry(Walker *W, const char *name, int level)
{
	Walk *w = W->w;
	WalkEntry e;
	struct stat sb;
	bool input = w->mode == WALK_INPUT;
	bool wanted = !w->want || w->want(name);
	int r = input ? stat(W->path.data, &sb) : lstat(W->path.data, &sb);

	e.path = W->path.data;
	e.rel = W->rel.data;
	e.name = name;
	e.level = level;
	e.size = 0;
	if (r != 0) {
		if (!input && errno == ENOENT)
			return WALK_NEXT; /* gone meanwhile */
		if (!input || wanted) {
			path_error(w->d, e.path, input ? "cannot read" : "cannot inspect",
				   errno);
			walk_fail(W, STATUS_IO);
		}
		return WALK_NEXT;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (!input && name[0] == '.')
			return WALK_NEXT;
		if (input && link_outside(W, e.path)) {
			diag_error(w->d, path_loc(w->d, e.path), "%s", LINK_OUTSIDE);
			walk_fail(W, STATUS_SPEC);
			return WALK_NEXT;
		}
		if (w->enter && !w->enter(w->ctx, &e)) {
			walk_fail(W, STATUS_SPEC);
			return WALK_NEXT;
		}
		walk_dir(W, input ? NULL : &sb, level);
		return WALK_NEXT;
	}
	if (!wanted)
		return WALK_NEXT;
	if (input && link_outside(W, e.path)) {
		diag_error(w->d, path_loc(w->d, e.path), "%s", LINK_OUTSIDE);
		walk_fail(W, STATUS_SPEC);
		return WALK_NEXT;
	}
	if (!S_ISREG(sb.st_mode)) {
		if (!input)
			return WALK_NEXT; /* a link, a socket: not ours */
		diag_error(w->d, path_loc(w->d, e.path), "not a regular file");
		walk_fail(W, STATUS_SPEC);
		return WALK_NEXT;
	}
	e.size = (uint64_t)sb.st_size;
	return w->file ? w->file(w->ctx, &e) : WALK_NEXT;
}

/* Walk the directory in W->path (at level below the root), whose lstat()
 * is sb in WALK_OUTPUT mode; in WALK_INPUT mode it is stat()ed here, as a
 * link to it was followed. */
static void walk_dir(Walker *W, const struct stat *sb, int level)
{
	Walk *w = W->w;
	struct stat own;
	size_t n, i, plen = W->path.len, rlen = W->rel.len;
	char **names;
	int k;

	if (!sb) {
		if (stat(W->path.data, &own) != 0) {
			path_error(w->d, W->path.data, "cannot read", errno);
			walk_fail(W, STATUS_IO);
			return;
		}
		sb = &own;
	}
	/* (WALK_OUTPUT follows no link: only a bind mount can loop) */
	for (k = 0; k < W->n; k++) {
		if (W->dev[k] == sb->st_dev && W->ino[k] == sb->st_ino) {
			if (w->mode == WALK_OUTPUT)
				return;
			diag_error(w->d, path_loc(w->d, W->path.data),
				   "directory loop (a symbolic link points back to a "
				   "parent directory)");
			walk_fail(W, STATUS_SPEC);
			return;
		}
	}
	/* the stack holds the root and the directories below it: at most
	 * MAX_DIR_DEPTH of those */
	if (W->n > MAX_DIR_DEPTH) {
		if (w->mode == WALK_INPUT) {
			diag_error(w->d, path_loc(w->d, W->path.data),
				   "directories nested deeper than %d levels",
				   MAX_DIR_DEPTH);
			walk_fail(W, STATUS_SPEC);
		}
		return;
	}
	W->dev[W->n] = sb->st_dev;
	W->ino[W->n] = sb->st_ino;
	W->n++;

	names = list_dir(W, &n);
	for (i = 0; i < n && !W->stop; i++) {
		WalkNext next;
		W->path.len = plen;
		if (!plen || W->path.data[plen - 1] != '/')
			buf_putc(&W->path, '/');
		buf_puts(&W->path, names[i]);
		buf_cstr(&W->path);
		W->rel.len = rlen;
		if (rlen)
			buf_putc(&W->rel, '/');
		buf_puts(&W->rel, names[i]);
		buf_cstr(&W->rel);
		next = walk_entry(W, names[i], level + 1);
		if (next == WALK_STOP)
			W->stop = true;
		if (next != WALK_NEXT)
			break;
	}
	W->path.len = plen;
	buf_cstr(&W->path);
	W->rel.len = rlen;
	buf_cstr(&W->rel);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	W->n--;
}

int walk_tree(Walk *w, const char *root)
{
	Walker W;
	struct stat sb;

	memset(&W, 0, sizeof W);
	W.w = w;
	buf_puts(&W.path, root);
	buf_cstr(&W.path);
	buf_cstr(&W.rel);
	if (w->mode == WALK_INPUT) {
		W.real_root = realpath(root, NULL);
		walk_dir(&W, NULL, 0);
	} else if (stat(root, &sb) != 0) {
		path_error(w->d, root, "cannot inspect", errno);
		walk_fail(&W, STATUS_IO);
	} else {
		walk_dir(&W, &sb, 0);
	}
	free(W.real_root);
	buf_free(&W.path);
	buf_free(&W.rel);
	return w->status;
}

/* ---- Cleaning up after a signal ----------------------------------------- *
 * The temporary files and the directories created by live transactions,
 * for the handler.  Only ever changed with the signals blocked, so the
 * handler never sees a half-made change; a slot is NULL once its file was
 * renamed or removed. */

static struct {
	char **files;
	size_t nfiles, filecap;
	char **dirs;
	size_t ndirs, dircap;
	size_t live;
	bool installed;
	sigset_t set; /* the signals handled */
} guard;

static const int guarded[] = {SIGINT, SIGTERM, SIGHUP};

/* Async-signal-safe: unlink(), rmdir(), signal() and raise() only. */
static void on_signal(int sig)
{
	size_t i;
	for (i = guard.nfiles; i-- > 0;)
		if (guard.files[i])
			unlink(guard.files[i]);
	for (i = guard.ndirs; i-- > 0;)
		if (guard.dirs[i])
			rmdir(guard.dirs[i]);
	/* die of the signal, as if we had never caught it: the signal is
	 * blocked while we are here, and is delivered on return */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard_install(void)
{
	struct sigaction sa;
	size_t i;

	if (guard.installed)
		return;
	guard.installed = true;
	sigemptyset(&guard.set);
	for (i = 0; i < ARRAY_LEN(guarded); i++)
		sigaddset(&guard.set, guarded[i]);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_mask = guard.set;
	for (i = 0; i < ARRAY_LEN(guarded); i++) {
		struct sigaction old;
		/* a signal the caller ignores (nohup) stays ignored */
		if (sigaction(guarded[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(guarded[i], &sa, NULL);
	}
	/* a file size limit: write() then fails with EFBIG, and we clean up
	 * and say so */
	signal(SIGXFSZ, SIG_IGN);
}

static void guard_block(sigset_t *old)
{
	sigprocmask(SIG_BLOCK, &guard.set, old);
}

static void guard_unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* Register path (blocked); returns its slot. */
static size_t guard_add(char ***v, size_t *n, size_t *cap, char *path)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[*n] = path;
	guard.live++;
	return (*n)++;
}

/* Forget a slot (blocked); the lists restart once nothing is live. */
static void guard_forget(char **v, size_t slot)
{
	if (!v[slot])
		return;
	v[slot] = NULL;
	if (--guard.live == 0)
		guard.nfiles = guard.ndirs = 0;
}

/* ---- Transactions -------------------------------------------------------- */

typedef struct TxnFile {
	char *dest;
	char *tmp;   /* NULL once renamed or removed */
	size_t slot; /* in guard.files */
} TxnFile;

typedef struct TxnRemoval {
	char *path;
	const char *what; /* the error's words */
	bool counted;
} TxnRemoval;

struct Txn {
	Diag *d;
	TxnFile *files;
	size_t nfiles, filecap;
	TxnRemoval *rm;
	size_t nrm, rmcap;
	char **dirs; /* created, outermost first */
	size_t *dirslot;
	size_t ndirs, dircap, dirslotcap;
	size_t renamed, removed;
	bool done;
};

Txn *txn_new(Diag *d)
{
	Txn *t = xcalloc(1, sizeof *t);
	t->d = d;
	guard_install();
	return t;
}

/* Create one directory unless it exists; remember it in t. */
static int make_dir(const char *path, Txn *t, Diag *d)
{
	struct stat st;
	int err;
	sigset_t old;

	if (t)
		guard_block(&old);
	if (mkdir(path, 0777) == 0) {
		if (t) {
			char *copy = xstrdup(path);
			t->dirs = xgrow(t->dirs, &t->dircap, t->ndirs + 1,
					sizeof *t->dirs);
			t->dirslot = xgrow(t->dirslot, &t->dirslotcap, t->ndirs + 1,
					   sizeof *t->dirslot);
			t->dirs[t->ndirs] = copy;
			t->dirslot[t->ndirs++] = guard_add(&guard.dirs, &guard.ndirs,
							   &guard.dircap, copy);
			guard_unblock(&old);
		}
		return STATUS_OK;
	}
	err = errno;
	if (t)
		guard_unblock(&old);
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return STATUS_OK;
		return path_error(d, path, "exists and is not a directory", 0);
	}
	return path_error(d, path, "cannot create directory", err);
}

int fs_mkdirs(const char *path, Txn *t, Diag *d)
{
	struct stat st;
	Buf b = {0};
	size_t i;
	int rc = STATUS_OK;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return STATUS_OK;
	buf_puts(&b, path);
	buf_cstr(&b);
	for (i = 1; i < b.len && !rc; i++) {
		if (b.data[i] != '/' || b.data[i - 1] == '/')
			continue;
		b.data[i] = '\0';
		rc = make_dir(b.data, t, d);
		b.data[i] = '/';
	}
	if (!rc)
		rc = make_dir(b.data, t, d);
	buf_free(&b);
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write data to a new temporary file next to f->dest and record it in f
 * (and for the signal handler) as soon as it exists, so that it is
 * removed whatever happens next. */
static int write_temp(TxnFile *f, const char *data, size_t len, unsigned mode,
		      Diag *d)
{
	const char *slash = strrchr(f->dest, '/');
	const char *base = slash ? slash + 1 : f->dest;
	size_t blen = strlen(base);
	Buf t = {0};
	sigset_t old;
	int fd, err = 0;

	if (slash)
		buf_put(&t, f->dest, (size_t)(base - f->dest));
	buf_putc(&t, '.');
	/* within NAME_MAX; the end of the name says whose it is (.h, .rs) */
	if (blen > MAX_TEMP_BASE)
		base += blen - MAX_TEMP_BASE;
	buf_puts(&t, base);
	buf_puts(&t, TEMP_TAG);
	buf_puts(&t, "XXXXXX");
	buf_cstr(&t);
	guard_block(&old);
	fd = mkstemp(t.data);
	if (fd < 0) {
		err = errno;
		guard_unblock(&old);
		buf_free(&t);
		return path_error(d, f->dest, "cannot write", err);
	}
	f->tmp = buf_detach(&t, NULL);
	f->slot = guard_add(&guard.files, &guard.nfiles, &guard.filecap, f->tmp);
	guard_unblock(&old);
	if (fchmod(fd, (mode_t)mode) != 0 || write_all(fd, data, len) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (err)
		return path_error(d, f->dest, "cannot write", err);
	return STATUS_OK;
}

int txn_put(Txn *t, const char *dest, const char *data, size_t len,
	    unsigned mode, bool *unchanged)
{
	const char *slash = strrchr(dest, '/');
	FsState disk;
	TxnFile *f;
	int rc = fs_compare(dest, data, len, &disk, t->d);

	*unchanged = false;
	if (rc)
		return rc;
	if (disk == FS_DIR)
		return path_error(t->d, dest, "cannot write: a directory is in "
				  "the way", 0);
	if (disk == FS_SAME) {
		*unchanged = true;
		return STATUS_OK;
	}
	if (slash && slash != dest) {
		char *dir = xstrndup(dest, (size_t)(slash - dest));
		rc = fs_mkdirs(dir, t, t->d);
		free(dir);
		if (rc)
			return rc;
	}
	t->files = xgrow(t->files, &t->filecap, t->nfiles + 1, sizeof *t->files);
	f = &t->files[t->nfiles++];
	f->dest = xstrdup(dest);
	f->tmp = NULL;
	rc = write_temp(f, data, len, mode, t->d);
	if (!f->tmp) {
		/* no temporary file: nothing to rename or remove */
		free(f->dest);
		t->nfiles--;
	}
	TEST_SIGNAL_AT("staged");
	return rc;
}

void txn_remove(Txn *t, const char *path, const char *what, bool counted)
{
	TxnRemoval *r;
	t->rm = xgrow(t->rm, &t->rmcap, t->nrm + 1, sizeof *t->rm);
	r = &t->rm[t->nrm++];
	r->path = xstrdup(path);
	r->what = what;
	r->counted = counted;
}

static bool own_temp(const Txn *t, const char *path)
{
	size_t i;
	for (i = 0; i < t->nfiles; i++)
		if (t->files[i].tmp && strcmp(t->files[i].tmp, path) == 0)
			return true;
	return false;
}

/* The directory part of path ("." for none; "/" for "/x"). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

void txn_remove_leftovers_of(Txn *t, const char *const *dests, size_t n)
{
	/* each directory is listed once, whatever the number of files in it:
	 * fmt of a tree stays linear */
	HMap want, dirs;
	Buf path = {0}, target = {0};
	char **listed = xcalloc(n + 1, sizeof *listed);
	size_t i, nlisted = 0;

	hmap_init(&want);
	hmap_init(&dirs);
	for (i = 0; i < n; i++)
		hmap_put(&want, dests[i], strlen(dests[i]), (void *)dests[i]);
	for (i = 0; i < n; i++) {
		char *dir = dir_of(dests[i]);
		bool rel = !strchr(dests[i], '/');
		DIR *dp;
		struct dirent *e;
		if (hmap_gets(&dirs, dir)) {
			free(dir);
			continue;
		}
		hmap_put(&dirs, dir, strlen(dir), dir);
		listed[nlisted++] = dir;
		dp = opendir(dir);
		while (dp && (e = readdir(dp)) != NULL) {
			if (e->d_name[0] != '.')
				continue;
			if (rel) {
				buf_clear(&path);
				buf_puts(&path, e->d_name);
				buf_cstr(&path);
			} else {
				path_join(&path, dir, e->d_name);
			}
			if (fs_temp_dest(path.data, &target) &&
			    hmap_get(&want, target.data, target.len) &&
			    !own_temp(t, path.data))
				txn_remove(t, path.data, "cannot remove a temporary "
					   "file left by an earlier run", false);
		}
		if (dp)
			closedir(dp);
	}
	for (i = 0; i < nlisted; i++)
		free(listed[i]);
	free(listed);
	hmap_free(&dirs);
	hmap_free(&want);
	buf_free(&path);
	buf_free(&target);
}

void txn_remove_leftovers(Txn *t, const char *dest)
{
	txn_remove_leftovers_of(t, &dest, 1);
}

size_t txn_staged(const Txn *t)
{
	return t->nfiles;
}

const char *txn_temp(const Txn *t, size_t i)
{
	return t->files[i].tmp;
}

/* Forget the created directories: they now hold our files, or are kept. */
static void forget_dirs(Txn *t)
{
	size_t i;
	for (i = 0; i < t->ndirs; i++) {
		guard_forget(guard.dirs, t->dirslot[i]);
		free(t->dirs[i]);
	}
	t->ndirs = 0;
}

/* Remove the temporary files from i on (blocked). */
static void drop_temps(Txn *t, size_t i)
{
	for (; i < t->nfiles; i++) {
		TxnFile *f = &t->files[i];
		if (!f->tmp)
			continue;
		unlink(f->tmp);
		guard_forget(guard.files, f->slot);
		free(f->tmp);
		f->tmp = NULL;
	}
}

int txn_commit(Txn *t)
{
	sigset_t old;
	size_t i;
	int rc = STATUS_OK;

	TEST_SIGNAL_AT("commit");
	/* all the renames or none: a signal now waits until they are done */
	guard_block(&old);
	for (i = 0; i < t->nfiles; i++) {
		TxnFile *f = &t->files[i];
		if (rename(f->tmp, f->dest) != 0) {
			rc = path_error(t->d, f->dest, "cannot write", errno);
			if (i)
				diag_note(t->d, NO_LOC, "%zu other output%s already "
					  "updated", i, i == 1 ? " was" : "s were");
			drop_temps(t, i);
			break;
		}
		guard_forget(guard.files, f->slot);
		free(f->tmp);
		f->tmp = NULL;
		t->renamed++;
		TEST_SIGNAL_AT("renamed");
	}
	/* then what is no longer wanted, once its replacements are in place */
	for (i = 0; i < t->nrm && t->renamed == t->nfiles; i++) {
		const TxnRemoval *r = &t->rm[i];
		if (unlink(r->path) == 0) {
			if (r->counted)
				t->removed++;
		} else if (errno != ENOENT) {
			rc = path_error(t->d, r->path, r->what, errno);
		}
	}
	forget_dirs(t);
	t->done = true;
	guard_unblock(&old);
	return rc;
}

void txn_abort(Txn *t)
{
	sigset_t old;
	size_t i;

	if (t->done)
		return;
	guard_block(&old);
	drop_temps(t, 0);
	/* deepest first; a directory that is not empty again stays */
	for (i = t->ndirs; i-- > 0;)
		rmdir(t->dirs[i]);
	forget_dirs(t);
	t->done = true;
	guard_unblock(&old);
}

size_t txn_renamed(const Txn *t)
{
	return t->renamed;
}

size_t txn_removed(const Txn *t)
{
	return t->removed;
}

void txn_free(Txn *t)
{
	size_t i;
	if (!t)
		return;
	txn_abort(t);
	for (i = 0; i < t->nfiles; i++)
		free(t->files[i].dest);
	free(t->files);
	for (i = 0; i < t->nrm; i++)
		free(t->rm[i].path);
	free(t->rm);
	free(t->dirs);
	free(t->dirslot);
	free(t);
}
