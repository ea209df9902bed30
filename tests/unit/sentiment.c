/* sentiment.c - unit tests for lib/score's sentiment: the lexicon parser
 * (lexicon.c), the tokenizer and the rules (tokenize.c, sentiment.c), the
 * labels of tests/fixtures/score-set.tsv, ordering pairs, word forms,
 * irony, and the texts in languages the lexicon lacks (lang.c).
 * Run from the top of the source tree (tests/0300-sentiment.t does). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score/score.h"
#include "score/sentiment.h"
#include "tap.h"

static struct cm_lexicon *lx;
static struct cm_senti *sc;

static double score(const char *text)
{
	struct cm_senti_result r;

	if (cm_senti_score(sc, text, strlen(text), &r) < 0)
		return NAN;
	return r.compound;
}

/* The compound score of text by the scorer f. */
static double score_with(struct cm_senti *f, const char *text)
{
	struct cm_senti_result r;

	if (cm_senti_score(f, text, strlen(text), &r) < 0)
		return NAN;
	return r.compound;
}

static void test_parser(void)
{
	static const char good[] =
	    "# a comment\n"
	    "nice\t2.5\tnotes here\n"
	    "meh -1   # blank-separated, with a note\n"
	    "over the moon\t3.0\n"
	    "Top-Notch\t2.7\n"
	    "U+1F602\t1.8\tface with tears of joy\n"
	    "U+2764 U+FE0F\t2.9\tred heart with its selector\n"
	    "[:\t1.0\tan emoticon that looks like a header\n"
	    "\n"
	    "[boosters]\n"
	    "very\n"
	    "kind of\t-0.293\n"
	    "[post-boosters]\n"
	    "af\t0.3\n"
	    "[negations]\n"
	    "not\n"
	    "[contrasts]\n"
	    "but\r\n";
	struct cm_error err;
	struct cm_lexicon *l = cm_lexicon_new();
	double v, b;
	int k;

	ok(l != NULL, "cm_lexicon_new");
	ok(cm_lexicon_parse(l, "t", good, sizeof(good) - 1, &err) == 0,
	    "a lexicon with every section parses");
	k = cm_lexicon_lookup(l, "NICE", 4, &v, &b);
	ok(k == CM_LEX_WORD && v == 2.5, "terms match case-insensitively");
	k = cm_lexicon_lookup(l, "meh", 3, &v, NULL);
	ok(k == CM_LEX_WORD && v == -1, "a line without a TAB splits at blanks");
	ok(cm_lexicon_lookup(l, "over the moon", 13, &v, NULL) == CM_LEX_WORD &&
	    v == 3.0, "phrases hold spaces");
	ok(cm_lexicon_lookup(l, "top notch", 9, &v, NULL) == CM_LEX_WORD &&
	    fabs(v - 2.7) < 1e-6, "a hyphen between letters is a space");
	ok(cm_lexicon_lookup(l, "\xf0\x9f\x98\x82", 4, &v, NULL) ==
	    CM_LEX_WORD && fabs(v - 1.8) < 1e-6, "U+ code points");
	ok(cm_lexicon_lookup(l, "\xe2\x9d\xa4", 3, &v, NULL) == CM_LEX_WORD,
	    "U+FE0F is dropped from emoji terms");
	ok(cm_lexicon_lookup(l, "[:", 2, &v, NULL) == CM_LEX_WORD,
	    "\"[:\" is a term, not a section header");
	k = cm_lexicon_lookup(l, "very", 4, NULL, &b);
	ok(k == CM_LEX_BOOSTER && fabs(b - CM_SENTI_BOOST) < 1e-6,
	    "a booster without a value takes the default");
	ok(cm_lexicon_lookup(l, "kind of", 7, NULL, &b) == CM_LEX_BOOSTER &&
	    b < 0, "dampeners are negative boosters");
	ok(cm_lexicon_lookup(l, "af", 2, NULL, &b) == CM_LEX_POSTBOOSTER,
	    "post-boosters");
	ok(cm_lexicon_lookup(l, "not", 3, NULL, NULL) == CM_LEX_NEGATION,
	    "negations");
	ok(cm_lexicon_lookup(l, "but", 3, NULL, NULL) == CM_LEX_CONTRAST,
	    "contrasts, CRLF line ends");
	ok(cm_lexicon_lookup(l, "over", 4, NULL, NULL) == 0,
	    "the first word of a phrase is no term of its own");
	is_int(cm_lexicon_size(l), 12, "cm_lexicon_size counts terms");
	ok(cm_lexicon_parse(l, "add", "nice\t-1\n", 8, &err) == 0 &&
	    cm_lexicon_lookup(l, "nice", 4, &v, NULL) && v == -1,
	    "a later entry overrides (--lexicon-add)");
	is_int(cm_lexicon_size(l), 12, "overriding adds no term");
	cm_lexicon_free(l);

	{
		static const struct {
			const char *text, *msg;
		} bad[] = {
			{ "good\n", "t:1: missing valence" },
			{ "ok 1\ngood x\n", "t:2: value is not a number" },
			{ "good\t5\n", "t:1: valence out of range -4..4" },
			{ "[feelings]\n", "t:1: unknown section (words, boosters, "
			    "post-boosters, negations, contrasts, languages)" },
			{ "[boosters]\nvery 3\n", "t:2: booster out of range -2..2" },
			{ "U+110000\t1\n", "t:1: bad code point sequence" },
			{ "U+D800\t1\n", "t:1: bad code point sequence" },
			{ "a b c d e f g h i\t1\n", "t:1: too many words in a term" },
			{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			    "xxxxxxxxxx\t1\n", "t:1: term too long" },
			{ "\xff\xfe\t1\n", "t:1: invalid UTF-8" },
			{ "good\t1e3\n", "t:1: value is not a number" },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			l = cm_lexicon_new();
			err.msg[0] = '\0';
			ok(cm_lexicon_parse(l, "t", bad[i].text,
			    strlen(bad[i].text), &err) == -1,
			    "bad lexicon %zu is refused", i);
			is_str(err.msg, bad[i].msg, "  with its line and reason");
			cm_lexicon_free(l);
		}
		l = cm_lexicon_new();
		ok(cm_lexicon_parse(l, "t", "a\t1\nb\0\t2\n", 9, &err) == -1 &&
		    strcmp(err.msg, "t:2: NUL byte") == 0, "NUL bytes refused");
		ok(cm_lexicon_load(l, "/nonexistent/lexicon.txt", &err) == -1 &&
		    strstr(err.msg, "No such file") != NULL,
		    "a missing file names the reason");
		cm_lexicon_free(l);
	}
}

