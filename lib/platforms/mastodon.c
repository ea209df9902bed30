/* mastodon.c - Mastodon (and servers with its API): mentions, search:Q,
 * tag:T, thread:ID and own, through an account's access token; and
 * replies, posted once */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "core/htmltext.h"
#include "core/json.h"
#include "core/timeutil.h"
#include "replytext.h"

#define PAGE_LIMIT 40		/* Mastodon's default and most lists' cap */
#define DEFAULT_BASE "https://mastodon.social"

static const struct cm_feed feeds[] = {
	{ .name = "mentions", .order = CM_ORDER_NEWEST_FIRST, .account = 1,
	    .help = "statuses that mention the account (its notifications)" },
	{ .name = "search", .arg = "QUERY", .order = CM_ORDER_NEWEST_FIRST,
	    .account = 1, .lookback = 3600,
	    .help = "statuses that match QUERY (search v2)" },
	{ .name = "tag", .arg = "TAG", .order = CM_ORDER_NEWEST_FIRST,
	    .lookback = 3600, .help = "the public timeline of a hashtag" },
	{ .name = "thread", .arg = "ID", .order = CM_ORDER_NONE,
	    .help = "a status, the statuses above it and the replies below it" },
	{ .name = "own", .order = CM_ORDER_NEWEST_FIRST, .account = 1,
	    .help = "the account's own statuses, replies too (no boosts)" },
	{ .name = NULL }
};

enum feed { F_MENTIONS, F_SEARCH, F_TAG, F_THREAD, F_OWN };

/* The fields of a Status read in one pass of the scanner. */
enum {
	S_ID, S_CREATED, S_REPLY_ID, S_REPLY_ACCT, S_URL, S_URI, S_CONTENT,
	S_SPOILER, S_LANG, S_LIKES, S_REBLOGS, S_REPLIES, S_QUOTES, S_AID,
	S_ACCT, S_USERNAME, S_DISPLAY, S_AURL, S_FOLLOWERS, S_REBLOG, S_VIS, NS
};

static const char *const status_paths[NS] = {
	"id", "created_at", "in_reply_to_id", "in_reply_to_account_id", "url",
	"uri", "content", "spoiler_text", "language", "favourites_count",
	"reblogs_count", "replies_count", "quotes_count", "account.id",
	"account.acct", "account.username", "account.display_name",
	"account.url", "account.followers_count", "reblog", "visibility"
};

/* the id too: taken in the same scan, not by another one (cm_json_get) */
enum { N_ID, N_TYPE, N_CREATED, N_STATUS, NN };
static const char *const note_paths[NN] = { "id", "type", "created_at",
    "status" };

enum { C_ANCESTORS, C_DESCENDANTS, NC };
static const char *const context_paths[NC] = { "ancestors", "descendants" };

enum { V_ID, V_ACCT, NV };
static const char *const cred_paths[NV] = { "id", "acct" };

struct masto {
	const struct cm_source *src;
	enum feed feed;
	char *base;			/* without a trailing '/' */
	char *host;			/* for ids: mastodon:HOST:ID */
	struct cm_buf token;
	char *handle;			/* the brand's acct, from the config */
	struct cm_buf brand_id;		/* from verify_credentials */
	int need_brand;			/* that request comes first */
	int thread_step;		/* thread: 0 the status, 1 its context */
	const char *user_agent, *cacert;
	struct cm_json_paths *sp, *np, *cp, *vp;
	struct cm_buf url, auth, q;
	/* a record's strings */
	struct cm_buf id, reply, thread, text, handle_buf, name;
	char *root;			/* thread: the root's id */
	/* a reply job (cm-reply) */
	const struct cm_reply *rp;
	int step;			/* enum rstep: the next request */
	int maybe;			/* a post may have gone: look first */
	int vis_min;			/* reply_visibility: at least this */
	int vis;			/* the reply's: the target's, or more */
	struct cm_buf native, body, key_hdr;
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

static int masto_check(const struct cm_source *src, struct cm_error *err)
{
	const char *base = key(src, "base_url");
	struct cm_buf tok = CM_BUF_INIT;
	struct cm_error e;
	int r;

	if (base && cm_http_url_ok(base, &e) < 0) {
		cm_config_bad(src->cfg, "account", src->account, "base_url",
		    err, "base_url: %s", e.msg);
		return -1;
	}
	if (feed_of(src) == F_THREAD && src->arg &&
	    strspn(src->arg, "0123456789") != strlen(src->arg)) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: a status id is a number",
		    src->spec);
		return -1;
	}
	if (!src->has_account)
		return 0;
	/* The token must resolve now: nothing is fetched when it cannot. */
	r = cm_config_secret(src->cfg, "account", src->account, "token", &tok,
	    err);
	explicit_bzero(tok.data ? tok.data : "", tok.len);
	cm_buf_free(&tok);
	if (r == 1 && (src->feed == NULL || src->feed->account)) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] has no token "
		    "(token = env:VAR, file:PATH or cmd:COMMAND)", src->spec,
		    src->account);
		return -1;
	}
	return r < 0 ? -1 : 0;
}

