/* report_top - tests for cm-report's building blocks: the id hash, the
 * counters and their Space-Saving mode, the followers top list, the term
 * splitter and the id tables */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_state.h"
#include "tap.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_hash(void)
{
	/* Partial states carry id hashes: the function must never change. */
	ok(cm_report_hash("mastodon:1", 10) == 0xf1cc517acc515e5bULL,
	    "hash of mastodon:1 is stable");
	ok(cm_report_hash("", 0) == 0x9ca066f1a4ab2eeaULL, "hash of nothing");
	ok(cm_report_hash("bluesky:at://did:plc:abc/app.bsky.feed.post/3k",
	    46) == 0x030f019c7873859dULL, "hash of a long id");
	ok(cm_report_hash("mastodon:2", 10) != cm_report_hash("mastodon:1", 10),
	    "different ids, different hashes");
}

static void test_exact(void)
{
	struct cm_rcount *c = cm_rcount_new(100);
	struct cm_rcount_item *it;
	size_t n;

	cm_rcount_add(c, "b", 1, 1, 5, 0);
	cm_rcount_add(c, "a", 1, 1, 1, 0);
	cm_rcount_add(c, "c", 1, 2, 0, 0);
	cm_rcount_add(c, "b", 1, 1, 5, 0);
	n = cm_rcount_sorted(c, 0, &it);
	ok(n == 3 && it[0].len == 1 && it[0].key[0] == 'b' &&
	    it[0].count == 2 && it[1].key[0] == 'c' && it[2].key[0] == 'a',
	    "sorted by count, ties by key: b 2, c 2, a 1");
	ok(it[0].aux == 10, "aux sums");
	free(it);
	n = cm_rcount_sorted(c, 1, &it);
	ok(n == 3 && it[0].key[0] == 'b' && it[1].key[0] == 'a',
	    "sorted by aux");
	free(it);
	ok(cm_rcount_exact(c), "exact while under capacity");
	cm_rcount_free(c);
}

/* Space-Saving's guarantees on a skewed stream. */
static void test_space_saving(void)
{
	enum { KEYS = 5000, CAP = 50, N = 200000 };
	static int64_t truth[KEYS];
	struct cm_rcount *c = cm_rcount_new(CAP);
	struct cm_rcount_item *it;
	char key[16];
	size_t n, i, k, bad = 0, missing = 0;
	int64_t sum = 0;

	for (i = 0; i < N; i++) {
		/* roughly Zipf: small keys are frequent */
		k = (size_t)(next_rand() % KEYS);
		k = k * k / KEYS * (next_rand() % 4 ? k : 1) / KEYS;
		k %= KEYS;
		truth[k]++;
		snprintf(key, sizeof(key), "k%zu", k);
		cm_rcount_add(c, key, strlen(key), 1, 0, 0);
	}
	ok(!cm_rcount_exact(c), "past capacity the counter says inexact");
	n = cm_rcount_sorted(c, 0, &it);
	is_int(n, CAP, "it keeps capacity keys");
	for (i = 0; i < n; i++) {
		k = (size_t)strtoul(it[i].key + 1, NULL, 10);
		sum += it[i].count;
		if (!(it[i].count - it[i].err <= truth[k] &&
		    truth[k] <= it[i].count))
			bad++;
	}
	is_int(bad, 0, "every count is an upper bound within its error");
	is_int(sum, N, "the counts add up to the stream's length");
	for (k = 0; k < KEYS; k++) {
		if (truth[k] <= N / CAP)
			continue;
		snprintf(key, sizeof(key), "k%zu", k);
		for (i = 0; i < n; i++)
			if (strcmp(it[i].key, key) == 0)
				break;
		missing += i == n;
	}
	is_int(missing, 0, "every key above N/capacity is kept");
	free(it);
	cm_rcount_free(c);

	/* Many evictions of long keys: the key store is compacted. */
	c = cm_rcount_new(4);
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "key-%zu", i);
		cm_rcount_add(c, key, strlen(key), 1, 0, 0);
	}
	n = cm_rcount_sorted(c, 0, &it);
	for (i = 0, bad = 0; i < n; i++)
		bad += strncmp(it[i].key, "key-", 4) != 0 ||
		    strlen(it[i].key) != it[i].len;
	is_int(bad, 0, "keys survive compaction");
	free(it);
	cm_rcount_free(c);
}

