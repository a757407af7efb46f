/*
 * expr.c - array length expressions: numbers, constants, sizeof(type),
 * + - * / and parentheses ("sizeof(xen_ulong_t) * 8").
 *
 * A hand-written recursive descent over a short string (at most
 * MAX_EXPR_LEN bytes, checked by the caller); the only recursion is
 * through parentheses, at most MAX_EXPR_DEPTH deep.  Names are resolved
 * and the value computed per target later (check.c, layout.c).
 */
#include "model/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct ExprParser {
	Dec *D;
	const char *s, *p;
	Loc loc;
	int depth;
	bool failed;
} ExprParser;

static Expr *expr_sum(ExprParser *P);

static void expr_skip(ExprParser *P)
{
	while (*P->p == ' ' || *P->p == '\t')
		P->p++;
}

static Expr *expr_fail(ExprParser *P, const char *what)
{
	if (!P->failed)
		diag_error(P->D->d, P->loc, "invalid array length \"%s\": %s at "
			   "character %d", get_printable(P->D, P->s, strlen(P->s)),
			   what, (int)(P->p - P->s) + 1);
	P->failed = true;
	return NULL;
}

static Expr *expr_new(ExprParser *P, int kind)
{
	Expr *e = arena_alloc(&P->D->s->arena, sizeof *e);
	e->kind = kind;
	e->loc = P->loc;
	return e;
}

static bool ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static Expr *expr_atom(ExprParser *P)
{
	Expr *e;
	expr_skip(P);
	if (*P->p == '(') {
		/* the only recursion: at most MAX_EXPR_DEPTH parentheses */
		if (++P->depth > MAX_EXPR_DEPTH)
			return expr_fail(P, "parentheses nested too deep");
		P->p++;
		e = expr_sum(P);
		expr_skip(P);
		if (!e || *P->p != ')')
			return expr_fail(P, "expected ')'");
		P->p++;
		P->depth--;
		return e;
	}
	if (*P->p >= '0' && *P->p <= '9') {
		char *end;
		e = expr_new(P, EX_NUM);
		errno = 0;
		e->num = strtoull(P->p, &end, 0);
		if (errno || end == P->p)
			return expr_fail(P, "bad number");
		while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
			end++;
		P->p = end;
		return e;
	}
	if (ident_char(*P->p, true)) {
		const char *start = P->p;
		while (ident_char(*P->p, false))
			P->p++;
		if ((size_t)(P->p - start) == 6 && strncmp(start, "sizeof", 6) == 0) {
			const char *tstart;
			DocNode fake;
			expr_skip(P);
			if (*P->p != '(')
				return expr_fail(P, "expected '(' after sizeof");
			P->p++;
			expr_skip(P);
			tstart = P->p;
			while (ident_char(*P->p, P->p == tstart))
				P->p++;
			if (P->p == tstart)
				return expr_fail(P, "expected a type name");
			memset(&fake, 0, sizeof fake);
			fake.kind = DOC_STRING;
			fake.loc = P->loc;
			fake.u.str.s = arena_strndup(&P->D->s->arena, tstart,
						     (size_t)(P->p - tstart));
			fake.u.str.len = (size_t)(P->p - tstart);
			e = expr_new(P, EX_SIZEOF);
			e->type = get_type_name(P->D, &fake);
			expr_skip(P);
			if (!e->type || *P->p != ')')
				return expr_fail(P, "expected ')'");
			P->p++;
		} else {
			e = expr_new(P, EX_CONST);
			e->name = arena_strndup(&P->D->s->arena, start,
						(size_t)(P->p - start));
		}
		return e;
	}
	return expr_fail(P, "expected a number, a constant or sizeof");
}

static Expr *expr_binary(ExprParser *P, const char *ops, Expr *(*next)(ExprParser *))
{
	Expr *l = next(P);
	while (l) {
		Expr *e;
		expr_skip(P);
		if (!*P->p || !strchr(ops, *P->p))
			return l;
		e = expr_new(P, EX_BIN);
		e->op = *P->p++;
		e->l = l;
		e->r = next(P);
		if (!e->r)
			return NULL;
		l = e;
	}
	return NULL;
}

static Expr *expr_product(ExprParser *P)
{
	return expr_binary(P, "*/", expr_atom);
}

static Expr *expr_sum(ExprParser *P)
{
	return expr_binary(P, "+-", expr_product);
}

Expr *expr_parse(Dec *D, const char *text, Loc loc)
{
	ExprParser P;
	Expr *e;
	memset(&P, 0, sizeof P);
	P.D = D;
	P.s = P.p = text;
	P.loc = loc;
	e = expr_sum(&P);
	expr_skip(&P);
	if (e && *P.p)
		expr_fail(&P, "unexpected text");
	return P.failed ? NULL : e;
}
