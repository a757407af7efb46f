/*
 * expr.c - the expression language: integer expressions in C's syntax,
 * parsed into trees that keep what was written.
 *
 *   literals      12  0x1F  017  1U  2UL  3LL  4ULL  'a'  '\n'  '\x41'
 *   names         constants, enumerators and bit macros; a macro's
 *                 parameters in its body
 *   calls         macros of the specs, and xen_mk_uint/_ulong/_ullong
 *   sizeof        sizeof(type), in C's or the spec's spelling
 *   casts         (unsigned long)x, (uint32_t)x, (u64)x, (xen_ulong_t)x
 *   operators     unary + - ~ !, then * / %, + -, << >>, < <= > >=,
 *                 == !=, &, ^, |, &&, ||, ?: with C's precedence, and ()
 *
 * An array length, a constant's value and a macro's body are all written
 * in it.  The parser is a hand-written recursive descent over a tokenised
 * string of bounded length; recursion is bounded by MAX_EXPR_DEPTH
 * nestings (parentheses, unary operators, casts, ?: and calls).  Names are
 * resolved by resolve.c; eval.c types and evaluates a tree per target.
 *
 * A tree remembers the characters each node spans, so that C can be
 * written as it was written (with normalised spacing: expr_write_c) and a
 * macro's arguments substituted as C substitutes them, as text (eval.c).
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

enum { TK_END, TK_NUM, TK_CHAR, TK_IDENT, TK_PUNCT };

typedef struct Tok {
	int kind;
	int op;       /* TK_PUNCT: the punctuator (P_* below) */
	size_t pos, len;
} Tok;

/* Punctuators that are not operators of ExprOp. */
enum { P_LPAREN = NOPS, P_RPAREN, P_COMMA, P_QUEST, P_COLON, NPUNCT };

