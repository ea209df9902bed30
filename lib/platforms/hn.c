/* hn.c - Hacker News through its Algolia API (read-only, no account):
 * search:Q, stories and comments by date, and thread:ID */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "core/htmltext.h"
#include "core/json.h"
#include "core/timeutil.h"

#define DEFAULT_BASE "https://hn.algolia.com/api/v1"
#define PAGE_HITS 100
#define MAX_DEPTH 64		/* comment levels walked in a thread */

static const struct cm_feed feeds[] = {
	{ .name = "search", .arg = "QUERY", .order = CM_ORDER_NEWEST_FIRST,
	    .lookback = 3600,
	    .help = "stories and comments that match QUERY, newest first" },
	{ .name = "thread", .arg = "ID", .order = CM_ORDER_NONE,
	    .help = "an item and every comment under it" },
	{ .name = NULL }
};

enum feed { F_SEARCH, F_THREAD };

/* A search hit's fields, and an item's (the thread's nested form). */
enum {
	H_ID, H_CREATED, H_AUTHOR, H_TITLE, H_URL, H_STORY_TEXT,
	H_COMMENT_TEXT, H_STORY_ID, H_PARENT_ID, H_POINTS, H_COMMENTS,
	H_TAGS, NH
};

static const char *const hit_paths[NH] = {
	"objectID", "created_at_i", "author", "title", "url", "story_text",
	"comment_text", "story_id", "parent_id", "points", "num_comments",
	"_tags"
};

enum {
	I_ID, I_CREATED, I_AUTHOR, I_TITLE, I_URL, I_TEXT, I_STORY_ID,
	I_PARENT_ID, I_POINTS, I_TYPE, I_CHILDREN, NI
};

static const char *const item_paths[NI] = {
	"id", "created_at_i", "author", "title", "url", "text", "story_id",
	"parent_id", "points", "type", "children"
};

struct hn {
	const struct cm_source *src;
	enum feed feed;
	char *base;
	const char *user_agent, *cacert;
	struct cm_json_paths *hp, *ip;
	struct cm_buf url, id, author, aurl, link, text, html, reply, thread;
	int64_t oldest;			/* the page's oldest created_at_i */
	int64_t asked;			/* the cursor it was asked from, or 0 */
	int done;
};

static const char *key(const struct cm_source *s, const char *k)
{
	return s->has_account ? cm_config_get(s->cfg, "account", s->account,
	    k) : NULL;
}

static int hn_check(const struct cm_source *src, struct cm_error *err)
{
	const char *base = key(src, "base_url");
	struct cm_error e;

	if (base && cm_http_url_ok(base, &e) < 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] base_url: %s",
		    src->spec, src->account, e.msg);
		return -1;
	}
	if (src->feed == &feeds[F_THREAD] &&
	    strspn(src->arg, "0123456789") != strlen(src->arg)) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: an item id is a number",
		    src->spec);
		return -1;
	}
	return 0;
}

static void hn_close(void *st)
{
	struct hn *h = st;

	if (h == NULL)
		return;
	free(h->base);
	cm_json_paths_free(h->hp);
	cm_json_paths_free(h->ip);
	cm_buf_free(&h->url);
	cm_buf_free(&h->id);
	cm_buf_free(&h->author);
	cm_buf_free(&h->aurl);
	cm_buf_free(&h->link);
	cm_buf_free(&h->text);
	cm_buf_free(&h->html);
	cm_buf_free(&h->reply);
	cm_buf_free(&h->thread);
	free(h);
}

static void *hn_open(const struct cm_source *src, struct cm_error *err)
{
	struct hn *h;
	const char *base = key(src, "base_url");
	size_t n;

	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->base = strdup(base ? base : DEFAULT_BASE)) == NULL ||
	    (h->hp = cm_json_paths_new(hit_paths, NH)) == NULL ||
	    (h->ip = cm_json_paths_new(item_paths, NI)) == NULL) {
		hn_close(h);
		cm_error_nomem(err, src->spec);
		return NULL;
	}
	for (n = strlen(h->base); n > 0 && h->base[n - 1] == '/'; n--)
		h->base[n - 1] = '\0';
	h->src = src;
	h->feed = src->feed == &feeds[F_THREAD] ? F_THREAD : F_SEARCH;
	h->user_agent = key(src, "user_agent");
	h->cacert = key(src, "cacert");
	return h;
}

