/* lexicon.c - the sentiment lexicon: file parsing, the term table, lookups */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "lang.h"
#include "lexicon_int.h"

#define FILE_MAX ((size_t)64 << 20)

static int32_t intern(struct cm_lexicon *lx, const char *key, size_t n);

/* lang.c's function words, as entries of their own (or marks on the
 * terms they are): the tokenizer, looking its words up, finds them at no
 * extra cost. */
static int add_function_words(struct cm_lexicon *lx)
{
	const char *p;
	unsigned i;

	for (i = 0; (p = cm_lang_words(i)) != NULL; i++)
		while (*p) {
			size_t n = strcspn(p, " ");
			int32_t e;

			if (n > 0) {
				if ((e = intern(lx, p, n)) < 0)
					return -1;
				lx->e[e].fw |= (uint8_t)(1u << i);
			}
			p += n;
			p += *p == ' ';
		}
	return 0;
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
	if (add_function_words(lx) < 0) {
		cm_lexicon_free(lx);
		return NULL;
	}
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
	uint32_t h = cm_lex_key_hash(key, n);
	int32_t i = cm_lex_find(lx, key, n, h);
	struct cm_lex_entry *e;
	size_t j, words = 1;

	if (i >= 0)
		return i;
	if ((lx->n + 1) * 2 > lx->nslot && grow_slots(lx) < 0)
		return -1;
	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 1024;
		struct cm_lex_entry *ne = realloc(lx->e, cap * sizeof(*ne));

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
	j = h & (CM_LEX_BLOOM_BITS - 1);
	lx->bloom[j >> 6] |= (uint64_t)1 << (j & 63);
	j = cm_lex_bloom2(h);
	lx->bloom[j >> 6] |= (uint64_t)1 << (j & 63);
	return (int32_t)lx->n++;
}

/* The key a term or a token is looked up by (lexicon_int.h). */
long cm_lex_normalize(const char *s, size_t n, char *out, size_t max)
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
		} else if (cp == 0xFE0F || cp == 0xFE0E ||
		    cm_lex_is_skin_tone(cp)) {
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
		if ((m = cm_lex_normalize(s, n, out, CM_LEX_TERM_MAX)) <= 0) {
			*why = "term too long";
			return -1;
		}
		return m;
	}
	if ((m = cm_lex_normalize(s, n, tmp, sizeof(tmp))) < 0) {
		*why = n > CM_LEX_TERM_MAX ? "term too long" : "invalid UTF-8";
		return -1;
	}
	for (i = 0; i < (size_t)m; i++) {
		char c = tmp[i];

		if (is_blank(c) || (c == '-' && i > 0 && i + 1 < (size_t)m &&
		    cm_lex_is_alpha(tmp[i - 1]) &&
		    cm_lex_is_alpha(tmp[i + 1]))) {
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

enum section { SEC_WORDS, SEC_BOOSTERS, SEC_POST, SEC_NEGATIONS, SEC_CONTRASTS,
	SEC_LANGUAGES };

static const struct {
	const char *name;
	enum section sec;
} sections[] = {
	{ "words", SEC_WORDS },
	{ "boosters", SEC_BOOSTERS },
	{ "post-boosters", SEC_POST },
	{ "negations", SEC_NEGATIONS },
	{ "contrasts", SEC_CONTRASTS },
	{ "languages", SEC_LANGUAGES },
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
	struct cm_lex_entry *e;

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
			v = CM_LEX_BOOST;
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
	case SEC_LANGUAGES:	/* add_language's */
		break;
	}
	if (klen == 3 && memcmp(key, "not", 3) == 0)
		lx->not_entry = ei;
	return 0;
nomem:
	*why = "out of memory";
	return -1;
}

/* A [languages] line: a primary subtag, "*", and perhaps a note after a
 * blank or TAB. */
static int add_language(struct cm_lexicon *lx, const char *s, size_t n,
    const char **why)
{
	char tag[CM_LEX_LANG_LEN + 1];
	size_t i, k;

	for (k = 0; k < n && !is_blank(s[k]); k++)
		;
	for (i = k; i < n && is_blank(s[i]); i++)
		;
	if (i < n && s[i] != '#') {
		*why = "one language a line";
		return -1;
	}
	if (k == 1 && s[0] == '*') {
		lx->any_lang = 1;
		return 0;
	}
	if (k < 2 || k > CM_LEX_LANG_LEN) {
		*why = "not a language subtag (2 to 8 letters: en, de; or *)";
		return -1;
	}
	for (i = 0; i < k; i++) {
		if (!cm_lex_is_alpha(s[i])) {
			*why = "not a language subtag (2 to 8 letters: en, "
			    "de; or *)";
			return -1;
		}
		tag[i] = (char)(s[i] | 0x20);
	}
	tag[k] = '\0';
	for (i = 0; i < lx->nlangs; i++)
		if (strcmp(lx->langs[i], tag) == 0)
			return 0;
	if (lx->nlangs == CM_LEX_LANG_MAX) {
		*why = "too many languages";
		return -1;
	}
	memcpy(lx->langs[lx->nlangs++], tag, k + 1);
	return 0;
}

/* "[words]": a name of letters and hyphens in brackets.  Other lines
 * that start with '[' are terms (the emoticon "[:"). */
static int is_header(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || s[0] != '[' || s[n - 1] != ']')
		return 0;
	for (i = 1; i < n - 1; i++)
		if (!cm_lex_is_alpha(s[i]) && s[i] != '-')
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
				    "post-boosters, negations, contrasts, "
				    "languages)");
			sec = sections[i].sec;
			continue;
		}
		if (sec == SEC_LANGUAGES) {
			if (add_language(lx, s, n, &why) < 0)
				return lex_error(err, name, lineno, why);
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
	const struct cm_lex_entry *e;

	if (valence)
		*valence = 0;
	if (boost)
		*boost = 0;
	if ((n = term_key(term, len, key, &why)) < 0)
		return 0;
	if ((i = cm_lex_lookup_key(lx, key, (size_t)n)) < 0)
		return 0;
	e = &lx->e[i];
	if (valence && (e->kinds & CM_LEX_WORD))
		*valence = e->valence;
	if (boost && (e->kinds & (CM_LEX_BOOSTER | CM_LEX_POSTBOOSTER)))
		*boost = e->boost;
	return e->kinds & ~LEX_FLAGS;
}

