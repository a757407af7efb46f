/*
 * main.c - the driver: which command runs, the command lines of generation,
 * validate and layout, their pipeline and exit status.
 *
 * Stages report through one Diag and never exit; the driver runs them in
 * order and decides the status (base.h): STATUS_OK, STATUS_SPEC (errors in
 * the specs or ABI violations; check mode: outputs stale), STATUS_USAGE or
 * STATUS_IO.
 *
 * Nothing is written unless every stage succeeded.
 */
#include "cli/cli.h"
#include "emit/emit.h"
#include "model/model.h"
#include "out/out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum Cmd { CMD_GENERATE, CMD_VALIDATE, CMD_LAYOUT } Cmd;

typedef struct Options {
	Cmd cmd;
	const char *indir, *outdir, *lang, *depfile, *regen_hint, *color;
	const char *format, *crate;
	const char **against;
	size_t nagainst;
	bool check, keep_dashes, werror, verbose, undocumented, differ;
	bool rust_names; /* --rust-names rust */
	bool target[NTARGETS];
	bool any_target;
	long max_errors;
	Operands names; /* layout: the types to show */
} Options;

/* ---- Command lines ---------------------------------------------------------
 * Generation, validate and layout run the same pipeline on the specs of
 * -i DIR and share one Options and one apply(); each has its own table,
 * usage line and help. */

enum {
	O_INDIR, O_OUTDIR, O_LANG, O_CHECK, O_DEPFILE, O_REGEN, O_DASHES,
	O_CRATE, O_TARGET, O_FORMAT, O_COLOR, O_MAXERR, O_WERROR, O_VERBOSE,
	O_AGAINST, O_UNDOC, O_DIFFER, O_RUST_NAMES,
};

static const OptDef generate_opts[] = {
	{'i', "indir", true, O_INDIR},       {'o', "outdir", true, O_OUTDIR},
	{'l', "lang", true, O_LANG},         {0, "check", false, O_CHECK},
	{0, "depfile", true, O_DEPFILE},     {0, "regen-hint", true, O_REGEN},
	{0, "keep-dashes", false, O_DASHES}, {0, "crate-name", true, O_CRATE},
	{0, "color", true, O_COLOR},         {0, "max-errors", true, O_MAXERR},
	{0, "werror", false, O_WERROR},      {'v', "verbose", false, O_VERBOSE},
	{'h', "help", false, OPT_HELP},      {'V', "version", false, OPT_VERSION},
	{0, "against-header", true, O_AGAINST},
	{0, "rust-names", true, O_RUST_NAMES},
};

static const OptDef validate_opts[] = {
	{'i', "indir", true, O_INDIR},       {0, "color", true, O_COLOR},
	{0, "max-errors", true, O_MAXERR},   {0, "werror", false, O_WERROR},
	{'h', "help", false, OPT_HELP},      {'V', "version", false, OPT_VERSION},
	{0, "undocumented", false, O_UNDOC},
	{0, "differ", false, O_DIFFER},
};

static const OptDef layout_opts[] = {
	{'i', "indir", true, O_INDIR},       {0, "target", true, O_TARGET},
	{0, "format", true, O_FORMAT},       {0, "color", true, O_COLOR},
	{0, "max-errors", true, O_MAXERR},   {0, "werror", false, O_WERROR},
	{'h', "help", false, OPT_HELP},      {'V', "version", false, OPT_VERSION},
};

