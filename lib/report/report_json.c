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
	for (k = 0; k < n && k < v->top; k++) {
		if (by_aux && it[k].aux == 0)
			break;
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
		cm_rout_printf(o, "{\"records\":%" PRId64 ",\"inbound\":%" PRId64
		    ",\"brand\":%" PRId64 ",\"brand_replies\":%" PRId64
		    ",\"scored\":%" PRId64 ",\"sentiment_mean\":",
		    g->st[ST_RECORDS], g->st[ST_INBOUND], g->st[ST_BRAND],
		    g->st[ST_BRAND_REPLIES], g->st[ST_SCORED]);
		j_senti(o, g->st[ST_SENTI], g->st[ST_SCORED]);
		cm_rout_printf(o, ",\"not_scored\":%" PRId64,
		    g->st[ST_NOT_SCORED]);
		cm_rout_adds(o, ",\"response_rate\":");
		j_ratio(o, g->st[ST_ANSWERED], g->st[ST_ELIGIBLE]);
		cm_rout_adds(o, ",\"first_response_median_s\":");
		if (g->cal.n)
			cm_rout_printf(o, "%" PRIu64, cm_hist_percentile(&g->cal,
			    50));
		else
			cm_rout_adds(o, "null");
		cm_rout_printf(o, ",\"backlog\":%" PRId64 "}", b->n);
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
		cm_rout_printf(o, "{\"exact\":%s,\"top\":",
		    cm_rcount_exact(g->c[rc]) ? "true" : "false");
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
	if (want(v, "input")) {
		cm_rout_adds(o, ",\"input\":{");
		for (i = 0; i < IN_N; i++)
			cm_rout_printf(o, "%s\"%s\":%" PRId64, i ? "," : "",
			    cm_in_names[i], r->in[i]);
		cm_rout_printf(o, ",\"unpaired_replies\":%" PRId64
		    ",\"incomplete_partials\":%ld}", v->brand_replies -
		    v->answered, r->incomplete);
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
