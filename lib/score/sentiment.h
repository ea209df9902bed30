/* sentiment.h - rule-based sentiment over a lexicon, in the spirit of VADER */
#ifndef CM_SENTIMENT_H
#define CM_SENTIMENT_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"

/*
 * Three files make it, each using only those before it: lexicon.c reads
 * the lexicon (lexicon.h) and owns its table, tokenize.c cuts a text into
 * tokens and matches the lexicon's phrases on them (tokenize.h, internal
 * to lib/score), and sentiment.c applies the rules below to the tokens.
 * A scorer (struct cm_senti) owns its tokens and scratch; the lexicon is
 * the caller's.
 */

/* The constants of the rules, documented in cm-score(1). */
#define CM_SENTI_BOOST CM_LEX_BOOST	/* a booster's default; elongation */
#define CM_SENTI_CAPS 0.733		/* ALL CAPS emphasis */
#define CM_SENTI_NEGATE_POS (-0.74)	/* "not good" */
#define CM_SENTI_NEGATE_NEG (-0.5)	/* "not bad": weaker */
#define CM_SENTI_BEFORE_BUT 0.5
#define CM_SENTI_AFTER_BUT 1.5
#define CM_SENTI_EXCLAIM 0.292		/* per '!', at most 4 */
#define CM_SENTI_IRONY (-0.74)		/* sarcasm and irony flip praise */
#define CM_SENTI_IRONY_CLAUSE 3		/* tokens of an ironic clause, at most */
#define CM_SENTI_ALPHA 15.0		/* normalization s / sqrt(s*s + a) */
#define CM_SENTI_THRESHOLD 0.05		/* label: positive >= t, negative <= -t */

/* Signals that changed a term's valence, for explanations. */
enum {
	CM_HIT_NEGATED = 1 << 0,
	CM_HIT_BOOSTED = 1 << 1,	/* booster or dampener applied */
	CM_HIT_CAPS = 1 << 2,
	CM_HIT_ELONGATED = 1 << 3,
	CM_HIT_BEFORE_BUT = 1 << 4,
	CM_HIT_AFTER_BUT = 1 << 5,
	CM_HIT_PHRASE = 1 << 6,		/* a multi-word term */
	CM_HIT_EMOJI = 1 << 7,		/* an emoji or emoticon */
	CM_HIT_SARCASM = 1 << 8,	/* flipped by a "/s" marker */
	CM_HIT_IRONY = 1 << 9		/* stock praise set against a
					 * complaint: "great, ... late again" */
};

/* One term that carried sentiment: where it is in the text and what it
 * finally counted for. */
struct cm_senti_hit {
	size_t off, len;	/* bytes of the text */
	float base;		/* the lexicon's valence */
	float value;		/* after the rules */
	unsigned flags;		/* CM_HIT_* */
};

/* How many hits a result keeps: the strongest ones. */
#define CM_SENTI_MAX_HITS 8

struct cm_senti_result {
	double compound;	/* -1..1 */
	int label;		/* 1 positive, 0 neutral, -1 negative */
	double sum;		/* before normalization */
	double punct;		/* the part of sum from '!' and '?' */
	unsigned nexclaim, nquestion;	/* counts in the text */
	unsigned nterms;	/* terms that carried sentiment */
	unsigned ntokens;	/* words, emoji and emoticons */
	unsigned ncaps;		/* ALL CAPS words (two letters or more) */
	unsigned nwords_lower;	/* words with a lower-case letter */
	int sarcasm;		/* a "/s" marker was seen */
	struct cm_senti_hit hits[CM_SENTI_MAX_HITS];	/* by |value|, desc */
	unsigned nhits;
};

/*
 * A scorer: the lexicon it reads (borrowed, not freed, must outlive it)
 * and scratch space reused from text to text, so scoring does not
 * allocate once warmed up.  Free with cm_senti_free.
 */
struct cm_senti;

struct cm_senti *cm_senti_new(const struct cm_lexicon *lx);
void cm_senti_free(struct cm_senti *s);
/* Gives back scratch space a long text made grow past keep bytes, so a
 * scorer kept for a whole run (one per thread) holds only what ordinary
 * texts need.  The tokens of the last text are gone after it. */
void cm_senti_trim(struct cm_senti *s, size_t keep);

/*
 * Scores text[0..len) (UTF-8; invalid bytes are treated as separators).
 * Fills *res.  Returns 0, or -1 on ENOMEM (res is then neutral).  The
 * hits' offsets point into text.
 */
int cm_senti_score(struct cm_senti *s, const char *text, size_t len,
    struct cm_senti_result *res);

/* "positive", "neutral" or "negative". */
const char *cm_senti_label_name(int label);

/* The tokens of the last scored text, for rules built on them (intent,
 * urgency): each token's lower-cased key, NUL-terminated, valid until
 * the next score.  Emoji keys are their UTF-8 bytes. */
size_t cm_senti_ntokens(const struct cm_senti *s);
const char *cm_senti_token(const struct cm_senti *s, size_t i, size_t *len);
/* The lexicon kinds (CM_LEX_*) of token i as it stands alone; tokens
 * swallowed by a phrase keep their own. */
int cm_senti_token_kinds(const struct cm_senti *s, size_t i);
/* Where token i is in the text, as bytes: *off and *len. */
void cm_senti_token_span(const struct cm_senti *s, size_t i, size_t *off,
    size_t *len);
/* All the tokens of the last scored text (tokenize.h, for lib/score). */
struct cm_tokens;
const struct cm_tokens *cm_senti_tokens(const struct cm_senti *s);

#endif
