/* report_html.c - cm-report as one self-contained HTML page: KPI cards,
 * inline SVG charts and the section tables; no JavaScript, no external
 * resources */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fmt.h"
#include "core/timeutil.h"

#define MAX_CHART_GROUPS 12
#define W 960			/* chart size in SVG units */
#define H 240
#define ML 56			/* margins: left, right, top, bottom */
#define MR 16
#define MT 16
#define MB 40

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
    "sans-serif;color:#1d2330;background:#fff;margin:0 auto;max-width:"
    "1100px;padding:24px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 8px;"
    "border-bottom:2px solid #e3e7ef;padding-bottom:4px}\n"
    ".meta{color:#5b6475;margin:0 0 16px}\n"
    ".kpis{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 16px}\n"
    ".kpi{border:1px solid #d8dde8;border-radius:8px;padding:8px 14px;"
    "min-width:130px;background:#f7f9fc}\n"
    ".kpi b{display:block;font-size:22px}.kpi span{color:#5b6475;"
    "font-size:13px}\n"
    "figure{margin:10px 0 18px}figcaption{font-weight:600;margin-bottom:4px}"
    "\nsvg{width:100%;height:auto;background:#fcfdff;border:1px solid "
    "#e3e7ef;border-radius:6px}\n"
    "svg text{font-size:12px;fill:#3a4252}\n"
    ".grid{stroke:#e3e7ef}.axis{stroke:#9aa3b5}\n"
    ".inb{fill:#3b6fd8}.brd{fill:#f08c2e}.cal{fill:#3b6fd8}.biz{fill:#2ea876}"
    "\n.line{fill:none;stroke:#7a3bd8;stroke-width:2}.zero{stroke:#9aa3b5;"
    "stroke-dasharray:4 3}\n"
    ".legend rect{stroke:none}.legend rect.line{fill:#7a3bd8}\n"
    "table{border-collapse:collapse;margin:6px 0 14px;font-size:14px}\n"
    "th,td{border:1px solid #d8dde8;padding:3px 8px;text-align:left}\n"
    "th{background:#eef2f8}td.n{text-align:right;font-variant-numeric:"
    "tabular-nums}\n"
    "details{margin:6px 0}summary{cursor:pointer;font-weight:600;"
    "font-size:17px;margin:10px 0}\n"
    "dl{font-size:14px}dt{font-weight:600;margin-top:6px}dd{margin-left:"
    "18px}\n"
    "footer{color:#5b6475;font-size:13px;margin-top:24px}\n";

static void group_name(const struct cm_rview *v, const struct cm_rgroup *g,
    struct cm_rout *o)
{
	const char *p;
	size_t i, n;

	if (v->r->o.nby == 0) {
		cm_rout_adds(o, "All records");
		return;
	}
	for (i = 0; i < v->r->o.nby; i++) {
		cm_rview_key_part(g, i, &p, &n);
		if (i)
			cm_rout_adds(o, ", ");
		cm_rout_htmls(o, v->r->o.by[i]);
		cm_rout_adds(o, " = ");
		cm_rout_html(o, p, n);
	}
}

