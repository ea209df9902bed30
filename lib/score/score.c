/* score.c - intent, urgency, influence, priority and why for cm-score */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "lang.h"
#include "score.h"
#include "sentiment.h"

/*
 * The cues: words and short phrases (any negation word matches "not"),
 * each with a role.  The rules that use them are in cm-score(1).
 */
enum role { R_COMPLAINT, R_REQUEST, R_PRAISE, R_SPAM, R_URGENT, R_QSTART };

enum urgency_cat { U_SAFETY, U_LEGAL, U_SECURITY, U_OUTAGE, U_MONEY, U_TIME,
	U_REPEAT, U_NCAT };

static const struct {
	const char *name;
	double weight;
} urgency_cats[U_NCAT] = {
	{ "safety", 0.6 },
	{ "legal", 0.5 },
	{ "security", 0.5 },
	{ "outage", 0.4 },
	{ "money", 0.35 },
	{ "time", 0.3 },
	{ "repeated contact", 0.3 },
};

struct cue {
	const char *text;
	unsigned char role;
	unsigned char cat;	/* R_URGENT: enum urgency_cat */
	float w;		/* R_SPAM: points */
};

static const struct cue cues[] = {
	/* complaints */
	{ "broken", R_COMPLAINT, 0, 0 }, { "broke", R_COMPLAINT, 0, 0 },
	{ "crash", R_COMPLAINT, 0, 0 }, { "crashed", R_COMPLAINT, 0, 0 },
	{ "crashes", R_COMPLAINT, 0, 0 }, { "crashing", R_COMPLAINT, 0, 0 },
	{ "bug", R_COMPLAINT, 0, 0 }, { "bugs", R_COMPLAINT, 0, 0 },
	{ "buggy", R_COMPLAINT, 0, 0 }, { "error", R_COMPLAINT, 0, 0 },
	{ "errors", R_COMPLAINT, 0, 0 }, { "glitch", R_COMPLAINT, 0, 0 },
	{ "glitchy", R_COMPLAINT, 0, 0 }, { "refund", R_COMPLAINT, 0, 0 },
	{ "refunds", R_COMPLAINT, 0, 0 }, { "charged", R_COMPLAINT, 0, 0 },
	{ "overcharged", R_COMPLAINT, 0, 0 }, { "cancel", R_COMPLAINT, 0, 0 },
	{ "cancelled", R_COMPLAINT, 0, 0 }, { "canceled", R_COMPLAINT, 0, 0 },
	{ "outage", R_COMPLAINT, 0, 0 }, { "offline", R_COMPLAINT, 0, 0 },
	{ "not working", R_COMPLAINT, 0, 0 }, { "not work", R_COMPLAINT, 0, 0 },
	{ "stopped working", R_COMPLAINT, 0, 0 }, { "late", R_COMPLAINT, 0, 0 },
	{ "delayed", R_COMPLAINT, 0, 0 }, { "delay", R_COMPLAINT, 0, 0 },
	{ "missing", R_COMPLAINT, 0, 0 }, { "lost", R_COMPLAINT, 0, 0 },
	{ "damaged", R_COMPLAINT, 0, 0 }, { "defective", R_COMPLAINT, 0, 0 },
	{ "faulty", R_COMPLAINT, 0, 0 }, { "wrong", R_COMPLAINT, 0, 0 },
	{ "worst", R_COMPLAINT, 0, 0 }, { "terrible", R_COMPLAINT, 0, 0 },
	{ "awful", R_COMPLAINT, 0, 0 }, { "horrible", R_COMPLAINT, 0, 0 },
	{ "unacceptable", R_COMPLAINT, 0, 0 },
	{ "ridiculous", R_COMPLAINT, 0, 0 },
	{ "disappointed", R_COMPLAINT, 0, 0 },
	{ "disappointing", R_COMPLAINT, 0, 0 }, { "scam", R_COMPLAINT, 0, 0 },
	{ "fraud", R_COMPLAINT, 0, 0 }, { "rude", R_COMPLAINT, 0, 0 },
	{ "ignored", R_COMPLAINT, 0, 0 }, { "ignoring", R_COMPLAINT, 0, 0 },
	{ "no response", R_COMPLAINT, 0, 0 }, { "no reply", R_COMPLAINT, 0, 0 },
	{ "still waiting", R_COMPLAINT, 0, 0 }, { "on hold", R_COMPLAINT, 0, 0 },
	{ "complaint", R_COMPLAINT, 0, 0 }, { "complain", R_COMPLAINT, 0, 0 },
	{ "issue", R_COMPLAINT, 0, 0 }, { "issues", R_COMPLAINT, 0, 0 },
	{ "problem", R_COMPLAINT, 0, 0 }, { "problems", R_COMPLAINT, 0, 0 },
	{ "useless", R_COMPLAINT, 0, 0 }, { "garbage", R_COMPLAINT, 0, 0 },
	{ "never arrived", R_COMPLAINT, 0, 0 },
	{ "not arrived", R_COMPLAINT, 0, 0 }, { "hacked", R_COMPLAINT, 0, 0 },
	{ "locked out", R_COMPLAINT, 0, 0 }, { "not log", R_COMPLAINT, 0, 0 },
	{ "not login", R_COMPLAINT, 0, 0 }, { "slow", R_COMPLAINT, 0, 0 },
	{ "freezing", R_COMPLAINT, 0, 0 }, { "freezes", R_COMPLAINT, 0, 0 },
	{ "unusable", R_COMPLAINT, 0, 0 }, { "bricked", R_COMPLAINT, 0, 0 },
	{ "rip off", R_COMPLAINT, 0, 0 }, { "ripoff", R_COMPLAINT, 0, 0 },
	{ "overpriced", R_COMPLAINT, 0, 0 }, { "leaking", R_COMPLAINT, 0, 0 },
	{ "money back", R_COMPLAINT, 0, 0 }, { "died", R_COMPLAINT, 0, 0 },
	{ "dead", R_COMPLAINT, 0, 0 }, { "down again", R_COMPLAINT, 0, 0 },
	{ "is down", R_COMPLAINT, 0, 0 }, { "fix this", R_COMPLAINT, 0, 0 },
	{ "fix it", R_COMPLAINT, 0, 0 }, { "third time", R_COMPLAINT, 0, 0 },
	{ "not received", R_COMPLAINT, 0, 0 },
	{ "never received", R_COMPLAINT, 0, 0 },
	{ "still no", R_COMPLAINT, 0, 0 }, { "still not", R_COMPLAINT, 0, 0 },

	/* requests */
	{ "please", R_REQUEST, 0, 0 }, { "pls", R_REQUEST, 0, 0 },
	{ "plz", R_REQUEST, 0, 0 }, { "can you", R_REQUEST, 0, 0 },
	{ "could you", R_REQUEST, 0, 0 }, { "would you", R_REQUEST, 0, 0 },
	{ "can u", R_REQUEST, 0, 0 }, { "could u", R_REQUEST, 0, 0 },
	{ "can someone", R_REQUEST, 0, 0 }, { "could someone", R_REQUEST, 0, 0 },
	{ "i need", R_REQUEST, 0, 0 }, { "we need", R_REQUEST, 0, 0 },
	{ "need help", R_REQUEST, 0, 0 }, { "help me", R_REQUEST, 0, 0 },
	{ "i want", R_REQUEST, 0, 0 }, { "i'd like", R_REQUEST, 0, 0 },
	{ "id like", R_REQUEST, 0, 0 }, { "i would like", R_REQUEST, 0, 0 },
	{ "dm me", R_REQUEST, 0, 0 }, { "send me", R_REQUEST, 0, 0 },
	{ "let me know", R_REQUEST, 0, 0 }, { "lmk", R_REQUEST, 0, 0 },
	{ "bring back", R_REQUEST, 0, 0 }, { "feature request", R_REQUEST, 0, 0 },
	{ "contact me", R_REQUEST, 0, 0 }, { "call me", R_REQUEST, 0, 0 },
	{ "get back to me", R_REQUEST, 0, 0 }, { "reach out", R_REQUEST, 0, 0 },
	{ "please fix", R_REQUEST, 0, 0 }, { "please add", R_REQUEST, 0, 0 },
	{ "pls fix", R_REQUEST, 0, 0 }, { "pls add", R_REQUEST, 0, 0 },

	/* praise */
	{ "thanks", R_PRAISE, 0, 0 }, { "thank", R_PRAISE, 0, 0 },
	{ "thx", R_PRAISE, 0, 0 }, { "ty", R_PRAISE, 0, 0 },
	{ "tysm", R_PRAISE, 0, 0 }, { "love", R_PRAISE, 0, 0 },
	{ "loved", R_PRAISE, 0, 0 }, { "loving", R_PRAISE, 0, 0 },
	{ "great", R_PRAISE, 0, 0 }, { "awesome", R_PRAISE, 0, 0 },
	{ "amazing", R_PRAISE, 0, 0 }, { "kudos", R_PRAISE, 0, 0 },
	{ "shoutout", R_PRAISE, 0, 0 }, { "shout out", R_PRAISE, 0, 0 },
	{ "congrats", R_PRAISE, 0, 0 }, { "congratulations", R_PRAISE, 0, 0 },
	{ "bravo", R_PRAISE, 0, 0 }, { "best", R_PRAISE, 0, 0 },
	{ "excellent", R_PRAISE, 0, 0 }, { "brilliant", R_PRAISE, 0, 0 },
	{ "fantastic", R_PRAISE, 0, 0 }, { "appreciate", R_PRAISE, 0, 0 },
	{ "appreciated", R_PRAISE, 0, 0 }, { "wonderful", R_PRAISE, 0, 0 },
	{ "perfect", R_PRAISE, 0, 0 }, { "well done", R_PRAISE, 0, 0 },
	{ "good job", R_PRAISE, 0, 0 }, { "great job", R_PRAISE, 0, 0 },

	/* spam, with points */
	{ "giveaway", R_SPAM, 0, 1.5f }, { "airdrop", R_SPAM, 0, 2 },
	{ "crypto", R_SPAM, 0, 1.5f }, { "bitcoin", R_SPAM, 0, 1.5f },
	{ "btc", R_SPAM, 0, 1 }, { "eth", R_SPAM, 0, 1 },
	{ "ethereum", R_SPAM, 0, 1 }, { "usdt", R_SPAM, 0, 1.5f },
	{ "nft", R_SPAM, 0, 1.5f }, { "nfts", R_SPAM, 0, 1.5f },
	{ "forex", R_SPAM, 0, 2 }, { "casino", R_SPAM, 0, 1.5f },
	{ "betting", R_SPAM, 0, 1 }, { "link in bio", R_SPAM, 0, 2 },
	{ "check my bio", R_SPAM, 0, 2 }, { "dm me", R_SPAM, 0, 1 },
	{ "dm for", R_SPAM, 0, 1.5f }, { "whatsapp", R_SPAM, 0, 1.5f },
	{ "telegram", R_SPAM, 0, 1 }, { "free followers", R_SPAM, 0, 2.5f },
	{ "followers", R_SPAM, 0, 0.5f }, { "double your", R_SPAM, 0, 2 },
	{ "guaranteed", R_SPAM, 0, 1 }, { "passive income", R_SPAM, 0, 2 },
	{ "income", R_SPAM, 0, 0.5f }, { "invest", R_SPAM, 0, 0.8f },
	{ "investment", R_SPAM, 0, 0.8f }, { "profit", R_SPAM, 0, 0.8f },
	{ "profits", R_SPAM, 0, 0.8f }, { "100x", R_SPAM, 0, 2 },
	{ "click here", R_SPAM, 0, 1.5f }, { "click the link", R_SPAM, 0, 1.5f },
	{ "claim", R_SPAM, 0, 0.5f }, { "winner", R_SPAM, 0, 0.5f },
	{ "prize", R_SPAM, 0, 0.5f }, { "free", R_SPAM, 0, 0.5f },
	{ "promo", R_SPAM, 0, 0.8f }, { "promo code", R_SPAM, 0, 1 },
	{ "onlyfans", R_SPAM, 0, 2 }, { "hot singles", R_SPAM, 0, 2.5f },
	{ "viagra", R_SPAM, 0, 2.5f }, { "loan", R_SPAM, 0, 1 },
	{ "loans", R_SPAM, 0, 1 }, { "earn money", R_SPAM, 0, 1.5f },
	{ "make money", R_SPAM, 0, 1.5f }, { "work from home", R_SPAM, 0, 1.5f },
	{ "seed phrase", R_SPAM, 0, 2 }, { "wallet", R_SPAM, 0, 0.5f },
	{ "limited offer", R_SPAM, 0, 1 }, { "act now", R_SPAM, 0, 1 },

	/* urgency */
	{ "fire", R_URGENT, U_SAFETY, 0 }, { "smoke", R_URGENT, U_SAFETY, 0 },
	{ "smoking", R_URGENT, U_SAFETY, 0 }, { "burn", R_URGENT, U_SAFETY, 0 },
	{ "burned", R_URGENT, U_SAFETY, 0 }, { "burnt", R_URGENT, U_SAFETY, 0 },
	{ "burning", R_URGENT, U_SAFETY, 0 }, { "explode", R_URGENT, U_SAFETY, 0 },
	{ "exploded", R_URGENT, U_SAFETY, 0 },
	{ "explosion", R_URGENT, U_SAFETY, 0 },
	{ "injury", R_URGENT, U_SAFETY, 0 }, { "injured", R_URGENT, U_SAFETY, 0 },
	{ "electrocuted", R_URGENT, U_SAFETY, 0 },
	{ "electric shock", R_URGENT, U_SAFETY, 0 },
	{ "overheating", R_URGENT, U_SAFETY, 0 },
	{ "overheated", R_URGENT, U_SAFETY, 0 },
	{ "melted", R_URGENT, U_SAFETY, 0 }, { "melting", R_URGENT, U_SAFETY, 0 },
	{ "swollen", R_URGENT, U_SAFETY, 0 }, { "sparks", R_URGENT, U_SAFETY, 0 },
	{ "dangerous", R_URGENT, U_SAFETY, 0 }, { "unsafe", R_URGENT, U_SAFETY, 0 },
	{ "hazard", R_URGENT, U_SAFETY, 0 }, { "poisoning", R_URGENT, U_SAFETY, 0 },
	{ "choking", R_URGENT, U_SAFETY, 0 },
	{ "allergic reaction", R_URGENT, U_SAFETY, 0 },
	{ "recall", R_URGENT, U_SAFETY, 0 }, { "caught fire", R_URGENT, U_SAFETY, 0 },
	{ "lawyer", R_URGENT, U_LEGAL, 0 }, { "lawyers", R_URGENT, U_LEGAL, 0 },
	{ "attorney", R_URGENT, U_LEGAL, 0 }, { "lawsuit", R_URGENT, U_LEGAL, 0 },
	{ "sue", R_URGENT, U_LEGAL, 0 }, { "suing", R_URGENT, U_LEGAL, 0 },
	{ "legal", R_URGENT, U_LEGAL, 0 }, { "court", R_URGENT, U_LEGAL, 0 },
	{ "small claims", R_URGENT, U_LEGAL, 0 },
	{ "chargeback", R_URGENT, U_LEGAL, 0 }, { "fraud", R_URGENT, U_LEGAL, 0 },
	{ "regulator", R_URGENT, U_LEGAL, 0 }, { "ftc", R_URGENT, U_LEGAL, 0 },
	{ "bbb", R_URGENT, U_LEGAL, 0 }, { "trading standards", R_URGENT, U_LEGAL, 0 },
	{ "ombudsman", R_URGENT, U_LEGAL, 0 }, { "gdpr", R_URGENT, U_LEGAL, 0 },
	{ "police", R_URGENT, U_LEGAL, 0 },
	{ "hacked", R_URGENT, U_SECURITY, 0 }, { "breach", R_URGENT, U_SECURITY, 0 },
	{ "stolen", R_URGENT, U_SECURITY, 0 },
	{ "phishing", R_URGENT, U_SECURITY, 0 },
	{ "locked out", R_URGENT, U_SECURITY, 0 },
	{ "unauthorized", R_URGENT, U_SECURITY, 0 },
	{ "unauthorised", R_URGENT, U_SECURITY, 0 },
	{ "compromised", R_URGENT, U_SECURITY, 0 },
	{ "identity theft", R_URGENT, U_SECURITY, 0 },
	{ "outage", R_URGENT, U_OUTAGE, 0 }, { "offline", R_URGENT, U_OUTAGE, 0 },
	{ "is down", R_URGENT, U_OUTAGE, 0 }, { "was down", R_URGENT, U_OUTAGE, 0 },
	{ "down again", R_URGENT, U_OUTAGE, 0 },
	{ "not working", R_URGENT, U_OUTAGE, 0 },
	{ "not work", R_URGENT, U_OUTAGE, 0 },
	{ "stopped working", R_URGENT, U_OUTAGE, 0 },
	{ "broken", R_URGENT, U_OUTAGE, 0 }, { "crash", R_URGENT, U_OUTAGE, 0 },
	{ "crashed", R_URGENT, U_OUTAGE, 0 }, { "crashes", R_URGENT, U_OUTAGE, 0 },
	{ "crashing", R_URGENT, U_OUTAGE, 0 }, { "not log", R_URGENT, U_OUTAGE, 0 },
	{ "not login", R_URGENT, U_OUTAGE, 0 },
	{ "not access", R_URGENT, U_OUTAGE, 0 }, { "error", R_URGENT, U_OUTAGE, 0 },
	{ "errors", R_URGENT, U_OUTAGE, 0 }, { "lost data", R_URGENT, U_OUTAGE, 0 },
	{ "data loss", R_URGENT, U_OUTAGE, 0 }, { "deleted", R_URGENT, U_OUTAGE, 0 },
	{ "lost all", R_URGENT, U_OUTAGE, 0 }, { "unusable", R_URGENT, U_OUTAGE, 0 },
	{ "bricked", R_URGENT, U_OUTAGE, 0 }, { "died", R_URGENT, U_OUTAGE, 0 },
	{ "refund", R_URGENT, U_MONEY, 0 }, { "refunds", R_URGENT, U_MONEY, 0 },
	{ "charged", R_URGENT, U_MONEY, 0 }, { "overcharged", R_URGENT, U_MONEY, 0 },
	{ "billing", R_URGENT, U_MONEY, 0 }, { "billed", R_URGENT, U_MONEY, 0 },
	{ "cancel", R_URGENT, U_MONEY, 0 }, { "cancellation", R_URGENT, U_MONEY, 0 },
	{ "cancelled", R_URGENT, U_MONEY, 0 }, { "canceled", R_URGENT, U_MONEY, 0 },
	{ "payment", R_URGENT, U_MONEY, 0 }, { "money back", R_URGENT, U_MONEY, 0 },
	{ "urgent", R_URGENT, U_TIME, 0 }, { "urgently", R_URGENT, U_TIME, 0 },
	{ "asap", R_URGENT, U_TIME, 0 }, { "emergency", R_URGENT, U_TIME, 0 },
	{ "immediately", R_URGENT, U_TIME, 0 }, { "right now", R_URGENT, U_TIME, 0 },
	{ "deadline", R_URGENT, U_TIME, 0 },
	{ "as soon as possible", R_URGENT, U_TIME, 0 },
	{ "still waiting", R_URGENT, U_REPEAT, 0 },
	{ "third time", R_URGENT, U_REPEAT, 0 },
	{ "second time", R_URGENT, U_REPEAT, 0 },
	{ "fourth time", R_URGENT, U_REPEAT, 0 },
	{ "no response", R_URGENT, U_REPEAT, 0 },
	{ "no reply", R_URGENT, U_REPEAT, 0 }, { "no answer", R_URGENT, U_REPEAT, 0 },
	{ "still no", R_URGENT, U_REPEAT, 0 }, { "still not", R_URGENT, U_REPEAT, 0 },
	{ "yet again", R_URGENT, U_REPEAT, 0 }, { "again", R_URGENT, U_REPEAT, 0 },
	{ "ignored", R_URGENT, U_REPEAT, 0 }, { "ignoring", R_URGENT, U_REPEAT, 0 },
	{ "multiple times", R_URGENT, U_REPEAT, 0 },
	{ "several times", R_URGENT, U_REPEAT, 0 },
	{ "many times", R_URGENT, U_REPEAT, 0 },
	{ "already contacted", R_URGENT, U_REPEAT, 0 },
	{ "following up", R_URGENT, U_REPEAT, 0 },
	{ "follow up", R_URGENT, U_REPEAT, 0 },
	{ "weeks", R_URGENT, U_REPEAT, 0 }, { "days", R_URGENT, U_REPEAT, 0 },

	/* a question opens with these */
	{ "how", R_QSTART, 0, 0 }, { "what", R_QSTART, 0, 0 },
	{ "what's", R_QSTART, 0, 0 }, { "whats", R_QSTART, 0, 0 },
	{ "why", R_QSTART, 0, 0 }, { "when", R_QSTART, 0, 0 },
	{ "where", R_QSTART, 0, 0 }, { "who", R_QSTART, 0, 0 },
	{ "which", R_QSTART, 0, 0 }, { "whose", R_QSTART, 0, 0 },
	{ "can", R_QSTART, 0, 0 }, { "could", R_QSTART, 0, 0 },
	{ "does", R_QSTART, 0, 0 }, { "do", R_QSTART, 0, 0 },
	{ "did", R_QSTART, 0, 0 }, { "is", R_QSTART, 0, 0 },
	{ "are", R_QSTART, 0, 0 }, { "will", R_QSTART, 0, 0 },
	{ "would", R_QSTART, 0, 0 }, { "should", R_QSTART, 0, 0 },
	{ "has", R_QSTART, 0, 0 }, { "have", R_QSTART, 0, 0 },
	{ "anyone", R_QSTART, 0, 0 }, { "any", R_QSTART, 0, 0 },
};

