/*
 * hcond.c - from the #if lines of a header to `only` conditions.
 *
 * A condition is parsed as the preprocessor reads it (an expression of
 * defined(), integers and operators), put in negation normal form, and
 * split at its top-level "and"s.  Each part is said with the key that
 * says it: tests of the target macros (__i386__, __x86_64__, __arm__,
 * __aarch64__) become the set of targets where they hold, and so `archs`
 * or `targets`; tests of __XEN__ and __XEN_TOOLS__ the set of builds
 * (guest, tools, hypervisor) where they hold, and so `tools`, `hypervisor`
 * or `not_defined`; comparisons of __XEN_INTERFACE_VERSION__ with a number
 * `since` and `until`; __ASSEMBLY__ `assembly`; other names `defined` and
 * `not_defined`.  What mixes them in an "or", or tests anything else
 * (__STDC_VERSION__ >= 199901L), is written back as C in `c_if`, the last
 * resort.
 */
#include "import/import.h"
#include "model/model.h"

#include <errno.h>
#include <stdlib.h>

enum { CFG_BIT_GUEST = 1, CFG_BIT_TOOLS = 2, CFG_BIT_HYP = 4, CFG_BITS_ALL = 7 };
#define TARGETS_ALL ((1u << NTARGETS) - 1)

void icond_init(ICond *c)
{
	memset(c, 0, sizeof *c);
	c->targets = TARGETS_ALL;
	c->configs = CFG_BITS_ALL;
	c->assembly = -1;
}

bool icond_always(const ICond *c)
{
	return !c->never && c->targets == TARGETS_ALL && c->configs == CFG_BITS_ALL &&
	       !c->since && !c->until && c->assembly < 0 && !c->ndefined &&
	       !c->nnot_defined && !c->c_if;
}

/* ---- The expression ------------------------------------------------------- */

typedef enum PKind {
	PK_NUM, PK_IDENT, PK_DEFINED, PK_NOT, PK_UNARY, PK_BINARY, PK_AND, PK_OR,
	PK_COND, PK_CALL,
} PKind;

typedef struct PNode {
	PKind kind;
	const char *text; /* ident / defined name / operator / call text */
	uint64_t val;
	struct PNode *a, *b, *c;
} PNode;

typedef struct Parser {
	Arena *a;
	CTok *t;
	size_t n, i;
	bool bad;
	unsigned depth;
} Parser;

static const CTok *peek(Parser *p)
{
	static const CTok end = {NULL, 0, CTOK_END};
	return p->i < p->n ? &p->t[p->i] : &end;
}

static bool accept(Parser *p, const char *s)
{
	if (ctok_is(peek(p), s)) {
		p->i++;
		return true;
	}
	return false;
}

static PNode *node(Parser *p, PKind k, PNode *a, PNode *b)
{
	PNode *n = arena_alloc(p->a, sizeof *n);
	n->kind = k;
	n->a = a;
	n->b = b;
	return n;
}

static PNode *parse_cond(Parser *p);

/* An integer literal of the preprocessor; false if it is none. */
bool parse_c_int(const char *s, size_t n, uint64_t *v, char *suffix,
		 size_t suffix_size)
{
	char buf[80];
	char *end;
	size_t k;
	if (n == 0 || n >= sizeof buf || !(s[0] >= '0' && s[0] <= '9'))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	if (n > 1 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		*v = strtoull(buf + 2, &end, 16);
		if (end == buf + 2)
			end = buf; /* "0x" alone */
	} else if (buf[0] == '0')
		*v = strtoull(buf, &end, 8);
	else
		*v = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return false;
	for (k = 0; end[k]; k++)
		if (!strchr("uUlL", end[k]))
			return false;
	if (k > 3)
		return false;
	if (suffix) {
		if (k >= suffix_size)
			return false;
		memcpy(suffix, end, k + 1);
	}
	return true;
}

