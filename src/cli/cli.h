/*
 * cli.h - the command line: the option parser every command uses
 * (options.c), the commands (main.c: generation, validate and layout;
 * doctools.c: convert and fmt; compare.c: compare; import.c: import;
 * diff.c: diff) and what they print for people and tools (report.c).
 *
 * Sectioned by the file that defines each declaration.  cli/ may use every
 * other stage.
 */
#ifndef XBG_CLI_H
#define XBG_CLI_H

#include <stdio.h>

#include "model/model.h"

/* ---- options.c ----------------------------------------------------------
 * Every command, the main one (generation) and each sub-command, describes
 * its options in a table of OptDef and its command line in a CmdDef, and
 * cli_parse() reads argv against them:
 *
 *   --name VALUE, --name=VALUE    a long option with a value
 *   -x VALUE, -xVALUE             a short one
 *   --flag, -f                    an option without a value
 *   --                            the rest are operands, even "-x"
 *   -                             an operand (standard input's usual name)
 *
 * Options and operands may come in any order.  Hand-written because
 * getopt_long() is not POSIX.  A usage error is printed as
 *
 *   xenbindgen: error: <what>
 *   usage: <the command's usage line>
 *
 * and gives STATUS_USAGE. */

/* Ids that cli_parse() answers itself: print the command's help or the
 * version to standard output, and stop with CLI_DONE.  A command's own ids
 * are >= 0. */
enum { OPT_HELP = -1, OPT_VERSION = -2 };

typedef struct OptDef {
	char shortname;       /* 0: only the long form */
	const char *longname;
	bool has_arg;
	int id;
} OptDef;

typedef struct CmdDef {
	const char *name;  /* "validate"; NULL for the main command */
	const char *usage; /* the line after a usage error, "usage: " included */
	const char *help;  /* what --help prints */
	const OptDef *opts;
	size_t nopts;
	bool operands;     /* takes operands; if not, one is a usage error */
	/* The main command, for validate and layout: they read -i DIR like
	 * generation, and whoever moves a command line from one to the other
	 * is told that "option '-o' is for generation only" rather than that
	 * it is unknown. */
	const struct CmdDef *generation;
} CmdDef;

/* cli_parse() stopped after printing the help or the version: the command
 * has nothing more to do, and exits with STATUS_OK. */
enum { CLI_DONE = -1 };

/* Called for each option, in command-line order, with its id and value
 * (NULL for an option without one).  Returns STATUS_OK, or STATUS_USAGE
 * after reporting through cli_usage(). */
typedef int OptFn(void *ctx, const CmdDef *c, int id, const char *val);

/* The operands, in order (pointers into argv, which outlives them).  The
 * array is allocated by cli_parse() and freed with cli_operands_free(). */
typedef struct Operands {
	char **v;
	size_t n;
} Operands;

/* Read argv[1..argc) (argv[0] is the program or the sub-command's name)
 * against c, calling fn(ctx, ...) for each option.  Returns STATUS_OK to
 * run the command, CLI_DONE (help or version printed), or STATUS_USAGE
 * after printing the error; ops is set in every case. */
int cli_parse(const CmdDef *c, int argc, char **argv, OptFn *fn, void *ctx,
	      Operands *ops);
void cli_operands_free(Operands *ops);

/* Print "xenbindgen: error: " fmt (with arg for its one %s) and c's usage
 * line to standard error; returns STATUS_USAGE. */
int cli_usage(const CmdDef *c, const char *fmt, const char *arg);

/* Whether val is one of the words of a NULL-terminated list. */
bool cli_word_in(const char *val, const char *const *words);
/* --color, which every command takes: STATUS_OK or a usage error. */
int cli_color(const CmdDef *c, const char *val);

/* Reports go to standard output through unchecked printf()s: check the
 * stream once, at the end, so that a full disk (> /dev/full) is not a
 * success.  Returns st, or STATUS_IO after saying why if st was OK. */
int cli_flush_stdout(int st);

/* ---- doctools.c ---------------------------------------------------------
 * The sub-commands on spec documents, run by main() with the arguments
 * that follow their name (argv[0] is the name).  Return the exit status. */
int cli_convert(int argc, char **argv);
int cli_fmt(int argc, char **argv);

/* ---- compare.c ----------------------------------------------------------
 * `xenbindgen compare`, run by main() with the arguments that follow its
 * name; returns the exit status. */
int cli_compare(int argc, char **argv);

/* ---- import.c -----------------------------------------------------------
 * `xenbindgen import`, run by main() with the arguments that follow its
 * name; returns the exit status. */
int cli_import(int argc, char **argv);
/* ---- diff.c -------------------------------------------------------------
 * `xenbindgen diff`, run by main() with the arguments that follow its
 * name; returns the exit status. */
int cli_diff(int argc, char **argv);

/* ---- report.c ----------------------------------------------------------- */
/* "3 outputs from 6 spec files: ..." and the targets checked. */
void report_summary(FILE *out, const Spec *s);
/* validate --undocumented: every item, field, variant and bit without a
 * description, as "file:line:col: field 'x' of struct 'y'". */
void report_undocumented(FILE *out, const Spec *s);
/* validate --differ: per 32/64-bit pair of targets of one architecture,
 * every type whose layout differs, the op structs of versioned families
 * marked. */
void report_differ(FILE *out, const Spec *s);

/* The layout command.  names selects types (all when nnames is 0); sel
 * selects targets (all when NULL).  Returns STATUS_OK, or STATUS_SPEC after
 * reporting an unknown name through d. */
int report_layout(FILE *out, Spec *s, Diag *d, const char *const *names,
		  size_t nnames, const bool *sel, bool json);

#endif