/* The labels of the score set; agreement and correlation as notes. */
static void test_score_set(void)
{
	FILE *fp = fopen("tests/fixtures/score-set.tsv", "r");
	char *line = NULL;
	size_t cap = 0, n = 0, agree = 0;
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	ssize_t len;

	if (!ok(fp != NULL, "tests/fixtures/score-set.tsv opens"))
		return;
	while ((len = getline(&line, &cap, fp)) > 0) {
		char *lab, *val, *text;
		double want, got;
		int label;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		lab = line;
		if ((val = strchr(lab, '\t')) == NULL ||
		    (text = strchr(val + 1, '\t')) == NULL) {
			ok(0, "malformed fixture line: %s", line);
			continue;
		}
		*val++ = '\0';
		*text++ = '\0';
		want = atof(val);
		got = score(text);
		label = got >= CM_SENTI_THRESHOLD ? 1 :
		    got <= -CM_SENTI_THRESHOLD ? -1 : 0;
		n++;
		if (ok(label == (strcmp(lab, "pos") == 0 ? 1 :
		    strcmp(lab, "neg") == 0 ? -1 : 0),
		    "%s %+.4f: %s", lab, got, text))
			agree++;
		sx += want;
		sy += got;
		sxx += want * want;
		syy += got * got;
		sxy += want * got;
	}
	free(line);
	fclose(fp);
	ok(n >= 300, "the score set has %zu texts (300 or more)", n);
	if (n > 1) {
		double r = (n * sxy - sx * sy) /
		    sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));

		printf("# score set: label agreement %zu/%zu (%.1f%%), "
		    "Pearson r with the human valence %.3f\n", agree, n,
		    100.0 * (double)agree / (double)n, r);
		ok(r > 0.85, "sentiment follows the human valence (r = %.3f)", r);
	}
}

