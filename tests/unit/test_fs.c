/*
 * test_fs.c - the walker and the transactions of base/fs.c.
 *
 * The commands that use them are tested end to end (tests/suites/fs.py,
 * faults.py, hostile.py, test_output.c); here each rule of the policy is
 * checked on its own, on trees made under a fresh temporary directory.
 */
#include "base/base.h"
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmp_root;

/* tmp_root "/" rel, in a buffer of its own. */
static char *at(const char *rel)
{
	Buf b = {0};
	buf_printf(&b, "%s/%s", tmp_root, rel);
	return buf_detach(&b, NULL);
}

static void put(const char *rel, const char *text)
{
	char *p = at(rel), *slash = strrchr(p, '/');
	Diag *d = diag_new();
	FILE *f;
	*slash = '\0';
	CHECK_INT(fs_mkdirs(p, NULL, d), STATUS_OK);
	*slash = '/';
	diag_free(d);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	} else {
		printf("# cannot create %s: %s\n", p, strerror(errno));
		t_failed_now++;
	}
	free(p);
}

static void link_to(const char *target, const char *rel)
{
	char *p = at(rel);
	if (symlink(target, p) != 0) {
		printf("# symlink %s: %s\n", p, strerror(errno));
		t_failed_now++;
	}
	free(p);
}

static bool exists(const char *rel)
{
	struct stat st;
	char *p = at(rel);
	bool ok = lstat(p, &st) == 0;
	free(p);
	return ok;
}

