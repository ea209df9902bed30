/* http.c - HTTP requests over one libcurl multi handle, for the adapters */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "http.h"

#define MAX_REDIRECTS 5
#define MAX_HEADER_BYTES ((size_t)256 << 10)

/* One transfer: its own copies of the request, so a caller's strings may
 * go away once it has started. */
struct xfer {
	CURL *easy;
	struct curl_slist *slist;
	void *tag;
	struct cm_http_resp *resp;
	char *url, *origin;		/* now, and where it started */
	char *method, *body, *ctype;
	size_t body_len;
	char *bearer, *basic_user, *basic_pass;
	char *headers[CM_HTTP_MAX_HEADERS];
	char *user_agent, *cacert;
	long connect_timeout, timeout, stall;
	size_t max_body;
	int too_big;
	int redirects;
	char detail[CURL_ERROR_SIZE];	/* libcurl's words for a failure */
	struct timespec started;
	struct xfer *next;
};

struct cm_http {
	CURLM *multi;
	struct xfer *xfers;
	size_t running;
};

static int global_ready;

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void cm_http_resp_free(struct cm_http_resp *r)
{
	if (r == NULL)
		return;
	cm_buf_free(&r->headers);
	cm_buf_free(&r->body);
	free(r->url);
	free(r);
}

const char *cm_http_header(const struct cm_http_resp *r, const char *name,
    size_t *len)
{
	const char *p = r->headers.data, *end, *found = NULL, *nl;
	size_t n = strlen(name);

	/* no header lines (no answer came): NULL + 0 is undefined */
	if (p == NULL)
		return NULL;
	end = p + r->headers.len;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > n + 1 && memcmp(p, name, n) == 0 &&
		    p[n] == ':') {
			found = p + n + 1;
			while (found < nl && (*found == ' ' || *found == '\t'))
				found++;
			*len = (size_t)(nl - found);
		}
		p = nl + 1;
	}
	return found;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Whether the parameters of a link-value (after its '>') in [p, end) say
 * rel="... want ..." (rel is a space-separated list, case-insensitive). */
static int link_rel_is(const char *p, const char *end, const char *want)
{
	size_t wn = strlen(want);

	while (p < end) {
		const char *v, *ve;

		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if ((size_t)(end - p) < 4 || strncasecmp(p, "rel", 3) != 0) {
			while (p < end && *p != ';')
				p++;
			continue;
		}
		v = p + 3;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		if (v >= end || *v != '=') {
			p = v;
			continue;
		}
		v++;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		if (v < end && *v == '"') {
			v++;
			for (ve = v; ve < end && *ve != '"'; ve++)
				;
		} else {
			for (ve = v; ve < end && *ve != ';'; ve++)
				;
		}
		while (v < ve) {
			const char *t = v;

			while (t < ve && *t != ' ')
				t++;
			if ((size_t)(t - v) == wn && strncasecmp(v, want, wn) == 0)
				return 1;
			v = t + (t < ve);
		}
		p = ve + (ve < end);
	}
	return 0;
}

int cm_http_link_param(const struct cm_http_resp *r, const char *rel,
    const char *param, struct cm_buf *out)
{
	const char *p, *end;
	size_t n, pn = strlen(param);

	if ((p = cm_http_header(r, "link", &n)) == NULL)
		return -1;
	end = p + n;
	while (p < end) {
		const char *u, *ue, *q, *next;
		int quoted = 0;

		if ((u = memchr(p, '<', (size_t)(end - p))) == NULL)
			break;
		if ((ue = memchr(u, '>', (size_t)(end - u))) == NULL)
			return -1;	/* not a Link header to go by */
		/* the value's parameters run to the next ',' outside quotes */
		for (next = ue + 1; next < end && (quoted || *next != ','); next++)
			if (*next == '"')
				quoted = !quoted;
		if (!link_rel_is(ue + 1, next, rel)) {
			p = next;
			continue;
		}
		if ((q = memchr(u, '?', (size_t)(ue - u))) == NULL)
			return -1;
		for (q++; q < ue; ) {
			const char *ke = q, *ve;

			while (ke < ue && *ke != '=' && *ke != '&')
				ke++;
			for (ve = ke; ve < ue && *ve != '&'; ve++)
				;
			if ((size_t)(ke - q) == pn && memcmp(q, param, pn) == 0 &&
			    ke < ue && *ke == '=') {
				const char *s;

				cm_buf_reset(out);
				for (s = ke + 1; s < ve; s++) {
					int c = (unsigned char)*s, h, l;

					if (c == '%' && ve - s > 2 &&
					    (h = hexval(s[1])) >= 0 &&
					    (l = hexval(s[2])) >= 0) {
						c = h << 4 | l;
						s += 2;
					} else if (c == '+') {
						c = ' ';
					}
					if (cm_buf_addc(out, (char)c) < 0)
						return -2;
				}
				/* an empty cursor would read as the list's end */
				return out->len > 0 && memchr(out->data, '\0',
				    out->len) == NULL ? 1 : -1;
			}
			q = ve + (ve < ue);
		}
		return -1;
	}
	return 0;
}