static const char generate_help[] =
"xenbindgen - compile Xen ABI specs into C headers and a Rust crate\n"
"\n"
"Usage:\n"
"  xenbindgen -i DIR -o DIR -l c|rust [--check] [OPTIONS]\n"
"      Check the specs in DIR and generate one output per sub-directory.\n"
"  xenbindgen validate -i DIR [OPTIONS]\n"
"      Check the specs and their layouts on every target; write nothing.\n"
"  xenbindgen layout -i DIR [--target T] [--format text|json] [TYPE...]\n"
"      Print the layout of every type (or the named ones) per target.\n"
"  xenbindgen convert --to toml|yaml|json [-o DIR | --in-place] PATH...\n"
"      Convert specs from one format to another.\n"
"  xenbindgen fmt [--check] PATH...\n"
"      Rewrite specs in the canonical style.\n"
"  xenbindgen compare ORIGINAL_DIR GENERATED_DIR [HEADER...]\n"
"      Is each generated header a drop-in for the original? (libclang)\n"
"  xenbindgen import HEADER... -o SPECDIR | --tree DIR -o SPECDIR\n"
"      Turn C headers into specs. (libclang)\n"
"  xenbindgen diff [--format text|json] OLD NEW\n"
"      Classify the ABI changes between two spec trees (or REV:PATH).\n"
"Each command has its own options: xenbindgen COMMAND --help.\n"
"\n"
"The spec language: docs/spec-language.md.\n"
"\n"
"Options (generation):\n"
"  -i, --indir DIR        spec directory: one sub-directory per output\n"
"  -o, --outdir DIR       output directory\n"
"  -l, --lang LANG        c, rust, c-layout (layout assertions),\n"
"                         c-compat (Xen's compat headers and xlat.h) or\n"
"                         abi-summary (one file of ABI facts to commit)\n"
"      --against-header H c-layout: assert the layouts of hand-written\n"
"                         header H instead of the generated ones\n"
"      --check            compare the outputs in --outdir with what the\n"
"                         specs produce; print diffs, exit 1 if stale\n"
"      --depfile FILE     write a Make depfile of outputs and specs\n"
"      --regen-hint CMD   the command shown in banners and by --check\n"
"                         (default: xenbindgen -i <spec dir> -o <output\n"
"                         dir> -l LANG, whatever the paths)\n"
"      --keep-dashes      name outputs arch-x86.h rather than arch_x86.h\n"
"      --crate-name NAME  Rust crate name (default " EMIT_CRATE_DEFAULT ")\n"
"      --rust-names STYLE c (default): the crate's types, constants and\n"
"                         fields are named as in the C headers; rust:\n"
"                         CamelCase types, snake_case fields\n"
"      --color WHEN       auto (default), always or never; NO_COLOR is\n"
"                         honoured in auto mode\n"
"      --max-errors N     stop after N errors (default 50; 0: no limit)\n"
"      --werror           treat warnings as errors\n"
"  -v, --verbose          print what was written, and list waived ABI\n"
"                         differences\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Exit status: 0 ok, 1 spec/ABI errors or stale outputs, 2 usage, 3 I/O.\n";

static const char validate_help[] =
"Usage: xenbindgen validate -i DIR [OPTIONS]\n"
"\n"
"Check the specs in DIR as generation does: read and decode them, resolve\n"
"their names, lay out every type on every target and apply the ABI rules.\n"
"Then print a summary: the outputs, files and items read, per target\n"
"the types and constants checked and the types whose layout differs on\n"
"another target, the last resorts (verbatim blocks, raw conditions)\n"
"if any, and how many items, fields, variants and bits have no\n"
"description (the generated documentation has none for them either),\n"
"and how many have one that only restates the name (\"The domain.\").\n"
"Nothing is written.  Waived ABI differences are listed as warnings.\n"
"\n"
"Options:\n"
"  -i, --indir DIR        spec directory: one sub-directory per output\n"
"      --undocumented     after the summary, list what has no description,\n"
"                         as FILE:LINE:COL: field 'x' of struct 'y', or\n"
"                         one that only restates the name\n"
"      --differ           after the summary, list per 32/64-bit pair of one\n"
"                         architecture (x86_32/x86_64, arm32/arm64) every\n"
"                         type whose layout differs\n"
"      --color WHEN       auto (default), always or never; NO_COLOR is\n"
"                         honoured in auto mode\n"
"      --max-errors N     stop after N errors (default 50; 0: no limit)\n"
"      --werror           treat warnings as errors\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Exit status: 0 ok, 1 spec or ABI errors, 2 usage, 3 I/O.\n";

static const char layout_help[] =
"Usage: xenbindgen layout -i DIR [--target T] [--format text|json] [TYPE...]\n"
"\n"
"Print the layout of every type of the specs in DIR, or of the TYPEs named,\n"
"per target: size, alignment, each field's offset and size, and the holes\n"
"that padding leaves.  A type laid out alike on every target is printed\n"
"once; otherwise the targets that agree share a column, side by side with\n"
"the others.  The ABI rules are not applied: layout shows holes, it does\n"
"not reject them.\n"
"\n"
"Options:\n"
"  -i, --indir DIR        spec directory: one sub-directory per output\n"
"      --target T         only this target (repeatable)\n"
"      --format FMT       text (default) or json\n"
"      --color WHEN       auto (default), always or never; NO_COLOR is\n"
"                         honoured in auto mode\n"
"      --max-errors N     stop after N errors (default 50; 0: no limit)\n"
"      --werror           treat warnings as errors\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Targets: x86_32 x86_64 arm32 arm64 riscv64 ppc64le\n"
"Exit status: 0 ok, 1 spec errors or an unknown TYPE, 2 usage, 3 I/O.\n";

