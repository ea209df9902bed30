/* reddit.c - Reddit: mentions, replies, sub:NAME, search:Q, thread:ID and
 * own through a script app's OAuth token; sub:, search: and thread: also
 * as public data; and replies, posted once */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapter.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "replytext.h"

#define PAGE_LIMIT 100
#define OAUTH_BASE "https://oauth.reddit.com"
#define AUTH_BASE "https://www.reddit.com"
#define PUBLIC_BASE "https://www.reddit.com"
#define MAX_DEPTH 64		/* comment levels walked in a thread */

static const struct cm_feed feeds[] = {
	{ .name = "mentions", .order = CM_ORDER_NEWEST_FIRST, .account = 1,
	    .help = "comments that name the account (u/NAME)" },
	{ .name = "replies", .order = CM_ORDER_NEWEST_FIRST, .account = 1,
	    .help = "replies to the account's comments and posts",
	    .parts = { "comments", "selfreply" } },
	{ .name = "sub", .arg = "NAME", .order = CM_ORDER_NEWEST_FIRST,
	    .lookback = 3600,
	    .help = "the new posts and the new comments of a subreddit",
	    .parts = { "posts", "comments" } },
	{ .name = "search", .arg = "QUERY", .order = CM_ORDER_NEWEST_FIRST,
	    .lookback = 3600, .help = "posts that match QUERY, newest first" },
	{ .name = "thread", .arg = "ID", .order = CM_ORDER_NONE,
	    .help = "a post (t3_ or its id) and the comments under it" },
	{ .name = "own", .order = CM_ORDER_NEWEST_FIRST, .account = 1,
	    .help = "the account's own posts and comments" },
	{ .name = NULL }
};

enum feed { F_MENTIONS, F_REPLIES, F_SUB, F_SEARCH, F_THREAD, F_OWN };

/* The fields of a Thing's data read in one pass. */
enum {
	T_NAME, T_AUTHOR, T_AUTHOR_ID, T_CREATED, T_PERMALINK, T_CONTEXT,
	T_TITLE, T_SELFTEXT, T_BODY, T_PARENT, T_LINK, T_SCORE, T_COMMENTS,
	T_SUBREDDIT, T_TYPE, T_REPLIES, NT
};

static const char *const thing_paths[NT] = {
	"name", "author", "author_fullname", "created_utc", "permalink",
	"context", "title", "selftext", "body", "parent_id", "link_id",
	"score", "num_comments", "subreddit", "type", "replies"
};

struct reddit {
	const struct cm_source *src;
	enum feed feed;
	int part;			/* 0 or 1, for feeds of two lists */
	char *base, *auth_base;
	const char *user_agent, *cacert;
	char *ua_own;
	/* the script app */
	struct cm_buf client_id, client_secret, username, password, refresh;
	struct cm_buf token;		/* the bearer token */
	int need_token;
	char *handle;			/* the brand's user name */
	struct cm_json_paths *tp;
	struct cm_buf url, body, id, parent, thread, text, link, s[6];
	int thread_done;
	/* a reply job (cm-reply) */
	const struct cm_reply *rp;
	int step;			/* enum rstep: the next request */
	int maybe;			/* a comment may have gone: look first */
	int reauth;			/* a new token was asked for this step */
	struct cm_buf full, post;	/* the target's fullname, its post */
};

/* The feed's index; -1 for none (a source of cm-reply). */
static int feed_of(const struct cm_source *src)
{
	return src->feed ? (int)(src->feed - feeds) : -1;
}

static const char *key(const struct cm_source *s, const char *k)
{
	return s->has_account ? cm_config_get(s->cfg, "account", s->account,
	    k) : NULL;
}

static int secret(const struct cm_source *s, const char *k, struct cm_buf *b,
    struct cm_error *err)
{
	return cm_config_secret(s->cfg, "account", s->account, k, b, err);
}

static void wipe(struct cm_buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->len);
	cm_buf_free(b);
}

static void reddit_close(void *st)
{
	struct reddit *r = st;

	if (r == NULL)
		return;
	free(r->base);
	free(r->auth_base);
	free(r->ua_own);
	wipe(&r->client_id);
	wipe(&r->client_secret);
	wipe(&r->username);
	wipe(&r->password);
	wipe(&r->refresh);
	wipe(&r->token);
	wipe(&r->body);
	free(r->handle);
	cm_json_paths_free(r->tp);
	cm_buf_free(&r->url);
	cm_buf_free(&r->id);
	cm_buf_free(&r->parent);
	cm_buf_free(&r->thread);
	cm_buf_free(&r->text);
	cm_buf_free(&r->link);
	for (size_t i = 0; i < sizeof(r->s) / sizeof(r->s[0]); i++)
		cm_buf_free(&r->s[i]);
	cm_buf_free(&r->full);
	cm_buf_free(&r->post);
	free(r);
}

/* Loads the app's secrets; 0, or -1 with err. */
static int credentials(struct reddit *r, const struct cm_source *src,
    struct cm_error *err)
{
	int a, b;

	if (secret(src, "client_id", &r->client_id, err) != 0 ||
	    (a = secret(src, "client_secret", &r->client_secret, err)) < 0)
		goto missing;
	if ((b = secret(src, "refresh_token", &r->refresh, err)) < 0)
		return -1;
	if (b == 1) {
		if (secret(src, "username", &r->username, err) != 0 ||
		    secret(src, "password", &r->password, err) != 0)
			goto missing;
	}
	(void)a;	/* an installed app has no secret */
	return 0;
missing:
	if (err->msg[0] == '\0' || strstr(err->msg, src->account) == NULL)
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] needs "
		    "client_id and client_secret, and refresh_token or "
		    "username and password (a script app's)", src->spec,
		    src->account);
	return -1;
}