#define NCUES (sizeof(cues) / sizeof(cues[0]))
#define CUE_SLOTS 1024		/* power of two, > 2 * distinct first words */

static const double intent_value[] = {
	[CM_INTENT_OTHER] = 0.2,
	[CM_INTENT_QUESTION] = 0.7,
	[CM_INTENT_COMPLAINT] = 1.0,
	[CM_INTENT_PRAISE] = 0.3,
	[CM_INTENT_REQUEST] = 0.8,
	[CM_INTENT_SPAM] = 0.0,
};

struct cm_scorer {
	struct cm_senti *senti;
	struct cm_langid *lang;
	struct cm_score_weights w;
	/* cues by the hash of their first word: head index + 1, chained */
	uint16_t head[CUE_SLOTS];
	uint16_t next[NCUES];
	uint32_t hash[NCUES];
	uint8_t first_len[NCUES];
	uint64_t seen[(NCUES + 63) / 64];	/* cues matched in this text */
};

static uint32_t hash_bytes(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 16777619u;
	}
	return h;
}

const char *cm_intent_name(enum cm_intent i)
{
	static const char *const names[] = { "other", "question", "complaint",
		"praise", "request", "spam" };

	return (unsigned)i < sizeof(names) / sizeof(names[0]) ? names[i] :
	    "other";
}