/* Pairs that differ by one rule: the first scores lower. */
static void test_pairs(void)
{
	static const struct {
		const char *lower, *higher, *rule;
	} pairs[] = {
		{ "good", "very good", "intensifier" },
		{ "good", "extremely good", "intensifier" },
		{ "not good", "good", "negation" },
		{ "never good", "good", "negation: never" },
		{ "this isn't good", "this is good", "negation: n't" },
		{ "problems", "without problems", "negation: without" },
		{ "I don't think it is good", "I think it is good",
		    "negation: opinion verb widens the scope" },
		{ "bad", "not bad", "negated negative" },
		{ "not good", "not very good", "negated intensifier dampens" },
		{ "good", "GOOD!!!", "caps and exclamation" },
		{ "the food is good", "the food is GOOD", "ALL CAPS emphasis" },
		{ "the food is BAD", "the food is bad", "ALL CAPS, negative" },
		{ "good", "good!", "exclamation" },
		{ "good!", "good!!", "more exclamation" },
		{ "terrible!!", "terrible", "exclamation, negative" },
		{ "is it good?", "is it good??", "question marks" },
		{ "kind of good", "good", "dampener: kind of" },
		{ "slightly good", "good", "dampener" },
		{ "good", "sooo goood", "elongation" },
		{ "sooo bad", "bad", "elongation, negative" },
		{ "good", "good af", "post-booster" },
		{ "good, but slow", "slow, but good", "contrast" },
		{ "The food was great but the service was awful",
		    "The food was great and the service was awful",
		    "but weighs the second clause" },
		{ "I like it", "I like it :)", "emoticon" },
		{ "great :(", "great", "sad emoticon" },
		{ "My order is late :(", "My order is late :)", "emoticons" },
		{ "good", "good \xf0\x9f\x98\x8d", "emoji" },
		{ "it broke \xf0\x9f\x98\xa1", "it broke", "angry emoji" },
		{ "it broke", "ok lol", "slang: lol" },
		{ "smh it broke", "it broke", "slang: smh" },
		{ "this is a bomb", "this is the bomb", "idiom: the bomb" },
		{ "Great service /s", "Great service", "sarcasm marker" },
		{ "love being stuck in traffic \xf0\x9f\x99\x83",
		    "love being stuck in traffic", "upside-down face: sarcasm" },
		{ "Great, another update \xf0\x9f\x99\x84", "Great, another update",
		    "rolled eyes: sarcasm" },
		{ "problem", "no problem", "negation of a negative" },
		{ "looks like rain", "I like it", "like as a verb only" },
		{ "meh", "ok", "slang" },
		{ "2/10", "9/10", "ratings" },
		{ "3.5/5", "4.5/5", "ratings with a decimal" },
		{ "2 out of 10", "9 out of 10", "ratings: out of" },
		{ "meet at 4/5", "4/5", "a date after 'at' is no rating" },
		{ "it is not working", "it is working", "phrase: not working" },
		{ "it isn't working", "it is working", "phrase via negation" },
		{ "I can't recommend it", "I can't recommend it enough",
		    "can't ... enough" },
		{ "not good", "not amazing", "a strong positive negated is "
		    "milder" },
		{ "not amazing", "amazing", "... and still below it" },
		{ "the bus never came", "the bus never came lol",
		    "laughter is not negated" },
		{ "the bus never came", "the bus never came hahahah",
		    "laughter of any length is not negated" },
		{ "not amazing", "not very amazing",
		    "a booster after a negation still dampens under the taper" },
		{ "not AMAZING", "not amazing",
		    "caps still emphasize under the taper" },
		{ "I have rarely been so bored", "I have been bored",
		    "rarely so: emphasis, as never so" },
		{ "it cannot save this clumsy script", "it cannot save this script",
		    "a negation does not reach past a term of the other sign" },
		{ "The plot is weak and the acting is great",
		    "Although the plot is weak, the acting is great",
		    "although: the first clause counts half" },
		{ "Although the acting is great, the plot is weak",
		    "The acting is great and the plot is weak",
		    "although: the rest counts 1.5 times" },
		{ "Even though it looks nice, it broke in a week",
		    "It looks nice and it broke in a week",
		    "even though" },
		{ "The film is far from perfect", "The film is perfect",
		    "negation: far from" },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		double a = score(pairs[i].lower), b = score(pairs[i].higher);

		ok(a < b, "%s: \"%s\" %+.4f < \"%s\" %+.4f", pairs[i].rule,
		    pairs[i].lower, a, pairs[i].higher, b);
	}
}

