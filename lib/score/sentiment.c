/* sentiment.c - lexicon and rule-based sentiment in the spirit of VADER */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "sentiment.h"
#include "core/utf8.h"

/* Texts longer than this are scored on their first bytes only: a post is
 * short, and a megabyte of "text" must not slow the stream down. */
#define TEXT_MAX ((size_t)256 << 10)
#define FILE_MAX ((size_t)64 << 20)
/* How far back a wide negation reaches ("I don't think ... good"). */
#define WIDE_SCOPE 12

/* Entry flags beside the kinds: the first word of a multi-word term, and
 * the first words of one (so phrase matching stops early). */
#define LEX_PHRASE_START (1 << 7)
#define LEX_PHRASE_PREFIX (1 << 6)
#define LEX_FLAGS (LEX_PHRASE_START | LEX_PHRASE_PREFIX)

struct entry {
	uint32_t key;		/* offset in pool */
	uint32_t hash;
	uint16_t klen;
	uint8_t kinds;		/* CM_LEX_* | LEX_PHRASE_START */
	uint8_t words;		/* words in the term */
	uint8_t pmax;		/* most words of a phrase it starts */
	float valence;
	float boost;		/* booster or post-booster scalar */
};

struct cm_lexicon {
	struct entry *e;
	size_t n, cap;
	uint64_t *slot;		/* hash << 32 | entry index + 1; 0 is empty */
	size_t nslot;		/* power of two */
	char *pool;
	size_t plen, pcap;
	unsigned max_words;
	int32_t not_entry;	/* "not": negations start phrases as "not" */
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

/* A phrase's hash from its words' hashes, one word at a time: matching
 * a phrase in text then costs one step per word, the words' own hashes
 * being known already. */
static uint32_t hash_join(uint32_t h, uint32_t word)
{
	h = (h << 5 | h >> 27) ^ word;
	return h * 0x9E3779B1u;
}

/* The hash of a normalized key: FNV-1a for a word, hash_join of the
 * words' hashes for a phrase. */
static uint32_t key_hash(const char *k, size_t n)
{
	const char *sp = memchr(k, ' ', n), *end = k + n;
	uint32_t h;

	if (sp == NULL)
		return hash_bytes(k, n);
	h = hash_bytes(k, (size_t)(sp - k));
	while (sp != NULL) {
		const char *w = sp + 1;

		sp = memchr(w, ' ', (size_t)(end - w));
		h = hash_join(h, hash_bytes(w, (size_t)((sp ? sp : end) - w)));
	}
	return h;
}

struct cm_lexicon *cm_lexicon_new(void)
{
	struct cm_lexicon *lx;

	if ((lx = calloc(1, sizeof(*lx))) == NULL)
		return NULL;
	lx->nslot = 1024;
	if ((lx->slot = calloc(lx->nslot, sizeof(*lx->slot))) == NULL) {
		free(lx);
		return NULL;
	}
	lx->not_entry = -1;
	return lx;
}

void cm_lexicon_free(struct cm_lexicon *lx)
{
	if (lx == NULL)
		return;
	free(lx->e);
	free(lx->slot);
	free(lx->pool);
	free(lx);
}

size_t cm_lexicon_size(const struct cm_lexicon *lx)
{
	size_t i, n = 0;

	for (i = 0; i < lx->n; i++)
		if (lx->e[i].kinds & ~LEX_FLAGS)
			n++;
	return n;
}

/* Index of the entry for key (already normalized), or -1. */
static int32_t find(const struct cm_lexicon *lx, const char *key, size_t n,
    uint32_t h)
{
	size_t mask = lx->nslot - 1, i = h & mask;
	uint64_t s;

	while ((s = lx->slot[i]) != 0) {
		if ((uint32_t)(s >> 32) == h) {
			const struct entry *e = &lx->e[(uint32_t)s - 1];

			if (e->klen == n && memcmp(lx->pool + e->key, key, n) == 0)
				return (int32_t)((uint32_t)s - 1);
		}
		i = (i + 1) & mask;
	}
	return -1;
}

static int grow_slots(struct cm_lexicon *lx)
{
	size_t nslot = lx->nslot * 2, i, j;
	uint64_t *slot;

	if ((slot = calloc(nslot, sizeof(*slot))) == NULL)
		return -1;
	for (i = 0; i < lx->n; i++) {
		j = lx->e[i].hash & (nslot - 1);
		while (slot[j] != 0)
			j = (j + 1) & (nslot - 1);
		slot[j] = (uint64_t)lx->e[i].hash << 32 | (uint32_t)(i + 1);
	}
	free(lx->slot);
	lx->slot = slot;
	lx->nslot = nslot;
	return 0;
}

/* The entry for key, created empty when absent; -1 on ENOMEM. */
static int32_t intern(struct cm_lexicon *lx, const char *key, size_t n)
{
	uint32_t h = key_hash(key, n);
	int32_t i = find(lx, key, n, h);
	struct entry *e;
	size_t j, words = 1;

	if (i >= 0)
		return i;
	if ((lx->n + 1) * 2 > lx->nslot && grow_slots(lx) < 0)
		return -1;
	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 1024;
		struct entry *ne = realloc(lx->e, cap * sizeof(*ne));

		if (ne == NULL)
			return -1;
		lx->e = ne;
		lx->cap = cap;
	}
	if (lx->plen + n + 1 > lx->pcap) {
		size_t cap = lx->pcap ? lx->pcap * 2 : 16384;
		char *np;

		while (cap < lx->plen + n + 1)
			cap *= 2;
		if ((np = realloc(lx->pool, cap)) == NULL)
			return -1;
		lx->pool = np;
		lx->pcap = cap;
	}
	memcpy(lx->pool + lx->plen, key, n);
	lx->pool[lx->plen + n] = '\0';
	for (j = 0; j < n; j++)
		if (key[j] == ' ')
			words++;
	e = &lx->e[lx->n];
	memset(e, 0, sizeof(*e));
	e->key = (uint32_t)lx->plen;
	e->klen = (uint16_t)n;
	e->hash = h;
	e->words = (uint8_t)words;
	lx->plen += n + 1;
	j = h & (lx->nslot - 1);
	while (lx->slot[j] != 0)
		j = (j + 1) & (lx->nslot - 1);
	lx->slot[j] = (uint64_t)h << 32 | (uint32_t)(lx->n + 1);
	return (int32_t)lx->n++;
}

