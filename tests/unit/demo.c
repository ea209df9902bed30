/* demo.c - unit tests for the demo record generator, checked with libjq */
#include <errno.h>
#include <jq.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/platform.h"
#include "core/timeutil.h"
#include "platforms/demo_gen.h"
#include "tap.h"

#define END 1795521600		/* 2026-11-24T12:00:00Z */
#define FETCHED 1795525200	/* an hour later */
#define BIG 100000
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Runs a generator to the end; all its records in all, one a line. */
static long run(uint64_t seed, uint64_t count, int64_t end, const char *brand,
    struct cm_buf *all)
{
	struct cm_demo_opts o = { 0 };
	struct cm_demo *d;
	long n = 0;
	int r;

	o.seed = seed;
	o.count = count;
	o.end = end;
	o.fetched_at = FETCHED;
	o.brand = brand;
	if ((d = cm_demo_new(&o)) == NULL)
		return -1;
	while ((r = cm_demo_next(d, all)) == 1) {
		cm_buf_addc(all, '\n');
		n++;
	}
	if (r == 0 && cm_demo_next(d, all) != 0)
		r = -1;		/* must stay finished */
	cm_demo_free(d);
	return r < 0 ? -1 : n;
}

static void test_determinism(void)
{
	struct cm_buf a = CM_BUF_INIT, b = CM_BUF_INIT, c = CM_BUF_INIT,
	    e = CM_BUF_INIT;

	is_int(run(9, 5000, END, NULL, &a), 5000, "5000 records made");
	run(9, 5000, END, NULL, &b);
	ok(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "the same seed gives the same bytes");
	run(10, 5000, END, NULL, &c);
	ok(a.len != c.len || memcmp(a.data, c.data, a.len) != 0,
	    "another seed gives other bytes");
	run(9, 5000, END + 3600, NULL, &e);
	ok(a.len != e.len || memcmp(a.data, e.data, a.len) != 0,
	    "another end time gives other bytes");
	cm_buf_free(&a);
	cm_buf_free(&b);
	cm_buf_free(&c);
	cm_buf_free(&e);
}

/* created_at of the JSON line at p, or INT64_MIN */
static int64_t created(const char *p)
{
	const char *q = strstr(p, "\"created_at\":\"");
	int64_t t;

	if (q == NULL || cm_time_parse(q + 14, 20, &t) < 0)
		return INT64_MIN;
	return t;
}

static void test_small(void)
{
	struct cm_buf b = CM_BUF_INIT;
	struct cm_demo_opts o = { 0 };
	struct cm_demo *d;

	is_int(run(1, 0, END, NULL, &b), 0, "count 0: nothing");
	is_int(b.len, 0, "count 0: no bytes");
	is_int(run(1, 1, END, NULL, &b), 1, "count 1: one record");
	is_int(created(b.data), END, "count 1: it is at the end time");
	cm_buf_reset(&b);
	is_int(run(5, 3, END, NULL, &b), 3, "count 3: three records");
	b.data[b.len - 1] = '\0';	/* the last line follows the last \n */
	ok(created(strrchr(b.data, '\n') + 1) == END,
	    "count 3: the last is at the end time");
	cm_buf_reset(&b);
	is_int(run(5, 2000, -86400 * 365 * 20, NULL, &b), 2000,
	    "an end time in 1950 still works");
	cm_buf_reset(&b);
	is_int(run(5, 2000, 253402300799LL, NULL, &b), 2000,
	    "an end time in 9999 still works");
	cm_buf_free(&b);

	o.count = 1;
	o.brand = "no spaces";
	errno = 0;
	ok(cm_demo_new(&o) == NULL && errno == EINVAL,
	    "a brand handle with a space is refused");
	o.brand = "";
	ok(cm_demo_new(&o) == NULL && errno == EINVAL,
	    "an empty brand handle is refused");
	o.brand = "a\"b";
	ok(cm_demo_new(&o) == NULL && errno == EINVAL,
	    "a brand handle with a quote is refused");
	ok(cm_demo_new(NULL) == NULL && errno == EINVAL, "no options refused");
	o.brand = NULL;
	d = cm_demo_new(&o);
	ok(d != NULL, "no brand means acme");
	cm_demo_free(d);
	cm_demo_free(NULL);
}

