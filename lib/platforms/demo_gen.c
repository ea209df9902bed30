/* demo_gen.c - a seeded generator of realistic cm records, offline */

/*
 * Time: count records span 14 * cbrt(count / 1000) days that end at
 * opts->end (1000 records: two weeks; 2000: 18 days; 100,000: 65 days;
 * 1,000,000: 140 days; never less than a day nor more than two years).
 * The record times are count sorted uniform draws made in ascending
 * order one at a time, mapped through an hourly intensity (a daily
 * rhythm for audiences in Europe and the Americas, quieter weekends,
 * slow growth, and a few incidents: bursts of outage complaints); the
 * last record is at opts->end exactly.
 *
 * Each time slot takes the brand reply (or the customer's follow-up to
 * one) that has fallen due, if any, else a new inbound record.  So the
 * count is exact, the stream is in ascending created_at order, a reply
 * always follows what it answers, and memory is bounded by the replies
 * pending at once (PENDING_MAX; beyond that a record stays unanswered,
 * as do those whose reply would fall after opts->end).
 *
 * Everything comes from one xoshiro256** stream seeded by splitmix64
 * from opts->seed: no rand(), no clock, no locale.
 *
 * What people write (templates, slot fillers, names) is demo_text.c's;
 * this file holds the generator and the numbers of its world: platforms,
 * products, audiences, rhythm, how the brand answers.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/platform.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "demo_gen.h"
#include "demo_text.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define NPEOPLE 4096		/* a power of two: see pick_person */
#define PENDING_MAX 16384
#define RING 128		/* recent records people may reply to */
#define TEXT_MAX 1024
#define ID_MAX 200		/* record ids: RSS ones are the longest */
#define REF_ID 112		/* ids kept for threads: never RSS ones */
#define URL_MAX 320
#define HEAD_MAX 4096		/* bytes before "text", see write_record */
#define TAIL_MAX 8192		/* bytes after it, the arrays aside */

enum { P_MASTODON, P_BLUESKY, P_X, P_REDDIT, P_YOUTUBE, P_DISCORD, P_HN,
	P_RSS, NPLAT };

/*
 * What the demo alone knows of each platform.  What cm knows of it (the
 * name records carry, how a handle is mentioned) is core/platform.h's:
 * cm_demo_new looks each one up there by name.
 */
static const struct platform {
	const char *name;	/* the key into cm_platforms */
	const char *account;	/* after the brand and '-'; "" means none */
	unsigned weight;	/* share of inbound records, per mille */
	double thread;		/* chance a record answers a recent one */
	double answer;		/* how readily the brand answers here */
} plats[NPLAT] = {
	{ "mastodon", "masto", 170, .10, 1.0 },
	{ "bluesky", "bsky", 160, .10, 1.0 },
	{ "x", "x", 220, .12, 1.0 },
	{ "reddit", "", 150, .33, .8 },
	{ "youtube", "yt", 120, .15, .75 },
	{ "discord", "discord", 110, .22, .95 },
	{ "hn", "", 40, .35, .2 },
	{ "rss", "", 15, 0, 0 },
};
static const char *const lang_code[NLANG] = { "en", "es", "fr", "de", "pt",
	"ja" };
/* the people's first language, per mille */
static const unsigned lang_weight[NLANG] = { 765, 60, 50, 50, 45, 30 };

/* The brand's products. */
static const struct product {
	const char *name;	/* after the brand name */
	const char *tag;	/* after the brand name, in hashtags */
	const char *slug;	/* in URLs */
	int cat;
	unsigned weight;
} products[] = {
	{ " Cloud", "Cloud", "cloud", C_SERVICE, 18 },
	{ " app", "App", "app", C_APP, 20 },
	{ " Router", "Router", "router", C_HW, 14 },
	{ " Router X2", "RouterX2", "router-x2", C_HW, 9 },
	{ " Pay", "Pay", "pay", C_PAY, 10 },
	{ " Watch 3", "Watch3", "watch-3", C_HW, 8 },
	{ " Buds Pro", "BudsPro", "buds-pro", C_HW, 7 },
	{ " Mesh", "Mesh", "mesh", C_HW, 6 },
	{ " One", "One", "one", C_PAY, 5 },
	{ " Drive", "Drive", "drive", C_SERVICE, 3 },
};

/* Mastodon instances, by the language of their people. */
static const struct {
	const char *host;
	int lang;		/* -1: anyone */
	unsigned weight;
} instances[] = {
	{ "mastodon.social", -1, 40 },
	{ "fosstodon.org", -1, 10 },
	{ "hachyderm.io", -1, 8 },
	{ "mas.to", -1, 6 },
	{ "mstdn.social", -1, 6 },
	{ "infosec.exchange", -1, 4 },
	{ "mastodon.online", -1, 6 },
	{ "techhub.social", -1, 4 },
	{ "chaos.social", L_DE, 30 },
	{ "mastodon.green", L_DE, 10 },
	{ "piaille.fr", L_FR, 30 },
	{ "mastodon.uno", L_ES, 10 },
	{ "masto.es", L_ES, 30 },
	{ "bolha.us", L_PT, 30 },
	{ "mstdn.jp", L_JA, 40 },
};
static const char *const bsky_tlds[] = { "dev", "net", "xyz", "blog", "me",
	"io" };

/* Reddit communities; the first is the brand's own. */
static const struct {
	const char *name;
	int lang;		/* -1: any */
	int cat;		/* -1: any product */
} subs[] = {
	{ NULL, -1, -1 },
	{ "HomeNetworking", L_EN, C_HW },
	{ "techsupport", L_EN, -1 },
	{ "selfhosted", L_EN, C_SERVICE },
	{ "sysadmin", L_EN, C_SERVICE },
	{ "mildlyinfuriating", L_EN, -1 },
	{ "BuyItForLife", L_EN, C_HW },
	{ "smarthome", L_EN, C_HW },
	{ "personalfinance", L_EN, C_PAY },
	{ "androidapps", L_EN, C_APP },
	{ "spain", L_ES, -1 },
	{ "france", L_FR, -1 },
	{ "de", L_DE, -1 },
	{ "brasil", L_PT, -1 },
	{ "japanlife", L_JA, -1 },
};

/* Discord channels of the brand's server. */
static const struct {
	const char *name;
	unsigned weight;
} channels[] = {
	{ "support", 40 }, { "general", 30 }, { "feedback", 15 },
	{ "bugs", 15 },
};

/* Web sites that write about the brand, for RSS. */
static const struct {
	const char *name;
	const char *host;
	const char *section;
	int lang;
} outlets[] = {
	{ "The Gadget Ledger", "www.gadgetledger.example", "reviews", L_EN },
	{ "Router Weekly", "routerweekly.example", "news", L_EN },
	{ "Cloud Native Digest", "cloudnativedigest.example", "articles",
	    L_EN },
	{ "Homelab Notes", "homelabnotes.example", "posts", L_EN },
	{ "Numérique Hebdo", "www.numerique-hebdo.example", "actu", L_FR },
	{ "Technik Rundschau", "technik-rundschau.example", "artikel", L_DE },
	{ "Diario Tecnológico", "diariotecnologico.example", "noticias", L_ES },
	{ "Tecnoblog Exemplo", "tecnoblog-exemplo.example", "noticias", L_PT },
	{ "テックジャーナル", "techjournal-jp.example", "news", L_JA },
};

/* Hourly rhythm (UTC) of an audience in Europe and the Americas. */
static const double diurnal[24] = { .55, .45, .38, .32, .28, .30, .40, .55,
	.70, .80, .85, .90, .95, 1.0, 1.05, 1.10, 1.10, 1.05, 1.0, .95, .90,
	.85, .75, .65 };
/* by day of the week, Sunday first */
static const double weekly[7] = { .70, 1.10, 1.05, 1.0, 1.0, .95, .72 };

/* Intent mix of new inbound records, per platform, per mille. */
enum { W_PRAISE, W_COMPLAINT, W_QUESTION, W_REQUEST, W_SARCASM, W_OTHER,
	W_SPAM, NW };
static const int w_intent[NW] = { I_PRAISE, I_COMPLAINT, I_QUESTION,
	I_REQUEST, I_SARCASM, I_OTHER, I_SPAM };
static const unsigned intent_mix[NPLAT][NW] = {
	[P_MASTODON] = { 170, 220, 180, 80, 55, 245, 50 },
	[P_BLUESKY] = { 170, 220, 180, 80, 55, 245, 50 },
	[P_X] = { 160, 230, 170, 70, 65, 225, 80 },
	[P_REDDIT] = { 150, 260, 250, 60, 50, 210, 20 },
	[P_YOUTUBE] = { 250, 150, 150, 100, 50, 220, 80 },
	[P_DISCORD] = { 150, 200, 300, 120, 30, 180, 20 },
	[P_HN] = { 80, 120, 80, 20, 40, 660, 0 },
	[P_RSS] = { 0, 0, 0, 0, 0, 1000, 0 },
};

/* How likely the brand answers, and how fast (median minutes). */
static const double answer_p[I_NEWS + 1] = {
	[I_PRAISE] = .65, [I_COMPLAINT] = .95, [I_QUESTION] = .92,
	[I_REQUEST] = .8, [I_SARCASM] = .75, [I_OTHER] = .45, [I_OUTAGE] = .85,
	[I_CHAT_AT] = .25, [I_CHAT] = .25, [I_FU_THANKS] = .5,
	[I_FU_STILL] = .95, [I_FU_DONE] = .45, [I_SPAM] = 0, [I_NEWS] = 0,
};
static const double answer_minutes[I_NEWS + 1] = {
	[I_PRAISE] = 170, [I_COMPLAINT] = 45, [I_QUESTION] = 60,
	[I_REQUEST] = 120, [I_SARCASM] = 75, [I_OTHER] = 200,
	[I_OUTAGE] = 30, [I_CHAT_AT] = 170, [I_CHAT] = 170,
	[I_FU_THANKS] = 100, [I_FU_STILL] = 35, [I_FU_DONE] = 100,
	[I_SPAM] = 300, [I_NEWS] = 300,
};
/* platforms that report a post's language */
static const unsigned char has_lang[NPLAT] = { [P_MASTODON] = 1,
	[P_BLUESKY] = 1, [P_X] = 1, [P_RSS] = 1 };

#define NONE INT64_MIN		/* a count the platform does not have */
#define DAY 86400
#define T2016 1451606400LL
#define T2100 4102444800LL
#define HOME "mastodon.social"	/* the instance of the brand's account */

struct text {
	char s[TEXT_MAX];
	size_t n;
};

struct person {
	char handle[24];	/* ASCII [a-z0-9_.] */
	char name[96];		/* UTF-8 with nothing JSON would escape */
	uint64_t key;		/* seeds the platform ids */
	int64_t followers;
	uint16_t index;		/* in the pool */
	unsigned char lang, verified, bot, brand, inst, domain, reddit_style;
};