static void masto_close(void *st)
{
	struct masto *m = st;

	if (m == NULL)
		return;
	free(m->base);
	free(m->host);
	if (m->token.data)
		explicit_bzero(m->token.data, m->token.len);
	cm_buf_free(&m->token);
	free(m->handle);
	cm_buf_free(&m->brand_id);
	cm_json_paths_free(m->sp);
	cm_json_paths_free(m->np);
	cm_json_paths_free(m->cp);
	cm_json_paths_free(m->vp);
	cm_buf_free(&m->url);
	cm_buf_free(&m->auth);
	cm_buf_free(&m->q);
	cm_buf_free(&m->id);
	cm_buf_free(&m->reply);
	cm_buf_free(&m->thread);
	cm_buf_free(&m->text);
	cm_buf_free(&m->handle_buf);
	cm_buf_free(&m->name);
	free(m->root);
	cm_buf_free(&m->native);
	cm_buf_free(&m->body);
	cm_buf_free(&m->key_hdr);
	free(m);
}

static void *masto_open(const struct cm_source *src, struct cm_error *err)
{
	struct masto *m;
	const char *base = key(src, "base_url"), *p, *h;
	size_t n;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto nomem;
	m->src = src;
	/* cm-reply's source has no feed: the reply's steps are its own */
	m->feed = src->feed ? (enum feed)feed_of(src) : F_MENTIONS;
	if ((m->base = strdup(base ? base : DEFAULT_BASE)) == NULL)
		goto nomem;
	for (n = strlen(m->base); n > 0 && m->base[n - 1] == '/'; n--)
		m->base[n - 1] = '\0';
	p = strstr(m->base, "://");
	p = p ? p + 3 : m->base;
	n = strcspn(p, "/");
	if ((m->host = strndup(p, n)) == NULL)
		goto nomem;
	if (src->has_account && cm_config_secret(src->cfg, "account",
	    src->account, "token", &m->token, err) < 0) {
		masto_close(m);
		return NULL;
	}
	if ((h = key(src, "handle")) != NULL &&
	    (m->handle = strdup(h + strspn(h, "@"))) == NULL)
		goto nomem;
	m->user_agent = key(src, "user_agent");
	m->cacert = key(src, "cacert");
	/* Who the brand is: the account the token is of.  own needs its
	 * id; the others, what author.is_brand says. */
	m->need_brand = src->has_account && m->token.len > 0;
	if ((m->sp = cm_json_paths_new(status_paths, NS)) == NULL ||
	    (m->np = cm_json_paths_new(note_paths, NN)) == NULL ||
	    (m->cp = cm_json_paths_new(context_paths, NC)) == NULL ||
	    (m->vp = cm_json_paths_new(cred_paths, NV)) == NULL)
		goto nomem;
	return m;
nomem:
	masto_close(m);
	cm_error_nomem(err, src->spec);
	return NULL;
}

static int masto_request(void *st, const char *cursor,
    struct cm_http_req *req, struct cm_http_opts *o, struct cm_error *err)
{
	struct masto *m = st;
	struct cm_buf *u = &m->url;
	int r = 0;

	cm_buf_reset(u);
	r |= cm_buf_adds(u, m->base);
	if (m->need_brand) {
		r |= cm_buf_adds(u, "/api/v1/accounts/verify_credentials");
	} else switch (m->feed) {
	case F_MENTIONS:
		r |= cm_buf_printf(u, "/api/v1/notifications?types[]=mention"
		    "&limit=%d", PAGE_LIMIT);
		break;
	case F_SEARCH:
		r |= cm_buf_printf(u, "/api/v2/search?type=statuses&resolve="
		    "false&limit=%d&q=", PAGE_LIMIT) |
		    cm_buf_add_pcts(u, m->src->arg);
		break;
	case F_TAG:
		r |= cm_buf_adds(u, "/api/v1/timelines/tag/") |
		    cm_buf_add_pcts(u, m->src->arg + strspn(m->src->arg, "#")) |
		    cm_buf_printf(u, "?limit=%d", PAGE_LIMIT);
		break;
	case F_THREAD:
		if (cursor == NULL)
			r |= cm_buf_printf(u, "/api/v1/statuses/%s",
			    m->src->arg);
		else
			r |= cm_buf_printf(u, "/api/v1/statuses/%s/context",
			    m->src->arg);
		cursor = NULL;
		break;
	case F_OWN:
		/* the id is the server's word: encoded, it stays one segment */
		r |= cm_buf_adds(u, "/api/v1/accounts/") |
		    cm_buf_add_pcts(u, m->brand_id.data) |
		    cm_buf_printf(u, "/statuses?exclude_reblogs=true&limit=%d",
		    PAGE_LIMIT);
		break;
	}
	if (cursor && !m->need_brand)
		r |= cm_buf_adds(u, "&max_id=") | cm_buf_add_pcts(u, cursor);
	if (r < 0) {
		cm_error_nomem(err, m->src->spec);
		return -1;
	}
	req->url = u->data;
	req->bearer = m->token.len ? m->token.data : NULL;
	req->headers[0] = "Accept: application/json";
	o->user_agent = m->user_agent;
	o->cacert = m->cacert;
	return 1;
}

static int64_t order_of(const struct cm_json_value *v)
{
	int64_t us;

	if (v->type != CM_JSON_STRING)
		return 0;
	return cm_time_parse_us(v->raw + 1, v->len - 2, &us) < 0 ? 0 : us;
}

/* The rate limit: X-RateLimit-Reset is an ISO time, its fraction kept
 * (the window ends within the second: without it, a client that waited
 * for the reset asks up to a second early and is refused). */
