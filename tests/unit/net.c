/* net - tests for lib/net: which URLs may be fetched, how a request is
 * shown with its secrets masked, header lookup, pacing to a budget, the
 * backoff between retries, Retry-After */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "net/http.h"
#include "net/pace.h"
#include "tap.h"

/* The adapters' query values and form fields: a NUL inside a counted
 * value is encoded, not taken for "unreserved". */
static void test_pct(void)
{
	struct cm_buf b = { 0 };

	ok(cm_buf_add_pcts(&b, "aZ09-._~") == 0, "pct: unreserved");
	is_str(b.data, "aZ09-._~", "pct: unreserved kept");
	cm_buf_reset(&b);
	ok(cm_buf_add_pct(&b, "a b&c=\0#\xc3\xa9+/", 12) == 0, "pct: others");
	is_str(b.data, "a%20b%26c%3D%00%23%C3%A9%2B%2F", "pct: the rest as percent escapes");
	cm_buf_free(&b);
}

static void test_url_ok(void)
{
	struct cm_error err;

	ok(cm_http_url_ok("https://mastodon.social/api", &err) == 0,
	    "https anywhere");
	ok(cm_http_url_ok("http://127.0.0.1:8080/x", &err) == 0,
	    "http to 127.0.0.1");
	ok(cm_http_url_ok("http://127.3.4.5/x", &err) == 0, "http to 127/8");
	ok(cm_http_url_ok("http://localhost:1/", &err) == 0,
	    "http to localhost");
	ok(cm_http_url_ok("http://[::1]:8/", &err) == 0, "http to ::1");
	ok(cm_http_url_ok("http://example.com/", &err) < 0 &&
	    strstr(err.msg, "plain http:// is refused") &&
	    err.status == CM_EXIT_USAGE, "plain http elsewhere is refused");
	ok(cm_http_url_ok("http://127.0.0.1.example.com/", &err) < 0,
	    "a name that starts like loopback is not");
	ok(cm_http_url_ok("ftp://127.0.0.1/", &err) < 0, "other schemes");
	ok(cm_http_url_ok("not a url", &err) < 0, "not a URL");
}

static void test_describe(void)
{
	struct cm_http_req req = { 0 };
	struct cm_http_opts o = { 0 };
	struct cm_buf out = CM_BUF_INIT;

	req.method = "POST";
	req.url = "https://h/x";
	req.headers[0] = "Accept: application/json";
	req.bearer = "s3cr3t-token";
	req.basic_user = "client";
	req.basic_pass = "pa55";
	req.body = "password=pa55";
	req.body_len = 13;
	req.content_type = "application/x-www-form-urlencoded";
	o.user_agent = "ua/1";
	ok(cm_http_describe(&req, &o, &out) == 0, "describe");
	ok(strstr(out.data, "POST https://h/x\n") != NULL, "method and URL");
	ok(strstr(out.data, "Authorization: Bearer ****") != NULL &&
	    strstr(out.data, "Authorization: Basic ****") != NULL,
	    "credentials masked");
	ok(strstr(out.data, "s3cr3t") == NULL && strstr(out.data, "pa55") ==
	    NULL && strstr(out.data, "client") == NULL,
	    "no secret in it, nor the body");
	ok(strstr(out.data, "(a body, not shown)") != NULL &&
	    strstr(out.data, "13") == NULL, "a body, not even its size");
	cm_buf_free(&out);
}

static void test_header(void)
{
	struct cm_http_resp r = { 0 };
	const char *v;
	size_t n;

	cm_buf_adds(&r.headers, "x-a: 1\nlink: <u>; rel=\"next\"\nx-a:   2\n"
	    "x-ab: 3\n");
	ok((v = cm_http_header(&r, "x-a", &n)) && n == 1 && *v == '2',
	    "the last of a repeated header, spaces skipped");
	ok((v = cm_http_header(&r, "x-ab", &n)) && n == 1 && *v == '3',
	    "a name is not a prefix");
	ok(cm_http_header(&r, "x", &n) == NULL, "absent");
	cm_buf_free(&r.headers);
}

/* The Link header of r set to v, and its next target's max_id. */
static int link_of(const char *v, struct cm_buf *out)
{
	struct cm_http_resp r = { 0 };
	int k;

	cm_buf_adds(&r.headers, "x-a: 1\n");
	if (v)
		cm_buf_printf(&r.headers, "link: %s\n", v);
	k = cm_http_link_param(&r, "next", "max_id", out);
	cm_buf_free(&r.headers);
	return k;
}

