/* bsky_reply - tests for the reply half of lib/platforms/bluesky.c: each
 * job's requests and what each answer leads to, on answers written here
 * (the session, the target's strong references, handles, the record key,
 * the look after a create that may have gone, refusals, --dry-run) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platforms/adapter.h"
#include "store/config.h"
#include "tap.h"

#define TARGET_URI "at://did:plc:user0000000000000000001/app.bsky.feed." \
	"post/3kxyz2222222a"
#define TARGET "bluesky:" TARGET_URI
#define KEY "0123456789abcdef0123456789abcdef"
#define RKEY "3hjsep7jlapjj"	/* tid_of(KEY), worked out apart */
#define SESSION "{\"accessJwt\":\"acc-1\",\"refreshJwt\":\"ref-1\"," \
	"\"did\":\"did:plc:brand\",\"handle\":\"acme.test\"}"
#define POST_ROOT "{\"posts\":[{\"uri\":\"" TARGET_URI "\",\"cid\":\"cidT\"," \
	"\"record\":{\"text\":\"hi\"}}]}"
#define POST_REPLY "{\"posts\":[{\"uri\":\"" TARGET_URI "\",\"cid\":\"cidT\"," \
	"\"record\":{\"text\":\"hi\",\"reply\":{\"root\":{\"uri\":\"at://r/" \
	"app.bsky.feed.post/1\",\"cid\":\"cidR\"},\"parent\":{\"uri\":\"at://" \
	"r/app.bsky.feed.post/1\",\"cid\":\"cidR\"}}}}]}"
#define CREATED "{\"uri\":\"at://did:plc:brand/app.bsky.feed.post/" RKEY \
	"\",\"cid\":\"cidN\"}"
#define FOUND "{\"uri\":\"at://did:plc:brand/app.bsky.feed.post/" RKEY \
	"\",\"cid\":\"cidN\",\"value\":{\"text\":\"x\",\"reply\":{\"parent\":" \
	"{\"uri\":\"" TARGET_URI "\",\"cid\":\"cidT\"}}}}"
#define NOT_FOUND "{\"error\":\"RecordNotFound\",\"message\":\"Could not " \
	"locate record\"}"

#define CREATE "POST http://127.0.0.1:9/xrpc/com.atproto.repo.createRecord " \
	"@acc-1 "

static const struct cm_reply_ops *ops;
static struct cm_config *cfg;
static struct cm_source src;
static struct cm_reply_out out;
static struct cm_buf last;	/* the last request: "METHOD URL[ BODY]" */
static double wait_s;
static struct cm_error err;

static void *job(const char *text, int unknown)
{
	static struct cm_reply rp;
	void *st = ops->open(&src, &err);

	if (st == NULL) {
		printf("Bail out! open: %s\n", err.msg);
		exit(1);
	}

	rp.target = TARGET;
	rp.text = text;
	rp.key = KEY;
	rp.unknown = unknown;
	if (ops->start(st, &rp, &err) < 0) {
		printf("Bail out! start: %s\n", err.msg);
		exit(1);
	}
	return st;
}

/* The next request into last (its bearer after " @"); 1, or what
 * request returned. */
static int next(void *st)
{
	struct cm_http_req req;
	struct cm_http_opts o;
	int r;

	memset(&req, 0, sizeof(req));
	memset(&o, 0, sizeof(o));
	cm_buf_reset(&last);
	if ((r = ops->request(st, &req, &o, &err)) != 1)
		return r;
	cm_buf_printf(&last, "%s %s", req.method ? req.method : "GET",
	    req.url);
	if (req.bearer)
		cm_buf_printf(&last, " @%s", req.bearer);
	if (req.body)
		cm_buf_printf(&last, " %.*s", (int)req.body_len, req.body);
	return 1;
}

/* The answer status, header lines ("name: value\n", lower case), body. */
static int answer(void *st, long status, const char *headers,
    const char *body)
{
	struct cm_http_resp resp;
	int r;

	memset(&resp, 0, sizeof(resp));
	resp.status = status;
	cm_buf_adds(&resp.headers, headers ? headers : "");
	cm_buf_adds(&resp.body, body ? body : "");
	r = ops->response(st, &resp, &out, &wait_s, &err);
	cm_buf_free(&resp.headers);
	cm_buf_free(&resp.body);
	return r;
}

/* The request, then the answer: what response returned. */
static int step(void *st, const char *want, long status, const char *body)
{
	if (next(st) != 1)
		return -9;
	if (want && strncmp(last.data, want, strlen(want)) != 0) {
		printf("#   request: %s\n#   want:    %s\n", last.data, want);
		return -8;
	}
	return answer(st, status, NULL, body);
}

