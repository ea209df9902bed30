/* reply_adapters.c - unit tests for the reply half of the Mastodon and Reddit
 * adapters, on answers written here: the exact requests, what each
 * answer leads to (the post, a look, a refusal, a wait), and the text
 * comparison of the look */
#include <stdlib.h>
#include <string.h>

#include "platforms/adapter.h"
#include "platforms/replytext.h"
#include "store/config.h"
#include "tap.h"

#define KEY "0123456789abcdef0123456789abcdef"

struct job {
	const struct cm_adapter *ad;
	struct cm_config *cfg;
	struct cm_source src;
	struct cm_reply rp;
	struct cm_reply_out out;
	struct cm_error err;
	struct cm_buf seen;	/* the last request, as text */
	double wait;
	void *st;
};

static int job_open(struct job *j, const char *platform, const char *conf)
{
	memset(j, 0, sizeof(*j));
	j->ad = cm_adapter_find(platform, strlen(platform));
	if (j->ad == NULL || j->ad->reply == NULL ||
	    (j->cfg = cm_config_parse("t", conf, strlen(conf), &j->err)) ==
	    NULL)
		return -1;
	j->src.spec = j->src.key = "acct";
	j->src.account = "acct";
	j->src.has_account = 1;
	j->src.ad = j->ad;
	j->src.cfg = j->cfg;
	j->st = j->ad->reply->open(&j->src, &j->err);
	return j->st ? 0 : -1;
}

static void job_close(struct job *j)
{
	if (j->st)
		j->ad->close(j->st);
	cm_config_free(j->cfg);
	cm_buf_free(&j->out.id);
	cm_buf_free(&j->out.url);
	cm_buf_free(&j->out.msg);
	cm_buf_free(&j->seen);
}

static int job_start(struct job *j, const char *target, const char *thread,
    const char *text, int unknown)
{
	j->rp.target = target;
	j->rp.thread = thread;
	j->rp.text = text;
	j->rp.key = KEY;
	j->rp.unknown = unknown;
	return j->ad->reply->start(j->st, &j->rp, &j->err);
}

/* The next request as "METHOD URL [content type] [headers] \n body". */
static const char *next_req(struct job *j)
{
	struct cm_http_req req;
	struct cm_http_opts o;

	memset(&req, 0, sizeof(req));
	memset(&o, 0, sizeof(o));
	cm_buf_reset(&j->seen);
	if (j->ad->reply->request(j->st, &req, &o, &j->err) != 1)
		return "(none)";
	cm_buf_printf(&j->seen, "%s %s", req.method ? req.method : "GET",
	    req.url);
	for (int i = 1; i < CM_HTTP_MAX_HEADERS && req.headers[i]; i++)
		cm_buf_printf(&j->seen, " [%s]", req.headers[i]);
	if (req.bearer)
		cm_buf_printf(&j->seen, " bearer=%s", req.bearer);
	if (req.body)
		cm_buf_printf(&j->seen, " (%s%s)\n%.*s", req.content_type,
		    req.body_public ? ", public" : "", (int)req.body_len,
		    req.body);
	return j->seen.data;
}

/* The answer to the last request: what reply_response returns. */
static int answer(struct job *j, long status, const char *headers,
    const char *body)
{
	struct cm_http_resp resp;
	int r;

	memset(&resp, 0, sizeof(resp));
	resp.status = status;
	if (status == 0)
		strcpy(resp.error, "Connection reset by peer");
	cm_buf_adds(&resp.headers, headers ? headers : "");
	cm_buf_adds(&resp.body, body ? body : "");
	j->err.msg[0] = '\0';
	r = j->ad->reply->response(j->st, &resp, &j->out, &j->wait, &j->err);
	cm_buf_free(&resp.headers);
	cm_buf_free(&resp.body);
	return r;
}

