/*
 * main.c - the driver: command line, pipeline, exit status.
 *
 * Stages report through one Diag and never exit; the driver runs them in
 * order and decides:
 *
 *   0  success (check mode: outputs in sync)
 *   1  errors in the specs or ABI violations (check mode: outputs stale)
 *   2  usage errors
 *   3  I/O errors
 *
 * Nothing is written unless every stage succeeded.
 */
#include "cli/cli.h"
#include "cli/version.h"
#include "emit/emit.h"
#include "import/import.h"
#include "model/model.h"
#include "out/out.h"
#include "tools/tools.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_SPEC = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef enum Cmd { CMD_GENERATE, CMD_VALIDATE, CMD_LAYOUT } Cmd;

typedef struct Options {
	Cmd cmd;
	const char *indir, *outdir, *lang, *depfile, *regen_hint, *color;
	const char *format, *crate;
	const char **against;
	size_t nagainst;
	bool check, keep_dashes, werror, verbose;
	bool target[NTARGETS];
	bool any_target;
	long max_errors;
	const char **names;
	size_t nnames;
} Options;

static const char usage_line[] =
	"usage: xenbindgen [validate|layout] -i DIR [-o DIR -l c|rust|c-layout] [OPTIONS]";

static void print_help(void)
{
	printf(
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
"      Convert specs from one format to another (see convert --help).\n"
"  xenbindgen fmt [--check] PATH...\n"
"      Rewrite specs in the canonical style (see fmt --help).\n"

"\n"
"The spec language: docs/spec-language.md.\n"
"\n"
"Options:\n"
"  -i, --indir DIR        spec directory: one sub-directory per output\n"
"  -o, --outdir DIR       output directory\n"
"  -l, --lang LANG        c, rust, or c-layout (layout assertions)\n"
"      --against-header H c-layout: assert the layouts of hand-written\n"
"                         header H instead of the generated ones\n"
"      --check            compare the outputs in --outdir with what the\n"
"                         specs produce; print diffs, exit 1 if stale\n"
"      --depfile FILE     write a Make depfile of outputs and specs\n"
"      --regen-hint CMD   the command shown in banners and by --check\n"
"                         (default: the command line that was run)\n"
"      --keep-dashes      name outputs arch-x86.h rather than arch_x86.h\n"
"      --crate-name NAME  Rust crate name (default xen-sys)\n"
"      --target T         layout: only this target (repeatable)\n"
"      --format FMT       layout: text (default) or json\n"
"      --color WHEN       auto (default), always or never; NO_COLOR is\n"
"                         honoured in auto mode\n"
"      --max-errors N     stop after N errors (default 50; 0: no limit)\n"
"      --werror           treat warnings as errors\n"
"  -v, --verbose          print what was written\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Targets: x86_32 x86_64 arm32 arm64 riscv64 ppc64le\n"
"Exit status: 0 ok, 1 spec/ABI errors or stale outputs, 2 usage, 3 I/O.\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("xenbindgen: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", usage_line);
	return EXIT_USAGE;
}

/* Long options take "--opt VALUE" or "--opt=VALUE"; short ones "-i DIR" or
 * "-iDIR".  Hand-written because getopt_long is not POSIX. */
typedef struct OptDef {
	char shortname;
	const char *longname;
	bool has_arg;
	int id;
} OptDef;

enum {
	O_INDIR, O_OUTDIR, O_LANG, O_CHECK, O_DEPFILE, O_REGEN, O_DASHES,
	O_CRATE, O_TARGET, O_FORMAT, O_COLOR, O_MAXERR, O_WERROR, O_VERBOSE,
	O_HELP, O_VERSION, O_AGAINST,
};

static const OptDef opts[] = {
	{'i', "indir", true, O_INDIR},       {'o', "outdir", true, O_OUTDIR},
	{'l', "lang", true, O_LANG},         {0, "check", false, O_CHECK},
	{0, "depfile", true, O_DEPFILE},     {0, "regen-hint", true, O_REGEN},
	{0, "keep-dashes", false, O_DASHES}, {0, "crate-name", true, O_CRATE},
	{0, "target", true, O_TARGET},       {0, "format", true, O_FORMAT},
	{0, "color", true, O_COLOR},         {0, "max-errors", true, O_MAXERR},
	{0, "werror", false, O_WERROR},      {'v', "verbose", false, O_VERBOSE},
	{'h', "help", false, O_HELP},        {'V', "version", false, O_VERSION},
	{0, "against-header", true, O_AGAINST},
};

static int apply(Options *o, int id, const char *arg)
{
	char *end;
	int t;
	switch (id) {
	case O_INDIR: o->indir = arg; break;
	case O_OUTDIR: o->outdir = arg; break;
	case O_LANG:
		if (strcmp(arg, "c") != 0 && strcmp(arg, "rust") != 0 &&
		    strcmp(arg, "c-layout") != 0)
			return usage_error("unknown language '%s' (expected c, "
					   "c-layout or rust)", arg);
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
	case O_TARGET:
		t = target_from_name(arg);
		if (t < 0)
			return usage_error("unknown target '%s' (expected x86_32, "
					   "x86_64, arm32, arm64, riscv64 or ppc64le)",
					   arg);
		o->target[t] = o->any_target = true;
		break;
	case O_FORMAT:
		if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
			return usage_error("unknown format '%s' (expected text or json)",
					   arg);
		o->format = arg;
		break;
	case O_COLOR:
		if (strcmp(arg, "auto") != 0 && strcmp(arg, "always") != 0 &&
		    strcmp(arg, "never") != 0)
			return usage_error("--color takes auto, always or never, not '%s'",
					   arg);
		o->color = arg;
		break;
	case O_MAXERR:
		errno = 0;
		o->max_errors = strtol(arg, &end, 10);
		if (errno || *end || end == arg || o->max_errors < 0)
			return usage_error("--max-errors takes a number, not '%s'", arg);
		break;
	case O_WERROR: o->werror = true; break;
	case O_VERBOSE: o->verbose = true; break;
	case O_HELP: print_help(); return -1;
	case O_VERSION:
		printf("xenbindgen %s\n", XENBINDGEN_VERSION);
		return -1;
	}
	return 0;
}

/* Returns 0 to go on, -1 to stop with status 0 (help, version), or an exit
 * status. */
static int parse_args(Options *o, int argc, char **argv)
{
	int i = 1;
	bool only_names = false;
	size_t k;
	o->max_errors = 50;
	o->color = "auto";
	o->format = "text";
	o->crate = "xen-sys";
	if (i < argc && strcmp(argv[i], "validate") == 0) {
		o->cmd = CMD_VALIDATE;
		i++;
	} else if (i < argc && strcmp(argv[i], "layout") == 0) {
		o->cmd = CMD_LAYOUT;
		i++;
	}
	o->names = xcalloc((size_t)argc, sizeof *o->names);
	o->against = xcalloc((size_t)argc, sizeof *o->against);
	for (; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const OptDef *def = NULL;
		int r;
		if (only_names || a[0] != '-' || a[1] == '\0') {
			if (o->cmd != CMD_LAYOUT)
				return usage_error("unexpected argument '%s'", a);
			o->names[o->nnames++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_names = true;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			for (k = 0; k < ARRAY_LEN(opts); k++)
				if (strlen(opts[k].longname) == len &&
				    memcmp(opts[k].longname, a + 2, len) == 0)
					def = &opts[k];
			if (!def)
				return usage_error("unknown option '%s'", a);
			if (eq && !def->has_arg)
				return usage_error("option '%s' takes no value", a);
			if (eq)
				val = eq + 1;
		} else {
			for (k = 0; k < ARRAY_LEN(opts); k++)
				if (opts[k].shortname == a[1])
					def = &opts[k];
			if (!def)
				return usage_error("unknown option '%s'", a);
			if (a[2] && def->has_arg)
				val = a + 2;
			else if (a[2])
				return usage_error("unknown option '%s'", a);
		}
		if (def->has_arg && !val) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a value", a);
			val = argv[++i];
		}
		r = apply(o, def->id, val);
		if (r)
			return r;
	}
	if (!o->indir)
		return usage_error("%s", "missing --indir DIR");
	if (o->cmd == CMD_GENERATE) {
		if (!o->outdir)
			return usage_error("%s", "missing --outdir DIR (or use "
						 "'xenbindgen validate' to only check)");
		if (!o->lang)
			return usage_error("%s", "missing --lang c|rust");
	} else if (o->outdir || o->lang || o->check || o->depfile) {
		return usage_error("%s", "--outdir, --lang, --check and --depfile "
					 "are for generation only");
	}
	if (o->nagainst && (!o->lang || strcmp(o->lang, "c-layout") != 0))
		return usage_error("%s", "--against-header needs --lang c-layout");
	return 0;
}

/* Shell-quote an argument when needed, for the regeneration command. */
static void shell_arg(Buf *b, const char *s)
{
	const char *p;
	bool plain = *s != '\0';
	for (p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-./=:+,@%", *p))
			plain = false;
	buf_putc(b, ' ');
	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '\'');
}

static char *regen_command(const Options *o)
{
	Buf b = {0};
	size_t k;
	if (o->regen_hint)
		return xstrdup(o->regen_hint);
	buf_puts(&b, "xenbindgen");
	shell_arg(&b, "-i");
	shell_arg(&b, o->indir);
	shell_arg(&b, "-o");
	shell_arg(&b, o->outdir);
	shell_arg(&b, "-l");
	shell_arg(&b, o->lang);
	if (o->keep_dashes)
		shell_arg(&b, "--keep-dashes");
	if (strcmp(o->lang, "rust") == 0 && strcmp(o->crate, "xen-sys") != 0) {
		shell_arg(&b, "--crate-name");
		shell_arg(&b, o->crate);
	}
	for (k = 0; k < o->nagainst; k++) {
		shell_arg(&b, "--against-header");
		shell_arg(&b, o->against[k]);
	}
	return buf_detach(&b, NULL);
}

/* Load, check and lay out the specs, and apply the ABI rules unless only
 * the layouts are wanted (the layout command shows holes, it does not
 * reject them). */
static int analyse(Spec *s, Diag *d, bool rules, bool list_waived,
		   bool quiet_note)
{
	size_t waived = 0;
	const char *perturb = getenv("XENBINDGEN_PERTURB");
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
	if (perturb && *perturb)
		layout_perturb(s, perturb);
	if (st)
		return st;
	return diag_error_count(d) ? EXIT_SPEC : 0;
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
		st = EXIT_USAGE;
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
				st = EXIT_SPEC;
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
	} else {
		out.owns = owns_rust;
		emit_rust(s, &eo, &out, d);
	}
	if (diag_error_count(d)) {
		diag_print(d, stderr, color);
		st = outset_failed(&out) ? EXIT_IO : EXIT_SPEC;
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

/* `xenbindgen compare` (docs/compare.md): its own small command line, to
 * move into the common option parser. */
static const char compare_usage[] =
	"usage: xenbindgen compare [OPTIONS] ORIGINAL_DIR GENERATED_DIR [HEADER...]";

static int compare_error(const char *fmt, const char *arg)
{
	fputs("xenbindgen: error: compare: ", stderr);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", compare_usage);
	return EXIT_USAGE;
}

static int cmd_compare(int argc, char **argv)
{
	CompareOptions co;
	const char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
	size_t npos = 0;
	bool only_pos = false;
	int i, st = 0;
	memset(&co, 0, sizeof co);
	for (i = 1; i < argc && !st; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char *end;
		size_t len;
		int k;
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			printf("%s\n"
"Is each header of GENERATED_DIR a drop-in replacement for the header at\n"
"the same path in ORIGINAL_DIR (every one, or the HEADERs named)?  Prints\n"
"\"drop-in\" or each difference, per header (docs/compare.md).\n"
"\n"
"  --target T        x86_32, x86_64, arm32, arm64 (default: these four),\n"
"                    riscv64, ppc64le; repeatable\n"
"  --config C        tools, hypervisor, guest, default, asm, c89, c99, c++\n"
"                    (default: all); repeatable\n"
"  --xen-scripts DIR also run Xen's compat pipeline on both trees: DIR\n"
"                    holds compat-build-source.py, compat-build-header.py,\n"
"                    get-fields.sh, xlat.lst and xen/include/Makefile\n"
"  --cpp CMD         the pipeline's preprocessor (default: cc -E)\n"
"  -j, --jobs N      parallel parses (default: one per CPU)\n"
"  -v, --verbose     say which configurations a header skips, and time\n"
"  -h, --help        show this help\n"
"\n"
"Exit status: 0 all drop-in, 1 differences, 2 usage, 3 I/O.\n",
			       compare_usage);
			free(pos);
			return 0;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			co.stats = true;
			continue;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if (a[1] == 'j' && a[2]) { /* -jN */
			eq = a + 1;
			len = 2;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[i + 1];
#define IS(opt) (len == strlen(opt) && strncmp(a, opt, len) == 0)
		if (!IS("--target") && !IS("--config") && !IS("--jobs") && !IS("-j") &&
		    !IS("--xen-scripts") && !IS("--cpp")) {
			st = compare_error("unknown option '%s'", a);
			break;
		}
		if (!val) {
			st = compare_error("option '%s' needs a value", a);
			break;
		}
		if (!eq)
			i++;
		if (IS("--target")) {
			k = target_from_name(val);
			if (k < 0)
				st = compare_error("unknown target '%s' (expected x86_32, "
						 "x86_64, arm32, arm64, riscv64 or ppc64le)", val);
			else
				co.targets |= 1u << k;
		} else if (IS("--xen-scripts")) {
			co.xen_scripts = val;
		} else if (IS("--cpp")) {
			co.cpp = val;
		} else if (IS("--config")) {
			k = config_from_name(val);
			if (k < 0)
				st = compare_error("unknown configuration '%s' (expected "
						 "tools, hypervisor, guest, default, asm, c89, "
						 "c99 or c++)", val);
			else
				co.configs |= 1u << k;
		} else {
			long n;
			errno = 0;
			n = strtol(val, &end, 10);
			if (errno || *end || end == val || n < 1 || n > 256)
				st = compare_error("--jobs takes a number from 1 to 256, "
						 "not '%s'", val);
			else
				co.jobs = (unsigned)n;
		}
#undef IS
	}
	if (!st && npos < 2)
		st = compare_error("%s", "needs ORIGINAL_DIR and GENERATED_DIR");
	if (st) {
		free(pos);
		return st;
	}
	co.original = pos[0];
	co.generated = pos[1];
	co.headers = pos + 2;
	co.nheaders = npos - 2;
	st = import_compare(&co);
	free(pos);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "xenbindgen: error: cannot write to standard "
			"output: %s\n", strerror(errno));
		if (!st)
			st = EXIT_IO;
	}
	return st;
}

int main(int argc, char **argv)
{
	Options o;
	Diag *d;
	Spec *s;
	bool color;
	int st;

	/* The document tools have their own command lines. */
	if (argc > 1 && strcmp(argv[1], "convert") == 0)
		return cmd_convert(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "fmt") == 0)
		return cmd_fmt(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "compare") == 0)
		return cmd_compare(argc - 1, argv + 1);

	memset(&o, 0, sizeof o);
	st = parse_args(&o, argc, argv);
	if (st) {
		free(o.names);
		free(o.against);
		return st < 0 ? 0 : st;
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
	} else if (o.cmd == CMD_LAYOUT) {
		diag_print(d, stderr, color);
		st = report_layout(stdout, s, d, o.names, o.nnames,
				   o.any_target ? o.target : NULL,
				   strcmp(o.format, "json") == 0);
		diag_print(d, stderr, color);
	} else {
		st = generate(&o, s, d, color);
	}
	spec_free(s);
	diag_free(d);
	free(o.names);
	free(o.against);
	/* Reports go to stdout through unchecked printf()s; check the stream
	 * once, so that a full disk (> /dev/full) is not a success. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "xenbindgen: error: cannot write to standard "
			"output: %s\n", strerror(errno));
		if (!st)
			st = EXIT_IO;
	}
	return st;
}