/* last with its createdAt replaced by "T", when it is a time in ms. */
static const char *no_time(void)
{
	char *p = strstr(last.data, "\"createdAt\":\""), *q;

	if (p == NULL)
		return last.data;
	p += 13;
	if ((q = strchr(p, '"')) == NULL || q - p != 24 || q[-1] != 'Z' ||
	    p[19] != '.' || p[10] != 'T')
		return "(no time in ms)";
	memmove(p + 1, q, strlen(q) + 1);
	*p = 'T';
	return last.data;
}

static void test_first_reply(void)
{
	void *st = job("Hi @zoe.test and @nobody.test, see "
	    "https://x.example/a. #Help @ZOE.test", 0);

	ok(st != NULL, "a job starts");
	is_int(step(st, "POST http://127.0.0.1:9/xrpc/com.atproto.server."
	    "createSession", 200, SESSION), CM_REPLY_AGAIN,
	    "no session: it signs in first");
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/app.bsky.feed.getPosts?uris="
	    "at%3A%2F%2Fdid%3Aplc%3Auser0000000000000000001%2Fapp.bsky.feed."
	    "post%2F3kxyz2222222a @acc-1", 200, POST_REPLY), CM_REPLY_AGAIN,
	    "then the target, with the session's token");
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/com.atproto.identity."
	    "resolveHandle?handle=zoe.test @acc-1", 200,
	    "{\"did\":\"did:plc:zoe\"}"), CM_REPLY_AGAIN, "a mention resolved");
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/com.atproto.identity."
	    "resolveHandle?handle=nobody.test", 400, "{\"error\":"
	    "\"InvalidRequest\",\"message\":\"Unable to resolve handle\"}"),
	    CM_REPLY_AGAIN, "a handle that does not resolve is no error");
	ok(next(st) == 1 && strncmp(last.data, CREATE, strlen(CREATE)) == 0,
	    "the same handle again is not resolved again: the post");
	is_str(no_time() + strlen(CREATE), "{\"repo\":\"did:plc:brand\",\"collection\":"
	    "\"app.bsky.feed.post\",\"rkey\":\"" RKEY "\",\"validate\":true,"
	    "\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"Hi "
	    "@zoe.test and @nobody.test, see https://x.example/a. #Help "
	    "@ZOE.test\",\"createdAt\":\"T\",\"reply\":{\"root\":{\"uri\":"
	    "\"at://r/app.bsky.feed.post/1\",\"cid\":\"cidR\"},\"parent\":"
	    "{\"uri\":\"" TARGET_URI "\",\"cid\":\"cidT\"}},\"facets\":["
	    "{\"index\":{\"byteStart\":3,\"byteEnd\":12},\"features\":[{\"$type\":"
	    "\"app.bsky.richtext.facet#mention\",\"did\":\"did:plc:zoe\"}]},"
	    "{\"index\":{\"byteStart\":35,\"byteEnd\":54},\"features\":[{\"$type\":"
	    "\"app.bsky.richtext.facet#link\",\"uri\":\"https://x.example/a\"}]},"
	    "{\"index\":{\"byteStart\":56,\"byteEnd\":61},\"features\":[{\"$type\":"
	    "\"app.bsky.richtext.facet#tag\",\"tag\":\"Help\"}]},"
	    "{\"index\":{\"byteStart\":62,\"byteEnd\":71},\"features\":[{\"$type\":"
	    "\"app.bsky.richtext.facet#mention\",\"did\":\"did:plc:zoe\"}]}]}}",
	    "the createRecord body: its key, strong references and facets");
	is_int(answer(st, 200, NULL, CREATED), CM_REPLY_DONE, "posted");
	is_str(out.id.data, "bluesky:at://did:plc:brand/app.bsky.feed.post/"
	    RKEY, "its id as cm-fetch names it");
	is_str(out.url.data, "https://bsky.app/profile/acme.test/post/" RKEY,
	    "its url");
	is_int(out.found, 0, "not found: sent");
	src.ad->close(st);
}

static void test_root_and_key(void)
{
	void *st = job("Thanks! 🌻 @zoe.test", 0);

	step(st, NULL, 200, SESSION);
	step(st, NULL, 200, POST_ROOT);
	step(st, NULL, 200, "{\"did\":\"did:plc:zoe\"}");
	next(st);
	ok(strstr(no_time(), "\"reply\":{\"root\":{\"uri\":\"" TARGET_URI
	    "\",\"cid\":\"cidT\"},\"parent\":{\"uri\":\"" TARGET_URI "\","
	    "\"cid\":\"cidT\"}}") != NULL,
	    "a target that is no reply is its own root");
	ok(strstr(last.data, "\"index\":{\"byteStart\":13,\"byteEnd\":22}") !=
	    NULL, "byte offsets after multibyte text");
	src.ad->close(st);
}

