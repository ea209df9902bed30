/* bluesky.c - Bluesky (atproto): mentions, search:Q, thread:URI and own,
 * through an account's app password (a session kept in the state store);
 * search: and thread: also from a public AppView, without one (the
 * account's appview, or Bluesky's) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "adapter.h"
#include "core/json.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/facets.h"

#define DEFAULT_PDS "https://bsky.social"
#define DEFAULT_APPVIEW "https://public.api.bsky.app"
#define PAGE_LIMIT 50
#define MAX_DEPTH 64		/* levels of a thread walked */

static const struct cm_feed feeds[] = {
	{ .name = "mentions", .order = CM_ORDER_NEWEST_FIRST, .account = 1,
	    .lookback = 3600,
	    .help = "posts that mention, reply to or quote the account" },
	{ .name = "search", .arg = "QUERY", .order = CM_ORDER_NEWEST_FIRST,
	    .lookback = 3600, .help = "posts that match QUERY, latest first" },
	{ .name = "thread", .arg = "URI", .order = CM_ORDER_NONE,
	    .help = "a post (at:// URI), its parents and every reply" },
	{ .name = "own", .order = CM_ORDER_NEWEST_FIRST, .account = 1,
	    .lookback = 3600,
	    .help = "the account's own posts and replies (no reposts)" },
	{ .name = NULL }
};

enum feed { F_MENTIONS, F_SEARCH, F_THREAD, F_OWN };
enum step { S_FEED, S_CREATE, S_REFRESH };

/* A post view's fields (or a notification's: the record at "record"). */
enum {
	P_URI, P_CID, P_DID, P_HANDLE, P_DISPLAY, P_FOLLOWERS, P_VERIFIED,
	P_TEXT, P_FACETS, P_CREATED, P_LANGS, P_PARENT_URI, P_PARENT_CID,
	P_ROOT_URI, P_ROOT_CID, P_LIKES, P_REPOSTS, P_REPLIES, P_QUOTES,
	P_INDEXED, P_REASON, NP
};

static const char *const post_paths[NP] = {
	"uri", "cid", "author.did", "author.handle", "author.displayName",
	"author.followersCount", "author.verification.verifiedStatus",
	"record.text", "record.facets", "record.createdAt", "record.langs",
	"record.reply.parent.uri", "record.reply.parent.cid",
	"record.reply.root.uri", "record.reply.root.cid", "likeCount",
	"repostCount", "replyCount", "quoteCount", "indexedAt", "reason"
};

/*
 * A reply (cm-reply): its steps, in order, each once but for the look,
 * which comes first for a send that may have reached the PDS and again
 * after a create that may have.  The session's steps come in where the
 * tokens need them.
 */
enum rstep {
	R_LOOK,		/* getRecord of the rkey: there already? */
	R_POSTS,	/* getPosts of the target: its cid and its root */
	R_RESOLVE,	/* resolveHandle of each mention */
	R_CREATE	/* createRecord at the rkey */
};

#define NO_DID ((size_t)-1)
#define UNRESOLVED ((size_t)-2)

struct job {
	const struct cm_reply *rp;
	enum rstep step;
	const char *target;		/* its at:// URI */
	char rkey[14];			/* a TID (tid_of) */
	struct cm_facet *facets;
	size_t nfacets, resolving;
	size_t *did;			/* a mention's DID in dids, or NO_DID,
					 * UNRESOLVED */
	struct cm_buf dids, cid, root_uri, root_cid, q;
	int have_target;		/* getPosts answered */
	int may_exist;			/* a create may have made the record */
	int after_create;		/* the look is after a create that failed */
};

struct bsky {
	const struct cm_source *src;
	enum feed feed;
	enum step step;
	char *base;			/* the PDS, or the AppView when public */
	const char *user_agent, *cacert;
	struct cm_buf handle, password;
	struct cm_buf did, access, refresh;	/* the session */
	struct cm_json_paths *pp;
	struct cm_buf url, body, s[12], id, link, text, extra, reply, root,
	    tokens;
	const char *tok[3][CM_TEXT_FIELD_MAX];
	int signed_in;			/* with the account's app password */
	int done;
	struct job job;			/* cm-reply's */
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

static void wipe(struct cm_buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->len);
	cm_buf_free(b);
}

static int bsky_check(const struct cm_source *src, struct cm_error *err)
{
	const char *u = key(src, "base_url"), *h;
	struct cm_buf pw = CM_BUF_INIT;
	struct cm_error e;
	int r;

	if (u && cm_http_url_ok(u, &e) < 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] base_url: %s",
		    src->spec, src->account, e.msg);
		return -1;
	}
	if ((u = key(src, "appview")) && cm_http_url_ok(u, &e) < 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] appview: %s",
		    src->spec, src->account, e.msg);
		return -1;
	}
	if (feed_of(src) == F_THREAD && strncmp(src->arg, "at://", 5) != 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: a post is named by its "
		    "at:// URI", src->spec);
		return -1;
	}
	if (!src->has_account)
		return 0;
	if ((h = key(src, "handle")) == NULL || *h == '\0') {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] needs handle "
		    "(the brand's, such as acme.bsky.social)", src->spec,
		    src->account);
		return -1;
	}
	r = cm_config_secret(src->cfg, "account", src->account,
	    "app_password", &pw, err);
	wipe(&pw);
	/* without an app password, the public feeds are read from the
	 * AppView, as for a source without an account */
	if (r == 1 && !src->feed->account)
		return 0;
	if (r == 1) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] needs "
		    "app_password (an app password: env:VAR, file:PATH or "
		    "cmd:COMMAND)", src->spec, src->account);
		return -1;
	}
	return r < 0 ? -1 : 0;
}

static void bsky_close(void *st)
{
	struct bsky *b = st;

	if (b == NULL)
		return;
	free(b->base);
	wipe(&b->handle);
	wipe(&b->password);
	wipe(&b->did);
	wipe(&b->access);
	wipe(&b->refresh);
	wipe(&b->body);
	cm_json_paths_free(b->pp);
	cm_buf_free(&b->url);
	for (size_t i = 0; i < sizeof(b->s) / sizeof(b->s[0]); i++)
		cm_buf_free(&b->s[i]);
	cm_buf_free(&b->id);
	cm_buf_free(&b->link);
	cm_buf_free(&b->text);
	cm_buf_free(&b->extra);
	cm_buf_free(&b->reply);
	cm_buf_free(&b->root);
	cm_buf_free(&b->tokens);
	free(b->job.facets);
	free(b->job.did);
	cm_buf_free(&b->job.dids);
	cm_buf_free(&b->job.cid);
	cm_buf_free(&b->job.root_uri);
	cm_buf_free(&b->job.root_cid);
	cm_buf_free(&b->job.q);
	free(b);
}