static int reddit_check(const struct cm_source *src, struct cm_error *err)
{
	struct reddit r;
	const char *u;
	struct cm_error e;
	int rc;

	if ((u = key(src, "base_url")) && cm_http_url_ok(u, &e) < 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] base_url: %s",
		    src->spec, src->account, e.msg);
		return -1;
	}
	if ((u = key(src, "auth_url")) && cm_http_url_ok(u, &e) < 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] auth_url: %s",
		    src->spec, src->account, e.msg);
		return -1;
	}
	if (feed_of(src) == F_SUB && strspn(src->arg, "abcdefghijklmnopqrstu"
	    "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(src->arg)) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: a subreddit's name is "
		    "letters, digits and _ (no r/)", src->spec);
		return -1;
	}
	if (!src->has_account)
		return 0;
	memset(&r, 0, sizeof(r));
	err->msg[0] = '\0';
	rc = credentials(&r, src, err);
	wipe(&r.client_id);
	wipe(&r.client_secret);
	wipe(&r.username);
	wipe(&r.password);
	wipe(&r.refresh);
	return rc;
}

static void *reddit_open(const struct cm_source *src, struct cm_error *err)
{
	struct reddit *r;
	const char *u, *h;
	size_t n;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto nomem;
	r->src = src;
	/* cm-reply's source has no feed: the reply's steps are its own */
	r->feed = src->feed ? (enum feed)feed_of(src) : F_MENTIONS;
	r->part = src->part && src->feed->parts[1] &&
	    strcmp(src->part, src->feed->parts[1]) == 0;
	u = key(src, "base_url");
	if ((r->base = strdup(u ? u : src->has_account ? OAUTH_BASE :
	    PUBLIC_BASE)) == NULL)
		goto nomem;
	u = key(src, "auth_url");
	if ((r->auth_base = strdup(u ? u : AUTH_BASE)) == NULL)
		goto nomem;
	for (n = strlen(r->base); n > 0 && r->base[n - 1] == '/'; n--)
		r->base[n - 1] = '\0';
	for (n = strlen(r->auth_base); n > 0 && r->auth_base[n - 1] == '/';
	    n--)
		r->auth_base[n - 1] = '\0';
	if (src->has_account) {
		err->msg[0] = '\0';
		if (credentials(r, src, err) < 0) {
			reddit_close(r);
			return NULL;
		}
		r->need_token = 1;
	}
	h = key(src, "handle");
	if (h == NULL && r->username.len)
		h = r->username.data;
	/* "/u/name" and "u/name" are how Reddit writes a user; the prefix
	 * goes, the name's own letters stay ("ursula"). */
	if (h && strncmp(h, "/u/", 3) == 0)
		h += 3;
	else if (h && strncmp(h, "u/", 2) == 0)
		h += 2;
	if (h && (r->handle = strdup(h)) == NULL)
		goto nomem;
	r->cacert = key(src, "cacert");
	/* Reddit asks for "platform:app:version (by /u/NAME)". */
	if ((r->user_agent = key(src, "user_agent")) == NULL) {
		if (asprintf(&r->ua_own, "linux:cm:" CM_VERSION " (by /u/%s)",
		    r->handle ? r->handle : "unknown") < 0) {
			r->ua_own = NULL;
			goto nomem;
		}
		r->user_agent = r->ua_own;
	}
	if ((r->tp = cm_json_paths_new(thing_paths, NT)) == NULL)
		goto nomem;
	return r;
nomem:
	reddit_close(r);
	cm_error_nomem(err, src->spec);
	return NULL;
}

/* A thread's post: "t3_abc" or "abc". */
static const char *post_id(const char *arg)
{
	return strncmp(arg, "t3_", 3) == 0 ? arg + 3 : arg;
}

static int reddit_request(void *st, const char *cursor,
    struct cm_http_req *req, struct cm_http_opts *o, struct cm_error *err)
{
	struct reddit *r = st;
	struct cm_buf *u = &r->url;
	int rc = 0;

	cm_buf_reset(u);
	if (r->need_token) {
		rc |= cm_buf_printf(u, "%s/api/v1/access_token", r->auth_base);
		wipe(&r->body);
		if (r->refresh.len)
			rc |= cm_buf_adds(&r->body, "grant_type=refresh_token"
			    "&refresh_token=") | cm_buf_add_pct(&r->body,
			    r->refresh.data, r->refresh.len);
		else
			rc |= cm_buf_adds(&r->body, "grant_type=password"
			    "&username=") | cm_buf_add_pct(&r->body,
			    r->username.data, r->username.len) |
			    cm_buf_adds(&r->body, "&password=") |
			    cm_buf_add_pct(&r->body, r->password.data,
			    r->password.len);
		if (rc < 0)
			goto nomem;
		req->url = u->data;
		req->method = "POST";
		req->body = r->body.data;
		req->body_len = r->body.len;
		req->content_type = "application/x-www-form-urlencoded";
		req->basic_user = r->client_id.data;
		req->basic_pass = r->client_secret.len ? r->client_secret.data :
		    "";
		goto common;
	}
	if (r->feed == F_THREAD && r->thread_done)
		return 0;
	rc |= cm_buf_adds(u, r->base);
	switch (r->feed) {
	case F_MENTIONS:
		rc |= cm_buf_adds(u, "/message/mentions?");
		break;
	case F_REPLIES:
		rc |= cm_buf_adds(u, r->part ? "/message/selfreply?" :
		    "/message/comments?");
		break;
	case F_SUB:
		rc |= cm_buf_printf(u, "/r/%s/%s%s?", r->src->arg,
		    r->part ? "comments" : "new", r->src->has_account ? "" :
		    ".json");
		break;
	case F_SEARCH:
		rc |= cm_buf_printf(u, "/search%s?sort=new&type=link&q=",
		    r->src->has_account ? "" : ".json") |
		    cm_buf_add_pct(u, r->src->arg, strlen(r->src->arg)) |
		    cm_buf_addc(u, '&');
		break;
	case F_THREAD:
		rc |= cm_buf_adds(u, "/comments/") |
		    cm_buf_add_pct(u, post_id(r->src->arg),
		    strlen(post_id(r->src->arg))) |
		    cm_buf_printf(u, "%s?depth=%d&limit=500&", r->src->has_account ?
		    "" : ".json", MAX_DEPTH);
		cursor = NULL;
		break;
	case F_OWN:
		rc |= cm_buf_printf(u, "/user/%s/overview?", r->handle ?
		    r->handle : "me");
		break;
	}
	rc |= cm_buf_printf(u, "raw_json=1");
	if (r->feed != F_THREAD)
		rc |= cm_buf_printf(u, "&limit=%d", PAGE_LIMIT);
	if (cursor)
		rc |= cm_buf_adds(u, "&after=") | cm_buf_add_pct(u, cursor,
		    strlen(cursor));
	if (rc < 0)
		goto nomem;
	req->url = u->data;
	req->bearer = r->token.len ? r->token.data : NULL;
common:
	req->headers[0] = "Accept: application/json";
	o->user_agent = r->user_agent;
	o->cacert = r->cacert;
	return 1;
nomem:
	cm_error_nomem(err, r->src->spec);
	return -1;
}

