/* hist - tests for lib/report/hist.c: bucket layout, error bound, percentiles,
 * exact merging */
#include <stdint.h>
#include <stdlib.h>

#include "report/hist.h"
#include "tap.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_layout(void)
{
	uint64_t lo, hi, prev_hi = 0, v, mid;
	size_t i, n = cm_hist_nbuckets(), bad = 0;
	double worst = 0, err;

	for (i = 0; i < n; i++) {
		cm_hist_bounds(i, &lo, &hi);
		if (lo > hi || (i > 0 && lo != prev_hi + 1) ||
		    cm_hist_index(lo) != i || cm_hist_index(hi) != i)
			bad++;
		if (lo >= 128) {
			mid = lo + (hi - lo + 1) / 2;
			err = (double)(mid - lo) / (double)lo;
			if ((double)(hi - mid) / (double)hi > err)
				err = (double)(hi - mid) / (double)hi;
			if (err > worst)
				worst = err;
		}
		prev_hi = hi;
	}
	is_int(bad, 0, "%zu buckets are contiguous and index back to "
	    "themselves", n);
	is_int(prev_hi, CM_HIST_MAX, "the last bucket ends at CM_HIST_MAX");
	ok(worst <= CM_HIST_REL_ERROR, "a bucket midpoint is within 1/128 "
	    "of every value in it (worst %.5f)", worst);
	for (v = 0, bad = 0; v < 128; v++) {
		cm_hist_bounds(cm_hist_index(v), &lo, &hi);
		bad += lo != v || hi != v;
	}
	is_int(bad, 0, "values below 128 have buckets of their own");
	for (i = 0, bad = 0; i < 100000; i++) {
		v = next_rand() % CM_HIST_MAX;
		cm_hist_bounds(cm_hist_index(v), &lo, &hi);
		bad += v < lo || v > hi;
	}
	is_int(bad, 0, "random values fall inside their bucket");
	is_int(cm_hist_index(UINT64_MAX), cm_hist_index(CM_HIST_MAX),
	    "larger values are clamped");
}

static void test_percentiles(void)
{
	struct cm_hist h = CM_HIST_INIT;
	uint64_t v;

	is_int(cm_hist_percentile(&h, 50), 0, "an empty histogram gives 0");
	cm_hist_add(&h, 1800);
	cm_hist_add(&h, 10800);
	is_int(cm_hist_percentile(&h, 50), 1800, "median of 30m and 3h is 30m "
	    "(nearest rank)");
	is_int(cm_hist_percentile(&h, 90), 10800, "p90 is 3h: the midpoint is "
	    "clamped to the maximum");
	is_int(cm_hist_percentile(&h, 0), 1800, "p0 is the minimum");
	is_int(h.sum, 12600, "the sum is exact");
	cm_hist_free(&h);

	for (v = 1; v <= 100; v++)
		cm_hist_add(&h, v);
	is_int(cm_hist_percentile(&h, 50), 50, "p50 of 1..100 is 50");
	is_int(cm_hist_percentile(&h, 90), 90, "p90 of 1..100 is 90");
	is_int(cm_hist_percentile(&h, 100), 100, "p100 is the maximum");
	is_int(cm_hist_count_range(&h, 10, 20), 10, "count_range [10, 20)");
	cm_hist_free(&h);

	cm_hist_add(&h, 10800);
	cm_hist_add(&h, 10900);
	cm_hist_add(&h, 20000);
	v = cm_hist_percentile(&h, 50);
	ok(v >= 10900 * (1 - CM_HIST_REL_ERROR) &&
	    v <= 10900 * (1 + CM_HIST_REL_ERROR), "median of 3 values within "
	    "the stated error (%llu for 10900)", (unsigned long long)v);
	cm_hist_free(&h);

	cm_hist_add(&h, UINT64_MAX);
	is_int(h.max, CM_HIST_MAX, "values are clamped before summing");
	cm_hist_free(&h);
}

static void test_merge(void)
{
	struct cm_hist all = CM_HIST_INIT, a = CM_HIST_INIT, b = CM_HIST_INIT;
	struct cm_hist c = CM_HIST_INIT;
	size_t i, diff = 0;
	uint64_t v;
	unsigned p;

	for (i = 0; i < 20000; i++) {
		v = next_rand() % (i % 3 ? 100000 : 5000000);
		cm_hist_add(&all, v);
		cm_hist_add(i % 2 ? &a : &b, v);
	}
	cm_hist_merge(&c, &b);
	cm_hist_merge(&c, &a);
	for (i = 0; i < all.nb || i < c.nb; i++)
		diff += (i < all.nb ? all.b[i] : 0) != (i < c.nb ? c.b[i] : 0);
	is_int(diff, 0, "merged buckets equal one histogram's");
	ok(c.n == all.n && c.sum == all.sum && c.min == all.min &&
	    c.max == all.max, "merged n, sum, min, max are exact");
	for (p = 0, diff = 0; p <= 100; p++)
		diff += cm_hist_percentile(&c, p) != cm_hist_percentile(&all, p);
	is_int(diff, 0, "merged percentiles equal one histogram's");

	cm_hist_free(&c);
	ok(cm_hist_add_bucket(&c, cm_hist_nbuckets(), 1) < 0,
	    "a bucket past the last is refused");
	ok(cm_hist_add_bucket(&c, 200, 3) == 0 && c.b[200] == 3,
	    "add_bucket adds counts");
	cm_hist_free(&all);
	cm_hist_free(&a);
	cm_hist_free(&b);
	cm_hist_free(&c);
}

int main(void)
{
	test_layout();
	test_percentiles();
	test_merge();
	return tap_done();
}