/* A record others may answer: in the ring of recent ones, or pending. */
struct ref {
	int64_t t;		/* created (ring); due (pending) */
	uint64_t seq;		/* orders pending ones due at the same second */
	char id[REF_ID];
	char root[REF_ID];	/* the thread's root id */
	char who[96];		/* handle of whom an answer answers */
	char ctxs[48];		/* reddit post, youtube top-level comment */
	int32_t author;		/* person, -1 the brand */
	uint16_t ctx;		/* reddit sub, youtube video, discord channel */
	uint8_t plat, lang, intent, product, depth, action, incident;
};
enum { A_BRAND, A_FOLLOW };

struct rec {
	int plat, lang, is_post, is_brand, verified;
	const char *kind, *reason, *name;
	int64_t t, followers, m[4];
	char feed[96];
	char id[ID_MAX], url[URL_MAX];
	char aid[96], handle[96], aurl[160];
	char reply_to[REF_ID], thread[REF_ID];
	struct text text;
	struct cm_text_fields tok;	/* tags, mentions, links of text */
};

/* slots of last_id: one per platform, and reddit posts */
enum { S_T3 = NPLAT, NSLOT };

struct cm_demo {
	struct cm_demo_opts o;
	uint64_t s[4];		/* xoshiro256** */
	uint64_t k;		/* records made */
	uint64_t seq;
	double u;		/* the last sorted uniform */
	int64_t start, end, last, idshift;
	size_t nb, b;		/* hours in the span; the current one */
	double *cum;		/* nb + 1 */
	unsigned char *inc_of;	/* per hour: incident number + 1, or 0 */
	int inc_product[64];
	struct person *people;
	struct person brandp;
	uint32_t *bots;
	size_t nbots;
	const struct cm_platform *pf[NPLAT];	/* plats[i] in cm_platforms */
	uint32_t mul[NPLAT], add[NPLAT];
	uint64_t last_id[NSLOT];
	uint64_t yt_count;
	struct ref ring[RING];
	unsigned nring, ring_head;
	struct ref *pool;	/* pending answers, by index */
	uint32_t *heap, *freel;
	size_t npool, cap, nheap, nfree;
	char brand[32], Brand[32];
	char fetched[21];
	char account[NPLAT][48];
	char video[10][12];
	uint64_t guild, chan[NELEM(channels)];
	struct text tmp;
	struct rec r;
};