static PNode *parse_primary(Parser *p)
{
	const CTok *t = peek(p);
	PNode *n;
	if (++p->depth > MAX_EXPR_DEPTH) {
		p->bad = true;
		return NULL;
	}
	if (accept(p, "(")) {
		n = parse_cond(p);
		if (!accept(p, ")"))
			p->bad = true;
		p->depth--;
		return n;
	}
	if (t->kind == CTOK_NUMBER) {
		uint64_t v = 0;
		p->i++;
		n = node(p, PK_NUM, NULL, NULL);
		n->text = arena_strndup(p->a, t->p, t->n);
		if (!parse_c_int(t->p, t->n, &v, NULL, 0))
			p->bad = true;
		n->val = v;
		p->depth--;
		return n;
	}
	if (t->kind == CTOK_IDENT) {
		p->i++;
		if (ctok_is(t, "defined")) {
			bool paren = accept(p, "(");
			const CTok *id = peek(p);
			if (id->kind != CTOK_IDENT) {
				p->bad = true;
				return NULL;
			}
			p->i++;
			if (paren && !accept(p, ")"))
				p->bad = true;
			n = node(p, PK_DEFINED, NULL, NULL);
			n->text = arena_strndup(p->a, id->p, id->n);
			p->depth--;
			return n;
		}
		n = node(p, PK_IDENT, NULL, NULL);
		n->text = arena_strndup(p->a, t->p, t->n);
		if (ctok_is(peek(p), "(")) {
			/* a function-like macro in a condition: kept as text */
			size_t start = p->i, depth = 0;
			Buf b = {0};
			for (; p->i < p->n; p->i++) {
				if (ctok_is(&p->t[p->i], "("))
					depth++;
				else if (ctok_is(&p->t[p->i], ")") && --depth == 0)
					break;
			}
			if (p->i >= p->n) {
				p->bad = true;
				return NULL;
			}
			p->i++;
			buf_puts(&b, n->text);
			ctok_join(&b, p->t + start, p->i - start);
			n->kind = PK_CALL;
			n->text = arena_strdup(p->a, buf_cstr(&b));
			buf_free(&b);
		}
		p->depth--;
		return n;
	}
	if (t->kind == CTOK_CHAR) {
		p->i++;
		n = node(p, PK_CALL, NULL, NULL);
		n->text = arena_strndup(p->a, t->p, t->n);
		p->depth--;
		return n;
	}
	p->bad = true;
	return NULL;
}

static PNode *parse_unary(Parser *p)
{
	static const char *const ops[] = {"!", "~", "-", "+"};
	size_t k;
	for (k = 0; k < ARRAY_LEN(ops); k++) {
		if (accept(p, ops[k])) {
			PNode *a;
			if (++p->depth > MAX_EXPR_DEPTH) {
				p->bad = true;
				return NULL;
			}
			a = parse_unary(p);
			p->depth--;
			if (k == 0)
				return node(p, PK_NOT, a, NULL);
			{
				PNode *n = node(p, PK_UNARY, a, NULL);
				n->text = ops[k];
				return n;
			}
		}
	}
	return parse_primary(p);
}

/* Binary operators by precedence, loosest first (&& and || apart). */
static const char *const bin_levels[][4] = {
	{"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", "<=", ">", ">="}, {"<<", ">>"},
	{"+", "-"}, {"*", "/", "%"},
};

static PNode *parse_binary(Parser *p, size_t level)
{
	PNode *l;
	if (level >= ARRAY_LEN(bin_levels))
		return parse_unary(p);
	l = parse_binary(p, level + 1);
	for (;;) {
		size_t k;
		const char *op = NULL;
		for (k = 0; k < 4 && bin_levels[level][k]; k++)
			if (ctok_is(peek(p), bin_levels[level][k]))
				op = bin_levels[level][k];
		if (!op || p->bad)
			return l;
		p->i++;
		l = node(p, PK_BINARY, l, parse_binary(p, level + 1));
		l->text = op;
	}
}

static PNode *parse_and(Parser *p)
{
	PNode *l = parse_binary(p, 0);
	while (!p->bad && accept(p, "&&"))
		l = node(p, PK_AND, l, parse_binary(p, 0));
	return l;
}

static PNode *parse_or(Parser *p)
{
	PNode *l = parse_and(p);
	while (!p->bad && accept(p, "||"))
		l = node(p, PK_OR, l, parse_and(p));
	return l;
}

