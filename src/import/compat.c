/*
 * compat.c - Xen's compat pipeline, run on a tree of public headers.
 *
 * Xen builds its hypervisor with a second, 32-bit view of part of the
 * public ABI: for each header of a list (xen/include/Makefile, headers-y),
 * a Python script rewrites the header's text, the C preprocessor runs on it
 * with -m32 -D__XEN__, another script turns that into compat/X.h, and a
 * shell script (get-fields.sh) reads compat/X.h to write the CHECK_ and
 * XLAT_ macros of the types xlat.lst names.  All of it reads the header as
 * text, so a header with the right declarations can still break it.
 *
 * These scripts are Xen's: this file finds them in a directory the user
 * gives (--xen-scripts), runs them the way the Makefile does, and hands the
 * outputs back; compare.c compares those of the two trees.  The list of
 * headers comes from that Makefile too (every CONFIG_ option on, x86).
 */
/* realpath() is XSI in glibc's view of POSIX 2008 (as in model/load.c) */
#define _XOPEN_SOURCE 700 /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

#include "import/import.h"
#include "read/read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void add_str(char ***v, size_t *n, size_t *cap, char *s)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* headers-y and headers-$(CONFIG_...) of the Makefile, continued lines
 * joined: every word "compat/....h" of those assignments but compat/xlat.h
 * (the concatenation of the others' CHECK_/XLAT_ macros), with
 * $(compat-arch-y) read as x86_32. */
static void read_header_list(CompatScripts *s, const char *mk)
{
	Buf joined = {0};
	const char *p;
	char *line, *save = NULL;
	size_t cap = 0;
	for (p = mk; *p; p++) {
		if (*p == '\\' && p[1] == '\n') {
			buf_putc(&joined, ' ');
			p++;
		} else {
			buf_putc(&joined, *p);
		}
	}
	buf_cstr(&joined); /* NUL-terminated, then split in place */
	for (line = strtok_r(joined.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *w, *wsave = NULL;
		if (strncmp(line, "headers-", 8) != 0 || strncmp(line, "headers-n", 9) == 0 ||
		    (!strstr(line, ":=") && !strstr(line, "+=")))
			continue;
		for (w = strtok_r(line, " \t", &wsave); w; w = strtok_r(NULL, " \t", &wsave)) {
			Buf name = {0};
			const char *var = strstr(w, "$(compat-arch-y)");
			size_t i, n;
			bool dup = false;
			if (strncmp(w, "compat/", 7) != 0)
				continue;
			if (var) {
				buf_put(&name, w + 7, (size_t)(var - w - 7));
				buf_puts(&name, "x86_32");
				buf_puts(&name, var + strlen("$(compat-arch-y)"));
			} else {
				buf_puts(&name, w + 7);
			}
			buf_cstr(&name);
			n = name.len;
			for (i = 0; i < s->nheaders; i++)
				dup = dup || strcmp(s->headers[i], buf_cstr(&name)) == 0;
			if (dup || n < 3 || strcmp(name.data + n - 2, ".h") != 0 ||
			    strcmp(name.data, "xlat.h") == 0)
				buf_free(&name);
			else
				add_str(&s->headers, &s->nheaders, &cap,
					buf_detach(&name, NULL));
		}
	}
	buf_free(&joined);
}

int compat_scripts_load(CompatScripts *s, const char *dir, Diag *d)
{
	static const char *const need[] = {
		"compat-build-source.py", "compat-build-header.py", "get-fields.sh",
		"xlat.lst", "Makefile",
	};
	size_t i, len;
	const char *err = NULL;
	char *mk;
	Buf path = {0};
	memset(s, 0, sizeof *s);
	s->dir = realpath(dir, NULL);
	if (!s->dir) {
		diag_error(d, NO_LOC, "--xen-scripts %s: %s", dir, strerror(errno));
		return STATUS_IO;
	}
	for (i = 0; i < ARRAY_LEN(need); i++) {
		struct stat st;
		buf_clear(&path);
		buf_printf(&path, "%s/%s", s->dir, need[i]);
		if (stat(buf_cstr(&path), &st) != 0) {
			diag_error(d, NO_LOC, "--xen-scripts %s: no %s (Xen's compat "
				   "scripts, xlat.lst and xen/include/Makefile)", dir, need[i]);
			buf_free(&path);
			return STATUS_IO;
		}
	}
	buf_clear(&path);
	buf_printf(&path, "%s/Makefile", s->dir);
	mk = read_file(buf_cstr(&path), &len, &err);
	if (!mk) {
		diag_error(d, NO_LOC, "%s: %s", buf_cstr(&path), err);
		buf_free(&path);
		return STATUS_IO;
	}
	read_header_list(s, mk);
	free(mk);
	buf_clear(&path);
	buf_printf(&path, "%s/xlat.lst", s->dir);
	s->xlat = read_file(buf_cstr(&path), &len, &err);
	if (!s->xlat) {
		diag_error(d, NO_LOC, "%s: %s", buf_cstr(&path), err);
		buf_free(&path);
		return STATUS_IO;
	}
	buf_free(&path);
	if (!s->nheaders) {
		diag_error(d, NO_LOC, "--xen-scripts %s: the Makefile lists no compat "
			   "headers (headers-y)", dir);
		return STATUS_IO;
	}
	return STATUS_OK;
}

void compat_scripts_free(CompatScripts *s)
{
	size_t i;
	for (i = 0; i < s->nheaders; i++)
		free(s->headers[i]);
	free(s->headers);
	free(s->dir);
	free(s->xlat);
	memset(s, 0, sizeof *s);
}

bool compat_applies(const CompatScripts *s, const char *path)
{
	size_t i;
	for (i = 0; i < s->nheaders; i++)
		if (strcmp(s->headers[i], path) == 0)
			return true;
	return false;
}

/* ---- Running the scripts -------------------------------------------------- */

/* Run argv (PATH searched) with stdin, stdout (appended if append) and
 * stderr redirected to files; returns the exit status, or -1 when it did
 * not run. */
static int run(char *const argv[], const char *in, const char *out,
	       bool append, const char *err, char *const envp[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = 0, rc;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in ? in : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
					 O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC),
					 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_APPEND,
					 0644);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The first line a failed step wrote to stderr, for the message. */
static char *first_line(const char *path)
{
	size_t len;
	const char *err = NULL;
	char *t = read_file(path, &len, &err), *nl, *r;
	if (!t)
		return xstrdup("");
	nl = strchr(t, '\n');
	if (nl)
		*nl = '\0';
	r = xstrdup(t);
	free(t);
	return r;
}

/* The environment for the scripts: get-fields.sh runs $PYTHON. */
static char **script_env(const char *python)
{
	char **env = NULL, **e;
	size_t n = 0, cap = 0;
	Buf b = {0};
	for (e = environ; e && *e; e++)
		if (strncmp(*e, "PYTHON=", 7) != 0)
			add_str(&env, &n, &cap, xstrdup(*e));
	buf_printf(&b, "PYTHON=%s", python);
	add_str(&env, &n, &cap, buf_detach(&b, NULL));
	add_str(&env, &n, &cap, NULL);
	return env;
}

static void free_env(char **env)
{
	char **e;
	for (e = env; *e; e++)
		free(*e);
	free(env);
}

/* Make dir and its parents (mkdir -p). */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir), *q;
	int rc = 0;
	for (q = p + 1; *q && !rc; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*q = '/';
	}
	if (!rc && mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* xlat.lst's lines for one header, as the Makefile's .lst rule makes them:
 * "what name" for every uncommented line whose last word is the header
 * (@arch@ read as x86_32). */
static size_t xlat_entries(const CompatScripts *s, const char *path,
			   char ***what, char ***name)
{
	const char *p = s->xlat;
	size_t n = 0, nn = 0, capw = 0, capn = 0;
	*what = *name = NULL;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = xstrndup(p, len), *words[4] = {NULL}, *tok, *save = NULL;
		size_t nw = 0;
		Buf hdr = {0};
		for (tok = strtok_r(line, " \t\r", &save); tok && nw < 4;
		     tok = strtok_r(NULL, " \t\r", &save))
			words[nw++] = tok;
		if (nw == 3 && words[0][0] != '#') {
			char *at = strstr(words[2], "@arch@");
			if (at) {
				buf_put(&hdr, words[2], (size_t)(at - words[2]));
				buf_puts(&hdr, "x86_32");
				buf_puts(&hdr, at + 6);
			} else {
				buf_puts(&hdr, words[2]);
			}
			if (strcmp(buf_cstr(&hdr), path) == 0) {
				add_str(what, &n, &capw, xstrdup(words[0]));
				add_str(name, &nn, &capn, xstrdup(words[1]));
			}
		}
		buf_free(&hdr);
		free(line);
		p = eol ? eol + 1 : p + len;
	}
	return n;
}

static char *slurp(const char *path)
{
	size_t len;
	const char *err = NULL;
	char *t = read_file(path, &len, &err);
	return t ? t : xstrdup("");
}

void compat_out_free(CompatOut *o)
{
	free(o->header);
	free(o->xlat);
	free(o->error);
	memset(o, 0, sizeof *o);
}

/* The failure of one step, from its status and stderr. */
static void failed(CompatOut *o, const char *step, int rc, const char *errf)
{
	Buf b = {0};
	char *line = first_line(errf);
	if (rc < 0)
		buf_printf(&b, "%s could not run", step);
	else
		buf_printf(&b, "%s failed (status %d)%s%s", step, rc, *line ? ": " : "",
			   line);
	free(line);
	o->error = buf_detach(&b, NULL);
}

int compat_run(const CompatScripts *s, const char *root, const char *path,
	       const char *work, const char *cpp, CompatOut *o)
{
	Buf pub = {0}, src = {0}, c = {0}, i = {0}, h = {0}, x = {0}, err = {0};
	Buf dir = {0}, rel = {0}, script = {0}, inc = {0};
	char **what = NULL, **name = NULL, **env = NULL;
	char *abs_root = NULL, *words = NULL;
	const char *slash = strrchr(path, '/');
	size_t n = 0, k;
	int rc, st = STATUS_OK;

	memset(o, 0, sizeof *o);
	abs_root = realpath(root, NULL);
	buf_printf(&dir, "%s/compat", work);
	if (slash)
		buf_printf(&dir, "/%.*s", (int)(slash - path), path);
	buf_printf(&pub, "%s/public", work);
	if (!abs_root || make_dirs(buf_cstr(&dir)) != 0 ||
	    (symlink(abs_root, buf_cstr(&pub)) != 0 && errno != EEXIST)) {
		o->error = xstrdup("cannot set up the compat work directory");
		st = STATUS_IO;
		goto done;
	}
	buf_printf(&src, "%s/%s", abs_root, path);
	buf_printf(&c, "%s/compat/%s", work, path);
	c.len -= 2;
	buf_puts(&c, ".c");
	buf_printf(&i, "%.*s.i", (int)c.len - 2, buf_cstr(&c));
	buf_printf(&h, "%.*s.h", (int)c.len - 2, buf_cstr(&c));
	buf_printf(&x, "%.*s.xlat.h", (int)c.len - 2, buf_cstr(&c));
	buf_printf(&err, "%s/stderr", work);
	buf_printf(&rel, "compat/%s", path);
	env = script_env("python3");

	/* compat/X.c: compat-build-source.py xlat.lst <public/X.h */
	buf_printf(&script, "%s/compat-build-source.py", s->dir);
	{
		char xl[PATH_MAX];
		char *argv[4];
		snprintf(xl, sizeof xl, "%s/xlat.lst", s->dir);
		argv[0] = "python3";
		argv[1] = (char *)buf_cstr(&script);
		argv[2] = xl;
		argv[3] = NULL;
		rc = run(argv, buf_cstr(&src), buf_cstr(&c), false, buf_cstr(&err), env);
		if (rc) {
			failed(o, "compat-build-source.py", rc, buf_cstr(&err));
			goto done;
		}
	}
	/* compat/X.i: the preprocessor, as the hypervisor's 32-bit view */
	{
		char **argv = NULL;
		size_t na = 0, cap = 0;
		char *tok, *save = NULL;
		words = xstrdup(cpp);
		for (tok = strtok_r(words, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save))
			add_str(&argv, &na, &cap, tok);
		buf_printf(&inc, "-I%s", work);
		add_str(&argv, &na, &cap, "-m32");
		add_str(&argv, &na, &cap, "-nostdinc");
		add_str(&argv, &na, &cap, "-D__XEN__");
		add_str(&argv, &na, &cap, "-include");
		add_str(&argv, &na, &cap, "public/xen-compat.h");
		add_str(&argv, &na, &cap, "-DXEN_GENERATING_COMPAT_HEADERS");
		add_str(&argv, &na, &cap, (char *)buf_cstr(&inc));
		add_str(&argv, &na, &cap, "-o");
		add_str(&argv, &na, &cap, (char *)buf_cstr(&i));
		add_str(&argv, &na, &cap, (char *)buf_cstr(&c));
		add_str(&argv, &na, &cap, NULL);
		rc = run(argv, NULL, NULL, false, buf_cstr(&err), env);
		free(argv);
		if (rc) {
			failed(o, "the preprocessor", rc, buf_cstr(&err));
			goto done;
		}
	}
	/* compat/X.h: compat-build-header.py compat/X.h <compat/X.i */
	buf_clear(&script);
	buf_printf(&script, "%s/compat-build-header.py", s->dir);
	{
		char *argv[4];
		argv[0] = "python3";
		argv[1] = (char *)buf_cstr(&script);
		argv[2] = (char *)buf_cstr(&rel);
		argv[3] = NULL;
		rc = run(argv, buf_cstr(&i), buf_cstr(&h), false, buf_cstr(&err), env);
		if (rc) {
			failed(o, "compat-build-header.py", rc, buf_cstr(&err));
			goto done;
		}
	}
	o->header = slurp(buf_cstr(&h));
	/* the CHECK_/XLAT_ macros: get-fields.sh per xlat.lst entry */
	buf_clear(&script);
	buf_printf(&script, "%s/get-fields.sh", s->dir);
	n = xlat_entries(s, path, &what, &name);
	for (k = 0; k < n; k++) {
		char *argv[6];
		Buf nm = {0};
		buf_printf(&nm, "compat_%s", name[k]);
		argv[0] = "sh";
		argv[1] = (char *)buf_cstr(&script);
		argv[2] = what[k];
		argv[3] = (char *)buf_cstr(&nm);
		argv[4] = (char *)buf_cstr(&h);
		argv[5] = NULL;
		rc = run(argv, NULL, buf_cstr(&x), true, buf_cstr(&err), env);
		buf_free(&nm);
		if (rc) {
			failed(o, "get-fields.sh", rc, buf_cstr(&err));
			goto done;
		}
	}
	o->xlat = n ? slurp(buf_cstr(&x)) : xstrdup("");
done:
	for (k = 0; k < n; k++) {
		free(what[k]);
		free(name[k]);
	}
	free(what);
	free(name);
	if (env)
		free_env(env);
	free(words);
	free(abs_root);
	buf_free(&pub);
	buf_free(&src);
	buf_free(&c);
	buf_free(&i);
	buf_free(&h);
	buf_free(&x);
	buf_free(&err);
	buf_free(&dir);
	buf_free(&rel);
	buf_free(&script);
	buf_free(&inc);
	return st;
}

/* The first line of a compiler's stderr that says "error", with the
 * tree's path taken out so that both trees' messages compare. */
static char *compiler_error(const char *errf, const char *root)
{
	size_t len, rn = strlen(root);
	const char *err = NULL;
	char *t = read_file(errf, &len, &err), *p, *line = NULL;
	Buf b = {0};
	if (!t)
		return xstrdup("failed");
	for (p = t; p && *p && !line; ) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(p, "error"))
			line = p;
		p = nl ? nl + 1 : NULL;
	}
	if (!line)
		line = t;
	for (p = line; *p; ) {
		if (strncmp(p, root, rn) == 0 && p[rn] == '/')
			p += rn + 1;
		else
			buf_putc(&b, *p++);
	}
	free(t);
	return b.len ? buf_detach(&b, NULL) : xstrdup("failed");
}