static void masto_budget(const struct cm_http_resp *resp, struct cm_budget *b)
{
	const char *v;
	size_t n;
	char buf[64];
	int64_t us;

	memset(b, 0, sizeof(*b));
	if ((v = cm_http_header(resp, "x-ratelimit-remaining", &n)) == NULL ||
	    n >= sizeof(buf))
		return;
	memcpy(buf, v, n);
	buf[n] = '\0';
	b->remaining = strtod(buf, NULL);
	if ((v = cm_http_header(resp, "x-ratelimit-limit", &n)) != NULL &&
	    n < sizeof(buf)) {
		memcpy(buf, v, n);
		buf[n] = '\0';
		b->limit = strtod(buf, NULL);
	}
	if ((v = cm_http_header(resp, "x-ratelimit-reset", &n)) == NULL ||
	    cm_time_parse_us(v, n, &us) < 0)
		return;
	b->reset_at = (double)us / 1e6;
	b->known = 1;
}

static int str_of(const struct cm_json_value *v, struct cm_buf *b)
{
	cm_buf_reset(b);
	if (v->type != CM_JSON_STRING)
		return 0;
	return cm_json_string(v, b);
}

/* A string member as a C string, NULL when not a string. */
static const char *cstr(const struct cm_json_value *v, struct cm_buf *b)
{
	cm_buf_reset(b);	/* cm_json_string appends */
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

/*
 * One Status to one record.  reason is the feed's; a mention that answers
 * one of the brand's statuses is a reply.  Returns what the sink says,
 * -1 out of memory, or 0 when the status is not one to keep (a boost).
 */
static int status_record(struct masto *m, const struct cm_json_value *sv,
    const char *reason, int64_t order, struct cm_sink *sink)
{
	struct cm_json_value v[NS];
	struct cm_json_error jerr;
	struct cm_buf b[8] = { CM_BUF_INIT, CM_BUF_INIT, CM_BUF_INIT,
	    CM_BUF_INIT, CM_BUF_INIT, CM_BUF_INIT, CM_BUF_INIT, CM_BUF_INIT };
	struct cm_rec rec;
	const char *native, *acct, *reply_acct;
	int r = -1, k;

	if (sv->type != CM_JSON_OBJECT ||
	    cm_json_scan(sv->raw, sv->len, 0, m->sp, v, &jerr) < 0)
		return 0;
	if (v[S_REBLOG].type == CM_JSON_OBJECT)
		return 0;
	cm_rec_init(&rec);
	if ((native = cstr(&v[S_ID], &b[0])) == NULL || *native == '\0')
		goto skip;
	cm_buf_reset(&m->id);
	if (cm_buf_printf(&m->id, "mastodon:%s:%s", m->host, native) < 0)
		goto out;
	rec.id = m->id.data;
	rec.platform = "mastodon";
	if (v[S_CREATED].type != CM_JSON_STRING || cm_time_parse(
	    v[S_CREATED].raw + 1, v[S_CREATED].len - 2, &rec.created_at) < 0)
		goto skip;
	if (order == 0)
		order = order_of(&v[S_CREATED]);
	rec.url = cstr(&v[S_URL], &b[1]);
	if (rec.url == NULL || *rec.url == '\0')
		rec.url = cstr(&v[S_URI], &b[1]);
	rec.author.id = cstr(&v[S_AID], &b[2]);
	acct = cstr(&v[S_ACCT], &m->handle_buf);
	rec.author.handle = acct;
	rec.author.name = cstr(&v[S_DISPLAY], &m->name);
	if (rec.author.name == NULL || *rec.author.name == '\0')
		rec.author.name = cstr(&v[S_USERNAME], &m->name);
	rec.author.url = cstr(&v[S_AURL], &b[3]);
	rec.author.followers = count_of(&v[S_FOLLOWERS]);
	rec.author.is_brand = (m->brand_id.len && rec.author.id &&
	    strcmp(rec.author.id, m->brand_id.data) == 0) ||
	    (m->handle && acct && strcasecmp(acct, m->handle) == 0);
	/* The text: the content warning first, then the content. */
	cm_buf_reset(&m->text);
	if (str_of(&v[S_SPOILER], &b[4]) < 0)
		goto out;
	if (b[4].len && (cm_buf_add(&m->text, b[4].data, b[4].len) < 0 ||
	    cm_buf_adds(&m->text, "\n\n") < 0))
		goto out;
	/* Past its size or depth limits, the text up to there is kept. */
	if (str_of(&v[S_CONTENT], &b[5]) < 0 ||
	    (cm_htmltext(b[5].data ? b[5].data : "", b[5].len, &m->text) < 0 &&
	    errno != EMSGSIZE))
		goto out;
	rec.text = m->text.data ? m->text.data : "";
	rec.text_len = m->text.len;
	rec.lang = cstr(&v[S_LANG], &b[6]);
	cm_buf_reset(&m->reply);
	if (v[S_REPLY_ID].type == CM_JSON_STRING) {
		if (cm_buf_adds(&m->reply, "mastodon:") < 0 ||
		    cm_buf_adds(&m->reply, m->host) < 0 ||
		    cm_buf_addc(&m->reply, ':') < 0 ||
		    str_of(&v[S_REPLY_ID], &b[7]) < 0 ||
		    cm_buf_add(&m->reply, b[7].data, b[7].len) < 0)
			goto out;
		rec.in_reply_to = m->reply.data;
		/* Mastodon names only the parent; thread:ID knows the root. */
		rec.thread = m->root ? m->root : m->reply.data;
	}
	rec.kind = rec.in_reply_to ? "reply" : "post";
	reply_acct = NULL;
	if (v[S_REPLY_ACCT].type == CM_JSON_STRING && m->brand_id.len &&
	    cm_json_string_eq(&v[S_REPLY_ACCT], m->brand_id.data))
		reply_acct = "brand";
	rec.reason = reason;
	if (strcmp(reason, "mention") == 0 && reply_acct)
		rec.reason = "reply";
	if (m->feed == F_THREAD && rec.author.is_brand)
		rec.reason = "own";
	rec.likes = count_of(&v[S_LIKES]);
	rec.reposts = count_of(&v[S_REBLOGS]);
	rec.replies = count_of(&v[S_REPLIES]);
	rec.quotes = count_of(&v[S_QUOTES]);
	rec.raw = sv->raw;
	rec.raw_len = sv->len;
	r = sink->record(sink->ctx, &rec, order);
	goto out;
skip:
	r = 0;
out:
	for (k = 0; k < 8; k++)
		cm_buf_free(&b[k]);
	return r;
}

/* The smallest status id of a page: the next page's max_id. */
static int keep_min_id(const struct cm_json_value *idv, struct cm_buf *next)
{
	struct cm_buf s = CM_BUF_INIT;
	int r = 0;

	if (idv->type != CM_JSON_STRING || cm_json_string(idv, &s) < 0) {
		cm_buf_free(&s);
		return 0;
	}
	/* ids are numbers as strings: shorter is smaller */
	if (next->len == 0 || s.len < next->len || (s.len == next->len &&
	    strcmp(s.data, next->data) < 0)) {
		cm_buf_reset(next);
		r = cm_buf_add(next, s.data, s.len);
	}
	cm_buf_free(&s);
	return r;
}

/*
 * The next page as the server's Link header says it (rel="next", its
 * max_id), which is what Mastodon documents; the page's smallest id,
 * already in next, stands when there is no Link header (a server that
 * sends none).  Servers whose ids are not numbers of one width (ULIDs,
 * flake ids) page right only by the header.  A Link header without a
 * next target ends the list.  0, or -1 when out of memory.
 */
static int link_next(const struct cm_http_resp *resp, struct cm_buf *next)
{
	struct cm_buf v = CM_BUF_INIT;
	int r = cm_http_link_param(resp, "next", "max_id", &v);

	if (r == 1) {
		cm_buf_reset(next);
		r = cm_buf_add(next, v.data, v.len) < 0 ? -2 : 0;
	} else if (r == 0) {
		cm_buf_reset(next);
	}
	cm_buf_free(&v);
	return r == -2 ? -1 : 0;
}

/* What a refused request means for the source. */
static int refused(struct masto *m, const struct cm_http_resp *resp,
    struct cm_error *err)
{
	struct cm_json_value e;
	struct cm_buf msg = CM_BUF_INIT;
	struct cm_json_error jerr;

	if (cm_json_scan(resp->body.data ? resp->body.data : "",
	    resp->body.len, 0, NULL, NULL, &jerr) == 0 &&
	    cm_json_get(resp->body.data, resp->body.len, "error", &e) &&
	    e.type == CM_JSON_STRING)
		(void)cm_json_string(&e, &msg);
	if (resp->status == 401 || resp->status == 403)
		cm_error_set(err, CM_EXIT_FAIL, "%s: %s refused the access "
		    "token (%ld%s%.200s): check [account %s] token",
		    m->src->spec, m->host, resp->status, msg.len ? ": " : "",
		    msg.len ? msg.data : "", m->src->account);
	else
		cm_error_set(err, CM_EXIT_FAIL, "%s: %s answered %ld%s%.200s",
		    m->src->spec, m->host, resp->status, msg.len ? ": " : "",
		    msg.len ? msg.data : "");
	cm_buf_free(&msg);
	return -1;
}

static int masto_response(void *st, const struct cm_http_resp *resp,
    struct cm_sink *sink, struct cm_buf *next, double *retry_after,
    struct cm_error *err)
{
	struct masto *m = st;
	struct cm_json_value body, el, f[NN], c[NC], idv;
	struct cm_json_error jerr;
	const char *reason;
	size_t pos = 0;
	int r = 0, stop = 0;

	*retry_after = -1;
	if (resp->status != 200)
		return refused(m, resp, err);
	body.raw = resp->body.data ? resp->body.data : "";
	body.len = resp->body.len;
	if (cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0) {
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s sent no JSON "
		    "(at byte %zu: %s)", m->src->spec, m->host, jerr.offset + 1,
		    jerr.msg);
		return CM_PAGE_RETRY;
	}
	body.type = body.raw[strspn(body.raw, " \t\r\n")] == '[' ?
	    CM_JSON_ARRAY : CM_JSON_OBJECT;
	if (m->need_brand) {
		struct cm_json_value v[NV];

		if (cm_json_scan(body.raw, body.len, 0, m->vp, v, &jerr) < 0 ||
		    v[V_ID].type != CM_JSON_STRING ||
		    str_of(&v[V_ID], &m->brand_id) < 0 || m->brand_id.len == 0) {
			cm_error_set(err, CM_EXIT_FAIL, "%s: %s: the account "
			    "of the token has no id", m->src->spec, m->host);
			return -1;
		}
		if (m->handle == NULL && v[V_ACCT].type == CM_JSON_STRING) {
			struct cm_buf a = CM_BUF_INIT;

			if (cm_json_string(&v[V_ACCT], &a) == 0)
				m->handle = strdup(a.data ? a.data : "");
			cm_buf_free(&a);
		}
		m->need_brand = 0;
		return CM_PAGE_AGAIN;
	}
	switch (m->feed) {
	case F_MENTIONS:
		if (body.type != CM_JSON_ARRAY)
			goto shape;
		while (!stop && cm_json_each(&body, &pos, NULL, &el)) {
			if (cm_json_scan(el.raw, el.len, 0, m->np, f, &jerr) < 0)
				continue;
			/* paging goes by the notification's id */
			if (f[N_ID].type != CM_JSON_NONE &&
			    keep_min_id(&f[N_ID], next) < 0)
				goto nomem;
			if (!cm_json_string_eq(&f[N_TYPE], "mention"))
				continue;
			r = status_record(m, &f[N_STATUS], "mention",
			    order_of(&f[N_CREATED]), sink);
			if (r < 0)
				goto nomem;
			stop = r == 1;
		}
		break;
	case F_SEARCH:
		if (!cm_json_get(body.raw, body.len, "statuses", &el) ||
		    el.type != CM_JSON_ARRAY)
			goto shape;
		body = el;
		/* fall through */
	case F_TAG:
	case F_OWN:
		if (body.type != CM_JSON_ARRAY)
			goto shape;
		reason = m->feed == F_SEARCH ? "search" : m->feed == F_TAG ?
		    "tag" : "own";
		while (!stop && cm_json_each(&body, &pos, NULL, &el)) {
			if (cm_json_get(el.raw, el.len, "id", &idv) &&
			    keep_min_id(&idv, next) < 0)
				goto nomem;
			if ((r = status_record(m, &el, reason, 0, sink)) < 0)
				goto nomem;
			stop = r == 1;
		}
		break;
	case F_THREAD:
		if (m->thread_step == 0) {
			/* the status: held until its context says the root */
			m->thread_step = 1;
			cm_buf_reset(&m->q);
			if (body.type != CM_JSON_OBJECT ||
			    cm_buf_add(&m->q, body.raw, body.len) < 0 ||
			    cm_buf_adds(next, "context") < 0)
				goto nomem;
			break;
		}
		if (body.type != CM_JSON_OBJECT ||
		    cm_json_scan(body.raw, body.len, 0, m->cp, c, &jerr) < 0 ||
		    c[C_ANCESTORS].type != CM_JSON_ARRAY ||
		    c[C_DESCENDANTS].type != CM_JSON_ARRAY)
			goto shape;
		/* the root: the first ancestor, or the status itself */
		free(m->root);
		m->root = NULL;
		pos = 0;
		if (!cm_json_each(&c[C_ANCESTORS], &pos, NULL, &el))
			el = (struct cm_json_value){ CM_JSON_OBJECT, m->q.data,
			    m->q.len };
		if (cm_json_get(el.raw, el.len, "id", &idv) &&
		    idv.type == CM_JSON_STRING) {
			struct cm_buf s = CM_BUF_INIT;

			if (cm_json_string(&idv, &s) < 0 ||
			    asprintf(&m->root, "mastodon:%s:%s", m->host,
			    s.data ? s.data : "") < 0)
				m->root = NULL;
			cm_buf_free(&s);
			if (m->root == NULL)
				goto nomem;
		}
		for (int part = 0; part < 3 && !stop; part++) {
			struct cm_json_value list = part == 1 ?
			    (struct cm_json_value){ CM_JSON_ARRAY, "[]", 2 } :
			    c[part == 0 ? C_ANCESTORS : C_DESCENDANTS];

			if (part == 1) {
				struct cm_json_value held = { CM_JSON_OBJECT,
				    m->q.data, m->q.len };

				if ((r = status_record(m, &held, "reply", 0,
				    sink)) < 0)
					goto nomem;
				stop = r == 1;
				continue;
			}
			pos = 0;
			while (!stop && cm_json_each(&list, &pos, NULL, &el)) {
				if ((r = status_record(m, &el, "reply", 0,
				    sink)) < 0)
					goto nomem;
				stop = r == 1;
			}
		}
		break;
	}
	if (stop)
		cm_buf_reset(next);
	else if (m->feed == F_MENTIONS || m->feed == F_TAG || m->feed == F_OWN)
		if (link_next(resp, next) < 0)
			goto nomem;
	return CM_PAGE_DONE;
shape:
	cm_error_set(err, CM_EXIT_FAIL, "%s: %s sent JSON of another shape "
	    "than Mastodon's", m->src->spec, m->host);
	return -1;
nomem:
	cm_error_nomem(err, m->src->spec);
	return -1;
}

