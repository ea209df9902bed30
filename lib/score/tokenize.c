/* tokenize.c - a text cut into tokens for the sentiment rules, and the
 * lexicon's multi-word terms matched on them */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "tokenize.h"

/* Pictographs and symbols that make an emoji token. */
static int is_emoji(uint32_t cp)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF) ||
	    (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2300 && cp <= 0x23FF) ||
	    (cp >= 0x2B00 && cp <= 0x2BFF) || (cp >= 0x2190 && cp <= 0x21FF) ||
	    (cp >= 0x25A0 && cp <= 0x25FF) || cp == 0x3030 || cp == 0x303D ||
	    cp == 0x3297 || cp == 0x3299 || cp == 0x2122 || cp == 0x2139 ||
	    cp == 0x2705 || cp == 0x00A9 || cp == 0x00AE;
}

/* Joins an emoji sequence without being one itself. */
static int is_emoji_modifier(uint32_t cp)
{
	return cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 ||
	    cm_lex_is_skin_tone(cp) || (cp >= 0xE0020 && cp <= 0xE007F);
}

/* A new token; NULL on ENOMEM. */
static inline struct cm_tok *tok_new(struct cm_tokens *s, size_t off, size_t len)
{
	struct cm_tok *t;

	if (s->ntok == s->captok) {
		size_t cap = s->captok ? s->captok * 2 : 256;
		struct cm_tok *nt = realloc(s->tok, cap * sizeof(*nt));

		if (nt == NULL)
			return NULL;
		s->tok = nt;
		s->captok = cap;
	}
	t = &s->tok[s->ntok++];
	t->off = (uint32_t)off;
	t->len = (uint32_t)len;
	t->koff = (uint32_t)s->klen;
	t->klen = 0;
	t->flags = 0;
	t->clause = s->clause;
	t->sentence = s->sentence;
	t->ent = -1;
	t->rating = 0;
	t->hash = 0;
	return t;
}

/*
 * The entry ent a word's own key found: a function word is counted (its
 * languages' bits spread a byte each), and one that is nothing else is
 * no term.
 */
static inline int32_t found(struct cm_tokens *s, int32_t ent)
{
	uint64_t m;

	if (ent < 0 || (m = s->lx->e[ent].fw) == 0)
		return ent;
	if (s->nfw < CM_TOK_FW_MAX) {
		m = (m | m << 28) & 0x0000000F0000000Fu;
		m = (m | m << 14) & 0x0003000300030003u;
		m = (m | m << 7) & 0x0101010101010101u;
		s->fw += m;
		s->nfw++;
	}
	return s->lx->e[ent].kinds ? ent : -1;
}

/* Sets the token's key (n bytes, fits: keys was reserved). */
static void tok_key(struct cm_tokens *s, struct cm_tok *t, const char *k,
    size_t n)
{
	t->koff = (uint32_t)s->klen;
	t->klen = (uint16_t)n;
	t->hash = cm_lex_hash(k, n);
	memcpy(s->keys + s->klen, k, n);
	s->keys[s->klen + n] = '\0';
	s->klen += n + 1;
}

/* Shortens runs of three or more equal letters to keep letters;
 * returns the new length (0 when nothing changed). */
static size_t squeeze(const char *k, size_t n, char *out, size_t keep)
{
	size_t i = 0, o = 0, j, changed = 0;

	while (i < n) {
		for (j = i; j < n && k[j] == k[i]; j++)
			;
		if (j - i >= 3 && cm_lex_is_alpha(k[i])) {
			memset(out + o, k[i], keep);
			o += keep;
			changed = 1;
		} else {
			memcpy(out + o, k + i, j - i);
			o += j - i;
		}
		i = j;
	}
	return changed ? o : 0;
}

/* Whether k has three equal bytes in a row. */
static int has_run(const char *k, size_t n)
{
	size_t i;

	for (i = 2; i < n; i++)
		if (k[i] == k[i - 1] && k[i] == k[i - 2])
			return 1;
	return 0;
}

/* Whether key is laughter: "hahaha", "ahahah", "hehehe", "lololol". */
const char *cm_tok_laughter(const char *k, size_t n)
{
	size_t i, h = 0, a = 0, e = 0, l = 0, o = 0;

	if (n < 4 || n > 40)
		return NULL;
	for (i = 0; i < n; i++)
		switch (k[i]) {
		case 'h': h++; break;
		case 'a': a++; break;
		case 'e': e++; break;
		case 'l': l++; break;
		case 'o': o++; break;
		default: return NULL;
		}
	if (h >= 2 && a >= 1 && e == 0 && l == 0 && o == 0)
		return "haha";
	if (h >= 2 && e >= 1 && a == 0 && l == 0 && o == 0)
		return "hehe";
	if (l >= 2 && o >= 1 && h == 0 && a == 0 && e == 0 && k[0] == 'l')
		return "lol";
	return NULL;
}

