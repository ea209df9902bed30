/* json.c - unit tests for the strict JSON scanner */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "tap.h"

/*
 * Every scan reads an exact-size heap copy of the input, so that ASan and
 * valgrind report any read past the end of the line.  Values found point
 * into the copy, which lives until the next scan.
 */
static char *copy;

static char *fresh(const char *s, size_t n)
{
	free(copy);
	if ((copy = malloc(n ? n : 1)) == NULL)
		abort();
	if (n)
		memcpy(copy, s, n);
	return copy;
}

static int scan_n(const char *s, size_t n, int depth,
    const struct cm_json_paths *cp, struct cm_json_value *out,
    struct cm_json_error *err)
{
	err->msg = NULL;
	err->offset = (size_t)-1;
	return cm_json_scan(fresh(s, n), n, depth, cp, out, err);
}

/* s[0..n) with non-printable bytes escaped, for test names (static). */
static const char *show(const char *s, size_t n)
{
	static char buf[512];
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < sizeof(buf); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '#')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, 5, "\\x%02x", c);
	}
	buf[o] = '\0';
	return buf;
}

static int valid_n(const char *s, size_t n)
{
	struct cm_json_error err;

	return scan_n(s, n, 0, NULL, NULL, &err) == 0;
}

static int valid(const char *s)
{
	return valid_n(s, strlen(s));
}

/* Compiles one path and scans s with it; returns the value's type. */
static enum cm_json_type get_n(const char *s, size_t n, const char *path,
    struct cm_json_value *v)
{
	struct cm_json_paths *cp;
	struct cm_json_error err;
	int r;

	if ((cp = cm_json_paths_new(&path, 1)) == NULL)
		abort();
	r = scan_n(s, n, 0, cp, v, &err);
	cm_json_paths_free(cp);
	if (r < 0)
		return (enum cm_json_type)-1;
	return v->type;
}

static enum cm_json_type get(const char *s, const char *path,
    struct cm_json_value *v)
{
	return get_n(s, strlen(s), path, v);
}

/* The raw bytes of v as a C string (static buffer). */
static const char *raw(const struct cm_json_value *v)
{
	static char buf[4096];

	if (v->type == CM_JSON_NONE || v->len >= sizeof(buf))
		return "(none)";
	memcpy(buf, v->raw, v->len);
	buf[v->len] = '\0';
	return buf;
}