/* --dry-run: whose the token is, taken as known. */
static int masto_dry_step(void *st)
{
	struct masto *m = st;

	if (!m->need_brand)
		return 0;
	m->need_brand = 0;
	cm_buf_reset(&m->brand_id);
	return cm_buf_adds(&m->brand_id, "ACCOUNT-ID") < 0 ? 0 : 1;
}

/*
 * Replying.  A job's requests: the target's status (that it is there,
 * and its visibility: a reply is never more public than what it
 * answers), then the post, with the job's key as Idempotency-Key (the
 * server answers a second post of a key it holds with the first status:
 * Mastodon keeps a key an hour, and some servers of its API none).  So
 * when a post may have gone (an answer that never came, a 5xx, a claim
 * left pending by a run that ended), the target's context is read first
 * for a reply by the account (verify_credentials says its id) with the
 * job's text, and only if there is none does the post go again, with
 * the same key.  A status of another server (a record of a public feed
 * read elsewhere) is first found on the account's by its URL (search
 * with resolve, as a client's search box does): its id there is the one
 * to answer.
 */
enum rstep { R_RESOLVE, R_TARGET, R_CRED, R_LOOK, R_POST };

/* Most public first: a reply takes the later of the target's and the
 * account's reply_visibility. */
static const char *const visibility[] = { "public", "unlisted", "private",
    "direct" };