/* -- a checker of records, over libjq values -- */

static jv get(jv obj, const char *key)
{
	return jv_object_get(jv_copy(obj), jv_string(key));
}

static int kind_of(jv obj, const char *key)
{
	jv v = get(obj, key);
	int k = jv_get_kind(v);

	jv_free(v);
	return k;
}

/* The string at key, copied into buf (cap bytes), or NULL when it is not
 * a string. */
static const char *str_of(jv obj, const char *key, char *buf, size_t cap)
{
	jv v = get(obj, key);
	const char *s = NULL;

	if (jv_get_kind(v) == JV_KIND_STRING) {
		snprintf(buf, cap, "%s", jv_string_value(v));
		s = buf;
	}
	jv_free(v);
	return s;
}

static int is_int_or_null(jv obj, const char *key)
{
	jv v = get(obj, key);
	int okk = jv_get_kind(v) == JV_KIND_NULL ||
	    (jv_get_kind(v) == JV_KIND_NUMBER &&
	    jv_number_value(v) == (double)(int64_t)jv_number_value(v));

	jv_free(v);
	return okk;
}

/* Whether arr, which it frees, is an array of strings. */
static int all_strings(jv arr)
{
	int i, n, okk = jv_get_kind(arr) == JV_KIND_ARRAY;

	n = okk ? jv_array_length(jv_copy(arr)) : 0;
	for (i = 0; i < n && okk; i++) {
		jv e = jv_array_get(jv_copy(arr), i);

		okk = jv_get_kind(e) == JV_KIND_STRING;
		jv_free(e);
	}
	jv_free(arr);
	return okk;
}

/* Whether every handle of the record's mentions is written in its text
 * in the mention form of its platform's entry in cm_platforms, and a
 * platform without one has no mentions. */
static int mentions_in_form(const char *text, const char *plat, jv rec)
{
	const struct cm_platform *pf = cm_platform_find(plat, strlen(plat));
	jv arr = get(rec, "mentions");
	char needle[200];
	int i, n, okk = pf != NULL;

	n = jv_get_kind(arr) == JV_KIND_ARRAY ? jv_array_length(jv_copy(arr)) :
	    0;
	for (i = 0; okk && i < n; i++) {
		jv m = jv_array_get(jv_copy(arr), i);

		snprintf(needle, sizeof(needle), "%s%s", pf->mention,
		    jv_string_value(m));
		okk = pf->mention[0] != '\0' && strstr(text, needle) != NULL;
		jv_free(m);
	}
	jv_free(arr);
	return okk;
}

/* Failures by check: one TAP line each, with the first bad record. */
enum { C_JSON, C_KEYS, C_TYPES, C_ID, C_URL, C_TIME, C_ORDER, C_UNIQUE,
	C_THREAD, C_BRAND, C_TOKENS, C_MENTION, C_SOURCE, C_NULLS, C_LANG,
	C_UTF8, C_ACCOUNT, NC };
static const char *const check_name[NC] = {
	"every line is a JSON object",
	"every record has exactly the schema's fields",
	"every field has the schema's type",
	"ids are PLATFORM:NATIVE_ID in the platform's own form",
	"urls are https and name the platform's host",
	"created_at is RFC 3339 UTC and parses",
	"created_at ascends",
	"ids are unique",
	"in_reply_to and thread agree, with the parent's thread",
	"brand replies answer an earlier record by someone else",
	"tags, mentions and links are those of the text",
	"mentions are written as core/platform.h says for the platform",
	"source: the platform's account, a feed, fetched_at",
	"followers, verified and metrics are null where the platform has none",
	"lang is a known code, ja records are in Japanese",
	"texts are valid UTF-8 with nothing replaced",
	"a handle is one account on each platform",
};
static long fails[NC];
static char first_bad[NC][300];