static void test_valid(void)
{
	static const char *const docs[] = {
		"0", "-0", "1", "-1", "123456789", "1.5", "-1.5e10", "0.0",
		"1E5", "1e+5", "1e-5", "0e0", "-0.0E-0", "1.25e+308",
		"12345678901234567890123456789012345678901234567890",
		"true", "false", "null", "\"\"", "\"a\"", "[]", "{}",
		"[1,2,3]", "{\"a\":1}", "{\"a\":{\"b\":[true,false,null]}}",
		" \t\r\n1 \t\r\n", "[ 1 , 2 ]", "{ \"a\" : 1 , \"b\" : 2 }",
		"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0000\"", "\"\\u00e9\"",
		"\"\\uD83D\\uDE00\"", "\"\\ud83d\\ude00\"", "\"\\uFFFF\"",
		"\"\\uDBFF\\uDFFF\"", "\"\\uD800\\uDC00\"", "\"\\uE000\"",
		"\"\x7f\"", "\"caf\xc3\xa9 \xe6\x9d\xb1 \xf0\x9f\x98\x80\"",
		"{\"\":\"\"}", "{\"a\":1,\"a\":2}", "[[[]]]", "[{},[],{}]",
		"{\"a\":[],\"b\":{}}", "[\"\\u0041\\u0042\"]",
		"\"a/b\"", "[-0.5,0.5e-3]", "{\"k\\\"ey\":1}",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		ok(valid(docs[i]), "valid: %s", show(docs[i], strlen(docs[i])));
}

struct bad {
	const char *doc;
	size_t len;		/* 0: strlen */
	const char *msg;
	size_t offset;
};

static void test_errors(void)
{
	static const struct bad bad[] = {
		{ "", 0, "unexpected end of input", 0 },
		{ " \t\r\n", 0, "unexpected end of input", 4 },
		{ "[", 0, "unexpected end of input", 1 },
		{ "{", 0, "unexpected end of input", 1 },
		{ "[1", 0, "unexpected end of input", 2 },
		{ "[1,", 0, "unexpected end of input", 3 },
		{ "{\"a\"", 0, "unexpected end of input", 4 },
		{ "{\"a\":", 0, "unexpected end of input", 5 },
		{ "{\"a\":1", 0, "unexpected end of input", 6 },
		{ "{\"a\":1,", 0, "unexpected end of input", 7 },
		{ "\"abc", 0, "unexpected end of input", 4 },
		{ "\"\\", 0, "unexpected end of input", 2 },
		{ "\"\\u12", 0, "unexpected end of input", 5 },
		{ "\"\\ud800", 0, "unexpected end of input", 7 },
		{ "\"\\ud800\\u", 0, "unexpected end of input", 9 },
		{ "tru", 0, "unexpected end of input", 3 },
		{ "nul", 0, "unexpected end of input", 3 },
		{ "fals", 0, "unexpected end of input", 4 },
		{ "1 2", 0, "trailing characters after value", 2 },
		{ "[1]]", 0, "trailing characters after value", 3 },
		{ "{}x", 0, "trailing characters after value", 2 },
		{ "\"a\"\"b\"", 0, "trailing characters after value", 3 },
		{ "1\f", 0, "trailing characters after value", 1 },
		{ "truex", 0, "trailing characters after value", 4 },
		{ "01", 0, "invalid number", 1 },
		{ "-01", 0, "invalid number", 2 },
		{ "00", 0, "invalid number", 1 },
		{ "-", 0, "invalid number", 1 },
		{ "-a", 0, "invalid number", 1 },
		{ "1.", 0, "invalid number", 2 },
		{ "1.e5", 0, "invalid number", 2 },
		{ "1e", 0, "invalid number", 2 },
		{ "1e+", 0, "invalid number", 3 },
		{ "1E-x", 0, "invalid number", 3 },
		{ "[-]", 0, "invalid number", 2 },
		{ "+1", 0, "expected value", 0 },
		{ ".5", 0, "expected value", 0 },
		{ "NaN", 0, "expected value", 0 },
		{ "Infinity", 0, "expected value", 0 },
		{ "-Infinity", 0, "invalid number", 1 },
		{ "nan", 0, "invalid literal", 0 },
		{ "True", 0, "expected value", 0 },
		{ "trUe", 0, "invalid literal", 0 },
		{ "nulL", 0, "invalid literal", 0 },
		{ "'a'", 0, "expected value", 0 },
		{ "[,1]", 0, "expected value", 1 },
		{ "[1,]", 0, "expected value", 3 },
		{ "[1,,2]", 0, "expected value", 3 },
		{ "]", 0, "expected value", 0 },
		{ "[}", 0, "expected value", 1 },
		{ "\f1", 0, "expected value", 0 },
		{ "\v1", 0, "expected value", 0 },
		{ "\xef\xbb\xbf" "1", 0, "expected value", 0 },
		{ "\xc2\xa0" "1", 0, "expected value", 0 },
		{ "[1 2]", 0, "expected ',' or ']'", 3 },
		{ "[1}", 0, "expected ',' or ']'", 2 },
		{ "[1:2]", 0, "expected ',' or ']'", 2 },
		{ "{\"a\":1]", 0, "expected ',' or '}'", 6 },
		{ "{\"a\":1 \"b\":2}", 0, "expected ',' or '}'", 7 },
		{ "{\"a\"}", 0, "expected ':'", 4 },
		{ "{\"a\" 1}", 0, "expected ':'", 5 },
		{ "{\"a\",1}", 0, "expected ':'", 4 },
		{ "{1:2}", 0, "expected member name", 1 },
		{ "{a:1}", 0, "expected member name", 1 },
		{ "{'a':1}", 0, "expected member name", 1 },
		{ "{\"a\":1,}", 0, "expected member name", 7 },
		{ "{,}", 0, "expected member name", 1 },
		{ "{]", 0, "expected member name", 1 },
		{ "\"a\tb\"", 0, "control character in string", 2 },
		{ "\"a\nb\"", 0, "control character in string", 2 },
		{ "\"\x1f\"", 0, "control character in string", 1 },
		{ "\"a\0b\"", 5, "control character in string", 2 },
		{ "{\"a\x01\":1}", 0, "control character in string", 3 },
		{ "\"\\a\"", 0, "invalid escape", 1 },
		{ "\"\\x41\"", 0, "invalid escape", 1 },
		{ "\"\\U0041\"", 0, "invalid escape", 1 },
		{ "\"\\u12G4\"", 0, "invalid escape", 1 },
		{ "\"\\u12\"", 0, "invalid escape", 1 },
		{ "\"x\\'\"", 0, "invalid escape", 2 },
		{ "\"\\ud800\"", 0, "lone surrogate", 1 },
		{ "\"\\udc00\"", 0, "lone surrogate", 1 },
		{ "\"\\uDFFF\"", 0, "lone surrogate", 1 },
		{ "\"\\ud800x\"", 0, "lone surrogate", 1 },
		{ "\"\\ud800\\n\"", 0, "lone surrogate", 1 },
		{ "\"\\ud800\\u0041\"", 0, "lone surrogate", 1 },
		{ "\"\\ud800\\ud800\"", 0, "lone surrogate", 1 },
		{ "\"ab\\udc00\\ud800\"", 0, "lone surrogate", 3 },
		{ "\"\\ud800\\udc00\\udc00\"", 0, "lone surrogate", 13 },
		{ "\"\\udc00\\udc00\"", 0, "lone surrogate", 1 },
		{ "\"\\udfff\\udbff\"", 0, "lone surrogate", 1 },
		{ "\"\xff\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"a\x80\"", 0, "invalid UTF-8 in string", 2 },
		{ "\"\xc0\x80\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xc1\xbf\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xe0\x80\x80\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xe0\x9f\xbf\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xf0\x80\x80\x80\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xf0\x8f\xbf\xbf\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xed\xa0\x80\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xed\xbf\xbf\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xf4\x90\x80\x80\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xf5\x80\x80\x80\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xf8\x88\x80\x80\x80\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xe2\x82\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xe2\x82", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xf0\x9f\x98\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xc3\"", 0, "invalid UTF-8 in string", 1 },
		{ "\"\xc3\xa9\xa9\"", 0, "invalid UTF-8 in string", 3 },
		{ "{\"\xff\":1}", 0, "invalid UTF-8 in string", 2 },
		{ "[1]\0", 4, "trailing characters after value", 3 },
		{ "\0", 1, "expected value", 0 },
		{ "1\0", 2, "trailing characters after value", 1 },
		{ "[\0]", 3, "expected value", 1 },
	};
	struct cm_json_error err;
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = bad[i].len ? bad[i].len : strlen(bad[i].doc);
		if (!ok(scan_n(bad[i].doc, n, 0, NULL, NULL, &err) == -1 &&
		    err.msg != NULL && strcmp(err.msg, bad[i].msg) == 0 &&
		    err.offset == bad[i].offset, "%s: %s at %zu",
		    show(bad[i].doc, n), bad[i].msg, bad[i].offset))
			printf("#   got: %s at %zu\n", err.msg ? err.msg :
			    "(none)", err.offset);
	}
}

/* A document nested n deep: alternating objects and arrays when mixed. */
static char *nested(size_t n, int mixed, size_t *len)
{
	char *s = malloc(n * 6 + 2), *p = s;
	size_t i;

	if (s == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (mixed && i % 2) {
			memcpy(p, "{\"a\":", 5);
			p += 5;
		} else {
			*p++ = '[';
		}
	}
	*p++ = '1';
	for (i = n; i-- > 0;)
		*p++ = mixed && i % 2 ? '}' : ']';
	*len = (size_t)(p - s);
	return s;
}