static int is_loopback(const char *host)
{
	if (strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "[::1]") == 0)
		return 1;
	/* 127.0.0.0/8, written as four numbers */
	if (strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") ==
	    strlen(host))
		return 1;
	return 0;
}

/* scheme, host and port of url, lower-cased, as "scheme://host:port";
 * NULL when it does not parse. */
static char *origin_of(const char *url, char **host_out)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *o = NULL;
	size_t n;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK) {
		n = strlen(scheme) + strlen(host) + strlen(port) + 5;
		if ((o = malloc(n)) != NULL) {
			snprintf(o, n, "%s://%s:%s", scheme, host, port);
			for (char *c = o; *c; c++)
				*c = (char)tolower((unsigned char)*c);
		}
		if (host_out)
			*host_out = strdup(host);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return o;
}

int cm_http_url_ok(const char *url, struct cm_error *err)
{
	char *host = NULL, *o = origin_of(url, &host);
	int ok = -1;

	if (o == NULL || host == NULL)
		cm_error_set(err, CM_EXIT_USAGE, "%s: not a URL", url);
	else if (strncmp(o, "https://", 8) == 0)
		ok = 0;
	else if (strncmp(o, "http://", 7) != 0)
		cm_error_set(err, CM_EXIT_USAGE, "%s: only https:// and "
		    "http:// URLs are fetched", url);
	else if (!is_loopback(host))
		cm_error_set(err, CM_EXIT_USAGE, "%s: plain http:// is refused "
		    "but to this machine (127.0.0.1, ::1, localhost): use "
		    "https://", url);
	else
		ok = 0;
	free(o);
	free(host);
	return ok;
}

int cm_http_describe(const struct cm_http_req *req,
    const struct cm_http_opts *o, struct cm_buf *out)
{
	int r = cm_buf_printf(out, "%s %s\n", req->method ? req->method :
	    "GET", req->url);

	for (size_t i = 0; i < CM_HTTP_MAX_HEADERS && req->headers[i]; i++)
		r |= cm_buf_printf(out, "  %s\n", req->headers[i]);
	if (req->bearer)
		r |= cm_buf_adds(out, "  Authorization: Bearer ****\n");
	if (req->basic_user)
		r |= cm_buf_adds(out, "  Authorization: Basic ****\n");
	r |= cm_buf_printf(out, "  User-Agent: %s\n", o && o->user_agent ?
	    o->user_agent : "cm/" CM_VERSION);
	if (req->body && req->content_type)
		r |= cm_buf_printf(out, "  Content-Type: %s\n",
		    req->content_type);
	/* Not even its length: a form body's length tells a password's. */
	if (req->body && req->body_public)
		r |= cm_buf_printf(out, "  %.*s\n", (int)req->body_len,
		    req->body);
	else if (req->body)
		r |= cm_buf_adds(out, "  (a body, not shown)\n");
	return r < 0 ? -1 : 0;
}

struct cm_http *cm_http_new(struct cm_error *err)
{
	struct cm_http *h;

	if (!global_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			cm_error_set(err, CM_EXIT_TEMPFAIL, "libcurl cannot "
			    "start");
			return NULL;
		}
		global_ready = 1;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->multi = curl_multi_init()) == NULL) {
		free(h);
		cm_error_nomem(err, NULL);
		return NULL;
	}
	return h;
}