/* Whether a missed key may be a word form (cm_lex_form): the endings
 * its suffix rules know, so that most misses cost nothing more. */
static int may_be_form(const char *k, size_t n)
{
	char c;

	if (n < 4)
		return 0;
	c = k[n - 1];
	return c == 's' || c == 'd' || c == 'g' || c == 'n' || c == 't' ||
	    c == 'r' || c == 'y';
}

/*
 * After a miss on the word as written (its key is the token's): tries it
 * shortened ("sooo goood"), without a possessive "'s", as laughter, and
 * as a form of a word the lexicon has ("amazes": "amaze").
 */
static void word_retry(struct cm_tokens *s, struct cm_tok *t)
{
	const struct cm_lexicon *lx = s->lx;
	char tmp[CM_LEX_TERM_MAX * 4];
	const char *laugh, *k = s->keys + t->koff;
	size_t m, n = t->klen;
	int32_t e;

	if (n > CM_LEX_TERM_MAX * 4)
		return;
	if (has_run(k, n) && (m = squeeze(k, n, tmp, 2)) != 0) {
		if ((e = cm_lex_term(lx, cm_lex_lookup_key(lx, tmp, m))) < 0 &&
		    (m = squeeze(k, n, tmp, 1)) != 0)
			e = cm_lex_term(lx, cm_lex_lookup_key(lx, tmp, m));
		/* a form stretched: "lovinnn", "amazesss" */
		if (e < 0 && m > 0 && may_be_form(tmp, m))
			e = cm_lex_form(lx, tmp, m);
		if (e < 0 && (m = squeeze(k, n, tmp, 2)) != 0 &&
		    may_be_form(tmp, m))
			e = cm_lex_form(lx, tmp, m);
		if (e >= 0) {
			t->ent = e;
			t->flags |= T_ELONG;
			/* the shortened key, for phrases: fits in place */
			memcpy(s->keys + t->koff, tmp, m);
			s->keys[t->koff + m] = '\0';
			t->klen = (uint16_t)m;
			t->hash = cm_lex_hash(tmp, m);
			return;
		}
	}
	if (n > 2 && k[n - 1] == 's' && k[n - 2] == '\'' &&
	    (e = cm_lex_term(lx, cm_lex_lookup_key(lx, k, n - 2))) >= 0) {
		t->ent = e;
		return;
	}
	if (n >= 4 && (k[0] == 'h' || k[0] == 'a' || k[0] == 'l') &&
	    (laugh = cm_tok_laughter(k, n)) != NULL &&
	    (e = cm_lex_term(lx, cm_lex_lookup_key(lx, laugh,
	    strlen(laugh)))) >= 0) {
		t->ent = e;
		return;
	}
	if (may_be_form(k, n))
		t->ent = cm_lex_form(lx, k, n);
}

/* Sets the token's key to k (normalized) and looks it up. */
static void word_lookup(struct cm_tokens *s, struct cm_tok *t, const char *k,
    size_t n)
{
	int32_t e;

	if (n > CM_LEX_TERM_MAX * 4) {
		tok_key(s, t, "", 0);
		return;
	}
	tok_key(s, t, k, n);
	s->nonascii++;
	if ((t->ent = found(s, e = cm_lex_lookup_key(s->lx, k, n))) < 0 &&
	    e < 0)
		word_retry(s, t);
}

static uint32_t decode_at(const unsigned char *p, size_t n, size_t *k)
{
	if (p[0] < 0x80) {
		*k = 1;
		return p[0];
	}
	if ((*k = cm_utf8_valid_prefix(p, n)) == 0)
		return 0xFFFFFFFF;
	return cm_utf8_decode(p, *k);
}

/* Whether a code point from U+0080 on can be part of a word: letters of
 * any script, not spaces, punctuation, symbols or emoji. */
static int is_word_cp(uint32_t cp)
{
	return !(cp == 0xFFFFFFFF || is_emoji(cp) || is_emoji_modifier(cp) ||
	    (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x80 && cp <= 0xBF) ||
	    cp == 0xD7 || cp == 0xF7 || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
	    (cp >= 0x2100 && cp <= 0x2BFF) || (cp >= 0xE000 && cp <= 0xF8FF));
}

/* Byte classes of ASCII for the tokenizer. */
enum { C_OTHER, C_SPACE, C_NL, C_ALNUM, C_CLAUSE, C_SENT, C_EXCL, C_QUEST,
	C_SEP };

static unsigned char cls[256];	/* bytes from 0x80 stay C_OTHER */
static unsigned char emo_start[256];	/* may start an emoticon */
/* ASCII word bytes: their case, and their lower case */
enum { W_NONE, W_UPPER, W_LOWER, W_DIGIT };
static unsigned char wordtab[256], lowtab[256];

