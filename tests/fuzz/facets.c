/* facets.c - libFuzzer harness for Bluesky's facets of a reply: any bytes;
 * every facet lies in the text, after the one before, starts and ends
 * where a character does (valid UTF-8 or not), covers what its kind says (an '@' and a
 * handle, an http(s) link, a '#' and a tag), and the count with a small
 * max is the count with a large one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "core/facets.h"

#define MAX 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where characters start, walking as a reader of UTF-8 does (a byte that
 * starts no valid sequence is one of its own): at[i] for i in [0, n]. */
static void boundaries(const char *s, size_t n, unsigned char *at)
{
	size_t i = 0, k;

	memset(at, 0, n + 1);
	while (i < n) {
		at[i] = 1;
		k = cm_utf8_valid_prefix((const unsigned char *)s + i, n - i);
		i += k ? k : 1;
	}
	at[n] = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cm_facet f[MAX], g[3];
	char *s;
	unsigned char *at;
	size_t n, m, last = 0;

	/* an exact copy: a read past the end is ASan's */
	if ((s = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(s, data, size);
	if ((at = malloc(size + 1)) == NULL)
		abort();
	boundaries(s, size, at);
	n = cm_facets_find(s, size, f, MAX);
	for (size_t i = 0; i < n && i < MAX; i++) {
		const struct cm_facet *x = &f[i];
		size_t len = x->end - x->start;

		if (x->start < last || x->end <= x->start || x->end > size ||
		    !at[x->start] || !at[x->end])
			abort();
		switch (x->kind) {
		case CM_FACET_MENTION:
			/* '@', two labels at least, nothing but the handle's
			 * letters */
			if (len < 4 || s[x->start] != '@' ||
			    !memchr(s + x->start, '.', len))
				abort();
			for (size_t k = x->start + 1; k < x->end; k++)
				if (!strchr("abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-",
				    s[k]) || s[k] == '\0')
					abort();
			break;
		case CM_FACET_LINK:
			/* "http" as written, the rest in any case */
			if (len < 8 || memcmp(s + x->start, "http", 4) != 0 ||
			    (strncasecmp(s + x->start, "http://", 7) != 0 &&
			    strncasecmp(s + x->start, "https://", 8) != 0) ||
			    memchr(s + x->start, ' ', len) ||
			    memchr(s + x->start, '\n', len))
				abort();
			break;
		case CM_FACET_TAG:
			if (len < 2 || s[x->start] != '#' ||
			    memchr(s + x->start, ' ', len))
				abort();
			break;
		default:
			abort();
		}
		last = x->end;
	}
	/* a smaller max writes a prefix of the same facets */
	m = cm_facets_find(s, size, g, 3);
	if (m != n)
		abort();
	for (size_t i = 0; i < m && i < 3; i++)
		if (g[i].kind != f[i].kind || g[i].start != f[i].start ||
		    g[i].end != f[i].end)
			abort();
	free(at);
	free(s);
	return 0;
}