static const CmdDef generate_cmd = {
	NULL,
	"usage: xenbindgen [validate|layout] -i DIR [-o DIR -l LANG] "
	"[OPTIONS]",
	generate_help, generate_opts, ARRAY_LEN(generate_opts), false, NULL,
};

static const CmdDef validate_cmd = {
	"validate", "usage: xenbindgen validate -i DIR [OPTIONS]",
	validate_help, validate_opts, ARRAY_LEN(validate_opts), false,
	&generate_cmd,
};

static const CmdDef layout_cmd = {
	"layout",
	"usage: xenbindgen layout -i DIR [--target T] [--format text|json] "
	"[TYPE...]",
	layout_help, layout_opts, ARRAY_LEN(layout_opts), true, &generate_cmd,
};

static int apply(void *ctx, const CmdDef *c, int id, const char *arg)
{
	static const char *const langs[] = {"c", "rust", "c-layout", "c-compat",
					    "abi-summary", NULL};
	static const char *const formats[] = {"text", "json", NULL};
	static const char *const styles[] = {"c", "rust", NULL};
	Options *o = ctx;
	char *end;
	int t;
	switch (id) {
	case O_INDIR: o->indir = arg; break;
	case O_OUTDIR: o->outdir = arg; break;
	case O_LANG:
		if (!cli_word_in(arg, langs))
			return cli_usage(c, "unknown language '%s' (expected c, "
					 "c-layout, c-compat, rust or abi-summary)", arg);
		o->lang = arg;
		break;
	case O_AGAINST:
		o->against[o->nagainst++] = arg;
		break;
	case O_CHECK: o->check = true; break;
	case O_DEPFILE: o->depfile = arg; break;
	case O_REGEN: o->regen_hint = arg; break;
	case O_DASHES: o->keep_dashes = true; break;
	case O_CRATE: o->crate = arg; break;
	case O_RUST_NAMES:
		if (!cli_word_in(arg, styles))
			return cli_usage(c, "--rust-names takes c or rust, not '%s'",
					 arg);
		o->rust_names = strcmp(arg, "rust") == 0;
		break;
	case O_TARGET:
		t = target_from_name(arg);
		if (t < 0)
			return cli_usage(c, "unknown target '%s' (expected x86_32, "
					 "x86_64, arm32, arm64, riscv64 or ppc64le)",
					 arg);
		o->target[t] = o->any_target = true;
		break;
	case O_FORMAT:
		if (!cli_word_in(arg, formats))
			return cli_usage(c, "unknown format '%s' (expected text or "
					 "json)", arg);
		o->format = arg;
		break;
	case O_COLOR:
		o->color = arg;
		return cli_color(c, arg);
	case O_MAXERR:
		errno = 0;
		o->max_errors = strtol(arg, &end, 10);
		if (errno || *end || end == arg || o->max_errors < 0)
			return cli_usage(c, "--max-errors takes a number, not '%s'",
					 arg);
		break;
	case O_WERROR: o->werror = true; break;
	case O_VERBOSE: o->verbose = true; break;
	case O_UNDOC: o->undocumented = true; break;
	case O_DIFFER: o->differ = true; break;
	}
	return STATUS_OK;
}

/* Returns STATUS_OK to go on, CLI_DONE (help, version) or STATUS_USAGE. */
static int parse_args(Options *o, const CmdDef *c, Cmd cmd, int argc,
		      char **argv)
{
	int st;
	o->cmd = cmd;
	o->max_errors = 50;
	o->color = "auto";
	o->format = "text";
	o->crate = EMIT_CRATE_DEFAULT;
	o->against = xcalloc((size_t)argc, sizeof *o->against);
	st = cli_parse(c, argc, argv, apply, o, &o->names);
	if (st != STATUS_OK)
		return st;
	if (!o->indir)
		return cli_usage(c, "%s", "missing --indir DIR");
	if (cmd != CMD_GENERATE)
		return STATUS_OK;
	if (!o->outdir)
		return cli_usage(c, "%s", "missing --outdir DIR (or use "
					  "'xenbindgen validate' to only check)");
	if (!o->lang)
		return cli_usage(c, "%s", "missing --lang c|rust");
	if (o->nagainst && strcmp(o->lang, "c-layout") != 0)
		return cli_usage(c, "%s", "--against-header needs --lang c-layout");
	return STATUS_OK;
}

