/* bsky_reply.c - libFuzzer harness for the reply half of the Bluesky
 * adapter (lib/platforms/bluesky.c): any answers to a job's requests.
 * Every request's URL is clean and the post's body strict JSON with its
 * facets in the text; the post is never putRecord; after a post whose
 * answer says nothing (none, or a 5xx) no other post goes before a look
 * (getRecord) answered RecordNotFound; every outcome is explained. */
#include "fuzz_pages.h"
#include "core/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 24

static const char *const texts[] = {
	"Hi @zoe.test, see https://x.example/a. #Help",
	"Olá 🌻 @a.test @b.test @a.test (https://y.example/(x)) #日本",
	"plain",
	"@x.test"
};

static int is(const char *m, size_t n, const char *name)
{
	return n == strlen(name) && memcmp(m, name, n) == 0;
}

/* The post's body: strict JSON, its record's facets within its text. */
static void check_body(const struct cm_http_req *req, const char *text)
{
	struct cm_json_value v, f, idx;
	struct cm_json_error jerr;
	size_t pos = 0, tl = strlen(text);
	int64_t s, e;

	if (req->body == NULL || cm_json_scan(req->body, req->body_len, 0,
	    NULL, NULL, &jerr) < 0 || !req->body_public)
		abort();
	if (!cm_json_get(req->body, req->body_len, "rkey", &v) ||
	    v.type != CM_JSON_STRING || v.len != 15)
		abort();
	if (!cm_json_get(req->body, req->body_len, "record.facets", &v))
		return;
	while (cm_json_each(&v, &pos, NULL, &f)) {
		if (!cm_json_get(f.raw, f.len, "index.byteStart", &idx) ||
		    cm_json_int64(&idx, &s) < 0 ||
		    !cm_json_get(f.raw, f.len, "index.byteEnd", &idx) ||
		    cm_json_int64(&idx, &e) < 0 || s < 0 || e <= s ||
		    (size_t)e > tl)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char conf[] = "[account f]\nplatform = bluesky\n"
	    "base_url = http://127.0.0.1:9/\nhandle = acme.test\n"
	    "app_password = env:CM_FUZZ_SECRET\n";
	const struct cm_adapter *ad = cm_adapter_find("bluesky", 7);
	const struct cm_reply_ops *ops = ad->reply;
	struct cm_reply_out out = { CM_BUF_INIT, CM_BUF_INIT, CM_BUF_INIT, 0 };
	struct cm_reply rp;
	struct cm_source src;
	struct cm_config *cfg;
	struct cm_error err;
	size_t pos = 1;
	void *st;
	/* a post may have gone: a second one waits for a look's "no" */
	int unsure, looked_no = 0, rc = CM_REPLY_AGAIN;

	(void)fuzz_pages;	/* the driver's answers and URL check only */
	if (size < 1)
		return 0;
	setenv("CM_FUZZ_SECRET", "s3cret", 1);
	if ((cfg = cm_config_parse("fuzz", conf, sizeof(conf) - 1, &err)) ==
	    NULL)
		abort();
	memset(&src, 0, sizeof(src));
	src.spec = src.key = src.account = "f";
	src.has_account = 1;
	src.ad = ad;
	src.cfg = cfg;
	memset(&rp, 0, sizeof(rp));
	rp.target = "bluesky:at://did:plc:u/app.bsky.feed.post/3kabc";
	rp.text = texts[(data[0] >> 1) % 4];
	rp.key = "0123456789abcdef0123456789abcdef";
	rp.unknown = data[0] & 1;
	unsure = rp.unknown;
	if ((st = ops->open(&src, &err)) == NULL ||
	    ops->start(st, &rp, &err) < 0)
		abort();
	for (int step = 0; step < MAX_STEPS; step++) {
		struct cm_http_req req;
		struct cm_http_opts o;
		struct cm_http_resp resp;
		double ra = 0;
		const char *m;
		size_t mlen;
		int create, look;

		memset(&req, 0, sizeof(req));
		memset(&o, 0, sizeof(o));
		if (ops->request(st, &req, &o, &err) != 1)
			abort();
		fuzz_check_url(req.url);
		/* the method: after /xrpc/, up to the query */
		if ((m = strstr(req.url, "/xrpc/")) == NULL)
			abort();
		m += 6;
		mlen = strcspn(m, "?");
		create = is(m, mlen, "com.atproto.repo.createRecord");
		look = is(m, mlen, "com.atproto.repo.getRecord");
		if (!create && !look && !is(m, mlen, "app.bsky.feed.getPosts") &&
		    !is(m, mlen, "com.atproto.identity.resolveHandle") &&
		    !is(m, mlen, "com.atproto.server.createSession") &&
		    !is(m, mlen, "com.atproto.server.refreshSession"))
			abort();	/* nothing but these */
		if (create) {
			check_body(&req, rp.text);
			if (unsure && !looked_no)
				abort();	/* a second post, unlooked */
		}
		if (!fuzz_answer(data, size, &pos, &resp))
			break;
		err.msg[0] = '\0';
		rc = ops->response(st, &resp, &out, &ra, &err);
		if (create && (resp.status == 0 || resp.status >= 500)) {
			unsure = 1;
			looked_no = 0;
		}
		if (look && resp.status == 400 && resp.body.len &&
		    memmem(resp.body.data, resp.body.len, "RecordNotFound", 14))
			looked_no = 1;
		cm_buf_free(&resp.headers);
		cm_buf_free(&resp.body);
		if (rc == CM_REPLY_DONE) {
			if (out.id.data == NULL ||
			    strncmp(out.id.data, "bluesky:at://", 13) != 0 ||
			    out.url.data == NULL || strncmp(out.url.data,
			    "https://bsky.app/profile/acme.test/post/", 40) != 0)
				abort();
			break;
		}
		if (rc == CM_REPLY_REFUSED) {
			if (out.msg.len == 0)
				abort();
			break;
		}
		if (rc == CM_REPLY_RETRY && err.msg[0] == '\0')
			abort();	/* a retry says why */
		if (rc < 0) {
			if (err.msg[0] == '\0')
				abort();
			break;
		}
		if (rc != CM_REPLY_AGAIN && rc != CM_REPLY_RETRY)
			abort();
	}
	ad->close(st);
	cm_buf_free(&out.id);
	cm_buf_free(&out.url);
	cm_buf_free(&out.msg);
	cm_config_free(cfg);
	return 0;
}
