/* replytext.c - a platform's text of a reply compared with the text sent */
#include <stddef.h>

#include "replytext.h"

/* A character of a user name, and of a domain. */
static int user_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static int domain_char(unsigned char c)
{
	return user_char(c) || c == '-' || c == '.';
}

/*
 * The bytes of the white space character at p[i..n), or 0: ASCII's and
 * Unicode's White_Space (no-break spaces among them: a server may turn
 * "Merci\u202f!" into "Merci !", or the other way).
 */
static size_t space(const unsigned char *p, size_t i, size_t n)
{
	unsigned c = p[i];

	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v')
		return 1;
	if (c == 0xc2 && i + 1 < n && (p[i + 1] == 0x85 || p[i + 1] == 0xa0))
		return 2;
	if (i + 2 >= n)
		return 0;
	if (c == 0xe1 && p[i + 1] == 0x9a && p[i + 2] == 0x80)
		return 3;
	if (c == 0xe2 && p[i + 1] == 0x80 && (p[i + 2] <= 0x8a ||
	    p[i + 2] == 0xa8 || p[i + 2] == 0xa9 || p[i + 2] == 0xaf))
		return p[i + 2] >= 0x80 ? 3 : 0;
	if (c == 0xe2 && p[i + 1] == 0x81 && p[i + 2] == 0x9f)
		return 3;
	if (c == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80)
		return 3;
	return 0;
}

/*
 * The next character of s[*i..n) in the compared form, or -1 at the end:
 * white space as one ' ' (none at the ends), "@user@domain" as "@user".
 * *started says whether a character was given yet.
 */
static int next(const char *s, size_t n, size_t *i, int *started)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t j, k;

	if (*i < n && space(p, *i, n)) {
		while (*i < n && (k = space(p, *i, n)) > 0)
			*i += k;
		if (*started && *i < n)
			return ' ';
	}
	if (*i >= n)
		return -1;
	*started = 1;
	/* past a mention's user name, its "@domain" goes */
	if (p[*i] == '@' && *i > 0 && user_char(p[*i - 1])) {
		j = *i;
		while (j > 0 && user_char(p[j - 1]))
			j--;
		if (j > 0 && p[j - 1] == '@' &&
		    (j == 1 || !user_char(p[j - 2])) && *i + 1 < n &&
		    domain_char(p[*i + 1])) {
			for (j = *i + 1; j < n && domain_char(p[j]); j++)
				;
			/* a domain ends on a letter or digit: "x@y.org." keeps
			 * its full stop */
			while (j > *i + 1 &&
			    (p[j - 1] == '.' || p[j - 1] == '-'))
				j--;
			*i = j;
			return next(s, n, i, started);
		}
	}
	return p[(*i)++];
}

int cm_reply_text_eq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	int sa = 0, sb = 0, ca, cb;

	do {
		ca = next(a, an, &i, &sa);
		cb = next(b, bn, &j, &sb);
		if (ca != cb)
			return 0;
	} while (ca != -1);
	return 1;
}