#define MCONF "[account acct]\nplatform = mastodon\n" \
	"base_url = http://127.0.0.1:8080/m\ntoken = env:CM_T_TOKEN\n"
#define MT "mastodon:127.0.0.1:8080:113"
#define MSTATUS(vis) "{\"id\":\"113\",\"visibility\":\"" vis "\"," \
	"\"content\":\"<p>hi</p>\",\"account\":{\"id\":\"9\"}}"
#define MPOST "POST http://127.0.0.1:8080/m/api/v1/statuses " \
	"[Idempotency-Key: " KEY "] bearer=tok " \
	"(application/x-www-form-urlencoded, public)\n" \
	"status=%40ann%20Sorry%2C%20" \
	"we%27re%20on%20it%20%26%20more&in_reply_to_id=113&visibility="
#define MREPLY "{\"id\":\"200\",\"url\":\"https://h/@acme/200\"," \
	"\"uri\":\"https://h/users/acme/statuses/200\"}"
#define MTEXT "@ann Sorry, we're on it & more"

static void test_mastodon_post(void)
{
	struct job j;

	if (!ok(job_open(&j, "mastodon", MCONF) == 0, "mastodon: open")) {
		printf("# %s\n", j.err.msg);
		job_close(&j);
		return;
	}
	is_int(job_start(&j, MT, NULL, MTEXT, 0), 0, "mastodon: a job");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/m/api/v1/statuses/113 "
	    "bearer=tok", "mastodon: the target's status first");
	is_int(answer(&j, 200, NULL, MSTATUS("unlisted")), CM_REPLY_AGAIN,
	    "mastodon: then the post");
	is_str(next_req(&j), MPOST "unlisted", "mastodon: the post's exact "
	    "request: form, the key, no more public than the target");
	is_int(answer(&j, 200, NULL, MREPLY), CM_REPLY_DONE, "mastodon: done");
	is_str(j.out.id.data, "mastodon:127.0.0.1:8080:200",
	    "mastodon: the reply's id as cm-fetch names it");
	is_str(j.out.url.data, "https://h/@acme/200", "mastodon: its url");
	is_int(j.out.found, 0, "mastodon: posted, not found");

	/* 429: nothing posted, the same post after the wait */
	is_int(job_start(&j, MT, NULL, MTEXT, 0), 0, "mastodon: another job");
	next_req(&j);
	answer(&j, 200, NULL, MSTATUS("public"));
	is_str(next_req(&j), MPOST "public", "mastodon: public to public");
	is_int(answer(&j, 429, "retry-after: 7\n", "{\"error\":\"Too many "
	    "requests\"}"), CM_REPLY_RETRY, "mastodon: 429 waits");
	ok(j.wait > 6.5 && j.wait < 7.5, "mastodon: as Retry-After says");
	is_str(next_req(&j), MPOST "public", "mastodon: and posts again, "
	    "no look (a 429 posts nothing)");

	/* 422: refused with the server's word */
	is_int(answer(&j, 422, NULL, "{\"error\":\"Validation failed: Text "
	    "character limit of 500 exceeded\"}"), CM_REPLY_REFUSED,
	    "mastodon: 422 refused");
	is_str(j.out.msg.data, "422: Validation failed: Text character limit "
	    "of 500 exceeded", "mastodon: the server's message");

	/* no answer to the post: a look, then found */
	is_int(job_start(&j, MT, NULL, MTEXT, 0), 0, "mastodon: a third job");
	next_req(&j);
	answer(&j, 200, NULL, MSTATUS("direct"));
	is_str(next_req(&j), MPOST "direct", "mastodon: a reply to a direct "
	    "message is direct");
	is_int(answer(&j, 0, NULL, NULL), CM_REPLY_RETRY,
	    "mastodon: a reset retries");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/m/api/v1/accounts/"
	    "verify_credentials bearer=tok", "mastodon: whose the token is");
	is_int(answer(&j, 200, NULL, "{\"id\":\"1\",\"acct\":\"acme\"}"),
	    CM_REPLY_AGAIN, "mastodon: then the look");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/m/api/v1/statuses/113/"
	    "context bearer=tok", "mastodon: the target's context");
	/* someone else's reply with our text, ours with another text, ours
	 * to another status: none is the one */
	is_int(answer(&j, 200, NULL, "{\"ancestors\":[],\"descendants\":["
	    "{\"id\":\"300\",\"in_reply_to_id\":\"113\",\"account\":{\"id\":"
	    "\"2\"},\"content\":\"<p>@ann Sorry, we're on it &amp; more</p>\"},"
	    "{\"id\":\"301\",\"in_reply_to_id\":\"113\",\"account\":{\"id\":"
	    "\"1\"},\"content\":\"<p>@ann Sorry</p>\"},"
	    "{\"id\":\"302\",\"in_reply_to_id\":\"300\",\"account\":{\"id\":"
	    "\"1\"},\"content\":\"<p>@ann Sorry, we're on it &amp; more</p>\"}"
	    "]}"), CM_REPLY_AGAIN, "mastodon: not there: posts");
	is_str(next_req(&j), MPOST "direct", "mastodon: the same key again");
	is_int(answer(&j, 503, NULL, "{}"), CM_REPLY_RETRY,
	    "mastodon: 503 retries");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/m/api/v1/statuses/113/"
	    "context bearer=tok", "mastodon: and looks again (the account "
	    "known)");
	is_int(answer(&j, 200, NULL, "{\"ancestors\":[],\"descendants\":["
	    "{\"id\":\"303\",\"in_reply_to_id\":\"113\",\"account\":{\"id\":"
	    "\"1\"},\"url\":\"https://h/@acme/303\",\"content\":\"<p><span "
	    "class=\\\"h-card\\\"><a href=\\\"https://x/@ann\\\" class=\\\""
	    "u-url mention\\\">@<span>ann</span></a></span> Sorry, we&#39;re "
	    "on it &amp; more</p>\"}]}"), CM_REPLY_DONE,
	    "mastodon: there: done");
	is_int(j.out.found, 1, "mastodon: found, not posted");
	is_str(j.out.id.data, "mastodon:127.0.0.1:8080:303",
	    "mastodon: the earlier reply's id");

	/* a pending claim: the look comes before any post */
	is_int(job_start(&j, MT, NULL, MTEXT, 1), 0, "mastodon: an unknown "
	    "outcome");
	next_req(&j);
	answer(&j, 200, NULL, MSTATUS("public"));
	ok(strstr(next_req(&j), "/context") != NULL, "mastodon: looks first");
	is_int(answer(&j, 200, NULL, "{\"ancestors\":[]}"), CM_REPLY_RETRY,
	    "mastodon: a look it cannot read retries (never the account's "
	    "failure: a post may have gone)");
	is_int(answer(&j, 400, NULL, "{\"error\":\"bad\"}"), CM_REPLY_RETRY,
	    "mastodon: a look refused retries too");
	ok(strstr(next_req(&j), "/context") != NULL, "mastodon: and looks "
	    "again");
	is_int(answer(&j, 401, NULL, "{\"error\":\"The access token is "
	    "invalid\"}"), -1, "mastodon: 401 ends the account");
	ok(strstr(j.err.msg, "check [account acct] token") != NULL &&
	    strstr(j.err.msg, "tok") == strstr(j.err.msg, "token"),
	    "mastodon: says so, without the token");

	/* the target gone */
	is_int(job_start(&j, MT, NULL, MTEXT, 0), 0, "mastodon: a fifth job");
	next_req(&j);
	is_int(answer(&j, 404, NULL, "{\"error\":\"Record not found\"}"),
	    CM_REPLY_REFUSED, "mastodon: a target gone is refused");
	is_str(j.out.msg.data, "404: Record not found: the status replied to "
	    "is gone", "mastodon: says why");

	/* a status of another server: found on the account's by its URL */
	j.rp.url = "https://other.example/@ann/77";
	is_int(job_start(&j, "mastodon:other.example:77", NULL, MTEXT, 0), 0,
	    "mastodon: a status of another server");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/m/api/v2/search?type="
	    "statuses&resolve=true&limit=1&q=https%3A%2F%2Fother.example%2F%40"
	    "ann%2F77 bearer=tok", "mastodon: is looked up by its URL");
	is_int(answer(&j, 200, NULL, "{\"accounts\":[],\"statuses\":[{\"id\":"
	    "\"113\"}],\"hashtags\":[]}"), CM_REPLY_AGAIN,
	    "mastodon: found there");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/m/api/v1/statuses/113 "
	    "bearer=tok", "mastodon: and answered by its id there");
	is_int(job_start(&j, "mastodon:other.example:77", NULL, MTEXT, 0), 0,
	    "mastodon: again");
	next_req(&j);
	is_int(answer(&j, 200, NULL, "{\"accounts\":[],\"statuses\":[],"
	    "\"hashtags\":[]}"), CM_REPLY_REFUSED, "mastodon: not found there: "
	    "refused");
	j.rp.url = NULL;
	is_int(job_start(&j, "mastodon:other.example:77", NULL, MTEXT, 0), -1,
	    "mastodon: a status of another server without a URL cannot be "
	    "answered");
	job_close(&j);

	ok(job_open(&j, "mastodon", MCONF "reply_visibility = sideways\n") ==
	    -1 && strstr(j.err.msg, "reply_visibility"), "mastodon: "
	    "reply_visibility is checked");
	job_close(&j);
	if (job_open(&j, "mastodon", MCONF "reply_visibility = private\n") ==
	    0) {
		job_start(&j, MT, NULL, MTEXT, 0);
		next_req(&j);
		answer(&j, 200, NULL, MSTATUS("unlisted"));
		is_str(next_req(&j), MPOST "private", "mastodon: "
		    "reply_visibility private makes replies private");
	}
	job_close(&j);
}

