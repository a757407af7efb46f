/*
 * test_output.c - the unified diff, the output writer and the depfile.
 *
 * Diff tests compare with hand-checked text in GNU diff -u format, then
 * check random inputs three ways: the diff applies to the old text and
 * gives the new one (a small patch applier below), it is as short as an
 * LCS computed by dynamic programming, and, when diff(1) is installed, it
 * agrees with `diff -u`: hunk for hunk when every line is distinct (the
 * shortest diff is then unique), in size otherwise (equally short diffs
 * may pick different lines among repeated ones).
 *
 * Writer tests work in a fresh mkdtemp() directory under /tmp.  They run
 * as root here, where permissions do not stop anything, so failures are
 * provoked with things in the way instead: a directory where a file goes,
 * a file where a directory goes.
 */
#include "out/out.h"
#include "read/read.h"
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Helpers. ------------------------------------------------------------ */

/* memcmp() must not see a null pointer, which an empty Buf has. */
static bool same_bytes(const Buf *a, const Buf *b)
{
	return a->len == b->len && (!a->len || memcmp(a->data, b->data, a->len) == 0);
}

static char *diff_str(const char *a, const char *b)
{
	Buf out = {0};
	unified_diff(&out, a, strlen(a), b, strlen(b), "a", "b");
	return buf_detach(&out, NULL);
}

#define CHECK_DIFF(a, b, expected)                                         \
	do {                                                               \
		char *t_d = diff_str(a, b);                                \
		CHECK_STR(t_d, expected);                                  \
		free(t_d);                                                 \
	} while (0)

static uint64_t rng_state = 88172645463325252u;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

typedef struct Lines {
	const char **p;
	size_t *len;
	size_t n;
} Lines;

static Lines split_lines(const char *s, size_t n)
{
	Lines l = {NULL, NULL, 0};
	size_t i = 0, cap = 0, cap2 = 0;
	while (i < n) {
		const char *e = memchr(s + i, '\n', n - i);
		size_t len = e ? (size_t)(e - (s + i)) + 1 : n - i;
		l.p = xgrow(l.p, &cap, l.n + 1, sizeof *l.p);
		l.len = xgrow(l.len, &cap2, l.n + 1, sizeof *l.len);
		l.p[l.n] = s + i;
		l.len[l.n++] = len;
		i += len;
	}
	return l;
}

static void lines_free_(Lines *l)
{
	free(l->p);
	free(l->len);
}

/* Apply a diff made by unified_diff() to a, appending the result to res.
 * Fails if the diff is malformed, its counts are wrong or it does not fit
 * a.  Counts deleted and inserted lines. */
static bool apply_diff(const char *a, size_t alen, const char *d, Buf *res,
		       size_t *ndel, size_t *nins)
{
	Lines la = split_lines(a, alen);
	const char *p = d;
	size_t ai = 0;
	bool ok = false;

	*ndel = *nins = 0;
	if (strncmp(p, "--- ", 4) != 0 || !(p = strchr(p, '\n')) ||
	    strncmp(++p, "+++ ", 4) != 0 || !(p = strchr(p, '\n')))
		goto out;
	p++;
	while (*p) {
		unsigned long as, ac = 1, bs, bc = 1, na = 0, nb = 0;
		char *q;
		if (strncmp(p, "@@ -", 4) != 0)
			goto out;
		as = strtoul(p + 4, &q, 10);
		if (*q == ',')
			ac = strtoul(q + 1, &q, 10);
		if (strncmp(q, " +", 2) != 0)
			goto out;
		bs = strtoul(q + 2, &q, 10);
		if (*q == ',')
			bc = strtoul(q + 1, &q, 10);
		if (strncmp(q, " @@\n", 4) != 0)
			goto out;
		(void)bs;
		p = q + 4;
		{
			size_t start = ac ? as - 1 : as;
			if (start < ai || start > la.n)
				goto out;
			for (; ai < start; ai++)
				buf_put(res, la.p[ai], la.len[ai]);
		}
		while (*p && *p != '@') {
			char tag = *p;
			const char *s = p + 1, *nl = strchr(s, '\n');
			size_t len;
			if (!nl)
				goto out;
			len = (size_t)(nl - s) + 1;
			p = nl + 1;
			if (strncmp(p, "\\ No newline at end of file\n", 28) == 0) {
				len--;
				p += 28;
			}
			if (tag == ' ' || tag == '-') {
				if (ai >= la.n || la.len[ai] != len ||
				    memcmp(la.p[ai], s, len) != 0)
					goto out;
				ai++;
				na++;
			}
			if (tag == ' ' || tag == '+') {
				buf_put(res, s, len);
				nb++;
			}
			if (tag == '-')
				(*ndel)++;
			else if (tag == '+')
				(*nins)++;
			else if (tag != ' ')
				goto out;
		}
		if (na != ac || nb != bc)
			goto out;
	}
	for (; ai < la.n; ai++)
		buf_put(res, la.p[ai], la.len[ai]);
	ok = true;
out:
	lines_free_(&la);
	return ok;
}

/* Length of the shortest edit script, by dynamic programming. */
static size_t edit_size(const char *a, size_t alen, const char *b, size_t blen)
{
	Lines la = split_lines(a, alen), lb = split_lines(b, blen);
	size_t *t = xcalloc((la.n + 1) * (lb.n + 1), sizeof *t), i, j, r;
	size_t w = lb.n + 1;
	for (i = 1; i <= la.n; i++)
		for (j = 1; j <= lb.n; j++) {
			if (la.len[i - 1] == lb.len[j - 1] &&
			    memcmp(la.p[i - 1], lb.p[j - 1], la.len[i - 1]) == 0)
				t[i * w + j] = t[(i - 1) * w + j - 1] + 1;
			else
				t[i * w + j] = t[(i - 1) * w + j] > t[i * w + j - 1]
						       ? t[(i - 1) * w + j]
						       : t[i * w + j - 1];
		}
	r = la.n + lb.n - 2 * t[la.n * w + lb.n];
	free(t);
	lines_free_(&la);
	lines_free_(&lb);
	return r;
}

static char *tmp_root;

static char *tmp_path(const char *rel)
{
	Buf b = {0};
	buf_printf(&b, "%s/%s", tmp_root, rel);
	return buf_detach(&b, NULL);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		printf("# cannot create %s: %s\n", path, strerror(errno));
		t_failed_now++;
		return;
	}
	fputs(text, f);
	fclose(f);
}

/* The content of a file, or NULL. */
static char *get_file(const char *path)
{
	const char *err;
	size_t len;
	return read_file(path, &len, &err);
}

