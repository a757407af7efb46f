/*
 * eval.c - typing and evaluating expressions per target, as C does.
 *
 * Every value has one of C's integer types, and every operation follows
 * C's rules on the target: literals take the first type of their list
 * that holds them (by base and suffix), operands are promoted and brought
 * to a common type by the usual arithmetic conversions, long is 32 bits
 * on the 32-bit targets, char is signed on x86 only, sizeof gives size_t.
 * What C leaves undefined is an error here: signed overflow, division by
 * zero, shifting by a negative count or by the width of the type or more,
 * shifting a negative value left.  Conversions to a signed type wrap, as
 * every compiler Xen supports does.
 *
 * A macro call is expanded as C expands it: the arguments' text replaces
 * the parameters in the body's text, which is then parsed (once per call,
 * cached in the call's node) and evaluated.  So a macro that uses a
 * parameter without parentheses means here what it means in C.
 *
 * A constant's value on a target is computed once (ConstVal) and on
 * demand: order.c puts a constant after the types it measures, so the
 * layouts it needs exist by then.  Work is bounded: expansions nest at
 * most MAX_EXPR_DEPTH deep, and one evaluation visits at most MAX_EVAL_STEPS
 * nodes (a macro that calls another twice, which calls another twice, ...).
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_EVAL_STEPS = 200000, MAX_EXPANSION_LEN = 65536 };

/* ---- C's integer types ---------------------------------------------------- */

static const char *const ctype_names[NCTYPES] = {
	[CT_CHAR] = "char", [CT_SCHAR] = "signed char",
	[CT_UCHAR] = "unsigned char", [CT_SHORT] = "short",
	[CT_USHORT] = "unsigned short", [CT_INT] = "int",
	[CT_UINT] = "unsigned int", [CT_LONG] = "long",
	[CT_ULONG] = "unsigned long", [CT_LLONG] = "long long",
	[CT_ULLONG] = "unsigned long long",
};

const char *ctype_name(CType t)
{
	return t < NCTYPES ? ctype_names[t] : "?";
}

unsigned ctype_bits(CType t, int target)
{
	switch (t) {
	case CT_CHAR: case CT_SCHAR: case CT_UCHAR: return 8;
	case CT_SHORT: case CT_USHORT: return 16;
	case CT_INT: case CT_UINT: return 32;
	case CT_LONG: case CT_ULONG: return targets[target].long_size * 8;
	case CT_LLONG: case CT_ULLONG: case NCTYPES: break;
	}
	return 64;
}

/* char is signed in x86's ABIs, unsigned in Arm's, PowerPC's and
 * RISC-V's. */
bool ctype_signed(CType t, int target)
{
	switch (t) {
	case CT_CHAR: return targets[target].arch == ARCH_X86;
	case CT_SCHAR: case CT_SHORT: case CT_INT: case CT_LONG: case CT_LLONG:
		return true;
	default: return false;
	}
}

static int rank(CType t)
{
	switch (t) {
	case CT_CHAR: case CT_SCHAR: case CT_UCHAR: return 1;
	case CT_SHORT: case CT_USHORT: return 2;
	case CT_INT: case CT_UINT: return 3;
	case CT_LONG: case CT_ULONG: return 4;
	default: return 5;
	}
}

static CType to_unsigned(CType t)
{
	switch (t) {
	case CT_INT: return CT_UINT;
	case CT_LONG: return CT_ULONG;
	case CT_LLONG: return CT_ULLONG;
	default: return t;
	}
}

bool ctype_of_prim(Prim p, int target, CType *out)
{
	bool lp64 = targets[target].long_size == 8;
	switch (p) {
	case P_U8: case P_UCHAR: *out = CT_UCHAR; return true;
	case P_I8: case P_SCHAR: *out = CT_SCHAR; return true;
	case P_CHAR: *out = CT_CHAR; return true;
	case P_U16: case P_USHORT: *out = CT_USHORT; return true;
	case P_I16: case P_SHORT: *out = CT_SHORT; return true;
	case P_U32: case P_UINT: *out = CT_UINT; return true;
	case P_I32: case P_INT: *out = CT_INT; return true;
	case P_LONG: *out = CT_LONG; return true;
	case P_ULONG: *out = CT_ULONG; return true;
	/* <stdint.h> on Linux: uint64_t is unsigned long where long has 64
	 * bits, unsigned long long elsewhere */
	case P_U64: case P_U64_PLAIN: *out = lp64 ? CT_ULONG : CT_ULLONG; return true;
	case P_I64: case P_I64_PLAIN: *out = lp64 ? CT_LONG : CT_LLONG; return true;
	case P_LLONG: *out = CT_LLONG; return true;
	case P_ULLONG: *out = CT_ULLONG; return true;
	case P_VOID: case NPRIMS: break;
	}
	return false;
}

/* v as a value of type t: truncated to its width, then sign- or
 * zero-extended. */
static uint64_t norm(uint64_t v, CType t, int target)
{
	unsigned b = ctype_bits(t, target);
	if (b < 64) {
		uint64_t m = ((uint64_t)1 << b) - 1;
		v &= m;
		if (ctype_signed(t, target) && (v >> (b - 1)) & 1)
			v |= ~m;
	}
	return v;
}

/* Does the mathematical value (v, negative) fit type t? */
static bool fits(uint64_t v, bool neg, CType t, int target)
{
	unsigned b = ctype_bits(t, target);
	if (ctype_signed(t, target)) {
		uint64_t max = ((uint64_t)1 << (b - 1)) - 1;
		return neg ? (uint64_t)(-(v + 0)) <= max + 1 : v <= max;
	}
	return !neg && (b == 64 || v <= (((uint64_t)1 << b) - 1));
}

bool value_negative(Value v, int target)
{
	return ctype_signed(v.type, target) && (int64_t)v.v < 0;
}

