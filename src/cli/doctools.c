/*
 * doctools.c - the command lines of `xenbindgen convert` and `xenbindgen
 * fmt`, the sub-commands on spec documents: their options, usage lines and
 * help.  tools/convert.c does the work, given the options read here.
 */
#include "cli/cli.h"
#include "tools/tools.h"

#include <string.h>

enum { A_TO, A_OUTDIR, A_INPLACE, A_CHECK, A_VERBOSE, A_COLOR };

static const OptDef convert_opts[] = {
	{'t', "to", true, A_TO},            {'o', "outdir", true, A_OUTDIR},
	{0, "in-place", false, A_INPLACE},  {'v', "verbose", false, A_VERBOSE},
	{0, "color", true, A_COLOR},        {'h', "help", false, OPT_HELP},
};

static const OptDef fmt_opts[] = {
	{0, "check", false, A_CHECK},       {'v', "verbose", false, A_VERBOSE},
	{0, "color", true, A_COLOR},        {'h', "help", false, OPT_HELP},
};

static const char convert_help[] =
"Usage: xenbindgen convert --to toml|yaml|json [-o DIR | --in-place] PATH...\n"
"\n"
"Convert spec files to another format without loss: every item, field,\n"
"variant, bit and key keeps its order, every string (multi-line\n"
"descriptions included) its exact text.  A PATH is a spec file (.toml,\n"
".yaml, .yml, .json) or a directory, whose spec files are converted\n"
"recursively, keeping their layout (hidden entries are skipped, other files\n"
"ignored).\n"
"\n"
"Where the output goes:\n"
"  (neither option)       standard output; PATH must be one file\n"
"  -o, --outdir DIR       DIR/<name>.<new extension>, where <name> is a file\n"
"                         PATH's base name, or a file's path relative to a\n"
"                         directory PATH (DIR/domctl/x.yaml)\n"
"      --in-place         next to each source, which is then removed (a file\n"
"                         already in the target format is rewritten in place)\n"
"\n"
"Options:\n"
"  -t, --to FORMAT        toml, yaml or json (required)\n"
"  -v, --verbose          print each file written or left unchanged\n"
"      --color WHEN       auto (default), always or never\n"
"  -h, --help             show this help\n"
"\n"
"Integers keep their base (0x7FF0) where the target format has it.\n"
"Comments move with their entries between TOML and YAML; JSON has none, so\n"
"converting to JSON drops them (with a note).  Nothing is written unless\n"
"every file converted; each output is replaced atomically, and left alone\n"
"if unchanged.  YAML and JSON need a xenbindgen built with libyaml.\n"
"Exit status: 0 ok, 1 spec errors (syntax, or a value the target format\n"
"cannot hold), 2 usage, 3 I/O.\n";

static const char fmt_help[] =
"Usage: xenbindgen fmt [--check] PATH...\n"
"\n"
"Rewrite spec files in the canonical style, in place and in their own\n"
"format.  A PATH is a spec file or a directory (searched recursively).\n"
"The canonical style:\n"
"  - sections in the order abi, includes, consts, aliases, enums, bitmaps,\n"
"    structs, unions;\n"
"  - keys in a fixed order per kind of table: name first; a field, variant\n"
"    or bit on one line, its description last (after an inline struct or\n"
"    union type, which spreads over lines, only that type comes later);\n"
"  - types in the short syntax: \"u8\", { ptr = \"u8\" },\n"
"    { array = [\"u8\", 16] }, { struct = \"name\" };\n"
"  - the layout of `xenbindgen convert`: in TOML one [[section]] table per\n"
"    item and one inline table per line for fields, variants and bits.\n"
"Comments stay with their entries and integers keep their base (0x7FF0).\n"
"The model never changes, and formatting twice gives the same bytes.\n"
"docs/spec-language.md has the details.\n"
"\n"
"Options:\n"
"      --check            write nothing; list the files that are not\n"
"                         formatted with a diff, and exit 1 if there are any\n"
"  -v, --verbose          print each file formatted or left unchanged\n"
"      --color WHEN       auto (default), always or never\n"
"  -h, --help             show this help\n"
"\n"
"A file that does not parse is reported and left untouched; the others are\n"
"still formatted.  Files are replaced atomically, and only when they change.\n"
"YAML and JSON need a xenbindgen built with libyaml.\n"
"Exit status: 0 ok (--check: all formatted), 1 syntax errors (--check: or\n"
"files not formatted), 2 usage, 3 I/O.\n";

