/* demo.c - the demo source behind the adapter interface: demo[:N], the
 * seeded generator's records, oldest first, in pages */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "demo_gen.h"

#define DEMO_DEFAULT 1000
#define PAGE 1000

static const struct cm_feed feeds[] = {
	{ .name = "", .arg = "N", .order = CM_ORDER_OLDEST_FIRST,
	    .help = "N realistic records made offline (default 1000)" },
	{ .name = NULL }
};

struct demo {
	struct cm_demo *gen;
	struct cm_buf out;
	int done;
};

static int count_of(const struct cm_source *src, uint64_t *n,
    struct cm_error *err)
{
	char *end;

	*n = DEMO_DEFAULT;
	if (src->arg == NULL)
		return 0;
	errno = 0;
	*n = strtoull(src->arg, &end, 10);
	if (*src->arg < '0' || *src->arg > '9' || *end || errno) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: '%s' is not a whole "
		    "number of records", src->spec, src->arg);
		return -1;
	}
	return 0;
}

static int demo_check(const struct cm_source *src, struct cm_error *err)
{
	uint64_t n;

	return count_of(src, &n, err);
}

static void *demo_open(const struct cm_source *src, struct cm_error *err)
{
	struct cm_demo_opts o = { 0 };
	struct demo *d;

	if (count_of(src, &o.count, err) < 0)
		return NULL;
	o.seed = src->seed;
	o.end = src->end;
	o.fetched_at = src->end;
	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->gen = cm_demo_new(&o)) == NULL) {
		free(d);
		cm_error_nomem(err, src->spec);
		return NULL;
	}
	return d;
}

static void demo_close(void *st)
{
	struct demo *d = st;

	cm_demo_free(d->gen);
	cm_buf_free(&d->out);
	free(d);
}

static int demo_local(void *st, const char *cursor, struct cm_sink *sink,
    struct cm_buf *next, struct cm_error *err)
{
	struct demo *d = st;
	struct cm_rec rec;
	int r = 1, i;

	(void)cursor;	/* the generator goes on where it is */
	for (i = 0; i < PAGE && (r = cm_demo_next(d->gen, &d->out)) == 1;
	    i++) {
		int64_t t = cm_demo_last_time(d->gen);

		cm_rec_init(&rec);
		rec.id = cm_demo_last_id(d->gen);
		rec.created_at = t;
		rec.json = d->out.data;
		rec.json_len = d->out.len;
		r = sink->record(sink->ctx, &rec, t * 1000000);
		cm_buf_reset(&d->out);
		if (r < 0) {
			cm_error_nomem(err, "demo");
			return -1;
		}
		if (r == 1)
			return CM_PAGE_DONE;	/* next stays empty: the end */
	}
	if (r < 0) {
		cm_error_nomem(err, "demo");
		return -1;
	}
	if (i == PAGE && cm_buf_adds(next, "more") < 0) {
		cm_error_nomem(err, "demo");
		return -1;
	}
	return CM_PAGE_DONE;
}

const struct cm_adapter cm_adapter_demo = {
	.platform = "demo",
	.feeds = feeds,
	.check = demo_check,
	.open = demo_open,
	.close = demo_close,
	.local = demo_local,
};
