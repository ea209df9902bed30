/* draft.c - what a platform takes as a reply: length limits, the leading
 * mention, and the idempotency key of a reply */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

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
		(void)cm_buf_printf(why, "no reply can be posted on %s", pf->title);
		return 1;
	}
	return len > pf->reply_max ? over(why, len, "characters", pf->title,
	    pf->reply_max) : 0;
}

/* ---- the key: SHA-256 (OpenSSL's libcrypto), its first 128 bits ---- */

/*
 * SHA-256 rather than a fast hash: the text holds what the public wrote
 * (a display name), and a key another reply could be made to share would
 * let that one pass for sent.  NUL bytes separate the parts, which
 * cannot hold one.
 */
int cm_draft_key(const char *account, const char *target, const char *text,
    char out[33])
{
	static const char hex[] = "0123456789abcdef";
	const char *part[3] = { account, target, text };
	unsigned char sum[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *c;
	int i, ok;

	if ((c = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	for (i = 0; i < 3 && ok; i++)
		ok = (i == 0 || EVP_DigestUpdate(c, "", 1)) &&
		    EVP_DigestUpdate(c, part[i] ? part[i] : "", part[i] ?
		    strlen(part[i]) : 0);
	ok = ok && EVP_DigestFinal_ex(c, sum, &n) && n >= 16;
	EVP_MD_CTX_free(c);
	if (!ok)
		return -1;
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[sum[i] >> 4];
		out[2 * i + 1] = hex[sum[i] & 15];
	}
	out[32] = '\0';
	return 0;
}
