/* fuzz_pages.h - the driver the platform harnesses share: the fuzz input
 * is the answers of a server to the requests of one of the adapter's
 * feeds, given to its response op as the real driver would (a session or
 * token first, then pages by their cursors); every record must be strict
 * JSON, every request URL clean, every error explained, the output no
 * larger than a fixed multiple of the input, and nothing may leak. */
#ifndef CM_FUZZ_PAGES_H
#define CM_FUZZ_PAGES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_record.h"
#include "platforms/adapter.h"
#include "store/config.h"

/*
 * The input: a control byte, then the answers, each split from the next
 * by a line "--".  The control byte's bits: 0-2 the feed (modulo their
 * number), 3 through an [account] section, 4 the second part of a feed
 * of two, 5 the sink stops at the first record, 6 raw payloads kept.  An
 * answer may start with "HTTP NNN" and header lines ("name: value", the
 * names lower case as lib/net gives them) up to an empty line; otherwise
 * it is a 200 without headers.
 */
#define FUZZ_MAX_STEPS 8
#define FUZZ_SEP "\n--\n"

struct fuzz_platform {
	const char *platform;
	const char *account_keys;	/* the [account] section's lines */
	const char *const *args;	/* per feed: its argument, or NULL */
};

struct fuzz_seen {
	struct cm_buf rec;
	size_t records, bytes;
	int stop;
};

static int fuzz_on_record(void *ctx, struct cm_rec *rec, int64_t order)
{
	struct fuzz_seen *s = ctx;

	(void)order;
	rec->account = "f";
	rec->feed = "x";
	if (fuzz_record_check(rec, &s->rec) < 0)
		return -1;
	s->records++;
	s->bytes += s->rec.len;
	/* to see what a seed makes: CM_FUZZ_PRINT=1 ./harness FILE */
	if (getenv("CM_FUZZ_PRINT"))
		fprintf(stderr, "%.*s\n", (int)s->rec.len, s->rec.data);
	return s->stop;
}

static void fuzz_on_bad(void *ctx, const char *msg)
{
	(void)ctx;
	if (msg == NULL || *msg == '\0')
		abort();	/* a bad item is named */
}

/* The next answer of data[*pos..size) into resp; 0 when there is none. */
static int fuzz_answer(const uint8_t *data, size_t size, size_t *pos,
    struct cm_http_resp *resp)
{
	const char *p = (const char *)data + *pos, *end, *sep, *eol;
	size_t n;

	if (*pos > size)
		return 0;
	n = size - *pos;
	sep = memmem(p, n, FUZZ_SEP, strlen(FUZZ_SEP));
	end = sep ? sep : p + n;
	*pos = sep ? (size_t)(sep - (const char *)data) + strlen(FUZZ_SEP) :
	    size + 1;
	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	if (end - p >= 9 && memcmp(p, "HTTP ", 5) == 0 && p[8] == '\n') {
		resp->status = strtol((char[]){ p[5], p[6], p[7], 0 }, NULL,
		    10);
		p += 9;
		/* header lines up to an empty one */
		while (p < end && *p != '\n') {
			eol = memchr(p, '\n', (size_t)(end - p));
			eol = eol ? eol + 1 : end;
			if (cm_buf_add(&resp->headers, p, (size_t)(eol - p)) < 0)
				abort();
			p = eol;
		}
		if (p < end)
			p++;
	}
	/* the body exactly as large as it is, so ASan sees reads past it;
	 * an empty one is NULL, as lib/net leaves it */
	if (end > p) {
		resp->body.len = (size_t)(end - p);
		resp->body.cap = resp->body.len + 1;
		if ((resp->body.data = malloc(resp->body.cap)) == NULL)
			abort();
		memcpy(resp->body.data, p, resp->body.len);
		resp->body.data[resp->body.len] = '\0';
	}
	return 1;
}

/* A request's URL: printable ASCII, no space, on the account's base_url
 * (or a platform's public https one). */
static void fuzz_check_url(const char *url)
{
	if (url == NULL || (strncmp(url, "http://127.0.0.1:9/", 19) != 0 &&
	    strncmp(url, "https://", 8) != 0))
		abort();
	for (const char *c = url; *c; c++)
		if (*c <= ' ' || *c >= 0x7f)
			abort();	/* something put in unencoded */
}

