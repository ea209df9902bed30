/* lexicon.c - libFuzzer harness for the lexicon parser: any bytes parse
 * or fail with a message naming a line; a parsed lexicon answers lookups
 * of its own lines, and scores text with it stay in -1..1. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "score/sentiment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_error err;
	struct cm_senti_result r;
	struct cm_lexicon *lx;
	struct cm_senti *s;
	const char *p = (const char *)data;
	size_t i, start;
	double v, b;

	if ((lx = cm_lexicon_new()) == NULL)
		abort();
	err.msg[0] = '\0';
	if (cm_lexicon_parse(lx, "f", p, size, &err) < 0) {
		/* the message names the file and a line */
		if (strncmp(err.msg, "f:", 2) != 0 || err.msg[2] < '1' ||
		    err.msg[2] > '9')
			abort();
	}
	/* every line's first field, looked up: no crash, sane values */
	for (i = start = 0; i <= size; i++)
		if (i == size || p[i] == '\n' || p[i] == '\t') {
			int k = cm_lexicon_lookup(lx, p + start, i - start, &v, &b);

			if (k && (v < -4 || v > 4 || b < -2 || b > 2))
				abort();
			start = i + 1;
		}
	if ((s = cm_senti_new(lx)) == NULL)
		abort();
	/* the lexicon's own text, scored with itself */
	if (cm_senti_score(s, p, size, &r) < 0)
		abort();
	if (!(r.compound >= -1 && r.compound <= 1))
		abort();
	cm_senti_free(s);
	cm_lexicon_free(lx);
	return 0;
}
