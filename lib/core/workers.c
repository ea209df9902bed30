/*
 * workers.c - a fixed team of threads that works through one batch of
 * numbered jobs at a time (workers.h).
 *
 * The threads sleep on a condition until a batch starts, then take jobs
 * a few at a time from a shared counter, so that a slow job holds up
 * nobody, and the last one to run out of jobs wakes the waiter.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "workers.h"

/* Jobs taken at once: fewer trips to the shared counter, and the jobs of
 * one thread sit next to each other in memory. */
#define TAKE 8

struct cm_workers {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	cm_workers_job *job;
	pthread_t *threads;
	unsigned n;
	/* the current batch; set under mu before generation moves on */
	void *batch;
	size_t njobs;
	size_t next;		/* next job to take (atomic) */
	unsigned busy;		/* threads not yet out of jobs */
	unsigned long generation;
	int quit;
};

struct thread_arg {
	struct cm_workers *w;
	unsigned who;
};

static void *work(void *p)
{
	struct thread_arg *a = p;
	struct cm_workers *w = a->w;
	unsigned who = a->who;
	unsigned long seen = 0;

	free(a);
	pthread_mutex_lock(&w->mu);
	for (;;) {
		void *batch;
		size_t i, j, n;

		while (!w->quit && w->generation == seen)
			pthread_cond_wait(&w->go, &w->mu);
		if (w->quit)
			break;
		seen = w->generation;
		batch = w->batch;
		n = w->njobs;
		pthread_mutex_unlock(&w->mu);
		while ((i = __atomic_fetch_add(&w->next, TAKE,
		    __ATOMIC_RELAXED)) < n)
			for (j = i; j < n && j < i + TAKE; j++)
				w->job(batch, j, who);
		pthread_mutex_lock(&w->mu);
		if (--w->busy == 0)
			pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct cm_workers *cm_workers_new(unsigned n, cm_workers_job *job)
{
	struct cm_workers *w;
	int err = 0;

	if (n < 1 || n > CM_WORKERS_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->threads = calloc(n, sizeof(*w->threads))) == NULL) {
		free(w);
		return NULL;
	}
	w->job = job;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->go, NULL);
	pthread_cond_init(&w->done, NULL);
	for (; w->n < n; w->n++) {
		struct thread_arg *a = malloc(sizeof(*a));

		if (a == NULL) {
			err = ENOMEM;
			break;
		}
		a->w = w;
		a->who = w->n;
		if ((err = pthread_create(&w->threads[w->n], NULL, work, a))
		    != 0) {
			free(a);
			break;
		}
	}
	if (w->n < n) {
		cm_workers_free(w);
		errno = err;
		return NULL;
	}
	return w;
}

void cm_workers_start(struct cm_workers *w, void *batch, size_t njobs)
{
	pthread_mutex_lock(&w->mu);
	w->batch = batch;
	w->njobs = njobs;
	__atomic_store_n(&w->next, 0, __ATOMIC_RELAXED);
	w->busy = w->n;
	w->generation++;
	pthread_cond_broadcast(&w->go);
	pthread_mutex_unlock(&w->mu);
}

void cm_workers_wait(struct cm_workers *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->busy > 0)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

void cm_workers_free(struct cm_workers *w)
{
	unsigned i;

	if (w == NULL)
		return;
	cm_workers_wait(w);
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	pthread_cond_broadcast(&w->go);
	pthread_mutex_unlock(&w->mu);
	for (i = 0; i < w->n; i++)
		pthread_join(w->threads[i], NULL);
	pthread_cond_destroy(&w->go);
	pthread_cond_destroy(&w->done);
	pthread_mutex_destroy(&w->mu);
	free(w->threads);
	free(w);
}
