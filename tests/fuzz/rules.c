/*
 * rules - libFuzzer harness for lib/reply/rules.c and draft.c: any bytes
 * give a rules set or a "fuzz.conf:..." message; a rules set drafts a
 * record (every rule's flags, when and template), and a draft that fits
 * its platform is what the platform takes; cm_draft_fit, cm_draft_length
 * and cm_draft_key on the bytes themselves.
 *
 * Input: a rules file, a NUL byte and a record line (without a NUL, a
 * fixed record).  A rules file that does not start with '[' or '#' is
 * also tried as a --template expression.
 *
 * Only jq that cannot run away is let through (tame): this harness is
 * for cm's code, not for libjq's loops and memory, and a jq evaluation
 * stopped for running out of memory loses what libjq held (jqexpr.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/json.h"
#include "core/utf8.h"
#include "reply/draft.h"
#include "reply/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1795000000

static const char record[] =
	"{\"id\":\"mastodon:example.social:1\",\"platform\":\"mastodon\","
	"\"kind\":\"post\",\"created_at\":\"2026-11-18T09:00:00Z\","
	"\"author\":{\"name\":\":blob: J\xc3\xa4ne Doe\",\"handle\":"
	"\"jane@example.social\",\"followers\":12},\"text\":\"Where is my "
	"refund? https://example.com/order/1 @acme\",\"lang\":\"en\","
	"\"score\":{\"intent\":\"complaint\",\"label\":\"negative\","
	"\"priority\":0.8}}";

/* Words the jq may use: keys and values of the format, jq's keywords,
 * and builtins that end on any input.  Other words of more than two
 * letters make the input one this harness skips. */
static const char *const words[] = {
	"rule", "platform", "kind", "reason", "lang", "author", "label",
	"since", "until", "min_followers", "min_priority", "match",
	"ignore_case", "intent", "when", "template", "spam", "yes", "true",
	"false", "null", "mastodon", "bluesky", "reddit", "youtube",
	"discord", "rss", "csv", "demo", "post", "reply", "comment",
	"message", "mention", "quote", "search", "tag", "channel", "own",
	"positive", "neutral", "negative", "other", "question", "complaint",
	"praise", "request", "then", "else", "elif", "end", "and", "not",
	"try", "catch", "first_name", "handle", "shorten", "length",
	"utf8bytelength", "type", "tostring", "tojson", "ascii_downcase",
	"ascii_upcase", "error", "halt", "halt_error", "empty", "select",
	"has", "keys", "join", "map", "startswith", "endswith", "ltrimstr",
	"rtrimstr", "values", "strings", "numbers", "objects", "arrays",
	"first", "last", "env", "ENV", "add", "any", "all", "isnan", "floor",
	"text", "name", "score", "url", "created_at", "followers", "priority",
	"nan", "infinite", "tonumber", "min-followers", "ignore-case",
	"min-priority", NULL
};

static int is_word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (c >= '0' && c <= '9');
}

static int known(const char *s, size_t n)
{
	size_t i;

	if (n <= 2)
		return 1;
	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * Whether s[0..n) may run: its words are known, no number has more than
 * three digits or an exponent, at most one '*' (a string repeated 999
 * times), and no "match" line with more than four repetition operators
 * (glibc's regcomp copies a subtree per operator).
 */
static int tame(const char *s, size_t n)
{
	size_t i = 0, k, stars = 0, ops;

	while (i < n) {
		if (s[i] == '*')
			stars++;
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    s[i] == '_') {
			for (k = i; k < n && is_word_char((unsigned char)s[k]); k++)
				;
			if (!known(s + i, k - i))
				return 0;
			i = k;
			continue;
		}
		if (s[i] >= '0' && s[i] <= '9') {
			for (k = i; k < n && s[k] >= '0' && s[k] <= '9'; k++)
				;
			if (k - i > 3 || (k < n && (s[k] == 'e' || s[k] == 'E')))
				return 0;
			i = k;
			continue;
		}
		if (s[i] == '\n' || i == 0) {
			k = s[i] == '\n' ? i + 1 : i;
			if (n - k >= 5 && memcmp(s + k, "match", 5) == 0) {
				for (ops = 0; k < n && s[k] != '\n'; k++)
					ops += strchr("*+?{", s[k]) != NULL &&
					    s[k] != '\0';
				if (ops > 4)
					return 0;
			}
		}
		i++;
	}
	return stars <= 1;
}

/* What cm_draft_fit promises of a text it passes. */
static void check_fit(const struct cm_draft_target *t, const struct cm_buf *b)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t i = 0, k, len, limit;

	if (b->len == 0 || b->data[b->len] != '\0')
		abort();
	while (i < b->len) {
		if (p[i] < 0x80) {
			if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') ||
			    p[i] == 0x7f)
				abort();
			i++;
			continue;
		}
		if ((k = cm_utf8_valid_prefix(p + i, b->len - i)) == 0)
			abort();
		i += k;
	}
	if (p[b->len - 1] == ' ' || p[b->len - 1] == '\n' ||
	    p[b->len - 1] == '\t')
		abort();	/* trailing white space is trimmed */
	len = cm_draft_length(t->platform, b->data, b->len);
	if (len == (size_t)-1)
		abort();
	if (t->platform && strcmp(t->platform, "mastodon") == 0)
		limit = t->max_chars ? t->max_chars : 500;
	else if (t->platform && strcmp(t->platform, "bluesky") == 0)
		limit = b->len <= 3000 ? 300 : 0;
	else if (t->platform && strcmp(t->platform, "x") == 0)
		limit = 280;
	else if (t->platform && strcmp(t->platform, "hn") == 0)
		limit = 0;
	else
		limit = 10000;
	if (len > limit)
		abort();
}

