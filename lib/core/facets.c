/* facets.c - Bluesky's rich-text facets of a reply: mentions, links and
 * tags found as @atproto/api's RichText.detectFacets finds them */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>

#include "utf8.h"
#include "facets.h"

#define HANDLE_MAX 253		/* atproto handle syntax */
#define LABEL_MAX 63
#define TAG_MAX 64		/* UTF-16 units, as the client counts */

/* The code point at t[i] and its length; a byte that starts no valid
 * sequence is one byte, U+FFFD. */
static size_t cp_at(const char *t, size_t len, size_t i, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)t + i;
	size_t k = cm_utf8_valid_prefix(p, len - i);

	if (k == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = k == 1 ? p[0] : cm_utf8_decode(p, k);
	return k;
}

/* JavaScript's \s, which the client's patterns use. */
static int js_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0xA0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 ||
	    c == 0xFEFF;
}

/* What may not be in a tag besides white space (invisible joiners and
 * the like, as the client leaves out). */
static int tag_stop(uint32_t c)
{
	return js_space(c) || c == 0xAD || c == 0x2060 ||
	    (c >= 0x200A && c <= 0x200D) || c == 0x20E2;
}

/*
 * What comes before t[i]: 'S' the start of the text or white space, '('
 * an opening parenthesis, 0 anything else.  A byte that ends no valid
 * sequence is anything else.
 */
static int before(const char *t, size_t len, size_t i)
{
	size_t s;
	uint32_t c;

	if (i == 0)
		return 'S';
	s = i - 1;
	while (s > 0 && i - s < 4 && ((unsigned char)t[s] & 0xC0) == 0x80)
		s--;
	if (cp_at(t, len, s, &c) != i - s)
		return 0;
	if (c == '(')
		return '(';
	return js_space(c) ? 'S' : 0;
}

static int alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* JavaScript's \w, for the \b that ends a mention. */
static int word(char c)
{
	return alnum(c) || c == '_';
}

/* Whether h[0..n) is a handle: labels of letters, digits and '-' (not at
 * either end), at least two, joined by '.', the last starting with a
 * letter. */
static int handle_ok(const char *h, size_t n)
{
	size_t i = 0, labels = 0;

	if (n > HANDLE_MAX)
		return 0;
	while (i <= n) {
		size_t s = i;

		while (i < n && h[i] != '.')
			i++;
		if (i == s || i - s > LABEL_MAX || h[s] == '-' ||
		    h[i - 1] == '-')
			return 0;
		for (size_t k = s; k < i; k++)
			if (!alnum(h[k]) && h[k] != '-')
				return 0;
		labels++;
		if (i == n) {
			if (!((h[s] >= 'a' && h[s] <= 'z') ||
			    (h[s] >= 'A' && h[s] <= 'Z')))
				return 0;
			break;
		}
		i++;
	}
	return labels >= 2;
}

/*
 * The mentions, links and tags are found apart, each as the client's
 * pattern for it finds them (a pattern goes on after what its last match
 * took, whether that made a facet or not), and then merged in text
 * order.  A scan: where it goes on, and the facet it found.
 */
struct scan {
	size_t pos;
	struct cm_facet f;
	int (*next)(const char *t, size_t len, struct scan *s);
};

/*
 * The next mention: '@' after the start, white space or '(' and the
 * client's /@([a-zA-Z0-9.-]+)\b/, the longest run that ends in a word
 * boundary, if it is a handle (the run is taken even when it is not).
 */
static int next_mention(const char *t, size_t len, struct scan *s)
{
	const char *p;
	size_t i, j, k;

	while (s->pos < len && (p = memchr(t + s->pos, '@', len - s->pos))) {
		i = (size_t)(p - t);
		s->pos = i + 1;
		if (!before(t, len, i))
			continue;
		for (j = i + 1; j < len && (alnum(t[j]) || t[j] == '.' ||
		    t[j] == '-'); j++)
			;
		for (k = j; k > i + 1; k--)
			if (alnum(t[k - 1]) && (k == len || !word(t[k])))
				break;
		if (k == i + 1)
			continue;
		s->pos = k;
		if (!handle_ok(t + i + 1, k - i - 1))
			continue;
		s->f.kind = CM_FACET_MENTION;
		s->f.start = i;
		s->f.end = k;
		return 1;
	}
	s->pos = len;
	return 0;
}

static int letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether t[i..) starts as a bare domain does for the client
 * ([a-z][a-z0-9]*(\.[a-z0-9]+)+, any case). */
static int bare_domain(const char *t, size_t len, size_t i)
{
	size_t j = i + 1;

	if (!letter(t[i]))
		return 0;
	while (j < len && alnum(t[j]))
		j++;
	return j + 1 < len && t[j] == '.' && alnum(t[j + 1]);
}

