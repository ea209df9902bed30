/* json.c - strict, validating, tree-free JSON scanner for one record line */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

/*
 * Paths are matched while scanning: for each open container at levels up
 * to MAX_SEGS, a bit mask says which paths still match the way down to it.
 * Below that no path can match, and only the container kinds are kept, as
 * bits, so nesting costs one bit per level.
 */
#define MAX_PATHS 64
#define MAX_SEGS 16
#define MAX_SEG_LEN 255
#define HARD_DEPTH 100000	/* the largest max_depth honoured */

struct seg {
	char *name;
	size_t len;
	long index;		/* >= 0 when the segment is all digits */
};

struct cm_json_paths {
	size_t n;
	struct {
		struct seg segs[MAX_SEGS];
		size_t nsegs;
	} p[MAX_PATHS];
};

struct cm_json_paths *cm_json_paths_new(const char *const *paths, size_t n)
{
	struct cm_json_paths *cp;
	size_t i, k;

	if (n > MAX_PATHS) {
		errno = EINVAL;
		return NULL;
	}
	if ((cp = calloc(1, sizeof(*cp))) == NULL)
		return NULL;
	cp->n = n;
	for (i = 0; i < n; i++) {
		const char *s = paths[i], *dot;

		do {
			size_t len;

			dot = strchr(s, '.');
			len = dot ? (size_t)(dot - s) : strlen(s);
			k = cp->p[i].nsegs;
			if (len == 0 || len > MAX_SEG_LEN || k == MAX_SEGS)
				goto invalid;
			if ((cp->p[i].segs[k].name = strndup(s, len)) == NULL)
				goto fail;
			cp->p[i].segs[k].len = len;
			cp->p[i].segs[k].index = -1;
			if (strspn(s, "0123456789") == len && len < 10)
				cp->p[i].segs[k].index = strtol(s, NULL, 10);
			cp->p[i].nsegs++;
			if (dot)
				s = dot + 1;
		} while (dot);
	}
	return cp;
invalid:
	errno = EINVAL;
fail:
	cm_json_paths_free(cp);
	return NULL;
}

void cm_json_paths_free(struct cm_json_paths *cp)
{
	size_t i, k;

	if (cp == NULL)
		return;
	for (i = 0; i < cp->n; i++)
		for (k = 0; k < cp->p[i].nsegs; k++)
			free(cp->p[i].segs[k].name);
	free(cp);
}

/* Byte classes inside strings: what ends the fast run. */
enum { C_PLAIN, C_QUOTE, C_ESC, C_CTRL, C_HIGH };
static const unsigned char str_class[256] = {
	[0 ... 0x1f] = C_CTRL,
	['"'] = C_QUOTE,
	['\\'] = C_ESC,
	[0x80 ... 0xff] = C_HIGH,
};

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static long hex4(const unsigned char *p)
{
	int a = hexval(p[0]), b = hexval(p[1]), c = hexval(p[2]),
	    d = hexval(p[3]);

	if ((a | b | c | d) < 0)
		return -1;
	return (long)a << 12 | b << 8 | c << 4 | d;
}

/* SWAR: whether any byte of x needs a closer look in a string. */
static int word_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return ((((q - ones) & ~q) | ((b - ones) & ~b) | (x - ones * 0x20) |
	    x) & high) != 0;
}

/*
 * Scans a string whose opening quote is at *pp; leaves *pp after the
 * closing quote.  *escaped is set when it holds a backslash.  Returns NULL
 * or an error message.
 */
static const char *scan_string(const unsigned char **pp,
    const unsigned char *end, int *escaped)
{
	const unsigned char *p = *pp + 1;
	long cp, lo;
	size_t k;

	for (;;) {
		while (end - p >= 8) {
			uint64_t w;

			memcpy(&w, p, 8);
			if (word_special(w))
				break;
			p += 8;
		}
		while (p < end && str_class[*p] == C_PLAIN)
			p++;
		if (p >= end) {
			*pp = p;
			return "unexpected end of input in string";
		}
		switch (str_class[*p]) {
		case C_QUOTE:
			*pp = p + 1;
			return NULL;
		case C_CTRL:
			*pp = p;
			return "control character in string";
		case C_HIGH:
			if ((k = cm_utf8_valid_prefix(p, (size_t)(end - p))) == 0) {
				*pp = p;
				return "invalid UTF-8 in string";
			}
			p += k;
			break;
		case C_ESC:
			*escaped = 1;
			if (end - p < 2) {
				*pp = p;
				return "unexpected end of input in string";
			}
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u':
				if (end - p < 6 || (cp = hex4(p + 2)) < 0) {
					*pp = p;
					return "invalid \\u escape";
				}
				if (cp >= 0xdc00 && cp <= 0xdfff) {
					*pp = p;
					return "lone surrogate";
				}
				p += 6;
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (end - p < 6 || p[0] != '\\' ||
					    p[1] != 'u' || (lo = hex4(p + 2)) < 0 ||
					    lo < 0xdc00 || lo > 0xdfff) {
						*pp = p - 6;
						return "lone surrogate";
					}
					p += 6;
				}
				break;
			default:
				*pp = p;
				return "invalid escape";
			}
			break;
		}
	}
}