static int parse_weight(const char *s, double *out)
{
	double v = 0, scale = 1;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			scale /= 10;
			v += (*s - '0') * scale;
		}
	if (*s != '\0' || digits == 0 || digits > 12 || v > 1000)
		return -1;
	*out = v;
	return 0;
}

int cm_score_weight_set(struct cm_score_weights *w, const char *name,
    const char *value, const char **why)
{
	double v, *slot;

	if (strcmp(name, "negativity") == 0)
		slot = &w->negativity;
	else if (strcmp(name, "urgency") == 0)
		slot = &w->urgency;
	else if (strcmp(name, "influence") == 0)
		slot = &w->influence;
	else if (strcmp(name, "intent") == 0)
		slot = &w->intent;
	else {
		*why = "unknown weight (negativity, urgency, influence, intent)";
		return -1;
	}
	if (parse_weight(value, &v) < 0) {
		*why = "a weight is a number from 0 to 1000";
		return -1;
	}
	*slot = v;
	return 0;
}

int cm_score_weights_parse(struct cm_score_weights *w, const char *spec,
    const char **why)
{
	struct cm_score_weights nw = *w;
	char name[32], value[32];
	const char *p = spec;

	if (*p == '\0') {
		*why = "empty";
		return -1;
	}
	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');

		if (end == NULL)
			end = p + strlen(p);
		if (eq == NULL || eq > end) {
			*why = "expected NAME=VALUE[,NAME=VALUE...]";
			return -1;
		}
		if ((size_t)(eq - p) >= sizeof(name) ||
		    (size_t)(end - eq - 1) >= sizeof(value)) {
			*why = "name or value too long";
			return -1;
		}
		memcpy(name, p, (size_t)(eq - p));
		name[eq - p] = '\0';
		memcpy(value, eq + 1, (size_t)(end - eq - 1));
		value[end - eq - 1] = '\0';
		if (cm_score_weight_set(&nw, name, value, why) < 0)
			return -1;
		p = *end ? end + 1 : end;
	}
	if (nw.negativity + nw.urgency + nw.influence + nw.intent <= 0) {
		*why = "the weights add up to zero";
		return -1;
	}
	*w = nw;
	return 0;
}