static char *diag_text(Diag *d)
{
	FILE *f = tmpfile();
	Buf b = {0};
	char chunk[4096];
	size_t n;
	diag_print(d, f, false);
	rewind(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	buf_cstr(&b);
	return buf_detach(&b, NULL);
}

/* The walk as text: "rel level size" per file, "enter rel" per
 * directory, then the diagnostics with tmp_root cut out. */
typedef struct Seen {
	Buf log;
	WalkNext at_b; /* what to answer for a file named "b.t" */
} Seen;

static bool want_t(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && strcmp(name + n - 2, ".t") == 0;
}

static bool on_enter(void *ctx, const WalkEntry *e)
{
	Seen *s = ctx;
	buf_printf(&s->log, "enter %s\n", e->rel);
	return strcmp(e->name, "skipped") != 0;
}

static WalkNext on_file(void *ctx, const WalkEntry *e)
{
	Seen *s = ctx;
	buf_printf(&s->log, "%s %d %llu\n", e->rel, e->level,
		   (unsigned long long)e->size);
	return strcmp(e->name, "b.t") == 0 ? s->at_b : WALK_NEXT;
}

static char *walk_log(const char *rel, WalkMode mode, WalkNext at_b,
		      int *status)
{
	Seen s = {{0}, at_b};
	Diag *d = diag_new();
	Walk w;
	char *root = at(rel), *diags, *p;
	size_t n = strlen(tmp_root);

	memset(&w, 0, sizeof w);
	w.mode = mode;
	w.d = d;
	w.ctx = &s;
	w.want = mode == WALK_INPUT ? want_t : NULL;
	w.enter = mode == WALK_INPUT ? on_enter : NULL;
	w.file = on_file;
	*status = walk_tree(&w, root);
	diags = diag_text(d);
	for (p = diags; (p = strstr(p, tmp_root)) != NULL;)
		memmove(p, p + n + 1, strlen(p + n + 1) + 1);
	buf_puts(&s.log, diags);
	free(diags);
	free(root);
	diag_free(d);
	buf_cstr(&s.log);
	return buf_detach(&s.log, NULL);
}

static void test_walk_input_policy(void)
{
	char *log, *outside = at("outside");
	int st;

	put("in/b.t", "bb");
	put("in/a.t", "a");
	put("in/README", "not wanted");
	put("in/.hidden.t", "hidden");
	put("in/.git/x.t", "hidden dir");
	put("in/dir/c.t", "ccc");
	put("in/skipped/d.t", "refused by enter()");
	put("outside/secret.t", "secret");
	link_to(outside, "in/out-dir");
	link_to("../outside/secret.t", "in/out-file.t");
	link_to("/", "in/root");
	link_to("dir", "in/alias");
	link_to("a.t", "in/inside.t");
	link_to("missing.t", "in/broken.t");
	link_to("missing", "in/broken-dir");
	link_to("..", "in/dir/loop");
	log = walk_log("in", WALK_INPUT, WALK_NEXT, &st);
	CHECK_INT(st, STATUS_IO); /* the broken link */
	CHECK_STR(log,
		  "a.t 1 1\n"
		  "enter alias\n"
		  "alias/c.t 2 3\n"
		  "enter alias/loop\n"
		  "b.t 1 2\n"
		  "enter dir\n"
		  "dir/c.t 2 3\n"
		  "enter dir/loop\n"
		  "inside.t 1 1\n"
		  "enter skipped\n"
		  "in/alias/loop: error: directory loop (a symbolic link points "
		  "back to a parent directory)\n"
		  "in/broken.t: error: cannot read: No such file or directory\n"
		  "in/dir/loop: error: directory loop (a symbolic link points "
		  "back to a parent directory)\n"
		  "in/out-dir: error: symbolic link leads outside the input "
		  "directory; not followed\n"
		  "in/out-file.t: error: symbolic link leads outside the input "
		  "directory; not followed\n"
		  "in/root: error: symbolic link leads outside the input "
		  "directory; not followed\n");
	free(log);

	/* the rest of a directory can be skipped, or the rest of the walk */
	put("few/a.t", "");
	put("few/b.t", "");
	put("few/c.t", "");
	put("few/z/d.t", "");
	log = walk_log("few", WALK_INPUT, WALK_LEAVE_DIR, &st);
	CHECK_INT(st, STATUS_OK);
	CHECK_STR(log, "a.t 1 0\nb.t 1 0\n");
	free(log);
	log = walk_log("few", WALK_INPUT, WALK_STOP, &st);
	CHECK_STR(log, "a.t 1 0\nb.t 1 0\n");
	free(log);

	/* a root given with a trailing slash: no doubled slash */
	log = walk_log("few/", WALK_INPUT, WALK_NEXT, &st);
	CHECK_STR(log, "a.t 1 0\nb.t 1 0\nc.t 1 0\nenter z\nz/d.t 2 0\n");
	free(log);
	free(outside);
}

static void test_walk_input_special(void)
{
	char *log, *fifo = at("special/fifo.t");
	int st;

	put("special/a.t", "");
	CHECK(mkfifo(fifo, 0600) == 0);
	link_to("/dev/null", "special/null.t");
	log = walk_log("special", WALK_INPUT, WALK_NEXT, &st);
	CHECK_INT(st, STATUS_SPEC);
	CHECK_STR(log, "a.t 1 0\n"
		  "special/fifo.t: error: not a regular file\n"
		  "special/null.t: error: symbolic link leads outside the input "
		  "directory; not followed\n");
	free(log);
	free(fifo);
}

/* MAX_DIR_DEPTH directories below the root are walked; one more is an
 * error in a spec tree, and silently left alone in an output directory
 * (no output can be that deep). */
static void test_walk_depth(void)
{
	Buf rel = {0}, want = {0}, file = {0};
	char *log;
	int i, st;

	buf_puts(&rel, "deep");
	for (i = 0; i < MAX_DIR_DEPTH; i++)
		buf_puts(&rel, "/d");
	buf_printf(&file, "%s/a.t", buf_cstr(&rel));
	put(file.data, "");
	log = walk_log("deep", WALK_OUTPUT, WALK_NEXT, &st);
	CHECK_INT(st, STATUS_OK);
	for (i = 0; i < MAX_DIR_DEPTH; i++)
		buf_puts(&want, "d/");
	buf_printf(&want, "a.t %d 0\n", MAX_DIR_DEPTH + 1);
	CHECK_STR(log, want.data);
	free(log);

	buf_clear(&file);
	buf_printf(&file, "%s/d/b.t", rel.data);
	put(file.data, "");
	log = walk_log("deep", WALK_OUTPUT, WALK_NEXT, &st);
	CHECK_INT(st, STATUS_OK);
	CHECK_STR(log, want.data);
	free(log);
	log = walk_log("deep", WALK_INPUT, WALK_NEXT, &st);
	CHECK_INT(st, STATUS_SPEC);
	CHECK(strstr(log, "/d/d: error: directories nested deeper than 16 "
		      "levels\n") != NULL);
	free(log);
	buf_free(&rel);
	buf_free(&want);
	buf_free(&file);
}

/* An output directory: nothing followed, hidden directories skipped,
 * hidden files (temporaries) seen, every regular file. */
static void test_walk_output(void)
{
	char *log, *outside = at("outside");
	int st;

	put("out/a.h", "");
	put("out/.a.h.xbg-tmp-AbC123", "x");
	put("out/.git/COMMIT_EDITMSG", "generated by xenbindgen");
	put("out/sub/b.h", "bb");
	put("outside/victim.h", "");
	link_to(outside, "out/linkdir");
	link_to("a.h", "out/link.h");
	log = walk_log("out", WALK_OUTPUT, WALK_NEXT, &st);
	CHECK_INT(st, STATUS_OK);
	CHECK_STR(log, ".a.h.xbg-tmp-AbC123 1 1\na.h 1 0\nsub/b.h 2 2\n");
	free(log);
	log = walk_log("no-such-dir", WALK_OUTPUT, WALK_NEXT, &st);
	CHECK_INT(st, STATUS_IO);
	CHECK_STR(log, "no-such-dir: error: cannot inspect: No such file or "
		  "directory\n");
	free(log);
	free(outside);
}

static void test_temp_names(void)
{
	Buf dest = {0};
	CHECK(fs_temp_dest(".a.h.xbg-tmp-AbC123", &dest));
	CHECK_STR(dest.data, "a.h");
	CHECK(fs_temp_dest("out/sub/.b.rs.xbg-tmp-000000", &dest));
	CHECK_STR(dest.data, "out/sub/b.rs");
	CHECK(fs_temp_dest("/.x.xbg-tmp-zzzzzz", &dest));
	CHECK_STR(dest.data, "/x");
	CHECK(!fs_temp_dest("a.h.xbg-tmp-AbC123", &dest));   /* not hidden */
	CHECK(!fs_temp_dest(".a.h.xbg-tmp-AbC12", &dest));   /* 5 characters */
	CHECK(!fs_temp_dest(".a.h.xbg-tmp-AbC1234", &dest)); /* 7 */
	CHECK(!fs_temp_dest(".a.h.xbg-tmp-AbC-23", &dest));
	CHECK(!fs_temp_dest("..xbg-tmp-AbC123", &dest));     /* no name */
	CHECK(!fs_temp_dest(".a.h.AbC123", &dest));          /* older runs' */
	buf_free(&dest);
}

static size_t count_temps(const char *rel)
{
	char *p = at(rel);
	DIR *dp = opendir(p);
	struct dirent *e;
	Buf b = {0};
	size_t n = 0;
	while (dp && (e = readdir(dp)) != NULL)
		n += fs_temp_dest(e->d_name, &b);
	if (dp)
		closedir(dp);
	buf_free(&b);
	free(p);
	return n;
}

static char *slurp(const char *rel)
{
	char *p = at(rel), *s;
	const char *err;
	size_t n;
	s = read_file(p, &n, &err);
	free(p);
	return s;
}

static void test_txn(void)
{
	Diag *d = diag_new();
	Txn *t;
	char *a = at("txn/a"), *b = at("txn/new/deeper/b"), *old = at("txn/old");
	char *s;
	bool unchanged;

	put("txn/a", "same");
	put("txn/old", "stale");
	/* staged, then aborted: as it was, the directories made are gone */
	t = txn_new(d);
	CHECK_INT(txn_put(t, a, "same", 4, 0644, &unchanged), STATUS_OK);
	CHECK(unchanged);
	CHECK_INT(txn_put(t, b, "bee", 3, 0600, &unchanged), STATUS_OK);
	CHECK(!unchanged);
	CHECK_INT(txn_staged(t), 1);
	CHECK(exists("txn/new/deeper"));
	CHECK_INT(count_temps("txn/new/deeper"), 1);
	txn_remove(t, old, "cannot remove", true);
	txn_free(t);
	CHECK(!exists("txn/new"));
	CHECK(exists("txn/old"));

	/* committed: renamed, then removed */
	t = txn_new(d);
	CHECK_INT(txn_put(t, a, "changed", 7, 0644, &unchanged), STATUS_OK);
	CHECK_INT(txn_put(t, b, "bee", 3, 0600, &unchanged), STATUS_OK);
	txn_remove(t, old, "cannot remove", true);
	txn_remove(t, old, "cannot remove", true); /* gone: not an error */
	CHECK_INT(txn_commit(t), STATUS_OK);
	CHECK_INT(txn_renamed(t), 2);
	CHECK_INT(txn_removed(t), 1);
	txn_free(t); /* undoes nothing now */
	s = slurp("txn/a");
	CHECK_STR(s, "changed");
	free(s);
	s = slurp("txn/new/deeper/b");
	CHECK_STR(s, "bee");
	free(s);
	{
		struct stat st;
		CHECK(stat(b, &st) == 0 && (st.st_mode & 07777) == 0600);
	}
	CHECK(!exists("txn/old"));
	CHECK_INT(count_temps("txn"), 0);
	CHECK_INT(count_temps("txn/new/deeper"), 0);
	CHECK_INT(diag_error_count(d), 0);

	/* a directory in the way: an error, nothing staged */
	put("txn/dir/x", "");
	{
		char *dir = at("txn/dir");
		t = txn_new(d);
		CHECK_INT(txn_put(t, dir, "x", 1, 0644, &unchanged), STATUS_IO);
		CHECK_INT(txn_staged(t), 0);
		txn_free(t);
		s = diag_text(d);
		CHECK(strstr(s, "txn/dir: error: cannot write: a directory is in "
			     "the way\n") != NULL);
		free(s);
		free(dir);
	}
	diag_free(d);
	free(a);
	free(b);
	free(old);
}

/* What a killed run left for a file: removed at commit, uncounted; the
 * look-alikes stay. */
static void test_txn_leftovers(void)
{
	Diag *d = diag_new();
	Txn *t = txn_new(d);
	char *dep = at("left/deps.d");
	bool unchanged;

	put("left/.deps.d.xbg-tmp-AbC123", "half");
	put("left/.deps.d.xbg-tmp-zzzzzz", "");
	put("left/.other.d.xbg-tmp-AbC123", "another file's");
	put("left/.deps.d.xbg-tmp-AbC12", "not ours");
	put("left/.deps.d.AbC123", "an older run's");
	CHECK_INT(txn_put(t, dep, "deps", 4, 0644, &unchanged), STATUS_OK);
	txn_remove_leftovers(t, dep);
	CHECK_INT(txn_commit(t), STATUS_OK);
	CHECK_INT(txn_removed(t), 0);
	txn_free(t);
	CHECK(!exists("left/.deps.d.xbg-tmp-AbC123"));
	CHECK(!exists("left/.deps.d.xbg-tmp-zzzzzz"));
	CHECK(exists("left/.other.d.xbg-tmp-AbC123"));
	CHECK(exists("left/.deps.d.xbg-tmp-AbC12"));
	CHECK(exists("left/.deps.d.AbC123"));
	CHECK(exists("left/deps.d"));
	CHECK_INT(diag_error_count(d), 0);
	diag_free(d);
	free(dep);
}

static void test_paths(void)
{
	Buf b = {0};
	path_root(&b, "out///");
	CHECK_STR(b.data, "out");
	path_root(&b, "");
	CHECK_STR(b.data, ".");
	path_root(&b, "/");
	CHECK_STR(b.data, "/");
	path_join(&b, "/", "a");
	CHECK_STR(b.data, "/a");
	path_join(&b, "out", "a/b.h");
	CHECK_STR(b.data, "out/a/b.h");
	buf_free(&b);
}

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dp = opendir(path);
		struct dirent *e;
		while (dp && (e = readdir(dp)) != NULL) {
			Buf b = {0};
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			buf_printf(&b, "%s/%s", path, e->d_name);
			rm_rf(b.data);
			buf_free(&b);
		}
		if (dp)
			closedir(dp);
		rmdir(path);
	} else {
		unlink(path);
	}
}

int main(void)
{
	char tmpl[] = "/tmp/xbg-fs-XXXXXX";

	tmp_root = mkdtemp(tmpl);
	if (!tmp_root) {
		printf("not ok - mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	RUN(test_walk_input_policy);
	RUN(test_walk_input_special);
	RUN(test_walk_depth);
	RUN(test_walk_output);
	RUN(test_temp_names);
	RUN(test_txn);
	RUN(test_txn_leftovers);
	RUN(test_paths);
	rm_rf(tmp_root);
	return t_done();
}
