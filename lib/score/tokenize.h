/* tokenize.h - a text cut into the tokens the sentiment rules read, and
 * the lexicon's terms matched on them; internal to lib/score */
#ifndef CM_TOKENIZE_H
#define CM_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lexicon_int.h"

/*
 * The tokenizer (tokenize.c) cuts a text into words, emoticons, emoji
 * and ratings, each with its clause and sentence, its lower-cased key
 * and its lexicon entry, and then joins the tokens of multi-word terms
 * (the rest of a phrase is marked T_DEAD).  URLs, @handles and
 * punctuation make no tokens; '!' and '?' are counted, "/s" and the
 * sarcastic emoji noted.  The rules (sentiment.c) read what it made;
 * the cm_tokens owns its arrays, which are reused from text to text.
 */
enum {
	T_CAPS = 1 << 0,	/* ALL CAPS, two letters or more */
	T_LOWER = 1 << 1,	/* has a lower-case letter */
	T_ELONG = 1 << 2,	/* matched after shortening "goood" */
	T_EMOJI = 1 << 3,	/* emoji or emoticon */
	T_DEAD = 1 << 4,	/* part of a phrase started earlier */
	T_PHRASE = 1 << 5,
	T_RATING = 1 << 6	/* "8/10" */
};

struct cm_tok {
	uint32_t off, len;	/* bytes of the text */
	uint32_t plen;		/* T_PHRASE: bytes of the whole phrase */
	uint32_t koff;		/* key in keys */
	uint16_t klen;
	uint16_t flags;
	uint32_t clause, sentence;
	int32_t ent;		/* lexicon entry or -1 */
	float rating;		/* valence of a T_RATING token */
	uint32_t hash;		/* FNV-1a of the key */
};

struct cm_tokens {
	const struct cm_lexicon *lx;	/* borrowed */
	struct cm_tok *tok;
	size_t ntok, captok;
	char *keys;		/* every token's key, NUL-terminated */
	size_t klen, kcap;
	uint32_t clause, sentence;	/* while tokenizing: the current ones */
	unsigned nexclaim, nquestion;
	unsigned ninverted;	/* Spanish '¡' and '¿', for lang.c */
	/* for lang.c: the function words of the first CM_TOK_FW_MAX, a
	 * count a byte for each language (1 << 8 * its bit), and the words
	 * with a byte from 0x80 on */
	uint64_t fw;
	unsigned nfw, nonascii;
	int sarcasm;		/* "/s", an upside-down face, rolled eyes */
};

#define CM_TOK_FW_MAX 64

/* An empty set of tokens over lx (borrowed, must outlive it).  Returns
 * 0, or -1 when the tokenizer's tables cannot be set up. */
int cm_tokens_init(struct cm_tokens *tk, const struct cm_lexicon *lx);
/* Frees the arrays; tk may be tokenized into again. */
void cm_tokens_free(struct cm_tokens *tk);

/* Tokenizes text[0..len) (UTF-8; invalid bytes are separators) into tk,
 * phrases matched.  Returns 0, or -1 on ENOMEM. */
int cm_tokenize(struct cm_tokens *tk, const char *text, size_t len);

/* The lookup key laughter of any length reads as ("hahaha": "haha"),
 * or NULL. */
const char *cm_tok_laughter(const char *k, size_t n);

static inline const struct cm_lex_entry *cm_tok_entry(
    const struct cm_tokens *tk, const struct cm_tok *t)
{
	return t->ent >= 0 ? &tk->lx->e[t->ent] : NULL;
}

/* The token's lexicon kinds, with LEX_FLAGS. */
static inline int cm_tok_kinds(const struct cm_tokens *tk,
    const struct cm_tok *t)
{
	return t->ent >= 0 ? tk->lx->e[t->ent].kinds : 0;
}

static inline const char *cm_tok_key(const struct cm_tokens *tk,
    const struct cm_tok *t)
{
	return tk->keys + t->koff;
}

/* Whether the token's key is the word w. */
static inline int cm_tok_key_is(const struct cm_tokens *tk,
    const struct cm_tok *t, const char *w)
{
	size_t n;

	if (t->klen == 0 || tk->keys[t->koff] != w[0])
		return 0;
	n = strlen(w);
	return t->klen == n && memcmp(tk->keys + t->koff, w, n) == 0;
}

#endif