static int is_skin_tone(uint32_t cp)
{
	return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

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
	    is_skin_tone(cp) || (cp >= 0xE0020 && cp <= 0xE007F);
}

/*
 * Appends the normalized form of a term's bytes to out (at most max):
 * ASCII and Latin-1 letters lower-cased, typographic apostrophes made
 * ASCII, emoji presentation selectors and skin tones dropped.  Returns
 * the length, or -1 when it does not fit or is not valid UTF-8.
 */
static long normalize(const char *s, size_t n, char *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	uint32_t cp;

	while (i < n) {
		if (p[i] < 0x80) {
			if (o >= max)
				return -1;
			out[o++] = (char)(p[i] >= 'A' && p[i] <= 'Z' ?
			    p[i] + 32 : p[i]);
			i++;
			continue;
		}
		if ((k = cm_utf8_valid_prefix(p + i, n - i)) == 0)
			return -1;
		cp = cm_utf8_decode(p + i, k);
		if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
			if (o >= max)
				return -1;
			out[o++] = '\'';
		} else if (cp == 0xFE0F || cp == 0xFE0E || is_skin_tone(cp)) {
			/* dropped */
		} else {
			unsigned char enc[4];
			size_t m;

			if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
				cp += 0x20;
			m = cm_utf8_encode(cp, enc);
			if (o + m > max)
				return -1;
			memcpy(out + o, enc, m);
			o += m;
		}
		i += k;
	}
	return (long)o;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Parses a decimal number [+-]digits[.digits], all of s[0..n). */
static int parse_number(const char *s, size_t n, double *out)
{
	double v = 0, scale = 1;
	size_t i = 0;
	int neg = 0, digits = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		v = v * 10 + (s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			scale /= 10;
			v += (s[i] - '0') * scale;
		}
	if (i != n || digits == 0 || digits > 12)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* Turns "U+1F469 U+200D U+1F4BB" into UTF-8; returns length or -1. */
static long parse_codepoints(const char *s, size_t n, char *out, size_t max)
{
	size_t i = 0, o = 0;

	while (i < n) {
		uint32_t cp = 0;
		unsigned char enc[4];
		size_t digits = 0, m;

		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		if (n - i < 3 || (s[i] != 'U' && s[i] != 'u') || s[i + 1] != '+')
			return -1;
		for (i += 2; i < n && !is_blank(s[i]); i++, digits++) {
			char c = s[i];
			int d = c >= '0' && c <= '9' ? c - '0' :
			    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (d < 0 || digits >= 6)
				return -1;
			cp = cp * 16 + (uint32_t)d;
		}
		if (digits == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)
		    || cp == 0)
			return -1;
		m = cm_utf8_encode(cp, enc);
		if (o + m > max)
			return -1;
		memcpy(out + o, enc, m);
		o += m;
	}
	return o ? (long)o : -1;
}