/* The x axis line, under the bars. */
static void x_axis(struct cm_rout *o)
{
	cm_rout_printf(o, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>", ML, H - MB, W - MR, H - MB);
}

/* A grid line at height y with its label. */
static void tick(struct cm_rout *o, double y, const char *label)
{
	cm_rout_printf(o, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" "
	    "x2=\"%d\" y2=\"%.1f\"/>", ML, y, W - MR, y);
	cm_rout_printf(o, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s"
	    "</text>", ML - 6, y + 4, label);
}

/*
 * A count axis for counts up to max: ticks at 0, step, 2 step, ... up
 * to the first at or above max, where step is the smallest "nice" whole
 * number (1, 2 or 5 times a power of ten) that needs at most 4 steps, so
 * 150 gives 0 50 100 150 and 7 gives 0 2 4 6 8.  Returns the top of the
 * axis, the count at the top of the chart; 0 (and no ticks: there is
 * nothing to measure) when max is 0.
 */
static int64_t count_axis(struct cm_rout *o, int64_t max)
{
	int64_t step = 1, top, k;
	char label[24];

	if (max <= 0) {
		x_axis(o);
		return 0;
	}
	for (;;) {
		if ((max + step - 1) / step <= 4)
			break;
		if ((max + 2 * step - 1) / (2 * step) <= 4) {
			step *= 2;
			break;
		}
		if ((max + 5 * step - 1) / (5 * step) <= 4) {
			step *= 5;
			break;
		}
		step *= 10;
	}
	top = (max + step - 1) / step * step;
	for (k = 0; k <= top; k += step) {
		snprintf(label, sizeof(label), "%" PRId64, k);
		tick(o, H - MB - (double)(H - MT - MB) * (double)k /
		    (double)top, label);
	}
	x_axis(o);
	return top;
}

/* The sentiment axis: -1 to 1 in steps of 0.5. */
static void sentiment_axis(struct cm_rout *o)
{
	char label[8];
	int k;

	for (k = 0; k <= 4; k++) {
		snprintf(label, sizeof(label), "%+.1f", -1 + 0.5 * k);
		tick(o, H - MB - (double)(H - MT - MB) * k / 4, label);
	}
	x_axis(o);
}

/* Bucket labels under the x axis: first, middle and last. */
static void x_labels(const struct cm_rview *v, struct cm_rout *o,
    const struct cm_rbucket *b, size_t n, double bw)
{
	size_t pick[3] = { 0, n / 2, n - 1 }, k;
	char label[64];

	for (k = 0; k < 3; k++) {
		if (k && pick[k] == pick[k - 1])
			continue;
		cm_report_bucket_label(v->r, b[pick[k]].b, label);
		cm_rout_printf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">"
		    "%s</text>", ML + bw * ((double)pick[k] + 0.5), H - MB + 18,
		    k == 0 ? "start" : k == 2 ? "end" : "middle", label);
	}
}

static void legend(struct cm_rout *o, const char *c1, const char *l1,
    const char *c2, const char *l2)
{
	cm_rout_printf(o, "<g class=\"legend\"><rect class=\"%s\" x=\"%d\" "
	    "y=\"%d\" width=\"12\" height=\"12\"/><text x=\"%d\" y=\"%d\">%s"
	    "</text>", c1, ML, H - 16, ML + 16, H - 6, l1);
	if (c2)
		cm_rout_printf(o, "<rect class=\"%s\" x=\"%d\" y=\"%d\" "
		    "width=\"12\" height=\"12\"/><text x=\"%d\" y=\"%d\">%s"
		    "</text>", c2, ML + 110, H - 16, ML + 126, H - 6, l2);
	cm_rout_adds(o, "</g>");
}

static void svg_open(struct cm_rout *o, const char *id, size_t gi,
    const char *title)
{
	cm_rout_printf(o, "<svg class=\"chart\" id=\"%s-%zu\" xmlns=\"http://"
	    "www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"%s\"><title>%s</title>", id, gi, W, H, title, title);
}