struct cm_scorer *cm_scorer_new(const struct cm_lexicon *lx,
    const struct cm_score_weights *w)
{
	static const struct cm_score_weights def = CM_SCORE_WEIGHTS_DEFAULT;
	struct cm_scorer *sc;
	size_t i;

	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return NULL;
	if ((sc->senti = cm_senti_new(lx)) == NULL ||
	    (sc->lang = cm_langid_new(lx)) == NULL) {
		cm_senti_free(sc->senti);
		free(sc);
		return NULL;
	}
	sc->w = w ? *w : def;
	for (i = NCUES; i-- > 0;) {
		const char *sp = strchr(cues[i].text, ' ');
		size_t n = sp ? (size_t)(sp - cues[i].text) : strlen(cues[i].text);
		uint32_t h = hash_bytes(cues[i].text, n);

		sc->hash[i] = h;
		sc->first_len[i] = (uint8_t)n;
		sc->next[i] = sc->head[h & (CUE_SLOTS - 1)];
		sc->head[h & (CUE_SLOTS - 1)] = (uint16_t)(i + 1);
	}
	return sc;
}

void cm_scorer_free(struct cm_scorer *sc)
{
	if (sc == NULL)
		return;
	cm_senti_free(sc->senti);
	cm_langid_free(sc->lang);
	free(sc);
}

void cm_scorer_trim(struct cm_scorer *sc, size_t keep)
{
	cm_senti_trim(sc->senti, keep);
}

/* Token i's key for cue matching: a negation word reads "not". */
static const char *cue_key(const struct cm_scorer *sc, size_t i, size_t *n)
{
	const char *k = cm_senti_token(sc->senti, i, n);

	if (cm_senti_token_kinds(sc->senti, i) & CM_LEX_NEGATION) {
		*n = 3;
		return "not";
	}
	return k;
}

/* Whether cue c matches the tokens from i on. */
static int cue_matches(const struct cm_scorer *sc, size_t c, size_t i,
    size_t ntok)
{
	const char *p = cues[c].text + sc->first_len[c];
	size_t j = i + 1;

	while (*p == ' ') {
		const char *w = p + 1, *e = strchr(w, ' ');
		size_t wl = e ? (size_t)(e - w) : strlen(w), kl;
		const char *k;

		if (j >= ntok)
			return 0;
		k = cue_key(sc, j, &kl);
		if (kl != wl || memcmp(k, w, wl) != 0)
			return 0;
		p = w + wl;
		j++;
	}
	return 1;
}

