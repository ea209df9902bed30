/* sentiment.c - libFuzzer harness for the sentiment scorer and the rest of
 * the score: any bytes as a text, with the shipped lexicon (CM_LEXICON or
 * data/lexicon.txt, from the top of the tree) or a small built-in one.
 * The results must be in range, the hits inside the text, the JSON valid
 * in shape; a third of the inputs also give their first bytes as the
 * record's lang, and a text not scored must have no sentiment and say
 * why. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "score/score.h"
#include "score/sentiment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cm_lexicon *lx;
static struct cm_scorer *sc;

static const char small[] =
    "good\t1.9\nbad\t-2.5\nlove\t3.2\nover the moon\t3\nnot working\t-2\n"
    ":)\t2\n<3\t2.8\nU+1F602\t1.8\nU+2764 U+200D U+1F525\t2.6\nhaha\t1.5\n"
    "like\t2\nlol\t1.8\n"
    "[boosters]\nvery\nkind of\t-0.293\nso\n[post-boosters]\naf\n"
    "[negations]\nnot\nnever\nisn't\nno\n[contrasts]\nbut\n";

static void init(void)
{
	struct cm_error err;
	const char *path = getenv("CM_LEXICON");

	lx = cm_lexicon_new();
	if (cm_lexicon_load(lx, path ? path : "data/lexicon.txt", &err) < 0 &&
	    cm_lexicon_parse(lx, "small", small, sizeof(small) - 1, &err) < 0)
		abort();
	if ((sc = cm_scorer_new(lx, NULL)) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_score_input in;
	struct cm_score s;
	struct cm_buf b = CM_BUF_INIT;
	size_t i;

	if (lx == NULL)
		init();
	memset(&in, 0, sizeof(in));
	in.text = (const char *)data;
	in.len = size;
	in.followers = size > 0 ? data[0] * 1000 : -1;
	in.likes = size > 1 ? data[1] : -1;
	in.reposts = in.replies = in.quotes = -1;
	in.verified = -1;
	in.nlinks = size % 5;
	if (size % 3 == 0) {
		in.lang = in.text;
		in.lang_len = size < 12 ? size : 12;
	}
	if (cm_scorer_score(sc, &in, size % 7 == 0, &s) < 0)
		abort();
	if (s.unscored && (s.senti.compound != 0 || s.senti.label != 0 ||
	    s.senti.nhits != 0 ||
	    strncmp(s.why[s.own], "not scored: ", 12) != 0))
		abort();
	if (!(s.senti.compound >= -1 && s.senti.compound <= 1) ||
	    !(s.urgency >= 0 && s.urgency <= 1) ||
	    !(s.influence >= 0 && s.influence <= 1) ||
	    !(s.priority >= 0 && s.priority <= 1) ||
	    s.nwhy < 1 || s.nwhy > CM_SCORE_WHY_MAX)
		abort();
	for (i = 0; i < s.senti.nhits; i++)
		if (s.senti.hits[i].off + s.senti.hits[i].len > size)
			abort();
	if (cm_score_json(&s, size % 7 == 0, &b) < 0 || b.len < 2 ||
	    b.data[0] != '{' || b.data[b.len - 1] != '}')
		abort();
	cm_buf_free(&b);
	b = (struct cm_buf)CM_BUF_INIT;
	if (cm_score_explain(&s, sc, "fuzz", in.text, in.len, 0, &b) < 0)
		abort();
	cm_buf_free(&b);
	return 0;
}
