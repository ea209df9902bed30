/* html.c - libFuzzer harness for the HTML reference decoder: any bytes,
 * never longer than they came, no '&' means no change, and valid UTF-8
 * stays valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/html.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((k = cm_utf8_valid_prefix(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t n;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	n = cm_html_unescape(s, size);
	if (n > size)
		abort();
	if (memchr(data, '&', size) == NULL &&
	    (n != size || memcmp(s, data, size) != 0))
		abort();
	if (valid_utf8(data, size) && !valid_utf8((unsigned char *)s, n))
		abort();
	free(s);
	return 0;
}
