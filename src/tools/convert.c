/*
 * convert.c - `xenbindgen convert` and `xenbindgen fmt`: the spec tools
 * that work on documents, not on the model.
 *
 *   xenbindgen convert --to toml|yaml|json [-o DIR | --in-place] PATH...
 *   xenbindgen fmt [--check] PATH...
 *
 * (cli/doctools.c reads these command lines; tools_convert() and
 * tools_fmt() get them as options.)
 *
 * Both read each spec file into the document tree (doc.h) and write it out
 * again with a writer of writers.h.  convert writes the tree as it is, in
 * another format: nothing is reordered, so nothing is lost.  fmt first
 * puts the tree in canonical form (below) and writes it in its own format.
 * Neither needs the model: a spec with semantic errors converts and formats
 * all the same, and only a file that does not parse is refused.
 *
 * Canonical form (fmt):
 *   - sections in the order the decoder reads them: abi, includes,
 *     consts, aliases, enums, bitmaps, structs, unions;
 *   - the keys of each kind of table in a fixed order (the *_order tables
 *     below), the one specs/xen mostly uses: name first; a constant or an
 *     alias then its value or type and its description; an enum, bitmap,
 *     struct or union its description (a struct's op before it), its
 *     backing type, then only, c and abi, and its list last; a field,
 *     variant or bit, written on one line, its short keys and then its
 *     description, so that the long text comes last (but a type that
 *     spreads over lines, an inline struct or union, comes after the
 *     description, so that nothing trails its closing brackets).  Unknown
 *     keys (which the decoder rejects) follow, as written;
 *   - every type in the short syntax: "u8", { ptr = "u8" },
 *     { array = ["u8", 16] }, { struct = "name" }, and a named type as its
 *     bare name rather than { type = "name" }; a table that is no type is
 *     left as written;
 *   - integers in the base they were written in (0x7FF0 stays hex);
 *   - the writers' single layout per format (write_*.c).
 * The decoder takes sections in a fixed order whatever the file says, and
 * both type syntaxes decode to the same Type, so none of this can change
 * the model.
 *
 * Comments: scanned from TOML and YAML sources and attached to anchors
 * (the rules are at attach_comments()), they follow their entry through
 * fmt and through conversion between TOML and YAML.  JSON has none:
 * converting to JSON drops them, with a note.
 *
 * Finding files: a directory PATH is walked by walk_tree() (base/fs.c),
 * with the policy of every command that reads specs: sorted, hidden
 * entries skipped, symbolic links followed only if they stay inside PATH
 * (convert --in-place must never delete or write a file elsewhere through
 * one), loops, depth and special files refused.
 *
 * Writing: nothing is written unless every file was read and converted
 * (convert), or for each file that was (fmt, where files are independent).
 * The outputs are planned first, so that their destinations can be
 * checked, then written in one transaction (base/fs.c): each to a
 * temporary file next to its destination, and only when all are written
 * are they renamed into place; a file whose content would not change is
 * not touched.
 */
#include "tools/tools.h"
#include "model/model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* ---- Finding spec files ------------------------------------------------------ */

typedef struct Input {
	char *path;      /* to open */
	char *rel;       /* relative to its argument; the basename for a file */
	SpecFormat fmt;
	bool from_dir;   /* found in a directory argument */
} Input;

typedef struct Inputs {
	Input *v;
	size_t n, cap;
	Diag *d;
	int status; /* worst exit status so far */
} Inputs;

static Loc path_loc(Diag *d, const char *path)
{
	Loc l = {0, 0, 0};
	l.file = diag_add_source(d, path);
	return l;
}

static void worst(int *status, int st)
{
	if (st > *status)
		*status = st;
}

static void add_input(Inputs *in, const char *path, const char *rel,
		      bool from_dir)
{
	Input *i;
	in->v = xgrow(in->v, &in->cap, in->n + 1, sizeof *in->v);
	i = &in->v[in->n++];
	i->path = xstrdup(path);
	i->rel = xstrdup(rel);
	i->fmt = format_from_path(path);
	i->from_dir = from_dir;
}

/* A spec file, unless it is not a regular file: a fifo named x.toml would
 * block the read forever. */
static void add_file(Inputs *in, const char *path, const char *rel,
		     bool from_dir, const struct stat *st)
{
	if (!S_ISREG(st->st_mode)) {
		diag_error(in->d, path_loc(in->d, path), "not a regular file");
		worst(&in->status, STATUS_SPEC);
		return;
	}
	add_input(in, path, rel, from_dir);
}

