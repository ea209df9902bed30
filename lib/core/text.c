/* text.c - the links, mentions and hashtags of a record's text */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "text.h"
#include "utf8.h"

/* What an ASCII byte is to the rules (see text.h). */
enum {
	A_WORD = 1,		/* letter, digit, '_' */
	A_LETTER = 2,
	A_GLUE = 4,		/* joins words: no token starts after it */
	A_HANDLE = 8,		/* in a handle: letter, digit, '_', '.', '-' */
	A_END = 16,		/* ends a link */
	A_TRAIL = 32,		/* left out at a link's end */
	A_START = 64		/* may start a token: h H @ # u / */
};

/* The letters and digits, '_', and the flags they all share. */
#define W (A_WORD | A_GLUE | A_HANDLE)
#define L (W | A_LETTER)
#define H A_HANDLE
#define G A_GLUE
#define E A_END
#define T A_TRAIL
#define S A_START
static const unsigned char ascii[128] = {
	E, E, E, E, E, E, E, E,	/* 00 .. 07 */
	E, E, E, E, E, E, E, E,	/* 08 .. 0f */
	E, E, E, E, E, E, E, E,	/* 10 .. 17 */
	E, E, E, E, E, E, E, E,	/* 18 .. 1f */
	E, T, E, G|S, G, G, G, T,	/* sp .. ' */
	0, 0, G|T, G, T, H|G, H|G|T, G|S,	/* ( .. / */
	W, W, W, W, W, W, W, W,	/* 0 .. 7 */
	W, W, T, T, E, G, E, T,	/* 8 .. ? */
	G|S, L, L, L, L, L, L, L,	/* @ .. G */
	L|S, L, L, L, L, L, L, L,	/* H .. O */
	L, L, L, L, L, L, L, L,	/* P .. W */
	L, L, L, 0, G, 0, G, W,	/* X .. _ */
	G, L, L, L, L, L, L, L,	/* ` .. g */
	L|S, L, L, L, L, L, L, L,	/* h .. o */
	L, L, L, L, L, L|S, L, L,	/* p .. w */
	L, L, L, 0, G, 0, G, E,	/* x .. 7f */
};
#undef W
#undef L
#undef H
#undef G
#undef E
#undef T
#undef S

/* A bad byte: not a code point, so nothing to any rule. */
#define CP_BAD 0x110000u

static unsigned aflags(unsigned char c)
{
	return ascii[c];
}

/* The code point at s[i] into *cp (CP_BAD for a bad byte); returns its
 * length, at least 1. */
static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s + i;
	size_t k;

	if (*p < 0x80) {
		*cp = *p;
		return 1;
	}
	if ((k = cm_utf8_valid_prefix(p, n - i)) == 0) {
		*cp = CP_BAD;
		return 1;
	}
	*cp = cm_utf8_decode(p, k);
	return k;
}

/* The code point that ends at s[i] (i > 0), CP_BAD when the bytes before
 * i are no whole sequence; *k its length. */
static uint32_t cp_before(const char *s, size_t i, size_t *k)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t j, len;

	*k = 1;
	if (p[i - 1] < 0x80)
		return p[i - 1];
	for (j = 1; j <= 4 && j <= i; j++) {
		if ((p[i - j] & 0xc0) == 0x80)
			continue;
		len = cm_utf8_valid_prefix(p + i - j, j);
		if (len != j)
			return CP_BAD;
		*k = j;
		return cm_utf8_decode(p + i - j, j);
	}
	return CP_BAD;
}

static uint32_t gc_mask(uint32_t cp)
{
	return cp == CP_BAD ? 0 : (uint32_t)U_GET_GC_MASK((UChar32)cp);
}

#define GC_WORD (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)

/* Whether cp joins words (see text.h). */
static int glue(uint32_t cp)
{
	if (cp < 0x80)
		return (aflags((unsigned char)cp) & A_GLUE) != 0;
	return (gc_mask(cp) & GC_WORD) != 0;
}

static int word_start(const char *s, size_t i)
{
	size_t k;

	return i == 0 || !glue(cp_before(s, i, &k));
}

