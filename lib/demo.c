/* demo.c - a seeded generator of realistic cm records, offline */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "timeutil.h"

/*
 * Time: the records span 14 days times the cube root of (count / 1000),
 * so 1000 records are a fortnight and 1,000,000 about 140 days, ending at
 * opts->end.  Record k is placed in slot k of that span (with jitter);
 * a brand reply is due at its inbound record's time plus a lognormal
 * delay and takes the first slot after that.  Pending replies live in a
 * fixed-size min-heap, so memory does not grow with count.
 */

#define MAX_PENDING 4096
#define RING 64

enum platform { P_MASTODON, P_BLUESKY, P_REDDIT, P_X, P_YOUTUBE, P_HN,
	P_DISCORD, P_RSS, NPLATFORMS };
enum intent { I_PRAISE, I_COMPLAINT, I_QUESTION, I_REQUEST, I_SPAM,
	I_SARCASM, I_OTHER, NINTENTS };
enum lang { L_EN, L_ES, L_FR, L_DE, L_PT, L_JA, NLANGS };

static const char *const platform_name[] = { "mastodon", "bluesky", "reddit",
	"x", "youtube", "hn", "discord", "rss" };
static const char *const platform_account[] = { "acme-masto", "acme-bsky",
	"reddit", "acme-x", "acme-yt", "hn", "acme-discord", "rss" };
static const int platform_weight[] = { 20, 18, 15, 15, 12, 5, 8, 7 };
static const int intent_weight[] = { 25, 25, 20, 10, 7, 5, 8 };
static const char *const lang_code[] = { "en", "es", "fr", "de", "pt", "ja" };
/* How likely the brand answers each intent. */
static const double answer_rate[] = { 0.45, 0.85, 0.8, 0.7, 0.0, 0.5, 0.3 };

struct pending {
	int64_t due;
	uint64_t order;		/* ties: first scheduled first */
	enum platform pf;
	enum intent in;
	enum lang lang;
	char id[192];
	char thread[192];
	char handle[48];
	char first[24];
	char account[24];
	char feed[32];
};

struct recent {
	char id[192];
	char thread[192];
};