/* The type of an integer literal: the first of its list that holds it. */
bool literal_type(uint64_t v, bool decimal, unsigned suffix, int target,
		  CType *out)
{
	static const CType dec[][4] = {
		{CT_INT, CT_LONG, CT_LLONG, NCTYPES},    /* none */
		{CT_UINT, CT_ULONG, CT_ULLONG, NCTYPES}, /* U */
		{CT_LONG, CT_LLONG, NCTYPES, NCTYPES},   /* L */
		{CT_ULONG, CT_ULLONG, NCTYPES, NCTYPES}, /* UL */
		{CT_LLONG, NCTYPES, NCTYPES, NCTYPES},   /* LL */
		{CT_ULLONG, NCTYPES, NCTYPES, NCTYPES},  /* ULL */
	};
	static const CType other[][6] = {
		{CT_INT, CT_UINT, CT_LONG, CT_ULONG, CT_LLONG, CT_ULLONG},
		{CT_UINT, CT_ULONG, CT_ULLONG, NCTYPES, NCTYPES, NCTYPES},
		{CT_LONG, CT_ULONG, CT_LLONG, CT_ULLONG, NCTYPES, NCTYPES},
		{CT_ULONG, CT_ULLONG, NCTYPES, NCTYPES, NCTYPES, NCTYPES},
		{CT_LLONG, CT_ULLONG, NCTYPES, NCTYPES, NCTYPES, NCTYPES},
		{CT_ULLONG, NCTYPES, NCTYPES, NCTYPES, NCTYPES, NCTYPES},
	};
	int row = (suffix & LIT_LL ? 4 : suffix & LIT_L ? 2 : 0) +
		  (suffix & LIT_U ? 1 : 0);
	int k;
	for (k = 0; k < 6; k++) {
		CType t = decimal ? (k < 4 ? dec[row][k] : NCTYPES) : other[row][k];
		if (t == NCTYPES)
			break;
		if (fits(v, false, t, target)) {
			*out = t;
			return true;
		}
	}
	return false;
}

/* ---- Evaluation --------------------------------------------------------- */

typedef struct Eval {
	Spec *s;
	int target;
	bool types_only;     /* types, not values: a macro's body for Rust */
	CType param_type;    /* types_only: the parameters' type */
	const char *why;     /* EV_ERROR, EV_ABSENT: what, for the message */
	size_t steps;
	int depth;
	const Item *calling[MAX_EXPR_DEPTH + 1]; /* the macros being expanded */
} Eval;

static int ev(Eval *E, const Expr *e, Value *out);

/* The type of e without its value (an operand C does not evaluate). */
static int type_of(Eval *E, const Expr *e, CType *out)
{
	bool saved = E->types_only;
	Value v = {0, CT_INT};
	int st;
	E->types_only = true;
	st = ev(E, e, &v);
	E->types_only = saved;
	*out = v.type;
	return st;
}

static int error(Eval *E, const char *fmt, ...)
{
	va_list ap;
	Buf b = {0};
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	E->why = arena_strdup(&E->s->arena, buf_cstr(&b));
	buf_free(&b);
	return EV_ERROR;
}

/* The text of e, for messages: as C writes it, cut to 60 characters. */
static const char *shown(Eval *E, const Expr *e)
{
	Buf b = {0};
	const char *r;
	expr_write_c(&b, e);
	if (b.len > 60) {
		b.len = 57;
		buf_puts(&b, "...");
	}
	r = arena_strdup(&E->s->arena, buf_cstr(&b));
	buf_free(&b);
	return r;
}

static CType promote(CType t)
{
	return rank(t) < rank(CT_INT) ? CT_INT : t;
}

/* The usual arithmetic conversions of two promoted types. */
static CType common(CType a, CType b, int target)
{
	CType u, s;
	if (a == b)
		return a;
	if (ctype_signed(a, target) == ctype_signed(b, target))
		return rank(a) >= rank(b) ? a : b;
	u = ctype_signed(a, target) ? b : a;
	s = ctype_signed(a, target) ? a : b;
	if (rank(u) >= rank(s))
		return u;
	if (ctype_bits(s, target) > ctype_bits(u, target))
		return s;
	return to_unsigned(s);
}

static Value conv(Value v, CType t, int target)
{
	Value r;
	r.type = t;
	r.v = norm(v.v, t, target);
	return r;
}

static int absent(Eval *E, const char *name)
{
	E->why = name;
	return EV_ABSENT;
}

/* The integer type behind a type name in a cast. */
static bool cast_type(Eval *E, const Type *t, CType *out)
{
	int arch = targets[E->target].arch, guard;
	for (guard = 0; t && guard < 64; guard++) {
		const Item *it;
		if (t->kind == TY_PRIM)
			return ctype_of_prim(t->prim, E->target, out);
		if (t->kind != TY_NAMED || !t->sym)
			return false;
		it = symbol_item_on(t->sym, E->target);
		if (!it || it->kind != IT_ALIAS)
			return false;
		t = it->alias ? it->alias : it->arch_alias[arch];
	}
	return false;
}

/* xen_mk_ulong(x) pastes UL to x after expanding it: x must come to one
 * number without a suffix. */
static int mk_literal(Eval *E, const Expr *call, Value *out)
{
	const Expr *a = call->args[0];
	int guard;
	unsigned suffix;
	for (guard = 0; guard < 64 && a->kind == EX_NAME && a->sym; guard++) {
		const Item *it = symbol_item_on(a->sym, E->target);
		if (!it)
			return absent(E, a->text);
		if (it->kind != IT_CONST || !it->expr)
			break;
		a = it->expr;
	}
	if (a->kind != EX_NUM || a->suffix)
		return error(E, "%s() takes a number without a suffix, or a "
			     "constant that is one, not '%s'", call->text,
			     shown(E, call->args[0]));
	suffix = call->builtin == MK_UINT ? LIT_U
	       : call->builtin == MK_ULONG ? LIT_U | LIT_L : LIT_U | LIT_LL;
	if (!literal_type(a->num, a->decimal, suffix, E->target, &out->type))
		return error(E, "'%s' is too large for %s()", shown(E, a), call->text);
	out->v = a->num;
	return EV_OK;
}