/* s[i] starts a handle's first character, or a domain's. */
static int handle_first(const char *s, size_t n, size_t i, int domain)
{
	uint32_t cp;

	if (i >= n)
		return 0;
	if ((unsigned char)s[i] < 0x80)
		return (aflags((unsigned char)s[i]) & A_WORD) != 0;
	if (!domain)
		return 0;
	cp_at(s, n, i, &cp);
	return (gc_mask(cp) & GC_WORD) != 0;
}

static int link_at(const char *s, size_t n, size_t i, struct cm_text_token *t)
{
	size_t j, e, k, scheme, open[3] = { 0, 0, 0 }, close[3] = { 0, 0, 0 };
	uint32_t cp;

	if (n - i < 7 || (s[i + 1] | 0x20) != 't' || (s[i + 2] | 0x20) != 't' ||
	    (s[i + 3] | 0x20) != 'p')
		return 0;
	scheme = (s[i + 4] | 0x20) == 's' ? 8 : 7;
	if (n - i < scheme || s[i + scheme - 3] != ':' ||
	    s[i + scheme - 2] != '/' || s[i + scheme - 1] != '/')
		return 0;
	for (j = i + scheme; j < n; j += k) {
		unsigned char c = (unsigned char)s[j];

		if (c < 0x80) {
			if (aflags(c) & A_END)
				break;
			open[0] += c == '(';
			open[1] += c == '[';
			open[2] += c == '{';
			close[0] += c == ')';
			close[1] += c == ']';
			close[2] += c == '}';
			k = 1;
			continue;
		}
		k = cp_at(s, n, j, &cp);
		if (cp == CP_BAD || u_isUWhiteSpace((UChar32)cp) ||
		    (gc_mask(cp) & U_GC_CC_MASK))
			break;
	}
	/* its trailing punctuation, and brackets that close nothing in it */
	for (e = j; e > i + scheme; e -= k) {
		int b;

		cp = cp_before(s, e, &k);
		if (cp < 0x80) {
			b = cp == ')' ? 0 : cp == ']' ? 1 : cp == '}' ? 2 : -1;
			if (b >= 0 && close[b] > open[b]) {
				close[b]--;
				continue;
			}
			if (aflags((unsigned char)cp) & A_TRAIL)
				continue;
			break;
		}
		if (!(gc_mask(cp) & U_GC_P_MASK))
			break;
	}
	if (e == i + scheme)
		return 0;
	t->kind = CM_TEXT_LINK;
	t->off = t->voff = i;
	t->len = t->vlen = e - i;
	return 1;
}

/* '@' at s[i]: "@jane", "@jane.bsky.social", "@jane@fosstodon.org". */
static int mention_at(const char *s, size_t n, size_t i,
    struct cm_text_token *t)
{
	size_t j, e, k;
	int domain = 0;
	uint32_t cp;
	UErrorCode uerr = U_ZERO_ERROR;

	if (!handle_first(s, n, i + 1, 0) || !word_start(s, i))
		return 0;
	for (j = i + 1; j < n; j += k) {
		unsigned char c = (unsigned char)s[j];

		k = 1;
		if (c < 0x80) {
			if (aflags(c) & A_HANDLE)
				continue;
			if (c == '@' && !domain && handle_first(s, n, j + 1, 1)) {
				domain = 1;
				continue;
			}
			break;
		}
		if (!domain)
			break;
		k = cp_at(s, n, j, &cp);
		if (!(gc_mask(cp) & GC_WORD))
			break;
	}
	/* "@j\u00e9r\u00f4me" is no handle "j" (Japanese "@acme\u3055\u3093"
	 * is "acme") */
	if (!domain && j < n && (unsigned char)s[j] >= 0x80) {
		cp_at(s, n, j, &cp);
		if ((gc_mask(cp) & U_GC_L_MASK) &&
		    uscript_getScript((UChar32)cp, &uerr) == USCRIPT_LATIN)
			return 0;
	}
	for (e = j; s[e - 1] == '.' || s[e - 1] == '-'; e--)
		;
	t->kind = CM_TEXT_MENTION;
	t->off = i;
	t->len = e - i;
	t->voff = i + 1;
	t->vlen = e - i - 1;
	return 1;
}

/* Reddit's "u/NAME" at s[i], or "/u/NAME". */
static int reddit_at(const char *s, size_t n, size_t i,
    struct cm_text_token *t)
{
	size_t v = i + (s[i] == '/' ? 3 : 2), j;