struct cm_demo {
	struct cm_demo_opts o;
	uint64_t s[4];		/* xoshiro256** */
	uint64_t k;		/* records made */
	uint64_t order;
	int64_t start, span, last_t;
	size_t npending;
	struct pending *heap;
	struct recent ring[NPLATFORMS][RING];
	unsigned nring[NPLATFORMS];
	char brand[48];
	struct cm_buf text, tags, mentions, links;
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next_u64(struct cm_demo *d)
{
	uint64_t r = rotl(d->s[1] * 5, 7) * 9, t = d->s[1] << 17;

	d->s[2] ^= d->s[0];
	d->s[3] ^= d->s[1];
	d->s[1] ^= d->s[2];
	d->s[0] ^= d->s[3];
	d->s[2] ^= t;
	d->s[3] = rotl(d->s[3], 45);
	return r;
}

static double uniform(struct cm_demo *d)
{
	return (double)(next_u64(d) >> 11) * 0x1.0p-53;
}

static unsigned below(struct cm_demo *d, unsigned n)
{
	return (unsigned)(uniform(d) * n);
}

static double normal(struct cm_demo *d)
{
	double u = uniform(d), v = uniform(d);

	return sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

static int weighted(struct cm_demo *d, const int *w, int n)
{
	int total = 0, i, r;

	for (i = 0; i < n; i++)
		total += w[i];
	r = (int)below(d, (unsigned)total);
	for (i = 0; i < n - 1; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

#define PICK(d, a) ((a)[below((d), sizeof(a) / sizeof((a)[0]))])

/* Words and names, all invented for the demo. */
static const char *const first_names[] = { "Ana", "Ben", "Chloe", "Dev",
	"Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lena",
	"Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tomas",
	"Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno",
	"Camille", "Diego", "Elif", "Felix", "Hannah", "Ivan", "Julia",
	"Kofi", "Lucas", "Maya", "Noah", "Olga", "Pablo", "Rin", "Sofia",
	"Theo", "Valentina", "Will", "Yara", "Leon" };
static const char *const last_names[] = { "Alvarez", "Berg", "Costa",
	"Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
	"Kowalski", "Laurent", "Moreau", "Nakamura", "Okafor", "Petrov",
	"Quispe", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber",
	"Yilmaz", "Zhang", "Silva", "Novak", "Brennan", "Lindqvist", "Mendes" };
static const char *const products[] = { "Acme Cloud", "the Acme app",
	"Acme Router", "Acme Drive", "the Acme Router X2", "Acme Mail",
	"the new Acme dashboard", "Acme Pay", "the Acme watch" };
static const char *const product_tags[] = { "acmecloud", "acmeapp",
	"acmerouter", "acmedrive", "acme", "acmemail", "acmepay" };
static const char *const pos_emoji[] = { "\xf0\x9f\x98\x8d", "\xf0\x9f\x8e\x89",
	"\xf0\x9f\x99\x8c", "\xe2\x9d\xa4\xef\xb8\x8f", "\xf0\x9f\x94\xa5",
	"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "\xf0\x9f\x91\x8f\xf0\x9f\x8f\xbe",
	"\xf0\x9f\x98\x8a", "\xf0\x9f\x92\xaf", "\xe2\x9c\xa8" };
static const char *const neg_emoji[] = { "\xf0\x9f\x98\xa1",
	"\xf0\x9f\x98\xa4", "\xf0\x9f\x91\x8e", "\xf0\x9f\x98\x9e",
	"\xf0\x9f\xa4\xac", "\xf0\x9f\x99\x84", "\xf0\x9f\x98\xa9",
	"\xf0\x9f\x92\x80" };
static const char *const neutral_emoji[] = { "\xf0\x9f\xa4\x94",
	"\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", "\xf0\x9f\x91\x80",
	"\xf0\x9f\x99\x8f", "\xf0\x9f\x93\xa6" };

static const char *const praise_en[] = {
	"Honestly {P} is the best thing I've installed this year {E+}",
	"Shoutout to {@} support, fixed my issue in 10 minutes. Impressed!",
	"{P} just works. Love it {E+}",
	"Not bad at all, {P} is way faster than the old version",
	"ngl {P} is sooo good {E+}{E+}",
	"Switched from a competitor to {P} last month and never looking back",
	"THANK YOU {@} for the quick refund, great service!!!",
	"The update to {P} is really smooth, nice work team {E+}",
	"tbh I didn't expect much but {P} is the bomb",
	"Five stars for {P}. Setup took two minutes.",
	"Big fan of the new dark mode in {P} {E+} {#}",
	"{@} you folks rock, the outage was handled really well",
	"My whole team moved to {P}, everyone is happy with it lol",
	"Kind of love how simple {P} is now",
};
static const char *const complaint_en[] = {
	"{P} has been down for 3 hours and nobody at {@} says anything {E-}",
	"Still waiting for my refund after three weeks. This is ridiculous {@}",
	"{P} keeps crashing every time I open it. Fix it please {E-}",
	"WORST customer service ever. I want to cancel my subscription NOW",
	"I was charged twice for {P} this month. {@} what is going on?!",
	"{P} is broken again after the update smh",
	"Never buying from {@} again. The router died after 2 weeks {E-}",
	"My order is late again, tracking hasn't moved in 6 days",
	"{@} your app logged me out and deleted my settings. Not happy.",
	"The new pricing for {P} is a joke. Cancelling.",
	"Can't log in to {P}, error 502 all morning {E-} {#}",
	"Support closed my ticket without fixing anything. Terrible.",
	"{P} is so slow today it's unusable",
	"I've contacted {@} four times about this billing error and still no answer",
	"Data loss after sync in {P}. This is a serious problem, considering legal action",
};
static const char *const question_en[] = {
	"{@} how do I export my data from {P}?",
	"Does {P} work with Linux? Asking before I buy {E?}",
	"When is the next update for {P} coming out?",
	"Is there a student discount for {P}?",
	"{@} why does {P} need access to my contacts?",
	"Anyone know if {P} supports two-factor login?",
	"Where can I find the invoice for my {P} order?",
	"Hey {@}, is {P} down right now or is it just me?",
	"What's the difference between the free and pro plan of {P}?",
	"Can I move my account to another email address? {@}",
	"How long does shipping to Canada take for {P}?",
};
static const char *const request_en[] = {
	"{@} please add a dark mode to {P}",
	"Would love an offline mode in {P}, pretty please {E?}",
	"Can you add CSV export to {P}? Would save me hours",
	"Feature request: keyboard shortcuts in {P} {#}",
	"{@} please bring back the old layout option",
	"Could you make {P} available in Portuguese?",
	"Please let us pay yearly for {P}, monthly billing is annoying",
	"{@} can you DM me about my order? I need to change the address",
};
static const char *const spam_en[] = {
	"\xf0\x9f\x9a\x80 FREE crypto giveaway!!! Send 0.1 ETH get 1 ETH back {L} {L} {L}",
	"Make $5000 a week from home!!! Click here {L} {L}",
	"{@} {@} {@} check my profile for FREE followers {L}",
	"WIN a free {P}!!! Just follow and retweet {L} {L} {L} {L}",
	"Earn passive income with our bot \xf0\x9f\x92\xb0\xf0\x9f\x92\xb0 {L} {L}",
	"DM me for cheap {P} licenses, 90% off {L} {L} {L}",
};
static const char *const sarcasm_en[] = {
	"Great, another outage. Love that for me {E-}",
	"Wow {@}, waiting 3 weeks for a refund is such a fantastic experience \xf0\x9f\x99\x84",
	"Oh perfect, {P} updated and now nothing works. Brilliant.",
	"Thanks {@} for deleting all my settings, exactly what I wanted lol",
	"Nothing says premium like {P} crashing twice a day",
	"Love how {P} needs a restart every hour. Such innovation.",
};
static const char *const other_en[] = {
	"Just saw the {P} ad on TV",
	"Writing a blog post comparing {P} with two alternatives {L}",
	"{P} announcement today at 5pm? {#}",
	"My cat sat on the {P} box all day {E?}",
	"Anyone going to the {@} meetup in Berlin next week?",
	"Unboxing {P} later on stream {L}",
	"Reading the {@} changelog over coffee",
};
static const char *const *const templates_en[] = { praise_en, complaint_en,
	question_en, request_en, spam_en, sarcasm_en, other_en };
static const size_t ntemplates_en[] = {
	sizeof(praise_en) / sizeof(praise_en[0]),
	sizeof(complaint_en) / sizeof(complaint_en[0]),
	sizeof(question_en) / sizeof(question_en[0]),
	sizeof(request_en) / sizeof(request_en[0]),
	sizeof(spam_en) / sizeof(spam_en[0]),
	sizeof(sarcasm_en) / sizeof(sarcasm_en[0]),
	sizeof(other_en) / sizeof(other_en[0]),
};

/* Other languages: one line per intent (praise, complaint, question,
 * request, and a neutral one for the rest). */
static const char *const foreign[NLANGS][5] = {
	[L_ES] = { "Me encanta {P}, funciona genial {E+}",
	    "{P} no funciona desde ayer y nadie responde {E-}",
	    "{@} \xc2\xbf" "c\xc3\xb3mo cambio mi contrase\xc3\xb1" "a?",
	    "Por favor a\xc3\xb1" "adan modo oscuro a {P}",
	    "Hoy probando {P}" },
	[L_FR] = { "Franchement {P} est excellent {E+}",
	    "{P} est encore en panne, c'est inadmissible {E-}",
	    "{@} comment exporter mes donn\xc3\xa9" "es ?",
	    "Merci d'ajouter le mode hors ligne \xc3\xa0 {P}",
	    "Je teste {P} ce soir" },
	[L_DE] = { "{P} ist wirklich super, danke {@} {E+}",
	    "Seit drei Tagen warte ich auf meine Erstattung {E-}",
	    "{@} wann kommt das n\xc3\xa4" "chste Update f\xc3\xbc" "r {P}?",
	    "Bitte einen Export als CSV in {P} einbauen",
	    "Neues Video \xc3\xbc" "ber {P} ist online" },
	[L_PT] = { "Adorei o {P}, muito r\xc3\xa1pido {E+}",
	    "Meu pedido atrasou de novo, p\xc3\xa9ssimo atendimento {E-}",
	    "{@} como fa\xc3\xa7o para cancelar?",
	    "Por favor lancem {P} em portugu\xc3\xaas",
	    "Testando o {P} hoje" },
	[L_JA] = { "{P}\xe6\x9c\x80\xe9\xab\x98\xe3\x81\xa7\xe3\x81\x99\xef\xbc\x81 {E+}",
	    "{P}\xe3\x81\x8c\xe5\x8b\x95\xe3\x81\x8b\xe3\x81\xaa\xe3\x81\x84\xe2\x80\xa6 {E-}",
	    "{@} \xe8\xbf\x94\xe9\x87\x91\xe3\x81\xaf\xe3\x81\x84\xe3\x81\xa4\xe3\x81\xa7\xe3\x81\x99\xe3\x81\x8b\xef\xbc\x9f",
	    "{P}\xe3\x81\xab\xe3\x83\x80\xe3\x83\xbc\xe3\x82\xaf\xe3\x83\xa2\xe3\x83\xbc\xe3\x83\x89\xe3\x82\x92\xe8\xbf\xbd\xe5\x8a\xa0\xe3\x81\x97\xe3\x81\xa6\xe3\x81\xbb\xe3\x81\x97\xe3\x81\x84",
	    "{P}\xe3\x82\x92\xe8\xa9\xa6\xe3\x81\x97\xe3\x81\xa6\xe3\x81\xbf\xe3\x81\x9f" },
};

static const char *const reply_en[NINTENTS][3] = {
	[I_PRAISE] = { "Thank you so much, {N}! We'll pass this on to the team {E+}",
	    "This made our day, {N}. Thanks for being with us!",
	    "Glad it helps, {N}! Tell us if there's anything we can do better." },
	[I_COMPLAINT] = { "Hi {N}, we're sorry about this. Could you DM us your order number so we can look into it right away?",
	    "Sorry for the trouble, {N}. Our team is on it; updates at status.acme.example.",
	    "{N}, that's not the experience we want you to have. We've escalated this and will get back to you today." },
	[I_QUESTION] = { "Hi {N}! You'll find it under Settings > Account. Happy to help if you get stuck.",
	    "Good question, {N}: yes, it does. Details here: https://help.acme.example/faq",
	    "Hi {N}, we've sent you a DM with the details." },
	[I_REQUEST] = { "Thanks for the idea, {N}! We've added it to our feature requests.",
	    "Hi {N}, great suggestion. It's on our roadmap for next quarter.",
	    "Noted, {N}! Could you tell us a bit more about how you'd use it?" },
	[I_SARCASM] = { "We hear you, {N}, and we're sorry. Could you DM us so we can make this right?",
	    "Fair point, {N}. This shouldn't happen; the team is looking into it now." },
	[I_OTHER] = { "Thanks for the mention, {N}!", "Hope you enjoy it, {N}!" },
};
static const char *const reply_foreign[NLANGS] = {
	[L_ES] = "\xc2\xa1Gracias, {N}! Te escribimos por mensaje directo.",
	[L_FR] = "Merci {N} ! Nous vous contactons en message priv\xc3\xa9.",
	[L_DE] = "Danke, {N}! Wir melden uns per Direktnachricht.",
	[L_PT] = "Obrigado, {N}! Enviamos uma mensagem direta.",
	[L_JA] = "{N}\xe3\x81\x95\xe3\x82\x93\xe3\x80\x81\xe3\x81\x82\xe3\x82\x8a\xe3\x81\x8c\xe3\x81\xa8\xe3\x81\x86\xe3\x81\x94\xe3\x81\x96\xe3\x81\x84\xe3\x81\xbe\xe3\x81\x99\xe3\x80\x82" "DM\xe3\x81\xa7\xe3\x81\x94\xe9\x80\xa3\xe7\xb5\xa1\xe3\x81\x97\xe3\x81\xbe\xe3\x81\x99\xe3\x80\x82",
};
static const char *const own_posts[] = {
	"We're rolling out {P} 4.2 today: faster sync and a new dark mode {E+}",
	"Scheduled maintenance tonight 01:00-02:00 UTC. {P} may be briefly unavailable.",
	"We know some of you can't log in right now. We're on it and will update here.",
	"Big thanks to everyone who joined our community call yesterday {E+}",
	"Tip: you can export your data from {P} under Settings > Privacy.",
};

static const char *const spam_domains[] = { "free-eth.example", "bit.example",
	"promo-deals.example", "win-big.example" };
static const char *const link_domains[] = { "blog.example.org",
	"techreview.example.com", "youtu.example", "news.example.net" };

/* Fixed-width and plain integer formatting without printf. */
static void add_u64(struct cm_buf *b, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	cm_buf_reserve(b, (size_t)n);
	while (n > 0)
		b->data[b->len++] = tmp[--n];
	b->data[b->len] = '\0';
}

static void add_base(struct cm_buf *b, uint64_t v, const char *digits,
    unsigned base, int width)
{
	char tmp[72];
	int n = 0;

	do
		tmp[n++] = digits[v % base];
	while ((v /= base) != 0 || n < width);
	cm_buf_reserve(b, (size_t)n);
	while (n > 0)
		b->data[b->len++] = tmp[--n];
	b->data[b->len] = '\0';
}

static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char b32s[] = "234567abcdefghijklmnopqrstuvwxyz";
static const char b64u[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#define ADD(b, lit) cm_buf_add((b), (lit), sizeof(lit) - 1)

struct author {
	uint64_t n;		/* pool index */
	char handle[48];
	char first[24];
	char name[64];
	int64_t followers;	/* -1: the platform has none */
	int verified;		/* -1: the platform has none */
	int is_brand;
};

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Author n of the pool: the same person on every call. */
static void make_author(struct author *a, uint64_t n, enum platform pf)
{
	uint64_t h = mix(n * 31 + 7);
	const char *f = first_names[h % (sizeof(first_names) /
	    sizeof(first_names[0]))];
	const char *l = last_names[(h >> 16) % (sizeof(last_names) /
	    sizeof(last_names[0]))];
	double u = ((double)((h >> 24) & 0xffffff) + 1) / 16777217.0;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->n = n;
	snprintf(a->first, sizeof(a->first), "%s", f);
	snprintf(a->name, sizeof(a->name), "%s %s", f, l);
	switch ((h >> 48) % 3) {
	case 0:
		snprintf(a->handle, sizeof(a->handle), "%s%s%u", f, l,
		    (unsigned)(n % 100));
		break;
	case 1:
		snprintf(a->handle, sizeof(a->handle), "%s_%s", f, l);
		break;
	default:
		snprintf(a->handle, sizeof(a->handle), "%.1s%s%u", f, l,
		    (unsigned)(n % 1000));
		break;
	}
	for (i = 0; a->handle[i]; i++)
		if (a->handle[i] >= 'A' && a->handle[i] <= 'Z')
			a->handle[i] = (char)(a->handle[i] + 32);
	/* Pareto, alpha 0.9: median near 60, a long tail into millions. */
	a->followers = (int64_t)(35.0 / pow(u, 1.0 / 0.9));
	if (a->followers > 5000000)
		a->followers = 5000000 - (int64_t)(h % 1000);
	a->verified = a->followers > 100000 ? (int)(h >> 60 & 1) :
	    (h >> 52) % 100 == 0;
	if (pf == P_HN || pf == P_RSS) {
		a->followers = -1;
		a->verified = -1;
	}
	if (pf == P_DISCORD)
		a->verified = -1;
}

static void add_int_or_null(struct cm_buf *b, int64_t v)
{
	if (v < 0)
		ADD(b, "null");
	else
		add_u64(b, (uint64_t)v);
}

/* Appends a string array item (with a comma when not the first). */
static void list_add(struct cm_buf *list, const char *s, size_t n)
{
	if (list->len)
		cm_buf_addc(list, ',');
	cm_buf_add_json_string(list, s, n);
}

/*
 * Expands a template into d->text, filling d->tags, mentions and links:
 * {P} a product, {@} the brand mention, {#} a hashtag, {L} a link,
 * {E+} {E-} {E?} emoji, {N} the person answered.
 */
static void expand(struct cm_demo *d, const char *t, const char *who,
    enum platform pf)
{
	const char *p;
	int at = pf != P_HN && pf != P_RSS;

	for (p = t; *p; p++) {
		if (*p != '{') {
			cm_buf_addc(&d->text, *p);
			continue;
		}
		if (strncmp(p, "{P}", 3) == 0) {
			cm_buf_adds(&d->text, PICK(d, products));
			p += 2;
		} else if (strncmp(p, "{@}", 3) == 0) {
			if (at) {
				cm_buf_addc(&d->text, '@');
				cm_buf_adds(&d->text, d->brand);
				if (strstr(d->mentions.data ? d->mentions.data :
				    "", d->brand) == NULL)
					list_add(&d->mentions, d->brand,
					    strlen(d->brand));
			} else {
				cm_buf_adds(&d->text, "Acme");
			}
			p += 2;
		} else if (strncmp(p, "{#}", 3) == 0) {
			const char *tag = PICK(d, product_tags);

			cm_buf_addc(&d->text, '#');
			cm_buf_adds(&d->text, tag);
			list_add(&d->tags, tag, strlen(tag));
			p += 2;
		} else if (strncmp(p, "{L}", 3) == 0) {
			size_t start = d->text.len;
			int spam = t[0] != '{' && strstr(t, "FREE") != NULL;

			ADD(&d->text, "https://");
			cm_buf_adds(&d->text, spam || strstr(t, "$") ?
			    PICK(d, spam_domains) : PICK(d, link_domains));
			cm_buf_addc(&d->text, '/');
			add_base(&d->text, next_u64(d) & 0xffffffff, b36, 36, 6);
			list_add(&d->links, d->text.data + start,
			    d->text.len - start);
			p += 2;
		} else if (strncmp(p, "{E+}", 4) == 0) {
			cm_buf_adds(&d->text, PICK(d, pos_emoji));
			p += 3;
		} else if (strncmp(p, "{E-}", 4) == 0) {
			cm_buf_adds(&d->text, PICK(d, neg_emoji));
			p += 3;
		} else if (strncmp(p, "{E?}", 4) == 0) {
			cm_buf_adds(&d->text, PICK(d, neutral_emoji));
			p += 3;
		} else if (strncmp(p, "{N}", 3) == 0) {
			if (at)
				cm_buf_addc(&d->text, '@');
			cm_buf_adds(&d->text, who);
			if (at)
				list_add(&d->mentions, who, strlen(who));
			p += 2;
		} else {
			cm_buf_addc(&d->text, *p);
		}
	}
}

/* Writes a native id for platform pf into b, unique through seq. */
static void native_id(struct cm_demo *d, struct cm_buf *b, enum platform pf,
    int64_t t, uint64_t seq, const struct author *a)
{
	uint64_t ms = (uint64_t)t * 1000 + (next_u64(d) % 1000);

	switch (pf) {
	case P_MASTODON:
		ADD(b, "mastodon.social:");
		add_u64(b, ms << 16 | (seq & 0xffff));
		break;
	case P_BLUESKY: {
		uint64_t h = mix(a->n * 131 + 3), us, tid;
		int i;

		ADD(b, "at://did:plc:");
		for (i = 0; i < 24; i++) {
			cm_buf_addc(b, b32s[h & 31]);
			h = i % 12 == 11 ? mix(h) : h >> 5;
		}
		ADD(b, "/app.bsky.feed.post/");
		us = (uint64_t)t * 1000000 + seq % 1000000;
		tid = (us << 10 | ((seq / 1000000) & 1023)) & 0x7fffffffffffffffULL;
		add_base(b, tid, b32s, 32, 13);
		break;
	}
	case P_REDDIT:
		ADD(b, "t1_");
		add_base(b, 0x2a000000ULL + seq * 3 + next_u64(d) % 3, b36, 36, 7);
		break;
	case P_X:
		add_u64(b, (ms - 1288834974657ULL) << 22 | (seq & 0x3fffff));
		break;
	case P_YOUTUBE: {
		int i;

		ADD(b, "Ugz");
		add_base(b, seq, b64u, 64, 5);
		for (i = 0; i < 15; i++)
			cm_buf_addc(b, b64u[next_u64(d) & 63]);
		ADD(b, "4AaABAg");
		break;
	}
	case P_HN:
		add_u64(b, 42000000 + seq * 2 + next_u64(d) % 2);
		break;
	case P_DISCORD:
		add_u64(b, (ms - 1420070400000ULL) << 22 | (seq & 0x3fffff));
		break;
	default:
		ADD(b, "https://blog.example.org/2026/acme-review#comment-");
		add_u64(b, seq);
		break;
	}
}

static void add_url(struct cm_buf *b, enum platform pf, const char *native,
    const struct author *a)
{
	const char *slash;

	switch (pf) {
	case P_MASTODON:
		ADD(b, "https://mastodon.social/@");
		cm_buf_adds(b, a->handle);
		cm_buf_addc(b, '/');
		cm_buf_adds(b, native + strlen("mastodon.social:"));
		break;
	case P_BLUESKY:
		ADD(b, "https://bsky.app/profile/");
		cm_buf_adds(b, a->handle);
		ADD(b, ".bsky.social/post/");
		slash = strrchr(native, '/');
		cm_buf_adds(b, slash ? slash + 1 : native);
		break;
	case P_REDDIT:
		ADD(b, "https://www.reddit.com/r/acme/comments/1g");
		cm_buf_add(b, native + 3, 4);
		ADD(b, "/comment/");
		cm_buf_adds(b, native + 3);
		cm_buf_addc(b, '/');
		break;
	case P_X:
		ADD(b, "https://x.com/");
		cm_buf_adds(b, a->handle);
		ADD(b, "/status/");
		cm_buf_adds(b, native);
		break;
	case P_YOUTUBE:
		ADD(b, "https://www.youtube.com/watch?v=aCm3Dem0vid&lc=");
		cm_buf_adds(b, native);
		break;
	case P_HN:
		ADD(b, "https://news.ycombinator.com/item?id=");
		cm_buf_adds(b, native);
		break;
	case P_DISCORD:
		ADD(b, "https://discord.com/channels/1100000000000000001/1100000000000000002/");
		cm_buf_adds(b, native);
		break;
	default:
		cm_buf_adds(b, native);
		break;
	}
}

static void add_author_url(struct cm_buf *b, enum platform pf,
    const struct author *a)
{
	static const char *const base[] = { "https://mastodon.social/@",
		"https://bsky.app/profile/", "https://www.reddit.com/user/",
		"https://x.com/", "https://www.youtube.com/@",
		"https://news.ycombinator.com/user?id=",
		"https://discord.com/users/", "https://blog.example.org/author/" };

	cm_buf_adds(b, base[pf]);
	cm_buf_adds(b, a->handle);
	if (pf == P_BLUESKY)
		ADD(b, ".bsky.social");
}

static void heap_push(struct cm_demo *d, const struct pending *p)
{
	size_t i = d->npending++, parent;

	d->heap[i] = *p;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (d->heap[parent].due < d->heap[i].due ||
		    (d->heap[parent].due == d->heap[i].due &&
		    d->heap[parent].order < d->heap[i].order))
			break;
		struct pending tmp = d->heap[parent];
		d->heap[parent] = d->heap[i];
		d->heap[i] = tmp;
		i = parent;
	}
}

static void heap_pop(struct cm_demo *d, struct pending *out)
{
	size_t i = 0, l, r, m;

	*out = d->heap[0];
	d->heap[0] = d->heap[--d->npending];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < d->npending && (d->heap[l].due < d->heap[m].due ||
		    (d->heap[l].due == d->heap[m].due &&
		    d->heap[l].order < d->heap[m].order)))
			m = l;
		if (r < d->npending && (d->heap[r].due < d->heap[m].due ||
		    (d->heap[r].due == d->heap[m].due &&
		    d->heap[r].order < d->heap[m].order)))
			m = r;
		if (m == i)
			break;
		struct pending tmp = d->heap[m];
		d->heap[m] = d->heap[i];
		d->heap[i] = tmp;
		i = m;
	}
}

struct cm_demo *cm_demo_new(const struct cm_demo_opts *opts)
{
	struct cm_demo *d;
	uint64_t x;
	int i;
	double scale;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->heap = calloc(MAX_PENDING, sizeof(*d->heap))) == NULL) {
		free(d);
		return NULL;
	}
	d->o = *opts;
	snprintf(d->brand, sizeof(d->brand), "%s",
	    opts->brand && *opts->brand ? opts->brand : "acme");
	x = opts->seed;
	for (i = 0; i < 4; i++)	/* splitmix64 seeding */
		d->s[i] = mix(x += 0x9e3779b97f4a7c15ULL);
	scale = cbrt((double)(opts->count ? opts->count : 1) / 1000.0);
	d->span = (int64_t)(14.0 * 86400.0 * scale);
	if (d->span < 3600)
		d->span = 3600;
	d->start = opts->end - d->span;
	d->last_t = d->start;
	return d;
}

