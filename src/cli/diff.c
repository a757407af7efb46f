/*
 * diff.c - the command line of `xenbindgen diff`: its options, usage line
 * and help.  diff/ does the work (docs/abi-evolution.md).
 */
#include "cli/cli.h"
#include "diff/diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { D_FORMAT, D_TARGET, D_COLOR, D_MAXERR };

typedef struct DiffOptions {
	bool json;
	unsigned targets; /* bit t: compare target t; 0: every one */
	const char *color;
	long max_errors;
} DiffOptions;

static const OptDef diff_opts[] = {
	{0, "format", true, D_FORMAT},     {0, "target", true, D_TARGET},
	{0, "color", true, D_COLOR},       {0, "max-errors", true, D_MAXERR},
	{'h', "help", false, OPT_HELP},    {'V', "version", false, OPT_VERSION},
};

static const char diff_help[] =
"Usage: xenbindgen diff [--format text|json] [--target T] OLD NEW\n"
"\n"
"Compare the ABI of two spec trees, target by target: every type's size,\n"
"alignment and members (offset, size, bit field, type; added, removed or\n"
"renamed), every guest handle's width, every constant's and enumerator's\n"
"value and type, and the condition (build, interface version) each needs.\n"
"Each change is breaking (a layout change of an existing type, a removed\n"
"or renamed name, a changed value), needs-bump (a breaking change of a\n"
"type that an [abi] bump rule governs, without a new value of its version\n"
"constant) or compatible (additions that move nothing, new constants and\n"
"ops, a versioned change).\n"
"\n"
"OLD and NEW are spec directories, or REV:PATH: directory PATH (from the\n"
"top of the repository) of git revision REV, as in `git show REV:PATH`,\n"
"read from the git repository of the working directory.\n"
"\n"
"Options:\n"
"      --format FMT       text (default) or json\n"
"      --target T         only this target (repeatable)\n"
"      --color WHEN       auto (default), always or never; NO_COLOR is\n"
"                         honoured in auto mode\n"
"      --max-errors N     stop after N errors (default 50; 0: no limit)\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"docs/abi-evolution.md describes the classes and the JSON.\n"
"Targets: x86_32 x86_64 arm32 arm64 riscv64 ppc64le\n"
"Exit status: 0 no breaking change, 1 a breaking change, a missing version\n"
"bump or errors in a spec, 2 usage (or no such revision), 3 I/O.\n";

static const CmdDef diff_cmd = {
	"diff", "usage: xenbindgen diff [--format text|json] [--target T] OLD NEW",
	diff_help, diff_opts, ARRAY_LEN(diff_opts), true, NULL,
};

static int apply(void *ctx, const CmdDef *c, int id, const char *val)
{
	static const char *const formats[] = {"text", "json", NULL};
	DiffOptions *o = ctx;
	char *end;
	int t;
	switch (id) {
	case D_FORMAT:
		if (!cli_word_in(val, formats))
			return cli_usage(c, "unknown format '%s' (expected text or "
					 "json)", val);
		o->json = strcmp(val, "json") == 0;
		break;
	case D_TARGET:
		t = target_from_name(val);
		if (t < 0)
			return cli_usage(c, "unknown target '%s' (expected x86_32, "
					 "x86_64, arm32, arm64, riscv64 or ppc64le)", val);
		o->targets |= 1u << t;
		break;
	case D_COLOR:
		o->color = val;
		return cli_color(c, val);
	case D_MAXERR:
		errno = 0;
		o->max_errors = strtol(val, &end, 10);
		if (errno || *end || end == val || o->max_errors < 0)
			return cli_usage(c, "--max-errors takes a number, not '%s'",
					 val);
		break;
	}
	return STATUS_OK;
}

/* Keep the changes of the targets asked for. */
static void only_targets(DiffResult *r, unsigned targets_)
{
	size_t i, n = 0;
	int t;
	if (!targets_)
		return;
	for (t = 0; t < NTARGETS; t++)
		if (!(targets_ >> t & 1u))
			r->compared[t] = false;
	for (i = 0; i < r->n; i++)
		if (targets_ >> r->v[i].target & 1u)
			r->v[n++] = r->v[i];
	r->n = n;
}

static int run(const DiffOptions *o, const char *old_arg, const char *new_arg,
	       Diag *d, bool color)
{
	DiffSide old, new_;
	DiffResult r;
	int st, st2;

	st = diff_side_open(&old, old_arg, d);
	st2 = diff_side_open(&new_, new_arg, d);
	if (!st)
		st = diff_side_load(&old, d);
	if (!st2)
		st2 = diff_side_load(&new_, d);
	/* the worse of the two: I/O over usage over spec errors */
	if (st2 == STATUS_IO || (st2 && st != STATUS_IO && st2 > st))
		st = st2;
	if (!st) {
		diff_compute(&r, &old, &new_, d);
		only_targets(&r, o->targets);
		diag_print(d, stderr, color);
		if (o->json)
			diff_print_json(stdout, &r);
		else
			diff_print_text(stdout, &r, old_arg, new_arg);
		st = diff_failures(&r) ? STATUS_SPEC : STATUS_OK;
		diff_result_free(&r);
	} else {
		diag_print(d, stderr, color);
	}
	diff_side_close(&old);
	diff_side_close(&new_);
	return st;
}

int cli_diff(int argc, char **argv)
{
	DiffOptions o;
	Operands sides;
	Diag *d;
	int st;

	memset(&o, 0, sizeof o);
	o.color = "auto";
	o.max_errors = 50;
	st = cli_parse(&diff_cmd, argc, argv, apply, &o, &sides);
	if (st == STATUS_OK && sides.n != 2)
		st = cli_usage(&diff_cmd, "%s", sides.n > 2 ? "too many operands: "
			       "diff compares two spec trees, OLD and NEW"
			       : sides.n ? "missing NEW" : "missing OLD and NEW");
	if (st == STATUS_OK) {
		d = diag_new();
		diag_set_limit(d, (size_t)o.max_errors);
		st = run(&o, sides.v[0], sides.v[1], d,
			 diag_want_color(o.color, stderr));
		diag_free(d);
		st = cli_flush_stdout(st);
	} else if (st == CLI_DONE) {
		st = cli_flush_stdout(STATUS_OK);
	}
	cli_operands_free(&sides);
	return st;
}