/* The valence the scorer f gives a one-word text's single term, or NAN
 * when the word found no term. */
static double term_value(struct cm_senti *f, const char *w)
{
	struct cm_senti_result r;

	if (cm_senti_score(f, w, strlen(w), &r) < 0 || r.nhits != 1)
		return NAN;
	return r.hits[0].value;
}

/* The suffix rules of cm-score(1), WORD FORMS, on a lexicon of their own,
 * so that each rule is seen alone; then on the shipped one. */
static void test_forms(void)
{
	static const char lex[] =
	    "amaze\t2.2\nlucky\t2.3\nloving\t3.2\nfeel\t1.1\nsmile\t2.0\n"
	    "hope\t1.9\nhop\t-1.0\nstop\t-1.2\nworry\t-1.9\ncrash\t-2.0\n"
	    "hug\t1.9\nterrible\t-3.0\ntragic\t-2.8\nempty\t-1.2\nnice\t1.8\n"
	    "big\t0.5\nsad\t-2.1\nbruise\t-1.4\nlate\t-1.2\nlatest\t0\n"
	    "rob\t-2.8\nlat\t-1.0\ngood\t1.9\n"
	    "[boosters]\nreal\n[negations]\nnot\nlack\n";
	static const struct {
		const char *form, *base;
	} forms[] = {
		{ "amazes", "amaze" }, { "hugs", "hug" }, { "crashes", "crash" },
		{ "worries", "worry" }, { "crashed", "crash" },
		{ "bruised", "bruise" }, { "stopped", "stop" },
		{ "worried", "worry" }, { "crashing", "crash" },
		{ "smiling", "smile" }, { "hugging", "hug" },
		{ "hoping", "hope" }, { "lovin", "loving" },
		{ "lovin'", "loving" }, { "feelin", "feel" },
		{ "smilin", "smile" }, { "nicer", "nice" },
		{ "nicest", "nice" }, { "bigger", "big" },
		{ "luckiest", "lucky" }, { "luckier", "lucky" },
		{ "sadly", "sad" }, { "terribly", "terrible" },
		{ "tragically", "tragic" }, { "sadness", "sad" },
		{ "emptiness", "empty" }, { "later", "late" },
		{ "AMAZES", "AMAZE" },
	};
	struct cm_error err;
	struct cm_lexicon *l = cm_lexicon_new();
	struct cm_senti *f;
	size_t i;
	double a, b;

	ok(l != NULL && cm_lexicon_parse(l, "forms", lex, sizeof(lex) - 1,
	    &err) == 0, "a lexicon for the word forms");
	f = cm_senti_new(l);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		a = term_value(f, forms[i].form);
		b = term_value(f, forms[i].base);
		ok(!isnan(a) && a == b, "\"%s\" takes the valence of \"%s\": "
		    "%+.2f, %+.2f", forms[i].form, forms[i].base, a, b);
	}
	ok(isnan(term_value(f, "latest")) || term_value(f, "latest") == 0,
	    "a form listed at 0 (a false friend) keeps its 0: latest");
	ok(isnan(term_value(f, "robin")) && isnan(term_value(f, "latin")),
	    "the dropped g wants a stem of four letters: robin, latin");
	ok(score_with(f, "lack good") < 0 &&
	    score_with(f, "lacking good") == score_with(f, "good"),
	    "a negation's forms are no negation: lacking");
	ok(score_with(f, "real good") > score_with(f, "good") &&
	    score_with(f, "really good") == score_with(f, "good"),
	    "a booster's forms are no booster nor word: really");
	ok(isnan(term_value(f, "amazess")) && isnan(term_value(f, "amazex")),
	    "other endings find nothing");
	ok(fabs(term_value(f, "lovinnn") - term_value(f, "lovin") -
	    CM_SENTI_BOOST) < 1e-6 && fabs(term_value(f, "amazesss") -
	    term_value(f, "amazes") - CM_SENTI_BOOST) < 1e-6,
	    "a stretched form is shortened, then read as a form: lovinnn");
	ok(score_with(f, "#\x80") == 0 && score_with(f, "#\xe1 amazes") > 0,
	    "a hashtag of no letters has no form");
	ok(term_value(f, "amaze's") == term_value(f, "amaze"),
	    "a possessive is still read as before");
	cm_senti_free(f);
	cm_lexicon_free(l);

	ok(score("this app amazes me") > 0.05, "shipped: amazes");
	ok(score("luckiest") > 0.05, "shipped: luckiest");
	ok(score("lovin the new update") > 0.05, "shipped: lovin");
	ok(score("the bus was late") < -0.05 &&
	    score("the latest update") == 0 && score("see you later") == 0,
	    "shipped: latest and later are not late");
	ok(score("got fined again") < 0 && score("fine") > 0,
	    "shipped: fined keeps its own entry");

	/* feeling words and shorthand added to the lexicon, and the false
	 * friends their forms brought */
	ok(score("rotfl this thread") > 0.05, "shipped: rotfl");
	ok(score("my back is so sore") < -0.05, "shipped: sore");
	ok(score("i feel so empty") < -0.05, "shipped: empty");
	ok(score("feeling so alone lately") < -0.05, "shipped: alone");
	ok(score("my order number is 88231") == 0 &&
	    score("emptying the bins") == 0,
	    "shipped: number is not numb, emptying not empty");
}

