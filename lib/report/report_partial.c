/* report_partial.c - cm-report's mergeable partial state: writing it as
 * NDJSON and merging it back (cm-report(1), PARTIAL STATE) */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_state.h"
#include "core/timeutil.h"

#define CHUNK 512		/* entries per line */
/* of the format: 3 added spam, 4 sent replies */
#define VERSION 4
#define MAX_GROUPS ((size_t)1 << 24)

/* ---- writing ---- */

void cm_report_options_json(const struct cm_report *r, struct cm_rout *o,
    int close)
{
	char days[32];
	size_t i;

	cm_rout_adds(o, "{\"by\":[");
	for (i = 0; i < r->o.nby; i++) {
		if (i)
			cm_rout_adds(o, ",");
		cm_rout_json_str(o, r->o.by[i], strlen(r->o.by[i]));
	}
	cm_bizhours_format_days(r->o.workdays, days);
	cm_rout_printf(o, "],\"interval\":\"%s\",\"tz\":",
	    cm_report_interval_name(r->o.interval));
	cm_rout_json_str(o, cm_zone_name(r->zone), strlen(cm_zone_name(r->zone)));
	cm_rout_printf(o, ",\"business_hours\":\"%02d:%02d-%02d:%02d\","
	    "\"workdays\":\"%s\",\"capacity\":%zu,\"include_spam\":%s%s",
	    r->o.open / 60, r->o.open % 60, r->o.close / 60, r->o.close % 60,
	    days, r->o.capacity, r->o.include_spam ? "true" : "false",
	    close ? "}" : "");
}

static void write_group(struct cm_report *r, struct cm_rout *o, size_t gi)
{
	const struct cm_rgroup *g = r->g[gi];
	struct cm_rcount_item *it;
	const struct cm_hist *h;
	size_t i, k, n;
	int c;

	cm_rout_printf(o, "{\"group\":%zu,\"key\":", gi);
	cm_rout_json_str(o, g->key, g->keylen);
	cm_rout_adds(o, ",\"st\":[");
	for (i = 0; i < ST_N; i++)
		cm_rout_printf(o, "%s%" PRId64, i ? "," : "", g->st[i]);
	cm_rout_adds(o, "]}\n");

	for (i = 0; i < g->series.n; i += CHUNK) {
		cm_rout_printf(o, "{\"group\":%zu,\"series\":[", gi);
		for (k = i; k < g->series.n && k < i + CHUNK; k++) {
			const struct cm_rbucket *b = &g->series.v[k];

			cm_rout_printf(o, "%s[%" PRId64 ",%" PRId64 ",%" PRId64
			    ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%"
			    PRId64 ",%" PRId64 "]", k > i ? "," : "", b->b,
			    b->records, b->inbound, b->brand, b->scored,
			    b->senti, b->pos, b->neu, b->neg);
		}
		cm_rout_adds(o, "]}\n");
		cm_rout_flush(o, 0);
	}

	for (c = 0; c < RC_N; c++) {
		if ((n = cm_rcount_sorted(g->c[c], 0, &it)) == (size_t)-1) {
			o->failed = 1;
			return;
		}
		for (i = 0; i < n; i += CHUNK) {
			cm_rout_printf(o, "{\"group\":%zu,\"count\":\"%s\","
			    "\"exact\":%s,\"e\":[", gi, cm_rc_names[c],
			    cm_rcount_exact(g->c[c]) ? "true" : "false");
			for (k = i; k < n && k < i + CHUNK; k++) {
				cm_rout_adds(o, k > i ? ",[" : "[");
				cm_rout_json_str(o, it[k].key, it[k].len);
				cm_rout_printf(o, ",%" PRId64 ",%" PRId64 ",%"
				    PRId64 "]", it[k].count, it[k].aux,
				    it[k].err);
			}
			cm_rout_adds(o, "]}\n");
			cm_rout_flush(o, 0);
		}
		if (n == 0 && !cm_rcount_exact(g->c[c]))
			cm_rout_printf(o, "{\"group\":%zu,\"count\":\"%s\","
			    "\"exact\":false,\"e\":[]}\n", gi, cm_rc_names[c]);
		free(it);
	}

	if (g->follow.n) {
		cm_rout_printf(o, "{\"group\":%zu,\"followers\":[", gi);
		for (i = 0; i < g->follow.n; i++) {
			cm_rout_adds(o, i ? ",[" : "[");
			cm_rout_json_str(o, g->follow.e[i].key,
			    g->follow.e[i].len);
			cm_rout_printf(o, ",%" PRId64 "]", g->follow.e[i].v);
		}
		cm_rout_adds(o, "]}\n");
	}

	for (c = 0; c < 2; c++) {
		h = c ? &g->biz : &g->cal;
		if (h->n == 0)
			continue;
		cm_rout_printf(o, "{\"group\":%zu,\"hist\":\"%s\",\"n\":%" PRIu64
		    ",\"sum\":%" PRIu64 ",\"min\":%" PRIu64 ",\"max\":%" PRIu64
		    ",\"b\":[", gi, c ? "biz" : "cal", h->n, h->sum, h->min,
		    h->max);
		for (i = 0, k = 0; i < h->nb; i++)
			if (h->b[i])
				cm_rout_printf(o, "%s[%zu,%" PRIu64 "]",
				    k++ ? "," : "", i, h->b[i]);
		cm_rout_adds(o, "]}\n");
	}
	cm_rout_flush(o, 0);
}

