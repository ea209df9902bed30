/* draft.c - what a platform takes as a reply: length limits, the leading
 * mention, and the idempotency key of a reply */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "draft.h"
#include "core/platform.h"
#include "core/text.h"
#include "core/utf8.h"

#define MASTODON_DEFAULT 500	/* max_characters of a stock instance */
#define MASTODON_URL 23		/* what Mastodon counts for any link */
#define BLUESKY_GRAPHEMES 300	/* app.bsky.feed.post's maxGraphemes */
#define BLUESKY_BYTES 3000	/* and its maxLength */
#define OTHER_LIMIT 10000	/* a platform cm does not know */

/* Whether s[0..n) is valid UTF-8; else the first bad byte's offset in
 * *bad. */
static int utf8_ok(const char *s, size_t n, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = cm_utf8_valid_prefix(p + i, n - i)) == 0) {
			*bad = i;
			return 0;
		}
		i += k;
	}
	return 1;
}

/* The code point at s[i] of valid UTF-8; *k its length. */
static uint32_t cp_at(const char *s, size_t n, size_t i, size_t *k)
{
	const unsigned char *p = (const unsigned char *)s + i;

	if (*p < 0x80) {
		*k = 1;
		return *p;
	}
	*k = cm_utf8_valid_prefix(p, n - i);
	return cm_utf8_decode(p, *k);
}

static size_t code_points(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/*
 * The grapheme clusters of the valid UTF-8 s[0..n), as ICU's character
 * break iterator finds them (Unicode's extended grapheme clusters, UAX
 * #29: an emoji ZWJ sequence, a flag or a letter with its combining marks
 * is one), or (size_t)-1 when ICU fails.
 */
static size_t graphemes(const char *s, size_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	UBreakIterator *bi = NULL;
	UText *ut;
	size_t count = 0;

	if (n == 0)
		return 0;
	ut = utext_openUTF8(NULL, s, (int64_t)n, &st);
	if (U_SUCCESS(st))
		bi = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(bi, ut, &st);
	if (U_SUCCESS(st)) {
		(void)ubrk_first(bi);
		while (ubrk_next(bi) != UBRK_DONE)
			count++;
	} else {
		count = (size_t)-1;
	}
	if (bi)
		ubrk_close(bi);
	utext_close(ut);
	return count;
}

/*
 * Mastodon's count (its StatusLengthValidator): the grapheme clusters of
 * the text with every link as 23 characters and every mention as its
 * user name only ("@jane@example.social" as "@jane"), links and mentions
 * found by the rules of cm-record(5), which Mastodon's are close to.
 */
static size_t mastodon_length(const char *s, size_t n)
{
	struct cm_buf b = CM_BUF_INIT;
	struct cm_text_token t;
	size_t pos = 0, last = 0, count, user;
	const char *at;
	int bad = 0;

	while (cm_text_next(s, n, &pos, &t)) {
		if (t.kind == CM_TEXT_LINK) {
			bad |= cm_buf_add(&b, s + last, t.off - last) < 0 ||
			    cm_buf_printf(&b, "%.*s", MASTODON_URL,
			    "xxxxxxxxxxxxxxxxxxxxxxx") < 0;
		} else if (t.kind == CM_TEXT_MENTION && s[t.off] == '@') {
			at = memchr(s + t.voff, '@', t.vlen);
			user = at ? (size_t)(at - (s + t.voff)) : t.vlen;
			bad |= cm_buf_add(&b, s + last, t.off - last) < 0 ||
			    cm_buf_addc(&b, '@') < 0 ||
			    cm_buf_add(&b, s + t.voff, user) < 0;
		} else {
			continue;
		}
		last = t.off + t.len;
	}
	bad |= cm_buf_add(&b, s + last, n - last) < 0;
	count = bad ? (size_t)-1 : graphemes(b.data, b.len);
	cm_buf_free(&b);
	return count;
}

size_t cm_draft_length(const char *platform, const char *text, size_t len)
{
	size_t bad;

	if (!utf8_ok(text, len, &bad))
		return (size_t)-1;
	if (platform && strcmp(platform, "mastodon") == 0)
		return mastodon_length(text, len);
	if (platform && strcmp(platform, "bluesky") == 0)
		return graphemes(text, len);
	return code_points(text, len);
}

/* The length of valid text[0..n) without its trailing white space. */
static size_t trimmed(const char *s, size_t n)
{
	size_t i = 0, k, end = 0;

	while (i < n) {
		if (!u_isUWhiteSpace((UChar32)cp_at(s, n, i, &k)))
			end = i + k;
		i += k;
	}
	return end;
}

/* Whether text already mentions acct (any case), as "@ACCT". */
static int mentions(const char *s, size_t n, const char *acct, size_t alen)
{
	struct cm_text_token t;
	size_t pos = 0;

	while (cm_text_next(s, n, &pos, &t))
		if (t.kind == CM_TEXT_MENTION && s[t.off] == '@' &&
		    t.vlen == alen && strncasecmp(s + t.voff, acct, alen) == 0)
			return 1;
	return 0;
}

/*
 * On Mastodon, "@ACCT " in front of the text unless it mentions the
 * author already.  A handle that is no mention by the rules of
 * cm-record(5) gets none (it would notify nobody).  Returns 0, 1 when it
 * does not fit the buffer (the reason in *why), -1 on ENOMEM.
 */
static int add_mention(const char *author, struct cm_buf *text,
    struct cm_buf *why)
{
	struct cm_text_token t;
	char probe[256];
	size_t alen;

	if (author == NULL)
		return 0;
	while (*author == '@')
		author++;
	alen = strlen(author);
	if (alen == 0 || alen + 2 > sizeof(probe) ||
	    mentions(text->data, text->len, author, alen))
		return 0;
	probe[0] = '@';
	memcpy(probe + 1, author, alen);
	if (!cm_text_token_at(probe, alen + 1, 0, &t) ||
	    t.kind != CM_TEXT_MENTION || t.len != alen + 1)
		return 0;
	if (cm_buf_reserve(text, alen + 2) < 0) {
		if (errno != EMSGSIZE)
			return -1;
		(void)cm_buf_printf(why, "no room for the mention of @%s",
		    author);
		return 1;
	}
	memmove(text->data + alen + 2, text->data, text->len + 1);
	text->data[0] = '@';
	memcpy(text->data + 1, author, alen);
	text->data[alen + 1] = ' ';
	text->len += alen + 2;
	return 0;
}

static int over(struct cm_buf *why, size_t n, const char *unit,
    const char *title, size_t limit)
{
	if (title)
		(void)cm_buf_printf(why, "%zu %s, over %s's %zu", n, unit,
		    title, limit);
	else
		(void)cm_buf_printf(why, "%zu %s, over the limit of %zu", n,
		    unit, limit);
	return 1;
}

int cm_draft_fit(const struct cm_draft_target *t, struct cm_buf *text,
    struct cm_buf *why)
{
	const char *platform = t->platform ? t->platform : "";
	const struct cm_platform *pf;
	size_t n, i, k, bad, len, limit;
	uint32_t cp;
	int r;

	cm_buf_reset(why);
	if (text->data == NULL && cm_buf_add(text, "", 0) < 0)
		return -1;
	if (!utf8_ok(text->data, text->len, &bad)) {
		(void)cm_buf_printf(why, "invalid UTF-8 at byte %zu", bad);
		return 1;
	}
	n = text->len = trimmed(text->data, text->len);
	text->data[n] = '\0';
	for (i = 0; i < n; i += k) {
		cp = cp_at(text->data, n, i, &k);
		if ((cp < 0x20 && cp != '\n' && cp != '\t') ||
		    (cp >= 0x7f && cp < 0xa0)) {
			(void)cm_buf_printf(why, "a control character (U+%04X) "
			    "at byte %zu", (unsigned)cp, i);
			return 1;
		}
	}
	if (n == 0) {
		(void)cm_buf_adds(why, "the text is empty");
		return 1;
	}
	if (strcmp(platform, "mastodon") == 0) {
		if ((r = add_mention(t->author, text, why)) != 0)
			return r;
		limit = t->max_chars ? t->max_chars : MASTODON_DEFAULT;
		if ((len = mastodon_length(text->data, text->len)) ==
		    (size_t)-1)
			return -1;
		return len > limit ? over(why, len, "characters", "Mastodon",
		    limit) : 0;
	}
	if (strcmp(platform, "bluesky") == 0) {
		if ((len = graphemes(text->data, n)) == (size_t)-1)
			return -1;
		if (len > BLUESKY_GRAPHEMES)
			return over(why, len, "characters", "Bluesky",
			    BLUESKY_GRAPHEMES);
		return n > BLUESKY_BYTES ? over(why, n, "bytes", "Bluesky",
		    BLUESKY_BYTES) : 0;
	}
	len = code_points(text->data, n);
	if ((pf = cm_platform_find(platform, strlen(platform))) == NULL)
		return len > OTHER_LIMIT ? over(why, len, "characters", NULL,
		    OTHER_LIMIT) : 0;
	if (pf->reply_max == 0) {
		(void)cm_buf_printf(why, "%s takes no replies", pf->title);
		return 1;
	}
	return len > pf->reply_max ? over(why, len, "characters", pf->title,
	    pf->reply_max) : 0;
}

/* ---- the key: SHA-256 (FIPS 180-4), its first 128 bits ---- */

struct sha256 {
	uint32_t h[8];
	unsigned char block[64];
	size_t fill;
	uint64_t bytes;
};

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, d, e, f, g, h, cc, t1, t2;
	int i;

	/* Big-endian words by bytes: the same on every host. */
	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^
		    (w[i - 15] >> 3)) + w[i - 7] + (ror(w[i - 2], 17) ^
		    ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	e = c->h[4];
	f = c->h[5];
	g = c->h[6];
	h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

static void sha_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
		0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->fill = 0;
	c->bytes = 0;
}

