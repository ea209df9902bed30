/* json.c - strict, validating, tree-free JSON scanner for one record line */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && !defined(CM_JSON_NO_SIMD)
#define USE_SSE2 1
#include <emmintrin.h>
#endif

#include "json.h"
#include "utf8.h"

/*
 * The compiled paths form a trie of segments.  While scanning, each open
 * container that lies on some path (a "live" container) remembers its trie
 * node; those containers are always the outermost ones, so they fit in a
 * small stack of MAX_SEGS + 1 entries.  Every other container costs one bit
 * (object or array) in a bit stack of HARD_DEPTH bits, 16 KiB, on the C
 * stack: no recursion and no allocation, whatever the input.
 */
#define MAX_SEGS 64		/* segments in one path */
#define HARD_DEPTH (1 << 17)	/* the largest max_depth honoured */
#define NO_NODE (-1)

struct node {
	const char *name;	/* the segment, NUL-terminated */
	size_t len;
	long index;		/* the array index it names, or -1 */
	int child;		/* first child, or NO_NODE */
	int next;		/* next sibling, or NO_NODE */
	int index_children;	/* some child has index >= 0 */
	/* ord[term_lo..term_hi): the paths ending here; ord[sub_lo..sub_hi):
	 * those ending here or below, reset when a member name repeats. */
	size_t term_lo, term_hi, sub_lo, sub_hi;
};

struct cm_json_paths {
	size_t n;
	struct node *nodes;	/* nodes[0] is the root: the whole line */
	size_t *ord;		/* path indices in depth-first trie order */
	char *names;		/* storage for the segments */
};

static void paths_order(struct cm_json_paths *cp, const int *term,
    const int *tnext, int ni, size_t *pos)
{
	struct node *nd = &cp->nodes[ni];
	int i, c;

	nd->term_lo = nd->sub_lo = *pos;
	for (i = term[ni]; i >= 0; i = tnext[i])
		cp->ord[(*pos)++] = (size_t)i;
	nd->term_hi = *pos;
	/* Recursion is bounded by MAX_SEGS. */
	for (c = nd->child; c != NO_NODE; c = cp->nodes[c].next)
		paths_order(cp, term, tnext, c, pos);
	nd->sub_hi = *pos;
}

/*
 * The array index a segment names: decimal digits without a leading zero
 * ("00" and "01" only name members, so at most one child of a node
 * matches a given index), or -1.
 */
