/* workers - tests for lib/core/workers.c: every job of every batch runs once,
 * on a valid thread, whatever the number of threads and jobs */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "core/workers.h"

static void free_null(void)
{
	cm_workers_free(NULL);
}

#define MAX_JOBS 5000

struct batch {
	unsigned runs[MAX_JOBS];	/* per job: times run */
	unsigned threads;		/* threads of the team */
	unsigned bad_who;		/* jobs told a thread number out of range */
};

static void job(void *p, size_t i, unsigned who)
{
	struct batch *b = p;

	__atomic_fetch_add(&b->runs[i], 1, __ATOMIC_RELAXED);
	if (who >= b->threads)
		__atomic_fetch_add(&b->bad_who, 1, __ATOMIC_RELAXED);
}

static int each_once(const struct batch *b, size_t n)
{
	size_t i;

	for (i = 0; i < MAX_JOBS; i++)
		if (b->runs[i] != (i < n ? 1u : 0u))
			return 0;
	return b->bad_who == 0;
}

static void test_team(unsigned threads)
{
	static const size_t sizes[] = { 0, 1, 7, 8, 9, 1000, MAX_JOBS };
	struct batch *b[2];
	struct cm_workers *w;
	size_t k, good = 0, rounds = 0;

	if (!ok((w = cm_workers_new(threads, job)) != NULL,
	    "a team of %u threads starts", threads))
		return;
	b[0] = calloc(1, sizeof(*b[0]));
	b[1] = calloc(1, sizeof(*b[1]));
	/* batches one after another, alternating between two, as cm-score
	 * hands them over */
	for (k = 0; k < 3 * sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct batch *cur = b[k % 2];
		size_t n = sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];

		memset(cur, 0, sizeof(*cur));
		cur->threads = threads;
		cm_workers_start(w, cur, n);
		cm_workers_wait(w);
		good += each_once(cur, n);
		rounds++;
	}
	is_int(good, rounds, "%u threads: each job of %zu batches ran once",
	    threads, rounds);
	/* freed with a batch still running: it is waited for */
	memset(b[0], 0, sizeof(*b[0]));
	b[0]->threads = threads;
	cm_workers_start(w, b[0], MAX_JOBS);
	cm_workers_free(w);
	ok(each_once(b[0], MAX_JOBS), "%u threads: freeing waits for the "
	    "batch running", threads);
	free(b[0]);
	free(b[1]);
}

int main(void)
{
	unsigned n;

	for (n = 1; n <= 8; n *= 2)
		test_team(n);
	errno = 0;
	ok(cm_workers_new(0, job) == NULL && errno == EINVAL,
	    "no threads: EINVAL");
	ok(cm_workers_new(CM_WORKERS_MAX + 1, job) == NULL && errno == EINVAL,
	    "more than CM_WORKERS_MAX: EINVAL");
	ok(does_nothing(free_null), "cm_workers_free(NULL) does nothing");
	return tap_done();
}