/* A cue found: which, and where in the text (to quote it as written). */
struct hit {
	const char *cue;	/* NULL: none */
	size_t index;		/* in cues[] */
	size_t off, len;
};

struct found {
	struct hit complaint, request, praise, spam_cue, urgent[U_NCAT];
	double spam;
	int qstart;
};

/* Notes cue c found at token i, unless one is already there (or with
 * replace).  The span covers the cue's words as written. */
static void set_hit(const struct cm_scorer *sc, struct hit *h, size_t c,
    size_t i, int replace)
{
	size_t words = 1, off, len, o2, l2;
	const char *p;

	/* the cue the table lists first is the more telling one */
	if (h->cue && !replace && h->index <= c)
		return;
	for (p = cues[c].text; *p; p++)
		words += *p == ' ';
	cm_senti_token_span(sc->senti, i, &off, &len);
	cm_senti_token_span(sc->senti, i + words - 1, &o2, &l2);
	h->cue = cues[c].text;
	h->index = c;
	h->off = off;
	h->len = o2 + l2 > off ? o2 + l2 - off : len;
}

static void find_cues(struct cm_scorer *sc, struct found *f)
{
	size_t ntok = cm_senti_ntokens(sc->senti), i;

	memset(f, 0, sizeof(*f));
	memset(sc->seen, 0, sizeof(sc->seen));
	for (i = 0; i < ntok; i++) {
		size_t kl, c;
		const char *k = cue_key(sc, i, &kl);
		uint32_t h;
		uint16_t s;

		if (kl == 0 || kl > 32)
			continue;
		h = hash_bytes(k, kl);
		for (s = sc->head[h & (CUE_SLOTS - 1)]; s; s = sc->next[s - 1]) {
			c = s - 1u;
			if (sc->hash[c] != h || sc->first_len[c] != kl ||
			    memcmp(cues[c].text, k, kl) != 0 ||
			    !cue_matches(sc, c, i, ntok))
				continue;
			switch (cues[c].role) {
			case R_COMPLAINT:
				set_hit(sc, &f->complaint, c, i, 0);
				break;
			case R_REQUEST:
				set_hit(sc, &f->request, c, i, 0);
				break;
			case R_PRAISE:
				set_hit(sc, &f->praise, c, i, 0);
				break;
			case R_SPAM:
				if (sc->seen[c / 64] & ((uint64_t)1 << (c % 64)))
					break;	/* each cue counts once */
				sc->seen[c / 64] |= (uint64_t)1 << (c % 64);
				f->spam += cues[c].w;
				set_hit(sc, &f->spam_cue, c, i, cues[c].w >= 1.5);
				break;
			case R_URGENT:
				set_hit(sc, &f->urgent[cues[c].cat], c, i, 0);
				break;
			case R_QSTART:
				if (i == 0)
					f->qstart = 1;
				break;
			}
		}
	}
}

/*
 * The same text over and over: one word (three letters or more) four
 * times or more and 40% of the words, or a run of three words three
 * times.  Counted with a small hash table of the first 256 tokens.
 */
#define REP_MAX 256
#define REP_SLOTS 512

static int count_in(uint32_t *keys, uint16_t *counts, uint32_t h)
{
	size_t i = h & (REP_SLOTS - 1);

	if (h == 0)
		h = 1;
	while (keys[i] != 0 && keys[i] != h)
		i = (i + 1) & (REP_SLOTS - 1);
	keys[i] = h;
	return ++counts[i];
}

static int repetitive(const struct cm_scorer *sc)
{
	uint32_t hs[REP_MAX], keys[REP_SLOTS];
	uint16_t counts[REP_SLOTS];
	size_t n = cm_senti_ntokens(sc->senti), i, kl;
	int best = 0, c;

	if (n < 6)
		return 0;
	if (n > REP_MAX)
		n = REP_MAX;
	memset(keys, 0, sizeof(keys));
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < n; i++) {
		const char *k = cm_senti_token(sc->senti, i, &kl);

		hs[i] = hash_bytes(k, kl);
		if (kl >= 3 && (c = count_in(keys, counts, hs[i])) > best)
			best = c;
	}
	if (best >= 4 && (size_t)best * 10 >= n * 4)
		return 1;
	memset(keys, 0, sizeof(keys));
	memset(counts, 0, sizeof(counts));
	for (i = 0; i + 3 <= n; i++) {
		uint32_t h = (hs[i] * 31 + hs[i + 1]) * 31 + hs[i + 2];

		if (count_in(keys, counts, h) >= 3)
			return 1;
	}
	return 0;
}

/* The links in the text (cm-record(5)'s), each time it is there. */
static size_t count_urls(const char *t, size_t n)
{
	struct cm_text_token tok;
	size_t pos = 0, c = 0;

	if (memchr(t, ':', n) == NULL)
		return 0;	/* most texts: a quick no */
	while (cm_text_next(t, n, &pos, &tok))
		c += tok.kind == CM_TEXT_LINK;
	return c;
}

/* Writes the text of a found cue, as written (at most 40 bytes, whole
 * characters, blanks folded) to buf. */
static void quote(const struct cm_score_input *in, const struct hit *h,
    char *buf, size_t n)
{
	size_t len, i, o = 0;

	if (n > 0)
		buf[0] = '\0';
	if (h == NULL || h->cue == NULL || n == 0)
		return;
	len = h->len;
	if (h->off + len > in->len)
		len = h->off < in->len ? in->len - h->off : 0;
	if (len > 40)
		len = 40;
	while (len > 0 && len < h->len &&
	    ((unsigned char)in->text[h->off + len] & 0xC0) == 0x80)
		len--;
	for (i = 0; i < len && o + 1 < n; i++) {
		char c = in->text[h->off + i];

		buf[o++] = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
	}
	buf[o] = '\0';
}

/* v with dec decimals (at most 4) into buf, like "%.*f" but without the
 * cost of printf's floating point; never "-0". */
