/*
 * depfile.c - the Make depfile of a run (--depfile).
 *
 * Every output depends on every spec file, and each spec file gets an
 * empty rule, as gcc -MP writes them, so that deleting a spec does not stop
 * make.  File names are quoted for Make where Make can quote them, and
 * refused where it cannot (make_word_ok()): a name is data from the spec
 * tree, and must not become a recipe.
 */
#include "out/out.h"

#include <stdlib.h>
#include <string.h>

enum { DEP_LINE_WIDTH = 78 };

bool make_word_ok(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || strchr(";:%=!|&<>`'\"()[]{}*?\\", c))
			return false;
	}
	return true;
}

/* Make's quoting: "\ " for a space, "$$" for '$', "\#" for '#'.  What
 * make_word_ok() refuses cannot be quoted: a ';' would start a recipe
 * ("a;cmd" runs cmd), ':' and '%' make pattern rules, '=' and "!="
 * variable assignments (the latter running a command), a line break ends
 * the rule. */
static bool put_make_word(Buf *b, const char *s)
{
	if (!make_word_ok(s))
		return false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '#')
			buf_putc(b, '\\');
		else if (*s == '$')
			buf_putc(b, '$');
		buf_putc(b, *s);
	}
	return true;
}

/* One word of a rule, starting a new line (" \\\n ") when it would not fit
 * within DEP_LINE_WIDTH (counting the " \\" that continues a line), unless
 * it is the first on its line or longer than a line. */
static bool put_word(Buf *b, Buf *w, size_t *line_start, const char *word,
		     bool first)
{
	buf_clear(w);
	if (!put_make_word(w, word))
		return false;
	if (!first && b->len - *line_start + w->len + 3 > DEP_LINE_WIDTH) {
		buf_puts(b, " \\\n");
		*line_start = b->len;
	}
	if (!first)
		buf_putc(b, ' ');
	buf_put(b, w->data, w->len);
	return true;
}

/* "target target ...: dep dep \\\n dep...".  Every output is a target of
 * one rule, which to make is the same as one rule per output with the
 * same prerequisites, and keeps the file linear in outputs + inputs (one
 * rule per output made it their product: 540 MB for 100,000 specs). */
static bool put_rule(Buf *b, const char *const *targets, size_t ntargets,
		     const char *const *deps, size_t ndeps)
{
	size_t line_start = b->len, i;
	Buf w = {0};
	bool ok = true;

	for (i = 0; i < ntargets && ok; i++)
		ok = put_word(b, &w, &line_start, targets[i], i == 0);
	buf_putc(b, ':');
	for (i = 0; i < ndeps && ok; i++)
		ok = put_word(b, &w, &line_start, deps[i], false);
	buf_putc(b, '\n');
	buf_free(&w);
	return ok;
}

/* Replace path by data atomically, unless it already holds exactly that;
 * and remove what a killed run left for it. */
static int replace_file(const char *path, const char *data, size_t len,
			Diag *d)
{
	Txn *t = txn_new(d);
	bool unchanged;
	int rc = txn_put(t, path, data, len, fs_default_mode(), &unchanged);

	if (!rc) {
		txn_remove_leftovers(t, path);
		rc = txn_commit(t);
	}
	txn_free(t);
	return rc;
}

int write_depfile(const char *path, const OutSet *o, const char *outdir,
		  const char *const *inputs, size_t ninputs, Diag *d)
{
	Buf b = {0}, root = {0}, t = {0};
	char **targets = xmalloc((o->n ? o->n : 1) * sizeof *targets);
	size_t i;
	bool ok = true;
	int rc = 0;

	path_root(&root, outdir);
	for (i = 0; i < o->n; i++) {
		path_join(&t, root.data, o->files[i].name);
		targets[i] = xstrdup(t.data);
	}
	if (o->n)
		ok = put_rule(&b, (const char *const *)targets, o->n, inputs,
			      ninputs);
	/* an empty rule per spec, as gcc -MP writes them: a deleted spec
	 * does not stop make */
	for (i = 0; i < ninputs && ok; i++) {
		buf_putc(&b, '\n');
		ok = put_rule(&b, &inputs[i], 1, NULL, 0);
	}
	if (!ok)
		rc = path_error(d, path, "cannot write: a file name contains a "
				"line break or another character Make cannot "
				"quote", 0);
	if (!rc)
		rc = replace_file(path, b.data ? b.data : "", b.len, d);
	buf_free(&b);
	buf_free(&root);
	buf_free(&t);
	for (i = 0; i < o->n; i++)
		free(targets[i]);
	free(targets);
	return rc;
}