static int hn_request(void *st, const char *cursor, struct cm_http_req *req,
    struct cm_http_opts *o, struct cm_error *err)
{
	struct hn *h = st;
	int r = 0;

	if (h->done)
		return 0;
	cm_buf_reset(&h->url);
	if (h->feed == F_THREAD)
		r |= cm_buf_printf(&h->url, "%s/items/%s", h->base,
		    h->src->arg);
	else {
		/* Paging goes by time, not page number: new items coming in
		 * during a run do not shift what the next page holds.  The
		 * cursor's second is asked for again (<=): a page may end
		 * inside it, and the driver drops the ids it already has. */
		r |= cm_buf_printf(&h->url, "%s/search_by_date?tags=(story,"
		    "comment)&hitsPerPage=%d&query=", h->base, PAGE_HITS) |
		    cm_buf_add_pcts(&h->url, h->src->arg);
		h->asked = cursor ? strtoll(cursor, NULL, 10) : 0;
		if (cursor)
			r |= cm_buf_adds(&h->url, "&numericFilters=created_at_i"
			    "%3C%3D") | cm_buf_add_pcts(&h->url, cursor);
	}
	if (r < 0) {
		cm_error_nomem(err, h->src->spec);
		return -1;
	}
	req->url = h->url.data;
	req->headers[0] = "Accept: application/json";
	o->user_agent = h->user_agent;
	o->cacert = h->cacert;
	return 1;
}

static const char *cstr(const struct cm_json_value *v, struct cm_buf *b)
{
	cm_buf_reset(b);
	if (v->type != CM_JSON_STRING || cm_json_string(v, b) < 0)
		return NULL;
	return b->data ? b->data : "";
}

/* An id member: a number (items) or a string (hits), as text. */
static int id_text(const struct cm_json_value *v, struct cm_buf *b)
{
	int64_t n;

	cm_buf_reset(b);
	if (v->type == CM_JSON_STRING)
		return cm_json_string(v, b);
	if (v->type == CM_JSON_NUMBER && cm_json_int64(v, &n) == 0)
		return cm_buf_printf(b, "%lld", (long long)n);
	return -1;
}

/* HTML (comment_text, story_text, an item's text) to the text, after
 * what is there already. */
static int add_html(struct hn *h, const struct cm_json_value *v)
{
	if (v->type != CM_JSON_STRING)
		return 0;
	cm_buf_reset(&h->html);
	if (cm_json_string(v, &h->html) < 0)
		return -1;
	if (h->text.len && h->html.len && cm_buf_adds(&h->text, "\n\n") < 0)
		return -1;
	/* Past its size or depth limits, the text up to there is kept. */
	if (cm_htmltext(h->html.data ? h->html.data : "", h->html.len,
	    &h->text) < 0 && errno != EMSGSIZE)
		return -1;
	return 0;
}

/*
 * One story or comment to a record, from its fields (search hit or item,
 * mapped to the same slots by the caller).  Returns what the sink says,
 * 0 for none to make, -1 out of memory.
 */
struct fields {
	const struct cm_json_value *id, *created, *author, *title, *url,
	    *text, *story_id, *parent_id, *points, *comments;
	int is_story;
	int64_t ncomments;	/* counted in an item's tree, or -1 */
	const char *raw;
	size_t raw_len;
};

static int item_record(struct hn *h, const struct fields *f,
    struct cm_sink *sink)
{
	struct cm_rec rec;
	struct cm_buf parent = CM_BUF_INIT;
	const char *author;
	int64_t t, n;
	int rc = -1;

