/* score.h - intent, urgency, influence, priority and why for cm-score */
#ifndef CM_SCORE_H
#define CM_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "sentiment.h"

/*
 * How much each signal weighs in the priority; any non-negative numbers,
 * normalized by their sum (see cm-score(1), WEIGHTS).
 */
struct cm_score_weights {
	double negativity;	/* how negative the sentiment is */
	double urgency;
	double influence;
	double intent;		/* complaint > request > question > ... */
};

#define CM_SCORE_WEIGHTS_DEFAULT { 0.25, 0.35, 0.2, 0.2 }

/* Sets one weight by name ("negativity", "urgency", "influence",
 * "intent") from a decimal string.  Returns 0, or -1 with *why set. */
int cm_score_weight_set(struct cm_score_weights *w, const char *name,
    const char *value, const char **why);

/* Parses "urgency=0.5,influence=0.1" into w (unnamed weights kept).
 * Returns 0, or -1 with *why set. */
int cm_score_weights_parse(struct cm_score_weights *w, const char *spec,
    const char **why);

enum cm_intent {
	CM_INTENT_OTHER,
	CM_INTENT_QUESTION,
	CM_INTENT_COMPLAINT,
	CM_INTENT_PRAISE,
	CM_INTENT_REQUEST,
	CM_INTENT_SPAM
};

const char *cm_intent_name(enum cm_intent i);

/* What a record gives the scorer; numbers are -1 when null or absent. */
struct cm_score_input {
	const char *text;	/* NULL: the record has no text */
	size_t len;
	const char *lang;	/* the record's BCP 47 "lang", NULL when null */
	size_t lang_len;
	int64_t followers;
	int64_t likes, reposts, replies, quotes;
	int verified;		/* 1, 0, or -1 unknown */
	int is_brand;		/* written by the account we manage */
	size_t nlinks;		/* links[] entries (URLs in text are counted too) */
	size_t nmentions;	/* mentions[] entries */
	size_t ntags;		/* tags[] entries */
};

#define CM_SCORE_WHY_MAX 4
#define CM_SCORE_WHY_LEN 96

struct cm_score {
	struct cm_senti_result senti;
	int has_text;
	/* in a language the lexicon does not cover: no sentiment (null),
	 * why[0] says why (why[1] for the brand's own post) */
	int unscored;
	int own;		/* the brand's own post: priority 0 */
	enum cm_intent intent;
	char intent_cue[48];	/* what decided it, may be empty */
	double spam_points;
	double urgency;
	char urgency_cues[80];	/* "refund, outage" */
	double influence;
	double priority;
	/* the parts of the priority, weight times signal over the sum */
	double part_negativity, part_urgency, part_influence, part_intent;
	char why[CM_SCORE_WHY_MAX][CM_SCORE_WHY_LEN];
	size_t nwhy;
};

/*
 * A scorer holds a sentiment scorer over lx (borrowed: it must outlive
 * the scorer) and the weights.  Free with cm_scorer_free.
 */
struct cm_scorer;

struct cm_scorer *cm_scorer_new(const struct cm_lexicon *lx,
    const struct cm_score_weights *w);
void cm_scorer_free(struct cm_scorer *sc);
/* Gives back scratch a long text made grow past keep bytes
 * (cm_senti_trim). */
void cm_scorer_trim(struct cm_scorer *sc, size_t keep);

/*
 * Scores one record.  With only_sentiment, intent, urgency, influence
 * and priority are left at zero and why lists the strongest terms.  A
 * text in a language the lexicon does not cover (in->lang, or a look at
 * the text when it is NULL; cm-score(1), LANGUAGES) gets no sentiment:
 * out->unscored is set.
 * Returns 0, or -1 on ENOMEM.
 */
int cm_scorer_score(struct cm_scorer *sc, const struct cm_score_input *in,
    int only_sentiment, struct cm_score *out);

/*
 * Appends the score object as JSON (no newline) to out:
 * {"sentiment":..,"label":..,"intent":..,"urgency":..,"influence":..,
 * "priority":..,"why":[..]}, or only sentiment, label and why;
 * sentiment and label are null when s->unscored.
 * Returns 0, or -1 when out's limit is reached.
 */
int cm_score_json(const struct cm_score *s, int only_sentiment,
    struct cm_buf *out);

/*
 * Appends a human-readable breakdown (several lines, each ending in a
 * newline) of how s was computed from text to out; name heads it (an
 * id or FILE:LINE).  Returns 0, or -1 when out's limit is reached.
 */
int cm_score_explain(const struct cm_score *s, const struct cm_scorer *sc,
    const char *name, const char *text, size_t len, int only_sentiment,
    struct cm_buf *out);

#endif
