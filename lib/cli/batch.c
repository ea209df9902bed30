/*
 * batch.c - lines worked on by a team of threads, in batches, their
 * results written back in input order (batch.h).
 *
 * Two batches take turns: one fills on the caller's thread while the
 * threads work on the other.  When the filling one is full, the caller
 * waits for the running one, hands the full one over, and emits the
 * finished one while the threads work.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "core/workers.h"

/* What a batch keeps for the next once emitted: an item's buffers over
 * ITEM_KEEP, and any past BATCH_KEEP in all, are freed. */
#define BATCH_KEEP ((size_t)4 << 20)
#define ITEM_KEEP ((size_t)1 << 20)

struct batch {
	struct cm_batcher *owner;
	struct cm_batch_item items[CM_BATCH_LINES];
	size_t n;
	struct cm_buf arena;	/* the lines */
};

struct cm_batcher {
	cm_batch_work *work;
	cm_batch_emit *emit;
	void *ctx;
	int strict;
	struct cm_workers *workers;	/* NULL: one thread, nothing held */
	struct batch *batches[2], *filling, *running;
	struct cm_batch_item single;	/* the line, with one thread */
};

static void job(void *batch, size_t i, unsigned who)
{
	struct batch *bt = batch;

	bt->owner->work(bt->owner->ctx, &bt->items[i], who);
}

/* Frees an item's buffers when they are long or the batch keeps enough
 * already; kept counts what stays. */
static void bound_item(struct cm_batch_item *it, size_t *kept)
{
	if (it->out.cap > ITEM_KEEP || *kept + it->out.cap > BATCH_KEEP)
		cm_buf_free(&it->out);
	*kept += it->out.cap;
	if (it->aux.cap > ITEM_KEEP || *kept + it->aux.cap > BATCH_KEEP)
		cm_buf_free(&it->aux);
	*kept += it->aux.cap;
}

struct cm_batcher *cm_batcher_new(unsigned threads, int strict,
    cm_batch_work *work, cm_batch_emit *emit, void *ctx)
{
	struct cm_batcher *b;
	int i;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->work = work;
	b->emit = emit;
	b->ctx = ctx;
	b->strict = strict;
	if (threads <= 1)
		return b;
	for (i = 0; i < 2; i++) {
		if ((b->batches[i] = calloc(1, sizeof(*b->batches[i]))) ==
		    NULL) {
			cm_batcher_free(b);
			errno = ENOMEM;
			return NULL;
		}
		b->batches[i]->owner = b;
	}
	b->filling = b->batches[0];
	if ((b->workers = cm_workers_new(threads, job)) == NULL) {
		int err = errno;

		cm_batcher_free(b);
		errno = err;
		return NULL;
	}
	return b;
}

/* The lines' addresses, now that the arena moves no more. */
static void seal(struct batch *bt)
{
	size_t i;

	for (i = 0; i < bt->n; i++)
		bt->items[i].line = bt->arena.data + bt->items[i].off;
}

static void emit_batch(struct cm_batcher *b, struct batch *bt)
{
	size_t i, kept = 0;

	for (i = 0; i < bt->n; i++)
		b->emit(b->ctx, &bt->items[i]);
	/* over all slots: one that held a long line in an earlier batch
	 * keeps its buffers until it is counted here */
	for (i = 0; i < CM_BATCH_LINES; i++)
		bound_item(&bt->items[i], &kept);
	bt->n = 0;
	if (bt->arena.cap > 2 * CM_BATCH_BYTES)
		cm_buf_free(&bt->arena);
	cm_buf_reset(&bt->arena);
}

/*
 * The filled batch goes to the threads, and the one they had is emitted
 * meanwhile.  Under strict it is emitted first, as emit may then end the
 * program, which must not happen under running threads.
 */
static void hand_over(struct cm_batcher *b)
{
	struct batch *done = b->running, *next = b->filling;

	if (done)
		cm_workers_wait(b->workers);
	if (done && b->strict)
		emit_batch(b, done);
	seal(next);
	cm_workers_start(b->workers, next, next->n);
	b->running = next;
	b->filling = next == b->batches[0] ? b->batches[1] : b->batches[0];
	if (done && !b->strict)
		emit_batch(b, done);
}

int cm_batcher_add(struct cm_batcher *b, const struct cm_input *in,
    const char *line, size_t len)
{
	struct cm_batch_item *it;
	size_t kept = 0;

	if (b->workers == NULL) {
		it = &b->single;
		it->line = line;
		it->len = len;
		cm_input_where(in, &it->where);
		b->work(b->ctx, it, 0);
		b->emit(b->ctx, it);
		bound_item(it, &kept);
		return 0;
	}
	it = &b->filling->items[b->filling->n++];
	it->off = b->filling->arena.len;
	it->len = len;
	cm_input_where(in, &it->where);
	if (cm_buf_add(&b->filling->arena, line, len) < 0) {
		b->filling->n--;
		return -1;
	}
	if (b->filling->n == CM_BATCH_LINES ||
	    b->filling->arena.len >= CM_BATCH_BYTES)
		hand_over(b);
	return 0;
}

void cm_batcher_drain(void *batcher)
{
	struct cm_batcher *b = batcher;

	if (b->workers == NULL)
		return;
	if (b->running) {
		cm_workers_wait(b->workers);
		emit_batch(b, b->running);
		b->running = NULL;
	}
	if (b->filling->n > 0) {
		seal(b->filling);
		cm_workers_start(b->workers, b->filling, b->filling->n);
		cm_workers_wait(b->workers);
		emit_batch(b, b->filling);
	}
}

void cm_batcher_free(struct cm_batcher *b)
{
	int i;
	size_t k;

	if (b == NULL)
		return;
	/* the threads first: a batch may still be running when emit ended
	 * the program (a write error) */
	cm_workers_free(b->workers);
	for (i = 0; i < 2; i++) {
		if (b->batches[i] == NULL)
			continue;
		for (k = 0; k < CM_BATCH_LINES; k++) {
			cm_buf_free(&b->batches[i]->items[k].out);
			cm_buf_free(&b->batches[i]->items[k].aux);
		}
		cm_buf_free(&b->batches[i]->arena);
		free(b->batches[i]);
	}
	cm_buf_free(&b->single.out);
	cm_buf_free(&b->single.aux);
	free(b);
}