static void test_edges(void)
{
	struct cm_senti_result r;
	char *big;
	size_t i, n = 1 << 20, off, len;
	const char *k;
	double a, b;

	ok(cm_senti_score(sc, "", 0, &r) == 0 && r.compound == 0 &&
	    r.label == 0 && r.nterms == 0, "empty text is neutral");
	ok(cm_senti_score(sc, "the a of 123", 12, &r) == 0 && r.label == 0,
	    "no sentiment words: neutral");
	ok(cm_senti_score(sc, "good\xff\xfe bad\xc3", 11, &r) == 0,
	    "invalid UTF-8 is scored");
	ok(cm_senti_score(sc, "great\0awful", 11, &r) == 0 && r.nterms == 2,
	    "NUL bytes separate words");
	a = score("\xf0\x9f\x91\x8d");
	b = score("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd");
	ok(a > 0 && a == b, "a skin tone keeps the emoji's valence");
	a = score("\xf0\x9f\xa4\xa6");
	b = score("\xf0\x9f\xa4\xa6\xe2\x80\x8d\xe2\x99\x82\xef\xb8\x8f");
	ok(a < 0 && a == b, "an unknown ZWJ sequence reads its first emoji");
	ok(score("\xe2\x9d\xa4\xef\xb8\x8f") == score("\xe2\x9d\xa4"),
	    "the emoji presentation selector is ignored");
	ok(score("\xe2\x9d\xa4\xef\xb8\x8f\xe2\x80\x8d\xf0\x9f\x94\xa5") > 0,
	    "a known ZWJ sequence: heart on fire");
	ok(cm_senti_score(sc, "I love it \xf0\x9f\x98\x8d", 14, &r) == 0 &&
	    r.nhits == 2 && r.hits[0].off + r.hits[0].len <= 14,
	    "hits point into the text");
	ok(cm_senti_score(sc, "not working at all", 18, &r) == 0 &&
	    r.nhits == 1 && r.hits[0].off == 0 && r.hits[0].len == 11 &&
	    (r.hits[0].flags & CM_HIT_PHRASE), "a phrase hit spans its words");
	ok(cm_senti_score(sc, "This is GREAT", 13, &r) == 0 &&
	    (r.hits[0].flags & CM_HIT_CAPS), "caps noted in the hit");
	ok(score("@happy_customer hello") == 0, "@handles say nothing");
	ok(score("see https://bad.example/awful") == 0, "URLs say nothing");
	ok(score("#EpicFail") < -0.05, "CamelCase hashtags are split");
	ok(score("love\xe2\x80\x99s") > 0 && score("don\xe2\x80\x99t like it") < 0,
	    "typographic apostrophes");
	ok(score("hahahahaha") > 0, "laughter of any length");
	ok(score("at 10:30 we open") == 0, "a time is no emoticon");
	ok(score("GREAT") == score("great"),
	    "a text all in caps has no caps emphasis");

	big = malloc(n + 1);
	for (i = 0; i < n; i++)
		big[i] = "good bad "[i % 9];
	ok(cm_senti_score(sc, big, n, &r) == 0 && r.compound >= -1 &&
	    r.compound <= 1, "a megabyte of text stays in -1..1");
	memset(big, 'a', n);
	ok(cm_senti_score(sc, big, n, &r) == 0 && r.label == 0,
	    "one very long word");
	memset(big, '!', n);
	ok(cm_senti_score(sc, big, n, &r) == 0 && r.label == 0,
	    "only punctuation");
	free(big);

	ok(cm_senti_score(sc, "Can't wait!", 11, &r) == 0 &&
	    cm_senti_ntokens(sc) == 2, "tokens of the last text");
	k = cm_senti_token(sc, 0, &len);
	ok(len == 5 && memcmp(k, "can't", 5) == 0, "token keys are lower case");
	ok(cm_senti_token_kinds(sc, 0) & CM_LEX_NEGATION,
	    "a phrase's words keep their own kinds");
	cm_senti_token_span(sc, 1, &off, &len);
	ok(off == 6 && len == 4, "token spans");
}

