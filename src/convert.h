/*
 * convert.h - the spec tools that work on documents rather than the model:
 * `xenbindgen convert` (TOML, YAML and JSON, one to another) and
 * `xenbindgen fmt` (canonical formatting).
 *
 * Each takes the arguments after its sub-command name (argv[0] is the
 * sub-command) and returns the exit status (0, 1 not formatted / spec
 * errors, 2 usage, 3 I/O).
 */
#ifndef XBG_CONVERT_H
#define XBG_CONVERT_H

int cmd_convert(int argc, char **argv);
int cmd_fmt(int argc, char **argv);

#endif