static PNode *parse_cond(Parser *p)
{
	PNode *c = parse_or(p);
	if (!p->bad && accept(p, "?")) {
		PNode *n = node(p, PK_COND, c, parse_cond(p));
		if (!accept(p, ":"))
			p->bad = true;
		n->c = parse_cond(p);
		return n;
	}
	return c;
}

static PNode *parse_text(Arena *a, const char *text)
{
	Parser p;
	PNode *n;
	memset(&p, 0, sizeof p);
	p.a = a;
	p.n = ctok_all(text, text + strlen(text), &p.t);
	n = parse_cond(&p);
	if (p.i != p.n || !n)
		p.bad = true;
	free(p.t);
	return p.bad ? NULL : n;
}

/* ---- Rendering back to C ------------------------------------------------------ */

static int prec(const PNode *n)
{
	size_t l, k;
	switch (n->kind) {
	case PK_COND: return 1;
	case PK_OR: return 2;
	case PK_AND: return 3;
	case PK_BINARY:
		for (l = 0; l < ARRAY_LEN(bin_levels); l++)
			for (k = 0; k < 4 && bin_levels[l][k]; k++)
				if (strcmp(bin_levels[l][k], n->text) == 0)
					return 4 + (int)l;
		return 4;
	case PK_NOT: case PK_UNARY: return 20;
	default: return 30;
	}
}

static void render(Buf *b, const PNode *n, int min)
{
	bool paren = prec(n) < min;
	if (paren)
		buf_putc(b, '(');
	switch (n->kind) {
	case PK_NUM: case PK_IDENT: case PK_CALL:
		buf_puts(b, n->text);
		break;
	case PK_DEFINED:
		buf_printf(b, "defined(%s)", n->text);
		break;
	case PK_NOT:
		buf_putc(b, '!');
		render(b, n->a, 20);
		break;
	case PK_UNARY:
		buf_puts(b, n->text);
		render(b, n->a, 20);
		break;
	case PK_BINARY:
		render(b, n->a, prec(n));
		buf_printf(b, " %s ", n->text);
		render(b, n->b, prec(n) + 1);
		break;
	case PK_AND:
		render(b, n->a, 3);
		buf_puts(b, " && ");
		render(b, n->b, 4);
		break;
	case PK_OR:
		render(b, n->a, 2);
		buf_puts(b, " || ");
		render(b, n->b, 3);
		break;
	case PK_COND:
		render(b, n->a, 2);
		buf_puts(b, " ? ");
		render(b, n->b, 1);
		buf_puts(b, " : ");
		render(b, n->c, 1);
		break;
	}
	if (paren)
		buf_putc(b, ')');
}

/* ---- Negation normal form ------------------------------------------------------ */

static PNode *nnf(Arena *a, const PNode *n, bool neg)
{
	PNode *r;
	if (n->kind == PK_NOT)
		return nnf(a, n->a, !neg);
	if (n->kind == PK_AND || n->kind == PK_OR) {
		r = arena_alloc(a, sizeof *r);
		*r = *n;
		r->kind = (n->kind == PK_AND) != neg ? PK_AND : PK_OR;
		r->a = nnf(a, n->a, neg);
		r->b = nnf(a, n->b, neg);
		return r;
	}
	if (!neg)
		return (PNode *)n;
	r = arena_alloc(a, sizeof *r);
	r->kind = PK_NOT;
	r->a = (PNode *)n;
	return r;
}

/* ---- Categories of atoms --------------------------------------------------------- */

enum { CAT_TARGET = 1, CAT_CONFIG = 2, CAT_VERSION = 4, CAT_ASM = 8,
       CAT_DEF = 16, CAT_RAW = 32 };

static const char *const target_macro[NTARGETS] = {
	"__i386__", "__x86_64__", "__arm__", "__aarch64__", "__riscv",
	"__powerpc64__",
};

static int target_of_macro(const char *name)
{
	int t;
	for (t = 0; t < NTARGETS; t++)
		if (strcmp(target_macro[t], name) == 0)
			return t;
	return -1;
}