/* The regeneration command of banners and --check: --regen-hint, or a
 * fixed text with the options that shape the outputs.  Never the command
 * line as run: the outputs must not depend on the directory the tool ran
 * in or on how the paths were spelt, or --check fails for the same
 * specs. */
static char *regen_command(const Options *o)
{
	Buf b = {0};
	if (o->regen_hint)
		return xstrdup(o->regen_hint);
	buf_printf(&b, "xenbindgen -i <spec dir> -o <output dir> -l %s", o->lang);
	if (o->keep_dashes)
		buf_puts(&b, " --keep-dashes");
	if (strcmp(o->lang, "rust") == 0 && strcmp(o->crate, EMIT_CRATE_DEFAULT) != 0)
		buf_printf(&b, " --crate-name %s", o->crate);
	if (strcmp(o->lang, "rust") == 0 && o->rust_names)
		buf_puts(&b, " --rust-names rust");
	return buf_detach(&b, NULL);
}

/* Load, check and lay out the specs, and apply the ABI rules unless only
 * the layouts are wanted (the layout command shows holes, it does not
 * reject them). */
static int analyse(Spec *s, Diag *d, bool rules, bool list_waived,
		   bool quiet_note)
{
	size_t waived = 0;
	int st = spec_load(s, d);
	/* Checks run after decoding errors too, so that one run reports as
	 * much as it can; layouts need a sound model. */
	if (st == 0)
		spec_check(s, d);
	if (diag_error_count(d) == 0)
		layout_compute(s, d);
	if (rules && diag_error_count(d) == 0)
		waived = abi_check(s, d, list_waived);
	if (waived && diag_error_count(d) == 0 && !quiet_note)
		diag_note(d, NO_LOC, "%zu waived ABI difference%s not listed; "
			  "'xenbindgen validate' lists them", waived,
			  waived == 1 ? "" : "s");
#ifdef XBG_TEST_HOOKS
	{
		/* the test build only (base.h) */
		const char *perturb = getenv("XBG_TEST_PERTURB");
		if (perturb && *perturb)
			layout_perturb(s, perturb);
	}
#endif
	if (st)
		return st;
	return diag_error_count(d) ? STATUS_SPEC : STATUS_OK;
}

static size_t count_files(const Spec *s)
{
	size_t i, n = 0;
	for (i = 0; i < s->nunits; i++)
		n += s->units[i]->nfiles;
	return n;
}

/* Every spec file and the output directory go into the depfile as file
 * names: check that Make can read them back before anything is written.
 * A spec file name like "a%:b;cmd;.toml" would otherwise give the outputs
 * a recipe that the next make runs. */
static int depfile_names_ok(const Options *o, const Spec *s, Diag *d)
{
	size_t i, j;
	int st = 0;
	if (!make_word_ok(o->outdir)) {
		diag_error(d, NO_LOC, "--depfile: the output directory's name has a "
			   "character Make cannot quote (one of ;:%%=!|&<>`'\"()[]{}*?\\ "
			   "or a control character)");
		st = STATUS_USAGE;
	}
	for (i = 0; i < s->nunits; i++) {
		for (j = 0; j < s->units[i]->nfiles; j++) {
			const SpecFile *f = &s->units[i]->files[j];
			Loc whole = {0, 0, 0};
			if (make_word_ok(f->path))
				continue;
			whole.file = f->file;
			diag_error(d, whole, "this file's name cannot go into a Make "
				   "depfile (--depfile): Make cannot quote "
				   ";:%%=!|&<>`'\"()[]{}*?\\ or a control character");
			if (!st)
				st = STATUS_SPEC;
		}
	}
	return st;
}