char *xen_header_check(const char *root, const char *path, int config,
		       const char *work)
{
	Buf hdr = {0}, in = {0}, errf = {0}, xen = {0}, line = {0};
	char *argv[24], *result = NULL;
	size_t n = 0;
	int rc;
	FILE *f;
	bool stdin_src = config != CFG_C89;
	bool prereq = strcmp(path, "io/9pfs.h") == 0 || strcmp(path, "io/pvcalls.h") == 0;

	if (make_dirs(work) != 0)
		return xstrdup("cannot make the work directory");
	buf_printf(&hdr, "%s/%s", root, path);
	buf_printf(&errf, "%s/cc.stderr", work);
	buf_printf(&in, "%s/cc.in", work);
	buf_printf(&xen, "%s/xen.h", root);
	unlink(buf_cstr(&errf));
	/* headers99.chk and headers++.chk compile '#include "HEADER"' from
	 * standard input; headers.chk the header itself */
	if (stdin_src) {
		f = fopen(buf_cstr(&in), "w");
		if (!f || fprintf(f, "#include \"%s\"\n", buf_cstr(&hdr)) < 0) {
			if (f)
				fclose(f);
			result = xstrdup("cannot write the check's input");
			goto done;
		}
		if (fclose(f) != 0) {
			result = xstrdup("cannot write the check's input");
			goto done;
		}
	}
	if (config == CFG_CXX) {
		argv[n++] = "c++";
		argv[n++] = "-x";
		argv[n++] = "c++";
		argv[n++] = "-std=gnu++98";
		argv[n++] = "-Wall";
		argv[n++] = "-Werror";
		argv[n++] = "-D__XEN_TOOLS__";
		argv[n++] = "-include";
		argv[n++] = "stdint.h";
		argv[n++] = "-include";
		argv[n++] = (char *)buf_cstr(&xen);
		if (prereq) {
			argv[n++] = "-include";
			argv[n++] = "cstring";
		}
	} else {
		argv[n++] = "cc";
		argv[n++] = "-x";
		argv[n++] = "c";
		argv[n++] = config == CFG_C89 ? "-ansi" : "-std=c99";
		argv[n++] = "-Wall";
		argv[n++] = "-Werror";
		argv[n++] = "-include";
		argv[n++] = "stdint.h";
		if (prereq && config == CFG_C99) {
			argv[n++] = "-include";
			argv[n++] = "string.h";
		}
	}
	argv[n++] = "-S";
	argv[n++] = "-o";
	argv[n++] = "/dev/null";
	argv[n++] = stdin_src ? "-" : (char *)buf_cstr(&hdr);
	argv[n] = NULL;
	rc = run(argv, stdin_src ? buf_cstr(&in) : NULL, NULL, false, buf_cstr(&errf),
		 environ);
	if (rc < 0)
		result = xstrdup("could not run");
	else if (rc)
		result = compiler_error(buf_cstr(&errf), root);
done:
	buf_free(&hdr);
	buf_free(&in);
	buf_free(&errf);
	buf_free(&xen);
	buf_free(&line);
	return result;
}

/* rm -r, for the work directory. */
void compat_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dp = opendir(path);
		struct dirent *e;
		while (dp && (e = readdir(dp)) != NULL) {
			Buf sub = {0};
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			buf_printf(&sub, "%s/%s", path, e->d_name);
			compat_remove_tree(buf_cstr(&sub));
			buf_free(&sub);
		}
		if (dp)
			closedir(dp);
		rmdir(path);
	} else {
		unlink(path);
	}
}
