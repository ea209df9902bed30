/* report.c - cm-report's aggregation: groups, sections and the pairing of
 * brand replies with the inbound records they answer */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_state.h"
#include "core/timeutil.h"

const char *const cm_rc_names[RC_N] = {
	"platform", "reason", "kind", "label", "intent", "authors", "tags",
	"terms"
};

const char *const cm_st_names[ST_N] = {
	"records", "inbound", "brand", "brand_replies", "scored", "senti",
	"eligible", "answered",
	"cal<15m", "cal15m-1h", "cal1h-4h", "cal4h-24h", "cal1d-3d", "cal>=3d",
	"biz<15m", "biz15m-1h", "biz1h-4h", "biz4h-24h", "biz1d-3d", "biz>=3d",
	"spam", "not_scored", "sent"
};

size_t cm_rdist_bin(int64_t seconds)
{
	static const int64_t edges[CM_RDIST_N - 1] = { 900, 3600, 4 * 3600,
		86400, 3 * 86400 };
	size_t i;

	for (i = 0; i < CM_RDIST_N - 1 && seconds >= edges[i]; i++)
		;
	return i;
}

const char *const cm_in_names[IN_N] = {
	"records", "bad_lines", "outside_period", "no_id", "no_platform",
	"no_kind", "no_reason", "no_created_at", "no_author",
	"no_is_brand", "bad_sent_at"
};

/* The record fields read, in cm_json_scan's out[] order; --by paths
 * follow them. */
enum {
	P_ID, P_PLATFORM, P_KIND, P_REASON, P_CREATED, P_AUTHOR, P_HANDLE,
	P_AUTHOR_ID, P_FOLLOWERS, P_IS_BRAND, P_IN_REPLY_TO, P_TAGS, P_TEXT,
	P_LIKES, P_REPOSTS, P_REPLIES, P_QUOTES, P_SENTIMENT, P_LABEL,
	P_INTENT, P_REPLY_STATUS, P_SENT_AT, P_N
};

static const char *const fixed_paths[P_N] = {
	"id", "platform", "kind", "reason", "created_at", "author",
	"author.handle", "author.id", "author.followers", "author.is_brand",
	"in_reply_to", "tags", "text", "metrics.likes", "metrics.reposts",
	"metrics.replies", "metrics.quotes", "score.sentiment", "score.label",
	"score.intent", "reply.status", "reply.sent_at"
};

/* Capacity of the small dimension counters (platform, reason, ...). */
#define DIM_CAPACITY 4096

void cm_report_opts_init(struct cm_report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->interval = CM_REPORT_DAY;
	o->open = 9 * 60;
	o->close = 17 * 60;
	o->workdays = 0x3e;	/* Mon-Fri */
	o->capacity = CM_REPORT_DEFAULT_CAPACITY;
	o->since = INT64_MIN;
	o->until = INT64_MAX;
}

const char *cm_report_interval_name(enum cm_report_interval i)
{
	return i == CM_REPORT_HOUR ? "hour" : i == CM_REPORT_WEEK ? "week" :
	    "day";
}

int cm_report_parse_interval(const char *s, enum cm_report_interval *out)
{
	if (strcmp(s, "hour") == 0)
		*out = CM_REPORT_HOUR;
	else if (strcmp(s, "day") == 0)
		*out = CM_REPORT_DAY;
	else if (strcmp(s, "week") == 0)
		*out = CM_REPORT_WEEK;
	else
		return -1;
	return 0;
}

/* ---- id tables ---- */

static uint32_t *ent(const struct cm_ridsub *s, uint32_t i)
{
	return s->w + 3 * (size_t)i;
}

static uint64_t ent_hash(const struct cm_ridsub *s, uint32_t i)
{
	return (uint64_t)ent(s, i)[0] | (uint64_t)ent(s, i)[1] << 32;
}