static double header_num(const struct cm_http_resp *resp, const char *name,
    int *found)
{
	char buf[64];
	const char *v;
	size_t n;

	*found = 0;
	if ((v = cm_http_header(resp, name, &n)) == NULL || n >= sizeof(buf))
		return 0;
	memcpy(buf, v, n);
	buf[n] = '\0';
	*found = 1;
	return strtod(buf, NULL);
}

/* Remaining is a float ("598.0"), reset the seconds left in the window. */
static void reddit_budget(const struct cm_http_resp *resp,
    struct cm_budget *b)
{
	int f1, f2, f3;
	double rem = header_num(resp, "x-ratelimit-remaining", &f1);
	double used = header_num(resp, "x-ratelimit-used", &f2);
	double reset = header_num(resp, "x-ratelimit-reset", &f3);

	memset(b, 0, sizeof(*b));
	if (!f1 || !f3)
		return;
	b->known = 1;
	b->remaining = rem;
	b->limit = f2 ? rem + used : 0;
	/* Reddit sends the seconds left as a whole number, rounded down:
	 * the window may end up to a second after that, and a request sent
	 * at the reset it says is then still counted in the spent window. */
	b->reset_at = cm_now() + reset + (reset == floor(reset) ? 1 : 0);
}

static const char *cstr(const struct cm_json_value *v, struct cm_buf *b)
{
	cm_buf_reset(b);
	if (v->type != CM_JSON_STRING || cm_json_string(v, b) < 0)
		return NULL;
	return b->data ? b->data : "";
}

/* "/r/x/comments/LINK/title/ID/?context=3": the post's id. */
static int link_of_context(const char *ctx, struct cm_buf *out)
{
	const char *p = ctx ? strstr(ctx, "/comments/") : NULL;
	size_t n;

	if (p == NULL)
		return 0;
	p += 10;
	n = strcspn(p, "/?");
	return cm_buf_adds(out, "reddit:t3_") | cm_buf_add(out, p, n);
}

/*
 * One Thing (kind t1 or t3, its data in dv) to a record.  Returns what the
 * sink says, 0 for a thing that is none, -1 out of memory.
 */
static int thing_record(struct reddit *r, const char *kind,
    const struct cm_json_value *dv, const char *reason,
    struct cm_sink *sink)
{
	struct cm_json_value v[NT];
	struct cm_json_error jerr;
	struct cm_rec rec;
	const char *name, *author, *permalink, *ctx, *t;
	double created;
	int is_post = strcmp(kind, "t3") == 0, rc = -1;
	int64_t n;