static void write_ids(const struct cm_ridtab *t, const char *name,
    int with_group, struct cm_rout *o)
{
	const struct cm_ridsub *s;
	size_t i, in_line = 0;
	uint32_t k, *w;

	for (i = 0; i < 256; i++) {
		s = &t->sub[i];
		for (k = 0; k < s->cap; k++) {
			w = s->w + 3 * (size_t)k;
			if (!(w[0] | w[1]))
				continue;
			if (in_line == 0)
				cm_rout_printf(o, "{\"%s\":[", name);
			cm_rout_printf(o, "%s[\"%08" PRIx32 "%08" PRIx32 "\",%"
			    PRIu32, in_line ? "," : "", w[1], w[0], w[2]);
			if (with_group)
				cm_rout_printf(o, ",%" PRIu32, s->g ? s->g[k] : 0);
			cm_rout_adds(o, "]");
			if (++in_line == CHUNK) {
				cm_rout_adds(o, "]}\n");
				cm_rout_flush(o, 0);
				in_line = 0;
			}
		}
	}
	if (in_line)
		cm_rout_adds(o, "]}\n");
}

/* The brand's names, so that a merge leaves out what one pass would. */
static int write_ignore(struct cm_report *r, struct cm_rout *o)
{
	struct cm_rcount_item *it;
	size_t n, i, k;

	if ((n = cm_rcount_sorted(r->ignore, 0, &it)) == (size_t)-1)
		return -1;
	for (i = 0; i < n; i += CHUNK) {
		cm_rout_adds(o, "{\"ignore_terms\":[");
		for (k = i; k < n && k < i + CHUNK; k++) {
			if (k > i)
				cm_rout_adds(o, ",");
			cm_rout_json_str(o, it[k].key, it[k].len);
		}
		cm_rout_adds(o, "]}\n");
		cm_rout_flush(o, 0);
	}
	free(it);
	return 0;
}

/* Everything of a state but its header and end; names: with the
 * brand's names (the current period's state: they are the report's,
 * and a single run leaves out those of its own period). */
static void write_state(struct cm_report *r, struct cm_rout *o, int names)
{
	size_t i;

	cm_rout_adds(o, "{\"input\":[");
	for (i = 0; i < IN_N; i++)
		cm_rout_printf(o, "%s%" PRId64, i ? "," : "", r->in[i]);
	cm_rout_adds(o, "]}\n");
	if (r->tmin <= r->tmax)
		cm_rout_printf(o, "{\"period\":[%" PRId64 ",%" PRId64 "]}\n",
		    r->tmin, r->tmax);
	if (names && write_ignore(r, o) < 0)
		o->failed = 1;
	for (i = 0; i < r->ng; i++)
		write_group(r, o, i);
	write_ids(&r->open, "open", 1, o);
	write_ids(&r->pending, "pending", 0, o);
}

int cm_report_write_partial(struct cm_report *r, cm_report_writer w,
    void *ctx)
{
	struct cm_rout o;

	cm_rout_init(&o, w, ctx);
	cm_rout_printf(&o, "{\"cm_report_partial\":%d,\"options\":", VERSION);
	cm_report_options_json(r, &o, 1);
	cm_rout_adds(&o, ",\"filter\":[");
	if (r->o.since == INT64_MIN)
		cm_rout_adds(&o, "null");
	else
		cm_rout_printf(&o, "%" PRId64, r->o.since);
	if (r->o.until == INT64_MAX)
		cm_rout_adds(&o, ",null");
	else
		cm_rout_printf(&o, ",%" PRId64, r->o.until);
	cm_rout_adds(&o, "]");
	if (r->prev)
		cm_rout_printf(&o, ",\"compare\":[%" PRId64 ",%" PRId64 "]",
		    r->o.prev_since, r->o.prev_until);
	cm_rout_adds(&o, "}\n");
	write_state(r, &o, 1);
	if (r->prev) {
		/* the previous period's state, as the current one */
		cm_rout_adds(&o, "{\"previous\":true}\n");
		write_state(r->prev, &o, 0);
	}
	cm_rout_adds(&o, "{\"end\":true}\n");
	return cm_rout_end(&o);
}

/* ---- reading ---- */

enum {
	K_MAGIC, K_OPTIONS, K_FILTER, K_INPUT, K_PERIOD, K_GROUP, K_KEY, K_ST,
	K_SERIES, K_COUNT, K_EXACT, K_E, K_FOLLOWERS, K_HIST, K_N, K_SUM,
	K_MIN, K_MAX, K_B, K_OPEN, K_PENDING, K_END, K_O_BY, K_O_INTERVAL,
	K_O_TZ, K_O_HOURS, K_O_DAYS, K_O_CAPACITY, K_O_SPAM, K_IGNORE,
	K_COMPARE, K_PREVIOUS,
	K_NKEYS
};