static void test_link(void)
{
	struct cm_buf v = CM_BUF_INIT;

	ok(link_of("<https://m.example/api/v1/notifications?types%5B%5D="
	    "mention&max_id=109&limit=40>; rel=\"next\", <https://m.example"
	    "/api/v1/notifications?min_id=120>; rel=\"prev\"", &v) == 1 &&
	    strcmp(v.data, "109") == 0, "Mastodon's next: its max_id");
	ok(link_of("<https://m.example/x?min_id=120>; rel=\"prev\", "
	    "<https://m.example/x?max_id=01HQ%2B7Z>; rel=\"next\"", &v) == 1 &&
	    strcmp(v.data, "01HQ+7Z") == 0, "next after prev, percent-decoded");
	ok(link_of("<https://m.example/x?max_id=9>; title=\"a, b\"; "
	    "REL=\"start next\"", &v) == 1 && strcmp(v.data, "9") == 0,
	    "a quoted comma, rel in capitals, a list of rels");
	ok(link_of("<https://m.example/x?xmax_id=3&max_idx=4>; rel=next",
	    &v) == -1, "a parameter's name is matched whole");
	ok(link_of("<https://m.example/x?min_id=120>; rel=\"prev\"", &v) == 0,
	    "prev alone: the list ends");
	ok(link_of("<https://m.example/x?page=2>; rel=\"next\"", &v) == -1,
	    "a next without max_id: the caller's own way");
	ok(link_of("<https://m.example/x?max_id=>; rel=\"next\"", &v) == -1,
	    "an empty max_id is none");
	ok(link_of("<https://m.example/x?max_id=1%00>; rel=\"next\"", &v) ==
	    -1, "a NUL in it is none");
	ok(link_of(NULL, &v) == -1, "no Link header");
	ok(link_of("<https://m.example/x?max_id=5; rel=\"next\"", &v) == -1,
	    "an unclosed target: the caller's own way");
	cm_buf_free(&v);
}

static void test_pace(void)
{
	struct cm_pace p = { 0 };
	struct cm_budget b = { 1, 300, 250, 1000 };
	char why[128];
	double at;

	ok(cm_pace_next(&p, 0, 500, why, sizeof(why)) == 500,
	    "no budget known: at once");
	cm_pace_update(&p, &b, 500);
	ok(cm_pace_next(&p, 0, 500, why, sizeof(why)) == 500,
	    "plenty left: at once");
	b.remaining = 10;
	cm_pace_update(&p, &b, 500);
	at = cm_pace_next(&p, 0, 500, why, sizeof(why));
	ok(at > 500 && at < 1000 && strstr(why, "nearly spent"),
	    "the last tenth: spread over the window (%.1f)", at);
	ok(at == 500 + 500.0 / 10, "evenly: window / remaining");
	b.remaining = 1;
	cm_pace_update(&p, &b, 500);
	ok(cm_pace_next(&p, 1, 500, why, sizeof(why)) == 1000 &&
	    strstr(why, "spent"), "what is in flight spends the rest: the "
	    "reset");
	b.remaining = 0;
	cm_pace_update(&p, &b, 500);
	ok(cm_pace_next(&p, 0, 500, why, sizeof(why)) == 1000,
	    "none left: the reset");
	ok(cm_pace_next(&p, 0, 1001, why, sizeof(why)) == 1001,
	    "after the reset: at once");
	b.known = 0;
	b.remaining = 300;
	cm_pace_update(&p, &b, 500);
	ok(cm_pace_next(&p, 0, 500, why, sizeof(why)) == 1000,
	    "an answer without a budget keeps the last one");

	/* Four requests at once, their answers read in the reverse of the
	 * order the server counted them: 0, 1, 2 and 3 left. */
	memset(&p, 0, sizeof(p));
	for (int left = 0; left < 4; left++) {
		b = (struct cm_budget){ 1, 4, left, 1000 + 0.1 * left };
		cm_pace_update(&p, &b, 500);
	}
	ok(cm_pace_next(&p, 0, 500, why, sizeof(why)) == 1000 &&
	    p.b.remaining == 0, "an answer read late says no more is left "
	    "than one read before it, in the same window");
	b = (struct cm_budget){ 1, 4, 3, 1300 };
	cm_pace_update(&p, &b, 1000.5);
	ok(cm_pace_next(&p, 0, 1000.5, why, sizeof(why)) == 1000.5 &&
	    p.b.reset_at == 1300, "after the window's end, an answer is a "
	    "new window's");
}

static void test_backoff(void)
{
	uint64_t rng = 42;
	double prev = 0, d;
	int grew = 1, jitter = 0;

	for (unsigned a = 1; a <= 10; a++) {
		d = cm_backoff(a, -1, &rng);
		if (a > 1 && a <= 9 && d < prev * 1.5)
			grew = 0;
		prev = d;
	}
	ok(grew, "backoff doubles");
	ok(prev <= 300 * 1.25 + 1e-9, "at most 5 min and its jitter (%.1f)",
	    prev);
	for (int i = 0; i < 20; i++)
		jitter |= cm_backoff(3, -1, &rng) != 4.0;
	ok(jitter, "with jitter");
	for (int i = 0; i < 200; i++) {
		d = cm_backoff(1, -1, &rng);
		if (d < 1 || d > 1.25)
			jitter = 0;
	}
	ok(jitter, "the first retry: 1 to 1.25 s");
	ok(cm_backoff(1, 30, &rng) == 30, "a longer Retry-After wins");
	ok(cm_backoff(5, 1, &rng) >= 16, "a shorter one does not");
}

static void test_retry_after(void)
{
	ok(cm_retry_after("12", 2, 0) == 12, "seconds");
	ok(cm_retry_after("1.5", 3, 0) == 1.5, "fractional seconds");
	ok(cm_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 29,
	    1445412470) == 10, "an HTTP date");
	ok(cm_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 29,
	    1445412490) == 0, "a date gone by is now");
	ok(cm_retry_after("soon", 4, 0) < 0, "neither");
	ok(cm_retry_after("-3", 2, 0) < 0, "negative");
	ok(cm_retry_after("", 0, 0) < 0, "empty");
}

int main(void)
{
	test_pct();
	test_url_ok();
	test_describe();
	test_header();
	test_link();
	test_pace();
	test_backoff();
	test_retry_after();
	return tap_done();
}