/* A string member of obj[0..n) into b; 0, -1 when absent or not one. */
static int member(const char *obj, size_t n, const char *path,
    struct cm_buf *b)
{
	struct cm_json_value v;

	cm_buf_reset(b);
	if (!cm_json_get(obj, n, path, &v) || v.type != CM_JSON_STRING)
		return -1;
	return cm_json_string(&v, b);
}

/* The session kept in the store: {"did", "access", "refresh"}. */
static void load_session(struct bsky *b)
{
	struct cm_buf s = CM_BUF_INIT;
	struct cm_error err;

	if (b->src->st == NULL || cm_state_session_get(b->src->st,
	    b->src->account, &s, &err) != 1)
		goto out;
	if (member(s.data, s.len, "did", &b->did) < 0 ||
	    member(s.data, s.len, "access", &b->access) < 0 ||
	    member(s.data, s.len, "refresh", &b->refresh) < 0) {
		wipe(&b->did);
		wipe(&b->access);
		wipe(&b->refresh);
	}
out:
	wipe(&s);
}

static void save_session(struct bsky *b)
{
	struct cm_buf s = CM_BUF_INIT;
	struct cm_error err;

	if (b->src->st == NULL)
		return;
	if (cm_buf_adds(&s, "{\"did\":") == 0 &&
	    cm_buf_add_json_string(&s, b->did.data, b->did.len) == 0 &&
	    cm_buf_adds(&s, ",\"access\":") == 0 &&
	    cm_buf_add_json_string(&s, b->access.data, b->access.len) == 0 &&
	    cm_buf_adds(&s, ",\"refresh\":") == 0 &&
	    cm_buf_add_json_string(&s, b->refresh.data, b->refresh.len) == 0 &&
	    cm_buf_addc(&s, '}') == 0)
		(void)cm_state_session_set(b->src->st, b->src->account, s.data,
		    &err);
	wipe(&s);
}

static void *bsky_open(const struct cm_source *src, struct cm_error *err)
{
	struct bsky *b;
	const char *u;
	size_t n;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		goto nomem;
	b->src = src;
	/* a reply's source has no feed */
	b->feed = src->feed ? (enum feed)feed_of(src) : F_MENTIONS;
	b->user_agent = key(src, "user_agent");
	b->cacert = key(src, "cacert");
	if (src->has_account) {
		const char *h = key(src, "handle");
		int r;

		if (cm_buf_adds(&b->handle, h + strspn(h, "@")) < 0)
			goto nomem;
		r = cm_config_secret(src->cfg, "account", src->account,
		    "app_password", &b->password, err);
		if (r < 0 || (r == 1 && src->feed && src->feed->account)) {
			bsky_close(b);
			return NULL;
		}
		b->signed_in = r == 0;
	}
	/* signed in: everything through the PDS, which proxies app.bsky.*
	 * to its AppView; else the AppView's public reads */
	u = b->signed_in ? key(src, "base_url") : key(src, "appview");
	if (u == NULL)
		u = b->signed_in ? DEFAULT_PDS : DEFAULT_APPVIEW;
	if ((b->base = strdup(u)) == NULL)
		goto nomem;
	for (n = strlen(b->base); n > 0 && b->base[n - 1] == '/'; n--)
		b->base[n - 1] = '\0';
	if (b->signed_in) {
		load_session(b);
		b->step = b->access.len ? S_FEED : S_CREATE;
	}
	if ((b->pp = cm_json_paths_new(post_paths, NP)) == NULL)
		goto nomem;
	return b;
nomem:
	bsky_close(b);
	cm_error_nomem(err, src->spec);
	return NULL;
}

/* The request of a sign-in step (S_CREATE, S_REFRESH): 1, -1 on ENOMEM. */
static int session_request(struct bsky *b, struct cm_http_req *req,
    struct cm_error *err)
{
	struct cm_buf *u = &b->url;
	int r = 0;

	cm_buf_reset(u);
	if (b->step == S_CREATE) {
		wipe(&b->body);
		r |= cm_buf_printf(u, "%s/xrpc/com.atproto.server."
		    "createSession", b->base);
		r |= cm_buf_adds(&b->body, "{\"identifier\":") |
		    cm_buf_add_json_string(&b->body, b->handle.data,
		    b->handle.len) | cm_buf_adds(&b->body, ",\"password\":") |
		    cm_buf_add_json_string(&b->body, b->password.data,
		    b->password.len) | cm_buf_addc(&b->body, '}');
		if (r < 0)
			goto nomem;
		req->url = u->data;
		req->method = "POST";
		req->body = b->body.data;
		req->body_len = b->body.len;
		req->content_type = "application/json";
		/* the body holds the password: -v and --dry-run say only
		 * that there is a body */
		return 1;
	}
	if (b->step == S_REFRESH) {
		r |= cm_buf_printf(u, "%s/xrpc/com.atproto.server."
		    "refreshSession", b->base);
		if (r < 0)
			goto nomem;
		req->url = u->data;
		req->method = "POST";
		req->bearer = b->refresh.data;
		return 1;
	}
	return 0;
nomem:
	cm_error_nomem(err, b->src->spec);
	return -1;
}

static int bsky_request(void *st, const char *cursor,
    struct cm_http_req *req, struct cm_http_opts *o, struct cm_error *err)
{
	struct bsky *b = st;
	struct cm_buf *u = &b->url;
	int r = 0;

	cm_buf_reset(u);
	o->user_agent = b->user_agent;
	o->cacert = b->cacert;
	req->headers[0] = "Accept: application/json";
	if (b->step != S_FEED)
		return session_request(b, req, err);
	if (b->done)
		return 0;
	r |= cm_buf_printf(u, "%s/xrpc/", b->base);
	switch (b->feed) {
	case F_MENTIONS:
		/* The server leaves out likes, follows and reposts (up to
		 * ten of its pages a request): fewer requests for a brand
		 * that is liked more than it is talked to. */
		r |= cm_buf_printf(u, "app.bsky.notification.listNotifications"
		    "?limit=%d&reasons=mention&reasons=reply&reasons=quote",
		    PAGE_LIMIT);
		break;
	case F_SEARCH:
		r |= cm_buf_printf(u, "app.bsky.feed.searchPosts?sort=latest&"
		    "limit=%d&q=", PAGE_LIMIT) | cm_buf_add_pcts(u, b->src->arg);
		break;
	case F_THREAD:
		r |= cm_buf_printf(u, "app.bsky.feed.getPostThread?depth=%d&"
		    "parentHeight=%d&uri=", MAX_DEPTH, MAX_DEPTH) |
		    cm_buf_add_pcts(u, b->src->arg);
		cursor = NULL;
		break;
	case F_OWN:
		r |= cm_buf_printf(u, "app.bsky.feed.getAuthorFeed?filter="
		    "posts_with_replies&limit=%d&actor=", PAGE_LIMIT) |
		    cm_buf_add_pcts(u, b->did.len ? b->did.data : b->handle.data);
		break;
	}
	if (cursor)
		r |= cm_buf_adds(u, "&cursor=") | cm_buf_add_pcts(u, cursor);
	if (r < 0)
		goto nomem;
	req->url = u->data;
	req->bearer = b->access.len ? b->access.data : NULL;
	return 1;
nomem:
	cm_error_nomem(err, b->src->spec);
	return -1;
}