	if (id_text(f->id, &parent) < 0 || parent.len == 0 ||
	    f->created->type != CM_JSON_NUMBER ||
	    cm_json_int64(f->created, &t) < 0 || t < 0 || t > CM_TIME_MAX) {
		/* a time out of range would overflow its microseconds */
		cm_buf_free(&parent);
		return 0;
	}
	cm_rec_init(&rec);
	cm_buf_reset(&h->id);
	cm_buf_reset(&h->link);
	if (cm_buf_printf(&h->id, "hn:%s", parent.data) < 0 ||
	    cm_buf_printf(&h->link, "https://news.ycombinator.com/item?id=%s",
	    parent.data) < 0)
		goto out;
	rec.id = h->id.data;
	rec.platform = "hn";
	rec.created_at = t;
	rec.url = h->link.data;
	author = cstr(f->author, &h->author);
	rec.author.id = rec.author.handle = rec.author.name = author;
	cm_buf_reset(&h->aurl);
	if (author && cm_buf_printf(&h->aurl, "https://news.ycombinator.com/"
	    "user?id=%s", author) < 0)
		goto out;
	rec.author.url = h->aurl.data;
	rec.author.is_brand = 0;
	if (h->src->has_account) {
		const char *brand = cm_config_get(h->src->cfg, "account",
		    h->src->account, "handle");

		rec.author.is_brand = brand && author &&
		    strcmp(brand, author) == 0;
	}
	/* A story's text: its title, its text, its link. */
	cm_buf_reset(&h->text);
	if (f->is_story) {
		if ((f->title->type == CM_JSON_STRING &&
		    cm_json_string(f->title, &h->text) < 0) ||
		    add_html(h, f->text) < 0)
			goto out;
		if (f->url->type == CM_JSON_STRING) {
			if (h->text.len && cm_buf_adds(&h->text, "\n\n") < 0)
				goto out;
			if (cm_json_string(f->url, &h->text) < 0)
				goto out;
		}
		rec.kind = "post";
		rec.likes = f->points->type == CM_JSON_NUMBER &&
		    cm_json_int64(f->points, &n) == 0 ? n : CM_REC_NULL;
		rec.replies = f->comments && f->comments->type ==
		    CM_JSON_NUMBER && cm_json_int64(f->comments, &n) == 0 ?
		    n : f->ncomments >= 0 ? f->ncomments : CM_REC_NULL;
	} else {
		if (add_html(h, f->text) < 0)
			goto out;
		rec.kind = rec.author.is_brand ? "reply" : "comment";
		cm_buf_reset(&h->reply);
		cm_buf_reset(&h->thread);
		if (id_text(f->parent_id, &parent) == 0 && parent.len &&
		    cm_buf_printf(&h->reply, "hn:%s", parent.data) < 0)
			goto out;
		if (id_text(f->story_id, &parent) == 0 && parent.len &&
		    cm_buf_printf(&h->thread, "hn:%s", parent.data) < 0)
			goto out;
		rec.in_reply_to = h->reply.len ? h->reply.data : NULL;
		rec.thread = h->thread.len ? h->thread.data : rec.in_reply_to;
		if (rec.in_reply_to == NULL)
			rec.thread = NULL;
	}
	rec.text = h->text.data ? h->text.data : "";
	rec.text_len = h->text.len;
	rec.reason = h->feed == F_THREAD ? (rec.author.is_brand ? "own" :
	    "reply") : "search";
	rec.raw = f->raw;
	rec.raw_len = f->raw_len;
	rc = sink->record(sink->ctx, &rec, t * 1000000);
	if (t < h->oldest || h->oldest == 0)
		h->oldest = t;
out:
	cm_buf_free(&parent);
	return rc;
}

/* The comments under an item (its children's trees), those deleted
 * (no author) left out, as HN counts them. */
static int64_t count_comments(const struct cm_json_value *iv, int depth)
{
	struct cm_json_value kids, child, a;
	size_t pos = 0;
	int64_t n = 0;

	if (depth >= MAX_DEPTH || !cm_json_get(iv->raw, iv->len, "children",
	    &kids) || kids.type != CM_JSON_ARRAY)
		return 0;
	while (cm_json_each(&kids, &pos, NULL, &child)) {
		if (child.type != CM_JSON_OBJECT)
			continue;
		if (cm_json_get(child.raw, child.len, "author", &a) &&
		    a.type == CM_JSON_STRING)
			n++;
		n += count_comments(&child, depth + 1);
	}
	return n;
}

static int walk_item(struct hn *h, const struct cm_json_value *iv,
    struct cm_sink *sink, int depth)
{
	struct cm_json_value v[NI], child;
	struct cm_json_error jerr;
	struct fields f;
	size_t pos = 0;
	int rc;