	if (v >= n || (s[i] == '/' && s[i + 1] != 'u') || s[v - 1] != '/' ||
	    !handle_first(s, n, v, 0) || !word_start(s, i))
		return 0;
	for (j = v; j < n && ((unsigned char)s[j] < 0x80 &&
	    ((aflags((unsigned char)s[j]) & A_WORD) || s[j] == '-')); j++)
		;
	t->kind = CM_TEXT_MENTION;
	t->off = i;
	t->len = j - i;
	t->voff = v;
	t->vlen = j - v;
	return 1;
}

static int tag_at(const char *s, size_t n, size_t i, struct cm_text_token *t)
{
	size_t j, e, k;
	int letter = 0;
	uint32_t cp, m;

	if (!word_start(s, i))
		return 0;
	for (j = e = i + 1; j < n; j += k) {
		unsigned char c = (unsigned char)s[j];

		k = 1;
		if (c < 0x80) {
			if (!(aflags(c) & A_WORD))
				break;
			letter |= (aflags(c) & A_LETTER) != 0;
			e = j + 1;
			continue;
		}
		k = cp_at(s, n, j, &cp);
		if (cp == 0x200c || cp == 0x200d)
			continue;	/* joiners of Persian and Indic words */
		if (!((m = gc_mask(cp)) & GC_WORD))
			break;
		letter |= (m & U_GC_L_MASK) != 0;
		e = j + k;
	}
	if (!letter)
		return 0;
	t->kind = CM_TEXT_TAG;
	t->off = i;
	t->len = e - i;
	t->voff = i + 1;
	t->vlen = e - i - 1;
	return 1;
}

int cm_text_token_at(const char *s, size_t n, size_t i,
    struct cm_text_token *t)
{
	unsigned char c;

	if (i >= n || (c = (unsigned char)s[i]) >= 0x80 ||
	    !(aflags(c) & A_START))
		return 0;
	switch (c) {
	case 'h':
	case 'H':
		return link_at(s, n, i, t);
	case '@':
		return mention_at(s, n, i, t);
	case '#':
		return tag_at(s, n, i, t);
	default:
		return reddit_at(s, n, i, t);
	}
}

int cm_text_next(const char *s, size_t n, size_t *pos,
    struct cm_text_token *t)
{
	size_t i;

	int found;

	/* the common letters h and u are seen not to start one here, at
	 * the cost of a byte, before a call */
	for (i = *pos; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80 ||
		    !(ascii[(unsigned char)s[i]] & A_START))
			continue;
		switch (s[i]) {
		case 'h':
		case 'H':
			found = i + 1 < n && (s[i + 1] | 0x20) == 't' &&
			    link_at(s, n, i, t);
			break;
		case 'u':
			found = i + 1 < n && s[i + 1] == '/' &&
			    reddit_at(s, n, i, t);
			break;
		case '/':
			found = i + 1 < n && s[i + 1] == 'u' &&
			    reddit_at(s, n, i, t);
			break;
		case '@':
			found = mention_at(s, n, i, t);
			break;
		case '#':
			found = tag_at(s, n, i, t);
			break;
		default:
			continue;
		}
		if (found) {
			*pos = t->off + t->len;
			return 1;
		}
	}
	*pos = n;
	return 0;
}

static uint32_t lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if (cp == CP_BAD)
		return 0xfffd;
	return (uint32_t)u_tolower((UChar32)cp);
}

/* Whether two tags are the same lower-cased. */
static int same_lower(const char *s, const struct cm_text_span *a,
    const struct cm_text_span *b)
{
	size_t i = a->off, j = b->off, ea = a->off + a->len,
	    eb = b->off + b->len;
	uint32_t x, y;

	if (a->len == b->len && memcmp(s + a->off, s + b->off, a->len) == 0)
		return 1;
	while (i < ea && j < eb) {
		i += cp_at(s, ea, i, &x);
		j += cp_at(s, eb, j, &y);
		if (lower(x) != lower(y))
			return 0;
	}
	return i == ea && j == eb;
}

