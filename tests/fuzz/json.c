/*
 * json.c - libFuzzer harness for the strict JSON scanner, checked against
 * libjq 1.6: cm must never accept what libjq refuses, may refuse what
 * libjq accepts only for a documented leniency of libjq's (see
 * tests/fixtures/json-differences.txt), and every value it extracts must
 * be the one libjq finds under the same path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/*
 * libjq 1.6 leaks part of its state on parse errors (fixed in 1.7).  It
 * has no frame pointers, so with the fast unwinder (needed for speed here)
 * jv_parser_next is not on the recorded stack: all of libjq's leaks are
 * overlooked.  tests/unit/jsondiff.c keeps the narrow suppression.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:jv_parser_next\nleak:libjq.so\n";
}

const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

/*
 * libjq 1.6 refuses to open a container when 256 are open, counting an
 * object whose member value is being read twice; 128 containers can never
 * reach that, so with this limit whatever cm accepts libjq must accept.
 */
#define DEPTH 128

static const char *const paths[] = {
	"a", "b", "a.a", "a.b", "0", "1", "0.0", "a.0", "0.a", "1.b.0",
	"\xc3\xa9", "a\"b", "id", "author.followers", "text", "A.\\",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static int jq_valid(const uint8_t *s, size_t n)
{
	jv_parser *p = jv_parser_new(0);
	jv v;
	int values = 0, error = 0;

	jv_parser_set_buf(p, (const char *)s, (int)n, 0);
	while (jv_is_valid(v = jv_parser_next(p))) {
		values++;
		jv_free(v);
	}
	if (jv_invalid_has_msg(jv_copy(v)))
		error = 1;
	jv_free(v);
	jv_parser_free(p);
	return values == 1 && !error;
}

/* Well-formed UTF-8 at p (Unicode Table 3-7), written apart from
 * lib/core/utf8.c so that it checks it: the sequence's length, or 0. */
static size_t utf8_ok(const uint8_t *p, size_t n)
{
	uint8_t lo = 0x80, hi = 0xbf;
	size_t k, i;

	if (n == 0)
		return 0;
	if (p[0] <= 0x7f)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < k || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < k; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return k;
}

/*
 * Walks s[0..x) as the scanner got through it without error: whether x is
 * inside a string, and how many containers are open there.
 */
static int in_string_at(const uint8_t *s, size_t x, int *open)
{
	size_t i;
	int in = 0;

	*open = 0;
	for (i = 0; i < x; i++) {
		if (in) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in = 0;
		} else if (s[i] == '"') {
			in = 1;
		} else if (s[i] == '[' || s[i] == '{') {
			(*open)++;
		} else if (s[i] == ']' || s[i] == '}') {
			(*open)--;
		}
	}
	return in;
}

/* Bytes that end a literal token for libjq 1.6. */
static int jq_sep(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' ||
	    c == '[' || c == ']' || c == '{' || c == '}' || c == ',' ||
	    c == ':' || c == 0x1e;
}

static int ieq(const uint8_t *p, size_t n, const char *w)
{
	size_t i;

	if (n != strlen(w))
		return 0;
	for (i = 0; i < n; i++)
		if ((p[i] | 0x20) != w[i])
			return 0;
	return 1;
}

static int digits(const uint8_t *p, size_t n, size_t *i)
{
	size_t s = *i;

	while (*i < n && p[*i] >= '0' && p[*i] <= '9')
		(*i)++;
	return *i > s;
}

/* RFC 8259's number. */
static int strict_number(const uint8_t *p, size_t n)
{
	size_t i = 0, s;

	if (i < n && p[i] == '-')
		i++;
	s = i;
	if (!digits(p, n, &i) || (p[s] == '0' && i - s > 1))
		return 0;
	if (i < n && p[i] == '.') {
		i++;
		if (!digits(p, n, &i))
			return 0;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (!digits(p, n, &i))
			return 0;
	}
	return i == n;
}

/* What libjq 1.6's strtod also takes: a sign, leading zeros, a missing
 * integer or fraction part ("+.5", "01", "1.", "1.e5"). */