/* The expansion of a call of a spec macro, parsed once. */
Expr *eval_expansion(Spec *s, const Expr *call, const char **why)
{
	const Item *m;
	Buf text = {0};
	const char **args;
	const char *err;
	size_t i, pos;
	Expr *x;
	if (call->expansion)
		return call->expansion;
	m = call->sym ? symbol_any(call->sym) : NULL;
	if (!m || m->kind != IT_MACRO || !m->expr) {
		*why = "not a macro";
		return NULL;
	}
	args = xcalloc(call->nargs + 1, sizeof *args);
	for (i = 0; i < call->nargs; i++)
		args[i] = arena_strndup(&s->arena, call->src + call->args[i]->pos,
					call->args[i]->end - call->args[i]->pos);
	expr_substitute(&text, m->expr->src, m->params, m->nparams, args,
			call->nargs);
	free(args);
	if (text.len > MAX_EXPANSION_LEN) {
		buf_free(&text);
		*why = "its expansion is too long";
		return NULL;
	}
	/* the caller's parameters stay parameters (in a macro that calls
	 * another) */
	x = expr_parse_text(s, arena_strdup(&s->arena, buf_cstr(&text)),
			    call->params, call->nparams, &err, &pos);
	buf_free(&text);
	if (!x) {
		*why = arena_printf(&s->arena, "its expansion does not parse: %s",
				    err);
		return NULL;
	}
	expr_set_loc(x, call->loc);
	expr_bind(s, x);
	((Expr *)call)->expansion = x;
	return x;
}

static int ev_call(Eval *E, const Expr *e, Value *out)
{
	const Item *m;
	const Expr *x;
	const char *why = NULL;
	int st, k;
	if (e->builtin)
		return mk_literal(E, e, out);
	m = e->sym ? symbol_item_on(e->sym, E->target) : NULL;
	if (!m)
		return absent(E, e->text);
	for (k = 0; k < E->depth; k++)
		if (E->calling[k] == m)
			return error(E, "macro '%s' expands to a call of itself",
				     m->name);
	if (E->depth >= MAX_EXPR_DEPTH)
		return error(E, "macro calls nested too deep");
	x = eval_expansion(E->s, e, &why);
	if (!x)
		return error(E, "in '%s': %s", shown(E, e), why);
	E->calling[E->depth++] = m;
	st = ev(E, x, out);
	E->depth--;
	return st;
}

static int ev_name(Eval *E, const Expr *e, Value *out)
{
	int arch = targets[E->target].arch;
	if (e->sym) {
		Item *it = symbol_item_on(e->sym, E->target);
		int st;
		if (!it)
			return absent(E, e->text);
		st = const_value(E->s, it, E->target, out);
		if (st == EV_ABSENT && !E->why)
			E->why = e->text;
		return st;
	}
	if (e->member) {
		const MemberRef *m = e->member->common.it ? &e->member->common
				     : arch >= 0 ? &e->member->arch[arch] : NULL;
		if (!m || !m->it || !item_on_target(m->it, E->target))
			return absent(E, e->text);
		return member_value(E->s, m, E->target, out) ? EV_OK : EV_UNKNOWN;
	}
	return EV_UNKNOWN; /* unresolved: reported */
}

/* Signed arithmetic on 64-bit values, checked: false on overflow. */
static bool add_s(int64_t a, int64_t b, int64_t *r)
{
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
		return false;
	*r = a + b;
	return true;
}

static bool mul_s(int64_t a, int64_t b, int64_t *r)
{
	if (a == 0 || b == 0) {
		*r = 0;
		return true;
	}
	if ((a == -1 && b == INT64_MIN) || (b == -1 && a == INT64_MIN))
		return false;
	if (a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
		  : (b > 0 ? a < INT64_MIN / b : a < INT64_MAX / b))
		return false;
	*r = a * b;
	return true;
}

/* A signed result in the type's range? */
static bool in_range(int64_t v, CType t, int target)
{
	unsigned b = ctype_bits(t, target);
	int64_t max = b == 64 ? INT64_MAX : (int64_t)(((uint64_t)1 << (b - 1)) - 1);
	return v <= max && v >= -max - 1;
}

static int64_t type_min(CType t, int target)
{
	unsigned b = ctype_bits(t, target);
	return b == 64 ? INT64_MIN : -(int64_t)((uint64_t)1 << (b - 1));
}

static int overflow(Eval *E, const Expr *e, CType t)
{
	return error(E, "'%s' overflows %s", shown(E, e), ctype_name(t));
}

