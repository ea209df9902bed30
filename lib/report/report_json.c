/* report_json.c - cm-report's report as one JSON object */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fmt.h"
#include "core/timeutil.h"

static void j_key(struct cm_rout *o, int *first, const char *k)
{
	cm_rout_adds(o, *first ? "\"" : ",\"");
	cm_rout_adds(o, k);
	cm_rout_adds(o, "\":");
	*first = 0;
}

static void j_ratio(struct cm_rout *o, int64_t a, int64_t b)
{
	if (b == 0)
		cm_rout_adds(o, "null");
	else
		cm_rout_printf(o, "%.4f", (double)a / (double)b);
}

static void j_senti(struct cm_rout *o, int64_t sum, int64_t n)
{
	if (n == 0)
		cm_rout_adds(o, "null");
	else
		cm_rout_printf(o, "%.4f", (double)sum / 1e6 / (double)n);
}

static void j_counter(const struct cm_rview *v, struct cm_rout *o,
    const struct cm_rgroup *g, int rc, int64_t total)
{
	struct cm_rcount_item *it;
	size_t n, k;

	if ((n = cm_rcount_sorted(g->c[rc], 0, &it)) == (size_t)-1) {
		o->failed = 1;
		return;
	}
	cm_rout_adds(o, "[");
	for (k = 0; k < n; k++) {
		cm_rout_adds(o, k ? ",{\"value\":" : "{\"value\":");
		cm_rout_json_str(o, it[k].key, it[k].len);
		cm_rout_printf(o, ",\"count\":%" PRId64 ",\"share\":",
		    it[k].count);
		j_ratio(o, it[k].count, total);
		cm_rout_adds(o, "}");
	}
	cm_rout_adds(o, "]");
	free(it);
	(void)v;
}

static void j_top(const struct cm_rview *v, struct cm_rout *o,
    const struct cm_rgroup *g, int rc, int by_aux, const char *name,
    const char *valname)
{
	struct cm_rcount_item *it;
	size_t n, k, m = 0;

	if ((n = cm_rcount_sorted(g->c[rc], by_aux, &it)) == (size_t)-1) {
		o->failed = 1;
		return;
	}
	cm_rout_adds(o, "[");
	for (k = 0; k < n && m < v->top; k++) {
		if (by_aux && it[k].aux == 0)
			break;
		if (rc == RC_TERMS && cm_rcount_has(v->r->ignore, it[k].key,
		    it[k].len))
			continue;
		cm_rout_printf(o, "%s{\"%s\":", m++ ? "," : "", name);
		cm_rout_json_str(o, it[k].key, it[k].len);
		cm_rout_printf(o, ",\"%s\":%" PRId64, valname, it[k].count);
		if (rc == RC_AUTHORS)
			cm_rout_printf(o, ",\"engagement\":%" PRId64, it[k].aux);
		cm_rout_printf(o, ",\"error\":%" PRId64 "}", it[k].err);
	}
	cm_rout_adds(o, "]");
	free(it);
}

/* "ignored":[...],: the brand's names left out, sorted. */
static void j_ignored(const struct cm_rview *v, struct cm_rout *o)
{
	struct cm_rcount_item *it;
	size_t n, k;

	if ((n = cm_rcount_sorted(v->r->ignore, 0, &it)) == (size_t)-1) {
		o->failed = 1;
		return;
	}
	cm_rout_adds(o, "\"ignored\":[");
	for (k = 0; k < n; k++) {
		if (k)
			cm_rout_adds(o, ",");
		cm_rout_json_str(o, it[k].key, it[k].len);
	}
	cm_rout_adds(o, "],");
	free(it);
}