/* Unmarked irony (cm-score(1), Irony): stock praise in a clause of its
 * own against a rest that only complains. */
static void test_irony(void)
{
	static const char *const ironic[] = {
		"great, my order is late again",
		"oh great, the app crashed again",
		"Lovely. The heating broke in January.",
		"perfect... my flight is cancelled",
		"the box came crushed, great job guys",
		"my parcel is lost. thanks",
	};
	static const char *const sincere[] = {
		"great great great",
		"great. great. great.",
		"great, thanks for the quick fix",
		"the first one broke, works great now",
		"great service, friendly staff",
		"love you mum, miss you",
		"nice, but the order is late",
		"greatest, the order is late",
		/* the trouble over or owned: sincere thanks */
		"Thank you, the bug is gone",
		"Great, the outage is over",
		"Sorry for the trouble, thanks",
		"Perfect, the broken link works now",
		"Cool, the error went away",
	};
	struct cm_senti_result r;
	size_t i, j;
	unsigned fl;

	for (i = 0; i < sizeof(ironic) / sizeof(ironic[0]); i++)
		ok(score(ironic[i]) <= -CM_SENTI_THRESHOLD,
		    "irony is no praise: \"%s\" %+.4f", ironic[i],
		    score(ironic[i]));
	for (i = 0; i < sizeof(sincere) / sizeof(sincere[0]); i++) {
		fl = 0;
		if (cm_senti_score(sc, sincere[i], strlen(sincere[i]), &r) == 0)
			for (j = 0; j < r.nhits; j++)
				fl |= r.hits[j].flags;
		ok(!(fl & CM_HIT_IRONY), "no irony: \"%s\" %+.4f", sincere[i],
		    r.compound);
	}
	ok(score("great great great") > 0.5, "repeated praise stays praise");
	ok(score("thanks for nothing") <= -CM_SENTI_THRESHOLD,
	    "\"thanks for nothing\" is negative");
	ok(cm_senti_score(sc, "great, late again", 17, &r) == 0 &&
	    r.nhits == 2 && (r.hits[0].flags & CM_HIT_IRONY) &&
	    r.hits[0].value < 0 && r.hits[0].base > 0,
	    "the ironic term is noted in its hit");
	ok(cm_senti_score(sc, "great, late again /s", 20, &r) == 0 &&
	    r.nhits == 2 && r.hits[0].flags == CM_HIT_SARCASM,
	    "a /s text is flipped once, by the marker");
	ok(score("great, the order is late") < score("the order is late"),
	    "ironic praise adds to the complaint");
}

static void test_lexicon_add(void)
{
	struct cm_error err;
	struct cm_senti_result r;
	const char *text = "where is my refund";

	ok(cm_senti_score(sc, text, strlen(text), &r) == 0 && r.label == 0,
	    "refund is neutral in the shipped lexicon");
	ok(cm_lexicon_parse(lx, "add", "refund\t-1.5\n", 12, &err) == 0,
	    "a retailer adds refund -1.5");
	ok(cm_senti_score(sc, text, strlen(text), &r) == 0 && r.label == -1,
	    "and it counts");
}