static void chart_volume(const struct cm_rview *v, struct cm_rout *o,
    size_t gi, const struct cm_rbucket *b, size_t n)
{
	double bw, x, hi, hb, scale;
	int64_t max = 0, top;
	char label[64];
	size_t i;

	cm_rout_adds(o, "<figure><figcaption>Volume over time</figcaption>");
	svg_open(o, "volume", gi, "Volume over time: inbound and brand "
	    "records per bucket");
	for (i = 0; i < n; i++)
		if (b[i].inbound + b[i].brand > max)
			max = b[i].inbound + b[i].brand;
	top = count_axis(o, max);
	if (n) {
		bw = (double)(W - ML - MR) / (double)n;
		scale = top ? (double)(H - MT - MB) / (double)top : 0;
		for (i = 0; i < n; i++) {
			x = ML + bw * (double)i + (bw > 3 ? bw * 0.1 : 0);
			hi = (double)b[i].inbound * scale;
			hb = (double)b[i].brand * scale;
			cm_report_bucket_label(v->r, b[i].b, label);
			cm_rout_printf(o, "<g><title>%s: %" PRId64 " inbound, %"
			    PRId64 " brand</title>", label, b[i].inbound,
			    b[i].brand);
			cm_rout_printf(o, "<rect class=\"inb\" x=\"%.2f\" "
			    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>", x,
			    H - MB - hi, bw > 3 ? bw * 0.8 : bw, hi);
			cm_rout_printf(o, "<rect class=\"brd\" x=\"%.2f\" "
			    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/></g>", x,
			    H - MB - hi - hb, bw > 3 ? bw * 0.8 : bw, hb);
			cm_rout_flush(o, 0);
		}
		x_labels(v, o, b, n, bw);
	}
	legend(o, "inb", "inbound", "brd", "brand");
	cm_rout_adds(o, "</svg></figure>\n");
}

static void chart_sentiment(const struct cm_rview *v, struct cm_rout *o,
    size_t gi, const struct cm_rbucket *b, size_t n)
{
	double bw, x, y;
	size_t i;
	int pen = 0, any = 0, drawn = 0;

	cm_rout_adds(o, "<figure><figcaption>Sentiment over time"
	    "</figcaption>");
	svg_open(o, "sentiment", gi, "Sentiment over time: mean "
	    "score.sentiment per bucket, -1 to 1");
	for (i = 0; i < n && !any; i++)
		any = b[i].scored > 0;
	if (any) {
		sentiment_axis(o);
		y = H - MB - (double)(H - MT - MB) / 2;
		cm_rout_printf(o, "<line class=\"zero\" x1=\"%d\" y1=\"%.1f\" "
		    "x2=\"%d\" y2=\"%.1f\"/>", ML, y, W - MR, y);
	} else {
		x_axis(o);	/* nothing to measure: no ticks */
	}
	if (n) {
		bw = (double)(W - ML - MR) / (double)n;
		for (i = 0; i < n; i++) {
			if (b[i].scored == 0) {
				pen = 0;
				continue;
			}
			if (!drawn)
				cm_rout_adds(o, "<path class=\"line\" d=\"");
			drawn = 1;
			x = ML + bw * ((double)i + 0.5);
			y = (double)b[i].senti / 1e6 / (double)b[i].scored;
			y = H - MB - (double)(H - MT - MB) * (y + 1) / 2;
			cm_rout_printf(o, "%s%.1f %.1f ", pen ? "L" : "M", x, y);
			pen = 1;
		}
		if (drawn)
			cm_rout_adds(o, "\"/>");
		x_labels(v, o, b, n, bw);
	}
	if (!any)
		cm_rout_printf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
		    "no scored records (run cm-score first)</text>", W / 2,
		    H / 2 - 20);
	legend(o, "line", "mean sentiment", NULL, NULL);
	cm_rout_adds(o, "</svg></figure>\n");
}

