/* lang.c - whether a text is in a language the lexicon covers */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "lang.h"
#include "lexicon_int.h"
#include "tokenize.h"

/*
 * Latin-script languages told apart by their commonest words.  English
 * is among them so that its own words weigh against the others': a word
 * several languages share ("a", "no", "me", "de") counts for each.  The
 * words are lexicon entries (cm_lexicon_new adds them), so the tokenizer
 * counts them in the lookup it makes anyway: a check of its own over
 * the tokens cost cm-score --only sentiment 14% of its time, this 7%.
 */
enum { L_EN, L_DE, L_FR, L_ES, L_IT, L_PT, L_NL, NLANG };

static const struct {
	const char *code, *name;
	const char *words;	/* lower-case, space-separated */
} langs[NLANG] = {
	{ "en", "English",
	    "a about again all also am an and any are as at back be been but "
	    "by can can't could day did didn't die do does doesn't don't "
	    "even ever for from get got good great guess ha haha had has "
	    "have he her hey hi him his how i i'd i'll i'm i've if in is "
	    "isn't it it's its just know like lol love me more my need "
	    "never new no not now of oh ok okay on one only or our out over "
	    "please really see she should so some still than thank thanks "
	    "that that's the them then there there's they think this time "
	    "to today too up us very want was wasn't we well were what "
	    "what's when who why will with won't would wow yes you you're "
	    "your "
	    /* English words that are function words of another language
	     * ("man" and "war" of German, "come" and "per" of Italian):
	     * they count for both */
	    "come da man per plus pour war" },
	{ "de", "German",
	    "aber alle alles als also am auch auf aus bei bin bis bitte da "
	    "danke das dass dem den der des dich die dir doch du echt ein "
	    "eine einem einen einer endlich er es euch für ganz gerade geht "
	    "gibt gut habe haben hat heute hier ich ihr im immer ist ja "
	    "jetzt kann kein keine leider mal man mehr mein meine mich mir "
	    "mit nach nicht nichts noch nur oder schon sehr seit sich sie "
	    "sind so um und uns von war warum was wenn wie wieder wir "
	    "wirklich wo zu zum zur über" },
	{ "fr", "French",
	    "a alors au aussi aux avec avez bien c'est c'était ce cette "
	    "chez comme dans de depuis des donc du elle elles en encore est "
	    "et fait il ils j'ai j'adore je la le les leur ma mais merci mes "
	    "moi mon n'est ne nous on ont ou où oui par parce pas peut plus "
	    "pour qu'il quand que qui quoi rien sa sans ses son sont suis "
	    "sur ta toujours tous tout très tu un une vous vraiment ça" },
	{ "es", "Spanish",
	    "a ahora al algo bien cómo como con cuando de del desde donde "
	    "dónde el ella en encanta era es eso esta este esto está están "
	    "estoy fue gracias gusta hasta hay hola hoy la las le les lo los "
	    "me mi mis mucho muy más mí nada no nos nunca otra otro para "
	    "pero por porque que qué se ser si siempre sobre su sus sí "
	    "también te todo todos tu un una y ya yo él" },
	{ "it", "Italian",
	    "a abbiamo al alla anche ancora che ci ciao come con cosa da "
	    "dei del della di dove e gli grazie hai ho il io la le lei lo "
	    "loro lui ma mi molto nel nella noi non per perché più quando "
	    "quello questa questo se sei si sono sul ti tu tutti tutto un "
	    "una uno voi è" },
	{ "pt", "Portuguese",
	    "a agora ainda alguém ao aos aqui as bem boa bom com como "
	    "consigo da das de do dos e ela ele em então essa esse esta este "
	    "estou está eu hoje isso isto já mais mas meu minha muito na "
	    "nada nem ninguém não né no nos o obrigada obrigado onde os para "
	    "pela pelo por porque pra que quando se sem seu sua sim são "
	    "também tem ter tudo tá um uma valeu você vocês à é" },
	{ "nl", "Dutch",
	    "al als ben bedankt bij dan dank dat de die dit een en er geen "
	    "gewoon goed hebben heb heeft het hij hoe ik is je jij jullie "
	    "maar met mijn naar niet nog nu om ons onze ook op van voor "
	    "waarom wat we weer wel wij zijn zo" },
};