static const char *const op_text[NOPS] = {
	[OP_PLUS] = "+", [OP_MINUS] = "-", [OP_NOT] = "~", [OP_LNOT] = "!",
	[OP_MUL] = "*", [OP_DIV] = "/", [OP_MOD] = "%", [OP_ADD] = "+",
	[OP_SUB] = "-", [OP_SHL] = "<<", [OP_SHR] = ">>", [OP_LT] = "<",
	[OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=", [OP_EQ] = "==",
	[OP_NE] = "!=", [OP_AND] = "&", [OP_XOR] = "^", [OP_OR] = "|",
	[OP_LAND] = "&&", [OP_LOR] = "||",
};

const char *expr_op_text(ExprOp op)
{
	return op < NOPS ? op_text[op] : "?";
}

typedef struct Parser {
	Spec *spec;
	Arena *a;
	const char *s;
	Tok *toks;
	size_t ntoks, i;
	int depth;
	const char *err;  /* the first problem */
	size_t err_pos;
	const char *const *params;
	size_t nparams;
} Parser;

/* Is name an alias?  Only known once the names are (check.c): a cast to
 * one followed by + or - reads as an operand in parentheses before, and
 * resolve.c reads the expression again. */
static bool is_alias(const Parser *P, const char *name)
{
	Symbol *sym = name ? hmap_gets(&P->spec->symbols, name) : NULL;
	const Item *it = sym ? symbol_any(sym) : NULL;
	return it && it->kind == IT_ALIAS;
}

/* ---- Tokens ---------------------------------------------------------------- */

static bool ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static bool fail(Parser *P, size_t pos, const char *what)
{
	if (!P->err) {
		P->err = what;
		P->err_pos = pos;
	}
	return false;
}

/* Two-character punctuators first, so that "<<" is not "<" "<". */
static int punct(const char *p, size_t *len)
{
	static const struct {
		const char *s;
		int op;
	} ps[] = {
		{"<<", OP_SHL}, {">>", OP_SHR}, {"<=", OP_LE}, {">=", OP_GE},
		{"==", OP_EQ}, {"!=", OP_NE}, {"&&", OP_LAND}, {"||", OP_LOR},
		{"(", P_LPAREN}, {")", P_RPAREN}, {",", P_COMMA}, {"?", P_QUEST},
		{":", P_COLON}, {"+", OP_ADD}, {"-", OP_SUB}, {"~", OP_NOT},
		{"!", OP_LNOT}, {"*", OP_MUL}, {"/", OP_DIV}, {"%", OP_MOD},
		{"<", OP_LT}, {">", OP_GT}, {"&", OP_AND}, {"^", OP_XOR},
		{"|", OP_OR},
	};
	size_t k;
	for (k = 0; k < ARRAY_LEN(ps); k++) {
		size_t n = strlen(ps[k].s);
		if (strncmp(p, ps[k].s, n) == 0) {
			*len = n;
			return ps[k].op;
		}
	}
	return -1;
}

static bool tokenize(Parser *P)
{
	const char *s = P->s;
	size_t i = 0, n = strlen(s), cap = 0;
	P->ntoks = 0;
	P->toks = NULL;
	for (;;) {
		Tok t;
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			i++;
		memset(&t, 0, sizeof t);
		t.pos = i;
		if (i >= n) {
			t.kind = TK_END;
		} else if (s[i] >= '0' && s[i] <= '9') {
			t.kind = TK_NUM;
			while (ident_char(s[i + t.len], false) || s[i + t.len] == '.')
				t.len++;
		} else if (ident_char(s[i], true)) {
			t.kind = TK_IDENT;
			while (ident_char(s[i + t.len], false))
				t.len++;
		} else if (s[i] == '\'') {
			t.kind = TK_CHAR;
			t.len = 1;
			while (s[i + t.len] && s[i + t.len] != '\'') {
				if (s[i + t.len] == '\\' && s[i + t.len + 1])
					t.len++;
				t.len++;
			}
			if (s[i + t.len] != '\'')
				return fail(P, i, "unterminated character literal");
			t.len++;
		} else {
			t.kind = TK_PUNCT;
			t.op = punct(s + i, &t.len);
			if (t.op < 0)
				return fail(P, i, "unexpected character");
		}
		P->toks = xgrow(P->toks, &cap, P->ntoks + 1, sizeof *P->toks);
		P->toks[P->ntoks++] = t;
		if (t.kind == TK_END)
			return true;
		i += t.len;
	}
}

/* ---- Literals ------------------------------------------------------------- */

/* An integer literal: its value, base and suffix (LIT_U, LIT_L, LIT_LL). */
static bool number(Parser *P, const Tok *t, Expr *e)
{
	const char *p = P->s + t->pos, *end = p + t->len;
	unsigned base = 10;
	uint64_t v = 0;
	bool any = false;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	e->decimal = base == 10;
	for (; p < end; p++) {
		unsigned d;
		char c = *p;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (d >= base)
			return fail(P, t->pos, "invalid digit in an octal number");
		if (v > (UINT64_MAX - d) / base)
			return fail(P, t->pos, "number too large for 64 bits");
		v = v * base + d;
		any = true;
	}
	if (!any && base == 16)
		return fail(P, t->pos, "bad number");
	/* the suffix: u or U, and l, L, ll or LL, in either order */
	{
		size_t rest = (size_t)(end - p);
		char buf[4] = {0};
		size_t k;
		static const struct {
			const char *s;
			unsigned f;
		} sufs[] = {
			{"", 0}, {"u", LIT_U}, {"l", LIT_L}, {"ul", LIT_U | LIT_L},
			{"lu", LIT_U | LIT_L}, {"ll", LIT_LL}, {"ull", LIT_U | LIT_LL},
			{"llu", LIT_U | LIT_LL},
		};
		if (rest > 3)
			return fail(P, t->pos, "bad number");
		for (k = 0; k < rest; k++)
			buf[k] = (char)(p[k] == 'U' ? 'u' : p[k] == 'L' ? 'l' : p[k]);
		/* lL and Ll are no suffix of C's */
		for (k = 0; k + 1 < rest; k++)
			if ((p[k] == 'l' && p[k + 1] == 'L') ||
			    (p[k] == 'L' && p[k + 1] == 'l'))
				return fail(P, t->pos, "bad number");
		for (k = 0; k < ARRAY_LEN(sufs); k++)
			if (strcmp(buf, sufs[k].s) == 0)
				break;
		if (k == ARRAY_LEN(sufs))
			return fail(P, t->pos, "bad number");
		e->suffix = sufs[k].f;
	}
	if (e->decimal && !(e->suffix & LIT_U) && v > INT64_MAX)
		return fail(P, t->pos, "decimal number too large for a signed "
			    "type (add a U suffix)");
	e->num = v;
	return true;
}

static bool char_lit(Parser *P, const Tok *t, Expr *e)
{
	const char *p = P->s + t->pos + 1, *end = P->s + t->pos + t->len - 1;
	unsigned v;
	if (p == end)
		return fail(P, t->pos, "empty character literal");
	if (*p != '\\') {
		v = (unsigned char)*p++;
	} else {
		static const char esc[] = "n\nt\tr\r0\0a\ab\bf\fv\v\\\\''\"\"??";
		size_t k;
		p++;
		if (*p >= '0' && *p <= '7') {
			int n = 0;
			v = 0;
			while (n < 3 && p < end && *p >= '0' && *p <= '7') {
				v = v * 8 + (unsigned)(*p++ - '0');
				n++;
			}
		} else if (*p == 'x') {
			int n = 0;
			v = 0;
			p++;
			while (p < end && n < 2 &&
			       ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
				(*p >= 'A' && *p <= 'F'))) {
				v = v * 16 + (unsigned)(*p <= '9' ? *p - '0'
						 : (*p | 0x20) - 'a' + 10);
				p++;
				n++;
			}
			if (!n)
				return fail(P, t->pos, "bad character literal");
		} else {
			for (k = 0; esc[k]; k += 2)
				if (esc[k] == *p)
					break;
			if (!esc[k])
				return fail(P, t->pos, "bad character literal");
			v = (unsigned char)esc[k + 1];
			p++;
		}
		if (v > 0xff)
			return fail(P, t->pos, "bad character literal");
	}
	if (p != end)
		return fail(P, t->pos, "a character literal holds one character");
	e->num = v;
	return true;
}