static const char *scan_number(const unsigned char **pp,
    const unsigned char *end)
{
	const unsigned char *p = *pp;

	if (p < end && *p == '-')
		p++;
	if (p >= end)
		goto bad;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	} else {
		goto bad;
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9')
			goto bad;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			goto bad;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	*pp = p;
	return NULL;
bad:
	*pp = p;
	return "invalid number";
}

/* Decodes a member name with escapes into buf; returns its length, or
 * -1 when it does not fit (then it cannot match any segment). */
static long decode_key(const unsigned char *p, const unsigned char *end,
    char *buf, size_t size)
{
	struct cm_json_value v = { CM_JSON_STRING, (const char *)p,
	    (size_t)(end - p) };
	struct cm_buf b = CM_BUF_INIT;
	long n = -1;

	/* A small stack buffer would do, but cm_json_string is the one
	 * decoder; keys with escapes are rare. */
	b.limit = size;
	if (cm_json_string(&v, &b) == 0 && b.len <= size) {
		memcpy(buf, b.data ? b.data : "", b.len);
		n = (long)b.len;
	}
	cm_buf_free(&b);
	return n;
}

struct level {
	uint64_t mask;		/* paths matching down to this container */
	uint64_t term;		/* paths ending at the value started here */
	long index;		/* next array index */
	const unsigned char *start;
};

/* The paths among mask whose segment at depth d names this member. */
static uint64_t match_key(const struct cm_json_paths *cp, uint64_t mask,
    size_t d, const unsigned char *key, size_t klen, int escaped,
    uint64_t *term, struct cm_json_value *out)
{
	uint64_t m = 0, bit;
	char buf[MAX_SEG_LEN];
	long n;
	size_t i;

	if (escaped) {
		if ((n = decode_key(key - 1, key + klen + 1, buf, sizeof(buf))) < 0)
			return 0;
		key = (const unsigned char *)buf;
		klen = (size_t)n;
	}
	*term = 0;
	for (i = 0; i < cp->n; i++) {
		bit = (uint64_t)1 << i;
		if (!(mask & bit) || d >= cp->p[i].nsegs)
			continue;
		if (cp->p[i].segs[d].len != klen ||
		    memcmp(cp->p[i].segs[d].name, key, klen) != 0)
			continue;
		m |= bit;
		/* A later member of the same name replaces an earlier one,
		 * also for what was found below it. */
		out[i].type = CM_JSON_NONE;
		if (d + 1 == cp->p[i].nsegs)
			*term |= bit;
	}
	return m;
}

static uint64_t match_index(const struct cm_json_paths *cp, uint64_t mask,
    size_t d, long index, uint64_t *term)
{
	uint64_t m = 0, bit;
	size_t i;

	*term = 0;
	for (i = 0; i < cp->n; i++) {
		bit = (uint64_t)1 << i;
		if (!(mask & bit) || d >= cp->p[i].nsegs ||
		    cp->p[i].segs[d].index != index)
			continue;
		m |= bit;
		if (d + 1 == cp->p[i].nsegs)
			*term |= bit;
	}
	return m;
}

static void record(struct cm_json_value *out, uint64_t term,
    enum cm_json_type type, const unsigned char *start,
    const unsigned char *end)
{
	while (term) {
		int i = __builtin_ctzll(term);

		out[i].type = type;
		out[i].raw = (const char *)start;
		out[i].len = (size_t)(end - start);
		term &= term - 1;
	}
}

int cm_json_scan(const char *line, size_t len, int max_depth,
    const struct cm_json_paths *cp, struct cm_json_value *out,
    struct cm_json_error *err)
{
	const unsigned char *base = (const unsigned char *)line;
	const unsigned char *p = base, *end = base + len, *vstart;
	unsigned char kinds[HARD_DEPTH / 8 + 1];	/* 1: object */
	struct level lv[MAX_SEGS + 2];
	size_t depth = 0, i;
	uint64_t mask;
	enum cm_json_type type;
	const char *msg;
	int escaped;