/*
 * Makes the lookup key of a term as written in a file: code points
 * decoded, normalized, blanks collapsed, a hyphen between letters made a
 * space ("top-notch" is the phrase "top notch", as the tokenizer splits
 * it).  Returns the length, or -1 with *why set.
 */
static long term_key(const char *s, size_t n, char *out, const char **why)
{
	char tmp[CM_LEX_TERM_MAX * 4];
	long m;
	size_t i, o = 0;

	if (n >= 2 && (s[0] == 'U' || s[0] == 'u') && s[1] == '+') {
		if ((m = parse_codepoints(s, n, tmp, sizeof(tmp))) < 0) {
			*why = "bad code point sequence";
			return -1;
		}
		s = tmp;
		n = (size_t)m;
		/* normalize below lowers nothing in emoji; it drops FE0F */
		if ((m = normalize(s, n, out, CM_LEX_TERM_MAX)) <= 0) {
			*why = "term too long";
			return -1;
		}
		return m;
	}
	if ((m = normalize(s, n, tmp, sizeof(tmp))) < 0) {
		*why = n > CM_LEX_TERM_MAX ? "term too long" : "invalid UTF-8";
		return -1;
	}
	for (i = 0; i < (size_t)m; i++) {
		char c = tmp[i];

		if (is_blank(c) || (c == '-' && i > 0 && i + 1 < (size_t)m &&
		    is_alpha(tmp[i - 1]) && is_alpha(tmp[i + 1]))) {
			if (o > 0 && out[o - 1] != ' ') {
				if (o >= CM_LEX_TERM_MAX) {
					*why = "term too long";
					return -1;
				}
				out[o++] = ' ';
			}
			continue;
		}
		if (o >= CM_LEX_TERM_MAX) {
			*why = "term too long";
			return -1;
		}
		out[o++] = c;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	if (o == 0) {
		*why = "empty term";
		return -1;
	}
	return (long)o;
}

enum section { SEC_WORDS, SEC_BOOSTERS, SEC_POST, SEC_NEGATIONS, SEC_CONTRASTS };

static const struct {
	const char *name;
	enum section sec;
} sections[] = {
	{ "words", SEC_WORDS },
	{ "boosters", SEC_BOOSTERS },
	{ "post-boosters", SEC_POST },
	{ "negations", SEC_NEGATIONS },
	{ "contrasts", SEC_CONTRASTS },
};

static int lex_error(struct cm_error *err, const char *name,
    size_t lineno, const char *why)
{
	if (err)
		cm_error_set(err, CM_EXIT_USAGE, "%s:%zu: %s", name,
		    lineno, why);
	return -1;
}

/* Adds one entry line (term and fields); returns 0 or -1 with *why. */
static int add_line(struct cm_lexicon *lx, enum section sec, const char *s,
    size_t n, const char **why)
{
	const char *term, *val = NULL;
	size_t tlen, vlen = 0, i;
	char key[CM_LEX_TERM_MAX];
	double v = 0;
	long klen;
	int32_t ei;
	struct entry *e;

	if (memchr(s, '\t', n) != NULL) {
		/* TAB-separated: the term may hold spaces */
		const char *t = memchr(s, '\t', n);

		term = s;
		tlen = (size_t)(t - s);
		i = tlen;
		while (i < n && s[i] == '\t')
			i++;
		if (i < n) {
			val = s + i;
			while (i < n && s[i] != '\t')
				i++;
			vlen = (size_t)(s + i - val);
		}
	} else if (sec == SEC_NEGATIONS || sec == SEC_CONTRASTS) {
		/* no value to find: the line is the term, "could have been" */
		term = s;
		tlen = n;
	} else {
		term = s;
		for (i = 0; i < n && !is_blank(s[i]); i++)
			;
		tlen = i;
		while (i < n && is_blank(s[i]))
			i++;
		if (i < n) {
			val = s + i;
			while (i < n && !is_blank(s[i]))
				i++;
			vlen = (size_t)(s + i - val);
		}
	}
	while (tlen > 0 && is_blank(term[tlen - 1]))
		tlen--;
	while (vlen > 0 && is_blank(val[vlen - 1]))
		vlen--;
	if (val && vlen && val[0] == '#')
		val = NULL, vlen = 0;	/* a note, not a value */
	if ((klen = term_key(term, tlen, key, why)) < 0)
		return -1;
	if (val && vlen && parse_number(val, vlen, &v) < 0) {
		*why = "value is not a number";
		return -1;
	}
	switch (sec) {
	case SEC_WORDS:
		if (!val || !vlen) {
			*why = "missing valence";
			return -1;
		}
		if (v < -4 || v > 4) {
			*why = "valence out of range -4..4";
			return -1;
		}
		break;
	case SEC_BOOSTERS:
	case SEC_POST:
		if (!val || !vlen)
			v = CM_SENTI_BOOST;
		if (v < -2 || v > 2) {
			*why = "booster out of range -2..2";
			return -1;
		}
		break;
	default:
		break;
	}
	{
		unsigned words = 1;

		for (i = 0; i < (size_t)klen; i++)
			words += key[i] == ' ';
		if (words > CM_LEX_PHRASE_MAX) {
			*why = "too many words in a term";
			return -1;
		}
		if (words > 1) {
			const char *sp = memchr(key, ' ', (size_t)klen);
			int32_t fi = intern(lx, key, (size_t)(sp - key));

			if (fi < 0)
				goto nomem;
			lx->e[fi].kinds |= LEX_PHRASE_START;
			if (words > lx->e[fi].pmax)
				lx->e[fi].pmax = (uint8_t)words;
			if (words > lx->max_words)
				lx->max_words = words;
			/* "light at", "light at the", ... of a longer one */
			for (i = (size_t)(sp - key) + 1; i < (size_t)klen; i++)
				if (key[i] == ' ') {
					int32_t pi = intern(lx, key, i);

					if (pi < 0)
						goto nomem;
					lx->e[pi].kinds |= LEX_PHRASE_PREFIX;
				}
		}
	}
	if ((ei = intern(lx, key, (size_t)klen)) < 0)
		goto nomem;
	e = &lx->e[ei];
	switch (sec) {
	case SEC_WORDS:
		e->kinds |= CM_LEX_WORD;
		e->valence = (float)v;
		break;
	case SEC_BOOSTERS:
		e->kinds = (uint8_t)((e->kinds & ~CM_LEX_POSTBOOSTER) |
		    CM_LEX_BOOSTER);
		e->boost = (float)v;
		break;
	case SEC_POST:
		e->kinds = (uint8_t)((e->kinds & ~CM_LEX_BOOSTER) |
		    CM_LEX_POSTBOOSTER);
		e->boost = (float)v;
		break;
	case SEC_NEGATIONS:
		e->kinds |= CM_LEX_NEGATION;
		break;
	case SEC_CONTRASTS:
		e->kinds |= CM_LEX_CONTRAST;
		break;
	}
	if (klen == 3 && memcmp(key, "not", 3) == 0)
		lx->not_entry = ei;
	return 0;
nomem:
	*why = "out of memory";
	return -1;
}

/* "[words]": a name of letters and hyphens in brackets.  Other lines
 * that start with '[' are terms (the emoticon "[:"). */
static int is_header(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || s[0] != '[' || s[n - 1] != ']')
		return 0;
	for (i = 1; i < n - 1; i++)
		if (!is_alpha(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

int cm_lexicon_parse(struct cm_lexicon *lx, const char *name,
    const char *data, size_t len, struct cm_error *err)
{
	enum section sec = SEC_WORDS;
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, i;
		const char *why = NULL;

		pos += n + (nl != NULL);
		lineno++;
		if (memchr(s, '\0', n) != NULL)
			return lex_error(err, name, lineno, "NUL byte");
		while (n > 0 && (s[n - 1] == '\r' || is_blank(s[n - 1])))
			n--;
		while (n > 0 && is_blank(*s))
			s++, n--;
		if (n == 0 || s[0] == '#')
			continue;
		if (is_header(s, n)) {
			for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
				if (strlen(sections[i].name) == n - 2 &&
				    strncasecmp(sections[i].name, s + 1, n - 2) == 0)
					break;
			if (i == sizeof(sections) / sizeof(sections[0]))
				return lex_error(err, name, lineno,
				    "unknown section (words, boosters, "
				    "post-boosters, negations, contrasts)");
			sec = sections[i].sec;
			continue;
		}
		if (add_line(lx, sec, s, n, &why) < 0)
			return lex_error(err, name, lineno, why);
	}
	return 0;
}

int cm_lexicon_load(struct cm_lexicon *lx, const char *path,
    struct cm_error *err)
{
	struct cm_buf b = CM_BUF_INIT;
	char chunk[65536];
	ssize_t r;
	int fd, rc;

	b.limit = FILE_MAX;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (err)
			cm_error_set(err, CM_EXIT_USAGE, "%s: %s", path,
			    strerror(errno));
		return -1;
	}
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (cm_buf_add(&b, chunk, (size_t)r) < 0)
			break;
	}
	if (r != 0) {
		if (err)
			cm_error_set(err, CM_EXIT_USAGE, "%s: %s", path,
			    errno == EMSGSIZE ? "file too large" :
			    strerror(errno));
		close(fd);
		cm_buf_free(&b);
		return -1;
	}
	close(fd);
	rc = cm_lexicon_parse(lx, path, b.data ? b.data : "", b.len, err);
	cm_buf_free(&b);
	return rc;
}