static long seg_index(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (len > 9 || (len > 1 && s[0] == '0'))
		return -1;	/* no line holds that many elements */
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

struct cm_json_paths *cm_json_paths_new(const char *const *paths, size_t n)
{
	struct cm_json_paths *cp;
	size_t i, total = 0, nsegs = 1, pos = 0;
	int *term = NULL, *tnext = NULL, *tlast = NULL, nn = 1;
	char *s, *seg, *dot;

	for (i = 0; i < n; i++) {
		const char *q = paths[i];
		size_t k = 1;

		if (*q == '\0')
			goto invalid;
		for (; *q; q++)
			if (*q == '.')
				k++;
		if (k > MAX_SEGS)
			goto invalid;
		nsegs += k;
		total += (size_t)(q - paths[i]) + 1;
	}
	if (n > (size_t)1 << 24) {
		errno = ENOMEM;
		return NULL;
	}
	if ((cp = calloc(1, sizeof(*cp))) == NULL)
		return NULL;
	cp->n = n;
	if ((cp->nodes = calloc(nsegs, sizeof(*cp->nodes))) == NULL ||
	    (cp->ord = calloc(n + 1, sizeof(*cp->ord))) == NULL ||
	    (cp->names = malloc(total + 1)) == NULL ||
	    (term = malloc(nsegs * sizeof(*term))) == NULL ||
	    (tlast = malloc(nsegs * sizeof(*tlast))) == NULL ||
	    (tnext = malloc((n + 1) * sizeof(*tnext))) == NULL)
		goto fail;
	cp->nodes[0].child = cp->nodes[0].next = NO_NODE;
	cp->nodes[0].index = -1;
	cp->nodes[0].name = "";
	term[0] = tlast[0] = -1;
	s = cp->names;
	for (i = 0; i < n; i++) {
		int cur = 0;

		strcpy(s, paths[i]);
		for (seg = s; seg != NULL; seg = dot ? dot + 1 : NULL) {
			size_t len;
			int c, *link;

			if ((dot = strchr(seg, '.')) != NULL)
				*dot = '\0';
			if ((len = strlen(seg)) == 0)
				goto invalid_free;
			link = &cp->nodes[cur].child;
			for (c = *link; c != NO_NODE; c = cp->nodes[c].next) {
				if (cp->nodes[c].len == len &&
				    memcmp(cp->nodes[c].name, seg, len) == 0)
					break;
				link = &cp->nodes[c].next;
			}
			if (c == NO_NODE) {
				/* Appended: siblings stay in first-seen order. */
				c = nn++;
				cp->nodes[c].name = seg;
				cp->nodes[c].len = len;
				cp->nodes[c].index = seg_index(seg, len);
				cp->nodes[c].child = cp->nodes[c].next = NO_NODE;
				term[c] = tlast[c] = -1;
				*link = c;
				if (cp->nodes[c].index >= 0)
					cp->nodes[cur].index_children = 1;
			}
			cur = c;
		}
		tnext[i] = -1;
		if (tlast[cur] < 0)
			term[cur] = (int)i;
		else
			tnext[tlast[cur]] = (int)i;
		tlast[cur] = (int)i;
		s += strlen(paths[i]) + 1;
	}
	paths_order(cp, term, tnext, 0, &pos);
	free(term);
	free(tlast);
	free(tnext);
	return cp;
invalid_free:
	free(term);
	free(tlast);
	free(tnext);
	cm_json_paths_free(cp);
invalid:
	errno = EINVAL;
	return NULL;
fail:
	free(term);
	free(tlast);
	free(tnext);
	cm_json_paths_free(cp);
	errno = ENOMEM;
	return NULL;
}

void cm_json_paths_free(struct cm_json_paths *cp)
{
	if (cp == NULL)
		return;
	free(cp->nodes);
	free(cp->ord);
	free(cp->names);
	free(cp);
}

/* Bytes that end a plain run inside a string. */
static const unsigned char str_stop[256] = {
	[0x00 ... 0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
	[0x80 ... 0xff] = 1,
};

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The value of 4 hex digits at p, or -1. */
static long hex4(const unsigned char *p)
{
	int a = hexval(p[0]), b = hexval(p[1]), c = hexval(p[2]),
	    d = hexval(p[3]);

	if ((a | b | c | d) < 0)
		return -1;
	return (long)a << 12 | b << 8 | c << 4 | d;
}

/* Whether p[0..n) could begin "\uXXXX": the input ended inside it. */
static int uescape_prefix(const unsigned char *p, size_t n)
{
	size_t i;

	if (n >= 1 && p[0] != '\\')
		return 0;
	if (n >= 2 && p[1] != 'u')
		return 0;
	for (i = 2; i < n && i < 6; i++)
		if (hexval(p[i]) < 0)
			return 0;
	return n < 6;
}

/*
 * A run of bytes needing no attention inside a string: returns the first
 * byte at or after p that is a quote, a backslash, a control character or
 * not ASCII, or end.
 */
static inline __attribute__((always_inline)) const unsigned char *
str_run(const unsigned char *p, const unsigned char *end)
{
#ifdef USE_SSE2
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(' ');

	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* A signed compare with ' ' catches both controls and bytes
		 * >= 0x80. */
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(x, quote),
		    _mm_cmpeq_epi8(x, bslash)), _mm_cmplt_epi8(x, space)));

		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;

	while (end - p >= 8) {
		uint64_t x, q, b, t;

		memcpy(&x, p, 8);
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		/* High bit set in t for each byte that is a quote, a
		 * backslash, below 0x20, or >= 0x80 (may also flag bytes
		 * after such a byte: the byte loop below sorts it out). */
		t = ((q - ones) | (b - ones) | (x - ones * 0x20) | x) & high;
		if (t)
			break;
		p += 8;
	}
#endif
	while (p < end && !str_stop[*p])
		p++;
	return p;
}

/*
 * Scans the rest of a string whose opening quote is just before p.
 * Returns a pointer past the closing quote, or NULL with *msg and *at set.
 * *esc is set when the string holds a backslash.
 */
