/* sentiment.c - the rules of the sentiment, in the spirit of VADER, over
 * the tokens of tokenize.c */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sentiment.h"
#include "tokenize.h"

/* Texts longer than this are scored on their first bytes only: a post is
 * short, and a megabyte of "text" must not slow the stream down. */
#define TEXT_MAX ((size_t)256 << 10)
/* How far back a wide negation reaches ("I don't think ... good"). */
#define WIDE_SCOPE 12

/* Stock praise that a text opens or closes with when it means the
 * opposite, as lexicon terms (cm-score(1), Irony). */
static const char *const ironic_terms[] = { "great", "perfect", "lovely",
	"wonderful", "fantastic", "brilliant", "awesome", "amazing",
	"excellent", "nice", "cool", "super", "splendid", "terrific",
	"marvelous", "fab", "thanks", "thank you", "thanks a lot",
	"thanks so much", "thx", "cheers", "yay", "hooray", "great job",
	"good job", "nice job", "well done", "nice one", NULL };

struct cm_senti {
	struct cm_tokens tk;	/* the last text's tokens */
	int32_t like_ent;	/* "like", which has a rule of its own */
	/* the entries of ironic_terms, as the lexicon had them when the
	 * scorer was made; -1 ends */
	int32_t ironic_ent[sizeof(ironic_terms) / sizeof(ironic_terms[0])];
	/* key hashes of words with rules of their own, to test tokens
	 * against them with one compare */
	uint32_t hash_even, hash_although, hash_though;
	size_t *live;		/* indices of tokens not inside a phrase */
	size_t nlive, caplive;
	float *val;		/* per live token: its valence after rules */
	unsigned *hitflags;
	size_t capval;
};

struct cm_senti *cm_senti_new(const struct cm_lexicon *lx)
{
	struct cm_senti *s;
	size_t i, n;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (cm_tokens_init(&s->tk, lx) < 0) {
		free(s);
		return NULL;
	}
	s->like_ent = cm_lex_term(lx, cm_lex_lookup_key(lx, "like", 4));
	for (i = n = 0; ironic_terms[i]; i++) {
		int32_t e = cm_lex_lookup_key(lx, ironic_terms[i],
		    strlen(ironic_terms[i]));

		if (e >= 0 && (lx->e[e].kinds & CM_LEX_WORD))
			s->ironic_ent[n++] = e;
	}
	s->ironic_ent[n] = -1;
	s->hash_even = cm_lex_hash("even", 4);
	s->hash_although = cm_lex_hash("although", 8);
	s->hash_though = cm_lex_hash("though", 6);
	return s;
}

void cm_senti_free(struct cm_senti *s)
{
	if (s == NULL)
		return;
	cm_tokens_free(&s->tk);
	free(s->live);
	free(s->val);
	free(s->hitflags);
	free(s);
}

void cm_senti_trim(struct cm_senti *s, size_t keep)
{
	if (s->tk.kcap > keep || s->tk.captok * sizeof(*s->tk.tok) > keep ||
	    s->caplive * sizeof(*s->live) > keep ||
	    s->capval * sizeof(*s->val) > keep) {
		cm_tokens_free(&s->tk);
		free(s->live);
		free(s->val);
		free(s->hitflags);
		s->live = NULL;
		s->val = NULL;
		s->hitflags = NULL;
		s->nlive = s->caplive = s->capval = 0;
	}
}

const char *cm_senti_label_name(int label)
{
	return label > 0 ? "positive" : label < 0 ? "negative" : "neutral";
}

static const struct cm_lex_entry *ent(const struct cm_senti *s,
    const struct cm_tok *t)
{
	return cm_tok_entry(&s->tk, t);
}

static int kinds(const struct cm_senti *s, const struct cm_tok *t)
{
	return cm_tok_kinds(&s->tk, t);
}

static const char *key(const struct cm_senti *s, const struct cm_tok *t)
{
	return cm_tok_key(&s->tk, t);
}

static int key_is(const struct cm_senti *s, const struct cm_tok *t,
    const char *w)
{
	return cm_tok_key_is(&s->tk, t, w);
}