static void chart_response(struct cm_rout *o, size_t gi,
    const struct cm_rgroup *g)
{
	int64_t cal[CM_RVIEW_NDIST], biz[CM_RVIEW_NDIST], max = 0, top;
	double slot, bw, x, h, scale;
	size_t i;

	cm_rout_adds(o, "<figure><figcaption>First response time distribution"
	    "</figcaption>");
	svg_open(o, "response", gi, "First response time distribution: "
	    "answered records per time bin, calendar and business hours");
	for (i = 0; i < CM_RVIEW_NDIST; i++) {
		cal[i] = cm_rview_dist(g, 0, i);
		biz[i] = cm_rview_dist(g, 1, i);
		if (cal[i] > max)
			max = cal[i];
		if (biz[i] > max)
			max = biz[i];
	}
	top = count_axis(o, max);
	slot = (double)(W - ML - MR) / CM_RVIEW_NDIST;
	bw = slot * 0.35;
	scale = top ? (double)(H - MT - MB) / (double)top : 0;
	for (i = 0; i < CM_RVIEW_NDIST; i++) {
		x = ML + slot * (double)i + slot * 0.15;
		h = (double)cal[i] * scale;
		cm_rout_printf(o, "<rect class=\"cal\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>", x, H - MB - h, bw,
		    h);
		cm_rout_htmls(o, cm_rview_dist_bins[i]);
		cm_rout_printf(o, " calendar: %" PRId64 "</title></rect>",
		    cal[i]);
		h = (double)biz[i] * scale;
		cm_rout_printf(o, "<rect class=\"biz\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>", x + bw, H - MB - h,
		    bw, h);
		cm_rout_htmls(o, cm_rview_dist_bins[i]);
		cm_rout_printf(o, " business: %" PRId64 "</title></rect>",
		    biz[i]);
		cm_rout_printf(o, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
		    x + bw, H - MB + 18);
		cm_rout_htmls(o, cm_rview_dist_bins[i]);
		cm_rout_adds(o, "</text>");
	}
	legend(o, "cal", "calendar", "biz", "business hours");
	cm_rout_adds(o, "</svg></figure>\n");
}

static const char compare_style[] =
    ".chg{display:block;font-size:13px}.chg.good{color:#1f8a4c}"
    ".chg.bad{color:#c0392b}.chg.same{color:#5b6475}\n"
    ".alt{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}\n";

/* A figure's value as a card shows it. */
static void card_value(int kind, const struct cm_rfigval *x, char buf[32])
{
	if (!x->have)
		snprintf(buf, 32, "-");
	else if (kind == CM_RCOL_RATIO)
		snprintf(buf, 32, "%.1f%%", 100.0 * (double)x->num /
		    (double)x->den);
	else if (kind == CM_RCOL_DUR)
		cm_rview_human_dur((int64_t)x->x, buf);
	else if (kind == CM_RCOL_REAL)
		snprintf(buf, 32, "%+.3f", x->x);
	else
		snprintf(buf, 32, "%.0f", x->x);
}

/*
 * The change under a card: an arrow up or down, green when the change
 * is for the better and red when for the worse (grey when the figure
 * has no better), and the same in words for a screen reader.
 */
static void card_change(const struct cm_rview *v, struct cm_rout *o,
    size_t f, size_t gi, size_t pgi)
{
	const struct cm_rfig *fig = &cm_rview_figs[f];
	struct cm_rfigval px;
	struct cm_rcmp c;
	char buf[32], pbuf[32];
	int good;

	cm_rview_compare(v, f, gi, pgi, &c);
	cm_rview_fig(v->prev, f, pgi, &px);
	card_value(fig->kind, &px, pbuf);
	if (c.change[0] == '\0') {
		cm_rout_adds(o, "<small class=\"chg same\">previous: ");
		cm_rout_htmls(o, pbuf);
		cm_rout_adds(o, "</small>");
		return;
	}
	good = c.sign * fig->better;
	cm_rout_printf(o, "<small class=\"chg %s\"><span aria-hidden=\"true\">"
	    "%s</span><span class=\"alt\">%s%s</span>",
	    good > 0 ? "good" : good < 0 ? "bad" : "same",
	    c.sign > 0 ? "\u25b2 " : c.sign < 0 ? "\u25bc " : "= ",
	    c.sign > 0 ? "up" : c.sign < 0 ? "down" : "no change",
	    good > 0 ? " (better) " : good < 0 ? " (worse) " : " ");
	cm_rout_htmls(o, cm_rview_change_human(fig->kind, c.change, buf));
	if (c.pct[0]) {
		cm_rout_adds(o, " (");
		cm_rout_htmls(o, cm_rview_change_human(CM_RCOL_PCT, c.pct, buf));
		cm_rout_adds(o, ")");
	}
	cm_rout_adds(o, " from ");
	cm_rout_htmls(o, pbuf);
	cm_rout_adds(o, "</small>");
}

