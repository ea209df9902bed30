/* lexicon_int.h - the lexicon's table, for the tokenizer and the rules of
 * lib/score; not for cmd/ */
#ifndef CM_LEXICON_INT_H
#define CM_LEXICON_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lexicon.h"

/*
 * lexicon.c builds the table and owns every byte of it; the tokenizer
 * (tokenize.c) and the rules (sentiment.c) read it in place, through the
 * inline lookups below, so that a word costs one probe in their inner
 * loops.  Keys are normalized (cm_lex_normalize): lower-cased, a phrase's
 * words joined by single spaces.
 */

/* Entry flags beside the kinds: the first word of a multi-word term, and
 * the first words of one (so phrase matching stops early). */
#define LEX_PHRASE_START (1 << 7)
#define LEX_PHRASE_PREFIX (1 << 6)
#define LEX_FLAGS (LEX_PHRASE_START | LEX_PHRASE_PREFIX)

struct cm_lex_entry {
	uint32_t key;		/* offset in pool */
	uint32_t hash;
	uint16_t klen;
	uint8_t kinds;		/* CM_LEX_* | LEX_PHRASE_START */
	uint8_t words;		/* words in the term */
	uint8_t pmax;		/* most words of a phrase it starts */
	uint8_t fw;		/* a function word of these languages (lang.c's
				 * bits); kinds 0: nothing else, no term */
	float valence;
	float boost;		/* booster or post-booster scalar */
};

/*
 * A bit set of the entries' hashes, two bits each: most words of a text
 * are in no lexicon, and this small set (it stays in the L1 cache) says
 * so for nearly all of them without a probe of the slot table, which is
 * far larger and would miss the cache on every such word.
 */
#define CM_LEX_BLOOM_BITS ((size_t)1 << 17)

static inline uint32_t cm_lex_bloom2(uint32_t h)
{
	return (h * 0x9E3779B1u) >> 15;	/* other bits than h's own */
}

struct cm_lexicon {
	uint64_t bloom[CM_LEX_BLOOM_BITS / 64];
	struct cm_lex_entry *e;
	size_t n, cap;
	uint64_t *slot;		/* hash << 32 | entry index + 1; 0 is empty */
	size_t nslot;		/* power of two */
	char *pool;
	size_t plen, pcap;
	unsigned max_words;
	int32_t not_entry;	/* "not": negations start phrases as "not" */
	/* [languages]: primary subtags, lower-case, NUL-terminated; none
	 * listed means "en"; any_lang for "*" */
	char langs[CM_LEX_LANG_MAX][CM_LEX_LANG_LEN + 1];
	unsigned nlangs;
	int any_lang;
};

/* An entry index, or -1 when it is only a function word: no term. */
static inline int32_t cm_lex_term(const struct cm_lexicon *lx, int32_t i)
{
	return i >= 0 && lx->e[i].kinds == 0 ? -1 : i;
}

/* FNV-1a: a word's hash. */
static inline uint32_t cm_lex_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 16777619u;
	}
	return h;
}

/* A phrase's hash from its words' hashes, one word at a time: matching
 * a phrase in text then costs one step per word, the words' own hashes
 * being known already. */
static inline uint32_t cm_lex_join(uint32_t h, uint32_t word)
{
	h = (h << 5 | h >> 27) ^ word;
	return h * 0x9E3779B1u;
}

/* The hash of a normalized key: FNV-1a for a word, cm_lex_join of the
 * words' hashes for a phrase. */
static inline uint32_t cm_lex_key_hash(const char *k, size_t n)
{
	const char *sp = memchr(k, ' ', n), *end = k + n;
	uint32_t h;

	if (sp == NULL)
		return cm_lex_hash(k, n);
	h = cm_lex_hash(k, (size_t)(sp - k));
	while (sp != NULL) {
		const char *w = sp + 1;

		sp = memchr(w, ' ', (size_t)(end - w));
		h = cm_lex_join(h, cm_lex_hash(w, (size_t)((sp ? sp : end) - w)));
	}
	return h;
}

/* Index of the entry for key (already normalized, h its hash), or -1. */
static inline int32_t cm_lex_find(const struct cm_lexicon *lx,
    const char *key, size_t n, uint32_t h)
{
	size_t mask = lx->nslot - 1, i = h & mask;
	uint32_t a = h & (CM_LEX_BLOOM_BITS - 1), b = cm_lex_bloom2(h);
	uint64_t s;

	if (!(lx->bloom[a >> 6] >> (a & 63) & 1) ||
	    !(lx->bloom[b >> 6] >> (b & 63) & 1))
		return -1;
	while ((s = lx->slot[i]) != 0) {
		if ((uint32_t)(s >> 32) == h) {
			const struct cm_lex_entry *e = &lx->e[(uint32_t)s - 1];

			if (e->klen == n && memcmp(lx->pool + e->key, key, n) == 0)
				return (int32_t)((uint32_t)s - 1);
		}
		i = (i + 1) & mask;
	}
	return -1;
}

/* cm_lex_find with the hash computed. */
static inline int32_t cm_lex_lookup_key(const struct cm_lexicon *lx,
    const char *k, size_t n)
{
	return cm_lex_find(lx, k, n, cm_lex_key_hash(k, n));
}

static inline int cm_lex_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int cm_lex_is_skin_tone(uint32_t cp)
{
	return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

/*
 * The entry a word the lexicon lacks takes its valence from, by the
 * suffix rules of cm-score(1), WORD FORMS: "amazes" from "amaze",
 * "luckiest" from "lucky", "lovin" from "loving".  k[0..n) is a token's
 * key; only keys of 4 to 40 lower-case ASCII letters have forms, and
 * only plain [words] lend their valence (no negation, booster or
 * contrast).  Returns the entry's index, or -1.  Try it after a miss
 * only: a form the lexicon lists (at 0 for false friends: "latest" is
 * not "late") is never rewritten.
 */
int32_t cm_lex_form(const struct cm_lexicon *lx, const char *k, size_t n);

/*
 * Appends the normalized form of a term's bytes to out (at most max):
 * ASCII and Latin-1 letters lower-cased, typographic apostrophes made
 * ASCII, emoji presentation selectors and skin tones dropped.  Returns
 * the length, or -1 when it does not fit or is not valid UTF-8.  What a
 * key is, for the file's terms and the text's tokens alike.
 */
long cm_lex_normalize(const char *s, size_t n, char *out, size_t max);

#endif