static inline __attribute__((always_inline)) const unsigned char *
scan_str(const unsigned char *p, const unsigned char *end, int *esc,
    const char **msg, const unsigned char **at)
{
	long cp, lo;
	size_t k;

	for (;;) {
		p = str_run(p, end);
		if (p == end)
			goto eof;
		if (*p == '"')
			return p + 1;
		if (*p == '\\') {
			*esc = 1;
			if (end - p < 2)
				goto eof;
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p += 2;
				continue;
			case 'u':
				break;
			default:
				*msg = "invalid escape";
				goto err;
			}
			if (end - p < 6) {
				if (uescape_prefix(p, (size_t)(end - p)))
					goto eof;
				*msg = "invalid escape";
				goto err;
			}
			if ((cp = hex4(p + 2)) < 0) {
				*msg = "invalid escape";
				goto err;
			}
			if (cp < 0xd800 || cp > 0xdfff) {
				p += 6;
				continue;
			}
			if (cp >= 0xdc00) {
				*msg = "lone surrogate";
				goto err;
			}
			/* A high surrogate: a low one must follow. */
			if (end - p < 12) {
				if (uescape_prefix(p + 6, (size_t)(end - p - 6)))
					goto eof;
				*msg = "lone surrogate";
				goto err;
			}
			if (p[6] != '\\' || p[7] != 'u' ||
			    (lo = hex4(p + 8)) < 0xdc00 || lo > 0xdfff) {
				*msg = "lone surrogate";
				goto err;
			}
			p += 12;
			continue;
		}
		if (*p < 0x20) {
			*msg = "control character in string";
			goto err;
		}
		do {
			if ((k = cm_utf8_valid_prefix(p, (size_t)(end - p))) == 0) {
				*msg = "invalid UTF-8 in string";
				goto err;
			}
			p += k;
		} while (p < end && *p >= 0x80);
	}
eof:
	*msg = "unexpected end of input";
	*at = end;
	return NULL;
err:
	*at = p;
	return NULL;
}

/*
 * Whether the string body raw[0..rlen) (between the quotes, from a valid
 * scan) decodes to s[0..slen).  Allocates nothing.
 */
static int str_eq(const unsigned char *raw, size_t rlen, const char *s,
    size_t slen)
{
	const unsigned char *p = raw, *end = raw + rlen, *run;
	const unsigned char *q = (const unsigned char *)s, *qend = q + slen;
	unsigned char enc[4];
	long cp, lo;
	size_t k;

	while (p < end) {
		run = p;
		while (p < end && *p != '\\')
			p++;
		k = (size_t)(p - run);
		if (k > (size_t)(qend - q) || memcmp(run, q, k) != 0)
			return 0;
		q += k;
		if (p == end)
			break;
		if (end - p < 2)
			return 0;
		switch (p[1]) {
		case 'b': enc[0] = '\b'; k = 1; break;
		case 'f': enc[0] = '\f'; k = 1; break;
		case 'n': enc[0] = '\n'; k = 1; break;
		case 'r': enc[0] = '\r'; k = 1; break;
		case 't': enc[0] = '\t'; k = 1; break;
		case 'u':
			if (end - p < 6 || (cp = hex4(p + 2)) < 0)
				return 0;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 12 &&
			    p[6] == '\\' && p[7] == 'u' &&
			    (lo = hex4(p + 8)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				return 0;
			}
			k = cm_utf8_encode((uint32_t)cp, enc);
			p += 4;
			break;
		default:
			enc[0] = p[1];
			k = 1;
			break;
		}
		p += 2;
		if (k > (size_t)(qend - q) || memcmp(enc, q, k) != 0)
			return 0;
		q += k;
	}
	return q == qend;
}

/* The child of nd named by the member name raw[0..len) (between the
 * quotes; esc when it holds a backslash), or NULL. */
static inline const struct node *
match_name(const struct node *nodes, const struct node *nd,
    const unsigned char *raw, size_t len, int esc)
{
	const struct node *c;
	int i;

	for (i = nd->child; i != NO_NODE; i = c->next) {
		c = &nodes[i];
		if (esc) {
			if (str_eq(raw, len, c->name, c->len))
				return c;
		} else if (c->len == len && c->name[0] == (char)raw[0] &&
		    memcmp(c->name, raw, len) == 0) {
			/* c->len > 0, so raw[0] is inside the name */
			return c;
		}
	}
	return NULL;
}

