/* adapter.h - the one interface each platform's adapter implements, and
 * the table of adapters */
#ifndef CM_ADAPTER_H
#define CM_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/rec.h"
#include "net/http.h"
#include "net/pace.h"
#include "store/config.h"
#include "store/state.h"

/*
 * The order a feed lists its items in, by the time the adapter gives each
 * record (its "order": when the item entered the feed, in microseconds):
 * newest first (notifications, searches, listings: the driver pages back
 * until it reaches what an earlier run saw), oldest first (the demo
 * generator), or none (a thread, a CSV file: what was seen is told apart
 * by id alone).
 */
enum cm_order { CM_ORDER_NEWEST_FIRST, CM_ORDER_OLDEST_FIRST, CM_ORDER_NONE };

/*
 * A feed.  One that reads more than one list of the platform (Reddit's
 * sub:NAME, its new posts and its new comments) names its parts: each
 * part is fetched as a source of its own, with its own cursor, and their
 * records carry the same feed.
 */
#define CM_FEED_MAX_PARTS 2

struct cm_feed {
	const char *name;	/* "mentions", "search" */
	const char *arg;	/* what it takes after ':' ("QUERY"), NULL none */
	enum cm_order order;
	int account;		/* 1: only through an [account] section */
	const char *help;	/* one line, for --help and the man page */
	const char *parts[CM_FEED_MAX_PARTS];	/* NULL: one list */
	/*
	 * Seconds below the newest item of the run before that a later
	 * run still reads, for a feed whose order an item can come in
	 * under: a time its author sets (Bluesky's sortAt is the earlier
	 * of createdAt and indexedAt) or that it reaches the list late by
	 * (federation, a search index).  The seen ids drop what was
	 * written.  An account's lookback key overrides it.
	 */
	int64_t lookback;
};
#define CM_LOOKBACK_MAX (30 * 86400)	/* an account's lookback: at most */

struct cm_adapter;

/* A source of the command line, resolved against the config. */
struct cm_source {
	const char *spec;		/* as given: "acme-masto:search:acme" */
	const char *part;		/* the feed's part, or NULL */
	const char *key;		/* in the state store: spec[#part] */
	const char *account;		/* the section, or the platform's name */
	int has_account;		/* a [account NAME] section names it */
	const struct cm_feed *feed;
	const char *arg;		/* after the feed's ':', or NULL */
	int64_t lookback;		/* seconds: the feed's or the account's */
	const struct cm_adapter *ad;
	const struct cm_config *cfg;
	struct cm_state *st;		/* for sessions; may be NULL */
	int64_t now;			/* fetched_at */
	/* the demo generator's */
	uint64_t seed;
	int64_t end;
};

/*
 * Where an adapter's records go.  record takes one record and the time it
 * holds its place in the feed by (order, microseconds), writes it if the
 * run's rules let it, and returns 0 to go on or 1 when the page need not
 * go further (the floor of what earlier runs saw, --since, --limit), -1
 * when out of memory.  bad reports an item of the input that makes no
 * record ("FILE:LINE: reason"): the source goes on, and the run's status
 * is 1.  raw says whether to give rec->raw.
 */
struct cm_sink {
	int (*record)(void *ctx, struct cm_rec *rec, int64_t order);
	void (*bad)(void *ctx, const char *msg);
	void *ctx;
	int raw;
};

/* What response returns. */
enum {
	CM_PAGE_DONE = 0,	/* a page: its records given, next cursor set */
	CM_PAGE_AGAIN = 1,	/* an answer for the adapter (a session): ask
				 * for the request again */
	CM_PAGE_RETRY = 2	/* a temporary failure: retry after a wait */
};

/*
 * One platform.  Every function but the optional ones is set.  A source's
 * adapter state comes from open and goes to close.  A network adapter
 * builds requests and reads answers (request, response, budget); a local
 * one (demo, csv) makes pages itself (local).  Cursors are the adapter's
 * own strings; NULL asks for the first page (for newest-first feeds, the
 * newest).  Errors carry their exit class: 2 for a configuration error,
 * 1 for a source that failed, 75 for one to try again later.
 */

/*
 * Replying (cm-reply).  A job is one reply to one record, sent through
 * the account of the record (src->feed is NULL, src->has_account set).
 * The strings are the caller's and live until the job ends.
 */
struct cm_reply {
	const char *target;	/* the record's id ("mastodon:HOST:ID",
				 * "bluesky:at://...", "reddit:t1_x") */
	const char *thread;	/* its thread's root id, or NULL */
	const char *author;	/* its author's handle, or NULL */
	const char *url;	/* its url, or NULL */
	const char *text;	/* the reply, as it is to be posted */
	const char *key;	/* the idempotency key: 32 hex digits */
	/* An earlier send of this key may have reached the platform (a
	 * claim left pending by a run that ended): the adapter looks for
	 * that reply before it posts. */
	int unknown;
};