static const CmdDef convert_cmd = {
	"convert",
	"usage: xenbindgen convert --to toml|yaml|json [-o DIR | --in-place] "
	"PATH...",
	convert_help, convert_opts, ARRAY_LEN(convert_opts), true, NULL,
};

static const CmdDef fmt_cmd = {
	"fmt", "usage: xenbindgen fmt [--check] PATH...",
	fmt_help, fmt_opts, ARRAY_LEN(fmt_opts), true, NULL,
};

/* What either command was given; each takes its own part. */
typedef struct DocArgs {
	const char *to, *outdir, *color;
	bool in_place, check, verbose;
} DocArgs;

static int apply(void *ctx, const CmdDef *c, int id, const char *val)
{
	static const char *const formats[] = {"toml", "yaml", "json", NULL};
	DocArgs *a = ctx;
	switch (id) {
	case A_TO:
		if (!cli_word_in(val, formats))
			return cli_usage(c, "unknown format '%s' (expected toml, "
					 "yaml or json)", val);
		a->to = val;
		break;
	case A_OUTDIR: a->outdir = val; break;
	case A_INPLACE: a->in_place = true; break;
	case A_CHECK: a->check = true; break;
	case A_VERBOSE: a->verbose = true; break;
	case A_COLOR:
		a->color = val;
		return cli_color(c, val);
	}
	return STATUS_OK;
}

/* Returns STATUS_OK to go on, CLI_DONE or STATUS_USAGE. */
static int parse(const CmdDef *c, int argc, char **argv, DocArgs *a,
		 Operands *paths)
{
	int st;
	memset(a, 0, sizeof *a);
	a->color = "auto";
	st = cli_parse(c, argc, argv, apply, a, paths);
	if (st != STATUS_OK)
		return st;
	if (c == &convert_cmd && !a->to)
		return cli_usage(c, "%s", "missing --to toml|yaml|json");
	if (a->outdir && a->in_place)
		return cli_usage(c, "%s", "-o and --in-place exclude each other");
	if (!paths->n)
		return cli_usage(c, "%s", "no PATH given");
	return STATUS_OK;
}

static SpecFormat format_of(const char *word)
{
	if (strcmp(word, "toml") == 0)
		return FMT_TOML;
	return strcmp(word, "yaml") == 0 ? FMT_YAML : FMT_JSON;
}

int cli_convert(int argc, char **argv)
{
	DocArgs a;
	Operands paths;
	ConvertOptions o;
	int st = parse(&convert_cmd, argc, argv, &a, &paths);

	if (st == STATUS_OK) {
		memset(&o, 0, sizeof o);
		o.to = format_of(a.to);
		o.outdir = a.outdir;
		o.in_place = a.in_place;
		o.verbose = a.verbose;
		o.color = a.color;
		o.paths = paths.v;
		o.npaths = (int)paths.n;
		o.usage = convert_cmd.usage;
		if (format_supported(o.to)) {
			st = tools_convert(&o);
		} else {
			fprintf(stderr, "xenbindgen: error: %s output is not "
				"supported: this xenbindgen was built without "
				"libyaml (rebuild with libyaml-dev installed)\n",
				format_name(o.to));
			st = STATUS_USAGE;
		}
	} else if (st == CLI_DONE) {
		st = cli_flush_stdout(STATUS_OK);
	}
	cli_operands_free(&paths);
	return st;
}

int cli_fmt(int argc, char **argv)
{
	DocArgs a;
	Operands paths;
	FmtOptions o;
	int st = parse(&fmt_cmd, argc, argv, &a, &paths);

	if (st == STATUS_OK) {
		memset(&o, 0, sizeof o);
		o.check = a.check;
		o.verbose = a.verbose;
		o.color = a.color;
		o.paths = paths.v;
		o.npaths = (int)paths.n;
		st = tools_fmt(&o);
	} else if (st == CLI_DONE) {
		st = cli_flush_stdout(STATUS_OK);
	}
	cli_operands_free(&paths);
	return st;
}
