/* report_view.c - the finished report as the formats see it: groups in
 * order, the backlog at --now, the KPI definitions, and every section as
 * a table of strings */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_view.h"
#include "core/timeutil.h"

const char *const cm_report_sections[] = {
	"summary", "timeline", "breakdown", "sentiment", "intents", "authors",
	"tags", "terms", "response", "response_times", "response_distribution",
	"backlog", "input", "definitions", NULL
};

/* ---- the view ---- */

const char *const cm_rview_dist_bins[CM_RVIEW_NDIST] = {
	"<15m", "15m-1h", "1h-4h", "4h-24h", "1d-3d", ">=3d"
};
static const int64_t age_edges[] = { 0, 3600, 4 * 3600, 86400, 3 * 86400,
    7 * 86400, INT64_MAX };
const char *const cm_rview_age_bins[CM_RVIEW_NAGE] = {
	"<1h", "1h-4h", "4h-24h", "1d-3d", "3d-7d", ">=7d"
};

static int group_cmp(const void *pa, const void *pb, void *arg)
{
	struct cm_report *r = arg;
	const struct cm_rgroup *a = r->g[*(const size_t *)pa];
	const struct cm_rgroup *b = r->g[*(const size_t *)pb];
	size_t n;
	int d;

	if (a->st[ST_RECORDS] != b->st[ST_RECORDS])
		return a->st[ST_RECORDS] > b->st[ST_RECORDS] ? -1 : 1;
	n = a->keylen < b->keylen ? a->keylen : b->keylen;
	if ((d = memcmp(a->key, b->key, n)) != 0)
		return d;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

void cm_rview_free(struct cm_rview *v)
{
	size_t i;

	if (v == NULL)
		return;
	cm_rview_free(v->prev);
	free(v->cmp_cur);
	free(v->cmp_prev);
	if (v->back)
		for (i = 0; i < v->r->ng; i++)
			cm_hist_free(&v->back[i].ages);
	free(v->back);
	free(v->order);
	free(v);
}

/* The previous period's view and the groups the comparison shows. */
static int compare_groups(struct cm_rview *v)
{
	const struct cm_report *r = v->r, *p = r->prev;
	const struct cm_rgroup *g;
	size_t i, n = 0;
	uint32_t k;

	if ((v->prev = cm_rview_new(r->prev, v->out)) == NULL ||
	    (v->cmp_cur = malloc((r->ng + p->ng + 1) * sizeof(size_t))) ==
	    NULL ||
	    (v->cmp_prev = malloc((r->ng + p->ng + 1) * sizeof(size_t))) ==
	    NULL)
		return -1;
	for (i = 0; i < r->ng; i++, n++) {
		g = r->g[v->order[i]];
		v->cmp_cur[n] = v->order[i];
		v->cmp_prev[n] = cm_report_group_find(p, g->key, g->keylen, &k) ?
		    k : CM_RVIEW_NOGROUP;
	}
	for (i = 0; i < p->ng; i++) {
		g = p->g[v->prev->order[i]];
		if (cm_report_group_find(r, g->key, g->keylen, &k))
			continue;
		v->cmp_cur[n] = CM_RVIEW_NOGROUP;
		v->cmp_prev[n++] = v->prev->order[i];
	}
	v->ncmp = n;
	return 0;
}

struct cm_rview *cm_rview_new(struct cm_report *r,
    const struct cm_report_out *out)
{
	struct cm_rview *v;
	const struct cm_ridsub *s;
	struct cm_rback *b;
	size_t i, k;
	uint32_t j, *w;
	int64_t age;

	if (cm_report_pair(r) < 0 || (v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->r = r;
	v->out = out;
	v->top = out->top ? out->top : 10;
	if (v->top > CM_REPORT_MAX_TOP)
		v->top = CM_REPORT_MAX_TOP;
	if ((v->order = malloc((r->ng + 1) * sizeof(*v->order))) == NULL ||
	    (v->back = calloc(r->ng + 1, sizeof(*v->back))) == NULL)
		goto fail;
	for (i = 0; i < r->ng; i++)
		v->order[i] = i;
	qsort_r(v->order, r->ng, sizeof(*v->order), group_cmp, r);
	for (i = 0; i < 256; i++) {
		s = &r->open.sub[i];
		for (j = 0; j < s->cap; j++) {
			w = s->w + 3 * (size_t)j;
			if (!(w[0] | w[1]))
				continue;
			b = &v->back[s->g ? s->g[j] : 0];
			age = out->now - (int64_t)w[2];
			if (age < 0)
				age = 0;
			if (b->n == 0 || age > b->oldest)
				b->oldest = age;
			b->n++;
			for (k = 0; k + 1 < CM_RVIEW_NAGE + 1; k++)
				if (age >= age_edges[k] && age < age_edges[k + 1])
					b->bins[k]++;
			if (cm_hist_add(&b->ages, (uint64_t)age) < 0)
				goto fail;
		}
	}
	for (i = 0; i < r->ng; i++) {
		cm_rinc(&v->brand_replies, r->g[i]->st[ST_BRAND_REPLIES]);
		cm_rinc(&v->sent, r->g[i]->st[ST_SENT]);
		cm_rinc(&v->answered, r->g[i]->st[ST_ANSWERED]);
	}
	if (r->prev && compare_groups(v) < 0)
		goto fail;
	return v;
fail:
	cm_rview_free(v);
	return NULL;
}

/* The i-th --by value of a group key. */
void cm_rview_key_part(const struct cm_rgroup *g, size_t i, const char **p,
    size_t *n)
{
	const char *s = g->key, *end = g->key + g->keylen, *e;

	while (i-- > 0) {
		e = memchr(s, '\x1f', (size_t)(end - s));
		s = e ? e + 1 : end;
	}
	e = memchr(s, '\x1f', (size_t)(end - s));
	*p = s;
	*n = (size_t)((e ? e : end) - s);
}

int64_t cm_rview_dist(const struct cm_rgroup *g, int biz, size_t bin)
{
	return g->st[(biz ? ST_DIST_BIZ : ST_DIST_CAL) + bin];
}

static int bucket_cmp(const void *pa, const void *pb)
{
	const struct cm_rbucket *a = pa, *b = pb;

	return (a->b > b->b) - (a->b < b->b);
}

/* The timeline of a group sorted, gaps filled with empty buckets when
 * the span is at most CM_RVIEW_MAX_FILL buckets.  *out is malloc'd. */
size_t cm_rview_timeline(const struct cm_rgroup *g, struct cm_rbucket **out)
{
	struct cm_rbucket *v, *f;
	size_t n = g->series.n, i, k;
	int64_t span, b;

	*out = NULL;
	if (n == 0)
		return 0;
	if ((v = malloc(n * sizeof(*v))) == NULL)
		return (size_t)-1;
	memcpy(v, g->series.v, n * sizeof(*v));
	qsort(v, n, sizeof(*v), bucket_cmp);
	span = v[n - 1].b - v[0].b + 1;
	if (span <= CM_RVIEW_MAX_FILL && (size_t)span > n) {
		if ((f = calloc((size_t)span, sizeof(*f))) == NULL) {
			free(v);
			return (size_t)-1;
		}
		for (i = 0, k = 0, b = v[0].b; b <= v[n - 1].b; b++, i++) {
			if (k < n && v[k].b == b)
				f[i] = v[k++];
			else
				f[i].b = b;
		}
		free(v);
		v = f;
		n = (size_t)span;
	}
	*out = v;
	return n;
}

/* ---- the summary figures ---- */

static const struct cm_rgroup *fig_group(const struct cm_rview *v,
    size_t gi, struct cm_rfigval *o)
{
	memset(o, 0, sizeof(*o));
	return v->r->g[gi];
}

static void fig_count(struct cm_rfigval *o, int64_t n)
{
	o->have = 1;
	o->x = (double)n;
}

static void fig_sentiment(const struct cm_rview *v, size_t gi,
    struct cm_rfigval *o)
{
	const struct cm_rgroup *g = fig_group(v, gi, o);

	if ((o->have = g->st[ST_SCORED] != 0))
		o->x = (double)g->st[ST_SENTI] / 1e6 / (double)g->st[ST_SCORED];
}

static void fig_rate(const struct cm_rview *v, size_t gi,
    struct cm_rfigval *o)
{
	const struct cm_rgroup *g = fig_group(v, gi, o);

	o->num = g->st[ST_ANSWERED];
	o->den = g->st[ST_ELIGIBLE];
	if ((o->have = o->den != 0))
		o->x = (double)o->num / (double)o->den;
}

static void fig_pct(const struct cm_hist *h, int p, struct cm_rfigval *o)
{
	if ((o->have = h->n != 0))
		o->x = (double)cm_hist_percentile(h, p);
}

static void fig_median(const struct cm_rview *v, size_t gi,
    struct cm_rfigval *o)
{
	fig_pct(&fig_group(v, gi, o)->cal, 50, o);
}

static void fig_p90(const struct cm_rview *v, size_t gi,
    struct cm_rfigval *o)
{
	fig_pct(&fig_group(v, gi, o)->cal, 90, o);
}

static void fig_median_biz(const struct cm_rview *v, size_t gi,
    struct cm_rfigval *o)
{
	fig_pct(&fig_group(v, gi, o)->biz, 50, o);
}

static void fig_backlog(const struct cm_rview *v, size_t gi,
    struct cm_rfigval *o)
{
	(void)fig_group(v, gi, o);
	fig_count(o, v->back[gi].n);
}

#define T_J (CM_RFIG_TABLE | CM_RFIG_JSON)
const struct cm_rfig cm_rview_figs[] = {
	{ "records", "records", CM_RCOL_INT, 0, T_J, 1, NULL, ST_RECORDS },
	{ "inbound", "inbound", CM_RCOL_INT, 0, T_J, 2, NULL, ST_INBOUND },
	{ "brand", "brand", CM_RCOL_INT, 0, T_J, 0, NULL, ST_BRAND },
	{ "brand_replies", "brand replies", CM_RCOL_INT, 0, T_J, 0, NULL,
	    ST_BRAND_REPLIES },
	{ "scored", "scored", CM_RCOL_INT, 0, CM_RFIG_JSON, 0, NULL,
	    ST_SCORED },
	{ "sentiment_mean", "mean sentiment", CM_RCOL_REAL, 1, T_J, 9,
	    fig_sentiment, 0 },
	/* texts in a language the lexicon lacks: no better or worse */
	{ "not_scored", "not scored (language)", CM_RCOL_INT, 0, T_J, 0,
	    NULL, ST_NOT_SCORED },
	{ "response_rate", "response rate", CM_RCOL_RATIO, 1, T_J, 3,
	    fig_rate, 0 },
	{ "first_response_median", "median first response", CM_RCOL_DUR, -1,
	    T_J, 4, fig_median, 0 },
	{ "first_response_p90", "p90 first response", CM_RCOL_DUR, -1, 0, 5,
	    fig_p90, 0 },
	{ "first_response_median_business", "median, business hours",
	    CM_RCOL_DUR, -1, 0, 6, fig_median_biz, 0 },
	{ "backlog", "unanswered backlog", CM_RCOL_INT, -1, T_J, 7,
	    fig_backlog, 0 },
	/* spam is no measure of the team's work: no better or worse */
	{ "spam", "spam (not in the response rate)", CM_RCOL_INT, 0, T_J, 8,
	    NULL, ST_SPAM },
};
#undef T_J
const size_t cm_rview_nfigs = sizeof(cm_rview_figs) / sizeof(cm_rview_figs[0]);

const char *cm_rview_fig_label(const struct cm_rview *v, size_t fig)
{
	if (cm_rview_figs[fig].get == NULL &&
	    cm_rview_figs[fig].st == ST_SPAM && v->r->o.include_spam)
		return "spam (in the response rate)";
	return cm_rview_figs[fig].label;
}

void cm_rview_fig(const struct cm_rview *v, size_t fig, size_t gi,
    struct cm_rfigval *out)
{
	if (gi == CM_RVIEW_NOGROUP) {
		/* nothing was counted: counts are 0, the rest has no value */
		memset(out, 0, sizeof(*out));
		out->have = cm_rview_figs[fig].kind == CM_RCOL_INT;
		return;
	}
	if (cm_rview_figs[fig].get == NULL)
		fig_count(out, fig_group(v, gi, out)->st[cm_rview_figs[fig].st]);
	else
		cm_rview_figs[fig].get(v, gi, out);
}

void cm_rview_fig_raw(int kind, const struct cm_rfigval *x, char buf[32])
{
	if (!x->have)
		buf[0] = '\0';
	else if (kind == CM_RCOL_REAL || kind == CM_RCOL_RATIO)
		snprintf(buf, 32, "%.4f", x->x);
	else
		snprintf(buf, 32, "%.0f", x->x);
}

const char *cm_rview_fig_unit(int kind)
{
	switch (kind) {
	case CM_RCOL_REAL: return "mean";
	case CM_RCOL_RATIO: return "rate";
	case CM_RCOL_DUR: return "duration";
	default: return "count";
	}
}

void cm_rview_compare(const struct cm_rview *v, size_t fig, size_t gcur,
    size_t gprev, struct cm_rcmp *c)
{
	int kind = cm_rview_figs[fig].kind;
	struct cm_rfigval a, b;
	double d, pa, pb;

	cm_rview_fig(v, fig, gcur, &a);
	cm_rview_fig(v->prev, fig, gprev, &b);
	cm_rview_fig_raw(kind, &a, c->cur);
	cm_rview_fig_raw(kind, &b, c->prev);
	c->change[0] = c->pct[0] = '\0';
	c->sign = 0;
	if (!a.have || !b.have)
		return;
	/* of the values as CSV and JSON show them, so that their cells
	 * add up (text rounds further: cm-report(1) says so) */
	pa = strtod(c->cur, NULL);
	pb = strtod(c->prev, NULL);
	d = pa - pb;
	c->sign = (d > 0) - (d < 0);
	if (kind == CM_RCOL_REAL || kind == CM_RCOL_RATIO) {
		snprintf(c->change, sizeof(c->change), "%.4f", d);
		return;
	}
	snprintf(c->change, sizeof(c->change), "%.0f", d);
	/* a relative change of a mean or a rate says little: only counts
	 * and durations have one */
	if (pb != 0)
		snprintf(c->pct, sizeof(c->pct), "%.1f", 100 * d / pb);
}

const char *cm_rview_change_human(int kind, const char *raw, char buf[32])
{
	char d[32];
	double x;

	if (*raw == '\0')
		return "-";
	x = strtod(raw, NULL);
	if (x == 0)
		return kind == CM_RCOL_RATIO ? "0.0 pp" : kind == CM_RCOL_REAL ?
		    "0.000" : kind == CM_RCOL_PCT ? "0.0%" : "0";
	switch (kind) {
	case CM_RCOL_RATIO:
		snprintf(buf, 32, "%+.1f pp", x * 100);
		break;
	case CM_RCOL_REAL:
		snprintf(buf, 32, "%+.3f", x);
		break;
	case CM_RCOL_DUR:
		buf[0] = x < 0 ? '-' : '+';
		cm_rview_human_dur((int64_t)(x < 0 ? -x : x), d);
		snprintf(buf + 1, 31, "%.30s", d);
		break;
	case CM_RCOL_PCT:
		snprintf(buf, 32, "%+.1f%%", x);
		break;
	default:
		snprintf(buf, 32, "%+.0f", x);
	}
	return buf;
}

/* ---- definitions: every KPI names one ---- */

size_t cm_rview_definitions(const struct cm_rview *v, struct cm_buf *names,
    struct cm_buf *texts, size_t *noff, size_t *toff, size_t max)
{
	const struct cm_report *r = v->r;
	char days[32], hours[16], now[21];
	size_t n = 0;
	int e = 0;

	cm_bizhours_format_days(r->o.workdays, days);
	snprintf(hours, sizeof(hours), "%02d:%02d-%02d:%02d",
	    r->o.open / 60 % 100, r->o.open % 60, r->o.close / 60 % 100,
	    r->o.close % 60);
#define DEF(name, ...) do { \
	if (n < max) { \
		noff[n] = names->len; \
		toff[n] = texts->len; \
		e |= cm_buf_adds(names, name) | cm_buf_addc(names, 0); \
		e |= cm_buf_printf(texts, __VA_ARGS__) | cm_buf_addc(texts, 0); \
		n++; \
	} \
} while (0)
	DEF("records", "%s", "input lines that are JSON objects, within "
	    "--since/--until; a record missing a field is counted under "
	    "\"unknown\" for it, never dropped");
	DEF("inbound", "%s", "records whose author.is_brand is not true: what "
	    "people wrote");
	DEF("brand", "%s", "records whose author.is_brand is true: what the "
	    "managed accounts wrote");
	DEF("brand_replies", "%s", "brand records with an in_reply_to");
	DEF("timeline", "records by created_at in buckets of one %s in %s "
	    "(weeks start on Monday)", cm_report_interval_name(r->o.interval),
	    cm_zone_name(r->zone));
	DEF("share", "%s", "count / records of the group (breakdown), or / "
	    "scored records (sentiment, intents)");
	DEF("scored", "%s", "inbound records with a numeric score.sentiment "
	    "(added by cm-score)");
	DEF("sentiment_mean", "%s", "mean score.sentiment (-1 to 1) of scored "
	    "inbound records, summed in millionths so merging is exact");
	DEF("not_scored", "%s", "inbound records with score.sentiment null: "
	    "in a language the lexicon does not cover, left out of the "
	    "sentiment mean and labels");
	DEF("engagement", "%s", "metrics.likes + reposts + replies + quotes of "
	    "an author's inbound records (null counts 0)");
	DEF("followers", "%s", "the largest author.followers seen for an "
	    "author (exact top list, also when merged)");
	DEF("top_lists", "authors (PLATFORM:HANDLE), tags and terms of inbound "
	    "records, ranked by count then name; exact while a group has at "
	    "most %zu distinct keys (--capacity), past that a Space-Saving "
	    "sketch whose counts exceed the truth by at most error",
	    r->o.capacity);
	DEF("terms", "words of inbound texts, lowercased, without URLs, "
	    "@mentions, #hashtags, numbers, words under 3 bytes, common stop "
	    "words and the brand's own names (%zu: [report] ignore_terms, the "
	    "first term of each account's handle and of brand records' "
	    "author.handle)", cm_rcount_len(r->ignore));
	if (r->o.include_spam)
		DEF("eligible", "%s", "inbound records with an id and a "
		    "created_at: the ones a reply can be matched to; spam "
		    "included (--include-spam)");
	else
		DEF("eligible", "%s", "inbound records with an id and a "
		    "created_at, but for spam: the ones a reply can be "
		    "matched to");
	DEF("spam", "inbound records with an id and a created_at whose "
	    "score.intent is \"spam\"; %s", r->o.include_spam ?
	    "counted in eligible too (--include-spam)" : "left out of "
	    "eligible, response_rate and backlog (--include-spam puts them "
	    "back)");
	DEF("answered", "%s", "eligible records with at least one brand reply "
	    "(author.is_brand true, in_reply_to equal to the record's id) "
	    "anywhere in the input, or with their own reply.status \"sent\" "
	    "(cm-reply's output): a reply sent at reply.sent_at");
	DEF("response_rate", "%s", "answered / eligible");
	DEF("first_response_time", "%s", "created_at of the earliest brand "
	    "reply (or the reply.sent_at, if earlier) to an answered record "
	    "minus the record's created_at (0 "
	    "when negative); mean, min and max are exact");
	DEF("business_time", "the same span counted only inside business "
	    "hours, %s on %s in %s", hours, days, cm_zone_name(r->zone));
	DEF("percentiles", "%s", "median and p90 by nearest rank over a "
	    "log-bucketed histogram (64 buckets per doubling): within 0.79% of "
	    "the exact value, exact below 128 s; histograms merge exactly");
	DEF("response_distribution", "%s", "answered records by first "
	    "response time, in calendar and in business time, in the bins "
	    "<15m, 15m-1h, 1h-4h, 4h-24h, 1d-3d and >=3d; exact counts of "
	    "each record's own time (a bin holds its lower edge, not its "
	    "upper one: 899 s is <15m, 900 s is 15m-1h)");
	DEF("backlog", "%s", "eligible records with no brand reply in the "
	    "input (unanswered)");
	cm_time_format(v->out->now, now);
	DEF("age", "now (%s, --now) minus created_at of an unanswered "
	    "record", now);
	DEF("unpaired_replies", "%s", "brand replies and sent replies that "
	    "were no eligible record's first: follow-ups, replies to records "
	    "not in the input or to spam, a sent reply seen again as a brand "
	    "record");
	if (v->prev) {
		char a[21], b[21];

		cm_time_format(r->prev->o.since, a);
		cm_time_format(r->prev->o.until, b);
		DEF("comparison", "the summary figures of the records created "
		    "from %s to before %s (--compare), counted as a report of "
		    "that period alone; change is current minus previous as "
		    "shown (rates in percentage points, fractions in CSV and "
		    "JSON), change_pct the change in percent of previous, for "
		    "counts and durations", a, b);
	}
#undef DEF
	return e ? (size_t)-1 : n;
}

/* ---- tables ---- */

static void tab_init(struct cm_rtab *t, const char *name, const char *title)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	snprintf(t->title, sizeof(t->title), "%s", title);
}

void cm_rtab_free(struct cm_rtab *t)
{
	cm_buf_free(&t->cells);
	free(t->off);
	t->off = NULL;
	free(t->rkind);
	t->rkind = NULL;
}

static void tab_col(struct cm_rtab *t, const char *name, int kind)
{
	if (t->ncols < CM_RTAB_MAXCOLS) {
		t->cols[t->ncols] = name;
		t->kinds[t->ncols++] = kind;
	}
}

/* Array a (elements of size each, *alloc of them) with room for one
 * more after n: doubled, from first; NULL, with the table failed, when
 * out of memory (a is kept). */
static void *tab_room(struct cm_rtab *t, void *a, size_t *alloc, size_t n,
    size_t size, size_t first)
{
	void *na;
	size_t k;

	if (n < *alloc)
		return a;
	k = *alloc ? *alloc * 2 : first;
	if ((na = realloc(a, k * size)) == NULL) {
		t->failed = 1;
		return NULL;
	}
	*alloc = k;
	return na;
}

static void tab_cell(struct cm_rtab *t, const char *p, size_t n)
{
	size_t *no = tab_room(t, t->off, &t->alloc, t->n, sizeof(*no), 64);

	if (no == NULL)
		return;
	t->off = no;
	t->off[t->n++] = t->cells.len;
	if (cm_buf_add(&t->cells, p, n) < 0 || cm_buf_addc(&t->cells, 0) < 0)
		t->failed = 1;
}

static void __attribute__((format(printf, 2, 3)))
tab_cellf(struct cm_rtab *t, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	tab_cell(t, tmp, n < 0 ? 0 : (size_t)n >= sizeof(tmp) ?
	    sizeof(tmp) - 1 : (size_t)n);
}

static void tab_int(struct cm_rtab *t, int64_t x)
{
	tab_cellf(t, "%" PRId64, x);
}

/* A ratio with four decimals, empty when the denominator is 0. */
static void tab_ratio(struct cm_rtab *t, int64_t a, int64_t b)
{
	if (b == 0)
		tab_cell(t, "", 0);
	else
		tab_cellf(t, "%.4f", (double)a / (double)b);
}

static void tab_senti(struct cm_rtab *t, int64_t sum, int64_t n)
{
	if (n == 0)
		tab_cell(t, "", 0);
	else
		tab_cellf(t, "%.4f", (double)sum / 1e6 / (double)n);
}

/* The leading --by columns of a table. */
static void by_cols(const struct cm_rview *v, struct cm_rtab *t)
{
	size_t i;

	for (i = 0; i < v->r->o.nby; i++)
		tab_col(t, v->r->o.by[i], CM_RCOL_TEXT);
}

static void by_cells(const struct cm_rview *v, struct cm_rtab *t,
    const struct cm_rgroup *g)
{
	const char *p;
	size_t i, n;

	for (i = 0; i < v->r->o.nby; i++) {
		cm_rview_key_part(g, i, &p, &n);
		tab_cell(t, p, n);
	}
}

static void t_summary(const struct cm_rview *v, struct cm_rtab *t)
{
	struct cm_rfigval x;
	char buf[32];
	size_t i, f;

	tab_init(t, "summary", "Summary");
	by_cols(v, t);
	for (f = 0; f < cm_rview_nfigs; f++)
		if (cm_rview_figs[f].show & CM_RFIG_TABLE)
			tab_col(t, cm_rview_figs[f].name, cm_rview_figs[f].kind);
	for (i = 0; i < v->r->ng; i++) {
		by_cells(v, t, v->r->g[v->order[i]]);
		for (f = 0; f < cm_rview_nfigs; f++) {
			if (!(cm_rview_figs[f].show & CM_RFIG_TABLE))
				continue;
			cm_rview_fig(v, f, v->order[i], &x);
			cm_rview_fig_raw(cm_rview_figs[f].kind, &x, buf);
			tab_cell(t, buf, strlen(buf));
		}
	}
}

static void tab_rkind(struct cm_rtab *t, int kind)
{
	int *nk = tab_room(t, t->rkind, &t->rkalloc, t->nrkind, sizeof(*nk),
	    32);

	if (nk == NULL)
		return;
	t->rkind = nk;
	t->rkind[t->nrkind++] = kind;
}

/* Long form, a row a figure: the figures are of different kinds. */
static void t_compare(const struct cm_rview *v, struct cm_rtab *t)
{
	const struct cm_report *p = v->r->prev;
	const struct cm_rgroup *g;
	struct cm_rcmp c;
	char a[21], b[21];
	const char *u;
	size_t i, f;

	tab_init(t, "comparison", "");
	cm_time_format(p->o.since, a);
	cm_time_format(p->o.until, b);
	snprintf(t->title, sizeof(t->title), "Compared with the previous "
	    "period (%s to %s)", a, b);
	by_cols(v, t);
	tab_col(t, "figure", CM_RCOL_TEXT);
	tab_col(t, "unit", CM_RCOL_TEXT);
	tab_col(t, "current", CM_RCOL_ROW);
	tab_col(t, "previous", CM_RCOL_ROW);
	tab_col(t, "change", CM_RCOL_CHANGE);
	tab_col(t, "change_pct", CM_RCOL_PCT);
	for (i = 0; i < v->ncmp; i++) {
		g = v->cmp_cur[i] != CM_RVIEW_NOGROUP ? v->r->g[v->cmp_cur[i]] :
		    p->g[v->cmp_prev[i]];
		for (f = 0; f < cm_rview_nfigs; f++) {
			cm_rview_compare(v, f, v->cmp_cur[i], v->cmp_prev[i], &c);
			by_cells(v, t, g);
			tab_cell(t, cm_rview_figs[f].name,
			    strlen(cm_rview_figs[f].name));
			u = cm_rview_fig_unit(cm_rview_figs[f].kind);
			tab_cell(t, u, strlen(u));
			tab_cell(t, c.cur, strlen(c.cur));
			tab_cell(t, c.prev, strlen(c.prev));
			tab_cell(t, c.change, strlen(c.change));
			tab_cell(t, c.pct, strlen(c.pct));
			tab_rkind(t, cm_rview_figs[f].kind);
		}
	}
}

/* A table made: its rows counted, or freed with -1 (ENOMEM) when a cell
 * could not be kept or a row was left short. */
static int tab_finish(struct cm_rtab *t)
{
	if (t->ncols && t->n % t->ncols != 0)
		t->failed = 1;
	if (t->failed) {
		cm_rtab_free(t);
		errno = ENOMEM;
		return -1;
	}
	t->nrows = t->ncols ? t->n / t->ncols : 0;
	return 0;
}

int cm_rview_compare_table(const struct cm_rview *v, struct cm_rtab *t)
{
	t_compare(v, t);
	return tab_finish(t);
}

static void t_timeline(const struct cm_rview *v, struct cm_rtab *t)
{
	struct cm_rbucket *b;
	char label[64];
	size_t i, k, n;

	tab_init(t, "timeline", "");
	snprintf(t->title, sizeof(t->title), "Volume and sentiment by %s (%s)",
	    cm_report_interval_name(v->r->o.interval), cm_zone_name(v->r->zone));
	by_cols(v, t);
	tab_col(t, cm_report_interval_name(v->r->o.interval), CM_RCOL_TEXT);
	tab_col(t, "records", CM_RCOL_INT);
	tab_col(t, "inbound", CM_RCOL_INT);
	tab_col(t, "brand", CM_RCOL_INT);
	tab_col(t, "scored", CM_RCOL_INT);
	tab_col(t, "sentiment_mean", CM_RCOL_REAL);
	tab_col(t, "positive", CM_RCOL_INT);
	tab_col(t, "neutral", CM_RCOL_INT);
	tab_col(t, "negative", CM_RCOL_INT);
	for (i = 0; i < v->r->ng; i++) {
		const struct cm_rgroup *g = v->r->g[v->order[i]];

		if ((n = cm_rview_timeline(g, &b)) == (size_t)-1) {
			t->failed = 1;
			return;
		}
		for (k = 0; k < n; k++) {
			by_cells(v, t, g);
			cm_report_bucket_label(v->r, b[k].b, label);
			tab_cell(t, label, strlen(label));
			tab_int(t, b[k].records);
			tab_int(t, b[k].inbound);
			tab_int(t, b[k].brand);
			tab_int(t, b[k].scored);
			tab_senti(t, b[k].senti, b[k].scored);
			tab_int(t, b[k].pos);
			tab_int(t, b[k].neu);
			tab_int(t, b[k].neg);
		}
		free(b);
	}
}

/* Rows "value count share" of a counter, every entry. */
static void counter_rows(const struct cm_rview *v, struct cm_rtab *t,
    const struct cm_rgroup *g, int rc, const char *field, int64_t total)
{
	struct cm_rcount_item *it;
	size_t n, k;

	if ((n = cm_rcount_sorted(g->c[rc], 0, &it)) == (size_t)-1) {
		t->failed = 1;
		return;
	}
	for (k = 0; k < n; k++) {
		by_cells(v, t, g);
		if (field)
			tab_cell(t, field, strlen(field));
		tab_cell(t, it[k].key, it[k].len);
		tab_int(t, it[k].count);
		tab_ratio(t, it[k].count, total);
	}
	free(it);
}

static void t_breakdown(const struct cm_rview *v, struct cm_rtab *t)
{
	size_t i;
	int rc;

	tab_init(t, "breakdown", "Volume by platform, reason and kind");
	by_cols(v, t);
	tab_col(t, "field", CM_RCOL_TEXT);
	tab_col(t, "value", CM_RCOL_TEXT);
	tab_col(t, "records", CM_RCOL_INT);
	tab_col(t, "share", CM_RCOL_RATIO);
	for (i = 0; i < v->r->ng; i++)
		for (rc = RC_PLATFORM; rc <= RC_KIND; rc++)
			counter_rows(v, t, v->r->g[v->order[i]], rc,
			    cm_rc_names[rc],
			    v->r->g[v->order[i]]->st[ST_RECORDS]);
}

static void t_mix(const struct cm_rview *v, struct cm_rtab *t, int rc)
{
	size_t i;

	if (rc == RC_LABEL)
		tab_init(t, "sentiment", "Sentiment mix (score.label of scored "
		    "inbound records)");
	else
		tab_init(t, "intents", "Intents (score.intent of scored inbound "
		    "records)");
	by_cols(v, t);
	tab_col(t, rc == RC_LABEL ? "label" : "intent", CM_RCOL_TEXT);
	tab_col(t, "records", CM_RCOL_INT);
	tab_col(t, "share", CM_RCOL_RATIO);
	for (i = 0; i < v->r->ng; i++)
		counter_rows(v, t, v->r->g[v->order[i]], rc, NULL,
		    v->r->g[v->order[i]]->st[ST_SCORED]);
}

static void top_rows(const struct cm_rview *v, struct cm_rtab *t,
    const struct cm_rgroup *g, int rc, int by_aux, const char *ranking)
{
	struct cm_rcount_item *it;
	size_t n, k, m;

	if ((n = cm_rcount_sorted(g->c[rc], by_aux, &it)) == (size_t)-1) {
		t->failed = 1;
		return;
	}
	for (k = 0, m = 0; k < n && m < v->top; k++) {
		if (by_aux && it[k].aux == 0)
			break;
		if (rc == RC_TERMS && cm_rcount_has(v->r->ignore, it[k].key,
		    it[k].len))
			continue;
		by_cells(v, t, g);
		if (ranking)
			tab_cell(t, ranking, strlen(ranking));
		tab_int(t, (int64_t)++m);
		tab_cell(t, it[k].key, it[k].len);
		tab_int(t, by_aux ? it[k].aux : it[k].count);
		tab_int(t, it[k].err);
	}
	free(it);
}

static void t_authors(const struct cm_rview *v, struct cm_rtab *t)
{
	size_t i, k, idx[CM_RFOLLOW_K];

	tab_init(t, "authors", "Top authors (inbound) by records, engagement "
	    "and followers");
	by_cols(v, t);
	tab_col(t, "ranking", CM_RCOL_TEXT);
	tab_col(t, "rank", CM_RCOL_INT);
	tab_col(t, "author", CM_RCOL_TEXT);
	tab_col(t, "value", CM_RCOL_INT);
	tab_col(t, "error", CM_RCOL_INT);
	for (i = 0; i < v->r->ng; i++) {
		const struct cm_rgroup *g = v->r->g[v->order[i]];

		top_rows(v, t, g, RC_AUTHORS, 0, "records");
		top_rows(v, t, g, RC_AUTHORS, 1, "engagement");
		cm_rfollow_sorted(&g->follow, idx);
		for (k = 0; k < g->follow.n && k < v->top; k++) {
			by_cells(v, t, g);
			tab_cell(t, "followers", 9);
			tab_int(t, (int64_t)k + 1);
			tab_cell(t, g->follow.e[idx[k]].key,
			    g->follow.e[idx[k]].len);
			tab_int(t, g->follow.e[idx[k]].v);
			tab_int(t, 0);
		}
	}
}

static void t_top(const struct cm_rview *v, struct cm_rtab *t, int rc)
{
	size_t i;

	if (rc == RC_TAGS)
		tab_init(t, "tags", "Top tags (inbound)");
	else
		tab_init(t, "terms", "Top terms (inbound)");
	by_cols(v, t);
	tab_col(t, "rank", CM_RCOL_INT);
	tab_col(t, rc == RC_TAGS ? "tag" : "term", CM_RCOL_TEXT);
	tab_col(t, "records", CM_RCOL_INT);
	tab_col(t, "error", CM_RCOL_INT);
	for (i = 0; i < v->r->ng; i++)
		top_rows(v, t, v->r->g[v->order[i]], rc, 0, NULL);
}

static void t_response(const struct cm_rview *v, struct cm_rtab *t)
{
	size_t i;

	tab_init(t, "response", "Response rate");
	by_cols(v, t);
	tab_col(t, "eligible", CM_RCOL_INT);
	tab_col(t, "answered", CM_RCOL_INT);
	tab_col(t, "response_rate", CM_RCOL_RATIO);
	tab_col(t, "backlog", CM_RCOL_INT);
	tab_col(t, "spam", CM_RCOL_INT);
	for (i = 0; i < v->r->ng; i++) {
		const struct cm_rgroup *g = v->r->g[v->order[i]];

		by_cells(v, t, g);
		tab_int(t, g->st[ST_ELIGIBLE]);
		tab_int(t, g->st[ST_ANSWERED]);
		tab_ratio(t, g->st[ST_ANSWERED], g->st[ST_ELIGIBLE]);
		tab_int(t, v->back[v->order[i]].n);
		tab_int(t, g->st[ST_SPAM]);
	}
}

static void dur_cell(struct cm_rtab *t, const struct cm_hist *h, int what)
{
	if (h->n == 0) {
		tab_cell(t, "", 0);
		return;
	}
	switch (what) {
	case 0:
		tab_cellf(t, "%.1f", (double)h->sum / (double)h->n);
		break;
	case 1:
		tab_int(t, (int64_t)cm_hist_percentile(h, 50));
		break;
	case 2:
		tab_int(t, (int64_t)cm_hist_percentile(h, 90));
		break;
	case 3:
		tab_int(t, (int64_t)h->min);
		break;
	default:
		tab_int(t, (int64_t)h->max);
	}
}

static void t_times(const struct cm_rview *v, struct cm_rtab *t)
{
	static const char *const stat[] = { "mean", "median", "p90", "min",
	    "max" };
	size_t i;
	int k;

	tab_init(t, "response_times", "First response time (calendar and "
	    "business hours)");
	by_cols(v, t);
	tab_col(t, "statistic", CM_RCOL_TEXT);
	tab_col(t, "answered", CM_RCOL_INT);
	tab_col(t, "calendar", CM_RCOL_DUR);
	tab_col(t, "business", CM_RCOL_DUR);
	for (i = 0; i < v->r->ng; i++) {
		const struct cm_rgroup *g = v->r->g[v->order[i]];

		for (k = 0; k < 5; k++) {
			by_cells(v, t, g);
			tab_cell(t, stat[k], strlen(stat[k]));
			tab_int(t, (int64_t)g->cal.n);
			dur_cell(t, &g->cal, k);
			dur_cell(t, &g->biz, k);
		}
	}
}

static void t_dist(const struct cm_rview *v, struct cm_rtab *t)
{
	size_t i, k;

	tab_init(t, "response_distribution", "First response time "
	    "distribution");
	by_cols(v, t);
	tab_col(t, "time", CM_RCOL_TEXT);
	tab_col(t, "calendar", CM_RCOL_INT);
	tab_col(t, "business", CM_RCOL_INT);
	for (i = 0; i < v->r->ng; i++) {
		const struct cm_rgroup *g = v->r->g[v->order[i]];

		for (k = 0; k < CM_RVIEW_NDIST; k++) {
			by_cells(v, t, g);
			tab_cell(t, cm_rview_dist_bins[k],
			    strlen(cm_rview_dist_bins[k]));
			tab_int(t, cm_rview_dist(g, 0, k));
			tab_int(t, cm_rview_dist(g, 1, k));
		}
	}
}

static void t_backlog(const struct cm_rview *v, struct cm_rtab *t)
{
	size_t i, k;

	tab_init(t, "backlog", "Unanswered backlog by age");
	by_cols(v, t);
	tab_col(t, "unanswered", CM_RCOL_INT);
	tab_col(t, "oldest", CM_RCOL_DUR);
	tab_col(t, "median_age", CM_RCOL_DUR);
	for (k = 0; k < CM_RVIEW_NAGE; k++)
		tab_col(t, cm_rview_age_bins[k], CM_RCOL_INT);
	for (i = 0; i < v->r->ng; i++) {
		const struct cm_rback *b = &v->back[v->order[i]];

		by_cells(v, t, v->r->g[v->order[i]]);
		tab_int(t, b->n);
		if (b->n) {
			tab_int(t, b->oldest);
			tab_int(t, (int64_t)cm_hist_percentile(&b->ages, 50));
		} else {
			tab_cell(t, "", 0);
			tab_cell(t, "", 0);
		}
		for (k = 0; k < CM_RVIEW_NAGE; k++)
			tab_int(t, b->bins[k]);
	}
}

static void t_input(const struct cm_rview *v, struct cm_rtab *t)
{
	static const char *const what[IN_N] = {
		"records", "bad lines (reported on stderr with file:line)",
		"records outside --since/--until", "records without id",
		"records without platform (counted as unknown)",
		"records without kind (counted as unknown)",
		"records without reason (counted as unknown)",
		"records without a valid created_at",
		"records without author or author handle/id",
		"records without author.is_brand (counted as inbound)",
		"records with reply.status sent but no valid reply.sent_at"
	};
	const char *s;
	size_t i;

	tab_init(t, "input", "Input");
	tab_col(t, "item", CM_RCOL_TEXT);
	tab_col(t, "count", CM_RCOL_INT);
	for (i = 0; i < IN_N; i++) {
		if (i >= IN_OUTSIDE && v->r->in[i] == 0)
			continue;
		tab_cell(t, what[i], strlen(what[i]));
		tab_int(t, v->r->in[i]);
	}
	s = "brand replies that answered no record of the input "
	    "(unpaired_replies)";
	tab_cell(t, s, strlen(s));
	tab_int(t, v->brand_replies + v->sent - v->answered);
	if (v->r->incomplete) {
		s = "partial states cut short (no end line)";
		tab_cell(t, s, strlen(s));
		tab_int(t, v->r->incomplete);
	}
}

static void t_defs(const struct cm_rview *v, struct cm_rtab *t)
{
	struct cm_buf names = CM_BUF_INIT, texts = CM_BUF_INIT;
	size_t noff[64], toff[64], n, i;

	tab_init(t, "definitions", "Definitions");
	tab_col(t, "name", CM_RCOL_TEXT);
	tab_col(t, "definition", CM_RCOL_TEXT);
	if ((n = cm_rview_definitions(v, &names, &texts, noff, toff, 64)) ==
	    (size_t)-1) {
		t->failed = 1;
	} else {
		for (i = 0; i < n; i++) {
			tab_cell(t, names.data + noff[i],
			    strlen(names.data + noff[i]));
			tab_cell(t, texts.data + toff[i],
			    strlen(texts.data + toff[i]));
		}
	}
	cm_buf_free(&names);
	cm_buf_free(&texts);
}

int cm_rview_table(const struct cm_rview *v, size_t section,
    struct cm_rtab *t)
{
	switch (section) {
	case 0: t_summary(v, t); break;
	case 1: t_timeline(v, t); break;
	case 2: t_breakdown(v, t); break;
	case 3: t_mix(v, t, RC_LABEL); break;
	case 4: t_mix(v, t, RC_INTENT); break;
	case 5: t_authors(v, t); break;
	case 6: t_top(v, t, RC_TAGS); break;
	case 7: t_top(v, t, RC_TERMS); break;
	case 8: t_response(v, t); break;
	case 9: t_times(v, t); break;
	case 10: t_dist(v, t); break;
	case 11: t_backlog(v, t); break;
	case 12: t_input(v, t); break;
	default: t_defs(v, t); break;
	}
	return tab_finish(t);
}

/* ---- human forms of cells ---- */

void cm_rview_human_dur(int64_t s, char buf[32])
{
	if (s < 60)
		snprintf(buf, 32, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, 32, "%lldm", (long long)(s / 60));
	else if (s < 86400)
		snprintf(buf, 32, s % 3600 / 60 ? "%lldh %lldm" : "%lldh",
		    (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(buf, 32, s % 86400 / 3600 ? "%lldd %lldh" : "%lldd",
		    (long long)(s / 86400), (long long)(s % 86400 / 3600));
}

/* A cell as a person reads it: ratios as percentages, seconds as
 * durations, empty as a dash.  Returns p or buf. */
const char *cm_rtab_human(const struct cm_rtab *t, size_t row, size_t col,
    char buf[32])
{
	const char *p = cm_rtab_cell(t, row, col);
	int kind = t->kinds[col];

	if (*p == '\0' && kind != CM_RCOL_TEXT)
		return "-";
	if (kind >= CM_RCOL_ROW) {
		if (t->rkind == NULL || row >= t->nrkind)
			return p;
		if (kind == CM_RCOL_CHANGE)
			return cm_rview_change_human(t->rkind[row], p, buf);
		if (kind == CM_RCOL_PCT)
			return cm_rview_change_human(CM_RCOL_PCT, p, buf);
		kind = t->rkind[row];
	}
	switch (kind) {
	case CM_RCOL_RATIO:
		snprintf(buf, 32, "%.1f%%", strtod(p, NULL) * 100);
		return buf;
	case CM_RCOL_DUR:
		cm_rview_human_dur((int64_t)strtod(p, NULL), buf);
		return buf;
	case CM_RCOL_REAL:
		snprintf(buf, 32, "%+.3f", strtod(p, NULL));
		return buf;
	default:
		return p;
	}
}

const char *cm_rtab_cell(const struct cm_rtab *t, size_t row, size_t col)
{
	return t->cells.data + t->off[row * t->ncols + col];
}

/* ---- the heading of text and Markdown ---- */

void cm_rview_heading(const struct cm_rview *v, struct cm_rout *o,
    const char *pre)
{
	char a[21], b[21], now[21];

	cm_time_format(v->out->now, now);
	cm_rout_printf(o, "%scm-report: %" PRId64 " records", pre,
	    v->r->in[IN_RECORDS]);
	if (v->r->tmin <= v->r->tmax) {
		cm_time_format(v->r->tmin, a);
		cm_time_format(v->r->tmax, b);
		cm_rout_printf(o, ", %s to %s", a, b);
	}
	cm_rout_printf(o, "; %zu group%s; now %s\n\n", v->r->ng,
	    v->r->ng == 1 ? "" : "s", now);
}

/* Table t, made (made 0) or not (-1: the output fails), through fn, then
 * freed and flushed; -1 to stop. */
static int put_table(struct cm_rtab *t, int made, struct cm_rout *o,
    void (*fn)(const struct cm_rtab *t, struct cm_rout *o, void *arg),
    void *arg)
{
	if (made < 0) {
		o->failed = 1;
		return -1;
	}
	fn(t, o, arg);
	cm_rtab_free(t);
	return cm_rout_flush(o, 0) < 0 ? -1 : 0;
}

void cm_rview_each_table(const struct cm_rview *v, struct cm_rout *o,
    void (*fn)(const struct cm_rtab *t, struct cm_rout *o, void *arg),
    void *arg)
{
	struct cm_rtab t;
	size_t s;

	for (s = 0; cm_report_sections[s]; s++) {
		if (v->out->section &&
		    strcmp(v->out->section, cm_report_sections[s]) != 0)
			continue;
		if (put_table(&t, cm_rview_table(v, s, &t), o, fn, arg) < 0)
			break;
		/* the comparison follows the summary */
		if (s == 0 && v->prev && put_table(&t,
		    cm_rview_compare_table(v, &t), o, fn, arg) < 0)
			break;
	}
}