/* ---- Type names -------------------------------------------------------------
 * In a cast or sizeof: C's words ("unsigned long", "long long int",
 * "unsigned"), a <stdint.h> name, the spec's name of a primitive, a named
 * type (an alias, or a struct's typedef), or struct/union NAME in sizeof. */

static const char *const c_words[] = {
	"unsigned", "signed", "char", "short", "int", "long",
};

static bool is_c_word(const char *s, size_t n)
{
	size_t k;
	for (k = 0; k < ARRAY_LEN(c_words); k++)
		if (strlen(c_words[k]) == n && memcmp(c_words[k], s, n) == 0)
			return true;
	return false;
}

/* C's spelling of a cast to a primitive written in the spec's words. */
static const char *prim_c_text(Prim p)
{
	static const char *const names[NPRIMS] = {
		[P_U8] = "uint8_t", [P_U16] = "uint16_t", [P_U32] = "uint32_t",
		[P_U64] = "uint64_t", [P_I8] = "int8_t", [P_I16] = "int16_t",
		[P_I32] = "int32_t", [P_I64] = "int64_t", [P_CHAR] = "char",
		[P_INT] = "int", [P_UINT] = "unsigned int", [P_LONG] = "long",
		[P_ULONG] = "unsigned long", [P_U64_PLAIN] = "uint64_t",
		[P_I64_PLAIN] = "int64_t", [P_UCHAR] = "unsigned char",
		[P_SCHAR] = "signed char", [P_SHORT] = "short",
		[P_USHORT] = "unsigned short", [P_LLONG] = "long long",
		[P_ULLONG] = "unsigned long long", [P_VOID] = "void",
	};
	return p < NPRIMS ? names[p] : "?";
}