static bool file_is(const char *path, const char *text)
{
	char *s = get_file(path);
	bool ok = s && strcmp(s, text) == 0;
	if (!ok)
		printf("# %s: \"%s\", expected \"%s\"\n", path, s ? s : "(missing)",
		       text);
	free(s);
	return ok;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

enum { OLD_TIME = 1000000000 };

static void set_old_mtime(const char *path)
{
	struct timespec ts[2];
	ts[0].tv_sec = ts[1].tv_sec = OLD_TIME;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) != 0) {
		printf("# utimensat %s: %s\n", path, strerror(errno));
		t_failed_now++;
	}
}

static bool has_old_mtime(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && st.st_mtim.tv_sec == OLD_TIME &&
	       st.st_mtim.tv_nsec == 0;
}

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dp = opendir(path);
		struct dirent *e;
		chmod(path, 0700);
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

/* Entries under path whose name starts with "." (a leftover temporary
 * file), not counting the ".git" directories the tests make. */
static size_t count_hidden(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *e;
	size_t n = 0;
	while (dp && (e = readdir(dp)) != NULL) {
		Buf b = {0};
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, ".git"))
			continue;
		if (e->d_name[0] == '.') {
			printf("# leftover %s/%s\n", path, e->d_name);
			n++;
		}
		buf_printf(&b, "%s/%s", path, e->d_name);
		if (lstat(b.data, &st) == 0 && S_ISDIR(st.st_mode))
			n += count_hidden(b.data);
		buf_free(&b);
	}
	if (dp)
		closedir(dp);
	return n;
}

static void add(OutSet *o, const char *name, const char *text)
{
	Buf b = {0};
	buf_puts(&b, text);
	outset_add(o, name, &b);
}

/* What diag would print, then forget it. */
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
	return buf_detach(&b, NULL);
}

#define CHECK_CONTAINS(hay, needle)                                        \
	do {                                                               \
		const char *t_h = (hay), *t_n = (needle);                  \
		if (!t_h || !strstr(t_h, t_n)) {                           \
			printf("# %s:%d: \"%s\" does not contain \"%s\"\n", \
			       __FILE__, __LINE__, t_h ? t_h : "(null)",   \
			       t_n);                                       \
			t_failed_now++;                                    \
		}                                                          \
	} while (0)

/* ---- Diff: expected text. ------------------------------------------------ */

static void test_diff_identical(void)
{
	CHECK_DIFF("", "", "");
	CHECK_DIFF("a\nb\n", "a\nb\n", "");
	CHECK_DIFF("no newline", "no newline", "");
}

static void test_diff_insert(void)
{
	CHECK_DIFF("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nnew\n5\n6\n7\n8\n",
		   "--- a\n+++ b\n"
		   "@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n");
	/* at the start and the end: less context is available */
	CHECK_DIFF("1\n2\n", "0\n1\n2\n", "--- a\n+++ b\n@@ -1,2 +1,3 @@\n+0\n 1\n 2\n");
	CHECK_DIFF("1\n2\n", "1\n2\n3\n", "--- a\n+++ b\n@@ -1,2 +1,3 @@\n 1\n 2\n+3\n");
	/* a repeated line: the insertion slides down, as in GNU diff */
	CHECK_DIFF("x\nx\ny\n", "x\nx\nx\ny\n",
		   "--- a\n+++ b\n@@ -1,3 +1,4 @@\n x\n x\n+x\n y\n");
	CHECK_DIFF("a\nb\n", "b\na\nb\nb\n",
		   "--- a\n+++ b\n@@ -1,2 +1,4 @@\n+b\n a\n b\n+b\n");
}

static void test_diff_delete(void)
{
	CHECK_DIFF("1\n2\n3\n4\n5\n", "2\n3\n4\n5\n",
		   "--- a\n+++ b\n@@ -1,4 +1,3 @@\n-1\n 2\n 3\n 4\n");
	/* a repeated line: the deletion slides down, as in GNU diff */
	CHECK_DIFF("a\nb\na\na\n", "b\na\n",
		   "--- a\n+++ b\n@@ -1,4 +1,2 @@\n-a\n b\n a\n-a\n");
	CHECK_DIFF("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n7\n8\n9\n",
		   "--- a\n+++ b\n@@ -1,9 +1,6 @@\n 1\n 2\n 3\n-4\n-5\n-6\n 7\n"
		   " 8\n 9\n");
}

