/* buf.h - growable byte buffer with a size cap */
#ifndef CM_BUF_H
#define CM_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A cm_buf owns data; cm_buf_free releases it.  data is always
 * NUL-terminated after a successful call (len excludes the NUL), so it can
 * be handed to C string functions when the content has no NUL bytes.
 * cap_limit (0 means CM_BUF_DEFAULT_LIMIT) bounds growth: buffers filled
 * from untrusted input never grow past it, and the append fails with
 * errno = EMSGSIZE instead.
 */
struct cm_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;
};

#define CM_BUF_INIT { NULL, 0, 0, 0 }
#define CM_BUF_DEFAULT_LIMIT ((size_t)1 << 30)

/* Each returns 0, or -1 with errno set (ENOMEM, EMSGSIZE); on failure the
 * buffer keeps its previous content. */
int cm_buf_reserve(struct cm_buf *b, size_t extra);
int cm_buf_add(struct cm_buf *b, const void *p, size_t n);
int cm_buf_addc(struct cm_buf *b, char c);
int cm_buf_adds(struct cm_buf *b, const char *s);
int cm_buf_printf(struct cm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cm_buf_vprintf(struct cm_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends s[0..n) as a JSON string literal, quotes included.  Invalid
 * UTF-8 is replaced by U+FFFD so the output is always strict JSON. */
int cm_buf_add_json_string(struct cm_buf *b, const char *s, size_t n);
/* Appends n bytes of s percent-encoded as a URL query value or form
 * field: everything but RFC 3986's unreserved characters, as %XX. */
int cm_buf_add_pct(struct cm_buf *b, const char *s, size_t n);
int cm_buf_add_pcts(struct cm_buf *b, const char *s);

void cm_buf_reset(struct cm_buf *b);
void cm_buf_free(struct cm_buf *b);

#endif
