/* report_top.c - counters, Space-Saving top lists, followers top-K and
 * the term splitter of cm-report */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_state.h"
#include "core/text.h"
#include "core/utf8.h"

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t load_le(const unsigned char *p, size_t n)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k |= (uint64_t)p[i] << (8 * i);
	return k;
}

static uint64_t fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* MurmurHash3-like over little-endian words: the same on every host. */
uint64_t cm_report_hash(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)n * 0xff51afd7ed558ccdULL);
	uint64_t k;

	while (n >= 8) {
		k = load_le(p, 8) * 0x87c37b91114253d5ULL;
		h ^= rotl(k, 31) * 0x4cf5ad432745937fULL;
		h = rotl(h, 27) * 5 + 0x52dce729;
		p += 8;
		n -= 8;
	}
	if (n) {
		k = load_le(p, n) * 0x87c37b91114253d5ULL;
		h ^= rotl(k, 31) * 0x4cf5ad432745937fULL;
	}
	return fmix(h);
}

/* ---- string counters ---- */

struct rc_entry {
	uint32_t hash, koff, klen, heap;
	int64_t count, aux, err;
};

struct cm_rcount {
	size_t cap;
	struct rc_entry *e;
	size_t n, alloc;
	uint32_t *idx;		/* entry index + 1; 0: empty */
	size_t nidx;		/* power of two */
	char *arena;
	size_t alen, aalloc, garbage;
	uint32_t *heap;		/* min-heap of entries, once full */
	int exact;
};

struct cm_rcount *cm_rcount_new(size_t cap)
{
	struct cm_rcount *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->cap = cap ? cap : 1;
	c->exact = 1;
	return c;
}

void cm_rcount_free(struct cm_rcount *c)
{
	if (c == NULL)
		return;
	free(c->e);
	free(c->idx);
	free(c->arena);
	free(c->heap);
	free(c);
}

size_t cm_rcount_len(const struct cm_rcount *c)
{
	return c->n;
}

int cm_rcount_exact(const struct cm_rcount *c)
{
	return c->exact;
}

void cm_rcount_set_inexact(struct cm_rcount *c)
{
	c->exact = 0;
}

size_t cm_rcount_cap(const struct cm_rcount *c)
{
	return c->cap;
}

static const char *key_of(const struct cm_rcount *c, const struct rc_entry *e)
{
	return c->arena + e->koff;
}

