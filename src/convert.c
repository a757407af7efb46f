/* placeholder: the convert and fmt sub-commands */
#include "convert.h"

#include <stdio.h>

int cmd_convert(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("xenbindgen: error: convert is not implemented yet\n", stderr);
	return 2;
}

int cmd_fmt(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("xenbindgen: error: fmt is not implemented yet\n", stderr);
	return 2;
}
