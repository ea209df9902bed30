/* http.h - HTTP requests over one libcurl multi handle, for the adapters */
#ifndef CM_HTTP_H
#define CM_HTTP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * A request.  Its strings are the caller's and are copied when it starts.
 * bearer and basic_user/basic_pass are secrets: they are sent only to the
 * host of url (never to another host after a redirect) and never appear
 * in cm_http_describe's text.
 */
#define CM_HTTP_MAX_HEADERS 8

struct cm_http_req {
	const char *method;		/* NULL: GET */
	const char *url;
	const char *headers[CM_HTTP_MAX_HEADERS];	/* "Name: value" */
	const char *bearer;		/* Authorization: Bearer */
	const char *basic_user, *basic_pass;	/* Authorization: Basic */
	const char *body;		/* POST body, body_len bytes */
	size_t body_len;
	const char *content_type;	/* of the body */
	/* The body holds no secret (a reply's text, not a sign-in): the
	 * description of --dry-run shows it. */
	int body_public;
};

/* How transfers go: the account's settings.  0 means the default. */
struct cm_http_opts {
	const char *user_agent;		/* NULL: "cm/VERSION" */
	const char *cacert;		/* CA bundle for a private instance */
	long connect_timeout;		/* seconds, default 10 */
	long timeout;			/* whole transfer, default 60 */
	long stall;			/* no byte for this long, default 30 */
	size_t max_body;		/* default 16 MiB */
};

#define CM_HTTP_DEFAULT_MAX_BODY ((size_t)16 << 20)

/*
 * What came back.  status is 0 when no HTTP answer came (transport set to
 * libcurl's code and error to its message: refused, reset, timed out,
 * body over the cap); untrusted is set too when TLS did not verify the
 * server or the CA file could not be read, which no retry mends.
 * headers holds the final response's header lines, names lower-cased,
 * "name: value\n" each.  The caller frees it with cm_http_resp_free.
 */
struct cm_http_resp {
	long status;
	int transport;
	int untrusted;			/* TLS did not verify: no retry helps */
	char error[256];
	struct cm_buf headers;
	struct cm_buf body;
	char *url;			/* the final URL, after redirects */
	double seconds;			/* how long it took, redirects too */
};

void cm_http_resp_free(struct cm_http_resp *r);

/* The value of the last header called name (lower case), its length in
 * *len; NULL when absent.  It points into r. */
const char *cm_http_header(const struct cm_http_resp *r, const char *name,
    size_t *len);

/*
 * From the Link header (RFC 8288) of r, the query parameter param of the
 * target whose rel is rel ("next"), percent-decoded, into out.  Returns 1
 * with it, 0 when there is a Link header but no target of that rel (the
 * list ends there), -1 when there is no Link header or its target has no
 * such parameter (or an empty one), -2 when out of memory.  Only the
 * parameter is taken, never the URL: the request stays the adapter's, to
 * the account's own host.
 */
int cm_http_link_param(const struct cm_http_resp *r, const char *rel,
    const char *param, struct cm_buf *out);

/* Whether url may be fetched: https, or plain http to a loopback host
 * (127.0.0.0/8, ::1, localhost).  Returns 0, or -1 with err (status 2). */
int cm_http_url_ok(const char *url, struct cm_error *err);

/* The request as text for -v and --dry-run, secrets masked: "GET URL" and
 * then one indented line per header.  Appended to out; 0 or -1. */
int cm_http_describe(const struct cm_http_req *req,
    const struct cm_http_opts *o, struct cm_buf *out);

/*
 * The transfers: started with cm_http_start (tag is the caller's, given
 * back with the response), run together, and collected one by one with
 * cm_http_next, which waits up to timeout_ms.  Redirects (at most 5, to
 * URLs cm_http_url_ok allows) are followed inside; a 303 turns into a
 * GET.  Returns NULL / -1 with err set.
 */
struct cm_http;

struct cm_http *cm_http_new(struct cm_error *err);
void cm_http_free(struct cm_http *h);
int cm_http_start(struct cm_http *h, const struct cm_http_req *req,
    const struct cm_http_opts *o, void *tag, struct cm_error *err);
/* 1 with *tag and *resp (the caller's), 0 when none ended in time or
 * none is running, -1 on error. */
int cm_http_next(struct cm_http *h, int timeout_ms, void **tag,
    struct cm_http_resp **resp, struct cm_error *err);
/* How many are running. */
size_t cm_http_running(const struct cm_http *h);

#endif
