#!/bin/sh
# Run xenbindgen ($XBG_REAL) under valgrind memcheck, for make
# check-valgrind: the test runner calls this script as the tool.  Any
# memory error or definitely/indirectly lost block makes the exit status
# 99, which the runner reports as a crash; --quiet keeps stderr as the tool
# wrote it, so the end-to-end cases still compare it exactly.
# valgrind.supp says why each suppression is there.
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
	--suppressions="$(dirname "$0")/valgrind.supp" \
	--errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect \
	"${XBG_REAL:?XBG_REAL: the xenbindgen binary}" "$@"