/* RateLimit-Reset is epoch seconds. */
static void bsky_budget(const struct cm_http_resp *resp, struct cm_budget *bu)
{
	static const char *const names[3] = { "ratelimit-limit",
	    "ratelimit-remaining", "ratelimit-reset" };
	double v[3];
	char buf[64];
	const char *h;
	size_t n;

	memset(bu, 0, sizeof(*bu));
	for (int i = 0; i < 3; i++) {
		if ((h = cm_http_header(resp, names[i], &n)) == NULL ||
		    n >= sizeof(buf))
			return;
		memcpy(buf, h, n);
		buf[n] = '\0';
		v[i] = strtod(buf, NULL);
	}
	bu->known = 1;
	bu->limit = v[0];
	bu->remaining = v[1];
	/* whole epoch seconds, cut down: the window may run one more */
	bu->reset_at = v[2] + 1;
}

static const char *cstr(const struct cm_json_value *v, struct cm_buf *b)
{
	cm_buf_reset(b);
	if (v->type != CM_JSON_STRING || cm_json_string(v, b) < 0)
		return NULL;
	return b->data ? b->data : "";
}

static int64_t count_of(const struct cm_json_value *v)
{
	int64_t n;

	return v->type == CM_JSON_NUMBER && cm_json_int64(v, &n) == 0 &&
	    n >= 0 ? n : CM_REC_NULL;
}

/* Microseconds of an ISO time with its fraction. */
static int64_t order_of(const struct cm_json_value *v)
{
	int64_t us;

	if (v->type != CM_JSON_STRING)
		return 0;
	return cm_time_parse_us(v->raw + 1, v->len - 2, &us) < 0 ? 0 : us;
}

/*
 * The facets of a post: mentions, links and tags, from their features;
 * a mention as the text it covers (UTF-8 byte offsets), less its '@'.
 * The strings go into b->tokens, NUL-separated; the arrays point there.
 */
static int facets(struct bsky *b, const struct cm_json_value *fv,
    const char *text, size_t tlen, struct cm_rec *rec)
{
	struct cm_json_value facet, feat, ty, v;
	size_t fpos = 0, ppos, off[3][CM_TEXT_FIELD_MAX], n[3] = { 0 };
	int64_t start, end;
	int k;

	cm_buf_reset(&b->tokens);
	while (fv->type == CM_JSON_ARRAY &&
	    cm_json_each(fv, &fpos, NULL, &facet)) {
		struct cm_json_value feats;

		if (!cm_json_get(facet.raw, facet.len, "features", &feats))
			continue;
		ppos = 0;
		while (cm_json_each(&feats, &ppos, NULL, &feat)) {
			size_t at = b->tokens.len;

			if (!cm_json_get(feat.raw, feat.len, "$type", &ty))
				continue;
			if (cm_json_string_eq(&ty,
			    "app.bsky.richtext.facet#mention")) {
				if (!cm_json_get(facet.raw, facet.len,
				    "index.byteStart", &v) ||
				    cm_json_int64(&v, &start) < 0 ||
				    !cm_json_get(facet.raw, facet.len,
				    "index.byteEnd", &v) ||
				    cm_json_int64(&v, &end) < 0 || start < 0 ||
				    end > (int64_t)tlen || start >= end)
					continue;
				if (text[start] == '@')
					start++;
				k = 1;
				if (cm_buf_add(&b->tokens, text + start,
				    (size_t)(end - start)) < 0)
					return -1;
			} else if (cm_json_string_eq(&ty,
			    "app.bsky.richtext.facet#link")) {
				k = 2;
				if (!cm_json_get(feat.raw, feat.len, "uri", &v) ||
				    cm_json_string(&v, &b->tokens) < 0)
					continue;
			} else if (cm_json_string_eq(&ty,
			    "app.bsky.richtext.facet#tag")) {
				struct cm_buf t = CM_BUF_INIT;

				k = 0;
				if (!cm_json_get(feat.raw, feat.len, "tag", &v) ||
				    cm_json_string(&v, &t) < 0 ||
				    cm_text_lower(&b->tokens, t.data ? t.data :
				    "", t.len) < 0) {
					cm_buf_free(&t);
					continue;
				}
				cm_buf_free(&t);
			} else
				continue;
			if (cm_buf_addc(&b->tokens, '\0') < 0)
				return -1;
			/* each once, in order */
			for (size_t i = 0; i < n[k]; i++)
				if (strcmp(b->tokens.data + off[k][i],
				    b->tokens.data + at) == 0) {
					b->tokens.len = at;
					goto next;
				}
			if (n[k] < CM_TEXT_FIELD_MAX)
				off[k][n[k]++] = at;
			else
				b->tokens.len = at;
next:
			;
		}
	}
	for (k = 0; k < 3; k++)
		for (size_t i = 0; i < n[k]; i++)
			b->tok[k][i] = b->tokens.data + off[k][i];
	rec->tags = b->tok[0];
	rec->ntags = n[0];
	rec->mentions = b->tok[1];
	rec->nmentions = n[1];
	rec->links = b->tok[2];
	rec->nlinks = n[2];
	rec->tokens_given = 1;
	return 0;
}

/*
 * A post view (or a notification, whose post is at "record") to a record.
 * Returns what the sink says, 0 for none, -1 out of memory.
 */