/* Fills the tables; run once per process (cm_tokens_init), as scorers on
 * several threads read them at once. */
static void init_classes(void)
{
	static const char starts[] = ":;=<>^()-\\/*'8xXDToO0@%|$#&~\"+";
	int c;

	for (c = 0; c < 128; c++)
		cls[c] = C_SEP;
	for (c = 'a'; c <= 'z'; c++)
		cls[c] = cls[c - 32] = C_ALNUM;
	for (c = '0'; c <= '9'; c++)
		cls[c] = C_ALNUM;
	cls[' '] = cls['\t'] = cls['\r'] = cls['\f'] = cls['\v'] = C_SPACE;
	cls['\n'] = C_NL;
	cls[','] = cls[';'] = cls[':'] = cls['('] = cls[')'] = cls['['] =
	    cls[']'] = cls['{'] = cls['}'] = cls['|'] = C_CLAUSE;
	cls['.'] = C_SENT;
	cls['!'] = C_EXCL;
	cls['?'] = C_QUEST;
	for (c = 0; c < (int)sizeof(starts) - 1; c++)
		emo_start[(unsigned char)starts[c]] = 1;
	for (c = 0; c < 256; c++) {
		lowtab[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		wordtab[c] = c >= 'A' && c <= 'Z' ? W_UPPER :
		    c >= 'a' && c <= 'z' ? W_LOWER :
		    c >= '0' && c <= '9' ? W_DIGIT : W_NONE;
	}
}

/* Characters an emoticon may start with, inside a run of text. */
static int emoticon_start(unsigned char c)
{
	return emo_start[c];
}

/*
 * Tries an emoticon at text[i]: the longest lexicon term of up to 8
 * bytes (no blanks) that ends before a blank, the end, or a non-word
 * byte.  at_start: a blank or the start precedes.  Returns its length.
 */
static size_t emoticon_at(struct cm_tokens *s, const char *text, size_t len,
    size_t i, int at_start, int32_t *entp)
{
	char k[8];
	size_t n, j, end = i;
	int32_t e;

	if (!emoticon_start((unsigned char)text[i]))
		return 0;
	/* a letter or digit start needs a punctuation mark next: "o_O" */
	if (cls[(unsigned char)text[i]] == C_ALNUM &&
	    (!at_start || i + 1 >= len ||
	    (unsigned char)text[i + 1] >= 0x80 ||
	    cls[(unsigned char)text[i + 1]] == C_ALNUM ||
	    text[i + 1] == '\''))
		return 0;
	while (end < len && end - i < 8 && (unsigned char)text[end] > ' ' &&
	    (unsigned char)text[end] < 0x80)
		end++;
	if (end - i < 2)
		return 0;
	if (cls[(unsigned char)text[i]] == C_ALNUM) {
		for (j = i; j < end && cls[(unsigned char)text[j]] == C_ALNUM;
		    j++)
			;
		if (j == end || !at_start)
			return 0;
	}
	for (n = end - i; n >= 2; n--) {
		size_t after = i + n;

		if (cls[(unsigned char)text[i]] == C_ALNUM) {
			for (j = i; j < i + n &&
			    cls[(unsigned char)text[j]] == C_ALNUM; j++)
				;
			if (j == i + n)
				break;	/* a word, not an emoticon */
		}
		if (after < len && cls[(unsigned char)text[after]] == C_ALNUM &&
		    cls[(unsigned char)text[after - 1]] == C_ALNUM)
			continue;	/* ":pizza" is no ":p" */
		for (j = 0; j < n; j++) {
			unsigned char c = (unsigned char)text[i + j];

			k[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		if ((e = cm_lex_lookup_key(s->lx, k, n)) >= 0 &&
		    (s->lx->e[e].kinds & CM_LEX_WORD)) {
			*entp = e;
			return n;
		}
	}
	return 0;
}

static int add_emoji(struct cm_tokens *s, const char *text, size_t len,
    size_t *ip)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = *ip, start = i, k, first_end, n;
	char tmp[CM_LEX_TERM_MAX * 4];
	uint32_t cp;
	struct cm_tok *t;
	int32_t e;
	long m;
	int regional;

	cp = decode_at(p + i, len - i, &k);
	regional = cp >= 0x1F1E6 && cp <= 0x1F1FF;
	/* an upside-down face or rolled eyes mark sarcasm, as "/s" does */
	if (cp == 0x1F643 || cp == 0x1F644)
		s->sarcasm = 1;
	i += k;
	first_end = i;
	for (;;) {
		if (i >= len)
			break;
		cp = decode_at(p + i, len - i, &k);
		if (is_emoji_modifier(cp)) {
			i += k;
			continue;
		}
		if (regional && cp >= 0x1F1E6 && cp <= 0x1F1FF &&
		    i == first_end) {
			i += k;		/* a flag: two regional indicators */
			continue;
		}
		if (cp == 0x200D && i + k < len) {
			size_t k2;
			uint32_t c2 = decode_at(p + i + k, len - i - k, &k2);

			if (is_emoji(c2)) {
				i += k + k2;
				continue;
			}
		}
		break;
	}
	*ip = i;
	if ((t = tok_new(s, start, i - start)) == NULL)
		return -1;
	t->flags |= T_EMOJI;
	n = i - start;
	if (n > sizeof(tmp) || (m = cm_lex_normalize(text + start, n, tmp,
	    sizeof(tmp))) <= 0) {
		tok_key(s, t, "", 0);
		return 0;
	}
	tok_key(s, t, tmp, (size_t)m);
	if ((e = cm_lex_lookup_key(s->lx, tmp, (size_t)m)) < 0) {
		/* a ZWJ sequence we do not know: its first pictograph */
		m = cm_lex_normalize(text + start, first_end - start, tmp, sizeof(tmp));
		if (m > 0)
			e = cm_lex_lookup_key(s->lx, tmp, (size_t)m);
	}
	t->ent = e;
	return 0;
}

/* Splits a hashtag's CamelCase ("#EpicFail") into words; returns 1 when
 * it did. */
static int split_camel(struct cm_tokens *s, const char *w, size_t off,
    size_t n, int *err)
{
	size_t i, start = 0, parts = 0;
	char low[CM_LEX_TERM_MAX * 4];

	for (i = 1; i < n; i++)
		if (w[i] >= 'A' && w[i] <= 'Z' && w[i - 1] >= 'a' &&
		    w[i - 1] <= 'z')
			parts++;
	if (parts == 0 || n > sizeof(low))
		return 0;
	for (i = 1; i <= n; i++) {
		if (i == n || (w[i] >= 'A' && w[i] <= 'Z' && w[i - 1] >= 'a' &&
		    w[i - 1] <= 'z')) {
			struct cm_tok *t;
			size_t j;
			long m;

			if ((t = tok_new(s, off + start, i - start)) == NULL) {
				*err = 1;
				return 1;
			}
			for (j = start; j < i; j++)
				t->flags |= (w[j] >= 'a' && w[j] <= 'z') ?
				    T_LOWER : 0;
			m = cm_lex_normalize(w + start, i - start, low, sizeof(low));
			if (m > 0)
				word_lookup(s, t, low, (size_t)m);
			else
				tok_key(s, t, "", 0);
			start = i;
		}
	}
	return 1;
}

/*
 * The common case in one pass: a word of ASCII letters, digits and inner
 * apostrophes at p[*ip], scanned, lower-cased into keys, hashed, its
 * caps and elongation noted, looked up.  Returns 1 with *ip past it, 0
 * when a byte from 0x80 on is part of it (the general way then), -1 on
 * ENOMEM.
 */
static int ascii_word(struct cm_tokens *s, const unsigned char *p, size_t len,
    size_t *ip)
{
	size_t i = *ip, start = i, n, upper = 0, lower = 0;
	uint32_t h = 2166136261u;
	char *k = s->keys + s->klen;
	int run = 0;
	int32_t e;
	struct cm_tok *t;

	unsigned char prev = 0, prev2 = 0;

	for (; i < len; i++) {
		unsigned char c = p[i], f = wordtab[c];

		if (f == 0) {
			if (c >= 0x80)
				return 0;
			if (c != '\'' || i == start || i + 1 == len ||
			    wordtab[p[i + 1]] == 0 || p[i + 1] >= 0x80)
				break;
		}
		upper += f == W_UPPER;
		lower |= f == W_LOWER;
		c = lowtab[c];
		k[i - start] = (char)c;
		h = (h ^ c) * 16777619u;
		if (c == prev) {	/* rare: letters seldom repeat */
			run |= c == prev2;
		}
		prev2 = prev;
		prev = c;
	}
	if (i < len && p[i] >= 0x80) {
		size_t kk;
		uint32_t cp = decode_at(p + i, len - i, &kk);

		if (is_word_cp(cp) || cp == 0x2019)
			return 0;	/* "café", "don’t": the general way */
	}
	n = i - start;
	if (n > CM_LEX_TERM_MAX * 4 || n > 0xFFFF)
		return 0;
	if ((t = tok_new(s, start, n)) == NULL)
		return -1;
	k[n] = '\0';
	t->koff = (uint32_t)s->klen;
	t->klen = (uint16_t)n;
	t->hash = h;
	s->klen += n + 1;
	if (upper >= 2 && lower == 0)
		t->flags |= T_CAPS;
	if (lower)
		t->flags |= T_LOWER;
	/* a function word alone (found() says no term) is a word the
	 * lexicon knows as written: no other form of it is tried */
	if ((t->ent = found(s, e = cm_lex_find(s->lx, k, n, h))) < 0 &&
	    e < 0) {
		if (run || (n > 2 && k[n - 1] == 's' && k[n - 2] == '\'') ||
		    (n >= 4 && (k[0] == 'h' || k[0] == 'a' || k[0] == 'l')))
			word_retry(s, t);
		else if (may_be_form(k, n))
			t->ent = cm_lex_form(s->lx, k, n);	/* the rest of it */
	}
	*ip = i;
	return 1;
}

/*
 * Adds a word token for text[start..end): key lower-cased, caps noted,
 * looked up.  hashtag: it came after '#'.  An ASCII word, the common
 * case, is lowered, hashed and measured in one pass.
 */
static int add_word(struct cm_tokens *s, const char *text, size_t start,
    size_t end, int hashtag)
{
	const unsigned char *p = (const unsigned char *)text + start;
	char low[CM_LEX_TERM_MAX * 4];
	size_t i, upper = 0, lower = 0, n = end - start;
	uint32_t h = 2166136261u;
	struct cm_tok *t;
	char *k;
	long m;
	int err = 0;
	int32_t e;

	if (!hashtag && n <= CM_LEX_TERM_MAX * 4) {
		if ((t = tok_new(s, start, n)) == NULL)
			return -1;
		k = s->keys + s->klen;
		for (i = 0; i < n; i++) {
			unsigned char c = p[i];

			if (c >= 0x80)
				break;
			if (c >= 'A' && c <= 'Z') {
				upper++;
				c += 32;
			} else if (c >= 'a' && c <= 'z')
				lower++;
			k[i] = (char)c;
			h = (h ^ c) * 16777619u;
		}
		if (i == n) {
			k[n] = '\0';
			t->koff = (uint32_t)s->klen;
			t->klen = (uint16_t)n;
			t->hash = h;
			s->klen += n + 1;
			if (upper >= 2 && lower == 0)
				t->flags |= T_CAPS;
			if (lower)
				t->flags |= T_LOWER;
			if ((t->ent = found(s, e = cm_lex_find(s->lx, k, n,
			    h))) < 0 && e < 0)
				word_retry(s, t);
			return 0;
		}
		s->ntok--;	/* not ASCII: the general way below */
	}
	for (i = 0; i < n; i++) {
		if (p[i] >= 'A' && p[i] <= 'Z')
			upper++;
		else if (p[i] >= 'a' && p[i] <= 'z')
			lower++;
	}
	if (hashtag && upper && lower &&
	    split_camel(s, text + start, start, n, &err))
		return err ? -1 : 0;
	if ((t = tok_new(s, start, n)) == NULL)
		return -1;
	if (upper >= 2 && lower == 0)
		t->flags |= T_CAPS;
	if (lower)
		t->flags |= T_LOWER;
	if (n > sizeof(low) || (m = cm_lex_normalize(text + start, n, low,
	    sizeof(low))) < 0) {
		tok_key(s, t, "", 0);
		return 0;
	}
	word_lookup(s, t, low, (size_t)m);
	return 0;
}

/* Whether a URL starts at p: "http://", "https://", "www.". */
static int is_url(const unsigned char *p, size_t n)
{
	if (p[0] == 'h')
		return n >= 7 && p[1] == 't' && p[2] == 't' && p[3] == 'p' &&
		    ((p[4] == ':' && p[5] == '/' && p[6] == '/') ||
		    (n >= 8 && p[4] == 's' && p[5] == ':' && p[6] == '/' &&
		    p[7] == '/'));
	return p[0] == 'w' && n >= 4 && p[1] == 'w' && p[2] == 'w' &&
	    p[3] == '.';
}

/* Whether the word before text[i] is one that puts a date after it
 * ("at 4/5", "on 10/10"). */
static int after_date_word(const char *text, size_t i)
{
	static const char *const words[] = { "at", "on", "by", "from",
		"until", "till", "since", "before", "after" };
	size_t e = i, b, k, n;

	while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t'))
		e--;
	for (b = e; b > 0 && cls[(unsigned char)text[b - 1]] == C_ALNUM; b--)
		;
	n = e - b;
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strlen(words[k]) == n && strncasecmp(text + b, words[k],
		    n) == 0)
			return 1;
	return 0;
}

/*
 * "8/10", "4/5", "95/100", "4.5/5", "9 out of 10": a rating, as a
 * valence; its length, or 0.  Not after "at", "on" and such ("meet at
 * 4/5" is a date).
 */
static size_t rating_at(const char *text, size_t len, size_t i, float *v)
{
	size_t j = i, b = 0, da = 0, db = 0, frac = 0;
	double a = 0, scale = 1;

	while (j < len && text[j] >= '0' && text[j] <= '9' && da < 4)
		a = a * 10 + (text[j++] - '0'), da++;
	if (da > 0 && j + 1 < len && text[j] == '.' && text[j + 1] >= '0' &&
	    text[j + 1] <= '9')
		for (j++; j < len && text[j] >= '0' && text[j] <= '9' &&
		    frac < 2; j++, frac++)
			a += (text[j] - '0') * (scale /= 10);
	if (da == 0 || j >= len)
		return 0;
	if (text[j] == '/')
		j++;
	else if (len - j > 8 && strncasecmp(text + j, " out of ", 8) == 0)
		j += 8;
	else
		return 0;
	while (j < len && text[j] >= '0' && text[j] <= '9' && db < 4)
		b = b * 10 + (size_t)(text[j++] - '0'), db++;
	if ((b != 5 && b != 10 && b != 100) || a > (double)b * 2 ||
	    (j < len && cls[(unsigned char)text[j]] == C_ALNUM) ||
	    (i > 0 && (cls[(unsigned char)text[i - 1]] == C_ALNUM ||
	    text[i - 1] == '/' || text[i - 1] == '.')) ||
	    after_date_word(text, i))
		return 0;
	*v = (float)((a / (double)b - 0.5) * 6.0);
	if (*v > 3.5f)
		*v = 3.5f;
	return j - i;
}

static int cut(struct cm_tokens *s, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, k;
	int at_start = 1;

	if (s->kcap < len * 2 + 64) {
		size_t cap = len * 2 + 64;
		char *nk = realloc(s->keys, cap);

		if (nk == NULL)
			return -1;
		s->keys = nk;
		s->kcap = cap;
	}
	s->klen = 0;
	s->ntok = 0;
	s->clause = s->sentence = 0;
	s->nexclaim = s->nquestion = s->ninverted = 0;
	s->fw = 0;
	s->nfw = s->nonascii = 0;
	s->sarcasm = 0;
	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp;
		int32_t e;
		size_t n;

		if (c < 0x80) {
			switch (cls[c]) {
			case C_SPACE:
				i++;
				at_start = 1;
				continue;
			case C_NL:
				i++;
				at_start = 1;
				s->clause++;
				s->sentence++;
				continue;
			default:
				break;
			}
			/* @handles name people, they say nothing */
			if (c == '@' && at_start && i + 1 < len &&
			    cls[p[i + 1]] == C_ALNUM) {
				for (i++; i < len && (cls[p[i]] == C_ALNUM ||
				    p[i] == '_' || p[i] == '.' || p[i] == '-' ||
				    p[i] == '@'); i++)
					;
				at_start = 0;
				continue;
			}
			/* "/s": the writer's sarcasm marker */
			if (c == '/' && at_start && i + 1 < len &&
			    (p[i + 1] == 's' || p[i + 1] == 'S') &&
			    (i + 2 == len || cls[p[i + 2]] != C_ALNUM)) {
				s->sarcasm = 1;
				i += 2;
				continue;
			}
			if (emo_start[c] &&
			    (n = emoticon_at(s, text, len, i, at_start, &e))) {
				struct cm_tok *t = tok_new(s, i, n);
				char low[8];
				size_t j;

				if (t == NULL)
					return -1;
				for (j = 0; j < n; j++)
					low[j] = (char)(p[i + j] >= 'A' &&
					    p[i + j] <= 'Z' ? p[i + j] + 32 :
					    p[i + j]);
				tok_key(s, t, low, n);
				t->ent = e;
				t->flags |= T_EMOJI;
				i += n;
				at_start = 0;
				continue;
			}
			at_start = 0;
			if (cls[c] == C_ALNUM || (c == '#' && i + 1 < len &&
			    (cls[p[i + 1]] == C_ALNUM || p[i + 1] >= 0x80))) {
				int hashtag = c == '#';
				size_t start = i + (size_t)hashtag, j = start;
				float rv;

				if (c >= '0' && c <= '9' &&
				    (n = rating_at(text, len, i, &rv))) {
					struct cm_tok *t = tok_new(s, i, n);

					if (t == NULL)
						return -1;
					tok_key(s, t, "", 0);
					t->flags |= T_RATING;
					t->rating = rv;
					i += n;
					continue;
				}
				/* URLs carry no sentiment */
				if (!hashtag && is_url(p + i, len - i)) {
					while (i < len && p[i] > ' ')
						i++;
					continue;
				}
				if (!hashtag) {
					int r = ascii_word(s, p, len, &i);

					if (r < 0)
						return -1;
					if (r > 0)
						continue;
				}
				while (j < len) {
					if (p[j] < 0x80) {
						if (cls[p[j]] == C_ALNUM) {
							j++;
							continue;
						}
						if (p[j] == '\'' && j + 1 < len &&
						    j > start &&
						    cls[p[j + 1]] == C_ALNUM) {
							j++;
							continue;
						}
						break;
					}
					cp = decode_at(p + j, len - j, &k);
					if (!is_word_cp(cp) && cp != 0x2019)
						break;
					if (cp == 0x2019 && !(j + k < len &&
					    cls[p[j + k] & 0x7F] == C_ALNUM &&
					    p[j + k] < 0x80))
						break;
					j += k;
				}
				if (add_word(s, text, start, j, hashtag) < 0)
					return -1;
				i = j;
				continue;
			}
			switch (cls[c]) {
			case C_CLAUSE:
				s->clause++;
				break;
			case C_SENT:
				s->clause++;
				s->sentence++;
				break;
			case C_EXCL:
				s->nexclaim++;
				s->clause++;
				s->sentence++;
				break;
			case C_QUEST:
				s->nquestion++;
				s->clause++;
				s->sentence++;
				break;
			case C_SEP:
				if (c == '-' && (i + 1 >= len ||
				    cls[p[i + 1]] == C_SPACE) && i > 0 &&
				    cls[p[i - 1]] == C_SPACE)
					s->clause++;	/* " - " */
				break;
			}
			i++;
			continue;
		}
		cp = decode_at(p + i, len - i, &k);
		if (cp == 0xFFFFFFFF) {
			i++;		/* invalid UTF-8: a separator */
			at_start = 1;
			continue;
		}
		if (is_emoji(cp)) {
			if (add_emoji(s, text, len, &i) < 0)
				return -1;
			at_start = 0;
			continue;
		}
		if (cp == 0x203C || cp == 0x2049) {	/* ‼ ⁉ */
			s->nexclaim += cp == 0x203C ? 2 : 1;
			s->nquestion += cp == 0x2049;
			s->clause++;
			s->sentence++;
			i += k;
			continue;
		}
		if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) ||
		    cp == 0x3000 || cp == 0x2028 || cp == 0x2029) {
			i += k;
			at_start = 1;
			continue;
		}
		if (is_emoji_modifier(cp) || cp == 0x200D || cp == 0x200C ||
		    cp == 0xFEFF || cp == 0x2060) {
			i += k;
			continue;
		}
		if (cp == 0x2026 || cp == 0x3002 || cp == 0xFF01 ||
		    cp == 0xFF1F) {	/* … 。！？ */
			s->clause++;
			s->sentence++;
			s->nexclaim += cp == 0xFF01;
			s->nquestion += cp == 0xFF1F;
			i += k;
			continue;
		}
		if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x3001 ||
		    cp == 0xFF0C || cp == 0xA1 || cp == 0xBF) {
			s->ninverted += cp == 0xA1 || cp == 0xBF;
			s->clause++;
			i += k;
			continue;
		}
		if ((cp >= 0x2016 && cp <= 0x206F) || cp == 0xAB || cp == 0xBB ||
		    (cp >= 0xA2 && cp <= 0xBF)) {
			i += k;		/* quotes and symbols: separators */
			continue;
		}
		if (!is_word_cp(cp)) {
			i += k;		/* other punctuation and symbols */
			continue;
		}
		{
			/* a letter of another script: a word starts here */
			size_t j = i + k;

			while (j < len) {
				if (p[j] < 0x80) {
					if (cls[p[j]] == C_ALNUM ||
					    (p[j] == '\'' && j + 1 < len &&
					    cls[p[j + 1]] == C_ALNUM)) {
						j++;
						continue;
					}
					break;
				}
				cp = decode_at(p + j, len - j, &k);
				if (!is_word_cp(cp))
					break;
				j += k;
			}
			if (add_word(s, text, i, j, 0) < 0)
				return -1;
			at_start = 0;
			i = j;
		}
	}
	return 0;
}