/* What a job ended with.  The caller frees the buffers. */
struct cm_reply_out {
	struct cm_buf id;	/* the reply's record id, as cm-fetch names it */
	struct cm_buf url;	/* where a person opens it */
	struct cm_buf msg;	/* CM_REPLY_REFUSED: the platform's reason */
	int found;		/* it was there already: an earlier send's */
};

/* What reply_response returns. */
enum {
	CM_REPLY_DONE = 0,	/* sent (or found): *out filled */
	CM_REPLY_AGAIN = 1,	/* another request of the job: ask for it */
	CM_REPLY_RETRY = 2,	/* a temporary failure, said in *err: ask
				 * for the next request after a wait (the
				 * adapter knows whether the post may have
				 * gone, and then looks before it posts
				 * again) */
	CM_REPLY_REFUSED = 3	/* the platform refused the reply (a 4xx):
				 * out->msg says why; nothing was posted */
};

/*
 * The reply half of an adapter: optional; a platform cm can answer on
 * sets every function but dry_step's (the state open gives is freed by
 * the adapter's close).  A job: reply_start, then reply_request and
 * reply_response in turn until DONE or REFUSED (or -1: an error of the
 * account, such as credentials refused, with its exit class in *err; the
 * caller sends nothing more through it; only when the job's requests
 * cannot have posted: an answer to a post that cannot be read is RETRY,
 * so that the adapter looks).  reply_response gets every
 * answer, transport failures (status 0), 429s and 5xx included: only the
 * adapter knows whether a request posts.  reply_start returns 0, or -1
 * for a target it cannot answer (that reply fails, the account goes on);
 * it sends nothing.  reply_request returns 1 with
 * *req and *o filled (strings live until the next call), -1 on error.
 */
struct cm_reply_ops {
	void *(*open)(const struct cm_source *src, struct cm_error *err);
	int (*start)(void *st, const struct cm_reply *rp, struct cm_error *err);
	int (*request)(void *st, struct cm_http_req *req,
	    struct cm_http_opts *o, struct cm_error *err);
	int (*response)(void *st, const struct cm_http_resp *resp,
	    struct cm_reply_out *out, double *retry_after,
	    struct cm_error *err);
	/*
	 * For --dry-run: takes the answer to the last request as given,
	 * with placeholders where its values would go, and returns 1 when
	 * the job has a further request (the post after a sign-in or a
	 * look-up), 0 when the last request was the post.
	 */
	int (*dry_step)(void *st);
	/* Posting budget: the least seconds between two posts, 0 none. */
	double min_interval;
};

struct cm_adapter {
	const char *platform;		/* the name in core/platform.h */
	const struct cm_feed *feeds;	/* ends with a NULL name */
	/* The section's keys and the feed's argument; nothing is fetched. */
	int (*check)(const struct cm_source *src, struct cm_error *err);
	void *(*open)(const struct cm_source *src, struct cm_error *err);
	void (*close)(void *st);
	/* The request for the page at cursor: 1 with *req and *o filled
	 * (their strings live until the next call), 0 when there is no
	 * such page, -1 on error. */
	int (*request)(void *st, const char *cursor, struct cm_http_req *req,
	    struct cm_http_opts *o, struct cm_error *err);
	/* The answer to the last request: CM_PAGE_* or -1.  With
	 * CM_PAGE_DONE, *next is the next page's cursor, empty at the end;
	 * with CM_PAGE_RETRY, *retry_after the wait the platform asked for
	 * (negative: none). */
	int (*response)(void *st, const struct cm_http_resp *resp,
	    struct cm_sink *sink, struct cm_buf *next, double *retry_after,
	    struct cm_error *err);
	/* The budget an answer states (optional). */
	void (*budget)(const struct cm_http_resp *resp, struct cm_budget *b);
	/* A page made without the network: CM_PAGE_DONE or -1. */
	int (*local)(void *st, const char *cursor, struct cm_sink *sink,
	    struct cm_buf *next, struct cm_error *err);
	/* For --dry-run (optional): when the last request was a step
	 * before the feed's (a sign-in, whose the token is), takes its
	 * answer as given, with placeholders, and returns 1, so that the
	 * next request is the feed's; 0 when it was the feed's. */
	int (*dry_step)(void *st);
	/* Replying; NULL where cm cannot post. */
	const struct cm_reply_ops *reply;
};

/* Every adapter, NULL-terminated; and the one of a platform, or NULL. */
extern const struct cm_adapter *const cm_adapters[];
const struct cm_adapter *cm_adapter_find(const char *platform, size_t n);

/* The feed of an adapter called name[0..n), or NULL. */
const struct cm_feed *cm_adapter_feed(const struct cm_adapter *ad,
    const char *name, size_t n);

#endif