void cm_demo_free(struct cm_demo *d)
{
	if (d == NULL)
		return;
	cm_buf_free(&d->text);
	cm_buf_free(&d->tags);
	cm_buf_free(&d->mentions);
	cm_buf_free(&d->links);
	free(d->heap);
	free(d);
}

static void reset_lists(struct cm_demo *d)
{
	cm_buf_reset(&d->text);
	cm_buf_reset(&d->tags);
	cm_buf_reset(&d->mentions);
	cm_buf_reset(&d->links);
}

/* Emits the whole record from its parts. */
static void emit(struct cm_demo *d, struct cm_buf *out, enum platform pf,
    const char *kind, const char *reason, int64_t t, const char *native,
    const struct author *a, enum lang lang, const char *in_reply_to,
    const char *thread, const char *account, const char *feed,
    int64_t likes, int64_t reposts, int64_t replies, int64_t quotes)
{
	char stamp[21];

	ADD(out, "{\"id\":\"");
	cm_buf_adds(out, platform_name[pf]);
	cm_buf_addc(out, ':');
	cm_buf_adds(out, native);
	ADD(out, "\",\"platform\":\"");
	cm_buf_adds(out, platform_name[pf]);
	ADD(out, "\",\"kind\":\"");
	cm_buf_adds(out, kind);
	ADD(out, "\",\"reason\":\"");
	cm_buf_adds(out, reason);
	ADD(out, "\",\"created_at\":\"");
	cm_time_format(t, stamp);
	cm_buf_add(out, stamp, 20);
	ADD(out, "\",\"url\":\"");
	add_url(out, pf, native, a);
	ADD(out, "\",\"author\":{\"id\":\"");
	cm_buf_adds(out, platform_name[pf]);
	ADD(out, ":u");
	add_u64(out, a->is_brand ? 1000 : mix(a->n) % 100000000000ULL);
	ADD(out, "\",\"handle\":");
	cm_buf_add_json_string(out, a->handle, strlen(a->handle));
	ADD(out, ",\"name\":");
	cm_buf_add_json_string(out, a->name, strlen(a->name));
	ADD(out, ",\"url\":\"");
	add_author_url(out, pf, a);
	ADD(out, "\",\"followers\":");
	add_int_or_null(out, a->followers);
	ADD(out, ",\"verified\":");
	if (a->verified < 0)
		ADD(out, "null");
	else if (a->verified)
		ADD(out, "true");
	else
		ADD(out, "false");
	ADD(out, ",\"is_brand\":");
	if (a->is_brand)
		ADD(out, "true");
	else
		ADD(out, "false");
	ADD(out, "},\"text\":");
	cm_buf_add_json_string(out, d->text.data ? d->text.data : "",
	    d->text.len);
	ADD(out, ",\"lang\":\"");
	cm_buf_adds(out, lang_code[lang]);
	ADD(out, "\",\"in_reply_to\":");
	if (in_reply_to) {
		cm_buf_add_json_string(out, in_reply_to, strlen(in_reply_to));
	} else {
		ADD(out, "null");
	}
	ADD(out, ",\"thread\":");
	if (thread)
		cm_buf_add_json_string(out, thread, strlen(thread));
	else
		ADD(out, "null");
	ADD(out, ",\"tags\":[");
	cm_buf_add(out, d->tags.data, d->tags.len);
	ADD(out, "],\"mentions\":[");
	cm_buf_add(out, d->mentions.data, d->mentions.len);
	ADD(out, "],\"links\":[");
	cm_buf_add(out, d->links.data, d->links.len);
	ADD(out, "],\"metrics\":{\"likes\":");
	add_int_or_null(out, likes);
	ADD(out, ",\"reposts\":");
	add_int_or_null(out, reposts);
	ADD(out, ",\"replies\":");
	add_int_or_null(out, replies);
	ADD(out, ",\"quotes\":");
	add_int_or_null(out, quotes);
	ADD(out, "},\"source\":{\"account\":\"");
	cm_buf_adds(out, account);
	ADD(out, "\",\"feed\":\"");
	cm_buf_adds(out, feed);
	ADD(out, "\",\"fetched_at\":\"");
	cm_time_format(d->o.fetched_at, stamp);
	cm_buf_add(out, stamp, 20);
	ADD(out, "\"}}");
}

