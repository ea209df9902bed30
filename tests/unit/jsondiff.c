/* jsondiff.c - differential test of the strict scanner against libjq 1.6 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>
#include <jv.h>

#include "core/buf.h"
#include "core/json.h"
#include "tap.h"

/* libjq 1.6 parses at most 256 levels; the scanner is held to the same. */
#define JQ_DEPTH 256
#define MAX_WALK 400	/* paths compared per line */

/*
 * Cases a text file cannot hold (NUL bytes, invalid UTF-8), built here.
 * valid is the strict verdict; json-differences.txt lists by name the
 * ones libjq 1.6 accepts anyway.
 */
struct gen {
	const char *name;
	const char *s;
	size_t len;
	int valid;
};

#define G(name, lit, valid) { name, lit, sizeof(lit) - 1, valid }
static const struct gen gens[] = {
	G("utf8-lone-continuation", "\"\x80\"", 0),
	G("utf8-ff", "\"a\xff" "b\"", 0),
	G("utf8-overlong-2", "\"\xc0\xaf\"", 0),
	G("utf8-overlong-3", "\"\xe0\x80\xaf\"", 0),
	G("utf8-overlong-4", "\"\xf0\x80\x80\xaf\"", 0),
	G("utf8-surrogate", "\"\xed\xa0\x80\"", 0),
	G("utf8-above-max", "\"\xf4\x90\x80\x80\"", 0),
	G("utf8-f5", "\"\xf5\x80\x80\x80\"", 0),
	G("utf8-truncated-2", "\"\xc3\"", 0),
	G("utf8-truncated-3", "\"\xe2\x82\"", 0),
	G("utf8-truncated-4", "\"\xf0\x9f\x98\"", 0),
	G("utf8-5-byte", "\"\xf8\x88\x80\x80\x80\"", 0),
	G("utf8-in-key", "{\"\xff\":1}", 0),
	G("utf8-latin1", "\"caf\xe9\"", 0),
	G("utf8-outside-string", "\xc3\xa9", 0),
	G("utf8-after-value", "[1]\xff", 0),
	G("utf8-as-value", "[\xff]", 0),
	G("utf8-truncated-at-end", "\"\xe2\x82", 0),
	G("utf8-boundaries", "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf"
	    "\xee\x80\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"", 1),
	G("nul-in-string", "\"a\0b\"", 0),
	G("nul-in-key", "{\"a\0\":1}", 0),
	G("nul-after-number", "1\0", 0),
	G("nul-alone", "\0", 0),
	G("nul-in-array", "[1\0]", 0),
	G("nul-after-number-garbage", "1\0abc", 0),
	G("nul-before-number", "\0-1", 0),
	G("nul-after-value", "{\"a\":1}\0", 0),
	G("nul-between-values", "[1,\0 2]", 0),
	G("nul-after-literal", "true\0", 0),
	G("nul-after-string", "\"a\"\0", 0),
	G("nul-in-escape", "\"\\\0\"", 0),
	G("escaped-nul", "\"\\u0000\"", 1),
	G("empty", "", 0),
	G("cr-whitespace", "\r[1,\r2]\r", 1),
	G("crlf", "{\"a\":1}\r\n", 1),
	G("lf-inside", "{\"a\":\n1}", 1),
	G("cr-in-string", "\"a\rb\"", 0),
	G("lf-in-string", "\"a\nb\"", 0),
};

/*
 * libjq 1.6 leaks part of its state on every parse error (fixed in jq
 * 1.7); the whole test is about parse errors, so LeakSanitizer is told to
 * overlook what jv_parser_next leaves.  The values it returns are all
 * freed here.  libjq has no frame pointers: the slow unwinder is needed
 * for the suppression to see jv_parser_next on the stack.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);
const char *__asan_default_options(void);

const char *__lsan_default_suppressions(void)
{
	return "leak:jv_parser_next\n";
}

const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

/* The strict verdict, from an exact-size copy (ASan sees overreads). */
static int cm_valid(const char *s, size_t n, struct cm_json_error *err)
{
	char *c = malloc(n ? n : 1);
	int r;

	if (c == NULL)
		abort();
	if (n)
		memcpy(c, s, n);
	r = cm_json_scan(c, n, JQ_DEPTH, NULL, NULL, err) == 0;
	free(c);
	return r;
}

/*
 * libjq's verdict: exactly one value and no error, read with the
 * jv_parser API (which sees several values on a line as such); the
 * answer of jv_parse_sized must be the same.
 */
static int jq_valid(const char *s, size_t n)
{
	jv_parser *p = jv_parser_new(0);
	jv v, one;
	int values = 0, error = 0, sized;

	jv_parser_set_buf(p, s, (int)n, 0);
	while (jv_is_valid(v = jv_parser_next(p))) {
		values++;
		jv_free(v);
	}
	if (jv_invalid_has_msg(jv_copy(v)))
		error = 1;
	jv_free(v);
	jv_parser_free(p);
	one = jv_parse_sized(s, (int)n);
	sized = jv_is_valid(one);
	jv_free(one);
	if (sized != (values == 1 && !error))
		printf("# jv_parse_sized and jv_parser disagree on %.*s\n",
		    (int)n, s);
	return values == 1 && !error;
}

/* The listed differences: lines as bytes, or "@gen:NAME". */
struct diff {
	char *s;
	size_t len;
	int seen;
};
static struct diff *diffs;
static size_t ndiffs;

static void load_diffs(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL) {
		printf("Bail out! %s: cannot open\n", path);
		exit(1);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		diffs = realloc(diffs, (ndiffs + 1) * sizeof(*diffs));
		if (diffs == NULL)
			abort();
		diffs[ndiffs].s = malloc((size_t)n);
		memcpy(diffs[ndiffs].s, line, (size_t)n);
		diffs[ndiffs].len = (size_t)n;
		diffs[ndiffs].seen = 0;
		ndiffs++;
	}
	free(line);
	fclose(f);
}

