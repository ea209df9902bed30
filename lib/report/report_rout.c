/* report_rout.c - the report's buffered output and its escaping */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_rout.h"

void cm_rout_init(struct cm_rout *o, cm_rout_fn w, void *ctx)
{
	memset(o, 0, sizeof(*o));
	o->w = w;
	o->ctx = ctx;
}

int cm_rout_flush(struct cm_rout *o, int force)
{
	if (o->failed)
		return -1;
	if (o->b.len && (force || o->b.len >= 65536)) {
		if (o->w(o->ctx, o->b.data, o->b.len) < 0)
			o->failed = 1;
		cm_buf_reset(&o->b);
	}
	return o->failed ? -1 : 0;
}

void cm_rout_add(struct cm_rout *o, const char *p, size_t n)
{
	if (!o->failed && cm_buf_add(&o->b, p, n) < 0)
		o->failed = 1;
}

void cm_rout_adds(struct cm_rout *o, const char *s)
{
	cm_rout_add(o, s, strlen(s));
}

void cm_rout_printf(struct cm_rout *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		o->failed = 1;	/* only short numbers go through here */
		return;
	}
	cm_rout_add(o, tmp, (size_t)n);
}

void cm_rout_json_str(struct cm_rout *o, const char *p, size_t n)
{
	if (!o->failed && cm_buf_add_json_string(&o->b, p, n) < 0)
		o->failed = 1;
}

void cm_rout_html(struct cm_rout *o, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		const char *rep = NULL;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		cm_rout_add(o, s + k, i - k);
		cm_rout_adds(o, rep);
		k = i + 1;
	}
	cm_rout_add(o, s + k, n - k);
}

void cm_rout_htmls(struct cm_rout *o, const char *s)
{
	cm_rout_html(o, s, strlen(s));
}

void cm_rout_visible(struct cm_rout *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		const char *rep;

		if (p[i] == '\t' || p[i] == '\n' || p[i] == '\r')
			rep = " ";
		else if (p[i] < 0x20 || p[i] == 0x7f)
			rep = "?";
		else if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			rep = "?";	/* C1: two bytes, one code point */
		else
			continue;
		cm_rout_add(o, s + k, i - k);
		cm_rout_adds(o, rep);
		if (p[i] == 0xc2)
			i++;
		k = i + 1;
	}
	cm_rout_add(o, s + k, n - k);
}

int cm_rout_end(struct cm_rout *o)
{
	int rc = cm_rout_flush(o, 1);

	cm_buf_free(&o->b);
	return rc;
}