static int ev_binary(Eval *E, const Expr *e, Value *out)
{
	Value l = {0, CT_INT}, r = {0, CT_INT};
	CType t;
	int st, target = E->target;
	bool sig;
	/* && and || evaluate their right operand only if needed */
	if (e->op == OP_LAND || e->op == OP_LOR) {
		st = ev(E, e->l, &l);
		if (st != EV_OK)
			return st;
		out->type = CT_INT;
		if (E->types_only) {
			st = ev(E, e->r, &r);
			out->v = 0;
			return st;
		}
		if ((l.v != 0) == (e->op == OP_LOR)) {
			out->v = e->op == OP_LOR;
			return EV_OK;
		}
		st = ev(E, e->r, &r);
		out->v = r.v != 0;
		return st;
	}
	st = ev(E, e->l, &l);
	if (st == EV_OK)
		st = ev(E, e->r, &r);
	if (st != EV_OK)
		return st;
	l = conv(l, promote(l.type), target);
	r = conv(r, promote(r.type), target);
	if (e->op == OP_SHL || e->op == OP_SHR) {
		unsigned bits = ctype_bits(l.type, target);
		int64_t n = (int64_t)r.v;
		out->type = l.type;
		if (E->types_only) {
			out->v = 0;
			return EV_OK;
		}
		if (value_negative(r, target) || (uint64_t)n >= bits)
			return error(E, "the shift count of '%s' is %s%llu, not 0 to "
				     "%u (the width of %s, less 1)", shown(E, e),
				     value_negative(r, target) ? "-" : "",
				     (unsigned long long)(value_negative(r, target)
							  ? (uint64_t)0 - r.v : r.v),
				     bits - 1, ctype_name(l.type));
		if (e->op == OP_SHR) {
			if (value_negative(l, target))
				out->v = ~(~l.v >> n);
			else
				out->v = l.v >> n;
			return EV_OK;
		}
		if (ctype_signed(l.type, target)) {
			int64_t max = (int64_t)(((uint64_t)1 << (bits - 1)) - 1);
			if ((int64_t)l.v < 0)
				return error(E, "'%s' shifts a negative value left",
					     shown(E, e));
			if ((int64_t)l.v > (max >> n))
				return overflow(E, e, l.type);
		}
		out->v = norm(l.v << n, l.type, target);
		return EV_OK;
	}
	t = common(l.type, r.type, target);
	l = conv(l, t, target);
	r = conv(r, t, target);
	sig = ctype_signed(t, target);
	out->type = t;
	switch (e->op) {
	case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE: {
		int c = sig ? ((int64_t)l.v < (int64_t)r.v ? -1 : (int64_t)l.v > (int64_t)r.v)
			    : (l.v < r.v ? -1 : l.v > r.v);
		out->type = CT_INT;
		out->v = e->op == OP_LT ? c < 0 : e->op == OP_LE ? c <= 0
		       : e->op == OP_GT ? c > 0 : e->op == OP_GE ? c >= 0
		       : e->op == OP_EQ ? c == 0 : c != 0;
		return EV_OK;
	}
	case OP_AND: out->v = l.v & r.v; return EV_OK;
	case OP_XOR: out->v = l.v ^ r.v; return EV_OK;
	case OP_OR: out->v = l.v | r.v; return EV_OK;
	default: break;
	}
	if (E->types_only) {
		out->v = 0;
		return EV_OK;
	}
	if ((e->op == OP_DIV || e->op == OP_MOD) && r.v == 0)
		return error(E, "'%s' divides by zero", shown(E, e));
	if (!sig) {
		switch (e->op) {
		case OP_MUL: out->v = l.v * r.v; break;
		case OP_DIV: out->v = l.v / r.v; break;
		case OP_MOD: out->v = l.v % r.v; break;
		case OP_ADD: out->v = l.v + r.v; break;
		default: out->v = l.v - r.v; break;
		}
		out->v = norm(out->v, t, target);
		return EV_OK;
	}
	{
		int64_t a = (int64_t)l.v, b = (int64_t)r.v, v = 0;
		bool ok = true;
		switch (e->op) {
		case OP_MUL: ok = mul_s(a, b, &v); break;
		case OP_DIV:
		case OP_MOD:
			/* INT_MIN / -1 overflows, and C makes INT_MIN % -1
			 * undefined too */
			if (b == -1 && a == type_min(t, target)) {
				ok = false;
				break;
			}
			v = e->op == OP_DIV ? a / b : a % b;
			break;
		case OP_ADD: ok = add_s(a, b, &v); break;
		default:
			ok = b != INT64_MIN ? add_s(a, -b, &v) : a < 0 && add_s(a + 1, INT64_MAX, &v);
			break;
		}
		if (!ok || !in_range(v, t, target))
			return overflow(E, e, t);
		out->v = (uint64_t)v;
		return EV_OK;
	}
}

static int ev_unary(Eval *E, const Expr *e, Value *out)
{
	Value l = {0, CT_INT};
	int st = ev(E, e->l, &l), target = E->target;
	if (st != EV_OK)
		return st;
	if (e->op == OP_LNOT) {
		out->type = CT_INT;
		out->v = l.v == 0;
		return EV_OK;
	}
	l = conv(l, promote(l.type), target);
	out->type = l.type;
	switch (e->op) {
	case OP_PLUS:
		out->v = l.v;
		return EV_OK;
	case OP_NOT:
		out->v = norm(~l.v, l.type, target);
		return EV_OK;
	default:
		if (!E->types_only && ctype_signed(l.type, target) &&
		    (int64_t)l.v == type_min(l.type, target))
			return overflow(E, e, l.type);
		out->v = norm((uint64_t)0 - l.v, l.type, target);
		return EV_OK;
	}
}