static void j_hist(struct cm_rout *o, const struct cm_hist *h)
{
	if (h->n == 0) {
		cm_rout_adds(o, "{\"n\":0,\"mean_s\":null,\"median_s\":null,"
		    "\"p90_s\":null,\"min_s\":null,\"max_s\":null}");
		return;
	}
	cm_rout_printf(o, "{\"n\":%" PRIu64 ",\"mean_s\":%.1f,\"median_s\":%"
	    PRIu64 ",\"p90_s\":%" PRIu64 ",\"min_s\":%" PRIu64 ",\"max_s\":%"
	    PRIu64 "}", h->n, (double)h->sum / (double)h->n,
	    cm_hist_percentile(h, 50), cm_hist_percentile(h, 90), h->min,
	    h->max);
}

/* A figure's key: durations in seconds say so. */
static void j_fig_key(struct cm_rout *o, size_t f)
{
	cm_rout_printf(o, "\"%s%s\":", cm_rview_figs[f].name,
	    cm_rview_figs[f].kind == CM_RCOL_DUR ? "_s" : "");
}

/* The figures shown in `show` of group gi as an object. */
static void j_figs(const struct cm_rview *v, struct cm_rout *o, size_t gi,
    unsigned show)
{
	struct cm_rfigval x;
	char buf[32];
	size_t f;
	int n = 0;

	cm_rout_adds(o, "{");
	for (f = 0; f < cm_rview_nfigs; f++) {
		if (!(cm_rview_figs[f].show & show))
			continue;
		if (n++)
			cm_rout_adds(o, ",");
		j_fig_key(o, f);
		cm_rview_fig(v, f, gi, &x);
		cm_rview_fig_raw(cm_rview_figs[f].kind, &x, buf);
		cm_rout_adds(o, *buf ? buf : "null");
	}
	cm_rout_adds(o, "}");
}

static void j_num(struct cm_rout *o, const char *k, const char *raw)
{
	cm_rout_printf(o, "\"%s\":%s", k, *raw ? raw : "null");
}

static void j_time(struct cm_rout *o, int64_t t)
{
	char a[21];

	cm_time_format(t, a);
	cm_rout_printf(o, "\"%s\"", a);
}

/* --compare: every figure of every group of the comparison, now and in
 * the previous period, beside the groups (which stay as they are). */
static void j_comparison(const struct cm_rview *v, struct cm_rout *o)
{
	const struct cm_report *p = v->r->prev;
	const struct cm_rgroup *g;
	struct cm_rcmp c;
	const char *k;
	size_t i, f, n;

	cm_rout_adds(o, ",\"comparison\":{\"since\":");
	j_time(o, p->o.since);
	cm_rout_adds(o, ",\"until\":");
	j_time(o, p->o.until);
	cm_rout_printf(o, ",\"records\":%" PRId64 ",\"period\":",
	    p->in[IN_RECORDS]);
	if (p->tmin <= p->tmax) {
		cm_rout_adds(o, "{\"first\":");
		j_time(o, p->tmin);
		cm_rout_adds(o, ",\"last\":");
		j_time(o, p->tmax);
		cm_rout_adds(o, "}");
	} else {
		cm_rout_adds(o, "null");
	}
	cm_rout_adds(o, ",\"groups\":[");
	for (i = 0; i < v->ncmp; i++) {
		g = v->cmp_cur[i] != CM_RVIEW_NOGROUP ? v->r->g[v->cmp_cur[i]] :
		    p->g[v->cmp_prev[i]];
		cm_rout_adds(o, i ? ",{\"key\":{" : "{\"key\":{");
		for (f = 0; f < v->r->o.nby; f++) {
			if (f)
				cm_rout_adds(o, ",");
			cm_rout_json_str(o, v->r->o.by[f], strlen(v->r->o.by[f]));
			cm_rout_adds(o, ":");
			cm_rview_key_part(g, f, &k, &n);
			cm_rout_json_str(o, k, n);
		}
		cm_rout_adds(o, "},\"figures\":{");
		for (f = 0; f < cm_rview_nfigs; f++) {
			cm_rview_compare(v, f, v->cmp_cur[i], v->cmp_prev[i], &c);
			if (f)
				cm_rout_adds(o, ",");
			j_fig_key(o, f);
			cm_rout_adds(o, "{");
			j_num(o, "value", c.cur);
			cm_rout_adds(o, ",");
			j_num(o, "previous", c.prev);
			cm_rout_adds(o, ",");
			j_num(o, "change", c.change);
			cm_rout_adds(o, ",");
			j_num(o, "change_pct", c.pct);
			cm_rout_adds(o, "}");
		}
		cm_rout_adds(o, "}}");
		cm_rout_flush(o, 0);
	}
	cm_rout_adds(o, "]}");
}