static bool is_version(const PNode *n)
{
	return n->kind == PK_IDENT && strcmp(n->text, "__XEN_INTERFACE_VERSION__") == 0;
}

/* The C backend says riscv64 with `defined(__riscv) && __riscv_xlen == 64`
 * and ppc64le with `defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)`:
 * these are tests of the target too.  Every target is little-endian. */
static bool is_xlen64(const PNode *n)
{
	return n->kind == PK_BINARY && strcmp(n->text, "==") == 0 &&
	       n->a->kind == PK_IDENT && strcmp(n->a->text, "__riscv_xlen") == 0 &&
	       n->b->kind == PK_NUM && n->b->val == 64;
}

static int atom_cat(const PNode *n)
{
	if (n->kind == PK_NOT)
		n = n->a;
	if (is_xlen64(n) ||
	    (n->kind == PK_DEFINED && strcmp(n->text, "__LITTLE_ENDIAN__") == 0))
		return CAT_TARGET;
	switch (n->kind) {
	case PK_DEFINED:
		if (target_of_macro(n->text) >= 0)
			return CAT_TARGET;
		if (strcmp(n->text, "__XEN__") == 0 || strcmp(n->text, "__XEN_TOOLS__") == 0)
			return CAT_CONFIG;
		if (strcmp(n->text, "__ASSEMBLY__") == 0)
			return CAT_ASM;
		return CAT_DEF;
	case PK_BINARY:
		if (strchr("<>=!", n->text[0]) && n->text[0] &&
		    ((is_version(n->a) && n->b->kind == PK_NUM) ||
		     (is_version(n->b) && n->a->kind == PK_NUM)) &&
		    strcmp(n->text, "!=") != 0)
			return CAT_VERSION;
		return CAT_RAW;
	default:
		return CAT_RAW;
	}
}

static int cats(const PNode *n)
{
	if (n->kind == PK_AND || n->kind == PK_OR)
		return cats(n->a) | cats(n->b);
	return atom_cat(n);
}

/* Evaluate a formula of target or configuration atoms. */
static bool eval_sel(const PNode *n, int target, unsigned cfgbit)
{
	switch (n->kind) {
	case PK_AND: return eval_sel(n->a, target, cfgbit) && eval_sel(n->b, target, cfgbit);
	case PK_OR: return eval_sel(n->a, target, cfgbit) || eval_sel(n->b, target, cfgbit);
	case PK_NOT: return !eval_sel(n->a, target, cfgbit);
	case PK_BINARY:
		return target == TGT_RISCV64; /* __riscv_xlen == 64 */
	case PK_DEFINED:
		if (target >= 0 && strcmp(n->text, "__LITTLE_ENDIAN__") == 0)
			return true;
		if (target >= 0)
			return target_of_macro(n->text) == target;
		if (strcmp(n->text, "__XEN__") == 0)
			return cfgbit == CFG_BIT_HYP;
		return cfgbit == CFG_BIT_TOOLS;
	default:
		return false;
	}
}

static void add_name(Arena *a, const char ***v, size_t *n, const char *name)
{
	size_t i;
	const char **nv;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return;
	nv = arena_alloc(a, (*n + 1) * sizeof *nv);
	if (*n)
		memcpy(nv, *v, *n * sizeof *nv);
	nv[(*n)++] = name;
	*v = nv;
}

static void add_raw(Arena *a, ICond *c, const PNode *n)
{
	Buf b = {0};
	if (c->c_if) {
		buf_puts(&b, c->c_if);
		buf_puts(&b, " && ");
		render(&b, n, 4);
	} else {
		render(&b, n, 0);
	}
	c->c_if = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
}

/* A version comparison, maybe negated, as since/until; false if it is
 * none that they can say. */