/* Shortest base a form may come from, and the longest form tried. */
#define FORM_BASE_MIN 3
#define FORM_MAX 40

/* The entry of the base b[0..n) when it may lend its valence: a word of
 * [words] that does nothing else (a negation, booster or contrast
 * steers other words, and its forms do not). */
static int32_t form_base(const struct cm_lexicon *lx, const char *b, size_t n)
{
	int32_t i;
	int k;

	/* one word, no spaces: its hash is plain FNV-1a */
	if (n < FORM_BASE_MIN || (i = cm_lex_find(lx, b, n,
	    cm_lex_hash(b, n))) < 0)
		return -1;
	k = lx->e[i].kinds;
	if (!(k & CM_LEX_WORD) || (k & (CM_LEX_BOOSTER | CM_LEX_POSTBOOSTER |
	    CM_LEX_NEGATION | CM_LEX_CONTRAST)))
		return -1;
	return i;
}

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Ways a stem may be spelt in its base, as flags. */
enum {
	STEM_E = 1 << 0,	/* smil-ing: smile */
	STEM_DOUBLE = 1 << 1,	/* stopp-ed: stop */
	STEM_Y = 1 << 2,	/* worri-ed, happi-er, lucki-est: worry */
	STEM_LE = 1 << 3,	/* terrib-ly: terrible */
	STEM_IC = 1 << 4	/* tragical-ly: tragic */
};

/* Whether the stem ends consonant, vowel, consonant ("hop", "smil"):
 * then its base more likely ends in a silent 'e' ("hoping" is "hope",
 * as "hopping" would be "hop"). */
static int cvc(const char *k, size_t n)
{
	return n >= 3 && !is_vowel(k[n - 1]) && k[n - 1] != 'w' &&
	    k[n - 1] != 'x' && k[n - 1] != 'y' && is_vowel(k[n - 2]) &&
	    !is_vowel(k[n - 3]);
}

/* The base of the stem k[0..n): the stem itself (after the stem with
 * 'e' when it ends consonant, vowel, consonant), then the other
 * spellings the flags allow; -1 when none is a word that may lend its
 * valence. */
static int32_t stem_base(const struct cm_lexicon *lx, const char *k,
    size_t n, unsigned how)
{
	char b[FORM_MAX + 2];
	int32_t e;
	int e_first;

	if (n < FORM_BASE_MIN || n > FORM_MAX)
		return -1;
	memcpy(b, k, n);
	b[n] = 'e';
	e_first = (how & STEM_E) && cvc(k, n);
	if (e_first && (e = form_base(lx, b, n + 1)) >= 0)
		return e;
	if ((e = form_base(lx, k, n)) >= 0)
		return e;
	if ((how & STEM_E) && !e_first && (e = form_base(lx, b, n + 1)) >= 0)
		return e;
	if ((how & STEM_DOUBLE) && n >= 4 && k[n - 1] == k[n - 2] &&
	    !is_vowel(k[n - 1]) && (e = form_base(lx, k, n - 1)) >= 0)
		return e;
	if ((how & STEM_Y) && k[n - 1] == 'i') {
		b[n - 1] = 'y';
		if ((e = form_base(lx, b, n)) >= 0)
			return e;
		b[n - 1] = k[n - 1];
	}
	if ((how & STEM_LE) && !is_vowel(k[n - 1]) && k[n - 1] != 'l') {
		b[n] = 'l';
		b[n + 1] = 'e';
		if ((e = form_base(lx, b, n + 2)) >= 0)
			return e;
	}
	if ((how & STEM_IC) && n >= 6 && k[n - 1] == 'l' && k[n - 2] == 'a' &&
	    k[n - 3] == 'c' && k[n - 4] == 'i')
		return form_base(lx, k, n - 2);
	return -1;
}

