/* error.c - the error lib/ returns */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

void cm_error_set(struct cm_error *e, int status, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	e->status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void cm_error_nomem(struct cm_error *e, const char *subject)
{
	if (subject)
		cm_error_set(e, CM_EXIT_NOMEM, "%s: out of memory", subject);
	else
		cm_error_set(e, CM_EXIT_NOMEM, "out of memory");
}