	if (cm_json_scan(dv->raw, dv->len, 0, r->tp, v, &jerr) < 0)
		return 0;
	if ((name = cstr(&v[T_NAME], &r->s[0])) == NULL || *name == '\0' ||
	    v[T_CREATED].type != CM_JSON_NUMBER ||
	    cm_json_double(&v[T_CREATED], &created) < 0 ||
	    !(created >= 0 && created <= (double)CM_TIME_MAX))
		return 0;	/* a time out of range would not convert */
	cm_rec_init(&rec);
	cm_buf_reset(&r->id);
	if (cm_buf_printf(&r->id, "reddit:%s", name) < 0)
		return -1;
	rec.id = r->id.data;
	rec.platform = "reddit";
	rec.created_at = (int64_t)created;
	author = cstr(&v[T_AUTHOR], &r->s[1]);
	rec.author.handle = author;
	rec.author.name = author;
	rec.author.id = cstr(&v[T_AUTHOR_ID], &r->s[2]);
	if (rec.author.id == NULL)
		rec.author.id = author;
	rec.author.is_brand = author && r->handle &&
	    strcasecmp(author, r->handle) == 0;
	cm_buf_reset(&r->s[3]);
	if (author && cm_buf_printf(&r->s[3], "https://www.reddit.com/user/%s",
	    author) < 0)
		return -1;
	rec.author.url = r->s[3].data;
	permalink = cstr(&v[T_PERMALINK], &r->s[4]);
	ctx = cstr(&v[T_CONTEXT], &r->s[5]);
	cm_buf_reset(&r->link);
	if (permalink == NULL || *permalink == '\0')
		permalink = ctx;
	if (permalink && (strncmp(permalink, "http", 4) == 0 ?
	    cm_buf_adds(&r->link, permalink) :
	    cm_buf_printf(&r->link, "https://www.reddit.com%s", permalink)) <
	    0)
		return -1;
	rec.url = r->link.data;
	cm_buf_reset(&r->text);
	if (is_post) {
		struct cm_buf self = CM_BUF_INIT;

		t = cstr(&v[T_TITLE], &r->parent);
		if ((t && cm_buf_adds(&r->text, t) < 0) ||
		    (v[T_SELFTEXT].type == CM_JSON_STRING &&
		    cm_json_string(&v[T_SELFTEXT], &self) < 0)) {
			cm_buf_free(&self);
			return -1;
		}
		if (self.len && (cm_buf_adds(&r->text, "\n\n") < 0 ||
		    cm_buf_add(&r->text, self.data, self.len) < 0)) {
			cm_buf_free(&self);
			return -1;
		}
		cm_buf_free(&self);
		rec.kind = "post";
		rec.replies = v[T_COMMENTS].type == CM_JSON_NUMBER &&
		    cm_json_int64(&v[T_COMMENTS], &n) == 0 ? n : CM_REC_NULL;
	} else {
		if (v[T_BODY].type == CM_JSON_STRING &&
		    cm_json_string(&v[T_BODY], &r->text) < 0)
			return -1;
		rec.kind = rec.author.is_brand ? "reply" : "comment";
		cm_buf_reset(&r->parent);
		if ((t = cstr(&v[T_PARENT], &r->s[4])) != NULL && *t &&
		    cm_buf_printf(&r->parent, "reddit:%s", t) < 0)
			return -1;
		rec.in_reply_to = r->parent.len ? r->parent.data : NULL;
		cm_buf_reset(&r->thread);
		if ((t = cstr(&v[T_LINK], &r->s[4])) != NULL && *t) {
			if (cm_buf_printf(&r->thread, "reddit:%s", t) < 0)
				return -1;
		} else if (link_of_context(ctx, &r->thread) < 0)
			return -1;
		rec.thread = r->thread.len ? r->thread.data :
		    rec.in_reply_to;
	}
	rec.text = r->text.data ? r->text.data : "";
	rec.text_len = r->text.len;
	rec.likes = v[T_SCORE].type == CM_JSON_NUMBER &&
	    cm_json_int64(&v[T_SCORE], &n) == 0 ? n : CM_REC_NULL;
	rec.reason = reason;
	if (rec.author.is_brand && r->feed == F_THREAD)
		rec.reason = "own";
	rec.raw = dv->raw;
	rec.raw_len = dv->len;
	rc = sink->record(sink->ctx, &rec, (int64_t)(created * 1e6));
	return rc;
}

/* The kind and data of a Thing. */
static int thing(const struct cm_json_value *el, struct cm_buf *kind,
    struct cm_json_value *data)
{
	struct cm_json_value k;

	if (el->type != CM_JSON_OBJECT ||
	    !cm_json_get(el->raw, el->len, "kind", &k) ||
	    !cm_json_get(el->raw, el->len, "data", data) ||
	    data->type != CM_JSON_OBJECT)
		return 0;
	cm_buf_reset(kind);
	return cm_json_string(&k, kind) == 0;
}

/* Walks a Listing's children: posts and comments become records, with
 * the replies of comments below them (to depth), "more" stubs left. */
static int walk(struct reddit *r, const struct cm_json_value *listing,
    const char *reason, struct cm_sink *sink, struct cm_buf *next, int depth)
{
	struct cm_json_value children, el, data, rep, after;
	struct cm_buf kind = CM_BUF_INIT;
	size_t pos = 0;
	int rc = 0;

	if (listing->type != CM_JSON_OBJECT ||
	    !cm_json_get(listing->raw, listing->len, "data.children",
	    &children) || children.type != CM_JSON_ARRAY)
		return 0;
	if (next && cm_json_get(listing->raw, listing->len, "data.after",
	    &after) && after.type == CM_JSON_STRING &&
	    cm_json_string(&after, next) < 0)
		return -1;
	while (rc == 0 && cm_json_each(&children, &pos, NULL, &el)) {
		if (!thing(&el, &kind, &data))
			continue;
		if (strcmp(kind.data, "t1") != 0 && strcmp(kind.data, "t3") != 0)
			continue;	/* "more", messages */
		if ((rc = thing_record(r, kind.data, &data, reason, sink)) != 0)
			break;
		/* "replies" is a Listing, or "" when there are none */
		if (depth < MAX_DEPTH && cm_json_get(data.raw, data.len,
		    "replies", &rep) && rep.type == CM_JSON_OBJECT)
			rc = walk(r, &rep, reason, sink, NULL, depth + 1);
	}
	cm_buf_free(&kind);
	return rc;
}

/* The answer to the token's request: the token kept, 0; or -1 with err. */
static int token_answer(struct reddit *r, const struct cm_http_resp *resp,
    struct cm_error *err)
{
	struct cm_json_value tok;
	struct cm_json_error jerr;
	const char *b = resp->body.data ? resp->body.data : "";

	if (resp->status != 200 ||
	    cm_json_scan(b, resp->body.len, 0, NULL, NULL, &jerr) < 0 ||
	    !cm_json_get(b, resp->body.len, "access_token", &tok) ||
	    tok.type != CM_JSON_STRING) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit refused the app's "
		    "credentials (%ld): check [account %s]", r->src->spec,
		    resp->status, r->src->account);
		return -1;
	}
	wipe(&r->token);
	if (cm_json_string(&tok, &r->token) < 0) {
		cm_error_nomem(err, r->src->spec);
		return -1;
	}
	r->need_token = 0;
	return 0;
}

