/* driver.c - what every source shares: pages, --since/--until/--limit,
 * --new's cursors and seen ids, retries, pacing, output */

/*
 * A source's progress across runs (--new) is one state string in the
 * store, a JSON object:
 *
 *   mark    the feed order (microseconds) up to which every item was
 *           written: later runs stop paging there, less the feed's
 *           lookback (items that come in under the mark)
 *   top, floor, resume
 *           a sweep of a newest-first feed that a run left unfinished
 *           (--limit, a wait too long, a kill): it began at the item of
 *           order top, goes down to floor (the mark then), and goes on
 *           at the page cursor resume; the next run finishes it first,
 *           then sweeps from the newest page down to top
 *
 * Each page is journaled before it is written (cm_state_page_begin),
 * then the state it leads to and its ids are committed in one
 * transaction after it is out and synced.  A run killed between the two
 * leaves the journal row, and the next run looks at the output file to
 * tell whether that page got there whole, got there in part (the torn
 * tail is cut off) or not at all.  Items at or under the mark (within the
 * lookback), or that a resumed page holds again, are told apart by the
 * seen ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/json.h"
#include "core/timeutil.h"
#include "driver.h"

#define DEFAULT_JOBS 4
#define DEFAULT_RETRIES 5
#define MAX_AGAIN 3		/* adapter steps in a row without a page */
#define SAY_WAIT 2.0		/* waits longer than this are said */
#define SEEN_DAYS 30		/* seen ids are kept this long */

enum phase { P_READY, P_FLIGHT, P_DONE };

/* Pacing is per account: its sources share the platform's budget. */
struct account {
	const char *name;
	struct cm_pace pace;
	unsigned in_flight;
};

/* An in-memory set of ids, for a run without --new. */
struct idset {
	uint64_t *h;
	size_t n, cap;
};

struct job {
	struct cm_source *src;
	const char *feed;		/* the spec after the account */
	const struct cm_fetch_opts *o;
	struct run *run;
	void *ast;
	enum phase phase;
	double not_before;
	int paced;		/* has waited what the pacing asked for */
	unsigned attempt, again;
	struct cm_http_req req;
	struct cm_http_opts hopts;
	struct account *acct;
	struct cm_buf cursor, next;
	/* --new */
	int has_mark, sweeping, resumed;
	int64_t mark, top, floor;
	/* the page being made */
	struct cm_buf page, ids, rec;
	int64_t page_max;
	int page_any;
	int stop_floor, stop_limit;
	uint64_t emitted;
	unsigned pages;
	int status;
	struct idset mem;
};

struct run {
	const struct cm_fetch_opts *o;
	const struct cm_fetch_io *io;
	struct cm_state *st;
	struct cm_http *http;
	struct job *jobs;
	size_t njobs;
	struct account *accts;
	size_t naccts;
	uint64_t rng;
	int epipe, write_failed;
};

static void say(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct run *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->io->notice(r->io->ctx, msg);
}

static void worse(int *status, int s)
{
	/* 75 outranks 1: the run is to be tried again either way. */
	if (s == CM_EXIT_TEMPFAIL || (s > *status &&
	    *status != CM_EXIT_TEMPFAIL))
		*status = s;
}

static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ---- ids seen in this run, without --new ---- */

static int idset_add(struct idset *s, const char *id)
{
	uint64_t h = hash_bytes(id, strlen(id)) | 1;
	size_t i;

	if (s->n * 2 >= s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint64_t *t = calloc(cap, sizeof(*t));

		if (t == NULL)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->h[i]) {
				size_t j = s->h[i] & (cap - 1);

				while (t[j])
					j = (j + 1) & (cap - 1);
				t[j] = s->h[i];
			}
		free(s->h);
		s->h = t;
		s->cap = cap;
	}
	for (i = h & (s->cap - 1); s->h[i]; i = (i + 1) & (s->cap - 1))
		if (s->h[i] == h)
			return 0;
	s->h[i] = h;
	s->n++;
	return 1;
}

/* ---- the state string ---- */

static int order_ok(int64_t order)
{
	return order >= CM_TIME_MIN * 1000000 &&
	    order <= CM_TIME_MAX * 1000000 + 999999;
}