static bool is_spec_name(const char *name)
{
	return format_from_path(name) != FMT_NONE;
}

static WalkNext found_spec(void *ctx, const WalkEntry *e)
{
	add_input(ctx, e->path, e->rel, true);
	return WALK_NEXT;
}

/* Files and directories named on the command line.  A file must have a
 * spec extension; a directory contributes its spec files, recursively.
 * marks[i] is the number of inputs before argument i. */
static void find_inputs(Inputs *in, char **paths, int n, size_t *marks)
{
	int i;
	for (i = 0; i < n; i++) {
		struct stat st;
		const char *base;
		marks[i] = in->n;
		if (stat(paths[i], &st) != 0) {
			diag_error(in->d, path_loc(in->d, paths[i]), "cannot read: %s",
				   strerror(errno));
			worst(&in->status, STATUS_IO);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			Walk w;
			memset(&w, 0, sizeof w);
			w.mode = WALK_INPUT;
			w.d = in->d;
			w.ctx = in;
			w.want = is_spec_name;
			w.file = found_spec;
			worst(&in->status, walk_tree(&w, paths[i]));
			continue;
		}
		if (format_from_path(paths[i]) == FMT_NONE) {
			diag_error(in->d, path_loc(in->d, paths[i]),
				   "not a spec file: the name must end in .toml, "
				   ".yaml, .yml or .json");
			worst(&in->status, STATUS_USAGE);
			continue;
		}
		base = strrchr(paths[i], '/');
		add_file(in, paths[i], base ? base + 1 : paths[i], false, &st);
	}
	marks[n] = in->n;
}

static void free_inputs(Inputs *in)
{
	size_t i;
	for (i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].rel);
	}
	free(in->v);
}

/* ---- Reading and writing one document -------------------------------------- */

typedef struct Doc {
	Arena arena;
	char *text; /* the source, as read */
	size_t len;
	DocNode *root;
	CommentList comments;
	DocStyle st;
} Doc;

/* Read and parse a spec; false after reporting why (status set). */
static bool doc_read(Doc *doc, const Input *in, Diag *d, int *status)
{
	const char *err = NULL;
	uint32_t file;

	memset(doc, 0, sizeof *doc);
	arena_init(&doc->arena);
	if (!format_supported(in->fmt)) {
		/* the reader words this error */
		doc->root = parse_spec_text(&doc->arena, d, in->path, "", 0, &file);
		worst(status, STATUS_SPEC);
		return false;
	}
	doc->text = read_file(in->path, &doc->len, &err);
	if (!doc->text) {
		diag_error(d, path_loc(d, in->path), "cannot read file: %s", err);
		worst(status, STATUS_IO);
		return false;
	}
	doc->root = parse_spec_text(&doc->arena, d, in->path, doc->text,
				    doc->len, &file);
	if (!doc->root) {
		worst(status, STATUS_SPEC);
		return false;
	}
	return true;
}

/* What the source says beyond the tree: comments, integer spellings. */
static void doc_style(Doc *doc, SpecFormat fmt)
{
	memset(&doc->comments, 0, sizeof doc->comments);
	if (fmt == FMT_TOML)
		toml_scan_comments(&doc->arena, doc->text, doc->len, &doc->comments);
	else if (fmt == FMT_YAML)
		yaml_scan_comments(&doc->arena, doc->text, doc->len, &doc->comments);
	style_init(&doc->st, &doc->arena, doc->root, &doc->comments, doc->text,
		   doc->len);
}

static void doc_free(Doc *doc)
{
	free(doc->text);
	free(doc->comments.v);
	arena_free(&doc->arena);
}

static bool write_doc(Buf *out, SpecFormat fmt, const DocNode *root,
		      DocStyle *st, Diag *d)
{
	switch (fmt) {
	case FMT_TOML: return write_toml(out, root, st, d);
	case FMT_YAML: return write_yaml(out, root, st, d);
	case FMT_JSON: return write_json(out, root, d);
	case FMT_NONE: break;
	}
	return false;
}

/* ---- Writing files: all or nothing ------------------------------------------- */