static int want(const struct cm_rview *v, const char *s)
{
	const char *sec = v->out->section;

	if (sec == NULL)
		return 1;
	if (strcmp(s, "response") == 0)
		return strncmp(sec, "response", 8) == 0;
	return strcmp(sec, s) == 0;
}

static void j_group(const struct cm_rview *v, struct cm_rout *o,
    size_t gi)
{
	const struct cm_rgroup *g = v->r->g[gi];
	const struct cm_rback *b = &v->back[gi];
	struct cm_rbucket *tl;
	size_t i, n, idx[CM_RFOLLOW_K];
	const char *p;
	char label[64];
	int f = 1;
	int rc;

	cm_rout_adds(o, "{\"key\":{");
	for (i = 0; i < v->r->o.nby; i++) {
		if (i)
			cm_rout_adds(o, ",");
		cm_rout_json_str(o, v->r->o.by[i], strlen(v->r->o.by[i]));
		cm_rout_adds(o, ":");
		cm_rview_key_part(g, i, &p, &n);
		cm_rout_json_str(o, p, n);
	}
	cm_rout_adds(o, "}");
	f = 0;
	if (want(v, "summary")) {
		j_key(o, &f, "summary");
		j_figs(v, o, gi, CM_RFIG_JSON);
	}
	if (want(v, "timeline")) {
		j_key(o, &f, "timeline");
		if ((n = cm_rview_timeline(g, &tl)) == (size_t)-1) {
			o->failed = 1;
			return;
		}
		cm_rout_adds(o, "[");
		for (i = 0; i < n; i++) {
			cm_report_bucket_label(v->r, tl[i].b, label);
			cm_rout_printf(o, "%s{\"bucket\":\"%s\",\"records\":%"
			    PRId64 ",\"inbound\":%" PRId64 ",\"brand\":%" PRId64
			    ",\"scored\":%" PRId64 ",\"sentiment_mean\":",
			    i ? "," : "", label, tl[i].records, tl[i].inbound,
			    tl[i].brand, tl[i].scored);
			j_senti(o, tl[i].senti, tl[i].scored);
			cm_rout_printf(o, ",\"positive\":%" PRId64 ",\"neutral\":%"
			    PRId64 ",\"negative\":%" PRId64 "}", tl[i].pos,
			    tl[i].neu, tl[i].neg);
			cm_rout_flush(o, 0);
		}
		cm_rout_adds(o, "]");
		free(tl);
	}
	if (want(v, "breakdown")) {
		j_key(o, &f, "breakdown");
		cm_rout_adds(o, "{");
		for (rc = RC_PLATFORM; rc <= RC_KIND; rc++) {
			cm_rout_printf(o, "%s\"%s\":", rc ? "," : "",
			    cm_rc_names[rc]);
			j_counter(v, o, g, rc, g->st[ST_RECORDS]);
		}
		cm_rout_adds(o, "}");
	}
	if (want(v, "sentiment")) {
		j_key(o, &f, "sentiment");
		cm_rout_printf(o, "{\"scored\":%" PRId64 ",\"sentiment_mean\":",
		    g->st[ST_SCORED]);
		j_senti(o, g->st[ST_SENTI], g->st[ST_SCORED]);
		cm_rout_printf(o, ",\"not_scored\":%" PRId64,
		    g->st[ST_NOT_SCORED]);
		cm_rout_adds(o, ",\"labels\":");
		j_counter(v, o, g, RC_LABEL, g->st[ST_SCORED]);
		cm_rout_adds(o, "}");
	}
	if (want(v, "intents")) {
		j_key(o, &f, "intents");
		j_counter(v, o, g, RC_INTENT, g->st[ST_SCORED]);
	}
	if (want(v, "authors")) {
		j_key(o, &f, "authors");
		cm_rout_printf(o, "{\"exact\":%s,\"by_records\":",
		    cm_rcount_exact(g->c[RC_AUTHORS]) ? "true" : "false");
		j_top(v, o, g, RC_AUTHORS, 0, "author", "records");
		cm_rout_adds(o, ",\"by_engagement\":");
		j_top(v, o, g, RC_AUTHORS, 1, "author", "records");
		cm_rout_adds(o, ",\"by_followers\":[");
		cm_rfollow_sorted(&g->follow, idx);
		for (i = 0; i < g->follow.n && i < v->top; i++) {
			cm_rout_adds(o, i ? ",{\"author\":" : "{\"author\":");
			cm_rout_json_str(o, g->follow.e[idx[i]].key,
			    g->follow.e[idx[i]].len);
			cm_rout_printf(o, ",\"followers\":%" PRId64 "}",
			    g->follow.e[idx[i]].v);
		}
		cm_rout_adds(o, "]}");
	}
	for (rc = RC_TAGS; rc <= RC_TERMS; rc++) {
		if (!want(v, cm_rc_names[rc]))
			continue;
		j_key(o, &f, cm_rc_names[rc]);
		cm_rout_printf(o, "{\"exact\":%s,",
		    cm_rcount_exact(g->c[rc]) ? "true" : "false");
		if (rc == RC_TERMS)
			j_ignored(v, o);
		cm_rout_adds(o, "\"top\":");
		j_top(v, o, g, rc, 0, rc == RC_TAGS ? "tag" : "term", "records");
		cm_rout_adds(o, "}");
	}
	/* the three response sections share one object, each its part */
	if (want(v, "response")) {
		const char *sec = v->out->section;
		int all = sec == NULL, sep = 0;

		j_key(o, &f, "response");
		cm_rout_adds(o, "{");
		if (all || strcmp(sec, "response") == 0) {
			cm_rout_printf(o, "\"eligible\":%" PRId64 ",\"answered\":%"
			    PRId64 ",\"response_rate\":", g->st[ST_ELIGIBLE],
			    g->st[ST_ANSWERED]);
			j_ratio(o, g->st[ST_ANSWERED], g->st[ST_ELIGIBLE]);
			cm_rout_printf(o, ",\"spam\":%" PRId64, g->st[ST_SPAM]);
			sep = 1;
		}
		if (all || strcmp(sec, "response_times") == 0) {
			cm_rout_printf(o, "%s\"first_response_time\":{"
			    "\"percentile_error\":%.7f,\"calendar\":",
			    sep ? "," : "", CM_HIST_REL_ERROR);
			j_hist(o, &g->cal);
			cm_rout_adds(o, ",\"business\":");
			j_hist(o, &g->biz);
			cm_rout_adds(o, "}");
			sep = 1;
		}
		if (all || strcmp(sec, "response_distribution") == 0) {
			cm_rout_printf(o, "%s\"response_distribution\":[",
			    sep ? "," : "");
			for (i = 0; i < CM_RVIEW_NDIST; i++)
				cm_rout_printf(o, "%s{\"time\":\"%s\",\"calendar"
				    "\":%" PRId64 ",\"business\":%" PRId64 "}",
				    i ? "," : "", cm_rview_dist_bins[i],
				    cm_rview_dist(g, 0, i), cm_rview_dist(g, 1, i));
			cm_rout_adds(o, "]");
		}
		cm_rout_adds(o, "}");
	}
	if (want(v, "backlog")) {
		j_key(o, &f, "backlog");
		cm_rout_printf(o, "{\"unanswered\":%" PRId64, b->n);
		if (b->n)
			cm_rout_printf(o, ",\"oldest_s\":%" PRId64
			    ",\"median_age_s\":%" PRIu64, b->oldest,
			    cm_hist_percentile(&b->ages, 50));
		else
			cm_rout_adds(o, ",\"oldest_s\":null,\"median_age_s\":null");
		cm_rout_adds(o, ",\"ages\":[");
		for (i = 0; i < CM_RVIEW_NAGE; i++)
			cm_rout_printf(o, "%s{\"age\":\"%s\",\"count\":%" PRId64
			    "}", i ? "," : "", cm_rview_age_bins[i], b->bins[i]);
		cm_rout_adds(o, "]}");
	}
	cm_rout_adds(o, "}");
}