/* splitmix64: seeds the generator, and hashes */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t mix64(uint64_t x)
{
	return splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t r_u64(struct cm_demo *d)
{
	uint64_t *s = d->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* uniform in [0, n) (Lemire's multiply-shift; the bias is < 2^-32) */
static uint32_t r_below(struct cm_demo *d, uint32_t n)
{
	return (uint32_t)(((r_u64(d) >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [0, 1) */
static double r_unit(struct cm_demo *d)
{
	return (double)(r_u64(d) >> 11) * 0x1p-53;
}

static int r_chance(struct cm_demo *d, double p)
{
	return r_unit(d) < p;
}

static double r_gauss(struct cm_demo *d)
{
	double a = 1.0 - r_unit(d), b = r_unit(d);

	return sqrt(-2.0 * log(a)) * cos(6.283185307179586 * b);
}

static double r_lognormal(struct cm_demo *d, double median, double sigma)
{
	return median * exp(sigma * r_gauss(d));
}

static const char *r_pick(struct cm_demo *d, const struct cm_demo_list *s)
{
	return s->v[r_below(d, s->n)];
}
#define PICK(d, a) ((a)[r_below((d), NELEM(a))])

static unsigned r_weighted(struct cm_demo *d, const unsigned *w, unsigned n)
{
	unsigned i, total = 0, x;

	for (i = 0; i < n; i++)
		total += w[i];
	x = r_below(d, total);
	for (i = 0; i + 1 < n && x >= w[i]; i++)
		x -= w[i];
	return i;
}

/* Appends s[0..n) to t, cut at a character boundary when full. */
static void tadd(struct text *t, const char *s, size_t n)
{
	if (n > TEXT_MAX - 1 - t->n) {
		n = TEXT_MAX - 1 - t->n;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static void tadds(struct text *t, const char *s)
{
	tadd(t, s, strlen(s));
}

/* The output writers: the caller has reserved the room. */
static char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}
#define PUTL(p, lit) ((p) = put_mem((p), (lit), sizeof(lit) - 1))

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static char *put_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, -(uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

static char *put_b36(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char tmp[16];
	int n = 0;

	do
		tmp[n++] = digits[v % 36];
	while ((v /= 36) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* n characters of alpha (2^bits of them), most significant first */
static char *put_bits(char *p, const char *alpha, int bits, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		*p++ = alpha[(v >> (i * bits)) & ((1u << bits) - 1)];
	return p;
}

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *put_b62(char *p, uint64_t v, int n)
{
	static const char b62[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789";

	while (n-- > 0) {
		*p++ = b62[v % 62];
		v /= 62;
	}
	return p;
}

/* Copies a NUL-terminated string into dst[cap], cut if need be. */
static void scpy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int hour_of(int64_t t)
{
	return (int)((t - floor_div(t, DAY) * DAY) / 3600);
}

/* 0 is Sunday; 1970-01-01 was a Thursday */
static int dow_of(int64_t t)
{
	return (int)(((floor_div(t, DAY) % 7) + 11) % 7);
}

/*
 * Native ids.  Each platform's grow with time as the real ones do, and
 * strictly, so they are unique: a value that does not exceed the last
 * one issued becomes the last one plus one.
 */
static uint64_t next_native(struct cm_demo *d, int slot, uint64_t v)
{
	if (v <= d->last_id[slot])
		v = d->last_id[slot] + 1;
	d->last_id[slot] = v;
	return v;
}

/* Seconds for ids: the real time between 2016 and 2100, else the
 * stream moved to start in 2016, so ids stay in their real shape. */
static uint64_t id_time(const struct cm_demo *d, int64_t t)
{
	return (uint64_t)(t + d->idshift);
}

static uint64_t ms_of(struct cm_demo *d, int64_t t)
{
	return id_time(d, t) * 1000 + r_below(d, 1000);
}

static uint64_t snowflake_masto(struct cm_demo *d, int64_t t)
{
	return next_native(d, P_MASTODON, ms_of(d, t) << 16 |
	    r_below(d, 65536));
}

static uint64_t snowflake_x(struct cm_demo *d, int64_t t)
{
	return next_native(d, P_X, (ms_of(d, t) - 1288834974657ULL) << 22 |
	    (uint64_t)r_below(d, 1 << 22));
}

static uint64_t snowflake_discord(struct cm_demo *d, int64_t t)
{
	return next_native(d, P_DISCORD, (ms_of(d, t) - 1420070400000ULL) <<
	    22 | (uint64_t)r_below(d, 1 << 22));
}

/* A Bluesky record key: microseconds and a clock id, base32-sortable. */
static char *put_tid(struct cm_demo *d, char *p, int64_t t)
{
	uint64_t us = id_time(d, t) * 1000000 + r_below(d, 1000000);
	uint64_t v = next_native(d, P_BLUESKY, us << 10 | r_below(d, 1024));

	return put_bits(p, "234567abcdefghijklmnopqrstuvwxyz", 5, v, 13);
}

/* Reddit: about 16 comments and 4 posts a second site-wide.  Ours are
 * even; odd ones are the posts and stories we did not fetch. */
static uint64_t reddit_comment(struct cm_demo *d, int64_t t)
{
	int64_t m = 22856214528LL + ((int64_t)id_time(d, t) - 1730419200) * 16;

	return 2 * next_native(d, P_REDDIT, (uint64_t)m + r_below(d, 16));
}

static uint64_t reddit_post_time(const struct cm_demo *d, int64_t t)
{
	return (uint64_t)(1570000000LL + ((int64_t)id_time(d, t) -
	    1730419200) * 4);
}

static uint64_t reddit_post(struct cm_demo *d, int64_t t)
{
	return 2 * next_native(d, S_T3, reddit_post_time(d, t) +
	    r_below(d, 4));
}

/* Hacker News: one id space, about 15,000 items a day. */
static uint64_t hn_time(const struct cm_demo *d, int64_t t)
{
	double n = 41230000.0 + ((double)id_time(d, t) - 1722470400.0) *
	    (15000.0 / DAY);

	return n < 1e6 ? 500000 : (uint64_t)(n / 2);
}

static uint64_t hn_item(struct cm_demo *d, int64_t t)
{
	return 2 * next_native(d, P_HN, hn_time(d, t) + r_below(d, 3));
}

/* A bijection of 42 bits: YouTube ids carry a scrambled counter. */
static uint64_t scramble42(uint64_t v)
{
	const uint64_t mask = ((uint64_t)1 << 42) - 1;

	v = (v * 0x9e3779b97f4a7c15ULL) & mask;
	v ^= v >> 21;
	v = (v * 0xbf58476d1ce4e5b9ULL) & mask;
	return v ^ (v >> 19);
}

static char *put_yt_top(struct cm_demo *d, char *p)
{
	*p++ = 'U';
	*p++ = 'g';
	*p++ = "xzwy"[r_below(d, 4)];
	p = put_bits(p, b64url, 6, scramble42(d->yt_count++), 7);
	p = put_bits(p, b64url, 6, r_u64(d), 9);
	return put_mem(p, "4AaABAg", 7);
}

static char *put_yt_reply(struct cm_demo *d, char *p, const char *top)
{
	p = put_str(p, top);
	*p++ = '.';
	*p++ = "9A"[r_below(d, 2)];
	p = put_bits(p, b64url, 6, scramble42(d->yt_count++), 7);
	p = put_bits(p, b64url, 6, r_u64(d), 10);
	return put_bits(p, b64url, 6, r_u64(d), 4);
}

/* The ASCII letter of the Latin-1 one encoded as 0xc3 b; '_' for none. */
static char latin1_fold(unsigned char b)
{
	static const char latin1[] =
	    "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
	    "aaaaaaaceeeeiiiidnooooo_ouuuuyty";

	return latin1[(b - 0x80) & 63];
}

/* Lower-case ASCII of a name, accents of Latin-1 letters dropped. */
static void ascii_fold(char *dst, size_t cap, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = 0;
	char c;

	for (; *s && n + 1 < cap; s++) {
		c = 0;
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			c = (char)*s;
		else if (*s >= 'A' && *s <= 'Z')
			c = (char)(*s - 'A' + 'a');
		else if (*s == 0xc3 && s[1] >= 0x80 && s[1] <= 0xbf)
			c = latin1_fold(*++s);
		if (c && c != '_')
			dst[n++] = c;
	}
	dst[n] = '\0';
}

/*
 * A URL slug of the text: its words in lower-case ASCII (Latin-1
 * accents dropped, other letters skipped) joined by sep, whole words up
 * to max bytes, stopping at a dash (an article's summary follows it).
 */
static char *put_slug(char *p, const struct text *t, char sep, size_t max)
{
	const unsigned char *s = (const unsigned char *)t->s;
	size_t i, k = 0, word = 0;
	char c, *start = p;
	int gap = 0;

	for (i = 0; i < t->n; i++) {
		c = 0;
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			c = (char)s[i];
		else if (s[i] >= 'A' && s[i] <= 'Z')
			c = (char)(s[i] - 'A' + 'a');
		else if (s[i] == 0xc3 && i + 1 < t->n && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0xbf) {
			if ((c = latin1_fold(s[++i])) == '_')
				c = 0;
		} else if (s[i] == 0xe2 && k > 0)
			break;		/* " — " */
		else if (s[i] < 0x80 || (s[i] & 0xc0) != 0x80)
			gap = 1;
		if (c == 0)
			continue;
		if (gap && k > 0) {
			if (k + 2 > max)
				break;
			start[k++] = sep;
			word = k;
		}
		gap = 0;
		if (k + 1 > max) {
			k = word > 0 ? word - 1 : k;	/* drop the cut word */
			break;
		}
		start[k++] = c;
	}
	if (k == 0) {
		memcpy(start, "post", 4);
		k = 4;
	}
	return start + k;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* Expands %B and %b in a bot's name or handle. */
static void brand_fill(const struct cm_demo *d, char *dst, size_t cap,
    const char *src)
{
	size_t n = 0;
	const char *s;

	for (; *src && n + 1 < cap; src++) {
		if (*src == '%' && (src[1] == 'B' || src[1] == 'b')) {
			for (s = *++src == 'B' ? d->Brand : d->brand;
			    *s && n + 1 < cap; s++)
				dst[n++] = *s;
		} else
			dst[n++] = *src;
	}
	dst[n] = '\0';
}

static void strcat_cap(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(dst);

	scpy(dst + n, cap - n, src);
}

/* Appends a decimal number to dst[cap]. */
static void numcat(char *dst, size_t cap, uint64_t v)
{
	char num[24];

	*put_u64(num, v) = '\0';
	strcat_cap(dst, cap, num);
}

static void make_handle(struct cm_demo *d, struct person *pp, const char *fa,
    const char *la)
{
	char h[64] = "";
	unsigned r = r_below(d, 100), i, n;

	if (r < 20) {
		strcat_cap(h, sizeof(h), fa);
		strcat_cap(h, sizeof(h), la);
	} else if (r < 32) {
		strcat_cap(h, sizeof(h), fa);
		strcat_cap(h, sizeof(h), "_");
		strcat_cap(h, sizeof(h), la);
	} else if (r < 42) {
		h[0] = fa[0];
		h[1] = '\0';
		strcat_cap(h, sizeof(h), la);
	} else if (r < 55) {
		strcat_cap(h, sizeof(h), fa);
		strcat_cap(h, sizeof(h), la);
		numcat(h, sizeof(h), 10 + r_below(d, 90));
	} else if (r < 63) {
		strcat_cap(h, sizeof(h), fa);
		strcat_cap(h, sizeof(h), ".");
		strcat_cap(h, sizeof(h), la);
	} else if (r < 75) {
		for (i = 0, n = 2 + r_below(d, 2); i < n; i++)
			strcat_cap(h, sizeof(h), r_pick(d, &cm_demo_syllables));
		if (r_chance(d, .3))
			strcat_cap(h, sizeof(h), r_chance(d, .5) ? "_xo" : "_");
		if (h[strlen(h) - 1] == '_')
			numcat(h, sizeof(h), r_below(d, 1000));
	} else if (r < 85) {
		strcat_cap(h, sizeof(h), fa);
		strcat_cap(h, sizeof(h), r_pick(d, &cm_demo_handle_words));
	} else if (r < 90) {
		strcat_cap(h, sizeof(h), "the");
		strcat_cap(h, sizeof(h), fa);
		strcat_cap(h, sizeof(h), la);
	} else {
		strcat_cap(h, sizeof(h), la);
		n = (unsigned)strlen(h);
		h[n] = fa[0];
		h[n + 1] = '\0';
		if (r_chance(d, .5))
			numcat(h, sizeof(h), 1 + r_below(d, 999));
	}
	h[15] = '\0';	/* X and Hacker News allow 15 */
	n = (unsigned)strlen(h);
	while (n > 3 && (h[n - 1] == '.' || h[n - 1] == '_'))
		h[--n] = '\0';
	scpy(pp->handle, sizeof(pp->handle), h);
}

static void make_name(struct cm_demo *d, struct person *pp, const char *f,
    const char *l)
{
	char *s = pp->name;
	size_t cap = sizeof(pp->name), n;
	unsigned r = r_below(d, 100);

	s[0] = '\0';
	if (r < 45 || (r >= 61 && r < 71) || (r >= 84 && r < 94)) {
		if (r >= 84 && r < 86)
			strcat_cap(s, cap, "Dr. ");
		strcat_cap(s, cap, f);
		strcat_cap(s, cap, " ");
		strcat_cap(s, cap, l);
		if (r >= 61 && r < 71)
			strcat_cap(s, cap, r_pick(d, &cm_demo_name_emoji));
		else if (r >= 86 && r < 91)
			strcat_cap(s, cap, r_pick(d, &cm_demo_name_roles));
		else if (r >= 91)
			strcat_cap(s, cap, cm_demo_name_flag[pp->lang]);
	} else if (r < 53) {
		/* all lower case: ASCII letters only, accents as they are */
		strcat_cap(s, cap, f);
		for (; *s; s++)
			if (*s >= 'A' && *s <= 'Z')
				*s = (char)(*s - 'A' + 'a');
	} else if (r < 61) {
		strcat_cap(s, cap, f);
		strcat_cap(s, cap, " ");
		n = strlen(s);
		/* the initial: the whole first character of the last name */
		do
			s[n++] = *l++;
		while ((*l & 0xc0) == 0x80);
		s[n++] = '.';
		s[n] = '\0';
	} else if (r < 78) {
		strcat_cap(s, cap, f);
	} else if (r < 84) {
		strcat_cap(s, cap, pp->handle);
	} else {
		strcat_cap(s, cap, f);
		strcat_cap(s, cap, r_pick(d, &cm_demo_name_emoji));
	}
}

/*
 * Handles seen, as hashes: open addressing over twice the pool.  '.'
 * counts as '_', as the platforms that allow only one of them spell it
 * (render_handle), so two people never share a handle anywhere.
 */
static int handle_taken(uint64_t *set, const char *h)
{
	char norm[24];
	uint64_t v;
	size_t i;

	for (i = 0; h[i] && i + 1 < sizeof(norm); i++)
		norm[i] = h[i] == '.' ? '_' : h[i];
	norm[i] = '\0';
	v = fnv1a(norm) | 1;
	i = (size_t)v & (2 * NPEOPLE - 1);

	while (set[i]) {
		if (set[i] == v)
			return 1;
		i = (i + 1) & (2 * NPEOPLE - 1);
	}
	set[i] = v;
	return 0;
}

static void make_person(struct cm_demo *d, struct person *pp, uint32_t i,
    uint64_t *set)
{
	char f[64], l[64], fa[24], la[24];
	unsigned r, w[NELEM(instances)], k;

	memset(pp, 0, sizeof(*pp));
	pp->key = r_u64(d);
	pp->index = (uint16_t)i;
	if (i == 7 || r_chance(d, .025)) {
		pp->bot = 1;
		pp->lang = L_EN;
		r = r_below(d, cm_demo_bot_names.n);
		brand_fill(d, pp->name, sizeof(pp->name), cm_demo_bot_names.v[r]);
		brand_fill(d, f, 12, cm_demo_bot_handles.v[r]);
		numcat(f, sizeof(f), 100 + r_below(d, 9900));
		scpy(pp->handle, sizeof(pp->handle), f);
		pp->followers = r_chance(d, .25) ? 1500 + r_below(d, 7000) :
		    r_below(d, 40);
		pp->verified = r_chance(d, .2);
	} else {
		pp->lang = (unsigned char)r_weighted(d, lang_weight, NLANG);
		if (pp->lang == L_JA) {
			k = r_below(d, cm_demo_nja_given);
			r = r_below(d, cm_demo_nja_family);
			scpy(fa, sizeof(fa), cm_demo_ja_given[k][1]);
			scpy(la, sizeof(la), cm_demo_ja_family[r][1]);
			switch (r_below(d, 4)) {
			case 0:
			case 1:
				scpy(pp->name, sizeof(pp->name),
				    cm_demo_ja_family[r][0]);
				strcat_cap(pp->name, sizeof(pp->name), " ");
				strcat_cap(pp->name, sizeof(pp->name),
				    cm_demo_ja_given[k][0]);
				break;
			case 2:
				scpy(pp->name, sizeof(pp->name),
				    cm_demo_ja_given[k][0]);
				if (r_chance(d, .5))
					strcat_cap(pp->name, sizeof(pp->name),
					    "🌸");
				break;
			default:
				scpy(pp->name, sizeof(pp->name), fa);
				pp->name[0] = (char)(pp->name[0] - 'a' + 'A');
				strcat_cap(pp->name, sizeof(pp->name), " ");
				strcat_cap(pp->name, sizeof(pp->name), la);
				pp->name[strlen(fa) + 1] = (char)
				    (pp->name[strlen(fa) + 1] - 'a' + 'A');
			}
			make_handle(d, pp, fa, la);
		} else {
			scpy(f, sizeof(f), r_pick(d, &cm_demo_first_names[pp->lang]));
			scpy(l, sizeof(l), r_pick(d, &cm_demo_last_names[pp->lang]));
			ascii_fold(fa, sizeof(fa), f);
			ascii_fold(la, sizeof(la), l);
			make_handle(d, pp, fa, la);
			make_name(d, pp, f, l);
		}
		/* a heavy tail: most below 500, a few famous */
		if (i % 509 == 200 || r_chance(d, .002)) {
			pp->followers = (int64_t)exp(log(8e4) + r_unit(d) *
			    (log(2.5e6) - log(8e4)));
			pp->verified = r_chance(d, .7);
		} else {
			pp->followers = (int64_t)r_lognormal(d, 150, 1.6);
			if (pp->followers > 90000)
				pp->followers = 90000 - r_below(d, 5000);
			pp->verified = r_chance(d, .005);
		}
	}
	while (handle_taken(set, pp->handle)) {
		char h[64];

		scpy(h, sizeof(h), pp->handle);
		h[13] = '\0';
		numcat(h, sizeof(h), 10 + r_below(d, 90));
		scpy(pp->handle, sizeof(pp->handle), h);
	}
	for (k = 0; k < NELEM(instances); k++)
		w[k] = instances[k].lang == -1 ? instances[k].weight :
		    instances[k].lang == pp->lang ? instances[k].weight * 3 : 0;
	pp->inst = (unsigned char)r_weighted(d, w, NELEM(instances));
	pp->domain = r_chance(d, .1) ? (unsigned char)(1 +
	    r_below(d, NELEM(bsky_tlds))) : 0;
	pp->reddit_style = r_chance(d, .3);
}

/* The person's handle as the platform spells it, in out[96]. */
static void render_handle(const struct person *pp, int plat, char *out)
{
	const char *h = pp->handle;
	size_t n = 0, max = 40;
	uint64_t k = pp->key;

	if (pp->brand) {
		scpy(out, 96, h);
		return;
	}
	if (plat == P_REDDIT && pp->reddit_style) {
		/* Reddit's made-up names, unique by the pool index */
		scpy(out, 96, cm_demo_reddit_adj.v[pp->index %
		    cm_demo_reddit_adj.n]);
		strcat_cap(out, 96, "-");
		strcat_cap(out, 96, cm_demo_reddit_noun.v[pp->index /
		    cm_demo_reddit_adj.n % cm_demo_reddit_noun.n]);
		strcat_cap(out, 96, "-");
		numcat(out, 96, 1000 + pp->index / 100 * 200 + k % 200);
		return;
	}
	if (plat == P_X || plat == P_HN)
		max = 15;
	for (; *h && n < max; h++) {
		char c = *h;

		if (c == '.' && plat != P_DISCORD && plat != P_YOUTUBE)
			c = plat == P_BLUESKY ? '-' : '_';
		if (c == '_' && plat == P_BLUESKY)
			c = '-';
		out[n++] = c;
	}
	out[n] = '\0';
	if (plat == P_MASTODON && pp->inst != 0) {
		strcat_cap(out, 96, "@");
		strcat_cap(out, 96, instances[pp->inst].host);
	} else if (plat == P_BLUESKY) {
		if (pp->domain) {
			strcat_cap(out, 96, ".");
			strcat_cap(out, 96, bsky_tlds[pp->domain - 1]);
		} else
			strcat_cap(out, 96, ".bsky.social");
	}
}

static uint64_t created_ms(uint64_t k, int64_t from, int64_t to)
{
	return (uint64_t)from * 1000 +
	    mix64(k) % ((uint64_t)(to - from) * 1000);
}

/* The person's account id on the platform, in out[96]. */
static void author_id(const struct person *pp, int plat, char *out)
{
	uint64_t k = pp->key, v;
	char *p = out;

	switch (plat) {
	case P_MASTODON:
		v = created_ms(k, 1483228800, 1735689600) << 16 | (k >> 20 &
		    0xffff);
		p = put_u64(p, v);
		break;
	case P_BLUESKY:
		p = put_str(p, "did:plc:");
		p = put_bits(p, "abcdefghijklmnopqrstuvwxyz234567", 5,
		    mix64(k ^ 1), 12);
		p = put_bits(p, "abcdefghijklmnopqrstuvwxyz234567", 5,
		    mix64(k ^ 2), 12);
		break;
	case P_X:
		if (k >> 62 == 0)	/* before snowflakes */
			v = 12000 + mix64(k ^ 3) % 3000000000ULL;
		else
			v = (created_ms(k, 1356998400, 1735689600) -
			    1288834974657ULL) << 22 | (k & 0x3fffff);
		p = put_u64(p, v);
		break;
	case P_REDDIT:
		p = put_str(p, "t2_");
		p = put_b36(p, 2176782336ULL + mix64(k ^ 4) % 2800000000000ULL);
		break;
	case P_YOUTUBE:
		p = put_str(p, "UC");
		p = put_bits(p, b64url, 6, mix64(k ^ 5), 10);
		p = put_bits(p, b64url, 6, mix64(k ^ 6), 10);
		*p++ = "AQgw"[k % 4];
		*p++ = b64url[(k >> 2) % 64];
		break;
	case P_DISCORD:
		v = (created_ms(k, 1451606400, 1735689600) - 1420070400000ULL)
		    << 22 | (k & 0x3fffff);
		p = put_u64(p, v);
		break;
	default:
		render_handle(pp, plat, out);
		return;
	}
	*p = '\0';
}

static void set_author(struct rec *r, const struct person *pp)
{
	static const int64_t brand_followers[NPLAT] = { 48213, 31877, 1204511,
		NONE, NONE, NONE, NONE, NONE };
	static const double reach[NPLAT] = { .35, .5, 1.0, 0, 0, 0, 0, 0 };
	char *p = r->aurl;
	int plat = r->plat;

	render_handle(pp, plat, r->handle);
	author_id(pp, plat, r->aid);
	r->is_brand = pp->brand;
	r->name = plat == P_REDDIT || plat == P_HN ? r->handle : pp->name;
	if (pp->brand) {
		r->followers = brand_followers[plat];
		r->verified = plat == P_X || plat == P_BLUESKY ? 1 : -1;
	} else {
		r->followers = reach[plat] > 0 ?
		    (int64_t)((double)pp->followers * reach[plat]) +
		    (int64_t)(pp->key % 7) : NONE;
		r->verified = plat == P_X ? pp->verified || pp->key % 100 < 4 :
		    plat == P_BLUESKY ? pp->verified : -1;
	}
	switch (plat) {
	case P_MASTODON:
		PUTL(p, "https://");
		p = put_str(p, pp->brand ? HOME : instances[pp->inst].host);
		PUTL(p, "/@");
		p = put_mem(p, r->handle, strcspn(r->handle, "@"));
		break;
	case P_BLUESKY:
		PUTL(p, "https://bsky.app/profile/");
		p = put_str(p, pp->brand ? r->aid : r->handle);
		break;
	case P_X:
		PUTL(p, "https://x.com/");
		p = put_str(p, r->handle);
		break;
	case P_REDDIT:
		PUTL(p, "https://www.reddit.com/user/");
		p = put_str(p, r->handle);
		break;
	case P_HN:
		PUTL(p, "https://news.ycombinator.com/user?id=");
		p = put_str(p, r->handle);
		break;
	case P_YOUTUBE:
		PUTL(p, "https://www.youtube.com/@");
		p = put_str(p, r->handle);
		break;
	default:
		PUTL(p, "https://discord.com/users/");
		p = put_str(p, r->aid);
		break;
	}
	*p = '\0';
}

/* Template expansion. */
struct ctx {
	int lang, plat, product;
	const char *who;	/* whom the text answers; NULL: someone */
};

static uint32_t pick_person(struct cm_demo *d, int plat)
{
	/* a few people post a lot: rank r with density ~ r^(1/1.6 - 1) */
	uint32_t r = (uint32_t)(NPEOPLE * pow(r_unit(d), 1.6)), i;

	for (;;) {
		i = (r * d->mul[plat] + d->add[plat]) & (NPEOPLE - 1);
		if (!d->people[i].bot)
			return i;
		r = (r + 1) & (NPEOPLE - 1);
	}
}

static void mention(const struct cm_demo *d, struct text *t, int plat,
    const char *handle)
{
	tadds(t, d->pf[plat]->mention);
	tadds(t, handle);
}

static void expand(struct cm_demo *d, struct text *t, const char *tpl,
    const struct ctx *c)
{
	const struct product *pr = &products[c->product];
	const char *p = tpl, *q;
	char buf[128], *w;

	while (*p) {
		if ((q = strchr(p, '%')) == NULL) {
			tadds(t, p);
			break;
		}
		tadd(t, p, (size_t)(q - p));
		p = q + 1;
		w = buf;
		switch (*p++) {
		case 'p':
			tadds(t, d->Brand);
			tadds(t, pr->name);
			break;
		case 'P':
			tadds(t, d->Brand);
			tadds(t, pr->tag);
			break;
		case 'B':
			tadds(t, d->Brand);
			break;
		case 'b':
			tadds(t, d->brand);
			break;
		case 'h':
			if (c->who) {
				mention(d, t, c->plat, c->who);
				break;
			}
			/* FALLTHROUGH */
		case 'o':
			render_handle(&d->people[pick_person(d, c->plat)],
			    c->plat, buf);
			mention(d, t, c->plat, buf);
			break;
		case 'd':
			tadds(t, r_pick(d, &cm_demo_durations[c->lang]));
			break;
		case 'f':
			tadds(t, r_pick(d, &cm_demo_features[c->lang]));
			break;
		case 'i':
			tadds(t, r_pick(d, &cm_demo_issues[pr->cat]));
			break;
		case 'n':
			w = put_u64(w, 1000000 + r_below(d, 9000000));
			tadd(t, buf, (size_t)(w - buf));
			break;
		case 'm':
			tadds(t, r_pick(d, &cm_demo_money[c->lang]));
			break;
		case 'v':
			PUTL(w, "v4.");
			w = put_u64(w, r_below(d, 9));
			*w++ = '.';
			w = put_u64(w, r_below(d, 10));
			tadd(t, buf, (size_t)(w - buf));
			break;
		case 'u':
			switch (r_below(d, 3)) {
			case 0:
				PUTL(w, "https://imgur.com/a/");
				w = put_b62(w, r_u64(d), 7);
				break;
			case 1:
				PUTL(w, "https://youtu.be/");
				w = put_bits(w, b64url, 6, r_u64(d), 10);
				*w++ = "AEIMQUYcgkosw048"[r_below(d, 16)];
				break;
			default:
				PUTL(w, "https://");
				w = put_str(w, d->brand);
				PUTL(w, ".example/");
				w = put_str(w, pr->slug);
			}
			tadd(t, buf, (size_t)(w - buf));
			break;
		case 'l':
			PUTL(w, "https://");
			w = put_str(w, d->brand);
			PUTL(w, ".example/help/");
			w = put_str(w, r_pick(d, &cm_demo_help_topics));
			tadd(t, buf, (size_t)(w - buf));
			break;
		case 'a':
			tadds(t, r_pick(d, &cm_demo_agents));
			break;
		case 'e':
			tadds(t, r_pick(d, &cm_demo_emoji_pos));
			break;
		case 'x':
			tadds(t, r_pick(d, &cm_demo_emoji_neg));
			break;
		case 'q':
			tadds(t, r_pick(d, &cm_demo_emoji_neu));
			break;
		case '%':
			tadd(t, "%", 1);
			break;
		default:
			p--;	/* a '%' at the end: keep the NUL */
		}
	}
}

/* Changes the case of ASCII letters, but not in links, mentions, tags. */
static void recase(struct text *t, int upper)
{
	size_t i = 0;
	char *s = t->s;

	while (i < t->n) {
		if ((i == 0 || s[i - 1] == ' ') && (s[i] == '@' ||
		    s[i] == '#' || strncmp(s + i, "http", 4) == 0 ||
		    strncmp(s + i, "u/", 2) == 0)) {
			while (i < t->n && s[i] != ' ')
				i++;
			continue;
		}
		if (upper && s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 'a' + 'A');
		else if (!upper && s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
		i++;
	}
}

static void prepend(struct cm_demo *d, struct text *t, const char *s)
{
	d->tmp.n = 0;
	tadds(&d->tmp, s);
	tadd(&d->tmp, t->s, t->n);
	memcpy(t, &d->tmp, sizeof(*t));
}

static int is_microblog(int plat)
{
	return plat == P_MASTODON || plat == P_BLUESKY || plat == P_X;
}

/* Slang, case, emoji and hashtags, as people write. */
static void decorate(struct cm_demo *d, struct rec *r, int intent)
{
	struct text *t = &r->text;
	int neg = intent == I_COMPLAINT || intent == I_SARCASM ||
	    intent == I_OUTAGE, pos = intent == I_PRAISE;

	if (r->plat == P_HN || r->plat == P_RSS || intent == I_SPAM)
		return;
	if (r->lang == L_EN) {
		if (neg && r_chance(d, .07))
			recase(t, 1);
		else if (r_chance(d, .12))
			recase(t, 0);
		if (t->s[0] != '@' && r_chance(d, .10))
			prepend(d, t, neg ? r_pick(d, &cm_demo_pre_neg) : pos ?
			    r_pick(d, &cm_demo_pre_pos) : r_pick(d, &cm_demo_pre_neu));
		if ((neg || pos) && r_chance(d, .08) && t->n > 0 &&
		    (t->s[t->n - 1] == '.' || t->s[t->n - 1] == '!')) {
			while (t->n > 0 && (t->s[t->n - 1] == '.' ||
			    t->s[t->n - 1] == '!'))
				t->n--;
			tadds(t, "!!!");
		}
		if (r_chance(d, .14))
			tadds(t, neg ? r_pick(d, &cm_demo_post_neg) : pos ?
			    r_pick(d, &cm_demo_post_pos) : r_pick(d, &cm_demo_post_neu));
	}
	if (r_chance(d, pos ? .35 : neg ? .3 : .1)) {
		const char *e = pos ? r_pick(d, &cm_demo_emoji_pos) : neg ?
		    r_pick(d, &cm_demo_emoji_neg) : r_pick(d, &cm_demo_emoji_neu);
		unsigned n = (pos || neg) && r_chance(d, .2) ? 2 +
		    r_below(d, 2) : 1;

		tadd(t, " ", 1);
		while (n-- > 0)
			tadds(t, e);
	}
	if ((neg || intent == I_QUESTION) && r_chance(d, .06)) {
		char link[64], *w = link;

		/* a screenshot of what went wrong */
		PUTL(w, " https://imgur.com/a/");
		w = put_b62(w, r_u64(d), 7);
		tadd(t, link, (size_t)(w - link));
	}
	if (is_microblog(r->plat) && r_chance(d, .12)) {
		tadds(t, " #");
		tadds(t, intent == I_OUTAGE ? r_pick(d, &cm_demo_tags_outage) : neg ?
		    r_pick(d, &cm_demo_tags_neg) : r_pick(d, &cm_demo_tags_pos));
	}
}

/* "@brand" somewhere in the text, as the mention feeds need. */
static void ensure_mention(struct cm_demo *d, struct rec *r)
{
	size_t i;

	for (i = 0; i < r->tok.nmentions; i++)
		if (r->tok.mentions[i].len == strlen(d->brand) &&
		    memcmp(r->text.s + r->tok.mentions[i].off, d->brand,
		    r->tok.mentions[i].len) == 0)
			return;
	if (r_chance(d, .5) || r->lang == L_JA) {
		d->tmp.n = 0;
		mention(d, &d->tmp, r->plat, d->brand);
		tadd(&d->tmp, " ", 1);
		prepend(d, &r->text, d->tmp.s);
	} else {
		tadd(&r->text, " ", 1);
		mention(d, &r->text, r->plat, d->brand);
	}
}

static int word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* The tags, mentions and links of the text, by cm-record(5)'s rules. */
static void scan_tokens(struct rec *r)
{
	cm_text_fields(r->text.s, r->text.n, &r->tok);
}

/* Pending answers: a min-heap on (due, seq) of indices into pool. */
static int pend_less(const struct cm_demo *d, uint32_t a, uint32_t b)
{
	const struct ref *x = &d->pool[a], *y = &d->pool[b];

	return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

/* Takes a pool slot; NULL when full (the record stays unanswered). */
static struct ref *pend_new(struct cm_demo *d, uint32_t *idx)
{
	if (d->nfree > 0) {
		*idx = d->freel[--d->nfree];
		return &d->pool[*idx];
	}
	if (d->npool == d->cap) {
		size_t cap = d->cap * 2;
		struct ref *pool;
		uint32_t *heap, *freel;

		if (cap > PENDING_MAX)
			return NULL;
		if ((pool = realloc(d->pool, cap * sizeof(*pool))) == NULL)
			return NULL;
		d->pool = pool;
		if ((heap = realloc(d->heap, cap * sizeof(*heap))) == NULL)
			return NULL;
		d->heap = heap;
		if ((freel = realloc(d->freel, cap * sizeof(*freel))) == NULL)
			return NULL;
		d->freel = freel;
		d->cap = cap;
	}
	*idx = (uint32_t)d->npool++;
	return &d->pool[*idx];
}

static void pend_push(struct cm_demo *d, uint32_t idx)
{
	size_t i = d->nheap++, up;

	d->pool[idx].seq = d->seq++;
	while (i > 0 && pend_less(d, idx, d->heap[up = (i - 1) / 2])) {
		d->heap[i] = d->heap[up];
		i = up;
	}
	d->heap[i] = idx;
}

/* Removes the first due; its slot goes back to the free list. */
static void pend_pop(struct cm_demo *d, struct ref *out)
{
	uint32_t top = d->heap[0], last = d->heap[--d->nheap];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < d->nheap) {
		if (c + 1 < d->nheap &&
		    pend_less(d, d->heap[c + 1], d->heap[c]))
			c++;
		if (!pend_less(d, d->heap[c], last))
			break;
		d->heap[i] = d->heap[c];
		i = c;
	}
	if (d->nheap > 0)
		d->heap[i] = last;
	memcpy(out, &d->pool[top], sizeof(*out));
	d->freel[d->nfree++] = top;
}

/*
 * When the brand answers: a lognormal delay around the intent's median,
 * slower at weekends, and mostly not at night (UTC): what would fall
 * between 23:00 and 07:00 waits for the morning shift.
 */
static int64_t answer_time(struct cm_demo *d, int64_t t, int intent)
{
	double s = r_lognormal(d, answer_minutes[intent] * 60, 1.3);
	int64_t due, h;

	if (s < 60)
		s = 60 + r_below(d, 120);
	if (s > 9 * DAY)
		s = 9 * DAY - r_below(d, DAY);
	due = t + (int64_t)s;
	if ((dow_of(due) == 0 || dow_of(due) == 6) && r_chance(d, .5))
		due += (int64_t)(s * .8);
	h = hour_of(due);
	if ((h >= 23 || h < 7) && r_chance(d, .7))
		due = floor_div(due, DAY) * DAY + (h >= 23 ? DAY : 0) +
		    7 * 3600 + r_below(d, 3 * 3600);
	return due;
}

/* Maybe schedules an answer to src: by the brand, or a follow-up. */
static void schedule(struct cm_demo *d, const struct ref *src, int action,
    int64_t due)
{
	struct ref *e;
	uint32_t idx;

	if (due > d->end || (e = pend_new(d, &idx)) == NULL)
		return;		/* after the stream's end: unanswered */
	memcpy(e, src, sizeof(*e));
	e->t = due;
	e->action = (uint8_t)action;
	pend_push(d, idx);
}

static void maybe_answer(struct cm_demo *d, const struct ref *src,
    int64_t followers)
{
	double p = answer_p[src->intent] * plats[src->plat].answer;

	if (p > 0 && followers != NONE && followers >= 10000)
		p += .15;
	if (r_chance(d, p))
		schedule(d, src, A_BRAND, answer_time(d, src->t, src->intent));
}

/* A recent record on plat to answer, more likely a newer one. */
static struct ref *find_parent(struct cm_demo *d, int plat, int64_t t)
{
	struct ref *cand[6], *x;
	unsigned i, n = 0;

	for (i = 0; i < d->nring && n < NELEM(cand); i++) {
		x = &d->ring[(d->ring_head + RING - 1 - i) % RING];
		if (t - x->t > 2 * DAY)
			break;
		if (x->plat == plat)
			cand[n++] = x;
	}
	return n ? cand[r_below(d, r_below(d, n) + 1)] : NULL;
}

static void ring_push(struct cm_demo *d, const struct ref *x)
{
	memcpy(&d->ring[d->ring_head], x, sizeof(*x));
	d->ring_head = (d->ring_head + 1) % RING;
	if (d->nring < RING)
		d->nring++;
}

/* Likes and the rest: heavy-tailed, growing with reach. */
static void set_metrics(struct cm_demo *d, struct rec *r, int64_t reach,
    int intent)
{
	double base = .3 + sqrt((double)(reach > 0 ? reach : 0)) * .06;
	int64_t likes, reposts, answers, quotes;
	int i, top = r->reply_to[0] == '\0';

	likes = r_chance(d, .4) ? 0 : (int64_t)r_lognormal(d, base, 1.0);
	if ((intent == I_COMPLAINT || intent == I_SARCASM ||
	    intent == I_OUTAGE) && r_chance(d, .004))
		likes = likes * (20 + r_below(d, 180)) + 50;	/* viral */
	reposts = (int64_t)((double)likes * r_unit(d) * .3);
	answers = (int64_t)((double)likes * r_unit(d) * .25) +
	    r_chance(d, .2);
	quotes = (int64_t)((double)reposts * r_unit(d) * .3);
	r->m[0] = likes;
	r->m[1] = reposts;
	r->m[2] = answers;
	r->m[3] = quotes;
	switch (r->plat) {
	case P_MASTODON:
		r->m[3] = NONE;
		break;
	case P_REDDIT:
		/* a score: it starts at 1, and spam is voted down */
		r->m[0] = intent == I_SPAM ? 1 - (int64_t)r_below(d, 6) :
		    likes + 1;
		r->m[1] = r->m[3] = NONE;
		r->m[2] = r->is_post ? answers * 2 : NONE;
		break;
	case P_HN:
		r->m[0] = r->is_post ? likes * 3 + 1 : NONE;
		r->m[2] = r->is_post ? answers * 3 : NONE;
		r->m[1] = r->m[3] = NONE;
		break;
	case P_YOUTUBE:
		r->m[1] = r->m[3] = NONE;
		if (!top)
			r->m[2] = NONE;
		break;
	case P_DISCORD:
		r->m[1] = r->m[2] = r->m[3] = NONE;
		break;
	case P_RSS:
		for (i = 0; i < 4; i++)
			r->m[i] = NONE;
		break;
	}
}

static void set_feed(struct rec *r, const char *a, const char *b)
{
	scpy(r->feed, sizeof(r->feed), a);
	strcat_cap(r->feed, sizeof(r->feed), b);
}

static void rec_begin(struct rec *r, int plat, int64_t t, int lang)
{
	r->plat = plat;
	r->t = t;
	r->lang = lang;
	r->is_post = 0;
	r->text.n = 0;
	r->text.s[0] = '\0';
	r->reply_to[0] = r->thread[0] = '\0';
	r->feed[0] = '\0';
}

/* Sets in_reply_to and thread to answer x. */
static void rec_answers(struct rec *r, const struct ref *x)
{
	scpy(r->reply_to, sizeof(r->reply_to), x->id);
	scpy(r->thread, sizeof(r->thread), x->root[0] ? x->root : x->id);
}

/* The id and url of r on its platform.  x: the record answered, which
 * gives Reddit's post and sub, YouTube's video and top-level comment,
 * Discord's channel; ctx and ctxs get this record's own. */
static void make_id(struct cm_demo *d, struct rec *r, const struct ref *x,
    uint16_t *ctx, char *ctxs)
{
	char *p = r->id, *u = r->url, *n;
	uint64_t v;

	*ctx = x ? x->ctx : 0;
	ctxs[0] = '\0';
	switch (r->plat) {
	case P_MASTODON:
		v = snowflake_masto(d, r->t);
		PUTL(p, "mastodon:" HOME ":");
		p = put_u64(p, v);
		PUTL(u, "https://");
		n = strchr(r->handle, '@');
		if (n == NULL) {
			PUTL(u, HOME "/@");
			u = put_str(u, r->handle);
		} else {
			/* a remote post: its own server's id for it */
			u = put_str(u, n + 1);
			PUTL(u, "/@");
			u = put_mem(u, r->handle, (size_t)(n - r->handle));
			v = ((v & ~(uint64_t)0xffff) - ((uint64_t)r_below(d,
			    900) << 16)) | (mix64(v) & 0xffff);
		}
		*u++ = '/';
		u = put_u64(u, v);
		break;
	case P_BLUESKY:
		PUTL(p, "bluesky:at://");
		p = put_str(p, r->aid);
		PUTL(p, "/app.bsky.feed.post/");
		n = p;
		p = put_tid(d, p, r->t);
		PUTL(u, "https://bsky.app/profile/");
		u = put_str(u, r->is_brand ? r->aid : r->handle);
		PUTL(u, "/post/");
		u = put_mem(u, n, 13);
		break;
	case P_X:
		v = snowflake_x(d, r->t);
		PUTL(p, "x:");
		p = put_u64(p, v);
		PUTL(u, "https://x.com/");
		u = put_str(u, r->handle);
		PUTL(u, "/status/");
		u = put_u64(u, v);
		break;
	case P_REDDIT:
		PUTL(p, "reddit:t");
		*p++ = r->is_post ? '3' : '1';
		*p++ = '_';
		n = p;
		p = put_b36(p, r->is_post ? reddit_post(d, r->t) :
		    reddit_comment(d, r->t));
		*p = '\0';
		if (r->is_post)
			scpy(ctxs, 48, n);
		else
			scpy(ctxs, 48, x->ctxs);
		PUTL(u, "https://www.reddit.com/r/");
		u = put_str(u, *ctx == 0 ? d->brand : subs[*ctx].name);
		PUTL(u, "/comments/");
		u = put_str(u, ctxs);
		*u++ = '/';
		if (r->is_post) {
			u = put_slug(u, &r->text, '_', 50);
		} else {
			PUTL(u, "comment/");
			u = put_str(u, n);
		}
		*u++ = '/';
		break;
	case P_HN:
		v = hn_item(d, r->t);
		PUTL(p, "hn:");
		p = put_u64(p, v);
		PUTL(u, "https://news.ycombinator.com/item?id=");
		u = put_u64(u, v);
		break;
	case P_YOUTUBE:
		PUTL(p, "youtube:");
		n = p;
		p = x && x->ctxs[0] ? put_yt_reply(d, p, x->ctxs) :
		    put_yt_top(d, p);
		*p = '\0';
		scpy(ctxs, 48, x && x->ctxs[0] ? x->ctxs : n);
		PUTL(u, "https://www.youtube.com/watch?v=");
		u = put_str(u, d->video[*ctx]);
		PUTL(u, "&lc=");
		u = put_str(u, n);
		break;
	case P_DISCORD:
		v = snowflake_discord(d, r->t);
		PUTL(p, "discord:");
		p = put_u64(p, v);
		PUTL(u, "https://discord.com/channels/");
		u = put_u64(u, d->guild);
		*u++ = '/';
		u = put_u64(u, d->chan[*ctx]);
		*u++ = '/';
		u = put_u64(u, v);
		break;
	}
	*p = '\0';
	*u = '\0';
}

/* Fills a ref from the record just made, for the ring or an answer. */
static void rec_ref(const struct rec *r, struct ref *x, int32_t author,
    int intent, int product, uint16_t ctx, const char *ctxs, int incident)
{
	x->t = r->t;
	scpy(x->id, sizeof(x->id), r->id);
	scpy(x->root, sizeof(x->root), r->thread[0] ? r->thread : r->id);
	scpy(x->who, sizeof(x->who), r->handle);
	scpy(x->ctxs, sizeof(x->ctxs), ctxs);
	x->author = author;
	x->ctx = ctx;
	x->plat = (uint8_t)r->plat;
	x->lang = (uint8_t)r->lang;
	x->intent = (uint8_t)intent;
	x->product = (uint8_t)product;
	x->incident = (uint8_t)incident;
	x->depth = 0;
}

static int pick_product(struct cm_demo *d)
{
	unsigned w[NELEM(products)], i;

	for (i = 0; i < NELEM(products); i++)
		w[i] = products[i].weight;
	return (int)r_weighted(d, w, NELEM(products));
}

static int pick_sub(struct cm_demo *d, int lang, int product)
{
	unsigned w[NELEM(subs)], i;

	for (i = 0; i < NELEM(subs); i++) {
		if (i == 0)
			w[i] = 30;
		else if (subs[i].lang == lang && lang != L_EN)
			w[i] = 60;
		else if (lang == L_EN && subs[i].lang == L_EN &&
		    (subs[i].cat == -1 || subs[i].cat == products[product].cat))
			w[i] = 10;
		else
			w[i] = 0;
	}
	return (int)r_weighted(d, w, NELEM(subs));
}

static unsigned hour_index(const struct cm_demo *d, int64_t t)
{
	int64_t b = floor_div(t - d->start, 3600);

	return b < 0 ? 0 : (size_t)b >= d->nb ? (unsigned)d->nb - 1 :
	    (unsigned)b;
}

/* An article about the brand, from a news site's feed. */
static void gen_news(struct cm_demo *d, int64_t t)
{
	struct rec *r = &d->r;
	unsigned o = r_below(d, NELEM(outlets));
	struct ctx c = { outlets[o].lang, P_RSS, pick_product(d), NULL };
	char *u = r->url, *p;
	int64_t y;
	unsigned mo, dd;

	rec_begin(r, P_RSS, t, outlets[o].lang);
	expand(d, &r->text, r_pick(d, &cm_demo_news[c.lang]), &c);
	if (c.lang == L_EN)
		tadds(&r->text, r_pick(d, &cm_demo_news_summary));
	r->is_post = 1;
	r->kind = "post";
	r->reason = "search";
	set_feed(r, "search:", d->brand);
	cm_civil_from_days(floor_div(t, DAY), &y, &mo, &dd);
	PUTL(u, "https://");
	u = put_str(u, outlets[o].host);
	*u++ = '/';
	u = put_str(u, outlets[o].section);
	*u++ = '/';
	u = put_u64(u, (uint64_t)(y < 0 ? 0 : y));
	*u++ = '/';
	*u++ = (char)('0' + mo / 10);
	*u++ = (char)('0' + mo % 10);
	*u++ = '/';
	/* the title's words: the id stays under 110 bytes */
	u = put_slug(u, &r->text, '-', 40);
	*u++ = '-';
	u = put_u64(u, next_native(d, P_RSS, 104729 + r_below(d, 9)) * 7 +
	    r_below(d, 7));
	*u = '\0';
	p = put_str(r->id, "rss:");
	put_str(p, r->url)[0] = '\0';
	p = put_str(r->aid, "https://");
	p = put_str(p, outlets[o].host);
	put_str(p, "/")[0] = '\0';
	scpy(r->aurl, sizeof(r->aurl), r->aid);
	scpy(r->handle, sizeof(r->handle), outlets[o].host);
	r->name = outlets[o].name;
	r->followers = NONE;
	r->verified = -1;
	r->is_brand = 0;
	set_metrics(d, r, 0, I_NEWS);
}

/* One of the brand's own posts. */
static void gen_brand_post(struct cm_demo *d, int64_t t)
{
	static const int where[] = { P_MASTODON, P_BLUESKY, P_X, P_X,
		P_DISCORD, P_REDDIT };
	struct rec *r = &d->r;
	struct ctx c = { L_EN, where[r_below(d, NELEM(where))],
	    pick_product(d), NULL };
	struct ref x;
	uint16_t ctx;
	char ctxs[48];

	rec_begin(r, c.plat, t, L_EN);
	set_author(r, &d->brandp);
	expand(d, &r->text, r_pick(d, &cm_demo_brand_posts), &c);
	r->is_post = 1;
	r->kind = c.plat == P_DISCORD ? "message" : "post";
	r->reason = "own";
	set_feed(r, "own", "");
	make_id(d, r, NULL, &ctx, ctxs);
	scan_tokens(r);
	set_metrics(d, r, 20000, I_OTHER);
	rec_ref(r, &x, -1, I_OTHER, c.product, ctx, ctxs, 0);
	ring_push(d, &x);
}

static int pick_intent(struct cm_demo *d, int plat, int incident)
{
	if (incident && plat != P_RSS && r_chance(d, .6))
		return I_OUTAGE;
	return w_intent[r_weighted(d, intent_mix[plat], NW)];
}

/* A record by a person (or a bot): new, or answering a recent one. */
static void gen_inbound(struct cm_demo *d, int64_t t)
{
	struct rec *r = &d->r;
	struct ref *par = NULL, x;
	const struct person *pp;
	struct ctx c;
	const char *tpl;
	char ctxs[48];
	uint16_t ctx;
	int plat, intent, lang, product, incident, to_brand = 0;
	uint32_t a;
	double v;

	plat = (int)r_weighted(d, (const unsigned[]){ plats[0].weight,
	    plats[1].weight, plats[2].weight, plats[3].weight,
	    plats[4].weight, plats[5].weight, plats[6].weight,
	    plats[7].weight }, NPLAT);
	if (plat == P_RSS) {
		gen_news(d, t);
		scan_tokens(r);
		return;
	}
	incident = d->inc_of[hour_index(d, t)];
	if (r_chance(d, plats[plat].thread))
		par = find_parent(d, plat, t);
	if (par) {
		to_brand = par->author < 0;
		if (to_brand)
			intent = pick_intent(d, plat, incident);
		else if (is_microblog(plat) || plat == P_YOUTUBE)
			intent = I_CHAT_AT;
		else
			intent = I_CHAT;
		if (intent == I_SPAM)
			intent = I_REQUEST;
		a = pick_person(d, plat);
		if ((int32_t)a == par->author)
			a = pick_person(d, plat);
		lang = par->lang;
		product = par->product;
	} else {
		intent = pick_intent(d, plat, incident);
		a = intent == I_SPAM ? d->bots[r_below(d, (uint32_t)d->nbots)] :
		    pick_person(d, plat);
		lang = plat == P_HN ? L_EN : d->people[a].lang;
		product = intent == I_OUTAGE ? d->inc_product[incident - 1] :
		    pick_product(d);
	}
	pp = &d->people[a];
	rec_begin(r, plat, t, lang);
	set_author(r, pp);
	c.lang = lang;
	c.plat = plat;
	c.product = product;
	c.who = par ? par->who : NULL;
	if (intent == I_SPAM)
		tpl = r_pick(d, &cm_demo_spam);
	else if (plat == P_HN && !par && intent == I_OTHER) {
		r->is_post = r_chance(d, .3);
		tpl = r->is_post ? r_pick(d, &cm_demo_hn_story) : r_pick(d, &cm_demo_hn_comment);
	} else if (plat == P_HN && intent == I_OUTAGE) {
		tpl = r_pick(d, &cm_demo_hn_outage);
		r->is_post = !par && tpl == cm_demo_hn_outage.v[0];
	} else if (plat == P_HN && intent == I_CHAT)
		tpl = r_chance(d, .5) ? r_pick(d, &cm_demo_hn_comment) : r_pick(d, &cm_demo_texts[L_EN][I_CHAT]);
	else if (plat == P_YOUTUBE && !par && r_chance(d, .3)) {
		unsigned k = r_below(d, cm_demo_nyt_comments);

		tpl = cm_demo_yt_comments[k].s;
		intent = cm_demo_yt_comments[k].intent;
	} else
		tpl = r_pick(d, &cm_demo_texts[lang][intent]);
	if (plat == P_REDDIT && !par && r_chance(d, .3)) {
		r->is_post = 1;
		if (lang == L_EN && r_chance(d, .3) && (intent == I_QUESTION ||
		    intent == I_COMPLAINT))
			tadds(&r->text, intent == I_QUESTION ? "[Help] " :
			    "Rant: ");
	}
	if (to_brand && (is_microblog(plat) || plat == P_YOUTUBE)) {
		/* a reply to the brand's post names the brand first */
		mention(d, &r->text, plat, d->brand);
		tadd(&r->text, " ", 1);
	}
	expand(d, &r->text, tpl, &c);
	decorate(d, r, intent);
	scan_tokens(r);

	r->kind = r->is_post ? "post" : plat == P_DISCORD ? "message" :
	    is_microblog(plat) ? (par ? "reply" : "post") : "comment";
	if (to_brand) {
		r->reason = "reply";
		set_feed(r, "replies", "");
	} else if (is_microblog(plat)) {
		v = par ? 0 : r_unit(d);
		if (v < (plat == P_MASTODON ? .82 : .62)) {
			r->reason = "mention";
			set_feed(r, "mentions", "");
			ensure_mention(d, r);
		} else if (v < .80 && plat != P_MASTODON &&
		    (strstr(tpl, "%p") || strstr(tpl, "%B"))) {
			r->reason = "search";
			set_feed(r, "search:", d->brand);
		} else if (v < .90 && plat != P_MASTODON) {
			r->reason = "quote";
			set_feed(r, "mentions", "");
		} else {
			r->reason = "tag";
			set_feed(r, "tag:", d->brand);
			tadds(&r->text, " #");
			tadds(&r->text, r_chance(d, .5) ? d->Brand : d->brand);
		}
	} else if (plat == P_DISCORD && !par && r_chance(d, .1)) {
		r->reason = "mention";
		set_feed(r, "mentions", "");
		ensure_mention(d, r);
	} else if (plat == P_YOUTUBE) {
		r->reason = "reply";
		set_feed(r, "video:", d->video[par ? par->ctx : 0]);
	} else if (plat == P_DISCORD) {
		r->reason = "channel";
		set_feed(r, "channel:", "");
	} else {
		r->reason = "search";
		set_feed(r, "search:", d->brand);
	}
	scan_tokens(r);

	/* what the record answers: a recent record, or one not fetched */
	memset(&x, 0, sizeof(x));
	if (par)
		memcpy(&x, par, sizeof(x));
	else if (plat == P_REDDIT) {
		x.ctx = (uint16_t)pick_sub(d, lang, product);
		if (!r->is_post) {
			char *p = put_str(x.id, "reddit:t3_");

			p = put_b36(p, 2 * reddit_post_time(d, t - 3600 -
			    r_below(d, 2 * DAY)) + 1);
			*p = '\0';
			scpy(x.ctxs, sizeof(x.ctxs), x.id + 10);
		}
	} else if (plat == P_HN && !r->is_post) {
		char *p = put_str(x.id, "hn:");

		*put_u64(p, 2 * hn_time(d, t - 3600 - r_below(d, DAY)) + 1) =
		    '\0';
	} else if (plat == P_YOUTUBE)
		x.ctx = (uint16_t)r_below(d, r_below(d, NELEM(d->video)) + 1);
	else if (plat == P_DISCORD)
		x.ctx = (uint16_t)r_weighted(d, (const unsigned[]){
		    channels[0].weight, channels[1].weight, channels[2].weight,
		    channels[3].weight }, NELEM(channels));
	if (x.id[0])
		rec_answers(r, &x);
	make_id(d, r, &x, &ctx, ctxs);
	if (plat == P_DISCORD && r->reason[0] == 'c') {
		char *p = put_u64(r->feed + 8, d->chan[ctx]);

		*p = '\0';
	} else if (plat == P_REDDIT && ctx == 0 && !to_brand) {
		r->reason = "channel";
		set_feed(r, "sub:", d->brand);
	}
	if (!has_lang[plat])
		r->lang = -1;
	set_metrics(d, r, pp->followers, intent);
	if (intent == I_SPAM)
		return;
	rec_ref(r, &x, (int32_t)a, intent, product, ctx, ctxs,
	    incident != 0);
	x.lang = (uint8_t)lang;
	ring_push(d, &x);
	maybe_answer(d, &x, pp->followers);
}

static int reply_class(int intent, int incident)
{
	switch (intent) {
	case I_COMPLAINT:
	case I_SARCASM:
		return incident ? R_OUTAGE : R_COMPLAINT;
	case I_OUTAGE:
		return R_OUTAGE;
	case I_QUESTION:
		return R_QUESTION;
	case I_REQUEST:
		return R_REQUEST;
	case I_PRAISE:
		return R_PRAISE;
	case I_FU_STILL:
		return R_STILL;
	case I_FU_THANKS:
	case I_FU_DONE:
		return R_THANKS;
	default:
		return R_OTHER;
	}
}

/* The brand answers e. */
static void emit_brand(struct cm_demo *d, int64_t t, const struct ref *e)
{
	struct rec *r = &d->r;
	struct ctx c = { e->lang, e->plat, e->product, e->who };
	struct ref x;
	uint16_t ctx;
	char ctxs[48];
	double p;

	rec_begin(r, e->plat, t, e->lang);
	set_author(r, &d->brandp);
	expand(d, &r->text, r_pick(d, &cm_demo_replies[e->lang][reply_class(e->intent,
	    e->incident)]), &c);
	r->kind = "reply";
	r->reason = "own";
	set_feed(r, "own", "");
	rec_answers(r, e);
	make_id(d, r, e, &ctx, ctxs);
	scan_tokens(r);
	if (!has_lang[r->plat])
		r->lang = -1;
	set_metrics(d, r, 400, I_OTHER);
	if (e->depth > 0 || e->author < 0)
		return;
	/* the customer may write back */
	p = e->intent == I_COMPLAINT || e->intent == I_OUTAGE ||
	    e->intent == I_SARCASM ? .35 : e->intent == I_QUESTION ? .25 :
	    .08;
	if (!r_chance(d, p))
		return;
	memcpy(&x, e, sizeof(x));
	scpy(x.id, sizeof(x.id), r->id);
	scpy(x.who, sizeof(x.who), r->handle);
	x.depth = 1;
	schedule(d, &x, A_FOLLOW, t + 60 + (int64_t)r_lognormal(d, 35 * 60,
	    1.2));
}

/* The customer writes back to the brand's answer e. */
static void emit_follow(struct cm_demo *d, int64_t t, const struct ref *e)
{
	struct rec *r = &d->r;
	const struct person *pp = &d->people[e->author];
	struct ctx c = { e->lang, e->plat, e->product, e->who };
	struct ref x;
	uint16_t ctx;
	char ctxs[48];
	int kind, neg = e->intent == I_COMPLAINT || e->intent == I_OUTAGE ||
	    e->intent == I_SARCASM;
	double v = r_unit(d);

	if (neg)
		kind = v < .45 ? I_FU_STILL : v < .8 ? I_FU_THANKS : I_FU_DONE;
	else if (e->intent == I_QUESTION || e->intent == I_REQUEST)
		kind = v < .4 ? I_FU_DONE : v < .75 ? I_FU_THANKS : I_FU_STILL;
	else
		kind = I_FU_THANKS;
	rec_begin(r, e->plat, t, e->lang);
	set_author(r, pp);
	expand(d, &r->text, r_pick(d, &cm_demo_texts[e->lang][kind]), &c);
	decorate(d, r, kind == I_FU_STILL ? I_COMPLAINT : kind == I_FU_DONE ?
	    I_PRAISE : I_OTHER);
	r->kind = e->plat == P_DISCORD ? "message" : is_microblog(e->plat) ?
	    "reply" : "comment";
	r->reason = "reply";
	set_feed(r, "replies", "");
	rec_answers(r, e);
	make_id(d, r, e, &ctx, ctxs);
	scan_tokens(r);
	if (!has_lang[r->plat])
		r->lang = -1;
	set_metrics(d, r, pp->followers / 4, kind);
	rec_ref(r, &x, e->author, kind, e->product, ctx, ctxs, e->incident);
	x.lang = e->lang;
	x.depth = 2;
	maybe_answer(d, &x, pp->followers);
}

static char *put_json_str(char *p, const char *s)
{
	*p++ = '"';
	p = put_str(p, s);
	*p++ = '"';
	return p;
}

static char *put_json_null_str(char *p, const char *s)
{
	if (s[0] == '\0')
		return put_mem(p, "null", 4);
	return put_json_str(p, s);
}

static char *put_json_int(char *p, int64_t v)
{
	return v == NONE ? put_mem(p, "null", 4) : put_i64(p, v);
}

/*
 * Appends r as one JSON object.  Everything but the text is ASCII the
 * generator made (ids, handles, URLs, names without quotes or
 * backslashes), written as is; the text goes through
 * cm_buf_add_json_string, its tags, mentions and links through
 * cm_text_fields_json.
 */
static int write_record(struct cm_demo *d, const struct rec *r,
    struct cm_buf *out)
{
	size_t len0 = out->len;
	char stamp[21], *p;
	const char *name = r->name;

	if (cm_buf_reserve(out, HEAD_MAX) < 0)
		return -1;
	p = out->data + out->len;
	PUTL(p, "{\"id\":");
	p = put_json_str(p, r->id);
	PUTL(p, ",\"platform\":");
	p = put_json_str(p, d->pf[r->plat]->name);
	PUTL(p, ",\"kind\":");
	p = put_json_str(p, r->kind);
	PUTL(p, ",\"reason\":");
	p = put_json_str(p, r->reason);
	cm_time_format(r->t, stamp);
	PUTL(p, ",\"created_at\":");
	p = put_json_str(p, stamp);
	PUTL(p, ",\"url\":");
	p = put_json_str(p, r->url);
	PUTL(p, ",\"author\":{\"id\":");
	p = put_json_str(p, r->aid);
	PUTL(p, ",\"handle\":");
	p = put_json_str(p, r->handle);
	PUTL(p, ",\"name\":");
	p = put_json_str(p, name);
	PUTL(p, ",\"url\":");
	p = put_json_str(p, r->aurl);
	PUTL(p, ",\"followers\":");
	p = put_json_int(p, r->followers);
	PUTL(p, ",\"verified\":");
	p = put_str(p, r->verified < 0 ? "null" : r->verified ? "true" :
	    "false");
	PUTL(p, ",\"is_brand\":");
	p = put_str(p, r->is_brand ? "true" : "false");
	PUTL(p, "},\"text\":");
	out->len = (size_t)(p - out->data);
	if (cm_buf_add_json_string(out, r->text.s, r->text.n) < 0 ||
	    cm_buf_reserve(out, TAIL_MAX) < 0) {
		out->len = len0;
		out->data[len0] = '\0';
		return -1;
	}
	p = out->data + out->len;
	PUTL(p, ",\"lang\":");
	p = put_json_null_str(p, r->lang < 0 ? "" : lang_code[r->lang]);
	PUTL(p, ",\"in_reply_to\":");
	p = put_json_null_str(p, r->reply_to);
	PUTL(p, ",\"thread\":");
	p = put_json_null_str(p, r->thread);
	PUTL(p, ",\"tags\":");
	out->len = (size_t)(p - out->data);
	if (cm_text_fields_json(out, r->text.s, &r->tok, CM_TEXT_TAG) < 0 ||
	    cm_buf_adds(out, ",\"mentions\":") < 0 ||
	    cm_text_fields_json(out, r->text.s, &r->tok, CM_TEXT_MENTION) < 0 ||
	    cm_buf_adds(out, ",\"links\":") < 0 ||
	    cm_text_fields_json(out, r->text.s, &r->tok, CM_TEXT_LINK) < 0 ||
	    cm_buf_reserve(out, TAIL_MAX) < 0) {
		out->len = len0;
		out->data[len0] = '\0';
		return -1;
	}
	p = out->data + out->len;
	PUTL(p, ",\"metrics\":{\"likes\":");
	p = put_json_int(p, r->m[0]);
	PUTL(p, ",\"reposts\":");
	p = put_json_int(p, r->m[1]);
	PUTL(p, ",\"replies\":");
	p = put_json_int(p, r->m[2]);
	PUTL(p, ",\"quotes\":");
	p = put_json_int(p, r->m[3]);
	PUTL(p, "},\"source\":{\"account\":");
	p = put_json_str(p, d->account[r->plat]);
	PUTL(p, ",\"feed\":");
	p = put_json_str(p, r->feed);
	PUTL(p, ",\"fetched_at\":");
	p = put_json_str(p, d->fetched);
	PUTL(p, "}}");
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* The time of the next record: see the comment at the top. */
static int64_t next_time(struct cm_demo *d)
{
	uint64_t m = d->o.count - d->k;
	double u, lo, hi, f;
	int64_t t;

	if (m <= 1)
		t = d->end;
	else {
		u = d->u + (1.0 - d->u) * -expm1(log(1.0 - r_unit(d)) /
		    (double)m);
		d->u = u;
		while (d->b + 1 < d->nb && d->cum[d->b + 1] <= u)
			d->b++;
		lo = d->cum[d->b];
		hi = d->cum[d->b + 1];
		f = hi > lo ? (u - lo) / (hi - lo) : 0;
		if (f < 0)
			f = 0;
		if (f > .9999)
			f = .9999;
		t = d->start + (int64_t)d->b * 3600 + (int64_t)(f * 3600);
	}
	if (t > d->end)
		t = d->end;
	if (t < d->last)
		t = d->last;
	d->last = t;
	return t;
}

/* The hourly intensity, its running sum, and the incidents in it. */
static int make_hours(struct cm_demo *d)
{
	double days = 14.0 * cbrt((double)d->o.count / 1000.0), *w;
	size_t b, i, n, len;
	int64_t h;

	if (days < 1)
		days = 1;
	if (days > 730)
		days = 730;
	d->nb = (size_t)ceil(days * 24);
	d->start = d->end - (int64_t)d->nb * 3600;
	if ((d->cum = malloc((d->nb + 1) * sizeof(*d->cum))) == NULL ||
	    (d->inc_of = calloc(d->nb, 1)) == NULL)
		return -1;
	w = d->cum + 1;
	for (b = 0; b < d->nb; b++) {
		h = d->start + (int64_t)b * 3600;
		w[b] = diurnal[hour_of(h)] * weekly[dow_of(h)] *
		    (.85 + .3 * (double)b / (double)d->nb) *
		    (.85 + .3 * r_unit(d));
	}
	/* about one incident a fortnight: bursts of three to six times */
	n = 1 + d->nb / (24 * 12);
	if (n > NELEM(d->inc_product))
		n = NELEM(d->inc_product);
	for (i = 0; i < n; i++) {
		double mult = 2.5 + 3.5 * r_unit(d);
		static const int services[] = { 0, 0, 1, 4, 8, 9 };

		d->inc_product[i] = PICK(d, services);
		b = r_below(d, (uint32_t)d->nb);
		len = 2 + r_below(d, 8);
		for (; len > 0 && b < d->nb; len--, b++) {
			if (d->inc_of[b])
				continue;
			d->inc_of[b] = (unsigned char)(i + 1);
			w[b] *= mult;
		}
	}
	d->cum[0] = 0;
	for (b = 0; b < d->nb; b++)
		d->cum[b + 1] = d->cum[b] + w[b];
	for (b = 1; b < d->nb; b++)
		d->cum[b] /= d->cum[d->nb];
	d->cum[d->nb] = 1;
	return 0;
}

static int brand_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= sizeof(((struct cm_demo *)0)->brand))
		return 0;
	for (i = 0; i < n; i++)
		if (!word_char(s[i]))
			return 0;
	return 1;
}

struct cm_demo *cm_demo_new(const struct cm_demo_opts *opts)
{
	struct cm_demo *d;
	uint64_t x, *set;
	uint32_t i;
	int p;

	if (opts == NULL || (opts->brand && !brand_ok(opts->brand))) {
		errno = EINVAL;
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	for (p = 0; p < NPLAT; p++)
		if ((d->pf[p] = cm_platform_find(plats[p].name,
		    strlen(plats[p].name))) == NULL) {
			free(d);
			errno = EINVAL;	/* the registry lost a platform */
			return NULL;
		}
	d->o = *opts;
	scpy(d->brand, sizeof(d->brand), opts->brand ? opts->brand : "acme");
	d->o.brand = d->brand;
	scpy(d->Brand, sizeof(d->Brand), d->brand);
	if (d->Brand[0] >= 'a' && d->Brand[0] <= 'z')
		d->Brand[0] = (char)(d->Brand[0] - 'a' + 'A');
	x = opts->seed;
	for (i = 0; i < 4; i++)
		d->s[i] = splitmix64(&x);
	d->end = opts->end;
	if (make_hours(d) < 0)
		goto fail;
	d->last = d->start;
	d->idshift = d->start >= T2016 && d->end <= T2100 ? 0 :
	    T2016 - d->start;
	cm_time_format(opts->fetched_at, d->fetched);

	if ((d->people = malloc(NPEOPLE * sizeof(*d->people))) == NULL ||
	    (d->bots = malloc(NPEOPLE * sizeof(*d->bots))) == NULL ||
	    (set = calloc(2 * NPEOPLE, sizeof(*set))) == NULL)
		goto fail;
	for (i = 0; i < NPEOPLE; i++) {
		make_person(d, &d->people[i], i, set);
		if (d->people[i].bot)
			d->bots[d->nbots++] = i;
	}
	free(set);
	scpy(d->brandp.handle, sizeof(d->brandp.handle), d->brand);
	scpy(d->brandp.name, sizeof(d->brandp.name), d->Brand);
	d->brandp.key = fnv1a(d->brand);
	d->brandp.brand = 1;
	for (p = 0; p < NPLAT; p++) {
		/* each platform its own order of who posts most */
		d->mul[p] = (uint32_t)(r_u64(d) & (NPEOPLE - 1)) | 1;
		d->add[p] = (uint32_t)(r_u64(d) & (NPEOPLE - 1));
		if (plats[p].account[0]) {
			scpy(d->account[p], sizeof(d->account[p]), d->brand);
			strcat_cap(d->account[p], sizeof(d->account[p]), "-");
			strcat_cap(d->account[p], sizeof(d->account[p]),
			    plats[p].account);
		} else
			scpy(d->account[p], sizeof(d->account[p]),
			    d->pf[p]->name);
	}
	for (i = 0; i < NELEM(d->video); i++) {
		char *v = put_bits(d->video[i], b64url, 6, r_u64(d), 10);

		*v++ = "AEIMQUYcgkosw048"[r_below(d, 16)];
		*v = '\0';
	}
	d->yt_count = r_u64(d);
	d->guild = (1546300800000ULL + r_u64(d) % 31536000000ULL -
	    1420070400000ULL) << 22 | (r_u64(d) & 0x3fffff);
	for (i = 0; i < NELEM(channels); i++)
		d->chan[i] = d->guild + ((uint64_t)(i + 1) << 22) *
		    (1000 + r_below(d, 100000));
	d->cap = 256;
	if ((d->pool = malloc(d->cap * sizeof(*d->pool))) == NULL ||
	    (d->heap = malloc(d->cap * sizeof(*d->heap))) == NULL ||
	    (d->freel = malloc(d->cap * sizeof(*d->freel))) == NULL)
		goto fail;
	return d;
fail:
	cm_demo_free(d);
	errno = ENOMEM;
	return NULL;
}

void cm_demo_free(struct cm_demo *d)
{
	if (d == NULL)
		return;
	free(d->cum);
	free(d->inc_of);
	free(d->people);
	free(d->bots);
	free(d->pool);
	free(d->heap);
	free(d->freel);
	free(d);
}

int cm_demo_next(struct cm_demo *d, struct cm_buf *out)
{
	struct ref e;
	int64_t t;

	if (d->k >= d->o.count)
		return 0;
	t = next_time(d);
	if (d->nheap > 0 && d->pool[d->heap[0]].t <= t) {
		pend_pop(d, &e);
		if (e.action == A_BRAND)
			emit_brand(d, t, &e);
		else
			emit_follow(d, t, &e);
	} else if (r_chance(d, .008))
		gen_brand_post(d, t);
	else
		gen_inbound(d, t);
	if (write_record(d, &d->r, out) < 0)
		return -1;
	d->k++;
	return 1;
}


const char *cm_demo_last_id(const struct cm_demo *d)
{
	return d->r.id;
}

int64_t cm_demo_last_time(const struct cm_demo *d)
{
	return d->r.t;
}
