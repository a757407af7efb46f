/*
 * cnames.c - C spellings shared by the header and layout-assertion
 * backends, so that both always agree: member macros, mask macros, typedef
 * names, #if conditions and comment text.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

/* ---- Primitives ----------------------------------------------------------- */
const char *const c_prim[NPRIMS] = {
	[P_U8] = "uint8_t",     [P_U16] = "uint16_t",
	[P_U32] = "uint32_t",   [P_U64] = "uint64_aligned_t",
	[P_I8] = "int8_t",      [P_I16] = "int16_t",
	[P_I32] = "int32_t",    [P_I64] = "int64_aligned_t",
	[P_CHAR] = "char",      [P_INT] = "int",
	[P_UINT] = "unsigned int", [P_LONG] = "long",
	[P_ULONG] = "unsigned long", [P_U64_PLAIN] = "uint64_t",
	[P_I64_PLAIN] = "int64_t", [P_UCHAR] = "unsigned char",
	[P_SCHAR] = "signed char", [P_SHORT] = "short",
	[P_USHORT] = "unsigned short", [P_LLONG] = "long long",
	[P_ULLONG] = "unsigned long long", [P_VOID] = "void",
};

/* Guest handle names for primitive pointees.  Xen's public xen.h defines
 * those marked; a header that needs another one defines it itself, behind
 * a guard so that several headers can need the same one. */
const CHandle c_handle[NPRIMS] = {
	[P_U8] = {"uint8", "uint8_t", true},
	[P_U16] = {"uint16", "uint16_t", true},
	[P_U32] = {"uint32", "uint32_t", true},
	[P_U64] = {"uint64", "uint64_t", true},
	[P_I8] = {"int8", "int8_t", false},
	[P_I16] = {"int16", "int16_t", false},
	[P_I32] = {"int32", "int32_t", false},
	[P_I64] = {"int64", "int64_t", false},
	[P_CHAR] = {"char", "char", true},
	[P_INT] = {"int", "int", true},
	[P_UINT] = {"uint", "unsigned int", true},
	/* xen.h defines these only for interface versions before 4.3 */
	[P_LONG] = {"long", "long", false},
	[P_ULONG] = {"ulong", "unsigned long", false},
	[P_U64_PLAIN] = {"uint64_t", "uint64_t", true},
	[P_I64_PLAIN] = {"int64", "int64_t", false},
	[P_UCHAR] = {"uchar", "unsigned char", true},
	[P_SCHAR] = {"schar", "signed char", false},
	[P_SHORT] = {"short", "short", false},
	[P_USHORT] = {"ushort", "unsigned short", false},
	[P_LLONG] = {"llong", "long long", false},
	[P_ULLONG] = {"ullong", "unsigned long long", false},
	[P_VOID] = {"void", "void", true},
};

Prim c_handle_name(Buf *b, const Type *t)
{
	Prim p = t->prim;
	if (t->kind == TY_NAMED) {
		const Item *it = symbol_any(t->sym);
		Buf n = {0};
		if (it->kind == IT_STRUCT || it->kind == IT_UNION) {
			buf_puts(b, c_typedef_name(&n, it, true));
			buf_free(&n);
			return NPRIMS;
		}
		if (it->kind == IT_ALIAS) {
			buf_puts(b, it->name);
			return NPRIMS;
		}
		p = it->backing;
	}
	buf_puts(b, c_handle[p].name);
	return p;
}

/* ---- Comments ------------------------------------------------------------
 * Text inside a C comment must not end it ("*\/"), open a nested one (gcc
 * warns about "/\*"), or form a trigraph that C89 would act on ("??/" is a
 * backslash, hence a line splice).  Everything else, including "#define" on
 * a line of its own or a backslash at the end of a line, is inert inside a
 * block comment whose lines start with " * ". */
static bool comment_special(unsigned char c)
{
	return c == '*' || c == '/' || c == '?' || (c < 0x20 && c != '\t') ||
	       c == 0x7f;
}