static void test_mastodon_dry(void)
{
	struct job j;

	if (job_open(&j, "mastodon", MCONF) < 0)
		return;
	job_start(&j, MT, NULL, MTEXT, 1);
	ok(strstr(next_req(&j), "statuses/113 ") != NULL, "mastodon dry: the "
	    "target");
	is_int(j.ad->reply->dry_step(j.st), 1, "mastodon dry: more");
	ok(strstr(next_req(&j), "verify_credentials") != NULL,
	    "mastodon dry: the account");
	is_int(j.ad->reply->dry_step(j.st), 1, "mastodon dry: more");
	ok(strstr(next_req(&j), "/context") != NULL, "mastodon dry: the look");
	is_int(j.ad->reply->dry_step(j.st), 1, "mastodon dry: more");
	is_str(next_req(&j), MPOST "public", "mastodon dry: the post");
	is_int(j.ad->reply->dry_step(j.st), 0, "mastodon dry: the last");
	job_close(&j);
}

#define RCONF "[account acct]\nplatform = reddit\n" \
	"base_url = http://127.0.0.1:8080/r\n" \
	"auth_url = http://127.0.0.1:8080/r\n" \
	"client_id = env:CM_T_ID\nclient_secret = env:CM_T_SECRET\n" \
	"username = env:CM_T_USER\npassword = env:CM_T_PASS\n"