static int post_record(struct bsky *b, const struct cm_json_value *pv,
    const char *reason, struct cm_sink *sink)
{
	struct cm_json_value v[NP], lang;
	struct cm_json_error jerr;
	struct cm_rec rec;
	const char *uri, *handle, *rkey;
	size_t lpos = 0;
	int r;

	if (pv->type != CM_JSON_OBJECT ||
	    cm_json_scan(pv->raw, pv->len, 0, b->pp, v, &jerr) < 0)
		return 0;
	if ((uri = cstr(&v[P_URI], &b->s[0])) == NULL ||
	    v[P_CREATED].type != CM_JSON_STRING)
		return 0;
	cm_rec_init(&rec);
	cm_buf_reset(&b->id);
	if (cm_buf_printf(&b->id, "bluesky:%s", uri) < 0)
		return -1;
	rec.id = b->id.data;
	rec.platform = "bluesky";
	if (cm_time_parse(v[P_CREATED].raw + 1, v[P_CREATED].len - 2,
	    &rec.created_at) < 0)
		return 0;
	rec.author.id = cstr(&v[P_DID], &b->s[1]);
	handle = cstr(&v[P_HANDLE], &b->s[2]);
	rec.author.handle = handle;
	rec.author.name = cstr(&v[P_DISPLAY], &b->s[3]);
	if (rec.author.name == NULL || *rec.author.name == '\0')
		rec.author.name = handle;
	cm_buf_reset(&b->s[4]);
	if (cm_buf_printf(&b->s[4], "https://bsky.app/profile/%s",
	    handle ? handle : rec.author.id ? rec.author.id : "") < 0)
		return -1;
	rec.author.url = b->s[4].data;
	rec.author.followers = count_of(&v[P_FOLLOWERS]);
	rec.author.verified = cm_json_string_eq(&v[P_VERIFIED], "valid");
	rec.author.is_brand = (b->did.len && rec.author.id &&
	    strcmp(rec.author.id, b->did.data) == 0) ||
	    (b->handle.len && handle && strcasecmp(handle, b->handle.data) ==
	    0);
	rkey = strrchr(uri, '/');
	cm_buf_reset(&b->link);
	if (cm_buf_printf(&b->link, "%s/post/%s", b->s[4].data, rkey ? rkey +
	    1 : "") < 0)
		return -1;
	rec.url = b->link.data;
	cm_buf_reset(&b->text);
	if (v[P_TEXT].type == CM_JSON_STRING &&
	    cm_json_string(&v[P_TEXT], &b->text) < 0)
		return -1;
	rec.text = b->text.data ? b->text.data : "";
	rec.text_len = b->text.len;
	if (facets(b, &v[P_FACETS], rec.text, rec.text_len, &rec) < 0)
		return -1;
	if (cm_json_each(&v[P_LANGS], &lpos, NULL, &lang))
		rec.lang = cstr(&lang, &b->s[5]);
	cm_buf_reset(&b->reply);
	cm_buf_reset(&b->root);
	if (v[P_PARENT_URI].type == CM_JSON_STRING) {
		if (cm_buf_adds(&b->reply, "bluesky:") < 0 ||
		    cm_json_string(&v[P_PARENT_URI], &b->reply) < 0 ||
		    cm_buf_adds(&b->root, "bluesky:") < 0 ||
		    (v[P_ROOT_URI].type == CM_JSON_STRING ?
		    cm_json_string(&v[P_ROOT_URI], &b->root) :
		    cm_buf_add(&b->root, b->reply.data + 8, b->reply.len - 8)) <
		    0)
			return -1;
		rec.in_reply_to = b->reply.data;
		rec.thread = b->root.data;
	}
	rec.kind = rec.in_reply_to ? "reply" : "post";
	rec.reason = reason ? reason : "reply";
	if (b->feed == F_THREAD)
		rec.reason = rec.author.is_brand ? "own" : "reply";
	if (b->feed == F_MENTIONS) {
		/* the notification's reason */
		if (cm_json_string_eq(&v[P_REASON], "mention"))
			rec.reason = "mention";
		else if (cm_json_string_eq(&v[P_REASON], "reply"))
			rec.reason = "reply";
		else if (cm_json_string_eq(&v[P_REASON], "quote"))
			rec.reason = "quote";
		else
			return 0;	/* likes, follows, reposts */
	}
	rec.likes = count_of(&v[P_LIKES]);
	rec.reposts = count_of(&v[P_REPOSTS]);
	rec.replies = count_of(&v[P_REPLIES]);
	rec.quotes = count_of(&v[P_QUOTES]);
	/* what a reply to it needs: its strong reference and its root's */
	cm_buf_reset(&b->extra);
	r = cm_buf_adds(&b->extra, "{\"uri\":") |
	    cm_buf_add(&b->extra, v[P_URI].raw, v[P_URI].len) |
	    cm_buf_adds(&b->extra, ",\"cid\":");
	r |= v[P_CID].type == CM_JSON_STRING ? cm_buf_add(&b->extra,
	    v[P_CID].raw, v[P_CID].len) : cm_buf_adds(&b->extra, "null");
	r |= cm_buf_adds(&b->extra, ",\"root\":");
	if (v[P_ROOT_URI].type == CM_JSON_STRING &&
	    v[P_ROOT_CID].type == CM_JSON_STRING)
		r |= cm_buf_adds(&b->extra, "{\"uri\":") |
		    cm_buf_add(&b->extra, v[P_ROOT_URI].raw,
		    v[P_ROOT_URI].len) | cm_buf_adds(&b->extra, ",\"cid\":") |
		    cm_buf_add(&b->extra, v[P_ROOT_CID].raw,
		    v[P_ROOT_CID].len) | cm_buf_addc(&b->extra, '}');
	else
		r |= cm_buf_adds(&b->extra, "null");
	r |= cm_buf_addc(&b->extra, '}');
	if (r < 0)
		return -1;
	rec.extra_name = "bluesky";
	rec.extra = b->extra.data;
	rec.extra_len = b->extra.len;
	rec.raw = pv->raw;
	rec.raw_len = pv->len;
	return sink->record(sink->ctx, &rec, order_of(&v[P_INDEXED]));
}

/* A thread view: its parents, the post, and its replies, walked. */
static int walk_thread(struct bsky *b, const struct cm_json_value *tv,
    struct cm_sink *sink, int up, int depth)
{
	struct cm_json_value post, parent, replies, el;
	size_t pos = 0;
	int rc;

	if (tv->type != CM_JSON_OBJECT || depth > MAX_DEPTH)
		return 0;
	if (up && cm_json_get(tv->raw, tv->len, "parent", &parent) &&
	    (rc = walk_thread(b, &parent, sink, 1, depth + 1)) != 0)
		return rc;
	/* a blocked or deleted post has no "post" */
	if (cm_json_get(tv->raw, tv->len, "post", &post) &&
	    (rc = post_record(b, &post, NULL, sink)) != 0)
		return rc;
	if (up && depth > 0)
		return 0;	/* a parent's other replies are not walked */
	if (cm_json_get(tv->raw, tv->len, "replies", &replies))
		while (cm_json_each(&replies, &pos, NULL, &el))
			if ((rc = walk_thread(b, &el, sink, 0, depth + 1)) != 0)
				return rc;
	return 0;
}

/* The XRPC error name of an answer, into e. */
static void xrpc_error(const struct cm_http_resp *resp, struct cm_buf *e)
{
	struct cm_json_error jerr;

	cm_buf_reset(e);
	if (resp->body.len && cm_json_scan(resp->body.data, resp->body.len, 0,
	    NULL, NULL, &jerr) == 0)
		(void)member(resp->body.data, resp->body.len, "error", e);
}