static void test_depth(void)
{
	struct cm_json_error err;
	char *s;
	size_t n;

	s = malloc(100000);
	memset(s, '[', 100000);
	ok(scan_n(s, 100000, 0, NULL, NULL, &err) == -1 &&
	    strcmp(err.msg, "nesting too deep") == 0 &&
	    err.offset == CM_JSON_DEFAULT_DEPTH,
	    "100,000 '[': refused at the default depth %d", CM_JSON_DEFAULT_DEPTH);
	ok(scan_n(s, 100000, 100000, NULL, NULL, &err) == -1 &&
	    strcmp(err.msg, "unexpected end of input") == 0 &&
	    err.offset == 100000, "100,000 '[' within max_depth: truncated");
	ok(scan_n(s, 100000, 99999, NULL, NULL, &err) == -1 &&
	    strcmp(err.msg, "nesting too deep") == 0 && err.offset == 99999,
	    "100,000 '[' with max_depth 99999: too deep at 99999");
	free(s);

	s = nested(100000, 0, &n);
	ok(scan_n(s, n, 100000, NULL, NULL, &err) == 0,
	    "exactly 100,000 deep with max_depth 100000: valid");
	ok(scan_n(s, n, 0, NULL, NULL, &err) == -1 &&
	    strcmp(err.msg, "nesting too deep") == 0,
	    "100,000 deep with the default: refused");
	free(s);

	s = nested(CM_JSON_DEFAULT_DEPTH, 0, &n);
	ok(scan_n(s, n, 0, NULL, NULL, &err) == 0, "exactly the default depth");
	free(s);
	s = nested(CM_JSON_DEFAULT_DEPTH + 1, 0, &n);
	ok(scan_n(s, n, 0, NULL, NULL, &err) == -1 &&
	    err.offset == CM_JSON_DEFAULT_DEPTH, "the default depth + 1");
	free(s);

	ok(scan_n("[]", 2, 1, NULL, NULL, &err) == 0, "max_depth 1: []");
	ok(scan_n("{\"a\":1}", 7, 1, NULL, NULL, &err) == 0,
	    "max_depth 1: {\"a\":1}");
	ok(scan_n("[[]]", 4, 1, NULL, NULL, &err) == -1 && err.offset == 1,
	    "max_depth 1: [[]] refused at 1");
	ok(scan_n("1", 1, 1, NULL, NULL, &err) == 0, "scalars have no depth");

	/* Objects and arrays mixed: the kind of each level must survive
	 * across the bit stack's word boundaries. */
	s = nested(300, 1, &n);
	ok(scan_n(s, n, 300, NULL, NULL, &err) == 0, "mixed nesting 300");
	ok(scan_n(s, n, 299, NULL, NULL, &err) == -1, "mixed 300, max 299");
	/* The closing bracket at level 130 of the wrong kind. */
	s[n - 130] = s[n - 130] == ']' ? '}' : ']';
	ok(scan_n(s, n, 300, NULL, NULL, &err) == -1 &&
	    err.offset == n - 130, "mixed: wrong closer deep inside: %s",
	    err.msg);
	free(s);

	/* More than the scanner honours: refused, not a crash. */
	s = nested(200000, 1, &n);
	ok(scan_n(s, n, INT_MAX, NULL, NULL, &err) == -1 &&
	    strcmp(err.msg, "nesting too deep") == 0,
	    "200,000 deep with max_depth INT_MAX: refused");
	free(s);
	s = nested(120000, 1, &n);
	ok(scan_n(s, n, INT_MAX, NULL, NULL, &err) == 0,
	    "120,000 mixed deep with max_depth INT_MAX: valid");
	free(s);
}