static const char *const merge_paths[K_NKEYS] = {
	"cm_report_partial", "options", "filter", "input", "period", "group",
	"key", "st", "series", "count", "exact", "e", "followers", "hist",
	"n", "sum", "min", "max", "b", "open", "pending", "end",
	"options.by", "options.interval", "options.tz",
	"options.business_hours", "options.workdays", "options.capacity",
	"options.include_spam", "ignore_terms", "compare", "previous"
};

/* Steps through the elements of an array value (known valid JSON):
 * returns 1 with *el set, 0 at the end or when arr is not an array. */
static int arr_next(const struct cm_json_value *arr, size_t *pos,
    struct cm_json_value *el)
{
	const char *s = arr->raw;
	size_t i = *pos, n = arr->len, start;
	int depth;

	if (arr->type != CM_JSON_ARRAY)
		return 0;
	if (i == 0)
		i = 1;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r' || s[i] == ','))
		i++;
	if (i >= n - 1)
		return 0;	/* the closing bracket */
	start = i;
	switch (s[i]) {
	case '"':
		for (i++; i < n && s[i] != '"'; i += s[i] == '\\' ? 2 : 1)
			;
		i++;
		el->type = CM_JSON_STRING;
		break;
	case '[':
	case '{':
		el->type = s[i] == '[' ? CM_JSON_ARRAY : CM_JSON_OBJECT;
		for (depth = 0; i < n; i++) {
			if (s[i] == '"') {
				for (i++; i < n && s[i] != '"';
				    i += s[i] == '\\' ? 2 : 1)
					;
			} else if (s[i] == '[' || s[i] == '{') {
				depth++;
			} else if ((s[i] == ']' || s[i] == '}') && --depth == 0) {
				i++;
				break;
			}
		}
		break;
	default:
		el->type = s[i] == 't' ? CM_JSON_TRUE : s[i] == 'f' ?
		    CM_JSON_FALSE : s[i] == 'n' ? CM_JSON_NULL : CM_JSON_NUMBER;
		while (i < n - 1 && s[i] != ',' && s[i] != ']' && s[i] != ' ' &&
		    s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			i++;
	}
	if (i > n - 1)
		i = n - 1;
	el->raw = s + start;
	el->len = i - start;
	*pos = i;
	return 1;
}

/* Exactly nf elements of an array into f; -1 otherwise. */
static int tuple(const struct cm_json_value *arr, struct cm_json_value *f,
    size_t nf)
{
	struct cm_json_value extra;
	size_t pos = 0, i;

	for (i = 0; i < nf; i++)
		if (!arr_next(arr, &pos, &f[i]))
			return -1;
	return arr_next(arr, &pos, &extra) ? -1 : 0;
}

static int int_in(const struct cm_json_value *v, int64_t lo, int64_t hi,
    int64_t *out)
{
	return cm_json_int64(v, out) == 0 && *out >= lo && *out <= hi ? 0 : -1;
}

static int count_of(const struct cm_json_value *v, int64_t *out)
{
	return int_in(v, 0, CM_REPORT_MAX_COUNT, out);
}

/* Decodes a string value into buf; -1 when it is not one. */
static int str_val(const struct cm_json_value *v, struct cm_buf *buf)
{
	cm_buf_reset(buf);
	if (v->type != CM_JSON_STRING)
		return -1;
	return cm_json_string(v, buf);
}

/* Checks a header and, for the first one, configures the merge from its
 * options.  Returns 0, or -1 with err filled. */
static int check_header(struct cm_report *r, const struct cm_json_value *v,
    struct cm_error *err)
{
	struct cm_report_opts o;
	struct cm_json_value el;
	struct cm_buf bys[CM_REPORT_MAX_BY];
	size_t pos = 0, i, nby = 0;
	int64_t x;
	int rc = -1;

	struct cm_json_value cf[2];
	int64_t cmp[2] = { 0, 0 };
	int compare = v[K_COMPARE].type != CM_JSON_NONE;