/* Whether token i is a negation word, as used for phrases. */
static int is_negation(const struct cm_tokens *s, const struct cm_tok *t)
{
	return (cm_tok_kinds(s, t) & CM_LEX_NEGATION) != 0;
}

/* Token t's key as a phrase word: with norm, a negation reads "not". */
static const char *pword(const struct cm_tokens *s, const struct cm_tok *t,
    int norm, size_t *n)
{
	if (norm && is_negation(s, t)) {
		*n = 3;
		return "not";
	}
	*n = t->klen;
	return cm_tok_key(s, t);
}

/* Whether the words of tokens i..i+n-1, space-joined, are k[0..kl). */
static int seq_equals(const struct cm_tokens *s, size_t i, size_t n, int norm,
    const char *k, size_t kl)
{
	size_t o = 0, j, wl;
	const char *w;

	for (j = i; j < i + n; j++) {
		w = pword(s, &s->tok[j], norm, &wl);
		if (j > i) {
			if (o >= kl || k[o] != ' ')
				return 0;
			o++;
		}
		if (o + wl > kl || memcmp(k + o, w, wl) != 0)
			return 0;
		o += wl;
	}
	return o == kl;
}

/* The entry of the phrase of tokens i..i+n-1 (h: the FNV-1a hash of it
 * joined, kl its length), or -1. */