static void xfer_free(struct xfer *x)
{
	if (x == NULL)
		return;
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->slist);
	cm_http_resp_free(x->resp);
	free(x->url);
	free(x->origin);
	free(x->method);
	if (x->body)
		explicit_bzero(x->body, x->body_len);
	free(x->body);
	free(x->ctype);
	wipe_free(x->bearer);
	wipe_free(x->basic_user);
	wipe_free(x->basic_pass);
	for (size_t i = 0; i < CM_HTTP_MAX_HEADERS; i++)
		free(x->headers[i]);
	free(x->user_agent);
	free(x->cacert);
	free(x);
}

void cm_http_free(struct cm_http *h)
{
	struct xfer *x, *next;

	if (h == NULL)
		return;
	for (x = h->xfers; x; x = next) {
		next = x->next;
		curl_multi_remove_handle(h->multi, x->easy);
		xfer_free(x);
	}
	curl_multi_cleanup(h->multi);
	free(h);
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;

	n *= size;
	if (x->resp->body.len + n > x->max_body) {
		x->too_big = 1;
		return 0;
	}
	if (cm_buf_add(&x->resp->body, p, n) < 0)
		return 0;
	return n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	struct cm_buf *h = &x->resp->headers;
	size_t len = n * size, k, colon;

	/* A new response (after a 100 Continue): only the last one's. */
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		cm_buf_reset(h);
		return len;
	}
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	colon = 0;
	while (colon < len && p[colon] != ':')
		colon++;
	if (colon == len || colon == 0)
		return n * size;	/* the blank line, or no header */
	if (h->len + len + 2 > MAX_HEADER_BYTES)
		return 0;
	for (k = 0; k < colon; k++)
		if (cm_buf_addc(h, (char)tolower((unsigned char)p[k])) < 0)
			return 0;
	if (cm_buf_add(h, p + colon, len - colon) < 0 ||
	    cm_buf_addc(h, '\n') < 0)
		return 0;
	return n * size;
}

static char *dup_or_null(const char *s, int *failed)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*failed = 1;
	return d;
}

/* (Re)configures the easy handle for x's current URL: credentials go
 * only to the origin the request started at. */
static int setup(struct xfer *x)
{
	char *origin = origin_of(x->url, NULL);
	int same = origin && x->origin && strcmp(origin, x->origin) == 0;
	CURL *e = x->easy;
	struct cm_buf auth = CM_BUF_INIT;
	int rc = 0;

	free(origin);
	curl_easy_reset(e);
	curl_slist_free_all(x->slist);
	x->slist = NULL;
	for (size_t i = 0; i < CM_HTTP_MAX_HEADERS && x->headers[i]; i++)
		if ((x->slist = curl_slist_append(x->slist, x->headers[i])) ==
		    NULL)
			return -1;
	if (same && x->bearer) {
		if (cm_buf_printf(&auth, "Authorization: Bearer %s",
		    x->bearer) < 0 ||
		    (x->slist = curl_slist_append(x->slist, auth.data)) == NULL)
			rc = -1;
		explicit_bzero(auth.data, auth.len);
		cm_buf_free(&auth);
		if (rc < 0)
			return -1;
	}
	if (x->body && x->ctype) {
		if (cm_buf_printf(&auth, "Content-Type: %s", x->ctype) < 0 ||
		    (x->slist = curl_slist_append(x->slist, auth.data)) == NULL)
			rc = -1;
		cm_buf_free(&auth);
		if (rc < 0)
			return -1;
	}
	/* No "Expect: 100-continue" wait on a POST. */
	if (x->body && (x->slist = curl_slist_append(x->slist, "Expect:")) ==
	    NULL)
		return -1;
	rc |= (int)curl_easy_setopt(e, CURLOPT_URL, x->url);
	rc |= (int)curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= (int)curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= (int)curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	rc |= (int)curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	rc |= (int)curl_easy_setopt(e, CURLOPT_USERAGENT, x->user_agent ?
	    x->user_agent : "cm/" CM_VERSION);
	rc |= (int)curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->slist);
	rc |= (int)curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	    x->connect_timeout);
	rc |= (int)curl_easy_setopt(e, CURLOPT_TIMEOUT, x->timeout);
	rc |= (int)curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	rc |= (int)curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, x->stall);
	rc |= (int)curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	rc |= (int)curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	rc |= (int)curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	rc |= (int)curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	rc |= (int)curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	x->detail[0] = '\0';
	rc |= (int)curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->detail);
	if (x->cacert)
		rc |= (int)curl_easy_setopt(e, CURLOPT_CAINFO, x->cacert);
	if (same && x->basic_user) {
		rc |= (int)curl_easy_setopt(e, CURLOPT_HTTPAUTH,
		    (long)CURLAUTH_BASIC);
		rc |= (int)curl_easy_setopt(e, CURLOPT_USERNAME,
		    x->basic_user);
		rc |= (int)curl_easy_setopt(e, CURLOPT_PASSWORD,
		    x->basic_pass ? x->basic_pass : "");
	}
	if (x->body) {
		rc |= (int)curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)x->body_len);
		rc |= (int)curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body);
	}
	if (strcmp(x->method, "GET") != 0 && strcmp(x->method, "POST") != 0)
		rc |= (int)curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
		    x->method);
	else if (strcmp(x->method, "POST") == 0 && x->body == NULL) {
		/* An empty body of Content-Length 0: CURLOPT_POST alone
		 * reads the body from stdin, chunked, and a server that
		 * expects none (an XRPC procedure without input, such as
		 * Bluesky's refreshSession) refuses it with 400. */
		rc |= (int)curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)0);
		rc |= (int)curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
	}
	cm_buf_reset(&x->resp->headers);
	cm_buf_reset(&x->resp->body);
	return rc ? -1 : 0;
}