int cm_lexicon_lookup(const struct cm_lexicon *lx, const char *term,
    size_t len, double *valence, double *boost)
{
	char key[CM_LEX_TERM_MAX];
	const char *why;
	long n;
	int32_t i;
	const struct entry *e;

	if (valence)
		*valence = 0;
	if (boost)
		*boost = 0;
	if ((n = term_key(term, len, key, &why)) < 0)
		return 0;
	if ((i = find(lx, key, (size_t)n, key_hash(key, (size_t)n))) < 0)
		return 0;
	e = &lx->e[i];
	if (valence && (e->kinds & CM_LEX_WORD))
		*valence = e->valence;
	if (boost && (e->kinds & (CM_LEX_BOOSTER | CM_LEX_POSTBOOSTER)))
		*boost = e->boost;
	return e->kinds & ~LEX_FLAGS;
}

/* ---- scoring ---- */

enum {
	T_CAPS = 1 << 0,	/* ALL CAPS, two letters or more */
	T_LOWER = 1 << 1,	/* has a lower-case letter */
	T_ELONG = 1 << 2,	/* matched after shortening "goood" */
	T_EMOJI = 1 << 3,	/* emoji or emoticon */
	T_DEAD = 1 << 4,	/* part of a phrase started earlier */
	T_PHRASE = 1 << 5,
	T_RATING = 1 << 6	/* "8/10" */
};