	if (v[K_MAGIC].type != CM_JSON_NUMBER ||
	    cm_json_int64(&v[K_MAGIC], &x) < 0 || x != VERSION) {
		/* Another version's counts mean other things: merging them
		 * would be wrong, not just old. */
		cm_error_set(err, CM_EXIT_FAIL,
		    "unsupported partial state version %.*s (this cm-report "
		    "reads version %d: make the state again with this "
		    "version's cm-report --partial)", v[K_MAGIC].len > 20 ? 20 :
		    (int)v[K_MAGIC].len, v[K_MAGIC].raw, VERSION);
		return -1;
	}
	if (compare && (tuple(&v[K_COMPARE], cf, 2) < 0 ||
	    int_in(&cf[0], CM_TIME_MIN, CM_TIME_MAX, &cmp[0]) < 0 ||
	    int_in(&cf[1], cmp[0] + 1, CM_TIME_MAX, &cmp[1]) < 0)) {
		cm_error_set(err, CM_EXIT_FAIL,
		    "partial state header: bad compare");
		return -1;
	}
	if (v[K_OPTIONS].type != CM_JSON_OBJECT) {
		cm_error_set(err, CM_EXIT_FAIL,
		    "partial state header without options");
		return -1;
	}
	if (r->configured) {
		if (r->opts_raw == NULL || strlen(r->opts_raw) != v[K_OPTIONS].len ||
		    memcmp(r->opts_raw, v[K_OPTIONS].raw, v[K_OPTIONS].len)) {
			cm_error_set(err, CM_EXIT_FAIL,
			    "partial states made with different "
			    "options (--by, --interval, --tz, --business-hours, "
			    "--workdays, --capacity, --include-spam must be the "
			    "same): %s",
			    r->opts_raw);
			return -1;
		}
		if (compare != r->o.compare || (compare &&
		    (cmp[0] != r->o.prev_since || cmp[1] != r->o.prev_until))) {
			cm_error_set(err, CM_EXIT_FAIL,
			    "partial states made with different --compare "
			    "periods (or some without it)");
			return -1;
		}
		return 0;
	}
	cm_report_opts_init(&o);
	memset(bys, 0, sizeof(bys));
	while (arr_next(&v[K_O_BY], &pos, &el)) {
		if (nby == CM_REPORT_MAX_BY || str_val(&el, &bys[nby]) < 0 ||
		    bys[nby].len == 0 || memchr(bys[nby].data, 0, bys[nby].len))
			goto bad;
		o.by[nby] = bys[nby].data;
		nby++;
	}
	o.nby = nby;
	if (v[K_O_BY].type != CM_JSON_ARRAY)
		goto bad;
	if (v[K_O_INTERVAL].type != CM_JSON_STRING ||
	    (!cm_json_string_eq(&v[K_O_INTERVAL], "hour") &&
	    !cm_json_string_eq(&v[K_O_INTERVAL], "day") &&
	    !cm_json_string_eq(&v[K_O_INTERVAL], "week")))
		goto bad;
	o.interval = cm_json_string_eq(&v[K_O_INTERVAL], "hour") ?
	    CM_REPORT_HOUR : cm_json_string_eq(&v[K_O_INTERVAL], "week") ?
	    CM_REPORT_WEEK : CM_REPORT_DAY;
	if (str_val(&v[K_O_TZ], &r->scratch) < 0 ||
	    memchr(r->scratch.data, 0, r->scratch.len))
		goto bad;
	o.tz = r->scratch.data;
	if (str_val(&v[K_O_HOURS], &r->key) < 0 ||
	    cm_bizhours_parse_hours(r->key.data, &o.open, &o.close) < 0)
		goto bad;
	if (str_val(&v[K_O_DAYS], &r->key) < 0 ||
	    cm_bizhours_parse_days(r->key.data, &o.workdays) < 0)
		goto bad;
	if (int_in(&v[K_O_CAPACITY], 1, (int64_t)1 << 30, &x) < 0)
		goto bad;
	o.capacity = (size_t)x;
	if (v[K_O_SPAM].type != CM_JSON_TRUE &&
	    v[K_O_SPAM].type != CM_JSON_FALSE)
		goto bad;
	o.include_spam = v[K_O_SPAM].type == CM_JSON_TRUE;
	pos = 0;
	if (arr_next(&v[K_FILTER], &pos, &el) && el.type == CM_JSON_NUMBER &&
	    cm_json_int64(&el, &x) == 0)
		o.since = x;
	if (arr_next(&v[K_FILTER], &pos, &el) && el.type == CM_JSON_NUMBER &&
	    cm_json_int64(&el, &x) == 0)
		o.until = x;
	o.compare = compare;
	o.prev_since = cmp[0];
	o.prev_until = cmp[1];
	if (cm_report_configure(r, &o, err) < 0)
		goto out;
	if ((r->opts_raw = strndup(v[K_OPTIONS].raw, v[K_OPTIONS].len)) ==
	    NULL) {
		cm_error_nomem(err, NULL);
		goto out;
	}
	rc = 0;
	goto out;
bad:
	cm_error_set(err, CM_EXIT_FAIL, "partial state header: bad options");
out:
	for (i = 0; i < CM_REPORT_MAX_BY; i++)
		cm_buf_free(&bys[i]);
	return rc;
}

/* A header starts a partial state.  One that is refused refuses every
 * line up to the next header too: nothing of that state is merged. */
static int header(struct cm_report *r, const struct cm_json_value *v,
    struct cm_error *err)
{
	if (r->in_partial)
		r->incomplete++;	/* the one before had no end */
	r->in_partial = 0;
	r->ngmap = 0;
	r->in_prev = 0;
	if (check_header(r, v, err) < 0) {
		r->refused = 1;
		return -1;
	}
	r->refused = 0;
	r->in_partial = 1;
	return 0;
}

/* The merged group of a partial's group number; NULL with err filled. */
static struct cm_rgroup *mapped(struct cm_report *r,
    const struct cm_json_value *v, uint32_t *gi, struct cm_error *err)
{
	int64_t x;

	if (int_in(v, 0, (int64_t)r->ngmap - 1, &x) < 0) {
		cm_error_set(err, CM_EXIT_FAIL, "not valid partial state");
		return NULL;
	}
	if (r->gmap[x] == CM_RGROUP_REFUSED) {
		cm_error_set(err, CM_EXIT_FAIL,
		    "in a group whose key line was refused");
		return NULL;
	}
	*gi = r->gmap[x];
	return r->g[*gi];
}

/*
 * Each kind of line is checked whole before any of it is merged, so a
 * line that is refused changes nothing: lists are read twice, to check
 * and then to add (only ENOMEM can stop the second pass, and that ends
 * the merge).  Counts add saturating at CM_REPORT_MAX_COUNT, as in one
 * pass, so a merge written out again with -mp is still valid.
 */

/* {"group":g,"key":"...","st":[...]}: group g of this partial state. */
static int key_line(struct cm_report *r, const struct cm_json_value *v,
    struct cm_error *err)
{
	struct cm_json_value el;
	struct cm_rgroup *g;
	int64_t x, st[ST_N], lim;
	size_t pos = 0, i;
	uint32_t gi, *nm;
	int ok;