static int parse_state(struct job *j, const char *s)
{
	static const char *const names[] = { "mark", "top", "floor",
	    "resume" };
	struct cm_json_paths *paths;
	struct cm_json_value v[4];
	struct cm_json_error jerr;
	int64_t t;
	int rc = -1;

	j->has_mark = j->sweeping = 0;
	if (s == NULL || *s == '\0')
		return 0;
	/* A cursor of cm before the driver: the newest created_at. */
	if (*s != '{') {
		if (cm_time_parse(s, strlen(s), &t) < 0)
			return -1;
		j->has_mark = 1;
		j->mark = t * 1000000 + 999999;
		return 0;
	}
	if ((paths = cm_json_paths_new(names, 4)) == NULL)
		return -1;
	if (cm_json_scan(s, strlen(s), 0, paths, v, &jerr) == 0) {
		rc = 0;
		if (v[0].type == CM_JSON_NUMBER &&
		    cm_json_int64(&v[0], &j->mark) == 0)
			j->has_mark = 1;
		if (v[1].type == CM_JSON_NUMBER && v[2].type != CM_JSON_NONE &&
		    v[3].type == CM_JSON_STRING &&
		    cm_json_int64(&v[1], &j->top) == 0) {
			j->sweeping = j->resumed = 1;
			if (v[2].type != CM_JSON_NUMBER ||
			    cm_json_int64(&v[2], &j->floor) < 0)
				j->floor = INT64_MIN;
			cm_buf_reset(&j->cursor);
			if (cm_json_string(&v[3], &j->cursor) < 0)
				rc = -1;
		}
	}
	cm_json_paths_free(paths);
	/* An order no time can have (a store edited by hand) would overflow
	 * the look-back's arithmetic: the state is not used. */
	if (rc == 0 && ((j->has_mark && !order_ok(j->mark)) ||
	    (j->sweeping && (!order_ok(j->top) || (j->floor != INT64_MIN &&
	    !order_ok(j->floor))))))
		rc = -1;
	return rc;
}

static int format_state(const struct job *j, const char *resume,
    struct cm_buf *out)
{
	int r = cm_buf_addc(out, '{');

	if (j->has_mark)
		r |= cm_buf_printf(out, "\"mark\":%" PRId64, j->mark);
	if (resume) {
		r |= cm_buf_printf(out, "%s\"top\":%" PRId64 ",\"floor\":",
		    j->has_mark ? "," : "", j->top);
		if (j->floor == INT64_MIN)
			r |= cm_buf_adds(out, "null");
		else
			r |= cm_buf_printf(out, "%" PRId64, j->floor);
		r |= cm_buf_adds(out, ",\"resume\":") |
		    cm_buf_add_json_string(out, resume, strlen(resume));
	}
	return r | cm_buf_addc(out, '}');
}

/* ---- writing ---- */