void c_comment_text(Buf *b, const char *s)
{
	/* The check is on what is written, not on the input: escaping only
	 * the slash-star pairs of the input turned slash-star-slash into
	 * slash, backslash, star, slash, whose star-slash ended the comment
	 * and let the rest of a description ("int EVIL; //") through as
	 * code.  prev starts as what the caller wrote last, so the text
	 * cannot pair with it either. */
	char prev = '\0';
	if (b->len)
		prev = b->data[b->len - 1];
	while (*s) {
		/* copy the plain run up to the next character that needs a
		 * look, in one go */
		const char *run = s;
		char c;
		while (*s && !comment_special((unsigned char)*s))
			s++;
		if (s > run) {
			buf_put(b, run, (size_t)(s - run));
			prev = s[-1];
		}
		if (!*s)
			break;
		c = *s++;
		if (((unsigned char)c < 0x20 && c != '\t') || c == 0x7f)
			/* descriptions come here as clean lines, but the
			 * banner's file names may hold any byte: a newline
			 * would spread one over several lines */
			c = '?';
		/* keep apart what would end a comment ("*" "/"), open one
		 * ("/" "*") or start a trigraph ("?" "?") */
		if ((prev == '*' && c == '/') || (prev == '/' && c == '*') ||
		    (prev == '?' && c == '?'))
			buf_putc(b, '\\');
		buf_putc(b, c);
		prev = c;
	}
}

/* Enum and bitmap members: the model names them (names.c), since
 * expressions use them too. */
void c_member_macro(Buf *b, const Item *it, const char *member)
{
	names_member_macro(b, it, member);
}

bool c_all_macro(Buf *b, const Item *it)
{
	return names_all_macro(b, it);
}

const char *c_typedef_name(Buf *b, const Item *it, bool pointed)
{
	if (it->c.typedef_name)
		buf_puts(b, it->c.typedef_name);
	else if (pointed || it->c.handle)
		buf_printf(b, "%s_t", it->name);
	else
		return NULL;
	return buf_cstr(b);
}

/* The #if expression of a condition, or false if it always holds. */
bool c_cond(Buf *b, const Cond *c, int unit_arch)
{
	int t, a, parts = 0;
	size_t i;
	unsigned mask = c->targets, seen = 0;
	if (c->hypervisor) {
		buf_puts(b, "defined(__XEN__)");
		parts++;
	} else if (c->tools) {
		buf_puts(b, "(defined(__XEN__) || defined(__XEN_TOOLS__))");
		parts++;
	}
	if (c->not_tools) {
		buf_puts(b, parts++ ? " && !defined(__XEN__) && !defined(__XEN_TOOLS__)"
				    : "!defined(__XEN__) && !defined(__XEN_TOOLS__)");
	} else if (c->not_hypervisor) {
		buf_puts(b, parts++ ? " && !defined(__XEN__)" : "!defined(__XEN__)");
	}
	if (mask) {
		/* whole architectures read better than lists of targets */
		int n = 0;
		unsigned fam_mask[NARCH] = {0};
		for (t = 0; t < NTARGETS; t++)
			fam_mask[targets[t].arch] |= 1u << t;
		buf_puts(b, parts++ ? " && (" : "(");
		for (a = 0; a < NARCH; a++) {
			if (a == unit_arch && (mask & fam_mask[a]) == fam_mask[a]) {
				seen |= fam_mask[a];
				continue;
			}
			if ((mask & fam_mask[a]) != fam_mask[a] || !(mask & fam_mask[a]))
				continue;
			for (t = 0; t < NTARGETS; t++)
				if (fam_mask[a] >> t & 1u)
					buf_printf(b, "%s%s", n++ ? " || " : "",
						   targets[t].cond);
			seen |= fam_mask[a];
		}
		for (t = 0; t < NTARGETS; t++)
			if ((mask >> t & 1u) && !(seen >> t & 1u))
				buf_printf(b, "%s%s", n++ ? " || " : "", targets[t].cond);
		if (!n)
			buf_puts(b, "1");
		buf_putc(b, ')');
	}
	if (c->since)
		buf_printf(b, "%s__XEN_INTERFACE_VERSION__ >= 0x%08x",
			   parts++ ? " && " : "", (unsigned)c->since);
	if (c->until)
		buf_printf(b, "%s__XEN_INTERFACE_VERSION__ < 0x%08x",
			   parts++ ? " && " : "", (unsigned)c->until);
	if (c->assembly != COND_ASM_ANY)
		buf_printf(b, "%s%sdefined(__ASSEMBLY__)", parts++ ? " && " : "",
			   c->assembly == COND_ASM_NOT ? "!" : "");
	for (i = 0; i < c->ndefined; i++)
		buf_printf(b, "%sdefined(%s)", parts++ ? " && " : "",
			   c->defined[i]);
	for (i = 0; i < c->nnot_defined; i++)
		buf_printf(b, "%s!defined(%s)", parts++ ? " && " : "",
			   c->not_defined[i]);
	if (c->c_if)
		buf_printf(b, parts++ ? " && (%s)" : "%s", c->c_if);
	return parts > 0 || mask;
}

