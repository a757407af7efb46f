/*
 * names.c - keyword tables and case conversion.
 */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

/* C89..C23 and C++ keywords, one sorted list (strcmp order). */
static const char *const c_keywords[] = {
	"_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex",
	"_Decimal128", "_Decimal32", "_Decimal64", "_Generic", "_Imaginary",
	"_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof",
	"and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
	"case", "catch", "char", "char16_t", "char32_t", "char8_t", "class",
	"co_await", "co_return", "co_yield", "compl", "concept", "const",
	"const_cast", "consteval", "constexpr", "constinit", "continue",
	"decltype", "default", "delete", "do", "double", "dynamic_cast",
	"else", "enum", "explicit", "export", "extern", "false", "float",
	"for", "friend", "goto", "if", "inline", "int", "long", "mutable",
	"namespace", "new", "noexcept", "not", "not_eq", "nullptr",
	"operator", "or", "or_eq", "private", "protected", "public",
	"register", "reinterpret_cast", "requires", "restrict", "return",
	"short", "signed", "sizeof", "static", "static_assert", "static_cast",
	"struct", "switch", "template", "this", "thread_local", "throw",
	"true", "try", "typedef", "typeid", "typename", "typeof",
	"typeof_unqual", "union", "unsigned", "using", "virtual", "void",
	"volatile", "wchar_t", "while", "xor", "xor_eq",
};

/* Rust strict, reserved and weak keywords, sorted (strcmp order). */
static const char *const rust_keywords[] = {
	"Self", "abstract", "as", "async", "await", "become", "box", "break",
	"const", "continue", "crate", "do", "dyn", "else", "enum", "extern",
	"false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
	"loop", "macro", "match", "mod", "move", "mut", "override", "priv",
	"pub", "ref", "return", "self", "static", "struct", "super", "trait",
	"true", "try", "type", "typeof", "union", "unsafe", "unsized", "use",
	"virtual", "where", "while", "yield",
};

static bool in_sorted(const char *s, const char *const *list, size_t n)
{
	/* The lists are short and sorted; bsearch keeps this O(log n). */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s, list[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool c_keyword(const char *s)
{
	return in_sorted(s, c_keywords, ARRAY_LEN(c_keywords));
}

bool rust_keyword(const char *s)
{
	return in_sorted(s, rust_keywords, ARRAY_LEN(rust_keywords));
}

bool rust_keyword_not_raw(const char *s)
{
	return strcmp(s, "self") == 0 || strcmp(s, "Self") == 0 ||
	       strcmp(s, "super") == 0 || strcmp(s, "crate") == 0;
}

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char to_upper(char c) { return (char)(is_lower(c) ? c - 32 : c); }
static char to_lower(char c) { return (char)(is_upper(c) ? c + 32 : c); }

void name_upper(Buf *b, const char *s)
{
	for (; *s; s++)
		buf_putc(b, to_upper(*s));
}

void name_snake(Buf *b, const char *s)
{
	const char *p;
	for (p = s; *p; p++) {
		if (is_upper(*p) && p > s && (is_lower(p[-1]) || is_digit(p[-1])))
			buf_putc(b, '_');
		buf_putc(b, to_lower(*p));
	}
}

void name_camel(Buf *b, const char *s)
{
	bool up = true;
	const char *p;
	size_t start = b->len;
	for (p = s; *p; p++) {
		if (*p == '_') {
			up = true;
			continue;
		}
		buf_putc(b, (char)(up ? to_upper(*p) : *p));
		up = false;
	}
	/* keep leading underscores' meaning: "_pad" -> "Pad"; an all-underscore
	 * or digit-led result is not a valid type name, so prefix it */
	if (b->len == start || is_digit(b->data[start])) {
		buf_putc(b, '_');
		memmove(b->data + start + 1, b->data + start, b->len - start - 1);
		b->data[start] = '_';
	}
}
