/* report_csv.c - cm-report's report as CSV (RFC 4180: CRLF, fields
 * quoted by libcsv when needed), one table per section */
#include <csv.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report_fmt.h"

/*
 * A cell a spreadsheet could run as a formula (CSV injection) starts
 * with one of these; OWASP's advice is a ' in front, which spreadsheets
 * take to mean text and hide.  Only text cells get it: cm's own numbers
 * (-0.2500 sentiment) are in number columns and stay numbers.
 */
static int formula_like(const char *s)
{
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

/* Appends s as a field: quoted by libcsv when it has to be, and with a
 * ' in front when guard is set and s looks like a formula. */
static void csv_field(struct cm_rout *o, const char *s, int guard,
    struct cm_buf *tmp)
{
	size_t n = strlen(s), need;
	int lead = guard && formula_like(s);

	if (strpbrk(s, ",\"\r\n") == NULL && (n == 0 || (s[0] != ' ' &&
	    s[n - 1] != ' '))) {
		if (lead)
			cm_rout_adds(o, "'");
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
	/* libcsv always quotes: the ' goes inside the opening quote */
	if (lead && need > 0) {
		cm_rout_adds(o, "\"'");
		cm_rout_add(o, tmp->data + 1, need - 1);
	} else {
		cm_rout_add(o, tmp->data, need);
	}
}

struct csv_state {
	size_t ntab;
	int guard;		/* neutralise formulas (no --csv-formulas) */
};

static void csv_table(const struct cm_rtab *t, struct cm_rout *o,
    int guard)
{
	struct cm_buf tmp = CM_BUF_INIT;
	char name[64];
	size_t r, c;

	for (c = 0; c < t->ncols; c++) {
		if (c)
			cm_rout_adds(o, ",");
		/* durations are seconds here: their names say so */
		if (t->kinds[c] == CM_RCOL_DUR &&
		    (size_t)snprintf(name, sizeof(name), "%s_s", t->cols[c]) <
		    sizeof(name))
			csv_field(o, name, guard, &tmp);
		else
			csv_field(o, t->cols[c], guard, &tmp);
	}
	cm_rout_adds(o, "\r\n");
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				cm_rout_adds(o, ",");
			csv_field(o, cm_rtab_cell(t, r, c), guard &&
			    t->kinds[c] == CM_RCOL_TEXT, &tmp);
		}
		cm_rout_adds(o, "\r\n");
		cm_rout_flush(o, 0);
	}
	cm_buf_free(&tmp);
}

/* Tables after the first are preceded by an empty line. */
static void csv_one(const struct cm_rtab *t, struct cm_rout *o, void *arg)
{
	struct csv_state *st = arg;

	if (st->ntab++)
		cm_rout_adds(o, "\r\n");
	csv_table(t, o, st->guard);
}

void cm_report_csv(const struct cm_rview *v, struct cm_rout *o)
{
	struct csv_state st = { 0, !v->out->csv_formulas };

	cm_rview_each_table(v, o, csv_one, &st);
}