/* Other scripts, and the languages written in them. */
enum { S_NONE, S_LATIN, S_GREEK, S_CYRILLIC, S_ARMENIAN, S_HEBREW, S_ARABIC,
	S_DEVANAGARI, S_BENGALI, S_GURMUKHI, S_GUJARATI, S_TAMIL, S_TELUGU,
	S_KANNADA, S_MALAYALAM, S_SINHALA, S_THAI, S_LAO, S_MYANMAR,
	S_GEORGIAN, S_HANGUL, S_ETHIOPIC, S_KHMER, S_KANA, S_HAN, NSCRIPT };

static const struct {
	const char *name;
	const char *langs;	/* space-separated primary subtags */
} scripts[NSCRIPT] = {
	[S_NONE] = { "", "" },
	[S_LATIN] = { "Latin", "" },
	[S_GREEK] = { "Greek", "el" },
	[S_CYRILLIC] = { "Cyrillic", "ru uk bg sr mk be kk ky mn tg" },
	[S_ARMENIAN] = { "Armenian", "hy" },
	[S_HEBREW] = { "Hebrew", "he yi iw" },
	[S_ARABIC] = { "Arabic", "ar fa ur ps ku sd ug" },
	[S_DEVANAGARI] = { "Devanagari", "hi mr ne sa" },
	[S_BENGALI] = { "Bengali", "bn as" },
	[S_GURMUKHI] = { "Gurmukhi", "pa" },
	[S_GUJARATI] = { "Gujarati", "gu" },
	[S_TAMIL] = { "Tamil", "ta" },
	[S_TELUGU] = { "Telugu", "te" },
	[S_KANNADA] = { "Kannada", "kn" },
	[S_MALAYALAM] = { "Malayalam", "ml" },
	[S_SINHALA] = { "Sinhala", "si" },
	[S_THAI] = { "Thai", "th" },
	[S_LAO] = { "Lao", "lo" },
	[S_MYANMAR] = { "Myanmar", "my" },
	[S_GEORGIAN] = { "Georgian", "ka" },
	[S_HANGUL] = { "Hangul", "ko" },
	[S_ETHIOPIC] = { "Ethiopic", "am ti" },
	[S_KHMER] = { "Khmer", "km" },
	[S_KANA] = { "kana", "ja" },
	[S_HAN] = { "Han", "zh ja yue" },
};

/* Code point ranges of letters, sorted. */
static const struct {
	uint32_t lo, hi;
	unsigned char script;
} ranges[] = {
	{ 0x00C0, 0x024F, S_LATIN }, { 0x0370, 0x03FF, S_GREEK },
	{ 0x0400, 0x052F, S_CYRILLIC }, { 0x0530, 0x058F, S_ARMENIAN },
	{ 0x0590, 0x05FF, S_HEBREW }, { 0x0600, 0x06FF, S_ARABIC },
	{ 0x0750, 0x077F, S_ARABIC }, { 0x08A0, 0x08FF, S_ARABIC },
	{ 0x0900, 0x097F, S_DEVANAGARI }, { 0x0980, 0x09FF, S_BENGALI },
	{ 0x0A00, 0x0A7F, S_GURMUKHI }, { 0x0A80, 0x0AFF, S_GUJARATI },
	{ 0x0B80, 0x0BFF, S_TAMIL }, { 0x0C00, 0x0C7F, S_TELUGU },
	{ 0x0C80, 0x0CFF, S_KANNADA }, { 0x0D00, 0x0D7F, S_MALAYALAM },
	{ 0x0D80, 0x0DFF, S_SINHALA }, { 0x0E00, 0x0E7F, S_THAI },
	{ 0x0E80, 0x0EFF, S_LAO }, { 0x1000, 0x109F, S_MYANMAR },
	{ 0x10A0, 0x10FF, S_GEORGIAN }, { 0x1100, 0x11FF, S_HANGUL },
	{ 0x1200, 0x139F, S_ETHIOPIC }, { 0x1780, 0x17FF, S_KHMER },
	{ 0x1C80, 0x1C8F, S_CYRILLIC }, { 0x1E00, 0x1EFF, S_LATIN },
	{ 0x1F00, 0x1FFF, S_GREEK }, { 0x2C60, 0x2C7F, S_LATIN },
	{ 0x2DE0, 0x2DFF, S_CYRILLIC }, { 0x3040, 0x30FF, S_KANA },
	{ 0x3130, 0x318F, S_HANGUL }, { 0x31F0, 0x31FF, S_KANA },
	{ 0x3400, 0x4DBF, S_HAN }, { 0x4E00, 0x9FFF, S_HAN },
	{ 0xA640, 0xA69F, S_CYRILLIC }, { 0xA720, 0xA7FF, S_LATIN },
	{ 0xAC00, 0xD7AF, S_HANGUL }, { 0xF900, 0xFAFF, S_HAN },
	{ 0xFB1D, 0xFB4F, S_HEBREW }, { 0xFB50, 0xFDFF, S_ARABIC },
	{ 0xFE70, 0xFEFF, S_ARABIC }, { 0xFF66, 0xFF9F, S_KANA },
	{ 0x20000, 0x2FFFF, S_HAN },
};