static int reddit_response(void *st, const struct cm_http_resp *resp,
    struct cm_sink *sink, struct cm_buf *next, double *retry_after,
    struct cm_error *err)
{
	struct reddit *r = st;
	struct cm_json_value body, el;
	struct cm_json_error jerr;
	const char *reason;
	size_t pos = 0;
	int rc;

	*retry_after = -1;
	body.raw = resp->body.data ? resp->body.data : "";
	body.len = resp->body.len;
	if (r->need_token)
		return token_answer(r, resp, err) < 0 ? -1 : CM_PAGE_AGAIN;
	if (resp->status == 401 && r->src->has_account && r->token.len) {
		/* the token expired (an hour): a new one */
		r->need_token = 1;
		return CM_PAGE_AGAIN;
	}
	if (resp->status != 200) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit answered %ld%s",
		    r->src->spec, resp->status, resp->status == 403 ?
		    " (forbidden: a private subreddit, or a User-Agent Reddit "
		    "refuses)" : resp->status == 404 ? " (no such thing)" : "");
		return -1;
	}
	if (cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0) {
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit sent no JSON "
		    "(at byte %zu: %s)", r->src->spec, jerr.offset + 1,
		    jerr.msg);
		return CM_PAGE_RETRY;
	}
	body.type = body.raw[strspn(body.raw, " \t\r\n")] == '[' ?
	    CM_JSON_ARRAY : CM_JSON_OBJECT;
	switch (r->feed) {
	case F_MENTIONS:
		reason = "mention";
		break;
	case F_REPLIES:
		reason = "reply";
		break;
	case F_SUB:
		reason = "channel";
		break;
	case F_SEARCH:
		reason = "search";
		break;
	case F_OWN:
		reason = "own";
		break;
	default:
		reason = "reply";
		break;
	}
	if (r->feed == F_THREAD) {
		/* [the post's Listing, the comments' Listing] */
		r->thread_done = 1;
		if (body.type != CM_JSON_ARRAY)
			goto shape;
		while (cm_json_each(&body, &pos, NULL, &el))
			if ((rc = walk(r, &el, reason, sink, NULL, 0)) != 0) {
				if (rc < 0)
					goto nomem;
				break;
			}
		return CM_PAGE_DONE;
	}
	if (body.type != CM_JSON_OBJECT)
		goto shape;
	if ((rc = walk(r, &body, reason, sink, next, 0)) < 0)
		goto nomem;
	if (rc == 1)
		cm_buf_reset(next);
	return CM_PAGE_DONE;
shape:
	cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit sent JSON of another "
	    "shape than a Listing", r->src->spec);
	return -1;
nomem:
	cm_error_nomem(err, r->src->spec);
	return -1;
}

/* --dry-run: the token taken as granted (shown masked). */
static int reddit_dry_step(void *st)
{
	struct reddit *r = st;

	if (!r->need_token)
		return 0;
	r->need_token = 0;
	wipe(&r->token);
	return cm_buf_adds(&r->token, "dry-run") < 0 ? 0 : 1;
}

/*
 * Replying.  A job's request is the comment (POST /api/comment), after
 * the token when there is none yet or it expired.  Reddit takes no
 * idempotency key: so when a comment may have gone (an answer that never
 * came, a 5xx, a claim left pending by a run that ended), the target's
 * replies are read first (the post's comments, newest first, focused on
 * the target when it is a comment) for one by the account, with the
 * job's text, whose parent is the target; only if there is none does
 * the comment go again.  The account's name is its handle or username
 * key, else /api/v1/me's; a comment's post, the record's thread, else
 * /api/info's.
 */
enum rstep { R_ME, R_INFO, R_LOOK, R_POST };

static void *reddit_reply_open(const struct cm_source *src,
    struct cm_error *err)
{
	if (!src->has_account) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: cm posts on Reddit "
		    "through an [account] section (a script app's)", src->spec);
		return NULL;
	}
	return reddit_open(src, err);
}

/* The next step when a look comes before the comment. */
static int look_step(const struct reddit *r)
{
	return r->handle == NULL ? R_ME : r->post.len == 0 ? R_INFO : R_LOOK;
}

/* A fullname's id part is base 36: letters and digits. */
static int fullname_ok(const char *f)
{
	size_t n = strlen(f);

	return n > 3 && n <= 32 && (strncmp(f, "t1_", 3) == 0 ||
	    strncmp(f, "t3_", 3) == 0) && strspn(f + 3,
	    "abcdefghijklmnopqrstuvwxyz0123456789") == n - 3;
}

static int reddit_reply_start(void *st, const struct cm_reply *rp,
    struct cm_error *err)
{
	struct reddit *r = st;
	const char *t = rp->target, *th = rp->thread;

	if (strncmp(t, "reddit:", 7) != 0 || !fullname_ok(t + 7)) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %.200s is not a Reddit "
		    "post or comment (reddit:t3_ID, reddit:t1_ID)", r->src->spec,
		    t);
		return -1;
	}
	cm_buf_reset(&r->full);
	cm_buf_reset(&r->post);
	if (cm_buf_adds(&r->full, t + 7) < 0)
		goto nomem;
	/* the post whose comments hold the reply */
	if (strncmp(t + 7, "t3_", 3) == 0) {
		if (cm_buf_adds(&r->post, t + 10) < 0)
			goto nomem;
	} else if (th && strncmp(th, "reddit:", 7) == 0 &&
	    fullname_ok(th + 7) && strncmp(th + 7, "t3_", 3) == 0) {
		if (cm_buf_adds(&r->post, th + 10) < 0)
			goto nomem;
	}
	r->rp = rp;
	r->maybe = rp->unknown;
	r->reauth = 0;
	r->step = r->maybe ? look_step(r) : R_POST;
	return 0;
