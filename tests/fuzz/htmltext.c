/* htmltext.c - libFuzzer harness for HTML to text: any bytes, any small
 * cap on the text; the text is valid UTF-8 without NUL or controls but
 * newline and tab, trimmed, no longer than the cap, as long as the input
 * allows, the same twice; it fails only with EMSGSIZE. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/htmltext.h"
#include "core/text.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_text(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && c != '\n' && c != '\t')
			return 0;
		if ((k = cm_utf8_valid_prefix((const unsigned char *)s + i,
		    n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_buf a = CM_BUF_INIT, b = CM_BUF_INIT;
	struct cm_text_fields f;
	size_t limit;
	char *copy;
	int rc, rc2;

	if (size < 1)
		return 0;
	/* a cap of 1 to 255 bytes half the time, none the other half */
	limit = data[0] & 1 ? (size_t)(data[0] >> 1) + 1 : 0;
	data++;
	size--;
	if ((copy = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	a.limit = b.limit = limit;
	rc = cm_htmltext(copy, size, &a);
	if (rc < 0 && errno != EMSGSIZE)
		abort();
	if (a.data == NULL || strlen(a.data) != a.len)
		abort();
	if (limit && a.len > limit)
		abort();
	if (!valid_text(a.data, a.len))
		abort();
	if (a.len > 0 && (blank(a.data[0]) || blank(a.data[a.len - 1])))
		abort();
	/* U+FFFD for a byte is the most any byte gives */
	if (a.len > 3 * size + 8)
		abort();
	rc2 = cm_htmltext(copy, size, &b);
	if (rc2 != rc || b.len != a.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	/* what an adapter does next */
	cm_text_fields(a.data, a.len, &f);
	cm_buf_free(&a);
	cm_buf_free(&b);
	free(copy);
	return 0;
}