static bool add_version(ICond *c, const PNode *n)
{
	bool neg = n->kind == PK_NOT;
	const char *op;
	uint64_t v;
	char flip[3];
	if (neg)
		n = n->a;
	op = n->text;
	v = n->kind == PK_BINARY && n->b->kind == PK_NUM ? n->b->val : n->a->val;
	if (n->a->kind == PK_NUM) {
		/* N op V: V (reversed op) N */
		if (op[0] == '<')
			flip[0] = '>';
		else if (op[0] == '>')
			flip[0] = '<';
		else
			flip[0] = op[0];
		flip[1] = op[1];
		flip[2] = '\0';
		op = flip;
	}
	if (v > UINT32_MAX)
		return false;
	if (neg) {
		if (strcmp(op, "<") == 0) op = ">=";
		else if (strcmp(op, "<=") == 0) op = ">";
		else if (strcmp(op, ">") == 0) op = "<=";
		else if (strcmp(op, ">=") == 0) op = "<";
		else return false;
	}
	if (strcmp(op, ">=") == 0 || (strcmp(op, ">") == 0 && v < UINT32_MAX)) {
		uint32_t s = (uint32_t)v + (op[1] ? 0 : 1);
		if (s > c->since)
			c->since = s;
	} else if (strcmp(op, "<") == 0 || (strcmp(op, "<=") == 0 && v < UINT32_MAX)) {
		uint32_t u = (uint32_t)v + (op[1] ? 1 : 0);
		if (!c->until || u < c->until)
			c->until = u;
	} else if (strcmp(op, "==") == 0 && v < UINT32_MAX) {
		if ((uint32_t)v > c->since)
			c->since = (uint32_t)v;
		if (!c->until || (uint32_t)v + 1 < c->until)
			c->until = (uint32_t)v + 1;
	} else {
		return false;
	}
	if (c->until && c->since >= c->until)
		c->never = true;
	return true;
}

static void and_part(Arena *a, ICond *c, const PNode *n)
{
	int k = cats(n);
	bool literal = n->kind != PK_AND && n->kind != PK_OR;
	if (k == CAT_TARGET) {
		unsigned m = 0;
		int t;
		for (t = 0; t < NTARGETS; t++)
			if (eval_sel(n, t, 0))
				m |= 1u << t;
		c->targets &= m;
	} else if (k == CAT_CONFIG) {
		unsigned m = 0, bit;
		for (bit = 1; bit <= CFG_BIT_HYP; bit <<= 1)
			if (eval_sel(n, -1, bit))
				m |= bit;
		c->configs &= m;
	} else if (k == CAT_VERSION && literal) {
		if (!add_version(c, n))
			add_raw(a, c, n);
	} else if (k == CAT_ASM && literal) {
		int want = n->kind == PK_NOT ? 0 : 1;
		if (c->assembly >= 0 && c->assembly != want)
			c->never = true;
		c->assembly = want;
	} else if (k == CAT_DEF && literal) {
		if (n->kind == PK_NOT)
			add_name(a, &c->not_defined, &c->nnot_defined, n->a->text);
		else
			add_name(a, &c->defined, &c->ndefined, n->text);
	} else {
		add_raw(a, c, n);
	}
}

static void and_nnf(Arena *a, ICond *c, const PNode *n)
{
	if (n->kind == PK_AND) {
		and_nnf(a, c, n->a);
		and_nnf(a, c, n->b);
		return;
	}
	and_part(a, c, n);
}

bool icond_and_text(Arena *a, ICond *c, const char *expr, bool negate)
{
	PNode *n = parse_text(a, expr);
	if (!n) {
		/* not an expression we read: the text itself */
		Buf b = {0};
		if (c->c_if)
			buf_printf(&b, "%s && ", c->c_if);
		buf_printf(&b, negate ? "!(%s)" : "(%s)", expr);
		c->c_if = arena_strdup(a, buf_cstr(&b));
		buf_free(&b);
		return false;
	}
	and_nnf(a, c, nnf(a, n, negate));
	if (!c->targets || !c->configs)
		c->never = true;
	return true;
}