#define NRANGES (sizeof(ranges) / sizeof(ranges[0]))

/* The tokens read for their script, at most: enough to tell, and a
 * long text costs no more than a short one. */
#define TOKENS_MAX 64

struct cm_langid {
	const struct cm_lexicon *lx;
	int any;		/* the lexicon takes every language */
	uint8_t cover_lang;	/* 1 << L_* covered */
	unsigned char cover_script[NSCRIPT];
	char covers[48];	/* "en", for messages */
};

const char *cm_lang_words(unsigned i)
{
	return i < NLANG ? langs[i].words : NULL;
}

/* Whether lx covers any of the space-separated subtags in list. */
static int covers_any(const struct cm_lexicon *lx, const char *list)
{
	while (*list) {
		size_t n = strcspn(list, " ");

		if (n && cm_lexicon_covers(lx, list, n))
			return 1;
		list += n;
		list += *list == ' ';
	}
	return 0;
}

struct cm_langid *cm_langid_new(const struct cm_lexicon *lx)
{
	struct cm_langid *li;
	size_t i;

	if ((li = calloc(1, sizeof(*li))) == NULL)
		return NULL;
	li->lx = lx;
	li->any = lx->any_lang;
	cm_lexicon_languages(lx, li->covers, sizeof(li->covers));
	for (i = 0; i < NLANG; i++)
		if (cm_lexicon_covers(lx, langs[i].code, 2))
			li->cover_lang |= (uint8_t)(1u << i);
	for (i = 0; i < NSCRIPT; i++)
		li->cover_script[i] = (unsigned char)covers_any(lx,
		    scripts[i].langs);
	return li;
}

void cm_langid_free(struct cm_langid *li)
{
	free(li);
}

static int is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

int cm_langid_tag(const struct cm_langid *li, const char *tag, size_t len,
    char *why, size_t n)
{
	size_t k, i;
	int plain = len <= 35;

	if (li->any)
		return 1;
	for (k = 0; k < len && tag[k] != '-' && tag[k] != '_'; k++)
		if (!is_alpha((unsigned char)tag[k]))
			return -1;	/* not a language tag */
	if (k < 2 || k > CM_LEX_LANG_LEN ||
	    (k == 3 && strncasecmp(tag, "und", 3) == 0))
		return -1;
	for (i = k; i < len && plain; i++)
		plain = is_alpha((unsigned char)tag[i]) ||
		    (tag[i] >= '0' && tag[i] <= '9') || tag[i] == '-' ||
		    tag[i] == '_';
	if (cm_lexicon_covers(li->lx, tag, k))
		return 1;
	snprintf(why, n, "not scored: language %.*s (lexicon: %s)",
	    (int)(plain ? len : k), tag, li->covers);
	return 0;
}

static int script_of(uint32_t cp)
{
	size_t lo = 0, hi = NRANGES;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < ranges[mid].lo)
			hi = mid;
		else if (cp > ranges[mid].hi)
			lo = mid + 1;
		else
			return ranges[mid].script;
	}
	return S_NONE;
}

/* Adds the letters of a token with bytes from 0x80 on to letters, by
 * script. */
