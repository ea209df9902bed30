/* lexicon.h - the sentiment lexicon: its file format and its lookups */
#ifndef CM_LEXICON_H
#define CM_LEXICON_H

#include <stddef.h>

#include "core/error.h"

/*
 * A lexicon maps terms (words, multi-word phrases, emoticons, emoji code
 * point sequences) to what they do: a valence on the -4..+4 scale, a
 * booster scalar, negation or contrast.  The file format is in
 * cm-score(1), LEXICON FORMAT.  Terms are matched case-insensitively
 * (ASCII and Latin-1 letters).  A cm_lexicon owns all its memory; free it
 * with cm_lexicon_free.  Once loaded it is only read, so scorers on
 * several threads may share one.
 */
struct cm_lexicon;

/* Kinds of a term, as flags: one term may be a word and a booster. */
enum {
	CM_LEX_WORD = 1 << 0,		/* [words]: has a valence */
	CM_LEX_BOOSTER = 1 << 1,	/* [boosters]: scales the next word */
	CM_LEX_POSTBOOSTER = 1 << 2,	/* [post-boosters]: the previous */
	CM_LEX_NEGATION = 1 << 3,	/* [negations] */
	CM_LEX_CONTRAST = 1 << 4	/* [contrasts]: "but" */
};

/* Largest term, in bytes, and words in a phrase. */
#define CM_LEX_TERM_MAX 64
#define CM_LEX_PHRASE_MAX 8

/* Most languages a lexicon's [languages] sections list, and the longest
 * primary subtag (BCP 47: 2 to 8 letters). */
#define CM_LEX_LANG_MAX 32
#define CM_LEX_LANG_LEN 8

/* A booster's scalar when its line gives none. */
#define CM_LEX_BOOST 0.293

/* An empty lexicon; NULL on ENOMEM. */
struct cm_lexicon *cm_lexicon_new(void);
void cm_lexicon_free(struct cm_lexicon *lx);

/*
 * Adds the entries of data[0..len), a lexicon file called name (for
 * messages), to lx: a term already there takes the new value for that
 * kind (so --lexicon-add overrides).  Returns 0, or -1 with *err filled
 * (syntax error with its line, or ENOMEM); entries before the bad line
 * are kept.
 */
int cm_lexicon_parse(struct cm_lexicon *lx, const char *name,
    const char *data, size_t len, struct cm_error *err);

/* cm_lexicon_parse on the contents of path (capped at 64 MiB). */
int cm_lexicon_load(struct cm_lexicon *lx, const char *path,
    struct cm_error *err);

/* Number of distinct terms. */
size_t cm_lexicon_size(const struct cm_lexicon *lx);

/*
 * Looks a term up (case-insensitively; a phrase with single spaces).
 * Returns its kind flags, 0 when absent; *valence and *boost, when not
 * NULL, get the values (0 when the term has no such kind).
 */
int cm_lexicon_lookup(const struct cm_lexicon *lx, const char *term,
    size_t len, double *valence, double *boost);

/*
 * Whether the lexicon covers the language whose BCP 47 tag is
 * tag[0..len) ("de", "pt-BR"): its primary subtag, compared
 * case-insensitively, is one of those its [languages] sections list
 * ("en" when none do), or they list "*".  1 or 0.
 */
int cm_lexicon_covers(const struct cm_lexicon *lx, const char *tag,
    size_t len);

/* The languages the lexicon covers, ", "-joined ("en", "en, de", "any")
 * into buf of size n (cut short when it does not fit). */
void cm_lexicon_languages(const struct cm_lexicon *lx, char *buf, size_t n);

#endif