static struct diff *listed(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ndiffs; i++)
		if (diffs[i].len == n && memcmp(diffs[i].s, s, n) == 0)
			return &diffs[i];
	return NULL;
}

/* s[0..n) printable, for test names. */
static const char *show(const char *s, size_t n)
{
	static char buf[120];
	size_t i, o = 0;

	for (i = 0; i < n && o + 8 < sizeof(buf); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '#')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, 5, "\\x%02x", c);
	}
	if (i < n)
		o += (size_t)snprintf(buf + o, 4, "...");
	buf[o] = '\0';
	return buf;
}

/* Compares the verdicts on one case; key is how the differences file
 * would name it. */
static void check_verdict(const char *s, size_t n, int want, const char *key,
    size_t keylen, const char *what)
{
	struct cm_json_error err = { 0, NULL };
	int cm = cm_valid(s, n, &err), jq = jq_valid(s, n);
	struct diff *d = listed(key, keylen);

	if (!ok(cm == want, "%s: cm %s %s", what, want ? "accepts" : "rejects",
	    show(s, n)))
		printf("#   cm: %s at %zu\n", err.msg ? err.msg : "(valid)",
		    err.offset);
	if (d != NULL) {
		/* Listed: libjq must disagree, the way the file says. */
		d->seen++;
		ok(cm == want && jq == !want, "%s: known difference, jq %s %s",
		    what, want ? "rejects" : "accepts", show(s, n));
	} else {
		ok(cm == jq, "%s: jq agrees on %s", what, show(s, n));
	}
}

static enum cm_json_type type_of(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL: return CM_JSON_NULL;
	case JV_KIND_FALSE: return CM_JSON_FALSE;
	case JV_KIND_TRUE: return CM_JSON_TRUE;
	case JV_KIND_NUMBER: return CM_JSON_NUMBER;
	case JV_KIND_STRING: return CM_JSON_STRING;
	case JV_KIND_ARRAY: return CM_JSON_ARRAY;
	case JV_KIND_OBJECT: return CM_JSON_OBJECT;
	default: return CM_JSON_NONE;
	}
}

/* Whether cm's value (found in the line) is jq's value j (borrowed). */
static int same_value(const struct cm_json_value *v, jv j)
{
	struct cm_buf b = CM_BUF_INIT;
	jv mine;
	double d;
	int64_t i;
	int r = 0;

	if (v->type != type_of(j))
		return 0;
	switch (v->type) {
	case CM_JSON_STRING:
		r = cm_json_string(v, &b) == 0 &&
		    b.len == (size_t)jv_string_length_bytes(jv_copy(j)) &&
		    memcmp(b.data, jv_string_value(j), b.len) == 0;
		/* Compared without decoding too, when it can be. */
		if (r && memchr(b.data, '\0', b.len) == NULL)
			r = cm_json_string_eq(v, jv_string_value(j)) == 1;
		cm_buf_free(&b);
		return r;
	case CM_JSON_NUMBER:
		if (cm_json_double(v, &d) < 0 || d != jv_number_value(j))
			return 0;
		/* Integers jq holds exactly must convert exactly. */
		if (fabs(d) < 9007199254740992.0 && d == floor(d) &&
		    memchr(v->raw, '.', v->len) == NULL &&
		    memchr(v->raw, 'e', v->len) == NULL &&
		    memchr(v->raw, 'E', v->len) == NULL)
			return cm_json_int64(v, &i) == 0 && (double)i == d;
		return 1;
	default:
		mine = jv_parse_sized(v->raw, (int)v->len);
		return jv_equal(mine, jv_copy(j));
	}
}

struct walk {
	char *paths[MAX_WALK];
	jv vals[MAX_WALK];
	size_t n;
};

/* Collects the paths cm can name below j (borrowed): object members
 * whose names are non-empty and hold no '.' or NUL, array indices. */
