/* record.c - unit tests for cm_record_set, cm_rec_write's payloads, cm_buf
 * and UTF-8 helpers */
#include <errno.h>
#include <string.h>

#include "core/buf.h"
#include "core/rec.h"
#include "core/record.h"
#include "tap.h"
#include "core/utf8.h"

static void set_case(const char *in, const char *name, const char *val,
    const char *want)
{
	struct cm_buf out = CM_BUF_INIT;
	int r = cm_record_set(in, strlen(in), name, val, strlen(val), &out);

	if (want == NULL)
		is_int(r, -1, "refused: %s", in);
	else
		is_str(r == 0 ? out.data : "(error)", want, "set %s in %s",
		    name, in);
	cm_buf_free(&out);
}

static void test_record_set(void)
{
	set_case("{\"a\":1}", "score", "{\"x\":2}",
	    "{\"a\":1,\"score\":{\"x\":2}}");
	set_case("{}", "score", "1", "{\"score\":1}");
	set_case("{ }", "score", "1", "{ \"score\":1}");
	set_case("  {\"a\":1}  ", "score", "1", "  {\"a\":1,\"score\":1}  ");
	set_case("{\"score\":{\"old\":true},\"b\":2}", "score", "3",
	    "{\"score\":3,\"b\":2}");
	set_case("{\"a\":{\"score\":1},\"score\":[1, 2]}", "score", "null",
	    "{\"a\":{\"score\":1},\"score\":null}");
	set_case("{\"id\":12345678901234567890,\"t\":\"\\u00e9\"}", "s", "1",
	    "{\"id\":12345678901234567890,\"t\":\"\\u00e9\",\"s\":1}");
	set_case("{\"score\":1,\"score\":2}", "score", "9",
	    "{\"score\":1,\"score\":9}");
	set_case("[1]", "score", "1", NULL);
	set_case("", "score", "1", NULL);
	set_case("{\"a\":1}", "a.b", "1", NULL);
	set_case("{\"a\":1}", "we\"ird", "1", "{\"a\":1,\"we\\\"ird\":1}");
}

static void test_buf(void)
{
	struct cm_buf b = CM_BUF_INIT;

	cm_buf_add_json_string(&b, "a\"b\\c\n\x01\xc3\xa9", 9);
	is_str(b.data, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"",
	    "JSON string escaping keeps valid UTF-8");
	cm_buf_reset(&b);
	cm_buf_add_json_string(&b, "x\xff\xc3y\xed\xa0\x80", 7);
	is_str(b.data, "\"x\xef\xbf\xbd\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd\"", "invalid UTF-8 becomes U+FFFD, byte by byte");
	cm_buf_reset(&b);
	cm_buf_printf(&b, "%d-%s", 42, "x");
	is_str(b.data, "42-x", "printf appends");
	cm_buf_free(&b);

	b.limit = 8;
	ok(cm_buf_add(&b, "12345678", 8) == 0, "fills up to the limit");
	errno = 0;
	ok(cm_buf_add(&b, "9", 1) == -1 && errno == EMSGSIZE,
	    "refuses to grow past the limit");
	is_int(b.len, 8, "and keeps its content");
	cm_buf_free(&b);
}

static void test_utf8(void)
{
	unsigned char out[4];

	is_int(cm_utf8_valid_prefix((const unsigned char *)"\xc3\xa9", 2), 2,
	    "two-byte sequence");
	is_int(cm_utf8_valid_prefix((const unsigned char *)"\xc0\xaf", 2), 0,
	    "overlong refused");
	is_int(cm_utf8_valid_prefix((const unsigned char *)"\xe0\x80\xaf", 3),
	    0, "overlong three-byte refused");
	is_int(cm_utf8_valid_prefix((const unsigned char *)"\xed\xa0\x80", 3),
	    0, "UTF-8-encoded surrogate refused");
	is_int(cm_utf8_valid_prefix((const unsigned char *)"\xf4\x90\x80\x80",
	    4), 0, "above U+10FFFF refused");
	is_int(cm_utf8_valid_prefix((const unsigned char *)"\xf0\x9f\x98\x80",
	    3), 0, "truncated four-byte sequence refused");
	is_int(cm_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4),
	    0x1f600, "decodes U+1F600");
	is_int(cm_utf8_encode(0x1f600, out), 4, "encodes U+1F600 in 4 bytes");
	ok(memcmp(out, "\xf0\x9f\x98\x80", 4) == 0, "to the right bytes");
}

/* A platform's payload pretty-printed (atproto's, a proxy's) is kept on
 * the record's one line; the white space in its strings is kept. */
static void test_rec_payload(void)
{
	static const char raw[] = "{\n  \"a\" : \"x \\\" y\\n\",\n\t\"b\": "
	    "[1, 2]\r\n}";
	struct cm_buf out = CM_BUF_INIT;
	struct cm_rec rec;

	cm_rec_init(&rec);
	rec.id = "t:1";
	rec.text = "";
	rec.extra_name = "t";
	rec.extra = "{ \"uri\": \"at://x y\" }";
	rec.extra_len = strlen(rec.extra);
	rec.raw = raw;
	rec.raw_len = strlen(raw);
	is_int(cm_rec_write(&rec, &out), 0, "a record with a payload");
	ok(out.data && strchr(out.data, '\n') == NULL, "on one line");
	ok(out.data && strstr(out.data, ",\"raw\":{\"a\":\"x \\\" y\\n\","
	    "\"b\":[1,2]}}") != NULL, "the payload without its white space: %s",
	    out.data ? out.data : "");
	ok(out.data && strstr(out.data, ",\"t\":{\"uri\":\"at://x y\"}") !=
	    NULL, "the platform's object too");
	cm_buf_free(&out);
}

/* cm_rec_write's counts and flags, written without printf */
static void test_rec_write(void)
{
	struct cm_rec r;
	struct cm_buf b = CM_BUF_INIT;
	const char *head = "{\"id\":\"x:1\",\"platform\":\"\",\"kind\":\"\","
	    "\"reason\":\"\",\"created_at\":\"1970-01-01T00:00:00Z\",";

	cm_rec_init(&r);
	r.id = "x:1";
	r.author.followers = INT64_MIN + 1;
	r.author.verified = 1;
	r.likes = -5;
	r.reposts = 0;
	r.replies = INT64_MAX;
	ok(cm_rec_write(&r, &b) == 0, "a record written");
	ok(b.data && strstr(b.data, "\"followers\":-9223372036854775807,"
	    "\"verified\":true,\"is_brand\":false},") != NULL,
	    "followers, verified, is_brand: %s", b.data ? b.data : "");
	ok(b.data && strstr(b.data, "\"metrics\":{\"likes\":-5,"
	    "\"reposts\":0,\"replies\":9223372036854775807,"
	    "\"quotes\":null}") != NULL, "counts: negative, 0, max, null");
	ok(b.data && strncmp(b.data, head, strlen(head)) == 0,
	    "field names quoted: %s", b.data ? b.data : "");
	cm_buf_free(&b);
}

int main(void)
{
	test_record_set();
	test_rec_payload();
	test_rec_write();
	test_buf();
	test_utf8();
	return tap_done();
}