/*
 * The answer to a sign-in step: 0 with the session made (and kept), the
 * step S_FEED; 0 with the step S_CREATE when a refresh was refused (the
 * refresh token is gone too: sign in); -1 when the PDS refused the app
 * password.  e holds the answer's XRPC error.
 */
static int session_response(struct bsky *b, const struct cm_http_resp *resp,
    const struct cm_buf *e, struct cm_error *err)
{
	const char *body = resp->body.data ? resp->body.data : "";
	size_t len = resp->body.len;

	if (resp->status != 200 || member(body, len, "accessJwt", &b->access) <
	    0 || member(body, len, "refreshJwt", &b->refresh) < 0 ||
	    member(body, len, "did", &b->did) < 0) {
		if (b->step == S_REFRESH) {
			b->step = S_CREATE;
			return 0;
		}
		cm_error_set(err, CM_EXIT_FAIL, "%s: the PDS refused the app "
		    "password of [account %s] (%ld%s%.80s)", b->src->spec,
		    b->src->account, resp->status, e->len ? ": " : "",
		    e->len ? e->data : "");
		return -1;
	}
	save_session(b);
	b->step = S_FEED;
	return 0;
}

/*
 * Whether the answer refused the access token: then the step is the one
 * that mends it (an expired token is a 400 ExpiredToken, not 401:
 * refresh; one the PDS does not know, or none: sign in) and the request
 * is to be asked for again.
 */
static int auth_failed(struct bsky *b, const struct cm_http_resp *resp,
    const struct cm_buf *e)
{
	if (!b->signed_in || (resp->status != 400 && resp->status != 401) ||
	    e->len == 0)
		return 0;
	if (strcmp(e->data, "ExpiredToken") == 0 && b->refresh.len) {
		b->step = S_REFRESH;
		return 1;
	}
	if (strcmp(e->data, "InvalidToken") == 0 ||
	    strcmp(e->data, "AuthMissing") == 0 ||
	    strcmp(e->data, "ExpiredToken") == 0) {
		b->step = S_CREATE;
		return 1;
	}
	return 0;
}

static int bsky_response(void *st, const struct cm_http_resp *resp,
    struct cm_sink *sink, struct cm_buf *next, double *retry_after,
    struct cm_error *err)
{
	struct bsky *b = st;
	struct cm_json_value body, list, el, post, reason;
	struct cm_json_error jerr;
	struct cm_buf *e = &b->s[11];
	size_t pos = 0;
	int rc = 0;

	*retry_after = -1;
	body.raw = resp->body.data ? resp->body.data : "";
	body.len = resp->body.len;
	body.type = CM_JSON_OBJECT;
	xrpc_error(resp, e);
	if (b->step != S_FEED)
		return session_response(b, resp, e, err) < 0 ? -1 :
		    CM_PAGE_AGAIN;
	if (auth_failed(b, resp, e))
		return CM_PAGE_AGAIN;
	if (resp->status != 200) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %s answered %ld%s%.120s",
		    b->src->spec, b->base, resp->status, e->len ? ": " : "",
		    e->len ? e->data : "");
		return -1;
	}
	if (cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0) {
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s sent no JSON (at "
		    "byte %zu: %s)", b->src->spec, b->base, jerr.offset + 1,
		    jerr.msg);
		return CM_PAGE_RETRY;
	}
	switch (b->feed) {
	case F_THREAD:
		b->done = 1;
		if (!cm_json_get(body.raw, body.len, "thread", &el))
			goto shape;
		if ((rc = walk_thread(b, &el, sink, 1, 0)) < 0)
			goto nomem;
		return CM_PAGE_DONE;
	case F_MENTIONS:
		if (!cm_json_get(body.raw, body.len, "notifications", &list))
			goto shape;
		while (rc == 0 && cm_json_each(&list, &pos, NULL, &el))
			rc = post_record(b, &el, NULL, sink);
		break;
	case F_SEARCH:
		if (!cm_json_get(body.raw, body.len, "posts", &list))
			goto shape;
		while (rc == 0 && cm_json_each(&list, &pos, NULL, &el))
			rc = post_record(b, &el, "search", sink);
		break;
	case F_OWN:
		if (!cm_json_get(body.raw, body.len, "feed", &list))
			goto shape;
		while (rc == 0 && cm_json_each(&list, &pos, NULL, &el)) {
			/* a repost has a reason: not the brand's writing */
			if (cm_json_get(el.raw, el.len, "reason", &reason) ||
			    !cm_json_get(el.raw, el.len, "post", &post))
				continue;
			rc = post_record(b, &post, "own", sink);
		}
		break;
	}
	if (rc < 0)
		goto nomem;
	/* A page may be empty and still carry a cursor: the end is a page
	 * without one. */
	if (rc == 0 && member(body.raw, body.len, "cursor", next) < 0)
		cm_buf_reset(next);
	if (rc == 1)
		cm_buf_reset(next);
	return CM_PAGE_DONE;
shape:
	cm_error_set(err, CM_EXIT_FAIL, "%s: %s sent JSON of another shape "
	    "than Bluesky's", b->src->spec, b->base);
	return -1;
nomem:
	cm_error_nomem(err, b->src->spec);
	return -1;
}

/* --dry-run: the session taken as made (its token shown masked). */
static int bsky_dry_step(void *st)
{
	struct bsky *b = st;

	if (b->step != S_CREATE && b->step != S_REFRESH)
		return 0;
	b->step = S_FEED;
	wipe(&b->access);
	return cm_buf_adds(&b->access, "dry-run") < 0 ? 0 : 1;
}

/* ---- replies (cm-reply) ---- */

/*
 * The record key of a reply: a TID (13 characters of base32-sortable, a
 * 64-bit number whose top bit is 0, then 53 bits of microseconds and 10
 * of a clock id) made from the idempotency key alone, so that every send
 * of one reply names one record, and the PDS refuses a second create of
 * it.  The key's first 64 bits (16 hex digits) give the microseconds,
 * 1600000000000000 (2020-09-13T12:26:40Z) plus their top 47 bits (a time
 * before 2025-02-25: never one in the future, which a TID should not be),
 * and the clock id, their low 10 bits.
 */
#define TID_BASE_US 1600000000000000ULL