static void test_look_first(void)
{
	void *st = job("hi", 1);

	step(st, NULL, 200, SESSION);
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/com.atproto.repo.getRecord?"
	    "repo=did%3Aplc%3Abrand&collection=app.bsky.feed.post&rkey=" RKEY,
	    200, FOUND), CM_REPLY_DONE,
	    "unknown: it looks for the record first, and finds it");
	is_int(out.found, 1, "found, not sent");
	is_str(out.id.data, "bluesky:at://did:plc:brand/app.bsky.feed.post/"
	    RKEY, "the found record's id");
	src.ad->close(st);

	st = job("hi", 1);
	step(st, NULL, 200, SESSION);
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/com.atproto.repo.getRecord",
	    400, NOT_FOUND), CM_REPLY_AGAIN, "not there");
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/app.bsky.feed.getPosts", 200,
	    POST_ROOT), CM_REPLY_AGAIN, "then the target");
	ok(next(st) == 1 && strstr(last.data, "createRecord") != NULL,
	    "and the post");
	src.ad->close(st);

	st = job("hi", 1);
	step(st, NULL, 200, SESSION);
	is_int(step(st, NULL, 200, "{\"uri\":\"at://x\",\"cid\":\"c\","
	    "\"value\":{\"reply\":{\"parent\":{\"uri\":\"at://another\"}}}}"),
	    CM_REPLY_REFUSED, "a record at the key that answers another post");
	ok(out.msg.data && strstr(out.msg.data, "collision"),
	    "is a collision of keys, said");
	src.ad->close(st);
}

/* A job up to its createRecord request (not answered). */
static void *to_create(const char *text)
{
	void *st = job(text, 0);

	step(st, NULL, 200, SESSION);
	step(st, NULL, 200, POST_ROOT);
	return st;
}

static void test_after_create(void)
{
	void *st = to_create("hi");

	is_int(step(st, "POST http://127.0.0.1:9/xrpc/com.atproto.repo."
	    "createRecord", 500, "{\"error\":\"InternalServerError\"}"),
	    CM_REPLY_AGAIN, "a 500 on create: look at once");
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/com.atproto.repo.getRecord",
	    200, FOUND), CM_REPLY_DONE, "the record is there (an earlier "
	    "create made it)");
	is_int(out.found, 1, "found");
	src.ad->close(st);

	st = to_create("hi");
	step(st, NULL, 500, "{\"error\":\"InternalServerError\"}");
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/com.atproto.repo.getRecord",
	    400, NOT_FOUND), CM_REPLY_RETRY,
	    "not there after a 500: post again, after a wait");
	is_int(step(st, "POST http://127.0.0.1:9/xrpc/com.atproto.repo."
	    "createRecord", 200, CREATED), CM_REPLY_DONE, "posted then");
	is_int(out.found, 0, "sent");
	src.ad->close(st);

	st = to_create("hi");
	is_int(step(st, NULL, 0, NULL), CM_REPLY_RETRY,
	    "no answer to a create: a wait");
	ok(strstr(err.msg, "createRecord") && strstr(err.msg, "may have gone"),
	    "said why: %s", err.msg);
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/com.atproto.repo.getRecord",
	    200, FOUND), CM_REPLY_DONE, "then a look, never a second post");
	src.ad->close(st);

	st = to_create("hi");
	is_int(step(st, NULL, 200, "<html>"), CM_REPLY_DONE,
	    "a 200 to a create that is no JSON is a post");
	is_str(out.id.data, "bluesky:at://did:plc:brand/app.bsky.feed.post/"
	    RKEY, "named by its key");
	src.ad->close(st);
}