static void test_paths(void)
{
	static const char rec[] =
	    "{\"id\":\"x:1\",\"author\":{\"name\":\"Ann\",\"followers\":42,"
	    "\"tags\":[\"a\",\"b\",{\"deep\":[10,20]}]},\"n\":null,"
	    "\"t\":true,\"f\":false,\"o\":{},\"arr\":[ 1 , [2] ],"
	    "\"big\":12345678901234567890,\"x\":{\"y\":{\"z\":-1.5e3}}}";
	static const struct {
		const char *path;
		enum cm_json_type type;
		const char *raw;
	} want[] = {
		{ "id", CM_JSON_STRING, "\"x:1\"" },
		{ "author.name", CM_JSON_STRING, "\"Ann\"" },
		{ "author.followers", CM_JSON_NUMBER, "42" },
		{ "author", CM_JSON_OBJECT, NULL },
		{ "author.tags", CM_JSON_ARRAY,
		    "[\"a\",\"b\",{\"deep\":[10,20]}]" },
		{ "author.tags.0", CM_JSON_STRING, "\"a\"" },
		{ "author.tags.1", CM_JSON_STRING, "\"b\"" },
		{ "author.tags.2", CM_JSON_OBJECT, "{\"deep\":[10,20]}" },
		{ "author.tags.2.deep.1", CM_JSON_NUMBER, "20" },
		{ "author.tags.3", CM_JSON_NONE, NULL },
		{ "author.tags.00", CM_JSON_NONE, NULL },
		{ "n", CM_JSON_NULL, "null" },
		{ "t", CM_JSON_TRUE, "true" },
		{ "f", CM_JSON_FALSE, "false" },
		{ "o", CM_JSON_OBJECT, "{}" },
		{ "arr", CM_JSON_ARRAY, "[ 1 , [2] ]" },
		{ "arr.0", CM_JSON_NUMBER, "1" },
		{ "arr.1", CM_JSON_ARRAY, "[2]" },
		{ "arr.1.0", CM_JSON_NUMBER, "2" },
		{ "big", CM_JSON_NUMBER, "12345678901234567890" },
		{ "x.y.z", CM_JSON_NUMBER, "-1.5e3" },
		{ "missing", CM_JSON_NONE, NULL },
		{ "author.missing", CM_JSON_NONE, NULL },
		{ "id.x", CM_JSON_NONE, NULL },
		{ "author.followers.x", CM_JSON_NONE, NULL },
		{ "n.x", CM_JSON_NONE, NULL },
		{ "arr.x", CM_JSON_NONE, NULL },
		{ "author.0", CM_JSON_NONE, NULL },
		{ "arr.2", CM_JSON_NONE, NULL },
	};
	const char *all[sizeof(want) / sizeof(want[0])];
	struct cm_json_value v, out[sizeof(want) / sizeof(want[0])];
	struct cm_json_paths *cp;
	struct cm_json_error err;
	size_t i, n = sizeof(want) / sizeof(want[0]);

	for (i = 0; i < n; i++) {
		enum cm_json_type t = get(rec, want[i].path, &v);

		ok(t == want[i].type && (want[i].raw == NULL ||
		    strcmp(raw(&v), want[i].raw) == 0), "path %s: %s",
		    want[i].path, raw(&v));
		all[i] = want[i].path;
	}
	/* All at once, in one scan: the same answers. */
	cp = cm_json_paths_new(all, n);
	ok(cp != NULL && scan_n(rec, strlen(rec), 0, cp, out, &err) == 0,
	    "%zu paths in one scan", n);
	for (i = 0; i < n; i++)
		ok(out[i].type == want[i].type && (want[i].raw == NULL ||
		    strcmp(raw(&out[i]), want[i].raw) == 0),
		    "in one scan: %s", want[i].path);
	cm_json_paths_free(cp);

	/* Wrong types along the path. */
	ok(get("[1,2]", "a", &v) == CM_JSON_NONE, "member of an array");
	ok(get("{\"a\":[5]}", "a.b", &v) == CM_JSON_NONE, "name into array");
	ok(get("{\"a\":\"s\"}", "a.0", &v) == CM_JSON_NONE, "index into string");
	ok(get("\"a\"", "a", &v) == CM_JSON_NONE, "member of a string");
	ok(get("[10,20]", "1", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "20") == 0, "index into the top-level array");
	ok(get("{\"0\":7}", "0", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "7") == 0, "digit segment names a member too");
	ok(get("{\"a\":{\"1\":{\"b\":3}}}", "a.1.b", &v) == CM_JSON_NUMBER,
	    "digit segment in an object path");
	ok(get("[[1,[2,3]],[4]]", "0.1.1", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "3") == 0, "nested arrays");
	ok(get("[0,1,2,3,4,5,6,7,8,9,10,11]", "11", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "11") == 0, "index 11");
	ok(get("[[0],[0,1],{\"a\":[]},5]", "3", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "5") == 0, "index counted past nested values");
	ok(get("{\"a\":{\"b\":{\"c\":1}},\"c\":2}", "c", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "2") == 0, "a nested name is not a top-level one");
	ok(get("{\"b\":{\"c\":1},\"a\":{\"x\":{\"c\":3}}}", "a.c", &v) ==
	    CM_JSON_NONE, "a.c is not a.x.c");

	/* Duplicate names: the last one wins, as in jq. */
	ok(get("{\"a\":1,\"a\":2}", "a", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "2") == 0, "duplicate: last wins");
	ok(get("{\"a\":{\"b\":1},\"a\":{\"c\":2}}", "a.b", &v) == CM_JSON_NONE,
	    "duplicate: an earlier object's member is forgotten");
	ok(get("{\"a\":{\"b\":1},\"a\":5}", "a.b", &v) == CM_JSON_NONE,
	    "duplicate: replaced by a number");
	ok(get("{\"a\":{\"b\":1},\"a\":{\"b\":2}}", "a.b", &v) ==
	    CM_JSON_NUMBER && strcmp(raw(&v), "2") == 0,
	    "duplicate: the later a.b");
	ok(get("{\"a\":{\"b\":1,\"b\":3},\"x\":0}", "a.b", &v) ==
	    CM_JSON_NUMBER && strcmp(raw(&v), "3") == 0,
	    "duplicate: nested last wins");
	ok(get("{\"a\":[1],\"a\":[]}", "a.0", &v) == CM_JSON_NONE,
	    "duplicate: array replaced by a shorter one");
	ok(get("{\"a\":1,\"\\u0061\":2}", "a", &v) == CM_JSON_NUMBER &&
	    strcmp(raw(&v), "2") == 0, "duplicate spelled with an escape");

	/* Member names with escapes are compared decoded. */
	ok(get("{\"\\u0061\":1}", "a", &v) == CM_JSON_NUMBER,
	    "\\u0061 names a");
	ok(get("{\"caf\\u00e9\":1}", "caf\xc3\xa9", &v) == CM_JSON_NUMBER,
	    "caf\\u00e9 names caf\xc3\xa9");
	ok(get("{\"caf\xc3\xa9\":1}", "caf\xc3\xa9", &v) == CM_JSON_NUMBER,
	    "raw UTF-8 name");
	ok(get("{\"\\ud83d\\ude00\":{\"x\":9}}", "\xf0\x9f\x98\x80.x", &v) ==
	    CM_JSON_NUMBER, "surrogate pair in a name");
	ok(get("{\"a\\\"b\":1}", "a\"b", &v) == CM_JSON_NUMBER,
	    "escaped quote in a name");
	ok(get("{\"a\\/b\":1}", "a/b", &v) == CM_JSON_NUMBER, "\\/ in a name");
	ok(get("{\"a\\tb\":1}", "a\tb", &v) == CM_JSON_NUMBER, "\\t in a name");
	ok(get("{\"\\u0062\":1}", "a", &v) == CM_JSON_NONE,
	    "escaped name that differs");
	ok(get("{\"a\\u0000\":1}", "a", &v) == CM_JSON_NONE,
	    "\\u0000 makes a longer name");
	ok(get("{\"ab\\n\":1}", "ab", &v) == CM_JSON_NONE,
	    "escaped name longer than the path");
	ok(get("{\"a\":1}", "ab", &v) == CM_JSON_NONE, "prefix of a segment");
	ok(get("{\"ab\":1}", "a", &v) == CM_JSON_NONE, "segment is a prefix");

	/* Same path twice, shared prefixes, two paths at one value. */
	{
		const char *p2[] = { "a.b", "a", "a.b", "a.c", "z" };
		struct cm_json_value o[5];

		cp = cm_json_paths_new(p2, 5);
		ok(cp && scan_n("{\"a\":{\"c\":3,\"b\":2}}", 19, 0, cp, o,
		    &err) == 0 && strcmp(raw(&o[0]), "2") == 0 &&
		    o[1].type == CM_JSON_OBJECT && strcmp(raw(&o[2]), "2") == 0 &&
		    strcmp(raw(&o[3]), "3") == 0 && o[4].type == CM_JSON_NONE,
		    "overlapping paths");
		/* out[] is reset on each scan. */
		ok(scan_n("{}", 2, 0, cp, o, &err) == 0 &&
		    o[0].type == CM_JSON_NONE && o[1].type == CM_JSON_NONE,
		    "a second scan resets out");
		cm_json_paths_free(cp);
	}

	/* Compiling paths. */
	{
		const char *bad[] = { "", "a..b", ".a", "a.", "." };
		char many[200];
		const char *m = many;
		size_t k;

		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			errno = 0;
			ok(cm_json_paths_new(&bad[k], 1) == NULL &&
			    errno == EINVAL, "path \"%s\" is EINVAL", bad[k]);
		}
		ok((cp = cm_json_paths_new(NULL, 0)) != NULL &&
		    scan_n("{\"a\":1}", 7, 0, cp, NULL, &err) == 0,
		    "no paths at all");
		cm_json_paths_free(cp);
		cm_json_paths_free(NULL);
		for (k = 0; k < 64; k++) {
			many[2 * k] = 'a';
			many[2 * k + 1] = '.';
		}
		many[127] = '\0';
		ok((cp = cm_json_paths_new(&m, 1)) != NULL, "64 segments");
		cm_json_paths_free(cp);
		many[127] = '.';
		many[128] = 'a';
		many[129] = '\0';
		errno = 0;
		ok(cm_json_paths_new(&m, 1) == NULL && errno == EINVAL,
		    "65 segments: EINVAL");
	}
	/* Many paths: more than one machine word's worth. */
	{
		char names[100][8], doc[2000], *d = doc;
		const char *pp[100];
		struct cm_json_value o[100];
		size_t k, good = 0;

		d += sprintf(d, "{");
		for (k = 0; k < 100; k++) {
			snprintf(names[k], sizeof(names[k]), "k%zu", k);
			pp[k] = names[k];
			d += sprintf(d, "%s\"k%zu\":%zu", k ? "," : "", 99 - k, k);
		}
		d += sprintf(d, "}");
		cp = cm_json_paths_new(pp, 100);
		ok(cp && scan_n(doc, strlen(doc), 0, cp, o, &err) == 0,
		    "100 paths");
		for (k = 0; k < 100; k++) {
			int64_t x;

			good += cm_json_int64(&o[k], &x) == 0 &&
			    x == (int64_t)(99 - k);
		}
		is_int(good, 100, "100 paths all found");
		cm_json_paths_free(cp);
	}

	/* cm_json_get. */
	ok(cm_json_get(rec, strlen(rec), "author.tags.2.deep.0", &v) == 1 &&
	    strcmp(raw(&v), "10") == 0, "cm_json_get found");
	ok(cm_json_get(rec, strlen(rec), "author.nope", &v) == 0 &&
	    v.type == CM_JSON_NONE, "cm_json_get absent");
	ok(cm_json_get("{\"a\":", 5, "a", &v) == 0, "cm_json_get: bad line");
	ok(cm_json_get(rec, strlen(rec), "a..b", &v) == 0,
	    "cm_json_get: bad path");
	ok(cm_json_get("{\"a\":{\"b\":1},\"a\":{}}", 20, "a.b", &v) == 0,
	    "cm_json_get: last wins");
	ok(cm_json_get("[[1,2],[3,4]]", 13, "1.0", &v) == 1 &&
	    strcmp(raw(&v), "3") == 0, "cm_json_get: indices");
}