static int ev(Eval *E, const Expr *e, Value *out)
{
	int st;
	if (++E->steps > MAX_EVAL_STEPS)
		return error(E, "the expression takes too long to evaluate (more "
			     "than %d steps)", MAX_EVAL_STEPS);
	out->v = 0;
	out->type = CT_INT;
	switch (e->kind) {
	case EX_NUM:
		out->v = e->num;
		if (!literal_type(e->num, e->decimal, e->suffix, E->target, &out->type))
			return error(E, "'%s' is too large for any type its suffix "
				     "allows", e->text);
		return EV_OK;
	case EX_CHAR:
		out->v = norm(e->num, CT_CHAR, E->target);
		out->v = norm(out->v, CT_INT, E->target);
		return EV_OK;
	case EX_NAME:
		return ev_name(E, e, out);
	case EX_PARAM:
		if (!E->types_only)
			return error(E, "parameter '%s' outside its macro", e->text);
		out->type = E->param_type;
		return EV_OK;
	case EX_SIZEOF_PARAM:
		return error(E, "sizeof(%s) measures an argument, whose type "
			     "Rust cannot know", e->text);
	case EX_SIZEOF: {
		uint64_t size, align;
		LayoutStatus ls = type_layout(e->type, E->target, &size, &align);
		out->type = targets[E->target].ptr_size == 8 ? CT_ULONG : CT_UINT;
		if (ls == LAYOUT_ABSENT)
			return absent(E, e->text);
		if (ls != LAYOUT_OK)
			return EV_UNKNOWN;
		out->v = size;
		return EV_OK;
	}
	case EX_CAST: {
		Value l = {0, CT_INT};
		CType t;
		if (!cast_type(E, e->type, &t))
			return EV_UNKNOWN; /* reported by resolve.c */
		st = ev(E, e->l, &l);
		if (st != EV_OK)
			return st;
		*out = conv(l, t, E->target);
		return EV_OK;
	}
	case EX_UNARY:
		return ev_unary(E, e, out);
	case EX_BINARY:
		return ev_binary(E, e, out);
	case EX_COND: {
		Value c = {0, CT_INT}, l = {0, CT_INT}, r = {0, CT_INT};
		CType t;
		st = ev(E, e->c, &c);
		if (st != EV_OK)
			return st;
		if (E->types_only) {
			st = ev(E, e->l, &l);
			if (st == EV_OK)
				st = ev(E, e->r, &r);
		} else if (c.v) {
			st = ev(E, e->l, &l);
			r.type = l.type;
			if (st == EV_OK)
				st = type_of(E, e->r, &r.type);
		} else {
			st = ev(E, e->r, &r);
			l.type = r.type;
			if (st == EV_OK)
				st = type_of(E, e->l, &l.type);
		}
		if (st != EV_OK)
			return st;
		t = common(promote(l.type), promote(r.type), E->target);
		*out = conv(c.v || E->types_only ? l : r, t, E->target);
		return EV_OK;
	}
	case EX_CALL:
		return ev_call(E, e, out);
	case EX_PAREN:
		return ev(E, e->l, out);
	}
	return EV_UNKNOWN;
}

/* ---- Names in expansions -------------------------------------------------
 * The names of an expansion were checked where they were written (the
 * macro's body in its unit, the arguments in the caller's): here they are
 * only looked up. */

static void bind_type(Spec *s, Type *t)
{
	if (!t || t->kind != TY_NAMED)
		return;
	t->sym = hmap_gets(&s->symbols, t->name);
	if (!t->sym) {
		t->sym = hmap_gets(&s->typedefs, t->name);
		t->via_typedef = t->sym != NULL;
	}
}

void expr_bind(Spec *s, Expr *e)
{
	size_t i;
	while (e) {
		if (e->kind == EX_NAME) {
			Symbol *sym = hmap_gets(&s->symbols, e->text);
			const Item *it = sym ? symbol_any(sym) : NULL;
			if (it && it->kind == IT_CONST)
				e->sym = sym;
			else
				e->member = hmap_gets(&s->members, e->text);
		} else if (e->kind == EX_CALL && !e->builtin) {
			e->sym = hmap_gets(&s->symbols, e->text);
		}
		if (e->kind == EX_SIZEOF || e->kind == EX_CAST)
			bind_type(s, e->type);
		for (i = 0; i < e->nargs; i++)
			expr_bind(s, e->args[i]);
		if (e->c)
			expr_bind(s, e->c);
		if (e->r)
			expr_bind(s, e->r);
		e = e->l;
	}
}

/* ---- Constants and members ---------------------------------------------- */

static void eval_init(Eval *E, Spec *s, int target)
{
	memset(E, 0, sizeof *E);
	E->s = s;
	E->target = target;
}

int const_value(Spec *s, Item *it, int target, Value *out)
{
	ConstVal *cv;
	Eval E;
	if (it->kind != IT_CONST || !it->expr)
		return EV_NONE;
	if (!it->cval)
		it->cval = arena_calloc(&s->arena, NTARGETS, sizeof *it->cval);
	cv = &it->cval[target];
	if (cv->state == 1)
		return EV_UNKNOWN; /* a cycle: order.c reports it */
	if (cv->state == 0) {
		int st;
		cv->state = 1;
		eval_init(&E, s, target);
		st = ev(&E, it->expr, &cv->v);
		cv->status = st;
		cv->error = E.why;
		/* a layout it measures may not be computed yet: try again
		 * when asked again */
		cv->state = st == EV_UNKNOWN ? 0 : 2;
	}
	*out = cv->v;
	return cv->status;
}

/* A value C writes as text ("(1U << 3)"): its type and value, as the
 * expression language computes them. */
static bool text_value(Spec *s, const char *text, int target, Value *out)
{
	const char *err;
	size_t pos;
	Expr *e = expr_parse_text(s, text, NULL, 0, &err, &pos);
	Eval E;
	if (!e)
		return false;
	eval_init(&E, s, target);
	return ev(&E, e, out) == EV_OK;
}

bool member_c_text(Buf *b, const MemberRef *m)
{
	const Item *it = m->it;
	bool wide = it->backing == P_U64 || it->backing == P_U64_PLAIN ||
		    it->backing == P_I64 || it->backing == P_I64_PLAIN ||
		    it->backing == P_ULLONG || it->backing == P_LLONG;
	const char *suffix = wide ? "ULL" : "U";
	const Bit *bit = it->kind == IT_BITMAP && m->index < it->nbits
			 ? &it->bits[m->index] : NULL;
	size_t i;
	uint64_t all = 0;
	switch (m->role) {
	case MR_VARIANT:
		buf_printf(b, "%lld", (long long)it->variants[m->index].value);
		return true;
	case MR_BIT_NUMBER:
	case MR_FIELD_SHIFT:
		if (!bit)
			return false;
		buf_printf(b, "%lld", (long long)bit->shift);
		return true;
	case MR_BIT:
		if (!bit)
			return false;
		buf_printf(b, "(1%s << %lld)", suffix, (long long)bit->shift);
		return true;
	case MR_FIELD_MASK: {
		uint64_t mask;
		if (!bit)
			return false;
		mask = bit->width >= 64 ? ~(uint64_t)0
				: ((uint64_t)1 << bit->width) - 1;
		buf_printf(b, "(0x%llX%s << %lld)", (unsigned long long)mask, suffix,
			   (long long)bit->shift);
		return true;
	}
	case MR_ALL:
		for (i = 0; i < it->nbits; i++) {
			const Bit *x = &it->bits[i];
			all |= (x->width >= 64 ? ~(uint64_t)0
				: (((uint64_t)1 << x->width) - 1)) << x->shift;
		}
		buf_printf(b, "(0x%llX%s)", (unsigned long long)all, suffix);
		return true;
	case MR_OP:
		buf_printf(b, "%lld", (long long)it->op_cmd);
		return true;
	}
	return false;
}