nomem:
	cm_error_nomem(err, r->src->spec);
	return -1;
}

static int reddit_reply_request(void *st, struct cm_http_req *req,
    struct cm_http_opts *o, struct cm_error *err)
{
	struct reddit *r = st;
	struct cm_buf *u = &r->url, *b = &r->body;
	int rc = 0;

	if (r->need_token)
		return reddit_request(st, NULL, req, o, err);
	cm_buf_reset(u);
	rc |= cm_buf_adds(u, r->base);
	switch (r->step) {
	case R_ME:
		rc |= cm_buf_adds(u, "/api/v1/me?raw_json=1");
		break;
	case R_INFO:
		rc |= cm_buf_printf(u, "/api/info?id=%s&raw_json=1",
		    r->full.data);
		break;
	case R_LOOK:
		/* newest first: a reply of ours is among the first */
		rc |= cm_buf_printf(u, "/comments/%s?sort=new&limit=500&"
		    "raw_json=1", r->post.data);
		if (strncmp(r->full.data, "t1_", 3) == 0)
			rc |= cm_buf_printf(u, "&comment=%s&depth=2",
			    r->full.data + 3);
		else
			rc |= cm_buf_adds(u, "&depth=1");
		break;
	default:
		wipe(b);
		rc |= cm_buf_adds(b, "api_type=json&thing_id=") |
		    cm_buf_adds(b, r->full.data) | cm_buf_adds(b, "&text=") |
		    cm_buf_add_pcts(b, r->rp->text);
		rc |= cm_buf_adds(u, "/api/comment");
		req->method = "POST";
		req->body = b->data;
		req->body_len = b->len;
		req->content_type = "application/x-www-form-urlencoded";
		req->body_public = 1;	/* a reply's text: --dry-run shows it */
		break;
	}
	if (rc < 0) {
		cm_error_nomem(err, r->src->spec);
		return -1;
	}
	req->url = u->data;
	req->bearer = r->token.data;
	req->headers[0] = "Accept: application/json";
	o->user_agent = r->user_agent;
	o->cacert = r->cacert;
	return 1;
}

/*
 * The wait a RATELIMIT error asks for: json.ratelimit (seconds) when
 * there, else the message's "try again in 5 minutes." (or seconds,
 * milliseconds); 60 s when it says neither.
 */
static double ratelimit_wait(const char *body, size_t len, const char *msg)
{
	struct cm_json_value v;
	const char *p = msg ? strstr(msg, "try again in ") : NULL;
	double d, unit;
	char *end;

	if (cm_json_get(body, len, "json.ratelimit", &v) &&
	    cm_json_double(&v, &d) == 0 && d >= 0 && d < 86400)
		return d;
	if (p == NULL)
		return 60;
	errno = 0;
	d = strtod(p + 13, &end);
	if (errno || end == p + 13 || !(d >= 0 && d < 86400))
		return 60;
	end += strspn(end, " ");
	unit = strncmp(end, "millisecond", 11) == 0 ? 0.001 :
	    strncmp(end, "second", 6) == 0 ? 1 : strncmp(end, "minute", 6)
	    == 0 ? 60 : strncmp(end, "hour", 4) == 0 ? 3600 : 60;
	return d * unit;
}

/*
 * The answer to the comment: its json.errors (the first: [CODE, message,
 * field]) or json.data.things[0].  CM_REPLY_DONE with out filled,
 * CM_REPLY_REFUSED, CM_REPLY_RETRY (RATELIMIT, or an answer that says
 * nothing: the comment may have gone), -1 out of memory.
 */
static int comment_answer(struct reddit *r, const char *body, size_t len,
    struct cm_reply_out *out, double *retry_after, struct cm_error *err)
{
	struct cm_json_value errs, e, code, msg, d;
	struct cm_buf c = CM_BUF_INIT, m = CM_BUF_INIT, id = CM_BUF_INIT;
	size_t pos = 0;
	int rc = CM_REPLY_RETRY;

	if (cm_json_get(body, len, "json.errors", &errs) &&
	    cm_json_each(&errs, &pos, NULL, &e)) {
		if (!cm_json_get(e.raw, e.len, "0", &code) ||
		    cm_json_string(&code, &c) < 0)
			(void)cm_buf_adds(&c, "ERROR");
		if (cm_json_get(e.raw, e.len, "1", &msg))
			(void)cm_json_string(&msg, &m);
		if (c.data && strcmp(c.data, "RATELIMIT") == 0) {
			*retry_after = ratelimit_wait(body, len, m.data);
			cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit: %.200s",
			    r->src->spec, m.data ? m.data : "RATELIMIT");
			rc = CM_REPLY_RETRY;	/* refused: nothing posted */
		} else {
			cm_buf_reset(&out->msg);
			rc = cm_buf_printf(&out->msg, "%s%s%s", c.data ?
			    c.data : "ERROR", m.len ? ": " : "", m.len ? m.data :
			    "") < 0 ? -1 : CM_REPLY_REFUSED;
		}
		goto done;
	}
	if (!cm_json_get(body, len, "json.data.things.0.data", &d) ||
	    d.type != CM_JSON_OBJECT) {
		r->maybe = 1;
		r->step = look_step(r);
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit answered the "
		    "comment with no comment", r->src->spec);
		goto done;
	}
	cm_buf_reset(&out->id);
	cm_buf_reset(&out->url);
	if (cm_json_get(d.raw, d.len, "name", &e) && cm_json_string(&e, &id) ==
	    0 && id.len > 3)
		rc = cm_buf_printf(&out->id, "reddit:%s", id.data);
	else if (cm_buf_reset(&id), cm_json_get(d.raw, d.len, "id", &e) &&
	    cm_json_string(&e, &id) == 0 && id.len)
		rc = cm_buf_printf(&out->id, "reddit:t1_%s", id.data);
	else {
		r->maybe = 1;
		r->step = look_step(r);
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit answered the "
		    "comment with no id", r->src->spec);
		goto done;
	}
	if (rc < 0)
		goto done;
	cm_buf_reset(&m);
	if (cm_json_get(d.raw, d.len, "permalink", &e) &&
	    cm_json_string(&e, &m) == 0 && m.len)
		rc = strncmp(m.data, "http", 4) == 0 ?
		    cm_buf_adds(&out->url, m.data) :
		    cm_buf_printf(&out->url, "https://www.reddit.com%s", m.data);
	else if (r->post.len)
		rc = cm_buf_printf(&out->url, "https://www.reddit.com/comments/"
		    "%s/_/%s/", r->post.data, out->id.data + 10);
	else
		rc = 0;
	if (rc == 0) {
		out->found = 0;
		rc = CM_REPLY_DONE;
	}