static void brand_author(struct cm_demo *d, struct author *a, enum platform pf)
{
	memset(a, 0, sizeof(*a));
	a->n = 0;
	snprintf(a->handle, sizeof(a->handle), "%s", d->brand);
	snprintf(a->name, sizeof(a->name), "Acme Support");
	a->followers = pf == P_HN || pf == P_RSS ? -1 : 48210;
	a->verified = pf == P_HN || pf == P_RSS || pf == P_DISCORD ? -1 : 1;
	a->is_brand = 1;
}

static const char *feed_of(enum platform pf, const char **reason,
    const char **kind, struct cm_demo *d)
{
	unsigned r = below(d, 100);

	switch (pf) {
	case P_MASTODON:
	case P_BLUESKY:
	case P_X:
		if (r < 60) {
			*reason = "mention";
			*kind = r < 40 ? "post" : "reply";
			return "mentions";
		}
		if (r < 75) {
			*reason = "quote";
			*kind = "post";
			return "mentions";
		}
		if (r < 90) {
			*reason = "search";
			*kind = "post";
			return "search:acme";
		}
		*reason = "tag";
		*kind = "post";
		return "tag:acme";
	case P_REDDIT:
		*kind = r < 80 ? "comment" : "post";
		*reason = r < 50 ? "search" : "mention";
		return r < 50 ? "search:acme" : "sub:acme";
	case P_YOUTUBE:
		*kind = "comment";
		*reason = "channel";
		return "channel:UCacme0demo";
	case P_HN:
		*kind = "comment";
		*reason = "search";
		return "search:acme";
	case P_DISCORD:
		*kind = "message";
		*reason = r < 70 ? "channel" : "mention";
		return "channel:support";
	default:
		*kind = "comment";
		*reason = "search";
		return "search:acme";
	}
}