static void fit(const char *platform, const char *author, size_t max,
    const char *s, size_t n)
{
	struct cm_draft_target t = { platform, author, max };
	struct cm_buf b = CM_BUF_INIT, why = CM_BUF_INIT;
	int r;

	if (cm_buf_add(&b, s, n) < 0)
		return;
	r = cm_draft_fit(&t, &b, &why);
	if (r == 0)
		check_fit(&t, &b);
	else if (r == 1 && why.len == 0)
		abort();	/* an invalid text says why */
	cm_buf_free(&b);
	cm_buf_free(&why);
}

/* The record's platform and author.handle, decoded, into p and a. */
static void target_of(const char *line, size_t len, struct cm_buf *p,
    struct cm_buf *a)
{
	struct cm_json_value v;

	if (cm_json_get(line, len, "platform", &v) && v.type == CM_JSON_STRING)
		(void)cm_json_string(&v, p);
	if (cm_json_get(line, len, "author.handle", &v) &&
	    v.type == CM_JSON_STRING)
		(void)cm_json_string(&v, a);
}

static void draft(struct cm_rules *r, const char *line, size_t len)
{
	struct cm_buf text = CM_BUF_INIT, why = CM_BUF_INIT;
	struct cm_buf pf = CM_BUF_INIT, au = CM_BUF_INIT;
	struct cm_draft_target t = { NULL, NULL, 0 };
	struct cm_json_error jerr;
	const char *rule;
	int spam, rc;

	if (cm_json_scan(line, len, 0, NULL, NULL, &jerr) < 0 || len == 0 ||
	    line[strspn(line, " \t")] != '{')
		return;
	target_of(line, len, &pf, &au);
	t.platform = pf.data;
	t.author = au.data;
	for (spam = 0; spam < 2; spam++) {
		rc = cm_rules_draft(r, line, len, spam, &rule, &text, &why);
		if (rc < -2 || rc > 1 || (rc == 1 && rule == NULL) ||
		    (rc == 0 && (rule != NULL || text.len || why.len)) ||
		    (rc == -1 && why.len == 0) || (rc == 1 && why.len))
			abort();
		if (rc == 1 && text.len > 65536)
			abort();	/* no platform takes more */
		if (rc == 1 && cm_draft_fit(&t, &text, &why) == 0)
			check_fit(&t, &text);
	}
	cm_buf_free(&text);
	cm_buf_free(&why);
	cm_buf_free(&pf);
	cm_buf_free(&au);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nul, *line = record;
	size_t n = size, len = sizeof(record) - 1;
	struct cm_error err = { 0, "" };
	struct cm_rules *r;
	char *rec = NULL, *copy, key[33];

	if ((nul = memchr(s, '\0', size)) != NULL) {
		n = (size_t)(nul - s);
		len = size - n - 1;
		/* A copy of its own size, for ASan to see a read past it. */
		if ((rec = malloc(len ? len : 1)) == NULL)
			return 0;
		memcpy(rec, nul + 1, len);
		line = rec;
	}
	/* The drafting checks on the bytes. */
	fit("mastodon", "jane@example.social", 0, s, n);
	fit("mastodon", NULL, 20, s, n);
	fit("bluesky", "jane.bsky.social", 0, s, n);
	fit("reddit", NULL, 0, s, n);
	fit("x", NULL, 0, s, n);
	fit("hn", NULL, 0, s, n);
	fit(NULL, NULL, 0, s, n);
	(void)cm_draft_length("mastodon", s, n);
	if ((copy = strndup(s, n)) != NULL) {
		cm_draft_key(copy, copy, copy, key);
		if (strlen(key) != 32)
			abort();
		free(copy);
	}
	if (tame(s, n)) {
		r = cm_rules_parse("fuzz.conf", s, n, NOW, &err);
		if (r == NULL) {
			if (strncmp(err.msg, "fuzz.conf", 9) != 0 ||
			    (err.status != 2 && err.status != 75))
				abort();
		} else {
			if (cm_rules_count(r) < 1 ||
			    cm_rules_count(r) > CM_RULES_MAX_RULES)
				abort();
			draft(r, line, len);
			cm_rules_free(r);
		}
		if (n > 0 && s[0] != '[' && s[0] != '#' &&
		    (copy = strndup(s, n)) != NULL) {
			r = cm_rules_template(copy, &err);
			if (r == NULL && strncmp(err.msg, "--template", 10) != 0)
				abort();
			if (r)
				draft(r, line, len);
			cm_rules_free(r);
			free(copy);
		}
	}
	free(rec);
	return 0;
}