static void fail(int c, const char *line)
{
	if (fails[c]++ == 0)
		snprintf(first_bad[c], sizeof(first_bad[c]), "%.280s", line);
}

/* Ids seen: open addressing, storing what later records check.  The
 * same table maps "platform handle" keys to author ids. */
struct seen {
	char *id;
	char *thread;		/* NULL: none; an author id for handle keys */
	int64_t t;
	int brand, spam, answered;
};
#define TABLE (1 << 18)
static struct seen *table;

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

static struct seen *lookup(const char *id, int insert)
{
	size_t i = hash(id) & (TABLE - 1);

	while (table[i].id) {
		if (strcmp(table[i].id, id) == 0)
			return &table[i];
		i = (i + 1) & (TABLE - 1);
	}
	if (!insert)
		return NULL;
	table[i].id = strdup(id);
	return &table[i];
}

static int word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static int at_start(const char *s, size_t i)
{
	return i == 0 || strchr(" \n(\"", s[i - 1]) != NULL;
}

/* Whether the array arr is exactly the list of tokens (in order, no
 * duplicates) that cm-record(5) defines for the text. */
static int tokens_match(const char *s, jv rec)
{
	char want[3][16][200];
	int nw[3] = { 0, 0, 0 }, k, i, j;
	size_t n = strlen(s), p = 0, q, e;
	static const char *const keys[3] = { "tags", "mentions", "links" };

	while (p < n) {
		k = -1;
		if (strncmp(s + p, "https://", 8) == 0 ||
		    strncmp(s + p, "http://", 7) == 0) {
			for (q = p; q < n && !strchr(" \n\"<>", s[q]); q++)
				;
			for (e = q; e > p && strchr(".,;:!?)'", s[e - 1]); e--)
				;
			k = 2;
		} else if (s[p] == '@' && at_start(s, p) && word(s[p + 1])) {
			for (q = p + 1; q < n && (word(s[q]) ||
			    strchr(".-@", s[q])); q++)
				;
			for (e = q; strchr(".-@", s[e - 1]); e--)
				;
			p++;
			k = 1;
		} else if (s[p] == 'u' && s[p + 1] == '/' && at_start(s, p) &&
		    word(s[p + 2])) {
			for (q = p + 2; q < n && (word(s[q]) ||
			    s[q] == '-'); q++)
				;
			e = q;
			p += 2;
			k = 1;
		} else if (s[p] == '#' && at_start(s, p) && word(s[p + 1])) {
			int letter = 0;

			for (q = p + 1; q < n && word(s[q]); q++)
				if ((s[q] < '0' || s[q] > '9') && s[q] != '_')
					letter = 1;
			e = q;
			p++;
			if (letter)
				k = 0;
		} else {
			p++;
			continue;
		}
		if (k >= 0 && nw[k] < 16 && e - p < 200) {
			char tok[200];

			memcpy(tok, s + p, e - p);
			tok[e - p] = '\0';
			for (i = 0; k == 0 && tok[i]; i++)
				if (tok[i] >= 'A' && tok[i] <= 'Z')
					tok[i] = (char)(tok[i] - 'A' + 'a');
			for (i = 0; i < nw[k]; i++)
				if (strcmp(want[k][i], tok) == 0)
					break;
			if (i == nw[k])
				strcpy(want[k][nw[k]++], tok);
		}
		p = q;
	}
	for (k = 0; k < 3; k++) {
		jv arr = get(rec, keys[k]);
		int len = jv_array_length(jv_copy(arr)), okk = len == nw[k];

		for (j = 0; okk && j < len; j++) {
			jv e2 = jv_array_get(jv_copy(arr), j);

			okk = strcmp(jv_string_value(e2), want[k][j]) == 0;
			jv_free(e2);
		}
		jv_free(arr);
		if (!okk)
			return 0;
	}
	return 1;
}

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789");

	return s[n] == '\0' && n >= min && n <= max;
}

