/*
 * diff.h - ABI evolution: `xenbindgen diff OLD NEW` compares the ABI of
 * two spec trees, target by target, and classifies every change
 * (docs/abi-evolution.md).
 *
 * A side is a directory or REV:PATH, a directory of a git revision, which
 * side.c copies out of git into a private temporary directory; each side
 * is loaded, checked and laid out by the model and turned into the ABI
 * facts of emit/abi_facts.c, the same facts the abi-summary backend
 * writes.  diff.c compares the facts of the two sides and applies the
 * version-bump rules of the specs ([abi] bump); print.c writes the result
 * for people (grouped, targets that agree on one line) or as JSON.
 *
 * Sectioned by the file that defines each declaration.  diff/ uses base/,
 * read/, model/, out/ and emit/ (for the facts).
 */
#ifndef XBG_DIFF_H
#define XBG_DIFF_H

#include <stdio.h>

#include "base/base.h"
#include "emit/emit.h"
#include "model/model.h"

/* ---- side.c ------------------------------------------------------------- */
typedef struct DiffSide {
	const char *arg; /* as given: "specs/xen", "HEAD~1:specs/xen" */
	const char *dir; /* the spec tree read: arg, or the temporary copy */
	char *tmp;       /* the private temporary directory, or NULL */
	char **made;     /* what side.c created under tmp, in creation order */
	size_t nmade, made_cap;
	Spec *spec;
	AbiFacts facts;
	bool has_facts;
} DiffSide;

/* Find the spec tree of arg: an existing directory, or else REV:PATH, the
 * tree PATH (from the top of the repository, as git reads REV:PATH) of
 * revision REV of the git repository of the working directory, copied
 * into a temporary directory (only its spec files).  Returns STATUS_OK,
 * STATUS_USAGE (no such directory nor revision and tree) or STATUS_IO
 * (git cannot run, a copy fails), reported through d. */
int diff_side_open(DiffSide *side, const char *arg, Diag *d);
/* Load, check and lay out the specs, and make their facts.  Returns
 * STATUS_OK, STATUS_SPEC or STATUS_IO; the diagnostics name a copied
 * file REV:PATH/unit/file.toml. */
int diff_side_load(DiffSide *side, Diag *d);
/* Free the model and remove the temporary copy. */
void diff_side_close(DiffSide *side);

/* ---- diff.c ------------------------------------------------------------- */
typedef enum DiffClass {
	DC_BREAKING, DC_NEEDS_BUMP, DC_COMPATIBLE, NDIFFCLASSES
} DiffClass;
typedef enum DiffChange {
	DCH_ADDED, DCH_REMOVED, DCH_LAYOUT, DCH_VALUE, DCH_TYPE, DCH_CONDITION,
	DCH_PARAMETERS, DCH_BODY, NDIFFCHANGES
} DiffChange;
/* the words of the JSON: "breaking", "needs-bump", "compatible"; "added",
 * "removed", "layout", "value", "type", "condition", "parameters", "body"
 * (the last two: function-like macros) */
extern const char *const diff_class_names[NDIFFCLASSES];
extern const char *const diff_change_names[NDIFFCHANGES];

typedef struct DiffEntry {
	int target;
	AbiKind kind;
	const char *item;
	DiffChange change;
	DiffClass cls;
	const char *detail;
	const char *root; /* the top-level type (bump rules match it) */
	size_t seq; /* order of discovery: member order within an item */
} DiffEntry;

typedef struct DiffResult {
	Arena arena;
	DiffEntry *v; /* by target, then item, kind and discovery */
	size_t n, cap;
	bool compared[NTARGETS];
} DiffResult;

/* Compare the facts of two loaded sides, target by target (those both
 * sides were laid out for; a target laid out on one side only is a note
 * through d), and classify each change, applying the [abi] bump rules of
 * both sides.  Linear in the size of the facts. */
void diff_compute(DiffResult *r, const DiffSide *old, const DiffSide *new_,
		  Diag *d);
void diff_result_free(DiffResult *r);
/* Breaking changes and missing bumps: what makes the exit status 1. */
size_t diff_failures(const DiffResult *r);

/* ---- print.c ------------------------------------------------------------ */
/* For people: by class, then item; a change the same on several targets
 * is one line naming them; a count at the end. */
void diff_print_text(FILE *out, const DiffResult *r, const char *old_name,
		     const char *new_name);
/* {"changes": [{"target", "item", "kind", "change", "class", "detail"}]} */
void diff_print_json(FILE *out, const DiffResult *r);

#endif