/* The primitive a C or spec spelling names, if it is one. */
static bool prim_of(const char *text, Prim *p)
{
	const char *spec;
	if (strcmp(text, "uint64_t") == 0 || strcmp(text, "int64_t") == 0)
		return prim_from_name(text, p);
	if (strcmp(text, "uint64_aligned_t") == 0) {
		*p = P_U64;
		return true;
	}
	if (strcmp(text, "int64_aligned_t") == 0) {
		*p = P_I64;
		return true;
	}
	if (strcmp(text, "void") == 0)
		return false;
	if (prim_from_name(text, p))
		return true;
	spec = prim_for_c_spelling(text);
	if (!spec && strcmp(text, "unsigned") == 0)
		spec = "uint";
	if (!spec && strcmp(text, "signed") == 0)
		spec = "int";
	return spec && prim_from_name(spec, p);
}

/* Tokens from P->i that spell a type, up to the closing parenthesis:
 * the Type (names resolved later) and its C text; false if they do not
 * (P->i unchanged).  sized: in sizeof, where struct NAME is allowed. */
static bool type_name(Parser *P, bool sized, Type **out, const char **text)
{
	size_t i = P->i, n = 0;
	Buf b = {0};
	Type *t;
	Prim p;
	const Tok *tk = &P->toks[i];
	if (tk->kind != TK_IDENT)
		return false;
	if (is_c_word(P->s + tk->pos, tk->len)) {
		while (P->toks[i].kind == TK_IDENT &&
		       is_c_word(P->s + P->toks[i].pos, P->toks[i].len)) {
			if (n++)
				buf_putc(&b, ' ');
			buf_put(&b, P->s + P->toks[i].pos, P->toks[i].len);
			i++;
		}
		if (P->toks[i].kind != TK_PUNCT || P->toks[i].op != P_RPAREN ||
		    !prim_of(buf_cstr(&b), &p)) {
			buf_free(&b);
			return false;
		}
		t = arena_alloc(P->a, sizeof *t);
		t->kind = TY_PRIM;
		t->prim = p;
		*text = arena_strdup(P->a, buf_cstr(&b));
		buf_free(&b);
		*out = t;
		P->i = i;
		return true;
	}
	if (sized && (tk->len == 6 || tk->len == 5) &&
	    (memcmp(P->s + tk->pos, "struct", tk->len) == 0 ||
	     memcmp(P->s + tk->pos, "union", tk->len) == 0) &&
	    P->toks[i + 1].kind == TK_IDENT && P->toks[i + 2].kind == TK_PUNCT &&
	    P->toks[i + 2].op == P_RPAREN) {
		bool is_struct = tk->len == 6;
		t = arena_alloc(P->a, sizeof *t);
		t->kind = TY_NAMED;
		t->want = is_struct ? IT_STRUCT : IT_UNION;
		t->name = arena_strndup(P->a, P->s + P->toks[i + 1].pos,
					P->toks[i + 1].len);
		*text = arena_printf(P->a, "%s %s", is_struct ? "struct" : "union",
				     t->name);
		*out = t;
		P->i = i + 2;
		return true;
	}
	if (P->toks[i + 1].kind != TK_PUNCT || P->toks[i + 1].op != P_RPAREN)
		return false;
	{
		char *name = arena_strndup(P->a, P->s + tk->pos, tk->len);
		t = arena_alloc(P->a, sizeof *t);
		if (prim_of(name, &p)) {
			Prim q;
			t->kind = TY_PRIM;
			t->prim = p;
			/* the spec's own words (u64, ulong) in C's: uint64_t,
			 * unsigned long; C's spellings stay as written */
			*text = prim_from_name(name, &q) && !strchr(name, '_') &&
					strcmp(name, "char") != 0 &&
					strcmp(name, "int") != 0 &&
					strcmp(name, "long") != 0 &&
					strcmp(name, "short") != 0
				? prim_c_text(p) : name;
		} else {
			t->kind = TY_NAMED;
			t->want = IT_ANY;
			t->name = name;
			*text = name;
		}
	}
	*out = t;
	P->i = i + 1;
	return true;
}

/* ---- The grammar -------------------------------------------------------------- */

static Expr *parse_cond(Parser *P);
static Expr *parse_unary(Parser *P);

static const Tok *peek(Parser *P)
{
	return &P->toks[P->i];
}

static bool is_punct(const Tok *t, int op)
{
	return t->kind == TK_PUNCT && t->op == op;
}