/* The [languages] section and cm_lexicon_covers. */
static void test_language_section(void)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "[languages]\nen-GB\n", "t:2: not a language subtag "
		    "(2 to 8 letters: en, de; or *)" },
		{ "[languages]\ne\n", "t:2: not a language subtag "
		    "(2 to 8 letters: en, de; or *)" },
		{ "[languages]\nen de\n", "t:2: one language a line" },
	};
	struct cm_lexicon *l = cm_lexicon_new();
	struct cm_error err;
	char buf[64];
	size_t i;

	ok(cm_lexicon_covers(l, "en", 2) && cm_lexicon_covers(l, "EN-us", 5) &&
	    !cm_lexicon_covers(l, "de", 2) && !cm_lexicon_covers(l, "eng", 3),
	    "a lexicon without [languages] is English");
	cm_lexicon_languages(l, buf, sizeof(buf));
	is_str(buf, "en", "  and says so");
	ok(cm_lexicon_parse(l, "t", "[languages]\nde # German\nFR\n", 26,
	    &err) == 0, "[languages] parses");
	ok(cm_lexicon_covers(l, "de-AT", 5) && cm_lexicon_covers(l, "fr", 2) &&
	    !cm_lexicon_covers(l, "en", 2) && !cm_lexicon_covers(l, "d", 1),
	    "  it lists the languages covered, by primary subtag");
	cm_lexicon_languages(l, buf, sizeof(buf));
	is_str(buf, "de, fr", "  and names them");
	ok(cm_lexicon_parse(l, "t", "[languages]\n*\n", 14, &err) == 0 &&
	    cm_lexicon_covers(l, "ru", 2), "\"*\" covers any language");
	cm_lexicon_free(l);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l = cm_lexicon_new();
		err.msg[0] = '\0';
		ok(cm_lexicon_parse(l, "t", bad[i].text, strlen(bad[i].text),
		    &err) == -1, "bad [languages] %zu is refused", i);
		is_str(err.msg, bad[i].msg, "  with its line and reason");
		cm_lexicon_free(l);
	}
}

/* Scores text tagged lang (NULL: none) with the shipped lexicon; returns
 * whether it got a sentiment, *why the first why. */
static int scored(struct cm_scorer *s, const char *text, const char *lang,
    char *why, size_t n)
{
	struct cm_score_input in;
	struct cm_score out;

	memset(&in, 0, sizeof(in));
	in.text = text;
	in.len = strlen(text);
	in.lang = lang;
	in.lang_len = lang ? strlen(lang) : 0;
	in.followers = in.likes = in.reposts = in.replies = in.quotes = -1;
	in.verified = -1;
	if (cm_scorer_score(s, &in, 0, &out) < 0)
		return -1;
	snprintf(why, n, "%s", out.nwhy ? out.why[0] : "");
	return !out.unscored;
}

/* Texts in languages the lexicon does not cover get no sentiment; English
 * ones, loanwords and all, do. */