static void remember(struct cm_demo *d, enum platform pf, const char *id,
    const char *thread)
{
	struct recent *r = &d->ring[pf][d->nring[pf]++ % RING];

	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->thread, sizeof(r->thread), "%s", thread ? thread : id);
}

static int64_t metric(struct cm_demo *d, int64_t followers, double f)
{
	double base = followers > 0 ? sqrt((double)followers) : 3.0;

	return (int64_t)(base * f * uniform(d) * uniform(d));
}

/* An inbound record, or now and then one of the brand's own posts. */
static void make_inbound(struct cm_demo *d, struct cm_buf *out, int64_t t)
{
	enum platform pf = (enum platform)weighted(d, platform_weight,
	    NPLATFORMS);
	enum intent in = (enum intent)weighted(d, intent_weight, NINTENTS);
	enum lang lang = L_EN;
	const char *reason, *kind, *feed, *tmpl, *reply_to = NULL,
	    *thread = NULL;
	struct cm_buf native = CM_BUF_INIT, id = CM_BUF_INIT;
	struct author a;
	struct recent parent;
	unsigned r = below(d, 1000);
	int own = below(d, 100) < 2;
	uint64_t n;

	reset_lists(d);
	feed = feed_of(pf, &reason, &kind, d);
	if (own) {
		brand_author(d, &a, pf);
		kind = "post";
		reason = "own";
		feed = "own";
		expand(d, PICK(d, own_posts), NULL, pf);
	} else {
		/* Lower pool indices come up more: the community's regulars. */
		double u = uniform(d);

		n = (uint64_t)(u * u * 6000.0);
		make_author(&a, n, pf);
		if (in != I_SPAM && r < 150)
			lang = (enum lang)(1 + r % (NLANGS - 1));
		if (lang != L_EN) {
			int slot = in <= I_REQUEST ? (int)in : 4;

			tmpl = foreign[lang][slot];
		} else {
			tmpl = templates_en[in][below(d,
			    (unsigned)ntemplates_en[in])];
		}
		expand(d, tmpl, NULL, pf);
		if (d->text.len && d->text.data[0] >= 'a' &&
		    d->text.data[0] <= 'z')
			d->text.data[0] = (char)(d->text.data[0] - 32);
		/* Some replies answer other people or the brand's posts. */
		if (d->nring[pf] > 0 && (strcmp(kind, "reply") == 0 ||
		    strcmp(kind, "comment") == 0) && below(d, 100) < 35) {
			unsigned have = d->nring[pf] < RING ? d->nring[pf] : RING;

			parent = d->ring[pf][below(d, have)];
			reply_to = parent.id;
			thread = parent.thread;
			if (strcmp(kind, "post") == 0)
				kind = "reply";
		}
	}
	native_id(d, &native, pf, t, d->k, &a);
	cm_buf_adds(&id, platform_name[pf]);
	cm_buf_addc(&id, ':');
	cm_buf_add(&id, native.data, native.len);
	emit(d, out, pf, kind, reason, t, native.data, &a, lang, reply_to,
	    thread, platform_account[pf], feed,
	    pf == P_HN || pf == P_RSS ? -1 : metric(d, a.followers, 0.8),
	    pf == P_HN || pf == P_RSS || pf == P_DISCORD || pf == P_YOUTUBE ?
	    -1 : metric(d, a.followers, 0.15),
	    pf == P_RSS ? -1 : (int64_t)below(d, 4) * (below(d, 3) == 0),
	    pf == P_MASTODON || pf == P_BLUESKY || pf == P_X ?
	    metric(d, a.followers, 0.03) : -1);
	if (!own && in != I_SPAM)
		remember(d, pf, id.data, thread);
	if (own)
		remember(d, pf, id.data, NULL);
	/* Schedule the brand's answer. */
	if (!own && uniform(d) < answer_rate[in] && d->npending < MAX_PENDING) {
		struct pending p;
		double hours = exp(log(2.0) + 1.3 * normal(d));

		if (in == I_COMPLAINT)
			hours *= 0.7;
		if (hours > 24 * 6)
			hours = 24 * 6 * uniform(d) + 1;
		memset(&p, 0, sizeof(p));
		p.due = t + 60 + (int64_t)(hours * 3600.0);
		p.order = d->order++;
		p.pf = pf;
		p.in = in;
		p.lang = lang;
		snprintf(p.id, sizeof(p.id), "%s", id.data);
		snprintf(p.thread, sizeof(p.thread), "%s",
		    thread ? thread : id.data);
		snprintf(p.handle, sizeof(p.handle), "%s", a.handle);
		snprintf(p.first, sizeof(p.first), "%s", a.first);
		snprintf(p.account, sizeof(p.account), "%s",
		    platform_account[pf]);
		snprintf(p.feed, sizeof(p.feed), "%s", "own");
		heap_push(d, &p);
	}
	cm_buf_free(&native);
	cm_buf_free(&id);
}