static Expr *new_expr(Parser *P, ExprKind k, size_t pos)
{
	Expr *e = arena_alloc(P->a, sizeof *e);
	e->kind = k;
	e->pos = pos;
	e->src = P->s;
	e->param = -1;
	e->spec = P->spec;
	return e;
}

/* The end of the last token consumed. */
static size_t prev_end(Parser *P)
{
	const Tok *t = &P->toks[P->i - 1];
	return t->pos + t->len;
}

static bool enter(Parser *P, bool paren)
{
	if (++P->depth > MAX_EXPR_DEPTH)
		return fail(P, peek(P)->pos, paren ? "parentheses nested too deep"
						   : "expression nested too deep");
	return true;
}

static bool expect_rparen(Parser *P)
{
	if (!is_punct(peek(P), P_RPAREN))
		return fail(P, peek(P)->pos, "expected ')'");
	P->i++;
	return true;
}

static int param_index(Parser *P, const Tok *t)
{
	size_t k;
	for (k = 0; k < P->nparams; k++)
		if (strlen(P->params[k]) == t->len &&
		    memcmp(P->params[k], P->s + t->pos, t->len) == 0)
			return (int)k;
	return -1;
}

static Expr *parse_sizeof(Parser *P, size_t pos)
{
	Expr *e;
	int k;
	if (!is_punct(peek(P), P_LPAREN)) {
		fail(P, peek(P)->pos, "expected '(' after sizeof");
		return NULL;
	}
	P->i++;
	k = peek(P)->kind == TK_IDENT ? param_index(P, peek(P)) : -1;
	if (k >= 0 && is_punct(&P->toks[P->i + 1], P_RPAREN)) {
		e = new_expr(P, EX_SIZEOF_PARAM, pos);
		e->param = k;
		e->text = P->params[k];
		P->i++;
	} else {
		e = new_expr(P, EX_SIZEOF, pos);
		if (!type_name(P, true, &e->type, &e->text)) {
			fail(P, peek(P)->pos, "expected a type name");
			return NULL;
		}
		e->type->loc = NO_LOC;
	}
	if (!expect_rparen(P))
		return NULL;
	e->end = prev_end(P);
	return e;
}

static Expr *parse_call(Parser *P, Expr *e)
{
	Expr **args = NULL;
	size_t cap = 0, n = 0;
	P->i++; /* ( */
	if (!enter(P, false))
		return NULL;
	if (!is_punct(peek(P), P_RPAREN)) {
		for (;;) {
			Expr *a = parse_cond(P);
			if (!a) {
				free(args);
				return NULL;
			}
			args = xgrow(args, &cap, n + 1, sizeof *args);
			args[n++] = a;
			if (!is_punct(peek(P), P_COMMA))
				break;
			P->i++;
		}
	}
	if (n) {
		e->args = arena_calloc(P->a, n, sizeof *e->args);
		memcpy(e->args, args, n * sizeof *args);
		e->nargs = n;
	}
	free(args);
	if (!expect_rparen(P))
		return NULL;
	P->depth--;
	e->end = prev_end(P);
	if (strncmp(e->text, "xen_mk_", 7) == 0) {
		e->builtin = strcmp(e->text + 7, "uint") == 0 ? MK_UINT
			   : strcmp(e->text + 7, "ulong") == 0 ? MK_ULONG
			   : strcmp(e->text + 7, "ullong") == 0 ? MK_ULLONG : MK_NONE;
		if (e->builtin && e->nargs != 1) {
			fail(P, e->pos, "xen_mk_* takes one argument");
			return NULL;
		}
	}
	return e;
}

