/* pace.c - rate-limit budgets and waits */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "pace.h"

double cm_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void cm_pace_update(struct cm_pace *p, const struct cm_budget *b, double now)
{
	if (!b->known)
		return;
	/* Answers are read in the order they come back, not in the order
	 * the server counted their requests: while the window runs, one
	 * read late can say more is left than one read before it, and
	 * believing it sends requests the window no longer has.  So the
	 * lowest count said stands until the window's end, and the end
	 * stays the one first said (every adapter's estimate of it is at
	 * or after the server's).  After that end an answer is taken as it
	 * is: a new window. */
	if (p->b.known && now < p->b.reset_at) {
		if (b->remaining < p->b.remaining)
			p->b.remaining = b->remaining;
		if (b->limit > p->b.limit)
			p->b.limit = b->limit;
		return;
	}
	p->b = *b;
}

double cm_pace_next(const struct cm_pace *p, unsigned in_flight, double now,
    char *why, size_t whylen)
{
	const struct cm_budget *b = &p->b;
	double left = b->remaining - in_flight, reserve, window;

	if (why && whylen)
		why[0] = '\0';
	if (!b->known || b->reset_at <= now)
		return now;
	if (left < 1) {
		if (why)
			snprintf(why, whylen, "the rate limit is spent (%.0f "
			    "left%s%.0f)", b->remaining, b->limit > 0 ?
			    " of " : "", b->limit);
		return b->reset_at;
	}
	reserve = b->limit > 0 ? b->limit / 10 : 10;
	if (reserve < 2)
		reserve = 2;
	if (left > reserve)
		return now;
	window = b->reset_at - now;
	if (why)
		snprintf(why, whylen, "the rate limit is nearly spent (%.0f "
		    "left%s%.0f): pacing", b->remaining, b->limit > 0 ?
		    " of " : "", b->limit);
	return now + window / left;
}

double cm_backoff(unsigned attempt, double retry_after, uint64_t *rng)
{
	double d = 1, jitter;
	uint64_t x = *rng ? *rng : 0x9e3779b97f4a7c15ULL;

	for (unsigned i = 1; i < attempt && d < 300; i++)
		d *= 2;
	if (d > 300)
		d = 300;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*rng = x;
	jitter = d / 4 * (double)(x >> 11) / 9007199254740992.0;
	d += jitter;
	return retry_after > d ? retry_after : d;
}

double cm_retry_after(const char *v, size_t n, double now)
{
	char buf[64], *end;
	double s;
	time_t t;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (buf[0] >= '0' && buf[0] <= '9') {
		s = strtod(buf, &end);
		return *end == '\0' && s >= 0 ? s : -1;
	}
	if ((t = curl_getdate(buf, NULL)) < 0)
		return -1;
	return (double)t > now ? (double)t - now : 0;
}