/* "#if EXPR", broken with backslash-newline after an operator when the
 * line would pass 80 columns. */
void c_if_line(Buf *b, const char *directive, const char *expr)
{
	size_t col = strlen(directive) + 1;
	const char *p = expr;
	bool space = false; /* a blank is due before the next piece */
	buf_printf(b, "%s ", directive);
	while (*p) {
		/* the next piece: up to and including the next " && " or
		 * " || " (or the rest) */
		const char *q = p, *end = NULL;
		size_t n;
		for (; *q; q++)
			if ((q[0] == ' ' && ((q[1] == '&' && q[2] == '&') ||
					     (q[1] == '|' && q[2] == '|')) &&
			     q[3] == ' ')) {
				end = q + 3;
				break;
			}
		n = end ? (size_t)(end - p) : strlen(p);
		if (col > 4 && col + space + n + (end ? 2 : 0) > 80) {
			buf_puts(b, " \\\n    ");
			col = 4;
			space = false;
		}
		if (space) {
			buf_putc(b, ' ');
			col++;
		}
		buf_put(b, p, n);
		col += n;
		p += n;
		space = false;
		if (end) {
			p++; /* the blank after the operator */
			space = *p != '\0';
		}
	}
	buf_putc(b, '\n');
}

/* ---- Descriptions as comments ---------------------------------------------
 * A description is written as it is: its paragraphs (separated by blank
 * lines, which are kept), its markup, its line breaks.  A paragraph with a
 * line too long for 80 columns is re-flowed, by words; a line that starts
 * with a list marker starts a paragraph of its own (continued under its
 * text); an indented line is kept as it is.  A word longer than a line is
 * kept whole. */

/* The lines of a comment being made. */
typedef struct Wrap {
	char **v;
	size_t n, cap;
} Wrap;

static void wrap_push(void *ctx, const char *s, size_t len)
{
	Wrap *w = ctx;
	w->v = xgrow(w->v, &w->cap, w->n + 1, sizeof *w->v);
	w->v[w->n++] = xstrndup(s, len);
}

void c_comment(Buf *b, int indent, const char *desc)
{
	Lines l;
	Wrap w;
	size_t i;
	lines_split(&l, desc);
	memset(&w, 0, sizeof w);
	text_reflow((const char *const *)l.v, l.n,
		    indent + 3 < 80 ? (size_t)(80 - indent - 3) : 1, wrap_push, &w);
	if (w.n == 1 && (size_t)indent + 6 + strlen(w.v[0]) <= 80) {
		buf_indent(b, indent);
		buf_puts(b, "/* ");
		c_comment_text(b, w.v[0]);
		buf_puts(b, " */\n");
	} else if (w.n) {
		buf_indent(b, indent);
		buf_puts(b, "/*\n");
		for (i = 0; i < w.n; i++) {
			buf_indent(b, indent);
			buf_puts(b, w.v[i][0] ? " * " : " *");
			c_comment_text(b, w.v[i]);
			buf_putc(b, '\n');
		}
		buf_indent(b, indent);
		buf_puts(b, " */\n");
	}
	for (i = 0; i < w.n; i++)
		free(w.v[i]);
	free(w.v);
	lines_free(&l);
}

/* Which structs, unions and aliases some pointer targets: those get a
 * guest handle, as in Xen's own headers (the C backend and the ABI facts
 * must agree on which exist). */
bool *c_pointed(const Spec *s)
{
	bool *pointed = xcalloc(s->nitems + 1, sizeof *pointed);
	size_t i, j;
	int a;
	for (i = 0; i < s->nitems; i++) {
		const Item *it = s->items[i];
		for (j = 0; j < it->nfields + (it->kind == IT_ALIAS); j++) {
			const Type *t = it->kind == IT_ALIAS ? it->alias
							     : it->fields[j].type;
			while (t && t->kind == TY_ARRAY)
				t = t->elem;
			if (!t || (t->kind != TY_PTR && t->kind != TY_HANDLE) ||
			    t->elem->kind != TY_NAMED || !t->elem->sym)
				continue;
			if (t->elem->sym->common)
				pointed[t->elem->sym->common->index] = true;
			for (a = 0; a < NARCH; a++)
				if (t->elem->sym->arch[a])
					pointed[t->elem->sym->arch[a]->index] = true;
		}
	}
	return pointed;
}