static const char *fx(char *buf, double v, int dec)
{
	static const long long scale[] = { 1, 10, 100, 1000, 10000 };
	char tmp[24];
	long long n, ip, fp;
	size_t o = 0, t = 0;
	int i;

	if (!(v > -1e12 && v < 1e12))
		v = 0;
	n = llround(fabs(v) * (double)scale[dec]);
	if (v < 0 && n > 0)
		buf[o++] = '-';
	ip = n / scale[dec];
	fp = n % scale[dec];
	do {
		tmp[t++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	while (t > 0)
		buf[o++] = tmp[--t];
	if (dec > 0) {
		buf[o++] = '.';
		for (i = dec - 1; i >= 0; i--) {
			buf[o + (size_t)i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		o += (size_t)dec;
	}
	buf[o] = '\0';
	return buf;
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* "48k", "1.2M", "950"; past a trillion no number is believable (or,
 * for INT64_MAX, known), so "over 1T". */
static void human_count(int64_t v, char *buf, size_t n)
{
	if (v >= 1000000000000)
		snprintf(buf, n, "over 1T");
	else if (v >= 1000000000)
		snprintf(buf, n, "%.1fB", (double)v / 1e9);
	else if (v >= 1000000)
		snprintf(buf, n, "%.1fM", (double)v / 1e6);
	else if (v >= 10000)
		snprintf(buf, n, "%.0fk", (double)v / 1e3);
	else if (v >= 1000)
		snprintf(buf, n, "%.1fk", (double)v / 1e3);
	else
		snprintf(buf, n, "%lld", (long long)v);
}

/* a + b for counts: b below 0 (unknown) adds nothing, the sum stops at
 * INT64_MAX. */
static int64_t sat_add(int64_t a, int64_t b)
{
	if (b <= 0)
		return a;
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static double influence(const struct cm_score_input *in)
{
	double f = 0, e = 0, v = 0, eng = 0;

	if (in->followers > 0)
		f = clamp01(log10(1.0 + (double)in->followers) / 6.0);
	if (in->likes > 0)
		eng += (double)in->likes;
	if (in->reposts > 0)
		eng += 2.0 * (double)in->reposts;
	if (in->replies > 0)
		eng += (double)in->replies;
	if (in->quotes > 0)
		eng += 2.0 * (double)in->quotes;
	if (eng > 0)
		e = clamp01(log10(1.0 + eng) / 4.0);
	if (in->verified == 1)
		v = 0.1;
	return clamp01(1.0 - (1.0 - f) * (1.0 - e) * (1.0 - v));
}

struct why_item {
	double weight;
	char text[CM_SCORE_WHY_LEN];
};

static void add_why(struct why_item *items, size_t *n, double weight,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_why(struct why_item *items, size_t *n, double weight,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(items[*n].text, sizeof(items[*n].text), fmt, ap);
	va_end(ap);
	items[*n].weight = weight;
	(*n)++;
}

/* Appends up to max of the strongest terms' text to buf, ", "-joined. */
static void top_terms(const struct cm_senti_result *r, const char *text,
    int sign, size_t max, char *buf, size_t n)
{
	size_t i, used = 0, o = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nhits && used < max; i++) {
		const struct cm_senti_hit *h = &r->hits[i];
		int w;

		if ((h->value < 0 ? -1 : 1) != sign)
			continue;
		w = snprintf(buf + o, n - o, "%s%.*s", used ? ", " : "",
		    (int)(h->len > 24 ? 24 : h->len), text + h->off);
		if (w < 0 || (size_t)w >= n - o) {
			buf[o] = '\0';
			break;
		}
		o += (size_t)w;
		used++;
	}
}

/*
 * A text in a language the lexicon does not cover has no sentiment: why
 * says so first, and the rules after read it as neutral, with no terms
 * (its negativity adds nothing to the priority).  The counts of '!', '?'
 * and ALL CAPS words are kept: they say something in any language.
 */
static void not_covered(struct cm_scorer *sc, const struct cm_score_input *in,
    struct cm_score *out)
{
	struct cm_senti_result *r = &out->senti;
	int rc = in->lang ? cm_langid_tag(sc->lang, in->lang, in->lang_len,
	    out->why[0], CM_SCORE_WHY_LEN) : -1;

	if (rc < 0)
		rc = cm_langid_text(sc->lang, cm_senti_tokens(sc->senti),
		    in->text, out->why[0], CM_SCORE_WHY_LEN);
	if (rc)
		return;
	out->unscored = 1;
	out->nwhy = 1;
	r->compound = r->sum = r->punct = 0;
	r->label = 0;
	r->nterms = r->nhits = 0;
	r->sarcasm = 0;
}

int cm_scorer_score(struct cm_scorer *sc, const struct cm_score_input *in,
    int only_sentiment, struct cm_score *out)
{
	const struct cm_score_weights *w = &sc->w;
	struct why_item items[8];
	struct found f;
	size_t nitems = 0, i, j, nwords;
	double neg, wsum, u, keep;
	char terms[64];
	const char *spam_note = NULL;
	const struct hit *serious;
	char nb[32];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->has_text = in->text != NULL && in->len > 0;
	if (out->has_text && cm_senti_score(sc->senti, in->text, in->len,
	    &out->senti) < 0)
		rc = -1;
	if (out->has_text && rc == 0)
		not_covered(sc, in, out);
	if (!out->has_text || rc < 0) {
		memset(&out->senti, 0, sizeof(out->senti));
		snprintf(out->why[0], CM_SCORE_WHY_LEN, "%s",
		    rc < 0 ? "out of memory" : "no text");
		out->nwhy = 1;
		if (!only_sentiment) {
			out->influence = influence(in);
			out->own = in->is_brand;
		}
		return rc;
	}
	if (only_sentiment) {
		const struct cm_senti_result *r = &out->senti;

		if (out->unscored)
			return 0;	/* why says so */

		/* "term +2.0", put together by hand: snprintf took about 5%
		 * of the time of cm-score --only sentiment */
		for (i = 0; i < r->nhits && out->nwhy < CM_SCORE_WHY_MAX; i++) {
			char *dst = out->why[out->nwhy++];
			const char *v = fx(nb, r->hits[i].value, 1);
			size_t n = strnlen(in->text + r->hits[i].off,
			    r->hits[i].len > 40 ? 40 : r->hits[i].len);

			memcpy(dst, in->text + r->hits[i].off, n);
			dst[n++] = ' ';
			if (r->hits[i].value >= 0)
				dst[n++] = '+';
			memcpy(dst + n, v, strlen(v) + 1);
		}
		if (out->nwhy == 0)
			snprintf(out->why[out->nwhy++], CM_SCORE_WHY_LEN,
			    "no sentiment terms");
		return 0;
	}

	find_cues(sc, &f);
	nwords = out->senti.ntokens;

	/* spam */
	{
		size_t links = in->nlinks + count_urls(in->text, in->len);

		out->spam_points = f.spam;
		if (links >= 3)
			out->spam_points += 2;
		else if (links == 2)
			out->spam_points += 0.75;
		if (repetitive(sc)) {
			out->spam_points += 2.5;
			spam_note = "repeated text";
		} else if (links >= 3 && (f.spam_cue.cue == NULL || f.spam < 1.5))
			spam_note = "many links";
		if (in->ntags >= 6)
			out->spam_points += 1;
		if (in->nmentions >= 5)
			out->spam_points += 1;
	}

	/* a safety, legal or security matter is a complaint too */
	serious = f.urgent[U_SAFETY].cue ? &f.urgent[U_SAFETY] :
	    f.urgent[U_SECURITY].cue ? &f.urgent[U_SECURITY] :
	    f.urgent[U_LEGAL].cue ? &f.urgent[U_LEGAL] : NULL;

	/* intent, first rule that holds */
	if (!in->is_brand && out->spam_points >= 2.5) {
		out->intent = CM_INTENT_SPAM;
		if (spam_note)
			snprintf(out->intent_cue, sizeof(out->intent_cue), "%s",
			    spam_note);
		else
			quote(in, &f.spam_cue, out->intent_cue,
			    sizeof(out->intent_cue));
	} else if (out->senti.compound <= -0.5 ||
	    ((f.complaint.cue || serious) && out->senti.compound < 0.05)) {
		out->intent = CM_INTENT_COMPLAINT;
		quote(in, f.complaint.cue ? &f.complaint : serious, out->intent_cue,
		    sizeof(out->intent_cue));
	} else if (f.request.cue) {
		out->intent = CM_INTENT_REQUEST;
		quote(in, &f.request, out->intent_cue, sizeof(out->intent_cue));
	} else if (out->senti.nquestion > 0 || (f.qstart && nwords >= 3)) {
		out->intent = CM_INTENT_QUESTION;
	} else if (out->senti.compound >= 0.5 ||
	    (f.praise.cue && out->senti.label > 0)) {
		out->intent = CM_INTENT_PRAISE;
		quote(in, &f.praise, out->intent_cue, sizeof(out->intent_cue));
	} else
		out->intent = CM_INTENT_OTHER;

	if (out->intent_cue[0] == '\0' && (out->intent == CM_INTENT_COMPLAINT ||
	    out->intent == CM_INTENT_PRAISE))
		top_terms(&out->senti, in->text,
		    out->intent == CM_INTENT_COMPLAINT ? -1 : 1, 1,
		    out->intent_cue, sizeof(out->intent_cue));

	/* urgency: noisy-or of the categories found */
	keep = 1;
	terms[0] = '\0';
	for (i = 0, j = 0; i < U_NCAT; i++) {
		if (!f.urgent[i].cue)
			continue;
		keep *= 1.0 - urgency_cats[i].weight;
		if (j++ < 3) {
			size_t o = strlen(terms);

			if (o)
				snprintf(terms + o, sizeof(terms) - o, ", ");
			o = strlen(terms);
			quote(in, &f.urgent[i], terms + o, sizeof(terms) - o);
		}
	}
	if (out->senti.ncaps >= 2 && out->senti.ncaps * 2 >= nwords) {
		keep *= 1.0 - 0.2;
		if (j++ < 3) {
			size_t o = strlen(terms);

			snprintf(terms + o, sizeof(terms) - o, "%sALL CAPS",
			    o ? ", " : "");
		}
	}
	if (out->senti.nexclaim >= 2) {
		keep *= 1.0 - 0.1;
		if (j++ < 3) {
			size_t o = strlen(terms);

			snprintf(terms + o, sizeof(terms) - o, "%s%u '!'",
			    o ? ", " : "", out->senti.nexclaim);
		}
	}
	neg = out->senti.compound < 0 ? -out->senti.compound : 0;
	if (neg >= 0.05 && j++ < 3) {
		size_t o = strlen(terms);

		snprintf(terms + o, sizeof(terms) - o, "%snegative tone",
		    o ? ", " : "");
	}
	keep *= 1.0 - 0.3 * neg;
	if (out->intent == CM_INTENT_SPAM)
		keep = 1;
	u = clamp01(1.0 - keep);
	out->urgency = u;
	snprintf(out->urgency_cues, sizeof(out->urgency_cues), "%s", terms);

	out->influence = influence(in);

	/* priority */
	wsum = w->negativity + w->urgency + w->influence + w->intent;
	if (wsum <= 0)
		wsum = 1;
	out->part_negativity = w->negativity * neg / wsum;
	out->part_urgency = w->urgency * u / wsum;
	out->part_influence = w->influence * out->influence / wsum;
	out->part_intent = w->intent * intent_value[out->intent] / wsum;
	out->priority = clamp01(out->part_negativity + out->part_urgency +
	    out->part_influence + out->part_intent);
	if (out->intent == CM_INTENT_SPAM && out->priority > 0.05)
		out->priority = 0.05;
	if (in->is_brand) {
		out->own = 1;
		out->priority = 0;
		if (out->unscored)
			memcpy(out->why[1], out->why[0], CM_SCORE_WHY_LEN);
		snprintf(out->why[0], CM_SCORE_WHY_LEN, "own post");
		out->nwhy = 1 + (size_t)out->unscored;
		return 0;
	}

	/* why: the signals by what they added */
	if (out->senti.label < 0) {
		top_terms(&out->senti, in->text, -1, 2, terms, sizeof(terms));
		add_why(items, &nitems, out->part_negativity, "negative %s%s%s%s",
		    fx(nb, neg, 2), *terms ? " (" : "", terms, *terms ? ")" : "");
	} else if (out->senti.label > 0) {
		top_terms(&out->senti, in->text, 1, 2, terms, sizeof(terms));
		add_why(items, &nitems, 0.01 * out->senti.compound,
		    "positive %s%s%s%s", fx(nb, out->senti.compound, 2),
		    *terms ? " (" : "", terms, *terms ? ")" : "");
	}
	if (out->intent != CM_INTENT_OTHER)
		add_why(items, &nitems, out->intent == CM_INTENT_SPAM ? 1 :
		    out->part_intent, "%s%s%s", cm_intent_name(out->intent),
		    out->intent_cue[0] ? ": " : "", out->intent_cue);
	if (out->urgency >= 0.05)
		add_why(items, &nitems, out->part_urgency, "urgency %s%s%s%s",
		    fx(nb, out->urgency, 2), out->urgency_cues[0] ? " (" : "",
		    out->urgency_cues, out->urgency_cues[0] ? ")" : "");
	if (out->influence >= 0.05) {
		char a[16], b[16];
		int64_t eng = 0;

		eng = sat_add(eng, in->likes);
		eng = sat_add(eng, in->reposts);
		eng = sat_add(eng, in->replies);
		eng = sat_add(eng, in->quotes);

		human_count(in->followers > 0 ? in->followers : 0, a, sizeof(a));
		human_count(eng, b, sizeof(b));
		if (in->followers > 0 && eng > 0)
			add_why(items, &nitems, out->part_influence,
			    "influence %s (%s followers, %s interaction%s)",
			    fx(nb, out->influence, 1), a, b, eng == 1 ? "" : "s");
		else if (in->followers > 0)
			add_why(items, &nitems, out->part_influence,
			    "influence %s (%s followers)",
			    fx(nb, out->influence, 1), a);
		else
			add_why(items, &nitems, out->part_influence,
			    "influence %s (%s interaction%s)",
			    fx(nb, out->influence, 1), b, eng == 1 ? "" : "s");
	}
	/* sort by weight, stable */
	for (i = 1; i < nitems; i++)
		for (j = i; j > 0 && items[j - 1].weight < items[j].weight; j--) {
			struct why_item t = items[j];

			items[j] = items[j - 1];
			items[j - 1] = t;
		}
	for (i = 0; i < nitems && out->nwhy < CM_SCORE_WHY_MAX; i++)
		if (items[i].weight > 0)
			memcpy(out->why[out->nwhy++], items[i].text,
			    CM_SCORE_WHY_LEN);
	if (out->nwhy == 0)
		snprintf(out->why[out->nwhy++], CM_SCORE_WHY_LEN,
		    "neutral, no cues");
	return 0;
}

int cm_score_json(const struct cm_score *s, int only_sentiment,
    struct cm_buf *out)
{
	char nb[32];
	size_t i;

	if (s->unscored) {
		if (cm_buf_adds(out, "{\"sentiment\":null,\"label\":null") < 0)
			return -1;
	} else if (cm_buf_adds(out, "{\"sentiment\":") < 0 ||
	    cm_buf_adds(out, fx(nb, s->senti.compound, 4)) < 0 ||
	    cm_buf_adds(out, ",\"label\":\"") < 0 ||
	    cm_buf_adds(out, cm_senti_label_name(s->senti.label)) < 0 ||
	    cm_buf_addc(out, '"') < 0)
		return -1;
	if (!only_sentiment &&
	    (cm_buf_adds(out, ",\"intent\":\"") < 0 ||
	    cm_buf_adds(out, cm_intent_name(s->intent)) < 0 ||
	    cm_buf_adds(out, "\",\"urgency\":") < 0 ||
	    cm_buf_adds(out, fx(nb, s->urgency, 3)) < 0 ||
	    cm_buf_adds(out, ",\"influence\":") < 0 ||
	    cm_buf_adds(out, fx(nb, s->influence, 3)) < 0 ||
	    cm_buf_adds(out, ",\"priority\":") < 0 ||
	    cm_buf_adds(out, fx(nb, s->priority, 3)) < 0))
		return -1;
	if (cm_buf_adds(out, ",\"why\":[") < 0)
		return -1;
	for (i = 0; i < s->nwhy; i++)
		if ((i && cm_buf_addc(out, ',') < 0) ||
		    cm_buf_add_json_string(out, s->why[i],
		    strlen(s->why[i])) < 0)
			return -1;
	return cm_buf_adds(out, "]}");
}

static void hit_notes(unsigned f, char *buf, size_t n)
{
	static const struct {
		unsigned flag;
		const char *name;
	} notes[] = {
		{ CM_HIT_PHRASE, "phrase" },
		{ CM_HIT_EMOJI, "emoji/emoticon" },
		{ CM_HIT_NEGATED, "negated" },
		{ CM_HIT_BOOSTED, "intensified/dampened" },
		{ CM_HIT_CAPS, "ALL CAPS" },
		{ CM_HIT_ELONGATED, "elongated" },
		{ CM_HIT_BEFORE_BUT, "before \"but\" x0.5" },
		{ CM_HIT_AFTER_BUT, "after \"but\" x1.5" },
		{ CM_HIT_SARCASM, "sarcasm /s" },
		{ CM_HIT_IRONY, "irony" },
	};
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (f & notes[i].flag) {
			int w = snprintf(buf + o, n - o, "%s%s", o ? ", " : "",
			    notes[i].name);

			if (w < 0 || (size_t)w >= n - o)
				break;
			o += (size_t)w;
		}
}

int cm_score_explain(const struct cm_score *s, const struct cm_scorer *sc,
    const char *name, const char *text, size_t len, int only_sentiment,
    struct cm_buf *b)
{
	const struct cm_senti_result *r = &s->senti;
	const struct cm_score_weights *w = &sc->w;
	double wsum = w->negativity + w->urgency + w->influence + w->intent;
	char notes[160];
	size_t i, show = len > 100 ? 100 : len;

	while (show < len && show > 0 &&
	    ((unsigned char)text[show] & 0xC0) == 0x80)
		show--;
	if (cm_buf_printf(b, "%s\n", name) < 0)
		return -1;
	if (!s->has_text)
		return cm_buf_adds(b, "  no text: neutral\n");
	if (cm_buf_adds(b, "  text: ") < 0 ||
	    cm_buf_add_json_string(b, text, show) < 0 ||
	    cm_buf_adds(b, show < len ? " ...\n" : "\n") < 0)
		return -1;
	if (s->unscored) {
		if (cm_buf_printf(b, "  sentiment null: %s\n", s->why[s->own]) < 0)
			return -1;
	} else if (cm_buf_printf(b, "  sentiment %.4f %s = s/sqrt(s*s+15), "
	    "s = %.2f (terms %.2f, punctuation %.2f; %u '!', %u '?')\n",
	    r->compound, cm_senti_label_name(r->label), r->sum,
	    r->sum - r->punct, r->punct, r->nexclaim, r->nquestion) < 0)
		return -1;
	for (i = 0; i < r->nhits; i++) {
		const struct cm_senti_hit *h = &r->hits[i];

		hit_notes(h->flags, notes, sizeof(notes));
		if (cm_buf_printf(b, "    %+5.2f -> %+5.2f  %.*s%s%s%s\n",
		    h->base, h->value, (int)(h->len > 40 ? 40 : h->len),
		    text + h->off, notes[0] ? " (" : "", notes,
		    notes[0] ? ")" : "") < 0)
			return -1;
	}
	if (r->nterms > r->nhits &&
	    cm_buf_printf(b, "    (%u more terms)\n", r->nterms - r->nhits) < 0)
		return -1;
	if (only_sentiment)
		return 0;
	if (cm_buf_printf(b, "  intent %s%s%s%s\n", cm_intent_name(s->intent),
	    s->intent_cue[0] ? " (cue: " : "", s->intent_cue,
	    s->intent_cue[0] ? ")" : "") < 0 ||
	    (s->spam_points > 0 && cm_buf_printf(b,
	    "  spam points %.2f (spam at 2.5)\n", s->spam_points) < 0) ||
	    cm_buf_printf(b, "  urgency %.3f%s%s%s\n", s->urgency,
	    s->urgency_cues[0] ? " (cues: " : "", s->urgency_cues,
	    s->urgency_cues[0] ? ")" : "") < 0 ||
	    cm_buf_printf(b, "  influence %.3f\n", s->influence) < 0)
		return -1;
	if (s->own)
		return cm_buf_adds(b, "  priority 0: the brand's own post\n");
	if (wsum <= 0)
		wsum = 1;
	if (cm_buf_printf(b, "  priority %.3f = (%.2f x negativity %.2f + "
	    "%.2f x urgency %.2f + %.2f x influence %.2f + %.2f x intent "
	    "%.2f) / %.2f%s\n", s->priority, w->negativity,
	    s->senti.compound < 0 ? -s->senti.compound : 0, w->urgency,
	    s->urgency, w->influence, s->influence, w->intent,
	    intent_value[s->intent], wsum,
	    s->intent == CM_INTENT_SPAM ? ", spam capped at 0.05" : "") < 0)
		return -1;
	if (cm_buf_adds(b, "  why:") < 0)
		return -1;
	for (i = 0; i < s->nwhy; i++)
		if (cm_buf_printf(b, "%s %s", i ? ";" : "", s->why[i]) < 0)
			return -1;
	return cm_buf_addc(b, '\n');
}
