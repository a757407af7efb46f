/*
 * import.c - the command line of `xenbindgen import`: its options, usage
 * line and help.  import/import.c does the work (docs/import.md).
 */
/* realpath() is XSI in glibc's view of POSIX 2008 (as in model/load.c) */
#define _XOPEN_SOURCE 700 /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

#include "cli/cli.h"
#include "emit/emit.h"
#include "import/import.h"
#include "out/out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { I_OUT, I_TO, I_TREE, I_ROOT, I_JOBS, I_VERBOSE, I_FACTS, I_XLAT };

static const OptDef import_opts[] = {
	{'o', "outdir", true, I_OUT},   {0, "to", true, I_TO},
	{0, "tree", true, I_TREE},      {0, "root", true, I_ROOT},
	{'j', "jobs", true, I_JOBS},    {'v', "verbose", false, I_VERBOSE},
	{0, "facts", true, I_FACTS},    {0, "xlat", true, I_XLAT},
	{'h', "help", false, OPT_HELP},
};

static const char import_help[] =
"Usage: xenbindgen import [OPTIONS] HEADER... -o SPECDIR [--to toml|yaml|json]\n"
"       xenbindgen import [OPTIONS] --tree DIR -o SPECDIR\n"
"\n"
"Turn C headers into a spec tree: one unit per header, its items in the\n"
"header's order, as the header spells them, with its conditions and its\n"
"comments as descriptions.  Each header is parsed for x86_32, x86_64,\n"
"arm32 and arm64, for the toolstack, the hypervisor and guests (latest and\n"
"default interface version), and for the assembler where it supports one.\n"
"What the spec language cannot say stays the header's own text (a verbatim\n"
"item), with a diagnostic naming the header's line; a summary counts it.\n"
"\n"
"Options:\n"
"  -o, --outdir SPECDIR   where the spec tree goes (required)\n"
"      --to FORMAT        toml (default), yaml or json\n"
"      --tree DIR         import every header below DIR\n"
"      --root DIR         the tree the HEADERs belong to, for their includes\n"
"                         and the names they use (default: the directory of\n"
"                         the first HEADER)\n"
"  -j, --jobs N           parallel parses (default: one per CPU)\n"
"      --xlat FILE        Xen's xlat.lst: mark the types it lists\n"
"                         compat = \"check\" ('?') or \"translate\" ('!')\n"
"  -v, --verbose          print the number of parses and the time\n"
"      --facts FILE       also write libclang's facts of each header (tools,\n"
"                         every target): layouts, values, macros\n"
"  -h, --help             show this help\n"
"\n"
"docs/import.md says how to migrate a header and what to review.  Needs a\n"
"xenbindgen built with libclang.\n"
"Exit status: 0 success, 1 the specs could not be made, 2 usage, 3 I/O.\n";

static const CmdDef import_cmd = {
	"import",
	"usage: xenbindgen import [OPTIONS] HEADER... -o SPECDIR [--to toml|yaml|json]",
	import_help, import_opts, ARRAY_LEN(import_opts), true, NULL,
};

/* The backends' own checks on the imported specs: what C or Rust cannot
 * take (two names that become one in Rust) stays text. */
static void check_backends(Spec *s, Diag *d)
{
	EmitOptions eo;
	OutSet out;
	memset(&eo, 0, sizeof eo);
	eo.regen_cmd = "xenbindgen";
	eo.crate = EMIT_CRATE_DEFAULT;
	outset_init(&out);
	emit_c(s, &eo, &out, d);
	if (!diag_error_count(d))
		emit_rust(s, &eo, &out, d);
	outset_free(&out);
}

typedef struct Args {
	ImportOptions o;
	const char *tree, *root;
} Args;