bool member_value(Spec *s, const MemberRef *m, int target, Value *out)
{
	const Item *it = m->it;
	const Expr *cv = NULL;
	Buf b = {0};
	bool ok;
	if (it->kind == IT_ENUM)
		cv = it->variants[m->index].c_value;
	else if (it->kind == IT_BITMAP && (m->role == MR_BIT ||
					   m->role == MR_FIELD_MASK))
		cv = it->bits[m->index].c_value;
	if (cv) {
		Eval E;
		eval_init(&E, s, target);
		if (ev(&E, cv, out) != EV_OK)
			return false;
	} else {
		member_c_text(&b, m);
		ok = text_value(s, buf_cstr(&b), target, out);
		buf_free(&b);
		if (!ok)
			return false;
	}
	if (m->role == MR_VARIANT && !it->c.defines) {
		/* an enumerator of a C enum: an int where it fits (C's rule;
		 * GCC gives a larger one a larger type) */
		int64_t v = it->variants[m->index].value;
		out->v = (uint64_t)v;
		out->type = v >= INT32_MIN && v <= INT32_MAX ? CT_INT
			  : v >= 0 && v <= UINT32_MAX ? CT_UINT
			  : v < 0 ? CT_LLONG : CT_ULLONG;
	}
	return true;
}

/* ---- Entry points -------------------------------------------------------- */

int eval_expr(Spec *s, const Expr *e, int target, Value *out,
	      const char **why)
{
	Eval E;
	int st;
	eval_init(&E, s, target);
	st = ev(&E, e, out);
	*why = E.why;
	return st;
}

int eval_type(Spec *s, const Expr *e, int target, CType param, CType *out,
	      const char **why)
{
	Eval E;
	Value v;
	int st;
	eval_init(&E, s, target);
	E.types_only = true;
	E.param_type = param;
	st = ev(&E, e, &v);
	*out = v.type;
	*why = E.why;
	return st;
}

/* A pointer or handle to a type that the target's architecture does not
 * define (a name imported from "arch" for some architectures only, or
 * defined by an architecture's unit): C could not spell it there.  Only
 * where a type is defined counts, not its build conditions: a pointer
 * needs no layout. */
static bool pointee_absent(const Type *t, int target)
{
	const Item *it;
	unsigned bit = 1u << target;
	while (t->elem && (t->kind == TY_PTR || t->kind == TY_HANDLE ||
			   t->kind == TY_CPTR || t->kind == TY_ARRAY))
		t = t->elem;
	if (t->kind != TY_NAMED || !t->sym)
		return false;
	it = symbol_item_on(t->sym, target);
	if (!it)
		return true;
	if (it->unit->family >= 0 && it->unit->family != targets[target].arch)
		return true;
	return (it->cond.targets && !(it->cond.targets & bit)) ||
	       (it->unit->header.set && it->unit->header.cond.targets &&
		!(it->unit->header.cond.targets & bit));
}

/* An array length: a positive number. */
/* The size and alignment of a type on a target: here rather than in
 * layout.c, because sizeof(type) in an expression needs it and an array
 * length in a type needs the expression's value (one file: no cycle
 * between files). */
LayoutStatus type_layout(const Type *t, int target, uint64_t *size,
			 uint64_t *align)
{
	Item *it;
	uint64_t esz, eal, count;
	LayoutStatus st;
	switch (t->kind) {
	case TY_PRIM:
		prim_layout(t->prim, target, size, align);
		return LAYOUT_OK;
	case TY_PTR:
	case TY_HANDLE:
	case TY_CPTR:
		if (pointee_absent(t, target))
			return LAYOUT_ABSENT;
		*size = *align = t->kind == TY_PTR ? 8
			       : t->kind == TY_HANDLE ? targets[target].handle_size
			       : targets[target].ptr_size;
		return LAYOUT_OK;
	case TY_ARRAY:
		st = type_layout(t->elem, target, &esz, &eal);
		if (st != LAYOUT_OK)
			return st;
		*align = eal;
		if (t->flex) {
			*size = 0;
			return LAYOUT_OK;
		}
		count = t->count;
		if (t->count_expr) {
			st = expr_eval(t->count_expr, target, &count);
			if (st != LAYOUT_OK)
				return st;
			if (!count)
				return LAYOUT_BADLEN;
		}
		if (esz && count > UINT64_MAX / esz)
			return LAYOUT_OVERFLOW;
		*size = esz * count;
		return LAYOUT_OK;
	case TY_NAMED:
		it = symbol_item_on(t->sym, target);
		if (!it || !item_on_target(it, target))
			return LAYOUT_ABSENT;
		if (it->kind == IT_ENUM || it->kind == IT_BITMAP) {
			prim_layout(it->backing, target, size, align);
			return LAYOUT_OK;
		}
		if (!it->layout[target])
			return LAYOUT_UNKNOWN;
		*size = it->layout[target]->size;
		*align = it->layout[target]->align;
		return LAYOUT_OK;
	case TY_INLINE:
		if (!t->item->layout[target])
			return LAYOUT_UNKNOWN;
		*size = t->item->layout[target]->size;
		*align = t->item->layout[target]->align;
		return LAYOUT_OK;
	}
	return LAYOUT_UNKNOWN;
}