	if (max_depth <= 0)
		max_depth = CM_JSON_DEFAULT_DEPTH;
	if (max_depth > HARD_DEPTH)
		max_depth = HARD_DEPTH;
	if (cp)
		for (i = 0; i < cp->n; i++)
			out[i].type = CM_JSON_NONE;
	lv[0].mask = cp && cp->n ? (cp->n == 64 ? ~(uint64_t)0 :
	    ((uint64_t)1 << cp->n) - 1) : 0;
	lv[0].term = 0;

	while (p < end && is_ws(*p))
		p++;
value:
	/* A value starts at p; its level is depth. */
	if (p >= end) {
		msg = "unexpected end of input";
		goto fail;
	}
	vstart = p;
	if (depth <= MAX_SEGS)
		lv[depth].start = p;
	switch (*p) {
	case '{':
	case '[':
		if (depth >= (size_t)max_depth) {
			msg = "nesting too deep";
			goto fail;
		}
		if (*p == '{')
			kinds[depth / 8] |= (unsigned char)(1u << (depth % 8));
		else
			kinds[depth / 8] &= (unsigned char)~(1u << (depth % 8));
		mask = depth <= MAX_SEGS ? lv[depth].mask : 0;
		depth++;
		if (depth <= MAX_SEGS) {
			lv[depth].mask = 0;
			lv[depth].term = 0;
			lv[depth].index = 0;
		}
		p++;
		while (p < end && is_ws(*p))
			p++;
		if (p < end && (*p == '}' || *p == ']'))
			goto close;
		if (kinds[(depth - 1) / 8] >> ((depth - 1) % 8) & 1)
			goto member;
		if (depth <= MAX_SEGS) {
			lv[depth].mask = mask ? match_index(cp, mask, depth - 1, 0,
			    &lv[depth].term) : 0;
			if (!mask)
				lv[depth].term = 0;
		}
		goto value;
	case '"':
		escaped = 0;
		if ((msg = scan_string(&p, end, &escaped)) != NULL)
			goto fail_at_p;
		type = CM_JSON_STRING;
		break;
	case 't':
		if (end - p < 4 || memcmp(p, "true", 4) != 0)
			goto bad_literal;
		p += 4;
		type = CM_JSON_TRUE;
		break;
	case 'f':
		if (end - p < 5 || memcmp(p, "false", 5) != 0)
			goto bad_literal;
		p += 5;
		type = CM_JSON_FALSE;
		break;
	case 'n':
		if (end - p < 4 || memcmp(p, "null", 4) != 0)
			goto bad_literal;
		p += 4;
		type = CM_JSON_NULL;
		break;
	default:
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			if ((msg = scan_number(&p, end)) != NULL)
				goto fail_at_p;
			type = CM_JSON_NUMBER;
			break;
		}
		msg = "unexpected character";
		goto fail;
	}
	if (depth <= MAX_SEGS && lv[depth].term)
		record(out, lv[depth].term, type, vstart, p);
after:
	/* A value at level depth is complete. */
	if (depth == 0) {
		while (p < end && is_ws(*p))
			p++;
		if (p != end) {
			msg = "trailing characters after value";
			goto fail;
		}
		return 0;
	}
	while (p < end && is_ws(*p))
		p++;
	if (p >= end) {
		msg = "unexpected end of input";
		goto fail;
	}
	if (kinds[(depth - 1) / 8] >> ((depth - 1) % 8) & 1) {
		if (*p == '}')
			goto close;
		if (*p != ',') {
			msg = "expected ',' or '}'";
			goto fail;
		}
		p++;
		while (p < end && is_ws(*p))
			p++;
		goto member;
	}
	if (*p == ']')
		goto close;
	if (*p != ',') {
		msg = "expected ',' or ']'";
		goto fail;
	}
	p++;
	while (p < end && is_ws(*p))
		p++;
	if (depth <= MAX_SEGS) {
		mask = lv[depth - 1].mask;
		lv[depth].index++;
		lv[depth].term = 0;
		lv[depth].mask = mask ? match_index(cp, mask, depth - 1,
		    lv[depth].index, &lv[depth].term) : 0;
	}
	goto value;

member:
	/* A member name at p, inside the object at level depth - 1. */
	if (p >= end || *p != '"') {
		msg = p >= end ? "unexpected end of input" :
		    "expected member name";
		goto fail;
	}
	{
		const unsigned char *key = p + 1;

		escaped = 0;
		if ((msg = scan_string(&p, end, &escaped)) != NULL)
			goto fail_at_p;
		if (depth <= MAX_SEGS) {
			mask = lv[depth - 1].mask;
			lv[depth].term = 0;
			lv[depth].mask = mask ? match_key(cp, mask, depth - 1,
			    key, (size_t)(p - 1 - key), escaped,
			    &lv[depth].term, out) : 0;
		}
	}
	while (p < end && is_ws(*p))
		p++;
	if (p >= end || *p != ':') {
		msg = p >= end ? "unexpected end of input" : "expected ':'";
		goto fail;
	}
	p++;
	while (p < end && is_ws(*p))
		p++;
	goto value;

