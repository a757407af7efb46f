/*
 * abi_summary.c - `-l abi-summary`: the ABI facts (abi_facts.c) as one
 * text file, abi-summary.txt, meant to be committed next to the specs so
 * that any change of the ABI shows up in review as a diff of that file.
 *
 * One fact per line, each line complete on its own (target, kind, name),
 * sorted by target then name: a change on one target is a change of the
 * lines of that target only, and a diff hunk needs no context to be read.
 * Nothing depends on the order of files or directories, the locale or the
 * command line (the banner shows the regeneration command, which by
 * default does not name the paths).
 */
#include "emit/emit.h"

#include <string.h>

#define SUMMARY_FILE "abi-summary.txt"

bool owns_abi_summary(const char *relpath)
{
	return strcmp(relpath, SUMMARY_FILE) == 0;
}

static void entry_lines(Buf *b, const char *tname, const AbiEntry *e)
{
	size_t i;
	buf_printf(b, "%s %s %s: ", tname, abi_kind_names[e->kind], e->name);
	switch (e->kind) {
	case AK_TYPE:
		buf_printf(b, "%s size %llu align %llu", e->what,
			   (unsigned long long)e->size, (unsigned long long)e->align);
		if (e->type)
			buf_printf(b, " %s", e->type);
		break;
	case AK_HANDLE:
		buf_printf(b, "width %llu", (unsigned long long)e->size);
		break;
	case AK_MACRO:
		buf_printf(b, "%s %s", e->params, e->body);
		break;
	case AK_CONSTANT:
	case AK_ENUMERATOR:
		abi_value_string(b, e);
		if (*e->type)
			buf_printf(b, " %s", e->type);
		if (strcmp(e->what, "const") != 0)
			buf_printf(b, " (%s)", e->what);
		break;
	case NABIKINDS:
		break;
	}
	if (*e->cond)
		buf_printf(b, " if %s", e->cond);
	buf_putc(b, '\n');
	for (i = 0; i < e->nmembers; i++) {
		buf_printf(b, "%s %s %s member %s: ", tname, abi_kind_names[e->kind],
			   e->name, e->members[i].name);
		abi_member_string(b, &e->members[i]);
		buf_putc(b, '\n');
	}
}

void emit_abi_summary(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	AbiFacts f;
	Buf b = {0};
	size_t i;
	int t;
	(void)d;
	abi_facts_build(&f, s);
	buf_puts(&b, "# ABI summary of the specs: per target, every type's size, "
		 "alignment and\n# members (offset, size, bit field, type), every "
		 "guest handle's width and\n# every constant's and enumerator's "
		 "value, with the build or interface\n# version it needs.  A change "
		 "of this file is a change of the ABI:\n# `xenbindgen diff` "
		 "classifies it (docs/abi-evolution.md).\n#\n# This file is "
		 OUTPUT_MARKER ": do not edit.  Regenerate with:\n#   ");
	buf_puts(&b, o->regen_cmd);
	buf_putc(&b, '\n');
	for (t = 0; t < NTARGETS; t++) {
		buf_putc(&b, '\n');
		if (!f.covered[t]) {
			buf_printf(&b, "%s: not laid out (no arch-%s directory)\n",
				   targets[t].name, arch_name(targets[t].arch));
			continue;
		}
		for (i = 0; i < f.n[t]; i++)
			entry_lines(&b, targets[t].name, &f.entries[t][i]);
	}
	abi_facts_free(&f);
	outset_add(out, SUMMARY_FILE, &b);
}