int cm_http_start(struct cm_http *h, const struct cm_http_req *req,
    const struct cm_http_opts *o, void *tag, struct cm_error *err)
{
	static const struct cm_http_opts none;
	struct xfer *x;
	int failed = 0;

	if (o == NULL)
		o = &none;
	if (cm_http_url_ok(req->url, err) < 0)
		return -1;
	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->resp = calloc(1, sizeof(*x->resp))) == NULL ||
	    (x->easy = curl_easy_init()) == NULL)
		goto nomem;
	x->resp->body.limit = 0;
	x->tag = tag;
	x->url = dup_or_null(req->url, &failed);
	x->origin = origin_of(req->url, NULL);
	x->method = dup_or_null(req->method ? req->method : "GET", &failed);
	x->bearer = dup_or_null(req->bearer, &failed);
	x->basic_user = dup_or_null(req->basic_user, &failed);
	x->basic_pass = dup_or_null(req->basic_pass, &failed);
	x->ctype = dup_or_null(req->content_type, &failed);
	x->user_agent = dup_or_null(o->user_agent, &failed);
	x->cacert = dup_or_null(o->cacert, &failed);
	for (size_t i = 0; i < CM_HTTP_MAX_HEADERS && req->headers[i]; i++)
		x->headers[i] = dup_or_null(req->headers[i], &failed);
	if (req->body) {
		if ((x->body = malloc(req->body_len + 1)) == NULL)
			failed = 1;
		else {
			memcpy(x->body, req->body, req->body_len);
			x->body[req->body_len] = '\0';
			x->body_len = req->body_len;
		}
	}
	if (failed || x->origin == NULL)
		goto nomem;
	x->connect_timeout = o->connect_timeout > 0 ? o->connect_timeout : 10;
	x->timeout = o->timeout > 0 ? o->timeout : 60;
	x->stall = o->stall > 0 ? o->stall : 30;
	x->max_body = o->max_body > 0 ? o->max_body :
	    CM_HTTP_DEFAULT_MAX_BODY;
	clock_gettime(CLOCK_MONOTONIC, &x->started);
	if (setup(x) < 0 || curl_multi_add_handle(h->multi, x->easy) !=
	    CURLM_OK)
		goto nomem;
	x->next = h->xfers;
	h->xfers = x;
	h->running++;
	return 0;
nomem:
	xfer_free(x);
	cm_error_nomem(err, NULL);
	return -1;
}