static void sha_add(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t k;

	c->bytes += n;
	while (n > 0) {
		k = 64 - c->fill < n ? 64 - c->fill : n;
		memcpy(c->block + c->fill, p, k);
		c->fill += k;
		p += k;
		n -= k;
		if (c->fill == 64) {
			sha_block(c, c->block);
			c->fill = 0;
		}
	}
}

static void sha_end(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->bytes * 8;
	unsigned char len[8];
	int i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_add(c, "\x80", 1);
	while (c->fill != 56)
		sha_add(c, "", 1);
	sha_add(c, len, 8);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

/*
 * SHA-256 rather than a fast hash: the text holds what the public wrote
 * (a display name), and a key another reply could be made to share would
 * let that one pass for sent.  NUL bytes separate the parts, which
 * cannot hold one.
 */
void cm_draft_key(const char *account, const char *target, const char *text,
    char out[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char sum[32];
	struct sha256 c;
	int i;

	sha_init(&c);
	sha_add(&c, account ? account : "", account ? strlen(account) : 0);
	sha_add(&c, "", 1);
	sha_add(&c, target ? target : "", target ? strlen(target) : 0);
	sha_add(&c, "", 1);
	sha_add(&c, text ? text : "", text ? strlen(text) : 0);
	sha_end(&c, sum);
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[sum[i] >> 4];
		out[2 * i + 1] = hex[sum[i] & 15];
	}
	out[32] = '\0';
}
