/* text.c - libFuzzer harness for the text rules of cm-record(5): any bytes;
 * every token lies in the text, after the one before, and is found again
 * where it starts; the arrays are each once, their JSON valid UTF-8, and
 * a tag is its own lower case. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_utf8(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((k = cm_utf8_valid_prefix((const unsigned char *)s + i,
		    n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	char *copy;
	struct cm_text_token t, u;
	struct cm_text_fields f;
	struct cm_buf b = CM_BUF_INIT, l = CM_BUF_INIT;
	size_t pos = 0, last = 0, i, j;
	enum cm_text_kind kinds[3] = { CM_TEXT_TAG, CM_TEXT_MENTION,
		CM_TEXT_LINK };

	/* an exact copy: a read past the end is ASan's */
	if ((copy = malloc(size ? size : 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	s = copy;
	while (cm_text_next(s, size, &pos, &t)) {
		if (t.off < last || t.len == 0 || t.off + t.len > size ||
		    t.voff < t.off || t.vlen == 0 ||
		    t.voff + t.vlen > t.off + t.len || pos != t.off + t.len)
			abort();
		if (!valid_utf8(s + t.voff, t.vlen))
			abort();
		if (!cm_text_token_at(s, size, t.off, &u) || u.kind != t.kind ||
		    u.off != t.off || u.len != t.len || u.voff != t.voff ||
		    u.vlen != t.vlen)
			abort();
		last = pos;
	}
	if (pos != size)
		abort();
	cm_text_fields(s, size, &f);
	if (f.ntags > CM_TEXT_FIELD_MAX || f.nmentions > CM_TEXT_FIELD_MAX ||
	    f.nlinks > CM_TEXT_FIELD_MAX)
		abort();
	for (i = 0; i < f.nlinks; i++)
		for (j = i + 1; j < f.nlinks; j++)
			if (f.links[i].len == f.links[j].len &&
			    memcmp(s + f.links[i].off, s + f.links[j].off,
			    f.links[i].len) == 0)
				abort();
	for (i = 0; i < f.ntags; i++) {
		cm_buf_reset(&l);
		if (cm_text_lower(&l, s + f.tags[i].off, f.tags[i].len) < 0)
			abort();
		cm_buf_reset(&b);
		if (cm_text_lower(&b, l.data, l.len) < 0 || b.len != l.len ||
		    memcmp(l.data, b.data, l.len) != 0)
			abort();	/* lower case twice is once */
	}
	for (i = 0; i < 3; i++) {
		cm_buf_reset(&b);
		if (cm_text_fields_json(&b, s, &f, kinds[i]) < 0 ||
		    b.len < 2 || b.data[0] != '[' || b.data[b.len - 1] != ']' ||
		    !valid_utf8(b.data, b.len) || strlen(b.data) != b.len)
			abort();
	}
	cm_buf_reset(&l);
	if (cm_text_lower(&l, s, size) < 0 || !valid_utf8(l.data, l.len))
		abort();
	cm_buf_free(&b);
	cm_buf_free(&l);
	free(copy);
	return 0;
}