	if (iv->type != CM_JSON_OBJECT ||
	    cm_json_scan(iv->raw, iv->len, 0, h->ip, v, &jerr) < 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.id = &v[I_ID];
	f.created = &v[I_CREATED];
	f.author = &v[I_AUTHOR];
	f.title = &v[I_TITLE];
	f.url = &v[I_URL];
	f.text = &v[I_TEXT];
	f.story_id = &v[I_STORY_ID];
	f.parent_id = &v[I_PARENT_ID];
	f.points = &v[I_POINTS];
	f.is_story = !cm_json_string_eq(&v[I_TYPE], "comment");
	/* an item says no num_comments: its tree does */
	f.ncomments = f.is_story ? count_comments(iv, depth) : -1;
	f.raw = iv->raw;
	f.raw_len = iv->len;
	/* a deleted comment has no author: its replies still count */
	if (v[I_AUTHOR].type == CM_JSON_STRING &&
	    (rc = item_record(h, &f, sink)) != 0)
		return rc;
	if (depth >= MAX_DEPTH || v[I_CHILDREN].type != CM_JSON_ARRAY)
		return 0;
	while (cm_json_each(&v[I_CHILDREN], &pos, NULL, &child))
		if ((rc = walk_item(h, &child, sink, depth + 1)) != 0)
			return rc;
	return 0;
}

static int hn_response(void *st, const struct cm_http_resp *resp,
    struct cm_sink *sink, struct cm_buf *next, double *retry_after,
    struct cm_error *err)
{
	struct hn *h = st;
	struct cm_json_value body, hits, el, v[NH], tag;
	struct cm_json_error jerr;
	struct fields f;
	size_t pos = 0, tpos, n = 0;
	int rc = 0;

	*retry_after = -1;
	if (resp->status != 200) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: the HN search answered "
		    "%ld%s", h->src->spec, resp->status, resp->status == 404 ?
		    " (no such item)" : "");
		return -1;
	}
	body.raw = resp->body.data ? resp->body.data : "";
	body.len = resp->body.len;
	body.type = CM_JSON_OBJECT;
	if (cm_json_scan(body.raw, body.len, 0, NULL, NULL, &jerr) < 0) {
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: the HN search sent no "
		    "JSON (at byte %zu: %s)", h->src->spec, jerr.offset + 1,
		    jerr.msg);
		return CM_PAGE_RETRY;
	}
	if (h->feed == F_THREAD) {
		h->done = 1;
		if ((rc = walk_item(h, &body, sink, 0)) < 0)
			goto nomem;
		return CM_PAGE_DONE;
	}
	if (!cm_json_get(body.raw, body.len, "hits", &hits) ||
	    hits.type != CM_JSON_ARRAY) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: the HN search sent JSON "
		    "without hits", h->src->spec);
		return -1;
	}
	h->oldest = 0;
	while (rc == 0 && cm_json_each(&hits, &pos, NULL, &el)) {
		n++;
		if (cm_json_scan(el.raw, el.len, 0, h->hp, v, &jerr) < 0)
			continue;
		memset(&f, 0, sizeof(f));
		f.id = &v[H_ID];
		f.created = &v[H_CREATED];
		f.author = &v[H_AUTHOR];
		f.title = &v[H_TITLE];
		f.url = &v[H_URL];
		f.story_id = &v[H_STORY_ID];
		f.parent_id = &v[H_PARENT_ID];
		f.points = &v[H_POINTS];
		f.comments = &v[H_COMMENTS];
		f.raw = el.raw;
		f.raw_len = el.len;
		f.is_story = 0;
		f.ncomments = -1;
		tpos = 0;
		while (cm_json_each(&v[H_TAGS], &tpos, NULL, &tag))
			if (cm_json_string_eq(&tag, "story"))
				f.is_story = 1;
		f.text = f.is_story ? &v[H_STORY_TEXT] : &v[H_COMMENT_TEXT];
		rc = item_record(h, &f, sink);
	}
	if (rc < 0)
		goto nomem;
	/* The next page: from this page's oldest second down.  A page all
	 * of the second it was asked from would come again: past it then
	 * (what more than a page holds of one second is not reached). */
	if (rc == 0 && n == PAGE_HITS && h->oldest > 0 &&
	    cm_buf_printf(next, "%lld", (long long)(h->oldest -
	    (h->asked == h->oldest))) < 0)
		goto nomem;
	return CM_PAGE_DONE;
nomem:
	cm_error_nomem(err, h->src->spec);
	return -1;
}

const struct cm_adapter cm_adapter_hn = {
	.platform = "hn",
	.feeds = feeds,
	.check = hn_check,
	.open = hn_open,
	.close = hn_close,
	.request = hn_request,
	.response = hn_response,
};