static inline const struct node *
match_index(const struct node *nodes, const struct node *nd, long index)
{
	int i;

	for (i = nd->child; i != NO_NODE; i = nodes[i].next)
		if (nodes[i].index == index)
			return &nodes[i];
	return NULL;
}

static inline void record(const struct cm_json_paths *cp,
    const struct node *nd, struct cm_json_value *out, enum cm_json_type type,
    const unsigned char *start, const unsigned char *end)
{
	size_t k;

	for (k = nd->term_lo; k < nd->term_hi; k++) {
		out[cp->ord[k]].type = type;
		out[cp->ord[k]].raw = (const char *)start;
		out[cp->ord[k]].len = (size_t)(end - start);
	}
}

#define IS_WS(c) ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')
#define SKIP_WS() do { \
	while (p < end && *p <= ' ' && IS_WS(*p)) \
		p++; \
} while (0)
#define FAIL(m, where) do { \
	msg = (m); \
	at = (where); \
	goto fail; \
} while (0)

int cm_json_scan(const char *line, size_t len, int max_depth,
    const struct cm_json_paths *cp, struct cm_json_value *out,
    struct cm_json_error *err)
{
	const unsigned char *base = (const unsigned char *)(line ? line : "");
	const unsigned char *p = base, *end = base + (line ? len : 0);
	const unsigned char *at, *vstart;
	uint64_t kinds[HARD_DEPTH / 64];	/* bit set: an object */
	struct {
		const struct node *node;
		const unsigned char *start;
		long index;
	} lv[MAX_SEGS + 1];
	const struct node *want = NULL, *nodes = NULL;
	size_t depth = 0, live = 0, maxd, k;
	enum cm_json_type type;
	const char *msg;
	int in_obj = 0, esc;

	maxd = max_depth <= 0 ? CM_JSON_DEFAULT_DEPTH :
	    max_depth > HARD_DEPTH ? HARD_DEPTH : (size_t)max_depth;
	if (cp != NULL) {
		for (k = 0; k < cp->n; k++)
			out[k].type = CM_JSON_NONE;
		nodes = cp->nodes;
		if (nodes[0].child != NO_NODE)
			want = &nodes[0];
	}

	SKIP_WS();
value:
	/* A value starts at p; want is the trie node it matches, if any. */
	if (p == end)
		FAIL("unexpected end of input", p);
	vstart = p;
	switch (*p) {
	case '"':
		esc = 0;
		if ((p = scan_str(p + 1, end, &esc, &msg, &at)) == NULL)
			goto fail;
		type = CM_JSON_STRING;
		break;
	case '{':
	case '[':
		if (depth >= maxd)
			FAIL("nesting too deep", p);
		if (in_obj)
			kinds[(depth - 1) >> 6] |= (uint64_t)1 << ((depth - 1) & 63);
		else if (depth > 0)
			kinds[(depth - 1) >> 6] &= ~((uint64_t)1 << ((depth - 1) & 63));
		in_obj = *p == '{';
		if (want != NULL) {
			/* Only a live container's children can match, so
			 * the live ones are the outermost: live == depth. */
			lv[live].node = want;
			lv[live].start = p;
			lv[live].index = 0;
			live++;
		}
		depth++;
		p++;
		SKIP_WS();
		if (p == end)
			FAIL("unexpected end of input", p);
		if (*p == (in_obj ? '}' : ']'))
			goto close;
		if (in_obj)
			goto member;
		want = live == depth && lv[live - 1].node->index_children ?
		    match_index(nodes, lv[live - 1].node, 0) : NULL;
		goto value;
	case 't':
		if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
			p += 4;
			type = CM_JSON_TRUE;
			break;
		}
		goto literal;
	case 'f':
		if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
			p += 5;
			type = CM_JSON_FALSE;
			break;
		}
		goto literal;
	case 'n':
		if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
			p += 4;
			type = CM_JSON_NULL;
			break;
		}
		goto literal;
	case '-': case '0': case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		if (*p == '-')
			p++;
		if (p == end)
			FAIL("invalid number", p);
		if (*p == '0') {
			p++;
			if (p < end && *p >= '0' && *p <= '9')
				FAIL("invalid number", p);	/* leading zero */
		} else if (*p >= '1' && *p <= '9') {
			p++;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
		} else {
			FAIL("invalid number", p);
		}
		if (p < end && *p == '.') {
			p++;
			if (p == end || *p < '0' || *p > '9')
				FAIL("invalid number", p);
			while (p < end && *p >= '0' && *p <= '9')
				p++;
		}
		if (p < end && (*p == 'e' || *p == 'E')) {
			p++;
			if (p < end && (*p == '+' || *p == '-'))
				p++;
			if (p == end || *p < '0' || *p > '9')
				FAIL("invalid number", p);
			while (p < end && *p >= '0' && *p <= '9')
				p++;
		}
		type = CM_JSON_NUMBER;
		break;
	default:
		FAIL("expected value", p);
	}
	if (want != NULL && want->term_lo != want->term_hi)
		record(cp, want, out, type, vstart, p);