/* The cards of group gi, in the order of the figures' card numbers;
 * pgi is the group in the previous period (--compare). */
static void kpis(const struct cm_rview *v, struct cm_rout *o, size_t gi,
    size_t pgi)
{
	struct cm_rfigval x;
	char buf[32];
	size_t f;
	int card, any = 1;

	cm_rout_adds(o, "<div class=\"kpis\">");
	for (card = 1; any; card++) {
		for (any = 0, f = 0; f < cm_rview_nfigs; f++) {
			if (cm_rview_figs[f].card != card)
				continue;
			any = 1;
			cm_rview_fig(v, f, gi, &x);
			card_value(cm_rview_figs[f].kind, &x, buf);
			cm_rout_adds(o, "<div class=\"kpi\"><b>");
			cm_rout_htmls(o, buf);
			cm_rout_adds(o, "</b><span>");
			cm_rout_htmls(o, cm_rview_fig_label(v, f));
			cm_rout_adds(o, "</span>");
			if (v->prev)
				card_change(v, o, f, gi, pgi);
			cm_rout_adds(o, "</div>");
		}
	}
	cm_rout_adds(o, "</div>\n");
}

static void html_table(const struct cm_rtab *t, struct cm_rout *o)
{
	size_t r, c;
	char buf[32];
	int open = strcmp(t->name, "summary") == 0 ||
	    strcmp(t->name, "comparison") == 0 ||
	    strcmp(t->name, "response") == 0 ||
	    strcmp(t->name, "response_times") == 0 ||
	    strcmp(t->name, "backlog") == 0 || strcmp(t->name, "input") == 0;

	cm_rout_printf(o, "<details id=\"%s\"%s><summary>", t->name,
	    open ? " open" : "");
	cm_rout_htmls(o, t->title);
	cm_rout_adds(o, "</summary>\n");
	if (t->nrows == 0) {
		cm_rout_adds(o, "<p>(none)</p></details>\n");
		return;
	}
	cm_rout_adds(o, "<table><thead><tr>");
	for (c = 0; c < t->ncols; c++) {
		cm_rout_adds(o, "<th>");
		cm_rout_htmls(o, t->cols[c]);
		cm_rout_adds(o, "</th>");
	}
	cm_rout_adds(o, "</tr></thead><tbody>\n");
	for (r = 0; r < t->nrows; r++) {
		cm_rout_adds(o, "<tr>");
		for (c = 0; c < t->ncols; c++) {
			cm_rout_adds(o, t->kinds[c] == CM_RCOL_TEXT ? "<td>" :
			    "<td class=\"n\">");
			cm_rout_htmls(o, cm_rtab_human(t, r, c, buf));
			cm_rout_adds(o, "</td>");
		}
		cm_rout_adds(o, "</tr>\n");
		cm_rout_flush(o, 0);
	}
	cm_rout_adds(o, "</tbody></table></details>\n");
}

