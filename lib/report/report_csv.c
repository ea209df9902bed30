/* report_csv.c - cm-report's report as CSV (RFC 4180: CRLF, fields
 * quoted by libcsv when needed), one table per section */
#include <csv.h>
#include <stddef.h>
#include <string.h>

#include "report_fmt.h"

static void csv_field(struct cm_rout *o, const char *s, struct cm_buf *tmp)
{
	size_t n = strlen(s), need;

	if (strpbrk(s, ",\"\r\n") == NULL && (n == 0 || (s[0] != ' ' &&
	    s[n - 1] != ' '))) {
		cm_rout_add(o, s, n);
		return;
	}
	need = csv_write(NULL, 0, s, n);
	cm_buf_reset(tmp);
	if (cm_buf_reserve(tmp, need + 1) < 0) {
		o->failed = 1;
		return;
	}
	csv_write(tmp->data, need, s, n);
	cm_rout_add(o, tmp->data, need);
}

static void csv_table(const struct cm_rtab *t, struct cm_rout *o)
{
	struct cm_buf tmp = CM_BUF_INIT;
	size_t r, c;

	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				cm_rout_adds(o, ",");
			csv_field(o, r == 0 ? t->cols[c] :
			    cm_rtab_cell(t, r - 1, c), &tmp);
		}
		cm_rout_adds(o, "\r\n");
		cm_rout_flush(o, 0);
	}
	cm_buf_free(&tmp);
}

/* Tables after the first are preceded by an empty line. */
static void csv_one(const struct cm_rtab *t, struct cm_rout *o, void *arg)
{
	size_t *ntab = arg;

	if ((*ntab)++)
		cm_rout_adds(o, "\r\n");
	csv_table(t, o);
}

void cm_report_csv(const struct cm_rview *v, struct cm_rout *o)
{
	size_t ntab = 0;

	cm_rview_each_table(v, o, csv_one, &ntab);
}
