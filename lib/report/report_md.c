/* report_md.c - cm-report's report as Markdown: a heading and a pipe
 * table per section */
#include <stddef.h>
#include <string.h>

#include "report_fmt.h"

/* Text of a table cell: control characters as in text (blanks as
 * spaces, so a cell stays on its line), and '|' escaped. */
static void md_text(struct cm_rout *o, const char *s)
{
	size_t i, k = 0, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (s[i] != '|')
			continue;
		cm_rout_visible(o, s + k, i - k);
		cm_rout_adds(o, "\\|");
		k = i + 1;
	}
	cm_rout_visible(o, s + k, n - k);
}

static void md_table(const struct cm_rtab *t, struct cm_rout *o)
{
	size_t r, c;
	char buf[32];

	cm_rout_adds(o, "## ");
	md_text(o, t->title);
	cm_rout_adds(o, "\n\n");
	if (t->nrows == 0) {
		cm_rout_adds(o, "(none)\n\n");
		return;
	}
	for (c = 0; c < t->ncols; c++) {
		cm_rout_adds(o, "| ");
		md_text(o, t->cols[c]);
		cm_rout_adds(o, " ");
	}
	cm_rout_adds(o, "|\n");
	for (c = 0; c < t->ncols; c++)
		cm_rout_adds(o, t->kinds[c] == CM_RCOL_TEXT ? "|---" : "|---:");
	cm_rout_adds(o, "|\n");
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cm_rout_adds(o, "| ");
			md_text(o, cm_rtab_human(t, r, c, buf));
			cm_rout_adds(o, " ");
		}
		cm_rout_adds(o, "|\n");
		cm_rout_flush(o, 0);
	}
	cm_rout_adds(o, "\n");
}

static void md_one(const struct cm_rtab *t, struct cm_rout *o, void *arg)
{
	(void)arg;
	md_table(t, o);
}

void cm_report_markdown(const struct cm_rview *v, struct cm_rout *o)
{
	if (v->out->section == NULL)
		cm_rview_heading(v, o, "# ");
	cm_rview_each_table(v, o, md_one, NULL);
}
