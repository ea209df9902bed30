/* batch.h - lines worked on by a team of threads, in batches, their
 * results written back on the calling thread in input order */
#ifndef CM_BATCH_H
#define CM_BATCH_H

#include <stddef.h>

#include "core/buf.h"
#include "cli.h"

/*
 * One line and what came of it.  work fills fate, out and aux on any
 * thread; emit reads them on the caller's thread, in input order.  line
 * and where stay valid through both; out and aux belong to the batcher,
 * which bounds what they keep between lines.
 */
struct cm_batch_item {
	const char *line;
	size_t len;
	struct cm_input_where where;
	int fate;
	struct cm_buf out, aux;
	size_t off;		/* private: the line in its batch's arena */
};

/* who: the thread, 0..threads-1, for per-thread scratch. */
typedef void cm_batch_work(void *ctx, struct cm_batch_item *it,
    unsigned who);
typedef void cm_batch_emit(void *ctx, struct cm_batch_item *it);

struct cm_batcher;

/*
 * With one thread, each line is worked on and emitted as it is added,
 * and nothing is held.  With more, lines are held in batches of up to
 * CM_BATCH_LINES lines or CM_BATCH_BYTES bytes, worked on by the threads
 * while the next batch fills, and emitted in order: memory stays bounded
 * by two batches.  strict: emit may end the program, so no batch is
 * running while one is emitted.  NULL with errno set when memory or a
 * thread cannot be had.
 */
#define CM_BATCH_LINES 1024
#define CM_BATCH_BYTES ((size_t)1 << 20)
struct cm_batcher *cm_batcher_new(unsigned threads, int strict,
    cm_batch_work *work, cm_batch_emit *emit, void *ctx);

/* Adds the line just read from in (copied when it is held); -1 with
 * errno set when it cannot be held. */
int cm_batcher_add(struct cm_batcher *b, const struct cm_input *in,
    const char *line, size_t len);

/* Works on and emits every line held: at the end of the input, and as
 * cm_input_opts.sync (ctx: the batcher), so that the stream's own
 * messages keep their place and nothing waits on an idle input. */
void cm_batcher_drain(void *batcher);

/* Ends the threads (after the batch running, if any) and frees, without
 * emitting what is held: drain first.  Safe from an atexit handler, for
 * when emit ends the program. */
void cm_batcher_free(struct cm_batcher *b);

#endif