LayoutStatus expr_eval(const Expr *e, int target, uint64_t *out)
{
	Value v;
	const char *why;
	switch (eval_expr(e->spec, e, target, &v, &why)) {
	case EV_OK:
		break;
	case EV_ABSENT:
		return LAYOUT_ABSENT;
	case EV_UNKNOWN:
		return LAYOUT_UNKNOWN;
	default:
		return LAYOUT_BADLEN;
	}
	if (value_negative(v, target))
		return LAYOUT_BADLEN;
	*out = v.v;
	return LAYOUT_OK;
}

/* ---- The check after layout --------------------------------------------- */

/* Messages per target, grouped: each distinct text once, with the
 * targets it holds on. */
typedef struct Groups {
	const char *text[NTARGETS];
	unsigned mask[NTARGETS];
	int n;
	unsigned all; /* the targets looked at */
} Groups;

static void group_add(Groups *g, const char *text, int t)
{
	int i;
	for (i = 0; i < g->n; i++)
		if (strcmp(g->text[i], text) == 0)
			break;
	if (i == g->n) {
		g->text[g->n] = text;
		g->mask[g->n++] = 0;
	}
	g->mask[i] |= 1u << t;
}

static void group_targets(Buf *b, const Groups *g, int i)
{
	int t, n = 0;
	if (g->mask[i] == g->all) {
		buf_puts(b, "every target");
		return;
	}
	for (t = 0; t < NTARGETS; t++)
		if (g->mask[i] >> t & 1u)
			buf_printf(b, "%s%s", n++ ? ", " : "", targets[t].name);
}

static void group_report(Diag *d, Loc loc, const Groups *g, const char *fmt,
			 const char *name)
{
	int i;
	for (i = 0; i < g->n; i++) {
		Buf b = {0};
		group_targets(&b, g, i);
		diag_error(d, loc, fmt, name, g->text[i], buf_cstr(&b));
		buf_free(&b);
	}
}

static void check_constant(Spec *s, Diag *d, Item *it)
{
	Groups err, abs, typ;
	int t;
	memset(&err, 0, sizeof err);
	memset(&abs, 0, sizeof abs);
	memset(&typ, 0, sizeof typ);
	for (t = 0; t < NTARGETS; t++) {
		Value v;
		CType want;
		int st;
		if (!s->covered[t] || !item_on_target(it, t))
			continue;
		err.all = abs.all = typ.all |= 1u << t;
		st = const_value(s, it, t, &v);
		if (st == EV_ERROR)
			group_add(&err, it->cval[t].error, t);
		else if (st == EV_ABSENT)
			group_add(&abs, it->cval[t].error ? it->cval[t].error : "?", t);
		else if (st == EV_NONE)
			group_add(&err, "it names something without an integer "
				  "value", t);
		else if (st == EV_OK && it->const_type && !it->int_value &&
			 ctype_of_prim(it->const_type->prim, t, &want) &&
			 v.type != want)
			group_add(&typ, arena_printf(&s->arena, "%s, not %s (%s)",
						     ctype_name(v.type),
						     prim_name(it->const_type->prim),
						     ctype_name(want)), t);
	}
	group_report(d, it->value_loc, &err, "constant '%s': %s on %s", it->name);
	group_report(d, it->value_loc, &abs, "constant '%s' uses '%s', which "
		     "does not exist on %s (limit the constant with only, or "
		     "define the name there)", it->name);
	group_report(d, it->value_loc, &typ, "the C type of constant '%s' is %s "
		     "on %s", it->name);
}

/* c = { value = "..." } of a variant or bit: the value it spells. */
static void check_member_c(Spec *s, Diag *d, Item *it, size_t j)
{
	Groups g;
	const Expr *cv;
	uint64_t want;
	const char *what, *name;
	int t;
	memset(&g, 0, sizeof g);
	if (it->kind == IT_ENUM) {
		cv = it->variants[j].c_value;
		want = (uint64_t)it->variants[j].value;
		what = "variant";
		name = it->variants[j].name;
	} else {
		const Bit *b = &it->bits[j];
		cv = b->c_value;
		want = (b->width >= 64 ? ~(uint64_t)0
			: (((uint64_t)1 << b->width) - 1)) << b->shift;
		what = "bit";
		name = b->name;
	}
	if (!cv)
		return;
	for (t = 0; t < NTARGETS; t++) {
		Value v;
		const char *why = NULL;
		int st;
		if (!s->covered[t] || !item_on_target(it, t))
			continue;
		g.all |= 1u << t;
		st = eval_expr(s, cv, t, &v, &why);
		if (st == EV_ERROR || st == EV_ABSENT)
			group_add(&g, st == EV_ERROR ? why
				  : arena_printf(&s->arena, "'%s' does not exist", why), t);
		else if (st == EV_OK && v.v != want)
			group_add(&g, arena_printf(&s->arena, "%s%llu, not %s%llu",
						   value_negative(v, t) ? "-" : "",
						   (unsigned long long)(value_negative(v, t)
									? (uint64_t)0 - v.v : v.v),
						   (int64_t)want < 0 && it->kind == IT_ENUM
						   ? "-" : "",
						   (unsigned long long)((int64_t)want < 0 &&
									it->kind == IT_ENUM
									? (uint64_t)0 - want : want)), t);
	}
	{
		int i;
		for (i = 0; i < g.n; i++) {
			Buf b = {0};
			group_targets(&b, &g, i);
			diag_error(d, cv->loc, "the C value of %s '%s' of %s '%s' is "
				   "%s on %s", what, name, item_kind_name(it->kind),
				   it->name, g.text[i], buf_cstr(&b));
			buf_free(&b);
		}
	}
}

/* A macro's Rust function takes unsigned long long (u64) arguments: its
 * body must be typed so on every target. */