#define NVIS (sizeof(visibility) / sizeof(visibility[0]))

static int vis_index(const char *v)
{
	for (size_t i = 0; i < NVIS; i++)
		if (strcmp(v, visibility[i]) == 0)
			return (int)i;
	return -1;
}

static void *masto_reply_open(const struct cm_source *src,
    struct cm_error *err)
{
	const char *v = key(src, "reply_visibility");
	struct masto *m;
	int vi = 0;

	if (v && (vi = vis_index(v)) < 0) {
		cm_config_bad(src->cfg, "account", src->account,
		    "reply_visibility", err, "reply_visibility: \"%s\" is none "
		    "of public, unlisted, private and direct", v);
		return NULL;
	}
	if ((m = masto_open(src, err)) == NULL)
		return NULL;
	if (m->token.len == 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] has no token "
		    "(token = env:VAR, file:PATH or cmd:COMMAND): cm cannot "
		    "post", src->spec, src->account);
		masto_close(m);
		return NULL;
	}
	/* whose the token is: asked only when a look needs it */
	m->need_brand = 0;
	m->vis_min = vi;
	return m;
}

/* The step after the target's status: the post, or a look first. */
static int after_target(const struct masto *m)
{
	return !m->maybe ? R_POST : m->brand_id.len ? R_LOOK : R_CRED;
}