	if (int_in(&v[K_GROUP], (int64_t)r->ngmap, (int64_t)r->ngmap, &x) < 0 ||
	    r->ngmap >= MAX_GROUPS)
		goto bad;
	if ((nm = realloc(r->gmap, (r->ngmap + 1) * sizeof(*nm))) == NULL)
		goto nomem;
	r->gmap = nm;
	ok = str_val(&v[K_KEY], &r->key) == 0 &&
	    (r->o.nby > 0 || r->key.len == 0) && v[K_ST].type == CM_JSON_ARRAY;
	for (i = 0; ok && i < ST_N; i++) {
		lim = i == ST_SENTI ? CM_REPORT_MAX_SENTI : CM_REPORT_MAX_COUNT;
		ok = arr_next(&v[K_ST], &pos, &el) &&
		    int_in(&el, i == ST_SENTI ? -lim : 0, lim, &st[i]) == 0;
	}
	if (!ok || arr_next(&v[K_ST], &pos, &el)) {
		/* Numbered still, so that only this group's lines go. */
		r->gmap[r->ngmap++] = CM_RGROUP_REFUSED;
		goto bad;
	}
	if ((g = cm_report_group(r, r->key.data, r->key.len, &gi)) == NULL)
		goto nomem;
	r->gmap[r->ngmap++] = gi;
	for (i = 0; i < ST_N; i++)
		g->st[i] = cm_rsat(g->st[i], st[i], i == ST_SENTI ?
		    CM_REPORT_MAX_SENTI : CM_REPORT_MAX_COUNT);
	return 0;
bad:
	cm_error_set(err, CM_EXIT_FAIL, "not valid partial state");
	return -1;
nomem:
	cm_error_nomem(err, NULL);
	return -1;
}

/* One [bucket,records,inbound,brand,scored,senti,pos,neu,neg]. */
static int series_el(const struct cm_json_value *el, int64_t x[9])
{
	struct cm_json_value f[9];
	size_t i;

	if (tuple(el, f, 9) < 0 ||
	    int_in(&f[0], -CM_REPORT_MAX_COUNT, CM_REPORT_MAX_COUNT,
	    &x[0]) < 0 ||
	    int_in(&f[5], -CM_REPORT_MAX_SENTI, CM_REPORT_MAX_SENTI,
	    &x[5]) < 0)
		return -1;
	for (i = 1; i < 9; i++)
		if (i != 5 && count_of(&f[i], &x[i]) < 0)
			return -1;
	return 0;
}

static int series_line(struct cm_rgroup *g, const struct cm_json_value *arr)
{
	struct cm_json_value el;
	struct cm_rbucket *b;
	size_t pos = 0;
	int64_t x[9];

	while (arr_next(arr, &pos, &el))
		if (series_el(&el, x) < 0)
			return -1;
	pos = 0;
	while (arr_next(arr, &pos, &el)) {
		(void)series_el(&el, x);
		if ((b = cm_rseries_get(&g->series, x[0])) == NULL)
			return -2;
		cm_rinc(&b->records, x[1]);
		cm_rinc(&b->inbound, x[2]);
		cm_rinc(&b->brand, x[3]);
		cm_rinc(&b->scored, x[4]);
		b->senti = cm_rsat(b->senti, x[5], CM_REPORT_MAX_SENTI);
		cm_rinc(&b->pos, x[6]);
		cm_rinc(&b->neu, x[7]);
		cm_rinc(&b->neg, x[8]);
	}
	return 0;
}

/* One [key,count,aux,error] into r->key and x[1..3]. */
static int count_el(struct cm_report *r, const struct cm_json_value *el,
    int64_t x[4])
{
	struct cm_json_value f[4];

	return tuple(el, f, 4) < 0 || str_val(&f[0], &r->key) < 0 ||
	    count_of(&f[1], &x[1]) < 0 || count_of(&f[2], &x[2]) < 0 ||
	    count_of(&f[3], &x[3]) < 0 ? -1 : 0;
}

static int count_line(struct cm_report *r, struct cm_rgroup *g,
    const struct cm_json_value *v)
{
	struct cm_json_value el;
	size_t pos = 0;
	int64_t x[4];
	int c;

	for (c = 0; c < RC_N; c++)
		if (cm_json_string_eq(&v[K_COUNT], cm_rc_names[c]))
			break;
	if (c == RC_N || v[K_E].type != CM_JSON_ARRAY ||
	    (v[K_EXACT].type != CM_JSON_TRUE &&
	    v[K_EXACT].type != CM_JSON_FALSE))
		return -1;
	while (arr_next(&v[K_E], &pos, &el))
		if (count_el(r, &el, x) < 0)
			return -1;
	if (v[K_EXACT].type == CM_JSON_FALSE)
		cm_rcount_set_inexact(g->c[c]);
	pos = 0;
	while (arr_next(&v[K_E], &pos, &el)) {
		(void)count_el(r, &el, x);
		if (cm_rcount_add(g->c[c], r->key.data, r->key.len, x[1], x[2],
		    x[3]) < 0)
			return -2;
	}
	return 0;
}

/* One [author,followers] into r->key and *x. */
static int follow_el(struct cm_report *r, const struct cm_json_value *el,
    int64_t *x)
{
	struct cm_json_value f[2];

	return tuple(el, f, 2) < 0 || str_val(&f[0], &r->key) < 0 ||
	    int_in(&f[1], 0, INT64_MAX, x) < 0 ? -1 : 0;
}

static int followers_line(struct cm_report *r, struct cm_rgroup *g,
    const struct cm_json_value *arr)
{
	struct cm_json_value el;
	size_t pos = 0;
	int64_t x;

	while (arr_next(arr, &pos, &el))
		if (follow_el(r, &el, &x) < 0)
			return -1;
	pos = 0;
	while (arr_next(arr, &pos, &el)) {
		(void)follow_el(r, &el, &x);
		if (cm_rfollow_add(&g->follow, r->key.data, r->key.len, x) < 0)
			return -2;
	}
	return 0;
}

/* A histogram is read into a temporary one, checked, and then merged,
 * which fails with EOVERFLOW (and changes nothing) when the merged count
 * or sum would pass CM_HIST_MAX_N or CM_HIST_MAX_SUM. */
static int hist_line(struct cm_rgroup *g, const struct cm_json_value *v)
{
	struct cm_json_value el, f[2];
	struct cm_hist *h, tmp = CM_HIST_INIT;
	uint64_t total = 0;
	size_t pos = 0, first = SIZE_MAX, last = 0;
	int64_t x[6];
	int rc = -1;

	if (cm_json_string_eq(&v[K_HIST], "cal"))
		h = &g->cal;
	else if (cm_json_string_eq(&v[K_HIST], "biz"))
		h = &g->biz;
	else
		return -1;
	if (int_in(&v[K_N], 1, (int64_t)CM_HIST_MAX_N, &x[0]) < 0 ||
	    int_in(&v[K_SUM], 0, (int64_t)CM_HIST_MAX_SUM, &x[1]) < 0 ||
	    int_in(&v[K_MIN], 0, (int64_t)CM_HIST_MAX, &x[2]) < 0 ||
	    int_in(&v[K_MAX], x[2], (int64_t)CM_HIST_MAX, &x[3]) < 0 ||
	    v[K_B].type != CM_JSON_ARRAY)
		return -1;
	while (arr_next(&v[K_B], &pos, &el)) {
		if (tuple(&el, f, 2) < 0 ||
		    int_in(&f[0], 0, (int64_t)cm_hist_nbuckets() - 1,
		    &x[4]) < 0 ||
		    int_in(&f[1], 0, (int64_t)CM_HIST_MAX_N, &x[5]) < 0)
			goto out;
		if (cm_hist_add_bucket(&tmp, (size_t)x[4],
		    (uint64_t)x[5]) < 0) {
			rc = -2;
			goto out;
		}
		total += (uint64_t)x[5];
		if (x[5] && (size_t)x[4] < first)
			first = (size_t)x[4];
		if (x[5] && (size_t)x[4] > last)
			last = (size_t)x[4];
	}
	/* The buckets must agree with n, min, max and sum. */
	if (total != (uint64_t)x[0] ||
	    first != cm_hist_index((uint64_t)x[2]) ||
	    last != cm_hist_index((uint64_t)x[3]) ||
	    (uint64_t)x[1] / (uint64_t)x[0] < (uint64_t)x[2] ||
	    ((uint64_t)x[1] + (uint64_t)x[0] - 1) / (uint64_t)x[0] >
	    (uint64_t)x[3] ||
	    cm_hist_add_stats(&tmp, (uint64_t)x[0], (uint64_t)x[1],
	    (uint64_t)x[2], (uint64_t)x[3]) < 0)
		goto out;
	if (cm_hist_merge(h, &tmp) < 0) {
		if (errno != EOVERFLOW)
			rc = -2;
		goto out;
	}
	rc = 0;
out:
	cm_hist_free(&tmp);
	return rc;
}

static int group_line(struct cm_report *r, const struct cm_json_value *v,
    struct cm_error *err)
{
	struct cm_rgroup *g;
	uint32_t gi;
	int rc = -1;