static int id_form(const char *plat, const char *id)
{
	size_t n = strlen(plat);
	const char *nat = id + n + 1;

	if (strncmp(id, plat, n) != 0 || id[n] != ':')
		return 0;
	if (strcmp(plat, "mastodon") == 0)
		return strncmp(nat, "mastodon.social:", 16) == 0 &&
		    all_digits(nat + 16, 18, 18);
	if (strcmp(plat, "bluesky") == 0)
		return strncmp(nat, "at://did:plc:", 13) == 0 &&
		    strspn(nat + 13, "abcdefghijklmnopqrstuvwxyz234567") == 24 &&
		    strncmp(nat + 37, "/app.bsky.feed.post/", 20) == 0 &&
		    strspn(nat + 57, "234567abcdefghijklmnopqrstuvwxyz") == 13 &&
		    nat[70] == '\0';
	if (strcmp(plat, "reddit") == 0)
		return (strncmp(nat, "t1_", 3) == 0 ||
		    strncmp(nat, "t3_", 3) == 0) &&
		    strspn(nat + 3, "0123456789abcdefghijklmnopqrstuvwxyz") ==
		    strlen(nat + 3) && strlen(nat + 3) >= 6;
	if (strcmp(plat, "hn") == 0)
		return all_digits(nat, 7, 9);
	if (strcmp(plat, "x") == 0)
		return all_digits(nat, 19, 19);
	if (strcmp(plat, "discord") == 0)
		return all_digits(nat, 18, 19);
	if (strcmp(plat, "youtube") == 0)
		return strncmp(nat, "Ug", 2) == 0 && (strlen(nat) == 26 ||
		    (strlen(nat) == 49 && nat[26] == '.'));
	if (strcmp(plat, "rss") == 0)
		return strncmp(nat, "https://", 8) == 0;
	return 0;
}

static const char *const platforms[] = { "mastodon", "bluesky", "x",
	"reddit", "youtube", "discord", "hn", "rss" };
static const char *const accounts[] = { "acme-masto", "acme-bsky", "acme-x",
	"reddit", "acme-yt", "acme-discord", "hn", "rss" };
static const char *const hosts[] = { "", "https://bsky.app/profile/",
	"https://x.com/", "https://www.reddit.com/r/",
	"https://www.youtube.com/watch?v=", "https://discord.com/channels/",
	"https://news.ycombinator.com/item?id=", "" };
static const char *const langs[] = { "en", "es", "fr", "de", "pt", "ja" };