/* Whether the token's key is one of the NULL-ended list ws. */
static int key_in(const struct cm_senti *s, const struct cm_tok *t,
    const char *const *ws)
{
	for (; *ws; ws++)
		if (key_is(s, t, *ws))
			return 1;
	return 0;
}

/* Whether the token is a negation word. */
static int is_negation(const struct cm_senti *s, const struct cm_tok *t)
{
	return (kinds(s, t) & CM_LEX_NEGATION) != 0;
}

static int grow_live(struct cm_senti *s)
{
	if (s->caplive < s->tk.ntok) {
		size_t cap = s->tk.ntok;
		size_t *nl = realloc(s->live, cap * sizeof(*nl));

		if (nl == NULL)
			return -1;
		s->live = nl;
		s->caplive = cap;
	}
	if (s->capval < s->tk.ntok) {
		size_t cap = s->tk.ntok;
		float *nv = realloc(s->val, cap * sizeof(*nv));
		unsigned *nf;

		if (nv == NULL)
			return -1;
		s->val = nv;
		if ((nf = realloc(s->hitflags, cap * sizeof(*nf))) == NULL)
			return -1;
		s->hitflags = nf;
		s->capval = cap;
	}
	return 0;
}

static struct cm_tok *L(struct cm_senti *s, size_t li)
{
	return &s->tk.tok[s->live[li]];
}

/* The valence a live token carries on its own, before context. */
static double own_valence(struct cm_senti *s, size_t li)
{
	struct cm_tok *t = L(s, li);
	const struct cm_lex_entry *e = ent(s, t);

	if (t->flags & T_RATING)
		return t->rating;
	if (e == NULL || !(e->kinds & CM_LEX_WORD))
		return 0;
	return e->valence;
}

/* "like" is a verb of sentiment after a subject or an auxiliary, and a
 * preposition or a filler elsewhere ("looks like rain"). */
static int like_is_verb(struct cm_senti *s, size_t li)
{
	static const char *const before[] = { "i", "we", "you", "they", "he",
		"she", "really", "would", "i'd", "we'd", "you'd", "they'd", "do",
		"does", "did", "don't", "dont", "didn't", "didnt", "doesn't",
		"doesnt", "to", "also", "totally", "definitely", "still",
		"actually", "genuinely", "truly", "honestly", "people", "all",
		"u", "ya", "def", "who", "kinda", "just", "will", "won't",
		"might", "may", "must", "gonna", "wanna", "not", "ppl", "folks",
		"everyone", "everybody", "nobody", "somebody", "many", "lot",
		"lots", "i'll", "we'll", "you'll", NULL };
	struct cm_tok *p;

	if (li == 0)
		return 0;
	p = L(s, li - 1);
	if (p->clause != L(s, li)->clause)
		return 0;
	return key_in(s, p, before);
}

/* Whether the live token at li acts as a booster: a word with valence
 * follows within three tokens of its clause. */
static int boosts_something(struct cm_senti *s, size_t li)
{
	size_t j;

	for (j = li + 1; j < s->nlive && j <= li + 3; j++) {
		struct cm_tok *t = L(s, j);

		if (t->clause != L(s, li)->clause)
			return 0;
		if (own_valence(s, j) != 0)
			return 1;
	}
	return 0;
}

static double sign(double v)
{
	return v < 0 ? -1 : 1;
}

/* Whether the negation at live token ni reaches to the end of its
 * clause: before a verb of opinion, or opening the clause as a subject. */
static int wide_negation(struct cm_senti *s, size_t ni)
{
	static const char *const opinion[] = { "think", "believe", "feel",
		"suppose", "reckon", "guess", "find", "consider",
		"see", NULL };
	struct cm_tok *n = L(s, ni);

	if (ni + 1 < s->nlive && L(s, ni + 1)->clause == n->clause &&
	    key_in(s, L(s, ni + 1), opinion))
		return 1;
	if ((key_is(s, n, "nothing") || key_is(s, n, "nobody") ||
	    key_is(s, n, "none") || key_is(s, n, "noone")) &&
	    (ni == 0 || L(s, ni - 1)->clause != n->clause))
		return 1;
	return 0;
}

/* "can't ... enough" praises: the negation at ni is "can't" or
 * "cannot" and "enough" follows the word at li closely. */