static int masto_reply_start(void *st, const struct cm_reply *rp,
    struct cm_error *err)
{
	struct masto *m = st;
	const char *t = rp->target, *id = NULL;
	size_t hn = strlen(m->host);

	/* "mastodon:HOST:ID": a status id is its server's own */
	if (strncmp(t, "mastodon:", 9) == 0 && strncmp(t + 9, m->host, hn) ==
	    0 && t[9 + hn] == ':') {
		id = t + 9 + hn + 1;
		if (*id == '\0' || strlen(id) > 64 || strspn(id, "abcdefghijklm"
		    "nopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") !=
		    strlen(id)) {
			cm_error_set(err, CM_EXIT_FAIL, "%s: %.200s: not a "
			    "status id", m->src->spec, t);
			return -1;
		}
	} else if (strncmp(t, "mastodon:", 9) != 0 || rp->url == NULL ||
	    (strncmp(rp->url, "https://", 8) != 0 &&
	    strncmp(rp->url, "http://", 7) != 0)) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %.200s is not a status of "
		    "%s, where [account %s] is, and has no URL to find it there "
		    "by", m->src->spec, t, m->host, m->src->account);
		return -1;
	}
	cm_buf_reset(&m->native);
	cm_buf_reset(&m->key_hdr);
	if ((id && cm_buf_adds(&m->native, id) < 0) ||
	    cm_buf_printf(&m->key_hdr, "Idempotency-Key: %s", rp->key) < 0) {
		cm_error_nomem(err, m->src->spec);
		return -1;
	}
	m->rp = rp;
	m->maybe = rp->unknown;
	m->vis = m->vis_min;
	m->step = id ? R_TARGET : R_RESOLVE;
	return 0;
}

static int masto_reply_request(void *st, struct cm_http_req *req,
    struct cm_http_opts *o, struct cm_error *err)
{
	struct masto *m = st;
	struct cm_buf *u = &m->url, *b = &m->body;
	int r = 0;

	cm_buf_reset(u);
	r |= cm_buf_adds(u, m->base);
	switch (m->step) {
	case R_RESOLVE:
		r |= cm_buf_adds(u, "/api/v2/search?type=statuses&resolve=true&"
		    "limit=1&q=") | cm_buf_add_pcts(u, m->rp->url);
		break;
	case R_TARGET:
	case R_LOOK:
		r |= cm_buf_adds(u, "/api/v1/statuses/") |
		    cm_buf_adds(u, m->native.data) |
		    cm_buf_adds(u, m->step == R_LOOK ? "/context" : "");
		break;
	case R_CRED:
		r |= cm_buf_adds(u, "/api/v1/accounts/verify_credentials");
		break;
	case R_POST:
		cm_buf_reset(b);
		r |= cm_buf_adds(b, "status=") | cm_buf_add_pcts(b,
		    m->rp->text) | cm_buf_adds(b, "&in_reply_to_id=") |
		    cm_buf_adds(b, m->native.data) |
		    cm_buf_adds(b, "&visibility=") |
		    cm_buf_adds(b, visibility[m->vis]);
		r |= cm_buf_adds(u, "/api/v1/statuses");
		req->method = "POST";
		req->body = b->data;
		req->body_len = b->len;
		req->content_type = "application/x-www-form-urlencoded";
		req->headers[1] = m->key_hdr.data;
		req->body_public = 1;	/* a reply's text: --dry-run shows it */
		break;
	}
	if (r < 0) {
		cm_error_nomem(err, m->src->spec);
		return -1;
	}
	req->url = u->data;
	req->bearer = m->token.data;
	req->headers[0] = "Accept: application/json";
	o->user_agent = m->user_agent;
	o->cacert = m->cacert;
	return 1;
}