struct tok {
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

struct cm_senti {
	const struct cm_lexicon *lx;
	int32_t like_ent;	/* "like", which has a rule of its own */
	/* key hashes of words with rules of their own, to test tokens
	 * against them with one compare */
	uint32_t hash_even, hash_although, hash_though;
	struct tok *tok;
	size_t ntok, captok;
	size_t *live;		/* indices of tokens not inside a phrase */
	size_t nlive, caplive;
	char *keys;
	size_t klen, kcap;
	float *val;		/* per live token: its valence after rules */
	unsigned *hitflags;
	size_t capval;
	uint32_t clause, sentence;
	unsigned nexclaim, nquestion;
	int sarcasm;
};

static void init_classes(void);

struct cm_senti *cm_senti_new(const struct cm_lexicon *lx)
{
	struct cm_senti *s;

	static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

	if (pthread_once(&classes_once, init_classes) != 0 ||
	    (s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->lx = lx;
	s->like_ent = find(lx, "like", 4, hash_bytes("like", 4));
	s->hash_even = hash_bytes("even", 4);
	s->hash_although = hash_bytes("although", 8);
	s->hash_though = hash_bytes("though", 6);
	return s;
}

void cm_senti_free(struct cm_senti *s)
{
	if (s == NULL)
		return;
	free(s->tok);
	free(s->live);
	free(s->keys);
	free(s->val);
	free(s->hitflags);
	free(s);
}

void cm_senti_trim(struct cm_senti *s, size_t keep)
{
	if (s->kcap > keep || s->captok * sizeof(*s->tok) > keep ||
	    s->caplive * sizeof(*s->live) > keep ||
	    s->capval * sizeof(*s->val) > keep) {
		free(s->tok);
		free(s->live);
		free(s->keys);
		free(s->val);
		free(s->hitflags);
		s->tok = NULL;
		s->live = NULL;
		s->keys = NULL;
		s->val = NULL;
		s->hitflags = NULL;
		s->ntok = s->captok = s->nlive = s->caplive = 0;
		s->klen = s->kcap = s->capval = 0;
	}
}

const char *cm_senti_label_name(int label)
{
	return label > 0 ? "positive" : label < 0 ? "negative" : "neutral";
}

static const struct entry *ent(const struct cm_senti *s, const struct tok *t)
{
	return t->ent >= 0 ? &s->lx->e[t->ent] : NULL;
}

static int kinds(const struct cm_senti *s, const struct tok *t)
{
	return t->ent >= 0 ? s->lx->e[t->ent].kinds : 0;
}

static const char *key(const struct cm_senti *s, const struct tok *t)
{
	return s->keys + t->koff;
}

static int key_is(const struct cm_senti *s, const struct tok *t,
    const char *w)
{
	size_t n;

	if (t->klen == 0 || s->keys[t->koff] != w[0])
		return 0;
	n = strlen(w);
	return t->klen == n && memcmp(s->keys + t->koff, w, n) == 0;
}

static int32_t lookup_key(const struct cm_lexicon *lx, const char *k,
    size_t n)
{
	return find(lx, k, n, key_hash(k, n));
}

/* A new token; NULL on ENOMEM. */
static inline struct tok *tok_new(struct cm_senti *s, size_t off, size_t len)
{
	struct tok *t;

	if (s->ntok == s->captok) {
		size_t cap = s->captok ? s->captok * 2 : 256;
		struct tok *nt = realloc(s->tok, cap * sizeof(*nt));

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

/* Sets the token's key (n bytes, fits: keys was reserved). */
static void tok_key(struct cm_senti *s, struct tok *t, const char *k,
    size_t n)
{
	t->koff = (uint32_t)s->klen;
	t->klen = (uint16_t)n;
	t->hash = hash_bytes(k, n);
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
		if (j - i >= 3 && is_alpha(k[i])) {
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
static const char *laughter(const char *k, size_t n)
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

/*
 * After a miss on the word as written (its key is the token's): tries it
 * shortened ("sooo goood"), without a possessive "'s", as laughter.
 */
static void word_retry(struct cm_senti *s, struct tok *t)
{
	const struct cm_lexicon *lx = s->lx;
	char tmp[CM_LEX_TERM_MAX * 4];
	const char *laugh, *k = s->keys + t->koff;
	size_t m, n = t->klen;
	int32_t e;

	if (n > CM_LEX_TERM_MAX * 4)
		return;
	if (has_run(k, n) && (m = squeeze(k, n, tmp, 2)) != 0) {
		if ((e = lookup_key(lx, tmp, m)) < 0 &&
		    (m = squeeze(k, n, tmp, 1)) != 0)
			e = lookup_key(lx, tmp, m);
		if (e >= 0) {
			t->ent = e;
			t->flags |= T_ELONG;
			/* the shortened key, for phrases: fits in place */
			memcpy(s->keys + t->koff, tmp, m);
			s->keys[t->koff + m] = '\0';
			t->klen = (uint16_t)m;
			t->hash = hash_bytes(tmp, m);
			return;
		}
	}
	if (n > 2 && k[n - 1] == 's' && k[n - 2] == '\'' &&
	    (e = lookup_key(lx, k, n - 2)) >= 0) {
		t->ent = e;
		return;
	}
	if (n >= 4 && (k[0] == 'h' || k[0] == 'a' || k[0] == 'l') &&
	    (laugh = laughter(k, n)) != NULL &&
	    (e = lookup_key(lx, laugh, strlen(laugh))) >= 0)
		t->ent = e;
}

/* Sets the token's key to k (normalized) and looks it up. */
static void word_lookup(struct cm_senti *s, struct tok *t, const char *k,
    size_t n)
{
	if (n > CM_LEX_TERM_MAX * 4) {
		tok_key(s, t, "", 0);
		return;
	}
	tok_key(s, t, k, n);
	if ((t->ent = lookup_key(s->lx, k, n)) < 0)
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

/* Fills the tables; run once per process (cm_senti_new), as scorers on
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
static size_t emoticon_at(struct cm_senti *s, const char *text, size_t len,
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
		if ((e = lookup_key(s->lx, k, n)) >= 0 &&
		    (s->lx->e[e].kinds & CM_LEX_WORD)) {
			*entp = e;
			return n;
		}
	}
	return 0;
}

static int add_emoji(struct cm_senti *s, const char *text, size_t len,
    size_t *ip)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = *ip, start = i, k, first_end, n;
	char tmp[CM_LEX_TERM_MAX * 4];
	uint32_t cp;
	struct tok *t;
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
	if (n > sizeof(tmp) || (m = normalize(text + start, n, tmp,
	    sizeof(tmp))) <= 0) {
		tok_key(s, t, "", 0);
		return 0;
	}
	tok_key(s, t, tmp, (size_t)m);
	if ((e = lookup_key(s->lx, tmp, (size_t)m)) < 0) {
		/* a ZWJ sequence we do not know: its first pictograph */
		m = normalize(text + start, first_end - start, tmp, sizeof(tmp));
		if (m > 0)
			e = lookup_key(s->lx, tmp, (size_t)m);
	}
	t->ent = e;
	return 0;
}

/* Splits a hashtag's CamelCase ("#EpicFail") into words; returns 1 when
 * it did. */
static int split_camel(struct cm_senti *s, const char *w, size_t off,
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
			struct tok *t;
			size_t j;
			long m;

			if ((t = tok_new(s, off + start, i - start)) == NULL) {
				*err = 1;
				return 1;
			}
			for (j = start; j < i; j++)
				t->flags |= (w[j] >= 'a' && w[j] <= 'z') ?
				    T_LOWER : 0;
			m = normalize(w + start, i - start, low, sizeof(low));
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
static int ascii_word(struct cm_senti *s, const unsigned char *p, size_t len,
    size_t *ip)
{
	size_t i = *ip, start = i, n, upper = 0, lower = 0;
	uint32_t h = 2166136261u;
	char *k = s->keys + s->klen;
	int run = 0;
	struct tok *t;

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
	if ((t->ent = find(s->lx, k, n, h)) < 0 && (run ||
	    (n > 2 && k[n - 1] == 's' && k[n - 2] == '\'') ||
	    (n >= 4 && (k[0] == 'h' || k[0] == 'a' || k[0] == 'l'))))
		word_retry(s, t);
	*ip = i;
	return 1;
}

/*
 * Adds a word token for text[start..end): key lower-cased, caps noted,
 * looked up.  hashtag: it came after '#'.  An ASCII word, the common
 * case, is lowered, hashed and measured in one pass.
 */
static int add_word(struct cm_senti *s, const char *text, size_t start,
    size_t end, int hashtag)
{
	const unsigned char *p = (const unsigned char *)text + start;
	char low[CM_LEX_TERM_MAX * 4];
	size_t i, upper = 0, lower = 0, n = end - start;
	uint32_t h = 2166136261u;
	struct tok *t;
	char *k;
	long m;
	int err = 0;

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
			if ((t->ent = find(s->lx, k, n, h)) < 0)
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
	if (n > sizeof(low) || (m = normalize(text + start, n, low,
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

static int tokenize(struct cm_senti *s, const char *text, size_t len)
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
	s->nexclaim = s->nquestion = 0;
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
				struct tok *t = tok_new(s, i, n);
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
					struct tok *t = tok_new(s, i, n);

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
static int is_negation(const struct cm_senti *s, const struct tok *t)
{
	return (kinds(s, t) & CM_LEX_NEGATION) != 0;
}

/* Token t's key as a phrase word: with norm, a negation reads "not". */
static const char *pword(const struct cm_senti *s, const struct tok *t,
    int norm, size_t *n)
{
	if (norm && is_negation(s, t)) {
		*n = 3;
		return "not";
	}
	*n = t->klen;
	return key(s, t);
}

/* Whether the words of tokens i..i+n-1, space-joined, are k[0..kl). */
static int seq_equals(const struct cm_senti *s, size_t i, size_t n, int norm,
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
static int32_t find_seq(const struct cm_senti *s, size_t i, size_t n,
    int norm, uint32_t h, size_t kl)
{
	const struct cm_lexicon *lx = s->lx;
	size_t mask = lx->nslot - 1, j = h & mask;
	uint64_t sl;

	while ((sl = lx->slot[j]) != 0) {
		if ((uint32_t)(sl >> 32) == h) {
			const struct entry *e = &lx->e[(uint32_t)sl - 1];

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
static void phrases(struct cm_senti *s)
{
	const struct cm_lexicon *lx = s->lx;
	uint32_t not_hash = hash_bytes("not", 3);
	size_t i, n, j;

	if (lx->max_words < 2)
		return;
	for (i = 0; i + 1 < s->ntok; i++) {
		struct tok *t = &s->tok[i];
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
			const struct tok *u = &s->tok[i + n - 1];

			if (u->clause != t->clause || (u->flags & T_EMOJI) ||
			    u->klen == 0)
				break;
			hlit = hash_join(hlit, u->hash);
			klit += 1 + (size_t)u->klen;
			if (is_negation(s, u)) {
				negs = 1;
				hnorm = hash_join(hnorm, not_hash);
				knorm += 4;
			} else {
				hnorm = hash_join(hnorm, u->hash);
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

static int grow_live(struct cm_senti *s)
{
	if (s->caplive < s->ntok) {
		size_t cap = s->ntok;
		size_t *nl = realloc(s->live, cap * sizeof(*nl));

		if (nl == NULL)
			return -1;
		s->live = nl;
		s->caplive = cap;
	}
	if (s->capval < s->ntok) {
		size_t cap = s->ntok;
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

static struct tok *L(struct cm_senti *s, size_t li)
{
	return &s->tok[s->live[li]];
}

/* The valence a live token carries on its own, before context. */
static double own_valence(struct cm_senti *s, size_t li)
{
	struct tok *t = L(s, li);
	const struct entry *e = ent(s, t);

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
	struct tok *p;
	size_t j;

	if (li == 0)
		return 0;
	p = L(s, li - 1);
	if (p->clause != L(s, li)->clause)
		return 0;
	for (j = 0; before[j]; j++)
		if (key_is(s, p, before[j]))
			return 1;
	return 0;
}

/* Whether the live token at li acts as a booster: a word with valence
 * follows within three tokens of its clause. */
static int boosts_something(struct cm_senti *s, size_t li)
{
	size_t j;

	for (j = li + 1; j < s->nlive && j <= li + 3; j++) {
		struct tok *t = L(s, j);

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
	struct tok *n = L(s, ni);
	size_t j;

	if (ni + 1 < s->nlive && L(s, ni + 1)->clause == n->clause)
		for (j = 0; opinion[j]; j++)
			if (key_is(s, L(s, ni + 1), opinion[j]))
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
	struct tok *n = L(s, ni);
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
static int is_laughter(const struct cm_senti *s, const struct tok *t)
{
	static const char *const laughs[] = { "lol", "lolz", "lmao", "lmfao",
		"rofl", "roflmao", "heh", "xd" };
	size_t i;

	if (t->ent < 0 || t->klen == 0)
		return 0;
	if (laughter(s->keys + t->koff, t->klen) != NULL)
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
	struct tok *t = L(s, li);
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
		struct tok *b = L(s, li - d);
		const struct entry *e = ent(s, b);
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
		struct tok *b = L(s, li + d);
		const struct entry *e = ent(s, b);

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
		struct tok *n = L(s, li - d);
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
		struct tok *t = L(s, li);
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
		struct tok *t = L(s, li), *f;
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

static void keep_hit(struct cm_senti_result *r, const struct tok *t,
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
	int capdiff, any_contrast = 0, any_concession = 0;

	memset(r, 0, sizeof(*r));
	s->ntok = 0;
	if (len > TEXT_MAX) {
		len = TEXT_MAX;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	if (tokenize(s, text, len) < 0 || grow_live(s) < 0) {
		s->ntok = 0;
		return -1;
	}
	phrases(s);
	s->nlive = 0;
	for (i = 0; i < s->ntok; i++) {
		struct tok *t = &s->tok[i];

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
		struct tok *last = L(s, s->nlive - 1);

		if (key_is(s, last, "not") && !(last->flags & T_PHRASE) &&
		    L(s, s->nlive - 2)->clause != last->clause)
			s->sarcasm = 1;
	}
	r->ntokens = (unsigned)s->nlive;
	r->nexclaim = s->nexclaim;
	r->nquestion = s->nquestion;
	r->sarcasm = s->sarcasm;
	capdiff = r->ncaps > 0 && r->nwords_lower > 0;
	for (li = 0; li < s->nlive; li++) {
		struct tok *t = L(s, li);
		const struct entry *e;

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
	}
	if (any_contrast)
		contrasts(s);
	if (any_concession)
		concessions(s);
	for (li = 0; li < s->nlive; li++) {
		double v = s->val[li];

		if (v == 0)
			continue;
		if (s->sarcasm && v > 0) {
			v = -v * 0.74;
			s->hitflags[li] |= CM_HIT_SARCASM;
		}
		sum += v;
		r->nterms++;
		keep_hit(r, L(s, li), own_valence(s, li), v, s->hitflags[li]);
	}
	/* emphasis of punctuation, in the direction of what is said */
	emph = (s->nexclaim > 4 ? 4 : s->nexclaim) * CM_SENTI_EXCLAIM;
	if (s->nquestion > 1)
		emph += s->nquestion <= 3 ? s->nquestion * 0.18 : 0.96;
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
	return s->ntok;
}

const char *cm_senti_token(const struct cm_senti *s, size_t i, size_t *len)
{
	if (i >= s->ntok) {
		*len = 0;
		return "";
	}
	*len = s->tok[i].klen;
	return key(s, &s->tok[i]);
}

int cm_senti_token_kinds(const struct cm_senti *s, size_t i)
{
	const struct tok *t;
	int32_t e;

	if (i >= s->ntok)
		return 0;
	t = &s->tok[i];
	if (t->flags & T_PHRASE) {
		/* the phrase took the entry: look the word up again */
		e = lookup_key(s->lx, key(s, t), t->klen);
		return e >= 0 ? s->lx->e[e].kinds & ~LEX_FLAGS : 0;
	}
	return kinds(s, t) & ~LEX_FLAGS;
}

void cm_senti_token_span(const struct cm_senti *s, size_t i, size_t *off,
    size_t *len)
{
	*off = *len = 0;
	if (i < s->ntok) {
		*off = s->tok[i].off;
		*len = s->tok[i].len;
	}
}