static void test_strings(void)
{
	static const struct {
		const char *doc;
		const char *want;
		size_t wlen;
	} s[] = {
		{ "\"\"", "", 0 },
		{ "\"plain\"", "plain", 5 },
		{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8 },
		{ "\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6 },
		{ "\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!", 5 },
		{ "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4 },
		{ "\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80", 4 },
		{ "\"a\\u0000b\"", "a\0b", 3 },
		{ "\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"",
		    "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 11 },
		{ "\"caf\xc3\xa9 \\n caf\\u00e9\"", "caf\xc3\xa9 \n caf\xc3\xa9",
		    13 },
		{ "\"\\\\u0041\"", "\\u0041", 6 },
	};
	struct cm_buf b = CM_BUF_INIT;
	struct cm_json_value v;
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		char path[] = "0";
		char doc[200];

		snprintf(doc, sizeof(doc), "[%s]", s[i].doc);
		cm_buf_reset(&b);
		ok(get(doc, path, &v) == CM_JSON_STRING &&
		    strcmp(raw(&v), s[i].doc) == 0 &&
		    cm_json_string(&v, &b) == 0 && b.len == s[i].wlen &&
		    memcmp(b.data, s[i].want, s[i].wlen) == 0 &&
		    b.data[b.len] == '\0', "decode %s", s[i].doc);
		if (memchr(s[i].want, '\0', s[i].wlen) == NULL)
			ok(cm_json_string_eq(&v, s[i].want) == 1,
			    "string_eq %s", s[i].doc);
	}
	/* Appends to what is there. */
	cm_buf_reset(&b);
	cm_buf_adds(&b, "x=");
	get("\"\\u00e9\"", "0", &v);
	v.type = CM_JSON_STRING;
	v.raw = "\"\\u00e9\"";
	v.len = 8;
	ok(cm_json_string(&v, &b) == 0 && strcmp(b.data, "x=\xc3\xa9") == 0,
	    "cm_json_string appends");
	/* A limit reached: -1, and the buffer as it was. */
	{
		struct cm_buf small = CM_BUF_INIT;

		small.limit = 4;
		cm_buf_adds(&small, "ab");
		v.raw = "\"cdef\"";
		v.len = 6;
		ok(cm_json_string(&v, &small) == -1 && small.len == 2 &&
		    strcmp(small.data, "ab") == 0, "limit: refused, unchanged");
		v.raw = "\"c\\u0064\"";
		v.len = 9;
		ok(cm_json_string(&v, &small) == 0 &&
		    strcmp(small.data, "abcd") == 0,
		    "limit: the decoded length counts, not the raw one");
		cm_buf_free(&small);
	}
	/* An empty string still leaves a NUL-terminated buffer. */
	{
		struct cm_buf e = CM_BUF_INIT;

		v.raw = "\"\"";
		v.len = 2;
		ok(cm_json_string(&v, &e) == 0 && e.data != NULL &&
		    e.len == 0 && e.data[0] == '\0', "empty string");
		cm_buf_free(&e);
	}
	v.type = CM_JSON_NUMBER;
	v.raw = "12";
	v.len = 2;
	ok(cm_json_string(&v, &b) == -1, "cm_json_string: not a string");
	ok(cm_json_string_eq(&v, "12") == 0, "string_eq: not a string");

	v.type = CM_JSON_STRING;
	v.raw = "\"a\\u0062c\"";
	v.len = 10;
	ok(cm_json_string_eq(&v, "abc") == 1, "string_eq escaped");
	ok(cm_json_string_eq(&v, "ab") == 0, "string_eq shorter");
	ok(cm_json_string_eq(&v, "abcd") == 0, "string_eq longer");
	ok(cm_json_string_eq(&v, "abd") == 0, "string_eq differs");
	ok(cm_json_string_eq(&v, "") == 0, "string_eq empty");
	v.raw = "\"abc\"";
	v.len = 5;
	ok(cm_json_string_eq(&v, "abc") == 1, "string_eq plain");
	ok(cm_json_string_eq(&v, "abC") == 0, "string_eq plain differs");
	v.raw = "\"\"";
	v.len = 2;
	ok(cm_json_string_eq(&v, "") == 1, "string_eq both empty");
	v.raw = "\"\\ud83d\\ude00\"";
	v.len = 14;
	ok(cm_json_string_eq(&v, "\xf0\x9f\x98\x80") == 1,
	    "string_eq surrogate pair");
	ok(cm_json_string_eq(&v, "\xf0\x9f\x98") == 0,
	    "string_eq surrogate pair vs its prefix");
	cm_buf_free(&b);
}

/*
 * Strings of every length up to 70 with one special byte at every
 * position: the 16- and 8-byte fast loops must find it wherever it is.
 */
static void test_string_runs(void)
{
	char doc[80];
	struct cm_json_error err;
	struct cm_buf b = CM_BUF_INIT;
	struct cm_json_value v;
	size_t len, at, fails = 0, runs = 0;

	for (len = 1; len <= 70; len++) {
		for (at = 0; at < len; at++) {
			memset(doc, 'x', sizeof(doc));
			doc[0] = '"';
			doc[len + 1] = '"';
			/* A control character: found at its offset. */
			doc[1 + at] = '\x01';
			if (scan_n(doc, len + 2, 0, NULL, NULL, &err) != -1 ||
			    err.offset != 1 + at)
				fails++;
			/* A stray quote: the string ends there. */
			doc[1 + at] = '"';
			if (scan_n(doc, len + 2, 0, NULL, NULL, &err) != -1 ||
			    err.offset != 2 + at)
				fails++;
			/* A bad byte >= 0x80. */
			doc[1 + at] = '\xff';
			if (scan_n(doc, len + 2, 0, NULL, NULL, &err) != -1 ||
			    err.offset != 1 + at ||
			    strcmp(err.msg, "invalid UTF-8 in string") != 0)
				fails++;
			/* Printable bytes 0x20..0x7f other than '"' and '\':
			 * all plain. */
			doc[1 + at] = (char)(0x20 + (at * 7 + len) % 0x60);
			if (doc[1 + at] == '"' || doc[1 + at] == '\\')
				doc[1 + at] = '#';
			if (scan_n(doc, len + 2, 0, NULL, NULL, &err) != 0)
				fails++;
			/* A two-byte escape: decoded in place. */
			if (at + 1 < len) {
				doc[1 + at] = '\\';
				doc[2 + at] = 'n';
				cm_buf_reset(&b);
				if (get_n(doc, len + 2, "x", &v) != CM_JSON_NONE ||
				    scan_n(doc, len + 2, 0, NULL, NULL, &err) != 0)
					fails++;
				v.type = CM_JSON_STRING;
				v.raw = copy;
				v.len = len + 2;
				if (cm_json_string(&v, &b) != 0 ||
				    b.len != len - 1 || b.data[at] != '\n')
					fails++;
			}
			runs++;
		}
	}
	is_int(fails, 0, "%zu string layouts: specials found everywhere", runs);
	cm_buf_free(&b);
}

/* Every proper prefix of a document whose value cannot end early must
 * be refused, and the error must lie within the prefix. */
static void test_truncation(void)
{
	static const char *const docs[] = {
		"{\"id\":\"x:1\",\"a\":[1,-2.5e+3,true,false,null,{}],"
		    "\"s\":\"\\u00e9\\ud83d\\ude00\\n\xc3\xa9\xe2\x82\xac"
		    "\xf0\x9f\x98\x80\",\"o\":{\"k\":[[]]}}",
		"[\"a\",0,-0.5,1e5,\"\\\"\"]",
		"\"\\uD834\\uDD1E x\"",
		"  {\"a\" : [ 1 , 2 ] }  x",
	};
	struct cm_json_error err;
	size_t d, k, n, fails, tested;

	for (d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
		n = strlen(docs[d]);
		fails = tested = 0;
		for (k = 0; k < n; k++) {
			/* The last document is itself invalid ("x"); its
			 * prefix up to "}  " is the one valid one. */
			int want = d == 3 && k >= n - 3 && k <= n - 1 ? 0 : -1;

			if (scan_n(docs[d], k, 0, NULL, NULL, &err) != want ||
			    (want < 0 && (err.msg == NULL || err.offset > k)))
				fails++;
			tested++;
		}
		is_int(fails, 0, "document %zu: %zu prefixes", d, tested);
	}
	/* A number's prefixes are valid when they are numbers. */
	{
		static const char num[] = "-12.50e+07";
		static const int ok_at[] = { 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1 };

		fails = 0;
		for (k = 0; k <= strlen(num); k++)
			if (valid_n(num, k) != ok_at[k])
				fails++;
		is_int(fails, 0, "prefixes of %s", num);
	}
}

static void test_utf8(void)
{
	static const char *const good[] = {
		"\"\xc2\x80\"", "\"\xdf\xbf\"", "\"\xe0\xa0\x80\"",
		"\"\xef\xbf\xbf\"", "\"\xed\x9f\xbf\"", "\"\xee\x80\x80\"",
		"\"\xf0\x90\x80\x80\"", "\"\xf4\x8f\xbf\xbf\"",
		("\"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
		    "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\""),
		"{\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(valid(good[i]), "UTF-8 boundary %zu valid", i);
	ok(!valid("\xc3\xa9"), "UTF-8 outside a string");
	ok(!valid("[1,\xc3\xa9]"), "UTF-8 as a value");
}

static void test_nul(void)
{
	static const char d1[] = "{\"a\":\"x\0y\"}";
	static const char d2[] = "{\"a\":1}\0";
	static const char d3[] = "[1,\0 2]";
	struct cm_json_error err;
	struct cm_json_value v;
	struct cm_buf b = CM_BUF_INIT;

	ok(scan_n(d1, sizeof(d1) - 1, 0, NULL, NULL, &err) == -1 &&
	    err.offset == 7 && strcmp(err.msg, "control character in string")
	    == 0, "NUL inside a string");
	ok(scan_n(d2, sizeof(d2) - 1, 0, NULL, NULL, &err) == -1 &&
	    err.offset == 7, "NUL after the value");
	ok(scan_n(d3, sizeof(d3) - 1, 0, NULL, NULL, &err) == -1 &&
	    err.offset == 3, "NUL between values");
	ok(get_n("[\"\\u0000\"]", 10, "0", &v) == CM_JSON_STRING &&
	    cm_json_string(&v, &b) == 0 && b.len == 1 && b.data[0] == '\0',
	    "\\u0000 decodes to one NUL byte");
	ok(cm_json_string_eq(&v, "") == 0, "\\u0000 is not the empty string");
	cm_buf_free(&b);
}

static void test_numbers(void)
{
	static const struct {
		const char *raw;
		int ok;
		int64_t want;
	} ints[] = {
		{ "0", 1, 0 },
		{ "-0", 1, 0 },
		{ "7", 1, 7 },
		{ "-7", 1, -7 },
		{ "9007199254740993", 1, 9007199254740993LL },
		{ "9223372036854775807", 1, INT64_MAX },
		{ "-9223372036854775808", 1, INT64_MIN },
		{ "9223372036854775808", 0, 0 },
		{ "-9223372036854775809", 0, 0 },
		{ "18446744073709551616", 0, 0 },
		{ "12345678901234567890", 0, 0 },
		{ "99999999999999999999999", 0, 0 },
		{ "1.0", 0, 0 },
		{ "1e2", 0, 0 },
		{ "1E2", 0, 0 },
		{ "-1.5", 0, 0 },
	};
	static const struct {
		const char *raw;
		double want;
	} dbl[] = {
		{ "0", 0.0 },
		{ "1.5", 1.5 },
		{ "-2.25e2", -225.0 },
		{ "1E+2", 100.0 },
		{ "1e-2", 0.01 },
		{ "0.1", 0.1 },
		{ "1.7976931348623157e308", 1.7976931348623157e308 },
		{ "4.9e-324", 4.9e-324 },
		{ "12345678901234567890", 12345678901234567890.0 },
		{ "9007199254740993", 9007199254740992.0 },
	};
	struct cm_json_value v;
	int64_t n;
	double d;
	size_t i;
	char doc[300];

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		snprintf(doc, sizeof(doc), "[%s]", ints[i].raw);
		n = 12345;
		if (get(doc, "0", &v) != CM_JSON_NUMBER ||
		    strcmp(raw(&v), ints[i].raw) != 0) {
			ok(0, "int64 %s: raw kept", ints[i].raw);
			continue;
		}
		if (ints[i].ok)
			ok(cm_json_int64(&v, &n) == 0 && n == ints[i].want,
			    "int64 %s", ints[i].raw);
		else
			ok(cm_json_int64(&v, &n) == -1 && n == 12345,
			    "int64 %s refused", ints[i].raw);
	}
	for (i = 0; i < sizeof(dbl) / sizeof(dbl[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"x\":%s}", dbl[i].raw);
		ok(get(doc, "x", &v) == CM_JSON_NUMBER &&
		    cm_json_double(&v, &d) == 0 && d == dbl[i].want,
		    "double %s", dbl[i].raw);
	}
	get("[-0.0]", "0", &v);
	ok(cm_json_double(&v, &d) == 0 && d == 0 && signbit(d), "-0.0");
	get("[1e999]", "0", &v);
	ok(cm_json_double(&v, &d) == 0 && isinf(d), "1e999 is inf");
	/* Longer than the stack buffer. */
	memset(doc, '0', sizeof(doc));
	memcpy(doc, "[0.", 3);
	memcpy(doc + 250, "125]", 4);
	ok(get_n(doc, 254, "0", &v) == CM_JSON_NUMBER && v.len == 252 &&
	    cm_json_double(&v, &d) == 0 && d == 1.25e-248,
	    "a 252-byte number");
	/* The raw slice of a big integer is exact. */
	ok(get("{\"id\":12345678901234567890}", "id", &v) == CM_JSON_NUMBER &&
	    v.len == 20 && memcmp(v.raw, "12345678901234567890", 20) == 0,
	    "big integer: raw bytes preserved");
	/* Not numbers. */
	v.type = CM_JSON_STRING;
	v.raw = "\"1\"";
	v.len = 3;
	ok(cm_json_int64(&v, &n) == -1 && cm_json_double(&v, &d) == -1,
	    "a string is not a number");
	v.type = CM_JSON_NUMBER;
	v.raw = "01";
	v.len = 2;
	ok(cm_json_int64(&v, &n) == -1 && cm_json_double(&v, &d) == -1,
	    "a malformed number value is refused");
	v.raw = "1 ";
	v.len = 2;
	ok(cm_json_double(&v, &d) == -1, "trailing space refused");

	/* Locale-independent: a comma-decimal locale must not matter. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL ||
	    setlocale(LC_NUMERIC, "fr_FR.UTF-8") != NULL) {
		get("[2.5]", "0", &v);
		ok(cm_json_double(&v, &d) == 0 && d == 2.5,
		    "double under a comma-decimal LC_NUMERIC");
		setlocale(LC_NUMERIC, "C");
	} else {
		ok(1, "double under a comma-decimal LC_NUMERIC "
		    "# SKIP no de_DE or fr_FR locale installed");
	}
}

static void test_bool(void)
{
	struct cm_json_value v;

	get("[true]", "0", &v);
	is_int(cm_json_bool(&v), 1, "true");
	get("[false]", "0", &v);
	is_int(cm_json_bool(&v), 0, "false");
	get("[null]", "0", &v);
	is_int(cm_json_bool(&v), -1, "null is not a bool");
	get("[1]", "0", &v);
	is_int(cm_json_bool(&v), -1, "1 is not a bool");
	get("[]", "0", &v);
	is_int(cm_json_bool(&v), -1, "absent is not a bool");
}

static void test_whitespace(void)
{
	ok(valid("\t{\r\n\"a\"\t:\n[ 1\r,\t2 ]\r}\n"), "all four whitespace "
	    "characters everywhere");
	ok(!valid("{\"a\":\f1}"), "form feed is not whitespace");
	ok(!valid("[1,\v2]"), "vertical tab is not whitespace");
	ok(!valid("[1,\xc2\xa0" "2]"), "NBSP is not whitespace");
	ok(!valid("\x1e[1]"), "RS is not whitespace");
	ok(!valid("[1]\x1e"), "RS after the value");
	ok(valid_n("[1]   ", 6), "trailing spaces");
	ok(!valid_n("", 0), "empty line");
	ok(cm_json_scan(NULL, 0, 0, NULL, NULL, &(struct cm_json_error){ 0,
	    NULL }) == -1, "NULL line");
}

/* The elements of a value, each as "type:raw" (keys as "key="), joined by
 * spaces: what cm_json_each walks. */
static const char *walk(const char *json)
{
	static char out[4096];
	struct cm_json_value v, k, e;
	struct cm_json_error err;
	size_t pos = 0, o = 0;
	static const char *const types = "-0ftnsao";

	out[0] = '\0';
	if (cm_json_scan(json, strlen(json), 0, NULL, NULL, &err) < 0)
		return "invalid";
	v.raw = json;
	v.len = strlen(json);
	v.type = json[strspn(json, " \t\r\n")] == '[' ? CM_JSON_ARRAY :
	    CM_JSON_OBJECT;
	while (cm_json_each(&v, &pos, &k, &e) && o < sizeof(out) - 200) {
		if (v.type == CM_JSON_OBJECT)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%.*s=",
			    (int)k.len, k.raw);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%c:%.*s ",
		    types[e.type], (int)e.len, e.raw);
	}
	if (o > 0)
		out[o - 1] = '\0';
	return out;
}

static void test_each(void)
{
	struct cm_json_value v = { CM_JSON_STRING, "\"x\"", 3 }, e;
	size_t pos = 0;

	is_str(walk("[]"), "", "each: an empty array");
	is_str(walk(" { } "), "", "each: an empty object");
	is_str(walk("[1,-2.5e3,true,false,null,\"s\"]"),
	    "n:1 n:-2.5e3 t:true f:false 0:null s:\"s\"", "each: scalars");
	is_str(walk(" [ 1 , [2,[3]] , {\"a\":[\"]\",\"}\"]} ] "),
	    "n:1 a:[2,[3]] o:{\"a\":[\"]\",\"}\"]}",
	    "each: nested containers, brackets inside strings");
	is_str(walk("{\"a\":1,\"b\\\"c\":{\"d\":[]},\"a\":\"\\\\\"}"),
	    "\"a\"=n:1 \"b\\\"c\"=o:{\"d\":[]} \"a\"=s:\"\\\\\"",
	    "each: members with escaped names, a repeated one");
	is_str(walk("[\"\\u00e9\",\"caf\xc3\xa9\"]"),
	    "s:\"\\u00e9\" s:\"caf\xc3\xa9\"", "each: escapes and UTF-8");
	ok(cm_json_each(&v, &pos, NULL, &e) == 0, "each: a string has none");
}

int main(void)
{
	test_valid();
	test_errors();
	test_depth();
	test_paths();
	test_strings();
	test_string_runs();
	test_truncation();
	test_utf8();
	test_nul();
	test_numbers();
	test_bool();
	test_whitespace();
	test_each();
	free(copy);
	return tap_done();
}