typedef struct Job {
	char *dest;   /* where the content goes */
	char *data;
	size_t len;
	char *remove; /* convert --in-place: the source, removed afterwards */
	const char *shown; /* for --verbose: the path as given */
	const char *from;  /* for --verbose: the source of a conversion */
	bool skip;    /* dest already holds exactly data */
} Job;

/* The outputs, planned before anything is written. */
typedef struct Jobs {
	Job *v;
	size_t n, cap;
} Jobs;

static void add_job(Jobs *J, const char *dest, Buf *content, const char *remove,
		    const char *shown, const char *from)
{
	Job *j;
	J->v = xgrow(J->v, &J->cap, J->n + 1, sizeof *J->v);
	j = &J->v[J->n++];
	memset(j, 0, sizeof *j);
	j->dest = xstrdup(dest);
	j->data = buf_detach(content, &j->len);
	if (!j->data)
		j->data = xstrdup("");
	j->remove = remove ? xstrdup(remove) : NULL;
	j->shown = shown;
	j->from = from;
}

static void free_jobs(Jobs *J)
{
	size_t i;
	for (i = 0; i < J->n; i++) {
		free(J->v[i].dest);
		free(J->v[i].data);
		free(J->v[i].remove);
	}
	free(J->v);
}

/* Write every job in one transaction, then remove the sources of an
 * in-place conversion.  Each file keeps the mode of the file it replaces,
 * else of its source.  Returns 0 or STATUS_IO. */
static int run_jobs(Jobs *J, Diag *d, bool verbose)
{
	Txn *t = txn_new(d);
	size_t i;
	bool committed = false; /* every file renamed */
	int rc = 0;

	/* what a run killed by SIGKILL left for these files goes too */
	{
		const char **own = xcalloc(2 * J->n + 1, sizeof *own);
		size_t n = 0;
		for (i = 0; i < J->n; i++) {
			own[n++] = J->v[i].dest;
			if (J->v[i].remove)
				own[n++] = J->v[i].remove;
		}
		txn_remove_leftovers_of(t, own, n);
		free(own);
	}
	for (i = 0; i < J->n && !rc; i++) {
		Job *j = &J->v[i];
		unsigned mode = fs_mode_of(j->dest, fs_mode_of(j->remove,
							      fs_default_mode()));
		rc = txn_put(t, j->dest, j->data, j->len, mode, &j->skip);
		if (j->remove)
			txn_remove(t, j->remove, "cannot remove the converted source",
				   true);
	}
	if (!rc) {
		rc = txn_commit(t);
		committed = txn_renamed(t) == txn_staged(t);
	}
	txn_free(t);
	for (i = 0; i < J->n && verbose && committed; i++) {
		const Job *j = &J->v[i];
		if (j->from)
			printf("%s: %s (from %s)\n", j->skip ? "unchanged" : "written",
			       j->dest, j->from);
		else
			printf("%s: %s\n", j->skip ? "unchanged" : "formatted",
			       j->shown);
	}
	return rc;
}

/* ---- convert -------------------------------------------------------------- */

static const char *extension(SpecFormat f)
{
	return f == FMT_TOML ? ".toml" : f == FMT_YAML ? ".yaml" : ".json";
}

/* name with its extension replaced by that of format to (kept when the
 * file is already in that format: x.yml stays x.yml). */
static void renamed(Buf *b, const char *name, SpecFormat from, SpecFormat to)
{
	const char *dot = strrchr(name, '.');
	buf_clear(b);
	if (from == to || !dot) {
		buf_puts(b, name);
	} else {
		buf_put(b, name, (size_t)(dot - name));
		buf_puts(b, extension(to));
	}
	buf_cstr(b);
}

/* Where input i goes; NULL for standard output. */
static char *destination(const ConvertOptions *a, const Input *in, SpecFormat to)
{
	Buf b = {0}, name = {0};
	if (a->outdir) {
		size_t n = strlen(a->outdir);
		renamed(&name, in->rel, in->fmt, to);
		buf_puts(&b, a->outdir);
		if (n && a->outdir[n - 1] != '/')
			buf_putc(&b, '/');
		buf_puts(&b, name.data);
	} else if (a->in_place) {
		renamed(&b, in->path, in->fmt, to);
	} else {
		return NULL;
	}
	buf_free(&name);
	return buf_detach(&b, NULL);
}

static int cmp_dest(const void *pa, const void *pb)
{
	const Job *a = *(const Job *const *)pa, *b = *(const Job *const *)pb;
	return strcmp(a->dest, b->dest);
}