void icond_and(Arena *a, ICond *c, const ICond *o)
{
	size_t i;
	c->never = c->never || o->never;
	c->targets &= o->targets;
	c->configs &= o->configs;
	if (o->since > c->since)
		c->since = o->since;
	if (o->until && (!c->until || o->until < c->until))
		c->until = o->until;
	if (o->assembly >= 0) {
		if (c->assembly >= 0 && c->assembly != o->assembly)
			c->never = true;
		c->assembly = o->assembly;
	}
	for (i = 0; i < o->ndefined; i++)
		add_name(a, &c->defined, &c->ndefined, o->defined[i]);
	for (i = 0; i < o->nnot_defined; i++)
		add_name(a, &c->not_defined, &c->nnot_defined, o->not_defined[i]);
	if (o->c_if)
		c->c_if = c->c_if ? arena_printf(a, "%s && %s", c->c_if, o->c_if)
				  : o->c_if;
	if (!c->targets || !c->configs || (c->until && c->since >= c->until))
		c->never = true;
}

/* The condition of branch k of group g: not the earlier branches, and its
 * own expression. */
static void and_branch(Arena *a, ICond *c, const HGroup *g, uint32_t k)
{
	uint32_t i;
	for (i = 0; i < k; i++)
		icond_and_text(a, c, g->branches[i], true);
	if (g->branches[k])
		icond_and_text(a, c, g->branches[k], false);
}

void icond_from_ctx(Arena *a, const HText *h, uint32_t ctx, uint32_t base,
		    ICond *c)
{
	/* outermost first, so that c_if reads in the header's order */
	uint32_t chain[256] = {0}; /* zeroed: cppcheck cannot tie it to n */
	size_t n = 0;
	icond_init(c);
	while (ctx != HCTX_NONE && ctx != base && n < ARRAY_LEN(chain)) {
		if (h->ctxs[ctx].group != HCTX_NONE && h->ctxs[ctx].group != h->guard_group)
			chain[n++] = ctx;
		ctx = h->ctxs[ctx].parent;
	}
	while (n--) {
		const HCtx *x = &h->ctxs[chain[n]];
		and_branch(a, c, &h->groups[x->group], x->branch);
	}
}

/* The C text of a context chain, as the header writes it: for a verbatim
 * block that cannot carry the condition as `only`. */
void icond_ctx_text(Buf *b, const HText *h, uint32_t ctx, uint32_t base)
{
	uint32_t chain[256] = {0}; /* zeroed: cppcheck cannot tie it to n */
	size_t n = 0, nt = 0, i;
	bool first = true;
	const char *terms[512];
	bool negs[512] = {false};
	while (ctx != HCTX_NONE && ctx != base && n < ARRAY_LEN(chain)) {
		if (h->ctxs[ctx].group != HCTX_NONE && h->ctxs[ctx].group != h->guard_group)
			chain[n++] = ctx;
		ctx = h->ctxs[ctx].parent;
	}
	while (n--) {
		const HCtx *x = &h->ctxs[chain[n]];
		const HGroup *g = &h->groups[x->group];
		uint32_t k;
		for (k = 0; k <= x->branch && nt < ARRAY_LEN(terms); k++) {
			if (k == x->branch && !g->branches[k])
				break;
			terms[nt] = g->branches[k];
			negs[nt++] = k < x->branch;
		}
	}
	for (i = 0; i < nt; i++) {
		/* one term as it is; several, each in parentheses */
		bool paren = nt > 1 || negs[i];
		buf_printf(b, "%s%s%s%s%s", first ? "" : " && ", negs[i] ? "!" : "",
			   paren ? "(" : "", terms[i], paren ? ")" : "");
		first = false;
	}
	if (first)
		buf_puts(b, "1");
}

/* ---- As a spec's `only` -------------------------------------------------------------- */

static DocNode *str_node(Arena *a, const char *s)
{
	return doc_new_string(a, NO_LOC, s, strlen(s));
}

static void put(Arena *a, DocNode *t, const char *key, DocNode *v)
{
	doc_table_add(a, t, key, strlen(key), NO_LOC, v);
}

static DocNode *strings(Arena *a, const char *const *v, size_t n)
{
	DocNode *arr = doc_new(a, DOC_ARRAY, NO_LOC);
	size_t i;
	arr->flags = DOC_F_INLINE;
	for (i = 0; i < n; i++)
		doc_array_push(a, arr, str_node(a, v[i]));
	return arr;
}

static DocNode *int_node(Arena *a, uint64_t v)
{
	DocNode *n = doc_new(a, DOC_INTEGER, NO_LOC);
	n->u.i = (int64_t)v;
	return n;
}