static int can_enough(struct cm_senti *s, size_t ni, size_t li)
{
	struct cm_tok *n = L(s, ni);
	size_t j;

	if (!key_is(s, n, "can't") && !key_is(s, n, "cant") &&
	    !key_is(s, n, "cannot") && !key_is(s, n, "couldn't") &&
	    !key_is(s, n, "couldnt"))
		return 0;
	for (j = li + 1; j < s->nlive && j <= li + 3; j++) {
		if (L(s, j)->clause != n->clause)
			return 0;
		if (key_is(s, L(s, j), "enough"))
			return 1;
	}
	return 0;
}

/*
 * A term's own valence negated; in_context applies the same ratio to the
 * valence after boosters, caps and elongation, so that "not very
 * amazing" stays milder and "not AMAZING" stronger than "not amazing".
 * "not bad" is less good than "bad" is bad (x -0.5);
 * "not good" is x -0.74, as in VADER, up to 2; a strong positive negated
 * is a milder negative ("not amazing" is less bad than "not good",
 * people rate it so: Kiritchenko and Mohammad, 2016), so from 2 on the
 * negated value tapers back by 0.3 a point.
 */
static double negated(double v)
{
	if (v <= 0)
		return v * CM_SENTI_NEGATE_NEG;
	if (v <= 2)
		return v * CM_SENTI_NEGATE_POS;
	return 2 * CM_SENTI_NEGATE_POS + 0.3 * (v - 2);
}

/* Laughter is not negated: "the bus never came lol" laughs at it.  Any
 * length of "hahaha", "hehehe", "lololol", and the acronyms. */
static int is_laughter(const struct cm_senti *s, const struct cm_tok *t)
{
	static const char *const laughs[] = { "lol", "lolz", "lmao", "lmfao",
		"rofl", "roflmao", "heh", "xd" };
	size_t i;

	if (t->ent < 0 || t->klen == 0)
		return 0;
	if (cm_tok_laughter(s->tk.keys + t->koff, t->klen) != NULL)
		return 1;
	for (i = 0; i < sizeof(laughs) / sizeof(laughs[0]); i++)
		if (key_is(s, t, laughs[i]))
			return 1;
	return 0;
}

/*
 * Whether a term of the other sign stands between the negation at ni and
 * the term at li: the negation is its ("cannot save this clumsy script":
 * "clumsy" stays clumsy), while terms of one sign share it ("not happy
 * or satisfied").
 */
static int negation_taken(struct cm_senti *s, size_t ni, size_t li, double v)
{
	size_t j;

	for (j = ni + 1; j < li; j++) {
		double o = own_valence(s, j);

		if ((o > 0 && v < 0) || (o < 0 && v > 0))
			return 1;
	}
	return 0;
}

/*
 * The valence of live token li in context: booster/dampener before it,
 * post-booster after it, ALL CAPS, elongation, negation.  *hf gets the
 * CM_HIT_* flags.
 */