/* The server's "error" of an answer, into b (empty when none). */
static void error_of(const struct cm_http_resp *resp, struct cm_buf *b)
{
	struct cm_json_value e;
	struct cm_json_error jerr;

	cm_buf_reset(b);
	if (cm_json_scan(resp->body.data ? resp->body.data : "",
	    resp->body.len, 0, NULL, NULL, &jerr) == 0 &&
	    cm_json_get(resp->body.data, resp->body.len, "error", &e) &&
	    e.type == CM_JSON_STRING && cm_json_string(&e, b) < 0)
		cm_buf_reset(b);
}

/* The reply a status is: out->id and out->url; 0, -1 out of memory,
 * 1 when it is no status (no id). */
static int reply_of(struct masto *m, const struct cm_json_value *v,
    struct cm_reply_out *out)
{
	struct cm_buf s = CM_BUF_INIT;
	int r;

	if (v[S_ID].type != CM_JSON_STRING || cm_json_string(&v[S_ID], &s) < 0
	    || s.len == 0) {
		cm_buf_free(&s);
		return 1;
	}
	cm_buf_reset(&out->id);
	cm_buf_reset(&out->url);
	r = cm_buf_printf(&out->id, "mastodon:%s:%s", m->host, s.data);
	cm_buf_free(&s);
	if (r < 0)
		return -1;
	if ((v[S_URL].type != CM_JSON_STRING ||
	    cm_json_string(&v[S_URL], &out->url) < 0 || out->url.len == 0) &&
	    v[S_URI].type == CM_JSON_STRING) {
		cm_buf_reset(&out->url);
		if (cm_json_string(&v[S_URI], &out->url) < 0)
			return -1;
	}
	return 0;
}

/*
 * Among the descendants in a context, the account's reply to the target
 * with the job's text: 1 with out filled, 0 when there is none, -1 out
 * of memory.
 */
static int find_own(struct masto *m, const struct cm_json_value *list,
    struct cm_reply_out *out)
{
	struct cm_json_value el, v[NS];
	struct cm_json_error jerr;
	struct cm_buf html = CM_BUF_INIT, text = CM_BUF_INIT;
	size_t pos = 0;
	int r = 0;

	while (r == 0 && cm_json_each(list, &pos, NULL, &el)) {
		if (el.type != CM_JSON_OBJECT ||
		    cm_json_scan(el.raw, el.len, 0, m->sp, v, &jerr) < 0 ||
		    !cm_json_string_eq(&v[S_AID], m->brand_id.data) ||
		    !cm_json_string_eq(&v[S_REPLY_ID], m->native.data))
			continue;
		cm_buf_reset(&html);
		cm_buf_reset(&text);
		if (str_of(&v[S_CONTENT], &html) < 0 ||
		    (cm_htmltext(html.data ? html.data : "", html.len, &text) <
		    0 && errno != EMSGSIZE)) {
			r = -1;
			break;
		}
		if (!cm_reply_text_eq(text.data ? text.data : "", text.len,
		    m->rp->text, strlen(m->rp->text)))
			continue;
		if ((r = reply_of(m, v, out)) == 1)
			r = 0;		/* no id: not one to name */
		else if (r == 0)
			r = 1;
	}
	cm_buf_free(&html);
	cm_buf_free(&text);
	return r;
}

static int masto_reply_response(void *st, const struct cm_http_resp *resp,
    struct cm_reply_out *out, double *retry_after, struct cm_error *err)
{
	struct masto *m = st;
	struct cm_json_value body, v[NS], c[NC], cv[NV];
	struct cm_json_error jerr;
	const char *h;
	size_t n;
	int r, posting = m->step == R_POST;