static void type_macro(Spec *s, Item *it)
{
	int t;
	for (t = 0; t < NTARGETS && !it->rust_why; t++) {
		CType ty;
		const char *why = NULL;
		int st;
		if (!s->covered[t] || !item_on_target(it, t) || !it->expr)
			continue;
		st = eval_type(s, it->expr, t, CT_ULLONG, &ty, &why);
		if (st == EV_ERROR)
			it->rust_why = why;
		else if (st == EV_ABSENT)
			it->rust_why = arena_printf(&s->arena, "'%s' does not exist "
						    "on %s", why, targets[t].name);
		else if (st != EV_OK)
			it->rust_why = "a name it uses has no value";
	}
	if (!it->expr && !it->rust_why)
		it->rust_why = "it has no body";
	if (it->rust_why)
		s->nc_only_macros++;
}

/* The number of a sub-op named by a constant or enumerator of the specs
 * (op = { family, name }, also = [...]): its value, the same on every
 * target the struct is on, 32 bits; false after reporting. */
static bool op_number(Spec *s, Diag *d, const Item *it, const char *name,
		      Loc loc, bool also, int64_t *out)
{
	const char *err = NULL, *why = NULL;
	size_t pos = 0;
	Expr *e = expr_parse_text(s, name, NULL, 0, &err, &pos);
	int t, seen = -1;
	if (!e)
		return false; /* not an identifier: check.c said so */
	expr_bind(s, e);
	for (t = 0; t < NTARGETS; t++) {
		Value v;
		int st;
		if (!s->covered[t] || !item_on_target(it, t))
			continue;
		st = eval_expr(s, e, t, &v, &why);
		if (st == EV_ABSENT) {
			diag_error(d, loc, "op '%s' of struct '%s' is not defined "
				   "on %s, where the struct is", name, it->name,
				   targets[t].name);
			return false;
		}
		if (st != EV_OK) {
			diag_error(d, loc, "op '%s' of struct '%s' names no integer "
				   "constant or enumerator of the specs%s", name,
				   it->name, also ? "" : " (or give its number: "
				   "cmd = N)");
			return false;
		}
		if (value_negative(v, t) || v.v > UINT32_MAX) {
			diag_error(d, loc, "op '%s' of struct '%s' is %s%llu, not "
				   "a sub-op number (0 to 4294967295)", name,
				   it->name, value_negative(v, t) ? "-" : "",
				   value_negative(v, t) ? -(unsigned long long)v.v
				   : (unsigned long long)v.v);
			return false;
		}
		if (seen >= 0 && (uint64_t)*out != v.v) {
			diag_error(d, loc, "op '%s' of struct '%s' is %lld on %s "
				   "but %llu on %s", name, it->name, (long long)*out,
				   targets[seen].name, (unsigned long long)v.v,
				   targets[t].name);
			return false;
		}
		*out = (int64_t)v.v;
		seen = t;
	}
	return seen >= 0;
}

/* Is sub-op cmd of the family still free for the struct?  Taken for it
 * if so.  Numbers given as cmd were checked against each other by
 * check.c; this sees those named by constants. */
static bool op_claim(Spec *s, Diag *d, Item *it, int64_t cmd, bool named,
		     Loc loc, HMap *cmds, Buf *key)
{
	Item *first;
	char *k;
	buf_clear(key);
	buf_printf(key, "%s/%lld", it->op_family, (long long)cmd);
	k = arena_strdup(&s->arena, buf_cstr(key));
	first = hmap_gets(cmds, k);
	if (first && first == it && named) {
		diag_error(d, loc, "struct '%s' lists %s op %lld twice", it->name,
			   it->op_family, (long long)cmd);
		return false;
	}
	if (first && named && first->unit->arch < 0 && it->unit->arch < 0) {
		diag_error(d, loc, "structs '%s' and '%s' are both %s op %lld",
			   first->name, it->name, it->op_family, (long long)cmd);
		diag_note(d, first->op_loc, "'%s' is given the op here",
			  first->name);
		return false;
	}
	if (!first)
		hmap_put(cmds, k, strlen(k), it);
	return true;
}

/* The numbers of an op struct's sub-ops named by constants: op_cmd (op
 * without cmd) and op_also_cmd. */
static void resolve_op(Spec *s, Diag *d, Item *it, HMap *cmds, Buf *key)
{
	size_t j;
	if (it->op_ref && !op_number(s, d, it, it->op_name, it->op_loc, false,
				     &it->op_cmd))
		return;
	/* a struct with cmd = N is claimed by its number, which check.c
	 * compared with the other given numbers already */
	if (!op_claim(s, d, it, it->op_cmd, it->op_ref, it->op_loc, cmds, key))
		return;
	for (j = 0; j < it->nop_also; j++)
		if (op_number(s, d, it, it->op_also[j], it->op_also_locs[j], true,
			      &it->op_also_cmd[j]))
			op_claim(s, d, it, it->op_also_cmd[j], true,
				 it->op_also_locs[j], cmds, key);
}

void eval_check(Spec *s, Diag *d)
{
	size_t i, j;
	HMap cmds;
	Buf key = {0};
	hmap_init(&cmds);
	for (i = 0; i < s->nitems; i++) {
		Item *it = s->items[i];
		switch (it->kind) {
		case IT_STRUCT:
			if (it->op_family && it->op_name)
				resolve_op(s, d, it, &cmds, &key);
			break;
		case IT_CONST:
			if (it->expr)
				check_constant(s, d, it);
			break;
		case IT_ENUM:
			for (j = 0; j < it->nvariants; j++)
				check_member_c(s, d, it, j);
			break;
		case IT_BITMAP:
			for (j = 0; j < it->nbits; j++)
				check_member_c(s, d, it, j);
			break;
		case IT_MACRO:
			type_macro(s, it);
			break;
		default:
			break;
		}
	}
	buf_free(&key);
	hmap_free(&cmds);
}