static int write_all(struct run *r, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(r->io->out_fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				r->epipe = 1;
			else if (!r->write_failed)
				say(r, "write error: %s", strerror(errno));
			r->write_failed = 1;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_page(struct run *r, const struct cm_buf *page)
{
	const char *p = page->data, *end = p + page->len, *nl;

	if (!r->o->unbuffered || page->len == 0)
		return write_all(r, page->data, page->len);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (write_all(r, p, (size_t)(nl - p) + 1) < 0)
			return -1;
	}
	return 0;
}

/* Where the output stands: a regular file's device, inode and size, or
 * -1s for a pipe or terminal. */
static void out_where(struct run *r, int64_t *dev, int64_t *ino,
    int64_t *size)
{
	struct stat sb;

	*dev = *ino = *size = -1;
	if (fstat(r->io->out_fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		*dev = (int64_t)sb.st_dev;
		*ino = (int64_t)sb.st_ino;
		*size = (int64_t)sb.st_size;
	}
}

static int out_sync(struct run *r)
{
	struct stat sb;

	if (fstat(r->io->out_fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    fsync(r->io->out_fd) < 0 && errno != EINVAL && errno != EROFS) {
		say(r, "write error: %s", strerror(errno));
		r->write_failed = 1;
		return -1;
	}
	return 0;
}

/* Whether the output file holds the page [off, off + len) whose hash is
 * h: read back through a descriptor of our own. */
static int holds(struct run *r, int64_t off, int64_t len, uint64_t h)
{
	char path[64], *buf;
	ssize_t got = 0, k;
	int fd, same = 0;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", r->io->out_fd);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((buf = malloc((size_t)len + 1)) != NULL) {
		while (got < len && (k = pread(fd, buf + got, (size_t)(len -
		    got), off + got)) > 0)
			got += k;
		same = got == len && hash_bytes(buf, (size_t)len) == h;
		free(buf);
	}
	close(fd);
	return same;
}

/*
 * A journal row left by a killed run: commit the page when the output
 * holds it whole, cut off the part of it that got there, or forget it
 * when none did; on another output, it cannot be told, and the page is
 * written again.
 */
static int recover_spec(struct run *r, const char *spec, int *status)
{
	struct cm_state_page pg;
	struct cm_buf state = CM_BUF_INIT;
	struct cm_error err;
	int64_t dev, ino, size;
	int rc, h;

	if ((rc = cm_state_page_pending(r->st, spec, &pg, &state, &err)) <= 0)
		goto out;
	out_where(r, &dev, &ino, &size);
	if (pg.out_dev < 0 || dev != pg.out_dev || ino != pg.out_ino) {
		say(r, "%s: an interrupted run wrote its last page to %s; it "
		    "is written again here (its records may come twice)", spec,
		    pg.out_dev < 0 ? "a pipe" : "another file");
		rc = cm_state_page_discard(r->st, spec, &err);
	} else if (size >= pg.out_off + pg.out_len && (h = holds(r,
	    pg.out_off, pg.out_len, pg.out_hash)) == 1) {
		rc = cm_state_page_commit(r->st, spec, &err);
	} else if (size >= pg.out_off + pg.out_len) {
		say(r, "%s: cannot tell whether an interrupted run's last page "
		    "got to the output (it changed since); it is written "
		    "again", spec);
		rc = cm_state_page_discard(r->st, spec, &err);
	} else {
		if (size > pg.out_off) {
			if (ftruncate(r->io->out_fd, (off_t)pg.out_off) < 0) {
				say(r, "%s: cannot remove the unfinished page "
				    "an interrupted run left at the end of the "
				    "output: %s", spec, strerror(errno));
				*status = CM_EXIT_FAIL;
				rc = -1;
				goto out;
			}
			say(r, "%s: removed the unfinished page (%" PRId64
			    " bytes) an interrupted run left at the end of "
			    "the output; it is written again", spec,
			    size - pg.out_off);
		}
		rc = cm_state_page_discard(r->st, spec, &err);
	}
out:
	cm_buf_free(&state);
	if (rc < 0 && *status == 0) {
		say(r, "%s", err.msg);
		*status = err.status;
	}
	return rc < 0 ? -1 : 0;
}

static int recover(struct run *r, struct job *j)
{
	return recover_spec(r, j->src->key, &j->status);
}

/*
 * The pages other sources' killed runs left in this output file: a later
 * run of this one appends after them, and when such a source's next run
 * cut off its torn page, it would cut what was appended with it.  So
 * they are settled here first, each under its source's lease (one a
 * live run holds is in flight, not left).
 */
static int recover_others(struct run *r)
{
	struct cm_buf list = CM_BUF_INIT;
	struct cm_error err;
	int64_t dev, ino, size;
	int status = 0, rc;
	char *p, *nl;

	out_where(r, &dev, &ino, &size);
	if (dev < 0)
		return 0;
	if (cm_state_page_sources(r->st, dev, ino, &list, &err) < 0) {
		say(r, "%s", err.msg);
		return err.status;
	}
	for (p = list.data; p && *p; p = nl + 1) {
		size_t i;

		nl = strchr(p, '\n');
		*nl = '\0';
		for (i = 0; i < r->njobs; i++)
			if (strcmp(r->jobs[i].src->key, p) == 0)
				break;
		if (i < r->njobs)
			continue;
		if ((rc = cm_state_lease_take(r->st, p, 0, NULL, &err)) < 0) {
			say(r, "%s", err.msg);
			worse(&status, err.status);
			continue;
		}
		if (rc == 0)
			continue;
		(void)recover_spec(r, p, &status);
		if (cm_state_lease_drop(r->st, p, &err) < 0) {
			say(r, "%s", err.msg);
			worse(&status, err.status);
		}
	}
	cm_buf_free(&list);
	return status;
}

/* ---- records ---- */

/*
 * The first_seen before which a job's seen ids can go.  The next run
 * reads items down to its mark (or the floor of an unfinished sweep) less
 * the lookback, and those items were first seen no earlier than their
 * order (an item is listed after it is made), so ids seen SEEN_DAYS
 * before that are never asked for again: a feed quiet for longer keeps
 * the id of its newest item, which every run reads again.
 */
static int64_t prune_before(const struct job *j)
{
	int64_t before = (int64_t)time(NULL) - SEEN_DAYS * 86400, low;

	if (j->has_mark)
		low = j->mark;
	else if (j->sweeping && j->top != INT64_MIN)
		low = j->top;	/* a first sweep, unfinished */
	else
		return before;
	if (j->sweeping && j->floor != INT64_MIN && j->floor < low)
		low = j->floor;
	low = low / 1000000 - j->src->lookback - SEEN_DAYS * 86400;
	return low < before ? low : before;
}

static int on_record(void *ctx, struct cm_rec *rec, int64_t order)
{
	struct job *j = ctx;
	const struct cm_fetch_opts *o = j->o;
	struct cm_error err;
	enum cm_order ord = j->src->feed->order;
	int64_t back = j->src->lookback * 1000000;
	int64_t now = j->src->now * 1000000 + 999999;
	int r;

	if (o->limit && j->emitted >= o->limit) {
		j->stop_limit = 1;
		return 1;
	}
	/* An item dated in the future (a remote server's clock, or a time
	 * its author made up) goes by now: as the mark it would make every
	 * later run stop at its first item until that time came. */
	if (order > now)
		order = now;
	if (!j->page_any || order > j->page_max)
		j->page_max = order;
	j->page_any = 1;
	if (ord == CM_ORDER_NEWEST_FIRST) {
		if (o->only_new && j->sweeping && j->floor != INT64_MIN &&
		    order < j->floor - back) {
			j->stop_floor = 1;
			return 1;
		}
		if (o->only_new && !j->sweeping && j->has_mark &&
		    order < j->mark - back) {
			j->stop_floor = 1;
			return 1;
		}
		if (o->since != INT64_MIN && order / 1000000 < o->since) {
			j->stop_floor = 1;
			return 1;
		}
	} else if (ord == CM_ORDER_OLDEST_FIRST) {
		if (o->only_new && j->has_mark && order < j->mark - back)
			return 0;
		if (o->until != INT64_MAX && order / 1000000 >= o->until) {
			j->stop_floor = 1;
			return 1;
		}
	}
	if (rec->created_at < o->since || rec->created_at >= o->until)
		return 0;
	if (rec->id == NULL || *rec->id == '\0' || strchr(rec->id, '\n'))
		return 0;
	if (o->only_new) {
		if ((r = cm_state_seen_has(j->run->st, j->src->key, rec->id,
		    &err)) < 0)
			return -1;
		if (r)
			return 0;
	} else if (j->src->ad->local == NULL) {
		if ((r = idset_add(&j->mem, rec->id)) < 0)
			return -1;
		if (r == 0)
			return 0;
	}
	rec->account = j->src->account;
	if (rec->feed == NULL)
		rec->feed = j->feed;
	rec->fetched_at = j->src->now;
	if (!j->o->raw)
		rec->raw = NULL;
	cm_buf_reset(&j->rec);
	if ((rec->json ? cm_buf_add(&j->rec, rec->json, rec->json_len) :
	    cm_rec_write(rec, &j->rec)) < 0 ||
	    cm_buf_add(&j->page, j->rec.data, j->rec.len) < 0 ||
	    cm_buf_addc(&j->page, '\n') < 0 ||
	    (o->only_new && ((j->ids.len && cm_buf_addc(&j->ids, '\n') < 0) ||
	    cm_buf_adds(&j->ids, rec->id) < 0)))
		return -1;
	j->emitted++;
	/* The last record --limit lets through ends the source here: no
	 * request goes out for a page none of whose records is written. */
	if (o->limit && j->emitted >= o->limit) {
		j->stop_limit = 1;
		return 1;
	}
	return 0;
}

static void on_bad(void *ctx, const char *msg)
{
	struct job *j = ctx;

	say(j->run, "%s", msg);
	worse(&j->status, CM_EXIT_FAIL);
}

/* ---- pages ---- */

static void page_reset(struct job *j)
{
	cm_buf_reset(&j->page);
	cm_buf_reset(&j->ids);
	j->page_any = 0;
	j->stop_floor = j->stop_limit = 0;
}

/*
 * A page made: the state it leads to, journaled; its records written and
 * synced; the state committed.  Then what comes next for the job.
 */
static void page_done(struct run *r, struct job *j)
{
	const struct cm_fetch_opts *o = r->o;
	enum cm_order ord = j->src->feed->order;
	struct cm_buf state = CM_BUF_INIT;
	struct cm_state_page pg;
	struct cm_error err;
	int last = j->next.len == 0 || j->stop_floor, limit = j->stop_limit;
	int64_t dev, ino, size;
	const char *resume = NULL;

	j->pages++;
	if (o->only_new) {
		if (ord == CM_ORDER_NEWEST_FIRST) {
			if (!j->sweeping) {
				/* the newest page of a sweep: its top */
				j->sweeping = 1;
				j->floor = j->has_mark ? j->mark : INT64_MIN;
				j->top = j->page_any ? j->page_max :
				    (j->has_mark ? j->mark : INT64_MIN);
			}
			if (limit)
				resume = j->cursor.data ? j->cursor.data : "";
			else if (!last)
				resume = j->next.data;
			if (resume == NULL && j->top != INT64_MIN &&
			    (!j->has_mark || j->top > j->mark)) {
				j->mark = j->top;
				j->has_mark = 1;
			}
		} else if (ord == CM_ORDER_OLDEST_FIRST && j->page_any &&
		    (!j->has_mark || j->page_max > j->mark)) {
			j->mark = j->page_max;
			j->has_mark = 1;
		}
		if (format_state(j, resume, &state) < 0)
			goto nomem;
		out_where(r, &dev, &ino, &size);
		memset(&pg, 0, sizeof(pg));
		pg.state = state.data;
		pg.ids = j->ids.data ? j->ids.data : "";
		pg.out_dev = dev;
		pg.out_ino = ino;
		pg.out_off = size;
		pg.out_len = (int64_t)j->page.len;
		pg.out_hash = hash_bytes(j->page.data ? j->page.data : "",
		    j->page.len);
		if (cm_state_page_begin(r->st, j->src->key, &pg, &err) < 0)
			goto fail;
	}
	if (write_page(r, &j->page) < 0)
		goto stopped;
	if (o->only_new) {
		if (out_sync(r) < 0)
			goto stopped;
		if (cm_state_page_commit(r->st, j->src->key, &err) < 0)
			goto fail;
	}
	cm_buf_free(&state);
	if (r->io->progress)
		r->io->progress(r->io->ctx, j->src->spec, j->emitted, j->pages);
	if (limit) {
		j->phase = P_DONE;
		return;
	}
	if (!last) {
		cm_buf_reset(&j->cursor);
		if (cm_buf_add(&j->cursor, j->next.data, j->next.len) < 0)
			goto nomem_nostate;
		return;
	}
	if (o->only_new && ord == CM_ORDER_NEWEST_FIRST) {
		j->sweeping = 0;
		if (j->resumed) {
			/* an earlier run's sweep is finished: now the new
			 * items above its top */
			j->resumed = 0;
			cm_buf_reset(&j->cursor);
			return;
		}
	}
	j->phase = P_DONE;
	return;
nomem:
	cm_error_nomem(&err, j->src->spec);
fail:
	say(r, "%s", err.msg);
	worse(&j->status, err.status);
stopped:
	cm_buf_free(&state);
	j->phase = P_DONE;
	return;
nomem_nostate:
	say(r, "%s: out of memory", j->src->spec);
	worse(&j->status, CM_EXIT_NOMEM);
	j->phase = P_DONE;
}

/* ---- requests ---- */

static struct account *account_of(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->naccts; i++)
		if (strcmp(r->accts[i].name, name) == 0)
			return &r->accts[i];
	r->accts[r->naccts].name = name;
	return &r->accts[r->naccts++];
}

static void fail_job(struct run *r, struct job *j, const struct cm_error *e)
{
	say(r, "%s", e->msg);
	worse(&j->status, e->status ? e->status : CM_EXIT_FAIL);
	j->phase = P_DONE;
}

/* Whether a wait of w seconds (for why) is too long: then the source
 * stops, to be resumed by the next run. */
static int too_long(struct run *r, struct job *j, double w, const char *why)
{
	if (w <= r->o->max_wait)
		return 0;
	say(r, "%s: %s: the next request could go in %.0f s, more than "
	    "--max-wait (%.0f s): stopped here; the next run with --new goes "
	    "on from here", j->src->spec, why, ceil(w), r->o->max_wait);
	worse(&j->status, CM_EXIT_TEMPFAIL);
	j->phase = P_DONE;
	return 1;
}

/* A request that failed for a reason that may pass: retry after a wait,
 * or give up. */
static void retry(struct run *r, struct job *j, const char *why,
    double retry_after)
{
	unsigned max = r->o->retries ? r->o->retries : DEFAULT_RETRIES;
	double w;

	if (++j->attempt > max) {
		say(r, "%s: %s; gave up after %u tries", j->src->spec, why,
		    max + 1);
		worse(&j->status, CM_EXIT_TEMPFAIL);
		j->phase = P_DONE;
		return;
	}
	w = cm_backoff(j->attempt, retry_after, &r->rng);
	if (too_long(r, j, w, why))
		return;
	if (w > SAY_WAIT || r->o->verbose)
		say(r, "%s: %s: retrying in %.0f s (try %u of %u)",
		    j->src->spec, why, ceil(w), j->attempt + 1, max + 1);
	j->not_before = cm_now() + w;
	j->phase = P_READY;
}

static void handle(struct run *r, struct job *j, struct cm_http_resp *resp)
{
	struct cm_sink sink = { on_record, on_bad, j, r->o->raw };
	struct cm_budget b = { 0 };
	struct cm_error err;
	double ra = -1;
	size_t n;
	const char *v;
	char why[320];
	int rc;

	j->acct->in_flight--;
	if (j->src->ad->budget) {
		j->src->ad->budget(resp, &b);
		cm_pace_update(&j->acct->pace, &b, cm_now());
	}
	if (r->o->verbose)
		say(r, "%s: %s -> %ld, %zu bytes, %.2f s", j->src->spec,
		    resp->url ? resp->url : "?", resp->status, resp->body.len,
		    resp->seconds);
	if (resp->status == 0 && resp->untrusted) {
		cm_error_set(&err, CM_EXIT_FAIL, "%s: %s", j->src->spec,
		    resp->error);
		fail_job(r, j, &err);
		return;
	}
	if (resp->status == 0) {
		snprintf(why, sizeof(why), "%s", resp->error);
		retry(r, j, why, -1);
		return;
	}
	if (resp->status == 429 || resp->status == 408 ||
	    (resp->status >= 500 && resp->status != 501)) {
		if ((v = cm_http_header(resp, "retry-after", &n)) != NULL)
			ra = cm_retry_after(v, n, cm_now());
		/* A 429 that says no Retry-After waits for the budget's
		 * reset: its own headers' or, when it has none (the fake
		 * server's and some proxies' 429s), the last the account's
		 * answers said. */
		if (resp->status == 429 && ra < 0 && j->acct->pace.b.known &&
		    j->acct->pace.b.reset_at > cm_now())
			ra = j->acct->pace.b.reset_at - cm_now();
		snprintf(why, sizeof(why), "the server answered %ld%s",
		    resp->status, resp->status == 429 ? " (too many "
		    "requests)" : "");
		retry(r, j, why, ra);
		return;
	}
	page_reset(j);
	cm_buf_reset(&j->next);
	rc = j->src->ad->response(j->ast, resp, &sink, &j->next, &ra, &err);
	switch (rc) {
	case CM_PAGE_DONE:
		j->attempt = j->again = 0;
		page_done(r, j);
		break;
	case CM_PAGE_AGAIN:
		if (++j->again > MAX_AGAIN) {
			cm_error_set(&err, CM_EXIT_FAIL, "%s: the platform "
			    "keeps refusing the session", j->src->spec);
			fail_job(r, j, &err);
		}
		break;
	case CM_PAGE_RETRY:
		retry(r, j, err.msg, ra);
		break;
	default:
		fail_job(r, j, &err);
		break;
	}
}

/* Starts j's next request, or runs its local page, when its time has
 * come; returns 1 when it started or ran something. */
static int step(struct run *r, struct job *j, double now)
{
	struct cm_pace *pace = &j->acct->pace;
	struct cm_error err;
	struct cm_buf desc = CM_BUF_INIT;
	double at;
	char why[160];
	int rc;

	if (j->src->ad->local) {
		struct cm_sink sink = { on_record, on_bad, j, r->o->raw };

		page_reset(j);
		cm_buf_reset(&j->next);
		if (j->src->ad->local(j->ast, j->cursor.len ? j->cursor.data :
		    NULL, &sink, &j->next, &err) < 0) {
			fail_job(r, j, &err);
			return 1;
		}
		page_done(r, j);
		return 1;
	}
	memset(&j->req, 0, sizeof(j->req));
	memset(&j->hopts, 0, sizeof(j->hopts));
	if ((rc = j->src->ad->request(j->ast, j->cursor.len ? j->cursor.data :
	    NULL, &j->req, &j->hopts, &err)) < 0) {
		fail_job(r, j, &err);
		return 1;
	}
	if (rc == 0) {
		j->phase = P_DONE;
		return 1;
	}
	at = cm_pace_next(&j->acct->pace, j->acct->in_flight, now, why,
	    sizeof(why));
	/* A source that waited its turn goes, unless what the account's
	 * other sources sent meanwhile spent the rest of the window. */
	if (j->paced && at > now && pace->b.remaining -
	    j->acct->in_flight < 1)
		j->paced = 0;
	/* The pacing's answer moves on with the clock (now + a share of
	 * the window): it is waited for once, then the request goes.  The
	 * account's sources take turns: each paced one a share after the
	 * one before, not all at the same moment. */
	if (at > now && !j->paced) {
		if (pace->b.remaining - j->acct->in_flight >= 1) {
			if (pace->last + (at - now) > at)
				at = pace->last + (at - now);
			/* the window's reset brings a budget afresh */
			if (at > pace->b.reset_at)
				at = pace->b.reset_at;
			pace->last = at;
		}
		if (too_long(r, j, at - now, why))
			return 1;
		if (at - now > SAY_WAIT)
			say(r, "%s: %s: waiting %.0f s", j->src->spec, why,
			    ceil(at - now));
		j->not_before = at;
		j->paced = 1;
		return 0;
	}
	j->paced = 0;
	if (r->o->timeout > 0) {
		j->hopts.timeout = r->o->timeout;
		if (j->hopts.stall == 0 || j->hopts.stall > r->o->timeout)
			j->hopts.stall = r->o->timeout;
		if (j->hopts.connect_timeout == 0 ||
		    j->hopts.connect_timeout > r->o->timeout)
			j->hopts.connect_timeout = r->o->timeout;
	}
	if (r->o->verbose && cm_http_describe(&j->req, &j->hopts, &desc) == 0)
		say(r, "%s: %.*s", j->src->spec, (int)(desc.len ? desc.len - 1 :
		    0), desc.data ? desc.data : "");
	cm_buf_free(&desc);
	if (cm_http_start(r->http, &j->req, &j->hopts, j, &err) < 0) {
		fail_job(r, j, &err);
		return 1;
	}
	j->acct->in_flight++;
	j->phase = P_FLIGHT;
	return 1;
}

static int job_open(struct run *r, struct job *j)
{
	struct cm_buf state = CM_BUF_INIT;
	struct cm_error err;
	int rc;

	if ((j->ast = j->src->ad->open(j->src, &err)) == NULL) {
		fail_job(r, j, &err);
		return -1;
	}
	if (!r->o->only_new)
		return 0;
	if (recover(r, j) < 0) {
		j->phase = P_DONE;
		return -1;
	}
	if ((rc = cm_state_cursor_get(r->st, j->src->key, &state, &err)) < 0) {
		fail_job(r, j, &err);
		return -1;
	}
	if (rc == 1 && parse_state(j, state.data) < 0) {
		say(r, "%s: the cursor in the state store is not one cm wrote; "
		    "starting afresh", j->src->spec);
		j->has_mark = j->sweeping = j->resumed = 0;
		cm_buf_reset(&j->cursor);
	}
	cm_buf_free(&state);
	return 0;
}

static void job_free(struct job *j)
{
	if (j->ast)
		j->src->ad->close(j->ast);
	cm_buf_free(&j->cursor);
	cm_buf_free(&j->next);
	cm_buf_free(&j->page);
	cm_buf_free(&j->ids);
	cm_buf_free(&j->rec);
	free(j->mem.h);
}

int cm_fetch_run(struct cm_source *srcs, size_t n, struct cm_state *st,
    const struct cm_fetch_opts *o, const struct cm_fetch_io *io)
{
	struct run r = { 0 };
	struct cm_error err;
	struct cm_http_resp *resp;
	unsigned jobs = o->jobs ? o->jobs : DEFAULT_JOBS, active;
	int status = CM_EXIT_OK, any;
	double now, wake;
	size_t i;
	void *tag;

	r.o = o;
	r.io = io;
	r.st = st;
	r.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ 0x5851f42d;
	if ((r.jobs = calloc(n ? n : 1, sizeof(*r.jobs))) == NULL ||
	    (r.accts = calloc(n ? n : 1, sizeof(*r.accts))) == NULL ||
	    (r.http = cm_http_new(&err)) == NULL) {
		free(r.jobs);
		free(r.accts);
		say(&r, "out of memory");
		return CM_EXIT_NOMEM;
	}
	for (i = 0; i < n; i++) {
		struct job *j = &r.jobs[i];

		j->src = &srcs[i];
		j->feed = strchr(srcs[i].spec, ':') ? strchr(srcs[i].spec,
		    ':') + 1 : "";
		j->o = o;
		j->run = &r;
		j->acct = account_of(&r, srcs[i].account);
		j->phase = P_READY;
	}
	r.njobs = n;
	/* Every source's interrupted page is looked at before any source
	 * writes: a page written first would hide a torn tail (left in the
	 * middle of the output) or be cut off with it. */
	for (i = 0; i < n; i++)
		(void)job_open(&r, &r.jobs[i]);
	if (o->only_new)
		worse(&status, recover_others(&r));
	for (;;) {
		now = cm_now();
		wake = now + 1;
		active = 0;
		any = 0;
		for (i = 0; i < n; i++)
			active += r.jobs[i].phase == P_FLIGHT;
		for (i = 0; i < n && !r.write_failed; i++) {
			struct job *j = &r.jobs[i];

			if (j->phase == P_DONE)
				continue;
			any = 1;
			if (j->phase != P_READY)
				continue;
			if (j->ast == NULL && job_open(&r, j) < 0)
				continue;
			if (j->not_before > now) {
				if (j->not_before < wake)
					wake = j->not_before;
				continue;
			}
			if (active >= jobs && !j->src->ad->local)
				continue;
			if (step(&r, j, now) && j->phase == P_FLIGHT)
				active++;
			if (j->phase == P_READY && j->not_before > now &&
			    j->not_before < wake)
				wake = j->not_before;
			if (j->phase == P_READY && j->not_before <= now &&
			    j->src->ad->local)
				wake = now;
		}
		if (!any || r.write_failed)
			break;
		now = cm_now();
		if (cm_http_running(r.http) > 0) {
			int ms = wake > now ? (int)((wake - now) * 1000) + 1 : 0;

			if (cm_http_next(r.http, ms, &tag, &resp, &err) < 0) {
				say(&r, "%s", err.msg);
				status = CM_EXIT_NOMEM;
				break;
			}
			if (resp) {
				struct job *j = tag;

				j->phase = P_READY;
				handle(&r, j, resp);
				cm_http_resp_free(resp);
				resp = NULL;
			}
		} else if (wake > now) {
			struct timespec ts;
			double d = wake - now;

			ts.tv_sec = (time_t)d;
			ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
	}
	for (i = 0; i < n; i++) {
		/* A feed without an order is told apart by its ids alone:
		 * they are kept. */
		if (o->only_new && r.jobs[i].phase == P_DONE &&
		    r.jobs[i].status == 0 && !r.write_failed &&
		    srcs[i].feed->order != CM_ORDER_NONE)
			(void)cm_state_seen_prune(st, srcs[i].key,
			    prune_before(&r.jobs[i]), &err);
		worse(&status, r.jobs[i].status);
		job_free(&r.jobs[i]);
	}
	if (r.write_failed)
		worse(&status, CM_EXIT_FAIL);
	cm_http_free(r.http);
	free(r.jobs);
	free(r.accts);
	return r.epipe ? -1 : status;
}

int cm_fetch_dry_run(struct cm_source *srcs, size_t n,
    const struct cm_fetch_io *io, struct cm_buf *out)
{
	struct cm_http_req req;
	struct cm_http_opts ho;
	struct cm_error err;
	int status = CM_EXIT_OK;
	void *ast;

	for (size_t i = 0; i < n; i++) {
		const struct cm_adapter *ad = srcs[i].ad;

		if (cm_buf_printf(out, "# %s%s%s\n", srcs[i].spec,
		    srcs[i].part ? " " : "", srcs[i].part ? srcs[i].part :
		    "") < 0)
			return CM_EXIT_NOMEM;
		if (ad->local) {
			if (cm_buf_adds(out, "  (made here: no request)\n") < 0)
				return CM_EXIT_NOMEM;
			continue;
		}
		if ((ast = ad->open(&srcs[i], &err)) == NULL) {
			io->notice(io->ctx, err.msg);
			worse(&status, err.status);
			continue;
		}
		/* The steps before the feed's first request, then it: a
		 * sign-in's answer taken as given (adapter's dry_step). */
		for (int step = 0; step < 4; step++) {
			memset(&req, 0, sizeof(req));
			memset(&ho, 0, sizeof(ho));
			if (ad->request(ast, NULL, &req, &ho, &err) < 0) {
				io->notice(io->ctx, err.msg);
				worse(&status, err.status);
				break;
			}
			if (cm_http_describe(&req, &ho, out) < 0) {
				ad->close(ast);
				return CM_EXIT_NOMEM;
			}
			if (ad->dry_step == NULL || ad->dry_step(ast) != 1)
				break;
		}
		ad->close(ast);
	}
	return status;
}
