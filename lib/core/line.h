/* line.h - line reader with a length cap, for untrusted NDJSON input */
#ifndef CM_LINE_H
#define CM_LINE_H

#include <stddef.h>
#include <stdio.h>

#define CM_LINE_DEFAULT_MAX ((size_t)16 << 20)	/* 16 MiB */

/*
 * Reads lines from fd without ever holding more than max bytes of one
 * line: a longer line is consumed and reported as CM_LINE_TOOLONG, its
 * bytes dropped (or spilled: cm_line_spill).  A trailing "\r" is removed
 * (CRLF input; cm_line_crlf says so); the last line
 * may lack a newline.  Lines may contain NUL bytes: use the length.
 * The reader owns its buffers; cm_line_close frees them (it does not
 * close fd).
 */
struct cm_line_reader;

enum cm_line_status {
	CM_LINE_EOF = 0,
	CM_LINE_OK = 1,
	CM_LINE_TOOLONG = 2,	/* *len is the full length seen, line is NULL */
	CM_LINE_ERROR = -1	/* read error or ENOMEM, errno set */
};

/* Returns NULL with errno set on ENOMEM.  max 0 means the default. */
struct cm_line_reader *cm_line_open(int fd, size_t max);
void cm_line_close(struct cm_line_reader *r);

/*
 * Next line: *line points into the reader's buffer (valid until the next
 * call), *len is its length without the newline.  *lineno, when not NULL,
 * is set to the 1-based number of the line returned.
 */
enum cm_line_status cm_line_next(struct cm_line_reader *r, const char **line,
    size_t *len, size_t *lineno);

/* Whether the last line returned ended in "\r\n" (its "\r" removed). */
int cm_line_crlf(const struct cm_line_reader *r);

/*
 * Passes the bytes of every line over the cap to fn as they are dropped,
 * in order and without the newline, so a caller can keep such a line
 * (--rejects) without holding it whole.  fn NULL stops it.
 */
void cm_line_spill(struct cm_line_reader *r,
    void (*fn)(void *ctx, const char *p, size_t n), void *ctx);

/*
 * Calls fn before a read that would wait for input (a pipe or terminal
 * with nothing in it yet), so a caller holding work back can finish it
 * first instead of keeping it while the writer is idle.  Regular files
 * never wait.  fn NULL stops it.
 */
void cm_line_idle(struct cm_line_reader *r, void (*fn)(void *ctx), void *ctx);

#endif