static void make_reply(struct cm_demo *d, struct cm_buf *out,
    const struct pending *p, int64_t t)
{
	struct cm_buf native = CM_BUF_INIT;
	struct author a;
	const char *tmpl;
	const char *who = p->pf == P_HN || p->pf == P_RSS ? p->first : p->handle;

	reset_lists(d);
	brand_author(d, &a, p->pf);
	if (p->lang != L_EN)
		tmpl = reply_foreign[p->lang];
	else if (p->in == I_SARCASM || p->in == I_OTHER)
		tmpl = reply_en[p->in][below(d, 2)];
	else
		tmpl = reply_en[p->in][below(d, 3)];
	expand(d, tmpl, who, p->pf);
	native_id(d, &native, p->pf, t, d->k, &a);
	emit(d, out, p->pf, p->pf == P_DISCORD ? "message" : "reply", "own",
	    t, native.data, &a, p->lang, p->id, p->thread, p->account, p->feed,
	    p->pf == P_HN || p->pf == P_RSS ? -1 : (int64_t)below(d, 6),
	    p->pf == P_HN || p->pf == P_RSS || p->pf == P_DISCORD ||
	    p->pf == P_YOUTUBE ? -1 : 0,
	    p->pf == P_RSS ? -1 : 0,
	    p->pf == P_MASTODON || p->pf == P_BLUESKY || p->pf == P_X ? 0 : -1);
	cm_buf_free(&native);
}

int cm_demo_next(struct cm_demo *d, struct cm_buf *out)
{
	struct pending p;
	int64_t slot, t;
	size_t before = out->len;

	if (d->k >= d->o.count)
		return 0;
	slot = d->start + (int64_t)(((double)d->k + uniform(d)) /
	    (double)d->o.count * (double)d->span) + 1;
	if (slot > d->o.end)
		slot = d->o.end;
	if (d->npending > 0 && d->heap[0].due <= slot) {
		heap_pop(d, &p);
		t = p.due > d->last_t ? p.due : d->last_t;
		make_reply(d, out, &p, t);
	} else {
		t = slot > d->last_t ? slot : d->last_t;
		make_inbound(d, out, t);
	}
	d->last_t = t;
	d->k++;
	/* Any allocation failure along the way shows as a short record. */
	if (out->data == NULL || out->len == before ||
	    out->data[out->len - 1] != '}')
		return -1;
	return 1;
}
