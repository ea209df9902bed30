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

static int space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/*
 * The next character of s[*i..n) in the compared form, or -1 at the end:
 * white space as one ' ' (none at the ends), "@user@domain" as "@user".
 * *started says whether a character was given yet.
 */
static int next(const char *s, size_t n, size_t *i, int *started)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t j;

	if (*i < n && space(p[*i])) {
		while (*i < n && space(p[*i]))
			(*i)++;
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