static DocNode *bool_node(Arena *a, bool v)
{
	DocNode *n = doc_new(a, DOC_BOOL, NO_LOC);
	n->u.b = v;
	return n;
}

static const unsigned arch_targets[NARCH] = {
	1u << TGT_X86_32 | 1u << TGT_X86_64, 1u << TGT_ARM32 | 1u << TGT_ARM64,
	1u << TGT_RISCV64, 1u << TGT_PPC64LE,
};

DocNode *icond_doc(Arena *a, const ICond *c)
{
	DocNode *t;
	const char **nd = NULL;
	size_t nnd = 0, i;
	if (icond_always(c))
		return NULL;
	t = doc_new(a, DOC_TABLE, NO_LOC);
	t->flags = DOC_F_INLINE;
	if (c->targets != TARGETS_ALL) {
		/* whole architectures, or the targets themselves */
		const char *names[NTARGETS];
		size_t n = 0;
		int ar, tg;
		bool whole = true;
		for (ar = 0; ar < NARCH; ar++) {
			unsigned m = c->targets & arch_targets[ar];
			if (m && m != arch_targets[ar])
				whole = false;
			else if (m)
				names[n++] = arch_name(ar);
		}
		if (!whole) {
			n = 0;
			for (tg = 0; tg < NTARGETS; tg++)
				if (c->targets >> tg & 1u)
					names[n++] = targets[tg].name;
		}
		put(a, t, whole ? "archs" : "targets", strings(a, names, n));
	}
	switch (c->configs) {
	case CFG_BITS_ALL:
		break;
	case CFG_BIT_TOOLS | CFG_BIT_HYP:
		put(a, t, "tools", bool_node(a, true));
		break;
	case CFG_BIT_HYP:
		put(a, t, "hypervisor", bool_node(a, true));
		break;
	case CFG_BIT_TOOLS:
		put(a, t, "tools", bool_node(a, true));
		add_name(a, &nd, &nnd, "__XEN__");
		break;
	case CFG_BIT_GUEST:
		add_name(a, &nd, &nnd, "__XEN__");
		add_name(a, &nd, &nnd, "__XEN_TOOLS__");
		break;
	case CFG_BIT_GUEST | CFG_BIT_TOOLS:
		add_name(a, &nd, &nnd, "__XEN__");
		break;
	case CFG_BIT_GUEST | CFG_BIT_HYP:
		add_name(a, &nd, &nnd, "__XEN_TOOLS__");
		break;
	default:
		break;
	}
	if (c->since)
		put(a, t, "since", int_node(a, c->since));
	if (c->until)
		put(a, t, "until", int_node(a, c->until));
	if (c->assembly >= 0)
		put(a, t, "assembly", bool_node(a, c->assembly == 1));
	if (c->ndefined)
		put(a, t, "defined", strings(a, c->defined, c->ndefined));
	for (i = 0; i < c->nnot_defined; i++)
		add_name(a, &nd, &nnd, c->not_defined[i]);
	if (nnd)
		put(a, t, "not_defined", strings(a, nd, nnd));
	if (c->c_if)
		put(a, t, "c_if", str_node(a, c->c_if));
	return t;
}

/* ---- Does a condition hold in a view? --------------------------------------------- */

int icond_holds(const ICond *c, int target, int config, uint32_t version,
		uint32_t latest)
{
	unsigned bit;
	if (c->never)
		return 0;
	if (!(c->targets >> target & 1u))
		return 0;
	switch (config) {
	case CFG_TOOLS: bit = CFG_BIT_TOOLS; version = latest; break;
	case CFG_HYPERVISOR: bit = CFG_BIT_HYP; version = latest; break;
	default: bit = CFG_BIT_GUEST; break;
	}
	if (!(c->configs & bit))
		return 0;
	if (c->since && version < c->since)
		return 0;
	if (c->until && version >= c->until)
		return 0;
	if (c->assembly >= 0 && c->assembly != (config == CFG_ASM))
		return 0;
	if (c->ndefined || c->nnot_defined || c->c_if)
		return -1; /* depends on what the view cannot tell */
	return 1;
}
