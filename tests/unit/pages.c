/* pages.c - unit tests for the adapters' page parsers, on pages written
 * here: what a second record of a page keeps of the first, times out of
 * range, what a server's answer puts in the next URL */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "platforms/adapter.h"
#include "store/config.h"
#include "tap.h"

struct got {
	struct cm_buf handles;	/* author.handle of each, one a line */
	size_t n;
};

static int on_record(void *ctx, struct cm_rec *rec, int64_t order)
{
	struct got *g = ctx;

	(void)order;
	g->n++;
	return cm_buf_adds(&g->handles, rec->author.handle ?
	    rec->author.handle : "(null)") | cm_buf_addc(&g->handles, '\n');
}

static void on_bad(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/* One page of the public feed spec of platform, body as its answer;
 * the author handles of its records into g.  0, or -1. */
static int one_page(const char *platform, const char *feed, const char *arg,
    const char *body, struct got *g)
{
	const struct cm_adapter *ad = cm_adapter_find(platform,
	    strlen(platform));
	struct cm_sink sink = { on_record, on_bad, g, 0 };
	struct cm_buf next = CM_BUF_INIT;
	struct cm_http_resp resp;
	struct cm_http_req req;
	struct cm_http_opts o;
	struct cm_source src;
	struct cm_config *cfg;
	struct cm_error err;
	double retry;
	void *st;
	int rc = -1;

	if ((cfg = cm_config_parse("t", "", 0, &err)) == NULL)
		return -1;
	memset(&src, 0, sizeof(src));
	src.spec = src.key = "t";
	src.account = platform;
	src.ad = ad;
	src.feed = cm_adapter_feed(ad, feed, strlen(feed));
	src.arg = arg;
	src.cfg = cfg;
	memset(&req, 0, sizeof(req));
	memset(&o, 0, sizeof(o));
	memset(&resp, 0, sizeof(resp));
	resp.status = 200;
	if (src.feed && ad->check(&src, &err) == 0 &&
	    (st = ad->open(&src, &err)) != NULL) {
		if (ad->request(st, NULL, &req, &o, &err) == 1 &&
		    cm_buf_adds(&resp.body, body) == 0)
			rc = ad->response(st, &resp, &sink, &next, &retry, &err);
		ad->close(st);
	}
	cm_buf_free(&resp.body);
	cm_buf_free(&next);
	cm_config_free(cfg);
	return rc;
}

/* Mastodon's author.handle and name were appended to the last record's:
 * "annann" for the second status of a page. */
static void test_mastodon_authors(void)
{
	static const char page[] = "[{\"id\":\"2\",\"created_at\":"
	    "\"2026-01-01T00:00:02Z\",\"content\":\"<p>b</p>\",\"account\":"
	    "{\"id\":\"9\",\"acct\":\"ann\",\"display_name\":\"Ann\"}},"
	    "{\"id\":\"1\",\"created_at\":\"2026-01-01T00:00:01Z\","
	    "\"content\":\"<p>a</p>\",\"account\":{\"id\":\"8\",\"acct\":"
	    "\"bob@x.example\",\"username\":\"bob\",\"display_name\":\"\"}}]";
	struct got g = { CM_BUF_INIT, 0 };

	is_int(one_page("mastodon", "tag", "acme", page, &g), CM_PAGE_DONE,
	    "mastodon: a tag page");
	is_int((int)g.n, 2, "mastodon: two records");
	is_str(g.handles.data ? g.handles.data : "", "ann\nbob@x.example\n",
	    "mastodon: each record's author is its own");
	cm_buf_free(&g.handles);
}

/* A time past any year a record can say made no record but undefined
 * behaviour (a double or its microseconds out of int64_t's range). */
static void test_times_out_of_range(void)
{
	static const char listing[] = "{\"kind\":\"Listing\",\"data\":"
	    "{\"children\":[{\"kind\":\"t3\",\"data\":{\"name\":\"t3_a\","
	    "\"author\":\"ann\",\"created_utc\":1.8e119,\"title\":\"x\"}},"
	    "{\"kind\":\"t3\",\"data\":{\"name\":\"t3_b\",\"author\":"
	    "\"bob\",\"created_utc\":1795000000.0,\"title\":\"y\"}}]}}";
	static const char hits[] = "{\"hits\":[{\"objectID\":\"1\","
	    "\"created_at_i\":17950001001795,\"author\":\"ann\","
	    "\"comment_text\":\"x\",\"_tags\":[\"comment\"]},"
	    "{\"objectID\":\"2\",\"created_at_i\":1795000000,\"author\":"
	    "\"bob\",\"comment_text\":\"y\",\"_tags\":[\"comment\"]}]}";
	struct got g = { CM_BUF_INIT, 0 };

	is_int(one_page("reddit", "search", "acme", listing, &g),
	    CM_PAGE_DONE, "reddit: a search page");
	is_str(g.handles.data ? g.handles.data : "", "bob\n",
	    "reddit: a post of the year 10^112 makes no record");
	cm_buf_reset(&g.handles);
	is_int(one_page("hn", "search", "acme", hits, &g), CM_PAGE_DONE,
	    "hn: a search page");
	is_str(g.handles.data ? g.handles.data : "", "bob\n",
	    "hn: a comment of the year 570000 makes no record");
	cm_buf_free(&g.handles);
}

/* The account's id comes from verify_credentials, the server's answer:
 * in own's URL it is encoded, so it stays one path segment. */
static void test_mastodon_own_url(void)
{
	static const char conf[] = "[account a]\nplatform = mastodon\n"
	    "base_url = http://127.0.0.1:9\ntoken = env:CM_PAGES_TOKEN\n";
	static const char cred[] = "{\"id\":\"1/../../admin x?y\","
	    "\"acct\":\"acme\"}";
	const struct cm_adapter *ad = cm_adapter_find("mastodon", 8);
	struct got g = { CM_BUF_INIT, 0 };
	struct cm_sink sink = { on_record, on_bad, &g, 0 };
	struct cm_buf next = CM_BUF_INIT;
	struct cm_http_resp resp;
	struct cm_http_req req;
	struct cm_http_opts o;
	struct cm_source src;
	struct cm_config *cfg;
	struct cm_error err;
	double retry;
	void *st = NULL;

	setenv("CM_PAGES_TOKEN", "t", 1);
	cfg = cm_config_parse("t", conf, strlen(conf), &err);
	memset(&src, 0, sizeof(src));
	src.spec = src.key = "a:own";
	src.account = "a";
	src.has_account = 1;
	src.ad = ad;
	src.feed = cm_adapter_feed(ad, "own", 3);
	src.cfg = cfg;
	memset(&req, 0, sizeof(req));
	memset(&o, 0, sizeof(o));
	memset(&resp, 0, sizeof(resp));
	resp.status = 200;
	ok(cfg && ad->check(&src, &err) == 0 &&
	    (st = ad->open(&src, &err)) != NULL &&
	    ad->request(st, NULL, &req, &o, &err) == 1 &&
	    cm_buf_adds(&resp.body, cred) == 0 &&
	    ad->response(st, &resp, &sink, &next, &retry, &err) ==
	    CM_PAGE_AGAIN && ad->request(st, NULL, &req, &o, &err) == 1,
	    "mastodon own: the brand, then its statuses");
	is_str(req.url ? req.url : "", "http://127.0.0.1:9/api/v1/accounts/"
	    "1%2F..%2F..%2Fadmin%20x%3Fy/statuses?exclude_reblogs=true&"
	    "limit=40", "mastodon own: the id encoded in the URL");
	if (st)
		ad->close(st);
	cm_buf_free(&resp.body);
	cm_buf_free(&next);
	cm_config_free(cfg);
}

int main(void)
{
	test_mastodon_authors();
	test_times_out_of_range();
	test_mastodon_own_url();
	return tap_done();
}
