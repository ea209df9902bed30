/* report_state.h - the aggregate state: groups, counters, series, id
 * tables, and the functions of report.c, report_top.c and
 * report_partial.c that the layers above read it with (internal to
 * lib/report; see report.h for the layers) */
#ifndef CM_REPORT_STATE_H
#define CM_REPORT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "bizhours.h"
#include "core/buf.h"
#include "hist.h"
#include "core/json.h"
#include "report.h"
#include "report_rout.h"

/*
 * The largest count a partial state carries (records, buckets, counter
 * counts, engagement and errors, input counts): every count saturates
 * at it, per record and when states merge, so whatever --partial writes
 * --merge accepts and no sum can overflow.  Sentiment sums (millionths,
 * each record -1e6..1e6) saturate at +-CM_REPORT_MAX_SENTI.
 */
#define CM_REPORT_MAX_COUNT ((int64_t)1 << 40)
#define CM_REPORT_MAX_SENTI (CM_REPORT_MAX_COUNT * 1000000)

/* a + b, each first clamped to [-lim, lim], clamped to [-lim, lim];
 * lim < 2^62. */
static inline int64_t cm_rsat(int64_t a, int64_t b, int64_t lim)
{
	a = a > lim ? lim : a < -lim ? -lim : a;
	b = b > lim ? lim : b < -lim ? -lim : b;
	a += b;
	return a > lim ? lim : a < -lim ? -lim : a;
}

/* Adds v to the count *c, saturating at CM_REPORT_MAX_COUNT. */
static inline void cm_rinc(int64_t *c, int64_t v)
{
	*c = cm_rsat(*c, v, CM_REPORT_MAX_COUNT);
}

/* A stable 64-bit hash of bytes (the same on every machine: partial
 * states carry id hashes). */
uint64_t cm_report_hash(const char *p, size_t n);

/*
 * A string counter (report_top.c): key -> count, plus aux (a second sum,
 * e.g. engagement) and err (the most count may exceed the truth by).
 * Exact while it holds at most cap keys; past that it becomes a
 * Space-Saving sketch: a new key replaces the key with the smallest count
 * (ties: the key that sorts last), inheriting that count as its err.
 * Keys are stored in the counter.
 */
struct cm_rcount;

struct cm_rcount_item {
	const char *key;
	size_t len;
	int64_t count, aux, err;
};

struct cm_rcount *cm_rcount_new(size_t cap);
void cm_rcount_free(struct cm_rcount *c);
/* Adds to key's count, aux and err, each saturating at
 * CM_REPORT_MAX_COUNT.  Returns 0, or -1 on ENOMEM (the counter is
 * unchanged). */
int cm_rcount_add(struct cm_rcount *c, const char *key, size_t len,
    int64_t count, int64_t aux, int64_t err);
size_t cm_rcount_len(const struct cm_rcount *c);
/* Whether key is one of c's keys. */
int cm_rcount_has(const struct cm_rcount *c, const char *key, size_t len);
int cm_rcount_exact(const struct cm_rcount *c);
void cm_rcount_set_inexact(struct cm_rcount *c);
size_t cm_rcount_cap(const struct cm_rcount *c);
/* Every item, sorted by count (by_aux: by aux) descending, then key
 * ascending; *out is malloc'd (free it), valid until the next add.
 * Returns the number of items, or (size_t)-1 on ENOMEM. */
size_t cm_rcount_sorted(const struct cm_rcount *c, int by_aux,
    struct cm_rcount_item **out);

/*
 * The K keys with the largest value (followers), each with the largest
 * value seen for it; ties by key ascending.  Exact in one pass and under
 * merging, because a key that is not among a stream's K largest cannot
 * be among the K largest of any union of streams.
 */
#define CM_RFOLLOW_K CM_REPORT_MAX_TOP
struct cm_rfollow {
	size_t n;
	size_t min;		/* index of the smallest, when n == K */
	struct {
		char *key;
		size_t len;
		int64_t v;
	} e[CM_RFOLLOW_K];
};

int cm_rfollow_add(struct cm_rfollow *f, const char *key, size_t len,
    int64_t v);