	if (v[K_KEY].type != CM_JSON_NONE)
		return key_line(r, v, err);
	if ((g = mapped(r, &v[K_GROUP], &gi, err)) == NULL)
		return -1;
	if (v[K_SERIES].type == CM_JSON_ARRAY)
		rc = series_line(g, &v[K_SERIES]);
	else if (v[K_COUNT].type == CM_JSON_STRING)
		rc = count_line(r, g, v);
	else if (v[K_FOLLOWERS].type == CM_JSON_ARRAY)
		rc = followers_line(r, g, &v[K_FOLLOWERS]);
	else if (v[K_HIST].type == CM_JSON_STRING)
		rc = hist_line(g, v);
	if (rc == -1)
		cm_error_set(err, CM_EXIT_FAIL, "not valid partial state");
	else if (rc == -2)
		cm_error_nomem(err, NULL);
	return rc < 0 ? -1 : 0;
}

static int hex64(const struct cm_json_value *v, uint64_t *out)
{
	uint64_t h = 0;
	size_t i;
	char c;

	if (v->type != CM_JSON_STRING || v->len != 18)
		return -1;
	for (i = 1; i < 17; i++) {
		c = v->raw[i];
		if (c >= '0' && c <= '9')
			h = h << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			h = h << 4 | (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = h;
	return 0;
}

/* One ["hash",time(,group)]; *g is a partial's group number. */
static int id_el(const struct cm_report *r, const struct cm_json_value *el,
    int open, uint64_t *h, int64_t *t, int64_t *g)
{
	struct cm_json_value f[3];

	if (tuple(el, f, open ? 3 : 2) < 0 || hex64(&f[0], h) < 0 ||
	    int_in(&f[1], 0, UINT32_MAX, t) < 0)
		return -1;
	*g = 0;
	return open && int_in(&f[2], 0, (int64_t)r->ngmap - 1, g) < 0 ? -1 : 0;
}

static int ids_line(struct cm_report *r, const struct cm_json_value *arr,
    int open, struct cm_error *err)
{
	struct cm_json_value el;
	size_t pos = 0;
	uint64_t h;
	int64_t t, g;
	uint32_t gi;

	while (arr_next(arr, &pos, &el)) {
		if (id_el(r, &el, open, &h, &t, &g) < 0) {
			cm_error_set(err, CM_EXIT_FAIL,
			    "not valid partial state");
			return -1;
		}
	}
	pos = 0;
	while (arr_next(arr, &pos, &el)) {
		(void)id_el(r, &el, open, &h, &t, &g);
		gi = open ? r->gmap[g] : 0;
		if (gi == CM_RGROUP_REFUSED)
			continue;	/* its group was not merged */
		if (cm_ridtab_put(open ? &r->open : &r->pending, h, (uint32_t)t,
		    gi) < 0) {
			cm_error_nomem(err, NULL);
			return -1;
		}
	}
	return 0;
}

/* {"ignore_terms":[...]}: terms as cm_rterms_next makes them; the set
 * of the merge is the union (at most CM_REPORT_MAX_IGNORE, as in one
 * pass). */
static int ignore_line(struct cm_report *r, const struct cm_json_value *arr,
    struct cm_error *err)
{
	struct cm_json_value el;
	size_t pos = 0;

	while (arr_next(arr, &pos, &el)) {
		if (str_val(&el, &r->key) < 0 || r->key.len == 0 ||
		    r->key.len > 64) {
			cm_error_set(err, CM_EXIT_FAIL,
			    "not valid partial state");
			return -1;
		}
	}
	pos = 0;
	while (arr_next(arr, &pos, &el)) {
		(void)str_val(&el, &r->key);
		if (cm_rcount_has(r->ignore, r->key.data, r->key.len) ||
		    cm_rcount_len(r->ignore) == CM_REPORT_MAX_IGNORE)
			continue;
		if (cm_rcount_add(r->ignore, r->key.data, r->key.len, 1, 0,
		    0) < 0) {
			cm_error_nomem(err, NULL);
			return -1;
		}
	}
	return 0;
}

int cm_report_merge_line(struct cm_report *r, const char *line, size_t len,
    struct cm_error *err)
{
	struct cm_json_value v[K_NKEYS], el;
	struct cm_json_error jerr;
	size_t i, pos;
	int64_t in[IN_N];

	if (r->mpaths == NULL &&
	    (r->mpaths = cm_json_paths_new(merge_paths, K_NKEYS)) == NULL) {
		cm_error_nomem(err, NULL);
		return -1;
	}
	if (cm_json_scan(line, len, 64, r->mpaths, v, &jerr) < 0) {
		/* No byte offset: the same error gives the same reason,
		 * so a stream of them (records, pretty-printed JSON) is
		 * reported as one kind. */
		cm_error_set(err, CM_EXIT_FAIL, "invalid JSON: %s", jerr.msg);
		return -1;
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] != '{') {
		cm_error_set(err, CM_EXIT_FAIL, "not a JSON object");
		return -1;
	}
	if (v[K_MAGIC].type != CM_JSON_NONE)
		return header(r, v, err);
	if (r->refused) {
		if (v[K_END].type == CM_JSON_TRUE)
			r->refused = 0;
		cm_error_set(err, CM_EXIT_FAIL,
		    "in a partial state whose header was refused");
		return -1;
	}
	if (!r->configured || !r->in_partial) {
		cm_error_set(err, CM_EXIT_FAIL,
		    "not partial state (no cm_report_partial header "
		    "before it: make it with cm-report --partial)");
		return -1;
	}
	if (v[K_END].type == CM_JSON_TRUE) {
		r->in_partial = 0;
		r->in_prev = 0;
		return 0;
	}
	if (v[K_PREVIOUS].type == CM_JSON_TRUE) {
		if (r->prev == NULL || r->in_prev)
			goto bad;
		/* what follows is the previous period's, numbered anew */
		r->in_prev = 1;
		r->prev->ngmap = 0;
		return 0;
	}
	/* the brand's names are the report's, whichever period */
	if (v[K_IGNORE].type == CM_JSON_ARRAY)
		return ignore_line(r, &v[K_IGNORE], err);
	if (r->in_prev)
		r = r->prev;
	if (v[K_GROUP].type == CM_JSON_NUMBER)
		return group_line(r, v, err);
	if (v[K_OPEN].type == CM_JSON_ARRAY)
		return ids_line(r, &v[K_OPEN], 1, err);
	if (v[K_PENDING].type == CM_JSON_ARRAY)
		return ids_line(r, &v[K_PENDING], 0, err);
	if (v[K_INPUT].type == CM_JSON_ARRAY) {
		pos = 0;
		for (i = 0; i < IN_N; i++)
			if (!arr_next(&v[K_INPUT], &pos, &el) ||
			    count_of(&el, &in[i]) < 0)
				goto bad;
		if (arr_next(&v[K_INPUT], &pos, &el))
			goto bad;
		for (i = 0; i < IN_N; i++)
			cm_rinc(&r->in[i], in[i]);
		return 0;
	}
	if (v[K_PERIOD].type == CM_JSON_ARRAY) {
		struct cm_json_value f[2];
		int64_t a, b;

		if (tuple(&v[K_PERIOD], f, 2) < 0 ||
		    int_in(&f[0], -((int64_t)1 << 40), (int64_t)1 << 40, &a) < 0 ||
		    int_in(&f[1], a, (int64_t)1 << 40, &b) < 0)
			goto bad;
		if (a < r->tmin)
			r->tmin = a;
		if (b > r->tmax)
			r->tmax = b;
		return 0;
	}
bad:
	cm_error_set(err, CM_EXIT_FAIL, "not valid partial state");
	return -1;
}

long cm_report_merge_end(struct cm_report *r)
{
	if (r->in_partial) {
		r->incomplete++;
		r->in_partial = 0;
	}
	r->refused = 0;
	return r->incomplete;
}

int cm_report_pair(struct cm_report *r)
{
	const struct cm_ridsub *s;
	uint32_t k, t0, g0, *w;
	uint64_t h;
	size_t i;

	if (r->prev && cm_report_pair(r->prev) < 0)
		return -1;
	/* In one pass an id is both open and pending only when a record
	 * came with its own sent reply (sent_open); merged states also have
	 * replies whose parent was in another partial state. */
	if (r->matched || (!r->merging && !r->sent_open))
		return 0;
	for (i = 0; i < 256; i++) {
		s = &r->pending.sub[i];
		for (k = 0; k < s->cap; k++) {
			w = s->w + 3 * (size_t)k;
			if (!(w[0] | w[1]))
				continue;
			h = (uint64_t)w[0] | (uint64_t)w[1] << 32;
			if (!cm_ridtab_find(&r->open, h, &t0, &g0))
				continue;
			cm_ridtab_del(&r->open, h);
			if (cm_report_respond(r, g0, t0, w[2]) < 0)
				return -1;
		}
	}
	/* The pending entries that paired stay: the state is final now. */
	r->matched = 1;
	return 0;
}
