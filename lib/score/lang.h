/* lang.h - whether a text is in a language the lexicon covers */
#ifndef CM_LANG_H
#define CM_LANG_H

#include <stddef.h>

#include "lexicon.h"

/*
 * A sentiment lexicon knows the words of its languages only: a text in
 * another one would score 0, neutral, with no term found.  A cm_langid
 * tells such texts apart, from the record's "lang" when it has one, or
 * else from the text's tokens (its script, and its commonest function
 * words); the rules are in cm-score(1), LANGUAGES.  It reads lx
 * (borrowed, must outlive it) and is only read once made, so threads may
 * share one.  Free with cm_langid_free.
 */
struct cm_langid;
struct cm_tokens;

/*
 * The function words of language i (0, 1, ... up to a NULL): lower-case,
 * space-separated.  cm_lexicon_new makes them entries (lexicon_int.h,
 * fw), so that the tokenizer counts them as it looks its words up.
 */
const char *cm_lang_words(unsigned i);

/* NULL on ENOMEM. */
struct cm_langid *cm_langid_new(const struct cm_lexicon *lx);
void cm_langid_free(struct cm_langid *li);

/*
 * Whether a text tagged tag[0..len) (BCP 47, "de", "pt-BR") is in a
 * covered language: 1; 0 with why (of size n) saying why not; -1 when
 * the tag tells nothing ("und", empty) and the text must be looked at.
 */
int cm_langid_tag(const struct cm_langid *li, const char *tag, size_t len,
    char *why, size_t n);

/*
 * Whether the text whose tokens tk holds (from cm_senti_score on text)
 * looks like a covered language: 1, also when it cannot be told; 0 with
 * why (of size n) saying why not.  Reads the function words the tokenizer
 * counted, and the script of the first 64 tokens when a word has other
 * than ASCII; allocates nothing.
 */
int cm_langid_text(const struct cm_langid *li, const struct cm_tokens *tk,
    const char *text, char *why, size_t n);

#endif