static double in_context(struct cm_senti *s, size_t li, int capdiff,
    unsigned *hf)
{
	struct cm_tok *t = L(s, li);
	double v = own_valence(s, li), base = v, neg = 1;
	static const double decay[] = { 1.0, 0.95, 0.9 };
	size_t d;

	*hf = 0;
	if (v == 0)
		return 0;
	if (t->flags & T_PHRASE)
		*hf |= CM_HIT_PHRASE;
	if (t->flags & T_EMOJI)
		*hf |= CM_HIT_EMOJI;
	if ((t->flags & T_CAPS) && capdiff) {
		v += sign(v) * CM_SENTI_CAPS;
		*hf |= CM_HIT_CAPS;
	}
	if (t->flags & T_ELONG) {
		v += sign(v) * CM_SENTI_BOOST;
		*hf |= CM_HIT_ELONGATED;
	}
	/* boosters and dampeners up to three tokens before */
	for (d = 1; d <= 3 && d <= li; d++) {
		struct cm_tok *b = L(s, li - d);
		const struct cm_lex_entry *e = ent(s, b);
		double sc;

		if (b->clause != t->clause)
			break;
		if (e == NULL || !(e->kinds & CM_LEX_BOOSTER))
			continue;
		sc = e->boost;
		if ((b->flags & T_CAPS) && capdiff)
			sc += sign(sc) * CM_SENTI_CAPS;
		if (b->flags & T_ELONG)
			sc += sign(sc) * CM_SENTI_BOOST;
		sc *= decay[d - 1];
		/* "not very good" is milder than "not good" */
		if (li - d >= 1 && L(s, li - d - 1)->clause == t->clause &&
		    is_negation(s, L(s, li - d - 1)))
			sc = -sc;
		v += sign(v) * sc;
		*hf |= CM_HIT_BOOSTED;
	}
	/* post-boosters: "good af", "bad as hell" */
	for (d = 1; d <= 2 && li + d < s->nlive; d++) {
		struct cm_tok *b = L(s, li + d);
		const struct cm_lex_entry *e = ent(s, b);

		if (b->clause != t->clause)
			break;
		if (e && (e->kinds & CM_LEX_POSTBOOSTER)) {
			v += sign(v) * e->boost;
			*hf |= CM_HIT_BOOSTED;
			break;
		}
		if (own_valence(s, li + d) != 0)
			break;
	}
	/*
	 * Negation up to three tokens before, in the same clause; further
	 * for "I don't think it is ..." and a clause that opens with
	 * "nothing", "nobody".  Emoji say what they say.
	 */
	for (d = 1; d <= li && d <= WIDE_SCOPE && !(t->flags & T_EMOJI); d++) {
		struct cm_tok *n = L(s, li - d);
		size_t j;
		int never_so = 0;

		if (n->clause != t->clause ||
		    (kinds(s, n) & CM_LEX_CONTRAST))
			break;
		if (!is_negation(s, n))
			continue;
		if (d > 3 && !wide_negation(s, li - d))
			continue;
		if (is_laughter(s, t))
			break;
		if (negation_taken(s, li - d, li, v))
			break;
		/* "not only", "not just": no negation */
		if (li - d + 1 < s->nlive && (key_is(s, L(s, li - d + 1), "only")
		    || key_is(s, L(s, li - d + 1), "just")))
			continue;
		/* "nothing but love" */
		if (li - d + 1 < s->nlive && key_is(s, L(s, li - d + 1), "but"))
			continue;
		/* "never so happy", "never been this good", "rarely this
		 * bored" */
		if (key_is(s, n, "never") || key_is(s, n, "rarely") ||
		    key_is(s, n, "seldom"))
			for (j = li - d + 1; j < li; j++)
				if (key_is(s, L(s, j), "so") ||
				    key_is(s, L(s, j), "this") ||
				    key_is(s, L(s, j), "that") ||
				    key_is(s, L(s, j), "more"))
					never_so = 1;
		/* "can't thank you enough", "cannot recommend it enough" */
		if (can_enough(s, li - d, li))
			never_so = 1;
		if (never_so) {
			neg = 1.25;
			*hf |= CM_HIT_BOOSTED;
		} else {
			neg = negated(base) / base;
			*hf |= CM_HIT_NEGATED;
		}
		break;
	}
	/* "least" as a negation, unless "at least", "very least" */
	if (neg == 1 && li >= 1 && key_is(s, L(s, li - 1), "least") &&
	    L(s, li - 1)->clause == t->clause &&
	    !(li >= 2 && (key_is(s, L(s, li - 2), "at") ||
	    key_is(s, L(s, li - 2), "very")))) {
		neg = negated(base) / base;
		*hf |= CM_HIT_NEGATED;
	}
	return v * neg;
}

/* Applies "but": before it in its sentence (or the previous one when it
 * opens its sentence) x0.5, after it to the end of the sentence x1.5. */
/* Weighs live token j as before (half) or after (1.5 times) a contrast. */
static void weigh(struct cm_senti *s, size_t j, int before)
{
	if (s->val[j] == 0)
		return;
	s->val[j] *= (float)(before ? CM_SENTI_BEFORE_BUT : CM_SENTI_AFTER_BUT);
	s->hitflags[j] |= before ? CM_HIT_BEFORE_BUT : CM_HIT_AFTER_BUT;
}