size_t cm_http_running(const struct cm_http *h)
{
	return h->running;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Follows a redirect of x when it answered with one: 1 restarted, 0 not
 * a redirect (or one not to follow: it is then the answer). */
static int follow(struct cm_http *h, struct xfer *x, long status)
{
	char *loc = NULL, *copy;
	struct cm_error err;

	if (status != 301 && status != 302 && status != 303 &&
	    status != 307 && status != 308)
		return 0;
	if (curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc) !=
	    CURLE_OK || loc == NULL || x->redirects >= MAX_REDIRECTS ||
	    cm_http_url_ok(loc, &err) < 0 || (copy = strdup(loc)) == NULL)
		return 0;
	curl_multi_remove_handle(h->multi, x->easy);
	free(x->url);
	x->url = copy;
	x->redirects++;
	if (status == 303 || ((status == 301 || status == 302) &&
	    strcmp(x->method, "POST") == 0)) {
		free(x->method);
		x->method = strdup("GET");
		free(x->body);
		x->body = NULL;
		x->body_len = 0;
	}
	if (x->method == NULL || setup(x) < 0 ||
	    curl_multi_add_handle(h->multi, x->easy) != CURLM_OK)
		return 0;
	return 1;
}

/* The finished transfer x: its answer, handed over, and x freed. */
static void finish(struct cm_http *h, struct xfer *x, CURLcode code,
    void **tag, struct cm_http_resp **resp)
{
	struct xfer **pp;
	char *eff = NULL;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->resp->status);
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
	x->resp->transport = (int)code;
	if (code != CURLE_OK) {
		x->resp->status = 0;
		if (x->too_big)
			snprintf(x->resp->error, sizeof(x->resp->error),
			    "the answer is over %zu bytes", x->max_body);
		else if (code == CURLE_PEER_FAILED_VERIFICATION) {
			/* The same certificate next time: a retry would only
			 * put the failure off, and the one to act is the user
			 * (an account's cacert), not the server. */
			x->resp->untrusted = 1;
			snprintf(x->resp->error, sizeof(x->resp->error),
			    "the server's TLS certificate does not verify "
			    "(%.140s); for a private authority, set the "
			    "account's cacert", x->detail[0] ? x->detail :
			    curl_easy_strerror(code));
		} else if (code == CURLE_SSL_CACERT_BADFILE) {
			x->resp->untrusted = 1;
			snprintf(x->resp->error, sizeof(x->resp->error),
			    "the CA file %.100s cannot be read (%.100s)",
			    x->cacert ? x->cacert : "(the system's)",
			    x->detail[0] ? x->detail :
			    curl_easy_strerror(code));
		} else
			snprintf(x->resp->error, sizeof(x->resp->error), "%s",
			    curl_easy_strerror(code));
	}
	x->resp->url = strdup(eff ? eff : x->url);
	x->resp->seconds = since(&x->started);
	curl_multi_remove_handle(h->multi, x->easy);
	for (pp = &h->xfers; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	h->running--;
	*tag = x->tag;
	*resp = x->resp;
	x->resp = NULL;
	xfer_free(x);
}

int cm_http_next(struct cm_http *h, int timeout_ms, void **tag,
    struct cm_http_resp **resp, struct cm_error *err)
{
	struct timespec t0;
	CURLMsg *m;
	int left, still;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (curl_multi_perform(h->multi, &still) != CURLM_OK) {
			cm_error_nomem(err, NULL);
			return -1;
		}
		while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
			struct xfer *x = NULL;
			long status = 0;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			if (m->data.result == CURLE_OK) {
				curl_easy_getinfo(x->easy,
				    CURLINFO_RESPONSE_CODE, &status);
				if (follow(h, x, status))
					continue;
			}
			finish(h, x, m->data.result, tag, resp);
			return 1;
		}
		if (h->running == 0)
			return 0;
		left = timeout_ms - (int)(since(&t0) * 1000);
		if (left <= 0)
			return 0;
		if (curl_multi_poll(h->multi, NULL, 0, left, NULL) !=
		    CURLM_OK) {
			cm_error_nomem(err, NULL);
			return -1;
		}
	}
}