static void walk(struct walk *w, jv j, const char *prefix, int depth)
{
	char path[1024];
	int i, len, iter;

	if (depth > 8)
		return;
	if (jv_get_kind(j) == JV_KIND_ARRAY) {
		len = jv_array_length(jv_copy(j));
		for (i = 0; i < len && w->n < MAX_WALK; i++) {
			jv e = jv_array_get(jv_copy(j), i);

			snprintf(path, sizeof(path), "%s%s%d", prefix,
			    *prefix ? "." : "", i);
			w->paths[w->n] = strdup(path);
			w->vals[w->n++] = jv_copy(e);
			walk(w, e, path, depth + 1);
			jv_free(e);
		}
	} else if (jv_get_kind(j) == JV_KIND_OBJECT) {
		for (iter = jv_object_iter(j); jv_object_iter_valid(j, iter) &&
		    w->n < MAX_WALK; iter = jv_object_iter_next(j, iter)) {
			jv k = jv_object_iter_key(j, iter);
			jv e = jv_object_iter_value(j, iter);
			const char *ks = jv_string_value(k);
			size_t kl = (size_t)jv_string_length_bytes(jv_copy(k));

			if (kl > 0 && memchr(ks, '.', kl) == NULL &&
			    strlen(ks) == kl && strlen(prefix) + kl + 2 <
			    sizeof(path)) {
				snprintf(path, sizeof(path), "%s%s%s", prefix,
				    *prefix ? "." : "", ks);
				w->paths[w->n] = strdup(path);
				w->vals[w->n++] = jv_copy(e);
				walk(w, e, path, depth + 1);
			}
			jv_free(k);
			jv_free(e);
		}
	}
}

/*
 * For a valid line: every value jq finds under a path, cm finds too, the
 * same, both with cm_json_get and with all paths compiled into one scan.
 * Returns the number of values compared, or -1 on a mismatch.
 */
static long check_values(const char *s, size_t n)
{
	struct walk w;
	struct cm_json_paths *cp;
	struct cm_json_value *out, v;
	struct cm_json_error err;
	jv root = jv_parse_sized(s, (int)n);
	long good = 0;
	size_t i;

	w.n = 0;
	walk(&w, root, "", 0);
	out = calloc(w.n + 1, sizeof(*out));
	cp = cm_json_paths_new((const char *const *)w.paths, w.n);
	if (cp == NULL || out == NULL ||
	    cm_json_scan(s, n, JQ_DEPTH, cp, out, &err) < 0) {
		printf("# paths or scan failed\n");
		good = -1;
	}
	for (i = 0; i < w.n; i++) {
		if (good >= 0 && (cm_json_get(s, n, w.paths[i], &v) != 1 ||
		    !same_value(&v, w.vals[i]) || out[i].type != v.type ||
		    out[i].raw != v.raw || out[i].len != v.len)) {
			printf("# %s: path %s differs\n", show(s, n), w.paths[i]);
			good = -1;
		}
		if (good >= 0)
			good++;
		free(w.paths[i]);
		jv_free(w.vals[i]);
	}
	cm_json_paths_free(cp);
	free(out);
	jv_free(root);
	return good;
}

/* Runs every line of a corpus file; returns the number of lines. */
static size_t run_file(const char *path, int want, long *values)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, what[64];
	size_t cap = 0, lineno = 0;
	ssize_t n;
	long v;

	if (f == NULL) {
		printf("Bail out! %s: cannot open\n", path);
		exit(1);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			n--;
		snprintf(what, sizeof(what), "%s:%zu", strrchr(path, '/') + 1,
		    lineno);
		check_verdict(line, (size_t)n, want, line, (size_t)n, what);
		if (want && cm_valid(line, (size_t)n, &(struct cm_json_error){
		    0, NULL })) {
			if ((v = check_values(line, (size_t)n)) < 0)
				ok(0, "%s: values agree with jq", what);
			else
				*values += v;
		}
	}
	free(line);
	fclose(f);
	return lineno;
}

int main(void)
{
	const char *dir = getenv("CM_TESTS") ? getenv("CM_TESTS") : "tests";
	char path[4096], key[100];
	size_t i, nv, ni;
	long values = 0;

	snprintf(path, sizeof(path), "%s/fixtures/json-differences.txt", dir);
	load_diffs(path);
	snprintf(path, sizeof(path), "%s/fixtures/json-valid.txt", dir);
	nv = run_file(path, 1, &values);
	snprintf(path, sizeof(path), "%s/fixtures/json-invalid.txt", dir);
	ni = run_file(path, 0, &values);
	ok(nv >= 100 && ni >= 100, "corpora: %zu valid, %zu invalid lines",
	    nv, ni);
	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		snprintf(key, sizeof(key), "@gen:%s", gens[i].name);
		check_verdict(gens[i].s, gens[i].len, gens[i].valid, key,
		    strlen(key), gens[i].name);
		if (gens[i].valid) {
			long v = check_values(gens[i].s, gens[i].len);

			if (v < 0)
				ok(0, "%s: values agree with jq", gens[i].name);
			else
				values += v;
		}
	}
	ok(values >= 500, "%ld extracted values agree with jq's", values);
	/* The list is exact: every entry was met once, as a difference. */
	for (i = 0; i < ndiffs; i++) {
		if (!ok(diffs[i].seen == 1, "listed difference %s is a case",
		    show(diffs[i].s, diffs[i].len)))
			printf("#   seen %d times\n", diffs[i].seen);
		free(diffs[i].s);
	}
	free(diffs);
	return tap_done();
}