static int lenient_number(const uint8_t *p, size_t n)
{
	size_t i = 0;
	int a, b = 0;

	if (i < n && (p[i] == '-' || p[i] == '+'))
		i++;
	a = digits(p, n, &i);
	if (i < n && p[i] == '.') {
		i++;
		b = digits(p, n, &i);
	}
	if (!a && !b)
		return 0;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (!digits(p, n, &i))
			return 0;
	}
	return i == n;
}

/*
 * cm refused s at x with msg while libjq accepted the line: returns 1 when
 * what sits at x is one of libjq's documented leniencies, 0 otherwise.
 */
static int known_difference(const uint8_t *s, size_t n, size_t x,
    const char *msg)
{
	size_t a, b, nul, t0;
	int open, in = in_string_at(s, x, &open);

	if (strcmp(msg, "nesting too deep") == 0)
		return !in && x < n && (s[x] == '[' || s[x] == '{') &&
		    open == DEPTH;
	if (strcmp(msg, "invalid UTF-8 in string") == 0)
		return in && x < n && utf8_ok(s + x, n - x) == 0;
	if (strcmp(msg, "control character in string") == 0)
		return in && x < n && (s[x] == 0x00 || s[x] == 0x1f);
	if (strcmp(msg, "lone surrogate") == 0) {
		/* A low surrogate escape not after a high one. */
		return in && n - x >= 6 && s[x] == '\\' && s[x + 1] == 'u' &&
		    (s[x + 2] | 0x20) == 'd' && strchr("cdefCDEF", s[x + 3]) &&
		    s[x + 3] != '\0';
	}
	if (in)
		return 0;
	/* A byte order mark opening the line: libjq skips it. */
	if (x == 0 && n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 1;
	/* RS after the value: libjq's record separator, which also drops
	 * anything unfinished before it ("0 {\x1e"). */
	if (strcmp(msg, "trailing characters after value") == 0 && x < n &&
	    memchr(s + x, 0x1e, n - x) != NULL)
		return 1;
	/* Otherwise libjq read the literal token [a, b) holding x, or, for a
	 * number cut short ("1."), ending at x, with strtod. */
	if (x < n && !jq_sep(s[x])) {
		for (b = x; b < n && !jq_sep(s[b]); b++)
			;
	} else if (strcmp(msg, "invalid number") == 0 && x > 0 &&
	    !jq_sep(s[x - 1])) {
		b = x;
	} else {
		return 0;
	}
	for (a = x; a > 0 && !jq_sep(s[a - 1]); a--)
		;
	for (nul = a; nul < b && s[nul] != '\0'; nul++)
		;
	if (nul < b && x >= nul)
		return 1;	/* at or after a NUL that ends libjq's token */
	for (t0 = a; t0 < nul && (s[t0] == '\f' || s[t0] == '\v'); t0++)
		;
	if (x < t0)
		return 1;	/* a form feed or vertical tab strtod skips */
	if (strict_number(s + t0, nul - t0))
		return 0;	/* nothing wrong there: a cm bug */
	if (lenient_number(s + t0, nul - t0))
		return 1;
	if (nul > t0 && (s[t0] == '+' || s[t0] == '-'))
		t0++;
	return ieq(s + t0, nul - t0, "nan") || ieq(s + t0, nul - t0, "inf") ||
	    ieq(s + t0, nul - t0, "infinity");
}

/* Follows a dotted path through libjq's value (consumed), as cm does. */
static jv jq_get(jv v, const char *path)
{
	char seg[64];
	const char *p = path, *dot;
	size_t len;

	while (jv_is_valid(v)) {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		memcpy(seg, p, len);
		seg[len] = '\0';
		if (jv_get_kind(v) == JV_KIND_OBJECT) {
			jv k = jv_string(seg);

			if (jv_object_has(jv_copy(v), jv_copy(k)))
				v = jv_object_get(v, k);
			else {
				jv_free(v);
				jv_free(k);
				return jv_invalid();
			}
		} else if (jv_get_kind(v) == JV_KIND_ARRAY &&
		    strspn(seg, "0123456789") == len && len < 9 &&
		    (len == 1 || seg[0] != '0')) {
			int i = atoi(seg);

			if (i < jv_array_length(jv_copy(v)))
				v = jv_array_get(v, i);
			else {
				jv_free(v);
				return jv_invalid();
			}
		} else {
			jv_free(v);
			return jv_invalid();
		}
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return v;
}

static enum cm_json_type type_of(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL: return CM_JSON_NULL;
	case JV_KIND_FALSE: return CM_JSON_FALSE;
	case JV_KIND_TRUE: return CM_JSON_TRUE;
	case JV_KIND_NUMBER: return CM_JSON_NUMBER;
	case JV_KIND_STRING: return CM_JSON_STRING;
	case JV_KIND_ARRAY: return CM_JSON_ARRAY;
	case JV_KIND_OBJECT: return CM_JSON_OBJECT;
	default: return CM_JSON_NONE;
	}
}

/* Checks one extracted value against libjq's (j borrowed). */
static void check_value(const struct cm_json_value *v, jv j,
    const uint8_t *data, size_t size, struct cm_buf *b)
{
	size_t i, k;
	double d;
	int64_t n;

	if (!jv_is_valid(j)) {
		if (v->type != CM_JSON_NONE)
			abort();
		return;
	}
	if (v->type != type_of(j) || (const uint8_t *)v->raw < data ||
	    (const uint8_t *)v->raw + v->len > data + size)
		abort();
	switch (v->type) {
	case CM_JSON_STRING:
		cm_buf_reset(b);
		if (cm_json_string(v, b) < 0 || b->len > v->len - 2 ||
		    b->len != (size_t)jv_string_length_bytes(jv_copy(j)) ||
		    memcmp(b->data, jv_string_value(j), b->len) != 0)
			abort();
		for (i = 0; i < b->len; i += k)
			if ((k = utf8_ok((const uint8_t *)b->data + i,
			    b->len - i)) == 0)
				abort();
		if (memchr(b->data, '\0', b->len) == NULL &&
		    cm_json_string_eq(v, b->data) != 1)
			abort();
		break;
	case CM_JSON_NUMBER:
		if (cm_json_double(v, &d) < 0 || d != jv_number_value(j))
			abort();
		if (cm_json_int64(v, &n) == 0 && (double)n != d)
			abort();
		break;
	default: {
		jv mine = jv_parse_sized(v->raw, (int)v->len);

		if (!jv_equal(mine, jv_copy(j)))
			abort();
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cm_json_paths *cp;
	struct cm_json_value out[NPATHS], v;
	struct cm_json_error err;
	struct cm_buf b = CM_BUF_INIT;
	int cm, jq;
	size_t i;

	if (size > (1 << 20))
		return 0;
	if (cp == NULL && (cp = cm_json_paths_new(paths, NPATHS)) == NULL)
		abort();
	cm = cm_json_scan((const char *)data, size, DEPTH, cp, out, &err) == 0;
	if (!cm && (err.msg == NULL || err.offset > size))
		abort();
	jq = jq_valid(data, size);
	if (cm && !jq)
		abort();	/* cm accepted what libjq refuses */
	if (!cm && jq && !known_difference(data, size, err.offset, err.msg))
		abort();	/* an undocumented difference */
	if (cm) {
		jv root = jv_parse_sized((const char *)data, (int)size);

		if (cm_json_scan((const char *)data, size, 0, NULL, NULL,
		    &err) != 0)
			abort();
		for (i = 0; i < NPATHS; i++) {
			jv j = jq_get(jv_copy(root), paths[i]);

			check_value(&out[i], j, data, size, &b);
			if (cm_json_get((const char *)data, size, paths[i], &v) !=
			    (out[i].type != CM_JSON_NONE) ||
			    v.type != out[i].type || (v.type != CM_JSON_NONE &&
			    (v.raw != out[i].raw || v.len != out[i].len)))
				abort();
			jv_free(j);
		}
		jv_free(root);
	}
	cm_buf_free(&b);
	return 0;
}