after:
	/* A value ended just before p. */
	SKIP_WS();
	if (depth == 0) {
		if (p != end)
			FAIL("trailing characters after value", p);
		return 0;
	}
	if (p == end)
		FAIL("unexpected end of input", p);
	if (*p == ',') {
		p++;
		SKIP_WS();
		if (in_obj)
			goto member;
		want = NULL;
		if (live == depth) {
			lv[live - 1].index++;
			if (lv[live - 1].node->index_children)
				want = match_index(nodes, lv[live - 1].node,
				    lv[live - 1].index);
		}
		goto value;
	}
	if (*p == (in_obj ? '}' : ']'))
		goto close;
	FAIL(in_obj ? "expected ',' or '}'" : "expected ',' or ']'", p);

member:
	/* A member name at p, in the object at depth. */
	if (p == end)
		FAIL("unexpected end of input", p);
	if (*p != '"')
		FAIL("expected member name", p);
	vstart = p + 1;
	esc = 0;
	if ((p = scan_str(p + 1, end, &esc, &msg, &at)) == NULL)
		goto fail;
	want = NULL;
	if (live == depth && lv[live - 1].node->child != NO_NODE &&
	    (want = match_name(nodes, lv[live - 1].node, vstart,
	    (size_t)(p - 1 - vstart), esc)) != NULL) {
		/* The last of repeated members wins, also for what was
		 * found inside an earlier one. */
		for (k = want->sub_lo; k < want->sub_hi; k++)
			out[cp->ord[k]].type = CM_JSON_NONE;
	}
	SKIP_WS();
	if (p == end)
		FAIL("unexpected end of input", p);
	if (*p != ':')
		FAIL("expected ':'", p);
	p++;
	SKIP_WS();
	goto value;

close:
	/* *p closes the container at depth. */
	p++;
	if (live == depth) {
		live--;
		if (lv[live].node->term_lo != lv[live].node->term_hi)
			record(cp, lv[live].node, out, in_obj ? CM_JSON_OBJECT :
			    CM_JSON_ARRAY, lv[live].start, p);
	}
	depth--;
	if (depth > 0)
		in_obj = (int)(kinds[(depth - 1) >> 6] >> ((depth - 1) & 63) & 1);
	goto after;

literal:
	{
		static const char *const lits[] = { "true", "false", "null" };
		const char *l = lits[*p == 't' ? 0 : *p == 'f' ? 1 : 2];
		size_t n = (size_t)(end - p);

		/* A cut-off literal is a truncated line, not a bad one. */
		if (n < strlen(l) && memcmp(p, l, n) == 0)
			FAIL("unexpected end of input", end);
		FAIL("invalid literal", p);
	}

fail:
	if (err != NULL) {
		err->offset = (size_t)(at - base);
		err->msg = msg;
	}
	return -1;
}

int cm_json_get(const char *line, size_t len, const char *path,
    struct cm_json_value *out)
{
	struct cm_json_paths one;
	struct node nodes[MAX_SEGS + 1];
	struct cm_json_error err;
	size_t ord[1] = { 0 }, n = 0, i;
	const char *s = path, *dot;