close:
	/* *p closes the container opened at level depth - 1. */
	if ((*p == '}') != (int)(kinds[(depth - 1) / 8] >> ((depth - 1) % 8) &
	    1)) {
		msg = "mismatched bracket";
		goto fail;
	}
	p++;
	depth--;
	if (depth <= MAX_SEGS && lv[depth].term)
		record(out, lv[depth].term,
		    (kinds[depth / 8] >> (depth % 8) & 1) ? CM_JSON_OBJECT :
		    CM_JSON_ARRAY, lv[depth].start, p);
	goto after;

bad_literal:
	msg = "invalid literal";
	goto fail;
fail_at_p:
	err->offset = (size_t)(p - base);
	err->msg = msg;
	return -1;
fail:
	err->offset = (size_t)(p - base);
	err->msg = msg;
	return -1;
}

int cm_json_get(const char *line, size_t len, const char *path,
    struct cm_json_value *out)
{
	struct cm_json_paths *cp;
	struct cm_json_error err;
	int r;

	if ((cp = cm_json_paths_new(&path, 1)) == NULL)
		return 0;
	r = cm_json_scan(line, len, 0, cp, out, &err);
	cm_json_paths_free(cp);
	return r == 0 && out->type != CM_JSON_NONE;
}

int cm_json_string(const struct cm_json_value *v, struct cm_buf *out)
{
	const unsigned char *p, *end, *run;
	unsigned char enc[4];
	long cp, lo;
	char c;

	if (v->type != CM_JSON_STRING || v->len < 2)
		return -1;
	p = (const unsigned char *)v->raw + 1;
	end = (const unsigned char *)v->raw + v->len - 1;
	if (cm_buf_reserve(out, 0) < 0)
		return -1;
	while (p < end) {
		run = p;
		while (p < end && *p != '\\')
			p++;
		if (cm_buf_add(out, run, (size_t)(p - run)) < 0)
			return -1;
		if (p >= end)
			break;
		if (end - p < 2)
			return -1;
		switch (p[1]) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (end - p < 6 || (cp = hex4(p + 2)) < 0)
				return -1;
			p += 6;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = hex4(p + 2)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;	/* unpaired: never from a valid scan */
			}
			if (cm_buf_add(out, enc,
			    cm_utf8_encode((uint32_t)cp, enc)) < 0)
				return -1;
			continue;
		default: c = (char)p[1]; break;
		}
		if (cm_buf_addc(out, c) < 0)
			return -1;
		p += 2;
	}
	return 0;
}

int cm_json_int64(const struct cm_json_value *v, int64_t *out)
{
	const char *p, *end;
	uint64_t acc = 0, limit;
	int neg = 0;

	if (v->type != CM_JSON_NUMBER || v->len == 0)
		return -1;
	p = v->raw;
	end = p + v->len;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p == end)
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;	/* a fraction or an exponent */
		if (acc > (limit - (uint64_t)(*p - '0')) / 10)
			return -1;
		acc = acc * 10 + (uint64_t)(*p - '0');
	}
	*out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

int cm_json_double(const struct cm_json_value *v, double *out)
{
	static locale_t c_locale;
	char buf[64], *end;

	if (v->type != CM_JSON_NUMBER || v->len == 0 || v->len >= sizeof(buf))
		return -1;
	if (c_locale == (locale_t)0 &&
	    (c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		return -1;
	memcpy(buf, v->raw, v->len);
	buf[v->len] = '\0';
	*out = strtod_l(buf, &end, c_locale);
	return *end == '\0' ? 0 : -1;
}

int cm_json_bool(const struct cm_json_value *v)
{
	return v->type == CM_JSON_TRUE ? 1 : v->type == CM_JSON_FALSE ? 0 : -1;
}

int cm_json_string_eq(const struct cm_json_value *v, const char *s)
{
	size_t n = strlen(s);
	struct cm_buf b = CM_BUF_INIT;
	int eq;

	if (v->type != CM_JSON_STRING || v->len < 2)
		return 0;
	if (memchr(v->raw, '\\', v->len) == NULL)
		return v->len - 2 == n && memcmp(v->raw + 1, s, n) == 0;
	/* Escaped: decode, bounded by the length of s. */
	b.limit = n + 8;
	eq = cm_json_string(v, &b) == 0 && b.len == n &&
	    memcmp(b.data, s, n) == 0;
	cm_buf_free(&b);
	return eq;
}