static Expr *parse_primary(Parser *P)
{
	const Tok *t = peek(P);
	Expr *e;
	switch (t->kind) {
	case TK_NUM:
		e = new_expr(P, EX_NUM, t->pos);
		if (!number(P, t, e))
			return NULL;
		break;
	case TK_CHAR:
		e = new_expr(P, EX_CHAR, t->pos);
		if (!char_lit(P, t, e))
			return NULL;
		break;
	case TK_IDENT:
		if (t->len == 6 && memcmp(P->s + t->pos, "sizeof", 6) == 0) {
			P->i++;
			return parse_sizeof(P, t->pos);
		}
		if (is_c_word(P->s + t->pos, t->len)) {
			fail(P, t->pos, "a type name must be in a cast or sizeof");
			return NULL;
		}
		e = new_expr(P, EX_NAME, t->pos);
		e->text = arena_strndup(P->a, P->s + t->pos, t->len);
		e->param = param_index(P, t);
		if (e->param >= 0)
			e->kind = EX_PARAM;
		P->i++;
		e->end = prev_end(P);
		if (is_punct(peek(P), P_LPAREN)) {
			if (e->kind == EX_PARAM) {
				fail(P, t->pos, "a parameter cannot be called");
				return NULL;
			}
			e->kind = EX_CALL;
			e->params = P->params;
			e->nparams = P->nparams;
			return parse_call(P, e);
		}
		return e;
	case TK_PUNCT:
		if (t->op == P_LPAREN) {
			if (!enter(P, true))
				return NULL;
			P->i++;
			e = new_expr(P, EX_PAREN, t->pos);
			e->l = parse_cond(P);
			if (!e->l || !expect_rparen(P))
				return NULL;
			P->depth--;
			e->end = prev_end(P);
			return e;
		}
		fail(P, t->pos, "expected a number, a name, sizeof or '('");
		return NULL;
	default:
		fail(P, t->pos, "expected a number, a name, sizeof or '('");
		return NULL;
	}
	P->i++;
	e->text = arena_strndup(P->a, P->s + t->pos, t->len);
	e->end = prev_end(P);
	return e;
}

/* Can this token start an operand of a cast?  A named type in
 * parentheses followed by + or - reads as an operand in parentheses
 * ("(A) - 1"); resolve.c says so if it is a type. */
static bool starts_operand(const Tok *t, bool prim)
{
	if (t->kind == TK_NUM || t->kind == TK_CHAR || t->kind == TK_IDENT)
		return true;
	if (t->kind != TK_PUNCT)
		return false;
	return t->op == P_LPAREN || t->op == OP_NOT || t->op == OP_LNOT ||
	       (prim && (t->op == OP_ADD || t->op == OP_SUB));
}

static Expr *parse_unary(Parser *P)
{
	const Tok *t = peek(P);
	Expr *e;
	if (t->kind == TK_PUNCT && (t->op == OP_ADD || t->op == OP_SUB ||
				    t->op == OP_NOT || t->op == OP_LNOT)) {
		if (!enter(P, false))
			return NULL;
		e = new_expr(P, EX_UNARY, t->pos);
		e->op = t->op == OP_ADD ? OP_PLUS : t->op == OP_SUB ? OP_MINUS : t->op;
		P->i++;
		e->l = parse_unary(P);
		if (!e->l)
			return NULL;
		P->depth--;
		e->end = e->l->end;
		return e;
	}
	if (is_punct(t, P_LPAREN)) {
		/* a cast? */
		size_t save = P->i;
		Type *ty;
		const char *text;
		P->i++;
		if (type_name(P, false, &ty, &text) &&
		    is_punct(peek(P), P_RPAREN) &&
		    starts_operand(&P->toks[P->i + 1], ty->kind == TY_PRIM ||
				   is_alias(P, ty->name))) {
			if (!enter(P, false))
				return NULL;
			P->i++; /* ) */
			e = new_expr(P, EX_CAST, t->pos);
			e->type = ty;
			e->text = text;
			e->l = parse_unary(P);
			if (!e->l)
				return NULL;
			P->depth--;
			e->end = e->l->end;
			return e;
		}
		P->i = save;
	}
	return parse_primary(P);
}

/* Binary operators by precedence, loosest first. */
static int prec(const Tok *t)
{
	if (t->kind != TK_PUNCT)
		return -1;
	switch (t->op) {
	case OP_LOR: return 0;
	case OP_LAND: return 1;
	case OP_OR: return 2;
	case OP_XOR: return 3;
	case OP_AND: return 4;
	case OP_EQ: case OP_NE: return 5;
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: return 6;
	case OP_SHL: case OP_SHR: return 7;
	case OP_ADD: case OP_SUB: return 8;
	case OP_MUL: case OP_DIV: case OP_MOD: return 9;
	default: return -1;
	}
}