/* Slot of h in s, or the empty slot where it would go. */
static uint32_t rid_slot(const struct cm_ridsub *s, uint64_t h)
{
	uint32_t mask = s->cap - 1, i = (uint32_t)h & mask;

	while (ent(s, i)[0] | ent(s, i)[1]) {
		if (ent_hash(s, i) == h)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static int rid_grow(struct cm_ridsub *s, int with_groups)
{
	struct cm_ridsub n = { NULL, NULL, s->cap ? s->cap * 2 : 16, 0 };
	uint32_t i, j;

	if ((n.w = calloc((size_t)n.cap * 3, sizeof(*n.w))) == NULL)
		return -1;
	if (with_groups && (n.g = calloc(n.cap, sizeof(*n.g))) == NULL) {
		free(n.w);
		return -1;
	}
	for (i = 0; i < s->cap; i++) {
		if (!(ent(s, i)[0] | ent(s, i)[1]))
			continue;
		j = rid_slot(&n, ent_hash(s, i));
		memcpy(ent(&n, j), ent(s, i), 3 * sizeof(uint32_t));
		if (n.g)
			n.g[j] = s->g[i];
	}
	n.n = s->n;
	free(s->w);
	free(s->g);
	*s = n;
	return 0;
}

static struct cm_ridsub *rid_sub(const struct cm_ridtab *t, uint64_t *h)
{
	if (*h == 0)
		*h = 1;		/* 0 marks an empty slot */
	return (struct cm_ridsub *)&t->sub[*h >> 56];
}

int cm_ridtab_find(const struct cm_ridtab *t, uint64_t h, uint32_t *time,
    uint32_t *group)
{
	struct cm_ridsub *s = rid_sub(t, &h);
	uint32_t i;

	if (s->n == 0)
		return 0;
	i = rid_slot(s, h);
	if (!(ent(s, i)[0] | ent(s, i)[1]))
		return 0;
	*time = ent(s, i)[2];
	if (group)
		*group = s->g ? s->g[i] : 0;
	return 1;
}

int cm_ridtab_put(struct cm_ridtab *t, uint64_t h, uint32_t time,
    uint32_t group)
{
	struct cm_ridsub *s = rid_sub(t, &h);
	uint32_t i;

	if ((uint64_t)(s->n + 1) * 4 > (uint64_t)s->cap * 3 &&
	    rid_grow(s, t->with_groups) < 0)
		return -1;
	i = rid_slot(s, h);
	if (ent(s, i)[0] | ent(s, i)[1]) {
		if (time < ent(s, i)[2]) {
			ent(s, i)[2] = time;
			if (s->g)
				s->g[i] = group;
		}
		return 0;
	}
	ent(s, i)[0] = (uint32_t)h;
	ent(s, i)[1] = (uint32_t)(h >> 32);
	ent(s, i)[2] = time;
	if (s->g)
		s->g[i] = group;
	s->n++;
	t->n++;
	return 0;
}

void cm_ridtab_del(struct cm_ridtab *t, uint64_t h)
{
	struct cm_ridsub *s = rid_sub(t, &h);
	uint32_t mask, i, j, home;

	if (s->n == 0)
		return;
	i = rid_slot(s, h);
	if (!(ent(s, i)[0] | ent(s, i)[1]))
		return;
	s->n--;
	t->n--;
	mask = s->cap - 1;
	j = i;
	/* Backward-shift deletion: linear probing without tombstones. */
	for (;;) {
		memset(ent(s, i), 0, 3 * sizeof(uint32_t));
		for (;;) {
			j = (j + 1) & mask;
			if (!(ent(s, j)[0] | ent(s, j)[1]))
				return;
			home = ent(s, j)[0] & mask;
			if (i <= j ? (i < home && home <= j) :
			    (i < home || home <= j))
				continue;
			break;
		}
		memcpy(ent(s, i), ent(s, j), 3 * sizeof(uint32_t));
		if (s->g)
			s->g[i] = s->g[j];
		i = j;
	}
}

void cm_ridtab_free(struct cm_ridtab *t)
{
	size_t i;

	for (i = 0; i < 256; i++) {
		free(t->sub[i].w);
		free(t->sub[i].g);
		t->sub[i].w = NULL;
		t->sub[i].g = NULL;
		t->sub[i].cap = t->sub[i].n = 0;
	}
	t->n = 0;
}

/* ---- groups and series ---- */

static void group_free(struct cm_rgroup *g)
{
	size_t i;

	if (g == NULL)
		return;
	free(g->key);
	free(g->series.v);
	free(g->series.idx);
	for (i = 0; i < RC_N; i++)
		cm_rcount_free(g->c[i]);
	cm_rfollow_free(&g->follow);
	cm_hist_free(&g->cal);
	cm_hist_free(&g->biz);
	free(g);
}

static struct cm_rgroup *group_new(const struct cm_report *r, const char *key,
    size_t len)
{
	struct cm_rgroup *g;
	size_t i;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	if ((g->key = malloc(len + 1)) == NULL)
		goto fail;
	memcpy(g->key, key, len);
	g->key[len] = '\0';
	g->keylen = len;
	for (i = 0; i < RC_N; i++)
		if ((g->c[i] = cm_rcount_new(i >= RC_AUTHORS ? r->o.capacity :
		    DIM_CAPACITY)) == NULL)
			goto fail;
	return g;
fail:
	group_free(g);
	return NULL;
}

static int gidx_grow(struct cm_report *r)
{
	size_t n = r->ngidx ? r->ngidx * 2 : 16, i, j;
	uint32_t *idx;

	if ((idx = calloc(n, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < r->ng; i++) {
		j = cm_report_hash(r->g[i]->key, r->g[i]->keylen) & (n - 1);
		while (idx[j])
			j = (j + 1) & (n - 1);
		idx[j] = (uint32_t)(i + 1);
	}
	free(r->gidx);
	r->gidx = idx;
	r->ngidx = n;
	return 0;
}

struct cm_rgroup *cm_report_group_find(const struct cm_report *r,
    const char *key, size_t len, uint32_t *index)
{
	struct cm_rgroup *g;
	size_t j;

	if (r->ngidx == 0)
		return NULL;
	j = cm_report_hash(key, len) & (r->ngidx - 1);
	for (; r->gidx[j]; j = (j + 1) & (r->ngidx - 1)) {
		g = r->g[r->gidx[j] - 1];
		if (g->keylen == len && memcmp(g->key, key, len) == 0) {
			*index = r->gidx[j] - 1;
			return g;
		}
	}
	return NULL;
}

struct cm_rgroup *cm_report_group(struct cm_report *r, const char *key,
    size_t len, uint32_t *index)
{
	struct cm_rgroup *g, **ng;
	size_t j;

	if ((g = cm_report_group_find(r, key, len, index)) != NULL)
		return g;
	if (r->ng >= UINT32_MAX - 1) {
		errno = ENOMEM;
		return NULL;
	}
	if ((r->ng + 1) * 2 > r->ngidx && gidx_grow(r) < 0)
		return NULL;
	if (r->ng == r->galloc) {
		size_t na = r->galloc ? r->galloc * 2 : 8;

		if ((ng = realloc(r->g, na * sizeof(*ng))) == NULL)
			return NULL;
		r->g = ng;
		r->galloc = na;
	}
	if ((g = group_new(r, key, len)) == NULL)
		return NULL;
	r->g[r->ng] = g;
	j = cm_report_hash(key, len) & (r->ngidx - 1);
	while (r->gidx[j])
		j = (j + 1) & (r->ngidx - 1);
	r->gidx[j] = (uint32_t)(r->ng + 1);
	*index = (uint32_t)r->ng++;
	return g;
}

static size_t bucket_hash(int64_t b, size_t mask)
{
	return (size_t)(((uint64_t)b * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

struct cm_rbucket *cm_rseries_get(struct cm_rseries *s, int64_t b)
{
	struct cm_rbucket *nv;
	size_t j, i;

	if (s->n && s->v[s->last].b == b)
		return &s->v[s->last];
	if (s->nidx) {
		for (j = bucket_hash(b, s->nidx - 1); s->idx[j];
		    j = (j + 1) & (s->nidx - 1)) {
			if (s->v[s->idx[j] - 1].b == b) {
				s->last = s->idx[j] - 1;
				return &s->v[s->last];
			}
		}
	}
	if ((s->n + 1) * 2 > s->nidx) {
		size_t n = s->nidx ? s->nidx * 2 : 64;
		uint32_t *idx;

		if ((idx = calloc(n, sizeof(*idx))) == NULL)
			return NULL;
		for (i = 0; i < s->n; i++) {
			for (j = bucket_hash(s->v[i].b, n - 1); idx[j];
			    j = (j + 1) & (n - 1))
				;
			idx[j] = (uint32_t)(i + 1);
		}
		free(s->idx);
		s->idx = idx;
		s->nidx = n;
	}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 32;

		if ((nv = realloc(s->v, na * sizeof(*nv))) == NULL)
			return NULL;
		s->v = nv;
		s->alloc = na;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	s->v[s->n].b = b;
	for (j = bucket_hash(b, s->nidx - 1); s->idx[j];
	    j = (j + 1) & (s->nidx - 1))
		;
	s->idx[j] = (uint32_t)(s->n + 1);
	s->last = s->n++;
	return &s->v[s->last];
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Bucket numbers: local hours or days since the epoch, or Monday-based
 * weeks (the epoch was a Thursday: day -3 began week 0). */
static int64_t bucket_of(struct cm_report *r, int64_t t)
{
	int64_t local = t + cm_zone_offset(r->zone, t);

	switch (r->o.interval) {
	case CM_REPORT_HOUR:
		return floor_div(local, 3600);
	case CM_REPORT_WEEK:
		return floor_div(floor_div(local, 86400) + 3, 7);
	default:
		return floor_div(local, 86400);
	}
}

void cm_report_bucket_label(const struct cm_report *r, int64_t b,
    char buf[64])
{
	int64_t day, y;
	unsigned m, d;
	int hour = -1;

	switch (r->o.interval) {
	case CM_REPORT_HOUR:
		day = floor_div(b, 24);
		hour = (int)(b - day * 24);
		break;
	case CM_REPORT_WEEK:
		day = b * 7 - 3;
		break;
	default:
		day = b;
	}
	cm_civil_from_days(day, &y, &m, &d);
	if (hour >= 0)
		snprintf(buf, 64, "%04lld-%02u-%02uT%02d:00", (long long)y, m, d,
		    hour);
	else
		snprintf(buf, 64, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* ---- lifecycle ---- */

static struct cm_report *report_alloc(void);
static int configure(struct cm_report *r, const struct cm_report_opts *o,
    struct cm_error *err);

/* The previous period's state: the same options over its own range. */
static int configure_prev(struct cm_report *r, struct cm_error *err)
{
	struct cm_report_opts po = r->o;

	po.since = r->o.prev_since;
	po.until = r->o.prev_until;
	po.compare = 0;
	if ((r->prev = report_alloc()) == NULL) {
		cm_error_nomem(err, NULL);
		return -1;
	}
	r->prev->merging = r->merging;
	if (configure(r->prev, &po, err) < 0)
		return -1;
	/* It reads the values scanned for this state: one scan a record. */
	free(r->prev->vals);
	r->prev->vals = r->vals;
	r->prev->vals_shared = 1;
	return 0;
}

static int configure(struct cm_report *r, const struct cm_report_opts *o,
    struct cm_error *err)
{
	const char *paths[P_N + CM_REPORT_MAX_BY];
	uint32_t gi;
	size_t i;

	r->o = *o;
	if (o->nby > CM_REPORT_MAX_BY) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s", "too many --by fields (at most 8)");
		return -1;
	}
	for (i = 0; i < o->nby; i++) {
		if ((r->by_store[i] = strdup(o->by[i])) == NULL)
			goto nomem;
		r->o.by[i] = r->by_store[i];
	}
	if (o->tz && (r->tz_store = strdup(o->tz)) == NULL)
		goto nomem;
	r->o.tz = r->tz_store;
	if (r->o.capacity == 0)
		r->o.capacity = CM_REPORT_DEFAULT_CAPACITY;
	if ((r->zone = cm_zone_open(o->tz ? o->tz : "UTC")) == NULL) {
		if (errno == ENOMEM)
			goto nomem;
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: unknown time zone (use a tz database name "
		    "like Europe/Berlin, America/New_York or UTC)", o->tz);
		goto fail;
	}
	cm_bizhours_init(&r->bh, r->zone, o->open, o->close, o->workdays);
	for (i = 0; i < P_N; i++)
		paths[i] = fixed_paths[i];
	for (i = 0; i < o->nby; i++)
		paths[P_N + i] = o->by[i];
	if ((r->paths = cm_json_paths_new(paths, P_N + o->nby)) == NULL) {
		if (errno == ENOMEM)
			goto nomem;
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s", "--by: a field is a dotted path like "
		    "platform or source.account (no empty parts, at most 16)");
		goto fail;
	}
	if ((r->vals = calloc(P_N + o->nby, sizeof(*r->vals))) == NULL)
		goto nomem;
	r->open.with_groups = o->nby > 0;
	if (o->nby == 0 && cm_report_group(r, "", 0, &gi) == NULL)
		goto nomem;
	if (o->compare && configure_prev(r, err) < 0)
		goto fail;
	r->configured = 1;
	return 0;
nomem:
	cm_error_nomem(err, NULL);
fail:
	/* Undone, so that a later partial state's header may try again. */
	for (i = 0; i < CM_REPORT_MAX_BY; i++) {
		free(r->by_store[i]);
		r->by_store[i] = NULL;
	}
	free(r->tz_store);
	r->tz_store = NULL;
	cm_zone_free(r->zone);
	r->zone = NULL;
	cm_json_paths_free(r->paths);
	r->paths = NULL;
	free(r->vals);
	r->vals = NULL;
	cm_report_free(r->prev);
	r->prev = NULL;
	return -1;
}

static struct cm_report *report_alloc(void)
{
	struct cm_report *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->ignore = cm_rcount_new(CM_REPORT_MAX_IGNORE)) == NULL) {
		free(r);
		return NULL;
	}
	r->tmin = INT64_MAX;
	r->tmax = INT64_MIN;
	r->last_brand.limit = 1024;
	r->text.limit = r->scratch.limit = r->key.limit = r->term.limit =
	    (size_t)64 << 20;
	return r;
}

struct cm_report *cm_report_new(const struct cm_report_opts *o,
    struct cm_error *err)
{
	struct cm_report *r;

	if ((r = report_alloc()) == NULL) {
		cm_error_nomem(err, NULL);
		return NULL;
	}
	if (configure(r, o, err) < 0) {
		cm_report_free(r);
		return NULL;
	}
	return r;
}

struct cm_report *cm_report_new_merge(struct cm_error *err)
{
	struct cm_report *r;

	if ((r = report_alloc()) == NULL) {
		cm_error_nomem(err, NULL);
		return NULL;
	}
	r->merging = 1;
	return r;
}

int cm_report_configure(struct cm_report *r, const struct cm_report_opts *o,
    struct cm_error *err)
{
	return configure(r, o, err);
}

void cm_report_free(struct cm_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ng; i++)
		group_free(r->g[i]);
	free(r->g);
	free(r->gidx);
	for (i = 0; i < CM_REPORT_MAX_BY; i++)
		free(r->by_store[i]);
	free(r->tz_store);
	cm_zone_free(r->zone);
	cm_json_paths_free(r->paths);
	if (!r->vals_shared)
		free(r->vals);
	cm_report_free(r->prev);
	cm_ridtab_free(&r->open);
	cm_ridtab_free(&r->pending);
	cm_buf_free(&r->scratch);
	cm_buf_free(&r->key);
	cm_buf_free(&r->text);
	cm_buf_free(&r->term);
	cm_rcount_free(r->ignore);
	cm_buf_free(&r->last_brand);
	free(r->gmap);
	cm_json_paths_free(r->mpaths);
	free(r->opts_raw);
	free(r);
}

const struct cm_json_paths *cm_report_paths(const struct cm_report *r)
{
	return r->paths;
}

struct cm_json_value *cm_report_values(struct cm_report *r)
{
	return r->vals;
}

void cm_report_add_bad(struct cm_report *r, uint64_t n)
{
	cm_rinc(&r->in[IN_BAD], n > (uint64_t)CM_REPORT_MAX_COUNT ?
	    CM_REPORT_MAX_COUNT : (int64_t)n);
}

int cm_report_merged_any(const struct cm_report *r)
{
	return r->configured;
}

/* ---- one record ---- */

/* The string value v as bytes (decoded into buf when it has escapes);
 * returns 0 when v is not a string. */
static int str_of(const struct cm_json_value *v, struct cm_buf *buf,
    const char **p, size_t *n)
{
	if (v->type != CM_JSON_STRING)
		return 0;
	if (memchr(v->raw, '\\', v->len) == NULL) {
		*p = v->raw + 1;
		*n = v->len - 2;
		return 1;
	}
	cm_buf_reset(buf);
	if (cm_json_string(v, buf) < 0)
		return 0;
	*p = buf->data;
	*n = buf->len;
	return 1;
}

/* ---- the brand's own names ---- */

int cm_report_ignore(struct cm_report *r, const char *s, size_t n,
    int first_only)
{
	const char *end = s + n, *e, *le;
	size_t pos;

	for (; s < end; s = e + 1) {
		if ((e = memchr(s, ',', (size_t)(end - s))) == NULL)
			e = end;
		while (s < e && (*s == ' ' || *s == '\t' || *s == '@'))
			s++;
		/* a handle's name is its first label: of "hq.bsky.social"
		 * none (hq is no term), not the platform's */
		le = e;
		if (first_only)
			for (le = s; le < e && *le != '.' && *le != '@' &&
			    *le != ':' && *le != ' '; le++)
				;
		pos = 0;
		while (cm_rterms_next(s, (size_t)(le - s), &pos, &r->term)) {
			if (!cm_rcount_has(r->ignore, r->term.data,
			    r->term.len)) {
				if (cm_rcount_len(r->ignore) ==
				    CM_REPORT_MAX_IGNORE) {
					errno = E2BIG;
					return -1;
				}
				if (cm_rcount_add(r->ignore, r->term.data,
				    r->term.len, 1, 0, 0) < 0)
					return -1;
			}
			if (first_only)
				break;
		}
		if (e == end)
			break;
	}
	return 0;
}

/* A brand record's handle names the brand: its first term is one of
 * the brand's names.  The handle seen last is skipped, as most brand
 * records are by one or two accounts. */
static int brand_handle(struct cm_report *r)
{
	const char *p;
	size_t n;

	if (!str_of(&r->vals[P_HANDLE], &r->scratch, &p, &n) || n == 0 ||
	    n > 256 || (r->last_brand.len == n &&
	    memcmp(r->last_brand.data, p, n) == 0))
		return 0;
	cm_buf_reset(&r->last_brand);
	if (cm_buf_add(&r->last_brand, p, n) < 0)
		return -1;
	/* Past CM_REPORT_MAX_IGNORE names the rest count as terms. */
	if (cm_report_ignore(r, r->last_brand.data, n, 1) < 0 &&
	    errno != E2BIG)
		return -1;
	return 0;
}

/* Counts a dimension value, or "unknown" (and the footer's missing
 * count) when the field is absent or not a string. */
static int count_dim(struct cm_report *r, struct cm_rgroup *g, int rc,
    const struct cm_json_value *v, int missing)
{
	const char *p;
	size_t n;

	if (!str_of(v, &r->scratch, &p, &n) || n == 0) {
		if (missing >= 0)
			cm_rinc(&r->in[missing], 1);
		p = "unknown";
		n = 7;
	}
	return cm_rcount_add(g->c[rc], p, n, 1, 0, 0);
}

/* Appends the --by key of the current record to r->key. */
static int group_key(struct cm_report *r)
{
	const struct cm_json_value *v;
	const char *p;
	size_t i, n, k;

	cm_buf_reset(&r->key);
	for (i = 0; i < r->o.nby; i++) {
		v = &r->vals[P_N + i];
		if (i && cm_buf_addc(&r->key, '\x1f') < 0)
			return -1;
		switch (v->type) {
		case CM_JSON_STRING:
			if (!str_of(v, &r->scratch, &p, &n))
				p = "unknown", n = 7;
			else if (n == 0)
				p = "(empty)", n = 7;
			break;
		case CM_JSON_NONE:
		case CM_JSON_NULL:
			p = "unknown";
			n = 7;
			break;
		default:
			p = v->raw;
			n = v->len < 200 ? v->len : 200;
		}
		k = r->key.len;
		if (cm_buf_add(&r->key, p, n) < 0)
			return -1;
		/* the separator may not occur inside a value */
		for (; k < r->key.len; k++)
			if (r->key.data[k] == '\x1f')
				r->key.data[k] = ' ';
	}
	return 0;
}

int cm_report_respond(struct cm_report *r, uint32_t gi, int64_t t0,
    int64_t t1)
{
	struct cm_rgroup *g = r->g[gi];
	int64_t d = t1 > t0 ? t1 - t0 : 0;
	int64_t bd = cm_bizhours_between(&r->bh, t0, t1);

	/* Past CM_HIST_MAX_N values or CM_HIST_MAX_SUM seconds the
	 * histograms take no more (EOVERFLOW); the answer still counts. */
	if ((cm_hist_add(&g->cal, (uint64_t)d) < 0 ||
	    cm_hist_add(&g->biz, (uint64_t)bd) < 0) && errno != EOVERFLOW)
		return -1;
	cm_rinc(&g->st[ST_ANSWERED], 1);
	cm_rinc(&g->st[ST_DIST_CAL + cm_rdist_bin(d)], 1);
	cm_rinc(&g->st[ST_DIST_BIZ + cm_rdist_bin(bd)], 1);
	return 0;
}

static int64_t metric(const struct cm_json_value *v)
{
	int64_t n;

	if (v->type != CM_JSON_NUMBER || cm_json_int64(v, &n) < 0 || n < 0)
		return 0;
	return n > CM_REPORT_MAX_COUNT ? CM_REPORT_MAX_COUNT : n;
}

/* Authors, tags and terms of an inbound record. */
static int add_people(struct cm_report *r, struct cm_rgroup *g)
{
	const struct cm_json_value *v = r->vals;
	struct cm_json_value tv;
	const char *p, *q;
	size_t n, m, pos;
	int64_t eng, fol;
	int depth;

	/* author key: PLATFORM:HANDLE (or the author id) */
	cm_buf_reset(&r->term);
	if (str_of(&v[P_PLATFORM], &r->scratch, &p, &n) && n > 0) {
		if (cm_buf_add(&r->term, p, n) < 0)
			return -1;
	} else if (cm_buf_adds(&r->term, "unknown") < 0) {
		return -1;
	}
	if ((str_of(&v[P_HANDLE], &r->scratch, &p, &n) && n > 0) ||
	    (str_of(&v[P_AUTHOR_ID], &r->scratch, &p, &n) && n > 0)) {
		if (cm_buf_addc(&r->term, ':') < 0 ||
		    cm_buf_add(&r->term, p, n) < 0)
			return -1;
	} else {
		if (v[P_AUTHOR].type == CM_JSON_OBJECT)
			cm_rinc(&r->in[IN_NO_AUTHOR], 1);
		cm_buf_reset(&r->term);
		if (cm_buf_adds(&r->term, "unknown") < 0)
			return -1;
	}
	eng = metric(&v[P_LIKES]);
	cm_rinc(&eng, metric(&v[P_REPOSTS]));
	cm_rinc(&eng, metric(&v[P_REPLIES]));
	cm_rinc(&eng, metric(&v[P_QUOTES]));
	if (cm_rcount_add(g->c[RC_AUTHORS], r->term.data, r->term.len, 1, eng,
	    0) < 0)
		return -1;
	if (v[P_FOLLOWERS].type == CM_JSON_NUMBER &&
	    cm_json_int64(&v[P_FOLLOWERS], &fol) == 0 && fol >= 0 &&
	    cm_rfollow_add(&g->follow, r->term.data, r->term.len, fol) < 0)
		return -1;

	/* tags: an array of strings, lowercased (ASCII) */
	if (v[P_TAGS].type == CM_JSON_ARRAY) {
		p = v[P_TAGS].raw + 1;
		q = v[P_TAGS].raw + v[P_TAGS].len - 1;
		depth = 0;
		while (p < q) {
			if (*p == '"') {
				const char *s = p++;

				while (*p != '"')
					p += *p == '\\' ? 2 : 1;
				p++;
				if (depth != 0)
					continue;
				tv.type = CM_JSON_STRING;
				tv.raw = s;
				tv.len = (size_t)(p - s);
				cm_buf_reset(&r->term);
				if (cm_json_string(&tv, &r->term) < 0)
					return -1;
				for (m = 0; m < r->term.len; m++)
					if (r->term.data[m] >= 'A' &&
					    r->term.data[m] <= 'Z')
						r->term.data[m] += 32;
				if (r->term.len && cm_rcount_add(g->c[RC_TAGS],
				    r->term.data, r->term.len, 1, 0, 0) < 0)
					return -1;
				continue;
			}
			if (*p == '[' || *p == '{')
				depth++;
			else if (*p == ']' || *p == '}')
				depth--;
			p++;
		}
	}

	/* terms of the text */
	if (str_of(&v[P_TEXT], &r->text, &p, &n)) {
		pos = 0;
		while (cm_rterms_next(p, n, &pos, &r->term))
			if (cm_rcount_add(g->c[RC_TERMS], r->term.data,
			    r->term.len, 1, 0, 0) < 0)
				return -1;
	}
	return 0;
}

static int add_sentiment(struct cm_report *r, struct cm_rgroup *g,
    struct cm_rbucket *b)
{
	const struct cm_json_value *v = r->vals;
	const char *p;
	size_t n;
	double s;
	int64_t fixed;

	/* null: cm-score saw the text and left it unscored; not neutral */
	if (v[P_SENTIMENT].type == CM_JSON_NULL) {
		cm_rinc(&g->st[ST_NOT_SCORED], 1);
		return 0;
	}
	if (v[P_SENTIMENT].type != CM_JSON_NUMBER ||
	    cm_json_double(&v[P_SENTIMENT], &s) < 0 || !isfinite(s))
		return 0;
	/* Fixed point: integer sums merge exactly in any order. */
	if (s > 1)
		s = 1;
	if (s < -1)
		s = -1;
	fixed = llround(s * 1e6);
	cm_rinc(&g->st[ST_SCORED], 1);
	g->st[ST_SENTI] = cm_rsat(g->st[ST_SENTI], fixed,
	    CM_REPORT_MAX_SENTI);
	if (b) {
		cm_rinc(&b->scored, 1);
		b->senti = cm_rsat(b->senti, fixed, CM_REPORT_MAX_SENTI);
	}
	if (str_of(&v[P_LABEL], &r->scratch, &p, &n) && n > 0) {
		if (b && n == 8 && memcmp(p, "positive", 8) == 0)
			cm_rinc(&b->pos, 1);
		else if (b && n == 8 && memcmp(p, "negative", 8) == 0)
			cm_rinc(&b->neg, 1);
		else if (b && n == 7 && memcmp(p, "neutral", 7) == 0)
			cm_rinc(&b->neu, 1);
	}
	if (count_dim(r, g, RC_LABEL, &v[P_LABEL], -1) < 0 ||
	    count_dim(r, g, RC_INTENT, &v[P_INTENT], -1) < 0)
		return -1;
	return 0;
}

int cm_report_add(struct cm_report *r)
{
	const struct cm_json_value *v = r->vals;
	struct cm_rgroup *g;
	struct cm_rbucket *b = NULL;
	const char *p;
	size_t n;
	int64_t t = 0;
	uint32_t gi = 0, t0, g0;
	uint64_t h;
	int timed, brand, sent;
	int64_t ts = 0;

	timed = v[P_CREATED].type == CM_JSON_STRING &&
	    cm_time_parse(v[P_CREATED].raw + 1, v[P_CREATED].len - 2, &t) == 0;
	/* The periods may overlap (--compare 1d over a week): a record
	 * counts in each it is in. */
	if (r->prev && timed && t >= r->prev->o.since &&
	    t < r->prev->o.until && cm_report_add(r->prev) < 0)
		return -1;
	if (r->o.since != INT64_MIN || r->o.until != INT64_MAX) {
		if (!timed || t < r->o.since || t >= r->o.until) {
			cm_rinc(&r->in[IN_OUTSIDE], 1);
			return 0;
		}
	}
	cm_rinc(&r->in[IN_RECORDS], 1);
	if (r->o.nby) {
		if (group_key(r) < 0 ||
		    (g = cm_report_group(r, r->key.data, r->key.len, &gi)) ==
		    NULL)
			return -1;
	} else {
		g = r->g[0];
	}
	if (v[P_AUTHOR].type != CM_JSON_OBJECT)
		cm_rinc(&r->in[IN_NO_AUTHOR], 1);
	else if (v[P_IS_BRAND].type != CM_JSON_TRUE &&
	    v[P_IS_BRAND].type != CM_JSON_FALSE)
		cm_rinc(&r->in[IN_NO_BRAND_FLAG], 1);
	brand = v[P_IS_BRAND].type == CM_JSON_TRUE;
	cm_rinc(&g->st[ST_RECORDS], 1);
	cm_rinc(&g->st[brand ? ST_BRAND : ST_INBOUND], 1);
	if (timed) {
		if (t < r->tmin)
			r->tmin = t;
		if (t > r->tmax)
			r->tmax = t;
		if ((b = cm_rseries_get(&g->series, bucket_of(r, t))) == NULL)
			return -1;
		cm_rinc(&b->records, 1);
		cm_rinc(brand ? &b->brand : &b->inbound, 1);
	} else {
		cm_rinc(&r->in[IN_NO_TIME], 1);
	}
	if (count_dim(r, g, RC_PLATFORM, &v[P_PLATFORM], IN_NO_PLATFORM) < 0 ||
	    count_dim(r, g, RC_REASON, &v[P_REASON], IN_NO_REASON) < 0 ||
	    count_dim(r, g, RC_KIND, &v[P_KIND], IN_NO_KIND) < 0)
		return -1;
	/* response times need 32-bit times: 1970 to 2106 */
	timed = timed && t >= 0 && t <= (int64_t)UINT32_MAX;

	if (!brand) {
		if (add_sentiment(r, g, b) < 0 || add_people(r, g) < 0)
			return -1;
		/* cm-reply's output: the record's own reply, sent at
		 * reply.sent_at, answers it as a brand reply would */
		sent = v[P_REPLY_STATUS].type == CM_JSON_STRING &&
		    cm_json_string_eq(&v[P_REPLY_STATUS], "sent");
		if (sent && (v[P_SENT_AT].type != CM_JSON_STRING ||
		    cm_time_parse(v[P_SENT_AT].raw + 1, v[P_SENT_AT].len - 2,
		    &ts) < 0 || ts < 0 || ts > (int64_t)UINT32_MAX)) {
			cm_rinc(&r->in[IN_BAD_SENT_AT], 1);
			sent = 0;
		}
		if (!str_of(&v[P_ID], &r->scratch, &p, &n) || n == 0) {
			cm_rinc(&r->in[IN_NO_ID], 1);
			return 0;
		}
		if (!timed)
			return 0;
		h = cm_report_hash(p, n);
		/* Spam is no one's to answer: apart from the response KPIs
		 * unless asked for, as the SaaS suites count it. */
		if (v[P_INTENT].type == CM_JSON_STRING &&
		    cm_json_string_eq(&v[P_INTENT], "spam")) {
			cm_rinc(&g->st[ST_SPAM], 1);
			if (!r->o.include_spam)
				return 0;
		}
		cm_rinc(&g->st[ST_ELIGIBLE], 1);
		if (sent)
			cm_rinc(&g->st[ST_SENT], 1);
		if (cm_ridtab_find(&r->pending, h, &t0, NULL)) {
			/* its reply came first (out-of-order input) */
			cm_ridtab_del(&r->pending, h);
			if (sent && ts < (int64_t)t0)
				t0 = (uint32_t)ts;
			return cm_report_respond(r, gi, t, t0);
		}
		if (cm_ridtab_put(&r->open, h, (uint32_t)t, gi) < 0)
			return -1;
		/* a brand record later in the input may be the earlier
		 * reply: the pair is settled by it or at the end */
		if (sent) {
			r->sent_open = 1;
			return cm_ridtab_put(&r->pending, h, (uint32_t)ts, 0);
		}
		return 0;
	}
	if (brand_handle(r) < 0)
		return -1;
	if (!str_of(&v[P_ID], &r->scratch, &p, &n) || n == 0)
		cm_rinc(&r->in[IN_NO_ID], 1);
	if (!str_of(&v[P_IN_REPLY_TO], &r->scratch, &p, &n) || n == 0)
		return 0;
	cm_rinc(&g->st[ST_BRAND_REPLIES], 1);
	if (!timed)
		return 0;
	h = cm_report_hash(p, n);
	if (cm_ridtab_find(&r->open, h, &t0, &g0)) {
		uint32_t ts32;

		cm_ridtab_del(&r->open, h);
		/* the record's own reply.sent_at, if it came with one */
		if (cm_ridtab_find(&r->pending, h, &ts32, NULL)) {
			cm_ridtab_del(&r->pending, h);
			if (ts32 < (uint32_t)t)
				return cm_report_respond(r, g0, t0, ts32);
		}
		return cm_report_respond(r, g0, t0, t);
	}
	return cm_ridtab_put(&r->pending, h, (uint32_t)t, 0);
}