void cm_report_html(const struct cm_rview *v, struct cm_rout *o)
{
	const struct cm_report *r = v->r;
	const char *sec = v->out->section;
	struct cm_rbucket *b;
	struct cm_rtab t;
	size_t i, s, n, gi, defs = 0;
	char a[21], z[21], now[21];

	cm_time_format(v->out->now, now);
	cm_rout_adds(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-"
	    "width,initial-scale=1\"><title>cm-report</title>\n<style>");
	cm_rout_adds(o, style);
	if (v->prev)
		cm_rout_adds(o, compare_style);
	cm_rout_adds(o, "</style></head><body>\n<header><h1>Community report"
	    "</h1><p class=\"meta\">");
	cm_rout_printf(o, "%" PRId64 " records", r->in[IN_RECORDS]);
	if (r->tmin <= r->tmax) {
		cm_time_format(r->tmin, a);
		cm_time_format(r->tmax, z);
		cm_rout_printf(o, " from %s to %s", a, z);
	}
	cm_rout_printf(o, " &middot; by %s in ",
	    cm_report_interval_name(r->o.interval));
	cm_rout_htmls(o, cm_zone_name(r->zone));
	cm_rout_printf(o, " &middot; %zu group%s &middot; made at %s UTC",
	    r->ng, r->ng == 1 ? "" : "s", now);
	if (v->prev) {
		cm_time_format(r->prev->o.since, a);
		cm_time_format(r->prev->o.until, z);
		cm_rout_printf(o, " &middot; compared with %s to %s", a, z);
	}
	cm_rout_adds(o, "</p></header>\n");

	/* With --section: just that section, no cards or charts. */
	for (i = 0; sec == NULL && i < r->ng && i < MAX_CHART_GROUPS; i++) {
		gi = v->order[i];
		cm_rout_printf(o, "<section class=\"group\" id=\"group-%zu\">"
		    "<h2>", i);
		group_name(v, r->g[gi], o);
		cm_rout_adds(o, "</h2>\n");
		kpis(v, o, gi, v->prev ? v->cmp_prev[i] : CM_RVIEW_NOGROUP);
		if ((n = cm_rview_timeline(r->g[gi], &b)) == (size_t)-1) {
			o->failed = 1;
			return;
		}
		chart_volume(v, o, i, b, n);
		chart_sentiment(v, o, i, b, n);
		free(b);
		chart_response(o, i, r->g[gi]);
		cm_rout_adds(o, "</section>\n");
		cm_rout_flush(o, 0);
	}
	if (sec == NULL && r->ng > MAX_CHART_GROUPS)
		cm_rout_printf(o, "<p>Charts for the %d largest of %zu groups; "
		    "the tables below have all.</p>\n", MAX_CHART_GROUPS, r->ng);

	if (sec == NULL || strcmp(sec, "definitions") != 0)
		cm_rout_adds(o, "<h2>Tables</h2>\n");
	for (s = 0; cm_report_sections[s]; s++) {
		if (strcmp(cm_report_sections[s], "definitions") == 0) {
			defs = s;
			continue;
		}
		if (sec && strcmp(sec, cm_report_sections[s]) != 0)
			continue;
		if (cm_rview_table(v, s, &t) < 0) {
			o->failed = 1;
			return;
		}
		html_table(&t, o);
		cm_rtab_free(&t);
		if (s != 0 || v->prev == NULL)
			continue;
		if (cm_rview_compare_table(v, &t) < 0) {
			o->failed = 1;
			return;
		}
		html_table(&t, o);
		cm_rtab_free(&t);
	}
	/* Definitions are the footnotes every KPI refers to by name. */
	if (sec && strcmp(sec, "definitions") != 0)
		goto end;
	if (cm_rview_table(v, defs, &t) < 0) {
		o->failed = 1;
		return;
	}
	cm_rout_adds(o, "<h2 id=\"definitions\">Definitions</h2>\n<dl>\n");
	for (i = 0; i < t.nrows; i++) {
		cm_rout_adds(o, "<dt>");
		cm_rout_htmls(o, cm_rtab_cell(&t, i, 0));
		cm_rout_adds(o, "</dt><dd>");
		cm_rout_htmls(o, cm_rtab_cell(&t, i, 1));
		cm_rout_adds(o, "</dd>\n");
	}
	cm_rtab_free(&t);
	cm_rout_adds(o, "</dl>\n");
end:
	cm_rout_adds(o, "<footer>Made by cm-report (cm " CM_VERSION
	    ").</footer>\n</body></html>\n");
}