static void contrasts(struct cm_senti *s)
{
	size_t li, j;

	for (li = 0; li < s->nlive; li++) {
		struct cm_tok *t = L(s, li);
		uint32_t from, to = t->sentence;

		if (!(kinds(s, t) & CM_LEX_CONTRAST))
			continue;
		if (li + 1 < s->nlive && key_is(s, L(s, li + 1), "also"))
			continue;	/* "not only ... but also" */
		if (li > 0 && (key_is(s, L(s, li - 1), "nothing") ||
		    key_is(s, L(s, li - 1), "all") ||
		    key_is(s, L(s, li - 1), "anything")))
			continue;
		from = t->sentence;
		if ((li == 0 || L(s, li - 1)->sentence != t->sentence) &&
		    from > 0)
			from--;
		/* each token is reached from at most two contrasts: linear */
		for (j = li; j-- > 0 && L(s, j)->sentence >= from;)
			weigh(s, j, 1);
		for (j = li + 1; j < s->nlive && L(s, j)->sentence == to; j++)
			weigh(s, j, 0);
		/* one contrast per sentence */
		li = j - 1;
	}
}

/*
 * "Although the plot is weak, the acting is great": a sentence that opens
 * with "although", "though" or "even though" weighs its first clause
 * half and the rest 1.5 times, as "but" does.  Left alone when the
 * sentence has one clause or a contrast of its own.
 */
static void concessions(struct cm_senti *s)
{
	size_t li, j, end;

	for (li = 0; li < s->nlive; li = end) {
		struct cm_tok *t = L(s, li), *f;
		size_t first = li;
		int open, rest = 0, contrast = 0;

		for (end = li; end < s->nlive &&
		    L(s, end)->sentence == t->sentence; end++)
			contrast |= (s->hitflags[end] & (CM_HIT_BEFORE_BUT |
			    CM_HIT_AFTER_BUT)) != 0;
		if (t->hash == s->hash_even && key_is(s, t, "even") &&
		    li + 1 < end)
			first = li + 1;	/* "even though" */
		f = L(s, first);
		open = (f->hash == s->hash_though && key_is(s, f, "though")) ||
		    (first == li && f->hash == s->hash_although &&
		    key_is(s, f, "although"));
		if (!open || contrast)
			continue;
		for (j = first + 1; j < end; j++)
			rest |= L(s, j)->clause != f->clause;
		for (j = first + 1; rest && j < end; j++)
			weigh(s, j, L(s, j)->clause == f->clause);
	}
}

/* Words that may come before ironic praise in its clause: "oh great". */
static const char *const ironic_lead[] = { "oh", "ah", "wow", "just",
	"well", "so", "how", NULL };

/* Whether live token li is one of ironic_terms, as written (not as a
 * word form, "greatest" is no stock praise). */
static int is_ironic(struct cm_senti *s, size_t li)
{
	const struct cm_tok *t = L(s, li);
	const struct cm_lex_entry *e = ent(s, t);
	size_t j;

	if (e == NULL || (t->flags & T_EMOJI) || s->val[li] <= 0)
		return 0;
	if (!(t->flags & T_PHRASE) && (t->klen != e->klen ||
	    memcmp(key(s, t), s->tk.lx->pool + e->key, e->klen) != 0))
		return 0;
	for (j = 0; s->ironic_ent[j] >= 0; j++)
		if (s->ironic_ent[j] == t->ent)
			return 1;
	return 0;
}

/* Whether live tokens from..to-1, a whole clause, are stock praise: at
 * most CM_SENTI_IRONY_CLAUSE tokens, the first an ironic term (after
 * "oh", "just" and the like when lead), none negative. */
static int praise_clause(struct cm_senti *s, size_t from, size_t to,
    int lead)
{
	size_t i = from;

	if (to - from > CM_SENTI_IRONY_CLAUSE)
		return 0;
	for (; lead && i < to && s->val[i] == 0; i++)
		if (!key_in(s, L(s, i), ironic_lead))
			return 0;
	if (i == to || !is_ironic(s, i))
		return 0;
	for (; i < to; i++)
		if (s->val[i] < 0)
			return 0;
	return 1;
}

/* Words that say a trouble is over or owned, which no complaint says:
 * thanks for them are sincere ("thank you, the bug is gone", "sorry for
 * the trouble, thanks"). */
