/* html.c - HTML character references in plain text (html.h) */
#include <stdint.h>
#include <string.h>

#include "html.h"
#include "utf8.h"

static const struct {
	const char *name;
	size_t len;
	char c;
} named[] = {
	{ "amp;", 4, '&' }, { "lt;", 3, '<' }, { "gt;", 3, '>' },
	{ "quot;", 5, '"' }, { "apos;", 5, '\'' },
};

/* The reference at s[0] == '&' (n bytes on): its length, with the
 * decoded bytes in out and their count in *k; 0 when it is none. */
static size_t reference(const char *s, size_t n, unsigned char out[4],
    size_t *k)
{
	size_t i, j;
	uint32_t cp = 0;
	int hex;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (n > named[i].len &&
		    memcmp(s + 1, named[i].name, named[i].len) == 0) {
			out[0] = (unsigned char)named[i].c;
			*k = 1;
			return named[i].len + 1;
		}
	if (n < 4 || s[1] != '#')
		return 0;
	hex = s[2] == 'x' || s[2] == 'X';
	/* at most 7 digits: U+10FFFF is 1114111 and 10FFFF */
	for (j = hex ? 3 : 2; j < n && j < (hex ? 3u : 2u) + 7; j++) {
		char c = s[j];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (hex && c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (hex && c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			break;
		cp = cp * (hex ? 16 : 10) + d;
	}
	if (j == (hex ? 3u : 2u) || j >= n || s[j] != ';' || cp == 0 ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*k = cm_utf8_encode(cp, out);
	return j + 1;
}

size_t cm_html_unescape(char *s, size_t n)
{
	unsigned char out[4];
	size_t i = 0, o = 0, len, k;
	char *amp;

	if ((amp = memchr(s, '&', n)) == NULL)
		return n;
	i = o = (size_t)(amp - s);
	while (i < n) {
		if (s[i] == '&' && (len = reference(s + i, n - i, out, &k)) > 0) {
			memcpy(s + o, out, k);
			o += k;
			i += len;
		} else
			s[o++] = s[i++];
	}
	return o;
}