static void tid_of(const char *key, char out[14])
{
	static const char b32[] = "234567abcdefghijklmnopqrstuvwxyz";
	uint64_t h = 0, v;

	for (int i = 0; i < 16 && key[i]; i++) {
		char c = key[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
		    c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
		    c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 0;

		h = h << 4 | d;
	}
	v = (TID_BASE_US + (h >> 17)) << 10 | (h & 0x3FF);
	for (int i = 12; i >= 0; i--) {
		out[i] = b32[v & 31];
		v >>= 5;
	}
	out[13] = '\0';
}

static void *bsky_reply_open(const struct cm_source *src,
    struct cm_error *err)
{
	const char *u = key(src, "base_url"), *h = key(src, "handle");
	struct cm_error e;
	struct bsky *b;

	if (!src->has_account) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: a reply on Bluesky is "
		    "sent through an [account] section", src->spec);
		return NULL;
	}
	if (u && cm_http_url_ok(u, &e) < 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] base_url: %s",
		    src->spec, src->account, e.msg);
		return NULL;
	}
	if (h == NULL || *h == '\0') {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] needs handle "
		    "(the brand's, such as acme.bsky.social)", src->spec,
		    src->account);
		return NULL;
	}
	if ((b = bsky_open(src, err)) == NULL)
		return NULL;
	if (!b->signed_in) {
		bsky_close(b);
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] needs "
		    "app_password to reply (an app password: env:VAR, "
		    "file:PATH or cmd:COMMAND)", src->spec, src->account);
		return NULL;
	}
	return b;
}

static int bsky_reply_start(void *st, const struct cm_reply *rp,
    struct cm_error *err)
{
	struct bsky *b = st;
	struct job *j = &b->job;
	size_t n, len = strlen(rp->text);

	if (strncmp(rp->target, "bluesky:at://", 13) != 0) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %s is not a Bluesky post",
		    b->src->spec, rp->target);
		return -1;
	}
	j->rp = rp;
	j->target = rp->target + 8;
	tid_of(rp->key, j->rkey);
	free(j->facets);
	free(j->did);
	j->facets = NULL;
	j->did = NULL;
	n = cm_facets_find(rp->text, len, NULL, 0);
	if (n && ((j->facets = calloc(n, sizeof(*j->facets))) == NULL ||
	    (j->did = calloc(n, sizeof(*j->did))) == NULL)) {
		cm_error_nomem(err, b->src->spec);
		return -1;
	}
	j->nfacets = cm_facets_find(rp->text, len, j->facets, n);
	for (size_t i = 0; i < n; i++)
		j->did[i] = UNRESOLVED;
	cm_buf_reset(&j->dids);
	j->resolving = 0;
	j->have_target = 0;
	j->after_create = 0;
	/* An earlier send may have made the record: look before anything
	 * else (then nothing more is needed). */
	j->may_exist = rp->unknown;
	j->step = j->may_exist ? R_LOOK : R_POSTS;
	return 0;
}

/* The mention i's handle: text[start+1..end). */
static const char *mention_of(const struct job *j, size_t i, size_t *n)
{
	*n = j->facets[i].end - j->facets[i].start - 1;
	return j->rp->text + j->facets[i].start + 1;
}

/*
 * The step after the target is known: a mention not yet resolved (one
 * whose handle came before takes that one's DID), else the create.
 */
static void next_step(struct job *j)
{
	for (; j->resolving < j->nfacets; j->resolving++) {
		size_t i = j->resolving, n, m;
		const char *h;

		if (j->facets[i].kind != CM_FACET_MENTION ||
		    j->did[i] != UNRESOLVED)
			continue;
		h = mention_of(j, i, &n);
		for (size_t k = 0; k < i; k++) {
			const char *g;

			if (j->facets[k].kind != CM_FACET_MENTION)
				continue;
			g = mention_of(j, k, &m);
			if (m == n && strncasecmp(g, h, n) == 0) {
				j->did[i] = j->did[k];
				break;
			}
		}
		if (j->did[i] == UNRESOLVED) {
			j->step = R_RESOLVE;
			return;
		}
	}
	j->step = R_CREATE;
}

/* createdAt: now, in milliseconds, as atproto's datetimes are written. */
static int add_now(struct cm_buf *b)
{
	struct timespec ts;
	char t[21];

	clock_gettime(CLOCK_REALTIME, &ts);
	cm_time_format((int64_t)ts.tv_sec, t);
	t[19] = '\0';	/* the Z, after the fraction */
	return cm_buf_printf(b, "\"%s.%03ldZ\"", t, ts.tv_nsec / 1000000);
}

/* A strong reference {"uri","cid"}. */
static int add_ref(struct cm_buf *b, const char *uri, size_t ulen,
    const struct cm_buf *cid)
{
	return cm_buf_adds(b, "{\"uri\":") | cm_buf_add_json_string(b, uri,
	    ulen) | cm_buf_adds(b, ",\"cid\":") | cm_buf_add_json_string(b,
	    cid->data ? cid->data : "", cid->len) | cm_buf_addc(b, '}');
}

/* The createRecord body: the post, its strong references, its facets
 * (a mention whose handle did not resolve has none). */
static int create_body(struct bsky *b, struct cm_buf *o)
{
	struct job *j = &b->job;
	const char *text = j->rp->text;
	int r, first = 1;

	cm_buf_reset(o);
	r = cm_buf_adds(o, "{\"repo\":") |
	    cm_buf_add_json_string(o, b->did.data, b->did.len) |
	    cm_buf_adds(o, ",\"collection\":\"app.bsky.feed.post\",\"rkey\":") |
	    cm_buf_add_json_string(o, j->rkey, strlen(j->rkey)) |
	    cm_buf_adds(o, ",\"validate\":true,\"record\":{\"$type\":"
	    "\"app.bsky.feed.post\",\"text\":") |
	    cm_buf_add_json_string(o, text, strlen(text)) |
	    cm_buf_adds(o, ",\"createdAt\":") | add_now(o) |
	    cm_buf_adds(o, ",\"reply\":{\"root\":") |
	    add_ref(o, j->root_uri.data, j->root_uri.len, &j->root_cid) |
	    cm_buf_adds(o, ",\"parent\":") |
	    add_ref(o, j->target, strlen(j->target), &j->cid) |
	    cm_buf_addc(o, '}');
	for (size_t i = 0; i < j->nfacets; i++) {
		const struct cm_facet *f = &j->facets[i];

		if (f->kind == CM_FACET_MENTION && (j->did[i] == NO_DID ||
		    j->did[i] == UNRESOLVED))
			continue;
		r |= cm_buf_adds(o, first ? ",\"facets\":[" : ",");
		first = 0;
		r |= cm_buf_printf(o, "{\"index\":{\"byteStart\":%zu,"
		    "\"byteEnd\":%zu},\"features\":[{\"$type\":\"app.bsky."
		    "richtext.facet#", f->start, f->end);
		switch (f->kind) {
		case CM_FACET_MENTION:
			r |= cm_buf_adds(o, "mention\",\"did\":") |
			    cm_buf_add_json_string(o, j->dids.data + j->did[i],
			    strlen(j->dids.data + j->did[i]));
			break;
		case CM_FACET_LINK:
			r |= cm_buf_adds(o, "link\",\"uri\":") |
			    cm_buf_add_json_string(o, text + f->start,
			    f->end - f->start);
			break;
		case CM_FACET_TAG:
			r |= cm_buf_adds(o, "tag\",\"tag\":") |
			    cm_buf_add_json_string(o, text + f->start + 1,
			    f->end - f->start - 1);
			break;
		}
		r |= cm_buf_adds(o, "}]}");
	}
	if (!first)
		r |= cm_buf_addc(o, ']');
	r |= cm_buf_adds(o, "}}");
	return r < 0 ? -1 : 0;
}