static size_t fuzz_nfeeds(const struct cm_adapter *ad)
{
	size_t n = 0;

	while (ad->feeds[n].name)
		n++;
	return n;
}

static int fuzz_pages(const struct fuzz_platform *fp, const uint8_t *data,
    size_t size)
{
	const struct cm_adapter *ad = cm_adapter_find(fp->platform,
	    strlen(fp->platform));
	struct fuzz_seen s = { CM_BUF_INIT, 0, 0, 0 };
	struct cm_sink sink = { fuzz_on_record, fuzz_on_bad, &s, 0 };
	struct cm_buf conf = CM_BUF_INIT, next = CM_BUF_INIT;
	struct cm_source src;
	struct cm_config *cfg;
	struct cm_error err;
	const struct cm_feed *feed;
	char *cursor = NULL;
	size_t pos = 1, fi;
	void *st;
	int rc;

	if (size < 1 || ad == NULL)
		return 0;
	setenv("CM_FUZZ_SECRET", "s3cret", 1);
	setenv("CM_FUZZ_USER", "acme", 1);
	fi = (data[0] & 7) % fuzz_nfeeds(ad);
	feed = &ad->feeds[fi];
	s.stop = data[0] & 32 ? 1 : 0;
	sink.raw = data[0] & 64 ? 1 : 0;
	if (cm_buf_printf(&conf, "[account f]\nplatform = %s\n"
	    "base_url = http://127.0.0.1:9/\n%s", fp->platform,
	    fp->account_keys) < 0)
		abort();
	if ((cfg = cm_config_parse("fuzz", conf.data, conf.len, &err)) == NULL)
		abort();
	memset(&src, 0, sizeof(src));
	src.spec = src.key = "f:x";
	src.has_account = feed->account || (data[0] & 8);
	src.account = src.has_account ? "f" : fp->platform;
	src.ad = ad;
	src.feed = feed;
	src.arg = fp->args[fi];
	src.cfg = cfg;
	if (feed->parts[0])
		src.part = feed->parts[data[0] & 16 && feed->parts[1] ? 1 : 0];
	if (ad->check(&src, &err) < 0 || (st = ad->open(&src, &err)) == NULL) {
		fprintf(stderr, "fuzz: the source is not set up: %s\n",
		    err.msg);
		abort();
	}
	for (int step = 0; step < FUZZ_MAX_STEPS; step++) {
		struct cm_http_req req;
		struct cm_http_opts o;
		struct cm_http_resp resp;
		struct cm_budget bu;
		double retry_after = 0;

		memset(&req, 0, sizeof(req));
		memset(&o, 0, sizeof(o));
		err.msg[0] = '\0';
		if ((rc = ad->request(st, cursor, &req, &o, &err)) < 0)
			abort();	/* nothing but memory can fail here */
		if (rc == 0)
			break;
		fuzz_check_url(req.url);
		if (!fuzz_answer(data, size, &pos, &resp))
			break;
		if (ad->budget)
			ad->budget(&resp, &bu);
		cm_buf_reset(&next);
		rc = ad->response(st, &resp, &sink, &next, &retry_after, &err);
		cm_buf_free(&resp.headers);
		cm_buf_free(&resp.body);
		if (rc < 0 || rc == CM_PAGE_RETRY) {
			if (err.msg[0] == '\0')
				abort();	/* a failure says what failed */
			if (rc < 0)
				break;
			continue;
		}
		if (rc == CM_PAGE_AGAIN)
			continue;
		if (rc != CM_PAGE_DONE)
			abort();
		if (next.len == 0)
			break;
		free(cursor);
		if ((cursor = strdup(next.data)) == NULL)
			abort();
	}
	/* Nothing grows past the input: a record per item it holds at
	 * most, and bytes a fixed multiple of it (escapes, the tokens of a
	 * record's text, U+FFFD for a byte). */
	if (s.records > size || s.bytes > 256 * size + 4096)
		abort();
	ad->close(st);
	free(cursor);
	cm_config_free(cfg);
	cm_buf_free(&next);
	cm_buf_free(&conf);
	cm_buf_free(&s.rec);
	return 0;
}

#endif
