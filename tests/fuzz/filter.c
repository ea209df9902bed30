/*
 * filter - libFuzzer harness for lib/filter/filter.c: option values (lists,
 * language ranges, times, numbers, sizes, durations, regular expressions)
 * and the tests, --unique and --unanswered over records.
 *
 * Input: option lines, an empty line, then record lines.  An option line
 * is one byte choosing the option and its value.  Every emitted line must
 * be one of the records fed, valid JSON, and emitted at most once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"
#include "core/json.h"

struct sink {
	size_t emitted;
	size_t fed;
};

static void emit(void *ctx, const char *line, size_t len)
{
	struct sink *s = ctx;
	struct cm_json_error err;

	if (cm_json_scan(line, len, 0, NULL, NULL, &err) < 0)
		abort();	/* never emit invalid JSON */
	if (++s->emitted > s->fed)
		abort();	/* never more than was fed */
}

/*
 * glibc's regcomp copies a subtree for every repetition operator, so
 * "e+++...+(x)" takes gigabytes: a pattern is the user's own argument, not
 * input, and such patterns are skipped rather than reported.
 */
static int regex_bomb(char opt, const char *value)
{
	size_t ops = 0;

	if ((unsigned char)opt % (CM_FILTER_INVERT + 1) != CM_FILTER_MATCH)
		return 0;
	for (; *value; value++)
		ops += strchr("*+?{", *value) != NULL;
	return ops > 4;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct cm_json_value vals[CM_FILTER_MAX_VALUES];
	struct cm_buf err = CM_BUF_INIT;
	struct cm_json_error jerr;
	struct cm_filter_stats st;
	struct sink sink = { 0, 0 };
	struct cm_filter *f;
	size_t n, sz;
	char *value;

	if ((f = cm_filter_new(1795000000, emit, &sink)) == NULL)
		return 0;
	/* Options, up to the first empty line. */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == 0) {
			p++;
			break;
		}
		if ((value = strndup(p + 1, n - 1)) != NULL &&
		    !regex_bomb(p[0], value)) {
			(void)cm_filter_set(f, (enum cm_filter_opt)(
			    (unsigned char)p[0] % (CM_FILTER_INVERT + 1)), value,
			    &err);
			(void)cm_filter_parse_size(value, &sz);
		}
		free(value);
		p += n + (nl != NULL);
	}
	if (cm_filter_prepare(f) < 0)
		goto out;
	/* Records; a line starting with '!' is fed as an error verdict. */
	while (p < end) {
		enum cm_filter_verdict verdict;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0 && *p == '!') {
			verdict = CM_FILTER_ERROR;
			p++;
			n--;
		} else {
			verdict = CM_FILTER_PASS;
		}
		if (cm_json_scan(p, n, 0, cm_filter_paths(f), vals, &jerr) == 0) {
			if (verdict == CM_FILTER_PASS && !cm_filter_test(f, vals))
				verdict = CM_FILTER_FAIL;
			sink.fed++;
			if (cm_filter_feed(f, p, n, vals, verdict) < 0)
				goto out;
		}
		p += n + (nl != NULL);
	}
	(void)cm_filter_finish(f);
	cm_filter_stats(f, &st);
	if (st.held != 0 || st.held_bytes != 0)
		abort();	/* the end lets go of everything */
out:
	cm_filter_free(f);
	cm_buf_free(&err);
	return 0;
}
