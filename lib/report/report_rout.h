/* report_rout.h - the report's buffered output and its escaping: the
 * bottom of lib/report's output side, knowing nothing else of the report
 * (internal to lib/report) */
#ifndef CM_REPORT_ROUT_H
#define CM_REPORT_ROUT_H

#include <stddef.h>

#include "core/buf.h"

/* Writes bytes somewhere; returns 0, or -1 to stop the output.  The
 * same type as report.h's cm_report_writer, named here so that this
 * file needs nothing of the report. */
typedef int (*cm_rout_fn)(void *ctx, const char *p, size_t n);

/*
 * Buffered output to a cm_rout_fn: text collects in b and goes to w in
 * blocks; after a failed write (or ENOMEM) failed is set and everything
 * else is dropped.  The caller owns the struct; cm_rout_end frees b.
 */
struct cm_rout {
	struct cm_buf b;
	cm_rout_fn w;
	void *ctx;
	int failed;
};

void cm_rout_init(struct cm_rout *o, cm_rout_fn w, void *ctx);
/* Writes b out when it is large (or always, with force); returns 0 or -1
 * when the output has failed. */
int cm_rout_flush(struct cm_rout *o, int force);
/* Appends; a failure sets o->failed. */
void cm_rout_add(struct cm_rout *o, const char *p, size_t n);
void cm_rout_adds(struct cm_rout *o, const char *s);
/* For short, formatted numbers: more than 511 bytes sets o->failed. */
void cm_rout_printf(struct cm_rout *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* p[0..n) as a JSON string literal (invalid UTF-8 as U+FFFD). */
void cm_rout_json_str(struct cm_rout *o, const char *p, size_t n);
/* p[0..n) as HTML text or attribute value: & < > " ' as references. */
void cm_rout_html(struct cm_rout *o, const char *p, size_t n);
void cm_rout_htmls(struct cm_rout *o, const char *s);
/*
 * p[0..n) for a terminal: control characters from the data (C0, DEL,
 * C1: a terminal obeys them, ESC sequences retitle the window or clear
 * the screen) become '?', one code point for one, so widths stay right;
 * blanks (tab, CR, LF) become spaces.
 */
void cm_rout_visible(struct cm_rout *o, const char *p, size_t n);
/* Flushes and frees; returns 0, or -1 when anything failed. */
int cm_rout_end(struct cm_rout *o);

#endif
