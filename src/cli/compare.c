/*
 * compare.c - the command line of `xenbindgen compare`: its options, usage
 * line and help.  import/compare.c does the work (docs/compare.md).
 */
#include "cli/cli.h"
#include "import/import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { C_TARGET, C_CONFIG, C_SCRIPTS, C_CPP, C_JOBS, C_VERBOSE };

static const OptDef compare_opts[] = {
	{0, "target", true, C_TARGET},       {0, "config", true, C_CONFIG},
	{0, "xen-scripts", true, C_SCRIPTS}, {0, "cpp", true, C_CPP},
	{'j', "jobs", true, C_JOBS},         {'v', "verbose", false, C_VERBOSE},
	{'h', "help", false, OPT_HELP},
};

static const char compare_help[] =
"Usage: xenbindgen compare [OPTIONS] ORIGINAL_DIR GENERATED_DIR [HEADER...]\n"
"\n"
"Is each header of GENERATED_DIR a drop-in replacement for the header at\n"
"the same path in ORIGINAL_DIR (every one, or the HEADERs named, as paths\n"
"below the directories)?  For every target and configuration, libclang's\n"
"facts of both headers must be equal: records and their layouts, typedefs,\n"
"enumerators, macros with their values and C types, the header's own\n"
"errors.  Prints \"drop-in\" or each difference, per header, then a summary.\n"
"\n"
"Options:\n"
"      --target T         x86_32, x86_64, arm32, arm64 (the default: these\n"
"                         four), riscv64, ppc64le; repeatable\n"
"      --config C         tools, hypervisor, guest, default, asm, c89, c99,\n"
"                         c++ (default: all that apply); repeatable\n"
"      --xen-scripts DIR  also run Xen's compat pipeline and header checks\n"
"                         on both trees: DIR holds compat-build-source.py,\n"
"                         compat-build-header.py, get-fields.sh, xlat.lst\n"
"                         and xen/include/Makefile\n"
"      --cpp CMD          the compat pipeline's preprocessor (default: cc -E)\n"
"  -j, --jobs N           parallel parses (default: one per CPU)\n"
"  -v, --verbose          say which configurations each header skips; print\n"
"                         the number of parses and the time\n"
"  -h, --help             show this help\n"
"\n"
"docs/compare.md defines drop-in and the output.  Needs a xenbindgen built\n"
"with libclang.\n"
"Exit status: 0 all drop-in, 1 differences, 2 usage, 3 I/O.\n";

static const CmdDef compare_cmd = {
	"compare",
	"usage: xenbindgen compare [OPTIONS] ORIGINAL_DIR GENERATED_DIR "
	"[HEADER...]",
	compare_help, compare_opts, ARRAY_LEN(compare_opts), true, NULL,
};

static int apply(void *ctx, const CmdDef *c, int id, const char *val)
{
	CompareOptions *o = ctx;
	char *end;
	long n;
	int k;
	switch (id) {
	case C_TARGET:
		k = target_from_name(val);
		if (k < 0)
			return cli_usage(c, "unknown target '%s' (expected x86_32, "
					 "x86_64, arm32, arm64, riscv64 or ppc64le)", val);
		o->targets |= 1u << k;
		break;
	case C_CONFIG:
		k = config_from_name(val);
		if (k < 0)
			return cli_usage(c, "unknown configuration '%s' (expected "
					 "tools, hypervisor, guest, default, asm, c89, "
					 "c99 or c++)", val);
		o->configs |= 1u << k;
		break;
	case C_SCRIPTS: o->xen_scripts = val; break;
	case C_CPP: o->cpp = val; break;
	case C_JOBS:
		errno = 0;
		n = strtol(val, &end, 10);
		if (errno || *end || end == val || n < 1 || n > 256)
			return cli_usage(c, "--jobs takes a number from 1 to 256, "
					 "not '%s'", val);
		o->jobs = (unsigned)n;
		break;
	case C_VERBOSE: o->stats = true; break;
	}
	return STATUS_OK;
}

int cli_compare(int argc, char **argv)
{
	CompareOptions o;
	Operands dirs;
	int st;

	memset(&o, 0, sizeof o);
	st = cli_parse(&compare_cmd, argc, argv, apply, &o, &dirs);
	if (st == STATUS_OK && dirs.n < 2)
		st = cli_usage(&compare_cmd, "%s", dirs.n ? "missing GENERATED_DIR" :
			       "missing ORIGINAL_DIR and GENERATED_DIR");
	if (st == STATUS_OK) {
		o.original = dirs.v[0];
		o.generated = dirs.v[1];
		o.headers = (const char *const *)dirs.v + 2;
		o.nheaders = dirs.n - 2;
		st = cli_flush_stdout(import_compare(&o));
	} else if (st == CLI_DONE) {
		st = cli_flush_stdout(STATUS_OK);
	}
	cli_operands_free(&dirs);
	return st;
}