static void test_session_and_limits(void)
{
	void *st = job("hi", 0);

	step(st, NULL, 200, SESSION);
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/app.bsky.feed.getPosts", 400,
	    "{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}"),
	    CM_REPLY_AGAIN, "an expired token (400 ExpiredToken)");
	is_int(step(st, "POST http://127.0.0.1:9/xrpc/com.atproto.server."
	    "refreshSession @ref-1", 200, "{\"accessJwt\":\"acc-2\","
	    "\"refreshJwt\":\"ref-2\",\"did\":\"did:plc:brand\"}"),
	    CM_REPLY_AGAIN, "is refreshed with the refresh token");
	is_int(step(st, "GET http://127.0.0.1:9/xrpc/app.bsky.feed.getPosts?uris="
	    "at%3A%2F%2Fdid%3Aplc%3Auser0000000000000000001%2Fapp.bsky.feed."
	    "post%2F3kxyz2222222a @acc-2", 200, POST_ROOT), CM_REPLY_AGAIN,
	    "and the request asked again with the new token");
	ok(next(st) == 1 && strstr(last.data, "createRecord") != NULL,
	    "the post");
	is_int(answer(st, 429, "ratelimit-reset: 99999999999\n",
	    "{\"error\":\"RateLimitExceeded\"}"), CM_REPLY_RETRY,
	    "a 429: a wait");
	ok(wait_s > 1e9, "as long as RateLimit-Reset says");
	ok(strstr(err.msg, "createRecord answered 429: RateLimitExceeded") !=
	    NULL, "said why: %s", err.msg);
	is_int(answer(st, 429, "retry-after: 7\n", "{}"), CM_REPLY_RETRY,
	    "another 429");
	ok(wait_s == 7, "Retry-After, when there is one");
	ok(next(st) == 1 && strstr(last.data, "createRecord") != NULL,
	    "a 429 posted nothing: the post again, no look");
	is_int(answer(st, 400, NULL, "{\"error\":\"InvalidRequest\",\"message\":"
	    "\"Invalid app.bsky.feed.post record: Record/text must not be "
	    "longer than 300 graphemes\"}"), CM_REPLY_REFUSED, "a 400 refuses");
	is_str(out.msg.data, "400 InvalidRequest: Invalid app.bsky.feed.post "
	    "record: Record/text must not be longer than 300 graphemes",
	    "with the platform's reason");
	src.ad->close(st);

	st = job("hi", 0);
	step(st, NULL, 200, SESSION);
	is_int(step(st, NULL, 200, "{\"posts\":[]}"), CM_REPLY_REFUSED,
	    "a target that is gone refuses");
	ok(out.msg.data && strstr(out.msg.data, "not there"), "and says so");
	src.ad->close(st);

	st = job("hi", 0);
	is_int(step(st, NULL, 401, "{\"error\":\"AuthenticationRequired\"}"),
	    -1, "a refused app password is an error of the account");
	ok(strstr(err.msg, "app password") != NULL, "said: %s", err.msg);
	src.ad->close(st);
}

static void test_dry_run(void)
{
	void *st = job("hi @zoe.test", 1);
	struct cm_buf seen = CM_BUF_INIT;
	int more = 1, n = 0;

	while (more && n++ < 10 && next(st) == 1) {
		/* the method and the URL without its query */
		cm_buf_printf(&seen, "%.*s\n", (int)strcspn(last.data + 5,
		    "? ") + 5, last.data);
		more = ops->dry_step(st);
	}
	is_str(seen.data, "POST http://127.0.0.1:9/xrpc/com.atproto.server."
	    "createSession\nGET http://127.0.0.1:9/xrpc/com.atproto.repo.getRecord\n"
	    "GET http://127.0.0.1:9/xrpc/app.bsky.feed.getPosts\n"
	    "GET http://127.0.0.1:9/xrpc/com.atproto.identity.resolveHandle\n"
	    "POST http://127.0.0.1:9/xrpc/com.atproto.repo.createRecord\n",
	    "--dry-run: every step, the post last");
	ok(strstr(last.data, " @dry-run {\"repo\":\"DID\"") &&
	    strstr(last.data, "\"did\":\"DID\"") &&
	    strstr(last.data, "\"cid\":\"CID\""),
	    "placeholders for what the answers would give");
	cm_buf_free(&seen);
	src.ad->close(st);
}

int main(void)
{
	static const char conf[] = "[account b]\nplatform = bluesky\n"
	    "base_url = http://127.0.0.1:9/\nhandle = @acme.test\n"
	    "app_password = env:CM_TEST_BSKY_PW\n";
	const struct cm_adapter *ad = cm_adapter_find("bluesky", 7);

	setenv("CM_TEST_BSKY_PW", "pw-1234", 1);
	if (ad == NULL || (ops = ad->reply) == NULL ||
	    (cfg = cm_config_parse("t", conf, sizeof(conf) - 1, &err)) ==
	    NULL) {
		printf("Bail out! no Bluesky reply ops, or config: %s\n",
		    err.msg);
		return 1;
	}
	src.spec = src.key = "b";
	src.account = "b";
	src.has_account = 1;
	src.ad = ad;
	src.cfg = cfg;
	test_first_reply();
	test_root_and_key();
	test_look_first();
	test_after_create();
	test_session_and_limits();
	test_dry_run();
	cm_buf_free(&last);
	cm_buf_free(&out.id);
	cm_buf_free(&out.url);
	cm_buf_free(&out.msg);
	cm_config_free(cfg);
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