#define RPOST "POST http://127.0.0.1:8080/r/api/comment bearer=rtok " \
	"(application/x-www-form-urlencoded, public)\n" \
	"api_type=json&thing_id=t1_c1" \
	"&text=Sorry%20about%20that%2C%20u%2Fann%21%0A%0ADM%20us."
#define RTEXT "Sorry about that, u/ann!\n\nDM us."
#define RLOOK "GET http://127.0.0.1:8080/r/comments/p1?sort=new&limit=500&" \
	"raw_json=1&comment=c1&depth=2 bearer=rtok"

static void test_reddit(void)
{
	struct job j;

	if (!ok(job_open(&j, "reddit", RCONF) == 0, "reddit: open")) {
		printf("# %s\n", j.err.msg);
		job_close(&j);
		return;
	}
	is_int(job_start(&j, "reddit:t1_c1", "reddit:t3_p1", RTEXT, 0), 0,
	    "reddit: a job");
	ok(strstr(next_req(&j), "/api/v1/access_token") != NULL &&
	    strstr(j.seen.data, "public") == NULL, "reddit: the token first, "
	    "its body secret");
	is_int(answer(&j, 200, NULL, "{\"access_token\":\"rtok\"}"),
	    CM_REPLY_AGAIN, "reddit: then the comment");
	is_str(next_req(&j), RPOST, "reddit: the comment's exact request");
	is_int(answer(&j, 200, NULL, "{\"json\":{\"errors\":[[\"RATELIMIT\","
	    "\"you are doing that too much. try again in 5 minutes.\","
	    "\"ratelimit\"]]}}"), CM_REPLY_RETRY, "reddit: RATELIMIT waits");
	ok(j.wait == 300, "reddit: 5 minutes");
	is_str(next_req(&j), RPOST, "reddit: then comments again (nothing was "
	    "made)");
	is_int(answer(&j, 200, NULL, "{\"json\":{\"errors\":[[\"TOO_LONG\","
	    "\"this is too long (max: 10000)\",\"text\"]]}}"),
	    CM_REPLY_REFUSED, "reddit: TOO_LONG is refused");
	is_str(j.out.msg.data, "TOO_LONG: this is too long (max: 10000)",
	    "reddit: with Reddit's words");

	is_int(job_start(&j, "reddit:t1_c1", "reddit:t3_p1", RTEXT, 0), 0,
	    "reddit: another job");
	next_req(&j);
	is_int(answer(&j, 401, NULL, "{\"message\":\"Unauthorized\"}"),
	    CM_REPLY_AGAIN, "reddit: 401: the token expired");
	ok(strstr(next_req(&j), "/api/v1/access_token") != NULL,
	    "reddit: a new one");
	answer(&j, 200, NULL, "{\"access_token\":\"rtok\"}");
	is_str(next_req(&j), RPOST, "reddit: and the same comment");
	is_int(answer(&j, 200, NULL, "{\"json\":{\"errors\":[],\"data\":"
	    "{\"things\":[{\"kind\":\"t1\",\"data\":{\"name\":\"t1_new\","
	    "\"id\":\"new\",\"permalink\":\"/r/s/comments/p1/x/new/\"}}]}}}"),
	    CM_REPLY_DONE, "reddit: done");
	is_str(j.out.id.data, "reddit:t1_new", "reddit: the comment's id");
	is_str(j.out.url.data, "https://www.reddit.com/r/s/comments/p1/x/new/",
	    "reddit: its url");

	is_int(job_start(&j, "reddit:t1_c1", "reddit:t3_p1", RTEXT, 0), 0,
	    "reddit: a third job");
	next_req(&j);
	is_int(answer(&j, 0, NULL, NULL), CM_REPLY_RETRY, "reddit: no answer");
	is_str(next_req(&j), RLOOK, "reddit: looks under the target, newest "
	    "first");
	is_int(answer(&j, 200, NULL, "[{\"kind\":\"Listing\",\"data\":"
	    "{\"children\":[]}},{\"kind\":\"Listing\",\"data\":{\"children\":"
	    "[{\"kind\":\"t1\",\"data\":{\"name\":\"t1_c1\",\"parent_id\":"
	    "\"t3_p1\",\"author\":\"ann\",\"body\":\"x\",\"replies\":{\"kind\":"
	    "\"Listing\",\"data\":{\"children\":[{\"kind\":\"t1\",\"data\":{"
	    "\"name\":\"t1_old\",\"parent_id\":\"t1_c1\",\"author\":"
	    "\"Acme_Support\",\"body\":\"Sorry about that, u/ann!\\n\\nDM us.\","
	    "\"permalink\":\"/r/s/comments/p1/x/old/\"}}]}}}}]}}]"),
	    CM_REPLY_DONE, "reddit: ours is there");
	is_int(j.out.found, 1, "reddit: found");
	is_str(j.out.id.data, "reddit:t1_old", "reddit: its id");

	/* a post target, a comment without its thread */
	is_int(job_start(&j, "reddit:t1_c2", NULL, RTEXT, 1), 0,
	    "reddit: a comment, its post unknown, the outcome unknown");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/r/api/info?id=t1_c2&"
	    "raw_json=1 bearer=rtok", "reddit: asks what post it is under");
	is_int(answer(&j, 200, NULL, "{\"kind\":\"Listing\",\"data\":{"
	    "\"children\":[{\"kind\":\"t1\",\"data\":{\"link_id\":"
	    "\"t3_p9\"}}]}}"),
	    CM_REPLY_AGAIN, "reddit: then looks");
	ok(strstr(next_req(&j), "/comments/p9?") != NULL,
	    "reddit: in that post");
	is_int(answer(&j, 200, NULL, "{\"kind\":\"Listing\"}"),
	    CM_REPLY_RETRY, "reddit: a look it cannot read retries");
	is_int(answer(&j, 403, NULL, "{\"message\":\"Forbidden\"}"),
	    CM_REPLY_RETRY, "reddit: a look refused retries");
	is_int(answer(&j, 404, NULL, "{\"message\":\"Not Found\"}"),
	    CM_REPLY_REFUSED, "reddit: a target gone is refused");
	is_int(job_start(&j, "reddit:t3_p1", NULL, RTEXT, 1), 0,
	    "reddit: a post");
	is_str(next_req(&j), "GET http://127.0.0.1:8080/r/comments/p1?sort=new"
	    "&limit=500&raw_json=1&depth=1 bearer=rtok", "reddit: a post's "
	    "comments, the first level");
	is_int(job_start(&j, "reddit:t4_m", NULL, RTEXT, 0), -1,
	    "reddit: a message is not a thing cm replies to");
	job_close(&j);
}