static const char *const settled_terms[] = { "gone", "fixed", "resolved",
	"solved", "sorted", "works", "working", "worked", "over", "away",
	"anymore", "sorry", "apologies", "apologize", "apologise", NULL };

/* Whether live tokens from..to-1 carry a negative term and no positive
 * one, nor a word that settles it: a complaint. */
static int complaint(struct cm_senti *s, size_t from, size_t to)
{
	size_t i;
	int neg = 0;

	for (i = from; i < to; i++) {
		if (s->val[i] > 0)
			return 0;
		neg |= s->val[i] < 0;
	}
	for (i = from; neg && i < to; i++)
		if (key_in(s, L(s, i), settled_terms))
			return 0;
	return neg;
}

/*
 * Unmarked irony: stock praise in a clause of its own that opens the text
 * ("great, my order is late again") or closes it ("the box came crushed,
 * great job"), set against a rest that only complains, praises nothing;
 * its positive valences count as under "/s".  A text all praise ("great
 * great great") or with a contrast word (which the "but" rule weighs) is
 * left as it is.
 */
static void irony(struct cm_senti *s)
{
	size_t a, b, j, from = 0, to = 0;
	uint32_t first, last;

	if (s->nlive < 2)
		return;
	first = L(s, 0)->clause;
	last = L(s, s->nlive - 1)->clause;
	if (first == last)
		return;
	for (a = 1; L(s, a)->clause == first; a++)
		;
	for (b = s->nlive - 1; L(s, b - 1)->clause == last; b--)
		;
	if (praise_clause(s, 0, a, 1) && complaint(s, a, s->nlive))
		to = a;
	else if (praise_clause(s, b, s->nlive, 0) && complaint(s, 0, b)) {
		from = b;
		to = s->nlive;
	}
	for (j = from; j < to; j++)
		if (s->val[j] > 0) {
			s->val[j] *= (float)CM_SENTI_IRONY;
			s->hitflags[j] |= CM_HIT_IRONY;
		}
}

static void keep_hit(struct cm_senti_result *r, const struct cm_tok *t,
    double base, double v, unsigned flags)
{
	unsigned i, n = r->nhits;

	if (n == CM_SENTI_MAX_HITS && fabs(v) <= fabs(r->hits[n - 1].value))
		return;
	if (n < CM_SENTI_MAX_HITS)
		n = ++r->nhits;
	for (i = n - 1; i > 0 && fabs(r->hits[i - 1].value) < fabs(v); i--)
		r->hits[i] = r->hits[i - 1];
	r->hits[i].off = t->off;
	r->hits[i].len = (t->flags & T_PHRASE) ? t->plen : t->len;
	r->hits[i].base = (float)base;
	r->hits[i].value = (float)v;
	r->hits[i].flags = flags;
}

int cm_senti_score(struct cm_senti *s, const char *text, size_t len,
    struct cm_senti_result *r)
{
	size_t i, li;
	double sum = 0, emph;
	int capdiff, any_contrast = 0, any_concession = 0, any_pos = 0,
	    any_neg = 0;