	/* A one-path trie on the stack: a chain of nodes whose names point
	 * into path (matching uses lengths, so they need no NUL). */
	out->type = CM_JSON_NONE;
	memset(nodes, 0, sizeof(nodes));
	nodes[0].name = "";
	for (;;) {
		dot = strchr(s, '.');
		if (n == MAX_SEGS)
			return 0;
		n++;
		nodes[n].name = s;
		nodes[n].len = dot ? (size_t)(dot - s) : strlen(s);
		if (nodes[n].len == 0)
			return 0;
		nodes[n].index = seg_index(s, nodes[n].len);
		nodes[n - 1].index_children = nodes[n].index >= 0;
		if (dot == NULL)
			break;
		s = dot + 1;
	}
	for (i = 0; i <= n; i++) {
		nodes[i].child = i < n ? (int)i + 1 : NO_NODE;
		nodes[i].next = NO_NODE;
		nodes[i].term_lo = 0;
		nodes[i].term_hi = i == n ? 1 : 0;
		nodes[i].sub_lo = 0;
		nodes[i].sub_hi = 1;
	}
	nodes[0].index = -1;
	one.n = 1;
	one.nodes = nodes;
	one.ord = ord;
	one.names = NULL;
	if (cm_json_scan(line, len, 0, &one, out, &err) < 0) {
		out->type = CM_JSON_NONE;
		return 0;
	}
	return out->type != CM_JSON_NONE;
}

static size_t skip_ws(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/* The end of the valid value that starts at s[i], and its type. */
static size_t value_end(const char *s, size_t i, size_t n,
    enum cm_json_type *type)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t depth = 0;

	switch (s[i]) {
	case '"':
		*type = CM_JSON_STRING;
		break;
	case '{':
		*type = CM_JSON_OBJECT;
		break;
	case '[':
		*type = CM_JSON_ARRAY;
		break;
	case 't':
		*type = CM_JSON_TRUE;
		return i + 4;
	case 'f':
		*type = CM_JSON_FALSE;
		return i + 5;
	case 'n':
		*type = CM_JSON_NULL;
		return i + 4;
	default:
		*type = CM_JSON_NUMBER;
		while (i < n && strchr("+-0123456789.eE", s[i]) && s[i])
			i++;
		return i;
	}
	/* A string, or a container: count brackets outside strings. */
	do {
		if (s[i] == '"') {
			const unsigned char *p = u + i + 1, *end = u + n;

			for (;;) {
				p = str_run(p, end);
				if (p >= end)
					return n;
				if (*p == '\\')
					p += 2;
				else if (*p == '"')
					break;
				else
					p++;
			}
			i = (size_t)(p - u) + 1;
			continue;
		}
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		i++;
	} while (depth > 0 && i < n);
	return i;
}

int cm_json_each(const struct cm_json_value *c, size_t *pos,
    struct cm_json_value *key, struct cm_json_value *elem)
{
	const char *s = c->raw;
	size_t n = c->len, i = *pos, e;
	enum cm_json_type t;

	if (c->type != CM_JSON_ARRAY && c->type != CM_JSON_OBJECT)
		return 0;
	if (i == 0)
		i = skip_ws(s, 0, n) + 1;	/* past the bracket */
	i = skip_ws(s, i, n);
	if (i < n && s[i] == ',')
		i = skip_ws(s, i + 1, n);
	if (i >= n || s[i] == ']' || s[i] == '}') {
		*pos = n;
		return 0;
	}
	if (c->type == CM_JSON_OBJECT) {
		e = value_end(s, i, n, &t);
		if (key) {
			key->type = CM_JSON_STRING;
			key->raw = s + i;
			key->len = e - i;
		}
		i = skip_ws(s, e, n);
		i = skip_ws(s, i + 1, n);	/* past the colon */
	}
	e = value_end(s, i, n, &t);
	elem->type = t;
	elem->raw = s + i;
	elem->len = e - i;
	*pos = e;
	return 1;
}