static int32_t find_seq(const struct cm_tokens *s, size_t i, size_t n,
    int norm, uint32_t h, size_t kl)
{
	const struct cm_lexicon *lx = s->lx;
	size_t mask = lx->nslot - 1, j = h & mask;
	uint64_t sl;

	while ((sl = lx->slot[j]) != 0) {
		if ((uint32_t)(sl >> 32) == h) {
			const struct cm_lex_entry *e = &lx->e[(uint32_t)sl - 1];

			if (e->klen == kl &&
			    seq_equals(s, i, n, norm, lx->pool + e->key, kl))
				return (int32_t)((uint32_t)sl - 1);
		}
		j = (j + 1) & mask;
	}
	return -1;
}

/*
 * Matches multi-word terms, longest first; the rest of a phrase is
 * marked T_DEAD.  The hash of the joined words grows word by word
 * (FNV-1a is incremental), so a phrase is only spelt out on a hit: as
 * written, and with negation words read as "not" ("isn't working" is
 * "not working").
 */
static void phrases(struct cm_tokens *s)
{
	const struct cm_lexicon *lx = s->lx;
	uint32_t not_hash = cm_lex_hash("not", 3);
	size_t i, n, j;

	if (lx->max_words < 2)
		return;
	for (i = 0; i + 1 < s->ntok; i++) {
		struct cm_tok *t = &s->tok[i];
		int lit = t->ent >= 0 && (lx->e[t->ent].kinds & LEX_PHRASE_START);
		int neg = is_negation(s, t) && lx->not_entry >= 0 &&
		    (lx->e[lx->not_entry].kinds & LEX_PHRASE_START);
		size_t maxn = 0, klit, knorm, best_n = 0;
		uint32_t hlit, hnorm;
		int32_t best = -1, e;
		int negs = 0, prefix;

		if (!lit && !neg)
			continue;
		if ((t->flags & T_EMOJI) || t->klen == 0)
			continue;
		if (lit)
			maxn = lx->e[t->ent].pmax;
		if (neg && lx->e[lx->not_entry].pmax > maxn)
			maxn = lx->e[lx->not_entry].pmax;
		if (maxn > s->ntok - i)
			maxn = s->ntok - i;
		negs = is_negation(s, t);
		hlit = t->hash;
		klit = t->klen;
		hnorm = negs ? not_hash : t->hash;
		knorm = negs ? 3 : t->klen;
		for (n = 2; n <= maxn; n++) {
			const struct cm_tok *u = &s->tok[i + n - 1];

			if (u->clause != t->clause || (u->flags & T_EMOJI) ||
			    u->klen == 0)
				break;
			hlit = cm_lex_join(hlit, u->hash);
			klit += 1 + (size_t)u->klen;
			if (is_negation(s, u)) {
				negs = 1;
				hnorm = cm_lex_join(hnorm, not_hash);
				knorm += 4;
			} else {
				hnorm = cm_lex_join(hnorm, u->hash);
				knorm += 1 + (size_t)u->klen;
			}
			if (klit > CM_LEX_TERM_MAX && knorm > CM_LEX_TERM_MAX)
				break;
			e = lit ? find_seq(s, i, n, 0, hlit, klit) : -1;
			if (e >= 0 && !(lx->e[e].kinds & ~LEX_FLAGS)) {
				/* only a prefix: a longer one may match */
				prefix = 1;
				e = -1;
			} else
				prefix = 0;
			if (e < 0 && negs) {
				e = find_seq(s, i, n, 1, hnorm, knorm);
				if (e >= 0 && !(lx->e[e].kinds & ~LEX_FLAGS)) {
					prefix = 1;
					e = -1;
				}
			}
			if (e >= 0) {
				best = e;
				best_n = n;
			} else if (!prefix)
				break;	/* no term goes on like this */
		}
		if (best < 0)
			continue;
		t->ent = best;
		t->flags |= T_PHRASE;
		t->plen = s->tok[i + best_n - 1].off +
		    s->tok[i + best_n - 1].len - t->off;
		for (j = i + 1; j < i + best_n; j++)
			s->tok[j].flags |= T_DEAD;
		i += best_n - 1;
	}
}

int cm_tokens_init(struct cm_tokens *tk, const struct cm_lexicon *lx)
{
	static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

	memset(tk, 0, sizeof(*tk));
	tk->lx = lx;
	return pthread_once(&classes_once, init_classes) != 0 ? -1 : 0;
}

void cm_tokens_free(struct cm_tokens *tk)
{
	free(tk->tok);
	free(tk->keys);
	tk->tok = NULL;
	tk->keys = NULL;
	tk->ntok = tk->captok = tk->klen = tk->kcap = 0;
}

int cm_tokenize(struct cm_tokens *tk, const char *text, size_t len)
{
	if (cut(tk, text, len) < 0)
		return -1;
	phrases(tk);
	return 0;
}