static int cmp_follow(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	if (x[1] != y[1])
		return x[1] > y[1] ? -1 : 1;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

static void test_followers(void)
{
	enum { AUTHORS = 3000, N = 20000 };
	static int64_t best[AUTHORS][2];
	struct cm_rfollow all, a, b, m;
	size_t i, k, idx[CM_RFOLLOW_K], bad = 0;
	char key[16];
	int64_t f;

	memset(&all, 0, sizeof(all));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&m, 0, sizeof(m));
	for (k = 0; k < AUTHORS; k++) {
		best[k][0] = (int64_t)k;
		best[k][1] = -1;
	}
	for (i = 0; i < N; i++) {
		k = (size_t)(next_rand() % AUTHORS);
		f = (int64_t)(next_rand() % 100000);
		if (f > best[k][1])
			best[k][1] = f;
		/* keys sort like the numbers: fixed width */
		snprintf(key, sizeof(key), "a%06zu", k);
		cm_rfollow_add(&all, key, 7, f);
		cm_rfollow_add(i % 2 ? &a : &b, key, 7, f);
	}
	qsort(best, AUTHORS, sizeof(best[0]), cmp_follow);
	cm_rfollow_sorted(&all, idx);
	for (i = 0; i < CM_RFOLLOW_K; i++) {
		snprintf(key, sizeof(key), "a%06lld", (long long)best[i][0]);
		bad += strcmp(all.e[idx[i]].key, key) != 0 ||
		    all.e[idx[i]].v != best[i][1];
	}
	is_int(bad, 0, "one pass keeps exactly the top %d by largest value",
	    CM_RFOLLOW_K);
	for (i = 0; i < a.n; i++)
		cm_rfollow_add(&m, a.e[i].key, a.e[i].len, a.e[i].v);
	for (i = 0; i < b.n; i++)
		cm_rfollow_add(&m, b.e[i].key, b.e[i].len, b.e[i].v);
	cm_rfollow_sorted(&m, idx);
	for (i = 0, bad = 0; i < CM_RFOLLOW_K; i++) {
		snprintf(key, sizeof(key), "a%06lld", (long long)best[i][0]);
		bad += strcmp(m.e[idx[i]].key, key) != 0 ||
		    m.e[idx[i]].v != best[i][1];
	}
	is_int(bad, 0, "merging two halves gives the same top list");
	cm_rfollow_free(&all);
	cm_rfollow_free(&a);
	cm_rfollow_free(&b);
	cm_rfollow_free(&m);
}

static void terms(const char *text, struct cm_buf *got)
{
	struct cm_buf t = CM_BUF_INIT;
	size_t pos = 0;

	cm_buf_reset(got);
	while (cm_rterms_next(text, strlen(text), &pos, &t)) {
		if (got->len)
			cm_buf_addc(got, ' ');
		cm_buf_add(got, t.data, t.len);
	}
	cm_buf_free(&t);
}

static void test_terms(void)
{
	struct cm_buf got = CM_BUF_INIT;

	terms("Router keeps dropping wifi, help? #Acme @bob", &got);
	is_str(got.data, "router keeps dropping wifi help",
	    "words lowercased; hashtags and mentions left out");
	terms("see https://acme.example/x?y=1 and HTTPS://ACME.EXAMPLE now",
	    &got);
	is_str(got.data, "see", "URLs and stop words left out");
	terms("@jane.bsky.social @jane@fosstodon.org u/acme_help /u/spez "
	    "#long_tag_name", &got);
	is_str(got.data, "", "cm-record(5)'s mentions and hashtags are left "
	    "out whole");
	terms("jane@example.com, www.acme.example, foohttps://x.example", &got);
	is_str(got.data, "jane example com www acme example foo",
	    "an address is no mention, www. no link; a link ends a word");
	terms("Acme's app, it's 2026 and v4 don\xe2\x80\x99t work", &got);
	is_str(got.data, "acme app work", "'s dropped; numbers, short words and "
	    "stop words (with a typographic apostrophe) left out");
	terms("\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92\xd0\x95\xd0\xa2 \xc3\x9c" "BER "
	    "caf\xc3\xa9 \xf0\x9f\x98\x80 stra\xc3\x9f" "e", &got);
	is_str(got.data, "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 "
	    "\xc3\xbc" "ber caf\xc3\xa9 stra\xc3\x9f" "e",
	    "Cyrillic and Latin-1 lowercased, emoji split words");
	terms("", &got);
	ok(got.len == 0, "no text, no terms");
	terms("bad \xff\xfe bytes", &got);
	is_str(got.data, "bad bytes", "invalid UTF-8 separates words");
	cm_buf_free(&got);
}

static void test_ridtab(void)
{
	enum { N = 50000 };
	static uint64_t keys[N];
	static uint32_t val[N];
	static unsigned char live[N];
	struct cm_ridtab t;
	size_t i, k, bad = 0, n = 0;
	uint32_t tm, g;

	memset(&t, 0, sizeof(t));
	t.with_groups = 1;
	for (i = 0; i < N; i++)
		keys[i] = next_rand() | 1;
	keys[7] = 0;		/* the empty marker's value works too */
	for (i = 0; i < 4 * N; i++) {
		k = (size_t)(next_rand() % N);
		if (live[k] && next_rand() % 3 == 0) {
			cm_ridtab_del(&t, keys[k]);
			live[k] = 0;
		} else if (!live[k]) {
			val[k] = (uint32_t)next_rand();
			cm_ridtab_put(&t, keys[k], val[k], (uint32_t)k);
			live[k] = 1;
		}
	}
	for (k = 0; k < N; k++) {
		int found = cm_ridtab_find(&t, keys[k], &tm, &g);

		n += live[k];
		if (found != live[k] || (found && (tm != val[k] || g != k)))
			bad++;
	}
	is_int(bad, 0, "after 200000 random puts and deletes every key is "
	    "found or not as it should be");
	is_int(t.n, n, "the count is right");
	cm_ridtab_put(&t, keys[1], 5, 9);
	cm_ridtab_put(&t, keys[1], 3, 8);
	cm_ridtab_put(&t, keys[1], 4, 7);
	ok(cm_ridtab_find(&t, keys[1], &tm, &g) && tm == 3 && g == 8,
	    "put keeps the smaller time and its group");
	cm_ridtab_free(&t);
}

int main(void)
{
	test_hash();
	test_exact();
	test_space_saving();
	test_followers();
	test_terms();
	test_ridtab();
	return tap_done();
}