/* Slot of key in idx, or of the empty slot where it would go. */
static size_t rc_slot(const struct cm_rcount *c, const char *key, size_t len,
    uint32_t h)
{
	size_t mask = c->nidx - 1, i = h & mask;
	const struct rc_entry *e;

	while (c->idx[i]) {
		e = &c->e[c->idx[i] - 1];
		if (e->hash == h && e->klen == len &&
		    memcmp(key_of(c, e), key, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static int rc_grow_idx(struct cm_rcount *c)
{
	size_t n = c->nidx ? c->nidx * 2 : 16, i, j, mask = n - 1;
	uint32_t *idx;

	if ((idx = calloc(n, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < c->n; i++) {
		for (j = c->e[i].hash & mask; idx[j]; j = (j + 1) & mask)
			;
		idx[j] = (uint32_t)(i + 1);
	}
	free(c->idx);
	c->idx = idx;
	c->nidx = n;
	return 0;
}

/* Removes slot i by shifting later entries of its run back (linear
 * probing without tombstones). */
static void rc_unslot(struct cm_rcount *c, size_t i)
{
	size_t mask = c->nidx - 1, j = i, home;

	for (;;) {
		c->idx[i] = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (c->idx[j] == 0)
				return;
			home = c->e[c->idx[j] - 1].hash & mask;
			/* move j to i unless its home lies in (i, j] */
			if (i <= j ? (i < home && home <= j) :
			    (i < home || home <= j))
				continue;
			break;
		}
		c->idx[i] = c->idx[j];
		i = j;
	}
}

static int rc_store_key(struct cm_rcount *c, const char *key, size_t len,
    uint32_t *off)
{
	size_t need = c->alen + len + 1, n;
	char *a;

	if (len > UINT32_MAX / 2 || need > UINT32_MAX) {
		errno = ENOMEM;
		return -1;
	}
	if (need > c->aalloc) {
		n = c->aalloc ? c->aalloc : 1024;
		while (n < need)
			n *= 2;
		if ((a = realloc(c->arena, n)) == NULL)
			return -1;
		c->arena = a;
		c->aalloc = n;
	}
	memcpy(c->arena + c->alen, key, len);
	c->arena[c->alen + len] = '\0';
	*off = (uint32_t)c->alen;
	c->alen = need;
	return 0;
}

/* Drops the keys of evicted entries from the arena. */
static int rc_compact(struct cm_rcount *c)
{
	char *a;
	size_t i, len = 0;

	if ((a = malloc(c->alen - c->garbage + 1)) == NULL)
		return -1;
	for (i = 0; i < c->n; i++) {
		memcpy(a + len, c->arena + c->e[i].koff, c->e[i].klen + 1);
		c->e[i].koff = (uint32_t)len;
		len += c->e[i].klen + 1;
	}
	free(c->arena);
	c->arena = a;
	c->alen = c->aalloc = len;
	c->garbage = 0;
	return 0;
}

/* Heap order: smaller count first; on ties the key sorting last first,
 * so the key evicted is the one a report would list last. */
static int rc_less(const struct cm_rcount *c, uint32_t a, uint32_t b)
{
	const struct rc_entry *x = &c->e[a], *y = &c->e[b];
	size_t n;
	int d;

	if (x->count != y->count)
		return x->count < y->count;
	n = x->klen < y->klen ? x->klen : y->klen;
	d = memcmp(key_of(c, x), key_of(c, y), n);
	if (d == 0)
		d = (x->klen > y->klen) - (x->klen < y->klen);
	return d > 0;
}

static void rc_swap(struct cm_rcount *c, size_t i, size_t j)
{
	uint32_t t = c->heap[i];

	c->heap[i] = c->heap[j];
	c->heap[j] = t;
	c->e[c->heap[i]].heap = (uint32_t)i;
	c->e[c->heap[j]].heap = (uint32_t)j;
}

static void rc_sift_down(struct cm_rcount *c, size_t i)
{
	size_t l, m;

	for (;;) {
		l = 2 * i + 1;
		if (l >= c->n)
			return;
		m = l;
		if (l + 1 < c->n && rc_less(c, c->heap[l + 1], c->heap[l]))
			m = l + 1;
		if (!rc_less(c, c->heap[m], c->heap[i]))
			return;
		rc_swap(c, i, m);
		i = m;
	}
}

static int rc_heapify(struct cm_rcount *c)
{
	size_t i;

	if ((c->heap = malloc(c->n * sizeof(*c->heap))) == NULL)
		return -1;
	for (i = 0; i < c->n; i++) {
		c->heap[i] = (uint32_t)i;
		c->e[i].heap = (uint32_t)i;
	}
	for (i = c->n / 2; i-- > 0;)
		rc_sift_down(c, i);
	return 0;
}

int cm_rcount_has(const struct cm_rcount *c, const char *key, size_t len)
{
	return c->nidx && c->idx[rc_slot(c, key, len,
	    (uint32_t)cm_report_hash(key, len))] != 0;
}

int cm_rcount_add(struct cm_rcount *c, const char *key, size_t len,
    int64_t count, int64_t aux, int64_t err)
{
	uint32_t h = (uint32_t)cm_report_hash(key, len), off;
	struct rc_entry *e;
	size_t i;

	if (c->nidx && c->idx[i = rc_slot(c, key, len, h)]) {
		e = &c->e[c->idx[i] - 1];
		cm_rinc(&e->count, count);
		cm_rinc(&e->aux, aux);
		cm_rinc(&e->err, err);
		if (c->heap)
			rc_sift_down(c, e->heap);
		return 0;
	}
	if (c->n < c->cap) {
		if ((c->n + 1) * 2 > c->nidx && rc_grow_idx(c) < 0)
			return -1;
		if (c->n == c->alloc) {
			size_t na = c->alloc ? c->alloc * 2 : 16;
			struct rc_entry *ne;

			if (na > c->cap)
				na = c->cap;
			if ((ne = realloc(c->e, na * sizeof(*ne))) == NULL)
				return -1;
			c->e = ne;
			c->alloc = na;
		}
		if (rc_store_key(c, key, len, &off) < 0)
			return -1;
		e = &c->e[c->n];
		e->hash = h;
		e->koff = off;
		e->klen = (uint32_t)len;
		e->heap = 0;
		e->count = e->aux = e->err = 0;
		cm_rinc(&e->count, count);
		cm_rinc(&e->aux, aux);
		cm_rinc(&e->err, err);
		c->idx[rc_slot(c, key, len, h)] = (uint32_t)(++c->n);
		return 0;
	}
	/* Full: Space-Saving replaces the smallest. */
	if (c->heap == NULL && rc_heapify(c) < 0)
		return -1;
	if (rc_store_key(c, key, len, &off) < 0)
		return -1;
	c->exact = 0;
	e = &c->e[c->heap[0]];
	rc_unslot(c, rc_slot(c, key_of(c, e), e->klen, e->hash));
	c->garbage += e->klen + 1;
	e->err = e->count;
	cm_rinc(&e->err, err);
	cm_rinc(&e->count, count);
	e->aux = 0;
	cm_rinc(&e->aux, aux);
	e->hash = h;
	e->koff = off;
	e->klen = (uint32_t)len;
	c->idx[rc_slot(c, key, len, h)] = c->heap[0] + 1;
	rc_sift_down(c, 0);
	if (c->garbage > 65536 && c->garbage > c->alen / 2)
		(void)rc_compact(c);	/* on ENOMEM keep the garbage */
	return 0;
}

static int item_cmp(const void *pa, const void *pb, void *arg)
{
	const struct cm_rcount_item *a = pa, *b = pb;
	int by_aux = *(const int *)arg;
	int64_t x = by_aux ? a->aux : a->count, y = by_aux ? b->aux : b->count;
	size_t n;
	int d;

	(void)arg;
	if (x != y)
		return x > y ? -1 : 1;
	n = a->len < b->len ? a->len : b->len;
	if ((d = memcmp(a->key, b->key, n)) != 0)
		return d;
	return (a->len > b->len) - (a->len < b->len);
}

size_t cm_rcount_sorted(const struct cm_rcount *c, int by_aux,
    struct cm_rcount_item **out)
{
	struct cm_rcount_item *v;
	size_t i;

	if ((v = malloc((c->n ? c->n : 1) * sizeof(*v))) == NULL)
		return (size_t)-1;
	for (i = 0; i < c->n; i++) {
		v[i].key = key_of(c, &c->e[i]);
		v[i].len = c->e[i].klen;
		v[i].count = c->e[i].count;
		v[i].aux = c->e[i].aux;
		v[i].err = c->e[i].err;
	}
	qsort_r(v, c->n, sizeof(*v), item_cmp, &by_aux);
	*out = v;
	return c->n;
}

/* ---- followers top-K ---- */

/* 1 when (v, key) ranks before entry i of f. */
static int rf_before(const struct cm_rfollow *f, int64_t v, const char *key,
    size_t len, size_t i)
{
	size_t n;
	int d;

	if (v != f->e[i].v)
		return v > f->e[i].v;
	n = len < f->e[i].len ? len : f->e[i].len;
	d = memcmp(key, f->e[i].key, n);
	if (d == 0)
		d = (len > f->e[i].len) - (len < f->e[i].len);
	return d < 0;
}

static void rf_find_min(struct cm_rfollow *f)
{
	size_t i;

	f->min = 0;
	for (i = 1; i < f->n; i++)
		if (!rf_before(f, f->e[i].v, f->e[i].key, f->e[i].len, f->min))
			f->min = i;
}

int cm_rfollow_add(struct cm_rfollow *f, const char *key, size_t len,
    int64_t v)
{
	size_t i;
	char *k;

	if (f->n == CM_RFOLLOW_K && !rf_before(f, v, key, len, f->min))
		return 0;
	for (i = 0; i < f->n; i++) {
		if (f->e[i].len == len && memcmp(f->e[i].key, key, len) == 0) {
			if (v > f->e[i].v) {
				f->e[i].v = v;
				if (f->n == CM_RFOLLOW_K && i == f->min)
					rf_find_min(f);
			}
			return 0;
		}
	}
	if ((k = malloc(len + 1)) == NULL)
		return -1;
	memcpy(k, key, len);
	k[len] = '\0';
	if (f->n < CM_RFOLLOW_K) {
		i = f->n++;
	} else {
		i = f->min;
		free(f->e[i].key);
	}
	f->e[i].key = k;
	f->e[i].len = len;
	f->e[i].v = v;
	if (f->n == CM_RFOLLOW_K)
		rf_find_min(f);
	return 0;
}

void cm_rfollow_free(struct cm_rfollow *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->e[i].key);
	f->n = 0;
}

static int rf_cmp(const void *pa, const void *pb, void *arg)
{
	const struct cm_rfollow *f = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	if (a == b)
		return 0;
	return rf_before(f, f->e[a].v, f->e[a].key, f->e[a].len, b) ? -1 : 1;
}

void cm_rfollow_sorted(const struct cm_rfollow *f, size_t idx[CM_RFOLLOW_K])
{
	size_t i;

	for (i = 0; i < f->n; i++)
		idx[i] = i;
	qsort_r(idx, f->n, sizeof(*idx), rf_cmp, (void *)f);
}

/* ---- terms ---- */

/* Lowercase, apostrophes as '\''; at most STOP_SLOTS / 2 of them. */
static const char *const stop_words[] = {
	"about", "after", "again", "all", "also", "and", "any", "are",
	"auf", "aus", "avec", "because", "been", "bei", "bin", "but", "can", "con", "could",
	"dans", "das", "dass", "del", "dem", "den", "der", "des", "det",
	"did", "die", "dir", "does", "don't", "dont", "een", "ein", "eine",
	"einen", "ela", "ele", "els", "est", "este", "esta", "est\xc3\xa1",
	"for", "from", "get", "got", "had", "has", "hat", "have", "her",
	"het", "hier", "him", "his", "how", "into", "more", "much", "only", "over", "should", "such", "i'm", "ich", "ihr", "isn't",
	"ist", "it's", "its", "just", "las", "les", "los", "mais", "mas",
	"mein", "meine", "mich", "mir", "mit", "más", "nach", "nicht",
	"noch", "non", "not", "now", "nous", "o\xc3\xb9", "oder", "off",
	"one", "our", "out", "par", "para", "pas", "per", "por", "pour",
	"que", "qui", "s\xc3\xa9", "she", "sich", "sie", "sind", "some",
	"son", "sont", "sur", "than", "that", "that's", "the", "their",
	"them", "then", "there", "these", "they", "this", "those", "too",
	"una", "und", "une", "uno", "van", "very", "vous", "was", "wat",
	"way", "we're", "were", "what", "when", "where", "which", "who",
	"why", "wie", "will", "wir", "with", "would", "you", "you're",
	"your", "zum", "zur", "\xc3\xa9s", "\xc3\xa9t\xc3\xa9",
};

/* The stop words in a small open-addressing set, built at first use. */
#define STOP_SLOTS 512
static const char *stop_set[STOP_SLOTS];
static size_t stop_maxlen;

static size_t stop_hash(const char *w, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*w++) * 16777619u;
	return h & (STOP_SLOTS - 1);
}

static int is_stop(const char *w, size_t n)
{
	size_t i, k;

	if (stop_maxlen == 0) {
		for (k = 0; k < sizeof(stop_words) / sizeof(stop_words[0]); k++) {
			size_t len = strlen(stop_words[k]);

			for (i = stop_hash(stop_words[k], len); stop_set[i];
			    i = (i + 1) & (STOP_SLOTS - 1))
				;
			stop_set[i] = stop_words[k];
			if (len > stop_maxlen)
				stop_maxlen = len;
		}
	}
	if (n > stop_maxlen)
		return 0;
	for (i = stop_hash(w, n); stop_set[i]; i = (i + 1) & (STOP_SLOTS - 1))
		if (strncmp(stop_set[i], w, n) == 0 && stop_set[i][n] == '\0')
			return 1;
	return 0;
}

/* The lowercase of a letter, or 0 when cp is not a letter or digit. */
static uint32_t word_char(uint32_t cp)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return cp + 32;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			return cp;
		return 0;
	}
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp >= 0xdf && cp <= 0x24f && cp != 0xf7)
		return cp;
	if (cp >= 0x391 && cp <= 0x3a9)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	if ((cp >= 0x370 && cp <= 0x3ff) || (cp >= 0x430 && cp <= 0x52f) ||
	    (cp >= 0x590 && cp <= 0x6ff) || (cp >= 0x900 && cp <= 0x97f) ||
	    (cp >= 0xe00 && cp <= 0xe7f) || (cp >= 0x3040 && cp <= 0x30ff) ||
	    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af))
		return cp;
	return 0;
}