	memset(r, 0, sizeof(*r));
	s->tk.ntok = 0;
	if (len > TEXT_MAX) {
		len = TEXT_MAX;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	if (cm_tokenize(&s->tk, text, len) < 0 || grow_live(s) < 0) {
		s->tk.ntok = 0;
		return -1;
	}
	s->nlive = 0;
	for (i = 0; i < s->tk.ntok; i++) {
		struct cm_tok *t = &s->tk.tok[i];

		if (t->flags & T_DEAD)
			continue;
		s->live[s->nlive++] = i;
		any_concession |= t->hash == s->hash_though ||
		    t->hash == s->hash_although;
		if (t->flags & T_CAPS)
			r->ncaps++;
		if (t->flags & T_LOWER)
			r->nwords_lower++;
	}
	/* "Great day... not.": a closing "not" on its own is sarcasm */
	if (s->nlive >= 2) {
		struct cm_tok *last = L(s, s->nlive - 1);

		if (key_is(s, last, "not") && !(last->flags & T_PHRASE) &&
		    L(s, s->nlive - 2)->clause != last->clause)
			s->tk.sarcasm = 1;
	}
	r->ntokens = (unsigned)s->nlive;
	r->nexclaim = s->tk.nexclaim;
	r->nquestion = s->tk.nquestion;
	r->sarcasm = s->tk.sarcasm;
	capdiff = r->ncaps > 0 && r->nwords_lower > 0;
	for (li = 0; li < s->nlive; li++) {
		struct cm_tok *t = L(s, li);
		const struct cm_lex_entry *e;

		s->val[li] = 0;
		s->hitflags[li] = 0;
		if (t->ent < 0 && !(t->flags & T_RATING))
			continue;	/* most words: no term */
		e = ent(s, t);
		if (e && (e->kinds & CM_LEX_CONTRAST))
			any_contrast = 1;
		if (e && (e->kinds & CM_LEX_BOOSTER) && boosts_something(s, li))
			continue;
		if (e && (e->kinds & (CM_LEX_NEGATION | CM_LEX_CONTRAST)) &&
		    !(e->kinds & CM_LEX_WORD))
			continue;
		if (t->ent == s->like_ent && s->like_ent >= 0 &&
		    !(t->flags & T_PHRASE) && !like_is_verb(s, li))
			continue;
		s->val[li] = (float)in_context(s, li, capdiff, &s->hitflags[li]);
		any_pos |= s->val[li] > 0;
		any_neg |= s->val[li] < 0;
	}
	if (any_contrast)
		contrasts(s);
	if (any_concession)
		concessions(s);
	if (!s->tk.sarcasm && !any_contrast && any_pos && any_neg)
		irony(s);
	for (li = 0; li < s->nlive; li++) {
		double v = s->val[li];

		if (v == 0)
			continue;
		if (s->tk.sarcasm && v > 0) {
			v *= CM_SENTI_IRONY;
			s->hitflags[li] |= CM_HIT_SARCASM;
		}
		sum += v;
		r->nterms++;
		keep_hit(r, L(s, li), own_valence(s, li), v, s->hitflags[li]);
	}
	/* emphasis of punctuation, in the direction of what is said */
	emph = (s->tk.nexclaim > 4 ? 4 : s->tk.nexclaim) * CM_SENTI_EXCLAIM;
	if (s->tk.nquestion > 1)
		emph += s->tk.nquestion <= 3 ? s->tk.nquestion * 0.18 : 0.96;
	if (sum > 0 && emph > 0) {
		sum += emph;
		r->punct = emph;
	} else if (sum < 0 && emph > 0) {
		sum -= emph;
		r->punct = -emph;
	}
	r->sum = sum;
	r->compound = sum / sqrt(sum * sum + CM_SENTI_ALPHA);
	if (r->compound > 1)
		r->compound = 1;
	if (r->compound < -1)
		r->compound = -1;
	r->label = r->compound >= CM_SENTI_THRESHOLD ? 1 :
	    r->compound <= -CM_SENTI_THRESHOLD ? -1 : 0;
	return 0;
}

size_t cm_senti_ntokens(const struct cm_senti *s)
{
	return s->tk.ntok;
}

const char *cm_senti_token(const struct cm_senti *s, size_t i, size_t *len)
{
	if (i >= s->tk.ntok) {
		*len = 0;
		return "";
	}
	*len = s->tk.tok[i].klen;
	return key(s, &s->tk.tok[i]);
}

int cm_senti_token_kinds(const struct cm_senti *s, size_t i)
{
	const struct cm_tok *t;
	int32_t e;

	if (i >= s->tk.ntok)
		return 0;
	t = &s->tk.tok[i];
	if (t->flags & T_PHRASE) {
		/* the phrase took the entry: look the word up again */
		e = cm_lex_lookup_key(s->tk.lx, key(s, t), t->klen);
		return e >= 0 ? s->tk.lx->e[e].kinds & ~LEX_FLAGS : 0;
	}
	return kinds(s, t) & ~LEX_FLAGS;
}

void cm_senti_token_span(const struct cm_senti *s, size_t i, size_t *off,
    size_t *len)
{
	*off = *len = 0;
	if (i < s->tk.ntok) {
		*off = s->tk.tok[i].off;
		*len = s->tk.tok[i].len;
	}
}

const struct cm_tokens *cm_senti_tokens(const struct cm_senti *s)
{
	return &s->tk;
}