static void test_diff_change(void)
{
	CHECK_DIFF("a\nb\nc\nd\ne\n", "a\nb\nC\nd\ne\n",
		   "--- a\n+++ b\n@@ -1,5 +1,5 @@\n a\n b\n-c\n+C\n d\n e\n");
	/* one line each: ",1" is omitted */
	CHECK_DIFF("old\n", "new\n", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n");
	/* a change next to an equal line stays one -/+ block rather than
	 * sliding apart (GNU diff does the same) */
	CHECK_DIFF("a\na\n", "b\na\n", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n+b\n a\n");
	CHECK_DIFF("A\nk\nk\nB\n", "A\nZ\nk\nB\n",
		   "--- a\n+++ b\n@@ -1,4 +1,4 @@\n A\n-k\n+Z\n k\n B\n");
	/* deletions of a change come before its insertions */
	CHECK_DIFF("1\na\nb\n2\n", "1\nA\nB\n2\n",
		   "--- a\n+++ b\n@@ -1,4 +1,4 @@\n 1\n-a\n-b\n+A\n+B\n 2\n");
}

static void test_diff_hunks(void)
{
	/* 7 unchanged lines between two changes: two hunks */
	CHECK_DIFF("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
		   "1\nX\n3\n4\n5\n6\n7\n8\n9\nY\n",
		   "--- a\n+++ b\n"
		   "@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n"
		   "@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+Y\n");
	/* 6: the contexts touch, one hunk */
	CHECK_DIFF("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
		   "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n",
		   "--- a\n+++ b\n"
		   "@@ -1,10 +1,10 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n"
		   "-9\n+Y\n 10\n");
}

static void test_diff_no_final_newline(void)
{
	CHECK_DIFF("x\ny", "x\ny\n",
		   "--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n"
		   "\\ No newline at end of file\n+y\n");
	CHECK_DIFF("x\ny\n", "x\ny",
		   "--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n+y\n"
		   "\\ No newline at end of file\n");
	CHECK_DIFF("x\ny", "x\nz",
		   "--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n"
		   "\\ No newline at end of file\n+z\n"
		   "\\ No newline at end of file\n");
	/* a context line can be the one without a newline */
	CHECK_DIFF("a\nb\nc", "A\nb\nc",
		   "--- a\n+++ b\n@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n"
		   "\\ No newline at end of file\n");
}

static void test_diff_empty(void)
{
	CHECK_DIFF("", "a\nb\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n");
	CHECK_DIFF("a\nb\n", "", "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b\n");
	CHECK_DIFF("", "x", "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n"
		   "\\ No newline at end of file\n");
	/* deleting the tail */
	CHECK_DIFF("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n",
		   "--- a\n+++ b\n@@ -2,7 +2,3 @@\n 2\n 3\n 4\n-5\n-6\n-7\n-8\n");
	{
		Buf out = {0};
		unified_diff(&out, NULL, 0, "z\n", 2, "/dev/null", "new");
		CHECK_STR(buf_cstr(&out),
			  "--- /dev/null\n+++ new\n@@ -0,0 +1 @@\n+z\n");
		buf_free(&out);
	}
}

static void test_diff_large(void)
{
	enum { N = 200000 };
	Buf a = {0}, b = {0}, out = {0}, res = {0};
	size_t i, nd, ni;

	for (i = 1; i <= N; i++) {
		buf_printf(&a, "line %zu\n", i);
		if (i == 100000)
			buf_puts(&b, "changed\n");
		else
			buf_printf(&b, "line %zu\n", i);
	}
	unified_diff(&out, a.data, a.len, b.data, b.len, "a", "b");
	CHECK_STR(buf_cstr(&out),
		  "--- a\n+++ b\n@@ -99997,7 +99997,7 @@\n line 99997\n"
		  " line 99998\n line 99999\n-line 100000\n+changed\n"
		  " line 100001\n line 100002\n line 100003\n");

	/* changes at both ends: the whole file is compared */
	buf_clear(&b);
	buf_puts(&b, "first\n");
	buf_put(&b, a.data, a.len);
	buf_puts(&b, "last\n");
	buf_clear(&out);
	unified_diff(&out, a.data, a.len, b.data, b.len, "a", "b");
	CHECK_STR(buf_cstr(&out),
		  "--- a\n+++ b\n@@ -1,3 +1,4 @@\n+first\n line 1\n line 2\n"
		  " line 3\n@@ -199998,3 +199999,4 @@\n line 199998\n"
		  " line 199999\n line 200000\n+last\n");

	/* many scattered changes */
	buf_clear(&b);
	for (i = 1; i <= N; i++) {
		if (i % 1000 == 0)
			continue;
		buf_printf(&b, "line %zu\n", i);
		if (i % 777 == 0)
			buf_puts(&b, "extra\n");
	}
	buf_clear(&out);
	unified_diff(&out, a.data, a.len, b.data, b.len, "a", "b");
	CHECK(apply_diff(a.data, a.len, buf_cstr(&out), &res, &nd, &ni));
	CHECK(same_bytes(&res, &b));
	CHECK_INT(nd, N / 1000);
	CHECK_INT(ni, N / 777 - N / (777 * 1000));
	buf_free(&a);
	buf_free(&b);
	buf_free(&out);
	buf_free(&res);
}

/* ---- Diff: random inputs. ------------------------------------------------ */

/* Lines from a small alphabet, so that many are equal. */
static void gen_repetitive(Buf *b, unsigned maxlines, unsigned alphabet)
{
	unsigned i, n = rnd(maxlines + 1);
	for (i = 0; i < n; i++) {
		buf_putc(b, (char)('a' + rnd(alphabet)));
		buf_putc(b, '\n');
	}
	if (b->len && rnd(5) == 0)
		b->len--; /* no final newline */
}

/* b = a with a few lines inserted, deleted or replaced; all lines distinct. */
static void gen_edited(Buf *a, Buf *b, unsigned *serial)
{
	unsigned n = rnd(60), i, edits = 1 + rnd(4);
	unsigned at[4], kind[4], k;
	for (k = 0; k < edits; k++) {
		at[k] = rnd(n + 1);
		kind[k] = rnd(3);
	}
	for (i = 0; i <= n; i++) {
		bool keep = i < n;
		for (k = 0; k < edits; k++) {
			if (at[k] != i)
				continue;
			if (kind[k] == 0)
				buf_printf(b, "new %u\n", (*serial)++);
			else if (i < n)
				keep = false;
			if (kind[k] == 2 && i < n)
				buf_printf(b, "changed %u\n", (*serial)++);
		}
		if (i < n) {
			buf_printf(a, "line %u\n", i);
			if (keep)
				buf_printf(b, "line %u\n", i);
		}
	}
}

static void check_applies(const Buf *a, const Buf *b, const char *d)
{
	Buf res = {0};
	size_t nd, ni;
	bool same = same_bytes(a, b);
	if (same) {
		CHECK_STR(d, "");
		return;
	}
	CHECK(apply_diff(a->data, a->len, d, &res, &nd, &ni));
	CHECK(same_bytes(&res, b));
	CHECK_INT(nd + ni, edit_size(a->data, a->len, b->data, b->len));
	if (t_failed_now)
		printf("# a=\"%.*s\"\n# b=\"%.*s\"\n# diff:\n%s", (int)a->len,
		       a->data, (int)b->len, b->data, d);
	buf_free(&res);
}

static void test_diff_random_valid_and_minimal(void)
{
	unsigned iter, serial = 0;
	for (iter = 0; iter < 3000 && !t_failed_now; iter++) {
		Buf a = {0}, b = {0}, d = {0};
		if (iter % 2)
			gen_edited(&a, &b, &serial);
		else {
			unsigned alphabet = 1 + rnd(6);
			gen_repetitive(&a, 40, alphabet);
			gen_repetitive(&b, 40, alphabet);
		}
		unified_diff(&d, a.data, a.len, b.data, b.len, "a", "b");
		check_applies(&a, &b, buf_cstr(&d));
		buf_free(&a);
		buf_free(&b);
		buf_free(&d);
	}
}

/* Unrelated texts whose lines all occur on both sides: the edit distance
 * is far past the cost limit, so the core settles for good splits.  The
 * diff may then be a little longer than the shortest, but must apply. */
static void test_diff_cost_limit(void)
{
	Buf a = {0}, b = {0}, d = {0};
	unsigned i;
	for (i = 0; i < 20000; i++) {
		buf_printf(&a, "%u\n", rnd(1000));
		buf_printf(&b, "%u\n", rnd(1000));
	}
	unified_diff(&d, a.data, a.len, b.data, b.len, "a", "b");
	{
		Buf res = {0};
		size_t nd, ni;
		CHECK(apply_diff(a.data, a.len, buf_cstr(&d), &res, &nd, &ni));
		CHECK(same_bytes(&res, &b));
		CHECK(nd < 20000 && ni < 20000 && nd == ni);
		buf_free(&res);
	}
	buf_free(&a);
	buf_free(&b);
	buf_free(&d);
}

static bool have_diff(void)
{
	return system("diff --version >/dev/null 2>&1") == 0;
}

/* `diff -u A B` without its two header lines. */
static char *gnu_diff(const Buf *a, const Buf *b)
{
	char *pa = tmp_path("A"), *pb = tmp_path("B");
	Buf cmd = {0}, out = {0};
	FILE *f;
	char chunk[4096];
	size_t n, skip;

	f = fopen(pa, "wb");
	fwrite(a->data ? a->data : "", 1, a->len, f);
	fclose(f);
	f = fopen(pb, "wb");
	fwrite(b->data ? b->data : "", 1, b->len, f);
	fclose(f);
	buf_printf(&cmd, "diff -u '%s' '%s'", pa, pb);
	f = popen(buf_cstr(&cmd), "r");
	while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&out, chunk, n);
	if (f)
		pclose(f);
	buf_cstr(&out);
	for (skip = 0, n = 0; n < out.len && skip < 2; n++)
		if (out.data[n] == '\n')
			skip++;
	memmove(out.data, out.data + n, out.len - n + 1);
	out.len -= n;
	free(pa);
	free(pb);
	buf_free(&cmd);
	return buf_detach(&out, NULL);
}

static const char *skip_headers(const char *d)
{
	int k;
	for (k = 0; k < 2 && *d; k++)
		d = strchr(d, '\n') + 1;
	return d;
}

static void count_tags(const char *d, size_t *minus, size_t *plus)
{
	*minus = *plus = 0;
	for (; *d; d = strchr(d, '\n') + 1) {
		*minus += *d == '-';
		*plus += *d == '+';
	}
}

static void test_diff_matches_gnu_diff(void)
{
	unsigned iter, serial = 0;
	if (!have_diff()) {
		printf("# skipped: diff(1) is not installed\n");
		return;
	}
	for (iter = 0; iter < 200 && !t_failed_now; iter++) {
		Buf a = {0}, b = {0}, d = {0};
		char *g;
		bool distinct = iter % 2;
		if (distinct)
			gen_edited(&a, &b, &serial);
		else {
			unsigned alphabet = 1 + rnd(5);
			gen_repetitive(&a, 30, alphabet);
			gen_repetitive(&b, 30, alphabet);
		}
		unified_diff(&d, a.data, a.len, b.data, b.len, "A", "B");
		g = gnu_diff(&a, &b);
		if (distinct) {
			CHECK_STR(skip_headers(buf_cstr(&d)), g);
		} else {
			size_t m1, p1, m2, p2;
			count_tags(skip_headers(buf_cstr(&d)), &m1, &p1);
			count_tags(g, &m2, &p2);
			CHECK_INT(m1, m2);
			CHECK_INT(p1, p2);
		}
		free(g);
		buf_free(&a);
		buf_free(&b);
		buf_free(&d);
	}
}

/* ---- outset_write. ------------------------------------------------------- */

static const char MARKED[] = "/* generated by xenbindgen */\n";

static void test_write_creates(void)
{
	OutSet o;
	Diag *d = diag_new();
	WriteStats st;
	char *dir = tmp_path("create/deep/out"), *a = tmp_path("create/deep/out/a.h");
	char *b = tmp_path("create/deep/out/sub/dir/b.h");
	struct stat sb;
	mode_t mask = umask(022);

	outset_init(&o);
	add(&o, "a.h", "/* generated by xenbindgen */\nint a;\n");
	add(&o, "sub/dir/b.h", "b\n");
	add(&o, "empty.h", "");
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	CHECK_INT(st.written, 3);
	CHECK_INT(st.unchanged, 0);
	CHECK_INT(st.removed, 0);
	CHECK(file_is(a, "/* generated by xenbindgen */\nint a;\n"));
	CHECK(file_is(b, "b\n"));
	CHECK(stat(a, &sb) == 0 && (sb.st_mode & 07777) == 0644);
	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 07777) == 0755);
	CHECK_INT(count_hidden(tmp_root), 0);
	CHECK_INT(diag_error_count(d), 0);

	/* a trailing slash on dir changes nothing */
	{
		Buf slashed = {0};
		buf_printf(&slashed, "%s//", dir);
		CHECK_INT(outset_write(&o, slashed.data, d, &st), 0);
		CHECK_INT(st.unchanged, 3);
		buf_free(&slashed);
	}
	umask(mask);
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(a);
	free(b);
}