/* The end of the run of characters but white space from t[i]. */
static size_t run_end(const char *t, size_t len, size_t i)
{
	size_t k;
	uint32_t c;

	while (i < len && (k = cp_at(t, len, i, &c)) && !js_space(c))
		i += k;
	return i;
}

/*
 * The next link: after the start, white space or '(', "http://" or
 * "https://" and what follows up to white space, less one trailing . , ;
 * : ! or ? and then a ')' when the link has no '(' (the client strips one
 * of each, in that order).  The client's pattern takes the scheme in any
 * case, and a bare domain too, and the whole run with it; it keeps only
 * what starts with "http" as written ("httpS://" is a link, "HTTP://" is
 * not), and cm no bare domain.
 */
static int next_link(const char *t, size_t len, struct scan *s)
{
	size_t i = s->pos, j, e, scheme;
	uint32_t c;

	while (i < len) {
		if (!letter(t[i]) || !before(t, len, i)) {
			i += cp_at(t, len, i, &c);
			continue;
		}
		scheme = len - i > 4 && strncasecmp(t + i, "http", 4) == 0 &&
		    (t[i + 4] | 0x20) == 's' ? 8 : 7;
		if (len - i > scheme && strncasecmp(t + i, "http", 4) == 0 &&
		    memcmp(t + i + scheme - 3, "://", 3) == 0 &&
		    (j = run_end(t, len, i + scheme)) > i + scheme) {
			e = j;
			if (t[e - 1] != '\0' && strchr(".,;:!?", t[e - 1]))
				e--;
			if (t[e - 1] == ')' && memchr(t + i, '(', e - i) == NULL)
				e--;
			if (memcmp(t + i, "http", 4) == 0 && e > i + scheme) {
				s->pos = j;
				s->f.kind = CM_FACET_LINK;
				s->f.start = i;
				s->f.end = e;
				return 1;
			}
			i = j;	/* the client's pattern took it */
		} else if (bare_domain(t, len, i))
			i = run_end(t, len, i);	/* no link for cm */
		else
			i += cp_at(t, len, i, &c);
	}
	s->pos = len;
	return 0;
}

/*
 * A tag at t[i] ('#'): what follows up to white space, less trailing
 * punctuation; not all digits and punctuation, at most 64 UTF-16 units,
 * not a keycap (U+FE0F after '#').  Returns its end, or 0.
 */
static size_t tag(const char *t, size_t len, size_t i)
{
	size_t j = i + 1, e = i + 1, k, units = 0, units_e = 0;
	uint32_t c;
	int word_seen = 0, word_e = 0;

	if (j < len && cp_at(t, len, j, &c) && c == 0xFE0F)
		return 0;
	while (j < len && (k = cp_at(t, len, j, &c)) && !tag_stop(c)) {
		j += k;
		units += c > 0xFFFF ? 2 : 1;
		if (u_ispunct((UChar32)c))
			continue;
		if (!(c >= '0' && c <= '9'))
			word_seen = 1;
		e = j;
		units_e = units;
		word_e = word_seen;
	}
	if (e == i + 1 || !word_e || units_e > TAG_MAX)
		return 0;
	return e;
}

/* The next tag: '#' after the start or white space, and tag(). */
static int next_tag(const char *t, size_t len, struct scan *s)
{
	const char *p;
	size_t i, e;

	while (s->pos < len && (p = memchr(t + s->pos, '#', len - s->pos))) {
		i = (size_t)(p - t);
		s->pos = i + 1;
		if (before(t, len, i) != 'S' || (e = tag(t, len, i)) == 0)
			continue;
		s->pos = e;
		s->f.kind = CM_FACET_TAG;
		s->f.start = i;
		s->f.end = e;
		return 1;
	}
	s->pos = len;
	return 0;
}

size_t cm_facets_find(const char *text, size_t len, struct cm_facet *out,
    size_t max)
{
	struct scan sc[3] = { { .next = next_mention }, { .next = next_link },
		{ .next = next_tag } };
	int have[3];
	size_t n = 0, last = 0;

	for (int k = 0; k < 3; k++)
		have[k] = sc[k].next(text, len, &sc[k]);
	for (;;) {
		int k = -1;

		for (int m = 0; m < 3; m++)
			if (have[m] && (k < 0 || sc[m].f.start < sc[k].f.start))
				k = m;
		if (k < 0)
			break;
		/* the client's facets may overlap ("#x(@a.test"); cm's
		 * never do: the first is kept */
		if (n == 0 || sc[k].f.start >= last) {
			if (n < max)
				out[n] = sc[k].f;
			n++;
			last = sc[k].f.end;
		}
		have[k] = sc[k].next(text, len, &sc[k]);
	}
	return n;
}