void cm_report_json(const struct cm_rview *v, struct cm_rout *o)
{
	const struct cm_report *r = v->r;
	struct cm_buf names = CM_BUF_INIT, texts = CM_BUF_INIT;
	size_t noff[64], toff[64], n, i;
	char a[21], b[21];

	cm_rout_adds(o, "{\"report\":\"cm-report\",\"options\":");
	cm_report_options_json(r, o, 0);
	cm_time_format(v->out->now, a);
	cm_rout_printf(o, ",\"now\":\"%s\",\"top\":%zu,\"since\":", a, v->top);
	if (r->o.since == INT64_MIN) {
		cm_rout_adds(o, "null");
	} else {
		cm_time_format(r->o.since, a);
		cm_rout_printf(o, "\"%s\"", a);
	}
	cm_rout_adds(o, ",\"until\":");
	if (r->o.until == INT64_MAX) {
		cm_rout_adds(o, "null");
	} else {
		cm_time_format(r->o.until, a);
		cm_rout_printf(o, "\"%s\"", a);
	}
	cm_rout_adds(o, "},\"period\":");
	if (r->tmin <= r->tmax) {
		cm_time_format(r->tmin, a);
		cm_time_format(r->tmax, b);
		cm_rout_printf(o, "{\"first\":\"%s\",\"last\":\"%s\"}", a, b);
	} else {
		cm_rout_adds(o, "null");
	}
	cm_rout_adds(o, ",\"groups\":[");
	for (i = 0; i < r->ng; i++) {
		if (i)
			cm_rout_adds(o, ",");
		j_group(v, o, v->order[i]);
		cm_rout_flush(o, 0);
	}
	cm_rout_adds(o, "]");
	if (v->prev && want(v, "summary"))
		j_comparison(v, o);
	if (want(v, "input")) {
		cm_rout_adds(o, ",\"input\":{");
		for (i = 0; i < IN_N; i++)
			cm_rout_printf(o, "%s\"%s\":%" PRId64, i ? "," : "",
			    cm_in_names[i], r->in[i]);
		cm_rout_printf(o, ",\"unpaired_replies\":%" PRId64
		    ",\"incomplete_partials\":%ld}", v->brand_replies +
		    v->sent - v->answered, r->incomplete);
	}
	if (want(v, "definitions")) {
		if ((n = cm_rview_definitions(v, &names, &texts, noff, toff,
		    64)) == (size_t)-1) {
			o->failed = 1;
			n = 0;
		}
		cm_rout_adds(o, ",\"definitions\":{");
		for (i = 0; i < n; i++) {
			if (i)
				cm_rout_adds(o, ",");
			cm_rout_json_str(o, names.data + noff[i],
			    strlen(names.data + noff[i]));
			cm_rout_adds(o, ":");
			cm_rout_json_str(o, texts.data + toff[i],
			    strlen(texts.data + toff[i]));
		}
		cm_rout_adds(o, "}");
	}
	cm_rout_adds(o, "}\n");
	cm_buf_free(&names);
	cm_buf_free(&texts);
}
