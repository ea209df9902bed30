/* line.c - line reader with a length cap, for untrusted NDJSON input */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "line.h"

#define CHUNK ((size_t)64 << 10)

struct cm_line_reader {
	int fd;
	int eof;
	size_t max;
	size_t lineno;
	char *buf;
	size_t cap;	/* allocated; grows up to max + CHUNK */
	size_t start;	/* first unread byte */
	size_t end;	/* one past the last byte read */
	int crlf;	/* the last line's "\r" was removed */
	void (*spill)(void *ctx, const char *p, size_t n);
	void *spill_ctx;
	void (*idle)(void *ctx);
	void *idle_ctx;
};

void cm_line_idle(struct cm_line_reader *r, void (*fn)(void *ctx), void *ctx)
{
	r->idle = fn;
	r->idle_ctx = ctx;
}

void cm_line_spill(struct cm_line_reader *r,
    void (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	r->spill = fn;
	r->spill_ctx = ctx;
}

int cm_line_crlf(const struct cm_line_reader *r)
{
	return r->crlf;
}

static void spill(struct cm_line_reader *r, const char *p, size_t n)
{
	if (r->spill && n > 0)
		r->spill(r->spill_ctx, p, n);
}

struct cm_line_reader *cm_line_open(int fd, size_t max)
{
	struct cm_line_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->fd = fd;
	r->max = max ? max : CM_LINE_DEFAULT_MAX;
	r->cap = CHUNK;
	if ((r->buf = malloc(r->cap)) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void cm_line_close(struct cm_line_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

/* Reads more bytes after end; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t fill(struct cm_line_reader *r)
{
	struct pollfd pfd = { r->fd, POLLIN, 0 };
	ssize_t n;

	if (r->idle && poll(&pfd, 1, 0) == 0)
		r->idle(r->idle_ctx);
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		r->eof = 1;
	if (n > 0)
		r->end += (size_t)n;
	return n;
}

/*
 * Consumes the rest of a line that is already over the cap, keeping
 * nothing; returns its full length through *len.
 */
static enum cm_line_status skip_long(struct cm_line_reader *r, size_t *len)
{
	size_t total = r->end - r->start;
	char *nl;

	spill(r, r->buf + r->start, total);
	r->start = r->end = 0;
	for (;;) {
		if (fill(r) < 0)
			return CM_LINE_ERROR;
		if (r->eof)
			break;
		if ((nl = memchr(r->buf, '\n', r->end)) != NULL) {
			spill(r, r->buf, (size_t)(nl - r->buf));
			total += (size_t)(nl - r->buf);
			r->start = (size_t)(nl - r->buf) + 1;
			*len = total;
			return CM_LINE_TOOLONG;
		}
		spill(r, r->buf, r->end);
		total += r->end;
		r->end = 0;
	}
	*len = total;
	return CM_LINE_TOOLONG;
}

enum cm_line_status cm_line_next(struct cm_line_reader *r, const char **line,
    size_t *len, size_t *lineno)
{
	size_t scanned = 0, n;
	char *nl, *p;

	*line = NULL;
	*len = 0;
	r->crlf = 0;
	for (;;) {
		p = r->buf + r->start;
		n = r->end - r->start;
		if ((nl = memchr(p + scanned, '\n', n - scanned)) != NULL) {
			n = (size_t)(nl - p);
			r->start += n + 1;
			break;
		}
		scanned = n;
		if (r->eof) {
			if (n == 0)
				return CM_LINE_EOF;
			r->start = r->end;	/* a last line without newline */
			break;
		}
		if (n > r->max) {
			r->lineno++;
			if (lineno)
				*lineno = r->lineno;
			return skip_long(r, len);
		}
		if (r->start > 0 && r->end == r->cap) {
			memmove(r->buf, p, n);
			r->start = 0;
			r->end = n;
		}
		if (r->end == r->cap) {
			size_t cap = r->cap * 2;
			char *q;

			if (cap > r->max + CHUNK)
				cap = r->max + CHUNK;
			if ((q = realloc(r->buf, cap)) == NULL)
				return CM_LINE_ERROR;
			r->buf = q;
			r->cap = cap;
		}
		if (fill(r) < 0)
			return CM_LINE_ERROR;
	}
	r->lineno++;
	if (lineno)
		*lineno = r->lineno;
	if (n > r->max) {
		spill(r, p, n);
		*len = n;
		return CM_LINE_TOOLONG;
	}
	if (n > 0 && p[n - 1] == '\r') {
		n--;
		r->crlf = 1;
	}
	*line = p;
	*len = n;
	return CM_LINE_OK;
}
