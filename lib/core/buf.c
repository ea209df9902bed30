/* buf.c - growable byte buffer with a size cap */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

static size_t buf_limit(const struct cm_buf *b)
{
	return b->limit ? b->limit : CM_BUF_DEFAULT_LIMIT;
}

int cm_buf_reserve(struct cm_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > buf_limit(b) || b->len > buf_limit(b) - extra) {
		errno = EMSGSIZE;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	/* A fresh buffer's data must be a string too, even if left empty. */
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > buf_limit(b) + 1)
		cap = buf_limit(b) + 1;
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	if (b->cap == 0)
		p[0] = '\0';
	b->cap = cap;
	return 0;
}

int cm_buf_add(struct cm_buf *b, const void *p, size_t n)
{
	if (cm_buf_reserve(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int cm_buf_addc(struct cm_buf *b, char c)
{
	return cm_buf_add(b, &c, 1);
}

int cm_buf_adds(struct cm_buf *b, const char *s)
{
	return cm_buf_add(b, s, strlen(s));
}

int cm_buf_vprintf(struct cm_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0 || cm_buf_reserve(b, (size_t)n) < 0) {
		va_end(again);
		return -1;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
	return 0;
}

int cm_buf_printf(struct cm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = cm_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

int cm_buf_add_pct(struct cm_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* not strchr: it would find the NUL itself "unreserved" */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			r |= cm_buf_addc(b, (char)c);
		else
			r |= cm_buf_printf(b, "%%%c%c", hex[c >> 4],
			    hex[c & 15]);
	}
	return r;
}

int cm_buf_add_pcts(struct cm_buf *b, const char *s)
{
	return cm_buf_add_pct(b, s, strlen(s));
}

int cm_buf_add_json_string(struct cm_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *run;

	/* Worst case 6 bytes per input byte plus quotes: reserve once. */
	if (n > (SIZE_MAX - 2) / 6 || cm_buf_reserve(b, n * 6 + 2) < 0)
		return -1;
	b->data[b->len++] = '"';
	while (p < end) {
		run = p;
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' &&
		    *p != '\\')
			p++;
		memcpy(b->data + b->len, run, (size_t)(p - run));
		b->len += (size_t)(p - run);
		if (p == end)
			break;
		if (*p >= 0x80) {
			size_t k = cm_utf8_valid_prefix(p, (size_t)(end - p));

			if (k) {
				memcpy(b->data + b->len, p, k);
				b->len += k;
				p += k;
			} else {
				/* U+FFFD: one replacement per bad byte */
				memcpy(b->data + b->len, "\xef\xbf\xbd", 3);
				b->len += 3;
				p++;
			}
			continue;
		}
		b->data[b->len++] = '\\';
		switch (*p) {
		case '"': b->data[b->len++] = '"'; break;
		case '\\': b->data[b->len++] = '\\'; break;
		case '\n': b->data[b->len++] = 'n'; break;
		case '\r': b->data[b->len++] = 'r'; break;
		case '\t': b->data[b->len++] = 't'; break;
		case '\b': b->data[b->len++] = 'b'; break;
		case '\f': b->data[b->len++] = 'f'; break;
		default:
			b->data[b->len++] = 'u';
			b->data[b->len++] = '0';
			b->data[b->len++] = '0';
			b->data[b->len++] = hex[*p >> 4];
			b->data[b->len++] = hex[*p & 15];
		}
		p++;
	}
	b->data[b->len++] = '"';
	b->data[b->len] = '\0';
	return 0;
}

void cm_buf_reset(struct cm_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void cm_buf_free(struct cm_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