done:
	cm_buf_free(&c);
	cm_buf_free(&m);
	cm_buf_free(&id);
	return rc;
}

/*
 * Walks a Listing (to MAX_DEPTH) for the account's comment under the
 * target with the job's text: 1 with out filled, 0 none, -1 out of
 * memory.
 */
static int find_own(struct reddit *r, const struct cm_json_value *listing,
    struct cm_reply_out *out, int depth)
{
	struct cm_json_value children, el, data, v, rep;
	struct cm_buf kind = CM_BUF_INIT, s = CM_BUF_INIT;
	size_t pos = 0;
	int rc = 0;

	if (listing->type != CM_JSON_OBJECT ||
	    !cm_json_get(listing->raw, listing->len, "data.children",
	    &children) || children.type != CM_JSON_ARRAY)
		return 0;
	while (rc == 0 && cm_json_each(&children, &pos, NULL, &el)) {
		if (!thing(&el, &kind, &data) || strcmp(kind.data, "t1") != 0)
			continue;
		if (cm_json_get(data.raw, data.len, "parent_id", &v) &&
		    cm_json_string_eq(&v, r->full.data) &&
		    cm_json_get(data.raw, data.len, "author", &v) &&
		    (cm_buf_reset(&s), cm_json_string(&v, &s) == 0) &&
		    s.data && strcasecmp(s.data, r->handle) == 0 &&
		    cm_json_get(data.raw, data.len, "body", &v) &&
		    (cm_buf_reset(&s), cm_json_string(&v, &s) == 0) &&
		    cm_reply_text_eq(s.data ? s.data : "", s.len, r->rp->text,
		    strlen(r->rp->text))) {
			cm_buf_reset(&s);
			cm_buf_reset(&out->id);
			cm_buf_reset(&out->url);
			if (!cm_json_get(data.raw, data.len, "name", &v) ||
			    cm_json_string(&v, &s) < 0 || s.len <= 3)
				continue;	/* no name: not one to give */
			if (cm_buf_printf(&out->id, "reddit:%s", s.data) < 0)
				rc = -1;
			cm_buf_reset(&s);
			if (rc == 0 && cm_json_get(data.raw, data.len,
			    "permalink", &v) && cm_json_string(&v, &s) == 0 &&
			    s.len && cm_buf_printf(&out->url,
			    "https://www.reddit.com%s", s.data) < 0)
				rc = -1;
			if (rc == 0)
				rc = 1;
			break;
		}
		if (depth < MAX_DEPTH && cm_json_get(data.raw, data.len,
		    "replies", &rep) && rep.type == CM_JSON_OBJECT)
			rc = find_own(r, &rep, out, depth + 1);
	}
	cm_buf_free(&kind);
	cm_buf_free(&s);
	return rc;
}

static int reddit_reply_response(void *st, const struct cm_http_resp *resp,
    struct cm_reply_out *out, double *retry_after, struct cm_error *err)
{
	struct reddit *r = st;
	struct cm_json_value body, el, v;
	struct cm_json_error jerr;
	const char *h;
	size_t n, pos = 0;
	int rc, posting = !r->need_token && r->step == R_POST;