static void test_write_unchanged_and_changed(void)
{
	OutSet o;
	Diag *d = diag_new();
	WriteStats st;
	char *dir = tmp_path("upd"), *a = tmp_path("upd/a.h"), *b = tmp_path("upd/b.h");

	outset_init(&o);
	add(&o, "a.h", "same\n");
	add(&o, "b.h", "old\n");
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	set_old_mtime(a);
	set_old_mtime(b);
	outset_free(&o);

	outset_init(&o);
	add(&o, "a.h", "same\n");
	add(&o, "b.h", "new\n");
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	CHECK_INT(st.written, 1);
	CHECK_INT(st.unchanged, 1);
	CHECK(has_old_mtime(a));
	CHECK(!has_old_mtime(b));
	CHECK(file_is(b, "new\n"));
	outset_free(&o);

	/* same size, different bytes; then a longer and a shorter file */
	outset_init(&o);
	add(&o, "a.h", "SAME\n");
	add(&o, "b.h", "new\nlonger\n");
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	CHECK_INT(st.written, 2);
	CHECK(file_is(a, "SAME\n"));
	CHECK(file_is(b, "new\nlonger\n"));
	CHECK_INT(count_hidden(dir), 0);
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(a);
	free(b);
}

static void test_write_removes_stale(void)
{
	OutSet o;
	Diag *d = diag_new();
	WriteStats st;
	char *dir = tmp_path("stale"), *p;
	Buf late = {0};
	size_t i;

	rm_rf(dir);
	mkdir(dir, 0777);
	p = tmp_path("stale/sub");
	mkdir(p, 0777);
	free(p);
	p = tmp_path("stale/.git");
	mkdir(p, 0777);
	free(p);
	p = tmp_path("outside");
	mkdir(p, 0777);
	free(p);
#define PUT(rel, text)                                                     \
	do {                                                               \
		char *t_p = tmp_path(rel);                                 \
		put_file(t_p, text);                                       \
		free(t_p);                                                 \
	} while (0)
	PUT("stale/old.h", MARKED);
	PUT("stale/sub/old2.rs", MARKED);
	PUT("stale/.old.h.Ab12Cd", MARKED); /* a crashed run's temporary */
	PUT("stale/notes.txt", "hand-written\n");
	PUT("stale/.git/COMMIT_EDITMSG", "Regenerated by xenbindgen\n");
	PUT("outside/victim.h", MARKED);
	for (i = 0; i < 1100; i++)
		buf_putc(&late, 'x');
	buf_puts(&late, MARKED);
	PUT("stale/late.h", buf_cstr(&late)); /* marker after the first KiB */
	buf_free(&late);
	{
		char *target = tmp_path("outside/victim.h");
		char *link = tmp_path("stale/link.h");
		char *target_dir = tmp_path("outside");
		char *link_dir = tmp_path("stale/linkdir");
		CHECK(symlink(target, link) == 0);
		CHECK(symlink(target_dir, link_dir) == 0);
		free(target);
		free(link);
		free(target_dir);
		free(link_dir);
	}

	outset_init(&o);
	add(&o, "kept.h", MARKED);
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	CHECK_INT(st.written, 1);
	CHECK_INT(st.removed, 3);
	p = tmp_path("stale/old.h");
	CHECK(!exists(p));
	free(p);
	p = tmp_path("stale/sub/old2.rs");
	CHECK(!exists(p));
	free(p);
	p = tmp_path("stale/sub");
	CHECK(exists(p));
	free(p);
	p = tmp_path("stale/kept.h");
	CHECK(file_is(p, MARKED));
	free(p);
	p = tmp_path("stale/notes.txt");
	CHECK(file_is(p, "hand-written\n"));
	free(p);
	p = tmp_path("stale/late.h");
	CHECK(exists(p));
	free(p);
	p = tmp_path("stale/.git/COMMIT_EDITMSG");
	CHECK(exists(p));
	free(p);
	p = tmp_path("stale/link.h");
	CHECK(exists(p));
	free(p);
	p = tmp_path("outside/victim.h");
	CHECK(file_is(p, MARKED));
	free(p);
	CHECK_INT(count_hidden(dir), 0);
	outset_free(&o);
	diag_free(d);
	free(dir);
#undef PUT
}

