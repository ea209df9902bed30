/* hist.h - mergeable log-bucketed histogram of durations (seconds) */
#ifndef CM_HIST_H
#define CM_HIST_H

#include <stddef.h>
#include <stdint.h>

/*
 * HDR-like buckets: values below 128 each have their own bucket (exact);
 * above, every doubling [2^k, 2^(k+1)) is cut into 64 equal buckets, so a
 * bucket is at most 1/64 of its lower bound wide and its midpoint is
 * within 1/128 (0.79%) of any value in it.  Two histograms merge by
 * adding bucket counts, which is exact: merging gives the same histogram
 * as adding every value to one.  Counts, sum, min and max are exact;
 * quantiles carry the bucket error.  Values are clamped to
 * CM_HIST_MAX (about 2177 years); a histogram holds at most CM_HIST_MAX_N
 * values summing to at most CM_HIST_MAX_SUM (so n and sum fit the int64
 * of a JSON reader), and adding or merging past that fails with
 * EOVERFLOW, leaving the histogram unchanged.
 *
 * A cm_hist owns its bucket array (allocated as values arrive, up to the
 * highest bucket used); cm_hist_free releases it.  A zeroed struct is an
 * empty histogram.
 */
#define CM_HIST_MAX (((uint64_t)1 << 36) - 1)
#define CM_HIST_MAX_N ((uint64_t)1 << 40)
#define CM_HIST_MAX_SUM ((uint64_t)INT64_MAX)
#define CM_HIST_SUB_BITS 6
#define CM_HIST_REL_ERROR (1.0 / 128)

struct cm_hist {
	uint64_t *b;		/* b[i]: values in bucket i */
	size_t nb;		/* buckets allocated */
	uint64_t n;		/* values */
	uint64_t sum;
	uint64_t min, max;	/* valid when n > 0 */
};

#define CM_HIST_INIT { NULL, 0, 0, 0, 0, 0 }

/* The bucket of v (after clamping), and a bucket's value range [lo, hi]. */
size_t cm_hist_index(uint64_t v);
void cm_hist_bounds(size_t idx, uint64_t *lo, uint64_t *hi);
/* The number of buckets there are (the index of CM_HIST_MAX plus one). */
size_t cm_hist_nbuckets(void);

/* Each returns 0, or -1 on ENOMEM or EOVERFLOW (past CM_HIST_MAX_N or
 * CM_HIST_MAX_SUM); on -1 the histogram's values are unchanged. */
int cm_hist_add(struct cm_hist *h, uint64_t v);
/* Adds count values known only by their bucket (a partial state), with
 * the exact sum, min and max added separately by cm_hist_add_stats
 * (EINVAL: no such bucket).  Bucket counts are not checked against
 * n: the caller checks that they add up. */
int cm_hist_add_bucket(struct cm_hist *h, size_t idx, uint64_t count);
int cm_hist_add_stats(struct cm_hist *h, uint64_t n, uint64_t sum,
    uint64_t min, uint64_t max);
int cm_hist_merge(struct cm_hist *dst, const struct cm_hist *src);

/*
 * The nearest-rank percentile: the value of rank ceil(pct/100 * n) in
 * ascending order, given as the midpoint of its bucket clamped to
 * [min, max] (so the 0th and 100th are exact).  0 when empty.
 */
uint64_t cm_hist_percentile(const struct cm_hist *h, unsigned pct);

/* Counts the values of buckets whose midpoints fall in [lo, hi). */
uint64_t cm_hist_count_range(const struct cm_hist *h, uint64_t lo,
    uint64_t hi);

void cm_hist_free(struct cm_hist *h);

#endif