/* Two inputs must not go to one output; --in-place must not overwrite a
 * file that is not being converted. */
static bool check_destinations(Jobs *J, const Inputs *in,
			       const ConvertOptions *a, Diag *d)
{
	const Job **sorted = xcalloc(J->n + 1, sizeof *sorted);
	HMap inputs;
	size_t i, k;
	bool ok = true;
	for (i = 0; i < J->n; i++)
		sorted[i] = &J->v[i];
	qsort(sorted, J->n, sizeof *sorted, cmp_dest);
	for (i = 1; i < J->n; i++)
		if (strcmp(sorted[i - 1]->dest, sorted[i]->dest) == 0) {
			diag_error(d, path_loc(d, sorted[i]->dest),
				   "both %s and %s would be converted to this file",
				   sorted[i - 1]->shown, sorted[i]->shown);
			ok = false;
		}
	hmap_init(&inputs);
	for (k = 0; k < in->n; k++)
		hmap_put(&inputs, in->v[k].path, strlen(in->v[k].path), &in->v[k]);
	for (i = 0; a->in_place && i < J->n; i++) {
		struct stat st;
		if (!J->v[i].remove || lstat(J->v[i].dest, &st) != 0 ||
		    hmap_gets(&inputs, J->v[i].dest))
			continue;
		diag_error(d, path_loc(d, J->v[i].dest),
			   "converting %s would overwrite this file", J->v[i].shown);
		ok = false;
	}
	hmap_free(&inputs);
	free(sorted);
	return ok;
}

static int finish(Diag *d, const char *color, int status)
{
	diag_print(d, stderr, diag_want_color(color, stderr));
	diag_free(d);
	return status;
}

int tools_convert(const ConvertOptions *opts)
{
	const ConvertOptions a = *opts;
	Inputs in;
	Jobs J;
	Diag *d;
	SpecFormat to = a.to;
	size_t *marks, i;
	int arg, status = 0;
	bool to_stdout;

	d = diag_new();
	memset(&in, 0, sizeof in);
	memset(&J, 0, sizeof J);
	in.d = d;
	marks = xcalloc((size_t)a.npaths + 1, sizeof *marks);
	find_inputs(&in, a.paths, a.npaths, marks);
	to_stdout = !a.outdir && !a.in_place;
	if (!in.status && to_stdout &&
	    (a.npaths != 1 || in.n != 1 || in.v[0].from_dir)) {
		free(marks);
		free_inputs(&in);
		diag_free(d);
		fprintf(stderr, "xenbindgen: error: standard output takes a single "
			"spec file; use -o DIR or --in-place\n%s\n", a.usage);
		return STATUS_USAGE;
	}
	for (arg = 0; arg < a.npaths && !in.status; arg++) {
		for (i = marks[arg]; i < marks[arg + 1]; i++) {
			Input *inp = &in.v[i];
			Doc doc;
			Buf out = {0};
			char *dest;
			if (!doc_read(&doc, inp, d, &status)) {
				doc_free(&doc);
				continue;
			}
			doc_style(&doc, inp->fmt);
			if (!write_doc(&out, to, doc.root, &doc.st, d)) {
				worst(&status, STATUS_SPEC);
				buf_free(&out);
				doc_free(&doc);
				continue;
			}
			if (to == FMT_JSON && doc.comments.n)
				fprintf(stderr, "%s: note: JSON has no comments; "
					"the %zu comment%s of this file %s not "
					"carried over\n", inp->path, doc.comments.n,
					doc.comments.n == 1 ? "" : "s",
					doc.comments.n == 1 ? "is" : "are");
			if (to_stdout) {
				if (out.len)
					fwrite(out.data, 1, out.len, stdout);
			} else {
				dest = destination(&a, inp, to);
				add_job(&J, dest, &out,
					a.in_place && strcmp(dest, inp->path) != 0
						? inp->path : NULL,
					inp->path, inp->path);
				free(dest);
			}
			buf_free(&out);
			doc_free(&doc);
		}
	}
	worst(&status, in.status);
	if (!status && !check_destinations(&J, &in, &a, d))
		status = STATUS_SPEC;
	if (!status && J.n) {
		/* diagnostics first, then the list of what was written */
		diag_print(d, stderr, diag_want_color(a.color, stderr));
		status = run_jobs(&J, d, a.verbose);
	}
	free_jobs(&J);
	free_inputs(&in);
	free(marks);
	if (to_stdout && fflush(stdout) != 0 && !status) {
		fprintf(stderr, "xenbindgen: error: cannot write to standard "
			"output: %s\n", strerror(errno));
		status = STATUS_IO;
	}
	return finish(d, a.color, status);
}