void cm_rfollow_free(struct cm_rfollow *f);
/* Indices into f->e sorted by value descending, key ascending. */
void cm_rfollow_sorted(const struct cm_rfollow *f, size_t idx[CM_RFOLLOW_K]);

/*
 * Terms of a text for "top terms": runs of letters and digits,
 * lowercased (ASCII, Latin-1, Greek, Cyrillic), with URLs, @mentions,
 * #hashtags, a trailing 's, pure numbers, words shorter than 3 bytes and
 * common stop words (en, de, fr, es, it, pt, nl) left out.  Appends the
 * next term to out (reset first); returns 1, or 0 at the end of the text.
 */
int cm_rterms_next(const char *s, size_t n, size_t *pos, struct cm_buf *out);

/* A time bucket of the timeline. */
struct cm_rbucket {
	int64_t b;		/* bucket number (see bucket_of) */
	int64_t records, inbound, brand, scored, senti, pos, neu, neg;
};

struct cm_rseries {
	struct cm_rbucket *v;
	size_t n, alloc;
	uint32_t *idx;		/* open addressing: index + 1 */
	size_t nidx;
	size_t last;		/* the bucket hit last: the usual next one */
};

/* Dimension counters of a group. */
enum {
	RC_PLATFORM, RC_REASON, RC_KIND, RC_LABEL, RC_INTENT,
	RC_AUTHORS, RC_TAGS, RC_TERMS, RC_N
};
extern const char *const cm_rc_names[RC_N];

/* First-response time bins (<15m, 15m-1h, 1h-4h, 4h-24h, 1d-3d, >=3d),
 * counted exactly: a histogram bucket could straddle an edge. */
#define CM_RDIST_N 6
size_t cm_rdist_bin(int64_t seconds);

/* Plain counts of a group; sums of integers, so they merge exactly. */
enum {
	ST_RECORDS, ST_INBOUND, ST_BRAND, ST_BRAND_REPLIES, ST_SCORED,
	ST_SENTI,		/* sum of round(score.sentiment * 1e6) */
	ST_ELIGIBLE,		/* inbound with an id and a created_at,
				 * spam only with include_spam */
	ST_ANSWERED,
	ST_DIST_CAL,		/* CM_RDIST_N bins of calendar seconds */
	ST_DIST_BIZ = ST_DIST_CAL + CM_RDIST_N,	/* of business seconds */
	ST_SPAM = ST_DIST_BIZ + CM_RDIST_N,	/* inbound with an id, a
						 * created_at and score.intent
						 * "spam" */
	/* inbound with score.sentiment null: in a language the lexicon
	 * does not cover (cm-score(1), LANGUAGES) */
	ST_NOT_SCORED,
	/* eligible with reply.status "sent" and a valid reply.sent_at:
	 * replies seen through cm-reply's output, not as brand records */
	ST_SENT,
	ST_N
};
extern const char *const cm_st_names[ST_N];

struct cm_rgroup {
	char *key;		/* the --by values joined by 0x1f */
	size_t keylen;
	int64_t st[ST_N];
	struct cm_rseries series;
	struct cm_rcount *c[RC_N];
	struct cm_rfollow follow;
	struct cm_hist cal, biz;	/* first-response times, seconds */
};

/*
 * Id tables: id hash -> time (and group), for the inbound records still
 * waiting for a reply ("open") and the brand replies whose parent has
 * not been seen ("pending", keeping the earliest reply time).  256
 * sub-tables by the hash's top byte grow one at a time, so growing never
 * needs twice the memory.  12 bytes an entry, plus 4 for the group when
 * there is more than one group.
 */
struct cm_ridsub {
	uint32_t *w;		/* 3 words an entry: hash lo, hash hi, time */
	uint32_t *g;		/* groups, or NULL */
	uint32_t cap, n;
};

struct cm_ridtab {
	struct cm_ridsub sub[256];
	int with_groups;
	size_t n;
};

int cm_ridtab_find(const struct cm_ridtab *t, uint64_t h, uint32_t *time,
    uint32_t *group);