static void test_write_replaces_symlink(void)
{
	OutSet o;
	Diag *d = diag_new();
	WriteStats st;
	char *dir = tmp_path("symlink"), *dest = tmp_path("symlink/a.h");
	char *target = tmp_path("symlink-target.h");
	struct stat sb;

	mkdir(dir, 0777);
	put_file(target, "target\n");
	CHECK(symlink(target, dest) == 0);
	outset_init(&o);
	add(&o, "a.h", "target\n");
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	CHECK_INT(st.written, 1);
	CHECK(lstat(dest, &sb) == 0 && S_ISREG(sb.st_mode));
	CHECK(file_is(target, "target\n"));
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(dest);
	free(target);
}

/* Set up dir with a.h (unchanged), c.h (to change) and whatever `blocker`
 * puts in the way, then check that a failed write changed nothing. */
static void check_failed_write(const char *name, const char *blocker_rel,
			       bool blocker_is_dir, const char *message)
{
	OutSet o;
	Diag *d = diag_new();
	WriteStats st;
	Buf rel = {0};
	char *dir, *a, *c, *blocker, *created, *err;

	buf_printf(&rel, "fail-%s", name);
	dir = tmp_path(rel.data);
	buf_clear(&rel);
	buf_printf(&rel, "fail-%s/a.h", name);
	a = tmp_path(rel.data);
	buf_clear(&rel);
	buf_printf(&rel, "fail-%s/c.h", name);
	c = tmp_path(rel.data);
	buf_clear(&rel);
	buf_printf(&rel, "fail-%s/%s", name, blocker_rel);
	blocker = tmp_path(rel.data);
	buf_clear(&rel);
	buf_printf(&rel, "fail-%s/newdir", name);
	created = tmp_path(rel.data);
	buf_free(&rel);

	mkdir(dir, 0777);
	put_file(a, "a\n");
	put_file(c, "old c\n");
	set_old_mtime(a);
	set_old_mtime(c);
	if (blocker_is_dir)
		mkdir(blocker, 0777);
	else
		put_file(blocker, "in the way\n");

	outset_init(&o);
	add(&o, "a.h", "a\n");
	add(&o, "c.h", "new c\n");
	add(&o, "newdir/n.h", "n\n");
	add(&o, "z.h", "z\n");
	add(&o, "sub/b.h", "b\n"); /* blocked when sub is a file */
	add(&o, "blocked.h", "x\n"); /* blocked when it is a directory */
	CHECK_INT(outset_write(&o, dir, d, &st), 3);
	CHECK_INT(st.written, 0);
	err = diag_text(d);
	CHECK_CONTAINS(err, message);
	free(err);
	CHECK(file_is(a, "a\n"));
	CHECK(file_is(c, "old c\n"));
	CHECK(has_old_mtime(a));
	CHECK(has_old_mtime(c));
	CHECK(!exists(created));
	CHECK_INT(count_hidden(dir), 0);
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(a);
	free(c);
	free(blocker);
	free(created);
}

static void test_write_fails_cleanly(void)
{
	check_failed_write("isdir", "blocked.h", true,
			   "blocked.h: error: cannot write: a directory is in "
			   "the way");
	check_failed_write("notdir", "sub", false,
			   "sub: error: exists and is not a directory");
}

/* A write that fails half-way through phase 1, after other temporary
 * files exist: a file size limit makes write() fail with EFBIG even for
 * root.  Nothing may change and no temporary file may remain. */
static void test_write_fails_midway(void)
{
	OutSet o;
	Diag *d = diag_new();
	char *dir = tmp_path("midway"), *a = tmp_path("midway/a.h");
	char *small = tmp_path("midway/small.h"), *sub = tmp_path("midway/sub");
	char *err;
	struct rlimit saved, low;
	void (*old_handler)(int);
	Buf big = {0};
	int rc;

	mkdir(dir, 0777);
	put_file(a, "old a\n");
	set_old_mtime(a);
	while (big.len < 4096)
		buf_puts(&big, "0123456789abcdef");
	outset_init(&o);
	add(&o, "small.h", "small\n");
	add(&o, "a.h", "new a\n");
	add(&o, "sub/s.h", "s\n");
	add(&o, "big.h", buf_cstr(&big));
	buf_free(&big);

	if (getrlimit(RLIMIT_FSIZE, &saved) != 0) {
		printf("# skipped: getrlimit: %s\n", strerror(errno));
		goto out;
	}
	low = saved;
	low.rlim_cur = 1024;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &low) != 0) {
		printf("# skipped: setrlimit: %s\n", strerror(errno));
		signal(SIGXFSZ, old_handler);
		goto out;
	}
	rc = outset_write(&o, dir, d, NULL);
	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, old_handler);

	CHECK_INT(rc, 3);
	err = diag_text(d);
	CHECK_CONTAINS(err, "big.h: error: cannot write: File too large");
	free(err);
	CHECK(file_is(a, "old a\n"));
	CHECK(has_old_mtime(a));
	CHECK(!exists(small));
	CHECK(!exists(sub)); /* the directory made for sub/s.h is gone too */
	CHECK_INT(count_hidden(dir), 0);