static void test_languages(void)
{
	static const struct {
		const char *text, *lang, *why;
	} no[] = {
		{ "Das ist wirklich schlecht", NULL,
		    "not scored: text looks German" },
		{ "C'est génial, merci !", NULL, "not scored: text looks French" },
		{ "C\u2019est génial, merci !", NULL,
		    "not scored: text looks French" },
		{ "¡Me encanta!", NULL, "not scored: text looks Spanish" },
		{ "Non funziona più, che disastro", NULL,
		    "not scored: text looks Italian" },
		{ "Não consigo entrar no app, muito ruim", NULL,
		    "not scored: text looks Portuguese" },
		{ "Het werkt niet en ik ben boos", NULL,
		    "not scored: text looks Dutch" },
		{ "Это ужасно, ничего не работает", NULL,
		    "not scored: text in Cyrillic script" },
		{ "Ужасно, ничего не работает! Acme app", NULL,
		    "not scored: text in Cyrillic script" },
		{ "这个应用太糟糕了", NULL, "not scored: text in Han script" },
		{ "Acme、Acme appの障害を認める", NULL,
		    "not scored: text in kana script" },
		{ "정말 최악이에요", NULL, "not scored: text in Hangul script" },
		{ "Αυτό είναι τέλειο", NULL, "not scored: text in Greek script" },
		{ "هذا سيء جدا", NULL, "not scored: text in Arabic script" },
		{ "This is great", "de", "not scored: language de (lexicon: en)" },
		{ "I love it", "pt-BR",
		    "not scored: language pt-BR (lexicon: en)" },
		{ "I love it", "JA", "not scored: language JA (lexicon: en)" },
		{ "Das ist wirklich schlecht", "und",
		    "not scored: text looks German" },
		{ "Das ist wirklich schlecht", "",
		    "not scored: text looks German" },
	};
	static const struct {
		const char *text, *lang;
	} yes[] = {
		{ "Das ist wirklich schlecht", "en" },
		{ "Это ужасно", "EN-gb" },
		{ "C'est génial, merci !", "en_US" },
		{ "Danke!", NULL },
		{ "Danke schön, see you next week!", NULL },
		{ "merci!", NULL },
		{ "Gracias!", NULL },
		{ "the café was lovely", NULL },
		{ "déjà vu all over again", NULL },
		{ "I had a café au lait, déjà vu all over again", NULL },
		{ "what a fiesta last night, loved it", NULL },
		{ "Oh well, c'est la vie, I guess", NULL },
		{ "No no no!", NULL },
		{ "no way", NULL },
		{ "die bug die", NULL },
		{ "me too", NULL },
		{ "ha ha ha", NULL },
		{ "a la carte menu was a disaster", NULL },
		{ "El Niño is coming, stock up", NULL },
		{ "the piñata broke", NULL },
		{ "The über app is down again", NULL },
		{ "Bon appétit, enjoy your meal", NULL },
		{ "\"hasta la vista, baby\" is the best line of the film",
		    NULL },
		{ "you know what they say: mi casa es su casa", NULL },
		{ "Acme Pay", NULL },
		{ "great", NULL },
		{ "👍👍", NULL },
		{ "10/10", NULL },
		{ "I love my new Acme Watch 3, 大好き", NULL },
		{ "Moscow is Москва in Russian, and I love it there", NULL },
		{ "great", "x" },
		{ "great", "12" },
	};
	static const char german[] = "[languages]\nde\n[words]\nschlecht\t-2\n";
	struct cm_scorer *s = cm_scorer_new(lx, NULL);
	struct cm_lexicon *de = cm_lexicon_new();
	struct cm_error err;
	char why[CM_SCORE_WHY_LEN];
	size_t i;

	if (!ok(s != NULL, "a scorer"))
		return;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		ok(scored(s, no[i].text, no[i].lang, why, sizeof(why)) == 0,
		    "not scored: %s (lang %s)", no[i].text,
		    no[i].lang ? no[i].lang : "null");
		is_str(why, no[i].why, "  why says so");
	}
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ok(scored(s, yes[i].text, yes[i].lang, why, sizeof(why)) == 1,
		    "scored: %s (lang %s)", yes[i].text,
		    yes[i].lang ? yes[i].lang : "null");
	cm_scorer_free(s);
	s = NULL;

	/* a lexicon for German takes German and leaves English out */
	ok(cm_lexicon_parse(de, "de", german, strlen(german), &err) == 0 &&
	    (s = cm_scorer_new(de, NULL)) != NULL, "a German lexicon");
	if (s) {
		ok(scored(s, "Das ist wirklich schlecht", NULL, why,
		    sizeof(why)) == 1, "  scores German");
		ok(scored(s, "This is really bad, you know", NULL, why,
		    sizeof(why)) == 0, "  not English");
		is_str(why, "not scored: text looks English", "  why says so");
		ok(scored(s, "gut", "de-CH", why, sizeof(why)) == 1 &&
		    scored(s, "gut", "en", why, sizeof(why)) == 0,
		    "  the tag decides when there is one");
		is_str(why, "not scored: language en (lexicon: de)",
		    "  why says so");
		ok(scored(s, "Danke", NULL, why, sizeof(why)) == 1,
		    "  too short to tell: scored");
		cm_scorer_free(s);
	}
	cm_lexicon_free(de);
}

int main(void)
{
	struct cm_error err;
	const char *path = getenv("CM_LEXICON");

	test_parser();
	lx = cm_lexicon_new();
	if (!ok(cm_lexicon_load(lx, path ? path : "data/lexicon.txt",
	    &err) == 0, "the shipped lexicon loads"))
		printf("# %s\n", err.msg);
	ok(cm_lexicon_size(lx) >= 5000, "it has %zu terms",
	    cm_lexicon_size(lx));
	sc = cm_senti_new(lx);
	test_score_set();
	test_pairs();
	test_edges();
	test_forms();
	test_irony();
	test_language_section();
	test_languages();
	test_lexicon_add();
	cm_senti_free(sc);
	cm_lexicon_free(lx);
	return tap_done();
}