int cm_json_string(const struct cm_json_value *v, struct cm_buf *out)
{
	const unsigned char *p, *end, *run;
	unsigned char enc[4];
	size_t oldlen = out->len;
	long cp, lo;

	if (v->type != CM_JSON_STRING || v->len < 2 || v->raw[0] != '"' ||
	    v->raw[v->len - 1] != '"')
		return -1;
	p = (const unsigned char *)v->raw + 1;
	end = (const unsigned char *)v->raw + v->len - 1;
	/* The decoded string is never longer than its raw body; a reserve
	 * refused by out's limit is not an error yet. */
	(void)cm_buf_reserve(out, (size_t)(end - p));
	if (cm_buf_add(out, "", 0) < 0)
		return -1;
	while (p < end) {
		run = p;
		if ((p = memchr(p, '\\', (size_t)(end - p))) == NULL)
			p = end;
		if (cm_buf_add(out, run, (size_t)(p - run)) < 0)
			goto fail;
		if (p == end)
			break;
		if (end - p < 2)
			goto bad;
		switch (p[1]) {
		case '"': case '\\': case '/':
			enc[0] = p[1];
			break;
		case 'b': enc[0] = '\b'; break;
		case 'f': enc[0] = '\f'; break;
		case 'n': enc[0] = '\n'; break;
		case 'r': enc[0] = '\r'; break;
		case 't': enc[0] = '\t'; break;
		case 'u':
			if (end - p < 6 || (cp = hex4(p + 2)) < 0)
				goto bad;
			p += 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    (lo = hex4(p + 2)) < 0xdc00 || lo > 0xdfff)
					goto bad;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				goto bad;
			}
			if (cm_buf_add(out, enc,
			    cm_utf8_encode((uint32_t)cp, enc)) < 0)
				goto fail;
			continue;
		default:
			goto bad;
		}
		if (cm_buf_addc(out, (char)enc[0]) < 0)
			goto fail;
		p += 2;
	}
	return 0;
bad:
	errno = EINVAL;
fail:
	/* Leave out as it was. */
	out->len = oldlen;
	if (out->data != NULL)
		out->data[oldlen] = '\0';
	return -1;
}

/* Whether raw[0..len) is a number per RFC 8259: the scanner's rule,
 * checked again for values that did not come from a scan. */
static int is_number(const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len;

	if (p < end && *p == '-')
		p++;
	if (p == end || *p < '0' || *p > '9')
		return 0;
	if (*p++ != '0')
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		if (++p == end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	return p == end;
}

int cm_json_int64(const struct cm_json_value *v, int64_t *out)
{
	const char *p, *end;
	uint64_t acc = 0, limit;
	int neg = 0;

	if (v->type != CM_JSON_NUMBER || !is_number(v->raw, v->len))
		return -1;
	p = v->raw;
	end = p + v->len;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	/* Exact: digits accumulate in 64 bits, never through a double. */
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end; p++) {
		unsigned d;

		if (*p < '0' || *p > '9')
			return -1;	/* a fraction or an exponent */
		d = (unsigned)(*p - '0');
		if (acc > (limit - d) / 10)
			return -1;
		acc = acc * 10 + d;
	}
	if (neg)
		*out = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)acc;
	else
		*out = (int64_t)acc;
	return 0;
}

int cm_json_double(const struct cm_json_value *v, double *out)
{
	static locale_t c_locale;
	locale_t loc, none = (locale_t)0;
	char sbuf[128], *buf = sbuf, *end;
	int r;

	if (v->type != CM_JSON_NUMBER || !is_number(v->raw, v->len))
		return -1;
	/* strtod under the "C" locale, whatever the program's LC_NUMERIC:
	 * one locale object for the process, created on first use. */
	if ((loc = __atomic_load_n(&c_locale, __ATOMIC_ACQUIRE)) == none) {
		if ((loc = newlocale(LC_ALL_MASK, "C", none)) == none)
			return -1;
		if (!__atomic_compare_exchange_n(&c_locale, &none, loc, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			freelocale(loc);
			loc = none;	/* set to the winner's by the failed CAS */
		}
	}
	if (v->len >= sizeof(sbuf) && (buf = malloc(v->len + 1)) == NULL)
		return -1;
	memcpy(buf, v->raw, v->len);
	buf[v->len] = '\0';
	*out = strtod_l(buf, &end, loc);
	r = end == buf + v->len ? 0 : -1;
	if (buf != sbuf)
		free(buf);
	return r;
}

int cm_json_bool(const struct cm_json_value *v)
{
	return v->type == CM_JSON_TRUE ? 1 : v->type == CM_JSON_FALSE ? 0 : -1;
}

int cm_json_string_eq(const struct cm_json_value *v, const char *s)
{
	if (v->type != CM_JSON_STRING || v->len < 2 || v->raw[0] != '"' ||
	    v->raw[v->len - 1] != '"')
		return 0;
	return str_eq((const unsigned char *)v->raw + 1, v->len - 2, s,
	    strlen(s));
}
