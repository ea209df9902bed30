/* workers.h - a fixed team of threads that works through one batch of
 * numbered jobs at a time, while the caller goes on with other work */
#ifndef CM_WORKERS_H
#define CM_WORKERS_H

#include <stddef.h>

/* One job: number i of the batch given to cm_workers_start, on thread
 * number who (0..n-1, for per-thread scratch state). */
typedef void cm_workers_job(void *batch, size_t i, unsigned who);

struct cm_workers;

/* Starts n threads (1..CM_WORKERS_MAX) that run job; NULL with errno set
 * when memory or a thread cannot be had. */
#define CM_WORKERS_MAX 256
struct cm_workers *cm_workers_new(unsigned n, cm_workers_job *job);

/*
 * cm_workers_start hands the threads jobs 0..njobs-1 of batch and returns
 * at once; cm_workers_wait returns when all of them are done.  One batch
 * at a time: start, wait, start, wait.
 */
void cm_workers_start(struct cm_workers *w, void *batch, size_t njobs);
void cm_workers_wait(struct cm_workers *w);

/* Waits for a batch still running, ends the threads and frees. */
void cm_workers_free(struct cm_workers *w);

#endif