out:
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(a);
	free(small);
	free(sub);
}

/* An error with a real errno before anything is written. */
static void test_write_name_too_long(void)
{
	OutSet o;
	Diag *d = diag_new();
	char *dir = tmp_path("toolong"), *a = tmp_path("toolong/a.h"), *err;
	Buf name = {0};

	while (name.len < 300)
		buf_puts(&name, "long");
	buf_puts(&name, ".h");
	outset_init(&o);
	add(&o, "a.h", "a\n");
	add(&o, buf_cstr(&name), "x\n");
	CHECK_INT(outset_write(&o, dir, d, NULL), 3);
	err = diag_text(d);
	CHECK_CONTAINS(err, "longlong.h: error: cannot inspect: File name too "
		       "long");
	free(err);
	CHECK(!exists(a));
	CHECK(!exists(dir));
	buf_free(&name);
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(a);
}

static void test_write_dir_is_file(void)
{
	OutSet o;
	Diag *d = diag_new();
	char *file = tmp_path("plain-file"), *err;

	put_file(file, "x\n");
	outset_init(&o);
	add(&o, "a.h", "a\n");
	CHECK_INT(outset_write(&o, file, d, NULL), 3);
	err = diag_text(d);
	CHECK_CONTAINS(err, "plain-file: error: exists and is not a directory");
	free(err);
	CHECK(file_is(file, "x\n"));
	/* a file as a parent of dir */
	{
		Buf below = {0};
		buf_printf(&below, "%s/out", file);
		CHECK_INT(outset_write(&o, below.data, d, NULL), 3);
		buf_free(&below);
	}
	outset_free(&o);
	diag_free(d);
	free(file);
}

static void test_write_readonly_dir(void)
{
	OutSet o;
	Diag *d = diag_new();
	char *dir = tmp_path("readonly"), *a = tmp_path("readonly/a.h");

	if (geteuid() == 0) {
		printf("# skipped: root ignores directory permissions\n");
		diag_free(d);
		free(dir);
		free(a);
		return;
	}
	mkdir(dir, 0777);
	put_file(a, "old\n");
	chmod(dir, 0555);
	outset_init(&o);
	add(&o, "a.h", "new\n");
	add(&o, "b.h", "b\n");
	CHECK_INT(outset_write(&o, dir, d, NULL), 3);
	CHECK(file_is(a, "old\n"));
	chmod(dir, 0755);
	CHECK_INT(count_hidden(dir), 0);
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(a);
}

static void test_write_bad_names(void)
{
	static const char *const bad[] = {
		"/abs.h", "../up.h", "a/../b.h", "a//b.h", "./a.h", "a/", "", "..",
	};
	char *dir = tmp_path("badnames"), *err;
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad); i++) {
		OutSet o;
		Diag *d = diag_new();
		outset_init(&o);
		add(&o, "good.h", "g\n");
		add(&o, bad[i], "x\n");
		CHECK_INT(outset_write(&o, dir, d, NULL), 3);
		CHECK_INT(diag_error_count(d), 1);
		outset_free(&o);
		diag_free(d);
	}
	CHECK(!exists(dir));
	{
		OutSet o;
		Diag *d = diag_new();
		outset_init(&o);
		add(&o, "twice.h", "1\n");
		add(&o, "twice.h", "2\n");
		CHECK_INT(outset_write(&o, dir, d, NULL), 3);
		err = diag_text(d);
		CHECK_CONTAINS(err, "twice.h: error: duplicate output name");
		free(err);
		outset_free(&o);
		outset_init(&o);
		add(&o, "x", "1\n");
		add(&o, "x/y.h", "2\n");
		CHECK_INT(outset_write(&o, dir, d, NULL), 3);
		CHECK_INT(outset_check(&o, dir, "regen", stdout, d), 3);
		outset_free(&o);
		diag_free(d);
	}
	CHECK(!exists(dir));
	free(dir);
}

/* ---- outset_check. ------------------------------------------------------- */