static int index_of(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (int)i;
	return -1;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Spam says one of these; nothing else does (see lib/platforms/demo_gen.c). */
static int spammy(const char *text)
{
	static const char *const marks[] = { "airdrop", "giveaway", "crypto",
		"usdt" };
	char low[1100];
	size_t i;

	for (i = 0; text[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ?
		    text[i] - 'A' + 'a' : text[i]);
	low[i] = '\0';
	for (i = 0; i < 4; i++)
		if (strstr(low, marks[i]))
			return 1;
	return 0;
}

static void test_records(void)
{
	static const char *const fields[] = { "id", "platform", "kind",
		"reason", "created_at", "url", "author", "text", "lang",
		"in_reply_to", "thread", "tags", "mentions", "links", "metrics",
		"source" };
	static int64_t followers[BIG], delays[BIG];
	struct cm_buf all = CM_BUF_INIT;
	char id[256], plat_s[32], buf[1100], irt[256], thr[256], stamp[32];
	char fetched[21], *line, *nl;
	long n, inbound = 0, nfol = 0, ndel = 0, answered = 0, spam = 0,
	    spam_answered = 0, i, brand_replies = 0, top_spam = 0;
	int seen_plat[8] = { 0 }, seen_lang[6] = { 0 }, zwj = 0, skin = 0,
	    caps = 0, eyeroll = 0, never = 0, notbad = 0, question = 0,
	    threads = 0;
	int64_t t, last = INT64_MIN;
	int c;

	table = calloc(TABLE, sizeof(*table));
	n = run(3, BIG, END, NULL, &all);
	is_int(n, BIG, "100000 records made");
	cm_time_format(FETCHED, fetched);
	for (line = all.data; line && *line; line = nl ? nl + 1 : NULL) {
		jv rec, author, metrics, source, keys;
		struct seen *s;
		const char *text, *plat, *lang;
		int p, is_brand, k;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		rec = jv_parse_sized(line, (int)strlen(line));
		if (jv_get_kind(rec) != JV_KIND_OBJECT) {
			fail(C_JSON, line);
			jv_free(rec);
			continue;
		}
		keys = jv_keys(jv_copy(rec));
		k = jv_array_length(jv_copy(keys)) == (int)NELEM(fields);
		for (i = 0; k && i < (long)NELEM(fields); i++)
			if (kind_of(rec, fields[i]) == JV_KIND_INVALID)
				k = 0;
		jv_free(keys);
		if (!k)
			fail(C_KEYS, line);

		author = get(rec, "author");
		metrics = get(rec, "metrics");
		source = get(rec, "source");
		plat = str_of(rec, "platform", plat_s, sizeof(plat_s));
		text = str_of(rec, "text", buf, sizeof(buf));
		p = index_of(platforms, 8, plat);
		is_brand = kind_of(author, "is_brand") == JV_KIND_TRUE;
		if (p < 0 || !text || !str_of(rec, "id", id, sizeof(id)) ||
		    kind_of(rec, "kind") != JV_KIND_STRING ||
		    kind_of(rec, "reason") != JV_KIND_STRING ||
		    kind_of(rec, "url") != JV_KIND_STRING ||
		    jv_get_kind(author) != JV_KIND_OBJECT ||
		    kind_of(author, "id") != JV_KIND_STRING ||
		    kind_of(author, "handle") != JV_KIND_STRING ||
		    kind_of(author, "name") != JV_KIND_STRING ||
		    kind_of(author, "url") != JV_KIND_STRING ||
		    !is_int_or_null(author, "followers") ||
		    (kind_of(author, "verified") != JV_KIND_TRUE &&
		    kind_of(author, "verified") != JV_KIND_FALSE &&
		    kind_of(author, "verified") != JV_KIND_NULL) ||
		    (!is_brand && kind_of(author, "is_brand") != JV_KIND_FALSE) ||
		    (kind_of(rec, "lang") != JV_KIND_STRING &&
		    kind_of(rec, "lang") != JV_KIND_NULL) ||
		    (kind_of(rec, "in_reply_to") != JV_KIND_STRING &&
		    kind_of(rec, "in_reply_to") != JV_KIND_NULL) ||
		    (kind_of(rec, "thread") != JV_KIND_STRING &&
		    kind_of(rec, "thread") != JV_KIND_NULL) ||
		    jv_get_kind(metrics) != JV_KIND_OBJECT ||
		    !is_int_or_null(metrics, "likes") ||
		    !is_int_or_null(metrics, "reposts") ||
		    !is_int_or_null(metrics, "replies") ||
		    !is_int_or_null(metrics, "quotes") ||
		    jv_get_kind(source) != JV_KIND_OBJECT ||
		    !all_strings(get(rec, "tags")) ||
		    !all_strings(get(rec, "mentions")) ||
		    !all_strings(get(rec, "links")) ||
		    text[0] == '\0') {
			fail(C_TYPES, line);
			goto next;
		}
		{
			char k2[32];

			str_of(rec, "kind", k2, sizeof(k2));
			if (index_of((const char *const[]){ "post", "reply",
			    "comment", "message" }, 4, k2) < 0)
				fail(C_TYPES, line);
			str_of(rec, "reason", k2, sizeof(k2));
			if (index_of((const char *const[]){ "mention", "reply",
			    "quote", "search", "tag", "channel", "own" }, 7,
			    k2) < 0)
				fail(C_TYPES, line);
		}
		seen_plat[p] = 1;
		if (!id_form(plat, id))
			fail(C_ID, line);
		{
			char u[512];

			str_of(rec, "url", u, sizeof(u));
			if (strncmp(u, "https://", 8) != 0 ||
			    strncmp(u, hosts[p], strlen(hosts[p])) != 0)
				fail(C_URL, line);
			str_of(author, "url", u, sizeof(u));
			if (strncmp(u, "https://", 8) != 0)
				fail(C_URL, line);
		}
		str_of(rec, "created_at", stamp, sizeof(stamp));
		if (strlen(stamp) != 20 || stamp[19] != 'Z' ||
		    cm_time_parse(stamp, 20, &t) < 0) {
			fail(C_TIME, line);
			goto next;
		}
		if (t < last)
			fail(C_ORDER, line);
		last = t;

		/* threads */
		if (!str_of(rec, "in_reply_to", irt, sizeof(irt)))
			irt[0] = '\0';
		if (!str_of(rec, "thread", thr, sizeof(thr)))
			thr[0] = '\0';
		if ((irt[0] == '\0') != (thr[0] == '\0'))
			fail(C_THREAD, line);
		if (irt[0]) {
			struct seen *par = lookup(irt, 0);

			if (par && strcmp(thr, par->thread ? par->thread :
			    par->id) != 0)
				fail(C_THREAD, line);
			if (par && !par->brand && !is_brand)
				threads++;
			if (is_brand) {
				char k2[32], r2[32];

				brand_replies++;
				str_of(rec, "kind", k2, sizeof(k2));
				str_of(rec, "reason", r2, sizeof(r2));
				if (!par || par->brand || par->t >= t ||
				    strcmp(k2, "reply") != 0 ||
				    strcmp(r2, "own") != 0) {
					fail(C_BRAND, line);
				} else {
					if (!par->answered) {
						answered++;
						delays[ndel++] = t - par->t;
					}
					if (par->spam && !par->answered)
						spam_answered++;
					par->answered = 1;
				}
			}
		}
		if ((s = lookup(id, 1))->t != 0) {
			fail(C_UNIQUE, line);
			goto next;
		}
		s->t = t;
		s->brand = is_brand;
		s->thread = thr[0] ? strdup(thr) : NULL;
		if (!is_brand) {
			inbound++;
			if ((s->spam = spammy(text)) != 0)
				spam++;
		} else if (spammy(text))
			fail(C_BRAND, line);

		if (!tokens_match(text, rec))
			fail(C_TOKENS, line);
		if (!mentions_in_form(text, plat, rec))
			fail(C_MENTION, line);
		{
			char key[300], h[128], aid[128];
			struct seen *a;

			str_of(author, "handle", h, sizeof(h));
			str_of(author, "id", aid, sizeof(aid));
			snprintf(key, sizeof(key), "%s %s", plat, h);
			a = lookup(key, 1);
			if (a->thread == NULL)
				a->thread = strdup(aid);
			else if (strcmp(a->thread, aid) != 0)
				fail(C_ACCOUNT, line);
		}
		{
			char acc[64], feed[96], f2[32];

			if (!str_of(source, "account", acc, sizeof(acc)) ||
			    strcmp(acc, accounts[p]) != 0 ||
			    !str_of(source, "feed", feed, sizeof(feed)) ||
			    feed[0] == '\0' ||
			    !str_of(source, "fetched_at", f2, sizeof(f2)) ||
			    strcmp(f2, fetched) != 0)
				fail(C_SOURCE, line);
			if (is_brand && strcmp(feed, "own") != 0)
				fail(C_SOURCE, line);
		}
		/* nulls: by platform, as cm-record(5) says */
		{
			int hasf = kind_of(author, "followers") == JV_KIND_NUMBER;
			int micro = p <= 2;

			if ((micro && !hasf && !is_brand) || (!micro && hasf) ||
			    ((p == 6 || p == 7) && (kind_of(metrics, "likes") ==
			    JV_KIND_NUMBER) && kind_of(rec, "in_reply_to") !=
			    JV_KIND_NULL) ||
			    (p == 7 && kind_of(metrics, "likes") != JV_KIND_NULL) ||
			    (p != 1 && p != 2 && kind_of(metrics, "quotes") !=
			    JV_KIND_NULL) ||
			    ((p == 1 || p == 2) && kind_of(author, "verified") ==
			    JV_KIND_NULL) ||
			    (p != 1 && p != 2 && kind_of(author, "verified") !=
			    JV_KIND_NULL))
				fail(C_NULLS, line);
			if (hasf && !is_brand) {
				jv f = get(author, "followers");

				followers[nfol++] = (int64_t)jv_number_value(f);
				jv_free(f);
			}
		}
		{
			char l2[8];

			lang = str_of(rec, "lang", l2, sizeof(l2));
			c = index_of(langs, 6, lang);
			if (lang && c < 0)
				fail(C_LANG, line);
			if (c >= 0)
				seen_lang[c] = 1;
			if (c == 5 && !strstr(text, "\xe3\x81") &&
			    !strstr(text, "\xe3\x82") &&
			    !strstr(text, "\xe3\x83") && !strstr(text, "\xe5") &&
			    !strstr(text, "\xe6") && !strstr(text, "\xe7") &&
			    !strstr(text, "\xe8") && !strstr(text, "\xe9"))
				fail(C_LANG, line);
		}
		if (strstr(text, "\xef\xbf\xbd"))	/* U+FFFD */
			fail(C_UTF8, line);
		zwj |= strstr(text, "\xe2\x80\x8d") != NULL;
		skin |= strstr(text, "\xf0\x9f\x8f\xbd") != NULL ||
		    strstr(text, "\xf0\x9f\x8f\xbf") != NULL;
		eyeroll |= strstr(text, "🙄") != NULL;
		never |= strstr(text, "never again") != NULL;
		notbad |= strstr(text, "not bad") != NULL;
		question |= strchr(text, '?') != NULL;
		{
			int upper = 0, lower = 0;

			for (i = 0; text[i]; i++) {
				upper += text[i] >= 'A' && text[i] <= 'Z';
				lower += text[i] >= 'a' && text[i] <= 'z';
			}
			caps |= upper >= 15 && lower == 0;
		}
next:
		jv_free(author);
		jv_free(metrics);
		jv_free(source);
		jv_free(rec);
	}
	for (c = 0; c < NC; c++)
		if (!ok(fails[c] == 0, "%s", check_name[c]))
			printf("#   %ld bad, the first: %s\n", fails[c],
			    first_bad[c]);
	is_int(last, END, "the newest record is at the end time");

	for (c = 0, i = 0; i < 8; i++)
		c += seen_plat[i];
	is_int(c, 8, "every platform is there");
	for (c = 0, i = 0; i < 6; i++)
		c += seen_lang[i];
	is_int(c, 6, "six languages: en es fr de pt ja");
	ok(brand_replies > BIG / 5, "many brand replies (%ld)", brand_replies);
	ok(threads > BIG / 50, "people answer each other (%d)", threads);
	ok(answered > inbound * 40 / 100 && answered < inbound * 80 / 100,
	    "response rate %.1f%% is between 40%% and 80%%",
	    100.0 * (double)answered / (double)inbound);
	qsort(delays, (size_t)ndel, sizeof(delays[0]), cmp_i64);
	ok(ndel > 0 && delays[ndel / 2] > 3600 && delays[ndel / 2] < 4 * 3600,
	    "median first response %.1f h is between 1 and 4 hours",
	    ndel ? (double)delays[ndel / 2] / 3600 : 0.0);
	ok(ndel > 0 && delays[ndel / 20] < 30 * 60,
	    "some answers within minutes (5th percentile %.0f min)",
	    ndel ? (double)delays[ndel / 20] / 60 : 0.0);
	ok(ndel > 0 && delays[ndel - 1] > 2 * 86400,
	    "and a long tail (longest %.1f days)",
	    ndel ? (double)delays[ndel - 1] / 86400 : 0.0);
	qsort(followers, (size_t)nfol, sizeof(followers[0]), cmp_i64);
	ok(nfol > 0 && followers[nfol / 2] < 1000 &&
	    followers[nfol - 1] > 50000,
	    "followers heavy-tailed: median %lld, max %lld",
	    nfol ? (long long)followers[nfol / 2] : 0LL,
	    nfol ? (long long)followers[nfol - 1] : 0LL);
	ok(spam > BIG / 100, "spam is there (%ld)", spam);
	is_int(spam_answered, 0, "spam is never answered");
	{
		/* spam campaigns repeat themselves word for word */
		top_spam = 0;
		for (line = all.data; line < all.data + all.len;
		    line += strlen(line) + 1) {
			const char *q = strstr(line, "AIRDROP is LIVE");

			top_spam += q != NULL;
		}
		ok(top_spam >= 10, "the same spam text %ld times", top_spam);
	}
	ok(zwj, "emoji with zero-width joiners");
	ok(skin, "emoji with skin tones");
	ok(eyeroll, "sarcasm's eye roll");
	ok(caps, "ALL CAPS anger");
	ok(never && notbad, "negation: never again, not bad");
	ok(question, "questions");
	for (i = 0; i < TABLE; i++) {
		free(table[i].id);
		free(table[i].thread);
	}
	free(table);
	cm_buf_free(&all);
}

static void test_brand(void)
{
	struct cm_buf b = CM_BUF_INIT;

	is_int(run(4, 3000, END, "globex", &b), 3000, "brand globex");
	ok(strstr(b.data, "\"handle\":\"globex\"") != NULL &&
	    strstr(b.data, "\"handle\":\"acme\"") == NULL,
	    "the brand's records have its handle");
	ok(strstr(b.data, "\"account\":\"globex-masto\"") != NULL,
	    "accounts are named after the brand");
	ok(strstr(b.data, "Globex ") != NULL && strstr(b.data, "Acme") == NULL,
	    "products are named after the brand");
	cm_buf_free(&b);
}

/* One million records, timed; not under the sanitizers, where it is
 * slow and says nothing new. */
static void test_speed(void)
{
	struct cm_demo_opts o = { 0 };
	struct cm_buf b = CM_BUF_INIT;
	struct cm_demo *d;
	struct timespec t0, t1;
	uint64_t bytes = 0, n = 0;
	int r;

	if (getenv("CM_SANITIZED")) {
		printf("# 1000000 records: not timed under sanitizers\n");
		return;
	}
	o.seed = 1;
	o.count = 1000000;
	o.end = END;
	o.fetched_at = END;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	d = cm_demo_new(&o);
	while ((r = cm_demo_next(d, &b)) == 1) {
		bytes += b.len + 1;
		n++;
		cm_buf_reset(&b);
	}
	cm_demo_free(d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	is_int(n, 1000000, "1000000 records made");
	printf("# 1000000 records in %.2f s, %.0f bytes each\n",
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) / 1e9, (double)bytes / 1e6);
	cm_buf_free(&b);
}

int main(void)
{
	test_determinism();
	test_small();
	test_brand();
	test_records();
	test_speed();
	return tap_done();
}