/* Precedence climbing: operands bind to the tightest operator; each
 * level's operators associate to the left. */
static Expr *parse_binary(Parser *P, int min)
{
	Expr *l = parse_unary(P);
	if (!l)
		return NULL;
	for (;;) {
		const Tok *t = peek(P);
		int p = prec(t);
		Expr *e;
		if (p < min)
			return l;
		e = new_expr(P, EX_BINARY, l->pos);
		e->op = t->op;
		e->l = l;
		P->i++;
		if (!enter(P, false))
			return NULL;
		e->r = parse_binary(P, p + 1);
		P->depth--;
		if (!e->r)
			return NULL;
		e->end = e->r->end;
		l = e;
	}
}

static Expr *parse_cond(Parser *P)
{
	Expr *c = parse_binary(P, 0), *e;
	if (!c || !is_punct(peek(P), P_QUEST))
		return c;
	if (!enter(P, false))
		return NULL;
	P->i++;
	e = new_expr(P, EX_COND, c->pos);
	e->c = c;
	e->l = parse_cond(P);
	if (!e->l)
		return NULL;
	if (!is_punct(peek(P), P_COLON)) {
		fail(P, peek(P)->pos, "expected ':'");
		return NULL;
	}
	P->i++;
	e->r = parse_cond(P);
	if (!e->r)
		return NULL;
	P->depth--;
	e->end = e->r->end;
	return e;
}

Expr *expr_parse_text(Spec *s, const char *text, const char *const *params,
		      size_t nparams, const char **err, size_t *err_pos)
{
	Parser P;
	Expr *e = NULL;
	memset(&P, 0, sizeof P);
	P.spec = s;
	P.a = &s->arena;
	P.s = text;
	P.params = params;
	P.nparams = nparams;
	if (tokenize(&P)) {
		e = parse_cond(&P);
		if (e && peek(&P)->kind != TK_END)
			fail(&P, peek(&P)->pos, "unexpected text");
	}
	free(P.toks);
	*err = P.err;
	*err_pos = P.err_pos;
	return P.err ? NULL : e;
}

Expr *expr_parse(Dec *D, const char *text, Loc loc, const char *what,
		 const char *const *params, size_t nparams)
{
	const char *err;
	size_t pos;
	Expr *e;
	/* the tree keeps its source (for C, and for substitution): in the
	 * spec's arena, not the document's, which goes after decoding */
	text = arena_strdup(&D->s->arena, text);
	e = expr_parse_text(D->s, text, params, nparams, &err, &pos);
	if (!e) {
		diag_error(D->d, loc, "invalid %s \"%s\": %s at character %d",
			   what, get_printable(D, text, strlen(text)), err,
			   (int)pos + 1);
		return NULL;
	}
	expr_set_loc(e, loc);
	return e;
}

/* Every node's location: where its string is written. */
void expr_set_loc(Expr *e, Loc loc)
{
	size_t i;
	while (e) {
		e->loc = loc;
		if (e->type)
			e->type->loc = e->type->name_loc = loc;
		for (i = 0; i < e->nargs; i++)
			expr_set_loc(e->args[i], loc);
		if (e->c)
			expr_set_loc(e->c, loc);
		if (e->r)
			expr_set_loc(e->r, loc);
		e = e->l;
	}
}

/* ---- Writing C -------------------------------------------------------------- */

