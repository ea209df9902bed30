/* facets.c - Bluesky's rich-text facets of a reply: mentions, links and
 * tags found as @atproto/api's RichText.detectFacets finds them */
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>

#include "core/utf8.h"
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
 * A mention at t[i] ('@'): the client's /@([a-zA-Z0-9.-]+)\b/, the longest
 * run that ends in a word boundary, if it is a handle.  Returns its end,
 * or 0.
 */
static size_t mention(const char *t, size_t len, size_t i)
{
	size_t j = i + 1, k;

	while (j < len && (alnum(t[j]) || t[j] == '.' || t[j] == '-'))
		j++;
	for (k = j; k > i + 1; k--)
		if (alnum(t[k - 1]) && (k == len || !word(t[k])))
			break;
	if (k == i + 1 || !handle_ok(t + i + 1, k - i - 1))
		return 0;
	return k;
}

static int prefix_ci(const char *t, size_t n, const char *p)
{
	size_t k = strlen(p);

	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++) {
		char c = t[i] >= 'A' && t[i] <= 'Z' ? (char)(t[i] + 32) : t[i];

		if (c != p[i])
			return 0;
	}
	return 1;
}

/*
 * A link at t[i]: http:// or https:// (any case) and what follows up to
 * white space, less one trailing . , ; : ! or ? and then a ')' when the
 * link has no '(' (the client strips one of each, in that order).
 * Returns its end, or 0.
 */
static size_t link(const char *t, size_t len, size_t i)
{
	size_t scheme, j = i, e, k;
	uint32_t c;

	if (prefix_ci(t + i, len - i, "https://"))
		scheme = 8;
	else if (prefix_ci(t + i, len - i, "http://"))
		scheme = 7;
	else
		return 0;
	while (j < len && (k = cp_at(t, len, j, &c)) && !js_space(c))
		j += k;
	e = j;
	if (t[e - 1] != '\0' && strchr(".,;:!?", t[e - 1]))
		e--;
	if (t[e - 1] == ')' && memchr(t + i, '(', e - i) == NULL)
		e--;
	return e > i + scheme ? e : 0;
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

size_t cm_facets_find(const char *text, size_t len, struct cm_facet *out,
    size_t max)
{
	size_t i = 0, n = 0, end;
	uint32_t c;

	/* One pass in text order: what a facet covers is not looked at
	 * again, so facets never overlap (the client's three patterns,
	 * run apart, can: "#x(@a.test"). */
	while (i < len) {
		char ch = text[i];
		enum cm_facet_kind kind = CM_FACET_MENTION;
		int b;

		end = 0;
		if (ch == '@' || ch == '#' || ch == 'h' || ch == 'H') {
			b = before(text, len, i);
			if (ch == '@' && b)
				end = mention(text, len, i);
			else if (ch == '#' && b == 'S') {
				end = tag(text, len, i);
				kind = CM_FACET_TAG;
			} else if (ch != '@' && ch != '#' && b) {
				end = link(text, len, i);
				kind = CM_FACET_LINK;
			}
		}
		if (end) {
			if (n < max) {
				out[n].kind = kind;
				out[n].start = i;
				out[n].end = end;
			}
			n++;
			i = end;
			continue;
		}
		i += cp_at(text, len, i, &c);
	}
	return n;
}