static int bsky_reply_request(void *st, struct cm_http_req *req,
    struct cm_http_opts *o, struct cm_error *err)
{
	struct bsky *b = st;
	struct job *j = &b->job;
	struct cm_buf *u = &b->url;
	const char *h;
	size_t n;
	int r;

	cm_buf_reset(u);
	o->user_agent = b->user_agent;
	o->cacert = b->cacert;
	req->headers[0] = "Accept: application/json";
	if (b->step != S_FEED)
		return session_request(b, req, err);
	r = cm_buf_printf(u, "%s/xrpc/", b->base);
	switch (j->step) {
	case R_LOOK:
		r |= cm_buf_adds(u, "com.atproto.repo.getRecord?repo=") |
		    cm_buf_add_pcts(u, b->did.data ? b->did.data : "") |
		    cm_buf_printf(u, "&collection=app.bsky.feed.post&rkey=%s",
		    j->rkey);
		break;
	case R_POSTS:
		r |= cm_buf_adds(u, "app.bsky.feed.getPosts?uris=") |
		    cm_buf_add_pcts(u, j->target);
		break;
	case R_RESOLVE:
		h = mention_of(j, j->resolving, &n);
		r |= cm_buf_adds(u, "com.atproto.identity.resolveHandle?"
		    "handle=") | cm_buf_add_pct(u, h, n);
		break;
	case R_CREATE:
		r |= cm_buf_adds(u, "com.atproto.repo.createRecord") |
		    create_body(b, &b->body);
		req->method = "POST";
		req->body = b->body.data;
		req->body_len = b->body.len;
		req->content_type = "application/json";
		/* the post, its text and references: no secret */
		req->body_public = 1;
		break;
	}
	if (r < 0) {
		cm_error_nomem(err, b->src->spec);
		return -1;
	}
	req->url = u->data;
	req->bearer = b->access.data;
	return 1;
}

/* The wait a 429 asks for: Retry-After, else RateLimit-Reset (epoch
 * seconds), else none (-1). */
static double wait_of(const struct cm_http_resp *resp)
{
	char buf[32], *end;
	const char *h;
	size_t n;
	double v;

	if ((h = cm_http_header(resp, "retry-after", &n)) != NULL &&
	    n < sizeof(buf)) {
		memcpy(buf, h, n);
		buf[n] = '\0';
		/* seconds; an HTTP date is left to RateLimit-Reset */
		if ((v = strtod(buf, &end)) >= 0 && end != buf && *end == '\0')
			return v;
	}
	if ((h = cm_http_header(resp, "ratelimit-reset", &n)) != NULL &&
	    n < sizeof(buf)) {
		memcpy(buf, h, n);
		buf[n] = '\0';
		v = strtod(buf, NULL) - (double)time(NULL);
		return v > 0 ? v : 0;
	}
	return -1;
}

/* The platform's reason, "Error: message", into out->msg; -1 ENOMEM. */
static int refused(const struct cm_http_resp *resp, const struct cm_buf *e,
    struct cm_reply_out *out)
{
	struct cm_buf m = CM_BUF_INIT;
	struct cm_json_error jerr;
	size_t n;
	int r;

	if (resp->body.len && cm_json_scan(resp->body.data, resp->body.len, 0,
	    NULL, NULL, &jerr) == 0)
		(void)member(resp->body.data, resp->body.len, "message", &m);
	/* at most 300 bytes of it, cut where a character starts */
	for (n = m.len > 300 ? 300 : m.len; n > 0 && n < m.len &&
	    ((unsigned char)m.data[n] & 0xC0) == 0x80; n--)
		;
	cm_buf_reset(&out->msg);
	r = cm_buf_printf(&out->msg, "%ld %s%s%.*s", resp->status,
	    e->len ? e->data : "error", n ? ": " : "", (int)n,
	    m.data ? m.data : "");
	cm_buf_free(&m);
	return r;
}

/*
 * DONE: the reply's id and where a person opens it.  Both are the
 * account's DID and the record key, which the job chose: an answer's
 * "uri" says nothing more (and is not taken on trust).
 */
static int reply_done(struct bsky *b, struct cm_reply_out *out, int found)
{
	struct job *j = &b->job;
	int r;

	cm_buf_reset(&out->id);
	cm_buf_reset(&out->url);
	r = cm_buf_printf(&out->id, "bluesky:at://%s/app.bsky.feed.post/%s",
	    b->did.data, j->rkey);
	r |= cm_buf_printf(&out->url, "https://bsky.app/profile/%s/post/%s",
	    b->handle.data, j->rkey);
	out->found = found;
	return r < 0 ? -1 : CM_REPLY_DONE;
}

static const char *const rstep_names[] = { "getRecord", "getPosts",
	"resolveHandle", "createRecord" };

/* RETRY, with the reason in *err: the step, and the answer or what
 * stood for none. */
static int retry(const struct bsky *b, const struct cm_http_resp *resp,
    const struct cm_buf *e, const char *why, struct cm_error *err)
{
	const char *step = rstep_names[b->job.step];

	if (resp->status == 0)
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s: %s%s%s",
		    b->src->spec, step, resp->error[0] ? resp->error :
		    "no answer", why ? ", " : "", why ? why : "");
	else
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s answered %ld%s%.120s%s"
		    "%s", b->src->spec, step, resp->status, e->len ? ": " : "",
		    e->len ? e->data : "", why ? ", " : "", why ? why : "");
	return CM_REPLY_RETRY;
}

static int bsky_reply_response(void *st, const struct cm_http_resp *resp,
    struct cm_reply_out *out, double *retry_after, struct cm_error *err)
{
	struct bsky *b = st;
	struct job *j = &b->job;
	struct cm_buf *e = &b->s[11];
	struct cm_json_value v;
	struct cm_json_error jerr;
	const char *body = resp->body.data ? resp->body.data : "";
	size_t len = resp->body.len;
	int json;

