/* report_md.c - cm-report's report as Markdown: a heading and a pipe
 * table per section */
#include <stddef.h>
#include <string.h>

#include "report_fmt.h"

/*
 * The escape of s[i] in a table cell, or NULL.  Data may neither make
 * markup nor break the table: '|' would end the cell, and '\\' could undo
 * the escape of the next character; '[' and ']' would make links and
 * images (an image is a remote fetch when the page is viewed).  '<' and
 * '&' become references, so no HTML tag, comment, autolink or character
 * reference comes through; only where nothing can start, before a digit,
 * a space, '=' or the end, they stay as they are, so that cm's own
 * "<15m" and ">=3d" stay readable (and '>' alone opens nothing).
 */
static const char *md_escape(const char *s, size_t i, size_t n)
{
	char c = i + 1 < n ? s[i + 1] : ' ';
	int inert = (c >= '0' && c <= '9') || c == ' ' || c == '=';

	switch (s[i]) {
	case '|': return "\\|";
	case '\\': return "\\\\";
	case '[': return "\\[";
	case ']': return "\\]";
	case '<': return inert ? NULL : "&lt;";
	case '&': return inert ? NULL : "&amp;";
	default: return NULL;
	}
}

/* Text of a table cell or heading: control characters as in text
 * (blanks as spaces, so a cell stays on its line), and md_escape. */
static void md_text(struct cm_rout *o, const char *s)
{
	size_t i, k = 0, n = strlen(s);
	const char *rep;

	for (i = 0; i < n; i++) {
		if ((rep = md_escape(s, i, n)) == NULL)
			continue;
		cm_rout_visible(o, s + k, i - k);
		cm_rout_adds(o, rep);
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