/* Whether k[0..n) is all lower-case ASCII letters: only such words have
 * forms. */
static int letters(const char *k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (k[i] < 'a' || k[i] > 'z')
			return 0;
	return 1;
}

static int ends(const char *k, size_t n, const char *suf, size_t m)
{
	return n > m && memcmp(k + n - m, suf, m) == 0;
}

/*
 * The suffix rules, each tried on the key's ending; cm-score(1), WORD
 * FORMS lists them and this is their order.  One rule per form, no
 * chains, except the dropped g, which is the -ing form spelt short.
 */
int32_t cm_lex_form(const struct cm_lexicon *lx, const char *k, size_t n)
{
	char g[FORM_MAX + 1];
	int32_t e;

	if (n < 4 || n > FORM_MAX)
		return -1;
	/* the ending first: most words have none of these, and are done */
	switch (k[n - 1]) {
	case 's':
		if (ends(k, n, "ness", 4))	/* sadness, emptiness */
			return letters(k, n) ? stem_base(lx, k, n - 4, STEM_Y) : -1;
		if (k[n - 2] == 's' || k[n - 2] == 'u' || k[n - 2] == 'i' ||
		    !letters(k, n))
			return -1;	/* less, famous, this */
		if ((e = stem_base(lx, k, n - 1, 0)) >= 0)	/* hugs, amazes */
			return e;
		if (ends(k, n, "ies", 3))	/* worries */
			return stem_base(lx, k, n - 2, STEM_Y);
		if (ends(k, n, "es", 2) && (k[n - 3] == 's' || k[n - 3] == 'x' ||
		    k[n - 3] == 'z' || k[n - 3] == 'o' || ((k[n - 3] == 'h') &&
		    (k[n - 4] == 'c' || k[n - 4] == 's'))))
			return stem_base(lx, k, n - 2, 0);	/* crashes */
		return -1;
	case 'd':	/* crashed, bruised, stopped, worried */
		if (!ends(k, n, "ed", 2) || !letters(k, n))
			return -1;
		return stem_base(lx, k, n - 2, STEM_E | STEM_DOUBLE | STEM_Y);
	case 'g':	/* crashing, smiling, hugging */
		if (!ends(k, n, "ing", 3) || !letters(k, n))
			return -1;
		return stem_base(lx, k, n - 3, STEM_E | STEM_DOUBLE);
	case 'n':
		/*
		 * The dropped g, "lovin", "feelin": the -ing form when the
		 * lexicon has it, else a stem of four letters or more, which
		 * keeps "robin", "latin" and "begin" out.
		 */
		if (!ends(k, n, "in", 2) || n < 5 || !letters(k, n))
			return -1;
		memcpy(g, k, n);
		g[n] = 'g';
		if ((e = form_base(lx, g, n + 1)) >= 0)
			return e;
		return n - 2 >= 4 ? stem_base(lx, k, n - 2, STEM_E) : -1;
	case 't':	/* nicest, biggest, luckiest */
		if (!ends(k, n, "est", 3) || !letters(k, n))
			return -1;
		return stem_base(lx, k, n - 3, STEM_E | STEM_DOUBLE | STEM_Y);
	case 'r':	/* kinder, nicer, bigger, happier */
		if (!ends(k, n, "er", 2) || !letters(k, n))
			return -1;
		return stem_base(lx, k, n - 2, STEM_E | STEM_DOUBLE | STEM_Y);
	case 'y':	/* sadly, happily, terribly, tragically */
		if (!ends(k, n, "ly", 2) || !letters(k, n))
			return -1;
		return stem_base(lx, k, n - 2, STEM_Y | STEM_LE | STEM_IC);
	default:
		return -1;
	}
}

int cm_lexicon_covers(const struct cm_lexicon *lx, const char *tag,
    size_t len)
{
	size_t k, i;

	if (lx->any_lang)
		return 1;
	for (k = 0; k < len && tag[k] != '-' && tag[k] != '_'; k++)
		;
	if (lx->nlangs == 0)
		return k == 2 && (tag[0] | 0x20) == 'e' && (tag[1] | 0x20) == 'n';
	for (i = 0; i < lx->nlangs; i++)
		if (strlen(lx->langs[i]) == k &&
		    strncasecmp(lx->langs[i], tag, k) == 0)
			return 1;
	return 0;
}

void cm_lexicon_languages(const struct cm_lexicon *lx, char *buf, size_t n)
{
	size_t i, o = 0;

	if (n == 0)
		return;
	buf[0] = '\0';
	if (lx->any_lang || lx->nlangs == 0) {
		snprintf(buf, n, "%s", lx->any_lang ? "any" : "en");
		return;
	}
	for (i = 0; i < lx->nlangs; i++) {
		int w = snprintf(buf + o, n - o, "%s%s", i ? ", " : "",
		    lx->langs[i]);

		if (w < 0 || (size_t)w >= n - o) {
			buf[o] = '\0';
			break;
		}
		o += (size_t)w;
	}
}
