/* report_text.c - cm-report's report as aligned text tables, for a
 * terminal */
#include <stddef.h>
#include <string.h>

#include "report_fmt.h"

/* Display width: code points (no East Asian wide handling). */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(struct cm_rout *o, size_t n)
{
	static const char sp[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		cm_rout_add(o, sp, k);
		n -= k;
	}
}

static void text_table(const struct cm_rtab *t, struct cm_rout *o)
{
	size_t w[CM_RTAB_MAXCOLS], r, c, k;
	char buf[32];
	const char *s;

	cm_rout_visible(o, t->title, strlen(t->title));
	cm_rout_adds(o, "\n");
	if (t->nrows == 0) {
		cm_rout_adds(o, "  (none)\n\n");
		return;
	}
	for (c = 0; c < t->ncols; c++) {
		w[c] = width(t->cols[c]);
		for (r = 0; r < t->nrows; r++) {
			k = width(cm_rtab_human(t, r, c, buf));
			if (k > w[c])
				w[c] = k;
		}
	}
	for (r = 0; r <= t->nrows; r++) {
		cm_rout_adds(o, " ");
		for (c = 0; c < t->ncols; c++) {
			s = r == 0 ? t->cols[c] : cm_rtab_human(t, r - 1, c, buf);
			k = width(s);
			cm_rout_adds(o, " ");
			if (t->kinds[c] != CM_RCOL_TEXT)
				pad(o, w[c] - k);
			cm_rout_visible(o, s, strlen(s));
			if (t->kinds[c] == CM_RCOL_TEXT && c + 1 < t->ncols)
				pad(o, w[c] - k);
		}
		cm_rout_adds(o, "\n");
		cm_rout_flush(o, 0);
	}
	cm_rout_adds(o, "\n");
}

static void text_one(const struct cm_rtab *t, struct cm_rout *o, void *arg)
{
	(void)arg;
	text_table(t, o);
}

void cm_report_text(const struct cm_rview *v, struct cm_rout *o)
{
	if (v->out->section == NULL)
		cm_rview_heading(v, o, "");
	cm_rview_each_table(v, o, text_one, NULL);
}