static void letters_of(const unsigned char *p, size_t len, unsigned *letters)
{
	size_t i = 0, k;
	int s;

	while (i < len) {
		if (p[i] < 0x80) {
			s = is_alpha(p[i]) ? S_LATIN : S_NONE;
			k = 1;
		} else if ((k = cm_utf8_valid_prefix(p + i, len - i)) == 0) {
			i++;
			continue;
		} else
			s = script_of(cm_utf8_decode(p + i, k));
		i += k;
		if (s == S_NONE)
			continue;
		/* a Han, kana or Hangul character is about a word */
		letters[s] += s == S_HAN || s == S_KANA || s == S_HANGUL ? 3 : 1;
	}
}

int cm_langid_text(const struct cm_langid *li, const struct cm_tokens *tk,
    const char *text, char *why, size_t n)
{
	unsigned hits[NLANG], letters[NSCRIPT], latin = 0, total = 0;
	size_t i, ntok = tk->ntok < TOKENS_MAX ? tk->ntok : TOKENS_MAX;
	unsigned best, top, lang;
	uint64_t packed = tk->fw;

	if (li->any)
		return 1;
	/* letters by script, when a word has other than ASCII */
	if (tk->nonascii > 0) {
		memset(letters, 0, sizeof(letters));
		for (i = 0; i < ntok; i++) {
			const struct cm_tok *t = &tk->tok[i];
			const unsigned char *p =
			    (const unsigned char *)text + t->off;

			size_t j;

			if (t->flags & (T_EMOJI | T_RATING) || t->len == 0)
				continue;
			/* a hashtag or a handle is a name, in no language */
			if (t->off > 0 && (text[t->off - 1] == '#' ||
			    text[t->off - 1] == '@'))
				continue;
			/* a word all ASCII is Latin; one with any other byte
			 * is counted letter by letter ("iPhoneのapp") */
			for (j = 0; j < t->len && p[j] < 0x80; j++)
				;
			if (j == t->len)
				latin += is_alpha(p[0]) ? t->len : 0;
			else
				letters_of(p, t->len, letters);
		}
		latin += letters[S_LATIN];
		for (i = S_LATIN + 1, best = S_LATIN + 1; i < NSCRIPT; i++) {
			total += letters[i];
			if (letters[i] > letters[best])
				best = (unsigned)i;
		}
		/* kana among Han characters: Japanese */
		if (best == S_HAN && letters[S_KANA] > 0)
			best = S_KANA;
		if (total > latin) {
			if (li->cover_script[best])
				return 1;
			snprintf(why, n, "not scored: text in %s script",
			    scripts[best].name);
			return 0;
		}
	}
	packed += (uint64_t)(tk->ninverted < 4 ? tk->ninverted : 4) << 8 * L_ES;
	/* the common case: English covered, no other language with two
	 * words, one test for all */
	if ((li->cover_lang & 1u << L_EN) &&
	    (packed & ~(uint64_t)0xFF & 0xFEFEFEFEFEFEFEFEu) == 0)
		return 1;
	for (i = 0; i < NLANG; i++)
		hits[i] = (unsigned)(packed >> 8 * i) & 0xFF;
	for (i = 1, top = L_DE; i < NLANG; i++)
		if (hits[i] > hits[top])
			top = (unsigned)i;
	/* The lexicon's own terms found in the text ("hell", "terrible")
	 * are English words too, when the lexicon is English: "Man, war is
	 * hell" is no German, "Hasta la vista, terrible app" no Spanish. */
	if (hits[top] >= 2 && (li->cover_lang & 1u << L_EN))
		for (i = 0; i < ntok; i++) {
			const struct cm_tok *t = &tk->tok[i];

			if (t->ent >= 0 && !(t->flags & (T_EMOJI | T_RATING)) &&
			    (li->lx->e[t->ent].kinds & CM_LEX_WORD) &&
			    li->lx->e[t->ent].fw == 0)
				hits[L_EN]++;
		}
	/* another language's words must clearly outnumber English ones;
	 * English, the others' (for a lexicon that lacks English) */
	if (hits[top] >= 2 && hits[top] >= 2 * hits[L_EN])
		lang = top;
	else if (hits[L_EN] >= 2 && hits[L_EN] >= 2 * hits[top])
		lang = L_EN;
	else
		return 1;	/* cannot tell */
	if (li->cover_lang & (1u << lang))
		return 1;
	snprintf(why, n, "not scored: text looks %s", langs[lang].name);
	return 0;
}