static int generate(const Options *o, Spec *s, Diag *d, bool color)
{
	EmitOptions eo;
	OutSet out;
	const char **inputs;
	size_t i, j, n = 0;
	int st = 0;
	char *regen = regen_command(o);

	if (o->depfile) {
		st = depfile_names_ok(o, s, d);
		if (st) {
			diag_print(d, stderr, color);
			free(regen);
			return st;
		}
	}
	eo.regen_cmd = regen;
	eo.keep_dashes = o->keep_dashes;
	eo.crate = o->crate;
	eo.rust_names = o->rust_names;
	eo.against = o->against;
	eo.nagainst = o->nagainst;
	outset_init(&out);
	/* to disk (or compared with it) as they are made, not all kept */
	outset_stream(&out, o->outdir, o->check, d);
	if (strcmp(o->lang, "c") == 0) {
		out.owns = owns_c_header;
		emit_c(s, &eo, &out, d);
	} else if (strcmp(o->lang, "c-layout") == 0) {
		out.owns = owns_c_layout;
		emit_c_layout(s, &eo, &out, d);
	} else if (strcmp(o->lang, "abi-summary") == 0) {
		out.owns = owns_abi_summary;
		emit_abi_summary(s, &eo, &out, d);
	} else if (strcmp(o->lang, "c-compat") == 0) {
		out.owns = owns_c_compat;
		emit_c_compat(s, &eo, &out, d);
	} else {
		out.owns = owns_rust;
		emit_rust(s, &eo, &out, d);
	}
	if (diag_error_count(d)) {
		diag_print(d, stderr, color);
		st = outset_failed(&out) ? STATUS_IO : STATUS_SPEC;
		goto done;
	}
	diag_print(d, stderr, color); /* warnings */
	if (o->check) {
		st = outset_check(&out, o->outdir, regen, stdout, d);
	} else {
		WriteStats ws = {0, 0, 0};
		st = outset_write(&out, o->outdir, d, &ws);
		if (!st && o->verbose)
			printf("%zu written, %zu unchanged, %zu removed\n", ws.written,
			       ws.unchanged, ws.removed);
	}
	if (!st && o->depfile) {
		inputs = xcalloc(count_files(s) + 1, sizeof *inputs);
		for (i = 0; i < s->nunits; i++)
			for (j = 0; j < s->units[i]->nfiles; j++)
				inputs[n++] = s->units[i]->files[j].path;
		st = write_depfile(o->depfile, &out, o->outdir, inputs, n, d);
		free(inputs);
	}
	diag_print(d, stderr, color);
done:
	outset_free(&out);
	free(regen);
	return st;
}

/* Generation, validate or layout, as c says. */
static int run_specs(const CmdDef *c, Cmd cmd, int argc, char **argv)
{
	Options o;
	Diag *d;
	Spec *s;
	bool color;
	int st;

	memset(&o, 0, sizeof o);
	st = parse_args(&o, c, cmd, argc, argv);
	if (st != STATUS_OK) {
		cli_operands_free(&o.names);
		free(o.against);
		return st == CLI_DONE ? cli_flush_stdout(STATUS_OK) : st;
	}
	color = diag_want_color(o.color, stderr);
	d = diag_new();
	diag_set_limit(d, (size_t)o.max_errors);
	diag_set_werror(d, o.werror);
	s = spec_new(o.indir);

	/* --check is a CI job: its output is the diff, nothing else */
	st = analyse(s, d, o.cmd != CMD_LAYOUT, o.cmd == CMD_VALIDATE || o.verbose,
		     o.check);
	if (st) {
		diag_print(d, stderr, color);
	} else if (o.cmd == CMD_VALIDATE) {
		diag_print(d, stderr, color);
		report_summary(stdout, s);
		if (o.undocumented)
			report_undocumented(stdout, s);
		if (o.differ)
			report_differ(stdout, s);
	} else if (o.cmd == CMD_LAYOUT) {
		diag_print(d, stderr, color);
		st = report_layout(stdout, s, d, (const char *const *)o.names.v,
				   o.names.n, o.any_target ? o.target : NULL,
				   strcmp(o.format, "json") == 0);
		diag_print(d, stderr, color);
	} else {
		st = generate(&o, s, d, color);
	}
	spec_free(s);
	diag_free(d);
	cli_operands_free(&o.names);
	free(o.against);
	return cli_flush_stdout(st);
}

static int cmd_validate(int argc, char **argv)
{
	return run_specs(&validate_cmd, CMD_VALIDATE, argc, argv);
}

static int cmd_layout(int argc, char **argv)
{
	return run_specs(&layout_cmd, CMD_LAYOUT, argc, argv);
}

/* The sub-commands, by the word that follows "xenbindgen"; anything else
 * is the main command's (generation's) command line.  A new sub-command
 * is a line here, a CmdDef with its options and help, and a line in
 * generate_help and the man page. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{"validate", cmd_validate},
	{"layout", cmd_layout},
	{"convert", cli_convert},
	{"fmt", cli_fmt},
	{"compare", cli_compare},
	{"import", cli_import},
	{"diff", cli_diff},
};

int main(int argc, char **argv)
{
	size_t k;
	for (k = 0; argc > 1 && k < ARRAY_LEN(subcommands); k++)
		if (strcmp(argv[1], subcommands[k].name) == 0)
			return subcommands[k].run(argc - 1, argv + 1);
	return run_specs(&generate_cmd, CMD_GENERATE, argc, argv);
}