	*retry_after = -1;
	xrpc_error(resp, e);
	if (b->step != S_FEED)
		return session_response(b, resp, e, err) < 0 ? -1 :
		    CM_REPLY_AGAIN;
	if (auth_failed(b, resp, e))
		return CM_REPLY_AGAIN;
	json = len && cm_json_scan(body, len, 0, NULL, NULL, &jerr) == 0;
	if (j->step == R_CREATE && (resp->status == 0 ||
	    resp->status >= 500)) {
		/* It may be there: the PDS refuses a second create at one
		 * key with a 500, and an answer lost on the way says
		 * nothing.  Look before posting again; after a 500 at once
		 * (the PDS is up), else after the wait. */
		(void)retry(b, resp, e, "the post may have gone", err);
		j->may_exist = 1;
		j->after_create = 1;
		j->step = R_LOOK;
		return resp->status == 500 ? CM_REPLY_AGAIN : CM_REPLY_RETRY;
	}
	if (resp->status == 429) {
		*retry_after = wait_of(resp);
		return retry(b, resp, e, NULL, err);
	}
	if (resp->status == 0 || resp->status >= 500)
		return retry(b, resp, e, NULL, err);
	if (resp->status == 200 && !json && j->step != R_CREATE)
		return retry(b, resp, e, "no JSON", err);
	switch (j->step) {
	case R_LOOK:
		if (resp->status == 400 && e->len &&
		    strcmp(e->data, "RecordNotFound") == 0) {
			j->may_exist = 0;
			if (!j->have_target)
				j->step = R_POSTS;
			else
				next_step(j);
			/* after a create that failed, not at once */
			if (j->after_create) {
				j->after_create = 0;
				return retry(b, resp, e, "not posted: posting "
				    "again", err);
			}
			return CM_REPLY_AGAIN;
		}
		/* whether the reply is there is not known: look again
		 * later (the claim stays pending), never post */
		if (resp->status != 200)
			return retry(b, resp, e, "whether the reply is there is "
			    "not known", err);
		if (!cm_json_get(body, len, "value.reply.parent.uri", &v) ||
		    !cm_json_string_eq(&v, j->target)) {
			cm_buf_reset(&out->msg);
			return cm_buf_printf(&out->msg, "the record key %s holds "
			    "another record than this reply (a collision of "
			    "keys): nothing posted", j->rkey) < 0 ? -1 :
			    CM_REPLY_REFUSED;
		}
		return reply_done(b, out, 1);
	case R_POSTS:
		if (resp->status != 200)
			return refused(resp, e, out) < 0 ? -1 :
			    CM_REPLY_REFUSED;
		if (!cm_json_get(body, len, "posts.0", &v) ||
		    member(v.raw, v.len, "cid", &j->cid) < 0) {
			cm_buf_reset(&out->msg);
			return cm_buf_printf(&out->msg, "the post %s is not "
			    "there (deleted, or hidden from the account)",
			    j->target) < 0 ? -1 : CM_REPLY_REFUSED;
		}
		if (member(v.raw, v.len, "record.reply.root.uri",
		    &j->root_uri) < 0 || member(v.raw, v.len,
		    "record.reply.root.cid", &j->root_cid) < 0) {
			/* not a reply: it is its thread's root */
			cm_buf_reset(&j->root_uri);
			cm_buf_reset(&j->root_cid);
			if (cm_buf_adds(&j->root_uri, j->target) < 0 ||
			    cm_buf_add(&j->root_cid, j->cid.data, j->cid.len) <
			    0)
				goto nomem;
		}
		j->have_target = 1;
		next_step(j);
		return CM_REPLY_AGAIN;
	case R_RESOLVE:
		if (resp->status == 200) {
			size_t at = j->dids.len;

			cm_buf_reset(&j->q);
			if (member(body, len, "did", &j->q) < 0 ||
			    strncmp(j->q.data, "did:", 4) != 0)
				return retry(b, resp, e, "no DID", err);
			if (cm_buf_add(&j->dids, j->q.data, j->q.len + 1) < 0)
				goto nomem;
			j->did[j->resolving] = at;
		} else if (resp->status == 400)
			/* no such handle: no facet */
			j->did[j->resolving] = NO_DID;
		else
			return refused(resp, e, out) < 0 ? -1 :
			    CM_REPLY_REFUSED;
		next_step(j);
		return CM_REPLY_AGAIN;
	case R_CREATE:
		if (resp->status != 200)
			return refused(resp, e, out) < 0 ? -1 :
			    CM_REPLY_REFUSED;
		/* posted (an answer that is no JSON too) */
		return reply_done(b, out, 0);
	}
nomem:
	cm_error_nomem(err, b->src->spec);
	return -1;
}

/*
 * --dry-run: the answer to the last request taken as given: a session
 * (its token shown masked), no record at the key yet, the target a root
 * with a placeholder cid (or in the thread the caller names), every
 * handle resolved to a placeholder DID.  0 when the last was the post.
 */
static int bsky_reply_dry_step(void *st)
{
	struct bsky *b = st;
	struct job *j = &b->job;
	const char *root = j->rp->thread;

	if (b->step != S_FEED) {
		b->step = S_FEED;
		wipe(&b->access);
		if (b->did.len == 0 && cm_buf_adds(&b->did, "DID") <
		    0)
			return 0;
		return cm_buf_adds(&b->access, "dry-run") < 0 ? 0 : 1;
	}
	switch (j->step) {
	case R_LOOK:
		j->may_exist = 0;
		if (j->have_target)
			next_step(j);
		else
			j->step = R_POSTS;
		return 1;
	case R_POSTS:
		if (root == NULL || strncmp(root, "bluesky:at://", 13) != 0)
			root = j->rp->target;
		cm_buf_reset(&j->cid);
		cm_buf_reset(&j->root_uri);
		cm_buf_reset(&j->root_cid);
		if (cm_buf_adds(&j->cid, "CID") < 0 ||
		    cm_buf_adds(&j->root_uri, root + 8) < 0 ||
		    cm_buf_adds(&j->root_cid, "CID") < 0)
			return 0;
		j->have_target = 1;
		next_step(j);
		return 1;
	case R_RESOLVE:
		j->did[j->resolving] = j->dids.len;
		if (cm_buf_add(&j->dids, "DID", 4) < 0)
			return 0;
		next_step(j);
		return 1;
	case R_CREATE:
		break;
	}
	return 0;
}

static const struct cm_reply_ops reply_ops = {
	.open = bsky_reply_open,
	.start = bsky_reply_start,
	.request = bsky_reply_request,
	.response = bsky_reply_response,
	.dry_step = bsky_reply_dry_step,
	/* None of its own: the PDS's write budget (5000 points an hour, 3
	 * a create) is in the RateLimit-* headers of its answers once it
	 * matters, which pace the account, and a 429 is waited out. */
	.min_interval = 0,
};

const struct cm_adapter cm_adapter_bluesky = {
	.platform = "bluesky",
	.feeds = feeds,
	.check = bsky_check,
	.open = bsky_open,
	.close = bsky_close,
	.request = bsky_request,
	.response = bsky_response,
	.budget = bsky_budget,
	.dry_step = bsky_dry_step,
	.reply = &reply_ops,
};