static void test_text_eq(void)
{
	static const struct { const char *a, *b; int eq; } t[] = {
		{ "@ann Sorry, on it", "@ann@x.example Sorry, on it", 1 },
		{ "Sorry,\n\non it", "Sorry, on it", 1 },
		{ "  Sorry  on it ", "Sorry on it", 1 },
		{ "Sorry on it", "Sorry on it!", 0 },
		{ "mail me@x.example", "mail me", 0 },
		{ "@ann.", "@ann@x.example.", 1 },
		{ "@ann", "@bob", 0 },
		{ "", "", 1 },
		{ "Merci !", "Merci\u202f!", 1 },
		{ "a b", "a\u00a0b", 1 },
		{ "a\u3000b", "a\u2003\u2009b", 1 },
		{ "ab", "a\u00a0b", 0 },
		{ "a\u00a1b", "a b", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(cm_reply_text_eq(t[i].a, strlen(t[i].a), t[i].b,
		    strlen(t[i].b)), t[i].eq, "text_eq: pair %zu", i);
}

int main(void)
{
	setenv("CM_T_TOKEN", "tok", 1);
	setenv("CM_T_ID", "id", 1);
	setenv("CM_T_SECRET", "secret", 1);
	setenv("CM_T_USER", "acme_support", 1);
	setenv("CM_T_PASS", "pass", 1);
	test_mastodon_post();
	test_mastodon_dry();
	test_reddit();
	test_text_eq();
	return tap_done();
}