static char *check_text(OutSet *o, const char *dir, int *rc, Diag *d)
{
	FILE *f = tmpfile();
	Buf b = {0};
	char chunk[4096];
	size_t n;
	*rc = outset_check(o, dir, "make regen", f, d);
	rewind(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

/* outset_check() of o's files, and the same check streamed (outset_stream
 * before the files are added), which must print and return the same. */
static char *run_check(OutSet *o, const char *dir, int *rc, Diag *d)
{
	OutSet so;
	Diag *sd = diag_new();
	size_t errors = diag_error_count(d), i;
	char *out = check_text(o, dir, rc, d), *sout;
	int src;
	outset_init(&so);
	so.owns = o->owns;
	outset_stream(&so, dir, true, sd);
	for (i = 0; i < o->n; i++)
		add(&so, o->files[i].name, o->files[i].data);
	sout = check_text(&so, dir, &src, sd);
	CHECK_INT(src, *rc);
	CHECK_STR(sout, out);
	CHECK_INT(diag_error_count(sd), diag_error_count(d) - errors);
	outset_free(&so);
	diag_free(sd);
	free(sout);
	return out;
}

static void test_check(void)
{
	OutSet o;
	Diag *d = diag_new();
	char *dir = tmp_path("check"), *out, *p;
	Buf want = {0};
	int rc;

	outset_init(&o);
	add(&o, "a.h", "/* generated by xenbindgen */\n1\n2\n3\n");
	add(&o, "sub/b.h", "b\n");

	/* no directory: everything is missing */
	out = run_check(&o, dir, &rc, d);
	CHECK_INT(rc, 1);
	buf_printf(&want,
		   "missing: %s/a.h\n--- /dev/null\n+++ %s/a.h\t(generated)\n"
		   "@@ -0,0 +1,4 @@\n+/* generated by xenbindgen */\n+1\n+2\n+3\n"
		   "missing: %s/sub/b.h\n--- /dev/null\n+++ %s/sub/b.h\t(generated)\n"
		   "@@ -0,0 +1 @@\n+b\n"
		   "xenbindgen: outputs are out of date; regenerate with: make regen\n",
		   dir, dir, dir, dir);
	CHECK_STR(out, want.data);
	free(out);
	CHECK(!exists(dir));

	/* in sync: silent */
	CHECK_INT(outset_write(&o, dir, d, NULL), 0);
	out = run_check(&o, dir, &rc, d);
	CHECK_INT(rc, 0);
	CHECK_STR(out, "");
	free(out);

	/* stale, missing and extra, plus files that are not ours */
	p = tmp_path("check/a.h");
	put_file(p, "/* generated by xenbindgen */\n1\nTWO\n3\n");
	free(p);
	p = tmp_path("check/sub/b.h");
	unlink(p);
	free(p);
	p = tmp_path("check/zz.h");
	put_file(p, "/* generated by xenbindgen */\nold\n");
	free(p);
	p = tmp_path("check/sub/extra.rs");
	put_file(p, "// generated by xenbindgen\n");
	free(p);
	p = tmp_path("check/sub.h"); /* strcmp order: "sub.h" < "sub/..." */
	put_file(p, "// generated by xenbindgen\n");
	free(p);
	p = tmp_path("check/mine.txt");
	put_file(p, "not generated\n");
	free(p);
	out = run_check(&o, dir, &rc, d);
	CHECK_INT(rc, 1);
	buf_clear(&want);
	buf_printf(&want,
		   "stale: %s/a.h\n--- %s/a.h\n+++ %s/a.h\t(generated)\n"
		   "@@ -1,4 +1,4 @@\n /* generated by xenbindgen */\n 1\n-TWO\n+2\n 3\n"
		   "missing: %s/sub/b.h\n--- /dev/null\n+++ %s/sub/b.h\t(generated)\n"
		   "@@ -0,0 +1 @@\n+b\n"
		   "extra: %s/sub.h\n--- %s/sub.h\n+++ /dev/null\n"
		   "@@ -1 +0,0 @@\n-// generated by xenbindgen\n"
		   "extra: %s/sub/extra.rs\n--- %s/sub/extra.rs\n+++ /dev/null\n"
		   "@@ -1 +0,0 @@\n-// generated by xenbindgen\n"
		   "extra: %s/zz.h\n--- %s/zz.h\n+++ /dev/null\n"
		   "@@ -1,2 +0,0 @@\n-/* generated by xenbindgen */\n-old\n"
		   "xenbindgen: outputs are out of date; regenerate with: make regen\n",
		   dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir);
	CHECK_STR(out, want.data);
	free(out);
	CHECK_INT(diag_error_count(d), 0);

	/* something other than a regular file in the way */
	p = tmp_path("check/sub/b.h");
	mkdir(p, 0777);
	free(p);
	p = tmp_path("check/sub/extra.rs");
	unlink(p);
	free(p);
	p = tmp_path("check/zz.h");
	unlink(p);
	free(p);
	p = tmp_path("check/sub.h");
	unlink(p);
	free(p);
	p = tmp_path("check/a.h");
	put_file(p, "/* generated by xenbindgen */\n1\n2\n3\n");
	free(p);
	out = run_check(&o, dir, &rc, d);
	CHECK_INT(rc, 1);
	buf_clear(&want);
	buf_printf(&want,
		   "stale: %s/sub/b.h (not a regular file)\n--- /dev/null\n"
		   "+++ %s/sub/b.h\t(generated)\n@@ -0,0 +1 @@\n+b\n"
		   "xenbindgen: outputs are out of date; regenerate with: make regen\n",
		   dir, dir);
	CHECK_STR(out, want.data);
	free(out);

	/* dir is a file: an I/O error */
	p = tmp_path("check/a.h");
	out = run_check(&o, p, &rc, d);
	CHECK_INT(rc, 3);
	CHECK_STR(out, "");
	free(out);
	out = diag_text(d);
	CHECK_CONTAINS(out, "a.h: error: exists and is not a directory");
	free(out);
	free(p);

	buf_free(&want);
	outset_free(&o);
	diag_free(d);
	free(dir);
}

/* ---- outset_stream. ------------------------------------------------------ */

static void test_stream_write(void)
{
	OutSet o;
	Diag *d = diag_new();
	WriteStats st;
	char *dir = tmp_path("stream/out"), *a = tmp_path("stream/out/a.h");
	char *b = tmp_path("stream/out/sub/b.h"), *z = tmp_path("stream/out/z.h");

	rm_rf(dir);
	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "a.h", MARKED);
	add(&o, "sub/b.h", "b\n");
	/* written as they come, but only to temporary files */
	CHECK_INT(count_hidden(dir), 2);
	CHECK(!exists(a) && !exists(b));
	CHECK(o.files[0].data == NULL);
	CHECK(!outset_failed(&o));
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	CHECK_INT(st.written, 2);
	CHECK_INT(st.unchanged, 0);
	CHECK(file_is(a, MARKED));
	CHECK(file_is(b, "b\n"));
	CHECK_INT(count_hidden(dir), 0);
	outset_free(&o);
	CHECK(file_is(a, MARKED)); /* outset_free() undoes nothing now */

	/* unchanged, changed, and a stale file of ours */
	set_old_mtime(a);
	put_file(z, MARKED);
	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "a.h", MARKED);
	add(&o, "sub/b.h", "new\n");
	CHECK_INT(outset_write(&o, dir, d, &st), 0);
	CHECK_INT(st.written, 1);
	CHECK_INT(st.unchanged, 1);
	CHECK_INT(st.removed, 1);
	CHECK(has_old_mtime(a));
	CHECK(file_is(b, "new\n"));
	CHECK(!exists(z));
	CHECK_INT(count_hidden(dir), 0);
	CHECK_INT(diag_error_count(d), 0);
	outset_free(&o);
	diag_free(d);
	free(dir);
	free(a);
	free(b);
	free(z);
}

static void test_stream_abandoned(void)
{
	OutSet o;
	Diag *d = diag_new();
	char *top = tmp_path("abandon"), *dir = tmp_path("abandon/deep/out");
	char *a = tmp_path("abandon/deep/out/a.h");

	rm_rf(top);
	mkdir(top, 0777);
	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "a.h", MARKED);
	add(&o, "sub/b.h", "b\n");
	CHECK_INT(count_hidden(top), 2);
	/* a spec error: no outset_write(); the tree must be as it was */
	outset_free(&o);
	CHECK_INT(count_hidden(top), 0);
	CHECK(!exists(dir));
	CHECK(exists(top));

	/* the same over an existing file */
	{
		char *deep = tmp_path("abandon/deep");
		mkdir(deep, 0777);
		free(deep);
	}
	mkdir(dir, 0777);
	put_file(a, "old\n");
	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "a.h", MARKED);
	outset_free(&o);
	CHECK(file_is(a, "old\n"));
	CHECK_INT(count_hidden(top), 0);
	CHECK_INT(diag_error_count(d), 0);
	diag_free(d);
	free(top);
	free(dir);
	free(a);
}

