/*
 * options.c - the option parser of every command (cli.h has the syntax).
 *
 * One parser, so that every sub-command spells options, reports mistakes
 * and answers --help the same way; each command only brings its table and
 * what to do with each option.  A usage error stops the parse at the first
 * mistake: the message names the argument as it was written, and the
 * command's usage line follows.
 */
#include "cli/cli.h"
#include "cli/version.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_usage(const CmdDef *c, const char *fmt, const char *arg)
{
	fputs("xenbindgen: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", c->usage);
	return STATUS_USAGE;
}

bool cli_word_in(const char *val, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(val, *words) == 0)
			return true;
	return false;
}

int cli_color(const CmdDef *c, const char *val)
{
	static const char *const whens[] = {"auto", "always", "never", NULL};
	if (!cli_word_in(val, whens))
		return cli_usage(c, "--color takes auto, always or never, not '%s'",
				 val);
	return STATUS_OK;
}

/* The option that a (starting with "--") names, or NULL.  *eq is set to
 * the '=' of "--name=VALUE", or NULL. */
static const OptDef *find_long(const CmdDef *c, const char *a,
			       const char **eq)
{
	size_t k, len;
	*eq = strchr(a + 2, '=');
	len = *eq ? (size_t)(*eq - a - 2) : strlen(a + 2);
	for (k = 0; k < c->nopts; k++)
		if (strlen(c->opts[k].longname) == len &&
		    memcmp(c->opts[k].longname, a + 2, len) == 0)
			return &c->opts[k];
	return NULL;
}

static const OptDef *find_short(const CmdDef *c, char ch)
{
	size_t k;
	for (k = 0; k < c->nopts; k++)
		if (c->opts[k].shortname == ch)
			return &c->opts[k];
	return NULL;
}

/* a names no option of c, but may name one of generation. */
static int unknown(const CmdDef *c, const char *a)
{
	const CmdDef *g = c->generation;
	const OptDef *o = NULL;
	const char *eq;
	if (g && a[1] == '-')
		o = find_long(g, a, &eq);
	else if (g)
		o = find_short(g, a[1]);
	if (o && (a[1] == '-' || !a[2] || o->has_arg))
		return cli_usage(c, "option '%s' is for generation only", a);
	return cli_usage(c, "unknown option '%s'", a);
}

void cli_operands_free(Operands *ops)
{
	free(ops->v);
	ops->v = NULL;
	ops->n = 0;
}

int cli_parse(const CmdDef *c, int argc, char **argv, OptFn *fn, void *ctx,
	      Operands *ops)
{
	bool only_operands = false;
	int i;

	ops->v = xcalloc((size_t)argc + 1, sizeof *ops->v);
	ops->n = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq = NULL;
		const OptDef *o;
		int st;
		if (only_operands || a[0] != '-' || a[1] == '\0') {
			if (!c->operands)
				return cli_usage(c, "unexpected argument '%s'", a);
			ops->v[ops->n++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_operands = true;
			continue;
		}
		if (a[1] == '-') {
			o = find_long(c, a, &eq);
			if (!o)
				return unknown(c, a);
			if (eq && !o->has_arg)
				return cli_usage(c, "option '%s' takes no value", a);
			if (eq)
				val = eq + 1;
		} else {
			o = find_short(c, a[1]);
			if (!o)
				return unknown(c, a);
			/* "-vx" is not "-v -x": bundling is not worth the
			 * ambiguity with "-iDIR" */
			if (a[2] && !o->has_arg)
				return cli_usage(c, "unknown option '%s'", a);
			if (a[2])
				val = a + 2;
		}
		if (o->has_arg && !val) {
			if (i + 1 >= argc)
				return cli_usage(c, "option '%s' needs a value", a);
			val = argv[++i];
		}
		if (o->id == OPT_HELP) {
			fputs(c->help, stdout);
			return CLI_DONE;
		}
		if (o->id == OPT_VERSION) {
			printf("xenbindgen %s\n", XENBINDGEN_VERSION);
			return CLI_DONE;
		}
		st = fn(ctx, c, o->id, val);
		if (st != STATUS_OK)
			return st;
	}
	return STATUS_OK;
}

int cli_flush_stdout(int st)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "xenbindgen: error: cannot write to standard "
			"output: %s\n", strerror(errno));
		if (st == STATUS_OK)
			st = STATUS_IO;
	}
	return st;
}