/* The code point at s[*i] (advancing *i); U+FFFD for a bad byte. */
static uint32_t next_cp(const char *s, size_t n, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t k;

	if (*p < 0x80) {
		(*i)++;
		return *p;
	}
	if ((k = cm_utf8_valid_prefix(p, n - *i)) == 0) {
		(*i)++;
		return 0xfffd;
	}
	*i += k;
	return cm_utf8_decode(p, k);
}

/* The link, mention or hashtag (cm-record(5)) at s[i], if any: no
 * terms.  Only a link starts inside a word ("xhttps://"). */
static int token_len(const char *s, size_t n, size_t i)
{
	struct cm_text_token t;

	return cm_text_token_at(s, n, i, &t) ? (int)t.len : 0;
}

/* Called at every character: the test of its first byte inline. */
#define token_at(s, n, i) (((s)[i] == 'h' || (s)[i] == 'H' || \
	(s)[i] == '@' || (s)[i] == '#' || (s)[i] == 'u' || (s)[i] == '/') ? \
	token_len(s, n, i) : 0)

int cm_rterms_next(const char *s, size_t n, size_t *pos, struct cm_buf *out)
{
	size_t i = *pos, j, digits;
	uint32_t cp, lc;
	unsigned char enc[4];
	int skip;

	while (i < n) {
		if ((skip = token_at(s, n, i)) > 0) {
			i += (size_t)skip;
			continue;
		}
		j = i;
		cp = next_cp(s, n, &j);
		if ((lc = word_char(cp)) == 0) {
			i = j;
			continue;
		}
		/* a word: collect it */
		cm_buf_reset(out);
		digits = 0;
		for (;;) {
			if (lc < 0x80) {
				if (cm_buf_addc(out, (char)lc) < 0)
					return 0;
			} else if (cm_buf_add(out, enc, cm_utf8_encode(lc, enc))
			    < 0) {
				return 0;
			}
			digits += lc >= '0' && lc <= '9';
			i = j;
			if (i >= n || token_at(s, n, i))
				break;
			cp = next_cp(s, n, &j);
			if (cp == '\'' || cp == 0x2019) {
				/* an apostrophe inside a word: don't, it's */
				size_t k = j;
				uint32_t c2 = k < n && !token_at(s, n, k) ?
				    next_cp(s, n, &k) : 0;

				if (word_char(c2) == 0)
					break;
				if (cm_buf_addc(out, '\'') < 0)
					return 0;
				cp = c2;
				j = k;
			}
			if ((lc = word_char(cp)) == 0)
				break;
		}
		if (out->len >= 2 && memcmp(out->data + out->len - 2, "'s", 2)
		    == 0) {
			out->len -= 2;
			out->data[out->len] = '\0';
		}
		if (out->len < 3 || out->len > 64 || digits == out->len ||
		    is_stop(out->data, out->len))
			continue;
		*pos = i;
		return 1;
	}
	*pos = n;
	return 0;
}