void expr_write_c(Buf *b, const Expr *e)
{
	size_t i, at;
	switch (e->kind) {
	case EX_NUM:
	case EX_CHAR:
	case EX_NAME:
	case EX_PARAM:
		buf_puts(b, e->text);
		return;
	case EX_SIZEOF:
		/* the spec's names of records, enums and bitmaps in C's
		 * words: sizeof(struct foo), sizeof(uint32_t) */
		if (e->type->kind == TY_NAMED && e->type->sym &&
		    !e->type->via_typedef) {
			const Item *it = symbol_any(e->type->sym);
			if (it && (it->kind == IT_STRUCT || it->kind == IT_UNION)) {
				buf_printf(b, "sizeof(%s %s)",
					   item_kind_name(it->kind), it->name);
				return;
			}
			if (it && (it->kind == IT_ENUM || it->kind == IT_BITMAP)) {
				buf_printf(b, "sizeof(%s)", prim_c_text(it->backing));
				return;
			}
		}
		buf_printf(b, "sizeof(%s)", e->text);
		return;
	case EX_SIZEOF_PARAM:
		buf_printf(b, "sizeof(%s)", e->text);
		return;
	case EX_CAST:
		buf_printf(b, "(%s)", e->text);
		expr_write_c(b, e->l);
		return;
	case EX_UNARY:
		buf_puts(b, op_text[e->op]);
		at = b->len;
		expr_write_c(b, e->l);
		/* "- -x", not "--x"; "+ +x" */
		if (b->len > at && (e->op == OP_MINUS || e->op == OP_PLUS) &&
		    b->data[at] == op_text[e->op][0]) {
			buf_putc(b, ' ');
			memmove(b->data + at + 1, b->data + at, b->len - at - 1);
			b->data[at] = ' ';
		}
		return;
	case EX_BINARY:
		expr_write_c(b, e->l);
		buf_printf(b, " %s ", op_text[e->op]);
		expr_write_c(b, e->r);
		return;
	case EX_COND:
		expr_write_c(b, e->c);
		buf_puts(b, " ? ");
		expr_write_c(b, e->l);
		buf_puts(b, " : ");
		expr_write_c(b, e->r);
		return;
	case EX_CALL:
		buf_printf(b, "%s(", e->text);
		for (i = 0; i < e->nargs; i++) {
			if (i)
				buf_puts(b, ", ");
			expr_write_c(b, e->args[i]);
		}
		buf_putc(b, ')');
		return;
	case EX_PAREN:
		buf_putc(b, '(');
		expr_write_c(b, e->l);
		buf_putc(b, ')');
		return;
	}
}

bool expr_is_primary(const Expr *e)
{
	return e->kind == EX_NUM || e->kind == EX_CHAR || e->kind == EX_NAME ||
	       e->kind == EX_PARAM || e->kind == EX_CALL || e->kind == EX_PAREN;
}

void expr_write_c_macro(Buf *b, const Expr *e)
{
	bool wrap = !expr_is_primary(e);
	if (wrap)
		buf_putc(b, '(');
	expr_write_c(b, e);
	if (wrap)
		buf_putc(b, ')');
}

/* ---- Substitution ------------------------------------------------------------
 * C replaces each identifier of a macro's body that names a parameter by
 * the argument's tokens; the text in between stays.  The argument goes in
 * with a space on each side, so that no token can join its neighbours. */
void expr_substitute(Buf *out, const char *body, const char *const *params,
		     size_t nparams, const char *const *args, size_t nargs)
{
	const char *p = body;
	while (*p) {
		if (*p == '\'') {
			/* a character literal: copied whole */
			const char *q = p + 1;
			while (*q && *q != '\'')
				q += q[0] == '\\' && q[1] ? 2 : 1;
			if (*q)
				q++;
			buf_put(out, p, (size_t)(q - p));
			p = q;
		} else if (ident_char(*p, true) ||
			   (*p >= '0' && *p <= '9')) {
			const char *q = p;
			size_t k;
			bool num = *p >= '0' && *p <= '9';
			while (ident_char(*q, false))
				q++;
			for (k = 0; !num && k < nparams && k < nargs; k++)
				if (strlen(params[k]) == (size_t)(q - p) &&
				    memcmp(params[k], p, (size_t)(q - p)) == 0)
					break;
			if (!num && k < nparams && k < nargs) {
				buf_putc(out, ' ');
				buf_puts(out, args[k]);
				buf_putc(out, ' ');
			} else {
				buf_put(out, p, (size_t)(q - p));
			}
			p = q;
		} else {
			buf_putc(out, *p++);
		}
	}
}
