/* pace.h - rate-limit budgets and waits: pacing to a platform's advertised
 * budget, and backoff between retries */
#ifndef CM_PACE_H
#define CM_PACE_H

#include <stddef.h>
#include <stdint.h>

/* A budget as a response's headers state it; times are epoch seconds. */
struct cm_budget {
	int known;
	double limit;		/* requests in the window, 0 when not said */
	double remaining;
	double reset_at;	/* when the window starts afresh */
};

/*
 * One account's pacing.  After each response, cm_pace_update takes the
 * budget it carried, read at now: within a window that has not ended,
 * the remaining count only goes down.  cm_pace_next says when the next
 * request may start given in_flight requests already sent: at once
 * while the budget lasts, spread evenly over what is left of the window
 * once it is down to its last tenth, and not before the reset once the
 * requests in flight would spend the rest, so that a platform that
 * advertises its budget is never asked into a 429.  why says what a
 * wait is for.
 */
struct cm_pace {
	struct cm_budget b;
	double last;		/* the turn the last paced request took (the
				 * driver spreads an account's sources) */
};

void cm_pace_update(struct cm_pace *p, const struct cm_budget *b, double now);
double cm_pace_next(const struct cm_pace *p, unsigned in_flight, double now,
    char *why, size_t whylen);

/*
 * The wait before retry number attempt (1, 2, ...) of a request that
 * failed for a reason that may pass (a timeout, a reset, 429, 5xx):
 * exponential from 1 s, doubling, at most 5 min, with up to a quarter of
 * random jitter from *rng (a xorshift state, never 0); retry_after (in
 * seconds, negative when not said) wins when it is longer.
 */
double cm_backoff(unsigned attempt, double retry_after, uint64_t *rng);

/* A Retry-After value: seconds, or an HTTP date.  Seconds from now, or -1
 * when it is neither. */
double cm_retry_after(const char *v, size_t n, double now);

/* The time now, epoch seconds with fractions. */
double cm_now(void);

#endif