static void test_stream_errors(void)
{
	OutSet o;
	Diag *d = diag_new();
	char *dir = tmp_path("serr"), *file = tmp_path("serr/file"), *out;

	rm_rf(dir);
	mkdir(dir, 0777);
	put_file(file, "x\n");

	/* the directory is a file: an I/O error, then nothing more */
	outset_init(&o);
	outset_stream(&o, file, false, d);
	add(&o, "a.h", MARKED);
	CHECK(outset_failed(&o));
	add(&o, "b.h", MARKED);
	CHECK(o.files[1].data == NULL);
	CHECK_INT(outset_write(&o, file, d, NULL), 3);
	outset_free(&o);
	out = diag_text(d);
	CHECK_CONTAINS(out, "file: error: exists and is not a directory");
	free(out);
	CHECK(file_is(file, "x\n"));

	/* names: duplicates, and an output used as another's directory
	 * (either way round) */
	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "a.h", MARKED);
	add(&o, "a.h", MARKED);
	CHECK(outset_failed(&o));
	CHECK_INT(outset_write(&o, dir, d, NULL), 3);
	outset_free(&o);
	out = diag_text(d);
	CHECK_CONTAINS(out, "a.h: error: duplicate output name");
	free(out);

	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "x/y.h", MARKED);
	add(&o, "x", MARKED);
	CHECK(outset_failed(&o));
	outset_free(&o);
	out = diag_text(d);
	CHECK_CONTAINS(out, "x/y.h: error: output name uses another output as a "
		       "directory");
	free(out);

	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "x", MARKED);
	add(&o, "x/y/z.h", MARKED);
	CHECK(outset_failed(&o));
	outset_free(&o);
	out = diag_text(d);
	CHECK_CONTAINS(out, "x/y/z.h: error: output name uses another output "
		       "as a directory");
	free(out);

	outset_init(&o);
	outset_stream(&o, dir, false, d);
	add(&o, "../a.h", MARKED);
	CHECK(outset_failed(&o));
	outset_free(&o);
	out = diag_text(d);
	CHECK_CONTAINS(out, "invalid output name");
	free(out);

	CHECK_INT(count_hidden(dir), 0);
	free(file);
	file = tmp_path("serr/x");
	CHECK(!exists(file));
	diag_free(d);
	free(dir);
	free(file);
}

/* ---- write_depfile. ------------------------------------------------------ */

static void test_depfile(void)
{
	static const char *const inputs[] = {
		"specs/a.toml", "specs/with space.toml", "specs/$x#y.toml",
	};
	OutSet o;
	Diag *d = diag_new();
	char *path = tmp_path("deps/sub/xbg.d"), *text;

	outset_init(&o);
	add(&o, "a.h", "a\n");
	add(&o, "sub/b c.h", "b\n");
	CHECK_INT(write_depfile(path, &o, "out/", inputs, 3, d), 0);
	text = get_file(path);
	CHECK_STR(text,
		  "out/a.h out/sub/b\\ c.h: specs/a.toml specs/with\\ space.toml \\\n"
		  " specs/$$x\\#y.toml\n"
		  "\nspecs/a.toml:\n"
		  "\nspecs/with\\ space.toml:\n"
		  "\nspecs/$$x\\#y.toml:\n");
	free(text);

	/* unchanged: not rewritten */
	set_old_mtime(path);
	CHECK_INT(write_depfile(path, &o, "out", inputs, 3, d), 0);
	CHECK(has_old_mtime(path));
	CHECK_INT(diag_error_count(d), 0);
	CHECK_INT(count_hidden(tmp_root), 0);

	/* a newline cannot be written */
	{
		const char *nl[] = {"bad\nname"};
		CHECK_INT(write_depfile(path, &o, "out", nl, 1, d), 3);
		CHECK(has_old_mtime(path));
		text = diag_text(d);
		CHECK_CONTAINS(text, "a file name contains a line break");
		free(text);
	}
	outset_free(&o);
	diag_free(d);
	free(path);
}

static void test_depfile_long_lines(void)
{
	const char *inputs[12];
	char names[12][32];
	OutSet o;
	Diag *d = diag_new();
	char *path = tmp_path("deps-long.d"), *text, *line;
	size_t i;

	for (i = 0; i < 12; i++) {
		snprintf(names[i], sizeof names[i], "specs/unit-%02zu/types.toml", i);
		inputs[i] = names[i];
	}
	outset_init(&o);
	add(&o, "x.h", "x\n");
	CHECK_INT(write_depfile(path, &o, "build/out", inputs, 12, d), 0);
	text = get_file(path);
	CHECK(text != NULL);
	CHECK(text && strncmp(text, "build/out/x.h: specs/unit-00/types.toml "
			      "specs/unit-01/types.toml \\\n specs/unit-02",
			      80) == 0);
	for (line = text; line && *line; line = strchr(line, '\n') + 1)
		CHECK(strcspn(line, "\n") <= 78);
	free(text);
	outset_free(&o);
	diag_free(d);
	free(path);
}

int main(void)
{
	char tmpl[] = "/tmp/xbg-output-XXXXXX";

	tmp_root = mkdtemp(tmpl);
	if (!tmp_root) {
		printf("not ok - mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	RUN(test_diff_identical);
	RUN(test_diff_insert);
	RUN(test_diff_delete);
	RUN(test_diff_change);
	RUN(test_diff_hunks);
	RUN(test_diff_no_final_newline);
	RUN(test_diff_empty);
	RUN(test_diff_large);
	RUN(test_diff_random_valid_and_minimal);
	RUN(test_diff_matches_gnu_diff);
	RUN(test_diff_cost_limit);
	RUN(test_write_creates);
	RUN(test_write_unchanged_and_changed);
	RUN(test_write_removes_stale);
	RUN(test_write_replaces_symlink);
	RUN(test_write_fails_cleanly);
	RUN(test_write_fails_midway);
	RUN(test_write_name_too_long);
	RUN(test_write_dir_is_file);
	RUN(test_write_readonly_dir);
	RUN(test_write_bad_names);
	RUN(test_check);
	RUN(test_stream_write);
	RUN(test_stream_abandoned);
	RUN(test_stream_errors);
	RUN(test_depfile);
	RUN(test_depfile_long_lines);
	rm_rf(tmp_root);
	return t_done();
}