	*retry_after = -1;
	if (resp->status == 0 && resp->untrusted) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit: %s", r->src->spec,
		    resp->error);
		return -1;
	}
	if (resp->status == 0 || resp->status == 408 || resp->status >= 500) {
		/* no answer: a comment may have been made all the same */
		if (posting) {
			r->maybe = 1;
			r->step = look_step(r);
		}
		if (resp->status == 0)
			cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit: %s",
			    r->src->spec, resp->error);
		else
			cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit "
			    "answered %ld", r->src->spec, resp->status);
		return CM_REPLY_RETRY;
	}
	if (resp->status == 429) {
		if ((h = cm_http_header(resp, "retry-after", &n)) != NULL)
			*retry_after = cm_retry_after(h, n, cm_now());
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit: rate limited "
		    "(429)", r->src->spec);
		return CM_REPLY_RETRY;
	}
	if (r->need_token)
		return token_answer(r, resp, err) < 0 ? -1 : CM_REPLY_AGAIN;
	if (resp->status == 401) {
		/* the token expired (an hour): refused before it was read, so
		 * a new one and the same request; twice is the app's fault */
		if (r->reauth) {
			cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit refused a "
			    "new token (401): check [account %s]", r->src->spec,
			    r->src->account);
			return -1;
		}
		r->reauth = 1;
		r->need_token = 1;
		return CM_REPLY_AGAIN;
	}
	r->reauth = 0;
	body.raw = resp->body.data ? resp->body.data : "";
	body.len = resp->body.len;
	if (resp->status != 200) {
		if (r->step == R_ME) {
			cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit answered "
			    "%ld for the account's name: set [account %s] "
			    "handle", r->src->spec, resp->status,
			    r->src->account);
			return -1;
		}
		if (r->step != R_POST && resp->status != 404) {
			/* only a look comes here: a comment may have gone */
			cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit "
			    "answered %ld to a look for an earlier reply",
			    r->src->spec, resp->status);
			return CM_REPLY_RETRY;
		}
		cm_buf_reset(&out->msg);
		if (cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0 ||
		    !cm_json_get(body.raw, body.len, "message", &v) ||
		    cm_json_string(&v, &out->msg) < 0) {
			cm_buf_reset(&out->msg);
			(void)cm_buf_adds(&out->msg, "refused");
		}
		{
			struct cm_buf t = CM_BUF_INIT;

			if (cm_buf_printf(&t, "%ld: %s%s", resp->status,
			    out->msg.data ? out->msg.data : "",
			    r->step == R_POST ? "" : " (the thing replied to is "
			    "gone: whether an earlier send reached it cannot be "
			    "told)") < 0) {
				cm_buf_free(&t);
				goto nomem;
			}
			cm_buf_free(&out->msg);
			out->msg = t;
		}
		return CM_REPLY_REFUSED;
	}
	if (cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0) {
		if (posting) {
			r->maybe = 1;
			r->step = look_step(r);
		}
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: Reddit sent no JSON "
		    "(at byte %zu: %s)", r->src->spec, jerr.offset + 1,
		    jerr.msg);
		return CM_REPLY_RETRY;
	}
	switch (r->step) {
	case R_ME:
		if (!cm_json_get(body.raw, body.len, "name", &v) ||
		    v.type != CM_JSON_STRING)
			goto shape;
		{
			struct cm_buf t = CM_BUF_INIT;

			if (cm_json_string(&v, &t) < 0 || t.len == 0 ||
			    (r->handle = strdup(t.data)) == NULL) {
				cm_buf_free(&t);
				goto nomem;
			}
			cm_buf_free(&t);
		}
		r->step = look_step(r);
		return CM_REPLY_AGAIN;
	case R_INFO:
		if (!cm_json_get(body.raw, body.len, "data.children.0.data."
		    "link_id", &v) || v.type != CM_JSON_STRING) {
			cm_buf_reset(&out->msg);
			if (cm_buf_adds(&out->msg, "the comment replied to is "
			    "gone (whether an earlier send reached it cannot be "
			    "told)") < 0)
				goto nomem;
			return CM_REPLY_REFUSED;
		}
		cm_buf_reset(&r->post);
		if (cm_json_string(&v, &r->post) < 0)
			goto nomem;
		if (r->post.len <= 3 || strncmp(r->post.data, "t3_", 3) != 0)
			goto shape;
		memmove(r->post.data, r->post.data + 3, r->post.len - 2);
		r->post.len -= 3;
		r->step = R_LOOK;
		return CM_REPLY_AGAIN;
	case R_LOOK:
		/* [the post's Listing, the comments' Listing] */
		if (body.raw[strspn(body.raw, " \t\r\n")] != '[')
			goto shape;
		body.type = CM_JSON_ARRAY;
		while (cm_json_each(&body, &pos, NULL, &el)) {
			if ((rc = find_own(r, &el, out, 0)) < 0)
				goto nomem;
			if (rc == 1) {
				out->found = 1;
				return CM_REPLY_DONE;
			}
		}
		r->step = R_POST;
		return CM_REPLY_AGAIN;
	default:
		rc = comment_answer(r, body.raw, body.len, out, retry_after,
		    err);
		if (rc < 0)
			goto nomem;
		return rc;
	}
shape:
	cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit sent JSON of another "
	    "shape than its API's", r->src->spec);
	/* a post of the job may have gone: never the account's failure,
	 * which would take it as nothing posted */
	if (r->maybe) {
		err->status = CM_EXIT_TEMPFAIL;
		return CM_REPLY_RETRY;
	}
	return -1;
nomem:
	cm_error_nomem(err, r->src->spec);
	return -1;
}

/* --dry-run: the token granted, the name and post placeholders, no
 * earlier reply found. */
static int reddit_reply_dry_step(void *st)
{
	struct reddit *r = st;

	if (r->need_token)
		return reddit_dry_step(st);
	switch (r->step) {
	case R_ME:
		if ((r->handle = strdup("ACCOUNT")) == NULL)
			return 0;
		r->step = look_step(r);
		return 1;
	case R_INFO:
		cm_buf_reset(&r->post);
		if (cm_buf_adds(&r->post, "POST") < 0)
			return 0;
		r->step = R_LOOK;
		return 1;
	case R_LOOK:
		r->step = R_POST;
		return 1;
	default:
		return 0;
	}
}

/*
 * No pace of its own: Reddit states its budget (requests per 10 minutes
 * an app) in X-Ratelimit headers, which the pacing keeps to, and answers
 * a comment too soon for the account (new ones, in some subreddits) with
 * a RATELIMIT error that says how long to wait.
 */
static const struct cm_reply_ops reddit_reply = {
	.open = reddit_reply_open,
	.start = reddit_reply_start,
	.request = reddit_reply_request,
	.response = reddit_reply_response,
	.dry_step = reddit_reply_dry_step,
	.min_interval = 0,
};

const struct cm_adapter cm_adapter_reddit = {
	.platform = "reddit",
	.feeds = feeds,
	.check = reddit_check,
	.open = reddit_open,
	.close = reddit_close,
	.request = reddit_request,
	.response = reddit_response,
	.budget = reddit_budget,
	.dry_step = reddit_dry_step,
	.reply = &reddit_reply,
};
