/* hist.c - mergeable log-bucketed histogram of durations (seconds) */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define EXACT ((uint64_t)2 << CM_HIST_SUB_BITS)	/* 128: exact below */
#define HALF ((uint64_t)1 << CM_HIST_SUB_BITS)	/* 64 buckets a doubling */

size_t cm_hist_index(uint64_t v)
{
	unsigned s;

	if (v > CM_HIST_MAX)
		v = CM_HIST_MAX;
	if (v < EXACT)
		return (size_t)v;
	/* v >> s lands in [64, 128); buckets of width 2^s follow on. */
	s = (unsigned)(63 - __builtin_clzll(v)) - CM_HIST_SUB_BITS;
	return (size_t)(HALF * s + (v >> s));
}

void cm_hist_bounds(size_t idx, uint64_t *lo, uint64_t *hi)
{
	uint64_t s, m;

	if (idx < EXACT) {
		*lo = *hi = idx;
		return;
	}
	s = (idx - HALF) / HALF;
	m = idx - HALF * s;
	*lo = m << s;
	*hi = *lo + ((uint64_t)1 << s) - 1;
}

size_t cm_hist_nbuckets(void)
{
	return cm_hist_index(CM_HIST_MAX) + 1;
}

static int grow(struct cm_hist *h, size_t idx)
{
	uint64_t *nb;
	size_t n;

	if (idx < h->nb)
		return 0;
	n = h->nb ? h->nb : 256;
	while (n <= idx)
		n *= 2;
	if (n > cm_hist_nbuckets())
		n = cm_hist_nbuckets();
	if ((nb = realloc(h->b, n * sizeof(*nb))) == NULL)
		return -1;
	memset(nb + h->nb, 0, (n - h->nb) * sizeof(*nb));
	h->b = nb;
	h->nb = n;
	return 0;
}

/* 1 when n more values summing to sum still fit in h. */
static int fits(const struct cm_hist *h, uint64_t n, uint64_t sum)
{
	return n <= CM_HIST_MAX_N - h->n && sum <= CM_HIST_MAX_SUM - h->sum;
}

/* Adds the stats of n values that fit (checked by the caller). */
static void add_stats(struct cm_hist *h, uint64_t n, uint64_t sum,
    uint64_t min, uint64_t max)
{
	if (n == 0)
		return;
	if (h->n == 0 || min < h->min)
		h->min = min;
	if (h->n == 0 || max > h->max)
		h->max = max;
	h->n += n;
	h->sum += sum;
}

int cm_hist_add_stats(struct cm_hist *h, uint64_t n, uint64_t sum,
    uint64_t min, uint64_t max)
{
	if (!fits(h, n, sum)) {
		errno = EOVERFLOW;
		return -1;
	}
	add_stats(h, n, sum, min, max);
	return 0;
}

int cm_hist_add(struct cm_hist *h, uint64_t v)
{
	size_t idx;

	if (v > CM_HIST_MAX)
		v = CM_HIST_MAX;
	if (!fits(h, 1, v)) {
		errno = EOVERFLOW;
		return -1;
	}
	idx = cm_hist_index(v);
	if (grow(h, idx) < 0)
		return -1;
	h->b[idx]++;
	add_stats(h, 1, v, v, v);
	return 0;
}

int cm_hist_add_bucket(struct cm_hist *h, size_t idx, uint64_t count)
{
	if (idx >= cm_hist_nbuckets()) {
		errno = EINVAL;
		return -1;
	}
	if (grow(h, idx) < 0)
		return -1;
	h->b[idx] += count;
	return 0;
}

int cm_hist_merge(struct cm_hist *dst, const struct cm_hist *src)
{
	size_t i;

	if (!fits(dst, src->n, src->sum)) {
		errno = EOVERFLOW;
		return -1;
	}
	if (src->nb && grow(dst, src->nb - 1) < 0)
		return -1;
	for (i = 0; i < src->nb; i++)
		dst->b[i] += src->b[i];
	add_stats(dst, src->n, src->sum, src->min, src->max);
	return 0;
}

static uint64_t midpoint(size_t idx)
{
	uint64_t lo, hi;

	cm_hist_bounds(idx, &lo, &hi);
	return lo + (hi - lo + 1) / 2;
}

uint64_t cm_hist_percentile(const struct cm_hist *h, unsigned pct)
{
	uint64_t rank, seen = 0, v;
	size_t i;

	if (h->n == 0)
		return 0;
	if (pct > 100)
		pct = 100;
	/* ceil(pct * n / 100) without floating point, at least 1 */
	rank = (h->n / 100) * pct + ((h->n % 100) * pct + 99) / 100;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < h->nb; i++) {
		seen += h->b[i];
		if (seen >= rank)
			break;
	}
	if (i == h->nb)
		return h->max;
	v = i < EXACT ? i : midpoint(i);
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

uint64_t cm_hist_count_range(const struct cm_hist *h, uint64_t lo,
    uint64_t hi)
{
	uint64_t n = 0, v;
	size_t i;

	for (i = 0; i < h->nb; i++) {
		if (h->b[i] == 0)
			continue;
		v = i < EXACT ? i : midpoint(i);
		if (v >= lo && v < hi)
			n += h->b[i];
	}
	return n;
}

void cm_hist_free(struct cm_hist *h)
{
	free(h->b);
	h->b = NULL;
	h->nb = 0;
	h->n = h->sum = h->min = h->max = 0;
}