static int apply(void *ctx, const CmdDef *c, int id, const char *val)
{
	Args *a = ctx;
	char *end;
	long n;
	switch (id) {
	case I_OUT: a->o.outdir = val; break;
	case I_TO:
		if (strcmp(val, "toml") == 0)
			a->o.to = FMT_TOML;
		else if (strcmp(val, "yaml") == 0)
			a->o.to = FMT_YAML;
		else if (strcmp(val, "json") == 0)
			a->o.to = FMT_JSON;
		else
			return cli_usage(c, "--to takes toml, yaml or json, not '%s'", val);
		if (!format_supported(a->o.to))
			return cli_usage(c, "%s output is not supported: this xenbindgen "
					 "was built without libyaml (rebuild with "
					 "libyaml-dev installed)", a->o.to == FMT_YAML ?
					 "YAML" : "JSON");
		break;
	case I_TREE: a->tree = val; break;
	case I_ROOT: a->root = val; break;
	case I_JOBS:
		errno = 0;
		n = strtol(val, &end, 10);
		if (errno || *end || end == val || n < 1 || n > 256)
			return cli_usage(c, "--jobs takes a number from 1 to 256, "
					 "not '%s'", val);
		a->o.jobs = (unsigned)n;
		break;
	case I_VERBOSE: a->o.verbose = true; break;
	case I_FACTS: a->o.facts = val; break;
	case I_XLAT: a->o.xlat = val; break;
	}
	return STATUS_OK;
}

/* A HEADER's path below the root, or NULL (reported). */
static char *below_root(const char *root, const char *header)
{
	char *r = realpath(root, NULL), *h = realpath(header, NULL), *rel = NULL;
	size_t n;
	if (!r || !h) {
		fprintf(stderr, "xenbindgen: error: %s: %s\n", r ? header : root,
			strerror(errno));
	} else {
		n = strlen(r);
		if (strncmp(h, r, n) == 0 && h[n] == '/')
			rel = xstrdup(h + n + 1);
		else
			fprintf(stderr, "xenbindgen: error: %s is not below %s\n", header,
				root);
	}
	free(r);
	free(h);
	return rel;
}

int cli_import(int argc, char **argv)
{
	Args a;
	Operands ops;
	char **rel = NULL;
	char *root = NULL;
	size_t i;
	int st;

	memset(&a, 0, sizeof a);
	a.o.to = FMT_TOML;
	a.o.backends = check_backends;
	st = cli_parse(&import_cmd, argc, argv, apply, &a, &ops);
	if (st == CLI_DONE) {
		cli_operands_free(&ops);
		return cli_flush_stdout(STATUS_OK);
	}
	if (st == STATUS_OK && !a.o.outdir)
		st = cli_usage(&import_cmd, "%s", "missing -o SPECDIR");
	if (st == STATUS_OK && a.tree && ops.n)
		st = cli_usage(&import_cmd, "%s", "--tree takes no HEADER operands");
	if (st == STATUS_OK && a.tree && a.root)
		st = cli_usage(&import_cmd, "%s", "--tree is its own root: no --root");
	if (st == STATUS_OK && !a.tree && !ops.n)
		st = cli_usage(&import_cmd, "%s", "missing HEADER (or --tree DIR)");
	if (st == STATUS_OK) {
		if (a.tree) {
			a.o.root = a.tree;
			a.o.whole_tree = true;
		} else {
			if (a.root) {
				root = xstrdup(a.root);
			} else {
				const char *slash = strrchr(ops.v[0], '/');
				root = slash ? xstrndup(ops.v[0], (size_t)(slash - ops.v[0]) +
							(slash == ops.v[0]))
					     : xstrdup(".");
			}
			a.o.root = root;
			rel = xcalloc(ops.n + 1, sizeof *rel);
			for (i = 0; i < ops.n && st == STATUS_OK; i++) {
				rel[i] = below_root(root, ops.v[i]);
				if (!rel[i])
					st = STATUS_USAGE;
			}
			a.o.headers = (const char *const *)rel;
			a.o.nheaders = ops.n;
		}
	}
	if (st == STATUS_OK)
		st = cli_flush_stdout(import_run(&a.o));
	for (i = 0; rel && i < ops.n; i++)
		free(rel[i]);
	free(rel);
	free(root);
	cli_operands_free(&ops);
	return st;
}
