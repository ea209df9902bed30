/* driver.h - what every source shares: pages, --since/--until/--limit,
 * --new's cursors and seen ids, retries, pacing, output */
#ifndef CM_DRIVER_H
#define CM_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "platforms/adapter.h"
#include "store/state.h"

struct cm_fetch_opts {
	int64_t since, until;	/* INT64_MIN / INT64_MAX: open */
	uint64_t limit;		/* records per source, 0: no limit */
	int only_new;		/* --new: the state store is used */
	int raw;
	int unbuffered;		/* a write per record */
	unsigned jobs;		/* sources fetched at once, 0: 4 */
	double max_wait;	/* the longest wait; longer stops the source */
	long timeout;		/* a request's, seconds; 0: the default */
	unsigned retries;	/* of one request; 0: 5 */
	int verbose;		/* a notice per request */
};

/*
 * The program's side: records go to out_fd, whole lines, never
 * interleaved; notice takes a message line for stderr ("SOURCE: ...",
 * without the program's name and newline); progress (optional) is told
 * after each page.
 */
struct cm_fetch_io {
	int out_fd;
	void (*notice)(void *ctx, const char *msg);
	void (*progress)(void *ctx, const char *spec, uint64_t records,
	    unsigned pages);
	void *ctx;
};

/*
 * Fetches every source, n at a time as the options say, with st the state
 * store (NULL without --new).  A source that fails is reported through
 * notice and the others go on.  Returns the exit status: 0, 1 when a
 * source or a write failed, 75 when a source must be tried again later
 * (a wait too long, the network down); -1 when the output is a closed pipe
 * (the program ends quietly).
 */
int cm_fetch_run(struct cm_source *srcs, size_t n, struct cm_state *st,
    const struct cm_fetch_opts *o, const struct cm_fetch_io *io);

/* --dry-run: the first request of each source, secrets masked, to out;
 * nothing is sent and the store is not touched.  Returns the status. */
int cm_fetch_dry_run(struct cm_source *srcs, size_t n,
    const struct cm_fetch_io *io, struct cm_buf *out);

#endif