static void add_span(const char *s, struct cm_text_span *v, size_t *nv,
    size_t off, size_t len, int fold)
{
	struct cm_text_span x = { off, len };
	size_t i;

	if (*nv >= CM_TEXT_FIELD_MAX)
		return;
	for (i = 0; i < *nv; i++)
		if (fold ? same_lower(s, &v[i], &x) : v[i].len == len &&
		    memcmp(s + v[i].off, s + off, len) == 0)
			return;
	v[*nv] = x;
	(*nv)++;
}

void cm_text_fields(const char *s, size_t n, struct cm_text_fields *f)
{
	struct cm_text_token t;
	size_t pos = 0;

	f->ntags = f->nmentions = f->nlinks = 0;
	while (cm_text_next(s, n, &pos, &t))
		switch (t.kind) {
		case CM_TEXT_LINK:
			add_span(s, f->links, &f->nlinks, t.voff, t.vlen, 0);
			break;
		case CM_TEXT_MENTION:
			add_span(s, f->mentions, &f->nmentions, t.voff, t.vlen,
			    0);
			break;
		case CM_TEXT_TAG:
			add_span(s, f->tags, &f->ntags, t.voff, t.vlen, 1);
			break;
		}
}

/* The length of s[0..n) lower-cased, and the lower case written at p
 * (which must have room for it), returning its end. */
static size_t lower_len(const char *s, size_t n)
{
	size_t i, len = 0;
	unsigned char enc[4];
	uint32_t cp;

	for (i = 0; i < n;)
		if ((unsigned char)s[i] < 0x80) {
			len++;
			i++;
		} else {
			i += cp_at(s, n, i, &cp);
			len += cm_utf8_encode(lower(cp), enc);
		}
	return len;
}

static char *lower_put(char *p, const char *s, size_t n)
{
	size_t i;
	uint32_t cp;

	for (i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			*p++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
		} else {
			i += cp_at(s, n, i, &cp);
			p += cm_utf8_encode(lower(cp), (unsigned char *)p);
		}
	}
	return p;
}

static int ascii_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

int cm_text_lower(struct cm_buf *out, const char *s, size_t n)
{
	size_t len = ascii_only(s, n) ? n : lower_len(s, n);

	if (cm_buf_reserve(out, len) < 0)
		return -1;
	lower_put(out->data + out->len, s, n);
	out->len += len;
	out->data[out->len] = '\0';
	return 0;
}

/*
 * A tag or a handle is letters, digits and "_.-@" and a link has no
 * control character, no '"' and no bad byte: of JSON's escapes only a
 * link's '\\' is needed.  So the length is known and written at once.
 */
int cm_text_fields_json(struct cm_buf *out, const char *s,
    const struct cm_text_fields *f, enum cm_text_kind kind)
{
	const struct cm_text_span *v = kind == CM_TEXT_TAG ? f->tags :
	    kind == CM_TEXT_MENTION ? f->mentions : f->links;
	size_t nv = kind == CM_TEXT_TAG ? f->ntags :
	    kind == CM_TEXT_MENTION ? f->nmentions : f->nlinks;
	size_t i, j, need = 2;
	char *p;

	for (i = 0; i < nv; i++) {
		const char *x = s + v[i].off;

		need += 3;
		if (kind == CM_TEXT_TAG && !ascii_only(x, v[i].len))
			need += lower_len(x, v[i].len);
		else
			need += v[i].len;
		if (kind == CM_TEXT_LINK)
			for (j = 0; j < v[i].len; j++)
				need += x[j] == '\\';
	}
	if (cm_buf_reserve(out, need) < 0)
		return -1;
	p = out->data + out->len;
	*p++ = '[';
	for (i = 0; i < nv; i++) {
		const char *x = s + v[i].off;

		if (i > 0)
			*p++ = ',';
		*p++ = '"';
		if (kind == CM_TEXT_TAG)
			p = lower_put(p, x, v[i].len);
		else if (kind == CM_TEXT_MENTION)
			p = (char *)memcpy(p, x, v[i].len) + v[i].len;
		else
			for (j = 0; j < v[i].len; j++) {
				if (x[j] == '\\')
					*p++ = '\\';
				*p++ = x[j];
			}
		*p++ = '"';
	}
	*p++ = ']';
	out->len = (size_t)(p - out->data);
	*p = '\0';
	return 0;
}