	*retry_after = -1;
	if (resp->status == 0 && resp->untrusted) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %s: %s", m->src->spec,
		    m->host, resp->error);
		return -1;
	}
	if (resp->status == 0 || resp->status == 408 || resp->status >= 500) {
		/* no answer: a post may have been made all the same */
		if (posting) {
			m->maybe = 1;
			m->step = after_target(m);
		}
		if (resp->status == 0)
			cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s: %s",
			    m->src->spec, m->host, resp->error);
		else
			cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s answered "
			    "%ld", m->src->spec, m->host, resp->status);
		return CM_REPLY_RETRY;
	}
	if (resp->status == 429) {
		/* refused before it was read: nothing posted */
		if ((h = cm_http_header(resp, "retry-after", &n)) != NULL)
			*retry_after = cm_retry_after(h, n, cm_now());
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s: rate limited (429)",
		    m->src->spec, m->host);
		return CM_REPLY_RETRY;
	}
	if (resp->status == 401 || resp->status == 403)
		return refused(m, resp, err);	/* the token, for every job */
	if (resp->status != 200) {
		if (m->step == R_CRED || (m->step == R_LOOK &&
		    resp->status != 404)) {
			/* only a look comes here: a post may have gone */
			(void)refused(m, resp, err);
			err->status = CM_EXIT_TEMPFAIL;
			return CM_REPLY_RETRY;
		}
		error_of(resp, &out->msg);
		if (out->msg.len == 0 && cm_buf_adds(&out->msg, "refused") < 0)
			goto nomem;
		if (resp->status == 404 && m->step != R_POST)
			r = cm_buf_adds(&out->msg, m->maybe ? ": the status "
			    "replied to is gone (whether an earlier send "
			    "reached it cannot be told)" : ": the status "
			    "replied to is gone");
		else
			r = 0;
		{
			/* "422: Validation failed: ..." */
			struct cm_buf t = CM_BUF_INIT;

			if (r < 0 ||
			    cm_buf_printf(&t, "%ld: ", resp->status) < 0 ||
			    cm_buf_add(&t, out->msg.data, out->msg.len) < 0) {
				cm_buf_free(&t);
				goto nomem;
			}
			cm_buf_free(&out->msg);
			out->msg = t;
		}
		return CM_REPLY_REFUSED;
	}
	body.raw = resp->body.data ? resp->body.data : "";
	body.len = resp->body.len;
	body.type = CM_JSON_OBJECT;
	if (cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0 ||
	    body.raw[strspn(body.raw, " \t\r\n")] != '{') {
		/* a proxy's page, half an answer: a post's outcome unknown */
		if (posting) {
			m->maybe = 1;
			m->step = after_target(m);
		}
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s sent no JSON object",
		    m->src->spec, m->host);
		return CM_REPLY_RETRY;
	}
	switch (m->step) {
	case R_RESOLVE:
		if (!cm_json_get(body.raw, body.len, "statuses.0.id",
		    &v[S_ID]) || str_of(&v[S_ID], &m->native) < 0 ||
		    m->native.len == 0 || m->native.len > 64 ||
		    strspn(m->native.data, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != m->native.len) {
			cm_buf_reset(&out->msg);
			if (cm_buf_printf(&out->msg, "%s does not find the "
			    "status replied to (%.200s)", m->host, m->rp->url) <
			    0)
				goto nomem;
			return CM_REPLY_REFUSED;
		}
		m->step = R_TARGET;
		return CM_REPLY_AGAIN;
	case R_TARGET:
		if (cm_json_scan(body.raw, body.len, 0, m->sp, v, &jerr) < 0)
			goto shape;
		if (v[S_VIS].type == CM_JSON_STRING) {
			struct cm_buf t = CM_BUF_INIT;
			int vi;

			if (cm_json_string(&v[S_VIS], &t) < 0) {
				cm_buf_free(&t);
				goto nomem;
			}
			vi = vis_index(t.data ? t.data : "");
			cm_buf_free(&t);
			if (vi > m->vis)
				m->vis = vi;
		}
		m->step = after_target(m);
		return CM_REPLY_AGAIN;
	case R_CRED:
		if (cm_json_scan(body.raw, body.len, 0, m->vp, cv, &jerr) < 0 ||
		    str_of(&cv[V_ID], &m->brand_id) < 0 || m->brand_id.len == 0)
			goto shape;
		m->step = R_LOOK;
		return CM_REPLY_AGAIN;
	case R_LOOK:
		if (cm_json_scan(body.raw, body.len, 0, m->cp, c, &jerr) < 0 ||
		    c[C_DESCENDANTS].type != CM_JSON_ARRAY)
			goto shape;
		if ((r = find_own(m, &c[C_DESCENDANTS], out)) < 0)
			goto nomem;
		if (r == 1) {
			out->found = 1;
			return CM_REPLY_DONE;
		}
		m->step = R_POST;
		return CM_REPLY_AGAIN;
	default:
		if (cm_json_scan(body.raw, body.len, 0, m->sp, v, &jerr) < 0 ||
		    (r = reply_of(m, v, out)) == 1) {
			/* a 200 that names no status: it may have gone */
			m->maybe = 1;
			m->step = after_target(m);
			cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: %s answered "
			    "the post with no status", m->src->spec, m->host);
			return CM_REPLY_RETRY;
		}
		if (r < 0)
			goto nomem;
		out->found = 0;
		return CM_REPLY_DONE;
	}
shape:
	cm_error_set(err, CM_EXIT_FAIL, "%s: %s sent JSON of another shape "
	    "than Mastodon's", m->src->spec, m->host);
	/* a post of the job may have gone: never the account's failure,
	 * which would take it as nothing posted */
	if (m->maybe) {
		err->status = CM_EXIT_TEMPFAIL;
		return CM_REPLY_RETRY;
	}
	return -1;
nomem:
	cm_error_nomem(err, m->src->spec);
	return -1;
}

/* --dry-run: the target as the account's reply_visibility says, no
 * earlier reply found, the account's id a placeholder. */
static int masto_reply_dry_step(void *st)
{
	struct masto *m = st;

	switch (m->step) {
	case R_RESOLVE:
		cm_buf_reset(&m->native);
		if (cm_buf_adds(&m->native, "STATUS-ID") < 0)
			return 0;
		m->step = R_TARGET;
		return 1;
	case R_TARGET:
		m->step = after_target(m);
		return 1;
	case R_CRED:
		cm_buf_reset(&m->brand_id);
		if (cm_buf_adds(&m->brand_id, "ACCOUNT-ID") < 0)
			return 0;
		m->step = R_LOOK;
		return 1;
	case R_LOOK:
		m->step = R_POST;
		return 1;
	default:
		return 0;
	}
}

/*
 * No pace of its own: Mastodon's posting budget (300 statuses in 3 hours
 * an account, by default) is in the X-RateLimit headers of each post's
 * answer, and the pacing keeps to them; a 429 waits for its Retry-After.
 */
static const struct cm_reply_ops masto_reply = {
	.open = masto_reply_open,
	.start = masto_reply_start,
	.request = masto_reply_request,
	.response = masto_reply_response,
	.dry_step = masto_reply_dry_step,
	.min_interval = 0,
};

const struct cm_adapter cm_adapter_mastodon = {
	.platform = "mastodon",
	.feeds = feeds,
	.check = masto_check,
	.open = masto_open,
	.close = masto_close,
	.request = masto_request,
	.response = masto_response,
	.budget = masto_budget,
	.dry_step = masto_dry_step,
	.reply = &masto_reply,
};
