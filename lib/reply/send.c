/* send.c - sending a reply exactly once: claim, send, finish */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/http.h"
#include "net/pace.h"
#include "send.h"

#define DEFAULT_RETRIES 5
#define DEFAULT_MAX_WAIT 300.0
#define MAX_AGAIN 64		/* steps of one job: sign-in, look-ups (one
				 * a Bluesky mention), post */
#define SAY_WAIT 5.0		/* waits longer than this are said */

/* An account replies go through, opened on its first reply. */
struct account {
	char *name;
	struct cm_source src;
	void *ast;			/* the adapter's state */
	struct cm_pace pace;
	double last_post;		/* when its last job started */
	struct cm_error refused;	/* set: send nothing more through it */
	int is_refused;
	struct account *next;
};

struct cm_sender {
	struct cm_sender_opts o;
	struct cm_http *http;
	struct account *accounts;
	uint64_t rng;
};

void cm_send_result_free(struct cm_send_result *r)
{
	cm_buf_free(&r->id);
	cm_buf_free(&r->url);
	cm_buf_free(&r->msg);
	cm_buf_free(&r->text);
}

static void say(struct cm_sender *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct cm_sender *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (s->o.say == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->o.say(s->o.ctx, msg);
}

struct cm_sender *cm_sender_new(const struct cm_sender_opts *o,
    struct cm_error *err)
{
	struct cm_sender *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		cm_error_nomem(err, NULL);
		return NULL;
	}
	s->o = *o;
	if (s->o.retries == 0)
		s->o.retries = DEFAULT_RETRIES;
	if (s->o.max_wait <= 0)
		s->o.max_wait = DEFAULT_MAX_WAIT;
	s->rng = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)clock() ^ 1;
	if (s->rng == 0)
		s->rng = 1;
	if ((s->http = cm_http_new(err)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void cm_sender_free(struct cm_sender *s)
{
	struct account *a, *next;

	if (s == NULL)
		return;
	for (a = s->accounts; a; a = next) {
		next = a->next;
		if (a->ast)
			a->src.ad->close(a->ast);
		free(a->name);
		free(a);
	}
	cm_http_free(s->http);
	free(s);
}

/* The account called name, resolved and opened; NULL with *err. */
static struct account *account_of(struct cm_sender *s, const char *name,
    struct cm_error *err)
{
	const struct cm_adapter *ad;
	struct account *a;
	const char *platform;

	for (a = s->accounts; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			break;
	if (a) {
		if (a->is_refused) {
			*err = a->refused;
			return NULL;
		}
		return a;
	}
	if (s->o.cfg == NULL ||
	    !cm_config_has_section(s->o.cfg, "account", name)) {
		cm_error_set(err, CM_EXIT_USAGE, "account %s: no [account %s] "
		    "section in %s", name, name, s->o.cfg ?
		    cm_config_path(s->o.cfg) : "the config");
		return NULL;
	}
	platform = cm_config_get(s->o.cfg, "account", name, "platform");
	if (platform == NULL) {
		cm_error_set(err, CM_EXIT_USAGE, "[account %s] has no platform "
		    "key (%s)", name, cm_config_path(s->o.cfg));
		return NULL;
	}
	if ((ad = cm_adapter_find(platform, strlen(platform))) == NULL ||
	    ad->reply == NULL) {
		cm_error_set(err, CM_EXIT_USAGE, "account %s: cm-reply cannot "
		    "post on %s (it posts on mastodon, bluesky and reddit)",
		    name, platform);
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->name = strdup(name)) == NULL) {
		free(a);
		cm_error_nomem(err, NULL);
		return NULL;
	}
	a->src.spec = a->src.key = a->src.account = a->name;
	a->src.has_account = 1;
	a->src.ad = ad;
	a->src.cfg = s->o.cfg;
	a->src.st = s->o.st;
	a->src.now = (int64_t)time(NULL);
	a->next = s->accounts;
	s->accounts = a;
	if ((a->ast = ad->reply->open(&a->src, err)) == NULL) {
		/* Said once; the next reply through it fails the same way. */
		a->refused = *err;
		a->is_refused = 1;
		return NULL;
	}
	return a;
}

int cm_sender_can(struct cm_sender *s, const char *account,
    struct cm_error *err)
{
	return account_of(s, account, err) ? 1 : 0;
}

static void wait_for(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One request, waited for.  Returns 0 with *resp (the caller's), -1. */
static int fetch(struct cm_sender *s, const struct cm_http_req *req,
    const struct cm_http_opts *ho, struct cm_http_resp **resp,
    struct cm_error *err)
{
	void *tag;
	int r;

	if (cm_http_start(s->http, req, ho, s, err) < 0)
		return -1;
	while ((r = cm_http_next(s->http, 1000, &tag, resp, err)) == 0)
		;
	return r < 0 ? -1 : 0;
}

/* Waits out the account's posting pace before a job. */
static int pace_job(struct cm_sender *s, struct account *a,
    const struct cm_reply *rp, struct cm_send_result *res)
{
	double now = cm_now(), at = now, gap = a->src.ad->reply->min_interval;
	char why[160] = "";

	if (a->last_post > 0 && gap > 0 && a->last_post + gap > at) {
		at = a->last_post + gap;
		snprintf(why, sizeof(why), "posts on %s at most one per %.0f s",
		    a->src.ad->platform, gap);
	}
	if (a->pace.b.known) {
		double p = cm_pace_next(&a->pace, 0, now, why, sizeof(why));

		if (p > at)
			at = p;
	}
	if (at - now > s->o.max_wait) {
		cm_buf_reset(&res->msg);
		cm_buf_printf(&res->msg, "not sent: %s: the next post could go "
		    "in %.0f s, more than the wait allowed (%.0f s)", why,
		    ceil(at - now), s->o.max_wait);
		return -1;
	}
	if (at - now > SAY_WAIT)
		say(s, "%s: %s: waiting %.0f s", rp->target, why,
		    ceil(at - now));
	wait_for(at - now);
	a->last_post = cm_now();
	return 0;
}

/*
 * The job's requests, described for --dry-run: each request, and the
 * adapter's placeholder answer, until the post.
 */
static int dry_job(struct cm_sender *s, struct account *a,
    const struct cm_reply *rp, struct cm_send_result *res,
    struct cm_error *err)
{
	const struct cm_reply_ops *ops = a->src.ad->reply;
	struct cm_http_req req;
	struct cm_http_opts ho;
	int steps = 0;

	if (cm_buf_printf(s->o.dry_run, "# %s via %s\n", rp->target,
	    a->name) < 0)
		goto nomem;
	if (ops->start(a->ast, rp, err) < 0)
		return -1;
	do {
		memset(&req, 0, sizeof(req));
		memset(&ho, 0, sizeof(ho));
		if (ops->request(a->ast, &req, &ho, err) < 0)
			return -1;
		if (cm_http_describe(&req, &ho, s->o.dry_run) < 0)
			goto nomem;
	} while (++steps < MAX_AGAIN && ops->dry_step &&
	    ops->dry_step(a->ast) == 1);
	res->status = CM_SEND_DRY;
	return 0;
nomem:
	cm_error_nomem(err, NULL);
	return -1;
}

/* Whether a response is one the pacing must hear of. */
static void budget(struct account *a, const struct cm_http_resp *resp)
{
	struct cm_budget b = { 0 };

	if (a->src.ad->budget == NULL)
		return;
	a->src.ad->budget(resp, &b);
	cm_pace_update(&a->pace, &b, cm_now());
}

/*
 * The job's requests until it ends.  Returns 0 (res->status SENT,
 * FAILED or LATER), or -1 with *err when the account failed; *unsure is
 * set when a request was retried (a post of it may have gone).
 */
static int run_job(struct cm_sender *s, struct account *a,
    const struct cm_reply *rp, struct cm_send_result *res, int *unsure,
    struct cm_error *err)
{
	const struct cm_reply_ops *ops = a->src.ad->reply;
	struct cm_reply_out out = { CM_BUF_INIT, CM_BUF_INIT, CM_BUF_INIT, 0 };
	struct cm_http_resp *resp = NULL;
	struct cm_http_req req;
	struct cm_http_opts ho;
	struct cm_buf desc = CM_BUF_INIT;
	unsigned attempt = 0, again = 0;
	double ra, w;
	int rc, ret = 0;

	/* A job the adapter cannot start (a target it cannot use) is that
	 * reply's failure, not the account's: nothing was sent. */
	if (ops->start(a->ast, rp, err) < 0) {
		/* but a claim whose send may have gone stays pending: only
		 * a look can settle it, and a failed row would be posted
		 * again without one */
		res->status = rp->unknown ? CM_SEND_LATER : CM_SEND_FAILED;
		cm_buf_reset(&res->msg);
		return cm_buf_printf(&res->msg, "%s%s", rp->unknown ?
		    "left pending, to be settled with its record: " : "",
		    err->msg) < 0 ? -1 : 0;
	}
	for (;;) {
		memset(&req, 0, sizeof(req));
		memset(&ho, 0, sizeof(ho));
		if (ops->request(a->ast, &req, &ho, err) < 0) {
			ret = -1;
			break;
		}
		if (s->o.verbose) {
			cm_buf_reset(&desc);
			if (cm_http_describe(&req, &ho, &desc) == 0)
				say(s, "%s: %.*s", rp->target,
				    (int)(desc.len ? desc.len - 1 : 0),
				    desc.data ? desc.data : "");
		}
		if (fetch(s, &req, &ho, &resp, err) < 0) {
			ret = -1;
			break;
		}
		budget(a, resp);
		if (s->o.verbose)
			say(s, "%s: %s -> %ld, %zu bytes, %.2f s", rp->target,
			    resp->url ? resp->url : "?", resp->status,
			    resp->body.len, resp->seconds);
		ra = -1;
		rc = ops->response(a->ast, resp, &out, &ra, err);
		cm_http_resp_free(resp);
		resp = NULL;
		if (rc == CM_REPLY_DONE) {
			res->status = CM_SEND_SENT;
			res->found = out.found;
			res->sent_at = (int64_t)time(NULL);
			if (cm_buf_add(&res->id, out.id.data ? out.id.data : "",
			    out.id.len) < 0 || cm_buf_add(&res->url,
			    out.url.data ? out.url.data : "", out.url.len) < 0)
				goto nomem;
			break;
		}
		if (rc == CM_REPLY_REFUSED) {
			res->status = CM_SEND_FAILED;
			cm_buf_reset(&res->msg);
			if (cm_buf_printf(&res->msg, "%.*s", (int)out.msg.len,
			    out.msg.data ? out.msg.data : "refused") < 0)
				goto nomem;
			break;
		}
		if (rc == CM_REPLY_AGAIN) {
			if (++again > MAX_AGAIN) {
				cm_error_set(err, CM_EXIT_FAIL, "%s: the "
				    "platform keeps asking for more steps",
				    a->name);
				ret = -1;
				break;
			}
			continue;
		}
		if (rc != CM_REPLY_RETRY) {
			ret = -1;
			break;
		}
		*unsure = 1;
		if (++attempt > s->o.retries) {
			res->status = CM_SEND_LATER;
			cm_buf_reset(&res->msg);
			if (cm_buf_printf(&res->msg, "not sent for now: %s; gave "
			    "up after %u tries", err->msg, attempt) < 0)
				goto nomem;
			break;
		}
		w = cm_backoff(attempt, ra, &s->rng);
		if (w > s->o.max_wait) {
			res->status = CM_SEND_LATER;
			cm_buf_reset(&res->msg);
			if (cm_buf_printf(&res->msg, "not sent for now: %s: the "
			    "next try could go in %.0f s, more than the wait "
			    "allowed (%.0f s)", err->msg, ceil(w),
			    s->o.max_wait) < 0)
				goto nomem;
			break;
		}
		if (w > SAY_WAIT || s->o.verbose)
			say(s, "%s: %s: retrying in %.0f s (try %u of %u)",
			    rp->target, err->msg, ceil(w), attempt + 1,
			    s->o.retries + 1);
		wait_for(w);
	}
	goto done;
nomem:
	cm_error_nomem(err, NULL);
	ret = -1;
done:
	cm_buf_free(&out.id);
	cm_buf_free(&out.url);
	cm_buf_free(&out.msg);
	cm_buf_free(&desc);
	return ret;
}

/*
 * A platform's reason as the ledger keeps it: at most what its field
 * holds, cut at a character's start (the full reason goes to the
 * output).
 */
static const char *short_reason(const char *msg, char *out, size_t size)
{
	size_t n = strlen(msg);

	if (n < size)
		return msg;
	n = size - 4;
	while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
		n--;
	snprintf(out, size, "%.*s...", (int)n, msg);
	return out;
}

/* The ledger says target was answered, or someone is answering it. */
static int settled(const struct cm_ledger_entry *prev,
    struct cm_send_result *res)
{
	if (prev->status == CM_LEDGER_SENT) {
		res->status = CM_SEND_ANSWERED;
		res->sent_at = prev->sent_at;
		if (cm_buf_adds(&res->id, prev->reply_id) < 0 ||
		    cm_buf_adds(&res->url, prev->reply_url) < 0 ||
		    cm_buf_adds(&res->text, prev->text ? prev->text : "") < 0)
			return -1;
		return 0;
	}
	res->status = CM_SEND_BUSY;
	cm_buf_reset(&res->msg);
	return cm_buf_printf(&res->msg, "not sent: another cm-reply (pid %ld "
	    "on %s) is sending it", prev->pid, prev->host) < 0 ? -1 : 0;
}

int cm_sender_send(struct cm_sender *s, const char *account,
    const struct cm_reply *rp, struct cm_send_result *res,
    struct cm_error *err)
{
	struct cm_ledger_entry prev;
	struct cm_reply job = *rp;
	char reason[sizeof(prev.message)];
	struct cm_error ferr;
	struct account *a;
	int r, posted_maybe;

	memset(&prev, 0, sizeof(prev));
	res->status = CM_SEND_FAILED;
	res->account = NULL;
	res->sent_at = 0;
	res->found = 0;
	cm_buf_reset(&res->id);
	cm_buf_reset(&res->url);
	cm_buf_reset(&res->msg);
	cm_buf_reset(&res->text);
	if ((a = account_of(s, account, err)) == NULL)
		return -1;
	if (s->o.dry_run)
		return dry_job(s, a, &job, res, err);
	r = cm_state_ledger_claim(s->o.st, rp->target, rp->key, account,
	    rp->text, &prev, err);
	if (r < 0)
		return -1;
	if (r == 0) {
		r = settled(&prev, res);
		cm_ledger_entry_clear(&prev);
		if (r < 0)
			goto nomem;
		return 0;
	}
	if (r == 2) {
		/* A run ended between its claim and its finish: what it
		 * claimed, with its key, through its account, is what may
		 * have gone out. */
		say(s, "%s: a send of an earlier run (pid %ld on %s) may have "
		    "gone: looking for it first", rp->target, prev.pid,
		    prev.host);
		job.key = prev.key;
		job.text = prev.text ? prev.text : rp->text;
		job.unknown = 1;
		if (*prev.account && strcmp(prev.account, account) != 0 &&
		    (a = account_of(s, prev.account, &ferr)) == NULL) {
			res->status = CM_SEND_LATER;
			cm_buf_reset(&res->msg);
			r = cm_buf_printf(&res->msg, "not sent: an earlier run "
			    "claimed it through account %s, which cannot "
			    "settle it now: %s", prev.account, ferr.msg);
			cm_ledger_entry_clear(&prev);
			return r < 0 ? -1 : 0;
		}
	}
	res->account = a->name;
	if (cm_buf_adds(&res->text, job.text) < 0) {
		cm_ledger_entry_clear(&prev);
		goto nomem;
	}
	if (pace_job(s, a, &job, res) < 0) {
		cm_ledger_entry_clear(&prev);
		res->status = CM_SEND_LATER;
		return 0;
	}
	posted_maybe = job.unknown;
	r = run_job(s, a, &job, res, &posted_maybe, err);
	if (r < 0) {
		/* The adapter fails an account only before a post can have
		 * gone (the credentials, a sign-in): the claim is finished
		 * failed unless an earlier run's send is still unknown. */
		a->refused = *err;
		a->is_refused = 1;
		if (!posted_maybe && cm_state_ledger_finish(s->o.st,
		    rp->target, job.key, CM_LEDGER_FAILED, NULL, NULL, 0,
		    short_reason(err->msg, reason, sizeof(reason)), &ferr) < 0)
			say(s, "%s", ferr.msg);
		cm_ledger_entry_clear(&prev);
		return -1;
	}
	if (res->status == CM_SEND_SENT)
		r = cm_state_ledger_finish(s->o.st, rp->target, job.key,
		    CM_LEDGER_SENT, res->id.data ? res->id.data : "",
		    res->url.data ? res->url.data : "", res->sent_at, NULL,
		    err);
	else if (res->status == CM_SEND_FAILED)
		r = cm_state_ledger_finish(s->o.st, rp->target, job.key,
		    CM_LEDGER_FAILED, NULL, NULL, 0, short_reason(res->msg.data ?
		    res->msg.data : "", reason, sizeof(reason)), err);
	cm_ledger_entry_clear(&prev);
	return r < 0 ? -1 : 0;
nomem:
	cm_error_nomem(err, NULL);
	return -1;
}
