/* reddit.c - Reddit: mentions, replies, sub:NAME, search:Q, thread:ID and
 * own through a script app's OAuth token; sub:, search: and thread: also
 * as public data */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapter.h"
#include "core/json.h"
#include "core/timeutil.h"

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
};

static int feed_of(const struct cm_source *src)
{
	return (int)(src->feed - feeds);
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
	r->feed = (enum feed)feed_of(src);
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

static int reddit_response(void *st, const struct cm_http_resp *resp,
    struct cm_sink *sink, struct cm_buf *next, double *retry_after,
    struct cm_error *err)
{
	struct reddit *r = st;
	struct cm_json_value body, el, tok;
	struct cm_json_error jerr;
	const char *reason;
	size_t pos = 0;
	int rc;

	*retry_after = -1;
	body.raw = resp->body.data ? resp->body.data : "";
	body.len = resp->body.len;
	if (r->need_token) {
		if (resp->status != 200 ||
		    cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0 ||
		    !cm_json_get(body.raw, body.len, "access_token", &tok) ||
		    tok.type != CM_JSON_STRING) {
			cm_error_set(err, CM_EXIT_FAIL, "%s: Reddit refused the "
			    "app's credentials (%ld): check [account %s]",
			    r->src->spec, resp->status, r->src->account);
			return -1;
		}
		wipe(&r->token);
		if (cm_json_string(&tok, &r->token) < 0)
			goto nomem;
		r->need_token = 0;
		return CM_PAGE_AGAIN;
	}
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
};