/* ---- fmt ------------------------------------------------------------------ */

/* In place: through symbolic links to the file they name (realpath() is
 * not in base POSIX; readlink() is).  Gives up after 40 links, like the
 * kernel, and then writes the name itself. */
static char *real_target(const char *path)
{
	Buf cur = {0}, next = {0};
	char link[4096];
	int hops;

	buf_puts(&cur, path);
	for (hops = 0; hops < 40; hops++) {
		struct stat st;
		ssize_t n;
		const char *slash;
		if (lstat(buf_cstr(&cur), &st) != 0 || !S_ISLNK(st.st_mode))
			break;
		n = readlink(cur.data, link, sizeof link - 1);
		if (n <= 0)
			break;
		buf_clear(&next);
		slash = strrchr(cur.data, '/');
		if (link[0] != '/' && slash)
			buf_put(&next, cur.data, (size_t)(slash - cur.data) + 1);
		buf_put(&next, link, (size_t)n);
		buf_clear(&cur);
		buf_put(&cur, next.data, next.len);
	}
	buf_free(&next);
	buf_cstr(&cur);
	return buf_detach(&cur, NULL);
}

int tools_fmt(const FmtOptions *opts)
{
	const FmtOptions a = *opts;
	Inputs in;
	Jobs J;
	Diag *d;
	size_t *marks, i, unformatted = 0;
	int status = 0;
	Buf diffs = {0};

	d = diag_new();
	memset(&in, 0, sizeof in);
	memset(&J, 0, sizeof J);
	in.d = d;
	marks = xcalloc((size_t)a.npaths + 1, sizeof *marks);
	find_inputs(&in, a.paths, a.npaths, marks);
	free(marks);
	for (i = 0; i < in.n; i++) {
		Input *inp = &in.v[i];
		Doc doc;
		Buf out = {0};
		DocNode *root;
		if (!doc_read(&doc, inp, d, &status)) {
			doc_free(&doc);
			continue;
		}
		root = canon_root(&doc.arena, doc.root);
		doc.root = root;
		doc_style(&doc, inp->fmt);
		if (!write_doc(&out, inp->fmt, root, &doc.st, d)) {
			worst(&status, STATUS_SPEC);
		} else if (out.len != doc.len ||
			   memcmp(out.data ? out.data : "", doc.text, doc.len) != 0) {
			if (a.check) {
				Buf name = {0};
				unformatted++;
				buf_printf(&name, "%s\t(formatted)", inp->path);
				buf_printf(&diffs, "not formatted: %s\n", inp->path);
				unified_diff(&diffs, doc.text, doc.len,
					     out.data ? out.data : "", out.len,
					     inp->path, buf_cstr(&name));
				buf_free(&name);
			} else {
				char *dest = real_target(inp->path);
				add_job(&J, dest, &out, NULL, inp->path, NULL);
				free(dest);
			}
		} else if (!a.check) {
			/* a job all the same: the writer finds it unchanged, and
			 * removes what a killed run left for it */
			char *dest = real_target(inp->path);
			add_job(&J, dest, &out, NULL, inp->path, NULL);
			free(dest);
		}
		buf_free(&out);
		doc_free(&doc);
	}
	worst(&status, in.status);
	if (a.check) {
		if (diffs.len)
			fwrite(diffs.data, 1, diffs.len, stdout);
		if (unformatted)
			fprintf(stderr, "xenbindgen: %zu file%s not formatted; run "
				"'xenbindgen fmt' on %s\n", unformatted,
				unformatted == 1 ? " is" : "s are",
				unformatted == 1 ? "it" : "them");
		if (unformatted && !status)
			status = STATUS_SPEC;
	} else if (J.n) {
		diag_print(d, stderr, diag_want_color(a.color, stderr));
		worst(&status, run_jobs(&J, d, a.verbose));
	}
	buf_free(&diffs);
	free_jobs(&J);
	free_inputs(&in);
	fflush(stdout);
	return finish(d, a.color, status);
}