/* Inserts, or when present keeps the smaller time (and its group). */
int cm_ridtab_put(struct cm_ridtab *t, uint64_t h, uint32_t time,
    uint32_t group);
void cm_ridtab_del(struct cm_ridtab *t, uint64_t h);
void cm_ridtab_free(struct cm_ridtab *t);

/* Input statistics for the footer. */
enum {
	IN_RECORDS, IN_BAD, IN_OUTSIDE, IN_NO_ID, IN_NO_PLATFORM, IN_NO_KIND,
	IN_NO_REASON, IN_NO_TIME, IN_NO_AUTHOR, IN_NO_BRAND_FLAG,
	IN_BAD_SENT_AT, IN_N
};
extern const char *const cm_in_names[IN_N];

struct cm_report {
	struct cm_report_opts o;
	char *by_store[CM_REPORT_MAX_BY];
	char *tz_store;
	struct cm_zone *zone;
	struct cm_bizhours bh;
	struct cm_json_paths *paths;
	struct cm_json_value *vals;

	struct cm_rgroup **g;
	size_t ng, galloc;
	uint32_t *gidx;		/* group lookup: index + 1 */
	size_t ngidx;

	struct cm_ridtab open, pending;
	int64_t in[IN_N];
	int64_t tmin, tmax;	/* created_at range seen */

	struct cm_buf scratch, key, text, term;

	/* Terms left out of the top terms (a set: counts unused): the
	 * brand's own names, at most CM_REPORT_MAX_IGNORE. */
	struct cm_rcount *ignore;
	struct cm_buf last_brand;	/* the brand handle seen last */

	/* merging */
	struct cm_json_paths *mpaths;
	char *opts_raw;		/* the first partial's options, verbatim */
	int merging, configured, in_partial;
	int refused;		/* the last header was refused: so are the
				 * lines up to the next header */
	uint32_t *gmap;		/* partial's group number -> ours, or
				 * CM_RGROUP_REFUSED */
	size_t ngmap;
	long incomplete;
	int matched;		/* cross-partial pairing done */
	/* a record answered by its own reply.sent_at is open with that
	 * reply pending, in case a brand record answered it earlier: one
	 * pass pairs them at the end too */
	int sent_open;

	/* --compare: the previous period, aggregated by the same code into
	 * a second state that reads this one's values (vals_shared) */
	struct cm_report *prev;
	int vals_shared;
	int in_prev;		/* merging: lines go to prev */
};

#define CM_RGROUP_REFUSED UINT32_MAX	/* a gmap entry: its line was bad */

/* Finds or makes the group with this key; NULL on ENOMEM. */
struct cm_rgroup *cm_report_group(struct cm_report *r, const char *key,
    size_t len, uint32_t *index);
/* The bucket record of bucket b in a series; NULL on ENOMEM. */
struct cm_rbucket *cm_rseries_get(struct cm_rseries *s, int64_t b);
/* Records a first response of inbound t0 by a reply at t1 in group g. */
int cm_report_respond(struct cm_report *r, uint32_t g, int64_t t0,
    int64_t t1);
/* The group with this key, or NULL; never makes one. */
struct cm_rgroup *cm_report_group_find(const struct cm_report *r,
    const char *key, size_t len, uint32_t *index);
/* The label of bucket b ("2026-11-24", "2026-11-24T10:00"). */
void cm_report_bucket_label(const struct cm_report *r, int64_t b,
    char buf[64]);

/* Sets up a report made by cm_report_new_merge from the first partial
 * state's options; returns 0 or -1 with err filled. */
int cm_report_configure(struct cm_report *r, const struct cm_report_opts *o,
    struct cm_error *err);

/* Pairs the pending replies and open inbound records of merged partial
 * states (once; a no-op for a single pass).  Returns 0, or -1 on ENOMEM.
 * After it the state may no longer be written as a partial state. */
int cm_report_pair(struct cm_report *r);

/* The options as the JSON object a partial state's header carries
 * (without the closing brace unless close); report_partial.c. */
void cm_report_options_json(const struct cm_report *r, struct cm_rout *o,
    int close);

#endif
